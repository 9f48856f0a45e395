// A live change in Chromium: lowering the learning rate in the form while a run plays goes on from
// the same weights (the step keeps counting, the loss does not go back to where it began), the rate
// curve changes right after the marked step, the charts draw a marker line there and the page lists
// it; a change of the layers still starts again. The embed takes a live change the same way. A
// screenshot of the marker at 1440x900 goes to build/live-change/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { launch, openPage, serve } from './browser.mjs';
import { WATCH_JS, courseSite } from './embed-server.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); mkdirSync('build/live-change', { recursive: true }); });
after(async () => { await browser?.close(); await server?.close(); });

const summary = (page) => page.evaluate(() => window.gradlabPage.summary());
const f32 = Math.fround;

/** Pixels of the marker's grey (#444) in a column of the chart's canvas at step `step`. */
const markerPixels = (page, id, step) => page.evaluate(([chartId, x]) => {
  const u = document.getElementById(chartId)._glChart;
  const cx = Math.round(u.valToPos(x, 'x', true));
  const d = u.ctx.getImageData(cx - 1, u.bbox.top, 3, u.bbox.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 68) < 12 && Math.abs(d[i + 1] - 68) < 12 && Math.abs(d[i + 2] - 68) < 12 && d[i + 3] > 200) n++;
  return n;
}, [id, step]);

async function setField(page, id, value) {
  await page.fill(id, value);
  await page.locator(id).dispatchEvent('change');
}

