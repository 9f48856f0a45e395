// main.js: the page. It keeps the state (mirrored in the URL), builds the controls, starts one
// worker per run, and renders the snapshots the workers send. It never touches the engine itself.
import { INITS, OPTIMIZERS, SURFACE_VIEWS } from '../lib/names.js';
import { PALETTE, appendCapped, join, lineChart } from './charts.js';
import { optimizerHyper, runConfig } from './config.js';
import { drawBoundary, drawContour, drawDiagram, drawHealth, drawHeat, drawHistograms, drawSchedule } from './draw.js';
import { LESSONS } from './lessons.js';
import {
  HIDDEN_ACTIVATIONS, MAX_LAYERS, MAX_RUNS, RUN_KEYS, baseState, layersText, paramInfo, parseLayers, parseRuns,
  parseState, readValue, runLabel, runState, runsText, serializeState,
} from './state.js';

const $ = (id) => document.getElementById(id);
const HISTORY = 14;          // histogram snapshots kept for the ridgelines
const HISTORY_EVERY = 250;   // ms between kept histogram snapshots
const WIDE = () => Math.max(260, Math.min(340, window.innerWidth - 40));

let state;
let runs = [];               // one per worker: { worker, overrides, label, color, built, curves, last, ... }
let playing = false;
let dirty = false;
let charts = {};
let race = null;             // { surface, paths, upto, start }
let raceWorker = null;
let raceId = 0;
let diagramUnits = [];
let generation = 0;
let lastRender = 0;
const REDRAW_MS = 40;
let hoverUnit = null;

// ---------- helpers ----------

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

const fmt = (v, digits = 4) => (v == null || !Number.isFinite(v) ? '–' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits));
const pct = (v) => (v == null ? '–' : `${(100 * v).toFixed(1)}%`);

function showNotes(notes) {
  const box = $('notes');
  box.replaceChildren(...notes.slice(0, 8).map((n) => el('p', { text: `Address: ${n}` })));
  if (notes.length > 8) box.append(el('p', { text: `…and ${notes.length - 8} more problems in the address.` }));
  box.hidden = notes.length === 0;
}

function writeUrl() {
  const query = serializeState(state);
  history.replaceState(null, '', `${location.pathname}${query}`);
}

// ---------- controls ----------

const LABELS = {
  data: 'Data set', classes: 'Classes', samples: 'Samples', noise: 'Noise', test: 'Test share', seed: 'Seed',
  loss: 'Loss', dropoutMode: 'Dropout mode', init: 'Initialisation', initStd: 'Init std (normal)', opt: 'Optimiser',
  lr: 'Learning rate', momentum: 'Momentum', beta1: 'Adam β1', beta2: 'Adam β2', alpha: 'RMSprop α', sched: 'Schedule',
  stepSize: 'Step size', gamma: 'Gamma', period: 'Restart period', mult: 'Period ×', decaySteps: 'Decay steps',
  minLr: 'Min rate', maxLr: 'Max rate (0 = 10×)', warmup: 'Warm-up steps', l1: 'L1', l2: 'L2', wd: 'Weight decay',
  clip: 'Clip norm (0 off)', batch: 'Batch (0 = all)', surface: 'Surface', raceLr: 'Learning rate', raceNoise: 'Gradient noise',
  raceSteps: 'Steps', build: 'Engine build',
};
const SHOW_IF = {
  classes: (s) => s.data === 'spiral' || s.data === 'blobs',
  initStd: (s) => s.init === 'normal' || s.layers.includes('_inormal'),
  momentum: (s) => optimizerHyper(s.opt).includes('momentum'),
  beta1: (s) => optimizerHyper(s.opt).includes('beta1'),
  beta2: (s) => optimizerHyper(s.opt).includes('beta2'),
  alpha: (s) => optimizerHyper(s.opt).includes('alpha'),
  stepSize: (s) => ['step', 'exponential', 'inverse-time', 'cyclic'].includes(s.sched),
  gamma: (s) => ['step', 'exponential'].includes(s.sched),
  period: (s) => s.sched === 'sgdr',
  mult: (s) => s.sched === 'sgdr',
  decaySteps: (s) => s.sched === 'cosine',
  minLr: (s) => s.sched === 'cosine' || s.sched === 'sgdr',
  maxLr: (s) => s.sched === 'cyclic',
  dropoutMode: (s) => s.layers.includes('_d'),
};
const GROUPS = {
  'fs-data': ['data', 'classes', 'samples', 'noise', 'test', 'seed'],
  'fs-network': ['loss', 'dropoutMode'],
  'fs-training': ['init', 'initStd', 'opt', 'lr', 'momentum', 'beta1', 'beta2', 'alpha', 'sched', 'stepSize', 'gamma', 'period',
    'mult', 'decaySteps', 'minLr', 'maxLr', 'warmup', 'l1', 'l2', 'wd', 'clip', 'batch'],
  'fs-race': ['surface', 'raceLr', 'raceNoise', 'raceSteps'],
};
const fields = new Map();

