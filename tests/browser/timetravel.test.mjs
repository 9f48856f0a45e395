// Time travel on the page, in headless Chromium: the scrubber under the curves (views/scrubber.js)
// shows a recorded step in every view at once, with the same histogram counts and layer statistics as
// a second page with the same seed paused at that step after single steps; the arrow keys move one
// recorded step; Live, Play and Step return to the present. In compare mode the scrubber moves every
// run, and the overlay (views/overlay.js) draws one outline per run in its colour; the depth x time
// strips (views/strips.js) of a network of eleven layers have one row per layer holding its numbers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(query, viewport = { width: 1440, height: 900 }) {
  const page = await browser.newPage({ viewport });
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(server.url + query);
  await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null), null, { timeout: 40000 });
  return page;
}

const summary = (page) => page.evaluate(() => window.gradlabPage.summary());

/** Plays every run to at least step n, then pauses and waits for the pause to settle. */
async function playTo(page, n) {
  await page.locator('#play').click();
  await page.waitForFunction((k) => window.gradlabPage.summary().runs.every((r) => r.step >= k), n, { timeout: 60000 });
  await page.locator('#play').click();
  await page.waitForFunction(() => !window.gradlabPage.summary().playing);
  await page.waitForTimeout(200);
}

/** Moves the scrubber to step k as dragging does (an input event), then waits until every run shows a recorded step. */
async function scrubTo(page, k) {
  await page.evaluate((at) => {
    const input = document.getElementById('scrub');
    input.value = String(at);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, k);
  await page.waitForFunction((at) => {
    const s = window.gradlabPage.summary().scrub;
    return s.step === at && s.runs.every((r) => r.recorded);
  }, k);
  await page.waitForTimeout(150);   // a redraw
}

/** data-step of each view's element: the step it drew. */
const drawnSteps = (page, ids) => page.evaluate((list) => Object.fromEntries(list.map((id) => [id, document.getElementById(id).dataset.step])), ids);

/** The recorded step nearest to k (the earlier one on a tie), as the record answers. */
const nearest = (steps, k) => steps.reduce((best, s) => (Math.abs(s - k) < Math.abs(best - k) ? s : best));

const TRAIN = '?data=spiral&layers=16_relu_bn,8_tanh&batch=16&seed=5&speed=60';
const TRAIN_VIEWS = ['boundary', 'diagram', 'histograms', 'health', 'bn-chart', 'depth-chart'];

describe('time travel', () => {
  it('train mode: a scrubbed step shows what a run paused there shows, in every view; arrows, Live, Play and Step', async () => {
    const played = await open(TRAIN);
    await playTo(played, 70);
    const now = (await summary(played)).runs[0].step;

    // the keyboard: Home goes to the first recorded step
    await played.locator('#scrub').focus();
    await played.keyboard.press('Home');
    await played.waitForFunction(() => window.gradlabPage.summary().scrub.shownStep === 0);

    await scrubTo(played, Math.round(now / 2));
    let s = await summary(played);
    const recorded = s.scrub.runs[0].recorded, k = s.scrub.shownStep;
    assert.ok(recorded.length > 4 && recorded[0] === 0, `recorded steps ${recorded}`);
    assert.equal(k, nearest(recorded, Math.round(now / 2)));
    assert.ok(k > 0 && k < now, `shows step ${k} of ${now}`);
    assert.equal(s.scrub.live, false);
    assert.equal(s.runs[0].step, now, 'the run itself stays at the present');
    assert.ok(s.scrub.runs[0].usage.peakBytes <= s.scrub.runs[0].usage.budget);
    for (const [id, step] of Object.entries(await drawnSteps(played, TRAIN_VIEWS))) assert.equal(step, String(k), `${id} drew step ${step}, not ${k}`);
    assert.match(await played.locator('#scrub-readout').textContent(), new RegExp(`step ${k} of ${now}`));
    assert.ok(await played.locator('#loss-chart .scrub-marker').isVisible(), 'a marker on the loss chart');
    const atK = s.scrub.runs[0];

    // the arrows move one recorded step
    await played.locator('#scrub').focus();
    await played.keyboard.press('ArrowLeft');
    const before = recorded.filter((r) => r < k).at(-1);
    await played.waitForFunction((b) => window.gradlabPage.summary().scrub.shownStep === b, before);
    await played.keyboard.press('ArrowRight');
    await played.waitForFunction((b) => window.gradlabPage.summary().scrub.shownStep === b, k);

    // a second page with the same settings, paused at step k after single steps
    const paused = await open(TRAIN);
    for (let i = 1; i <= k; ++i) {
      await paused.locator('#step').click();
      await paused.waitForFunction((n) => window.gradlabPage.summary().runs[0].step === n, i);
    }
    await paused.waitForTimeout(150);
    const there = (await summary(paused)).scrub;
    assert.equal(there.live, true);
    assert.equal(there.runs[0].step, k);
    assert.ok(atK.layers.length === 3 && atK.layers[0].hist.weights.counts.some((c) => c > 0) && atK.layers[0].running);
    assert.deepEqual(atK.layers, there.runs[0].layers, 'histogram counts and layer statistics of the scrubbed step');
    assert.deepEqual([atK.train, atK.test], [there.runs[0].train, there.runs[0].test]);
    for (const [id, step] of Object.entries(await drawnSteps(paused, TRAIN_VIEWS))) assert.equal(step, String(k), `paused page: ${id}`);
    await paused.close();

    // Live returns to the present
    await played.locator('#scrub-live').click();
    s = await summary(played);
    assert.equal(s.scrub.live, true);
    assert.equal(s.scrub.runs[0].step, now);
    await played.waitForTimeout(150);
    for (const [id, step] of Object.entries(await drawnSteps(played, TRAIN_VIEWS))) assert.equal(step, String(now), `live: ${id}`);
    assert.ok(await played.locator('#loss-chart .scrub-marker').isHidden(), 'no marker when live');

    // Space on the scrubber plays from the present; scrubbing while playing pauses
    await scrubTo(played, 10);
    await played.locator('#scrub').focus();
    await played.keyboard.press(' ');
    await played.waitForFunction(() => { const x = window.gradlabPage.summary(); return x.playing && x.scrub.live; });
    await scrubTo(played, 20);
    assert.equal((await summary(played)).playing, false, 'scrubbing pauses training');
    await played.locator('#step').click();
    await played.waitForFunction((n) => { const x = window.gradlabPage.summary(); return x.scrub.live && x.runs[0].step > n; }, now);
    assert.deepEqual(played.errors, []);
    await played.close();
  });

  it('image data: the test images and the first layer\'s filters at a scrubbed step are those of a page paused there', async () => {
    const query = '?data=digits&samples=200&size=8&layers=c4_relu,pmax,flat&batch=20&seed=2&speed=40';
    const views = ['samples', 'filters', 'maps', 'histograms', 'health'];
    const pixels = (page) => page.evaluate((ids) => ids.map((id) => {
      const c = document.getElementById(id);
      return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).join();
    }), ['samples', 'filters']);
    const played = await open(query);
    await playTo(played, 40);
    await scrubTo(played, 20);
    const k = (await summary(played)).scrub.shownStep;
    assert.ok(k > 0, `shows step ${k}`);
    for (const [id, step] of Object.entries(await drawnSteps(played, views))) assert.equal(step, String(k), `${id} drew step ${step}, not ${k}`);
    const scrubbed = await pixels(played), atK = (await summary(played)).scrub.runs[0];
    const paused = await open(query);
    for (let i = 1; i <= k; ++i) {
      await paused.locator('#step').click();
      await paused.waitForFunction((n) => window.gradlabPage.summary().runs[0].step === n, i);
    }
    await paused.waitForTimeout(200);
    assert.deepEqual(atK.layers, (await summary(paused)).scrub.runs[0].layers);
    const there = await pixels(paused);
    assert.ok(scrubbed[1] === there[1], 'the filters canvas is the same picture');
    assert.ok(scrubbed[0] === there[0], 'the test images and their predictions are the same picture');
    assert.deepEqual([...played.errors, ...paused.errors], []);
    await played.close(); await paused.close();
  });

  it('compare mode: the scrubber moves every run, and the overlay draws one outline per run in its colour', async () => {
    const page = await open('?mode=compare&runs=init:he-normal~init:xavier~init:normal&seed=4&speed=80');
    await playTo(page, 80);
    let s = await summary(page);
    const now = s.runs.map((r) => r.step);
    assert.equal(s.overlay.outlines.length, 3, 'one outline per run when live');
    assert.deepEqual(s.overlay.outlines.map((o) => o.step), now);

    await scrubTo(page, 40);
    s = await summary(page);
    assert.equal(s.scrub.runs.length, 3);
    const cards = await page.evaluate(() => [...document.querySelectorAll('#multiples figure')].map((f) => [...f.querySelectorAll('canvas')].filter((c) => !c.hidden).map((c) => c.dataset.step)));
    s.scrub.runs.forEach((r, i) => {
      assert.equal(r.step, nearest(r.recorded, 40), `run ${i} shows its recorded step nearest to 40`);
      assert.ok(r.step < now[i], `run ${i} is back in time`);
      assert.ok(cards[i].length >= 2 && cards[i].every((step) => step === String(r.step)), `run ${i}'s card drew step ${r.step}: ${cards[i]}`);
    });

    // the overlay: the scrubbed steps, each run's bin shares of its first layer's weights, one colour each
    const { overlay } = s;
    assert.equal(overlay.outlines.length, 3);
    assert.deepEqual(overlay.outlines.map((o) => o.run), [0, 1, 2]);
    assert.deepEqual(overlay.outlines.map((o) => o.step), s.scrub.runs.map((r) => r.step));
    overlay.outlines.forEach((o, i) => {
      const counts = s.scrub.runs[i].layers[0].hist.weights.counts, total = counts.reduce((a, b) => a + b, 0);
      assert.deepEqual(o.shares, counts.map((c) => c / total));
    });
    assert.equal(new Set(overlay.outlines.map((o) => o.colour)).size, 3);
    const seen = await page.evaluate((colours) => {
      const c = document.getElementById('overlay'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const rgb = colours.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
      return rgb.map(([r, g, b]) => {
        let n = 0;
        for (let p = 0; p < d.length; p += 4) if (d[p + 3] > 200 && Math.abs(d[p] - r) + Math.abs(d[p + 1] - g) + Math.abs(d[p + 2] - b) < 30) n++;
        return n;
      });
    }, overlay.outlines.map((o) => o.colour));
    assert.ok(seen.every((n) => n > 30), `pixels of each run's colour on the overlay: ${seen}`);
    assert.equal(await page.locator('#overlay').getAttribute('data-outlines'), '3');
    assert.equal(await page.locator('#overlay-legend li').count(), 3);

    // another layer and quantity
    await page.selectOption('#overlay-layer', '1');
    await page.selectOption('#overlay-kind', 'gradients');
    await page.waitForFunction(() => { const o = window.gradlabPage.summary().overlay; return o.layer === 1 && o.kind === 'gradients'; });
    await page.waitForTimeout(150);
    s = await summary(page);
    s.overlay.outlines.forEach((o, i) => {
      const counts = s.scrub.runs[i].layers[1].hist.gradients.counts, total = counts.reduce((a, b) => a + b, 0);
      assert.deepEqual(o.shares, counts.map((c) => c / total));
    });

    // Live brings every run back
    await page.locator('#scrub-live').click();
    await page.waitForTimeout(150);
    s = await summary(page);
    assert.deepEqual(s.scrub.runs.map((r) => r.step), now);
    assert.deepEqual(s.overlay.outlines.map((o) => o.step), now);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('depth x time strips: one row per layer of an eleven-layer network, holding its numbers', async () => {
    const layers = Array(10).fill('12_tanh').join(',');
    const page = await open(`?data=spiral&layers=${layers}&seed=3&speed=120`);
    await playTo(page, 120);
    const s = await summary(page);
    const run = s.runs[0];
    assert.equal(run.layers.length, 11);
    assert.deepEqual(s.strips.map((x) => x.quantity), ['gradientNorm', 'updateRatio', 'saturated', 'dead', 'activationStd']);
    for (const strip of s.strips) {
      assert.equal(strip.rows, 11, strip.quantity);
      assert.ok(strip.columns > 5, `${strip.quantity}: ${strip.columns} columns`);
      assert.equal(strip.lastStep, run.step);
    }
    const grad = s.strips[0], std = s.strips[4];
    run.layers.forEach((l, i) => {
      assert.equal(grad.last[i], Math.fround(l.gradientNorm), `layer ${i}'s gradient norm`);
      assert.equal(std.last[i], Math.fround(l.activationStd), `layer ${i}'s activation std`);
    });
    assert.ok(grad.lo > 0 && grad.hi > grad.lo);
    const canvases = await page.evaluate(() => [...document.querySelectorAll('#strips canvas')].map((c) => ({ rows: c.dataset.rows, height: c.height, width: c.width })));
    assert.equal(canvases.length, 5);
    for (const c of canvases) { assert.equal(c.rows, '11'); assert.ok(c.height >= 11 * 9 && c.width > 300, JSON.stringify(c)); }
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('at 390 px wide: the scrubber, the strips and the overlay fit without sideways scrolling', async () => {
    for (const query of [TRAIN, '?mode=compare&runs=init:he-normal~init:xavier&seed=4']) {
      const page = await open(query, { width: 390, height: 844 });
      await playTo(page, 30);
      await scrubTo(page, 10);
      assert.ok(await page.locator('#scrub').isVisible());
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `${query}: ${wide} px too wide`);
      assert.deepEqual(page.errors, []);
      await page.close();
    }
  });
});
