// The PyTorch export (net.toPyTorch, `gradlab pytorch`): the scripts it writes run with Debian's
// torch (float32, like gradlab) and give gradlab's curve: every step's loss within 1e-3 relative over
// the first 100 steps, in stable settings (a chaotic high rate would drift apart in any two
// implementations and make a poor test).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it, test } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { python, torchSkip } from './torch-python.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(root, 'bin', 'gradlab.mjs');
const TOL = 1e-3;
const STEPS = 100;

const CASES = [
  { name: 'dense with batch norm and dropout', data: ['spiral', { samples: 120, seed: 3 }],
    net: { inputs: 2, layers: [{ units: 24, activation: 'relu', batchNorm: true, dropout: 0.2 }, { units: 16, activation: 'tanh', dropout: 0.1 }, { units: 3, activation: 'softmax' }], seed: 4 },
    optimizer: { name: 'adam', learningRate: 0.01 } },
  { name: 'a convnet on digits, minibatches', data: ['digits', { samples: 150, seed: 3 }],
    net: { inputs: [12, 12, 1], layers: [{ type: 'conv', filters: 6, kernel: 3, activation: 'relu', batchNorm: true }, { type: 'pool', mode: 'max' },
      { type: 'conv', filters: 8, kernel: 3, stride: 2, activation: 'relu' }, { type: 'flatten' }, { units: 10, activation: 'softmax' }], seed: 4 },
    optimizer: { name: 'momentum', learningRate: 0.01 }, batchSize: 32 },
  { name: 'minibatches, classic dropout, L2 and clipping', data: ['moons', { samples: 200, seed: 3 }],
    net: { inputs: 2, layers: [{ units: 16, activation: 'tanh', dropout: 0.3 }, { units: 2, activation: 'softmax' }], dropoutMode: 'classic', seed: 4 },
    optimizer: { name: 'nesterov', learningRate: 0.05, l2: 1e-3, clipNorm: 1 }, batchSize: 16 },
  { name: 'a schedule with warm-up (LambdaLR) and regression', data: ['sine', { samples: 100, seed: 3 }],
    net: { inputs: 1, layers: [{ units: 16, activation: 'tanh' }, { units: 1, activation: 'linear' }], loss: 'mse', seed: 4 },
    optimizer: { name: 'sgd', learningRate: 0.1, schedule: { name: 'sgdr', period: 30, periodMultiplier: 2, warmup: 10 } } },
  { name: 'a schedule torch has a class for (CyclicLR), binary cross-entropy', data: ['circle', { samples: 100, seed: 3 }],
    net: { inputs: 2, layers: [{ units: 12, activation: 'leaky-relu', slope: 0.1 }, { units: 1, activation: 'sigmoid' }], loss: 'binary-cross-entropy', seed: 4 },
    optimizer: { name: 'rmsprop', learningRate: 0.002, schedule: { name: 'cyclic', maxLearningRate: 0.01, stepSize: 20, mode: 'triangular2' } }, batchSize: 20 },
];

function assertCurve(got, want, what) {
  assert.equal(got.length, want.length, `${what}: steps`);
  got.forEach((h, i) => {
    assert.equal(h.step, i + 1);
    const err = Math.abs(h.loss - want[i]) / Math.abs(want[i]);
    assert.ok(err <= TOL, `${what}, step ${i + 1}: PyTorch ${h.loss}, gradlab ${want[i]} (relative ${err.toExponential(2)})`);
  });
}

const skip = torchSkip('PyTorch export test');
if (skip) test('PyTorch export test', { skip }, () => {});

