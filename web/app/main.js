// main.js: the page. It keeps the state (mirrored in the URL), builds the controls, starts one
// worker per run, and renders the snapshots the workers send. It never touches the engine itself.
import { INITS, OPTIMIZERS, SURFACE_VIEWS } from '../lib/names.js';
import { PALETTE, appendCapped, join, lineChart } from './charts.js';
import { classSymbols, classWords, optimizerHyper, runConfig } from './config.js';
import {
  drawBoundary, drawContour, drawDiagram, drawFilters, drawHealth, drawHeat, drawHistograms, drawMaps, drawRunning, drawSamples,
  drawSchedule, filtersHeight, mapsHeight, sampleCell,
} from './draw.js';
import { LESSONS } from './lessons.js';
import {
  HIDDEN_ACTIVATIONS, MAX_FILTERS, MAX_LAYERS, MAX_RUNS, MAX_UNITS, RUN_KEYS, baseState, defaultLayersFor, isImageData, isSpatial,
  layerShapes, layersProblem, layersText, paramInfo, parseLayers, parseRacers, parseRuns, parseState, racersText, readValue,
  runLabel, runState, runsText, serializeState,
} from './state.js';
import { el } from './dom.js';
import { spawnWorker } from './spawn.js';

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
let example = 0;             // the test image whose feature maps are shown (image data sets)

