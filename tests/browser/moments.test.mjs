// Lessons as guided demos, in Chromium: choosing a lesson starts it at its own pace (the speed
// control says steps per second); at each moment the run stops exactly at the moment's step, the
// panel it names is outlined and on screen, a callout says what to notice, and Play goes on. The
// embed does the same with the panels it has. Screenshots of a paused lesson at two sizes go to
// build/moments/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { LESSONS, lessonNamed } from '../../web/app/lessons.js';
import { launch, openPage, serve } from './browser.mjs';
import { courseSite } from './embed-server.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); mkdirSync('build/moments', { recursive: true }); });
after(async () => { await browser?.close(); await server?.close(); });

const summary = (page) => page.evaluate(() => window.gradlabPage.summary());
const atMoment = (page, step) => page.waitForFunction((n) => window.gradlabPage.summary().moment?.step === n, step, { timeout: 30000 });

/** Whether the element's box lies within the window, above the callout. */
const onScreen = (page, id) => page.evaluate((panel) => {
  const box = document.getElementById(panel).closest('.panel') ?? document.getElementById(panel);
  const r = box.getBoundingClientRect(), callout = document.getElementById('moment').getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, calloutTop: callout.top, visible: r.top >= 0 && r.top < callout.top, outlined: box.classList.contains('moment-focus') };
}, id);

