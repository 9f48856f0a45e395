#include "activation.h"
#include "simd_math.h"
#include <math.h>

/* Softmax and sigmoid outputs below GL_TINY_PROBABILITY (activation.h) are stored as 0: they are
 * 0 beside 1 in float anyway, and left alone they reach the backward pass as subnormal numbers,
 * which x86 processes about 100x slower (wasm cannot flush them to zero): a confident network
 * then trained 5-10x slower. */
static inline float flush_tiny(float p) { return p < GL_TINY_PROBABILITY ? 0.0f : p; }

void gl_activation_forward_ref(float *a, const float *z, int rows, int cols, int act, float slope) {
    long n = (long)rows * cols;
    switch (act) {
    case GL_ACT_LINEAR:
        for (long i = 0; i < n; ++i) a[i] = z[i];
        break;
    case GL_ACT_RELU:
        for (long i = 0; i < n; ++i) a[i] = z[i] > 0.0f ? z[i] : 0.0f;
        break;
    case GL_ACT_LEAKY_RELU:
        for (long i = 0; i < n; ++i) a[i] = z[i] > 0.0f ? z[i] : slope * z[i];
        break;
    case GL_ACT_TANH:
        for (long i = 0; i < n; ++i) a[i] = tanhf(z[i]);
        break;
    case GL_ACT_SIGMOID:
        for (long i = 0; i < n; ++i) a[i] = flush_tiny(1.0f / (1.0f + expf(-z[i])));
        break;
    case GL_ACT_SOFTMAX:
        for (int r = 0; r < rows; ++r) {
            const float *zr = z + (long)r * cols;
            float *ar = a + (long)r * cols;
            float m = zr[0];
            for (int j = 1; j < cols; ++j) m = zr[j] > m ? zr[j] : m;
            float s = 0.0f;
            for (int j = 0; j < cols; ++j) { ar[j] = expf(zr[j] - m); s += ar[j]; }
            float inv = 1.0f / s;
            for (int j = 0; j < cols; ++j) ar[j] = flush_tiny(ar[j] * inv);
        }
        break;
    }
}

void gl_activation_backward_ref(float *dz, const float *da, const float *z, const float *a, long n,
                                int act, float slope) {
    switch (act) {
    case GL_ACT_LINEAR:
    case GL_ACT_SOFTMAX:
        for (long i = 0; i < n; ++i) dz[i] = da[i];
        break;
    case GL_ACT_RELU:
        for (long i = 0; i < n; ++i) dz[i] = z[i] > 0.0f ? da[i] : 0.0f;
        break;
    case GL_ACT_LEAKY_RELU:
        for (long i = 0; i < n; ++i) dz[i] = z[i] > 0.0f ? da[i] : slope * da[i];
        break;
    case GL_ACT_TANH:
        for (long i = 0; i < n; ++i) dz[i] = da[i] * (1.0f - a[i] * a[i]);
        break;
    case GL_ACT_SIGMOID:
        for (long i = 0; i < n; ++i) dz[i] = da[i] * a[i] * (1.0f - a[i]);
        break;
    }
}

#ifdef GL_VEC4

/* Loops whose act is a compile-time constant after inlining; a tail shorter than four lanes goes
 * through a padded vector, so every element gets the same arithmetic wherever it sits. */
#define ELEMENTWISE_LOOP(EXPR_V4)                                                                  \
    do {                                                                                           \
        long i = 0;                                                                                \
        for (; i + 4 <= n; i += 4) { ELEM_LOAD(i); v4_store(out + i, (EXPR_V4)); }                 \
        if (i < n) {                                                                               \
            float t_z[4] = {0}, t_a[4] = {0}, t_d[4] = {0}, t_o[4];                                \
            for (long k = i; k < n; ++k) ELEM_TAIL(k - i, k);                                      \
            { gl_v4 vz = v4_load(t_z), va = v4_load(t_a), vd = v4_load(t_d);                      \
              (void)vz; (void)va; (void)vd; v4_store(t_o, (EXPR_V4)); }                            \
            for (long k = i; k < n; ++k) out[k] = t_o[k - i];                                      \
        }                                                                                          \
    } while (0)

static void forward_elementwise(float *out, const float *z, long n, int act, gl_v4 slope) {
#define ELEM_LOAD(i) gl_v4 vz = v4_load(z + (i))
#define ELEM_TAIL(t, k) (t_z[t] = z[k])
    switch (act) {
    case GL_ACT_RELU: ELEMENTWISE_LOOP(gl_act_forward_v4(vz, GL_ACT_RELU, slope)); break;
    case GL_ACT_LEAKY_RELU: ELEMENTWISE_LOOP(gl_act_forward_v4(vz, GL_ACT_LEAKY_RELU, slope)); break;
    case GL_ACT_TANH: ELEMENTWISE_LOOP(gl_tanh_v4(vz)); break;
    case GL_ACT_SIGMOID: ELEMENTWISE_LOOP(gl_act_forward_v4(vz, GL_ACT_SIGMOID, slope)); break;
    default: if (out != z) for (long i = 0; i < n; ++i) out[i] = z[i]; break;
    }
#undef ELEM_LOAD
#undef ELEM_TAIL
}

