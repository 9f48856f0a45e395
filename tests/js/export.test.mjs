// Exports: .npy files that Debian's NumPy (/usr/bin/python3) loads to the same shapes and values,
// .npy files NumPy writes that npy.js reads, CSV and JSON of curves and layer statistics equal to the
// API's numbers, and SVG charts that an XML parser (Python's) accepts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { decodeNpy, encodeNpy } from '../../web/lib/npy.js';
import { runFiles } from '../../web/lib/runfile.js';
import { lineChartSvg } from '../../web/lib/svg.js';
import { curvesCsv, curvesFromCsv, fromCsv, statsCsv, statsRecords, STAT_COLUMNS, toJson } from '../../web/lib/tables.js';
import { DEBIAN_PYTHON } from '../../scripts/toolchain.mjs';

const lab = await loadGradlab();
const dir = mkdtempSync(join(tmpdir(), 'gradlab-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const python = (code, ...args) => execFileSync(DEBIAN_PYTHON, ['-c', code, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });

describe('.npy', () => {
  it('every tensor of a saved convnet run loads in NumPy to the same shape and values', () => {
    const data = lab.dataset('shapes', { samples: 60, size: 8, seed: 3 });
    const net = lab.network({ inputs: [8, 8, 1], layers: [{ type: 'conv', filters: 3, kernel: 3, batchNorm: true }, { type: 'pool' }, { type: 'flatten' }, { units: 8, dropout: 0.1 }, { units: 4 }], seed: 2 })
      .setOptimizer({ name: 'adam', learningRate: 0.01 });
    net.train(data, { steps: 4, batchSize: 12 });
    const files = runFiles(net, data, { batchSize: 12 });
    const extra = { 'ints.npy': encodeNpy(new Int32Array([-3, 0, 7, 2 ** 31 - 1]), [2, 2]), 'bytes.npy': encodeNpy(new Uint8Array([1, 2, 255]), [3]), 'empty.npy': encodeNpy(new Float32Array(0), [0, 5]) };
    const npy = Object.entries({ ...files, ...extra }).filter(([f]) => f.endsWith('.npy'));
    assert.ok(npy.length >= 12, npy.map(([f]) => f).join(' '));
    const paths = npy.map(([f, bytes], i) => { const p = join(dir, `${i}.npy`); writeFileSync(p, bytes); return p; });
    const out = JSON.parse(python(`
import json, sys, numpy
print(json.dumps([{"shape": list(a.shape), "dtype": a.dtype.str, "values": a.ravel().tolist()} for a in (numpy.load(p) for p in sys.argv[1:])]))`, ...paths));
    npy.forEach(([file, bytes], i) => {
      const { array, shape } = decodeNpy(bytes);
      assert.deepEqual(out[i].shape, shape, file);
      assert.equal(out[i].dtype, { Float32Array: '<f4', Int32Array: '<i4', Uint8Array: '|u1' }[array.constructor.name], file);
      assert.deepEqual(out[i].values, Array.from(array), file);   // float32 values widen to the same doubles
    });
    const w0 = out[npy.findIndex(([f]) => f === 'weights/layer0.weights.npy')];
    assert.deepEqual(w0.shape, [3, 3, 1, 3]);
    assert.deepEqual(w0.values, Array.from(net.weights(0)));
    net.dispose(); data.dispose();
  });

  it('reads what NumPy writes, and refuses what it cannot read', () => {
    const p = join(dir, 'numpy.npy');
    python(`import numpy, sys; numpy.save(sys.argv[1], (numpy.arange(24, dtype='<f4').reshape(2, 3, 4) / 7))`, p);
    const { array, shape } = decodeNpy(new Uint8Array(readFileSync(p)));
    assert.deepEqual(shape, [2, 3, 4]);
    assert.deepEqual(array, Float32Array.from({ length: 24 }, (_, i) => Math.fround(i / 7)));
    const f = join(dir, 'fortran.npy');
    python(`import numpy, sys; numpy.save(sys.argv[1], numpy.asfortranarray(numpy.ones((2, 3), dtype='<f4')))`, f);
    assert.throws(() => decodeNpy(new Uint8Array(readFileSync(f))), /Fortran order/);
    const c = join(dir, 'complex.npy');
    python(`import numpy, sys; numpy.save(sys.argv[1], numpy.ones(3, dtype='<c8'))`, c);
    assert.throws(() => decodeNpy(new Uint8Array(readFileSync(c))), /dtype '<c8'/);
    const whole = new Uint8Array(readFileSync(p));
    assert.throws(() => decodeNpy(whole.slice(0, whole.length - 8)), /has 88 bytes of values; shape \(2,3,4\) of <f4 needs 96/);
    assert.throws(() => decodeNpy(whole.slice(0, 40)), /cut short inside its header/);
    assert.throws(() => decodeNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])), /not a \.npy file/);
    assert.throws(() => encodeNpy(new Float32Array(6), [4, 2]), /shape \[4,2\] holds 8 values; the array has 6/);
    assert.throws(() => encodeNpy([1, 2]), /needs a Float32/);
  });
});

