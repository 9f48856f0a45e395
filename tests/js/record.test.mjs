// The run record (web/lib/record.js, web/lib/snapshot.js): the budget holds at every step, the first
// and latest snapshots stay, thinning leaves evenly spaced steps, nearest() finds the closest step,
// and a snapshot of a recorded run equals one of a run stopped at that step with the same seed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { RunRecord, snapshotBytes } from '../../web/lib/record.js';
import { takeSnapshot } from '../../web/lib/snapshot.js';

const block = (floats) => ({ values: new Float32Array(floats) });

describe('RunRecord', () => {
  it('counts the bytes of typed arrays and plain numbers', () => {
    assert.equal(snapshotBytes({ a: new Float32Array(10), b: [new Uint32Array(3), 1.5], c: { d: 2 } }), 40 + 12 + 8 + 8);
  });

  for (const slice of [1, 3, 7]) {
    it(`stays within a small budget, keeps the first and latest, and thins evenly (steps in slices of ${slice})`, () => {
      const record = new RunRecord({ budget: 40 * 400 });   // room for 10 snapshots of 400 bytes
      let offered = 0;
      for (let step = 0; step <= 5000; step += slice) {
        if (record.wants(step)) { assert.equal(record.add(step, block(100)), true); offered = step; }
        assert.ok(record.bytes <= record.budget, `${record.bytes} bytes at step ${step}`);
        assert.ok(record.peakBytes <= record.budget);
      }
      const steps = record.steps();
      assert.equal(steps[0], 0, 'the first snapshot stays');
      assert.equal(steps.at(-1), offered, 'the latest kept snapshot is the last one offered that was due');
      assert.ok(steps.length >= 5, `only ${steps.length} snapshots left of a budget for 10`);
      // every gap on the grid is the same; only the latest may sit closer to the one before it
      const gaps = steps.slice(1).map((s, i) => s - steps[i]);
      const grid = record.latest.extra ? gaps.slice(0, -1) : gaps;
      assert.ok(Math.max(...grid) - Math.min(...grid) <= slice, `gaps ${gaps}`);
      assert.ok(gaps.at(-1) <= Math.max(...grid));
    });
  }

  it('keeps the latest snapshot when it is off the grid, and lets the next one replace it', () => {
    const record = new RunRecord({ budget: 3 * 400 });
    for (const s of [0, 1, 2]) record.add(s, block(100));
    record.add(3, block(100));   // thins to 0, 2 (spacing 2), then 3 is kept as the latest
    assert.deepEqual(record.steps(), [0, 2, 3]);
    assert.equal(record.wants(3.5), false);
    assert.equal(record.wants(4), true);
    record.add(4, block(100));
    assert.deepEqual(record.steps(), [0, 2, 4]);
  });

  it('finds the nearest step (the earlier on a tie)', () => {
    const record = new RunRecord();
    for (const s of [0, 10, 20, 40]) record.add(s, { s });
    assert.equal(record.nearest(-5).step, 0);
    assert.equal(record.nearest(14).step, 10);
    assert.equal(record.nearest(15).step, 10);
    assert.equal(record.nearest(16).step, 20);
    assert.equal(record.nearest(31).step, 40);
    assert.equal(record.nearest(400).snapshot.s, 40);
    assert.equal(new RunRecord().nearest(3), null);
  });

  it('refuses steps that go back, and snapshots that cannot fit beside the first', () => {
    const record = new RunRecord({ budget: 1000 });
    record.add(5, block(100));
    assert.throws(() => record.add(5, block(1)), /step 5 is not after the latest recorded step 5/);
    assert.throws(() => record.add(9, block(200)), /800 bytes and the first one \(400 bytes\) do not fit a record budget of 1000 bytes/);
    assert.throws(() => new RunRecord({ budget: 0 }), /budget 0 must be a positive number/);
    assert.throws(() => record.add(-1, block(1)), /whole number >= 0/);
  });
});

describe('net.keepHistory()', async () => {
  const lab = await loadGradlab();
  const settings = [
    { name: 'dense, batch norm, dropout, adam, minibatches', data: ['spiral', { samples: 200, classes: 3, seed: 4 }],
      spec: { inputs: 2, layers: [{ units: 16, batchNorm: true, dropout: 0.2 }, { units: 3 }], seed: 9 },
      optimizer: { name: 'adam', learningRate: 0.01 }, batchSize: 32 },
    { name: 'convnet on digits, momentum', data: ['digits', { samples: 120, size: 8, seed: 2 }],
      spec: { inputs: [8, 8, 1], layers: [{ type: 'conv', filters: 4, kernel: 3 }, { type: 'pool' }, { type: 'flatten' }, { units: 10 }], seed: 3 },
      optimizer: { name: 'momentum', learningRate: 0.05 }, batchSize: 16 },
  ];
  for (const s of settings) {
    it(`a recorded step shows what a run stopped at that step shows: ${s.name}`, () => {
      const data = lab.dataset(...s.data);
      const grid = new Float32Array(Array.from({ length: 20 * data.inputs }, (_, i) => Math.sin(i)));
      const recorded = lab.network(s.spec).setOptimizer(s.optimizer);
      const record = recorded.keepHistory({ data, grid, budget: 400000 });
      for (let i = 0; i < 60; ++i) recorded.train(data, { steps: 5, batchSize: s.batchSize });
      assert.ok(record.peakBytes <= 400000);
      assert.equal(record.first.step, 0);
      const k = record.steps()[Math.floor(record.length / 2)];
      assert.ok(k > 0 && record.length > 4, `record of ${record.length} steps`);
      // the same seed trained straight to step k, in one call and without any snapshot on the way
      const paused = lab.network(s.spec).setOptimizer(s.optimizer);
      paused.train(data, { steps: k, batchSize: s.batchSize });
      const scrubbed = record.nearest(k).snapshot, live = takeSnapshot(paused, data, { grid });
      assert.equal(scrubbed.step, k);
      assert.deepEqual(scrubbed, live);
      assert.ok(scrubbed.layers.every((l) => l.hist.weights.counts.reduce((a, b) => a + b) > 0 || l.weights.mean === 0));
      recorded.dispose(); paused.dispose(); data.dispose();
    });
  }
});

it('bench/record.mjs: 100,000 steps stay within the 16 MiB budget', async () => {
  const { spawnSync } = await import('node:child_process');
  const run = spawnSync(process.execPath, ['bench/record.mjs'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const lines = run.stdout.split('\n').filter((l) => / steps, peak /.test(l));
  assert.equal(lines.length, 2, run.stdout);
  for (const l of lines) {
    const [, peak, budget] = /peak (\d+) bytes of a (\d+)-byte budget/.exec(l);
    assert.equal(Number(budget), 16 * 1024 * 1024);
    assert.ok(Number(peak) <= Number(budget) && Number(peak) > Number(budget) / 2, l);
    assert.match(l, /100000 steps/);
  }
});
