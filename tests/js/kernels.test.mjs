// The fast kernels (wasm SIMD, in gradlab-kernels.wasm) against their plain references and
// against double-precision arithmetic done here in JavaScript, for sizes below, at and above each
// tile and blocking size (MR = 4 rows, NR = 8 columns, KC = 256, NC = 512) and odd sizes, and for the
// shapes that take gemm_small.c's paths: N <= 4 (dot products for nn and nt, vectors along M for tn,
// with their row blocks of 2-16 rows and leftover rows and k), and K <= 256 with a small B (direct
// tiles of 1-4 rows and 1, 2 or 4 vectors, B in place or transposed, the last N mod 4 columns padded),
// and tn with a small C and any K.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ACTS, FORMS, loadKernels, randomFloats } from '../wasm/kernels.mjs';

const EPS = 2 ** -23;
let k;
before(async () => { k = await loadKernels(); });

// op(A)(i,k) and op(B)(k,j) of each form, as stored
const layout = {
  nn: { a: (i, p, M, K) => i * K + p, b: (p, j, N, K) => p * N + j },
  tn: { a: (i, p, M, K) => p * M + i, b: (p, j, N, K) => p * N + j },
  nt: { a: (i, p, M, K) => i * K + p, b: (p, j, N, K) => j * K + p },
};

/** C0 + op(A).op(B) in doubles, and the sum of |terms| each entry's rounding error scales with */
function product(form, M, N, K, A, B, C0) {
  const { a, b } = layout[form];
  const exact = new Float64Array(M * N), scale = new Float64Array(M * N);
  for (let i = 0; i < M; ++i) {
    for (let j = 0; j < N; ++j) {
      let s = C0 ? C0[i * N + j] : 0, m = Math.abs(s);
      for (let p = 0; p < K; ++p) {
        const t = A[a(i, p, M, K)] * B[b(p, j, N, K)];
        s += t; m += Math.abs(t);
      }
      exact[i * N + j] = s; scale[i * N + j] = m;
    }
  }
  return { exact, scale };
}

/** worst |got - exact| / ((K + 2) eps scale): below 1 is within float's worst-case rounding bound */
function worstRatio(got, exact, scale, K) {
  let worst = 0;
  for (let i = 0; i < got.length; ++i) {
    const bound = (K + 2) * EPS * scale[i] + 1e-30;
    worst = Math.max(worst, Math.abs(got[i] - exact[i]) / bound);
  }
  return worst;
}

const TILE = [1, 3, 4, 5, 7, 8, 9, 13, 16, 17, 33];
const SHAPES = [];
for (const M of TILE) for (const N of TILE) SHAPES.push([M, N, (M * 7 + N * 3) % 37 + 1]);
SHAPES.push([5, 9, 0], [4, 8, 255], [4, 8, 256], [7, 9, 257], [3, 13, 513], [129, 17, 5],
  [2, 511, 3], [3, 512, 5], [5, 513, 7], [1, 1030, 2], [33, 33, 300], [130, 70, 260], [64, 500, 128],
  // the training steps of small networks (s32, s64) and the edges of gemm_small.c's kernels
  [64, 2, 32], [64, 32, 2], [32, 2, 64], [2, 32, 64], [128, 3, 64], [64, 3, 128], [128, 64, 3], [2, 64, 128],
  [37, 1, 9], [19, 2, 5], [23, 3, 6], [10, 4, 7], [6, 3, 0], [3, 2, 0], [1, 4, 300], [3, 4, 5000],
  [7, 21, 10], [6, 21, 3], [5, 22, 1], [21, 70, 40], [40, 64, 64], [50, 10, 11], [9, 300, 13], [2, 201, 100], [3, 130, 70],
  // tn with a small C and a long K (a convolution's filter gradient: gemm_small.c's direct path over all of K)
  [9, 8, 4608], [72, 16, 1152], [13, 4, 600], [33, 60, 300], [5, 12, 257],
  // direct tiles of two vectors: after four-vector tiles of 1-2 rows, and with the padded last N mod 4
  // columns (N mod 8 of 5-7; a LeNet's 6 filters)
  [1, 8, 300], [2, 24, 200], [1, 8, 4608], [2, 8, 1000], [25, 6, 25], [8, 6, 150], [3, 14, 20], [2, 22, 9], [1, 13, 40], [4, 7, 3]);

function gemmCase(form, M, N, K, seed) {
  const A = randomFloats(M * K, seed), B = randomFloats(K * N, seed + 1), C0 = randomFloats(M * N, seed + 2);
  const pa = k.array(Math.max(1, M * K), A), pb = k.array(Math.max(1, K * N), B);
  const out = {};
  for (const fast of [1, 0]) {
    const pc = k.array(M * N, C0);
    k.x.kt_gemm(FORMS.indexOf(form), fast, M, N, K, pa, pb, pc, 1);
    out[fast ? 'fast' : 'ref'] = k.read(pc, M * N);
  }
  k.freeAll();
  return { ...out, ...product(form, M, N, K, A, B, C0) };
}

