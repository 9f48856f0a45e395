// `npm run bench -- --quick` keeps working: every engine produces a throughput, the GEMM and
// memory sections run, and tfjs-wasm says which binary it loaded. No timing is asserted; the two
// memory facts are not timings: the leak check holds exactly, the d500 accounting loosely.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';

it('the quick benchmark runs every engine, the GEMM, convolution and memory sections', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-bench-'));
  try {
    const file = join(dir, 'quick.json');
    const run = spawnSync(process.execPath, ['bench/run.mjs', '--quick', '--json', file], { encoding: 'utf8', timeout: 240000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /## Training throughput/);
    const r = JSON.parse(readFileSync(file, 'utf8'));
    const engines = ['gradlab SIMD', 'gradlab scalar', 'gradlab native', 'tfjs-wasm', 'tfjs-cpu', 'ConvNetJS', 'brain.js'];
    for (const net of r.config.networks) {
      for (const e of engines) {
        const v = r.results[net][e];
        assert.ok(v?.length === r.config.reps && v.every((x) => Number.isFinite(x) && x > 0), `${net} ${e}: ${v}`);
      }
    }
    assert.match(r.tfjs.binary, /tfjs-backend-wasm-simd\.wasm/);
    for (const key of ['peak', 'gradlab nn 64', 'gradlab tn 64', 'gradlab nt 64', 'tfjs nt 64', 'gradlab nt 64 / peak', 'gradlab tn 64 / nn']) {
      assert.ok(r.gemm[key]?.every((x) => x > 0), key);
    }
    const positive = (v) => v?.length === r.config.reps && v.every((x) => Number.isFinite(x) && x > 0);
    for (const e of ['gradlab SIMD', 'gradlab scalar', 'tfjs-cpu']) assert.ok(positive(r.conv.adam[e]), `convnet ${e}: ${r.conv.adam[e]}`);
    for (const net of ['digits', 'lenet']) {
      for (const e of ['gradlab SIMD', 'gradlab scalar', 'ConvNetJS']) assert.ok(positive(r.conv.sgd[net]?.[e]), `${net} ${e}: ${r.conv.sgd[net]?.[e]}`);
    }
    assert.match(run.stdout, /## Convolution: digits convnet/);
    assert.match(run.stdout, /## Instruments \(issue 15\) on s32 over 512 rows/);
    for (const b of ['gradlab SIMD', 'gradlab scalar']) {
      for (const what of ['landscape', 'sharpness']) assert.ok(r.instruments[`${b} ${what}`]?.every((x) => x > 0), `${b} ${what}`);
      assert.ok(r.instruments[`${b} sharpness error`].every((x) => x >= 0 && x < 0.05), `${b}: lambda max to 1% is near the tight estimate`);
    }
    assert.match(run.stdout, /## Convolution against ConvNetJS/);
    // the GEMM micro-kernel: the one the SIMD build runs is named, and every variant was timed
    assert.ok(r.kernel.variants.some((v) => v.name === r.kernel.variant), r.kernel.variant);
    assert.match(run.stdout, /gradlab SIMD GEMM micro-kernel: \*\*/);
    for (const v of r.kernel.variants) assert.ok(r.gemm[`variant ${v.name} nn 64 / peak`]?.every((x) => x > 0), `variant ${v.name}`);
    assert.equal(r.mem.liveAfter, r.mem.liveBefore, 'create/dispose cycles leak');
    // at least what the network needs (the accounting is sane); whether it stays within issue 5's
    // 1.25 is a target the benchmark reports, not a property this smoke test holds the engine to
    assert.ok(r.mem.ratio >= 1 && r.mem.ratio < 2, `d500 holds ${r.mem.ratio} times its need`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('bench/against.mjs trains a build beside this checkout and prints their ratio; bad options are named', () => {
  const run = spawnSync(process.execPath, ['bench/against.mjs', 'web/wasm', '--network', 's8', '--reps', '2', '--block', '0.01'],
    { encoding: 'utf8', timeout: 120000 });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.match(lines[0], /^s8 with gradlab SIMD \(4x8-loadsplat\), 2 repetitions of \d+ steps, CPU time; /);
  assert.match(lines[1], /web\/wasm\/: [\d.]+ samples\/s, ÷ web\/wasm: 1\.0000 \(1\.000–1\.000\)$/);
  assert.match(lines[2], /^this checkout: [\d.]+ samples\/s, ÷ web\/wasm: \d\.\d{4} /);
  for (const [extra, named] of [[['--reps', '0'], /--reps 0: a whole number >= 1/], [['--network', 'x9'], /--network x9: allowed s8,/]]) {
    const bad = spawnSync(process.execPath, ['bench/against.mjs', 'web/wasm', ...extra], { encoding: 'utf8', timeout: 60000 });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, named);
  }
});
