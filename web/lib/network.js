// network.js: a network in wasm memory, its training calls and in-place views of its tensors.
// Specs become the engine's rows here (names, types, defaults); the engine checks every range.
import {
  ACTIVATIONS, CYCLIC_MODES, DROPOUT_MODES, HISTOGRAM_TENSORS, INITS, LAYER_TYPES, POOL_MODES, INIT_ALIASES, LOSSES, OPTIMIZERS, OPTIMIZER_DEFAULTS, SCHEDULES, TENSORS,
  fail, int32, integer, known, number, numeric, object, pick,
} from './names.js';
import {
  LAYER_FLOATS, LAYER_FLOAT_SLOTS, LAYER_INTS, LAYER_INT_SLOTS, LIMITS, OPTIMIZER_SLOTS, STATS_POSITIONS, STATS_SLOTS,
  TRAIN_SLOTS, NETWORK_INFO_SLOTS, OPTIMIZER_STATE_SLOTS, putSlots, readSlots, slotIndex,
} from './boundary.js';
import { Dataset } from './dataset.js';
import { RunRecord } from './record.js';
import { takeSnapshot } from './snapshot.js';
import { findLearningRate, lossLandscape, recordTrajectory, sharpness, trajectoryInfo } from './instruments.js';
import { pytorchScript } from './pytorch.js'; // pytorch.js reads networks only through their methods

const LI = slotIndex(LAYER_INT_SLOTS);
const LF = slotIndex(LAYER_FLOAT_SLOTS);
const OPT = slotIndex(OPTIMIZER_SLOTS);
const NETWORK_KEYS = ['inputs', 'layers', 'loss', 'init', 'seed', 'dropoutMode'];
const LAYER_KEYS = {
  dense: ['type', 'units', 'activation', 'init', 'slope', 'bias', 'l1Scale', 'l2Scale', 'batchNorm', 'dropout'],
  conv: ['type', 'filters', 'kernel', 'stride', 'padding', 'activation', 'init', 'slope', 'bias', 'l1Scale', 'l2Scale', 'batchNorm', 'dropout'],
  pool: ['type', 'mode', 'size', 'dropout'],
  flatten: ['type'],
};
const BATCHNORM_KEYS = ['after', 'momentum', 'epsilon'];
const INIT_KEYS = ['name', 'std', 'value', 'a', 'b', 'gain'];

/** An init spec (a name, or { name, std | value | a, b | gain }) as [kind, p0, p1]. */
export function parseInit(spec, what) {
  const s = typeof spec === 'string' ? { name: spec } : object(spec, what);
  known(s, INIT_KEYS, what);
  const name = INIT_ALIASES[s.name] ?? s.name;
  const kind = pick(INITS, name, `${what} name`);
  switch (name) {
    case 'constant': return [kind, numeric(s.value, `${what}.value`, 0), 0];
    case 'normal': return [kind, numeric(s.std, `${what}.std`, 0.01), 0];
    case 'uniform': return [kind, numeric(s.a, `${what}.a`, -0.05), numeric(s.b, `${what}.b`, 0.05)];
    case 'orthogonal': return [kind, numeric(s.gain, `${what}.gain`, 1), 0];
    default: return [kind, 0, 0];
  }
}

function defaultLastActivation(loss) {
  return { 'cross-entropy': 'softmax', 'binary-cross-entropy': 'sigmoid', mse: 'linear' }[loss];
}

