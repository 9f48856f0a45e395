// draw.js's histograms (the ridgelines of the train view and the compare cards) skip a redraw whose
// inputs are the very ones the canvas was last drawn from: the history takes a snapshot every
// HISTORY_EVERY ms and frames come several times as often. A new history entry, another kind,
// other labels, a resized canvas, or another canvas still draw. A canvas stand-in counts the
// drawing calls.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawHistograms } from '../../web/app/draw.js';

function fakeCanvas(width = 200, height = 100) {
  const calls = { n: 0 };
  const ctx = new Proxy({}, {
    get: (_, key) => (key === 'measureText' ? () => ({ width: 10 }) : typeof key === 'string' ? () => { calls.n++; } : undefined),
    set: () => true,
  });
  return { width, height, getContext: () => ctx, calls };
}

const hist = (shift) => ({ weights: { counts: [1, 3, 5, 2], min: -1 + shift, max: 1 + shift } });
const entry = (shift) => [hist(shift), hist(2 * shift)];

describe('the histograms skip a redraw of the same picture', () => {
  it('draws once for the same inputs, and again for each change that alters the picture', () => {
    const c = fakeCanvas(), history = [entry(0), entry(0.1)], labels = ['h1', 'out'];
    const drew = () => { const before = c.calls.n; drawHistograms(c, history, 'weights', labels); return c.calls.n > before; };
    assert.equal(drew(), true, 'the first draw');
    assert.equal(drew(), false, 'the same history, kind, labels and size');
    history.push(entry(0.2));
    assert.equal(drew(), true, 'a new snapshot in the history');
    assert.equal(drew(), false);
    history.shift(); history.push(entry(0.3));
    assert.equal(drew(), true, 'the oldest dropped and a new one taken (same length)');
    c.width = 240;
    assert.equal(drew(), true, 'a resized canvas (cleared by the browser)');
    const before = c.calls.n;
    drawHistograms(c, history, 'gradients', labels);
    assert.ok(c.calls.n > before, 'another kind');
    const again = c.calls.n;
    drawHistograms(c, history, 'gradients', ['layer 1', 'output']);
    assert.ok(c.calls.n > again, 'other labels');
    const other = fakeCanvas();
    drawHistograms(other, history, 'gradients', ['layer 1', 'output']);
    assert.ok(other.calls.n > 0, 'another canvas');
  });

  it('a scrubbed step (a new one-entry history each call) is drawn every time, and the live history again after it', () => {
    const c = fakeCanvas(), live = [entry(0), entry(0.1)], labels = ['h1', 'out'];
    drawHistograms(c, live, 'weights', labels);
    const scrubbed = entry(0.5);
    for (let k = 0; k < 2; ++k) {
      const before = c.calls.n;
      drawHistograms(c, [scrubbed.map((h) => h)], 'weights', labels);
      assert.ok(c.calls.n > before, 'the scrubbed picture');
    }
    const before = c.calls.n;
    drawHistograms(c, live, 'weights', labels);
    assert.ok(c.calls.n > before, 'back to the live history after scrubbing');
  });
});
