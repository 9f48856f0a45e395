// The embed on a course page under a strict Content-Security-Policy: two <gradlab-playground>
// elements and one embed.html iframe on a page served from another path than gradlab's files. All
// three train in their own workers, their events arrive (throttled), the methods and the iframe's
// commands work, and no CSP violation is reported (by the documents, the workers or the browser's
// report to the server). A page that breaks the policy on purpose shows the reports do arrive.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { launch } from './browser.mjs';
import { WATCH_JS, courseSite } from './embed-server.mjs';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Week 3: initialisation</title>
<link rel="stylesheet" href="/site/site.css">
<script src="/site/watch.js"></script>
<script type="module" src="/gradlab/embed/gradlab-embed.js"></script>
</head><body>
<h1>Week 3</h1>
<gradlab-playground id="a" lesson="xavier" controls="init,optimizer,lr,play,step,reset" autoplay moments="off" height="430"></gradlab-playground>
<gradlab-playground id="b" lesson="adam" controls="play,speed" autoplay moments="off" speed="600" compact theme="dark"></gradlab-playground>
<iframe id="c" title="A gradlab lesson" src="/gradlab/embed.html?lesson=small-init&amp;controls=play,reset&amp;autoplay&amp;moments=off&amp;speed=600" width="720" height="460"></iframe>
</body></html>`;

const BAD = `<!doctype html><html><head><meta charset="utf-8"><title>breaks the policy</title>
<script src="/site/watch.js"></script></head>
<body><p style="color: red">inline style</p><script>document.title = 'inline script ran';</script></body></html>`;

let browser, site, page;
const consoleErrors = [];

function watch(p) {
  p.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy|Refused/.test(m.text())) consoleErrors.push(m.text()); });
  p.on('pageerror', (e) => consoleErrors.push(String(e)));
  p.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error' || /Refused/.test(m.text())) consoleErrors.push(`worker: ${m.text()}`); }));
}

before(async () => {
  site = await courseSite({ pages: { '/site/week3.html': PAGE, '/site/bad.html': BAD, '/site/watch.js': WATCH_JS, '/site/site.css': 'body { font-family: serif; max-width: 820px; margin: 1em auto; } gradlab-playground { margin: 12px 0; }' } });
  browser = await launch();
  mkdirSync('build/embed', { recursive: true });
  page = await browser.newPage({ viewport: { width: 900, height: 1500 } });
  watch(page);
  // in every frame, before any of its scripts: the violations that document sees
  await page.addInitScript(() => {
    window.violationsSeen = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violationsSeen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${site.url}/site/week3.html`);
});
after(async () => { await browser?.close(); await site?.close(); });

const seen = (p = page) => p.evaluate(() => window.seen);
const lastStep = (events, id) => events.filter((e) => e.id === id && e.type === 'gradlab-step').at(-1);

