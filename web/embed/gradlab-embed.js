// gradlab-embed.js: the <gradlab-playground> element, one lesson of gradlab inside any page.
//   <script type="module" src=".../embed/gradlab-embed.js"></script>
//   <gradlab-playground lesson="small-init" controls="init,optimizer,play" autoplay height="480"></gradlab-playground>
// Each element starts its own workers (web/app/worker.js, the page's engine loop) and only renders
// what they send, with the page's pure modules (state, config, lessons, draw, charts). Nothing here
// needs eval, inline scripts or inline style markup: styles come from <link>ed files in the shadow
// root, and sizes are set through the CSS object model, so a strict Content-Security-Policy holds.
import { PALETTE, join, lineChart } from '../app/charts.js';
import { runConfig } from '../app/config.js';
import { drawBoundary, drawContour } from '../app/draw.js';
import { LESSONS } from '../app/lessons.js';
import { paramInfo, parseRuns, readValue, runLabel, runState } from '../app/state.js';
import { SURFACE_VIEWS } from '../lib/names.js';
import {
  BASE_META, OBSERVED_ATTRIBUTES, Throttle, parseBase, parseControls, parseHeight, parseTheme, patchState, raceOnly,
  stateFromAttributes, stepDetail,
} from './options.js';
import { el } from '../app/dom.js';
import { spawnWorker } from '../app/spawn.js';

// beside this script (or emitted by a bundler), unless a `base` says where the files are
const STYLESHEETS = [new URL('../vendor/uplot/uPlot.min.css', import.meta.url), new URL('./embed.css', import.meta.url)];
const STYLESHEETS_UNDER_BASE = ['vendor/uplot/uPlot.min.css', 'embed/embed.css'];
const RACE_MS = 4000;        // a race is drawn over four seconds, as on the page
const REDRAW_MS = 50;

const LABELS = {
  data: 'Data', classes: 'Classes', samples: 'Samples', noise: 'Noise', test: 'Test share', seed: 'Seed', layers: 'Layers',
  loss: 'Loss', dropoutMode: 'Dropout', init: 'Init', initStd: 'Init std', opt: 'Optimiser', lr: 'Learning rate',
  momentum: 'Momentum', beta1: 'β1', beta2: 'β2', alpha: 'α', sched: 'Schedule', stepSize: 'Step size', gamma: 'Gamma',
  period: 'Period', mult: 'Period ×', decaySteps: 'Decay steps', minLr: 'Min rate', maxLr: 'Max rate', warmup: 'Warm-up',
  l1: 'L1', l2: 'L2', wd: 'Weight decay', clip: 'Clip norm', batch: 'Batch', speed: 'Speed', runs: 'Runs', mode: 'Mode',
  surface: 'Surface', racers: 'Optimisers', raceLr: 'Learning rate', raceX: 'Start x', raceY: 'Start y',
  raceNoise: 'Gradient noise', raceSteps: 'Steps',
};

/** Workers alive in this document, so that several elements share the cores instead of fighting. */
let liveWorkers = 0;

const fmt = (v) => (v == null || !Number.isFinite(v) ? '–' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(4));
const pct = (v) => (v == null ? '–' : `${(100 * v).toFixed(1)}%`);

export class GradlabPlayground extends HTMLElement {
  static get observedAttributes() { return OBSERVED_ATTRIBUTES; }

