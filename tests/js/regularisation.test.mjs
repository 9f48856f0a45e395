// Initialisations, batch norm, dropout, L1/L2 and per-layer statistics (issue 3), checked against
// published figures, definitions and values recomputed here.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { depthExperiment, INITS, loadGradlab } from '../../web/lib/gradlab.js';

let lab;
before(async () => { lab = await loadGradlab(); });
const within = (got, want, rel) => Math.abs(got - want) <= rel * Math.abs(want);

describe('the depth experiment (10 tanh layers of 500 units, 1000 N(0,1) inputs)', () => {
  it('"small" init N(0, 0.01^2): the std shrinks about 4.5x per layer (0.213, 0.0475, 0.0106, 0.0024)', () => {
    const std = depthExperiment(lab, { init: { name: 'normal', std: 0.01 } }).map((r) => r.std);
    [0.213, 0.0475, 0.0106, 0.0024].forEach((want, i) => assert.ok(within(std[i], want, 0.05), `layer ${i + 1}: ${std[i]}`));
    for (let i = 1; i < 10; ++i) assert.ok(within(std[i - 1] / std[i], 4.5, 0.05), `ratio at layer ${i + 1}`);
  });

  it('"large" init N(0, 1): std about 0.98 at every layer, more than 85% of units saturated', () => {
    for (const r of depthExperiment(lab, { init: { name: 'normal', std: 1 } })) {
      assert.ok(within(r.std, 0.98, 0.02), `layer ${r.layer}: ${r.std}`);
      assert.ok(r.saturated > 0.85, `layer ${r.layer}: ${r.saturated}`);
      assert.ok(r.histogram.counts[0] + r.histogram.counts[19] > 0.8 * 500 * 1000, 'mass piles up at -1 and 1');
    }
  });

  it('xavier N(0, 1/fan_in): 0.63, 0.49, 0.41, 0.36, 0.32, 0.29, 0.27, 0.26, 0.24, 0.23 within 5%', () => {
    const want = [0.63, 0.49, 0.41, 0.36, 0.32, 0.29, 0.27, 0.26, 0.24, 0.23];
    depthExperiment(lab, { init: 'xavier' }).forEach((r, i) => assert.ok(within(r.std, want[i], 0.05), `layer ${r.layer}: ${r.std}`));
  });

  it('with ReLU, he keeps the std roughly constant over depth while xavier lets it fall', () => {
    const he = depthExperiment(lab, { activation: 'relu', init: 'he' }).map((r) => r.std);
    const xavier = depthExperiment(lab, { activation: 'relu', init: 'xavier' }).map((r) => r.std);
    assert.ok(Math.max(...he) / Math.min(...he) < 1.3, `he: ${he}`);
    assert.ok(xavier[9] < xavier[0] / 10, `xavier: ${xavier}`);
  });

  it('batch norm keeps the "small" init healthy at every layer', () => {
    for (const r of depthExperiment(lab, { init: { name: 'normal', std: 0.01 }, batchNorm: true })) {
      assert.ok(r.std > 0.5 && r.std < 0.8, `layer ${r.layer}: ${r.std}`);
    }
  });
});

