// The convolution lowering and pooling kernels (src/conv.c) in the SIMD build's kernels module:
// the 4-lane im2col, col2im and pooling against their plain references (the same values, bit for
// bit, writing nothing past their outputs, on inputs below, at and above the size the 4-lane loops
// copy into their padded buffer), and the lowered convolution (im2col + GEMM forward; GEMM filter and input gradients +
// col2im backward) against direct convolution loops written here in double precision, at odd
// sizes, strides 1 and 2, 'same' and 'valid' padding and several channel counts.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadKernels, randomFloats } from '../wasm/kernels.mjs';

let k;
before(async () => { k = await loadKernels(); });

// [h, w, c, filters, kernel, stride, same]
const GEOMS = [];
for (const [h, w] of [[5, 7], [9, 9], [12, 12], [13, 6]])
  for (const c of [1, 3, 4, 6, 8])
    for (const [kern, stride, same] of [[3, 1, 1], [3, 2, 1], [3, 1, 0], [5, 2, 0], [1, 1, 1], [5, 1, 1], [7, 1, 1], [2, 2, 0]])
      if (same || (h >= kern && w >= kern)) GEOMS.push([h, w, c, [2, 5, 8, 16][(h + c + kern) % 4], kern, stride, same]);

/** the padded input's floats of geometry g, as conv.c sizes it: ((oh - 1) stride + k) x ((ow - 1) stride + k) x c */
const paddedFloats = ([, , c, , kern, stride], oh, ow) => ((oh - 1) * stride + kern) * ((ow - 1) * stride + kern) * c;
// inputs whose padded form is exactly the buffer's size (32 x 32 x 16 with a 1 x 1 kernel) and
// larger (the slower path), in the shapes of the digits and LeNet convnets too
const SIZED = [[32, 32, 16, 4, 1, 1, 0], [40, 40, 12, 5, 3, 1, 1], [31, 29, 20, 3, 3, 2, 0], [33, 33, 15, 2, 5, 1, 1],
  [12, 12, 1, 8, 3, 1, 1], [6, 6, 8, 16, 3, 1, 1], [28, 28, 1, 6, 5, 1, 1], [14, 14, 6, 16, 5, 1, 0]];

function shape(g) {
  const pg = k.array(8), out = k.array(2);
  new Int32Array(k.x.memory.buffer, pg, 7).set(g);
  k.x.kt_conv_shape(pg, out);
  const [oh, ow] = new Int32Array(k.x.memory.buffer, out, 2);
  return { pg, oh, ow };
}

/** direct convolution in doubles: z (rows, oh, ow, f) = b + sum over the window of x . W */
function directForward(x, W, b, rows, [h, w, c, f, kern, stride], oh, ow, padT, padL) {
  const z = new Float64Array(rows * oh * ow * f);
  for (let r = 0; r < rows; ++r)
    for (let oy = 0; oy < oh; ++oy)
      for (let ox = 0; ox < ow; ++ox)
        for (let o = 0; o < f; ++o) {
          let s = b[o];
          for (let ky = 0; ky < kern; ++ky)
            for (let kx = 0; kx < kern; ++kx) {
              const y = oy * stride + ky - padT, xx = ox * stride + kx - padL;
              if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
              for (let ch = 0; ch < c; ++ch) s += x[((r * h + y) * w + xx) * c + ch] * W[((ky * kern + kx) * c + ch) * f + o];
            }
          z[((r * oh + oy) * ow + ox) * f + o] = s;
        }
  return z;
}

