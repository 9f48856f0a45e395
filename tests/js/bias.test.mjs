// bias: false on dense and conv layers, and the default of a layer with batch norm (issue 17).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';

let lab;
before(async () => { lab = await loadGradlab(); });

const circle = () => lab.dataset('circle', { samples: 64, noise: 0.1, testFraction: 0.25, seed: 3 });

describe('bias: false', () => {
  it('a dense layer without biases has no bias parameters, views or gradients, and computes x W', () => {
    const net = lab.network({ inputs: 3, layers: [{ units: 4, activation: 'linear', bias: false }], loss: 'mse', init: 'xavier', seed: 2 });
    assert.equal(net.biases(0).length, 0);
    assert.equal(net.biasGradients(0).length, 0);
    assert.equal(net.info().parameters, 12);
    assert.equal(net.layers[0].bias, false);
    const x = new Float32Array([0.5, -1, 2, 1.5, 0.25, -0.75]);
    const y = net.predict(x, 2);
    const W = net.weights(0);
    for (let r = 0; r < 2; ++r) {
      for (let j = 0; j < 4; ++j) {
        let s = 0;
        for (let k = 0; k < 3; ++k) s += x[r * 3 + k] * W[k * 4 + j];
        assert.ok(Math.abs(y[r * 4 + j] - s) < 1e-6, `row ${r} unit ${j}: ${y[r * 4 + j]} vs ${s}`);
      }
    }
    net.dispose();
  });

  it('trains with every optimiser; statistics, histograms and optimiser state skip the missing biases', () => {
    const data = circle();
    for (const name of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw']) {
      const net = lab.network({
        inputs: 2, seed: 5, init: 'he',
        layers: [{ units: 8, activation: 'relu', bias: false }, { units: 8, activation: 'tanh', bias: 0.1 }, { units: 1, activation: 'sigmoid', bias: false }],
      });
      assert.equal(net.info().parameters, 2 * 8 + 8 * 8 + 8 + 8 * 1);
      net.setOptimizer({ name, learningRate: 0.01 });
      const first = net.train(data, { steps: 1 });
      const last = net.train(data, { steps: 60 });
      assert.equal(last.status, 'ok', name);
      assert.ok(last.loss < first.loss, `${name}: ${first.loss} -> ${last.loss}`);
      const stats = net.layerStats();
      assert.deepEqual(stats[0].biases, { mean: 0, std: 0, min: 0, max: 0 });
      assert.ok(stats[1].biases.std > 0, 'the kept biases moved apart');
      assert.ok(stats[0].gradientNorm > 0);
      const h = net.histogram(0, 'biases');
      assert.equal(h.counts.reduce((a, b) => a + b, 0), 0);
      const state = net.optimizerState();
      for (const key of Object.keys(state).filter((k) => k !== 'name' && k !== 'updates')) {
        assert.equal(state[key].length, net.info().parameters, `${name} ${key}`);
      }
      net.dispose();
    }
    data.dispose();
  });

  it('works on conv layers: filters only, one fewer value per filter', () => {
    const spec = (bias) => ({
      inputs: [8, 8, 1], seed: 1, init: 'he',
      layers: [{ type: 'conv', filters: 4, kernel: 3, activation: 'relu', bias }, { type: 'pool' }, { type: 'flatten' }, { units: 10, activation: 'softmax' }],
    });
    const withBias = lab.network(spec(0)), without = lab.network(spec(false));
    assert.equal(withBias.info().parameters - without.info().parameters, 4);
    assert.equal(without.biases(0).length, 0);
    assert.equal(withBias.biases(0).length, 4);
    const data = lab.dataset('digits', { samples: 40, size: 8, seed: 2 });
    assert.equal(without.train(data, { steps: 3 }).status, 'ok');
    assert.equal(without.biasGradients(0).length, 0);
    withBias.dispose(); without.dispose(); data.dispose();
  });

  it('refuses a bias that is neither false nor a number, and bias on pool layers', () => {
    assert.throws(() => lab.network({ inputs: 2, layers: [{ units: 2, bias: 'none' }, { units: 1, activation: 'sigmoid' }] }),
      /layers\[0\]\.bias "none" is not allowed; it must be false \(no bias\) or a number \(where the biases start\)/);
    assert.throws(() => lab.network({ inputs: 2, layers: [{ units: 2, bias: 1e7 }, { units: 1, activation: 'sigmoid' }] }),
      /layers\[0\]\.bias 10000000 is not allowed/);
    assert.throws(() => lab.network({ inputs: [4, 4, 1], layers: [{ type: 'pool', bias: false }, { type: 'flatten' }, { units: 2, activation: 'softmax' }] }),
      /has no option 'bias'/);
  });
});

describe('batch norm and the bias', () => {
  it('a layer with batch norm before its activation has no bias by default; after it, or asked for, it keeps one', () => {
    const net = lab.network({
      inputs: 2, seed: 1,
      layers: [
        { units: 6, batchNorm: true }, { units: 6, batchNorm: { after: true } }, { units: 6, batchNorm: true, bias: 0 },
        { units: 6, batchNorm: true, bias: true }, { units: 3, activation: 'softmax' },
      ],
    });
    assert.deepEqual(net.layers.map((l) => l.bias), [false, true, true, true, true]);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => net.biases(i).length), [0, 6, 6, 6, 3]);
    // W + 2 (gamma, beta) per unit, plus the biases kept
    assert.equal(net.info().parameters, (2 * 6 + 12) + (36 + 12 + 6) + (36 + 12 + 6) + (36 + 12 + 6) + (18 + 3));
    net.dispose();
  });

  it('with plain SGD dropping the cancelled bias changes nothing the learner sees (training and evaluation)', () => {
    const data = circle();
    const make = (bias) => lab.network({
      inputs: 2, seed: 4, init: 'he',
      layers: [{ units: 10, activation: 'relu', batchNorm: true, bias }, { units: 10, activation: 'tanh', batchNorm: true, bias }, { units: 1, activation: 'sigmoid' }],
    });
    for (const seedRun of [0, 1]) {
      const a = make(false), b = make(seedRun ? 0.5 : 0);
      for (const net of [a, b]) net.setOptimizer({ name: 'sgd', learningRate: 0.5 });
      for (let k = 0; k < 10; ++k) {
        const ra = a.train(data, { steps: 5 }), rb = b.train(data, { steps: 5 });
        assert.ok(Math.abs(ra.loss - rb.loss) < 1e-4 * Math.max(1, ra.loss), `steps ${5 * k + 5}: ${ra.loss} vs ${rb.loss}`);
      }
      // evaluation too when the bias starts at 0 (a bias of 0.5 leaves the running mean lagging
      // 0.5 * 0.9^50 behind it, which evaluation does see)
      const ea = a.evaluate(data, 'test'), eb = b.evaluate(data, 'test');
      if (!seedRun) assert.ok(Math.abs(ea.loss - eb.loss) < 1e-4, `test loss ${ea.loss} vs ${eb.loss}`);
      // the bias only shifts what batch norm subtracts again: the running mean (from 0, momentum 0.1,
      // 50 updates) carries it
      const shift = b.biases(0)[0] * (1 - 0.9 ** 50);
      const carried = b.runningMean(0)[0] - a.runningMean(0)[0];
      assert.ok(Math.abs(carried - shift) < 1e-3, `running mean shifted by ${carried}, bias ${shift}`);
      a.dispose(); b.dispose();
    }
    data.dispose();
  });
});
