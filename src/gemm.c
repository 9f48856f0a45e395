#include "gemm.h"
#include "activation.h"
#include "gemm_tile.h"
#include "optimizer.h" /* gl_all_finite */

void gl_gemm_nn_ref(int M, int N, int K, const float *A, const float *B, float *C) {
    for (int i = 0; i < M; ++i)
        for (int k = 0; k < K; ++k) {
            float a = A[(long)i * K + k];
            const float *b = B + (long)k * N;
            float *c = C + (long)i * N;
            for (int j = 0; j < N; ++j) c[j] += a * b[j];
        }
}

void gl_gemm_tn_ref(int M, int N, int K, const float *A, const float *B, float *C) {
    for (int k = 0; k < K; ++k)
        for (int i = 0; i < M; ++i) {
            float a = A[(long)k * M + i];
            const float *b = B + (long)k * N;
            float *c = C + (long)i * N;
            for (int j = 0; j < N; ++j) c[j] += a * b[j];
        }
}

int gl_gemm_tn_set_ref(int M, int N, int K, const float *A, const float *B, float *C) {
    for (long i = 0; i < (long)M * N; ++i) C[i] = 0.0f;
    gl_gemm_tn_ref(M, N, K, A, B, C);
    return gl_all_finite(C, (long)M * N);
}

void gl_gemm_nt_ref(int M, int N, int K, const float *A, const float *B, float *C) {
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            float s = 0.0f;
            for (int k = 0; k < K; ++k) s += A[(long)i * K + k] * B[(long)j * K + k];
            C[(long)i * N + j] += s;
        }
}

void gl_gemm_nn_bias_ref(int M, int N, int K, const float *A, const float *B, const float *bias, float *C) {
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) C[(long)i * N + j] = bias ? bias[j] : 0.0f;
    gl_gemm_nn_ref(M, N, K, A, B, C);
}

void gl_gemm_nt_set_ref(int M, int N, int K, const float *A, const float *B, float *C) {
    for (long i = 0; i < (long)M * N; ++i) C[i] = 0.0f;
    gl_gemm_nt_ref(M, N, K, A, B, C);
}

void gl_gemm_nn_bias_act_ref(int M, int N, int K, const float *A, const float *B, const float *bias,
                             float *C, float *out, int act, float slope) {
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) C[(long)i * N + j] = bias ? bias[j] : 0.0f;
    gl_gemm_nn_ref(M, N, K, A, B, C);
    gl_activation_forward_ref(out, C, M, N, act, slope);
}

void gl_gemm_nt_deriv_ref(int M, int N, int K, const float *A, const float *B, float *C,
                          const float *z, const float *a, int act, float slope) {
    for (long i = 0; i < (long)M * N; ++i) C[i] = 0.0f;
    gl_gemm_nt_ref(M, N, K, A, B, C);
    gl_activation_backward_ref(C, C, z, a, (long)M * N, act, slope);
}

#ifdef GL_VEC4

/* Blocking, after Goto and van de Geijn: B is packed, KC rows by NC columns at a time, into panels
 * of nr columns laid out k-major (one panel row = nr consecutive floats, zero-padded past N), and A,
 * MC = 32 mr rows by KC at a time, into panels of mr rows (one panel column = mr consecutive floats,
 * zero-padded past M). The micro-kernel then reads both as contiguous streams whichever form
 * (nn, tn, nt) the product has, and keeps an mr x nr tile of C in registers for the whole KC loop.
 * Packing transposes 4x4 blocks in registers where the source runs the other way.
 *
 * The micro-kernel comes in variants (the table `variants` below): tile shapes mr x nr and two ways
 * of broadcasting A. "loadsplat" reads each A value straight into four lanes (v128.load32_splat,
 * one load per row and k); "splat" loads the four rows of one k as a vector and copies each lane
 * across with a shuffle (one load and four shuffles). Which is faster depends on the engine's code
 * for the host: on x86 a broadcast load is a load-port operation while shuffles compete on one port,
 * on ARM lane duplication is cheap and there are 32 vector registers instead of 16, so larger tiles
 * (6x8) stop spilling. XNNPACK's wasm SIMD kernels come in x86 and ARM flavours for that reason;
 * here web/lib/kernels.js times the variants at load and selects the fastest (gl_gemm_select). */
