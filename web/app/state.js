// state.js: everything the page shows lives in its URL. One table of { name, type, default, ... }
// both parses and serialises. Pure: no DOM, so Node tests cover it. Parsing never throws: a value it
// cannot read falls back to its default and leaves a note for the page to show (as text, never markup).
import { ACTIVATIONS, DATASETS, INITS, OPTIMIZERS, SCHEDULES, SURFACES } from '../lib/names.js';
import { LESSONS } from './lessons.js';
import { SPEED_MAX, SPEED_MIN } from './pace.js';

export const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter((a) => a !== 'softmax');
export const LOSS_CHOICES = ['auto', 'cross-entropy', 'binary-cross-entropy', 'mse'];
export const MODES = ['train', 'compare', 'race'];
export const MAX_LAYERS = 12;
export const MAX_UNITS = 128;
export const MAX_FILTERS = 32;
export const MAX_DROPOUT = 0.9;
/** Data sets of grey images: their networks may use conv, pool and flatten layers. */
export const IMAGE_DATASETS = ['digits', 'shapes'];
export const isImageData = (data) => IMAGE_DATASETS.includes(data);
/**
 * data=csv: your own rows, read from a CSV by the page (web/app/views/import.js). The rows live in
 * state.own ({ x, y, inputs, classes | outputs, ... }, never in the address), so an address that says
 * data=csv cannot be replayed alone: parseState notes it and falls back to the default data set.
 */
export const OWN_DATA = 'csv';
/** The hidden layers a data set starts with: a small convnet for images, two dense layers otherwise. */
export const DEFAULT_LAYERS = '32_relu,32_relu';
export const DEFAULT_IMAGE_LAYERS = 'c8_relu,pmax,c16_relu,pmax,flat';
export const defaultLayersFor = (data) => (isImageData(data) ? DEFAULT_IMAGE_LAYERS : DEFAULT_LAYERS);
export const MAX_RUNS = 4;
/** The runs compare mode starts with when none are given. */
export const COMPARE_DEFAULT_RUNS = 'init:he-normal~init:xavier~init:normal';
/** Keys whose change only replays the optimiser race (no network is rebuilt). */
export const raceOnly = (keys) => keys.length > 0 && keys.every((k) => k.startsWith('race') || k === 'surface');
/**
 * Keys a run takes on while it plays, from its next step, without a rebuild (net.tune keeps the
 * weights and the optimiser's state): the rate and the optimiser's other numbers and penalties.
 * Any other change (layers, initialisation, data, the optimiser itself, the schedule) builds the runs again.
 */
export const LIVE_KEYS = ['lr', 'momentum', 'beta1', 'beta2', 'alpha', 'wd', 'clip', 'l1', 'l2'];
export const liveOnly = (keys) => keys.length > 0 && keys.every((k) => LIVE_KEYS.includes(k));
const MAX_QUERY = 8192;
const MAX_ENTRIES = 200;

const enumOf = (values) => ({ type: 'enum', values });
const int = (min, max) => ({ type: 'int', min, max });
const float = (min, max) => ({ type: 'float', min, max });

/** The numbers of one hidden layer, read with readValue like the table's (the layers editor shows their ranges). */
export const LAYER_NUMBERS = { units: int(1, MAX_UNITS), filters: int(1, MAX_FILTERS), dropout: float(0, MAX_DROPOUT) };

