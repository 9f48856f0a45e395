// race.js: the optimiser race: a checkbox and an own learning rate per optimiser, the start point
// (fields, a click on the contours, or the arrow keys on them), the contours of the surface with every
// path, the loss of each racer over steps, and the race's status line. What became of each racer (left
// the plot, diverged) comes from race-fate.js, as in the embed and the CLI.
import { OPTIMIZERS, SURFACE_VIEWS } from '../../lib/names.js';
import { lineChart, seriesColor, whenCharts } from '../charts.js';
import { el } from '../dom.js';
import { drawContour, planeAt } from '../draw.js';
import { raceChart, racerValue, raceStatus } from '../race-fate.js';
import { raceStart } from '../race-plan.js';
import { paramInfo, parseRacers, racersText, readValue } from '../state.js';
import { racerLabel } from '../session.js';
import { LABELS } from '../labels.js';
import { allowed, fieldMessages, namedProblemText } from './field-messages.js';

const $ = (id) => document.getElementById(id);

/** A press of an arrow key moves the start by this share of the view (with Shift: five times as far). */
const KEY_STEP = 0.02;
const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };

/** The race view over `page` ({ state, session, change(patch) }); returns { charts, sync(), render() }. */
export function createRace(page) {
  const charts = {};
  let crosses = [], upto = 0, statusText = '';
  const rateOf = (name) => readValue(paramInfo('raceLr'), $(`racer-lr-${name}`).value.trim());
  // each racer: a checkbox, and a learning rate of its own (empty: the shared rate)
  const racersFromControls = () => OPTIMIZERS.filter((name) => $(`racer-${name}`).checked).map((name) => {
    const text = $(`racer-lr-${name}`).value.trim(), read = rateOf(name);
    return { name, learningRate: text === '' || read.error ? null : read.value };
  });
  // one message under the racers for a rate that was not taken (field-messages.js, as the settings have)
  const rates = OPTIMIZERS.map((name) => el('input', { type: 'text', id: `racer-lr-${name}`, inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'lr', 'aria-label': `Learning rate of ${name} (empty: the shared rate)` }));
  const rateMessages = fieldMessages(rates);
  /** The rate racer `name` runs at, as its field shows it: its own, or '' for the shared rate. */
  const rateInUse = (name) => {
    const racer = parseRacers(page.state.racers).find((r) => r.name === name);
    return racer?.learningRate == null ? '' : String(racer.learningRate);
  };
  OPTIMIZERS.forEach((name, i) => {
    const box = el('input', { type: 'checkbox', value: name, id: `racer-${name}` }), rate = rates[i];
    box.addEventListener('change', () => {
      const chosen = racersFromControls();
      if (chosen.length) page.change({ racers: racersText(chosen) });
      else box.checked = true;
    });
    rate.addEventListener('change', () => {
      const text = rate.value.trim(), read = rateOf(name);
      if (text !== '' && read.error) {
        const kept = rateInUse(name);
        rate.value = kept;
        rate.classList.add('invalid');
        rateMessages.problem(namedProblemText(name, text, allowed(read.error), kept === '' ? `the shared rate (${page.state.raceLr})` : kept), rate);
        return;
      }
      rate.classList.remove('invalid');
      rateMessages.problem('');
      if (box.checked) page.change({ racers: racersText(racersFromControls()) });
    });
    $('racers').append(el('label', {}, [box, ` ${name}`, rate]));
  });
  const startHint = $('racers').nextElementSibling;   // the hint that says how to set the start
  $('racers').after(...rateMessages.nodes);

  // the start point: two fields that always show where the race starts, and one message under them
  // for a value they cannot take (field-messages.js, as every other field has)
  const startKeys = ['raceX', 'raceY'], startRow = el('div', { class: 'race-start' });
  const startFields = Object.fromEntries(startKeys.map((key) => [key, el('input', { type: 'text', id: `in-${key}`, inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false' })]));
  const startMessages = fieldMessages(Object.values(startFields));
  startKeys.forEach((key, axis) => {
    const input = startFields[key];
    input.addEventListener('change', () => {
      const typed = input.value.trim(), read = readValue(paramInfo(key), typed);
      if (read.error) {
        const kept = String(raceStart(page.state)[axis]);
        input.value = kept;
        input.classList.add('invalid');
        startMessages.problem(namedProblemText(LABELS[key], typed, allowed(read.error), kept), input);
        return;
      }
      for (const i of Object.values(startFields)) i.classList.remove('invalid');
      startMessages.problem('');
      page.change({ [key]: read.value });
    });
    startRow.append(el('label', { class: 'field', for: input.id }, [el('span', { text: LABELS[key] }), input]));
  });
  startHint.after(startRow, ...startMessages.nodes);

  const contour = $('contour');
  contour.tabIndex = 0;
  contour.setAttribute('aria-label', 'Loss surface contours with the optimisers\' paths; click, or press the arrow keys (Shift: farther), to move the start');
  contour.addEventListener('click', (e) => {
    const surface = page.session.race?.surface;
    if (!surface) return;
    const { x, y } = planeAt(contour, e.clientX, e.clientY, surface.x, surface.y);
    page.change({ raceX: +x.toFixed(3), raceY: +y.toFixed(3) });
  });
  contour.addEventListener('keydown', (e) => {
    const move = ARROWS[e.key];
    if (!move || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    e.stopPropagation();   // → here moves the start; it does not also reach the page's "one step" key
    const view = SURFACE_VIEWS[page.state.surface], [sx, sy] = raceStart(page.state), far = e.shiftKey ? 5 : 1;
    const along = (v, [lo, hi], d) => +Math.max(lo, Math.min(hi, v + d * far * KEY_STEP * (hi - lo))).toFixed(3);
    page.change({ raceX: along(sx, view.x, move[0]), raceY: along(sy, view.y, move[1]) });
  });

  const setStatus = (race) => {
    const { text, bad } = raceStatus(race, upto, page.state.raceSteps);
    if (text === statusText) return;
    statusText = text;
    $('status').textContent = text;
    $('status').classList.toggle('diverged', bad);
  };

  page.session.on('racestart', ({ race }) => { upto = 0; crosses = []; setStatus(race); });
  page.session.on('playing', () => { if (page.state.mode === 'race') setStatus(page.session.race); });
  page.session.on('race', ({ race }) => {
    const { x: [x0, x1], y: [y0, y1] } = race.surface;   // as wide as its panel, keeping the surface's aspect ratio
    const width = Math.round(Math.max(260, Math.min(640, contour.parentElement.clientWidth - 10)));
    contour.width = width;
    contour.height = Math.round(Math.max(200, Math.min(width, (width * (y1 - y0)) / (x1 - x0))));
    const series = race.paths.map((p, k) => ({
      label: racerLabel(p.name, p.learningRate), stroke: seriesColor(k), width: 2,
      value: (u, v, si, idx) => racerValue(race, si - 1, idx, upto),   // the true loss at the cursor, or what became of it
    }));
    // losses that span decades on a log axis (all positive, as on the bowl), else linear
    const logY = race.paths.every((p) => p.loss.every((v) => !Number.isFinite(v) || v > 0));
    whenCharts(() => { charts.race = lineChart($('race-chart'), { height: 280, series, title: 'Loss along each path', yLabel: logY ? 'loss (log)' : 'loss', logY, crosses: () => crosses }); });
    $('race-legend').replaceChildren();
    $('contour-caption').textContent = `Contours of the ${page.state.surface} surface · ○ start (click, or arrow keys, to move) · ✕ where a racer left the plot or diverged`;
  });
  page.session.on('error', ({ run, message, race }) => {
    if (race) setStatus(race);   // its worker failed: the status says so and to press Reset
    else if (!run) $('contour-caption').textContent = `Error: ${message}`;
  });
  page.session.on('recovered', ({ race }) => { if (race) setStatus(race); });

  return {
    charts,
    sync() {
      const racers = parseRacers(page.state.racers);
      for (const name of OPTIMIZERS) {
        const racer = racers.find((r) => r.name === name);
        $(`racer-${name}`).checked = Boolean(racer);
        $(`racer-lr-${name}`).value = racer?.learningRate == null ? '' : String(racer.learningRate);
        $(`racer-lr-${name}`).classList.remove('invalid');
      }
      rateMessages.problem('');
      const start = raceStart(page.state);
      startFields.raceX.value = String(start[0]);
      startFields.raceY.value = String(start[1]);
      for (const input of Object.values(startFields)) input.classList.remove('invalid');
      startMessages.problem('');
    },
    render() {
      const race = page.session.race;
      if (!race?.surface) return;
      const frame = page.session.raceFrame();
      if (!frame.changed) return;
      upto = frame.upto;
      setStatus(race);
      drawContour(contour, race.surface, race.paths, upto, race.start);
      const chart = raceChart(race, upto);
      crosses = chart.marks;
      charts.race?.setData(chart.columns);
    },
  };
}