function inputFor(p) {
  if (p.type === 'enum') {
    const select = el('select');
    for (const v of p.values) select.add(new Option(v, v));
    return select;
  }
  return el('input', { type: 'number', step: 'any', min: String(p.min), max: String(p.max), inputmode: 'decimal' });
}

function buildControls() {
  for (const [group, keys] of Object.entries(GROUPS)) {
    const fieldset = $(group);
    for (const key of keys) {
      const p = paramInfo(key);
      const input = inputFor(p);
      input.id = `in-${key}`;
      const label = el('label', { class: 'field', for: input.id }, [el('span', { text: LABELS[key] ?? key }), input]);
      input.addEventListener('change', () => {
        const read = readValue(p, input.value.trim());
        label.classList.toggle('invalid', Boolean(read.error));
        if (read.error) { input.title = read.error; return; }
        input.title = '';
        change({ [key]: read.value });
      });
      fields.set(key, { label, input });
      if (group === 'fs-network') fieldset.insertBefore(label, $('layers-editor'));
      else fieldset.append(label);
    }
  }
  // the schedule preview sits right under the schedule picker
  fields.get('sched').label.after($('schedule-preview'));
  $('lesson').add(new Option('— pick a lesson —', ''));
  for (const l of LESSONS) $('lesson').add(new Option(l.title, l.name));
  $('lesson').addEventListener('change', () => {
    state = baseState($('lesson').value);
    showNotes([]);
    rebuildAll();
  });
  for (const b of document.querySelectorAll('.modes button')) b.addEventListener('click', () => change({ mode: b.dataset.mode }));
  $('speed').addEventListener('input', () => {
    state.speed = Number($('speed').value);
    for (const r of runs) r.worker.postMessage({ type: 'speed', speed: state.speed });
    writeUrl();
  });
  $('play').addEventListener('click', togglePlay);
  $('step').addEventListener('click', stepOnce);
  $('reset').addEventListener('click', () => (state.mode === 'race' ? startRace() : rebuildRuns()));
  $('add-layer').addEventListener('click', () => {
    const layers = parseLayers(state.layers);
    if (layers.length >= MAX_LAYERS) return;
    layers.push({ ...(layers[layers.length - 1] ?? { units: 8, activation: 'relu', batchNorm: 'off', dropout: 0, init: '' }) });
    change({ layers: layersText(layers) });
  });
  $('add-run').addEventListener('click', () => {
    const r = parseRuns(state.runs);
    if (r.length >= MAX_RUNS) return;
    r.push([['seed', state.seed]]);
    change({ runs: runsText(r) });
  });
  for (const name of OPTIMIZERS) {
    const box = el('input', { type: 'checkbox', value: name, id: `racer-${name}` });
    box.addEventListener('change', () => {
      const chosen = [...document.querySelectorAll('#racers input:checked')].map((b) => b.value);
      if (chosen.length) change({ racers: chosen.join('~') });
      else box.checked = true;
    });
    $('racers').append(el('label', {}, [box, ` ${name}`]));
  }
  $('hist-kind').addEventListener('change', () => { dirty = true; });
  $('contour').addEventListener('click', (e) => {
    if (!race) return;
    const c = $('contour'), rect = c.getBoundingClientRect();
    const { x: [x0, x1], y: [y0, y1] } = race.surface;
    const x = x0 + ((e.clientX - rect.left) / rect.width) * (x1 - x0), y = y1 - ((e.clientY - rect.top) / rect.height) * (y1 - y0);
    change({ raceX: +x.toFixed(3), raceY: +y.toFixed(3) });
  });
  $('diagram').addEventListener('mousemove', hover);
  $('diagram').addEventListener('mouseleave', () => { hoverUnit = null; $('unit-preview').hidden = true; });
  document.addEventListener('keydown', (e) => {
    const tag = e.target.tagName;
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(tag) || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === ' ' && tag !== 'BUTTON') { e.preventDefault(); togglePlay(); }
    if (e.key === 'ArrowRight') { e.preventDefault(); stepOnce(); }
  });
}

