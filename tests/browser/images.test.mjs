// The image data sets on the page in headless Chromium: choosing digits switches the network to a
// small convnet, training lifts the test accuracy far above chance, and the sample grid, the
// first layer's filters and an example's feature maps are drawn and follow clicks. Screenshots land
// in build/images/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { launch, openPage, painted, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); mkdirSync('build/images', { recursive: true }); });
after(async () => { await browser?.close(); await server?.close(); });

const summary = (page) => page.evaluate(() => window.gradlabPage.summary());
const built = (page) => page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null));

describe('image data sets on the page', () => {
  it('digits: a convnet by default, accuracy far above chance, samples, filters and feature maps drawn and clickable', async () => {
    const page = await openPage(browser, server.url);
    await built(page);
    await page.selectOption('#in-data', 'digits');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0]?.image && window.gradlabPage.summary().runs[0].firstLoss != null);
    assert.ok(page.url().includes('data=digits&layers=c8_relu,pmax,c16_relu,pmax,flat'), page.url());
    assert.deepEqual((await summary(page)).runs[0].layerTypes, ['conv', 'pool', 'conv', 'pool', 'flatten', 'dense']);
    assert.equal(await page.locator('#layers-editor .layer').count(), 5);
    assert.ok(await page.locator('#samples').isVisible());
    assert.ok(!(await page.locator('#boundary').isVisible()), 'the decision boundary makes no sense for images');
    const first = (await summary(page)).runs[0];
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step >= 150, null, { timeout: 40000 });
    await page.getByRole('button', { name: /Pause/ }).click();
    const s = (await summary(page)).runs[0];
    assert.ok(first.testAccuracy < 0.3, `starts near chance (10%): ${first.testAccuracy}`);
    assert.ok(s.testAccuracy > 0.8, `test accuracy after ${s.step} steps: ${s.testAccuracy}`);
    assert.ok(s.trainLoss < 0.5 * s.firstLoss);
    for (const id of ['#samples', '#filters', '#maps']) assert.ok(await painted(page, id) > 0.05, `${id} drawn`);
    assert.equal(s.predictions.length, 30);
    // a click on the seventh image (row 2, column 2 of the 5-wide grid) shows its feature maps
    const box = await page.locator('#samples').boundingBox();
    await page.locator('#samples').click({ position: { x: (1.5 * box.width) / 5, y: (1.5 * box.height) / 6 } });
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].example === 6);
    assert.equal(await page.inputValue('#example'), '7');
    await page.fill('#example', '3');
    await page.locator('#example').dispatchEvent('change');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].example === 2);
    await page.screenshot({ path: 'build/images/digits.png', fullPage: true });
    assert.equal((await summary(page)).nanInCharts, false);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the URL round-trips a conv network: a copied address replays the same run', async () => {
    const query = '?data=shapes&samples=200&size=16&layers=c4_k5_s2_valid_relu_bn,pavg,flat,32_tanh&seed=7';
    const losses = [];
    for (let copy = 0; copy < 2; ++copy) {
      const page = await openPage(browser, server.url + query);
      await built(page);
      assert.equal(await page.inputValue('#layers-editor .layer:nth-of-type(1) input'), '4');
      assert.equal(await page.inputValue('#layers-editor [aria-label="Layer 1 kernel"]'), '5');
      assert.equal(await page.inputValue('#layers-editor [aria-label="Layer 1 padding"]'), 'valid');
      assert.equal(await page.inputValue('#layers-editor [aria-label="Layer 2 pooling"]'), 'average');
      for (let i = 0; i < 15; ++i) await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step === 15);
      const s = await summary(page);
      assert.equal(s.url, query);
      assert.deepEqual(s.runs[0].layerTypes, ['conv', 'pool', 'flatten', 'dense', 'dense']);
      losses.push(s.runs[0].trainLoss);
      assert.deepEqual(page.errors, []);
      await page.close();
    }
    assert.equal(losses[0], losses[1]);
  });

  it('the layer editor adds conv and pool layers where they belong and refuses layers the image cannot take', async () => {
    const page = await openPage(browser, `${server.url}?data=digits&size=8&layers=c4_relu,flat`);
    await built(page);
    await page.getByRole('button', { name: 'Add pool' }).click();
    await page.waitForFunction(() => location.search.includes('layers=c4_relu,pmax,flat'));
    await page.getByRole('button', { name: 'Add conv' }).click();
    await page.waitForFunction(() => location.search.includes('layers=c4_relu,pmax,c4_relu,flat'));
    await page.getByRole('button', { name: 'Add pool' }).click();   // 8 -> 4 -> 2
    await page.waitForFunction(() => location.search.includes('layers=c4_relu,pmax,c4_relu,pmax,flat'));
    await page.getByRole('button', { name: 'Add pool' }).click();   // 2 -> 1: still fits
    await page.getByRole('button', { name: 'Add pool' }).click();   // 1 -> 0: refused
    await page.waitForFunction(() => !document.getElementById('layers-problem').hidden);
    assert.match(await page.locator('#layers-problem').textContent(), /Not changed: layer 6 \(pmax\) leaves nothing of a 8×8 image/);
    assert.ok(page.url().includes('layers=c4_relu,pmax,c4_relu,pmax,pmax,flat'));
    // switching to points brings back a dense network, and the conv buttons go away
    await page.selectOption('#in-data', 'moons');
    await page.waitForFunction(() => !location.search.includes('layers='));
    assert.ok(!(await page.getByRole('button', { name: 'Add conv' }).isVisible()));
    assert.ok(await page.locator('#boundary').isVisible());
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('compare mode shows each run\'s sample grid and filters as small multiples', async () => {
    const page = await openPage(browser, `${server.url}?mode=compare&data=digits&layers=c8_relu,pmax,c16_relu,pmax,flat&runs=opt:sgd~opt:adam!lr:0.003`);
    await built(page);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.gradlabPage.summary().runs.every((r) => r.step >= 60), null, { timeout: 40000 });
    await page.keyboard.press('Space');
    await page.waitForTimeout(300);
    const s = await summary(page);
    assert.equal(s.workers, 2);
    assert.ok(s.runs.every((r) => r.testAccuracy > 0.3), s.runs.map((r) => r.testAccuracy).join(' '));
    for (let i = 1; i <= 2; ++i) {
      const canvases = page.locator(`#multiples figure:nth-child(${i}) canvas`);
      assert.equal(await canvases.count(), 3);
      for (let c = 0; c < 3; ++c) assert.ok(await painted(page, `#multiples figure:nth-child(${i}) canvas:nth-of-type(${c + 1})`) > 0.05, `card ${i} canvas ${c + 1}`);
    }
    await page.screenshot({ path: 'build/images/compare.png', fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
