// hostile-inputs.mjs: a seeded generator of hostile page addresses, element attributes and set()
// patches, built from valid tokens of web/app/state.js's table mixed with mutations (huge and negative
// numbers, NaN, markup, quotes, unicode, prototype keys, very long strings). Shared by the Node test
// of the parsers (tests/js/hostile-state.test.mjs) and the browser test (tests/browser/hostile.test.mjs).
import { PARAMS } from '../../web/app/state.js';
import { ELEMENT_ATTRIBUTES } from '../../web/embed/options.js';

/** The seed of this run: GRADLAB_FUZZ_SEED, else a fresh one (printed by the tests on failure). */
export const fuzzSeed = () => Number(process.env.GRADLAB_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

export { rng } from './rng.mjs';

export const MARKUP = ['<img src=x onerror="window.__pwned=1">', '"><script>window.__pwned=1</script>', "' onmouseover='window.__pwned=1",
  '<svg onload=window.__pwned=1>', '</p><iframe src=javascript:window.__pwned=1>', '&lt;b&gt;'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'constructor.prototype.polluted', 'hasOwnProperty', 'toString'];
const ODD = ['NaN', 'Infinity', '-Infinity', '-1', '-0', '1e309', '1e-400', '99999999999999999999', '0x10', '1_000', '', ' ', 'null', 'undefined',
  'true', '[]', '{}', '"', "'", '\\', '%', '%zz', '%00', '\u0000', '\u202e', '\u2028', 'é', '💥', '🦄'.repeat(50), 'x'.repeat(3000), '1'.repeat(40)];

/** A valid value text for param p (a few per type), used as a starting point for mutations. */
function validText(p, r) {
  if (p.type === 'enum') return p.values[Math.floor(r() * p.values.length)];
  if (p.type === 'int') return String(p.min + Math.floor(r() * Math.min(1000, p.max - p.min + 1)));
  if (p.type === 'float') return String(p.min + r() * (p.max - p.min));
  if (p.type === 'layers') return ['16_tanh', '32_relu_bn', 'c8_relu,pmax,flat', '8_relu_d0.2,8_relu'][Math.floor(r() * 4)];
  if (p.type === 'runs') return ['init:zeros~init:xavier', 'lr:0.5~lr:0.05!opt:adam', 'opt:sgd~opt:adam~opt:rmsprop'][Math.floor(r() * 3)];
  if (p.type === 'optimizers') return ['sgd~adam', 'adam@0.02~momentum', 'sgd'][Math.floor(r() * 3)];
  return '';
}

const pick = (r, list) => list[Math.floor(r() * list.length)];

/** A mutated value: a valid one, an odd one, markup, a huge or negative number, or a mix. */
function value(p, r) {
  const k = r();
  if (k < 0.3) return validText(p, r);
  if (k < 0.5) return pick(r, ODD);
  if (k < 0.65) return pick(r, MARKUP);
  if (k < 0.8) return String(pick(r, [-1, -1e9, 1e21, 2 ** 53, -(2 ** 31), 4294967296, 0.1 + 0.2, -1e-7]));
  return validText(p, r) + pick(r, [...MARKUP, ...ODD, '~', ',', '!', ':', '@', '&', '=', '#']);
}

/** A key: a valid name (any case, sometimes), a prototype key, markup or junk. */
function key(r, names) {
  const k = r();
  if (k < 0.6) return pick(r, names);
  if (k < 0.75) return pick(r, PROTO_KEYS);
  if (k < 0.85) return pick(r, MARKUP);
  if (k < 0.95) return pick(r, ['💥', 'é', 'lr ', ' lr', 'LR', 'x'.repeat(300), 'a"b', "a'b"]);
  return pick(r, names).toUpperCase();
}

const paramOf = (name) => PARAMS.find((p) => p.name.toLowerCase() === String(name).toLowerCase()) ?? PARAMS[Math.floor(name.length % PARAMS.length)];

/** One case: [[key, value], ...] of 1 to 8 entries; keys from `names` mixed with hostile ones. */
export function entries(r, names = PARAMS.map((p) => p.name)) {
  const n = 1 + Math.floor(r() * 8), out = [];
  for (let i = 0; i < n; i++) {
    const k = key(r, names);
    out.push([k, value(paramOf(k), r)]);
  }
  return out;
}

/** A page address query ('?...') from entries, sometimes with raw, unencoded markup or a huge length. */
export function query(r) {
  const list = entries(r);
  if (r() < 0.1) return `?${list.map(([k, v]) => `${k}=${v}`).join('&')}`;   // unencoded, as typed
  if (r() < 0.05) return `?${'lr=0.1&'.repeat(300)}`;                          // too many parameters
  return `?${new URLSearchParams(list)}`;
}

/** Element attributes: its own (controls, theme, height, base...) and state keys (lower-cased by HTML). */
export function attributes(r) {
  // not `base`: the page's author sets it to choose whose files run, it is no reader's input
  const names = [...PARAMS.map((p) => p.name.toLowerCase()), ...ELEMENT_ATTRIBUTES.filter((a) => a !== 'base')];
  return entries(r, names).map(([k, v]) => [k, ELEMENT_ATTRIBUTES.includes(k) ? pick(r, [v, ...MARKUP, 'play,step,💥,<b>', '-5', '1e9']) : v]);
}

/** The printable start of a name as the notes quote it (control characters shown as '?'). */
export const noted = (text) => String(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?').slice(0, 30);
