// The classic experiments of a course on training networks, printed as tables a course author can
// quote: `node examples/experiments.mjs`. Every number is computed by gradlab as it runs.
import { depthExperiment, loadGradlab } from '../web/lib/gradlab.js';

const lab = await loadGradlab();
const fmt = (v) => (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(1)).padStart(8);

console.log('1. Activation std per layer: 10 layers of 500 units, 1000 inputs drawn from N(0, 1), forward only\n');
const runs = [
  ['tanh, small init N(0, 0.01^2)', { init: { name: 'normal', std: 0.01 } }],
  ['tanh, large init N(0, 1)', { init: { name: 'normal', std: 1 } }],
  ['tanh, xavier N(0, 1/fan_in)', { init: 'xavier' }],
  ['tanh, small init + batch norm', { init: { name: 'normal', std: 0.01 }, batchNorm: true }],
  ['relu, xavier', { activation: 'relu', init: 'xavier' }],
  ['relu, he N(0, 2/fan_in)', { activation: 'relu', init: 'he' }],
];
console.log(`${'layer'.padEnd(32)}${Array.from({ length: 10 }, (_, i) => String(i + 1).padStart(8)).join('')}`);
for (const [label, options] of runs) {
  const rows = depthExperiment(lab, options);
  console.log(`${label.padEnd(32)}${rows.map((r) => fmt(r.std)).join('')}`);
  if (options.init?.std === 1) console.log(`${'  saturated (|a| > 0.99)'.padEnd(32)}${rows.map((r) => fmt(r.saturated)).join('')}`);
}

console.log('\n2. Batch norm rescues a bad init: 10 tanh layers of 50 units, small init, spiral (3 classes), SGD 0.5, 1500 steps of 64\n');
const spiral = lab.dataset('spiral', { samples: 300, classes: 3, noise: 0.1, seed: 1, testFraction: 0 });
for (const batchNorm of [false, true]) {
  const net = lab.network({ inputs: 2, init: { name: 'normal', std: 0.01 }, seed: 1,
    layers: [...Array.from({ length: 10 }, () => ({ units: 50, activation: 'tanh', batchNorm })), { units: 3, activation: 'softmax' }] });
  net.setOptimizer({ name: 'sgd', learningRate: 0.5 });
  net.train(spiral, { steps: 1500, batchSize: 64 });
  const { loss, accuracy } = net.evaluate(spiral);
  console.log(`  ${batchNorm ? 'with' : 'without'} batch norm:`.padEnd(26), `loss ${loss.toFixed(3)}  accuracy ${(100 * accuracy).toFixed(1)}%`);
  net.dispose();
}

console.log('\n3. Symmetry: 2-8-8-2 tanh on moons, 300 steps; distinct incoming weight vectors per hidden layer\n');
const moons = lab.dataset('moons', { samples: 200, seed: 2 });
for (const init of ['zeros', { name: 'constant', value: 0.3 }, 'xavier']) {
  const net = lab.network({ inputs: 2, init, seed: 1, layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }] });
  net.setOptimizer({ name: 'sgd', learningRate: 0.5 });
  net.train(moons, { steps: 300, batchSize: 32 });
  const distinct = [0, 1].map((l) => {
    const w = net.weights(l), inputs = l ? 8 : 2;
    return new Set(Array.from({ length: 8 }, (_, j) => Array.from({ length: inputs }, (_, i) => w[i * 8 + j]).join())).size;
  });
  console.log(`  ${JSON.stringify(init)}`.padEnd(34), `layer 1: ${distinct[0]} of 8, layer 2: ${distinct[1]} of 8, accuracy ${(100 * net.evaluate(moons).accuracy).toFixed(1)}%`);
  net.dispose();
}

console.log('\n4. Dropout 0.4 on 40 linear units: mean training output over 4000 masks vs the test output\n');
const x = new Float32Array([0.5, -1, 2, 0.5, -1, 2]);
for (const dropoutMode of ['inverted', 'classic']) {
  const net = lab.network({ inputs: 3, dropoutMode, loss: 'mse', seed: 4, layers: [{ units: 40, activation: 'linear', dropout: 0.4 }, { units: 1, activation: 'linear' }] });
  let sum = 0;
  for (let i = 0; i < 4000; ++i) { net.forward(x, 2, { training: true }); sum += net.activations(1)[0] + net.activations(1)[1]; }
  console.log(`  ${dropoutMode}:`.padEnd(14), `training mean ${(sum / 8000).toFixed(4)}  test ${net.predict(x, 1)[0].toFixed(4)}`);
  net.dispose();
}
