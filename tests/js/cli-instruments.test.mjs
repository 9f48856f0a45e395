// `gradlab landscape`, `gradlab sharpness` and `gradlab lr-find` run as child processes: their JSON
// and CSV agree with the API computed here on the same network, and a range the engine owns is
// refused with the engine's message and exit code 1.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { loadGradlab, lrSuggestions } from '../../web/lib/gradlab.js';

const BIN = fileURLToPath(new URL('../../bin/gradlab.mjs', import.meta.url));
const lab = await loadGradlab();

function gradlab(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

/** The network the commands make for --dataset moons --layers 8:tanh (see bin/cli/train.mjs). */
function moons(optimizer) {
  const data = lab.dataset('moons', { samples: 300, noise: 0.1, testFraction: 0.2, seed: 1 });
  const net = lab.network({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'cross-entropy', init: 'xavier', seed: 1 });
  net.setOptimizer(optimizer);
  return { data, net };
}

describe('gradlab landscape', () => {
  it('--json is the API\'s grid, centred on the trained weights; --csv has one row per point', async () => {
    const args = ['landscape', '--dataset', 'moons', '--layers', '8:tanh', '--optimizer', 'sgd', '--lr', '0.5', '--steps', '50', '--resolution', '7'];
    const r = await gradlab([...args, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const { data, net } = moons({ name: 'sgd', learningRate: 0.5 });
    net.train(data, { steps: 50 });
    const L = net.lossLandscape(data, { resolution: 7, seed: 1 });
    assert.equal(out.values.length, 7);
    assert.deepEqual(out.values.flat(), Array.from(L.values));
    assert.equal(out.values[3][3], net.evaluate(data).loss);
    assert.deepEqual(out.alpha, Array.from(L.alpha));
    const csv = await gradlab([...args, '--csv']);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines[0], 'alpha,beta,loss');
    assert.equal(lines.length, 1 + 49);
    const text = await gradlab(args);
    assert.equal(text.stdout.split('\n').filter((l) => l.startsWith('  |')).length, 7);
    assert.ok(text.stdout.includes('X'));
    net.dispose(); data.dispose();
  });

  it('refuses a resolution outside the engine\'s range with the engine\'s message', async () => {
    const r = await gradlab(['landscape', '--steps', '1', '--resolution', '2']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /gradlab landscape: resolution 2 is out of range; allowed 3\.\.101/);
    const bad = await gradlab(['landscape', '--resolution', 'x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--resolution 'x' is not allowed; it must be a whole number/);
  });
});

describe('gradlab sharpness', () => {
  it('measures before the first step and every --every steps, as trackSharpness does', async () => {
    const r = await gradlab(['sharpness', '--dataset', 'moons', '--layers', '8:tanh', '--steps', '40', '--every', '10', '--csv']);
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = r.stdout.trim().split('\n');
    assert.equal(header, 'step,loss,lambda_max,two_over_lr');
    assert.deepEqual(rows.map((l) => Number(l.split(',')[0])), [0, 10, 20, 30, 40]);
    const { data, net } = moons({ name: 'sgd', learningRate: 0.1 });
    const first = net.sharpness(data);
    assert.equal(Number(rows[0].split(',')[2]), first.lambdaMax);
    assert.equal(Number(rows[0].split(',')[3]), first.twoOverEta);
    net.dispose(); data.dispose();
    const refused = await gradlab(['sharpness', '--steps', '1', '--iterations', '0']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /iterations 0 is out of range; allowed 1\.\.1000/);
  });
});

describe('gradlab lr-find', () => {
  it('--json is the API\'s range test, with suggestions from its own curve', async () => {
    const r = await gradlab(['lr-find', '--dataset', 'moons', '--layers', '8:tanh', '--from', '1e-4', '--to', '100', '--steps', '60', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.suggestions, lrSuggestions(out.learningRates, out.smoothed.map((v) => v ?? NaN), 60));
    const { data, net } = moons({ name: 'sgd' });
    const F = net.findLearningRate(data, { from: 1e-4, to: 100, steps: 60, batchSize: 32 });
    assert.deepEqual(out.smoothed, Array.from(F.smoothed, (v) => (Number.isFinite(v) ? v : null)));
    net.dispose(); data.dispose();
    const refused = await gradlab(['lr-find', '--from', '1', '--to', '0.5']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /to 0\.5 is out of range; allowed from \(1\) < to/);
  });
});
