// The page's URL state (web/app/state.js): round trips of random valid states, hostile addresses
// that must fall back to defaults without throwing or touching prototypes, and every lesson's
// settings accepted by the real engine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { runConfig } from '../../web/app/config.js';
import { patchState } from '../../web/embed/options.js';
import { LESSONS } from '../../web/app/lessons.js';
import {
  DEFAULT_IMAGE_LAYERS, HIDDEN_ACTIVATIONS, MAX_LAYERS, MAX_RUNS, OWN_DATA, PARAMS, RUN_KEYS, baseState, defaultLayersFor, defaults, isImageData,
  layerShapes, layersProblem, layersText, parseLayers, parseRacers, parseRuns, parseState, readValue, runState, serializeState,
} from '../../web/app/state.js';
import { nearZero, summary } from '../../web/lib/stats.js';
import { INITS } from '../../web/lib/names.js';
import { rng } from './rng.mjs';

const pick = (r, list) => list[Math.floor(r() * list.length)];

function randomLayers(r) {
  const n = Math.floor(r() * 5);
  return layersText(Array.from({ length: n }, () => ({
    units: 1 + Math.floor(r() * 128), activation: pick(r, HIDDEN_ACTIVATIONS), batchNorm: pick(r, ['off', 'before', 'after']),
    dropout: r() < 0.5 ? 0 : Math.round(r() * 900) / 1000, init: r() < 0.7 ? '' : pick(r, INITS),
  })));
}

/** A random conv stack that fits an image of side >= 8: conv and pool layers, then flatten and dense ones. */
function randomImageLayers(r) {
  const layers = [];
  let pools = 0;
  for (let i = Math.floor(r() * 4); i > 0; --i) {
    if (r() < 0.35 && pools < 2) { layers.push({ type: 'pool', mode: pick(r, ['max', 'average']) }); pools++; continue; }
    layers.push({
      type: 'conv', filters: 1 + Math.floor(r() * 32), kernel: pick(r, [3, 5]), stride: 1, padding: 'same',
      activation: pick(r, HIDDEN_ACTIVATIONS), batchNorm: pick(r, ['off', 'before', 'after']),
      dropout: r() < 0.7 ? 0 : Math.round(r() * 900) / 1000, init: r() < 0.7 ? '' : pick(r, INITS),
    });
  }
  if (r() < 0.5) layers.push({ type: 'flatten' });
  if (r() < 0.5) layers.push({ units: 1 + Math.floor(r() * 128), activation: 'relu', batchNorm: 'off', dropout: 0, init: '' });
  return layersText(layers);
}

function randomValue(r, p) {
  switch (p.type) {
    case 'enum': return pick(r, p.values);
    case 'int': return p.min + Math.floor(r() * (p.max - p.min + 1));
    case 'float': {
      const v = r() < 0.2 ? p.min : r() < 0.2 ? p.max : p.min + r() * (p.max - p.min);
      const short = Number(v.toPrecision(1 + Math.floor(r() * 6)));
      return r() < 0.5 || short < p.min || short > p.max ? v : short;
    }
    case 'layers': return randomLayers(r);
    case 'optimizers': return [...new Set(Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(r, ['sgd', 'momentum', 'adam', 'rmsprop', 'nesterov'])))]
      .map((name) => (r() < 0.3 ? `${name}@${pick(r, [0.001, 0.05, 0.5, 2])}` : name)).join('~');
    case 'runs': {
      if (r() < 0.3) return '';
      const n = 2 + Math.floor(r() * (MAX_RUNS - 1));
      return Array.from({ length: n }, () => {
        const keys = [...new Set(Array.from({ length: Math.floor(r() * 3) }, () => pick(r, RUN_KEYS)))];
        return keys.map((k) => `${k}:${randomValue(r, PARAMS.find((q) => q.name === k))}`).join('!');
      }).join('~');
    }
    default: throw new Error(p.type);
  }
}

