// worker.js: owns the engine for one run. The page sends commands (protocol.js); the worker
// trains `speed` steps per second, in ticks of one display frame that each train for at most about
// TRAIN_MS (a large network takes fewer steps per tick, so a command never waits behind a long one),
// stops exactly at the step a `play` command's `until` names, and posts small snapshots (copies,
// transferred) at most every SNAPSHOT_MS, so neither side ever waits for the other.
import { loadGradlab } from '../lib/gradlab.js';
import { RunRecord } from '../lib/record.js';
import * as protocol from './protocol.js';
import { layerReports, probeForward } from '../lib/snapshot.js';
import { SAMPLES } from './stats.js';
import * as instruments from './worker-instruments.js';

// Loaded when first needed: a worker of train or compare mode never races, and most never save or
// open a file. Every worker of a page asks the server for each module it imports (four runs: four
// times), and the race planner brings the page's whole state and lesson tables with it.
let files = null;   // worker-files.js, once a file command has come
const loadFiles = async () => (files ??= await import('./worker-files.js'));
const loadRacePlan = () => import('./race-plan.js');

// The renderer process's first Intl number formatter loads ICU's locale data for the whole process:
// 20-30 ms of the thread that makes it. Made here, off the page's thread, the chart library's own
// formatter costs the page about 0.2 ms: charts.js loads the library once a worker has started.
new Intl.NumberFormat(globalThis.navigator?.language);
postMessage(protocol.started());

const GRID = 48;            // boundary / fit heatmap resolution
const TICK_MS = 16;         // one tick per display frame
const TRAIN_MS = 16;        // training time of one tick: a command (pause, step, tune, ping) waits about this long at most
const TICKS_KEPT = 64;      // recent ticks kept for gradlabTicks()
const SNAPSHOT_MS = 50;
const EXTENT = 1.6;         // the input plane shown: [-EXTENT, EXTENT]^2
const SNAPSHOT_SHARE = 0.25; // at most this share of the worker's time goes to snapshots

let lab, data, net, config, playing = false, timer = 0, lastSnapshot = 0, status = 'ok', lastResult = null;
let loadedScalar = null;
let until = null, budget = 0, lastTick = 0;   // the step to stop at; steps owed by the clock; when the last tick ran
let example = 0, snapshotCost = 0;   // the image whose feature maps are shown; ms the last snapshot took
let record = null;                   // the run's snapshots for time travel (16 MiB, thinned evenly)
let stepCost = null;                 // ms a training step of this network took lately (null: not measured yet)
const ticks = [];                    // the last TICKS_KEPT ticks: { n, steps, trainMs, ms }
let tickCount = 0;

const gridInputs = (inputs, extent = EXTENT) => {
  if (!protocol.hasInputPlane(inputs)) return new Float32Array(0);
  if (inputs === 1) {
    const g = new Float32Array(GRID * 4);
    for (let j = 0; j < g.length; ++j) g[j] = -extent + (2 * extent * (j + 0.5)) / g.length;
    return g;
  }
  const g = new Float32Array(GRID * GRID * 2);
  for (let i = 0; i < GRID; ++i) for (let j = 0; j < GRID; ++j) {
    g[2 * (i * GRID + j)] = -extent + (2 * extent * (j + 0.5)) / GRID;      // x grows to the right
    g[2 * (i * GRID + j) + 1] = extent - (2 * extent * (i + 0.5)) / GRID;   // y grows upwards
  }
  return g;
};

let loading = null, loadingScalar = null;   // the engine being loaded: builds that arrive meanwhile wait for the same one
let kernelNext = null;   // a kernel command that came while the engine loaded: applied once it has

// Before the document's timing (kernel-share.js), each variant runs once, WARM_GAP_MS apart, training
// going on between: the engine's optimising compiler then compiles them one at a time. Made hot all
// at once, three compiler threads and the training workers held both cores, and a page of eight
// embeds had a main-thread task of 63 ms.
const WARM_GAP_MS = 250;
async function warmKernels(engine) {
  const count = engine.kernelInfo().variants.length;
  for (let i = 0; i < count; ++i) {
    engine.warmKernel(i);
    await new Promise((resolve) => setTimeout(resolve, WARM_GAP_MS));
  }
}

