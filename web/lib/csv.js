// csv.js: your own data from CSV text: columns x1..xd and one label (class) or target (regression)
// column, with or without a header row. Pure: no wasm, no DOM. Every limit is checked while reading,
// before anything reaches wasm memory, and every refusal names the row and column.
//
// Rows are numbered from 1 counting the header when there is one, like the line numbers of an editor
// (blank lines are skipped but still counted). Cells are separated by commas; a cell may be quoted
// ("a, b" and "" for a quote inside) but may not span lines.
import { LIMITS } from './boundary.js';
import { GradlabError } from './names.js';

/** What a CSV may hold; rows x inputs is also bounded by LIMITS.dataFloats (src/gradlab.h). */
export const CSV_LIMITS = {
  characters: 256 * 1024 * 1024,      // of the text
  rows: LIMITS.samples,          // data rows, the header not counted
  columns: LIMITS.units + 1,    // inputs and the label
  classes: LIMITS.units,        // distinct labels of a classification
};

/** The largest magnitude a 32-bit float holds (rounded down): a cell beyond it would become infinite. */
const FLOAT32_MAX = 3.4e38;

const fail = (message) => { throw new GradlabError(`CSV: ${message}`); };

/** The cells of one line; throws at an unbalanced quote. */
export function splitCsvLine(line, row) {
  const cells = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      ++i;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) fail(`row ${row}: a quoted cell is not closed (a quoted cell may not span lines)`);
        cell += line.slice(i, q);
        if (line[q + 1] === '"') { cell += '"'; i = q + 2; continue; }
        i = q + 1;
        break;
      }
      if (i < line.length && line[i] !== ',') fail(`row ${row}, column ${cells.length + 1}: text after a closing quote`);
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? line.length : c;
      cell = line.slice(i, end);
      i = end;
    }
    cells.push(cell.trim());
    if (i >= line.length) return cells;
    ++i; // the comma
    if (cells.length > CSV_LIMITS.columns) fail(`row ${row} has more than ${CSV_LIMITS.columns} columns; the limit is ${CSV_LIMITS.columns} (${LIMITS.units} inputs and a label)`);
  }
}

const isNumber = (text) => text !== '' && Number.isFinite(Number(text));

/**
 * Parses CSV text into a data set for lab.dataset(). options:
 *   label: the label or target column: 'last' (default), 'first', a header name or a 1-based number
 *   task: 'auto' (default: classification when every label is a whole number 0..4095 or the labels are
 *         names, else regression), 'classification' or 'regression'
 *   header: 'auto' (default: the first row is a header when one of its input cells is not a number),
 *           true or false
 * Returns { dataset: { x, y, inputs, classes | outputs }, rows, inputs, columns (names), label (name),
 * task, classNames (class id -> label text, or null) }. Give dataset to lab.dataset() with testFraction.
 */
