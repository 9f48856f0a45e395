#include "dropout.h"

void gl_dropout_forward_train(float *y, float *mask, const float *x, long n, float p, int mode, gl_rng *r) {
    float scale = mode == GL_DROPOUT_INVERTED ? 1.0f / (1.0f - p) : 1.0f;
    for (long i = 0; i < n; ++i) {
        mask[i] = gl_rng_uniform(r) >= p ? 1.0f : 0.0f;
        y[i] = x[i] * mask[i] * scale;
    }
}

void gl_dropout_forward_eval(float *y, const float *x, long n, float p, int mode) {
    float scale = mode == GL_DROPOUT_CLASSIC ? 1.0f - p : 1.0f;
    for (long i = 0; i < n; ++i) y[i] = x[i] * scale;
}

void gl_dropout_backward(float *dx, const float *dy, const float *mask, long n, float p, int mode) {
    float scale = mode == GL_DROPOUT_INVERTED ? 1.0f / (1.0f - p) : 1.0f;
    for (long i = 0; i < n; ++i) dx[i] = dy[i] * mask[i] * scale;
}
