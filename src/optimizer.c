#include "optimizer.h"
#include "vec4.h"
#include <math.h>

int gl_optimizer_state_arrays(const gl_optimizer *o) {
    switch (o->kind) {
    case GL_OPT_MOMENTUM: case GL_OPT_NESTEROV: case GL_OPT_ADAGRAD: return 1;
    case GL_OPT_ADAM: case GL_OPT_ADAMW: return 2;
    case GL_OPT_RMSPROP: return 1 + (o->momentum > 0) + (o->centered != 0);
    default: return 0;
    }
}

double gl_optimizer_step_ref(const gl_optimizer *o, float lr, long t, float *w, const float *g, float gscale,
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

double gl_sum_squares(const float *x, long n) {
    /* four independent sums, so the additions do not wait on each other (a single chain of
     * dependent double additions ran at a quarter of the speed) */
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += (double)x[i] * x[i]; s1 += (double)x[i + 1] * x[i + 1];
        s2 += (double)x[i + 2] * x[i + 2]; s3 += (double)x[i + 3] * x[i + 3];
    }
    for (; i < n; ++i) s0 += (double)x[i] * x[i];
    return (s0 + s1) + (s2 + s3);
}

int gl_all_finite(const float *x, long n) {
    long i = 0;
#ifdef GL_VEC4
    /* x - x is 0 for a finite x and NaN for an infinite or NaN one; the sum of those stays 0
     * exactly while every value seen is finite */
    gl_v4 acc = v4_splat(0.0f);
    for (; i + 4 <= n; i += 4) {
        gl_v4 v = v4_load(x + i);
        acc = v4_add(acc, v4_sub(v, v));
    }
    if (v4_sum(acc) != 0.0f) return 0;
#endif
    for (; i < n; ++i) if (!isfinite(x[i])) return 0;
    return 1;
}

#ifdef GL_VEC4
/* Adam and AdamW four parameters at a time: the reference's arithmetic, operation for operation
 * (so the same results where mul and add are not fused), with the squared change summed per lane
 * in float over blocks of 1024 and then in double. */
static double adam_v4(const gl_optimizer *o, float lr, long t, float *w, const float *g, float gscale,
                      float *s1, float *s2, long n) {
    const float b1 = o->beta1, b2 = o->beta2;
    const float c1 = 1.0f - powf(b1, (float)t), c2 = 1.0f - powf(b2, (float)t);
    const float decay = o->kind == GL_OPT_ADAMW ? 1.0f - lr * o->weight_decay : 1.0f;
    const float wd = o->kind == GL_OPT_ADAMW ? 0.0f : o->weight_decay;
    const gl_v4 vgs = v4_splat(gscale), vwd = v4_splat(wd), vdecay = v4_splat(decay);
    const gl_v4 vb1 = v4_splat(b1), vb2 = v4_splat(b2), v1b1 = v4_splat(1.0f - b1), v1b2 = v4_splat(1.0f - b2);
    const gl_v4 vrate = v4_splat(lr / c1), vsc2 = v4_splat(sqrtf(c2)), veps = v4_splat(o->epsilon);
    double moved = 0.0;
    long i = 0;
    while (i + 4 <= n) {
        gl_v4 acc = v4_splat(0.0f);
        long end = i + 1024 < n ? i + 1024 : n;
        for (; i + 4 <= end; i += 4) {
            gl_v4 wi = v4_load(w + i);
            gl_v4 gi = v4_add(v4_mul(v4_load(g + i), vgs), v4_mul(vwd, wi));
            gl_v4 w0 = v4_mul(wi, vdecay);
            gl_v4 m = v4_add(v4_mul(vb1, v4_load(s1 + i)), v4_mul(v1b1, gi));
            gl_v4 v = v4_add(v4_mul(vb2, v4_load(s2 + i)), v4_mul(v4_mul(v1b2, gi), gi));
            v4_store(s1 + i, m);
            v4_store(s2 + i, v);
            gl_v4 wn = v4_sub(w0, v4_div(v4_mul(vrate, m), v4_add(v4_div(v4_sqrt(v), vsc2), veps)));
            v4_store(w + i, wn);
            gl_v4 d = v4_sub(wn, wi);
            acc = v4_add(acc, v4_mul(d, d));
        }
        moved += (double)v4_sum(acc);
    }
    if (i < n) moved += gl_optimizer_step_ref(o, lr, t, w + i, g + i, gscale, s1 + i, s2 + i, 0, n - i);
    return moved;
}
#endif

double gl_optimizer_step(const gl_optimizer *o, float lr, long t, float *w, const float *g, float gscale,
                         float *s1, float *s2, float *s3, long n) {
#ifdef GL_VEC4
    if (o->kind == GL_OPT_ADAM || o->kind == GL_OPT_ADAMW) return adam_v4(o, lr, t, w, g, gscale, s1, s2, n);
#endif
    return gl_optimizer_step_ref(o, lr, t, w, g, gscale, s1, s2, s3, n);
}
