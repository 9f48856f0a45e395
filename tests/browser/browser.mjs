// browser.mjs: Debian's Chromium driven by playwright-core, and the page served on 127.0.0.1.
import { chromium } from 'playwright-core';
import { createServer, listen } from '../../scripts/serve.mjs';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS, // playwright gives every launch a fresh temporary profile
  });
}

export async function serve(options) {
  const server = createServer(options);
  const url = await listen(server, 0);
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A page that records console errors and uncaught exceptions into page.errors. */
export async function openPage(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(url);
  return page;
}

/**
 * Share of pixels of a canvas that are not transparent and not white; with `{ plot: true }` only
 * those inside the box its axes frame (draw.js plotBox), for the canvases drawn with axes.
 */
export function painted(page, selector, { plot = false } = {}) {
  return page.evaluate(async ([sel, inside]) => {
    const c = document.querySelector(sel);
    const box = inside ? (await import('./app/draw.js')).plotBox(c) : { left: 0, top: 0, width: c.width, height: c.height };
    const d = c.getContext('2d').getImageData(box.left, box.top, box.width, box.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245)) n++;
    return n / (box.width * box.height);
  }, [selector, plot]);
}

/** Presses the page's Step button n times, each time waiting for run 0's next step; the train loss after each. */
export async function stepByHand(page, n) {
  const losses = [];
  const summary = () => page.evaluate(() => window.gradlabPage.summary());
  for (let i = 0; i < n; ++i) {
    const at = (await summary()).runs[0].step;
    await page.click('#step');
    await page.waitForFunction((k) => window.gradlabPage.summary().runs[0].step === k, at + 1);
    losses.push((await summary()).runs[0].trainLoss);
  }
  return losses;
}
