#include "activation.h"
#include <math.h>

void gl_activation_forward(float *a, const float *z, int rows, int cols, int act, float slope) {
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
        for (long i = 0; i < n; ++i) a[i] = 1.0f / (1.0f + expf(-z[i]));
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
            for (int j = 0; j < cols; ++j) ar[j] *= inv;
        }
        break;
    }
}

void gl_activation_backward(float *dz, const float *da, const float *z, const float *a, long n,
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
