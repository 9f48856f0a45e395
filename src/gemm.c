#include "gemm.h"
#include "activation.h"
#include "simd_math.h"

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
 * of NR columns laid out k-major (one panel row = NR consecutive floats, zero-padded past N), so
 * the micro-kernel reads B as one contiguous stream whichever form B had. The micro-kernel keeps an
 * MR x NR tile of C in registers (MR*NR/4 = 8 vectors, plus 2 of B and 1 broadcast of A: 11 of the
 * 16 that wasm engines map v128 to on x86-64) for the whole KC loop. A is read in place through
 * two strides, so one kernel serves A (nn, nt) and A^T (tn). */
enum { MR = 4, NR = 8, KC = 256, NC = 512 };
static float packed[KC * NC] __attribute__((aligned(16)));

/* B(k, j) = B[k*b_rs + j*b_cs] for k < kc, j < nc, into panels of NR columns at P */
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
            for (int k = 0; k < kc; ++k)
                for (int jj = 0; jj < NR; ++jj) p[k * NR + jj] = b[(long)jj * b_cs + k];
        } else {
            for (int k = 0; k < kc; ++k)
                for (int jj = 0; jj < NR; ++jj)
                    p[k * NR + jj] = jj < w ? B[(long)k * b_rs + (long)(j0 + jj) * b_cs] : 0.0f;
        }
    }
}

/* acc(mr, NR) = op(A)(mr, kc) . panel(kc, NR); mr is a constant at each call, so the row loops
 * unroll and the accumulators stay in registers */
GL_INLINE void kernel_mx8(const int mr, int kc, const float *A, long a_rs, long a_cs, const float *P,
                          gl_v4 acc[MR][2]) {
    for (int r = 0; r < mr; ++r) acc[r][0] = acc[r][1] = v4_splat(0.0f);
    for (int k = 0; k < kc; ++k) {
        gl_v4 b0 = v4_load(P + k * NR), b1 = v4_load(P + k * NR + 4);
        const float *a = A + (long)k * a_cs;
        for (int r = 0; r < mr; ++r) {
            gl_v4 ar = v4_splat(a[(long)r * a_rs]);
            acc[r][0] = v4_add(acc[r][0], v4_mul(ar, b0));
            acc[r][1] = v4_add(acc[r][1], v4_mul(ar, b1));
        }
    }
}

/* what a product does with a finished tile */
typedef struct {
    int overwrite;          /* the first K block stores bias + acc instead of adding to C */
    const float *bias;      /* (N) or NULL for zero; only with overwrite */
    int kind;               /* 0 none, 1 out = f(C), 2 C *= f'(z, a) */
    int act;
    float slope;
    float *out;             /* kind 1: (M,N) */
    const float *z, *a;     /* kind 2: (M,N) */
} epilogue;

/* one vector of a tile row: v is the accumulated product for C[off .. off+3], which lies in row
 * i and columns j .. j+3 of the whole (ldc-wide) matrices */
GL_INLINE void finish_v4(gl_v4 v, float *c, long off, const float *bias, int first, int last,
                         const epilogue *e, gl_v4 slope) {
    if (first && e->overwrite) {
        if (bias) v = v4_add(v, v4_load(bias));
    } else {
        v = v4_add(v, v4_load(c + off));
    }
    if (last && e->kind == 2) v = gl_act_backward_v4(v, v4_load(e->z + off), v4_load(e->a + off), e->act, slope);
    v4_store(c + off, v);
    if (last && e->kind == 1) v4_store(e->out + off, gl_act_forward_v4(v, e->act, slope));
}

/* adds/stores the tile acc (mr rows, nr <= NR columns valid) at row i, column j of C */
GL_INLINE void finish_tile(const int mr, int nr, gl_v4 acc[MR][2], float *C, long ldc, int i, int j,
                           int first, int last, const epilogue *e) {
    gl_v4 slope = v4_splat(e->slope);
    const float *bias = e->bias ? e->bias + j : 0;
    if (nr == NR) {
        for (int r = 0; r < mr; ++r) {
            long off = (long)(i + r) * ldc + j;
            finish_v4(acc[r][0], C, off, bias, first, last, e, slope);
            finish_v4(acc[r][1], C, off + 4, bias ? bias + 4 : 0, first, last, e, slope);
        }
        return;
    }
    /* a partial tile at the right edge goes through padded copies of every row it touches */
    for (int r = 0; r < mr; ++r) {
        long off = (long)(i + r) * ldc + j;
        float c[NR] = {0}, b[NR] = {0}, z[NR] = {0}, a[NR] = {0}, out[NR];
        for (int t = 0; t < nr; ++t) {
            c[t] = C[off + t];
            if (bias) b[t] = bias[t];
            if (e->kind == 2) { z[t] = e->z[off + t]; a[t] = e->a[off + t]; }
        }
        epilogue local = *e;
        local.z = z; local.a = a; local.out = out;
        finish_v4(acc[r][0], c, 0, bias ? b : 0, first, last, &local, slope);
        finish_v4(acc[r][1], c, 4, bias ? b + 4 : 0, first, last, &local, slope);
        for (int t = 0; t < nr; ++t) {
            C[off + t] = c[t];
            if (last && e->kind == 1) e->out[off + t] = out[t];
        }
    }
}

