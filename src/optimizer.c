#include "optimizer.h"
#include <math.h>

int gl_optimizer_state_arrays(const gl_optimizer *o) {
    switch (o->kind) {
    case GL_OPT_MOMENTUM: case GL_OPT_NESTEROV: case GL_OPT_ADAGRAD: return 1;
    case GL_OPT_ADAM: case GL_OPT_ADAMW: return 2;
    case GL_OPT_RMSPROP: return 1 + (o->momentum > 0) + (o->centered != 0);
    default: return 0;
    }
}

double gl_optimizer_step(const gl_optimizer *o, float lr, long t, float *w, const float *g, float gscale,
                       float *s1, float *s2, float *s3, long n) {
    const float wd = o->kind == GL_OPT_ADAMW ? 0.0f : o->weight_decay;
    double moved = 0.0;
#define MOVE(i, expr) do { float before_ = w[i]; w[i] = (expr); moved += (double)(w[i] - before_) * (w[i] - before_); } while (0)
    switch (o->kind) {
    case GL_OPT_SGD:
        for (long i = 0; i < n; ++i) MOVE(i, w[i] - lr * (g[i] * gscale + wd * w[i]));
        break;
    case GL_OPT_MOMENTUM:
    case GL_OPT_NESTEROV: {
        /* buf = g at the first step, then mu*buf + g; nesterov steps along g + mu*buf */
        const float mu = o->momentum;
        for (long i = 0; i < n; ++i) {
            float gi = g[i] * gscale + wd * w[i];
            float b = t == 1 ? gi : mu * s1[i] + gi;
            s1[i] = b;
            MOVE(i, w[i] - lr * (o->kind == GL_OPT_NESTEROV ? gi + mu * b : b));
        }
        break;
    }
    case GL_OPT_ADAGRAD:
        for (long i = 0; i < n; ++i) {
            float gi = g[i] * gscale + wd * w[i];
            s1[i] += gi * gi;
            MOVE(i, w[i] - lr * gi / (sqrtf(s1[i]) + o->epsilon));
        }
        break;
    case GL_OPT_RMSPROP: {
        /* s1: square average; then the momentum buffer and the gradient average, when used */
        float *buf = o->momentum > 0 ? s2 : 0;
        float *gavg = o->centered ? (buf ? s3 : s2) : 0;
        const float a = o->alpha;
        for (long i = 0; i < n; ++i) {
            float gi = g[i] * gscale + wd * w[i];
            s1[i] = a * s1[i] + (1.0f - a) * gi * gi;
            float v = s1[i];
            if (gavg) { gavg[i] = a * gavg[i] + (1.0f - a) * gi; v -= gavg[i] * gavg[i]; }
            float step = gi / (sqrtf(v) + o->epsilon);
            if (buf) { buf[i] = o->momentum * buf[i] + step; step = buf[i]; }
            MOVE(i, w[i] - lr * step);
        }
        break;
    }
    case GL_OPT_ADAM:
    case GL_OPT_ADAMW: {
        const float b1 = o->beta1, b2 = o->beta2;
        const float c1 = 1.0f - powf(b1, (float)t), c2 = 1.0f - powf(b2, (float)t);
        const float decay = o->kind == GL_OPT_ADAMW ? 1.0f - lr * o->weight_decay : 1.0f;
        const float sc2 = sqrtf(c2);
        for (long i = 0; i < n; ++i) {
            float gi = g[i] * gscale + wd * w[i];
            float w0 = w[i] * decay;
            s1[i] = b1 * s1[i] + (1.0f - b1) * gi;
            s2[i] = b2 * s2[i] + (1.0f - b2) * gi * gi;
            /* PyTorch: w -= lr/c1 * m / (sqrt(v)/sqrt(c2) + eps) */
            MOVE(i, w0 - (lr / c1) * s1[i] / (sqrtf(s2[i]) / sc2 + o->epsilon));
        }
        break;
    }
    }
    return moved;
#undef MOVE
}
