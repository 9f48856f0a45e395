// gradlab-embed.js: the <gradlab-playground> element, one lesson of gradlab inside any page.
//   <script type="module" src=".../embed/gradlab-embed.js"></script>
//   <gradlab-playground lesson="small-init" controls="init,optimizer,play" autoplay height="480"></gradlab-playground>
// Each element is a view over its own run controller (web/app/session.js, the page's too): the
// session starts the workers and keeps the runs; views.js draws them; this file builds the element's
// parts and turns the session's notifications into DOM events. Nothing here needs eval, inline scripts or inline style markup:
// styles come from <link>ed files in the shadow root, and sizes are set through the CSS object
// model, so a strict Content-Security-Policy holds.
import { LESSONS } from '../app/lessons.js';
import { Session } from '../app/session.js';
import { kernelLine } from '../app/labels.js';
import { PlayGate } from '../app/visibility.js';
import { raceStatus } from '../app/race-fate.js';
import { el } from '../app/dom.js';
import { createAnnouncer } from '../app/views/announce.js';
import { loadCharts, whenCharts } from '../app/charts.js';
import { buildBar } from './bar.js';
import {
  BASE_META, OBSERVED_ATTRIBUTES, Throttle, parseBase, parseControls, parseHeight, parseTheme, patchState, stateFromAttributes,
  stepDetail,
} from './options.js';
import {
  MOMENT_BOXES, buildRaceView, buildRunViews, drawRace, drawRuns, fitBoard, hideMoment, momentCallout, showMoment,
} from './views.js';
import { INSTRUMENT_PANELS, buildInstrumentViews, drawInstrumentViews, instrumentBox } from './instruments.js';
import { askFrame, cancelFrame } from './frames.js';

// beside this script (or emitted by a bundler), unless a `base` says where the files are
const STYLESHEETS = [new URL('../vendor/uplot/uPlot.min.css', import.meta.url), new URL('./embed.css', import.meta.url)];
const STYLESHEETS_UNDER_BASE = ['vendor/uplot/uPlot.min.css', 'embed/embed.css'];
const REDRAW_MS = 50;

export class GradlabPlayground extends HTMLElement {
  static get observedAttributes() { return OBSERVED_ATTRIBUTES; }

