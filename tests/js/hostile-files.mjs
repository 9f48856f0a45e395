// hostile-files.mjs: a seeded generator of hostile saved runs and CSV files, from a good saved run
// (web/lib/runfile.js's files) and good CSV text mixed with mutations: flipped and cut bytes, edited
// run.json fields (other versions, huge or negative sizes, markup, prototype keys), missing, swapped
// or reshaped tensors, damaged .npy headers, and CSV with ragged rows, markup, odd numbers and quotes.
// Used by the Node test (tests/js/hostile-files.test.mjs) and the page's fuzzer (tests/browser/hostile.test.mjs).
import { encodeNpy } from '../../web/lib/npy.js';
import { zipRun } from '../../web/lib/runzip.js';
import { MARKUP } from './hostile-inputs.mjs';

const pick = (r, list) => list[Math.floor(r() * list.length)];
const text = (s) => new TextEncoder().encode(s);
const ODD_VALUES = [null, -1, 0, 1e21, -1e9, 2 ** 53, NaN, '', 'x'.repeat(2000), [], {}, true, '__proto__', { __proto__: { polluted: 1 } }, ...MARKUP];
const KEYS = ['format', 'version', 'step', 'network', 'optimizer', 'data', 'batchSize', 'settings', 'tensors', 'files', '__proto__', 'constructor'];

/** A change to run.json: one field replaced, a nested spec field replaced, or the text cut or made invalid. */
function mutateManifest(r, bytes) {
  const m = JSON.parse(new TextDecoder().decode(bytes));
  const k = r();
  if (k < 0.3) m[pick(r, KEYS)] = pick(r, ODD_VALUES);
  else if (k < 0.5) {
    const layer = m.network.layers[Math.floor(r() * m.network.layers.length)];
    layer[pick(r, ['units', 'activation', 'dropout', 'batchNorm', 'type', '__proto__'])] = pick(r, [...ODD_VALUES, 4096, 100000, 'conv']);
  } else if (k < 0.65) m.optimizer[pick(r, ['name', 'learningRate', 'momentum', 'schedule'])] = pick(r, ODD_VALUES);
  else if (k < 0.8) m.settings = { ...m.settings, query: pick(r, [`${m.settings?.query}&layers=${pick(r, MARKUP)}`, pick(r, MARKUP), '?lesson=__proto__', `?${'a=1&'.repeat(5000)}`]) };
  else if (k < 0.9) m.data = { ...m.data, options: { ...m.data.options, [pick(r, ['samples', 'seed', 'noise', 'classes', 'x'])]: pick(r, ODD_VALUES) } };
  else return text(JSON.stringify(m).slice(0, Math.floor(r() * 200)));
  return text(JSON.stringify(m));
}

/** A saved run's files with one hostile change, as zip bytes (or broken zip bytes). */
export async function hostileRun(r, good) {
  const files = { ...good };
  const names = Object.keys(files);
  const k = r();
  if (k < 0.15) {   // bytes of the zip itself flipped, cut or replaced
    const zip = (await zipRun(files)).slice();
    const kind = r();
    if (kind < 0.4) for (let i = 0; i < 1 + r() * 20; ++i) zip[Math.floor(r() * zip.length)] ^= 1 + Math.floor(r() * 255);
    else if (kind < 0.8) return zip.slice(0, Math.floor(r() * zip.length));
    else return text(pick(r, ['PK', 'PK\u0003\u0004', ...MARKUP, 'x,y\n1,2\n']));
    return zip;
  }
  if (k < 0.5) files['run.json'] = mutateManifest(r, files['run.json']);
  else if (k < 0.6) delete files[pick(r, names)];
  else if (k < 0.75) {   // a tensor of another shape, dtype or length
    const target = pick(r, names.filter((n) => n.endsWith('.npy')));
    files[target] = pick(r, [encodeNpy(new Float32Array(3), [3]), encodeNpy(new Float32Array(12), [3, 4]), encodeNpy(new Float32Array(0), [0]),
      encodeNpy(new Int32Array(8), [8]), text('\u0093NUMPY\u0001\u0000{"descr": "<f4"}')]);
  } else if (k < 0.85) {   // a damaged .npy header or state
    const target = pick(r, names.filter((n) => n.endsWith('.npy') || n === 'state.bin'));
    const bytes = files[target].slice();
    for (let i = 0; i < 1 + r() * 6; ++i) bytes[Math.floor(r() * Math.min(bytes.length, target === 'state.bin' ? bytes.length : 128))] ^= 1 + Math.floor(r() * 255);
    files[target] = bytes;
  } else if (k < 0.95) files['state.bin'] = files['state.bin'].slice(0, Math.floor(r() * files['state.bin'].length));
  else files[pick(r, ['../../evil.txt', '__proto__', 'weights/layer99.weights.npy'])] = text(pick(r, MARKUP));
  return zipRun(files);
}

/** CSV text with hostile mutations of a good two-class file. */
export function hostileCsv(r) {
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 10 + Math.floor(r() * 40); ++i) rows.push(`${(r() * 2 - 1).toFixed(3)},${(r() * 2 - 1).toFixed(3)},${i % 2}`);
  for (let i = 0; i < 1 + r() * 4; ++i) {
    const at = Math.floor(r() * rows.length), k = r();
    const cell = pick(r, [...MARKUP, 'NaN', 'Infinity', '1e309', '-0', '0x10', '"', '"a""b"', '"open', '', ' ', '\u0000', '\u202e', '💥', 'x'.repeat(3000), '1e39', '__proto__']);
    if (k < 0.4) { const cells = rows[at].split(','); cells[Math.floor(r() * cells.length)] = cell; rows[at] = cells.join(','); }
    else if (k < 0.6) rows[at] += `,${cell}`;
    else if (k < 0.75) rows[at] = rows[at].split(',').slice(0, 1 + Math.floor(r() * 2)).join(',');
    else if (k < 0.85) rows.splice(at, 0, '');
    else if (k < 0.95) rows[at] = `${rows[at]}\r`;
    else rows[0] = pick(r, ['__proto__,constructor,label', `${MARKUP[0]},b,c`, 'a,a,a']);
  }
  return rows.join(pick(r, ['\n', '\r\n']));
}
