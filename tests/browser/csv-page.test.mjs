// Your own data on the page, in headless Debian Chromium: every CSV problem gets its message in the
// "Your data" box (naming the row and column) while the current run goes on; a good file shows a
// preview (rows, counts, split, a scatter for two inputs) and trains exactly as the API does on the
// same rows; wider data hides the boundary view; a run on your rows saves and reopens bit for bit.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { CSV_LIMITS, parseDataCsv } from '../../web/lib/csv.js';
import { runConfig } from '../../web/app/config.js';
import { parseState } from '../../web/app/state.js';
import { launch, openPage, painted, serve, stepByHand as steps } from './browser.mjs';
import { rng } from '../js/rng.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const summary = (page) => page.evaluate(() => window.gradlabPage.summary());

async function fresh(query = '?seed=2&layers=6_tanh&batch=0') {
  const page = await openPage(browser, `${server.url}${query}`);
  await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
  return page;
}


/** Pastes text into the box and waits for it to be read (a message or a summary). */
async function paste(page, text) {
  if (await page.isHidden('#csv-box')) await page.click('#own-data');
  await page.evaluate((t) => {
    document.querySelector('#csv-message').textContent = document.querySelector('#csv-summary').textContent = '';
    const area = document.querySelector('#csv-text');
    area.value = t;
    area.dispatchEvent(new Event('input'));
  }, text);
  await page.waitForFunction(() => document.querySelector('#csv-message').textContent || document.querySelector('#csv-summary').textContent);
}