/** The engine of this build kind; `kernel`: its loadGradlab option (the session's, kernel-share.js). */
async function ensureLab(scalar, kernel = 'auto') {
  if (lab && loadedScalar === scalar) return;
  if (!loading || loadingScalar !== scalar) {
    loadingScalar = scalar;
    loading = loadGradlab({ ...(scalar ? { simd: false } : {}), kernel }).then((loaded) => {
      if (loadingScalar === scalar) {
        lab = loaded;
        loadedScalar = scalar;
        if (kernelNext) { lab.useKernel(kernelNext); kernelNext = null; }
        postMessage(protocol.ready(lab.simd, lab.kernelInfo()));
      }
      return loaded;
    });
  }
  await loading;
}

// test hook: the engine's own account of its GEMM micro-kernel, read by the browser tests (null
// before the engine has loaded)
globalThis.gradlabEngine = { kernelInfo: () => lab?.kernelInfo() ?? null };
// For diagnostics from outside (bench/soak.mjs reads it over the DevTools protocol): the engine's
// wasm memory and the bytes its allocator holds. Read-only; null before the engine is loaded.
globalThis.gradlabMemory = () => (lab ? lab.memoryStats() : null);
// Read-only too: the worker's last ticks, { n, steps, trainMs, ms } each (the tick's number, the
// steps it trained, the time they took, the whole tick's time with its snapshot), newest last. tests/js/worker-ticks.test.mjs reads it.
globalThis.gradlabTicks = () => ticks.map((t) => ({ ...t }));

let newestBuild = -1;   // the generation of the last build command: an older one still loading the engine is dropped
let watchSince = null;   // a watch command that came after the newest build: it wins over the one the build carries

function build(c) {
  config = c;
  data?.dispose(); net?.dispose(); data = net = null;
  pause();
  stepCost = null;
  status = 'ok';
  lastResult = null;
  if (c.restore != null) {   // a saved run the page opened (an 'open' command loaded worker-files.js)
    if (!files) throw new Error(`restore: no run was opened in this worker (id ${c.restore})`);
    ({ net, data } = files.takeOpened(c.restore));
  }
  else {
    data = c.dataset.name === 'custom' ? lab.dataset(c.dataset.options) : lab.dataset(c.dataset.name, c.dataset.options);
    net = lab.network(c.network);
    net.setOptimizer(c.optimizer);
  }
  config.extent = c.dataset.name === 'custom' ? ownExtent(data) : EXTENT;
  const grid = gridInputs(net.inputs, config.extent);
  config.grid = grid;
  config.gridRows = grid.length / net.inputs;
  const train = data.rows('train'), test = data.rows('test');
  const image = c.image ? { shape: data.shape, samples: Math.min(SAMPLES, test.count) } : null;
  example = Math.min(example, Math.max(0, test.count - 1));
  postMessage(protocol.built({
    generation: c.generation, inputs: net.inputs, classes: data.classes, extent: config.extent, gridSize: GRID,
    layers: net.layers.map((l) => ({ units: l.units ?? l.shape[2], activation: l.activation, type: l.type, shape: l.shape, kernel: l.kernel })),
    // image sets: the test images only (the page shows some of them), not the whole training set
    train: { x: image ? new Float32Array(0) : train.x.slice(), y: train.y.slice() }, test: { x: test.x.slice(), y: test.y.slice() },
    scheduleCurve: schedulePreview(c.optimizer), image,
  }));
  record = new RunRecord();
  instruments.attach(net, data, c.generation, c.batchSize, watchSince ?? c.watch);
  snapshot(true);
}

/** The half-width of the input plane that holds every row of your own data (with a margin). */
function ownExtent(d) {
  let most = 0;
  for (const split of ['train', 'test']) for (const v of d.rows(split).x) most = Math.max(most, Math.abs(v));
  return most > 0 ? most * 1.1 : EXTENT;
}