function parseNetwork(spec) {
  object(spec, 'network');
  known(spec, NETWORK_KEYS, 'network');
  let shape = null;
  if (Array.isArray(spec.inputs)) {
    if (spec.inputs.length !== 3) fail('inputs must be a number or a shape [height, width, channels]');
    shape = spec.inputs.map((v, i) => int32(v, `inputs[${i}]`));
  }
  const inputs = shape ? shape[0] * shape[1] * shape[2] : int32(spec.inputs, 'inputs');
  if (!Number.isSafeInteger(inputs) || Math.abs(inputs) > 2147483647) fail(`inputs [${shape}] holds ${inputs} values; it is far too many`);
  if (!Array.isArray(spec.layers) || spec.layers.length < 1 || spec.layers.length > LIMITS.layers) {
    fail(`layers must be an array of 1 to ${LIMITS.layers} layer specs such as { units: 10, activation: 'relu' }`);
  }
  const lastSpec = spec.layers[spec.layers.length - 1] ?? {};
  const lossName = spec.loss ?? ({ softmax: 'cross-entropy', sigmoid: 'binary-cross-entropy' }[lastSpec.activation] ?? 'mse');
  const loss = pick(LOSSES, lossName, 'loss');
  const netInit = parseInit(spec.init ?? 'xavier', 'init');
  const ints = new Int32Array(spec.layers.length * LAYER_INTS);
  const floats = new Float32Array(spec.layers.length * LAYER_FLOATS);
  const layers = spec.layers.map((layer, i) => {
    const what = `layers[${i}]`;
    object(layer, what);
    const typeName = layer.type ?? 'dense';
    const type = pick(LAYER_TYPES, typeName, `${what}.type`);
    known(layer, LAYER_KEYS[typeName], `${what} (${typeName})`);
    const last = i === spec.layers.length - 1;
    const plain = typeName === 'pool' || typeName === 'flatten';
    const conv = typeName === 'conv';
    const units = conv ? int32(layer.filters, `${what}.filters`) : plain ? 1 : int32(layer.units, `${what}.units`);
    const activation = plain ? 'linear' : layer.activation ?? (last ? defaultLastActivation(lossName) : 'relu');
    if (typeName === 'pool') integer(layer.size, `${what}.size`, 2, 2, 2);
    const [initKind, p0, p1] = layer.init === undefined ? netInit : parseInit(layer.init, `${what}.init`);
    const bn = parseBatchNorm(layer.batchNorm, `${what}.batchNorm`);
    const dropout = numeric(layer.dropout, `${what}.dropout`, 0);
    const bias = plain ? false : parseBias(layer.bias, bn, `${what}.bias`);
    const kernel = conv ? int32(layer.kernel, `${what}.kernel`, 3) : 0;
    const stride = conv ? int32(layer.stride, `${what}.stride`, 1) : 0;
    const padding = conv ? pick(['valid', 'same'], layer.padding ?? 'same', `${what}.padding`) : 0;
    const mode = typeName === 'pool' ? pick(POOL_MODES, layer.mode ?? 'max', `${what}.mode`) : 0;
    const slope = numeric(layer.slope, `${what}.slope`, 0.01);
    const l1Scale = numeric(layer.l1Scale, `${what}.l1Scale`, 1), l2Scale = numeric(layer.l2Scale, `${what}.l2Scale`, 1);
    putSlots(ints, i * LAYER_INTS, LI, {
      units, activation: pick(ACTIVATIONS, activation, `${what}.activation`), init: initKind, type,
      batchNorm: bn ? 1 : 0, 'batchNorm.after': bn?.after ? 1 : 0, bias: plain || bias !== false ? 0 : 1,
      kernel, stride, padding, mode,
    });
    putSlots(floats, i * LAYER_FLOATS, LF, {
      slope, 'init.p0': p0, 'init.p1': p1, l1Scale, l2Scale,
      dropout, bias: bias === false ? 0 : bias,
      'batchNorm.momentum': bn?.momentum ?? 0.1, 'batchNorm.epsilon': bn?.epsilon ?? 1e-5,
    });
    // every setting resolved (defaults filled in), for readers such as the PyTorch export
    return { type: typeName, units: plain ? null : units, activation, batchNorm: bn, dropout, kernel, bias: bias !== false,
      stride, padding: padding ? 'same' : 'valid', mode: POOL_MODES[mode], slope, l1Scale, l2Scale };
  });
  const seed = integer(spec.seed, 'seed', 0, 0xffffffff, 1);
  const dropoutMode = pick(DROPOUT_MODES, spec.dropoutMode ?? 'inverted', 'dropoutMode');
  return { inputs, shape, loss, lossName, layers, ints, floats, seed, dropoutMode };
}

/**
 * A dense or conv layer's bias: false (none), or the biases' starting value. By default a layer whose
 * batch norm comes before its activation has none (the normalisation subtracts any bias again, so it
 * would only learn rounding noise, which adaptive optimisers blow up); every other layer starts at 0.
 */
function parseBias(spec, bn, what) {
  if (spec === false) return false;
  if (spec === undefined) return bn && !bn.after ? false : 0;
  if (spec === true) return 0;
  if (typeof spec !== 'number') fail(`${what} ${JSON.stringify(spec)} is not allowed; it must be false (no bias) or a number (where the biases start)`);
  return spec;
}

