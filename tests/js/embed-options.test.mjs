// The pure side of the embed (web/embed/options.js): attributes and iframe addresses become the
// page's state through the page's own table, controls lists are read, set() patches are checked,
// and step events are throttled. No browser needed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseState, defaults, parseState } from '../../web/app/state.js';
import {
  OBSERVED_ATTRIBUTES, Throttle, frameAttributes, parseControls, parseHeight, parseTheme, patchState, raceOnly,
  stateFromAttributes, stepDetail,
} from '../../web/embed/options.js';

describe('attributes to state', () => {
  it('a lesson, then its settings changed by attributes in any case, as the address would read them', () => {
    const { state, notes } = stateFromAttributes([['lesson', 'small-init'], ['initstd', '0.05'], ['LR', '0.3'], ['id', 'x'], ['controls', 'play'], ['autoplay', '']]);
    const expected = parseState('?lesson=small-init&initStd=0.05&lr=0.3').state;
    assert.deepEqual(state, expected);
    assert.equal(state.initStd, 0.05);
    assert.equal(state.layers, baseState('small-init').layers);
    assert.deepEqual(notes, []);
  });

  it('aliases stand for their keys; a bad value keeps the lesson value and leaves a note', () => {
    const { state, notes } = stateFromAttributes([['optimizer', 'adam'], ['dataset', 'circle'], ['samples', 'many']]);
    assert.equal(state.opt, 'adam');
    assert.equal(state.data, 'circle');
    assert.equal(state.samples, defaults().samples);
    assert.equal(notes.length, 1);
    assert.match(notes[0], /samples = 'many' is not allowed \(an integer from 20 to 2000\)/);
  });

  it('an unknown lesson falls back to the defaults with a note', () => {
    const { state, notes } = stateFromAttributes([['lesson', 'mnist']]);
    assert.equal(state.lesson, '');
    assert.match(notes[0], /lesson 'mnist' is not known/);
  });

  it('observes every state key lower-cased, the aliases and its own attributes', () => {
    for (const name of ['lesson', 'initstd', 'racelr', 'optimizer', 'controls', 'autoplay', 'compact', 'theme', 'height']) {
      assert.ok(OBSERVED_ATTRIBUTES.includes(name), name);
    }
  });
});

describe('controls, height, theme', () => {
  it('reads actions and settings in order, with aliases, once each, and names what it cannot use', () => {
    assert.deepEqual(parseControls('init, optimizer,play,lr,PLAY,speed,nope,build'), { keys: ['init', 'opt', 'lr'], actions: ['play', 'speed'], unknown: ['nope', 'build'] });
    assert.deepEqual(parseControls(null), { keys: [], actions: ['play', 'step', 'reset'], unknown: [] });
    assert.deepEqual(parseControls(''), { keys: [], actions: [], unknown: [] });
  });

  it('takes heights of 120 to 4000 pixels and the two themes', () => {
    assert.equal(parseHeight('480'), 480);
    assert.equal(parseHeight(' 480px '), 480);
    for (const bad of ['100', '5000', 'tall', '48.5', '', null]) assert.equal(parseHeight(bad), null, String(bad));
    assert.equal(parseTheme('dark'), 'dark');
    assert.equal(parseTheme('neon'), 'light');
  });
});

describe('set()', () => {
  const start = baseState('xavier');

  it('applies an object or a query string through the table, and a lesson first', () => {
    assert.deepEqual(patchState(start, { lr: 0.5, optimizer: 'adam' }), { ...start, lr: 0.5, opt: 'adam' });
    assert.deepEqual(patchState(start, '?lr=0.5&opt=adam'), { ...start, lr: 0.5, opt: 'adam' });
    assert.deepEqual(patchState(start, { lr: 0.02, lesson: 'adam' }), { ...baseState('adam'), lr: 0.02 });
    const compare = patchState(baseState(''), { mode: 'compare' });
    assert.ok(compare.runs.includes('~'), 'compare mode gets runs to compare');
  });

  it('refuses an unknown key or a bad value with the key, the value and what is allowed, and changes nothing', () => {
    const before = { ...start };
    assert.throws(() => patchState(start, { lr: -1 }), /gradlab-playground: lr -1 is not allowed; a number from 0\.000001 to 10/);
    assert.throws(() => patchState(start, { rate: 0.1 }), /'rate' is not a setting; allowed: lesson, mode, data/);
    assert.throws(() => patchState(start, { lesson: 'nope' }), /lesson 'nope' is not known/);
    assert.throws(() => patchState(start, 5), /set\(\) takes an object of settings or a query string, not 5/);
    assert.throws(() => patchState(start, { __proto__: { lr: 1 }, layers: '9999_relu' }), /layers "9999_relu" is not allowed/);
    assert.deepEqual(start, before);
  });

  it('knows which changes only replay a race', () => {
    assert.equal(raceOnly(['raceLr', 'surface']), true);
    assert.equal(raceOnly(['raceLr', 'lr']), false);
    assert.equal(raceOnly([]), false);
  });
});

describe('events and the iframe', () => {
  it('a snapshot becomes { step, loss, accuracy, learningRate } of the training split', () => {
    const snapshot = { step: 40, learningRate: 0.1, train: { loss: 0.5, accuracy: 0.8 }, test: { loss: 0.7, accuracy: 0.75 }, layers: [] };
    assert.deepEqual(stepDetail(snapshot), { step: 40, loss: 0.5, accuracy: 0.8, testLoss: 0.7, testAccuracy: 0.75, learningRate: 0.1 });
  });

  it('the throttle lets one event through per 250 ms, and a forced one at any time', () => {
    const t = new Throttle();
    const passed = [0, 100, 249, 250, 300, 499, 520, 600].filter((now) => t.ready(now));
    assert.deepEqual(passed, [0, 250, 520]);
    assert.equal(t.ready(530, true), true);
    assert.equal(t.ready(700), false);
  });

  it('an address gives attributes for the element and notes for the rest', () => {
    const { attributes, notes } = frameAttributes('?lesson=adam&controls=play,lr&autoplay&initStd=0.1&onload=alert(1)&theme=dark');
    assert.deepEqual(attributes, [['lesson', 'adam'], ['controls', 'play,lr'], ['autoplay', ''], ['initstd', '0.1'], ['theme', 'dark']]);
    assert.deepEqual(notes, ["unknown setting 'onload' was ignored"]);
  });
});
