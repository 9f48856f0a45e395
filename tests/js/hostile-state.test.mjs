// The parsers behind the page's address and the element's attributes and set(), over a few hundred
// seeded hostile inputs (tests/js/hostile-inputs.mjs): nothing throws but set()'s own errors, nothing
// reaches Object.prototype, the state holds only the table's keys with values of their types, and
// every part of the input that was not used is named in a note. GRADLAB_FUZZ_SEED replays a run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PARAMS, parseState, readValue } from '../../web/app/state.js';
import { patchState, stateFromAttributes, stateKey } from '../../web/embed/options.js';
import { attributes, entries, fuzzSeed, noted, query, rng } from './hostile-inputs.mjs';

const SEED = fuzzSeed();
const CASES = 150;   // per parser: 450 in all
const PROTO = Object.getOwnPropertyNames(Object.prototype).sort().join();
const BY_NAME = new Map(PARAMS.map((p) => [p.name, p]));

function check(label, i, fn) {
  try { fn(); } catch (e) {
    e.message = `${label} case ${i} (GRADLAB_FUZZ_SEED=${SEED}): ${e.message}`;
    throw e;
  }
}

function wellTyped(state) {
  assert.deepEqual(Object.keys(state).sort(), PARAMS.map((p) => p.name).sort());
  assert.equal(Object.getPrototypeOf(state), Object.prototype);
  for (const p of PARAMS) {
    const v = state[p.name];
    if (p.type === 'int' || p.type === 'float') assert.ok(v === null || (Number.isFinite(v) && v >= p.min && v <= p.max), `${p.name} ${v}`);
    else assert.equal(typeof v, 'string', p.name);
  }
  assert.equal(Object.getOwnPropertyNames(Object.prototype).sort().join(), PROTO);
  assert.equal({}.polluted, undefined);
}

/** Every entry that parseState could not use must be named in one of its notes. */
function everyIgnoredPartNoted(pairs, state, notes) {
  const seen = new Set();
  for (const [key, value] of pairs) {
    const p = BY_NAME.get(key), named = notes.some((n) => n.includes(noted(key)));
    if (!p) assert.ok(named, `unknown key '${key}' has no note in ${JSON.stringify(notes)}`);
    else if (seen.has(key)) assert.ok(named, `'${key}' given twice has no note`);
    else {
      const read = readValue(p, value);
      // a value the table refused, or one a cross-field check (layers, runs) replaced, has a note
      if (read.error) assert.ok(named, `${key}=${JSON.stringify(value)} refused without a note`);
      else if (key !== 'lesson' && state[key] !== read.value) assert.ok(notes.some((n) => /^(layers|compare|data)/.test(n)), `${key} replaced without a note`);
    }
    seen.add(key);
  }
}

describe(`hostile inputs to the state parsers (seed ${SEED})`, () => {
  it(`parseState: ${CASES} addresses`, () => {
    const r = rng(SEED);
    for (let i = 0; i < CASES; i++) {
      const q = query(r);
      check('parseState', i, () => {
        const { state, notes } = parseState(q);
        wellTyped(state);
        for (const n of notes) assert.equal(typeof n, 'string');
        if (q.length > 8192 || notes.some((n) => /only the first/.test(n))) return;
        everyIgnoredPartNoted([...new URLSearchParams(q.slice(1))], state, notes);
      });
    }
  });

  it(`stateFromAttributes: ${CASES} attribute lists`, () => {
    const r = rng(SEED + 1);
    for (let i = 0; i < CASES; i++) {
      const attrs = attributes(r);
      check('stateFromAttributes', i, () => {
        const { state, notes } = stateFromAttributes(attrs);
        wellTyped(state);
        // attributes of state keys that could not be used are named (by their key) in a note
        const pairs = attrs.filter(([k]) => stateKey(k)).map(([k, v]) => [stateKey(k), v]);
        if (!notes.some((n) => /only the first/.test(n))) everyIgnoredPartNoted(pairs, state, notes);
      });
    }
  });

  it(`patchState: ${CASES} set() patches, as objects and as query strings`, () => {
    const r = rng(SEED + 2), start = parseState('').state;
    for (let i = 0; i < CASES; i++) {
      const pairs = entries(r);
      const patch = r() < 0.5 ? Object.fromEntries(pairs) : new URLSearchParams(pairs).toString();
      check('patchState', i, () => {
        let next;
        try { next = patchState(start, patch); } catch (e) {
          // refused: an Error of the element's own, naming a key of the patch; nothing else
          assert.equal(e.constructor, Error, e.stack);
          assert.match(e.message, /^gradlab-playground: /);
          const keys = typeof patch === 'string' ? [...new URLSearchParams(patch)].map(([k]) => k) : Object.keys(patch);
          assert.ok(keys.some((k) => e.message.includes(noted(k).slice(0, 20)) || e.message.includes(stateKey(k))), e.message);
          wellTyped(start);
          return;
        }
        wellTyped(next);
      });
    }
  });
});
