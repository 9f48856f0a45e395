#include "batchnorm.h"
#include "vec4.h"
#include <math.h>

void gl_batchnorm_forward_train_ref(float *y, float *mean, float *invstd, float *run_mean, float *run_var,
                                const float *x, const float *gamma, const float *beta, int rows, int units,
                                float momentum, float eps) {
    for (int j = 0; j < units; ++j) {
        double s = 0, ss = 0;
        for (int r = 0; r < rows; ++r) s += x[(long)r * units + j];
        double m = s / rows;
        for (int r = 0; r < rows; ++r) { double d = x[(long)r * units + j] - m; ss += d * d; }
        double var = ss / rows;
        mean[j] = (float)m;
        invstd[j] = (float)(1.0 / sqrt(var + eps));
        run_mean[j] = (1.0f - momentum) * run_mean[j] + momentum * (float)m;
        run_var[j] = (1.0f - momentum) * run_var[j] + momentum * (float)(ss / (rows - 1));
    }
    for (int r = 0; r < rows; ++r)
        for (int j = 0; j < units; ++j) {
            long i = (long)r * units + j;
            y[i] = gamma[j] * (x[i] - mean[j]) * invstd[j] + beta[j];
        }
}

void gl_batchnorm_forward_eval_ref(float *y, const float *x, const float *run_mean, const float *run_var,
                               const float *gamma, const float *beta, int rows, int units, float eps) {
    for (int j = 0; j < units; ++j) {
        float scale = gamma[j] / sqrtf(run_var[j] + eps), shift = beta[j] - run_mean[j] * scale;
        for (int r = 0; r < rows; ++r) y[(long)r * units + j] = x[(long)r * units + j] * scale + shift;
    }
}

void gl_batchnorm_backward_ref(float *dx, float *dgamma, float *dbeta, const float *dy, const float *x,
                           const float *mean, const float *invstd, const float *gamma, int rows, int units) {
    for (int j = 0; j < units; ++j) {
        double sdy = 0, sdyx = 0;
        for (int r = 0; r < rows; ++r) {
            long i = (long)r * units + j;
            sdy += dy[i];
            sdyx += dy[i] * (x[i] - mean[j]) * invstd[j];
        }
        dgamma[j] = (float)sdyx;
        dbeta[j] = (float)sdy;
        /* dx = gamma invstd / N (N dy - sum dy - xhat sum(dy xhat)) */
        float k = gamma[j] * invstd[j] / rows;
        for (int r = 0; r < rows; ++r) {
            long i = (long)r * units + j;
            float xhat = (x[i] - mean[j]) * invstd[j];
            dx[i] = k * ((float)rows * dy[i] - (float)sdy - xhat * (float)sdyx);
        }
    }
}

#ifdef GL_VEC4
/* The 4-lane loops, used when units is a multiple of 4 (a spatial batch norm's channels, or a
 * dense layer's units): rows outermost, so every pass reads the block once in order (the
 * references walk it one column at a time, a stride of `units` floats apart). The sums are added
 * in float over blocks of BLOCK rows, and the block sums in double, where the references add every
 * row in double: the statistics differ from theirs by rounding only (about 1e-7 relative); the
 * outputs are then formed by the same float operations in the same order. */
enum { BLOCK = 16, UNITS_MAX = 4096 };
static double sum_a[UNITS_MAX], sum_b[UNITS_MAX];
static float part_a[UNITS_MAX] __attribute__((aligned(16))), part_b[UNITS_MAX] __attribute__((aligned(16)));

/* sum_a[j] = sum over rows of fa(r, j), sum_b[j] likewise of fb (when two), where the vectors of
 * row r's four units j..j+3 are given by TERMS(r, j, va, vb) */
#define COLUMN_SUMS(rows, units, TERMS)                                                      \
    do {                                                                                   \
        for (int j_ = 0; j_ < (units); ++j_) { sum_a[j_] = sum_b[j_] = 0.0; part_a[j_] = part_b[j_] = 0.0f; } \
        for (int r = 0; r < (rows); ++r) {                                                  \
            for (int j = 0; j < (units); j += 4) {                                          \
                gl_v4 va, vb;                                                               \
                TERMS;                                                                      \
                v4_store(part_a + j, v4_add(v4_load(part_a + j), va));                      \
                v4_store(part_b + j, v4_add(v4_load(part_b + j), vb));                      \
            }                                                                               \
            if ((r + 1) % BLOCK == 0 || r + 1 == (rows))                                    \
                for (int j_ = 0; j_ < (units); ++j_) {                                      \
                    sum_a[j_] += part_a[j_]; sum_b[j_] += part_b[j_];                      \
                    part_a[j_] = part_b[j_] = 0.0f;                                         \
                }                                                                           \
        }                                                                                   \
    } while (0)