describe('GEMM kernels against references and double-precision products', () => {
  for (const form of FORMS) {
    it(`${form}: ${SHAPES.length} shapes from 1x1 to 130x70x260, across MR, NR, KC and NC`, () => {
      let worstFast = 0, worstRef = 0, seed = 1;
      for (const [M, N, K] of SHAPES) {
        const r = gemmCase(form, M, N, K, seed += 3);
        const f = worstRatio(r.fast, r.exact, r.scale, K), g = worstRatio(r.ref, r.exact, r.scale, K);
        assert.ok(f < 1, `${form} ${M}x${N}x${K}: fast kernel off by ${f} of the rounding bound`);
        assert.ok(g < 1, `${form} ${M}x${N}x${K}: reference off by ${g} of the rounding bound`);
        worstFast = Math.max(worstFast, f); worstRef = Math.max(worstRef, g);
      }
      console.log(`  ${form}: worst error / bound: fast ${worstFast.toFixed(4)}, reference ${worstRef.toFixed(4)}`);
    });
  }

  it('tn_set stores A^T.B over what C held, for the same shapes', () => {
    let worst = 0, seed = 900;
    for (const [M, N, K] of SHAPES) {
      const A = randomFloats(M * K, seed += 3), B = randomFloats(K * N, seed + 1), C0 = randomFloats(M * N, seed + 2);
      const pa = k.array(Math.max(1, M * K), A), pb = k.array(Math.max(1, K * N), B);
      const { exact, scale } = product('tn', M, N, K, A, B, null);
      for (const fast of [1, 0]) {
        const pc = k.array(M * N, C0);
        k.x.kt_gemm(3, fast, M, N, K, pa, pb, pc, 1);
        const r = worstRatio(k.read(pc, M * N), exact, scale, K);
        assert.ok(r < 1, `tn_set ${fast ? 'fast' : 'reference'} ${M}x${N}x${K}: off by ${r} of the rounding bound`);
        worst = Math.max(worst, r);
      }
      k.freeAll();
    }
    console.log(`  tn_set: worst error / bound ${worst.toFixed(4)}`);
  });

  it('tn_set tells whether every value it stored is finite, on every path (small, narrow and packed shapes)', () => {
    for (const [M, N, K] of [[2, 32, 64], [32, 2, 64], [32, 32, 64], [5, 9, 7], [64, 500, 128], [130, 70, 260], [3, 1, 1]]) {
      const A = randomFloats(M * K, M + N), B = randomFloats(K * N, K);
      for (const fast of [1, 0]) {
        const pa = k.array(M * K, A), pb = k.array(K * N, B), pc = k.array(M * N);
        assert.equal(k.x.kt_gemm_tn_set_finite(fast, M, N, K, pa, pb, pc), 1, `${M}x${N}x${K} fast=${fast}: finite`);
        // an infinity or NaN in A (a whole row of C), or finite inputs whose products overflow
        for (const [bad, where] of [[Infinity, 0], [NaN, M * K - 1], [3e38, (M * K) >> 1]]) {
          const a = A.slice(); a[where] = bad;
          if (bad === 3e38) k.view(pb, K * N).fill(3e38);
          k.view(pa, M * K).set(a);
          assert.equal(k.x.kt_gemm_tn_set_finite(fast, M, N, K, pa, pb, pc), 0, `${M}x${N}x${K} fast=${fast}: ${bad} at ${where}`);
          k.view(pb, K * N).set(B);
        }
        k.view(pa, M * K).set(A);
        for (const [j, what] of [[N - 1, 'the last column (an edge tile when N is not a multiple of 8)'], [0, 'the first column (a whole tile)']]) {
          const b = B.slice(); b[j] = NaN; // B(0, j): only column j of C
          k.view(pb, K * N).set(b);
          assert.equal(k.x.kt_gemm_tn_set_finite(fast, M, N, K, pa, pb, pc), 0, `${M}x${N}x${K} fast=${fast}: NaN in ${what}`);
        }
        k.freeAll();
      }
    }
  });

  it('a row of A gives the same row of C alone or among others (one example\'s output does not depend on its batch)', () => {
    for (const form of ['nn', 'nt']) {
      for (const N of [1, 2, 3, 4, 8, 16]) {
        for (const K of [2, 3, 5, 16, 18, 33]) {
          const M = 13, A = randomFloats(M * K, N + K), B = randomFloats(K * N, K);
          const pa = k.array(M * K, A), pb = k.array(K * N, B), all = k.array(M * N, new Float32Array(M * N));
          k.x.kt_gemm(FORMS.indexOf(form), 1, M, N, K, pa, pb, all, 1);
          const many = k.read(all, M * N);
          for (const r of [0, 5, 12]) {
            const one = k.array(N, new Float32Array(N));
            k.x.kt_gemm(FORMS.indexOf(form), 1, 1, N, K, pa + 4 * r * K, pb, one, 1);
            assert.deepEqual(k.read(one, N), many.slice(r * N, r * N + N), `${form} ${N} columns, K ${K}, row ${r}`);
          }
          k.freeAll();
        }
      }
    }
  });

  it('a zero-size K still adds nothing, and a wrong result would be caught (a corrupted entry fails)', () => {
    const r = gemmCase('nn', 5, 9, 0, 99);
    assert.deepEqual(r.fast, r.ref);
    const bad = r.fast.slice(); bad[3] += 1e-3;
    assert.ok(worstRatio(bad, r.exact, r.scale, 0) > 1);
  });
});

