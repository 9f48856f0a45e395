// The page's load in headless Chromium: what main.js builds before its first frame and what it
// leaves for later or never builds (the structure, not its timing: bench/page.mjs measures that),
// and the GEMM micro-kernel the About box names against the worker's own engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STARTING_MS, cpuShare } from '../../web/app/session.js';
import { launch, openPage, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const FOUR = '?mode=compare&runs=seed:1~seed:2~seed:3~seed:4';

/** Opens `query` noting how many charts existed when main.js had run (DOMContentLoaded follows module scripts). */
async function openCounting(query) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => { window.chartsAtLoad = document.querySelectorAll('.uplot').length; });
  });
  await page.goto(server.url + query);
  await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null), null, { timeout: 30000 });
  return page;
}

const chartsIn = (page, id) => page.locator(`#${id} .uplot`).count();

/** Waits until every chart queued after the first frame is built, and the readout shows a loss. */
const settled = (page, count) => page.waitForFunction((n) => document.querySelectorAll('.uplot').length >= n, count, { timeout: 20000 });

describe('the page load', () => {
  it('builds no chart before its first frame; in train mode the curves and layer charts follow, the race and compare views are not built', async () => {
    const page = await openCounting('');
    await settled(page, 6);
    assert.equal(await page.evaluate(() => window.chartsAtLoad), 0, 'charts built while main.js first ran');
    for (const id of ['loss-chart', 'acc-chart', 'lr-chart', 'gradnorm-chart', 'ratio-chart', 'depth-chart']) assert.equal(await chartsIn(page, id), 1, id);
    assert.equal(await chartsIn(page, 'race-chart'), 0, 'race chart');
    assert.equal(await page.locator('#multiples > *').count(), 0, 'compare cards');
    // the chart library is asked for once a run's worker has started (charts.js: the worker has loaded
    // ICU's number data for the process by then), so after the worker's own script
    const fetched = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('resource')
      .filter((e) => /uPlot\.esm\.js$|\/worker\.js$/.test(e.name)).map((e) => [e.name.split('/').pop(), { start: e.startTime, end: e.responseEnd }])));
    assert.ok(fetched['worker.js'] && fetched['uPlot.esm.js'], JSON.stringify(fetched));
    assert.ok(fetched['uPlot.esm.js'].start > fetched['worker.js'].end, `uPlot asked for at ${fetched['uPlot.esm.js'].start} ms, the worker's script loaded at ${fetched['worker.js'].end} ms`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('shows no control or panel until the controls hold the address\'s values and the mode\'s panels alone are shown', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => {
      // at every frame (a requestAnimationFrame callback runs just before the frame is painted) for
      // the first seconds: whether the page is shown, and what a reader could then see
      window.frames = [];
      const visible = (sel) => {
        const e = document.querySelector(sel);
        return e ? (getComputedStyle(e).display === 'none' ? 'not laid out' : getComputedStyle(e).visibility) : null;
      };
      const look = () => {
        if (!document.body) { requestAnimationFrame(look); return; }
        const overlay = document.querySelector('.overlay-panel');
        window.frames.push({ shown: !document.body.classList.contains('starting'), layout: visible('.layout'), modes: visible('.modes'), lesson: visible('.lesson-pick'),
          data: document.getElementById('in-data')?.value ?? null, opt: document.getElementById('in-opt')?.value ?? null,
          overlay: overlay ? getComputedStyle(overlay).display : null });
        if (window.frames.length < 600) requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    });
    await page.goto(`${server.url}?data=moons&opt=adam&lr=0.01`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null, null, { timeout: 30000 });
    await page.waitForTimeout(300);
    const frames = await page.evaluate(() => window.frames);
    const hidden = frames.filter((f) => !f.shown), shown = frames.filter((f) => f.shown);
    assert.ok(hidden.length >= 1, 'the page starts hidden');
    // the header keeps its place; the views are not even laid out (the browser's first layout, while
    // the modules load, is the header's alone)
    for (const f of hidden) assert.deepEqual([f.layout, f.modes, f.lesson], ['not laid out', 'hidden', 'hidden'], JSON.stringify(f));
    assert.ok(shown.length >= 5, `frames painted shown: ${shown.length}`);
    assert.ok(frames.findIndex((f) => f.shown) === hidden.length, 'hidden again after it was shown');
    for (const f of shown) {
      assert.deepEqual([f.layout, f.modes, f.lesson, f.data, f.opt, f.overlay], ['visible', 'visible', 'visible', 'moons', 'adam', 'none'], `a frame shown: ${JSON.stringify(f)}`);
    }
    await page.close();
  });

  it('in compare mode builds the curves and one card per run, never the hidden single-run layer charts', async () => {
    const page = await openCounting(FOUR);
    await settled(page, 3);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.gradlabPage.summary().runs.every((r) => r.step >= 50), null, { timeout: 30000 });
    assert.equal(await page.evaluate(() => window.chartsAtLoad), 0);
    for (const id of ['loss-chart', 'acc-chart', 'lr-chart']) assert.equal(await chartsIn(page, id), 1, id);
    for (const id of ['gradnorm-chart', 'ratio-chart', 'depth-chart', 'race-chart']) assert.equal(await chartsIn(page, id), 0, id);
    assert.equal(await page.locator('#multiples figure').count(), 4);
    // switching to train mode builds them then
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('#gradnorm-chart .uplot').length === 1, null, { timeout: 20000 });
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('the CPU share while the page starts', () => {
  it('its workers leave the page a core and a half for the first STARTING_MS after navigation, then take their full share', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url + FOUR);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.duty != null));
    const cores = await page.evaluate(() => navigator.hardwareConcurrency || 2);
    const early = await page.evaluate(() => ({ t: performance.now(), duties: window.gradlabPage.summary().runs.map((r) => r.duty) }));
    assert.ok(early.t < STARTING_MS, `the page took ${early.t} ms to build its runs`);
    assert.deepEqual(early.duties, early.duties.map(() => cpuShare(4, cores, true)), `at ${early.t} ms`);
    await page.waitForFunction((ms) => performance.now() > ms + 300, STARTING_MS, { timeout: 10000 });
    await page.click('#play');   // the share counts the workers that train
    await page.waitForFunction(() => window.gradlabPage.summary().playing);
    const late = await page.evaluate(() => window.gradlabPage.summary().runs.map((r) => r.duty));
    assert.deepEqual(late, late.map(() => cpuShare(4, cores, false)));
    await page.close();
  });
});