function syncControls() {
  for (const [key, { label, input }] of fields) {
    input.value = String(state[key] ?? '');
    label.classList.remove('invalid');
    label.hidden = SHOW_IF[key] ? !SHOW_IF[key](state) : false;
  }
  $('lesson').value = state.lesson;
  $('speed').value = String(Math.min(100, state.speed));
  document.body.className = `mode-${state.mode}`;
  for (const b of document.querySelectorAll('.modes button')) b.setAttribute('aria-pressed', String(b.dataset.mode === state.mode));
  for (const box of document.querySelectorAll('#racers input')) box.checked = state.racers.split('~').includes(box.value);
  const lesson = LESSONS.find((l) => l.name === state.lesson);
  $('lesson-text').hidden = !lesson;
  if (lesson) { $('lesson-title').textContent = lesson.title; $('lesson-body').textContent = lesson.text; }
  buildLayersEditor();
  buildRunsEditor();
}

function buildLayersEditor() {
  const layers = parseLayers(state.layers);
  const rows = layers.map((layer, i) => {
    const set = (patch) => { layers[i] = { ...layers[i], ...patch }; change({ layers: layersText(layers) }); };
    const units = el('input', { type: 'number', min: '1', max: '128', step: '1', value: String(layer.units), 'aria-label': `Layer ${i + 1} units` });
    units.addEventListener('change', () => {
      const v = Number(units.value);
      if (Number.isInteger(v) && v >= 1 && v <= 128) set({ units: v }); else units.classList.add('invalid');
    });
    const act = el('select', { 'aria-label': `Layer ${i + 1} activation` });
    for (const a of HIDDEN_ACTIVATIONS) act.add(new Option(a, a));
    act.value = layer.activation;
    act.addEventListener('change', () => set({ activation: act.value }));
    const bn = el('select', { 'aria-label': `Layer ${i + 1} batch norm` });
    for (const [v, t] of [['off', 'no BN'], ['before', 'BN'], ['after', 'BN after']]) bn.add(new Option(t, v));
    bn.value = layer.batchNorm;
    bn.addEventListener('change', () => set({ batchNorm: bn.value }));
    const drop = el('input', { type: 'number', min: '0', max: '0.9', step: '0.05', value: String(layer.dropout), 'aria-label': `Layer ${i + 1} dropout`, title: 'dropout' });
    drop.addEventListener('change', () => {
      const v = Number(drop.value);
      if (v >= 0 && v <= 0.9) set({ dropout: Math.round(v * 1000) / 1000 }); else drop.classList.add('invalid');
    });
    const remove = el('button', { type: 'button', 'aria-label': `Remove layer ${i + 1}`, text: '×' });
    remove.addEventListener('click', () => { layers.splice(i, 1); change({ layers: layersText(layers) }); });
    const init = el('select', { 'aria-label': `Layer ${i + 1} initialisation` });
    init.add(new Option('init: network-wide', ''));
    for (const n of INITS) init.add(new Option(`init: ${n}`, n));
    init.value = layer.init;
    init.addEventListener('change', () => set({ init: init.value }));
    const row = el('div', { class: 'layer' }, [el('span', { text: String(i + 1) }), units, act, bn, drop, remove]);
    return [row, el('div', { class: 'layer-init' }, [el('span'), init])];
  }).flat();
  $('layers-editor').replaceChildren(el('p', { class: 'hint', text: '#, units, activation, batch norm, dropout' }), ...rows);
}

