// run.mjs: `npm run bench` (full, a few minutes) or `npm run bench -- --quick` (a few seconds, a
// smoke run for CI: two networks, one repetition, tiny blocks, no conclusions).
// One run, side by side: every repetition times each engine in turn (the order rotates), and the
// tables give medians with min-max over repetitions and the ratios issue 5 asks about.
// `--json FILE` also writes the raw samples; `--networks s32,d500` trains only those networks;
// `--kernel NAME` forces gradlab's GEMM micro-kernel variant (default: the one chosen at load, timed again
// a second later when that timing did not settle, as the page does).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { buildWasm, root } from '../scripts/build.mjs';
import { ensureNativeTools } from '../scripts/toolchain.mjs';
import { brainEngine, convnetEngine, gradlabEngine, nativeEngine, tfjsEngine } from './engines.mjs';
import { benchConv } from './conv.mjs';
import { benchGemm } from './gemm.mjs';
import { benchInstruments } from './instruments.mjs';
import { benchMemory } from './memory.mjs';
import { NETWORKS, toyData } from './networks.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonFile = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;
const config = quick
  ? { networks: ['s8', 'm256'], reps: 1, block: 0.005, gemmSizes: [64], gemmReps: 1, gemmTarget: 0.002, cycles: 200 }
  : { networks: NETWORKS.map((n) => n.name), reps: 7, block: 0.2, gemmSizes: [128, 256, 512], gemmReps: 7, gemmTarget: 0.05, cycles: 10000 };
const kernel = args.includes('--kernel') ? args[args.indexOf('--kernel') + 1] : undefined;
if (args.includes('--networks')) {
  const wanted = String(args[args.indexOf('--networks') + 1] ?? '').split(',').filter(Boolean);
  const known = NETWORKS.map((n) => n.name);
  const unknown = wanted.filter((w) => !known.includes(w));
  if (!wanted.length || unknown.length) {
    console.error(`--networks: ${unknown.length ? `unknown ${unknown.join(', ')}` : 'give a list'}; allowed: ${known.join(', ')}`);
    process.exit(2);
  }
  config.networks = known.filter((n) => wanted.includes(n));
}

// ---- builds: the wasm modules, and the native bench program with -O3 -march=native ----
buildWasm();
ensureNativeTools();
const nativeDir = join(root, 'build', 'bench-native');
execFileSync('cmake', ['-S', root, '-B', nativeDir, '-DCMAKE_BUILD_TYPE=Release', '-DGRADLAB_NATIVE_ARCH=ON'], { stdio: 'ignore' });
execFileSync('cmake', ['--build', nativeDir, '-j2', '--target', 'gradlab_bench'], { stdio: 'ignore' });

const median = (v) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 10 ? x.toFixed(1) : x.toPrecision(3));
const cell = (v) => (v?.length ? `${fmt(median(v))} (${fmt(Math.min(...v))}–${fmt(Math.max(...v))})` : 'n/a');
const ratio = (a, b) => (a?.length && b?.length ? median(a) / median(b) : NaN);
const out = [];
const say = (line = '') => { out.push(line); console.log(line); };

say(`# gradlab benchmark${quick ? ' (--quick: a smoke run, numbers mean nothing)' : ''}`);
say();
say(`${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} logical cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
  `Node ${process.version} (V8 ${process.versions.v8}), ${os.platform()} ${os.release()}; ${new Date().toISOString().slice(0, 16)}Z; ` +
  `load average at start ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);

