// bench/page.mjs: the page from navigation through a minute of training, in headless Chromium
// (not a test; prints figures). For one run and for four compare runs of the page's default network,
// at the default speed (300 steps/s) and at the highest (5000), it reports:
//   - the main thread's longest task and how many took over 50 ms, from navigation to the end of
//     training (every top-level task of the renderer's main thread, from Chromium's trace), and the
//     longest task of the load alone (navigation to the first trained frame); beside them the same
//     for the thread's CPU time within each task, which tells the page's own work from the time
//     other processes took the core (on a shared machine a task's wall time includes both);
//   - each task over 50 ms: when it began (ms after navigation), its wall and its CPU time, so a
//     reader tells the load's tasks from training's without a trace;
//   - the time from navigation to the first paint, to the first drawn loss, and to the first
//     trained frame (the first frame whose step readout is past 0; the bench presses Play in the
//     first frame the page can take it, as a quick reader would);
//   - frames drawn per second and steps per second per run over the training;
//   - the main thread's CPU time per second of training (its tasks' CPU over the trained time: what the
//     page's own drawing costs, far steadier between runs than the longest task), and the share of the
//     machine's CPU time the hypervisor took from this virtual machine during the case (steal, from
//     /proc/stat; Linux only): on a shared cloud machine a burst of it lengthens a task's wall time
//     while its CPU time stays the same.
//
//   node bench/page.mjs [--seconds 60] [--repeat 1] [--against DIR] [--cases 1,2,3,4] [--trace FILE]
//
// --against DIR serves a second checkout of gradlab (built) beside this one and runs every case on
// both, alternately, in the same browser: a before/after comparison under the same load.
// --trace FILE writes the first case's trace (with the timeline's and V8's sampling profiler's
// events) for Perfetto or Chromium's performance panel; the extra tracing slows the page a little.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, serve } from '../tests/browser/browser.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const seconds = Number(option('seconds', 60));
const repeat = Number(option('repeat', 1));
const against = option('against', null);
const traceFile = option('trace', null);
const LONG_MS = 50;
const SETTLE_MS = 3000;   // a new window's own start-up work, before navigation (runCase)

const FOUR = 'mode=compare&runs=seed:1~seed:2~seed:3~seed:4';
const ALL_CASES = [
  ['1 run, 300 steps/s', ''],   // the page exactly as a newcomer opens it (default speed 300)
  ['4 runs, 300 steps/s', `?${FOUR}`],
  ['1 run, 5000 steps/s', '?speed=5000'],
  ['4 runs, 5000 steps/s', `?${FOUR}&speed=5000`],
];
const CASES = option('cases', null)?.split(',').map((i) => ALL_CASES[Number(i) - 1]) ?? ALL_CASES;

/** A server for the checkout at `dir`, through that checkout's own scripts/serve.mjs. */
async function serveCheckout(dir) {
  const { createServer, listen } = await import(pathToFileURL(join(resolve(dir), 'scripts', 'serve.mjs')).href);
  const server = createServer();
  const url = await listen(server, 0);
  return { url, close: () => new Promise((done) => server.close(done)) };
}

