// The three instruments (web/lib/instruments.js over src/landscape.c, src/hessian.c, src/lrfind.c),
// each checked against an independent computation: the landscape against net.evaluate with the
// weights moved by hand, the directions against their stated norms, λmax against the closed form of a
// linear least-squares model and against a Hessian built column by column from finite differences of
// net.gradients, the range test's curve and suggestions against their definitions. Every instrument
// must leave the network bit for bit as it was: a twin that never ran it must train on and evaluate
// identically, in the SIMD and the scalar build.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { rng } from './rng.mjs';

const lab = await loadGradlab();
const scalarLab = await loadGradlab({ simd: false });


/** The whole parameter arena (W, b, gamma, beta of every layer, in the engine's order) as one view. */
function parameters(net) {
  const first = net.weights(0);
  return new Float32Array(first.buffer, first.byteOffset, net.info().parameters);
}
function gradientArena(net) {
  const first = net.gradients(0);
  return new Float32Array(first.buffer, first.byteOffset, net.info().parameters);
}

/** Everything an instrument must leave alone, copied. */
function state(net) {
  // rows (of the last pass) is left out: the activation views show the instrument's last pass
  const { rows, ...info } = net.info();
  const s = { params: parameters(net).slice(), grads: gradientArena(net).slice(), info };
  const opt = net.optimizerState();
  s.optimizer = Object.fromEntries(Object.entries(opt).map(([k, v]) => [k, v instanceof Float32Array ? v.slice() : v]));
  s.bn = net.layers.map((_, i) => [net.runningMean(i).slice(), net.runningVar(i).slice()]);
  return s;
}

function assertSameState(a, b, what) {
  assert.deepEqual(b.info, a.info, `${what}: counters`);
  assert.ok(Buffer.from(a.params.buffer).equals(Buffer.from(b.params.buffer)), `${what}: weights bit for bit`);
  assert.ok(Buffer.from(a.grads.buffer).equals(Buffer.from(b.grads.buffer)), `${what}: gradients bit for bit`);
  for (const key of Object.keys(a.optimizer)) {
    const x = a.optimizer[key], y = b.optimizer[key];
    if (x instanceof Float32Array) assert.ok(Buffer.from(x.buffer).equals(Buffer.from(y.buffer)), `${what}: optimiser ${key}`);
    else assert.equal(y, x, `${what}: optimiser ${key}`);
  }
  a.bn.forEach(([m, v], i) => {
    assert.ok(Buffer.from(m.buffer).equals(Buffer.from(b.bn[i][0].buffer)), `${what}: running mean ${i}`);
    assert.ok(Buffer.from(v.buffer).equals(Buffer.from(b.bn[i][1].buffer)), `${what}: running var ${i}`);
  });
}

const BUSY = {
  inputs: 2, seed: 5,
  layers: [{ units: 16, activation: 'relu', batchNorm: true, dropout: 0.2 }, { units: 12, activation: 'tanh' }, { units: 3, activation: 'softmax' }],
};

function spiral(seed = 1) { return lab.dataset('spiral', { samples: 240, classes: 3, noise: 0.1, testFraction: 0.2, seed }); }

/** Largest eigenvalue of a symmetric matrix (array of rows) by cyclic Jacobi rotations, in double. */
function topEigenvalue(matrix) {
  const n = matrix.length, a = matrix.map((r) => r.slice());
  for (let sweep = 0; sweep < 100; ++sweep) {
    let off = 0;
    for (let i = 0; i < n; ++i) for (let j = 0; j < n; ++j) if (i !== j) off += a[i][j] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; ++p) for (let q = p + 1; q < n; ++q) {
      if (a[p][q] === 0) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < n; ++k) { const x = a[k][p], y = a[k][q]; a[k][p] = c * x - s * y; a[k][q] = s * x + c * y; }
      for (let k = 0; k < n; ++k) { const x = a[p][k], y = a[q][k]; a[p][k] = c * x - s * y; a[q][k] = s * x + c * y; }
    }
  }
  return Math.max(...a.map((r, i) => r[i]));
}