function buildRunsEditor() {
  const list = parseRuns(state.runs);
  const rows = list.map((overrides, i) => {
    const [key, value] = overrides[0] ?? ['seed', state.seed];
    const keySel = el('select', { 'aria-label': `Run ${i + 1} setting` });
    for (const k of RUN_KEYS) keySel.add(new Option(k, k));
    keySel.value = key;
    const val = el('input', { type: 'text', value: String(value), 'aria-label': `Run ${i + 1} value` });
    const commit = () => {
      const read = readValue(paramInfo(keySel.value), val.value.trim());
      val.classList.toggle('invalid', Boolean(read.error));
      val.title = read.error ?? '';
      if (read.error) return;
      list[i] = [[keySel.value, read.value], ...overrides.slice(1).filter(([k]) => k !== keySel.value)];
      change({ runs: runsText(list) });
    };
    keySel.addEventListener('change', () => { val.value = String(state[keySel.value]); commit(); });
    val.addEventListener('change', commit);
    const remove = el('button', { type: 'button', 'aria-label': `Remove run ${i + 1}`, text: '×' });
    remove.disabled = list.length <= 2;
    remove.addEventListener('click', () => { list.splice(i, 1); change({ runs: runsText(list) }); });
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = PALETTE[i];
    return el('div', { class: 'run' }, [swatch, keySel, val, remove]);
  });
  $('runs-editor').replaceChildren(...rows);
  $('add-run').disabled = list.length >= MAX_RUNS;
}

/** Applies a change from a control: updates the state and the URL and rebuilds what depends on it. */
function change(patch) {
  const next = { ...state, ...patch };
  if (patch.mode === 'compare' && !next.runs) next.runs = 'init:he-normal~init:xavier~init:normal';
  const raceOnly = Object.keys(patch).every((k) => k.startsWith('race') || k === 'surface');
  state = next;
  writeUrl();
  syncControls();
  if (raceOnly && state.mode === 'race') startRace();
  else rebuildAll();
}

// ---------- runs ----------

function runDefinitions() {
  if (state.mode === 'compare') {
    const list = parseRuns(state.runs);
    if (list.length >= 2) return list;
  }
  return [[]];
}

function rebuildAll() {
  writeUrl();
  syncControls();
  if (state.mode === 'race') {
    stopAll();
    for (const r of runs) r.worker.terminate();
    runs = [];
    startRace();
    return;
  }
  rebuildRuns();
}

function stopAll() {
  playing = false;
  updatePlayButton();
}

function rebuildRuns() {
  stopAll();
  const defs = runDefinitions();
  while (runs.length > defs.length) runs.pop().worker.terminate();
  while (runs.length < defs.length) {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    const run = { worker };
    worker.onmessage = (e) => onWorkerMessage(run, e.data);
    worker.onerror = (e) => { run.error = `worker failed: ${e.message ?? 'unknown error'}`; dirty = true; };
    runs.push(run);
  }
  runs.forEach((run, i) => {
    Object.assign(run, {
      index: i, overrides: defs[i], label: state.mode === 'compare' ? runLabel(defs[i], i) : 'run', color: PALETTE[i],
      built: null, last: null, error: null, status: 'ok', histHistory: [], lastHistoryAt: 0, firstLoss: null, minTest: Infinity,
      curves: { x: [], trainLoss: [], testLoss: [], trainAcc: [], testAcc: [], lr: [], batchLoss: [] },
      layerCurves: { x: [], gradNorm: [], ratio: [] },
    });
    let config;
    try {
      config = runConfig(runState(state, defs[i]));
    } catch (error) {
      run.error = String(error.message);
      return;
    }
    run.generation = ++generation;
    // the share of a core each worker may take: together they leave half a core for this thread
    const duty = Math.min(1, Math.max(0.2, ((navigator.hardwareConcurrency || 2) - 0.5) / defs.length));
    run.worker.postMessage({ type: 'build', config: { ...config, generation: run.generation, duty } });
  });
  buildCharts();
  buildMultiples();
  dirty = true;
}

