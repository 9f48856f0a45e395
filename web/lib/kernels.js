// kernels.js: which GEMM micro-kernel variant the engine runs (src/gemm.c's table), chosen at load.
// The same wasm is compiled by the engine into different machine code on Intel, AMD and ARM hosts,
// and the fastest tile shape or way of broadcasting A differs between them; so loadGradlab times
// the variants on a product of the size training uses and selects the fastest, unless a variant is
// forced (loadGradlab({ kernel: name })). Every variant gives bit-identical results (each entry
// is summed over k in the same order), so the choice changes speed only.
import { GradlabError } from './names.js';

export const CALIBRATION_BUDGET_MS = 30;
// a forward product of a 256-unit layer at batch 64 (K = 256 with a B of 64 Ki floats takes the
// packed path); about 0.2 ms per product at 40 GFLOP/s, so five variants take about 1 ms a round
const SHAPE = { M: 64, N: 256, K: 256 };
// a variant replaces the default only when its best time is this much faster: timings on a loaded
// machine are noisy, and the default is the measured best where it was tuned (Intel Xeon)
const MARGIN = 0.05;
// and only after at least this many products of each: the first few run in the engine's baseline
// tier (see calibrate), so a calibration starved of time by a loaded machine keeps the default
const MIN_PRODUCTS = 8;

/** the smallest step of performance.now(): a few microseconds in Node, up to 100 us in browsers */
function clockStep() {
  let step = Infinity;
  for (let i = 0; i < 3; ++i) {
    const a = performance.now();
    let b = a;
    while (b === a) b = performance.now();
    step = Math.min(step, b - a);
  }
  return step;
}

function variantsOf(x, memory) {
  const text = (ptr) => {
    const bytes = new Uint8Array(memory.buffer, ptr, 64);
    return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
  };
  return Array.from({ length: x.gl_gemm_variant_count() }, (_, i) => {
    const tile = x.gl_gemm_variant_tile(i);
    return { name: text(x.gl_gemm_variant_name(i)), mr: Math.floor(tile / 100), nr: tile % 100 };
  });
}

/**
 * fn(A, B, C) with the operands of a SHAPE product in the module's memory, holding plain values
 * (fresh memory could hold denormals or NaN, which x86 computes slowly), freed after; `lacking`
 * when the memory for them cannot be had.
 */
function withOperands(x, memory, fn, lacking) {
  const { M, N, K } = SHAPE;
  const A = x.gl_alloc(M * K * 4), B = x.gl_alloc(K * N * 4), C = x.gl_alloc(M * N * 4);
  try {
    if (!A || !B || !C) return lacking;
    const f = (ptr, n, v) => new Float32Array(memory.buffer, ptr, n).fill(v);
    f(A, M * K, 0.5); f(B, K * N, 0.25); f(C, M * N, 0);
    return fn(A, B, C);
  } finally {
    for (const p of [A, B, C]) if (p) x.gl_free(p);
  }
}

/** best milliseconds per product of each variant, measured in interleaved rounds within the budget */
function calibrate(x, memory, count, budgetMs) {
  const { M, N, K } = SHAPE;
  const best = new Array(count).fill(Infinity);
  let rounds = 0, reps = 1;
  // without memory for the operands, nothing is timed: every best stays Infinity
  withOperands(x, memory, (A, B, C) => {
    const start = performance.now();
    // each timing spans at least about 20 steps of the clock (one product is about 0.2 ms)
    reps = Math.max(1, Math.min(8, Math.ceil(20 * clockStep() / 0.2)));
    // one untimed product of each first: every variant is then hot, so the engine compiles the
    // optimised code of all of them at once (on its own threads) rather than of one at a time as
    // the rounds reach them, and a second timing (the page's, kernel-share.js) finds all of it ready
    for (let v = 0; v < count; ++v) x.gl_gemm_trial(v, M, N, K, A, B, C, 1);
    // The engine runs a function in its baseline compiler (V8's Liftoff, about 2.5x slower here)
    // until it has done some work, then swaps in optimised code (about 3 products of this size in
    // Node 20): the best of many interleaved rounds is the optimised time when the budget allows
    // it. A stall (another process taking the core) only lengthens one round.
    for (;;) {
      for (let v = 0; v < count; ++v) {
        const t0 = performance.now();
        if (t0 - start > budgetMs) return;
        x.gl_gemm_trial(v, M, N, K, A, B, C, reps);
        best[v] = Math.min(best[v], (performance.now() - t0) / reps);
      }
      ++rounds;
    }
  });
  return { best, rounds, reps };
}

