// session.js: the run controller shared by the page and the embed. No DOM: it starts the workers
// (one per run, one for a race), gives each its share of the CPU, drops stale messages, keeps every
// run's curves and status, plays and steps, applies live setting changes, and keeps the race clock.
// Views listen to it and draw; they never talk to a worker themselves.
//
//   const session = new Session({ autoplay: false, autoplayRace: true, raceResolution: 240, base, clock, lessonStops, stopsAt, stepsTogether });
//   session.on('step', ({ run }) => ...);        // every event is listed below
//   session.start(state);                        // stop what runs, then build the runs (or the race) of a state
//   session.update(nextState, { keepPlaying });  // live change: 'none' | 'speed' | 'tune' | 'held' | 'race' | 'runs' | 'restart'
//   session.play(); session.pause(); session.toggle(); session.step(); session.reset({ keepPlaying });
//   session.showExample(k); session.probeUnit(layer, unit);   // commands to the first run's worker
//   session.measure('landscape' | 'sharpness' | 'lrfind', options, runs?)   // an instrument now (every run, or those given)
//   session.watchInstruments(settings)     // what to measure while training when no lesson says (protocol.watch's fields)
//   session.scrub(step); session.live();   // time travel: every run shows its recorded step nearest to step; back to now
//   session.raceFrame() → { upto, changed }   // where the race clock stands (RACE_MS for a whole race)
//   session.checkWorkers(now);                   the watchdog's check (every PING_MS while there are runs; tests call it)
//   session.dispose();
// Faults (web/app/faults.js): a run whose worker crashed, stopped answering pings or ran out of memory gets
// status 'error', `run.fault` and `run.error` (the sentence to show); the other runs go on, and Reset or a
// change of settings gives a faulted run a new worker. The race's worker is watched the same way: its fault
// is session.race.fault (the race's status shows it), and Reset or new race settings give it a new worker.
// State: session.state, session.runs (see newRun below), session.race (see #startRace), session.playing,
// session.running (playing, or the race clock running), session.simd.
// Events (EventTarget; `on(type, fn)` passes the detail):
//   started {}          a worker has loaded (every worker's first event: charts.js)
//   engine { simd }     a worker loaded the engine          built { run }       a run's network exists
//   step { run }        a snapshot arrived                  ready { runs }      every run has its first snapshot (or failed)
//   diverged { run, step, learningRate }                     error { run, message } (run null for the race;
//                       a fault of the race's worker adds fault (its kind) and race)
//   recovered { run }   a run's worker that had stopped answering answers again (its fault is cleared;
//                       run null and race: the race's worker)
//   runs { runs }       the runs were (re)built: views make their charts and cards again
//   racestart { race }  a race was sent to the worker        race { race }       its paths arrived
//   conv { run }  unit { run, layer, unit, values }
//   instrument { run, reading }  a landscape, sharpness, range test or instrument error arrived (stored in
//                       run.instruments, see instrument-readings.js)
//   held { runs }       a live change reached runs that had diverged: they stay diverged, and Reset starts them at it
//   marker { run, marker }   a live change (update → 'tune') applied: marker { step, text } is in run.markers,
//                       run.built.scheduleCurve previews the schedule at the new settings
//   scrub { step }      the session scrubs to step (null: back to live)   recorded { run }   a run's worker answered a scrub
//   playing { playing }                                       whenever play / pause state changes
//   file { run, what, name, mime, bytes }   a download the run's worker made (session.requestFile)
//   opened { run, id, settings, step, rows }   a saved run checked by run 0's worker (session.openRun);
//                       session.start(state, { restore: id }) then continues it
//   refused { run, what, message }   a file or a saved run that could not be made or opened (the run goes on)
//   moment { step, moment, end }   a lesson reached one of its stops and paused there: `moment` is the
//                       lesson's { step, panel, text } (null at the lesson's end step without one); end:
//                       this is the lesson's end step. Play goes on to the next stop (then on and on).
// Module functions: newWorker(base) is the one place a Worker is made, by spawn.js (across origins
// too; useWorkerClass(C) swaps in another class, as the Node tests do); cpuShare() is the CPU rule every session of the document shares
// (it divides the cores among the workers that train, trainingWorkers(): those of playing sessions;
// each worker is sent its new share, a `duty` command, whenever that count changes);
// appendCapped and racerLabel shape what the views draw (race-fate.js the race's chart and marks); shownSnapshot(run) is the snapshot
// every view of a run draws (the scrubbed one while the session scrubs, else the latest).
import { STRIP_QUANTITIES } from '../lib/strips.js';
import { optimizerSpec, runConfig } from './config.js';
import { keysReaching, markText } from './marks.js';
import { PING_MS, SILENT_MS, fault, isMemoryError } from './faults.js';
import * as protocol from './protocol.js';
import { lessonNamed } from './lessons.js';
import { racePlan } from './race-plan.js';
import { liveOnly, raceOnly, runState, runsOf } from './state.js';
import { defaultWorkerUrl, spawnWorker, workerUrl } from './spawn.js';
import { READING_TYPES, addReading, watchFor } from './instrument-readings.js';
import { kernelFor, kernelReady, kernelWorkerEnded } from './kernel-share.js';

/** The session events after which the count of training workers may differ (see cpuShare). */
const RESHARE_ON = new Set(['playing', 'error', 'diverged', 'recovered', 'runs']);

