#include "network.h"
#include "activation.h"
#include "dense.h"
#include "loss.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

gl_net *gl_net_create(int inputs, int n_layers, const gl_layer *layers, int loss, uint32_t seed) {
    gl_net *n = calloc(1, sizeof *n);
    if (!n) return 0;
    n->inputs = inputs; n->n_layers = n_layers; n->loss = loss; n->seed = seed;
    n->max_width = inputs;
    long p = 0, work = 0;
    int in = inputs;
    for (int l = 0; l < n_layers; ++l) {
        gl_layer *L = &n->layer[l];
        *L = layers[l];
        L->in = in;
        L->w_off = p; p += (long)in * L->out;
        L->b_off = p; p += L->out;
        if ((long)in * L->out > work) work = (long)in * L->out;
        if (L->out > n->max_width) n->max_width = L->out;
        in = L->out;
    }
    n->n_params = p;
    n->params = calloc((size_t)p, sizeof(float));
    n->grads = calloc((size_t)p, sizeof(float));
    n->work = malloc(sizeof(float) * (size_t)work);
    if (!n->params || !n->grads || !n->work) { gl_net_free(n); return 0; }
    gl_rng r;
    gl_rng_seed(&r, seed, GL_STREAM_INIT);
    for (int l = 0; l < n_layers; ++l) {
        gl_layer *L = &n->layer[l];
        gl_init_fill(n->params + L->w_off, L->in, L->out, &L->init, &r, n->work);
    }
    gl_rng_seed(&n->rng_shuffle, seed, GL_STREAM_SHUFFLE);
    n->perm_data = -1;
    n->opt.kind = GL_OPT_SGD;
    n->opt.learning_rate = 0.01f;
    n->last_lr = n->opt.learning_rate;
    return n;
}

void gl_net_free(gl_net *n) {
    if (!n) return;
    free(n->params); free(n->grads); free(n->state); free(n->acts); free(n->delta); free(n->delta2);
    free(n->xb); free(n->ybf); free(n->ybi); free(n->work); free(n->perm); free(n->prev); free(n);
}

int64_t gl_net_pass_floats(const gl_net *n, int rows) {
    int64_t per_row = 0;
    for (int l = 0; l < n->n_layers; ++l) per_row += 2 * (int64_t)n->layer[l].out;
    per_row += 2 * (int64_t)n->max_width + n->inputs + n->layer[n->n_layers - 1].out + 1;
    return per_row * rows;
}

int gl_net_reserve(gl_net *n, int rows) {
    if (rows <= n->cap) return 1;
    if (gl_net_pass_floats(n, rows) > GL_NET_PASS_FLOATS) return 0;
    long per_row = 0;
    for (int l = 0; l < n->n_layers; ++l) per_row += 2L * n->layer[l].out;
    int K = n->layer[n->n_layers - 1].out;
    float *acts = malloc(sizeof(float) * (size_t)per_row * rows);
    float *d1 = malloc(sizeof(float) * (size_t)rows * n->max_width);
    float *d2 = malloc(sizeof(float) * (size_t)rows * n->max_width);
    float *xb = malloc(sizeof(float) * (size_t)rows * n->inputs);
    float *ybf = malloc(sizeof(float) * (size_t)rows * K);
    int32_t *ybi = malloc(sizeof(int32_t) * (size_t)rows);
    if (!acts || !d1 || !d2 || !xb || !ybf || !ybi) {
        free(acts); free(d1); free(d2); free(xb); free(ybf); free(ybi);
        return 0;
    }
    free(n->acts); free(n->delta); free(n->delta2); free(n->xb); free(n->ybf); free(n->ybi);
    n->acts = acts; n->delta = d1; n->delta2 = d2; n->xb = xb; n->ybf = ybf; n->ybi = ybi;
    n->cap = rows;
    n->rows = 0;
    long off = 0;
    for (int l = 0; l < n->n_layers; ++l) {
        gl_layer *L = &n->layer[l];
        L->z_off = off; off += (long)rows * L->out;
        L->a_off = off; off += (long)rows * L->out;
    }
    return 1;
}

