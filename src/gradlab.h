/* gradlab.h: the public C API, the functions the WebAssembly module exports.
 *
 * A short tour: make a data set (gl_dataset_make), make a network from a layer table
 * (gl_network_make), choose an optimiser (gl_network_set_optimizer), then call
 * gl_network_train for many steps at a time and read tensors in place (gl_network_tensor).
 * Objects are named by integer handles; a disposed handle is refused, never dereferenced.
 * Every call returns a status (>= 0 is success, for makers the new handle); on failure
 * gl_error_message() says which argument was wrong and what is allowed.
 * Arrays cross the boundary as pointers into the module's memory (gl_alloc / gl_free). */
#ifndef GRADLAB_H
#define GRADLAB_H
#include <stdint.h>

enum { GL_OK = 0, GL_ERR_ARGUMENT = -1, GL_ERR_MEMORY = -2, GL_ERR_HANDLE = -3, GL_ERR_STATE = -4 };

/* Limits, refused up front with the number (see docs/reliability.md) */
#define GL_LIMIT_LAYERS 64
#define GL_LIMIT_UNITS 4096
#define GL_LIMIT_SAMPLES 1000000
#define GL_LIMIT_DATA_FLOATS 33554432L   /* samples x inputs, 128 MiB */
#define GL_LIMIT_PARAMS 33554432L        /* parameters of one network, 128 MiB */
#define GL_LIMIT_BATCH 65536
#define GL_LIMIT_PASS_FLOATS 268435456L  /* activations and scratch of one pass (batch), 1 GiB */
#define GL_LIMIT_STEPS 10000000
#define GL_LIMIT_OBJECTS 4096            /* live networks and live data sets, each */
#define GL_LIMIT_INPUTS 16384           /* inputs of a network, values per example of a layer */
#define GL_LIMIT_FILTERS 1024            /* filters of a convolution */
#define GL_LIMIT_IMAGE 32                /* side of a generated image (digits, shapes) */

/* Layer table rows, GL_LAYER_INTS int32 and GL_LAYER_FLOATS float32 per layer */
#define GL_LAYER_INTS 12   /* units or filters, activation, init kind, batch norm, batch norm after activation,
                              type (0 dense, 1 conv, 2 pool, 3 flatten), kernel, stride, same padding (0/1),
                              pool mode (0 max, 1 average), (reserved x2) */
#define GL_LAYER_FLOATS 10 /* leaky slope, init p0, init p1, l1 scale, l2 scale, dropout, bias init,
                              batch-norm momentum, batch-norm epsilon, (reserved) */
/* Optimiser row, GL_OPT_FLOATS float32:
 * kind, lr, momentum, alpha, epsilon, beta1, beta2, weight decay, clip norm, l1, l2, centered,
 * schedule kind, step size, gamma, decay, steps, min lr, period, period mult, max lr, mode, warmup */
#define GL_OPT_FLOATS 23
/* Tensors readable in place by gl_network_tensor */
enum { GL_T_WEIGHTS = 0, GL_T_BIASES = 1, GL_T_PREACT = 2, GL_T_ACT = 3, GL_T_WGRAD = 4, GL_T_BGRAD = 5,
       GL_T_GAMMA = 6, GL_T_BETA = 7, GL_T_RUNNING_MEAN = 8, GL_T_RUNNING_VAR = 9, GL_T_DROPOUT_MASK = 10,
       GL_T_COUNT = 11 };

void *gl_alloc(int bytes);                 /* NULL when memory runs out */
void gl_free(void *p);
const char *gl_error_message(void);        /* the last failure, as text */
int gl_memory_live(void);                  /* bytes in use by malloc */

/* size: the side of the images of 'digits' and 'shapes' (8..32; ignored by the other kinds) */
int gl_dataset_make(int kind, int samples, int classes, int size, float noise, float test_fraction,
                    uint32_t seed);
