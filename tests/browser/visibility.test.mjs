// Background tabs and off-screen embeds (web/app/visibility.js). A hidden tab (document.visibilityState
// emulated, and its visibilitychange sent) stops the page's training, and training resumes on return
// at its usual pace (no burst of catch-up steps). An autoplay <gradlab-playground> far below the
// screen does not train until it is scrolled near, and pauses again when it is scrolled far away.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, openPage, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Emulates the tab being hidden (true) or shown again (false). */
const setHidden = (page, hidden) => page.evaluate((h) => {
  if (h) Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
  else delete document.visibilityState;   // the prototype's getter again: 'visible'
  document.dispatchEvent(new Event('visibilitychange'));
}, hidden);

describe('training only where it can be seen', () => {
  it('a hidden tab pauses the page, which resumes on return without a burst of catch-up steps', async () => {
    const page = await openPage(browser, server.url);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    await page.getByRole('button', { name: /Play/ }).click();
    const step = () => page.evaluate(() => window.gradlabPage.summary().runs[0].step);
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step > 100);
    const a = await step(); await page.waitForTimeout(1000); const before = (await step()) - a;   // steps in a second, shown
    await setHidden(page, true);
    await page.waitForTimeout(400);   // a snapshot already on its way may still arrive
    const stopped = await step();
    await page.waitForTimeout(2000);
    assert.equal(await step(), stopped, 'the step count moved in a hidden tab');
    assert.equal(await page.evaluate(() => window.gradlabPage.summary().playing), false);
    await setHidden(page, false);
    const b = await step(); await page.waitForTimeout(1000); const afterwards = (await step()) - b;
    assert.ok(afterwards > 0, 'training did not resume');
    assert.ok(afterwards < 2 * before + 50, `a burst after the return: ${afterwards} steps in a second against ${before} before`);
    assert.equal(await page.evaluate(() => window.gradlabPage.summary().playing), true);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('an autoplay embed far off-screen waits until scrolled near, and pauses when scrolled away', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const body = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lessons</title>'
      + '<script type="module" src="/embed/gradlab-embed.js"></script></head><body>'
      + '<gradlab-playground id="top" lesson="xavier" autoplay height="430"></gradlab-playground>'
      + '<div style="height: 5000px"></div>'
      + '<gradlab-playground id="low" lesson="adam" autoplay height="430"></gradlab-playground>'
      + '<div style="height: 5000px"></div></body></html>';
    await page.route(new URL('lessons.html', server.url).href, (route) => route.fulfill({ contentType: 'text/html', body }));
    await page.addInitScript(() => {
      window.steps = { top: 0, low: 0 };
      document.addEventListener('gradlab-step', (e) => { window.steps[e.target.id] = Math.max(window.steps[e.target.id], e.detail.step); });
    });
    await page.goto(new URL('lessons.html', server.url).href);
    await page.waitForFunction(() => window.steps.top > 200, null, { timeout: 60000 });
    await page.waitForTimeout(1000);
    const low = await page.evaluate(() => ({ steps: window.steps.low, playing: document.getElementById('low').playing }));
    assert.deepEqual(low, { steps: 0, playing: false }, 'the embed far below the screen trained');

    await page.evaluate(() => document.getElementById('low').scrollIntoView());
    await page.waitForFunction(() => window.steps.low > 50 && document.getElementById('low').playing, null, { timeout: 60000 });
    assert.equal(await page.evaluate(() => document.getElementById('top').playing), false, 'the embed scrolled far away still plays');

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(() => !document.getElementById('low').playing && document.getElementById('top').playing);
    await page.waitForTimeout(400);
    const held = await page.evaluate(() => window.steps.low);
    await page.waitForTimeout(1500);
    assert.equal(await page.evaluate(() => window.steps.low), held, 'the embed scrolled away kept training');

    await setHidden(page, true);
    await page.waitForFunction(() => !document.getElementById('top').playing);
    await setHidden(page, false);
    await page.waitForFunction(() => document.getElementById('top').playing && !document.getElementById('low').playing);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
