// curves.js aligns the compare runs' curves once a redraw (alignedTables): one uPlot.join of every
// run's [step, train loss, test loss, train accuracy, test accuracy, rate], whose columns the loss,
// accuracy and rate charts take. Each table must be what a join of that chart's own columns gives:
// checked over runs that recorded different steps, with gaps (null) and NaN (a diverged run).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartsLoaded, join, loadCharts } from '../../web/app/charts.js';
import { alignedTables } from '../../web/app/views/curves.js';

loadCharts();
await chartsLoaded;

function run(seed, length) {
  let s = seed;
  const next = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const x = [];
  for (let step = 0; x.length < length; step += 1 + Math.floor(next() * 40)) x.push(step);
  const col = (nulls) => x.map((_, i) => (nulls && i % 7 === 3 ? null : i === length - 2 && seed === 3 ? NaN : next()));
  return { curves: { x, trainLoss: col(false), testLoss: col(true), trainAcc: col(false), testAcc: col(true), lr: col(false) } };
}

describe('one join of the compare runs\' curves gives each chart its own join', () => {
  for (const n of [1, 2, 4]) {
    it(`${n} run(s) of different steps`, () => {
      const runs = Array.from({ length: n }, (_, k) => run(k + 1, 200 + 37 * k)), c = (r) => r.curves;
      const tables = alignedTables(runs);
      assert.deepEqual(tables.loss, join(runs.map((r) => [c(r).x, c(r).trainLoss, c(r).testLoss])));
      assert.deepEqual(tables.acc, join(runs.map((r) => [c(r).x, c(r).trainAcc, c(r).testAcc])));
      assert.deepEqual(tables.lr, join(runs.map((r) => [c(r).x, c(r).lr])));
      assert.equal(tables.loss.length, 1 + 2 * n);
    });
  }
});