/**
 * The Hessian of the full-batch training loss at the current weights, column by column from central
 * differences (step 1e-2) of net.gradients, symmetrised. Each gradient comes from a full-batch step at
 * rate 0, which leaves the weights as they are; the optimiser is left at SGD with rate 0.
 */
function finiteDifferenceHessian(net, data) {
  net.setOptimizer({ name: 'sgd', learningRate: 0 });
  const w = parameters(net), P = w.length, h = 1e-2;
  const gradient = () => { net.train(data, { steps: 1 }); return Float64Array.from(gradientArena(net)); };
  const H = [];
  for (let k = 0; k < P; ++k) {
    const keep = w[k];
    parameters(net)[k] = keep + h; const gp = gradient();
    parameters(net)[k] = keep - h; const gm = gradient();
    parameters(net)[k] = keep;
    H.push(Array.from(gp, (v, i) => (v - gm[i]) / (2 * h)));
  }
  return H.map((row, i) => row.map((v, j) => (v + H[j][i]) / 2));
}

describe('lossLandscape', () => {
  it('is the loss of net.evaluate at (0, 0), over all rows and over the first rows', () => {
    for (const seed of [1, 2, 3]) {
      const data = spiral(seed);
      const net = lab.network({ ...BUSY, seed });
      net.setOptimizer({ name: 'adam', learningRate: 0.01 });
      net.train(data, { steps: 30, batchSize: 32 });
      const L = net.lossLandscape(data, { resolution: 5, span: 0.5, seed });
      const mid = 2 * 5 + 2;
      assert.equal(L.alpha[2], 0); assert.equal(L.beta[2], 0);
      assert.equal(L.values[mid], net.evaluate(data).loss, `seed ${seed}: centre of the grid`);
      assert.equal(L.center.loss, net.evaluate(data).loss);
      // the first 50 rows, as a data set of their own (testFraction 0 keeps the order)
      const { x, y } = data.rows('train');
      const first = lab.dataset({ x: x.slice(0, 100), y: y.slice(0, 50), inputs: 2, classes: 3, testFraction: 0 });
      const part = net.lossLandscape(data, { resolution: 3, rows: 50, seed });
      assert.equal(part.values[4], net.evaluate(first).loss);
      assert.equal(part.rows, 50);
      first.dispose(); net.dispose(); data.dispose();
    }
  });

  it('along d1 (beta = 0) equals the losses of the weights moved by hand', () => {
    const data = spiral(4);
    const net = lab.network({ ...BUSY, seed: 9 });
    net.setOptimizer({ name: 'momentum', learningRate: 0.05 });
    net.train(data, { steps: 40, batchSize: 48 });
    const res = 7;
    const L = net.lossLandscape(data, { resolution: res, span: 0.8, seed: 11 });
    const w0 = parameters(net).slice(), [d1, d2] = L.vectors;
    const row = (res - 1) / 2;
    for (let j = 0; j < res; ++j) {
      const p = parameters(net);
      for (let k = 0; k < p.length; ++k) p[k] = w0[k] + Math.fround(L.alpha[j] * d1[k]);
      assert.equal(L.values[row * res + j], net.evaluate(data).loss, `alpha ${L.alpha[j]}`);
    }
    // and one point off both axes, to within float rounding of the weights
    const p = parameters(net);
    for (let k = 0; k < p.length; ++k) p[k] = w0[k] + L.alpha[1] * d1[k] + L.beta[5] * d2[k];
    assert.ok(Math.abs(L.values[5 * res + 1] - net.evaluate(data).loss) < 1e-5);
    parameters(net).set(w0);
    net.dispose(); data.dispose();
  });

  it('has filter-normalised random directions: each unit or filter scaled to its own norm in w, biases and batch norm 0', () => {
    const images = lab.dataset('digits', { samples: 60, seed: 2 });
    const nets = [
      lab.network({ ...BUSY, seed: 3 }),
      lab.network({
        inputs: [12, 12, 1], seed: 4, layers: [{ type: 'conv', filters: 4, kernel: 3, activation: 'relu', batchNorm: true },
          { type: 'pool' }, { type: 'flatten' }, { units: 10, activation: 'softmax' }],
      }),
    ];
    const sets = [spiral(5), images];
    nets.forEach((net, n) => {
      const L = net.lossLandscape(sets[n], { resolution: 3, seed: 21 });
      const base = net.weights(0).byteOffset;
      for (const d of L.vectors) {
        net.layers.forEach((layer, i) => {
          const w = net.weights(i);
          if (!w.length) return;
          const off = (w.byteOffset - base) / 4, cols = layer.shape[2], rows = w.length / cols;
          for (let j = 0; j < cols; ++j) {
            let ww = 0, dd = 0;
            for (let r = 0; r < rows; ++r) { ww += w[r * cols + j] ** 2; dd += d[off + r * cols + j] ** 2; }
            assert.ok(Math.abs(Math.sqrt(dd) - Math.sqrt(ww)) <= 1e-5 * Math.sqrt(ww), `net ${n} layer ${i} unit ${j}`);
          }
          for (const view of [net.biases(i), net.gamma(i), net.beta(i)]) {
            const o = (view.byteOffset - base) / 4;
            for (let k = 0; k < view.length; ++k) assert.equal(d[o + k], 0, `net ${n} layer ${i}: not a weight`);
          }
        });
      }
      // two seeds, two different planes; one seed, the same plane
      const again = net.lossLandscape(sets[n], { resolution: 3, seed: 21 });
      const other = net.lossLandscape(sets[n], { resolution: 3, seed: 22 });
      assert.deepEqual(again.vectors[0], L.vectors[0]);
      assert.notDeepEqual(other.vectors[0], L.vectors[0]);
      net.dispose();
    });
    sets.forEach((s) => s.dispose());
  });

  it("'trajectory' takes the principal directions of the recorded weights and projects the path onto them", () => {
    const data = spiral(6);
    const net = lab.network({ inputs: 2, seed: 8, layers: [{ units: 10, activation: 'tanh' }, { units: 3, activation: 'softmax' }] });
    net.setOptimizer({ name: 'sgd', learningRate: 0.5 });
    net.recordTrajectory({ capacity: 6, interval: 1 });
    const history = [parameters(net).slice()];
    for (let s = 0; s < 20; ++s) { net.train(data, { steps: 1 }); history.push(parameters(net).slice()); }
    const record = net.trajectory();
    // 6 copies at most, evenly spaced by the doubled interval, over the whole run from step 0
    assert.equal(record.capacity, 6);
    assert.ok(record.steps.length <= 6 && record.steps.length >= 3);
    record.steps.forEach((s, i) => assert.equal(s, i * record.interval));
    assert.ok(record.steps.at(-1) + record.interval > 20);
    const L = net.lossLandscape(data, { directions: 'trajectory', resolution: 5 });
    const [d1, d2] = L.vectors, w = parameters(net);
    const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);
    assert.ok(Math.abs(dot(d1, d1) - 1) < 1e-5 && Math.abs(dot(d2, d2) - 1) < 1e-5 && Math.abs(dot(d1, d2)) < 1e-5);
    const offsets = Array.from(record.steps, (s) => Array.from(history[s], (v, k) => v - w[k]));
    offsets.forEach((o, i) => {
      assert.ok(Math.abs(L.path.alpha[i] - dot(o, d1)) < 1e-4 * (1 + Math.abs(dot(o, d1))), `path point ${i}`);
      assert.ok(Math.abs(L.path.beta[i] - dot(o, d2)) < 1e-4 * (1 + Math.abs(dot(o, d2))), `path point ${i}`);
    });
    // d1 carries the largest share of the centred offsets' variance: no other unit direction in their
    // span does better (checked against every offset direction and random mixtures)
    const mean = w.map((_, k) => offsets.reduce((s, o) => s + o[k], 0) / offsets.length);
    const centred = offsets.map((o) => o.map((v, k) => v - mean[k]));
    const total = centred.reduce((s, c) => s + dot(c, c), 0);
    const share = (d) => centred.reduce((s, c) => s + dot(c, d) ** 2, 0) / total / dot(d, d);
    assert.ok(Math.abs(share(d1) - L.explained[0]) < 1e-4);
    const r = rng(3);
    for (let t = 0; t < 20; ++t) {
      const mix = centred.reduce((acc, c) => { const a = r() - 0.5; return acc.map((v, k) => v + a * c[k]); }, new Array(w.length).fill(0));
      assert.ok(share(mix) <= share(d1) + 1e-6);
    }
    assert.equal(L.span, Math.fround(1.25 * Math.max(...L.path.alpha.map(Math.abs), ...L.path.beta.map(Math.abs))));
    net.dispose(); data.dispose();
  });
});

