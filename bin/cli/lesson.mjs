// lesson.mjs: `gradlab lesson NAME`: runs one of the page's lessons (web/app/lessons.js) without a
// browser and prints what the page would show: the loss curves of its runs (or the optimisers' paths
// of a race), the final losses, per-layer statistics, the lesson's explanation and moments, and
// whether the claims the lesson writes beside its text held at every recorded step. The settings go through the page's own pure modules
// (state.js reads the lesson, config.js turns it into engine specs), and training is the engine's:
// the worker trains `speed` steps per tick, and splitting steps over calls changes no result, so the
// curves here are the ones the page draws.
import { SNAPSHOT_DEFAULTS, SURFACE_VIEWS, layerReports } from '../../web/lib/gradlab.js';
import { runConfig } from '../../web/app/config.js';
import { LESSONS, checkLesson, instrumentView, lessonLayer, lessonView } from '../../web/app/lessons.js';
import { TRAJECTORY, dueNow, measureLandscape, measureSharpness, rangeTest } from '../../web/app/instrument-plan.js';
import { watchFor } from '../../web/app/instrument-readings.js';
import { racePaths, racePlan } from '../../web/app/race-plan.js';
import { fateWords } from '../../web/app/race-fate.js';
import { baseState, describeLayers, isImageData, paramInfo, readValue, runState, runsOf } from '../../web/app/state.js';
import { SAMPLES } from '../../web/app/stats.js';
import { UsageError, exclusive } from './flags.mjs';
import { csv, curveLine, fixed, table } from './format.mjs';
import { PROGRESS_FLAGS, Progress, progressWanted } from './progress.mjs';

const NAMES = LESSONS.map((l) => l.name);

export const usage = 'gradlab lesson NAME [--steps N] [--seed N] [--racers sgd~adam@0.02] [--json | --csv]';
export const positional = { name: 'NAME', choices: NAMES };
export const summary = `Runs a lesson of the page (${NAMES.length} of them; --list names them) headless with the same engine and
settings, and prints its loss curves as text lines, the final train and test losses, per-layer
statistics of every run, the lesson's explanation and moments, and whether each of its claims held at
every recorded step. Race lessons print each optimiser's path.`;
export const notes = `lessons: ${NAMES.join(', ')}`;

export const flags = {
  steps: { type: 'int', min: 1, max: 1000000, help: 'training steps of every run (default the lesson\'s end step)' },
  seed: { type: 'int', min: 0, max: 4294967295, help: 'seed of the data and of every network (default the lesson\'s, 1)' },
  racers: { type: 'string', value: 'LIST', help: 'a race lesson\'s optimisers joined by ~, each name@rate for a rate of its own (as racers= in the page\'s address)' },
  every: { type: 'int', min: 1, max: 1000000, help: 'record the curves every N steps, and at each moment (default steps/50)' },
  width: { type: 'int', min: 10, max: 200, default: 40, help: 'characters of each text curve' },
  list: { type: 'bool', help: 'list the lessons with their titles and stop' },
  json: { type: 'bool', help: 'print one JSON document: settings, curves, final losses, layers, text' },
  csv: { type: 'bool', help: 'print the curves as CSV: run,step,train_loss,test_loss,train_accuracy,test_accuracy,learning_rate' },
  ...PROGRESS_FLAGS,
};

const finite = (v) => (Number.isFinite(v) ? v : null);

/** What the page measures of each layer (web/lib/snapshot.js), as the lesson's claims read it, with the layer's name. */
const layerReport = (net, data) => layerReports(net, data).map((r, i) => ({ layer: i === net.layers.length - 1 ? 'out' : `h${i + 1}`, ...lessonLayer(r) }));

/** The label the network gives each of the test images the page shows (image data sets only). */
function samplePredictions(net, data) {
  const test = data.rows('test'), rows = Math.min(SAMPLES, test.count), k = data.classes;
  const p = net.predict(test.x.slice(0, rows * net.inputs), rows);
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let c = 1; c < k; ++c) if (p[r * k + c] > p[r * k + best]) best = c;
    return best;
  });
}

/**
 * A lesson's instruments for one run, as the page's worker measures them (worker-instruments.js): the
 * readings { sharpness: columns, landscape: { random: [...], trajectory: [...] }, rangeTest } and
 * note(), called at each recorded step, measuring what the watch wants there. null without a watch.
 */