int gl_net_set_optimizer(gl_net *n, const gl_optimizer *o, const gl_schedule *s) {
    int arrays = gl_optimizer_state_arrays(o);
    float *state = arrays ? calloc((size_t)arrays * n->n_params, sizeof(float)) : 0;
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

void gl_net_forward(gl_net *n, const float *x, int rows, int training) {
    (void)training; /* dropout and batch norm will read it */
    const float *in = x;
    for (int l = 0; l < n->n_layers; ++l) {
        gl_layer *L = &n->layer[l];
        float *z = gl_net_z(n, l), *a = gl_net_a(n, l);
        gl_dense_forward(z, in, n->params + L->w_off, n->params + L->b_off, rows, L->in, L->out);
        gl_activation_forward(a, z, rows, L->out, L->act, L->slope);
        in = a;
    }
    n->rows = rows;
}

/* data loss gradient -> parameter gradients (overwritten) for the last forward pass */
static void backward(gl_net *n, const float *x, int rows) {
    memset(n->grads, 0, sizeof(float) * (size_t)n->n_params);
    float *dz = n->delta, *dx = n->delta2;
    for (int l = n->n_layers - 1; l >= 0; --l) {
        gl_layer *L = &n->layer[l];
        const float *in = l ? gl_net_a(n, l - 1) : x;
        gl_dense_backward(l ? dx : 0, n->grads + L->w_off, n->grads + L->b_off, dz, in,
                          n->params + L->w_off, rows, L->in, L->out, n->work);
        if (l) {
            const gl_layer *P = &n->layer[l - 1];
            gl_activation_backward(dx, dx, gl_net_z(n, l - 1), gl_net_a(n, l - 1), (long)rows * P->out,
                                   P->act, P->slope);
            float *t = dz; dz = dx; dx = t;
        }
    }
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
        long cnt = (long)L->in * L->out;
        double s1 = 0, s2 = 0;
        for (long i = 0; i < cnt; ++i) {
            s1 += fabsf(w[i]); s2 += (double)w[i] * w[i];
            g[i] += l2 * w[i] + (w[i] > 0 ? l1 : w[i] < 0 ? -l1 : 0.0f);
        }
        pen += l1 * s1 + 0.5 * l2 * s2;
    }
    return (float)pen;
}

