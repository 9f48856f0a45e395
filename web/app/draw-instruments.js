// draw-instruments.js: the loss landscape as a heatmap with level lines, the path of the weights
// over it, and its colour legend. Each function paints one canvas from plain data (a landscape event,
// see protocol.js) and keeps no state; axes come from draw.js.
import { drawAxes, plotBox } from './draw.js';
import { formatTicks } from './format.js';

// a perceptually even sequential scale (anchors of viridis): dark purple for low loss, yellow for high
const ANCHORS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
const LEVELS = 12;

/** The colour of t in [0, 1] on the sequential scale. */
export function sequential(t) {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 1)) * (ANCHORS.length - 1), i = Math.min(ANCHORS.length - 2, Math.floor(x)), f = x - i;
  return ANCHORS[i].map((c, k) => Math.round(c + (ANCHORS[i + 1][k] - c) * f));
}

/**
 * The colour scale of one or more landscapes drawn side by side: losses from the lowest to the highest
 * finite value on a log scale (a landscape's walls are often a hundred times its floor).
 */
export function landscapeScale(landscapes) {
  let lo = Infinity, hi = -Infinity;
  for (const l of landscapes) for (const v of l.values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!(lo < hi)) { lo = Number.isFinite(lo) ? lo : 0; hi = lo + 1; }
  const floor = Math.max(lo, hi * 1e-6, 1e-12);   // losses are >= 0; a zero would have no logarithm
  const log = lo > 0;
  const t = (v) => (log ? (Math.log(Math.max(v, floor)) - Math.log(floor)) / (Math.log(hi) - Math.log(floor)) : (v - lo) / (hi - lo));
  return { lo, hi, log, t };
}

/** The plane's point under a pointer at (clientX, clientY), and the loss of the grid cell there, or null outside. */
export function landscapeAt(canvas, clientX, clientY, landscape) {
  const rect = canvas.getBoundingClientRect(), box = plotBox(canvas);
  const px = ((clientX - rect.left) / rect.width) * canvas.width, py = ((clientY - rect.top) / rect.height) * canvas.height;
  const fx = (px - box.left) / box.width, fy = (py - box.top) / box.height;
  if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return null;
  const R = landscape.resolution, j = Math.min(R - 1, Math.floor(fx * R)), i = Math.min(R - 1, Math.floor((1 - fy) * R));
  return { alpha: landscape.alpha[j], beta: landscape.beta[i], loss: landscape.values[i * R + j] };
}

/**
 * A landscape (values[i * R + j] is the loss at alpha[j], beta[i]) as colours of `scale`, with level
 * lines, the recorded path (trajectory directions) and the current weights at the centre (a white ring).
 */