static void backward_elementwise(float *out, const float *da, const float *z, const float *a, long n,
                                 int act, gl_v4 slope) {
#define ELEM_LOAD(i) gl_v4 vd = v4_load(da + (i)), vz = v4_load(z + (i)), va = v4_load(a + (i))
#define ELEM_TAIL(t, k) (t_d[t] = da[k], t_z[t] = z[k], t_a[t] = a[k])
    switch (act) {
    case GL_ACT_RELU: ELEMENTWISE_LOOP(gl_act_backward_v4(vd, vz, va, GL_ACT_RELU, slope)); break;
    case GL_ACT_LEAKY_RELU: ELEMENTWISE_LOOP(gl_act_backward_v4(vd, vz, va, GL_ACT_LEAKY_RELU, slope)); break;
    case GL_ACT_TANH: ELEMENTWISE_LOOP(gl_act_backward_v4(vd, vz, va, GL_ACT_TANH, slope)); break;
    case GL_ACT_SIGMOID: ELEMENTWISE_LOOP(gl_act_backward_v4(vd, vz, va, GL_ACT_SIGMOID, slope)); break;
    default: if (out != da) for (long i = 0; i < n; ++i) out[i] = da[i]; break;
    }
#undef ELEM_LOAD
#undef ELEM_TAIL
}

/* softmax of one row: max, e^(z - max) with the 4-lane exp, sum, scale */
static void softmax_row(float *a, const float *z, int n) {
    float m = z[0];
    for (int j = 1; j < n; ++j) m = z[j] > m ? z[j] : m;
    gl_v4 vm = v4_splat(m), acc = v4_splat(0.0f);
    int j = 0;
    for (; j + 4 <= n; j += 4) {
        gl_v4 e = gl_exp_v4(v4_sub(v4_load(z + j), vm));
        v4_store(a + j, e);
        acc = v4_add(acc, e);
    }
    float s = v4_sum(acc);
    if (j < n) {
        float t[4] = {0}, o[4];
        for (int k = j; k < n; ++k) t[k - j] = z[k] - m;
        v4_store(o, gl_exp_v4(v4_load(t)));
        for (int k = j; k < n; ++k) { a[k] = o[k - j]; s += o[k - j]; }
    }
    float inv = 1.0f / s;
    for (j = 0; j < n; ++j) a[j] = flush_tiny(a[j] * inv);
}

/* softmax of rows [0, rows & ~3) of fewer than 8 columns, four rows at a time (lane i holds row
 * r + i, so a row is read one column at a time): the same operations in the same order as
 * softmax_row, so the same results, without a row's worth of loop and tail handling per row */
static void softmax_narrow_rows(float *a, const float *z, int rows, int n) {
    gl_v4 e[8], tiny = v4_splat(GL_TINY_PROBABILITY), zero = v4_splat(0.0f);
    for (int r = 0; r + 4 <= rows; r += 4) {
        const float *z0 = z + (long)r * n, *z1 = z0 + n, *z2 = z1 + n, *z3 = z2 + n;
        gl_v4 m = v4_set(z0[0], z1[0], z2[0], z3[0]), s = zero;
        for (int j = 1; j < n; ++j) m = v4_max(m, v4_set(z0[j], z1[j], z2[j], z3[j]));
        for (int j = 0; j < n; ++j) {
            e[j] = gl_exp_v4(v4_sub(v4_set(z0[j], z1[j], z2[j], z3[j]), m));
            s = v4_add(s, e[j]);
        }
        gl_v4 inv = v4_div(v4_splat(1.0f), s);
        float *a0 = a + (long)r * n, *a1 = a0 + n, *a2 = a1 + n, *a3 = a2 + n;
        for (int j = 0; j < n; ++j) {
            gl_v4 p = v4_mul(e[j], inv);
            p = v4_select(v4_lt(p, tiny), zero, p);
            a0[j] = v4_lane(p, 0); a1[j] = v4_lane(p, 1); a2[j] = v4_lane(p, 2); a3[j] = v4_lane(p, 3);
        }
    }
}

void gl_activation_forward(float *a, const float *z, int rows, int cols, int act, float slope) {
    if (act == GL_ACT_SOFTMAX) {
        int r = 0;
        if (cols < 8) { softmax_narrow_rows(a, z, rows, cols); r = rows & ~3; }
        for (; r < rows; ++r) softmax_row(a + (long)r * cols, z + (long)r * cols, cols);
        return;
    }
    forward_elementwise(a, z, (long)rows * cols, act, v4_splat(slope));
}

void gl_activation_backward(float *dz, const float *da, const float *z, const float *a, long n,
                            int act, float slope) {
    backward_elementwise(dz, da, z, a, n, act, v4_splat(slope));
}

#else /* no 4-lane kernels: the references are the kernels */

void gl_activation_forward(float *a, const float *z, int rows, int cols, int act, float slope) {
    gl_activation_forward_ref(a, z, rows, cols, act, slope);
}
void gl_activation_backward(float *dz, const float *da, const float *z, const float *a, long n,
                            int act, float slope) {
    gl_activation_backward_ref(dz, da, z, a, n, act, slope);
}
#endif
