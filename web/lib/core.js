// core.js: the thin layer over the wasm exports: heap views, scratch buffers, and statuses turned
// into exceptions. Everything above it speaks JavaScript values.
import { GradlabError } from './names.js';
import { ERROR_TEXT } from './boundary.js';

export class Core {
  constructor({ exports, memory, simd, url }) {
    this.x = exports;
    this.memory = memory;
    this.simd = simd;
    this.url = url;
    // one block for small outputs of calls (info rows, results): 64 int32 + 64 float32
    this.scratch = exports.gl_alloc(512);
  }

  f32(ptr, length) { return new Float32Array(this.memory.buffer, ptr, length); }
  i32(ptr, length) { return new Int32Array(this.memory.buffer, ptr, length); }
  get outInts() { return this.i32(this.scratch, 64); }
  get outFloats() { return this.f32(this.scratch + 256, 64); }
  get outIntsPtr() { return this.scratch; }
  get outFloatsPtr() { return this.scratch + 256; }

  message() {
    const ptr = this.x.gl_error_message();
    const bytes = new Uint8Array(this.memory.buffer, ptr, ERROR_TEXT);
    const end = bytes.indexOf(0);
    return new TextDecoder().decode(bytes.subarray(0, end < 0 ? ERROR_TEXT : end));
  }

  /** Calls an export; a negative status becomes a GradlabError with the module's message. */
  call(name, ...args) {
    const status = this.x[name](...args);
    if (status < 0) throw new GradlabError(this.message());
    return status;
  }

  /**
   * Runs fn(take) where take(typedArray) copies an array into wasm memory and take(bytes) reserves
   * a block; every block is freed when fn returns or throws.
   */
  scoped(fn) {
    const blocks = [];
    const take = (what) => {
      const bytes = typeof what === 'number' ? what : what.byteLength;
      const ptr = this.x.gl_alloc(Math.max(4, bytes));
      if (!ptr) throw new GradlabError(`not enough wasm memory for ${bytes} bytes`);
      blocks.push(ptr);
      if (typeof what !== 'number') {
        new Uint8Array(this.memory.buffer, ptr, bytes)
          .set(new Uint8Array(what.buffer, what.byteOffset, bytes));
      }
      return ptr;
    };
    try {
      return fn(take);
    } finally {
      for (const ptr of blocks) this.x.gl_free(ptr);
    }
  }
}
