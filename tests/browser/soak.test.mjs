// The short version of the soak (bench/soak.mjs): 20 s of four compare runs at the highest speed and
// the course page's three embeds, in headless Chromium. Nothing may grow without bound: curves stay
// under their cap, the DOM and the worker count stay as they were, the JS heaps after a collection
// (main threads and workers) end within twice their start plus 16 MiB, and every run and embed trains without an error.
// The 30-minute run is `node bench/soak.mjs` (docs/reliability.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { soak } from '../../bench/soak.mjs';
import { CURVE_POINTS } from '../../web/app/session.js';

const MiB = 2 ** 20;
const bounded = (f, what) => assert.ok(f.end <= 2 * f.start + 16 * MiB, `${what}: ${f.start} → ${f.end} bytes`);

describe('a short soak', () => {
  it('20 s of four runs at the highest speed (5000 steps/s) and three embeds: nothing grows without bound', async () => {
    const { figures: f } = await soak({ minutes: 1 / 3, every: 4 });
    console.log(`# soak figures: ${JSON.stringify(f)}`);   // all of them, so that a failure in CI can be read
    assert.deepEqual(f.errors, []);
    assert.ok(f.steps.every((s) => s > 1000), `steps ${f.steps}`);
    assert.equal(f.embedsPlaying, 2);
    assert.ok(f.curvePoints.peak > 0 && f.curvePoints.peak <= CURVE_POINTS, `curve points ${f.curvePoints.peak}`);
    for (const [d, what] of [[f.pageDom, 'page'], [f.courseDom, 'course page']]) {
      assert.ok(d.end <= 1.2 * d.start + 50, `${what} elements ${d.start} → ${d.end}`);
    }
    assert.equal(f.workers.start, f.workers.end);
    assert.equal(f.workers.peak, f.workers.start);
    assert.ok(f.workers.start >= 7, `worker targets seen: ${f.workers.start}`);
    bounded(f.pageHeap, 'page heap');
    bounded(f.courseHeap, 'course page heap');
    bounded(f.workerHeapTotal, 'workers heap');
  });
});
