// The package as a course site gets it: `npm pack`, then the tarball installed into an empty folder.
// There, `import { loadGradlab } from 'gradlab'` trains a network, `npx gradlab` runs, and the
// TypeScript declarations type-check a correct program, reject a wrong one, and declare exactly the
// names the module has at run time.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { promisify } from 'node:util';
import { apiSurface } from './surface-of-api.mjs';
import { checkReferences } from '../../scripts/build-dist.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', '.bin', 'tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir, tarball, packed;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradlab-pack-'));
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root, maxBuffer: 16 << 20 });
  // a prepack build may print first (cmake's "[ 50%] …" lines): the JSON is the array that opens a line of its own
  packed = JSON.parse(stdout.slice(stdout.search(/^\[$/m)))[0];
  tarball = join(dir, packed.filename);
  const site = join(dir, 'site');
  mkdirSync(site);
  writeFileSync(join(site, 'package.json'), JSON.stringify({ name: 'course-site', private: true, type: 'module' }));
  // the registry is only asked for what the npm cache lacks (the tarball's own dependencies)
  await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: site });
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

it('packs the library, both wasm builds, the CLI and the declarations, and nothing of the sources', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const f of ['package.json', 'README.md', 'web/lib/gradlab.js', 'web/lib/loader.js', 'web/wasm/gradlab-simd.wasm',
    'web/wasm/gradlab-scalar.wasm', 'bin/gradlab.mjs', 'bin/cli/main.mjs', 'types/gradlab.d.ts', 'types/names.d.ts',
    'docs/api.md', 'docs/cli.md', 'docs/embedding.md', 'web/embed/gradlab-embed.js', 'web/embed/embed.css', 'web/embed.html',
    'web/app/worker.js', 'web/app/spawn.js', 'web/app/lessons.js', 'web/vendor/uplot/uPlot.esm.js', 'types/embed.d.ts']) assert.ok(files.includes(f), `${f} is packed`);
  for (const f of files) assert.doesNotMatch(f, /^(src|tests|scripts|build|node_modules|dist)\//, `${f} is not packed`);
});

it("import { loadGradlab } from 'gradlab' trains a network in the installed folder", async () => {
  const site = join(dir, 'site');
  writeFileSync(join(site, 'use.mjs'), `
    import { loadGradlab, GradlabError } from 'gradlab';
    import { DATASETS } from 'gradlab/names';
    const lab = await loadGradlab();
    const data = lab.dataset('moons', { samples: 200, seed: 3 });
    const net = lab.network({ inputs: 2, layers: [{ units: 16, activation: 'tanh' }, { units: 2, activation: 'softmax' }] });
    net.setOptimizer({ name: 'adam', learningRate: 0.02 });
    const before = net.evaluate(data).loss;
    net.train(data, { steps: 300 });
    let refused = '';
    try { lab.dataset('mnist'); } catch (e) { refused = e instanceof GradlabError ? e.message : 'other'; }
    console.log(JSON.stringify({ simd: lab.simd, wasmUrl: lab.wasmUrl, before, after: net.evaluate(data), datasets: DATASETS.length, refused }));
  `);
  const { stdout } = await run(process.execPath, ['use.mjs'], { cwd: site });
  const out = JSON.parse(stdout);
  assert.equal(out.simd, true);
  assert.match(out.wasmUrl, /\/site\/node_modules\/gradlab\/web\/wasm\/gradlab-simd\.wasm$/, 'the wasm came from the installed package');
  assert.ok(out.after.loss < out.before / 2, `loss ${out.before} -> ${out.after.loss}`);
  assert.ok(out.after.accuracy > 0.85);
  assert.equal(out.datasets, 10);
  assert.match(out.refused, /data set 'mnist' is not known/);
});

it('the installed web/ folder is complete: every import of the page and the embed resolves inside it', () => {
  const web = join(dir, 'site', 'node_modules', 'gradlab', 'web');
  assert.deepEqual(checkReferences(web), []);
});

it('npx gradlab lesson runs a lesson from the installed package', async () => {
  const site = join(dir, 'site');
  const { stdout } = await run(join(site, 'node_modules', '.bin', 'gradlab'), ['lesson', 'small-init', '--steps', '20', '--json'], { cwd: site });
  const out = JSON.parse(stdout);
  assert.equal(out.runs[0].curve.step.at(-1), 20);
  assert.ok(Math.abs(out.runs[0].final.trainLoss - Math.log(3)) < 0.01);
});

it('npx gradlab runs from the installed package', async () => {
  const site = join(dir, 'site');
  const { stdout } = await run(join(site, 'node_modules', '.bin', 'gradlab'), ['depth', '--layers', '2', '--units', '100', '--samples', '100', '--json'], { cwd: site });
  const out = JSON.parse(stdout);
  assert.equal(out.rows.length, 3);
  assert.ok(Math.abs(out.rows[1].std - 0.63) < 0.05);
});

async function typecheck(site, file, source) {
  writeFileSync(join(site, file), source);
  try {
    await run(tsc, ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'false', file], { cwd: site });
    return '';
  } catch (error) {
    return error.stdout + error.stderr || String(error);
  }
}

