// The CPU rule across sessions (web/app/session.js cpuShare): when workers start or end anywhere in
// the document, the training workers already running get the new share, so the first of several
// embeds does not keep the whole core it had while it was alone. A fake Worker records commands.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as protocol from '../../web/app/protocol.js';
import { Session, cpuShare, workersAlive } from '../../web/app/session.js';
import { baseState } from '../../web/app/state.js';
import { workerClassInBlock } from './worker-class.mjs';

class Fake {
  constructor() { this.sent = []; }
  postMessage(msg) { assert.equal(protocol.checkCommand(msg), ''); this.sent.push(msg); }
  terminate() {}
}
const duty = (w) => w.sent.filter((m) => m.type === 'duty' || m.type === 'build').map((m) => m.duty ?? m.config.duty).at(-1);
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the CPU share follows the number of workers', () => {
  workerClassInBlock(Fake);

  it('eight sessions started one after another all end with the share of eight; disposing gives it back', async () => {
    const base = workersAlive();
    const sessions = [];
    for (let i = 0; i < 8; i++) { const s = new Session(); s.start(baseState('')); sessions.push(s); }
    await settle();
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
});
