// Saving and loading a run (web/lib/runfile.js, net.saveState()/loadState(), src/runstate.c): after
// loading, training goes on bit for bit as the uninterrupted run, over several settings; a run of
// another version, another shape, another optimiser or data, or a damaged file is refused with what
// does not match, and a failed load leaves the current run as it was and leaks nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { parseDataCsv } from '../../web/lib/csv.js';
import { decodeNpy } from '../../web/lib/npy.js';
import { RUN_VERSION, loadRun, readRun, runFiles } from '../../web/lib/runfile.js';

const lab = await loadGradlab();
const equalBytes = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
const json = (files) => JSON.parse(new TextDecoder().decode(files['run.json']));
const withJson = (files, edit) => {
  const m = json(files);
  edit(m);
  return { ...files, 'run.json': new TextEncoder().encode(JSON.stringify(m)) };
};

function ownRows() {
  const lines = ['a,b,c,target'];
  for (let i = 0; i < 90; ++i) lines.push(`${Math.sin(i)},${Math.cos(3 * i)},${(i % 7) / 7},${Math.sin(i) * 2 + 0.1 * (i % 5)}`);
  return lab.dataset({ ...parseDataCsv(lines.join('\n')).dataset, testFraction: 0.2, seed: 4 });
}

const CASES = [
  { name: 'dense relu, full batch, sgd', data: () => lab.dataset('circle', { samples: 120, seed: 2 }),
    spec: { inputs: 2, layers: [{ units: 8 }, { units: 2 }], seed: 1 }, optimizer: { name: 'sgd', learningRate: 0.5 }, batchSize: 0 },
  { name: 'minibatches, dropout, batch norm, adam', data: () => lab.dataset('spiral', { samples: 200, classes: 3, seed: 3 }),
    spec: { inputs: 2, layers: [{ units: 16, batchNorm: true, dropout: 0.3 }, { units: 16, activation: 'tanh', batchNorm: { after: true }, dropout: 0.1 }, { units: 3 }], seed: 5 },
    optimizer: { name: 'adam', learningRate: 0.01 }, batchSize: 24 },
  { name: 'classic dropout, rmsprop centred with momentum, cosine schedule, l2, clipping', data: () => lab.dataset('moons', { samples: 150, seed: 8 }),
    spec: { inputs: 2, layers: [{ units: 12, dropout: 0.5 }, { units: 1, activation: 'sigmoid' }], dropoutMode: 'classic', seed: 6 },
    optimizer: { name: 'rmsprop', learningRate: 0.01, momentum: 0.5, centered: true, l2: 1e-3, clipNorm: 1, schedule: { name: 'cosine', steps: 200 } }, batchSize: 16 },
  { name: 'convnet with batch norm on digits, nesterov', data: () => lab.dataset('digits', { samples: 100, size: 8, seed: 1 }),
    spec: { inputs: [8, 8, 1], layers: [{ type: 'conv', filters: 4, kernel: 3, batchNorm: true }, { type: 'pool' }, { type: 'flatten' }, { units: 10 }], seed: 2 },
    optimizer: { name: 'nesterov', learningRate: 0.05, momentum: 0.9 }, batchSize: 10 },
  { name: 'your own rows (CSV), regression, adamw', data: ownRows,
    spec: { inputs: 3, layers: [{ units: 10, activation: 'tanh' }, { units: 1, activation: 'linear' }], loss: 'mse', seed: 3 },
    optimizer: { name: 'adamw', learningRate: 0.01, weightDecay: 0.01 }, batchSize: 7 },
];

