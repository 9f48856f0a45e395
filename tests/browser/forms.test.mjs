// The page's forms in headless Chromium, at 1440x900 and 390x844: a value the page cannot use is
// not taken, the field shows the value the run uses and a message beside it gives the allowed range
// (from state.js, the one owner of every limit); an image data set from the address builds the
// convnet; shared controls say "set per run" where every compare run sets its own value; the status
// line is not a live region and a hidden polite one says state changes only; the arrow keys move
// through the lesson menu without loading what they pass; a lesson link starts, unless autoplay=0.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LAYER_NUMBERS, paramInfo, readValue } from '../../web/app/state.js';
import { lessonNamed } from '../../web/app/lessons.js';
import { LABELS } from '../../web/app/labels.js';
import { SURFACE_VIEWS } from '../../web/lib/names.js';
import { launch, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(query = '', [width, height] = [1440, 900]) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(server.url + query);
  await page.waitForFunction(() => {
    const s = window.gradlabPage?.summary();
    return s && (s.mode === 'race' ? s.race?.paths.length > 0 : s.runs.length > 0 && s.runs.every((r) => r.firstLoss != null));
  }, null, { timeout: 30000 });
  return page;
}

const summary = (page) => page.evaluate(() => window.gradlabPage.summary());
/** The range text state.js gives for a value of `param` that it refuses. */
const rangeOf = (param) => readValue(param, 'not a value').error;

/** Types `text` into the field and leaves it (Enter), as a user would. */
async function typeInto(page, selector, text) {
  const field = page.locator(selector);
  await field.scrollIntoViewIfNeeded();
  await field.fill(text);
  await field.press('Enter');
}

/**
 * The message the field describes itself by: its text, role, whether it is shown, and how far its
 * top lies below the field's bottom (it must sit right beside the field) and whether it fits the width.
 */
const messageOf = (page, selector) => page.evaluate((sel) => {
  const input = document.querySelector(sel);
  const box = (input.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)).find((m) => m && !m.hidden);
  if (!box) return null;
  const r = box.getBoundingClientRect(), f = (input.closest('.field, .layer, .run') ?? input).getBoundingClientRect();
  return {
    text: box.textContent, role: box.getAttribute('role'), shown: r.height > 0, gap: r.top - f.bottom,
    fits: r.left >= 0 && r.right <= innerWidth, invalid: input.getAttribute('aria-invalid'), value: input.value,
  };
}, selector);

function checkMessage(m, { typed, range, kept }, where) {
  assert.ok(m, `${where}: a message describes the field`);
  assert.ok(m.shown && m.fits, `${where}: the message is shown within the width (${JSON.stringify(m)})`);
  assert.equal(m.role, 'alert', `${where}: the message is announced`);
  assert.ok(m.gap >= -1 && m.gap < 30, `${where}: the message sits right under its field (${m.gap} px)`);
  assert.equal(m.invalid, 'true');
  assert.ok(m.text.includes(`'${typed}'`) && m.text.includes(range) && m.text.includes(`It stays ${kept}`), `${where}: ${m.text}`);
  assert.equal(m.value, kept.split(' ').at(-1), `${where}: the field shows the value in use, not '${typed}'`);
}