function showBuild(simd) {
  $('build').textContent = simd ? 'wasm SIMD build'
    : 'Scalar wasm build: this browser has no wasm SIMD (or build=scalar was asked for), so training is slower';
  $('build').classList.toggle('scalar', !simd);
}

function onWorkerMessage(run, msg) {
  // a message from before the last rebuild describes a network that no longer exists
  if (!runs.includes(run) || (msg.generation !== undefined && msg.generation !== run.generation)) return;
  if (msg.type === 'ready') showBuild(msg.simd);
  else if (msg.type === 'built') {
    run.built = msg;
    if (run.index === 0) {
      buildLayerCharts(msg.layers.length);
      drawSchedule($('schedule-preview'), msg.scheduleCurve);
    }
    if (playing) run.worker.postMessage({ type: 'play' });
  } else if (msg.type === 'snapshot') {
    onSnapshot(run, msg);
  } else if (msg.type === 'unit') {
    if (hoverUnit && hoverUnit.layer === msg.layer && hoverUnit.unit === msg.unit) {
      drawHeat($('unit-preview'), msg.values, run.built.gridSize);
      $('unit-preview').hidden = false;
    }
  } else if (msg.type === 'error') {
    run.error = msg.message;
    run.status = 'error';
    dirty = true;
  }
}

function onSnapshot(run, s) {
  run.last = s;
  run.fresh = true;
  run.status = s.status;
  const c = run.curves;
  if (c.x.length === 0 || s.step > c.x[c.x.length - 1]) {
    appendCapped([c.x, c.trainLoss, c.testLoss, c.trainAcc, c.testAcc, c.lr, c.batchLoss],
      [s.step, s.train.loss, s.test.loss, s.train.accuracy, s.test.accuracy, s.learningRate, s.batchLoss]);
    const lc = run.layerCurves;
    appendCapped([lc.x, ...s.layers.map((_, l) => (lc.gradNorm[l] ??= [])), ...s.layers.map((_, l) => (lc.ratio[l] ??= []))],
      [s.step, ...s.layers.map((l) => positive(l.gradientNorm)), ...s.layers.map((l) => positive(l.updateRatio))]);
  }
  if (run.firstLoss == null && s.train.loss != null) run.firstLoss = s.train.loss;
  if (s.test.loss != null) run.minTest = Math.min(run.minTest, s.test.loss);
  const now = performance.now();
  if (now - run.lastHistoryAt > HISTORY_EVERY || run.histHistory.length === 0) {
    run.histHistory.push(s.layers.map((l) => l.hist));
    if (run.histHistory.length > HISTORY) run.histHistory.shift();
    run.lastHistoryAt = now;
  }
  if (s.status === 'diverged' && runs.every((r) => r.status !== 'ok')) stopAll();
  dirty = true;
}

const positive = (v) => (v != null && v > 0 ? v : null);

function togglePlay() {
  if (state.mode === 'race') { startRace(); return; }
  playing = !playing;
  for (const r of runs) r.worker.postMessage({ type: playing ? 'play' : 'pause' });
  updatePlayButton();
}

function stepOnce() {
  if (state.mode === 'race') return;
  playing = false;
  updatePlayButton();
  for (const r of runs) r.worker.postMessage({ type: 'step' });
}

function updatePlayButton() {
  const label = state?.mode === 'race' ? 'Play the race again' : playing ? 'Pause (space)' : 'Play (space)';
  $('play').textContent = state?.mode === 'race' ? 'Play race' : playing ? 'Pause' : 'Play';
  $('play').setAttribute('aria-label', label);
}

// ---------- charts ----------

