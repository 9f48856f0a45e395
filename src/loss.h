/* loss.h: data losses, their value and their gradient with respect to the output layer's
 * pre-activations z, in one pass. */
#ifndef GL_LOSS_H
#define GL_LOSS_H
#include "gradlab.h"
#include <stdint.h>

/* the losses (GL_LOSS_*) are named in gradlab.h */

/* z, a: (B,K) output pre-activations and activations. Targets: class ids yi (B) or values yf (B,K);
 * with class ids, BCE reads id as the 0/1 target and MSE compares against one-hot rows.
 * Writes dz (B,K) = d(mean loss)/dz unless dz is NULL; counts correct predictions into *correct
 * when classes are known (yi != NULL). Returns total plus the loss summed over the batch: each row's
 * loss is computed on its own and added to total in row order, so a sum over many rows comes out
 * bit for bit the same however they are cut into passes (gl_net_evaluate's chunks). */
double gl_loss_sum_ref(int loss, int act, float slope, const float *z, const float *a, int B, int K,
                       const int32_t *yi, const float *yf, float *dz, int *correct, double total);
/* the same; cross-entropy runs four rows at a time with the 4-lane exp and log where the build has
 * them (vec4.h), gl_loss_sum_ref being its reference */
double gl_loss_sum(int loss, int act, float slope, const float *z, const float *a, int B, int K,
                   const int32_t *yi, const float *yf, float *dz, int *correct, double total);
/* the mean loss over the batch: gl_loss_sum_ref and gl_loss_sum from 0, divided by B */
float gl_loss_ref(int loss, int act, float slope, const float *z, const float *a, int B, int K,
                  const int32_t *yi, const float *yf, float *dz, int *correct);
float gl_loss(int loss, int act, float slope, const float *z, const float *a, int B, int K,
              const int32_t *yi, const float *yf, float *dz, int *correct);
#endif
