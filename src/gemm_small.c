/* gemm_small.c: the GEMMs of small networks, computed straight from the stored matrices.
 * gemm.c's packed kernel pays for packing both operands and for 8-column tiles; on a 2-32-32-2
 * network most products are narrow (2 output columns, 2 inputs) or small enough to sit in L1, and
 * that overhead is most of their time. Three kernels here, picked by the shape and the layout
 * (op(A)(i, k) = A[i*a_rs + k*a_cs], op(B)(k, j) = B[k*b_rs + j*b_cs], as in gemm.c):
 *  - dot (N <= 4, rows of A contiguous: nn, nt): each entry is a dot product of a row of A with a
 *    column of op(B), vectorised along k; a block of R rows x N columns of row-major C is R*N
 *    consecutive floats, so its horizontal sums come out as whole vectors of C (and of z, a, out).
 *    nt reads B in place; nn first copies the N columns of B into rows.
 *  - mvec (N <= 4, columns of op(A) contiguous: tn): vectorised along M, each k adds a column of A
 *    times the N values of row k of B; shuffles turn the column vectors into rows of C.
 *  - direct (K <= 256 and B small, or M <= 4; or tn with C of at most 2048 floats, N a multiple of 4
 *    and any K, a convolution's filter gradient): gemm.c's 4x8 register tile without packing A. B is read in
 *    place when its rows are contiguous (nn, tn), or transposed once into a buffer (nt); the last
 *    N mod 4 columns go through a zero-padded copy, in one tile with the 4 columns before them when
 *    N mod 8 is 5-7. Tiles of 1-2 rows take 16 columns at a time, then 8.
 * The products are rounded in another order than the references (gemm.c's header), within the same
 * bound; tests/js/kernels.test.mjs reaches every kernel and edge here. */
#include "gemm_tile.h"

#ifdef GL_VEC4

#if defined(__wasm_simd128__)
#define SHUF(a, b, i, j, k, l) wasm_i32x4_shuffle(a, b, i, j, k, l)
#else
#define SHUF(a, b, i, j, k, l) GL_SHUFFLE(a, b, i, j, k, l)
#endif

enum {
    SCRATCH = 16384,      /* floats of B transposed (nt's direct path, nn's dot path) */
    DIRECT_KMAX = 256,    /* the direct path keeps a tile of C in registers over all of K */
    DIRECT_BMAX = 4096,   /* floats of B the direct path reads in place (L1/L2-resident) */
    LONGK_CMAX = 2048     /* floats of C up to which tn with K > DIRECT_KMAX runs direct */
};
static float scratch[SCRATCH] __attribute__((aligned(16)));
static float edge_b[DIRECT_KMAX * 4] __attribute__((aligned(16)));

/* ---- dot: N <= 4, A(i, k) = A[i*lda + k], op(B)(k, j) = Bt[j*ldbt + k] ---- */

/* [sum a, sum b, sum c, sum d] */
GL_INLINE gl_v4 hadd4(gl_v4 a, gl_v4 b, gl_v4 c, gl_v4 d) {
    gl_v4 x = v4_add(SHUF(a, b, 0, 4, 2, 6), SHUF(a, b, 1, 5, 3, 7));
    gl_v4 y = v4_add(SHUF(c, d, 0, 4, 2, 6), SHUF(c, d, 1, 5, 3, 7));
    return v4_add(SHUF(x, y, 0, 1, 4, 5), SHUF(x, y, 2, 3, 6, 7));
}

/* R rows x NN columns (R*NN a multiple of 4, at most 16) of C at C + off; bpat (R*NN) the bias of
 * each of those entries or NULL */
GL_INLINE void dot_block(int R, int NN, int K, const float *A, long lda, const float *Bt, long ldbt,
                         float *C, long off, const float *bpat, const gl_epilogue *e) {
    gl_v4 acc[16];
    for (int p = 0; p < R * NN; ++p) acc[p] = v4_splat(0.0f);
    int k = 0;
    for (; k + 4 <= K; k += 4) {
        gl_v4 b[4];
        for (int j = 0; j < NN; ++j) b[j] = v4_load(Bt + j * ldbt + k);
        for (int r = 0; r < R; ++r) {
            gl_v4 a = v4_load(A + r * lda + k);
            for (int j = 0; j < NN; ++j) acc[r * NN + j] = v4_add(acc[r * NN + j], v4_mul(a, b[j]));
        }
    }
    float t[16] __attribute__((aligned(16))) = {0};
    for (; k < K; ++k)
        for (int r = 0; r < R; ++r)
            for (int j = 0; j < NN; ++j) t[r * NN + j] += A[r * lda + k] * Bt[j * ldbt + k];
    gl_v4 slope = v4_splat(e->slope);
    for (int g = 0; g < R * NN; g += 4) {
        gl_v4 v = v4_add(hadd4(acc[g], acc[g + 1], acc[g + 2], acc[g + 3]), v4_load(t + g));
        gl_finish_v4(v, C, off + g, bpat ? bpat + g : 0, 1, 1, e, slope);
    }
}

