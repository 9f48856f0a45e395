// protocol.js: every message between a view (the page, the embed) and worker.js, written once.
// Commands go to the worker, events come back; each has a constructor here, and `checkCommand` /
// `checkEvent` say what is wrong with a message that arrives (unknown type, a missing or mistyped
// field) so that neither side acts on a message it does not understand. Pure: no DOM, no engine.
//
// Commands (view → worker)
//   build   { config }                 build a run from runConfig(state) plus { generation, duty, watch, kernel } (watch: as the watch
//                                      command; kernel: the engine's loadGradlab kernel option, absent once it has one: kernel-share.js)
//   kernel  { kernel }                 run the GEMM micro-kernel another worker's engine chose (a ready event's kernel),
//                                      or 'auto': time them now (lab.useKernel); a ready event follows
//   play    { until }                  train on; with a step number, pause exactly there and send its snapshot
//   pause                              stop
//   step    { count }                  stop, then `count` steps (presses the view took together), one snapshot
//   speed   { speed }                  steps per second
//   example { example }                which test image's feature maps the snapshots carry
//   unit    { layer, unit }            one hidden unit's output over the input plane
//   scrub   { step }                   the recorded snapshot nearest to step (time travel; web/lib/record.js)
//   tune    { optimizer, id }          the run's optimiser spec with live changes (state.js LIVE_KEYS), from
//                                      the next step on, keeping the weights and the optimiser's state
//   race    { id, surface, x, y, resolution, start, racers: [{ name, learningRate }], learningRate,
//             steps, noise, seed, scalar, kernel? }   every racer's path (learningRate: the shared rate; kernel: as build's)
//   ping    { id }                     are you there? (the session's watchdog, web/app/faults.js)
//   duty    { duty }                   the share of a core this worker may take now (session.js cpuShare)
//   file    { what, settings, curves }  a download made in the worker (web/app/worker-files.js): what is
//             'run' (the saved run as a zip), 'stats-csv' / 'stats-json' (layer statistics now) or
//             'pytorch' (the run from step 0 as a PyTorch script); settings: the run's address query;
//             curves: the page's points { step, loss, accuracy, learningRate, testLoss, testAccuracy }
//   open    { id, bytes }              check a saved run's zip and hold it; a later build whose config has
//             restore: id continues it (the current run is untouched until then)
//   landscape { id, directions, span, resolution }   the loss on a plane through the weights now (directions
//             'random' or 'trajectory'; span 0: the default, ±1 for random and fitted to the recorded path for trajectory)
//   sharpness {}                       λmax of the training loss's Hessian now
//   lrfind  { id, from, to, steps }    the learning-rate range test from the weights now (they are put back)
//   watch   { sharpnessEvery, landscapeEvery, directions, span, resolution, lrFind }   instruments measured
//             while training: sharpness at every multiple of sharpnessEvery steps (step 0 included), landscapes in
//             each of `directions` at every multiple of landscapeEvery past 0, the range test once a network is
//             built (lrFind); 0 and false: never. Kept until the next watch or build (web/app/worker-instruments.js)
// Events (worker → view); those about a run carry the `generation` of the build they belong to
//   started  {}                        worker.js has loaded, before any command: the first event of every worker
//            (it has made the process's first Intl number formatter by then: charts.js)
//   ready    { simd, kernel }          the engine is loaded (or its micro-kernel changed): which build, and which
//            GEMM micro-kernel it runs, kernel = { variant, forced, adopted, settled, calibrationMs, count }
//            (lab.kernelInfo(), count: how many variants the build has)
//   built    { generation, inputs, classes, extent, gridSize, layers, train, test, scheduleCurve, image }
//   snapshot { generation, step, status, batchLoss, learningRate, train, test, layers, outputs, weights, conv, divergedAt? }
//   conv     { generation, conv }      feature maps of another test image
//   unit     { layer, unit, values }
//   recorded { generation, step, snapshot, steps, usage }   answers scrub: snapshot is a snapshot event
//            as it was posted at the recorded step nearest to `step` (null before any), steps every
//            recorded step, usage the record's { budget, bytes, peakBytes, spacing, length, first, latest }
//   race     { id, surface, paths: [{ name, learningRate, path, loss, fate }] }   fate: race-fate.js racerFate
//   tuned    { generation, id, step, scheduleCurve }  answers tune: the steps taken when it applied
//            (step + 1 is the first with the new settings) and the schedule's new preview; a snapshot follows
//   error    { generation, message, command }
//   pong     { id }                    answers ping
//   file     { what, name, mime, bytes }   answers file: the download's name, type and bytes
//   opened   { id, settings, step, rows }  answers open: the run checked out; settings as saved, rows
//            your own data { x, y, inputs, classes, outputs } when the run trained on it (else null)
//   refused  { what, message }        a file or open command that could not be done, and why (the run goes on)
//   landscape { generation, id, step, directions, alpha, beta, values, resolution, span, rows, center, path, explained }
//             (id null when the watch asked for it; path and explained null for random directions)
//   sharpness { generation, step, lambdaMax, residual, converged, iterations, twoOverEta, loss }
//   lrfind   { generation, id, step, learningRates, losses, smoothed, suggestions: { steepest, minimumDividedBy10 }, stoppedEarly }
//   instrumentError { generation, instrument, message }   an instrument could not measure (the run goes on)

