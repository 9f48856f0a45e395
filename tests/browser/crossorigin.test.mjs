// The element loaded from another origin, as from a package CDN: gradlab's files on a second local
// origin that sends Access-Control-Allow-Origin: * and no policy of its own, a course page on the
// first origin under the policy docs/embedding.md gives for that case (CDN_CSP). Two elements train
// on one page, their workers start through blob: bootstraps, the wasm comes from the CDN, and no
// policy violation or console error appears. Then the `base` attribute and <meta name="gradlab-base">
// send an element's workers and styles to that origin while its script is the page's own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch } from './browser.mjs';
import { WATCH_JS, cdnPolicy, courseSite } from './embed-server.mjs';

const page = (cdn) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Week 3 from a CDN</title>
<script src="/site/watch.js"></script>
<script type="module" src="${cdn}/gradlab/embed/gradlab-embed.js"></script>
</head><body>
<gradlab-playground id="a" lesson="xavier" controls="init,lr,play" autoplay height="430"></gradlab-playground>
<gradlab-playground id="b" lesson="adam" controls="play" autoplay compact></gradlab-playground>
</body></html>`;

// the script beside the page; one element told where the files are by `base`, the other by <meta>
const basePage = (cdn) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>base</title>
<meta name="gradlab-base" content="${cdn}/gradlab/">
<script src="/site/watch.js"></script>
<script type="module" src="/gradlab/embed/gradlab-embed.js"></script>
</head><body>
<gradlab-playground id="a" lesson="xavier" base="${cdn}/gradlab/" autoplay compact></gradlab-playground>
<gradlab-playground id="b" lesson="small-init" autoplay compact></gradlab-playground>
<gradlab-playground id="c" lesson="small-init" base="/gradlab/" autoplay compact></gradlab-playground>
<gradlab-playground id="d" lesson="small-init" base="javascript:alert(1)" compact></gradlab-playground>
</body></html>`;

let browser, cdn, site;
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
  cdn = await courseSite({ csp: null, cors: true });
  site = await courseSite({
    csp: () => cdnPolicy(cdn.url),
    pages: { '/site/week3.html': page(cdn.url), '/site/base.html': basePage(cdn.url), '/site/watch.js': WATCH_JS },
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
    for (const f of ['/gradlab/app/worker.js', '/gradlab/lib/loader.js', '/gradlab/wasm/gradlab-simd.wasm', '/gradlab/embed/embed.css']) {
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
    const strict = await courseSite({ csp: () => cdnPolicy(cdn.url).replace(' blob:', ''), pages: { '/site/week3.html': page(cdn.url), '/site/watch.js': WATCH_JS } });
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
    assert.ok(where[0].links.every((h) => h.startsWith(`${cdn.url}/gradlab/`)), where[0].links.join(' '));
    assert.ok(where[1].links.every((h) => h.startsWith(`${cdn.url}/gradlab/`)), 'the <meta> is the default');
    assert.ok(where[2].links.every((h) => h.startsWith(`${site.url}/gradlab/`)), 'an attribute wins over the <meta>');
    assert.ok(where[3].links.every((h) => h.startsWith(`${cdn.url}/gradlab/`)), 'a bad attribute falls back to the <meta>');
    assert.match(where[3].notes.join(' '), /base 'javascript:alert\(1\)' is not used; give the http\(s\) address of the folder/);
    const workers = p.workers().map((w) => w.url());
    assert.equal(workers.filter((u) => u.startsWith('blob:')).length, 3, `a, b and d (built, not playing) start from the CDN: ${workers.join(' ')}`);
    assert.ok(workers.includes(`${site.url}/gradlab/app/worker.js`), 'c starts its worker beside the page');
    assert.ok(cdn.requests.includes('/gradlab/wasm/gradlab-simd.wasm') && site.requests.includes('/gradlab/wasm/gradlab-simd.wasm'));
    assert.deepEqual(await p.evaluate(() => window.violationsSeen), []);
    assert.deepEqual(errors, []);
    await p.close();
  });
});
