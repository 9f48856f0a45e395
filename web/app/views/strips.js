// strips.js: train mode's depth x time strips: for each quantity a heat strip with one row per layer
// (the input side on top) and the steps trained so far from left to right, coloured on a log scale
// with its legend (web/lib/strips.js), so vanishing or exploding gradients in a deep network show at
// a glance. Drawn from the per-layer curves the session keeps (session.js LAYER_CURVES); the scrubbed
// step is marked.
import { seriesColor } from '../charts.js';
import { el } from '../dom.js';
import { niceTicks } from '../draw.js';
import { formatTicks } from '../format.js';
import { drawPixels } from '../pixels.js';
import { rampColor, stripFromCurves, stripPosition, stripTicks } from '../../lib/strips.js';
import { layerNames } from './single.js';

const $ = (id) => document.getElementById(id);

/** The strips shown, in order: the quantity (web/lib/strips.js), the session's curve of it, a title. */
export const STRIPS = [
  { quantity: 'gradientNorm', curve: 'gradNorm', title: 'Gradient norm ‖∂L/∂W‖' },
  { quantity: 'updateRatio', curve: 'ratio', title: 'Update / weight ratio ‖ΔW‖/‖W‖' },
  { quantity: 'saturated', curve: 'saturated', title: 'Saturated share of units' },
  { quantity: 'dead', curve: 'dead', title: 'Dead share of units (ReLU never on)' },
  { quantity: 'activationStd', curve: 'activationStd', title: 'Activation std' },
];

const MISSING = [228, 228, 234, 255];
// the ramp's colours at 256 positions, as RGBA, made once: a strip repaints every pixel each frame
const RAMP = Array.from({ length: 256 }, (_, i) => [...rampColor(i / 255), 255]);
const MARGIN = { left: 46, right: 58, top: 16, bottom: 22 };
const INK = '#1d1d1f', MUTED = '#5b5b66', FONT = '11px system-ui';

/** Rows of a strip in pixels: taller for a few layers, at least 9 px for a deep network. */
export const rowHeight = (layers) => Math.max(9, Math.min(16, Math.floor(150 / Math.max(1, layers))));

/** A legend label: a power of ten as 1e-3, other values with two significant digits. */
const tickText = (v) => (v >= 0.01 && v < 1000 ? String(Number(v.toPrecision(2))) : v.toExponential(0).replace('+', ''));

/**
 * One strip on `canvas`: its title, the layers' names, the cells (each pixel column shows the latest
 * step at or before its place on the step axis), the step axis, the colour legend, and a line at
 * `marked` (a step, or null).
 */