/* C(M,N) (+)= op(A) . op(B) with the epilogue e, where op(A)[i][k] = A[i*a_rs + k*a_cs] and
 * op(B)[k][j] = B[k*b_rs + j*b_cs] */
static void gemm_strided(int M, int N, int K, const float *A, long a_rs, long a_cs,
                         const float *B, long b_rs, long b_cs, float *C, const epilogue *e) {
    for (int jc = 0; jc < N; jc += NC) {
        int nc = N - jc < NC ? N - jc : NC;
        for (int pc = 0; pc < K || pc == 0; pc += KC) {
            int kc = K - pc < KC ? K - pc : KC;
            pack_b(kc, nc, B + (long)pc * b_rs + (long)jc * b_cs, b_rs, b_cs, packed);
            int first = pc == 0, last = pc + KC >= K;
            const float *Ak = A + (long)pc * a_cs;
            int i = 0;
            gl_v4 acc[MR][2];
            for (; i + MR <= M; i += MR)
                for (int jr = 0; jr < nc; jr += NR) {
                    kernel_mx8(MR, kc, Ak + (long)i * a_rs, a_rs, a_cs, packed + (long)jr * kc, acc);
                    finish_tile(MR, nc - jr < NR ? nc - jr : NR, acc, C, N, i, jc + jr, first, last, e);
                }
            for (; i < M; ++i)
                for (int jr = 0; jr < nc; jr += NR) {
                    kernel_mx8(1, kc, Ak + (long)i * a_rs, a_rs, a_cs, packed + (long)jr * kc, acc);
                    finish_tile(1, nc - jr < NR ? nc - jr : NR, acc, C, N, i, jc + jr, first, last, e);
                }
        }
    }
}

static const epilogue accumulate = {0, 0, 0, 0, 0.0f, 0, 0, 0};

void gl_gemm_nn(int M, int N, int K, const float *A, const float *B, float *C) {
    gemm_strided(M, N, K, A, K, 1, B, N, 1, C, &accumulate);
}
void gl_gemm_tn(int M, int N, int K, const float *A, const float *B, float *C) {
    gemm_strided(M, N, K, A, 1, M, B, N, 1, C, &accumulate);
}
void gl_gemm_nt(int M, int N, int K, const float *A, const float *B, float *C, float *work) {
    (void)work;
    gemm_strided(M, N, K, A, K, 1, B, 1, K, C, &accumulate);
}
void gl_gemm_nn_bias_act(int M, int N, int K, const float *A, const float *B, const float *bias,
                         float *C, float *out, int act, float slope) {
    int rowwise = act == GL_ACT_SOFTMAX;
    epilogue e = {1, bias, rowwise ? 0 : 1, act, slope, out, 0, 0};
    gemm_strided(M, N, K, A, K, 1, B, N, 1, C, &e);
    if (rowwise) gl_activation_forward(out, C, M, N, act, slope);
}
void gl_gemm_nt_deriv(int M, int N, int K, const float *A, const float *B, float *C,
                      const float *z, const float *a, int act, float slope) {
    epilogue e = {1, 0, 2, act, slope, 0, z, a};
    gemm_strided(M, N, K, A, K, 1, B, 1, K, C, &e);
}

#else /* no 4-lane kernels: the references are the kernels */

void gl_gemm_nn(int M, int N, int K, const float *A, const float *B, float *C) {
    gl_gemm_nn_ref(M, N, K, A, B, C);
}
void gl_gemm_tn(int M, int N, int K, const float *A, const float *B, float *C) {
    gl_gemm_tn_ref(M, N, K, A, B, C);
}
void gl_gemm_nt(int M, int N, int K, const float *A, const float *B, float *C, float *work) {
    (void)work;
    gl_gemm_nt_ref(M, N, K, A, B, C);
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
