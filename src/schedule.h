/* schedule.h: learning-rate schedules, the rate as a function of the step t = 0, 1, 2, ... */
#ifndef GL_SCHEDULE_H
#define GL_SCHEDULE_H
#include "gradlab.h"

/* the kinds (GL_SCHED_*) and cyclic modes (GL_CYCLIC_*) are named in gradlab.h */

typedef struct {
    int kind;
    float step_size;     /* step: steps between decays; cyclic: half a cycle */
    float gamma;         /* step, exponential, cyclic exp_range */
    float decay;         /* inverse-time */
    float steps;         /* cosine: steps to reach the minimum */
    float min_lr;        /* cosine, sgdr */
    float period;        /* sgdr: first period T0 */
    float period_mult;   /* sgdr: T_mult >= 1 */
    float max_lr;        /* cyclic */
    int mode;            /* cyclic */
    float warmup;        /* linear warm-up steps (0 = none), composed with any schedule */
} gl_schedule;

float gl_schedule_rate(const gl_schedule *s, float lr, long t);
#endif
