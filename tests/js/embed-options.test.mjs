// The pure side of the embed (web/embed/options.js): attributes and iframe addresses become the
// page's state through the page's own table, controls lists are read, set() patches are checked,
// step events are throttled, `base` is read, an iframe's trusted parents are parsed, and the
// worker bootstrap for another origin is chosen and written (web/app/spawn.js). No browser needed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseState, defaults, parseState } from '../../web/app/state.js';
import {
  OBSERVED_ATTRIBUTES, Throttle, frameAttributes, frameTargets, parseBase, parseControls, parseHeight, parseTheme, patchState,
  raceOnly, stateFromAttributes, stepDetail, trustsOrigin,
} from '../../web/embed/options.js';
import { bootstrapSource, needsBootstrap, workerUrl } from '../../web/app/spawn.js';

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

describe('where the files are: base', () => {
  const page = 'https://course.example/week3/index.html';
  it('an attribute, else the <meta>, read against the page, always a folder', () => {
    assert.deepEqual(parseBase('https://cdn.example/npm/gradlab@0.1.0/web', null, page), { base: 'https://cdn.example/npm/gradlab@0.1.0/web/', notes: [] });
    assert.deepEqual(parseBase(null, '/static/gradlab/', page), { base: 'https://course.example/static/gradlab/', notes: [] });
    assert.deepEqual(parseBase('../gradlab/', 'https://cdn.example/x/', page), { base: 'https://course.example/gradlab/', notes: [] });
    assert.deepEqual(parseBase(null, null, page), { base: null, notes: [] });
    assert.deepEqual(parseBase('  ', '', page), { base: null, notes: [] });
  });
  it('a value that is not an http(s) folder is passed over with a note', () => {
    for (const bad of ['javascript:alert(1)', 'data:text/javascript,1', 'https://cdn.example/web/?v=1', 'https://cdn.example/web/#x', 'http://[bad']) {
      const { base, notes } = parseBase(bad, null, page);
      assert.equal(base, null, bad);
      assert.match(notes[0], /^base '.*' is not used; give the http\(s\) address of the folder that holds app\/, embed\/ and wasm\/$/);
    }
    const fallback = parseBase('javascript:x', 'https://cdn.example/web/', page);
    assert.equal(fallback.base, 'https://cdn.example/web/');
    assert.equal(fallback.notes.length, 1);
    assert.match(parseBase(null, 'ftp://x/', page).notes[0], /^<meta name="gradlab-base"> 'ftp:\/\/x\/' is not used/);
  });
  it('is observed, but an iframe address cannot set it', () => {
    assert.ok(OBSERVED_ATTRIBUTES.includes('base'));
    const { attributes, notes } = frameAttributes('?lesson=adam&base=https://evil.example/');
    assert.deepEqual(attributes, [['lesson', 'adam']]);
    assert.deepEqual(notes, ["'base' cannot be set from the frame's address and was ignored"]);
  });
});

describe('the iframe\'s trusted parents', () => {
  it('no parent= trusts any page; parent= lists exact origins, and anything else is a note', () => {
    assert.equal(frameAttributes('?lesson=adam').parents, null);
    const { parents, notes, attributes } = frameAttributes('?parent=https://lms.example,http://127.0.0.1:8080/,https://lms.example&lesson=adam');
    assert.deepEqual(parents, ['https://lms.example', 'http://127.0.0.1:8080']);
    assert.deepEqual(attributes, [['lesson', 'adam']]);
    assert.deepEqual(notes, []);
    const bad = frameAttributes('?parent=https://lms.example/course/3,javascript:1,*');
    assert.deepEqual(bad.parents, [], 'a parent= with no origin in it trusts nobody');
    assert.equal(bad.notes.length, 3);
    assert.match(bad.notes[0], /^parent 'https:\/\/lms.example\/course\/3' is not an origin \(scheme:\/\/host\[:port\]\) and was ignored$/);
  });
  it('messages go only to a listed parent, and commands are taken only from one', () => {
    assert.deepEqual(frameTargets(null, 'https://any.example'), ['*']);
    assert.deepEqual(frameTargets(['https://a.example', 'https://b.example'], 'https://b.example'), ['https://b.example']);
    assert.deepEqual(frameTargets(['https://a.example'], 'https://evil.example'), []);
    assert.deepEqual(frameTargets(['https://a.example', 'https://b.example'], null), ['https://a.example', 'https://b.example'], 'parent unknown: the browser delivers to the one that matches');
    assert.equal(trustsOrigin(null, 'https://any.example'), true);
    assert.equal(trustsOrigin(['https://a.example'], 'https://a.example'), true);
    assert.equal(trustsOrigin(['https://a.example'], 'https://a.example.evil'), false);
    assert.equal(trustsOrigin([], 'https://a.example'), false);
  });
});

describe('starting the worker from another origin', () => {
  it('needs the blob: bootstrap only for a script of another origin', () => {
    assert.equal(needsBootstrap('https://cdn.example/web/app/worker.js', 'https://course.example'), true);
    assert.equal(needsBootstrap('https://course.example/gradlab/app/worker.js', 'https://course.example'), false);
    assert.equal(needsBootstrap('http://course.example/app/worker.js', 'https://course.example'), true, 'another scheme is another origin');
    assert.equal(needsBootstrap('blob:https://course.example/1234', 'https://course.example'), false);
  });
  it('the bootstrap is one static import of the absolute address, quoted safely', async () => {
    assert.equal(bootstrapSource('https://cdn.example/web/app/worker.js'), 'import "https://cdn.example/web/app/worker.js";\n');
    assert.equal(bootstrapSource('https://cdn.example/a"b/app/worker.js'), 'import "https://cdn.example/a\\"b/app/worker.js";\n');
    assert.equal(workerUrl('https://cdn.example/npm/gradlab@0.1.0/web/'), 'https://cdn.example/npm/gradlab@0.1.0/web/app/worker.js');
  });
});
