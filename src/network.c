#include "network.h"
#include "batchnorm.h"
#include "dense.h"
#include "aligned.h"
#include "trajectory.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int gl_net_shapes(gl_layer *layers, int n_layers, int h, int w, int c) {
    for (int l = 0; l < n_layers; ++l) {
        gl_layer *L = &layers[l];
        L->in = h * w * c;
        switch (L->type) {
        case GL_LAYER_CONV:
            L->geom = gl_conv_geometry(h, w, c, L->out, L->kernel, L->stride, L->same);
            break;
        case GL_LAYER_POOL:
            L->geom = (gl_conv_geom){h, w, c, h / 2, w / 2, c, 2, 2, 0, 0};
            break;
        case GL_LAYER_FLATTEN:
            L->geom = (gl_conv_geom){h, w, c, 1, 1, h * w * c, 1, 1, 0, 0};
            break;
        default: /* dense: the input is read as one flat row */
            L->geom = (gl_conv_geom){h, w, c, 1, 1, L->out, 1, 1, 0, 0};
            break;
        }
        if (L->geom.oh < 1 || L->geom.ow < 1 || L->geom.f < 1) return l;
        h = L->geom.oh; w = L->geom.ow; c = L->geom.f;
        L->out = h * w * c;
    }
    return -1;
}

/* rows and columns of a layer's weight matrix: (in, out) dense, (k k c, filters) conv, none else */
static void weight_shape(const gl_layer *L, int *rows, int *cols) {
    *rows = *cols = 0;
    if (L->type == GL_LAYER_DENSE) { *rows = L->in; *cols = L->out; }
    if (L->type == GL_LAYER_CONV) { *rows = L->kernel * L->kernel * L->geom.c; *cols = L->geom.f; }
}

/* places layer L's parameters (W, b, then batch norm's gamma and beta) from offset p; returns the
 * offset after them */
static int64_t place_params(gl_layer *L, int64_t p) {
    int rows, cols, ch = gl_layer_channels(L);
    weight_shape(L, &rows, &cols);
    L->w_off = (long)p; p += (int64_t)rows * cols;
    L->b_off = (long)p; p += gl_layer_biases(L);
    if (L->bn) {
        L->g_off = (long)p; p += ch;
        L->be_off = (long)p; p += ch;
    }
    return p;
}

int64_t gl_net_params(const gl_layer *shaped, int n_layers) {
    int64_t p = 0;
    for (int l = 0; l < n_layers; ++l) { gl_layer L = shaped[l]; p = place_params(&L, p); }
    return p;
}

gl_net *gl_net_create(int inputs, const int *input_shape, int n_layers, const gl_layer *layers, int loss,
                      int dropout_mode, uint32_t seed) {
    gl_net *n = calloc(1, sizeof *n);
    if (!n) return 0;
    n->inputs = inputs; n->n_layers = n_layers; n->loss = loss; n->seed = seed;
    n->dropout_mode = dropout_mode;
    n->max_width = inputs;
    memcpy(n->layer, layers, sizeof(gl_layer) * (size_t)n_layers);
    if (input_shape) gl_net_shapes(n->layer, n_layers, input_shape[0], input_shape[1], input_shape[2]);
    else gl_net_shapes(n->layer, n_layers, 1, 1, inputs);
    long p = 0, work = 0, bn = 0;
    for (int l = 0; l < n_layers; ++l) {
        gl_layer *L = &n->layer[l];
        int rows, cols, ch = gl_layer_channels(L);
        weight_shape(L, &rows, &cols);
        p = (long)place_params(L, p);
        if (L->bn) {
            L->rm_off = bn; L->rv_off = bn + ch; L->mean_off = bn + 2 * ch; L->istd_off = bn + 3 * ch;
            bn += 4L * ch;
        }
        if (L->init.kind == GL_INIT_ORTHOGONAL && (long)rows * cols > work) work = (long)rows * cols;
        if (L->out > n->max_width) n->max_width = L->out;
        if (L->type == GL_LAYER_CONV && (long)gl_layer_positions(L) * rows > n->max_cols)
            n->max_cols = (long)gl_layer_positions(L) * rows;
    }
    n->n_params = p;
    n->params = gl_floats((size_t)p + 1, 1);
    n->grads = gl_floats((size_t)p + 1, 1);
    n->bn = bn ? gl_floats((size_t)bn, 1) : 0;
    float *scratch = work ? malloc(sizeof(float) * (size_t)work) : 0; /* orthogonal init only */
    if (!n->params || !n->grads || (work && !scratch) || (bn && !n->bn)) { free(scratch); gl_net_free(n); return 0; }
    gl_rng r;
    gl_rng_seed(&r, seed, GL_STREAM_INIT);
    for (int l = 0; l < n_layers; ++l) {
        gl_layer *L = &n->layer[l];
        int rows, cols, ch = gl_layer_channels(L);
        weight_shape(L, &rows, &cols);
        if (!rows) continue;
        int k2 = L->type == GL_LAYER_CONV ? L->kernel * L->kernel : 1;
        gl_init_fill(n->params + L->w_off, rows, cols, rows, cols * k2, &L->init, &r, scratch);
        for (int j = 0; j < gl_layer_biases(L); ++j) n->params[L->b_off + j] = L->bias_init;
        if (L->bn)
            for (int j = 0; j < ch; ++j) { n->params[L->g_off + j] = 1.0f; n->bn[L->rv_off + j] = 1.0f; }
    }
    free(scratch);
    gl_rng_seed(&n->rng_shuffle, seed, GL_STREAM_SHUFFLE);
    gl_rng_seed(&n->rng_dropout, seed, GL_STREAM_DROPOUT);
    n->perm_data = -1;
    n->opt.kind = GL_OPT_SGD;
    n->opt.learning_rate = 0.01f;
    n->last_lr = n->opt.learning_rate;
    return n;
}

