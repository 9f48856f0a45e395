// snapshot.js: what every view of a run shows at one step, taken from a network: per-layer statistics
// and histograms, the diagram's weights, the first convolution's filters and the network's outputs over
// a grid of inputs (the boundary or fitted-function image). Copies, so a record can keep them while
// training goes on. Taking one runs an inference pass only: it draws no random numbers and changes
// nothing that training reads, so a run with snapshots trains exactly like one without.

/** The histograms each layer keeps, by the names of net.histogram(). */
export const SNAPSHOT_HISTOGRAMS = ['weights', 'activations', 'gradients'];
export const SNAPSHOT_DEFAULTS = { bins: 24, probeRows: 256, grid: null, diagram: true };

/**
 * A snapshot of net at its current step. data: the run's data set; activations are those of an
 * inference pass over its first probeRows training rows. options.grid: a Float32Array of input rows
 * whose outputs are kept (the boundary image), or null. options.diagram: keep every layer's weights.
 */
export function takeSnapshot(net, data, options = {}) {
  const o = { ...SNAPSHOT_DEFAULTS, ...options };
  const train = data.rows('train');
  const rows = Math.min(o.probeRows, train.count);
  net.forward(train.x.slice(0, rows * net.inputs), rows);
  const stats = net.layerStats();
  const layers = stats.map((s, i) => {
    const hist = {};
    for (const what of SNAPSHOT_HISTOGRAMS) hist[what] = net.histogram(i, what, { bins: o.bins });
    return { ...s, hist };
  });
  const conv = net.layers.findIndex((l) => l.type === 'conv');
  let filters = null;
  if (conv >= 0) {
    const f = net.filters(conv);
    filters = { layer: conv, kernel: f.kernel, channels: f.channels, count: f.filters, weights: f.weights.slice() };
  }
  return {
    step: net.step,
    layers,
    weights: o.diagram ? net.layers.map((_, i) => net.weights(i).slice()) : [],
    filters,
    outputs: o.grid ? net.predict(o.grid, o.grid.length / net.inputs) : null,
  };
}