describe('initialisations', () => {
  const sample = (init, fanIn = 400, fanOut = 300) => {
    const net = lab.network({ inputs: fanIn, layers: [{ units: fanOut, activation: 'linear' }], loss: 'mse', init, seed: 5 });
    const w = net.weights(0).slice();
    net.dispose();
    let s = 0, ss = 0, lo = Infinity, hi = -Infinity;
    for (const v of w) { s += v; ss += v * v; lo = Math.min(lo, v); hi = Math.max(hi, v); }
    return { w, mean: s / w.length, std: Math.sqrt(ss / w.length - (s / w.length) ** 2), lo, hi };
  };

  it('each formula gives its variance (fan_in 400, fan_out 300)', () => {
    const cases = {
      xavier: Math.sqrt(1 / 400), 'glorot-normal': Math.sqrt(2 / 700), 'glorot-uniform': Math.sqrt(2 / 700),
      'he-normal': Math.sqrt(2 / 400), he: Math.sqrt(2 / 400), 'he-uniform': Math.sqrt(2 / 400),
      'lecun-uniform': Math.sqrt(1 / 400), normal: 0.01, uniform: 0.1 / Math.sqrt(3),
    };
    for (const [name, std] of Object.entries(cases)) {
      const s = sample(name === 'uniform' ? { name, a: -0.1, b: 0.1 } : name);
      assert.ok(Math.abs(s.mean) < std / 20, `${name} mean ${s.mean}`);
      assert.ok(within(s.std, std, 0.02), `${name}: std ${s.std} vs ${std}`);
    }
    const gu = sample('glorot-uniform');
    assert.ok(gu.hi <= Math.sqrt(6 / 700) && gu.lo >= -Math.sqrt(6 / 700));
    assert.deepEqual([...new Set(sample('zeros').w)], [0]);
    assert.deepEqual([...new Set(sample({ name: 'constant', value: 0.25 }).w)], [0.25]);
  });

  it('orthogonal gives orthonormal rows (times gain) on the shorter side', () => {
    const { w } = sample({ name: 'orthogonal', gain: 2 }, 30, 50); // 30 rows of 50
    for (let i = 0; i < 30; i += 7) for (let j = 0; j < 30; j += 5) {
      let dot = 0;
      for (let k = 0; k < 50; ++k) dot += w[i * 50 + k] * w[j * 50 + k];
      assert.ok(Math.abs(dot - (i === j ? 4 : 0)) < 1e-4, `rows ${i}, ${j}: ${dot}`);
    }
    assert.equal(INITS.length, 11);
  });

  it('zero and constant init: the hidden units of a layer stay identical after training', () => {
    const data = lab.dataset('moons', { samples: 200, seed: 2 });
    for (const init of ['zeros', { name: 'constant', value: 0.3 }]) {
      const net = lab.network({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }], init, seed: 1 });
      net.setOptimizer({ name: 'sgd', learningRate: 0.5 });
      net.train(data, { steps: 300, batchSize: 32 });
      for (const layer of [0, 1]) {
        const w = net.weights(layer), inputs = layer ? 8 : 2;
        for (let i = 0; i < inputs; ++i) for (let j = 1; j < 8; ++j) {
          assert.equal(w[i * 8 + j], w[i * 8], `${JSON.stringify(init)}: layer ${layer} unit ${j} differs`);
        }
        const b = net.biases(layer);
        assert.ok(b.every((v) => v === b[0]));
      }
      assert.ok(net.evaluate(data).accuracy < 0.9, 'a symmetric network cannot fit the moons well');
      net.dispose();
    }
    // the test can see a broken symmetry: small random init does break it
    const net = lab.network({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }], init: 'xavier', seed: 1 });
    assert.notEqual(net.weights(0)[1], net.weights(0)[0]);
  });
});

