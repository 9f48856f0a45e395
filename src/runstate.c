#include "runstate.h"
#include "aligned.h"
#include <stdio.h>
#include <string.h>

/* header words */
enum { H_MAGIC, H_VERSION, H_BYTES, H_CHECKSUM, H_INPUTS, H_LAYERS, H_PARAMS, H_BN, H_ARRAYS, H_OPT_KIND,
       H_ORDER, H_CURSOR, H_PREV_OK, H_LOSS, GL_RUNSTATE_HEADER };
/* after the header: two generators (4 words each), step and updates (2 words each), the last rate,
 * then per layer its type, outputs (2 words) and |dW|^2 of the last step (a double, 2 words) */
enum { FIXED_WORDS = 8 + 4 + 1, LAYER_WORDS = 4 };

static int64_t words(const gl_net *n, int prev_ok, int order) {
    long nb = gl_net_bn_floats(n);
    return GL_RUNSTATE_HEADER + FIXED_WORDS + (int64_t)LAYER_WORDS * n->n_layers + n->n_params + nb +
           (int64_t)n->state_arrays * n->n_params + (prev_ok ? n->n_params + nb : 0) + order;
}

/* the epoch order is kept only while one is under way: when the cursor is at its end (or there is none)
 * the next minibatch draws a new order from the identity, and what the array holds is never read */
static int order_in_use(const gl_net *n) { return n->perm && n->cursor < n->perm_n ? n->perm_n : 0; }

int64_t gl_runstate_bytes(const gl_net *n) { return 4 * words(n, n->prev_ok, order_in_use(n)); }

/* FNV-1a over bytes: enough to tell a damaged record from a good one (not a defence against forgery) */
static uint32_t checksum(const uint8_t *p, int64_t len) {
    uint32_t h = 2166136261u;
    for (int64_t i = 0; i < len; ++i) h = (h ^ p[i]) * 16777619u;
    return h;
}

static uint8_t *put(uint8_t *at, const void *src, size_t bytes) { memcpy(at, src, bytes); return at + bytes; }
static const uint8_t *get(const uint8_t *at, void *dst, size_t bytes) { memcpy(dst, at, bytes); return at + bytes; }

static void put_u64(uint8_t **at, uint64_t v) {
    uint32_t w[2] = {(uint32_t)v, (uint32_t)(v >> 32)};
    *at = put(*at, w, sizeof w);
}
static uint64_t get_u64(const uint8_t **at) {
    uint32_t w[2];
    *at = get(*at, w, sizeof w);
    return (uint64_t)w[0] | (uint64_t)w[1] << 32;
}

void gl_runstate_write(const gl_net *n, uint8_t *out) {
    long P = n->n_params, nb = gl_net_bn_floats(n), S = gl_floats_stride(P);
    int order = order_in_use(n);
    int32_t h[GL_RUNSTATE_HEADER] = {(int32_t)GL_RUNSTATE_MAGIC, GL_RUNSTATE_VERSION,
        (int32_t)gl_runstate_bytes(n), 0, n->inputs, n->n_layers, (int32_t)P, (int32_t)nb, n->state_arrays,
        n->opt.kind, order, order ? n->cursor : 0, n->prev_ok, n->loss};
    uint8_t *at = out + sizeof h;
    const gl_rng *g[2] = {&n->rng_shuffle, &n->rng_dropout};
    for (int i = 0; i < 2; ++i) { put_u64(&at, g[i]->state); put_u64(&at, g[i]->inc); }
    put_u64(&at, (uint64_t)n->step);
    put_u64(&at, (uint64_t)n->opt_t);
    at = put(at, &n->last_lr, 4);
    for (int l = 0; l < n->n_layers; ++l) {
        const gl_layer *L = &n->layer[l];
        int32_t shape[2] = {L->type, L->out};
        at = put(at, shape, sizeof shape);
        at = put(at, &L->update_sq, sizeof L->update_sq);
    }
    at = put(at, n->params, 4 * (size_t)P);
    if (nb) at = put(at, n->bn, 4 * (size_t)nb);
    for (int a = 0; a < n->state_arrays; ++a) at = put(at, n->state + a * S, 4 * (size_t)P);
    if (n->prev_ok) {
        at = put(at, n->prev, 4 * (size_t)P);
        if (nb) at = put(at, n->prev_bn, 4 * (size_t)nb);
    }
    if (order) at = put(at, n->perm, 4 * (size_t)order);
    h[H_CHECKSUM] = (int32_t)checksum(out + sizeof h, at - (out + sizeof h));
    memcpy(out, h, sizeof h);
}

#define MISMATCH(...) (snprintf(why, (size_t)why_len, __VA_ARGS__), -1)

