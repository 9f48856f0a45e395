// conv.mjs: convolution training throughput (issue 9): the digits convnet of tests/js/conv.test.mjs,
// conv 8 (3x3, same, ReLU) -> max pool -> conv 16 -> max pool -> dense 10, Adam 1e-3, batch 32,
// trained on 12 x 12 digits by gradlab's two builds and by TensorFlow.js (tf.conv2d + tf.maxPool, the
// same shapes) on its cpu backend: tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter kernel,
// so it cannot train a convolution. Interleaved like the dense networks.
const BATCH = 32;

function gradlabRunner(lab, data) {
  const net = lab.network({
    inputs: [12, 12, 1], init: 'he', seed: 1,
    layers: [
      { type: 'conv', filters: 8, kernel: 3, activation: 'relu' }, { type: 'pool', mode: 'max' },
      { type: 'conv', filters: 16, kernel: 3, activation: 'relu' }, { type: 'pool', mode: 'max' },
      { type: 'flatten' }, { units: 10, activation: 'softmax' },
    ],
  });
  net.setOptimizer({ name: 'adam', learningRate: 1e-3 });
  return {
    run(steps) { net.train(data, { steps, batchSize: BATCH }); return steps * BATCH; },
    dispose() { net.dispose(); },
  };
}

function tfRunner(tf, x, y, rows) {
  const he = (shape, fanIn, seed) => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed));
  const vars = [he([3, 3, 1, 8], 9, 1), tf.variable(tf.zeros([8])), he([3, 3, 8, 16], 72, 2), tf.variable(tf.zeros([16])),
    he([144, 10], 144, 3), tf.variable(tf.zeros([10]))];
  const X = tf.tensor4d(x, [rows, 12, 12, 1]);
  const Y = tf.cast(tf.oneHot(tf.tensor1d(y, 'int32'), 10), 'float32');
  const opt = tf.train.adam(1e-3);
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

/**
 * { samples/s per repetition } for 'gradlab SIMD', 'gradlab scalar' and, when tf is given (its cpu
 * backend active), 'tfjs-cpu'. labs: { simd, scalar } loaded gradlab modules.
 */
export async function benchConv({ labs, tf, reps, block }) {
  const sets = { simd: labs.simd.dataset('digits', { samples: 2048, seed: 1, testFraction: 0 }),
    scalar: labs.scalar.dataset('digits', { samples: 2048, seed: 1, testFraction: 0 }) };
  const { x, y } = sets.simd.rows('train');
  const runners = [
    { name: 'gradlab SIMD', runner: gradlabRunner(labs.simd, sets.simd) },
    { name: 'gradlab scalar', runner: gradlabRunner(labs.scalar, sets.scalar) },
  ];
  if (tf) runners.push({ name: 'tfjs-cpu', runner: tfRunner(tf, x.slice(), y.slice(), 2048) });
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
  sets.simd.dispose(); sets.scalar.dispose();
  return results;
}
