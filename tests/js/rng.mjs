// rng.mjs: the tests' seeded generator (mulberry32, a small and well-known 32-bit generator), so a
// failing case can be replayed from its seed. Test data only; the engine has its own PCG32.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
