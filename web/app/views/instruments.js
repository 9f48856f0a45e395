// instruments.js: the Instruments group of train and compare modes: the loss landscape of each run
// (one colour scale for all, the recorded path over it), λmax over time beside 2/η, and the
// learning-rate range test of the first run with buttons that apply its suggestions. Every number is
// computed in the runs' workers (worker-instruments.js); this view asks for them through the session
// and draws what arrives (run.instruments, instrument-readings.js).
import { el } from '../dom.js';
import { landscapeAt } from '../draw-instruments.js';
import { fmt } from '../format.js';
import { drawLandscapeBoards, landscapeWords, rangeTestChart, rangeTestData, sharpnessChart, sharpnessData } from '../instrument-charts.js';
import { cyclicBounds, roundRate } from '../instrument-plan.js';
import { readingsOf } from '../instrument-readings.js';
import { later } from '../later.js';
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
      figure.hidden = true;   // until its landscape arrives
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

  // The two charts are built for the session's runs once the group is open (a lesson about them
  // opens it), after a frame and in a task of their own (later.js): folded, nothing shows them.
  let chartsFor = null;   // the runs the charts were built for
  const buildCharts = () => {
    charts.sharpness = sharpnessChart($('sharpness-chart'), page.session.runs);
    charts.rangeTest = rangeTestChart($('lrfind-chart'), () => page.session.runs[0]);
    chartsFor = page.session.runs;
  };
  const wantCharts = () => {
    if (group.open && chartsFor !== page.session.runs) later('instrument-charts', () => { buildCharts(); dirty = true; page.redraw(); });
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
      if (w.directions?.length) $('landscape-directions').value = w.directions[0];
      if (w.resolution) $('landscape-resolution').value = String(w.resolution);
    }
    for (const id of ['sharpness-every', 'landscape-every']) {
      $(id).disabled = Boolean(l?.instruments);
      $(id).title = l?.instruments ? 'set by the lesson' : '';
    }
    buildBoards();
    wantCharts();
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
  group.addEventListener('toggle', () => { wantCharts(); dirty = true; page.redraw(); });

  const drawLandscapes = () => {
    const want = directions();
    const side = Math.round(Math.min(LANDSCAPE_MAX, Math.max(160, boards[0]?.figure.parentElement.clientWidth || 300)));
    const shown = drawLandscapeBoards(boards, want, $('landscape-legend'), side);
    $('landscape-caption').textContent = shown.length ? landscapeWords(shown[0], shown.length)
      : want === 'trajectory' ? 'Trajectory directions need a few recorded steps: train, then Recompute'
        : 'Press Recompute to compute the loss on a plane through the current weights';
  };

  return {
    charts,
    render() {
      if (!dirty || !group.open) return;
      dirty = false;
      const runs = page.session.runs;
      const sharp = sharpnessData(runs), test = rangeTestData(runs[0]);
      if (sharp) charts.sharpness?.setData(sharp);
      if (test) charts.rangeTest?.setData(test);
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