export function parseDataCsv(text, options = {}) {
  if (typeof text !== 'string') fail('the data must be given as text');
  const { label = 'last', task = 'auto', header = 'auto' } = options;
  if (!['auto', 'classification', 'regression'].includes(task)) fail(`task '${task}' is not known; allowed: auto, classification, regression`);
  if (![true, false, 'auto'].includes(header)) fail(`header ${header} is not allowed; use true, false or 'auto'`);
  if (text.length > CSV_LIMITS.characters) fail(`the text has ${text.length} characters; the limit is ${CSV_LIMITS.characters}`);
  const lines = text.split(/\r\n|\n|\r/);
  const firstLine = lines.findIndex((l) => l.trim() !== '');
  if (firstLine < 0) fail('there are no rows');
  const first = splitCsvLine(lines[firstLine], firstLine + 1);
  const width = first.length;
  if (width < 2) fail(`row ${firstLine + 1} has 1 column; a data set needs at least one input column and a label column`);
  if (width > CSV_LIMITS.columns) fail(`row ${firstLine + 1} has ${width} columns; the limit is ${CSV_LIMITS.columns} (${LIMITS.units} inputs and a label)`);

  // which column is the label: a name needs the header, so it decides whether there is one
  const named = typeof label === 'string' && !['last', 'first'].includes(label);
  let labelIndex;
  if (label === 'last') labelIndex = width - 1;
  else if (label === 'first') labelIndex = 0;
  else if (Number.isInteger(label)) {
    if (label < 1 || label > width) fail(`label column ${label} is out of range; allowed 1..${width}`);
    labelIndex = label - 1;
  } else if (named) {
    labelIndex = first.indexOf(label);
    if (labelIndex < 0) fail(`row ${firstLine + 1} (the header) has no column '${label}'; it has ${first.map((c) => `'${c}'`).join(', ')}`);
  } else fail(`label ${JSON.stringify(label)} is not allowed; use 'last', 'first', a column name or a 1-based column number`);
  const hasHeader = named || (header === 'auto' ? first.some((c, i) => i !== labelIndex && !isNumber(c)) : header);
  const columns = hasHeader ? first : first.map((_, i) => (i === labelIndex ? 'label' : `x${i < labelIndex ? i + 1 : i}`));
  const inputs = width - 1;
  const where = (row, col) => `row ${row}, column ${col + 1} ('${columns[col]}')`;

  // count the data rows first, so the limits hold before the arrays are made
  let rows = 0;
  for (let l = firstLine + (hasHeader ? 1 : 0); l < lines.length; ++l) {
    if (lines[l].trim() === '') continue;
    if (++rows > CSV_LIMITS.rows) fail(`row ${l + 1} is one row too many; the limit is ${CSV_LIMITS.rows} data rows`);
  }
  if (rows === 0) fail('there are no data rows after the header');
  if (rows * inputs > LIMITS.dataFloats) {
    fail(`${rows} rows of ${inputs} inputs are ${rows * inputs} values; the limit is ${LIMITS.dataFloats}`);
  }

  const x = new Float32Array(rows * inputs);
  const labels = new Array(rows);
  let r = 0;
  for (let l = firstLine + (hasHeader ? 1 : 0); l < lines.length; ++l) {
    if (lines[l].trim() === '') continue;
    const cells = splitCsvLine(lines[l], l + 1);
    if (cells.length !== width) {
      fail(`row ${l + 1} has ${cells.length} column${cells.length === 1 ? '' : 's'}; row ${firstLine + 1} has ${width}`);
    }
    let k = r * inputs;
    for (let c = 0; c < width; ++c) {
      const cell = cells[c];
      if (c === labelIndex) { labels[r] = cell; continue; }
      if (cell === '') fail(`${where(l + 1, c)} is empty; every input must be a number`);
      const v = Number(cell);
      if (!Number.isFinite(v)) fail(`${where(l + 1, c)}: '${cell.length > 40 ? `${cell.slice(0, 40)}...` : cell}' is not a number`);
      if (Math.abs(v) > FLOAT32_MAX) fail(`${where(l + 1, c)}: ${cell} is too large for a 32-bit float`);
      x[k++] = v;
    }
    if (labels[r] === '') fail(`${where(l + 1, labelIndex)} is empty; every row needs a label`);
    ++r;
  }

  const numeric = labels.every(isNumber);
  const whole = numeric && labels.every((t) => { const v = Number(t); return Number.isInteger(v) && v >= 0 && v < CSV_LIMITS.classes; });
  const kind = task !== 'auto' ? task : !numeric || whole ? 'classification' : 'regression';
  const result = { rows, inputs, columns, label: columns[labelIndex], task: kind, classNames: null };
  if (kind === 'regression') {
    const y = new Float32Array(rows);
    labels.forEach((t, i) => {
      if (!isNumber(t)) fail(`${where(rowOf(lines, firstLine, hasHeader, i), labelIndex)}: '${t}' is not a number; a regression target must be one`);
      if (Math.abs(Number(t)) > FLOAT32_MAX) fail(`${where(rowOf(lines, firstLine, hasHeader, i), labelIndex)}: ${t} is too large for a 32-bit float`);
      y[i] = Number(t);
    });
    result.dataset = { x, y, inputs, outputs: 1 };
    return result;
  }
  const y = new Int32Array(rows);
  if (whole) {
    let most = 0;
    labels.forEach((t, i) => { y[i] = Number(t); most = Math.max(most, y[i]); });
    result.dataset = { x, y, inputs, classes: Math.max(2, most + 1) };
  } else {
    // class names: ids in sorted order, so the same file always gives the same ids
    const names = [...new Set(labels)].sort();
    if (names.length > CSV_LIMITS.classes) fail(`column ${labelIndex + 1} ('${columns[labelIndex]}') has ${names.length} different labels; the limit is ${CSV_LIMITS.classes} classes`);
    if (names.length < 2) fail(`column ${labelIndex + 1} ('${columns[labelIndex]}') has only the label '${names[0]}'; a classification needs at least 2 classes`);
    const id = new Map(names.map((n, i) => [n, i]));
    labels.forEach((t, i) => { y[i] = id.get(t); });
    result.classNames = names;
    result.dataset = { x, y, inputs, classes: names.length };
  }
  return result;
}

/** The row number (as the messages count them) of data row i. */
function rowOf(lines, firstLine, hasHeader, i) {
  let seen = -1;
  for (let l = firstLine + (hasHeader ? 1 : 0); l < lines.length; ++l) {
    if (lines[l].trim() === '') continue;
    if (++seen === i) return l + 1;
  }
  return lines.length;
}