/* y is int32 class ids when classes > 0, else float32 targets with outputs per row */
int gl_dataset_load(const float *x, const void *y, int samples, int inputs, int outputs, int classes,
                    float test_fraction, uint32_t seed);
/* info[0..9] = inputs, outputs, classes, train rows, test rows, x pointer, y pointer, and the shape of
 * a row (height, width, channels) */
int gl_dataset_info(int h, int32_t *info);
int gl_dataset_dispose(int h);

/* shape: (height, width, channels) of an input row, or NULL for (1, 1, inputs);
 * dropout_mode: 0 inverted, 1 classic */
int gl_network_make(int inputs, const int32_t *shape, int n_layers, const int32_t *ints, const float *floats,
                    int loss, int dropout_mode, uint32_t seed);
int gl_network_set_optimizer(int h, const float *row);
/* out[0..6] = steps run, loss, accuracy (-1 none), penalty, learning rate, diverged (0/1), steps taken.
 * On divergence (a loss, penalty or gradient not finite, or an update overflowing a weight) it stops
 * and undoes the update that led there: the weights are those of the last finite loss. */
int gl_network_train(int h, int data, int steps, int batch, float *out);
/* out[0..1] = loss, accuracy (-1 none) over split 0 = train, 1 = test */
int gl_network_evaluate(int h, int data, int split, float *out);
int gl_network_predict(int h, const float *x, int rows, float *y);
int gl_network_forward(int h, const float *x, int rows, int training);
/* out[0..1] = pointer, length in floats of tensor `what` of layer `layer` (0, 0 when the layer has
 * no such tensor, or no pass has run yet) */
int gl_network_tensor(int h, int layer, int what, int32_t *out);
/* out[0..2] = the (height, width, channels) of layer `layer`'s output per example */
int gl_network_shape(int h, int layer, int32_t *out);
/* ints[0..5] = layers, parameters, steps taken, rows of the last pass, optimiser state arrays,
 * optimiser updates; rate[0] = the learning rate of the last step */
int gl_network_info(int h, int32_t *ints, float *rate);
int gl_network_dispose(int h);

/* out[0..23]: mean, std, min, max of weights, biases, pre-activations, activations and weight
 * gradients (4 each), then saturated fraction, dead fraction, gradient norm, update ratio */
int gl_network_stats(int h, int layer, float *out);
/* counts[0..bins) and edges[0..bins] of tensor `what` of a layer over [lo, hi], or over the
 * tensor's own range when automatic; values outside the range go to the end bins */
int gl_network_histogram(int h, int layer, int what, int bins, float lo, float hi, int automatic,
                         uint32_t *counts, float *edges);

/* out[0..n) = N(0, 1) draws of the seeded generator (data stream) */
int gl_random_normal(float *out, int n, uint32_t seed);

/* rate[0..steps) of an optimiser row's schedule */
int gl_schedule_curve(const float *row, int steps, float *rate);
/* out[0..5] = state pointer, parameters, state arrays, updates since set, optimiser kind, and the
 * floats from the start of one array to the next (the parameter count rounded up to whole 64-byte
 * lines); each array is laid out like the parameters */
int gl_network_optimizer_state(int h, int32_t *out);

/* values of a 2-D surface on a res x res grid: row i at y0 + i (y1-y0)/(res-1), column j likewise in x */
int gl_surface_grid(int kind, float x0, float x1, float y0, float y1, int res, float *out);
/* Runs an optimiser row from (x, y) for steps on a surface, with seeded Gaussian noise of std
 * `noise` added to each gradient. path: 2 (steps+1) floats, loss: steps+1 floats. Returns the steps
 * completed: fewer than asked when the point left the finite numbers (the rest is not written). */
int gl_optimize(int kind, float x, float y, const float *row, int steps, float noise, uint32_t seed,
                float *path, float *loss);

/* ---- instruments (landscape.c, hessian.c, lrfind.c; docs/optimizers.md): each one leaves the
 * network bit for bit as it found it (weights, gradients, batch-norm statistics, optimiser state,
 * step counters, epoch order, random streams); only the activation views show its last pass.
 * rows: the first `rows` training rows of the data set, 0 = all of them. A loss that is not finite
 * at the current weights is refused with GL_ERR_STATE. */
