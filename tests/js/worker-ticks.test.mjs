// The worker's ticks are bounded by time as well as by steps (web/app/worker.js trainFor): at the top
// speed a costly network takes fewer steps per tick, never a longer tick, so a pause (or a ping, a
// tune) waits at most one short tick; `until` still stops exactly. The worker runs in this thread
// and reports its own ticks (globalThis.gradlabTicks). The cost of a step is made exact with a
// clock the test owns: every step the engine trains moves it on by COST_MS, on top of real time, so
// the bounds below hold on any machine, however loaded. One case then uses a real convolutional
// network with only generous bounds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Network } from '../../web/lib/gradlab.js';
import { runConfig } from '../../web/app/config.js';
import * as protocol from '../../web/app/protocol.js';
import { parseState, runState } from '../../web/app/state.js';
import { SPEED_MAX } from '../../web/app/pace.js';

const TRAIN_MS = 16;   // worker.js: the training time of one tick
const COST_MS = 4;     // what the test's clock adds for every step trained

let send, events = [], extra = 0, onStep = null;
const realNow = performance.now.bind(performance);
const realTrain = Network.prototype.train;
function costly(data, options) {
  const r = realTrain.call(this, data, options);
  extra += COST_MS * r.steps;
  onStep?.(this.step);
  return r;
}

before(async () => {
  performance.now = () => realNow() + extra;
  Network.prototype.train = costly;
  globalThis.onmessage = null;   // worker.js sets it, as a worker's global scope has it
  globalThis.postMessage = (msg) => events.push(msg);
  await import('../../web/app/worker.js');
  const handle = globalThis.onmessage;
  send = (msg) => { assert.equal(protocol.checkCommand(msg), ''); handle({ data: structuredClone(msg) }); };
});
after(() => { performance.now = realNow; Network.prototype.train = realTrain; });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(test, what, ms = 60000) {
  for (const t0 = Date.now(); !test();) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
const snapshots = () => events.filter((m) => m.type === 'snapshot');
let generation = 0;

/** Builds the run of `query` at the top speed and waits for its first snapshot; clears the ticks seen so far. */
async function build(query) {
  events = [];
  onStep = null;
  const config = runConfig(runState(parseState(query).state, []));
  send(protocol.build({ ...config, speed: SPEED_MAX, generation: ++generation, duty: 1, watch: protocol.watch() }));
  await waitFor(() => snapshots().some((s) => s.generation === generation), 'the first snapshot');
  return ticksDone();
}
const ticksDone = () => globalThis.gradlabTicks().at(-1)?.n ?? 0;
const ticksSince = (n) => globalThis.gradlabTicks().filter((t) => t.n > n);

describe('the worker\'s ticks are bounded by time', () => {
  it(`a step of ${COST_MS} ms at ${SPEED_MAX} steps/s: every tick trains about ${TRAIN_MS} ms, the steps owed stay owed`, async () => {
    const seen = await build('?data=circle&layers=8_tanh&samples=100');
    const start = snapshots().at(-1).step;
    send(protocol.play());
    await waitFor(() => ticksDone() >= seen + 40, '40 ticks');
    send(protocol.pause());
    const ticks = ticksSince(seen);
    const most = Math.floor(TRAIN_MS / COST_MS) + 1;   // chunks are sized to fit; only the very first step's cost is unknown
    assert.ok(ticks.every((t) => t.steps >= 1 && t.steps <= most), `steps per tick: ${ticks.map((t) => t.steps)} (at most ${most})`);
    // each of those steps took COST_MS on this clock: the training time of a tick stays within the
    // budget and one step more (plus real time, generously: a loaded machine may stall any call)
    assert.ok(ticks.every((t) => t.trainMs >= t.steps * COST_MS && t.trainMs <= TRAIN_MS + COST_MS + 200), `training ms per tick: ${ticks.map((t) => t.trainMs.toFixed(1))}`);
    // once the cost is known the chunks fill the budget: ticks take the steps that fit, not one each
    // (a step costs a little over COST_MS, so floor(TRAIN_MS / COST_MS) - 1 of them fit)
    const fit = Math.floor(TRAIN_MS / COST_MS) - 1;
    assert.ok(ticks.slice(5).filter((t) => t.steps >= fit).length >= ticks.length / 2, `steps per tick: ${ticks.map((t) => t.steps)}`);
    // the step counter is what was trained, tick by tick (nothing owed was counted as done)
    const last = snapshots().at(-1);
    assert.equal(last.step - start, ticks.reduce((a, t) => a + t.steps, 0));
  });

  it('a pause sent while a tick trains is taken at the end of that tick', async () => {
    const seen = await build('?data=circle&layers=8_tanh&samples=100');
    let pausedAt = null;
    onStep = (step) => {   // from inside the engine's call, as a click would arrive mid-tick
      if (pausedAt == null && step >= 30) { pausedAt = step; queueMicrotask(() => send(protocol.pause())); }
    };
    send(protocol.play());
    await waitFor(() => pausedAt != null, 'step 30');
    await sleep(150);
    const ticks = ticksSince(seen), after = snapshots().at(-1).step;
    assert.ok(after - pausedAt <= Math.floor(TRAIN_MS / COST_MS) + 1, `went on from step ${pausedAt} to ${after}`);
    await sleep(100);
    assert.equal(ticksDone(), seen + ticks.length, 'no tick after the pause');
    assert.equal(snapshots().at(-1).step, after);
  });

  it('until still stops exactly, however the steps fall into chunks and ticks', async () => {
    for (const until of [1, 7, 23, 61]) {
      await build('?data=circle&layers=8_tanh&samples=100');
      send(protocol.play(until));
      await waitFor(() => events.at(-1).type === 'snapshot' && events.at(-1).step === until, `step ${until}`);
      await sleep(50);
      assert.equal(snapshots().at(-1).step, until);
    }
  });

  it('a convolutional network on digit images at the top speed (real cost): ticks stay short', async () => {
    Network.prototype.train = realTrain;   // no added cost here: what bounds the ticks is the network's own
    try {
      const seen = await build('?data=digits&size=16&samples=400&layers=c8_relu,c8_relu,flat&batch=64');
      send(protocol.play());
      await waitFor(() => ticksDone() >= seen + 30, '30 ticks', 120000);
      send(protocol.pause());
      const ticks = ticksSince(seen).slice(3);   // past the first steps, whose cost is measured
      const perStep = ticks.reduce((a, t) => a + t.trainMs, 0) / ticks.reduce((a, t) => a + t.steps, 0);
      const median = ticks.map((t) => t.trainMs).sort((a, b) => a - b)[ticks.length >> 1];
      console.log(`# ${perStep.toFixed(2)} ms a step; training ms per tick (median ${median.toFixed(1)}): ${ticks.map((t) => t.trainMs.toFixed(0)).join(' ')}; steps: ${ticks.map((t) => t.steps).join(' ')}`);
      // the clock owes a quarter second's worth (1250 steps); a tick takes what fits in its time
      assert.ok(ticks.every((t) => t.steps < SPEED_MAX / 4), `steps per tick: ${ticks.map((t) => t.steps)}`);
      // generous: a tick's training within the budget and a few steps more, half the time at least
      assert.ok(median <= TRAIN_MS + 3 * perStep + 30, `median training ms per tick ${median.toFixed(1)} (a step: ${perStep.toFixed(2)} ms)`);
    } finally {
      Network.prototype.train = costly;
    }
  });
});
