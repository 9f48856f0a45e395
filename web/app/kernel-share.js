// kernel-share.js: one timing of the GEMM micro-kernels per document (web/lib/kernels.js), once
// the page has loaded. Every worker of every session in the document runs on the same CPU, so one
// of them times the variants and the others switch to its choice. And not at load: there the timing
// cost four workers 30 ms of a core each while the page drew its first frames, and in a browser it
// rarely settled anyway. The clock's step is 0.1 ms (so each timing spans eight products), and the
// engine compiles a variant's optimised code on a background thread some 50-250 ms after it first
// runs, so a timing at load measured mostly baseline code and kept the default. So every worker loads
// on the default; TIME_AFTER_MS after the document's first ready event one worker runs each variant
// once, a quarter second apart (worker.js warmKernels: the compiler takes them one at a time), then
// times them and, if that timing did not settle, once more RETIME_MS later. Results are
// bit-identical whichever variant runs.
//
// kernelFor(worker, scalar): the `kernel` option of that worker's engine, for the build (or race)
//   message that makes it load one: the document's choice once there is one, else 'default'.
//   undefined when the worker was asked already (it loads an engine once per build kind: worker.js).
// kernelReady(worker, kernel): a ready event's kernel; returns the record views show (with
//   `pending: true` while the timing is still to come). The timing worker's is the document's
//   choice, sent to every other worker (a `kernel` command).
// kernelWorkerEnded(worker): the worker is gone; if it was timing, another one times later.
import * as protocol from './protocol.js';

/** From the document's first ready event to the timing; from a timing that did not settle to the next. */
export const TIME_AFTER_MS = 2000;
export const RETIME_MS = 1000;
/** Timings at most: the first, and one more if it did not settle. */
const TRIES = 2;

const kinds = { simd: newKind(), scalar: newKind() };

function newKind() {
  return { chosen: null, timing: null, timer: null, tries: 0, workers: new Set() };
}

export function kernelFor(worker, scalar) {
  const kind = kinds[scalar ? 'scalar' : 'simd'];
  if (kind.workers.has(worker)) return undefined;
  kind.workers.add(worker);
  return kind.chosen ?? 'default';
}

/** The next timing, `ms` from now, by a worker of the kind that is still there. */
function schedule(kind, ms) {
  if (kind.timer || kind.tries >= TRIES) return;
  kind.timer = setTimeout(() => {
    kind.timer = null;
    const [worker] = kind.workers;
    if (!worker) return;
    kind.timing = worker;
    kind.tries++;
    worker.postMessage(protocol.kernel('auto'));
  }, ms);
  kind.timer.unref?.();   // Node: never keeps a script alive
}

export function kernelReady(worker, kernel) {
  const kind = Object.values(kinds).find((k) => k.workers.has(worker));
  if (!kind || kernel.count <= 1) return kernel;   // not one of ours (a test's), or nothing to choose from
  if (kind.timing === worker) {
    kind.timing = null;
    kind.chosen = kernel;
    for (const w of kind.workers) if (w !== worker) w.postMessage(protocol.kernel(kernel));
    if (!kernel.settled) schedule(kind, RETIME_MS);
    return kernel;
  }
  if (!kind.chosen) schedule(kind, TIME_AFTER_MS);   // the document's first engine is ready: time them soon
  return kind.chosen || kind.tries >= TRIES ? kernel : { ...kernel, pending: true };
}

export function kernelWorkerEnded(worker) {
  for (const kind of Object.values(kinds)) {
    if (!kind.workers.delete(worker) || kind.timing !== worker) continue;
    kind.timing = null;   // it never answered: another worker times them instead
    kind.tries--;
    schedule(kind, RETIME_MS);
  }
}
