#include "batchnorm.h"
#include <math.h>

void gl_batchnorm_forward_train(float *y, float *mean, float *invstd, float *run_mean, float *run_var,
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

void gl_batchnorm_forward_eval(float *y, const float *x, const float *run_mean, const float *run_var,
                               const float *gamma, const float *beta, int rows, int units, float eps) {
    for (int j = 0; j < units; ++j) {
        float scale = gamma[j] / sqrtf(run_var[j] + eps), shift = beta[j] - run_mean[j] * scale;
        for (int r = 0; r < rows; ++r) y[(long)r * units + j] = x[(long)r * units + j] * scale + shift;
    }
}

void gl_batchnorm_backward(float *dx, float *dgamma, float *dbeta, const float *dy, const float *x,
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