void gl_net_free(gl_net *n) {
    if (!n) return;
    free(n->params); free(n->grads); free(n->state); free(n->bn); free(n->acts); free(n->delta);
    free(n->delta2); free(n->dcols); free(n->xb); free(n->ybf); free(n->ybi); free(n->perm);
    free(n->prev); free(n->prev_bn); free(n->step_bn); gl_trajectory_free(n->trajectory); free(n);
}

int gl_net_has_bn(const gl_net *n) {
    for (int l = 0; l < n->n_layers; ++l) if (n->layer[l].bn) return 1;
    return 0;
}

/* lays out a layer's blocks for `rows` rows from offset off; returns the next free offset.
 * A stage the layer does not have shares its output block with the stage before it. */
static long layout(gl_layer *L, long off, int rows) {
    long block = (long)rows * L->out;
#define NEW_BLOCK() (off += block, off - block)
    L->z_off = NEW_BLOCK();
    if (!L->bn_after) {
        L->p_off = L->bn ? NEW_BLOCK() : L->z_off;  /* batch norm's output feeds the activation */
        L->h_off = NEW_BLOCK();
        L->q_off = L->h_off;
    } else {
        L->p_off = L->z_off;
        L->h_off = NEW_BLOCK();
        L->q_off = L->bn ? NEW_BLOCK() : L->h_off;  /* batch norm's output follows the activation */
    }
    if (L->type == GL_LAYER_POOL || L->type == GL_LAYER_FLATTEN) L->h_off = L->q_off = L->p_off;
    L->a_off = L->dropout > 0 ? NEW_BLOCK() : L->q_off;
    L->m_off = L->dropout > 0 ? NEW_BLOCK() : -1;
    L->i_off = L->type == GL_LAYER_POOL && L->pool_mode == GL_POOL_MAX ? NEW_BLOCK() : -1;
    if (L->type == GL_LAYER_CONV) {
        L->c_off = off;
        off += (long)rows * gl_layer_positions(L) * L->kernel * L->kernel * L->geom.c;
    }
#undef NEW_BLOCK
    return off;
}

int64_t gl_net_pass_floats(const gl_net *n, int rows) {
    /* the layout is linear in rows: lay out one row (small numbers), then multiply in 64 bits */
    gl_layer probe;
    long per_row = 0;
    for (int l = 0; l < n->n_layers; ++l) { probe = n->layer[l]; per_row = layout(&probe, per_row, 1); }
    per_row += 2L * n->max_width + n->max_cols + n->inputs + n->layer[n->n_layers - 1].out + 1;
    return (int64_t)per_row * rows;
}