describe('sharpness', () => {
  it('is the top eigenvalue of (2 / (rows x outputs)) [X 1]^T [X 1] for a linear model with MSE', () => {
    for (const [seed, inputs, outputs] of [[1, 3, 1], [2, 4, 2], [3, 2, 3]]) {
      const r = rng(seed), rows = 64;
      const x = Float32Array.from({ length: rows * inputs }, () => 2 * r() - 1 + (r() < 0.5 ? 0.5 : 0));
      const y = Float32Array.from({ length: rows * outputs }, () => r());
      const data = lab.dataset({ x, y, inputs, testFraction: 0 });
      const net = lab.network({ inputs, seed, loss: 'mse', layers: [{ units: outputs, activation: 'linear' }] });
      const S = net.sharpness(data, { tolerance: 1e-7, iterations: 1000 });
      const m = inputs + 1;
      const gram = Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => {
        let s = 0;
        for (let i = 0; i < rows; ++i) s += (a < inputs ? x[i * inputs + a] : 1) * (b < inputs ? x[i * inputs + b] : 1);
        return (2 / (rows * outputs)) * s;
      }));
      const exact = topEigenvalue(gram);
      assert.ok(Math.abs(S.lambdaMax - exact) <= 1e-3 * exact, `seed ${seed}: ${S.lambdaMax} vs ${exact}`);
      assert.ok(S.residual < 1e-2, `residual ${S.residual}`);
      net.dispose(); data.dispose();
    }
  });

  it('matches the top eigenvalue of a Hessian built column by column from finite differences of net.gradients', () => {
    // three seeds of a tanh net, and one with batch norm (training mode: the rows' own statistics)
    for (const [seed, batchNorm] of [[1, false], [2, false], [3, false], [4, true]]) {
      const data = lab.dataset('sine', { samples: 60, noise: 0.05, testFraction: 0, seed });
      const net = lab.network({ inputs: 1, seed, loss: 'mse', layers: [{ units: 6, activation: 'tanh', batchNorm }, { units: 1, activation: 'linear' }] });
      net.setOptimizer({ name: 'sgd', learningRate: 0.1 });
      net.train(data, { steps: 200 });
      const S = net.sharpness(data, { tolerance: 1e-6, iterations: 1000 });
      const exact = topEigenvalue(finiteDifferenceHessian(net, data));
      assert.ok(Math.abs(S.lambdaMax - exact) <= 0.01 * Math.abs(exact), `seed ${seed}: ${S.lambdaMax} vs ${exact}`);
      net.dispose(); data.dispose();
    }
  });

  it('thins the record evenly when it is full, and drops a copy whose step was undone', () => {
    const data = spiral(2);
    const net = lab.network({ inputs: 2, seed: 1, layers: [{ units: 8, activation: 'tanh' }, { units: 3, activation: 'softmax' }] });
    net.setOptimizer({ name: 'sgd', learningRate: 0.1 });
    net.recordTrajectory({ capacity: 4, interval: 1 });
    net.train(data, { steps: 10 });
    // 0 1 2 3 | full at step 4: keep 0 2, interval 2, add 4 | 6 | full at 8: keep 0 4, interval 4, add 8
    assert.deepEqual(Array.from(net.trajectory().steps), [0, 4, 8]);
    assert.equal(net.trajectory().interval, 4);
    net.dispose(); data.dispose();
    const plane = lab.dataset('plane', { samples: 100, seed: 1 });
    const line = lab.network({ inputs: 2, seed: 1, loss: 'mse', layers: [{ units: 1, activation: 'linear' }] });
    line.recordTrajectory({ capacity: 64, interval: 1 });
    line.setOptimizer({ name: 'sgd', learningRate: 100 });
    const r = line.train(plane, { steps: 500 });
    assert.equal(r.status, 'diverged');
    const steps = Array.from(line.trajectory().steps);
    assert.ok(steps.length > 2 && steps.at(-1) === line.step, `record ${steps} after undoing to step ${line.step}`);
    line.dispose(); plane.dispose();
  });

  it('stops on the residual: with the default options it finds λmax where a stop on the change of λ came early (5 seeds)', () => {
    // sine nets of 2 x 8 tanh units part-way through full-batch gradient descent, at steps where the
    // Rayleigh quotient changes by less than 1e-3 (relative) between two products while it is still
    // more than 5% below λmax: the rule the engine used before stopped there and said converged.
    for (const [seed, steps] of [[20, 200], [22, 160], [23, 660], [24, 400], [28, 120]]) {
      const data = lab.dataset('sine', { samples: 80, noise: 0.1, testFraction: 0, seed });
      const net = lab.network({ inputs: 1, seed, loss: 'mse', layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 1, activation: 'linear' }] });
      net.setOptimizer({ name: 'sgd', learningRate: 0.05 });
      net.train(data, { steps });
      const S = net.sharpness(data);
      // the estimate after k products (tolerance 0 never stops early): where the old rule stopped
      const after = (k) => net.sharpness(data, { iterations: k, tolerance: 0 });
      let k = 2;
      while (Math.abs(after(k).lambdaMax - after(k - 1).lambdaMax) > 1e-3 * Math.abs(after(k).lambdaMax)) ++k;
      const stalled = after(k);
      assert.equal(stalled.iterations, k); assert.equal(stalled.converged, false, 'tolerance 0: never converged');
      const exact = topEigenvalue(finiteDifferenceHessian(net, data));
      assert.ok(stalled.lambdaMax < 0.95 * exact, `seed ${seed}: the change of λ stalls at ${stalled.lambdaMax} after ${k} products (λmax ${exact})`);
      assert.ok(stalled.residual > 1e-3, `seed ${seed}: its residual ${stalled.residual} says it is not there yet`);
      assert.ok(Math.abs(S.lambdaMax - exact) <= 0.01 * exact, `seed ${seed}: ${S.lambdaMax} vs ${exact}`);
      assert.ok(S.converged && S.residual <= 1e-3 && S.iterations > k && S.iterations < 100, `seed ${seed}: ${JSON.stringify(S)}`);
      net.dispose(); data.dispose();
    }
  });

  it('says converged exactly when the residual is within the tolerance, and counts the products it used', () => {
    const data = lab.dataset('sine', { samples: 60, noise: 0.05, testFraction: 0, seed: 2 });
    const net = lab.network({ inputs: 1, seed: 2, loss: 'mse', layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'linear' }] });
    for (const [iterations, tolerance] of [[1, 1e-3], [3, 1e-3], [100, 1e-3], [100, 1e-2], [1000, 1e-5], [50, 0]]) {
      const S = net.sharpness(data, { iterations, tolerance });
      assert.ok(S.iterations >= 1 && S.iterations <= iterations, `${iterations}, ${tolerance}: used ${S.iterations}`);
      assert.equal(S.converged, S.residual <= tolerance, `${iterations}, ${tolerance}: converged ${S.converged}, residual ${S.residual}`);
      if (!S.converged) assert.equal(S.iterations, iterations, 'not converged: the whole budget was used');
    }
    net.dispose(); data.dispose();
  });

  it('finds the largest eigenvalue when the one of largest magnitude is negative', () => {
    // at a maximum of the loss surface (a net whose loss is concave in the direction of its weights):
    // a tanh net started far out saturates; instead build H = -|.| by a regression net at a saddle
    const data = lab.dataset('sine', { samples: 40, noise: 0, testFraction: 0, seed: 1 });
    const net = lab.network({ inputs: 1, seed: 2, loss: 'mse', layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'linear' }] });
    const S = net.sharpness(data, { tolerance: 1e-6, iterations: 1000 });
    assert.ok(S.lambdaMax >= S.dominant - 1e-6 * Math.abs(S.dominant));
    if (S.dominant < 0) assert.ok(S.lambdaMax > S.dominant);
    else assert.equal(S.lambdaMax, S.dominant);
    net.dispose(); data.dispose();
  });
});

