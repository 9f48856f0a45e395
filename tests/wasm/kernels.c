/* kernels.c: test and benchmark entry points into the fast kernels and their plain references,
 * built as a third wasm module (gradlab-kernels.wasm, SIMD) that tests/js/kernels.test.mjs and
 * bench/ drive from Node. `fast` picks the kernel (1) or its reference (0). */
#include "../../src/activation.h"
#include "../../src/batchnorm.h"
#include "../../src/conv.h"
#include "../../src/gemm.h"
#include "../../src/loss.h"
#include "../../src/optimizer.h"
#include "../../src/simd_math.h"
#include <emscripten.h>
#include <stdlib.h>

#define EXPORT EMSCRIPTEN_KEEPALIVE

EXPORT float *kt_alloc(int floats) { return malloc(sizeof(float) * (size_t)(floats > 0 ? floats : 1)); }
EXPORT void kt_free(float *p) { free(p); }

/* the packed GEMM's micro-kernel variants (gemm.c) */
EXPORT int kt_gemm_variants(void) { return gl_gemm_variant_count(); }
EXPORT const char *kt_gemm_variant_name(int i) { return gl_gemm_variant_name(i); }
EXPORT int kt_gemm_select(int i) { return gl_gemm_select(i); }

/* form 0: nn, 1: tn, 2: nt; repeated reps times (for timing) */
EXPORT void kt_gemm(int form, int fast, int M, int N, int K, const float *A, const float *B, float *C, int reps) {
    for (int r = 0; r < reps; ++r) {
        if (form == 0) (fast ? gl_gemm_nn : gl_gemm_nn_ref)(M, N, K, A, B, C);
        else if (form == 1) (fast ? gl_gemm_tn : gl_gemm_tn_ref)(M, N, K, A, B, C);
        else if (form == 2) (fast ? gl_gemm_nt : gl_gemm_nt_ref)(M, N, K, A, B, C);
        else (fast ? gl_gemm_tn_set : gl_gemm_tn_set_ref)(M, N, K, A, B, C);
    }
}

/* tn_set's answer to "is every stored value finite" */
EXPORT int kt_gemm_tn_set_finite(int fast, int M, int N, int K, const float *A, const float *B, float *C) {
    return (fast ? gl_gemm_tn_set : gl_gemm_tn_set_ref)(M, N, K, A, B, C);
}

EXPORT void kt_gemm_nn_bias_act(int fast, int M, int N, int K, const float *A, const float *B,
                                const float *bias, float *C, float *out, int act, float slope) {
    (fast ? gl_gemm_nn_bias_act : gl_gemm_nn_bias_act_ref)(M, N, K, A, B, bias, C, out, act, slope);
}

EXPORT void kt_gemm_nt_deriv(int fast, int M, int N, int K, const float *A, const float *B, float *C,
                             const float *z, const float *a, int act, float slope) {
    (fast ? gl_gemm_nt_deriv : gl_gemm_nt_deriv_ref)(M, N, K, A, B, C, z, a, act, slope);
}

/* timing: form 0 nn_bias_act, 1 nt_deriv, repeated reps times (fast kernels only) */
EXPORT void kt_gemm_fused(int form, int M, int N, int K, const float *A, const float *B, const float *bias,
                          float *C, float *out, const float *z, const float *a, int act, int reps) {
    for (int r = 0; r < reps; ++r) {
        if (form == 0) gl_gemm_nn_bias_act(M, N, K, A, B, bias, C, out, act, 0.1f);
        else gl_gemm_nt_deriv(M, N, K, A, B, C, z, a, act, 0.1f);
    }
}

EXPORT void kt_act_forward(int fast, float *a, const float *z, int rows, int cols, int act, float slope) {
    (fast ? gl_activation_forward : gl_activation_forward_ref)(a, z, rows, cols, act, slope);
}

EXPORT void kt_act_backward(int fast, float *dz, const float *da, const float *z, const float *a, int n,
                            int act, float slope) {
    (fast ? gl_activation_backward : gl_activation_backward_ref)(dz, da, z, a, n, act, slope);
}

/* fn 0: exp, 1: tanh, 2: sigmoid, 3: log of simd_math.h over n values (n a multiple of 4) */
EXPORT void kt_math(int fn, float *out, const float *in, int n) {
    for (int i = 0; i + 4 <= n; i += 4) {
        gl_v4 x = v4_load(in + i);
        v4_store(out + i, fn == 0 ? gl_exp_v4(x) : fn == 1 ? gl_tanh_v4(x) : fn == 2 ? gl_sigmoid_v4(x) : gl_log_v4(x));
    }
}

/* one Adam (kind 5) or AdamW (kind 6) update of n parameters; returns the squared change */
EXPORT double kt_adam(int fast, int kind, float lr, float weight_decay, int t, float *w, const float *g,
                      float gscale, float *m, float *v, int n) {
    gl_optimizer o = {0};
    o.kind = kind; o.learning_rate = lr; o.beta1 = 0.9f; o.beta2 = 0.999f; o.epsilon = 1e-8f;
    o.weight_decay = weight_decay;
    return (fast ? gl_optimizer_step : gl_optimizer_step_ref)(&o, lr, t, w, g, gscale, m, v, 0, n);
}

