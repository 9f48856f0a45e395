// Declarations for web/lib/names.js: the names the API accepts and the argument checks.
// Pure module (no wasm): importable as 'gradlab/names'. See docs/api.md.

export type Activation = 'linear' | 'relu' | 'leaky-relu' | 'tanh' | 'sigmoid' | 'softmax';
export type LossName = 'cross-entropy' | 'binary-cross-entropy' | 'mse';
export type DatasetName = 'circle' | 'xor' | 'blobs' | 'spiral' | 'moons' | 'checkerboard' | 'plane' | 'sine' | 'digits' | 'shapes';
export type LayerType = 'dense' | 'conv' | 'pool' | 'flatten';
export type PoolMode = 'max' | 'average';
export type InitName = 'zeros' | 'constant' | 'normal' | 'uniform' | 'xavier' | 'glorot-normal' | 'glorot-uniform'
  | 'he-normal' | 'he-uniform' | 'lecun-uniform' | 'orthogonal';
/** An init name or one of its aliases ('he' = 'he-normal'). */
export type InitNameOrAlias = InitName | 'he';
export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam' | 'adamw';
export type ScheduleName = 'constant' | 'step' | 'exponential' | 'inverse-time' | 'cosine' | 'sgdr' | 'cyclic';
export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';
export type SurfaceName = 'bowl' | 'saddle' | 'rosenbrock' | 'beale' | 'himmelblau';
export type TensorName = 'weights' | 'biases' | 'preactivations' | 'activations' | 'weightGradients' | 'biasGradients'
  | 'gamma' | 'beta' | 'runningMean' | 'runningVar' | 'dropoutMask';
/** What net.histogram() and net.layerStats() describe. */
export type HistogramTensor = 'weights' | 'biases' | 'preactivations' | 'activations' | 'gradients';
export type DropoutMode = 'inverted' | 'classic';

export const ACTIVATIONS: Activation[];
export const LOSSES: LossName[];
export const DATASETS: DatasetName[];
export const LAYER_TYPES: LayerType[];
export const POOL_MODES: PoolMode[];
export const INITS: InitName[];
export const INIT_ALIASES: { he: 'he-normal' };
export const OPTIMIZERS: OptimizerName[];
export const SCHEDULES: ScheduleName[];
export const CYCLIC_MODES: CyclicMode[];
export const SURFACES: SurfaceName[];
export const TENSORS: TensorName[];
/** The tensor each histogram name reads ('gradients' reads 'weightGradients'). */
export const HISTOGRAM_TENSORS: Record<HistogramTensor, TensorName>;
export const DROPOUT_MODES: DropoutMode[];

export interface SurfaceView {
  /** x range that shows the interesting part */
  x: [number, number];
  y: [number, number];
  /** a start point for races */
  start: [number, number];
  /** the (or one) minimum, null for the saddle */
  minimum: [number, number] | null;
}
export const SURFACE_VIEWS: Record<SurfaceName, SurfaceView>;

/** Default hyper-parameters of each optimiser (PyTorch's documented defaults). */
export const OPTIMIZER_DEFAULTS: {
  sgd: { learningRate: number };
  momentum: { learningRate: number; momentum: number };
  nesterov: { learningRate: number; momentum: number };
  adagrad: { learningRate: number; epsilon: number };
  rmsprop: { learningRate: number; alpha: number; epsilon: number; momentum: number; centered: boolean };
  adam: { learningRate: number; beta1: number; beta2: number; epsilon: number };
  adamw: { learningRate: number; beta1: number; beta2: number; epsilon: number; weightDecay: number };
};

/** Every error gradlab raises on bad input: the message names the argument, the value and what is allowed. */
export class GradlabError extends Error {
  constructor(message: string);
  name: 'GradlabError';
}

/** Throws a GradlabError with this message. */
export function fail(message: string): never;
/** The index of name in list, else a GradlabError naming `what` and the allowed names. */
export function pick<T extends string>(list: readonly T[], name: unknown, what: string): number;
/** value if it is a finite number in [lo, hi]; fallback when value is undefined and a fallback is given. */
export function number(value: unknown, what: string, lo: number, hi: number, fallback?: number): number;
/** value if it is an integer in [lo, hi]; fallback when value is undefined and a fallback is given. */
export function integer(value: unknown, what: string, lo: number, hi: number, fallback?: number): number;
/** value if it is a number (its range is the engine's to check); fallback when value is undefined. */
export function numeric(value: unknown, what: string, fallback?: number): number;
/** value if it is an integer that fits an int32 argument (its range is the engine's); fallback when undefined. */
export function int32(value: unknown, what: string, fallback?: number): number;
/** value if it is a plain object (not null, not an array). */
export function object(value: unknown, what: string): object;
/** Throws if spec has a key not in keys. */
export function known(spec: object, keys: readonly string[], what: string): void;
