/* lrfind.h: the learning-rate range test (Smith 2017, "Cyclical Learning Rates for Training Neural
 * Networks", section 3.3, in the form fastai's lr_find made common): train from the current weights
 * for `steps` minibatch steps while the rate grows exponentially from `from` to `to`, record each
 * step's loss (of its batch, before the update) and its smoothed value, an exponential moving
 * average with bias correction,
 *   avg_i = beta avg_{i-1} + (1 - beta) loss_i,  smoothed_i = avg_i / (1 - beta^(i+1)),
 * and stop after the first step whose smoothed loss is more than GL_LRFIND_STOP times the lowest so
 * far, or whose loss is not finite. */
#ifndef GL_LRFIND_H
#define GL_LRFIND_H
#include "network.h"

#define GL_LRFIND_STOP 4.0f

/* Trains n in place with its current optimiser (rate replaced, schedule off): call it inside a
 * snapshot (snapshot.h) after gl_net_prepare. Fills lrs, losses, smoothed [0..steps) and returns
 * how many steps ran. */
int gl_lrfind_run(gl_net *n, const gl_dataset *d, int batch, float from, float to, int steps, float beta,
                  float *lrs, float *losses, float *smoothed);
#endif
