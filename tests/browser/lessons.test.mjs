// Every lesson in headless Chromium: opened by its URL, played from the keyboard for a fixed number
// of steps, and checked against what its text claims. Screenshots land in build/lessons/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { LESSONS } from '../../web/app/lessons.js';
import { launch, openPage, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); mkdirSync('build/lessons', { recursive: true }); });
after(async () => { await browser?.close(); await server?.close(); });

const LN2 = Math.log(2), LN3 = Math.log(3);
const byLabel = (s, text) => s.runs.find((r) => r.label.includes(text));
/** The median train loss of a run's snapshots between steps lo and hi (one spike does not decide). */
function medianLoss(run, lo, hi) {
  const v = run.curve.trainLoss.filter((_, i) => run.curve.x[i] >= lo && run.curve.x[i] <= hi).sort((a, b) => a - b);
  assert.ok(v.length, `snapshots between steps ${lo} and ${hi}`);
  return v[Math.floor(v.length / 2)];
}
const hidden = (run) => run.layers.slice(0, -1);
const raceOf = (s, name) => s.race.paths.find((p) => p.name === name);

/** Per lesson: the steps to train and the claim of its text, as assertions on the page's summary. */
const CLAIMS = {
  'zero-init': [700, (s) => {
    const zeros = byLabel(s, 'zeros'), xavier = byLabel(s, 'xavier');
    assert.ok(Math.abs(zeros.trainLoss - LN2) < 0.02, `zeros stays at ln 2: ${zeros.trainLoss}`);
    assert.ok(hidden(zeros).every((l) => l.gradientNorm === 0 && l.activationStd === 0), 'no gradient reaches the hidden weights');
    assert.ok(xavier.trainLoss < 0.3, `xavier learns: ${xavier.trainLoss}`);
  }],
  'small-init': [700, (s) => {
    const run = s.runs[0], std = hidden(run).map((l) => l.activationStd);
    assert.ok(run.trainLoss > LN3 - 0.02, `loss sits at ln 3: ${run.trainLoss}`);
    assert.ok(std[2] < std[0] / 50, `activations shrink with depth: ${std}`);
  }],
  'large-init': [500, (s) => {
    const run = s.runs[0];
    assert.ok(run.firstLoss > 3, `the first loss is huge: ${run.firstLoss}`);
    assert.ok(Math.max(...hidden(run).map((l) => l.saturated)) > 0.4, 'more than 40% saturated in some layer');
    assert.ok(run.trainLoss < 0.5, `it still fits: ${run.trainLoss}`);
  }],
  xavier: [700, (s) => {
    const run = s.runs[0], std = hidden(run).map((l) => l.activationStd);
    assert.ok(run.trainLoss < 0.5, `learns: ${run.trainLoss}`);
    assert.ok(Math.min(...std) > Math.max(...std) / 4, `std roughly flat over depth: ${std}`);
  }],
  'he-relu': [700, (s) => {
    const xavier = byLabel(s, 'xavier'), he = byLabel(s, 'he-normal');
    const [h, x] = [medianLoss(he, 200, 400), medianLoss(xavier, 200, 400)];
    assert.ok(h < x - 0.5, `he trains sooner: median loss over steps 200-400 ${h} vs ${x}`);
  }],
  'batch-norm': [700, (s) => {
    const plain = s.runs[0], bn = s.runs[1];
    assert.ok(plain.trainLoss > LN3 - 0.02, `plain stuck at ln 3: ${plain.trainLoss}`);
    assert.ok(bn.trainLoss < 0.5, `batch norm learns: ${bn.trainLoss}`);
  }],
  saddle: [0, (s) => {
    const sgd = raceOf(s, 'sgd'), momentum = raceOf(s, 'momentum');
    assert.ok(momentum.loss[100] < sgd.loss[100] - 0.5, `momentum leaves the saddle sooner: ${momentum.loss[100]} vs ${sgd.loss[100]}`);
  }],
  ravine: [0, (s) => {
    const sgd = raceOf(s, 'sgd'), momentum = raceOf(s, 'momentum');
    assert.ok(momentum.last < sgd.last / 10, `momentum reaches the bottom sooner: ${momentum.last} vs ${sgd.last}`);
  }],
  adam: [700, (s) => {
    const sgd = byLabel(s, 'sgd'), momentum = byLabel(s, 'momentum'), adam = byLabel(s, 'adam');
    assert.ok(adam.trainLoss < momentum.trainLoss && momentum.trainLoss < sgd.trainLoss, `adam < momentum < sgd: ${adam.trainLoss} ${momentum.trainLoss} ${sgd.trainLoss}`);
  }],
  'lr-decay': [1500, (s) => {
    const constant = byLabel(s, 'constant'), cosine = byLabel(s, 'cosine'), sgdr = byLabel(s, 'sgdr');
    assert.ok(cosine.trainLoss < constant.trainLoss, `cosine settles lower: ${cosine.trainLoss} vs ${constant.trainLoss}`);
    const lr = sgdr.learningRates;
    assert.ok(lr.some((v, i) => i > 0 && v > lr[i - 1] * 2), 'SGDR restarts: its rate jumps back up');
    assert.ok(constant.learningRates.every((v) => v === 0.5));
  }],
  'l1-l2': [700, (s) => {
    const l1 = byLabel(s, 'l1'), l2 = byLabel(s, 'l2');
    assert.ok(l1.layers[1].nearZero > l2.layers[1].nearZero + 0.3, `L1 makes weights exactly small: ${l1.layers[1].nearZero} vs ${l2.layers[1].nearZero}`);
  }],
  dropout: [700, (s) => {
    const plain = s.runs[0], dropout = s.runs[1];
    const gap = (r) => r.testLoss - r.trainLoss;
    assert.ok(gap(plain) > 0.5, `without dropout it overfits: gap ${gap(plain)}`);
    assert.ok(gap(dropout) < gap(plain), `dropout narrows the gap: ${gap(dropout)} vs ${gap(plain)}`);
  }],
  'conv-bn': [200, (s) => {
    const plain = s.runs[0], bn = s.runs[1];
    assert.ok(Math.abs(plain.trainLoss - Math.log(10)) < 0.05, `plain stays at ln 10: ${plain.trainLoss}`);
    assert.equal(new Set(plain.predictions).size, 1, `the plain run names one digit for every test image: ${plain.predictions}`);
    assert.ok(bn.testAccuracy > 0.95, `with spatial batch norm nearly every test image is right: ${bn.testAccuracy}`);
    assert.deepEqual(bn.layers.map((l) => l.runningCount), [8, 0, 16, 0, 0, 0], 'one running mean per feature map');
    assert.ok(plain.layers.every((l) => l.runningCount === 0));
  }],
  overfitting: [600, (s) => {
    const run = s.runs[0];
    assert.ok(run.trainLoss < 0.05, `train loss heads to zero: ${run.trainLoss}`);
    assert.ok(run.testLoss > 1.5 * run.minTestLoss, `test loss turned and rose: ${run.testLoss} vs min ${run.minTestLoss}`);
  }],
};