export function drawStrip(canvas, strip, { title, names, marked = null }) {
  const rh = rowHeight(strip.layers), H = MARGIN.top + strip.layers * rh + MARGIN.bottom;
  if (canvas.height !== H) canvas.height = H;
  const ctx = canvas.getContext('2d'), W = canvas.width;
  ctx.clearRect(0, 0, W, H);
  ctx.font = `600 ${FONT}`; ctx.fillStyle = INK; ctx.textBaseline = 'top';
  ctx.fillText(title, MARGIN.left, 1);
  const left = MARGIN.left, top = MARGIN.top, pw = Math.max(1, W - MARGIN.left - MARGIN.right), ph = strip.layers * rh;
  const steps = strip.steps, cols = steps.length;
  // layer names, each after a swatch of the layer's colour
  ctx.font = FONT; ctx.textBaseline = 'middle';
  for (let r = 0; r < strip.layers; ++r) {
    const y = top + (r + 0.5) * rh;
    ctx.fillStyle = seriesColor(r); ctx.fillRect(2, y - 3, 6, 6);
    ctx.fillStyle = INK; ctx.fillText(names[r] ?? `layer ${r}`, 11, y);
  }
  if (!cols) return;
  const x0 = steps[0], x1 = Math.max(steps[cols - 1], x0 + 1);
  const px = Math.floor(pw);
  drawPixels(ctx, px, strip.layers, (data) => {
    for (let x = 0, c = 0; x < px; ++x) {
      const at = x0 + ((x + 0.5) / px) * (x1 - x0);
      while (c + 1 < cols && steps[c + 1] <= at) c++;
      for (let r = 0; r < strip.layers; ++r) {
        const t = stripPosition(strip, strip.values[r * cols + c]);
        const colour = t === null ? MISSING : RAMP[Math.round(t * (RAMP.length - 1))], p = 4 * (r * px + x);
        data[p] = colour[0]; data[p + 1] = colour[1]; data[p + 2] = colour[2]; data[p + 3] = 255;
      }
    }
  }, { left, top, width: px, height: ph, smooth: false });
  ctx.strokeStyle = MUTED; ctx.lineWidth = 1; ctx.strokeRect(left - 0.5, top - 0.5, px + 1, ph + 1);
  // the step axis
  // ticks clear of the axis name at the right end
  const ticks = niceTicks(x0, x1, Math.max(2, Math.round(pw / 90))).filter((t) => t >= x0 && left + ((t - x0) / (x1 - x0)) * px < left + px - 44);
  ctx.fillStyle = MUTED; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  formatTicks(ticks).forEach((label, k) => {
    const x = left + ((ticks[k] - x0) / (x1 - x0)) * px;
    ctx.beginPath(); ctx.moveTo(x, top + ph); ctx.lineTo(x, top + ph + 3); ctx.stroke();
    ctx.fillText(label, x, top + ph + 4);
  });
  ctx.textAlign = 'right'; ctx.font = `600 ${FONT}`; ctx.fillText('step', left + px, top + ph + 4);
  ctx.textAlign = 'left'; ctx.font = FONT;
  if (marked !== null && marked >= x0 && marked <= x1) {
    const x = left + ((marked - x0) / (x1 - x0)) * px;
    ctx.strokeStyle = INK; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(x, top - 3); ctx.lineTo(x, top + ph + 3); ctx.stroke(); ctx.lineWidth = 1;
  }
  // the legend: the ramp from lo (bottom) to hi (top), labelled at powers of ten
  const lx = left + px + 8, lh = Math.max(ph, 24), ly = top + (ph - lh) / 2;
  if (strip.lo === null) { ctx.fillStyle = MUTED; ctx.textBaseline = 'middle'; ctx.fillText('none', lx, top + ph / 2); return; }
  drawPixels(ctx, 1, lh, (data) => {
    for (let i = 0; i < lh; ++i) data.set(RAMP[Math.round((1 - (i + 0.5) / lh) * (RAMP.length - 1))], 4 * i);
  }, { left: lx, top: ly, width: 8, height: lh, smooth: false });
  ctx.fillStyle = MUTED; ctx.textBaseline = 'middle';
  const labels = stripTicks(strip);
  const every = Math.max(1, Math.ceil((labels.length * 12) / lh));   // no two labels on top of each other
  labels.forEach((v, k) => {
    if (k % every) return;
    ctx.fillText(tickText(v), lx + 11, ly + lh - stripPosition(strip, v) * lh);
  });
}

/** The strips over `page` ({ state, session, redraw() }) and the step in view; returns { render(), summary() }. */
export function createStrips(page, shownStep) {
  const box = $('strips');
  const canvases = STRIPS.map((s) => el('canvas', { width: '600', height: '120', 'aria-label': `${s.title} per layer over the steps, log colour scale` }));
  box.replaceChildren(...canvases);
  let drawn = '', strips = [];
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(([entry]) => {
      const w = Math.floor(entry.contentRect.width);
      if (w < 120 || w === canvases[0].width) return;
      for (const c of canvases) c.width = w;
      drawn = '';
      page.redraw();
    }).observe(box);
  }

  // the strips of one redraw, one after another: past the frame's deadline the rest wait for the
  // next frame (main.js keeps this view's turn while render returns false)
  let next = 0, passKey = '';
  return {
    render(deadline = Infinity) {
      const run = page.session.runs[0];
      if (!run?.built || page.state.mode !== 'train') return;
      const lc = run.layerCurves, layers = run.built.layers.length, marked = shownStep();
      const key = `${run.generation} ${lc.x.length} ${lc.x.at(-1)} ${marked} ${canvases[0].width}`;
      if (key === drawn) return;   // nothing new to show
      if (next === 0) passKey = key;
      const names = layerNames(run.built, layers);
      while (next < STRIPS.length) {
        const k = next++, s = STRIPS[k];
        const rows = Array.from({ length: layers }, (_, l) => lc[s.curve][l] ?? []);
        const strip = stripFromCurves(s.quantity, lc.x, rows);
        drawStrip(canvases[k], strip, { title: s.title, names, marked });
        canvases[k].dataset.rows = String(strip.layers);
        strips[k] = strip;
        if (next < STRIPS.length && performance.now() > deadline) return false;
      }
      next = 0;
      drawn = passKey;   // a pass that began at older news: the next redraw draws them all again
    },
    /** Per strip: its quantity, rows, columns, lo, hi and the last column's value per layer (null where none). */
    summary: () => strips.map((s) => {
      const cols = s.steps.length;
      return {
        quantity: s.quantity, rows: s.layers, columns: cols, lo: s.lo, hi: s.hi, lastStep: s.steps[cols - 1] ?? null,
        last: Array.from({ length: s.layers }, (_, r) => (cols && Number.isFinite(s.values[r * cols + cols - 1]) ? s.values[r * cols + cols - 1] : null)),
      };
    }),
  };
}
