// Optimisers, schedules and 2-D surfaces (issue 4), checked against independent computations:
// PyTorch's documented update rules written out again here in double precision, the classic
// convergence rates on a quadratic, and each schedule's formula.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadGradlab, OPTIMIZERS } from '../../web/lib/gradlab.js';

let lab;
before(async () => { lab = await loadGradlab(); });

/** PyTorch's torch.optim algorithms for one parameter vector, from its documentation. */
function reference(spec) {
  const o = { momentum: 0, alpha: 0.99, epsilon: 1e-8, beta1: 0.9, beta2: 0.999, weightDecay: 0, ...spec };
  if (o.name === 'momentum' || o.name === 'nesterov') o.momentum = spec.momentum ?? 0.9;
  if (o.name === 'adagrad') o.epsilon = spec.epsilon ?? 1e-10;
  if (o.name === 'adamw') o.weightDecay = spec.weightDecay ?? 0.01;
  const s = { t: 0 };
  return (w, grad) => {
    s.t += 1;
    const t = s.t, lr = o.learningRate;
    return w.map((wi, i) => {
      let g = grad[i] + (o.name === 'adamw' ? 0 : o.weightDecay * wi);
      switch (o.name) {
        case 'sgd': return wi - lr * g;
        case 'momentum': case 'nesterov': {
          s.b ??= []; s.b[i] = t === 1 ? g : o.momentum * s.b[i] + g;
          return wi - lr * (o.name === 'nesterov' ? g + o.momentum * s.b[i] : s.b[i]);
        }
        case 'adagrad': {
          s.sum ??= w.map(() => 0); s.sum[i] += g * g;
          return wi - lr * g / (Math.sqrt(s.sum[i]) + o.epsilon);
        }
        case 'rmsprop': {
          s.v ??= w.map(() => 0); s.ga ??= w.map(() => 0); s.buf ??= w.map(() => 0);
          s.v[i] = o.alpha * s.v[i] + (1 - o.alpha) * g * g;
          let v = s.v[i];
          if (o.centered) { s.ga[i] = o.alpha * s.ga[i] + (1 - o.alpha) * g; v -= s.ga[i] ** 2; }
          if (o.momentum > 0) { s.buf[i] = o.momentum * s.buf[i] + g / (Math.sqrt(v) + o.epsilon); return wi - lr * s.buf[i]; }
          return wi - lr * g / (Math.sqrt(v) + o.epsilon);
        }
        case 'adam': case 'adamw': {
          s.m ??= w.map(() => 0); s.v ??= w.map(() => 0);
          const w0 = o.name === 'adamw' ? wi * (1 - lr * o.weightDecay) : wi;
          s.m[i] = o.beta1 * s.m[i] + (1 - o.beta1) * g;
          s.v[i] = o.beta2 * s.v[i] + (1 - o.beta2) * g * g;
          const mh = s.m[i] / (1 - o.beta1 ** t), vh = s.v[i] / (1 - o.beta2 ** t);
          return w0 - lr * mh / (Math.sqrt(vh) + o.epsilon);
        }
      }
      throw new Error(o.name);
    });
  };
}

const bowlGrad = ([x, y]) => [x, 25 * y];
const SPECS = [
  { name: 'sgd', learningRate: 0.03, weightDecay: 0.1 },
  { name: 'momentum', learningRate: 0.03 },
  { name: 'nesterov', learningRate: 0.03, momentum: 0.8 },
  { name: 'adagrad', learningRate: 0.3 },
  { name: 'rmsprop', learningRate: 0.01 },
  { name: 'rmsprop', learningRate: 0.01, momentum: 0.5, centered: true },
  { name: 'adam', learningRate: 0.1 },
  { name: 'adamw', learningRate: 0.1, weightDecay: 0.05 },
];

