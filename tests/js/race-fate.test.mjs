// race-fate.js on hand-made paths whose fates are worked out by hand: leaving the view and coming
// back, diverging by the bound and where the engine stopped, the path cut at the edges, the chart's
// loss ending in a mark, and the words the legend and the status line use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIVERGED_LOSS, fateWords, lossTrack, raceChart, racerFate, racerValue, raceStatus, visiblePath } from '../../web/app/race-fate.js';

const VIEW = { x: [0, 10], y: [0, 10] };
/** A racer from its points [[x, y], ...] and losses. */
const racer = (points, loss) => ({ path: Float32Array.from(points.flat()), loss: Float32Array.from(loss) });

describe('race-fate', () => {
  it('a racer that leaves, comes back and leaves again has two spells outside', () => {
    const r = racer([[5, 5], [9, 5], [12, 5], [8, 5], [5, 15], [5, 20]], [1, 2, 3, 2, 4, 5]);
    const fate = racerFate(r, VIEW, 5);
    assert.deepEqual(fate, { divergedAt: null, spells: [[2, 3], [4, null]] });
    assert.equal(fateWords(fate, 1), '');
    assert.equal(fateWords(fate, 2), 'left the plot at step 2');
    assert.equal(fateWords(fate, 3), '', 'back in view at step 3');
    assert.equal(fateWords(fate, 5), 'left the plot at step 4');
    // cut at the edges: (9,5)→(12,5) leaves at x = 10, (12,5)→(8,5) comes back at x = 10, (8,5)→(5,15) leaves at y = 10
    const shown = visiblePath(r, fate, 5, VIEW);
    assert.deepEqual(shown.pieces.map((p) => p.map((v) => +v.toFixed(6))), [[5, 5, 9, 5, 10, 5], [10, 5, 8, 5, 6.5, 10]]);
    assert.deepEqual(shown.marks.map((m) => m.map((v) => +v.toFixed(6))), [[10, 5], [6.5, 10]]);
    assert.equal(shown.point, null, 'out of view at the end');
    assert.deepEqual(visiblePath(r, fate, 3, VIEW).point, [8, 5], 'in view at step 3');
  });

  it('a step across the whole view, from outside to outside, is drawn and marked where it leaves', () => {
    const r = racer([[5, 5], [-1, 5], [11, 5]], [0, 0, 0]);
    const fate = racerFate(r, VIEW, 2);
    assert.deepEqual(fate.spells, [[1, null]], 'no step of it is in view after step 0');
    const shown = visiblePath(r, fate, 2, VIEW);
    assert.deepEqual(shown.pieces, [[5, 5, 0, 5], [0, 5, 10, 5]]);
    assert.deepEqual(shown.marks, [[0, 5], [10, 5]]);
    const away = racer([[5, 5], [-1, 9], [-1, 12]], [0, 0, 0]), gone = visiblePath(away, racerFate(away, VIEW, 2), 2, VIEW);
    assert.deepEqual(gone.pieces.map((p) => p.map((v) => +v.toFixed(6))), [[5, 5, 0, 8.333333]], 'a step that misses the view draws nothing');
    assert.equal(gone.marks.length, 1);
  });

  it('diverges at the first loss past the bound, or where the engine stopped', () => {
    const big = racer([[5, 5], [6, 6], [7, 7], [8, 8]], [1, 1e3, DIVERGED_LOSS * 2, Infinity]);
    const fate = racerFate(big, VIEW, 3);
    assert.deepEqual(fate, { divergedAt: 2, spells: [[2, null]] }, 'in view when it diverged: it leaves the plot with it');
    assert.equal(fateWords(fate, 1), '');
    assert.equal(fateWords(fate, 3), 'diverged at step 2');
    const shown = visiblePath(big, fate, 3, VIEW);
    assert.deepEqual(shown.pieces, [[5, 5, 6, 6]], 'drawn up to its last sound step');
    assert.deepEqual(shown.marks, [[6, 6]], 'and marked there');
    // the engine returns steps + 1 points unless the next point was not finite
    const stopped = racer([[5, 5], [20, 5]], [1, 2]);
    const f2 = racerFate(stopped, VIEW, 10);
    assert.deepEqual(f2, { divergedAt: 2, spells: [[1, null]] });
    assert.equal(fateWords(f2, 10), 'left the plot at step 1, diverged at step 2');
    assert.equal(fateWords(racerFate(racer([[50, 5]], [1]), VIEW, 0), 0), 'outside the plot from the start');
  });

  it('the chart draws a loss to its range\'s edge, marks it, leaves it out, and takes it up again on return', () => {
    const fate = { divergedAt: null, spells: [] };
    const { values, marks } = lossTrack([1, 5, 20, 30, 4, -7, NaN], fate, 6, [0, 10]);
    assert.deepEqual(values, [1, 5, 10, null, 4, 0, null]);
    assert.deepEqual(marks, [[2, 10], [5, 0]]);
    const ended = lossTrack([1, 2, 3, 4], { divergedAt: 2, spells: [[2, null]] }, 3, [0, 10]);
    assert.deepEqual(ended, { values: [1, 2, null, null], marks: [[1, 2]] }, 'a racer that diverged in range ends in a mark at its last value');
  });

  it('the chart\'s range is the surface over the view and every loss in view; the legend and status use the true losses', () => {
    const out = racer([[5, 5], [9, 5], [12, 5]], [1, 2, 300]), inView = racer([[5, 5], [6, 5], [7, 5]], [1, 0.5, -3]);
    const race = {
      surface: { min: 0, max: 2, x: VIEW.x, y: VIEW.y }, running: false,
      paths: [{ name: 'sgd', ...out, fate: racerFate(out, VIEW, 2) }, { name: 'adam', ...inView, fate: racerFate(inView, VIEW, 2) }],
    };
    const chart = raceChart(race, 2);
    assert.deepEqual(chart.columns, [[0, 1, 2], [1, 2, 2], [1, 0.5, -3]], '−3 is in view, so inside the range; 300 is not');
    assert.deepEqual(chart.marks, [[[2, 2]], []]);
    assert.equal(racerValue(race, 0, 2, 2), '300.0000 (off the plot)');
    assert.equal(racerValue(race, 0, null, 2), 'left the plot at step 2');
    assert.equal(racerValue(race, 1, null, 2), '–');
    assert.deepEqual(raceStatus(race, 2, 2), { text: 'Race finished at step 2 of 2\nsgd: left the plot at step 2\nadam: loss -3.0000', bad: false });
    assert.deepEqual(raceStatus({ surface: null }, -1, 2), { text: 'computing the paths…', bad: false });
  });
});
