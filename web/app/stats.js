// stats.js: summaries of a tensor for the page's views (mean, std, range, histogram). Pure. The
// worker uses these on the engine's tensor views; tests compare them with plain loops.

/** { mean, std, min, max } of a typed array (population std); zeros for an empty one. */
export function summary(values) {
  const n = values.length;
  if (n === 0) return { mean: 0, std: 0, min: 0, max: 0 };
  let sum = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < n; ++i) { const v = values[i]; sum += v; if (v < min) min = v; if (v > max) max = v; }
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; ++i) { const d = values[i] - mean; sq += d * d; }
  return { mean, std: Math.sqrt(sq / n), min, max };
}

/** Euclidean norm. */
export function norm(values) {
  let s = 0;
  for (let i = 0; i < values.length; ++i) s += values[i] * values[i];
  return Math.sqrt(s);
}

/** Norm of a - b. */
export function distance(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; ++i) { const d = a[i] - b[i]; s += d * d; }
  return Math.sqrt(s);
}

/**
 * Counts of values in `bins` equal bins over [min, max] (given, or the values' own range; a
 * zero-width range is widened so every value still lands in a bin). Non-finite values are skipped.
 */
export function histogram(values, bins, range) {
  let min = range?.min, max = range?.max;
  if (min === undefined || max === undefined) {
    min = Infinity; max = -Infinity;
    for (let i = 0; i < values.length; ++i) { const v = values[i]; if (v < min) min = v; if (v > max) max = v; }
    if (!Number.isFinite(min) || !Number.isFinite(max)) { min = -1; max = 1; }
  }
  if (max - min < 1e-12) { min -= 0.5; max += 0.5; }
  const counts = new Float32Array(bins);
  const scale = bins / (max - min);
  for (let i = 0; i < values.length; ++i) {
    const v = values[i];
    if (!(v >= min && v <= max)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) * scale))]++;
  }
  return { counts, min, max };
}

/** Fraction of |v| < eps. */
export function nearZero(values, eps) {
  let c = 0;
  for (let i = 0; i < values.length; ++i) if (Math.abs(values[i]) < eps) c++;
  return values.length ? c / values.length : 0;
}

/**
 * Saturation and dead units of one layer's activations (rows x units): saturated = share of values
 * on the flat tails (|a| > 0.97 for tanh, a < 0.03 or > 0.97 for sigmoid); dead = share of ReLU-like
 * units that output 0 for every row.
 */
export function unitHealth(activations, rows, units, activation) {
  let saturated = 0, deadUnits = 0;
  if (activation === 'tanh') for (const a of activations) saturated += Math.abs(a) > 0.97;
  if (activation === 'sigmoid') for (const a of activations) saturated += a < 0.03 || a > 0.97;
  if (activation === 'relu' || activation === 'leaky-relu') {
    for (let u = 0; u < units; ++u) {
      let alive = false;
      for (let r = 0; r < rows && !alive; ++r) alive = activations[r * units + u] > 0;
      deadUnits += !alive;
    }
  }
  const n = rows * units;
  return { saturated: n ? saturated / n : 0, dead: units ? deadUnits / units : 0 };
}
