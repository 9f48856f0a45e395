#include "optimizer.h"
#include "vec4.h"
#include <float.h>
#include <math.h>

int gl_optimizer_state_arrays(const gl_optimizer *o) {
    switch (o->kind) {
    case GL_OPT_MOMENTUM: case GL_OPT_NESTEROV: case GL_OPT_ADAGRAD: return 1;
    case GL_OPT_ADAM: case GL_OPT_ADAMW: return 2;
    case GL_OPT_RMSPROP: return 1 + (o->momentum > 0) + (o->centered != 0);
    default: return 0;
    }
}

void gl_optimizer_begin(gl_opt_step *st, const gl_optimizer *o, float lr, long t, float gscale) {
    st->lr = lr; st->t = t; st->gscale = gscale;
    st->c1 = st->sc2 = 1.0f;
    if (o->kind == GL_OPT_ADAM || o->kind == GL_OPT_ADAMW) {
        st->c1 = 1.0f - powf(o->beta1, (float)t);
        st->sc2 = sqrtf(1.0f - powf(o->beta2, (float)t));
    }
}

/* Adam's moments are stored as 0 once below the smallest normal float: wasm has no flush-to-zero
 * mode, and a moment that decays geometrically (a weight whose gradient stays 0, like a dead ReLU's)
 * would otherwise be multiplied as a subnormal number every step, which x86 does about 100x slower.
 * The change is below anything the update can show: m < 1.2e-38 moves w by under lr * 1.2e-30. */
static inline float flush_subnormal(float x) { return fabsf(x) < FLT_MIN ? 0.0f : x; }

double gl_optimizer_apply_ref(const gl_optimizer *o, const gl_opt_step *st, float *w, const float *g,
                              float *s1, float *s2, float *s3, long n, float *prev, int *finite) {
    const float wd = o->kind == GL_OPT_ADAMW ? 0.0f : o->weight_decay;
    const float lr = st->lr, gscale = st->gscale;
    const long t = st->t;
    double moved = 0.0;
    int ok = 1;
#define MOVE(i, expr) do { float before_ = w[i]; if (prev) prev[i] = before_; w[i] = (expr); \
        ok &= isfinite(w[i]) != 0; moved += (double)(w[i] - before_) * (w[i] - before_); } while (0)
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
        /* PyTorch's w -= lr/c1 * m / (sqrt(v)/sqrt(c2) + eps), with numerator and denominator
         * multiplied by sqrt(c2) (Kingma and Ba's own arrangement): one division instead of two */
        const float b1 = o->beta1, b2 = o->beta2;
        const float decay = o->kind == GL_OPT_ADAMW ? 1.0f - lr * o->weight_decay : 1.0f;
        const float rate = lr * st->sc2 / st->c1, eps = o->epsilon * st->sc2;
        for (long i = 0; i < n; ++i) {
            float gi = g[i] * gscale + wd * w[i];
            float w0 = w[i] * decay;
            s1[i] = flush_subnormal(b1 * s1[i] + (1.0f - b1) * gi);
            s2[i] = flush_subnormal(b2 * s2[i] + (1.0f - b2) * gi * gi);
            MOVE(i, w0 - rate * s1[i] / (sqrtf(s2[i]) + eps));
        }
        break;
    }
    }
    if (!ok && finite) *finite = 0;
    return moved;
#undef MOVE
}

double gl_optimizer_step_ref(const gl_optimizer *o, float lr, long t, float *w, const float *g, float gscale,
                             float *s1, float *s2, float *s3, long n) {
    gl_opt_step st;
    gl_optimizer_begin(&st, o, lr, t, gscale);
    return gl_optimizer_apply_ref(o, &st, w, g, s1, s2, s3, n, 0, 0);
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
    /* x - x is +0 (no bit set) for a finite x and NaN for an infinite or NaN one; OR-ing those
     * together keeps every bit 0 exactly while every value seen is finite. Two accumulators and an
     * OR (not an add, whose latency would chain the iterations) keep the loop at load speed. */
    gl_v4 acc0 = v4_splat(0.0f), acc1 = acc0;
    for (; i + 8 <= n; i += 8) {
        gl_v4 a = v4_load(x + i), b = v4_load(x + i + 4);
        acc0 = v4_or(acc0, v4_sub(a, a));
        acc1 = v4_or(acc1, v4_sub(b, b));
    }
    for (; i + 4 <= n; i += 4) {
        gl_v4 a = v4_load(x + i);
        acc0 = v4_or(acc0, v4_sub(a, a));
    }
    if (v4_sum(v4_or(acc0, acc1)) != 0.0f) return 0;
#endif
    for (; i < n; ++i) if (!isfinite(x[i])) return 0;
    return 1;
}