static void gather(gl_net *n, const gl_dataset *d, const int32_t *rows, int B) {
    for (int r = 0; r < B; ++r) {
        long src = rows[r];
        memcpy(n->xb + (long)r * d->inputs, d->x + src * d->inputs, sizeof(float) * d->inputs);
        if (d->yi) n->ybi[r] = d->yi[src];
        else memcpy(n->ybf + (long)r * d->outputs, d->yf + src * d->outputs, sizeof(float) * d->outputs);
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
}

static float output_loss(gl_net *n, const int32_t *yi, const float *yf, int rows, float *dz, int *correct) {
    const gl_layer *O = &n->layer[n->n_layers - 1];
    return gl_loss(n->loss, O->act, O->slope, gl_net_z(n, n->n_layers - 1), gl_net_a(n, n->n_layers - 1),
                   rows, O->out, yi, yf, dz, correct);
}

int gl_net_prepare(gl_net *n, const gl_dataset *d, int data_id, int batch) {
    if (!gl_net_reserve(n, batch <= 0 || batch >= d->n_train ? d->n_train : batch)) return 0;
    if (n->perm_data != data_id || n->perm_n != d->n_train) {
        int32_t *perm = malloc(sizeof(int32_t) * (size_t)d->n_train);
        if (!perm) return 0;
        free(n->perm);
        n->perm = perm;
        n->perm_n = d->n_train; n->perm_data = data_id; n->cursor = d->n_train;
    }
    if (!n->prev && !(n->prev = malloc(sizeof(float) * (size_t)n->n_params))) return 0;
    return 1;
}

float gl_net_loss_grad(gl_net *n, const float *x, const int32_t *yi, const float *yf, int rows, int grad,
                       int *correct) {
    gl_net_forward(n, x, rows, 1);
    float loss = output_loss(n, yi, yf, rows, grad ? n->delta : 0, correct);
    if (grad) backward(n, x, rows);
    return loss;
}

void gl_net_train(gl_net *n, const gl_dataset *d, int steps, int batch, gl_train_result *out) {
    int full = batch <= 0 || batch >= d->n_train;
    int B = full ? d->n_train : batch;
    memset(out, 0, sizeof *out);
    out->accuracy = -1;
    out->step = (float)n->step;
    for (int s = 0; s < steps; ++s) {
        const float *x; const int32_t *yi; const float *yf;
        if (full) { x = d->x; yi = d->yi; yf = d->yf; }
        else {
            next_batch(n, d, B);
            x = n->xb; yi = d->yi ? n->ybi : 0; yf = d->yf ? n->ybf : 0;
        }
        int correct = 0;
        float loss = gl_net_loss_grad(n, x, yi, yf, B, 1, &correct);
        float pen = add_penalties(n);
        double sq = 0.0;
        for (long i = 0; i < n->n_params; ++i) sq += (double)n->grads[i] * n->grads[i];
        float lr = gl_schedule_rate(&n->sched, n->opt.learning_rate, n->opt_t);
        if (!isfinite(loss) || !isfinite(pen) || !isfinite(sq) || !isfinite(lr)) {
            if (n->prev_ok) { /* the last update led here: undo it */
                memcpy(n->params, n->prev, sizeof(float) * (size_t)n->n_params);
                n->step--; n->opt_t--; n->prev_ok = 0;
                if (s > 0) out->steps = (float)(s - 1);
            }
            out->diverged = 1; out->loss = loss; out->reg_loss = pen; out->step = (float)n->step;
            return;
        }
        float norm = (float)sqrt(sq), gscale = 1.0f;
        if (n->opt.clip_norm > 0 && norm > n->opt.clip_norm) gscale = n->opt.clip_norm / (norm + 1e-6f);
        long t = ++n->opt_t;
        long P = n->n_params;
        float *s1 = n->state_arrays > 0 ? n->state : 0;
        float *s2 = n->state_arrays > 1 ? n->state + P : 0;
        float *s3 = n->state_arrays > 2 ? n->state + 2 * P : 0;
        memcpy(n->prev, n->params, sizeof(float) * (size_t)P);
        gl_optimizer_step(&n->opt, lr, t, n->params, n->grads, gscale, s1, s2, s3, P);
        int finite = 1;
        for (long i = 0; i < P && finite; ++i) finite = isfinite(n->params[i]);
        if (!finite) { /* this update overflowed a weight: undo it */
            memcpy(n->params, n->prev, sizeof(float) * (size_t)P);
            n->opt_t--; n->prev_ok = 0;
            out->diverged = 1; out->loss = loss; out->reg_loss = pen; out->step = (float)n->step;
            return;
        }
        n->prev_ok = 1;
        n->step++;
        out->step = (float)n->step;
        n->last_lr = lr;
        out->steps = (float)(s + 1);
        out->loss = loss; out->reg_loss = pen; out->learning_rate = lr;
        out->accuracy = d->yi ? (float)correct / (float)B : -1.0f;
    }
}

void gl_net_evaluate(gl_net *n, const gl_dataset *d, int split, float *loss, float *accuracy) {
    int first = split ? d->n_train : 0, count = split ? d->n_test : d->n_train;
    double total = 0.0;
    long right = 0;
    for (int r = 0; r < count; r += n->cap) {
        int rows = count - r < n->cap ? count - r : n->cap;
        long row = first + r;
        gl_net_forward(n, d->x + row * d->inputs, rows, 0);
        int correct = 0;
        float l = output_loss(n, d->yi ? d->yi + row : 0, d->yf ? d->yf + row * d->outputs : 0, rows, 0,
                              &correct);
        total += (double)l * rows;
        right += correct;
    }
    *loss = count ? (float)(total / count) : NAN;
    *accuracy = d->yi && count ? (float)right / (float)count : -1.0f;
}

void gl_net_predict(gl_net *n, const float *x, int rows, float *y) {
    int K = n->layer[n->n_layers - 1].out;
    for (int r = 0; r < rows; r += n->cap) {
        int m = rows - r < n->cap ? rows - r : n->cap;
        gl_net_forward(n, x + (long)r * n->inputs, m, 0);
        memcpy(y + (long)r * K, gl_net_a(n, n->n_layers - 1), sizeof(float) * (size_t)m * K);
    }
}