enum { KC = 256, NC = 512, MR_MAX = 8, NR_MAX = 16, MC_PANELS = 32 };
static float packed_b[KC * NC] __attribute__((aligned(16)));   /* NC is a multiple of every nr */
static float packed_a[MR_MAX * MC_PANELS * KC] __attribute__((aligned(16)));

/* op(B)(k, j) = B[k*b_rs + j*b_cs] for k < kc, j < nc, into panels of NR columns at P */
GL_INLINE void pack_b_t(const int NR, int kc, int nc, const float *B, long b_rs, long b_cs, float *P) {
    for (int j0 = 0; j0 < nc; j0 += NR) {
        int w = nc - j0 < NR ? nc - j0 : NR;
        float *p = P + (long)j0 * kc;
        if (b_cs == 1 && w == NR) {
            for (int k = 0; k < kc; ++k) {
                const float *b = B + (long)k * b_rs + j0;
                for (int h = 0; h < NR; h += 4) v4_store(p + k * NR + h, v4_load(b + h));
            }
        } else if (b_rs == 1 && w == NR) {
            /* B^T: each panel column is a contiguous row of the stored matrix */
            const float *b = B + (long)j0 * b_cs;
            int k = 0;
            for (; k + 4 <= kc; k += 4)
                for (int h = 0; h < NR; h += 4) {
                    gl_v4 r[4];
                    for (int q = 0; q < 4; ++q) r[q] = v4_load(b + (long)(h + q) * b_cs + k);
                    v4_transpose(r);
                    for (int q = 0; q < 4; ++q) v4_store(p + (k + q) * NR + h, r[q]);
                }
            for (; k < kc; ++k)
                for (int jj = 0; jj < NR; ++jj) p[k * NR + jj] = b[(long)jj * b_cs + k];
        } else {
            for (int k = 0; k < kc; ++k)
                for (int jj = 0; jj < NR; ++jj)
                    p[k * NR + jj] = jj < w ? B[(long)k * b_rs + (long)(j0 + jj) * b_cs] : 0.0f;
        }
    }
}

/* op(A)(i, k) = A[i*a_rs + k*a_cs] for i < mc, k < kc, into panels of MR rows at P */
GL_INLINE void pack_a_t(const int MR, int mc, int kc, const float *A, long a_rs, long a_cs, float *P) {
    for (int i0 = 0; i0 < mc; i0 += MR) {
        int h = mc - i0 < MR ? mc - i0 : MR;
        float *p = P + (long)i0 * kc;
        if (a_rs == 1 && h == MR && MR % 4 == 0) {
            /* A^T: the MR values of one k are contiguous already */
            const float *a = A + i0;
            for (int k = 0; k < kc; ++k)
                for (int r = 0; r < MR; r += 4) v4_store(p + k * MR + r, v4_load(a + (long)k * a_cs + r));
        } else if (a_cs == 1 && h == MR && MR % 4 == 0) {
            /* A row-major: 4x4 blocks turn rows into panel columns */
            int k = 0;
            for (; k + 4 <= kc; k += 4)
                for (int g = 0; g < MR; g += 4) {
                    gl_v4 r[4];
                    for (int q = 0; q < 4; ++q) r[q] = v4_load(A + (long)(i0 + g + q) * a_rs + k);
                    v4_transpose(r);
                    for (int q = 0; q < 4; ++q) v4_store(p + (k + q) * MR + g, r[q]);
                }
            for (; k < kc; ++k)
                for (int r = 0; r < MR; ++r) p[k * MR + r] = A[(long)(i0 + r) * a_rs + k];
        } else {
            for (int r = 0; r < MR; ++r) {
                const float *a = A + (long)(i0 + r) * a_rs;
                if (r < h) for (int k = 0; k < kc; ++k) p[k * MR + r] = a[(long)k * a_cs];
                else for (int k = 0; k < kc; ++k) p[k * MR + r] = 0.0f;
            }
        }
    }
}