int gl_net_reserve(gl_net *n, int rows) {
    if (rows <= n->cap) return 1;
    if (gl_net_pass_floats(n, rows) > GL_NET_PASS_FLOATS) return 0; /* 32-bit sizes below would wrap */
    gl_layer probe[GL_MAX_LAYERS];
    long floats = 0;
    for (int l = 0; l < n->n_layers; ++l) { probe[l] = n->layer[l]; floats = layout(&probe[l], floats, rows); }
    int K = n->layer[n->n_layers - 1].out;
    float *acts = gl_floats((size_t)floats, 0);
    float *d1 = gl_floats((size_t)rows * n->max_width, 0);
    float *d2 = gl_floats((size_t)rows * n->max_width, 0);
    float *xb = gl_floats((size_t)rows * n->inputs, 0);
    float *ybf = gl_floats((size_t)rows * K, 0);
    int32_t *ybi = malloc(sizeof(int32_t) * (size_t)rows);
    float *dcols = n->max_cols ? gl_floats((size_t)rows * n->max_cols, 0) : 0;
    if (!acts || !d1 || !d2 || !xb || !ybf || !ybi || (n->max_cols && !dcols)) {
        free(acts); free(d1); free(d2); free(xb); free(ybf); free(ybi); free(dcols);
        return 0;
    }
    free(n->acts); free(n->delta); free(n->delta2); free(n->xb); free(n->ybf); free(n->ybi); free(n->dcols);
    n->acts = acts; n->delta = d1; n->delta2 = d2; n->xb = xb; n->ybf = ybf; n->ybi = ybi; n->dcols = dcols;
    n->cap = rows;
    n->rows = 0;
    for (int l = 0; l < n->n_layers; ++l) n->layer[l] = probe[l];
    return 1;
}

int gl_net_set_optimizer(gl_net *n, const gl_optimizer *o, const gl_schedule *s) {
    int arrays = gl_optimizer_state_arrays(o);
    float *state = arrays ? gl_floats((size_t)arrays * gl_floats_stride(n->n_params), 1) : 0;
    if (arrays && !state) return 0;
    free(n->state);
    n->state = state;
    n->state_arrays = arrays;
    n->opt = *o;
    n->sched = *s;
    n->opt_t = 0;
    n->prev_ok = 0;
    n->last_lr = gl_schedule_rate(s, o->learning_rate, 0);
    return 1;
}

int gl_net_tune_optimizer(gl_net *n, const gl_optimizer *o, const gl_schedule *s) {
    if (o->kind != n->opt.kind || gl_optimizer_state_arrays(o) != n->state_arrays) return 0;
    n->opt = *o;
    n->sched = *s;
    /* before any update the rate shown is the next step's, as after gl_net_set_optimizer; after one,
     * it stays the rate that step used */
    if (n->opt_t == 0) n->last_lr = gl_schedule_rate(s, o->learning_rate, 0);
    return 1;
}

/* batch norm over rows x positions, one mean and variance per channel */
static void batchnorm_forward(gl_net *n, const gl_layer *L, float *y, const float *x, int rows, int training) {
    const float *gamma = n->params + L->g_off, *beta = n->params + L->be_off;
    int count = rows * gl_layer_positions(L), ch = gl_layer_channels(L);
    if (training)
        gl_batchnorm_forward_train(y, n->bn + L->mean_off, n->bn + L->istd_off, n->bn + L->rm_off,
                                   n->bn + L->rv_off, x, gamma, beta, count, ch, L->bn_momentum, L->bn_eps);
    else
        gl_batchnorm_forward_eval(y, x, n->bn + L->rm_off, n->bn + L->rv_off, gamma, beta, count, ch, L->bn_eps);
}

