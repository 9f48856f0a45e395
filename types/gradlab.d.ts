// Declarations for web/lib/gradlab.js, the module `import ... from 'gradlab'` gives. See docs/api.md.
import type {
  Activation, CyclicMode, DatasetName, DropoutMode, HistogramTensor, InitNameOrAlias, LayerType, LossName, OptimizerName,
  PoolMode, ScheduleName, SurfaceName, TensorName,
} from './names.js';

export * from './names.js';

export interface LoadOptions {
  /** true: the SIMD build (throws where wasm SIMD is missing); false: the scalar one; default: SIMD where supported */
  simd?: boolean;
  /** URL of the folder holding gradlab-simd.wasm and gradlab-scalar.wasm; default ../wasm/ beside gradlab.js */
  wasmBase?: string | URL;
  /** GEMM micro-kernel variant: 'auto' (default) times them at load (at most 30 ms) and takes the fastest;
   * a name from lab.kernelInfo().variants forces one ('reference' is the scalar build's only one); 'default' forces the first without timing;
   * another engine's kernelInfo() (or any { variant, settled?, calibrationMs? }) adopts its choice without timing (one calibration per page) */
  kernel?: string | Pick<KernelInfo, 'variant'> & Partial<KernelInfo>;
}

export interface KernelVariant {
  /** e.g. '4x8-loadsplat': the tile (rows x columns of C in registers) and how A is broadcast */
  name: string;
  mr: number;
  nr: number;
  /** best milliseconds per calibration product (absent when the variant was forced) */
  ms?: number;
  /** GFLOP/s of that best time (absent when the variant was forced) */
  gflops?: number;
}

export interface KernelInfo {
  /** the variant running */
  variant: string;
  /** true when loadGradlab's kernel option named it */
  forced: boolean;
  /** true when it was adopted from another engine's kernelInfo() (settled and calibrationMs are then that engine's) */
  adopted: boolean;
  /** true when every variant ran enough products to be timed in optimised code; if false the default runs */
  settled: boolean;
  calibrationMs: number;
  /** interleaved rounds timed, and products of each variant in them */
  rounds: number;
  productsEach: number;
  /** the product timed: C(M,N) += A(M,K) B(K,N) */
  shape: { M: number; N: number; K: number };
  variants: KernelVariant[];
}

/** Loads the wasm engine: the SIMD build where wasm SIMD works, else the scalar one. */
export function loadGradlab(options?: LoadOptions): Promise<Lab>;

/** Whether this JavaScript engine validates wasm SIMD. */
export function simdSupported(): boolean;

export interface GeneratedDatasetOptions {
  /** points in all; 2..1000000, default 300 */
  samples?: number;
  /** classes of blobs and spiral, 2..64, default 3; others have fixed counts */
  classes?: number;
  /** 0..10, default 0.1 */
  noise?: number;
  /** share of rows held out as the test split, 0..0.95, default 0.2 */
  testFraction?: number;
  /** 0..2^32-1, default 1 */
  seed?: number;
  /** side of an image of 'digits' and 'shapes', 8..32, default 12; refused for the other sets */
  size?: number;
}

/** [height, width, channels] */
export type Shape = [number, number, number];

export interface DatasetRows {
  /** inputs; row i at x[i * inputs ...]; for classification, class ids as ints */
  x: Float32Array;
  y: Int32Array | Float32Array;
  inputs: number;
  /** targets per row when y is a Float32Array; default y.length / rows */
  outputs?: number;
  /** number of classes when y is an Int32Array; default max(y) + 1 (at least 2) */
  classes?: number;
  /** 0..0.95, default 0 */
  testFraction?: number;
  /** seed of the shuffle before the split; default 1 */
  seed?: number;
}

export type InitSpec = InitNameOrAlias
  | { name: 'constant'; value?: number }
  | { name: 'normal'; std?: number }
  | { name: 'uniform'; a?: number; b?: number }
  | { name: 'orthogonal'; gain?: number }
  | { name: Exclude<InitNameOrAlias, 'constant' | 'normal' | 'uniform' | 'orthogonal'> };

