// train.mjs: `gradlab train`: trains a network on a toy data set (or your CSV) and prints its loss
// curve; --save DIR keeps the run, --load DIR continues one exactly.
import { readFileSync } from 'node:fs';
import { DATASETS, INITS, INIT_ALIASES, OPTIMIZERS, OPTIMIZER_DEFAULTS, ACTIVATIONS } from '../../web/lib/gradlab.js';
import { parseDataCsv } from '../../web/lib/csv.js';
import { loadRun } from '../../web/lib/runfile.js';
import { curvesFromCsv } from '../../web/lib/tables.js';
import { UsageError, exclusive } from './flags.mjs';
import { readRunDir, writeRunDir } from './rundir.mjs';
import { csv, fixed, table } from './format.mjs';
import { PROGRESS_FLAGS, Progress, progressWanted } from './progress.mjs';

const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter((a) => a !== 'softmax');

export const usage = 'gradlab train --dataset spiral --layers 100:relu --optimizer adam --lr 0.01 --steps 2000 [--json | --csv] [--save DIR | --load DIR]';
export const summary = `Trains a network on a toy data set (or the rows of --data-csv FILE) inside the wasm engine and
prints the loss and accuracy every --every steps: as text lines (default), as one JSON document
(--json) or as CSV (--csv). The output layer is added for you: softmax over the classes
(cross-entropy), or one linear unit (mean squared error) for regression targets (plane, sine).
--save DIR writes the run (settings, training state, weights as .npy, curves as CSV); --load DIR
trains a saved run --steps further, exactly as if it had never stopped.`;

export const flags = {
  dataset: { type: 'choice', choices: DATASETS, default: 'spiral', value: 'NAME', help: 'toy data set' },
  samples: { type: 'int', min: 2, max: 1000000, default: 300, help: 'points in the data set' },
  classes: { type: 'int', min: 2, max: 64, help: 'classes of blobs and spiral (default 3)' },
  noise: { type: 'number', min: 0, max: 10, default: 0.1, help: 'noise of the data set' },
  'test-fraction': { type: 'number', min: 0, max: 0.95, default: 0.2, help: 'share of points held out for testing' },
  layers: { type: 'string', default: '100:relu', value: 'UNITS:ACT,...', help: `hidden layers, e.g. 64:tanh,32:relu ('' for none); activations ${HIDDEN_ACTIVATIONS.join(', ')}` },
  init: { type: 'choice', choices: [...INITS, ...Object.keys(INIT_ALIASES)], default: 'xavier', value: 'NAME', help: 'weight initialisation' },
  std: { type: 'number', min: 0, max: 1e6, help: 'standard deviation for --init normal (default 0.01)' },
  optimizer: { type: 'choice', choices: OPTIMIZERS, default: 'adam', value: 'NAME', help: 'optimiser' },
  lr: { type: 'number', min: 0, max: 1000, help: 'learning rate (default: the optimiser\'s, e.g. adam 0.001)' },
  momentum: { type: 'number', min: 0, max: 0.9999, help: 'momentum of momentum, nesterov and rmsprop' },
  l2: { type: 'number', min: 0, max: 1000, default: 0, help: 'L2 penalty added to the loss' },
  'weight-decay': { type: 'number', min: 0, max: 1000, help: 'decoupled weight decay (adamw) or decay added to the gradient' },
  steps: { type: 'int', min: 1, max: 10000000, default: 1000, help: 'training steps' },
  batch: { type: 'int', min: 0, max: 65536, default: 0, help: 'minibatch size (0 = the whole training split)' },
  seed: { type: 'int', min: 0, max: 4294967295, default: 1, help: 'seed of the data, the weights and the batch order' },
  every: { type: 'int', min: 1, max: 10000000, help: 'record every N steps (default steps/20)' },
  'data-csv': { type: 'string', value: 'FILE', help: 'train on your own rows: a CSV of inputs and a label (or target) column, header optional' },
  label: { type: 'string', value: 'COLUMN', help: 'the label column of --data-csv: last (default), first, a header name or a 1-based number' },
  save: { type: 'string', value: 'DIR', help: 'save the run at the end into DIR (a new or empty folder, or one holding a saved run)' },
  load: { type: 'string', value: 'DIR', help: 'continue the run saved in DIR for --steps more steps (its own settings; flags that set up a run are refused)' },
  json: { type: 'bool', help: 'print one JSON document at the end' },
  csv: { type: 'bool', help: 'print CSV: step,loss,accuracy,learning_rate,test_loss,test_accuracy' },
  ...PROGRESS_FLAGS,
};

