/* activation.h: elementwise activations, forward and backward side by side. */
#ifndef GL_ACTIVATION_H
#define GL_ACTIVATION_H

enum { GL_ACT_LINEAR = 0, GL_ACT_RELU = 1, GL_ACT_LEAKY_RELU = 2, GL_ACT_TANH = 3,
       GL_ACT_SIGMOID = 4, GL_ACT_SOFTMAX = 5, GL_ACT_COUNT = 6 };

/* a = f(z) over rows x cols; softmax works row by row, the others elementwise.
 * slope is leaky ReLU's slope for z < 0. */
void gl_activation_forward(float *a, const float *z, int rows, int cols, int act, float slope);
/* dz = da * f'(z) elementwise (not for softmax, whose gradient the loss computes) */
void gl_activation_backward(float *dz, const float *da, const float *z, const float *a, long n,
                            int act, float slope);
#endif
