// snapshot.js: what every view of a run shows at one step, taken from a network: per-layer statistics
// and histograms, the diagram's weights, the first convolution's filters and the network's outputs over
// a grid of inputs (the boundary or fitted-function image). Copies, so a record can keep them while
// training goes on. Taking one runs an inference pass only: it draws no random numbers and changes
// nothing that training reads, so a run with snapshots trains exactly like one without.

import { nearZero, summary } from './stats.js';

/** The histograms each layer keeps, by the names of net.histogram(). */
export const SNAPSHOT_HISTOGRAMS = ['weights', 'activations', 'gradients'];
export const SNAPSHOT_DEFAULTS = { bins: 24, probeRows: 256, grid: null, diagram: true };
/** |w| below this counts as practically zero (a layer report's nearZero) */
export const NEAR_ZERO = 1e-3;

const finiteOrNull = (v) => (Number.isFinite(v) ? v : null);
const moments = (m) => ({ mean: finiteOrNull(m.mean), std: finiteOrNull(m.std), min: finiteOrNull(m.min), max: finiteOrNull(m.max) });
const bins = (h) => ({ counts: Float32Array.from(h.counts), min: h.edges[0], max: h.edges[h.edges.length - 1] });

/**
 * The inference pass a snapshot's statistics are read after: the first probeRows training rows of
 * data, so dropout is off and batch norm uses its running averages (downloads of the statistics run it too).
 */
export function probeForward(net, data, probeRows = SNAPSHOT_DEFAULTS.probeRows) {
  const train = data.rows('train');
  const rows = Math.min(probeRows, train.count);
  net.forward(train.x.slice(0, rows * net.inputs), rows);
}

/**
 * Every layer's report at net's current step, what the page, the CLI and a run record show of it:
 * moments of its weights, activations (of probeForward) and gradients (of the last training step),
 * saturated, dead, gradientNorm, updateRatio, nearZero (the share of |w| < NEAR_ZERO), a histogram
 * { counts, min, max } of each of SNAPSHOT_HISTOGRAMS in `bins` bins and, for batch norm, running:
 * { mean, variance } moments and the per-unit means and variances. Numbers that are not finite (a
 * diverged run) are null. Copies throughout, so a report outlives the step it was taken at.
 */
export function layerReports(net, data, options = {}) {
  const o = { ...SNAPSHOT_DEFAULTS, ...options };
  probeForward(net, data, o.probeRows);
  return net.layerStats().map((s, i) => {
    const hist = {};
    for (const what of SNAPSHOT_HISTOGRAMS) hist[what] = bins(net.histogram(i, what, { bins: o.bins }));
    const report = {
      weights: moments(s.weights), activations: moments(s.activations), gradients: moments(s.gradients),
      saturated: s.saturated, dead: s.dead, gradientNorm: finiteOrNull(s.gradientNorm), updateRatio: finiteOrNull(s.updateRatio),
      nearZero: nearZero(net.weights(i), NEAR_ZERO), hist,
    };
    if (s.runningMean) {
      report.running = {
        mean: moments(summary(s.runningMean)), variance: moments(summary(s.runningVar)),
        means: s.runningMean, variances: s.runningVar,   // per unit or channel (layerStats' copies)
      };
    }
    return report;
  });
}

/**
 * A snapshot of net at its current step. data: the run's data set; layers: layerReports (activations
 * of an inference pass over its first probeRows training rows). options.grid: a Float32Array of input
 * rows whose outputs are kept (the boundary image), or null. options.diagram: keep every layer's weights.
 */
export function takeSnapshot(net, data, options = {}) {
  const o = { ...SNAPSHOT_DEFAULTS, ...options };
  const layers = layerReports(net, data, o);
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
