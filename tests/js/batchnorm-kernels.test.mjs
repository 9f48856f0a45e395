// Batch norm's 4-lane loops (src/batchnorm.c, units a multiple of 4: a spatial batch norm's
// channels or a dense layer's units) against the plain references, which add every row in double:
// the statistics agree to rounding, and the outputs and gradients to what that rounding moves.
// Other unit counts take the references themselves (checked bit for bit).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadKernels, randomFloats } from '../wasm/kernels.mjs';

let k;
before(async () => { k = await loadKernels(); });

function run(fast, x, dy, gamma, beta, rows, units) {
  const n = rows * units;
  const px = k.array(n, x), pdy = k.array(n, dy), pg = k.array(units, gamma), pb = k.array(units, beta);
  const stats = new Float32Array(4 * units);
  stats.fill(0, 0, 2 * units); stats.fill(0.5, 2 * units, 3 * units); stats.fill(2, 3 * units);
  const ps = k.array(4 * units, stats), ps0 = k.array(4 * units, stats), py = k.array(n), pe = k.array(n), pdx = k.array(n), pdg = k.array(units), pdb = k.array(units);
  k.x.kt_batchnorm_train(fast, py, ps, px, pg, pb, rows, units);
  k.x.kt_batchnorm_eval(fast, pe, px, ps0, pg, pb, rows, units); // the running statistics as given
  k.x.kt_batchnorm_backward(fast, pdx, pdg, pdb, pdy, px, ps, pg, rows, units);
  const out = { y: k.read(py, n), stats: k.read(ps, 4 * units), eval: k.read(pe, n), dx: k.read(pdx, n), dgamma: k.read(pdg, units), dbeta: k.read(pdb, units) };
  k.freeAll();
  return out;
}

function near(got, want, tol, what) {
  let scale = 1e-3;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; ++i) assert.ok(Math.abs(got[i] - want[i]) <= tol * scale, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
}

describe('batch norm, 4 units at a time', () => {
  for (const [rows, units] of [[2, 4], [7, 8], [32, 16], [33, 12], [4608, 8], [1152, 16], [128, 500], [17, 4096]]) {
    it(`${rows} rows x ${units} units: statistics, outputs and gradients match the references`, () => {
      const n = rows * units;
      // an offset larger than the spread, as real activations have (a one-pass variance would fail)
      const x = randomFloats(n, rows + units, 2, 4), dy = randomFloats(n, units, -1, 1);
      const gamma = randomFloats(units, 3, 0.5, 1.5), beta = randomFloats(units, 4);
      const f = run(1, x, dy, gamma, beta, rows, units), r = run(0, x, dy, gamma, beta, rows, units);
      near(f.stats, r.stats, 2e-6, 'mean, invstd, running mean and variance');
      near(f.y, r.y, 1e-5, 'y');
      assert.deepEqual(f.eval, r.eval, 'eval: the same float operations');
      near(f.dgamma, r.dgamma, 1e-5, 'dgamma');
      near(f.dbeta, r.dbeta, 1e-5, 'dbeta');
      // dx = gamma invstd / N (N dy - sum dy - xhat sum(dy xhat)) cancels: bound each entry by its terms
      const invstd = r.stats.subarray(units, 2 * units), mean = r.stats.subarray(0, units);
      for (let i = 0; i < n; ++i) {
        const j = i % units, xhat = (x[i] - mean[j]) * invstd[j];
        const terms = Math.abs(gamma[j] * invstd[j] / rows) * (rows * Math.abs(dy[i]) + Math.abs(r.dbeta[j]) + Math.abs(xhat * r.dgamma[j]));
        assert.ok(Math.abs(f.dx[i] - r.dx[i]) <= 1e-5 * terms + 1e-30, `dx[${i}]: ${f.dx[i]} vs ${r.dx[i]} (terms ${terms})`);
      }
    });
  }
  it('other unit counts run the references themselves', () => {
    for (const [rows, units] of [[9, 3], [40, 10], [5, 1]]) {
      const n = rows * units, x = randomFloats(n, 1, -2, 2), dy = randomFloats(n, 2);
      assert.deepEqual(run(1, x, dy, randomFloats(units, 3), randomFloats(units, 4), rows, units),
        run(0, x, dy, randomFloats(units, 3), randomFloats(units, 4), rows, units));
    }
  });
});
