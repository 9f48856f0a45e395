// options.js: the pure side of the embed. Attributes (or an iframe's query) become the page's state
// through the page's own table (web/app/state.js), `controls="..."` becomes a list of controls, and
// worker snapshots become the small records the embed's events carry. No DOM, so Node tests cover it.
import { COMPARE_DEFAULT_RUNS, OWN_DATA, PARAMS, baseState, paramInfo, parseState, readValue } from '../app/state.js';

export { raceOnly } from '../app/state.js';

/** Attributes of the element that are not page state. */
export const ELEMENT_ATTRIBUTES = ['controls', 'autoplay', 'compact', 'theme', 'height', 'base', 'moments'];
/** Attributes an iframe's address may not set: `base` would let a link choose whose scripts run in the frame. */
export const NOT_FROM_FRAME = ['base'];
/** The page-wide default of `base`: <meta name="gradlab-base" content="https://cdn.example/gradlab/web/">. */
export const BASE_META = 'gradlab-base';
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
  // own aliases only: '__proto__' or 'constructor' must not reach Object.prototype
  return BY_LOWER.get(lower) ?? (Object.hasOwn(ALIASES, lower) ? ALIASES[lower] : null);
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

/**
 * Where the element's files are (the folder laid out like web/: app/, embed/, lib/, wasm/, vendor/),
 * from the `base` attribute, else the page's <meta name="gradlab-base">, resolved against the page's
 * address `pageUrl`: { base: an absolute http(s) URL ending in '/', or null for "beside the script",
 * notes: why a value was not used }. A value that is not such an address is passed over.
 */
export function parseBase(attribute, meta, pageUrl) {
  const notes = [];
  for (const [from, text] of [['base', attribute], [`<meta name="${BASE_META}">`, meta]]) {
    if (text == null || text.trim() === '') continue;
    let url;
    try { url = new URL(text.trim(), pageUrl); } catch { url = null; }
    if (url && (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash) {
      if (!url.pathname.endsWith('/')) url.pathname += '/';
      return { base: url.href, notes };
    }
    notes.push(`${from} '${String(text).slice(0, 80)}' is not used; give the http(s) address of the folder that holds app/, embed/ and wasm/`);
  }
  return { base: null, notes };
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
  if (next.data === OWN_DATA && !next.own) fail(`data '${OWN_DATA}' is the page's own CSV rows, which an element cannot be given; allowed: the generated data sets`);
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

/** The address parameter of embed.html that names the origins allowed to embed and drive it. */
export const PARENT_PARAM = 'parent';

/**
 * An iframe's query string as { attributes: [[name, value], ...] for the element, parents, notes:
 * what was ignored }. Only the element's own attributes and state keys pass. `parents` is null when
 * the address has no `parent=`: the frame then talks to whichever page embeds it; else it is the list
 * of origins given there (`parent=https://lms.example,https://moodle.example`), possibly empty when
 * none of them was an origin, and the frame trusts only those.
 */
export function frameAttributes(search) {
  const attributes = [], notes = [];
  let parents = null;
  for (const [name, value] of new URLSearchParams(String(search).slice(0, 8192).replace(/^\?/, ''))) {
    const lower = name.toLowerCase();
    if (lower === PARENT_PARAM) {
      parents ??= [];
      for (const text of value.split(',').map((t) => t.trim()).filter(Boolean)) {
        const origin = originOf(text);
        if (origin && origin === text.replace(/\/$/, '')) { if (!parents.includes(origin)) parents.push(origin); }
        else notes.push(`parent '${text.slice(0, 80)}' is not an origin (scheme://host[:port]) and was ignored`);
      }
    } else if (NOT_FROM_FRAME.includes(lower)) notes.push(`'${lower}' cannot be set from the frame's address and was ignored`);
    else if (ELEMENT_ATTRIBUTES.includes(lower) || stateKey(name)) attributes.push([lower, value]);
    else notes.push(`unknown setting '${name.slice(0, 40)}' was ignored`);
  }
  return { attributes, parents, notes };
}

function originOf(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * The targetOrigin arguments of the frame's postMessage calls: ['*'] when any parent is trusted;
 * else the trusted origins, narrowed to the parent's own origin when the browser tells it
 * (`parentOrigin`, from location.ancestorOrigins or the referrer), so a parent that is not listed
 * receives nothing.
 */
export function frameTargets(parents, parentOrigin) {
  if (parents === null) return ['*'];
  return parentOrigin ? parents.filter((o) => o === parentOrigin) : [...parents];
}

/** Whether the frame takes a command sent from `origin` by its parent window. */
export const trustsOrigin = (parents, origin) => parents === null || parents.includes(origin);