/* a loss (loss.h) over B rows of K outputs with class ids y; dz (B,K); returns the mean loss and
 * writes the count of correct rows into *correct */
EXPORT float kt_loss(int fast, int loss, int act, const float *z, const float *a, int B, int K, const int32_t *y,
                     float *dz, int *correct) {
    return (fast ? gl_loss : gl_loss_ref)(loss, act, 0.0f, z, a, B, K, y, 0, dz, correct);
}

/* the summed loss (gl_loss_sum, or its reference) of B rows with class ids y, taken `piece` rows at a
 * time into one running total, as gl_net_evaluate takes its passes */
EXPORT double kt_loss_sum(int fast, int loss, int act, const float *z, const float *a, int B, int K, const int32_t *y,
                          int piece) {
    double total = 0.0;
    for (int r = 0; r < B; r += piece) {
        int rows = B - r < piece ? B - r : piece;
        total = (fast ? gl_loss_sum : gl_loss_sum_ref)(loss, act, 0.0f, z + (long)r * K, a + (long)r * K, rows, K,
                                                       y + r, 0, 0, 0, total);
    }
    return total;
}

EXPORT double kt_sum_squares(const float *x, int n) { return gl_sum_squares(x, n); }

EXPORT int kt_all_finite(const float *x, int n) { return gl_all_finite(x, n); }

/* convolution lowering and pooling (conv.c): geometry from (h, w, c, filters, k, stride, same) */
static gl_conv_geom geom(const int *g) { return gl_conv_geometry(g[0], g[1], g[2], g[3], g[4], g[5], g[6]); }
/* out[0..1] = oh, ow of the geometry */
EXPORT void kt_conv_shape(const int *g, int *out) { gl_conv_geom q = geom(g); out[0] = q.oh; out[1] = q.ow; }
EXPORT int kt_conv_padded_floats(void) { return GL_CONV_PADDED_FLOATS; }
EXPORT void kt_im2col(int fast, float *cols, const float *x, int rows, const int *g) {
    gl_conv_geom q = geom(g);
    (fast ? gl_im2col : gl_im2col_ref)(cols, x, rows, &q);
}
EXPORT void kt_col2im(int fast, float *dx, const float *dcols, int rows, const int *g) {
    gl_conv_geom q = geom(g);
    (fast ? gl_col2im : gl_col2im_ref)(dx, dcols, rows, &q);
}
EXPORT void kt_conv_forward(float *z, float *cols, const float *x, const float *W, const float *b, int rows, const int *g) {
    gl_conv_geom q = geom(g);
    gl_conv_forward(z, cols, x, W, b, rows, &q);
}
EXPORT int kt_conv_backward(float *dx, float *dW, float *db, const float *dz, const float *cols, const float *W, int rows,
                            const int *g, float *dcols) {
    gl_conv_geom q = geom(g);
    return gl_conv_backward(dx, dW, db, dz, cols, W, rows, &q, dcols);
}
EXPORT void kt_pool_forward(int fast, float *y, float *idx, const float *x, int rows, int h, int w, int c, int mode) {
    (fast ? gl_pool_forward : gl_pool_forward_ref)(y, idx, x, rows, h, w, c, mode);
}
EXPORT void kt_pool_backward(int fast, float *dx, const float *dy, const float *idx, const float *gate, int rows, int h, int w,
                             int c, int mode) {
    (fast ? gl_pool_backward : gl_pool_backward_ref)(dx, dy, idx, gate, rows, h, w, c, mode);
}

/* batch norm (batchnorm.c): stats[0..4 units) = mean, invstd, running mean, running variance
 * (the running ones read as given, then updated) */
EXPORT void kt_batchnorm_train(int fast, float *y, float *stats, const float *x, const float *gamma, const float *beta,
                               int rows, int units) {
    (fast ? gl_batchnorm_forward_train : gl_batchnorm_forward_train_ref)(y, stats, stats + units, stats + 2 * units,
                                                                          stats + 3 * units, x, gamma, beta, rows, units, 0.1f, 1e-5f);
}
EXPORT void kt_batchnorm_eval(int fast, float *y, const float *x, const float *stats, const float *gamma, const float *beta,
                              int rows, int units) {
    (fast ? gl_batchnorm_forward_eval : gl_batchnorm_forward_eval_ref)(y, x, stats + 2 * units, stats + 3 * units, gamma, beta,
                                                                        rows, units, 1e-5f);
}
EXPORT void kt_batchnorm_backward(int fast, float *dx, float *dgamma, float *dbeta, const float *dy, const float *x,
                                  const float *stats, const float *gamma, int rows, int units) {
    (fast ? gl_batchnorm_backward : gl_batchnorm_backward_ref)(dx, dgamma, dbeta, dy, x, stats, stats + units, gamma, rows, units);
}