/** A whole race is drawn over this many milliseconds, whatever its number of steps. */
export const RACE_MS = 4000;
/** Points kept per curve: past it, every other point but the newest is dropped. */
export const CURVE_POINTS = 1500;
/** Histogram snapshots kept per run for the ridgelines, and the least time between two kept ones. */
export const HISTORY = 14;
export const HISTORY_EVERY = 250;

// ---------- workers: made in one place, counted across the document ----------

let WorkerClass = null;   // null: the browser's Worker, started by spawn.js
let liveWorkers = 0;

/** Replaces the Worker class (Node tests pass a fake; the browser's own Worker puts spawn.js back). */
export function useWorkerClass(C) { WorkerClass = C && C !== globalThis.Worker ? C : null; }

/**
 * Every worker of every session in this document is started here: web/app/worker.js beside this
 * file, or under `base` (the folder of gradlab's files, as the element's `base` attribute gives it).
 */
export function newWorker(base = null) {
  liveWorkers++;
  rebalance();
  if (WorkerClass) return new WorkerClass(base == null ? defaultWorkerUrl() : workerUrl(base), { type: 'module' });
  return spawnWorker(base);
}

function endWorker(worker) {
  worker.terminate();
  kernelWorkerEnded(worker);
  liveWorkers = Math.max(0, liveWorkers - 1);
  rebalance();
}

// The share follows the count of workers that train: when a session plays or pauses (its own
// button, a lesson's stop, a hidden tab, an embed scrolled away), a run fails or diverges, or workers
// start or end anywhere in the document, every session's workers get the new share (a `duty`
// command), so the first of eight embeds does not keep the whole core it was given while it was
// alone, and the two that play on a page of twenty are not held to the share of twenty.
const sharing = new Map();   // session → { training: () => its workers that train now, send: (duty) => to its runs }
let rebalanceQueued = false;

/** The workers of the document that train now: the runs of playing sessions that have not failed. */
export const trainingWorkers = () => [...sharing.values()].reduce((n, s) => n + s.training(), 0);

/** Sends every session's runs the share of the count now (only where it changed). */
function shareNow() {
  const duty = cpuShare();
  for (const s of sharing.values()) s.send(duty);
}

function rebalance() {
  if (rebalanceQueued) return;
  rebalanceQueued = true;
  queueMicrotask(() => {
    rebalanceQueued = false;
    shareNow();
  });
}

/** The cores the workers leave the page: half a core, and a core and a half while the page starts. */
export const PAGE_RESERVE = 0.5, STARTING_RESERVE = 1.5;
/**
 * The page starts in the first STARTING_MS after navigation: it builds its views, lays them out and
 * draws them for the first time, and the engine compiles its optimised code on the renderer's own
 * threads. Workers training at their full share then left the page's thread a third of a core on
 * two cores, and its tasks of 15-20 ms of work took over 50 ms. Only in a document: Node has no page.
 */
export const STARTING_MS = 2500;
export const pageStarting = (now = globalThis.performance?.now() ?? Infinity) => typeof document === 'object' && now < STARTING_MS;
if (pageStarting()) setTimeout(rebalance, STARTING_MS - performance.now() + 1);   // the workers' full share from then on

/**
 * The share of a core one worker may take. One rule for every session in the document: together
 * the workers that train leave PAGE_RESERVE of the cores for the page's own thread (STARTING_RESERVE
 * while the page starts), and none gets less than 0.15.
 */
export function cpuShare(training = trainingWorkers(), cores = globalThis.navigator?.hardwareConcurrency || 2, starting = pageStarting()) {
  const reserve = starting ? STARTING_RESERVE : PAGE_RESERVE;
  return Math.min(1, Math.max(0.15, (cores - reserve) / Math.max(1, training)));
}

export const workersAlive = () => liveWorkers;

// ---------- curves ----------

/** Appends one value per column; a column past `limit` points keeps every other point and the newest. */
export function appendCapped(columns, values, limit = CURVE_POINTS) {
  columns.forEach((c, i) => c.push(values[i]));
  if (columns[0].length > limit) {
    for (const c of columns) {
      const last = c[c.length - 1];
      let w = 0;
      for (let r = 0; r < c.length - 1; r += 2) c[w++] = c[r];
      c[w++] = last;
      c.length = w;
    }
  }
}

const positive = (v) => (v != null && v > 0 ? v : null);

/**
 * The per-layer curves a run keeps (run.layerCurves[name][layer], steps in run.layerCurves.x): the
 * charts of gradient norm and update ratio, and the depth x time strips (views/strips.js).
 */
export const LAYER_CURVES = {
  gradNorm: (l) => positive(STRIP_QUANTITIES.gradientNorm(l)),
  ratio: (l) => positive(STRIP_QUANTITIES.updateRatio(l)),
  saturated: (l) => STRIP_QUANTITIES.saturated(l) ?? null,
  dead: (l) => STRIP_QUANTITIES.dead(l) ?? null,
  activationStd: (l) => STRIP_QUANTITIES.activationStd(l) ?? null,
};

