// race.js: the optimiser race: a checkbox and an own learning rate per optimiser, the contours of
// the surface with every path (click to move the start), and the loss of each racer over steps.
import { OPTIMIZERS } from '../../lib/names.js';
import { lineChart, seriesColor } from '../charts.js';
import { el } from '../dom.js';
import { drawContour, planeAt } from '../draw.js';
import { paramInfo, parseRacers, racersText, readValue } from '../state.js';
import { raceCurves, racerLabel } from '../session.js';

const $ = (id) => document.getElementById(id);

/** The race view over `page` ({ state, session, change(patch) }); returns { charts, sync(), render() }. */
export function createRace(page) {
  const charts = {};
  const rateOf = (name) => readValue(paramInfo('raceLr'), $(`racer-lr-${name}`).value.trim());
  // each racer: a checkbox, and a learning rate of its own (empty: the shared rate)
  const racersFromControls = () => OPTIMIZERS.filter((name) => $(`racer-${name}`).checked).map((name) => {
    const text = $(`racer-lr-${name}`).value.trim(), read = rateOf(name);
    return { name, learningRate: text === '' || read.error ? null : read.value };
  });
  for (const name of OPTIMIZERS) {
    const box = el('input', { type: 'checkbox', value: name, id: `racer-${name}` });
    const rate = el('input', { type: 'number', id: `racer-lr-${name}`, step: 'any', min: '0.00001', max: '10', placeholder: 'lr',
      'aria-label': `Learning rate of ${name} (empty: the shared rate)` });
    box.addEventListener('change', () => {
      const chosen = racersFromControls();
      if (chosen.length) page.change({ racers: racersText(chosen) });
      else box.checked = true;
    });
    rate.addEventListener('change', () => {
      const text = rate.value.trim(), read = rateOf(name);
      rate.classList.toggle('invalid', text !== '' && Boolean(read.error));
      if (text !== '' && read.error) { rate.title = read.error; return; }
      if (box.checked) page.change({ racers: racersText(racersFromControls()) });
    });
    $('racers').append(el('label', {}, [box, ` ${name}`, rate]));
  }
  $('contour').addEventListener('click', (e) => {
    const surface = page.session.race?.surface;
    if (!surface) return;
    const { x, y } = planeAt($('contour'), e.clientX, e.clientY, surface.x, surface.y);
    page.change({ raceX: +x.toFixed(3), raceY: +y.toFixed(3) });
  });

  page.session.on('race', ({ race }) => {
    const { x: [x0, x1], y: [y0, y1] } = race.surface;   // as wide as its panel, keeping the surface's aspect ratio
    const width = Math.round(Math.max(260, Math.min(640, $('contour').parentElement.clientWidth - 10)));
    $('contour').width = width;
    $('contour').height = Math.round(Math.max(200, Math.min(width, (width * (y1 - y0)) / (x1 - x0))));
    const series = race.paths.map((p, k) => ({ label: racerLabel(p.name, p.learningRate), stroke: seriesColor(k), width: 2 }));
    // losses that span decades on a log axis (all positive, as on the bowl), else linear
    const logY = race.paths.every((p) => p.loss.every((v) => !Number.isFinite(v) || v > 0));
    charts.race = lineChart($('race-chart'), { height: 280, series, title: 'Loss along each path', yLabel: logY ? 'loss (log)' : 'loss', logY });
    $('race-legend').replaceChildren();
    $('contour-caption').textContent = `Contours of the ${page.state.surface} surface · × start (click to move) · ${race.paths.map((p) => p.name).join(', ')}`;
  });
  page.session.on('error', ({ run, message }) => { if (!run) $('contour-caption').textContent = `Error: ${message}`; });

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
    },
    render() {
      const race = page.session.race;
      if (!race?.surface) return;
      const { upto, changed } = page.session.raceFrame();
      if (!changed) return;
      drawContour($('contour'), race.surface, race.paths, upto, race.start);
      charts.race?.setData(raceCurves(race, upto));
    },
  };
}