/* one row, NN columns, at C + off */
static void dot_row(int NN, int K, const float *A, const float *Bt, long ldbt, float *C, long off,
                    const gl_epilogue *e) {
    float t[4];
    for (int j = 0; j < NN; ++j) {
        const float *b = Bt + j * ldbt;
        gl_v4 acc = v4_splat(0.0f);
        int k = 0;
        for (; k + 4 <= K; k += 4) acc = v4_add(acc, v4_mul(v4_load(A + k), v4_load(b + k)));
        /* summed as dot_block sums (its hadd4 and its separate tail), so that a row gives the same
         * result whether it is one of a block or left over: one example's output does not depend
         * on the batch it came with */
        float tail = 0.0f;
        for (; k < K; ++k) tail += A[k] * b[k];
        t[j] = ((v4_lane(acc, 0) + v4_lane(acc, 1)) + (v4_lane(acc, 2) + v4_lane(acc, 3))) + tail;
    }
    gl_finish_part(t, NN, C, off, e->bias, 1, 1, e);
}

GL_INLINE void dot_n(int NN, int R, int M, int K, const float *A, long lda, const float *Bt, long ldbt,
                     float *C, const gl_epilogue *e) {
    float bpat[16] __attribute__((aligned(16)));
    const float *bias = e->overwrite && e->bias ? bpat : 0;
    if (bias) for (int p = 0; p < R * NN; ++p) bpat[p] = e->bias[p % NN];
    int i = 0;
    for (; i + R <= M; i += R) dot_block(R, NN, K, A + (long)i * lda, lda, Bt, ldbt, C, (long)i * NN, bias, e);
    for (; i < M; ++i) dot_row(NN, K, A + (long)i * lda, Bt, ldbt, C, (long)i * NN, e);
}

/* One function per width (KEPT_APART, gemm_tile.h): a network's step runs a few of them. */
#define DOT_N(NN, R) \
    KEPT_APART void dot_##NN(int M, int K, const float *A, long lda, const float *Bt, long ldbt, float *C, \
                             const gl_epilogue *e) { dot_n(NN, R, M, K, A, lda, Bt, ldbt, C, e); }
DOT_N(1, 8) DOT_N(2, 4) DOT_N(3, 4) DOT_N(4, 2)

static void dot(int M, int N, int K, const float *A, long lda, const float *Bt, long ldbt, float *C,
                const gl_epilogue *e) {
    switch (N) {
    case 1: dot_1(M, K, A, lda, Bt, ldbt, C, e); break;
    case 2: dot_2(M, K, A, lda, Bt, ldbt, C, e); break;
    case 3: dot_3(M, K, A, lda, Bt, ldbt, C, e); break;
    default: dot_4(M, K, A, lda, Bt, ldbt, C, e); break;
    }
}

/* ---- mvec: N <= 4, op(A)(i, k) = A[k*a_cs + i], B(k, j) = B[k*b_rs + j] ---- */

/* the 4 x NN block of row-major C whose columns are c[0..NN) (4 rows each), as NN vectors */
GL_INLINE void columns_to_rows(int NN, const gl_v4 c[4], gl_v4 out[4]) {
    if (NN == 1) {
        out[0] = c[0];
    } else if (NN == 2) {
        out[0] = SHUF(c[0], c[1], 0, 4, 1, 5);
        out[1] = SHUF(c[0], c[1], 2, 6, 3, 7);
    } else if (NN == 3) {
        gl_v4 lo = SHUF(c[0], c[1], 0, 4, 1, 5), hi = SHUF(c[0], c[1], 2, 6, 3, 7);
        out[0] = SHUF(lo, c[2], 0, 1, 4, 2);                        /* c00 c01 c02 c10 */
        out[1] = SHUF(SHUF(c[1], c[2], 1, 5, 1, 5), hi, 0, 1, 4, 5); /* c11 c12 c20 c21 */
        out[2] = SHUF(hi, c[2], 6, 2, 3, 7);                        /* c22 c30 c31 c32 */
    } else {
        for (int q = 0; q < 4; ++q) out[q] = c[q];
        v4_transpose(out);
    }
}

