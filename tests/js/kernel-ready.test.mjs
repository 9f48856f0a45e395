// The ready event carries the GEMM micro-kernel the worker's engine chose (protocol.js), and
// labels.js words it for the page's About box and the embed: checked against a real engine's
// kernelInfo(), forced and calibrated.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { checkEvent, ready } from '../../web/app/protocol.js';
import { kernelLine } from '../../web/app/labels.js';

describe('the ready event and its kernel', () => {
  it('carries the variant, how it was chosen and the count, and passes the check', async () => {
    for (const options of [{}, { kernel: '4x8-splat' }, { simd: false }, { kernel: { variant: '8x4-loadsplat', settled: true, calibrationMs: 21 } }]) {
      const lab = await loadGradlab(options);
      const info = lab.kernelInfo(), msg = ready(lab.simd, info);
      assert.equal(checkEvent(msg), '');
      assert.deepEqual(msg.kernel, { variant: info.variant, forced: info.forced, adopted: info.adopted, settled: info.settled, calibrationMs: info.calibrationMs, count: info.variants.length });
      assert.ok(kernelLine(msg.kernel).includes(`the ${info.variant} `), kernelLine(msg.kernel));
    }
  });

  it('a ready event without a well-formed kernel is refused, naming the field', () => {
    assert.match(checkEvent({ type: 'ready', simd: true }), /field 'kernel'/);
    assert.match(checkEvent({ type: 'ready', simd: true, kernel: { variant: 3, forced: false, adopted: false, settled: true, calibrationMs: 1, count: 5 } }), /field 'kernel'/);
  });

  it('says whether the kernel was forced, timed, cut short, still to be timed, or the only one', () => {
    const k = { variant: 'v', forced: false, settled: true, calibrationMs: 12.4, count: 5 };
    assert.match(kernelLine(k), /fastest of 5 timed on this CPU \(12 ms\)/);
    assert.match(kernelLine({ ...k, settled: false }), /the default \(the timing was cut short/);
    assert.match(kernelLine({ ...k, forced: true }), /as asked for/);
    assert.match(kernelLine({ ...k, count: 1 }), /no SIMD variants/);
    assert.match(kernelLine({ ...k, forced: true, pending: true }), /micro-kernel for now; the 5 variants are timed on this CPU once the page has loaded/);
    // adopted from the worker that timed them: the same sentence, with that worker's timing
    assert.equal(kernelLine({ ...k, adopted: true }), kernelLine(k));
  });
});
