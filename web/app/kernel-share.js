// kernel-share.js: one timing of the GEMM micro-kernels per document (web/lib/kernels.js).
// Every worker of every session in the document runs on the same CPU, so one of them times the
// variants and the others use its choice. Timing in each of four workers at once cost each 30 ms
// of a core, while the page drew its first frames.
//
// In a browser the first timing, at load, rarely settles: the clock's step is 0.1 ms (so each timing
// spans ten products), and the engine compiles the optimised code of each variant on a background
// thread some 50-250 ms after the variant first runs, so the 30 ms mostly time the baseline code and
// the default is kept. That first timing still makes every variant hot; RETIME_MS later, when their
// optimised code is in place, the same worker times them again, and that choice is the document's.
//
// kernelFor(worker, scalar): the `kernel` option of that worker's engine, for the build (or race)
//   message that makes it load one: 'auto' for the first worker of a build kind, which times the
//   variants; the choice once there is one; 'default' for a worker that loads while the first still
//   times, and that is sent the choice (a `kernel` command) when it comes. undefined when the worker
//   was asked already (it loads an engine once per build kind: see worker.js ensureLab).
// kernelTimed(worker, kernel): a ready event's kernel. The timing worker's is the document's choice,
//   sent to every other worker. Returns whether views should show it: not the default a waiting
//   worker starts on, which it leaves as soon as the choice comes.
// kernelWorkerEnded(worker): the worker is gone; if it was to time the variants, another one does.
import * as protocol from './protocol.js';

/** After a timing that did not settle, how long until the variants are timed once more. */
export const RETIME_MS = 3000;

const kinds = { simd: newKind(), scalar: newKind() };

function newKind() {
  return { chosen: null, timing: null, waiting: new Set(), adopters: new Set(), asked: new WeakSet(), retimed: false };
}

export function kernelFor(worker, scalar) {
  const kind = kinds[scalar ? 'scalar' : 'simd'];
  if (kind.asked.has(worker)) return undefined;
  kind.asked.add(worker);
  if (kind.chosen) { kind.adopters.add(worker); return kind.chosen; }
  if (!kind.timing) { kind.timing = worker; return 'auto'; }
  kind.waiting.add(worker);
  return 'default';
}

export function kernelTimed(worker, kernel) {
  for (const kind of Object.values(kinds)) {
    if (kind.waiting.has(worker)) return false;
    if (kind.timing !== worker) continue;
    kind.chosen = kernel;
    for (const w of kind.waiting) kind.adopters.add(w);
    kind.waiting.clear();
    for (const w of kind.adopters) if (w !== worker) w.postMessage(protocol.kernel(kernel));
    kind.adopters.add(worker);
    if (kernel.settled || kernel.forced || kernel.count <= 1 || kind.retimed) { kind.timing = null; continue; }
    kind.retimed = true;   // once: the timing worker, or another if it has ended, times them again
    const timer = setTimeout(() => {
      const again = kind.timing ?? [...kind.adopters][0];   // the same worker, unless it has ended
      if (!again) { kind.timing = null; return; }
      kind.timing = again;
      again.postMessage(protocol.kernel('auto'));
    }, RETIME_MS);
    timer.unref?.();   // Node: never keeps a script alive
  }
  return true;
}

export function kernelWorkerEnded(worker) {
  for (const kind of Object.values(kinds)) {
    kind.waiting.delete(worker);
    kind.adopters.delete(worker);
    if (kind.timing !== worker) continue;
    kind.timing = null;
    if (kind.chosen) continue;   // a re-timing to come picks a worker then
    const [next] = kind.waiting;
    if (!next) continue;
    kind.waiting.delete(next);
    kind.timing = next;
    next.postMessage(protocol.kernel('auto'));
  }
}
