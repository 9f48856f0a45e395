// draw.js: the canvas views (heatmaps, histograms, network diagram, contours) and their axes. Each
// function paints one canvas from plain data. What repaints every frame allocates as little as it
// can (the page's main thread collects what it drops, in pauses): pixel pictures go through
// pixels.js's kept buffers, and the CSS colours of a data set's points are made once per split.
import { PALETTE, RGB, crossAt, seriesColor } from './charts.js';
import { visiblePath } from './race-fate.js';
import { formatTicks } from './format.js';
import { drawPixels } from './pixels.js';
import { hasInputPlane } from './protocol.js';

const NEG = [0, 114, 178], POS = [230, 159, 0];   // blue for negative, orange for positive

/** Diverging colour for t in [-1, 1]: blue, white, orange, as [r, g, b] written into `out`. */
function diverging(t, out = [0, 0, 0]) {
  const c = t < 0 ? NEG : POS, a = Math.min(1, Math.abs(t));
  out[0] = 255 + (c[0] - 255) * a; out[1] = 255 + (c[1] - 255) * a; out[2] = 255 + (c[2] - 255) * a;
  return out;
}

/**
 * A rows x cols image of colours from fill(i, j, out), which writes [r, g, b] into `out` (one array
 * for the whole picture: these repaint every frame), scaled to the box (left, top, width, height).
 */
function paintImage(ctx, width, height, rows, cols, fill, left = 0, top = 0) {
  const c = [0, 0, 0];
  drawPixels(ctx, cols, rows, (data) => {
    for (let i = 0; i < rows; ++i) for (let j = 0; j < cols; ++j) {
      fill(i, j, c);
      const p = 4 * (i * cols + j);
      data[p] = c[0]; data[p + 1] = c[1]; data[p + 2] = c[2]; data[p + 3] = 255;
    }
  }, { left, top, width, height });
}

/** CSS colours of a split's points (class colours, or diverging by target value), made once per split. */
const pointColours = new WeakMap();
function colours(split, classes) {
  let css = pointColours.get(split);
  if (!css) {
    css = Array.from(split.y, (v) => (classes > 0 ? PALETTE[v % PALETTE.length] : `rgb(${diverging(v)})`));
    pointColours.set(split, css);
  }
  return css;
}

/**
 * Whether `canvas` was last drawn from these same inputs (each compared by identity), and notes
 * them: a view whose inputs change less often than frames come skips the redraws that would paint
 * the same picture. A canvas whose size is set is cleared, so its size belongs to the inputs.
 */
const drawnFrom = new WeakMap();
function unchanged(canvas, inputs) {
  const last = drawnFrom.get(canvas);
  drawnFrom.set(canvas, inputs);
  return last !== undefined && last.length === inputs.length && last.every((v, i) => v === inputs[i]);
}

// ---------- axes ----------

const AXIS = '#5b5b66', AXIS_FONT = '11px system-ui';

/**
 * The plotted box of a canvas with axes: room on the left for the y ticks and on the bottom for the
 * x ticks and names. Clicks on a plot are read through the same box.
 */
export function plotBox(canvas) {
  const small = canvas.width < 160, left = small ? 26 : 32, bottom = small ? 24 : canvas.width < 240 ? 26 : 30;
  return { left, top: 6, width: canvas.width - left - 6, height: canvas.height - bottom - 6 };
}

