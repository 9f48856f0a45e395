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

/* ---- The boundary with JavaScript ------------------------------------------------------------
 * Every name table, row slot, result slot and limit that web/lib reads is defined here, once.
 * The tables are X-macros, X(C name, JavaScript name): the C enums below are made from them, api.c
 * takes its messages' names from them, and tests/js/boundary.test.mjs parses this file and checks
 * web/lib/names.js against it, so a change on one side alone fails the tests. */
#define GL_ENUM_ITEM(name, js) name,
#define GL_NAME_ITEM(name, js) js,

#define GL_ACTIVATIONS(X) X(GL_ACT_LINEAR, "linear") X(GL_ACT_RELU, "relu") X(GL_ACT_LEAKY_RELU, "leaky-relu") \
    X(GL_ACT_TANH, "tanh") X(GL_ACT_SIGMOID, "sigmoid") X(GL_ACT_SOFTMAX, "softmax")
enum { GL_ACTIVATIONS(GL_ENUM_ITEM) GL_ACT_COUNT };
/* cross-entropy: softmax output, class ids; binary: sigmoid output, 0/1 targets; mse: any output */
#define GL_LOSSES(X) X(GL_LOSS_CROSS_ENTROPY, "cross-entropy") X(GL_LOSS_BINARY_CROSS_ENTROPY, "binary-cross-entropy") \
    X(GL_LOSS_MSE, "mse")
enum { GL_LOSSES(GL_ENUM_ITEM) GL_LOSS_COUNT };
#define GL_DATASETS(X) X(GL_DATA_CIRCLE, "circle") X(GL_DATA_XOR, "xor") X(GL_DATA_BLOBS, "blobs") \
    X(GL_DATA_SPIRAL, "spiral") X(GL_DATA_MOONS, "moons") X(GL_DATA_CHECKERBOARD, "checkerboard") \
    X(GL_DATA_PLANE, "plane") X(GL_DATA_SINE, "sine") X(GL_DATA_DIGITS, "digits") X(GL_DATA_SHAPES, "shapes")
enum { GL_DATASETS(GL_ENUM_ITEM) GL_DATA_COUNT };
#define GL_LAYER_TYPE_NAMES(X) X(GL_LAYER_DENSE, "dense") X(GL_LAYER_CONV, "conv") X(GL_LAYER_POOL, "pool") \
    X(GL_LAYER_FLATTEN, "flatten")
enum { GL_LAYER_TYPE_NAMES(GL_ENUM_ITEM) GL_LAYER_TYPES };
#define GL_POOL_MODES(X) X(GL_POOL_MAX, "max") X(GL_POOL_AVERAGE, "average")
enum { GL_POOL_MODES(GL_ENUM_ITEM) GL_POOL_COUNT };
#define GL_INITS(X) X(GL_INIT_ZEROS, "zeros") X(GL_INIT_CONSTANT, "constant") X(GL_INIT_NORMAL, "normal") \
    X(GL_INIT_UNIFORM, "uniform") X(GL_INIT_XAVIER, "xavier") X(GL_INIT_GLOROT_NORMAL, "glorot-normal") \
    X(GL_INIT_GLOROT_UNIFORM, "glorot-uniform") X(GL_INIT_HE_NORMAL, "he-normal") X(GL_INIT_HE_UNIFORM, "he-uniform") \
    X(GL_INIT_LECUN_UNIFORM, "lecun-uniform") X(GL_INIT_ORTHOGONAL, "orthogonal")
enum { GL_INITS(GL_ENUM_ITEM) GL_INIT_COUNT };
#define GL_OPTIMIZERS(X) X(GL_OPT_SGD, "sgd") X(GL_OPT_MOMENTUM, "momentum") X(GL_OPT_NESTEROV, "nesterov") \
    X(GL_OPT_ADAGRAD, "adagrad") X(GL_OPT_RMSPROP, "rmsprop") X(GL_OPT_ADAM, "adam") X(GL_OPT_ADAMW, "adamw")
enum { GL_OPTIMIZERS(GL_ENUM_ITEM) GL_OPT_COUNT };
#define GL_SCHEDULES(X) X(GL_SCHED_CONSTANT, "constant") X(GL_SCHED_STEP, "step") X(GL_SCHED_EXPONENTIAL, "exponential") \
    X(GL_SCHED_INVERSE_TIME, "inverse-time") X(GL_SCHED_COSINE, "cosine") X(GL_SCHED_SGDR, "sgdr") X(GL_SCHED_CYCLIC, "cyclic")
