// bench/page.mjs: how the page behaves under load in headless Chromium (not a test; prints figures).
//   node bench/page.mjs [seconds=8]
// For one run and for four compare runs of the s32 network (2-32-32-2, batch 64, moons) it reports
// the main thread's long tasks (> 50 ms, from PerformanceObserver), the display frames the main
// thread managed, and steps per second per run, at the page's default speed and at full speed.
import { launch, serve } from '../tests/browser/browser.mjs';

const seconds = Number(process.argv[2] ?? 8);
const S32 = 'data=moons&layers=32_relu,32_relu&batch=64&opt=momentum&lr=0.05';
const CASES = [
  ['1 run, 300 steps/s', `?${S32}&speed=300`],
  ['4 runs, 300 steps/s', `?${S32}&speed=300&mode=compare&runs=seed:1~seed:2~seed:3~seed:4`],
  ['1 run, 5000 steps/s', `?${S32}&speed=5000`],
  ['4 runs, 5000 steps/s', `?${S32}&speed=5000&mode=compare&runs=seed:1~seed:2~seed:3~seed:4`],
];

const server = await serve();
const browser = await launch();
console.log(`headless Chromium ${browser.version()}, ${seconds} s per case, s32 network (2-32-32-2, batch 64)`);
console.log('case                 | long tasks | longest ms | frames/s | steps/s per run');
for (const [name, query] of CASES) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.addInitScript(() => {
    window.benchLong = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.benchLong.push(e.duration); })
      .observe({ type: 'longtask', buffered: true });
    window.benchFrames = 0;
    const count = () => { window.benchFrames++; requestAnimationFrame(count); };
    requestAnimationFrame(count);
  });
  await page.goto(server.url + query);
  await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null), null, { timeout: 30000 });
  await page.keyboard.press('Space');
  await page.waitForTimeout(1000);   // warm up
  const start = await page.evaluate(() => {
    window.benchLong.length = 0;
    return { t: performance.now(), frames: window.benchFrames, steps: window.gradlabPage.summary().runs.map((r) => r.step) };
  });
  await page.waitForTimeout(seconds * 1000);
  const end = await page.evaluate(() => ({ t: performance.now(), frames: window.benchFrames, long: window.benchLong.slice(),
    steps: window.gradlabPage.summary().runs.map((r) => r.step) }));
  const dt = (end.t - start.t) / 1000;
  const rates = end.steps.map((s, i) => Math.round((s - start.steps[i]) / dt));
  const longest = end.long.length ? Math.max(...end.long).toFixed(0) : '-';
  console.log(`${name.padEnd(20)} | ${String(end.long.length).padStart(10)} | ${String(longest).padStart(10)} | ${((end.frames - start.frames) / dt).toFixed(0).padStart(8)} | ${rates.join(', ')}`);
  await page.close();
}
await browser.close();
await server.close();
