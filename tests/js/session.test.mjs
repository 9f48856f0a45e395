// The run controller (web/app/session.js) without a browser: a fake Worker records the commands a
// session sends and plays the worker's part by hand, so generations, the CPU share, curves, play
// and step, live changes and the race clock are checked message by message. A second part runs the
// real worker.js in this thread behind the same Worker interface, so the commands the session sends
// and the events the engine answers with are checked against each other (protocol.js) and against
// the engine called directly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SNAPSHOT_DEFAULTS, layerReports, loadGradlab, takeSnapshot } from '../../web/lib/gradlab.js';
import * as protocol from '../../web/app/protocol.js';
import { raceChart, racerFate } from '../../web/app/race-fate.js';
import {
  CURVE_POINTS, LAYER_CURVES, RACE_MS, Session, appendCapped, cpuShare, newWorker, pageStarting, racerLabel, shownSnapshot, trainingWorkers, workersAlive,
} from '../../web/app/session.js';
import { baseState, parseState } from '../../web/app/state.js';
import { lessonNamed } from '../../web/app/lessons.js';
import { runStatus } from '../../web/app/labels.js';
import { withWorkerClass, workerClassInBlock } from './worker-class.mjs';

class FakeWorker {
  static all = [];
  constructor(url, options) {
    Object.assign(this, { url: String(url), options, sent: [], terminated: false, onmessage: null, onerror: null });
    FakeWorker.all.push(this);
  }
  postMessage(msg) {
    assert.equal(protocol.checkCommand(msg), '', `the session sent a command the worker refuses: ${JSON.stringify(msg)}`);
    this.sent.push(msg);
  }
  terminate() { this.terminated = true; }
  /** The worker's side: an event to the session. */
  answer(msg) { this.onmessage({ data: msg }); }
  types() { return this.sent.map((m) => m.type); }
}

const stats = { mean: 0, std: 1, min: -1, max: 1 };
const layer = () => ({ weights: stats, activations: stats, gradients: stats, saturated: 0, dead: 0, gradientNorm: 1, updateRatio: 1e-3, nearZero: 0, hist: {} });
const snapshotAt = (generation, step, status = 'ok', loss = 1 / (1 + step)) => protocol.snapshot({
  generation, step, status, batchLoss: loss, learningRate: 0.1, train: { loss, accuracy: 0.5 }, test: { loss, accuracy: 0.5 },
  layers: [layer(), layer()], outputs: new Float32Array(4), weights: [], conv: null, ...(status === 'diverged' ? { divergedAt: step } : {}),
});
const builtFor = (generation) => protocol.built({
  generation, inputs: 2, classes: 3, extent: 1.6, gridSize: 48, layers: [], train: {}, test: {}, scheduleCurve: new Float32Array(0), image: null,
});
const events = (session, types) => {
  const seen = [];
  for (const type of types) session.on(type, (detail) => seen.push({ type, ...detail }));
  return seen;
};
const build = (w) => w.sent.filter((m) => m.type === 'build').at(-1);