/** Keys shared by dense and convolution layers. */
export interface TrainableLayerSpec {
  /** default 'relu' for hidden layers; the last layer's default follows the loss */
  activation?: Activation;
  /** overrides the network's init for this layer */
  init?: InitSpec;
  /** negative slope of leaky-relu, 0..1, default 0.01 */
  slope?: number;
  /** multiplies the optimiser's l1 for this layer, default 1 */
  l1Scale?: number;
  /** multiplies the optimiser's l2 for this layer, default 1 */
  l2Scale?: number;
  /**
   * false: no biases (biases(i) and biasGradients(i) are then empty views); a number: every bias's
   * starting value (true = 0). Default 0, and false on a layer whose batch norm comes before its activation.
   */
  bias?: number | boolean;
  /** batch normalisation: true, or { after: true to normalise after the activation, momentum 0.1, epsilon 1e-5 } */
  batchNorm?: boolean | BatchNormSpec;
  /** probability of dropping each unit of this layer in training passes, 0..0.99, default 0 */
  dropout?: number;
}

/** A fully connected layer; an image input is read as height x width x channels numbers. */
export interface DenseLayerSpec extends TrainableLayerSpec {
  type?: 'dense';
  /** 1..4096 */
  units: number;
}

/** A 2-D convolution over an image of shape [h, w, c]. */
export interface ConvLayerSpec extends TrainableLayerSpec {
  type: 'conv';
  /** 1..1024 */
  filters: number;
  /** side of the square kernel, 1..7, default 3 */
  kernel?: number;
  /** 1 or 2, default 1 */
  stride?: number;
  /** 'same' (default) pads with zeros to keep ceil(h / stride); 'valid' takes only full windows */
  padding?: 'same' | 'valid';
}

/** 2 x 2 pooling: [h, w, c] -> [floor(h/2), floor(w/2), c]. */
export interface PoolLayerSpec {
  type: 'pool';
  /** default 'max' */
  mode?: PoolMode;
  /** only 2 */
  size?: 2;
  /** 0..0.99, default 0 */
  dropout?: number;
}

/** [h, w, c] -> [1, 1, h * w * c]. */
export interface FlattenLayerSpec {
  type: 'flatten';
}

export type LayerSpec = DenseLayerSpec | ConvLayerSpec | PoolLayerSpec | FlattenLayerSpec;

export interface BatchNormSpec {
  /** normalise after the activation instead of before it; default false */
  after?: boolean;
  /** weight of the newest batch in the running averages, 0..1, default 0.1 */
  momentum?: number;
  /** added to the variance, 1e-12..1, default 1e-5 */
  epsilon?: number;
}

export interface NetworkSpec {
  /** values per example, 1..16384, or an image shape [height, width, channels] of at most 16384 values */
  inputs: number | Shape;
  /** 1..64 layers */
  layers: LayerSpec[];
  /** default: from the last activation (softmax: cross-entropy, sigmoid: binary-cross-entropy, else mse) */
  loss?: LossName;
  /** default 'xavier' */
  init?: InitSpec;
  /** default 1 */
  seed?: number;
  /** 'inverted' (default) scales kept units by 1/(1-p) in training; 'classic' scales by (1-p) at test time */
  dropoutMode?: DropoutMode;
}

export interface ScheduleSpec {
  name?: ScheduleName;
  /** linear warm-up over this many steps, applied on top of any schedule */
  warmup?: number;
  stepSize?: number;
  gamma?: number;
  decay?: number;
  steps?: number;
  minLearningRate?: number;
  period?: number;
  periodMultiplier?: number;
  maxLearningRate?: number;
  mode?: CyclicMode;
  /** only for lab.schedule(): the base rate, default 1 */
  learningRate?: number;
}

export interface OptimizerSpec {
  /** default 'sgd' */
  name?: OptimizerName;
  learningRate?: number;
  momentum?: number;
  alpha?: number;
  epsilon?: number;
  beta1?: number;
  beta2?: number;
  centered?: boolean;
  weightDecay?: number;
  clipNorm?: number;
  l1?: number;
  l2?: number;
  schedule?: ScheduleName | ScheduleSpec;
}

export interface TrainOptions {
  /** 0..10000000, default 1 */
  steps?: number;
  /** 0 = the whole training split (default); else 1..65536 */
  batchSize?: number;
}

