// marks.js: the markers a live change leaves on a run's curves. When a rate, momentum, L1/L2 or
// weight decay changes while runs play (state.js LIVE_KEYS), each run whose optimiser it changes
// (and that does not set the key itself) takes it on from its next step (session.js sends `tune`);
// the step it applied at and a few words on what changed are kept in run.markers and drawn as a
// line on its charts. Pure.
import { seriesColor } from './charts.js';
import { optimizerSpec } from './config.js';

/** "lr 0.1 → 0.01": the keys that changed from `prev` to `next`, as a marker's label. */
export const markText = (prev, next, keys) => keys.map((k) => `${k} ${prev[k]} → ${next[k]}`).join(', ');

/**
 * The keys of a live change that reach a run, whose state goes from `before` to `after` (with its
 * compare overrides): those that change its optimiser's spec. A key the run sets itself, or one its
 * optimiser does not read (momentum for sgd), does not.
 */
export function keysReaching(before, after, keys) {
  const spec = JSON.stringify(optimizerSpec(before));
  return keys.filter((k) => JSON.stringify(optimizerSpec({ ...before, [k]: after[k] })) !== spec);
}

/** Every run's markers as a chart draws them ({ x, text, color }): run colours when several runs share the chart. */
export const runMarks = (runs, compare) => runs.flatMap((r) => r.markers.map((m) => ({
  x: m.step, text: compare ? `${r.label}: ${m.text}` : m.text, color: compare ? seriesColor(r.index) : '#444',
})));

/** One line per marker, for the text beside the charts: "step 240: lr 0.1 → 0.01". */
export const markLines = (runs, compare) => runs.flatMap((r) => r.markers.map((m) => `step ${m.step}${compare ? ` (${r.label})` : ''}: ${m.text}`));
