/* api.c: the exported functions. Every argument is checked here, at the boundary; the
 * functions behind it assume valid input. */
#include "gradlab.h"
#include "activation.h"
#include "aligned.h"
#include "dataset.h"
#include "loss.h"
#include "network.h"
#include "surface.h"
#include <malloc.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define EXPORT
#endif

static char error_text[512];

static int fail(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error_text, sizeof error_text, fmt, ap);
    va_end(ap);
    return status;
}

EXPORT const char *gl_error_message(void) { return error_text; }
EXPORT void *gl_alloc(int bytes) { return bytes > 0 ? malloc((size_t)bytes) : 0; }
EXPORT void gl_free(void *p) { free(p); }
EXPORT int gl_memory_live(void) {
    struct mallinfo mi = mallinfo();
    return (int)mi.uordblks;
}

/* ---- handles: slot in the low 12 bits, a generation above, so a stale handle never matches ---- */
typedef struct { void *ptr; int gen; } slot;
static slot nets[GL_LIMIT_OBJECTS], sets[GL_LIMIT_OBJECTS];

static int handle_new(slot *table, void *ptr) {
    for (int i = 0; i < GL_LIMIT_OBJECTS; ++i)
        if (!table[i].ptr) {
            table[i].ptr = ptr;
            /* generations run 1..0x7ffff, never 0, so no handle is 0 or negative */
            table[i].gen = table[i].gen % 0x7ffff + 1;
            return (table[i].gen << 12) | i;
        }
    return -1;
}
static void *handle_get(slot *table, int h) {
    if (h <= 0) return 0;
    int i = h & 0xfff;
    return table[i].ptr && table[i].gen == (h >> 12) ? table[i].ptr : 0;
}
static void handle_drop(slot *table, int h) { table[h & 0xfff].ptr = 0; }

#define GET_NET(n, h) gl_net *n = handle_get(nets, h); \
    if (!n) return fail(GL_ERR_HANDLE, "network handle %d is not a live network (disposed, or never made)", h)
#define GET_SET(d, h) gl_dataset *d = handle_get(sets, h); \
    if (!d) return fail(GL_ERR_HANDLE, "data set handle %d is not a live data set (disposed, or never made)", h)

static int bad_fraction(float f) { return !(f >= 0.0f && f < 1.0f); }

#define NEED(p, name) if (!(p)) return fail(GL_ERR_ARGUMENT, "%s must be given (got a null pointer)", name)

_Static_assert(GL_LIMIT_PASS_FLOATS == GL_NET_PASS_FLOATS, "network.c refuses passes at the documented limit");

/* refuses a pass of rows through n whose activations and scratch would pass the limit */
static int check_pass(const gl_net *n, int rows, const char *what) {
    int64_t floats = gl_net_pass_floats(n, rows);
    if (floats > GL_LIMIT_PASS_FLOATS)
        return fail(GL_ERR_MEMORY, "%s of %d rows through this network needs %lld MiB of activations and scratch; "
                    "the limit is %lld MiB: use fewer rows (a smaller batchSize)", what, rows,
                    (long long)(floats * 4 >> 20), (long long)(GL_LIMIT_PASS_FLOATS * 4 >> 20));
    return GL_OK;
}

/* ---- data sets ---- */
EXPORT int gl_dataset_make(int kind, int samples, int classes, int size, float noise, float test_fraction,
                           uint32_t seed) {
    if (kind < 0 || kind >= GL_DATA_COUNT)
        return fail(GL_ERR_ARGUMENT, "kind %d is not a data set; allowed 0..%d", kind, GL_DATA_COUNT - 1);
    if (samples < 2 || samples > GL_LIMIT_SAMPLES)
        return fail(GL_ERR_ARGUMENT, "samples %d is out of range; allowed 2..%d", samples, GL_LIMIT_SAMPLES);
    if (gl_dataset_kind_classes(kind) < 0 && (classes < 2 || classes > 64))
        return fail(GL_ERR_ARGUMENT, "classes %d is out of range; allowed 2..64", classes);
    if ((kind == GL_DATA_DIGITS || kind == GL_DATA_SHAPES) && (size < 8 || size > GL_LIMIT_IMAGE))
        return fail(GL_ERR_ARGUMENT, "size %d is out of range; allowed 8..%d", size, GL_LIMIT_IMAGE);
    if ((long)samples * gl_dataset_kind_inputs(kind, size) > GL_LIMIT_DATA_FLOATS)
        return fail(GL_ERR_ARGUMENT, "samples x inputs = %ld is over the limit of %ld values",
                    (long)samples * gl_dataset_kind_inputs(kind, size), GL_LIMIT_DATA_FLOATS);
    if (!(noise >= 0.0f && noise <= 10.0f))
        return fail(GL_ERR_ARGUMENT, "noise %g is out of range; allowed 0..10", noise);
    if (bad_fraction(test_fraction))
        return fail(GL_ERR_ARGUMENT, "testFraction %g is out of range; allowed 0 <= f < 1", test_fraction);
    if (samples - (int)lroundf(samples * test_fraction) < 1)
        return fail(GL_ERR_ARGUMENT, "testFraction %g leaves no training rows of %d samples", test_fraction, samples);
    gl_dataset *d = gl_dataset_generate(kind, samples, classes, size, noise, test_fraction, seed);
    if (!d) return fail(GL_ERR_MEMORY, "not enough memory for %d samples", samples);
    int h = handle_new(sets, d);
    if (h < 0) { gl_dataset_free(d); return fail(GL_ERR_MEMORY, "more than %d live data sets", GL_LIMIT_OBJECTS); }
    return h;
}

