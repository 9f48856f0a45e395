// instruments.js: the three instruments of the network's own training loss, computed in C
// (src/landscape.c, src/hessian.c, src/lrfind.c): the loss landscape around the current weights,
// the sharpness (largest Hessian eigenvalue) beside 2/η, and the learning-rate range test. Each one
// leaves the network bit for bit as it found it. Pure JavaScript over the wasm core, no Node or DOM
// imports, so a Web Worker can call every function here. The engine checks every range and names it
// in its message (src/gradlab.h owns the limits); this file only checks that values are numbers.
import { fail, known, object } from './names.js';
import { liveData, optimizerRow } from './network.js';

const LANDSCAPE_KEYS = ['directions', 'span', 'resolution', 'rows', 'seed'];
const SHARPNESS_KEYS = ['iterations', 'rows', 'tolerance', 'seed'];
const LRFIND_KEYS = ['from', 'to', 'steps', 'batchSize', 'optimizer', 'smoothing'];
const TRACK_KEYS = ['steps', 'every', 'batchSize', ...SHARPNESS_KEYS];
const DIRECTIONS = ['random', 'trajectory'];

/** A number for the engine to check (NaN and infinities pass through and are refused there). */
function real(value, what, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') fail(`${what} must be a number, not ${JSON.stringify(value)}`);
  return value;
}

/** A whole number that fits the engine's int32 arguments; its range is the engine's to check. */
function whole(value, what, fallback) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || Math.abs(value) > 2147483647) fail(`${what} ${JSON.stringify(value)} must be a whole number`);
  return value;
}

/** The engine's limits for sizing output arrays: { resolution, iterations, lrSteps, trajectoryPoints }. */
function limits(core) {
  if (!core.instrumentLimits) {
    core.call('gl_instrument_limits', core.outIntsPtr);
    const [resolution, iterations, lrSteps, trajectoryPoints] = core.outInts;
    core.instrumentLimits = { resolution, iterations, lrSteps, trajectoryPoints };
  }
  return core.instrumentLimits;
}

/** n clamped to 1..most: an output array's length; a count outside that is refused by the engine before it writes. */
const bounded = (n, most) => Math.min(Math.max(n, 1), most);

function seedOf(value) {
  const seed = whole(value, 'seed', 1);
  if (seed < 0 || seed > 0xffffffff) fail(`seed ${seed} is out of range; allowed 0..4294967295`);
  return seed >>> 0;
}

/**
 * Starts a record of the weights during training (for lossLandscape's 'trajectory' directions):
 * the current weights, then a copy every `interval` steps; when `capacity` copies are held, every
 * second one is dropped and the interval doubles. { capacity: 0 } stops and frees the record.
 */
export function recordTrajectory(net, options = {}) {
  object(options, 'trajectory options');
  known(options, ['capacity', 'interval'], 'trajectory options');
  const core = net.core;
  core.call('gl_network_record_trajectory', net.live(), whole(options.capacity, 'capacity', 64), whole(options.interval, 'interval', 1));
  return net;
}

/** The record: { capacity, interval, start, steps: Int32Array } (capacity 0 without one). */
export function trajectoryInfo(net) {
  const core = net.core;
  core.call('gl_network_trajectory', net.live(), core.outIntsPtr, 0);
  const [capacity, count, interval, start] = core.outInts;
  return core.scoped((take) => {
    const steps = take(Math.max(1, count) * 4);
    core.call('gl_network_trajectory', net.live(), core.outIntsPtr, steps);
    return { capacity, interval, start, steps: core.i32(steps, count).slice() };
  });
}

/**
 * The loss on the plane w + αd₁ + βd₂ through the current weights (Li et al. 2018), in evaluation
 * mode over the first `rows` training rows (default all). directions 'random': seeded Gaussian
 * directions, filter-normalised; 'trajectory': the two leading principal directions of the record
 * (recordTrajectory), with the recorded path projected onto the plane.
 */
export function lossLandscape(net, data, options = {}) {
  object(options, 'landscape options');
  known(options, LANDSCAPE_KEYS, 'landscape options');
  const name = options.directions ?? 'random';
  const mode = DIRECTIONS.indexOf(name);
  if (mode < 0) fail(`directions ${JSON.stringify(name)} is not known; allowed: ${DIRECTIONS.join(', ')}`);
  const span = real(options.span, 'span', mode === 1 ? 0 : 1);
  const res = whole(options.resolution, 'resolution', 41);
  const rows = whole(options.rows, 'rows', 0);
  const seed = seedOf(options.seed);
  const core = net.core;
  const parameters = net.info().parameters;
  const recorded = mode === 1 ? trajectoryInfo(net) : null;
  const points = recorded ? recorded.steps.length : 0;
  return core.scoped((take) => {
    const size = bounded(res, limits(core).resolution);
    const values = take(size * size * 4), axes = take(2 * size * 4), dirs = take(2 * parameters * 4);
    const path = take(Math.max(1, 2 * points) * 4), out = take(8 * 4);
    core.call('gl_network_landscape', net.live(), liveData(core, data), mode, span, res, rows, seed, values, axes, dirs, path, out);
    const [loss, accuracy, spanUsed, written, explained1, explained2, used] = core.f32(out, 7);
    const result = {
      directions: name,
      alpha: core.f32(axes, res).slice(),
      beta: core.f32(axes + res * 4, res).slice(),
      values: core.f32(values, res * res).slice(),
      resolution: res,
      span: spanUsed,
      rows: used,
      center: { loss, accuracy: accuracy < 0 ? null : accuracy },
      vectors: [core.f32(dirs, parameters).slice(), core.f32(dirs + parameters * 4, parameters).slice()],
    };
    if (mode === 1) {
      const xy = core.f32(path, 2 * written);
      result.path = {
        alpha: Float32Array.from({ length: written }, (_, i) => xy[2 * i]),
        beta: Float32Array.from({ length: written }, (_, i) => xy[2 * i + 1]),
        steps: recorded.steps,
      };
      result.explained = [explained1, explained2];
    }
    return result;
  });
}