int gl_runstate_check(const gl_net *n, const uint8_t *rec, int64_t bytes, int n_train, char *why, int why_len) {
    int32_t h[GL_RUNSTATE_HEADER];
    if (bytes < (int64_t)sizeof h) return MISMATCH("the run state has %lld bytes, fewer than its header", (long long)bytes);
    memcpy(h, rec, sizeof h);
    if ((uint32_t)h[H_MAGIC] != GL_RUNSTATE_MAGIC) return MISMATCH("this is not a gradlab run state (its first bytes are wrong)");
    if (h[H_VERSION] != GL_RUNSTATE_VERSION)
        return MISMATCH("the run state is format version %d; this gradlab reads version %d", h[H_VERSION], GL_RUNSTATE_VERSION);
    if (h[H_BYTES] != bytes)
        return MISMATCH("the run state says it has %d bytes but %lld were given (cut short or padded)", h[H_BYTES], (long long)bytes);
    if ((uint32_t)h[H_CHECKSUM] != checksum(rec + sizeof h, bytes - (int64_t)sizeof h))
        return MISMATCH("the run state is damaged (its checksum does not match its contents)");
    if (h[H_INPUTS] != n->inputs) return MISMATCH("the saved network takes %d inputs; this one takes %d", h[H_INPUTS], n->inputs);
    if (h[H_LAYERS] != n->n_layers) return MISMATCH("the saved network has %d layers; this one has %d", h[H_LAYERS], n->n_layers);
    if (h[H_LOSS] != n->loss) return MISMATCH("the saved network has loss %d; this one has loss %d", h[H_LOSS], n->loss);
    if (h[H_PARAMS] != n->n_params)
        return MISMATCH("the saved network has %d parameters; this one has %ld", h[H_PARAMS], n->n_params);
    if (h[H_BN] != gl_net_bn_floats(n))
        return MISMATCH("the saved network keeps %d batch-norm statistics; this one keeps %ld", h[H_BN], gl_net_bn_floats(n));
    if (h[H_OPT_KIND] != n->opt.kind || h[H_ARRAYS] != n->state_arrays)
        return MISMATCH("the saved optimiser is kind %d with %d state arrays; this network's is kind %d with %d "
                        "(set the saved optimiser first)", h[H_OPT_KIND], h[H_ARRAYS], n->opt.kind, n->state_arrays);
    if (h[H_ORDER] != 0 && h[H_ORDER] != n_train)
        return MISMATCH("the saved batch order covers %d training rows; this data set has %d", h[H_ORDER], n_train);
    if (h[H_CURSOR] < 0 || h[H_CURSOR] >= (h[H_ORDER] ? h[H_ORDER] : 1) || (h[H_PREV_OK] & ~1))
        return MISMATCH("the run state's batch cursor %d or undo flag %d is out of range", h[H_CURSOR], h[H_PREV_OK]);
    if (words(n, h[H_PREV_OK], h[H_ORDER]) * 4 != bytes)
        return MISMATCH("the run state has %lld bytes; this network's needs %lld", (long long)bytes,
                        (long long)words(n, h[H_PREV_OK], h[H_ORDER]) * 4);
    const uint8_t *at = rec + 4 * (GL_RUNSTATE_HEADER + FIXED_WORDS);
    for (int l = 0; l < n->n_layers; ++l, at += 4 * LAYER_WORDS) {
        int32_t shape[2];
        memcpy(shape, at, sizeof shape);
        if (shape[0] != n->layer[l].type || shape[1] != n->layer[l].out)
            return MISMATCH("saved layer %d is type %d with %d outputs; this network's is type %d with %d", l,
                            shape[0], shape[1], n->layer[l].type, n->layer[l].out);
    }
    if (h[H_ORDER]) {
        const uint8_t *perm = rec + bytes - 4 * (int64_t)h[H_ORDER];
        for (int i = 0; i < h[H_ORDER]; ++i) {
            int32_t r;
            memcpy(&r, perm + 4 * (int64_t)i, 4);
            if (r < 0 || r >= n_train) return MISMATCH("the saved batch order names row %d of %d training rows", r, n_train);
        }
    }
    return 0;
}

int gl_runstate_has_order(const uint8_t *rec) {
    int32_t order;
    memcpy(&order, rec + 4 * H_ORDER, 4);
    return order > 0;
}

void gl_runstate_read(gl_net *n, const uint8_t *rec) {
    int32_t h[GL_RUNSTATE_HEADER];
    memcpy(h, rec, sizeof h);
    long P = n->n_params, nb = gl_net_bn_floats(n), S = gl_floats_stride(P);
    const uint8_t *at = rec + sizeof h;
    gl_rng *g[2] = {&n->rng_shuffle, &n->rng_dropout};
    for (int i = 0; i < 2; ++i) { g[i]->state = get_u64(&at); g[i]->inc = get_u64(&at); }
    n->step = (long)get_u64(&at);
    n->opt_t = (long)get_u64(&at);
    at = get(at, &n->last_lr, 4);
    for (int l = 0; l < n->n_layers; ++l) at = get(at + 8, &n->layer[l].update_sq, sizeof(double));
    at = get(at, n->params, 4 * (size_t)P);
    if (nb) at = get(at, n->bn, 4 * (size_t)nb);
    for (int a = 0; a < n->state_arrays; ++a) at = get(at, n->state + a * S, 4 * (size_t)P);
    n->prev_ok = h[H_PREV_OK];
    if (n->prev_ok) {
        at = get(at, n->prev, 4 * (size_t)P);
        if (nb) at = get(at, n->prev_bn, 4 * (size_t)nb);
    }
    /* without an order under way the cursor stays where gl_net_prepare put it: at the end, so the next
     * minibatch draws a new order */
    if (h[H_ORDER]) { get(at, n->perm, 4 * (size_t)h[H_ORDER]); n->cursor = h[H_CURSOR]; }
    n->rows = 0; /* no pass of this network has run: activations are empty until the next one */
}