describe('batch normalisation', () => {
  it('normalises each unit over the batch (mean 0, variance 1 before gamma and beta) and keeps PyTorch running averages', () => {
    const x = lab.randomNormal(64 * 5, 3).map((v, i) => v * (1 + (i % 5)) + (i % 5));
    const net = lab.network({ inputs: 5, layers: [{ units: 4, activation: 'tanh', batchNorm: true }, { units: 2, activation: 'softmax' }], init: 'xavier', seed: 2 });
    net.forward(x, 64, { training: true });
    const out = net.preactivations(0); // batch norm's output, the input of tanh
    const W = net.weights(0), rm = net.runningMean(0), rv = net.runningVar(0);
    assert.equal(net.biases(0).length, 0, 'batch norm before the activation: no bias by default');
    for (let j = 0; j < 4; ++j) {
      let m = 0, v = 0, zm = 0, zv = 0;
      const z = [];
      for (let r = 0; r < 64; ++r) {
        let s = 0;
        for (let i = 0; i < 5; ++i) s += x[r * 5 + i] * W[i * 4 + j];
        z.push(s); zm += s / 64; m += out[r * 4 + j] / 64;
      }
      for (let r = 0; r < 64; ++r) { v += (out[r * 4 + j] - m) ** 2 / 64; zv += (z[r] - zm) ** 2 / 63; }
      assert.ok(Math.abs(m) < 1e-5 && Math.abs(v - 1) < 1e-3, `unit ${j}: mean ${m}, variance ${v}`);
      assert.ok(Math.abs(rm[j] - 0.1 * zm) < 1e-4, `running mean ${rm[j]} vs ${0.1 * zm}`);
      assert.ok(Math.abs(rv[j] - (0.9 + 0.1 * zv)) < 1e-3 * zv, `running variance ${rv[j]} vs ${0.9 + 0.1 * zv} (unbiased)`);
    }
    assert.deepEqual(Array.from(net.gamma(0)), [1, 1, 1, 1]);
    assert.equal(net.gamma(1).length, 0, 'no batch norm on layer 1');
  });

  it('in evaluation mode one example gives the same output whatever batch it came with', () => {
    const data = lab.dataset('circle', { samples: 200, seed: 3 });
    const net = lab.network({ inputs: 2, layers: [{ units: 16, activation: 'relu', batchNorm: true }, { units: 2, activation: 'softmax' }], seed: 3 });
    net.setOptimizer({ name: 'sgd', learningRate: 0.1 });
    net.train(data, { steps: 50, batchSize: 16 });
    const one = new Float32Array([0.3, -0.2]);
    const alone = net.predict(one, 1);
    const crowd = lab.randomNormal(2 * 31, 8);
    const mixed = new Float32Array([...crowd.slice(0, 20), 0.3, -0.2, ...crowd.slice(20)]);
    const inBatch = net.predict(mixed, 32).slice(20, 22);
    assert.deepEqual(Array.from(inBatch), Array.from(alone));
  });

  it('rescues the "small" init: a 10-layer tanh network trains the spiral only with batch norm', () => {
    const data = lab.dataset('spiral', { samples: 300, classes: 3, noise: 0.1, seed: 1, testFraction: 0 });
    const result = {};
    for (const batchNorm of [false, true]) {
      const net = lab.network({ inputs: 2, init: { name: 'normal', std: 0.01 }, seed: 1,
        layers: [...Array.from({ length: 10 }, () => ({ units: 50, activation: 'tanh', batchNorm })), { units: 3, activation: 'softmax' }] });
      net.setOptimizer({ name: 'sgd', learningRate: 0.5 });
      net.train(data, { steps: 1500, batchSize: 64 });
      result[batchNorm] = { ...net.evaluate(data), lastStd: net.layerStats()[9].activations.std };
      net.dispose();
    }
    console.log(`  10 tanh layers, small init, 1500 steps: without batch norm ${JSON.stringify(result.false)}, with ${JSON.stringify(result.true)}`);
    assert.ok(result.false.accuracy < 0.4 && result.false.lastStd < 1e-3, 'without batch norm the signal dies');
    assert.ok(result.true.accuracy > 0.9 && result.true.lastStd > 0.3, 'with batch norm it trains');
  });

  it('refuses a training batch of one with a clear message', () => {
    const net = lab.network({ inputs: 2, layers: [{ units: 4, batchNorm: true }, { units: 2, activation: 'softmax' }] });
    const data = lab.dataset('xor', { samples: 20 });
    assert.throws(() => net.train(data, { batchSize: 1 }), /batchSize 1 .*batch norm needs at least 2 rows/);
    assert.throws(() => net.forward(new Float32Array(2), 1, { training: true }), /batch norm needs at least 2 rows/);
    assert.equal(net.predict(new Float32Array(2), 1).length, 2, 'evaluation with one row works');
    assert.throws(() => lab.network({ inputs: 2, layers: [{ units: 2, activation: 'softmax', batchNorm: { after: true } }] }), /output layer cannot normalise after/);
  });
});

describe('dropout', () => {
  // one hidden layer of 40 linear units with dropout 0.4, then a linear output
  const makeNet = (dropoutMode) => lab.network({ inputs: 3, dropoutMode, loss: 'mse', seed: 4, init: 'xavier',
    layers: [{ units: 40, activation: 'linear', dropout: 0.4 }, { units: 1, activation: 'linear' }] });

  it('inverted and classic: the mean training output over many masks equals the test output', () => {
    const x = new Float32Array([0.5, -1, 2]);
    const twice = new Float32Array([...x, ...x]);
    for (const mode of ['inverted', 'classic']) {
      const net = makeNet(mode);
      const test = net.predict(x, 1)[0];
      let sum = 0;
      const passes = 4000;
      for (let i = 0; i < passes; ++i) { net.forward(twice, 2, { training: true }); sum += net.activations(1)[0] + net.activations(1)[1]; }
      const mean = sum / (2 * passes);
      assert.ok(Math.abs(mean - test) < 0.03 * Math.abs(test) + 0.01, `${mode}: training mean ${mean} vs test ${test}`);
      const mask = net.dropoutMask(0);
      assert.equal(mask.length, 80);
      const kept = mask.reduce((a, b) => a + b, 0) / 80;
      assert.ok(kept > 0.4 && kept < 0.8 && mask.every((m) => m === 0 || m === 1));
      net.dispose();
    }
    const inverted = makeNet('inverted'), classic = makeNet('classic');
    const ratio = classic.predict(x, 1)[0] / inverted.predict(x, 1)[0];
    assert.ok(Math.abs(ratio - 0.6) < 1e-5, 'classic scales by the keep probability at test time');
  });

  it('masks come from the seed; the output layer cannot drop units', () => {
    const masks = [1, 1, 2].map((seed) => {
      const net = lab.network({ inputs: 3, seed, loss: 'mse', layers: [{ units: 10, dropout: 0.5 }, { units: 1, activation: 'linear' }] });
      net.forward(new Float32Array([1, 2, 3]), 1, { training: true });
      return Array.from(net.dropoutMask(0));
    });
    assert.deepEqual(masks[0], masks[1]);
    assert.notDeepEqual(masks[0], masks[2]);
    assert.throws(() => lab.network({ inputs: 2, layers: [{ units: 2, activation: 'softmax', dropout: 0.5 }] }), /output layer cannot drop units/);
    assert.throws(() => lab.network({ inputs: 2, layers: [{ units: 2, dropout: 1 }, { units: 2, activation: 'softmax' }] }), /dropout 1 .*0 to 0.99/);
  });
});

