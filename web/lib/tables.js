// tables.js: curves and layer statistics as CSV and JSON, the formats a run is exported in. Pure.
// Numbers are written with JavaScript's shortest round-trip form, so reading a CSV back gives the
// same doubles the API returned (float32 values included); a number that is not finite is an empty
// CSV field and null in JSON.
import { splitCsvLine } from './csv.js';
import { fail } from './names.js';

/** A CSV document: a header row, then one row per record (missing or non-finite values are empty). */
export function toCsv(columns, records) {
  const field = (v) => {
    if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
    const text = String(v);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...records.map((r) => columns.map((c) => field(r[c])).join(','))].join('\n') + '\n';
}

/** Records from a CSV document written by toCsv: numbers where the field is one, null where empty. */
export function fromCsv(text) {
  const lines = text.split(/\r\n|\n/).filter((l) => l !== '');
  if (!lines.length) fail('the CSV is empty');
  const columns = splitCsvLine(lines[0], 1);
  return lines.slice(1).map((line, i) => {
    const cells = splitCsvLine(line, i + 2);
    if (cells.length !== columns.length) fail(`CSV row ${i + 2} has ${cells.length} fields; the header has ${columns.length}`);
    const record = {};
    columns.forEach((c, k) => {
      const t = cells[k];
      record[c] = t === '' ? null : Number.isFinite(Number(t)) ? Number(t) : t;
    });
    return record;
  });
}

/** JSON text of a value whose typed arrays become plain arrays and whose non-finite numbers become null. */
export function toJson(value, indent = 1) {
  return JSON.stringify(value, (_, v) => {
    if (ArrayBuffer.isView(v)) return Array.from(v, (x) => (Number.isFinite(x) ? x : null));
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    return v;
  }, indent) + '\n';
}

/** The curve of a run, one record per recorded step: [CSV column, record key]. */
export const CURVE_COLUMNS = [
  ['step', 'step'], ['loss', 'loss'], ['accuracy', 'accuracy'], ['learning_rate', 'learningRate'],
  ['test_loss', 'testLoss'], ['test_accuracy', 'testAccuracy'],
];

/** Curves ({ step, loss, accuracy, learningRate, testLoss, testAccuracy } per point) as CSV. */
export function curvesCsv(points) {
  return toCsv(CURVE_COLUMNS.map(([c]) => c), points.map((p) => Object.fromEntries(CURVE_COLUMNS.map(([c, k]) => [c, p[k]]))));
}

/** The points of curvesCsv text, as records keyed like the API's. */
export function curvesFromCsv(text) {
  return fromCsv(text).map((r) => Object.fromEntries(CURVE_COLUMNS.map(([c, k]) => [k, r[c] ?? null])));
}

const MOMENTS = ['mean', 'std', 'min', 'max'];
const MOMENT_OF = ['weights', 'biases', 'preactivations', 'activations', 'gradients'];
const SCALARS = [['saturated', 'saturated'], ['dead', 'dead'], ['gradient_norm', 'gradientNorm'], ['update_ratio', 'updateRatio']];
/** The columns of layer statistics: step, layer, type, the moments of each tensor, then the shares and norms. */
export const STAT_COLUMNS = ['step', 'layer', 'type', ...MOMENT_OF.flatMap((t) => MOMENTS.map((m) => `${t}_${m}`)), ...SCALARS.map(([c]) => c)];

/** Rows of net.layerStats() at a step, one per layer, keyed by STAT_COLUMNS. */
export function statsRecords(stats, step, layers) {
  return stats.map((s, i) => {
    const r = { step, layer: i, type: layers?.[i]?.type ?? 'dense' };
    for (const t of MOMENT_OF) for (const m of MOMENTS) r[`${t}_${m}`] = s[t][m];
    for (const [c, k] of SCALARS) r[c] = s[k];
    return r;
  });
}

/** Layer statistics (net.layerStats()) at a step as CSV; several steps: concatenate statsRecords. */
export function statsCsv(stats, step, layers) {
  return toCsv(STAT_COLUMNS, statsRecords(stats, step, layers));
}
