// The page's downloads in headless Debian Chromium, taken through its menus as a user would: the
// curves and layer statistics equal the API's numbers for the same settings, a panel's PNG is a
// picture of it, a chart's SVG parses, the saved run's zip holds its files and its .npy weights load
// in Debian's numpy, and "Export as PyTorch" gives the script net.toPyTorch writes in Node.
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { unzipRun } from '../../web/lib/runzip.js';
import { curvesFromCsv, fromCsv } from '../../web/lib/tables.js';
import { runConfig } from '../../web/app/config.js';
import { parseState, serializeState } from '../../web/app/state.js';
import { torchSkip, python } from '../js/torch-python.mjs';
import { launch, openPage, serve } from './browser.mjs';

const QUERY = '?seed=3&batch=16&samples=120&layers=8_tanh,6_relu';
const STEPS = 4;
let browser, server, page;

before(async () => {
  server = await serve();
  browser = await launch();
  page = await openPage(browser, `${server.url}${QUERY}`);
  await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null && !document.querySelector('#save-run').disabled);
  for (let i = 0; i < STEPS; ++i) {
    await page.click('#step');
    await page.waitForFunction((k) => window.gradlabPage.summary().runs[0].step === k, i + 1);
  }
});
after(async () => { await browser?.close(); await server?.close(); });