enum { GL_SCHEDULES(GL_ENUM_ITEM) GL_SCHED_COUNT };
#define GL_CYCLIC_MODES(X) X(GL_CYCLIC_TRIANGULAR, "triangular") X(GL_CYCLIC_TRIANGULAR2, "triangular2") \
    X(GL_CYCLIC_EXP_RANGE, "exp_range")
enum { GL_CYCLIC_MODES(GL_ENUM_ITEM) GL_CYCLIC_COUNT };
#define GL_SURFACES(X) X(GL_SURF_BOWL, "bowl") X(GL_SURF_SADDLE, "saddle") X(GL_SURF_ROSENBROCK, "rosenbrock") \
    X(GL_SURF_BEALE, "beale") X(GL_SURF_HIMMELBLAU, "himmelblau")
enum { GL_SURFACES(GL_ENUM_ITEM) GL_SURF_COUNT };
#define GL_DROPOUT_MODES(X) X(GL_DROPOUT_INVERTED, "inverted") X(GL_DROPOUT_CLASSIC, "classic")
enum { GL_DROPOUT_MODES(GL_ENUM_ITEM) GL_DROPOUT_COUNT };
/* tensors readable in place by gl_network_tensor */
#define GL_TENSORS(X) X(GL_T_WEIGHTS, "weights") X(GL_T_BIASES, "biases") X(GL_T_PREACT, "preactivations") \
    X(GL_T_ACT, "activations") X(GL_T_WGRAD, "weightGradients") X(GL_T_BGRAD, "biasGradients") X(GL_T_GAMMA, "gamma") \
    X(GL_T_BETA, "beta") X(GL_T_RUNNING_MEAN, "runningMean") X(GL_T_RUNNING_VAR, "runningVar") \
    X(GL_T_DROPOUT_MASK, "dropoutMask")
enum { GL_TENSORS(GL_ENUM_ITEM) GL_T_COUNT };

/* Layer table rows: GL_LAYER_INTS int32 and GL_LAYER_FLOATS float32 per layer, slots named by the
 * spec key they come from (flags are 0/1; type, activation, init and mode are the enums above) */
#define GL_LAYER_INT_SLOTS(X) X(GL_LI_UNITS, "units") X(GL_LI_ACTIVATION, "activation") X(GL_LI_INIT, "init") \
    X(GL_LI_BATCH_NORM, "batchNorm") X(GL_LI_BATCH_NORM_AFTER, "batchNorm.after") X(GL_LI_TYPE, "type") \
    X(GL_LI_KERNEL, "kernel") X(GL_LI_STRIDE, "stride") X(GL_LI_SAME_PADDING, "padding") X(GL_LI_POOL_MODE, "mode") \
    X(GL_LI_NO_BIAS, "bias")
enum { GL_LAYER_INT_SLOTS(GL_ENUM_ITEM) GL_LI_USED };
#define GL_LAYER_INTS 12   /* the slots above, and room for one more */
/* init p0, p1: constant's value, normal's std, uniform's a and b, orthogonal's gain */
#define GL_LAYER_FLOAT_SLOTS(X) X(GL_LF_SLOPE, "slope") X(GL_LF_INIT_P0, "init.p0") X(GL_LF_INIT_P1, "init.p1") \
    X(GL_LF_L1_SCALE, "l1Scale") X(GL_LF_L2_SCALE, "l2Scale") X(GL_LF_DROPOUT, "dropout") X(GL_LF_BIAS, "bias") \
    X(GL_LF_BATCH_NORM_MOMENTUM, "batchNorm.momentum") X(GL_LF_BATCH_NORM_EPSILON, "batchNorm.epsilon")
enum { GL_LAYER_FLOAT_SLOTS(GL_ENUM_ITEM) GL_LF_USED };
#define GL_LAYER_FLOATS 10 /* the slots above, and room for one more */
/* The optimiser row, GL_OPT_FLOATS float32 (kind, centered, schedule kind and mode as numbers) */
#define GL_OPT_SLOTS(X) X(GL_O_KIND, "name") X(GL_O_LEARNING_RATE, "learningRate") X(GL_O_MOMENTUM, "momentum") \
    X(GL_O_ALPHA, "alpha") X(GL_O_EPSILON, "epsilon") X(GL_O_BETA1, "beta1") X(GL_O_BETA2, "beta2") \
    X(GL_O_WEIGHT_DECAY, "weightDecay") X(GL_O_CLIP_NORM, "clipNorm") X(GL_O_L1, "l1") X(GL_O_L2, "l2") \
    X(GL_O_CENTERED, "centered") X(GL_O_SCHEDULE, "schedule.name") X(GL_O_STEP_SIZE, "schedule.stepSize") \
    X(GL_O_GAMMA, "schedule.gamma") X(GL_O_DECAY, "schedule.decay") X(GL_O_STEPS, "schedule.steps") \
    X(GL_O_MIN_LR, "schedule.minLearningRate") X(GL_O_PERIOD, "schedule.period") \
    X(GL_O_PERIOD_MULT, "schedule.periodMultiplier") X(GL_O_MAX_LR, "schedule.maxLearningRate") \
    X(GL_O_MODE, "schedule.mode") X(GL_O_WARMUP, "schedule.warmup")