// ---------- helpers ----------

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
  data: 'Data set', classes: 'Classes', size: 'Image size', dataSeed: 'Data seed (0 = seed)', samples: 'Samples', noise: 'Noise', test: 'Test share', seed: 'Seed',
  loss: 'Loss', dropoutMode: 'Dropout mode', init: 'Initialisation', initStd: 'Init std (normal)', opt: 'Optimiser',
  lr: 'Learning rate', momentum: 'Momentum', beta1: 'Adam β1', beta2: 'Adam β2', alpha: 'RMSprop α', sched: 'Schedule',
  stepSize: 'Step size', gamma: 'Gamma', period: 'Restart period', mult: 'Period ×', decaySteps: 'Decay steps',
  minLr: 'Min rate', maxLr: 'Max rate (0 = 10×)', warmup: 'Warm-up steps', l1: 'L1', l2: 'L2', wd: 'Weight decay',
  clip: 'Clip norm (0 off)', batch: 'Batch (0 = all)', surface: 'Surface', raceLr: 'Learning rate', raceNoise: 'Gradient noise',
  raceSteps: 'Steps', build: 'Engine build',
};
const SHOW_IF = {
  classes: (s) => s.data === 'spiral' || s.data === 'blobs',
  size: (s) => isImageData(s.data),
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
  'fs-data': ['data', 'classes', 'size', 'samples', 'noise', 'test', 'seed', 'dataSeed'],
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
      else if (group === 'fs-data') fieldset.insertBefore(label, $('regenerate'));
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
    $('speed-value').textContent = String(state.speed);
    for (const r of runs) r.worker.postMessage({ type: 'speed', speed: state.speed });
    writeUrl();
  });
  $('play').addEventListener('click', togglePlay);
  $('step').addEventListener('click', stepOnce);
  $('reset').addEventListener('click', () => (state.mode === 'race' ? startRace() : rebuildRuns()));
  $('add-layer').addEventListener('click', () => {
    const layers = parseLayers(state.layers);
    if (layers.length >= MAX_LAYERS) return;
    const lastDense = [...layers].reverse().find((l) => !l.type);
    layers.push({ ...(lastDense ?? { units: isImageData(state.data) ? 32 : 8, activation: 'relu', batchNorm: 'off', dropout: 0, init: '' }) });
    changeLayers(layers);
  });
  // conv and pool layers go after the last spatial layer, before any flatten or dense layer
  const addSpatial = (layer) => {
    const layers = parseLayers(state.layers);
    if (layers.length >= MAX_LAYERS) return;
    const at = layers.findIndex((l) => !isSpatial(l));
    const lastConv = [...layers].reverse().find((l) => l.type === 'conv');
    layers.splice(at < 0 ? layers.length : at, 0, layer.type === 'conv' && lastConv ? { ...lastConv } : layer);
    changeLayers(layers);
  };
  $('add-conv').addEventListener('click', () => addSpatial({ type: 'conv', filters: 8, kernel: 3, stride: 1, padding: 'same', activation: 'relu', batchNorm: 'off', dropout: 0, init: '' }));
  $('add-pool').addEventListener('click', () => addSpatial({ type: 'pool', mode: 'max' }));
  $('regenerate').addEventListener('click', () => change({ dataSeed: 1 + Math.floor(Math.random() * 4294967294) }));
  $('samples').addEventListener('click', (e) => {
    const c = $('samples'), rect = c.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * c.width, y = ((e.clientY - rect.top) / rect.height) * c.height;
    const n = runs[0]?.built?.image?.samples ?? 0;
    for (let k = 0; k < n; ++k) {
      const cell = sampleCell(c, k);
      if (cell && x >= cell.x && x < cell.x + cell.w && y >= cell.y && y < cell.y + cell.h) { chooseExample(k); break; }
    }
  });
  $('example').addEventListener('change', () => {
    const v = Number($('example').value);
    if (Number.isInteger(v) && v >= 1 && v <= Number($('example').max)) chooseExample(v - 1);
  });
  $('cards-hist-kind').addEventListener('change', () => { for (const r of runs) r.fresh = true; dirty = true; });
  $('add-run').addEventListener('click', () => {
    const r = parseRuns(state.runs);
    if (r.length >= MAX_RUNS) return;
    r.push([['seed', state.seed]]);
    change({ runs: runsText(r) });
  });
  // each racer: a checkbox, and a learning rate of its own (empty: the shared rate)
  const racersFromControls = () => OPTIMIZERS.filter((name) => $(`racer-${name}`).checked).map((name) => {
    const read = readValue(paramInfo('raceLr'), $(`racer-lr-${name}`).value.trim());
    return { name, learningRate: $(`racer-lr-${name}`).value.trim() === '' || read.error ? null : read.value };
  });
  for (const name of OPTIMIZERS) {
    const box = el('input', { type: 'checkbox', value: name, id: `racer-${name}` });
    const rate = el('input', { type: 'number', id: `racer-lr-${name}`, step: 'any', min: '0.00001', max: '10', placeholder: 'lr',
      'aria-label': `Learning rate of ${name} (empty: the shared rate)` });
    box.addEventListener('change', () => {
      const chosen = racersFromControls();
      if (chosen.length) change({ racers: racersText(chosen) });
      else box.checked = true;
    });
    rate.addEventListener('change', () => {
      const text = rate.value.trim(), read = readValue(paramInfo('raceLr'), text);
      rate.classList.toggle('invalid', text !== '' && Boolean(read.error));
      if (text !== '' && read.error) { rate.title = read.error; return; }
      if (box.checked) change({ racers: racersText(racersFromControls()) });
    });
    $('racers').append(el('label', {}, [box, ` ${name}`, rate]));
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
  $('speed').value = String(state.speed);
  $('speed-value').textContent = String(state.speed);
  document.body.className = `mode-${state.mode}${isImageData(state.data) ? ' image-data' : ''}`;
  for (const b of document.querySelectorAll('.modes button')) b.setAttribute('aria-pressed', String(b.dataset.mode === state.mode));
  const racers = parseRacers(state.racers);
  for (const name of OPTIMIZERS) {
    const racer = racers.find((r) => r.name === name);
    $(`racer-${name}`).checked = Boolean(racer);
    $(`racer-lr-${name}`).value = racer?.learningRate == null ? '' : String(racer.learningRate);
    $(`racer-lr-${name}`).classList.remove('invalid');
  }
  const lesson = LESSONS.find((l) => l.name === state.lesson);
  $('lesson-text').hidden = !lesson;
  if (lesson) { $('lesson-title').textContent = lesson.title; $('lesson-body').textContent = lesson.text; }
  buildLayersEditor();
  buildRunsEditor();
}

function selectOf(label, options, value, onChange) {
  const select = el('select', { 'aria-label': label });
  for (const [v, t] of options) select.add(new Option(t, String(v)));
  select.value = String(value);
  select.addEventListener('change', () => onChange(select.value));
  return select;
}

