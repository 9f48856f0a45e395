/* landscape.h: the loss of a network on a plane through its current weights, w + alpha d1 + beta d2
 * (Li, Xu, Taylor, Studer, Goldstein 2018, "Visualizing the Loss Landscape of Neural Nets").
 * The directions are either random and filter-normalised, or the two leading principal directions
 * of a recorded training path (trajectory.h). */
#ifndef GL_LANDSCAPE_H
#define GL_LANDSCAPE_H
#include "dataset.h"
#include "network.h"
#include "trajectory.h"

/* d (n_params): N(0, 1) draws for every weight of a dense or conv layer, then each unit's incoming
 * weights (a column of W: a dense unit, or one conv filter) scaled to the norm of the same column of
 * the network's weights; biases and batch-norm parameters are 0 */
void gl_landscape_random_direction(const gl_net *n, gl_rng *r, float *d);

/* d1, d2 (n_params): unit vectors along the two leading principal directions of the recorded
 * weights' offsets from w (centred, as principal component analysis does); coords (2 count):
 * each recorded point's offset from w projected on (d1, d2); explained[0..1]: the share of the
 * offsets' variance along each. Returns 1, or 0 when the offsets span fewer than two directions
 * (or memory is short: -1). */
int gl_landscape_trajectory_directions(const gl_trajectory *t, const float *w, float *d1, float *d2, float *coords,
                                       double *explained);

/* values[i res + j] = the mean data loss in evaluation mode over the training rows of d at
 * w0 + alpha[j] d1 + beta[i] d2. n->params is overwritten: the caller puts w0 back. */
void gl_landscape_grid(gl_net *n, const gl_dataset *d, const float *w0, const float *d1, const float *d2,
                       const float *alpha, const float *beta, int res, float *values);
#endif
