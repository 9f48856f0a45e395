// gradlab from another origin, as from a package CDN: its files on a second local origin that sends
// Access-Control-Allow-Origin: * and no policy of its own, the course pages on the first origin.
// - Two elements train on one page under the policy docs/embedding.md gives for a CDN (CDN_CSP),
//   their workers started through blob: bootstraps, the wasm from the CDN, no violation, no error.
// - `base` and <meta name="gradlab-base"> send an element to its files while its script is elsewhere.
// - The Markdown recipe of docs/embedding.md, rendered by Eleventy, trains the same way.
// - embed.html from the CDN with parent=<the page's origin>: events reach the page, its commands
//   reach the lesson; the same page on an origin not listed gets nothing and is not obeyed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Eleventy } from '@11ty/eleventy';
import { root } from '../../scripts/build.mjs';
import { blocks } from '../js/doc-blocks.mjs';
import { launch } from './browser.mjs';
import { CDN_ORIGIN, CDN_PATH, FRAME_CSP, WATCH_JS, cdnPolicy, courseSite } from './embed-server.mjs';

const page = (cdn) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Week 3 from a CDN</title>
<script src="/site/watch.js"></script>
<script type="module" src="${cdn}embed/gradlab-embed.js"></script>
</head><body>
<gradlab-playground id="a" lesson="xavier" controls="init,lr,play" autoplay height="430"></gradlab-playground>
<gradlab-playground id="b" lesson="adam" controls="play" autoplay moments="off" compact></gradlab-playground>
</body></html>`;

// the script beside the page; one element told where the files are by `base`, the other by <meta>
const basePage = (cdn) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>base</title>
<meta name="gradlab-base" content="${cdn}">
<script src="/site/watch.js"></script>
<script type="module" src="/gradlab/embed/gradlab-embed.js"></script>
</head><body>
<gradlab-playground id="a" lesson="xavier" base="${cdn}" autoplay moments="off" compact></gradlab-playground>
<gradlab-playground id="b" lesson="small-init" autoplay moments="off" compact></gradlab-playground>
<gradlab-playground id="c" lesson="small-init" base="/gradlab/" autoplay moments="off" compact></gradlab-playground>
<gradlab-playground id="d" lesson="small-init" base="javascript:alert(1)" compact></gradlab-playground>
</body></html>`;

