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
                              pool mode (0 max, 1 average), no bias (0/1), (reserved) */
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
/* out[0..1] = pointer, count of the training rows (int32 indices into the train split) of the last
 * minibatch step, in the order the batch used them; 0, 0 after a full-batch step or before any step */
int gl_network_batch(int h, int32_t *out);
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
#endif
