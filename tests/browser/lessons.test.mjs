// Every lesson in headless Chromium, opened by its URL and stepped through its whole run from the
// keyboard (→ steps every run, so compare runs stay at the same step; the page sends the presses of
// one task as one step command, never past a moment), read through
// the page's test hook window.gradlabPage.summary() every 10 steps and at each moment, and held
// against the claims and moments the lesson writes beside its text (web/app/lessons.js, the same ones
// tests/js/cli-lesson.test.mjs checks with the CLI runner for five seeds). The page uses fewer seeds
// (GRADLAB_LESSON_SEEDS, default seed 1), each over the whole run. Screenshots land in build/lessons/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { LESSONS, checkLesson, instrumentView, lessonView } from '../../web/app/lessons.js';
import { launch, openPage, serve } from './browser.mjs';

const SEEDS = (process.env.GRADLAB_LESSON_SEEDS ?? '1').split(',').map(Number);
const EVERY = 10;

let browser, server;
before(async () => { server = await serve(); browser = await launch(); mkdirSync('build/lessons', { recursive: true }); });
after(async () => { await browser?.close(); await server?.close(); });

const summary = (page) => page.evaluate(() => window.gradlabPage.summary());

/**
 * In the page, one call for the whole list: presses → up to each stop in turn (one step of every run
 * per press, so compare runs stay at the same step), waits until every run reports that step, and
 * keeps the page's summary there. The runs' whole curves (curve, learningRates) are left out of what
 * comes back, as the views build their history from the stops; the learning rate at the stop is kept.
 * Stepping in the page spares a round trip to the browser at each stop (most of this file's time).
 */