// the lesson from the CDN in a frame that trusts only the page's origin (127.0.0.1)
const lmsPage = (cdn, parent) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LMS</title><script src="/site/watch.js"></script></head><body>
<iframe id="c" title="lesson" width="720" height="460" src="${cdn}embed.html?lesson=small-init&amp;controls=play&amp;autoplay&amp;moments=off&amp;speed=600&amp;parent=${parent}"></iframe>
</body></html>`;

let browser, cdn, site, files;
const pages = {};   // served by the course site, read on every request: tests add to it
const errors = [];

async function open(path) {
  const p = await browser.newPage({ viewport: { width: 900, height: 1200 } });
  p.on('console', (m) => { if (m.type() === 'error' || /Refused|Content Security Policy/.test(m.text())) errors.push(m.text()); });
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error' || /Refused/.test(m.text())) errors.push(`worker: ${m.text()}`); }));
  await p.addInitScript(() => {
    window.violationsSeen = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violationsSeen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await p.goto(`${site.url}${path}`);
  return p;
}

const trained = (p, ids, steps) => p.waitForFunction(([list, n]) => list.every((id) => window.seen.events.some((e) => e.id === id && e.type === 'gradlab-step' && e.step >= n)), [ids, steps], { timeout: 60000 });

before(async () => {
  cdn = await courseSite({ csp: null, cors: true, prefix: CDN_PATH });
  files = `${cdn.url}${CDN_PATH}`;
  site = await courseSite({
    csp: (origin, path) => (path.startsWith('/lms/') ? FRAME_CSP.replaceAll(CDN_ORIGIN, cdn.url) : cdnPolicy(cdn.url)),
    pages: Object.assign(pages, { '/site/week3.html': page(files), '/site/base.html': basePage(files), '/site/watch.js': WATCH_JS }),
  });
  browser = await launch();
});
after(async () => { await browser?.close(); await cdn?.close(); await site?.close(); });

describe('the element from another origin (a package CDN)', () => {
  it('two elements train on a page of the first origin, under the documented policy', async () => {
    const p = await open('/site/week3.html');
    await trained(p, ['a', 'b'], 200);
    const seen = await p.evaluate(() => window.seen);
    for (const id of ['a', 'b']) {
      const steps = seen.events.filter((e) => e.id === id && e.type === 'gradlab-step');
      assert.ok(steps.at(-1).loss < steps[0].loss, `${id}: loss ${steps[0].loss} -> ${steps.at(-1).loss}`);
      assert.equal(seen.events.find((e) => e.id === id && e.type === 'gradlab-ready').simd, true);
    }
    // a: one run, b: three runs, every one in a worker started from a blob: bootstrap of this origin
    const workers = p.workers().map((w) => w.url());
    assert.ok(workers.length >= 4 && workers.every((u) => u.startsWith(`blob:${site.url}/`)), workers.join(' '));
    for (const f of ['app/worker.js', 'lib/loader.js', 'wasm/gradlab-simd.wasm', 'embed/embed.css'].map((f) => CDN_PATH + f)) {
      assert.ok(cdn.requests.includes(f), `${f} came from the CDN`);
    }
    assert.deepEqual(site.requests.filter((u) => u.startsWith('/gradlab/')), [], 'nothing of gradlab came from the page origin');
    const title = await p.evaluate(() => document.getElementById('a').shadowRoot.querySelector('.title').textContent);
    assert.match(title, /Xavier/i);
    assert.deepEqual(await p.evaluate(() => window.violationsSeen), []);
    assert.deepEqual(seen.violations, []);
    assert.deepEqual(site.reports, []);
    assert.deepEqual(errors, []);
    await p.screenshot({ path: 'build/embed/crossorigin.png', fullPage: true });
    await p.close();
  });

  it('the checks can fail: without blob: in worker-src the workers are refused and the policy reports it', async () => {
    const strict = await courseSite({ csp: () => cdnPolicy(cdn.url).replace(' blob:', ''), pages: { '/site/week3.html': page(files), '/site/watch.js': WATCH_JS } });
    const p = await browser.newPage();
    try {
      await p.goto(`${strict.url}/site/week3.html`);
      await p.waitForFunction(() => window.seen.events.some((e) => e.type === 'gradlab-error') || window.seen.violations.length > 0, null, { timeout: 20000 });
      const seen = await p.evaluate(() => window.seen);
      assert.ok(seen.violations.some((v) => v.startsWith('worker-src')), seen.violations.join('; '));
      assert.ok(seen.events.every((e) => e.type !== 'gradlab-step'), 'nothing trained');
    } finally {
      await p.close();
      await strict.close();
    }
  });
});

describe('base and <meta name="gradlab-base">', () => {
  it('point an element at its files on another origin; a bad base leaves a note and the files beside the script', async () => {
    errors.length = 0;
    cdn.requests.length = 0;
    site.requests.length = 0;
    const p = await open('/site/base.html');
    await trained(p, ['a', 'b', 'c'], 100);
    const where = await p.evaluate(() => ['a', 'b', 'c', 'd'].map((id) => {
      const root = document.getElementById(id).shadowRoot;
      return { links: [...root.querySelectorAll('link')].map((l) => l.href), notes: document.getElementById(id).notes };
    }));
    assert.ok(where[0].links.every((h) => h.startsWith(files)), where[0].links.join(' '));
    assert.ok(where[1].links.every((h) => h.startsWith(files)), 'the <meta> is the default');
    assert.ok(where[2].links.every((h) => h.startsWith(`${site.url}/gradlab/`)), 'an attribute wins over the <meta>');
    assert.ok(where[3].links.every((h) => h.startsWith(files)), 'a bad attribute falls back to the <meta>');
    assert.match(where[3].notes.join(' '), /base 'javascript:alert\(1\)' is not used; give the http\(s\) address of the folder/);
    const workers = p.workers().map((w) => w.url());
    assert.equal(workers.filter((u) => u.startsWith('blob:')).length, 3, `a, b and d (built, not playing) start from the CDN: ${workers.join(' ')}`);
    assert.ok(workers.includes(`${site.url}/gradlab/app/worker.js`), 'c starts its worker beside the page');
    assert.ok(cdn.requests.includes(`${CDN_PATH}wasm/gradlab-simd.wasm`) && site.requests.includes('/gradlab/wasm/gradlab-simd.wasm'));
    assert.deepEqual(await p.evaluate(() => window.violationsSeen), []);
    assert.deepEqual(errors, []);
    await p.close();
  });
});

describe('the Markdown recipe of docs/embedding.md, rendered by Eleventy', () => {
  it('writes a page whose lesson, loaded from the CDN, trains under the CDN policy', async () => {
    const md = blocks(readFileSync(join(root, 'docs', 'embedding.md'), 'utf8')).find((b) => b.info === 'md eleventy=week3.md');
    assert.ok(md, 'the recipe is in the docs');
    const dir = mkdtempSync(join(tmpdir(), 'gradlab-eleventy-'));
    try {
      const input = join(dir, 'in'), output = join(dir, 'out');
      mkdirSync(input);
      writeFileSync(join(input, 'week3.md'), md.code.replaceAll(CDN_ORIGIN, cdn.url));
      writeFileSync(join(dir, 'eleventy.config.js'), 'export default function () {}\n');   // Eleventy's defaults, none of a folder around
      await new Eleventy(input, output, { quietMode: true, configPath: join(dir, 'eleventy.config.js') }).write();
      const html = readFileSync(join(output, 'week3', 'index.html'), 'utf8');
      assert.match(html, /<h1>Week 3: starting with small weights<\/h1>/, 'Eleventy rendered the Markdown');
      // what the generator wrote, with the course site's own script that records events for the test
      pages['/site/eleventy/week3/index.html'] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Week 3</title><script src="/site/watch.js"></script></head><body>\n${html}</body></html>`;
      errors.length = 0;
      const p = await open('/site/eleventy/week3/index.html');
      await p.waitForFunction(() => window.seen.events.some((e) => e.type === 'gradlab-step' && e.step >= 100), null, { timeout: 60000 });
      const seen = await p.evaluate(() => window.seen);
      const steps = seen.events.filter((e) => e.type === 'gradlab-step');
      assert.ok(Math.abs(steps.at(-1).loss - Math.log(3)) < 0.05, `small-init sits at ln 3: ${steps.at(-1).loss}`);
      assert.ok(p.workers().every((w) => w.url().startsWith('blob:')));
      assert.deepEqual(seen.violations, []);
      assert.deepEqual(errors, []);
      await p.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embed.html from another origin, with parent=', () => {
  const frameOf = (p) => p.frames().find((f) => f.url().includes('/embed.html'));

  it('sends its events to a listed parent and obeys its pause, set and play', async () => {
    errors.length = 0;
    pages['/lms/course.html'] = lmsPage(files, site.origin('127.0.0.1'));
    const p = await open('/lms/course.html');
    await p.waitForFunction(() => window.seen.messages.some((m) => m.id === 'c' && m.type === 'gradlab-step' && m.step >= 100), null, { timeout: 60000 });
    const ready = (await p.evaluate(() => window.seen.messages)).find((m) => m.type === 'gradlab-ready');
    assert.deepEqual([ready.lesson, ready.mode, ready.runs, ready.simd], ['small-init', 'train', 1, true]);
    const frame = frameOf(p);
    assert.ok(frame.url().startsWith(files), frame.url());
    const target = cdn.url;
    await p.evaluate((o) => document.getElementById('c').contentWindow.postMessage({ type: 'gradlab-pause' }, o), target);
    await frame.waitForFunction(() => !document.querySelector('gradlab-playground').playing, null, { timeout: 5000 });
    await p.evaluate((o) => { window.seen.messages.length = 0; document.getElementById('c').contentWindow.postMessage({ type: 'gradlab-set', state: { lesson: 'xavier' } }, o); }, target);
    await p.waitForFunction(() => window.seen.messages.some((m) => m.type === 'gradlab-ready' && m.lesson === 'xavier'), null, { timeout: 20000 });
    await p.evaluate((o) => document.getElementById('c').contentWindow.postMessage({ type: 'gradlab-play' }, o), target);
    await p.waitForFunction(() => window.seen.messages.some((m) => m.type === 'gradlab-step' && m.step >= 100 && m.loss < 0.9), null, { timeout: 30000 });
    await p.evaluate((o) => document.getElementById('c').contentWindow.postMessage({ type: 'gradlab-set', state: { lr: -1 } }, o), target);
    await p.waitForFunction(() => window.seen.messages.some((m) => m.type === 'gradlab-error' && /lr -1 is not allowed/.test(m.message)), null, { timeout: 5000 });
    assert.deepEqual(await p.evaluate(() => window.seen.violations), []);
    assert.deepEqual(errors, []);
    await p.close();
  });

  it('on a page of an origin it does not list, sends nothing and ignores commands', async () => {
    errors.length = 0;
    // the same page and frame, opened as http://localhost:port: another origin than the listed 127.0.0.1
    pages['/lms/course.html'] = lmsPage(files, site.origin('127.0.0.1'));
    const p = await browser.newPage();
    const warnings = [];
    p.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await p.goto(`${site.origin('localhost')}/lms/course.html`);
    const frame = await (async () => { for (;;) { const f = frameOf(p); if (f) return f; await p.waitForTimeout(50); } })();
    // the lesson trains inside the frame (autoplay) ...
    await frame.waitForFunction(() => /step [1-9]\d\d/.test(document.querySelector('gradlab-playground').shadowRoot.querySelector('.status').textContent), null, { timeout: 60000 });
    // ... and a pause from the page is not obeyed, and no message reached the page
    await p.evaluate(() => document.getElementById('c').contentWindow.postMessage({ type: 'gradlab-pause' }, '*'));
    await p.waitForTimeout(800);
    assert.equal(await frame.evaluate(() => document.querySelector('gradlab-playground').playing), true, 'the unlisted page could not pause it');
    assert.deepEqual(await p.evaluate(() => window.seen.messages), []);
    assert.ok(warnings.some((w) => /is not among parent=/.test(w)), warnings.join(' | '));
    await p.close();
  });
});