describe('L1, L2 and statistics', () => {
  it('reports the penalty apart from the data loss, with per-layer multipliers', () => {
    const data = lab.dataset('xor', { samples: 40 });
    const net = lab.network({ inputs: 2, seed: 6, layers: [{ units: 5, activation: 'tanh', l2Scale: 2, l1Scale: 0 }, { units: 2, activation: 'softmax', l1Scale: 3 }] });
    net.setOptimizer({ name: 'sgd', learningRate: 0.1, l1: 0.01, l2: 0.02 });
    const w0 = net.weights(0).slice(), w1 = net.weights(1).slice();
    const sq = (w) => w.reduce((a, v) => a + v * v, 0), abs = (w) => w.reduce((a, v) => a + Math.abs(v), 0);
    const want = 0.5 * 0.02 * (2 * sq(w0) + sq(w1)) + 0.01 * 3 * abs(w1);
    const r = net.train(data, { steps: 1 });
    assert.ok(Math.abs(r.penalty - want) < 1e-6, `${r.penalty} vs ${want}`);
  });

  it('layer statistics match values computed from the tensors', () => {
    const data = lab.dataset('spiral', { samples: 120, classes: 3 });
    const net = lab.network({ inputs: 2, seed: 6, layers: [{ units: 16, activation: 'relu' }, { units: 8, activation: 'sigmoid' }, { units: 3, activation: 'softmax' }] });
    net.setOptimizer({ name: 'sgd', learningRate: 0.2 });
    net.train(data, { steps: 5, batchSize: 30 });
    const before = net.weights(0).slice();
    net.train(data, { steps: 1, batchSize: 30 });
    const stats = net.layerStats();
    const w = net.weights(0), g = net.gradients(0);
    const norm = (v) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    assert.ok(within(stats[0].gradientNorm, norm(g), 1e-4));
    assert.ok(within(stats[0].updateRatio, norm(w.map((v, i) => v - before[i])) / norm(w), 1e-3));
    assert.ok(within(stats[0].updateRatio, 0.2 * norm(g) / norm(w), 1e-3), 'SGD moves by lr |g|');
    const a = net.activations(1);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(within(stats[1].activations.mean, mean, 1e-4));
    assert.equal(stats[1].activations.max, Math.max(...a));
    assert.equal(stats[1].saturated, a.filter((v) => v < 0.01 || v > 0.99).length / a.length);
    const h = net.activations(0);
    let dead = 0;
    for (let j = 0; j < 16; ++j) { let alive = false; for (let r = 0; r < 30; ++r) alive ||= h[r * 16 + j] !== 0; dead += !alive; }
    assert.equal(stats[0].dead, dead / 16);
  });

  it('a ReLU layer pushed far below zero is reported dead', () => {
    const net = lab.network({ inputs: 2, layers: [{ units: 6, activation: 'relu', bias: -100 }, { units: 2, activation: 'softmax' }] });
    net.forward(new Float32Array([0.1, 0.2, 0.3, 0.4]), 2);
    assert.equal(net.layerStats()[0].dead, 1);
  });

  it('histograms count every value, over the data range or a given one', () => {
    const net = lab.network({ inputs: 50, layers: [{ units: 40, activation: 'tanh' }, { units: 2, activation: 'softmax' }], init: 'xavier' });
    const h = net.histogram(0, 'weights', { bins: 10 });
    const w = net.weights(0);
    assert.equal(h.counts.reduce((a, b) => a + b, 0), 2000);
    assert.equal(h.edges[0], Math.min(...w));
    assert.ok(Math.abs(h.edges[10] - Math.max(...w)) < 1e-6);
    const fixed = net.histogram(0, 'weights', { bins: 4, min: -0.01, max: 0.01 });
    const inside = w.filter((v) => v >= -0.005 && v < 0.005).length;
    assert.equal(fixed.counts[1] + fixed.counts[2], inside);
    assert.equal(fixed.counts.reduce((a, b) => a + b, 0), 2000, 'values outside go to the end bins');
    assert.throws(() => net.histogram(0, 'weight'), /histogram of 'weight' is not known/);
    assert.throws(() => net.histogram(0, 'weights', { min: 1, max: 0 }), /min 1 must be below max 0/);
  });
});