void gl_net_forward(gl_net *n, const float *x, int rows, int training) {
    const float *in = x;
    for (int l = 0; l < n->n_layers; ++l) {
        gl_layer *L = &n->layer[l];
        float *z = gl_net_buf(n, L->z_off), *p = gl_net_buf(n, L->p_off), *h = gl_net_buf(n, L->h_off);
        float *q = gl_net_buf(n, L->q_off), *a = gl_net_buf(n, L->a_off);
        long count = (long)rows * L->out;
        const float *W = n->params + L->w_off, *b = gl_layer_biases(L) ? n->params + L->b_off : 0;
        /* a dense or conv layer whose activation reads z directly gets both from one fused pass */
        int fused = (L->type == GL_LAYER_DENSE || L->type == GL_LAYER_CONV) && p == z && h != p;
        switch (L->type) {
        case GL_LAYER_DENSE:
            if (fused) gl_dense_forward_act(z, h, in, W, b, rows, L->in, L->out, L->act, L->slope);
            else gl_dense_forward(z, in, W, b, rows, L->in, L->out);
            break;
        case GL_LAYER_CONV:
            if (fused) gl_conv_forward_act(z, h, gl_net_buf(n, L->c_off), in, W, b, rows, &L->geom, L->act, L->slope);
            else gl_conv_forward(z, gl_net_buf(n, L->c_off), in, W, b, rows, &L->geom);
            break;
        case GL_LAYER_POOL:
            gl_pool_forward(z, L->i_off >= 0 ? gl_net_buf(n, L->i_off) : 0, in, rows, L->geom.h, L->geom.w,
                            L->geom.c, L->pool_mode);
            break;
        case GL_LAYER_FLATTEN: memcpy(z, in, sizeof(float) * (size_t)count); break;
        }
        if (L->bn && !L->bn_after) batchnorm_forward(n, L, p, z, rows, training);
        if (h != p && !fused) gl_activation_forward(h, p, rows, L->out, L->act, L->slope);
        if (L->bn && L->bn_after) batchnorm_forward(n, L, q, h, rows, training);
        if (L->dropout > 0) {
            if (training)
                gl_dropout_forward_train(a, gl_net_buf(n, L->m_off), q, count, L->dropout, n->dropout_mode,
                                         &n->rng_dropout);
            else
                gl_dropout_forward_eval(a, q, count, L->dropout, n->dropout_mode);
        }
        in = a;
    }
    n->rows = rows;
    n->last_training = training;
}

/* g holds d loss / d a of layer l (or, for the last layer, d loss / d p from the loss); turns it
 * into d loss / d z in place, accumulating the batch-norm parameter gradients on the way */
static void layer_backward_to_z(gl_net *n, const gl_layer *L, float *g, int rows, int last) {
    long count = (long)rows * L->out;
    int bn_rows = rows * gl_layer_positions(L), ch = gl_layer_channels(L);
    float *z = gl_net_buf(n, L->z_off), *p = gl_net_buf(n, L->p_off), *h = gl_net_buf(n, L->h_off);
    const float *gamma = L->bn ? n->params + L->g_off : 0;
    float *dgamma = L->bn ? n->grads + L->g_off : 0, *dbeta = L->bn ? n->grads + L->be_off : 0;
    if (!last) {
        if (L->dropout > 0) gl_dropout_backward(g, g, gl_net_buf(n, L->m_off), count, L->dropout, n->dropout_mode);
        if (L->bn && L->bn_after)
            gl_batchnorm_backward(g, dgamma, dbeta, g, h, n->bn + L->mean_off, n->bn + L->istd_off, gamma, bn_rows, ch);
        if (h != p) gl_activation_backward(g, g, p, h, count, L->act, L->slope);
    }
    if (L->bn && !L->bn_after)
        gl_batchnorm_backward(g, dgamma, dbeta, g, z, n->bn + L->mean_off, n->bn + L->istd_off, gamma, bn_rows, ch);
}

/* where layer l's parameters (W, b, then batch norm's gamma and beta) end in the flat arrays */
static long params_end(const gl_net *n, int l) {
    return l + 1 < n->n_layers ? n->layer[l + 1].w_off : n->n_params;
}

/* data loss gradient -> parameter gradients (overwritten) for the last forward pass: every
 * parameter tensor has exactly one writer (its layer's dense/conv or batch-norm backward), which
 * stores rather than adds, so the gradients need no zeroing pass first */
