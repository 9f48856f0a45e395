/* trajectory.h: an opt-in record of a network's weights during training, for the 'trajectory'
 * directions of the loss landscape (Li et al. 2018, section 7: the principal directions of the
 * path the weights took). The record holds at most `capacity` copies of the parameters, taken
 * every `interval` steps counted from the step the record started; when it is full, every second
 * copy is dropped and the interval doubles, so the copies stay evenly spaced over the whole run
 * and the memory stays capacity x parameters floats. */
#ifndef GL_TRAJECTORY_H
#define GL_TRAJECTORY_H
#include <stdint.h>

typedef struct gl_trajectory {
    int capacity, count;
    long interval;      /* steps between kept copies */
    long start;         /* the network's step when the record started (its first copy) */
    long params;        /* floats per copy */
    long *steps;        /* (capacity) the step of each copy */
    float *weights;     /* (capacity, params) */
} gl_trajectory;

/* a record of capacity copies of params floats, the first one w at step `step`; NULL = no memory */
gl_trajectory *gl_trajectory_create(int capacity, long interval, long params, const float *w, long step);
void gl_trajectory_free(gl_trajectory *t);
/* called after every training step: keeps w when the step is due (thinning first if full) */
void gl_trajectory_note(gl_trajectory *t, const float *w, long step);
/* drops the copies taken after `step` (a training step that was undone) */
void gl_trajectory_truncate(gl_trajectory *t, long step);
#endif
