// replay.js: a gradlab run written down so that another framework can replay it step for step: the
// layers with every setting resolved, the optimiser and schedule as the engine reads them, the initial
// parameters, the data rows, and per step the rows of the minibatch and every dropout mask, read back
// from the engine's views (net.batchRows(), net.dropoutMask(i)) rather than drawn again elsewhere.
// Pure JS over the public API: no Node-only imports, so a worker can run it too.
import { CYCLIC_MODES, OPTIMIZERS, SCHEDULES, fail, integer, known, object } from './names.js';
import { OPTIMIZER_SLOTS, readSlots } from './boundary.js';
import { optimizerRow } from './network.js';

/** Steps a replay may record, and the dropout-mask bits it may hold (32 MiB packed). */
export const REPLAY_LIMITS = { steps: 100000, maskBits: 2 ** 28 };

/** The optimiser spec as the engine reads it (its row, see OPTIMIZER_SLOTS), every default filled in. */
export function optimizerSettings(spec) {
  const r = readSlots(optimizerRow(spec), OPTIMIZER_SLOTS);
  const o = { schedule: {} };
  for (const [slot, value] of Object.entries(r)) {
    if (slot.startsWith('schedule.')) o.schedule[slot.slice('schedule.'.length)] = value;
    else o[slot] = value;
  }
  o.name = OPTIMIZERS[o.name];
  o.centered = o.centered === 1;
  o.schedule.name = SCHEDULES[o.schedule.name];
  o.schedule.mode = CYCLIC_MODES[o.schedule.mode];
  return o;
}

/** Rows and columns of zero padding a convolution adds: [top, bottom, left, right] (src/conv.c's rule). */
function convPadding(layer, input) {
  if (layer.padding !== 'same') return [0, 0, 0, 0];
  const [oh, ow] = layer.shape;
  const th = Math.max(0, (oh - 1) * layer.stride + layer.kernel - input[0]);
  const tw = Math.max(0, (ow - 1) * layer.stride + layer.kernel - input[1]);
  return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
}

/** The network as plain data: its layers with input and output shapes [h, w, c] and convolution padding. */
export function describeNetwork(net) {
  let input = net.inputShape;
  const layers = net.layers.map((layer) => {
    const out = { ...layer, input, output: layer.shape };
    delete out.shape;
    if (layer.type === 'conv') out.pad = convPadding(layer, input);
    input = layer.shape;
    return out;
  });
  return { inputs: net.inputs, inputShape: net.inputShape, loss: net.loss, dropoutMode: net.dropoutMode, seed: net.seed, layers };
}

const PARAMETERS = ['weights', 'biases', 'gamma', 'beta', 'runningMean', 'runningVar'];

/** Copies of every layer's parameters and batch-norm statistics: [{ weights, biases, ... }] (absent ones left out). */
export function parameters(net) {
  return net.layers.map((_, i) => {
    const out = {};
    for (const name of PARAMETERS) {
      const view = net.tensor(i, name);
      if (view.length) out[name] = view.slice();
    }
    return out;
  });
}

function setParameters(net, values) {
  values.forEach((layer, i) => {
    for (const [name, v] of Object.entries(layer)) net.tensor(i, name).set(v);
  });
}

function packBits(mask, into, offset) {
  for (let i = 0; i < mask.length; ++i) {
    if (mask[i] !== 0) into[(offset + i) >> 3] |= 1 << ((offset + i) & 7);
  }
}

/**
 * Trains a twin of `net` (same spec, same current parameters, same optimiser) for `steps` steps and
 * records what a replay needs. The twin's batch order and dropout masks are those of a fresh network
 * with net's seed, so for a network that has not trained yet this is exactly its own run; `net` itself
 * is not changed. Returns { network, optimizer, steps, batchSize, rowsPerStep, data, initial, batches,
 * masks: [{ layer, units, bits }], gradlab: { losses, learningRates, final, evaluation } }.
 */
export function recordRun(net, data, options = {}) {
  object(options, 'options');
  known(options, ['steps', 'batchSize'], 'options');
  const steps = integer(options.steps, 'steps', 1, REPLAY_LIMITS.steps, 100);
  const batchSize = integer(options.batchSize, 'batchSize', 0, 65536, 0);
  const full = batchSize === 0 || batchSize >= data.trainSize;
  const rowsPerStep = full ? data.trainSize : batchSize;
  const dropped = net.layers.map((l, i) => ({ layer: i, units: l.shape[0] * l.shape[1] * l.shape[2], p: l.dropout }))
    .filter((l) => l.p > 0);
  const bits = steps * rowsPerStep * dropped.reduce((s, l) => s + l.units, 0);
  if (bits > REPLAY_LIMITS.maskBits) {
    fail(`steps ${steps}: the dropout masks of ${steps} steps of ${rowsPerStep} rows would take ${Math.ceil(bits / 8 / 2 ** 20)} MiB; ` +
      `the limit is ${REPLAY_LIMITS.maskBits / 8 / 2 ** 20} MiB, so use at most ${Math.floor(steps * REPLAY_LIMITS.maskBits / bits)} steps (or a smaller batchSize)`);
  }
  const twin = new net.constructor(net.core, net.spec);
  try {
    setParameters(twin, parameters(net));
    twin.setOptimizer(net.optimizer);
    const initial = parameters(twin);
    const rows = (split) => { const r = data.rows(split); return { x: r.x.slice(), y: r.y.slice(), count: r.count }; };
    const recorded = {
      network: describeNetwork(twin), optimizer: optimizerSettings(net.optimizer), optimizerSpec: net.optimizer,
      steps, batchSize, rowsPerStep,
      data: { name: data.name, inputs: data.inputs, outputs: data.outputs, classes: data.classes, shape: data.shape, train: rows('train'), test: rows('test') },
      initial,
      batches: full ? null : new Int32Array(steps * rowsPerStep),
      masks: dropped.map((l) => ({ layer: l.layer, units: l.units, bits: new Uint8Array(Math.ceil(steps * rowsPerStep * l.units / 8)) })),
    };
    const losses = new Float64Array(steps), learningRates = new Float64Array(steps);
    for (let s = 0; s < steps; ++s) {
      const r = twin.train(data, { steps: 1, batchSize });
      if (r.status !== 'ok') fail(`steps ${steps}: the run diverged at step ${s + 1}; record at most ${s} steps or lower the learning rate`);
      losses[s] = r.loss;
      learningRates[s] = r.learningRate;
      if (!full) recorded.batches.set(twin.batchRows(), s * rowsPerStep);
      for (const m of recorded.masks) packBits(twin.dropoutMask(m.layer), m.bits, s * rowsPerStep * m.units);
    }
    const evaluation = { train: twin.evaluate(data, 'train'), test: data.testSize ? twin.evaluate(data, 'test') : null };
    recorded.gradlab = { losses, learningRates, final: parameters(twin), evaluation };
    return recorded;
  } finally {
    twin.dispose();
  }
}
