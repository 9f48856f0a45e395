// bench/soak.mjs: a long session in headless Chromium, to show nothing grows without bound.
//   node bench/soak.mjs [--minutes 30] [--every 30]      (--minutes 0.5 for a short run)
// Two tabs for the whole time: the page with four compare runs at the highest speed (5000 steps a
// second), and the course page (examples/course-page.html) with its three autoplay embeds. Every
// `--every` seconds it samples, per tab: the main thread's JS heap after a garbage collection (CDP
// HeapProfiler.collectGarbage, then Runtime.getHeapUsage), each
// worker's JS heap and wasm memory (CDP, attached to the worker targets), the DOM's element count (shadow roots
// included) and, on the page, each run's curve points and steps. It prints the start, the peak and
// the end of each figure; `soak()` returns them for tests/browser/soak.test.mjs.
import { pathToFileURL } from 'node:url';
import { launch, serve } from '../tests/browser/browser.mjs';

export const PAGE_QUERY = '?data=moons&layers=32_relu,32_relu&batch=64&opt=momentum&lr=0.05&speed=5000&mode=compare&runs=seed:1~seed:2~seed:3~seed:4';
export const COURSE_PATH = 'examples/course-page.html';

/** Elements in a document and its open shadow roots. */
function domNodes() {
  let n = 0;
  const walk = (root) => { for (const e of root.querySelectorAll('*')) { n++; if (e.shadowRoot) walk(e.shadowRoot); } };
  walk(document);
  return n;
}

/**
 * Every worker target of the browser, through CDP's Target domain: its JS heap (used bytes) and the
 * size of its wasm memory and the bytes the engine's allocator holds (worker.js's gradlabMemory();
 * null in workers without an engine).
 */
async function workerFigures(cdp) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const out = [];
  for (const t of targetInfos.filter((x) => x.type === 'worker')) {
    try {
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
      let id = 0;
      const ask = (method, params = {}) => {
        const mine = ++id;
        const reply = new Promise((resolve) => {
          const on = (e) => {
            if (e.sessionId !== sessionId) return;
            const m = JSON.parse(e.message);
            if (m.id === mine) { cdp.off('Target.receivedMessageFromTarget', on); resolve(m.result ?? null); }
          };
          cdp.on('Target.receivedMessageFromTarget', on);
        });
        cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: mine, method, params }) }).catch(() => {});
        return Promise.race([reply, new Promise((r) => setTimeout(() => r(null), 3000))]);
      };
      // what the heap holds after a collection: garbage not yet collected is not growth
      await ask('HeapProfiler.collectGarbage');
      const heap = (await ask('Runtime.getHeapUsage'))?.usedSize ?? null;
      // worker.js's diagnostic global (Runtime.queryObjects on a worker crashes Chromium's renderer)
      const memory = (await ask('Runtime.evaluate', { expression: 'globalThis.gradlabMemory?.() ?? null', returnByValue: true }))?.result?.value;
      const wasm = memory?.wasmBytes ?? null, live = memory?.liveBytes ?? null;
      await cdp.send('Target.detachFromTarget', { sessionId });
      if (heap != null) out.push({ heap, wasm, live });
    } catch { /* a worker that ended while being read */ }
  }
  return out;
}

async function sample(tabs, cdp) {
  const out = { t: Date.now() };
  for (const [name, { page, session }] of Object.entries(tabs)) {
    await session.send('HeapProfiler.collectGarbage');
    const { usedSize } = await session.send('Runtime.getHeapUsage');
    const view = await page.evaluate(`(${domNodes})()`);
    const runs = name === 'page' ? await page.evaluate(() => window.gradlabPage.summary().runs.map((r) => ({ step: r.step, points: r.curve.x.length }))) : null;
    const embeds = name === 'course' ? await page.evaluate(() => [...document.querySelectorAll('gradlab-playground')].map((e) => ({ id: e.id, playing: e.playing }))) : null;
    out[name] = { heap: usedSize, dom: view, ...(runs && { runs }), ...(embeds && { embeds }) };
  }
  const workers = await workerFigures(cdp);
  out.workerHeaps = workers.map((w) => w.heap);
  out.workerWasm = workers.map((w) => w.wasm ?? 0);
  out.workerLive = workers.map((w) => w.live ?? 0);
  return out;
}

/** Start, peak and end of a list of numbers. */
const spread = (xs) => ({ start: xs[0], peak: Math.max(...xs), end: xs[xs.length - 1] });

