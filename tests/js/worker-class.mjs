// worker-class.mjs: how the Node tests give web/app/session.js another Worker class (a fake that
// records commands, or the real worker.js run in this thread) and always put the real one back.
import { after, before } from 'node:test';
import { useWorkerClass } from '../../web/app/session.js';

/** Runs body (sync or async) with sessions making their workers from WorkerClass; the real Worker is back after it, however it ends. */
export async function withWorkerClass(WorkerClass, body) {
  useWorkerClass(WorkerClass);
  try {
    return await body();
  } finally {
    useWorkerClass(globalThis.Worker);
  }
}

/** Inside a describe block: its tests make their workers from WorkerClass, and the real Worker is back after the block. */
export function workerClassInBlock(WorkerClass) {
  before(() => useWorkerClass(WorkerClass));
  after(() => useWorkerClass(globalThis.Worker));
}
