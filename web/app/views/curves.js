// curves.js: the loss, accuracy and learning-rate charts of every run (one colour per run in
// compare mode, train solid and test dashed), drawn from the curves the session keeps.
import { PALETTE, join, lineChart } from '../charts.js';

const $ = (id) => document.getElementById(id);
/** The width of the wide charts: the side column's, within limits. */
export const wideChart = () => Math.max(260, Math.min(340, window.innerWidth - 40));

/** The charts over `page` ({ state, session }); returns { charts, build(), render() }. */
export function createCurves(page) {
  const charts = {};
  return {
    charts,
    build() {
      const compare = page.state.mode === 'compare', runs = page.session.runs;
      $('curves-caption').textContent = compare
        ? 'Loss (top) and accuracy, solid train, dashed test, one colour per run (see the cards); learning rate below'
        : 'Loss and accuracy, train and test; learning rate below';
      const series = (what) => runs.flatMap((r) => [
        { label: compare ? `${r.label} train` : `train ${what}`, stroke: PALETTE[r.index], width: 2 },
        { label: compare ? `${r.label} test` : `test ${what}`, stroke: compare ? PALETTE[r.index] : PALETTE[1], dash: [5, 4], width: 2 },
      ]);
      const lossSeries = series('loss');
      if (!compare) lossSeries.push({ label: 'batch loss', stroke: 'rgba(0,0,0,0.25)', width: 1 });
      charts.loss = lineChart($('loss-chart'), { width: wideChart(), height: 170, series: lossSeries, legend: !compare });
      charts.acc = lineChart($('acc-chart'), { width: wideChart(), height: 100, series: series('accuracy'), yRange: [0, 1], legend: false });
      charts.lr = lineChart($('lr-chart'), {
        width: wideChart(), height: 80, ySpace: 14, yRange: (u, lo, hi) => [0, (hi || 1) * 1.15], legend: false,
        series: runs.map((r) => ({ label: `${r.label} learning rate`, stroke: compare ? PALETTE[r.index] : PALETTE[2] })),
      });
    },
    render() {
      const runs = page.session.runs;
      if (runs.some((r) => r.curves.x.length) && charts.loss) {
        if (page.state.mode === 'compare') {
          charts.loss.setData(join(runs.map((r) => [r.curves.x, r.curves.trainLoss, r.curves.testLoss])));
          charts.acc.setData(join(runs.map((r) => [r.curves.x, r.curves.trainAcc, r.curves.testAcc])));
          charts.lr.setData(join(runs.map((r) => [r.curves.x, r.curves.lr])));
        } else {
          const c = runs[0].curves;
          charts.loss.setData([c.x, c.trainLoss, c.testLoss, c.batchLoss]);
          charts.acc.setData([c.x, c.trainAcc, c.testAcc]);
          charts.lr.setData([c.x, c.lr]);
        }
      }
      $('acc-chart').hidden = runs[0]?.built?.classes === 0;
    },
  };
}