#define GL_LIMIT_LANDSCAPE_RESOLUTION 101  /* grid side, 3..101 */
#define GL_LIMIT_SPAN 1000000              /* largest span of a landscape, in units of its directions */
#define GL_LIMIT_SHARPNESS_ITERATIONS 1000 /* Hessian-vector products of one sharpness estimate */
#define GL_LIMIT_LRFIND_STEPS 10000        /* steps of one range test, 2..10000 */
#define GL_LIMIT_LEARNING_RATE 1000        /* the largest learning rate of an optimiser and a range test */
#define GL_LIMIT_TRAJECTORY_POINTS 1024    /* copies of the weights in a training record, 2..1024 */
#define GL_LIMIT_TRAJECTORY_FLOATS 16777216L /* copies x parameters of a record, 64 MiB */

/* out[0..3] = GL_LIMIT_LANDSCAPE_RESOLUTION, GL_LIMIT_SHARPNESS_ITERATIONS, GL_LIMIT_LRFIND_STEPS,
 * GL_LIMIT_TRAJECTORY_POINTS: for callers sizing output arrays (the calls check the ranges) */
int gl_instrument_limits(int32_t *out);
/* Starts (replacing any other) a record of the weights during training: the current weights, then
 * a copy every `interval` steps; at `capacity` copies every second one is dropped and the interval
 * doubles. capacity 0 stops and frees the record. */
int gl_network_record_trajectory(int h, int capacity, int interval);
/* out[0..3] = capacity, copies held, interval, step of the first copy (all 0 without a record);
 * steps[0..copies) = the step of each copy, unless NULL */
int gl_network_trajectory(int h, int32_t *out, int32_t *steps);
/* The loss on the plane w + alpha d1 + beta d2 (Li et al. 2018), in evaluation mode over `rows`
 * rows: mode 0 = seeded random filter-normalised directions, 1 = the two leading principal
 * directions of the record (needs 2 or more copies). span > 0 (mode 1: 0 = 1.25 x the path's
 * extent); alpha = beta = res evenly spaced values over [-span, span].
 * values: res x res floats (row i = beta[i], column j = alpha[j]); axes: alpha then beta (2 res);
 * directions: d1 then d2 (2 x parameters) or NULL; path: 2 x copies floats (alpha, beta of each
 * recorded copy, mode 1) or NULL. out[0..6] = loss and accuracy (-1 none) at the current weights,
 * span used, path points written, share of the record's variance along d1 and d2 (mode 1), rows. */
int gl_network_landscape(int h, int data, int mode, float span, int res, int rows, uint32_t seed, float *values,
                         float *axes, float *directions, float *path, float *out);
/* The largest eigenvalue of the Hessian of the mean training loss over `rows` rows (training mode,
 * one fixed dropout mask, no penalties) by power iteration on Hessian-vector products (hessian.h),
 * stopping when the estimate changes by at most `tolerance` (relative; 0 = run every iteration).
 * out[0..6] = lambda max, relative residual |Hv - lambda v| / |lambda|, products used, converged
 * (0/1), central-difference step, eigenvalue of largest magnitude, loss at the current weights. */
int gl_network_sharpness(int h, int data, int iterations, int rows, float tolerance, uint32_t seed, float *out);
/* The learning-rate range test (lrfind.h) with optimiser row `row` (NULL = the network's own
 * optimiser and state, its schedule off): steps minibatch steps (batch as gl_network_train) at
 * rates growing exponentially from `from` to `to`, smoothed with `smoothing` (0 <= beta < 1).
 * Fills lrs, losses, smoothed [0..steps); returns the steps run (fewer when it stopped early). */
int gl_network_lr_find(int h, int data, const float *row, float from, float to, int steps, int batch, float smoothing,
                       float *lrs, float *losses, float *smoothed);
#endif