function instrumentRecorder(net, data, watch, batchSize) {
  if (!watch.sharpnessEvery && !watch.landscapeEvery && !watch.lrFind) return null;
  net.recordTrajectory(TRAJECTORY);
  const readings = { sharpness: { step: [], lambdaMax: [], twoOverEta: [] }, landscape: { random: [], trajectory: [] }, rangeTest: null };
  const measured = { sharpness: -1, landscape: -1, rangeTest: false };
  const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : v);
  const note = () => {
    const step = net.step, wanted = dueNow(watch, step, measured);
    if (wanted.sharpness) {
      measured.sharpness = step;
      const m = measureSharpness(net, data);
      readings.sharpness.step.push(step); readings.sharpness.lambdaMax.push(finite(m.lambdaMax)); readings.sharpness.twoOverEta.push(m.twoOverEta);
    }
    if (wanted.landscapes.length) measured.landscape = step;
    for (const directions of wanted.landscapes) {
      const l = measureLandscape(net, data, { directions, span: watch.span ?? 0, resolution: watch.resolution });
      readings.landscape[directions].push({ ...l, alpha: plain(l.alpha), beta: plain(l.beta), values: plain(l.values), path: l.path && { alpha: plain(l.path.alpha), beta: plain(l.path.beta) } });
    }
    if (wanted.rangeTest) {
      measured.rangeTest = true;
      const r = rangeTest(net, data, batchSize);
      readings.rangeTest = { ...r, learningRates: plain(r.learningRates), losses: plain(r.losses), smoothed: plain(r.smoothed) };
    }
  };
  return { readings, note };
}

/**
 * One run of a train or compare lesson, recorded from step 0 at every `every` steps and at each
 * step in `extra` (the lesson's moments): what the page shows at that step, layers included.
 */
function trainRun(lab, state, { overrides, label }, steps, every, extra, progress, offset, watch) {
  const config = runConfig(runState(state, overrides));
  const data = lab.dataset(config.dataset.name, config.dataset.options);
  const net = lab.network(config.network);
  net.setOptimizer(config.optimizer);
  const image = isImageData(state.data);
  const instruments = instrumentRecorder(net, data, watch, config.batchSize);
  const curve = { step: [], trainLoss: [], testLoss: [], trainAccuracy: [], testAccuracy: [], learningRate: [], layers: [], ...(image ? { predictions: [] } : {}) };
  const record = (lr) => {
    const tr = net.evaluate(data, 'train'), te = data.testSize ? net.evaluate(data, 'test') : { loss: null, accuracy: null };
    curve.step.push(net.step); curve.trainLoss.push(finite(tr.loss)); curve.testLoss.push(finite(te.loss));
    curve.trainAccuracy.push(tr.accuracy); curve.testAccuracy.push(te.accuracy); curve.learningRate.push(finite(lr));
    curve.layers.push(layerReport(net, data));
    if (image) curve.predictions.push(samplePredictions(net, data));
    instruments?.note();
  };
  record(lab.schedule({ ...config.optimizer.schedule, learningRate: config.optimizer.learningRate }, 1)[0]);
  const stops = [...new Set([...extra, ...Array.from({ length: Math.ceil(steps / every) }, (_, i) => Math.min(steps, (i + 1) * every))])]
    .filter((s) => s > 0 && s <= steps).sort((a, b) => a - b);
  let status = 'ok', divergedAt = null;
  for (const stop of stops) {
    const r = net.train(data, { steps: stop - net.step, batchSize: config.batchSize });
    if (r.status === 'diverged') { status = 'diverged'; divergedAt = r.step; break; }
    record(r.learningRate);
    progress.update(offset + net.step);
  }
  const tests = curve.testLoss.filter((v) => v !== null);
  const run = {
    label, overrides: Object.fromEntries(overrides), status, divergedAt,
    network: describeLayers(runState(state, overrides).layers), parameters: net.info().parameters, curve,
    final: { trainLoss: curve.trainLoss.at(-1), testLoss: curve.testLoss.at(-1), trainAccuracy: curve.trainAccuracy.at(-1), testAccuracy: curve.testAccuracy.at(-1) },
    minTestLoss: tests.length ? Math.min(...tests) : null,
    layers: curve.layers.at(-1),
    ...(instruments ? { instruments: instruments.readings } : {}),
  };
  net.dispose();
  data.dispose();
  return run;
}

/**
 * The recorded steps of a lesson's output (run() below) as lessonView objects, which the lesson's
 * claims read (web/app/lessons.js): every record of a training run, every step of a race.
 */
