// npy.js: NumPy's .npy format (version 1.0) for one typed array and its shape, written and read
// without NumPy. Pure: works in Node and in browsers. Layout: the magic "\x93NUMPY", version 1.0,
// a little-endian uint16 header length, a Python dict literal { descr, fortran_order, shape }
// padded with spaces to a multiple of 64 bytes and ended by a newline, then the values row-major.
import { fail } from './names.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DTYPES = [
  ['<f4', Float32Array], ['<f8', Float64Array], ['<i4', Int32Array], ['<u4', Uint32Array],
  ['|u1', Uint8Array], ['|i1', Int8Array],
];
const descrOf = (array) => DTYPES.find(([, T]) => array instanceof T)?.[0];

/** The .npy bytes of array (a typed array) with shape (default: one axis of its length). */
export function encodeNpy(array, shape = [array.length]) {
  const descr = descrOf(array) ?? fail(`encodeNpy needs a Float32/Float64/Int32/Uint32/Uint8/Int8Array, got ${array?.constructor?.name}`);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`shape ${JSON.stringify(shape)} must be an array of whole numbers >= 0`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== array.length) fail(`shape [${shape}] holds ${count} values; the array has ${array.length}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = MAGIC.length + 4 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(MAGIC.length + 4 + header.length + array.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; ++i) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), 10 + header.length);
  return out;
}

/** { array, shape } from .npy bytes (version 1.0 to 3.0, C order, one of the dtypes above). */
export function decodeNpy(bytes, what = 'the .npy file') {
  if (!(bytes instanceof Uint8Array)) fail(`${what} must be given as a Uint8Array`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail(`${what} is not a .npy file (its first bytes are not \\x93NUMPY)`);
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`${what} is .npy version ${major}.${bytes[7]}; versions 1 to 3 are read`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  const hlen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes + hlen;
  if (start > bytes.length) fail(`${what} is cut short inside its header`);
  const header = new TextDecoder().decode(bytes.subarray(8 + lengthBytes, start));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const dims = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || dims === undefined) fail(`${what} has a header gradlab cannot read: ${header.trim()}`);
  if (fortran === 'True') fail(`${what} is in Fortran order; only C order is read`);
  const T = DTYPES.find(([d]) => d === descr)?.[1] ?? fail(`${what} holds dtype '${descr}'; allowed: ${DTYPES.map(([d]) => d).join(', ')}`);
  const shape = dims.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - start !== count * T.BYTES_PER_ELEMENT) {
    fail(`${what} has ${bytes.length - start} bytes of values; shape (${shape}) of ${descr} needs ${count * T.BYTES_PER_ELEMENT}`);
  }
  // a copy, so the values are aligned whatever the offset of the header
  const array = new T(bytes.slice(start).buffer);
  return { array, shape };
}