/**
 * λmax, the largest eigenvalue of the Hessian of the training loss over the first `rows` training
 * rows, by power iteration on Hessian-vector products (central differences of gradients), stopped once
 * the residual |Hv − λv| / |λ| is within options.tolerance (converged: it was). twoOverEta is 2 / the
 * network's learning rate: gradient descent at rate η is stable on a quadratic only while λmax < 2/η
 * (Cohen et al. 2021).
 */
export function sharpness(net, data, options = {}) {
  object(options, 'sharpness options');
  known(options, SHARPNESS_KEYS, 'sharpness options');
  const core = net.core;
  core.call('gl_network_sharpness', net.live(), liveData(core, data), whole(options.iterations, 'iterations', 100),
    whole(options.rows, 'rows', 0), real(options.tolerance, 'tolerance', 1e-3), seedOf(options.seed), core.outFloatsPtr);
  const [lambdaMax, residual, iterations, converged, step, dominant, loss] = core.outFloats;
  const lr = net.learningRate;
  return { lambdaMax, residual, iterations, converged: converged === 1, dominant, step, loss, twoOverEta: lr > 0 ? 2 / lr : null };
}

/**
 * Trains `steps` steps and measures sharpness every `every` steps (and before the first):
 * { steps, lambdaMax, twoOverEta, loss } as arrays, and status 'diverged' when training stopped.
 */
export function trackSharpness(net, data, options = {}) {
  object(options, 'trackSharpness options');
  known(options, TRACK_KEYS, 'trackSharpness options');
  const steps = whole(options.steps, 'steps', 100);
  const every = whole(options.every, 'every', 10);
  if (every < 1) fail(`every ${every} is out of range; it must be at least 1 step`);
  const measure = { iterations: options.iterations, rows: options.rows, tolerance: options.tolerance, seed: options.seed };
  const track = { steps: [], lambdaMax: [], twoOverEta: [], loss: [], status: 'ok' };
  const note = () => {
    const s = sharpness(net, data, measure);
    track.steps.push(net.step); track.lambdaMax.push(s.lambdaMax); track.twoOverEta.push(s.twoOverEta); track.loss.push(s.loss);
  };
  note();
  for (let done = 0; done < steps;) {
    const r = net.train(data, { steps: Math.min(every, steps - done), batchSize: options.batchSize ?? 0 });
    done += r.steps;
    if (r.status !== 'ok') { track.status = r.status; break; }
    note();
  }
  return track;
}

/**
 * The range test's suggestions from its own curve, as fastai computes them: over the smoothed losses
 * without the first tenth of the requested steps and the last five points (the whole curve when that
 * leaves fewer than two), `steepest` is the rate where the loss falls fastest per unit of log rate
 * (the left end of the steepest segment) and `minimumDividedBy10` the rate of the lowest loss / 10.
 */
export function lrSuggestions(learningRates, smoothed, requested = learningRates.length) {
  let first = Math.floor(requested / 10), last = learningRates.length - 5;
  if (last - first < 2) { first = 0; last = learningRates.length; }
  let lowest = -1, steepest = -1, slope = Infinity;
  for (let i = first; i < last; ++i) {
    if (!Number.isFinite(smoothed[i])) continue;
    if (lowest < 0 || smoothed[i] < smoothed[lowest]) lowest = i;
    if (i + 1 < last && Number.isFinite(smoothed[i + 1])) {
      const s = (smoothed[i + 1] - smoothed[i]) / (Math.log(learningRates[i + 1]) - Math.log(learningRates[i]));
      if (s < slope) { slope = s; steepest = i; }
    }
  }
  return {
    steepest: steepest < 0 ? null : learningRates[steepest],
    minimumDividedBy10: lowest < 0 ? null : learningRates[lowest] / 10,
  };
}

/**
 * The learning-rate range test (Smith 2017; fastai's lr_find): `steps` training steps from the
 * current weights at rates growing exponentially from `from` to `to`, stopping once the smoothed loss
 * passes 4x its lowest; then the weights, the optimiser's state and every counter are put back.
 * optimizer: a spec as setOptimizer takes (its rate and schedule ignored), default the network's own
 * optimiser continuing from its current state.
 */
export function findLearningRate(net, data, options = {}) {
  object(options, 'findLearningRate options');
  known(options, LRFIND_KEYS, 'findLearningRate options');
  const steps = whole(options.steps, 'steps', 100);
  const row = options.optimizer === undefined ? null : optimizerRow(options.optimizer);
  const core = net.core;
  return core.scoped((take) => {
    const n = bounded(steps, limits(core).lrSteps);
    const lrs = take(n * 4), losses = take(n * 4), smoothed = take(n * 4);
    const ran = core.call('gl_network_lr_find', net.live(), liveData(core, data), row ? take(row) : 0,
      real(options.from, 'from', 1e-7), real(options.to, 'to', 10), steps, whole(options.batchSize, 'batchSize', 0),
      real(options.smoothing, 'smoothing', 0.98), lrs, losses, smoothed);
    const result = {
      learningRates: core.f32(lrs, ran).slice(),
      losses: core.f32(losses, ran).slice(),
      smoothed: core.f32(smoothed, ran).slice(),
      steps: ran,
      stoppedEarly: ran < steps,
    };
    result.suggestions = lrSuggestions(result.learningRates, result.smoothed, steps);
    return result;
  });
}
