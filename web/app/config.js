// config.js: turns the page's state (state.js) into the engine's specs. Pure, shared by the worker
// and the Node tests (which check every lesson's specs against the real engine).
import { OWN_DATA, isImageData, layersProblem, parseLayers } from './state.js';

const REGRESSION = ['plane', 'sine'];
const FIXED_CLASSES = { circle: 2, xor: 2, moons: 2, checkerboard: 2, digits: 10, shapes: 4 };

export const isRegression = (state) => REGRESSION.includes(state.data) || (state.data === OWN_DATA && Boolean(state.own) && !state.own.classes);

/** Your own rows (state.own, set by the page from a CSV), or an error saying how to give them. */
function ownRows(state) {
  if (!state.own) throw new Error(`data '${OWN_DATA}' is your own rows: paste or drop a CSV file under Your data (an address cannot hold them)`);
  return state.own;
}

/** Class labels of the image sets: short symbols for the sample grid, words for captions. */
const CLASS_SYMBOLS = { digits: '0123456789'.split(''), shapes: ['○', '□', '△', '✕'] };
const CLASS_WORDS = { digits: '0123456789'.split(''), shapes: ['circle', 'square', 'triangle', 'cross'] };
export const classSymbols = (data) => CLASS_SYMBOLS[data] ?? [];
export const classWords = (data) => CLASS_WORDS[data] ?? [];

export function datasetSpec(state) {
  if (state.data === OWN_DATA) {
    const { x, y, inputs, classes, outputs } = ownRows(state);
    const options = { x, y, inputs, testFraction: state.test, seed: state.dataSeed || state.seed };
    if (classes) options.classes = classes; else options.outputs = outputs;
    return { name: 'custom', options };
  }
  // the data's own seed when one is set (Regenerate), else the run's seed
  const options = { samples: state.samples, noise: state.noise, testFraction: state.test, seed: state.dataSeed || state.seed };
  if (state.data === 'spiral' || state.data === 'blobs') options.classes = state.classes;
  if (isImageData(state.data)) options.size = state.size;
  return { name: state.data, options };
}

export function classCount(state) {
  if (state.data === OWN_DATA) return ownRows(state).classes ?? 0;
  if (isRegression(state)) return 0;
  return FIXED_CLASSES[state.data] ?? state.classes;
}

/** The loss actually used: 'auto' and choices the data cannot take fall back to the natural one. */
export function lossFor(state) {
  const k = classCount(state);
  if (k === 0) return 'mse';
  if (state.loss === 'binary-cross-entropy' && k === 2) return state.loss;
  if (state.loss === 'mse') return 'mse';
  return 'cross-entropy';
}

function initSpec(name, std) {
  return name === 'normal' ? { name, std } : name;
}

/** The input of the network: [size, size, 1] for images, else the number of coordinates. */
export function inputsFor(state) {
  if (state.data === OWN_DATA) return ownRows(state).inputs;
  if (isImageData(state.data)) return [state.size, state.size, 1];
  return state.data === 'sine' ? 1 : 2;
}

function hiddenLayerSpec(l, state) {
  if (l.type === 'pool') return { type: 'pool', mode: l.mode, size: 2 };
  if (l.type === 'flatten') return { type: 'flatten' };
  const layer = l.type === 'conv'
    ? { type: 'conv', filters: l.filters, kernel: l.kernel, stride: l.stride, padding: l.padding, activation: l.activation }
    : { units: l.units, activation: l.activation };
  if (l.init) layer.init = initSpec(l.init, state.initStd);
  if (l.batchNorm === 'before') layer.batchNorm = true;
  if (l.batchNorm === 'after') layer.batchNorm = { after: true };
  if (l.bias === false) layer.bias = false;
  if (l.dropout > 0) layer.dropout = l.dropout;
  return layer;
}

export function networkSpec(state) {
  const problem = layersProblem(state);
  if (problem) throw new Error(problem);
  const hidden = parseLayers(state.layers);
  const loss = lossFor(state);
  const k = classCount(state);
  const last = loss === 'cross-entropy' ? { units: k, activation: 'softmax' }
    : loss === 'binary-cross-entropy' ? { units: 1, activation: 'sigmoid' }
      : { units: k || 1, activation: k ? 'sigmoid' : 'linear' };
  const layers = hidden.map((l) => hiddenLayerSpec(l, state));
  const spec = { inputs: inputsFor(state), layers: [...layers, last], loss, init: initSpec(state.init, state.initStd), seed: state.seed };
  if (layers.some((l) => l.dropout)) spec.dropoutMode = state.dropoutMode;
  return spec;
}

export function scheduleSpec(state) {
  const lr = state.lr;
  const s = { name: state.sched };
  if (state.sched === 'step') Object.assign(s, { stepSize: state.stepSize, gamma: state.gamma });
  if (state.sched === 'exponential') s.gamma = state.gamma ** (1 / state.stepSize); // gamma per stepSize steps
  if (state.sched === 'inverse-time') s.decay = 1 / state.stepSize;
  if (state.sched === 'cosine') Object.assign(s, { steps: state.decaySteps, minLearningRate: Math.min(state.minLr, lr) });
  if (state.sched === 'sgdr') Object.assign(s, { period: state.period, periodMultiplier: state.mult, minLearningRate: Math.min(state.minLr, lr) });
  if (state.sched === 'cyclic') Object.assign(s, { stepSize: state.stepSize, maxLearningRate: Math.max(state.maxLr || lr * 10, lr) });
  if (state.warmup > 0) s.warmup = state.warmup;
  return s;
}

const HYPER = {
  momentum: ['momentum'], nesterov: ['momentum'], rmsprop: ['alpha'], adam: ['beta1', 'beta2'], adamw: ['beta1', 'beta2'],
};

/** The hyperparameter names (state keys) that optimiser `name` uses besides the learning rate. */
export const optimizerHyper = (name) => HYPER[name] ?? [];

export function optimizerSpec(state) {
  // every key the page sets is always there (weight decay 0 included), so a spec made for a live
  // change (net.tune) replaces each of them
  const spec = {
    name: state.opt, learningRate: state.lr, l1: state.l1, l2: state.l2, clipNorm: state.clip, weightDecay: state.wd, schedule: scheduleSpec(state),
  };
  for (const key of optimizerHyper(state.opt)) spec[key] = state[key];
  return spec;
}

/** Everything a worker needs to build one run. */
export function runConfig(state) {
  return {
    dataset: datasetSpec(state), network: networkSpec(state), optimizer: optimizerSpec(state),
    batchSize: state.batch, speed: state.speed, scalar: state.build === 'scalar', regression: isRegression(state),
    classes: classCount(state), loss: lossFor(state), image: isImageData(state.data),
  };
}
