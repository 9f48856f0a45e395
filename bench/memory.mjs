// memory.mjs: what the d500 network with Adam holds in a fresh gradlab SIMD module, beside the
// bytes its parameters, gradients, Adam state and one batch of activations need; and whether
// many create/dispose cycles leave liveBytes where they started.
import { loadGradlab } from '../web/lib/gradlab.js';
import { NETWORKS, parameterCount, toyData } from './networks.mjs';

const layersOf = (net) => [...net.hidden.map((units) => ({ units, activation: net.activation })),
  { units: net.classes, activation: 'softmax' }];

export async function benchMemory({ cycles }) {
  const net = NETWORKS.find((n) => n.name === 'd500');
  const lab = await loadGradlab({ simd: true });
  const start = lab.memoryStats();
  const data = toyData(net, 1024);
  const d = lab.dataset({ x: data.x, y: data.y, inputs: net.inputs, testFraction: 0 });
  const withData = lab.memoryStats();
  const n = lab.network({ inputs: net.inputs, layers: layersOf(net), loss: 'cross-entropy', seed: 1 });
  n.setOptimizer({ name: 'adam', learningRate: 1e-3 });
  let peakLive = 0;
  for (let i = 0; i < 3; ++i) {
    n.train(d, { steps: 1, batchSize: net.batch });
    peakLive = Math.max(peakLive, lab.memoryStats().liveBytes);
  }
  const trained = lab.memoryStats();
  const P = parameterCount(net);
  const units = [...net.hidden, net.classes].reduce((a, b) => a + b, 0);
  const need = {
    parameters: 4 * P, gradients: 4 * P, adam: 8 * P,
    activations: 4 * net.batch * units * 2, // z and a of every layer for one batch
  };
  need.total = need.parameters + need.gradients + need.adam + need.activations;
  const network = peakLive - withData.liveBytes;
  n.dispose(); d.dispose();

  // create/dispose cycles on a small network, training one step each time
  const s = NETWORKS.find((x) => x.name === 's32');
  const sd = toyData(s, 256);
  const small = lab.dataset({ x: sd.x, y: sd.y, inputs: s.inputs, testFraction: 0 });
  const cycle = () => {
    const m = lab.network({ inputs: s.inputs, layers: layersOf(s), loss: 'cross-entropy', seed: 1 });
    m.setOptimizer({ name: 'adam', learningRate: 1e-3 });
    m.train(small, { steps: 1, batchSize: s.batch });
    m.dispose();
  };
  cycle();
  const before = lab.memoryStats().liveBytes;
  for (let i = 0; i < cycles; ++i) cycle();
  const after = lab.memoryStats().liveBytes;
  small.dispose();
  return {
    P, need, network, ratio: network / need.total,
    wasm: { start: start.wasmBytes, afterData: withData.wasmBytes, afterTraining: trained.wasmBytes },
    data: withData.liveBytes - start.liveBytes,
    cycles, liveBefore: before, liveAfter: after,
  };
}