/* lane r (a constant once inlined) of v in every lane */
GL_INLINE gl_v4 dup_lane(gl_v4 v, const int r) {
    switch (r & 3) {
    case 0: return v4_dup(v, 0);
    case 1: return v4_dup(v, 1);
    case 2: return v4_dup(v, 2);
    default: return v4_dup(v, 3);
    }
}

/* acc(MR, NR) = A panel(MR, kc) . B panel(kc, NR); with constant MR, NR the loops unroll and the
 * accumulators stay in registers. SPLAT (MR a multiple of 4): A by vector loads and lane shuffles. */
GL_INLINE void kernel_tile(const int MR, const int NR, const int SPLAT, int kc, const float *Ap, const float *Bp,
                           gl_v4 acc[MR_MAX][NR_MAX / 4]) {
    Bp = __builtin_assume_aligned(Bp, 16); /* panels start on 16 bytes (nr is a multiple of 4) */
    for (int r = 0; r < MR; ++r)
        for (int q = 0; q < NR / 4; ++q) acc[r][q] = v4_splat(0.0f);
    for (int k = 0; k < kc; ++k) {
        gl_v4 b[NR_MAX / 4];
        for (int q = 0; q < NR / 4; ++q) b[q] = v4_load(Bp + k * NR + 4 * q);
        const float *a = Ap + k * MR;
        if (SPLAT) {
            for (int g = 0; g < MR; g += 4) {
                gl_v4 av = v4_load(a + g);
                for (int r = 0; r < 4; ++r) {
                    gl_v4 ar = dup_lane(av, r);
                    for (int q = 0; q < NR / 4; ++q) acc[g + r][q] = v4_add(acc[g + r][q], v4_mul(ar, b[q]));
                }
            }
        } else {
            for (int r = 0; r < MR; ++r) {
                gl_v4 ar = v4_splat(a[r]);
                for (int q = 0; q < NR / 4; ++q) acc[r][q] = v4_add(acc[r][q], v4_mul(ar, b[q]));
            }
        }
    }
}

/* a tile cut by the bottom or right edge: mr rows, nr columns of the products in t (row stride ldt) */
static void finish_edge(const float *t, int ldt, int mr, int nr, float *C, long ldc, int i, int j,
                        int first, int last, const gl_epilogue *e) {
    for (int r = 0; r < mr; ++r)
        gl_finish_span(t + r * ldt, nr, C, (long)(i + r) * ldc + j, e->bias ? e->bias + j : 0, first, last, e);
}

/* every MR x NR tile of the packed block (mc rows of packed_a, nc columns of packed_b) into C at
 * row i0, column j0, with the epilogue e; unless nonfinite is NULL, the finished values of the last
 * K block are checked for infinity and NaN (edges into *nonfinite; whole tiles into the vector
 * returned, which is nonzero where a value was not finite) */