enum { GL_OPT_SLOTS(GL_ENUM_ITEM) GL_OPT_FLOATS };
/* gl_network_train's out[0..GL_TRAIN_SLOTS): steps run in this call, loss, accuracy (-1 none),
 * penalty, learning rate, diverged (0/1), steps the network has taken */
#define GL_TRAIN_RESULT_SLOTS(X) X(GL_TR_STEPS, "steps") X(GL_TR_LOSS, "loss") X(GL_TR_ACCURACY, "accuracy") \
    X(GL_TR_PENALTY, "penalty") X(GL_TR_LEARNING_RATE, "learningRate") X(GL_TR_DIVERGED, "diverged") X(GL_TR_STEP, "step")
enum { GL_TRAIN_RESULT_SLOTS(GL_ENUM_ITEM) GL_TRAIN_SLOTS };
/* gl_network_stats's out[0..GL_STATS_SLOTS): mean, std, min, max (GL_MOMENTS floats) of each
 * tensor, then four single values */
#define GL_MOMENTS 4
#define GL_POSITION_ITEM(name, js, at) name = at,
#define GL_STATS_POSITIONS(X) X(GL_S_WEIGHTS, "weights", 0) X(GL_S_BIASES, "biases", 4) \
    X(GL_S_PREACT, "preactivations", 8) X(GL_S_ACT, "activations", 12) X(GL_S_GRADS, "gradients", 16) \
    X(GL_S_SATURATED, "saturated", 20) X(GL_S_DEAD, "dead", 21) X(GL_S_GRAD_NORM, "gradientNorm", 22) \
    X(GL_S_UPDATE_RATIO, "updateRatio", 23)
enum { GL_STATS_POSITIONS(GL_POSITION_ITEM) GL_STATS_SLOTS = 24 };
/* gl_dataset_info's info[]: sizes, the x and y pointers, and the (height, width, channels) of a row */
#define GL_DATASET_INFO_SLOTS(X) X(GL_DI_INPUTS, "inputs") X(GL_DI_OUTPUTS, "outputs") X(GL_DI_CLASSES, "classes") \
    X(GL_DI_TRAIN_ROWS, "trainSize") X(GL_DI_TEST_ROWS, "testSize") X(GL_DI_X, "x") X(GL_DI_Y, "y") \
    X(GL_DI_HEIGHT, "height") X(GL_DI_WIDTH, "width") X(GL_DI_CHANNELS, "channels")
enum { GL_DATASET_INFO_SLOTS(GL_ENUM_ITEM) GL_DATASET_INFO_COUNT };
/* gl_network_info's ints[]: layers, parameters, steps taken, rows of the last pass, optimiser state
 * arrays, optimiser updates */
#define GL_NETWORK_INFO_SLOTS(X) X(GL_NI_LAYERS, "layers") X(GL_NI_PARAMETERS, "parameters") X(GL_NI_STEP, "step") \
    X(GL_NI_ROWS, "rows") X(GL_NI_STATE_ARRAYS, "stateArrays") X(GL_NI_UPDATES, "updates")
enum { GL_NETWORK_INFO_SLOTS(GL_ENUM_ITEM) GL_NETWORK_INFO_COUNT };
/* gl_network_optimizer_state's out[]: state pointer, parameters, state arrays, updates since set,
 * optimiser kind, and the floats from one array to the next */
#define GL_OPT_STATE_SLOTS(X) X(GL_OS_POINTER, "pointer") X(GL_OS_PARAMETERS, "count") X(GL_OS_ARRAYS, "arrays") \
    X(GL_OS_UPDATES, "updates") X(GL_OS_KIND, "kind") X(GL_OS_STRIDE, "stride")