/**
 * One untimed product with variant `index` (a 64x256x256 one, as the timing's): the engine then
 * compiles that variant's optimised code, so that a later timing finds it (see calibrate). Returns
 * false when the index is not one of the build's variants or the memory for it is lacking.
 */
export function warmVariant({ exports: x, memory }, index) {
  if (!Number.isInteger(index) || index < 0 || index >= x.gl_gemm_variant_count()) return false;
  const { M, N, K } = SHAPE;
  // gl_gemm_trial keeps the selected variant
  return withOperands(x, memory, (A, B, C) => x.gl_gemm_trial(index, M, N, K, A, B, C, 1) === 0, false);
}

/** a record of another engine's choice: what kernelInfo() returns, or the kernel of the page's ready event */
const isRecord = (option) => option !== null && typeof option === 'object' && typeof option.variant === 'string';

/**
 * Selects the variant: options.kernel names one (forced), 'default' forces the table's first without
 * timing anything (for a module that runs no large product, such as the page's data-set pictures),
 * 'auto' / undefined times them all, or a record another engine reported (its kernelInfo(), or the
 * kernel of the page's ready event) adopts that engine's choice without timing: the engines of one
 * page run on the same CPU, so one calibration serves them all. A record naming a variant this build
 * lacks (the scalar build's 'reference') times this build's own instead. Returns the record
 * Lab.kernelInfo() reports.
 */
export function chooseKernel({ exports: x, memory }, option = 'auto') {
  const variants = variantsOf(x, memory);
  const names = variants.map((v) => v.name);
  if (isRecord(option) && !names.includes(option.variant)) option = 'auto';
  if (!isRecord(option) && option !== 'auto' && option !== 'default' && !names.includes(option)) {
    throw new GradlabError(`kernel must be 'auto', 'default', one of ${names.map((n) => `'${n}'`).join(', ')} or a kernelInfo() record; got ${JSON.stringify(option)}`);
  }
  const info = { variant: names[0], forced: false, adopted: false, settled: false, calibrationMs: 0, rounds: 0, productsEach: 0,
    shape: { ...SHAPE }, variants };
  if (isRecord(option)) {
    // the other engine's choice and how it was made (its calibration's time, whether it settled)
    Object.assign(info, { variant: option.variant, adopted: true, settled: !!option.settled, calibrationMs: Number(option.calibrationMs) || 0 });
  } else if (option !== 'auto') {
    info.forced = true;
    info.variant = option === 'default' ? names[0] : option;
  } else if (variants.length > 1) {
    const t0 = performance.now();
    const { best, rounds, reps } = calibrate(x, memory, variants.length, CALIBRATION_BUDGET_MS);
    info.calibrationMs = performance.now() - t0;
    info.rounds = rounds;
    info.productsEach = rounds * reps;
    info.settled = rounds * reps >= MIN_PRODUCTS;
    const flops = 2 * SHAPE.M * SHAPE.N * SHAPE.K;
    variants.forEach((v, i) => { v.ms = best[i]; v.gflops = Number.isFinite(best[i]) && best[i] > 0 ? flops / best[i] / 1e6 : 0; });
    let fastest = 0;
    for (let i = 1; i < variants.length; ++i) if (best[i] < best[fastest]) fastest = i;
    if (info.settled && best[fastest] < best[0] * (1 - MARGIN)) info.variant = names[fastest];
  }
  x.gl_gemm_select(names.indexOf(info.variant));
  return info;
}
