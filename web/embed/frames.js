// frames.js: one animation-frame loop for every <gradlab-playground> of the document. Each element
// asks to be drawn; a frame draws the ones waiting, in the order they asked, until it has drawn
// MAX_PER_FRAME of them or spent BUDGET_MS, and the others wait for the next frame. With a frame of
// its own each, the elements' redraws (each at most every REDRAW_MS) fell into the same frames:
// eight embeds made one long main-thread task there (their drawing, then the compositor's copy of
// every repainted canvas), between idle frames.

export const BUDGET_MS = 4, MAX_PER_FRAME = 3;
const waiting = new Map();   // key -> draw(), in the order asked
let frame = 0;

/** Draws `key` with `draw` in a coming frame (once, however often it asks). `draw` returns false when it drew nothing. */
export function askFrame(key, draw) {
  if (!waiting.has(key)) waiting.set(key, draw);
  if (!frame) frame = requestAnimationFrame(run);
}

/** `key` no longer waits for a frame. */
export function cancelFrame(key) {
  waiting.delete(key);
}

function run() {
  frame = 0;
  const start = performance.now();
  let drawn = 0;
  for (const [key, draw] of [...waiting]) {   // those that ask again while drawing wait for the next frame
    if (drawn >= MAX_PER_FRAME || performance.now() - start >= BUDGET_MS) break;
    waiting.delete(key);
    if (draw() !== false) drawn++;
  }
  if (waiting.size && !frame) frame = requestAnimationFrame(run);
}
