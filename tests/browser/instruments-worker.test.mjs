// The instruments run inside a module Web Worker in headless Chromium, the way the page's worker will
// call them: web/lib only, no Node module, no DOM. The worker's landscape, sharpness and range test
// must be bit for bit the numbers Node computes for the same seeds (the same wasm, the same SIMD
// build), and the network must be left as it was there too.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { launch, openPage, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The same script in Node and in the worker: train, then all three instruments. */
const SCRIPT = `
  const data = lab.dataset('moons', { samples: 200, noise: 0.1, seed: 3 });
  const net = lab.network({ inputs: 2, seed: 4, layers: [{ units: 16, activation: 'tanh', batchNorm: true }, { units: 2, activation: 'softmax' }] });
  net.setOptimizer({ name: 'momentum', learningRate: 0.1 });
  net.recordTrajectory({ capacity: 16 });
  net.train(data, { steps: 60, batchSize: 32 });
  const before = Array.from(net.weights(0));
  const random = net.lossLandscape(data, { resolution: 9, span: 0.5, seed: 2 });
  const path = net.lossLandscape(data, { directions: 'trajectory', resolution: 9 });
  const sharp = net.sharpness(data, { tolerance: 1e-4 });
  const range = net.findLearningRate(data, { from: 1e-4, to: 10, steps: 60, batchSize: 32 });
  const result = {
    simd: lab.simd,
    random: Array.from(random.values), path: Array.from(path.values), pathAlpha: Array.from(path.path.alpha),
    lambdaMax: sharp.lambdaMax, residual: sharp.residual, smoothed: Array.from(range.smoothed), suggestions: range.suggestions,
    same: Array.from(net.weights(0)).every((w, i) => Object.is(w, before[i])), after: net.train(data, { steps: 5, batchSize: 32 }),
  };
`;

it('a module worker computes the instruments from web/lib, exactly as Node does', async () => {
  const lab = await loadGradlab({ simd: true });
  const node = new Function('lab', `${SCRIPT}; return result;`)(lab);
  // any same-origin document will do (the browser's own request for /favicon.ico may 404 there);
  // a failure inside the worker rejects through onerror
  const page = await openPage(browser, `${server.url}favicon.svg`);
  const fromWorker = await page.evaluate(async ({ origin, script }) => {
    const source = `import { loadGradlab } from '${origin}/lib/gradlab.js';
      const lab = await loadGradlab({ simd: true });
      ${script}
      postMessage(result);`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
    return new Promise((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(e.message));
    });
  }, { origin: server.url.replace(/\/$/, ''), script: SCRIPT });
  assert.equal(fromWorker.simd, true);
  assert.equal(fromWorker.same, true, 'the weights are as they were');
  assert.deepEqual(fromWorker, node);
});
