#include "lrfind.h"
#include <math.h>
#include <string.h>

int gl_lrfind_run(gl_net *n, const gl_dataset *d, int batch, float from, float to, int steps, float beta,
                  float *lrs, float *losses, float *smoothed) {
    memset(&n->sched, 0, sizeof n->sched); /* constant, no warm-up: the rate is what is set below */
    n->trajectory = 0;                      /* not a step of the run being recorded */
    double avg = 0, lowest = INFINITY, decay = 1;
    for (int i = 0; i < steps; ++i) {
        double lr = from * pow((double)to / from, steps > 1 ? (double)i / (steps - 1) : 0.0);
        n->opt.learning_rate = (float)lr;
        gl_train_result r;
        gl_net_train(n, d, 1, batch, &r);
        lrs[i] = (float)lr;
        losses[i] = r.loss;
        avg = beta * avg + (1 - beta) * r.loss;
        decay *= beta;
        double s = avg / (1 - decay);
        smoothed[i] = (float)s;
        if (!isfinite(r.loss) || r.diverged || !isfinite(s)) return i + 1;
        if (s < lowest) lowest = s;
        if (s > GL_LRFIND_STOP * lowest) return i + 1;
    }
    return steps;
}