/** Opens a panel's menu and takes the download of the item named `label`: { name, bytes }. */
async function fromMenu(panel, label) {
  await page.click(`${panel} .panel-menu summary`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${panel} .panel-menu-list button:text-is("${label}")`)]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

async function fromButton(id) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

/** The same settings trained in Node on the page's build, step by step: the API's numbers. */
async function apiRun() {
  const config = runConfig(parseState(QUERY).state);
  const lab = await loadGradlab();   // the SIMD build, as the page's worker runs here
  const data = lab.dataset(config.dataset.name, config.dataset.options);
  const net = lab.network(config.network).setOptimizer(config.optimizer);
  const points = [];
  const point = () => {
    const tr = net.evaluate(data, 'train'), te = net.evaluate(data, 'test');
    points.push({ step: net.step, loss: tr.loss, accuracy: tr.accuracy, learningRate: net.learningRate, testLoss: te.loss, testAccuracy: te.accuracy });
  };
  point();
  for (let i = 0; i < STEPS; ++i) { net.train(data, { steps: 1, batchSize: config.batchSize }); point(); }
  return { lab, data, net, config, points };
}

describe('downloads of the page', () => {
  it('the curves CSV and JSON equal the API\'s numbers at every step', async () => {
    const csv = await fromMenu('.curves-panel', 'Curves CSV');
    assert.equal(csv.name, 'curves.csv');
    const json = JSON.parse((await fromMenu('.curves-panel', 'Curves JSON')).bytes.toString());
    const { points } = await apiRun();
    const got = curvesFromCsv(csv.bytes.toString());
    assert.equal(got.length, STEPS + 1);
    for (const [i, p] of points.entries()) {
      for (const key of Object.keys(p)) {
        assert.ok(Object.is(got[i][key], p[key]), `step ${p.step} ${key}: CSV ${got[i][key]}, API ${p[key]}`);
        assert.ok(Object.is(json[i][key], p[key]), `step ${p.step} ${key}: JSON ${json[i][key]}, API ${p[key]}`);
      }
    }
  });

  it('the layer statistics CSV and JSON equal net.layerStats() after the same inference pass', async () => {
    const csv = fromCsv((await fromMenu('.health-panel', 'Layer statistics CSV')).bytes.toString());
    const json = JSON.parse((await fromMenu('.depth-panel', 'Layer statistics JSON')).bytes.toString());
    const { net, data } = await apiRun();
    const train = data.rows('train'), rows = Math.min(256, train.count);
    net.forward(train.x.slice(0, rows * net.inputs), rows);
    const stats = net.layerStats();
    assert.equal(csv.length, stats.length);
    assert.equal(json.step, STEPS);
    stats.forEach((s, l) => {
      assert.equal(csv[l].layer, l);
      for (const t of ['weights', 'biases', 'activations', 'gradients']) {
        for (const m of ['mean', 'std', 'min', 'max']) {
          const want = Number.isFinite(s[t][m]) ? s[t][m] : null;
          assert.ok(Object.is(csv[l][`${t}_${m}`], want), `layer ${l} ${t} ${m}: CSV ${csv[l][`${t}_${m}`]}, API ${want}`);
          assert.ok(Object.is(json.layers[l][t][m], want), `layer ${l} ${t} ${m}: JSON`);
        }
      }
      assert.ok(Object.is(csv[l].gradient_norm, s.gradientNorm) && Object.is(csv[l].dead, s.dead));
    });
  });

  it('a panel\'s PNG is a non-empty picture of it, and a chart\'s SVG parses with one line per series', async () => {
    const png = await fromMenu('.boundary-panel', 'PNG picture');
    assert.match(png.name, /\.png$/);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature');
    const look = await page.evaluate(async (bytes) => {
      const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
      const c = new OffscreenCanvas(bitmap.width, bitmap.height), ctx = c.getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) inked++;
      const canvas = document.querySelector('#boundary');
      return { width: bitmap.width, height: bitmap.height, inked: inked / (c.width * c.height), canvas: [canvas.width, canvas.height] };
    }, [...png.bytes]);
    assert.deepEqual([look.width, look.height], look.canvas, 'the boundary canvas at its size');
    assert.ok(look.inked > 0.3, `the picture is drawn (${look.inked} of its pixels are not white)`);

    const svg = await fromMenu('.curves-panel', 'SVG: Loss');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName, titles: [...doc.querySelectorAll('polyline title')].map((t) => t.textContent) };
    }, svg.bytes.toString());
    assert.equal(parsed.error, null);
    assert.equal(parsed.root, 'svg');
    assert.deepEqual(parsed.titles, ['train loss', 'test loss', 'batch loss']);
  });

  it('Save run gives one zip with settings, state, weights as .npy and JSON, curves and statistics; numpy loads the .npy', async (t) => {
    const zip = await fromButton('#save-run');
    assert.equal(zip.name, `gradlab-spiral-step${STEPS}.zip`);
    const files = await unzipRun(new Uint8Array(zip.bytes));
    for (const f of ['run.json', 'state.bin', 'weights.json', 'curves.csv', 'curves.json', 'stats.csv', 'stats.json', 'weights/layer0.weights.npy', 'weights/layer2.biases.npy']) {
      assert.ok(files[f]?.length > 0, `${f} is in the zip`);
    }
    const manifest = JSON.parse(new TextDecoder().decode(files['run.json']));
    assert.equal(manifest.step, STEPS);
    assert.equal(manifest.settings.query, serializeState(parseState(QUERY).state), 'the settings are the address');
    const { net, points } = await apiRun();
    assert.deepEqual(curvesFromCsv(new TextDecoder().decode(files['curves.csv'])).map((p) => p.loss), points.map((p) => p.loss));
    const weights = JSON.parse(new TextDecoder().decode(files['weights.json']));
    const w0 = weights.tensors.find((x) => x.layer === 0 && x.tensor === 'weights');
    assert.deepEqual(w0.shape, [2, 8]);
    assert.deepEqual(w0.values, Array.from(net.weights(0)), 'the saved weights are those of the API run at the same step');
    const skip = torchSkip('export-page numpy check');
    if (skip) { t.skip(skip); return; }
    const dir = await mkdtemp(join(tmpdir(), 'gradlab-export-'));
    await writeFile(join(dir, 'run.zip'), zip.bytes);
    const out = JSON.parse(python(['-c', `import numpy as np, json, sys
z = np.load(sys.argv[1])
print(json.dumps({k: {'shape': list(z[k].shape), 'values': z[k].astype(float).ravel().tolist()} for k in z.files if k.startswith('weights/')}))`, join(dir, 'run.zip')]));
    for (const tensor of weights.tensors) {
      const got = out[`weights/layer${tensor.layer}.${tensor.tensor}`];
      assert.deepEqual(got.shape, tensor.shape, `${tensor.layer} ${tensor.tensor}`);
      assert.deepEqual(got.values, tensor.values, `${tensor.layer} ${tensor.tensor} values`);
    }
  });

  it('Export as PyTorch gives the script net.toPyTorch writes for the run from its first step', async () => {
    const script = await fromButton('#export-pytorch');
    assert.match(script.name, new RegExp(`${STEPS}steps\\.py$`));
    const config = runConfig(parseState(QUERY).state);
    const lab = await loadGradlab();
    const data = lab.dataset(config.dataset.name, config.dataset.options);
    const net = lab.network(config.network).setOptimizer(config.optimizer);
    assert.equal(script.bytes.toString(), net.toPyTorch(data, { steps: STEPS, batchSize: config.batchSize }));
    assert.match(script.bytes.toString(), /nn\.Linear\(2, 8\)/);
  });

  it('every panel\'s downloads are named after what it shows (its heading or its kind), each name once', async () => {
    const names = await page.$$eval('.views figure.panel .panel-menu summary', (all) => all.map((s) => s.getAttribute('aria-label')));
    assert.ok(names.length >= 10, `panels with a menu: ${names.length}`);
    for (const n of names) assert.doesNotMatch(n, /\(panel-\d+\)/, 'a panel named by its position');
    assert.equal(new Set(names).size, names.length, `names given twice: ${names}`);
    assert.ok(names.includes('Download this panel (gradient-norm)') && names.includes('Download this panel (update-ratio)'), names.join(' | '));
  });

  it('the menus open and close with the keyboard, and no page error came up', async () => {
    await page.focus('.curves-panel .panel-menu summary');
    await page.keyboard.press('Enter');
    assert.ok(await page.isVisible('.curves-panel .panel-menu-list'));
    // the items are listed (and focused) by the details element's toggle event, which comes a task later
    await page.waitForFunction(() => document.activeElement?.textContent === 'PNG picture', null, { timeout: 5000 }).catch(() => {});
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'PNG picture', 'focus moves into the menu');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'SVG: Loss', 'the arrow keys move through it');
    await page.keyboard.press('Escape');
    assert.ok(!(await page.isVisible('.curves-panel .panel-menu-list')));
    await page.focus('.curves-panel .panel-menu summary');
    await page.keyboard.press(' ');
    assert.ok(await page.isVisible('.curves-panel .panel-menu-list'), 'Space opens it too (and does not play)');
    assert.equal((await page.evaluate(() => window.gradlabPage.summary())).playing, false);
    assert.deepEqual(page.errors, []);
  });
});