// Every micro-kernel variant of the packed path (gemm.c's table: tiles 4x8, 8x4, 2x16, 6x8, two ways
// of broadcasting A), at shapes the packed path takes (K > 256, or a B too large to read in place)
// with M and N below, at and above each tile's mr (2, 4, 6, 8) and nr (4, 8, 16), above MC = 32 mr
// and above NC = 512.
const EDGE_M = [5, 6, 7, 8, 9, 12, 13, 16, 17, 33], EDGE_N = [5, 7, 8, 9, 12, 15, 16, 17, 33];
const VARIANT_SHAPES = [];
for (const M of EDGE_M) for (const N of EDGE_N) VARIANT_SHAPES.push([M, N, 257 + (M * 5 + N) % 9]);
VARIANT_SHAPES.push([65, 20, 300], [129, 9, 270], [193, 13, 260], [257, 17, 258], [7, 513, 300], [130, 70, 260],
  [64, 500, 128], [12, 530, 513], [128, 256, 64]);

describe('every micro-kernel variant of the packed GEMM', () => {
  it('the variants are listed, and the first is selected by default', () => {
    const names = k.variants();
    console.log(`  variants: ${names.join(', ')}`);
    assert.ok(names.length >= 4, names.join());
    assert.equal(new Set(names).size, names.length);
    assert.equal(k.x.kt_gemm_select(names.length), -1);
    assert.equal(k.x.kt_gemm_select(-1), -1);
  });
  for (const form of FORMS) {
    it(`${form}: each variant within float's rounding bound on ${VARIANT_SHAPES.length} shapes at every tile edge`, () => {
      const names = k.variants(), worst = {};
      let seed = 3000;
      for (const [M, N, K] of VARIANT_SHAPES) {
        const A = randomFloats(M * K, seed += 3), B = randomFloats(K * N, seed + 1), C0 = randomFloats(M * N, seed + 2);
        const { exact, scale } = product(form, M, N, K, A, B, C0);
        const pa = k.array(M * K, A), pb = k.array(K * N, B);
        let first;
        for (let v = 0; v < names.length; ++v) {
          assert.equal(k.x.kt_gemm_select(v), v);
          const pc = k.array(M * N, C0);
          k.x.kt_gemm(FORMS.indexOf(form), 1, M, N, K, pa, pb, pc, 1);
          const got = k.read(pc, M * N);
          const r = worstRatio(got, exact, scale, K);
          assert.ok(r < 1, `${names[v]} ${form} ${M}x${N}x${K}: off by ${r} of the rounding bound`);
          // each entry is summed over k in the same order by every tile shape (wasm has no fused
          // multiply-add), so the choice made at load never changes a result
          first ??= got;
          assert.deepEqual(got, first, `${names[v]} ${form} ${M}x${N}x${K}: not bit-identical to ${names[0]}`);
          worst[names[v]] = Math.max(worst[names[v]] ?? 0, r);
        }
        k.x.kt_gemm_select(0);
        k.freeAll();
      }
      console.log(`  ${form}: worst error / bound: ${Object.entries(worst).map(([n, w]) => `${n} ${w.toFixed(3)}`).join(', ')}`);
    });
  }
  it('tn_set, its finiteness check and the fused epilogues agree with the references in each variant', () => {
    const names = k.variants();
    for (let v = 0; v < names.length; ++v) {
      k.x.kt_gemm_select(v);
      for (const [M, N, K] of [[13, 17, 300], [9, 33, 260], [130, 70, 260], [7, 513, 258]]) {
        const A = randomFloats(M * K, M + v), B = randomFloats(K * N, N + v), bias = randomFloats(N, K);
        const pa = k.array(M * K, A), pb = k.array(K * N, B), pbias = k.array(N, bias);
        // tn_set, then a NaN reaching only the last column (an edge tile unless N is a multiple of nr)
        const { exact, scale } = product('tn', M, N, K, A, B, null);
        const pc = k.array(M * N, randomFloats(M * N, 5));
        assert.equal(k.x.kt_gemm_tn_set_finite(1, M, N, K, pa, pb, pc), 1, `${names[v]} ${M}x${N}x${K}: finite`);
        assert.ok(worstRatio(k.read(pc, M * N), exact, scale, K) < 1, `${names[v]} tn_set ${M}x${N}x${K}`);
        for (const j of [0, N - 1]) {
          const b = B.slice(); b[j] = NaN;
          k.view(pb, K * N).set(b);
          assert.equal(k.x.kt_gemm_tn_set_finite(1, M, N, K, pa, pb, pc), 0, `${names[v]} ${M}x${N}x${K}: NaN in column ${j}`);
        }
        k.view(pb, K * N).set(B);
        // nn_bias_act (ReLU) and nt_deriv (tanh) against the references, within the product's
        // rounding bound (|f'| <= 1 and f is 1-Lipschitz for both)
        const z = randomFloats(M * N, 11, -3, 3), pzz = k.array(M * N, z), paa = k.array(M * N);
        k.x.kt_act_forward(0, paa, pzz, M, N, ACTS.tanh, 0.1);
        for (const [act, form] of [['relu', 'nn'], ['tanh', 'nt']]) {
          const res = {};
          for (const fast of [1, 0]) {
            const pz = k.array(M * N, randomFloats(M * N, 7)), po = k.array(M * N, randomFloats(M * N, 8));
            if (form === 'nn') k.x.kt_gemm_nn_bias_act(fast, M, N, K, pa, pb, pbias, pz, po, ACTS[act], 0.1);
            else k.x.kt_gemm_nt_deriv(fast, M, N, K, pa, pb, pz, pzz, paa, ACTS[act], 0.1);
            res[fast] = k.read(form === 'nn' ? po : pz, M * N);
          }
          const prod = product(form, M, N, K, A, B, form === 'nn' ? Float32Array.from({ length: M * N }, (_, i) => bias[i % N]) : null);
          for (let i = 0; i < M * N; ++i) {
            const tol = (K + 2) * EPS * prod.scale[i] * 2 + 1e-6;
            assert.ok(Math.abs(res[1][i] - res[0][i]) <= tol, `${names[v]} ${form} ${act} ${M}x${N}x${K}: [${i}] ${res[1][i]} vs ${res[0][i]}`);
          }
        }
        k.freeAll();
      }
    }
    k.x.kt_gemm_select(0);
  });
});