GL_INLINE gl_v4 blocks_t(const int MR, const int NR, const int SPLAT, int mc, int nc, int kc, const float *pa,
                         const float *pb, float *C, long ldc, int i0, int j0, int first, int last,
                         const gl_epilogue *e, int *nonfinite) {
    /* in memory, not in a local: a vector live across the k loop takes one of the registers the
     * accumulators need (Node 20 then ran the product 3% slower) */
    float bad_lanes[4] __attribute__((aligned(16))) = {0};
    for (int ir = 0; ir < mc; ir += MR) {
        int mr = mc - ir < MR ? mc - ir : MR;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = nc - jr < NR ? nc - jr : NR;
            gl_v4 acc[MR_MAX][NR_MAX / 4];
            kernel_tile(MR, NR, SPLAT, kc, pa + (long)ir * kc, pb + (long)jr * kc, acc);
            int i = i0 + ir, j = j0 + jr;
            if (mr == MR && nr == NR) {
                /* splatted here, not before the loops (see bad_lanes) */
                gl_v4 slope = v4_splat(e->slope);
                const float *bias = e->bias ? e->bias + j : 0;
                for (int r = 0; r < MR; ++r) {
                    long off = (long)(i + r) * ldc + j;
                    for (int q = 0; q < NR / 4; ++q)
                        gl_finish_v4(acc[r][q], C, off + 4 * q, bias ? bias + 4 * q : 0, first, last, e, slope);
                }
                if (nonfinite && last) {
                    gl_v4 b = v4_load(bad_lanes);
                    for (int r = 0; r < MR; ++r) {
                        const float *c = C + (long)(i + r) * ldc + j;
                        for (int q = 0; q < NR / 4; ++q) {
                            gl_v4 v = v4_load(c + 4 * q);
                            b = v4_or(b, v4_sub(v, v));
                        }
                    }
                    v4_store(bad_lanes, b);
                }
            } else {
                float t[MR_MAX * NR_MAX] __attribute__((aligned(16)));
                for (int r = 0; r < MR; ++r)
                    for (int q = 0; q < NR / 4; ++q) v4_store(t + r * NR + 4 * q, acc[r][q]);
                finish_edge(t, NR, mr, nr, C, ldc, i, j, first, last, e);
                if (nonfinite && last)
                    for (int r = 0; r < mr; ++r)
                        if (!gl_all_finite(C + (long)(i + r) * ldc + j, nr)) *nonfinite = 1;
            }
        }
    }
    return v4_load(bad_lanes);
}

/* C(M,N) (+)= op(A) . op(B) with the epilogue e, where op(A)(i, k) = A[i*a_rs + k*a_cs] and
 * op(B)(k, j) = B[k*b_rs + j*b_cs], with one micro-kernel variant (MR, NR, SPLAT constant once
 * inlined, so packing and blocks are compiled for that tile). Unless nonfinite is NULL, *nonfinite
 * is set to 1 when a final value of C is infinite or NaN, checked as each tile is finished (in L1,
 * not in a pass of its own). */
GL_INLINE void packed_t(const int MR, const int NR, const int SPLAT, int M, int N, int K, const float *A,
                        long a_rs, long a_cs, const float *B, long b_rs, long b_cs, float *C,
                        const gl_epilogue *e, int *nonfinite) {
    const int MC = MC_PANELS * MR;
    gl_v4 bad = v4_splat(0.0f);
    for (int jc = 0; jc < N; jc += NC) {
        int nc = N - jc < NC ? N - jc : NC;
        for (int pc = 0; pc < K || pc == 0; pc += KC) {
            int kc = K - pc < KC ? K - pc : KC;
            int first = pc == 0, last = pc + KC >= K;
            pack_b_t(NR, kc, nc, B + (long)pc * b_rs + (long)jc * b_cs, b_rs, b_cs, packed_b);
            for (int ic = 0; ic < M; ic += MC) {
                int mc = M - ic < MC ? M - ic : MC;
                pack_a_t(MR, mc, kc, A + (long)ic * a_rs + (long)pc * a_cs, a_rs, a_cs, packed_a);
                bad = v4_or(bad, blocks_t(MR, NR, SPLAT, mc, nc, kc, packed_a, packed_b, C, N, ic, jc, first,
                                          last, e, nonfinite));
            }
        }
    }
    if (nonfinite && v4_sum(bad) != 0.0f) *nonfinite = 1;
}

/* one function per variant, packed_<tile>_<broadcast>, reached through the table below: one
 * indirect call per product, and no function with a single caller for binaryen to merge into it */
typedef void (*packed_fn)(int M, int N, int K, const float *A, long a_rs, long a_cs, const float *B, long b_rs,
                          long b_cs, float *C, const gl_epilogue *e, int *nonfinite);