// ---- engines ----
const engines = [await gradlabEngine(true, kernel), await gradlabEngine(false), nativeEngine(join(nativeDir, 'gradlab_bench'))];
const atLoad = engines[0].lab.kernelInfo();
// The timing at load mostly times the engine's baseline code (docs/api.md, loading): as the page
// does, time the variants once more when their optimised code is in place, and run that choice.
let kernelInfo = atLoad;
if (!atLoad.forced && !atLoad.settled) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  kernelInfo = engines[0].lab.useKernel('auto');
}
const failed = [];
for (const make of [() => tfjsEngine('wasm'), () => tfjsEngine('cpu'), convnetEngine, brainEngine]) {
  try { engines.push(await make()); } catch (e) { failed.push(String(e.message ?? e).split('\n')[0]); }
}
const tfWasm = engines.find((e) => e.name === 'tfjs-wasm');
say();
if (tfWasm) {
  const i = tfWasm.info;
  say(`TensorFlow.js ${i.version}, wasm backend: SIMD support ${i.simd}, threads ${i.threads}, binary loaded: ${i.binary || 'unknown'}` +
    (i.binary.includes('simd') ? ' (the SIMD build)' : ' (NOT the SIMD build)'));
}
for (const f of failed) say(`could not load a competitor: ${f}`);
say();
const timing = (k, when) => `${when}: ${k.rounds} round${k.rounds === 1 ? '' : 's'} in ${k.calibrationMs.toFixed(1)} ms${k.settled ? '' : ', not settled, so the default'}; best GFLOP/s on ` +
  `${k.shape.M}x${k.shape.N}x${k.shape.K}: ${k.variants.map((v) => `${v.name} ${v.gflops.toFixed(1)}`).join(', ')}`;
say(`gradlab SIMD GEMM micro-kernel: **${kernelInfo.variant}** (${kernelInfo.forced ? 'forced by --kernel'
  : [timing(atLoad, 'timed at load'), ...(kernelInfo === atLoad ? [] : [timing(kernelInfo, 'timed again 1 s later')])].join('; ')})`);

// ---- training throughput ----
const results = {}; // net -> engine -> samples/s per repetition
// Each timed block starts after a full garbage collection, so no trainer is charged for collecting
// what the one before it left (TensorFlow.js, ConvNetJS and brain.js make garbage on every step;
// gradlab makes none). What a trainer throws away during its own block is still collected on its time.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');
async function timeBlock(engine, runner, units) {
  if (engine.external) { const r = runner.runTimed(units); return r.samples / r.seconds; }
  await engine.activate?.();
  collectGarbage();
  const t0 = performance.now();
  const samples = runner.run(units);
  return samples / ((performance.now() - t0) / 1e3);
}
for (const name of config.networks) {
  const net = NETWORKS.find((n) => n.name === name);
  const data = toyData(net, net.inputs >= 500 ? 2048 : 4096);
  const runs = [];
  for (const engine of engines) {
    await engine.activate?.();
    const runner = engine.prepare(net, data);
    // calibrate: units (steps of one batch) per block so a block lasts about config.block seconds
    let units = 1, rate = await timeBlock(engine, runner, 1);
    for (let i = 0; i < 4; ++i) {
      rate = await timeBlock(engine, runner, units);
      const next = Math.max(1, Math.round(config.block * rate / net.batch));
      if (next <= units * 1.5 && i > 0) { units = next; break; }
      units = Math.min(next, units * 8);
    }
    runs.push({ engine, runner, units });
  }
  results[name] = {};
  for (let rep = 0; rep < config.reps; ++rep) {
    for (let j = 0; j < runs.length; ++j) {
      const { engine, runner, units } = runs[(j + rep) % runs.length];
      (results[name][engine.name] ??= []).push(await timeBlock(engine, runner, units));
    }
  }
  for (const { runner } of runs) runner.dispose();
  process.stderr.write(`  ${name} done\n`);
}

const names = engines.map((e) => e.name);
say();
say(`## Training throughput, samples/s: median (min–max) of ${config.reps} interleaved repetitions`);
say();
say(`| network | ${names.map((n) => `${n} (${engines.find((e) => e.name === n).optimizer})`).join(' | ')} |`);
say(`| --- |${names.map(() => ' ---: |').join('')}`);
for (const net of config.networks) say(`| ${net} | ${names.map((n) => cell(results[net][n])).join(' | ')} |`);
say();
say('## gradlab SIMD relative to each (ratio of medians, higher = gradlab SIMD faster)');
say();
const others = names.filter((n) => n !== 'gradlab SIMD');
say(`| network | ${others.map((n) => `÷ ${n}`).join(' | ')} |`);
say(`| --- |${others.map(() => ' ---: |').join('')}`);
for (const net of config.networks) {
  say(`| ${net} | ${others.map((n) => `${ratio(results[net]['gradlab SIMD'], results[net][n]).toFixed(2)}×`).join(' | ')} |`);
}

