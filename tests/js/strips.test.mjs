// Depth x time strips (web/lib/strips.js, stripSvg in web/lib/svg.js): one row per layer and one
// column per recorded step holding the snapshots' own numbers, a log scale over the positive ones,
// and an SVG that Python's XML parser reads with one cell per layer and step.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { STRIP_QUANTITIES, depthTimeStrip, rampColor, stripFromCurves, stripPosition, stripTicks } from '../../web/lib/strips.js';
import { stripSvg } from '../../web/lib/svg.js';
import { DEBIAN_PYTHON } from '../../scripts/toolchain.mjs';

it('a ten-layer tanh stack: one row per layer, the record\'s numbers, vanishing gradients in view', async () => {
  const lab = await loadGradlab();
  const data = lab.dataset('spiral', { samples: 200, classes: 3, seed: 1 });
  const layers = [...Array(10)].map(() => ({ units: 32, activation: 'tanh' })).concat([{ units: 3 }]);
  const net = lab.network({ inputs: 2, layers, init: { name: 'normal', std: 0.05 }, seed: 2 }).setOptimizer({ name: 'sgd', learningRate: 0.1 });
  const record = net.keepHistory({ data, diagram: false });
  for (let i = 0; i < 20; ++i) net.train(data, { steps: 3, batchSize: 32 });
  const entries = record.entries;
  for (const q of Object.keys(STRIP_QUANTITIES)) {
    const strip = depthTimeStrip(entries, q);
    assert.equal(strip.layers, 11, q);
    assert.deepEqual(strip.steps, record.steps());
    assert.equal(strip.values.length, 11 * entries.length);
  }
  const g = depthTimeStrip(entries, 'gradientNorm');
  entries.forEach((e, c) => e.snapshot.layers.forEach((l, r) => {
    const v = g.values[r * entries.length + c];
    if (l.gradientNorm > 0) assert.equal(v, l.gradientNorm); else assert.ok(Number.isNaN(v));
  }));
  const positive = Array.from(g.values).filter((v) => v > 0);
  assert.equal(g.lo, Math.min(...positive));
  assert.equal(g.hi, Math.max(...positive));
  const last = entries.length - 1;
  assert.ok(g.values[0 * entries.length + last] < 1e-3 * g.values[9 * entries.length + last],
    `small init: layer 0's gradient norm ${g.values[last]} is far below layer 9's ${g.values[9 * entries.length + last]}`);
  assert.equal(stripPosition(g, g.lo), 0);
  assert.equal(stripPosition(g, g.hi), 1);
  assert.equal(stripPosition(g, NaN), null);
  assert.deepEqual(rampColor(0), [68, 1, 84]);
  assert.deepEqual(rampColor(1), [253, 231, 37]);
  const ticks = stripTicks(g);
  assert.ok(ticks.length >= 3 && ticks.every((t) => t >= g.lo && t <= g.hi && Number.isInteger(Math.round(Math.log10(t) * 1e9) / 1e9)));
  assert.throws(() => depthTimeStrip(entries, 'loss'), /strip quantity 'loss' is not known; allowed: gradientNorm/);

  const dir = mkdtempSync(join(tmpdir(), 'gradlab-strip-'));
  try {
    writeFileSync(join(dir, 'strip.svg'), stripSvg(g, { title: 'gradient norm' }));
    const out = JSON.parse(execFileSync(DEBIAN_PYTHON, ['-c', `
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
print(json.dumps({"cells": sum(1 for r in root.iter(ns + "rect") if r.get("class") == "cell"),
  "legend": [t.text for t in root.iter(ns + "text") if t.get("class") == "legend"]}))`, join(dir, 'strip.svg')], { encoding: 'utf8' }));
    assert.equal(out.cells, 11 * entries.length);
    assert.equal(out.legend.length, ticks.length);
  } finally { rmSync(dir, { recursive: true, force: true }); }
  net.dispose(); data.dispose();
});

it('a strip from curves kept as columns equals the strip from the snapshots they came from', async () => {
  const lab = await loadGradlab();
  const data = lab.dataset('moons', { samples: 120, seed: 3 });
  const layers = [{ units: 8, activation: 'relu' }, { units: 8, activation: 'sigmoid' }, { units: 2 }];
  const net = lab.network({ inputs: 2, layers, seed: 5 }).setOptimizer({ name: 'adam', learningRate: 0.05 });
  const record = net.keepHistory({ data, diagram: false });
  for (let i = 0; i < 12; ++i) net.train(data, { steps: 2, batchSize: 16 });
  const entries = record.entries;
  for (const [q, read] of Object.entries(STRIP_QUANTITIES)) {
    // the columns as the page's session keeps them: null where a value is missing
    const rows = layers.map((_, l) => entries.map((e) => read(e.snapshot.layers[l]) ?? null));
    const fromCurves = stripFromCurves(q, record.steps(), rows), fromRecord = depthTimeStrip(entries, q);
    assert.deepEqual({ ...fromCurves, values: Array.from(fromCurves.values) }, { ...fromRecord, values: Array.from(fromRecord.values) }, q);
  }
  assert.equal(stripFromCurves('dead', [], []).lo, null);
});