#define VARIANT(fn, MR_, NR_, SPLAT_)                                                                     \
    static void fn(int M, int N, int K, const float *A, long a_rs, long a_cs, const float *B, long b_rs,   \
                   long b_cs, float *C, const gl_epilogue *e, int *nonfinite) {                            \
        packed_t(MR_, NR_, SPLAT_, M, N, K, A, a_rs, a_cs, B, b_rs, b_cs, C, e, nonfinite);               \
    }
VARIANT(packed_4x8_loadsplat, 4, 8, 0)
VARIANT(packed_4x8_splat, 4, 8, 1)
VARIANT(packed_8x4_loadsplat, 8, 4, 0)
VARIANT(packed_2x16_loadsplat, 2, 16, 0)
VARIANT(packed_6x8_loadsplat, 6, 8, 0)

/* the variants, the first the default (measured fastest on Intel Xeon in Node 20) */
static const struct {
    const char *name;
    int mr, nr;
    packed_fn run;
} variants[] = {
    {"4x8-loadsplat", 4, 8, packed_4x8_loadsplat},
    {"4x8-splat", 4, 8, packed_4x8_splat},
    {"8x4-loadsplat", 8, 4, packed_8x4_loadsplat},
    {"2x16-loadsplat", 2, 16, packed_2x16_loadsplat},
    {"6x8-loadsplat", 6, 8, packed_6x8_loadsplat},
};
enum { VARIANTS = sizeof variants / sizeof variants[0] };
static int chosen = 0;

/* the product by the selected variant */
static void gemm_strided(int M, int N, int K, const float *A, long a_rs, long a_cs,
                         const float *B, long b_rs, long b_cs, float *C, const gl_epilogue *e, int *nonfinite) {
    variants[chosen].run(M, N, K, A, a_rs, a_cs, B, b_rs, b_cs, C, e, nonfinite);
}

int gl_gemm_variant_count(void) { return VARIANTS; }
const char *gl_gemm_variant_name(int i) { return i >= 0 && i < VARIANTS ? variants[i].name : ""; }
int gl_gemm_variant_tile(int i) { return i >= 0 && i < VARIANTS ? variants[i].mr * 100 + variants[i].nr : 0; }
int gl_gemm_selected(void) { return chosen; }
int gl_gemm_select(int i) {
    if (i < 0 || i >= VARIANTS) return -1;
    chosen = i;
    return i;
}

/* small and narrow shapes first (gemm_small.c), the packed path for the rest. Each public function
 * calls both, so that neither has a single caller: binaryen inlines such functions into their caller,
 * and one function holding every kernel made Node 20 compile the packed loop 40% slower. */
#define GEMM(M, N, K, A, a_rs, a_cs, B, b_rs, b_cs, C, e) \
    do { if (!gl_gemm_small(M, N, K, A, a_rs, a_cs, B, b_rs, b_cs, C, e)) \
             gemm_strided(M, N, K, A, a_rs, a_cs, B, b_rs, b_cs, C, e, 0); } while (0)

static const gl_epilogue accumulate = {0, 0, 0, 0, 0.0f, 0, 0, 0};