static void backward(gl_net *n, const float *x, int rows) {
    float *g = n->delta, *gin = n->delta2;
    int finite = 1;
    int g_is_dp = 1; /* g already holds d loss / d p: from the loss, or from a fused backward pass */
    for (int l = n->n_layers - 1; l >= 0; --l) {
        gl_layer *L = &n->layer[l];
        layer_backward_to_z(n, L, g, rows, g_is_dp);
        const float *in = l ? gl_net_buf(n, n->layer[l - 1].a_off) : x;
        float *dx = l ? gin : 0, *dW = n->grads + L->w_off, *db = gl_layer_biases(L) ? n->grads + L->b_off : 0;
        const float *W = n->params + L->w_off;
        /* when the layer below feeds its activation straight out (no dropout or batch norm after
         * it), its activation derivative is applied as dx is computed: by a dense layer's GEMM, or,
         * for a ReLU, by max pooling (which routes the gradient only where the pooled value is > 0) */
        const gl_layer *P = l ? &n->layer[l - 1] : 0;
        int feeds = P && P->dropout <= 0 && P->a_off == P->h_off && P->h_off != P->p_off;
        int fuse = L->type == GL_LAYER_DENSE && feeds;
        int gate = L->type == GL_LAYER_POOL && L->pool_mode == GL_POOL_MAX && feeds && P->act == GL_ACT_RELU;
        g_is_dp = fuse || gate;
        int weights_finite = 1; /* the weight gradient's GEMM checks it as it stores it */
        switch (L->type) {
        case GL_LAYER_DENSE:
            if (fuse) weights_finite = gl_dense_backward_act(dx, dW, db, g, in, gl_net_buf(n, P->p_off), W, rows,
                                                             L->in, L->out, P->act, P->slope);
            else weights_finite = gl_dense_backward(dx, dW, db, g, in, W, rows, L->in, L->out);
            break;
        case GL_LAYER_CONV:
            weights_finite = gl_conv_backward(dx, dW, db, g, gl_net_buf(n, L->c_off), W, rows, &L->geom, n->dcols);
            break;
        case GL_LAYER_POOL:
            if (dx) gl_pool_backward(dx, g, L->i_off >= 0 ? gl_net_buf(n, L->i_off) : 0, gate ? gl_net_buf(n, L->z_off) : 0,
                                     rows, L->geom.h, L->geom.w, L->geom.c, L->pool_mode);
            break;
        case GL_LAYER_FLATTEN: if (dx) memcpy(dx, g, sizeof(float) * (size_t)rows * L->out); break;
        }
        /* the weight gradient was checked as the GEMM stored it; the rest of the layer's gradients
         * (bias, batch norm's gamma and beta) are few and checked here */
        finite &= weights_finite & gl_all_finite(n->grads + L->b_off, params_end(n, l) - L->b_off);
        float *t = g; g = gin; gin = t;
    }
    n->grads_finite = finite;
}

/* adds the L1 and L2 penalties' gradients to the weight gradients; returns the penalty */
static float add_penalties(gl_net *n) {
    double pen = 0.0;
    if (n->opt.l1 == 0.0f && n->opt.l2 == 0.0f) return 0.0f;
    for (int l = 0; l < n->n_layers; ++l) {
        const gl_layer *L = &n->layer[l];
        float l1 = n->opt.l1 * L->l1_scale, l2 = n->opt.l2 * L->l2_scale;
        const float *w = n->params + L->w_off;
        float *g = n->grads + L->w_off;
        long cnt = L->b_off - L->w_off;
        double s1 = 0, s2 = 0;
        for (long i = 0; i < cnt; ++i) {
            s1 += fabsf(w[i]); s2 += (double)w[i] * w[i];
            g[i] += l2 * w[i] + (w[i] > 0 ? l1 : w[i] < 0 ? -l1 : 0.0f);
        }
        pen += l1 * s1 + 0.5 * l2 * s2;
    }
    return (float)pen;
}

/* one row of n floats; the toy data sets' rows of 1 to 4 inputs as fixed-size copies, which the
 * compiler turns into a load and a store instead of a call */
static inline void copy_row(float *dst, const float *src, int n) {
    switch (n) {
    case 1: memcpy(dst, src, sizeof(float)); break;
    case 2: memcpy(dst, src, 2 * sizeof(float)); break;
    case 3: memcpy(dst, src, 3 * sizeof(float)); break;
    case 4: memcpy(dst, src, 4 * sizeof(float)); break;
    default: memcpy(dst, src, sizeof(float) * (size_t)n); break;
    }
}