const ACT_NAMES = Object.keys(ACTS);
const FUSED_SHAPES = [[1, 1, 1], [3, 5, 7], [4, 8, 13], [5, 9, 33], [7, 13, 1], [13, 33, 5], [33, 17, 257],
  [128, 10, 64], [6, 515, 3], [64, 32, 2], [64, 2, 32], [128, 3, 64], [37, 1, 9], [19, 2, 5], [23, 3, 6],
  [10, 4, 7], [7, 21, 10], [6, 21, 3], [21, 70, 40], [6, 3, 0], [5, 9, 0], [64, 32, 32], [8, 16, 64], [4, 8, 0],
  [32, 8, 2], [12, 24, 3], [25, 6, 25], [2, 14, 9], [1, 22, 5], [3, 8, 4]];

describe('fused bias + activation forward and activation-derivative backward', () => {
  for (const act of ACT_NAMES) {
    it(`nn_bias_act and nt_deriv with ${act} match the unfused references`, () => {
      let seed = 500;
      for (const [M, N, K] of FUSED_SHAPES) {
        // forward
        const A = randomFloats(M * K, ++seed, -2, 2), B = randomFloats(K * N, ++seed), bias = randomFloats(N, ++seed);
        const pa = k.array(M * K, A), pb = k.array(K * N, B), pbias = k.array(N, bias);
        const res = {};
        for (const fast of [1, 0]) {
          const pz = k.array(M * N, randomFloats(M * N, 7)), po = k.array(M * N, randomFloats(M * N, 8));
          k.x.kt_gemm_nn_bias_act(fast, M, N, K, pa, pb, pbias, pz, po, ACTS[act], 0.1);
          res[fast] = { z: k.read(pz, M * N), a: k.read(po, M * N) };
        }
        const { exact, scale } = product('nn', M, N, K, A, B, null);
        for (let i = 0; i < M * N; ++i) { exact[i] += bias[i % N]; scale[i] += Math.abs(bias[i % N]); }
        assert.ok(worstRatio(res[1].z, exact, scale, K) < 1, `${act} ${M}x${N}x${K}: z`);
        for (let i = 0; i < M * N; ++i) {
          // f is 1-Lipschitz, so z's difference bounds a's, plus the fast function's own error
          const tol = Math.abs(res[1].z[i] - res[0].z[i]) + 1e-6;
          assert.ok(Math.abs(res[1].a[i] - res[0].a[i]) <= tol, `${act} ${M}x${N}x${K}: a[${i}] ${res[1].a[i]} vs ${res[0].a[i]}`);
        }
        k.freeAll();
        // backward: C(M,N) = (dZ(M,K) . W(N,K)^T) * f'(z, a)
        const dZ = randomFloats(M * K, ++seed), W = randomFloats(N * K, ++seed);
        const z = randomFloats(M * N, ++seed, -3, 3);
        const a = new Float32Array(M * N);
        const pzz = k.array(M * N, z), paa = k.array(M * N);
        k.x.kt_act_forward(0, paa, pzz, M, N, ACTS[act], 0.1);
        a.set(k.read(paa, M * N));
        const pd = k.array(M * K, dZ), pw = k.array(N * K, W);
        const back = {};
        for (const fast of [1, 0]) {
          const pc = k.array(M * N, randomFloats(M * N, 9));
          k.x.kt_gemm_nt_deriv(fast, M, N, K, pd, pw, pc, pzz, paa, ACTS[act], 0.1);
          back[fast] = k.read(pc, M * N);
        }
        const prod = product('nt', M, N, K, dZ, W, null);
        for (let i = 0; i < M * N; ++i) {
          // |f'| <= 1 for every activation here, so the product's rounding bound carries over
          const tol = (K + 2) * EPS * prod.scale[i] * 2 + 1e-30;
          assert.ok(Math.abs(back[1][i] - back[0][i]) <= tol, `${act} ${M}x${N}x${K}: dx[${i}] ${back[1][i]} vs ${back[0][i]}`);
        }
        k.freeAll();
      }
    });
  }
});

