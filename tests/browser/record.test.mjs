// The run record in the page's worker (web/app/worker.js, protocol.js 'scrub'): after a run plays
// for a while in headless Chromium, scrubbing to a recorded step k gives the very snapshot (histogram
// counts, layer statistics, boundary image, diagram weights) that a second worker with the same
// settings shows when paused at step k after single steps; for image data the filters too.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { launch, openPage, serve } from './browser.mjs';

let browser, server, page;
before(async () => {
  server = await serve();
  browser = await launch();
  page = await openPage(browser, `${server.url}favicon.svg`);   // a document of the server's origin
});
after(async () => { await browser?.close(); await server?.close(); });

/** In the page: plays one worker, scrubs to a recorded step, and replays another worker to that step. */
function scrubAgainstReplay(query, playMs) {
  return page.evaluate(async ({ query, playMs }) => {
    const { runConfig } = await import('/app/config.js');
    const { parseState } = await import('/app/state.js');
    const protocol = await import('/app/protocol.js');
    const config = { ...runConfig(parseState(query).state), generation: 1, duty: 1 };
    const open = () => {
      const w = new Worker('/app/worker.js', { type: 'module' });
      w.events = [];
      w.waiters = [];
      w.onmessage = ({ data }) => { w.events.push(data); w.waiters = w.waiters.filter((f) => !f(data)); };
      w.next = (test) => new Promise((resolve) => { w.waiters.push((e) => test(e) && (resolve(e), true)); });
      return w;
    };
    const played = open();
    let built = played.next((e) => e.type === 'snapshot');
    played.postMessage(protocol.build(config));
    await built;
    played.postMessage(protocol.play());
    await new Promise((r) => setTimeout(r, playMs));
    let answer = played.next((e) => e.type === 'snapshot');
    played.postMessage(protocol.pause());
    const paused = await answer;
    answer = played.next((e) => e.type === 'recorded');
    played.postMessage(protocol.scrub(Math.round(paused.step / 2)));
    const recorded = await answer;
    const replay = open();
    built = replay.next((e) => e.type === 'snapshot');
    replay.postMessage(protocol.build(config));
    await built;
    let last = null;
    for (let s = 0; s < recorded.snapshot.step; ++s) {
      answer = replay.next((e) => e.type === 'snapshot');
      replay.postMessage(protocol.step());
      last = await answer;
    }
    played.terminate(); replay.terminate();
    const problems = [...played.events, ...replay.events].filter((e) => protocol.checkEvent(e) || e.type === 'error').map((e) => protocol.checkEvent(e) || e.message);
    return { recorded, replayed: last, pausedAt: paused.step, problems };
  }, { query, playMs });
}

const plain = (v) => JSON.parse(JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) ? Array.from(x) : x)));

for (const [name, query, views] of [
  ['spiral, batch norm, dropout, adam, minibatches', '?data=spiral&layers=16_relu_bn_d0.2,8_tanh&opt=adam&lr=0.01&batch=16&speed=180',
    (s) => ({ layers: s.layers, outputs: s.outputs, weights: s.weights })],
  ['digits, a small convnet', '?data=digits&samples=200&size=8&layers=c4_relu,pmax,flat&batch=20&speed=120',
    (s) => ({ layers: s.layers, filters: s.conv.filters, outputs: s.outputs })],
]) {
  it(`scrubbing shows the step as a run paused there shows it: ${name}`, async () => {
    const { recorded, replayed, pausedAt, problems } = await scrubAgainstReplay(query, 1500);
    assert.deepEqual(problems, []);
    assert.ok(pausedAt > 20, `played to step ${pausedAt}`);
    assert.ok(recorded.steps.length > 3 && recorded.steps[0] === 0, `recorded steps ${recorded.steps}`);
    assert.ok(recorded.usage.peakBytes <= recorded.usage.budget);
    const k = recorded.snapshot.step;
    assert.ok(k > 0 && recorded.steps.includes(k), `scrubbed to ${k}`);
    assert.equal(replayed.step, k);
    const a = plain(views(recorded.snapshot)), b = plain(views(replayed));
    assert.ok(a.layers.length > 1 && a.layers[0].hist.weights.counts.some((c) => c > 0));
    assert.deepEqual(a, b);
    assert.deepEqual(plain(recorded.snapshot.train), plain(replayed.train));
    assert.deepEqual(plain(recorded.snapshot.test), plain(replayed.test));
  });
}
