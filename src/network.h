/* network.h: a stack of dense layers, each optionally with batch normalisation and dropout, with one
 * flat arena each for parameters, gradients, optimiser state and activations, so JavaScript can read
 * every tensor as a typed-array view.
 *
 * One layer, in its default order:  z = x W + b -> [batch norm] -> p -> f(p) = h -> [dropout] -> a
 * With batch norm after the activation: z = x W + b = p -> f(p) = h -> [batch norm] -> q -> [dropout] -> a
 * Buffers that a layer does not need alias the next one (p = z without batch norm, a = h without
 * dropout). A convolution computes z with im2col and the same GEMM (z holds (rows, oh, ow, filters));
 * batch norm then keeps one mean and variance per channel over rows x oh x ow. Pooling and flatten
 * layers have no parameters and no activation: z = p = h. */
#ifndef GL_NETWORK_H
#define GL_NETWORK_H
#include "gradlab.h"
#include <stdint.h>
#include "activation.h"
#include "conv.h"
#include "dataset.h"
#include "dropout.h"
#include "init.h"
#include "loss.h"
#include "optimizer.h"
#include "rng.h"
#include "schedule.h"

#define GL_MAX_LAYERS GL_LIMIT_LAYERS

/* layer types (GL_LAYER_*) are named in gradlab.h */

typedef struct {
    /* set by the caller */
    int type;
    int out;                     /* dense: units; conv: filters; pool, flatten: ignored */
    int kernel, stride, same;    /* conv */
    int pool_mode;               /* pool: GL_POOL_MAX or GL_POOL_AVERAGE */
    int act;
    float slope;                 /* leaky ReLU slope */
    gl_init init;
    float bias_init;             /* every bias starts at this value */
    int no_bias;                 /* dense, conv: no bias vector (batch norm before the activation cancels it) */
    float l1_scale, l2_scale;    /* per-layer multipliers of the network's l1 and l2 */
    int bn, bn_after;            /* batch norm, and whether it follows the activation */
    float bn_momentum, bn_eps;
    float dropout;               /* drop probability, 0 = none */
    /* filled in by gl_net_create / gl_net_reserve; out becomes the features per example */
    int in;
    gl_conv_geom geom;           /* input (h, w, c) and output (oh, ow, f) shapes; dense: 1 x 1 */
    long c_off, i_off;           /* conv patches, pool argmax indices in the activation arena */
    long w_off, b_off, g_off, be_off;       /* W (in,out), b, gamma, beta in the parameter arena */
    long rm_off, rv_off, mean_off, istd_off; /* running mean/var, batch mean/invstd in the bn arena */
    long z_off, p_off, h_off, q_off, a_off, m_off; /* (rows,out) blocks in the activation arena */
    double update_sq;            /* |delta W|^2 of the last step */
} gl_layer;

typedef struct gl_net {
    int inputs, n_layers, loss, dropout_mode;
    uint32_t seed;
    gl_layer layer[GL_MAX_LAYERS];
    long n_params;
    float *params, *grads;       /* n_params each, the same layout */
    float *state;                /* optimiser state: state_arrays arrays of n_params, gl_floats_stride apart */
    int state_arrays;
    float *bn;                   /* running mean, running var, batch mean, batch invstd per bn layer */
    gl_optimizer opt;
    gl_schedule sched;
    long opt_t;                  /* updates since the optimiser was set */
    long step;                   /* training steps taken */
    float last_lr;
    int max_width;               /* widest layer or input */
    int cap;                     /* rows the activation arena holds */
    int rows;                    /* rows of the last forward pass */
    int last_training;           /* whether the last forward pass was in training mode */
    float *acts;                 /* the activation arena for cap rows */
    float *delta, *delta2;       /* (cap, max_width) backward scratch */
    float *dcols;                /* (cap, max_cols) scratch for convolution patch gradients */
    long max_cols;               /* the most patch values one example needs in any conv layer */
    float *xb, *ybf;             /* gathered minibatch inputs and value targets */
    int32_t *ybi;                /* gathered class ids */
    gl_rng rng_shuffle, rng_dropout;
    int32_t *perm;               /* this epoch's order of the training rows */
    int perm_n, cursor, perm_data;
    int batch_rows;              /* rows of the last minibatch, perm[cursor - batch_rows, cursor); 0 for a full batch */
    float *prev;                 /* parameters before the last applied step, to undo it */
    float *prev_bn, *step_bn;    /* the bn arena before the last applied step, and before this one */
    int prev_ok;                 /* prev holds them (cleared by an undo or a new optimiser) */
    int grads_finite;            /* the last backward pass gave finite gradients only */
    struct gl_trajectory *trajectory; /* the opt-in record of the weights during training, or NULL */
} gl_net;

typedef struct {
    float steps, loss, accuracy, reg_loss, learning_rate, diverged, step;
} gl_train_result;

/* Per-layer statistics of the last pass and step (see gl_net_stats). */
typedef struct { float mean, std, min, max; } gl_moments;
typedef struct {
    gl_moments weights, biases, preact, act, grads;
    float saturated, dead, grad_norm, update_ratio;
} gl_layer_stats;

