// stats.js: small summaries of tensors the engine does not compute itself. Pure. Snapshots
// (snapshot.js) use these on the engine's tensor views; tests compare them with plain loops.

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
