// strips.js: depth x time strips from a run's snapshots: one quantity, layers as rows, recorded steps
// as columns, on a log colour scale, so vanishing and exploding gradients show at a glance. Pure: it
// reads snapshots (web/lib/snapshot.js or the page worker's snapshot events, whose layers carry the
// same fields) and returns numbers and colours; drawing is the caller's (or stripSvg in svg.js).
import { fail } from './names.js';

/** The quantities a strip can show, and how each is read from one layer of a snapshot. */
export const STRIP_QUANTITIES = {
  gradientNorm: (l) => l.gradientNorm,
  updateRatio: (l) => l.updateRatio,
  saturated: (l) => l.saturated,
  dead: (l) => l.dead,
  activationStd: (l) => l.activations?.std,
};

/**
 * { quantity, steps, layers, values, lo, hi }: values is a Float32Array of layers x steps (row-major,
 * one row per layer), NaN where a value is missing, zero or negative (a log scale has no place for
 * it); lo and hi are the smallest and largest positive values (null when there is none).
 * entries: [{ step, snapshot }] oldest first, as RunRecord.entries holds them.
 */
export function depthTimeStrip(entries, quantity) {
  const read = STRIP_QUANTITIES[quantity] ?? fail(`strip quantity '${quantity}' is not known; allowed: ${Object.keys(STRIP_QUANTITIES).join(', ')}`);
  const layers = entries.reduce((n, e) => Math.max(n, e.snapshot.layers.length), 0);
  return strip(quantity, entries.map((e) => e.step), layers, (r, c) => {
    const layer = entries[c].snapshot.layers[r];
    return layer ? read(layer) : undefined;
  });
}

/**
 * The same strip from curves kept as columns: steps[c] the step of column c, rows[r][c] the value of
 * layer r there (null or undefined where missing), as the page's session keeps its per-layer curves.
 */
export function stripFromCurves(quantity, steps, rows) {
  return strip(quantity, Array.from(steps), rows.length, (r, c) => rows[r]?.[c]);
}

function strip(quantity, steps, layers, valueAt) {
  const cols = steps.length, values = new Float32Array(layers * cols).fill(NaN);
  let lo = Infinity, hi = -Infinity;
  for (let r = 0; r < layers; ++r) for (let c = 0; c < cols; ++c) {
    const v = valueAt(r, c);
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) continue;
    values[r * cols + c] = v;
    lo = Math.min(lo, v); hi = Math.max(hi, v);
  }
  return { quantity, steps, layers, values, lo: Number.isFinite(lo) ? lo : null, hi: Number.isFinite(hi) ? hi : null };
}

// a perceptually even ramp from dark blue through green to yellow (stops of matplotlib's viridis)
const RAMP = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

/** Where v sits on the strip's log scale, 0 (lo) .. 1 (hi); null for a missing value. */
export function stripPosition(strip, v) {
  if (!(v > 0) || strip.lo === null) return null;
  if (strip.hi === strip.lo) return 0.5;
  const t = (Math.log10(v) - Math.log10(strip.lo)) / (Math.log10(strip.hi) - Math.log10(strip.lo));
  return Math.min(1, Math.max(0, t));
}

/** The colour of position t (0..1) as [r, g, b]; missing values are the caller's (a light grey, say). */
export function rampColor(t) {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x)), f = x - i;
  return RAMP[i].map((c, k) => Math.round(c + f * (RAMP[i + 1][k] - c)));
}

/** Powers of ten between lo and hi for the legend (lo and hi themselves when no power lies between). */
export function stripTicks(strip) {
  if (strip.lo === null) return [];
  const out = [];
  for (let e = Math.ceil(Math.log10(strip.lo)); e <= Math.floor(Math.log10(strip.hi)); ++e) out.push(10 ** e);
  return out.length ? out : [strip.lo, strip.hi];
}
