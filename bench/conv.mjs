// conv.mjs: convolution training throughput (issues 9 and 18). Two networks, each written once
// here in gradlab's layer form and translated for the other trainers:
//   digits: the convnet of tests/js/conv.test.mjs on 12 x 12 digits, conv 8 (3x3, same, ReLU) ->
//           max pool -> conv 16 -> max pool -> dense 10;
//   lenet:  a LeNet-sized network on 28 x 28 digits, conv 6 (5x5, same) -> max pool -> conv 16
//           (5x5, valid) -> max pool -> dense 120 -> dense 84 -> dense 10, ReLU.
// Two comparisons, interleaved like the dense networks:
//  - Adam 1e-3, batch 32, digits: gradlab's two builds and TensorFlow.js (tf.conv2d + tf.maxPool,
//    the same shapes) on its cpu backend: tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter
//    kernel, so it cannot train a convolution;
//  - SGD with momentum 0.9, rate 0.01, batch 32, both networks: gradlab's two builds and ConvNetJS
//    0.3 (conv, pool, fc and softmax layers; its trainer has no Adam).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const BATCH = 32;

export const CONVNETS = {
  digits: { size: 12, layers: [
    { type: 'conv', filters: 8, kernel: 3, activation: 'relu' }, { type: 'pool', mode: 'max' },
    { type: 'conv', filters: 16, kernel: 3, activation: 'relu' }, { type: 'pool', mode: 'max' },
    { type: 'flatten' }, { units: 10, activation: 'softmax' }] },
  lenet: { size: 28, layers: [
    { type: 'conv', filters: 6, kernel: 5, activation: 'relu' }, { type: 'pool', mode: 'max' },
    { type: 'conv', filters: 16, kernel: 5, padding: 'valid', activation: 'relu' }, { type: 'pool', mode: 'max' },
    { type: 'flatten' }, { units: 120, activation: 'relu' }, { units: 84, activation: 'relu' }, { units: 10, activation: 'softmax' }] },
};

const SGD = { name: 'momentum', learningRate: 0.01, momentum: 0.9 }; // v = 0.9 v + g, w -= 0.01 v: ConvNetJS's update
const ADAM = { name: 'adam', learningRate: 1e-3 };

function gradlabRunner(lab, data, spec, optimizer) {
  const net = lab.network({ inputs: [spec.size, spec.size, 1], init: 'he', seed: 1, layers: spec.layers });
  net.setOptimizer(optimizer);
  return {
    run(steps) { net.train(data, { steps, batchSize: BATCH }); return steps * BATCH; },
    dispose() { net.dispose(); },
  };
}

/** the same layers as ConvNetJS definitions ('same' padding of an odd kernel is (k - 1) / 2) */
function convnetDefs(spec) {
  const defs = [{ type: 'input', out_sx: spec.size, out_sy: spec.size, out_depth: 1 }];
  for (const l of spec.layers) {
    if (l.type === 'conv') {
      defs.push({ type: 'conv', sx: l.kernel, filters: l.filters, stride: 1, pad: l.padding === 'valid' ? 0 : (l.kernel - 1) / 2, activation: l.activation });
    } else if (l.type === 'pool') {
      defs.push({ type: 'pool', sx: 2, stride: 2 });
    } else if (l.activation === 'softmax') {
      defs.push({ type: 'softmax', num_classes: l.units }); // ConvNetJS puts its own fc layer before it
    } else if (l.units) {
      defs.push({ type: 'fc', num_neurons: l.units, activation: l.activation });
    }
  }
  return defs;
}

function convnetRunner(spec, x, y, rows) {
  const convnetjs = require('convnetjs');
  const model = new convnetjs.Net();
  model.makeLayers(convnetDefs(spec));
  const trainer = new convnetjs.Trainer(model, { method: 'sgd', learning_rate: SGD.learningRate, momentum: SGD.momentum, batch_size: BATCH, l2_decay: 0 });
  const n = spec.size * spec.size, vols = [];
  for (let i = 0; i < rows; ++i) {
    const v = new convnetjs.Vol(spec.size, spec.size, 1, 0);
    for (let d = 0; d < n; ++d) v.w[d] = x[i * n + d];
    vols.push(v);
  }
  let cursor = 0;
  return {
    run(steps) {
      for (let i = 0; i < steps * BATCH; ++i) { trainer.train(vols[cursor], y[cursor]); cursor = (cursor + 1) % rows; }
      return steps * BATCH;
    },
    dispose() {},
  };
}