/** false, or { after, momentum, epsilon } from true | { after, momentum, epsilon } */
function parseBatchNorm(spec, what) {
  if (spec === undefined || spec === false) return false;
  const s = spec === true ? {} : object(spec, what);
  known(s, BATCHNORM_KEYS, what);
  return { after: !!s.after, momentum: numeric(s.momentum, `${what}.momentum`, 0.1), epsilon: numeric(s.epsilon, `${what}.epsilon`, 1e-5) };
}

const SCHEDULE_KEYS = {
  constant: [], step: ['stepSize', 'gamma'], exponential: ['gamma'], 'inverse-time': ['decay'],
  cosine: ['steps', 'minLearningRate'], sgdr: ['period', 'periodMultiplier', 'minLearningRate'],
  cyclic: ['maxLearningRate', 'stepSize', 'mode', 'gamma'],
};

/** An optimiser spec as the row gl_network_set_optimizer reads (see src/gradlab.h). */
export function optimizerRow(spec) {
  object(spec, 'optimizer');
  const name = spec.name ?? 'sgd';
  const kind = pick(OPTIMIZERS, name, 'optimizer name');
  const d = OPTIMIZER_DEFAULTS[name];
  known(spec, ['name', 'schedule', 'weightDecay', 'clipNorm', 'l1', 'l2', ...Object.keys(d)], `optimizer '${name}'`);
  const o = { ...d, ...spec };
  const row = new Float32Array(OPTIMIZER_SLOTS.length);
  const fallback = { momentum: 0, alpha: 0.99, epsilon: 1e-8, beta1: 0.9, beta2: 0.999, weightDecay: 0, clipNorm: 0, l1: 0, l2: 0 };
  putSlots(row, 0, OPT, { name: kind, learningRate: numeric(o.learningRate, 'learningRate'), centered: o.centered ? 1 : 0 });
  for (const [key, value] of Object.entries(fallback)) putSlots(row, 0, OPT, { [key]: numeric(o[key], key, value) });
  if (o.schedule !== undefined) scheduleInto(row, o.schedule, row[OPT.learningRate]);
  return row;
}

function scheduleInto(row, spec, lr) {
  const s = typeof spec === 'string' ? { name: spec } : object(spec, 'schedule');
  const name = s.name ?? 'constant';
  const kind = pick(SCHEDULES, name, 'schedule name');
  known(s, ['name', 'warmup', 'learningRate', ...SCHEDULE_KEYS[name]], `schedule '${name}'`);
  const gamma = name === 'exponential' || name === 'cyclic' ? 0.999 : 0.5;
  const fallback = { stepSize: 100, gamma, decay: 0.01, steps: 1000, minLearningRate: 0, period: 100, periodMultiplier: 1,
    maxLearningRate: lr * 10, warmup: 0 };
  putSlots(row, 0, OPT, { 'schedule.name': kind, 'schedule.mode': s.mode === undefined ? 0 : pick(CYCLIC_MODES, s.mode, 'schedule.mode') });
  for (const [key, value] of Object.entries(fallback)) putSlots(row, 0, OPT, { [`schedule.${key}`]: numeric(s[key], `schedule.${key}`, value) });
}

/** The learning rate at steps 0..steps-1 of a schedule spec (learningRate: the base rate, default 1). */
export function scheduleCurve(core, spec, steps) {
  const s = typeof spec === 'string' ? { name: spec } : object(spec, 'schedule');
  const lr = numeric(s.learningRate, 'learningRate', 1);
  const n = integer(steps, 'steps', 0, LIMITS.steps); // before its curve is reserved
  const row = optimizerRow({ name: 'sgd', learningRate: lr });
  scheduleInto(row, s, lr);
  return core.scoped((take) => {
    const out = take(n * 4);
    core.call('gl_schedule_curve', take(row), n, out);
    return core.f32(out, n).slice();
  });
}