export interface TrainResult {
  /** the step number after this call (or the diverged step) */
  step: number;
  /** steps run by this call */
  steps: number;
  loss: number;
  /** of the last batch; null for regression */
  accuracy: number | null;
  /** the l1/l2 penalty of the last step, apart from loss */
  penalty: number;
  learningRate: number;
  status: 'ok' | 'diverged';
}

export interface Evaluation {
  loss: number;
  accuracy: number | null;
}

export interface NetworkInfo {
  layers: number;
  parameters: number;
  step: number;
  rows: number;
  stateArrays: number;
  updates: number;
  learningRate: number;
}

export interface OptimizerState {
  name: OptimizerName;
  updates: number;
  velocity?: Float32Array;
  sum?: Float32Array;
  squareAverage?: Float32Array;
  momentumBuffer?: Float32Array;
  gradientAverage?: Float32Array;
  m?: Float32Array;
  v?: Float32Array;
}

export interface Moments {
  mean: number;
  std: number;
  min: number;
  max: number;
}

export interface LayerStats {
  weights: Moments;
  biases: Moments;
  preactivations: Moments;
  activations: Moments;
  gradients: Moments;
  /** share of tanh outputs with |a| > 0.99, or sigmoid outputs below 0.01 or above 0.99 */
  saturated: number;
  /** share of ReLU units that are 0 for every row of the last pass */
  dead: number;
  /** L2 norm of the weight gradient */
  gradientNorm: number;
  /** |update| / |W| of the last step */
  updateRatio: number;
  /** copies, for batch-norm layers only */
  runningMean?: Float32Array;
  runningVar?: Float32Array;
}

export interface Histogram {
  counts: Uint32Array;
  /** bins + 1 edges */
  edges: Float32Array;
}

export interface DepthOptions {
  /** 1..64, default 10 */
  layers?: number;
  /** 1..4096, default 500 */
  units?: number;
  /** default 'tanh' */
  activation?: Activation;
  /** default 'xavier' */
  init?: InitSpec;
  /** 2..100000, default 1000 */
  samples?: number;
  /** default 1 */
  seed?: number;
  /** batch norm in every layer (the pass then uses batch statistics) */
  batchNorm?: boolean;
}

export interface DepthRow {
  /** 1-based */
  layer: number;
  mean: number;
  std: number;
  saturated: number;
  dead: number;
  histogram: Histogram;
}

/** The classic depth experiment: N(0, 1) inputs forward through equal layers; statistics per layer. */
export function depthExperiment(lab: Lab, options?: DepthOptions): DepthRow[];

/** Options of net.lossLandscape; the engine checks every range (src/gradlab.h). */
export interface LandscapeOptions {
  /** 'random' (default): seeded filter-normalised Gaussian directions; 'trajectory': the two leading principal directions of the record */
  directions?: 'random' | 'trajectory';
  /** half-width of the plane in units of the directions, > 0 (default 1; trajectory: 1.25 x the path's extent) */
  span?: number;
  /** grid points per side, 3..101 (default 41) */
  resolution?: number;
  /** the first rows training rows, 1..trainSize; 0 or omitted = all */
  rows?: number;
  /** seed of the random directions (default 1) */
  seed?: number;
}

export interface Landscape {
  directions: 'random' | 'trajectory';
  /** the resolution values of alpha (along d1) and of beta (along d2), -span..span */
  alpha: Float32Array;
  beta: Float32Array;
  /** resolution x resolution losses: values[i * resolution + j] at (alpha[j], beta[i]) */
  values: Float32Array;
  resolution: number;
  span: number;
  rows: number;
  /** loss and accuracy (null for regression) at the current weights, alpha = beta = 0 */
  center: { loss: number; accuracy: number | null };
  /** d1 and d2, laid out like the parameters (layer by layer: W, b, gamma, beta) */
  vectors: [Float32Array, Float32Array];
  /** trajectory only: each recorded copy of the weights projected onto the plane, with its step */
  path?: { alpha: Float32Array; beta: Float32Array; steps: Int32Array };
  /** trajectory only: the share of the recorded path's variance along d1 and d2 */
  explained?: [number, number];
}