static void gather(gl_net *n, const gl_dataset *d, const int32_t *rows, int B) {
    for (int r = 0; r < B; ++r) {
        long src = rows[r];
        copy_row(n->xb + (long)r * d->inputs, d->x + src * d->inputs, d->inputs);
        if (d->yi) n->ybi[r] = d->yi[src];
        else copy_row(n->ybf + (long)r * d->outputs, d->yf + src * d->outputs, d->outputs);
    }
}

/* the next minibatch of the epoch: consecutive slices of a permutation; a new permutation
 * when fewer than B rows are left (the remainder is skipped, like drop_last) */
static void next_batch(gl_net *n, const gl_dataset *d, int B) {
    if (n->cursor + B > n->perm_n) {
        for (int i = 0; i < n->perm_n; ++i) n->perm[i] = i;
        gl_rng_shuffle(&n->rng_shuffle, n->perm, n->perm_n);
        n->cursor = 0;
    }
    gather(n, d, n->perm + n->cursor, B);
    n->cursor += B;
    n->batch_rows = B;
}

/* total plus the data loss of the last pass's rows, summed row by row (gl_loss_sum) */
static double output_loss_sum(gl_net *n, const int32_t *yi, const float *yf, int rows, float *dz, int *correct,
                              double total) {
    const gl_layer *O = &n->layer[n->n_layers - 1];
    return gl_loss_sum(n->loss, O->act, O->slope, gl_net_buf(n, O->p_off), gl_net_buf(n, O->a_off), rows, O->out,
                       yi, yf, dz, correct, total);
}

float gl_net_loss_grad(gl_net *n, const float *x, const int32_t *yi, const float *yf, int rows, int grad,
                       int *correct) {
    gl_net_forward(n, x, rows, 1);
    float loss = (float)(output_loss_sum(n, yi, yf, rows, grad ? n->delta : 0, correct, 0.0) / rows);
    if (grad) backward(n, x, rows);
    return loss;
}

static long bn_floats(const gl_net *n) {
    long nb = 0;
    for (int l = 0; l < n->n_layers; ++l) if (n->layer[l].bn) nb += 4L * gl_layer_channels(&n->layer[l]);
    return nb;
}

int gl_net_prepare(gl_net *n, const gl_dataset *d, int data_id, int batch) {
    if (!gl_net_reserve(n, gl_batch_rows(batch, d->n_train))) return 0;
    if (n->perm_data != data_id || n->perm_n != d->n_train) {
        int32_t *perm = malloc(sizeof(int32_t) * (size_t)d->n_train);
        if (!perm) return 0;
        free(n->perm);
        n->perm = perm;
        n->perm_n = d->n_train; n->perm_data = data_id; n->cursor = d->n_train; n->batch_rows = 0;
    }
    /* what gl_net_train needs to undo a step: the parameters and the batch-norm statistics */
    if (!n->prev && !(n->prev = gl_floats((size_t)n->n_params, 0))) return 0;
    long nb = bn_floats(n);
    if (nb && !n->prev_bn) {
        n->prev_bn = malloc(sizeof(float) * (size_t)nb);
        n->step_bn = malloc(sizeof(float) * (size_t)nb);
        if (!n->prev_bn || !n->step_bn) { free(n->prev_bn); free(n->step_bn); n->prev_bn = n->step_bn = 0; return 0; }
    }
    return 1;
}

/* one optimiser update of every tensor, layer by layer, recording |delta W|^2 per layer; the
 * parameters before it go to n->prev in the same pass. Returns 0 when an updated parameter is not
 * finite. */
static int update(gl_net *n, float lr, float gscale) {
    long P = n->n_params, S = gl_floats_stride(P);
    gl_opt_step st;
    gl_optimizer_begin(&st, &n->opt, lr, ++n->opt_t, gscale);
    int finite = 1;
    for (int l = 0; l < n->n_layers; ++l) {
        gl_layer *L = &n->layer[l];
        long ranges[2][2] = {{L->w_off, L->b_off}, {L->b_off, params_end(n, l)}}; /* W, then b (and gamma, beta) */
        for (int k = 0; k < 2; ++k) {
            long off = ranges[k][0], cnt = ranges[k][1] - off;
            float *s1 = n->state_arrays > 0 ? n->state + off : 0;
            float *s2 = n->state_arrays > 1 ? n->state + S + off : 0;
            float *s3 = n->state_arrays > 2 ? n->state + 2 * S + off : 0;
            double sq = gl_optimizer_apply(&n->opt, &st, n->params + off, n->grads + off, s1, s2, s3, cnt,
                                           n->prev + off, &finite);
            if (k == 0) L->update_sq = sq;
        }
    }
    return finite;
}