function randomState(r) {
  const s = r() < 0.3 ? baseState(pick(r, LESSONS).name) : defaults();
  for (const p of PARAMS) if (p.name !== 'lesson' && r() < 0.4) s[p.name] = randomValue(r, p);
  if (s.raceX === null && r() < 0.5) { s.raceX = 0.5; s.raceY = -0.25; }
  if (s.data === OWN_DATA) s.data = 'moons';   // your own rows never travel in an address (tested below)
  if (isImageData(s.data) && r() < 0.6) s.layers = randomImageLayers(r);
  // a valid state: layers that fit the data, in the shared state and in every run
  if (layersProblem(s)) s.layers = defaultLayersFor(s.data);
  const runs = parseRuns(s.runs);
  if (runs.some((o) => layersProblem(runState(s, o)))) s.runs = '';
  if (s.mode === 'compare' && s.runs === '') s.runs = 'init:zeros~init:xavier';
  return s;
}

/** Every value of a state is one its table row allows. */
function assertValid(state) {
  assert.deepEqual(Object.keys(state).sort(), PARAMS.map((p) => p.name).sort());
  for (const p of PARAMS) {
    const v = state[p.name];
    if (v === null) { assert.equal(p.default, null, p.name); continue; }
    const read = readValue(p, String(v));
    assert.ok(!read.error, `${p.name} = ${String(v).slice(0, 80)}: ${read.error}`);
    assert.deepEqual(read.value, v, p.name);
  }
}

const HOSTILE_VALUES = ['', ' ', 'NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '-1', '-0', '0x10', '1e-400',
  '99999999999999999999999', '4294967296', '1.5.5', '<script>alert(1)</script>', 'javascript:alert(1)', '"><img src=x onerror=alert(1)>',
  '\u0000', '\u202e', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'é', '%', '%00', '%zz', '__proto__', 'constructor', '{"a":1}', '[]', 'a'.repeat(5000),
  '32_relu,' .repeat(20), '0_relu', '32_softmax', '32_relu_d0.95', '32_relu_bn_bn_x', '~', '~~~~', 'init:zeros', 'lesson:zero-init~mode:race',
  'init:zeros~__proto__:1', 'seed:1~seed:2~seed:3~seed:4~seed:5', 'sgd~sgd', 'nope'];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__proto__[polluted]',
  'constructor[prototype][polluted]', '<script>', 'lesson', 'mode', 'lr', 'layers', 'runs', 'seed', 'data', 'racers', 'raceX', ''];

