/* peak.c: the f32x4 multiply-add rate this engine reaches on this machine, the ceiling for the
 * GEMM kernels. Twelve independent chains acc = acc * m + c keep both the multiply and the add
 * units busy; nothing can be hoisted or folded, since every step depends on the last.
 * Each iteration of the loop is 12 * 4 * 2 = 96 flops. */
#include "../src/vec4.h"
#include <emscripten.h>

EMSCRIPTEN_KEEPALIVE float bench_peak(int iterations) {
    gl_v4 m = v4_splat(0.5f), c = v4_splat(1.0f);
    gl_v4 a0 = v4_splat(0.1f), a1 = v4_splat(0.2f), a2 = v4_splat(0.3f), a3 = v4_splat(0.4f),
          a4 = v4_splat(0.5f), a5 = v4_splat(0.6f), a6 = v4_splat(0.7f), a7 = v4_splat(0.8f),
          a8 = v4_splat(0.9f), a9 = v4_splat(1.1f), a10 = v4_splat(1.2f), a11 = v4_splat(1.3f);
    for (int i = 0; i < iterations; ++i) {
#define STEP(a) a = v4_add(v4_mul(a, m), c)
        STEP(a0); STEP(a1); STEP(a2); STEP(a3); STEP(a4); STEP(a5);
        STEP(a6); STEP(a7); STEP(a8); STEP(a9); STEP(a10); STEP(a11);
#undef STEP
    }
    gl_v4 s = v4_add(v4_add(v4_add(a0, a1), v4_add(a2, a3)), v4_add(v4_add(a4, a5), v4_add(a6, a7)));
    s = v4_add(s, v4_add(v4_add(a8, a9), v4_add(a10, a11)));
    return v4_sum(s);
}