/** Runs the soak for `minutes`, sampling every `every` seconds; resolves to { samples, figures }. */
export async function soak({ minutes = 30, every = 30, log = () => {} } = {}) {
  const server = await serve(), browser = await launch();
  try {
    const cdp = await browser.newBrowserCDPSession();
    const tabs = {};
    for (const [name, path, height] of [['page', PAGE_QUERY, 900], ['course', COURSE_PATH, 1600]]) {
      const page = await browser.newPage({ viewport: { width: 1280, height } });
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(String(e)));
      page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
      await page.goto(new URL(path, server.url).href);
      // a lesson pauses at its moments for the reader; a soak wants them to train on
      if (name === 'course') await page.evaluate(() => { for (const e of document.querySelectorAll('gradlab-playground')) e.setAttribute('moments', 'off'); });
      tabs[name] = { page, session: await page.context().newCDPSession(page) };
    }
    const { page } = tabs.page;
    await page.waitForFunction(() => window.gradlabPage?.summary().runs.every((r) => r.firstLoss != null), null, { timeout: 60000 });
    // the data-set pictures' one-off worker ends once it has made them (views/datasets.js): the
    // worker count is read from then on, so that its end does not read as a worker lost
    await page.waitForFunction(() => document.getElementById('datasets').dataset.pictures, null, { timeout: 60000 });
    await page.getByRole('button', { name: /Play/ }).click();
    // the two training lessons play (the third, an optimiser race, replays its paths; `playing` is for training)
    await tabs.course.page.waitForFunction(() => [...document.querySelectorAll('gradlab-playground')].filter((e) => e.playing).length === 2, null, { timeout: 60000 });
    const samples = [], end = Date.now() + minutes * 60000;
    for (;;) {
      const s = await sample(tabs, cdp);
      samples.push(s);
      log(s);
      if (Date.now() >= end) break;
      await new Promise((r) => setTimeout(r, Math.min(every * 1000, Math.max(0, end - Date.now()))));
    }
    const pick = (f) => spread(samples.map(f));
    const figures = {
      seconds: (samples.at(-1).t - samples[0].t) / 1000,
      pageHeap: pick((s) => s.page.heap), courseHeap: pick((s) => s.course.heap),
      workerHeapTotal: pick((s) => s.workerHeaps.reduce((a, b) => a + b, 0)), workers: pick((s) => s.workerHeaps.length),
      workerWasmTotal: pick((s) => s.workerWasm.reduce((a, b) => a + b, 0)), workerWasmMax: pick((s) => Math.max(0, ...s.workerWasm)),
      workerLiveTotal: pick((s) => s.workerLive.reduce((a, b) => a + b, 0)),
      pageDom: pick((s) => s.page.dom), courseDom: pick((s) => s.course.dom),
      curvePoints: pick((s) => Math.max(...s.page.runs.map((r) => r.points))),
      steps: samples.at(-1).page.runs.map((r) => r.step),
      embedsPlaying: samples.at(-1).course.embeds.filter((e) => e.playing).length,
      errors: Object.values(tabs).flatMap((t) => t.page.errors),
    };
    return { samples, figures };
  } finally {
    await browser.close();
    await server.close();
  }
}

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const minutes = flag('minutes', 30), every = flag('every', Math.min(30, Math.max(2, minutes * 6)));
  const { execFileSync } = await import('node:child_process');
  console.log(execFileSync('lscpu').toString().split('\n').filter((l) => /Model name|^CPU\(s\)/.test(l)).join('\n'));
  console.log(`soak: ${minutes} min, a sample every ${every} s`);
  const { figures } = await soak({ minutes, every, log: (s) => console.log(JSON.stringify({ t: s.t, page: s.page.heap, course: s.course.heap, workers: s.workerHeaps.length, workerHeap: s.workerHeaps.reduce((a, b) => a + b, 0), wasm: s.workerWasm, dom: [s.page.dom, s.course.dom], points: s.page.runs.map((r) => r.points) })) });
  const mb = (x) => `${(x / 2 ** 20).toFixed(1)} MiB`;
  console.log(`\nafter ${figures.seconds.toFixed(0)} s            start → peak → end`);
  for (const [label, key, f] of [['page main heap', 'pageHeap', mb], ['course main heap', 'courseHeap', mb], ['workers JS heap (sum)', 'workerHeapTotal', mb], ['workers wasm memory (sum)', 'workerWasmTotal', mb], ['wasm memory (largest worker)', 'workerWasmMax', mb], ['engine live bytes (sum)', 'workerLiveTotal', mb],
    ['worker targets', 'workers', String], ['page elements', 'pageDom', String], ['course elements', 'courseDom', String], ['curve points (most of a run)', 'curvePoints', String]]) {
    const v = figures[key];
    console.log(`${label.padEnd(30)} ${f(v.start)} → ${f(v.peak)} → ${f(v.end)}`);
  }
  console.log(`steps of the four runs at the end: ${figures.steps.join(', ')}; training embeds playing: ${figures.embedsPlaying} of 2; errors: ${figures.errors.length}`);
}
