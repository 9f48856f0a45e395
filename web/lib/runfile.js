// runfile.js: a saved run as a set of files (a folder for the CLI, a zip for the page, see
// web/lib/runzip.js), and loading one back so that training continues exactly. Pure: no DOM, no
// file system; files are { path: Uint8Array }.
//
//   run.json                what the run is: format and version, the network, optimiser and data specs,
//                           the batch size, the page's settings, the step, and the list of files
//   state.bin               the engine's training state (net.saveState()): what continuing reads
//   weights/layer<i>.<tensor>.npy, optimizer/<array>.npy   copies of the tensors for NumPy
//   weights.json            the same weights as JSON
//   data/x.npy, data/y.npy  the rows of your own data (runs on a generated data set regenerate it)
//   curves.csv, curves.json, stats.csv, stats.json   the curves given, and the layer statistics now
import { decodeNpy, encodeNpy } from './npy.js';
import { GradlabError, fail } from './names.js';
import { curvesCsv, statsCsv, toJson } from './tables.js';

export const RUN_FORMAT = 'gradlab-run';
export const RUN_VERSION = 1;
const TENSOR_FILES = ['weights', 'biases', 'gamma', 'beta', 'runningMean', 'runningVar'];

const text = (s) => new TextEncoder().encode(s);

/** The shape of tensor `name` of layer i of net: [in, out] or [k, k, channels, filters] for weights. */
function tensorShape(net, i, name, length) {
  const layer = net.layers[i];
  if (name !== 'weights') return [length];
  if (layer.type === 'conv') {
    const f = net.filters(i);
    return [f.kernel, f.kernel, f.channels, f.filters];
  }
  return [length / layer.units, layer.units];
}

/** Every non-empty tensor of net worth saving: { file, layer, tensor, shape, values (a copy) }. */
function tensors(net) {
  const out = [];
  net.layers.forEach((_, i) => {
    for (const name of TENSOR_FILES) {
      const values = net.tensor(i, name).slice();
      if (values.length) out.push({ file: `weights/layer${i}.${name}.npy`, layer: i, tensor: name, shape: tensorShape(net, i, name, values.length), values });
    }
  });
  return out;
}

/**
 * The files of a saved run of net on data. options: batchSize (the one training uses, so a loaded run
 * goes on alike), settings (anything JSON, e.g. the page's address query), curves (points
 * { step, loss, accuracy, learningRate, testLoss, testAccuracy }).
 */
export function runFiles(net, data, options = {}) {
  const { batchSize = 0, settings = null, curves = null } = options;
  if (!data?.spec) fail('runFiles needs the data set the network trains on (made by lab.dataset())');
  const files = {};
  const saved = tensors(net);
  for (const t of saved) files[t.file] = encodeNpy(t.values, t.shape);
  const opt = net.optimizerState();
  const optimizer = Object.entries(opt).filter(([, v]) => ArrayBuffer.isView(v)).map(([name, values]) => {
    const file = `optimizer/${name}.npy`;
    files[file] = encodeNpy(values.slice(), [values.length]);
    return { file, array: name, shape: [values.length] };
  });
  const dataSpec = { name: data.spec.name, options: {} };
  for (const [k, v] of Object.entries(data.spec.options)) if (!ArrayBuffer.isView(v) && v !== undefined) dataSpec.options[k] = v;
  if (data.spec.name === 'custom') {
    const { x, y, inputs } = data.spec.options;
    files['data/x.npy'] = encodeNpy(x, [x.length / inputs, inputs]);
    files['data/y.npy'] = encodeNpy(y, y.length === x.length / inputs ? [y.length] : [x.length / inputs, y.length / (x.length / inputs)]);
  }
  files['state.bin'] = net.saveState();
  const stats = net.layerStats();
  files['stats.csv'] = text(statsCsv(stats, net.step, net.layers));
  files['stats.json'] = text(toJson({ step: net.step, layers: stats }));
  if (curves) {
    files['curves.csv'] = text(curvesCsv(curves));
    files['curves.json'] = text(toJson(curves));
  }
  files['weights.json'] = text(toJson({
    step: net.step,
    tensors: saved.map(({ layer, tensor, shape, values }) => ({ layer, tensor, shape, values })),
  }, 0));
  const manifest = {
    format: RUN_FORMAT, version: RUN_VERSION, step: net.step, parameters: net.info().parameters,
    network: net.spec, optimizer: net.optimizerSpec, data: dataSpec, batchSize, settings,
    tensors: saved.map(({ file, layer, tensor, shape }) => ({ file, layer, tensor, shape })), optimizerArrays: optimizer,
    files: ['run.json', ...Object.keys(files).sort()],
  };
  files['run.json'] = text(toJson(manifest));
  return files;
}