/* The shapes that layers[0..n_layers) give for an input of shape (h, w, c): fills in, out and geom
 * of each layer (out becomes the features per example, so call it once per layer table). Returns -1 when they fit, else the index of the first layer whose output is empty
 * or whose input does not suit it (pool needs h, w >= 2). */
int gl_net_shapes(gl_layer *layers, int n_layers, int h, int w, int c);
/* the parameters of layers[0..n_layers) once shaped (gl_net_shapes): the count gl_net_create lays out */
int64_t gl_net_params(const gl_layer *shaped, int n_layers);
/* the rows of one training step: batch 0, or at least the training rows, means the full batch */
static inline int gl_batch_rows(int batch, int train_rows) { return batch > 0 && batch < train_rows ? batch : train_rows; }
/* layers[i]: the fields "set by the caller"; input_shape (h, w, c) or NULL for (1, 1, inputs).
 * Returns NULL when memory runs out; shapes are checked by the caller (gl_net_shapes).
 * dropout_mode: GL_DROPOUT_INVERTED or GL_DROPOUT_CLASSIC. */
gl_net *gl_net_create(int inputs, const int *input_shape, int n_layers, const gl_layer *layers, int loss,
                      int dropout_mode, uint32_t seed);
void gl_net_free(gl_net *n);
/* floats the activation arena and scratch of gl_net_reserve need for rows, computed in 64 bits */
int64_t gl_net_pass_floats(const gl_net *n, int rows);
/* grows the activation arena to hold rows (reallocating; pointers into it change); 0 = no memory
 * (or more than GL_NET_PASS_FLOATS floats, which a 32-bit size_t could not even express) */
#define GL_NET_PASS_FLOATS GL_LIMIT_PASS_FLOATS
int gl_net_reserve(gl_net *n, int rows);
/* replaces the optimiser and clears its state; 0 = no memory */
int gl_net_set_optimizer(gl_net *n, const gl_optimizer *o, const gl_schedule *s);
/* new settings for the optimiser of the same kind, keeping its state (moments, velocity, updates, so
 * the place in the schedule): the next step uses them, as editing a PyTorch param_group does.
 * 0 = refused: o is another kind, or keeps another number of state arrays (rmsprop's momentum and
 * centered switched on or off) */
int gl_net_tune_optimizer(gl_net *n, const gl_optimizer *o, const gl_schedule *s);
/* forward pass over rows <= cap of x; training mode uses batch statistics (rows >= 2 with batch
 * norm) and draws dropout masks */
void gl_net_forward(gl_net *n, const float *x, int rows, int training);
/* forward pass in training mode, the mean data loss and, when grad is set, the parameter gradients
 * (overwritten, penalties not included) */
float gl_net_loss_grad(gl_net *n, const float *x, const int32_t *yi, const float *yf, int rows, int grad,
                       int *correct);
/* sizes the arena and the epoch order for training on d with this batch; data_id identifies the
 * dataset so the epoch order restarts when it changes. 0 = no memory. Call before gl_net_train. */
int gl_net_prepare(gl_net *n, const gl_dataset *d, int data_id, int batch);
/* steps of minibatch training on gl_batch_rows(batch, train rows) rows each. Allocates nothing.
 * Stops at the first step whose loss, penalty, gradient norm or rate is not finite, undoing the
 * update before it (the one that led there), or at an update that makes a weight not finite,
 * undoing that one: the weights are those of the last finite loss; out->step = steps applied. */
void gl_net_train(gl_net *n, const gl_dataset *d, int steps, int batch, gl_train_result *out);
/* mean loss and accuracy (-1 for regression) over split 0 = train, 1 = test, in evaluation mode */
void gl_net_evaluate(gl_net *n, const gl_dataset *d, int split, float *loss, float *accuracy);
/* outputs (rows, last width) for inputs x in evaluation mode, in chunks of the arena's capacity */
void gl_net_predict(gl_net *n, const float *x, int rows, float *y);
/* statistics of layer l over its parameters, its last pass and its last step */
void gl_net_stats(const gl_net *n, int l, gl_layer_stats *s);
/* does any layer use batch norm? */
int gl_net_has_bn(const gl_net *n);
/* floats of the batch-norm arena (running mean, running var, batch mean, batch invstd per layer) */
long gl_net_bn_floats(const gl_net *n);

static inline float *gl_net_buf(const gl_net *n, long off) { return n->acts + off; }
/* batch norm and statistics treat a layer as positions x channels per example */
static inline int gl_layer_positions(const gl_layer *L) { return L->geom.oh * L->geom.ow; }
static inline int gl_layer_channels(const gl_layer *L) { return L->geom.f; }
/* the biases a layer has: one per channel for dense and conv layers that keep them, else none */
static inline int gl_layer_biases(const gl_layer *L) {
    return (L->type == GL_LAYER_DENSE || L->type == GL_LAYER_CONV) && !L->no_bias ? L->geom.f : 0;
}
#endif
