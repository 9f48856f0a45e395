// state.js: everything the page shows lives in its URL. One table of { name, type, default, ... }
// both parses and serialises. Pure: no DOM, so Node tests cover it. Parsing never throws: a value it
// cannot read falls back to its default and leaves a note for the page to show (as text, never markup).
import { ACTIVATIONS, DATASETS, INITS, OPTIMIZERS, SCHEDULES, SURFACES } from '../lib/names.js';
import { LESSONS } from './lessons.js';

export const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter((a) => a !== 'softmax');
export const LOSS_CHOICES = ['auto', 'cross-entropy', 'binary-cross-entropy', 'mse'];
export const MODES = ['train', 'compare', 'race'];
export const MAX_LAYERS = 8;
export const MAX_UNITS = 128;
export const MAX_RUNS = 4;
const MAX_QUERY = 8192;
const MAX_ENTRIES = 200;

const enumOf = (values) => ({ type: 'enum', values });
const int = (min, max) => ({ type: 'int', min, max });
const float = (min, max) => ({ type: 'float', min, max });

/** The table. `default` is the value when the URL does not say; a lesson may change it. */
export const PARAMS = [
  { name: 'lesson', ...enumOf(['', ...LESSONS.map((l) => l.name)]), default: '' },
  { name: 'mode', ...enumOf(MODES), default: 'train' },
  { name: 'data', ...enumOf(DATASETS), default: 'spiral' },
  { name: 'classes', ...int(2, 8), default: 3 },
  { name: 'samples', ...int(20, 2000), default: 300 },
  { name: 'noise', ...float(0, 1), default: 0.1 },
  { name: 'test', ...float(0.05, 0.9), default: 0.2 },
  { name: 'layers', type: 'layers', default: '32_relu,32_relu' },
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
  { name: 'speed', ...int(1, 500), default: 5 },
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

// ----- layers: "32_relu_bn_d0.2_ihe-normal,16_tanh" -----

/** One hidden layer from its token, or a string saying what is wrong. */
export function parseLayer(token) {
  const fields = token.split('_');
  if (!/^\d{1,4}$/.test(fields[0])) return `layer ${quote(token)} must start with a number of units`;
  const layer = { units: Number(fields[0]), activation: 'relu', batchNorm: 'off', dropout: 0, init: '' };
  if (layer.units < 1 || layer.units > MAX_UNITS) return `layer units ${quote(fields[0])} must be 1 to ${MAX_UNITS}`;
  for (const field of fields.slice(1)) {
    if (HIDDEN_ACTIVATIONS.includes(field)) layer.activation = field;
    else if (field === 'bn') layer.batchNorm = 'before';
    else if (field === 'bna') layer.batchNorm = 'after';
    else if (/^d0?\.\d{1,4}$|^d0$/.test(field) && Number(field.slice(1)) <= 0.9) layer.dropout = Number(field.slice(1));
    else if (field.startsWith('i') && INITS.includes(field.slice(1))) layer.init = field.slice(1);
    else return `layer field ${quote(field)} is not known (activations: ${HIDDEN_ACTIVATIONS.join(', ')}; bn, bna, d0.1, i<init>)`;
  }
  return layer;
}

export function layerToken(layer) {
  let t = `${layer.units}_${layer.activation}`;
  if (layer.batchNorm === 'before') t += '_bn';
  if (layer.batchNorm === 'after') t += '_bna';
  if (layer.dropout > 0) t += `_d${layer.dropout}`;
  if (layer.init) t += `_i${layer.init}`;
  return t;
}

export function parseLayers(text) {
  if (text === '') return [];
  const tokens = text.split(',');
  if (tokens.length > MAX_LAYERS) return `at most ${MAX_LAYERS} hidden layers`;
  const layers = [];
  for (const token of tokens) {
    const layer = parseLayer(token);
    if (typeof layer === 'string') return layer;
    layers.push(layer);
  }
  return layers;
}

export const layersText = (layers) => layers.map(layerToken).join(',');

// ----- typed values -----

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
      const names = text.split('~');
      if (names.length < 1 || names.length > 6 || !names.every((n) => OPTIMIZERS.includes(n))) {
        return { error: `1 to 6 of ${OPTIMIZERS.join(', ')} joined by ~` };
      }
      return { value: [...new Set(names)].join('~') };
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

/** The state of compare run i: the shared state with the run's overrides. */
export function runState(state, overrides) {
  const s = { ...state };
  for (const [k, v] of overrides) s[k] = v;
  return s;
}

/** Hidden layers in a few words: "4×32 tanh BN", "2×64 relu dropout 0.5", "none". */
export function describeLayers(text) {
  const layers = parseLayers(text);
  if (typeof layers === 'string' || !layers.length) return 'no hidden layers';
  const word = (l) => [`${l.units} ${l.activation}`, l.batchNorm === 'off' ? '' : l.batchNorm === 'after' ? 'BN after' : 'BN',
    l.dropout ? `dropout ${l.dropout}` : '', l.init ? `init ${l.init}` : ''].filter(Boolean).join(' ');
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
  for (const [key, text] of new URLSearchParams(lesson.params)) {
    const p = BY_NAME.get(key);
    const read = p && readValue(p, text);
    if (read && !read.error) s[key] = read.value;
  }
  s.lesson = name;
  return s;
}

/**
 * The state from a query string ('?a=1&b=2'): { state, notes }. Never throws; unknown names and bad
 * values are skipped with a note each. Keys are only ever looked up in the table, so names such as
 * __proto__ cannot reach an object's prototype.
 */
export function parseState(search) {
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
    if (key === 'lesson') continue;
    const p = BY_NAME.get(key);
    if (!p) { notes.push(`unknown setting ${quote(key)} was ignored`); continue; }
    if (seen.has(key)) { notes.push(`setting ${quote(key)} was given twice; the first is used`); continue; }
    seen.add(key);
    const read = readValue(p, value);
    if (read.error) notes.push(`${key} = ${quote(value)} is not allowed (${read.error}); using ${JSON.stringify(state[key] ?? 'default')}`);
    else state[key] = read.value;
  }
  return { state: checkState(state, notes), notes };
}

/** Cross-field checks: a compare mode needs runs; the schedule's minimum stays below the rate. */
function checkState(state, notes) {
  if (state.mode === 'compare' && state.runs === '') {
    state.runs = 'init:he-normal~init:xavier~init:normal';
    notes.push('compare mode had no runs; comparing three initialisations');
  }
  return state;
}

const ENCODE_KEEP = /[,:~!_.\-]/;
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
    if (v === base[p.name] || v === null || v === undefined) continue;
    parts.push(`${p.name}=${encode(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export const paramInfo = (name) => BY_NAME.get(name);