EXPORT int gl_dataset_load(const float *x, const void *y, int samples, int inputs, int outputs, int classes,
                           float test_fraction, uint32_t seed) {
    if (!x || !y) return fail(GL_ERR_ARGUMENT, "x and y must be given");
    if (samples < 1 || samples > GL_LIMIT_SAMPLES)
        return fail(GL_ERR_ARGUMENT, "samples %d is out of range; allowed 1..%d", samples, GL_LIMIT_SAMPLES);
    if (inputs < 1 || inputs > GL_LIMIT_UNITS)
        return fail(GL_ERR_ARGUMENT, "inputs %d is out of range; allowed 1..%d", inputs, GL_LIMIT_UNITS);
    if ((int64_t)samples * inputs > GL_LIMIT_DATA_FLOATS)
        return fail(GL_ERR_ARGUMENT, "samples x inputs = %lld is over the limit of %lld values",
                    (long long)samples * inputs, (long long)GL_LIMIT_DATA_FLOATS);
    if (classes < 0 || classes == 1 || classes > GL_LIMIT_UNITS)
        return fail(GL_ERR_ARGUMENT, "classes %d is out of range; allowed 0 (regression) or 2..%d", classes, GL_LIMIT_UNITS);
    if (!classes && (outputs < 1 || outputs > GL_LIMIT_UNITS))
        return fail(GL_ERR_ARGUMENT, "outputs %d is out of range; allowed 1..%d", outputs, GL_LIMIT_UNITS);
    if (!classes && (int64_t)samples * outputs > GL_LIMIT_DATA_FLOATS)
        return fail(GL_ERR_ARGUMENT, "samples x outputs = %lld is over the limit of %lld values",
                    (long long)samples * outputs, (long long)GL_LIMIT_DATA_FLOATS);
    if (bad_fraction(test_fraction))
        return fail(GL_ERR_ARGUMENT, "testFraction %g is out of range; allowed 0 <= f < 1", test_fraction);
    if (samples - (int)lroundf(samples * test_fraction) < 1)
        return fail(GL_ERR_ARGUMENT, "testFraction %g leaves no training rows of %d samples", test_fraction, samples);
    for (int64_t i = 0; i < (int64_t)samples * inputs; ++i)
        if (!isfinite(x[i])) return fail(GL_ERR_ARGUMENT, "x[%lld] is %g; inputs must be finite", (long long)i, x[i]);
    if (classes) {
        const int32_t *yi = y;
        for (int i = 0; i < samples; ++i)
            if (yi[i] < 0 || yi[i] >= classes)
                return fail(GL_ERR_ARGUMENT, "y[%d] is %d; class ids must be in 0..%d", i, yi[i], classes - 1);
    } else {
        const float *yf = y;
        for (int64_t i = 0; i < (int64_t)samples * outputs; ++i)
            if (!isfinite(yf[i])) return fail(GL_ERR_ARGUMENT, "y[%lld] is %g; targets must be finite", (long long)i, yf[i]);
    }
    gl_dataset *d = gl_dataset_from(x, classes ? y : 0, classes ? 0 : y, samples, inputs, outputs, classes,
                                    test_fraction, seed);
    if (!d) return fail(GL_ERR_MEMORY, "not enough memory for %d samples", samples);
    int h = handle_new(sets, d);
    if (h < 0) { gl_dataset_free(d); return fail(GL_ERR_MEMORY, "more than %d live data sets", GL_LIMIT_OBJECTS); }
    return h;
}

EXPORT int gl_dataset_info(int h, int32_t *info) {
    GET_SET(d, h);
    NEED(info, "info");
    info[0] = d->inputs; info[1] = d->outputs; info[2] = d->classes;
    info[3] = d->n_train; info[4] = d->n_test;
    info[5] = (int32_t)(intptr_t)d->x;
    info[6] = (int32_t)(intptr_t)(d->yi ? (void *)d->yi : (void *)d->yf);
    info[7] = d->shape[0]; info[8] = d->shape[1]; info[9] = d->shape[2];
    return GL_OK;
}

EXPORT int gl_dataset_dispose(int h) {
    GET_SET(d, h);
    gl_dataset_free(d);
    handle_drop(sets, h);
    return GL_OK;
}

/* ---- networks ---- */
static const char *const act_names[GL_ACT_COUNT] = {"linear", "relu", "leaky-relu", "tanh", "sigmoid", "softmax"};

static const char *const type_names[GL_LAYER_TYPES] = {"dense", "conv", "pool", "flatten"};