describe('CSV and JSON', () => {
  it('curves and layer statistics read back as the very numbers the API gave', () => {
    const data = lab.dataset('spiral', { samples: 150, classes: 3, seed: 1 });
    const net = lab.network({ inputs: 2, layers: [{ units: 10, activation: 'tanh', batchNorm: true }, { units: 10 }, { units: 3 }], seed: 1 })
      .setOptimizer({ name: 'momentum', learningRate: 0.1, schedule: { name: 'exponential', gamma: 0.99 } });
    const points = [];
    for (let i = 0; i < 12; ++i) {
      const r = net.train(data, { steps: 5, batchSize: 16 });
      const test = net.evaluate(data, 'test');
      points.push({ step: r.step, loss: r.loss, accuracy: r.accuracy, learningRate: r.learningRate, testLoss: test.loss, testAccuracy: test.accuracy });
    }
    points.push({ step: 61, loss: NaN, accuracy: null, learningRate: 0.1, testLoss: null, testAccuracy: null });   // a diverged point
    const csv = curvesCsv(points);
    assert.match(csv, /^step,loss,accuracy,learning_rate,test_loss,test_accuracy\n5,/);
    const back = curvesFromCsv(csv);
    assert.deepEqual(back.slice(0, -1), points.slice(0, -1));
    assert.deepEqual(back.at(-1), { ...points.at(-1), loss: null });
    const stats = net.layerStats();
    const rows = fromCsv(statsCsv(stats, net.step, net.layers));
    assert.equal(rows.length, 3);
    rows.forEach((row, i) => {
      assert.deepEqual(Object.keys(row), STAT_COLUMNS);
      assert.equal(row.step, 60);
      assert.equal(row.weights_mean, stats[i].weights.mean);
      assert.equal(row.gradients_std, stats[i].gradients.std);
      assert.equal(row.activations_max, stats[i].activations.max);
      assert.equal(row.update_ratio, stats[i].updateRatio);
      assert.equal(row.gradient_norm, stats[i].gradientNorm);
      assert.equal(row.saturated, stats[i].saturated);
    });
    assert.deepEqual(rows, statsRecords(stats, 60, net.layers));
    const json = JSON.parse(toJson({ layers: stats }));
    assert.deepEqual(json.layers[0].runningMean, Array.from(stats[0].runningMean));
    assert.equal(json.layers[1].weights.std, stats[1].weights.std);
    assert.equal(JSON.parse(toJson([NaN, Infinity, new Float32Array([NaN, 1])])).join(), ',,,1');
    net.dispose(); data.dispose();
  });
});

describe('SVG', () => {
  it('a line chart parses as XML, with one polyline per unbroken piece of each series', () => {
    const xs = Array.from({ length: 50 }, (_, i) => i * 10);
    const svg = lineChartSvg([xs, xs.map((x) => 1 / (1 + x)), xs.map((x, i) => (i === 20 ? null : 2 / (1 + x)))],
      { title: 'loss & "accuracy" <1>', series: [{ label: 'train' }, { label: 'test', color: '#000' }], logY: true });
    const p = join(dir, 'chart.svg');
    writeFileSync(p, svg);
    const out = JSON.parse(python(`
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
print(json.dumps({"tag": root.tag, "lines": [len(l.get("points").split()) for l in root.iter(ns + "polyline")], "title": root.find(ns + "text").text}))`, p));
    assert.equal(out.tag, '{http://www.w3.org/2000/svg}svg');
    assert.deepEqual(out.lines, [50, 20, 29]);
    assert.equal(out.title, 'loss & "accuracy" <1>');
  });
});