describe('SIMD activation loops against the libm references', () => {
  for (const act of ACT_NAMES) {
    it(`${act}: forward and backward for lengths 1..40, 257 and 1000`, () => {
      let worst = 0;
      for (const n of [...Array.from({ length: 40 }, (_, i) => i + 1), 257, 1000]) {
        const rows = act === 'softmax' ? Math.max(1, n % 5) : 1, cols = act === 'softmax' ? n : n;
        const total = rows * cols;
        const z = randomFloats(total, n, -6, 6), da = randomFloats(total, n + 1);
        const pz = k.array(total, z), pda = k.array(total, da);
        const out = {};
        for (const fast of [1, 0]) {
          const pa = k.array(total), pdz = k.array(total);
          k.x.kt_act_forward(fast, pa, pz, rows, cols, ACTS[act], 0.1);
          k.x.kt_act_backward(fast, pdz, pda, pz, pa, total, ACTS[act], 0.1);
          out[fast] = { a: k.read(pa, total), dz: k.read(pdz, total) };
        }
        for (let i = 0; i < total; ++i) {
          const ea = Math.abs(out[1].a[i] - out[0].a[i]), ed = Math.abs(out[1].dz[i] - out[0].dz[i]);
          worst = Math.max(worst, ea, ed);
          assert.ok(ea <= 1e-6, `${act} n=${n}: a[${i}] ${out[1].a[i]} vs ${out[0].a[i]}`);
          assert.ok(ed <= 2e-6, `${act} n=${n}: dz[${i}] ${out[1].dz[i]} vs ${out[0].dz[i]}`);
        }
        if (['linear', 'relu', 'leaky-relu'].includes(act)) {
          assert.deepEqual(out[1].a, out[0].a, `${act} forward is exact`);
          assert.deepEqual(out[1].dz, out[0].dz, `${act} backward is exact`);
        }
        k.freeAll();
      }
      console.log(`  ${act}: largest difference from the reference ${worst.toExponential(2)}`);
    });
  }
});

describe('4-lane Adam and AdamW against the plain optimiser loop', () => {
  it('gives the same parameters and moments, bit for bit, and the same squared change, for odd lengths', () => {
    // with decay and gradient scaling, and without either (the loop's plain path), for each kind
    for (const [kind, wd, gscale] of [[5, 0.01, 0.5], [6, 0.05, 0.5], [5, 0, 1], [6, 0, 1], [5, 0, 0.5], [6, 0.05, 1]]) {
      for (const n of [1, 3, 4, 5, 7, 13, 33, 1023, 1024, 1025, 4099]) {
        const w0 = randomFloats(n, n), g = randomFloats(n, n + 1, -0.1, 0.1);
        const out = {};
        for (const fast of [1, 0]) {
          const pw = k.array(n, w0), pg = k.array(n, g), pm = k.array(n, new Float32Array(n)), pv = k.array(n, new Float32Array(n));
          const moved = [];
          for (let t = 1; t <= 3; ++t) moved.push(k.x.kt_adam(fast, kind, 1e-3, wd, t, pw, pg, gscale, pm, pv, n));
          out[fast] = { w: k.read(pw, n), m: k.read(pm, n), v: k.read(pv, n), moved };
          k.freeAll();
        }
        assert.deepEqual(out[1].w, out[0].w, `kind ${kind} wd ${wd} gscale ${gscale} n=${n}: w`);
        assert.deepEqual(out[1].m, out[0].m, `kind ${kind} n=${n}: m`);
        assert.deepEqual(out[1].v, out[0].v, `kind ${kind} n=${n}: v`);
        assert.ok(!out[1].w.every((x, i) => x === w0[i]), 'the update moved the weights');
        for (let t = 0; t < 3; ++t) {
          assert.ok(Math.abs(out[1].moved[t] - out[0].moved[t]) <= 1e-5 * out[0].moved[t], `kind ${kind} n=${n}: moved`);
        }
      }
    }
  });
});

