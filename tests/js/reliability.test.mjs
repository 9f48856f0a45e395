// Reliability on both wasm builds: hostile arguments at every JS entry, the limits table, divergence
// undone, 10,000 create/dispose cycles, requests larger than wasm memory, determinism across modules.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, before } from 'node:test';
import { loadGradlab, GradlabError } from '../../web/lib/gradlab.js';

const root = new URL('../../', import.meta.url);
const linear = (lab, seed = 3) => lab.network({ inputs: 2, layers: [{ units: 1, activation: 'linear' }], loss: 'mse', seed });
const small = (lab) => lab.network({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }], seed: 1 });

/** y = x0 + 2 x1 + 1 on a grid, as user rows */
function planeRows(lab) {
  const x = new Float32Array(128), y = new Float32Array(64);
  for (let i = 0; i < 64; ++i) {
    x[2 * i] = (i % 8) / 4 - 1; x[2 * i + 1] = Math.floor(i / 8) / 4 - 1;
    y[i] = x[2 * i] + 2 * x[2 * i + 1] + 1;
  }
  return lab.dataset({ x, y, inputs: 2 });
}

/** asserts fn throws a GradlabError whose message matches every pattern */
function refuses(fn, ...patterns) {
  let error = null;
  try { fn(); } catch (e) { error = e; }
  assert.ok(error instanceof GradlabError, `expected a GradlabError, got ${error}`);
  for (const p of patterns) assert.match(error.message, p);
  return error.message;
}