// In the page before any of its scripts: note the first drawn loss and the first trained frame
// (MutationObserver callbacks run at the end of the frame's task that changed the readout), press
// Play in the first animation frame after main.js has run, count frames.
function instrument() {
  const b = window.gradlabBench = { frames: 0, clicked: null, firstLoss: null, firstTrained: null };
  const watch = () => {
    const step = document.getElementById('readout-step'), loss = document.getElementById('readout-loss');
    new MutationObserver(() => {
      if (b.firstLoss === null && loss.textContent !== '–') b.firstLoss = performance.now();
      if (b.firstTrained === null && step.textContent !== '0') { b.firstTrained = performance.now(); performance.mark('bench-first-trained'); }
    }).observe(document.getElementById('play').closest('.primary'), { subtree: true, childList: true, characterData: true });
  };
  document.addEventListener('DOMContentLoaded', watch);
  const frame = () => {
    b.frames++;
    if (b.clicked === null && window.gradlabPage) { b.clicked = performance.now(); document.getElementById('play').click(); }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/**
 * The renderer main thread's top-level tasks in a Chromium trace, [{ ts (us, trace clock), dur, cpu
 * (ms: wall time, and the thread's CPU time within it) }],
 * and the trace time of the first trained frame's mark.
 */
function mainThreadTasks(traceBuffer) {
  const events = JSON.parse(traceBuffer.toString()).traceEvents;
  // the page's renderer is the process that wrote the mark (the trace holds every process of the
  // browser, its own pages' renderers too)
  const markEvent = events.find((e) => e.name === 'bench-first-trained');
  if (!markEvent) throw new Error('the trace holds no first trained frame');
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === markEvent.pid && e.args.name === 'CrRendererMain');
  const tasks = events.filter((e) => e.ph === 'X' && e.cat === 'toplevel' && e.dur && e.pid === main.pid && e.tid === main.tid
    && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask')).map((e) => ({ ts: e.ts, dur: e.dur / 1000, cpu: (e.tdur ?? e.dur) / 1000 }));
  // navigation's start, as the page's own clock counts from it (blink.user_timing)
  const nav = events.find((e) => e.name === 'navigationStart' && e.pid === markEvent.pid)?.ts ?? tasks[0]?.ts ?? 0;
  return { tasks, mark: markEvent.ts, nav };
}

async function runCase(browser, url, query, { trace = null } = {}) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // A new page in Playwright is a new browser window, and Chromium builds a window's own WebUI (the
  // omnibox popup, hundreds of ms of CPU on its renderer) as the window opens: on 2 cores that work
  // took the core from the page's load. A reader types the address into a window that is open
  // already, so the window settles on a blank page first.
  await page.goto('about:blank');
  await page.waitForTimeout(SETTLE_MS);
  await page.addInitScript(instrument);
  const categories = ['toplevel', 'blink.user_timing', ...(trace ? ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute',
    'disabled-by-default-v8.cpu_profiler'] : [])];
  await browser.startTracing(page, { categories });
  // The page is read through the DevTools protocol's own evaluation: Playwright's page.evaluate and
  // waitForFunction first install Playwright's script in the page (10-14 ms of the page's thread, a
  // task of the load this bench would count although no reader's page runs it).
  const cdp = await page.context().newCDPSession(page);
  const read = async (fn) => {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression: `(${fn})()`, returnByValue: true });
    if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  };
  const t0 = Date.now(), steal0 = stealTicks();
  await page.goto(url + query);
  while (!(await read(() => window.gradlabBench?.firstTrained != null))) {
    if (Date.now() - t0 > 60000) throw new Error(`no trained frame within 60 s (${query || 'no query'})`);
    await new Promise((done) => setTimeout(done, 100));
  }
  const load = await read(() => {
    const b = window.gradlabBench, paint = performance.getEntriesByName('first-contentful-paint')[0];
    return { firstPaint: paint?.startTime ?? null, clicked: b.clicked, firstLoss: b.firstLoss, firstTrained: b.firstTrained, navStart: performance.timeOrigin };
  });
  const progress = () => ({ t: performance.now(), frames: window.gradlabBench.frames, steps: window.gradlabPage.summary().runs.map((r) => r.step) });
  const start = await read(progress);
  await new Promise((done) => setTimeout(done, Math.max(0, seconds * 1000 - (Date.now() - t0 - start.t))));
  const end = await read(progress);
  const steal1 = stealTicks();
  await cdp.detach();
  const buffer = await browser.stopTracing();
  if (trace) writeFileSync(trace, buffer);
  await page.close();
  const { tasks, mark, nav } = mainThreadTasks(buffer);
  // the load: the tasks that began before the first trained frame
  const loadTasks = tasks.filter((t) => t.ts < mark);
  const dt = (end.t - start.t) / 1000;
  const trained = tasks.filter((t) => t.ts >= mark);
  const cpuPerSecond = trained.reduce((sum, t) => sum + t.cpu, 0) / ((trained.at(-1).ts + trained.at(-1).dur * 1000 - mark) / 1e6);
  const long = tasks.filter((t) => t.dur > LONG_MS);
  return {
    longest: Math.max(0, ...tasks.map((t) => t.dur)), over: long.length,
    longestCpu: Math.max(0, ...tasks.map((t) => t.cpu)), overCpu: tasks.filter((t) => t.cpu > LONG_MS).length,
    longestLoad: Math.max(0, ...loadTasks.map((t) => t.dur)), longestLoadCpu: Math.max(0, ...loadTasks.map((t) => t.cpu)),
    ...load, fps: (end.frames - start.frames) / dt, rates: end.steps.map((s, i) => Math.round((s - start.steps[i]) / dt)),
    trainedSeconds: end.t / 1000, cpuPerSecond,
    longTasks: long.map((t) => `${((t.ts - nav) / 1000).toFixed(0)} ms: ${t.dur.toFixed(0)}/${t.cpu.toFixed(0)}`),
    steal: steal0 && steal1 ? (steal1.steal - steal0.steal) / (steal1.total - steal0.total) : null,
  };
}

/** The machine's CPU time stolen by the hypervisor and in all, in ticks (/proc/stat's first line), or null off Linux. */
function stealTicks() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { steal: f[7], total: f.slice(0, 8).reduce((a, b) => a + b, 0) };
  } catch { return null; }
}

const cpu = execFileSync('lscpu').toString().match(/Model name:\s*(.+)/)?.[1] ?? 'unknown CPU';
const servers = [{ name: 'this', ...(await serve()) }];
if (against) servers.push({ name: 'against', ...(await serveCheckout(against)) });
const browser = await launch();
console.log(`headless Chromium ${browser.version()} on ${cpu}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`navigation through ${seconds} s, viewport 1440x900, the page's default network; ${repeat} repetition(s)${against ? `; 'against' = ${against}` : ''}`);
const ms = (v) => (v == null ? '-' : v.toFixed(0));
console.log('| case | checkout | longest task ms | tasks > 50 ms | longest CPU ms | CPU > 50 ms | longest in load ms | its CPU ms | first paint ms | first loss ms | first trained frame ms | frames/s | steps/s per run | main CPU ms/s | steal | tasks > 50 ms (after navigation: wall/CPU ms) |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |');
let tracePending = traceFile;
for (let r = 0; r < repeat; ++r) {
  for (const [name, query] of CASES) {
    for (const server of servers) {
      const res = await runCase(browser, server.url, query, { trace: tracePending });
      tracePending = null;
      console.log(`| ${name} | ${server.name} | ${ms(res.longest)} | ${res.over} | ${ms(res.longestCpu)} | ${res.overCpu} | ${ms(res.longestLoad)} | ${ms(res.longestLoadCpu)} | ${ms(res.firstPaint)} | ${ms(res.firstLoss)} | ` +
        `${ms(res.firstTrained)} | ${res.fps.toFixed(0)} | ${res.rates.join(', ')} | ${ms(res.cpuPerSecond)} | ${res.steal === null ? '-' : `${(100 * res.steal).toFixed(1)}%`} | ${res.longTasks.join('; ') || '-'} |`);
    }
  }
}
console.log(`load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await browser.close();
for (const s of servers) await s.close();