describe('session with a fake worker', () => {
  workerClassInBlock(FakeWorker);

  it('starts one worker per run with a share of the CPU that shrinks as training workers are added', () => {
    const before = workersAlive(), training = trainingWorkers();
    const a = new Session();
    a.start(parseState('?lesson=zero-init').state);   // compare: two runs
    assert.equal(a.runs.length, 2);
    assert.equal(workersAlive(), before + 2);
    const shares = a.runs.map((r) => build(r.worker).config.duty);
    assert.ok(shares.every((d) => d === cpuShare(training + 2)), 'a build carries the share its run gets once it plays');
    a.play();
    assert.equal(trainingWorkers(), training + 2);
    const b = new Session();
    b.start(baseState(''));
    assert.equal(workersAlive(), before + 3);
    assert.equal(build(b.runs[0].worker).config.duty, cpuShare(training + 3));
    assert.ok(build(b.runs[0].worker).config.duty <= Math.min(...shares), 'a later worker gets no more than the earlier ones');
    assert.equal(cpuShare(1, 2), 1);
    assert.equal(cpuShare(3, 2), 0.5);
    assert.equal(cpuShare(100, 2), 0.15);
    // while the page starts, the workers leave it a core and a half: one worker on two cores half a
    // core, four the least share each; on eight cores one worker keeps its whole core
    assert.equal(cpuShare(1, 2, true), 0.5);
    assert.equal(cpuShare(2, 2, true), 0.25);
    assert.equal(cpuShare(4, 2, true), 0.15);
    assert.equal(cpuShare(1, 8, true), 1);
    assert.equal(cpuShare(1, 2, false), 1);
    assert.equal(pageStarting(0), false, 'Node has no page to start');
    a.dispose(); b.dispose();
    assert.equal(workersAlive(), before);
    assert.ok(FakeWorker.all.slice(-3).every((w) => w.terminated && w.options.type === 'module'));
  });

  it('tells its views when a worker has started (its first event, before any build: charts.js waits for it)', () => {
    const s = new Session();
    s.start(parseState('?lesson=zero-init').state);
    let started = 0;
    s.on('started', () => started++);
    assert.equal(protocol.checkEvent(protocol.started()), '');
    s.runs[0].worker.answer(protocol.started());
    s.runs[1].worker.answer(protocol.started());
    assert.equal(started, 2);
    assert.ok(s.runs.every((r) => r.status === 'ok'), 'not a failure');
    s.dispose();
  });

  it('drops messages of an older generation and counts ready once all runs have a snapshot', () => {
    const s = new Session();
    const seen = events(s, ['ready', 'step', 'runs']);
    s.start(parseState('?lesson=zero-init').state);
    const [r0, r1] = s.runs;
    const g0 = build(r0.worker).config.generation, g1 = build(r1.worker).config.generation;
    assert.notEqual(g0, g1);
    r0.worker.answer(snapshotAt(g0 - 1000, 5));   // stale
    assert.equal(r0.last, null);
    r0.worker.answer(snapshotAt(g0, 0));
    assert.equal(seen.filter((e) => e.type === 'ready').length, 0);
    r1.worker.answer(snapshotAt(g1, 0));
    assert.equal(seen.filter((e) => e.type === 'ready').length, 1);
    r1.worker.answer(snapshotAt(g1, 10));
    assert.equal(seen.filter((e) => e.type === 'ready').length, 1);
    assert.deepEqual(r1.curves.x, [0, 10]);
    // a change of the data rebuilds: the old run objects and their generation are gone
    s.update({ ...s.state, samples: 200 }, { keepPlaying: false });
    assert.equal(seen.filter((e) => e.type === 'runs').length, 2);
    r0.worker.answer(snapshotAt(g0, 20));
    assert.equal(s.runs[0].last, null, 'a snapshot of the network before the change is dropped');
    assert.ok(build(s.runs[0].worker).config.generation > g1);
    s.dispose();
  });

  it('plays, pauses, steps, sends speed alone, and stops when every run diverged', () => {
    const s = new Session();
    const seen = events(s, ['diverged', 'playing']);
    s.start(baseState(''));
    const w = s.runs[0].worker, g = build(w).config.generation;
    s.play();
    assert.ok(!w.types().includes('play'), 'no play before the network is built');
    w.answer(builtFor(g));
    assert.equal(w.types().at(-1), 'play', 'play is sent once built');
    s.pause();
    s.step();
    assert.deepEqual(w.types().slice(-2), ['pause', 'step']);
    assert.equal(s.playing, false);
    assert.equal(s.update({ ...s.state, speed: 40 }), 'speed');
    assert.deepEqual(w.sent.at(-1), protocol.speed(40));
    assert.equal(w.types().filter((t) => t === 'build').length, 1, 'speed rebuilds nothing');
    s.play();
    w.answer(snapshotAt(g, 3, 'diverged', NaN));
    const d = seen.find((e) => e.type === 'diverged');
    assert.equal(d.step, 3);
    assert.equal(d.learningRate, s.state.lr);
    assert.equal(s.playing, false);
    assert.equal(seen.at(-1).type, 'playing');
    s.dispose();
  });

  it('stepsTogether takes presses of Step together: one message per task and per snapshot awaited, never past a stop where the runs meet', async () => {
    const s = new Session({ stepsTogether: true });
    s.start(parseState('?lesson=zero-init').state);   // compare: two runs, stops at the lesson's moments
    const stop = s.nextStop, [a, b] = s.runs.map((r) => r.worker);
    assert.ok(stop > 5, `the lesson's first stop (${stop}) leaves room to step`);
    for (const w of [a, b]) { const g = build(w).config.generation; w.answer(builtFor(g)); w.answer(snapshotAt(g, 0)); }
    const steps = (w) => w.sent.filter((m) => m.type === 'step').map((m) => m.count);
    s.step(); s.step(); s.step();
    assert.deepEqual(steps(a), [], 'sent at the end of the task');
    await null;
    assert.deepEqual([steps(a), steps(b)], [[3], [3]], 'three presses in one task: one message of three steps');
    s.step(); s.step();
    await null;
    assert.deepEqual(steps(a), [3], 'nothing more while the step\'s snapshot is on its way');
    a.answer(snapshotAt(build(a).config.generation, 3));
    assert.deepEqual(steps(a), [3, 2], 'the snapshot came: the two presses go together');
    // up to the stop and no further: a run at the stop waits there for the other
    for (let i = 0; i < stop; ++i) s.step();
    await null;
    b.answer(snapshotAt(build(b).config.generation, 3));
    assert.deepEqual(steps(b), [3, stop - 3], 'run b: to the stop, not past it');
    a.answer(snapshotAt(build(a).config.generation, 5));
    assert.deepEqual(steps(a), [3, 2, stop - 5], 'run a: to the stop');
    a.answer(snapshotAt(build(a).config.generation, stop));
    assert.deepEqual(steps(a), [3, 2, stop - 5], 'run a waits at the stop while run b is short of it');
    b.answer(snapshotAt(build(b).config.generation, stop));
    assert.equal(s.nextStop > stop, true, 'both at the stop: it is reached');
    const owed = 3 + 2 + stop - stop;   // presses so far less the steps to the stop
    assert.ok(s.nextStop - stop > owed, 'the next stop is further on');
    assert.deepEqual([steps(a).at(-1), steps(b).at(-1)], [owed, owed], 'the rest go on past it, both runs alike');
    s.step();
    s.play();   // playing takes over: the press not yet sent is dropped
    s.pause();
    await null;
    a.answer(snapshotAt(build(a).config.generation, stop + owed));
    assert.equal(steps(a).length, 4, 'the press before play is not sent after it');
    s.dispose();
    // without it (the embed's step(), each of which is reported): every call is one step, sent at once
    const plain = new Session();
    plain.start(parseState('?lesson=zero-init').state);
    const p = plain.runs[0].worker;
    p.answer(builtFor(build(p).config.generation));
    plain.step(); plain.step();
    assert.deepEqual(steps(p), [1, 1]);
    plain.dispose();
  });

  it('with autoplay, plays when ready; reset keeps playing; a bad setting or a worker error is reported', () => {
    const s = new Session({ autoplay: true });
    const seen = events(s, ['error']);
    s.start(baseState(''));
    const w = s.runs[0].worker;
    w.answer(builtFor(build(w).config.generation));
    w.answer(snapshotAt(build(w).config.generation, 0));
    assert.equal(s.playing, true);
    s.reset();
    assert.equal(w.types().at(-1), 'build');
    w.answer(builtFor(build(w).config.generation));
    w.answer(snapshotAt(build(w).config.generation, 0));
    assert.equal(s.playing, true, 'reset kept playing');
    w.answer(protocol.error(build(w).config.generation, 'boom', 'step'));
    assert.equal(s.runs[0].status, 'error');
    assert.equal(seen.at(-1).message, 'boom');
    w.answer({ type: 'snapshot', generation: build(w).config.generation, step: 'x' });
    assert.match(seen.at(-1).message, /cannot read: event 'snapshot': field 'step'/);
    s.update({ ...s.state, layers: 'c8_relu' });   // conv layers need an image data set
    assert.match(seen.at(-1).message, /conv layers need an image data set/);
    s.dispose();
  });

  it('time travel: scrub asks every run, the answers are what views draw, and live, play, step and a rebuild return to the present', () => {
    const s = new Session();
    const seen = events(s, ['scrub', 'recorded', 'playing']);
    s.start(parseState('?lesson=zero-init').state);   // two runs
    const gens = s.runs.map((r) => build(r.worker).config.generation);
    s.runs.forEach((r, i) => { r.worker.answer(builtFor(gens[i])); r.worker.answer(snapshotAt(gens[i], 0)); r.worker.answer(snapshotAt(gens[i], 40)); });
    s.play();
    s.scrub(17);
    assert.equal(s.playing, false, 'scrubbing pauses');
    assert.equal(s.scrubStep, 17);
    for (const r of s.runs) assert.deepEqual(r.worker.sent.at(-1), protocol.scrub(17));
    assert.ok(s.runs.every((r) => shownSnapshot(r) === r.last), 'the latest until an answer comes');
    const answers = s.runs.map((r, i) => protocol.recorded(gens[i], 17, snapshotAt(gens[i], 16 + i), [0, 16 + i, 40], { bytes: 1 }));
    s.runs.forEach((r, i) => r.worker.answer(answers[i]));
    s.runs.forEach((r, i) => { assert.equal(shownSnapshot(r).step, 16 + i); assert.equal(r.curves.x.at(-1), 40, 'curves keep the present'); });
    assert.equal(seen.filter((e) => e.type === 'recorded').length, 2);
    s.live();
    assert.equal(s.scrubStep, null);
    assert.ok(s.runs.every((r) => shownSnapshot(r) === r.last && r.fresh));
    s.runs[0].worker.answer(answers[0]);
    assert.equal(s.runs[0].scrubbed, null, 'an answer after the return to live is dropped');
    for (const go of [() => s.play(), () => s.step()]) {
      s.scrub(5);
      s.runs.forEach((r, i) => r.worker.answer(answers[i]));
      go();
      assert.equal(s.scrubStep, null);
      assert.ok(s.runs.every((r) => shownSnapshot(r) === r.last));
    }
    s.scrub(5);
    assert.equal(s.update({ ...s.state, seed: s.state.seed + 1 }, { keepPlaying: false }), 'runs');
    assert.equal(s.scrubStep, null, 'new runs start live');
    assert.deepEqual(seen.filter((e) => e.type === 'scrub').map((e) => e.step), [17, null, 5, null, 5, null, 5]);
    s.dispose();
  });

  it('keeps every per-layer curve of LAYER_CURVES aligned on one step column', () => {
    const s = new Session();
    s.start(baseState(''));
    const w = s.runs[0].worker, g = build(w).config.generation;
    for (let step = 0; step < 3 * CURVE_POINTS; step += 2) w.answer(snapshotAt(g, step));
    const lc = s.runs[0].layerCurves;
    assert.ok(lc.x.length <= CURVE_POINTS);
    for (const name of Object.keys(LAYER_CURVES)) {
      assert.equal(lc[name].length, 2, name);
      for (const col of lc[name]) assert.equal(col.length, lc.x.length, name);
    }
    assert.deepEqual([lc.gradNorm[0].at(-1), lc.ratio[1].at(-1), lc.saturated[0].at(-1), lc.activationStd[1].at(-1)], [1, 1e-3, 0, 1]);
    s.dispose();
  });

  it('keeps curves bounded by thinning them', () => {
    const columns = [[], []];
    for (let i = 0; i < 5 * CURVE_POINTS; ++i) appendCapped(columns, [i, 2 * i]);
    assert.ok(columns[0].length <= CURVE_POINTS && columns[0].length > CURVE_POINTS / 2);
    assert.equal(columns[0].at(-1), 5 * CURVE_POINTS - 1, 'the newest point is kept');
    assert.equal(columns[0][0], 0, 'the first point is kept');
    assert.deepEqual(columns[1], columns[0].map((x) => 2 * x), 'columns stay aligned');
  });

  it('races racers with their own learning rates on one clock', () => {
    let now = 1000;
    const s = new Session({ clock: () => now });
    const seen = events(s, ['race', 'ready', 'playing']);
    s.start(parseState('?mode=race&surface=saddle&racers=sgd~adam@0.02').state);
    assert.equal(s.runs.length, 0);
    const w = FakeWorker.all.at(-1), cmd = w.sent.at(-1);
    assert.equal(cmd.type, 'race');
    assert.deepEqual(cmd.racers, [{ name: 'sgd', learningRate: s.state.raceLr }, { name: 'adam', learningRate: 0.02 }]);
    assert.deepEqual(s.race.racers.map((r) => racerLabel(r.name, r.learningRate)), [`sgd (lr ${s.state.raceLr})`, 'adam (lr 0.02)']);
    const steps = s.state.raceSteps;
    // each racer goes along x and leaves the view [0, 1] x [0, 1] after step 10
    const path = (name, learningRate) => {
      const p = { name, learningRate, path: Float32Array.from({ length: 2 * (steps + 1) }, (_, i) => (i % 2 ? 0.5 : i / 20)), loss: Float32Array.from({ length: steps + 1 }, (_, i) => -i) };
      return { ...p, fate: racerFate(p, { x: [0, 1], y: [0, 1] }, steps) };
    };
    w.answer(protocol.raceResult(cmd.id - 1, { min: -10, max: 10 }, []));   // an older race
    assert.equal(s.race.surface, null);
    w.answer(protocol.raceResult(cmd.id, { min: -10, max: 10, x: [0, 1], y: [0, 1] }, [path('sgd', 0.01), path('adam', 0.02)]));
    assert.equal(seen.filter((e) => e.type === 'ready').length, 1);
    assert.equal(s.race.running, false, 'no autoplay was asked for');
    s.play();
    assert.equal(s.raceFrame().upto, 0);
    now += RACE_MS / 2;
    assert.equal(s.raceFrame().upto, Math.floor(steps / 2));
    s.pause();
    now += RACE_MS;
    assert.equal(s.raceFrame().upto, Math.floor(steps / 2), 'a paused race holds its step');
    s.play();
    now += RACE_MS / 4;
    assert.equal(s.raceFrame().upto, Math.floor((3 * steps) / 4), 'and goes on from there');
    now += RACE_MS;
    const end = s.raceFrame();
    assert.equal(end.upto, steps);
    assert.equal(s.running, false, 'the race stops at its last step');
    assert.equal(seen.filter((e) => e.type === 'playing').at(-1).playing, false);
    s.play();
    assert.equal(s.raceFrame().upto, 0, 'playing a finished race starts it again');
    const cols = raceChart(s.race, 5).columns;
    assert.deepEqual(cols[0], [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(cols[2], [-0, -1, -2, -3, -4, -5]);
    const whole = raceChart(s.race, steps);
    assert.deepEqual(s.race.paths[0].fate, { divergedAt: null, spells: [[11, null]] }, 'it left the plot at step 11');
    assert.deepEqual(whole.columns[1].slice(9, 12), [-9, -10, -10], 'a loss that leaves the chart\'s range (the view\'s losses) is drawn to its edge');
    assert.deepEqual(whole.marks[0], [[11, -10]], 'and ends in a mark there');
    assert.equal(whole.columns[1].at(-1), null, 'not as a flat line along the edge');
    // a race-only change sends a new race to the same worker
    assert.equal(s.update({ ...s.state, racers: 'rmsprop@0.5' }), 'race');
    assert.deepEqual(w.sent.at(-1).racers, [{ name: 'rmsprop', learningRate: 0.5 }]);
    s.dispose();
    assert.ok(w.terminated);
  });

  it('a lesson\'s race runs at the lesson\'s pace and its clock stops exactly at each moment', () => {
    let now = 0;
    const s = new Session({ clock: () => now });
    const moments = [];
    s.on('moment', (d) => moments.push(d));
    const lesson = lessonNamed('saddle');
    s.start(baseState('saddle'));
    const w = FakeWorker.all.at(-1), cmd = w.sent.at(-1), steps = s.state.raceSteps;
    const path = (name) => ({ name, learningRate: 0.01, path: new Float32Array(2 * (steps + 1)), loss: new Float32Array(steps + 1), fate: { divergedAt: null, spells: [] } });
    w.answer(protocol.raceResult(cmd.id, { min: -10, max: 10, x: [0, 1], y: [0, 1] }, [path('sgd'), path('momentum')]));
    s.play();
    now += (1000 / lesson.stepsPerSecond) * 10.5;
    assert.equal(s.raceFrame().upto, 10, 'steps per second of the lesson');
    now += 60000;   // a long frame: the clock still stops at the first moment, not past it
    assert.equal(s.raceFrame().upto, lesson.moments[0].step);
    assert.equal(s.running, false);
    assert.deepEqual(moments.map((m) => m.step), [lesson.moments[0].step]);
    now += 60000;
    assert.equal(s.raceFrame().upto, lesson.moments[0].step, 'paused at the moment');
    s.play();
    now += 1000 / lesson.stepsPerSecond;
    assert.equal(s.raceFrame().upto, lesson.moments[0].step + 1, 'Play goes on from the moment');
    now += 60000;
    assert.equal(s.raceFrame().upto, lesson.moments[1].step);
    s.play();
    now += 60000;
    assert.equal(s.raceFrame().upto, steps);
    assert.deepEqual(moments.map((m) => [m.step, m.end]), [...lesson.moments.map((m) => [m.step, m.step === steps]), ...(lesson.moments.some((m) => m.step === steps) ? [] : [[steps, true]])]);
    s.dispose();
  });

  it('a finished race stays at its last step, whatever the number of steps (the clock divides without a rounding loss)', () => {
    for (const raceSteps of [120, 11, 300, 999, 4999]) {
      let now = 1000;
      const s = new Session({ clock: () => now });
      s.start(parseState(`?mode=race&surface=saddle&racers=sgd&raceSteps=${raceSteps}`).state);
      const w = FakeWorker.all.at(-1), cmd = w.sent.at(-1);
      const p = { name: 'sgd', learningRate: 0.01, path: new Float32Array(2 * (raceSteps + 1)), loss: new Float32Array(raceSteps + 1) };
      w.answer(protocol.raceResult(cmd.id, { min: -1, max: 1, x: [-1, 1], y: [-1, 1] }, [{ ...p, fate: racerFate(p, { x: [-1, 1], y: [-1, 1] }, raceSteps) }]));
      s.play();
      now += 2 * RACE_MS;
      assert.equal(s.raceFrame().upto, raceSteps, `${raceSteps} steps: the race ends at its last step`);
      assert.equal(s.running, false);
      now += 100;
      assert.equal(s.raceFrame().upto, raceSteps, `${raceSteps} steps: and stays there`);
      s.dispose();
    }
  });

  it('makes every worker through newWorker', () => {
    const before = FakeWorker.all.length;
    const w = newWorker('https://cdn.example/gradlab/web/');
    assert.equal(FakeWorker.all.length, before + 1);
    assert.equal(w.url, 'https://cdn.example/gradlab/web/app/worker.js', 'worker.js under the base');
    const beside = newWorker();
    assert.equal(beside.url, new URL('../../web/app/worker.js', import.meta.url).href, 'or beside session.js');
    beside.terminate();
    w.terminate();
  });
});

/** The real worker.js in this thread: its global onmessage and postMessage are wired to one fake Worker. */
class InThreadWorker {
  static #loaded = null;
  constructor() {
    this.onmessage = null;
    this.onerror = null;
    this.ready = (InThreadWorker.#loaded ??= (async () => {
      globalThis.onmessage = null;
      globalThis.postMessage = (msg) => InThreadWorker.current?.onmessage?.({ data: msg });
      await import('../../web/app/worker.js');
      return globalThis.onmessage;
    })());
    InThreadWorker.current = this;
  }
  postMessage(msg) {
    assert.equal(protocol.checkCommand(msg), '');
    this.ready.then((handle) => handle({ data: structuredClone(msg) }));
  }
  terminate() {}
}

