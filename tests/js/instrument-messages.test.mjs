// The instruments' messages and bookkeeping, in Node: protocol.js checks the new commands and events,
// worker-instruments.js (with postMessage caught) measures what a watch asks for at the steps it asks
// and stops training there, readings are stored per run, lessons read them through instrumentView,
// and the range test's buttons get the rates the docs state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as protocol from '../../web/app/protocol.js';
import { cyclicBounds, dueNow, measureLandscape, measureSharpness, stepsToNext } from '../../web/app/instrument-plan.js';
import { addReading, readingsOf, watchFor } from '../../web/app/instrument-readings.js';
import { instrumentView } from '../../web/app/lessons.js';
import { loadGradlab } from '../../web/lib/gradlab.js';

const posted = [];
globalThis.postMessage = (m) => posted.push(m);
const instruments = await import('../../web/app/worker-instruments.js');

describe('instrument messages', () => {
  it('protocol.js accepts the instrument commands it makes and names what is wrong with others', () => {
    for (const c of [protocol.landscape({ id: 1 }), protocol.sharpness(), protocol.lrfind({ id: 2 }), protocol.watch(), protocol.watch({ sharpnessEvery: 5, directions: ['random', 'trajectory'] })]) {
      assert.equal(protocol.checkCommand(c), '', JSON.stringify(c));
    }
    assert.match(protocol.checkCommand({ ...protocol.landscape({ id: 1 }), directions: 'pca' }), /'landscape': field 'directions'/);
    assert.match(protocol.checkCommand({ ...protocol.watch(), sharpnessEvery: -1 }), /'watch': field 'sharpnessEvery'/);
    assert.match(protocol.checkCommand({ ...protocol.watch(), sharpnessEvery: 2.5 }), /'watch': field 'sharpnessEvery'/);
    assert.match(protocol.checkCommand({ ...protocol.lrfind({ id: 1 }), from: '1e-4' }), /'lrfind': field 'from'/);
    assert.match(protocol.checkEvent(protocol.sharpnessResult({ generation: 1, step: 0, lambdaMax: 1, residual: 0, converged: 'yes', iterations: 3, twoOverEta: 20, loss: 1 })), /field 'converged'/);
    assert.match(protocol.checkEvent(protocol.landscapeResult({ generation: 1, id: null, step: 0, directions: 'random', alpha: [0], beta: new Float32Array(1), values: new Float32Array(1), resolution: 1, span: 1, rows: 1, center: { loss: 1 }, path: null, explained: null })), /field 'alpha'/);
    assert.equal(protocol.checkEvent(protocol.instrumentError(3, 'landscape', 'no record')), '');
  });

  it('a watch measures sharpness at each multiple of its steps, landscapes past 0, the range test once; training stops where one is due', async () => {
    const lab = await loadGradlab();
    const data = lab.dataset('moons', { samples: 120, seed: 2 });
    const net = lab.network({ inputs: 2, seed: 5, layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }] });
    net.setOptimizer({ name: 'sgd', learningRate: 0.2 });
    posted.length = 0;
    instruments.attach(net, data, 7, 16, protocol.watch({ sharpnessEvery: 4, landscapeEvery: 6, directions: ['random', 'trajectory'], resolution: 5, lrFind: true }));
    assert.deepEqual(posted.map((m) => [m.type, m.step]), [['sharpness', 0], ['lrfind', 0]]);
    for (const m of posted) assert.equal(protocol.checkEvent(m), '', m.type);
    const steps = [];
    while (net.step < 12) {
      const k = Math.min(instruments.stepLimit(net.step), 12 - net.step);
      steps.push(k);
      net.train(data, { steps: k, batchSize: 16 });
      instruments.afterTraining();
    }
    assert.deepEqual(steps, [4, 2, 2, 4], 'training stops at 4, 6, 8 and 12');
    assert.deepEqual(posted.slice(2).map((m) => `${m.type}${m.directions ? `:${m.directions}` : ''}@${m.step}`),
      ['sharpness@4', 'landscape:random@6', 'landscape:trajectory@6', 'sharpness@8', 'sharpness@12', 'landscape:random@12', 'landscape:trajectory@12']);
    for (const m of posted) { assert.equal(protocol.checkEvent(m), '', m.type); assert.equal(m.generation, 7); }
    const last = posted.at(-1);
    assert.deepEqual(Array.from(last.values), Array.from(measureLandscape(net, data, { directions: 'trajectory', resolution: 5 }).values), 'the numbers of instrument-plan.js');
    assert.equal(posted.at(-3).lambdaMax, measureSharpness(net, data).lambdaMax);
    // an instrument that cannot measure says so and the run goes on
    posted.length = 0;
    const fresh = lab.network({ inputs: 2, seed: 5, layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }] });
    instruments.attach(fresh, data, 8, 16, protocol.watch());
    instruments.handle(protocol.landscape({ id: 3, directions: 'trajectory' }));
    assert.equal(posted.length, 1);
    assert.equal(posted[0].type, 'instrumentError');
    assert.match(posted[0].message, /trajectory/);
    assert.equal(protocol.checkEvent(posted[0]), '');
    fresh.dispose(); net.dispose(); data.dispose();
  });

  it('readings keep sharpness in step order, the latest landscape per directions and the range test; lessons read them by step', () => {
    const run = {};
    addReading(run, { type: 'sharpness', step: 0, lambdaMax: 2, twoOverEta: 20, residual: 0 });
    addReading(run, { type: 'sharpness', step: 10, lambdaMax: NaN, twoOverEta: 20, residual: 0 });
    addReading(run, { type: 'sharpness', step: 10, lambdaMax: 3, twoOverEta: 20, residual: 0 });
    addReading(run, { type: 'landscape', step: 10, directions: 'random', values: [1, 0.5, 2], center: { loss: 0.5 }, explained: null });
    addReading(run, { type: 'instrumentError', instrument: 'lrfind', message: 'no' });
    const r = readingsOf(run);
    assert.deepEqual(r.sharpness.step, [0, 10]);
    assert.deepEqual(r.sharpness.lambdaMax, [2, 3], 'a repeated step replaces the earlier one');
    assert.deepEqual(r.error, { instrument: 'lrfind', message: 'no' });
    const at10 = instrumentView(r, 10), at5 = instrumentView(r, 5);
    assert.equal(at10.sharpness, 3);
    assert.deepEqual(at10.landscape.random, { center: 0.5, min: 0.5, max: 2, values: [1, 0.5, 2], explained: null });
    assert.equal(at5.sharpness, null);
    assert.deepEqual(at5.sharpnessHistory.step, [0]);
    assert.equal(at5.landscape.random, null);
  });

  it('due steps, the watch of each run, the cyclic bounds', () => {
    assert.deepEqual(dueNow({ sharpnessEvery: 5, landscapeEvery: 10, directions: ['random'] }, 0, { sharpness: -1, landscape: -1, rangeTest: false }), { sharpness: true, landscapes: [], rangeTest: false });
    assert.deepEqual(dueNow({ sharpnessEvery: 5, landscapeEvery: 10, directions: ['random'], lrFind: true }, 10, { sharpness: 10, landscape: -1, rangeTest: false }), { sharpness: false, landscapes: ['random'], rangeTest: true });
    assert.equal(stepsToNext(7, 5), 3);
    assert.equal(stepsToNext(7, 0), Infinity);
    assert.equal(watchFor({ lesson: 'lr-range-test' }, 0).lrFind, true);
    assert.equal(watchFor({ lesson: 'lr-range-test' }, 1).lrFind, false, 'run 0 only');
    assert.deepEqual(watchFor({ lesson: '' }, 0, { sharpnessEvery: 3 }), { sharpnessEvery: 3, lrFind: false });
    assert.equal(watchFor({ lesson: 'edge-of-stability' }, 0, { sharpnessEvery: 3 }).sharpnessEvery, 10, 'a lesson\'s instruments come first');
    assert.deepEqual(cyclicBounds({ steepest: 0.24, minimumDividedBy10: 0.196 }), { lr: 0.06, maxLr: 0.24 });
    assert.equal(cyclicBounds({ steepest: null, minimumDividedBy10: null }), null);
  });
});