#ifdef GL_VEC4
/* Adam and AdamW four parameters at a time: the reference's arithmetic, operation for operation
 * (so the same results where mul and add are not fused), with the squared change summed per lane
 * in float over blocks of 1024 and then in double. In the same pass: the old parameters into prev
 * (the divergence guard's copy) and a check that every new one is finite (x - x is 0 exactly for
 * finite x, NaN otherwise), so neither needs a pass of its own over memory.
 * PLAIN (a constant once inlined): no weight decay of either kind and no gradient scaling, the
 * usual case, where the reference's g * 1 + 0 * w and w * 1 are g and w for every finite w, so
 * those four operations are left out (a zero's sign may differ, but a zero moment is stored as +0
 * either way; with a non-finite w the new w is not finite either way, and the update is refused).
 * With its arrays in the caches the loop is bound by its arithmetic; within a d500 step, where
 * they are not, by memory (docs/benchmarks.md). */
GL_INLINE double adam_t(const int PLAIN, const gl_optimizer *o, const gl_opt_step *st, float *w, const float *g,
                        float *s1, float *s2, long n, float *prev, int *finite) {
    const float b1 = o->beta1, b2 = o->beta2, lr = st->lr;
    const float decay = o->kind == GL_OPT_ADAMW ? 1.0f - lr * o->weight_decay : 1.0f;
    const float wd = o->kind == GL_OPT_ADAMW ? 0.0f : o->weight_decay;
    const gl_v4 vgs = v4_splat(st->gscale), vwd = v4_splat(wd), vdecay = v4_splat(decay);
    const gl_v4 vb1 = v4_splat(b1), vb2 = v4_splat(b2), v1b1 = v4_splat(1.0f - b1), v1b2 = v4_splat(1.0f - b2);
    const gl_v4 vrate = v4_splat(lr * st->sc2 / st->c1), veps = v4_splat(o->epsilon * st->sc2);
    const gl_v4 tiny = v4_splat(FLT_MIN), zero = v4_splat(0.0f);
    gl_v4 bad = zero;
    double moved = 0.0;
    long i = 0;
    while (i + 4 <= n) {
        gl_v4 acc = zero;
        long end = i + 1024 < n ? i + 1024 : n;
        for (; i + 4 <= end; i += 4) {
            gl_v4 wi = v4_load(w + i);
            if (prev) v4_store(prev + i, wi);
            gl_v4 gi = PLAIN ? v4_load(g + i) : v4_add(v4_mul(v4_load(g + i), vgs), v4_mul(vwd, wi));
            gl_v4 w0 = PLAIN ? wi : v4_mul(wi, vdecay);
            gl_v4 m = v4_add(v4_mul(vb1, v4_load(s1 + i)), v4_mul(v1b1, gi));
            gl_v4 v = v4_add(v4_mul(vb2, v4_load(s2 + i)), v4_mul(v4_mul(v1b2, gi), gi));
            /* flush_subnormal: the lanes whose magnitude is below FLT_MIN cleared (NaN kept) */
            m = v4_andnot(m, v4_lt(v4_abs(m), tiny));
            v = v4_andnot(v, v4_lt(v4_abs(v), tiny));
            v4_store(s1 + i, m);
            v4_store(s2 + i, v);
            gl_v4 wn = v4_sub(w0, v4_div(v4_mul(vrate, m), v4_add(v4_sqrt(v), veps)));
            v4_store(w + i, wn);
            bad = v4_or(bad, v4_sub(wn, wn));
            gl_v4 d = v4_sub(wn, wi);
            acc = v4_add(acc, v4_mul(d, d));
        }
        moved += (double)v4_sum(acc);
    }
    if (finite && v4_sum(bad) != 0.0f) *finite = 0;
    if (i < n) moved += gl_optimizer_apply_ref(o, st, w + i, g + i, s1 + i, s2 + i, 0, n - i, prev ? prev + i : 0, finite);
    return moved;
}

static double adam_v4(const gl_optimizer *o, const gl_opt_step *st, float *w, const float *g, float *s1,
                      float *s2, long n, float *prev, int *finite) {
    if (o->weight_decay == 0.0f && st->gscale == 1.0f) return adam_t(1, o, st, w, g, s1, s2, n, prev, finite);
    return adam_t(0, o, st, w, g, s1, s2, n, prev, finite);
}
#endif

double gl_optimizer_apply(const gl_optimizer *o, const gl_opt_step *st, float *w, const float *g,
                          float *s1, float *s2, float *s3, long n, float *prev, int *finite) {
#ifdef GL_VEC4
    if (o->kind == GL_OPT_ADAM || o->kind == GL_OPT_ADAMW) return adam_v4(o, st, w, g, s1, s2, n, prev, finite);
#endif
    return gl_optimizer_apply_ref(o, st, w, g, s1, s2, s3, n, prev, finite);
}

double gl_optimizer_step(const gl_optimizer *o, float lr, long t, float *w, const float *g, float gscale,
                         float *s1, float *s2, float *s3, long n) {
    gl_opt_step st;
    gl_optimizer_begin(&st, o, lr, t, gscale);
    return gl_optimizer_apply(o, &st, w, g, s1, s2, s3, n, 0, 0);
}
