// The CPU rule across sessions (web/app/session.js cpuShare): the cores are divided among the workers
// that train (those of playing sessions). When that count changes anywhere in the document (a session
// plays, pauses, fails, starts or ends), the workers get the new share, so the first of several
// embeds does not keep the whole core it had while it was alone, and paused or off-screen embeds do
// not hold down the share of those that play. A fake Worker records commands.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as protocol from '../../web/app/protocol.js';
import { Session, cpuShare, trainingWorkers } from '../../web/app/session.js';
import { baseState, parseState } from '../../web/app/state.js';
import { PlayGate } from '../../web/app/visibility.js';
import { workerClassInBlock } from './worker-class.mjs';

class Fake {
  constructor() { this.sent = []; }
  postMessage(msg) { assert.equal(protocol.checkCommand(msg), ''); this.sent.push(msg); }
  terminate() {}
}
const duty = (w) => w.sent.filter((m) => m.type === 'duty' || m.type === 'build').map((m) => m.duty ?? m.config.duty).at(-1);
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the CPU share follows the number of training workers', () => {
  workerClassInBlock(Fake);

  it('eight sessions started and played one after another all end with the share of eight; disposing gives it back', async () => {
    const base = trainingWorkers();
    const sessions = [];
    for (let i = 0; i < 8; i++) { const s = new Session(); s.start(baseState('')); s.play(); sessions.push(s); }
    await settle();
    assert.equal(trainingWorkers(), base + 8);
    const workers = sessions.map((s) => s.runs[0].worker);
    assert.ok(workers.every((w) => duty(w) === cpuShare(base + 8)), `shares ${workers.map(duty)}`);
    assert.ok(cpuShare(base + 8, 2) * 8 <= 1.5 + 1e-9, 'together within cores - 0.5');
    // only the changed share is sent: no message when the count did not change
    const count = workers[0].sent.length;
    sessions[1].update({ ...sessions[1].state, speed: 40 });
    await settle();
    assert.equal(workers[0].sent.length, count);
    for (const s of sessions.slice(4)) s.dispose();
    await settle();
    assert.ok(workers.slice(0, 4).every((w) => duty(w) === cpuShare(base + 4)), `after four left: ${workers.slice(0, 4).map(duty)}`);
    for (const s of sessions.slice(0, 4)) s.dispose();
  });

  it('paused sessions do not count: pausing six of eight raises the share of the two that train, playing them again lowers it', async () => {
    const base = trainingWorkers();
    const sessions = [];
    for (let i = 0; i < 8; i++) { const s = new Session(); s.start(baseState('')); s.play(); sessions.push(s); }
    await settle();
    const workers = sessions.map((s) => s.runs[0].worker);
    const eight = cpuShare(base + 8), two = cpuShare(base + 2);
    assert.ok(two > eight, `the rule itself: ${two} for two, ${eight} for eight`);
    assert.ok(workers.every((w) => duty(w) === eight), `shares ${workers.map(duty)}`);
    for (const s of sessions.slice(2)) s.pause();
    await settle();
    assert.equal(trainingWorkers(), base + 2);
    assert.ok(workers.slice(0, 2).every((w) => duty(w) === two), `the two still training: ${workers.slice(0, 2).map(duty)}`);
    for (const s of sessions.slice(2)) s.play();
    // play sends the new share at once, before its own play command, not a task later
    assert.equal(trainingWorkers(), base + 8);
    assert.ok(workers.every((w) => duty(w) === eight), `after playing again: ${workers.map(duty)}`);
    await settle();
    assert.ok(workers.every((w) => duty(w) === eight), `after playing again: ${workers.map(duty)}`);
    for (const s of sessions) s.dispose();
    await settle();
    assert.equal(trainingWorkers(), base);
  });

  it('an embed scrolled away or a hidden tab (PlayGate) stops counting; so does a failed run', async () => {
    const base = trainingWorkers();
    const doc = new EventTarget();
    doc.visibilityState = 'visible';
    let seen = null;
    class Observer { constructor(fn) { seen = fn; } observe() {} }
    const gate = new PlayGate({ element: {}, doc, Observer });
    const a = gate.attach(new Session({ autoplay: true }));
    seen([{ isIntersecting: true }]);   // the element is near the view
    const b = new Session();
    a.start(parseState('?mode=compare&runs=seed:1~seed:2~seed:3').state);
    b.start(baseState(''));
    a.play(); b.play();
    await settle();
    assert.equal(trainingWorkers(), base + 4);
    const only = b.runs[0].worker;
    assert.equal(duty(only), cpuShare(base + 4));
    a.runs[1].worker.onerror({ message: 'RuntimeError: unreachable', preventDefault() {} });   // a crashed run
    await settle();
    assert.equal(trainingWorkers(), base + 3);
    assert.equal(duty(only), cpuShare(base + 3));
    seen([{ isIntersecting: false }]);   // scrolled far away: the gate pauses it
    await settle();
    assert.equal(a.playing, false);
    assert.equal(trainingWorkers(), base + 1);
    assert.equal(duty(only), cpuShare(base + 1));
    seen([{ isIntersecting: true }]);   // back: it plays again, and counts again
    assert.equal(a.playing, true);
    assert.equal(duty(only), cpuShare(base + 3));
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    assert.equal(trainingWorkers(), base + 1);
    a.dispose(); b.dispose();
  });
});