/** Options of net.sharpness; the engine checks every range. */
export interface SharpnessOptions {
  /** most Hessian-vector products, 1..1000 (default 100) */
  iterations?: number;
  /** the first rows training rows; 0 or omitted = all */
  rows?: number;
  /** stop once |H v - lambda v| <= tolerance |lambda|, 0 <= t < 1 (default 1e-3; 0: use every product) */
  tolerance?: number;
  /** seed of the starting vector (default 1) */
  seed?: number;
}

export interface Sharpness {
  /** the largest eigenvalue of the Hessian of the training loss */
  lambdaMax: number;
  /** |H v - lambdaMax v| / |dominant| for the final unit vector v (|dominant| = |lambdaMax| unless the dominant one is negative) */
  residual: number;
  /** Hessian-vector products used */
  iterations: number;
  /** residual <= tolerance (false when the budget ran out first) */
  converged: boolean;
  /** the eigenvalue of largest magnitude (below lambdaMax when that one is negative) */
  dominant: number;
  /** the central-difference step of the Hessian-vector products */
  step: number;
  /** the training loss at the current weights */
  loss: number;
  /** 2 / the network's learning rate (null at rate 0) */
  twoOverEta: number | null;
}

export interface SharpnessTrack {
  steps: number[];
  lambdaMax: number[];
  twoOverEta: (number | null)[];
  loss: number[];
  status: 'ok' | 'diverged';
}

/** Options of net.findLearningRate; the engine checks every range. */
export interface LearningRateFinderOptions {
  /** first rate, > 0 (default 1e-7) */
  from?: number;
  /** last rate, from < to <= 1000 (default 10) */
  to?: number;
  /** steps, 2..10000 (default 100) */
  steps?: number;
  /** as in train: 0 (default) = the whole training split */
  batchSize?: number;
  /** default: the network's own optimiser, continuing from its state; its rate and schedule are ignored */
  optimizer?: OptimizerSpec;
  /** beta of the moving average, 0 <= beta < 1 (default 0.98) */
  smoothing?: number;
}

export interface LearningRateSuggestions {
  /** the rate where the smoothed loss falls fastest per unit of log rate */
  steepest: number | null;
  /** the rate of the lowest smoothed loss, divided by 10 */
  minimumDividedBy10: number | null;
}

export interface LearningRateFinder {
  learningRates: Float32Array;
  losses: Float32Array;
  smoothed: Float32Array;
  /** steps run: fewer than asked when the smoothed loss passed 4x its lowest */
  steps: number;
  stoppedEarly: boolean;
  suggestions: LearningRateSuggestions;
}

export interface TrajectoryRecord {
  /** 0 without a record */
  capacity: number;
  /** steps between the copies held */
  interval: number;
  /** the network's step at the first copy */
  start: number;
  /** the step of each copy held */
  steps: Int32Array;
}

/** Trains options.steps steps, measuring net.sharpness before the first and every options.every steps. */
export function trackSharpness(net: Network, data: Dataset,
  options?: SharpnessOptions & { steps?: number; every?: number; batchSize?: number }): SharpnessTrack;
/** The range test's two suggestions from a curve (requested: the steps asked for; default the curve's length). */
export function lrSuggestions(learningRates: ArrayLike<number>, smoothed: ArrayLike<number>, requested?: number): LearningRateSuggestions;

export class Dataset {
  private constructor();
  readonly name: DatasetName | 'custom';
  readonly inputs: number;
  readonly outputs: number;
  /** 0 for regression sets */
  readonly classes: number;
  readonly trainSize: number;
  readonly testSize: number;
  /** [size, size, 1] for the image sets, [1, 1, inputs] for the others */
  readonly shape: Shape;
  /** Views on wasm memory of one split's rows; copy with slice() to keep them. */
  rows(split?: 'train' | 'test'): { x: Float32Array; y: Int32Array | Float32Array; count: number };
  /** How the data set was made: a generated set's name and options, or 'custom' and your rows (kept by reference). */
  spec: { name: DatasetName | 'custom'; options: Record<string, unknown> };
  /** Frees the rows; later use throws. Safe to call twice. */
  dispose(): void;
}

