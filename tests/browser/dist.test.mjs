// The static build (`npm run build`) served from a sub-path, /course/week3/gradlab/, by a plain
// static server that knows nothing of gradlab: the page loads its wasm and trains from the Play
// button, and every request stays under the sub-path. Also: the build's reference check catches
// missing and absolute references.
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import sirv from 'sirv';
import { buildDist, checkReferences } from '../../scripts/build-dist.mjs';
import { launch, openPage } from './browser.mjs';
import { WATCH_JS, courseSite } from './embed-server.mjs';

const PREFIX = '/course/week3/gradlab/';
let browser, server, base, out;
const requests = [];

before(async () => {
  out = buildDist(mkdtempSync(join(tmpdir(), 'gradlab-dist-')));
  const files = sirv(out, { dev: false, etag: true });
  server = http.createServer((req, res) => {
    requests.push(req.url);
    const notFound = () => { res.statusCode = 404; res.end('not found'); };
    if (!req.url.startsWith(PREFIX)) return notFound();
    req.url = '/' + req.url.slice(PREFIX.length);
    return files(req, res, notFound);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}${PREFIX}`;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  if (out) rmSync(out, { recursive: true, force: true });
});

it('dist/ served from /course/week3/gradlab/ loads the wasm and trains from the Play button', async () => {
  const page = await openPage(browser, base);
  const failed = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  await page.waitForFunction(() => /SIMD/.test(document.getElementById('build').textContent), null, { timeout: 20000 });
  await page.getByRole('button', { name: /Play/ }).click();
  await page.waitForFunction(() => /step (\d{3,})/.test(document.getElementById('status').textContent), null, { timeout: 20000 });
  assert.ok(requests.some((u) => u === `${PREFIX}wasm/gradlab-simd.wasm`), 'the SIMD build came from under the sub-path');
  assert.deepEqual(requests.filter((u) => !u.startsWith(PREFIX)), [], 'no request left the sub-path');
  assert.deepEqual(failed, []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

it('the embed from dist/ at /course/week3/gradlab/ trains on a course page at /course/week3/, under the strict CSP', async () => {
  const week = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Week 3</title>
    <script src="watch.js"></script><script type="module" src="gradlab/embed/gradlab-embed.js"></script></head>
    <body><gradlab-playground id="a" lesson="he-relu" controls="play" autoplay compact></gradlab-playground>
    <iframe id="f" title="lesson" src="gradlab/embed.html?lesson=xavier&amp;autoplay" width="700" height="460"></iframe></body></html>`;
  const site = await courseSite({ files: out, prefix: PREFIX, vendor: false, pages: { '/course/week3/index.html': week, '/course/week3/watch.js': WATCH_JS } });
  const page = await openPage(browser, `${site.url}/course/week3/index.html`);
  try {
    await page.waitForFunction(() => window.seen.events.some((e) => e.type === 'gradlab-step' && e.step >= 100)
      && window.seen.messages.some((m) => m.type === 'gradlab-step' && m.step >= 100), null, { timeout: 40000 });
    const gradlabRequests = site.requests.filter((u) => !u.startsWith('/course/week3/index.html') && !u.startsWith('/course/week3/watch.js') && u !== '/favicon.ico');
    assert.ok(gradlabRequests.includes(`${PREFIX}wasm/gradlab-simd.wasm`));
    assert.ok(gradlabRequests.includes(`${PREFIX}vendor/uplot/uPlot.min.css`), 'the chart styles came from dist/');
    assert.deepEqual(gradlabRequests.filter((u) => !u.startsWith(PREFIX)), [], 'gradlab asked only for files under its sub-path');
    assert.deepEqual(await page.evaluate(() => window.seen.violations), []);
    assert.deepEqual(site.reports, []);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
    await site.close();
  }
});

it('the reference check reports a missing file, an absolute path and a path outside dist/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-refs-'));
  try {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'index.html'), '<link href="app/a.css"><script type="module" src="/app/main.js"></script>');
    writeFileSync(join(dir, 'app', 'a.css'), 'body { background: url(../img/x.png) }');
    writeFileSync(join(dir, 'app', 'main.js'), "import x from './there.js';\nimport { y } from '../../outside.js';\nimport 'node:fs';\nnew URL('./w.js', import.meta.url);");
    writeFileSync(join(dir, 'app', 'w.js'), '');
    const problems = checkReferences(dir).sort();
    assert.deepEqual(problems, [
      "app/a.css: '../img/x.png' does not exist",
      "app/main.js: '../../outside.js' points outside dist/",
      "app/main.js: './there.js' does not exist",
      "index.html: '/app/main.js' is absolute and breaks under a sub-path",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