/** the gradients of sum(z * dz) with respect to x, W and b, by the same direct loops */
function directBackward(x, W, dz, rows, [h, w, c, f, kern, stride], oh, ow, padT, padL) {
  const dx = new Float64Array(rows * h * w * c), dW = new Float64Array(kern * kern * c * f), db = new Float64Array(f);
  for (let r = 0; r < rows; ++r)
    for (let oy = 0; oy < oh; ++oy)
      for (let ox = 0; ox < ow; ++ox)
        for (let o = 0; o < f; ++o) {
          const g = dz[((r * oh + oy) * ow + ox) * f + o];
          db[o] += g;
          for (let ky = 0; ky < kern; ++ky)
            for (let kx = 0; kx < kern; ++kx) {
              const y = oy * stride + ky - padT, xx = ox * stride + kx - padL;
              if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
              for (let ch = 0; ch < c; ++ch) {
                const xi = ((r * h + y) * w + xx) * c + ch, wi = ((ky * kern + kx) * c + ch) * f + o;
                dx[xi] += g * W[wi];
                dW[wi] += g * x[xi];
              }
            }
        }
  return { dx, dW, db };
}

function close(got, want, what, tol = 2e-5) {
  let scale = 1e-6;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; ++i) {
    assert.ok(Math.abs(got[i] - want[i]) <= tol * scale, `${what}[${i}]: ${got[i]} vs ${want[i]} (scale ${scale})`);
  }
}