/** Gives text to the box as a chosen file. */
async function choose(page, text) {
  await page.evaluate(() => { document.querySelector('#csv-message').textContent = document.querySelector('#csv-summary').textContent = ''; });
  await page.setInputFiles('#csv-file', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.waitForFunction(() => document.querySelector('#csv-message').textContent || document.querySelector('#csv-summary').textContent);
}

/** Two noisy classes on two inputs, with a header and class names. */
function twoInputs(rows, seed = 1) {
  const r = rng(seed);
  const lines = ['a,b,kind'];
  for (let i = 0; i < rows; ++i) {
    const k = i % 2;
    lines.push(`${(k ? 1 : -1) * 0.8 + (r() - 0.5)},${(r() - 0.5) * 2},${k ? 'dog' : 'cat'}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('CSV problems on the page', () => {
  const WIDE = Array.from({ length: CSV_LIMITS.columns + 1 }, (_, i) => i).join(',');
  const CASES = [
    ['a ragged row', 'x1,x2,label\n1,2,0\n3,4\n5,6,1\n', /row 3 has 2 columns; row 1 has 3/],
    ['a cell that is not a number', '1,2,0\n3,abc,1\n', /row 2, column 2 \('x2'\): 'abc' is not a number/],
    ['an empty input cell', 'p,q,y\n1,2,0\n,4,1\n', /row 3, column 1 \('p'\) is empty; every input must be a number/],
    ['an empty label', '1,2,0\n3,4,\n', /row 2, column 3 \('label'\) is empty; every row needs a label/],
    ['an unclosed quote', '1,2,0\n"3,4,1\n', /row 2: a quoted cell is not closed/],
    ['a single class', 'x,y,kind\n1,2,a\n3,4,a\n', /column 3 \('kind'\) has only the label 'a'; a classification needs at least 2 classes/],
    ['a regression target that is not a number', 'x,y,t\n1,2,0.5\n3,4,big\n', /row 3, column 3 \('t'\): 'big' is not a number; a regression target must be one/, 'regression'],
    ['too many columns', `${WIDE}\n`, new RegExp(`row 1 has ${CSV_LIMITS.columns + 1} columns; the limit is ${CSV_LIMITS.columns} \\(${CSV_LIMITS.columns - 1} inputs and a label\\)`)],
    ['too many rows', '0,1\n'.repeat(CSV_LIMITS.rows + 1), new RegExp(`row ${CSV_LIMITS.rows + 1} is one row too many; the limit is ${CSV_LIMITS.rows} data rows`)],
    ['only one column', '1\n2\n', /row 1 has 1 column; a data set needs at least one input column and a label column/],
  ];

  it('each gets its message naming the row and column; the run on the page goes on', async () => {
    const page = await fresh();
    await steps(page, 2);
    const before = await summary(page);
    await page.click('#own-data');
    assert.match(await page.locator('#csv-box .hint').innerText(), new RegExp(`Up to ${CSV_LIMITS.rows} rows, ${CSV_LIMITS.columns - 1} inputs`), 'the limits are stated');
    for (const [what, text, pattern, task] of CASES) {
      await page.selectOption('#csv-task', task ?? 'auto');
      await (text.length > 100000 ? choose(page, text) : paste(page, text));
      const said = await page.locator('#csv-message').innerText();
      assert.match(said, pattern, what);
      assert.match(said, text.length > 100000 ? /^big\.csv: CSV: / : /^the pasted text: CSV: /, what);
      assert.ok(await page.isDisabled('#csv-use'), `${what}: nothing to train on`);
      const now = await summary(page);
      assert.deepEqual([now.url, now.runs[0].step, now.runs[0].status], [before.url, 2, 'ok'], what);
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('your own rows on the page', () => {
  it('two inputs: a preview with counts, split and scatter, then training equal to the API on the same rows', async () => {
    const page = await fresh();
    const text = twoInputs(80);
    await paste(page, text);
    assert.match(await page.locator('#csv-summary').innerText(),
      /^80 rows, 2 inputs, label column 'kind': 2 classes\. Split: about 64 train and 16 test rows \(test share 0\.2/);
    assert.equal(await page.locator('#csv-preview tbody tr').count(), 5);
    assert.deepEqual(await page.locator('#csv-preview th').allInnerTexts(), ['a', 'b', 'kind']);
    assert.equal(await page.locator('#csv-preview tbody tr:first-child td:last-child').innerText(), 'cat');
    assert.ok(await painted(page, '#csv-scatter') > 0.005, 'the scatter shows the points');
    await page.click('#csv-use');
    await page.waitForFunction(() => /data=csv/.test(window.gradlabPage.summary().url) && window.gradlabPage.summary().runs[0].firstLoss != null);
    assert.ok(await page.isVisible('.boundary-panel'), 'two inputs: the boundary view');
    const losses = await steps(page, 3);
    // the API on the same rows and settings
    const parsed = parseDataCsv(text);
    const state = parseState((await summary(page)).url, parsed.dataset).state;
    const config = runConfig(state);
    const lab = await loadGradlab();
    const data = lab.dataset(config.dataset.options);
    const net = lab.network(config.network).setOptimizer(config.optimizer);
    for (let i = 0; i < 3; ++i) {
      net.train(data, { steps: 1, batchSize: config.batchSize });
      const want = net.evaluate(data, 'train').loss;
      assert.ok(Object.is(losses[i], want), `step ${i + 1}: page ${losses[i]}, API ${want}`);
    }
    assert.ok(await painted(page, '#boundary', { plot: true }) > 0.5, 'the boundary is drawn over the rows');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('five inputs and a target: no boundary view, the other views train; saved and reopened it continues bit for bit', async () => {
    const r = rng(4);
    const lines = [];
    for (let i = 0; i < 60; ++i) {
      const x = Array.from({ length: 5 }, () => r() * 2 - 1);
      lines.push([...x, x[0] - 0.5 * x[3] + 0.1 * r()].join(','));
    }
    const page = await fresh('?seed=2&layers=6_tanh&batch=8');
    await paste(page, lines.join('\n'));
    assert.match(await page.locator('#csv-summary').innerText(), /^60 rows, 5 inputs, label column 'label': regression\..*the boundary view is hidden/);
    assert.ok(await page.isHidden('#csv-scatter'));
    await page.click('#csv-use');
    await page.waitForFunction(() => /data=csv/.test(window.gradlabPage.summary().url) && window.gradlabPage.summary().runs[0].firstLoss != null);
    await steps(page, 2);
    assert.ok(await page.isHidden('.boundary-panel'), 'no input plane for five inputs');
    assert.ok(await painted(page, '#health') > 0, 'the other views draw');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-run')]);
    const saved = await readFile(await download.path());
    const straight = await steps(page, 3);

    const other = await fresh('');
    await other.setInputFiles('#open-run-file', { name: 'mine.zip', mimeType: 'application/zip', buffer: saved });
    await other.waitForFunction(() => /data=csv/.test(window.gradlabPage.summary().url) && window.gradlabPage.summary().runs[0].step === 2);
    assert.match(await other.locator('#file-message').innerText(), /Opened the saved run at step 2/);
    assert.ok(await other.isHidden('.boundary-panel'));
    const continued = await steps(other, 3);
    continued.forEach((l, i) => assert.ok(Object.is(l, straight[i]), `step ${i + 3}: reopened ${l}, uninterrupted ${straight[i]}`));
    assert.deepEqual([...page.errors, ...other.errors], []);
    await other.close();
    await page.close();
  });

  it('an address with data=csv alone says the rows must be given again', async () => {
    const page = await fresh('?data=csv&seed=2');
    assert.match(await page.locator('#notes').innerText(), /data 'csv' means your own rows, which an address cannot hold/);
    assert.equal((await summary(page)).runs[0].status, 'ok');
    await page.close();
  });
});
