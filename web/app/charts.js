// charts.js: the streaming line charts, thin wrappers over uPlot (the two palettes are palette.js's).
// Data arrive as columns. A chart takes the width of its container and follows it as it resizes.
import { fmt, formatTicks } from './format.js';

// the palettes are palette.js's (pure, so that the run controller can name a run's colour without uPlot)
export { PALETTE, RGB, SERIES, seriesColor } from './palette.js';

// uPlot is loaded by import(), not by a static import: evaluated in the page's first task (145 kB
// and the number formatter it makes at load) it took about 20 ms of it, before anything was drawn.
// And not at once: most of those 20 ms were that formatter. A renderer process's first
// Intl.NumberFormat loads ICU's locale data, 20-30 ms of the thread that asks; ICU keeps them for
// the whole process, and every run's worker makes a formatter as it starts (worker.js). So the
// library is loaded once a worker has started (main.js and the embed call loadCharts on the
// session's `started` event), and its formatter then costs the page's thread about 0.2 ms; at the
// latest CHARTS_LATEST_MS after this module loads, whatever the workers do. The page builds its
// charts after its first frame anyway (later.js waits for chartsLoaded), the embed through whenCharts.
export const CHARTS_LATEST_MS = 1500;
let uPlot = null, loadError = null, load;
export const chartsLoaded = new Promise((resolve) => { load = resolve; })
  .then(() => import('../vendor/uplot/uPlot.esm.js')).then((m) => { uPlot = m.default; }, (e) => { loadError = e; });
/** Loads the chart library now (once; later calls do nothing). */
export const loadCharts = () => load();
setTimeout(loadCharts, CHARTS_LATEST_MS).unref?.();   // Node: the timer alone does not keep the process alive

/** Runs fn now if the chart library is loaded, else as soon as it is. */
export function whenCharts(fn) {
  if (uPlot) fn(); else chartsLoaded.then(fn);
}

const FONT = '11px system-ui', LABEL_FONT = '600 11px system-ui';

/**
 * A line chart in `el`: series [{ label, stroke, dash, width, value (the legend's text for a value:
 * (u, v, seriesIndex, dataIndex) => string) }], options { height, title, yLabel, logY, band: [lo,
 * hi] shaded on the y axis, xLabel, yRange, legend, sync (a cursor sync key), width (fixed; by default
 * the container's), marks: () => [{ x, text, color }] vertical lines with a label, read at every
 * redraw, marksAt: 'top' | 'bottom' where their labels go, crosses (() => per series [[x, y], ...],
 * each drawn as a cross in its colour, where a line ends off the chart), hooks (more uPlot hooks), logX (a log x axis) }.
 * The legend shows each series' value at the cursor.
 */
export function lineChart(el, {
  width, height = 150, series, logY = false, band, yRange, legend = true, xLabel = 'step', yLabel, title, xIncrs, ySpace = 30, sync, marks, marksAt = 'top', crosses, hooks = {},
  logX = false,
}) {
  if (!uPlot) {
    throw new Error(loadError ? `lineChart: the chart library (vendor/uplot/uPlot.esm.js) did not load: ${loadError.message}`
      : 'lineChart: the chart library is still loading (build charts in whenCharts or a later.js piece)');
  }
  el._glChart?.destroy();
  el._glResize?.disconnect();
  el.replaceChildren();
  const fit = width == null;
  const opts = {
    width: fit ? widthOf(el) : width, height, title, legend: { show: legend, live: true, markers: { width: 2, dash: (u, i) => (u.series[i].dash ? 'dashed' : 'solid') } },
    cursor: { drag: { x: false, y: false }, points: { show: true, size: 5 }, ...(sync ? { sync: { key: sync } } : {}) },
    scales: { x: logX ? { time: false, distr: 3 } : { time: false }, y: logY ? { distr: 3 } : (yRange ? { range: yRange } : { auto: true }) },
    axes: [{ label: xLabel, labelSize: 14, size: 30, font: FONT, labelFont: LABEL_FONT, ...(xIncrs ? { incrs: xIncrs } : {}),
      ...(logX ? { values: (u, ticks) => ticks.map(logTick), grid: { stroke: 'rgba(0, 0, 0, 0.05)', width: 1 } } : {}) },
      { label: yLabel, labelSize: yLabel ? 14 : 0, size: 46, space: ySpace, font: FONT, labelFont: LABEL_FONT, values: (u, ticks) => formatTicks(ticks) }],
    series: [{ label: xLabel, value: (u, v) => (v == null ? '–' : String(v)) }, ...series.map((s) => ({
      label: s.label, stroke: s.stroke, width: s.width ?? 1.5, dash: s.dash, spanGaps: true, points: { show: false },
      value: s.value ?? ((u, v) => fmt(v)),
    }))],
    hooks: {
      // the caller's own hooks run first, then the band, marks and crosses of these options
      ...hooks,
      drawClear: [...(hooks.drawClear ?? []), ...(band ? [(u) => shadeBand(u, band)] : [])],
      draw: [...(hooks.draw ?? []), ...(marks ? [(u) => drawMarks(u, marks(), marksAt)] : []), ...(crosses ? [(u) => drawCrosses(u, crosses(), series)] : [])],
    },
  };
  const chart = new uPlot(opts, [[], ...series.map(() => [])], el);
  el._glChart = chart;
  if (fit && typeof ResizeObserver === 'function') {
    let last = opts.width;
    el._glResize = new ResizeObserver(() => {
      const w = widthOf(el);
      if (Math.abs(w - last) < 2) return;
      last = w;
      chart.setSize({ width: w, height });
    });
    el._glResize.observe(el);
  }
  return chart;
}