describe('convolution lowering', () => {
  it(`im2col and col2im: the 4-lane loops give the references' values on ${GEOMS.length + SIZED.length} geometries`, () => {
    const limit = k.x.kt_conv_padded_floats(), SPARE = 8, sentinel = 12345.5;
    /** run(fast, out) by the 4-lane loop and by the reference, each into `floats` floats (from the
     * same random start) followed by SPARE sentinels; both results, which must be equal, and the
     * sentinels untouched */
    const both = (what, floats, run) => {
      const [fast, ref] = [1, 0].map((f) => {
        const p = k.array(floats + SPARE, randomFloats(floats + SPARE, 99));
        k.view(p + 4 * floats, SPARE).fill(sentinel);
        run(f, p);
        return k.read(p, floats + SPARE);
      });
      assert.deepEqual(fast, ref, what);
      assert.ok(fast.subarray(floats).every((v) => v === sentinel), `${what}: wrote past its output`);
    };
    const sides = { below: 0, at: 0, above: 0 };
    let seed = 1;
    for (const g of [...GEOMS, ...SIZED]) {
      const [h, w, c, , kern] = g;
      const { pg, oh, ow } = shape(g);
      const pad = paddedFloats(g, oh, ow);
      sides[pad < limit ? 'below' : pad === limit ? 'at' : 'above'] += 1;
      // one example, and three: the last example's last position is the one copied float by float
      for (const rows of [1, 3]) {
        const n = rows * oh * ow * kern * kern * c, m = rows * h * w * c;
        const px = k.array(m, randomFloats(m, ++seed)), pd = k.array(n, randomFloats(n, ++seed));
        both(`im2col ${g} (${rows} examples)`, n, (fast, cols) => k.x.kt_im2col(fast, cols, px, rows, pg));
        both(`col2im ${g} (${rows} examples)`, m, (fast, dx) => k.x.kt_col2im(fast, dx, pd, rows, pg));
      }
      k.freeAll();
    }
    assert.ok(sides.below > 0 && sides.at > 0 && sides.above > 0, `geometries below, at and above the padded buffer: ${JSON.stringify(sides)}`);
  });

  it(`forward and both gradients through the GEMM match direct convolution loops on ${GEOMS.length + SIZED.length} geometries`, () => {
    let seed = 100;
    for (const g of [...GEOMS, ...SIZED]) {
      const [h, w, c, f, kern, stride, same] = g, rows = 3;
      const { pg, oh, ow } = shape(g);
      const padT = same ? Math.max(0, Math.floor(((oh - 1) * stride + kern - h) / 2)) : 0;
      const padL = same ? Math.max(0, Math.floor(((ow - 1) * stride + kern - w) / 2)) : 0;
      const kkc = kern * kern * c, P = rows * oh * ow;
      const x = randomFloats(rows * h * w * c, ++seed), W = randomFloats(kkc * f, ++seed), b = randomFloats(f, ++seed);
      const dz = randomFloats(P * f, ++seed);
      const px = k.array(x.length, x), pW = k.array(W.length, W), pb = k.array(f, b);
      const pz = k.array(P * f, randomFloats(P * f, 3)), pcols = k.array(P * kkc);
      k.x.kt_conv_forward(pz, pcols, px, pW, pb, rows, pg);
      close(k.read(pz, P * f), directForward(x, W, b, rows, g, oh, ow, padT, padL), `forward ${g}`);
      const pdz = k.array(P * f, dz), pdx = k.array(x.length, randomFloats(x.length, 4));
      const pdW = k.array(kkc * f, randomFloats(kkc * f, 5)), pdb = k.array(f, randomFloats(f, 6)), pdcols = k.array(P * kkc);
      assert.equal(k.x.kt_conv_backward(pdx, pdW, pdb, pdz, pcols, pW, rows, pg, pdcols), 1);
      const want = directBackward(x, W, dz, rows, g, oh, ow, padT, padL);
      close(k.read(pdx, x.length), want.dx, `dx ${g}`);
      close(k.read(pdW, kkc * f), want.dW, `dW ${g}`);
      close(k.read(pdb, f), want.db, `db ${g}`);
      k.freeAll();
    }
  });

  it('the bias gradient is each filter\'s float sum over the positions in order, bit for bit, for 1 to 37 filters', () => {
    // dense.c's column sums run up to 16 filters down the rows together: each sum must still be
    // the float32 sum position after position that the scalar build computes
    const g0 = [9, 7, 3, 0, 3, 1, 1], rows = 5;
    for (let f = 1; f <= 37; f += f < 18 ? 1 : 4) {
      const g = g0.slice(); g[3] = f;
      const { pg, oh, ow } = shape(g);
      const P = rows * oh * ow, kkc = 9 * g[2];
      const dz = randomFloats(P * f, f);
      const pdz = k.array(P * f, dz), pcols = k.array(P * kkc, randomFloats(P * kkc, 2)), pW = k.array(kkc * f, randomFloats(kkc * f, 3));
      const pdW = k.array(kkc * f), pdb = k.array(f);
      k.x.kt_conv_backward(0, pdW, pdb, pdz, pcols, pW, rows, pg, 0);
      const want = new Float32Array(f);
      for (let p = 0; p < P; ++p) for (let o = 0; o < f; ++o) want[o] = Math.fround(want[o] + dz[p * f + o]);
      assert.deepEqual(k.read(pdb, f), want, `${f} filters`);
      k.freeAll();
    }
  });

  it('without a bias (bias: false) the forward pass is im2col . W alone', () => {
    for (const g of [[9, 9, 3, 5, 3, 1, 1], [12, 12, 8, 16, 3, 1, 1], [13, 6, 1, 8, 5, 2, 0]]) {
      const [h, w, c, f, kern, stride, same] = g, rows = 2;
      const { pg, oh, ow } = shape(g);
      const padT = same ? Math.max(0, Math.floor(((oh - 1) * stride + kern - h) / 2)) : 0;
      const padL = same ? Math.max(0, Math.floor(((ow - 1) * stride + kern - w) / 2)) : 0;
      const x = randomFloats(rows * h * w * c, 7), W = randomFloats(kern * kern * c * f, 8);
      const px = k.array(x.length, x), pW = k.array(W.length, W);
      const pz = k.array(rows * oh * ow * f, randomFloats(rows * oh * ow * f, 9)), pc = k.array(rows * oh * ow * kern * kern * c);
      k.x.kt_conv_forward(pz, pc, px, pW, 0, rows, pg);
      close(k.read(pz, rows * oh * ow * f), directForward(x, W, new Float32Array(f), rows, g, oh, ow, padT, padL), `no bias ${g}`);
      k.freeAll();
    }
  });

  it('a wrong lowering would be caught: a shifted padding fails the direct comparison', () => {
    const g = [9, 9, 3, 5, 3, 1, 1];
    const { pg, oh, ow } = shape(g);
    const x = randomFloats(9 * 9 * 3, 1), W = randomFloats(27 * 5, 2), b = randomFloats(5, 3);
    const px = k.array(x.length, x), pW = k.array(W.length, W), pb = k.array(5, b), pz = k.array(oh * ow * 5), pc = k.array(oh * ow * 27);
    k.x.kt_conv_forward(pz, pc, px, pW, pb, 1, pg);
    assert.throws(() => close(k.read(pz, oh * ow * 5), directForward(x, W, b, 1, g, oh, ow, 0, 0), 'shifted'));
    k.freeAll();
  });
});

