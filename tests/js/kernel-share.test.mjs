// One timing of the GEMM micro-kernels per document (web/app/kernel-share.js): of the workers that
// sessions start, the first times the variants and the others take its choice, by a `kernel`
// command if they loaded meanwhile or in their build if they start later. Checked message by message
// with a fake Worker, then with the real worker.js in this thread (the engine switches variant on
// the command and says so in a new ready event). The module's state is the document's: this file
// runs in a process of its own, as every test file does.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import * as protocol from '../../web/app/protocol.js';
import { Session } from '../../web/app/session.js';
import { RETIME_MS } from '../../web/app/kernel-share.js';
import { parseState, runState } from '../../web/app/state.js';
import { runConfig } from '../../web/app/config.js';
import { workerClassInBlock } from './worker-class.mjs';

class FakeWorker {
  static all = [];
  constructor() {
    Object.assign(this, { sent: [], terminated: false, onmessage: null, onerror: null });
    FakeWorker.all.push(this);
  }
  postMessage(msg) {
    assert.equal(protocol.checkCommand(msg), '', `a command the worker refuses: ${JSON.stringify(msg)}`);
    this.sent.push(msg);
  }
  terminate() { this.terminated = true; }
  answer(msg) { this.onmessage({ data: msg }); }
}

const THREE = '?mode=compare&runs=seed:1~seed:2~seed:3';
const buildOf = (w) => w.sent.filter((m) => m.type === 'build').at(-1);
const kernelCommands = (w) => w.sent.filter((m) => m.type === 'kernel');
const variants = ['4x8-loadsplat', '4x8-splat', '8x4-loadsplat', '2x16-loadsplat', '6x8-loadsplat'].map((name) => ({ name }));
const timedReady = (variant, settled = true) => protocol.ready(true, { variant, forced: false, adopted: false, settled, calibrationMs: 30, variants });
const defaultReady = () => protocol.ready(true, { variant: variants[0].name, forced: true, adopted: false, settled: false, calibrationMs: 0, variants });

