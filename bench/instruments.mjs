// instruments.mjs: the speed of issue 15's instruments on the s32 network over 512 rows, in the SIMD
// and the scalar build: a 41 x 41 loss landscape (target under 0.5 s) and lambda max to 1% (target
// under 50 ms, with tolerance 0.01; its error against a 1e-6-tolerance estimate is printed beside it).
// Times are medians over interleaved repetitions of each build.
import { NETWORKS, toyData } from './networks.mjs';

const layersOf = (net) => [...net.hidden.map((units) => ({ units, activation: net.activation })), { units: net.classes, activation: 'softmax' }];

export async function benchInstruments({ labs, reps, resolution = 41 }) {
  const spec = NETWORKS.find((n) => n.name === 's32');
  const rows = toyData(spec, 512);
  const runs = Object.entries(labs).map(([name, lab]) => {
    const data = lab.dataset({ x: rows.x, y: rows.y, inputs: spec.inputs, testFraction: 0 });
    const net = lab.network({ inputs: spec.inputs, layers: layersOf(spec), loss: 'cross-entropy', seed: 1 });
    net.setOptimizer({ name: 'sgd', learningRate: 0.1 });
    net.train(data, { steps: 200, batchSize: spec.batch }); // away from the initial weights
    const reference = net.sharpness(data, { tolerance: 1e-6, iterations: 1000 }).lambdaMax;
    return { name, data, net, reference };
  });
  const out = {};
  for (let rep = 0; rep < reps; ++rep) {
    for (const r of runs) {
      let t = performance.now();
      r.net.lossLandscape(r.data, { resolution });
      (out[`${r.name} landscape`] ??= []).push((performance.now() - t) / 1e3);
      t = performance.now();
      const s = r.net.sharpness(r.data, { tolerance: 0.01 });
      (out[`${r.name} sharpness`] ??= []).push((performance.now() - t) / 1e3);
      (out[`${r.name} sharpness error`] ??= []).push(Math.abs(s.lambdaMax - r.reference) / Math.abs(r.reference));
      (out[`${r.name} sharpness products`] ??= []).push(s.iterations);
    }
  }
  for (const r of runs) { r.net.dispose(); r.data.dispose(); }
  return out;
}