/* the squared norm of the gradient when clipping needs it; otherwise 0 when it is finite, NaN when
 * not (which the backward pass found out layer by layer, unless the penalties changed it since) */
static double gradient_check(const gl_net *n) {
    if (n->opt.clip_norm > 0) return gl_sum_squares(n->grads, n->n_params);
    int penalised = n->opt.l1 != 0.0f || n->opt.l2 != 0.0f;
    int finite = penalised ? gl_all_finite(n->grads, n->n_params) : n->grads_finite;
    return finite ? 0.0 : NAN;
}

/* stops training at a step that went wrong: undoes the last applied update when undo_update is set
 * (the weights before it are in n->prev), puts back the batch-norm statistics bn_before, and
 * reports the divergence */
static void diverge(gl_net *n, gl_train_result *out, int undo_update, const float *bn_before, long nb,
                    float loss, float pen) {
    if (undo_update) {
        memcpy(n->params, n->prev, sizeof(float) * (size_t)n->n_params);
        n->opt_t--;
        n->prev_ok = 0;
        if (n->trajectory) gl_trajectory_truncate(n->trajectory, n->step);   /* the undone step's copy goes too */
    }
    if (nb) memcpy(n->bn, bn_before, sizeof(float) * (size_t)nb);
    out->diverged = 1; out->loss = loss; out->reg_loss = pen; out->step = (float)n->step;
}

void gl_net_train(gl_net *n, const gl_dataset *d, int steps, int batch, gl_train_result *out) {
    int B = gl_batch_rows(batch, d->n_train), full = B == d->n_train;
    memset(out, 0, sizeof *out);
    out->accuracy = -1;
    out->step = (float)n->step;
    long nb = bn_floats(n);
    for (int s = 0; s < steps; ++s) {
        if (nb) memcpy(n->step_bn, n->bn, sizeof(float) * (size_t)nb); /* the forward pass moves them */
        const float *x; const int32_t *yi; const float *yf;
        if (full) { x = d->x; yi = d->yi; yf = d->yf; n->batch_rows = 0; }
        else {
            next_batch(n, d, B);
            x = n->xb; yi = d->yi ? n->ybi : 0; yf = d->yf ? n->ybf : 0;
        }
        int correct = 0;
        float loss = gl_net_loss_grad(n, x, yi, yf, B, 1, &correct);
        float pen = add_penalties(n);
        double sq = gradient_check(n);
        float lr = gl_schedule_rate(&n->sched, n->opt.learning_rate, n->opt_t);
        if (!isfinite(loss) || !isfinite(pen) || !isfinite(sq) || !isfinite(lr)) {
            /* the last applied update led here: undo it with the statistics from before it; with
             * none to undo, only this step's forward pass moved anything */
            int undo = n->prev_ok;
            if (undo) { n->step--; if (s > 0) out->steps = (float)(s - 1); }
            diverge(n, out, undo, undo ? n->prev_bn : n->step_bn, nb, loss, pen);
            return;
        }
        float norm = (float)sqrt(sq), gscale = 1.0f;
        if (n->opt.clip_norm > 0 && norm > n->opt.clip_norm) gscale = n->opt.clip_norm / (norm + 1e-6f);
        if (!update(n, lr, gscale)) { /* this update overflowed a weight: undo it */
            diverge(n, out, 1, n->step_bn, nb, loss, pen);
            return;
        }
        if (nb) { float *t = n->prev_bn; n->prev_bn = n->step_bn; n->step_bn = t; }
        n->prev_ok = 1;
        n->step++;
        if (n->trajectory) gl_trajectory_note(n->trajectory, n->params, n->step);
        out->step = (float)n->step;
        n->last_lr = lr;
        out->steps = (float)(s + 1);
        out->loss = loss; out->reg_loss = pen; out->learning_rate = lr;
        out->accuracy = d->yi ? (float)correct / (float)B : -1.0f;
    }
}