  #box;
  #dom = {};
  #state = null;
  #notes = [];
  #controls = null;
  #runs = [];
  #race = null;
  #raceWorker = null;
  #raceId = 0;
  #playing = false;
  #readyFired = false;
  #generation = 0;
  #throttle = new Throttle();
  #charts = {};
  #dirty = false;
  #frame = 0;
  #lastDraw = 0;
  #restartQueued = false;
  #resize = null;
  #simd = null;
  #base = null;
  #links;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    this.#links = STYLESHEETS.map(() => el('link', { rel: 'stylesheet' }));
    root.append(...this.#links);
    this.#box = el('div', { class: 'gl', part: 'box' });
    root.append(this.#box);
  }

  connectedCallback() {
    this.#resize ??= new ResizeObserver(() => this.#fitCharts());
    this.#resize.observe(this.#box);
    this.#restart();
  }

  disconnectedCallback() {
    this.#resize?.disconnect();
    this.#stopAll();
  }

  attributeChangedCallback() {
    if (!this.isConnected || this.#restartQueued) return;
    // several attributes set in a row (by a script or a framework) give one restart
    this.#restartQueued = true;
    queueMicrotask(() => { this.#restartQueued = false; if (this.isConnected) this.#restart(); });
  }

  /** The current settings, as the page's address would hold them (a copy). */
  get state() { return { ...this.#state }; }
  /** What the attributes held that could not be used, as sentences. */
  get notes() { return [...this.#notes]; }
  get playing() { return this.#playing; }

  play() {
    if (!this.#state) return;
    if (this.#state.mode === 'race') { this.#playRace(); return; }
    if (this.#runs.every((r) => r.status !== 'ok')) return;
    this.#playing = true;
    for (const r of this.#runs) if (r.built) r.worker.postMessage({ type: 'play' });
    this.#updateButtons();
  }

  pause() {
    if (!this.#state) return;
    if (this.#state.mode === 'race') { this.#pauseRace(); return; }
    this.#playing = false;
    for (const r of this.#runs) r.worker.postMessage({ type: 'pause' });
    this.#updateButtons();
  }

  /** One training step of every run (the race: nothing). */
  step() {
    if (!this.#state || this.#state.mode === 'race') return;
    this.#playing = false;
    for (const r of this.#runs) r.worker.postMessage({ type: 'step' });
    this.#updateButtons();
  }

  /** The same settings from the start: the same seed gives the same run. Keeps playing if it was. */
  reset() {
    if (!this.#state) return;
    if (this.#state.mode === 'race') this.#startRace(); else this.#rebuildRuns(this.#playing);
  }

  /**
   * Changes settings: an object of state keys to values ({ lr: 0.5, opt: 'adam' }) or a query string
   * ('lr=0.5&opt=adam'); { lesson } starts from that lesson. Throws on a key or value it cannot use.
   */
  set(patch) {
    if (!this.#state) this.#restart();
    const next = patchState(this.#state, patch);
    const changed = Object.keys(next).filter((k) => next[k] !== this.#state[k]);
    const modeChanged = next.mode !== this.#state.mode || next.lesson !== this.#state.lesson;
    this.#state = next;
    if (modeChanged) { this.#render(); this.#start(); return; }
    this.#syncControls();
    if (next.mode === 'race') { if (raceOnly(changed) || changed.length) this.#startRace(); return; }
    if (changed.length === 1 && changed[0] === 'speed') {
      for (const r of this.#runs) r.worker.postMessage({ type: 'speed', speed: next.speed });
      return;
    }
    if (changed.length) this.#rebuildRuns(this.#playing);
  }

  // ---------- building ----------

  #restart() {
    const attributes = [...this.attributes].map((a) => [a.name, a.value]);
    const { state, notes } = stateFromAttributes(attributes);
    const where = parseBase(this.getAttribute('base'), document.querySelector(`meta[name="${BASE_META}"]`)?.content ?? null, document.baseURI);
    this.#base = where.base;
    this.#links.forEach((link, i) => {
      const href = this.#base ? new URL(STYLESHEETS_UNDER_BASE[i], this.#base).href : STYLESHEETS[i].href;
      if (link.href !== href) link.href = href;
    });
    this.#controls = parseControls(this.getAttribute('controls'));
    this.#notes = [...notes, ...where.notes, ...this.#controls.unknown.map((w) => `control '${w}' is not known; use a setting's name or play, step, reset, speed`)];
    if (this.hasAttribute('height') && parseHeight(this.getAttribute('height')) === null) {
      this.#notes.push(`height '${this.getAttribute('height')}' is not used; give a number of pixels from 120 to 4000`);
    }
    this.#state = state;
    this.#render();
    this.#start();
  }

  #start() {
    this.#stopAll();
    this.#readyFired = false;
    if (this.#state.mode === 'race') this.#startRace(); else this.#rebuildRuns(false);
  }

  #render() {
    const compact = this.hasAttribute('compact');
    const theme = parseTheme(this.getAttribute('theme'));
    const height = parseHeight(this.getAttribute('height'));
    this.#box.className = `gl theme-${theme}${compact ? ' compact' : ''} mode-${this.#state.mode}${height ? ' fixed' : ''}`;
    if (height) this.#box.style.setProperty('--gl-height', `${height}px`); else this.#box.style.removeProperty('--gl-height');
    const lesson = LESSONS.find((l) => l.name === this.#state.lesson);
    const d = this.#dom = {};
    d.build = el('span', { class: 'build', text: '' });
    const head = el('header', { class: 'head' }, [el('strong', { class: 'title', text: lesson?.title ?? 'gradlab' }), d.build]);
    const about = lesson && !compact
      ? [el('details', { class: 'about' }, [el('summary', { text: 'What this shows' }), el('p', { text: lesson.text })])] : [];
    d.notes = el('div', { class: 'notes', role: 'note' }, this.#notes.slice(0, 6).map((n) => el('p', { text: n })));
    d.notes.hidden = this.#notes.length === 0;
    d.bar = el('div', { class: 'bar' });
    this.#buildControls(d.bar);
    d.boards = el('div', { class: 'boards' });
    d.chart = el('div', { class: 'chart' });
    d.legend = el('div', { class: 'legend' });
    d.status = el('output', { class: 'status', 'aria-live': 'polite' });
    const views = el('div', { class: 'views' }, [d.boards, el('div', { class: 'chart-box' }, [d.chart, d.legend])]);
    this.#box.replaceChildren(head, ...about, d.notes, d.bar, views, d.status);
    this.#charts = {};
  }

  #buildControls(bar) {
    const d = this.#dom;
    d.fields = new Map();
    for (const action of this.#controls.actions) {
      if (action === 'speed') {
        const range = el('input', { type: 'range', min: '1', max: '100', step: '1', 'aria-label': 'Speed: steps per frame' });
        range.value = String(Math.min(100, this.#state.speed));
        range.addEventListener('input', () => this.set({ speed: Number(range.value) }));
        d.speed = range;
        bar.append(el('label', { class: 'field speed' }, [el('span', { text: 'Speed' }), range]));
        continue;
      }
      const button = el('button', { type: 'button', class: `action ${action}`, text: action[0].toUpperCase() + action.slice(1) });
      button.addEventListener('click', () => (action === 'play' ? (this.#isRunning() ? this.pause() : this.play()) : this[action]()));
      if (action === 'play') d.play = button;
      if (action === 'step') d.step = button;
      bar.append(button);
    }
    for (const key of this.#controls.keys) {
      const p = paramInfo(key);
      let input;
      if (p.type === 'enum') {
        input = el('select');
        for (const v of p.values) input.add(new Option(v || '(none)', v));
      } else if (p.type === 'int' || p.type === 'float') {
        input = el('input', { type: 'number', step: 'any', min: String(p.min), max: String(p.max), inputmode: 'decimal' });
      } else {
        input = el('input', { type: 'text', spellcheck: 'false' });
      }
      const label = el('label', { class: 'field' }, [el('span', { text: LABELS[key] ?? key }), input]);
      input.addEventListener('change', () => {
        const read = readValue(p, input.value.trim());
        label.classList.toggle('invalid', Boolean(read.error));
        input.title = read.error ?? '';
        if (!read.error) this.set({ [key]: read.value });
      });
      d.fields.set(key, input);
      bar.append(label);
    }
    bar.hidden = bar.childElementCount === 0;
    this.#syncControls();
  }

  #syncControls() {
    for (const [key, input] of this.#dom.fields ?? []) input.value = String(this.#state[key] ?? '');
    if (this.#dom.speed) this.#dom.speed.value = String(Math.min(100, this.#state.speed));
    this.#updateButtons();
  }

  #isRunning() {
    return this.#state?.mode === 'race' ? Boolean(this.#race?.running) : this.#playing;
  }

  #updateButtons() {
    const { play, step } = this.#dom;
    if (play) {
      play.textContent = this.#isRunning() ? 'Pause' : 'Play';
      play.setAttribute('aria-pressed', String(this.#isRunning()));
    }
    if (step) step.hidden = this.#state?.mode === 'race';
  }

  #stopAll() {
    this.#playing = false;
    for (const r of this.#runs) this.#endWorker(r.worker);
    this.#runs = [];
    if (this.#raceWorker) { this.#endWorker(this.#raceWorker); this.#raceWorker = null; }
    this.#race = null;
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  #newWorker() {
    liveWorkers++;
    return spawnWorker(this.#base);
  }

  #endWorker(worker) {
    worker.terminate();
    liveWorkers = Math.max(0, liveWorkers - 1);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #fail(message) {
    this.#dom.status.textContent = `Error: ${message}`;
    this.#dom.status.classList.add('bad');
    this.#emit('gradlab-error', { message });
  }

  // ---------- training runs (train and compare modes) ----------

  #rebuildRuns(keepPlaying) {
    const defs = this.#state.mode === 'compare' ? parseRuns(this.#state.runs) : [[]];
    const list = Array.isArray(defs) && defs.length >= 2 ? defs : [[]];
    this.#playing = false;
    this.#readyFired = false;
    while (this.#runs.length > list.length) this.#endWorker(this.#runs.pop().worker);
    while (this.#runs.length < list.length) {
      const run = { worker: this.#newWorker() };
      run.worker.onmessage = (e) => this.#onRunMessage(run, e.data);
      run.worker.onerror = (e) => { run.status = 'error'; this.#fail(`worker failed: ${e.message ?? 'it could not start'}`); };
      this.#runs.push(run);
    }
    const compare = this.#state.mode === 'compare';
    this.#runs.forEach((run, i) => {
      Object.assign(run, {
        index: i, overrides: list[i], label: compare ? runLabel(list[i], i) : 'train', color: PALETTE[i], built: null, last: null,
        status: 'ok', fresh: false, curves: { x: [], train: [], test: [] },
      });
      let config;
      try {
        config = runConfig(runState(this.#state, list[i]));
      } catch (error) {
        run.status = 'error';
        this.#fail(String(error.message));
        return;
      }
      run.generation = ++this.#generation;
      const duty = Math.min(1, Math.max(0.15, ((navigator.hardwareConcurrency || 2) - 0.5) / Math.max(1, liveWorkers)));
      run.worker.postMessage({ type: 'build', config: { ...config, generation: run.generation, duty } });
    });
    this.#wantPlay = keepPlaying;
    this.#buildRunViews();
    this.#updateButtons();
  }

  #wantPlay = false;

  #buildRunViews() {
    const d = this.#dom, compare = this.#state.mode === 'compare', compact = this.hasAttribute('compact');
    const side = compare ? (compact ? 110 : 150) : (compact ? 170 : 240);
    d.boards.replaceChildren(...this.#runs.map((run) => {
      run.canvas = el('canvas', { width: String(side), height: String(side), 'aria-label': `Decision boundary of ${run.label}` });
      const swatch = el('span', { class: 'swatch' });
      swatch.style.backgroundColor = run.color;
      run.caption = el('figcaption', {}, compare ? [swatch, el('span', { text: run.label })] : [el('span', { text: 'boundary · dots train, rings test' })]);
      run.figure = el('figure', { class: 'board' }, [run.canvas, run.caption]);
      return run.figure;
    }));
    const series = this.#runs.flatMap((r) => [
      { label: compare ? `${r.label} train` : 'train loss', stroke: r.color, width: 2 },
      { label: compare ? `${r.label} test` : 'test loss', stroke: compare ? r.color : PALETTE[1], dash: [5, 4], width: 2 },
    ]);
    this.#charts.loss = lineChart(d.chart, { width: this.#chartWidth(), height: this.#chartHeight(), series, legend: false });
    d.legend.replaceChildren(...(compare ? this.#runs.map((r) => this.#legendItem(r.color, r.label, false))
      : [this.#legendItem(PALETTE[0], 'train loss', false), this.#legendItem(PALETTE[1], 'test loss', true)]),
    ...(compare ? [el('span', { class: 'hint', text: 'solid train, dashed test' })] : []));
  }

  #legendItem(color, text, dashed) {
    const swatch = el('span', { class: dashed ? 'swatch dashed' : 'swatch' });
    swatch.style.backgroundColor = color;
    return el('span', { class: 'item' }, [swatch, el('span', { text })]);
  }

  #chartWidth() {
    const box = this.#dom.chart?.parentElement;
    return Math.max(220, Math.min(640, Math.floor(box?.clientWidth || 320) - 4));
  }

  #chartHeight() {
    return this.hasAttribute('compact') ? 140 : 200;
  }

  #fitCharts() {
    for (const chart of Object.values(this.#charts)) chart?.setSize({ width: this.#chartWidth(), height: this.#chartHeight() });
  }

  #onRunMessage(run, msg) {
    if (!this.#runs.includes(run) || (msg.generation !== undefined && msg.generation !== run.generation)) return;
    if (msg.type === 'ready') this.#showBuild(msg.simd);
    else if (msg.type === 'built') {
      run.built = msg;
      run.figure.hidden = msg.inputs > 2;   // a boundary exists only over one or two inputs
      if (this.#playing) run.worker.postMessage({ type: 'play' });
    } else if (msg.type === 'snapshot') this.#onSnapshot(run, msg);
    else if (msg.type === 'error') {
      run.status = 'error';
      this.#fail(msg.message);
    }
  }

  #onSnapshot(run, s) {
    const wasOk = run.status === 'ok';
    run.last = s;
    run.status = s.status;
    run.fresh = true;
    const c = run.curves;
    if (c.x.length === 0 || s.step > c.x[c.x.length - 1]) {
      c.x.push(s.step); c.train.push(s.train.loss); c.test.push(s.test.loss);
      if (c.x.length > 1500) for (const k of ['x', 'train', 'test']) c[k] = c[k].filter((_, i) => i % 2 === 0 || i === c[k].length - 1);
    }
    const now = performance.now();
    if (!this.#readyFired && this.#runs.every((r) => r.last || r.status === 'error')) {
      this.#readyFired = true;
      this.#emit('gradlab-ready', { lesson: this.#state.lesson, mode: this.#state.mode, runs: this.#runs.length, simd: this.#simd });
      this.#emitStep(now, true);
      if (this.#wantPlay || this.hasAttribute('autoplay')) { this.#wantPlay = false; this.play(); }
    } else if (this.#readyFired) {
      this.#emitStep(now, false);
    }
    if (wasOk && s.status === 'diverged') {
      this.#emit('gradlab-diverged', {
        run: run.index, label: run.label, step: s.divergedAt ?? s.step,
        learningRate: runState(this.#state, run.overrides).lr,
      });
      this.#emitStep(now, true);
      if (this.#runs.every((r) => r.status !== 'ok')) { this.#playing = false; this.#updateButtons(); }
    }
    this.#schedule();
  }

  #emitStep(now, force) {
    if (!this.#throttle.ready(now, force)) return;
    const first = this.#runs.find((r) => r.last);
    if (!first) return;
    const runs = this.#runs.map((r) => ({ label: r.label, status: r.status, ...(r.last ? stepDetail(r.last) : {}) }));
    this.#emit('gradlab-step', { ...stepDetail(first.last), status: first.status, runs });
  }

  #showBuild(simd) {
    this.#simd = simd;
    this.#dom.build.textContent = simd ? 'wasm SIMD' : 'scalar wasm';
  }

  #schedule() {
    this.#dirty = true;
    if (!this.#frame) this.#frame = requestAnimationFrame(() => this.#draw());
  }

  #draw() {
    this.#frame = 0;
    const now = performance.now();
    if (now - this.#lastDraw < REDRAW_MS) { this.#schedule(); return; }
    this.#lastDraw = now;
    if (this.#state.mode === 'race') { this.#drawRace(now); return; }
    if (!this.#dirty) return;
    this.#dirty = false;
    const ready = this.#runs.filter((r) => r.curves.x.length);
    if (ready.length && this.#charts.loss) {
      const tables = this.#runs.map((r) => [r.curves.x, r.curves.train, r.curves.test]);
      this.#charts.loss.setData(tables.length > 1 ? join(tables) : tables[0]);
    }
    for (const run of this.#runs) {
      if (!run.built || !run.last || !run.fresh || run.figure.hidden) continue;
      run.fresh = false;
      drawBoundary(run.canvas, run.built, run.last.outputs);
    }
    this.#dom.status.classList.toggle('bad', this.#runs.some((r) => r.status !== 'ok'));
    this.#dom.status.textContent = this.#runs.map((r) => this.#statusLine(r)).join('\n');
  }

  #statusLine(run) {
    const s = run.last, prefix = this.#state.mode === 'compare' ? `${run.label}: ` : '';
    if (!s) return `${prefix}building…`;
    if (s.status === 'diverged') return `${prefix}diverged at step ${s.divergedAt ?? s.step}; lower the learning rate and reset`;
    const acc = s.train.accuracy == null ? '' : ` · accuracy ${pct(s.train.accuracy)} / ${pct(s.test.accuracy)}`;
    return `${prefix}step ${s.step} · loss ${fmt(s.train.loss)} train / ${fmt(s.test.loss)} test${acc}`;
  }

  // ---------- the optimiser race ----------

  #startRace() {
    const state = this.#state;
    if (!this.#raceWorker) {
      this.#raceWorker = this.#newWorker();
      this.#raceWorker.onmessage = ({ data: msg }) => this.#onRaceMessage(msg);
      this.#raceWorker.onerror = (e) => this.#fail(`worker failed: ${e.message ?? 'it could not start'}`);
    }
    const view = SURFACE_VIEWS[state.surface];
    const start = [state.raceX ?? view.start[0], state.raceY ?? view.start[1]];
    this.#race = { start, surface: null, running: false, elapsed: 0, since: 0, upto: -1 };
    this.#raceWorker.postMessage({
      type: 'race', id: ++this.#raceId, surface: state.surface, x: view.x, y: view.y, resolution: 200, start,
      racers: state.racers.split('~'), learningRate: state.raceLr, steps: state.raceSteps, noise: state.raceNoise, seed: state.seed,
    });
    const d = this.#dom, side = this.hasAttribute('compact') ? 200 : 280;
    const aspect = (view.y[1] - view.y[0]) / (view.x[1] - view.x[0]);
    d.contour = el('canvas', { width: String(side), height: String(Math.round(Math.max(120, Math.min(side * 1.4, side * aspect)))), 'aria-label': `Contours of the ${state.surface} surface with each optimiser's path` });
    d.boards.replaceChildren(el('figure', { class: 'board' }, [d.contour, el('figcaption', { text: `${state.surface} · × start` })]));
    const racers = state.racers.split('~');
    this.#charts.loss = lineChart(d.chart, {
      width: this.#chartWidth(), height: this.#chartHeight(), legend: false,
      series: racers.map((name, k) => ({ label: name, stroke: PALETTE[k % PALETTE.length], width: 2 })),
    });
    d.legend.replaceChildren(...racers.map((name, k) => this.#legendItem(PALETTE[k % PALETTE.length], name, false)));
    d.status.textContent = 'computing the paths…';
    this.#updateButtons();
  }

  #onRaceMessage(msg) {
    if (msg.type === 'ready') this.#showBuild(msg.simd);
    else if (msg.type === 'error') this.#fail(msg.message);
    else if (msg.type === 'race' && msg.id === this.#raceId) {
      Object.assign(this.#race, { surface: msg.surface, paths: msg.paths });
      if (!this.#readyFired) {
        this.#readyFired = true;
        this.#emit('gradlab-ready', { lesson: this.#state.lesson, mode: 'race', runs: msg.paths.length, simd: this.#simd });
      }
      if (this.hasAttribute('autoplay') || this.#wantPlay) { this.#wantPlay = false; this.#playRace(); } else this.#schedule();
    }
  }

  #playRace() {
    const race = this.#race;
    if (!race?.surface) { this.#wantPlay = true; return; }
    if (race.upto >= this.#state.raceSteps) race.elapsed = 0;   // play again from the start
    race.running = true;
    race.since = performance.now();
    this.#updateButtons();
    this.#schedule();
  }

  #pauseRace() {
    const race = this.#race;
    if (!race?.running) return;
    race.elapsed += performance.now() - race.since;
    race.running = false;
    this.#updateButtons();
  }

  #drawRace(now) {
    const race = this.#race;
    if (!race?.surface) return;
    const steps = this.#state.raceSteps;
    const elapsed = race.elapsed + (race.running ? now - race.since : 0);
    const upto = Math.min(steps, Math.floor((elapsed / RACE_MS) * steps));
    if (upto !== race.upto) {
      race.upto = upto;
      drawContour(this.#dom.contour, race.surface, race.paths, upto, race.start);
      const { min, max } = race.surface;
      const clip = (v) => (Number.isFinite(v) ? Math.max(min, Math.min(max, v)) : null);
      const xs = Array.from({ length: upto + 1 }, (_, i) => i);
      this.#charts.loss?.setData([xs, ...race.paths.map((p) => Array.from(p.loss.subarray(0, upto + 1), clip))]);
      this.#dom.status.textContent = race.paths.map((p) => `${p.name} ${fmt(p.loss[Math.min(upto, p.loss.length - 1)])}`).join(' · ') + ` at step ${upto}`;
      const runs = race.paths.map((p) => ({ label: p.name, status: upto < p.loss.length ? 'ok' : 'diverged', step: upto, loss: p.loss[Math.min(upto, p.loss.length - 1)], accuracy: null, learningRate: this.#state.raceLr }));
      if (this.#throttle.ready(now, upto === steps)) this.#emit('gradlab-step', { ...runs[0], runs });
    }
    if (race.running && upto >= steps) { race.running = false; this.#updateButtons(); }
    if (race.running) this.#schedule();
  }
}

if (!customElements.get('gradlab-playground')) customElements.define('gradlab-playground', GradlabPlayground);