function numberOf(label, min, max, step, value, ok, onChange) {
  const input = el('input', { type: 'number', min: String(min), max: String(max), step: String(step), value: String(value), 'aria-label': label });
  input.addEventListener('change', () => {
    const v = Number(input.value);
    if (ok(v)) onChange(v); else input.classList.add('invalid');
  });
  return input;
}

/** A layer change that the data set can take is applied; one it cannot is refused with the reason shown. */
function changeLayers(layers) {
  const text = layersText(layers);
  const problem = layersProblem({ ...state, layers: text });
  $('layers-problem').hidden = !problem;
  $('layers-problem').textContent = problem ? `Not changed: ${problem}.` : '';
  if (!problem) change({ layers: text });
}

function buildLayersEditor() {
  const layers = parseLayers(state.layers);
  if (typeof layers === 'string') return;
  const image = isImageData(state.data);
  const shapes = image ? layerShapes(layers, [state.size, state.size, 1]) : null;
  const shapeText = (i) => (Array.isArray(shapes) ? `→ ${shapes[i].join('×')}` : '');
  const rows = layers.map((layer, i) => {
    const n = i + 1;
    const set = (patch) => { layers[i] = { ...layers[i], ...patch }; changeLayers(layers); };
    const remove = el('button', { type: 'button', 'aria-label': `Remove layer ${n}`, text: '×' });
    remove.addEventListener('click', () => { layers.splice(i, 1); changeLayers(layers); });
    const number = el('span', { text: String(n) });
    if (layer.type === 'pool') {
      const mode = selectOf(`Layer ${n} pooling`, [['max', 'max pool 2×2'], ['average', 'average pool 2×2']], layer.mode, (v) => set({ mode: v }));
      return [el('div', { class: 'layer plain' }, [number, mode, el('span', { class: 'shape', text: shapeText(i) }), remove])];
    }
    if (layer.type === 'flatten') {
      return [el('div', { class: 'layer plain' }, [number, el('span', { class: 'kind', text: 'flatten' }), el('span', { class: 'shape', text: shapeText(i) }), remove])];
    }
    const conv = layer.type === 'conv';
    const size = conv
      ? numberOf(`Layer ${n} filters`, 1, MAX_FILTERS, 1, layer.filters, (v) => Number.isInteger(v) && v >= 1 && v <= MAX_FILTERS, (v) => set({ filters: v }))
      : numberOf(`Layer ${n} units`, 1, MAX_UNITS, 1, layer.units, (v) => Number.isInteger(v) && v >= 1 && v <= MAX_UNITS, (v) => set({ units: v }));
    const act = selectOf(`Layer ${n} activation`, HIDDEN_ACTIVATIONS.map((a) => [a, a]), layer.activation, (v) => set({ activation: v }));
    const bn = selectOf(`Layer ${n} batch norm`, [['off', 'no BN'], ['before', 'BN'], ['after', 'BN after']], layer.batchNorm, (v) => set({ batchNorm: v }));
    const drop = numberOf(`Layer ${n} dropout`, 0, 0.9, 0.05, layer.dropout, (v) => v >= 0 && v <= 0.9, (v) => set({ dropout: Math.round(v * 1000) / 1000 }));
    drop.title = 'dropout';
    const init = selectOf(`Layer ${n} initialisation`, [['', 'init: network-wide'], ...INITS.map((v) => [v, `init: ${v}`])], layer.init, (v) => set({ init: v }));
    const row = el('div', { class: 'layer' }, [number, size, act, bn, drop, remove]);
    if (!conv) return [row, el('div', { class: 'layer-init' }, [el('span'), init])];
    const kernel = selectOf(`Layer ${n} kernel`, [[3, '3×3'], [5, '5×5']], layer.kernel, (v) => set({ kernel: Number(v) }));
    const stride = selectOf(`Layer ${n} stride`, [[1, 'stride 1'], [2, 'stride 2']], layer.stride, (v) => set({ stride: Number(v) }));
    const padding = selectOf(`Layer ${n} padding`, [['same', 'same'], ['valid', 'valid']], layer.padding, (v) => set({ padding: v }));
    return [row, el('div', { class: 'layer-init conv-options' }, [el('span'), kernel, stride, padding, init, el('span', { class: 'shape', text: `output ${shapeText(i)}` })])];
  }).flat();
  const hint = image ? '#, filters or units, activation, batch norm, dropout; → output shape' : '#, units, activation, batch norm, dropout';
  $('layers-editor').replaceChildren(el('p', { class: 'hint', text: hint }), ...rows);
  const full = layers.length >= MAX_LAYERS;
  for (const id of ['add-layer', 'add-conv', 'add-pool']) $(id).disabled = full;
}