/** The table. `default` is the value when the URL does not say; a lesson may change it. */
export const PARAMS = [
  { name: 'lesson', ...enumOf(['', ...LESSONS.map((l) => l.name)]), default: '' },
  { name: 'mode', ...enumOf(MODES), default: 'train' },
  { name: 'data', ...enumOf([...DATASETS, OWN_DATA]), default: 'spiral' },
  { name: 'classes', ...int(2, 8), default: 3 },
  { name: 'samples', ...int(20, 2000), default: 300 },
  { name: 'noise', ...float(0, 1), default: 0.1 },
  { name: 'test', ...float(0.05, 0.9), default: 0.2 },
  { name: 'size', ...int(8, 32), default: 12 },
  { name: 'dataSeed', ...int(0, 4294967295), default: 0 },
  { name: 'layers', type: 'layers', default: DEFAULT_LAYERS },
  { name: 'loss', ...enumOf(LOSS_CHOICES), default: 'auto' },
  { name: 'dropoutMode', ...enumOf(['inverted', 'classic']), default: 'inverted' },
  { name: 'init', ...enumOf(INITS), default: 'he-normal' },
  { name: 'initStd', ...float(1e-5, 10), default: 0.01 },
  { name: 'opt', ...enumOf(OPTIMIZERS), default: 'sgd' },
  { name: 'lr', ...float(1e-6, 10), default: 0.1 },
  { name: 'momentum', ...float(0, 0.999), default: 0.9 },
  { name: 'beta1', ...float(0, 0.999), default: 0.9 },
  { name: 'beta2', ...float(0, 0.99999), default: 0.999 },
  { name: 'alpha', ...float(0, 0.999), default: 0.99 },
  { name: 'wd', ...float(0, 1), default: 0 },
  { name: 'clip', ...float(0, 100), default: 0 },
  { name: 'l1', ...float(0, 1), default: 0 },
  { name: 'l2', ...float(0, 1), default: 0 },
  { name: 'sched', ...enumOf(SCHEDULES), default: 'constant' },
  { name: 'stepSize', ...int(1, 100000), default: 300 },
  { name: 'gamma', ...float(0.01, 1), default: 0.5 },
  { name: 'period', ...int(1, 100000), default: 300 },
  { name: 'mult', ...float(1, 10), default: 1 },
  { name: 'decaySteps', ...int(1, 1000000), default: 2000 },
  { name: 'minLr', ...float(0, 10), default: 0 },
  { name: 'maxLr', ...float(0, 10), default: 0 },
  { name: 'warmup', ...int(0, 100000), default: 0 },
  { name: 'batch', ...int(0, 2000), default: 32 },
  { name: 'seed', ...int(0, 4294967295), default: 1 },
  { name: 'speed', ...int(SPEED_MIN, SPEED_MAX), default: 300 },   // steps per second (a lesson: its own pace)
  { name: 'runs', type: 'runs', default: '' },
  { name: 'surface', ...enumOf(SURFACES), default: 'saddle' },
  { name: 'racers', type: 'optimizers', default: 'sgd~momentum~adam' },
  { name: 'raceLr', ...float(1e-5, 10), default: 0.01 },
  { name: 'raceX', ...float(-100, 100), default: null },
  { name: 'raceY', ...float(-100, 100), default: null },
  { name: 'raceNoise', ...float(0, 10), default: 0 },
  { name: 'raceSteps', ...int(10, 5000), default: 300 },
  { name: 'build', ...enumOf(['auto', 'scalar']), default: 'auto' },
];

const BY_NAME = new Map(PARAMS.map((p) => [p.name, p]));
/** Parameters a compare run may override (the rest are shared by all runs). */
export const RUN_KEYS = PARAMS.map((p) => p.name)
  .filter((n) => !['lesson', 'mode', 'runs', 'build', 'speed'].includes(n) && !n.startsWith('race') && n !== 'surface');