describe('URL state', () => {
  it('the defaults serialise to an empty query and parse back without notes', () => {
    assert.equal(serializeState(defaults()), '');
    const { state, notes } = parseState('');
    assert.deepEqual(state, defaults());
    assert.deepEqual(notes, []);
  });

  it('every lesson parses without notes and round-trips', () => {
    for (const lesson of LESSONS) {
      const direct = parseState(`?${lesson.params}`);
      assert.deepEqual(direct.notes, [], lesson.name);
      const { state, notes } = parseState(`?lesson=${lesson.name}`);
      assert.deepEqual(notes, [], lesson.name);
      assert.equal(state.lesson, lesson.name);
      for (const key of new URLSearchParams(lesson.params).keys()) assert.deepEqual(state[key], direct.state[key], `${lesson.name}.${key}`);
      assert.equal(serializeState(state), `?lesson=${lesson.name}`);
      assert.ok(lesson.text.length > 100 && lesson.title, lesson.name);
    }
  });

  it('2000 random valid states survive serialise then parse unchanged', () => {
    const r = rng(12345);
    for (let i = 0; i < 2000; ++i) {
      const state = randomState(r);
      const query = serializeState(state);
      const back = parseState(query);
      assert.deepEqual(back.notes, [], query);
      assert.deepEqual(back.state, state, query);
      // what a browser does to the address on the way: parse again from the encoded form
      assert.deepEqual(parseState(new URL(`http://x/${query}`).search).state, state);
    }
  });

  it('data=csv needs your own rows beside the address: without them a note and the default data set', () => {
    const alone = parseState('?data=csv&lr=0.5');
    assert.equal(alone.state.data, 'spiral');
    assert.equal(alone.state.lr, 0.5);
    assert.match(alone.notes.join(), /data 'csv' means your own rows, which an address cannot hold/);
    const own = { x: new Float32Array([0, 1, 2, 3]), y: new Int32Array([0, 1]), inputs: 2, classes: 2 };
    const given = parseState('?data=csv&lr=0.5', own);
    assert.deepEqual(given.notes, []);
    assert.equal(given.state.data, OWN_DATA);
    assert.equal(given.state.own, own);
    assert.equal(serializeState(given.state), '?data=csv&lr=0.5', 'the rows stay out of the address');
    const config = runConfig(given.state);
    assert.deepEqual([config.dataset.name, config.network.inputs, config.classes, config.loss], ['custom', 2, 2, 'cross-entropy']);
    assert.throws(() => runConfig({ ...given.state, own: undefined }), /paste or drop a CSV/);
    assert.throws(() => patchState(defaults(), { data: 'csv' }), /data 'csv' is the page's own CSV rows, which an element cannot be given/);
  });

  it('hostile addresses never throw, keep every value in range, leave notes and touch no prototype', () => {
    const r = rng(777);
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).length;
    for (let i = 0; i < 3000; ++i) {
      const pairs = Array.from({ length: 1 + Math.floor(r() * 6) }, () => {
        const key = r() < 0.3 ? pick(r, PARAMS).name : pick(r, HOSTILE_KEYS);
        const value = pick(r, HOSTILE_VALUES);
        return r() < 0.5 ? `${encodeURIComponent(key)}=${encodeURIComponent(value)}` : `${key}=${value}`;
      });
      const query = `?${pairs.join('&')}`;
      const { state, notes } = parseState(query);
      assertValid(state);
      for (const n of notes) {
        assert.equal(typeof n, 'string');
        assert.ok(n.length < 400, n);
        assert.doesNotMatch(n, /[\u0000-\u001f]/);
      }
      assert.equal(Object.getPrototypeOf(state), Object.prototype);
    }
    assert.equal(Object.getOwnPropertyNames(Object.prototype).length, protoKeys);
    assert.equal({}.polluted, undefined);
    assert.equal(Object.prototype.polluted, undefined);
  });

  it('out-of-range and malformed numbers fall back to the default with a note naming the setting', () => {
    for (const [key, bad] of [['lr', '1e309'], ['lr', '-0.1'], ['lr', 'NaN'], ['seed', '-5'], ['seed', '4294967296'],
      ['samples', '1.5'], ['batch', '99999'], ['noise', 'Infinity'], ['speed', '0x10']]) {
      const { state, notes } = parseState(`?${key}=${bad}`);
      assert.equal(state[key], defaults()[key], `${key}=${bad}`);
      assert.equal(notes.length, 1);
      assert.match(notes[0], new RegExp(`^${key} = `));
    }
    assert.equal(parseState('?lr=0.25').state.lr, 0.25);
    assert.equal(parseState('?seed=4294967295').state.seed, 4294967295);
  });

  it('thousands of parameters and very long addresses are cut short with a note', () => {
    const many = `?${Array.from({ length: 5000 }, (_, i) => `p${i}=${i}`).join('&')}`;
    const started = performance.now();
    const { state, notes } = parseState(many);
    assert.ok(performance.now() - started < 500);
    assertValid(state);
    assert.ok(notes.some((n) => /only the first/.test(n)));
    assert.ok(notes.length <= 210);
    const repeated = parseState(`?${'lr=0.5&'.repeat(3000)}`);
    assert.equal(repeated.state.lr, 0.5);
  });

  it('layers and runs reject what the engine could not build', () => {
    assert.equal(typeof parseLayers('0_relu'), 'string');
    assert.equal(typeof parseLayers('32_softmax'), 'string');
    assert.equal(typeof parseLayers('129_relu'), 'string');
    assert.equal(typeof parseLayers(Array(MAX_LAYERS + 1).fill('4_relu').join(',')), 'string');
    assert.equal(parseLayers(Array(MAX_LAYERS).fill('4_relu').join(',')).length, MAX_LAYERS);
    assert.deepEqual(parseLayers('8_tanh_bna_d0.25_ixavier'), [{ units: 8, activation: 'tanh', batchNorm: 'after', dropout: 0.25, init: 'xavier' }]);
    // nb: no bias (issue 17), read and written back, and passed to the engine as bias: false
    assert.deepEqual(parseLayers('c4_relu_nb,8_tanh_nb'), [
      { type: 'conv', filters: 4, kernel: 3, stride: 1, padding: 'same', activation: 'relu', batchNorm: 'off', dropout: 0, init: '', bias: false },
      { units: 8, activation: 'tanh', batchNorm: 'off', dropout: 0, init: '', bias: false }]);
    assert.equal(layersText(parseLayers('8_tanh_bna_nb_d0.25,16_relu')), '8_tanh_bna_nb_d0.25,16_relu');
    assert.deepEqual(runConfig({ ...parseState('').state, data: 'circle', layers: '8_tanh_nb' }).network.layers[0], { units: 8, activation: 'tanh', bias: false });
    assert.equal(typeof parseRuns('init:zeros'), 'string');              // one run is not a comparison
    assert.equal(typeof parseRuns('mode:race~mode:train'), 'string');    // not a per-run setting
    assert.equal(typeof parseRuns('lr:1!lr:2~lr:3'), 'string');          // the same setting twice
    assert.deepEqual(parseRuns('lr:0.5!opt:adam~'), [[['lr', 0.5], ['opt', 'adam']], []]);
    assert.equal(runState(defaults(), [['lr', 0.5]]).lr, 0.5);
  });
});