function buildRunsEditor() {
  const list = parseRuns(state.runs);
  if (typeof list === 'string') return;
  const commitRuns = () => change({ runs: runsText(list) });
  const rows = list.map((overrides, i) => {
    // one row per setting the run changes; a run without any is the shared state itself
    const settings = overrides.map(([key, value], j) => {
      const keySel = el('select', { 'aria-label': `Run ${i + 1} setting ${j + 1}` });
      for (const k of RUN_KEYS) if (k === key || !overrides.some(([o]) => o === k)) keySel.add(new Option(k, k));
      keySel.value = key;
      const val = el('input', { type: 'text', value: String(value), 'aria-label': `Run ${i + 1} value ${j + 1}` });
      const commit = () => {
        const read = readValue(paramInfo(keySel.value), val.value.trim());
        const problem = read.error ?? layersProblem(runState(state, [...overrides.filter((_, k) => k !== j), [keySel.value, read.value]]));
        val.classList.toggle('invalid', Boolean(problem));
        val.title = problem;
        if (problem) return;
        overrides[j] = [keySel.value, read.value];
        commitRuns();
      };
      keySel.addEventListener('change', () => { val.value = String(state[keySel.value]); commit(); });
      val.addEventListener('change', commit);
      const drop = el('button', { type: 'button', 'aria-label': `Remove setting ${j + 1} of run ${i + 1}`, text: '×' });
      drop.addEventListener('click', () => { overrides.splice(j, 1); commitRuns(); });
      return el('div', { class: 'run' }, [keySel, val, drop]);
    });
    const addSetting = el('button', { type: 'button', 'aria-label': `Add a setting to run ${i + 1}`, text: '+ setting' });
    addSetting.addEventListener('click', () => {
      const key = [...['init', 'opt', 'lr', 'batch', 'seed'], ...RUN_KEYS].find((k) => !overrides.some(([o]) => o === k));
      overrides.push([key, state[key]]);
      commitRuns();
    });
    const remove = el('button', { type: 'button', 'aria-label': `Remove run ${i + 1}`, text: '×' });
    remove.disabled = list.length <= 2;
    remove.addEventListener('click', () => { list.splice(i, 1); commitRuns(); });
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = PALETTE[i];
    const head = el('div', { class: 'run' }, [swatch, el('strong', { text: runLabel(overrides, i) }), addSetting, remove]);
    return el('div', { class: 'run-block' }, [head, el('div', { class: 'run-settings' }, settings)]);
  });
  $('runs-editor').replaceChildren(...rows);
  $('add-run').disabled = list.length >= MAX_RUNS;
}

