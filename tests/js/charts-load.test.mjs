// charts.js loads the chart library only when asked (loadCharts: the page and the embed ask once a
// run's worker has started, so that the worker has loaded ICU's number data, which the library's
// formatter needs, for the whole process), or at the latest CHARTS_LATEST_MS after it loaded.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { it } from 'node:test';
import { CHARTS_LATEST_MS, chartsLoaded, loadCharts, whenCharts } from '../../web/app/charts.js';

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

it('waits for loadCharts, then runs what waited, once', async () => {
  const ran = [];
  whenCharts(() => ran.push('first'));
  await sleep(Math.min(300, CHARTS_LATEST_MS / 2));
  assert.deepEqual(ran, [], 'nothing before it is asked');
  loadCharts();
  loadCharts();   // a second ask (another session's engine event) changes nothing
  await chartsLoaded;
  assert.deepEqual(ran, ['first']);
  whenCharts(() => ran.push('now'));   // once loaded, at once
  assert.deepEqual(ran, ['first', 'now']);
});

it('loads at the latest CHARTS_LATEST_MS after the module, when no worker gets ready', () => {
  // a process of its own: this file's module has been asked already
  const script = `const t0 = performance.now(); const c = await import(${JSON.stringify(new URL('../../web/app/charts.js', import.meta.url).href)});
    const keep = setTimeout(() => {}, 10000); c.whenCharts(() => { console.log(performance.now() - t0); clearTimeout(keep); });`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString();
  const ms = Number(out.trim());
  assert.ok(ms >= CHARTS_LATEST_MS - 5, `loaded after ${ms} ms, before ${CHARTS_LATEST_MS}`);
});
