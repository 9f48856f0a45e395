// kernels.mjs: loads web/wasm/gradlab-kernels.wasm (built from tests/wasm/kernels.c and
// bench/peak.c) in Node and wraps its entry points with Float32Array helpers.
import { readFile } from 'node:fs/promises';

export const FORMS = ['nn', 'tn', 'nt'];
export const ACTS = { linear: 0, relu: 1, 'leaky-relu': 2, tanh: 3, sigmoid: 4, softmax: 5 };

export async function loadKernels() {
  const bytes = await readFile(new URL('../../web/wasm/gradlab-kernels.wasm', import.meta.url));
  const { instance } = await WebAssembly.instantiate(bytes, { env: { emscripten_notify_memory_growth() {} } });
  const x = instance.exports;
  x._initialize?.();
  const blocks = [];
  const k = {
    x,
    /** a wasm array of n floats (a copy of values when given); freed by k.freeAll() */
    array(n, values) {
      const ptr = x.kt_alloc(n);
      blocks.push(ptr);
      if (values) k.view(ptr, n).set(values);
      return ptr;
    },
    view(ptr, n) { return new Float32Array(x.memory.buffer, ptr, n); },
    read(ptr, n) { return k.view(ptr, n).slice(); },
    freeAll() { for (const p of blocks.splice(0)) x.kt_free(p); },
    /** the names of the packed GEMM's micro-kernel variants, in their order (kt_gemm_select's index) */
    variants() {
      return Array.from({ length: x.kt_gemm_variants() }, (_, i) => {
        const bytes = new Uint8Array(x.memory.buffer, x.kt_gemm_variant_name(i), 64);
        return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
      });
    },
  };
  return k;
}

/** Deterministic pseudo-random floats in [lo, hi) (a small LCG: tests must not depend on Math.random). */
export function randomFloats(n, seed, lo = -1, hi = 1) {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; ++i) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (hi - lo) * (s / 4294967296);
  }
  return out;
}