for (const simd of [true, false]) {
  describe(`reliability, ${simd ? 'SIMD' : 'scalar'} build`, () => {
    let lab;
    before(async () => { lab = await loadGradlab({ simd }); });

    it('refuses hostile arguments at every entry, naming the argument, the value and the range', () => {
      const start = lab.memoryStats().liveBytes;
      const data = lab.dataset('xor', { samples: 40, testFraction: 0 });
      const net = small(lab);
      const other = linear(lab);
      const cases = [
        // data sets by name
        [() => lab.dataset(42), /dataset must be an object, not 42/],
        [() => lab.dataset('spiral', null), /dataset options must be an object, not null/],
        [() => lab.dataset('spiral', { samples: 1e7 }), /samples 10000000 .* 2 to 1000000/],
        [() => lab.dataset('spiral', { samples: '300' }), /samples '300' .*integer/],
        [() => lab.dataset('spiral', { noise: -1 }), /noise -1 .* 0 to 10/],
        [() => lab.dataset('spiral', { noise: NaN }), /noise NaN/],
        [() => lab.dataset('spiral', { testFraction: 1 }), /testFraction 1 .* 0 to 0.95/],
        [() => lab.dataset('spiral', { seed: -1 }), /seed -1 .* 0 to 4294967295/],
        [() => lab.dataset('spiral', { classes: 65 }), /classes 65 .* 2 to 64/],
        [() => lab.dataset('xor', { classes: 3 }), /classes 3 is not allowed for 'xor'/],
        [() => lab.dataset('spiral', JSON.parse('{"__proto__": {"samples": 5}}')), /has no option '__proto__'/],
        // user rows
        [() => lab.dataset({ x: [1, 2], y: new Int32Array(1), inputs: 2 }), /x must be a Float32Array/],
        [() => lab.dataset({ x: new Float32Array(2), y: [0], inputs: 2 }), /y must be an Int32Array .* or a Float32Array/],
        [() => lab.dataset({ x: new Float32Array(3), y: new Int32Array(1), inputs: 2 }), /x has 3 values, not a whole number of rows of 2/],
        [() => lab.dataset({ x: new Float32Array([0, NaN]), y: new Int32Array([0]), inputs: 2 }), /x\[1\] is nan; inputs must be finite/],
        [() => lab.dataset({ x: new Float32Array([0, Infinity]), y: new Float32Array([0]), inputs: 2 }), /x\[1\] is inf/],
        [() => lab.dataset({ x: new Float32Array(2), y: new Float32Array([NaN]), inputs: 2 }), /y\[0\] is nan; targets must be finite/],
        [() => lab.dataset({ x: new Float32Array(4), y: new Int32Array([0, -1]), inputs: 2 }), /y\[1\] is -1; class ids must be integers 0..4095/],
        [() => lab.dataset({ x: new Float32Array(4), y: new Int32Array([0, 7]), inputs: 2, classes: 3 }), /y\[1\] is 7; class ids must be in 0..2/],
        [() => lab.dataset({ x: new Float32Array(4), y: new Int32Array(2), inputs: 0 }), /inputs 0 .* 1 to 4096/],
        // networks
        [() => lab.network(null), /network must be an object, not null/],
        [() => lab.network({ inputs: 1e9, layers: [{ units: 1 }] }), /inputs 1000000000 .* 1 to 16384/],
        [() => lab.network({ inputs: 2, layers: [] }), /layers must be an array of 1 to 64/],
        [() => lab.network({ inputs: 2, layers: [{ units: -1 }] }), /layers\[0\]\.units -1 .* 1 to 4096/],
        [() => lab.network({ inputs: 2, layers: [{ units: 2.5 }] }), /layers\[0\]\.units 2.5 .*integer/],
        [() => lab.network({ inputs: 2, layers: [7] }), /layers\[0\] must be an object, not 7/],
        [() => lab.network({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }, { units: 2 }] }), /softmax.*only on the last layer/],
        [() => lab.network({ inputs: 2, layers: [{ units: 2 }], init: { name: 'normal', std: -1 } }), /init\.std -1 .* 0 to 1000000/],
        [() => lab.network({ inputs: 2, layers: [{ units: 2 }], init: { name: 'uniform', a: 1, b: 0 } }), /init\.b 0 .* 1 to 1000000/],
        [() => lab.network({ inputs: 2, layers: [{ units: 2 }], loss: 'hinge' }), /loss 'hinge' is not known/],
        [() => lab.network({ inputs: 2, layers: [{ units: 2 }], seed: 2 ** 32 }), /seed 4294967296/],
        [() => lab.network(JSON.parse('{"inputs": 2, "layers": [{"units": 1}], "constructor": 1}')), /has no option 'constructor'/],
        // optimisers and schedules
        [() => net.setOptimizer({ name: 'sgd', learningRate: Infinity }), /learningRate Infinity .* 0 to 1000/],
        [() => net.setOptimizer({ name: 'momentum', momentum: 1 }), /momentum 1 .* 0 to 0.9999/],
        [() => net.setOptimizer({ name: 'sgd', schedule: { name: 'sgdr', periodMultiplier: 1.5 } }), /periodMultiplier 1.5 .*integer from 1 to 100/],
        [() => net.setOptimizer({ name: 'sgd', schedule: { name: 'cyclic', mode: 'up' } }), /schedule.mode 'up' is not known/],
        [() => net.setOptimizer({ name: 'adam', momentum: 0.9 }), /optimizer 'adam' has no option 'momentum'/],
        [() => lab.schedule('cosine', -1), /steps -1 .* 0 to 10000000/],
        [() => lab.schedule('cosine', 1e8), /steps 100000000/],
        // training and reading
        [() => net.train(data, 'fast'), /train options must be an object/],
        [() => net.train(data, { steps: -1 }), /steps -1/],
        [() => net.train(data, { steps: 1e8 }), /steps 100000000 .* 0 to 10000000/],
        [() => net.train(data, { batchSize: 1e6 }), /batchSize 1000000 .* 0 to 65536/],
        [() => net.train(other), /data must be a data set made by lab.dataset\(\) of the same lab/],
        [() => net.train({ live: () => 4096 }), /data must be a data set/],
        [() => net.evaluate(data, 'valid'), /split 'valid' is not known/],
        [() => net.evaluate(data, 'test'), /split 1 \(test\) has no rows/],
        [() => net.predict([1, 2]), /x must be a Float32Array/],
        [() => net.predict(new Float32Array(4), 0), /rows 0 .* 1 to 1000000/],
        [() => net.predict(new Float32Array(4), 3), /x has 4 values; 3 rows of 2 inputs need 6/],
        [() => net.predict(new Float32Array([0, -Infinity])), /x\[1\] is -inf/],
        [() => net.forward(new Float32Array(2), 1, null), /forward options must be an object/],
        [() => net.tensor(5, 'weights'), /layer 5 .* 0 to 1/],
        [() => net.tensor(0, 'bias'), /tensor 'bias' is not known; allowed: weights, biases/],
        [() => data.rows('valid'), /split 'valid' is not known/],
      ];
      for (const [fn, pattern] of cases) refuses(fn, pattern);
      // data of another module is refused too
      return loadGradlab({ simd }).then((lab2) => {
        const foreign = lab2.dataset('xor', { samples: 40 });
        refuses(() => net.train(foreign), /of the same lab/);
        // and the module keeps working
        net.setOptimizer({ name: 'sgd', learningRate: 0.5 });
        assert.equal(net.train(data, { steps: 20 }).status, 'ok');
        net.dispose(); other.dispose(); data.dispose();
        assert.equal(lab.memoryStats().liveBytes, start, 'nothing left behind by the refusals');
      });
    });

    it('refuses a request over each limit up front, with the number, building nothing', () => {
      const start = lab.memoryStats().liveBytes;
      const wide = (n, units = 4096) => Array.from({ length: n }, () => ({ units, activation: 'relu' }));
      refuses(() => lab.network({ inputs: 2, layers: wide(65, 2) }), /1 to 64/);
      refuses(() => lab.network({ inputs: 2, layers: [{ units: 4097 }] }), /units 4097 .* 1 to 4096/);
      refuses(() => lab.network({ inputs: 16385, layers: [{ units: 1 }] }), /inputs 16385 .* 1 to 16384/);
      refuses(() => lab.network({ inputs: 4096, layers: wide(3), loss: 'mse' }), /50343936 parameters; the limit is 33554432/);
      refuses(() => lab.dataset('spiral', { samples: 1000001 }), /samples 1000001 .* 2 to 1000000/);
      refuses(() => lab.dataset({ x: new Float32Array(33554496), y: new Float32Array(524289), inputs: 64 }),
        /x has 33554496 values \(samples x inputs\); the limit is 33554432/);
      refuses(() => lab.dataset({ x: new Float32Array(1000001), y: new Int32Array(1000001), inputs: 1 }), /1000001 rows; the limit is 1000000/);
      assert.equal(lab.memoryStats().liveBytes, start, 'nothing built by refused makes');

      // 262145 rows x 4096 units: the old byte count wrapped (32-bit size_t) to a 4 MB block, and the
      // forward pass then wrote past it and trapped. Now it is refused before anything is allocated.
      const big = lab.dataset('spiral', { samples: 262145, classes: 2, testFraction: 0 });
      const net = lab.network({ inputs: 2, layers: [{ units: 4096, activation: 'relu' }, { units: 2, activation: 'softmax' }] });
      const before = lab.memoryStats().liveBytes;
      refuses(() => net.train(big), /a full batch of 262145 rows through this network needs 16393 MiB .* limit is 1024 MiB/);
      refuses(() => net.train(big, { batchSize: 65537 }), /batchSize 65537 .* 0 to 65536/);
      refuses(() => net.train(big, { steps: 10000001 }), /steps 10000001 .* 0 to 10000000/);
      assert.equal(lab.memoryStats().liveBytes, before, 'nothing allocated by refused training');
      assert.equal(net.train(big, { batchSize: 32 }).status, 'ok');
      net.dispose(); big.dispose();

      const sets = [];
      let message = null;
      try {
        for (let i = 0; i < 4097; ++i) sets.push(lab.dataset('plane', { samples: 2, seed: i }));
      } catch (e) { message = e.message; }
      assert.equal(sets.length, 4096);
      assert.match(message, /more than 4096 live data sets/);
      for (const d of sets) d.dispose();
      assert.equal(lab.memoryStats().liveBytes, start, 'all freed');
    });

    it('the limits table in docs/reliability.md matches src/gradlab.h', () => {
      const header = readFileSync(new URL('src/gradlab.h', root), 'utf8');
      const doc = readFileSync(new URL('docs/reliability.md', root), 'utf8');
      const limits = [...header.matchAll(/#define (GL_LIMIT_\w+) (\d+)L?/g)].map(([, name, value]) => [name, Number(value)]);
      assert.ok(limits.length >= 9, 'limits found in the header');
      for (const [name, value] of limits) {
        const row = doc.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${name}\``));
        assert.ok(row, `${name} has a row in the table`);
        assert.ok(row.replace(/[ ,]/g, '').includes(`|${value}|`), `${name} = ${value} in the table: ${row}`);
      }
    });

    it('a too-large learning rate stops at the bad step, keeps the weights before it, and a lower rate carries on', () => {
      for (const name of ['sgd', 'momentum']) {
        const data = planeRows(lab);
        const net = linear(lab);
        net.setOptimizer({ name, learningRate: 100 });
        const snapshots = [];
        let result = null;
        for (let s = 0; s < 64 && !result; ++s) {
          snapshots.push([...net.weights(0), ...net.biases(0)]);
          const r = net.train(data, { steps: 1 });
          if (r.status === 'diverged') result = r;
        }
        assert.ok(result, `${name}: diverged within 64 steps`);
        // the loss stopped being finite at the weights after step k; the update that got there is undone
        const k = result.step;
        assert.equal(snapshots.length, k + 2, `${name}: reported ${k} steps kept`);
        assert.equal(net.step, k);
        assert.deepEqual([...net.weights(0), ...net.biases(0)], snapshots[k], `${name}: the weights from before the bad step`);
        assert.ok(snapshots[k].every(Number.isFinite));
        assert.ok(!Number.isFinite(result.loss));
        net.setOptimizer({ name: 'sgd', learningRate: 0.3 });
        const r = net.train(data, { steps: 400 });
        assert.equal(r.status, 'ok', `${name}: a lower rate continues`);
        assert.equal(r.step, k + 400);
        assert.ok(r.loss < 1e-6, `${name}: and fits (loss ${r.loss})`);
        const [w0, w1, b] = [...net.weights(0), ...net.biases(0)];
        assert.ok(Math.abs(w0 - 1) < 1e-3 && Math.abs(w1 - 2) < 1e-3 && Math.abs(b - 1) < 1e-3, `${name}: y = x0 + 2 x1 + 1`);
        net.dispose(); data.dispose();
      }
      // many steps in one call stop at the same place as one step per call
      const data = planeRows(lab);
      const net = linear(lab);
      net.setOptimizer({ name: 'sgd', learningRate: 100 });
      const r = net.train(data, { steps: 1000 });
      assert.equal(r.status, 'diverged');
      assert.equal(r.steps, r.step, 'steps run in this call = steps kept');
      net.dispose(); data.dispose();
    });

    it('divergence also restores batch norm\'s running statistics from before the undone step', () => {
      const data = planeRows(lab);
      for (const lr of [10, 1000]) {
        const net = lab.network({ inputs: 2, layers: [{ units: 8, activation: 'relu', batchNorm: true }, { units: 1, activation: 'linear' }], loss: 'mse', seed: 2 });
        net.setOptimizer({ name: 'sgd', learningRate: lr });
        const state = () => [...net.runningMean(0), ...net.runningVar(0), ...net.weights(0), ...net.weights(1), ...net.biases(1)];
        const snapshots = [];
        let r = null;
        for (let s = 0; s < 100 && r?.status !== 'diverged'; ++s) {
          snapshots.push(state());
          r = net.train(data, { steps: 1, batchSize: 16 });
        }
        assert.equal(r.status, 'diverged', `rate ${lr} diverges`);
        assert.deepEqual(state(), snapshots[r.step], `rate ${lr}: weights and running statistics from before step ${r.step}`);
        assert.ok(state().every(Number.isFinite));
        net.dispose();
      }
      data.dispose();
    });

    it('10,000 create/train/dispose cycles of networks and data sets leave liveBytes where it started', () => {
      const start = lab.memoryStats().liveBytes;
      for (let i = 0; i < 10000; ++i) {
        const data = lab.dataset('moons', { samples: 24, seed: i });
        const net = lab.network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 2, activation: 'softmax' }], seed: i });
        if (i % 2) net.setOptimizer({ name: 'adam', learningRate: 0.01 });
        net.train(data, { steps: 1, batchSize: i % 3 ? 8 : 0 });
        net.dispose(); data.dispose();
      }
      const end = lab.memoryStats().liveBytes;
      console.log(`  ${simd ? 'SIMD' : 'scalar'}: liveBytes ${start} before and ${end} after 10,000 cycles`);
      assert.equal(end, start);
      const data = lab.dataset('moons');
      data.dispose();
      refuses(() => data.rows(), /data set 'moons' was disposed/);
      const net = small(lab);
      net.dispose();
      refuses(() => net.setOptimizer({ name: 'sgd' }), /disposed/);
      refuses(() => net.predict(new Float32Array(2)), /disposed/);
      refuses(() => net.info(), /disposed/);
    });

    it('refuses requests larger than wasm memory (1 GiB) with a clear error, and keeps working', async () => {
      const own = await loadGradlab({ simd }); // a fresh module: this one grows to its maximum
      const start = own.memoryStats().liveBytes;
      const huge = { inputs: 2048, layers: [{ units: 4096, activation: 'relu' }, { units: 4096, activation: 'relu' }, { units: 2, activation: 'softmax' }], init: 'zeros' };
      const nets = [];
      let message = null;
      try {
        for (let i = 0; i < 8; ++i) nets.push(own.network(huge));
      } catch (e) { message = e.message; }
      assert.ok(nets.length >= 1 && nets.length < 8, `${nets.length} networks of 25 M parameters fit`);
      assert.match(message, /not enough memory for a network of 25182210 parameters/);
      for (const n of nets) n.dispose();
      assert.equal(own.memoryStats().liveBytes, start);

      // a full batch under the pass limit whose buffers still do not fit in what is left
      const data = own.dataset('spiral', { samples: 15000, classes: 2, testFraction: 0 });
      const net = own.network({ inputs: 2, layers: [{ units: 4096, activation: 'relu' }, { units: 2, activation: 'softmax' }] });
      const keep = own.network(huge);
      const before = own.memoryStats().liveBytes;
      refuses(() => net.train(data), /not enough memory for a batch of 15000 rows; use a smaller batchSize/);
      assert.equal(own.memoryStats().liveBytes, before, 'nothing half-allocated');
      keep.dispose();
      net.setOptimizer({ name: 'sgd', learningRate: 0.1 });
      assert.equal(net.train(data, { steps: 2, batchSize: 64 }).status, 'ok', 'the module keeps working');
      net.dispose(); data.dispose();
      assert.equal(own.memoryStats().liveBytes, start);
    });

    it('is deterministic: same seed, fresh modules, any split of steps into calls', async () => {
      const run = async (chunks) => {
        const own = await loadGradlab({ simd });
        const data = own.dataset('spiral', { samples: 120, classes: 3, seed: 4 });
        const net = own.network({ inputs: 2, layers: [{ units: 12, activation: 'tanh' }, { units: 3, activation: 'softmax' }], seed: 9 });
        net.setOptimizer({ name: 'adam', learningRate: 0.02, schedule: { name: 'cosine', steps: 100, warmup: 10 } });
        for (const steps of chunks) net.train(data, { steps, batchSize: 10 });
        return [...net.weights(0), ...net.weights(1), ...net.biases(1), net.step, net.learningRate];
      };
      const once = await run([100]);
      assert.deepEqual(await run([100]), once, 'same seed, another module: bit-identical');
      assert.deepEqual(await run(Array(100).fill(1)), once, '100 x 1 step = 1 x 100 steps (adam, cosine schedule, minibatches)');
      assert.deepEqual(await run([7, 50, 43]), once, '7 + 50 + 43 steps');
    });
  });
}