function stepThrough(page, stops) {
  return page.evaluate(async (list) => {
    const hook = window.gradlabPage, kept = [];
    const press = () => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    let pressed = Math.min(...hook.steps());
    for (const stop of list) {
      for (; pressed < stop; ++pressed) press();
      const deadline = performance.now() + 60000;
      while (!hook.steps().every((step) => step === stop)) {
        if (performance.now() > deadline) throw new Error(`runs at steps ${hook.steps()}, not at stop ${stop}, after 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const s = hook.summary();
      kept.push({ ...s, runs: s.runs.map(({ curve, learningRates, ...r }) => ({ ...r, learningRate: learningRates.at(-1) })) });
    }
    return kept;
  }, stops);
}

/** A training lesson's recorded step from the page's summary, with the history recorded so far. */
function trainView(s, step, earlier) {
  return lessonView(step, {
    runs: s.runs.map((r, i) => {
      const first = earlier[0]?.runs[i];
      const history = { step: [], trainLoss: [], testLoss: [], testAccuracy: [], learningRate: [] };
      for (const v of [...earlier.map((e) => e.runs[i]), r]) {
        history.step.push(v.step); history.trainLoss.push(v.trainLoss); history.testLoss.push(v.testLoss);
        history.testAccuracy.push(v.testAccuracy); history.learningRate.push(v.learningRate);
      }
      return {
        label: r.label, step: r.step, trainLoss: r.trainLoss, testLoss: r.testLoss, trainAccuracy: r.trainAccuracy, testAccuracy: r.testAccuracy,
        learningRate: r.learningRate, firstLoss: r.firstLoss, firstTestLoss: first ? first.testLoss : r.testLoss, minTestLoss: r.minTestLoss,
        layers: r.layers, predictions: r.predictions, history,
        // what the run's worker measured (sharpness, landscapes, the range test), as the CLI runner records it
        ...instrumentView(r.instruments, step),
      };
    }),
  });
}

/** What the page lets the learner see of a training lesson: every EVERY steps and each moment, to the end step. */
async function playTraining(page, lesson) {
  await page.waitForFunction(() => window.gradlabPage?.summary().runs.length > 0 && window.gradlabPage.summary().runs.every((r) => r.firstLoss != null && r.step === 0));
  const stops = [...new Set([...lesson.moments.map((m) => m.step), ...Array.from({ length: Math.ceil(lesson.steps / EVERY) }, (_, i) => Math.min(lesson.steps, (i + 1) * EVERY))])]
    .filter((s) => s > 0).sort((a, b) => a - b);
  const views = [];
  for (const [i, s] of (await stepThrough(page, [0, ...stops])).entries()) views.push(trainView(s, i ? stops[i - 1] : 0, views));
  return views;
}

/** A race lesson: the page computes each path in one go; every step of it, losses and points. */
async function playRace(page, lesson) {
  await page.waitForFunction(() => window.gradlabPage?.summary().race?.paths.length > 0);
  const { race } = await summary(page);
  for (const p of race.paths) assert.equal(p.loss.length, lesson.steps + 1, `${p.name}: the whole race`);
  return Array.from({ length: lesson.steps + 1 }, (_, step) => lessonView(step, {
    paths: race.paths.map((p) => ({
      name: p.name, loss: p.loss[step], losses: p.loss.slice(0, step + 1),
      x: p.x[step], y: p.y[step], xs: p.x.slice(0, step + 1), ys: p.y.slice(0, step + 1),
    })),
  }));
}

/** Share of pixels of each matching canvas that are neither transparent nor white. */
async function nonBlank(page, selector) {
  return page.evaluate((sel) => [...document.querySelectorAll(sel)].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245)) n++;
    return n / (c.width * c.height);
  }), selector);
}

/** nonBlank, read again every 50 ms until every canvas is over `share` or 5 s have passed (the page draws at its next frames). */
async function drawn(page, selector, share) {
  const until = Date.now() + 5000;
  for (;;) {
    const fills = await nonBlank(page, selector);
    if ((fills.length && fills.every((f) => f > share)) || Date.now() > until) return fills;
    await page.waitForTimeout(50);
  }
}

describe('lessons', () => {
  for (const lesson of LESSONS) {
    for (const seed of SEEDS) {
      it(`${lesson.name} (seed ${seed}): ${lesson.title}`, async () => {
        // autoplay=0: the test steps the lesson itself (a lesson link otherwise starts by itself)
        const page = await openPage(browser, `${server.url}?lesson=${lesson.name}&seed=${seed}&autoplay=0`);
        assert.equal(await page.locator('#lesson-title').textContent(), lesson.title);
        assert.equal(await page.locator('#lesson-body').textContent(), lesson.text);
        assert.equal(await page.inputValue('#lesson'), lesson.name);
        const race = (await page.evaluate(() => window.gradlabPage?.summary().mode)) === 'race';
        const views = race ? await playRace(page, lesson) : await playTraining(page, lesson);
        for (const m of lesson.moments) {
          const shown = await page.evaluate((id) => document.getElementById(id)?.getClientRects().length ?? -1, m.panel);
          assert.ok(shown > 0, `moment at step ${m.step}: panel #${m.panel} is shown in this mode`);
        }
        const failures = checkLesson(lesson, views);
        assert.deepEqual(failures, [], failures.slice(0, 8).join('\n'));
        if (race) {
          const fills = await drawn(page, '#contour', 0.7);
          assert.ok(fills[0] > 0.7, `contours drawn (inside the axes' margins): ${fills}`);
        } else {
          const fills = await drawn(page, views[0].runs.length > 1 ? '#multiples canvas:not([hidden])' : '#boundary, #diagram, #histograms, #health', 0.005);
          assert.ok(fills.length && fills.every((f) => f > 0.005), `canvases drawn: ${fills}`);
        }
        const s = await summary(page);
        if (seed === SEEDS[0]) await page.screenshot({ path: `build/lessons/${lesson.name}.png` });
        assert.equal(s.nanInCharts, false);
        assert.deepEqual(page.errors, []);
        await page.close();
      });
    }
  }
});
