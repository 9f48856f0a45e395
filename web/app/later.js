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

// a task of its own: a message on a channel runs sooner than setTimeout(0), which browsers clamp.
// The messages arrive in the order they were posted, one task each, so each takes the next waiting fn.
const channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
const waiting = [];
const nextTask = channel ? (fn) => {
  waiting.push(fn);
  channel.port1.onmessage ??= () => waiting.shift()();   // set at first use, as a listening port keeps Node running
  channel.port2.postMessage(0);
} : (fn) => setTimeout(fn, 0);
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

/** A promise settled in a task of its own. */
export const nextTaskPromise = () => new Promise((resolve) => nextTask(resolve));

/** Whether a piece under `key` waits to run. */
export const pending = (key) => queue.has(key);
