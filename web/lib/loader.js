// loader.js: finds, fetches and instantiates one of the two wasm builds, in Node or a browser.

// A minimal module whose one function returns a v128: valid only where wasm SIMD is supported.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10,
  1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export function simdSupported() {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

// Each file named in full beside import.meta.url, the form bundlers (Vite, webpack) recognise: they
// emit both builds with the bundle and rewrite these addresses. Unbundled, they are ../wasm/ beside
// this file, on whatever origin it came from (fetch asks with CORS across origins).
const BUILDS = {
  simd: () => new URL('../wasm/gradlab-simd.wasm', import.meta.url),
  scalar: () => new URL('../wasm/gradlab-scalar.wasm', import.meta.url),
};

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

async function readBytes(url) {
  if (isNode && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`gradlab: could not load ${url} (HTTP ${response.status})`);
  return response.arrayBuffer();
}

/**
 * Instantiates the SIMD build when the engine supports wasm SIMD (or the scalar one when
 * options.simd is false, or SIMD is missing). options.wasmBase: a URL of the folder holding
 * gradlab-simd.wasm and gradlab-scalar.wasm (default: ../wasm/ beside this file).
 */
export async function instantiate(options = {}) {
  const supported = simdSupported();
  if (options.simd === true && !supported) {
    throw new Error('gradlab: { simd: true } was asked for, but this engine does not support wasm SIMD');
  }
  const simd = options.simd === undefined ? supported : !!options.simd;
  const url = options.wasmBase
    ? new URL(simd ? 'gradlab-simd.wasm' : 'gradlab-scalar.wasm', new URL(options.wasmBase, globalThis.location?.href ?? import.meta.url))
    : BUILDS[simd ? 'simd' : 'scalar']();
  const bytes = await readBytes(url);
  let memory = null;
  const imports = {
    env: {
      // the module grew its memory: typed-array views on the old buffer are now empty
      emscripten_notify_memory_growth() { memory?.onGrow?.(); },
    },
  };
  const { instance } = await WebAssembly.instantiate(bytes, imports);
  const exports = instance.exports;
  memory = exports.memory;
  exports._initialize();
  return { exports, memory, simd, url: url.href };
}
