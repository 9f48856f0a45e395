// The named boundary between C and JavaScript (issue 14): every name table, row slot, result slot,
// statistics position and limit of src/gradlab.h against web/lib/names.js and web/lib/boundary.js,
// and every GL_RANGE_* against docs/api.md. Mutated copies of the header and of the JavaScript
// tables show that a change on one side alone is caught.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import * as names from '../../web/lib/names.js';
import * as boundary from '../../web/lib/boundary.js';
import { loadGradlab, GradlabError } from '../../web/lib/gradlab.js';
import { differences, ranges, tables, undocumentedRanges } from './header-tables.mjs';

const root = new URL('../../', import.meta.url);
const header = readFileSync(new URL('src/gradlab.h', root), 'utf8');
const api = readFileSync(new URL('docs/api.md', root), 'utf8');
const js = { ...names, ...boundary };

/** header with `from` replaced by `to`, which must occur in it */
function mutate(text, from, to) {
  assert.ok(text.includes(from), `the header holds ${from}`);
  return text.replace(from, to);
}

describe('the C/JS boundary', () => {
  it('reads every table of the header', () => {
    const t = tables(header);
    assert.ok(t.size >= 17, `${t.size} tables`);
    assert.deepEqual(t.get('GL_ACTIVATIONS')[2], ['GL_ACT_LEAKY_RELU', 'leaky-relu']);
    assert.deepEqual(t.get('GL_STATS_POSITIONS').at(-1), ['GL_S_UPDATE_RATIO', 'updateRatio', 23]);
    assert.ok(ranges(header).length >= 30);
  });

  it('JavaScript agrees with the header: names, slots, positions, sizes and limits', () => {
    assert.deepEqual(differences(header, js), []);
  });

  it('a change on one side only is caught (mutated copies of the header and of the JS tables)', () => {
    const cases = [
      ['two activations swapped', mutate(header, 'X(GL_ACT_TANH, "tanh") X(GL_ACT_SIGMOID, "sigmoid")', 'X(GL_ACT_SIGMOID, "sigmoid") X(GL_ACT_TANH, "tanh")'), /ACTIVATIONS/],
      ['an optimiser renamed', mutate(header, 'X(GL_OPT_ADAMW, "adamw")', 'X(GL_OPT_ADAMW, "adam-w")'), /OPTIMIZERS/],
      ['a layer slot moved', mutate(header, 'X(GL_LI_KERNEL, "kernel") X(GL_LI_STRIDE, "stride")', 'X(GL_LI_STRIDE, "stride") X(GL_LI_KERNEL, "kernel")'), /LAYER_INT_SLOTS/],
      ['an optimiser slot added', mutate(header, 'X(GL_O_WARMUP, "schedule.warmup")', 'X(GL_O_WARMUP, "schedule.warmup") X(GL_O_NEW, "schedule.new")'), /OPTIMIZER_SLOTS/],
      ['a train result slot moved', mutate(header, 'X(GL_TR_STEPS, "steps") X(GL_TR_LOSS, "loss")', 'X(GL_TR_LOSS, "loss") X(GL_TR_STEPS, "steps")'), /TRAIN_SLOTS/],
      ['a statistics position moved', mutate(header, 'X(GL_S_DEAD, "dead", 21)', 'X(GL_S_DEAD, "dead", 25)'), /STATS_POSITIONS/],
      ['a row size changed', mutate(header, '#define GL_LAYER_FLOATS 10', '#define GL_LAYER_FLOATS 9'), /LAYER_FLOATS is 10; GL_LAYER_FLOATS is 9/],
      ['a limit changed', mutate(header, '#define GL_LIMIT_SAMPLES 1000000', '#define GL_LIMIT_SAMPLES 2000000'), /LIMITS.samples is 1000000; GL_LIMIT_SAMPLES is 2000000/],
      ['an enum numbered by hand', mutate(header, 'X(GL_POOL_MAX, "max")', 'X(GL_POOL_MAX, "max") /* GL_POOL_MAX = 1 */'), /GL_POOL_MAX is numbered by hand/],
      ['a table without a JS side', `${header}\n#define GL_COLOURS(X) X(GL_RED, "red")\n`, /GL_COLOURS has no JavaScript counterpart/],
      ['a table removed', header.replace(/#define GL_SURFACES\(X\)[^\n]*\\\n[^\n]*\n/, ''), /GL_SURFACES is missing/],
    ];
    for (const [what, text, pattern] of cases) {
      const found = differences(text, js);
      assert.ok(found.some((d) => pattern.test(d)), `${what}: ${JSON.stringify(found)}`);
    }
    const jsCases = [
      ['a JS name table reordered', { ...js, LOSSES: ['mse', 'binary-cross-entropy', 'cross-entropy'] }, /LOSSES/],
      ['a JS slot renamed', { ...js, LAYER_FLOAT_SLOTS: js.LAYER_FLOAT_SLOTS.map((s) => (s === 'dropout' ? 'dropRate' : s)) }, /LAYER_FLOAT_SLOTS/],
      ['a JS limit changed', { ...js, LIMITS: { ...js.LIMITS, bins: 8192 } }, /LIMITS.bins is 8192/],
      ['a JS statistics position moved', { ...js, STATS_POSITIONS: { ...js.STATS_POSITIONS, gradientNorm: 20 } }, /STATS_POSITIONS/],
    ];
    for (const [what, tablesJs, pattern] of jsCases) {
      const found = differences(header, tablesJs);
      assert.ok(found.some((d) => pattern.test(d)), `${what}: ${JSON.stringify(found)}`);
    }
  });

  it('docs/api.md gives every range the engine checks, and a changed range is caught', () => {
    assert.deepEqual(undocumentedRanges(header, api), []);
    const narrower = mutate(header, '#define GL_RANGE_DROPOUT 0, 0.99', '#define GL_RANGE_DROPOUT 0, 0.9');
    assert.deepEqual(undocumentedRanges(narrower, api), ['GL_RANGE_DROPOUT: docs/api.md does not give dropout as 0 … 0.9']);
    const kernel = mutate(header, '#define GL_RANGE_KERNEL 1, 7', '#define GL_RANGE_KERNEL 1, 9');
    assert.equal(undocumentedRanges(kernel, api).length, 1);
  });
});

describe('the engine owns the ranges and their messages', () => {
  let lab;
  before(async () => { lab = await loadGradlab(); });

  /** the message of the GradlabError fn throws */
  function message(fn) {
    try { fn(); } catch (e) { assert.ok(e instanceof GradlabError, String(e)); return e.message; }
    assert.fail('no error');
  }
  const net = (layer, extra = {}) => () => lab.network({ inputs: [8, 8, 1], layers: [layer, { type: 'flatten' }, { units: 2, activation: 'softmax' }], ...extra });

  it('the limits that used to differ between the two sides now have one answer, from C', () => {
    // conv kernels: JS allowed 1..7, C refused even ones
    assert.equal(message(net({ type: 'conv', filters: 2, kernel: 4 })), 'layers[0].kernel 4 is not allowed; it must be odd (1, 3, 5 or 7)');
    assert.equal(message(net({ type: 'conv', filters: 2, kernel: 9 })), 'layers[0].kernel 9 is not allowed; it must be an integer from 1 to 7');
    // dropout: JS allowed up to 0.99, C anything below 1
    assert.equal(message(net({ type: 'conv', filters: 2, dropout: 0.995 })), 'layers[0].dropout 0.995 is not allowed; it must be a number from 0 to 0.99');
    assert.ok(lab.network({ inputs: 2, layers: [{ units: 2, dropout: 0.99 }, { units: 2, activation: 'softmax' }] }));
    // testFraction: JS allowed up to 0.95, C anything below 1
    assert.equal(message(() => lab.dataset('moons', { testFraction: 0.97 })), 'testFraction 0.97 is not allowed; it must be a number from 0 to 0.95');
    assert.equal(message(() => lab.dataset({ x: new Float32Array(4), y: new Int32Array(2), inputs: 2, testFraction: 0.97 })),
      'testFraction 0.97 is not allowed; it must be a number from 0 to 0.95');
    // leaky-ReLU slope: JS allowed 0..1, C any finite value
    assert.equal(message(net({ type: 'conv', filters: 2, activation: 'leaky-relu', slope: 2 })), 'layers[0].slope 2 is not allowed; it must be a number from 0 to 1');
  });

  it('passes the engine\'s message through for values of the right type, and keeps type errors in JS', () => {
    assert.equal(message(() => lab.network({ inputs: 2, layers: [{ units: 5000 }] })), 'layers[0].units 5000 is not allowed; it must be an integer from 1 to 4096');
    assert.equal(message(() => lab.network({ inputs: 2, layers: [{ units: 2, batchNorm: { epsilon: 0 } }, { units: 1 }] })),
      'layers[0].batchNorm.epsilon 0 is not allowed; it must be a number from 1e-12 to 1');
    assert.equal(message(() => lab.network({ inputs: 2, layers: [{ units: 2, init: { name: 'normal', std: NaN } }] })),
      'layers[0].init.std NaN is not allowed; it must be a number from 0 to 1000000');
    const n = lab.network({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }] });
    assert.equal(message(() => n.setOptimizer({ name: 'rmsprop', alpha: 1 })), 'alpha 1 is not allowed; it must be a number from 0 to 0.9999');
    assert.equal(message(() => n.setOptimizer({ name: 'sgd', schedule: { name: 'cyclic', maxLearningRate: 0.001 } })),
      'schedule.maxLearningRate 0.001 is not allowed; it must be a number from 0.01 to 1000');
    assert.equal(message(() => n.setOptimizer({ name: 'sgd', learningRate: '0.1' })), "learningRate '0.1' is not allowed; it must be a number");
    assert.equal(message(() => lab.network({ inputs: 2, layers: [{ units: 2 ** 40 }] })), 'layers[0].units 1099511627776 is not allowed; it must be an integer');
    n.dispose();
  });
});
