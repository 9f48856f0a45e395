// protocol.js: every message between a view (the page, the embed) and worker.js, written once.
// Commands go to the worker, events come back; each has a constructor here, and `checkCommand` /
// `checkEvent` say what is wrong with a message that arrives (unknown type, a missing or mistyped
// field) so that neither side acts on a message it does not understand. Pure: no DOM, no engine.
//
// Commands (view → worker)
//   build   { config }                 build a run from runConfig(state) plus { generation, duty }
//   play    { until }                  train on; with a step number, pause exactly there and send its snapshot
//   pause | step                       stop, one step
//   speed   { speed }                  steps per second
//   example { example }                which test image's feature maps the snapshots carry
//   unit    { layer, unit }            one hidden unit's output over the input plane
//   scrub   { step }                   the recorded snapshot nearest to step (time travel; web/lib/record.js)
//   race    { id, surface, x, y, resolution, start, racers: [{ name, learningRate }], learningRate,
//             steps, noise, seed, scalar }   every racer's path (learningRate: the shared rate)
//   ping    { id }                     are you there? (the session's watchdog, web/app/faults.js)
//   duty    { duty }                   the share of a core this worker may take now (session.js cpuShare)
// Events (worker → view); those about a run carry the `generation` of the build they belong to
//   ready    { simd }                  the engine is loaded (which build)
//   built    { generation, inputs, classes, extent, gridSize, layers, train, test, scheduleCurve, image }
//   snapshot { generation, step, status, batchLoss, learningRate, train, test, layers, outputs, weights, conv, divergedAt? }
//   conv     { generation, conv }      feature maps of another test image
//   unit     { layer, unit, values }
//   recorded { generation, step, snapshot, steps, usage }   answers scrub: snapshot is a snapshot event
//            as it was posted at the recorded step nearest to `step` (null before any), steps every
//            recorded step, usage the record's { budget, bytes, peakBytes, spacing, length, first, latest }
//   race     { id, surface, paths: [{ name, learningRate, path, loss }] }
//   error    { generation, message, command }
//   pong     { id }                    answers ping

const isNumber = (v) => typeof v === 'number';
const isNumberOrNull = (v) => v === null || typeof v === 'number';
const isObject = (v) => v !== null && typeof v === 'object';
const isArray = Array.isArray;
const isString = (v) => typeof v === 'string';
const isBool = (v) => typeof v === 'boolean';
const isFloats = (v) => v instanceof Float32Array;
const isOptional = (check) => (v) => v === undefined || check(v);

/** The fields of each message and the test each must pass. */
const COMMANDS = {
  build: { config: isObject },
  play: { until: isOptional(isNumberOrNull) },
  pause: {},
  step: {},
  speed: { speed: isNumber },
  example: { example: isNumber },
  unit: { layer: isNumber, unit: isNumber },
  scrub: { step: isNumber },
  race: {
    id: isNumber, surface: isString, x: isArray, y: isArray, resolution: isNumber, start: isArray,
    racers: (v) => isArray(v) && v.every((r) => isObject(r) && isString(r.name) && isNumberOrNull(r.learningRate)),
    learningRate: isNumber, steps: isNumber, noise: isNumber, seed: isNumber, scalar: isBool,
  },
  ping: { id: isNumber },
  duty: { duty: isNumber },
};

const MOMENTS = (v) => isObject(v) && isNumberOrNull(v.loss) && isNumberOrNull(v.accuracy);

const EVENTS = {
  ready: { simd: isBool },
  built: {
    generation: isNumber, inputs: isNumber, classes: isNumber, extent: isNumber, gridSize: isNumber, layers: isArray,
    train: isObject, test: isObject, scheduleCurve: isFloats, image: (v) => v === null || isObject(v),
  },
  snapshot: {
    generation: isNumber, step: isNumber, status: (v) => v === 'ok' || v === 'diverged', batchLoss: isNumberOrNull,
    learningRate: isNumberOrNull, train: MOMENTS, test: MOMENTS, layers: isArray, outputs: isFloats, weights: isArray,
    conv: (v) => v === null || isObject(v), divergedAt: isOptional(isNumber),
  },
  conv: { generation: isNumber, conv: (v) => v === null || isObject(v) },
  unit: { layer: isNumber, unit: isNumber, values: isFloats },
  recorded: {
    generation: isNumber, step: isNumber, snapshot: (v) => v === null || (isObject(v) && v.type === 'snapshot'),
    steps: (v) => isArray(v) && v.every(isNumber), usage: isObject,
  },
  race: { id: isNumber, surface: isObject, paths: (v) => isArray(v) && v.every((p) => isString(p.name) && isFloats(p.loss) && isFloats(p.path)) },
  error: { generation: isOptional(isNumber), message: isString, command: isOptional(isString) },
  pong: { id: isNumber },
};

function problem(table, kind, msg) {
  if (!isObject(msg)) return `a ${kind} must be an object, not ${JSON.stringify(msg)}`;
  const fields = Object.hasOwn(table, msg.type) ? table[msg.type] : null;
  if (!fields) return `unknown ${kind} '${String(msg.type).slice(0, 40)}'; allowed: ${Object.keys(table).join(', ')}`;
  for (const [name, ok] of Object.entries(fields)) {
    if (!ok(msg[name])) return `${kind} '${msg.type}': field '${name}' is missing or of the wrong type`;
  }
  return '';
}

/** What is wrong with a command a worker received, or ''. */
export const checkCommand = (msg) => problem(COMMANDS, 'command', msg);
/** What is wrong with an event a view received, or ''. */
export const checkEvent = (msg) => problem(EVENTS, 'event', msg);

export const COMMAND_TYPES = Object.keys(COMMANDS);
export const EVENT_TYPES = Object.keys(EVENTS);

// ----- commands -----
export const build = (config) => ({ type: 'build', config });
/** Train until step `until` (null: on and on), then pause and send a snapshot of that step. */
export const play = (until = null) => ({ type: 'play', until });
export const pause = () => ({ type: 'pause' });
export const step = () => ({ type: 'step' });
export const speed = (value) => ({ type: 'speed', speed: value });
export const example = (index) => ({ type: 'example', example: index });
export const unit = (layer, index) => ({ type: 'unit', layer, unit: index });
export const scrub = (at) => ({ type: 'scrub', step: at });
/** A race: `racers` as parseRacers gives them ({ name, learningRate: null for the shared rate }). */
export const race = ({ id, surface, x, y, resolution, start, racers, learningRate, steps, noise, seed, scalar = false }) => ({
  type: 'race', id, surface, x, y, resolution, start, racers: racers.map((r) => ({ name: r.name, learningRate: r.learningRate ?? null })),
  learningRate, steps, noise, seed, scalar,
});

export const ping = (id) => ({ type: 'ping', id });
export const duty = (share) => ({ type: 'duty', duty: share });

// ----- events -----
export const ready = (simd) => ({ type: 'ready', simd });
export const built = (fields) => ({ type: 'built', ...fields });
export const snapshot = (fields) => ({ type: 'snapshot', ...fields });
export const conv = (generation, views) => ({ type: 'conv', generation, conv: views });
export const unitOutput = (layer, index, values) => ({ type: 'unit', layer, unit: index, values });
export const recorded = (generation, at, snapshotEvent, steps, usage) => ({ type: 'recorded', generation, step: at, snapshot: snapshotEvent, steps, usage });
export const raceResult = (id, surface, paths) => ({ type: 'race', id, surface, paths });
export const error = (generation, message, command) => ({ type: 'error', generation, message, command });
export const pong = (id) => ({ type: 'pong', id });
