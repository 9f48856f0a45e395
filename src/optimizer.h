/* optimizer.h: parameter updates, one function for every optimiser, following the algorithms
 * documented for PyTorch's torch.optim (SGD with momentum/Nesterov, Adagrad, RMSprop, Adam, AdamW).
 * The same code updates a network's flat parameter arena and a point on a 2-D surface. */
#ifndef GL_OPTIMIZER_H
#define GL_OPTIMIZER_H
#include "gradlab.h"

/* the kinds (GL_OPT_*) are named in gradlab.h */

typedef struct {
    int kind;
    float learning_rate;
    float momentum;      /* momentum, nesterov, rmsprop (0 = off for rmsprop) */
    float alpha;         /* rmsprop smoothing */
    float epsilon;
    float beta1, beta2;  /* adam, adamw */
    float weight_decay;  /* added to the gradient; decoupled for adamw */
    float clip_norm;     /* 0 = off: scale the gradient so its global L2 norm is at most this */
    float l1, l2;        /* loss penalties on weights (not biases) */
    int centered;        /* rmsprop */
} gl_optimizer;

/* optimiser state floats kept per parameter: 0, 1, 2 or 3 arrays like the parameters */
int gl_optimizer_state_arrays(const gl_optimizer *o);

/* One update of n parameters w with gradient g * gscale at step t (1-based) and rate lr.
 * s1, s2, s3 point into the state arrays at the same offset as w (unused ones may be NULL).
 * Returns the squared L2 norm of the change of w. Adam and AdamW run four parameters at a time
 * where the build has 4-lane kernels (vec4.h); gl_optimizer_step_ref is the plain loop for every
 * optimiser, their reference. */
/* 1 when every x[i] is finite (no infinity, no NaN) */
int gl_all_finite(const float *x, long n);
/* the sum of x[i]^2 in double (for the gradient's norm) */
double gl_sum_squares(const float *x, long n);
/* What one step of an optimiser needs beside the arrays, worked out once per step rather than once
 * per tensor: the rate, the gradient scale, the step t and Adam's bias corrections. */
typedef struct {
    float lr, gscale;
    long t;
    float c1, sc2; /* Adam and AdamW: 1 - beta1^t and sqrt(1 - beta2^t) */
} gl_opt_step;
void gl_optimizer_begin(gl_opt_step *st, const gl_optimizer *o, float lr, long t, float gscale);
/* The update of gl_optimizer_step with the step's constants in st, and, in the same pass: w before
 * the update into prev (unless NULL), and *finite set to 0 when an updated w is infinite or NaN
 * (left alone otherwise; finite may be NULL). */
double gl_optimizer_apply(const gl_optimizer *o, const gl_opt_step *st, float *w, const float *g,
                          float *s1, float *s2, float *s3, long n, float *prev, int *finite);
double gl_optimizer_apply_ref(const gl_optimizer *o, const gl_opt_step *st, float *w, const float *g,
                              float *s1, float *s2, float *s3, long n, float *prev, int *finite);
double gl_optimizer_step_ref(const gl_optimizer *o, float lr, long t, float *w, const float *g, float gscale,
                             float *s1, float *s2, float *s3, long n);
double gl_optimizer_step(const gl_optimizer *o, float lr, long t, float *w, const float *g, float gscale,
                       float *s1, float *s2, float *s3, long n);
#endif