/** Ticks at 1, 2 or 5 times a power of ten, about `count` of them over [lo, hi]. */
export function niceTicks(lo, hi, count = 5) {
  const raw = (hi - lo) / Math.max(1, count), p = 10 ** Math.floor(Math.log10(raw)), m = raw / p;
  const step = (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

/** A frame around `box` with ticks and numbers on the bottom (x over xr) and left (y over yr), and the axes' names. */
export function drawAxes(ctx, box, [x0, x1], [y0, y1], xName, yName) {
  const { left, top, width, height } = box, bottom = top + height;
  ctx.save();
  ctx.strokeStyle = AXIS; ctx.fillStyle = AXIS; ctx.lineWidth = 1; ctx.font = AXIS_FONT;
  ctx.strokeRect(left - 0.5, top - 0.5, width + 1, height + 1);
  const xt = niceTicks(x0, x1, Math.max(2, Math.round(width / 70))), yt = niceTicks(y0, y1, Math.max(2, Math.round(height / 70)));
  ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  formatTicks(xt).forEach((label, k) => {
    const x = left + ((xt[k] - x0) / (x1 - x0)) * width;
    ctx.beginPath(); ctx.moveTo(x, bottom); ctx.lineTo(x, bottom + 4); ctx.stroke();
    ctx.fillText(label, x, bottom + 5);
  });
  ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
  formatTicks(yt).forEach((label, k) => {
    const y = bottom - ((yt[k] - y0) / (y1 - y0)) * height;
    ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left - 4, y); ctx.stroke();
    ctx.fillText(label, left - 6, y);
  });
  ctx.font = `600 ${AXIS_FONT}`;
  ctx.textAlign = 'right'; ctx.textBaseline = 'bottom';
  ctx.fillText(xName, left + width, ctx.canvas.height - 1);
  ctx.save(); ctx.translate(7, top); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
  ctx.fillText(yName, 0, 0); ctx.restore();
  ctx.restore();
  ctx.canvas.dataset.axes = `${xName},${yName}`;   // what the axes say, for tests and tools reading the page
}

/**
 * Sizes `target`'s drawing buffer to the width of `container` (its parent unless given) as that
 * changes: `aspect` (height over width) or a fixed `height`, at most `max` wide; `onResize` redraws.
 */
export function fitCanvas(target, { aspect, height, max = Infinity }, onResize, container = target.parentElement) {
  if (typeof ResizeObserver !== 'function' || !container) return;
  new ResizeObserver(([entry]) => {
    const w = Math.floor(Math.min(max, entry.contentRect.width));
    if (w < 120 || w === target.width) return;
    target.width = w;
    target.height = aspect ? Math.round(w * aspect) : height;
    onResize();
  }).observe(container);
}

/**
 * The decision boundary (classes: colour of the likeliest class, paler where unsure), the fitted
 * surface (plane: diverging colours) or the fitted curve (sine), with train points filled and test
 * points as rings.
 */
export function drawBoundary(canvas, built, outputs) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  const { extent, gridSize: G, classes, inputs } = built;
  const box = plotBox(canvas), { left, top, width, height } = box;
  const toX = (x) => left + ((x + extent) / (2 * extent)) * width, toY = (y) => top + ((extent - y) / (2 * extent)) * height;
  ctx.clearRect(0, 0, W, H);
  if (!hasInputPlane(inputs)) return;
  if (inputs === 1) {
    drawCurve(ctx, box, built, outputs, toX);
    drawAxes(ctx, box, [-extent, extent], [CURVE_LO, CURVE_HI], 'x', 'y');
    return;
  }
  if (classes > 0) {
    paintImage(ctx, width, height, G, G, (i, j, out) => {
      const p = (i * G + j) * classes;
      let best = 0;
      for (let c = 1; c < classes; ++c) if (outputs[p + c] > outputs[p + best]) best = c;
      const conf = Number.isFinite(outputs[p + best]) ? Math.max(0, (outputs[p + best] - 1 / classes) / (1 - 1 / classes)) : 0;
      const col = RGB[best % RGB.length], a = 0.15 + 0.55 * conf;
      out[0] = 255 + (col[0] - 255) * a; out[1] = 255 + (col[1] - 255) * a; out[2] = 255 + (col[2] - 255) * a;
    }, left, top);
  } else {
    paintImage(ctx, width, height, G, G, (i, j, out) => diverging(outputs[i * G + j] || 0, out), left, top);
  }
  ctx.drawImage(pointsLayer(canvas, built, toX, toY), 0, 0);
  drawAxes(ctx, box, [-extent, extent], [-extent, extent], 'x₁', 'x₂');
}

/**
 * The data set's points over a boundary, painted once per network built and canvas size on a
 * transparent layer of the canvas's size (kept per canvas), which each redraw lays over the new
 * picture: the points never move while the boundary repaints every frame, and a few hundred circles
 * drawn one by one were most of a redraw's time.
 */
const pointLayers = new WeakMap();   // canvas -> { built, width, height, layer }
function pointsLayer(canvas, built, toX, toY) {
  const kept = pointLayers.get(canvas);
  if (kept?.built === built && kept.width === canvas.width && kept.height === canvas.height) return kept.layer;
  const layer = new OffscreenCanvas(canvas.width, canvas.height), ctx = layer.getContext('2d');
  const r = plotBox(canvas).width < 200 ? 2.4 : 3;
  for (const [split, ring] of [['train', false], ['test', true]]) {
    const { x, y } = built[split], css = colours(built[split], built.classes);
    for (let k = 0; k < y.length; ++k) {
      ctx.beginPath();
      ctx.arc(toX(x[2 * k]), toY(x[2 * k + 1]), ring ? r + 0.2 : r, 0, 2 * Math.PI);
      if (ring) { ctx.lineWidth = 1.8; ctx.strokeStyle = css[k]; ctx.stroke(); } else {
        ctx.fillStyle = css[k]; ctx.fill(); ctx.lineWidth = 0.8; ctx.strokeStyle = '#fff'; ctx.stroke();
      }
    }
  }
  pointLayers.set(canvas, { built, width: canvas.width, height: canvas.height, layer });
  return layer;
}

