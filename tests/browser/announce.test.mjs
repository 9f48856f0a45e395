// What the page's polite region (web/app/views/announce.js) says about a run that stopped or waits:
// a worker that fails (killed through the test hooks, which only call terminate(), so the watchdog
// must notice), and a live change held on a diverged run (said once, not per keystroke or per
// set() call). Each announcement must be the words the run's card or status shows (labels.js
// runStatus, faults.js), so a screen reader hears what a sighted user reads, including what to do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SILENT_MS } from '../../web/app/faults.js';
import { ANNOUNCE } from '../../web/app/views/announce.js';
import { launch, openPage, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const WAIT = { timeout: SILENT_MS + 30000 };

/** From now on window.heard collects every text the polite region `selector` (in `root`) shows. */
const listen = (page, root = null) => page.evaluate((host) => {
  const scope = host ? document.querySelector(host).shadowRoot : document;
  const region = scope.querySelector('[aria-live="polite"]');
  window.heard = [];
  new MutationObserver(() => { if (region.textContent) window.heard.push(region.textContent); })
    .observe(region, { childList: true, characterData: true, subtree: true });
}, root);
const heard = (page) => page.evaluate(() => window.heard);
const summary = (page) => page.evaluate(() => window.gradlabPage.summary());

describe('the page announces a worker that failed', () => {
  it('a compare run\'s worker killed: its card\'s sentence is said once, with its run named and Reset as the way back', async () => {
    const page = await openPage(browser, `${server.url}?data=moons&layers=16_relu&mode=compare&runs=seed:1~seed:2&speed=200`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null), null, { timeout: 60000 });
    await page.locator('#play').click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs.every((r) => r.step > 20), null, { timeout: 60000 });
    await listen(page);
    await page.evaluate(() => window.gradlabPage.test.killWorker(1));
    await page.waitForFunction(() => window.gradlabPage.summary().runs[1].status === 'error', null, WAIT);
    await page.waitForFunction(() => window.heard.some((t) => /worker/.test(t)), null, { timeout: 5000 });
    await page.waitForTimeout(1500);   // the other run trains on: nothing more is said
    const { runs } = await summary(page);
    const card = await page.evaluate(() => document.querySelectorAll('#multiples figure.multiple')[1].querySelector('.run-status').textContent);
    assert.equal(card, runs[1].error, 'the card shows the fault');
    assert.deepEqual(await heard(page), [ANNOUNCE.failed(runs[1].label, card)]);
    assert.match(card, /stopped answering.*Press Reset to start this run again\.$/);
    assert.match((await heard(page))[0], /^Run seed 2: This run's worker/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the one run\'s worker killed: the status line\'s sentence is said', async () => {
    const page = await openPage(browser, `${server.url}?data=moons&speed=200`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null, null, { timeout: 60000 });
    await page.locator('#play').click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step > 20, null, { timeout: 60000 });
    await listen(page);
    await page.evaluate(() => window.gradlabPage.test.killWorker(0));
    await page.waitForFunction(() => window.heard.length > 0, null, WAIT);
    await page.waitForTimeout(800);
    const status = await page.locator('#status').textContent();
    assert.match(status, /^This run's worker stopped answering .*Press Reset/);
    assert.deepEqual(await heard(page), [status]);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the race\'s worker killed: the race\'s status is said', async () => {
    const page = await openPage(browser, `${server.url}?mode=race&surface=bowl&raceSteps=60`);
    await page.waitForFunction(() => /^Race finished/.test(document.getElementById('status').textContent), null, { timeout: 60000 });
    await page.waitForTimeout(600);   // its "finished" has been said
    await listen(page);
    await page.evaluate(() => window.gradlabPage.test.killRaceWorker());
    await page.waitForFunction(() => window.heard.length > 0, null, WAIT);
    await page.waitForTimeout(800);
    const status = await page.locator('#status').textContent();
    assert.match(status, /^The race's worker stopped answering.*Press Reset to compute the race again\.$/);
    assert.deepEqual(await heard(page), [status]);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

/** Leaves `text` in field `selector` as typed key by key, then Enter (the change). */
async function typeKeys(page, selector, text) {
  await page.locator(selector).fill('');
  await page.locator(selector).pressSequentially(text, { delay: 30 });
}

describe('a live change held on a diverged run is announced once', () => {
  it('on the page: nothing while typing, the status\'s words once after Enter, and two quick changes are one announcement', async () => {
    const page = await openPage(browser, `${server.url}?data=plane&opt=momentum&lr=5`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null, null, { timeout: 60000 });
    await listen(page);
    await page.locator('#play').click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].status === 'diverged', null, { timeout: 30000 });
    await page.waitForFunction(() => window.heard.some((t) => /Diverged/.test(t)), null, { timeout: 5000 });
    await page.waitForTimeout(600);
    const before = (await heard(page)).length;

    await typeKeys(page, '#in-lr', '0.05');
    await page.waitForTimeout(900);
    assert.equal((await heard(page)).length, before, 'said while typing');
    await page.locator('#in-lr').press('Enter');
    await page.waitForFunction(() => /new learning rate 0\.05/.test(document.getElementById('status').textContent), null, { timeout: 10000 });
    await page.waitForFunction((n) => window.heard.length > n, before, { timeout: 5000 });
    await page.waitForTimeout(1200);
    let said = (await heard(page)).slice(before);
    const status = await page.locator('#status').textContent();
    assert.deepEqual(said, [ANNOUNCE.diverged('train', status)]);
    assert.match(said[0], /^The run: Diverged at step \d+ at learning rate 5: .*press Reset to start again with the new learning rate 0\.05\.$/);

    // two changes 100 ms apart (timed in the page, so the test's own round trips do not stretch it):
    // said once, with the value that stands
    await page.evaluate(async () => {
      const field = document.getElementById('in-lr');
      const leave = (text) => { field.value = text; field.dispatchEvent(new Event('change', { bubbles: true })); };
      leave('0.02');
      await new Promise((resolve) => { setTimeout(resolve, 100); });
      leave('0.01');
    });
    await page.waitForFunction((n) => window.heard.length > n, before + 1, { timeout: 5000 });
    await page.waitForTimeout(1200);
    said = (await heard(page)).slice(before + 1);
    assert.deepEqual(said, [ANNOUNCE.diverged('train', await page.locator('#status').textContent())]);
    assert.match(said[0], /new learning rate 0\.01\.$/);
    assert.equal((await summary(page)).runs[0].status, 'diverged', 'the run stayed diverged');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('in an embed: three set() calls in a row are one announcement, in the status\'s words', async () => {
    const page = await openPage(browser, `${server.url}embed.html?data=plane&opt=momentum&lr=5&controls=play,lr`);
    await page.waitForFunction(() => document.querySelector('gradlab-playground')?.shadowRoot?.querySelector('[aria-live="polite"]')
      && /^step 0 /.test(document.querySelector('gradlab-playground').shadowRoot.querySelector('.status').textContent), null, { timeout: 60000 });
    await listen(page, 'gradlab-playground');
    await page.evaluate(() => document.querySelector('gradlab-playground').play());
    await page.waitForFunction(() => window.heard.some((t) => /Diverged/.test(t)), null, { timeout: 30000 });
    await page.waitForTimeout(600);
    const before = (await heard(page)).length;
    await page.evaluate(() => { const g = document.querySelector('gradlab-playground'); for (const lr of [1, 0.5, 0.05]) g.set({ lr }); });
    await page.waitForFunction((n) => window.heard.length > n, before, { timeout: 5000 });
    await page.waitForTimeout(1200);
    const said = (await heard(page)).slice(before);
    const status = await page.evaluate(() => document.querySelector('gradlab-playground').shadowRoot.querySelector('.status').textContent);
    assert.deepEqual(said, [ANNOUNCE.diverged('train', status)]);
    assert.match(said[0], /new learning rate 0\.05\.$/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
