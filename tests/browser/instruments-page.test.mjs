// The page's Instruments group in headless Chromium: the landscape, the sharpness and the range test
// are computed in the run's worker (never on the page's thread) and are the numbers the API gives in
// Node for the same settings and seed (the same wasm build: bit for bit); the landscape's centre is
// the evaluation loss; the range test leaves the run as it was; its buttons set the learning rate or
// a cyclic schedule; every instrument lesson plays and pauses at its moments with its panel shown;
// the embed shows the panels a lesson's moments name. Screenshots go to build/instruments/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { runConfig } from '../../web/app/config.js';
import { measureLandscape, measureSharpness, rangeTest, TRAJECTORY } from '../../web/app/instrument-plan.js';
import { LESSONS, lessonNamed } from '../../web/app/lessons.js';
import { parseState, runState } from '../../web/app/state.js';
import { launch, openPage, painted, serve } from './browser.mjs';

let browser, server, lab;
before(async () => {
  server = await serve(); browser = await launch(); lab = await loadGradlab({ simd: true });
  mkdirSync('build/instruments', { recursive: true });
});
after(async () => { await browser?.close(); await server?.close(); });

const QUERY = '?data=moons&layers=16_tanh,16_tanh&opt=momentum&lr=0.1&seed=3';
const summary = (page) => page.evaluate(() => window.gradlabPage.summary());
const first = async (page) => (await summary(page)).runs[0];

/** The page's run for QUERY, made in Node as the worker makes it (the record of weights included). */
function nodeRun() {
  const config = runConfig(runState(parseState(QUERY).state, []));
  const data = lab.dataset(config.dataset.name, config.dataset.options);
  const net = lab.network(config.network);
  net.setOptimizer(config.optimizer);
  net.recordTrajectory(TRAJECTORY);
  return { net, data, config };
}

async function stepTo(page, target) {
  const now = (await first(page)).step;
  await page.evaluate((k) => {
    for (let i = 0; i < k; ++i) document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
  }, target - now);
  await page.waitForFunction((t) => window.gradlabPage.summary().runs[0].step === t, target);
}

