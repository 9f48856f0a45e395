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
 * of NR columns laid out k-major (one panel row = NR consecutive floats, zero-padded past N), and A,
 * MC rows by KC at a time, into panels of MR rows (one panel column = MR consecutive floats,
 * zero-padded past M). The micro-kernel then reads both as contiguous streams whichever form
 * (nn, tn, nt) the product has, and keeps an MR x NR tile of C in registers for the whole KC loop:
 * MR*NR/4 accumulators, 2 vectors of B and 1 broadcast of A, within the 16 vector registers wasm
 * engines have on x86-64. MR = 4 measured faster than 6 in Node 20 (whose compiler then spills).
 * Packing transposes 4x4 blocks in registers where the source runs the other way. */
#ifndef GL_GEMM_MR
#define GL_GEMM_MR 4
#endif
enum { MR = GL_GEMM_MR, NR = 8, KC = 256, NC = 512, MC = GL_GEMM_MR * 32 };
static float packed_b[KC * NC] __attribute__((aligned(16)));
static float packed_a[MC * KC] __attribute__((aligned(16)));

/* op(B)(k, j) = B[k*b_rs + j*b_cs] for k < kc, j < nc, into panels of NR columns at P */
static void pack_b(int kc, int nc, const float *B, long b_rs, long b_cs, float *P) {
    for (int j0 = 0; j0 < nc; j0 += NR) {
        int w = nc - j0 < NR ? nc - j0 : NR;
        float *p = P + (long)j0 * kc;
        if (b_cs == 1 && w == NR) {
            for (int k = 0; k < kc; ++k) {
                const float *b = B + (long)k * b_rs + j0;
                v4_store(p + k * NR, v4_load(b));
                v4_store(p + k * NR + 4, v4_load(b + 4));
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
static void pack_a(int mc, int kc, const float *A, long a_rs, long a_cs, float *P) {
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

/* acc(MR, NR) = A panel(MR, kc) . B panel(kc, NR); the row loops unroll and the accumulators
 * stay in registers */
GL_INLINE void kernel_tile(int kc, const float *Ap, const float *Bp, gl_v4 acc[MR][2]) {
    for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = v4_splat(0.0f);
    for (int k = 0; k < kc; ++k) {
        gl_v4 b0 = v4_load(Bp + k * NR), b1 = v4_load(Bp + k * NR + 4);
        const float *a = Ap + k * MR;
        for (int r = 0; r < MR; ++r) {
            gl_v4 ar = v4_splat(a[r]);
            acc[r][0] = v4_add(acc[r][0], v4_mul(ar, b0));
            acc[r][1] = v4_add(acc[r][1], v4_mul(ar, b1));
        }
    }
}

/* a whole MR x NR tile at row i, column j */
GL_INLINE void finish_tile(gl_v4 acc[MR][2], float *C, long ldc, int i, int j, int first, int last,
                           const gl_epilogue *e) {
    gl_v4 slope = v4_splat(e->slope);
    const float *bias = e->bias ? e->bias + j : 0;
    for (int r = 0; r < MR; ++r) {
        long off = (long)(i + r) * ldc + j;
        gl_finish_v4(acc[r][0], C, off, bias, first, last, e, slope);
        gl_finish_v4(acc[r][1], C, off + 4, bias ? bias + 4 : 0, first, last, e, slope);
    }
}

/* a tile cut by the bottom or right edge: mr <= MR rows, nr <= NR columns of the products in t */
static void finish_edge(const float t[MR][NR], int mr, int nr, float *C, long ldc, int i, int j,
                        int first, int last, const gl_epilogue *e) {
    for (int r = 0; r < mr; ++r)
        gl_finish_span(t[r], nr, C, (long)(i + r) * ldc + j, e->bias ? e->bias + j : 0, first, last, e);
}

/* C(M,N) (+)= op(A) . op(B) with the epilogue e, where op(A)(i, k) = A[i*a_rs + k*a_cs] and
 * op(B)(k, j) = B[k*b_rs + j*b_cs]. Unless nonfinite is NULL, *nonfinite is set to 1 when a final
 * value of C is infinite or NaN, checked as each tile is finished (in L1, not in a pass of its own).
 * The name is kept: tests/js/builds.test.mjs looks for it. */
static void gemm_strided(int M, int N, int K, const float *A, long a_rs, long a_cs,
                         const float *B, long b_rs, long b_cs, float *C, const gl_epilogue *e, int *nonfinite) {
    gl_v4 bad = v4_splat(0.0f);
    for (int jc = 0; jc < N; jc += NC) {
        int nc = N - jc < NC ? N - jc : NC;
        for (int pc = 0; pc < K || pc == 0; pc += KC) {
            int kc = K - pc < KC ? K - pc : KC;
            int first = pc == 0, last = pc + KC >= K;
            pack_b(kc, nc, B + (long)pc * b_rs + (long)jc * b_cs, b_rs, b_cs, packed_b);
            for (int ic = 0; ic < M; ic += MC) {
                int mc = M - ic < MC ? M - ic : MC;
                pack_a(mc, kc, A + (long)ic * a_rs + (long)pc * a_cs, a_rs, a_cs, packed_a);
                for (int ir = 0; ir < mc; ir += MR) {
                    int mr = mc - ir < MR ? mc - ir : MR;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = nc - jr < NR ? nc - jr : NR;
                        gl_v4 acc[MR][2];
                        kernel_tile(kc, packed_a + (long)ir * kc, packed_b + (long)jr * kc, acc);
                        if (mr == MR && nr == NR) {
                            finish_tile(acc, C, N, ic + ir, jc + jr, first, last, e);
                            if (nonfinite && last)
                                for (int r = 0; r < MR; ++r) {
                                    const float *c = C + (long)(ic + ir + r) * N + jc + jr;
                                    gl_v4 c0 = v4_load(c), c1 = v4_load(c + 4);
                                    bad = v4_or(bad, v4_or(v4_sub(c0, c0), v4_sub(c1, c1)));
                                }
                        } else {
                            float t[MR][NR];
                            for (int r = 0; r < MR; ++r) { v4_store(t[r], acc[r][0]); v4_store(t[r] + 4, acc[r][1]); }
                            finish_edge(t, mr, nr, C, N, ic + ir, jc + jr, first, last, e);
                            if (nonfinite && last)
                                for (int r = 0; r < mr; ++r)
                                    if (!gl_all_finite(C + (long)(ic + ir + r) * N + jc + jr, nr)) *nonfinite = 1;
                        }
                    }
                }
            }
        }
    }
    if (nonfinite && v4_sum(bad) != 0.0f) *nonfinite = 1;
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
void gl_gemm_nn_bias_act(int M, int N, int K, const float *A, const float *B, const float *bias,
                         float *C, float *out, int act, float slope) {
    gl_gemm_nn_bias_act_ref(M, N, K, A, B, bias, C, out, act, slope);
}
void gl_gemm_nt_deriv(int M, int N, int K, const float *A, const float *B, float *C,
                      const float *z, const float *a, int act, float slope) {
    gl_gemm_nt_deriv_ref(M, N, K, A, B, C, z, a, act, slope);
}
#endif
