// instrument-plan.js: how the page measures its instruments (web/lib/instruments.js), written once for
// the worker (worker-instruments.js) and the CLI's lesson runner (bin/cli/lesson.mjs), so a lesson's
// claims about sharpness, landscapes and the range test read the same numbers in both. Pure over a
// network and its data: no DOM, no messages.

/**
 * Power iteration settings of every sharpness the page measures: the API's defaults (at most 100
 * products, stopped once |Hv - λv| <= 1e-3 |λ|), with a fixed start vector.
 */
export const SHARPNESS = { seed: 1 };
/**
 * The landscape's grid when nothing else is asked for: 21 × 21; span 0 means the default, [-1, 1]² for
 * random directions and a plane fitted to the recorded path for 'trajectory'.
 */
export const LANDSCAPE = { resolution: 21, span: 0, randomSpan: 1, seed: 1 };
/** The range test's sweep: 100 steps at rates from 1e-4 to 10 (fastai's lr_find sweeps 1e-7..10). */
export const RANGE_TEST = { from: 1e-4, to: 10, steps: 100 };
/** The record of the weights a network keeps from its build on, for 'trajectory' landscapes. */
export const TRAJECTORY = { capacity: 64 };

/** Whether an instrument measured every `every` steps is due at `step` (0: never). */
export const due = (step, every) => every > 0 && step % every === 0;
/** Steps from `step` to the next multiple of `every` past it (Infinity for 0: never). */
export const stepsToNext = (step, every) => (every > 0 ? every - (step % every) : Infinity);

/**
 * What a watch (protocol.watch's fields) wants measured at `step`, given what was already measured
 * ({ sharpness: last step, landscape: last step, rangeTest: done }): { sharpness, landscapes: [directions],
 * rangeTest }. Sharpness at every multiple of sharpnessEvery (0 included), landscapes at every multiple of
 * landscapeEvery past 0 (a trajectory needs steps behind it), the range test once, at the first chance.
 */
export function dueNow(watch, step, measured) {
  return {
    sharpness: due(step, watch.sharpnessEvery ?? 0) && measured.sharpness !== step,
    landscapes: step > 0 && due(step, watch.landscapeEvery ?? 0) && measured.landscape !== step ? (watch.directions ?? []) : [],
    rangeTest: Boolean(watch.lrFind) && !measured.rangeTest,
  };
}

/** λmax now, as a plain object: { step, lambdaMax, residual, converged, iterations, twoOverEta, loss }. */
export function measureSharpness(net, data) {
  const s = net.sharpness(data, SHARPNESS);
  return { step: net.step, lambdaMax: s.lambdaMax, residual: s.residual, converged: s.converged, iterations: s.iterations, twoOverEta: s.twoOverEta, loss: s.loss };
}

/**
 * A landscape now: { step, directions, alpha, beta, values, resolution, span, rows, center, path, explained }
 * (path { alpha, beta } and explained only for 'trajectory'; the direction vectors are left out).
 */
export function measureLandscape(net, data, { directions = 'random', span = LANDSCAPE.span, resolution = LANDSCAPE.resolution } = {}) {
  const r = net.lossLandscape(data, { directions, span: span === 0 && directions === 'random' ? LANDSCAPE.randomSpan : span, resolution, seed: LANDSCAPE.seed });
  return {
    step: net.step, directions, alpha: r.alpha, beta: r.beta, values: r.values, resolution: r.resolution, span: r.span, rows: r.rows,
    center: r.center, path: r.path ? { alpha: r.path.alpha, beta: r.path.beta } : null, explained: r.explained ?? null,
  };
}

/** The range test from the weights now, with the run's own batch size: { step, learningRates, losses, smoothed, suggestions, stoppedEarly }. */
export function rangeTest(net, data, batchSize, { from = RANGE_TEST.from, to = RANGE_TEST.to, steps = RANGE_TEST.steps } = {}) {
  const r = net.findLearningRate(data, { from, to, steps, batchSize });
  return { step: net.step, learningRates: r.learningRates, losses: r.losses, smoothed: r.smoothed, suggestions: r.suggestions, stoppedEarly: r.stoppedEarly };
}

/** A suggested rate as the page applies it: two significant digits. */
export const roundRate = (v) => Number(v.toPrecision(2));

/**
 * The bounds of a cyclic schedule from the range test's suggestions: the larger suggestion as the top
 * (maxLr) and a quarter of it as the base (lr); Smith 2017 puts the base at a third to a quarter of the
 * top. null when the test suggested nothing.
 */
export function cyclicBounds(suggestions) {
  const found = [suggestions.steepest, suggestions.minimumDividedBy10].filter((v) => v != null && v > 0);
  if (!found.length) return null;
  const top = Math.max(...found);
  return { lr: roundRate(top / 4), maxLr: roundRate(top) };
}