/* rows i .. i+4V-1 of C (at C + i*NN) */
GL_INLINE void mvec_block(int V, int NN, int K, const float *A, long a_cs, const float *B, long b_rs,
                          float *C, const float *bpat, const gl_epilogue *e) {
    gl_v4 acc[4][4];
    for (int v = 0; v < V; ++v)
        for (int j = 0; j < NN; ++j) acc[v][j] = v4_splat(0.0f);
    for (int k = 0; k < K; ++k) {
        const float *a = A + k * a_cs, *b = B + k * b_rs;
        gl_v4 bj[4];
        for (int j = 0; j < NN; ++j) bj[j] = v4_splat(b[j]);
        for (int v = 0; v < V; ++v) {
            gl_v4 av = v4_load(a + 4 * v);
            for (int j = 0; j < NN; ++j) acc[v][j] = v4_add(acc[v][j], v4_mul(av, bj[j]));
        }
    }
    gl_v4 slope = v4_splat(e->slope);
    for (int v = 0; v < V; ++v) {
        gl_v4 rows[4];
        columns_to_rows(NN, acc[v], rows);
        for (int g = 0; g < NN; ++g)
            gl_finish_v4(rows[g], C, (long)v * 4 * NN + 4 * g, bpat ? bpat + 4 * g : 0, 1, 1, e, slope);
    }
}

GL_INLINE void mvec_n(int NN, int V, int M, int K, const float *A, long a_cs, const float *B, long b_rs,
                      float *C, const gl_epilogue *e) {
    float bpat[16] __attribute__((aligned(16)));
    const float *bias = e->overwrite && e->bias ? bpat : 0;
    if (bias) for (int p = 0; p < 4 * NN; ++p) bpat[p] = e->bias[p % NN];
    int i = 0;
    for (; i + 4 * V <= M; i += 4 * V) mvec_block(V, NN, K, A + i, a_cs, B, b_rs, C + (long)i * NN, bias, e);
    for (; i + 4 <= M; i += 4) mvec_block(1, NN, K, A + i, a_cs, B, b_rs, C + (long)i * NN, bias, e);
    for (; i < M; ++i) {
        float t[4] = {0};
        for (int k = 0; k < K; ++k)
            for (int j = 0; j < NN; ++j) t[j] += A[(long)k * a_cs + i] * B[(long)k * b_rs + j];
        gl_finish_part(t, NN, C, (long)i * NN, e->bias, 1, 1, e);
    }
}

#define MVEC_N(NN, V) \
    KEPT_APART void mvec_##NN(int M, int K, const float *A, long a_cs, const float *B, long b_rs, float *C, \
                              const gl_epilogue *e) { mvec_n(NN, V, M, K, A, a_cs, B, b_rs, C, e); }
MVEC_N(1, 4) MVEC_N(2, 4) MVEC_N(3, 2) MVEC_N(4, 2)

static void mvec(int M, int N, int K, const float *A, long a_cs, const float *B, long b_rs, float *C,
                 const gl_epilogue *e) {
    switch (N) {
    case 1: mvec_1(M, K, A, a_cs, B, b_rs, C, e); break;
    case 2: mvec_2(M, K, A, a_cs, B, b_rs, C, e); break;
    case 3: mvec_3(M, K, A, a_cs, B, b_rs, C, e); break;
    default: mvec_4(M, K, A, a_cs, B, b_rs, C, e); break;
    }
}

/* ---- direct: K <= DIRECT_KMAX, op(B)(k, j) = Bp[k*ldb + j] ---- */

/* acc[r][w] = sum_k op(A)(r, k) * Bp[k*ldb + 4w .. 4w+3], r < R, w < W */
GL_INLINE void direct_tile(int R, int W, int K, const float *A, long a_rs, long a_cs, const float *Bp,
                           long ldb, gl_v4 acc[4][4]) {
    for (int r = 0; r < R; ++r)
        for (int w = 0; w < W; ++w) acc[r][w] = v4_splat(0.0f);
    for (int k = 0; k < K; ++k, A += a_cs, Bp += ldb) {
        gl_v4 b[4];
        for (int w = 0; w < W; ++w) b[w] = v4_load(Bp + 4 * w);
        for (int r = 0; r < R; ++r) {
            gl_v4 a = v4_splat(A[r * a_rs]);
            for (int w = 0; w < W; ++w) acc[r][w] = v4_add(acc[r][w], v4_mul(a, b[w]));
        }
    }
}

