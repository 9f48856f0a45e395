// The page in headless Chromium: it loads the SIMD build, trains when Play is pressed, the loss
// falls, the boundary is drawn, and the console stays clean.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { launch, openPage, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

it('trains the spiral from the Play button and draws the loss and the boundary', async () => {
  const page = await openPage(browser, server.url);
  await page.waitForFunction(() => document.getElementById('build').textContent.includes('SIMD'));
  await page.getByRole('button', { name: /Play/ }).click();
  await page.waitForFunction(() => /step (\d{3,})/.test(document.getElementById('status').textContent), null, { timeout: 20000 });
  const status = await page.locator('#status').textContent();
  const loss = Number(status.match(/loss ([\d.]+)/)[1]);
  assert.ok(loss < 1.0, `loss ${loss} fell below ln 3 = 1.0986`);
  const painted = await page.evaluate(() => {
    const c = document.getElementById('boundary');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let colored = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) colored++;
    return colored / (c.width * c.height);
  });
  assert.ok(painted > 0.9, `boundary canvas painted: ${painted}`);
  await page.screenshot({ path: 'build/screenshot-page.png' });
  assert.deepEqual(page.errors, []);
});