EXPORT int gl_network_make(int inputs, const int32_t *shape, int n_layers, const int32_t *ints, const float *floats,
                           int loss, int dropout_mode, uint32_t seed) {
    if (!ints || !floats) return fail(GL_ERR_ARGUMENT, "the layer table must be given");
    if (inputs < 1 || inputs > GL_LIMIT_INPUTS)
        return fail(GL_ERR_ARGUMENT, "inputs %d is out of range; allowed 1..%d", inputs, GL_LIMIT_INPUTS);
    /* each side is at most the input count, so the product below fits in 64 bits */
    if (shape && (shape[0] < 1 || shape[1] < 1 || shape[2] < 1 || shape[0] > inputs || shape[1] > inputs ||
                  shape[2] > inputs || (int64_t)shape[0] * shape[1] * shape[2] != inputs))
        return fail(GL_ERR_ARGUMENT, "input shape [%d, %d, %d] does not hold %d inputs", shape[0], shape[1], shape[2], inputs);
    if (n_layers < 1 || n_layers > GL_LIMIT_LAYERS)
        return fail(GL_ERR_ARGUMENT, "layers %d is out of range; allowed 1..%d", n_layers, GL_LIMIT_LAYERS);
    if (loss < 0 || loss >= GL_LOSS_COUNT)
        return fail(GL_ERR_ARGUMENT, "loss %d is out of range; allowed 0..%d", loss, GL_LOSS_COUNT - 1);
    if (dropout_mode != GL_DROPOUT_INVERTED && dropout_mode != GL_DROPOUT_CLASSIC)
        return fail(GL_ERR_ARGUMENT, "dropoutMode %d is out of range; allowed 0 (inverted) or 1 (classic)", dropout_mode);
    gl_layer layers[GL_LIMIT_LAYERS];
    int64_t params = 0;
    for (int l = 0; l < n_layers; ++l) {
        const int32_t *li = ints + l * GL_LAYER_INTS;
        const float *lf = floats + l * GL_LAYER_FLOATS;
        gl_layer *L = &layers[l];
        int last = l == n_layers - 1;
        memset(L, 0, sizeof *L);
        L->out = li[0]; L->act = li[1]; L->init.kind = li[2]; L->bn = li[3] != 0; L->bn_after = L->bn && li[4] != 0;
        L->type = li[5]; L->kernel = li[6]; L->stride = li[7]; L->same = li[8] != 0; L->pool_mode = li[9];
        L->no_bias = li[10] != 0;
        if (L->type < 0 || L->type >= GL_LAYER_TYPES)
            return fail(GL_ERR_ARGUMENT, "layers[%d].type %d is out of range; allowed 0..%d", l, L->type, GL_LAYER_TYPES - 1);
        if (L->type == GL_LAYER_CONV) {
            if (L->out > GL_LIMIT_FILTERS)
                return fail(GL_ERR_ARGUMENT, "layers[%d].filters %d is out of range; allowed 1..%d", l, L->out, GL_LIMIT_FILTERS);
            if (L->kernel < 1 || L->kernel > 7 || L->kernel % 2 == 0)
                return fail(GL_ERR_ARGUMENT, "layers[%d].kernel %d is not allowed; use 1, 3, 5 or 7", l, L->kernel);
            if (L->stride < 1 || L->stride > 2)
                return fail(GL_ERR_ARGUMENT, "layers[%d].stride %d is not allowed; use 1 or 2", l, L->stride);
        }
        if (L->type == GL_LAYER_POOL || L->type == GL_LAYER_FLATTEN) {
            L->out = 1; /* replaced by the shape */
            if (L->pool_mode < 0 || L->pool_mode > 1)
                return fail(GL_ERR_ARGUMENT, "layers[%d].mode %d is out of range; allowed 0 (max) or 1 (average)", l, L->pool_mode);
            if (li[3] || li[1] != GL_ACT_LINEAR)
                return fail(GL_ERR_ARGUMENT, "layers[%d]: a %s layer has no activation or batch norm", l, type_names[L->type]);
        }
        if (last && L->type != GL_LAYER_DENSE)
            return fail(GL_ERR_ARGUMENT, "layers[%d]: the output layer must be dense (got '%s')", l, type_names[L->type]);
        L->slope = lf[0]; L->init.p0 = lf[1]; L->init.p1 = lf[2];
        L->l1_scale = lf[3]; L->l2_scale = lf[4]; L->dropout = lf[5]; L->bias_init = lf[6];
        L->bn_momentum = lf[7]; L->bn_eps = lf[8];
        if (L->out < 1 || L->out > GL_LIMIT_UNITS)
            return fail(GL_ERR_ARGUMENT, "layers[%d].units %d is out of range; allowed 1..%d", l, L->out, GL_LIMIT_UNITS);
        if (L->act < 0 || L->act >= GL_ACT_COUNT)
            return fail(GL_ERR_ARGUMENT, "layers[%d].activation %d is out of range; allowed 0..%d", l, L->act, GL_ACT_COUNT - 1);
        if (L->act == GL_ACT_SOFTMAX && !last)
            return fail(GL_ERR_ARGUMENT, "layers[%d].activation 'softmax' is allowed only on the last layer", l);
        if (L->init.kind < 0 || L->init.kind >= GL_INIT_COUNT)
            return fail(GL_ERR_ARGUMENT, "layers[%d].init %d is out of range; allowed 0..%d", l, L->init.kind, GL_INIT_COUNT - 1);
        if (!isfinite(L->slope) || !isfinite(L->init.p0) || !isfinite(L->init.p1) || !isfinite(L->bias_init))
            return fail(GL_ERR_ARGUMENT, "layers[%d]: slope, init parameters and bias must be finite", l);
        if (!(L->l1_scale >= 0 && L->l1_scale <= 1e6f) || !(L->l2_scale >= 0 && L->l2_scale <= 1e6f))
            return fail(GL_ERR_ARGUMENT, "layers[%d]: l1Scale and l2Scale must be in 0..1e6", l);
        if (L->init.kind == GL_INIT_UNIFORM && !(L->init.p0 <= L->init.p1))
            return fail(GL_ERR_ARGUMENT, "layers[%d].init uniform needs a <= b (got %g, %g)", l, L->init.p0, L->init.p1);
        if (L->init.kind == GL_INIT_NORMAL && !(L->init.p0 >= 0))
            return fail(GL_ERR_ARGUMENT, "layers[%d].init normal needs std >= 0 (got %g)", l, L->init.p0);
        if (!(L->dropout >= 0 && L->dropout < 1))
            return fail(GL_ERR_ARGUMENT, "layers[%d].dropout %g is out of range; allowed 0 <= p < 1", l, L->dropout);
        if (last && L->dropout > 0)
            return fail(GL_ERR_ARGUMENT, "layers[%d].dropout: the output layer cannot drop units", l);
        if (last && L->bn_after)
            return fail(GL_ERR_ARGUMENT, "layers[%d].batchNorm: the output layer cannot normalise after its activation", l);
        if (L->bn && (!(L->bn_momentum >= 0 && L->bn_momentum <= 1) || !(L->bn_eps > 0 && L->bn_eps <= 1)))
            return fail(GL_ERR_ARGUMENT, "layers[%d].batchNorm needs momentum in 0..1 and epsilon in (0, 1] (got %g, %g)",
                        l, L->bn_momentum, L->bn_eps);
    }
    /* shapes on a copy: gl_net_create works them out again from the caller's fields */
    gl_layer shaped[GL_LIMIT_LAYERS];
    memcpy(shaped, layers, sizeof(gl_layer) * (size_t)n_layers);
    int bad = gl_net_shapes(shaped, n_layers, shape ? shape[0] : 1, shape ? shape[1] : 1, shape ? shape[2] : inputs);
    if (bad >= 0)
        return fail(GL_ERR_ARGUMENT, "layers[%d] ('%s') gets an input of shape [%d, %d, %d] and would give an empty output",
                    bad, type_names[shaped[bad].type], shaped[bad].geom.h, shaped[bad].geom.w, shaped[bad].geom.c);
    int64_t per_row = 0;
    for (int l = 0; l < n_layers; ++l) {
        const gl_layer *L = &shaped[l];
        int64_t ch = L->geom.f;
        if (L->type == GL_LAYER_DENSE) params += (int64_t)L->in * L->out + gl_layer_biases(L);
        if (L->type == GL_LAYER_CONV) params += (int64_t)L->kernel * L->kernel * L->geom.c * ch + gl_layer_biases(L);
        if (L->bn) params += 2 * ch;
        per_row += L->out;
        if (L->out > GL_LIMIT_INPUTS)
            return fail(GL_ERR_ARGUMENT, "layers[%d] gives %d values per example; the limit is %d per layer", l, L->out, GL_LIMIT_INPUTS);
    }
    if (params > GL_LIMIT_PARAMS)
        return fail(GL_ERR_ARGUMENT, "the network has %lld parameters; the limit is %lld", (long long)params,
                    (long long)GL_LIMIT_PARAMS);
    int last = shaped[n_layers - 1].act, K = shaped[n_layers - 1].out;
    if (loss == GL_LOSS_CROSS_ENTROPY && (last != GL_ACT_SOFTMAX || K < 2))
        return fail(GL_ERR_ARGUMENT, "loss 'cross-entropy' needs a last layer of 2 or more 'softmax' units (got %d '%s')",
                    K, act_names[last]);
    if (loss == GL_LOSS_BINARY_CROSS_ENTROPY && last != GL_ACT_SIGMOID)
        return fail(GL_ERR_ARGUMENT, "loss 'binary-cross-entropy' needs a 'sigmoid' last layer (got '%s')", act_names[last]);
    if (loss == GL_LOSS_MSE && last == GL_ACT_SOFTMAX)
        return fail(GL_ERR_ARGUMENT, "loss 'mse' does not take a 'softmax' last layer; use 'cross-entropy'");
    int input_shape[3] = {shape ? shape[0] : 1, shape ? shape[1] : 1, shape ? shape[2] : inputs};
    gl_net *n = gl_net_create(inputs, input_shape, n_layers, layers, loss, dropout_mode, seed);
    if (!n) return fail(GL_ERR_MEMORY, "not enough memory for a network of %lld parameters", (long long)params);
    int h = handle_new(nets, n);
    if (h < 0) { gl_net_free(n); return fail(GL_ERR_MEMORY, "more than %d live networks", GL_LIMIT_OBJECTS); }
    return h;
}

