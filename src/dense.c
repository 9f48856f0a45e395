#include "dense.h"
#include "gemm.h"
#include "vec4.h"
#include <string.h>

/* db(out) = the column sums of dz(B,out), each column added row after row (four columns at a time
 * where the build has 4-lane kernels: the same additions in the same order). A convolution's bias
 * gradient sums B = batch x positions rows of few columns, where one chain of dependent additions
 * would wait on each; up to 16 columns go down the rows together, in independent chains. */
static void column_sums(float *db, const float *dz, int B, int out) {
    int j = 0;
#ifdef GL_VEC4
    for (; j + 16 <= out; j += 16) {
        gl_v4 s0 = v4_splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
        for (int r = 0; r < B; ++r) {
            const float *d = dz + (long)r * out + j;
            s0 = v4_add(s0, v4_load(d)); s1 = v4_add(s1, v4_load(d + 4));
            s2 = v4_add(s2, v4_load(d + 8)); s3 = v4_add(s3, v4_load(d + 12));
        }
        v4_store(db + j, s0); v4_store(db + j + 4, s1); v4_store(db + j + 8, s2); v4_store(db + j + 12, s3);
    }
    for (; j + 8 <= out; j += 8) {
        gl_v4 s0 = v4_splat(0.0f), s1 = s0;
        for (int r = 0; r < B; ++r) {
            s0 = v4_add(s0, v4_load(dz + (long)r * out + j));
            s1 = v4_add(s1, v4_load(dz + (long)r * out + j + 4));
        }
        v4_store(db + j, s0); v4_store(db + j + 4, s1);
    }
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