describe('findLearningRate', () => {
  it('sweeps the rate exponentially, smooths with bias correction, stops past 4x the minimum, suggests from its own curve', () => {
    const data = spiral(7);
    const net = lab.network({ inputs: 2, seed: 3, layers: [{ units: 24, activation: 'relu' }, { units: 3, activation: 'softmax' }] });
    net.setOptimizer({ name: 'sgd', learningRate: 0.1 });
    const from = 1e-4, to = 1000, steps = 120, beta = 0.9;
    const F = net.findLearningRate(data, { from, to, steps, batchSize: 32, smoothing: beta });
    assert.ok(F.stoppedEarly && F.steps < steps, 'a rate of 1000 blows the loss up before the end');
    F.learningRates.forEach((lr, i) => {
      const exact = from * (to / from) ** (i / (steps - 1));
      assert.ok(Math.abs(lr - exact) <= 2e-7 * exact, `rate ${i}: ${lr} vs ${exact}`);
    });
    let avg = 0, lowest = Infinity;
    F.losses.forEach((loss, i) => {
      avg = beta * avg + (1 - beta) * loss;
      const s = avg / (1 - beta ** (i + 1));
      assert.ok(Math.abs(F.smoothed[i] - s) <= 1e-5 * s, `smoothed ${i}`);
      if (i < F.steps - 1) { assert.ok(s <= 4 * Math.min(lowest, s) && Number.isFinite(loss), `went on past step ${i}`); }
      lowest = Math.min(lowest, s);
    });
    const last = F.smoothed[F.steps - 1];
    assert.ok(!Number.isFinite(last) || last > 4 * Math.min(...F.smoothed.slice(0, -1)), 'stopped for a reason');
    // the suggestions, worked out here from the returned curve
    const a = Math.floor(steps / 10), b = F.steps - 5;
    let lo = a, steep = a, best = Infinity;
    for (let i = a; i < b; ++i) {
      if (F.smoothed[i] < F.smoothed[lo]) lo = i;
      if (i + 1 < b) {
        const g = (F.smoothed[i + 1] - F.smoothed[i]) / Math.log(F.learningRates[i + 1] / F.learningRates[i]);
        if (g < best) { best = g; steep = i; }
      }
    }
    assert.ok(Math.abs(F.suggestions.minimumDividedBy10 - F.learningRates[lo] / 10) < 1e-12);
    assert.equal(F.suggestions.steepest, F.learningRates[steep]);
    net.dispose(); data.dispose();
  });
});