/* acc[r][0] from the 4 columns at Bp, acc[r][1] from the zero-padded last N mod 4 at Bedge */
GL_INLINE void direct_tile_edge(int R, int K, const float *A, long a_rs, long a_cs, const float *Bp, long ldb,
                                const float *Bedge, long lde, gl_v4 acc[4][4]) {
    for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = v4_splat(0.0f);
    for (int k = 0; k < K; ++k, A += a_cs, Bp += ldb, Bedge += lde) {
        gl_v4 b0 = v4_load(Bp), b1 = v4_load(Bedge);
        for (int r = 0; r < R; ++r) {
            gl_v4 a = v4_splat(A[r * a_rs]);
            acc[r][0] = v4_add(acc[r][0], v4_mul(a, b0));
            acc[r][1] = v4_add(acc[r][1], v4_mul(a, b1));
        }
    }
}

/* rows i .. i+R-1 of C: tiles of W vectors, then of two (when W is larger), then of one, then the
 * last N mod 4 columns from the zero-padded Bedge (ld 4 or ldb), with the 4 columns before them when
 * those are left too: two accumulators per row wherever the columns allow, so that the additions of
 * the k loop are never one dependent chain per row (on a long K they would wait on each other) */
GL_INLINE void direct_rows(int R, int W, int N, int K, const float *A, long a_rs, long a_cs, const float *Bp,
                           long ldb, const float *Bedge, long lde, float *C, int i, const gl_epilogue *e) {
    const float *Ai = A + (long)i * a_rs;
    const float *bias = e->overwrite ? e->bias : 0;
    gl_v4 slope = v4_splat(e->slope), acc[4][4];
    int j = 0;
    for (; j + 4 * W <= N; j += 4 * W) {
        direct_tile(R, W, K, Ai, a_rs, a_cs, Bp + j, ldb, acc);
        for (int r = 0; r < R; ++r)
            for (int w = 0; w < W; ++w)
                gl_finish_v4(acc[r][w], C, (long)(i + r) * N + j + 4 * w, bias ? bias + j + 4 * w : 0, 1, 1, e, slope);
    }
    if (W > 2)
        for (; j + 8 <= N; j += 8) {
            direct_tile(R, 2, K, Ai, a_rs, a_cs, Bp + j, ldb, acc);
            for (int r = 0; r < R; ++r)
                for (int w = 0; w < 2; ++w)
                    gl_finish_v4(acc[r][w], C, (long)(i + r) * N + j + 4 * w, bias ? bias + j + 4 * w : 0, 1, 1, e, slope);
        }
    if (N - j > 4 && N % 4) {
        direct_tile_edge(R, K, Ai, a_rs, a_cs, Bp + j, ldb, Bedge, lde, acc);
        for (int r = 0; r < R; ++r) {
            float t[4] __attribute__((aligned(16)));
            gl_finish_v4(acc[r][0], C, (long)(i + r) * N + j, bias ? bias + j : 0, 1, 1, e, slope);
            v4_store(t, acc[r][1]);
            gl_finish_part(t, N - j - 4, C, (long)(i + r) * N + j + 4, bias ? bias + j + 4 : 0, 1, 1, e);
        }
        return;
    }
    for (; j + 4 <= N; j += 4) {
        direct_tile(R, 1, K, Ai, a_rs, a_cs, Bp + j, ldb, acc);
        for (int r = 0; r < R; ++r)
            gl_finish_v4(acc[r][0], C, (long)(i + r) * N + j, bias ? bias + j : 0, 1, 1, e, slope);
    }
    if (j < N) {
        direct_tile(R, 1, K, Ai, a_rs, a_cs, Bedge, lde, acc);
        for (int r = 0; r < R; ++r) {
            float t[4] __attribute__((aligned(16)));
            v4_store(t, acc[r][0]);
            gl_finish_part(t, N - j, C, (long)(i + r) * N + j, bias ? bias + j : 0, 1, 1, e);
        }
    }
}

