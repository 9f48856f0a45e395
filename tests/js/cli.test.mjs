// The command line (bin/gradlab.mjs) run as a child process: every command, its text, JSON and CSV
// output, checked against formulas computed here (not by the engine), and its errors and exit codes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { depthExperiment, loadGradlab } from '../../web/lib/gradlab.js';
import { flags as trainFlags } from '../../bin/cli/train.mjs';
import { flags as depthFlags } from '../../bin/cli/depth.mjs';
import { flags as raceFlags } from '../../bin/cli/race.mjs';
import { flags as lessonFlags } from '../../bin/cli/lesson.mjs';

const BIN = fileURLToPath(new URL('../../bin/gradlab.mjs', import.meta.url));

/** Runs the CLI; resolves to { code, stdout, stderr } whatever the exit code. */
function gradlab(args, env = {}) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

function parseCsv(text) {
  const [header, ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v === '' ? null : Number.isNaN(Number(v)) ? v : Number(v)])));
}

/** E[f(z)] for z ~ N(0, s^2), by the trapezoid rule over +-12 s. */
function gaussianMean(f, s = 1) {
  const n = 20000, a = -12 * s, h = (24 * s) / n;
  let sum = 0;
  for (let i = 0; i <= n; ++i) {
    const z = a + i * h;
    sum += (i === 0 || i === n ? 0.5 : 1) * f(z) * Math.exp(-(z * z) / (2 * s * s));
  }
  return (sum * h) / (s * Math.sqrt(2 * Math.PI));
}

