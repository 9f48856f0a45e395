// charts.js: the streaming line charts, thin wrappers over uPlot. Data arrive as columns.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { formatTicks } from './format.js';

/** Okabe and Ito's palette: told apart by people with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];
export const RGB = PALETTE.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));

/**
 * A line chart in `el`: series [{ label, stroke, dash, width }], options { width, height, logY,
 * band: [lo, hi] shaded on the y axis, xLabel, yRange }.
 */
export function lineChart(el, { width = 360, height = 150, series, logY = false, band, yRange, legend = true, xLabel = 'step', xIncrs, ySpace = 30 }) {
  el.replaceChildren();
  const opts = {
    width, height, legend: { show: legend, live: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: false }, y: logY ? { distr: 3 } : (yRange ? { range: yRange } : { auto: true }) },
    axes: [{ label: xLabel, labelSize: 14, size: 30, font: '11px system-ui', labelFont: '11px system-ui', ...(xIncrs ? { incrs: xIncrs } : {}) },
      { size: 46, space: ySpace, font: '11px system-ui', values: (u, ticks) => formatTicks(ticks) }],
    series: [{ label: xLabel }, ...series.map((s) => ({
      label: s.label, stroke: s.stroke, width: s.width ?? 1.5, dash: s.dash, spanGaps: true, points: { show: false },
    }))],
    hooks: band ? { drawClear: [(u) => shadeBand(u, band)] } : {},
  };
  return new uPlot(opts, [[], ...series.map(() => [])], el);
}

function shadeBand(u, [lo, hi]) {
  const ctx = u.ctx;
  const top = u.valToPos(hi, 'y', true), bottom = u.valToPos(lo, 'y', true);
  const mid = u.valToPos(Math.sqrt(lo * hi), 'y', true);
  ctx.save();
  ctx.fillStyle = 'rgba(0, 158, 115, 0.12)';
  ctx.fillRect(u.bbox.left, Math.min(top, bottom), u.bbox.width, Math.abs(bottom - top));
  ctx.strokeStyle = 'rgba(0, 158, 115, 0.6)';
  ctx.setLineDash([4, 3]);
  ctx.beginPath(); ctx.moveTo(u.bbox.left, mid); ctx.lineTo(u.bbox.left + u.bbox.width, mid); ctx.stroke();
  ctx.restore();
}

/** Aligns several [xs, ys...] tables on one x column (nulls where a table has no point). */
export const join = (tables) => uPlot.join(tables);