export function lessonViews(out) {
  if (out.race) {
    return Array.from({ length: out.race.steps + 1 }, (_, step) => lessonView(step, {
      paths: out.race.paths.filter((p) => p.loss.length > step).map((p) => {
        const xs = p.path.filter((_, i) => i % 2 === 0).slice(0, step + 1), ys = p.path.filter((_, i) => i % 2 === 1).slice(0, step + 1);
        return { name: p.name, loss: p.loss[step], x: xs[step], y: ys[step], losses: p.loss.slice(0, step + 1), xs, ys };
      }),
    }));
  }
  const records = out.runs[0].curve.step;
  return records.map((step, i) => lessonView(step, {
    runs: out.runs.map((r) => {
      const c = r.curve, upto = (col) => col.slice(0, i + 1), tests = upto(c.testLoss).filter((v) => v !== null);
      return {
        label: r.label, trainLoss: c.trainLoss[i], testLoss: c.testLoss[i], trainAccuracy: c.trainAccuracy[i], testAccuracy: c.testAccuracy[i],
        learningRate: c.learningRate[i], firstLoss: c.trainLoss[0], firstTestLoss: c.testLoss[0], minTestLoss: tests.length ? Math.min(...tests) : null,
        layers: c.layers[i], predictions: c.predictions?.[i] ?? null, ...instrumentView(r.instruments, step),
        history: { step: upto(c.step), trainLoss: upto(c.trainLoss), testLoss: upto(c.testLoss), testAccuracy: upto(c.testAccuracy), learningRate: upto(c.learningRate) },
      };
    }),
  }));
}

/** A race lesson: each optimiser's path on the surface, as the page's worker computes it (race-plan.js). */
function raceRun(lab, state, steps) {
  const plan = { ...racePlan(state), steps };
  return {
    surface: plan.surface, start: plan.start, minimum: SURFACE_VIEWS[plan.surface].minimum, learningRate: plan.learningRate, steps,
    paths: racePaths(lab, plan).map((r) => {
      const n = r.loss.length - 1;
      return {
        name: r.name, learningRate: r.learningRate, loss: Array.from(r.loss), first: r.loss[0], last: r.loss[n],
        path: Array.from(r.path), point: [r.path[2 * n], r.path[2 * n + 1]], diverged: r.diverged, steps: r.steps, fate: r.fate, fateWords: fateWords(r.fate, steps),
      };
    }),
  };
}