describe('the GEMM micro-kernel in About', () => {
  it('is timed by one worker of four; the others run its choice, and the About box names it', async () => {
    const page = await openPage(browser, server.url + FOUR);
    const infos = async () => {
      const all = [];
      for (const w of page.workers()) {
        const info = await w.evaluate(() => globalThis.gradlabEngine?.kernelInfo() ?? null).catch(() => null);
        if (info) all.push(info);
      }
      return all;
    };
    let seen = [];
    for (let tries = 0; tries < 100; ++tries) {
      seen = await infos();
      if (seen.length === 4 && new Set(seen.map((k) => k.variant)).size === 1 && seen.filter((k) => k.adopted).length === 3) break;
      await page.waitForTimeout(100);
    }
    assert.equal(seen.length, 4, 'four run workers with an engine');
    const timed = seen.filter((k) => !k.forced && !k.adopted);
    assert.equal(timed.length, 1, `one worker timed the variants: ${JSON.stringify(seen.map((k) => [k.variant, k.forced, k.adopted]))}`);
    assert.ok(timed[0].variants.every((v) => typeof v.ms === 'number'), 'its record has the timings');
    assert.ok(seen.every((k) => k.variant === timed[0].variant), 'all run its choice');
    const adopted = seen.filter((k) => k.adopted);
    assert.equal(adopted.length, 3);
    assert.ok(adopted.every((k) => k.variants.every((v) => v.ms === undefined) && k.calibrationMs === timed[0].calibrationMs), 'the others timed nothing');
    await page.waitForFunction((v) => document.getElementById('kernel').textContent.includes(`the ${v} `), timed[0].variant, { timeout: 10000 });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  for (const [build, query] of [['SIMD', ''], ['scalar', '?build=scalar']]) {
    it(`names the variant the worker's engine chose (${build} build)`, async () => {
      const page = await openPage(browser, server.url + query);
      await page.waitForFunction(() => document.getElementById('kernel').textContent !== '', null, { timeout: 30000 });
      // the run's worker (the data-set pictures' helper worker has no engine hook)
      let chosen = null;
      for (let tries = 0; chosen === null && tries < 50; ++tries) {
        for (const w of page.workers()) chosen ??= await w.evaluate(() => globalThis.gradlabEngine?.kernelInfo()?.variant ?? null).catch(() => null);
        if (chosen === null) await page.waitForTimeout(100);
      }
      assert.ok(chosen, 'a worker reports its kernel');
      const text = await page.locator('#kernel').textContent();
      assert.match(text, new RegExp(`the ${chosen.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (micro-)?kernel`), text);
      if (build === 'scalar') assert.equal(chosen, 'reference');
      else {
        assert.notEqual(chosen, 'reference');
        // a timing that settles: at load, or at the second timing RETIME_MS later (kernel-share.js)
        await page.waitForFunction(() => /the fastest of \d+ timed on this CPU/.test(document.getElementById('kernel').textContent), null, { timeout: 20000 });
        const worker = page.workers().find((w) => w.url().includes('worker.js') && !w.url().includes('datasets'));
        const info = await worker.evaluate(() => globalThis.gradlabEngine.kernelInfo());
        assert.equal(info.settled, true);
        assert.ok(info.variants.every((v) => v.gflops > 0), 'every variant was timed');
        assert.match(await page.locator('#kernel').textContent(), new RegExp(`the ${info.variant} micro-kernel`));
      }
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }
});
