/* activation.h: elementwise activations, forward and backward side by side.
 * gl_activation_* use the 4-lane kernels (with simd_math.h's exp, tanh and sigmoid) where the
 * build has them; gl_activation_*_ref are plain loops on libm, the reference they are tested
 * against and the kernels of builds without SIMD. */
#ifndef GL_ACTIVATION_H
#define GL_ACTIVATION_H
#include "gradlab.h"

/* the activations (GL_ACT_*) are named in gradlab.h */

/* softmax and sigmoid outputs below this are stored as 0 (see activation.c) */
#define GL_TINY_PROBABILITY 1e-30f

/* a = f(z) over rows x cols; softmax works row by row, the others elementwise.
 * slope is leaky ReLU's slope for z < 0. a may equal z. */
void gl_activation_forward(float *a, const float *z, int rows, int cols, int act, float slope);
/* dz = da * f'(z) elementwise (not for softmax, whose gradient the loss computes); dz may equal da */
void gl_activation_backward(float *dz, const float *da, const float *z, const float *a, long n,
                            int act, float slope);

void gl_activation_forward_ref(float *a, const float *z, int rows, int cols, int act, float slope);
void gl_activation_backward_ref(float *dz, const float *da, const float *z, const float *a, long n,
                                int act, float slope);
#endif
