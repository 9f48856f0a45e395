#include "gemm.h"

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

#ifdef __wasm_simd128__
#include <wasm_simd128.h>

/* The micro-kernels below read A through two strides, so one kernel serves A (row stride K,
 * column stride 1) and A^T (row stride 1, column stride M). Each keeps an MR x NR tile of C
 * in registers for the whole K loop: NR/4 vectors of B per k, one broadcast of A per row. */
#define A_AT(r, k) A[(long)(r) * a_rs + (long)(k) * a_cs]

static void kernel_4x8(int K, const float *A, long a_rs, long a_cs, const float *B, int ldb,
                       float *C, int ldc) {
    v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00,
           c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    for (int k = 0; k < K; ++k) {
        const float *b = B + (long)k * ldb;
        v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
        v128_t a0 = wasm_f32x4_splat(A_AT(0, k)), a1 = wasm_f32x4_splat(A_AT(1, k));
        v128_t a2 = wasm_f32x4_splat(A_AT(2, k)), a3 = wasm_f32x4_splat(A_AT(3, k));
        c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a0, b0)); c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a0, b1));
        c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a1, b0)); c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a1, b1));
        c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a2, b0)); c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a2, b1));
        c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a3, b0)); c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a3, b1));
    }
    v128_t acc[4][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
    for (int r = 0; r < 4; ++r) {
        float *c = C + (long)r * ldc;
        wasm_v128_store(c, wasm_f32x4_add(wasm_v128_load(c), acc[r][0]));
        wasm_v128_store(c + 4, wasm_f32x4_add(wasm_v128_load(c + 4), acc[r][1]));
    }
}

static void kernel_1x8(int K, const float *A, long a_cs, const float *B, int ldb, float *C) {
    v128_t c0 = wasm_f32x4_splat(0), c1 = c0;
    for (int k = 0; k < K; ++k) {
        const float *b = B + (long)k * ldb;
        v128_t a = wasm_f32x4_splat(A[(long)k * a_cs]);
        c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(a, wasm_v128_load(b)));
        c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(a, wasm_v128_load(b + 4)));
    }
    wasm_v128_store(C, wasm_f32x4_add(wasm_v128_load(C), c0));
    wasm_v128_store(C + 4, wasm_f32x4_add(wasm_v128_load(C + 4), c1));
}

static void kernel_4x4(int K, const float *A, long a_rs, long a_cs, const float *B, int ldb,
                       float *C, int ldc) {
    v128_t c0 = wasm_f32x4_splat(0), c1 = c0, c2 = c0, c3 = c0;
    for (int k = 0; k < K; ++k) {
        v128_t b = wasm_v128_load(B + (long)k * ldb);
        c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(wasm_f32x4_splat(A_AT(0, k)), b));
        c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(wasm_f32x4_splat(A_AT(1, k)), b));
        c2 = wasm_f32x4_add(c2, wasm_f32x4_mul(wasm_f32x4_splat(A_AT(2, k)), b));
        c3 = wasm_f32x4_add(c3, wasm_f32x4_mul(wasm_f32x4_splat(A_AT(3, k)), b));
    }
    v128_t acc[4] = {c0, c1, c2, c3};
    for (int r = 0; r < 4; ++r) {
        float *c = C + (long)r * ldc;
        wasm_v128_store(c, wasm_f32x4_add(wasm_v128_load(c), acc[r]));
    }
}

static void kernel_1x4(int K, const float *A, long a_cs, const float *B, int ldb, float *C) {
    v128_t c0 = wasm_f32x4_splat(0);
    for (int k = 0; k < K; ++k)
        c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(wasm_f32x4_splat(A[(long)k * a_cs]),
                                               wasm_v128_load(B + (long)k * ldb)));
    wasm_v128_store(C, wasm_f32x4_add(wasm_v128_load(C), c0));
}

/* C(M,N) += op(A) . B, where op(A)[i][k] = A[i*a_rs + k*a_cs] */
static void gemm_strided(int M, int N, int K, const float *A, long a_rs, long a_cs,
                         const float *B, float *C) {
    int j = 0;
    for (; j + 8 <= N; j += 8) {
        int i = 0;
        for (; i + 4 <= M; i += 4)
            kernel_4x8(K, A + (long)i * a_rs, a_rs, a_cs, B + j, N, C + (long)i * N + j, N);
        for (; i < M; ++i) kernel_1x8(K, A + (long)i * a_rs, a_cs, B + j, N, C + (long)i * N + j);
    }
    for (; j + 4 <= N; j += 4) {
        int i = 0;
        for (; i + 4 <= M; i += 4)
            kernel_4x4(K, A + (long)i * a_rs, a_rs, a_cs, B + j, N, C + (long)i * N + j, N);
        for (; i < M; ++i) kernel_1x4(K, A + (long)i * a_rs, a_cs, B + j, N, C + (long)i * N + j);
    }
    for (; j < N; ++j)
        for (int i = 0; i < M; ++i) {
            float s = 0.0f;
            for (int k = 0; k < K; ++k) s += A_AT(i, k) * B[(long)k * N + j];
            C[(long)i * N + j] += s;
        }
}

void gl_gemm_nn(int M, int N, int K, const float *A, const float *B, float *C) {
    gemm_strided(M, N, K, A, K, 1, B, C);
}
void gl_gemm_tn(int M, int N, int K, const float *A, const float *B, float *C) {
    gemm_strided(M, N, K, A, 1, M, B, C);
}
void gl_gemm_nt(int M, int N, int K, const float *A, const float *B, float *C, float *work) {
    /* pack B^T (K x N) once; its cost K*N is small beside the product's M*N*K */
    for (int j = 0; j < N; ++j)
        for (int k = 0; k < K; ++k) work[(long)k * N + j] = B[(long)j * K + k];
    gemm_strided(M, N, K, A, K, 1, work, C);
}

#else /* no wasm SIMD: the references are the kernels */

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
#endif
