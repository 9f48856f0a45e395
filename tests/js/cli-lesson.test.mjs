// `gradlab lesson NAME` for every lesson of the page: run as a child process with --json, each
// lesson's numbers must bear out what its text claims (the same claims tests/browser/lessons.test.mjs
// checks on the page, at the same step counts), and the text and CSV forms must hold the same runs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { LESSONS } from '../../web/app/lessons.js';
import { loadGradlab } from '../../web/lib/gradlab.js';

const BIN = fileURLToPath(new URL('../../bin/gradlab.mjs', import.meta.url));
const LN2 = Math.log(2), LN3 = Math.log(3);

function gradlab(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

const byLabel = (out, text) => out.runs.find((r) => r.label.includes(text));
const hidden = (run) => run.layers.slice(0, -1);
const path = (out, name) => out.race.paths.find((p) => p.name === name);
function medianLoss(run, lo, hi) {
  const v = run.curve.trainLoss.filter((_, i) => run.curve.step[i] >= lo && run.curve.step[i] <= hi).sort((a, b) => a - b);
  assert.ok(v.length >= 3, `records between steps ${lo} and ${hi}`);
  return v[Math.floor(v.length / 2)];
}

/** Per lesson: steps (0 = the race's own) and the claim of its text, on the --json output. */
const CLAIMS = {
  'zero-init': [700, (o) => {
    const zeros = byLabel(o, 'zeros'), xavier = byLabel(o, 'xavier');
    assert.ok(Math.abs(zeros.final.trainLoss - LN2) < 0.02, `zeros stays at ln 2: ${zeros.final.trainLoss}`);
    assert.ok(hidden(zeros).every((l) => l.gradientNorm === 0 && l.activationStd === 0), 'no gradient reaches the hidden weights');
    assert.ok(xavier.final.trainLoss < 0.3, `xavier learns: ${xavier.final.trainLoss}`);
  }],
  'small-init': [700, (o) => {
    const run = o.runs[0], std = hidden(run).map((l) => l.activationStd);
    assert.ok(run.final.trainLoss > LN3 - 0.02, `loss sits at ln 3: ${run.final.trainLoss}`);
    assert.ok(std[2] < std[0] / 50, `activations shrink with depth: ${std}`);
  }],
  'large-init': [500, (o) => {
    const run = o.runs[0];
    assert.ok(run.curve.trainLoss[0] > 3, `the first loss is huge: ${run.curve.trainLoss[0]}`);
    assert.ok(Math.max(...hidden(run).map((l) => l.saturated)) > 0.4, 'more than 40% saturated in some layer');
    assert.ok(run.final.trainLoss < 0.5, `it still fits: ${run.final.trainLoss}`);
  }],
  xavier: [700, (o) => {
    const run = o.runs[0], std = hidden(run).map((l) => l.activationStd);
    assert.ok(run.final.trainLoss < 0.5, `learns: ${run.final.trainLoss}`);
    assert.ok(Math.min(...std) > Math.max(...std) / 4, `std roughly flat over depth: ${std}`);
  }],
  'he-relu': [700, (o) => {
    const [h, x] = [medianLoss(byLabel(o, 'he-normal'), 200, 400), medianLoss(byLabel(o, 'xavier'), 200, 400)];
    assert.ok(h < x - 0.5, `he trains sooner: median loss over steps 200-400 ${h} vs ${x}`);
  }],
  'batch-norm': [700, (o) => {
    assert.ok(o.runs[0].final.trainLoss > LN3 - 0.02, `plain stuck at ln 3: ${o.runs[0].final.trainLoss}`);
    assert.ok(o.runs[1].final.trainLoss < 0.5, `batch norm learns: ${o.runs[1].final.trainLoss}`);
  }],
  saddle: [0, (o) => {
    const sgd = path(o, 'sgd'), momentum = path(o, 'momentum');
    assert.ok(momentum.loss[100] < sgd.loss[100] - 0.5, `momentum leaves the saddle sooner: ${momentum.loss[100]} vs ${sgd.loss[100]}`);
  }],
  ravine: [0, (o) => {
    const sgd = path(o, 'sgd'), momentum = path(o, 'momentum');
    assert.ok(momentum.last < sgd.last / 10, `momentum reaches the bottom sooner: ${momentum.last} vs ${sgd.last}`);
  }],
  adam: [700, (o) => {
    const [a, m, s] = ['adam', 'momentum', 'sgd'].map((n) => byLabel(o, n).final.trainLoss);
    assert.ok(a < m && m < s, `adam < momentum < sgd: ${a} ${m} ${s}`);
  }],
  'lr-decay': [1500, (o) => {
    const constant = byLabel(o, 'constant'), cosine = byLabel(o, 'cosine'), sgdr = byLabel(o, 'sgdr');
    assert.ok(cosine.final.trainLoss < constant.final.trainLoss, `cosine settles lower: ${cosine.final.trainLoss} vs ${constant.final.trainLoss}`);
    const lr = sgdr.curve.learningRate;
    assert.ok(lr.some((v, i) => i > 0 && v > lr[i - 1] * 2), 'SGDR restarts: its rate jumps back up');
    assert.ok(constant.curve.learningRate.every((v) => v === 0.5));
  }],
  'conv-bn': [200, (o) => {
    const [plain, bn] = o.runs;
    assert.ok(Math.abs(plain.final.trainLoss - Math.log(10)) < 0.05, `plain stays at ln 10: ${plain.final.trainLoss}`);
    assert.ok(bn.final.testAccuracy > 0.95, `with spatial batch norm nearly every test image is right: ${bn.final.testAccuracy}`);
  }],
  'l1-l2': [700, (o) => {
    const l1 = byLabel(o, 'l1'), l2 = byLabel(o, 'l2');
    assert.ok(l1.layers[1].nearZero > l2.layers[1].nearZero + 0.3, `L1 makes weights exactly small: ${l1.layers[1].nearZero} vs ${l2.layers[1].nearZero}`);
  }],
  dropout: [700, (o) => {
    const gap = (r) => r.final.testLoss - r.final.trainLoss;
    assert.ok(gap(o.runs[0]) > 0.5, `without dropout it overfits: gap ${gap(o.runs[0])}`);
    assert.ok(gap(o.runs[1]) < gap(o.runs[0]), `dropout narrows the gap: ${gap(o.runs[1])} vs ${gap(o.runs[0])}`);
  }],
  overfitting: [600, (o) => {
    const run = o.runs[0];
    assert.ok(run.final.trainLoss < 0.05, `train loss heads to zero: ${run.final.trainLoss}`);
    assert.ok(run.final.testLoss > 1.5 * run.minTestLoss, `test loss turned and rose: ${run.final.testLoss} vs min ${run.minTestLoss}`);
  }],
};

describe('gradlab lesson', () => {
  it('has a claim for every lesson of the page', () => assert.deepEqual(Object.keys(CLAIMS).sort(), LESSONS.map((l) => l.name).sort()));

  for (const lesson of LESSONS) {
    const [steps, claim] = CLAIMS[lesson.name] ?? [0, () => assert.fail('no claim')];
    it(`${lesson.name} --json bears out its text`, async () => {
      const r = await gradlab(['lesson', lesson.name, '--json', ...(steps ? ['--steps', String(steps)] : [])]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.lesson, lesson.name);
      assert.equal(out.title, lesson.title);
      assert.equal(out.text, lesson.text);
      if (steps) {
        for (const run of out.runs) {
          assert.equal(run.curve.step[0], 0);
          assert.equal(run.curve.step.at(-1), steps);
          assert.ok(run.curve.trainLoss.every((v) => Number.isFinite(v)));
        }
      } else {
        for (const p of out.race.paths) assert.equal(p.loss.length, out.steps + 1);
      }
      claim(out);
    });
  }

  it('prints the curves, the final losses, the layers and the explanation as text; --csv holds the same runs', async () => {
    const [t, j, c] = await Promise.all(['', '--json', '--csv'].map((f) => gradlab(['lesson', 'batch-norm', '--steps', '200', '--every', '50', ...(f ? [f] : [])])));
    assert.equal(t.code, 0, t.stderr);
    const out = JSON.parse(j.stdout);
    assert.match(t.stdout, /^batch-norm: Batch norm rescues a bad initialisation\n2 runs · spiral, 300 samples/);
    for (const run of out.runs) {
      const row = t.stdout.split('\n').find((line) => line.startsWith(`${run.label}  `));
      assert.match(row, /\|[▁▂▃▄▅▆▇█]{40}\|/, 'a text curve per run');
      assert.ok(row.includes(run.final.trainLoss.toFixed(4)) && row.includes(run.final.testLoss.toFixed(4)), row);
    }
    assert.ok(t.stdout.includes("layers of '4×32 tanh BN'"), 'a layer table per run');
    assert.ok(t.stdout.replace(/\s+/g, ' ').includes(out.text), 'the explanation');
    const rows = c.stdout.trim().split('\n');
    assert.equal(rows[0], 'run,step,train_loss,test_loss,train_accuracy,test_accuracy,learning_rate');
    assert.equal(rows.length, 1 + 2 * 5, 'steps 0, 50, 100, 150, 200 for each of two runs');
    const last = rows.at(-1).split(',');
    assert.equal(Number(last[1]), 200);
    assert.equal(Number(last[2]), out.runs[1].final.trainLoss);
  });

  it('--list names every lesson; a missing or unknown name exits 2 with the allowed names', async () => {
    const list = await gradlab(['lesson', '--list']);
    assert.equal(list.code, 0);
    for (const l of LESSONS) assert.match(list.stdout, new RegExp(`^${l.name} +(train|compare|race) +${l.title.replace(/[()]/g, '.')}$`, 'm'));
    for (const args of [['lesson'], ['lesson', 'mnist'], ['lesson', 'adam', '--json', '--csv'], ['lesson', 'adam', '--steps', '0']]) {
      const r = await gradlab(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
    }
    const unknown = await gradlab(['lesson', 'mnist']);
    assert.match(unknown.stderr, /lesson 'mnist' is not known; allowed: zero-init, small-init/);
  });

  it('--racers gives a race lesson other optimisers, each at its own rate or the shared one', async () => {
    const r = await gradlab(['lesson', 'saddle', '--racers', 'sgd~adam@0.02', '--steps', '80', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.race.paths.map((p) => [p.name, p.learningRate]), [['sgd', out.race.learningRate], ['adam', 0.02]]);
    const lab = await loadGradlab();
    for (const p of out.race.paths) {
      const direct = lab.optimize({ surface: 'saddle', start: out.race.start, steps: 80, optimizer: { name: p.name, learningRate: p.learningRate } });
      assert.deepEqual(p.loss, Array.from(direct.loss), `${p.name} follows the engine's path at lr ${p.learningRate}`);
    }
    const text = await gradlab(['lesson', 'saddle', '--racers', 'sgd~adam@0.02', '--steps', '80']);
    assert.match(text.stdout, /^adam \(lr 0\.02\) +\|/m);
    assert.match(text.stdout, /^sgd +\|/m);
    const bad = await gradlab(['lesson', 'saddle', '--racers', 'sgd~adam@fast']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--racers 'sgd~adam@fast' is not allowed; 1 to 6 of sgd, momentum/);
    const notRace = await gradlab(['lesson', 'small-init', '--racers', 'sgd']);
    assert.equal(notRace.code, 2);
    assert.match(notRace.stderr, /--racers is for race lessons only/);
  });
});
