// single.js: train mode's views of one run: the boundary (or the sample grid, filters and feature
// maps of an image set), the network diagram with a unit's output on hover, per-layer histograms,
// health bars, gradient norm and update ratio over time, activations by depth, batch-norm statistics.
import { SERIES, lineChart, seriesColor } from '../charts.js';
import { classSymbols, classWords } from '../config.js';
import { el } from '../dom.js';
import {
  drawBoundary, drawDiagram, drawFilters, drawHealth, drawHeat, drawHistograms, drawMaps, drawRunning, drawSamples, drawSchedule,
  filtersHeight, fitCanvas, mapsHeight, sampleCell,
} from '../draw.js';
import { fmt } from '../format.js';
import { later, pending } from '../later.js';
import { runStatus } from '../labels.js';
import { hasInputPlane } from '../protocol.js';
import { shownSnapshot } from '../session.js';
import { runState } from '../state.js';

const $ = (id) => document.getElementById(id);
const positive = (v) => (v != null && v > 0 ? v : null);

/** Short layer names: h1, h2 … for dense layers, conv1, pool1 … for image layers, out for the last. */
export function layerNames(built, count) {
  const types = built?.layers.map((l) => l.type ?? 'dense') ?? Array(count).fill('dense');
  const seen = {};
  return types.map((t, l) => {
    if (l === types.length - 1) return 'out';
    seen[t] = (seen[t] ?? 0) + 1;
    return { dense: `h${seen[t]}`, conv: `conv${seen[t]}`, pool: `pool${seen[t]}`, flatten: 'flat' }[t];
  });
}

/** Which step each view drew (data-step), so tests and tools can see every view shows the same one. */
function stampStep(step, ids) {
  for (const id of ids) $(id).dataset.step = String(step);
}

