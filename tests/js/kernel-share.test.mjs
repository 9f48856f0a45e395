// One timing of the GEMM micro-kernels per document, after load (web/app/kernel-share.js): the
// workers that sessions start load on the default, one of them times the variants a moment after the
// first engine is ready (and once more if that did not settle), and the others take its choice, by a
// `kernel` command if they loaded already or in their build if they start later. Checked message by message
// with a fake Worker, then with the real worker.js in this thread (the engine switches variant on
// the command and says so in a new ready event). The module's state is the document's: this file
// runs in a process of its own, as every test file does.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import * as protocol from '../../web/app/protocol.js';
import { Session } from '../../web/app/session.js';
import { RETIME_MS, TIME_AFTER_MS } from '../../web/app/kernel-share.js';
import { kernelLine } from '../../web/app/labels.js';
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

describe('one timing of the micro-kernels per document, after load', () => {
  workerClassInBlock(FakeWorker);

  it('every worker loads on the default; one times them after load, once more if that did not settle, and all switch; later workers adopt it at load', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const page = new Session();
    const engines = [];
    page.on('engine', ({ kernel }) => engines.push(kernelLine(kernel)));
    page.start(parseState(THREE).state);
    const workers = page.runs.map((r) => r.worker);
    for (const w of workers) assert.equal(buildOf(w).config.kernel, 'default');
    // their engines are ready: the page says the timing is still to come
    for (const w of workers) w.answer(defaultReady());
    assert.match(engines.at(-1), /for now; the 5 variants are timed on this CPU once the page has loaded/);
    mock.timers.tick(TIME_AFTER_MS - 1);
    assert.ok(workers.every((w) => kernelCommands(w).length === 0), 'no timing while the page loads');
    mock.timers.tick(1);
    const [first, ...others] = workers;
    assert.deepEqual(kernelCommands(first).map((m) => m.kernel), ['auto'], 'one worker times them');
    assert.ok(others.every((w) => kernelCommands(w).length === 0));
    // that timing did not settle (as often in a browser): its choice, the default, for now
    first.answer(timedReady('4x8-loadsplat', false));
    assert.match(engines.at(-1), /the default \(the timing was cut short/);
    for (const w of others) assert.deepEqual(kernelCommands(w).map((m) => m.kernel.variant), ['4x8-loadsplat']);
    // RETIME_MS later they are timed again, by the first worker still there (here the first has
    // failed meanwhile, so by the second), and the settled choice goes to every other worker
    first.onerror({ message: 'it could not start' });
    mock.timers.tick(RETIME_MS - 1);
    assert.ok(others.every((w) => kernelCommands(w).length === 1));
    mock.timers.tick(1);
    const [again, rest] = others;
    assert.deepEqual(kernelCommands(again).map((m) => m.kernel.variant ?? m.kernel), ['4x8-loadsplat', 'auto']);
    assert.deepEqual(kernelCommands(first), ['auto'].map((k) => protocol.kernel(k)), 'not the failed worker again');
    again.answer(timedReady('8x4-loadsplat'));
    assert.match(engines.at(-1), /the 8x4-loadsplat micro-kernel, the fastest of 5 timed on this CPU/);
    assert.deepEqual(kernelCommands(rest).map((m) => m.kernel.variant), ['4x8-loadsplat', '8x4-loadsplat']);
    // a settled choice is final
    mock.timers.tick(10 * TIME_AFTER_MS);
    assert.equal(kernelCommands(again).length, 2);
    mock.timers.reset();
    // the others' ready events after switching are shown as they are
    rest.answer(protocol.ready(true, { ...timedReady('8x4-loadsplat').kernel, adopted: true, variants }));
    assert.match(engines.at(-1), /the 8x4-loadsplat micro-kernel, the fastest of 5/);
    // a rebuild of the same workers asks nothing (their engines are loaded); the failed run's new
    // worker and a fourth run's adopt the choice at load
    page.update(parseState(`${THREE}~seed:4`).state);
    for (const w of others) assert.equal(buildOf(w).config.kernel, undefined);
    assert.ok(first.terminated);
    for (const i of [0, 3]) assert.equal(buildOf(page.runs[i].worker).config.kernel.variant, '8x4-loadsplat');
    // so do another session of the document (a second embed) and the optimiser race's worker
    const embed = new Session();
    embed.start(parseState('').state);
    assert.equal(buildOf(embed.runs[0].worker).config.kernel.variant, '8x4-loadsplat');
    const racing = new Session();
    racing.start(parseState('?mode=race').state);
    assert.equal(racing.raceWorker.sent.find((m) => m.type === 'race').kernel.variant, '8x4-loadsplat');
    // the scalar build has one kernel: nothing to time, and nothing is
    const scalar = new Session();
    scalar.start(parseState('?build=scalar').state);
    assert.equal(buildOf(scalar.runs[0].worker).config.kernel, 'default');
    scalar.runs[0].worker.answer(protocol.ready(false, { variant: 'reference', forced: true, adopted: false, settled: false, calibrationMs: 0, variants: [{ name: 'reference' }] }));
    assert.match(kernelLine(scalar.kernel), /plain loops/);
    page.dispose(); embed.dispose(); racing.dispose(); scalar.dispose();
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
    // 'auto': each variant once, a while apart, the variant running unchanged meanwhile; then timed
    send(protocol.kernel('auto'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(readies().length, 2, 'the warm-up comes before the timing');
    assert.equal(globalThis.gradlabEngine.kernelInfo().variant, '6x8-loadsplat');
    await until(() => readies().length === 3);
    const timed = readies()[2].kernel;
    assert.deepEqual([timed.forced, timed.adopted], [false, false]);
    assert.ok(globalThis.gradlabEngine.kernelInfo().variants.every((v) => typeof v.ms === 'number'), 'every variant timed');
    assert.deepEqual(events.filter((m) => m.type === 'error'), []);
  });
});