/** A layer as the network parsed it. */
export interface NetworkLayer {
  type: LayerType;
  /** units of a dense layer, filters of a convolution, null for pool and flatten */
  units: number | null;
  activation: Activation;
  batchNorm: false | Required<BatchNormSpec>;
  dropout: number;
  /** side of a convolution's kernel; 0 for other layers */
  kernel: number;
  /** a convolution's stride; 0 for other layers */
  stride: number;
  /** a convolution's padding (meaningful for conv layers only) */
  padding: 'same' | 'valid';
  /** a pool layer's mode (meaningful for pool layers only) */
  mode: PoolMode;
  /** leaky-relu's slope */
  slope: number;
  l1Scale: number;
  l2Scale: number;
  /** whether the layer has biases (false for pool and flatten, and for bias: false) */
  bias: boolean;
  /** the layer's output shape */
  shape: Shape;
}

export class Network {
  private constructor();
  /** values per example */
  readonly inputs: number;
  /** [height, width, channels] of an example: as given, or [1, 1, inputs] */
  readonly inputShape: Shape;
  readonly outputs: number;
  readonly loss: LossName;
  readonly layers: NetworkLayer[];
  readonly seed: number;
  readonly dropoutMode: DropoutMode;
  /** a copy of the spec the network was made from, as plain JSON (saved runs and toPyTorch rebuild from it) */
  readonly spec: NetworkSpec;
  /** optimizerSpec with its defaults filled in (a fresh copy on each read) */
  readonly optimizer: OptimizerSpec & { name: OptimizerName; learningRate: number };
  /** Sets the optimiser; its state starts afresh, the weights stay. Returns this. */
  setOptimizer(spec: OptimizerSpec): this;
  /**
   * Changes the settings of the optimiser in use from the next step on, keeping its state (velocity,
   * moments, updates and so the place in the schedule). Another name, or rmsprop's momentum or
   * centered switched on or off, throws GradlabError. Returns this.
   */
  tune(patch: Partial<OptimizerSpec>): this;
  train(data: Dataset, options?: TrainOptions): TrainResult;
  evaluate(data: Dataset, split?: 'train' | 'test'): Evaluation;
  /** Outputs (rows x outputs) for rows x inputs values; rows defaults to x.length / inputs. */
  predict(x: Float32Array, rows?: number): Float32Array;
  /** A forward pass only, so activations(i) can be read; returns this. */
  forward(x: Float32Array, rows?: number, options?: { training?: boolean }): this;
  /** A view of a tensor of layer i, valid until wasm memory grows. */
  tensor(layer: number, name: TensorName): Float32Array;
  weights(layer: number): Float32Array;
  /** empty (length 0) for a layer without biases */
  biases(layer: number): Float32Array;
  preactivations(layer: number): Float32Array;
  activations(layer: number): Float32Array;
  gradients(layer: number): Float32Array;
  biasGradients(layer: number): Float32Array;
  /** A convolution's weights (kernel * kernel * channels x filters, row-major); throws for other layers. */
  filters(layer: number): { weights: Float32Array; kernel: number; channels: number; filters: number };
  /** One example's outputs of a layer from the last pass (channel last), with the layer's shape. */
  featureMaps(layer: number, example?: number): { values: Float32Array; shape: Shape };
  /** batch norm's scale (empty without batch norm) */
  gamma(layer: number): Float32Array;
  /** batch norm's shift */
  beta(layer: number): Float32Array;
  runningMean(layer: number): Float32Array;
  runningVar(layer: number): Float32Array;
  /** 1 kept, 0 dropped, rows x units of the last training pass (empty without dropout) */
  dropoutMask(layer: number): Float32Array;
  /**
   * A self-contained PyTorch script (Python source) that replays `steps` steps of this network's
   * training on data: same model, weights, rows, batch order, dropout masks, optimiser and schedule.
   */
  toPyTorch(data: Dataset, options?: { steps?: number; batchSize?: number }): string;
  /** the training rows of the last minibatch step, in batch order (empty after a full-batch step) */
  batchRows(): Int32Array;
  /** Statistics of every layer after the last pass and step. */
  layerStats(): LayerStats[];
  /** A histogram of one layer's tensor over [min, max], or over the data's own range when neither is given. */
  histogram(layer: number, what: HistogramTensor, options?: { bins?: number; min?: number; max?: number }): Histogram;
  optimizerState(): OptimizerState;
  /** The loss on the plane w + alpha d1 + beta d2 through the current weights; the network is left as it was. */
  lossLandscape(data: Dataset, options?: LandscapeOptions): Landscape;
  /** lambda max of the training loss's Hessian by power iteration; the network is left as it was. */
  sharpness(data: Dataset, options?: SharpnessOptions): Sharpness;
  /** The learning-rate range test; weights, optimiser state and counters are put back bit for bit. */
  findLearningRate(data: Dataset, options?: LearningRateFinderOptions): LearningRateFinder;
  /** Starts a record of the weights during training (capacity 2..1024, default 64; interval default 1); capacity 0 stops it. */
  recordTrajectory(options?: { capacity?: number; interval?: number }): this;
  trajectory(): TrajectoryRecord;
  info(): NetworkInfo;
  /** The optimiser's spec as the last setOptimizer and tune left it (with its name), as plain JSON. */
  optimizerSpec: OptimizerSpec;
  /** The engine's training state as bytes: weights, statistics, optimiser state, counters, random streams. */
  saveState(): Uint8Array;
  /** Loads saveState() bytes of a network of the same spec and optimiser, for the same data; refuses what does not fit. */
  loadState(data: Dataset, bytes: Uint8Array): this;
  /** Starts a record of snapshots taken after each due train() call; given data, the present step is recorded at once. */
  keepHistory(options?: HistoryOptions & { budget?: number; data?: Dataset }): RunRecord;
  /** The record started by keepHistory(), or null. */
  history(): RunRecord | null;
  readonly step: number;
  readonly learningRate: number;
  dispose(): void;
}

