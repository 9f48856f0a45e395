/* gemm_tile.h: what the fast GEMM kernels (gemm.c's packed path, gemm_small.c's direct paths) do with
 * finished products of C: the epilogue. Internal to those two files; only with GL_VEC4. */
#ifndef GL_GEMM_TILE_H
#define GL_GEMM_TILE_H
#include "simd_math.h"
#ifdef GL_VEC4

/* what a product does with a finished tile */
typedef struct {
    int overwrite;          /* the first K block stores bias + acc instead of adding to C */
    const float *bias;      /* (N) or NULL for zero; only with overwrite */
    int kind;               /* 0 none, 1 out = f(C), 2 C *= f'(z, a) */
    int act;
    float slope;
    float *out;             /* kind 1: (M,N) */
    const float *z, *a;     /* kind 2: (M,N) */
} gl_epilogue;

/* A specialisation of a kernel (one tile shape, width or epilogue) kept as a function of its own, not
 * inlined into its dispatcher: in a browser the engine compiles its optimised code function by
 * function, for the functions that run hot, on the threads the page draws with. As one function the
 * dispatcher held every specialisation and took 30-55 ms of the optimising compiler at once; apart,
 * a network's step makes only the few it calls hot, in smaller pieces. One call per product. (The
 * wasm link keeps wasm-opt from inlining them again: CMakeLists.txt.) */
#define KEPT_APART static __attribute__((noinline))

/* f(z) on one vector, as a call, for the rarer activations (sigmoid, leaky ReLU): gl_finish_v4 is
 * inlined at every tile edge of every kernel, and with all of gl_act_forward_v4 inline at each the
 * SIMD module was 505 KB instead of 340 (in a browser the engine compiles the kernels while the
 * page draws its first frames). ReLU and tanh, the common ones, stay inline: as calls they made
 * tanh networks about 12% slower. */
KEPT_APART gl_v4 gl_act_forward_call(gl_v4 z, int act, gl_v4 slope) {
    return gl_act_forward_v4(z, act, slope);
}

/* one vector v of products for C[off .. off+3] (and the same offsets of out, z, a); bias holds the
 * 4 bias values of those entries (NULL: zero) */
GL_INLINE void gl_finish_v4(gl_v4 v, float *c, long off, const float *bias, int first, int last,
                            const gl_epilogue *e, gl_v4 slope) {
    if (first && e->overwrite) {
        if (bias) v = v4_add(v, v4_load(bias));
    } else {
        v = v4_add(v, v4_load(c + off));
    }
    if (last && e->kind == 2) v = gl_act_backward_v4(v, v4_load(e->z + off), v4_load(e->a + off), e->act, slope);
    v4_store(c + off, v);
    if (last && e->kind == 1)
        v4_store(e->out + off, e->act == GL_ACT_RELU || e->act == GL_ACT_TANH ? gl_act_forward_v4(v, e->act, slope)
                                                                              : gl_act_forward_call(v, e->act, slope));
}

/* n (0..4) products p[0..n) for C[off .. off+n): through zero-padded copies, so the arithmetic is
 * the same as for whole vectors and nothing past the n entries is read or written */
static inline void gl_finish_part(const float *p, int n, float *C, long off, const float *bias, int first,
                                  int last, const gl_epilogue *e) {
    float v[4] = {0}, c[4] = {0}, b[4] = {0}, z[4] = {0}, a[4] = {0}, out[4];
    for (int q = 0; q < n; ++q) {
        v[q] = p[q];
        c[q] = C[off + q];
        if (bias) b[q] = bias[q];
        if (e->kind == 2) { z[q] = e->z[off + q]; a[q] = e->a[off + q]; }
    }
    gl_epilogue local = *e;
    local.z = z; local.a = a; local.out = out;
    gl_finish_v4(v4_load(v), c, 0, bias ? b : 0, first, last, &local, v4_splat(e->slope));
    for (int q = 0; q < n; ++q) {
        C[off + q] = c[q];
        if (last && e->kind == 1) e->out[off + q] = out[q];
    }
}

/* n (any) consecutive products p[0..n) for C[off .. off+n); bias as for gl_finish_v4 (n values) */
static inline void gl_finish_span(const float *p, int n, float *C, long off, const float *bias, int first,
                                  int last, const gl_epilogue *e) {
    gl_v4 slope = v4_splat(e->slope);
    int q = 0;
    for (; q + 4 <= n; q += 4) gl_finish_v4(v4_load(p + q), C, off + q, bias ? bias + q : 0, first, last, e, slope);
    if (q < n) gl_finish_part(p + q, n - q, C, off + q, bias ? bias + q : 0, first, last, e);
}

/* the GEMMs of small or narrow shapes that gemm_small.c computes without packing (see there);
 * returns 0 when the shape is not one of them */
int gl_gemm_small(int M, int N, int K, const float *A, long a_rs, long a_cs, const float *B, long b_rs,
                  long b_cs, float *C, const gl_epilogue *e);

#endif
#endif