/** The view over `page` ({ state, session, redraw() }); returns { charts, render(), example() }. */
export function createSingle(page) {
  const charts = {};
  let diagramUnits = [];
  let hoverUnit = null;
  let example = 0;             // the test image whose feature maps are shown (image data sets)

  /** The feature maps shown are those of test image k (its index in the sample grid). */
  const chooseExample = (k) => {
    example = k;
    $('example').value = String(k + 1);
    page.session.showExample(k);
    page.redraw();
  };

  const buildLayerCharts = (built) => {
    const count = built.layers.length, names = layerNames(built, count);
    const layerSeries = names.map((label, l) => ({ label, stroke: seriesColor(l), width: 2 }));
    charts.gradNorm = lineChart($('gradnorm-chart'), { height: 180, series: layerSeries, logY: true, title: 'Gradient norm per layer', yLabel: '‖∂L/∂W‖ (log)' });
    charts.ratio = lineChart($('ratio-chart'), {
      height: 180, series: layerSeries, logY: true, band: [3e-4, 3e-3], title: 'Update / weight ratio per layer', yLabel: '‖ΔW‖ / ‖W‖ (log)',
    });
    charts.depth = lineChart($('depth-chart'), {
      height: 180, xLabel: 'layer', xIncrs: [1, 2, 5], logY: true, title: 'Activations by layer', yLabel: 'value (log)',
      series: [{ label: 'std', stroke: SERIES[0], width: 2 }, { label: '|mean|', stroke: SERIES[1], width: 1.5, dash: [4, 3] }],
    });
  };

  // these canvases take the width of their panel (the boundary stays square)
  fitCanvas($('boundary'), { aspect: 1, max: 560 }, page.redraw);
  fitCanvas($('histograms'), { height: 170 }, page.redraw);
  fitCanvas($('health'), { height: 170 }, page.redraw);

  page.session.on('built', ({ run }) => {
    if (run.index !== 0) return;
    const msg = run.built;
    // your own wider rows have no input plane: hidden as the network is built, not at its first redraw
    document.querySelector('.boundary-panel').hidden = !hasInputPlane(msg.inputs);
    // after the next frame (later.js), and only where they are shown (compare mode hides them)
    if (page.state.mode === 'train') later('layer-charts', () => { if (run.built) { buildLayerCharts(run.built); page.redraw(); } });
    drawSchedule($('schedule-preview'), msg.scheduleCurve);
    if (msg.image) {
      example = Math.min(example, msg.image.samples - 1);
      $('example').max = String(msg.image.samples);
      $('example').value = String(example + 1);
      if (example > 0) page.session.showExample(example);
    }
  });
  page.session.on('marker', ({ run }) => { if (run.index === 0) drawSchedule($('schedule-preview'), run.built.scheduleCurve); });
  page.session.on('unit', ({ run, layer, unit, values }) => {
    if (hoverUnit?.layer !== layer || hoverUnit?.unit !== unit) return;
    drawHeat($('unit-preview'), values, run.built.gridSize);
    $('unit-preview').hidden = false;
  });

  $('samples').addEventListener('click', (e) => {
    const c = $('samples'), rect = c.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * c.width, y = ((e.clientY - rect.top) / rect.height) * c.height;
    const n = page.session.runs[0]?.built?.image?.samples ?? 0;
    for (let k = 0; k < n; ++k) {
      const cell = sampleCell(c, k);
      if (cell && x >= cell.x && x < cell.x + cell.w && y >= cell.y && y < cell.y + cell.h) { chooseExample(k); break; }
    }
  });
  $('example').addEventListener('change', () => {
    const v = Number($('example').value);
    if (Number.isInteger(v) && v >= 1 && v <= Number($('example').max)) chooseExample(v - 1);
  });
  $('hist-kind').addEventListener('change', page.redraw);
  $('diagram').addEventListener('mouseleave', () => { hoverUnit = null; $('unit-preview').hidden = true; });
  $('diagram').addEventListener('mousemove', (e) => {
    if (!page.session.runs[0]?.built) return;
    const c = $('diagram'), rect = c.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * c.width, y = ((e.clientY - rect.top) / rect.height) * c.height;
    const hit = diagramUnits.find((u) => Math.hypot(u.x - x, u.y - y) <= u.r);
    if (!hit) { hoverUnit = null; $('unit-preview').hidden = true; return; }
    const preview = $('unit-preview');
    preview.style.left = `${Math.min(c.offsetLeft + hit.x + 10, c.offsetLeft + c.width - 100)}px`;
    preview.style.top = `${Math.max(0, c.offsetTop + hit.y - 48)}px`;
    if (hoverUnit?.layer === hit.layer && hoverUnit?.unit === hit.unit) return;
    hoverUnit = { layer: hit.layer, unit: hit.unit };
    page.session.probeUnit(hit.layer, hit.unit);
  });

  const drawImages = (run, s) => {
    const data = runState(page.state, run.overrides).data;
    drawSamples($('samples'), run.built, s.outputs, classSymbols(data), s.conv?.example ?? example);
    const filtersH = filtersHeight($('filters').width, s.conv?.filters.count ?? 8);
    if ($('filters').height !== filtersH) $('filters').height = filtersH;
    drawFilters($('filters'), s.conv);
    const mapsH = mapsHeight($('maps').width, s.conv);
    if ($('maps').height !== mapsH) $('maps').height = mapsH;
    drawMaps($('maps'), s.conv, run.built, classWords(data));
  };

  const drawBatchNorm = (s, labels) => {
    const bn = s.layers.map((l, i) => (l.running ? `${labels[i]}: running mean ${fmt(l.running.mean.mean, 3)} (±${fmt(l.running.mean.std, 3)}), running var ${fmt(l.running.variance.mean, 3)}` : null)).filter(Boolean);
    $('bn-stats').replaceChildren(...(bn.length ? [el('strong', { text: 'Batch-norm running statistics' }), ...bn.map((t) => el('div', { text: t }))] : []));
    const bnChart = $('bn-chart');
    bnChart.hidden = bn.length === 0;
    if (bn.length) {
      const h = 14 + 44 * bn.length;
      if (bnChart.height !== h) bnChart.height = h;
      drawRunning(bnChart, s.layers, labels);
    }
  };

  // A redraw in parts: each canvas picture, then the layer charts (each uPlot chart commits its
  // drawing in a microtask of the same task). Past the frame's deadline the rest wait for the next
  // frame (main.js), so the first redraws after Play, when every picture's code is still cold, are
  // not one long task. Each part stamps the step it drew on its own elements.
  let nextPart = 0;
  return {
    charts,
    // the status line: main.js draws it as a redraw begins, with the big step readout (curves.js), so
    // that the two show one step (the views' parts may draw a frame or two later, each stamped)
    status() {
      const run = page.session.runs[0];
      if (!run) return;
      const status = runStatus(run, page.state);
      $('status').textContent = status.accuracy ? `${status.text}\n${status.accuracy}` : status.text;
      $('status').classList.toggle('diverged', status.bad);
    },
    render(deadline = Infinity) {
      const run = page.session.runs[0];
      if (!run || !run.built || !run.last) return;
      const s = shownSnapshot(run);   // a recorded step while the scrubber is away from the present
      const labels = layerNames(run.built, s.layers.length);
      const image = run.built.image;
      const parts = [() => {
        if (image) { drawImages(run, s); stampStep(s.step, ['samples', 'filters', 'maps']); return; }
        $('boundary-caption').textContent = run.built.classes > 0 ? 'Decision boundary · filled dots train, rings test'
          : run.built.inputs === 1 ? 'Fitted curve (blue) · filled dots train, rings test' : 'Fitted function (blue −, orange +) · dots train, rings test';
        drawBoundary($('boundary'), run.built, s.outputs);
        stampStep(s.step, ['boundary']);
      }, () => {
        if (image || !s.weights.length) return;
        diagramUnits = drawDiagram($('diagram'), run.built.inputs, run.built.layers, s.weights);
        stampStep(s.step, ['diagram']);
      }, () => {
        drawHistograms($('histograms'), run.scrubbed ? [s.layers.map((l) => l.hist)] : run.histHistory, $('hist-kind').value, labels);
        stampStep(s.step, ['histograms']);
      }, () => {
        drawHealth($('health'), s.layers, labels);
        stampStep(s.step, ['health']);
      }, () => {
        const lc = run.layerCurves;
        if (!pending('layer-charts')) {   // until then the charts have the layers of the network before
          charts.gradNorm?.setData([lc.x, ...lc.gradNorm]);
          charts.ratio?.setData([lc.x, ...lc.ratio]);
          charts.depth?.setData([labels.map((_, l) => l + 1), s.layers.map((l) => positive(l.activations.std)), s.layers.map((l) => positive(Math.abs(l.activations.mean ?? 0)))]);
        }
        drawBatchNorm(s, labels);
        stampStep(s.step, ['bn-chart', 'depth-chart']);
      }];
      while (nextPart < parts.length) {
        parts[nextPart++]();
        if (nextPart < parts.length && performance.now() > deadline) return false;
      }
      nextPart = 0;
    },
  };
}
