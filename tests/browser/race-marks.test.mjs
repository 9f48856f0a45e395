// The optimiser race in Chromium: a racer that diverges or leaves the plotted area is marked where it
// left, on the contour and on the loss chart, and its legend row says so (Rosenbrock at learning rate
// 0.01, where SGD and momentum blow up in three steps; the saddle, whose momentum racer falls away
// for ever); race mode shows the race's status only; the start point moves from the keyboard; and the
// embed's charts show the step and each series' value under the cursor. The expected steps and edge
// points are worked out here from the raw paths the page reports, not by race-fate.js.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SURFACE_VIEWS } from '../../web/lib/names.js';
import { DIVERGED_LOSS } from '../../web/app/race-fate.js';
import { launch, openPage, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); mkdirSync('build/shots', { recursive: true }); });
after(async () => { await browser?.close(); await server?.close(); });

const summary = (page) => page.evaluate(() => window.gradlabPage.summary());
const ROSENBROCK = '?mode=race&surface=rosenbrock&racers=sgd~momentum~adam&raceLr=0.01';
const SADDLE = '?mode=race&surface=saddle&racers=sgd~momentum&raceLr=0.01&raceX=-1&raceY=0.01&raceSteps=300';

/** Opens a race and waits until its clock has run to the last step. */
async function finishedRace(query, viewport) {
  const page = await openPage(browser, `${server.url}${query}`);
  if (viewport) await page.setViewportSize(viewport);
  await page.waitForFunction(() => {
    const s = window.gradlabPage?.summary();
    return s?.race && !s.running && s.race.upto === Number(new URLSearchParams(location.search).get('raceSteps') ?? 300);
  }, null, { timeout: 30000 });
  await page.waitForTimeout(100);
  return page;
}

/**
 * What a path of a `steps`-step race did, from its points and losses: the first step outside the
 * view, the point where it crossed the edge getting there, and the first step past the bound.
 */
function whatHappened(p, view, steps = 300) {
  const out = (s) => !(p.x[s] >= view.x[0] && p.x[s] <= view.x[1] && p.y[s] >= view.y[0] && p.y[s] <= view.y[1]);
  const left = p.x.findIndex((_, s) => out(s));
  let diverged = p.loss.findIndex((v) => !(Math.abs(v) <= DIVERGED_LOSS));
  if (diverged < 0 && p.loss.length <= steps) diverged = p.loss.length;   // the engine stopped: the next point was not finite
  let edge = null;
  if (left > 0) {   // along the segment from the last point inside to the first outside, as far as the edge it crosses
    const [ax, ay, bx, by] = [p.x[left - 1], p.y[left - 1], p.x[left], p.y[left]];
    let t = 1;
    for (const [a, b, [lo, hi]] of [[ax, bx, view.x], [ay, by, view.y]]) {
      if (b > hi) t = Math.min(t, (hi - a) / (b - a));
      if (b < lo) t = Math.min(t, (lo - a) / (b - a));
    }
    edge = [ax + t * (bx - ax), ay + t * (by - ay)];
  }
  return { left: left < 0 ? null : left, diverged: diverged < 0 ? null : diverged, edge };
}

/** The colour of the contour's pixel at the point (x, y) of `surface`'s plane, and the colour of racer k. */
const contourPixel = (page, surface, [x, y], k) => page.evaluate(async ([name, px, py, index]) => {
  const { plotBox } = await import('./app/draw.js'), { seriesColor } = await import('./app/charts.js'), { SURFACE_VIEWS } = await import('./lib/names.js');
  const canvas = document.getElementById('contour'), box = plotBox(canvas), v = SURFACE_VIEWS[name];
  const cx = Math.round(box.left + ((px - v.x[0]) / (v.x[1] - v.x[0])) * box.width), cy = Math.round(box.top + ((v.y[1] - py) / (v.y[1] - v.y[0])) * box.height);
  const d = canvas.getContext('2d').getImageData(cx, cy, 1, 1).data, hex = seriesColor(index);
  return { pixel: [d[0], d[1], d[2]], color: [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) };
}, [surface, x, y, k]);

/** The colour of the race chart's pixel at (step, value) and the colour of racer k. */
const chartPixel = (page, step, value, k) => page.evaluate(async ([x, y, index]) => {
  const { seriesColor } = await import('./app/charts.js');
  const u = document.getElementById('race-chart')._glChart;
  const px = Math.round(u.valToPos(x, 'x', true)), py = Math.round(u.valToPos(y, 'y', true));
  const d = u.ctx.getImageData(px, py, 1, 1).data, hex = seriesColor(index);
  return { pixel: [d[0], d[1], d[2]], color: [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) };
}, [step, value, k]);