describe('Adam moments below the smallest normal float', () => {
  it('are stored as 0 by the fast loop and the reference alike; normal and NaN ones are kept', () => {
    const n = 9, tinyM = 1e-38, normalM = 1e-30;
    for (const fast of [1, 0]) {
      const m0 = new Float32Array(n).fill(tinyM), v0 = new Float32Array(n).fill(tinyM);
      m0[4] = normalM; v0[4] = 1e-20;
      m0[2] = -tinyM; // a negative subnormal moment is cleared too
      const g0 = new Float32Array(n);
      g0[6] = NaN; // a NaN gradient makes NaN moments, which the flush must keep
      const pw = k.array(n, randomFloats(n, 5)), pg = k.array(n, g0), pm = k.array(n, m0), pv = k.array(n, v0);
      k.x.kt_adam(fast, 5, 1e-3, 0, 10, pw, pg, 1, pm, pv, n);
      const m = k.read(pm, n), v = k.read(pv, n);
      k.freeAll();
      for (let i = 0; i < n; ++i) {
        if (i === 4) { assert.ok(m[i] > 0 && v[i] > 0, `fast=${fast}: a normal moment is kept`); continue; }
        if (i === 6) { assert.ok(Number.isNaN(m[i]) && Number.isNaN(v[i]), `fast=${fast}: NaN moments are kept`); continue; }
        assert.ok(Object.is(m[i], 0), `fast=${fast}: m[${i}] ${m[i]}: 0.9 * ${m0[i]} is subnormal, stored as +0`);
        assert.equal(v[i], 0, `fast=${fast}: v[${i}] 0.999 * 1e-38 is subnormal`);
      }
    }
  });
});

describe('softmax of narrow rows, four rows at a time', () => {
  it('gives bit for bit what the one-row loop gives, and matches the reference, for 1..13 rows of 1..9 columns', () => {
    for (let rows = 1; rows <= 13; ++rows) {
      for (let cols = 1; cols <= 9; ++cols) {
        const z = randomFloats(rows * cols, rows * 16 + cols, -8, 8);
        if (rows > 2) z[cols] = -90; // an output flushed to 0 in the second row
        const pz = k.array(rows * cols, z), pa = k.array(rows * cols), pr = k.array(rows * cols), pone = k.array(rows * cols);
        k.x.kt_act_forward(1, pa, pz, rows, cols, ACTS.softmax, 0);
        k.x.kt_act_forward(0, pr, pz, rows, cols, ACTS.softmax, 0);
        for (let r = 0; r < rows; ++r) k.x.kt_act_forward(1, pone + 4 * r * cols, pz + 4 * r * cols, 1, cols, ACTS.softmax, 0);
        const a = k.read(pa, rows * cols), ref = k.read(pr, rows * cols), one = k.read(pone, rows * cols);
        k.freeAll();
        assert.deepEqual(a, one, `${rows}x${cols}: four rows at a time vs one row at a time`);
        for (let i = 0; i < a.length; ++i) assert.ok(Math.abs(a[i] - ref[i]) <= 1e-6, `${rows}x${cols}: a[${i}]`);
      }
    }
  });
});

describe('cross-entropy four rows at a time against the row-by-row reference', () => {
  it('same gradient and correct count, loss within 1e-6 relative, for odd batches, 2..12 classes and wide logits', () => {
    let worst = 0;
    for (const [B, K, spread] of [[1, 2, 1], [3, 2, 1], [4, 2, 1], [5, 3, 4], [7, 2, 30], [13, 10, 8], [64, 2, 2],
      [33, 12, 60], [128, 3, 0.01], [9, 4, 200]]) {
      const z = randomFloats(B * K, B * 31 + K, -spread, spread);
      const a = new Float32Array(B * K); // a softmax of z, as the forward pass would leave it
      for (let b = 0; b < B; ++b) {
        const row = z.subarray(b * K, (b + 1) * K), m = Math.max(...row);
        let s = 0; for (const v of row) s += Math.exp(v - m);
        for (let j = 0; j < K; ++j) a[b * K + j] = Math.exp(row[j] - m) / s;
      }
      const y = Int32Array.from({ length: B }, (_, b) => (b * 7 + 3) % K);
      const out = {};
      for (const fast of [1, 0]) {
        const pz = k.array(B * K, z), pa = k.array(B * K, a), pd = k.array(B * K), py = k.array(B), pc = k.array(1);
        new Int32Array(k.x.memory.buffer, py, B).set(y);
        const loss = k.x.kt_loss(fast, 0, 5, pz, pa, B, K, py, pd, pc);
        out[fast] = { loss, dz: k.read(pd, B * K), correct: new Int32Array(k.x.memory.buffer, pc, 1)[0] };
        k.freeAll();
      }
      const rel = Math.abs(out[1].loss - out[0].loss) / Math.max(out[0].loss, 1e-30);
      assert.ok(rel <= 1e-6, `B=${B} K=${K}: loss ${out[1].loss} vs ${out[0].loss}`);
      assert.deepEqual(out[1].dz, out[0].dz, `B=${B} K=${K}: dz`);
      assert.equal(out[1].correct, out[0].correct, `B=${B} K=${K}: correct`);
      assert.ok(out[0].loss > 0 && Number.isFinite(out[0].loss));
      worst = Math.max(worst, rel);
    }
    console.log(`  cross-entropy: largest relative difference of the loss ${worst.toExponential(2)}`);
  });
});