const until = (session, type, test = () => true) => new Promise((resolve) => session.on(type, (d) => { if (test(d)) resolve(d); }));

/** fn(session, errors) on a session whose workers are the real worker.js in this thread; no error may come. */
function inThread(fn, options = {}) {
  return withWorkerClass(InThreadWorker, async () => {
    const s = new Session(options);
    const errors = [];
    s.on('error', (e) => errors.push(e.message));
    await fn(s, errors);
    assert.deepEqual(errors, []);
    s.dispose();
  });
}

describe('session with the real worker in this thread', () => {
  it('builds, steps and races through protocol.js; racers get their own rates', () => inThread(async (s, errors) => {
    const ready = until(s, 'ready');
    s.start(parseState('?data=circle&layers=8_tanh&samples=100').state);
    await ready;
    const stepped = until(s, 'step', ({ run }) => run.last.step === 1);
    s.step();
    const { run } = await stepped;
    assert.deepEqual(run.curves.x, [0, 1]);
    assert.ok(Number.isFinite(run.curves.trainLoss[1]));
    assert.deepEqual(errors, []);

    const raced = until(s, 'race');
    s.start(parseState('?lesson=saddle&racers=sgd~adam@0.02&raceSteps=50').state);
    const { race } = await raced;
    assert.deepEqual(race.paths.map((p) => [p.name, p.learningRate]), [['sgd', s.state.raceLr], ['adam', 0.02]]);
    const lab = await loadGradlab();
    const direct = lab.optimize({ surface: 'saddle', start: race.start, steps: 50, noise: s.state.raceNoise, seed: s.state.seed, optimizer: { name: 'adam', learningRate: 0.02 } });
    assert.deepEqual(Array.from(race.paths[1].loss), Array.from(direct.loss), 'adam ran at its own rate of 0.02');
    const shared = lab.optimize({ surface: 'saddle', start: race.start, steps: 50, noise: s.state.raceNoise, seed: s.state.seed, optimizer: { name: 'adam', learningRate: s.state.raceLr } });
    assert.notDeepEqual(Array.from(race.paths[1].loss), Array.from(shared.loss), 'and not at the shared rate');
  }));

  it('shows layer reports that are layerReports of the same network, as takeSnapshot and gradlab lesson take them', () => inThread(async (s) => {
    const ready = until(s, 'ready');
    const state = parseState('?data=circle&layers=8_tanh,6_relu_bn&samples=100&batch=16&seed=3').state;
    s.start(state);
    await ready;
    const stepped = until(s, 'step', ({ run }) => run.last.step === 3);
    for (let k = 0; k < 3; ++k) s.step();
    const { run } = await stepped;
    const lab = await loadGradlab();
    const { runConfig } = await import('../../web/app/config.js');
    const c = runConfig(state), data = lab.dataset(c.dataset.name, c.dataset.options);
    const net = lab.network(c.network).setOptimizer(c.optimizer);
    for (let k = 0; k < 3; ++k) net.train(data, { steps: 1, batchSize: c.batchSize });
    const reports = layerReports(net, data);
    assert.deepEqual(run.last.layers, reports);
    assert.ok(run.last.layers[1].running.means.length === 6 && run.last.layers[0].hist.weights.counts.length === SNAPSHOT_DEFAULTS.bins);
    assert.deepEqual(takeSnapshot(net, data).layers, reports, 'a record keeps the same reports');
    net.dispose(); data.dispose();
  }));

  it('plays a lesson from stop to stop: the worker pauses exactly at each moment and at the end step', () => withWorkerClass(InThreadWorker, async () => {
    const lesson = lessonNamed('large-init');
    assert.deepEqual(lesson.moments.map((m) => m.step), [0, 100]);
    const s = new Session();
    const seen = [];
    s.on('moment', (d) => seen.push({ ...d, steps: s.runs.map((r) => r.last.step), playing: s.playing }));
    let moment = until(s, 'moment');
    s.start({ ...baseState('large-init'), speed: 3000 }, { play: true });
    await moment;
    assert.deepEqual(seen[0], { step: 0, moment: lesson.moments[0], end: false, steps: [0], playing: false }, 'a moment at step 0 shows before any step');
    moment = until(s, 'moment');
    s.play();
    await moment;
    assert.deepEqual(seen[1], { step: 100, moment: lesson.moments[1], end: false, steps: [100], playing: false });
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(s.runs[0].last.step, 100, 'the worker stays at the moment\'s step');
    assert.equal(s.runs[0].curves.x.at(-1), 100);
    moment = until(s, 'moment');
    s.play();
    await moment;
    assert.deepEqual(seen[2], { step: lesson.steps, moment: null, end: true, steps: [lesson.steps], playing: false });
    const stepped = until(s, 'step', ({ run }) => run.last.step > lesson.steps);
    s.play();   // past the end: on and on
    await stepped;
    s.pause();
    assert.equal(seen.length, 3);
    s.dispose();
  }));
});

