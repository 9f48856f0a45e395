// draw.js: the canvas views (heatmaps, histograms, network diagram, contours). Each function paints
// one canvas from plain data and keeps no state.
import { PALETTE, RGB } from './charts.js';

const NEG = [0, 114, 178], POS = [230, 159, 0];   // blue for negative, orange for positive

/** Diverging colour for t in [-1, 1]: blue, white, orange. */
function diverging(t) {
  const c = t < 0 ? NEG : POS, a = Math.min(1, Math.abs(t));
  return [255 + (c[0] - 255) * a, 255 + (c[1] - 255) * a, 255 + (c[2] - 255) * a];
}

/** A rows x cols image of colours from fill(i, j) -> [r, g, b], scaled to the canvas. */
function paintImage(ctx, width, height, rows, cols, fill) {
  const image = new ImageData(cols, rows);
  for (let i = 0; i < rows; ++i) for (let j = 0; j < cols; ++j) {
    const c = fill(i, j), p = 4 * (i * cols + j);
    image.data[p] = c[0]; image.data[p + 1] = c[1]; image.data[p + 2] = c[2]; image.data[p + 3] = 255;
  }
  const tmp = new OffscreenCanvas(cols, rows);
  tmp.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tmp, 0, 0, width, height);
}

/**
 * The decision boundary (classes: colour of the likeliest class, paler where unsure), the fitted
 * surface (plane: diverging colours) or the fitted curve (sine), with train points filled and test
 * points as rings.
 */
export function drawBoundary(canvas, built, outputs) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  const { extent, gridSize: G, classes, inputs } = built;
  const toX = (x) => ((x + extent) / (2 * extent)) * W, toY = (y) => ((extent - y) / (2 * extent)) * H;
  ctx.clearRect(0, 0, W, H);
  if (inputs === 1) return drawCurve(ctx, W, H, built, outputs, toX);
  if (classes > 0) {
    paintImage(ctx, W, H, G, G, (i, j) => {
      const p = (i * G + j) * classes;
      let best = 0;
      for (let c = 1; c < classes; ++c) if (outputs[p + c] > outputs[p + best]) best = c;
      const conf = Number.isFinite(outputs[p + best]) ? Math.max(0, (outputs[p + best] - 1 / classes) / (1 - 1 / classes)) : 0;
      const col = RGB[best % RGB.length], a = 0.15 + 0.55 * conf;
      return [255 + (col[0] - 255) * a, 255 + (col[1] - 255) * a, 255 + (col[2] - 255) * a];
    });
  } else {
    paintImage(ctx, W, H, G, G, (i, j) => diverging(outputs[i * G + j] || 0));
  }
  for (const [split, ring] of [['train', false], ['test', true]]) {
    const { x, y } = built[split];
    for (let r = 0; r < y.length; ++r) {
      const col = classes > 0 ? RGB[y[r] % RGB.length] : diverging(y[r]);
      ctx.beginPath();
      ctx.arc(toX(x[2 * r]), toY(x[2 * r + 1]), ring ? 3.2 : 3, 0, 2 * Math.PI);
      if (ring) { ctx.lineWidth = 1.8; ctx.strokeStyle = `rgb(${col})`; ctx.stroke(); } else {
        ctx.fillStyle = `rgb(${col})`; ctx.fill(); ctx.lineWidth = 0.8; ctx.strokeStyle = '#fff'; ctx.stroke();
      }
    }
  }
}

function drawCurve(ctx, W, H, built, outputs, toX) {
  const lo = -1.6, hi = 1.6, toY = (v) => ((hi - v) / (hi - lo)) * H;
  ctx.strokeStyle = '#ddd'; ctx.beginPath(); ctx.moveTo(0, toY(0)); ctx.lineTo(W, toY(0)); ctx.stroke();
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
    const v = Math.max(lo - 1, Math.min(hi + 1, Number.isFinite(outputs[j]) ? outputs[j] : 0));
    const px = ((j + 0.5) / n) * W;
    if (j) ctx.lineTo(px, toY(v)); else ctx.moveTo(px, toY(v));
  }
  ctx.stroke(); ctx.lineWidth = 1;
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
  paintImage(ctx, canvas.width, canvas.height, size, size, (i, j) => diverging(values[i * size + j] / m));
}

/**
 * Per-layer ridgelines: for each layer a panel with its histogram history of `kind`, the newest at
 * the bottom, each drawn against the panel's common range so shifts and spreads are visible.
 */
