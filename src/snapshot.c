#include "snapshot.h"
#include "aligned.h"
#include <string.h>

static float *copy_of(const float *src, long count) {
    if (!src) return 0;
    float *p = gl_floats((size_t)count, 0);
    if (p) memcpy(p, src, sizeof(float) * (size_t)(count ? count : 1));
    return p;
}

static void free_copies(gl_snapshot *s) {
    free(s->params); free(s->grads); free(s->bn); free(s->prev); free(s->prev_bn); free(s->step_bn);
    s->params = s->grads = s->bn = s->prev = s->prev_bn = s->step_bn = 0;
}

int gl_snapshot_save(gl_snapshot *s, gl_net *n) {
    long P = n->n_params, nb = gl_net_bn_floats(n);
    long state_floats = (long)n->state_arrays * gl_floats_stride(P);
    memset(s, 0, sizeof *s);
    s->params = copy_of(n->params, P);
    s->grads = copy_of(n->grads, P);
    s->bn = copy_of(n->bn, nb);
    s->prev = copy_of(n->prev, P);
    s->prev_bn = copy_of(n->prev_bn, nb);
    s->step_bn = copy_of(n->step_bn, nb);
    float *state_copy = copy_of(n->state, state_floats);
    int32_t *perm_copy = n->perm ? malloc(sizeof(int32_t) * (size_t)(n->perm_n ? n->perm_n : 1)) : 0;
    if (!s->params || !s->grads || (n->bn && !s->bn) || (n->prev && !s->prev) || (n->prev_bn && !s->prev_bn) ||
        (n->step_bn && !s->step_bn) || (n->state && !state_copy) || (n->perm && !perm_copy)) {
        free_copies(s); free(state_copy); free(perm_copy);
        return 0;
    }
    /* the originals of the two blocks an instrument may replace (a new optimiser, another data set)
     * move into the snapshot; the network works on copies */
    s->state = n->state; n->state = state_copy;
    s->perm = n->perm; n->perm = perm_copy;
    if (perm_copy) memcpy(perm_copy, s->perm, sizeof(int32_t) * (size_t)n->perm_n);
    s->state_arrays = n->state_arrays; s->perm_n = n->perm_n; s->cursor = n->cursor; s->perm_data = n->perm_data;
    s->prev_ok = n->prev_ok; s->grads_finite = n->grads_finite;
    s->opt = n->opt; s->sched = n->sched; s->opt_t = n->opt_t; s->step = n->step; s->last_lr = n->last_lr;
    s->rng_shuffle = n->rng_shuffle; s->rng_dropout = n->rng_dropout;
    for (int l = 0; l < n->n_layers; ++l) s->update_sq[l] = n->layer[l].update_sq;
    s->trajectory = n->trajectory;
    return 1;
}

void gl_snapshot_restore(gl_snapshot *s, gl_net *n) {
    long P = n->n_params, nb = gl_net_bn_floats(n);
    memcpy(n->params, s->params, sizeof(float) * (size_t)P);
    memcpy(n->grads, s->grads, sizeof(float) * (size_t)P);
    if (nb) memcpy(n->bn, s->bn, sizeof(float) * (size_t)nb);
    /* undo buffers made by the instrument (a first gl_net_prepare) stay allocated, unused (prev_ok 0) */
    if (s->prev) memcpy(n->prev, s->prev, sizeof(float) * (size_t)P);
    if (s->prev_bn) memcpy(n->prev_bn, s->prev_bn, sizeof(float) * (size_t)nb);
    if (s->step_bn) memcpy(n->step_bn, s->step_bn, sizeof(float) * (size_t)nb);
    free(n->state); n->state = s->state;
    free(n->perm); n->perm = s->perm;
    n->state_arrays = s->state_arrays; n->perm_n = s->perm_n; n->cursor = s->cursor; n->perm_data = s->perm_data;
    n->prev_ok = s->prev_ok; n->grads_finite = s->grads_finite;
    n->opt = s->opt; n->sched = s->sched; n->opt_t = s->opt_t; n->step = s->step; n->last_lr = s->last_lr;
    n->rng_shuffle = s->rng_shuffle; n->rng_dropout = s->rng_dropout;
    for (int l = 0; l < n->n_layers; ++l) n->layer[l].update_sq = s->update_sq[l];
    n->trajectory = s->trajectory;
    free_copies(s);
    s->state = 0; s->perm = 0;
}
