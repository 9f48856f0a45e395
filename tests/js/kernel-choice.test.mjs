// The GEMM micro-kernel variant chosen at load (web/lib/kernels.js, src/gemm.c's table): a forced
// choice is honoured, a bad one is refused with the allowed names, the calibration's record is
// complete, and training gives bit-identical results whichever variant runs (so the choice made on
// one machine never changes a result), also when it changes between steps; one engine adopts
// another's choice. Timings are not asserted: the machine is shared.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { CALIBRATION_BUDGET_MS } from '../../web/lib/kernels.js';

// the network of the bit-identity checks, trained 5 x 2 steps; `switchTo` a variant after the first 2
async function trainWith(kernel, switchTo = null) {
  const lab = await loadGradlab({ kernel });
  assert.equal(lab.kernelInfo().variant, kernel);
  // 64-256-256-10: the 256x256 layer's products take the packed path (a B of 64 Ki floats)
  const data = lab.dataset('blobs', { samples: 256, classes: 10, seed: 3, testFraction: 0 });
  const rows = data.rows('train');
  const x = new Float32Array(256 * 64);
  for (let i = 0; i < 256; ++i) for (let j = 0; j < 64; ++j) x[i * 64 + j] = rows.x[i * 2 + (j & 1)] * Math.cos(j);
  const wide = lab.dataset({ x, y: rows.y, inputs: 64, classes: 10 });
  const net = lab.network({ inputs: 64, seed: 5, layers: [{ units: 256, activation: 'relu' }, { units: 300, activation: 'tanh' },
    { units: 10, activation: 'softmax' }] });
  net.setOptimizer({ name: 'adam', learningRate: 1e-3 });
  const losses = [];
  for (let i = 0; i < 5; ++i) {
    losses.push(net.train(wide, { steps: 2, batchSize: 128 }).loss);
    if (i === 0 && switchTo) assert.equal(lab.useKernel(switchTo).variant, switchTo);
  }
  const weights = net.tensor(1, 'weights').slice();
  net.dispose(); wide.dispose(); data.dispose();
  return { losses, weights };
}

describe('GEMM kernel variant chosen at load', () => {
  it('auto: the record names the variant chosen among those listed, with the best time of each', async () => {
    const lab = await loadGradlab();
    const info = lab.kernelInfo();
    const names = info.variants.map((v) => v.name);
    console.log(`  chosen ${info.variant} (settled ${info.settled}) in ${info.calibrationMs.toFixed(1)} ms, ${info.rounds} rounds: `
      + info.variants.map((v) => `${v.name} ${v.gflops.toFixed(1)} GFLOP/s`).join(', '));
    assert.equal(info.forced, false);
    assert.ok(names.includes(info.variant));
    assert.ok(names.length >= 4 && names[0] === '4x8-loadsplat', names.join());
    assert.equal(CALIBRATION_BUDGET_MS, 30);
    for (const v of info.variants) {
      assert.ok(v.mr >= 1 && v.nr >= 4, `${v.name}: tile ${v.mr}x${v.nr}`);
      assert.equal(typeof v.ms, 'number');
    }
    if (!info.settled) assert.equal(info.variant, names[0], 'an unsettled calibration keeps the default');
    assert.equal(typeof info.settled, 'boolean');
    // a copy: changing it changes nothing in the lab
    info.variants.length = 0;
    assert.ok(lab.kernelInfo().variants.length >= 4);
  });

  it('a forced variant runs without calibration; a name not in the table is refused with the allowed ones', async () => {
    const lab = await loadGradlab({ kernel: '2x16-loadsplat' });
    const info = lab.kernelInfo();
    assert.equal(info.variant, '2x16-loadsplat');
    assert.equal(info.forced, true);
    assert.equal(info.rounds, 0);
    const plain = (await loadGradlab({ kernel: 'default' })).kernelInfo();
    assert.deepEqual([plain.variant, plain.forced, plain.rounds, plain.calibrationMs], [info.variants[0].name, true, 0, 0], "'default' is the table's first, untimed");
    await assert.rejects(loadGradlab({ kernel: '4x4' }), /kernel must be 'auto', 'default', one of '4x8-loadsplat', .* or a kernelInfo\(\) record; got "4x4"/);
    await assert.rejects(loadGradlab({ kernel: 7 }), /kernel must be 'auto', 'default', one of/);
    const scalar = await loadGradlab({ simd: false });
    assert.equal(scalar.kernelInfo().variant, 'reference');
    assert.deepEqual(scalar.kernelInfo().variants.map((v) => v.name), ['reference']);
    await assert.rejects(loadGradlab({ simd: false, kernel: '4x8-splat' }), /one of 'reference'/);
  });

  it("adopts another engine's choice without timing, at load or later; a record this build lacks is timed afresh", async () => {
    const timed = await loadGradlab({ kernel: '8x4-loadsplat' });
    const record = { ...timed.kernelInfo(), settled: true, calibrationMs: 12.5 };
    const lab = await loadGradlab({ kernel: record });
    const info = lab.kernelInfo();
    assert.deepEqual([info.variant, info.adopted, info.forced, info.settled, info.calibrationMs, info.rounds],
      ['8x4-loadsplat', true, false, true, 12.5, 0]);
    assert.ok(info.variants.every((v) => v.ms === undefined), 'nothing was timed here');
    // the ready event's plain fields are enough
    assert.equal((await loadGradlab({ kernel: { variant: '2x16-loadsplat', settled: false, calibrationMs: 3 } })).kernelInfo().variant, '2x16-loadsplat');
    // later: back to the default, then an adopted choice, then timed now
    const later = await loadGradlab({ kernel: 'default' });
    assert.equal(later.useKernel(record).variant, '8x4-loadsplat');
    assert.equal(later.kernelInfo().adopted, true);
    const now = later.useKernel('auto');
    assert.equal(now.adopted, false);
    assert.ok(now.variants.every((v) => typeof v.ms === 'number'), 'auto times them again');
    assert.throws(() => later.useKernel('9x9'), /kernel must be 'auto', 'default', one of/);
    // warming a variant runs it once and changes nothing else
    assert.equal(later.warmKernel(2), true);
    assert.equal(later.kernelInfo().variant, now.variant);
    assert.deepEqual([later.warmKernel(99), later.warmKernel(-1), later.warmKernel(1.5)], [false, false, false]);
    // the scalar build has no 8x4-loadsplat: it times its own (its only one)
    const scalar = (await loadGradlab({ simd: false, kernel: record })).kernelInfo();
    assert.deepEqual([scalar.variant, scalar.adopted], ['reference', false]);
  });

  it('training is bit-identical with every variant', async () => {
    const names = (await loadGradlab()).kernelInfo().variants.map((v) => v.name);
    const first = await trainWith(names[0]);
    assert.ok(first.losses.every(Number.isFinite));
    assert.ok(first.losses[4] < first.losses[0], `the loss falls: ${first.losses.join(', ')}`);
    for (const name of names.slice(1)) {
      const other = await trainWith(name);
      assert.deepEqual(other.losses, first.losses, `${name}: losses`);
      assert.deepEqual(other.weights, first.weights, `${name}: weights of layer 1`);
    }
    // and when the variant changes between steps (the page's workers switch to the first one's choice)
    const switched = await trainWith(names[0], names[names.length - 1]);
    assert.deepEqual(switched.losses, first.losses, 'switched mid-run: losses');
    assert.deepEqual(switched.weights, first.weights, 'switched mid-run: weights');
  });
});
