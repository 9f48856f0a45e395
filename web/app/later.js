// later.js: work the page does after its first frame, one piece per task. Building a chart or
// measuring a panel forces the browser to lay out the page; done while main.js first runs, every
// view's share adds up to one long task before anything is drawn. Queued here, each piece runs in
// a task of its own once a frame has been drawn, so the first frame comes sooner and no single task
// holds the thread for long. A piece queued again under the same key before it ran runs once (the
// latest one), in the place of the first. The queue also waits for what waitFor() names (the chart
// library, which charts.js loads apart).

const queue = new Map();   // key → fn, in the order first queued
let scheduled = false;
let gate = Promise.resolve();

// a task of its own: a message on a channel runs sooner than setTimeout(0), which browsers clamp
const channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
const nextTask = channel ? (fn) => { channel.port1.onmessage = fn; channel.port2.postMessage(0); } : (fn) => setTimeout(fn, 0);
const afterFrame = typeof requestAnimationFrame === 'function' ? (fn) => requestAnimationFrame(() => nextTask(fn)) : nextTask;

function runOne() {
  const [key, fn] = queue.entries().next().value;
  queue.delete(key);
  try {
    fn();
  } finally {
    if (queue.size) nextTask(runOne); else scheduled = false;
  }
}

/** Runs fn after the next frame, in a task of its own; a later call with the same key replaces it. */
export function later(key, fn) {
  queue.set(key, fn);
  if (scheduled) return;
  scheduled = true;
  gate.then(() => afterFrame(runOne));
}

/** The pieces queued from now on also wait until `promise` has settled. */
export function waitFor(promise) {
  gate = Promise.all([gate, promise.catch(() => {})]);
}

/** A promise settled in a task of its own (its own channel, so that it never takes runOne's turn). */
export function nextTaskPromise() {
  return new Promise((resolve) => {
    if (typeof MessageChannel !== 'function') { setTimeout(resolve, 0); return; }
    const c = new MessageChannel();
    c.port1.onmessage = () => { c.port1.close(); resolve(); };
    c.port2.postMessage(0);
  });
}

/** Whether a piece under `key` waits to run. */
export const pending = (key) => queue.has(key);