describe('one timing of the micro-kernels per document', () => {
  workerClassInBlock(FakeWorker);

  it('the first worker times them, the others start on the default and are sent its choice, timed again once if it did not settle; later workers adopt it at load', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const page = new Session();
    const engines = [];
    page.on('engine', ({ kernel }) => engines.push(kernel.variant));
    page.start(parseState(THREE).state);
    const [first, ...others] = page.runs.map((r) => r.worker);
    assert.equal(buildOf(first).config.kernel, 'auto');
    for (const w of others) assert.equal(buildOf(w).config.kernel, 'default');
    // the waiting workers load first (no timing): the page does not show the default they run meanwhile
    for (const w of others) w.answer(defaultReady());
    assert.deepEqual(engines, []);
    assert.ok(others.every((w) => kernelCommands(w).length === 0));
    // the timing at load did not settle (as in a browser): its choice, the default, for now
    first.answer(timedReady('4x8-loadsplat', false));
    assert.deepEqual(engines, ['4x8-loadsplat']);
    for (const w of others) assert.deepEqual(kernelCommands(w).map((m) => m.kernel.variant), ['4x8-loadsplat']);
    assert.deepEqual(kernelCommands(first), []);
    // RETIME_MS later they are timed again, by the same worker (here it has failed meanwhile, so by
    // another), and the settled choice goes to every other worker
    first.onerror({ message: 'it could not start' });
    mock.timers.tick(RETIME_MS - 1);
    assert.ok(others.every((w) => kernelCommands(w).length === 1));
    mock.timers.tick(1);
    const [again, rest] = others;
    assert.deepEqual(kernelCommands(again).map((m) => m.kernel.variant ?? m.kernel), ['4x8-loadsplat', 'auto']);
    assert.deepEqual(kernelCommands(first), [], 'not the failed worker');
    again.answer(timedReady('8x4-loadsplat'));
    assert.deepEqual(engines, ['4x8-loadsplat', '8x4-loadsplat']);
    assert.deepEqual(kernelCommands(rest).map((m) => m.kernel.variant), ['4x8-loadsplat', '8x4-loadsplat']);
    // once only: a settled choice is final
    mock.timers.tick(10 * RETIME_MS);
    assert.equal(kernelCommands(again).length, 2);
    mock.timers.reset();
    // their ready events after switching are shown
    rest.answer(protocol.ready(true, { ...timedReady('8x4-loadsplat').kernel, adopted: true, variants }));
    assert.equal(engines.at(-1), '8x4-loadsplat');
    // a rebuild of the same workers asks nothing (their engines are loaded); the failed run's new
    // worker and a fourth run's adopt the choice at load
    page.update(parseState(`${THREE}~seed:4`).state);
    for (const w of others) assert.equal(buildOf(w).config.kernel, undefined);
    assert.ok(first.terminated);
    for (const i of [0, 3]) assert.equal(buildOf(page.runs[i].worker).config.kernel.variant, '8x4-loadsplat');
    // so does another session of the document (a second embed), and the scalar build is timed on its own
    const embed = new Session();
    embed.start(parseState('').state);
    assert.equal(buildOf(embed.runs[0].worker).config.kernel.variant, '8x4-loadsplat');
    const racing = new Session();   // the optimiser race's worker too
    racing.start(parseState('?mode=race').state);
    assert.equal(racing.raceWorker.sent.find((m) => m.type === 'race').kernel.variant, '8x4-loadsplat');
    racing.dispose();
    const scalar = new Session();
    scalar.start(parseState('?build=scalar').state);
    assert.equal(buildOf(scalar.runs[0].worker).config.scalar, true);
    assert.equal(buildOf(scalar.runs[0].worker).config.kernel, 'auto');
    page.dispose(); embed.dispose(); scalar.dispose();
  });

  it('when the timing worker fails before its choice, a waiting worker is told to time them, and its choice is shared', () => {
    // the scalar build: a kind of its own, whose one timing worker above ended without an answer
    const a = new Session();
    a.start(parseState('?build=scalar&mode=compare&runs=seed:1~seed:2~seed:3').state);
    const [first, second, third] = a.runs.map((r) => r.worker);
    assert.deepEqual([first, second, third].map((w) => buildOf(w).config.kernel), ['auto', 'default', 'default']);
    first.onerror({ message: 'it could not start' });   // crashed while loading
    assert.deepEqual(kernelCommands(second).map((m) => m.kernel), ['auto']);
    assert.deepEqual(kernelCommands(third), []);
    second.answer(protocol.ready(false, { variant: 'reference', forced: false, adopted: false, settled: false, calibrationMs: 0, variants: [{ name: 'reference' }] }));
    assert.deepEqual(kernelCommands(third).map((m) => m.kernel.variant), ['reference']);
    // Reset gives the failed run a new worker, which adopts the choice at load
    a.reset();
    assert.ok(first.terminated);
    assert.equal(buildOf(a.runs[0].worker).config.kernel.variant, 'reference');
    a.dispose();
  });
});

describe("the worker's side (worker.js in this thread)", () => {
  it('starts on the kernel its build names, switches on a kernel command and says so in a new ready event', async () => {
    const events = [];
    globalThis.onmessage = null;
    globalThis.postMessage = (msg) => events.push(msg);
    await import('../../web/app/worker.js');
    const send = (msg) => { assert.equal(protocol.checkCommand(msg), ''); globalThis.onmessage({ data: structuredClone(msg) }); };
    const readies = () => events.filter((m) => m.type === 'ready');
    const until = async (test) => { for (let i = 0; !test(); ++i) { assert.ok(i < 3000, 'the worker answers'); await new Promise((r) => setTimeout(r, 10)); } };
    const config = runConfig(runState(parseState('').state, []));
    // a kernel command that comes while the engine loads is applied once it has loaded
    send(protocol.build({ ...config, generation: 1, duty: 1, watch: protocol.watch(), kernel: 'default' }));
    send(protocol.kernel({ variant: '2x16-loadsplat', forced: false, adopted: false, settled: true, calibrationMs: 28, count: 5 }));
    await until(() => readies().length === 1);
    assert.deepEqual(readies()[0].kernel, { variant: '2x16-loadsplat', forced: false, adopted: true, settled: true, calibrationMs: 28, count: 5 });
    assert.equal(globalThis.gradlabEngine.kernelInfo().variant, '2x16-loadsplat');
    // and one that comes later switches the loaded engine
    send(protocol.kernel({ variant: '6x8-loadsplat', forced: false, adopted: false, settled: true, calibrationMs: 30, count: 5 }));
    await until(() => readies().length === 2);
    assert.equal(readies()[1].kernel.variant, '6x8-loadsplat');
    assert.equal(globalThis.gradlabEngine.kernelInfo().variant, '6x8-loadsplat');
    assert.deepEqual(events.filter((m) => m.type === 'error'), []);
  });
});
