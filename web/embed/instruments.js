// instruments.js: the instrument panels a <gradlab-playground> shows for a lesson about them: the
// ones its moments name (the landscape, the sharpness chart, the range test), drawn by the page's own
// chart functions (web/app/instrument-charts.js) from the readings the runs' workers send. Plain
// functions over the element's DOM parts (`d`) and its session; the element decides when to call them.
import { el } from '../app/dom.js';
import { drawLandscapeBoards, landscapeWords, rangeTestChart, rangeTestData, sharpnessChart, sharpnessData } from '../app/instrument-charts.js';

/** The page's instrument panels a lesson's moment may name; the embed shows them in one box, d.instrumentBox. */
export const INSTRUMENT_PANELS = ['landscape', 'sharpness-chart', 'lrfind-chart'];

/** The instrument panels `lesson` talks about (its moments name them), in the page's order. */
export const lessonPanels = (lesson) => INSTRUMENT_PANELS.filter((p) => lesson?.instruments && lesson.moments.some((m) => m.panel === p));

/** The box for a lesson's instrument panels (empty and hidden when it has none); goes into the element's views. */
export function instrumentBox(d, lesson) {
  d.instrumentPanels = lessonPanels(lesson);
  d.instrumentBox = el('div', { class: 'instrument-box' });
  d.instrumentBox.hidden = d.instrumentPanels.length === 0;
  d.directionChoices = lesson?.instruments?.directions?.length ? lesson.instruments.directions : ['random'];
  d.landscapeDirections = d.directionChoices[0];
  return d.instrumentBox;
}

/** Builds the panels for the session's runs; returns their charts (to fit and redraw with the others). */
export function buildInstrumentViews(d, session, size, redraw) {
  const charts = {}, runs = session.runs;
  d.landscapeBoards = [];
  const parts = d.instrumentPanels.map((panel) => {
    if (panel === 'landscape') {
      const boards = el('div', { class: 'boards' });
      d.landscapeBoards = runs.map((run) => {
        const canvas = el('canvas', { width: '200', height: '200', 'aria-label': `Loss landscape of ${run.label}` });
        const caption = el('figcaption', { text: '' });
        const figure = el('figure', { class: 'board' }, [canvas, caption]);
        figure.hidden = true;
        return { run, canvas, caption, figure };
      });
      boards.append(...d.landscapeBoards.map((b) => b.figure));
      d.landscapeLegend = el('canvas', { width: '260', height: '34', 'aria-label': 'Colour legend of the landscape: loss from low to high' });
      d.landscapeCaption = el('p', { class: 'hint', text: 'The landscape is computed at the lesson\'s last step' });
      const pick = el('select', { 'aria-label': 'Directions of the landscape\'s plane' }, d.directionChoices.map((c) => el('option', { value: c, text: `${c} directions` })));
      pick.value = d.landscapeDirections;
      pick.addEventListener('change', () => { d.landscapeDirections = pick.value; redraw(); });
      return el('div', { class: 'instrument', 'data-panel': panel }, [el('label', { class: 'hint' }, [pick]), boards, d.landscapeLegend, d.landscapeCaption]);
    }
    const box = el('div', { class: 'chart' });
    const options = { width: size.width, height: size.height, legend: true };
    if (panel === 'sharpness-chart') charts.sharpness = sharpnessChart(box, runs, options);
    else charts.rangeTest = rangeTestChart(box, () => session.runs[0], options);
    return el('div', { class: 'instrument chart-box', 'data-panel': panel }, [box]);
  });
  d.instrumentBox.replaceChildren(...parts);
  return charts;
}

/** Redraws the panels from the runs' readings. */
export function drawInstrumentViews(d, session, charts) {
  if (!d.instrumentPanels.length) return;
  const sharp = sharpnessData(session.runs), test = rangeTestData(session.runs[0]);
  if (sharp) charts.sharpness?.setData(sharp);
  if (test) charts.rangeTest?.setData(test);
  if (d.landscapeBoards.length) {
    const shown = drawLandscapeBoards(d.landscapeBoards, d.landscapeDirections, d.landscapeLegend, 200);
    if (shown.length) d.landscapeCaption.textContent = landscapeWords(shown[0], shown.length);
  }
}