describe('update rules', () => {
  for (const spec of SPECS) {
    it(`${JSON.stringify(spec)}: first three updates equal PyTorch's rule`, () => {
      const run = lab.optimize({ surface: 'bowl', start: [1.5, -0.6], optimizer: spec, steps: 3 });
      const step = reference(spec);
      let w = [1.5, -0.6];
      for (let t = 1; t <= 3; ++t) {
        w = step(w, bowlGrad(w));
        for (let i = 0; i < 2; ++i) {
          const got = run.path[2 * t + i];
          assert.ok(Math.abs(got - w[i]) <= 1e-5 * Math.max(1, Math.abs(w[i])), `step ${t}[${i}]: ${got} vs ${w[i]}`);
        }
      }
    });
  }

  it('a network applies the same rules to its parameters, with state readable from JS', () => {
    // one linear unit under MSE: read the gradient the step used, apply the reference, compare
    const data = lab.dataset({ x: new Float32Array([1, 2, -1, 0.5, 0.3, -2]), y: new Float32Array([1, -1, 2]), inputs: 2 });
    for (const spec of SPECS) {
      const net = lab.network({ inputs: 2, layers: [{ units: 1, activation: 'linear' }], init: { name: 'constant', value: 0.4 }, loss: 'mse' });
      net.setOptimizer(spec);
      const step = reference(spec);
      let w = [...net.weights(0), ...net.biases(0)];
      for (let t = 0; t < 3; ++t) {
        net.train(data, { steps: 1 });
        w = step(w, [...net.gradients(0), ...net.biasGradients(0)]);
        const got = [...net.weights(0), ...net.biases(0)];
        got.forEach((v, i) => assert.ok(Math.abs(v - w[i]) < 1e-5, `${spec.name} step ${t}: ${v} vs ${w[i]}`));
      }
      const state = net.optimizerState();
      assert.equal(state.updates, 3);
      if (spec.name === 'adam') assert.equal(state.m.length, 3);
      if (spec.name === 'momentum') assert.ok(state.velocity.some((v) => v !== 0));
      net.dispose();
    }
  });

  it('clipNorm scales the gradient to the given global norm', () => {
    const run = lab.optimize({ surface: 'bowl', start: [3, 1], optimizer: { name: 'sgd', learningRate: 0.1, clipNorm: 1 }, steps: 1 });
    const g = [3, 25], n = Math.hypot(...g);
    assert.ok(Math.abs(run.path[2] - (3 - 0.1 * g[0] / n)) < 1e-5);
    assert.ok(Math.abs(run.path[3] - (1 - 0.1 * g[1] / n)) < 1e-5);
  });
});

