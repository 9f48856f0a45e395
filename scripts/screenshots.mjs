// screenshots.mjs: takes the README's pictures of the page in headless Chromium at 1440x900:
// docs/screenshot.png (the spiral, trained a while) and docs/screenshot-images.png (the digits
// convnet). Run: node scripts/screenshots.mjs (after the wasm build).
import { launch, serve } from '../tests/browser/browser.mjs';

const server = await serve(), browser = await launch();
const trained = (page, steps) => page.waitForFunction((n) => window.gradlabPage.summary().runs.every((r) => r.step >= n), steps, { timeout: 60000 });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${server.url}?data=spiral`);
  await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null);
  await page.locator('#play').click();
  await trained(page, 800);
  await page.locator('#play').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshot.png' });

  await page.getByRole('button', { name: 'Data set: digits' }).click();
  await page.waitForFunction(() => window.gradlabPage.summary().runs[0]?.layerTypes.includes('conv') && window.gradlabPage.summary().runs[0].firstLoss != null);
  await page.locator('#play').click();
  await trained(page, 200);
  await page.locator('#play').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshot-images.png' });
} finally {
  await browser.close();
  await server.close();
}
