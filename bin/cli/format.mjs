// format.mjs: plain text output of the CLI: CSV, aligned tables, statistics and text histograms.
// Pure: no I/O.

/** A CSV document (one writer for the CLI and the library's exports: web/lib/tables.js). */
export { toCsv as csv } from '../../web/lib/tables.js';

/** Rows of strings as a table with columns padded to the widest cell (numbers right-aligned). */
export function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => String(r[c]).length)));
  const line = (r) => r.map((cell, c) => (typeof cell === 'number' || /^-?[\d.]/.test(cell) ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Mean, standard deviation (population), min and max of an array, summed in double. */
export function moments(values) {
  let sum = 0, min = Infinity, max = -Infinity;
  for (const v of values) { sum += v; if (v < min) min = v; if (v > max) max = v; }
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(squares / values.length), min, max };
}

/** Counts of values in `bins` equal bins over [lo, hi] (hi in the last bin), and how many fell outside. */
export function histogram(values, lo, hi, bins) {
  const counts = new Array(bins).fill(0);
  const width = (hi - lo) / bins;
  let outside = 0;
  for (const v of values) {
    if (!(v >= lo && v <= hi)) { outside++; continue; }
    counts[v === hi ? bins - 1 : Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  return { counts, outside };
}

const BARS = ' ▁▂▃▄▅▆▇█';

/** A histogram as one line of block characters, each bin scaled to the tallest (blank = empty). */
export function sparkline(counts) {
  const most = Math.max(...counts);
  return counts.map((c) => (c === 0 ? BARS[0] : BARS[Math.max(1, Math.round((8 * c) / most))])).join('');
}

/**
 * A curve as one line of block characters from the lowest (▁) to the highest value (█), on a log
 * scale when every value is positive, else linear.
 */
export function curveLine(values, columns = 40) {
  const log = values.every((v) => v > 0);
  const picked = [];
  for (let c = 0; c < columns; ++c) {
    const t = Math.min(values.length - 1, Math.round((c * (values.length - 1)) / Math.max(1, columns - 1)));
    picked.push(log ? Math.log10(values[t]) : values[t]);
  }
  const lo = Math.min(...picked), hi = Math.max(...picked);
  return { log, line: picked.map((v) => BARS[1 + (hi > lo ? Math.round((7 * (v - lo)) / (hi - lo)) : 0)]).join('') };
}

/** A number with a fixed count of significant digits, for tables. */
export function fixed(v, digits = 4) {
  if (v === null || v === undefined) return '-';
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(2);
  return v.toFixed(digits);
}

const SHADES = ' .:-=+*#%@';

/**
 * A res x res grid (row i = the i-th y value, bottom to top) as text: one character per cell from
 * the lowest (' ') to the highest ('@') value on a log scale when every value is positive (values
 * that are not finite as '!'), top row first. marks: [{ col, row, char }] drawn over the cells.
 */
export function contour(values, res, marks = []) {
  const finite = Array.from(values).filter(Number.isFinite);
  const log = finite.length > 0 && finite.every((v) => v > 0);
  const f = (v) => (log ? Math.log(v) : v);
  const lo = Math.min(...finite.map(f)), hi = Math.max(...finite.map(f));
  const grid = [];
  for (let i = 0; i < res; ++i) {
    const row = [];
    for (let j = 0; j < res; ++j) {
      const v = values[i * res + j];
      row.push(!Number.isFinite(v) ? '!' : SHADES[hi > lo ? Math.round(((SHADES.length - 1) * (f(v) - lo)) / (hi - lo)) : 0]);
    }
    grid.push(row);
  }
  for (const m of marks) if (m.row >= 0 && m.row < res && m.col >= 0 && m.col < res) grid[m.row][m.col] = m.char;
  return { log, shades: SHADES, lines: grid.reverse().map((r) => r.join('')) };
}

/**
 * A curve as a small text plot, height rows of width columns: x on a log scale (every x > 0), y
 * linear over [yMin, yMax] (values above shown at the top edge); marks: [{ x, char }] drawn as
 * columns. Returns the lines, top first.
 */
export function plot(xs, ys, { width = 60, height = 12, yMin, yMax, marks = [] } = {}) {
  const lx = Array.from(xs, Math.log10);
  const x0 = Math.min(...lx), x1 = Math.max(...lx);
  const col = (x) => Math.round(((Math.log10(x) - x0) / (x1 - x0 || 1)) * (width - 1));
  const row = (y) => Math.round(((Math.min(y, yMax) - yMin) / (yMax - yMin || 1)) * (height - 1));
  const grid = Array.from({ length: height }, () => new Array(width).fill(' '));
  for (const m of marks) for (let r = 0; r < height; ++r) if (m.x > 0) grid[r][Math.min(width - 1, Math.max(0, col(m.x)))] = m.char;
  for (let i = 0; i < xs.length; ++i) {
    if (!Number.isFinite(ys[i])) continue;
    grid[Math.max(0, row(ys[i]))][col(xs[i])] = '*';
  }
  return grid.reverse().map((r) => r.join('').trimEnd());
}
