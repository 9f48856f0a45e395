// The layer editor's bias choice (issue 17): 'no bias' writes _nb into the address, the run trains
// a network without those biases, and a layer with batch norm first says it has none anyway.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, openPage, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

describe('the layer editor', () => {
  it('turns a layer\'s bias off through the address and back, and trains', async () => {
    const page = await openPage(browser, `${server.url}?data=circle&layers=8_tanh,6_relu_bn`);
    const first = page.getByLabel('Layer 1 bias'), second = page.getByLabel('Layer 2 bias');
    assert.equal(await first.inputValue(), '');
    assert.equal(await second.locator('option:checked').textContent(), 'no bias (BN)');
    await first.selectOption('off');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('layers') === '8_tanh_nb,6_relu_bn');
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction(() => (window.gradlabPage?.summary().runs[0]?.step ?? 0) >= 50);
    await page.getByRole('button', { name: /Pause/ }).click();
    assert.equal((await page.evaluate(() => window.gradlabPage.summary())).runs[0].status, 'ok');
    await page.getByLabel('Layer 1 bias').selectOption('');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('layers') === '8_tanh,6_relu_bn');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
