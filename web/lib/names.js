// names.js: the names the API accepts, in the order of the C name tables of src/gradlab.h (checked
// by tests/js/boundary.test.mjs), and the checks that turn a user's spec into numbers. Pure: no
// wasm, no DOM, so the page's URL parser can use it too.

export const ACTIVATIONS = ['linear', 'relu', 'leaky-relu', 'tanh', 'sigmoid', 'softmax'];
export const LOSSES = ['cross-entropy', 'binary-cross-entropy', 'mse'];
export const DATASETS = ['circle', 'xor', 'blobs', 'spiral', 'moons', 'checkerboard', 'plane', 'sine', 'digits', 'shapes'];
export const LAYER_TYPES = ['dense', 'conv', 'pool', 'flatten'];
export const POOL_MODES = ['max', 'average'];
export const INITS = ['zeros', 'constant', 'normal', 'uniform', 'xavier', 'glorot-normal', 'glorot-uniform',
  'he-normal', 'he-uniform', 'lecun-uniform', 'orthogonal'];
export const INIT_ALIASES = { he: 'he-normal' };
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw'];
export const SCHEDULES = ['constant', 'step', 'exponential', 'inverse-time', 'cosine', 'sgdr', 'cyclic'];
export const CYCLIC_MODES = ['triangular', 'triangular2', 'exp_range'];
/** 2-D surfaces for optimiser races, with a view that shows their interesting part and a start point. */
export const SURFACES = ['bowl', 'saddle', 'rosenbrock', 'beale', 'himmelblau'];
export const SURFACE_VIEWS = {
  bowl: { x: [-2, 2], y: [-1, 1], start: [-1.8, 0.8], minimum: [0, 0] },
  saddle: { x: [-1.5, 1.5], y: [-1.5, 1.5], start: [-1, 0.001], minimum: null },
  rosenbrock: { x: [-2, 2], y: [-1, 3], start: [-1.2, 1], minimum: [1, 1] },
  beale: { x: [-4.5, 4.5], y: [-4.5, 4.5], start: [1, 1.5], minimum: [3, 0.5] },
  himmelblau: { x: [-5, 5], y: [-5, 5], start: [0, 0], minimum: [3, 2] },
};
export const TENSORS = ['weights', 'biases', 'preactivations', 'activations', 'weightGradients', 'biasGradients',
  'gamma', 'beta', 'runningMean', 'runningVar', 'dropoutMask'];
/** What net.histogram() and net.layerStats() describe, and the tensor each reads. */
export const HISTOGRAM_TENSORS = { weights: 'weights', biases: 'biases', preactivations: 'preactivations',
  activations: 'activations', gradients: 'weightGradients' };
export const DROPOUT_MODES = ['inverted', 'classic'];

/** Defaults per optimiser, as PyTorch documents them (learning rates where PyTorch has one). */
export const OPTIMIZER_DEFAULTS = {
  sgd: { learningRate: 0.01 },
  momentum: { learningRate: 0.01, momentum: 0.9 },
  nesterov: { learningRate: 0.01, momentum: 0.9 },
  adagrad: { learningRate: 0.01, epsilon: 1e-10 },
  rmsprop: { learningRate: 0.01, alpha: 0.99, epsilon: 1e-8, momentum: 0, centered: false },
  adam: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  adamw: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 },
};

/** Errors from gradlab: the message names the argument, the value given and what is allowed. */
export class GradlabError extends Error {
  constructor(message) {
    super(message);
    this.name = 'GradlabError';
  }
}

export function fail(message) {
  throw new GradlabError(message);
}

function show(value) {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  try { return JSON.stringify(value); } catch { return String(value); }
}

/** The index of name in list, or an error naming the argument and the allowed names. */
export function pick(list, name, what) {
  const index = typeof name === 'string' ? list.indexOf(name) : -1;
  if (index < 0) fail(`${what} ${show(name)} is not known; allowed: ${list.join(', ')}`);
  return index;
}

/** A finite number in [lo, hi] (or the default when undefined). */
export function number(value, what, lo, hi, fallback) {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
    fail(`${what} ${show(value)} is not allowed; it must be a number from ${lo} to ${hi}`);
  }
  return value;
}

/**
 * A number for the engine, which checks its range and says what is allowed (NaN and infinities pass
 * here and are refused there); the default when undefined.
 */
export function numeric(value, what, fallback) {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') fail(`${what} ${show(value)} is not allowed; it must be a number`);
  return value;
}

/** An integer for the engine's int32 arguments (their range is the engine's); the default when undefined. */
export function int32(value, what, fallback) {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
    fail(`${what} ${show(value)} is not allowed; it must be an integer`);
  }
  return value;
}

/** An integer in [lo, hi] (or the default when undefined). */
export function integer(value, what, lo, hi, fallback) {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!Number.isInteger(value) || value < lo || value > hi) {
    fail(`${what} ${show(value)} is not allowed; it must be an integer from ${lo} to ${hi}`);
  }
  return value;
}

export function object(value, what) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`${what} must be an object, not ${show(value)}`);
  }
  return value;
}

/** Rejects keys that a spec does not know, so typos do not pass silently. */
export function known(spec, keys, what) {
  for (const key of Object.keys(spec)) {
    if (!keys.includes(key)) fail(`${what} has no option '${key}'; allowed: ${keys.join(', ')}`);
  }
}
