// The hostile-input fuzzer in the browser: seeded addresses of the page (web/index.html?...) and
// seeded attributes and set() calls of <gradlab-playground>, from tests/js/hostile-inputs.mjs (the
// Node test tests/js/hostile-state.test.mjs runs the pure parsers over many more). For each case: no
// page error and no console error, no element made from the input's text (<img>, <script>, <iframe>,
// <svg> counts unchanged, no on* attribute anywhere, window.__pwned unset), Object.prototype
// unchanged, and every note the parser gives shown on the page. GRADLAB_FUZZ_SEED replays a run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseState } from '../../web/app/state.js';
import { patchState, stateFromAttributes } from '../../web/embed/options.js';
import { readFile } from 'node:fs/promises';
import { unzipRun } from '../../web/lib/runzip.js';
import { hostileCsv, hostileRun } from '../js/hostile-files.mjs';
import { attributes, entries, fuzzSeed, query, rng } from '../js/hostile-inputs.mjs';
import { launch, openPage, serve } from './browser.mjs';

const SEED = fuzzSeed();
const NAVIGATIONS = 40, ATTRIBUTE_CASES = 30, SET_CASES = 30, RUN_FILES = 30, CSV_FILES = 30;
const EMBED_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostile</title>'
  + '<script type="module" src="/embed/gradlab-embed.js"></script></head><body><main id="host"></main></body></html>';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Counts of what input text must never create, through the document and every open shadow root. */
