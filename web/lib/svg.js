// svg.js: a line chart as a standalone SVG document, from the same columns uPlot draws
// ([xs, ys1, ys2, ...]). Pure: a string out, no DOM, so the page and Node export the same picture.
// Missing values (null, NaN) break a line; a log scale drops values <= 0.

import { rampColor, stripPosition, stripTicks } from './strips.js';

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf'];

/** A few round tick values covering [lo, hi]. */
function ticks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const label = (v) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(1) : String(Number(v.toPrecision(4))));

/**
 * SVG text of a line chart. data: [xs, ...ys] columns (arrays or typed arrays of equal length).
 * options: width, height, title, series ([{ label, color }] per y column), logY, xLabel.
 */
export function lineChartSvg(data, options = {}) {
  const { width = 640, height = 360, title = '', series = [], logY = false, xLabel = 'step' } = options;
  if (!Array.isArray(data) || data.length < 2) throw new TypeError('lineChartSvg needs columns [xs, ys1, ...]');
  const [xs, ...ys] = data;
  const fy = (v) => (v === null || v === undefined || !Number.isFinite(v) || (logY && v <= 0) ? null : logY ? Math.log10(v) : v);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < xs.length; ++i) {
    if (!Number.isFinite(xs[i])) continue;
    for (const col of ys) {
      const v = fy(col[i]);
      if (v === null) continue;
      x0 = Math.min(x0, xs[i]); x1 = Math.max(x1, xs[i]); y0 = Math.min(y0, v); y1 = Math.max(y1, v);
    }
  }
  if (!Number.isFinite(x0)) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
  const m = { left: 56, right: 12, top: title ? 28 : 12, bottom: 40 };
  const pw = width - m.left - m.right, ph = height - m.top - m.bottom;
  const px = (x) => m.left + ((x - x0) / (x1 - x0)) * pw;
  const py = (y) => m.top + ph - ((y - y0) / (y1 - y0)) * ph;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`];
  if (title) parts.push(`<text x="${m.left}" y="18" font-size="13">${escape(title)}</text>`);
  const yTicks = logY ? ticks(Math.floor(y0), Math.ceil(y1)).filter((t) => Number.isInteger(t) && t >= y0 && t <= y1) : ticks(y0, y1);
  for (const t of yTicks) {
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.left - 4}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end">${escape(logY ? label(10 ** t) : label(t))}</text>`);
  }
  for (const t of ticks(x0, x1)) {
    parts.push(`<text x="${px(t).toFixed(1)}" y="${m.top + ph + 14}" text-anchor="middle">${escape(label(t))}</text>`);
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${m.left + pw / 2}" y="${height - 6}" text-anchor="middle">${escape(xLabel)}</text>`);
  ys.forEach((col, k) => {
    const color = series[k]?.color ?? PALETTE[k % PALETTE.length];
    let run = [];
    const flush = () => {
      if (run.length) parts.push(`<polyline fill="none" stroke="${escape(color)}" stroke-width="1.5" points="${run.join(' ')}"><title>${escape(series[k]?.label ?? `series ${k + 1}`)}</title></polyline>`);
      run = [];
    };
    for (let i = 0; i < xs.length; ++i) {
      const v = fy(col[i]);
      if (v === null || !Number.isFinite(xs[i])) { flush(); continue; }
      run.push(`${px(xs[i]).toFixed(2)},${py(v).toFixed(2)}`);
    }
    flush();
    const lx = m.left + 8 + k * 110;
    parts.push(`<line x1="${lx}" x2="${lx + 16}" y1="${m.top + 10}" y2="${m.top + 10}" stroke="${escape(color)}" stroke-width="2"/>`);
    parts.push(`<text x="${lx + 20}" y="${m.top + 14}">${escape(series[k]?.label ?? `series ${k + 1}`)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/**
 * SVG text of a depth x time strip (strips.js): one row per layer (layer 0 on top), one column per
 * recorded step, coloured on its log scale, with a legend of powers of ten; missing values are grey.
 */
export function stripSvg(strip, options = {}) {
  const { width = 640, rowHeight = 14, title = strip.quantity } = options;
  const m = { left: 56, right: 70, top: title ? 24 : 8, bottom: 30 };
  const height = m.top + m.bottom + Math.max(1, strip.layers) * rowHeight;
  const cols = strip.steps.length, pw = width - m.left - m.right, cw = cols ? pw / cols : pw;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`];
  if (title) parts.push(`<text x="${m.left}" y="16" font-size="13">${escape(title)}</text>`);
  for (let r = 0; r < strip.layers; ++r) {
    const y = m.top + r * rowHeight;
    parts.push(`<text x="${m.left - 4}" y="${(y + rowHeight - 3).toFixed(1)}" text-anchor="end">layer ${r}</text>`);
    for (let c = 0; c < cols; ++c) {
      const v = strip.values[r * cols + c], t = stripPosition(strip, v);
      const fill = t === null ? '#ddd' : `rgb(${rampColor(t).join(',')})`;
      parts.push(`<rect class="cell" x="${(m.left + c * cw).toFixed(2)}" y="${y}" width="${(cw + 0.05).toFixed(2)}" height="${rowHeight}" fill="${fill}"><title>layer ${r}, step ${strip.steps[c]}: ${Number.isNaN(v) ? 'none' : label(v)}</title></rect>`);
    }
  }
  const bottom = m.top + strip.layers * rowHeight;
  for (const t of ticks(strip.steps[0] ?? 0, strip.steps.at(-1) ?? 1)) {
    const c = strip.steps.findIndex((s) => s >= t);
    if (c >= 0) parts.push(`<text x="${(m.left + (c + 0.5) * cw).toFixed(1)}" y="${bottom + 14}" text-anchor="middle">${escape(label(t))}</text>`);
  }
  parts.push(`<text x="${m.left + pw / 2}" y="${height - 4}" text-anchor="middle">step</text>`);
  // the legend: the ramp from lo (bottom) to hi (top), labelled at powers of ten
  const lx = width - m.right + 10, lh = Math.max(rowHeight, bottom - m.top);
  for (let i = 0; i < 16; ++i) {
    parts.push(`<rect x="${lx}" y="${(m.top + lh - ((i + 1) * lh) / 16).toFixed(2)}" width="10" height="${(lh / 16 + 0.05).toFixed(2)}" fill="rgb(${rampColor((i + 0.5) / 16).join(',')})"/>`);
  }
  for (const v of stripTicks(strip)) {
    const y = m.top + lh - stripPosition(strip, v) * lh;
    parts.push(`<text class="legend" x="${lx + 13}" y="${(y + 4).toFixed(1)}">${escape(label(v))}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