describe('a loss summed over passes of any size is the loss of one pass, bit for bit', () => {
  // gl_net_evaluate takes its rows in passes as large as the network's activation arena, which grows
  // with the largest pass the network made (an instrument over all the rows, say): its loss must not
  // depend on where the passes are cut
  it('cross-entropy (four rows at a time and the reference), binary cross-entropy and MSE, cut into passes of 1..9 rows', () => {
    const { softmax, sigmoid, linear } = ACTS; // losses: 0 cross-entropy, 1 binary cross-entropy, 2 MSE
    const cases = [[0, softmax, 2], [0, softmax, 3], [0, softmax, 10], [1, sigmoid, 1], [1, sigmoid, 3], [2, linear, 2]]; // [loss, activation, K]
    for (const [loss, act, K] of cases) {
      for (const B of [1, 7, 30, 61]) {
        const z = randomFloats(B * K, B * 13 + K + loss, -6, 6), a = randomFloats(B * K, B + K, 0.01, 0.99);
        const y = Int32Array.from({ length: B }, (_, b) => (b * 5 + 1) % (K === 1 ? 2 : K));
        for (const fast of [1, 0]) {
          const pz = k.array(B * K, z), pa = k.array(B * K, a), py = k.array(B);
          new Int32Array(k.x.memory.buffer, py, B).set(y);
          const whole = k.x.kt_loss_sum(fast, loss, act, pz, pa, B, K, py, B);
          assert.ok(Number.isFinite(whole) && whole > 0);
          for (let piece = 1; piece <= 9; ++piece) {
            assert.equal(k.x.kt_loss_sum(fast, loss, act, pz, pa, B, K, py, piece), whole, `loss ${loss} K=${K} B=${B} ${fast ? 'fast' : 'reference'}: passes of ${piece}`);
          }
          k.freeAll();
        }
      }
    }
  });
});

describe('sum of squares (the gradient norm)', () => {
  it('matches a double-precision sum for lengths 0..9, 1023 and 100003', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1023, 100003]) {
      const x = randomFloats(n, n + 7, -3, 3);
      let exact = 0;
      for (const v of x) exact += v * v;
      const got = k.x.kt_sum_squares(k.array(Math.max(1, n), x), n);
      k.freeAll();
      assert.ok(Math.abs(got - exact) <= 1e-12 * exact, `n=${n}: ${got} vs ${exact}`);
    }
  });
});

describe('all finite (the check after each update)', () => {
  it('finds one infinity or NaN anywhere in arrays of odd lengths, and accepts huge finite values', () => {
    for (const n of [1, 3, 4, 5, 7, 13, 33, 1025]) {
      const x = randomFloats(n, n, -1, 1);
      x[n >> 1] = 3e38;
      assert.equal(k.x.kt_all_finite(k.array(n, x), n), 1, `n=${n} finite`);
      for (const bad of [Infinity, -Infinity, NaN]) {
        for (const at of [0, n >> 1, n - 1]) {
          const y = x.slice(); y[at] = bad;
          assert.equal(k.x.kt_all_finite(k.array(n, y), n), 0, `n=${n}: ${bad} at ${at}`);
        }
      }
      k.freeAll();
    }
  });
});

describe('tiny probabilities are stored as 0 (subnormals would slow the backward pass)', () => {
  it('softmax and sigmoid outputs below 1e-30 are exactly 0 in both the fast loops and the references', () => {
    for (const fast of [1, 0]) {
      const pz = k.array(8, new Float32Array([0, -100, -68, -72, 0, -60, -80, 0])), pa = k.array(8);
      k.x.kt_act_forward(fast, pa, pz, 2, 4, ACTS.softmax, 0);
      const soft = k.read(pa, 8);
      assert.deepEqual([soft[1], soft[3], soft[6]], [0, 0, 0], `softmax fast=${fast}: ${soft}`);
      assert.ok(soft[2] > 1e-30 && soft[5] > 1e-30, `softmax fast=${fast} keeps 3e-30 and 9e-27: ${soft}`);
      k.x.kt_act_forward(fast, pa, pz, 1, 8, ACTS.sigmoid, 0);
      const sig = k.read(pa, 8);
      assert.deepEqual([sig[1], sig[3], sig[6]], [0, 0, 0], `sigmoid fast=${fast}: ${sig}`);
      assert.ok(sig[2] > 1e-30 && sig[5] > 1e-30, `sigmoid fast=${fast}: ${sig}`);
      k.freeAll();
    }
  });
});