// ---- the instruments of issue 15, beside the training figures ----
const inst = await benchInstruments({ labs: { 'gradlab SIMD': engines[0].lab, 'gradlab scalar': engines[1].lab }, reps: config.reps,
  resolution: quick ? 9 : 41 });
const ms = (v) => cell(v.map((x) => x * 1e3));
say();
say(`## Instruments (issue 15) on s32 over 512 rows: milliseconds, median (min–max) of ${config.reps} interleaved repetitions`);
say();
say(`| build | ${quick ? '9 × 9' : '41 × 41'} loss landscape | λmax to 1% (tolerance 0.01) | its error against a 1e-6-tolerance estimate | Hessian-vector products |`);
say('| --- | ---: | ---: | ---: | ---: |');
for (const b of ['gradlab SIMD', 'gradlab scalar']) {
  say(`| ${b} | ${ms(inst[`${b} landscape`])} | ${ms(inst[`${b} sharpness`])} | ${cell(inst[`${b} sharpness error`].map((x) => x * 100))}% | ${cell(inst[`${b} sharpness products`])} |`);
}

// ---- GEMM ----
if (tfWasm) await tfWasm.activate(); // matMul below runs on the wasm backend
const gemmRun = await benchGemm({ sizes: config.gemmSizes, reps: config.gemmReps, target: config.gemmTarget, tf: tfWasm?.tf,
  variant: kernelInfo.variant, variantSizes: config.gemmSizes.filter((n) => n >= 256 || quick) });
const gemm = gemmRun.samples;
say();
say(`## GEMM GFLOP/s, square n×n×n: median (min–max) of ${config.gemmReps} interleaved repetitions`);
say();
say(`f32x4 mul+add peak of this Node on this machine: **${cell(gemm.peak)}** GFLOP/s (measured before each product)`);
say();
say(`Ratios are medians (min–max) of the ratios within each repetition. gradlab's products below use the variant the SIMD build runs (${gemmRun.variant}).`);
say();
say(`| n | form | gradlab | tfjs matMul (${tfWasm ? `${tfWasm.tf.getBackend()} backend` : 'not loaded'}) | gradlab ÷ peak | gradlab ÷ tfjs | form ÷ nn (gradlab) | form ÷ nn (tfjs) |`);
say('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const n of config.gemmSizes) {
  for (const form of ['nn', 'tn', 'nt']) {
    const g = `gradlab ${form} ${n}`;
    say(`| ${n} | ${form} | ${cell(gemm[g])} | ${cell(gemm[`tfjs ${form} ${n}`])} | ${cell(gemm[`${g} / peak`])} | ` +
      `${cell(gemm[`${g} / tfjs`])} | ${cell(gemm[`${g} / nn`])} | ${cell(gemm[`tfjs ${form} ${n} / nn`])} |`);
  }
}

const vSizes = config.gemmSizes.filter((n) => gemm[`variant ${gemmRun.variants[0]} nn ${n} / peak`]);
say();
say('### Every GEMM micro-kernel variant: nn ÷ f32x4 peak (each product timed right after its own peak measurement)');
say();
say('Which variant is fastest depends on the code the engine makes for this CPU (docs/benchmarks.md, "CPU kinds").');
say();
say(`| n | ${gemmRun.variants.map((v) => `${v}${v === gemmRun.variant ? ' (running)' : ''}`).join(' | ')} |`);
say(`| ---: |${gemmRun.variants.map(() => ' ---: |').join('')}`);
for (const n of vSizes) say(`| ${n} | ${gemmRun.variants.map((v) => cell(gemm[`variant ${v} nn ${n} / peak`])).join(' | ')} |`);

// ---- convolution (issues 9 and 18) ----
const tfCpu = engines.find((e) => e.name === 'tfjs-cpu');
if (tfCpu) await tfCpu.activate(); // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel
const conv = await benchConv({ labs: { simd: engines[0].lab, scalar: engines[1].lab }, tf: tfCpu?.tf, reps: config.reps, block: config.block,
  samples: quick ? 256 : 2048 });