enum { GL_OPT_STATE_SLOTS(GL_ENUM_ITEM) GL_OPT_STATE_COUNT };
#define GL_ERROR_TEXT 512  /* bytes of gl_error_message()'s buffer, its final 0 included */

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
#define GL_LIMIT_CLASSES 64              /* classes of a generated data set */
#define GL_LIMIT_BINS 4096               /* bins of a histogram */
#define GL_LIMIT_RESOLUTION 2048         /* side of a surface grid */
#define GL_LIMIT_RACE_STEPS 1000000      /* steps of one optimiser run on a surface */

/* Ranges of settings, lowest and highest allowed, each with the spec key it checks (the engine
 * refuses anything else with a message naming the key, the value and the range; docs/api.md
 * lists the same ranges, which tests/js/boundary.test.mjs compares) */
#define GL_RANGE_INPUTS 1, GL_LIMIT_INPUTS          /* inputs */
#define GL_RANGE_LAYERS 1, GL_LIMIT_LAYERS          /* layers */
#define GL_RANGE_SAMPLES 2, GL_LIMIT_SAMPLES        /* samples */
#define GL_RANGE_CLASSES 2, GL_LIMIT_CLASSES        /* classes */
#define GL_RANGE_IMAGE_SIZE 8, GL_LIMIT_IMAGE       /* size */
#define GL_RANGE_NOISE 0, 10                        /* noise */
#define GL_RANGE_TEST_FRACTION 0, 0.95              /* testFraction */
#define GL_RANGE_UNITS 1, GL_LIMIT_UNITS            /* units */
#define GL_RANGE_FILTERS 1, GL_LIMIT_FILTERS        /* filters */
#define GL_RANGE_KERNEL 1, 7                        /* kernel (odd sizes) */
#define GL_RANGE_STRIDE 1, 2                        /* stride */
#define GL_RANGE_SLOPE 0, 1                         /* slope */
#define GL_RANGE_INIT_PARAM -1e6, 1e6               /* init.value, init.a, init.b */
#define GL_RANGE_INIT_SCALE 0, 1e6                  /* init.std, init.gain */
#define GL_RANGE_BIAS -1e6, 1e6                     /* bias */
#define GL_RANGE_LAYER_SCALE 0, 1e6                 /* l1Scale, l2Scale */
#define GL_RANGE_DROPOUT 0, 0.99                    /* dropout */
#define GL_RANGE_BN_MOMENTUM 0, 1                   /* batchNorm.momentum */
#define GL_RANGE_BN_EPSILON 1e-12, 1                /* batchNorm.epsilon */
#define GL_RANGE_LEARNING_RATE 0, 1000              /* learningRate (and the top of schedule.maxLearningRate) */
#define GL_RANGE_MOMENTUM 0, 0.9999                 /* momentum */
#define GL_RANGE_ALPHA 0, 0.9999                    /* alpha */
#define GL_RANGE_EPSILON 0, 1                       /* epsilon */
#define GL_RANGE_BETA1 0, 0.9999                    /* beta1 */
#define GL_RANGE_BETA2 0, 0.999999                  /* beta2 */
#define GL_RANGE_WEIGHT_DECAY 0, 1000               /* weightDecay */
#define GL_RANGE_CLIP_NORM 0, 1e9                   /* clipNorm */
#define GL_RANGE_PENALTY 0, 1000                    /* l1, l2 */
#define GL_RANGE_SCHEDULE_STEPS 1, 1e9              /* schedule.stepSize, schedule.steps, schedule.period */
#define GL_RANGE_SCHEDULE_GAMMA 0, 1                /* schedule.gamma */
#define GL_RANGE_SCHEDULE_DECAY 0, 1e6              /* schedule.decay */
#define GL_RANGE_PERIOD_MULT 1, 100                 /* schedule.periodMultiplier (whole numbers) */
#define GL_RANGE_WARMUP 0, 1e9                      /* schedule.warmup */
#define GL_RANGE_STEPS 0, GL_LIMIT_STEPS            /* steps */
#define GL_RANGE_BATCH 0, GL_LIMIT_BATCH            /* batchSize */
#define GL_RANGE_BINS 1, GL_LIMIT_BINS              /* bins */
#define GL_RANGE_COORDINATE -1e6, 1e6               /* start, x, y (of a surface) */
#define GL_RANGE_RESOLUTION 2, GL_LIMIT_RESOLUTION  /* resolution */
#define GL_RANGE_RACE_STEPS 0, GL_LIMIT_RACE_STEPS  /* steps (of a surface run) */
#define GL_RANGE_GRADIENT_NOISE 0, 1e6              /* noise (of a surface run) */

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
/* info[0..GL_DATASET_INFO_COUNT): see GL_DATASET_INFO_SLOTS */
int gl_dataset_info(int h, int32_t *info);
int gl_dataset_dispose(int h);

