// instruments.js: the Instruments group of train and compare modes: the loss landscape of each run
// (one colour scale for all, the recorded path over it), λmax over time beside 2/η, and the
// learning-rate range test of the first run with buttons that apply its suggestions. Every number is
// computed in the runs' workers (worker-instruments.js); this view asks for them through the session
// and draws what arrives (run.instruments, instrument-readings.js).
import { join, lineChart, seriesColor, SERIES } from '../charts.js';
import { el } from '../dom.js';
import { drawLandscape, drawLandscapeLegend, landscapeAt, landscapeScale } from '../draw-instruments.js';
import { fmt } from '../format.js';
import { cyclicBounds, roundRate } from '../instrument-plan.js';
import { readingsOf } from '../instrument-readings.js';
import { lessonNamed } from '../lessons.js';

const $ = (id) => document.getElementById(id);
const LANDSCAPE_MAX = 420;   // px: a landscape board is square, at most this wide

/** The view over `page` ({ state, session, change, redraw }); returns { charts, render(), summary(run) }. */
export function createInstruments(page) {
  const charts = {};
  let boards = [];   // one { run, canvas, caption } per run
  let dirty = true;
  const group = $('instruments');
  const directions = () => $('landscape-directions').value;
  const every = (id) => Math.max(0, Math.floor(Number($(id).value) || 0));
  const lesson = () => lessonNamed(page.state.lesson);

  const watchSettings = () => ({
    sharpnessEvery: every('sharpness-every'), landscapeEvery: every('landscape-every'), directions: [directions()],
    resolution: Number($('landscape-resolution').value),
  });
  const sendWatch = () => page.session.watchInstruments(watchSettings());

  $('landscape-go').addEventListener('click', () => page.session.measure('landscape', { directions: directions(), resolution: Number($('landscape-resolution').value) }));
  $('sharpness-go').addEventListener('click', () => page.session.measure('sharpness'));
  $('lrfind-go').addEventListener('click', () => {
    const first = page.session.runs[0];
    if (first) page.session.measure('lrfind', {}, [first]);
    $('lrfind-caption').textContent = 'Running the range test in the worker…';
  });
  for (const id of ['sharpness-every', 'landscape-every', 'landscape-resolution']) $(id).addEventListener('change', sendWatch);
  $('landscape-directions').addEventListener('change', () => {
    const want = directions();
    // show what there is for these directions; ask for it when a run has none yet
    const missing = page.session.runs.filter((r) => r.built && !readingsOf(r).landscape[want]);
    if (missing.length) page.session.measure('landscape', { directions: want, resolution: Number($('landscape-resolution').value) }, missing);
    if (!lesson()?.instruments) sendWatch();
    dirty = true; page.redraw();
  });

  const buildBoards = () => {
    const runs = page.session.runs, compare = runs.length > 1;
    boards = runs.map((run) => {
      const canvas = el('canvas', { width: '300', height: '300', 'aria-label': `Loss landscape of ${run.label}` });
      const caption = el('figcaption', { text: compare ? run.label : '' });
      const figure = el('figure', {}, [canvas, caption]);
      canvas.addEventListener('mousemove', (e) => hover(run, canvas, e));
      canvas.addEventListener('mouseleave', () => { $('landscape-hover').textContent = ''; });
      return { run, canvas, caption, figure };
    });
    $('landscape').replaceChildren(...boards.map((b) => b.figure));
  };

  const hover = (run, canvas, e) => {
    const l = readingsOf(run).landscape[directions()];
    const at = l && landscapeAt(canvas, e.clientX, e.clientY, l);
    $('landscape-hover').textContent = at ? `${page.session.runs.length > 1 ? `${run.label}: ` : ''}α ${fmt(at.alpha, 3)}, β ${fmt(at.beta, 3)}: loss ${fmt(at.loss, 4)}` : '';
  };

  const buildCharts = () => {
    const runs = page.session.runs, compare = runs.length > 1;
    const series = runs.flatMap((r) => [
      { label: compare ? `${r.label} λmax` : 'λmax', stroke: seriesColor(r.index), width: 2 },
      { label: compare ? `${r.label} 2/η` : '2/η', stroke: seriesColor(r.index), width: 1.5, dash: [6, 4] },
    ]);
    charts.sharpness = lineChart($('sharpness-chart'), { height: 200, series, title: 'Sharpness over training', yLabel: 'λmax, 2/η' });
    charts.rangeTest = lineChart($('lrfind-chart'), {
      height: 200, logX: true, xLabel: 'learning rate (log)', yLabel: 'loss', title: 'Loss while the rate grows',
      // up to a little above the smoothed curve: the raw loss of the last steps may be far higher
      yRange: (u, min, max) => [0, Math.min(max, 1.15 * Math.max(...u.data[2].filter(Number.isFinite), 1e-9))],
      series: [{ label: 'loss', stroke: '#b8b8c4', width: 1 }, { label: 'smoothed', stroke: SERIES[0], width: 2 }],
      marks: () => {
        const s = readingsOf(page.session.runs[0] ?? {}).rangeTest?.suggestions;
        return s ? [
          ...(s.steepest != null ? [{ x: s.steepest, color: SERIES[2], label: `steepest ${fmt(s.steepest, 2)}` }] : []),
          ...(s.minimumDividedBy10 != null ? [{ x: s.minimumDividedBy10, color: SERIES[5], label: `minimum / 10 ${fmt(s.minimumDividedBy10, 2)}` }] : []),
        ] : [];
      },
    });
  };

  /** The apply buttons under the range test: each suggestion as the learning rate, and both as a cyclic schedule's bounds. */
  const showApply = (test) => {
    const s = test?.suggestions;
    if (!s) { $('lrfind-apply').replaceChildren(); return; }
    const button = (text, patch, id) => {
      const b = el('button', { type: 'button', id, text });
      b.addEventListener('click', () => page.change(patch));
      return b;
    };
    const cyclic = cyclicBounds(s);
    $('lrfind-apply').replaceChildren(...[
      s.steepest != null && button(`Learning rate ${roundRate(s.steepest)} (steepest)`, { lr: roundRate(s.steepest) }, 'apply-steepest'),
      s.minimumDividedBy10 != null && button(`Learning rate ${roundRate(s.minimumDividedBy10)} (minimum / 10)`, { lr: roundRate(s.minimumDividedBy10) }, 'apply-minimum'),
      cyclic && button(`Cyclic schedule ${cyclic.lr} … ${cyclic.maxLr}`, { sched: 'cyclic', lr: cyclic.lr, maxLr: cyclic.maxLr }, 'apply-cyclic'),
    ].filter(Boolean));
  };

  page.session.on('runs', () => {
    const l = lesson();
    if (l?.instruments) {
      group.open = true;   // the lesson talks about these views
      const w = l.instruments;
      $('sharpness-every').value = String(w.sharpnessEvery ?? 0);
      $('landscape-every').value = String(w.landscapeEvery ?? 0);
      if (w.directions?.length) $('landscape-directions').value = w.directions.at(-1);
      if (w.resolution) $('landscape-resolution').value = String(w.resolution);
    }
    for (const id of ['sharpness-every', 'landscape-every']) {
      $(id).disabled = Boolean(l?.instruments);
      $(id).title = l?.instruments ? 'set by the lesson' : '';
    }
    buildBoards();
    buildCharts();
    $('lrfind-caption').textContent = 'Training from the current weights while the rate grows; the weights are put back afterwards';
    showApply(null);
    dirty = true;
  });
  page.session.on('instrument', ({ run, reading }) => {
    if (reading.type === 'lrfind' && run.index === 0) {
      showApply(reading);
      const s = reading.suggestions;
      $('lrfind-caption').textContent = `From step ${reading.step}: ${reading.learningRates.length} steps${reading.stoppedEarly ? ', stopped once the smoothed loss passed four times its lowest' : ''}; suggestions: steepest ${fmt(s.steepest, 2)}, minimum / 10 ${fmt(s.minimumDividedBy10, 2)}. The weights are as they were.`;
    }
    if (reading.type === 'instrumentError') $(`${reading.instrument === 'lrfind' ? 'lrfind' : reading.instrument}-caption`).textContent = `${run.label}: ${reading.message}`;
    dirty = true;
    page.redraw();
  });
  page.session.on('built', () => { dirty = true; });
  group.addEventListener('toggle', () => { dirty = true; page.redraw(); });

  const drawLandscapes = () => {
    const want = directions();
    const shown = boards.map((b) => ({ ...b, landscape: readingsOf(b.run).landscape[want] })).filter((b) => b.landscape);
    if (!shown.length) {
      $('landscape-caption').textContent = want === 'trajectory'
        ? 'Trajectory directions need a few recorded steps: train, then Recompute'
        : 'Press Recompute to compute the loss on a plane through the current weights';
      return;
    }
    const scale = landscapeScale(shown.map((b) => b.landscape));
    const side = Math.round(Math.min(LANDSCAPE_MAX, Math.max(160, (shown[0].figure.clientWidth || 300))));
    for (const b of shown) {
      if (b.canvas.width !== side) { b.canvas.width = side; b.canvas.height = side; }
      drawLandscape(b.canvas, b.landscape, scale);
      b.caption.textContent = `${boards.length > 1 ? `${b.run.label} · ` : ''}step ${b.landscape.step} · centre loss ${fmt(b.landscape.center.loss, 4)}`;
    }
    const legend = $('landscape-legend'), w = Math.round(Math.min(460, Math.max(200, legend.parentElement.clientWidth - 10)));
    if (legend.width !== w) legend.width = w;
    drawLandscapeLegend(legend, scale);
    const l = shown[0].landscape;
    $('landscape-caption').textContent = want === 'trajectory'
      ? `Plane of the two principal directions of the recorded weights (they explain ${l.explained.map((v) => `${Math.round(100 * v)}%`).join(' and ')} of the path's spread); white line: the path, from its start to the ring, the current weights; ${l.rows} training rows`
      : `Two random directions, filter-normalised (Li et al. 2018), α, β in ±${fmt(l.span, 2)}; the ring is the current weights; ${l.rows} training rows; one colour scale for ${shown.length > 1 ? 'all runs' : 'the plane'}`;
  };

  return {
    charts,
    render() {
      if (!dirty || !group.open) return;
      dirty = false;
      const runs = page.session.runs;
      if (charts.sharpness) {
        const tables = runs.map((r) => { const s = readingsOf(r).sharpness; return [s.step, s.lambdaMax, s.twoOverEta]; });
        if (tables.some((t) => t[0].length)) charts.sharpness.setData(tables.length > 1 ? join(tables) : tables[0]);
      }
      const test = runs[0] && readingsOf(runs[0]).rangeTest;
      if (test && charts.rangeTest) charts.rangeTest.setData([Array.from(test.learningRates), Array.from(test.losses), Array.from(test.smoothed)]);
      drawLandscapes();
    },
    /** What the page's test hook reports of a run's instruments: plain numbers. */
    summary(run) {
      const r = readingsOf(run), l = r.landscape, t = r.rangeTest;
      const plane = (x) => (x ? { step: x.step, directions: x.directions, resolution: x.resolution, span: x.span, rows: x.rows, center: x.center.loss, values: Array.from(x.values), explained: x.explained, pathLength: x.path?.alpha.length ?? 0 } : null);
      return {
        sharpness: { step: r.sharpness.step.slice(), lambdaMax: r.sharpness.lambdaMax.slice(), twoOverEta: r.sharpness.twoOverEta.slice() },
        landscape: { random: plane(l.random), trajectory: plane(l.trajectory) },
        rangeTest: t ? { step: t.step, learningRates: Array.from(t.learningRates), smoothed: Array.from(t.smoothed), losses: Array.from(t.losses), suggestions: t.suggestions, stoppedEarly: t.stoppedEarly } : null,
        error: r.error,
      };
    },
  };
}
