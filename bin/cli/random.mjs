// random.mjs: standard normal inputs for the depth experiment, drawn in JavaScript with the same
// generator as the C core (PCG32 XSH-RR, src/rng.c) and the same Box-Muller transform, so a seed
// means the same thing on both sides. The 64-bit state is kept as BigInt.

const MULTIPLIER = 6364136223846793005n;
const MASK = (1n << 64n) - 1n;
export const STREAM_INPUTS = 6n; // the C core uses 1..5 (src/rng.h); inputs of the CLI take their own

export class Pcg32 {
  constructor(seed, stream) {
    this.state = 0n;
    this.inc = ((BigInt(stream) << 1n) | 1n) & MASK;
    this.next();
    this.state = (this.state + BigInt(seed)) & MASK;
    this.next();
  }

  /** The next 32-bit output. */
  next() {
    const old = this.state;
    this.state = (old * MULTIPLIER + this.inc) & MASK;
    const xorshifted = Number((((old >> 18n) ^ old) >> 27n) & 0xffffffffn);
    const rot = Number(old >> 59n);
    return ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
  }

  /** A standard normal value (Box-Muller, as gl_rng_normal). */
  normal() {
    const u1 = 1 - this.next() / 4294967296;
    const u2 = this.next() / 4294967296;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

/** count standard normal values in a Float32Array. */
export function normals(count, seed) {
  const rng = new Pcg32(seed, STREAM_INPUTS);
  const out = new Float32Array(count);
  for (let i = 0; i < count; ++i) out[i] = rng.normal();
  return out;
}
