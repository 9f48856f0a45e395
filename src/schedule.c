#include "schedule.h"
#include <math.h>

static const double PI = 3.14159265358979323846;

static double base_rate(const gl_schedule *s, double lr, double t) {
    switch (s->kind) {
    case GL_SCHED_STEP: return lr * pow(s->gamma, floor(t / s->step_size));
    case GL_SCHED_EXPONENTIAL: return lr * pow(s->gamma, t);
    case GL_SCHED_INVERSE_TIME: return lr / (1.0 + s->decay * t);
    case GL_SCHED_COSINE: {
        double tt = t < s->steps ? t : s->steps;
        return s->min_lr + 0.5 * (lr - s->min_lr) * (1.0 + cos(PI * tt / s->steps));
    }
    case GL_SCHED_SGDR: {
        /* restarts at 0, T0, T0 + T0*Tm, ...: find the current period and the place in it */
        double period = s->period, tc = t;
        if (s->period_mult == 1.0f) tc = fmod(t, period);
        else while (tc >= period) { tc -= period; period *= s->period_mult; } /* log(t) rounds */
        return s->min_lr + 0.5 * (lr - s->min_lr) * (1.0 + cos(PI * tc / period));
    }
    case GL_SCHED_CYCLIC: {
        double cycle = floor(1.0 + t / (2.0 * s->step_size));
        double x = fabs(t / s->step_size - 2.0 * cycle + 1.0);
        double height = (s->max_lr - lr) * (x < 1.0 ? 1.0 - x : 0.0);
        if (s->mode == GL_CYCLIC_TRIANGULAR2) height /= pow(2.0, cycle - 1.0);
        else if (s->mode == GL_CYCLIC_EXP_RANGE) height *= pow(s->gamma, t);
        return lr + height;
    }
    default: return lr;
    }
}

float gl_schedule_rate(const gl_schedule *s, float lr, long t) {
    double r = base_rate(s, lr, (double)t);
    if (s->warmup > 0 && (double)t < s->warmup) r *= ((double)t + 1.0) / s->warmup;
    return (float)r;
}