describe('surfaces', () => {
  const rate = (path, from, to) => {
    const norm = (t) => Math.hypot(path[2 * t], path[2 * t + 1]);
    return (norm(to) / norm(from)) ** (1 / (to - from));
  };

  it('on the bowl (kappa = 25), GD and momentum converge at the rates of the classic analysis', () => {
    const kappa = 25;
    const gd = lab.optimize({ surface: 'bowl', start: [1, 1], optimizer: { name: 'sgd', learningRate: 2 / (1 + 25) }, steps: 120 });
    const gdRate = rate(gd.path, 20, 120), gdTheory = (kappa - 1) / (kappa + 1);
    // heavy ball at its best: lr = 4 / (sqrt(l1) + sqrt(l2))^2, momentum = ((sqrt(k) - 1) / (sqrt(k) + 1))^2
    const sk = Math.sqrt(kappa);
    const hb = lab.optimize({ surface: 'bowl', start: [1, 1], steps: 120,
      optimizer: { name: 'momentum', learningRate: 4 / (1 + 5) ** 2, momentum: ((sk - 1) / (sk + 1)) ** 2 } });
    const hbRate = rate(hb.path, 20, 120), hbTheory = (sk - 1) / (sk + 1);
    console.log(`  bowl: GD rate ${gdRate.toFixed(4)} (theory ${gdTheory.toFixed(4)}), momentum ${hbRate.toFixed(4)} (theory ${hbTheory.toFixed(4)})`);
    assert.ok(Math.abs(gdRate / gdTheory - 1) < 0.05);
    assert.ok(Math.abs(hbRate / hbTheory - 1) < 0.05);
    assert.ok(hbRate < gdRate - 0.2, 'momentum is much faster in the ravine');
  });

  it('from (-1, 0.001) on the saddle, momentum escapes (|y| > 1) in fewer steps than GD at the same rate', () => {
    const escape = (optimizer) => {
      const r = lab.optimize({ surface: 'saddle', start: [-1, 0.001], optimizer, steps: 2000 });
      for (let t = 0; t <= r.steps; ++t) if (Math.abs(r.path[2 * t + 1]) > 1) return t;
      return Infinity;
    };
    const gd = escape({ name: 'sgd', learningRate: 0.01 });
    const mom = escape({ name: 'momentum', learningRate: 0.01, momentum: 0.9 });
    console.log(`  saddle: GD escapes at step ${gd}, momentum at step ${mom}`);
    assert.ok(Number.isFinite(gd) && mom < gd / 2);
  });

  it('Adam from (-1.2, 1) reaches the Rosenbrock minimum (1, 1) within 1e-2 in 5000 steps', () => {
    const r = lab.optimize({ surface: 'rosenbrock', start: [-1.2, 1], optimizer: { name: 'adam', learningRate: 0.01 }, steps: 5000 });
    let reached = -1;
    for (let t = 0; t <= r.steps && reached < 0; ++t) {
      if (Math.abs(r.path[2 * t] - 1) < 1e-2 && Math.abs(r.path[2 * t + 1] - 1) < 1e-2) reached = t;
    }
    console.log(`  rosenbrock: Adam (lr 0.01) within 1e-2 of (1, 1) at step ${reached}`);
    assert.ok(reached > 0);
    const end = r.path.length;
    assert.ok(Math.abs(r.path[end - 2] - 1) < 1e-2 && Math.abs(r.path[end - 1] - 1) < 1e-2);
  });

  it('surfaces have their known values, and grids follow x along rows', () => {
    const at = (name, x, y) => lab.surface(name, { x: [x, x + 1], y: [y, y + 1], resolution: 2 }).values[0];
    assert.equal(at('rosenbrock', 1, 1), 0);
    assert.ok(Math.abs(at('beale', 3, 0.5)) < 1e-6);
    for (const [x, y] of [[3, 2], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]]) {
      assert.ok(at('himmelblau', x, y) < 1e-4, `himmelblau minimum ${x}, ${y}`);
    }
    assert.equal(at('saddle', 2, 1), 3);
    const g = lab.surface('bowl', { x: [0, 2], y: [0, 1], resolution: 3 });
    assert.deepEqual(Array.from(g.values.slice(0, 3)), [0, 0.5, 2]);       // y = 0, x = 0, 1, 2
    assert.equal(g.values[3], 0.5 * 25 * 0.25);                              // y = 0.5, x = 0
    assert.equal(g.min, 0);
  });

  it('noise is seeded; divergence ends the path early instead of filling it with NaN', () => {
    const a = lab.optimize({ surface: 'bowl', start: [1, 1], optimizer: { name: 'sgd', learningRate: 0.01 }, steps: 50, noise: 0.5, seed: 3 });
    const b = lab.optimize({ surface: 'bowl', start: [1, 1], optimizer: { name: 'sgd', learningRate: 0.01 }, steps: 50, noise: 0.5, seed: 3 });
    const c = lab.optimize({ surface: 'bowl', start: [1, 1], optimizer: { name: 'sgd', learningRate: 0.01 }, steps: 50, noise: 0.5, seed: 4 });
    assert.deepEqual(a.path, b.path);
    assert.notDeepEqual(a.path, c.path);
    const d = lab.optimize({ surface: 'bowl', start: [1, 1], optimizer: { name: 'sgd', learningRate: 1 }, steps: 500 });
    assert.ok(d.diverged && d.steps < 500);
    assert.ok(d.path.every(Number.isFinite) && d.loss.every(Number.isFinite));
    assert.throws(() => lab.optimize({ surface: 'bowls' }), /surface 'bowls' is not known; allowed: bowl, saddle/);
    assert.throws(() => lab.surface('bowl', { x: [1, -1] }), /x \[1, -1\] is not allowed; it needs min < max/);
  });
});