export class Network {
  constructor(core, spec) {
    const p = parseNetwork(spec);
    this.core = core;
    /** the spec this network was made from, as plain JSON (a saved run rebuilds the network from it; toPyTorch makes a twin from it) */
    this.spec = JSON.parse(JSON.stringify(spec));
    this.inputs = p.inputs;
    this.inputShape = p.shape ?? [1, 1, p.inputs];
    this.loss = p.lossName;
    this.layers = p.layers;
    this.outputs = p.layers[p.layers.length - 1].units;
    this.seed = p.seed;
    this.dropoutMode = DROPOUT_MODES[p.dropoutMode];
    this.handle = core.scoped((take) => core.call('gl_network_make', p.inputs, p.shape ? take(new Int32Array(p.shape)) : 0,
      p.layers.length, take(p.ints), take(p.floats), p.loss, p.dropoutMode, p.seed));
    // each layer's output shape [height, width, channels], as the engine computed it
    this.layers.forEach((layer, i) => {
      core.call('gl_network_shape', this.handle, i, core.outIntsPtr);
      layer.shape = Array.from(core.outInts.subarray(0, 3));
    });
    /** the last setOptimizer/tune spec (with its name) as plain JSON: the one record of the optimiser in use */
    this.optimizerSpec = { name: 'sgd' };
  }

  /** the optimiser in use with its defaults filled in, read from optimizerSpec (a fresh copy on each read) */
  get optimizer() {
    const spec = structuredClone(this.optimizerSpec);
    return { ...OPTIMIZER_DEFAULTS[spec.name], ...spec };
  }

  live() {
    if (!this.handle) fail('this network was disposed and cannot be used again');
    return this.handle;
  }

  /** Sets the optimiser, its penalties and schedule; its state starts afresh, the weights stay. */
  setOptimizer(spec) {
    const row = optimizerRow(spec);
    const core = this.core;
    core.scoped((take) => core.call('gl_network_set_optimizer', this.live(), take(row)));
    this.optimizerSpec = JSON.parse(JSON.stringify({ name: 'sgd', ...spec, name: spec.name ?? 'sgd' }));
    return this;
  }

  /**
   * New settings for the optimiser in use from the next step on, keeping its state (velocity, Adam's
   * moments, the updates counted and so the place in the schedule), as editing a PyTorch param_group
   * does: `patch` holds the keys to change (learningRate, momentum, l1, l2, weightDecay, clipNorm, a
   * new schedule, ...); the rest stay as set. Another name, or switching rmsprop's momentum or
   * centered on or off, is refused: setOptimizer starts a new optimiser afresh.
   */
  tune(patch) {
    object(patch, 'tune');
    // another name goes to the engine on its own (the old one's keys would not fit it), to be refused there
    const renamed = patch.name !== undefined && patch.name !== this.optimizerSpec.name;
    const spec = renamed ? { ...patch } : { ...this.optimizerSpec, ...patch, name: this.optimizerSpec.name };
    const row = optimizerRow(spec);
    const core = this.core;
    core.scoped((take) => core.call('gl_network_tune_optimizer', this.live(), take(row)));
    this.optimizerSpec = JSON.parse(JSON.stringify(spec));
    return this;
  }

  /**
   * Runs options.steps minibatch steps inside wasm. batchSize 0 (default) = the whole training split.
   * Returns the last step's { step, steps, loss, accuracy, penalty, learningRate, status }; step is
   * the number of steps the network has taken. status is 'diverged' when a loss, penalty or gradient
   * stopped being finite (or an update overflowed a weight): training stopped there and the update
   * that led there was undone, so the weights are those of the last finite loss and step counts
   * only the steps kept. Lower the learning rate (setOptimizer) and train on.
   */
  train(data, options = {}) {
    object(options, 'train options');
    known(options, ['steps', 'batchSize'], 'train options');
    const steps = int32(options.steps, 'steps', 1);
    const batch = int32(options.batchSize, 'batchSize', 0);
    const core = this.core;
    core.call('gl_network_train', this.live(), liveData(core, data), steps, batch, core.outFloatsPtr);
    const r = readSlots(core.outFloats, TRAIN_SLOTS);
    if (this.record?.wants(r.step)) this.record.add(r.step, takeSnapshot(this, data, this.recordOptions));
    return {
      step: r.step,
      steps: r.steps,
      loss: r.loss,
      accuracy: r.accuracy < 0 ? null : r.accuracy,
      penalty: r.penalty,
      learningRate: r.diverged ? this.learningRate : r.learningRate,
      status: r.diverged ? 'diverged' : 'ok',
    };
  }

