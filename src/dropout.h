/* dropout.h: dropping units at random in training, forward and backward side by side.
 * p is the drop probability; mask holds 1 for kept units, 0 for dropped ones.
 *   inverted: training y = x mask / (1 - p), evaluation y = x
 *   classic:  training y = x mask,           evaluation y = x (1 - p)
 * Both give an evaluation output equal to the expected training output. */
#ifndef GL_DROPOUT_H
#define GL_DROPOUT_H
#include "gradlab.h"
#include "rng.h"

/* the modes (GL_DROPOUT_*) are named in gradlab.h */

void gl_dropout_forward_train(float *y, float *mask, const float *x, long n, float p, int mode, gl_rng *r);
void gl_dropout_forward_eval(float *y, const float *x, long n, float p, int mode);
/* dx = dy * mask (/ (1 - p) when inverted); dx may alias dy */
void gl_dropout_backward(float *dx, const float *dy, const float *mask, long n, float p, int mode);
#endif