describe('save, load, continue', () => {
  for (const c of CASES) {
    for (const k of [0, 1, 13]) {
      it(`${c.name}: saved at step ${k}, the next steps equal the uninterrupted run's, bit for bit`, () => {
        const data = c.data();
        const run = lab.network(c.spec).setOptimizer(c.optimizer);
        if (k) run.train(data, { steps: k, batchSize: c.batchSize });
        const files = runFiles(run, data, { batchSize: c.batchSize });
        const straight = lab.network(c.spec).setOptimizer(c.optimizer);   // never saved, never split
        straight.train(data, { steps: k + 9, batchSize: c.batchSize });
        const { net: loaded, data: loadedData, manifest } = loadRun(lab, files);
        assert.equal(loaded.step, k);
        assert.equal(manifest.batchSize, c.batchSize);
        for (let s = 0; s < 9; ++s) {
          const a = run.train(data, { steps: 1, batchSize: manifest.batchSize });
          const b = loaded.train(loadedData, { steps: 1, batchSize: manifest.batchSize });
          assert.ok(Object.is(a.loss, b.loss) && Object.is(a.accuracy, b.accuracy), `step ${k + s + 1}: ${a.loss} against ${b.loss}`);
        }
        assert.ok(equalBytes(loaded.saveState(), run.saveState()), 'the whole training state agrees');
        assert.ok(equalBytes(loaded.saveState(), straight.saveState()), 'and equals the run that was never saved');
        for (let i = 0; i < run.layers.length; ++i) assert.deepEqual(loaded.weights(i), straight.weights(i));
        for (const n of [run, straight, loaded, data, loadedData]) n.dispose();
      });
    }
  }

  it('a run saved just before it diverges diverges the same way after loading, and undoes the same step', () => {
    const data = lab.dataset('sine', { seed: 1 });
    const spec = { inputs: 1, layers: [{ units: 16, activation: 'tanh' }, { units: 1 }], seed: 3 };
    const probe = lab.network(spec).setOptimizer({ name: 'sgd', learningRate: 100 });
    const blown = probe.train(data, { steps: 50, batchSize: 8 });
    assert.equal(blown.status, 'diverged');
    const k = blown.step - 1;   // one kept step before the one that failed
    const run = lab.network(spec).setOptimizer({ name: 'sgd', learningRate: 100 });
    run.train(data, { steps: k, batchSize: 8 });
    const { net: loaded, data: same } = loadRun(lab, runFiles(run, data, { batchSize: 8 }));
    const a = run.train(data, { steps: 10, batchSize: 8 }), b = loaded.train(same, { steps: 10, batchSize: 8 });
    assert.equal(a.status, 'diverged');
    assert.deepEqual(b, a);
    assert.ok(equalBytes(loaded.saveState(), run.saveState()));
    assert.ok(equalBytes(run.saveState(), probe.saveState()), 'and both stand where the uninterrupted run stopped');
    for (const n of [probe, run, loaded, data, same]) n.dispose();
  });

  it('keeps the tensors as .npy copies of the right shapes, and the page settings as given', () => {
    const c = CASES[3], data = c.data();
    const net = lab.network(c.spec).setOptimizer(c.optimizer);
    net.train(data, { steps: 3, batchSize: 10 });
    const files = runFiles(net, data, { batchSize: 10, settings: '?data=digits&layers=c4' });
    const w0 = decodeNpy(files['weights/layer0.weights.npy']);
    assert.deepEqual(w0.shape, [3, 3, 1, 4]);
    assert.deepEqual(w0.array, net.weights(0));
    assert.deepEqual(decodeNpy(files['weights/layer3.weights.npy']).shape, [4 * 4 * 4, 10]);   // flatten of the pooled 4 x 4 x 4
    assert.deepEqual(decodeNpy(files['optimizer/velocity.npy']).array, net.optimizerState().velocity);
    assert.equal(json(files).settings, '?data=digits&layers=c4');
    assert.ok(json(files).files.includes('state.bin'));
    net.dispose(); data.dispose();
  });
});

