// Your own data from CSV (web/lib/csv.js): headers, labels and targets read right and feed
// lab.dataset(); every refusal names the row and column; the limits are the engine's and are checked
// before any array is made.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadGradlab } from '../../web/lib/gradlab.js';
import { CSV_LIMITS, parseDataCsv, splitCsvLine } from '../../web/lib/csv.js';
import { LIMITS } from '../../web/lib/boundary.js';

const rows = (r) => ({ x: Array.from(r.dataset.x), y: Array.from(r.dataset.y) });

describe('parseDataCsv reads', () => {
  it('a header, class ids in the last column, and feeds lab.dataset()', async () => {
    const r = parseDataCsv('x1,x2,label\n0.5,-1,0\n1e-2,2,1\r\n\n3,4,2\n');
    assert.deepEqual(r.columns, ['x1', 'x2', 'label']);
    assert.equal(r.task, 'classification');
    assert.deepEqual(rows(r), { x: [0.5, -1, Math.fround(0.01), 2, 3, 4], y: [0, 1, 2] });
    assert.equal(r.dataset.classes, 3);
    const lab = await loadGradlab();
    const data = lab.dataset({ ...r.dataset, testFraction: 0 });
    assert.equal(data.trainSize, 3);
    assert.equal(data.classes, 3);
    data.dispose();
  });

  it('no header; class names; a regression target; a label chosen by name, position or first', () => {
    assert.deepEqual(parseDataCsv('1,2,1\n3,4,0\n').columns, ['x1', 'x2', 'label']);
    const named = parseDataCsv('1,2,dog\n3,4,cat\n5,6,dog\n');
    assert.deepEqual(named.classNames, ['cat', 'dog']);
    assert.deepEqual(rows(named).y, [1, 0, 1]);
    const reg = parseDataCsv('a,b,t\n1,2,0.25\n3,4,-7\n');
    assert.equal(reg.task, 'regression');
    assert.equal(reg.dataset.outputs, 1);
    assert.deepEqual(rows(reg).y, [0.25, -7]);
    const byName = parseDataCsv('y,a,b\n1,2,3\n0,5,6\n', { label: 'y' });
    assert.deepEqual(rows(byName), { x: [2, 3, 5, 6], y: [1, 0] });
    assert.deepEqual(rows(parseDataCsv('1,2,3\n0,5,6\n', { label: 1 })), rows(byName));
    assert.deepEqual(rows(parseDataCsv('1,2,3\n0,5,6\n', { label: 'first' })), rows(byName));
    assert.equal(parseDataCsv('1,2,3\n0,5,6\n', { task: 'regression' }).dataset.outputs, 1);
    assert.deepEqual(splitCsvLine('"a, b",c,"say ""hi"""', 1), ['a, b', 'c', 'say "hi"']);
  });
});

describe('parseDataCsv refuses, naming the row and column', () => {
  const cases = [
    ['ragged rows', 'a,b,y\n1,2,0\n3,4\n', /^CSV: row 3 has 2 columns; row 1 has 3$/],
    ['a longer row', '1,2,0\n3,4,1,9\n', /^CSV: row 2 has 4 columns; row 1 has 3$/],
    ['a non-numeric cell', 'a,b,y\n1,2,0\n3,oops,1\n', /^CSV: row 3, column 2 \('b'\): 'oops' is not a number$/],
    ['an infinite cell', '1,2,0\n3,Infinity,1\n', /^CSV: row 2, column 2 \('x2'\): 'Infinity' is not a number$/],
    ['a cell too large for float32', '1,2,0\n3,1e39,1\n', /^CSV: row 2, column 2 \('x2'\): 1e39 is too large for a 32-bit float$/],
    ['an empty cell', 'a,b,y\n1,,0\n', /^CSV: row 2, column 2 \('b'\) is empty; every input must be a number$/],
    ['an empty label', 'a,b,y\n1,2,\n', /^CSV: row 2, column 3 \('y'\) is empty; every row needs a label$/],
    ['a non-numeric target', 'a,b,t\n1,2,0.5\n3,4,high\n', /^CSV: row 3, column 3 \('t'\): 'high' is not a number; a regression target must be one$/, { task: 'regression' }],
    ['one class only', 'a,y\n1,cat\n2,cat\n', /only the label 'cat'; a classification needs at least 2 classes/],
    ['an unclosed quote', 'a,b,y\n1,"2,0\n', /^CSV: row 2: a quoted cell is not closed/],
    ['one column', '1\n2\n', /^CSV: row 1 has 1 column; a data set needs at least one input column and a label column$/],
    ['no rows', '\n\n', /^CSV: there are no rows$/],
    ['a header only', 'a,b,y\n', /^CSV: there are no data rows after the header$/],
    ['an unknown label column', 'a,b,y\n1,2,0\n', /^CSV: row 1 \(the header\) has no column 'z'; it has 'a', 'b', 'y'$/, { label: 'z' }],
    ['a label column out of range', '1,2,0\n', /^CSV: label column 4 is out of range; allowed 1\.\.3$/, { label: 4 }],
    ['an unknown task', '1,2,0\n', /^CSV: task 'cluster' is not known/, { task: 'cluster' }],
    ['too many columns in a later row', `1,0\n${Array(CSV_LIMITS.columns + 5).fill(1).join(',')}\n`, /^CSV: row 2 has more than 4097 columns; the limit is 4097/],
    ['too many columns', `${Array(CSV_LIMITS.columns + 1).fill(1).join(',')}\n`, /^CSV: row 1 has 4098 columns; the limit is 4097 \(4096 inputs and a label\)$/],
  ];
  for (const [name, text, message, options] of cases) {
    it(name, () => assert.throws(() => parseDataCsv(text, options), (e) => e.name === 'GradlabError' && message.test(e.message), `${name}: ${(() => { try { parseDataCsv(text, options); return 'accepted'; } catch (e) { return e.message; } })()}`));
  }

  it('too many rows, counted before any array is made', () => {
    const text = '1,0\n'.repeat(CSV_LIMITS.rows + 1);
    assert.throws(() => parseDataCsv(text), /CSV: row 1000001 is one row too many; the limit is 1000000 data rows$/);
  });

  it('too many values, before any array is made', () => {
    const line = `${Array(100).fill(1).join(',')},0\n`;   // 100 inputs
    const text = line.repeat(Math.floor(LIMITS.dataFloats / 100) + 1);
    assert.throws(() => parseDataCsv(text), /CSV: 335545 rows of 100 inputs are 33554500 values; the limit is 33554432$/);
  });

  it('uses the limits of src/gradlab.h', () => {
    const h = readFileSync(new URL('../../src/gradlab.h', import.meta.url), 'utf8');
    const limit = (name) => Number(new RegExp(`#define ${name} (\\d+)`).exec(h)[1]);
    assert.equal(CSV_LIMITS.rows, limit('GL_LIMIT_SAMPLES'));
    assert.equal(LIMITS.dataFloats, limit('GL_LIMIT_DATA_FLOATS'));
    assert.equal(CSV_LIMITS.columns, limit('GL_LIMIT_UNITS') + 1);
  });
});
