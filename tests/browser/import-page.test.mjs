// Opening saved runs on the page, in headless Debian Chromium: a run saved at step k and opened
// through the file picker, by dropping it, or as ?run=<url> continues so that its next steps equal
// those of the run that was never interrupted, bit for bit (losses, and the whole training state
// when both are saved again). Files from another version, with a wrong shape, damaged or edited are
// refused with a message saying what does not match, and the run on the page goes on untouched.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { encodeNpy } from '../../web/lib/npy.js';
import { unzipRun, zipRun } from '../../web/lib/runzip.js';
import { launch, openPage, serve, stepByHand as steps } from './browser.mjs';

const QUERY = '?seed=5&batch=16&samples=150&layers=12_relu_bn_d0.2,8_tanh&opt=adam&lr=0.02';
const SAVED_AT = 6, MORE = 3;
let browser, server;
let saved;          // the zip saved at step SAVED_AT
let straight;       // { losses: train losses at steps SAVED_AT+1.., state: state.bin at SAVED_AT+MORE } of the run never interrupted

before(async () => {
  server = await serve();
  browser = await launch();
  const page = await fresh(QUERY);
  await steps(page, SAVED_AT);
  saved = await save(page);
  straight = { losses: await steps(page, MORE), files: await unzipRun(await save(page)) };
  assert.deepEqual(page.errors, []);
  await page.close();
});
after(async () => { await browser?.close(); await server?.close(); });

async function fresh(query) {
  const page = await openPage(browser, `${server.url}${query}`);
  await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null && !document.querySelector('#save-run').disabled);
  return page;
}

const summary = (page) => page.evaluate(() => window.gradlabPage.summary());


async function save(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-run')]);
  return new Uint8Array(await readFile(await download.path()));
}

const message = (page) => page.locator('#file-message').innerText();

/** Opens bytes through the file picker and waits for the page's answer. */
async function pick(page, bytes, name = 'run.zip') {
  await page.evaluate(() => { document.querySelector('#file-message').textContent = ''; });
  await page.setInputFiles('#open-run-file', { name, mimeType: 'application/zip', buffer: Buffer.from(bytes) });
  await page.waitForFunction(() => /^(?!Checking)./.test(document.querySelector('#file-message').textContent));
  return message(page);
}

/** Checks the continued run on `page` against the uninterrupted one. */
async function assertContinues(page) {
  assert.equal((await summary(page)).runs[0].step, SAVED_AT);
  const losses = await steps(page, MORE);
  losses.forEach((l, i) => assert.ok(Object.is(l, straight.losses[i]), `step ${SAVED_AT + i + 1}: ${l} after loading, ${straight.losses[i]} uninterrupted`));
  const files = await unzipRun(await save(page));
  assert.deepEqual(files['state.bin'], straight.files['state.bin'], 'the whole training state is the same bytes');
  assert.deepEqual(files['weights.json'], straight.files['weights.json']);
}