/** '100:relu,50:tanh' as [{ units, activation }]; '' as no hidden layer. */
export function parseLayers(text) {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const [unitsText, activation = 'relu', extra] = part.trim().split(':');
    const units = Number(unitsText);
    if (extra !== undefined || !Number.isInteger(units) || units < 1 || units > 4096) {
      throw new UsageError(`--layers '${text}': '${part}' is not allowed; each layer is UNITS[:ACTIVATION] with 1..4096 units, e.g. 100:relu`);
    }
    if (!HIDDEN_ACTIVATIONS.includes(activation)) {
      throw new UsageError(`--layers '${text}': activation '${activation}' is not known; allowed: ${HIDDEN_ACTIVATIONS.join(', ')}`);
    }
    return { units, activation };
  });
}

/** The network, optimiser and data specs that the flags describe (pure, for tests and --json). */
/** Flags that set up a new run: with --load they would be ignored, so they are refused. */
const SETUP_FLAGS = ['dataset', 'samples', 'classes', 'noise', 'test-fraction', 'layers', 'init', 'std', 'optimizer', 'lr',
  'momentum', 'l2', 'weight-decay', 'batch', 'seed', 'data-csv', 'label'];
const given = (v, name) => v[name] !== undefined && v[name] !== flags[name].default;

export function plan(v) {
  exclusive(v, ['json', 'csv']);
  if (v.load !== undefined) {
    const clash = SETUP_FLAGS.filter((n) => given(v, n));
    if (clash.length) throw new UsageError(`${clash.map((n) => `--${n}`).join(', ')} cannot be used with --load: a loaded run keeps its own settings`);
    return { load: v.load, steps: v.steps, every: Math.min(v.every ?? Math.max(1, Math.ceil(v.steps / 20)), v.steps) };
  }
  if (v['data-csv'] !== undefined) {
    const clash = ['dataset', 'samples', 'classes', 'noise'].filter((n) => given(v, n));
    if (clash.length) throw new UsageError(`${clash.map((n) => `--${n}`).join(', ')} cannot be used with --data-csv: the rows come from the file`);
  } else if (v.label !== undefined) throw new UsageError('--label is for --data-csv only');
  if (v.std !== undefined && v.init !== 'normal') throw new UsageError(`--std is for --init normal only (got --init ${v.init})`);
  const fixedClasses = !['blobs', 'spiral'].includes(v.dataset);
  if (v.classes !== undefined && fixedClasses) {
    throw new UsageError(`--classes is for the data sets blobs and spiral only (got --dataset ${v.dataset})`);
  }
  const data = { samples: v.samples, noise: v.noise, testFraction: v['test-fraction'], seed: v.seed };
  if (!fixedClasses) data.classes = v.classes ?? 3;
  const optimizer = { name: v.optimizer };
  if (v.lr !== undefined) optimizer.learningRate = v.lr;
  if (v.momentum !== undefined) {
    if (!('momentum' in OPTIMIZER_DEFAULTS[v.optimizer])) {
      throw new UsageError(`--momentum is not used by --optimizer ${v.optimizer}; it is for momentum, nesterov and rmsprop`);
    }
    optimizer.momentum = v.momentum;
  }
  if (v.l2) optimizer.l2 = v.l2;
  if (v['weight-decay'] !== undefined) optimizer.weightDecay = v['weight-decay'];
  const init = v.init === 'normal' ? { name: 'normal', std: v.std ?? 0.01 } : v.init;
  const every = Math.min(v.every ?? Math.max(1, Math.ceil(v.steps / 20)), v.steps);
  return { dataset: v['data-csv'] === undefined ? v.dataset : 'custom', csv: v['data-csv'], label: v.label, data, hidden: parseLayers(v.layers), init, optimizer, steps: v.steps, batch: v.batch, seed: v.seed, every };
}

