// Eight <gradlab-playground> elements on one page, all in view, all autoplaying at the highest speed:
// on this 2-core machine every one of them trains (none starves), the page's thread has no task over
// 50 ms while they train, and the workers' CPU stays within the document's rule (session.js
// cpuShare): each worker at most its share of a core, all of them together at most cores - 0.5.
// CPU time is read per thread from /proc for the renderer this test started.
//
// Long tasks are measured twice. A Chrome trace gives every main-thread task's CPU time (tdur): no
// task may do more than 50 ms of work. PerformanceObserver 'longtask' gives wall time, which also
// counts the time the operating system ran other threads instead: it is asserted when the rest of
// the machine stayed quiet during the window (other processes used under a quarter of a core, as in
// CI), and reported otherwise; even then the page's own workers and compositor share the two cores
// with its thread, so at most two tasks may last over 50 ms on the clock, and none over 100 ms.
// On a machine shared by many jobs (load average 29 on 2 cores when this was written) a busy loop
// of 80 ms of wall time got 19 ms of CPU, so wall-time long tasks there are the machine's, not the
// page's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cpuShare } from '../../web/app/session.js';
import { launch, serve } from './browser.mjs';
import { cpuBetween, machineCpu, rendererThreads } from './threads.mjs';

const EMBEDS = 8, CORES = 2, MEASURE_MS = 12000, LONG_MS = 50, WALL_ALLOWED = 2;
// one run each: the same network and batch on different data and seeds, each asking for more steps
// a second than its share of a core gives, so that every worker trains as fast as the rule lets it
// and their step counts can be compared (none starves)
const SETTINGS = ['moons', 'spiral', 'circles', 'xor'].flatMap((data) => [1, 2].map((seed) => `data="${data}" seed="${seed}" layers="64_relu,64_relu" batch="64"`));

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