describe('image layers in the URL', () => {
  it('conv, pool and flatten tokens parse, serialise back and say what is wrong', () => {
    const text = 'c8_k5_s2_valid_tanh_bn_d0.1_ixavier,pavg,c16_relu,pmax,flat,64_relu';
    const layers = parseLayers(text);
    assert.deepEqual(layers.slice(0, 2), [
      { type: 'conv', filters: 8, kernel: 5, stride: 2, padding: 'valid', activation: 'tanh', batchNorm: 'before', dropout: 0.1, init: 'xavier' },
      { type: 'pool', mode: 'average' }]);
    assert.equal(layersText(layers), text);
    assert.equal(layersText(parseLayers('c8,pmax')), 'c8_relu,pmax');
    assert.match(parseLayers('flat,c8_relu'), /conv layer cannot follow a flatten or dense layer/);
    assert.match(parseLayers('32_relu,pmax'), /pool layer cannot follow/);
    assert.match(parseLayers('c8,flat,flat'), /flatten may only come once/);
    assert.match(parseLayers('c33_relu'), /1 to 32 filters/);
    assert.match(parseLayers('c8_k7'), /'k7' is not known .*k3, k5/);
    assert.match(parseLayers('pmin'), /must start with a number of units/);
  });

  it('image layers need an image data set and must fit its size; otherwise the address falls back with a note', () => {
    let { state, notes } = parseState('?layers=c8_relu,pmax,flat');
    assert.equal(state.layers, '32_relu,32_relu');
    assert.match(notes[0], /^layers: conv layers need an image data set \(digits or shapes\), not spiral/);
    ({ state, notes } = parseState('?data=digits&size=8&layers=c8_k5_valid,c8_k5_valid'));
    assert.equal(state.layers, DEFAULT_IMAGE_LAYERS);
    assert.match(notes[0], /layer 2 \(c8_k5_valid_relu\) leaves nothing of a 8×8 image/);
    ({ state, notes } = parseState('?data=digits&layers=c8_relu,pmax,c16_relu,pmax,flat&mode=compare&runs=data:spiral~seed:2'));
    assert.equal(state.runs, 'init:he-normal~init:xavier~init:normal');
    assert.match(notes[0], /compare run 1: conv layers need an image data set/);
    ({ state, notes } = parseState('?data=shapes&size=16&layers=c4_k5_s2_valid,pmax,flat,32_tanh'));
    assert.deepEqual(notes, []);
    assert.equal(serializeState(state), '?data=shapes&size=16&layers=c4_k5_s2_valid_relu,pmax,flat,32_tanh');
    // dense layers are fine on images: the engine flattens them
    assert.deepEqual(parseState('?data=digits').notes, []);
  });

  it('layer shapes agree with the engine for random conv stacks, and every fitting stack builds', async () => {
    const lab = await loadGradlab();
    const r = rng(99);
    let built = 0;
    for (let i = 0; i < 150; ++i) {
      const size = 8 + Math.floor(r() * 25);
      const layers = Array.from({ length: 1 + Math.floor(r() * 4) }, () => (r() < 0.4 ? { type: 'pool', mode: 'max' }
        : { type: 'conv', filters: 1 + Math.floor(r() * 6), kernel: pick(r, [3, 5]), stride: pick(r, [1, 2]), padding: pick(r, ['same', 'valid']), activation: 'relu', batchNorm: 'off', dropout: 0, init: '' }));
      const state = { ...defaults(), data: 'digits', size, layers: layersText(layers) };
      const shapes = layerShapes(layers, [size, size, 1]);
      if (typeof shapes === 'string') {
        assert.throws(() => runConfig(state), /leaves nothing/);
        assert.throws(() => lab.network({ ...runConfig({ ...state, layers: '' }).network, layers: [...layers.map((l) => (l.type === 'pool' ? { type: 'pool' } : { type: 'conv', filters: l.filters, kernel: l.kernel, stride: l.stride, padding: l.padding })), { units: 10, activation: 'softmax' }] }));
        continue;
      }
      const net = lab.network(runConfig(state).network);
      assert.deepEqual(net.layers.slice(0, -1).map((l) => l.shape), shapes, state.layers);
      net.dispose();
      built++;
    }
    assert.ok(built > 50, `${built} stacks built`);
  });

  it('racers may carry a learning rate of their own', () => {
    const { state, notes } = parseState('?mode=race&racers=sgd@0.1~adam~momentum@0.02');
    assert.deepEqual(notes, []);
    assert.deepEqual(parseRacers(state.racers), [{ name: 'sgd', learningRate: 0.1 }, { name: 'adam', learningRate: null }, { name: 'momentum', learningRate: 0.02 }]);
    assert.equal(serializeState(state), '?mode=race&racers=sgd@0.1~adam~momentum@0.02');
    assert.match(parseState('?racers=sgd@20').notes[0], /optional @rate/);
  });
});