function inspect() {
  const roots = [document];
  for (const e of document.querySelectorAll('*')) if (e.shadowRoot) roots.push(e.shadowRoot);
  const count = (sel) => roots.reduce((n, r) => n + r.querySelectorAll(sel).length, 0);
  const handlers = roots.reduce((n, r) => n + [...r.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length, 0);
  return {
    img: count('img'), script: count('script'), iframe: count('iframe'), svg: count('svg'), handlers,
    pwned: window.__pwned ?? null, proto: Object.getOwnPropertyNames(Object.prototype).sort().join(), polluted: {}.polluted ?? null,
  };
}

/** The page has built its runs (a first loss, or an error) or its race (the paths). */
function started() {
  const s = window.gradlabPage?.summary();
  return Boolean(s && (s.runs.length ? s.runs.some((r) => r.firstLoss != null || r.error) : s.race));
}

async function caseCheck(page, baseline, what) {
  const seen = await page.evaluate(inspect);
  assert.deepEqual(seen, baseline, `${what}: the page changed (GRADLAB_FUZZ_SEED=${SEED})`);
  assert.deepEqual(page.errors, [], `${what}: errors (GRADLAB_FUZZ_SEED=${SEED})`);
}

describe(`hostile inputs in the browser (seed ${SEED})`, () => {
  it(`the page: ${NAVIGATIONS} hostile addresses, each note shown in #notes`, async () => {
    const page = await openPage(browser, server.url);
    await page.waitForFunction(started);
    const baseline = await page.evaluate(inspect);
    const r = rng(SEED + 3);
    for (let i = 0; i < NAVIGATIONS; i++) {
      const q = query(r), what = `address ${i} ${JSON.stringify(q.slice(0, 200))}`;
      await page.goto(new URL(q, server.url).href);
      await page.waitForFunction(started, null, { timeout: 30000 })
        .catch((e) => { e.message = `${what}: ${e.message}`; throw e; });
      const { notes } = parseState(new URL(q, server.url).search);   // what location.search gives the page
      const shown = await page.evaluate(() => { const box = document.getElementById('notes'); return { hidden: box.hidden, lines: [...box.children].map((p) => p.textContent) }; });
      assert.equal(shown.hidden, notes.length === 0, `${what}: #notes hidden ${shown.hidden} with ${notes.length} notes`);
      for (const n of notes.slice(0, 8)) assert.ok(shown.lines.includes(`Address: ${n}`), `${what}: note not shown: ${n}`);
      if (notes.length > 8) assert.ok(shown.lines.some((l) => l.includes(`${notes.length - 8} more`)), `${what}: no line for the other notes`);
      await caseCheck(page, baseline, what);
    }
    await page.close();
  });

  it(`the element: ${ATTRIBUTE_CASES} hostile attribute lists and ${SET_CASES} set() calls`, async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    page.errors = [];
    page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
    page.on('pageerror', (e) => page.errors.push(String(e)));
    await page.route(new URL('hostile.html', server.url).href, (route) => route.fulfill({ contentType: 'text/html', body: EMBED_PAGE }));
    await page.goto(new URL('hostile.html', server.url).href);
    await page.waitForFunction(() => customElements.get('gradlab-playground'));
    const baseline = await page.evaluate(inspect);
    const r = rng(SEED + 4);
    for (let i = 0; i < ATTRIBUTE_CASES; i++) {
      const attrs = attributes(r);
      // setAttribute refuses some names (markup, emoji): the browser keeps those out, and so do we
      const result = await page.evaluate((list) => new Promise((resolve) => {
        const e = document.createElement('gradlab-playground'), used = [];
        for (const [k, v] of list) { try { e.setAttribute(k, v); used.push([k.toLowerCase(), v]); } catch { /* not a name */ } }
        e.addEventListener('gradlab-ready', () => setTimeout(finish, 50), { once: true });
        document.getElementById('host').replaceChildren(e);
        const timer = setTimeout(finish, 8000);
        function finish() {
          clearTimeout(timer);
          const box = e.shadowRoot.querySelector('.notes');
          resolve({ used: [...e.attributes].map((a) => [a.name, a.value]), notes: e.notes, hidden: box.hidden, lines: [...box.children].map((p) => p.textContent) });
        }
      }), attrs);
      const what = `attributes ${i} ${JSON.stringify(result.used).slice(0, 300)}`;
      const expected = stateFromAttributes(result.used).notes;
      for (const n of expected) assert.ok(result.notes.includes(n), `${what}: note missing from element.notes: ${n}`);
      assert.equal(result.hidden, result.notes.length === 0, `${what}: notes box hidden ${result.hidden} with ${result.notes.length} notes`);
      for (const n of result.notes.slice(0, 6)) assert.ok(result.lines.includes(n), `${what}: note not shown: ${n}`);
      if (result.notes.length > 6) assert.ok(result.lines.some((l) => l.includes(`${result.notes.length - 6} more`)), `${what}: no line for the other notes`);
      await caseCheck(page, baseline, what);
    }
    // set() on one element: the same outcome as patchState in Node, refused with an Error naming the problem
    await page.evaluate(() => new Promise((resolve) => {
      const e = document.createElement('gradlab-playground');
      e.id = 'target';
      e.setAttribute('controls', 'play,step,reset,init,lr,opt,data,layers');
      e.addEventListener('gradlab-ready', resolve, { once: true });
      document.getElementById('host').replaceChildren(e);
    }));
    for (let i = 0; i < SET_CASES; i++) {
      const pairs = entries(r), asObject = r() < 0.5;
      const patch = asObject ? Object.fromEntries(pairs) : new URLSearchParams(pairs).toString();
      const before = await page.evaluate(() => document.getElementById('target').state);
      let expected;
      try { expected = { state: patchState(before, patch) }; } catch (e) { expected = { error: e.message }; }
      const got = await page.evaluate(([p, isObject]) => {
        const e = document.getElementById('target');
        try { e.set(isObject ? Object.fromEntries(p) : p); return { state: e.state }; } catch (err) { return { error: err.message, kind: err.constructor.name }; }
      }, [asObject ? pairs : patch, asObject]);
      const what = `set() ${i} ${JSON.stringify(patch).slice(0, 300)}`;
      if (expected.error) assert.deepEqual(got, { error: expected.error, kind: 'Error' }, what);
      else assert.deepEqual(got, expected, what);
      await caseCheck(page, baseline, what);
    }
    await page.waitForTimeout(300);
    await caseCheck(page, baseline, 'after the set() calls');
    await page.close();
  });

  it(`the page's files: ${RUN_FILES} mutated saved runs and ${CSV_FILES} mutated CSVs, picked or dropped`, async () => {
    const page = await openPage(browser, `${server.url}?seed=2&layers=6_relu_bn_d0.2&samples=90&batch=16`);
    await page.waitForFunction(() => window.gradlabPage?.summary().runs[0]?.firstLoss != null && !document.querySelector('#save-run').disabled);
    await page.click('#step');
    await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step === 1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-run')]);
    const good = await unzipRun(new Uint8Array(await readFile(await download.path())));
    const baseline = await page.evaluate(inspect);
    const look = () => page.evaluate(() => { const s = window.gradlabPage.summary(); return { url: s.url, step: s.runs[0].step, status: s.runs[0].status }; });
    let current = await look();
    /** Gives bytes to the page: through a file picker, or dropped on it. */
    const give = (selector, name, bytes, drop) => (drop
      ? page.evaluate(([b, n]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(b)], n));
        document.querySelector('.views').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, [[...bytes], name])
      : page.setInputFiles(selector, { name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) }));
    const r = rng(SEED + 5);
    for (let i = 0; i < RUN_FILES; i++) {
      const bytes = await hostileRun(r, good), drop = r() < 0.5;
      const what = `saved run ${i} (${drop ? 'dropped' : 'picked'}, ${bytes.length} bytes)`;
      await page.evaluate(() => { document.querySelector('#file-message').textContent = ''; });
      // a dropped file that is not a zip is read as CSV, as it would be for a user
      const asCsv = drop && !(bytes[0] === 0x50 && bytes[1] === 0x4b);
      await give('#open-run-file', 'run.zip', bytes, drop);
      if (asCsv) {
        await page.waitForFunction(() => document.querySelector('#csv-message').textContent || document.querySelector('#csv-summary').textContent, null, { timeout: 30000 });
      } else {
        await page.waitForFunction(() => /^(?!Checking)./.test(document.querySelector('#file-message').textContent), null, { timeout: 30000 })
          .catch((e) => { e.message = `${what}: ${e.message} (GRADLAB_FUZZ_SEED=${SEED})`; throw e; });
        assert.ok(await page.isVisible('#file-message'), `${what}: the message is visible`);
        const said = await page.locator('#file-message').innerText();
        if (/^Opened the saved run/.test(said)) {   // a mutation the run does not depend on (curves, copies): it loads
          await page.waitForFunction(() => window.gradlabPage.summary().runs[0].step === 1);
          current = await look();
        } else assert.match(said, /The current run goes on|is not a saved run/, `${what}: ${said}`);
      }
      assert.deepEqual(await look(), current, `${what}: the run on the page is intact (GRADLAB_FUZZ_SEED=${SEED})`);
      await caseCheck(page, baseline, what);
    }
    for (let i = 0; i < CSV_FILES; i++) {
      const text = hostileCsv(r), how = r();
      const what = `CSV ${i} ${JSON.stringify(text.slice(0, 120))}`;
      await page.evaluate(() => { document.querySelector('#csv-message').textContent = document.querySelector('#csv-summary').textContent = ''; });
      if (how < 0.4) {
        if (await page.isHidden('#csv-box')) await page.click('#own-data');
        await page.evaluate((t) => { const a = document.querySelector('#csv-text'); a.value = t; a.dispatchEvent(new Event('input')); }, text);
      } else await give('#csv-file', 'mine.csv', new TextEncoder().encode(text), how > 0.7);
      await page.waitForFunction(() => document.querySelector('#csv-message').textContent || document.querySelector('#csv-summary').textContent, null, { timeout: 30000 })
        .catch((e) => { e.message = `${what}: ${e.message} (GRADLAB_FUZZ_SEED=${SEED})`; throw e; });
      const message = await page.locator('#csv-message').innerText(), preview = await page.locator('#csv-summary').innerText();
      assert.ok(message ? /CSV: (row|column|there are no)/.test(message) : /^\d+ rows, /.test(preview), `${what}: ${message || preview}`);
      assert.ok(await page.isVisible(message ? '#csv-message' : '#csv-summary'), `${what}: visible`);
      assert.deepEqual(await look(), current, `${what}: the run on the page is intact`);
      await caseCheck(page, baseline, what);
    }
    await page.close();
  });
});
