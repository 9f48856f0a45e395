// What a replay reads back from the engine (web/lib/replay.js): batch rows, dropout masks, the
// optimiser as the engine reads it, and a twin that leaves the network alone. No PyTorch needed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { optimizerSettings, recordRun } from '../../web/lib/replay.js';

const lab = await loadGradlab();

describe('net.batchRows()', () => {
  it('an epoch of minibatches visits every training row once, in a new order each epoch', () => {
    const data = lab.dataset('spiral', { samples: 50, testFraction: 0.2 });
    const net = lab.network({ inputs: 2, layers: [{ units: 4 }, { units: 3, activation: 'softmax' }] });
    assert.equal(net.batchRows().length, 0, 'empty before any step');
    const epochs = [[], []];
    for (const epoch of epochs) {
      for (let s = 0; s < 4; ++s) { net.train(data, { steps: 1, batchSize: 10 }); epoch.push(...net.batchRows()); }
    }
    for (const epoch of epochs) assert.deepEqual([...epoch].sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i));
    assert.notDeepEqual(epochs[0], epochs[1]);
    net.train(data, { steps: 1 });
    assert.equal(net.batchRows().length, 0, 'empty after a full-batch step');
    net.dispose();
    data.dispose();
  });
});

describe('recordRun', () => {
  const data = lab.dataset('moons', { samples: 60 });
  const spec = { inputs: 2, layers: [{ units: 6, activation: 'tanh', dropout: 0.5 }, { units: 2, activation: 'softmax' }], seed: 9 };

  it('records the run the network would train, without training it', () => {
    const net = lab.network(spec);
    net.setOptimizer({ name: 'momentum', learningRate: 0.1 });
    const w = net.weights(0).slice();
    const rec = recordRun(net, data, { steps: 5, batchSize: 12 });
    assert.deepEqual(net.weights(0), w);
    assert.equal(net.step, 0);
    assert.deepEqual(rec.initial[0].weights, w);
    for (let s = 0; s < 5; ++s) {
      const r = net.train(data, { steps: 1, batchSize: 12 });
      assert.equal(r.loss, rec.gradlab.losses[s]);
      assert.deepEqual(net.batchRows(), rec.batches.subarray(12 * s, 12 * (s + 1)));
      const mask = net.dropoutMask(0), bits = rec.masks[0].bits;
      mask.forEach((m, i) => { const k = 12 * 6 * s + i; assert.equal((bits[k >> 3] >> (k & 7)) & 1, m, `step ${s} unit ${i}`); });
    }
    assert.deepEqual(net.weights(0), rec.gradlab.final[0].weights);
    net.dispose();
  });

  it('reads the optimiser as the engine does, defaults filled in', () => {
    const o = optimizerSettings({ name: 'rmsprop', centered: true, schedule: { name: 'cyclic', warmup: 3 } });
    assert.equal(o.name, 'rmsprop');
    assert.equal(o.centered, true);
    assert.equal(Math.fround(o.alpha), Math.fround(0.99));
    assert.deepEqual([o.schedule.name, o.schedule.mode, o.schedule.warmup, o.schedule.stepSize], ['cyclic', 'triangular', 3, 100]);
  });

  it('refuses bad options and data of another lab, naming them', async () => {
    const net = lab.network(spec);
    assert.throws(() => recordRun(net, data, { steps: 2, batch: 4 }), /options has no option 'batch'; allowed: steps, batchSize/);
    assert.throws(() => recordRun(net, data, { steps: 1.5 }), /steps 1\.5 is not allowed/);
    const other = await loadGradlab();
    const foreign = other.dataset('moons', { samples: 60 });
    assert.throws(() => net.toPyTorch(foreign, { steps: 2 }), /data must be a data set made by lab\.dataset\(\) of the same lab/);
    net.dispose();
  });
});
