// Convolutional layers, spatial batch norm and the generated image sets (issue 9).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';

let lab;
before(async () => { lab = await loadGradlab(); });

const convnet = (batchNorm, seed = 1) => lab.network({
  inputs: [12, 12, 1], init: 'he', seed,
  layers: [
    { type: 'conv', filters: 8, kernel: 3, activation: 'relu', batchNorm }, { type: 'pool', mode: 'max', size: 2 },
    { type: 'conv', filters: 16, kernel: 3, activation: 'relu', batchNorm }, { type: 'pool', mode: 'max', size: 2 },
    { type: 'flatten' }, { units: 10, activation: 'softmax' },
  ],
});

describe('image data sets', () => {
  it('digits: 12 x 12 grey glyphs of ten classes, seeded, with a split', () => {
    const a = lab.dataset('digits', { samples: 200, size: 12, noise: 0.1, seed: 3 });
    const b = lab.dataset('digits', { samples: 200, size: 12, noise: 0.1, seed: 3 });
    assert.deepEqual(a.shape, [12, 12, 1]);
    assert.equal(a.inputs, 144);
    assert.equal(a.classes, 10);
    assert.equal(a.testSize, 40);
    assert.deepEqual(a.rows('train').x.slice(), b.rows('train').x.slice());
    const counts = new Array(10).fill(0);
    for (const y of [...a.rows('train').y, ...a.rows('test').y]) counts[y]++;
    assert.deepEqual(counts, new Array(10).fill(20));
    // a glyph has ink (bright strokes) on a dark background
    const { x } = a.rows('train');
    for (let r = 0; r < 10; ++r) {
      const img = x.subarray(r * 144, (r + 1) * 144);
      const ink = img.filter((v) => v > 0.5).length;
      assert.ok(ink > 8 && ink < 80, `image ${r} has ${ink} bright pixels`);
    }
    const shapes = lab.dataset('shapes', { samples: 40, size: 16 });
    assert.deepEqual(shapes.shape, [16, 16, 1]);
    assert.equal(shapes.classes, 4);
    assert.throws(() => lab.dataset('digits', { size: 4 }), /size 4 .*8 to 32/);
    assert.throws(() => lab.dataset('spiral', { size: 12 }), /size is only for the image sets/);
  });
});

