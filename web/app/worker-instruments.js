// worker-instruments.js: the worker's instruments of the training loss (web/lib/instruments.js through
// instrument-plan.js): a landscape, the sharpness or the range test when the page asks, and those the
// page's `watch` asks for while training (sharpness every k steps, landscapes every N, the range test
// once a network is built). worker.js owns the run; it calls attach() after each build, stepLimit()
// before training (so training stops at each step a measurement is due) and afterTraining() after.
// Results are posted before the snapshot of their step, so a view has them when that step arrives.
import * as protocol from './protocol.js';
import { TRAJECTORY, dueNow, measureLandscape, measureSharpness, rangeTest, stepsToNext } from './instrument-plan.js';

let watching = protocol.watch();   // what to measure while training (kept across builds)
let run = null;                    // { net, data, generation, batchSize }
let measured = { sharpness: -1, landscape: -1, rangeTest: false };   // the last step (or whether) each was measured

function post(message, buffers) {
  postMessage(message, buffers);
}

/** Runs one instrument; a failure is posted as instrumentError and the run goes on. */
function attempt(instrument, fn) {
  try {
    fn();
  } catch (error) {
    post(protocol.instrumentError(run.generation, instrument, String(error?.message ?? error)));
  }
}

function sendSharpness() {
  attempt('sharpness', () => post(protocol.sharpnessResult({ generation: run.generation, ...measureSharpness(run.net, run.data) })));
}

function sendLandscape(id, options) {
  attempt('landscape', () => {
    const r = measureLandscape(run.net, run.data, options);
    const buffers = [r.alpha.buffer, r.beta.buffer, r.values.buffer, ...(r.path ? [r.path.alpha.buffer, r.path.beta.buffer] : [])];
    post(protocol.landscapeResult({ generation: run.generation, id, ...r }), buffers);
  });
}

function sendRangeTest(id, options) {
  attempt('lrfind', () => {
    const r = rangeTest(run.net, run.data, run.batchSize, options);
    post(protocol.lrfindResult({ generation: run.generation, id, ...r }), [r.learningRates.buffer, r.losses.buffer, r.smoothed.buffer]);
  });
}

/** Whatever the watch wants at the current step and was not measured there yet. */
function measureDue() {
  if (!run) return;
  const step = run.net.step, wanted = dueNow(watching, step, measured);
  if (wanted.sharpness) { measured.sharpness = step; sendSharpness(); }
  if (wanted.landscapes.length) measured.landscape = step;
  for (const directions of wanted.landscapes) sendLandscape(null, { directions, span: watching.span, resolution: watching.resolution });
  if (wanted.rangeTest) { measured.rangeTest = true; sendRangeTest(null); }
}

/**
 * A new network: it starts its record of the weights (for 'trajectory' landscapes) and measures what
 * is due at its first step. `watch` (a build's config.watch, a protocol.watch message) replaces the settings.
 */
export function attach(net, data, generation, batchSize, watch) {
  run = { net, data, generation, batchSize };
  if (watch) watching = watch;
  measured = { sharpness: -1, landscape: -1, rangeTest: false };
  net.recordTrajectory(TRAJECTORY);
  measureDue();
}

/** The most steps training may take from `step` before a watched measurement is due. */
export function stepLimit(step) {
  return Math.min(stepsToNext(step, watching.sharpnessEvery), stepsToNext(step, watching.landscapeEvery));
}

/** After training (not after a divergence): the measurements due at the step reached. */
export function afterTraining() {
  measureDue();
}

/** The instrument commands: landscape, sharpness, lrfind (now) and watch (while training). */
export function handle(msg) {
  if (msg.type === 'watch') {
    const { type, ...settings } = msg;
    watching = { type, ...settings };
    measureDue();
    return;
  }
  if (!run) throw new Error(`'${msg.type}' needs a network: send a build first`);
  if (msg.type === 'sharpness') sendSharpness();
  else if (msg.type === 'landscape') sendLandscape(msg.id, msg);
  else if (msg.type === 'lrfind') sendRangeTest(msg.id, msg);
}

export const INSTRUMENT_COMMANDS = ['landscape', 'sharpness', 'lrfind', 'watch'];
