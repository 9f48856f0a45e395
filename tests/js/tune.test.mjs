// Changing an optimiser's settings during a run (net.tune, gl_network_tune_optimizer): the weights
// and the optimiser's state are kept and the new settings apply from the next step. Checked against
// a twin whose engine state is the same by other means (saveState, then setOptimizer with the new
// settings and loadState), against SGD's update in closed form, and against Adam written out again
// in double precision with the moments carried across the change.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadGradlab, OPTIMIZERS } from '../../web/lib/gradlab.js';
import { OPTIMIZER_DEFAULTS } from '../../web/lib/names.js';

let lab;
before(async () => { lab = await loadGradlab(); });

const NETWORK = { inputs: 2, layers: [{ units: 12, activation: 'tanh' }, { units: 3, activation: 'softmax' }], seed: 5 };
const spiral = (seed) => lab.dataset('spiral', { samples: 120, classes: 3, noise: 0.1, seed });
const copies = (net) => net.layers.flatMap((_, i) => [net.weights(i).slice(), net.biases(i).slice()]);
const sameBits = (a, b) => a.length === b.length && a.every((x, i) => Buffer.from(x.buffer).equals(Buffer.from(b[i].buffer)));
const sameBytes = (a, b) => Buffer.from(a).equals(Buffer.from(b));
const stateCopies = (net) => Object.values(net.optimizerState()).filter((v) => v instanceof Float32Array).map((v) => v.slice());

/** Each optimiser, with the settings the run starts with and those it changes to. */
const CASES = {
  sgd: [{ learningRate: 0.5 }, { learningRate: 0.05, l2: 1e-3 }],
  momentum: [{ learningRate: 0.1, momentum: 0.9 }, { learningRate: 0.01, momentum: 0.5 }],
  nesterov: [{ learningRate: 0.1, momentum: 0.9 }, { learningRate: 0.02, weightDecay: 1e-3 }],
  adagrad: [{ learningRate: 0.1 }, { learningRate: 0.5, l1: 1e-4 }],
  rmsprop: [{ learningRate: 0.01, momentum: 0.5 }, { learningRate: 0.001, momentum: 0.9, alpha: 0.9 }],
  adam: [{ learningRate: 0.01 }, { learningRate: 0.001, beta1: 0.5, clipNorm: 1 }],
  adamw: [{ learningRate: 0.01, weightDecay: 0.01 }, { learningRate: 0.003, weightDecay: 0.1 }],
};
const SCHEDULE = { name: 'step', stepSize: 3, gamma: 0.5 };

