// The bundler recipe of docs/embedding.md, built: the ```<lang> vite=NAME blocks become a site that
// depends on the package made by `npm pack` (as a file: dependency), and Vite (the pinned
// devDependency) serves it in development and builds it for production. In both, the element
// imported as 'gradlab/embed' trains in its bundled worker and `loadGradlab` from 'gradlab' trains
// on the page; the production build does so under the strict policy, with the worker and both wasm
// builds emitted as files of the build.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { build, createServer } from 'vite';
import { root } from '../../scripts/build.mjs';
import { blocks } from '../js/doc-blocks.mjs';
import { launch } from './browser.mjs';
import { courseSite } from './embed-server.mjs';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const recipe = blocks(readFileSync(join(root, 'docs', 'embedding.md'), 'utf8'))
  .map((b) => [b.info.match(/^\w+ vite=(\S+)$/)?.[1], b.code]).filter(([name]) => name);

let dir, site, browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradlab-vite-'));
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root, maxBuffer: 16 << 20 });
  const tarball = join(dir, JSON.parse(stdout.slice(stdout.indexOf('[')))[0].filename);
  site = join(dir, 'site');
  for (const [name, code] of recipe) {
    mkdirSync(dirname(join(site, name)), { recursive: true });
    writeFileSync(join(site, name), code);
  }
  writeFileSync(join(site, 'package.json'), JSON.stringify({ name: 'course-site', private: true, type: 'module', dependencies: { gradlab: `file:${tarball}` } }));
  await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: site });
  browser = await launch();
});
after(async () => { await browser?.close(); if (dir) rmSync(dir, { recursive: true, force: true }); });

/** Opens url, waits until the element trained 100 steps and the page's own network wrote its line. */
async function trains(url) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const errors = [], failed = [];
  page.on('console', (m) => { if ((m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) || /Refused|Content Security Policy/.test(m.text())) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) failed.push(`${r.status()} ${r.url()}`); });
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
  await page.addInitScript(() => {
    window.seen = { violations: [], steps: [] };
    document.addEventListener('securitypolicyviolation', (e) => window.seen.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    document.addEventListener('gradlab-step', (e) => window.seen.steps.push(e.detail));
  });
  await page.goto(url);
  await page.waitForFunction(() => window.seen.steps.some((s) => s.step >= 100), null, { timeout: 60000 });
  await page.waitForFunction(() => /loss \d/.test(document.getElementById('log').textContent), null, { timeout: 10000 });
  const result = await page.evaluate(() => ({
    steps: window.seen.steps, violations: window.seen.violations, log: document.getElementById('log').textContent,
    links: [...document.getElementById('lesson').shadowRoot.querySelectorAll('link')].map((l) => l.href),
  }));
  result.workers = page.workers().map((w) => w.url());
  result.errors = errors;
  result.failed = failed;
  await page.close();
  const loss = Number(result.log.match(/loss ([\d.]+)/)[1]);
  assert.ok(loss < 0.4, `the page's own network trained: ${result.log}`);
  assert.ok(result.steps.at(-1).loss < result.steps[0].loss, `the element trained: ${result.steps[0].loss} -> ${result.steps.at(-1).loss}`);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.failed, []);
  assert.deepEqual(result.violations, []);
  return result;
}

describe('the bundler recipe with Vite', () => {
  it('has the three blocks of the recipe', () => {
    assert.deepEqual(recipe.map(([name]) => name).sort(), ['index.html', 'src/main.js', 'vite.config.js']);
  });

  it('the development server serves a site that trains', { timeout: 120000 }, async () => {
    const server = await createServer({ root: site, logLevel: 'warn', server: { host: '127.0.0.1', port: 0 } });
    try {
      await server.listen();
      const url = `http://127.0.0.1:${server.httpServer.address().port}/`;
      const result = await trains(url);
      assert.ok(result.workers.some((u) => u.includes('/gradlab/web/app/worker.js')), result.workers.join(' '));
    } finally {
      await server.close();
    }
  });

  it('the production build trains under the strict policy, worker and wasm emitted as files', { timeout: 120000 }, async () => {
    await build({ root: site, logLevel: 'warn' });
    const assets = readdirSync(join(site, 'dist', 'assets'));
    for (const re of [/^worker-.+\.js$/, /^gradlab-simd-.+\.wasm$/, /^gradlab-scalar-.+\.wasm$/, /^embed-.+\.css$/, /^uPlot\.min-.+\.css$/]) {
      assert.ok(assets.some((f) => re.test(f)), `${re} in ${assets.join(' ')}`);
    }
    const host = await courseSite({ files: join(site, 'dist'), prefix: '/', vendor: false });
    try {
      const result = await trains(`${host.url}/`);
      assert.ok(result.workers.length === 1 && /\/assets\/worker-.+\.js$/.test(result.workers[0]), result.workers.join(' '));
      assert.ok(host.requests.some((u) => /^\/assets\/gradlab-simd-.+\.wasm$/.test(u)), 'the emitted SIMD build was fetched');
      assert.ok(result.links.every((h) => h.startsWith(`${host.url}/assets/`)), `stylesheets are files: ${result.links}`);
      assert.deepEqual(host.reports, []);
    } finally {
      await host.close();
    }
  });
});