describe('learning-rate schedules', () => {
  const close = (a, b) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  const check = (spec, formula, steps) => {
    const curve = lab.schedule(spec, Math.max(...steps) + 1);
    for (const t of steps) assert.ok(close(curve[t], formula(t)), `${spec.name} at ${t}: ${curve[t]} vs ${formula(t)}`);
  };
  const lr = 0.1;

  it('constant, step, exponential, inverse-time', () => {
    check({ name: 'constant', learningRate: lr }, () => lr, [0, 5, 999]);
    check({ name: 'step', learningRate: lr, stepSize: 30, gamma: 0.5 }, (t) => lr * 0.5 ** Math.floor(t / 30), [0, 29, 30, 59, 60, 200]);
    check({ name: 'exponential', learningRate: lr, gamma: 0.99 }, (t) => lr * 0.99 ** t, [0, 1, 100, 500]);
    check({ name: 'inverse-time', learningRate: lr, decay: 0.05 }, (t) => lr / (1 + 0.05 * t), [0, 1, 10, 1000]);
  });

  it('cosine annealing reaches the minimum at `steps` and stays there', () => {
    const f = (t) => 0.001 + 0.5 * (lr - 0.001) * (1 + Math.cos(Math.PI * Math.min(t, 100) / 100));
    check({ name: 'cosine', learningRate: lr, steps: 100, minLearningRate: 0.001 }, f, [0, 25, 50, 99, 100, 150]);
  });

  it('SGDR restarts at 0, T0, T0 + T0 Tmult, ...', () => {
    const curve = lab.schedule({ name: 'sgdr', learningRate: lr, period: 10, periodMultiplier: 2, minLearningRate: 0 }, 80);
    for (const t of [0, 10, 30, 70]) assert.ok(close(curve[t], lr), `restart at ${t}: ${curve[t]}`);
    assert.ok(curve[9] < 0.01 && curve[29] < 0.01 && curve[69] < 0.01, 'just before each restart the rate is near its minimum');
    const inPeriod = (t0, T, t) => 0.5 * lr * (1 + Math.cos(Math.PI * (t - t0) / T));
    check({ name: 'sgdr', learningRate: lr, period: 10, periodMultiplier: 2, minLearningRate: 0 }, (t) => t < 10 ? inPeriod(0, 10, t) : t < 30 ? inPeriod(10, 20, t) : inPeriod(30, 40, t), [3, 15, 22, 45, 69]);
  });

  it('cyclic: triangular peaks at the top every 2 stepSize, triangular2 halves them, exp_range decays them', () => {
    const top = 1.0;
    const tri = lab.schedule({ name: 'cyclic', learningRate: lr, maxLearningRate: top, stepSize: 20 }, 120);
    for (const t of [20, 60, 100]) assert.ok(close(tri[t], top), `peak at ${t}`);
    for (const t of [0, 40, 80]) assert.ok(close(tri[t], lr), `trough at ${t}`);
    assert.ok(close(tri[10], lr + (top - lr) * 0.5));
    const tri2 = lab.schedule({ name: 'cyclic', learningRate: lr, maxLearningRate: top, stepSize: 20, mode: 'triangular2' }, 120);
    assert.ok(close(tri2[20], top) && close(tri2[60], lr + (top - lr) / 2) && close(tri2[100], lr + (top - lr) / 4));
    const exp = lab.schedule({ name: 'cyclic', learningRate: lr, maxLearningRate: top, stepSize: 20, mode: 'exp_range', gamma: 0.99 }, 120);
    assert.ok(close(exp[60], lr + (top - lr) * 0.99 ** 60));
  });

  it('warmup ramps linearly into any schedule', () => {
    check({ name: 'cosine', learningRate: lr, steps: 100, warmup: 10 },
      (t) => 0.5 * lr * (1 + Math.cos(Math.PI * Math.min(t, 100) / 100)) * Math.min(1, (t + 1) / 10), [0, 4, 9, 10, 50]);
  });

  it('train reports the rate of its last step', () => {
    const data = lab.dataset('xor', { samples: 40 });
    const net = lab.network({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }] });
    net.setOptimizer({ name: 'sgd', learningRate: 0.1, schedule: { name: 'step', stepSize: 10, gamma: 0.5 } });
    assert.ok(close(net.train(data, { steps: 10 }).learningRate, 0.1));
    assert.ok(close(net.train(data, { steps: 1 }).learningRate, 0.05));
  });
});

describe('networks with every optimiser', () => {
  it('the spiral trains with each optimiser, and switching optimiser mid-run keeps the weights', () => {
    const data = lab.dataset('spiral', { samples: 300, classes: 3, noise: 0.1, testFraction: 0, seed: 1 });
    const rates = { sgd: 0.5, momentum: 0.1, nesterov: 0.1, adagrad: 0.1, rmsprop: 0.005, adam: 0.01, adamw: 0.01 };
    for (const name of OPTIMIZERS) {
      const net = lab.network({ inputs: 2, layers: [{ units: 64, activation: 'relu' }, { units: 3, activation: 'softmax' }], init: 'he', seed: 2 });
      net.setOptimizer({ name, learningRate: rates[name] });
      const first = net.train(data, { steps: 1, batchSize: 32 }).loss;
      net.train(data, { steps: 1500, batchSize: 32 });
      const { loss, accuracy } = net.evaluate(data);
      assert.ok(loss < first / 2 && accuracy > 0.8, `${name}: loss ${first} -> ${loss}, accuracy ${accuracy}`);
      net.dispose();
    }
    const net = lab.network({ inputs: 2, layers: [{ units: 32, activation: 'relu' }, { units: 3, activation: 'softmax' }], seed: 3 });
    net.setOptimizer({ name: 'adam', learningRate: 0.01 });
    net.train(data, { steps: 200, batchSize: 32 });
    const weights = net.weights(0).slice();
    net.setOptimizer({ name: 'momentum', learningRate: 0.05 });
    assert.deepEqual(net.weights(0).slice(), weights, 'weights kept');
    const state = net.optimizerState();
    assert.equal(state.updates, 0);
    assert.ok(state.velocity.every((v) => v === 0), 'state reset');
    const before = net.evaluate(data).loss;
    net.train(data, { steps: 300, batchSize: 32 });
    assert.ok(net.evaluate(data).loss < before);
  });
});
