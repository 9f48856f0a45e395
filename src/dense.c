#include "dense.h"
#include "gemm.h"
#include "vec4.h"
#include <string.h>

/* db(out) = the column sums of dz(B,out), each column added row after row (four columns at a time
 * where the build has 4-lane kernels: the same additions in the same order) */
static void column_sums(float *db, const float *dz, int B, int out) {
    int j = 0;
#ifdef GL_VEC4
    for (; j + 4 <= out; j += 4) {
        gl_v4 s = v4_splat(0.0f);
        for (int r = 0; r < B; ++r) s = v4_add(s, v4_load(dz + (long)r * out + j));
        v4_store(db + j, s);
    }
#endif
    for (; j < out; ++j) {
        float s = 0.0f;
        for (int r = 0; r < B; ++r) s += dz[(long)r * out + j];
        db[j] = s;
    }
}

void gl_dense_forward(float *z, const float *x, const float *W, const float *b, int B, int in, int out) {
    if (b) for (int r = 0; r < B; ++r) memcpy(z + (long)r * out, b, sizeof(float) * (size_t)out);
    else memset(z, 0, sizeof(float) * (size_t)B * (size_t)out);
    gl_gemm_nn(B, out, in, x, W, z);
}

int gl_dense_backward(float *dx, float *dW, float *db, const float *dz, const float *x,
                       const float *W, int B, int in, int out) {
    int finite = gl_gemm_tn_set(in, out, B, x, dz, dW);
    if (db) column_sums(db, dz, B, out);
    if (dx) {
        for (long i = 0; i < (long)B * in; ++i) dx[i] = 0.0f;
        gl_gemm_nt(B, in, out, dz, W, dx);
    }
    return finite;
}

void gl_dense_forward_act(float *z, float *a, const float *x, const float *W, const float *b, int B, int in,
                          int out, int act, float slope) {
    gl_gemm_nn_bias_act(B, out, in, x, W, b, z, a, act, slope);
}

int gl_dense_backward_act(float *dx, float *dW, float *db, const float *dz, const float *x,
                           const float *x_z, const float *W, int B, int in, int out, int act, float slope) {
    int finite = gl_gemm_tn_set(in, out, B, x, dz, dW);
    if (db) column_sums(db, dz, B, out);
    if (dx) gl_gemm_nt_deriv(B, in, out, dz, W, dx, x_z, x, act, slope);
    return finite;
}