it('the declarations type-check a program, reject wrong names, and match the run-time API exactly', async () => {
  const site = join(dir, 'site');
  const good = await typecheck(site, 'good.mts', `
    import { loadGradlab, GradlabError, type Lab, type Network, type TrainResult } from 'gradlab';
    import { OPTIMIZERS, POOL_MODES, type LayerType, type OptimizerName } from 'gradlab/names';
    const lab: Lab = await loadGradlab({ simd: false });
    const data = lab.dataset('spiral', { samples: 300, classes: 3 });
    const net: Network = lab.network({ inputs: 2, layers: [{ units: 100, activation: 'relu', init: 'he' }, { units: 3, activation: 'softmax' }], init: { name: 'normal', std: 0.01 } });
    net.setOptimizer({ name: 'adam', learningRate: 0.01, schedule: { name: 'cosine', steps: 100, warmup: 10 } });
    const r: TrainResult = net.train(data, { steps: 10, batchSize: 32 });
    const acc: number | null = r.accuracy;
    const w: Float32Array = net.weights(0);
    const path: Float32Array = lab.optimize({ surface: 'rosenbrock', start: [-1.2, 1], optimizer: { name: 'momentum' }, steps: 10 }).path;
    const name: OptimizerName = OPTIMIZERS[0];
    const digits = lab.dataset('digits', { samples: 50, size: 10 });
    const conv: Network = lab.network({ inputs: digits.shape, layers: [
      { type: 'conv', filters: 4, kernel: 3, stride: 1, padding: 'same', activation: 'relu', batchNorm: true },
      { type: 'pool', mode: 'average', size: 2 }, { type: 'flatten' }, { units: 10, activation: 'softmax' }] });
    const shape: [number, number, number] = conv.layers[0].shape;
    const kinds: LayerType[] = conv.layers.map((l) => l.type);
    const maps: Float32Array = conv.featureMaps(0).values;
    console.log(shape, kinds, maps.length, conv.filters(0).kernel, conv.inputShape[2], POOL_MODES.length);
    const err = new GradlabError('x');
    console.log(acc, w.length, path.length, name, err.message, lab.schedule('step', 5).length, lab.memoryStats().wasmBytes);
  `);
  assert.equal(good, '', good);
  const bad = await typecheck(site, 'bad.mts', `
    import { loadGradlab } from 'gradlab';
    const lab = await loadGradlab();
    lab.network({ inputs: 2, layers: [{ units: 3, activation: 'gelu' }] });
    lab.dataset('mnist');
    lab.network({ inputs: [8, 8, 1], layers: [{ type: 'pool', mode: 'min' }, { type: 'conv', units: 3 }, { units: 2 }] });
  `);
  assert.match(bad, /bad\.mts\(4,\d+\).*'"gelu"'/);
  assert.match(bad, /bad\.mts\(5,\d+\)/);
  assert.match(bad, /bad\.mts\(6,\d+\)/, 'an unknown pool mode or a conv layer without filters is refused');
  const api = await apiSurface();
  const record = (names) => `{ ${names.map((n) => `${JSON.stringify(n)}: true`).join(', ')} }`;
  const exact = await typecheck(site, 'exact.mts', `
    import * as gradlab from 'gradlab';
    import type { Lab, Network, Dataset } from 'gradlab';
    // Record<keyof X, true> demands every declared name; the object literal admits no undeclared one
    export const exportsDeclared: Record<keyof typeof gradlab, true> = ${record(api.exports)};
    export const labDeclared: Record<keyof Lab, true> = ${record(api.Lab)};
    export const networkDeclared: Record<keyof Network, true> = ${record(api.Network)};
    export const datasetDeclared: Record<keyof Dataset, true> = ${record(api.Dataset)};
  `);
  assert.equal(exact, '', exact);
  const embedGood = await typecheck(site, 'embed-good.mts', `
    import type { GradlabPlayground, PlaygroundStepDetail, FrameMessage } from 'gradlab/embed';
    const el: GradlabPlayground | null = document.querySelector('gradlab-playground');
    el?.addEventListener('gradlab-step', (e) => { const d: PlaygroundStepDetail = e.detail; console.log(d.step, d.loss, d.runs.length); });
    el?.addEventListener('gradlab-diverged', (e) => console.log(e.detail.learningRate));
    el?.set({ lr: 0.5, opt: 'adam' });
    el?.set('lesson=xavier');
    el?.play(); el?.pause(); el?.reset(); el?.step();
    const lr: number = el ? el.state.lr : 0;
    window.addEventListener('message', (e: MessageEvent<FrameMessage>) => { if (e.data.type === 'gradlab-step') console.log(e.data.loss, lr); });
  `);
  assert.equal(embedGood, '', embedGood);
  const embedBad = await typecheck(site, 'embed-bad.mts', `
    import type { GradlabPlayground } from 'gradlab/embed';
    declare const el: GradlabPlayground;
    el.set(5);
    el.addEventListener('gradlab-step', (e) => console.log(e.detail.los));
  `);
  assert.match(embedBad, /embed-bad\.mts\(4,\d+\)/);
  assert.match(embedBad, /embed-bad\.mts\(5,\d+\).*'los'/);
  const pkg = JSON.parse(readFileSync(join(site, 'node_modules', 'gradlab', 'package.json'), 'utf8'));
  assert.equal(pkg.bin.gradlab, 'bin/gradlab.mjs');
});