describe('every instrument leaves the network bit for bit as it was', () => {
  const instruments = {
    landscape: (net, data) => net.lossLandscape(data, { resolution: 5 }),
    trajectory: (net, data) => net.lossLandscape(data, { directions: 'trajectory', resolution: 5 }),
    sharpness: (net, data) => net.sharpness(data, { iterations: 20 }),
    'range test': (net, data) => net.findLearningRate(data, { steps: 30, batchSize: 16 }),
    'range test with another optimiser': (net, data) => net.findLearningRate(data, { steps: 30, batchSize: 20, optimizer: { name: 'rmsprop', momentum: 0.5 } }),
    'range test on another data set': (net) => {
      const other = spiral(99);
      const r = net.findLearningRate(other, { steps: 10 });
      other.dispose();
      return r;
    },
  };
  for (const [name, run] of Object.entries(instruments)) {
    it(name, () => {
      for (const seed of [1, 2]) {
        const data = spiral(seed);
        const make = () => {
          const net = lab.network({ ...BUSY, seed });
          net.setOptimizer({ name: 'adam', learningRate: 0.01, schedule: { name: 'cosine', steps: 100 } });
          net.recordTrajectory({ capacity: 8 });
          net.train(data, { steps: 13, batchSize: 40 }); // mid-epoch: the epoch order and cursor matter
          return net;
        };
        const net = make(), twin = make();
        run(net, data); // a first call may grow the activation arena to the data's rows
        const before = state(net), live = lab.memoryStats().liveBytes;
        run(net, data);
        assertSameState(before, state(net), `${name}, seed ${seed}`);
        // what a saved run keeps (src/runstate.c) is a part of what the instrument's snapshot (src/snapshot.c) puts back
        assert.ok(Buffer.from(net.saveState()).equals(Buffer.from(twin.saveState())), `${name}, seed ${seed}: the run state is the twin's, bit for bit`);
        assert.equal(lab.memoryStats().liveBytes, live, 'it frees what it took');
        assert.deepEqual(net.trajectory(), twin.trajectory());
        // and training goes on exactly as it would have: same batches, masks and updates
        const a = net.train(data, { steps: 17, batchSize: 40 }), b = twin.train(data, { steps: 17, batchSize: 40 });
        assert.deepEqual(a, b);
        assertSameState(state(twin), state(net), `${name}, seed ${seed}, after training on`);
        net.dispose(); twin.dispose(); data.dispose();
      }
    });
  }
});