describe('two elements and an iframe under a strict CSP', () => {
  it('all three get ready and train: steps and falling losses arrive as events and messages', async () => {
    await page.waitForFunction(() => ['a', 'b'].every((id) => window.seen.events.some((e) => e.id === id && e.type === 'gradlab-step' && e.step >= 300))
      && window.seen.messages.some((m) => m.type === 'gradlab-step' && m.step >= 300), null, { timeout: 60000 });
    const s = await seen();
    for (const id of ['a', 'b']) {
      const ready = s.events.find((e) => e.id === id && e.type === 'gradlab-ready');
      assert.ok(ready, `${id} sent gradlab-ready`);
      assert.equal(ready.simd, true);
      const steps = s.events.filter((e) => e.id === id && e.type === 'gradlab-step');
      for (const e of steps) {
        assert.equal(typeof e.step, 'number');
        assert.equal(typeof e.loss, 'number');
        assert.equal(typeof e.learningRate, 'number');
        assert.ok(e.accuracy === null || (e.accuracy >= 0 && e.accuracy <= 1));
      }
      assert.ok(steps.at(-1).loss < steps[0].loss, `${id}: loss ${steps[0].loss} -> ${steps.at(-1).loss}`);
      // throttled: events are at least ~250 ms apart, apart from the one forced when the lesson is ready
      // (with two runs, the second run's first snapshot may come well after the first run's)
      const forced = steps.findIndex((e) => e.t >= ready.t);
      const throttled = steps.filter((_, i) => i !== forced);
      const gaps = throttled.slice(1).map((e, i) => e.t - throttled[i].t);
      assert.ok(gaps.every((g) => g > 200), `${id}: gaps between step events ${gaps.map(Math.round)}`);
    }
    assert.equal(s.events.find((e) => e.id === 'b' && e.type === 'gradlab-ready').runs, 3, 'the adam lesson compares three runs');
    assert.equal(lastStep(s.events, 'b').runs.length, 3);
    assert.ok(Math.abs(lastStep(s.events, 'a').learningRate - 0.1) < 1e-6, 'the xavier lesson trains at 0.1');
    const frame = s.messages.filter((m) => m.id === 'c');
    assert.ok(frame.some((m) => m.type === 'gradlab-ready' && m.lesson === 'small-init'));
    const frameSteps = frame.filter((m) => m.type === 'gradlab-step');
    assert.ok(frameSteps.at(-1).loss > Math.log(3) - 0.05, 'small-init sits at ln 3, as the lesson says');
  });

  it('each element runs its own workers (one per run)', async () => {
    const workers = page.workers().filter((w) => w.url().endsWith('/gradlab/app/worker.js'));
    // a: 1 run, b: 3 runs, the iframe: 1 run (workers of frames are listed by the page too)
    assert.ok(workers.length >= 4, `${workers.length} workers`);
    const shadow = await page.evaluate(() => ['a', 'b'].map((id) => {
      const root = document.getElementById(id).shadowRoot;
      return { canvases: root.querySelectorAll('canvas').length, links: [...root.querySelectorAll('link')].map((l) => l.href), inlineStyles: root.querySelectorAll('style, [style]').length };
    }));
    assert.ok(shadow[0].canvases >= 2 && shadow[1].canvases >= 4, JSON.stringify(shadow));
    assert.ok(shadow.every((s) => s.links.some((h) => h.endsWith('/gradlab/embed/embed.css'))));
  });

  it('pause(), set(), reset() and play() drive one element without touching the other', async () => {
    await page.evaluate(() => document.getElementById('a').pause());
    await page.waitForTimeout(400);
    const paused = await page.evaluate(() => document.getElementById('a').shadowRoot.querySelector('.status').textContent);
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => document.getElementById('a').shadowRoot.querySelector('.status').textContent), paused, 'a stays paused');
    assert.ok(await page.evaluate(() => document.getElementById('b').playing), 'b plays on');
    const bad = await page.evaluate(() => { try { document.getElementById('a').set({ lr: 'fast' }); return 'no error'; } catch (e) { return e.message; } });
    assert.match(bad, /lr "fast" is not allowed; a number from/);
    await page.evaluate(() => { window.seen.events.length = 0; document.getElementById('a').set({ opt: 'adam', lr: 0.01 }); });
    await page.waitForFunction(() => window.seen.events.some((e) => e.id === 'a' && e.type === 'gradlab-ready'), null, { timeout: 20000 });
    assert.equal(await page.evaluate(() => document.getElementById('a').state.opt), 'adam');
    assert.equal(await page.evaluate(() => document.getElementById('a').shadowRoot.querySelector('select').value), 'xavier', 'the init control shows the state');
    await page.evaluate(() => document.getElementById('a').play());
    await page.waitForFunction(() => window.seen.events.some((e) => e.id === 'a' && e.type === 'gradlab-step' && e.step >= 100 && Math.abs(e.learningRate - 0.01) < 1e-6), null, { timeout: 20000 });
  });

  it('the iframe obeys gradlab-pause, gradlab-set and gradlab-play from its parent', async () => {
    const frame = page.frames().find((f) => f.url().includes('/gradlab/embed.html'));
    await page.evaluate(() => document.getElementById('c').contentWindow.postMessage({ type: 'gradlab-pause' }, '*'));
    await frame.waitForFunction(() => !document.querySelector('gradlab-playground').playing);
    await page.evaluate(() => { window.seen.messages.length = 0; document.getElementById('c').contentWindow.postMessage({ type: 'gradlab-set', state: { lesson: 'xavier', speed: 20 } }, '*'); });
    await page.waitForFunction(() => window.seen.messages.some((m) => m.type === 'gradlab-ready' && m.lesson === 'xavier'), null, { timeout: 20000 });
    await page.evaluate(() => document.getElementById('c').contentWindow.postMessage({ type: 'gradlab-play' }, '*'));
    await page.waitForFunction(() => window.seen.messages.some((m) => m.type === 'gradlab-step' && m.step >= 200 && m.loss < 0.9), null, { timeout: 30000 });
    await page.evaluate(() => document.getElementById('c').contentWindow.postMessage({ type: 'gradlab-set', state: { lr: -1 } }, '*'));
    await page.waitForFunction(() => window.seen.messages.some((m) => m.type === 'gradlab-error' && /lr -1 is not allowed/.test(m.message)), null, { timeout: 5000 });
  });

  it('reports no CSP violation anywhere: documents, workers, or the report endpoint', async () => {
    await page.screenshot({ path: 'build/embed/week3.png', fullPage: true });
    const s = await seen();
    assert.deepEqual(s.violations, []);
    assert.equal(page.frames().length, 2);
    for (const frame of page.frames()) assert.deepEqual(await frame.evaluate(() => window.violationsSeen), [], frame.url());
    assert.deepEqual(site.reports, []);
    assert.deepEqual(consoleErrors, [], `requests: ${site.requests.filter((u) => /favicon|404/.test(u))}`);
  });

  it('a page that breaks the policy is caught by the same checks (the checks can fail)', async () => {
    const bad = await browser.newPage();
    const errors = [];
    bad.on('console', (m) => errors.push(m.text()));
    await bad.goto(`${site.url}/site/bad.html`);
    await bad.waitForTimeout(300);
    const violations = await bad.evaluate(() => window.seen.violations);
    assert.ok(violations.some((v) => v.startsWith('script-src')) && violations.some((v) => v.startsWith('style-src')), violations.join('; '));
    assert.notEqual(await bad.title(), 'inline script ran');
    for (let i = 0; i < 20 && site.reports.length < 2; ++i) await bad.waitForTimeout(100);
    assert.ok(site.reports.length >= 2, `${site.reports.length} reports reached the server`);
    assert.ok(errors.some((t) => /Content Security Policy/.test(t)));
    await bad.close();
    site.reports.length = 0;
  });
});