  /** { loss, accuracy } over the 'train' or 'test' split (accuracy null for regression). */
  evaluate(data, split = 'train') {
    const which = split === 'train' ? 0 : split === 'test' ? 1 : fail(`split '${split}' is not known; allowed: train, test`);
    const core = this.core;
    core.call('gl_network_evaluate', this.live(), liveData(core, data), which, core.outFloatsPtr);
    const [loss, accuracy] = core.outFloats;
    return { loss, accuracy: accuracy < 0 ? null : accuracy };
  }

  /** Outputs (rows x outputs) for a Float32Array of rows x inputs, as a new Float32Array. */
  predict(x, rows) {
    const n = checkRows(x, rows, this.inputs);
    const core = this.core;
    return core.scoped((take) => {
      const out = take(n * this.outputs * 4);
      core.call('gl_network_predict', this.live(), take(x), n, out);
      return core.f32(out, n * this.outputs).slice();
    });
  }

  /** A forward pass only, filling activations(i) for inspection; options.training selects batch mode. */
  forward(x, rows, options = {}) {
    object(options, 'forward options');
    known(options, ['training'], 'forward options');
    const n = checkRows(x, rows, this.inputs);
    const core = this.core;
    core.scoped((take) => core.call('gl_network_forward', this.live(), take(x), n, options.training ? 1 : 0));
    return this;
  }

  /**
   * A view of tensor `name` of layer i (see TENSORS); fresh each call, so valid until memory grows.
   * Empty when the layer has no such tensor (gamma of a layer without batch norm) or nothing ran yet.
   */
  tensor(i, name) {
    const what = pick(TENSORS, name, 'tensor');
    const layer = integer(i, 'layer', 0, this.layers.length - 1);
    const core = this.core;
    core.call('gl_network_tensor', this.live(), layer, what, core.outIntsPtr);
    const [ptr, length] = core.outInts;
    return core.f32(ptr, length);
  }

  weights(i) { return this.tensor(i, 'weights'); }
  biases(i) { return this.tensor(i, 'biases'); }
  preactivations(i) { return this.tensor(i, 'preactivations'); }
  activations(i) { return this.tensor(i, 'activations'); }
  gradients(i) { return this.tensor(i, 'weightGradients'); }
  biasGradients(i) { return this.tensor(i, 'biasGradients'); }
  /**
   * A convolution's filters: { weights: view (k*k*channels x filters, row-major: kernel row, kernel column,
   * input channel, then filter), kernel, channels, filters }.
   */
  filters(i) {
    const layer = this.layers[integer(i, 'layer', 0, this.layers.length - 1)];
    if (layer.type !== 'conv') fail(`layer ${i} is a ${layer.type} layer; filters() needs a conv layer`);
    const weights = this.weights(i), filters = layer.shape[2];
    return { weights, kernel: layer.kernel, channels: weights.length / (layer.kernel * layer.kernel * filters), filters };
  }

  /** One example's outputs of a layer from the last pass: { values: view (h x w x c), shape: [h, w, c] }. */
  featureMaps(i, example = 0) {
    const layer = this.layers[integer(i, 'layer', 0, this.layers.length - 1)];
    const rows = this.info().rows;
    const n = integer(example, 'example', 0, Math.max(0, rows - 1));
    if (!rows) fail('featureMaps() needs a forward pass or a training step first');
    const size = layer.shape[0] * layer.shape[1] * layer.shape[2];
    return { values: this.activations(i).subarray(n * size, (n + 1) * size), shape: layer.shape };
  }

  /** Batch norm's learnable scale and shift, and its running averages (empty without batch norm). */
  gamma(i) { return this.tensor(i, 'gamma'); }
  beta(i) { return this.tensor(i, 'beta'); }
  runningMean(i) { return this.tensor(i, 'runningMean'); }
  runningVar(i) { return this.tensor(i, 'runningVar'); }
  /** The mask (1 kept, 0 dropped) of the last training pass, rows x units (empty without dropout). */
  dropoutMask(i) { return this.tensor(i, 'dropoutMask'); }
  /** A self-contained PyTorch script that replays options.steps steps of this network's training (web/lib/pytorch.js). */
  toPyTorch(data, options) { return pytorchScript(this, data, options); }
  /** The training rows of the last minibatch step, in batch order (an Int32Array view; empty after a full batch). */
  batchRows() {
    const core = this.core;
    core.call('gl_network_batch', this.live(), core.outIntsPtr);
    const [ptr, count] = core.outInts;
    return core.i32(ptr, count);
  }

