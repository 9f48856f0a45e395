// The three builds agree: native, scalar wasm and SIMD wasm give the same losses on one seed
// (within a stated tolerance: float sums run in another order with SIMD), and the SIMD build
// really contains SIMD in its dense-layer kernels. The file builds what it runs when that is missing
// or stale (the native trace program, the wasm modules), through scripts/build.mjs as `npm test`
// does, so it runs on its own in a fresh tree; after `npm test`'s build that is a quick check.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { buildNative, buildWasm } from '../../scripts/build.mjs';
import { loadGradlab } from '../../web/lib/gradlab.js';

let trace;
before(() => {
  buildWasm();
  trace = join(buildNative({ target: 'gradlab_trace' }), 'gradlab_trace');
});

// Relative, on the loss every 10 steps over the first 200 steps of the spiral run. Further on,
// full-batch SGD at rate 1.0 is chaotic enough to amplify last-bit differences (libm's exp and
// tanh are not the same code natively and in wasm) into percent-level ones, though every build
// still reaches 98% (tests/js/api.test.mjs).
const TOLERANCE = 1e-5;

async function wasmTrace(simd) {
  const lab = await loadGradlab({ simd });
  const data = lab.dataset('spiral', { samples: 300, classes: 3, noise: 0.1, testFraction: 0, seed: 1 });
  const net = lab.network({ inputs: 2, layers: [{ units: 100, activation: 'relu' }, { units: 3, activation: 'softmax' }],
    loss: 'cross-entropy', init: { name: 'normal', std: 0.01 }, seed: 7 });
  net.setOptimizer({ name: 'sgd', learningRate: 1.0, l2: 1e-3 });
  const out = [];
  for (let i = 0; i < 20; ++i) out.push(net.train(data, { steps: 10 }).loss);
  return out;
}

it(`native, scalar-wasm and SIMD-wasm losses agree within ${TOLERANCE} (relative)`, async () => {
  const native = JSON.parse(execFileSync(trace, { encoding: 'utf8' }));
  const scalar = await wasmTrace(false);
  const simd = await wasmTrace(true);
  let worst = 0;
  for (let i = 0; i < native.length; ++i) {
    for (const other of [scalar, simd]) worst = Math.max(worst, Math.abs(other[i] - native[i]) / native[i]);
  }
  console.log(`  largest relative loss difference between builds: ${worst.toExponential(2)}`);
  assert.equal(native.length, 20);
  assert.ok(worst < TOLERANCE, `builds differ by ${worst}`);
});

// a module's disassembly, made once for both tests below
const disassembled = new Map();
const disassembly = (file) => {
  if (!disassembled.has(file)) disassembled.set(file, execFileSync('wasm-objdump', ['-d', file], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  return disassembled.get(file);
};

it('the SIMD build has f32x4 instructions in its dense-layer GEMM kernel; the scalar build has none', () => {
  const count = (file) => {
    const text = disassembly(file);
    const perFunction = {};
    let current = '';
    for (const line of text.split('\n')) {
      const m = line.match(/func\[\d+\] <([^>]+)>:/);
      if (m) current = m[1];
      else if (line.includes('f32x4')) perFunction[current] = (perFunction[current] ?? 0) + 1;
    }
    return perFunction;
  };
  const simd = count('web/wasm/gradlab-simd.wasm');
  const scalar = count('web/wasm/gradlab-scalar.wasm');
  // the packed path's micro-kernel variants (gemm.c: one function packed_<tile>_<broadcast> each)
  const variants = Object.keys(simd).filter((f) => f.startsWith('packed_'));
  console.log(`  f32x4 instructions in the GEMM micro-kernels: ${variants.map((f) => `${f} ${simd[f]}`).join(', ')}`);
  assert.ok(variants.length >= 4, variants.join());
  for (const f of variants) assert.ok(simd[f] > 16, `${f}: ${simd[f]}`);
  assert.equal(Object.keys(scalar).length, 0);
});

// A browser compiles the kernels a training step runs with its optimising compiler while the page
// draws its first frames (about a quarter second of CPU for the whole module on 2 cores), so the
// kernels' code size is a cost of the page's load. gemm_tile.h keeps the epilogue's rarer
// activations out of line; inlined at every tile edge they made the module 505 KB, its largest
// function (gemm_small.c direct) 81 KB.
it('the SIMD build stays small: under 400 KB, no function over 40 KB', () => {
  const file = 'web/wasm/gradlab-simd.wasm';
  const size = readFileSync(file).length;
  assert.ok(size < 400 * 1024, `${file}: ${size} bytes`);
  const starts = [...disassembly(file).matchAll(/^([0-9a-f]+) func\[\d+\] <([^>]+)>:/gm)].map((m) => [parseInt(m[1], 16), m[2]]);
  const code = execFileSync('wasm-objdump', ['-h', file], { encoding: 'utf8' }).match(/Code start=0x[0-9a-f]+ end=0x([0-9a-f]+)/);
  starts.push([parseInt(code[1], 16), null]);
  const largest = starts.slice(0, -1).map(([at, name], i) => [starts[i + 1][0] - at, name]).sort((a, b) => b[0] - a[0])[0];
  console.log(`  gradlab-simd.wasm: ${size} bytes; largest function ${largest[1]}, ${largest[0]} bytes`);
  assert.ok(largest[0] < 40 * 1024, `${largest[1]}: ${largest[0]} bytes`);
});