function recordSnapshot(run, s, now) {
  const c = run.curves;
  if (c.x.length === 0 || s.step > c.x[c.x.length - 1]) {
    appendCapped([c.x, c.trainLoss, c.testLoss, c.trainAcc, c.testAcc, c.lr, c.batchLoss],
      [s.step, s.train.loss, s.test.loss, s.train.accuracy, s.test.accuracy, s.learningRate, s.batchLoss]);
    const lc = run.layerCurves;
    // one column per quantity and layer, all thinned together so they stay aligned on lc.x
    const names = Object.keys(LAYER_CURVES);
    appendCapped([lc.x, ...names.flatMap((n) => s.layers.map((_, l) => (lc[n][l] ??= [])))],
      [s.step, ...names.flatMap((n) => s.layers.map((l) => LAYER_CURVES[n](l)))]);
  }
  if (run.firstLoss == null && s.train.loss != null) run.firstLoss = s.train.loss;
  if (s.test.loss != null) run.minTest = Math.min(run.minTest, s.test.loss);
  if (now - run.lastHistoryAt > HISTORY_EVERY || run.histHistory.length === 0) {
    run.histHistory.push(s.layers.map((l) => l.hist));
    if (run.histHistory.length > HISTORY) run.histHistory.shift();
    run.lastHistoryAt = now;
  }
}

// ---------- what a state asks for ----------

/** A racer as legends show it: its name and the rate it runs at. */
export const racerLabel = (name, learningRate) => `${name} (lr ${learningRate})`;

/** What the views of a run draw: its recorded snapshot while the session scrubs (once it came), else its latest. */
export const shownSnapshot = (run) => run.scrubbed?.snapshot ?? run.last;

/** A run as session.runs holds it. Views may set `fresh = false` once they drew its last snapshot. */
function newRun(worker, index, overrides, label) {
  return {
    worker, index, overrides, label, generation: 0, built: null, last: null, status: 'ok', error: null, fresh: false, duty: null,
    fault: null, pingAt: null,   // pingAt: when the watchdog's unanswered ping went (null: none outstanding)
    curves: { x: [], trainLoss: [], testLoss: [], trainAcc: [], testAcc: [], lr: [], batchLoss: [] },
    layerCurves: { x: [], ...Object.fromEntries(Object.keys(LAYER_CURVES).map((n) => [n, []])) },
    scrubbed: null,   // the worker's 'recorded' answer while the session scrubs (time travel), else null
    histHistory: [], lastHistoryAt: 0, firstLoss: null, minTest: Infinity,
    stepsOwed: 0, stepping: false,   // presses of Step not yet sent, and whether a step's snapshot is on its way
    markers: [], tuning: new Map(),   // live changes applied ({ step, text }), and those sent but not yet answered
    divergedWith: null,   // its runState when it diverged (null: it has not)
  };
}

let generations = 0;
let tunes = 0;

export class Session extends EventTarget {
  state = null;
  runs = [];
  race = null;
  playing = false;
  simd = null;
  kernel = null;     // the GEMM micro-kernel the workers' engine runs (protocol.js, event ready)
  #raceWorker = null;
  #racePingAt = null;   // when the watchdog's unanswered ping to the race's worker went (null: none outstanding)
  #raceId = 0;
  #readyFired = false;
  #pausedByUser = false;   // pause() was called and play() not since (#training)
  #stepQueued = false;     // step() has asked for #sendOwedSteps at the end of this task
  #wantPlay = false;
  #stops = [];       // a lesson's stops: [{ step, moment }] by step; #stop is the next one not yet reached
  #stop = 0;
  #until = null;     // the step the workers were told to stop at
  #watchdog = null;  // the interval that pings the runs' workers
  #pings = 0;
  #restore = null;   // the id of a saved run run 0's worker holds, for the next build (start's restore)
  #openId = 0;
  #instrumentWatch = null;   // the page's own instrument settings (a lesson's `instruments` come first)
  #measureId = 0;

  /**
   * autoplay: play as soon as the runs (or the race) are ready; autoplayRace: the same for races
   * only; raceResolution: contour grid of the race surface; base: the folder of gradlab's files when they
   * are not beside this script (null: beside it); clock:
   * milliseconds now (the race clock and the histogram history read it); stepsTogether: step() takes
   * presses together (the page's → key and Step button), where without it every step() is one step and
   * one snapshot (the embed's step(), whose every step is reported).
   */
  constructor({
    autoplay = false, autoplayRace = false, raceResolution = 200, base = null, clock = () => performance.now(), lessonStops = true, stopsAt = () => true,
    stepsTogether = false,
  } = {}) {
    super();
    Object.assign(this, { autoplay, autoplayRace, raceResolution, base, clock, lessonStops, stopsAt, stepsTogether });
  }

  // ---------- a lesson's stops (its moments and its end step) ----------

  /**
   * lessonStops: whether a lesson pauses at its moments and its end step at all; stopsAt(moment): which
   * of its moments this view pauses at (the embed: those whose panel it has).
   */
  #planStops() {
    const lesson = lessonNamed(this.state?.lesson);
    this.#stop = 0;
    this.#until = null;
    if (!lesson || !this.lessonStops) { this.#stops = []; return; }
    const stops = lesson.moments.filter((m) => this.stopsAt(m)).map((moment) => ({ step: moment.step, moment }));
    if (!stops.some((s) => s.step === lesson.steps)) stops.push({ step: lesson.steps, moment: null });
    this.#stops = stops.sort((a, b) => a.step - b.step);
  }

