// A run's worker that dies, in Chromium (web/app/faults.js, detected by web/app/session.js). The test
// hooks only call terminate() on a worker (window.gradlabPage.test.killWorker(i) and killRaceWorker()
// on the page, element.testKillWorker(i) on an embed): the session must notice by itself that the
// worker stopped answering, say on that run's card (or the race's status) what happened and what to
// do, let the other runs train on, and Reset must bring the run (the race) back with a new worker. The out-of-memory path is a network
// the page's own ranges allow: two 16-filter convolutions over 32 x 32 digit images with a batch of
// 600 rows need more than the 1 GiB WebAssembly may grow to (a batch of 450 fits under the engine's
// pass limit too, so this is the engine running out of memory, not a limit refusing it).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SILENT_MS } from '../../web/app/faults.js';
import { ANNOUNCE } from '../../web/app/views/announce.js';
import { launch, openPage, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const OOM = 'data=digits&size=32&samples=800&layers=c16_relu,c16_relu,flat';
const WAIT = { timeout: SILENT_MS + 30000 };
const steps = (page) => page.evaluate(() => window.gradlabPage.summary().runs.map((r) => r.step));
const cardTexts = (page) => page.evaluate(() => [...document.querySelectorAll('#multiples figure.multiple')].map((f) => f.querySelector('.run-status').textContent));

describe('a worker that dies, on the page', () => {
  it('one of three compare runs killed mid-run: its card says so and what to do, the others go on, Reset brings it back', async () => {
    const page = await openPage(browser, new URL('?data=moons&layers=16_relu&mode=compare&runs=seed:1~seed:2~seed:3&speed=300', server.url).href);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null), null, { timeout: 60000 });
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs.every((r) => r.step > 50), null, { timeout: 60000 });
    await page.evaluate(() => window.gradlabPage.test.killWorker(1));
    await page.waitForFunction(() => window.gradlabPage.summary().runs[1].status === 'error', null, WAIT);
    // the card is drawn on the next frame
    await page.waitForFunction(() => /worker/.test(document.querySelectorAll('#multiples .run-status')[2]?.textContent), null, { timeout: 5000 }).catch(() => {});
    const cards = await cardTexts(page);
    assert.match(cards[1], /This run's worker stopped answering .*The other runs go on\. Press Reset to start this run again\./);
    assert.ok(await page.evaluate(() => document.querySelectorAll('#multiples .run-status.diverged').length) >= 1, 'the card is not marked as failed');
    assert.doesNotMatch(cards[0] + cards[2], /worker|Error/);
    const a = await steps(page);
    await page.waitForTimeout(1500);
    const b = await steps(page);
    assert.ok(b[0] > a[0] && b[2] > a[2], `the other runs stopped: ${a} → ${b}`);
    assert.equal(b[1], a[1]);
    assert.equal(await page.evaluate(() => window.gradlabPage.summary().playing), true);

    await page.locator('#reset').click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs.every((r) => r.status === 'ok' && r.firstLoss != null), null, { timeout: 60000 });
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs.every((r) => r.step > 100), null, { timeout: 60000 });
    assert.ok((await cardTexts(page)).every((t) => /^step \d+/.test(t)), 'a card still shows the fault after Reset');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the race\'s worker killed: the race\'s status says so and to press Reset; Reset computes the race with a new worker', async () => {
    const page = await openPage(browser, new URL('?mode=race&surface=bowl', server.url).href);
    await page.waitForFunction(() => window.gradlabPage?.summary().race?.paths.length === 3, null, { timeout: 60000 });
    await page.evaluate(() => window.gradlabPage.test.killRaceWorker());
    await page.waitForFunction(() => /race's worker/.test(document.getElementById('status').textContent), null, WAIT);
    assert.match(await page.locator('#status').textContent(), /^The race's worker stopped answering \(nothing for 10 s\): it was stopped, or it is stuck\. Press Reset to compute the race again\.$/);
    assert.equal(await page.evaluate(() => document.getElementById('status').classList.contains('diverged')), true, 'the status is not marked as bad');
    await page.locator('#reset').click();
    await page.waitForFunction(() => /^Race /.test(document.getElementById('status').textContent) && window.gradlabPage.summary().race?.paths.length === 3, null, { timeout: 60000 });
    // the new worker is watched as well, and answers: no fault comes back
    await page.waitForTimeout(3000);
    assert.match(await page.locator('#status').textContent(), /^Race /);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('a network that needs more memory than wasm can grow to: its card says out of memory, the other run trains', async () => {
    const page = await openPage(browser, new URL(`?${OOM}&mode=compare&runs=batch:600~batch:16&speed=30`, server.url).href);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null), null, { timeout: 120000 });
    await page.evaluate(() => {   // what the polite region says (views/announce.js)
      const region = document.getElementById('announce');
      window.heard = [];
      new MutationObserver(() => { if (region.textContent) window.heard.push(region.textContent); }).observe(region, { childList: true, characterData: true, subtree: true });
    });
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].status === 'error', null, { timeout: 120000 });
    await page.waitForFunction(() => /memory/.test(document.querySelector('#multiples .run-status')?.textContent), null, { timeout: 5000 }).catch(() => {});
    const cards = await cardTexts(page);
    assert.match(cards[0], /^Out of memory: not enough memory for a batch of 600 rows; use a smaller batchSize\. .*1 GiB.*other runs go on/);
    await page.waitForFunction(() => window.heard.some((t) => /memory/.test(t)), null, { timeout: 5000 }).catch(() => {});
    const label = (await page.evaluate(() => window.gradlabPage.summary())).runs[0].label;
    assert.deepEqual((await page.evaluate(() => window.heard)).filter((t) => /memory/.test(t)), [ANNOUNCE.failed(label, cards[0])], 'the fault is said once, in the card\'s words');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[1].step > 5, null, { timeout: 120000 });
    assert.equal(await page.evaluate(() => window.gradlabPage.summary().runs[1].status), 'ok');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

/** A page of one <gradlab-playground> with these attributes; window.seen collects its events. */
async function embedPage(attributes) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  const body = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>faults</title>'
    + '<script type="module" src="/embed/gradlab-embed.js"></script></head><body>'
    + `<gradlab-playground id="g" ${attributes}></gradlab-playground></body></html>`;
  await page.route(new URL('faults.html', server.url).href, (route) => route.fulfill({ contentType: 'text/html', body }));
  await page.addInitScript(() => {
    window.seen = { errors: [], steps: [] };
    document.addEventListener('gradlab-error', (e) => window.seen.errors.push(e.detail));
    document.addEventListener('gradlab-step', (e) => { window.seen.steps = e.detail.runs.map((r) => r.step ?? 0); });
  });
  await page.goto(new URL('faults.html', server.url).href);
  return page;
}