describe('a run that does not fit is refused, and nothing is lost', () => {
  const c = CASES[1];
  const data = c.data();
  const saved = lab.network(c.spec).setOptimizer(c.optimizer);
  saved.train(data, { steps: 20, batchSize: c.batchSize });
  const files = runFiles(saved, data, { batchSize: c.batchSize });
  const state = files['state.bin'];
  const patched = (at, value) => {
    const s = state.slice();
    new DataView(s.buffer).setInt32(at, value, true);
    return { ...files, 'state.bin': s };
  };
  const flipped = state.slice();
  flipped[state.length - 100] ^= 1;
  const refusals = [
    ['no run.json', { 'state.bin': state }, /no run\.json, so it is not a saved gradlab run/],
    ['run.json not JSON', { ...files, 'run.json': new TextEncoder().encode('{ nope') }, /run\.json is not valid JSON/],
    ['another format', withJson(files, (m) => { m.format = 'tensorboard'; }), /says format "tensorboard"; a gradlab run says 'gradlab-run'/],
    ['another run version', withJson(files, (m) => { m.version = RUN_VERSION + 1; }), new RegExp(`run format version ${RUN_VERSION + 1}; this gradlab reads version ${RUN_VERSION}`)],
    ['no state.bin', { 'run.json': files['run.json'] }, /no state\.bin/],
    ['another state version', patched(4, 2), /state\.bin: the run state is format version 2; this gradlab reads version 1/],
    ['not a state', patched(0, 7), /not a gradlab run state/],
    ['a damaged state', { ...files, 'state.bin': flipped }, /damaged \(its checksum does not match/],
    ['a cut state', { ...files, 'state.bin': state.slice(0, state.length - 8) }, /says it has \d+ bytes but \d+ were given/],
    ['a wider layer', withJson(files, (m) => { m.network.layers[0].units = 17; }), /state\.bin: the saved network has \d+ parameters; this one has \d+/],
    ['another depth', withJson(files, (m) => { m.network.layers.splice(1, 1); }), /saved network has 3 layers; this one has 2/],
    ['another optimiser', withJson(files, (m) => { m.optimizer = { name: 'sgd', learningRate: 0.1 }; }), /saved optimiser is kind 5 with 2 state arrays; this network's is kind 0 with 0/],
    ['more samples', withJson(files, (m) => { m.data.options.samples = 260; }), /saved batch order covers 160 training rows; this data set has 208/],
    ['another data set', withJson(files, (m) => { m.data.name = 'digits'; }), /run\.json data: classes 3 is not allowed for 'digits'/],
    ['a bad network spec', withJson(files, (m) => { m.network.layers[0].units = 0; }), /run\.json network: .*units/],
    ['an edited weight copy', { ...files, 'weights/layer0.weights.npy': (() => { const b = files['weights/layer0.weights.npy'].slice(); b[b.length - 1] ^= 0x40; return b; })() },
      /weights\/layer0\.weights\.npy differs from state\.bin at value 31/],
    ['a weight copy that is not .npy', { ...files, 'weights/layer1.biases.npy': new Uint8Array(20) }, /weights\/layer1\.biases\.npy is not a \.npy file/],
  ];
  for (const [name, broken, message] of refusals) {
    it(`refuses ${name}`, () => {
      const before = saved.saveState(), live = lab.memoryStats().liveBytes;
      assert.throws(() => loadRun(lab, broken), (e) => e.name === 'GradlabError' && message.test(e.message) && /^this saved run cannot be loaded: /.test(e.message),
        `${name}: ${(() => { try { loadRun(lab, broken); return 'loaded'; } catch (e) { return e.message; } })()}`);
      assert.ok(equalBytes(saved.saveState(), before), 'the current run is untouched');
      assert.equal(lab.memoryStats().liveBytes, live, 'what the failed load made is freed again');
    });
  }

  it('loadState refuses bytes that are not a Uint8Array, and a state of another network', () => {
    const other = lab.network({ inputs: 2, layers: [{ units: 3 }], seed: 1 });
    assert.throws(() => other.loadState(data, [1, 2]), /must be a Uint8Array/);
    assert.throws(() => other.loadState(data, state), /the saved network has 3 layers; this one has 1/);
    other.dispose();
  });

  it('readRun gives the manifest of a good run', () => {
    assert.equal(readRun(files).step, 20);
  });
});
