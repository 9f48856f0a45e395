// instrument-charts.js: the instruments' charts and boards over runs' readings, shared by the page's
// Instruments group (views/instruments.js) and the embed (embed/instruments.js): λmax beside 2/η per
// run, the range test with its two suggestions marked, and the landscapes of several runs on one
// colour scale. Plain functions over DOM elements and run.instruments (instrument-readings.js).
import { SERIES, join, lineChart, seriesColor } from './charts.js';
import { drawLandscape, drawLandscapeLegend, landscapeScale } from './draw-instruments.js';
import { fmt } from './format.js';
import { readingsOf } from './instrument-readings.js';

/** λmax (solid) and 2/η (dashed) of every run, in the run's colour. options: lineChart's (width, height, legend). */
export function sharpnessChart(el, runs, options = {}) {
  const compare = runs.length > 1;
  const series = runs.flatMap((r) => [
    { label: compare ? `${r.label} λmax` : 'λmax', stroke: seriesColor(r.index), width: 2 },
    { label: compare ? `${r.label} 2/η` : '2/η', stroke: seriesColor(r.index), width: 1.5, dash: [6, 4] },
  ]);
  return lineChart(el, { height: 200, series, title: 'Sharpness over training', yLabel: 'λmax, 2/η', ...options });
}

/** The sharpness chart's columns, or null before any measurement. */
export function sharpnessData(runs) {
  const tables = runs.map((r) => { const s = readingsOf(r).sharpness; return [s.step, s.lambdaMax, s.twoOverEta]; });
  if (!tables.some((t) => t[0].length)) return null;
  return tables.length > 1 ? join(tables) : tables[0];
}

/** The suggestions of a range test as vertical marks. */
const suggestionMarks = (s) => (s ? [
  ...(s.steepest != null ? [{ x: s.steepest, color: SERIES[2], text: `steepest ${fmt(s.steepest, 2)}` }] : []),
  ...(s.minimumDividedBy10 != null ? [{ x: s.minimumDividedBy10, color: SERIES[5], text: `minimum / 10 ${fmt(s.minimumDividedBy10, 2)}` }] : []),
] : []);

/** The range test of `run()` (read at each redraw): raw and smoothed loss over a log rate axis, suggestions marked. */
export function rangeTestChart(el, run, options = {}) {
  return lineChart(el, {
    height: 200, logX: true, xLabel: 'learning rate (log)', yLabel: 'loss', title: 'Loss while the rate grows',
    // up to a little above the smoothed curve: the raw loss of the last steps may be far higher
    yRange: (u, min, max) => [0, Math.min(max, 1.15 * Math.max(...u.data[2].filter(Number.isFinite), 1e-9))],
    series: [{ label: 'loss', stroke: '#b8b8c4', width: 1 }, { label: 'smoothed', stroke: SERIES[0], width: 2 }],
    marks: () => suggestionMarks(run() && readingsOf(run()).rangeTest?.suggestions),
    ...options,
  });
}

/** The range test's columns, or null before it ran. */
export function rangeTestData(run) {
  const t = run && readingsOf(run).rangeTest;
  return t ? [Array.from(t.learningRates), Array.from(t.losses), Array.from(t.smoothed)] : null;
}

/**
 * Draws the landscapes in `directions` of the boards ({ run, canvas, caption, figure }) that have one,
 * on one colour scale, `side` px square, and the legend; hides the rest. Returns the landscapes drawn.
 */
export function drawLandscapeBoards(boards, directions, legend, side) {
  const shown = boards.map((b) => ({ ...b, landscape: readingsOf(b.run).landscape[directions] })).filter((b) => b.landscape);
  for (const b of boards) b.figure.hidden = !shown.some((x) => x.run === b.run);
  if (legend) legend.hidden = !shown.length;
  if (!shown.length) return [];
  const scale = landscapeScale(shown.map((b) => b.landscape));
  for (const b of shown) {
    if (b.canvas.width !== side) { b.canvas.width = side; b.canvas.height = side; }
    drawLandscape(b.canvas, b.landscape, scale);
    b.caption.textContent = `${boards.length > 1 ? `${b.run.label} · ` : ''}step ${b.landscape.step} · centre loss ${fmt(b.landscape.center.loss, 4)}`;
  }
  if (legend) drawLandscapeLegend(legend, scale);
  return shown.map((b) => b.landscape);
}

/** What a landscape shows, in words (the page's caption, the embed's board caption). */
export function landscapeWords(l, runs) {
  return l.directions === 'trajectory'
    ? `Plane of the two principal directions of the recorded weights (they explain ${l.explained.map((v) => `${Math.round(100 * v)}%`).join(' and ')} of the path's spread); white line: the path, from its start to the ring, the current weights; ${l.rows} training rows`
    : `Two random directions, filter-normalised (Li et al. 2018), α, β in ±${fmt(l.span, 2)}; the ring is the current weights; ${l.rows} training rows; one colour scale for ${runs > 1 ? 'all runs' : 'the plane'}`;
}
