// instrument-readings.js: what a run keeps of its instruments' results (worker-instruments.js sends
// them) and what each run's worker is asked to watch. Pure: no DOM, no worker. The session stores
// readings with addReading; views and the page's test hook read readingsOf(run); lessons
// (lessons.js, `instruments`) say what to watch, and their claims read the same numbers.
import { lessonNamed } from './lessons.js';

/** The event types that carry readings. */
export const READING_TYPES = ['sharpness', 'landscape', 'lrfind', 'instrumentError'];

/**
 * A run's readings: sharpness as columns { step, lambdaMax, twoOverEta, residual } (one per
 * measurement, in step order), the latest landscape per directions ({ random, trajectory }), the
 * latest range test, and the last instrument error ({ instrument, message } or null).
 */
export const emptyReadings = () => ({
  sharpness: { step: [], lambdaMax: [], twoOverEta: [], residual: [] }, landscape: { random: null, trajectory: null }, rangeTest: null, error: null,
});

export const readingsOf = (run) => (run.instruments ??= emptyReadings());

/** Stores one reading event on its run; a repeated sharpness of the same step replaces the earlier one. */
export function addReading(run, msg) {
  const r = readingsOf(run);
  if (msg.type === 'sharpness') {
    const s = r.sharpness, at = s.step.length && s.step[s.step.length - 1] >= msg.step ? s.step.lastIndexOf(msg.step) : -1;
    const lambdaMax = Number.isFinite(msg.lambdaMax) ? msg.lambdaMax : null;   // charts draw no NaN: a gap
    if (at >= 0) { s.lambdaMax[at] = lambdaMax; s.twoOverEta[at] = msg.twoOverEta; s.residual[at] = msg.residual; }
    else if (!s.step.length || msg.step > s.step[s.step.length - 1]) {
      s.step.push(msg.step); s.lambdaMax.push(lambdaMax); s.twoOverEta.push(msg.twoOverEta); s.residual.push(msg.residual);
    }
  } else if (msg.type === 'landscape') {
    r.landscape[msg.directions] = msg;
  } else if (msg.type === 'lrfind') {
    r.rangeTest = msg;
  } else if (msg.type === 'instrumentError') {
    r.error = { instrument: msg.instrument, message: msg.message };
  }
  if (msg.type !== 'instrumentError') r.error = null;
  return r;
}

/**
 * What run `index` of `state` is asked to watch: its lesson's `instruments` when it has them, else
 * the page's own `chosen` settings (null: nothing). The range test is run 0's only: the runs of a
 * comparison start from the same weights, so theirs would be the same curve.
 */
export function watchFor(state, index, chosen = null) {
  const lesson = lessonNamed(state?.lesson);
  const settings = lesson?.instruments ?? chosen ?? {};
  return { ...settings, lrFind: Boolean(settings.lrFind) && index === 0 };
}
