// format.js: number formatting for chart axes and status lines. Pure, so Node tests cover it.

/** A number for a status line: 4 decimals, exponent form for the very large and very small, '–' for none. */
export const fmt = (v, digits = 4) => (v == null || !Number.isFinite(v) ? '–'
  : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits));
/** A share as a percentage with one decimal, '–' for none. */
export const pct = (v) => (v == null ? '–' : `${(100 * v).toFixed(1)}%`);

/** Tick labels with as many digits as the ticks need, so no two read the same. */
export function formatTicks(ticks) {
  for (let digits = 0; digits < 8; ++digits) {
    const labels = ticks.map((v) => {
      if (v == null) return '';
      const a = Math.abs(v);
      if (a !== 0 && (a < 1e-2 || a >= 1e5)) return v.toExponential(digits);
      return String(+v.toFixed(Math.max(digits, a > 0 ? Math.ceil(-Math.log10(a) - 1e-9) : 0)));
    });
    const shown = labels.filter((l) => l !== '');
    if (new Set(shown).size === shown.length) return labels;
  }
  return ticks.map((v) => (v == null ? '' : String(v)));
}