describe('protocol.js', () => {
  it('builds every command the worker accepts and refuses what it does not know', () => {
    const race = protocol.race({ id: 1, surface: 'bowl', x: [0, 1], y: [0, 1], resolution: 10, start: [0, 0], racers: [{ name: 'sgd', learningRate: null }], learningRate: 0.1, steps: 10, noise: 0, seed: 1 });
    for (const msg of [protocol.build({}), protocol.play(), protocol.pause(), protocol.step(), protocol.speed(3), protocol.example(2), protocol.unit(0, 1), protocol.scrub(40), race,
      protocol.file('run', '?seed=2', []), protocol.file('pytorch'), protocol.open(3, new Uint8Array(4)), protocol.kernel('auto'),
      protocol.kernel({ variant: '4x8-splat', forced: false, adopted: false, settled: true, calibrationMs: 30, count: 5 })]) {
      assert.equal(protocol.checkCommand(msg), '', msg.type);
    }
    assert.deepEqual(protocol.COMMAND_TYPES.sort(), ['build', 'duty', 'example', 'file', 'kernel', 'landscape', 'lrfind', 'open', 'pause', 'ping', 'play', 'race', 'scrub', 'sharpness', 'speed', 'step', 'tune', 'unit', 'watch']);
    assert.match(protocol.checkCommand({ type: 'file', what: 'passwords', settings: '', curves: null }), /field 'what'/);
    assert.match(protocol.checkCommand({ type: 'open', id: 1, bytes: [80, 75] }), /field 'bytes'/);
    assert.match(protocol.checkCommand({ type: 'schedule' }), /unknown command 'schedule'; allowed: build, play/);
    assert.match(protocol.checkCommand({ type: '__proto__' }), /unknown command/);
    assert.match(protocol.checkCommand(null), /must be an object/);
    assert.match(protocol.checkCommand({ type: 'speed', speed: '3' }), /field 'speed'/);
    assert.match(protocol.checkCommand({ type: 'kernel', kernel: 'fastest' }), /field 'kernel'/);
    assert.match(protocol.checkCommand({ ...race, racers: ['sgd'] }), /field 'racers'/);
  });

  it('checks the events a view receives, snapshot shape included', () => {
    assert.equal(protocol.checkEvent(snapshotAt(1, 0)), '');
    assert.equal(protocol.checkEvent(builtFor(1)), '');
    assert.equal(protocol.checkEvent(protocol.error(undefined, 'x')), '');
    assert.match(protocol.checkEvent({ ...snapshotAt(1, 0), status: 'fine' }), /field 'status'/);
    assert.match(protocol.checkEvent({ ...snapshotAt(1, 0), train: { loss: 'a' } }), /field 'train'/);
    assert.match(protocol.checkEvent({ ...snapshotAt(1, 0), outputs: [0, 1] }), /field 'outputs'/);
    assert.match(protocol.checkEvent({ type: 'schedule' }), /unknown event/);
    const usage = { budget: 100, bytes: 10, peakBytes: 20, spacing: 1, length: 1, first: 0, latest: 0 };
    assert.equal(protocol.checkEvent(protocol.recorded(1, 5, snapshotAt(1, 4), [0, 4], usage)), '');
    assert.equal(protocol.checkEvent(protocol.recorded(1, 5, null, [], usage)), '');
    assert.match(protocol.checkEvent(protocol.recorded(1, 5, { step: 4 }, [0, 4], usage)), /field 'snapshot'/);
  });
});

