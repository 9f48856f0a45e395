// Faults of a run's worker and of the race's (web/app/faults.js, detected by web/app/session.js),
// without a browser: a fake Worker that can be made to stop answering, crash or report the engine's
// out-of-memory error, and a clock the test moves by hand. The browser side is tests/browser/faults.test.mjs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as protocol from '../../web/app/protocol.js';
import { PING_MS, SILENT_MS, fault, isMemoryError } from '../../web/app/faults.js';
import { runStatus } from '../../web/app/labels.js';
import { raceStatus } from '../../web/app/race-fate.js';
import { Session } from '../../web/app/session.js';
import { parseState } from '../../web/app/state.js';
import { workerClassInBlock } from './worker-class.mjs';

class Fake {
  static all = [];
  constructor() {
    Object.assign(this, { sent: [], terminated: false, alive: true, onmessage: null, onerror: null });
    Fake.all.push(this);
  }
  postMessage(msg) {
    assert.equal(protocol.checkCommand(msg), '', JSON.stringify(msg));
    this.sent.push(msg);
    if (msg.type === 'ping' && this.alive) this.onmessage({ data: protocol.pong(msg.id) });
  }
  terminate() { this.terminated = true; this.alive = false; }
  answer(msg) { this.onmessage({ data: msg }); }
}

const layer = { weights: {}, activations: {}, gradients: {}, saturated: 0, dead: 0, gradientNorm: 1, updateRatio: 1e-3, nearZero: 0, hist: {} };
const snap = (generation, step) => protocol.snapshot({
  generation, step, status: 'ok', batchLoss: 1, learningRate: 0.1, train: { loss: 1, accuracy: 0.5 }, test: { loss: 1, accuracy: 0.5 },
  layers: [layer], outputs: new Float32Array(4), weights: [], conv: null,
});
const built = (generation) => protocol.built({ generation, inputs: 2, classes: 2, extent: 1.6, gridSize: 48, layers: [], train: {}, test: {}, scheduleCurve: new Float32Array(0), image: null });
const generationOf = (w) => w.sent.filter((m) => m.type === 'build').at(-1).config.generation;

/** A compare session of three runs, each built and with a first snapshot, on a clock the test sets. */
function threeRuns() {
  const clock = { now: 0 };
  const s = new Session({ clock: () => clock.now });
  const seen = [];
  for (const type of ['error', 'recovered']) s.on(type, (d) => seen.push({ type, run: d.run?.index, message: d.message }));
  s.start(parseState('?mode=compare&runs=seed:1~seed:2~seed:3').state);
  for (const r of s.runs) { const g = generationOf(r.worker); r.worker.answer(built(g)); r.worker.answer(snap(g, 0)); }
  return { s, clock, seen };
}

