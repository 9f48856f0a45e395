// The PyTorch export in a browser: web/lib/pytorch.js has no Node-only imports, so a module worker
// (where the page's engine lives) can write the script. Headless Debian Chromium.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { launch, serve } from './browser.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

it('a module worker writes the same script as Node', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}lib/names.js`); // any document of the origin
  const spec = { inputs: 2, layers: [{ units: 8, activation: 'relu', batchNorm: true, dropout: 0.2 }, { units: 3, activation: 'softmax' }], seed: 4 };
  const script = await page.evaluate(async ({ spec, origin }) => {
    const code = `import { loadGradlab } from '${origin}lib/gradlab.js';
      const lab = await loadGradlab();
      const data = lab.dataset('spiral', { samples: 60, seed: 2 });
      const net = lab.network(${JSON.stringify(spec)});
      net.setOptimizer({ name: 'adam', learningRate: 0.01 });
      postMessage(net.toPyTorch(data, { steps: 10, batchSize: 16 }));`;
    const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
    return new Promise((resolve, reject) => { worker.onmessage = (e) => resolve(e.data); worker.onerror = (e) => reject(new Error(e.message)); });
  }, { spec, origin: server.url });
  const { loadGradlab } = await import('../../web/lib/gradlab.js');
  const lab = await loadGradlab();
  const data = lab.dataset('spiral', { samples: 60, seed: 2 });
  const net = lab.network(spec);
  net.setOptimizer({ name: 'adam', learningRate: 0.01 });
  const node = net.toPyTorch(data, { steps: 10, batchSize: 16 });
  assert.match(script, /nn\.BatchNorm1d\(8, eps=0\.00001, momentum=0\.1\)/);
  // the same model, weights, rows, batches and masks (the SIMD and scalar builds agree on these)
  assert.equal(script, node);
  await page.close();
});