export function drawHistograms(canvas, history, kind, labels) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  const L = labels.length;
  if (!L || !history.length) return;
  const pw = W / L, top = 14, axis = 12, ridge = (H - top - axis) / 3;
  ctx.font = '11px system-ui'; ctx.textBaseline = 'top';
  for (let l = 0; l < L; ++l) {
    const x0 = l * pw + 4, w = pw - 8;
    let lo = Infinity, hi = -Infinity;
    for (const snap of history) { const h = snap[l]?.[kind]; if (h) { lo = Math.min(lo, h.min); hi = Math.max(hi, h.max); } }
    if (!Number.isFinite(lo)) continue;
    if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
    ctx.fillStyle = '#5b5b66'; ctx.fillText(labels[l], x0, 0);
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
      ctx.fillStyle = newest ? 'rgba(0,114,178,0.75)' : `rgba(0,114,178,${0.05 + 0.15 * (k / n)})`;
      ctx.fill();
      ctx.strokeStyle = newest ? '#004b75' : 'rgba(0,0,0,0.25)'; ctx.stroke();
    }
    ctx.fillStyle = '#5b5b66'; ctx.textBaseline = 'bottom';
    if (pw < 70) { ctx.textBaseline = 'top'; continue; }
    ctx.fillText(short(lo), x0, H); const hiText = short(hi); ctx.fillText(hiText, x0 + w - ctx.measureText(hiText).width, H);
    ctx.textBaseline = 'top';
  }
}

const short = (v) => (Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : v.toFixed(2));

/** Bars per layer: saturated share (orange) and dead share (blue). */
export function drawHealth(canvas, layers, labels) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  const L = layers.length, pw = W / Math.max(1, L), base = H - 14;
  ctx.font = '11px system-ui'; ctx.fillStyle = '#5b5b66'; ctx.textBaseline = 'bottom';
  ctx.strokeStyle = '#ddd'; ctx.beginPath(); ctx.moveTo(0, 12); ctx.lineTo(W, 12); ctx.stroke();
  ctx.textBaseline = 'top'; ctx.fillText('100%', 2, 0);
  layers.forEach((layer, l) => {
    const x0 = l * pw + pw * 0.15, bw = pw * 0.32;
    ctx.fillStyle = PALETTE[1]; ctx.fillRect(x0, base - layer.saturated * (base - 12), bw, layer.saturated * (base - 12));
    ctx.fillStyle = PALETTE[0]; ctx.fillRect(x0 + bw, base - layer.dead * (base - 12), bw, layer.dead * (base - 12));
    ctx.fillStyle = '#5b5b66'; ctx.textBaseline = 'bottom'; ctx.fillText(labels[l], l * pw + 4, H);
  });
}

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
  for (let l = 0; l < layers.length; ++l) {
    const w = weights[l];
    if (!w || !w.length) continue;
    let m = 1e-9;
    for (const v of w) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
    const out = columns[l + 1];
    for (let a = 0; a < shown[l]; ++a) for (let b = 0; b < shown[l + 1]; ++b) {
      const v = w[a * out + b];
      const t = Number.isFinite(v) ? v / m : 0;
      const col = t < 0 ? NEG : POS;
      ctx.strokeStyle = `rgba(${col},${(0.05 + 0.85 * Math.abs(t)).toFixed(3)})`;
      ctx.lineWidth = 0.5 + 1.5 * Math.abs(t);
      ctx.beginPath(); ctx.moveTo(xs[l], ys[l][a]); ctx.lineTo(xs[l + 1], ys[l + 1][b]); ctx.stroke();
    }
  }
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
 * `upto`, its current point, and the start point.
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
  paintImage(ctx, W, H, R, R, (i, j) => {
    const b = band(i, j), t = b / levels;
    const edge = b !== band(i + 1, j) || b !== band(i, j + 1);   // a level line
    const g = 250 - 150 * t;
    return edge ? [80, 80, 110] : [g - 30 * (1 - t), g, 255 - 60 * t];
  });
  const toX = (x) => ((x - x0) / (x1 - x0)) * W, toY = (y) => ((y1 - y) / (y1 - y0)) * H;
  paths.forEach((p, k) => {
    const n = Math.min(upto, p.path.length / 2 - 1);
    ctx.strokeStyle = PALETTE[k % PALETTE.length]; ctx.lineWidth = 2; ctx.beginPath();
    for (let s = 0; s <= n; ++s) {
      const px = toX(clampFinite(p.path[2 * s], x0, x1)), py = toY(clampFinite(p.path[2 * s + 1], y0, y1));
      if (s) ctx.lineTo(px, py); else ctx.moveTo(px, py);
    }
    ctx.stroke();
    const cx = toX(clampFinite(p.path[2 * n], x0, x1)), cy = toY(clampFinite(p.path[2 * n + 1], y0, y1));
    ctx.fillStyle = PALETTE[k % PALETTE.length]; ctx.beginPath(); ctx.arc(cx, cy, 5.5, 0, 2 * Math.PI); ctx.fill();
    ctx.strokeStyle = '#fff'; ctx.lineWidth = 1.5; ctx.stroke();
  });
  if (start) {
    ctx.strokeStyle = '#1d1d1f'; ctx.lineWidth = 2;
    const sx = toX(start[0]), sy = toY(start[1]);
    ctx.beginPath(); ctx.moveTo(sx - 6, sy - 6); ctx.lineTo(sx + 6, sy + 6); ctx.moveTo(sx + 6, sy - 6); ctx.lineTo(sx - 6, sy + 6); ctx.stroke();
  }
  ctx.lineWidth = 1;
}

const clampFinite = (v, a, b) => (Number.isFinite(v) ? Math.max(a - (b - a), Math.min(b + (b - a), v)) : a);