function tfRunner(tf, x, y, rows) {
  const he = (shape, fanIn, seed) => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed));
  const vars = [he([3, 3, 1, 8], 9, 1), tf.variable(tf.zeros([8])), he([3, 3, 8, 16], 72, 2), tf.variable(tf.zeros([16])),
    he([144, 10], 144, 3), tf.variable(tf.zeros([10]))];
  const X = tf.tensor4d(x, [rows, 12, 12, 1]);
  const Y = tf.cast(tf.oneHot(tf.tensor1d(y, 'int32'), 10), 'float32');
  const opt = tf.train.adam(ADAM.learningRate);
  let cursor = 0;
  return {
    run(steps) {
      for (let s = 0; s < steps; ++s) {
        if (cursor + BATCH > rows) cursor = 0;
        const start = cursor; cursor += BATCH;
        tf.tidy(() => {
          const xb = tf.slice(X, [start, 0, 0, 0], [BATCH, 12, 12, 1]), yb = tf.slice(Y, [start, 0], [BATCH, 10]);
          opt.minimize(() => {
            let h = tf.maxPool(tf.relu(tf.add(tf.conv2d(xb, vars[0], 1, 'same'), vars[1])), 2, 2, 'valid');
            h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, vars[2], 1, 'same'), vars[3])), 2, 2, 'valid');
            return tf.losses.softmaxCrossEntropy(yb, tf.add(tf.matMul(tf.reshape(h, [BATCH, 144]), vars[4]), vars[5]));
          });
        });
      }
      vars[0].dataSync();
      return steps * BATCH;
    },
    dispose() { for (const v of vars) v.dispose(); X.dispose(); Y.dispose(); opt.dispose(); },
  };
}

/** samples/s per repetition of each runner, blocks of about `block` seconds in rotating order */
function interleave(runners, reps, block) {
  const time = (runner, steps) => { const t0 = performance.now(); const n = runner.run(steps); return n / ((performance.now() - t0) / 1e3); };
  for (const r of runners) { // calibrate a block of about `block` seconds
    r.steps = 1;
    for (let i = 0; i < 4; ++i) r.steps = Math.max(1, Math.round(block * time(r.runner, r.steps) / BATCH));
  }
  const results = {};
  for (let rep = 0; rep < reps; ++rep) {
    for (let j = 0; j < runners.length; ++j) {
      const r = runners[(j + rep) % runners.length];
      (results[r.name] ??= []).push(time(r.runner, r.steps));
    }
  }
  for (const r of runners) r.runner.dispose();
  return results;
}

/**
 * { adam: { runner name: samples/s per repetition }, sgd: { digits: {...}, lenet: {...} } }.
 * adam: 'gradlab SIMD', 'gradlab scalar' and, when tf is given (its cpu backend active), 'tfjs-cpu'
 * on digits; sgd: 'gradlab SIMD', 'gradlab scalar' and 'ConvNetJS' on each network.
 * labs: { simd, scalar } loaded gradlab modules. samples: rows of each data set.
 */
export async function benchConv({ labs, tf, reps, block, samples = 2048, networks = ['digits', 'lenet'] }) {
  const out = { adam: {}, sgd: {} };
  for (const name of networks) {
    const spec = CONVNETS[name];
    const sets = {
      simd: labs.simd.dataset('digits', { samples, seed: 1, testFraction: 0, size: spec.size }),
      scalar: labs.scalar.dataset('digits', { samples, seed: 1, testFraction: 0, size: spec.size }),
    };
    const { x, y } = sets.simd.rows('train');
    if (name === 'digits') {
      const runners = [
        { name: 'gradlab SIMD', runner: gradlabRunner(labs.simd, sets.simd, spec, ADAM) },
        { name: 'gradlab scalar', runner: gradlabRunner(labs.scalar, sets.scalar, spec, ADAM) },
      ];
      if (tf) runners.push({ name: 'tfjs-cpu', runner: tfRunner(tf, x.slice(), y.slice(), samples) });
      out.adam = interleave(runners, reps, block);
    }
    out.sgd[name] = interleave([
      { name: 'gradlab SIMD', runner: gradlabRunner(labs.simd, sets.simd, spec, SGD) },
      { name: 'gradlab scalar', runner: gradlabRunner(labs.scalar, sets.scalar, spec, SGD) },
      { name: 'ConvNetJS', runner: convnetRunner(spec, x, y, samples) },
    ], reps, block);
    sets.simd.dispose(); sets.scalar.dispose();
  }
  return out;
}
