// The page's look at four screen sizes (phone, tablet, laptop, desktop), in headless Chromium: no
// sideways scrolling, a chart in view after Play (on a phone the views before the settings), every chart with its axes named, a legend naming
// the series of every chart that has several, values under the cursor, views that grow with the
// window, and every column of views stacking its panels without an empty gap between them.
// Screenshots of train mode, compare mode, a lesson and the race go to build/shots/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { lessonNamed } from '../../web/app/lessons.js';
import { launch, serve } from './browser.mjs';

const SIZES = [[390, 844], [768, 1024], [1440, 900], [1920, 1080]];
const SHOTS = 'build/shots';
let browser, server;
before(async () => { mkdirSync(SHOTS, { recursive: true }); server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(width, height, query = '') {
  const page = await browser.newPage({ viewport: { width, height } });
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(server.url + query);
  return page;
}

const waitSteps = (page, n) => page.waitForFunction((k) => {
  const s = window.gradlabPage?.summary();
  return s && s.runs.length && s.runs.every((r) => r.step >= k);
}, n, { timeout: 40000 });

const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

// The lessons open here at the page's default pace, 300 steps a second (the address's speed), not at
// their own slower one: this file checks how they are laid out, moments.test.mjs that each plays at
// its own pace.
const QUICK = '&speed=300';

/** The space the grid leaves between two boxes (.train-views's gap, 8 px), and what rounding may add. */
const GAP = 8, SLACK = 2;

/**
 * Every box of the train views shown (panels, the compare cards and their heading, the instruments),
 * each with the space between its top and the bottom of the nearest box above it in the same column
 * (any box it overlaps sideways), or the top of the views when there is none.
 */
const columnGaps = (page) => page.evaluate(() => {
  const views = document.querySelector('.train-views');
  const boxes = [...views.querySelectorAll('figure.panel, .multiples-head, .multiples, .instruments')]
    .filter((el) => !el.parentElement.closest('.panel, .instruments') && el.getClientRects().length > 0)
    .map((el) => ({ el, r: el.getBoundingClientRect() }));
  const top = views.getBoundingClientRect().top;
  return boxes.map(({ el, r }) => {
    const above = boxes.filter((b) => b.r.bottom <= r.top + 1 && b.r.left < r.right - 1 && b.r.right > r.left + 1);
    const under = above.length ? Math.max(...above.map((b) => b.r.bottom)) : top;
    const name = el.id || el.querySelector('h3')?.textContent || el.querySelector('[id]')?.id || el.className;
    return { name: above.length ? name : `${name} (first in its column)`, gap: Math.round(r.top - under) };
  });
});

/** Checks that no column of views leaves empty space between two boxes (or above its first). */
async function checkColumns(page, where) {
  const gaps = await columnGaps(page);
  assert.ok(gaps.length > 2, `${where}: boxes found (${gaps.length})`);
  const wide = gaps.filter((g) => g.gap > (g.name.endsWith('(first in its column)') ? SLACK : GAP + SLACK) || g.gap < -SLACK);
  assert.deepEqual(wide, [], `${where}: empty space above these boxes (px): ${JSON.stringify(wide)}`);
}

/** Every uPlot chart shown: its title, axis labels, series labels and legend rows (labels as shown). */
const chartsShown = (page) => page.evaluate(() => [...document.querySelectorAll('.views div[id$="-chart"]')]
  .filter((el) => el._glChart && el.offsetParent !== null)
  .map((el) => {
    const u = el._glChart;
    return {
      id: el.id, title: el.querySelector('.u-title')?.textContent ?? '', axes: u.axes.map((a) => a.label ?? ''),
      series: u.series.slice(1).map((s) => s.label),
      legend: [...el.querySelectorAll('.u-legend .u-series')].slice(1).map((row) => row.querySelector('.u-label').textContent),
    };
  }));

/** Checks every chart shown has a title, both axes named, and (with several series) a legend naming each. */
function checkCharts(charts, where) {
  assert.ok(charts.length > 0, `${where}: charts shown`);
  for (const c of charts) {
    assert.ok(c.title.length > 0, `${where} ${c.id}: a title`);
    assert.ok(c.axes.every((a) => a.length > 0), `${where} ${c.id}: both axes named (${c.axes})`);
    if (c.series.length > 1) assert.deepEqual(c.legend, c.series, `${where} ${c.id}: the legend names every series`);
  }
}

/** Hovers the middle of chart `id` and returns its legend values (the step first). */
async function hoverValues(page, id) {
  const over = page.locator(`#${id} .u-over`);
  await over.scrollIntoViewIfNeeded();
  const box = await over.boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await page.waitForTimeout(100);
  return page.locator(`#${id} .u-legend .u-series .u-value`).allTextContents();
}

describe('layout at four screen sizes', () => {
  for (const [width, height] of SIZES) {
    const size = `${width}x${height}`;
    it(`${size}: train mode from the first screen`, async () => {
      const page = await open(width, height);
      await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
      assert.ok(await page.locator('#start-here').isVisible(), 'the lesson cards greet a page opened without an address');
      await page.locator('#datasets canvas').first().waitFor();
      assert.ok(await page.locator('#play').isVisible());
      assert.ok(await sideways(page) <= 0, `no sideways scrolling on the first screen (${await sideways(page)} px too wide)`);
      await page.locator('#play').click();
      await waitSteps(page, 150);
      await page.locator('#play').click();
      assert.ok(await page.locator('#start-here').isHidden(), 'the cards fold away once training starts');
      assert.ok(await sideways(page) <= 0, `no sideways scrolling while training (${await sideways(page)} px too wide)`);
      // a chart is in view without scrolling: at least 150 px of one of them inside the window
      const inView = await page.evaluate(() => ['#boundary', '#loss-chart'].some((sel) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return r.width > 0 && Math.min(r.bottom, innerHeight) - Math.max(r.top, 0) >= 150;
      }));
      assert.ok(inView, 'a chart in view after Play');
      if (width < 620) {
        // one column on a phone: Play and the readout, then the views, then the settings
        const tops = await page.evaluate(() => Object.fromEntries(['#play', '#boundary', '#loss-chart', '#fs-data', '#fs-network', '#fs-training']
          .map((sel) => [sel, document.querySelector(sel).getBoundingClientRect().top + scrollY])));
        assert.ok(tops['#play'] < tops['#boundary'] && tops['#boundary'] < tops['#loss-chart'], JSON.stringify(tops));
        assert.ok(['#fs-data', '#fs-network', '#fs-training'].every((fs) => tops[fs] > tops['#loss-chart']), `the settings come after the views: ${JSON.stringify(tops)}`);
      }
      checkCharts(await chartsShown(page), size);
      assert.deepEqual(await page.evaluate(() => document.getElementById('boundary').dataset.axes), 'x₁,x₂');
      const names = await page.evaluate(() => document.getElementById('gradnorm-chart')._glChart.series.slice(1).map((s) => s.label));
      assert.deepEqual(names, ['h1', 'h2', 'out'], 'one legend row per layer');
      const values = await hoverValues(page, 'loss-chart');
      assert.match(values[0], /^\d+$/, `the step under the cursor (${values})`);
      assert.ok(values.slice(1, 3).every((v) => /^\d/.test(v)), `train and test loss under the cursor (${values})`);
      const ratio = await hoverValues(page, 'ratio-chart');
      assert.ok(ratio.slice(1).every((v) => /^\d/.test(v)), `each layer's ratio under the cursor (${ratio})`);
      await page.mouse.move(0, 0);
      await checkColumns(page, `${size} train`);
      await page.screenshot({ path: `${SHOTS}/train-${size}.png` });
      assert.deepEqual(page.errors, []);
      await page.close();
    });

    it(`${size}: compare mode, a lesson and the race`, async () => {
      // a lesson link starts by itself and stops at its first moment
      const page = await open(width, height, `?lesson=adam${QUICK}`);
      await waitSteps(page, lessonNamed('adam').moments[0].step);
      assert.ok(await sideways(page) <= 0, 'compare: no sideways scrolling');
      const charts = await chartsShown(page);
      checkCharts(charts, `${size} compare`);
      assert.deepEqual(charts.find((c) => c.id === 'lr-chart').legend, ['opt sgd', 'opt momentum', 'opt adam']);
      if (width >= 1440) {
        const fill = await page.evaluate(() => document.getElementById('loss-chart').offsetWidth / document.querySelector('.train-views').offsetWidth);
        assert.ok(fill > 0.9, `the compare curves fill the width (${fill})`);
      }
      await checkColumns(page, `${size} compare`);
      await page.screenshot({ path: `${SHOTS}/compare-${size}.png` });

      await page.goto(`${server.url}?lesson=large-init${QUICK}`);
      await page.waitForFunction(() => window.gradlabPage?.summary().moment?.step === 0);   // its first moment is before any step
      await page.getByRole('button', { name: 'Play to go on' }).click();
      await waitSteps(page, 100);
      if (width >= 1440) {
        const bottom = await page.evaluate(() => document.getElementById('health').getBoundingClientRect().bottom);
        assert.ok(bottom <= height, `the saturation bars the lesson talks about are above the fold (${bottom})`);
      }
      assert.ok(await sideways(page) <= 0, 'lesson: no sideways scrolling');
      await checkColumns(page, `${size} lesson`);
      await page.screenshot({ path: `${SHOTS}/lesson-${size}.png` });

      await page.goto(`${server.url}?lesson=ravine${QUICK}`);
      await page.waitForFunction(() => window.gradlabPage?.summary().race?.paths.length === 2);
      for (const m of lessonNamed('ravine').moments) {   // the lesson stops at its moments: go on past each
        await page.waitForFunction((n) => window.gradlabPage.summary().moment?.step === n, m.step);
        await page.getByRole('button', { name: 'Play to go on' }).click();
      }
      await page.waitForFunction(() => window.gradlabPage.summary().race.upto === 200, null, { timeout: 10000 });
      assert.ok(await sideways(page) <= 0, 'race: no sideways scrolling');
      const race = (await chartsShown(page)).find((c) => c.id === 'race-chart');
      checkCharts([race], `${size} race`);
      assert.equal(await page.evaluate(() => document.getElementById('race-chart')._glChart.scales.y.distr), 3, 'a log loss axis on the bowl');
      assert.equal(await page.evaluate(() => document.getElementById('contour').dataset.axes), 'x,y');
      const contour = await page.locator('#contour').boundingBox();
      assert.ok(contour.x >= 0 && contour.x + contour.width <= width, 'the contour plot fits the window');
      const values = await hoverValues(page, 'race-chart');
      assert.ok(values.slice(1).every((v) => /^[\d-]/.test(v)), `both racers' losses under the cursor (${values})`);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${SHOTS}/race-${size}.png` });
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }

  it('the views grow with the window, and a data-set picture chooses its data set', async () => {
    const widths = [];
    for (const [width, height] of [[1440, 900], [1920, 1080]]) {
      const page = await open(width, height, '?data=moons');
      await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
      await page.waitForTimeout(200);
      widths.push(await page.evaluate(() => ({
        loss: document.getElementById('loss-chart')._glChart.width, boundary: document.getElementById('boundary').width,
      })));
      if (width === 1920) {
        await page.getByRole('button', { name: 'Data set: circle' }).click();
        await page.waitForFunction(() => location.search.includes('data=circle'));
        assert.equal(await page.getByRole('button', { name: 'Data set: circle' }).getAttribute('aria-pressed'), 'true');
        assert.equal(await page.inputValue('#in-data'), 'circle');
      }
      assert.deepEqual(page.errors, []);
      await page.close();
    }
    assert.ok(widths[1].loss > widths[0].loss * 1.1, `the loss chart grows: ${widths.map((w) => w.loss)}`);
    assert.ok(widths[1].boundary > widths[0].boundary, `the boundary grows: ${widths.map((w) => w.boundary)}`);
  });

  it('a lesson card opens its lesson; the log toggle puts the loss on a log axis', async () => {
    const page = await open(1280, 800);
    await page.locator('#start-cards [data-lesson="overfitting"]').click();
    await page.waitForFunction(() => location.search.includes('lesson=overfitting'));
    assert.equal(await page.inputValue('#lesson'), 'overfitting');
    assert.ok(await page.locator('#start-here').isHidden());
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    await page.locator('#loss-log').check();
    assert.equal(await page.evaluate(() => document.getElementById('loss-chart')._glChart.scales.y.distr), 3);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
