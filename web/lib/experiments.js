// experiments.js: the classic measurements of a course on training networks, as functions that
// tests, examples, the CLI and the page share.
import { integer, known, object } from './names.js';
import { LIMITS } from './boundary.js';

const DEPTH_KEYS = ['layers', 'units', 'activation', 'init', 'samples', 'seed', 'batchNorm'];

/**
 * The depth experiment: `samples` rows of N(0, 1) inputs of width `units` through `layers` layers of
 * `units` units, forward only (in training mode when batchNorm is set, so it uses batch statistics).
 * Returns one entry per layer: { layer, mean, std, saturated, dead, histogram: { counts, edges } }.
 */
export function depthExperiment(lab, options = {}) {
  object(options, 'depth experiment');
  known(options, DEPTH_KEYS, 'depth experiment');
  const layers = integer(options.layers, 'layers', 1, LIMITS.layers, 10);
  const units = integer(options.units, 'units', 1, LIMITS.units, 500);
  const samples = integer(options.samples, 'samples', 2, 100000, 1000);
  const seed = integer(options.seed, 'seed', 0, 0xffffffff, 1);
  const activation = options.activation ?? 'tanh';
  const net = lab.network({
    inputs: units, loss: 'mse', init: options.init ?? 'xavier', seed,
    layers: Array.from({ length: layers }, () => ({ units, activation, batchNorm: !!options.batchNorm })),
  });
  try {
    net.forward(lab.randomNormal(samples * units, seed), samples, { training: !!options.batchNorm });
    return net.layerStats().map((s, i) => ({
      layer: i + 1,
      mean: s.activations.mean,
      std: s.activations.std,
      saturated: s.saturated,
      dead: s.dead,
      histogram: net.histogram(i, 'activations', { bins: 20, min: activation === 'relu' ? 0 : -1, max: 1 }),
    }));
  } finally {
    net.dispose();
  }
}
