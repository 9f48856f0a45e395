// boundary.js: the layout of what crosses into the C engine: the slots of the layer and optimiser
// rows, of a training result and of a layer's statistics, and the few limits JavaScript must know
// before it copies anything into wasm memory. src/gradlab.h defines each of them (the name tables
// are in names.js); tests/js/boundary.test.mjs parses the header and fails when the two differ.
// Ranges and their messages are the engine's: nothing here checks a value.

/** Int32 slots of a layer row (GL_LAYER_INT_SLOTS), named by the spec key each comes from. */
export const LAYER_INT_SLOTS = ['units', 'activation', 'init', 'batchNorm', 'batchNorm.after', 'type', 'kernel',
  'stride', 'padding', 'mode', 'bias'];
export const LAYER_INTS = 12;
/** Float32 slots of a layer row (GL_LAYER_FLOAT_SLOTS). */
export const LAYER_FLOAT_SLOTS = ['slope', 'init.p0', 'init.p1', 'l1Scale', 'l2Scale', 'dropout', 'bias',
  'batchNorm.momentum', 'batchNorm.epsilon'];
export const LAYER_FLOATS = 10;
/** Float32 slots of an optimiser row (GL_OPT_SLOTS); the row is exactly this long. */
export const OPTIMIZER_SLOTS = ['name', 'learningRate', 'momentum', 'alpha', 'epsilon', 'beta1', 'beta2',
  'weightDecay', 'clipNorm', 'l1', 'l2', 'centered', 'schedule.name', 'schedule.stepSize', 'schedule.gamma',
  'schedule.decay', 'schedule.steps', 'schedule.minLearningRate', 'schedule.period', 'schedule.periodMultiplier',
  'schedule.maxLearningRate', 'schedule.mode', 'schedule.warmup'];
/** What gl_network_train writes (GL_TRAIN_RESULT_SLOTS). */
export const TRAIN_SLOTS = ['steps', 'loss', 'accuracy', 'penalty', 'learningRate', 'diverged', 'step'];
/** Where gl_network_stats writes each figure (GL_STATS_POSITIONS): moments take four floats. */
export const STATS_POSITIONS = {
  weights: 0, biases: 4, preactivations: 8, activations: 12, gradients: 16,
  saturated: 20, dead: 21, gradientNorm: 22, updateRatio: 23,
};
export const STATS_SLOTS = 24;
/** What gl_dataset_info (GL_DATASET_INFO_SLOTS), gl_network_info (GL_NETWORK_INFO_SLOTS) and
 * gl_network_optimizer_state (GL_OPT_STATE_SLOTS) write. */
export const DATASET_INFO_SLOTS = ['inputs', 'outputs', 'classes', 'trainSize', 'testSize', 'x', 'y', 'height', 'width', 'channels'];
export const NETWORK_INFO_SLOTS = ['layers', 'parameters', 'step', 'rows', 'stateArrays', 'updates'];
export const OPTIMIZER_STATE_SLOTS = ['pointer', 'count', 'arrays', 'updates', 'kind', 'stride'];
/** Bytes of the engine's error message buffer (GL_ERROR_TEXT). */
export const ERROR_TEXT = 512;
/** Limits checked before arrays are copied or reserved (the GL_LIMIT_* of the same names). */
export const LIMITS = {
  layers: 64, units: 4096, samples: 1000000, dataFloats: 33554432, steps: 10000000, bins: 4096, resolution: 2048,
  raceSteps: 1000000,
};

/** { slot name: index } of a slot list. */
export const slotIndex = (slots) => Object.freeze(Object.fromEntries(slots.map((name, i) => [name, i])));

/** Writes values ({ slot name: number }) into row from offset at; a name without a slot is a bug here. */
export function putSlots(row, at, index, values) {
  for (const [name, value] of Object.entries(values)) {
    const slot = index[name];
    if (slot === undefined) throw new Error(`internal: no slot '${name}' in this row`);
    row[at + slot] = value;
  }
}

/** { slot name: value } of what a call wrote into out (a typed array) in the order of slots. */
export const readSlots = (out, slots) => Object.fromEntries(slots.map((name, i) => [name, out[i]]));
