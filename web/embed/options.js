// options.js: the pure side of the embed. Attributes (or an iframe's query) become the page's state
// through the page's own table (web/app/state.js), `controls="..."` becomes a list of controls, and
// worker snapshots become the small records the embed's events carry. No DOM, so Node tests cover it.
import { COMPARE_DEFAULT_RUNS, PARAMS, baseState, paramInfo, parseState, readValue } from '../app/state.js';

export { raceOnly } from '../app/state.js';

/** Attributes of the element that are not page state. */
export const ELEMENT_ATTRIBUTES = ['controls', 'autoplay', 'compact', 'theme', 'height'];
export const THEMES = ['light', 'dark'];
/** Buttons a `controls` list may name, besides any state key. */
export const ACTIONS = ['play', 'step', 'reset', 'speed'];
export const DEFAULT_CONTROLS = 'play,step,reset';
/** Friendlier names for some state keys in `controls` and set(). */
export const ALIASES = {
  optimizer: 'opt', dataset: 'data', 'learning-rate': 'lr', learningrate: 'lr', schedule: 'sched', batchsize: 'batch',
  'batch-size': 'batch', 'weight-decay': 'wd', weightdecay: 'wd', optimizers: 'racers',
};
/** The least time between two gradlab-step events of one element. */
export const STEP_EVENT_MS = 250;

// HTML lower-cases attribute names: initStd arrives as initstd
const BY_LOWER = new Map(PARAMS.map((p) => [p.name.toLowerCase(), p.name]));

/** The state key an attribute, control or set() key names (any case, or an alias), else null. */
export function stateKey(name) {
  const lower = String(name).toLowerCase();
  return BY_LOWER.get(lower) ?? ALIASES[lower] ?? null;
}

/** Every attribute name the element watches: its own and one per state key, lower-cased. */
export const OBSERVED_ATTRIBUTES = [...ELEMENT_ATTRIBUTES, ...PARAMS.map((p) => p.name.toLowerCase()), ...Object.keys(ALIASES)];

/**
 * The state from the element's attributes ([[name, value], ...]): { state, notes }. Same rules as the
 * page's address: a lesson first, then each known key; a value the table cannot read keeps the
 * lesson's or default value and leaves a note. Attributes that are not state are skipped.
 */
export function stateFromAttributes(attributes) {
  const query = new URLSearchParams();
  for (const [name, value] of attributes) {
    const key = stateKey(name);
    if (key) query.append(key, value);
  }
  return parseState(query.toString());
}

/**
 * `controls="init,optimizer,play"` as { keys: state keys in order, actions: buttons, unknown: names
 * that are neither }. A missing attribute gives the default buttons; an empty one gives none.
 */
export function parseControls(text) {
  const keys = [], actions = [], unknown = [];
  const words = (text ?? DEFAULT_CONTROLS).split(/[\s,]+/).filter(Boolean);
  for (const word of words) {
    const lower = word.toLowerCase();
    if (ACTIONS.includes(lower)) { if (!actions.includes(lower)) actions.push(lower); continue; }
    const key = stateKey(word);
    if (key && key !== 'lesson' && key !== 'build') { if (!keys.includes(key)) keys.push(key); } else unknown.push(word);
  }
  return { keys, actions, unknown };
}

/** A positive whole number of CSS pixels from the `height` attribute (120 .. 4000), or null. */
export function parseHeight(text) {
  if (text == null || !/^\s*\d{2,4}(px)?\s*$/.test(text)) return null;
  const h = parseInt(text, 10);
  return h >= 120 && h <= 4000 ? h : null;
}

export const parseTheme = (text) => (THEMES.includes(text) ? text : 'light');

/**
 * The state after set(patch): patch is an object of state keys (or aliases) to values, or a query
 * string. 'lesson' first starts again from that lesson. Throws an Error naming the key, the value
 * and what is allowed when anything is wrong, and then nothing is changed.
 */
export function patchState(state, patch) {
  const entries = typeof patch === 'string' ? [...new URLSearchParams(patch.replace(/^\?/, ''))]
    : patch && typeof patch === 'object' && !Array.isArray(patch) ? Object.entries(patch)
      : fail(`set() takes an object of settings or a query string, not ${JSON.stringify(patch)}`);
  const lesson = entries.find(([k]) => String(k).toLowerCase() === 'lesson');
  let next = { ...state };
  if (lesson) {
    const read = readValue(paramInfo('lesson'), String(lesson[1]));
    if (read.error) fail(`lesson '${lesson[1]}' is not known; ${read.error}`);
    next = baseState(read.value);
  }
  for (const [name, value] of entries) {
    if (String(name).toLowerCase() === 'lesson') continue;
    const key = stateKey(name);
    if (!key) fail(`'${name}' is not a setting; allowed: ${PARAMS.map((p) => p.name).join(', ')}`);
    const text = value === null ? '' : String(value);
    const read = readValue(paramInfo(key), text);
    if (read.error) fail(`${key} ${JSON.stringify(value)} is not allowed; ${read.error}`);
    next[key] = read.value;
  }
  if (next.mode === 'compare' && !next.runs) next.runs = COMPARE_DEFAULT_RUNS;
  return next;
}

function fail(message) {
  throw new Error(`gradlab-playground: ${message}`);
}

/** A worker snapshot as the detail of a gradlab-step event: { step, loss, accuracy, learningRate }. */
export function stepDetail(snapshot) {
  return {
    step: snapshot.step,
    loss: snapshot.train.loss,
    accuracy: snapshot.train.accuracy,
    testLoss: snapshot.test.loss,
    testAccuracy: snapshot.test.accuracy,
    learningRate: snapshot.learningRate,
  };
}

/** Lets an event through at most once per `ms` (the first at once); `force` passes one regardless. */
export class Throttle {
  constructor(ms = STEP_EVENT_MS) { this.ms = ms; this.last = -Infinity; }
  ready(now, force = false) {
    if (!force && now - this.last < this.ms) return false;
    this.last = now;
    return true;
  }
}

/** The messages an iframe posts to its parent and the commands it accepts. */
export const FRAME_EVENTS = ['gradlab-ready', 'gradlab-step', 'gradlab-diverged', 'gradlab-error'];
export const FRAME_COMMANDS = { 'gradlab-play': 'play', 'gradlab-pause': 'pause', 'gradlab-reset': 'reset', 'gradlab-step-once': 'step', 'gradlab-set': 'set' };

/**
 * An iframe's query string as { attributes: [[name, value], ...] for the element, notes: what was
 * ignored }. Only the element's own attributes and state keys pass.
 */
export function frameAttributes(search) {
  const attributes = [], notes = [];
  for (const [name, value] of new URLSearchParams(String(search).slice(0, 8192).replace(/^\?/, ''))) {
    if (ELEMENT_ATTRIBUTES.includes(name.toLowerCase()) || stateKey(name)) attributes.push([name.toLowerCase(), value]);
    else notes.push(`unknown setting '${name.slice(0, 40)}' was ignored`);
  }
  return { attributes, notes };
}
