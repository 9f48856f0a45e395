// race-fate.js: what became of each racer of an optimiser race, decided here once for the page, the
// embed and the CLI's `gradlab lesson`: when it left the plotted area (and came back), when it
// diverged, which parts of its path the contour can draw and where it crossed out, its loss as the race
// chart draws it (ending in a mark where it leaves the chart), and the words for all of it. Pure.
import { fmt } from './format.js';

/** A racer has diverged at the first step whose loss is not finite or exceeds this in size. */
export const DIVERGED_LOSS = 1e10;

/** Whether (x, y) lies in the view { x: [x0, x1], y: [y0, y1] } (a number that is not finite never does). */
const inside = (x, y, view) => x >= view.x[0] && x <= view.x[1] && y >= view.y[0] && y <= view.y[1];

/**
 * The fate of one racer ({ path, loss } as lab.optimize gives them) over a race of `steps` steps on
 * `view`: { divergedAt, spells: [[from, to], ...] }. divergedAt is the first step whose loss is not
 * finite or beyond DIVERGED_LOSS in size, or whose point the engine could not compute (it stops
 * there), else null; each spell is a stretch of steps outside the view, from the first step out to
 * the first step back in (null: not back by divergence or the end).
 */
export function racerFate({ path, loss }, view, steps) {
  const points = Math.min(path.length / 2, loss.length);
  let divergedAt = points <= steps ? points : null;
  for (let s = 0; s < points; ++s) {
    if (!(Math.abs(loss[s]) <= DIVERGED_LOSS)) { divergedAt = s; break; }
  }
  const last = divergedAt === null ? points - 1 : divergedAt - 1, spells = [];
  for (let s = 0; s <= last; ++s) {
    const out = !inside(path[2 * s], path[2 * s + 1], view), open = spells.at(-1)?.[1] === null;
    if (out && !open) spells.push([s, null]);
    if (!out && open) spells.at(-1)[1] = s;
  }
  // a racer that diverges from inside the view leaves it at that step too
  if (divergedAt !== null && spells.at(-1)?.[1] !== null) spells.push([divergedAt, null]);
  return { divergedAt, spells };
}

/** The spell outside the view that step `upto` falls in, or null when the racer is in view there. */
export function outsideAt(fate, upto) {
  return fate.spells.find(([from, to]) => from <= upto && (to === null || upto < to)) ?? null;
}

/**
 * What a legend row and the status line say of a racer at step `upto`: '' while it is in view and
 * sound, else 'left the plot at step 40', 'diverged at step 3' or both.
 */
export function fateWords(fate, upto) {
  const spell = outsideAt(fate, upto), diverged = fate.divergedAt !== null && fate.divergedAt <= upto;
  const left = spell && !(diverged && spell[0] === fate.divergedAt)
    ? (spell[0] === 0 ? 'outside the plot from the start' : `left the plot at step ${spell[0]}`) : '';
  return [left, diverged ? `diverged at step ${fate.divergedAt}` : ''].filter(Boolean).join(', ');
}

/** Liang–Barsky: the part [t0, t1] of the segment a→b (0 at a, 1 at b) inside the view, or null. */
function clip(ax, ay, bx, by, view) {
  let t0 = 0, t1 = 1;
  const dx = bx - ax, dy = by - ay;
  for (const [p, q] of [[-dx, ax - view.x[0]], [dx, view.x[1] - ax], [-dy, ay - view.y[0]], [dy, view.y[1] - ay]]) {
    if (p === 0) { if (q < 0) return null; continue; }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
    if (t0 > t1) return null;
  }
  return [t0, t1];
}

/**
 * What the contour draws of a racer up to step `upto`: { pieces: [[x, y, x, y, ...], ...] (its path
 * cut to the view), marks: [[x, y], ...] (where it left the view, on the edge, or where it diverged
 * in view), point: [x, y] | null (where it is, when that is in view and it has not diverged) }.
 */