/* Whole 4x8 tiles (M a multiple of 4, N of 8) with the epilogues a ReLU or tanh network's training
 * step uses, each in a loop of its own: the generic finish tests the epilogue's kind, bias and
 * activation for every vector, which in tiles of K = 2 to 64 is a large part of their time.
 * mode 0: C = acc; 1: C = bias + acc, out = max(C, 0); 2: C = acc where z > 0, else 0;
 * 3: C = acc * (1 - a^2) (tanh's derivative). fz is what a derivative reads: z in mode 2, a in
 * mode 3. The same operations as gl_finish_v4. (tanh forward,
 * whose exp inline here made the whole function slower in Node, stays on the generic path.) */
GL_INLINE void direct_whole(int mode, int M, int N, int K, const float *A, long a_rs, long a_cs, const float *Bp,
                            long ldb, float *C, const float *bias, float *out, const float *fz) {
    const gl_v4 zero = v4_splat(0.0f);
    for (int i = 0; i < M; i += 4) {
        const float *Ai = A + (long)i * a_rs;
        for (int j = 0; j < N; j += 8) {
            gl_v4 acc[4][4];
            direct_tile(4, 2, K, Ai, a_rs, a_cs, Bp + j, ldb, acc);
            gl_v4 b0 = zero, b1 = zero;
            if (bias) { b0 = v4_load(bias + j); b1 = v4_load(bias + j + 4); }
            for (int r = 0; r < 4; ++r) {
                long off = (long)(i + r) * N + j;
                gl_v4 v0 = acc[r][0], v1 = acc[r][1];
                if (mode == 1) {
                    if (bias) { v0 = v4_add(v0, b0); v1 = v4_add(v1, b1); }
                    v4_store(out + off, v4_and(v0, v4_gt(v0, zero)));
                    v4_store(out + off + 4, v4_and(v1, v4_gt(v1, zero)));
                } else if (mode == 2) {
                    v0 = v4_and(v0, v4_gt(v4_load(fz + off), zero));
                    v1 = v4_and(v1, v4_gt(v4_load(fz + off + 4), zero));
                } else if (mode == 3) {
                    gl_v4 a0 = v4_load(fz + off), a1 = v4_load(fz + off + 4), one = v4_splat(1.0f);
                    v0 = v4_mul(v0, v4_sub(one, v4_mul(a0, a0)));
                    v1 = v4_mul(v1, v4_sub(one, v4_mul(a1, a1)));
                }
                v4_store(C + off, v0);
                v4_store(C + off + 4, v1);
            }
        }
    }
}

#define DIRECT_WHOLE(MODE) \
    KEPT_APART void direct_whole_##MODE(int M, int N, int K, const float *A, long a_rs, long a_cs, const float *Bp, \
                                        long ldb, float *C, const float *bias, float *out, const float *fz) { \
        direct_whole(MODE, M, N, K, A, a_rs, a_cs, Bp, ldb, C, bias, out, fz); }
DIRECT_WHOLE(0) DIRECT_WHOLE(1) DIRECT_WHOLE(2) DIRECT_WHOLE(3)

/* all M rows from row `from` on in blocks of R (the last block may be the only one) */
#define DIRECT_ROWS(R, W) \
    KEPT_APART void direct_rows_##R(int M, int N, int K, const float *A, long a_rs, long a_cs, const float *Bp, long ldb, \
                                    const float *Bedge, long lde, float *C, int from, const gl_epilogue *e) { \
        for (int i = from; i + R <= M; i += R) direct_rows(R, W, N, K, A, a_rs, a_cs, Bp, ldb, Bedge, lde, C, i, e); }
DIRECT_ROWS(4, 2) DIRECT_ROWS(3, 2) DIRECT_ROWS(2, 4) DIRECT_ROWS(1, 4)

