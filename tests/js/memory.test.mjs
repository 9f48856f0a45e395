// Out of wasm memory while building (issue 19): a network, a data set (generated or from the
// user's rows) or an optimiser's state that no longer fits in what wasm can grow to (1 GiB) is a
// GradlabError that says what did not fit, never a trap, and the engine carries on afterwards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadGradlab, GradlabError } from '../../web/lib/gradlab.js';

/** the message of the GradlabError that fn throws (a wasm trap would be a RuntimeError instead) */
function refusal(fn) {
  try { fn(); } catch (e) {
    assert.ok(e instanceof GradlabError, `expected a GradlabError, got ${e?.name}: ${e?.message}`);
    return e.message;
  }
  return null;
}

/** makes objects with make() until one no longer fits; returns [made, the refusal's message] */
function fill(make, most) {
  const made = [];
  for (let i = 0; i < most; ++i) {
    let object = null;
    const message = refusal(() => { object = make(); });
    if (message !== null) return [made, message];
    made.push(object);
  }
  return [made, null];
}

describe('out of memory while building', () => {
  it('is a GradlabError for networks, data sets and optimiser state, and the engine keeps working', async () => {
    const lab = await loadGradlab(); // a module of its own: it grows to its maximum here
    const start = lab.memoryStats().liveBytes;
    const wide = (units) => ({ inputs: 2048, layers: [{ units, activation: 'relu' }, { units, activation: 'relu' }, { units: 2, activation: 'softmax' }], init: 'zeros' });

    // big networks first (about 200 MB each), then small ones, until even a small one does not fit
    const [big, bigMessage] = fill(() => lab.network(wide(4096)), 16);
    assert.ok(big.length >= 1, 'at least one big network fits');
    assert.match(bigMessage, /^not enough memory for a network of 25182210 parameters$/);
    const [small, smallMessage] = fill(() => lab.network(wide(256)), 4096);
    assert.match(smallMessage, /^not enough memory for a network of 590850 parameters$/);

    // now nothing sizeable fits: each refusal is clear and leaves nothing half-built behind
    const full = lab.memoryStats().liveBytes;
    assert.match(refusal(() => lab.dataset('spiral', { samples: 1000000, classes: 2 })), /^not enough memory for a data set of 1000000 samples$/);
    assert.match(refusal(() => lab.dataset('digits', { samples: 20000, size: 32 })), /^not enough memory for a data set of 20000 samples$/);
    assert.match(refusal(() => lab.dataset({ x: new Float32Array(2000000), y: new Int32Array(1000000), inputs: 2 })),
      /^not enough wasm memory for 8000000 bytes/);
    assert.match(refusal(() => lab.network(wide(256))), /not enough memory for a network/);
    assert.match(refusal(() => big[0].setOptimizer({ name: 'adam' })), /^not enough memory for the optimiser state$/);
    assert.equal(lab.memoryStats().liveBytes, full, 'the refusals allocated nothing that stayed');

    // the engine is usable: free what was made and train as usual
    for (const net of [...big, ...small]) net.dispose();
    assert.equal(lab.memoryStats().liveBytes, start);
    const data = lab.dataset('spiral', { samples: 200, classes: 3, seed: 2 });
    const net = lab.network({ inputs: 2, layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }], seed: 3 });
    net.setOptimizer({ name: 'adam', learningRate: 0.01 });
    const first = net.train(data, { steps: 1 });
    const last = net.train(data, { steps: 200 });
    assert.equal(last.status, 'ok');
    assert.ok(last.loss < first.loss, `${first.loss} -> ${last.loss}`);
    // and now a big data set fits again
    const images = lab.dataset('digits', { samples: 2000, size: 32 });
    assert.equal(images.inputs, 1024);
    images.dispose(); net.dispose(); data.dispose();
    assert.equal(lab.memoryStats().liveBytes, start);
  });
});