function schedulePreview(optimizer, steps = 1000) {
  try {
    return lab.schedule({ ...optimizer.schedule, learningRate: optimizer.learningRate }, steps);
  } catch { return new Float32Array(0); }
}

/** Class probabilities (rows x classes) of the first test images. */
function sampleOutputs() {
  const test = data.rows('test'), rows = Math.min(SAMPLES, test.count);
  return net.predict(test.x.slice(0, rows * net.inputs), rows);
}

/**
 * What the conv layers see: the first conv layer's filters, and for test image `example` the image
 * itself and the feature maps of every conv layer (HWC copies).
 */
function convViews() {
  const test = data.rows('test');
  const first = net.layers.findIndex((l) => l.type === 'conv');
  if (first < 0 || !test.count) return null;
  const f = net.filters(first);
  const filters = { weights: f.weights.slice(), kernel: f.kernel, channels: f.channels, count: f.filters, layer: first };
  const input = test.x.slice(example * net.inputs, (example + 1) * net.inputs);
  net.forward(input, 1);
  const maps = [];
  net.layers.forEach((l, i) => {
    if (l.type !== 'conv') return;
    const m = net.featureMaps(i, 0);
    maps.push({ layer: i, shape: m.shape, values: m.values.slice() });
  });
  return { example, label: test.y[example], input, filters, maps };
}

const convBuffers = (v) => (v ? [v.input.buffer, v.filters.weights.buffer, ...v.maps.map((m) => m.values.buffer)] : []);

/** Output of the network over the grid, as per-class probabilities (classes x rows) or values. */
function gridOutputs() {
  if (!config.gridRows) return new Float32Array(0);
  const out = net.predict(config.grid, config.gridRows);
  if (config.regression || net.outputs > 1) return out;
  const probs = new Float32Array(config.gridRows * 2);   // one sigmoid output: p(class 1)
  for (let r = 0; r < config.gridRows; ++r) { probs[2 * r] = 1 - out[r]; probs[2 * r + 1] = out[r]; }
  return probs;
}

const finiteOrNull = (v) => (Number.isFinite(v) ? v : null);

/** The inference pass the statistics are read after (downloads read the same, worker-files.js). */
const probe = () => probeForward(net, data);

function snapshot(detail) {
  const started = performance.now();
  const trainEval = net.evaluate(data, 'train'), testEval = net.evaluate(data, 'test');
  const layers = layerReports(net, data);
  const outputs = config.image ? sampleOutputs() : gridOutputs();
  const conv = config.image ? convViews() : null;
  const weights = detail && !config.image ? net.layers.map((_, i) => net.weights(i).slice()) : [];
  const r = lastResult;
  const message = protocol.snapshot({
    generation: config.generation, step: net.step, status,
    batchLoss: r ? finiteOrNull(r.loss) : null, learningRate: finiteOrNull(net.learningRate),
    train: { loss: finiteOrNull(trainEval.loss), accuracy: finiteOrNull(trainEval.accuracy) },
    test: { loss: finiteOrNull(testEval.loss), accuracy: finiteOrNull(testEval.accuracy) },
    layers, outputs, weights, conv,
  });
  if (status === 'diverged') message.divergedAt = r.step;
  // a copy for the record, before the posted buffers are transferred away
  if (record.wants(message.step)) record.add(message.step, structuredClone(message));
  const running = layers.flatMap((l) => (l.running ? [l.running.means.buffer, l.running.variances.buffer] : []));
  postMessage(message, [outputs.buffer, ...weights.map((w) => w.buffer), ...convBuffers(conv), ...running]);
  lastSnapshot = performance.now();
  snapshotCost = 0.5 * snapshotCost + 0.5 * (lastSnapshot - started);   // smoothed: the first one also warms up
}

/** Snapshots of big networks and data sets take long: space them so they stay a small share of the time. */
const snapshotDue = () => performance.now() - lastSnapshot >= Math.max(SNAPSHOT_MS, snapshotCost / SNAPSHOT_SHARE);