/** A name or value as it may appear in a note: printable, short. Notes are shown as text only. */
function quote(text) {
  const clean = String(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return `'${clean.length > 40 ? clean.slice(0, 40) + '…' : clean}'`;
}

// ----- layers: "32_relu_bn_d0.2_ihe-normal,16_tanh" or "c8_k5_relu_bn,pmax,c16_relu,pavg,flat,64_relu" -----
// A dense layer is { units, activation, batchNorm, dropout, init } (no type, as in the engine's specs);
// conv { type: 'conv', filters, kernel, stride, padding, activation, batchNorm, dropout, init };
// pool { type: 'pool', mode }; flatten { type: 'flatten' }.

const LAYER_FIELDS_HELP = `activations: ${HIDDEN_ACTIVATIONS.join(', ')}; bn, bna, nb, d0.1, i<init>`;

/** Reads the fields shared by dense and conv layers into layer; an error string or ''. */
function readCommonField(layer, field) {
  if (HIDDEN_ACTIVATIONS.includes(field)) layer.activation = field;
  else if (field === 'bn') layer.batchNorm = 'before';
  else if (field === 'bna') layer.batchNorm = 'after';
  else if (field === 'nb') layer.bias = false; // no bias (a layer with bn before its activation has none anyway)
  else if (/^d0?\.\d{1,4}$|^d0$/.test(field) && Number(field.slice(1)) <= MAX_DROPOUT) layer.dropout = Number(field.slice(1));
  else if (field.startsWith('i') && INITS.includes(field.slice(1))) layer.init = field.slice(1);
  else return `layer field ${quote(field)} is not known (${LAYER_FIELDS_HELP})`;
  return '';
}

function parseConv(token, fields) {
  const filters = Number(fields[0].slice(1));
  if (!/^c\d{1,3}$/.test(fields[0]) || filters < 1 || filters > MAX_FILTERS) return `conv layer ${quote(token)} must start with c and 1 to ${MAX_FILTERS} filters`;
  const layer = { type: 'conv', filters, kernel: 3, stride: 1, padding: 'same', activation: 'relu', batchNorm: 'off', dropout: 0, init: '' };
  for (const field of fields.slice(1)) {
    if (field === 'k3' || field === 'k5') layer.kernel = Number(field[1]);
    else if (field === 's1' || field === 's2') layer.stride = Number(field[1]);
    else if (field === 'same' || field === 'valid') layer.padding = field;
    else {
      const error = readCommonField(layer, field);
      if (error) return `${error.slice(0, -1)}; k3, k5, s1, s2, same, valid)`;
    }
  }
  return layer;
}

/** One hidden layer from its token, or a string saying what is wrong. */
export function parseLayer(token) {
  if (token === 'pmax' || token === 'pavg') return { type: 'pool', mode: token === 'pmax' ? 'max' : 'average' };
  if (token === 'flat') return { type: 'flatten' };
  const fields = token.split('_');
  if (fields[0].startsWith('c')) return parseConv(token, fields);
  if (!/^\d{1,4}$/.test(fields[0])) return `layer ${quote(token)} must start with a number of units (or be c<filters>, pmax, pavg, flat)`;
  const layer = { units: Number(fields[0]), activation: 'relu', batchNorm: 'off', dropout: 0, init: '' };
  if (layer.units < 1 || layer.units > MAX_UNITS) return `layer units ${quote(fields[0])} must be 1 to ${MAX_UNITS}`;
  for (const field of fields.slice(1)) {
    const error = readCommonField(layer, field);
    if (error) return error;
  }
  return layer;
}

export const layerType = (layer) => layer.type ?? 'dense';
export const isSpatial = (layer) => layer.type === 'conv' || layer.type === 'pool';

export function layerToken(layer) {
  if (layer.type === 'pool') return layer.mode === 'average' ? 'pavg' : 'pmax';
  if (layer.type === 'flatten') return 'flat';
  let t = layer.type === 'conv' ? `c${layer.filters}` : `${layer.units}`;
  if (layer.type === 'conv') {
    if (layer.kernel !== 3) t += `_k${layer.kernel}`;
    if (layer.stride !== 1) t += `_s${layer.stride}`;
    if (layer.padding !== 'same') t += `_${layer.padding}`;
  }
  t += `_${layer.activation}`;
  if (layer.batchNorm === 'before') t += '_bn';
  if (layer.batchNorm === 'after') t += '_bna';
  if (layer.bias === false) t += '_nb';
  if (layer.dropout > 0) t += `_d${layer.dropout}`;
  if (layer.init) t += `_i${layer.init}`;
  return t;
}

export function parseLayers(text) {
  if (text === '') return [];
  const tokens = text.split(',');
  if (tokens.length > MAX_LAYERS) return `at most ${MAX_LAYERS} hidden layers`;
  const layers = [];
  let flat = false;
  for (const token of tokens) {
    const layer = parseLayer(token);
    if (typeof layer === 'string') return layer;
    // the image keeps its height and width until the first flatten or dense layer
    if (isSpatial(layer) && flat) return `a ${layer.type} layer cannot follow a flatten or dense layer (${quote(token)})`;
    if (layer.type === 'flatten' && flat) return 'flatten may only come once, before the dense layers';
    if (!isSpatial(layer)) flat = true;
    layers.push(layer);
  }
  return layers;
}

/**
 * The output shape [height, width, channels] of each hidden layer on an image of the given size, or
 * a string saying which layer does not fit (the same arithmetic as the engine's).
 */
export function layerShapes(layers, [height, width, channels]) {
  let [h, w, c] = [height, width, channels];
  const shapes = [];
  for (const [i, layer] of layers.entries()) {
    if (layer.type === 'conv') {
      if (layer.padding === 'same') [h, w] = [Math.ceil(h / layer.stride), Math.ceil(w / layer.stride)];
      else [h, w] = [Math.floor((h - layer.kernel) / layer.stride) + 1, Math.floor((w - layer.kernel) / layer.stride) + 1];
      c = layer.filters;
    } else if (layer.type === 'pool') [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    else [h, w, c] = [1, 1, layer.type === 'flatten' ? h * w * c : layer.units];
    if (h < 1 || w < 1) return `layer ${i + 1} (${layerToken(layer)}) leaves nothing of a ${height}×${width} image`;
    shapes.push([h, w, c]);
  }
  return shapes;
}

/** Why the layers of a state cannot be built on its data set, or ''. */
export function layersProblem(state) {
  const layers = parseLayers(state.layers);
  if (typeof layers === 'string') return layers;
  if (!isImageData(state.data)) {
    const spatial = layers.find((l) => l.type);
    return spatial ? `${spatial.type} layers need an image data set (${IMAGE_DATASETS.join(' or ')}), not ${state.data}` : '';
  }
  const shapes = layerShapes(layers, [state.size, state.size, 1]);
  return typeof shapes === 'string' ? shapes : '';
}

export const layersText = (layers) => layers.map(layerToken).join(',');

// ----- typed values -----

const RACE_RATE = { type: 'float', min: 1e-5, max: 10 };

/** A racers text split into [name, rate text] pairs: 'sgd~adam@0.02' → [['sgd'], ['adam', '0.02']]. */
const racerParts = (text) => text.split('~').map((part) => part.split('@'));

/** The racers of a race state: [{ name, learningRate (null: the shared raceLr) }]. */
export function parseRacers(text) {
  return racerParts(text).map(([name, rate]) => ({ name, learningRate: rate === undefined ? null : Number(rate) }));
}

export const racersText = (racers) => racers.map((r) => (r.learningRate == null ? r.name : `${r.name}@${r.learningRate}`)).join('~');

/** Reads one value of param p from its URL text: { value } or { error }. */
export function readValue(p, text) {
  if (typeof text !== 'string' || text.length > 2000) return { error: 'too long' };
  switch (p.type) {
    case 'enum':
      return p.values.includes(text) ? { value: text } : { error: `allowed: ${p.values.filter(Boolean).join(', ')}` };
    case 'int': {
      if (!/^-?\d{1,10}$/.test(text)) return { error: `an integer from ${p.min} to ${p.max}` };
      const v = Number(text) || 0;   // no -0
      return v >= p.min && v <= p.max ? { value: v } : { error: `an integer from ${p.min} to ${p.max}` };
    }
    case 'float': {
      if (!/^-?(\d{1,12}(\.\d{0,20})?|\.\d{1,20})(e[-+]?\d{1,3})?$/i.test(text)) return { error: `a number from ${p.min} to ${p.max}` };
      const v = Number(text) || 0;   // no -0
      return Number.isFinite(v) && v >= p.min && v <= p.max ? { value: v } : { error: `a number from ${p.min} to ${p.max}` };
    }
    case 'layers': {
      const layers = parseLayers(text);
      return typeof layers === 'string' ? { error: layers } : { value: layersText(layers) };
    }
    case 'optimizers': {
      // each racer is a name, or name@rate for a learning rate of its own
      const racers = racerParts(text);
      const rateOk = (r) => r.length === 1 || (r.length === 2 && !readValue(RACE_RATE, r[1]).error);
      if (racers.length < 1 || racers.length > 6 || !racers.every((r) => OPTIMIZERS.includes(r[0]) && rateOk(r))) {
        return { error: `1 to 6 of ${OPTIMIZERS.join(', ')} joined by ~, each with an optional @rate (${RACE_RATE.min} to ${RACE_RATE.max})` };
      }
      const seen = new Set();
      const kept = racers.filter(([name]) => !seen.has(name) && seen.add(name));
      return { value: kept.map(([name, rate]) => (rate === undefined ? name : `${name}@${readValue(RACE_RATE, rate).value}`)).join('~') };
    }
    case 'runs': {
      const runs = parseRuns(text);
      return typeof runs === 'string' ? { error: runs } : { value: runsText(runs) };
    }
    default:
      return { error: 'unknown type' };
  }
}


// ----- compare runs: "init:zeros~init:xavier!lr:0.5" -----

/** Runs as arrays of [key, value] overrides, or a string saying what is wrong. */
export function parseRuns(text) {
  if (text === '') return [];
  const parts = text.split('~');
  if (parts.length < 2 || parts.length > MAX_RUNS) return `compare needs 2 to ${MAX_RUNS} runs joined by ~`;
  const runs = [];
  for (const part of parts) {
    const overrides = [];
    for (const pair of part === '' ? [] : part.split('!')) {
      const colon = pair.indexOf(':');
      const key = colon < 0 ? pair : pair.slice(0, colon);
      if (!RUN_KEYS.includes(key)) return `run setting ${quote(key)} is not one a run may change`;
      if (overrides.some(([k]) => k === key)) return `run setting ${quote(key)} given twice`;
      const read = readValue(BY_NAME.get(key), pair.slice(colon + 1));
      if (read.error) return `run setting ${quote(key)}: ${read.error}`;
      overrides.push([key, read.value]);
    }
    runs.push(overrides);
  }
  return runs;
}

export const runsText = (runs) => runs.map((o) => o.map(([k, v]) => `${k}:${v}`).join('!')).join('~');

/**
 * The runs a state asks for, as [{ overrides, label }]: its compare runs (two or more), else one run
 * labelled 'train' that changes nothing.
 */
export function runsOf(state) {
  const list = state.mode === 'compare' ? parseRuns(state.runs) : [];
  if (!Array.isArray(list) || list.length < 2) return [{ overrides: [], label: 'train' }];
  return list.map((overrides, i) => ({ overrides, label: runLabel(overrides, i) }));
}

/** The state of compare run i: the shared state with the run's overrides. */
export function runState(state, overrides) {
  const s = { ...state };
  for (const [k, v] of overrides) s[k] = v;
  return s;
}

/**
 * In compare mode, the runs that set `key` themselves: { runs: how many runs there are, own: [{ run
 * (from 1), value }] } (own is empty outside compare mode).
 */
export function runsSetting(state, key) {
  const list = state.mode === 'compare' ? parseRuns(state.runs) : [];
  if (!Array.isArray(list)) return { runs: 0, own: [] };
  return { runs: list.length, own: list.flatMap((o, i) => o.filter(([k]) => k === key).map(([, value]) => ({ run: i + 1, value }))) };
}

/** Hidden layers in a few words: "4×32 tanh BN", "2×64 relu dropout 0.5", "none". */
export function describeLayers(text) {
  const layers = parseLayers(text);
  if (typeof layers === 'string' || !layers.length) return 'no hidden layers';
  const word = (l) => (l.type === 'pool' ? `${l.mode} pool` : l.type === 'flatten' ? 'flatten' : [
    l.type === 'conv' ? `conv ${l.filters}${l.kernel === 3 ? '' : ` ${l.kernel}×${l.kernel}`}${l.stride === 1 ? '' : ' /2'} ${l.activation}` : `${l.units} ${l.activation}`, l.batchNorm === 'off' ? '' : l.batchNorm === 'after' ? 'BN after' : 'BN',
    l.dropout ? `dropout ${l.dropout}` : '', l.init ? `init ${l.init}` : ''].filter(Boolean).join(' '));
  const words = layers.map(word);
  return words.every((w) => w === words[0]) ? `${layers.length}×${words[0]}` : words.join(', ');
}

/** A short label for a run: its overrides, or "run i". */
export const runLabel = (overrides, i) => (overrides.length
  ? overrides.map(([k, v]) => (k === 'layers' ? describeLayers(v) : `${k} ${v}`)).join(', ') : `run ${i + 1}`);

// ----- the whole state -----

export function defaults() {
  const s = {};
  for (const p of PARAMS) s[p.name] = p.default;
  return s;
}

/** Defaults with lesson `name` applied (its own parameters parsed with the same table). */
export function baseState(name) {
  const s = defaults();
  const lesson = LESSONS.find((l) => l.name === name);
  if (!lesson) return s;
  s.speed = lesson.stepsPerSecond;
  for (const [key, text] of new URLSearchParams(lesson.params)) {
    const p = BY_NAME.get(key);
    const read = p && readValue(p, text);
    if (read && !read.error) s[key] = read.value;
  }
  s.lesson = name;
  return s;
}

/**
 * The state from a query string ('?a=1&b=2'): { state, notes }; own: your own rows when the address
 * says data=csv and they are at hand (see OWN_DATA). Never throws; unknown names and bad
 * values are skipped with a note each. Keys are only ever looked up in the table, so names such as
 * __proto__ cannot reach an object's prototype.
 */
export function parseState(search, own = null) {
  const notes = [];
  let text = typeof search === 'string' ? search : '';
  if (text.length > MAX_QUERY) {
    notes.push(`the address was ${text.length} characters long; only the first ${MAX_QUERY} were read`);
    text = text.slice(0, MAX_QUERY);
  }
  let entries;
  try {
    entries = [...new URLSearchParams(text.startsWith('?') ? text.slice(1) : text)];
  } catch {
    entries = [];
    notes.push('the address could not be read; defaults are used');
  }
  if (entries.length > MAX_ENTRIES) {
    notes.push(`the address had ${entries.length} parameters; only the first ${MAX_ENTRIES} were read`);
    entries = entries.slice(0, MAX_ENTRIES);
  }
  const lessonEntry = entries.find(([k]) => k === 'lesson');
  let lessonName = '';
  if (lessonEntry) {
    const read = readValue(BY_NAME.get('lesson'), lessonEntry[1]);
    if (read.error) notes.push(`lesson ${quote(lessonEntry[1])} is not known; ${read.error}`);
    else lessonName = read.value;
  }
  const state = baseState(lessonName);
  const seen = new Set();
  for (const [key, value] of entries) {
    if (key === 'lesson') {
      if (seen.has(key)) notes.push(`setting 'lesson' was given twice; the first is used`);
      seen.add(key);
      continue;
    }
    const p = BY_NAME.get(key);
    if (!p) { notes.push(`unknown setting ${quote(key)} was ignored`); continue; }
    if (seen.has(key)) { notes.push(`setting ${quote(key)} was given twice; the first is used`); continue; }
    seen.add(key);
    const read = readValue(p, value);
    if (read.error) notes.push(`${key} = ${quote(value)} is not allowed (${read.error}); using ${JSON.stringify(state[key] ?? 'default')}`);
    else state[key] = read.value;
  }
  if (own) state.own = own;   // your own rows, given beside the address (a saved run carries them)
  // a data set of the other kind (images or points) without layers of its own gets that kind's
  // network, as choosing it from the menu does
  const base = baseState(lessonName);
  if (!seen.has('layers') && isImageData(state.data) !== isImageData(base.data)) state.layers = defaultLayersFor(state.data);
  return { state: checkState(state, notes), notes };
}

/**
 * The page's own switch in an address, read apart from the state: `autoplay=0` keeps a lesson link
 * from starting by itself, `autoplay=1` starts any link. { search: the address without it,
 * autoplay: 0, 1 or null (not given), note: why a value was not read, or '' }.
 */
export function readAutoplay(search) {
  const query = new URLSearchParams(typeof search === 'string' ? search.replace(/^\?/, '') : '');
  const given = query.get('autoplay');
  if (given === null) return { search: typeof search === 'string' ? search : '', autoplay: null, note: '' };
  query.delete('autoplay');
  const rest = query.toString();
  const autoplay = given === '0' ? 0 : given === '1' ? 1 : null;
  const note = autoplay === null ? `autoplay = ${quote(given)} is not allowed (0 or 1); a lesson link starts by itself` : '';
  return { search: rest ? `?${rest}` : '', autoplay, note };
}

/** Whether a page opened on `state` starts playing by itself: a lesson does (a guided demo), unless autoplay is 0. */
export const startsPlaying = (state, autoplay) => autoplay === 1 || (autoplay !== 0 && Boolean(state.lesson));

/**
 * Cross-field checks: a compare mode needs runs; conv, pool and flatten layers need an image data set
 * and must fit its size, in the shared state and in every run.
 */
function checkState(state, notes) {
  if (state.data === OWN_DATA && !state.own) {
    notes.push(`data '${OWN_DATA}' means your own rows, which an address cannot hold: paste or drop the CSV again (Your data); using ${paramInfo('data').default}`);
    state.data = paramInfo('data').default;
  }
  const problem = layersProblem(state);
  if (problem) {
    notes.push(`layers: ${problem}; using ${defaultLayersFor(state.data)}`);
    state.layers = defaultLayersFor(state.data);
  }
  const runs = parseRuns(state.runs);
  if (typeof runs !== 'string') {
    const bad = runs.findIndex((overrides) => layersProblem(runState(state, overrides)));
    if (bad >= 0) {
      notes.push(`compare run ${bad + 1}: ${layersProblem(runState(state, runs[bad]))}; the runs were dropped`);
      state.runs = '';
    }
  }
  if (state.mode === 'compare' && state.runs === '') {
    state.runs = COMPARE_DEFAULT_RUNS;
    notes.push('compare mode had no runs; comparing three initialisations');
  }
  return state;
}

const ENCODE_KEEP = /[,:~!_.@\-]/;
function encode(text) {
  let out = '';
  for (const ch of text) out += ENCODE_KEEP.test(ch) ? ch : encodeURIComponent(ch);
  return out;
}

/** The query string ('?...', or '' for the defaults) of a state: only what differs from its lesson's base. */
export function serializeState(state) {
  const base = baseState(state.lesson);
  const parts = [];
  if (state.lesson) parts.push(`lesson=${encode(state.lesson)}`);
  for (const p of PARAMS) {
    if (p.name === 'lesson') continue;
    const v = state[p.name];
    // layers equal to the base's are still written when the data set is of the other kind, whose
    // address without layers would give that kind's network (parseState)
    const kept = p.name === 'layers' && isImageData(state.data) !== isImageData(base.data);
    if ((v === base[p.name] && !kept) || v === null || v === undefined) continue;
    parts.push(`${p.name}=${encode(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export const paramInfo = (name) => BY_NAME.get(name);