/** Applies a change from a control: updates the state and the URL and rebuilds what depends on it. */
function change(patch) {
  const next = { ...state, ...patch };
  if (patch.mode === 'compare' && !next.runs) next.runs = 'init:he-normal~init:xavier~init:normal';
  // images and points need different networks: switching between them starts from the kind's default
  if ('data' in patch && !('layers' in patch) && isImageData(patch.data) !== isImageData(state.data)) {
    next.layers = defaultLayersFor(patch.data);
    if (layersProblem(next)) next.runs = '';   // runs that change the layers no longer fit
    if (next.mode === 'compare' && !next.runs) next.runs = 'init:he-normal~init:xavier~init:normal';
  }
  if (layersProblem(next)) {   // e.g. a smaller image the layers do not fit: refuse, and say why
    const field = fields.get(Object.keys(patch)[0]);
    if (field) { field.label.classList.add('invalid'); field.input.title = layersProblem(next); }
    $('layers-problem').hidden = false;
    $('layers-problem').textContent = `Not changed: ${layersProblem(next)}.`;
    return;
  }
  $('layers-problem').hidden = true;
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
    const worker = spawnWorker();
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
      if (msg.image) {
        example = Math.min(example, msg.image.samples - 1);
        $('example').max = String(msg.image.samples);
        $('example').value = String(example + 1);
        if (example > 0) run.worker.postMessage({ type: 'example', example });
      }
    }
    if (playing) run.worker.postMessage({ type: 'play' });
  } else if (msg.type === 'snapshot') {
    onSnapshot(run, msg);
  } else if (msg.type === 'conv') {
    if (run.last) { run.last.conv = msg.conv; run.fresh = true; dirty = true; }
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

/** Short layer names: h1, h2 … for dense layers, conv1, pool1 … for image layers, out for the last. */
function layerNames(built, count) {
  const types = built?.layers.map((l) => l.type ?? 'dense') ?? Array(count).fill('dense');
  const seen = {};
  return types.map((t, l) => {
    if (l === types.length - 1) return 'out';
    seen[t] = (seen[t] ?? 0) + 1;
    return { dense: `h${seen[t]}`, conv: `conv${seen[t]}`, pool: `pool${seen[t]}`, flatten: 'flat' }[t];
  });
}
const layerName = (l, count, built = runs[0]?.built) => layerNames(built, count)[l];

/** The feature maps shown are those of test image k (its index in the sample grid). */
function chooseExample(k) {
  example = k;
  $('example').value = String(k + 1);
  const run = runs[0];
  if (run?.built?.image) run.worker.postMessage({ type: 'example', example: k });
  dirty = true;
  if (run) run.fresh = true;
}

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
    const image = isImageData(runState(state, r.overrides).data);
    r.dom = {
      status: el('div', { class: 'run-status', 'aria-live': 'polite' }),
      boundary: el('canvas', { width: '200', height: image ? '184' : '200', 'aria-label': image ? `Test images and predictions of ${r.label}` : `Boundary of ${r.label}` }),
      filters: el('canvas', { width: '200', height: '40', 'aria-label': `First-layer filters of ${r.label}` }),
      hist: el('canvas', { width: '200', height: '100', 'aria-label': `Histograms of ${r.label}` }),
      sparse: el('div', { class: 'run-status' }),
    };
    r.dom.filters.hidden = !image;
    return el('figure', { class: 'multiple' }, [el('figcaption', {}, [swatch, el('span', { text: r.label })]), r.dom.status, r.dom.boundary,
      r.dom.filters, r.dom.hist, r.dom.sparse]);
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
  const labels = layerNames(run.built, s.layers.length);
  if (run.built.image) {
    const data = runState(state, run.overrides).data;
    drawSamples($('samples'), run.built, s.outputs, classSymbols(data), s.conv?.example ?? example);
    const filtersH = filtersHeight($('filters').width, s.conv?.filters.count ?? 8);
    if ($('filters').height !== filtersH) $('filters').height = filtersH;
    drawFilters($('filters'), s.conv);
    const mapsH = mapsHeight($('maps').width, s.conv);
    if ($('maps').height !== mapsH) $('maps').height = mapsH;
    drawMaps($('maps'), s.conv, run.built, classWords(data));
  } else {
    $('boundary-caption').textContent = run.built.classes > 0 ? 'Decision boundary · filled dots train, rings test'
      : run.built.inputs === 1 ? 'Fitted curve (blue) · filled dots train, rings test' : 'Fitted function (blue −, orange +) · dots train, rings test';
    drawBoundary($('boundary'), run.built, s.outputs);
    if (s.weights.length) diagramUnits = drawDiagram($('diagram'), run.built.inputs, run.built.layers, s.weights);
  }
  drawHistograms($('histograms'), run.histHistory, $('hist-kind').value, labels);
  drawHealth($('health'), s.layers, labels);
  const lc = run.layerCurves;
  charts.gradNorm?.setData([lc.x, ...lc.gradNorm]);
  charts.ratio?.setData([lc.x, ...lc.ratio]);
  charts.depth?.setData([labels.map((_, l) => l + 1), s.layers.map((l) => positive(l.activations.std)), s.layers.map((l) => positive(Math.abs(l.activations.mean ?? 0)))]);
  const bn = s.layers.map((l, i) => (l.running ? `${labels[i]}: running mean ${fmt(l.running.mean.mean, 3)} (±${fmt(l.running.mean.std, 3)}), running var ${fmt(l.running.variance.mean, 3)}` : null)).filter(Boolean);
  $('bn-stats').replaceChildren(...(bn.length ? [el('strong', { text: 'Batch-norm running statistics' }), ...bn.map((t) => el('div', { text: t }))] : []));
  const bnChart = $('bn-chart');
  bnChart.hidden = bn.length === 0;
  if (bn.length) {
    const h = 14 + 44 * bn.length;
    if (bnChart.height !== h) bnChart.height = h;
    drawRunning(bnChart, s.layers, labels);
  }
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
    if (r.built.image) {
      drawSamples(r.dom.boundary, r.built, r.last.outputs, classSymbols(runState(state, r.overrides).data));
      const h = filtersHeight(200, r.last.conv?.filters.count ?? 8, false);
      if (r.dom.filters.height !== h) r.dom.filters.height = h;
      r.dom.filters.hidden = !r.last.conv;
      drawFilters(r.dom.filters, r.last.conv, false);
    } else drawBoundary(r.dom.boundary, r.built, r.last.outputs);
    const names = layerNames(r.built, r.last.layers.length);
    drawHistograms(r.dom.hist, r.histHistory, $('cards-hist-kind').value, names);
    const weighted = r.last.layers.map((l, i) => [l, i]).filter(([, i]) => ['conv', 'dense'].includes(r.built.layers[i].type ?? 'dense'));
    r.dom.sparse.textContent = `weights |w| < 0.001: ${weighted.map(([l, i]) => `${names[i]} ${Math.round(100 * l.nearZero)}%`).join(', ')}`;
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
    const w = spawnWorker();
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
    racers: parseRacers(state.racers).map((r) => r.name), learningRate: state.raceLr, steps: state.raceSteps, noise: state.raceNoise, seed: state.seed,
    learningRates: Object.fromEntries(parseRacers(state.racers).filter((r) => r.learningRate != null).map((r) => [r.name, r.learningRate])),
  });
  updatePlayButton();
}

