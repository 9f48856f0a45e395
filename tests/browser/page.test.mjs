// The page in headless Chromium: controls, keyboard, URL round trips, hostile addresses, compare
// mode with four workers, divergence, the scalar build and the narrow layout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lessonNamed } from '../../web/app/lessons.js';
import { SPEED_MAX } from '../../web/app/pace.js';
import { launch, openPage, painted, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const summary = (page) => page.evaluate(() => window.gradlabPage.summary());
const statusText = (page) => page.locator('#status').textContent();

async function waitSteps(page, steps, timeout = 30000) {
  await page.waitForFunction((n) => {
    const s = window.gradlabPage?.summary();
    return s && s.runs.length && s.runs.every((r) => r.step >= n || r.status !== 'ok');
  }, steps, { timeout });
}

describe('the page', () => {
  it('trains from the Play button: loss falls, every view is drawn, the console stays clean', async () => {
    const page = await openPage(browser, server.url);
    await page.waitForFunction(() => document.getElementById('build').textContent.includes('SIMD'));
    await page.getByRole('button', { name: /Play/ }).click();
    await waitSteps(page, 600);
    const s = await summary(page);
    assert.ok(s.runs[0].trainLoss < 0.7 * s.runs[0].firstLoss, `loss ${s.runs[0].trainLoss} fell from ${s.runs[0].firstLoss}`);
    assert.match(await statusText(page), /step \d+ · loss train [\d.]+ · test [\d.]+/);
    assert.ok(await painted(page, '#boundary', { plot: true }) > 0.9, 'boundary');
    for (const id of ['#diagram', '#histograms', '#health', '#schedule-preview']) assert.ok(await painted(page, id) > 0.005, id);
    assert.ok(await page.locator('#loss-chart canvas').count() === 1);
    await page.getByRole('button', { name: /Pause/ }).click();
    // hovering the first unit of the first hidden layer previews its output over the input plane
    await page.locator('#diagram').hover({ position: { x: 16 + (240 - 32) / 3, y: (290 - 12) / 48 } });
    await page.waitForFunction(() => !document.getElementById('unit-preview').hidden);
    assert.ok(await painted(page, '#unit-preview') > 0.5, 'unit preview painted');
    assert.equal(s.nanInCharts, false);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('while training, the big step readout, the status line and the scrubber always show the same step', async () => {
    const page = await openPage(browser, `${server.url}?speed=${SPEED_MAX}`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    await page.getByRole('button', { name: /Play/ }).click();
    await waitSteps(page, 50);
    // read in every frame for 3 s: the two numbers are drawn in one task of a redraw, from the same snapshot
    const seen = await page.evaluate(() => new Promise((done) => {
      const pairs = [], until = performance.now() + 3000;
      const look = () => {
        const readout = Number(document.getElementById('readout-step').textContent);
        const status = Number(/^step (\d+)/.exec(document.getElementById('status').textContent)?.[1]);
        const scrubber = Number(/^live · step (\d+)$/.exec(document.getElementById('scrub-readout').textContent)?.[1]);
        pairs.push([readout, status, scrubber]);
        if (performance.now() < until) requestAnimationFrame(look); else done(pairs);
      };
      requestAnimationFrame(look);
    }));
    const differ = seen.filter(([a, b, c]) => a !== b || a !== c);
    assert.ok(seen.length > 20 && new Set(seen.map(([a]) => a)).size > 5, `frames read while training: ${seen.length}`);
    assert.deepEqual(differ.slice(0, 5), [], `${differ.length} of ${seen.length} frames showed two steps`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('keyboard: the right arrow takes one step, space plays and pauses', async () => {
    const page = await openPage(browser, server.url);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step === 1);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step > 50);
    assert.equal((await summary(page)).playing, true);
    await page.keyboard.press('Space');
    assert.equal((await summary(page)).playing, false);
    assert.ok(await page.getByRole('button', { name: /Play/ }).isVisible());
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the URL holds the whole state: a copied address replays the same run to the same loss', async () => {
    const page = await openPage(browser, server.url);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    await page.selectOption('#in-opt', 'adam');
    await page.fill('#in-lr', '0.02');
    await page.locator('#in-lr').dispatchEvent('change');
    await page.getByRole('button', { name: 'Add layer' }).click();
    await page.selectOption('#in-data', 'moons');
    await page.getByText('More data settings').click();   // the seed is one of the folded fields
    await page.fill('#in-seed', '42');
    await page.locator('#in-seed').dispatchEvent('change');
    const url = page.url();
    for (const part of ['opt=adam', 'lr=0.02', 'layers=32_relu,32_relu,32_relu', 'data=moons', 'seed=42']) assert.ok(url.includes(part), `${part} in ${url}`);
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0]?.firstLoss != null);
    await page.evaluate(() => document.activeElement.blur());
    for (let i = 0; i < 25; ++i) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step === 25);
    const first = await summary(page);

    const copy = await openPage(browser, url);
    await copy.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    assert.equal(await copy.inputValue('#in-opt'), 'adam');
    assert.equal(await copy.inputValue('#in-lr'), '0.02');
    assert.equal(await copy.locator('#layers-editor .layer').count(), 3);
    for (let i = 0; i < 25; ++i) await copy.keyboard.press('ArrowRight');
    await copy.waitForFunction(() => window.gradlabPage.summary().runs[0].step === 25);
    const second = await summary(copy);
    assert.equal(second.runs[0].trainLoss, first.runs[0].trainLoss, 'same seed, same batches, same loss');
    assert.equal(second.url, first.url);
    assert.deepEqual([...page.errors, ...copy.errors], []);
    await page.close(); await copy.close();
  });

  it('a malformed address falls back to defaults, says so, injects nothing and still trains', async () => {
    const hostile = '?lr=1e999&seed=-5&layers=<script>window.hacked=1</script>&data=javascript:alert(1)'
      + '&__proto__[polluted]=1&constructor[prototype][polluted]=1&<img src=x onerror=window.hacked=2>=1'
      + '&runs=__proto__:1~x&mode=compare&lesson=%3Cb%3Enope&speed=NaN&' + 'junk=1&'.repeat(400);
    const page = await openPage(browser, server.url + hostile);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    const notes = page.locator('#notes');
    assert.ok(await notes.isVisible());
    const text = await notes.textContent();
    for (const word of ['lr', 'seed', 'layers', 'data', 'only the first']) assert.ok(text.includes(word), `note about ${word}`);
    const injected = await page.evaluate(() => ({
      hacked: window.hacked, polluted: ({}).polluted, scripts: document.scripts.length, images: document.images.length,
      bold: document.querySelectorAll('#notes b').length,
    }));
    assert.deepEqual(injected, { hacked: undefined, polluted: undefined, scripts: 1, images: 0, bold: 0 });
    const s = await summary(page);
    assert.equal(s.mode, 'compare');
    assert.equal(s.workers, 3, 'compare mode without valid runs compares three initialisations');
    await page.keyboard.press('Space');
    await waitSteps(page, 100);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('compare mode trains four configurations in four workers, side by side', async () => {
    const page = await openPage(browser, `${server.url}?mode=compare&data=moons&batch=64&runs=opt:sgd~opt:momentum~opt:adam!lr:0.01~opt:rmsprop!lr:0.01`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null));
    await page.getByRole('button', { name: /Play/ }).click();
    await waitSteps(page, 300);
    const s = await summary(page);
    assert.equal(s.workers, 4);
    assert.equal(s.runs.length, 4);
    assert.ok(s.runs.every((r) => r.status === 'ok' && r.step >= 300));
    assert.equal(new Set(s.runs.map((r) => r.firstLoss)).size, 1, 'same data, seed and initial weights: the same first loss');
    assert.equal(await page.locator('#multiples figure').count(), 4);
    for (let i = 1; i <= 4; ++i) assert.ok(await painted(page, `#multiples figure:nth-child(${i}) canvas`, { plot: true }) > 0.9);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('a diverging run stops, names the step, hints at the learning rate, and keeps NaN out of the charts', async () => {
    const page = await openPage(browser, `${server.url}?data=plane&opt=momentum&lr=5`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].status === 'diverged');
    // the status line is drawn at the next redraw (main.js TRAINING_REDRAW_MS), not when the snapshot arrives
    await page.waitForFunction(() => /Diverged/.test(document.getElementById('status').textContent));
    const text = await statusText(page);
    assert.match(text, /Diverged at step \d+/);
    assert.match(text, /Lower the learning rate \(now 5\)/);
    const s = await summary(page);
    assert.equal(s.playing, false);
    assert.equal(s.nanInCharts, false);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('runs on the scalar build and says so', async () => {
    const page = await openPage(browser, `${server.url}?build=scalar`);
    await page.waitForFunction(() => /Scalar/.test(document.getElementById('build').textContent));
    await page.keyboard.press('Space');
    await waitSteps(page, 100);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the optimiser race draws paths and moves its start to a click', async () => {
    const page = await openPage(browser, `${server.url}?mode=race&surface=bowl`);
    await page.waitForFunction(() => window.gradlabPage?.summary().race?.paths.length === 3);
    await page.waitForTimeout(500);
    assert.ok(await painted(page, '#contour', { plot: true }) > 0.9);
    await page.locator('#contour').click({ position: { x: 100, y: 100 } });
    // the new start's paths, not only the address: under load the worker may still be computing them
    await page.waitForFunction(() => /raceX=/.test(location.search) && window.gradlabPage.summary().race?.paths.length === 3);
    const s = await summary(page);
    assert.ok(s.race.paths.every((p) => p.last < p.first), 'every optimiser goes downhill on the bowl');
    // each optimiser may take a learning rate of its own
    const sgd = s.race.paths.find((p) => p.name === 'sgd').loss;
    await page.fill('#racer-lr-sgd', '0.001');
    await page.locator('#racer-lr-sgd').dispatchEvent('change');
    await page.waitForFunction(() => location.search.includes('racers=sgd@0.001~momentum~adam'));
    await page.waitForFunction((first) => {
      const p = window.gradlabPage.summary().race?.paths.find((q) => q.name === 'sgd');
      return p && p.loss[5] !== first;
    }, sgd[5]);
    const slow = (await summary(page)).race.paths.find((p) => p.name === 'sgd').loss;
    // on the quadratic bowl one SGD step at rate r lowers a*x^2/2 by a*x^2/2 * r*a*(2 - r*a) (a = 1 and 25), so a tenth
    // of the rate gives between 1/8 and 1/10 of the first drop
    const ratio = (sgd[0] - sgd[1]) / (slow[0] - slow[1]);
    assert.ok(ratio > 7.5 && ratio < 10.5, `first-step drop at lr 0.01 over lr 0.001: ${ratio}`);
    assert.match(await page.locator('#race-chart').textContent(), /sgd \(lr 0\.001\)/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('?lesson=saddle&racers=sgd~adam@0.02 races each optimiser at its own rate, labelled so', async () => {
    const page = await openPage(browser, `${server.url}?lesson=saddle&racers=sgd~adam@0.02&speed=200`);
    await page.waitForFunction(() => window.gradlabPage?.summary().race?.paths.length === 2);
    const s = await summary(page);
    assert.equal(s.mode, 'race');
    assert.deepEqual(s.race.paths.map((p) => [p.name, p.learningRate]), [['sgd', 0.01], ['adam', 0.02]]);
    assert.deepEqual(s.race.legend, ['sgd (lr 0.01)', 'adam (lr 0.02)']);
    assert.match(await page.locator('#race-chart').textContent(), /adam \(lr 0\.02\)/);
    assert.equal(await page.locator('#notes').isHidden(), true, 'the address was read without a note');
    assert.equal(await page.locator('#racer-adam').isChecked(), true);
    assert.equal(await page.inputValue('#racer-lr-adam'), '0.02');
    assert.equal(await page.locator('#racer-momentum').isChecked(), false);
    const adam = s.race.paths[1].loss;
    for (const m of lessonNamed('saddle').moments) {   // the lesson stops at its moments: go on past each
      await page.waitForFunction((n) => window.gradlabPage.summary().moment?.step === n, m.step);
      await page.getByRole('button', { name: 'Play to go on' }).click();
    }
    await page.waitForFunction((steps) => window.gradlabPage.summary().race.upto === steps, adam.length - 1);
    assert.ok(await painted(page, '#contour', { plot: true }) > 0.9);
    assert.ok(adam.at(-1) < s.race.paths[0].loss.at(-1), 'adam at 0.02 leaves the saddle further than sgd at 0.01');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('compare runs may change several settings each; the cards switch their histograms', async () => {
    const page = await openPage(browser, `${server.url}?mode=compare&data=moons&runs=opt:adam!lr:0.01~opt:sgd`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null));
    assert.equal(await page.locator('#runs-editor .run-block:nth-child(1) .run-settings .run').count(), 2);
    await page.getByRole('button', { name: 'Add a setting to run 2' }).click();
    await page.waitForFunction(() => location.search.includes('runs=opt:adam!lr:0.01~opt:sgd!init:he-normal'));
    await page.selectOption('[aria-label="Run 2 setting 2"]', 'batch');
    await page.fill('[aria-label="Run 2 value 2"]', '8');
    await page.locator('[aria-label="Run 2 value 2"]').dispatchEvent('change');
    await page.waitForFunction(() => location.search.includes('~opt:sgd!batch:8'));
    const s = await summary(page);
    assert.deepEqual(s.runs.map((r) => r.label), ['opt adam, lr 0.01', 'opt sgd, batch 8']);
    await page.keyboard.press('Space');
    await waitSteps(page, 50);
    for (const kind of ['activations', 'gradients']) {
      await page.selectOption('#cards-hist-kind', kind);
      await page.waitForTimeout(150);
      assert.ok(await painted(page, '#multiples figure:nth-child(2) canvas:nth-of-type(3)') > 0.02, `${kind} histograms`);
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('batch-norm running statistics are drawn per unit; the speed slider reaches the largest speed the URL allows', async () => {
    const page = await openPage(browser, `${server.url}?layers=16_relu_bn,8_tanh_bn&speed=${SPEED_MAX}`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    assert.equal(await page.inputValue('#speed'), await page.getAttribute('#speed', 'max'));
    assert.equal(await page.locator('#speed-value').textContent(), `${SPEED_MAX} steps/s`);
    await page.keyboard.press('Space');
    await waitSteps(page, 300);
    assert.ok(await page.locator('#bn-chart').isVisible());
    assert.ok(await painted(page, '#bn-chart') > 0.02);
    assert.deepEqual((await summary(page)).runs[0].layers.map((l) => l.runningCount), [16, 8, 0]);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('regenerating the data keeps the network seed and puts the data seed in the address', async () => {
    const page = await openPage(browser, server.url);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
    const before = (await summary(page)).runs[0].firstLoss;
    await page.getByRole('button', { name: /Regenerate/ }).click();
    await page.waitForFunction((b) => /dataSeed=\d+/.test(location.search) && window.gradlabPage.summary().runs[0]?.firstLoss != null
      && window.gradlabPage.summary().runs[0].firstLoss !== b, before);
    assert.ok(!/[?&]seed=/.test(page.url()), 'the network seed is unchanged');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('runs under a strict Content-Security-Policy: no inline script or style, no eval', async () => {
    const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self'; img-src 'self'";
    const strict = await serve({ headers: { 'Content-Security-Policy': csp } });
    try {
      for (const query of ['', '?lesson=l1-l2', '?lesson=ravine']) {
        const page = await openPage(browser, strict.url + query);
        await page.waitForFunction(() => {
          const s = window.gradlabPage?.summary();
          return s && (s.race ? s.race.paths.length > 0 : s.runs.every((r) => r.firstLoss != null));
        });
        await page.keyboard.press('Space');
        await page.waitForTimeout(700);
        assert.deepEqual(page.errors, [], `no CSP violations on '${query}'`);
        await page.close();
      }
    } finally {
      await strict.close();
    }
  });

  it('on a narrow screen puts Play above the views and the settings below them, each the full width', async () => {
    const page = await browser.newPage({ viewport: { width: 480, height: 900 } });
    await page.goto(server.url);
    // main.js builds its views a task after the modules have run (and the load event may come between),
    // and the charts after the first frames: the layout is read once they are all there, in one go
    await page.waitForFunction(() => window.gradlabPage && document.querySelectorAll('.uplot').length >= 6, null, { timeout: 30000 });
    // .views and .controls are only wrappers on a phone
    const [play, views, settings] = await page.evaluate(() => ['.primary', '.train-views', '#fs-data'].map((s) => {
      const r = document.querySelector(s).getBoundingClientRect();
      return { y: r.top + scrollY, height: r.height, width: r.width };
    }));
    assert.ok(play.y + play.height <= views.y + 1 && views.y + views.height <= settings.y + 1, 'Play, then the views, then the settings');
    assert.ok(settings.width > 440, `the settings span the width (${settings.width})`);
    await page.screenshot({ path: 'build/screenshot-narrow.png' });
    await page.close();
  });

  it('shows the layer settings of the default network whole, on a tablet, a laptop and a wide screen', async () => {
    for (const width of [768, 1024, 1440, 1920]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(server.url);
      await page.waitForFunction(() => document.querySelectorAll('#layers-editor select').length >= 8);
      // each select's chosen text, in the select's own font, beside the room the select gives it
      // (its width less its padding and the arrow's 20 px)
      const clipped = await page.evaluate(() => {
        const ctx = document.createElement('canvas').getContext('2d');
        return [...document.querySelectorAll('#layers-editor select')].flatMap((sel) => {
          const st = getComputedStyle(sel);
          ctx.font = `${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
          const text = sel.selectedOptions[0].textContent, need = ctx.measureText(text).width;
          const room = sel.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight) - 20;
          return need > room ? [`${sel.getAttribute('aria-label')}: "${text}" needs ${need.toFixed(0)} px, has ${room.toFixed(0)}`] : [];
        });
      });
      assert.deepEqual(clipped, [], `at ${width} px`);
      await page.close();
    }
  });
});
