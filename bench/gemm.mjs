// gemm.mjs: GEMM GFLOP/s of gradlab's three forms (gradlab-kernels.wasm, the same kernels as the
// SIMD build) beside tfjs-wasm's matMul in the same forms, and the f32x4 mul+add peak of this
// Node on this machine, measured in interleaved repetitions.
import { loadKernels, randomFloats } from '../tests/wasm/kernels.mjs';

const FORMS = [['nn', 0, false, false], ['tn', 1, true, false], ['nt', 2, false, true]];

/** seconds per call of fn, timing enough calls to fill about `target` seconds */
function timeCalls(fn, target) {
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; ++i) fn();
    const s = (performance.now() - t0) / 1e3;
    if (s >= target || calls >= 1 << 20) return s / calls;
    calls = Math.max(calls * 2, Math.ceil(calls * target / Math.max(s, 1e-6)));
  }
}

/**
 * GFLOP/s samples per key. variant: the name of the micro-kernel variant the main table uses (the
 * one the SIMD build chose or was forced to); every variant's nn product is also timed at each
 * size of variantSizes, beside a peak measurement, as 'variant NAME nn N / peak'.
 */
export async function benchGemm({ sizes, reps, target, tf, variant, variantSizes = [] }) {
  const k = await loadKernels();
  const names = k.variants();
  const chosen = Math.max(0, names.indexOf(variant));
  k.x.kt_gemm_select(chosen);
  const samples = {}; // key -> GFLOP/s per repetition
  const add = (key, v) => (samples[key] ??= []).push(v);
  const peakIterations = 200000;
  const setups = sizes.map((n) => {
    const A = k.array(n * n, randomFloats(n * n, 1)), B = k.array(n * n, randomFloats(n * n, 2));
    const C = k.array(n * n, new Float32Array(n * n));
    const ta = tf?.tensor2d(randomFloats(n * n, 1), [n, n]), tb = tf?.tensor2d(randomFloats(n * n, 2), [n, n]);
    return { n, A, B, C, ta, tb };
  });
  // Each product is timed right after a short peak measurement, and every ratio is formed within
  // one repetition, so a burst of load from elsewhere on the machine moves both sides of a ratio.
  const peak = () => 96 * peakIterations / timeCalls(() => k.x.bench_peak(peakIterations), target / 2) / 1e9;
  for (let rep = -1; rep < reps; ++rep) { // rep -1 warms up every path (the engines compile in tiers)
    for (const { n, A, B, C, ta, tb } of setups) {
      const flops = 2 * n * n * n, here = {};
      for (const [form, id, transA, transB] of FORMS) {
        const p = peak();
        const g = flops / timeCalls(() => k.x.kt_gemm(id, 1, n, n, n, A, B, C, 1), target) / 1e9;
        here[form] = g;
        if (rep < 0) continue;
        add('peak', p); add(`gradlab ${form} ${n}`, g); add(`gradlab ${form} ${n} / peak`, g / p);
        if (tf) {
          const t = flops / timeCalls(() => { const c = tf.matMul(ta, tb, transA, transB); c.dataSync(); c.dispose(); }, target) / 1e9;
          add(`tfjs ${form} ${n}`, t); add(`gradlab ${form} ${n} / tfjs`, g / t);
          here[`tfjs ${form}`] = t;
        }
      }
      for (const [v, name] of names.entries()) {
        if (!variantSizes.includes(n)) break;
        k.x.kt_gemm_select(v);
        const p = peak();
        const g = flops / timeCalls(() => k.x.kt_gemm(0, 1, n, n, n, A, B, C, 1), target) / 1e9;
        if (rep >= 0) { add(`variant ${name} nn ${n}`, g); add(`variant ${name} nn ${n} / peak`, g / p); }
      }
      k.x.kt_gemm_select(chosen);
      if (rep < 0) continue;
      for (const form of ['nn', 'tn', 'nt']) {
        add(`gradlab ${form} ${n} / nn`, here[form] / here.nn);
        if (tf) add(`tfjs ${form} ${n} / nn`, here[`tfjs ${form}`] / here['tfjs nn']);
      }
    }
  }
  for (const s of setups) { s.ta?.dispose(); s.tb?.dispose(); }
  k.freeAll();
  return { samples, variants: names, variant: names[chosen] };
}