describe('a value the page cannot use is refused beside its field', () => {
  for (const size of [[1440, 900], [390, 844]]) {
    const where = size.join('x');
    it(`${where}: units, learning rate, samples and a compare run's optimiser`, async () => {
      const page = await open('?speed=1', size);
      await typeInto(page, '[aria-label="Layer 1 units"]', '100000');
      checkMessage(await messageOf(page, '[aria-label="Layer 1 units"]'), { typed: '100000', range: rangeOf(LAYER_NUMBERS.units), kept: '32' }, `${where} units`);
      assert.match(rangeOf(LAYER_NUMBERS.units), /1 to 128/);

      for (const [typed, range] of [['abc', rangeOf(paramInfo('lr'))], ['-1', rangeOf(paramInfo('lr'))]]) {
        await typeInto(page, '#in-lr', typed);
        checkMessage(await messageOf(page, '#in-lr'), { typed, range, kept: '0.1' }, `${where} lr ${typed}`);
      }
      await page.locator('#fs-data details.more summary').click();
      await typeInto(page, '#in-samples', '0');
      checkMessage(await messageOf(page, '#in-samples'), { typed: '0', range: 'an integer from 20 to 2000', kept: '300' }, `${where} samples`);
      assert.equal(await page.evaluate(() => location.search), '?speed=1', 'nothing refused reached the address');
      // the run uses what the fields show: a step trains at learning rate 0.1 with 32 units in layer 1
      await page.locator('#step').click();
      await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step === 1);
      const rates = (await summary(page)).runs[0].learningRates;
      assert.ok(rates.length > 0 && rates.every((lr) => Math.abs(lr - 0.1) < 1e-6), `trained at 0.1: ${rates}`);
      // a value that is taken clears the message
      await typeInto(page, '#in-lr', '0.05');
      await page.waitForFunction(() => location.search.includes('lr=0.05'));
      assert.equal(await messageOf(page, '#in-lr'), null);

      await page.goto(`${server.url}?mode=compare&runs=opt:sgd~opt:adam&speed=1`);
      await page.waitForFunction(() => window.gradlabPage?.summary().runs.length === 2);
      await typeInto(page, '[aria-label="Run 1 value 1"]', 'sgdd');
      checkMessage(await messageOf(page, '[aria-label="Run 1 value 1"]'), { typed: 'sgdd', range: 'sgd, momentum, nesterov', kept: 'opt sgd' }, `${where} run`);
      assert.deepEqual((await summary(page)).runs.map((r) => r.label), ['opt sgd', 'opt adam']);
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }

  it('a change the image cannot take leaves the fields on the values in use, with the reason beside them', async () => {
    const page = await open('?data=digits&size=16&layers=c4_k5_valid_relu,pmax,c4_k5_valid_relu,flat&speed=1');
    // a stride of 2 in layer 1 leaves 3×3 after the pool, too small for layer 3's 5×5 kernel
    await page.locator('[aria-label="Layer 1 stride"]').selectOption('2');
    await page.waitForTimeout(200);
    assert.equal(await page.locator('[aria-label="Layer 1 stride"]').inputValue(), '1', 'the menu shows the stride in use');
    const row = await messageOf(page, '[aria-label="Layer 1 stride"]');
    assert.ok(row && row.shown && row.role === 'alert' && /^Not changed: layer 3 \(c4_k5_valid_relu\) leaves nothing/.test(row.text), JSON.stringify(row));
    // an image of 8×8 is too small for these layers: the size field stays 16 and says why
    await page.locator('#fs-data details.more summary').click();
    await typeInto(page, '#in-size', '8');
    const m = await messageOf(page, '#in-size');
    assert.ok(m && m.text.includes('not changed: layer 3') && m.text.includes('8×8') && m.value === '16' && m.gap < 30, JSON.stringify(m));
    assert.equal(new URLSearchParams(await page.evaluate(() => location.search)).get('size'), '16');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe("a racer's own learning rate in the optimiser race", () => {
  for (const size of [[1440, 900], [390, 844]]) {
    const where = size.join('x');
    it(`${where}: a rate the race cannot use keeps the rate in use, with the range under the racers`, async () => {
      const page = await open('?mode=race&raceSteps=50', size);
      const range = rangeOf(paramInfo('raceLr'));
      // empty: adam runs at the shared rate, which the message names
      for (const typed of ['abc', '0']) {
        await typeInto(page, '#racer-lr-adam', typed);
        const m = await messageOf(page, '#racer-lr-adam');
        assert.ok(m && m.shown && m.fits && m.role === 'alert' && m.invalid === 'true', `${where} ${typed}: ${JSON.stringify(m)}`);
        assert.ok(m.text.startsWith('adam: ') && m.text.includes(`'${typed}'`) && m.text.includes(range) && m.text.includes('It stays the shared rate (0.01).'), m.text);
        assert.equal(m.value, '', 'the field shows the rate in use: none of its own');
      }
      const racers = await page.evaluate(() => document.querySelector('#racers').getBoundingClientRect().bottom);
      const gap = await page.evaluate((bottom) => {
        const box = document.getElementById(document.querySelector('#racer-lr-adam').getAttribute('aria-describedby').split(' ')[0]);
        return box.getBoundingClientRect().top - bottom;
      }, racers);
      assert.ok(gap >= -1 && gap < 20, `the message sits right under the racers (${gap} px)`);
      assert.equal(new URLSearchParams(await page.evaluate(() => location.search)).get('racers'), null, 'nothing refused reached the address');
      await page.screenshot({ path: `build/embed/race-rate-message-${where}.png` });

      // a rate that is taken clears the message; a bad one after it keeps that rate
      await typeInto(page, '#racer-lr-adam', '0.02');
      await page.waitForFunction(() => window.gradlabPage.summary().race?.paths.some((p) => p.name === 'adam' && p.learningRate === 0.02));
      assert.equal(await messageOf(page, '#racer-lr-adam'), null);
      await typeInto(page, '#racer-lr-adam', '-1');
      const m = await messageOf(page, '#racer-lr-adam');
      assert.ok(m && m.text.includes("'-1'") && m.text.includes('It stays 0.02.') && m.value === '0.02', JSON.stringify(m));
      assert.equal(await page.getAttribute('#racer-lr-sgd', 'aria-invalid'), null, 'only the refused field is marked');
      assert.equal((await summary(page)).race.paths.find((p) => p.name === 'adam').learningRate, 0.02, 'the race runs at the rate the field shows');
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }
});

describe("the optimiser race's start point fields", () => {
  for (const size of [[1440, 900], [390, 844]]) {
    const where = size.join('x');
    it(`${where}: a start x or y the race cannot use keeps the start in use, with the field's name and range beside it`, async () => {
      const page = await open('?mode=race&surface=bowl&raceSteps=50', size);
      const [x0, y0] = SURFACE_VIEWS.bowl.start.map(String);
      for (const typed of ['abc', '500', '-1e9']) {
        await typeInto(page, '#in-raceX', typed);
        const m = await messageOf(page, '#in-raceX');
        checkMessage(m, { typed, range: rangeOf(paramInfo('raceX')), kept: x0 }, `${where} start x ${typed}`);
        assert.ok(m.text.startsWith(`${LABELS.raceX}: `), m.text);
      }
      assert.equal(await page.getAttribute('#in-raceY', 'aria-invalid'), null, 'only the refused field is marked');
      if (size[0] === 1440) await page.screenshot({ path: `build/shots/race-start-message-${where}.png` });
      else await page.locator('.race-start').screenshot({ path: `build/shots/race-start-message-${where}.png` });
      await typeInto(page, '#in-raceY', '-200');
      const y = await messageOf(page, '#in-raceY');
      checkMessage(y, { typed: '-200', range: rangeOf(paramInfo('raceY')), kept: y0 }, `${where} start y`);
      assert.ok(y.text.startsWith(`${LABELS.raceY}: `), y.text);
      assert.equal(await page.getAttribute('#in-raceX', 'aria-invalid'), null, 'the message now names y alone');
      assert.equal(new URLSearchParams(await page.evaluate(() => location.search)).get('raceX'), null, 'nothing refused reached the address');
      const { race } = await summary(page);
      assert.deepEqual([race.paths[0].x[0], race.paths[0].y[0]].map((v) => +v.toFixed(6)), SURFACE_VIEWS.bowl.start, 'the race starts where it did');
      // a value that is taken clears the message and moves the start
      await typeInto(page, '#in-raceX', '0.5');
      await page.waitForFunction(() => Math.abs(window.gradlabPage.summary().race?.paths[0].x[0] - 0.5) < 1e-6);
      assert.equal(await messageOf(page, '#in-raceX'), null);
      assert.equal(await messageOf(page, '#in-raceY'), null);
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }
});

describe('the address and the shared controls', () => {
  it('?data=digits without layers builds the convnet, as choosing digits from the menu does', async () => {
    const page = await open('?data=digits&speed=1');
    const fromAddress = await summary(page);
    assert.deepEqual(fromAddress.runs[0].layerTypes, ['conv', 'pool', 'conv', 'pool', 'flatten', 'dense']);
    await page.goto(`${server.url}?speed=1`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    await page.selectOption('#in-data', 'digits');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0]?.layerTypes.includes('conv'));
    assert.deepEqual((await summary(page)).runs[0].layerTypes, fromAddress.runs[0].layerTypes);
    assert.equal(new URLSearchParams(await page.evaluate(() => location.search)).get('layers'), new URLSearchParams(fromAddress.url).get('layers'));
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('shared controls say "set per run" where every run sets its own value', async () => {
    const page = await open('?lesson=batch-norm&autoplay=0');
    const note = await page.locator('#layers-note').textContent();
    assert.match(note, /^Set per run: 4×32 tanh \(run 1\), 4×32 tanh BN \(run 2\)\.$/);
    assert.equal(await page.locator('#layers-editor .layer').count(), 0, 'no rows of layers no run uses');
    assert.ok(await page.locator('#add-layer').isHidden());
    assert.equal(await page.locator('#in-init').isDisabled(), false, 'the shared initialisation is used by both runs');
    for (const [lesson, words] of [['zero-init', 'zeros (run 1), xavier (run 2)'], ['he-relu', 'xavier (run 1), he-normal (run 2)']]) {
      await page.goto(`${server.url}?lesson=${lesson}&autoplay=0`);
      await page.waitForFunction(() => window.gradlabPage?.summary().runs.length === 2);
      const init = page.locator('#in-init');
      assert.ok(await init.isDisabled(), `${lesson}: the shared menu is not used`);
      assert.equal(await init.evaluate((s) => s.selectedOptions[0].textContent), 'set per run');
      const m = await messageOf(page, '#in-init');
      assert.equal(m?.text, `Set per run: ${words}.`);
      assert.ok(m.shown && m.fits);
      assert.ok(await page.locator('#layers-editor .layer').count() > 0, `${lesson}: the shared layers are used`);
    }
    // a run that sets its own value beside others that do not: the shared field stays, with a note
    await page.goto(`${server.url}?mode=compare&runs=lr:0.5~seed:2&speed=1`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs.length === 2);
    assert.equal(await page.locator('#in-lr').isDisabled(), false);
    assert.equal(await page.inputValue('#in-lr'), '0.1');
    assert.match((await messageOf(page, '#in-lr')).text, /Also set per run: 0\.5 \(run 1\); the other runs use this value/);
    await page.getByRole('button', { name: 'Train' }).click();
    await page.waitForFunction(() => window.gradlabPage.summary().mode === 'train');
    assert.equal(await messageOf(page, '#in-lr'), null, 'one run: no note');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('accessibility of the status and the lesson menu', () => {
  it('the status line is not a live region; the polite region says state changes only', async () => {
    const page = await open('?speed=300');
    const roles = await page.evaluate(() => {
      const live = (el) => el.getAttribute('aria-live') ?? ({ OUTPUT: 'polite' }[el.tagName] ?? el.getAttribute('role'));
      return { status: live(document.getElementById('status')), announce: live(document.getElementById('announce')),
        cards: [...document.querySelectorAll('#status, .readout, .run-status')].filter((el) => el.closest('[aria-live]')).length };
    });
    assert.deepEqual(roles, { status: null, announce: 'polite', cards: 0 });
    await page.evaluate(() => {
      window.heard = [];
      window.statusChanges = 0;
      new MutationObserver(() => { const t = document.getElementById('announce').textContent; if (t) window.heard.push(t); })
        .observe(document.getElementById('announce'), { childList: true, characterData: true, subtree: true });
      new MutationObserver(() => { window.statusChanges++; }).observe(document.getElementById('status'), { childList: true, characterData: true, subtree: true });
    });
    await page.locator('#play').click();
    await page.waitForTimeout(2000);
    await page.locator('#play').click();
    await page.waitForTimeout(300);
    const { heard, statusChanges, step } = await page.evaluate(() => ({ heard: window.heard, statusChanges: window.statusChanges, step: window.gradlabPage.summary().runs[0].step }));
    assert.ok(statusChanges >= 10, `the visible status line kept updating (${statusChanges} changes)`);
    assert.equal(heard.length, 2, JSON.stringify(heard));
    assert.equal(heard[0], 'Training started.');
    const said = Number(/^Paused at step (\d+)\.$/.exec(heard[1])?.[1]);
    assert.ok(said > 0 && said <= step && said >= step - 30, `${heard[1]} (the run stopped at ${step})`);

    // a diverging run and a lesson's moment are said, each once
    for (const [query, expect] of [
      ['?data=plane&lr=10&batch=0', (h) => h.length === 2 && h[0] === 'Training started.' && /^The run: Diverged at step \d+/.test(h[1])],
      ['?lesson=adam', (h) => h.at(-1) === `Lesson paused at step 100: ${lessonNamed('adam').moments[0].text} Press Play to go on.`],
      ['?mode=race&raceSteps=50', (h) => h.at(-1) === 'Race finished after 50 steps.'],
    ]) {
      await page.goto(`${server.url}${query.includes('lesson') ? `${query}&autoplay=0` : query}`);
      await page.waitForFunction(() => document.getElementById('announce') && window.gradlabPage?.summary());
      await page.evaluate(() => {
        window.heard = [];
        new MutationObserver(() => { const t = document.getElementById('announce').textContent; if (t) window.heard.push(t); })
          .observe(document.getElementById('announce'), { childList: true, characterData: true, subtree: true });
      });
      if (!query.includes('race')) {
        await page.waitForFunction(() => window.gradlabPage.summary().runs.every((r) => r.firstLoss != null));
        await page.locator('#play').click();
      }
      let got = [];
      for (let t = Date.now(); Date.now() - t < 30000 && !expect(got); await page.waitForTimeout(200)) got = await page.evaluate(() => window.heard);
      assert.ok(expect(got), `${query}: ${JSON.stringify(got)}`);
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('arrow keys move through the lesson menu without loading each lesson; Enter or leaving it loads one', async () => {
    const page = await open('?speed=1');
    const menu = page.locator('#lesson');
    await menu.focus();
    for (let i = 0; i < 3; ++i) await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(500);
    assert.equal(await menu.inputValue(), 'large-init', 'the menu moved three lessons down');
    assert.equal(await page.evaluate(() => location.search), '?speed=1', 'no lesson loaded while moving');
    assert.equal((await summary(page)).mode, 'train');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.search === '?lesson=large-init');
    await menu.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    assert.equal(await menu.inputValue(), 'large-init', 'Escape goes back to the lesson on the page');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => location.search), '?lesson=large-init');
    await page.keyboard.press('Tab');   // leaving the menu takes the lesson it shows
    await page.waitForFunction(() => location.search === '?lesson=he-relu');
    await page.selectOption('#lesson', 'adam');   // a pick in the list (or a click) loads at once
    await page.waitForFunction(() => location.search === '?lesson=adam');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('a lesson opened by its address', () => {
  it('starts as the menu does; autoplay=0 waits for Play', async () => {
    const page = await open('?lesson=adam');
    await page.waitForFunction(() => window.gradlabPage.summary().runs.every((r) => r.step > 0), null, { timeout: 20000 });
    await page.waitForFunction(() => window.gradlabPage.summary().moment?.step === 100, null, { timeout: 30000 });
    await page.goto(`${server.url}?lesson=adam&autoplay=0`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null));
    await page.waitForTimeout(800);
    let s = await summary(page);
    assert.equal(s.playing, false);
    assert.deepEqual(s.runs.map((r) => r.step), [0, 0, 0]);
    assert.equal(s.url, '?lesson=adam');
    await page.locator('#play').click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs.every((r) => r.step > 0));
    // a race lesson as well
    await page.goto(`${server.url}?lesson=ravine&autoplay=0`);
    await page.waitForFunction(() => window.gradlabPage?.summary().race?.paths.length === 2);
    await page.waitForTimeout(800);
    s = await summary(page);
    assert.equal(s.running, false);
    assert.ok(s.race.upto <= 0, `the race waits (${s.race.upto})`);
    await page.goto(`${server.url}?lesson=ravine`);
    await page.waitForFunction(() => window.gradlabPage?.summary().moment?.step === 20, null, { timeout: 20000 });
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
