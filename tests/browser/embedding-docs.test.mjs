// The examples of docs/embedding.md, run: every ```html run block is a page served at /docs/ beside
// the ```js file=NAME and ```css file=NAME blocks, with gradlab at /gradlab/ and the strict policy on
// every response. In ```html run cdn and ```html run lms blocks, https://cdn.example is a second
// origin serving web/ with CORS and no policy, https://lms.example the page's own, and the page has
// the CDN's policy or the framing one. Each <gradlab-playground> of the page and of its iframes must get ready and train;
// an <output id="log"> the example's script fills must not stay empty; nothing may violate the
// policy or write an error to the console.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { launch } from './browser.mjs';
import { CDN_CSP, CDN_ORIGIN, CDN_PATH, CSP, FRAME_CSP, LMS_ORIGIN, cdnPolicy, courseSite } from './embed-server.mjs';

const text = readFileSync(new URL('../../docs/embedding.md', import.meta.url), 'utf8');
const blocks = [...text.matchAll(/^```([^\n]*)\n([\s\S]*?)^```\s*$/gm)].map((m) => ({
  info: m[1].trim(), code: m[2], line: text.slice(0, m.index).split('\n').length,
}));
const KINDS = { 'html run': 'same', 'html run cdn': 'cdn', 'html run lms': 'lms' };
const examples = blocks.filter((b) => KINDS[b.info]).map((b) => ({ ...b, kind: KINDS[b.info] }));
const files = Object.fromEntries(blocks.map((b) => [b.info.match(/^(?:js|css) file=(\S+)$/)?.[1], b.code]).filter(([name]) => name));

let browser, site, cdn;
before(async () => {
  cdn = await courseSite({ csp: null, cors: true, prefix: CDN_PATH });
  const pages = {};
  site = await courseSite({
    pages,
    csp: (origin, path) => {
      const kind = examples.find((e) => path === `/docs/example-${e.line}.html`)?.kind;
      return kind === 'cdn' ? cdnPolicy(cdn.url) : kind === 'lms' ? FRAME_CSP.replaceAll(CDN_ORIGIN, cdn.url) : CSP;
    },
  });
  const local = (code) => code.replaceAll(CDN_ORIGIN, cdn.url).replaceAll(LMS_ORIGIN, site.url);
  for (const [name, code] of Object.entries(files)) pages[`/docs/${name}`] = local(code);
  for (const e of examples) pages[`/docs/example-${e.line}.html`] = local(e.code);
  browser = await launch();
});
after(async () => { await browser?.close(); await site?.close(); await cdn?.close(); });

describe('docs/embedding.md', () => {
  it('has runnable pages for the element, its events and the iframe, and states the tested policy', () => {
    assert.ok(examples.length >= 3);
    assert.ok(examples.some((e) => e.code.includes('<iframe')) && examples.some((e) => e.code.includes('<gradlab-playground')));
    assert.ok(text.includes(CSP), 'the policy in the docs is the one the tests use');
    assert.ok(text.includes(CDN_CSP), 'and so is the policy for a CDN');
    assert.ok(text.includes(`${CDN_ORIGIN}${CDN_PATH}embed/gradlab-embed.js`), 'the CDN address names the package version');
    assert.ok(examples.some((e) => e.kind === 'cdn') && examples.some((e) => e.kind === 'lms'));
  });

  for (const example of examples) {
    it(`the page at line ${example.line} trains every lesson it embeds, within the policy`, async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
      const errors = [];
      page.on('console', (m) => { if (m.type() === 'error' || /Refused|Content Security Policy/.test(m.text())) errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
      await page.addInitScript(() => {
        window.docSeen = { violations: [], steps: new Map() };
        document.addEventListener('securitypolicyviolation', (e) => window.docSeen.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
        document.addEventListener('gradlab-step', (e) => window.docSeen.steps.set(e.target, Math.max(window.docSeen.steps.get(e.target) ?? 0, e.detail.step)));
      });
      try {
        await page.goto(`${site.url}/docs/example-${example.line}.html`);
        const frames = page.frames();
        for (const frame of frames) {
          const count = await frame.evaluate(() => document.querySelectorAll('gradlab-playground').length);
          if (!count) continue;
          await frame.waitForFunction((n) => [...window.docSeen.steps.values()].filter((s) => s >= 20).length >= n, count, { timeout: 30000 })
            .catch(async (e) => { throw new Error(`${frame.url()}: ${await frame.evaluate(() => window.docSeen.steps.size)} of ${count} lessons trained (${e.message})`); });
        }
        assert.ok(frames.some((f) => f !== page.mainFrame()) || await page.evaluate(() => document.querySelectorAll('gradlab-playground').length) > 0, 'the page embeds something');
        const log = await page.evaluate(() => document.getElementById('log')?.textContent);
        if (log !== undefined) await page.waitForFunction(() => /step \d+/.test(document.getElementById('log').textContent), null, { timeout: 10000 });
        for (const frame of frames) assert.deepEqual(await frame.evaluate(() => window.docSeen.violations), [], frame.url());
        assert.deepEqual(errors, []);
        assert.deepEqual(site.reports, []);
      } finally {
        await page.close();
      }
    });
  }
});