say();
say(`## Convolution: digits convnet (conv 8 -> pool -> conv 16 -> pool -> dense 10, 12x12 inputs, Adam, batch 32), samples/s: median (min–max) of ${config.reps} interleaved repetitions`);
say();
say('TensorFlow.js trains it on its cpu backend: its wasm backend (4.22) has no Conv2DBackpropFilter kernel.');
say();
say(`| ${Object.keys(conv.adam).join(' | ')} | SIMD ÷ scalar | SIMD ÷ tfjs-cpu |`);
say(`|${Object.keys(conv.adam).map(() => ' ---: |').join('')} ---: | ---: |`);
say(`| ${Object.values(conv.adam).map(cell).join(' | ')} | ${ratio(conv.adam['gradlab SIMD'], conv.adam['gradlab scalar']).toFixed(2)}× | ` +
  `${ratio(conv.adam['gradlab SIMD'], conv.adam['tfjs-cpu']).toFixed(2)}× |`);
say();
say(`## Convolution against ConvNetJS 0.3: SGD + momentum 0.9, rate 0.01, batch 32, samples/s: median (min–max) of ${config.reps} interleaved repetitions`);
say();
say('digits: the convnet above (12x12). lenet: conv 6 (5x5, same) -> pool -> conv 16 (5x5, valid) -> pool -> dense 120 -> dense 84 -> dense 10, ReLU, on 28x28 digits.');
say();
say('| network | gradlab SIMD | gradlab scalar | ConvNetJS | SIMD ÷ scalar | SIMD ÷ ConvNetJS |');
say('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, r] of Object.entries(conv.sgd)) {
  say(`| ${name} | ${cell(r['gradlab SIMD'])} | ${cell(r['gradlab scalar'])} | ${cell(r.ConvNetJS)} | ` +
    `${ratio(r['gradlab SIMD'], r['gradlab scalar']).toFixed(2)}× | ${ratio(r['gradlab SIMD'], r.ConvNetJS).toFixed(2)}× |`);
}

// ---- memory ----
const mem = await benchMemory({ cycles: config.cycles });
const MB = (b) => `${(b / 2 ** 20).toFixed(2)} MiB`;
say();
say('## Memory (gradlab SIMD, fresh module)');
say();
say(`d500 with Adam, batch 128: ${mem.P.toLocaleString('en-US')} parameters. Needed: parameters ${MB(mem.need.parameters)} + gradients ` +
  `${MB(mem.need.gradients)} + Adam state ${MB(mem.need.adam)} + one batch of activations (z and a) ${MB(mem.need.activations)} ` +
  `= **${MB(mem.need.total)}**.`);
say(`Allocated for the network at its peak (liveBytes after training minus before the network): **${MB(mem.network)}** = ` +
  `**${mem.ratio.toFixed(3)}×** the need. The module's whole memory: ${MB(mem.wasm.start)} at start, ${MB(mem.wasm.afterData)} ` +
  `with the ${MB(mem.data)} data set, ${MB(mem.wasm.afterTraining)} after training ` +
  `(${(mem.wasm.afterTraining / (mem.need.total + mem.data)).toFixed(3)}× the need plus the data set).`);
say(`${mem.cycles.toLocaleString('en-US')} create/setOptimizer(adam)/train(1 step)/dispose cycles of s32: liveBytes ${mem.liveBefore} before, ` +
  `${mem.liveAfter} after (${mem.liveAfter === mem.liveBefore ? 'unchanged' : `CHANGED by ${mem.liveAfter - mem.liveBefore}`}).`);