function tick() {
  timer = 0;
  if (!playing) return;
  const started = performance.now();
  // the clock owes speed × elapsed steps; a slow tick (a busy machine) does not pile up more than a quarter second
  budget = Math.min(budget + (config.speed * (started - lastTick)) / 1000, Math.max(1, config.speed / 4));
  lastTick = started;
  const owed = Math.min(Math.floor(budget), until == null ? Infinity : until - net.step, instruments.stepLimit(net.step));
  const steps = owed > 0 ? trainFor(owed, started) : 0;   // what fits in TRAIN_MS; the rest stays owed
  const trained = performance.now();
  if (owed > 0) {
    budget -= steps;
    if (lastResult.status === 'diverged') {
      status = 'diverged';
      playing = false;
      snapshot(true);
      noteTick(steps, started, trained);
      return;
    }
    instruments.afterTraining();
  }
  if (until != null && net.step >= until) {   // the page asked to stop here: a moment of a lesson
    pause();
    snapshot(true);
    noteTick(steps, started, trained);
    return;
  }
  if (steps > 0 && snapshotDue()) snapshot(true);
  // one tick per frame at most, and no more than `duty` of a core, so that several workers leave
  // the page's own thread room to draw
  const busy = noteTick(steps, started, trained);
  timer = setTimeout(tick, Math.max(TICK_MS - busy, busy * (1 / (config.duty ?? 1) - 1)));
}

/**
 * Trains up to `owed` steps, in chunks, until the tick that began at `started` has trained for
 * TRAIN_MS: each chunk is as many steps as the last steps' cost says fit in the time left (one step
 * while the cost is not yet known), so a large network takes fewer steps per tick, not longer ticks.
 * Stops early on divergence; lastResult is the last chunk's. Returns the steps taken.
 */
function trainFor(owed, started) {
  let done = 0;
  while (done < owed) {
    const left = TRAIN_MS - (performance.now() - started);
    if (done > 0 && left < stepCost) break;
    const chunk = Math.min(owed - done, stepCost == null ? 1 : Math.max(1, Math.floor(left / stepCost)));
    const before = net.step, t0 = performance.now();
    lastResult = net.train(data, { steps: chunk, batchSize: config.batchSize });
    const took = performance.now() - t0, taken = net.step - before;
    done += taken;
    if (lastResult.status === 'diverged' || taken === 0) break;
    // smoothed (the first step also warms up), and never 0: a coarse clock may see no time pass
    const cost = Math.max(took / chunk, 1e-4);
    stepCost = stepCost == null ? cost : 0.5 * stepCost + 0.5 * cost;
  }
  return done;
}

/** Keeps the tick that began at `started` and trained until `trained` for gradlabTicks(); returns its length in ms. */
function noteTick(steps, started, trained) {
  const ms = performance.now() - started;
  ticks.push({ n: ++tickCount, steps, trainMs: trained - started, ms });
  if (ticks.length > TICKS_KEPT) ticks.shift();
  return ms;
}

function pause() {
  playing = false;
  if (timer) clearTimeout(timer);
  timer = 0;
}

function unitOutput(layer, unit) {
  const rows = config.gridRows;
  net.forward(config.grid, rows);
  const units = net.layers[layer].units;
  const acts = net.activations(layer);
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; ++r) out[r] = acts[r * units + unit];
  return out;
}

function race(msg, racePaths) {
  const surface = lab.surface(msg.surface, { x: msg.x, y: msg.y, resolution: msg.resolution });
  const paths = racePaths(lab, msg).map(({ name, learningRate, path, loss, fate }) => ({ name, learningRate, path, loss, fate }));
  const transfer = [surface.values.buffer, ...paths.flatMap((p) => [p.path.buffer, p.loss.buffer])];
  postMessage(protocol.raceResult(msg.id, surface, paths), transfer);
}