/** --label as parseDataCsv takes it: a 1-based column number, 'last', 'first' or a header name. */
const labelOption = (text) => (text === undefined ? 'last' : /^\d+$/.test(text) ? Number(text) : text);

/** A new run from the flags: { net, data, batch, history, describe } */
function newRun(p, lab) {
  const { net, data, output } = makeRun(lab, p);
  // rows of a CSV: only the options that shaped them (the toy data set's samples, classes and noise do not apply)
  const dataOptions = p.csv !== undefined ? { file: p.csv, label: p.label ?? 'last', testFraction: p.data.testFraction, seed: p.seed } : p.data;
  return { net, data, batch: p.batch, history: [], name: p.dataset, dataOptions, layers: [...p.hidden, output] };
}

/** The rows of --data-csv as a data set (split by --test-fraction and --seed). */
function csvDataset(lab, p) {
  let text;
  try { text = readFileSync(p.csv, 'utf8'); } catch (error) { throw new UsageError(`--data-csv '${p.csv}' cannot be read (${error.code ?? error.message})`); }
  return lab.dataset({ ...parseDataCsv(text, { label: labelOption(p.label) }).dataset, testFraction: p.data.testFraction, seed: p.seed });
}

/** The run saved in p.load, ready to go on: { net, data, batch, history, ... } */
function loadedRun(p, lab) {
  const files = readRunDir(p.load);
  const { net, data, manifest } = loadRun(lab, files);
  const history = files['curves.csv'] ? curvesFromCsv(new TextDecoder().decode(files['curves.csv'])) : [];
  return { net, data, batch: manifest.batchSize, history, name: manifest.data.name, dataOptions: manifest.data.options, layers: manifest.network.layers };
}

/** The data set and the network (with its optimiser set) that a plan describes; output is the added last layer. */
export function makeRun(lab, p) {
  const data = p.csv !== undefined ? csvDataset(lab, p) : lab.dataset(p.dataset, p.data);
  const regression = data.classes === 0;
  const output = regression ? { units: data.outputs, activation: 'linear' } : { units: data.classes, activation: 'softmax' };
  const net = lab.network({
    inputs: data.inputs, layers: [...p.hidden, output], loss: regression ? 'mse' : 'cross-entropy', init: p.init, seed: p.seed,
  });
  net.setOptimizer(p.optimizer);
  return { data, net, output };
}

/** 'spiral: 240 training and 60 test points; network 2-100:relu-3, 503 parameters; adam at learning rate 0.001' */
export function describeRun(p, { data, net, output }) {
  return `${p.dataset}: ${data.trainSize} training and ${data.testSize} test points; network ${data.inputs}-${[...p.hidden, output].map((l) => `${l.units}${l.activation === 'linear' ? '' : ':' + l.activation}`).join('-')}, ${net.info().parameters} parameters; ${p.optimizer.name} at learning rate ${net.optimizer.learningRate}`;
}