export function visiblePath({ path }, fate, upto, view) {
  const end = Math.min(upto, fate.divergedAt === null ? path.length / 2 - 1 : fate.divergedAt - 1);
  const pieces = [], marks = [];
  let piece = null;
  if (end >= 0 && inside(path[0], path[1], view)) piece = [path[0], path[1]];
  for (let s = 1; s <= end; ++s) {
    const ax = path[2 * s - 2], ay = path[2 * s - 1], bx = path[2 * s], by = path[2 * s + 1];
    const part = Number.isFinite(bx) && Number.isFinite(by) ? clip(ax, ay, bx, by, view) : null;
    if (!part) { if (piece) { pieces.push(piece); marks.push([ax, ay]); piece = null; } continue; }
    const [t0, t1] = part, at = (t) => [ax + t * (bx - ax), ay + t * (by - ay)];
    if (!piece) piece = at(t0);
    piece.push(...at(t1));
    if (t1 < 1) { pieces.push(piece); marks.push(at(t1)); piece = null; }   // it crossed out here
  }
  const diverged = fate.divergedAt !== null && fate.divergedAt <= upto;
  if (piece) { pieces.push(piece); if (diverged) marks.push(piece.slice(-2)); }
  const last = end >= 0 ? [path[2 * end], path[2 * end + 1]] : null;
  return { pieces, marks, point: !diverged && last && inside(last[0], last[1], view) ? last : null };
}

/**
 * The race chart's y range: the surface's values over the view and every loss of a racer while it is
 * in view. A loss beyond it belongs to a racer off the plot, and the chart ends its line in a mark.
 */
export function chartRange(race) {
  let lo = Math.min(race.surface.min, 0), hi = race.surface.max;
  race.paths.forEach((p) => {
    const { fate } = p;
    for (let s = 0; s < p.loss.length && (fate.divergedAt === null || s < fate.divergedAt); ++s) {
      if (!outsideAt(fate, s)) { lo = Math.min(lo, p.loss[s]); hi = Math.max(hi, p.loss[s]); }
    }
  });
  return [lo, hi];
}

/**
 * One racer's loss at steps 0..upto as the chart draws it: { values, marks: [[step, value], ...] }.
 * A loss that leaves `range` is drawn to the edge at the step it leaves, marked there, and left out
 * until it comes back; the line also ends in a mark where the racer diverged.
 */
export function lossTrack(loss, fate, upto, [lo, hi]) {
  const values = [], marks = [];
  let shown = false;
  for (let s = 0; s <= upto; ++s) {
    const v = s < loss.length && (fate.divergedAt === null || s < fate.divergedAt) ? loss[s] : NaN;
    if (v >= lo && v <= hi) { values.push(v); shown = true; continue; }
    if (shown && Number.isFinite(v)) { const edge = v > hi ? hi : lo; values.push(edge); marks.push([s, edge]); }
    else { values.push(null); if (shown) marks.push([s - 1, values[s - 1]]); }
    shown = false;
  }
  return { values, marks };
}

/** Columns for the race chart up to step upto ([steps, loss of each racer]) and each racer's marks. */
export function raceChart(race, upto) {
  const range = chartRange(race);
  const tracks = race.paths.map((p) => lossTrack(p.loss, p.fate, upto, range));
  return { columns: [Array.from({ length: upto + 1 }, (_, i) => i), ...tracks.map((t) => t.values)], marks: tracks.map((t) => t.marks) };
}

/**
 * A legend's value for racer k at the hovered step `idx` (null: no hover; then at the race's step
 * `upto`): its true loss, even where the chart's line is cut, or what became of it.
 */
export function racerValue(race, k, idx, upto) {
  const { fate, loss } = race.paths[k];
  if (idx == null) return fateWords(fate, upto) || '–';
  if ((fate.divergedAt !== null && idx >= fate.divergedAt) || idx >= loss.length) return `diverged at step ${fate.divergedAt}`;
  return outsideAt(fate, idx) ? `${fmt(loss[idx])} (off the plot)` : fmt(loss[idx]);
}

/**
 * The status of a race at step `upto` of `steps`, a line for the race and one per racer: { text, bad }
 * (bad: a racer has diverged, or the race's worker failed: then its fault's sentence, faults.js).
 */
export function raceStatus(race, upto, steps) {
  if (race?.fault) return { text: race.fault.text, bad: true };
  if (!race?.surface) return { text: 'computing the paths…', bad: false };
  const at = Math.max(0, upto);
  const phase = at >= steps ? 'finished' : race.running ? 'racing' : 'paused';
  const racers = race.paths.map((p) => `${p.name}: ${fateWords(p.fate, at) || `loss ${fmt(p.loss[Math.min(at, p.loss.length - 1)])}`}`);
  return { text: [`Race ${phase} at step ${at} of ${steps}`, ...racers].join('\n'), bad: race.paths.some((p) => p.fate.divergedAt !== null && p.fate.divergedAt <= at) };
}