describe('opening a saved run on the page', () => {
  it('through the file picker: settings restored, the next steps are bit for bit those of the uninterrupted run', async () => {
    const page = await fresh('?data=moons&layers=4_relu');
    await steps(page, 2);
    assert.match(await pick(page, saved), new RegExp(`Opened the saved run at step ${SAVED_AT}`));
    await page.waitForFunction((k) => window.gradlabPage.summary().runs[0].step === k, SAVED_AT);
    const s = await summary(page);
    assert.match(s.url, /layers=12_relu_bn_d0\.2,8_tanh/);
    assert.match(s.url, /opt=adam/);
    assert.equal(await page.inputValue('#in-opt'), 'adam', 'the controls show the saved settings');
    await assertContinues(page);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('by dropping the zip on the page', async () => {
    const page = await fresh('');
    await page.evaluate((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'dropped.zip', { type: 'application/zip' }));
      document.querySelector('.views').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, [...saved]);
    await page.waitForFunction((k) => window.gradlabPage.summary().runs[0].step === k, SAVED_AT);
    await assertContinues(page);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('as ?run=<address of a served file>', async () => {
    const page = await browser.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    await page.route('**/runs/saved.zip', (route) => route.fulfill({ status: 200, contentType: 'application/zip', body: Buffer.from(saved) }));
    await page.goto(`${server.url}?run=runs/saved.zip`);
    await page.waitForFunction((k) => window.gradlabPage?.summary().runs[0]?.step === k && /Opened/.test(document.querySelector('#file-message').textContent), SAVED_AT);
    assert.doesNotMatch((await summary(page)).url, /run=/, 'the address becomes the run\'s settings');
    await assertContinues(page);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('after opening a saved run', () => {
  const resetLabel = (page) => page.evaluate(() => ({ label: document.querySelector('#reset').getAttribute('aria-label'), title: document.querySelector('#reset').title }));

  it('Reset goes back to the opened run as saved (weights, step and settings), until a change of settings builds another network', async () => {
    const page = await fresh('?data=moons&layers=4_relu');
    const usual = await resetLabel(page);
    assert.match(await pick(page, saved), /Reset comes back here/);
    await page.waitForFunction((k) => window.gradlabPage.summary().runs[0].step === k, SAVED_AT);
    const held = await resetLabel(page);
    assert.equal(held.label, `Reset: back to the opened run at step ${SAVED_AT}`);
    assert.match(held.title, new RegExp(`^Back to the opened run: run\\.zip at step ${SAVED_AT}, as saved`));
    // train on, with a live change of the rate (the opened run is still the network on the page)
    await steps(page, 2);
    await page.fill('#in-lr', '0.5');
    await page.press('#in-lr', 'Enter');
    await page.waitForFunction(() => window.gradlabPage.summary().url.includes('lr=0.5'));
    await steps(page, 2);
    assert.equal((await resetLabel(page)).label, held.label, 'a live change keeps the opened run');

    await page.click('#reset');
    await page.waitForFunction((k) => /^Back at the opened run/.test(document.querySelector('#file-message').textContent)
      && window.gradlabPage.summary().runs[0].step === k, SAVED_AT);
    const s = await summary(page);
    assert.equal(s.playing, false);
    assert.match(s.url, /lr=0\.02/, 'the saved settings are back');
    assert.equal(await page.inputValue('#in-lr'), '0.02');
    await assertContinues(page);   // and it goes on bit for bit as the run that was never saved
    // a second Reset returns there again
    await page.click('#reset');
    await page.waitForFunction((k) => window.gradlabPage.summary().runs[0].step === k, SAVED_AT);

    // another network: the opened run is left behind, and Reset is the usual one again (step 0)
    await page.selectOption('#in-opt', 'momentum');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step === 0 && window.gradlabPage.summary().url.includes('opt=momentum'));
    assert.deepEqual(await resetLabel(page), usual);
    await steps(page, 2);
    await page.click('#reset');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step === 0);
    assert.match((await summary(page)).url, /opt=momentum/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('opened in the optimiser race (picked, or as ?run=), the page switches to Train and continues it', async () => {
    const raceReady = (page) => page.waitForFunction(() => window.gradlabPage?.summary().race?.paths.length > 0);
    const opened = (page) => page.waitForFunction((k) => /^Opened the saved run/.test(document.querySelector('#file-message').textContent)
      && window.gradlabPage.summary().mode === 'train' && window.gradlabPage.summary().runs[0]?.step === k, SAVED_AT, { timeout: 30000 });

    const page = await openPage(browser, `${server.url}?mode=race&raceSteps=40`);
    await raceReady(page);
    assert.match(await pick(page, saved), /^run\.zip: a saved run continues a training run, so the page left the optimiser race for Train/);
    await opened(page);
    assert.equal(await page.getAttribute('.modes button[data-mode="train"]', 'aria-pressed'), 'true');
    await assertContinues(page);
    assert.deepEqual(page.errors, []);
    await page.close();

    const linked = await browser.newPage();
    linked.errors = [];
    linked.on('pageerror', (e) => linked.errors.push(String(e)));
    await linked.route('**/runs/saved.zip', (route) => route.fulfill({ status: 200, contentType: 'application/zip', body: Buffer.from(saved) }));
    await linked.goto(`${server.url}?mode=race&run=runs/saved.zip`);
    await opened(linked);
    await assertContinues(linked);
    assert.deepEqual(linked.errors, []);
    await linked.close();
  });
});

/** The saved files with one changed, zipped again. */
async function edited(change) {
  const files = await unzipRun(saved);
  change(files);
  return zipRun(files);
}
const text = (s) => new TextEncoder().encode(s);
const manifestOf = (files) => JSON.parse(new TextDecoder().decode(files['run.json']));

describe('refusing what does not fit, the current run intact', () => {
  let page, before;
  const REFUSED = [
    ['another format version', () => edited((f) => { f['run.json'] = text(JSON.stringify({ ...manifestOf(f), version: 2 })); }),
      /saved in run format version 2; this gradlab reads version 1/],
    ['a tensor of the wrong shape', () => edited((f) => { f['weights/layer0.weights.npy'] = encodeNpy(new Float32Array(6), [2, 3]); }),
      /weights\/layer0\.weights\.npy has shape \(2,3\) but layer 0's weights has 24 values/],
    ['a truncated training state', () => edited((f) => { f['state.bin'] = f['state.bin'].slice(0, 100); }), /state\.bin: the run state says it has \d+ bytes but 100 were given/],
    ['a damaged zip', async () => { const z = saved.slice(); z.fill(7, 30, 400); return z; }, /cannot be loaded: the zip is damaged/],
    ['not a zip at all', async () => text('x1,x2,label\n'), /^run\.zip is not a saved run/, 'run.zip'],
    ['settings that describe another network', () => edited((f) => {
      const m = manifestOf(f);
      f['run.json'] = text(JSON.stringify({ ...m, settings: { ...m.settings, query: m.settings.query.replace('8_tanh', '9_tanh') } }));
    }), /describe another network than the one saved in run\.json/],
    ['a run saved by the CLI', () => edited((f) => { f['run.json'] = text(JSON.stringify({ ...manifestOf(f), settings: { command: 'gradlab train' } })); }),
      /made by gradlab train, not by the page/],
    ['a run of another data set spec', () => edited((f) => {
      const m = manifestOf(f);
      f['run.json'] = text(JSON.stringify({ ...m, data: { ...m.data, options: { ...m.data.options, samples: 151 } } }));
    }), /the saved batch order covers 120 training rows; this data set has 121/],
  ];

  it('each bad file gets its message; the run on the page keeps its step, settings and training', async () => {
    page = await fresh('?data=moons&layers=5_tanh&seed=9');
    await steps(page, 3);
    before = await summary(page);
    for (const [what, make, pattern, name] of REFUSED) {
      const said = await pick(page, await make(), name);
      assert.match(said, pattern, what);
      assert.match(said, /The current run goes on|not a saved run/, what);
      assert.ok(await page.locator('#file-message.bad').isVisible(), `${what}: the message is shown as a problem`);
      const now = await summary(page);
      assert.equal(now.url, before.url, `${what}: the settings stay`);
      assert.equal(now.runs[0].step, 3, `${what}: the step stays`);
      assert.equal(now.runs[0].status, 'ok', what);
    }
    // and the run still trains on: its next step is the one it would have taken anyway
    const [next] = await steps(page, 1);
    const check = await fresh('?data=moons&layers=5_tanh&seed=9');
    const want = (await steps(check, 4))[3];
    assert.ok(Object.is(next, want), `step 4 after the refusals ${next}, without them ${want}`);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(check.errors, []);
    await check.close();
    await page.close();
  });
});
