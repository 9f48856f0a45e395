// stats.js: small summaries of tensors the engine does not compute itself. Pure. The
// worker uses these on the engine's tensor views; tests compare them with plain loops.

/** What a snapshot measures, for the page's worker and the CLI's lesson runner alike: layer statistics
 * over up to PROBE_ROWS training rows, and the predictions for SAMPLES test images (image data sets). */
export const PROBE_ROWS = 256;
export const SAMPLES = 30;

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

/** Fraction of |v| < eps. */
export function nearZero(values, eps) {
  let c = 0;
  for (let i = 0; i < values.length; ++i) if (Math.abs(values[i]) < eps) c++;
  return values.length ? c / values.length : 0;
}
