// views.js: what a <gradlab-playground> draws inside its shadow root: the boundary boards and loss chart
// of training runs, the contour and loss chart of a race, and the callout of a lesson's moment. Plain
// functions over the element's DOM parts (`d`) and its session; the element decides when to call them.
import { join, lineChart, seriesColor } from '../app/charts.js';
import { drawBoundary, drawContour } from '../app/draw.js';
import { hasInputPlane } from '../app/protocol.js';
import { fmt } from '../app/format.js';
import { runMarks } from '../app/marks.js';
import { runStatus } from '../app/labels.js';
import { racerLabel } from '../app/session.js';
import { raceChart, racerValue, raceStatus } from '../app/race-fate.js';
import { momentWords } from '../app/views/moments.js';
import { el } from '../app/dom.js';
import { SURFACE_VIEWS } from '../lib/names.js';

/** The page's panels a lesson's moment may name that the embed has too, and which of its boxes shows each. */
export const MOMENT_BOXES = { 'loss-chart': 'chartBox', 'race-chart': 'chartBox', boundary: 'boards', multiples: 'boards', contour: 'boards' };

function legendItem(color, text, dashed, value) {
  const swatch = el('span', { class: dashed ? 'swatch dashed' : 'swatch' });
  swatch.style.backgroundColor = color;
  return el('span', { class: 'item' }, [swatch, el('span', { class: 'label', text }), value]);
}

/**
 * The legend under the chart: one row per entry of `rows` ({ color, text, dashed }), each with a value
 * that follows the cursor as the page's chart legends do: the hovered step, then valueOf(u, k, idx)
 * for row k (idx null: no hover). Returns the uPlot hooks that keep it current; d.showLegend(u)
 * refreshes it after new data.
 */
function liveLegend(d, rows, valueOf, extra = []) {
  const step = el('span', { class: 'hover-step' }), values = rows.map(() => el('span', { class: 'value' }));
  d.legend.replaceChildren(step, ...rows.map((r, k) => legendItem(r.color, r.text, r.dashed, values[k])), ...extra);
  d.showLegend = (u) => {
    const idx = u.cursor.idx ?? null, x = idx == null ? null : u.data[0][idx];
    step.textContent = x == null ? '' : `step ${x}`;
    values.forEach((v, k) => { v.textContent = valueOf(u, k, x == null ? null : idx); });
  };
  return { setCursor: [(u) => d.showLegend(u)] };
}

/** A run's board is shown only once there is a boundary to draw: over one or two inputs (hidden over more). */
export function fitBoard(run) {
  if (run.view && run.built) run.view.figure.hidden = !hasInputPlane(run.built.inputs);
}

/** One board per run and the loss chart of all of them; returns the charts. size: { width, height, compact }. */
export function buildRunViews(d, session, size) {
  const runs = session.runs, compare = session.state.mode === 'compare';
  const side = compare ? (size.compact ? 110 : 150) : (size.compact ? 170 : 240);
  d.boards.replaceChildren(...runs.map((run) => {
    const color = seriesColor(run.index), canvas = el('canvas', { width: String(side), height: String(side), 'aria-label': `Decision boundary of ${run.label}` });
    const swatch = el('span', { class: 'swatch' });
    swatch.style.backgroundColor = color;
    const caption = el('figcaption', {}, compare ? [swatch, el('span', { text: run.label })] : [el('span', { text: 'boundary · dots train, rings test' })]);
    run.view = { canvas, figure: el('figure', { class: 'board' }, [canvas, caption]) };
    fitBoard(run);   // a run whose network was built before its views (the chart library came later)
    return run.view.figure;
  }));
  const series = runs.flatMap((r) => [
    { label: compare ? `${r.label} train` : 'train loss', stroke: seriesColor(r.index), width: 2 },
    { label: compare ? `${r.label} test` : 'test loss', stroke: seriesColor(compare ? r.index : 1), dash: [5, 4], width: 2 },
  ]);
  // compare: a row per run reading "train / test"; one run: a row per curve
  const rows = compare ? runs.map((r) => ({ color: seriesColor(r.index), text: r.label }))
    : [{ color: seriesColor(0), text: 'train loss' }, { color: seriesColor(1), text: 'test loss', dashed: true }];
  // runs report at steps of their own, so a run's column has gaps where another reported: its value
  // at the hovered step is the one its line passes through, its latest report up to that step
  const at = (u, i, idx) => {
    let j = idx;
    while (j > 0 && u.data[i][j] == null) --j;
    return fmt(u.data[i][j]);
  };
  const hooks = liveLegend(d, rows, (u, k, idx) => (idx == null ? '' : compare ? `${at(u, 2 * k + 1, idx)} / ${at(u, 2 * k + 2, idx)}` : at(u, k + 1, idx)),
    compare ? [el('span', { class: 'hint', text: 'solid train, dashed test' })] : []);
  const marks = () => runMarks(session.runs, compare);   // live changes of the rate and the like (marks.js)
  return { loss: lineChart(d.chart, { width: size.width, height: size.height, series, legend: false, hooks, marks }) };
}