describe('net.tune keeps the run and changes the settings from the next step', () => {
  it('covers every optimiser', () => assert.deepEqual(Object.keys(CASES).sort(), [...OPTIMIZERS].sort()));

  for (const [name, [start, patch]] of Object.entries(CASES)) {
    for (const seed of [1, 2, 3]) {
      it(`${name}, seed ${seed}: equals a twin whose engine state was loaded under the new settings`, () => {
        const data = spiral(seed), k = 7, m = 9;
        const spec = { name, ...start, schedule: SCHEDULE };
        const run = lab.network({ ...NETWORK, seed }).setOptimizer(spec);
        const untuned = lab.network({ ...NETWORK, seed }).setOptimizer(spec);
        run.train(data, { steps: k, batchSize: 16 });
        untuned.train(data, { steps: k, batchSize: 16 });
        const saved = untuned.saveState();
        const weightsBefore = copies(run), stateBefore = stateCopies(run);
        assert.ok(sameBits(weightsBefore, copies(untuned)), 'the two runs agree up to step k');

        run.tune(patch);
        assert.ok(sameBits(copies(run), weightsBefore), 'tune leaves the weights alone');
        assert.ok(sameBits(stateCopies(run), stateBefore), 'and the optimiser state');
        assert.equal(run.optimizerState().updates, k, 'and the count of updates (the place in the schedule)');
        assert.equal(run.step, k);

        // the twin: set up afresh with the new settings, then given the state of step k
        const twin = lab.network({ ...NETWORK, seed }).setOptimizer({ ...spec, ...patch }).loadState(data, saved);
        const first = run.train(data, { steps: 1, batchSize: 16 });
        twin.train(data, { steps: 1, batchSize: 16 });
        // step k+1 runs at the new base rate at the schedule's place k (three steps per halving)
        assert.equal(first.learningRate, Math.fround(Math.fround(patch.learningRate) * 0.5 ** Math.floor(k / 3)));
        run.train(data, { steps: m - 1, batchSize: 16 });
        twin.train(data, { steps: m - 1, batchSize: 16 });
        assert.equal(run.step, k + m);
        assert.ok(sameBits(copies(run), copies(twin)), 'bit for bit the twin\'s weights after k + m steps');
        assert.ok(sameBytes(run.saveState(), twin.saveState()), 'and its whole engine state');

        // what a reset does instead (setOptimizer clears the state and the schedule's place): a different run
        untuned.setOptimizer({ ...spec, ...patch }).train(data, { steps: m, batchSize: 16 });
        assert.ok(!sameBits(copies(untuned), copies(run)), 'a reset would have led elsewhere');
        for (const n of [run, twin, untuned]) n.dispose();
        data.dispose();
      });
    }
  }

  it('SGD: the step after the change moves the weights by exactly the new rate times the gradient', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const data = spiral(seed);
      const net = lab.network({ ...NETWORK, seed }).setOptimizer({ name: 'sgd', learningRate: 0.5 });
      net.train(data, { steps: 20 });
      for (const rate of [0.05, 2]) {
        const before = copies(net);
        net.tune({ learningRate: rate });
        const r = net.train(data, { steps: 1 });
        assert.equal(r.learningRate, Math.fround(rate));
        const lr = Math.fround(rate);
        net.layers.forEach((_, i) => {
          const g = net.gradients(i), gb = net.biasGradients(i), w = net.weights(i), b = net.biases(i);
          // float32 arithmetic as the engine does it: w - lr * g, each product and difference rounded
          w.forEach((v, j) => assert.equal(v, Math.fround(before[2 * i][j] - Math.fround(lr * g[j])), `seed ${seed} layer ${i} w[${j}]`));
          b.forEach((v, j) => assert.equal(v, Math.fround(before[2 * i + 1][j] - Math.fround(lr * gb[j])), `seed ${seed} layer ${i} b[${j}]`));
        });
      }
      net.dispose(); data.dispose();
    }
  });

  it('Adam: the moments and the bias correction carry across the change, as in a float64 Adam', () => {
    const beta1 = 0.9, beta2 = 0.999, eps = 1e-8, k = 15, m = 15;
    for (const seed of [1, 2, 3, 4, 5]) {
      const data = spiral(seed);
      const net = lab.network({ ...NETWORK, seed }).setOptimizer({ name: 'adam', learningRate: 0.01 });
      let w = copies(net);
      const mom = w.map((a) => new Float64Array(a.length)), vel = w.map((a) => new Float64Array(a.length));
      let largest = 0, resetGap = 0;
      for (let t = 1; t <= k + m; ++t) {
        const lr = t <= k ? 0.01 : 0.001;
        if (t === k + 1) net.tune({ learningRate: 0.001 });
        net.train(data, { steps: 1 });
        const now = copies(net);
        const grads = net.layers.flatMap((_, i) => [net.gradients(i), net.biasGradients(i)]);
        grads.forEach((g, a) => g.forEach((gi, j) => {
          mom[a][j] = beta1 * mom[a][j] + (1 - beta1) * gi;
          vel[a][j] = beta2 * vel[a][j] + (1 - beta2) * gi * gi;
          const step = (lr / (1 - beta1 ** t)) * mom[a][j] / (Math.sqrt(vel[a][j] / (1 - beta2 ** t)) + eps);
          const moved = w[a][j] - now[a][j];
          // float32 weights round each step to about 6e-8 of |w|
          const rounding = 4 * 2 ** -24 * Math.max(Math.abs(w[a][j]), Math.abs(now[a][j]));
          largest = Math.max(largest, Math.max(0, Math.abs(moved - step) - rounding) / Math.abs(step));
          // an optimiser started afresh at the change would take lr * g / (|g| + eps): about lr, signed
          if (t === k + 1) resetGap = Math.max(resetGap, Math.abs(moved - lr * gi / (Math.abs(gi) + eps)) / lr);
        }));
        w = now;
      }
      assert.ok(largest < 1e-4, `seed ${seed}: each step within ${largest} of the float64 Adam`);
      assert.ok(resetGap > 0.1, `seed ${seed}: and unlike a restarted Adam (${resetGap})`);
      const state = net.optimizerState();
      assert.equal(state.updates, k + m);
      net.dispose(); data.dispose();
    }
  });

  it('refuses another optimiser, a changed state layout and values out of range, and leaves the run as it was', () => {
    const data = spiral(1);
    const net = lab.network(NETWORK).setOptimizer({ name: 'rmsprop', learningRate: 0.01 });
    net.train(data, { steps: 5 });
    const before = net.saveState();
    assert.throws(() => net.tune({ name: 'adam' }), { name: 'GradlabError', message: /optimizer name 'adam' cannot change during a run \(it is 'rmsprop'\); setOptimizer starts/ });
    assert.throws(() => net.tune({ momentum: 0.9 }), { name: 'GradlabError', message: /'rmsprop' would keep 2 state arrays instead of 1/ });
    assert.throws(() => net.tune({ centered: true }), { name: 'GradlabError', message: /setOptimizer starts it afresh/ });
    assert.throws(() => net.tune({ learningRate: -1 }), { name: 'GradlabError', message: /^learningRate -1 is not allowed; it must be a number from 0 to \d+/ });
    assert.throws(() => net.tune({ alpha: 1.5 }), { name: 'GradlabError', message: /^alpha 1.5 is not allowed; it must be a number from 0 to 0.9999/ });
    assert.throws(() => net.tune({ l2: 'much' }), { name: 'GradlabError', message: /l2/ });
    assert.throws(() => net.tune({ beta1: 0.5 }), { name: 'GradlabError', message: /optimizer 'rmsprop' has no option 'beta1'/ });
    assert.throws(() => net.tune(null), { name: 'GradlabError', message: /tune must be an object/ });
    assert.ok(sameBytes(net.saveState(), before), 'nothing changed');
    assert.equal(net.train(data, { steps: 1 }).learningRate, Math.fround(0.01), 'and the old settings still apply');
    net.tune({ name: 'rmsprop', learningRate: 0.02 });   // the same name is a plain change
    assert.equal(net.train(data, { steps: 1 }).learningRate, Math.fround(0.02));
    net.dispose(); data.dispose();
  });

  it('before any step the rate it reports is the next step\'s, as after setOptimizer', () => {
    const net = lab.network(NETWORK).setOptimizer({ name: 'sgd', learningRate: 0.1 });
    net.tune({ learningRate: 0.3 });
    assert.equal(net.learningRate, Math.fround(0.3));
    assert.equal(net.optimizer.learningRate, 0.3);
    assert.deepEqual(net.optimizerSpec, { name: 'sgd', learningRate: 0.3 });
    net.dispose();
  });

  it('net.optimizer is net.optimizerSpec with its defaults filled in, after setOptimizer and every tune', () => {
    const filled = (net) => ({ ...OPTIMIZER_DEFAULTS[net.optimizerSpec.name], ...net.optimizerSpec });
    const net = lab.network(NETWORK);
    assert.deepEqual(net.optimizer, { name: 'sgd', ...OPTIMIZER_DEFAULTS.sgd }, 'before setOptimizer: sgd with its defaults');
    for (const [name, [start, change]] of Object.entries(CASES)) {
      net.setOptimizer({ name, ...start, schedule: SCHEDULE });
      assert.deepEqual(net.optimizerSpec, { name, ...start, schedule: SCHEDULE }, `${name}: the spec as set`);
      assert.deepEqual(net.optimizer, filled(net), `${name}: after setOptimizer`);
      net.tune(change);
      assert.deepEqual(net.optimizerSpec, { name, ...start, schedule: SCHEDULE, ...change }, `${name}: the spec as tuned`);
      assert.deepEqual(net.optimizer, filled(net), `${name}: after tune`);
      net.optimizer.schedule.gamma = 0.9;   // a read is a copy: changing it changes neither the spec nor the next read
      assert.equal(net.optimizerSpec.schedule.gamma, SCHEDULE.gamma);
      assert.equal(net.optimizer.schedule.gamma, SCHEDULE.gamma);
    }
    net.setOptimizer({ name: undefined, learningRate: 0.2 });   // an absent name is sgd, in both
    assert.deepEqual(net.optimizerSpec, { name: 'sgd', learningRate: 0.2 });
    net.tune({ name: undefined, learningRate: 0.3 });
    assert.deepEqual(net.optimizer, { name: 'sgd', learningRate: 0.3 });
    net.dispose();
  });
});
