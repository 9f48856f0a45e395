// header-tables.mjs: reads the boundary of src/gradlab.h (its X-macro name and slot tables, its
// #defines, its GL_RANGE_* ranges) and lists every way the JavaScript side or docs/api.md differs
// from it. Pure functions of text and tables, so a test can hand them mutated copies.

/** #define NAME value lines (one line each), values as written. */
function defines(text) {
  const out = new Map();
  for (const m of text.matchAll(/^#define (\w+) ([^\n]*?)\s*(?:\/\*.*)?$/gm)) out.set(m[1], m[2].trim());
  return out;
}

/** The value of a C expression made of numbers and defined names (a single term, as the header uses). */
function evaluate(expression, table, seen = new Set()) {
  const e = expression.trim().replace(/^\((.*)\)$/, '$1');
  if (/^-?[\d.]+(e[+-]?\d+)?[fL]?$/i.test(e)) return Number(e.replace(/[fL]$/i, ''));
  if (table.has(e) && !seen.has(e)) return evaluate(table.get(e), table, new Set([...seen, e]));
  throw new Error(`cannot evaluate '${expression}'`);
}

/** name -> [[C name, JavaScript name, position?], ...] for every #define NAME(X) table. */
export function tables(text) {
  const out = new Map();
  const joined = text.replace(/\\\n/g, ' ');
  for (const m of joined.matchAll(/^#define (GL_\w+)\(X\) (.*)$/gm)) {
    const rows = [...m[2].matchAll(/X\((\w+), "([^"]*)"(?:, (\d+))?\)/g)].map(([, c, js, at]) => (at === undefined ? [c, js] : [c, js, Number(at)]));
    out.set(m[1], rows);
  }
  return out;
}

/** [{ name, lo, hi, keys }] of the GL_RANGE_* definitions; keys from the comment beside each. */
export function ranges(text) {
  const table = defines(text);
  const out = [];
  for (const m of text.matchAll(/^#define (GL_RANGE_\w+) ([^,\n]+), ([^\s/]+)\s*\/\* ([^*]*)\*\//gm)) {
    const keys = m[4].replace(/\([^)]*\)/g, '').split(',').map((k) => k.trim()).filter(Boolean);
    out.push({ name: m[1], lo: evaluate(m[2], table), hi: evaluate(m[3], table), keys });
  }
  return out;
}

/** An enum constant given as NAME = value inside an enum. */
function enumValue(text, name) {
  const m = text.match(new RegExp(`\\b${name} = (\\d+)`));
  return m ? Number(m[1]) : undefined;
}

/** Which JavaScript list stands for which header table. */
export const PAIRS = {
  GL_ACTIVATIONS: 'ACTIVATIONS', GL_LOSSES: 'LOSSES', GL_DATASETS: 'DATASETS', GL_LAYER_TYPE_NAMES: 'LAYER_TYPES',
  GL_POOL_MODES: 'POOL_MODES', GL_INITS: 'INITS', GL_OPTIMIZERS: 'OPTIMIZERS', GL_SCHEDULES: 'SCHEDULES',
  GL_CYCLIC_MODES: 'CYCLIC_MODES', GL_SURFACES: 'SURFACES', GL_DROPOUT_MODES: 'DROPOUT_MODES', GL_TENSORS: 'TENSORS',
  GL_LAYER_INT_SLOTS: 'LAYER_INT_SLOTS', GL_LAYER_FLOAT_SLOTS: 'LAYER_FLOAT_SLOTS', GL_OPT_SLOTS: 'OPTIMIZER_SLOTS',
  GL_TRAIN_RESULT_SLOTS: 'TRAIN_SLOTS', GL_STATS_POSITIONS: 'STATS_POSITIONS', GL_DATASET_INFO_SLOTS: 'DATASET_INFO_SLOTS',
  GL_NETWORK_INFO_SLOTS: 'NETWORK_INFO_SLOTS', GL_OPT_STATE_SLOTS: 'OPTIMIZER_STATE_SLOTS',
};
/** Which header definition each single JavaScript number must equal. */
export const NUMBERS = {
  LAYER_INTS: 'GL_LAYER_INTS', LAYER_FLOATS: 'GL_LAYER_FLOATS', STATS_SLOTS: 'GL_STATS_SLOTS', ERROR_TEXT: 'GL_ERROR_TEXT',
  'LIMITS.layers': 'GL_LIMIT_LAYERS', 'LIMITS.units': 'GL_LIMIT_UNITS', 'LIMITS.samples': 'GL_LIMIT_SAMPLES',
  'LIMITS.dataFloats': 'GL_LIMIT_DATA_FLOATS', 'LIMITS.steps': 'GL_LIMIT_STEPS', 'LIMITS.bins': 'GL_LIMIT_BINS',
  'LIMITS.resolution': 'GL_LIMIT_RESOLUTION', 'LIMITS.raceSteps': 'GL_LIMIT_RACE_STEPS',
};

/** Every difference between the header and the JavaScript tables js ({ ACTIVATIONS, ..., LIMITS }). */
export function differences(header, js) {
  const found = [];
  const named = tables(header);
  for (const [table, rows] of named) {
    const list = PAIRS[table];
    if (!list) { found.push(`${table} has no JavaScript counterpart`); continue; }
    const side = js[list];
    if (rows[0]?.length === 3) { // positions: { name: position }
      const want = Object.fromEntries(rows.map(([, name, at]) => [name, at]));
      if (JSON.stringify(want) !== JSON.stringify(side)) found.push(`${list} is ${JSON.stringify(side)}; ${table} says ${JSON.stringify(want)}`);
    } else {
      const want = rows.map(([, name]) => name);
      if (JSON.stringify(want) !== JSON.stringify(side)) found.push(`${list} is ${JSON.stringify(side)}; ${table} says ${JSON.stringify(want)}`);
      // the enum counts from 0 in table order: a constant given a value by hand would break that
      for (const [c] of rows) if (enumValue(header, c) !== undefined) found.push(`${c} is numbered by hand in ${table}`);
    }
  }
  for (const table of Object.keys(PAIRS)) if (!named.has(table)) found.push(`${table} is missing from the header`);
  const table = defines(header);
  for (const [path, name] of Object.entries(NUMBERS)) {
    const value = path.split('.').reduce((o, k) => o?.[k], js);
    const want = table.has(name) ? evaluate(table.get(name), table) : enumValue(header, name);
    if (value !== want) found.push(`${path} is ${value}; ${name} is ${want}`);
  }
  if (js.OPTIMIZER_SLOTS.length !== named.get('GL_OPT_SLOTS')?.length) found.push('the optimiser row length differs');
  for (const [list, size] of [['LAYER_INT_SLOTS', 'LAYER_INTS'], ['LAYER_FLOAT_SLOTS', 'LAYER_FLOATS']]) {
    if (js[list].length > js[size]) found.push(`${list} has more slots than ${size}`);
  }
  return found;
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** The ways docs/api.md may write a number: plain, and as a power of ten (10⁶, −10⁶, 10⁻¹²). */
function spellings(v) {
  const minus = v < 0 ? '−' : '';
  const a = Math.abs(v);
  const out = [`${minus}${a}`];
  const e = Math.log10(a);
  if (a > 0 && Number.isInteger(Math.round(e)) && Math.abs(10 ** Math.round(e) - a) < 1e-9 * a && Math.abs(e) >= 3) {
    out.push(`${minus}10${[...String(Math.round(e))].map((c) => SUPERSCRIPT[c]).join('')}`);
  }
  return out;
}

/**
 * Every range of the header that docs/api.md does not show: for each key of each range, some line
 * must hold the key in backticks followed, within a few words, by "lo … hi" (or "lo or hi").
 */
export function undocumentedRanges(header, docs) {
  const missing = [];
  const lines = docs.split('\n');
  for (const { name, lo, hi, keys } of ranges(header)) {
    const forms = spellings(lo).flatMap((a) => spellings(hi).flatMap((b) => [`${a} … ${b}`, ...(hi === lo + 1 ? [`${a} or ${b}`] : [])]));
    for (const key of keys) {
      const word = `\`${key.split('.').pop()}\``;
      const shown = lines.some((line) => {
        for (let at = line.indexOf(word); at >= 0; at = line.indexOf(word, at + 1)) {
          const after = line.slice(at + word.length, at + word.length + 90);
          if (forms.some((f) => new RegExp(`(^|[^\\d.])${escape(f)}(?![\\d.]\\d|\\d)`).test(after))) return true;
        }
        return false;
      });
      if (!shown) missing.push(`${name}: docs/api.md does not give ${key} as ${forms[0]}`);
    }
  }
  return missing;
}