const shadow = (page, selector) => page.evaluate((s) => {
  const e = document.getElementById('g').shadowRoot.querySelector(s);
  return e && { text: e.textContent, hidden: e.hidden };
}, selector);

describe('a worker that dies, in an embed', () => {
  it('a killed run is reported in the status with a Reset button; the other runs go on; Reset brings it back', async () => {
    const page = await embedPage('data="moons" layers="16_relu" mode="compare" runs="seed:1~seed:2~seed:3" speed="300" controls="play" autoplay moments="off"');
    await page.waitForFunction(() => window.seen.steps.length === 3 && window.seen.steps.every((s) => s > 50), null, { timeout: 60000 });
    assert.equal((await shadow(page, '.fault-reset')).hidden, true);
    await page.evaluate(() => document.getElementById('g').testKillWorker(1));
    await page.waitForFunction(() => window.seen.errors.length > 0, null, WAIT);
    const error = await page.evaluate(() => window.seen.errors[0]);
    assert.equal(error.run, 1);
    assert.equal(error.fault, 'silent');
    assert.match(error.message, /stopped answering.*Press Reset/);
    const a = await page.evaluate(() => window.seen.steps);
    await page.waitForTimeout(1500);
    const b = await page.evaluate(() => window.seen.steps);
    assert.ok(b[0] > a[0] && b[2] > a[2], `the other runs stopped: ${a} → ${b}`);
    const status = await shadow(page, '.status');
    assert.match(status.text, /seed 2: This run's worker stopped answering/);
    assert.equal((await shadow(page, '.fault-reset')).hidden, false, 'no Reset button beside the fault');

    await page.evaluate(() => document.getElementById('g').shadowRoot.querySelector('.fault-reset').click());
    await page.waitForFunction(() => window.seen.steps.length === 3 && window.seen.steps[1] > 100, null, { timeout: 60000 });
    assert.doesNotMatch((await shadow(page, '.status')).text, /worker/);
    assert.equal((await shadow(page, '.fault-reset')).hidden, true);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('out of memory: the embed says so and what to change', async () => {
    const attributes = OOM.split('&').map((kv) => kv.split('=')).map(([k, v]) => `${k}="${v}"`).join(' ');
    const page = await embedPage(`${attributes} batch="600" speed="30" controls="play" autoplay moments="off"`);
    await page.waitForFunction(() => window.seen.errors.length > 0, null, { timeout: 120000 });
    const error = await page.evaluate(() => window.seen.errors[0]);
    assert.equal(error.fault, 'memory');
    assert.match((await shadow(page, '.status')).text, /^Out of memory: not enough memory for a batch of 600 rows.*smaller batch/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
