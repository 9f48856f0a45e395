/* batchnorm.h: batch normalisation over the rows of a (rows, units) block, forward and backward side
 * by side. Conventions as PyTorch's BatchNorm1d: biased batch variance to normalise, unbiased variance
 * in the running estimate, running <- (1 - momentum) running + momentum batch. */
#ifndef GL_BATCHNORM_H
#define GL_BATCHNORM_H

/* training: y = gamma (x - mean) / sqrt(var + eps) + beta with the batch's mean and variance (rows >= 2);
 * saves mean and invstd (units) for the backward pass and updates the running averages */
void gl_batchnorm_forward_train(float *y, float *mean, float *invstd, float *run_mean, float *run_var,
                                const float *x, const float *gamma, const float *beta, int rows, int units,
                                float momentum, float eps);
/* evaluation: the same with the running averages */
void gl_batchnorm_forward_eval(float *y, const float *x, const float *run_mean, const float *run_var,
                               const float *gamma, const float *beta, int rows, int units, float eps);
/* dx = d loss / dx for the training forward pass; dgamma, dbeta are stored (=). dx may alias dy. */
void gl_batchnorm_backward(float *dx, float *dgamma, float *dbeta, const float *dy, const float *x,
                           const float *mean, const float *invstd, const float *gamma, int rows, int units);
/* the plain loops (double sums, one column at a time): the reference of the 4-lane versions above,
 * and the kernels of builds without SIMD */
void gl_batchnorm_forward_train_ref(float *y, float *mean, float *invstd, float *run_mean, float *run_var,
                                    const float *x, const float *gamma, const float *beta, int rows, int units,
                                    float momentum, float eps);
void gl_batchnorm_forward_eval_ref(float *y, const float *x, const float *run_mean, const float *run_var,
                                   const float *gamma, const float *beta, int rows, int units, float eps);
void gl_batchnorm_backward_ref(float *dx, float *dgamma, float *dbeta, const float *dy, const float *x,
                               const float *mean, const float *invstd, const float *gamma, int rows, int units);
#endif