async function nonBlank(page, selector) {
  return page.evaluate((sel) => [...document.querySelectorAll(sel)].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245)) n++;
    return n / (c.width * c.height);
  }), selector);
}

describe('lessons', () => {
  it('every lesson has a check', () => assert.deepEqual(Object.keys(CLAIMS).sort(), LESSONS.map((l) => l.name).sort()));

  for (const lesson of LESSONS) {
    it(`${lesson.name}: ${lesson.title}`, async () => {
      const [steps, claim] = CLAIMS[lesson.name];
      const page = await openPage(browser, `${server.url}?lesson=${lesson.name}`);
      assert.equal(await page.locator('#lesson-title').textContent(), lesson.title);
      assert.equal(await page.inputValue('#lesson'), lesson.name);
      if (steps === 0) {
        await page.waitForFunction(() => window.gradlabPage?.summary().race?.paths.length > 0);
        await page.waitForTimeout(4200);   // the animation
        assert.ok((await nonBlank(page, '#contour'))[0] > 0.7, 'contours drawn (inside the axes\' margins)');
      } else {
        await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null));
        await page.keyboard.press('Space');
        await page.waitForFunction((n) => window.gradlabPage.summary().runs.every((r) => r.step >= n), steps, { timeout: 40000 });
        const compare = (await page.evaluate(() => window.gradlabPage.summary().mode)) === 'compare';
        const fills = await nonBlank(page, compare ? '#multiples canvas:not([hidden])' : '#boundary, #diagram, #histograms, #health');
        assert.ok(fills.every((f) => f > 0.005), `canvases drawn: ${fills}`);
      }
      const s = await page.evaluate(() => window.gradlabPage.summary());
      await page.screenshot({ path: `build/lessons/${lesson.name}.png` });
      claim(s);
      assert.equal(s.nanInCharts, false);
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }
});
