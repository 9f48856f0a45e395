// The JavaScript API against both wasm builds: the spiral, determinism, views, data sets, errors.
import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { loadGradlab, DATASETS } from '../../web/lib/gradlab.js';

const spiralNet = (lab, seed = 7) => lab.network({
  inputs: 2,
  layers: [{ units: 100, activation: 'relu' }, { units: 3, activation: 'softmax' }],
  loss: 'cross-entropy', init: { name: 'normal', std: 0.01 }, seed,
});

for (const simd of [true, false]) {
  describe(`${simd ? 'SIMD' : 'scalar'} build`, () => {
    let lab;
    before(async () => { lab = await loadGradlab({ simd }); });

    it('reports which build it loaded', () => {
      assert.equal(lab.simd, simd);
      assert.match(lab.wasmUrl, simd ? /gradlab-simd\.wasm$/ : /gradlab-scalar\.wasm$/);
    });

    it('trains the CS231n spiral to >= 98% training accuracy within 10,000 steps', () => {
      const data = lab.dataset('spiral', { samples: 300, classes: 3, noise: 0.1, testFraction: 0, seed: 1 });
      const net = spiralNet(lab);
      net.setOptimizer({ name: 'sgd', learningRate: 1.0, l2: 1e-3 });
      let reached = null;
      for (let step = 0; step < 10000 && reached === null; step += 250) {
        const r = net.train(data, { steps: 250, batchSize: 0 });
        assert.equal(r.status, 'ok');
        if (net.evaluate(data, 'train').accuracy >= 0.98) reached = r.step;
      }
      console.log(`  spiral (${simd ? 'SIMD' : 'scalar'}): >= 98% training accuracy at step ${reached}`);
      assert.notEqual(reached, null, 'never reached 98%');
      assert.ok(net.evaluate(data, 'train').accuracy >= 0.98);
      net.dispose();
      data.dispose();
    });

    it('gives bit-identical losses for the same seed, however the steps are split into calls', () => {
      const run = (chunk) => {
        const data = lab.dataset('moons', { samples: 200, noise: 0.15, seed: 5 });
        const net = lab.network({ inputs: 2, layers: [{ units: 16, activation: 'tanh' }, { units: 2, activation: 'softmax' }], seed: 3 });
        net.setOptimizer({ name: 'sgd', learningRate: 0.3 });
        const losses = [];
        for (let i = 0; i < 120 / chunk; ++i) losses.push(net.train(data, { steps: chunk, batchSize: 16 }).loss);
        const weights = net.weights(0).slice();
        net.dispose(); data.dispose();
        return { losses, weights };
      };
      const a = run(10), b = run(10), c = run(1), d = run(120);
      assert.deepEqual(a.losses, b.losses);
      assert.deepEqual(a.weights, b.weights);
      assert.deepEqual(c.weights, a.weights, '120 x 1 step equals 12 x 10 steps');
      assert.deepEqual(d.weights, a.weights, '1 x 120 steps equals 12 x 10 steps');
      assert.equal(d.losses[0], a.losses[11]);
    });

    it('makes every toy data set, seeded, with a train/test split', () => {
      for (const name of DATASETS) {
        const opts = { samples: 101, noise: 0.05, testFraction: 0.2, seed: 9 };
        const a = lab.dataset(name, opts), b = lab.dataset(name, opts), c = lab.dataset(name, { ...opts, seed: 10 });
        assert.equal(a.trainSize + a.testSize, 101, name);
        assert.equal(a.testSize, 20, name);
        assert.deepEqual(a.rows('train').x.slice(), b.rows('train').x.slice(), `${name}: same seed, same data`);
        assert.notDeepEqual(a.rows('train').x.slice(), c.rows('train').x.slice(), `${name}: other seed, other data`);
        const { x, y } = a.rows('test');
        assert.ok(x.every(Number.isFinite) && y.every(Number.isFinite), name);
        if (a.classes) {
          const seen = new Set(a.rows('train').y);
          assert.equal(seen.size, a.classes, `${name} has every class in its training rows`);
        }
        a.dispose(); b.dispose(); c.dispose();
      }
      const spiral = lab.dataset('spiral', { classes: 5, samples: 500 });
      assert.equal(spiral.classes, 5);
      assert.equal(lab.dataset('sine').inputs, 1);
      assert.equal(lab.dataset('plane').classes, 0);
    });

    it('trains on user data: classes and regression targets', () => {
      const x = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]);
      const xor = lab.dataset({ x, y: new Int32Array([0, 1, 1, 0]), inputs: 2 });
      const net = lab.network({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }], init: 'xavier', seed: 2 });
      net.setOptimizer({ name: 'sgd', learningRate: 0.5 });
      net.train(xor, { steps: 3000 });
      assert.equal(net.evaluate(xor).accuracy, 1);
      const out = net.predict(x, 4);
      assert.equal(out.length, 8);
      for (let r = 0; r < 4; ++r) assert.ok(Math.abs(out[2 * r] + out[2 * r + 1] - 1) < 1e-5, 'softmax rows sum to 1');
      const reg = lab.dataset({ x: new Float32Array([0, 1, 2, 3]), y: new Float32Array([1, 3, 5, 7]), inputs: 1 });
      const lin = lab.network({ inputs: 1, layers: [{ units: 1, activation: 'linear' }], loss: 'mse', seed: 1 });
      lin.setOptimizer({ name: 'sgd', learningRate: 0.05 });
      lin.train(reg, { steps: 2000 });
      assert.ok(Math.abs(lin.weights(0)[0] - 2) < 1e-2 && Math.abs(lin.biases(0)[0] - 1) < 2e-2, 'fits y = 2x + 1');
      assert.equal(lin.evaluate(reg).accuracy, null);
    });

    it('exposes weights, activations and gradients as views without copying', () => {
      const data = lab.dataset('circle', { samples: 64, seed: 2 });
      const net = lab.network({ inputs: 2, layers: [{ units: 5, activation: 'relu' }, { units: 2, activation: 'softmax' }], seed: 4 });
      const w = net.weights(0);
      assert.equal(w.length, 10);
      assert.equal(w.buffer, lab.core.memory.buffer, 'a view on wasm memory');
      net.setOptimizer({ name: 'sgd', learningRate: 0.1 });
      const before = w.slice();
      net.train(data, { steps: 1, batchSize: 8 });
      assert.notDeepEqual(net.weights(0).slice(), before, 'the view sees the update');
      assert.equal(net.activations(0).length, 8 * 5, 'activations of the last batch');
      assert.equal(net.gradients(1).length, 10);
      assert.ok(net.gradients(1).some((g) => g !== 0));
      const x = new Float32Array([0.1, 0.2, -0.3, 0.4, 0.5, -0.6]);
      net.forward(x, 3);
      assert.equal(net.activations(1).length, 6);
      const probs = net.predict(x, 3);
      assert.deepEqual(Array.from(net.activations(1)), Array.from(probs));
    });

    it('throws clear errors for bad arguments and keeps working', () => {
      const layers = (units, activation) => [{ units, activation }, { units: 2, activation: 'softmax' }];
      assert.throws(() => lab.network({ inputs: 2, layers: layers(0, 'relu') }), /layers\[0\]\.units 0 .*1 to 4096/);
      assert.throws(() => lab.network({ inputs: 2, layers: layers(4, 'swish') }), /layers\[0\]\.activation 'swish' is not known; allowed: linear, relu/);
      const net = lab.network({ inputs: 2, layers: layers(4, 'relu') });
      assert.throws(() => net.setOptimizer({ name: 'sgd', learningRate: -1 }), /learningRate -1 .*0 to 1000/);
      assert.throws(() => net.setOptimizer({ name: 'sgd', learningRate: NaN }), /learningRate NaN/);
      assert.throws(() => net.setOptimizer({ name: 'sgdx' }), /optimizer name 'sgdx' is not known/);
      assert.throws(() => lab.dataset('spirals'), /data set 'spirals' is not known; allowed: circle, xor/);
      assert.throws(() => lab.dataset('spiral', { samples: -5 }), /samples -5/);
      assert.throws(() => lab.network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }], loss: 'cross-entropy' }), /cross-entropy.*softmax/);
      const data = lab.dataset('xor', { samples: 50 });
      const wide = lab.dataset('spiral', { samples: 50, classes: 3 });
      assert.throws(() => net.train(wide), /cross-entropy.*2 classes.*3/);
      assert.throws(() => net.train(data, { steps: 1.5 }), /steps 1.5/);
      net.dispose();
      assert.throws(() => net.train(data), /disposed/);
      assert.throws(() => net.weights(0), /disposed/);
      net.dispose(); // a second dispose is harmless
      data.dispose();
      assert.throws(() => lab.network({ inputs: 2, layers: layers(3, 'relu') }).train(data), /disposed/);
      // the module still works
      const ok = lab.network({ inputs: 2, layers: layers(3, 'tanh') });
      ok.setOptimizer({ name: 'sgd', learningRate: 0.1 });
      assert.equal(ok.train(wide.classes === 3 ? lab.dataset('xor') : wide, { steps: 5 }).status, 'ok');
    });

    it('checks handles in C too: a stale handle is refused, not dereferenced', () => {
      const net = lab.network({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }] });
      const stale = net.handle;
      net.dispose();
      const other = lab.network({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }] });
      assert.notEqual(other.handle, stale, 'the slot is reused with a new generation');
      net.handle = stale; // forge a use after dispose past the JS guard
      assert.throws(() => net.weights(0), /network handle \d+ is not a live network/);
      other.dispose();
    });
  });
}