const near = ({ pixel, color }) => Math.hypot(...pixel.map((c, i) => c - color[i])) < 60;
/** The rows of the race chart's legend (without the step row): label and value. */
const legendRows = (page) => page.evaluate(() => [...document.querySelectorAll('#race-chart .u-legend .u-series')].slice(1)
  .map((row) => ({ label: row.querySelector('.u-label').textContent, value: row.querySelector('.u-value').textContent })));
/** The race chart's columns as drawn. */
const chartData = (page) => page.evaluate(() => document.getElementById('race-chart')._glChart.data.map((c) => Array.from(c)));

describe('race: racers that leave the plot or diverge', () => {
  it('Rosenbrock at lr 0.01: SGD and momentum are marked where they left, and their legend rows say when', async () => {
    const page = await finishedRace(ROSENBROCK);
    const { race } = await summary(page);
    const view = SURFACE_VIEWS.rosenbrock;
    const rows = await legendRows(page), data = await chartData(page);
    for (const [k, name] of [[0, 'sgd'], [1, 'momentum']]) {
      const p = race.paths[k], seen = whatHappened(p, view);
      assert.equal(p.name, name);
      assert.ok(Math.max(...p.loss.map(Math.abs)) > 1e12, `${name} blows up`);
      assert.equal(seen.left, 2, `${name} leaves the plot at step 2`);
      assert.equal(seen.diverged, 3, `${name} passes ${DIVERGED_LOSS} at step 3`);
      assert.deepEqual(p.fate, { divergedAt: 3, spells: [[2, null]] });
      assert.equal(rows[k].label, `${name} (lr 0.01)`);
      assert.equal(rows[k].value, 'left the plot at step 2, diverged at step 3', `${name}'s legend row`);
      // the contour: a cross in its colour where its path crossed the edge of the plot
      assert.ok(near(await contourPixel(page, 'rosenbrock', seen.edge, k)), `${name}: a cross at the edge (${seen.edge.map((v) => v.toFixed(3))})`);
      // the chart: its line runs to the top edge at step 2, ends there, and nothing follows
      const col = data[k + 1];
      assert.deepEqual(col.slice(0, 2), p.loss.slice(0, 2), `${name}: its true losses while in view`);
      assert.ok(col[2] < p.loss[2] && col[2] >= Math.max(...col.slice(0, 2)), `${name}: drawn to the chart's edge at step 2`);
      assert.ok(col.slice(3).every((v) => v === null), `${name}: no line after it left the chart`);
    }
    // both crosses on the chart sit at the same point; momentum's is drawn last
    assert.ok(near(await chartPixel(page, 2, data[2][2], 1)), 'a cross where the loss left the chart');
    assert.equal(rows[2].value, '–', 'adam stays in view');
    const adam = race.paths[2];
    assert.equal(adam.loss.length, 301);
    assert.equal(whatHappened(adam, view).left, null);
    await page.screenshot({ path: 'build/shots/race-rosenbrock-1440.png' });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the saddle: momentum is marked where it leaves, not drawn flat along the chart\'s floor', async () => {
    const page = await finishedRace(SADDLE);
    const { race } = await summary(page);
    const view = SURFACE_VIEWS.saddle, data = await chartData(page), rows = await legendRows(page);
    const p = race.paths[1], seen = whatHappened(p, view);
    assert.equal(p.name, 'momentum');
    assert.ok(p.loss.at(-1) < -1e12, 'momentum falls away to about −1e22');
    assert.ok(seen.left > 40 && seen.left < 70, `it leaves the plot near step 53 (${seen.left})`);
    assert.ok(seen.diverged > seen.left, 'and passes the bound later');
    assert.equal(rows[1].value, `left the plot at step ${seen.left}, diverged at step ${seen.diverged}`);
    const col = data[2], last = col.findLastIndex((v) => v !== null);
    assert.equal(last, seen.left, 'its line ends at the step it leaves');
    assert.equal(col[last], Math.min(...col.filter((v) => v !== null)), 'at the chart\'s floor');
    assert.ok(col.filter((v) => v === col[last]).length === 1, 'touching the floor once, not drawn along it');
    assert.ok(near(await chartPixel(page, last, col[last], 1)), 'a cross on the chart where its loss left it');
    assert.ok(near(await contourPixel(page, 'saddle', seen.edge, 1)), `a cross on the contour where it crossed the edge (${seen.edge.map((v) => v.toFixed(3))})`);
    // SGD leaves too, late: its row says so, and its loss before that is drawn as it is
    const sgd = whatHappened(race.paths[0], view);
    assert.equal(rows[0].value, `left the plot at step ${sgd.left}`);
    assert.deepEqual(data[1].slice(0, sgd.left), race.paths[0].loss.slice(0, sgd.left));
    // hovering after momentum left shows its true loss, not the clipped one
    const box = await page.locator('#race-chart .u-over').boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const hovered = await page.evaluate(() => document.getElementById('race-chart')._glChart.cursor.idx);
    const value = (await legendRows(page))[1].value;
    assert.ok(hovered > seen.left && hovered < seen.diverged, `hovering step ${hovered}`);
    assert.match(value, /^-\d\.\d\de\+\d+ \(off the plot\)$/, `momentum's true loss at step ${hovered}: ${value}`);
    assert.equal(Number(value.split(' ')[0]).toPrecision(3), p.loss[hovered].toPrecision(3));
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('race mode shows the race\'s status only, not the last training run\'s', async () => {
    const page = await openPage(browser, `${server.url}?data=circle`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    await page.locator('#play').click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step > 30);
    assert.match(await page.locator('#status').textContent(), /^step \d+ · loss train/);
    await page.getByRole('button', { name: 'Optimiser race' }).click();
    await page.waitForFunction(() => window.gradlabPage.summary().mode === 'race');
    const first = await page.locator('#status').textContent();
    assert.match(first, /^(computing the paths…|Race (paused|racing) at step \d+ of 300)/, first);
    await page.waitForFunction(() => /^Race finished at step 300 of 300/.test(document.getElementById('status').textContent), null, { timeout: 30000 });
    const text = await page.locator('#status').textContent();
    const { race } = await summary(page);
    assert.deepEqual(text.split('\n').slice(1).map((l) => l.split(':')[0]), race.paths.map((p) => p.name), 'a line per racer');
    assert.doesNotMatch(text, /loss train|accuracy/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the start point moves with the arrow keys on the contour and with the x and y fields, and the race runs again', async () => {
    const page = await finishedRace('?mode=race&surface=bowl&racers=sgd~momentum&raceSteps=100');   // a race of 100 steps
    const view = SURFACE_VIEWS.bowl, start = async () => { const { race } = await summary(page); return [race.paths[0].x[0], race.paths[0].y[0]]; };
    const closeTo = (a, b) => a.every((v, i) => Math.abs(v - b[i]) < 1e-5);
    assert.ok(closeTo(await start(), view.start));
    assert.equal(await page.inputValue('#in-raceX'), String(view.start[0]));
    await page.focus('#contour');
    await page.keyboard.press('ArrowRight');
    const x1 = +(view.start[0] + 0.02 * (view.x[1] - view.x[0])).toFixed(3);
    await page.waitForFunction((x) => window.gradlabPage.summary().race?.paths[0].x[0] > x - 1e-5 && window.gradlabPage.summary().race.paths[0].x[0] < x + 1e-5, x1);
    assert.ok(closeTo(await start(), [x1, view.start[1]]), 'one step right');
    assert.equal(await page.inputValue('#in-raceX'), String(x1), 'the field shows it');
    assert.match(await page.evaluate(() => location.search), new RegExp(`raceX=${x1}`));
    await page.keyboard.press('Shift+ArrowDown');
    const y1 = +(view.start[1] - 5 * 0.02 * (view.y[1] - view.y[0])).toFixed(3);
    await page.waitForFunction((y) => Math.abs(window.gradlabPage.summary().race?.paths[0].y[0] - y) < 1e-5, y1);
    assert.ok(closeTo(await start(), [x1, y1]), 'Shift moves five times as far');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'contour', 'the contour keeps the focus');
    await page.fill('#in-raceY', '0.25');
    await page.dispatchEvent('#in-raceY', 'change');
    await page.waitForFunction(() => Math.abs(window.gradlabPage.summary().race?.paths[0].y[0] - 0.25) < 1e-6);
    assert.ok(closeTo(await start(), [x1, 0.25]), 'typed into the y field');
    await page.fill('#in-raceX', '500');
    await page.dispatchEvent('#in-raceX', 'change');
    // the field's message (field-messages.js, as every field has): its name, what was typed, the range, the start kept
    const problem = page.locator('.race-start + .field-problem');
    assert.equal(await problem.isVisible(), true);
    assert.equal(await problem.textContent(), `Start x: '500' is not used; allowed: a number from -100 to 100. It stays ${x1}.`);
    assert.equal(await page.inputValue('#in-raceX'), String(x1), 'the field shows the start in use');
    await page.waitForTimeout(300);
    assert.ok(closeTo(await start(), [x1, 0.25]), 'a value it cannot use leaves the start where it was');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('looks right at 1440x900 and 390x844 (screenshots in build/shots/)', async () => {
    for (const [width, height] of [[1440, 900], [390, 844]]) {
      const page = await finishedRace(ROSENBROCK, { width, height });
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no sideways scrolling');
      await page.screenshot({ path: `build/shots/race-${width}.png`, fullPage: true });
      await page.close();
    }
  });
});

describe('embed: hover values', () => {
  /** The legend of the first <gradlab-playground> of an embed.html page: the hovered step and each row's label and value. */
  const embedLegend = (page) => page.evaluate(() => {
    const root = document.querySelector('gradlab-playground').shadowRoot;
    return { step: root.querySelector('.legend .hover-step').textContent, rows: [...root.querySelectorAll('.legend .item')].map((i) => ({ label: i.querySelector('.label').textContent, value: i.querySelector('.value').textContent })) };
  });
  const embedChart = (page) => page.evaluate(async () => {
    const { fmt } = await import('./app/format.js');
    const u = document.querySelector('gradlab-playground').shadowRoot.querySelector('.chart')._glChart, idx = u.cursor.idx;
    const latest = (c) => { let j = idx; while (j > 0 && c[j] == null) --j; return c[j]; };   // where a run's line is at that step
    return { idx, step: idx == null ? null : u.data[0][idx], values: u.data.slice(1).map((c) => (idx == null ? '' : fmt(latest(c)))) };
  });

  for (const [lesson, pairs] of [['xavier', false], ['zero-init', true]]) {
    it(`${lesson}: the chart shows the step and each curve's value under the cursor`, async () => {
      const page = await openPage(browser, `${server.url}embed.html?lesson=${lesson}&moments=off&autoplay&speed=600`);
      await page.waitForFunction(() => document.querySelector('gradlab-playground')?.shadowRoot?.querySelector('.chart')?._glChart?.data[0].length > 30, null, { timeout: 30000 });
      await page.evaluate(() => document.querySelector('gradlab-playground').pause());
      await page.waitForTimeout(200);
      assert.equal((await embedLegend(page)).step, '', 'no step shown without a cursor');
      const box = await page.locator('gradlab-playground .u-over').boundingBox();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
      const legend = await embedLegend(page), chart = await embedChart(page);
      assert.ok(chart.idx != null, 'the cursor is on a step');
      assert.equal(legend.step, `step ${chart.step}`);
      // one run: a row per curve; a comparison: a row per run reading "train / test"
      assert.equal(legend.rows.length, pairs ? chart.values.length / 2 : chart.values.length, legend.rows.map((r) => r.label).join(', '));
      legend.rows.forEach((r, k) => assert.equal(r.value, pairs ? `${chart.values[2 * k]} / ${chart.values[2 * k + 1]}` : chart.values[k], r.label));
      assert.ok(legend.rows.every((r) => /\d/.test(r.value)), 'numbers shown');
      await page.mouse.move(0, 0);
      assert.equal((await embedLegend(page)).step, '', 'and gone when the cursor leaves');
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }

  it('a race\'s chart shows each racer\'s true loss under the cursor, and otherwise what became of it', async () => {
    const page = await openPage(browser, `${server.url}embed.html?mode=race&surface=rosenbrock&racers=sgd~momentum~adam&racelr=0.01&autoplay`);
    await page.waitForFunction(() => /finished at step 300/.test(document.querySelector('gradlab-playground')?.shadowRoot?.querySelector('.status')?.textContent), null, { timeout: 30000 });
    const idle = await embedLegend(page);
    assert.deepEqual(idle.rows.map((r) => r.label), ['sgd (lr 0.01)', 'momentum (lr 0.01)', 'adam (lr 0.01)']);
    assert.deepEqual(idle.rows.map((r) => r.value), ['left the plot at step 2, diverged at step 3', 'left the plot at step 2, diverged at step 3', '']);
    const box = await page.locator('gradlab-playground .u-over').boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const legend = await embedLegend(page), chart = await embedChart(page);
    assert.equal(legend.step, `step ${chart.step}`);
    assert.deepEqual(legend.rows.map((r) => r.value), ['diverged at step 3', 'diverged at step 3', chart.values[2]]);
    await page.mouse.move(box.x + 1, box.y + box.height * 0.5);   // step 0: every racer at its first loss
    const start = await embedLegend(page), chart0 = await embedChart(page);
    assert.equal(chart0.step, 0);
    assert.deepEqual(start.rows.map((r) => r.value), chart0.values);
    assert.match(await page.evaluate(() => document.querySelector('gradlab-playground').shadowRoot.querySelector('.status').textContent), /sgd: left the plot at step 2, diverged at step 3/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