  /**
   * Per layer: { weights, biases, preactivations, activations, gradients } each { mean, std, min, max }
   * (activations and pre-activations of the last pass, gradients of the last step), saturated (share of
   * tanh outputs with |a| > 0.99, sigmoid outputs < 0.01 or > 0.99), dead (share of ReLU units that are
   * 0 for every row of the last pass), gradientNorm (L2 norm of the weight gradient), updateRatio
   * (|dW| / |W| of the last step), and runningMean, runningVar copies for batch-norm layers.
   */
  layerStats() {
    const core = this.core;
    const handle = this.live();
    return this.layers.map((layer, i) => {
      core.call('gl_network_stats', handle, i, core.outFloatsPtr);
      const f = core.outFloats.slice(0, STATS_SLOTS);
      const P = STATS_POSITIONS;
      const m = (at) => ({ mean: f[at], std: f[at + 1], min: f[at + 2], max: f[at + 3] });
      const stats = {
        weights: m(P.weights), biases: m(P.biases), preactivations: m(P.preactivations), activations: m(P.activations),
        gradients: m(P.gradients), saturated: f[P.saturated], dead: f[P.dead], gradientNorm: f[P.gradientNorm],
        updateRatio: f[P.updateRatio],
      };
      if (layer.batchNorm) {
        stats.runningMean = this.runningMean(i).slice();
        stats.runningVar = this.runningVar(i).slice();
      }
      return stats;
    });
  }

  /**
   * A histogram of one layer's 'weights' | 'biases' | 'preactivations' | 'activations' | 'gradients':
   * { counts: Uint32Array(bins), edges: Float32Array(bins + 1) }; the range is the data's own unless
   * min and max are given (values outside go to the end bins).
   */
  histogram(i, what, options = {}) {
    object(options, 'histogram options');
    known(options, ['bins', 'min', 'max'], 'histogram options');
    const tensorName = HISTOGRAM_TENSORS[what] ?? fail(`histogram of '${what}' is not known; allowed: ${Object.keys(HISTOGRAM_TENSORS).join(', ')}`);
    const layer = integer(i, 'layer', 0, this.layers.length - 1);
    const bins = integer(options.bins, 'bins', 1, LIMITS.bins, 30); // before its counts are reserved
    const automatic = options.min === undefined && options.max === undefined;
    const lo = automatic ? 0 : number(options.min, 'min', -1e30, 1e30);
    const hi = automatic ? 0 : number(options.max, 'max', -1e30, 1e30);
    if (!automatic && !(lo < hi)) fail(`histogram min ${lo} must be below max ${hi}`);
    const core = this.core;
    return core.scoped((take) => {
      const counts = take(bins * 4), edges = take((bins + 1) * 4);
      core.call('gl_network_histogram', this.live(), layer, TENSORS.indexOf(tensorName), bins, lo, hi,
        automatic ? 1 : 0, counts, edges);
      return { counts: new Uint32Array(core.memory.buffer, counts, bins).slice(), edges: core.f32(edges, bins + 1).slice() };
    });
  }

  /**
   * The optimiser's state as views laid out like the parameters (one entry per parameter, layer by
   * layer: W then b): momentum/nesterov { velocity }, adagrad { sum }, rmsprop { squareAverage,
   * momentumBuffer?, gradientAverage? }, adam/adamw { m, v }; plus { name, updates }.
   */
  optimizerState() {
    const core = this.core;
    core.call('gl_network_optimizer_state', this.live(), core.outIntsPtr);
    const { pointer: ptr, count, arrays, updates, kind, stride } = readSlots(core.outInts, OPTIMIZER_STATE_SLOTS);
    const name = OPTIMIZERS[kind];
    const names = {
      momentum: ['velocity'], nesterov: ['velocity'], adagrad: ['sum'], adam: ['m', 'v'], adamw: ['m', 'v'],
      rmsprop: ['squareAverage', ...(this.optimizer.momentum > 0 ? ['momentumBuffer'] : []),
        ...(this.optimizer.centered ? ['gradientAverage'] : [])],
    }[name] ?? [];
    const state = { name, updates };
    names.slice(0, arrays).forEach((key, i) => { state[key] = core.f32(ptr + i * stride * 4, count); });
    return state;
  }

