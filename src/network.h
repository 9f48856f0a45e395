/* network.h: a stack of dense layers with one flat arena each for parameters, gradients,
 * optimiser state and activations, so JavaScript can read every tensor as a typed-array view. */
#ifndef GL_NETWORK_H
#define GL_NETWORK_H
#include <stdint.h>
#include "activation.h"
#include "dataset.h"
#include "loss.h"
#include "init.h"
#include "optimizer.h"
#include "rng.h"
#include "schedule.h"

#define GL_MAX_LAYERS 64

typedef struct {
    int in, out, act;
    float slope;                 /* leaky ReLU slope */
    gl_init init;
    float l1_scale, l2_scale;    /* per-layer multipliers of the network's l1 and l2 */
    long w_off, b_off;           /* W (in,out) and b (out) in the parameter arena */
    long z_off, a_off;           /* z and a (rows,out) in the activation arena */
} gl_layer;

typedef struct gl_net {
    int inputs, n_layers, loss;
    uint32_t seed;
    gl_layer layer[GL_MAX_LAYERS];
    long n_params;
    float *params, *grads;       /* n_params each, the same layout */
    float *state;                /* optimiser state: state_arrays x n_params */
    int state_arrays;
    gl_optimizer opt;
    gl_schedule sched;
    long opt_t;                  /* updates since the optimiser was set */
    long step;                   /* training steps taken */
    float last_lr;
    int max_width;               /* widest layer or input */
    int cap;                     /* rows the activation arena holds */
    int rows;                    /* rows of the last forward pass */
    float *acts;                 /* z and a of every layer for cap rows */
    float *delta, *delta2;       /* (cap, max_width) backward scratch */
    float *xb, *ybf;             /* gathered minibatch inputs and value targets */
    int32_t *ybi;                /* gathered class ids */
    float *work;                 /* max in*out floats of GEMM scratch */
    gl_rng rng_shuffle;
    int32_t *perm;               /* this epoch's order of the training rows */
    int perm_n, cursor, perm_data;
    float *prev;                 /* parameters before the last applied step, to undo it */
    int prev_ok;                 /* prev holds them (cleared by an undo or a new optimiser) */
} gl_net;

typedef struct {
    float steps, loss, accuracy, reg_loss, learning_rate, diverged, step;
} gl_train_result;

/* layers[i]: out, act, slope, init, l1_scale, l2_scale set by the caller; in is filled here.
 * Returns NULL when memory runs out; shapes are checked by the caller. */
gl_net *gl_net_create(int inputs, int n_layers, const gl_layer *layers, int loss, uint32_t seed);
void gl_net_free(gl_net *n);
/* floats the activation arena and scratch of gl_net_reserve need for rows, computed in 64 bits */
int64_t gl_net_pass_floats(const gl_net *n, int rows);
/* grows the activation arena to hold rows (reallocating; pointers into it change); 0 = no memory
 * (or more than GL_NET_PASS_FLOATS floats, which a 32-bit size_t could not even express) */
#define GL_NET_PASS_FLOATS (1L << 28)
int gl_net_reserve(gl_net *n, int rows);
/* replaces the optimiser and clears its state; 0 = no memory */
int gl_net_set_optimizer(gl_net *n, const gl_optimizer *o, const gl_schedule *s);
/* forward pass over rows of x (rows <= cap) */
void gl_net_forward(gl_net *n, const float *x, int rows, int training);
/* forward pass in training mode over rows <= cap, the mean data loss and, when grad is set, the
 * parameter gradients (overwritten, penalties not included) */
float gl_net_loss_grad(gl_net *n, const float *x, const int32_t *yi, const float *yf, int rows, int grad,
                       int *correct);
/* sizes the arena and the epoch order for training on d with this batch; data_id identifies the
 * dataset so the epoch order restarts when it changes. 0 = no memory. Call before gl_net_train. */
int gl_net_prepare(gl_net *n, const gl_dataset *d, int data_id, int batch);
/* steps of minibatch training; batch 0 or >= train rows = full batch. Allocates nothing.
 * Stops at the first step whose loss, penalty, gradient norm or rate is not finite, undoing the
 * update before it (the one that led there), or at an update that makes a weight not finite,
 * undoing that one: the weights are those of the last finite loss; out->step = steps applied. */
void gl_net_train(gl_net *n, const gl_dataset *d, int steps, int batch, gl_train_result *out);
/* mean loss and accuracy (-1 for regression) over split 0 = train, 1 = test */
void gl_net_evaluate(gl_net *n, const gl_dataset *d, int split, float *loss, float *accuracy);
/* outputs (rows, last width) for inputs x; runs in chunks of the arena's capacity */
void gl_net_predict(gl_net *n, const float *x, int rows, float *y);
static inline float *gl_net_z(gl_net *n, int l) { return n->acts + n->layer[l].z_off; }
static inline float *gl_net_a(gl_net *n, int l) { return n->acts + n->layer[l].a_off; }
#endif