void gl_gemm_nn(int M, int N, int K, const float *A, const float *B, float *C) {
    GEMM(M, N, K, A, K, 1, B, N, 1, C, &accumulate);
}
void gl_gemm_tn(int M, int N, int K, const float *A, const float *B, float *C) {
    GEMM(M, N, K, A, 1, M, B, N, 1, C, &accumulate);
}
void gl_gemm_nt(int M, int N, int K, const float *A, const float *B, float *C) {
    GEMM(M, N, K, A, K, 1, B, 1, K, C, &accumulate);
}
int gl_gemm_tn_set(int M, int N, int K, const float *A, const float *B, float *C) {
    static const gl_epilogue store = {1, 0, 0, 0, 0.0f, 0, 0, 0};
    if (gl_gemm_small(M, N, K, A, 1, M, B, N, 1, C, &store)) return gl_all_finite(C, (long)M * N); /* small: cheap */
    int nonfinite = 0;
    gemm_strided(M, N, K, A, 1, M, B, N, 1, C, &store, &nonfinite);
    return !nonfinite;
}
void gl_gemm_nn_bias(int M, int N, int K, const float *A, const float *B, const float *bias, float *C) {
    gl_epilogue e = {1, bias, 0, 0, 0.0f, 0, 0, 0};
    GEMM(M, N, K, A, K, 1, B, N, 1, C, &e);
}
void gl_gemm_nt_set(int M, int N, int K, const float *A, const float *B, float *C) {
    static const gl_epilogue store = {1, 0, 0, 0, 0.0f, 0, 0, 0};
    GEMM(M, N, K, A, K, 1, B, 1, K, C, &store);
}
void gl_gemm_nn_bias_act(int M, int N, int K, const float *A, const float *B, const float *bias,
                         float *C, float *out, int act, float slope) {
    int rowwise = act == GL_ACT_SOFTMAX;
    gl_epilogue e = {1, bias, rowwise ? 0 : 1, act, slope, out, 0, 0};
    GEMM(M, N, K, A, K, 1, B, N, 1, C, &e);
    if (rowwise) gl_activation_forward(out, C, M, N, act, slope);
}
void gl_gemm_nt_deriv(int M, int N, int K, const float *A, const float *B, float *C,
                      const float *z, const float *a, int act, float slope) {
    gl_epilogue e = {1, 0, 2, act, slope, 0, z, a};
    GEMM(M, N, K, A, K, 1, B, 1, K, C, &e);
}

#else /* no 4-lane kernels: the references are the kernels */

int gl_gemm_variant_count(void) { return 1; }
const char *gl_gemm_variant_name(int i) { return i == 0 ? "reference" : ""; }
int gl_gemm_variant_tile(int i) { return i == 0 ? 101 : 0; }
int gl_gemm_selected(void) { return 0; }
int gl_gemm_select(int i) { return i == 0 ? 0 : -1; }

void gl_gemm_nn(int M, int N, int K, const float *A, const float *B, float *C) {
    gl_gemm_nn_ref(M, N, K, A, B, C);
}
void gl_gemm_tn(int M, int N, int K, const float *A, const float *B, float *C) {
    gl_gemm_tn_ref(M, N, K, A, B, C);
}
void gl_gemm_nt(int M, int N, int K, const float *A, const float *B, float *C) {
    gl_gemm_nt_ref(M, N, K, A, B, C);
}
int gl_gemm_tn_set(int M, int N, int K, const float *A, const float *B, float *C) {
    return gl_gemm_tn_set_ref(M, N, K, A, B, C);
}
void gl_gemm_nn_bias(int M, int N, int K, const float *A, const float *B, const float *bias, float *C) {
    gl_gemm_nn_bias_ref(M, N, K, A, B, bias, C);
}
void gl_gemm_nt_set(int M, int N, int K, const float *A, const float *B, float *C) {
    gl_gemm_nt_set_ref(M, N, K, A, B, C);
}
void gl_gemm_nn_bias_act(int M, int N, int K, const float *A, const float *B, const float *bias,
                         float *C, float *out, int act, float slope) {
    gl_gemm_nn_bias_act_ref(M, N, K, A, B, bias, C, out, act, slope);
}
void gl_gemm_nt_deriv(int M, int N, int K, const float *A, const float *B, float *C,
                      const float *z, const float *a, int act, float slope) {
    gl_gemm_nt_deriv_ref(M, N, K, A, B, C, z, a, act, slope);
}
#endif

int gl_gemm_trial(int variant, int M, int N, int K, const float *A, const float *B, float *C, int reps) {
    if (variant < 0 || variant >= gl_gemm_variant_count() || M < 1 || N < 1 || K < 1 || reps < 0 || !A || !B || !C)
        return -1;
    int before = gl_gemm_selected();
    gl_gemm_select(variant);
    for (int r = 0; r < reps; ++r) gl_gemm_nn(M, N, K, A, B, C);
    gl_gemm_select(before);
    return 0;
}
