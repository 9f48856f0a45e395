// curves.js: the loss, accuracy and learning-rate charts of every run (one colour per run in
// compare mode, train solid and test dashed), drawn from the curves the session keeps, and the
// large step and loss readout beside the Play button.
import { join, lineChart, seriesColor } from '../charts.js';
import { el } from '../dom.js';
import { fmt } from '../format.js';
import { later, pending } from '../later.js';
import { markLines, runMarks } from '../marks.js';

const $ = (id) => document.getElementById(id);
/** The cursor of the loss, accuracy and learning-rate charts moves together. */
const SYNC = 'curves';

/**
 * Compare mode: the runs' curves on one step column (each run records its own steps), by one join
 * of every run's columns, and the loss, accuracy and learning-rate charts' tables taken from it.
 */
export function alignedTables(runs) {
  const t = join(runs.map((r) => [r.curves.x, r.curves.trainLoss, r.curves.testLoss, r.curves.trainAcc, r.curves.testAcc, r.curves.lr]));
  const columns = (...at) => [t[0], ...runs.flatMap((_, k) => at.map((j) => t[1 + 5 * k + j]))];
  return { loss: columns(0, 1), acc: columns(2, 3), lr: columns(4) };
}

/** The charts over `page` ({ state, session }); returns { charts, build(), render(), readout() }. */
export function createCurves(page) {
  const charts = {};
  let lossSeries = [], nextChart = 0;   // the chart a redraw cut short by its frame's deadline goes on from
  let aligned = null;   // compare mode: alignedTables of the runs, made at a redraw's first chart
  // live changes of the rate and the like: a line on each chart, and the list of them under the charts
  const marks = () => runMarks(page.session.runs, page.state.mode === 'compare');
  const markList = el('ul', { id: 'curve-marks', class: 'curve-marks', 'aria-label': 'Settings changed during the run' });
  markList.hidden = true;
  $('curves-caption').before(markList);
  let listed = '';
  const buildLoss = () => {
    const log = $('loss-log').checked;
    charts.loss = lineChart($('loss-chart'), {
      height: 190, series: lossSeries, title: 'Loss', yLabel: log ? 'loss (log)' : 'loss', logY: log, sync: SYNC, marks,
    });
  };
  $('loss-log').addEventListener('change', () => { buildLoss(); page.redraw(); });
  // the three charts, each built after the next frame in a task of its own (about 4 ms of CPU each)
  const PIECES = ['curves-loss', 'curves-acc', 'curves-lr'];
  const buildCharts = () => {
    const compare = page.state.mode === 'compare', runs = page.session.runs;
    $('curves-caption').textContent = compare
      ? 'Solid train, dashed test, one colour per run (as on the cards); hover for values'
      : 'Solid train, dashed test; grey: each minibatch\'s loss; hover for values';
    const series = (what) => runs.flatMap((r) => [
      { label: compare ? `${r.label} train` : `train ${what}`, stroke: seriesColor(compare ? r.index : 0), width: 2 },
      { label: compare ? `${r.label} test` : `test ${what}`, stroke: seriesColor(compare ? r.index : 1), dash: [5, 4], width: 2 },
    ]);
    later(PIECES[0], () => {
      lossSeries = series('loss');
      if (!compare) lossSeries.push({ label: 'batch loss', stroke: 'rgba(0,0,0,0.25)', width: 1 });
      buildLoss();
    });
    later(PIECES[1], () => {
      charts.acc = lineChart($('acc-chart'), { height: 120, series: series('accuracy'), yRange: [0, 1], title: 'Accuracy', yLabel: 'accuracy', sync: SYNC, marks, marksAt: 'bottom' });
    });
    later(PIECES[2], () => {
      charts.lr = lineChart($('lr-chart'), {
        height: 110, ySpace: 18, yRange: (u, lo, hi) => [0, (hi || 1) * 1.15], title: 'Learning rate', yLabel: 'rate', sync: SYNC, marks,
        series: runs.map((r) => ({ label: compare ? r.label : 'learning rate', stroke: seriesColor(compare ? r.index : 2) })),
      });
      page.redraw();
    });
  };

  return {
    charts,
    // the charts are built after the next frame (later.js): creating one lays the page out
    build() { nextChart = 0; buildCharts(); },
    // the three charts in turn: past the frame's deadline the next waits for the next frame (main.js)
    render(deadline = Infinity) {
      const runs = page.session.runs;
      // charts of the runs before a rebuild have other series: they wait for their new build
      if (runs.some((r) => r.curves.x.length) && charts.loss && !PIECES.some(pending)) {
        const compare = page.state.mode === 'compare', c = runs[0].curves;
        if (compare && nextChart === 0) aligned = alignedTables(runs);   // once a redraw, for all three charts
        const draw = [
          () => charts.loss.setData(compare ? aligned.loss : [c.x, c.trainLoss, c.testLoss, c.batchLoss]),
          () => charts.acc.setData(compare ? aligned.acc : [c.x, c.trainAcc, c.testAcc]),
          () => charts.lr.setData(compare ? aligned.lr : [c.x, c.lr]),
        ];
        while (nextChart < draw.length) {
          draw[nextChart++]();
          if (nextChart < draw.length && performance.now() > deadline) return false;
        }
        nextChart = 0;
      }
      $('acc-chart').hidden = runs[0]?.built?.classes === 0;
      const lines = markLines(runs, page.state.mode === 'compare');
      if (lines.join('\n') !== listed) {
        listed = lines.join('\n');
        markList.replaceChildren(...lines.map((text) => el('li', { text: `Changed at ${text}` })));
        markList.hidden = lines.length === 0;
      }
    },
    // the big step and loss: main.js draws them as a redraw begins, with the status line (single.js)
    readout() { showReadout(page.session.runs, page.state.mode === 'compare'); },
  };
}

/** The big numbers by the Play button: the step, and the train loss (in compare mode the lowest, with its run). */
function showReadout(runs, compare) {
  const live = runs.filter((r) => r.last);
  $('readout-step').textContent = String(live.length ? Math.max(...live.map((r) => r.last.step)) : 0);
  const ok = live.filter((r) => Number.isFinite(r.last.train.loss));
  const best = ok.reduce((a, r) => (!a || r.last.train.loss < a.last.train.loss ? r : a), null);
  $('readout-loss').textContent = best ? fmt(best.last.train.loss) : '–';
  $('readout-loss-label').textContent = compare && best ? `lowest train loss (${best.label})` : 'train loss';
}