// ---- issue 5's targets ----
const R = (net, other) => ratio(results[net]?.['gradlab SIMD'], results[net]?.[other]);
const checks = [];
const check = (what, value, goal) => { if (Number.isFinite(value)) checks.push({ what, value, goal, ok: value >= goal }); };
for (const net of ['s8', 's32']) check(`${net}: gradlab SIMD ÷ tfjs-wasm`, R(net, 'tfjs-wasm'), 50);
for (const net of ['s64', 'm256', 'd500']) check(`${net}: gradlab SIMD ÷ tfjs-wasm`, R(net, 'tfjs-wasm'), 10);
for (const net of ['s32', 's64', 'm256', 'd500']) check(`${net}: gradlab SIMD ÷ ConvNetJS`, R(net, 'ConvNetJS'), 20);
for (const net of ['m256', 'd500']) check(`${net}: gradlab SIMD ÷ gradlab scalar`, R(net, 'gradlab scalar'), 3);
for (const n of [256, 512].filter((x) => config.gemmSizes.includes(x))) {
  const med = (key) => (gemm[key]?.length ? median(gemm[key]) : NaN);
  check(`GEMM nn n=${n} ÷ f32x4 peak`, med(`gradlab nn ${n} / peak`), 0.9);
  check(`GEMM nn n=${n} ÷ tfjs-wasm matMul`, med(`gradlab nn ${n} / tfjs`), 1.15);
  for (const f of ['tn', 'nt']) check(`GEMM ${f} ÷ nn, n=${n}`, med(`gradlab ${f} ${n} / nn`), 0.8);
}
for (const net of ['m256', 'd500']) check(`${net}: gradlab SIMD ÷ native`, R(net, 'gradlab native'), 0.5);
if (!quick) {
  const slower = (what, value, goal) => checks.push({ what, value, goal, ok: value < goal });
  slower('s32, 512 rows: 41 × 41 landscape, SIMD, seconds (under 0.5)', median(inst['gradlab SIMD landscape']), 0.5);
  slower('s32, 512 rows: λmax to 1%, SIMD, seconds (under 0.05)', median(inst['gradlab SIMD sharpness']), 0.05);
  slower('s32: λmax to 1%, error against a tight estimate (under 0.01)', Math.max(...inst['gradlab SIMD sharpness error']), 0.01);
}
checks.push({ what: 'd500 peak memory ÷ need (at most 1.25)', value: mem.ratio, goal: 1.25, ok: mem.ratio <= 1.25 });
checks.push({ what: `liveBytes unchanged after ${mem.cycles} cycles`, value: mem.liveAfter - mem.liveBefore, goal: 0, ok: mem.liveAfter === mem.liveBefore });
const checks18 = [];
const check18 = (what, value, goal) => { if (Number.isFinite(value)) checks18.push({ what, value, goal, ok: value >= goal }); };
for (const n of [256, 512].filter((x) => config.gemmSizes.includes(x))) {
  check18(`GEMM nn n=${n} ÷ f32x4 peak (${gemmRun.variant})`, gemm[`gradlab nn ${n} / peak`]?.length ? median(gemm[`gradlab nn ${n} / peak`]) : NaN, 0.85);
}
check18('digits convnet (Adam): gradlab SIMD ÷ scalar', ratio(conv.adam['gradlab SIMD'], conv.adam['gradlab scalar']), 7);
check18('digits convnet (SGD+momentum): gradlab SIMD ÷ ConvNetJS', ratio(conv.sgd.digits?.['gradlab SIMD'], conv.sgd.digits?.ConvNetJS), 20);
say();
say(`## Issue 18 "Done when" targets in this run${quick ? ' (--quick: not meaningful)' : ''} (GEMM micro-kernel ${kernelInfo.variant})`);
say();
say('| target | measured | goal | holds |');
say('| --- | ---: | ---: | --- |');
for (const c of checks18) say(`| ${c.what} | ${c.value.toFixed(2)} | ${c.goal} | ${c.ok ? 'yes' : '**no**'} |`);
say();
say(`## Issue 5 and issue 15 targets in this run${quick ? ' (--quick: not meaningful)' : ''}`);
say();
say('| target | measured | goal | holds |');
say('| --- | ---: | ---: | --- |');
for (const c of checks) say(`| ${c.what} | ${typeof c.value === 'number' ? c.value.toFixed(2) : c.value} | ${c.goal} | ${c.ok ? 'yes' : '**no**'} |`);

say();
say(`Load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (1, 5, 15 min; ${os.cpus().length} cores).`);

if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ config, kernel: kernelInfo, results, gemm, conv, instruments: inst, mem, checks, checks18, tfjs: tfWasm?.info }, null, 1));
