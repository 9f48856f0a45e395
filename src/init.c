#include "init.h"
#include <math.h>

static void fill_normal(float *w, long n, float std, gl_rng *r) {
    for (long i = 0; i < n; ++i) w[i] = std * gl_rng_normal(r);
}
static void fill_uniform(float *w, long n, float a, float b, gl_rng *r) {
    for (long i = 0; i < n; ++i) w[i] = a + (b - a) * gl_rng_uniform(r);
}

/* Orthonormalises the rows of M (rows x cols, rows <= cols) by modified Gram-Schmidt in double. */
static void orthonormal_rows(float *M, int rows, int cols) {
    for (int i = 0; i < rows; ++i) {
        float *v = M + (long)i * cols;
        for (int j = 0; j < i; ++j) {
            const float *u = M + (long)j * cols;
            double d = 0;
            for (int k = 0; k < cols; ++k) d += (double)v[k] * u[k];
            for (int k = 0; k < cols; ++k) v[k] -= (float)(d * u[k]);
        }
        double s = 0;
        for (int k = 0; k < cols; ++k) s += (double)v[k] * v[k];
        float inv = s > 0 ? (float)(1.0 / sqrt(s)) : 0.0f;
        for (int k = 0; k < cols; ++k) v[k] *= inv;
    }
}

void gl_init_fill(float *W, int rows, int cols, int fan_in, int fan_out, const gl_init *init, gl_rng *r,
                  float *work) {
    long n = (long)rows * cols;
    float fi = (float)fan_in, fo = (float)fan_out;
    switch (init->kind) {
    case GL_INIT_ZEROS: for (long i = 0; i < n; ++i) W[i] = 0.0f; break;
    case GL_INIT_CONSTANT: for (long i = 0; i < n; ++i) W[i] = init->p0; break;
    case GL_INIT_NORMAL: fill_normal(W, n, init->p0, r); break;
    case GL_INIT_UNIFORM: fill_uniform(W, n, init->p0, init->p1, r); break;
    case GL_INIT_XAVIER: fill_normal(W, n, sqrtf(1.0f / fi), r); break;
    case GL_INIT_GLOROT_NORMAL: fill_normal(W, n, sqrtf(2.0f / (fi + fo)), r); break;
    case GL_INIT_GLOROT_UNIFORM: { float b = sqrtf(6.0f / (fi + fo)); fill_uniform(W, n, -b, b, r); break; }
    case GL_INIT_HE_NORMAL: fill_normal(W, n, sqrtf(2.0f / fi), r); break;
    case GL_INIT_HE_UNIFORM: { float b = sqrtf(6.0f / fi); fill_uniform(W, n, -b, b, r); break; }
    case GL_INIT_LECUN_UNIFORM: { float b = sqrtf(3.0f / fi); fill_uniform(W, n, -b, b, r); break; }
    case GL_INIT_ORTHOGONAL: {
        /* orthonormal along the shorter side: rows of W when rows <= cols, else columns */
        fill_normal(work, n, 1.0f, r);
        if (rows <= cols) {
            orthonormal_rows(work, rows, cols);
            for (long i = 0; i < n; ++i) W[i] = init->p0 * work[i];
        } else {
            orthonormal_rows(work, cols, rows); /* work read as (cols, rows) = W^T */
            for (int i = 0; i < rows; ++i)
                for (int j = 0; j < cols; ++j)
                    W[(long)i * cols + j] = init->p0 * work[(long)j * rows + i];
        }
        break;
    }
    }
}