const CURVE_LO = -1.6, CURVE_HI = 1.6;   // the y range a fitted curve is shown over

function drawCurve(ctx, { left, top, width, height }, built, outputs, toX) {
  const toY = (v) => top + ((CURVE_HI - v) / (CURVE_HI - CURVE_LO)) * height;
  ctx.save();
  ctx.beginPath(); ctx.rect(left, top, width, height); ctx.clip();
  ctx.strokeStyle = '#ddd'; ctx.beginPath(); ctx.moveTo(left, toY(0)); ctx.lineTo(left + width, toY(0)); ctx.stroke();
  for (const [split, ring] of [['train', false], ['test', true]]) {
    const { x, y } = built[split];
    for (let r = 0; r < y.length; ++r) {
      ctx.beginPath(); ctx.arc(toX(x[r]), toY(y[r]), 3, 0, 2 * Math.PI);
      if (ring) { ctx.strokeStyle = PALETTE[1]; ctx.stroke(); } else { ctx.fillStyle = PALETTE[1]; ctx.fill(); }
    }
  }
  ctx.strokeStyle = PALETTE[0]; ctx.lineWidth = 2.5; ctx.beginPath();
  const n = outputs.length;
  for (let j = 0; j < n; ++j) {
    const v = Math.max(CURVE_LO - 1, Math.min(CURVE_HI + 1, Number.isFinite(outputs[j]) ? outputs[j] : 0));
    const px = left + ((j + 0.5) / n) * width;
    if (j) ctx.lineTo(px, toY(v)); else ctx.moveTo(px, toY(v));
  }
  ctx.stroke();
  ctx.restore();
}