  #box;
  #dom = {};
  #notes = [];
  #controls = null;
  #session = null;
  #throttle = new Throttle();
  #charts = {};
  #lastDraw = 0;
  #restartQueued = false;
  #viewsBuilt = false;   // #render made new DOM parts, and #buildRunViews / #buildRaceView has not filled them yet
  #resize = null;
  #base = null;
  #links;
  // what a screen reader hears: state changes only (announce.js, as on the page); the status line
  // under the views changes with every snapshot and is not a live region
  #announce = el('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  #gate = new PlayGate({ element: this });   // trains only in a shown tab and near the screen

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
    this.#session?.dispose();
    cancelFrame(this);
  }

  attributeChangedCallback() {
    if (!this.isConnected || this.#restartQueued) return;
    // several attributes set in a row (by a script or a framework) give one restart
    this.#restartQueued = true;
    queueMicrotask(() => { this.#restartQueued = false; if (this.isConnected) this.#restart(); });
  }

  /** The current settings, as the page's address would hold them (a copy). */
  get state() { return { ...this.#session?.state }; }
  /** What the attributes held that could not be used, as sentences. */
  get notes() { return [...this.#notes]; }
  get playing() { return Boolean(this.#session?.playing); }

  play() { this.#session?.play(); }
  pause() { this.#session?.pause(); }
  /** One training step of every run (the race: nothing). */
  step() { this.#session?.step(); }
  /** The same settings from the start: the same seed gives the same run. Keeps playing if it was. */
  reset() { this.#session?.reset(); }

  /**
   * Test hook (tests/browser/faults.test.mjs): ends run i's worker as a crash would, with nothing but
   * terminate(); the element must notice by itself and say so in its status.
   */
  testKillWorker(i = 0) { this.#session?.runs[i]?.worker.terminate(); }

  /** Test hook: ends the race's worker the same way (race mode). */
  testKillRaceWorker() { this.#session?.raceWorker?.terminate(); }

  /**
   * Changes settings: an object of state keys to values ({ lr: 0.5, opt: 'adam' }) or a query string
   * ('lr=0.5&opt=adam'); { lesson } starts from that lesson. Throws on a key or value it cannot use.
   */
  set(patch) {
    if (!this.#session) this.#restart();
    const prev = this.#session.state, next = patchState(prev, patch);
    if (next.mode !== prev.mode || next.lesson !== prev.lesson) { this.#session.state = next; this.#render(); this.#session.start(next); return; }
    this.#session.update(next);
    this.#syncControls();
  }

  // ---------- building ----------

  #restart() {
    const { state, notes } = stateFromAttributes([...this.attributes].map((a) => [a.name, a.value]));
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
    this.#session?.dispose();
    this.#session = this.#newSession();
    this.#session.state = state;
    this.#render();
    this.#session.start(state);
  }

  #newSession() {
    // a lesson pauses at the moments whose panel the embed has (and at its end step)
    const session = this.#gate.attach(new Session({
      autoplay: this.hasAttribute('autoplay'), raceResolution: 200, base: this.#base,
      lessonStops: this.getAttribute('moments') !== 'off', stopsAt: (m) => m.panel in MOMENT_BOXES || INSTRUMENT_PANELS.includes(m.panel),
    }));
    createAnnouncer({ session, get state() { return session.state; } }, this.#announce);
    session.on('moment', (stop) => this.#showMoment(stop));
    session.on('started', loadCharts);   // a worker has made ICU's number data ready for the chart library (charts.js)
    session.on('engine', ({ simd, kernel }) => {
      this.#dom.build.textContent = simd ? 'wasm SIMD' : 'scalar wasm';
      this.#dom.build.title = kernelLine(kernel);
    });
    session.on('built', ({ run }) => fitBoard(run));
    session.on('ready', ({ runs }) => {
      const state = session.state;
      this.#emit('gradlab-ready', { lesson: state.lesson, mode: state.mode, runs: runs.length, simd: session.simd });
      if (state.mode !== 'race') this.#emitStep(performance.now(), true);
    });
    // a step that arrives while paused (step(), or the last of a run just paused) always reports, throttle or not
    session.on('step', () => { this.#emitStep(performance.now(), !session.playing); this.#schedule(); });
    session.on('diverged', ({ run, step, learningRate }) => {
      this.#emit('gradlab-diverged', { run: run.index, label: run.label, step, learningRate });
      this.#emitStep(performance.now(), true);
    });
    session.on('error', ({ message, run, race }) => (race ? this.#raceFailed(race) : this.#fail(message, run)));
    session.on('held', () => this.#schedule());   // a diverged run's status now names the change that waits for Reset
    session.on('recovered', ({ race }) => {
      this.#dom.faultReset.hidden = !session.runs.some((r) => r.fault);
      if (race) this.#raceStatus(race);
      this.#schedule();
    });
    session.on('race', () => { this.#dom.status.textContent = ''; this.#dom.status.classList.remove('bad'); this.#schedule(); });
    session.on('playing', ({ playing }) => { if (playing) this.#hideMoment(); this.#updateButtons(); this.#schedule(); });
    session.on('runs', () => { this.#hideMoment(); this.#dom.faultReset.hidden = true; whenCharts(() => this.#buildRunViews()); });
    session.on('instrument', () => this.#schedule());
    session.on('racestart', () => { this.#hideMoment(); this.#dom.faultReset.hidden = true; whenCharts(() => this.#buildRaceView()); });
    return session;
  }

  #render() {
    const state = this.#session.state, compact = this.hasAttribute('compact');
    const height = parseHeight(this.getAttribute('height'));
    this.#box.className = `gl theme-${parseTheme(this.getAttribute('theme'))}${compact ? ' compact' : ''} mode-${state.mode}${height ? ' fixed' : ''}`;
    if (height) this.#box.style.setProperty('--gl-height', `${height}px`); else this.#box.style.removeProperty('--gl-height');
    const lesson = LESSONS.find((l) => l.name === state.lesson);
    const d = this.#dom = {};
    d.build = el('span', { class: 'build', text: '' });
    const head = el('header', { class: 'head' }, [el('strong', { class: 'title', text: lesson?.title ?? 'gradlab' }), d.build]);
    const about = lesson && !compact
      ? [el('details', { class: 'about' }, [el('summary', { text: 'What this shows' }), el('p', { text: lesson.text })])] : [];
    d.notes = el('div', { class: 'notes', role: 'note' }, this.#notes.slice(0, 6).map((n) => el('p', { text: n })));
    if (this.#notes.length > 6) d.notes.append(el('p', { text: `…and ${this.#notes.length - 6} more (see the element's notes property).` }));
    d.notes.hidden = this.#notes.length === 0;
    d.bar = el('div', { class: 'bar' });
    Object.assign(d, buildBar(d.bar, this.#controls, {
      state: () => this.#session.state,
      set: (patch) => this.set(patch),
      action: (name) => (name === 'play' ? this.#session.toggle() : this[name]()),
    }));
    this.#syncControls();
    d.boards = el('div', { class: 'boards' });
    d.chart = el('div', { class: 'chart' });
    d.legend = el('div', { class: 'legend' });
    d.status = el('div', { class: 'status' });
    // shown when a run's worker failed, whatever buttons `controls` names: the way back is Reset
    d.faultReset = el('button', { type: 'button', class: 'action reset fault-reset', text: 'Reset' });
    d.faultReset.hidden = true;
    d.faultReset.addEventListener('click', () => this.reset());
    d.chartBox = el('div', { class: 'chart-box' }, [d.chart, d.legend]);
    const views = el('div', { class: 'views' }, [d.boards, d.chartBox, instrumentBox(d, lesson)]);
    this.#box.replaceChildren(head, ...about, d.notes, d.bar, views, momentCallout(d, () => this.#session.play()), d.status, d.faultReset, this.#announce);
    this.#charts = {};
    // the views of the new DOM are built when its runs (or race) exist; until then nothing is drawn,
    // even by a frame asked for earlier (frames.js may run it a few frames later)
    this.#viewsBuilt = false;
    cancelFrame(this);
  }

  #syncControls() {
    this.#dom.sync?.(this.#session.state);
    this.#updateButtons();
  }

  #updateButtons() {
    const { play, step } = this.#dom, running = this.#session.running;
    if (play) {
      play.textContent = running ? 'Pause' : 'Play';
      play.setAttribute('aria-pressed', String(running));
    }
    if (step) step.hidden = this.#session.state?.mode === 'race';
  }

  #showMoment(stop) {
    const lesson = LESSONS.find((l) => l.name === this.#session.state.lesson);
    if (!lesson || !this.#dom.moment) return;
    const detail = showMoment(this.#dom, lesson, stop);
    if (INSTRUMENT_PANELS.includes(stop.moment?.panel)) { this.#dom.instrumentBox.classList.add('moment-focus'); this.#dom.focused = this.#dom.instrumentBox; }
    this.#schedule();
    this.#emit('gradlab-moment', detail);
  }

  #hideMoment() { hideMoment(this.#dom); }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #fail(message, run = null) {
    const prefix = run && this.#session.state.mode === 'compare' ? `${run.label}: ` : '';
    // a failed worker (run.fault): the message already says what happened and what to do
    this.#dom.status.textContent = run?.fault ? `${prefix}${message}` : `Error: ${message}`;
    this.#dom.status.classList.add('bad');
    if (run?.fault && run.fault.kind !== 'memory') this.#dom.faultReset.hidden = false;
    this.#emit('gradlab-error', { message, ...(run && { run: run.index, fault: run.fault?.kind ?? null }) });
  }

  /** The race's worker failed (race.fault): the status says so, with the Reset button beside it. */
  #raceFailed(race) {
    this.#raceStatus(race);
    this.#dom.faultReset.hidden = false;
    this.#emit('gradlab-error', { message: race.fault.text, race: true, fault: race.fault.kind });
  }

  #raceStatus(race) {
    const { text, bad } = raceStatus(race, race.upto, this.#session.state.raceSteps);
    this.#dom.status.textContent = text;
    this.#dom.status.classList.toggle('bad', bad);
  }

  #chartWidth() {
    const box = this.#dom.chart?.parentElement;
    return Math.max(220, Math.floor(box?.clientWidth || 320) - 8);   // the chart stretches to its box
  }

  #chartHeight() { return this.hasAttribute('compact') ? 140 : 200; }

  #fitCharts() {
    for (const chart of Object.values(this.#charts)) chart?.setSize({ width: this.#chartWidth(), height: this.#chartHeight() });
  }

  #schedule() {
    askFrame(this, () => this.#draw());   // one frame loop for every embed of the page (frames.js)
  }

  // ---------- training runs (train and compare modes) ----------

  #size() { return { width: this.#chartWidth(), height: this.#chartHeight(), compact: this.hasAttribute('compact') }; }

  #buildRunViews() {
    this.#charts = { ...buildRunViews(this.#dom, this.#session, this.#size()), ...buildInstrumentViews(this.#dom, this.#session, this.#size(), () => this.#schedule()) };
    this.#viewsBuilt = true;
    this.#updateButtons();
    this.#schedule();
  }

  #emitStep(now, force) {
    const runs = this.#session.runs, first = runs.find((r) => r.last);
    if (!first || !this.#throttle.ready(now, force)) return;
    this.#emit('gradlab-step', { ...stepDetail(first.last), status: first.status, runs: runs.map((r) => ({ label: r.label, status: r.status, ...(r.last ? stepDetail(r.last) : {}) })) });
  }

  #draw() {
    if (!this.#viewsBuilt) return false;
    const now = performance.now();
    if (now - this.#lastDraw < REDRAW_MS) { this.#schedule(); return false; }
    this.#lastDraw = now;
    if (this.#session.state.mode === 'race') { this.#drawRace(now); return; }
    drawRuns(this.#dom, this.#session, this.#charts);
    drawInstrumentViews(this.#dom, this.#session, this.#charts);
  }

  // ---------- the optimiser race ----------

  #buildRaceView() {
    this.#charts = buildRaceView(this.#dom, this.#session, this.#size());
    this.#viewsBuilt = true;
    this.#updateButtons();
    this.#schedule();
  }

  #drawRace(now) {
    const session = this.#session, race = session.race;
    if (!race?.surface) return;
    const runs = drawRace(this.#dom, session, this.#charts, now);
    // a race stopped at its end or at a moment reports that step whatever the throttle says
    if (runs && this.#throttle.ready(now, runs[0].step === session.state.raceSteps || !race.running)) this.#emit('gradlab-step', { ...runs[0], runs });
    if (race.running) this.#schedule();
  }
}

if (!customElements.get('gradlab-playground')) customElements.define('gradlab-playground', GradlabPlayground);