export interface SurfaceGrid {
  /** values[i * resolution + j] at x = x[0] + j dx, y = y[0] + i dy */
  values: Float32Array;
  resolution: number;
  x: [number, number];
  y: [number, number];
  min: number;
  max: number;
}

export interface OptimizeSpec {
  surface: SurfaceName;
  /** default [0, 0] */
  start?: [number, number];
  /** default { name: 'sgd' } */
  optimizer?: OptimizerSpec;
  /** 0..1000000, default 100 */
  steps?: number;
  /** std of Gaussian noise added to each gradient, default 0 */
  noise?: number;
  /** default 1 */
  seed?: number;
}

export interface OptimizeResult {
  /** x0, y0, x1, y1, ...: steps + 1 points */
  path: Float32Array;
  /** the surface's value at each point */
  loss: Float32Array;
  /** steps completed */
  steps: number;
  /** true when the point left the finite numbers before the last step */
  diverged: boolean;
}

/** What takeSnapshot keeps besides the statistics. */
export interface HistoryOptions {
  /** histogram bins (default 24) */
  bins?: number;
  /** training rows of the inference pass whose activations are measured (default 256) */
  probeRows?: number;
  /** input rows whose outputs are kept, e.g. the boundary image's grid (default none) */
  grid?: Float32Array | null;
  /** keep every layer's weights for the network diagram (default true) */
  diagram?: boolean;
}

/** { mean, std, min, max } with null where a value is not finite. */
export interface ReportMoments { mean: number | null; std: number | null; min: number | null; max: number | null }
/** What every view shows of one layer (layerReports). */
export interface LayerReport {
  weights: ReportMoments;
  activations: ReportMoments;
  gradients: ReportMoments;
  saturated: number;
  dead: number;
  gradientNorm: number | null;
  updateRatio: number | null;
  /** share of weights with |w| < NEAR_ZERO */
  nearZero: number;
  hist: Record<'weights' | 'activations' | 'gradients', { counts: Float32Array; min: number; max: number }>;
  /** batch-norm layers only */
  running?: { mean: ReportMoments; variance: ReportMoments; means: Float32Array; variances: Float32Array };
}