  /** { layers, parameters, step, rows, learningRate }: counters of the network. */
  info() {
    const core = this.core;
    core.call('gl_network_info', this.live(), core.outIntsPtr, core.outFloatsPtr);
    return { ...readSlots(core.outInts, NETWORK_INFO_SLOTS), learningRate: core.outFloats[0] };
  }

  get step() { return this.info().step; }
  get learningRate() { return this.info().learningRate; }

  /**
   * Starts keeping a record of this network's training for time travel: after each train() call whose
   * step is due, a snapshot (web/lib/snapshot.js: statistics and histograms of every layer, weights,
   * filters, outputs over options.grid) goes into a RunRecord (web/lib/record.js) of options.budget
   * bytes (default 16 MiB), thinned evenly as it fills. Train in slices for a finer record. Given
   * options.data, the present step is recorded at once (the start of the run, before any training).
   */
  keepHistory(options = {}) {
    object(options, 'history options');
    known(options, ['budget', 'bins', 'probeRows', 'grid', 'diagram', 'data'], 'history options');
    const { budget, data, ...snapshot } = options;
    this.record = new RunRecord({ budget });
    this.recordOptions = snapshot;
    if (data !== undefined) this.record.add(this.step, takeSnapshot(this, data, snapshot));
    return this.record;
  }

  /** The record started by keepHistory() (null before): record.nearest(step), record.steps(), record.usage(). */
  history() { return this.record ?? null; }

  /**
   * The engine's training state as bytes (a copy): weights, batch-norm statistics, optimiser state,
   * step counts, the batch-order and dropout streams. See web/lib/runfile.js for a whole saved run.
   */
  saveState() {
    const core = this.core;
    core.call('gl_network_state_size', this.live(), core.outIntsPtr);
    const bytes = core.outInts[0];
    return core.scoped((take) => {
      const out = take(bytes);
      core.call('gl_network_state_save', this.handle, out, bytes);
      return new Uint8Array(core.memory.buffer, out, bytes).slice();
    });
  }

  /**
   * Loads bytes from saveState() of a network made from the same spec, with the same optimiser set
   * (setOptimizer first), for training on the same data set: the next step then equals the saved
   * network's next step bit for bit. Bytes that do not fit are refused (GradlabError saying what does
   * not match) and the network is left as it was.
   */
  loadState(data, bytes) {
    if (!(bytes instanceof Uint8Array)) fail('the run state must be a Uint8Array (from saveState())');
    const core = this.core;
    core.scoped((take) => core.call('gl_network_state_load', this.live(), liveData(core, data), take(bytes), bytes.length));
    return this;
  }
  /** The loss on a plane through the current weights: see instruments.js and docs/api.md. */
  lossLandscape(data, options) { return lossLandscape(this, data, options); }
  /** The largest eigenvalue of the training loss's Hessian, beside 2/η. */
  sharpness(data, options) { return sharpness(this, data, options); }
  /** The learning-rate range test; the network is put back as it was. */
  findLearningRate(data, options) { return findLearningRate(this, data, options); }
  /** Starts (or with { capacity: 0 } stops) a record of the weights during training. */
  recordTrajectory(options) { return recordTrajectory(this, options); }
  /** The record's { capacity, interval, start, steps }. */
  trajectory() { return trajectoryInfo(this); }

  dispose() {
    if (!this.handle) return;
    this.core.call('gl_network_dispose', this.handle);
    this.handle = 0;
  }
}

export function liveData(core, data) {
  // handles are numbers in per-module tables: a network, or a data set of another module, would pass
  // as some other live data set, so only this module's data sets are taken
  if (!(data instanceof Dataset) || data.core !== core) fail('data must be a data set made by lab.dataset() of the same lab');
  return data.live();
}

function checkRows(x, rows, inputs) {
  if (!(x instanceof Float32Array)) fail('x must be a Float32Array of rows x inputs values');
  const n = integer(rows ?? x.length / inputs, 'rows', 1, LIMITS.samples); // before the output is reserved
  if (x.length < n * inputs) fail(`x has ${x.length} values; ${n} rows of ${inputs} inputs need ${n * inputs}`);
  return n;
}