/** A values grid (size x size, row 0 at the top) as a diverging heatmap scaled to its own range. */
export function drawHeat(canvas, values, size) {
  const ctx = canvas.getContext('2d');
  let m = 1e-9;
  for (const v of values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  if (values.length === size * 4) {   // a 1-D input: draw the unit's output as a curve
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = PALETTE[0]; ctx.lineWidth = 2; ctx.beginPath();
    values.forEach((v, j) => { const x = (j / values.length) * canvas.width, y = canvas.height * (0.5 - 0.45 * v / m); if (j) ctx.lineTo(x, y); else ctx.moveTo(x, y); });
    ctx.stroke(); ctx.lineWidth = 1;
    return;
  }
  paintImage(ctx, canvas.width, canvas.height, size, size, (i, j, out) => diverging(values[i * size + j] / m, out));
}

/**
 * Per-layer ridgelines: for each layer a panel with its histogram history of `kind`, the newest at
 * the bottom, each drawn against the panel's common range so shifts and spreads are visible.
 */
export function drawHistograms(canvas, history, kind, labels) {
  // the history takes a snapshot every HISTORY_EVERY ms (session.js), several frames apart: in
  // between, the same ridgelines would be drawn again
  if (unchanged(canvas, [history[0], history.at(-1), history.length, kind, labels.join('\n'), canvas.width, canvas.height])) return;
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  // only layers that have such values get a panel (pool and flatten layers have no weights)
  const shown = labels.map((_, l) => l).filter((l) => history.some((snap) => snap[l]?.[kind]?.counts.some((c) => c > 0)));
  const L = shown.length;
  if (!L || !history.length) return;
  const pw = W / L, top = 14, axis = 12, ridge = (H - top - axis) / 3;
  ctx.font = '11px system-ui'; ctx.textBaseline = 'top';
  for (const [panel, l] of shown.entries()) {
    const x0 = panel * pw + 4, w = pw - 8;
    let lo = Infinity, hi = -Infinity;
    for (const snap of history) { const h = snap[l]?.[kind]; if (h) { lo = Math.min(lo, h.min); hi = Math.max(hi, h.max); } }
    if (!Number.isFinite(lo)) continue;
    if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
    const colour = seriesColor(l);   // the layer's colour, as in the per-layer charts
    layerLabel(ctx, labels[l], l, x0, 0, 'left');
    const n = history.length;
    for (let k = 0; k < n; ++k) {
      const h = history[k][l]?.[kind];
      if (!h) continue;
      const base = top + ridge * 2 + ((H - top - axis - ridge * 2 - 2) * k) / Math.max(1, n - 1);
      let peak = 1;
      for (const c of h.counts) peak = Math.max(peak, c);
      const bw = (h.max - h.min) / h.counts.length;
      const newest = k === n - 1;
      ctx.beginPath(); ctx.moveTo(x0 + ((h.min - lo) / (hi - lo)) * w, base);
      h.counts.forEach((c, b) => {
        const xa = x0 + ((h.min + b * bw - lo) / (hi - lo)) * w, xb = x0 + ((h.min + (b + 1) * bw - lo) / (hi - lo)) * w;
        const y = base - (c / peak) * ridge * (newest ? 1.9 : 1.2);
        ctx.lineTo(xa, y); ctx.lineTo(xb, y);
      });
      ctx.lineTo(x0 + ((h.max - lo) / (hi - lo)) * w, base); ctx.closePath();
      ctx.globalAlpha = newest ? 0.8 : 0.06 + 0.16 * (k / n);
      ctx.fillStyle = colour; ctx.fill();
      ctx.globalAlpha = 1;
      ctx.strokeStyle = newest ? colour : 'rgba(0,0,0,0.25)'; ctx.stroke();
    }
    ctx.fillStyle = '#5b5b66'; ctx.textBaseline = 'bottom';
    if (pw < 70) { ctx.textBaseline = 'top'; continue; }
    ctx.fillText(short(lo), x0, H); const hiText = short(hi); ctx.fillText(hiText, x0 + w - ctx.measureText(hiText).width, H);
    ctx.textBaseline = 'top';
  }
}

/** A layer's name in ink after a swatch of its colour (the light colours of the palette are too pale for text), from the top at y. */
function layerLabel(ctx, text, l, x, y, align) {
  ctx.save();
  ctx.font = '600 11px system-ui'; ctx.textBaseline = 'top'; ctx.textAlign = 'left';
  const w = 10 + ctx.measureText(text).width, left = align === 'center' ? x - w / 2 : x;
  ctx.fillStyle = seriesColor(l); ctx.fillRect(left, y + 2, 7, 7);
  ctx.fillStyle = '#1d1d1f'; ctx.fillText(text, left + 10, y);
  ctx.restore();
}

const short = (v) => (Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : v.toFixed(2));

/** Bars per layer: saturated share (orange) and dead share (blue), each with its percentage above it. */
export function drawHealth(canvas, layers, labels) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  const L = layers.length, pw = W / Math.max(1, L), top = 28, base = H - 16, span = base - top;
  ctx.font = '11px system-ui'; ctx.textBaseline = 'top';
  ctx.fillStyle = PALETTE[1]; ctx.fillRect(2, 3, 10, 10);
  ctx.fillStyle = '#5b5b66'; ctx.fillText('saturated', 15, 2);
  const key = 15 + ctx.measureText('saturated').width + 12;
  ctx.fillStyle = PALETTE[0]; ctx.fillRect(key, 3, 10, 10);
  ctx.fillStyle = '#5b5b66'; ctx.fillText('dead (ReLU never on)', key + 13, 2);
  ctx.strokeStyle = '#ddd'; ctx.beginPath(); ctx.moveTo(0, top); ctx.lineTo(W, top); ctx.moveTo(0, base + 0.5); ctx.lineTo(W, base + 0.5); ctx.stroke();
  ctx.textAlign = 'right'; ctx.fillText('100%', W - 2, top - 12); ctx.textAlign = 'left';
  const pctText = (v) => (Number.isFinite(v) ? `${Math.round(100 * v)}%` : '–');
  const narrow = pw * 0.36 < 24;   // too narrow for a number over each bar: both numbers over the pair, one a line
  layers.forEach((layer, l) => {
    const x0 = l * pw + pw * 0.12, bw = pw * 0.36;
    [[layer.saturated, PALETTE[1]], [layer.dead, PALETTE[0]]].forEach(([v, colour], b) => {
      const share = Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0, x = x0 + b * bw;
      ctx.fillStyle = colour; ctx.fillRect(x, base - share * span, bw - 1, share * span);
      ctx.textAlign = 'center'; ctx.textBaseline = 'bottom'; ctx.font = '11px system-ui';
      const barTop = base - Math.max(layer.saturated || 0, layer.dead || 0) * span;
      if (narrow) {
        ctx.fillStyle = b ? '#004b75' : '#8a5a00';
        ctx.fillText(pctText(v), x0 + bw, Math.max(top + 24, barTop - 2) - (1 - b) * 12);
      } else {
        ctx.fillStyle = '#1d1d1f';
        ctx.fillText(pctText(v), x + bw / 2, Math.max(top + 11, base - share * span - 1));
      }
    });
    layerLabel(ctx, labels[l], l, l * pw + pw / 2, base + 3, 'center');
  });
  ctx.textAlign = 'left'; ctx.font = '11px system-ui';
}

/** A link's |weight| / the layer's largest, in bands: its opacity and width are the band's middle's. */
const LINK_LEVELS = 16;
const LINK_STYLES = Array.from({ length: 2 * LINK_LEVELS }, (_, i) => {
  const t = (Math.floor(i / 2) + 0.5) / LINK_LEVELS, col = i % 2 ? NEG : POS;
  return [`rgba(${col},${(0.05 + 0.85 * t).toFixed(3)})`, 0.5 + 1.5 * t];
});

