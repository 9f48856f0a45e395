// The embed's fields and what a screen reader hears from it, in headless Debian Chromium. A value
// the element cannot use is refused as on the page: the field shows the value in use again, the
// page's message (field-messages.js, ranges from state.js) sits under the field, tied to it with
// aria-describedby and aria-invalid, and the run trains on the value it kept. The status line under
// the views is not a live region: a hidden polite region (announce.js, the page's) gets state changes
// only, so the many status updates while training never reach it, while starting, pausing,
// diverging and a failed worker do. Screenshots of a field message at 390x844 and 1440x900 go to
// build/embed/ to be looked at.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SHORT_LABELS as LABELS } from '../../web/app/labels.js';
import { ANNOUNCE } from '../../web/app/views/announce.js';
import { paramInfo, readValue } from '../../web/app/state.js';
import { launch, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); mkdirSync('build/embed', { recursive: true }); });
after(async () => { await browser?.close(); await server?.close(); });

/** The range text state.js gives for a value of `param` that it refuses. */
const rangeOf = (param) => readValue(param, 'not a value').error;

/** embed.html with `query` (its address becomes the element's attributes), once the element has a run with a loss. */
async function open(query, [width, height] = [1440, 900]) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.addInitScript(() => {
    window.steps = [];
    document.addEventListener('gradlab-step', (e) => window.steps.push(e.detail));
  });
  await page.goto(`${server.url}embed.html${query}`);
  await page.waitForFunction(() => /^step \d+/.test(document.querySelector('gradlab-playground')?.shadowRoot.querySelector('.status')?.textContent ?? ''), null, { timeout: 30000 });
  return page;
}

const field = (page, label) => page.locator('gradlab-playground label.field', { hasText: label }).locator('input');

async function typeInto(page, label, text) {
  await field(page, label).fill(text);
  await field(page, label).press('Enter');
}

/** The message the field names in aria-describedby that is shown, with where it sits. */
const messageOf = (page, label) => field(page, label).evaluate((input) => {
  const root = input.getRootNode();
  const box = (input.getAttribute('aria-describedby') ?? '').split(' ').map((id) => root.getElementById(id)).find((m) => m && !m.hidden);
  if (!box) return { shown: false, invalid: input.getAttribute('aria-invalid'), value: input.value };
  const r = box.getBoundingClientRect(), f = input.closest('.field').getBoundingClientRect();
  return {
    shown: r.height > 0, text: box.textContent, role: box.getAttribute('role'), gap: r.top - f.bottom, left: r.left - f.left,
    fits: r.left >= 0 && r.right <= innerWidth, invalid: input.getAttribute('aria-invalid'), value: input.value,
  };
});

const elementState = (page) => page.evaluate(() => document.querySelector('gradlab-playground').state);

function checkMessage(m, { typed, range, kept }, where) {
  assert.ok(m.shown && m.fits, `${where}: the message is shown within the width (${JSON.stringify(m)})`);
  assert.equal(m.role, 'alert', `${where}: the message is announced once, as an alert`);
  assert.ok(m.gap >= -1 && m.gap < 20 && Math.abs(m.left) < 2, `${where}: the message sits right under its field (${JSON.stringify(m)})`);
  assert.equal(m.invalid, 'true', `${where}: the field is marked invalid`);
  assert.ok(m.text.includes(`'${typed}'`) && m.text.includes(range) && m.text.includes(`It stays ${kept}.`), `${where}: ${m.text}`);
  assert.equal(m.value, kept, `${where}: the field shows the value in use, not '${typed}'`);
}