// the accuracy simd_math.h states, measured here against Math.exp / Math.tanh in doubles
function sweep(fn, values) {
  const n = values.length - (values.length % 4);
  const pin = k.array(n, values.subarray(0, n)), pout = k.array(n);
  k.x.kt_math(fn, pout, pin, n);
  const out = k.read(pout, n);
  k.freeAll();
  return out;
}

function grid(lo, hi, count) {
  const v = new Float32Array(count);
  for (let i = 0; i < count; ++i) v[i] = lo + (hi - lo) * (i / (count - 1));
  return v;
}

describe('fast exp, tanh, sigmoid and log: maximum error against double precision', () => {
  it('exp: relative error <= 1.2e-7 on [-87, 88]', () => {
    const x = grid(-87, 88, 400000);
    const y = sweep(0, x);
    let rel = 0;
    for (let i = 0; i < y.length; ++i) rel = Math.max(rel, Math.abs(y[i] - Math.exp(x[i])) / Math.exp(x[i]));
    console.log(`  exp: max relative error ${rel.toExponential(2)} (${(rel / EPS).toFixed(2)} ulp of 1)`);
    assert.ok(rel <= 1.2e-7);
  });

  it('tanh: absolute error <= 1.2e-7, relative error <= 2e-7, on [-20, 20] and tiny inputs', () => {
    const x = new Float32Array([...grid(-20, 20, 400000), ...grid(-1, 1, 200000),
      ...Array.from({ length: 200 }, (_, i) => 10 ** (-30 + i * 0.15)), 0, -0, 0.625, -0.625]);
    const y = sweep(1, x);
    let abs = 0, rel = 0;
    for (let i = 0; i < y.length; ++i) {
      const t = Math.tanh(x[i]);
      abs = Math.max(abs, Math.abs(y[i] - t));
      if (t !== 0) rel = Math.max(rel, Math.abs(y[i] - t) / Math.abs(t));
      if (x[i] !== 0) assert.equal(Math.sign(y[i]), Math.sign(x[i]), `sign of tanh(${x[i]})`);
    }
    console.log(`  tanh: max absolute error ${abs.toExponential(2)}, max relative error ${rel.toExponential(2)}`);
    assert.ok(abs <= 1.2e-7 && rel <= 2e-7);
  });

  it('sigmoid: absolute error <= 1.2e-7 everywhere, relative error <= 2e-7 for x > -87', () => {
    const x = grid(-87, 87, 400000);
    const y = sweep(2, x);
    let abs = 0, rel = 0;
    for (let i = 0; i < y.length; ++i) {
      const s = 1 / (1 + Math.exp(-x[i]));
      abs = Math.max(abs, Math.abs(y[i] - s));
      rel = Math.max(rel, Math.abs(y[i] - s) / s);
    }
    console.log(`  sigmoid: max absolute error ${abs.toExponential(2)}, max relative error ${rel.toExponential(2)}`);
    assert.ok(abs <= 1.2e-7 && rel <= 2e-7);
  });

  it('log: relative error <= 2.4e-7 for positive normal x, absolute <= 1.2e-7 near 1; NaN and inf give NaN', () => {
    const x = new Float32Array([...grid(0.5, 2, 400000), ...grid(1, 64, 200000),
      ...Array.from({ length: 4000 }, (_, i) => 10 ** (-37.5 + i * 0.019)), 1, 2, 0.5, Math.SQRT2, Math.SQRT1_2]);
    const y = sweep(3, x);
    let abs = 0, rel = 0;
    for (let i = 0; i < y.length; ++i) {
      const l = Math.log(x[i]);
      if (Math.abs(x[i] - 1) < 0.25) abs = Math.max(abs, Math.abs(y[i] - l));
      if (l !== 0) rel = Math.max(rel, Math.abs(y[i] - l) / Math.abs(l));
      else assert.equal(y[i], 0, 'log(1) = 0');
    }
    console.log(`  log: max relative error ${rel.toExponential(2)}, max absolute error near 1 ${abs.toExponential(2)}`);
    assert.ok(rel <= 2.4e-7 && abs <= 1.2e-7);
    const odd = sweep(3, new Float32Array([NaN, Infinity, 3, 5]));
    assert.ok(Number.isNaN(odd[0]) && Number.isNaN(odd[1]));
  });

  it('limits and NaN: tanh(+-inf) = +-1, sigmoid(+inf) = 1, exp and sigmoid clamp tiny results, NaN stays NaN', () => {
    const x = new Float32Array([Infinity, -Infinity, NaN, -200]);
    const e = sweep(0, x), t = sweep(1, x), s = sweep(2, x);
    assert.deepEqual([t[0], t[1]], [1, -1]);
    assert.equal(s[0], 1);
    assert.ok(s[1] >= 0 && s[1] < 1e-37 && e[1] > 0 && e[1] < 1.3e-38 && e[3] < 1.3e-38);
    assert.ok(Number.isNaN(e[2]) && Number.isNaN(t[2]) && Number.isNaN(s[2]));
  });
});