export async function run(v, io) {
  const p = plan(v);
  const lab = await io.lab();
  const run = p.load !== undefined ? loadedRun(p, lab) : newRun(p, lab);
  const { net, data, history } = run;
  const start = net.step;
  const hasTest = data.testSize > 0;
  const progress = new Progress(io.stderr, progressWanted(v, io.stderr), 'train', p.steps);
  const text = !v.json && !v.csv;
  if (text) {
    if (p.load !== undefined) io.stdout.write(`loaded ${p.load}: step ${start}, ${history.length} curve points\n`);
    io.stdout.write(`${run.name}: ${data.trainSize} training and ${data.testSize} test points; network ${data.inputs}-${run.layers.map((l) => `${l.units}${(l.activation ?? 'linear') === 'linear' ? '' : ':' + l.activation}`).join('-')}, ${net.info().parameters} parameters; ${net.optimizer.name} at learning rate ${net.optimizer.learningRate}\n`);
  }
  let status = 'ok';
  let done = 0;
  // the bar moves in slices of about 1% of the run; splitting steps across calls changes no result
  const slice = progress.enabled ? Math.max(1, Math.ceil(p.steps / 100)) : p.steps;
  while (done < p.steps) {
    const target = Math.min(done + p.every, p.steps);
    let r;
    do {
      r = net.train(data, { steps: Math.min(slice, target - done), batchSize: run.batch });
      if (r.status === 'ok') { done += r.steps; progress.update(done, `loss ${fixed(r.loss)}`); }
    } while (r.status === 'ok' && done < target);
    if (r.status === 'diverged') {
      status = 'diverged';
      history.push({ step: r.step, loss: null, accuracy: null, learningRate: r.learningRate, testLoss: null, testAccuracy: null });
      break;
    }
    const test = hasTest ? net.evaluate(data, 'test') : { loss: null, accuracy: null };
    const record = { step: r.step, loss: r.loss, accuracy: r.accuracy, learningRate: r.learningRate, testLoss: test.loss, testAccuracy: test.accuracy };
    history.push(record);
    if (text) {
      io.stdout.write(`step ${String(r.step).padStart(String(start + p.steps).length)}  loss ${fixed(r.loss)}  accuracy ${percent(r.accuracy)}` +
        (hasTest ? `  test loss ${fixed(test.loss)}  test accuracy ${percent(test.accuracy)}` : '') + '\n');
    }
  }
  progress.done();
  const final = { train: net.evaluate(data, 'train'), test: hasTest ? net.evaluate(data, 'test') : null };
  if (v.json) {
    io.stdout.write(JSON.stringify({
      command: 'train', simd: lab.simd, status,
      dataset: { ...run.dataOptions, name: run.name, inputs: data.inputs, classes: data.classes, trainSize: data.trainSize, testSize: data.testSize },
      network: { inputs: data.inputs, layers: run.layers, loss: net.loss, init: net.spec.init, seed: net.seed, parameters: net.info().parameters },
      optimizer: net.optimizer, steps: p.steps, batchSize: run.batch, history, final,
    }, null, 2) + '\n');
  } else if (v.csv) {
    const rows = history.map((h) => ({ step: h.step, loss: h.loss, accuracy: h.accuracy, learning_rate: h.learningRate, test_loss: h.testLoss, test_accuracy: h.testAccuracy }));
    io.stdout.write(csv(['step', 'loss', 'accuracy', 'learning_rate', 'test_loss', 'test_accuracy'], rows));
  } else {
    const rows = [['train', fixed(final.train.loss), percent(final.train.accuracy)]];
    if (final.test) rows.push(['test', fixed(final.test.loss), percent(final.test.accuracy)]);
    io.stdout.write(`\n${table(['split', 'loss', 'accuracy'], rows)}`);
  }
  if (status === 'diverged') {
    io.stderr.write(`gradlab train: the loss stopped being finite at step ${history.at(-1).step}; try a smaller --lr\n`);
  }
  if (v.save !== undefined) {
    const written = writeRunDir(v.save, net, data, { batchSize: run.batch, curves: history, settings: { command: 'gradlab train' } });
    io.stderr.write(`gradlab train: saved step ${net.step} in ${v.save} (${written} files)\n`);
  }
  net.dispose();
  data.dispose();
  return status === 'diverged' ? 3 : 0;
}

function percent(accuracy) {
  return accuracy === null || accuracy === undefined ? '-' : `${(100 * accuracy).toFixed(1)}%`;
}