function buildCharts() {
  const compare = state.mode === 'compare';
  const series = (what) => runs.flatMap((r) => [
    { label: compare ? `${r.label} train` : `train ${what}`, stroke: r.color, width: 2 },
    { label: compare ? `${r.label} test` : `test ${what}`, stroke: compare ? r.color : PALETTE[1], dash: [5, 4], width: 2 },
  ]);
  const lossSeries = series('loss');
  if (!compare) lossSeries.push({ label: 'batch loss', stroke: 'rgba(0,0,0,0.25)', width: 1 });
  charts.loss = lineChart($('loss-chart'), { width: WIDE(), height: 170, series: lossSeries, legend: !compare });
  charts.acc = lineChart($('acc-chart'), { width: WIDE(), height: 100, series: series('accuracy'), yRange: [0, 1], legend: false });
  charts.lr = lineChart($('lr-chart'), { width: WIDE(), height: 80, ySpace: 14, yRange: (u, lo, hi) => [0, (hi || 1) * 1.15], series: runs.map((r) => ({ label: `${r.label} learning rate`, stroke: compare ? r.color : PALETTE[2] })), legend: false });
}

function buildLayerCharts(layerCount) {
  const layerSeries = Array.from({ length: layerCount }, (_, l) => ({ label: layerName(l, layerCount), stroke: PALETTE[l % PALETTE.length] }));
  charts.gradNorm = lineChart($('gradnorm-chart'), { width: 300, height: 160, series: layerSeries, logY: true, legend: false });
  charts.ratio = lineChart($('ratio-chart'), { width: 300, height: 160, series: layerSeries, logY: true, band: [3e-4, 3e-3], legend: false });
  charts.depth = lineChart($('depth-chart'), {
    width: 300, height: 160, xLabel: 'layer', legend: true, xIncrs: [1, 2, 5], logY: true,
    series: [{ label: 'std', stroke: PALETTE[1], width: 2 }, { label: '|mean|', stroke: PALETTE[0], width: 1.5, dash: [4, 3] }],
  });
}

const layerName = (l, count) => (l === count - 1 ? 'out' : `h${l + 1}`);

function curvesCaption() {
  $('curves-caption').textContent = state.mode === 'compare'
    ? 'Loss (top) and accuracy, solid train, dashed test, one colour per run (see the cards); learning rate below'
    : 'Loss and accuracy, train and test; learning rate below';
}

function buildMultiples() {
  curvesCaption();
  const box = $('multiples');
  if (state.mode !== 'compare') { box.replaceChildren(); return; }
  box.replaceChildren(...runs.map((r) => {
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = r.color;
    r.dom = {
      status: el('div', { class: 'run-status', 'aria-live': 'polite' }),
      boundary: el('canvas', { width: '200', height: '200', 'aria-label': `Boundary of ${r.label}` }),
      hist: el('canvas', { width: '200', height: '100', 'aria-label': `Weight histograms of ${r.label}` }),
      sparse: el('div', { class: 'run-status' }),
    };
    return el('figure', { class: 'multiple' }, [el('figcaption', {}, [swatch, el('span', { text: r.label })]), r.dom.status, r.dom.boundary,
      r.dom.hist, r.dom.sparse]);
  }));
}