const refuse = (message) => { throw new GradlabError(`this saved run cannot be loaded: ${message}`); };

/** The checked run.json of a saved run's files. */
export function readRun(files) {
  if (!files || typeof files !== 'object') refuse('it must be given as { path: Uint8Array } files');
  if (!(files['run.json'] instanceof Uint8Array)) refuse('it has no run.json, so it is not a saved gradlab run');
  let manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(files['run.json']));
  } catch (error) {
    refuse(`run.json is not valid JSON (${error.message})`);
  }
  if (manifest?.format !== RUN_FORMAT) refuse(`run.json says format ${JSON.stringify(manifest?.format)}; a gradlab run says '${RUN_FORMAT}'`);
  if (manifest.version !== RUN_VERSION) refuse(`it was saved in run format version ${JSON.stringify(manifest.version)}; this gradlab reads version ${RUN_VERSION}`);
  for (const key of ['network', 'optimizer', 'data']) {
    if (!manifest[key] || typeof manifest[key] !== 'object') refuse(`run.json has no ${key} spec`);
  }
  if (!Number.isInteger(manifest.batchSize ?? 0)) refuse(`run.json batchSize ${manifest.batchSize} is not a whole number`);
  if (!(files['state.bin'] instanceof Uint8Array)) refuse('it has no state.bin (the training state continuing needs)');
  const tensors = manifest.tensors ?? [];
  const entry = (t) => t && typeof t === 'object' && typeof t.file === 'string' && Number.isInteger(t.layer) && TENSOR_FILES.includes(t.tensor);
  if (!Array.isArray(tensors) || !tensors.every(entry)) refuse('run.json tensors must be a list of { file, layer, tensor } entries');
  return manifest;
}

/**
 * Loads a saved run: makes its data set and network and continues where it was saved. Returns
 * { net, data, manifest }; the caller owns (and disposes) net and data. Anything that does not fit is
 * refused with a GradlabError saying what, before anything of the caller's is touched: whatever this
 * made is disposed again.
 */
export function loadRun(lab, files) {
  const manifest = readRun(files);
  let data = null, net = null;
  try {
    data = makeData(lab, manifest.data, files);
    net = withContext('run.json network', () => lab.network(manifest.network));
    withContext('run.json optimizer', () => net.setOptimizer(manifest.optimizer));
    withContext('state.bin', () => net.loadState(data, files['state.bin']));
    for (const t of manifest.tensors ?? []) checkCopy(net, t, files);
    return { net, data, manifest };
  } catch (error) {
    net?.dispose();
    data?.dispose();
    throw error;
  }
}

function withContext(where, fn) {
  try {
    return fn();
  } catch (error) {
    if (error instanceof GradlabError) refuse(`${where}: ${error.message}`);
    throw error;
  }
}

function makeData(lab, spec, files) {
  if (spec.name !== 'custom') return withContext('run.json data', () => lab.dataset(spec.name, spec.options));
  const x = files['data/x.npy'], y = files['data/y.npy'];
  if (!x || !y) refuse('its data set is your own rows, but data/x.npy or data/y.npy is missing');
  const xs = withContext('data/x.npy', () => decodeNpy(x, 'data/x.npy'));
  const ys = withContext('data/y.npy', () => decodeNpy(y, 'data/y.npy'));
  return withContext('data/x.npy and data/y.npy', () => lab.dataset({ ...spec.options, x: xs.array, y: ys.array }));
}

/** A tensor copy in the run must agree with the state, so an edited copy is not silently ignored. */
function checkCopy(net, t, files) {
  const bytes = files[t.file];
  if (!bytes) return;
  const { array, shape } = withContext(t.file, () => decodeNpy(bytes, t.file));
  const live = net.tensor(t.layer, t.tensor);
  if (array.length !== live.length) refuse(`${t.file} has shape (${shape}) but layer ${t.layer}'s ${t.tensor} has ${live.length} values`);
  for (let i = 0; i < live.length; ++i) {
    if (!Object.is(array[i], live[i])) refuse(`${t.file} differs from state.bin at value ${i} (${array[i]} against ${live[i]}); state.bin is what continuing reads, so edit neither`);
  }
}