describe('convolutional networks', () => {
  it('conv 8 -> pool -> conv 16 -> pool -> dense 10 reaches >= 95% test accuracy on digits, with and without batch norm', () => {
    const data = lab.dataset('digits', { samples: 3000, size: 12, noise: 0.1, seed: 1, testFraction: 0.2 });
    for (const batchNorm of [false, true]) {
      const net = convnet(batchNorm);
      net.setOptimizer({ name: 'adam', learningRate: 0.003 });
      let reached = null;
      for (let step = 0; step < 1000 && reached === null; step += 50) {
        net.train(data, { steps: 50, batchSize: 32 });
        if (net.evaluate(data, 'test').accuracy >= 0.95) reached = step + 50;
      }
      console.log(`  digits convnet ${batchNorm ? 'with' : 'without'} batch norm: >= 95% test accuracy after ${reached} steps of 32 (Adam 0.003)`);
      assert.ok(reached !== null && reached <= 1000);
      net.dispose();
    }
  });

  it('spatial batch norm keeps one mean and variance per channel over batch x height x width', () => {
    const net = convnet(true);
    const x = lab.randomNormal(16 * 144, 4);
    net.forward(x, 16, { training: true });
    const out = net.preactivations(0); // (16, 12, 12, 8): batch norm's output
    for (let c = 0; c < 8; ++c) {
      let s = 0, ss = 0;
      const n = 16 * 144;
      for (let i = 0; i < n; ++i) s += out[i * 8 + c];
      for (let i = 0; i < n; ++i) ss += (out[i * 8 + c] - s / n) ** 2;
      assert.ok(Math.abs(s / n) < 1e-4 && Math.abs(ss / n - 1) < 1e-3, `channel ${c}: mean ${s / n}, variance ${ss / n}`);
    }
    assert.equal(net.runningMean(0).length, 8);
    assert.equal(net.gamma(2).length, 16);
  });

  it('initialisations use the convolution fans (k*k*channels in, k*k*filters out)', () => {
    const net = lab.network({ inputs: [10, 10, 6], init: 'he', seed: 2,
      layers: [{ type: 'conv', filters: 40, kernel: 5 }, { type: 'flatten' }, { units: 2, activation: 'softmax' }] });
    const w = net.weights(0);
    assert.equal(w.length, 5 * 5 * 6 * 40);
    const std = Math.sqrt(w.reduce((a, v) => a + v * v, 0) / w.length);
    assert.ok(Math.abs(std / Math.sqrt(2 / 150) - 1) < 0.05, `he std ${std} vs ${Math.sqrt(2 / 150)}`);
    const g = lab.network({ inputs: [10, 10, 6], init: 'glorot-uniform', seed: 2,
      layers: [{ type: 'conv', filters: 40, kernel: 5 }, { type: 'flatten' }, { units: 2, activation: 'softmax' }] }).weights(0);
    const bound = Math.sqrt(6 / (150 + 25 * 40));
    assert.ok(g.every((v) => Math.abs(v) <= bound) && g.some((v) => Math.abs(v) > 0.9 * bound));
  });

  it('filters and feature maps are readable, with their shapes', () => {
    const data = lab.dataset('digits', { samples: 64, seed: 2 });
    const net = convnet(false);
    net.forward(data.rows('train').x.slice(0, 144 * 3), 3);
    const f = net.filters(0);
    assert.deepEqual([f.kernel, f.channels, f.filters, f.weights.length], [3, 1, 8, 72]);
    const maps = net.featureMaps(0, 2);
    assert.deepEqual(maps.shape, [12, 12, 8]);
    assert.equal(maps.values.length, 1152);
    assert.deepEqual(Array.from(maps.values), Array.from(net.activations(0).subarray(2 * 1152, 3 * 1152)));
    assert.deepEqual(net.featureMaps(2, 0).shape, [6, 6, 16]);
    assert.deepEqual(net.layers.map((l) => l.shape), [[12, 12, 8], [6, 6, 8], [6, 6, 16], [3, 3, 16], [1, 1, 144], [1, 1, 10]]);
    assert.throws(() => net.filters(1), /pool layer; filters\(\) needs a conv layer/);
    // stride 2 and valid padding give the sizes of the usual formulas
    const strided = lab.network({ inputs: [12, 12, 1], layers: [{ type: 'conv', filters: 2, kernel: 5, stride: 2, padding: 'valid' }, { units: 2, activation: 'softmax' }] });
    assert.deepEqual(strided.layers[0].shape, [4, 4, 2]);
    assert.equal(strided.weights(1).length, 32 * 2);
  });

  it('refuses shapes that do not fit, with the layer named', () => {
    assert.throws(() => lab.network({ inputs: [12, 12, 1], layers: [{ type: 'conv', filters: 4, kernel: 4 }, { units: 2, activation: 'softmax' }] }), /layers\[0\].kernel 4/);
    assert.throws(() => lab.network({ inputs: [2, 2, 1], layers: [{ type: 'pool' }, { type: 'pool' }, { units: 2, activation: 'softmax' }] }), /layers\[1\] \('pool'\) gets an input of shape \[1, 1, 1\]/);
    assert.throws(() => lab.network({ inputs: [4, 4, 1], layers: [{ type: 'conv', filters: 2, kernel: 5, padding: 'valid' }, { units: 2, activation: 'softmax' }] }), /empty output/);
    assert.throws(() => lab.network({ inputs: [4, 4, 1], layers: [{ type: 'conv', filters: 2 }] }), /output layer must be dense/);
    assert.throws(() => lab.network({ inputs: [4, 4, 1], layers: [{ type: 'pool', size: 3 }, { units: 2, activation: 'softmax' }] }), /size 3/);
    assert.throws(() => lab.network({ inputs: [4, 4, 1], layers: [{ type: 'pool', units: 3 }, { units: 2, activation: 'softmax' }] }), /has no option 'units'/);
  });
});