static void direct(int M, int N, int K, const float *A, long a_rs, long a_cs, const float *Bp, long ldb,
                   const float *Bedge, long lde, float *C, const gl_epilogue *e) {
    if (M % 4 == 0 && N % 8 == 0 && e->overwrite) {
        if (e->kind == 0 && !e->bias) { direct_whole_0(M, N, K, A, a_rs, a_cs, Bp, ldb, C, 0, 0, 0); return; }
        if (e->kind == 1 && e->act == GL_ACT_RELU) { direct_whole_1(M, N, K, A, a_rs, a_cs, Bp, ldb, C, e->bias, e->out, 0); return; }
        if (e->kind == 2 && e->act == GL_ACT_RELU && !e->bias) { direct_whole_2(M, N, K, A, a_rs, a_cs, Bp, ldb, C, 0, 0, e->z); return; }
        if (e->kind == 2 && e->act == GL_ACT_TANH && !e->bias) { direct_whole_3(M, N, K, A, a_rs, a_cs, Bp, ldb, C, 0, 0, e->a); return; }
    }
    if (M >= 4) direct_rows_4(M, N, K, A, a_rs, a_cs, Bp, ldb, Bedge, lde, C, 0, e);
    switch (M % 4) {
    case 3: direct_rows_3(M, N, K, A, a_rs, a_cs, Bp, ldb, Bedge, lde, C, M - 3, e); break;
    case 2: direct_rows_2(M, N, K, A, a_rs, a_cs, Bp, ldb, Bedge, lde, C, M - 2, e); break;
    case 1: direct_rows_1(M, N, K, A, a_rs, a_cs, Bp, ldb, Bedge, lde, C, M - 1, e); break;
    default: break;
    }
}

/* P[k*ldp + j] = B[j*b_cs + k] for k < K, j < N, and 0 for N <= j < ldp (ldp a multiple of 4) */
static void transpose_b(int K, int N, const float *B, long b_cs, float *P, int ldp) {
    int j = 0;
    for (; j + 4 <= N; j += 4) {
        int k = 0;
        for (; k + 4 <= K; k += 4) {
            gl_v4 r[4];
            for (int q = 0; q < 4; ++q) r[q] = v4_load(B + (j + q) * b_cs + k);
            v4_transpose(r);
            for (int q = 0; q < 4; ++q) v4_store(P + (long)(k + q) * ldp + j, r[q]);
        }
        for (; k < K; ++k)
            for (int q = 0; q < 4; ++q) P[(long)k * ldp + j + q] = B[(j + q) * b_cs + k];
    }
    for (; j < ldp; ++j)
        for (int k = 0; k < K; ++k) P[(long)k * ldp + j] = j < N ? B[j * b_cs + k] : 0.0f;
}

int gl_gemm_small(int M, int N, int K, const float *A, long a_rs, long a_cs, const float *B, long b_rs,
                  long b_cs, float *C, const gl_epilogue *e) {
    if (M <= 0 || N <= 0) return 1;
    if (N <= 4) {
        if (a_cs == 1 && b_rs == 1) {                     /* nt: the columns of op(B) are rows of B */
            dot(M, N, K, A, a_rs, B, b_cs, C, e);
            return 1;
        }
        if (a_cs == 1 && b_cs == 1 && (long)N * K <= SCRATCH) {  /* nn: copy the N columns into rows */
            for (int j = 0; j < N; ++j)
                for (int k = 0; k < K; ++k) scratch[(long)j * K + k] = B[k * b_rs + j];
            dot(M, N, K, A, a_rs, scratch, K, C, e);
            return 1;
        }
        if (a_rs == 1 && b_cs == 1) {                     /* tn */
            mvec(M, N, K, A, a_cs, B, b_rs, C, e);
            return 1;
        }
    }
    /* tn with a small C and a long K (a convolution's filter gradient: K = batch x positions):
     * the 4x8 tiles read A and B in place over all of K, where packing would copy both once per
     * K block for a few tiles of products */
    if (a_rs == 1 && b_cs == 1 && N % 4 == 0 && (long)M * N <= LONGK_CMAX && K > DIRECT_KMAX) {
        direct(M, N, K, A, a_rs, a_cs, B, b_rs, edge_b, 4, C, e);
        return 1;
    }
    if (K > DIRECT_KMAX) return 0;
    int rem = N % 4, ldp = N + (4 - rem) % 4;
    /* nn, tn: B in place (when it is large, only for one block of rows, which reads it once) */
    if (b_cs == 1 && ((long)K * N <= DIRECT_BMAX || M <= 4)) {
        if (rem)
            for (int k = 0; k < K; ++k)
                for (int q = 0; q < 4; ++q) edge_b[k * 4 + q] = q < rem ? B[k * b_rs + N - rem + q] : 0.0f;
        direct(M, N, K, A, a_rs, a_cs, B, b_rs, edge_b, 4, C, e);
        return 1;
    }
    if (b_rs == 1 && (long)K * ldp <= SCRATCH) {          /* nt: B transposed once */
        transpose_b(K, N, B, b_cs, scratch, ldp);
        direct(M, N, K, A, a_rs, a_cs, scratch, ldp, scratch + (N - rem), ldp, C, e);
        return 1;
    }
    return 0;
}

#endif