const RACERS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Week 5: optimisers</title>
<script src="/site/watch.js"></script>
<script type="module" src="/gradlab/embed/gradlab-embed.js"></script>
</head><body>
<gradlab-playground id="r" lesson="saddle" racers="sgd~adam@0.02" controls="racers,play" autoplay moments="off"></gradlab-playground>
<iframe id="f" title="A race" src="/gradlab/embed.html?lesson=saddle&amp;racers=sgd~adam@0.02&amp;autoplay&amp;moments=off" width="720" height="460"></iframe>
</body></html>`;

describe('racers with learning rates of their own (racers="sgd~adam@0.02")', () => {
  const legend = (p, id) => p.evaluate((i) => [...document.getElementById(i).shadowRoot.querySelectorAll('.legend .item .label')].map((e) => e.textContent), id);

  it('the element and the iframe race both, each at its rate, and the Optimisers field recovers from a bad list', async () => {
    const racersSite = await courseSite({ pages: { '/site/week5.html': RACERS_PAGE, '/site/watch.js': WATCH_JS } });
    const p = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    watch(p);
    try {
      await p.goto(`${racersSite.url}/site/week5.html`);
      await p.waitForFunction(() => window.seen.events.some((e) => e.id === 'r' && e.type === 'gradlab-step' && e.step >= 100)
        && window.seen.messages.some((m) => m.type === 'gradlab-step' && m.step >= 100), null, { timeout: 30000 });
      const s = await seen(p);
      assert.deepEqual(s.events.filter((e) => e.type === 'gradlab-error'), []);
      assert.deepEqual(s.messages.filter((m) => m.type === 'gradlab-error'), []);
      const step = s.events.filter((e) => e.id === 'r' && e.type === 'gradlab-step').at(-1);
      assert.deepEqual(step.runs.map((r) => [r.label, r.learningRate]), [['sgd', 0.01], ['adam', 0.02]]);
      const framed = s.messages.filter((m) => m.type === 'gradlab-step').at(-1);
      assert.deepEqual(framed.runs.map((r) => [r.label, r.learningRate]), [['sgd', 0.01], ['adam', 0.02]]);
      assert.deepEqual(await legend(p, 'r'), ['sgd (lr 0.01)', 'adam (lr 0.02)']);
      const frame = p.frames().find((f) => f.url().includes('embed.html'));
      assert.deepEqual(await frame.evaluate(() => [...document.querySelector('gradlab-playground').shadowRoot.querySelectorAll('.legend .item .label')].map((e) => e.textContent)),
        ['sgd (lr 0.01)', 'adam (lr 0.02)']);
      assert.deepEqual(await p.evaluate(() => document.getElementById('r').notes), []);
      // a list the table refuses marks the field; a good one after it races again
      const field = p.locator('#r').locator('label.field', { hasText: 'Optimisers' });
      await field.locator('input').fill('adam@fast');
      await field.locator('input').dispatchEvent('change');
      assert.match(await field.getAttribute('class'), /invalid/);
      await field.locator('input').fill('momentum~adam@0.05');
      await field.locator('input').dispatchEvent('change');
      assert.doesNotMatch(await field.getAttribute('class'), /invalid/);
      await p.waitForFunction(() => window.seen.events.some((e) => e.id === 'r' && e.type === 'gradlab-step' && e.runs?.[1]?.learningRate === 0.05), null, { timeout: 20000 });
      assert.deepEqual(await legend(p, 'r'), ['momentum (lr 0.01)', 'adam (lr 0.05)']);
      assert.equal(await p.evaluate(() => document.getElementById('r').state.racers), 'momentum~adam@0.05');
      assert.match(await p.evaluate(() => { try { document.getElementById('r').set({ racers: 'adam@0' }); return ''; } catch (e) { return e.message; } }), /racers "adam@0" is not allowed/);
      assert.deepEqual((await seen(p)).events.filter((e) => e.type === 'gradlab-error'), []);
      assert.deepEqual(consoleErrors, []);
      assert.deepEqual(racersSite.reports, []);
    } finally {
      await p.close();
      await racersSite.close();
    }
  });
});

describe('divergence', () => {
  it('a learning rate that is far too large sends gradlab-diverged and stops', async () => {
    const p = await browser.newPage();
    watch(p);
    await p.goto(`${site.url}/site/week3.html`);
    await p.evaluate(() => {
      for (const id of ['b', 'c']) document.getElementById(id).remove();
      document.getElementById('a').set({ lesson: '', data: 'plane', layers: '32_relu,32_relu', opt: 'sgd', lr: 10 });
      document.getElementById('a').play();
    });
    await p.waitForFunction(() => window.seen.events.some((e) => e.type === 'gradlab-diverged'), null, { timeout: 20000 });
    const d = (await p.evaluate(() => window.seen.events)).find((e) => e.type === 'gradlab-diverged');
    assert.equal(d.learningRate, 10);
    assert.equal(typeof d.step, 'number');
    assert.equal(await p.evaluate(() => document.getElementById('a').playing), false);
    await p.close();
  });
});

describe('examples/course-page.html', () => {
  it('shows its three lessons, all ready and training, under the same policy', async () => {
    const read = (f) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), 'utf8');
    // laid out as `npm start` and dist/ have it: gradlab at /, the example at /examples/
    const course = await courseSite({ prefix: '/', pages: { '/examples/course-page.html': read('course-page.html'), '/examples/course-page.css': read('course-page.css') } });
    const p = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const errors = [];
    p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    p.on('pageerror', (e) => errors.push(String(e)));
    try {
      await p.goto(`${course.url}/examples/course-page.html`);
      const ids = ['small-init', 'batch-norm', 'ravine'];
      // each lesson pauses at its moments: go on past them (a click on the callout's button) until step 100
      await p.waitForFunction((list) => list.every((id) => {
        const root = document.getElementById(id).shadowRoot;
        root.querySelector('.moment:not([hidden]) .moment-go')?.click();
        return /step [1-9]\d\d/.test(root.querySelector('.status').textContent);
      }), ids, { timeout: 40000 });
      for (const id of ids) await p.locator(`#${id}`).scrollIntoViewIfNeeded();
      await p.waitForTimeout(500);
      await p.screenshot({ path: 'build/embed/course-page.png', fullPage: true });
      const titles = await p.evaluate((list) => list.map((id) => document.getElementById(id).shadowRoot.querySelector('.title').textContent), ids);
      assert.deepEqual(titles, ['Small initialisation: the signal fades layer by layer', 'Batch norm rescues a bad initialisation', 'SGD and momentum in a ravine']);
      assert.deepEqual(errors, []);
      assert.deepEqual(course.reports, []);
    } finally {
      await p.close();
      await course.close();
    }
  });
});
