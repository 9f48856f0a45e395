// worker.js: owns the engine. The page sends commands; the worker trains and posts small snapshots.
import { loadGradlab } from '../lib/gradlab.js';

const GRID = 64;
let lab, data, net, playing = false, config;

function build(c) {
  config = c;
  data?.dispose(); net?.dispose();
  data = lab.dataset(c.dataset, { samples: 300, noise: 0.1, seed: c.seed, classes: c.dataset === 'spiral' ? 3 : undefined });
  net = lab.network({ inputs: 2, layers: [{ units: 32, activation: 'relu' }, { units: data.classes, activation: 'softmax' }], init: 'he', seed: c.seed });
  net.setOptimizer({ name: 'sgd', learningRate: 0.5 });
}

const grid = new Float32Array(GRID * GRID * 2);
for (let i = 0; i < GRID; ++i) for (let j = 0; j < GRID; ++j) {
  grid[2 * (i * GRID + j)] = -1.5 + (3 * (j + 0.5)) / GRID;
  grid[2 * (i * GRID + j) + 1] = 1.5 - (3 * (i + 0.5)) / GRID;
}

function snapshot(result) {
  const { x, y } = data.rows('train');
  postMessage({ type: 'snapshot', result, classes: data.classes, grid: GRID, probs: net.predict(grid, GRID * GRID),
    points: x.slice(), labels: y.slice() });
}

function loop() {
  if (!playing) return;
  const result = net.train(data, { steps: 20 });
  snapshot(result);
  if (result.status === 'diverged') { playing = false; return; }
  setTimeout(loop, 16);
}

onmessage = async ({ data: msg }) => {
  try {
    if (msg.type === 'init') {
      lab = await loadGradlab();
      build(msg.config);
      postMessage({ type: 'ready', simd: lab.simd });
      snapshot({ step: 0, loss: NaN, accuracy: null, status: 'ok' });
    } else if (msg.type === 'reset') {
      playing = false;
      build(msg.config ?? config);
      snapshot({ step: 0, loss: NaN, accuracy: null, status: 'ok' });
    } else if (msg.type === 'play') {
      playing = true; loop();
    } else if (msg.type === 'pause') {
      playing = false;
    }
  } catch (error) {
    postMessage({ type: 'error', message: error.message });
  }
};
