// The command line's saved runs: `gradlab train --save DIR`, `--load DIR` (continues exactly: the
// curve and the training state equal an uninterrupted run's), `gradlab export DIR` (CSV, JSON, zip),
// `--data-csv FILE`, and their refusals with exit codes.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { curvesFromCsv, fromCsv } from '../../web/lib/tables.js';
import { DEBIAN_PYTHON } from '../../scripts/toolchain.mjs';

const BIN = fileURLToPath(new URL('../../bin/gradlab.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gradlab-cli-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const at = (...p) => join(dir, ...p);

function gradlab(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, maxBuffer: 64 << 20 }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

const SETUP = ['--dataset', 'spiral', '--classes', '3', '--layers', '24:relu,12:tanh', '--optimizer', 'rmsprop', '--lr', '0.005', '--momentum', '0.5', '--batch', '20', '--seed', '7'];

describe('gradlab train --save / --load', () => {
  it('continues exactly: the curve and the training state equal an uninterrupted run', async () => {
    const first = await gradlab(['train', ...SETUP, '--steps', '130', '--every', '26', '--save', 'half']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /saved step 130 in half/);
    const rest = await gradlab(['train', '--load', 'half', '--steps', '104', '--every', '26', '--csv', '--save', 'whole']);
    assert.equal(rest.code, 0, rest.stderr);
    const straight = await gradlab(['train', ...SETUP, '--steps', '234', '--every', '26', '--csv', '--save', 'straight']);
    assert.equal(straight.code, 0, straight.stderr);
    assert.equal(rest.stdout, straight.stdout, 'the continued curve is the uninterrupted one, to the last digit');
    assert.equal(curvesFromCsv(rest.stdout).length, 9);
    assert.deepEqual(readFileSync(at('whole', 'state.bin')), readFileSync(at('straight', 'state.bin')));
    assert.deepEqual(readFileSync(at('whole', 'curves.csv'), 'utf8'), readFileSync(at('straight', 'curves.csv'), 'utf8'));
    for (const f of ['weights/layer0.weights.npy', 'weights/layer2.biases.npy', 'optimizer/squareAverage.npy', 'optimizer/momentumBuffer.npy']) {
      assert.deepEqual(readFileSync(at('whole', f)), readFileSync(at('straight', f)), f);
    }
    const m = JSON.parse(readFileSync(at('whole', 'run.json'), 'utf8'));
    assert.equal(m.step, 234);
    assert.equal(m.batchSize, 20);
    const shapes = JSON.parse(execFileSync(DEBIAN_PYTHON, ['-c', `
import json, sys, numpy
print(json.dumps([list(numpy.load(sys.argv[1] + f).shape) for f in ["/weights/layer0.weights.npy", "/weights/layer1.weights.npy", "/weights/layer2.weights.npy"]]))`, at('whole')], { encoding: 'utf8' }));
    assert.deepEqual(shapes, [[2, 24], [24, 12], [12, 3]]);
  });

  it('saves over a saved run but not into a folder of other files', async () => {
    mkdirSync(at('busy'));
    writeFileSync(at('busy', 'notes.txt'), 'mine');
    const r = await gradlab(['train', '--steps', '5', '--save', 'busy']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--save 'busy' is a folder that holds other files and no saved run/);
    assert.equal(readFileSync(at('busy', 'notes.txt'), 'utf8'), 'mine');
    const again = await gradlab(['train', '--layers', '8:relu', '--steps', '5', '--save', 'half']);
    assert.equal(again.code, 0, again.stderr);
    const reloaded = await gradlab(['train', '--load', 'half', '--steps', '1', '--json']);
    assert.equal(JSON.parse(reloaded.stdout).network.layers[0].units, 8);
  });

  it('refuses setup flags with --load, a missing folder, and a run of another version', async () => {
    const clash = await gradlab(['train', '--load', 'straight', '--lr', '0.1', '--batch', '4']);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /--lr, --batch cannot be used with --load: a loaded run keeps its own settings/);
    const missing = await gradlab(['train', '--load', 'nowhere']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /'nowhere' is not a folder holding a saved run/);
    mkdirSync(at('future'));
    writeFileSync(at('future', 'run.json'), JSON.stringify({ format: 'gradlab-run', version: 99 }));
    const future = await gradlab(['train', '--load', 'future']);
    assert.equal(future.code, 1);
    assert.match(future.stderr, /saved in run format version 99; this gradlab reads version 1/);
  });
});

describe('gradlab export', () => {
  it('prints curves and statistics as CSV and JSON, the weights as JSON, and zips the run', async () => {
    const csv = await gradlab(['export', 'straight']);
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stdout, readFileSync(at('straight', 'curves.csv'), 'utf8'));
    const json = await gradlab(['export', 'straight', '--json']);
    assert.deepEqual(JSON.parse(json.stdout), curvesFromCsv(csv.stdout));
    const stats = await gradlab(['export', 'straight', '--what', 'stats', '--json']);
    const statsJson = JSON.parse(readFileSync(at('straight', 'stats.json'), 'utf8'));
    assert.deepEqual(JSON.parse(stats.stdout).map((r) => r.gradients_std), statsJson.layers.map((l) => l.gradients.std));
    assert.deepEqual(fromCsv(readFileSync(at('straight', 'stats.csv'), 'utf8')).map((r) => r.update_ratio), statsJson.layers.map((l) => l.updateRatio));
    const weights = JSON.parse((await gradlab(['export', 'straight', '--what', 'weights', '--json'])).stdout);
    assert.deepEqual(weights.tensors.map((t) => t.shape), [[2, 24], [24], [24, 12], [12], [12, 3], [3]]);
    const zip = await gradlab(['export', 'straight', '--zip', 'run.zip']);
    assert.equal(zip.code, 0, zip.stderr);
    const names = execFileSync(DEBIAN_PYTHON, ['-c', `
import sys, numpy
z = numpy.load(sys.argv[1])
print(z['weights/layer1.weights'].shape, sorted(f for f in z.files if f.startswith('optimizer')))`, at('run.zip')], { encoding: 'utf8' });
    assert.equal(names.trim(), "(24, 12) ['optimizer/momentumBuffer', 'optimizer/squareAverage']");
    const notRun = await gradlab(['export', 'busy']);
    assert.equal(notRun.code, 1);
    assert.match(notRun.stderr, /no run\.json, so it is not a saved gradlab run/);
  });
});