const isNumber = (v) => typeof v === 'number';
const isNumberOrNull = (v) => v === null || typeof v === 'number';
const isObject = (v) => v !== null && typeof v === 'object';
const isArray = Array.isArray;
const isString = (v) => typeof v === 'string';
const isBool = (v) => typeof v === 'boolean';
const isFloats = (v) => v instanceof Float32Array;
const isOptional = (check) => (v) => v === undefined || check(v);
const isCount = (v) => Number.isInteger(v) && v >= 0;
export const DIRECTIONS = ['random', 'trajectory'];
/** loadGradlab's kernel option as a worker is given it (kernel-share.js): 'auto', 'default' or another engine's choice */
const isKernelOption = (v) => v === 'auto' || v === 'default' || (isObject(v) && isString(v.variant));
const isDirections = (v) => DIRECTIONS.includes(v);

/** The downloads a worker makes (the file command). */
export const FILE_KINDS = ['run', 'stats-csv', 'stats-json', 'pytorch'];

/** The fields of each message and the test each must pass. */
const COMMANDS = {
  build: { config: isObject },
  play: { until: isOptional(isNumberOrNull) },
  pause: {},
  step: { count: (v) => Number.isInteger(v) && v >= 1 },
  speed: { speed: isNumber },
  example: { example: isNumber },
  unit: { layer: isNumber, unit: isNumber },
  scrub: { step: isNumber },
  file: { what: (v) => FILE_KINDS.includes(v), settings: isString, curves: (v) => v === null || isArray(v) },
  open: { id: isNumber, bytes: (v) => v instanceof Uint8Array },
  tune: { optimizer: isObject, id: isNumber },
  race: {
    id: isNumber, surface: isString, x: isArray, y: isArray, resolution: isNumber, start: isArray,
    racers: (v) => isArray(v) && v.every((r) => isObject(r) && isString(r.name) && isNumberOrNull(r.learningRate)),
    learningRate: isNumber, steps: isNumber, noise: isNumber, seed: isNumber, scalar: isBool, kernel: isOptional(isKernelOption),
  },
  ping: { id: isNumber },
  duty: { duty: isNumber },
  kernel: { kernel: (v) => v !== 'default' && isKernelOption(v) },
  // ----- the instruments (web/app/worker-instruments.js) -----
  landscape: { id: isNumber, directions: isDirections, span: isNumber, resolution: isNumber },
  sharpness: {},
  lrfind: { id: isNumber, from: isNumber, to: isNumber, steps: isNumber },
  watch: {
    sharpnessEvery: isCount, landscapeEvery: isCount, span: isNumber, resolution: isNumber, lrFind: isBool,
    directions: (v) => isArray(v) && v.every(isDirections),
  },
};

const KERNEL = (v) => isObject(v) && isString(v.variant) && isBool(v.forced) && isBool(v.adopted) && isBool(v.settled) && isNumber(v.calibrationMs) && isNumber(v.count);
const MOMENTS = (v) => isObject(v) && isNumberOrNull(v.loss) && isNumberOrNull(v.accuracy);