/** The width a chart in `el` may take: its container's content box, at least 200 px. */
const widthOf = (el) => Math.max(200, Math.floor(el.clientWidth || el.parentElement?.clientWidth || 320));

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

/** A tick of a log axis: 1e-4, 0.001 … 10, 100, 1e+3 (uPlot labels the powers of ten only). */
const logTick = (v) => (v == null ? '' : v >= 1e-3 && v < 1e3 ? String(Number(v.toPrecision(1))) : v.toExponential(0));

/** A cross in the colour of series[k] at each [x, y] of crosses[k], drawn over the plot. */
function drawCrosses(u, crosses, series) {
  const ctx = u.ctx, r = 5 * devicePixelRatio;
  ctx.save();
  ctx.beginPath(); ctx.rect(u.bbox.left - r, u.bbox.top - r, u.bbox.width + 2 * r, u.bbox.height + 2 * r); ctx.clip();
  crosses.forEach((list, k) => {
    if (!u.series[k + 1]?.show) return;
    for (const [x, y] of list) {
      const px = u.valToPos(x, 'x', true), py = u.valToPos(y, 'y', true);
      if (Number.isFinite(px) && Number.isFinite(py)) crossAt(ctx, px, py, r, series[k].stroke);
    }
  });
  ctx.restore();
}

/** Vertical lines at x across the plot, each labelled at its top (to its left near the right edge). */
function drawMarks(u, marks, at) {
  if (!marks.length) return;
  const ctx = u.ctx, { left, top, width, height } = u.bbox, px = uPlot.pxRatio;
  ctx.save();
  ctx.font = `${Math.round(10 * px)}px system-ui`;
  ctx.textAlign = 'left';   // uPlot leaves the axes' alignment on the context
  ctx.textBaseline = at === 'bottom' ? 'bottom' : 'top';
  marks.forEach((m, i) => {
    // on a pixel's middle for an odd line width, so that the line is one crisp column
    const x = Math.round(u.valToPos(m.x, 'x', true)) + (Math.round(px) % 2) / 2;
    if (!(x >= left && x <= left + width)) return;
    ctx.strokeStyle = ctx.fillStyle = m.color;
    ctx.lineWidth = px;
    ctx.setLineDash([4 * px, 3 * px]);
    ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
    if (!m.text) return;
    const w = ctx.measureText(m.text).width, right = x + 4 * px + w > left + width;
    const stack = (2 + 12 * (i % 3)) * px;   // a few marks close together stack
    const tx = right ? x - 4 * px - w : x + 4 * px, ty = at === 'bottom' ? top + height - stack : top + stack;
    // a white halo keeps the words readable over the lines without hiding them
    ctx.setLineDash([]);
    ctx.lineWidth = 3 * px;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
    ctx.strokeText(m.text, tx, ty);
    ctx.fillText(m.text, tx, ty);
  });
  ctx.restore();
}

/** A cross of half-width r at (x, y): white under, `color` over, so it reads on any background. */
export function crossAt(ctx, x, y, r, color) {
  ctx.save();
  ctx.lineCap = 'round';
  for (const [style, width] of [['#fff', 5], [color, 2.5]]) {
    ctx.strokeStyle = style; ctx.lineWidth = width * (r / 5);
    ctx.beginPath(); ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r); ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r); ctx.stroke();
  }
  ctx.restore();
}

/** Aligns several [xs, ys...] tables on one x column (nulls where a table has no point). */
export const join = (tables) => uPlot.join(tables);