/**
 * The network: inputs, units per layer (at most 24 drawn per layer), links coloured by the sign
 * of the weight and as opaque as its size. Returns the units' positions for hover tests.
 */
export function drawDiagram(canvas, inputs, layers, weights) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  const columns = [inputs, ...layers.map((l) => l.units)];
  const shown = columns.map((n) => Math.min(n, 24));
  const xs = columns.map((_, c) => 16 + (c * (W - 32)) / Math.max(1, columns.length - 1));
  const ys = shown.map((n) => Array.from({ length: n }, (_, k) => ((H - 12) * (k + 0.5)) / n));
  const positions = [];
  // the links in LINK_LEVELS bands of |weight| per sign, each band one path stroked once (a stroke
  // per link, with its own colour to parse, was most of a redraw), the faintest first
  const bands = Array.from({ length: 2 * LINK_LEVELS }, () => new Path2D());
  for (let l = 0; l < layers.length; ++l) {
    const w = weights[l];
    if (!w || !w.length) continue;
    let m = 1e-9;
    for (const v of w) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
    const out = columns[l + 1];
    for (let a = 0; a < shown[l]; ++a) for (let b = 0; b < shown[l + 1]; ++b) {
      const v = w[a * out + b];
      const t = Number.isFinite(v) ? v / m : 0;
      const band = bands[2 * Math.min(LINK_LEVELS - 1, Math.floor(Math.abs(t) * LINK_LEVELS)) + (t < 0 ? 1 : 0)];
      band.moveTo(xs[l], ys[l][a]); band.lineTo(xs[l + 1], ys[l + 1][b]);
    }
  }
  bands.forEach((band, i) => {
    const [colour, width] = LINK_STYLES[i];
    ctx.strokeStyle = colour; ctx.lineWidth = width; ctx.stroke(band);
  });
  ctx.lineWidth = 1;
  const r = Math.max(2.5, Math.min(6, H / (2.6 * Math.max(...shown))));
  columns.forEach((n, c) => {
    ys[c].forEach((y, k) => {
      ctx.beginPath(); ctx.arc(xs[c], y, r, 0, 2 * Math.PI);
      ctx.fillStyle = c === 0 ? '#5b5b66' : '#fff'; ctx.fill(); ctx.strokeStyle = '#1d1d1f'; ctx.stroke();
      if (c > 0) positions.push({ layer: c - 1, unit: k, x: xs[c], y, r: r + 3 });
    });
    if (n > shown[c]) {
      ctx.fillStyle = '#5b5b66'; ctx.font = '10px system-ui'; ctx.textBaseline = 'bottom';
      ctx.fillText(`${n}`, xs[c] - ctx.measureText(`${n}`).width / 2, H);
    }
  });
  return positions;
}

/** The learning-rate curve of a schedule. */
export function drawSchedule(canvas, curve) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  ctx.strokeStyle = '#d8d8de'; ctx.strokeRect(0.5, 0.5, W - 1, H - 1);
  if (!curve?.length) return;
  let hi = 0;
  for (const v of curve) if (Number.isFinite(v)) hi = Math.max(hi, v);
  hi = hi || 1;
  ctx.strokeStyle = PALETTE[2]; ctx.lineWidth = 1.5; ctx.beginPath();
  curve.forEach((v, i) => { const x = (i / (curve.length - 1)) * (W - 4) + 2, y = H - 3 - (v / hi) * (H - 14); if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y); });
  ctx.stroke(); ctx.lineWidth = 1;
  ctx.fillStyle = '#5b5b66'; ctx.font = '10px system-ui'; ctx.textBaseline = 'top';
  ctx.fillText(`lr ≤ ${short(hi)} over ${curve.length} steps`, 4, 1);
}

/**
 * Contours of a surface (log-spaced levels, as filled bands) with each optimiser's path up to step
 * `upto` (paths with their fate, race-fate.js), its current point or a cross where it left the plot
 * or diverged, and the start point.
 */