const EVENTS = {
  started: {},
  ready: { simd: isBool, kernel: KERNEL },
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
  race: { id: isNumber, surface: isObject, paths: (v) => isArray(v) && v.every((p) => isString(p.name) && isFloats(p.loss) && isFloats(p.path) && isObject(p.fate)) },
  error: { generation: isOptional(isNumber), message: isString, command: isOptional(isString) },
  pong: { id: isNumber },
  file: { what: isString, name: isString, mime: isString, bytes: (v) => v instanceof Uint8Array },
  opened: { id: isNumber, settings: isObject, step: isNumber, rows: (v) => v === null || isObject(v) },
  refused: { what: isString, message: isString },
  landscape: {
    generation: isNumber, id: isNumberOrNull, step: isNumber, directions: isDirections, alpha: isFloats, beta: isFloats, values: isFloats,
    resolution: isNumber, span: isNumber, rows: isNumber, center: (v) => isObject(v) && isNumber(v.loss),
    path: (v) => v === null || (isObject(v) && isFloats(v.alpha) && isFloats(v.beta)), explained: (v) => v === null || isArray(v),
  },
  sharpness: {
    generation: isNumber, step: isNumber, lambdaMax: isNumber, residual: isNumber, converged: isBool, iterations: isNumber,
    twoOverEta: isNumberOrNull, loss: isNumber,
  },
  lrfind: {
    generation: isNumber, id: isNumberOrNull, step: isNumber, learningRates: isFloats, losses: isFloats, smoothed: isFloats,
    suggestions: (v) => isObject(v) && isNumberOrNull(v.steepest) && isNumberOrNull(v.minimumDividedBy10), stoppedEarly: isBool,
  },
  instrumentError: { generation: isNumber, instrument: isString, message: isString },
  tuned: { generation: isNumber, id: isNumber, step: isNumber, scheduleCurve: isFloats },
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
/** Stop, then train `count` steps and send one snapshot of where they end. */
export const step = (count = 1) => ({ type: 'step', count });
export const speed = (value) => ({ type: 'speed', speed: value });
export const example = (index) => ({ type: 'example', example: index });
export const unit = (layer, index) => ({ type: 'unit', layer, unit: index });
export const scrub = (at) => ({ type: 'scrub', step: at });
export const tune = (optimizer, id) => ({ type: 'tune', optimizer, id });
/** A race: `racers` as parseRacers gives them ({ name, learningRate: null for the shared rate }). */
export const race = ({ id, surface, x, y, resolution, start, racers, learningRate, steps, noise, seed, scalar = false, kernel }) => ({
  type: 'race', id, surface, x, y, resolution, start, racers: racers.map((r) => ({ name: r.name, learningRate: r.learningRate ?? null })),
  learningRate, steps, noise, seed, scalar, ...(kernel === undefined ? {} : { kernel }),
});

export const ping = (id) => ({ type: 'ping', id });
export const duty = (share) => ({ type: 'duty', duty: share });
/** Run the micro-kernel of `choice` (a ready event's kernel), or time them now ('auto'). */
export const kernel = (choice) => ({ type: 'kernel', kernel: choice });
/** A download made in the worker (see FILE_KINDS); settings: the run's query, curves: the page's points or null. */
export const file = (what, settings = '', curves = null) => ({ type: 'file', what, settings, curves });
/** Check a saved run's zip bytes and hold it as `id`. */
export const open = (id, bytes) => ({ type: 'open', id, bytes });

// ----- events -----
/** `kernel`: what lab.kernelInfo() reports, of which the event carries the plain fields. */
export const ready = (simd, { variant, forced, adopted, settled, calibrationMs, variants }) => ({
  type: 'ready', simd, kernel: { variant, forced, adopted, settled, calibrationMs, count: variants.length },
});
export const built = (fields) => ({ type: 'built', ...fields });
/** Whether a network's inputs have a plane to show (the boundary view, and the worker's grid of
 * outputs over it): one or two inputs; wider rows of your own have none. */
export const hasInputPlane = (inputs) => inputs <= 2;
export const snapshot = (fields) => ({ type: 'snapshot', ...fields });
export const conv = (generation, views) => ({ type: 'conv', generation, conv: views });
export const unitOutput = (layer, index, values) => ({ type: 'unit', layer, unit: index, values });
export const recorded = (generation, at, snapshotEvent, steps, usage) => ({ type: 'recorded', generation, step: at, snapshot: snapshotEvent, steps, usage });
export const raceResult = (id, surface, paths) => ({ type: 'race', id, surface, paths });
export const error = (generation, message, command) => ({ type: 'error', generation, message, command });
export const started = () => ({ type: 'started' });
export const pong = (id) => ({ type: 'pong', id });
export const fileMade = (what, name, mime, bytes) => ({ type: 'file', what, name, mime, bytes });
export const opened = (id, settings, at, rows) => ({ type: 'opened', id, settings, step: at, rows });
export const refused = (what, message) => ({ type: 'refused', what, message });

// ----- the instruments: commands -----
export const landscape = ({ id, directions = 'random', span = 0, resolution = 21 }) => ({ type: 'landscape', id, directions, span, resolution });
export const sharpness = () => ({ type: 'sharpness' });
export const lrfind = ({ id, from = 1e-4, to = 10, steps = 100 }) => ({ type: 'lrfind', id, from, to, steps });
/** What to measure while training; every field optional (0 / false / none when missing). */
export const watch = ({ sharpnessEvery = 0, landscapeEvery = 0, directions = [], span = 0, resolution = 21, lrFind = false } = {}) => ({
  type: 'watch', sharpnessEvery, landscapeEvery, directions, span, resolution, lrFind,
});
// ----- the instruments: events -----
export const landscapeResult = (fields) => ({ type: 'landscape', ...fields });
export const sharpnessResult = (fields) => ({ type: 'sharpness', ...fields });
export const lrfindResult = (fields) => ({ type: 'lrfind', ...fields });
export const instrumentError = (generation, instrument, message) => ({ type: 'instrumentError', generation, instrument, message });
export const tuned = (generation, id, at, scheduleCurve) => ({ type: 'tuned', generation, id, step: at, scheduleCurve });
