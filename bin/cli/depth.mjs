// depth.mjs: `gradlab depth`: the classic experiment on initialisation. A deep stack of equal layers
// gets standard normal inputs and runs forward once; for every layer we print the mean and standard
// deviation of its activations and a small histogram of them. With too small weights the activations
// shrink towards zero layer by layer; with too large ones tanh saturates at -1 and 1.
import { ACTIVATIONS, INITS, INIT_ALIASES } from '../../web/lib/gradlab.js';
import { UsageError } from './flags.mjs';
import { fixed, histogram, moments, sparkline, table } from './format.mjs';
import { PROGRESS_FLAGS, Progress, progressWanted } from './progress.mjs';

const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter((a) => a !== 'softmax');

export const usage = 'gradlab depth --layers 10 --units 500 --activation tanh --init xavier [--json]';
export const summary = `Runs --samples standard normal inputs of --units dimensions forward through --layers equal
layers (no training) and prints, per layer, the mean and standard deviation of the activations, the
share of saturated (tanh, sigmoid) or dead (relu) units, and a text histogram of the activations
over one range shared by all layers.`;

export const flags = {
  layers: { type: 'int', min: 1, max: 64, default: 10, help: 'layers in the stack' },
  units: { type: 'int', min: 1, max: 4096, default: 500, help: 'units per layer (and input dimensions)' },
  activation: { type: 'choice', choices: HIDDEN_ACTIVATIONS, default: 'tanh', value: 'NAME', help: 'activation of every layer' },
  init: { type: 'choice', choices: [...INITS, ...Object.keys(INIT_ALIASES)], default: 'xavier', value: 'NAME', help: 'weight initialisation' },
  std: { type: 'number', min: 0, max: 1e6, help: 'standard deviation for --init normal (default 0.01)' },
  gain: { type: 'number', min: 0, max: 1e6, help: 'gain for --init orthogonal (default 1)' },
  'batch-norm': { type: 'bool', help: 'batch norm before each activation (the pass then uses batch statistics)' },
  samples: { type: 'int', min: 2, max: 65536, default: 1000, help: 'input rows' },
  seed: { type: 'int', min: 0, max: 4294967295, default: 1, help: 'seed of the inputs and the weights' },
  bins: { type: 'int', min: 2, max: 200, default: 20, help: 'histogram bins' },
  json: { type: 'bool', help: 'print one JSON document with the statistics and histogram counts' },
  ...PROGRESS_FLAGS,
};

/** The histogram range for an activation: its bounded range, or the extremes seen in the input or any layer. */
function range(activation, stats) {
  if (activation === 'tanh') return [-1, 1];
  if (activation === 'sigmoid') return [0, 1];
  const lo = Math.min(...stats.map((s) => s.min));
  const hi = Math.max(...stats.map((s) => s.max));
  const reach = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  return activation === 'relu' ? [0, reach] : [-reach, reach];
}

export async function run(v, io) {
  if (v.std !== undefined && v.init !== 'normal') throw new UsageError(`--std is for --init normal only (got --init ${v.init})`);
  if (v.gain !== undefined && v.init !== 'orthogonal') throw new UsageError(`--gain is for --init orthogonal only (got --init ${v.init})`);
  if ((v.samples * v.units) > 33554432) throw new UsageError(`--samples x --units = ${v.samples * v.units} is over the limit of 33554432 values`);
  const init = v.init === 'normal' ? { name: 'normal', std: v.std ?? 0.01 }
    : v.init === 'orthogonal' ? { name: 'orthogonal', gain: v.gain ?? 1 } : v.init;
  const lab = await io.lab();
  const progress = new Progress(io.stderr, progressWanted(v, io.stderr), 'depth', v.layers + 1);
  const x = lab.randomNormal(v.samples * v.units, v.seed);
  progress.update(1);
  const batchNorm = Boolean(v['batch-norm']);
  const layers = Array.from({ length: v.layers }, () => ({ units: v.units, activation: v.activation, batchNorm }));
  const net = lab.network({ inputs: v.units, layers, loss: 'mse', init, seed: v.seed });
  net.forward(x, v.samples, { training: batchNorm });
  const engine = net.layerStats();
  const stats = [{ ...moments(x), saturated: null, dead: null }];
  for (let i = 0; i < v.layers; ++i) {
    stats.push({ ...moments(net.activations(i)), saturated: engine[i].saturated, dead: engine[i].dead });
    progress.update(i + 2);
  }
  const [lo, hi] = range(v.activation, stats);
  // ReLU outputs are exactly 0 for about half of all values: counted apart as `zeros`, so that the
  // histogram shows the shape of the positive part instead of one tall bar at 0
  const relu = v.activation === 'relu';
  const counts = [{ ...histogram(x, lo, hi, v.bins), zeros: null }];
  for (let i = 0; i < v.layers; ++i) {
    const a = net.activations(i);
    counts.push(relu ? { ...histogram(a.filter((value) => value !== 0), lo, hi, v.bins), zeros: countZeros(a) } : { ...histogram(a, lo, hi, v.bins), zeros: null });
  }
  progress.done();
  net.dispose();
  const rows = stats.map((s, i) => ({ layer: i, ...s, histogram: counts[i].counts, outside: counts[i].outside, ...(relu ? { zeros: counts[i].zeros } : {}) }));
  if (v.json) {
    io.stdout.write(JSON.stringify({
      command: 'depth', simd: lab.simd, layers: v.layers, units: v.units, activation: v.activation, init, batchNorm,
      samples: v.samples, seed: v.seed, histogramRange: [lo, hi], bins: v.bins,
      rows, // row 0 is the input; row i the activations of layer i; outside: values beyond the range;
      // saturated: share of tanh |a| > 0.99 or sigmoid a < 0.01 or > 0.99; dead: share of ReLU units 0 for every row;
      // relu only: zeros, the count of values exactly 0, which the histogram leaves out
    }, null, 2) + '\n');
    return 0;
  }
  io.stdout.write(`${v.samples} standard normal inputs through ${v.layers} layers of ${v.units} ${v.activation} units${batchNorm ? ' with batch norm' : ''}, init ${typeof init === 'string' ? init : JSON.stringify(init)}\n`);
  io.stdout.write(`histograms over [${fixed(lo, 2)}, ${fixed(hi, 2)}] in ${v.bins} bins\n\n`);
  const share = (value, total) => (value === null ? '-' : `${((100 * value) / total).toFixed(1)}%`);
  const extra = relu ? ['zeros', 'dead'] : ['tanh', 'sigmoid'].includes(v.activation) ? ['saturated'] : [];
  io.stdout.write(table(['layer', 'mean', 'std', ...extra, 'histogram'],
    rows.map((r) => [r.layer === 0 ? 'input' : String(r.layer), fixed(r.mean), fixed(r.std),
      ...extra.map((k) => (k === 'zeros' ? share(r.zeros, v.samples * v.units) : share(r[k], 1))), `|${sparkline(r.histogram)}|`])));
  if (relu) io.stdout.write('(relu: values exactly 0 are counted as zeros and left out of the histograms)\n');
  return 0;
}

function countZeros(values) {
  let zeros = 0;
  for (const value of values) if (value === 0) zeros++;
  return zeros;
}
