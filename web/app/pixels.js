// pixels.js: a small picture painted pixel by pixel and drawn scaled onto a canvas (heatmaps,
// boundaries, contours, image tiles, depth-time strips). Views repaint these every frame, for every
// run and every embed on a page, so the pixel buffer and the canvas it is put on are kept per size
// and reused: a new ImageData and OffscreenCanvas a frame each were most of what the page's main
// thread allocated while training, and their collection made its longest tasks (major GCs).
// Everything here runs on the main thread, one picture at a time, so one buffer per size is enough.

const KEEP = 12;   // sizes kept at once (the page draws a handful; a resized strip brings a new one)
const kept = new Map();   // `${cols}x${rows}` -> { image, canvas, ctx }, the most recently used last

function scratch(cols, rows) {
  const key = `${cols}x${rows}`;
  let s = kept.get(key);
  if (s) kept.delete(key);
  else {
    if (kept.size >= KEEP) kept.delete(kept.keys().next().value);
    const canvas = new OffscreenCanvas(cols, rows);
    s = { image: new ImageData(cols, rows), canvas, ctx: canvas.getContext('2d') };
  }
  kept.set(key, s);
  return s;
}

/**
 * Paints a cols x rows picture and draws it onto `ctx` scaled to the box (left, top, width, height).
 * `paint(data)` writes the pixels into `data` (RGBA bytes, row by row; every pixel's alpha must be
 * set, since the buffer holds the last picture of that size). `smooth`: scale with smoothing (plots)
 * or keep the pixels square (a network's own pixels).
 */
export function drawPixels(ctx, cols, rows, paint, { left = 0, top = 0, width, height, smooth = true }) {
  const s = scratch(cols, rows);
  paint(s.image.data);
  s.ctx.putImageData(s.image, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(s.canvas, left, top, width, height);
}