  #stopReached(stop) {
    this.#stop++;
    const end = stop.step === lessonNamed(this.state.lesson)?.steps;
    this.#emit('moment', { step: stop.step, moment: stop.moment, end });
  }

  /** The step every live run has reached (the runs of a comparison step together). */
  #runsStep() {
    const live = this.runs.filter((r) => r.status === 'ok' && r.last);
    return live.length ? Math.min(...live.map((r) => r.last.step)) : 0;
  }

  /** Before playing from `at`: skips stops behind it; a stop at `at` not yet shown is shown (and play waits). */
  #stopHere(at) {
    while (this.#stops[this.#stop] && this.#stops[this.#stop].step < at) this.#stop++;
    const stop = this.#stops[this.#stop];
    if (!stop || stop.step !== at) return false;
    this.#stopReached(stop);
    return true;
  }

  /** The next stop past the current one, as a step (null: none). */
  get nextStop() { return this.#stops[this.#stop]?.step ?? null; }

  on(type, fn) {
    this.addEventListener(type, (e) => fn(e.detail));
    return this;
  }

  #emit(type, detail = {}) {
    if (RESHARE_ON.has(type)) rebalance();   // the count of training workers may have changed
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /**
   * This session's workers that train or are about to (cpuShare counts them): its live runs unless
   * it was paused (its button, a hidden tab, an embed scrolled away). Runs built but not yet
   * playing count: eight embeds that autoplay as each gets ready would otherwise start one by one
   * with a core each, and the page's thread would wait for the cores while they load.
   */
  #training() {
    return !this.#pausedByUser ? this.runs.filter((r) => r.status === 'ok' && !r.fault).length : 0;
  }

  get running() {
    return this.state?.mode === 'race' ? Boolean(this.race?.running) : this.playing;
  }

  /** Starts a state from scratch: the runs of train and compare modes, or the race. */
  start(state, { play = false, restore = null } = {}) {
    this.state = state;
    this.#restore = restore;
    this.#readyFired = false;
    if (state.mode === 'race') {
      this.#stopRuns();
      this.#startRace(play);
    } else {
      this.#stopRace();
      this.#buildRuns(play);
    }
  }

  /** A live change to `next`; says what it took: nothing, a new speed, a new race, new runs, a restart. */
  update(next, { keepPlaying = this.playing } = {}) {
    const prev = this.state;
    this.state = next;
    const changed = Object.keys(next).filter((k) => next[k] !== prev?.[k]);
    if (!prev || next.mode !== prev.mode || next.lesson !== prev.lesson) { this.start(next); return 'restart'; }
    if (next.mode === 'race') {
      if (!changed.length) return 'none';
      this.#startRace(false);
      return 'race';
    }
    if (!changed.length || raceOnly(changed)) return 'none';   // race settings wait for race mode
    if (changed.length === 1 && changed[0] === 'speed') {
      for (const r of this.runs) r.worker.postMessage(protocol.speed(next.speed));
      return 'speed';
    }
    if (liveOnly(changed) && this.#tunable()) { this.#tune(prev, changed); return 'tune'; }
    if (liveOnly(changed) && this.#someDiverged()) return this.#tuneAroundDiverged(prev, changed);
    this.#buildRuns(keepPlaying);
    return 'runs';
  }

  play() {
    if (!this.state) return;
    if (this.state.mode === 'race') { this.#playRace(); return; }
    this.live();   // playing goes on from the present, so the views return to it
    if (this.runs.every((r) => r.status !== 'ok')) return;
    if (this.#stopHere(this.#runsStep())) { this.#emit('playing', { playing: false }); return; }
    this.playing = true;
    this.#pausedByUser = false;
    for (const r of this.runs) r.stepsOwed = 0;   // playing takes over from the presses not yet sent
    this.#until = this.nextStop;
    shareNow();   // these runs count now: every worker has its new share before they train
    for (const r of this.runs) if (r.built) r.worker.postMessage(protocol.play(this.#until));
    this.#emit('playing', { playing: true });
  }

  pause() {
    if (!this.state) return;
    if (this.state.mode === 'race') { this.#pauseRace(); return; }
    this.playing = false;
    this.#pausedByUser = true;
    for (const r of this.runs) r.worker.postMessage(protocol.pause());
    this.#emit('playing', { playing: false });
  }

  toggle() {
    if (this.running) this.pause(); else this.play();
  }

  /**
   * One training step of every run (a race: nothing). With stepsTogether, presses in one task and those
   * that come while a run's step is on its way are sent together (#sendOwedSteps): held down, the key
   * costs one snapshot per round trip, not one per press.
   */
  step() {
    if (!this.state || this.state.mode === 'race') return;
    this.live();
    this.playing = false;
    if (this.stepsTogether) {
      for (const r of this.runs) r.stepsOwed++;
      // at the end of this task: presses in one task (a script's, or a test's) go as one message
      if (!this.#stepQueued) { this.#stepQueued = true; queueMicrotask(() => { this.#stepQueued = false; this.#sendOwedSteps(); }); }
    } else {
      for (const r of this.runs) r.worker.postMessage(protocol.step());
    }
    this.#emit('playing', { playing: false });
  }

  /** The steps owed to each run whose last step has answered, never past the next stop, where every run meets. */
  #sendOwedSteps() {
    if (this.playing) return;
    const stop = this.nextStop, live = this.runs.filter((r) => r.status === 'ok');
    const waiting = stop != null && live.some((r) => (r.last?.step ?? 0) < stop);   // some run has not reached the stop yet
    for (const r of this.runs) {
      if (r.status !== 'ok') r.stepsOwed = 0;   // a diverged or failed run takes no more steps
      if (r.stepping || r.stepsOwed === 0) continue;
      const at = r.last?.step ?? 0;
      const count = stop == null || (at >= stop && !waiting) ? r.stepsOwed : Math.max(0, Math.min(r.stepsOwed, stop - at));
      if (count === 0) continue;   // at the stop: the others catch up first
      r.stepsOwed -= count;
      r.stepping = true;
      r.worker.postMessage(protocol.step(count));
    }
  }

  /** The same settings from the start (the same seed gives the same run). */
  reset({ keepPlaying = this.playing } = {}) {
    if (!this.state) return;
    if (this.state.mode === 'race') this.#startRace(keepPlaying); else this.#buildRuns(keepPlaying);
  }

  showExample(k) {
    const run = this.runs[0];
    if (run?.built?.image) run.worker.postMessage(protocol.example(k));
    if (run) run.fresh = true;
  }

  probeUnit(layer, unit) {
    this.runs[0]?.worker.postMessage(protocol.unit(layer, unit));
  }

  // ---------- instruments (worker-instruments.js computes them) ----------

  /** Asks for an instrument now: 'landscape' ({ directions, span, resolution }), 'sharpness', 'lrfind' ({ from, to, steps }). */
  measure(kind, options = {}, runs = this.runs) {
    const make = { landscape: protocol.landscape, sharpness: protocol.sharpness, lrfind: protocol.lrfind }[kind];
    if (!make) throw new Error(`instrument '${kind}' is not known; allowed: landscape, sharpness, lrfind`);
    const id = ++this.#measureId;
    for (const r of runs) if (r.built && r.status === 'ok') r.worker.postMessage(make({ ...options, id }));
    return id;
  }

  /** What every run measures while training when its lesson does not say (fields of protocol.watch). */
  watchInstruments(settings) {
    this.#instrumentWatch = settings;
    for (const r of this.runs) r.worker.postMessage(protocol.watch(watchFor(this.state, r.index, settings)));
  }

  dispose() {
    this.#stopRuns();
    this.#stopRace();
  }

  // ---------- faults: the watchdog ----------

  /**
   * The watchdog's check at `now`: a run whose worker has left a ping unanswered for SILENT_MS gets
   * the 'silent' fault; every other live run's worker is pinged (one ping outstanding at a time, so a
   * page whose timers were slowed, as in a hidden tab, never mistakes its own delay for silence).
   */
  checkWorkers(now = this.clock()) {
    this.#checkRace(now);
    for (const run of this.runs) {
      if (run.fault) continue;
      if (run.pingAt != null) {
        if (now - run.pingAt >= SILENT_MS) this.#runFaulted(run, fault('silent'));
        continue;
      }
      run.pingAt = now;
      run.worker.postMessage(protocol.ping(++this.#pings));
    }
  }

  #startWatchdog() {
    if (this.#watchdog || typeof setInterval !== 'function') return;
    this.#watchdog = setInterval(() => this.checkWorkers(), PING_MS);
    this.#watchdog.unref?.();   // Node: a session's timer never keeps a script alive
  }

  #stopWatchdog() {
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#watchdog = null;
  }

  /** Any message shows the worker lives; a run that had stopped answering is itself again. */
  #heard(run) {
    run.pingAt = null;
    if (run.fault?.kind !== 'silent' || !this.runs.includes(run)) return;
    run.fault = null;
    run.error = null;
    run.status = run.last?.status ?? 'ok';
    run.fresh = true;
    if (this.playing && run.built && run.status === 'ok') run.worker.postMessage(protocol.play(this.#until));
    this.#emit('recovered', { run });
  }

  #runFaulted(run, f) {
    if (!this.runs.includes(run)) return;
    run.fault = f;
    kernelWorkerEnded(run.worker);   // if it was timing the micro-kernels, another worker times them
    this.#runFailed(run, f.text);
  }

  // ---------- faults of the race's worker: watched as the runs' are ----------

  /** The race's worker, for test hooks that end it (as they end a run's, run.worker). */
  get raceWorker() { return this.#raceWorker; }

  /** The watchdog's check of the race's worker: the same rule as a run's (checkWorkers). */
  #checkRace(now) {
    const worker = this.#raceWorker;
    if (!worker || this.race?.fault) return;
    if (this.#racePingAt != null) {
      if (now - this.#racePingAt >= SILENT_MS) this.#raceFaulted(worker, 'silent');
      return;
    }
    this.#racePingAt = now;
    worker.postMessage(protocol.ping(++this.#pings));
  }

  /** Any message from the race's worker shows it lives; a race whose worker had stopped answering is itself again. */
  #heardRace(worker) {
    if (worker !== this.#raceWorker) return;
    this.#racePingAt = null;
    if (this.race?.fault?.kind !== 'silent') return;
    this.race.fault = null;
    this.#emit('recovered', { run: null, race: this.race });
  }

  /** The race's worker failed: session.race.fault says how and what to do; Reset gives a new worker. */
  #raceFaulted(worker, kind, detail = '') {
    if (worker !== this.#raceWorker || !this.race) return;
    const f = this.race.fault = fault(kind, detail, { race: true });
    kernelWorkerEnded(worker);
    this.#emit('error', { run: null, message: f.text, fault: f.kind, race: this.race });
  }

  // ---------- live changes: new optimiser settings from the next step, nothing rebuilt ----------

  /** Runs can take a live change once each has its network and is training normally. */
  #tunable() {
    return this.runs.length > 0 && this.runs.every((r) => r.built && r.last && r.status === 'ok');
  }

  /**
   * Sends each run whose optimiser the change reaches its new spec; a run that sets the changed keys
   * itself, or whose optimiser does not read them, goes on as it was.
   */
  #tune(prev, keys, runs = this.runs) {
    for (const run of runs) {
      const before = runState(prev, run.overrides), after = runState(this.state, run.overrides);
      const own = keysReaching(before, after, keys);
      if (!own.length) continue;
      const id = ++tunes;
      run.tuning.set(id, markText(before, after, own));
      run.worker.postMessage(protocol.tune(optimizerSpec(after), id));
    }
  }

  /** Every run has its network and trains normally or has diverged, and one at least has diverged. */
  #someDiverged() {
    return this.runs.some((r) => r.status === 'diverged') &&
      this.runs.every((r) => r.built && r.last && (r.status === 'ok' || r.status === 'diverged'));
  }

  /**
   * A live change once runs have diverged. The engine undid the update that overflowed, but those
   * weights sit at the edge of the blow-up and a momentum's or Adam's state is not undone, so a
   * diverged run is not continued, nor silently started again: it stays diverged at its step, the new
   * settings wait in the state for Reset, and its status says so (labels.js runStatus, from
   * run.divergedWith). The runs still training take the change live. 'tune' when one did, else 'held'.
   */
  #tuneAroundDiverged(prev, keys) {
    const training = this.runs.filter((r) => r.status === 'ok');
    const held = this.runs.filter((r) => r.status === 'diverged' &&
      keysReaching(runState(prev, r.overrides), runState(this.state, r.overrides), keys).length);
    this.#tune(prev, keys, training);
    for (const r of held) r.fresh = true;
    if (held.length) this.#emit('held', { runs: held });
    return training.length ? 'tune' : 'held';
  }

  #onTuned(run, msg) {
    const text = run.tuning.get(msg.id);
    if (text === undefined) return;
    run.tuning.delete(msg.id);
    run.built.scheduleCurve = msg.scheduleCurve;   // the preview of the schedule at the new rate
    const marker = { step: msg.step, text };
    run.markers.push(marker);
    this.#emit('marker', { run, marker });
  }

  // ---------- training runs ----------

  #stopRuns() {
    const was = this.playing;
    this.playing = false;
    for (const r of this.runs) endWorker(r.worker);
    this.runs = [];
    this.#stopWatchdog();
    sharing.delete(this);
    if (was) this.#emit('playing', { playing: false });
  }

  #buildRuns(keepPlaying) {
    const defs = runsOf(this.state);
    const was = this.playing;
    this.playing = false;
    this.scrubStep = null;   // new runs have no past yet
    this.#readyFired = false;
    this.#wantPlay = keepPlaying;
    this.#planStops();
    while (this.runs.length > defs.length) endWorker(this.runs.pop().worker);
    while (this.runs.length < defs.length) this.runs.push(newRun(newWorker(this.base)));
    // a run whose worker failed gets a new one (a worker out of memory would keep its grown memory)
    this.runs = this.runs.map((old) => (old.fault ? (endWorker(old.worker), newRun(newWorker(this.base))) : old));
    this.runs = this.runs.map((old, i) => {
      const run = newRun(old.worker, i, defs[i].overrides, defs[i].label);
      run.worker.onmessage = (e) => { this.#heard(run); this.#onRunMessage(run, e.data); };
      run.worker.onerror = (e) => { e?.preventDefault?.(); this.#runFaulted(run, fault('crashed', e?.message ?? 'it could not start')); };
      run.worker.onmessageerror = () => this.#runFaulted(run, fault('crashed', 'it sent a message that could not be read'));
      return run;
    });
    this.#startWatchdog();
    sharing.set(this, {
      training: () => this.#training(),
      send: (duty) => {
        for (const r of this.runs) if (r.generation && !r.fault && r.duty !== duty) { r.duty = duty; r.worker.postMessage(protocol.duty(duty)); }
      },
    });
    for (const run of this.runs) {
      let config;
      try {
        config = runConfig(runState(this.state, run.overrides));
      } catch (error) {
        this.#runFailed(run, String(error.message));
        continue;
      }
      run.generation = ++generations;
      run.duty = cpuShare(trainingWorkers() + (this.#pausedByUser ? this.runs.length : 0));   // its share once it plays (play sends the share then)
      if (run.index === 0 && this.#restore != null) { config.restore = this.#restore; this.#restore = null; }
      const kernel = kernelFor(run.worker, !!config.scalar);   // one timing of the micro-kernels per document, after load
      if (kernel !== undefined) config.kernel = kernel;
      const watch = protocol.watch(watchFor(this.state, run.index, this.#instrumentWatch));   // the instruments to measure while training
      run.worker.postMessage(protocol.build({ ...config, generation: run.generation, duty: run.duty, watch }));
    }
    this.#emit('runs', { runs: this.runs });
    if (was) this.#emit('playing', { playing: false });
  }

  #runFailed(run, message) {
    if (!this.runs.includes(run)) return;
    run.status = 'error';
    run.error = message;
    this.#emit('error', { run, message });
    this.#checkReady();
  }

  /** A worker's engine events, the same from a run's worker and the race's: true if msg was one. */
  #onEngineEvent(worker, msg) {
    if (msg.type === 'started') {
      this.#emit('started', {});
    } else if (msg.type === 'ready') {
      this.simd = msg.simd;
      this.kernel = kernelReady(worker, msg.kernel);   // pending while the document's timing is to come
      this.#emit('engine', { simd: msg.simd, kernel: this.kernel });
    } else {
      return false;
    }
    return true;
  }

  #onRunMessage(run, msg) {
    // a message from before the last rebuild describes a network that no longer exists
    if (!this.runs.includes(run) || (msg?.generation !== undefined && msg.generation !== run.generation)) return;
    const problem = protocol.checkEvent(msg);
    if (problem) { this.#runFailed(run, `the worker sent what the page cannot read: ${problem}`); return; }
    if (this.#onEngineEvent(run.worker, msg)) return;
    if (msg.type === 'built') {
      run.built = msg;
      run.stepsOwed = 0; run.stepping = false;   // presses before the network existed went nowhere
      if (this.playing) run.worker.postMessage(protocol.play(this.#until));
      this.#emit('built', { run });
    } else if (msg.type === 'snapshot') {
      this.#onSnapshot(run, msg);
    } else if (msg.type === 'conv') {
      if (run.last) { run.last.conv = msg.conv; run.fresh = true; }
      this.#emit('conv', { run });
    } else if (msg.type === 'unit') {
      this.#emit('unit', { run, layer: msg.layer, unit: msg.unit, values: msg.values });
    } else if (msg.type === 'tuned') {
      this.#onTuned(run, msg);
    } else if (msg.type === 'recorded') {
      if (this.scrubStep === null) return;   // an answer that arrived after the return to live
      run.scrubbed = msg;
      run.fresh = true;
      this.#emit('recorded', { run });
    } else if (msg.type === 'error') {
      if (isMemoryError(msg.message)) this.#runFaulted(run, fault('memory', msg.message)); else this.#runFailed(run, msg.message);
    } else if (msg.type === 'file' || msg.type === 'opened' || msg.type === 'refused') {
      this.#emit(msg.type, { run, ...msg });
    } else if (READING_TYPES.includes(msg.type)) {
      addReading(run, msg);
      this.#emit('instrument', { run, reading: msg });
    }
  }

  // ---------- files: downloads and saved runs, made and checked in the workers (worker-files.js) ----------

  /** Asks run `index`'s worker for a download (protocol FILE_KINDS); the answer is a file or refused event. */
  requestFile(index, what, settings = '', curves = null) {
    const run = this.runs[index];
    if (!run?.built) return false;
    run.worker.postMessage(protocol.file(what, settings, curves));
    return true;
  }

  /** Gives a saved run's zip bytes to run 0's worker to check; the answer is an opened or refused event. Returns its id. */
  openRun(bytes) {
    const run = this.runs[0];
    if (!run) return null;
    const id = ++this.#openId;
    run.worker.postMessage(protocol.open(id, bytes), [bytes.buffer]);
    return id;
  }

  // ---------- time travel: every run shows its recorded step nearest to one step ----------

  /** The step the runs are scrubbed to, or null when the views show the present (live). */
  scrubStep = null;

  /** Shows every run at its recorded step nearest to `at` (each run's worker answers; playing stops). */
  scrub(at) {
    if (!this.state || this.state.mode === 'race' || !this.runs.length) return;
    if (this.playing) this.pause();
    this.scrubStep = at;
    for (const r of this.runs) if (r.built) r.worker.postMessage(protocol.scrub(at));
    this.#emit('scrub', { step: at });
  }

  /** Back to the present: the views draw each run's latest snapshot again. */
  live() {
    if (this.scrubStep === null) return;
    this.scrubStep = null;
    for (const r of this.runs) { r.scrubbed = null; r.fresh = true; }
    this.#emit('scrub', { step: null });
  }

  #onSnapshot(run, s) {
    const wasOk = run.status === 'ok';
    run.stepping = false;
    run.last = s;
    run.status = s.status;
    run.fresh = true;
    recordSnapshot(run, s, this.clock());
    this.#emit('step', { run });
    this.#checkReady();
    const stop = this.#stops[this.#stop], live = this.runs.filter((r) => r.status === 'ok');
    if (stop && live.length && live.every((r) => r.last && r.last.step >= stop.step)) {
      // the workers stopped themselves at `until`; a step taken by hand lands on the stop as well
      if (this.playing) { this.playing = false; this.#emit('playing', { playing: false }); }
      this.#stopReached(stop);
    }
    if (wasOk && s.status === 'diverged') {
      run.divergedWith = runState(this.state, run.overrides);   // the settings it diverged with (labels.js)
      this.#emit('diverged', { run, step: s.divergedAt ?? s.step, learningRate: runState(this.state, run.overrides).lr });
      if (this.runs.every((r) => r.status !== 'ok') && this.playing) {
        this.playing = false;
        this.#emit('playing', { playing: false });
      }
    }
    this.#sendOwedSteps();
  }

  #checkReady() {
    if (this.#readyFired || !this.runs.every((r) => r.last || r.status === 'error')) return;
    this.#readyFired = true;
    this.#emit('ready', { runs: this.runs });
    if (this.#wantPlay || this.autoplay) { this.#wantPlay = false; this.play(); }
  }

  // ---------- the optimiser race ----------

  #stopRace() {
    if (this.#raceWorker) endWorker(this.#raceWorker);
    this.#raceWorker = null;
    this.#racePingAt = null;
    this.race = null;
  }

  /**
   * session.race: { id, racers: [{ name, learningRate (its own, or the shared rate) }], start,
   * surface and paths (null until the worker answers), running, elapsed, since, upto, fault (its
   * worker's fault, faults.js, or null) }.
   */
  #startRace(play) {
    if (this.race?.fault) this.#stopRace();   // a worker that failed gets a new one (Reset, or new settings)
    if (!this.#raceWorker) {
      const worker = this.#raceWorker = newWorker(this.base);
      worker.onmessage = (e) => { this.#heardRace(worker); this.#onRaceMessage(e.data); };
      worker.onerror = (e) => { e?.preventDefault?.(); this.#raceFaulted(worker, 'crashed', e?.message ?? 'it could not start'); };
      worker.onmessageerror = () => this.#raceFaulted(worker, 'crashed', 'it sent a message that could not be read');
    }
    this.#startWatchdog();
    this.#planStops();
    const plan = racePlan(this.state);
    this.race = { id: ++this.#raceId, racers: plan.racers, start: plan.start, surface: null, paths: null, running: false, elapsed: 0, since: 0, upto: -1, fault: null };
    this.#wantPlay = play;
    const kernel = kernelFor(this.#raceWorker, plan.scalar);   // one timing of the micro-kernels per document
    this.#raceWorker.postMessage(protocol.race({ ...plan, id: this.race.id, resolution: this.raceResolution, kernel }));
    this.#emit('racestart', { race: this.race });
    this.#emit('playing', { playing: false });
  }

  #onRaceMessage(msg) {
    const problem = protocol.checkEvent(msg);
    if (problem) { this.#emit('error', { run: null, message: `the worker sent what the page cannot read: ${problem}` }); return; }
    if (this.#onEngineEvent(this.#raceWorker, msg)) return;
    if (msg.type === 'error') {
      if (isMemoryError(msg.message)) this.#raceFaulted(this.#raceWorker, 'memory', msg.message); else this.#emit('error', { run: null, message: msg.message });
      return;
    }
    if (msg.type !== 'race' || msg.id !== this.race?.id) return;
    Object.assign(this.race, { surface: msg.surface, paths: msg.paths });
    this.#emit('race', { race: this.race });
    if (!this.#readyFired) { this.#readyFired = true; this.#emit('ready', { runs: msg.paths }); }
    if (this.#wantPlay || this.autoplay || this.autoplayRace) { this.#wantPlay = false; this.#playRace(); }
  }

  #playRace() {
    const race = this.race;
    if (!race?.surface) { this.#wantPlay = true; return; }
    if (race.upto >= this.state.raceSteps) { race.elapsed = 0; race.upto = -1; this.#planStops(); }   // play again from the start
    if (this.#stopHere(Math.max(0, race.upto))) { this.#emit('playing', { playing: false }); return; }
    race.running = true;
    race.since = this.clock();
    this.#emit('playing', { playing: true });
  }

  #pauseRace() {
    const race = this.race;
    if (!race?.running) return;
    race.elapsed += this.clock() - race.since;
    race.running = false;
    this.#emit('playing', { playing: false });
  }

  /** Where the race clock stands at `now`: the last step to draw, and whether it moved since the last call. */
  raceFrame(now = this.clock()) {
    const race = this.race;
    if (!race?.surface) return { upto: -1, changed: false };
    const steps = this.state.raceSteps;
    const elapsed = race.elapsed + (race.running ? now - race.since : 0);
    // a lesson's race runs at its pace (steps per second); any other race takes RACE_MS
    const msPerStep = this.state.lesson ? 1000 / this.state.speed : RACE_MS / steps;
    // (a hair over the quotient: a finished race of 120 steps has elapsed / msPerStep = 119.99999…, not 120)
    let upto = Math.min(steps, Math.floor(elapsed / msPerStep + 1e-9));
    const stop = this.#stops[this.#stop];
    if (race.running && stop && upto >= stop.step) {   // a lesson's moment: stop the clock exactly there
      upto = stop.step;
      race.upto = upto;
      race.running = false;
      race.elapsed = upto * msPerStep;
      this.#emit('playing', { playing: false });
      this.#stopReached(stop);
      return { upto, changed: true };
    }
    const changed = upto !== race.upto;
    race.upto = upto;
    if (race.running && upto >= steps) {
      race.running = false;
      race.elapsed = RACE_MS;
      this.#emit('playing', { playing: false });
    }
    return { upto, changed };
  }
}
