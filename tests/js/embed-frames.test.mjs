// The embeds' shared frame loop (web/embed/frames.js), with a fake requestAnimationFrame and clock:
// a frame draws at most MAX_PER_FRAME elements and stops at BUDGET_MS, the others draw in the next
// frames in the order they asked; an element that asks again while it draws waits for the next
// frame; one that draws nothing (too soon) takes no place; a cancelled one is not drawn.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

let frames = [], clock = 0;
globalThis.requestAnimationFrame = (f) => { frames.push(f); return frames.length; };
globalThis.performance = { now: () => clock };
const { BUDGET_MS, MAX_PER_FRAME, askFrame, cancelFrame } = await import('../../web/embed/frames.js');

/** Runs the next frame; the keys drawn in it. */
function nextFrame(log) {
  const f = frames.shift();
  assert.ok(f, 'a frame was asked for');
  const before = log.length;
  f(clock);
  return log.slice(before);
}

describe('the embeds share one frame loop', () => {
  beforeEach(() => { frames = []; clock = 0; });

  it('eight elements asking at once are drawn MAX_PER_FRAME a frame, in the order they asked', () => {
    const log = [];
    for (let k = 0; k < 8; ++k) askFrame(`e${k}`, () => { log.push(`e${k}`); });
    assert.equal(frames.length, 1, 'one frame asked for all of them');
    const seen = [];
    while (frames.length) { const drawn = nextFrame(log); assert.ok(drawn.length <= MAX_PER_FRAME && drawn.length > 0, `drawn ${drawn}`); seen.push(drawn); }
    assert.deepEqual(seen.flat(), ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    assert.equal(seen.length, Math.ceil(8 / MAX_PER_FRAME));
  });

  it('a frame stops once BUDGET_MS is spent', () => {
    const log = [];
    for (let k = 0; k < 4; ++k) askFrame(`s${k}`, () => { log.push(`s${k}`); clock += BUDGET_MS + 1; });
    assert.deepEqual(nextFrame(log), ['s0']);
    assert.deepEqual(nextFrame(log), ['s1']);
    assert.deepEqual(nextFrame(log), ['s2']);
    assert.deepEqual(nextFrame(log), ['s3']);
    assert.equal(frames.length, 0);
  });

  it('asking twice draws once; asking again while drawing waits for the next frame; a draw of nothing takes no place', () => {
    const log = [];
    let again = 1;
    askFrame('a', () => { log.push('a'); if (again-- > 0) askFrame('a', () => { log.push('a again'); }); });
    askFrame('a', () => { log.push('never: a waits already'); });
    for (let k = 0; k < MAX_PER_FRAME - 1; ++k) askFrame(`too-soon${k}`, () => false);
    askFrame('b', () => { log.push('b'); });
    askFrame('c', () => { log.push('c'); });
    const first = nextFrame(log);
    assert.deepEqual(first, ['a', 'b', 'c'].slice(0, MAX_PER_FRAME));
    const rest = [];
    while (frames.length) rest.push(...nextFrame(log));
    assert.deepEqual([...first, ...rest], ['a', 'b', 'c', 'a again']);
  });

  it('a cancelled element is not drawn', () => {
    const log = [];
    askFrame('x', () => { log.push('x'); });
    askFrame('y', () => { log.push('y'); });
    cancelFrame('x');
    assert.deepEqual(nextFrame(log), ['y']);
    assert.equal(frames.length, 0);
  });
});