describe('gradlab --help', () => {
  it('lists the commands, and every command lists each of its flags', async () => {
    const top = await gradlab(['--help']);
    assert.equal(top.code, 0);
    for (const c of ['train', 'depth', 'race', 'lesson']) assert.match(top.stdout, new RegExp(`^  ${c} `, 'm'));
    for (const [command, table] of [['train', trainFlags], ['depth', depthFlags], ['race', raceFlags], ['lesson', lessonFlags]]) {
      const r = await gradlab([command, '--help']);
      assert.equal(r.code, 0, command);
      assert.match(r.stdout, new RegExp(`^usage: gradlab ${command} `));
      for (const name of [...Object.keys(table), 'help']) assert.match(r.stdout, new RegExp(`^  --${name}\\b`, 'm'), `${command} --${name}`);
    }
  });

  it('without a command prints the help on stderr and exits 2', async () => {
    const r = await gradlab([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /usage: gradlab <command>/);
  });
});

describe('gradlab train', () => {
  it('--json: the loss falls and the spiral is learned; the history has one record per --every steps', async () => {
    const r = await gradlab(['train', '--dataset', 'spiral', '--layers', '100:relu', '--optimizer', 'adam', '--lr', '0.01', '--steps', '2000', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.status, 'ok');
    assert.equal(out.history.length, 20);
    assert.deepEqual(out.history.map((h) => h.step), Array.from({ length: 20 }, (_, i) => 100 * (i + 1)));
    const first = out.history[0].loss, last = out.history.at(-1).loss;
    assert.ok(last < first / 4, `loss fell from ${first} to ${last}`);
    assert.ok(first < Math.log(3) * 1.1, 'after 100 steps the loss is below chance level');
    assert.ok(out.final.train.accuracy >= 0.95, `train accuracy ${out.final.train.accuracy}`);
    assert.ok(out.final.test.accuracy >= 0.85, `test accuracy ${out.final.test.accuracy}`);
    assert.equal(out.dataset.trainSize + out.dataset.testSize, 300);
    assert.equal(out.dataset.testSize, 60);
    // 2 -> 100 -> 3: (2 + 1) 100 + (100 + 1) 3 parameters
    assert.equal(out.network.parameters, 603);
    assert.deepEqual(out.network.layers, [{ units: 100, activation: 'relu' }, { units: 3, activation: 'softmax' }]);
    assert.equal(out.optimizer.learningRate, 0.01);
    for (const h of out.history) assert.ok(Math.abs(h.learningRate - 0.01) < 1e-9);
  });

  it('--csv holds the same numbers as --json, and a seed repeats a run exactly', async () => {
    const args = ['train', '--dataset', 'moons', '--layers', '16:tanh,8:relu', '--optimizer', 'momentum', '--lr', '0.1', '--batch', '32', '--steps', '300', '--every', '50', '--seed', '4'];
    const [a, b, c] = await Promise.all([gradlab([...args, '--json']), gradlab([...args, '--csv']), gradlab([...args, '--csv'])]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout, c.stdout);
    const rows = parseCsv(b.stdout);
    const history = JSON.parse(a.stdout).history;
    assert.equal(rows.length, 6);
    rows.forEach((row, i) => {
      assert.equal(row.step, history[i].step);
      assert.equal(row.loss, history[i].loss);
      assert.equal(row.accuracy, history[i].accuracy);
      assert.equal(row.test_loss, history[i].testLoss);
      assert.equal(row.learning_rate, history[i].learningRate);
    });
    assert.ok(rows.at(-1).test_loss < rows[0].test_loss);
    const other = await gradlab([...args.slice(0, -1), '5', '--csv']);
    assert.notEqual(other.stdout, b.stdout, 'another seed gives another run');
  });

  it('trains the regression set sine with mean squared error and no accuracy', async () => {
    const r = await gradlab(['train', '--dataset', 'sine', '--layers', '32:tanh', '--lr', '0.01', '--steps', '600', '--csv']);
    assert.equal(r.code, 0, r.stderr);
    const rows = parseCsv(r.stdout);
    assert.ok(rows.every((row) => row.accuracy === null && row.test_accuracy === null));
    assert.ok(rows.at(-1).loss < rows[0].loss / 2, `mse ${rows[0].loss} -> ${rows.at(-1).loss}`);
  });

  it('prints readable progress lines and a final table by default', async () => {
    const r = await gradlab(['train', '--steps', '200', '--every', '100']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^spiral: 240 training and 60 test points; network 2-100:relu-3:softmax, 603 parameters; adam/);
    assert.match(r.stdout, /^step 100 {2}loss \d\.\d{4} {2}accuracy [\d.]+%/m);
    assert.match(r.stdout, /^step 200 /m);
    assert.match(r.stdout, /^train +\d\.\d{4} +[\d.]+%$/m);
    assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
  });

  it('--progress draws a bar on stderr and leaves stdout clean JSON', async () => {
    const r = await gradlab(['train', '--steps', '400', '--json', '--progress']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /train \[#+\] 100% 400\/400/);
    assert.ok((r.stderr.match(/\r/g) ?? []).length >= 50, 'the bar is redrawn as training goes');
    assert.equal(JSON.parse(r.stdout).history.at(-1).step, 400);
  });

  it('reports a diverged run with exit code 3 and a hint', async () => {
    const r = await gradlab(['train', '--dataset', 'sine', '--optimizer', 'sgd', '--lr', '100', '--steps', '100', '--json']);
    assert.equal(r.code, 3);
    const out = JSON.parse(r.stdout);
    assert.equal(out.status, 'diverged');
    assert.equal(out.history.at(-1).loss, null);
    assert.match(r.stderr, /stopped being finite at step \d+; try a smaller --lr/);
  });

  it('GRADLAB_SIMD=0 runs the scalar build', async () => {
    const r = await gradlab(['train', '--steps', '20', '--json'], { GRADLAB_SIMD: '0' });
    assert.equal(JSON.parse(r.stdout).simd, false);
  });
});

describe('gradlab depth', () => {
  it('xavier + tanh: layer 1 std matches E[tanh(z)^2] for z ~ N(0, 1), then falls layer by layer', async () => {
    const r = await gradlab(['depth', '--layers', '10', '--units', '500', '--activation', 'tanh', '--init', 'xavier', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.rows.length, 11);
    const input = out.rows[0];
    assert.ok(Math.abs(input.mean) < 0.01 && Math.abs(input.std - 1) < 0.01, `inputs N(0, 1): ${input.mean}, ${input.std}`);
    // the pre-activations of layer 1 are N(0, 500 * 1/500) = N(0, 1)
    const expected = Math.sqrt(gaussianMean((z) => Math.tanh(z) ** 2));
    assert.ok(Math.abs(expected - 0.6278) < 1e-3);
    assert.ok(Math.abs(out.rows[1].std - expected) < 0.01, `layer 1 std ${out.rows[1].std} vs ${expected}`);
    for (let i = 2; i <= 10; ++i) assert.ok(out.rows[i].std < out.rows[i - 1].std, `std falls at layer ${i}`);
    assert.ok(out.rows[10].std > 0.15 && out.rows[10].std < 0.3, `layer 10 std ${out.rows[10].std}`);
    for (const row of out.rows) {
      assert.ok(Math.abs(row.mean) < 0.02, `mean ${row.mean}`);
      assert.equal(row.histogram.length, 20);
      assert.equal(row.histogram.reduce((a, b) => a + b, 0) + row.outside, 1000 * 500);
    }
    assert.deepEqual(out.histogramRange, [-1, 1]);
    assert.ok(out.rows[0].outside > 0.3 * 500000, 'N(0, 1) inputs reach beyond [-1, 1]');
    assert.equal(out.rows[5].outside, 0, 'tanh stays within [-1, 1]');
    // a symmetric distribution gives a nearly symmetric histogram
    const h = out.rows[3].histogram;
    for (let b = 0; b < 10; ++b) assert.ok(Math.abs(h[b] - h[19 - b]) <= 0.05 * Math.max(h[b], h[19 - b]) + 200, `bins ${b}, ${19 - b}`);
  });

  it('normal(0.01) + tanh: activations shrink by about 0.01 sqrt(500) per layer (the linear regime)', async () => {
    const r = await gradlab(['depth', '--layers', '6', '--init', 'normal', '--std', '0.01', '--json']);
    const rows = JSON.parse(r.stdout).rows;
    const ratio = 0.01 * Math.sqrt(500);
    for (let i = 2; i <= 6; ++i) {
      const measured = rows[i].std / rows[i - 1].std;
      assert.ok(Math.abs(measured - ratio) < 0.02, `layer ${i}: ratio ${measured} vs ${ratio}`);
    }
  });

  it('he-normal + relu keeps the second moment of the activations near 1 in every layer', async () => {
    const r = await gradlab(['depth', '--layers', '10', '--activation', 'relu', '--init', 'he-normal', '--json']);
    const rows = JSON.parse(r.stdout).rows;
    for (let i = 1; i <= 10; ++i) {
      const rms = Math.hypot(rows[i].std, rows[i].mean);
      assert.ok(Math.abs(rms - 1) < 0.2, `layer ${i}: rms ${rms}`);
      assert.ok(rows[i].min >= 0);
    }
    // about half of each layer's values are exactly 0: counted as zeros, outside the histogram
    for (let i = 1; i <= 10; ++i) {
      assert.ok(Math.abs(rows[i].zeros / 500000 - 0.5) < 0.03, `layer ${i}: zeros ${rows[i].zeros}`);
      assert.equal(rows[i].histogram.reduce((a, b) => a + b, 0) + rows[i].outside + rows[i].zeros, 500000);
    }
  });

  it('prints a table with a histogram per layer', async () => {
    const r = await gradlab(['depth', '--layers', '3', '--units', '50', '--samples', '200', '--bins', '10']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^200 standard normal inputs through 3 layers of 50 tanh units, init xavier$/);
    assert.match(lines[3], /^layer +mean +std +saturated +histogram$/);
    assert.equal(lines.length, 8);
    for (const line of lines.slice(4)) assert.match(line, /^(input|\s*\d+) +\S+ +\d\.\d{4} +(-|\d+\.\d%) +\|[ ▁▂▃▄▅▆▇█]{10}\|$/);
  });

  it('agrees with the library\'s depthExperiment, which measures the same pass in C', async () => {
    const r = await gradlab(['depth', '--layers', '5', '--units', '200', '--activation', 'tanh', '--init', 'glorot-uniform', '--seed', '3', '--json']);
    const rows = JSON.parse(r.stdout).rows;
    const lab = await loadGradlab();
    const engine = depthExperiment(lab, { layers: 5, units: 200, activation: 'tanh', init: 'glorot-uniform', seed: 3 });
    for (let i = 1; i <= 5; ++i) {
      assert.ok(Math.abs(rows[i].std - engine[i - 1].std) < 1e-4, `layer ${i}: ${rows[i].std} vs ${engine[i - 1].std}`);
      assert.ok(Math.abs(rows[i].mean - engine[i - 1].mean) < 1e-4);
      assert.equal(rows[i].saturated, engine[i - 1].saturated);
    }
  });

  it('--batch-norm: every layer\'s pre-activations are normalised, so each std is E[tanh(z)^2]^1/2 again', async () => {
    const r = await gradlab(['depth', '--layers', '6', '--init', 'normal', '--std', '0.01', '--batch-norm', '--json']);
    const out = JSON.parse(r.stdout);
    assert.equal(out.batchNorm, true);
    const expected = Math.sqrt(gaussianMean((z) => Math.tanh(z) ** 2));
    for (let i = 1; i <= 6; ++i) assert.ok(Math.abs(out.rows[i].std - expected) < 0.01, `layer ${i}: ${out.rows[i].std}`);
  });
});

describe('gradlab race', () => {
  it('--json on the bowl: plain gradient descent follows x0 (1 - lr)^t, y0 (1 - 25 lr)^t exactly', async () => {
    const r = await gradlab(['race', '--surface', 'bowl', '--optimizers', 'sgd:0.03,momentum:0.03,adam:0.05', '--steps', '100', '--start', '1,1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.racers.map((x) => x.optimizer.name), ['sgd', 'momentum', 'adam']);
    const sgd = out.racers[0];
    assert.equal(sgd.x.length, 101);
    for (const t of [0, 1, 10, 50, 100]) {
      assert.ok(Math.abs(sgd.x[t] - 0.97 ** t) < 1e-5, `x at ${t}`);
      assert.ok(Math.abs(sgd.y[t] - 0.25 ** t) < 1e-6, `y at ${t}`);
      const f = 0.5 * (sgd.x[t] ** 2 + 25 * sgd.y[t] ** 2);
      assert.ok(Math.abs(sgd.losses[t] - f) < 1e-5 * Math.max(1, f));
    }
    assert.ok(Math.abs(sgd.distance - Math.hypot(0.97 ** 100, 0.25 ** 100)) < 1e-5);
    // 0.97^t <= 0.01 first at t = ceil(ln 0.01 / ln 0.97) = 152: not within 100 steps
    assert.equal(sgd.reached, null);
    assert.equal(out.racers[1].optimizer.momentum, 0.9, 'the default momentum');
    assert.ok(out.racers[1].distance < sgd.distance, 'momentum gets closer than plain descent');
  });

  it('--csv has one row per point of every path and diverged racers stop early', async () => {
    const r = await gradlab(['race', '--surface', 'rosenbrock', '--optimizers', 'sgd,momentum:0.001,adam:0.02', '--steps', '300', '--csv']);
    assert.equal(r.code, 0, r.stderr);
    const rows = parseCsv(r.stdout);
    const by = (name) => rows.filter((row) => row.optimizer === name);
    assert.ok(by('sgd').length < 301, 'sgd at its default rate 0.01 leaves the finite numbers on rosenbrock');
    assert.equal(by('momentum').length, 301);
    assert.equal(by('adam').length, 301);
    for (const row of rows) {
      const f = (1 - row.x) ** 2 + 100 * (row.y - row.x ** 2) ** 2;
      assert.ok(Math.abs(row.loss - f) <= 1e-4 * Math.max(1, f), `loss at ${row.optimizer} ${row.step}`);
    }
    assert.deepEqual([by('adam')[0].x, by('adam')[0].y], [-1.2000000476837158, 1], 'the default start (-1.2, 1)');
  });

  it('prints a table with final points, distances and a loss curve', async () => {
    const r = await gradlab(['race', '--surface', 'rosenbrock', '--optimizers', 'sgd,momentum:0.001,nesterov:0.001', '--steps', '2000']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^rosenbrock from \(-1\.2, 1\), 2000 steps; minimum \(1, 1\)$/m);
    assert.match(r.stdout, /^sgd +0\.01 .* diverged at \d+ +\|[▁▂▃▄▅▆▇█]{40}\|$/m);
    assert.match(r.stdout, /^momentum +0\.001 +0\.99\d\d +0\.99\d\d .* step \d+ +\|/m);
  });
});

describe('bad arguments', () => {
  const cases = [
    [['fly'], /gradlab: 'fly' is not a command; allowed: train, depth, race/],
    [['train', '--lr', 'fast'], /--lr 'fast' is not allowed; it must be a number from 0 to 1000/],
    [['train', '--lr', '-1'], /--lr '-1' is not allowed; it must be a number from 0 to 1000/],
    [['train', '--steps', '1.5'], /--steps '1.5' is not allowed; it must be a whole number from 1 to 10000000/],
    [['train', '--optimizer', 'adamax'], /--optimizer 'adamax' is not known; allowed: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw/],
    [['train', '--dataset', 'mnist'], /--dataset 'mnist' is not known; allowed: circle, xor, blobs, spiral/],
    [['train', '--epochs', '3'], /--epochs is not a flag of train; allowed: --dataset, .*--help/],
    [['train', '--steps'], /--steps needs a value/],
    [['train', '--json', '--csv'], /--json and --csv cannot be used together/],
    [['train', '--layers', '100:gelu'], /--layers '100:gelu': activation 'gelu' is not known; allowed: linear, relu, leaky-relu, tanh, sigmoid/],
    [['train', '--layers', '0:relu'], /--layers '0:relu': '0:relu' is not allowed; each layer is UNITS\[:ACTIVATION\] with 1..4096 units/],
    [['train', '--classes', '4', '--dataset', 'moons'], /--classes is for the data sets blobs and spiral only/],
    [['train', '--momentum', '0.5', '--optimizer', 'adam'], /--momentum is not used by --optimizer adam/],
    [['train', '--std', '0.1'], /--std is for --init normal only/],
    [['train', '--seed', '1', '--seed', '2'], /--seed was given twice/],
    [['train', 'spiral'], /'spiral' is not a flag; train takes only flags/],
    [['depth', '--units', '5000'], /--units '5000' is not allowed; it must be a whole number from 1 to 4096/],
    [['depth', '--activation', 'softmax'], /--activation 'softmax' is not known; allowed: linear, relu, leaky-relu, tanh, sigmoid$/m],
    [['depth', '--samples', '65536', '--units', '4096'], /--samples x --units = 268435456 is over the limit/],
    [['race', '--surface', 'ackley'], /--surface 'ackley' is not known; allowed: bowl, saddle, rosenbrock, beale, himmelblau/],
    [['race', '--optimizers', 'sgd,lbfgs'], /--optimizers 'sgd,lbfgs': 'lbfgs' is not known; allowed: sgd, /],
    [['race', '--optimizers', 'adam:fast'], /'adam:fast' is not allowed; write NAME or NAME:RATE/],
    [['race', '--optimizers', 'adam,adam'], /'adam' is listed twice/],
    [['race', '--start', '1'], /--start '1' is not allowed; write two numbers/],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(' ')}: exit 2 with a message naming the flag`, async () => {
      const r = await gradlab(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  it('an argument the engine refuses exits 1 with the engine\'s message', async () => {
    // 64 layers of 4096 units pass the flag checks but are over the engine's parameter limit
    const r = await gradlab(['depth', '--layers', '64', '--units', '4096', '--samples', '2']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^gradlab depth: .*parameters; the limit is 33554432/m);
  });
});