describe('eight embeds on a 2-core machine', () => {
  it('all visible ones train, none starves, no main-thread task over 50 ms, CPU within the share', async () => {
    const page = await browser.newPage({ viewport: { width: 1800, height: 1300 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const body = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>eight lessons</title>'
      + '<script type="module" src="/embed/gradlab-embed.js"></script>'
      + '<style>main { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; }</style></head><body><main>'
      + SETTINGS.map((s, i) => `<gradlab-playground id="e${i}" ${s} speed="5000" controls="play" compact autoplay moments="off"></gradlab-playground>`).join('')
      + '</main></body></html>';
    await page.route(new URL('eight.html', server.url).href, (route) => route.fulfill({ contentType: 'text/html', body }));
    await page.addInitScript(() => {
      window.steps = {};
      document.addEventListener('gradlab-step', (e) => { window.steps[e.target.id] = e.detail.step; });
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const t of list.getEntries()) window.longTasks.push({ start: Math.round(t.startTime), ms: Math.round(t.duration), what: t.attribution?.map((a) => `${a.name} ${a.containerType} ${a.containerSrc}`).join('; ') });
      }).observe({ type: 'longtask' });
    });
    await page.goto(new URL('eight.html', server.url).href);
    assert.equal(await page.evaluate(() => navigator.hardwareConcurrency), CORES, 'this test is written for a 2-core machine');
    await page.waitForFunction((n) => Object.keys(window.steps).length === n && Object.values(window.steps).every((s) => s > 20), EMBEDS, { timeout: 90000 });
    assert.ok(await page.evaluate(() => [...document.querySelectorAll('gradlab-playground')].every((e) => e.playing)), 'an embed in view is not playing');

    // the measured window: starting and building (module loading, first charts) are behind us
    await page.waitForTimeout(1000);
    // the window opens once the trace has started and closes before it is stopped: stopping it
    // flushes the trace on the page's thread, which is the test's work, not the page's
    await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
    const start = await page.evaluate(() => { window.longTasks = []; return { steps: { ...window.steps }, t: performance.now() }; });
    const cpu0 = rendererThreads(), machine0 = machineCpu();
    await page.waitForTimeout(MEASURE_MS);
    const end = await page.evaluate(() => ({ steps: { ...window.steps }, t: performance.now(), longTasks: window.longTasks }));
    const cpu1 = rendererThreads(), machine1 = machineCpu();
    const trace = JSON.parse((await browser.stopTracing()).toString());
    const seconds = (end.t - start.t) / 1000;

    const gained = SETTINGS.map((_, i) => end.steps[`e${i}`] - start.steps[`e${i}`]);
    const used = cpuBetween(cpu0, cpu1);
    const workers = used.filter((t) => t.name === 'DedicatedWorker').map((t) => t.cpu / seconds).sort((a, b) => b - a);
    const main = used.filter((t) => t.main).map((t) => t.cpu / seconds);
    const share = cpuShare(EMBEDS, CORES);
    const events = trace.traceEvents ?? trace;
    const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
    const runTasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && mains.has(`${e.pid}:${e.tid}`));
    const tasks = runTasks.filter((e) => typeof e.tdur === 'number');   // a task cut by the trace's start or end has no thread time
    const heavy = tasks.filter((e) => e.tdur > LONG_MS * 1000).map((e) => ({ cpuMs: Math.round(e.tdur / 1000), wallMs: Math.round(e.dur / 1000) }));
    const others = ((machine1.busy - machine0.busy) - (machine1.ours - machine0.ours)) / seconds;   // cores
    const quiet = others < 0.25;
    const wallLong = end.longTasks.filter((t) => t.ms > LONG_MS);
    console.log(`# steps in ${seconds.toFixed(1)} s: ${gained.join(', ')}; worker threads (share of a core): ${workers.map((w) => w.toFixed(3)).join(', ')}`
      + `; renderer main thread ${main.map((m) => m.toFixed(3))}; rule: ${share.toFixed(4)} each`);
    console.log(`# main-thread tasks traced: ${tasks.length}, most CPU in one: ${Math.max(0, ...tasks.map((e) => e.tdur ?? 0)) / 1000} ms;`
      + ` other programs used ${others.toFixed(2)} cores (${quiet ? 'quiet: wall-time long tasks asserted' : 'shared machine: wall-time long tasks reported only'});`
      + ` wall-time long tasks over ${LONG_MS} ms: ${wallLong.length} ${JSON.stringify(wallLong.slice(0, 12))}`);

    // none starves: every embed took steps, and the slowest at least a third of the median
    const median = [...gained].sort((a, b) => a - b)[EMBEDS / 2];
    assert.ok(gained.every((g) => g > 0), `an embed took no steps: ${gained}`);
    assert.ok(Math.min(...gained) >= median / 3, `an embed starves: ${gained}`);
    // the page stays responsive: no task does 50 ms of work; on a quiet machine none lasts 50 ms either
    assert.ok(tasks.length > 100, `main-thread tasks traced: ${tasks.length}`);
    // Chromium leaves the thread time out of some tasks (a fresh-clone CI run had it for 72% of them):
    // one that lasted at most 50 ms on the clock cannot have done 50 ms of work, so only longer ones
    // without it would hide such a task
    assert.ok(tasks.length >= 0.5 * runTasks.length, `thread time for ${tasks.length} of ${runTasks.length} tasks`);
    const untimed = runTasks.filter((e) => typeof e.tdur !== 'number' && e.dur > LONG_MS * 1000).map((e) => ({ wallMs: Math.round(e.dur / 1000) }));
    if (quiet) assert.deepEqual(untimed, [], 'main-thread tasks over 50 ms on the clock whose thread time the trace lacks (quiet machine)');
    else if (untimed.length) console.log(`# tasks over 50 ms without thread time (shared machine, reported only): ${JSON.stringify(untimed.slice(0, 12))}`);
    assert.deepEqual(heavy, [], 'main-thread tasks with over 50 ms of CPU');
    // on the clock: the page's own processes (eight workers, the compositor, the browser) hold the
    // two cores, and the scheduler can keep the page's thread waiting behind them (two fresh-clone CI
    // runs each had one task of 54 and 80 ms with at most 10-15 ms of CPU in any task, and two of
    // five runs on a quiet machine one of 52 and 58 ms, mid-window). On a quiet
    // machine at most two tasks may last over 50 ms on the clock, none over twice that; a page
    // whose own work grew would have many such tasks, or longer ones.
    if (quiet) {
      assert.ok(wallLong.length <= WALL_ALLOWED, `main-thread tasks over 50 ms (wall time, quiet machine): ${JSON.stringify(wallLong)}`);
      assert.deepEqual(wallLong.filter((t) => t.ms > 2 * LONG_MS), [], 'main-thread tasks over 100 ms (wall time, quiet machine)');
    }
    // the CPU rule: the engine workers (each embed's), each within its share, together within cores - 0.5
    assert.ok(workers.length >= EMBEDS, `worker threads found: ${workers.length}`);
    const slack = 1.15;   // the duty is kept per tick by each worker's clock; allow for a tick's rounding
    assert.ok(workers[0] <= share * slack, `a worker took ${workers[0].toFixed(3)} of a core; its share is ${share}`);
    const total = workers.reduce((a, b) => a + b, 0);
    assert.ok(total <= (CORES - 0.5) * slack, `the workers together took ${total.toFixed(2)} cores`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