describe('after an instrument over more rows than a batch, the run is its untouched twin\'s, bit for bit, in both builds', () => {
  // An instrument over all the training rows grows the activation arena from a batch to those rows;
  // net.evaluate then takes the rows in one pass where the twin takes them a batch at a time, with a
  // short pass at the end (240 rows in batches of 32). Every training loss, every evaluation (the
  // page's "train loss" and "test loss") after every step, and the final weights must be the twin's.
  const builds = { simd: lab, scalar: scalarLab };
  const runs = {
    'the page\'s 16-16 tanh net, momentum': {
      layers: [{ units: 16, activation: 'tanh' }, { units: 16, activation: 'tanh' }, { units: 2, activation: 'softmax' }],
      optimizer: { name: 'momentum', learningRate: 0.1, momentum: 0.9 },
    },
    'relu with batch norm and dropout, adam': {
      layers: [{ units: 16, activation: 'relu', batchNorm: true, dropout: 0.2 }, { units: 12, activation: 'tanh' }, { units: 2, activation: 'softmax' }],
      optimizer: { name: 'adam', learningRate: 0.01 },
    },
    'relu, plain sgd': {
      layers: [{ units: 24, activation: 'relu' }, { units: 2, activation: 'softmax' }],
      optimizer: { name: 'sgd', learningRate: 0.3 },
    },
  };
  const instruments = {
    lossLandscape: (net, data) => net.lossLandscape(data, { resolution: 3 }),
    sharpness: (net, data) => net.sharpness(data, { iterations: 5 }),
    findLearningRate: (net, data) => net.findLearningRate(data, { steps: 20, batchSize: 32 }),
    'a forward pass of all the rows': (net, data) => net.forward(new Float32Array(data.trainSize * data.inputs), data.trainSize),
  };
  const bits = (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  for (const [build, gl] of Object.entries(builds)) {
    for (const [name, run] of Object.entries(instruments)) {
      it(`${name}, ${build} build`, () => {
        for (const [what, spec] of Object.entries(runs)) {
          for (const seed of [1, 2, 3]) {
            const data = gl.dataset('moons', { samples: 300, noise: 0.1, testFraction: 0.2, seed });
            assert.ok(data.trainSize % 32 !== 0 && data.trainSize > 32, 'an epoch ends with a short pass');
            const make = () => {
              const net = gl.network({ inputs: 2, layers: spec.layers, seed });
              net.setOptimizer(spec.optimizer);
              net.train(data, { steps: 11, batchSize: 32 }); // mid-epoch
              return net;
            };
            const net = make(), twin = make();
            run(net, data);
            const where = `${what}, seed ${seed}`;
            for (let step = 0; step < 40; ++step) { // five epochs of 7 batches and a pass of 16 left over
              assert.deepEqual(net.train(data, { steps: 1, batchSize: 32 }), twin.train(data, { steps: 1, batchSize: 32 }), `${where}: step ${step}`);
              for (const split of ['train', 'test']) {
                assert.deepEqual(net.evaluate(data, split), twin.evaluate(data, split), `${where}: the ${split} loss after step ${step}`);
              }
            }
            assert.ok(bits(parameters(net)).equals(bits(parameters(twin))), `${where}: the final weights`);
            net.dispose(); twin.dispose(); data.dispose();
          }
        }
      });
    }
  }
});

describe('bad input gets a clear error naming the option and the allowed range', () => {
  const data = spiral(1);
  const net = lab.network({ ...BUSY, seed: 1 });
  const cases = [
    [() => net.lossLandscape(data, { span: 0 }), /span 0 is not allowed; it must be a finite number > 0/],
    [() => net.lossLandscape(data, { span: -1 }), /span -1 is not allowed/],
    [() => net.lossLandscape(data, { span: Infinity }), /span inf is not allowed/],
    [() => net.lossLandscape(data, { span: NaN }), /span nan is not allowed/],
    [() => net.lossLandscape(data, { span: '1' }), /span must be a number/],
    [() => net.lossLandscape(data, { resolution: 2 }), /resolution 2 is out of range; allowed 3..101/],
    [() => net.lossLandscape(data, { resolution: 102 }), /resolution 102 is out of range; allowed 3..101/],
    [() => net.lossLandscape(data, { resolution: 4.5 }), /resolution 4.5 must be a whole number/],
    [() => net.lossLandscape(data, { rows: 1000 }), /rows 1000 is out of range; allowed 1..192/],
    [() => net.lossLandscape(data, { rows: -1 }), /rows -1 is out of range/],
    [() => net.lossLandscape(data, { directions: 'pca' }), /directions "pca" is not known; allowed: random, trajectory/],
    [() => net.lossLandscape(data, { directions: 'trajectory' }), /need a record of the weights.*recordTrajectory/],
    [() => net.lossLandscape(data, { colour: 1 }), /has no option 'colour'/],
    [() => net.sharpness(data, { iterations: 0 }), /iterations 0 is out of range; allowed 1..1000/],
    [() => net.sharpness(data, { iterations: 1001 }), /iterations 1001 is out of range; allowed 1..1000/],
    [() => net.sharpness(data, { tolerance: 1 }), /tolerance 1 is out of range/],
    [() => net.sharpness(data, { rows: 1 }), /batch norm needs at least 2 rows/],
    [() => net.sharpness(data, { rows: 193 }), /rows 193 is out of range; allowed 1..192/],
    [() => net.findLearningRate(data, { from: 1, to: 1 }), /to 1 is out of range; allowed from \(1\) < to/],
    [() => net.findLearningRate(data, { from: 0 }), /from 0 is out of range; allowed 0 < from/],
    [() => net.findLearningRate(data, { from: -1 }), /from -1 is out of range/],
    [() => net.findLearningRate(data, { to: 1e4 }), /to 10000 is out of range/],
    [() => net.findLearningRate(data, { steps: 1 }), /steps 1 is out of range; allowed 2..10000/],
    [() => net.findLearningRate(data, { smoothing: 1 }), /smoothing 1 is out of range/],
    [() => net.findLearningRate(data, { batchSize: 1 }), /batch norm needs at least 2 rows/],
    [() => net.findLearningRate(data, { optimizer: { name: 'lbfgs' } }), /optimizer name 'lbfgs' is not known/],
    [() => net.recordTrajectory({ capacity: 1 }), /capacity 1 is out of range; allowed 2..1024/],
    [() => net.recordTrajectory({ capacity: 4, interval: 0 }), /interval 0 is out of range/],
  ];
  it('for every option', () => {
    const before = state(net);
    for (const [call, message] of cases) assert.throws(call, message);
    assertSameState(before, state(net), 'after the refusals');
  });
  it('for a network whose loss is not finite at its weights, instead of a grid of NaN', () => {
    const broken = lab.network({ ...BUSY, seed: 2 });
    broken.weights(2)[0] = NaN;
    for (const call of [() => broken.lossLandscape(data), () => broken.sharpness(data), () => broken.findLearningRate(data)]) {
      assert.throws(call, /the loss at the current weights is nan on \d+ rows, not a finite number/);
    }
    assert.ok(Number.isNaN(broken.weights(2)[0]), 'and the weights are left as they were');
    broken.dispose();
  });
});