describe('the Instruments group', () => {
  it('landscape, sharpness and range test come from the worker and equal the API in Node; the apply buttons set the rate', async () => {
    const page = await openPage(browser, `${server.url}${QUERY}`);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    assert.equal(await page.evaluate(() => document.getElementById('instruments').open), false, 'folded until asked for');
    // folded, the group's charts are not built (the page's other charts are)
    await page.waitForFunction(() => document.querySelector('#loss-chart .uplot') && document.querySelector('#gradnorm-chart .uplot'));
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => document.querySelectorAll('#sharpness-chart .uplot, #lrfind-chart .uplot').length), 0, 'no instrument chart while folded');
    await page.locator('#instruments > summary').click();
    await page.waitForFunction(() => document.querySelectorAll('#sharpness-chart .uplot, #lrfind-chart .uplot').length === 2);
    const node = nodeRun();

    // a random landscape at step 0: the worker's grid is Node's, its centre the evaluation loss
    await page.click('#landscape-go');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].instruments.landscape.random);
    const random = (await first(page)).instruments.landscape.random;
    const expected = measureLandscape(node.net, node.data, { directions: 'random', resolution: 21 });
    assert.deepEqual(random.values, Array.from(expected.values));
    // the centre is net.evaluate over the same rows, bit for bit, however many rows each pass took
    const evaluated = node.net.evaluate(node.data, 'train').loss;
    assert.equal(random.center, evaluated, 'the centre is the evaluation loss');
    assert.equal(random.values[10 * 21 + 10], random.center, 'the middle cell of the grid is the centre');

    // sharpness every 5 steps while training, then the trajectory plane after 20 steps
    await page.fill('#sharpness-every', '5');
    await page.dispatchEvent('#sharpness-every', 'change');
    await stepTo(page, 20);
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].instruments.sharpness.step.includes(20));
    // Node does what the worker did: sharpness at step 0 (the watch arrived there) and every 5 steps
    measureSharpness(node.net, node.data);
    for (let k = 0; k < 4; ++k) { node.net.train(node.data, { steps: 5, batchSize: node.config.batchSize }); if (k < 3) measureSharpness(node.net, node.data); }
    const sharp = (await first(page)).instruments.sharpness;
    assert.deepEqual(sharp.step.filter((s) => s > 0), [5, 10, 15, 20]);
    const lambda = measureSharpness(node.net, node.data);
    assert.equal(sharp.lambdaMax.at(-1), lambda.lambdaMax);
    assert.equal(sharp.twoOverEta.at(-1), lambda.twoOverEta);
    await page.selectOption('#landscape-directions', 'trajectory');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].instruments.landscape.trajectory);
    const path = (await first(page)).instruments.landscape.trajectory;
    const nodePath = measureLandscape(node.net, node.data, { directions: 'trajectory', resolution: 21 });
    assert.deepEqual(path.values, Array.from(nodePath.values));
    assert.equal(path.pathLength, nodePath.path.alpha.length);
    assert.ok(path.pathLength > 2, 'the path of the recorded weights');
    await page.waitForTimeout(300);
    assert.ok(await painted(page, '#landscape canvas', { plot: true }) > 0.95, 'the heatmap fills its axes');
    assert.equal(await page.evaluate(() => document.querySelector('#landscape canvas').dataset.axes), 'α,β');
    assert.ok(await painted(page, '#landscape-legend') > 0.1, 'colour legend');
    const box = await page.locator('#landscape canvas').boundingBox();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.45);
    assert.match(await page.locator('#landscape-hover').textContent(), /^α \S+, β \S+: loss \S+$/);

    // the range test from step 20 leaves the run as it was: its loss, and the steps after it are Node's
    const before = (await first(page)).trainLoss;
    await page.click('#lrfind-go');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].instruments.rangeTest);
    const test = (await first(page)).instruments.rangeTest;
    const nodeTest = rangeTest(node.net, node.data, node.config.batchSize);
    assert.deepEqual(test.smoothed, Array.from(nodeTest.smoothed));
    assert.deepEqual(test.suggestions, nodeTest.suggestions);
    assert.equal(test.step, 20);
    assert.equal(node.net.evaluate(node.data, 'train').loss, before, 'Node\'s run after its range test is where the page was before');
    await page.click('#sharpness-go');   // a snapshot of step 20 after the range test
    await page.waitForFunction((n) => window.gradlabPage.summary().runs[0].instruments.sharpness.step.filter((s) => s === 20).length === 1 && n, true);
    await stepTo(page, 25);
    measureSharpness(node.net, node.data);
    node.net.train(node.data, { steps: 5, batchSize: node.config.batchSize });
    assert.equal((await first(page)).trainLoss, node.net.evaluate(node.data, 'train').loss, 'the worker\'s run goes on as Node\'s');
    await page.locator('#instruments').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'build/instruments/page-1440.png' });

    // the buttons apply a suggestion as the rate, or both as a cyclic schedule's bounds
    const steepest = Number(test.suggestions.steepest.toPrecision(2));
    await page.click('#apply-steepest');
    await page.waitForFunction((lr) => new URLSearchParams(location.search).get('lr') === String(lr), steepest);
    // a live change (the run goes on at the new rate) or a new run: either way the next step trains at the suggestion
    await stepTo(page, (await first(page)).step + 1);
    await page.waitForFunction((lr) => Math.abs(window.gradlabPage.summary().runs[0].learningRates.at(-1) - lr) < 1e-6 * lr, steepest);
    if (!(await first(page)).instruments.rangeTest) await page.click('#lrfind-go');   // a new run: its own range test
    await page.waitForSelector('#apply-cyclic');
    const second = (await first(page)).instruments.rangeTest.suggestions;   // what the buttons show now
    await page.click('#apply-cyclic');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('sched') === 'cyclic');
    const url = new URLSearchParams((await summary(page)).url);
    const top = Math.max(second.steepest, second.minimumDividedBy10);
    assert.equal(Number(url.get('maxLr')), Number(top.toPrecision(2)));
    assert.equal(Number(url.get('lr')), Number((top / 4).toPrecision(2)));
    assert.equal((await summary(page)).nanInCharts, false);
    assert.deepEqual(page.errors, []);
    node.net.dispose(); node.data.dispose();
    await page.close();
  });

  for (const lesson of LESSONS.filter((l) => l.instruments)) {
    it(`${lesson.name}: plays and pauses at each moment with its panel open and outlined`, async () => {
      const page = await openPage(browser, server.url);
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.selectOption('#lesson', lesson.name);
      // choosing a lesson plays it to its first moment; the callout's button plays on to the next
      for (const m of lesson.moments) {
        await page.waitForFunction((n) => window.gradlabPage.summary().moment?.step === n, m.step, { timeout: 120000 });
        const s = await summary(page);
        assert.ok(s.runs.every((r) => r.step === m.step), `every run stopped at ${m.step}`);
        assert.equal(s.moment.panel, m.panel);
        const shown = await page.evaluate((id) => {
          const box = document.getElementById(id).closest('.panel');
          return { open: document.getElementById('instruments').open, visible: box.getClientRects().length > 0, outlined: box.classList.contains('moment-focus') };
        }, m.panel);
        if (['landscape', 'sharpness-chart', 'lrfind-chart'].includes(m.panel)) assert.ok(shown.open, 'the Instruments group is open');
        assert.ok(shown.visible && shown.outlined, JSON.stringify(shown));
        if (m.panel === 'landscape') assert.ok(await painted(page, '#landscape canvas:not([hidden])', { plot: true }) > 0.95, 'landscape drawn');
        if (m.panel === 'sharpness-chart') assert.ok(s.runs.every((r) => r.instruments.sharpness.step.includes(m.step)), 'sharpness measured at the moment');
        if (m.panel === 'lrfind-chart') assert.ok(s.runs[0].instruments.rangeTest, 'the range test ran');
        await page.screenshot({ path: `build/instruments/${lesson.name}-${m.step}.png` });
        await page.click('.moment-go');
      }
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }

  it('the embed shows the instrument panels its lesson talks about, drawn from its workers', async () => {
    const page = await openPage(browser, `${server.url}embed.html?lesson=edge-of-stability&controls=play,step&autoplay&speed=200`);
    await page.setViewportSize({ width: 390, height: 844 });
    const read = () => page.evaluate(() => {
      const box = document.querySelector('gradlab-playground').shadowRoot.querySelector('.instrument-box');
      return { hidden: box.hidden, panels: [...box.querySelectorAll('.instrument')].map((p) => p.dataset.panel), canvases: box.querySelectorAll('canvas').length };
    });
    await page.waitForFunction(() => document.querySelector('gradlab-playground')?.shadowRoot.querySelector('.moment:not([hidden])'), null, { timeout: 60000 });
    const shown = await read();
    assert.equal(shown.hidden, false);
    assert.deepEqual(shown.panels, ['sharpness-chart'], 'the panel its moments name');
    assert.ok(shown.canvases > 0);
    const outlined = await page.evaluate(() => document.querySelector('gradlab-playground').shadowRoot.querySelector('.instrument-box').classList.contains('moment-focus'));
    assert.ok(outlined, 'the moment outlines the panel');
    await page.screenshot({ path: 'build/instruments/embed-390.png', fullPage: true });
    const plain = await openPage(browser, `${server.url}embed.html?lesson=xavier`);
    await plain.waitForTimeout(1500);
    assert.equal(await plain.evaluate(() => document.querySelector('gradlab-playground').shadowRoot.querySelector('.instrument-box').hidden), true, 'other lessons show none');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(plain.errors, []);
    await page.close(); await plain.close();
  });

  it('the embed draws nothing between a lesson change and its new views, even from a frame asked for before', async () => {
    // a change made inside a step event: the element asks for a frame right after the event, with the
    // new DOM parts in place and their views not built yet (they wait for the new runs)
    const page = await openPage(browser, `${server.url}embed.html?lesson=edge-of-stability&controls=play&autoplay&moments=off&speed=200`);
    await page.evaluate(() => {
      const lessons = ['lr-range-test', 'loss-surface', 'bn-high-rate', 'edge-of-stability'];
      window.changes = [];
      window.lastStep = 0;
      const el = document.querySelector('gradlab-playground');
      el.addEventListener('gradlab-step', (e) => {
        window.lastStep = e.detail.step;
        if (e.detail.step < 5 || window.changes.length >= lessons.length) return;
        const lesson = lessons[window.changes.length];
        window.changes.push(lesson);
        el.set({ lesson });
      });
    });
    await page.waitForFunction(() => window.changes.length === 4, null, { timeout: 60000 });
    // the last lesson trains on, drawn (its instrument box holds its panel)
    await page.waitForFunction(() => window.lastStep >= 30, null, { timeout: 60000 });
    const panels = await page.evaluate(() => [...document.querySelector('gradlab-playground').shadowRoot.querySelectorAll('.instrument-box .instrument')].map((p) => p.dataset.panel));
    assert.deepEqual(panels, ['sharpness-chart']);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

it('the lessons with instruments are the four this issue asks for', () => {
  assert.deepEqual(LESSONS.filter((l) => l.instruments).map((l) => l.title), [
    'The loss surface of this network', 'Sharpness and the largest stable learning rate', 'Batch norm allows higher learning rates', 'Finding a learning rate',
  ]);
  assert.ok(lessonNamed('lr-range-test').instruments.lrFind);
});