void gl_batchnorm_forward_train(float *y, float *mean, float *invstd, float *run_mean, float *run_var,
                                const float *x, const float *gamma, const float *beta, int rows, int units,
                                float momentum, float eps) {
    if (units % 4 || units > UNITS_MAX) {
        gl_batchnorm_forward_train_ref(y, mean, invstd, run_mean, run_var, x, gamma, beta, rows, units, momentum, eps);
        return;
    }
    COLUMN_SUMS(rows, units, (va = v4_load(x + (long)r * units + j), vb = v4_splat(0.0f)));
    for (int j = 0; j < units; ++j) mean[j] = (float)(sum_a[j] / rows);
    COLUMN_SUMS(rows, units, (va = v4_sub(v4_load(x + (long)r * units + j), v4_load(mean + j)), va = v4_mul(va, va),
                              vb = v4_splat(0.0f)));
    for (int j = 0; j < units; ++j) {
        double m = (double)mean[j], ss = sum_a[j], var = ss / rows;
        invstd[j] = (float)(1.0 / sqrt(var + eps));
        run_mean[j] = (1.0f - momentum) * run_mean[j] + momentum * (float)m;
        run_var[j] = (1.0f - momentum) * run_var[j] + momentum * (float)(ss / (rows - 1));
    }
    for (int r = 0; r < rows; ++r)
        for (int j = 0; j < units; j += 4) {
            long i = (long)r * units + j;
            gl_v4 v = v4_mul(v4_mul(v4_load(gamma + j), v4_sub(v4_load(x + i), v4_load(mean + j))), v4_load(invstd + j));
            v4_store(y + i, v4_add(v, v4_load(beta + j)));
        }
}

void gl_batchnorm_forward_eval(float *y, const float *x, const float *run_mean, const float *run_var,
                               const float *gamma, const float *beta, int rows, int units, float eps) {
    if (units % 4 || units > UNITS_MAX) {
        gl_batchnorm_forward_eval_ref(y, x, run_mean, run_var, gamma, beta, rows, units, eps);
        return;
    }
    for (int j = 0; j < units; ++j) {
        part_a[j] = gamma[j] / sqrtf(run_var[j] + eps);
        part_b[j] = beta[j] - run_mean[j] * part_a[j];
    }
    for (int r = 0; r < rows; ++r)
        for (int j = 0; j < units; j += 4) {
            long i = (long)r * units + j;
            v4_store(y + i, v4_add(v4_mul(v4_load(x + i), v4_load(part_a + j)), v4_load(part_b + j)));
        }
}

void gl_batchnorm_backward(float *dx, float *dgamma, float *dbeta, const float *dy, const float *x,
                           const float *mean, const float *invstd, const float *gamma, int rows, int units) {
    if (units % 4 || units > UNITS_MAX) {
        gl_batchnorm_backward_ref(dx, dgamma, dbeta, dy, x, mean, invstd, gamma, rows, units);
        return;
    }
    COLUMN_SUMS(rows, units, (vb = v4_load(dy + (long)r * units + j),
                              va = v4_mul(v4_mul(vb, v4_sub(v4_load(x + (long)r * units + j), v4_load(mean + j))),
                                          v4_load(invstd + j))));
    /* part_a: gamma invstd / N, part_b: sum dy, and dgamma (sum dy xhat) as floats, lane by lane */
    float *k = part_a, *sdy = part_b;
    for (int j = 0; j < units; ++j) {
        dgamma[j] = (float)sum_a[j];
        dbeta[j] = (float)sum_b[j];
        sdy[j] = (float)sum_b[j];
        k[j] = gamma[j] * invstd[j] / rows;
    }
    const gl_v4 n = v4_splat((float)rows);
    for (int r = 0; r < rows; ++r)
        for (int j = 0; j < units; j += 4) {
            long i = (long)r * units + j;
            gl_v4 xhat = v4_mul(v4_sub(v4_load(x + i), v4_load(mean + j)), v4_load(invstd + j));
            gl_v4 t = v4_sub(v4_sub(v4_mul(n, v4_load(dy + i)), v4_load(sdy + j)), v4_mul(xhat, v4_load(dgamma + j)));
            v4_store(dx + i, v4_mul(v4_load(k + j), t));
        }
}

#else /* no 4-lane kernels: the references are the kernels */

void gl_batchnorm_forward_train(float *y, float *mean, float *invstd, float *run_mean, float *run_var,
                                const float *x, const float *gamma, const float *beta, int rows, int units,
                                float momentum, float eps) {
    gl_batchnorm_forward_train_ref(y, mean, invstd, run_mean, run_var, x, gamma, beta, rows, units, momentum, eps);
}
void gl_batchnorm_forward_eval(float *y, const float *x, const float *run_mean, const float *run_var,
                               const float *gamma, const float *beta, int rows, int units, float eps) {
    gl_batchnorm_forward_eval_ref(y, x, run_mean, run_var, gamma, beta, rows, units, eps);
}
void gl_batchnorm_backward(float *dx, float *dgamma, float *dbeta, const float *dy, const float *x,
                           const float *mean, const float *invstd, const float *gamma, int rows, int units) {
    gl_batchnorm_backward_ref(dx, dgamma, dbeta, dy, x, mean, invstd, gamma, rows, units);
}
#endif