function wrap(text, width = 96) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) { lines.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

const percent = (v) => (v === null || v === undefined ? '-' : `${(100 * v).toFixed(1)}%`);

export async function run(v, io) {
  if (v.list) {
    io.stdout.write(table(['lesson', 'mode', 'title'], LESSONS.map((l) => [l.name, baseState(l.name).mode, l.title])));
    return 0;
  }
  exclusive(v, ['json', 'csv']);
  const name = v._[0];
  if (name === undefined) throw new UsageError(`which lesson? allowed: ${NAMES.join(', ')}`);
  const lesson = LESSONS.find((l) => l.name === name);
  if (!lesson) throw new UsageError(`lesson '${name}' is not known; allowed: ${NAMES.join(', ')}`);
  const state = { ...baseState(name), ...(v.seed === undefined ? {} : { seed: v.seed }) };
  const race = state.mode === 'race';
  if (v.racers !== undefined) {
    if (!race) throw new UsageError(`--racers is for race lessons only; '${name}' is a ${state.mode} lesson`);
    const read = readValue(paramInfo('racers'), v.racers);
    if (read.error) throw new UsageError(`--racers '${v.racers}' is not allowed; ${read.error}`);
    state.racers = read.value;
  }
  const steps = v.steps ?? lesson.steps;
  const every = Math.min(steps, v.every ?? Math.max(1, Math.ceil(steps / 50)));
  const lab = await io.lab();
  const out = {
    command: 'lesson', lesson: name, title: lesson.title, mode: state.mode, simd: lab.simd, seed: state.seed, steps, text: lesson.text, params: lesson.params,
    stepsPerSecond: lesson.stepsPerSecond, endStep: lesson.steps, moments: lesson.moments.map(({ step, panel, text }) => ({ step, panel, text })),
  };
  if (race) {
    out.race = raceRun(lab, state, steps);
  } else {
    const defs = runsOf(state);
    const progress = new Progress(io.stderr, progressWanted(v, io.stderr), `lesson ${name}`, steps * defs.length);
    out.every = every;
    // the steps the lesson's landscapes are due at are recorded too (its sharpness at the recorded steps that are due)
    const landscapeEvery = lesson.instruments?.landscapeEvery ?? 0;
    const extra = [...lesson.moments.map((m) => m.step), ...(landscapeEvery ? Array.from({ length: Math.floor(steps / landscapeEvery) }, (_, k) => (k + 1) * landscapeEvery) : [])];
    out.runs = defs.map((def, i) => trainRun(lab, state, def, steps, every, extra, progress, i * steps, watchFor(state, i)));
    progress.done();
  }
  // the lesson's claims over the steps recorded (all of its run only when --steps is not shorter);
  // other racers are not the lesson any more, so its claims are not held against them (null)
  const shorter = { ...lesson, steps: Math.min(steps, lesson.steps), claims: lesson.claims.filter((c) => (c.from ?? 0) <= steps), moments: lesson.moments.filter((m) => m.step <= steps) };
  out.failures = v.racers === undefined ? checkLesson(shorter, lessonViews(out)) : null;
  if (v.json) {
    io.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else if (v.csv) {
    if (race) {
      const rows = out.race.paths.flatMap((p) => p.loss.map((loss, step) => ({ optimizer: p.name, step, loss })));
      io.stdout.write(csv(['optimizer', 'step', 'loss'], rows));
    } else {
      const rows = out.runs.flatMap((r) => r.curve.step.map((step, i) => ({
        run: r.label, step, train_loss: r.curve.trainLoss[i], test_loss: r.curve.testLoss[i], train_accuracy: r.curve.trainAccuracy[i],
        test_accuracy: r.curve.testAccuracy[i], learning_rate: r.curve.learningRate[i],
      })));
      io.stdout.write(csv(['run', 'step', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy', 'learning_rate'], rows));
    }
  } else {
    io.stdout.write(text(out, state, v.width));
  }
  return out.runs?.some((r) => r.status === 'diverged') ? 3 : 0;
}

/** A curve as block characters between bars, marked 'log' when drawn on a log scale. */
function curveText(values, width) {
  if (values.length < 2) return '||';
  const { line, log } = curveLine(values, width);
  return `|${line}|${log ? ' log' : ''}`;
}

/** The lesson as the terminal shows it. */
function text(out, state, width) {
  const parts = [`${out.lesson}: ${out.title}`];
  if (out.race) {
    const r = out.race;
    parts.push(`optimiser race on ${r.surface}, from (${r.start.join(', ')}), learning rate ${r.learningRate}, ${r.steps} steps\n`);
    parts.push(table(['optimiser', `loss over steps 0..${r.steps}`, 'first', 'last', 'ends at'],
      r.paths.map((p) => [p.learningRate === r.learningRate ? p.name : `${p.name} (lr ${p.learningRate})`, curveText(p.loss, width), fixed(p.first), fixed(p.last),
        `(${fixed(p.point[0], 3)}, ${fixed(p.point[1], 3)})${p.fateWords ? `, ${p.fateWords}` : ''}`])));
  } else {
    const first = out.runs[0];
    parts.push(`${out.mode === 'compare' ? `${out.runs.length} runs` : 'one run'} · ${state.data}, ${state.samples} samples · ${first.network} · ${state.opt} at learning rate ${state.lr} · ${out.steps} steps\n`);
    parts.push(table(['run', `train loss over steps 0..${out.steps}`, 'first', 'train', 'test', 'accuracy train', 'test'],
      out.runs.map((r) => {
        // labels such as '4×32 tanh' start with a digit; padded here so the table keeps them left-aligned
        return [r.label.padEnd(Math.max(...out.runs.map((x) => x.label.length))), curveText(r.curve.trainLoss.filter((x) => x !== null), width), fixed(r.curve.trainLoss[0]), r.status === 'diverged' ? `diverged at ${r.divergedAt}` : fixed(r.final.trainLoss),
          fixed(r.final.testLoss), percent(r.final.trainAccuracy), percent(r.final.testAccuracy)];
      })));
    for (const r of out.runs) {
      parts.push(`layers of ${out.runs.length > 1 ? `'${r.label}'` : 'the network'} after the last step (activations over ${SNAPSHOT_DEFAULTS.probeRows} training rows):`);
      parts.push(table(['layer', 'act. mean', 'act. std', 'saturated', 'dead', 'grad norm', '|w| < 0.001'],
        r.layers.map((l) => [l.layer, fixed(l.activationMean), fixed(l.activationStd), percent(l.saturated), percent(l.dead), fixed(l.gradientNorm), percent(l.nearZero)])));
    }
  }
  parts.push(`${wrap(out.text)}\n`);
  parts.push(`the page plays it at ${out.stepsPerSecond} steps per second and ends at step ${out.endStep}; its moments:`);
  parts.push(table(['step', 'panel', 'what to notice'], out.moments.map((m) => [String(m.step), m.panel, m.text])));
  parts.push(out.failures === null ? 'its claims are not checked: --racers changed the lesson\'s optimisers\n' : out.failures.length
    ? `NOT borne out at ${out.failures.length} recorded step(s):\n${out.failures.slice(0, 10).map((f) => `  ${f}`).join('\n')}\n`
    : `every claim and moment holds at each recorded step (${out.every ? `every ${out.every} steps` : 'every step'} to step ${out.steps}, seed ${out.seed})\n`);
  return parts.join('\n');
}