describe('2x2 pooling', () => {
  it('max and average, forward and backward: the 4-lane loops give the references\' values (ties and odd sizes too)', () => {
    let seed = 500;
    for (const [h, w] of [[2, 2], [5, 7], [12, 12], [9, 4], [13, 13]])
      for (const c of [1, 3, 4, 8, 16])
        for (const mode of [0, 1]) {
          const rows = 3, n = rows * h * w * c, m = rows * (h >> 1) * (w >> 1) * c;
          const x = randomFloats(n, ++seed);
          for (let i = 0; i < n; i += 7) x[i] = x[i + 1 < n ? i + 1 : i]; // ties: the first largest wins
          const px = k.array(n, x), dy = k.array(m, randomFloats(m, ++seed));
          const res = [1, 0].map((fast) => {
            const py = k.array(m, randomFloats(m, 1)), pi = k.array(m, randomFloats(m, 2)), pdx = k.array(n, randomFloats(n, 3));
            k.x.kt_pool_forward(fast, py, mode === 0 ? pi : 0, px, rows, h, w, c, mode);
            k.x.kt_pool_backward(fast, pdx, dy, mode === 0 ? pi : 0, 0, rows, h, w, c, mode);
            return { y: k.read(py, m), i: mode === 0 ? k.read(pi, m) : null, dx: k.read(pdx, n) };
          });
          assert.deepEqual(res[0], res[1], `${mode ? 'average' : 'max'} ${h}x${w}x${c}`);
          k.freeAll();
        }
  });

  it('max pooling gated by its outputs passes the gradient of the ReLU below: the ungated gradient where x > 0, the same in both loops', () => {
    let seed = 900;
    for (const [h, w] of [[2, 2], [5, 7], [12, 12], [6, 6], [13, 13]])
      for (const c of [1, 3, 4, 8, 16]) {
        const rows = 3, n = rows * h * w * c, m = rows * (h >> 1) * (w >> 1) * c;
        // a ReLU's output: zeros (a third of the windows are all zero) and positive values
        const x = randomFloats(n, ++seed).map((v) => Math.max(0, v - 0.3));
        const px = k.array(n, x), dy = k.array(m, randomFloats(m, ++seed));
        const py = k.array(m), pi = k.array(m);
        k.x.kt_pool_forward(0, py, pi, px, rows, h, w, c, 0);
        const back = (fast, gate) => {
          const pdx = k.array(n, randomFloats(n, 3));
          k.x.kt_pool_backward(fast, pdx, dy, pi, gate ? py : 0, rows, h, w, c, 0);
          return k.read(pdx, n);
        };
        const gated = back(1, true), open = back(0, false);
        assert.deepEqual(gated, back(0, true), `${h}x${w}x${c}: the 4-lane loop against the reference`);
        const want = open.map((v, i) => (x[i] > 0 ? v : 0));
        assert.deepEqual(gated, want, `${h}x${w}x${c}: the ReLU's derivative applied after pooling`);
        assert.ok(want.some((v, i) => open[i] !== 0 && v === 0), 'some gradients are stopped by the gate');
        k.freeAll();
      }
  });
});