export function drawContour(canvas, surface, paths, upto, start) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  const { values, resolution: R, x: [x0, x1], y: [y0, y1] } = surface;
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const shift = lo < 0 ? -lo : 0, span = Math.log1p(hi + shift - (lo + shift)) || 1;
  const levels = 14;
  const band = (i, j) => {
    const v = values[(R - 1 - Math.min(R - 1, i)) * R + Math.min(R - 1, j)];   // values' row 0 is the lowest y
    return Math.floor((Math.log1p(v + shift - (lo + shift)) / span) * levels);
  };
  const box = plotBox(canvas), { left, top, width, height } = box;
  ctx.clearRect(0, 0, W, H);
  paintImage(ctx, width, height, R, R, (i, j, out) => {
    const b = band(i, j), t = b / levels;
    const edge = b !== band(i + 1, j) || b !== band(i, j + 1);   // a level line
    const g = 250 - 150 * t;
    if (edge) { out[0] = 80; out[1] = 80; out[2] = 110; } else { out[0] = g - 30 * (1 - t); out[1] = g; out[2] = 255 - 60 * t; }
  }, left, top);
  const toX = (x) => left + ((x - x0) / (x1 - x0)) * width, toY = (y) => top + ((y1 - y) / (y1 - y0)) * height;
  const shown = paths.map((p) => visiblePath(p, p.fate, upto, surface));   // cut to the view (race-fate.js)
  ctx.save();
  ctx.beginPath(); ctx.rect(left, top, width, height); ctx.clip();
  shown.forEach(({ pieces }, k) => {
    ctx.strokeStyle = seriesColor(k); ctx.lineWidth = 2; ctx.beginPath();
    for (const piece of pieces) {
      for (let i = 0; i < piece.length; i += 2) (i ? ctx.lineTo : ctx.moveTo).call(ctx, toX(piece[i]), toY(piece[i + 1]));
    }
    ctx.stroke();
  });
  if (start) {   // the start: a ring, so it is not taken for a racer's cross
    const sx = toX(start[0]), sy = toY(start[1]);
    for (const [color, w] of [['#fff', 4.5], ['#1d1d1f', 2]]) {
      ctx.strokeStyle = color; ctx.lineWidth = w; ctx.beginPath(); ctx.arc(sx, sy, 6, 0, 2 * Math.PI); ctx.stroke();
    }
  }
  ctx.restore();
  drawAxes(ctx, box, [x0, x1], [y0, y1], 'x', 'y');
  shown.forEach(({ marks, point }, k) => {   // where each racer is, or a cross where it left the view or diverged
    if (point) {
      ctx.fillStyle = seriesColor(k); ctx.beginPath(); ctx.arc(toX(point[0]), toY(point[1]), 5.5, 0, 2 * Math.PI); ctx.fill();
      ctx.strokeStyle = '#fff'; ctx.lineWidth = 1.5; ctx.stroke();
    }
    for (const [x, y] of marks) crossAt(ctx, toX(x), toY(y), 5, seriesColor(k));
  });
}

/** The point of the plane under a click at (clientX, clientY) on a canvas drawn with plotBox over x and y. */
export function planeAt(canvas, clientX, clientY, [x0, x1], [y0, y1]) {
  const rect = canvas.getBoundingClientRect(), box = plotBox(canvas);
  const px = ((clientX - rect.left) / rect.width) * canvas.width, py = ((clientY - rect.top) / rect.height) * canvas.height;
  return { x: x0 + ((px - box.left) / box.width) * (x1 - x0), y: y1 - ((py - box.top) / box.height) * (y1 - y0) };
}

/**
 * A small picture of a data set: its points in class colours (or blue/orange by target value, or
 * a curve's points), or its first image. `sample` is { inputs, classes, shape, x, y }.
 */
export function drawDataPicture(canvas, { inputs, classes, shape, x, y }) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height, extent = 1.6;
  ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, H);
  if (inputs > 2) {   // an image set: its first image, ink on paper
    paintTile(ctx, x, shape[0], shape[1], shape[2], 0, 4, 4, Math.min(W, H) - 8, (v, out) => grey(v, 1, out));
    return;
  }
  const toX = (v) => ((v + extent) / (2 * extent)) * W, toY = (v) => ((extent - v) / (2 * extent)) * H;
  const rows = y.length;
  for (let r = 0; r < rows; ++r) {
    const px = inputs === 1 ? toX(x[r]) : toX(x[2 * r]), py = inputs === 1 ? toY(y[r]) : toY(x[2 * r + 1]);
    ctx.fillStyle = classes > 0 ? PALETTE[y[r] % PALETTE.length] : inputs === 1 ? PALETTE[0] : `rgb(${diverging(y[r])})`;
    ctx.beginPath(); ctx.arc(px, py, 1.6, 0, 2 * Math.PI); ctx.fill();
  }
}

// ---------- image data sets ----------

const INK = '#1d1d1f', RIGHT = PALETTE[0], WRONG = PALETTE[5];   // blue for right, vermillion for wrong

/** Grey pixels, dark where v is high (ink on paper), v scaled by `max`, written into `out`. */
const grey = (v, max, out) => { const g = 255 * (1 - Math.max(0, Math.min(1, (Number.isFinite(v) ? v : 0) / max))); out[0] = out[1] = out[2] = g; return out; };

/**
 * A single-channel image (h x w, HWC with `channels`, channel c) drawn into the box x, y, size;
 * colour(v, out) writes a pixel's [r, g, b] into `out`.
 */