export function drawLandscape(canvas, landscape, scale) {
  const ctx = canvas.getContext('2d'), { values, resolution: R, alpha, beta } = landscape;
  const box = plotBox(canvas), { left, top, width, height } = box;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const level = (i, j) => Math.floor(scale.t(values[Math.min(R - 1, i) * R + Math.min(R - 1, j)]) * LEVELS);
  // one pixel per screen pixel, each reading the grid cell under it, so level lines stay thin
  const image = ctx.createImageData(Math.max(1, Math.floor(width)), Math.max(1, Math.floor(height)));
  for (let y = 0; y < image.height; ++y) {
    const i = Math.min(R - 1, Math.floor(((image.height - 1 - y) / image.height) * R));   // row 0 of the grid is the lowest beta
    for (let x = 0; x < image.width; ++x) {
      const j = Math.min(R - 1, Math.floor((x / image.width) * R)), v = values[i * R + j];
      const c = Number.isFinite(v) ? sequential(scale.t(v)) : [200, 200, 200];
      const p = 4 * (y * image.width + x);
      image.data[p] = c[0]; image.data[p + 1] = c[1]; image.data[p + 2] = c[2]; image.data[p + 3] = 255;
    }
  }
  ctx.putImageData(image, left, top);
  // level lines on the boundaries between grid cells of different levels
  const toX = (a) => left + ((a - alpha[0]) / (alpha[R - 1] - alpha[0])) * width;
  const toY = (b) => top + ((beta[R - 1] - b) / (beta[R - 1] - beta[0])) * height;
  const cw = width / R, ch = height / R;
  ctx.save();
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.45)'; ctx.lineWidth = 1;
  ctx.beginPath();
  for (let i = 0; i < R; ++i) for (let j = 0; j < R; ++j) {
    const here = level(i, j), x = left + j * cw, y = top + (R - 1 - i) * ch;
    if (j + 1 < R && level(i, j + 1) !== here) { ctx.moveTo(x + cw, y); ctx.lineTo(x + cw, y + ch); }
    if (i + 1 < R && level(i + 1, j) !== here) { ctx.moveTo(x, y); ctx.lineTo(x + cw, y); }
  }
  ctx.stroke();
  ctx.beginPath(); ctx.rect(left, top, width, height); ctx.clip();
  if (landscape.path) {
    const { alpha: pa, beta: pb } = landscape.path;
    ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 2.5;
    ctx.beginPath();
    for (let k = 0; k < pa.length; ++k) { if (k) ctx.lineTo(toX(pa[k]), toY(pb[k])); else ctx.moveTo(toX(pa[k]), toY(pb[k])); }
    ctx.stroke();
    ctx.strokeStyle = '#1d1d1f'; ctx.lineWidth = 1;
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    for (let k = 0; k < pa.length; ++k) { ctx.beginPath(); ctx.arc(toX(pa[k]), toY(pb[k]), 2, 0, 2 * Math.PI); ctx.fill(); }
    ctx.fillStyle = '#1d1d1f'; ctx.font = '600 11px system-ui'; ctx.textBaseline = 'bottom';
    ctx.fillText('start', toX(pa[0]) + 5, toY(pb[0]) - 3);
  }
  // the current weights: (0, 0)
  ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 2.5;
  ctx.beginPath(); ctx.arc(toX(0), toY(0), 5, 0, 2 * Math.PI); ctx.stroke();
  ctx.strokeStyle = '#1d1d1f'; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.arc(toX(0), toY(0), 6.5, 0, 2 * Math.PI); ctx.stroke();
  ctx.restore();
  drawAxes(ctx, box, [alpha[0], alpha[R - 1]], [beta[0], beta[R - 1]], 'α', 'β');
}

/** The colour legend of a landscape scale: a bar from the lowest loss to the highest with ticks. */
export function drawLandscapeLegend(canvas, scale) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  const left = 40, right = W - 16, barTop = 4, barH = 12;
  ctx.clearRect(0, 0, W, H);
  for (let x = left; x < right; ++x) {
    const c = sequential((x - left) / (right - left - 1));
    ctx.fillStyle = `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
    ctx.fillRect(x, barTop, 1, barH);
  }
  ctx.strokeStyle = '#5b5b66'; ctx.strokeRect(left - 0.5, barTop - 0.5, right - left + 1, barH + 1);
  ctx.fillStyle = '#5b5b66'; ctx.font = '11px system-ui'; ctx.textBaseline = 'top';
  ctx.textAlign = 'left'; ctx.fillText('loss', 2, barTop);
  const ticks = scale.log ? logTicks(scale.lo, scale.hi) : [scale.lo, (scale.lo + scale.hi) / 2, scale.hi];
  const labels = formatTicks(ticks);
  ticks.forEach((v, k) => {
    const x = left + scale.t(v) * (right - left);
    ctx.beginPath(); ctx.moveTo(x, barTop + barH); ctx.lineTo(x, barTop + barH + 3); ctx.stroke();
    ctx.textAlign = k === 0 ? 'left' : k === ticks.length - 1 ? 'right' : 'center';
    ctx.fillText(labels[k], x, barTop + barH + 4);
  });
  canvas.dataset.range = `${scale.lo},${scale.hi}`;
}

/** The ends and up to three values between them spaced evenly on a log scale. */
function logTicks(lo, hi) {
  const ticks = [lo];
  for (let k = 1; k < 4; ++k) ticks.push(lo * (hi / lo) ** (k / 4));
  ticks.push(hi);
  return ticks.map((v) => Number(v.toPrecision(2)));
}