function render() {
  requestAnimationFrame(render);
  if (race && state.mode === 'race') renderRace();
  if (!dirty || state.mode === 'race') return;
  // Redraw at most every REDRAW_MS: snapshots arrive from several workers at once, and one redraw
  // covers them all.
  const now = performance.now();
  if (now - lastRender < REDRAW_MS) return;
  lastRender = now;
  dirty = false;
  const compare = state.mode === 'compare';
  const ready = runs.filter((r) => r.curves.x.length);
  if (ready.length && charts.loss) {
    if (compare) {
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
  if (compare) renderMultiples(); else renderSingle(runs[0]);
}

function statusText(run) {
  if (run.error) return `Error: ${run.error}`;
  const s = run.last;
  if (!s) return 'building…';
  if (s.status === 'diverged') {
    const lr = runState(state, run.overrides).lr;
    return `Diverged at step ${s.divergedAt ?? s.step}: the loss or a gradient became NaN or infinite. Lower the learning rate (now ${lr}) and press Reset.`;
  }
  const acc = s.train.accuracy == null ? '' : `\naccuracy train ${pct(s.train.accuracy)} · test ${pct(s.test.accuracy)}`;
  return `step ${s.step} · loss train ${fmt(s.train.loss)} · test ${fmt(s.test.loss)}${acc}`;
}

function renderSingle(run) {
  if (!run) return;
  const status = $('status');
  status.textContent = statusText(run);
  status.classList.toggle('diverged', run.status === 'diverged' || Boolean(run.error));
  if (!run.built || !run.last) return;
  const s = run.last;
  const L = s.layers.length, labels = s.layers.map((_, l) => layerName(l, L));
  $('boundary-caption').textContent = run.built.classes > 0 ? 'Decision boundary · filled dots train, rings test'
    : run.built.inputs === 1 ? 'Fitted curve (blue) · filled dots train, rings test' : 'Fitted function (blue −, orange +) · dots train, rings test';
  drawBoundary($('boundary'), run.built, s.outputs);
  if (s.weights.length) diagramUnits = drawDiagram($('diagram'), run.built.inputs, run.built.layers, s.weights);
  drawHistograms($('histograms'), run.histHistory, $('hist-kind').value, labels);
  drawHealth($('health'), s.layers, labels);
  const lc = run.layerCurves;
  charts.gradNorm?.setData([lc.x, ...lc.gradNorm]);
  charts.ratio?.setData([lc.x, ...lc.ratio]);
  charts.depth?.setData([labels.map((_, l) => l + 1), s.layers.map((l) => positive(l.activations.std)), s.layers.map((l) => positive(Math.abs(l.activations.mean ?? 0)))]);
  const bn = s.layers.map((l, i) => (l.running ? `${labels[i]}: running mean ${fmt(l.running.mean.mean, 3)} (±${fmt(l.running.mean.std, 3)}), running var ${fmt(l.running.variance.mean, 3)}` : null)).filter(Boolean);
  $('bn-stats').replaceChildren(...(bn.length ? [el('strong', { text: 'Batch-norm running statistics' }), ...bn.map((t) => el('div', { text: t }))] : []));
}

function renderMultiples() {
  const all = runs.map((r) => `${r.label}: ${statusText(r).split('\n')[0]}`).join('\n');
  $('status').textContent = all;
  $('status').classList.toggle('diverged', runs.some((r) => r.status === 'diverged' || r.error));
  for (const r of runs) {
    if (!r.dom) continue;
    r.dom.status.textContent = statusText(r).split('\n')[0];
    r.dom.status.classList.toggle('diverged', r.status === 'diverged' || Boolean(r.error));
    if (!r.built || !r.last || !r.fresh) continue;
    r.fresh = false;
    drawBoundary(r.dom.boundary, r.built, r.last.outputs);
    const names = r.last.layers.map((_, l) => layerName(l, r.last.layers.length));
    drawHistograms(r.dom.hist, r.histHistory, 'weights', names);
    r.dom.sparse.textContent = `weights |w| < 0.001: ${r.last.layers.map((l, i) => `${names[i]} ${Math.round(100 * l.nearZero)}%`).join(', ')}`;
  }
}

function hover(e) {
  const run = runs[0];
  if (!run?.built) return;
  const c = $('diagram'), rect = c.getBoundingClientRect();
  const x = ((e.clientX - rect.left) / rect.width) * c.width, y = ((e.clientY - rect.top) / rect.height) * c.height;
  const hit = diagramUnits.find((u) => Math.hypot(u.x - x, u.y - y) <= u.r);
  if (!hit) { hoverUnit = null; $('unit-preview').hidden = true; return; }
  const preview = $('unit-preview');
  preview.style.left = `${Math.min(c.offsetLeft + hit.x + 10, c.offsetLeft + c.width - 100)}px`;
  preview.style.top = `${Math.max(0, c.offsetTop + hit.y - 48)}px`;
  if (hoverUnit?.layer === hit.layer && hoverUnit?.unit === hit.unit) return;
  hoverUnit = { layer: hit.layer, unit: hit.unit };
  run.worker.postMessage({ type: 'unit', layer: hit.layer, unit: hit.unit });
}

// ---------- the optimiser race ----------

function surfaceRange(name) {
  return SURFACE_VIEWS[name];
}

function startRace() {
  raceWorker ??= (() => {
    const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    w.onmessage = ({ data: msg }) => {
      if (msg.type === 'ready') showBuild(msg.simd);
      else if (msg.type === 'race' && msg.id === raceId) {
        race = { surface: msg.surface, paths: msg.paths, upto: 0, started: performance.now(), start: race?.pendingStart };
        const { x: [x0, x1], y: [y0, y1] } = msg.surface;   // keep the surface's aspect ratio
        $('contour').height = Math.round(Math.max(200, Math.min(460, (460 * (y1 - y0)) / (x1 - x0))));
        buildRaceChart();
      } else if (msg.type === 'error') {
        $('contour-caption').textContent = `Error: ${msg.message}`;
      }
    };
    return w;
  })();
  const range = surfaceRange(state.surface);
  const start = [state.raceX ?? range.start?.[0] ?? range.x[0] + 0.15 * (range.x[1] - range.x[0]),
    state.raceY ?? range.start?.[1] ?? range.y[1] - 0.15 * (range.y[1] - range.y[0])];
  race = race ? { ...race, pendingStart: start } : { pendingStart: start, surface: null };
  raceWorker.postMessage({
    type: 'race', id: ++raceId, surface: state.surface, x: range.x, y: range.y, resolution: 240, start,
    racers: state.racers.split('~'), learningRate: state.raceLr, steps: state.raceSteps, noise: state.raceNoise, seed: state.seed,
  });
  updatePlayButton();
}

function buildRaceChart() {
  const series = race.paths.map((p, k) => ({ label: p.name, stroke: PALETTE[k % PALETTE.length], width: 2 }));
  charts.race = lineChart($('race-chart'), { width: WIDE(), height: 260, series, legend: true });
  $('race-legend').replaceChildren();
  $('contour-caption').textContent = `Contours of the ${state.surface} surface · × start (click to move) · ${race.paths.map((p) => p.name).join(', ')}`;
}

function renderRace() {
  if (!race?.surface) return;
  const steps = state.raceSteps;
  const upto = Math.min(steps, Math.floor(((performance.now() - race.started) / 4000) * steps));
  if (upto === race.upto && race.drawn) return;
  race.upto = upto;
  race.drawn = true;
  drawContour($('contour'), race.surface, race.paths, upto, race.start);
  const xs = Array.from({ length: upto + 1 }, (_, i) => i);
  // the loss axis keeps to the values seen on the plotted view, so a run that escapes (a saddle
  // has no bottom) does not flatten the others
  const { min, max } = race.surface;
  const clip = (v) => (Number.isFinite(v) ? Math.max(min, Math.min(max, v)) : null);
  charts.race?.setData([xs, ...race.paths.map((p) => Array.from(p.loss.subarray(0, upto + 1), clip))]);
}

// ---------- test and benchmark hook: plain numbers only ----------

window.gradlabPage = {
  summary: () => ({
    mode: state.mode, playing, workers: runs.length, url: location.search,
    runs: runs.map((r) => ({
      label: r.label, status: r.status, error: r.error, step: r.last?.step ?? 0, firstLoss: r.firstLoss, minTestLoss: r.minTest,
      trainLoss: r.last?.train.loss ?? null, testLoss: r.last?.test.loss ?? null, trainAccuracy: r.last?.train.accuracy ?? null,
      layers: r.last?.layers.map((l) => ({ activationStd: l.activations.std, activationMean: l.activations.mean, saturated: l.saturated, dead: l.dead, nearZero: l.nearZero, gradientNorm: l.gradientNorm })) ?? [],
      learningRates: r.curves.lr.slice(), curve: { x: r.curves.x.slice(), trainLoss: r.curves.trainLoss.slice() },
    })),
    nanInCharts: Object.values(charts).some((c) => c.data.some((col) => col.some((v) => Number.isNaN(v)))),
    race: race?.paths ? { upto: race.upto, paths: race.paths.map((p) => ({ name: p.name, first: p.loss[0], last: p.loss[p.loss.length - 1], loss: Array.from(p.loss) })) } : null,
  }),
};

// ---------- start ----------

const parsed = parseState(location.search);
state = parsed.state;
buildControls();
showNotes(parsed.notes);
updatePlayButton();
rebuildAll();
requestAnimationFrame(render);