describe('live changes of the optimiser (update → tune)', () => {
  const tuneSent = (w) => w.sent.filter((m) => m.type === 'tune');
  const builtRuns = (s) => {
    for (const r of s.runs) {
      const g = build(r.worker).config.generation;
      r.worker.answer(builtFor(g));
      r.worker.answer(snapshotAt(g, 0));
      r.worker.answer(snapshotAt(g, 10));
    }
  };

  it('sends every run its new spec without a rebuild, keeps playing and the curves, and marks the step', () => withWorkerClass(FakeWorker, () => {
    const s = new Session();
    const seen = events(s, ['marker', 'runs', 'playing']);
    s.start(parseState('?mode=compare&opt=momentum&runs=lr:0.5~momentum:0.5').state);
    const [a, b] = s.runs;
    builtRuns(s);
    s.play();
    assert.equal(s.update({ ...s.state, lr: 0.01 }, { keepPlaying: false }), 'tune');
    assert.equal(s.playing, true, 'still playing');
    assert.equal(seen.filter((e) => e.type === 'runs').length, 1, 'no rebuild');
    for (const r of s.runs) assert.equal(r.worker.types().filter((t) => t === 'build').length, 1);
    assert.ok(!a.worker.types().slice(-1).includes('pause'));
    assert.deepEqual(tuneSent(a.worker), [], 'the run that sets its own rate keeps it');
    const [t] = tuneSent(b.worker);
    assert.equal(t.optimizer.learningRate, 0.01);
    assert.equal(t.optimizer.momentum, 0.5, 'with its own momentum');
    assert.equal(t.optimizer.name, 'momentum');
    assert.deepEqual(b.markers, [], 'no marker before the worker says where it applied');
    const gb = build(b.worker).config.generation;
    b.worker.answer(protocol.tuned(gb, t.id + 1000, 12, new Float32Array(0)));   // not one of ours
    b.worker.answer(protocol.tuned(gb - 1, t.id, 12, new Float32Array(0)));      // an older network's
    assert.deepEqual(b.markers, []);
    b.worker.answer(protocol.tuned(gb, t.id, 12, new Float32Array([0.01])));
    assert.deepEqual(b.markers, [{ step: 12, text: 'lr 0.1 → 0.01' }]);
    assert.deepEqual(Array.from(b.built.scheduleCurve), [Math.fround(0.01)], 'and the schedule preview the worker sent');
    assert.equal(seen.filter((e) => e.type === 'marker').length, 1);
    assert.deepEqual(b.curves.x, [0, 10], 'the curves go on');
    // the other key: the other run
    assert.equal(s.update({ ...s.state, momentum: 0.8 }), 'tune');
    assert.deepEqual(tuneSent(b.worker).length, 1);
    const [ta] = tuneSent(a.worker);
    assert.equal(ta.optimizer.momentum, 0.8);
    assert.equal(ta.optimizer.learningRate, 0.5);
    a.worker.answer(protocol.tuned(build(a.worker).config.generation, ta.id, 14, new Float32Array(0)));
    assert.deepEqual(a.markers, [{ step: 14, text: 'momentum 0.9 → 0.8' }]);
    // anything else builds the runs again, without their markers
    assert.equal(s.update({ ...s.state, layers: '8_tanh' }), 'runs');
    assert.deepEqual(s.runs.map((r) => r.markers), [[], []]);
    s.dispose();
  }));

  it('rebuilds instead while a run has no network yet or the change is not live only', () => withWorkerClass(FakeWorker, () => {
    const s = new Session();
    s.start(baseState(''));
    assert.equal(s.update({ ...s.state, lr: 0.05 }), 'runs', 'not built yet');
    builtRuns(s);
    assert.equal(s.update({ ...s.state, lr: 0.02, layers: '8_tanh' }), 'runs', 'a live key with another');
    builtRuns(s);
    assert.equal(s.update({ ...s.state, wd: 0.01 }), 'tune');
    const [t] = tuneSent(s.runs[0].worker);
    assert.equal(t.optimizer.weightDecay, 0.01);
    assert.equal(s.update({ ...s.state, wd: 0 }), 'tune');
    assert.equal(tuneSent(s.runs[0].worker)[1].optimizer.weightDecay, 0, 'turning weight decay off is sent as 0');
    assert.equal(s.update({ ...s.state, momentum: 0.5 }), 'tune', 'momentum is live');
    assert.equal(tuneSent(s.runs[0].worker).length, 2, 'but sgd does not read it: nothing is sent, nothing marked');
    s.dispose();
  }));

  it('a diverged run stays diverged when a setting changes live; the runs still training take it; Reset uses it', () => withWorkerClass(FakeWorker, () => {
    const s = new Session();
    const seen = events(s, ['held', 'runs', 'marker']);
    s.start(parseState('?mode=compare&opt=sgd&runs=lr:5~layers:4_tanh').state);
    const [fast, plain] = s.runs;
    builtRuns(s);
    fast.worker.answer(snapshotAt(build(fast.worker).config.generation, 11, 'diverged', NaN));
    assert.deepEqual(fast.divergedWith.lr, 5);
    assert.equal(s.update({ ...s.state, lr: 0.05 }), 'tune', 'the run still training takes the shared rate');
    assert.equal(tuneSent(plain.worker).at(-1).optimizer.learningRate, 0.05);
    assert.deepEqual(seen.filter((e) => e.type === 'held'), [], 'the diverged run sets its own rate: the change does not reach it');
    assert.equal(s.update({ ...s.state, l2: 0.001 }), 'tune');
    assert.equal(tuneSent(plain.worker).at(-1).optimizer.l2, 0.001);
    assert.deepEqual(tuneSent(fast.worker), [], 'nothing is sent to the diverged run');
    assert.equal(fast.status, 'diverged');
    assert.equal(seen.filter((e) => e.type === 'runs').length, 1, 'no rebuild: the run still training goes on');
    assert.deepEqual(seen.filter((e) => e.type === 'held').map((e) => e.runs), [[fast]], 'l2 reaches it: held');
    s.dispose();

    const one = new Session();
    const held = events(one, ['held', 'runs']);
    one.start(parseState('?opt=sgd&lr=5').state);
    builtRuns(one);
    const [run] = one.runs, w = run.worker;
    w.answer(snapshotAt(build(w).config.generation, 11, 'diverged', NaN));
    assert.match(runStatus(run, one.state).text, /^Diverged at step 11: .* Lower the learning rate \(now 5\) and press Reset\.$/);
    assert.equal(one.update({ ...one.state, lr: 0.05 }, { keepPlaying: true }), 'held');
    assert.equal(run.status, 'diverged'); assert.equal(one.runs[0], run);
    assert.equal(w.types().filter((t) => t === 'build').length, 1, 'not built again');
    assert.ok(!w.types().includes('tune') && !w.types().includes('play'), 'nothing sent, nothing played');
    assert.equal(held.filter((e) => e.type === 'held').length, 1);
    assert.equal(runStatus(run, one.state).text,
      'Diverged at step 11 at learning rate 5: the loss or a gradient became NaN or infinite. It stays there: press Reset to start again with the new learning rate 0.05.');
    assert.equal(one.update({ ...one.state, l2: 0.001 }), 'held');
    assert.match(runStatus(run, one.state).text, /with the new learning rate 0\.05\.$/);
    assert.equal(one.update({ ...one.state, lr: 5 }), 'held');
    assert.match(runStatus(run, one.state).text, /at learning rate 5: .* start again with the new settings\.$/, 'only l2 differs now');
    one.reset({ keepPlaying: false });
    assert.equal(held.filter((e) => e.type === 'runs').length, 2, 'Reset builds it again');
    assert.equal(build(one.runs[0].worker).config.optimizer.learningRate, 5);
    assert.equal(build(one.runs[0].worker).config.optimizer.l2, 0.001, 'with the settings changed while it was diverged');
    one.dispose();
  }));

  it('with the real worker: a run that diverged and gets a lower rate stays at its step, and Reset trains at that rate', () => inThread(async (s) => {
    const ready = until(s, 'ready');
    s.start(parseState('?data=sine&layers=8_tanh&samples=100&opt=sgd&lr=5&speed=500').state);
    await ready;
    const diverged = until(s, 'diverged');
    s.play();
    const { run, step } = await diverged;
    assert.equal(step, 11, 'as the engine alone (net.train at rate 5 diverges at step 11)');
    assert.equal(s.playing, false);
    const held = until(s, 'held');
    assert.equal(s.update({ ...s.state, lr: 0.05 }, { keepPlaying: true }), 'held');
    await held;
    await new Promise((resolve) => setTimeout(resolve, 50));   // anything the worker might still send
    assert.equal(s.runs[0], run); assert.equal(run.status, 'diverged'); assert.equal(run.last.step, 11);
    assert.equal(s.playing, false, 'not played again');
    assert.deepEqual(run.markers, []);
    assert.match(runStatus(run, s.state).text, /^Diverged at step 11 at learning rate 5: .*press Reset to start again with the new learning rate 0\.05\.$/);
    const rebuilt = until(s, 'ready');
    s.reset({ keepPlaying: false });
    await rebuilt;
    const again = s.runs[0];
    assert.equal(again.status, 'ok'); assert.equal(again.last.step, 0);
    for (let k = 1; k <= 20; ++k) {
      const stepped = until(s, 'step', (d) => d.run.last.step === k);
      s.step();
      await stepped;
    }
    assert.equal(again.status, 'ok', 'at 0.05 it trains past step 11');
    assert.ok(again.curves.lr.every((v) => v === Math.fround(0.05) || v === 0.05), `rates ${again.curves.lr}`);
    assert.ok(again.curves.trainLoss.every(Number.isFinite));
  }));

  it('with the real worker and stepsTogether: presses in one task are one snapshot, the same network as single steps, with every measurement due on the way', () => inThread(async (s) => {
    const state = parseState('?data=circle&layers=8_tanh&samples=100&opt=momentum&lr=0.2&batch=16').state;
    const stepped = async (k) => {
      const ready = until(s, 'ready');
      s.start(state);
      s.watchInstruments({ sharpnessEvery: 2 });   // sent while the build waits for the engine: the build takes it
      await ready;
      const steps = [], sharpness = [];
      s.on('step', ({ run }) => steps.push(run.last.step));
      s.on('instrument', ({ reading }) => { if (reading.type === 'sharpness') sharpness.push(reading.step); });
      const done = until(s, 'step', ({ run }) => run.last.step === 7);
      if (k === 7) for (let i = 0; i < 7; ++i) s.step();   // seven presses in one task
      else for (let i = 0; i < 7; ++i) { const one = until(s, 'step', ({ run }) => run.last.step === i + 1); s.step(); await one; }
      const { run } = await done;
      return { steps: [...steps], sharpness: [...sharpness], loss: run.last.train.loss };   // copies: the listeners stay
    };
    // (without stepsTogether, each of the seven presses would be its own step and snapshot)
    const together = await stepped(7), apart = await stepped(1);
    assert.deepEqual(together.steps, [7], 'one snapshot');
    assert.deepEqual(apart.steps, [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(together.loss, apart.loss, 'the same training');
    assert.deepEqual(together.sharpness, [2, 4, 6], 'sharpness at each multiple of 2 on the way');
    assert.deepEqual(apart.sharpness, [2, 4, 6]);
  }, { stepsTogether: true }));

  it('with the real worker: the marker names the step it applied at, and the run goes on from its weights', () => inThread(async (s, errors) => {
    const ready = until(s, 'ready');
    const state = parseState('?data=circle&layers=8_tanh&samples=100&opt=momentum&lr=0.2&batch=16').state;
    s.start(state);
    await ready;
    for (let k = 1; k <= 6; ++k) {
      const stepped = until(s, 'step', ({ run }) => run.last.step === k);
      s.step();
      await stepped;
    }
    const marked = until(s, 'marker');
    assert.equal(s.update({ ...s.state, lr: 0.02 }), 'tune');
    const { run, marker } = await marked;
    assert.deepEqual(marker, { step: 6, text: 'lr 0.2 → 0.02' });
    assert.ok(run.built.scheduleCurve.every((v) => v === Math.fround(0.02)), 'the schedule preview at the new rate');
    const stepped = until(s, 'step', (d) => d.run.last.step === 7);
    s.step();
    await stepped;
    assert.deepEqual(run.curves.x, [0, 1, 2, 3, 4, 5, 6, 7], 'no reset: the steps go on');
    assert.deepEqual(run.curves.lr.map((v) => Math.fround(v)), [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.02].map(Math.fround));

    // the same run in the engine directly: six steps, tune, one more
    const lab = await loadGradlab();
    const { runConfig } = await import('../../web/app/config.js');
    const direct = (tuned) => {
      const c = runConfig(state), data = lab.dataset(c.dataset.name, c.dataset.options);
      const net = lab.network(c.network).setOptimizer(c.optimizer);
      net.train(data, { steps: 6, batchSize: c.batchSize });
      const next = runConfig({ ...state, lr: 0.02 }).optimizer;
      if (tuned) net.tune(next); else net.setOptimizer(next);
      net.train(data, { steps: 1, batchSize: c.batchSize });
      const loss = net.evaluate(data, 'train').loss;
      net.dispose(); data.dispose();
      return loss;
    };
    assert.equal(run.last.train.loss, direct(true), 'the page\'s run is the tuned network');
    assert.notEqual(run.last.train.loss, direct(false), 'not one whose momentum started afresh');
  }));
});