function paintTile(ctx, values, h, w, channels, c, x, y, size, colour) {
  const col = [0, 0, 0];
  drawPixels(ctx, w, h, (data) => {
    for (let i = 0; i < h; ++i) for (let j = 0; j < w; ++j) {
      colour(values[(i * w + j) * channels + c], col);
      const p = 4 * (i * w + j);
      data[p] = col[0]; data[p + 1] = col[1]; data[p + 2] = col[2]; data[p + 3] = 255;
    }
  }, { left: x, top: y, width: size, height: size, smooth: false });   // square pixels: the network's own
  ctx.strokeStyle = '#c8c8d0'; ctx.lineWidth = 1; ctx.strokeRect(x - 0.5, y - 0.5, size + 1, size + 1);
}

/** The grid cell of sample k on a samples canvas: { x, y, w, h } (for drawing and for clicks). */
export function sampleCell(canvas, k) {
  const cols = Math.max(1, Math.floor(canvas.width / 54)), rows = Math.max(1, Math.floor(canvas.height / 46));
  if (k >= cols * rows) return null;
  const w = canvas.width / cols, h = canvas.height / rows;
  return { x: (k % cols) * w, y: Math.floor(k / cols) * h, w, h };
}

/**
 * Test images with the network's prediction: the image, the predicted label with a tick (right, blue
 * frame) or a cross (wrong, thick vermillion frame), and a bar for the predicted class's probability.
 * `names` are the class labels; `selected` is the image whose feature maps are shown.
 */
export function drawSamples(canvas, built, outputs, names, selected = -1) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, H);
  const [h, w, channels] = built.image.shape, K = built.classes, n = built.image.samples, size = h * w * channels;
  for (let k = 0; k < n; ++k) {
    const cell = sampleCell(canvas, k);
    if (!cell) break;
    let best = 0;
    for (let c = 1; c < K; ++c) if (outputs[k * K + c] > outputs[k * K + best]) best = c;
    const p = outputs[k * K + best], truth = built.test.y[k], right = best === truth && Number.isFinite(p);
    const side = Math.min(cell.h - 10, cell.w - 23), x = cell.x + 4, y = cell.y + 4;
    paintTile(ctx, built.test.x.subarray(k * size, (k + 1) * size), h, w, channels, 0, x, y, side, (v, out) => grey(v, 1, out));
    ctx.strokeStyle = right ? RIGHT : WRONG; ctx.lineWidth = right ? 1.5 : 3;
    ctx.strokeRect(x - 2, y - 2, side + 4, side + 4);
    ctx.fillStyle = right ? RIGHT : WRONG;
    ctx.fillRect(x, y + side + 3, Number.isFinite(p) ? side * p : 0, 3);
    ctx.fillStyle = INK; ctx.font = 'bold 14px system-ui'; ctx.textBaseline = 'top';
    ctx.fillText(names[best] ?? String(best), x + side + 6, y);
    ctx.fillStyle = right ? RIGHT : WRONG; ctx.font = 'bold 13px system-ui';
    ctx.fillText(right ? '✓' : '✗', x + side + 6, y + 17);
    if (k === selected) {
      ctx.strokeStyle = INK; ctx.lineWidth = 2; ctx.setLineDash([3, 2]);
      ctx.strokeRect(cell.x + 0.5, cell.y + 0.5, cell.w - 1, cell.h - 1); ctx.setLineDash([]);
    }
  }
  ctx.lineWidth = 1;
}

/** Thumbnails in rows of up to `perRow`, from `top`; returns the y below them. */
function tileRow(ctx, count, perRow, tile, gap, left, top, draw) {
  for (let k = 0; k < count; ++k) draw(left + (k % perRow) * (tile + gap), top + Math.floor(k / perRow) * (tile + gap), k);
  return top + Math.ceil(count / perRow) * (tile + gap);
}

/** The height a filters canvas of this width needs for `count` filters (with or without a title). */
export function filtersHeight(width, count, titled = true) {
  const perRow = Math.min(count, 8), tile = Math.min(34, Math.floor((width - 8) / perRow) - 4);
  return (titled ? 16 : 2) + Math.ceil(count / perRow) * (tile + 4);
}