describe('changing the learning rate while a run plays', () => {
  for (const seed of [1, 2, 3]) {
    it(`keeps the weights and applies the new rate from the step after the marker (seed ${seed})`, async () => {
      const page = await openPage(browser, `${server.url}?data=circle&opt=momentum&lr=0.1&speed=120&seed=${seed}`);
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
      await page.locator('#play').click();
      await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step >= 80, null, { timeout: 30000 });
      const before = (await summary(page)).runs[0];
      await setField(page, '#in-lr', '0.01');
      await page.waitForFunction(() => window.gradlabPage.summary().runs[0].markers.length === 1, null, { timeout: 20000 });
      const [marker] = (await summary(page)).runs[0].markers;
      assert.equal(marker.text, 'lr 0.1 → 0.01');
      assert.ok(marker.step >= before.step, `the change applied at step ${marker.step}, after step ${before.step} was seen`);
      await page.waitForFunction((n) => window.gradlabPage.summary().runs[0].step >= n + 60, marker.step, { timeout: 30000 });
      const s = await summary(page), run = s.runs[0];
      assert.equal(s.playing, true, 'it kept playing');
      assert.match(s.url, /lr=0\.01/);
      const { x, trainLoss } = run.curve;
      assert.equal(x[0], 0);
      assert.ok(x.every((v, i) => i === 0 || v > x[i - 1]), 'one run whose steps only go up: no reset');
      assert.ok(x.some((v) => v < marker.step) && x.some((v) => v > marker.step));
      // the rate: the old one up to the marked step, the new one after it
      x.forEach((step, i) => assert.equal(f32(run.learningRates[i]), f32(step <= marker.step ? 0.1 : 0.01), `rate at step ${step}`));
      // the loss goes on from where it was, far from the first loss
      const at = x.findIndex((v) => v > marker.step);
      const lossBefore = trainLoss[at - 1], lossAfter = trainLoss[at];
      assert.ok(run.firstLoss - lossBefore > 0.1, `it had learned something (${run.firstLoss} → ${lossBefore})`);
      assert.ok(Math.abs(lossAfter - lossBefore) < 0.25 * (run.firstLoss - lossBefore), `no jump back: ${lossBefore} → ${lossAfter}, first ${run.firstLoss}`);
      // the marker on the charts and in words
      assert.equal(await page.locator('#curve-marks').isVisible(), true);
      assert.equal(await page.locator('#curve-marks li').textContent(), `Changed at step ${marker.step}: lr 0.1 → 0.01`);
      for (const chart of ['loss-chart', 'acc-chart', 'lr-chart']) {
        assert.ok(await markerPixels(page, chart, marker.step) > 20, `a marker line on ${chart}`);
      }
      if (seed === 1) await page.screenshot({ path: 'build/live-change/marker-1440.png' });

      // the layers are not live: the run starts again, without markers
      await page.getByRole('button', { name: 'Add layer' }).click();
      await page.waitForFunction(() => { const r = window.gradlabPage.summary().runs[0]; return r.markers.length === 0 && r.curve.x.length > 0 && r.curve.x[0] === 0 && r.step < 40; }, null, { timeout: 20000 });
      assert.equal(await page.locator('#curve-marks').isHidden(), true);
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }

  it('in compare mode only the runs that share the rate take the change, each with its marker', async () => {
    const page = await openPage(browser, `${server.url}?mode=compare&data=circle&opt=momentum&lr=0.1&speed=120&runs=lr:0.3~momentum:0.5`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null));
    await page.locator('#play').click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs.every((r) => r.step >= 40), null, { timeout: 30000 });
    await setField(page, '#in-lr', '0.02');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[1].markers.length === 1, null, { timeout: 20000 });
    const marked = (await summary(page)).runs[1].markers[0].step;
    await page.waitForFunction((n) => window.gradlabPage.summary().runs.every((r) => r.step > n + 20), marked, { timeout: 30000 });
    const [own, shared] = (await summary(page)).runs;
    assert.deepEqual(own.markers, [], 'the run with its own rate has no marker');
    assert.ok(own.learningRates.every((v) => f32(v) === f32(0.3)), 'and keeps its rate');
    shared.curve.x.forEach((step, i) => assert.equal(f32(shared.learningRates[i]), f32(step <= marked ? 0.1 : 0.02)));
    assert.match(await page.locator('#curve-marks').textContent(), new RegExp(`Changed at step ${marked} \\(momentum 0.5\\): lr 0.1 → 0.02`));
    await page.screenshot({ path: 'build/live-change/marker-compare-1280.png' });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('a run that diverged stays diverged when the rate is lowered, says that Reset starts it at the new rate, and Reset does', async () => {
    const page = await openPage(browser, `${server.url}?data=plane&opt=momentum&lr=5`);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    await page.locator('#play').click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].status === 'diverged', null, { timeout: 30000 });
    const at = (await summary(page)).runs[0].step;
    await setField(page, '#in-lr', '0.05');
    await page.waitForFunction(() => /press Reset to start again with the new learning rate 0\.05/.test(document.getElementById('status').textContent), null, { timeout: 10000 });
    await page.waitForTimeout(300);
    let s = await summary(page);
    assert.equal(s.runs[0].status, 'diverged'); assert.equal(s.runs[0].step, at, 'not started again');
    assert.equal(s.playing, false);
    assert.match(await page.locator('#status').textContent(), new RegExp(`^Diverged at step ${at} at learning rate 5: `));
    await page.screenshot({ path: 'build/live-change/diverged-held-1440.png' });
    await page.locator('#reset').click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].status === 'ok' && window.gradlabPage.summary().runs[0].step === 0, null, { timeout: 20000 });
    await page.locator('#play').click();
    await page.waitForFunction((n) => window.gradlabPage.summary().runs[0].step > n + 20, at, { timeout: 30000 });
    s = await summary(page);
    assert.equal(s.runs[0].status, 'ok', 'at 0.05 it trains past the step where 5 diverged');
    assert.ok(s.runs[0].learningRates.every((v) => f32(v) === f32(0.05)), 'at the new rate from step 0');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('the embed takes a live change without starting again', () => {
  it('set({ lr }) while playing: the steps go on and the rate changes', async () => {
    const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>live change</title>
<script src="/site/watch.js"></script><script type="module" src="/gradlab/embed/gradlab-embed.js"></script></head>
<body><gradlab-playground id="a" data="circle" opt="momentum" lr="0.1" speed="150" autoplay moments="off" height="400"></gradlab-playground></body></html>`;
    const site = await courseSite({ pages: { '/site/live.html': PAGE, '/site/watch.js': WATCH_JS } });
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(`${site.url}/site/live.html`);
      const steps = () => page.evaluate(() => window.seen.events.filter((e) => e.type === 'gradlab-step').map((e) => ({ step: e.step, lr: e.learningRate })));
      await page.waitForFunction(() => window.seen.events.some((e) => e.type === 'gradlab-step' && e.step >= 60), null, { timeout: 30000 });
      await page.evaluate(() => document.getElementById('a').set({ lr: 0.01 }));
      await page.waitForFunction(() => window.seen.events.some((e) => e.type === 'gradlab-step' && Math.abs(e.learningRate - 0.01) < 1e-6), null, { timeout: 20000 });
      await page.waitForTimeout(300);
      const seen = await steps();
      const readies = await page.evaluate(() => window.seen.events.filter((e) => e.type === 'gradlab-ready').length);
      assert.equal(readies, 1, 'no second start');
      const firstNew = seen.findIndex((e) => Math.abs(e.lr - 0.01) < 1e-6);
      assert.ok(seen[firstNew].step > 60, `the new rate from step ${seen[firstNew].step} on`);
      assert.ok(seen.every((e, i) => i === 0 || e.step >= seen[i - 1].step), 'the steps only go up');
      assert.ok(await page.evaluate(() => document.getElementById('a').playing));
      await page.locator('gradlab-playground').screenshot({ path: 'build/live-change/embed-marker.png' });
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      await site.close();
    }
  });
});