describe('faults of a run\'s worker', () => {
  workerClassInBlock(Fake);

  it('a worker that stops answering pings is reported after SILENT_MS, only that run, and Reset gives it a new worker', () => {
    const { s, clock, seen } = threeRuns();
    s.play();
    const dead = s.runs[1].worker;
    for (let t = 0; t <= SILENT_MS + 2 * PING_MS; t += PING_MS) {
      clock.now = t;
      if (t === 2 * PING_MS) dead.terminate();
      s.checkWorkers();
    }
    // pinged once a check while answering, then one ping left unanswered
    assert.ok(dead.sent.filter((m) => m.type === 'ping').length >= 2);
    assert.equal(s.runs[1].fault?.kind, 'silent');
    assert.equal(s.runs[1].status, 'error');
    assert.deepEqual(seen.map((e) => [e.type, e.run]), [['error', 1]]);
    assert.ok(s.runs[0].fault === null && s.runs[2].fault === null && s.runs[0].status === 'ok' && s.runs[2].status === 'ok');
    assert.equal(s.playing, true, 'the other runs go on');
    const line = runStatus(s.runs[1], s.state);
    assert.equal(line.bad, true);
    assert.match(line.text, /stopped answering.*other runs go on.*Reset/);
    const before = s.runs.map((r) => r.worker);
    s.reset({ keepPlaying: true });
    assert.equal(dead.terminated, true);
    assert.notEqual(s.runs[1].worker, dead, 'the faulted run has a new worker');
    assert.equal(s.runs[0].worker, before[0], 'the healthy runs keep theirs');
    assert.equal(s.runs[2].worker, before[2]);
    assert.ok(s.runs.every((r) => r.fault === null && r.status === 'ok'));
    assert.equal(s.runs[1].worker.sent.filter((m) => m.type === 'build').length, 1);
    s.dispose();
  });

  it('a page whose timers were slowed (a hidden tab) does not take its own delay for silence', () => {
    const { s, clock } = threeRuns();
    clock.now = 0;
    s.checkWorkers();           // pinged and answered at once
    clock.now = 5 * SILENT_MS;  // the next check comes very late
    s.checkWorkers();
    assert.ok(s.runs.every((r) => r.fault === null));
    s.dispose();
  });

  it('a worker that answers again after being silent is itself again', () => {
    const { s, clock, seen } = threeRuns();
    const w = s.runs[0].worker;
    w.alive = false;            // busy: a very long call
    clock.now = 0; s.checkWorkers();
    clock.now = SILENT_MS; s.checkWorkers();
    assert.equal(s.runs[0].fault?.kind, 'silent');
    w.alive = true;
    w.answer(snap(generationOf(w), 40));
    assert.equal(s.runs[0].fault, null);
    assert.equal(s.runs[0].status, 'ok');
    assert.equal(s.runs[0].error, null);
    assert.deepEqual(seen.map((e) => e.type), ['error', 'recovered']);
    s.dispose();
  });

  it('a screen reader hears both: the worker stopped answering, and it answers again (announce.js)', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const clock = { now: 0 };
    const s = new Session({ clock: () => clock.now });
    const box = { textContent: '' }, heard = [];
    const page = { state: parseState('?mode=compare&runs=seed:1~seed:2').state, session: s };
    const { createAnnouncer, ANNOUNCE } = await import('../../web/app/views/announce.js');
    createAnnouncer(page, box);
    s.start(page.state);
    for (const r of s.runs) { const g = generationOf(r.worker); r.worker.answer(built(g)); r.worker.answer(snap(g, 0)); }
    const run = s.runs[1], w = run.worker;
    w.alive = false;
    s.checkWorkers();
    clock.now = SILENT_MS; s.checkWorkers();
    t.mock.timers.tick(50); heard.push(box.textContent);
    w.alive = true;
    w.answer(snap(generationOf(w), 40));
    t.mock.timers.tick(50); heard.push(box.textContent);
    assert.deepEqual(heard, [ANNOUNCE.failed(run.label, fault('silent').text), ANNOUNCE.recovered(run.label)]);
    assert.match(heard[1], /^Run seed 2: its worker answers again/);
    s.dispose();
  });

  it('an error the worker did not catch is a crash; the engine out of memory is its own fault', () => {
    const { s, seen } = threeRuns();
    s.runs[0].worker.onerror({ message: 'RuntimeError: unreachable', preventDefault() {} });
    assert.equal(s.runs[0].fault.kind, 'crashed');
    assert.match(s.runs[0].error, /crashed \(RuntimeError: unreachable\).*Press Reset/);
    const w = s.runs[2].worker;
    w.answer(protocol.error(generationOf(w), 'not enough memory for a batch of 200 rows; use a smaller batchSize', 'play'));
    assert.equal(s.runs[2].fault.kind, 'memory');
    assert.match(s.runs[2].error, /^Out of memory: not enough memory for a batch of 200 rows; use a smaller batchSize\. .*1 GiB.*smaller batch/);
    assert.equal(s.runs[1].status, 'ok');
    // an error that is not about memory stays the worker's own message
    const w1 = s.runs[1].worker;
    w1.answer(protocol.error(generationOf(w1), 'layers[0].units 0 is not allowed', 'build'));
    assert.equal(s.runs[1].fault, null);
    assert.equal(s.runs[1].error, 'layers[0].units 0 is not allowed');
    assert.equal(seen.length, 3);
    // a change of settings rebuilds: the runs with a fault get new workers
    const old = s.runs.map((r) => r.worker);
    s.update({ ...s.state, batch: 16 });
    assert.notEqual(s.runs[0].worker, old[0]);
    assert.notEqual(s.runs[2].worker, old[2]);
    assert.equal(s.runs[1].worker, old[1]);
    s.dispose();
  });

  it('the race\'s worker is watched too: silent after SILENT_MS, crashed, out of memory; Reset or new settings give it a new worker', () => {
    const clock = { now: 0 };
    const s = new Session({ clock: () => clock.now });
    const seen = [];
    for (const type of ['error', 'recovered']) s.on(type, (d) => seen.push({ type, run: d.run, fault: d.fault, message: d.message, race: d.race }));
    s.start(parseState('?lesson=saddle&racers=sgd~adam').state);
    const first = s.raceWorker;
    assert.ok(first instanceof Fake);
    s.checkWorkers();
    assert.equal(first.sent.filter((m) => m.type === 'ping').length, 1, 'the race\'s worker is pinged');
    first.terminate();
    // the first unanswered ping goes at PING_MS
    for (clock.now = PING_MS; clock.now < PING_MS + SILENT_MS; clock.now += PING_MS) s.checkWorkers();
    assert.equal(s.race.fault, null, 'not before SILENT_MS');
    clock.now = PING_MS + SILENT_MS;
    s.checkWorkers();
    assert.equal(s.race.fault?.kind, 'silent');
    assert.deepEqual(seen.map((e) => [e.type, e.run, e.fault, e.race === s.race]), [['error', null, 'silent', true]]);
    assert.match(seen[0].message, /^The race's worker stopped answering \(nothing for 10 s\).*Press Reset to compute the race again\.$/);
    const status = raceStatus(s.race, 0, s.state.raceSteps);
    assert.equal(status.bad, true);
    assert.equal(status.text, s.race.fault.text);
    s.checkWorkers();   // a fault is reported once
    assert.equal(seen.length, 1);

    s.reset();
    assert.equal(first.terminated, true);
    const second = s.raceWorker;
    assert.notEqual(second, first, 'Reset gives the race a new worker');
    assert.equal(s.race.fault, null);
    assert.equal(second.sent.filter((m) => m.type === 'race').length, 1, 'and computes the race again');
    // a worker that was only busy and answers later is itself again
    second.alive = false;
    clock.now = 2 * SILENT_MS; s.checkWorkers();
    clock.now = 3 * SILENT_MS; s.checkWorkers();
    assert.equal(s.race.fault?.kind, 'silent');
    second.alive = true;
    second.answer(protocol.pong(1));
    assert.equal(s.race.fault, null);
    assert.deepEqual(seen.slice(1).map((e) => [e.type, e.run]), [['error', null], ['recovered', null]]);
    assert.equal(s.raceWorker, second, 'a race that recovered keeps its worker');

    second.onerror({ message: 'RuntimeError: unreachable', preventDefault() {} });
    assert.equal(s.race.fault.kind, 'crashed');
    assert.match(s.race.fault.text, /^The race's worker crashed \(RuntimeError: unreachable\)\. Press Reset/);
    s.update({ ...s.state, raceSteps: 120 });   // new race settings: a new worker too
    const third = s.raceWorker;
    assert.ok(second.terminated && third !== second && s.race.fault === null);
    third.answer(protocol.error(undefined, 'not enough wasm memory for 8000000 bytes', 'race'));
    assert.equal(s.race.fault.kind, 'memory');
    assert.match(s.race.fault.text, /^Out of memory: not enough wasm memory for 8000000 bytes\. Press Reset/);
    // an error that is not a fault stays the worker's own message, and the race keeps its worker
    s.reset();
    const fourth = s.raceWorker;
    fourth.answer(protocol.error(undefined, 'surface \'hill\' is not known', 'race'));
    assert.equal(s.race.fault, null);
    assert.equal(seen.at(-1).message, 'surface \'hill\' is not known');
    s.reset();
    assert.equal(s.raceWorker, fourth);
    // leaving race mode ends the race's worker; the runs are watched as before
    s.start(parseState('?mode=compare&runs=seed:1~seed:2').state);
    assert.equal(fourth.terminated, true);
    assert.equal(s.raceWorker, null);
    s.dispose();
  });

  it('the messages and the memory rule', () => {
    assert.ok(isMemoryError('not enough memory for a network of 25182210 parameters'));
    assert.ok(isMemoryError('not enough wasm memory for 8000000 bytes'));
    assert.ok(!isMemoryError('batch 0 is not allowed'));
    assert.throws(() => fault('gone'), /unknown fault 'gone'; allowed: crashed, silent, memory/);
    for (const kind of ['crashed', 'silent', 'memory']) {
      const f = fault(kind, 'x');
      assert.equal(f.text, `${f.what} ${f.todo}`);
      assert.match(f.todo, /other runs go on/);
      const r = fault(kind, 'x', { race: true });
      assert.equal(r.text, `${r.what} ${r.todo}`);
      assert.equal(r.todo, 'Press Reset to compute the race again.');
      assert.doesNotMatch(r.text, /run/);
    }
  });
});