describe('the PyTorch export', { skip }, () => {
  let dir, lab;
  before(async () => {
    lab = await loadGradlab();
    dir = mkdtempSync(join(tmpdir(), 'gradlab-export-'));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  CASES.forEach((c, k) => {
    it(`${c.name}: the script gives gradlab's losses`, () => {
      const data = lab.dataset(...c.data);
      const net = lab.network(c.net);
      net.setOptimizer(c.optimizer);
      const before = net.weights(0).slice();
      const file = join(dir, `case${k}.py`);
      writeFileSync(file, net.toPyTorch(data, { steps: STEPS, batchSize: c.batchSize ?? 0 }));
      assert.deepEqual(net.weights(0), before, 'toPyTorch leaves the network as it was');
      assert.equal(net.step, 0);
      const gradlab = [];
      for (let s = 0; s < STEPS; ++s) gradlab.push(net.train(data, { steps: 1, batchSize: c.batchSize ?? 0 }).loss);
      const out = JSON.parse(python([file, '--json']));
      assertCurve(out.history, gradlab, c.name);
      const evaluation = net.evaluate(data, 'train');
      assert.ok(Math.abs(out.final.train.loss - evaluation.loss) <= TOL * evaluation.loss, `final train loss ${out.final.train.loss} against ${evaluation.loss}`);
      if (evaluation.accuracy !== null) assert.ok(Math.abs(out.final.train.accuracy - evaluation.accuracy) <= 0.02, 'final accuracy');
      net.dispose();
      data.dispose();
    });
  });

  it('gradlab pytorch takes gradlab train\'s flags, and its script prints train --json\'s history', () => {
    const flags = ['--dataset', 'moons', '--layers', '12:tanh,8:relu', '--optimizer', 'adam', '--lr', '0.01', '--steps', '60', '--batch', '32', '--seed', '5'];
    const file = join(dir, 'cli.py');
    execFileSync(process.execPath, [BIN, 'pytorch', ...flags, '--out', file], { stdio: 'pipe' });
    const train = JSON.parse(execFileSync(process.execPath, [BIN, 'train', ...flags, '--json', '--every', '1']));
    const out = JSON.parse(python([file, '--json']));
    assertCurve(out.history, train.history.map((h) => h.loss), 'gradlab pytorch');
    const text = python([file]);
    assert.match(text, /^step {6}1 {2}loss \d\.\d{6}$/m);
    assert.match(text, /^test: loss \d\.\d+ {2}accuracy [\d.]+%$/m);
  });

  it('the script is self-contained: only the standard library and torch, and comments naming gradlab\'s settings', () => {
    const script = readFileSync(join(dir, 'case0.py'), 'utf8');
    const imports = script.split('\n').filter((l) => /^(import|from) /.test(l));
    assert.deepEqual(imports, ['import base64', 'import json', 'import math', 'import sys', 'from collections import OrderedDict', 'import torch', 'from torch import nn']);
    assert.match(script, /# layers\[0\]: dense, 24 units, relu, bias: false, batchNorm before the activation/);
    assert.match(script, /nn\.BatchNorm1d\(24, eps=0\.00001, momentum=0\.1\)/);
    assert.match(script, /# gradlab optimizer 'adam'\n {4}optimizer = torch\.optim\.Adam\(/);
    const conv = readFileSync(join(dir, 'case1.py'), 'utf8');
    assert.match(conv, /nn\.Conv2d\(1, 6, 3, stride=1, bias=False\)/);
    assert.match(conv, /ChannelsFirst\(12, 12, 1\)/);
    assert.match(readFileSync(join(dir, 'case4.py'), 'utf8'), /torch\.optim\.lr_scheduler\.CyclicLR\(/);
    assert.match(readFileSync(join(dir, 'case3.py'), 'utf8'), /LambdaLR\(optimizer, lambda t: gradlab_rate\(t\) \/ 0\.1\)/);
  });

  it('refuses a replay too big to embed, naming the limit', () => {
    const data = lab.dataset('spiral', { samples: 1000 });
    const net = lab.network({ inputs: 2, layers: [{ units: 512, dropout: 0.5 }, { units: 3, activation: 'softmax' }] });
    assert.throws(() => net.toPyTorch(data, { steps: 100000 }), /dropout masks of 100000 steps of 800 rows would take \d+ MiB; the limit is 32 MiB, so use at most \d+ steps/);
    assert.throws(() => net.toPyTorch(data, { steps: 0 }), /steps 0 is not allowed; it must be an integer from 1 to 100000/);
    net.dispose();
    data.dispose();
  });
});
