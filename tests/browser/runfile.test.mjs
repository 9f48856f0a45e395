// Saved runs in headless Chromium, through the library as the page will use it (no bundler, no
// import map): a run saved as a zip in the browser continues bit for bit there and in Node, a zip
// made in Node loads in the browser, and a line chart's SVG parses as SVG.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { loadRun } from '../../web/lib/runfile.js';
import { unzipRun } from '../../web/lib/runzip.js';
import { launch, openPage, serve } from './browser.mjs';

let browser, server, page;
before(async () => {
  server = await serve();
  browser = await launch();
  page = await openPage(browser, `${server.url}favicon.svg`);   // any document of the server's origin
  page.missing = [];
  page.on('response', (r) => { if (r.status() >= 400) page.missing.push(r.url()); });
});
// a document that is not HTML makes Chromium ask for /favicon.ico, which the server does not have
const problems = () => [...page.errors.filter((e) => !/status of 404/.test(e)), ...page.missing.filter((u) => !u.endsWith('/favicon.ico'))];
after(async () => { await browser?.close(); await server?.close(); });

const SPEC = { inputs: 2, layers: [{ units: 12, batchNorm: true, dropout: 0.2 }, { units: 3 }], seed: 4 };
const OPT = { name: 'adam', learningRate: 0.02 };
const DATA = ['spiral', { samples: 150, classes: 3, seed: 2 }];

it('a run zipped in Chromium continues there and in Node exactly as the uninterrupted run', async () => {
  const got = await page.evaluate(async ({ SPEC, OPT, DATA }) => {
    const { loadGradlab } = await import('/lib/gradlab.js');
    const { runFiles, loadRun } = await import('/lib/runfile.js');
    const { zipRun, unzipRun } = await import('/lib/runzip.js');
    const lab = await loadGradlab();
    const data = lab.dataset(...DATA);
    const net = lab.network(SPEC).setOptimizer(OPT);
    net.train(data, { steps: 11, batchSize: 20 });
    const zip = await zipRun(runFiles(net, data, { batchSize: 20 }));
    const { net: loaded, data: loadedData } = loadRun(lab, await unzipRun(zip));
    const losses = [];
    for (let i = 0; i < 5; ++i) {
      losses.push([net.train(data, { steps: 1, batchSize: 20 }).loss, loaded.train(loadedData, { steps: 1, batchSize: 20 }).loss]);
    }
    return { zip: Array.from(zip), losses, weights: Array.from(loaded.weights(1)), simd: lab.simd };
  }, { SPEC, OPT, DATA });
  assert.deepEqual(problems(), []);
  for (const [a, b] of got.losses) assert.ok(Object.is(a, b), `${a} against ${b}`);
  // the same zip in Node, on the same build, against a run never saved
  const lab = await loadGradlab({ simd: got.simd });
  const { net, data } = loadRun(lab, await unzipRun(Uint8Array.from(got.zip)));
  const straight = lab.network(SPEC).setOptimizer(OPT);
  const d = lab.dataset(...DATA);
  straight.train(d, { steps: 11, batchSize: 20 });
  for (let i = 0; i < 5; ++i) {
    const a = net.train(data, { steps: 1, batchSize: 20 }).loss, b = straight.train(d, { steps: 1, batchSize: 20 }).loss;
    assert.ok(Object.is(a, b) && Object.is(a, got.losses[i][0]), `step ${12 + i}: ${a}, ${b}, browser ${got.losses[i][0]}`);
  }
  assert.deepEqual(Array.from(net.weights(1)), got.weights);
});

it('a damaged zip is refused in the browser with a message, and a line chart SVG parses', async () => {
  const got = await page.evaluate(async () => {
    const { unzipRun } = await import('/lib/runzip.js');
    const { lineChartSvg } = await import('/lib/svg.js');
    let refused = null;
    try { await unzipRun(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0])); } catch (e) { refused = `${e.name}: ${e.message}`; }
    const svg = lineChartSvg([[0, 1, 2, 3], [1, 0.5, null, 0.2], [0.9, 0.7, 0.6, 0.5]], { title: 'loss <train & test>', series: [{ label: 'train' }, { label: 'test' }], logY: true });
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    return { refused, error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName, lines: doc.querySelectorAll('polyline').length };
  });
  assert.match(got.refused, /^GradlabError: this saved run cannot be loaded: the zip is damaged/);
  assert.equal(got.error, null);
  assert.equal(got.root, 'svg');
  assert.equal(got.lines, 3, 'the train line broken at its missing point, and the test line');
});