describe('a value the embed cannot use is refused beside its field', () => {
  for (const size of [[390, 844], [1440, 900]]) {
    const where = size.join('x');
    it(`${where}: learning rate and samples keep their values, say the range, and the run trains on what it kept`, async () => {
      const page = await open('?data=moons&controls=data,lr,samples,layers,play,step&speed=30', size);
      const choices = await page.locator('gradlab-playground label.field', { hasText: LABELS.data }).locator('select option').evaluateAll((os) => os.map((o) => o.value));
      assert.ok(choices.includes('moons') && !choices.includes('csv'), `the data menu offers only what an element can use: ${choices}`);
      for (const typed of ['abc', '-1', '100']) {
        await typeInto(page, LABELS.lr, typed);
        checkMessage(await messageOf(page, LABELS.lr), { typed, range: rangeOf(paramInfo('lr')), kept: '0.1' }, `${where} lr ${typed}`);
        assert.equal((await elementState(page)).lr, 0.1, `${where}: lr ${typed} did not reach the state`);
      }
      await typeInto(page, LABELS.samples, '0');
      checkMessage(await messageOf(page, LABELS.samples), { typed: '0', range: rangeOf(paramInfo('samples')), kept: '300' }, `${where} samples`);
      assert.equal((await messageOf(page, LABELS.lr)).shown, true, 'the other field keeps its message');
      await page.screenshot({ path: `build/embed/field-message-${where}.png`, fullPage: true });
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, `${where}: no sideways scrolling`);

      // a step trains at the rate the field shows
      await page.evaluate(() => { window.steps.length = 0; document.querySelector('gradlab-playground').step(); });
      await page.waitForFunction(() => window.steps.some((s) => s.step >= 1));
      const rate = (await page.evaluate(() => window.steps.at(-1))).learningRate;
      assert.ok(Math.abs(rate - 0.1) < 1e-6, `trained at 0.1 (float32): ${rate}`);
      // every step() while paused is reported, however soon after the one before (the throttle is for training)
      const before = await page.evaluate(() => window.steps.at(-1).step);
      await page.evaluate(() => { const e = document.querySelector('gradlab-playground'); e.step(); e.step(); });
      await page.waitForFunction((n) => window.steps.some((s) => s.step === n + 2), before);
      assert.ok(await page.evaluate((n) => window.steps.some((s) => s.step === n + 1), before), 'the first of two quick steps was reported too');

      // a value that is taken clears the message and the mark
      await typeInto(page, LABELS.lr, '0.05');
      await page.waitForFunction(() => document.querySelector('gradlab-playground').state.lr === 0.05);
      const m = await messageOf(page, LABELS.lr);
      assert.deepEqual([m.shown, m.invalid, m.value], [false, null, '0.05']);
      // a layers text the table refuses: the same message, with the layers' own reason
      await typeInto(page, LABELS.layers, '32_relu,999_relu');
      const layers = await messageOf(page, LABELS.layers);
      assert.ok(layers.shown && layers.text.includes("'32_relu,999_relu'") && layers.text.includes(readValue(paramInfo('layers'), '999_relu').error)
        && layers.value === '32_relu,32_relu', JSON.stringify(layers));
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }
});

describe('the embed announces state changes only', () => {
  it('training updates the status, never the live region; play, pause, divergence and a failed worker are said once each', async () => {
    const page = await open('?data=moons&controls=play,lr&speed=120');
    const parts = await page.evaluate(() => {
      const root = document.querySelector('gradlab-playground').shadowRoot;
      const status = root.querySelector('.status');
      const live = [...root.querySelectorAll('[aria-live], [role="status"], [role="log"], output')];
      // what each of them did from now on
      window.heard = [];
      window.statusChanges = 0;
      new MutationObserver(() => { window.statusChanges++; }).observe(status, { childList: true, characterData: true, subtree: true });
      for (const region of live) {
        new MutationObserver(() => { if (region.textContent) window.heard.push(region.textContent); }).observe(region, { childList: true, characterData: true, subtree: true });
      }
      return {
        statusLive: status.closest('[aria-live], [role="status"], [role="log"], output') !== null,
        regions: live.map((r) => ({ tag: r.tagName, live: r.getAttribute('aria-live'), role: r.getAttribute('role'), hidden: r.getBoundingClientRect().width <= 1 })),
      };
    });
    assert.equal(parts.statusLive, false, 'the status line is not (inside) a live region');
    assert.deepEqual(parts.regions, [{ tag: 'P', live: 'polite', role: 'status', hidden: true }], 'one polite region, out of sight');

    await page.evaluate(() => document.querySelector('gradlab-playground').play());
    await page.waitForFunction(() => window.statusChanges >= 15 && window.steps.at(-1)?.step >= 60, null, { timeout: 30000 });
    assert.deepEqual(await page.evaluate(() => window.heard), [ANNOUNCE.started({ mode: 'train', lesson: '' })],
      'while training only the start was said, though the status changed many times');

    await page.evaluate(() => document.querySelector('gradlab-playground').pause());
    await page.waitForFunction(() => window.heard.length === 2, null, { timeout: 10000 });
    await page.waitForTimeout(300);
    const paused = (await page.evaluate(() => window.heard))[1];
    const step = Number(/step (\d+)/.exec(paused)?.[1]);
    assert.equal(paused, ANNOUNCE.paused(step));
    // the step said is the one shown when the pause was said (snapshots on their way may add a few, as on the page)
    const shown = Number(/^step (\d+) /.exec(await page.evaluate(() => document.querySelector('gradlab-playground').shadowRoot.querySelector('.status').textContent))?.[1]);
    assert.ok(step > 0 && step <= shown && step >= shown - 30, `${paused} (the status shows step ${shown})`);
    const changesWhilePaused = await page.evaluate(() => window.statusChanges);

    // a rate far too large: the run diverges, which is said (and not the pause that comes with it)
    await page.evaluate(() => { const g = document.querySelector('gradlab-playground'); g.set({ data: 'plane', lr: 10 }); });
    await page.waitForFunction(() => window.steps.at(-1)?.step === 0);
    await page.evaluate(() => document.querySelector('gradlab-playground').play());
    await page.waitForFunction(() => window.heard.some((t) => /diverg/i.test(t)), null, { timeout: 20000 });
    await page.waitForTimeout(600);
    const heard = await page.evaluate(() => window.heard);
    assert.ok(await page.evaluate((n) => window.statusChanges > n, changesWhilePaused));
    assert.deepEqual(heard.slice(2).filter((t) => !/diverg/i.test(t)), [ANNOUNCE.started({ mode: 'train', lesson: '' })], JSON.stringify(heard));
    assert.ok(heard.at(-1).startsWith('The run: '), heard.at(-1));

    // a worker that dies: the element notices by itself (its watchdog) and the fault is said
    await page.evaluate(() => { const g = document.querySelector('gradlab-playground'); g.set({ data: 'moons', lr: 0.1 }); });
    await page.waitForFunction(() => /^step \d+/.test(document.querySelector('gradlab-playground').shadowRoot.querySelector('.status').textContent));
    const before = (await page.evaluate(() => window.heard)).length;
    await page.evaluate(() => document.querySelector('gradlab-playground').testKillWorker(0));
    await page.waitForFunction((n) => window.heard.length > n, before, { timeout: 30000 });
    const fault = (await page.evaluate(() => window.heard)).at(-1);
    assert.match(fault, /worker stopped answering/);
    assert.equal(fault, await page.evaluate(() => document.querySelector('gradlab-playground').shadowRoot.querySelector('.status').textContent));
    await page.close();
  });
});

describe('the embed announces a race as the page does', () => {
  it('start and finish are said once each while the status counts the steps; a failed race worker is said', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}embed.html?mode=race&raceSteps=120&controls=play`);
    await page.waitForFunction(() => /race/i.test(document.querySelector('gradlab-playground')?.shadowRoot.querySelector('.status')?.textContent ?? ''), null, { timeout: 30000 });
    await page.evaluate(() => {
      const root = document.querySelector('gradlab-playground').shadowRoot;
      window.heard = [];
      window.statusChanges = 0;
      new MutationObserver(() => { window.statusChanges++; }).observe(root.querySelector('.status'), { childList: true, characterData: true, subtree: true });
      const region = root.querySelector('[aria-live="polite"]');
      new MutationObserver(() => { if (region.textContent) window.heard.push(region.textContent); }).observe(region, { childList: true, characterData: true, subtree: true });
      document.querySelector('gradlab-playground').play();
    });
    await page.waitForFunction(() => window.heard.length >= 2, null, { timeout: 30000 });
    await page.waitForTimeout(400);
    assert.deepEqual(await page.evaluate(() => window.heard), [ANNOUNCE.started({ mode: 'race' }), ANNOUNCE.raceFinished(120)]);
    assert.ok(await page.evaluate(() => window.statusChanges) >= 5, 'the status counted the race on');

    await page.evaluate(() => document.querySelector('gradlab-playground').testKillRaceWorker());
    await page.evaluate(() => document.querySelector('gradlab-playground').reset());   // a new race: its worker is the one killed
    await page.waitForFunction(() => window.heard.length >= 3, null, { timeout: 40000 });
    const said = (await page.evaluate(() => window.heard)).slice(2);
    const status = await page.evaluate(() => document.querySelector('gradlab-playground').shadowRoot.querySelector('.status').textContent);
    assert.ok(said.includes(status) && /worker/i.test(status), `${JSON.stringify(said)} / ${status}`);
    await page.close();
  });
});