EXPORT int gl_network_dispose(int h) {
    GET_NET(n, h);
    gl_net_free(n);
    handle_drop(nets, h);
    return GL_OK;
}

static int check_range(const char *name, float v, float lo, float hi) {
    if (!(v >= lo && v <= hi)) return fail(GL_ERR_ARGUMENT, "%s %g is out of range; allowed %g..%g", name, v, lo, hi);
    return GL_OK;
}

/* reads and checks an optimiser row */
static int read_optimizer(const float *r, gl_optimizer *o, gl_schedule *s) {
    int st;
    memset(o, 0, sizeof *o); memset(s, 0, sizeof *s);
    if ((st = check_range("optimizer kind", r[0], 0, GL_OPT_COUNT - 1))) return st;
    o->kind = (int)r[0];
    const char *checks[] = {"learningRate", "momentum", "alpha", "epsilon", "beta1", "beta2", "weightDecay",
                            "clipNorm", "l1", "l2"};
    const float lo[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    const float hi[] = {1e3f, 0.9999f, 0.9999f, 1, 0.9999f, 0.999999f, 1e3f, 1e9f, 1e3f, 1e3f};
    for (int i = 0; i < 10; ++i)
        if ((st = check_range(checks[i], r[1 + i], lo[i], hi[i]))) return st;
    o->learning_rate = r[1]; o->momentum = r[2]; o->alpha = r[3]; o->epsilon = r[4];
    o->beta1 = r[5]; o->beta2 = r[6]; o->weight_decay = r[7]; o->clip_norm = r[8];
    o->l1 = r[9]; o->l2 = r[10]; o->centered = r[11] != 0;
    if ((st = check_range("schedule kind", r[12], 0, GL_SCHED_COUNT - 1))) return st;
    s->kind = (int)r[12];
    s->step_size = r[13]; s->gamma = r[14]; s->decay = r[15]; s->steps = r[16]; s->min_lr = r[17];
    s->period = r[18]; s->period_mult = r[19]; s->max_lr = r[20]; s->warmup = r[22];
    if ((st = check_range("schedule.warmup", s->warmup, 0, 1e9f))) return st;
    switch (s->kind) {
    case GL_SCHED_STEP:
        if ((st = check_range("schedule.stepSize", s->step_size, 1, 1e9f))) return st;
        if ((st = check_range("schedule.gamma", s->gamma, 0, 1))) return st;
        break;
    case GL_SCHED_EXPONENTIAL:
        if ((st = check_range("schedule.gamma", s->gamma, 0, 1))) return st;
        break;
    case GL_SCHED_INVERSE_TIME:
        if ((st = check_range("schedule.decay", s->decay, 0, 1e6f))) return st;
        break;
    case GL_SCHED_COSINE:
        if ((st = check_range("schedule.steps", s->steps, 1, 1e9f))) return st;
        if ((st = check_range("schedule.minLearningRate", s->min_lr, 0, o->learning_rate))) return st;
        break;
    case GL_SCHED_SGDR:
        if ((st = check_range("schedule.period", s->period, 1, 1e9f))) return st;
        /* a whole number, as in PyTorch's T_mult: finding the period then takes at most 64 rounds */
        if ((st = check_range("schedule.periodMultiplier", s->period_mult, 1, 100))) return st;
        if (s->period_mult != floorf(s->period_mult))
            return fail(GL_ERR_ARGUMENT, "schedule.periodMultiplier %g is not allowed; it must be a whole number 1..100",
                        s->period_mult);
        if ((st = check_range("schedule.minLearningRate", s->min_lr, 0, o->learning_rate))) return st;
        break;
    case GL_SCHED_CYCLIC:
        if ((st = check_range("schedule.stepSize", s->step_size, 1, 1e9f))) return st;
        if ((st = check_range("schedule.maxLearningRate", s->max_lr, o->learning_rate, 1e3f))) return st;
        if ((st = check_range("schedule.mode", r[21], 0, 2))) return st;
        s->mode = (int)r[21];
        if ((st = check_range("schedule.gamma", s->gamma, 0, 1))) return st;
        break;
    }
    return GL_OK;
}

EXPORT int gl_network_set_optimizer(int h, const float *row) {
    GET_NET(n, h);
    NEED(row, "the optimizer row");
    gl_optimizer o; gl_schedule s;
    int st = read_optimizer(row, &o, &s);
    if (st) return st;
    if (!gl_net_set_optimizer(n, &o, &s)) return fail(GL_ERR_MEMORY, "not enough memory for the optimiser state");
    return GL_OK;
}

EXPORT int gl_schedule_curve(const float *row, int steps, float *rate) {
    NEED(row, "the optimizer row");
    gl_optimizer o; gl_schedule s;
    int st = read_optimizer(row, &o, &s);
    if (st) return st;
    if (steps < 0 || steps > GL_LIMIT_STEPS)
        return fail(GL_ERR_ARGUMENT, "steps %d is out of range; allowed 0..%d", steps, GL_LIMIT_STEPS);
    if (steps) NEED(rate, "rate");
    for (int t = 0; t < steps; ++t) rate[t] = gl_schedule_rate(&s, o.learning_rate, t);
    return GL_OK;
}

static int check_match(const gl_net *n, const gl_dataset *d) {
    const gl_layer *O = &n->layer[n->n_layers - 1];
    if (d->inputs != n->inputs)
        return fail(GL_ERR_ARGUMENT, "the data set has %d inputs but the network takes %d", d->inputs, n->inputs);
    if (n->loss == GL_LOSS_CROSS_ENTROPY && d->classes != O->out)
        return fail(GL_ERR_ARGUMENT, "loss 'cross-entropy' needs class ids for %d classes; the data set has %s%d",
                    O->out, d->classes ? "" : "regression targets, outputs ", d->classes ? d->classes : d->outputs);
    if (n->loss == GL_LOSS_BINARY_CROSS_ENTROPY &&
        !(d->classes == 2 && O->out == 1) && !(d->classes == 0 && d->outputs == O->out))
        return fail(GL_ERR_ARGUMENT, "loss 'binary-cross-entropy' needs 2 classes and 1 output, or %d targets per row", O->out);
    if (n->loss == GL_LOSS_MSE && !(d->classes == 0 && d->outputs == O->out) &&
        !(d->classes > 0 && (d->classes == O->out || (d->classes == 2 && O->out == 1))))
        return fail(GL_ERR_ARGUMENT, "loss 'mse' needs %d targets per row (or %d classes); the data set has %d %s",
                    O->out, O->out, d->classes ? d->classes : d->outputs, d->classes ? "classes" : "targets");
    return GL_OK;
}

EXPORT int gl_network_train(int h, int data, int steps, int batch, float *out) {
    GET_NET(n, h);
    GET_SET(d, data);
    NEED(out, "out");
    int st = check_match(n, d);
    if (st) return st;
    if (steps < 0 || steps > GL_LIMIT_STEPS)
        return fail(GL_ERR_ARGUMENT, "steps %d is out of range; allowed 0..%d", steps, GL_LIMIT_STEPS);
    if (batch < 0 || batch > GL_LIMIT_BATCH)
        return fail(GL_ERR_ARGUMENT, "batchSize %d is out of range; allowed 0 (full batch)..%d", batch, GL_LIMIT_BATCH);
    int rows = batch > 0 && batch < d->n_train ? batch : d->n_train;
    if (rows < 2 && gl_net_has_bn(n))
        return fail(GL_ERR_ARGUMENT, "batchSize %d gives batches of %d row; batch norm needs at least 2 rows to train",
                    batch, rows);
    if ((st = check_pass(n, rows, batch > 0 && batch < d->n_train ? "a batch" : "a full batch"))) return st;
    if (!gl_net_prepare(n, d, data, batch))
        return fail(GL_ERR_MEMORY, "not enough memory for a batch of %d rows; use a smaller batchSize",
                    batch > 0 && batch < d->n_train ? batch : d->n_train);
    gl_train_result r;
    gl_net_train(n, d, steps, batch, &r);
    float v[7] = {r.steps, r.loss, r.accuracy, r.reg_loss, r.learning_rate, r.diverged, r.step};
    memcpy(out, v, sizeof v);
    return GL_OK;
}

EXPORT int gl_network_evaluate(int h, int data, int split, float *out) {
    GET_NET(n, h);
    GET_SET(d, data);
    NEED(out, "out");
    int st = check_match(n, d);
    if (st) return st;
    if (split != 0 && split != 1) return fail(GL_ERR_ARGUMENT, "split %d is not 0 (train) or 1 (test)", split);
    if (split == 1 && d->n_test == 0)
        return fail(GL_ERR_ARGUMENT, "split 1 (test) has no rows; make the data set with testFraction > 0");
    if (!gl_net_reserve(n, n->cap > 0 ? n->cap : 256))
        return fail(GL_ERR_MEMORY, "not enough memory to evaluate");
    gl_net_evaluate(n, d, split, &out[0], &out[1]);
    return GL_OK;
}

static int check_rows(const gl_net *n, const float *x, int rows) {
    if (!x) return fail(GL_ERR_ARGUMENT, "x must be given");
    if (rows < 1 || rows > GL_LIMIT_SAMPLES)
        return fail(GL_ERR_ARGUMENT, "rows %d is out of range; allowed 1..%d", rows, GL_LIMIT_SAMPLES);
    int K = n->layer[n->n_layers - 1].out, wider = n->inputs > K ? n->inputs : K;
    if ((int64_t)rows * wider > GL_LIMIT_DATA_FLOATS)
        return fail(GL_ERR_ARGUMENT, "rows x %d = %lld is over the limit of %lld values", wider,
                    (long long)rows * wider, (long long)GL_LIMIT_DATA_FLOATS);
    for (int64_t i = 0; i < (int64_t)rows * n->inputs; ++i)
        if (!isfinite(x[i])) return fail(GL_ERR_ARGUMENT, "x[%lld] is %g; inputs must be finite", (long long)i, x[i]);
    return GL_OK;
}

EXPORT int gl_network_predict(int h, const float *x, int rows, float *y) {
    GET_NET(n, h);
    int st = check_rows(n, x, rows);
    if (st) return st;
    if (!y) return fail(GL_ERR_ARGUMENT, "y must be given");
    if (!gl_net_reserve(n, n->cap > 0 ? n->cap : 256)) return fail(GL_ERR_MEMORY, "not enough memory to predict");
    gl_net_predict(n, x, rows, y);
    return GL_OK;
}

EXPORT int gl_network_forward(int h, const float *x, int rows, int training) {
    GET_NET(n, h);
    if (rows > GL_LIMIT_BATCH) /* before check_rows reads x */
        return fail(GL_ERR_ARGUMENT, "rows %d is out of range for a forward pass; allowed 1..%d", rows, GL_LIMIT_BATCH);
    int st = check_rows(n, x, rows);
    if (st) return st;
    if (training && rows < 2 && gl_net_has_bn(n))
        return fail(GL_ERR_ARGUMENT, "rows %d: batch norm needs at least 2 rows in training mode", rows);
    if ((st = check_pass(n, rows, "a forward pass"))) return st;
    if (!gl_net_reserve(n, rows)) return fail(GL_ERR_MEMORY, "not enough memory for a pass of %d rows", rows);
    gl_net_forward(n, x, rows, training != 0);
    return GL_OK;
}

/* pointer and length of a tensor of a layer; NULL when the layer has none */
static float *tensor(gl_net *n, int layer, int what, long *len) {
    const gl_layer *L = &n->layer[layer];
    long wn = L->b_off - L->w_off, an = (long)n->rows * L->out, bn = gl_layer_biases(L);
    *len = 0;
    switch (what) {
    case GL_T_WEIGHTS: *len = wn; return n->params + L->w_off;
    case GL_T_BIASES: *len = bn; return n->params + L->b_off;
    case GL_T_PREACT: *len = an; return n->rows ? gl_net_buf(n, L->p_off) : 0;
    case GL_T_ACT: *len = an; return n->rows ? gl_net_buf(n, L->a_off) : 0;
    case GL_T_WGRAD: *len = wn; return n->grads + L->w_off;
    case GL_T_BGRAD: *len = bn; return n->grads + L->b_off;
    }
    if (what <= GL_T_RUNNING_VAR) {
        if (!L->bn) return 0;
        *len = gl_layer_channels(L);
        return what == GL_T_GAMMA ? n->params + L->g_off : what == GL_T_BETA ? n->params + L->be_off
             : what == GL_T_RUNNING_MEAN ? n->bn + L->rm_off : n->bn + L->rv_off;
    }
    /* the dropout mask of the last training pass */
    if (L->dropout <= 0 || !n->rows || !n->last_training) return 0;
    *len = an;
    return gl_net_buf(n, L->m_off);
}

static int check_layer_tensor(const gl_net *n, int layer, int what) {
    if (layer < 0 || layer >= n->n_layers)
        return fail(GL_ERR_ARGUMENT, "layer %d is out of range; allowed 0..%d", layer, n->n_layers - 1);
    if (what < 0 || what >= GL_T_COUNT)
        return fail(GL_ERR_ARGUMENT, "tensor %d is out of range; allowed 0..%d", what, GL_T_COUNT - 1);
    return GL_OK;
}

EXPORT int gl_network_tensor(int h, int layer, int what, int32_t *out) {
    GET_NET(n, h);
    NEED(out, "out");
    int st = check_layer_tensor(n, layer, what);
    if (st) return st;
    long len;
    float *p = tensor(n, layer, what, &len);
    out[0] = (int32_t)(intptr_t)p; out[1] = p ? (int32_t)len : 0;
    return GL_OK;
}

EXPORT int gl_network_stats(int h, int layer, float *out) {
    GET_NET(n, h);
    NEED(out, "out");
    int st = check_layer_tensor(n, layer, 0);
    if (st) return st;
    gl_layer_stats s;
    gl_net_stats(n, layer, &s);
    const gl_moments *m[5] = {&s.weights, &s.biases, &s.preact, &s.act, &s.grads};
    for (int i = 0; i < 5; ++i) {
        out[4 * i] = m[i]->mean; out[4 * i + 1] = m[i]->std; out[4 * i + 2] = m[i]->min; out[4 * i + 3] = m[i]->max;
    }
    out[20] = s.saturated; out[21] = s.dead; out[22] = s.grad_norm; out[23] = s.update_ratio;
    return GL_OK;
}

EXPORT int gl_network_histogram(int h, int layer, int what, int bins, float lo, float hi, int automatic,
                                uint32_t *counts, float *edges) {
    GET_NET(n, h);
    int st = check_layer_tensor(n, layer, what);
    if (st) return st;
    if (bins < 1 || bins > 4096) return fail(GL_ERR_ARGUMENT, "bins %d is out of range; allowed 1..4096", bins);
    if (!counts || !edges) return fail(GL_ERR_ARGUMENT, "counts and edges must be given");
    long len;
    const float *v = tensor(n, layer, what, &len);
    if (!v) len = 0;
    if (automatic) {
        lo = len ? v[0] : 0; hi = lo;
        for (long i = 1; i < len; ++i) { lo = v[i] < lo ? v[i] : lo; hi = v[i] > hi ? v[i] : hi; }
        if (hi - lo < 1e-12f) { lo -= 0.5f; hi += 0.5f; }
    } else if (!(isfinite(lo) && isfinite(hi) && lo < hi)) {
        return fail(GL_ERR_ARGUMENT, "histogram range [%g, %g] is not allowed; it needs finite min < max", lo, hi);
    }
    for (int b = 0; b < bins; ++b) counts[b] = 0;
    for (int b = 0; b <= bins; ++b) edges[b] = lo + (hi - lo) * (float)b / (float)bins;
    float scale = (float)bins / (hi - lo);
    for (long i = 0; i < len; ++i) {
        float f = (v[i] - lo) * scale;
        int b = !(f >= 0) ? 0 : f >= bins ? bins - 1 : (int)f; /* NaN lands in bin 0, never reaches (int) */
        counts[b]++;
    }
    return GL_OK;
}

EXPORT int gl_network_shape(int h, int layer, int32_t *out) {
    GET_NET(n, h);
    NEED(out, "out");
    if (layer < 0 || layer >= n->n_layers)
        return fail(GL_ERR_ARGUMENT, "layer %d is out of range; allowed 0..%d", layer, n->n_layers - 1);
    const gl_conv_geom *g = &n->layer[layer].geom;
    out[0] = g->oh; out[1] = g->ow; out[2] = g->f;
    return GL_OK;
}

EXPORT int gl_network_batch(int h, int32_t *out) {
    GET_NET(n, h);
    NEED(out, "out");
    int rows = n->perm && n->batch_rows > 0 && n->cursor >= n->batch_rows ? n->batch_rows : 0;
    out[0] = rows ? (int32_t)(intptr_t)(n->perm + n->cursor - rows) : 0; out[1] = rows;
    return GL_OK;
}

EXPORT int gl_network_info(int h, int32_t *ints, float *rate) {
    GET_NET(n, h);
    NEED(ints, "ints");
    NEED(rate, "rate");
    ints[0] = n->n_layers; ints[1] = (int32_t)n->n_params; ints[2] = (int32_t)n->step;
    ints[3] = n->rows; ints[4] = n->state_arrays; ints[5] = (int32_t)n->opt_t;
    rate[0] = n->last_lr;
    return GL_OK;
}

EXPORT int gl_network_optimizer_state(int h, int32_t *out) {
    GET_NET(n, h);
    NEED(out, "out");
    out[0] = (int32_t)(intptr_t)n->state; out[1] = (int32_t)n->n_params; out[2] = n->state_arrays;
    out[3] = (int32_t)n->opt_t; out[4] = n->opt.kind; out[5] = (int32_t)gl_floats_stride(n->n_params);
    return GL_OK;
}

/* ---- 2-D surfaces ---- */
static int check_surface(int kind) {
    if (kind < 0 || kind >= GL_SURF_COUNT)
        return fail(GL_ERR_ARGUMENT, "surface %d is out of range; allowed 0..%d", kind, GL_SURF_COUNT - 1);
    return GL_OK;
}

EXPORT int gl_surface_grid(int kind, float x0, float x1, float y0, float y1, int res, float *out) {
    int st = check_surface(kind);
    if (st) return st;
    if (!(isfinite(x0) && isfinite(x1) && x0 < x1 && fabsf(x0) <= 1e6f && fabsf(x1) <= 1e6f))
        return fail(GL_ERR_ARGUMENT, "x range [%g, %g] is not allowed; it needs finite min < max within +-1e6", x0, x1);
    if (!(isfinite(y0) && isfinite(y1) && y0 < y1 && fabsf(y0) <= 1e6f && fabsf(y1) <= 1e6f))
        return fail(GL_ERR_ARGUMENT, "y range [%g, %g] is not allowed; it needs finite min < max within +-1e6", y0, y1);
    if (res < 2 || res > 2048) return fail(GL_ERR_ARGUMENT, "resolution %d is out of range; allowed 2..2048", res);
    if (!out) return fail(GL_ERR_ARGUMENT, "out must be given");
    for (int i = 0; i < res; ++i) {
        float y = y0 + (y1 - y0) * (float)i / (float)(res - 1);
        for (int j = 0; j < res; ++j)
            out[(long)i * res + j] = gl_surface(kind, x0 + (x1 - x0) * (float)j / (float)(res - 1), y, 0);
    }
    return GL_OK;
}

EXPORT int gl_optimize(int kind, float x, float y, const float *row, int steps, float noise, uint32_t seed,
                       float *path, float *loss) {
    int st = check_surface(kind);
    if (st) return st;
    NEED(row, "the optimizer row");
    gl_optimizer o; gl_schedule s;
    if ((st = read_optimizer(row, &o, &s))) return st;
    if (!(isfinite(x) && isfinite(y) && fabsf(x) <= 1e6f && fabsf(y) <= 1e6f))
        return fail(GL_ERR_ARGUMENT, "start (%g, %g) is not allowed; coordinates must be finite, within +-1e6", x, y);
    if (steps < 0 || steps > 1000000) return fail(GL_ERR_ARGUMENT, "steps %d is out of range; allowed 0..1000000", steps);
    if (!(noise >= 0 && noise <= 1e6f)) return fail(GL_ERR_ARGUMENT, "noise %g is out of range; allowed 0..1e6", noise);
    if (!path || !loss) return fail(GL_ERR_ARGUMENT, "path and loss must be given");
    gl_rng r;
    gl_rng_seed(&r, seed, GL_STREAM_NOISE);
    float w[2] = {x, y}, g[2], state[6] = {0};
    path[0] = x; path[1] = y;
    loss[0] = gl_surface(kind, x, y, 0);
    for (int t = 0; t < steps; ++t) {
        gl_surface(kind, w[0], w[1], g);
        if (noise > 0) { g[0] += noise * gl_rng_normal(&r); g[1] += noise * gl_rng_normal(&r); }
        float norm = sqrtf(g[0] * g[0] + g[1] * g[1]), gscale = 1.0f;
        if (o.clip_norm > 0 && norm > o.clip_norm) gscale = o.clip_norm / (norm + 1e-6f);
        gl_optimizer_step(&o, gl_schedule_rate(&s, o.learning_rate, t), t + 1, w, g, gscale,
                          state, state + 2, state + 4, 2);
        float f = gl_surface(kind, w[0], w[1], 0);
        if (!isfinite(w[0]) || !isfinite(w[1]) || !isfinite(f)) return t;
        path[2 * (t + 1)] = w[0]; path[2 * (t + 1) + 1] = w[1];
        loss[t + 1] = f;
    }
    return steps;
}

EXPORT int gl_random_normal(float *out, int n, uint32_t seed) {
    if (!out) return fail(GL_ERR_ARGUMENT, "out must be given");
    if (n < 0 || n > GL_LIMIT_DATA_FLOATS) return fail(GL_ERR_ARGUMENT, "n %d is out of range; allowed 0..%ld", n, GL_LIMIT_DATA_FLOATS);
    gl_rng r;
    gl_rng_seed(&r, seed, GL_STREAM_DATA);
    for (int i = 0; i < n; ++i) out[i] = gl_rng_normal(&r);
    return GL_OK;
}