/** Curves, fresh boundaries and the status lines of the training runs. */
export function drawRuns(d, session, charts) {
  const runs = session.runs;
  if (runs.some((r) => r.curves.x.length) && charts.loss) {
    const tables = runs.map((r) => [r.curves.x, r.curves.trainLoss, r.curves.testLoss]);
    charts.loss.setData(tables.length > 1 ? join(tables) : tables[0]);
    d.showLegend?.(charts.loss);
  }
  for (const run of runs) {
    if (!run.built || !run.last || !run.fresh || !run.view || run.view.figure.hidden) continue;
    run.fresh = false;
    drawBoundary(run.view.canvas, run.built, run.last.outputs);
  }
  const lines = runs.map((r) => ({ ...runStatus(r, session.state), prefix: session.state.mode === 'compare' ? `${r.label}: ` : '' }));
  d.status.classList.toggle('bad', lines.some((l) => l.bad));
  d.status.textContent = lines.map((l) => `${l.prefix}${l.text}${l.accuracy ? ` · ${l.accuracy}` : ''}`).join('\n');
}

/** The race's contour board and loss chart; returns the charts. */
export function buildRaceView(d, session, size) {
  const { state, race } = session;
  const side = size.compact ? 200 : 280;
  const view = SURFACE_VIEWS[state.surface], aspect = (view.y[1] - view.y[0]) / (view.x[1] - view.x[0]);
  d.contour = el('canvas', { width: String(side), height: String(Math.round(Math.max(120, Math.min(side * 1.4, side * aspect)))), 'aria-label': `Contours of the ${state.surface} surface with each optimiser's path` });
  d.boards.replaceChildren(el('figure', { class: 'board' }, [d.contour, el('figcaption', { text: `${state.surface} · ○ start · ✕ left the plot or diverged` })]));
  const labels = race.racers.map((r) => racerLabel(r.name, r.learningRate));
  d.raceUpto = 0;
  d.raceMarks = [];
  // each racer's true loss at the hovered step, and otherwise what became of it (once the paths are in)
  const hooks = liveLegend(d, labels.map((text, k) => ({ color: seriesColor(k), text })),
    (u, k, idx) => (session.race?.paths ? racerValue(session.race, k, idx, d.raceUpto).replace(/^–$/, '') : ''));
  d.status.textContent = raceStatus(race, 0, state.raceSteps).text;
  d.status.classList.remove('bad');
  return {
    loss: lineChart(d.chart, {
      width: size.width, height: size.height, legend: false, hooks, crosses: () => d.raceMarks,
      series: labels.map((label, k) => ({ label, stroke: seriesColor(k), width: 2 })),
    }),
  };
}

/** Draws the race up to the clock's step; returns the racers as step-event rows when the step changed, else null. */
export function drawRace(d, session, charts, now) {
  const race = session.race, steps = session.state.raceSteps;
  const { upto, changed } = session.raceFrame(now);
  if (!changed) return null;
  d.raceUpto = upto;
  drawContour(d.contour, race.surface, race.paths, upto, race.start);
  const chart = raceChart(race, upto);
  d.raceMarks = chart.marks;
  if (charts.loss) { charts.loss.setData(chart.columns); d.showLegend(charts.loss); }
  const status = raceStatus(race, upto, steps);
  d.status.textContent = status.text;
  d.status.classList.toggle('bad', status.bad);
  const at = (p) => p.loss[Math.min(upto, p.loss.length - 1)];
  return race.paths.map((p) => ({
    label: p.name, status: p.fate.divergedAt !== null && p.fate.divergedAt <= upto ? 'diverged' : 'ok', step: upto, loss: at(p), accuracy: null, learningRate: p.learningRate,
  }));
}

/** The callout of a lesson's moment (hidden until shown), with its "Play to go on" button. */
export function momentCallout(d, onGo) {
  d.momentWhere = el('strong', { class: 'moment-where' });
  d.momentText = el('p', { class: 'moment-text' });
  const go = el('button', { type: 'button', class: 'moment-go', text: 'Play to go on' });
  go.addEventListener('click', onGo);
  d.moment = el('aside', { class: 'moment', 'aria-label': 'Lesson moment' }, [d.momentWhere, d.momentText, go]);
  d.moment.hidden = true;
  return d.moment;
}

/** Shows a stop of the lesson in the callout and outlines the box it names; returns the event's detail. */
export function showMoment(d, lesson, stop) {
  hideMoment(d);
  const words = momentWords(lesson, stop);
  d.momentWhere.textContent = words.where;
  d.momentText.textContent = words.text;
  d.moment.hidden = false;
  const box = stop.moment && d[MOMENT_BOXES[stop.moment.panel]];
  if (box) { box.classList.add('moment-focus'); d.focused = box; }
  return { step: stop.step, panel: stop.moment?.panel ?? null, text: words.text, end: stop.end };
}

export function hideMoment(d) {
  if (d.moment) d.moment.hidden = true;
  d.focused?.classList.remove('moment-focus');
  d.focused = null;
}