describe('lessons in the engine', () => {
  it('every run of every lesson builds and trains a few steps in the real engine', async () => {
    const lab = await loadGradlab();
    for (const lesson of LESSONS) {
      const { state } = parseState(`?lesson=${lesson.name}`);
      if (state.mode === 'race') {
        for (const name of state.racers.split('~')) {
          const r = lab.optimize({ surface: state.surface, start: [0.5, 0.5], optimizer: { name, learningRate: state.raceLr }, steps: 5 });
          assert.equal(r.loss.length, 6);
        }
        continue;
      }
      const runs = state.mode === 'compare' ? parseRuns(state.runs) : [[]];
      for (const overrides of runs) {
        const c = runConfig(runState(state, overrides));
        const data = lab.dataset(c.dataset.name, c.dataset.options);
        const net = lab.network(c.network);
        net.setOptimizer(c.optimizer);
        const result = net.train(data, { steps: 5, batchSize: c.batchSize });
        assert.equal(result.status, 'ok', `${lesson.name} ${JSON.stringify(overrides)}`);
        net.dispose(); data.dispose();
      }
    }
  });
});

describe('stats', () => {
  it('summary and nearZero agree with plain formulas', () => {
    const v = Float32Array.from([1, -2, 3, 0.0005, -0.0002]);
    const mean = (1 - 2 + 3 + 0.0005 - 0.0002) / 5;
    const std = Math.sqrt([...v].reduce((s, x) => s + (x - mean) ** 2, 0) / 5);
    const s = summary(v);
    assert.ok(Math.abs(s.mean - mean) < 1e-7 && Math.abs(s.std - std) < 1e-7);
    assert.equal(s.min, -2); assert.equal(s.max, 3);
    assert.equal(nearZero(v, 1e-3), 0.4);
    assert.deepEqual(summary(new Float32Array(0)), { mean: 0, std: 0, min: 0, max: 0 });
  });
});