describe('lessons play as guided demos on the page', () => {
  it('choosing a lesson starts it at its pace, pauses exactly at its first moment, and Play goes on', async () => {
    const lesson = lessonNamed('zero-init'), first = lesson.moments[0];
    const page = await openPage(browser, server.url);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.step === 0);
    await page.selectOption('#lesson', lesson.name);
    await page.waitForFunction(() => { const s = window.gradlabPage.summary(); return s.playing && s.runs.every((r) => r.step > 0); }, null, { timeout: 20000 });
    assert.equal(await page.locator('#speed-value').textContent(), `${lesson.stepsPerSecond} steps/s`);
    const t0 = Date.now();
    await atMoment(page, first.step);
    const waited = (Date.now() - t0) / 1000;
    let s = await summary(page);
    assert.equal(s.playing, false);
    assert.deepEqual(s.runs.map((r) => r.step), s.runs.map(() => first.step), 'every run stopped at the moment\'s step');
    // the pace: 100 steps at 50 steps/s take about two seconds (generous bounds: the machine is shared)
    assert.ok(waited > 0.5 && waited < 20, `reached step ${first.step} after ${waited} s`);
    assert.equal(await page.locator('#moment .moment-text').textContent(), first.text);
    assert.match(await page.locator('#moment .moment-where').textContent(), new RegExp(`Step ${first.step} of ${lesson.steps}`));
    const where = await onScreen(page, first.panel);
    assert.ok(where.outlined && where.visible, JSON.stringify(where));
    await page.waitForTimeout(600);
    s = await summary(page);
    assert.deepEqual(s.runs.map((r) => r.step), s.runs.map(() => first.step), 'and stays there');
    assert.ok(s.runs.every((r) => r.curve.x.at(-1) === first.step), 'no snapshot past the moment');
    await page.getByRole('button', { name: 'Play to go on' }).click();
    await page.waitForFunction((n) => window.gradlabPage.summary().runs.every((r) => r.step > n), first.step, { timeout: 20000 });
    assert.equal(await page.locator('#moment').isHidden(), true);
    assert.equal((await summary(page)).playing, true);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('a moment at step 0 pauses before any step; a race lesson stops its clock at its moments', async () => {
    const page = await openPage(browser, server.url);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.step === 0);
    await page.selectOption('#lesson', 'large-init');
    await atMoment(page, 0);
    let s = await summary(page);
    assert.equal(s.runs[0].step, 0);
    assert.equal(s.playing, false);
    await page.getByRole('button', { name: 'Play to go on' }).click();
    await atMoment(page, 100);
    assert.equal((await summary(page)).runs[0].step, 100);

    const saddle = lessonNamed('saddle');
    await page.selectOption('#lesson', 'saddle');
    await atMoment(page, saddle.moments[0].step);
    s = await summary(page);
    assert.equal(s.race.upto, saddle.moments[0].step);
    assert.equal(s.running, false);
    await page.waitForTimeout(400);
    assert.equal((await summary(page)).race.upto, saddle.moments[0].step, 'the race holds at the moment');
    await page.getByRole('button', { name: 'Play to go on' }).click();
    await page.waitForFunction((n) => window.gradlabPage.summary().race.upto > n, saddle.moments[0].step);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('a lesson paused at a moment reads well at 1440x900 and 390x844 (screenshots)', async () => {
    for (const [width, height] of [[1440, 900], [390, 844]]) {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(server.url);
      await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.step === 0);
      await page.selectOption('#lesson', 'large-init');
      await atMoment(page, 0);
      await page.getByRole('button', { name: 'Play to go on' }).click();
      await atMoment(page, 100);
      const where = await onScreen(page, 'boundary');
      assert.ok(where.outlined && where.visible, `${width}x${height}: ${JSON.stringify(where)}`);
      assert.ok(await page.evaluate(() => document.getElementById('moment').getBoundingClientRect().right <= innerWidth), 'the callout fits the width');
      await page.screenshot({ path: `build/moments/large-init-${width}x${height}.png` });
      await page.close();
    }
  });

  it('every lesson\'s moments name a panel of the page and its moments lie within its run', () => {
    for (const l of LESSONS) for (const m of l.moments) assert.ok(m.step >= 0 && m.step <= l.steps, `${l.name} ${m.step}`);
  });
});

describe('lessons play as guided demos in the embed', () => {
  it('autoplay pauses at the first moment whose panel the embed has, outlines it, and Play goes on', async () => {
    const lesson = lessonNamed('overfitting'), first = lesson.moments[0];
    const site = await courseSite({
      csp: null,
      pages: {
        '/site/m.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>moments</title>
<script type="module" src="/gradlab/embed/gradlab-embed.js"></script></head><body>
<gradlab-playground id="m" lesson="${lesson.name}" controls="play,speed" autoplay></gradlab-playground>
<script type="module">window.moments = []; document.addEventListener('gradlab-moment', (e) => window.moments.push(e.detail));</script>
</body></html>`,
      },
    });
    const page = await openPage(browser, `${site.url}/site/m.html`);
    try {
      const root = (sel) => page.evaluate((q) => document.getElementById('m').shadowRoot.querySelector(q)?.textContent ?? null, sel);
      await page.waitForFunction(() => document.getElementById('m').shadowRoot.querySelector('.speed-value')?.textContent);
      assert.equal(await root('.speed-value'), `${lesson.stepsPerSecond} steps/s`);
      await page.waitForFunction(() => window.moments.length > 0, null, { timeout: 30000 });
      const [m] = await page.evaluate(() => window.moments);
      assert.deepEqual(m, { step: first.step, panel: first.panel, text: first.text, end: false });
      await page.waitForFunction((n) => document.getElementById('m').shadowRoot.querySelector('.status').textContent.startsWith(`step ${n} `), first.step);
      const shown = await page.evaluate(() => {
        const r = document.getElementById('m').shadowRoot;
        return { callout: !r.querySelector('.moment').hidden, outlined: r.querySelector('.chart-box').classList.contains('moment-focus'), playing: document.getElementById('m').playing };
      });
      assert.deepEqual(shown, { callout: true, outlined: true, playing: false });
      assert.equal(await root('.moment-text'), first.text);
      await page.waitForTimeout(500);
      assert.match(await root('.status'), new RegExp(`^step ${first.step} `), 'held at the moment');
      await page.evaluate(() => document.getElementById('m').shadowRoot.querySelector('.moment-go').click());
      await page.waitForFunction((n) => {
        const t = document.getElementById('m').shadowRoot.querySelector('.status').textContent;
        return Number(/^step (\d+)/.exec(t)?.[1]) > n;
      }, first.step, { timeout: 20000 });
      assert.equal(await page.evaluate(() => document.getElementById('m').shadowRoot.querySelector('.moment').hidden), true);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
      await site.close();
    }
  });
});