/** What every view shows at one step. */
export interface Snapshot {
  step: number;
  layers: LayerReport[];
  weights: Float32Array[];
  filters: { layer: number; kernel: number; channels: number; count: number; weights: Float32Array } | null;
  outputs: Float32Array | null;
}
export const SNAPSHOT_DEFAULTS: Required<HistoryOptions>;
export const SNAPSHOT_HISTOGRAMS: ('weights' | 'activations' | 'gradients')[];
/** 0.001: |w| below it counts as practically zero in a layer report. */
export const NEAR_ZERO: number;
/** The inference pass a snapshot's statistics are read after: data's first probeRows (default 256) training rows. */
export function probeForward(net: Network, data: Dataset, probeRows?: number): void;
/** Every layer's report now, after probeForward (bins default 24, probeRows default 256). */
export function layerReports(net: Network, data: Dataset, options?: { bins?: number; probeRows?: number }): LayerReport[];
/** A snapshot of net now: an inference pass over data's first training rows; changes nothing training reads. */
export function takeSnapshot(net: Network, data: Dataset, options?: HistoryOptions): Snapshot;

/** 16 MiB: the default budget of one run's record. */
export const RECORD_BUDGET: number;
/** Bytes a snapshot holds: its typed arrays' bytes plus 8 per plain number. */
export function snapshotBytes(value: unknown): number;
export interface RecordEntry<T> { step: number; bytes: number; snapshot: T; extra: boolean }
/** Snapshots of a run within a byte budget, thinned evenly as it fills, the first and latest kept. */
export class RunRecord<T = Snapshot> {
  constructor(options?: { budget?: number });
  budget: number;
  bytes: number;
  peakBytes: number;
  spacing: number;
  entries: RecordEntry<T>[];
  readonly length: number;
  readonly first: RecordEntry<T> | undefined;
  readonly latest: RecordEntry<T> | undefined;
  steps(): number[];
  lastOnGrid(): RecordEntry<T> | undefined;
  wants(step: number): boolean;
  add(step: number, snapshot: T): boolean;
  thin(): void;
  nearest(step: number): { step: number; snapshot: T } | null;
  usage(): { budget: number; bytes: number; peakBytes: number; spacing: number; length: number; first: number | null; latest: number | null };
}

/** A saved run's files: path -> bytes. */
export type RunFiles = Record<string, Uint8Array>;
/** A curve point as the CLI and the exports write it. */
export interface CurvePoint {
  step: number; loss: number | null; accuracy: number | null; learningRate: number | null;
  testLoss: number | null; testAccuracy: number | null;
}
/** run.json of a saved run. */
export interface RunManifest {
  format: 'gradlab-run'; version: number; step: number; parameters: number;
  network: NetworkSpec; optimizer: OptimizerSpec; data: { name: DatasetName | 'custom'; options: Record<string, unknown> };
  batchSize: number; settings: unknown;
  tensors: { file: string; layer: number; tensor: TensorName; shape: number[] }[];
  optimizerArrays: { file: string; array: string; shape: number[] }[];
  files: string[];
}
export const RUN_FORMAT: 'gradlab-run';
export const RUN_VERSION: number;
/** The files of a saved run of net on data. */
export function runFiles(net: Network, data: Dataset, options?: { batchSize?: number; settings?: unknown; curves?: CurvePoint[] | null }): RunFiles;
/** The checked run.json of a saved run's files. */
export function readRun(files: RunFiles): RunManifest;
/** Makes the saved run's data set and network, continuing exactly; refuses what does not fit, leaking nothing. */
export function loadRun(lab: Lab, files: RunFiles): { net: Network; data: Dataset; manifest: RunManifest };
export const UNZIP_LIMIT: number;
export function zipRun(files: RunFiles): Promise<Uint8Array>;
export function unzipRun(bytes: Uint8Array): Promise<RunFiles>;

export type NpyArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | Int8Array;
/** The .npy (version 1.0) bytes of a typed array with a shape. */
export function encodeNpy(array: NpyArray, shape?: number[]): Uint8Array;
/** The array and shape of .npy bytes. */
export function decodeNpy(bytes: Uint8Array, what?: string): { array: NpyArray; shape: number[] };