describe('gradlab train --data-csv', () => {
  it('trains on your rows, with class names and a chosen label column', async () => {
    const lines = ['kind,u,v'];
    for (let i = 0; i < 150; ++i) { const u = Math.cos(i * 2.1), v = Math.sin(i * 1.3); lines.push(`${u * v > 0 ? 'same' : 'other'},${u},${v}`); }
    writeFileSync(at('mine.csv'), lines.join('\n'));
    const r = await gradlab(['train', '--data-csv', 'mine.csv', '--label', 'kind', '--layers', '16:relu', '--lr', '0.02', '--steps', '400', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.dataset.name, 'custom');
    assert.equal(out.dataset.trainSize + out.dataset.testSize, 150);
    // the JSON describes the file's rows, not the toy sets' defaults
    assert.equal(out.dataset.classes, 2);
    assert.equal(out.dataset.inputs, 2);
    assert.equal(out.dataset.file, 'mine.csv');
    assert.equal(out.dataset.label, 'kind');
    for (const toy of ['samples', 'noise']) assert.equal(out.dataset[toy], undefined, toy);
    assert.equal(out.network.layers.at(-1).units, 2);
    assert.ok(out.final.train.accuracy > 0.8, `train accuracy ${out.final.train.accuracy}`);
  });

  it('says which row and column are wrong, and refuses flags of the toy sets', async () => {
    writeFileSync(at('bad.csv'), 'a,b,y\n1,2,0\n3,4\n');
    const ragged = await gradlab(['train', '--data-csv', 'bad.csv']);
    assert.equal(ragged.code, 1);
    assert.match(ragged.stderr, /CSV: row 3 has 2 columns; row 1 has 3/);
    const clash = await gradlab(['train', '--data-csv', 'bad.csv', '--dataset', 'moons']);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /--dataset cannot be used with --data-csv/);
    const label = await gradlab(['train', '--label', 'y']);
    assert.equal(label.code, 2);
    assert.match(label.stderr, /--label is for --data-csv only/);
    const unreadable = await gradlab(['train', '--data-csv', 'none.csv']);
    assert.equal(unreadable.code, 2);
    assert.match(unreadable.stderr, /--data-csv 'none.csv' cannot be read \(ENOENT\)/);
  });
});