function buildRaceChart() {
  const rates = Object.fromEntries(parseRacers(state.racers).map((r) => [r.name, r.learningRate ?? state.raceLr]));
  const series = race.paths.map((p, k) => ({ label: `${p.name} (lr ${rates[p.name] ?? state.raceLr})`, stroke: PALETTE[k % PALETTE.length], width: 2 }));
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

function predictedClasses(outputs, K) {
  return Array.from({ length: outputs.length / K }, (_, k) => {
    let best = 0;
    for (let c = 1; c < K; ++c) if (outputs[k * K + c] > outputs[k * K + best]) best = c;
    return best;
  });
}

window.gradlabPage = {
  summary: () => ({
    mode: state.mode, playing, workers: runs.length, url: location.search,
    runs: runs.map((r) => ({
      label: r.label, status: r.status, error: r.error, step: r.last?.step ?? 0, firstLoss: r.firstLoss, minTestLoss: r.minTest,
      trainLoss: r.last?.train.loss ?? null, testLoss: r.last?.test.loss ?? null, trainAccuracy: r.last?.train.accuracy ?? null,
      testAccuracy: r.last?.test.accuracy ?? null, image: r.built?.image ?? null, example: r.last?.conv?.example ?? null,
      layerTypes: r.built?.layers.map((l) => l.type ?? 'dense') ?? [],
      layers: r.last?.layers.map((l) => ({ activationStd: l.activations.std, activationMean: l.activations.mean, saturated: l.saturated, dead: l.dead, nearZero: l.nearZero, gradientNorm: l.gradientNorm, runningCount: l.running?.means.length ?? 0 })) ?? [],
      predictions: r.built?.image && r.last ? predictedClasses(r.last.outputs, r.built.classes) : null,
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