onmessage = async ({ data: msg }) => {
  try {
    const problem = protocol.checkCommand(msg);
    if (problem) throw new Error(problem);
    switch (msg.type) {
      case 'build': {
        watchSince = null;
        const generation = newestBuild = msg.config.generation;
        await ensureLab(msg.config.scalar, msg.config.kernel);
        // a build that waited for the engine while a newer one arrived must not replace it (nor pause it)
        if (generation === newestBuild) build(msg.config);
        break;
      }
      case 'play':
        if (!net || status === 'diverged') break;
        until = msg.until ?? null;
        if (until != null && net.step >= until) break;
        if (!playing) { playing = true; budget = 1; lastTick = performance.now(); tick(); }
        break;
      case 'pause':
        pause();
        snapshot(true);
        break;
      case 'step': {   // by hand: `count` steps, stopping at each step an instrument measures, then one snapshot
        if (!net || status === 'diverged') break;
        pause();
        for (let left = msg.count; left > 0 && status !== 'diverged';) {
          const before = net.step;
          lastResult = net.train(data, { steps: Math.min(left, instruments.stepLimit(net.step)), batchSize: config.batchSize });
          if (lastResult.status === 'diverged') status = 'diverged'; else instruments.afterTraining();
          if (net.step === before) break;
          left -= net.step - before;
        }
        snapshot(true);
        break;
      }
      case 'speed':
        if (config) config.speed = msg.speed;
        break;
      case 'example': {   // show the feature maps of another test image
        if (!net || !config.image) break;
        example = Math.max(0, Math.min(data.rows('test').count - 1, msg.example | 0));
        const conv = convViews();
        postMessage(protocol.conv(config.generation, conv), convBuffers(conv));
        break;
      }
      case 'unit':
        if (net && config.gridRows) postMessage(protocol.unitOutput(msg.layer, msg.unit, unitOutput(msg.layer, msg.unit)));
        break;
      case 'scrub': {
        if (!record) break;
        const hit = record.nearest(msg.step);
        postMessage(protocol.recorded(config.generation, msg.step, hit?.snapshot ?? null, record.steps(), record.usage()));
        break;
      }
      case 'duty':   // more or fewer workers in the document now: another share of a core
        if (config) config.duty = msg.duty;
        break;
      case 'kernel':   // another worker's engine timed the micro-kernels (or this one is to time them now)
        if (!lab || loading && loadingScalar !== loadedScalar) { kernelNext = msg.kernel; break; }
        if (msg.kernel === 'auto') await warmKernels(lab);
        lab.useKernel(msg.kernel);
        postMessage(protocol.ready(lab.simd, lab.kernelInfo()));
        break;
      case 'ping':   // the session's watchdog: any answer shows this worker is alive
        postMessage(protocol.pong(msg.id));
        break;
      case 'tune': {   // a live change: the same network and optimiser state, new settings from the next step
        if (!net) break;
        net.tune(msg.optimizer);
        config.optimizer = msg.optimizer;
        postMessage(protocol.tuned(config.generation, msg.id, net.step, schedulePreview(msg.optimizer)));
        snapshot(true);
        break;
      }
      case 'race':
        await ensureLab(msg.scalar, msg.kernel);
        race(msg, (await loadRacePlan()).racePaths);
        break;
      case 'file': {   // a download (worker-files.js)
        if (!net) break;
        try {
          const made = await (await loadFiles()).makeFile(lab, { net, data, config, probe }, msg);
          postMessage(made, [made.bytes.buffer]);
        } catch (error) {
          postMessage(protocol.refused(msg.what, String(error?.message ?? error)));
        }
        break;
      }
      case 'open':
        await ensureLab(config?.scalar ?? false);
        postMessage(await (await loadFiles()).openRun(lab, msg.id, msg.bytes));
        break;
      default:
        if (msg.type === 'watch') watchSince = msg;
        if (instruments.INSTRUMENT_COMMANDS.includes(msg.type)) instruments.handle(msg);
    }
  } catch (error) {
    pause();
    postMessage(protocol.error(config?.generation, String(error?.message ?? error), typeof msg?.type === 'string' ? msg.type : undefined));
  }
};