/* in passes of as many rows as the activation arena holds: the arena grows with the largest pass the
 * network has made (a batch, a forward pass, an instrument's rows), so the passes differ from one
 * network to its twin. The result does not: a row's outputs do not depend on the rows passed with
 * it (the kernels' promise), and gl_loss_sum adds the rows' losses one by one in row order, through
 * all the passes, into one total. */
void gl_net_evaluate(gl_net *n, const gl_dataset *d, int split, float *loss, float *accuracy) {
    int first = split ? d->n_train : 0, count = split ? d->n_test : d->n_train;
    double total = 0.0;
    long right = 0;
    for (int r = 0; r < count; r += n->cap) {
        int rows = count - r < n->cap ? count - r : n->cap;
        long row = first + r;
        gl_net_forward(n, d->x + row * d->inputs, rows, 0);
        int correct = 0;
        total = output_loss_sum(n, d->yi ? d->yi + row : 0, d->yf ? d->yf + row * d->outputs : 0, rows, 0,
                                &correct, total);
        right += correct;
    }
    *loss = count ? (float)(total / count) : NAN;
    *accuracy = d->yi && count ? (float)right / (float)count : -1.0f;
}

void gl_net_predict(gl_net *n, const float *x, int rows, float *y) {
    const gl_layer *O = &n->layer[n->n_layers - 1];
    for (int r = 0; r < rows; r += n->cap) {
        int m = rows - r < n->cap ? rows - r : n->cap;
        gl_net_forward(n, x + (long)r * n->inputs, m, 0);
        memcpy(y + (long)r * O->out, gl_net_buf(n, O->a_off), sizeof(float) * (size_t)m * O->out);
    }
}

static gl_moments moments(const float *v, long count) {
    gl_moments m = {0, 0, 0, 0};
    if (count <= 0 || !v) return m;
    double s = 0, ss = 0;
    float lo = v[0], hi = v[0];
    for (long i = 0; i < count; ++i) {
        s += v[i];
        lo = v[i] < lo ? v[i] : lo; hi = v[i] > hi ? v[i] : hi;
    }
    double mean = s / count;
    for (long i = 0; i < count; ++i) { double d = v[i] - mean; ss += d * d; }
    m.mean = (float)mean; m.std = (float)sqrt(ss / count); m.min = lo; m.max = hi;
    return m;
}

void gl_net_stats(const gl_net *n, int l, gl_layer_stats *s) {
    const gl_layer *L = &n->layer[l];
    long wn = L->b_off - L->w_off, an = (long)n->rows * L->out;
    memset(s, 0, sizeof *s);
    s->weights = moments(n->params + L->w_off, wn);
    s->biases = moments(n->params + L->b_off, gl_layer_biases(L));
    s->grads = moments(n->grads + L->w_off, wn);
    double gsq = 0, wsq = 0;
    const float *w = n->params + L->w_off, *g = n->grads + L->w_off;
    for (long i = 0; i < wn; ++i) { gsq += (double)g[i] * g[i]; wsq += (double)w[i] * w[i]; }
    s->grad_norm = (float)sqrt(gsq);
    s->update_ratio = wsq > 0 ? (float)sqrt(L->update_sq / wsq) : 0.0f;
    if (!n->rows) return;
    const float *p = gl_net_buf(n, L->p_off), *h = gl_net_buf(n, L->h_off);
    s->preact = moments(p, an);
    s->act = moments(gl_net_buf(n, L->a_off), an);
    if (L->act == GL_ACT_TANH || L->act == GL_ACT_SIGMOID) {
        long sat = 0;
        for (long i = 0; i < an; ++i)
            sat += L->act == GL_ACT_TANH ? fabsf(h[i]) > 0.99f : (h[i] < 0.01f || h[i] > 0.99f);
        s->saturated = (float)sat / (float)an;
    }
    if (L->act == GL_ACT_RELU) { /* a unit is a channel: dead when zero at every row and position */
        int dead = 0, ch = gl_layer_channels(L);
        long places = (long)n->rows * gl_layer_positions(L);
        for (int j = 0; j < ch; ++j) {
            int alive = 0;
            for (long r = 0; r < places && !alive; ++r) alive = h[r * ch + j] != 0.0f;
            dead += !alive;
        }
        s->dead = (float)dead / (float)ch;
    }
}

long gl_net_bn_floats(const gl_net *n) { return bn_floats(n); }