export const CSV_LIMITS: { characters: number; rows: number; columns: number; classes: number };
export interface DataCsv {
  dataset: { x: Float32Array; y: Int32Array | Float32Array; inputs: number; classes?: number; outputs?: number };
  rows: number; inputs: number; columns: string[]; label: string; task: 'classification' | 'regression'; classNames: string[] | null;
}
/** Your own data from CSV text; every refusal names the row and column. */
export function parseDataCsv(text: string, options?: { label?: 'last' | 'first' | string | number; task?: 'auto' | 'classification' | 'regression'; header?: boolean | 'auto' }): DataCsv;

export const CURVE_COLUMNS: [string, keyof CurvePoint][];
export const STAT_COLUMNS: string[];
export function toCsv(columns: string[], records: Record<string, unknown>[]): string;
export function fromCsv(text: string): Record<string, number | string | null>[];
export function toJson(value: unknown, indent?: number): string;
export function curvesCsv(points: CurvePoint[]): string;
export function curvesFromCsv(text: string): CurvePoint[];
export function statsRecords(stats: LayerStats[], step: number, layers?: { type: string }[]): Record<string, number | string>[];
export function statsCsv(stats: LayerStats[], step: number, layers?: { type: string }[]): string;
/** A line chart as SVG text from uPlot-style columns [xs, ys1, ...]. */
export function lineChartSvg(data: ArrayLike<number | null>[], options?: {
  width?: number; height?: number; title?: string; series?: { label?: string; color?: string }[]; logY?: boolean; xLabel?: string;
}): string;

/** A depth x time strip: values (layers x steps, row-major) of one quantity; NaN where missing or <= 0. */
export interface Strip { quantity: StripQuantity; steps: number[]; layers: number; values: Float32Array; lo: number | null; hi: number | null }
export type StripQuantity = 'gradientNorm' | 'updateRatio' | 'saturated' | 'dead' | 'activationStd';
export const STRIP_QUANTITIES: Record<StripQuantity, (layer: object) => number | undefined>;
export function depthTimeStrip(entries: { step: number; snapshot: { layers: object[] } }[], quantity: StripQuantity): Strip;
/** The same strip from columns: steps[c] and rows[layer][c] (null or undefined where missing). */
export function stripFromCurves(quantity: StripQuantity, steps: ArrayLike<number>, rows: ArrayLike<number | null | undefined>[]): Strip;
/** 0 (lo) .. 1 (hi) on the strip's log scale, or null. */
export function stripPosition(strip: Strip, value: number): number | null;
/** [r, g, b] of a position 0..1 on the colour ramp. */
export function rampColor(t: number): [number, number, number];
/** The legend's values: powers of ten within [lo, hi]. */
export function stripTicks(strip: Strip): number[];
/** A strip as SVG text, with a legend. */
export function stripSvg(strip: Strip, options?: { width?: number; rowHeight?: number; title?: string }): string;

export class Lab {
  private constructor();
  /** true when the SIMD build is running */
  readonly simd: boolean;
  /** URL of the loaded .wasm */
  readonly wasmUrl: string;
  dataset(name: DatasetName, options?: GeneratedDatasetOptions): Dataset;
  dataset(rows: DatasetRows): Dataset;
  network(spec: NetworkSpec): Network;
  /** The learning rate at steps 0..steps-1 of a schedule. */
  schedule(spec: ScheduleName | ScheduleSpec, steps: number): Float32Array;
  optimize(spec: OptimizeSpec): OptimizeResult;
  surface(name: SurfaceName, options?: { x?: [number, number]; y?: [number, number]; resolution?: number }): SurfaceGrid;
  /** n draws of N(0, 1) from the seeded generator (its data stream) */
  randomNormal(n: number, seed?: number): Float32Array;
  memoryStats(): { wasmBytes: number; liveBytes: number };
  /** the GEMM micro-kernel variant running and how it was chosen (a copy) */
  kernelInfo(): KernelInfo;
  /** Selects the GEMM micro-kernel again after load (any value of LoadOptions.kernel); results are bit-identical whichever runs. */
  useKernel(option: LoadOptions['kernel']): KernelInfo;
  /** One untimed product with the variant at `index` (the engine then optimises it); false for an index the build lacks. */
  warmKernel(index: number): boolean;
}