/** The first conv layer's filters (input channel 0), blue negative, orange positive, one scale for all. */
export function drawFilters(canvas, conv, title = true) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  if (!conv) return;
  const { weights, kernel: k, channels, count } = conv.filters;
  let m = 1e-9;
  for (const v of weights) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  const perRow = Math.min(count, 8), tile = Math.min(34, Math.floor((W - 8) / perRow) - 4);
  let top = 2;
  if (title) {
    ctx.fillStyle = '#5b5b66'; ctx.font = '11px system-ui'; ctx.textBaseline = 'top';
    ctx.fillText(`${count} filters ${k}×${k} of the first conv layer · |w| ≤ ${m.toPrecision(2)}`, 2, 1);
    top = 16;
  }
  // weights are (kernel row, kernel col, channel) x filter, row-major: filter f is a strided HWC image
  const perFilter = k * k * channels;
  tileRow(ctx, count, perRow, tile, 4, 2, top, (x, y, f) => {
    const values = new Float32Array(perFilter);
    for (let r = 0; r < perFilter; ++r) values[r] = weights[r * count + f];
    paintTile(ctx, values, k, k, channels, 0, x, y, tile, (v, out) => diverging(v / m, out));
  });
}

/** The height a maps canvas needs for these feature maps. */
export function mapsHeight(width, conv) {
  if (!conv) return 60;
  let y = 62;
  for (const m of conv.maps) {
    const perRow = Math.min(m.shape[2], 8), tile = Math.min(34, Math.floor((width - 8) / perRow) - 4);
    y += 16 + Math.ceil(m.shape[2] / perRow) * (tile + 4);
  }
  return y;
}

/** One test image and the feature maps every conv layer makes of it (dark = strong; signed maps diverging). */
export function drawMaps(canvas, conv, built, names) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  if (!conv) return;
  const [h, w, channels] = built.image.shape;
  paintTile(ctx, conv.input, h, w, channels, 0, 2, 4, 52, (v, out) => grey(v, 1, out));
  ctx.fillStyle = '#5b5b66'; ctx.font = '11px system-ui'; ctx.textBaseline = 'top';
  ctx.fillText(`test image ${conv.example + 1}, a ${names[conv.label] ?? conv.label}`, 62, 6);
  ctx.fillText('click a test image', 62, 22);
  let top = 62;
  conv.maps.forEach((m, n) => {
    const [mh, mw, c] = m.shape;
    let lo = 0, hi = 1e-9;
    for (const v of m.values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const signed = lo < -1e-9, scale = Math.max(hi, -lo);
    ctx.fillStyle = '#5b5b66';
    ctx.fillText(`conv ${n + 1}: ${c} feature maps ${mh}×${mw}${signed ? ' (blue −, orange +)' : ', dark = strong'}`, 2, top);
    const perRow = Math.min(c, 8), tile = Math.min(34, Math.floor((W - 8) / perRow) - 4);
    top = tileRow(ctx, c, perRow, tile, 4, 2, top + 15, (x, y, f) => paintTile(ctx, m.values, mh, mw, c, f, x, y, tile,
      signed ? (v, out) => diverging(v / scale, out) : (v, out) => grey(v, scale, out)));
    top += 1;
  });
}

/**
 * Batch norm's running averages per unit or channel: for each batch-norm layer a strip with the
 * running mean (blue dots) and running standard deviation (orange bars), which evaluation uses.
 */
export function drawRunning(canvas, layers, labels) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  const bn = layers.map((l, i) => ({ r: l.running, label: labels[i] })).filter((b) => b.r?.means);
  if (!bn.length) return;
  const strip = (H - 14) / bn.length;
  ctx.font = '10px system-ui'; ctx.textBaseline = 'top';
  ctx.fillStyle = '#5b5b66'; ctx.fillText('running mean (dots), std (bars) per unit/channel', 2, 0);
  bn.forEach(({ r, label }, b) => {
    const top = 14 + b * strip, n = r.means.length, stds = Array.from(r.variances, (v) => Math.sqrt(Math.max(0, v)));
    let lo = 0, hi = 1e-9;
    for (let u = 0; u < n; ++u) { lo = Math.min(lo, r.means[u]); hi = Math.max(hi, r.means[u], stds[u]); }
    const left = 34, width = W - left - 4, toY = (v) => top + 4 + (strip - 10) * (1 - (v - lo) / (hi - lo || 1));
    ctx.fillStyle = '#5b5b66'; ctx.fillText(label, 2, top + 2); ctx.fillText(short(hi), 2, top + 13);
    ctx.strokeStyle = '#d8d8de'; ctx.beginPath(); ctx.moveTo(left, toY(0)); ctx.lineTo(left + width, toY(0)); ctx.stroke();
    const bw = Math.max(1, width / n - 1);
    for (let u = 0; u < n; ++u) {
      const x = left + (u * width) / n;
      if (Number.isFinite(stds[u])) { ctx.fillStyle = 'rgba(230,159,0,0.75)'; ctx.fillRect(x, toY(stds[u]), bw, toY(0) - toY(stds[u])); }
      if (Number.isFinite(r.means[u])) { ctx.fillStyle = RIGHT; ctx.beginPath(); ctx.arc(x + bw / 2, toY(r.means[u]), 2, 0, 2 * Math.PI); ctx.fill(); }
    }
  });
}
