// kernel-share.js: one timing of the GEMM micro-kernels per document (web/lib/kernels.js).
// Every run worker of every session in the document runs on the same CPU, so one of them times the
// variants and the others use its choice. Timing in each of four workers at once cost each 30 ms
// of a core, and made every variant hot in each, so that the engine's optimising compiler and the
// four calibrations took both cores from the page while it drew its first frames.
//
// kernelFor(worker, scalar): the `kernel` option of that worker's engine, for the build message that
//   makes it load one ('auto' for the first worker of a build kind, which times the variants; the
//   choice once known; 'default' for a worker that loads while the first still times, and that is
//   sent the choice, a `kernel` command, when it arrives); undefined when the worker was asked
//   already (it loads an engine once per build kind: see worker.js ensureLab).
// kernelTimed(worker, kernel): a ready event's kernel; when it is the timing worker's, it is the
//   document's choice from then on. Returns whether views should show this ready's kernel (not the
//   default a waiting worker starts on, which it leaves as soon as the choice comes).
// kernelWorkerEnded(worker): the worker is gone; if it was timing, a waiting one times instead.
import * as protocol from './protocol.js';

const kinds = { simd: newKind(), scalar: newKind() };

function newKind() {
  return { chosen: null, timing: null, waiting: new Set(), asked: new WeakSet() };
}

export function kernelFor(worker, scalar) {
  const kind = kinds[scalar ? 'scalar' : 'simd'];
  if (kind.asked.has(worker)) return undefined;
  kind.asked.add(worker);
  if (kind.chosen) return kind.chosen;
  if (!kind.timing) { kind.timing = worker; return 'auto'; }
  kind.waiting.add(worker);
  return 'default';
}

export function kernelTimed(worker, kernel) {
  for (const kind of Object.values(kinds)) {
    if (kind.waiting.has(worker)) return false;
    if (kind.timing !== worker) continue;
    kind.timing = null;
    kind.chosen = kernel;
    for (const w of kind.waiting) w.postMessage(protocol.kernel(kernel));
    kind.waiting.clear();
  }
  return true;
}

export function kernelWorkerEnded(worker) {
  for (const kind of Object.values(kinds)) {
    kind.waiting.delete(worker);
    if (kind.timing !== worker) continue;
    kind.timing = null;
    const [next] = kind.waiting;
    if (!next) continue;
    kind.waiting.delete(next);
    kind.timing = next;
    next.postMessage(protocol.kernel('auto'));
  }
}