/* shape: (height, width, channels) of an input row, or NULL for (1, 1, inputs);
 * dropout_mode: 0 inverted, 1 classic */
int gl_network_make(int inputs, const int32_t *shape, int n_layers, const int32_t *ints, const float *floats,
                    int loss, int dropout_mode, uint32_t seed);
int gl_network_set_optimizer(int h, const float *row);
/* the same optimiser with the settings of `row` from the next step on, its state kept (velocity,
 * moments, updates and so the place in the schedule); refused when row names another optimiser or
 * switches rmsprop's momentum or centered on or off (set_optimizer starts afresh) */
int gl_network_tune_optimizer(int h, const float *row);
/* out[0..GL_TRAIN_SLOTS): see GL_TRAIN_RESULT_SLOTS.
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
/* ints[0..GL_NETWORK_INFO_COUNT): see GL_NETWORK_INFO_SLOTS; rate[0] = the learning rate of the last step */
int gl_network_info(int h, int32_t *ints, float *rate);
int gl_network_dispose(int h);

/* out[0..GL_STATS_SLOTS): see GL_STATS_POSITIONS (weight gradients under "gradients") */
int gl_network_stats(int h, int layer, float *out);
/* counts[0..bins) and edges[0..bins] of tensor `what` of a layer over [lo, hi], or over the
 * tensor's own range when automatic; values outside the range go to the end bins */
int gl_network_histogram(int h, int layer, int what, int bins, float lo, float hi, int automatic,
                         uint32_t *counts, float *edges);

/* out[0..n) = N(0, 1) draws of the seeded generator (data stream) */
int gl_random_normal(float *out, int n, uint32_t seed);

/* rate[0..steps) of an optimiser row's schedule */
int gl_schedule_curve(const float *row, int steps, float *rate);
/* out[0..GL_OPT_STATE_COUNT): see GL_OPT_STATE_SLOTS; the stride is the parameter count rounded up
 * to whole 64-byte lines, and each array is laid out like the parameters */
int gl_network_optimizer_state(int h, int32_t *out);

/* GEMM micro-kernel variants (declared and documented in gemm.h; web/lib/kernels.js times them
 * at load and selects one): gl_gemm_variant_count, gl_gemm_variant_name, gl_gemm_variant_tile,
 * gl_gemm_selected, gl_gemm_select, gl_gemm_trial */
#include "gemm.h"

/* values of a 2-D surface on a res x res grid: row i at y0 + i (y1-y0)/(res-1), column j likewise in x */
int gl_surface_grid(int kind, float x0, float x1, float y0, float y1, int res, float *out);
/* Runs an optimiser row from (x, y) for steps on a surface, with seeded Gaussian noise of std
 * `noise` added to each gradient. path: 2 (steps+1) floats, loss: steps+1 floats. Returns the steps
 * completed: fewer than asked when the point left the finite numbers (the rest is not written). */
int gl_optimize(int kind, float x, float y, const float *row, int steps, float noise, uint32_t seed,
                float *path, float *loss);

/* The training state of a network as one versioned, checksummed record (src/runstate.h): weights,
 * batch-norm statistics, optimiser state, step counts, the batch-order and dropout streams. Loading
 * it into a network made from the same layer table, with the same optimiser set, and the same data
 * set makes its next step equal the saved network's next step bit for bit. A record that does not
 * fit (another version, another shape, a damaged copy) is refused with what does not match, and the
 * network is left as it was. out[0] = bytes of the record. */
int gl_network_state_size(int h, int32_t *out);
int gl_network_state_save(int h, uint8_t *out, int bytes);
int gl_network_state_load(int h, int data, const uint8_t *rec, int bytes);
/* ---- instruments (landscape.c, hessian.c, lrfind.c; docs/optimizers.md): each one leaves the
 * network bit for bit as it found it (weights, gradients, batch-norm statistics, optimiser state,
 * step counters, epoch order, random streams); only the activation views show its last pass.
 * rows: the first `rows` training rows of the data set, 0 = all of them. A loss that is not finite
 * at the current weights is refused with GL_ERR_STATE. */
#define GL_LIMIT_LANDSCAPE_RESOLUTION 101  /* grid side, 3..101 */
#define GL_LIMIT_SPAN 1000000              /* largest span of a landscape, in units of its directions */
#define GL_LIMIT_SHARPNESS_ITERATIONS 1000 /* Hessian-vector products of one sharpness estimate */
#define GL_LIMIT_LRFIND_STEPS 10000        /* steps of one range test, 2..10000 */
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
