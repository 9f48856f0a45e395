/* snapshot.h: everything training changes in a network (parameters, gradients, batch-norm
 * statistics, optimiser and its state, step counters, the undo buffers, the epoch order and the
 * random streams), saved before an instrument runs and put back after it, bit for bit. The
 * instruments (landscape.c, hessian.c, lrfind.c) may then move the weights, draw dropout masks and
 * even train, and the network carries on as if they had never run. Only the activation arena (the
 * last pass, for inspection) keeps what the instrument's last pass left there. */
#ifndef GL_SNAPSHOT_H
#define GL_SNAPSHOT_H
#include "network.h"

typedef struct {
    float *params, *grads, *bn;          /* copies */
    float *prev, *prev_bn, *step_bn;     /* copies of the undo buffers, when the network has them */
    float *state;                        /* the network's own optimiser state block (moved here) */
    int32_t *perm;                       /* the network's own epoch order (moved here) */
    int state_arrays, perm_n, cursor, perm_data, prev_ok, grads_finite;
    gl_optimizer opt;
    gl_schedule sched;
    long opt_t, step;
    float last_lr;
    gl_rng rng_shuffle, rng_dropout;
    double update_sq[GL_MAX_LAYERS];
    struct gl_trajectory *trajectory;
} gl_snapshot;

/* Saves n. The network keeps working copies of its optimiser state and epoch order, so it can be
 * trained meanwhile. 0 = no memory (then nothing changed). */
int gl_snapshot_save(gl_snapshot *s, gl_net *n);
/* Puts n back as saved and frees the snapshot; cannot fail. */
void gl_snapshot_restore(gl_snapshot *s, gl_net *n);
#endif
