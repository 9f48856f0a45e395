/* api.c: the exported functions. Every argument is checked here, at the boundary; the
 * functions behind it assume valid input. */
#include "gradlab.h"
#include "activation.h"
#include "aligned.h"
#include "dataset.h"
#include "loss.h"
#include "network.h"
#include "runstate.h"
#include "hessian.h"
#include "landscape.h"
#include "lrfind.h"
#include "snapshot.h"
#include "trajectory.h"
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

static char error_text[GL_ERROR_TEXT];

static int fail(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error_text, sizeof error_text, fmt, ap);
    va_end(ap);
    return status;
}

/* a number as JavaScript prints it, so that messages read the same whichever side wrote them: whole
 * numbers in full, others as the shortest decimal that reads back as the same float32 */
static const char *show(char buf[32], double v) {
    if (isnan(v)) return "NaN";
    if (isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    if (v == floor(v) && fabs(v) < 1e15) { snprintf(buf, 32, "%.0f", v); return buf; }
    for (int digits = 1; digits <= 9; ++digits) {
        snprintf(buf, 32, "%.*g", digits, v);
        if ((float)strtod(buf, 0) == (float)v) break;
    }
    return buf;
}

/* The range checks every setting goes through, each with one message form; `what` is the spec key
 * the user wrote. Values arrive as float32, so the bounds are compared as float32 too. */
static int check_number(const char *what, float v, double lo, double hi) {
    if (v >= (float)lo && v <= (float)hi) return GL_OK;
    char a[32], b[32], c[32];
    return fail(GL_ERR_ARGUMENT, "%s %s is not allowed; it must be a number from %s to %s", what, show(a, v),
                show(b, lo), show(c, hi));
}
static int check_integer(const char *what, int64_t v, int64_t lo, int64_t hi) {
    if (v >= lo && v <= hi) return GL_OK;
    return fail(GL_ERR_ARGUMENT, "%s %lld is not allowed; it must be an integer from %lld to %lld", what,
                (long long)v, (long long)lo, (long long)hi);
}
/* a whole number that arrives as a float32 */
static int check_whole(const char *what, float v, double lo, double hi) {
    if (v >= (float)lo && v <= (float)hi && v == floorf(v)) return GL_OK;
    char a[32];
    return fail(GL_ERR_ARGUMENT, "%s %s is not allowed; it must be an integer from %.0f to %.0f", what, show(a, v), lo, hi);
}
/* an enum value: an integer in 0..count-1 (JavaScript sends only known names' indexes) */
static int check_enum(const char *what, int v, int count) { return check_integer(what, v, 0, count - 1); }

/* the top of a range whose bottom another setting moves (uniform's b >= a, a cyclic rate >= the base) */
static double highest(double lo, double hi) { (void)lo; return hi; }

/* "layers[l].key", for messages (one at a time) */
static const char *layer_key(int l, const char *key) {
    static char buf[80];
    snprintf(buf, sizeof buf, "layers[%d].%s", l, key);
    return buf;
}

#define CHECK(call) do { int st_ = (call); if (st_) return st_; } while (0)

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

#define NEED(p, name) if (!(p)) return fail(GL_ERR_ARGUMENT, "%s must be given (got a null pointer)", name)

_Static_assert(GL_LI_USED <= GL_LAYER_INTS && GL_LF_USED <= GL_LAYER_FLOATS, "the layer row holds its slots");
_Static_assert(GL_S_UPDATE_RATIO < GL_STATS_SLOTS, "the statistics row holds its slots");

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
/* the test split of samples rows must leave at least one training row */
static int check_split(float test_fraction, int samples) {
    CHECK(check_number("testFraction", test_fraction, GL_RANGE_TEST_FRACTION));
    if (samples - (int)lroundf(samples * test_fraction) < 1)
        return fail(GL_ERR_ARGUMENT, "testFraction %g leaves no training rows of %d samples", test_fraction, samples);
    return GL_OK;
}

/* a new handle for a data set just made, or (freeing it) the reason there is none */
static int dataset_handle(gl_dataset *d, int samples) {
    if (!d) return fail(GL_ERR_MEMORY, "not enough memory for a data set of %d samples", samples);
    int h = handle_new(sets, d);
    if (h < 0) { gl_dataset_free(d); return fail(GL_ERR_MEMORY, "more than %d live data sets", GL_LIMIT_OBJECTS); }
    return h;
}

EXPORT int gl_dataset_make(int kind, int samples, int classes, int size, float noise, float test_fraction,
                           uint32_t seed) {
    CHECK(check_enum("data set", kind, GL_DATA_COUNT));
    CHECK(check_integer("samples", samples, GL_RANGE_SAMPLES));
    if (gl_dataset_kind_classes(kind) < 0) CHECK(check_integer("classes", classes, GL_RANGE_CLASSES));
    if (kind == GL_DATA_DIGITS || kind == GL_DATA_SHAPES) CHECK(check_integer("size", size, GL_RANGE_IMAGE_SIZE));
    if ((long)samples * gl_dataset_kind_inputs(kind, size) > GL_LIMIT_DATA_FLOATS)
        return fail(GL_ERR_ARGUMENT, "samples x inputs = %ld is over the limit of %ld values",
                    (long)samples * gl_dataset_kind_inputs(kind, size), GL_LIMIT_DATA_FLOATS);
    CHECK(check_number("noise", noise, GL_RANGE_NOISE));
    CHECK(check_split(test_fraction, samples));
    return dataset_handle(gl_dataset_generate(kind, samples, classes, size, noise, test_fraction, seed), samples);
}

EXPORT int gl_dataset_load(const float *x, const void *y, int samples, int inputs, int outputs, int classes,
                           float test_fraction, uint32_t seed) {
    if (!x || !y) return fail(GL_ERR_ARGUMENT, "x and y must be given");
    CHECK(check_integer("samples", samples, 1, GL_LIMIT_SAMPLES));
    CHECK(check_integer("inputs", inputs, 1, GL_LIMIT_UNITS));
    if ((int64_t)samples * inputs > GL_LIMIT_DATA_FLOATS)
        return fail(GL_ERR_ARGUMENT, "samples x inputs = %lld is over the limit of %lld values",
                    (long long)samples * inputs, (long long)GL_LIMIT_DATA_FLOATS);
    if (classes != 0) CHECK(check_integer("classes", classes, 2, GL_LIMIT_UNITS));
    if (!classes) CHECK(check_integer("outputs", outputs, 1, GL_LIMIT_UNITS));
    if (!classes && (int64_t)samples * outputs > GL_LIMIT_DATA_FLOATS)
        return fail(GL_ERR_ARGUMENT, "samples x outputs = %lld is over the limit of %lld values",
                    (long long)samples * outputs, (long long)GL_LIMIT_DATA_FLOATS);
    CHECK(check_split(test_fraction, samples));
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
    return dataset_handle(gl_dataset_from(x, classes ? y : 0, classes ? 0 : y, samples, inputs, outputs, classes,
                                          test_fraction, seed), samples);
}

EXPORT int gl_dataset_info(int h, int32_t *info) {
    GET_SET(d, h);
    NEED(info, "info");
    info[GL_DI_INPUTS] = d->inputs; info[GL_DI_OUTPUTS] = d->outputs; info[GL_DI_CLASSES] = d->classes;
    info[GL_DI_TRAIN_ROWS] = d->n_train; info[GL_DI_TEST_ROWS] = d->n_test;
    info[GL_DI_X] = (int32_t)(intptr_t)d->x;
    info[GL_DI_Y] = (int32_t)(intptr_t)(d->yi ? (void *)d->yi : (void *)d->yf);
    info[GL_DI_HEIGHT] = d->shape[0]; info[GL_DI_WIDTH] = d->shape[1]; info[GL_DI_CHANNELS] = d->shape[2];
    return GL_OK;
}

EXPORT int gl_dataset_dispose(int h) {
    GET_SET(d, h);
    gl_dataset_free(d);
    handle_drop(sets, h);
    return GL_OK;
}

/* ---- networks ---- */
static const char *const act_names[GL_ACT_COUNT] = {GL_ACTIVATIONS(GL_NAME_ITEM)};
static const char *const type_names[GL_LAYER_TYPES] = {GL_LAYER_TYPE_NAMES(GL_NAME_ITEM)};

/* reading: row l of the layer table as the fields of a layer, unchecked */
static void read_layer(gl_layer *L, const int32_t *li, const float *lf) {
    memset(L, 0, sizeof *L);
    L->type = li[GL_LI_TYPE]; L->out = li[GL_LI_UNITS]; L->act = li[GL_LI_ACTIVATION];
    L->init.kind = li[GL_LI_INIT]; L->bn = li[GL_LI_BATCH_NORM] != 0; L->bn_after = L->bn && li[GL_LI_BATCH_NORM_AFTER] != 0;
    L->kernel = li[GL_LI_KERNEL]; L->stride = li[GL_LI_STRIDE]; L->same = li[GL_LI_SAME_PADDING] != 0;
    L->pool_mode = li[GL_LI_POOL_MODE]; L->no_bias = li[GL_LI_NO_BIAS] != 0;
    L->slope = lf[GL_LF_SLOPE]; L->init.p0 = lf[GL_LF_INIT_P0]; L->init.p1 = lf[GL_LF_INIT_P1];
    L->l1_scale = lf[GL_LF_L1_SCALE]; L->l2_scale = lf[GL_LF_L2_SCALE]; L->dropout = lf[GL_LF_DROPOUT];
    L->bias_init = lf[GL_LF_BIAS]; L->bn_momentum = lf[GL_LF_BATCH_NORM_MOMENTUM]; L->bn_eps = lf[GL_LF_BATCH_NORM_EPSILON];
    /* pooling and flattening take their width from the shape; they have nothing to normalise */
    if (L->type == GL_LAYER_POOL || L->type == GL_LAYER_FLATTEN) L->out = 1;
}

/* an init's parameters, by the names its spec gives them */
static int check_init(int l, const gl_init *init) {
    switch (init->kind) {
    case GL_INIT_CONSTANT: return check_number(layer_key(l, "init.value"), init->p0, GL_RANGE_INIT_PARAM);
    case GL_INIT_NORMAL: return check_number(layer_key(l, "init.std"), init->p0, GL_RANGE_INIT_SCALE);
    case GL_INIT_ORTHOGONAL: return check_number(layer_key(l, "init.gain"), init->p0, GL_RANGE_INIT_SCALE);
    case GL_INIT_UNIFORM:
        CHECK(check_number(layer_key(l, "init.a"), init->p0, GL_RANGE_INIT_PARAM));
        return check_number(layer_key(l, "init.b"), init->p1, init->p0, highest(GL_RANGE_INIT_PARAM));
    }
    return GL_OK;
}

/* checking: one layer as read (li: its row, for the fields a pool or flatten layer must leave empty) */
static int check_layer(const gl_layer *L, int l, int last, const int32_t *li) {
    CHECK(check_enum(layer_key(l, "type"), L->type, GL_LAYER_TYPES));
    int plain = L->type == GL_LAYER_POOL || L->type == GL_LAYER_FLATTEN;
    if (L->type == GL_LAYER_CONV) {
        CHECK(check_integer(layer_key(l, "filters"), L->out, GL_RANGE_FILTERS));
        CHECK(check_integer(layer_key(l, "kernel"), L->kernel, GL_RANGE_KERNEL));
        if (L->kernel % 2 == 0)
            return fail(GL_ERR_ARGUMENT, "%s %d is not allowed; it must be odd (1, 3, 5 or 7)", layer_key(l, "kernel"), L->kernel);
        CHECK(check_integer(layer_key(l, "stride"), L->stride, GL_RANGE_STRIDE));
    }
    if (L->type == GL_LAYER_DENSE) CHECK(check_integer(layer_key(l, "units"), L->out, GL_RANGE_UNITS));
    if (plain) {
        CHECK(check_enum(layer_key(l, "mode"), L->pool_mode, GL_POOL_COUNT));
        if (li[GL_LI_BATCH_NORM] || li[GL_LI_ACTIVATION] != GL_ACT_LINEAR)
            return fail(GL_ERR_ARGUMENT, "layers[%d]: a %s layer has no activation or batch norm", l, type_names[L->type]);
    }
    if (last && L->type != GL_LAYER_DENSE)
        return fail(GL_ERR_ARGUMENT, "layers[%d]: the output layer must be dense (got '%s')", l, type_names[L->type]);
    CHECK(check_enum(layer_key(l, "activation"), L->act, GL_ACT_COUNT));
    if (L->act == GL_ACT_SOFTMAX && !last)
        return fail(GL_ERR_ARGUMENT, "layers[%d].activation 'softmax' is allowed only on the last layer", l);
    CHECK(check_enum(layer_key(l, "init"), L->init.kind, GL_INIT_COUNT));
    if (!plain) {
        CHECK(check_init(l, &L->init));
        CHECK(check_number(layer_key(l, "slope"), L->slope, GL_RANGE_SLOPE));
        CHECK(check_number(layer_key(l, "bias"), L->bias_init, GL_RANGE_BIAS));
    }
    /* every layer's, as the penalty sums over all of them */
    CHECK(check_number(layer_key(l, "l1Scale"), L->l1_scale, GL_RANGE_LAYER_SCALE));
    CHECK(check_number(layer_key(l, "l2Scale"), L->l2_scale, GL_RANGE_LAYER_SCALE));
    CHECK(check_number(layer_key(l, "dropout"), L->dropout, GL_RANGE_DROPOUT));
    if (last && L->dropout > 0)
        return fail(GL_ERR_ARGUMENT, "layers[%d].dropout: the output layer cannot drop units", l);
    if (last && L->bn_after)
        return fail(GL_ERR_ARGUMENT, "layers[%d].batchNorm: the output layer cannot normalise after its activation", l);
    if (L->bn) {
        CHECK(check_number(layer_key(l, "batchNorm.momentum"), L->bn_momentum, GL_RANGE_BN_MOMENTUM));
        CHECK(check_number(layer_key(l, "batchNorm.epsilon"), L->bn_eps, GL_RANGE_BN_EPSILON));
    }
    return GL_OK;
}

/* shaping: the layers' shapes for the input shape (on the caller's copy), what each passes on, the
 * parameter count (the one gl_net_create lays out), and the loss against the output layer */
static int check_shapes(gl_layer *shaped, int n_layers, const int input[3], int loss, int64_t *params) {
    int bad = gl_net_shapes(shaped, n_layers, input[0], input[1], input[2]);
    if (bad >= 0)
        return fail(GL_ERR_ARGUMENT, "layers[%d] ('%s') gets an input of shape [%d, %d, %d] and would give an empty output",
                    bad, type_names[shaped[bad].type], shaped[bad].geom.h, shaped[bad].geom.w, shaped[bad].geom.c);
    for (int l = 0; l < n_layers; ++l)
        if (shaped[l].out > GL_LIMIT_INPUTS)
            return fail(GL_ERR_ARGUMENT, "layers[%d] gives %d values per example; the limit is %d per layer", l,
                        shaped[l].out, GL_LIMIT_INPUTS);
    *params = gl_net_params(shaped, n_layers);
    if (*params > GL_LIMIT_PARAMS)
        return fail(GL_ERR_ARGUMENT, "the network has %lld parameters; the limit is %lld", (long long)*params,
                    (long long)GL_LIMIT_PARAMS);
    int last = shaped[n_layers - 1].act, K = shaped[n_layers - 1].out;
    if (loss == GL_LOSS_CROSS_ENTROPY && (last != GL_ACT_SOFTMAX || K < 2))
        return fail(GL_ERR_ARGUMENT, "loss 'cross-entropy' needs a last layer of 2 or more 'softmax' units (got %d '%s')",
                    K, act_names[last]);
    if (loss == GL_LOSS_BINARY_CROSS_ENTROPY && last != GL_ACT_SIGMOID)
        return fail(GL_ERR_ARGUMENT, "loss 'binary-cross-entropy' needs a 'sigmoid' last layer (got '%s')", act_names[last]);
    if (loss == GL_LOSS_MSE && last == GL_ACT_SOFTMAX)
        return fail(GL_ERR_ARGUMENT, "loss 'mse' does not take a 'softmax' last layer; use 'cross-entropy'");
    return GL_OK;
}

EXPORT int gl_network_make(int inputs, const int32_t *shape, int n_layers, const int32_t *ints, const float *floats,
                           int loss, int dropout_mode, uint32_t seed) {
    if (!ints || !floats) return fail(GL_ERR_ARGUMENT, "the layer table must be given");
    CHECK(check_integer("inputs", inputs, GL_RANGE_INPUTS));
    /* each side is at most the input count, so the product below fits in 64 bits */
    if (shape && (shape[0] < 1 || shape[1] < 1 || shape[2] < 1 || shape[0] > inputs || shape[1] > inputs ||
                  shape[2] > inputs || (int64_t)shape[0] * shape[1] * shape[2] != inputs))
        return fail(GL_ERR_ARGUMENT, "input shape [%d, %d, %d] does not hold %d inputs", shape[0], shape[1], shape[2], inputs);
    CHECK(check_integer("layers", n_layers, GL_RANGE_LAYERS));
    CHECK(check_enum("loss", loss, GL_LOSS_COUNT));
    CHECK(check_enum("dropoutMode", dropout_mode, GL_DROPOUT_COUNT));
    gl_layer layers[GL_LIMIT_LAYERS], shaped[GL_LIMIT_LAYERS];
    for (int l = 0; l < n_layers; ++l) {
        const int32_t *li = ints + l * GL_LAYER_INTS;
        read_layer(&layers[l], li, floats + l * GL_LAYER_FLOATS);
        CHECK(check_layer(&layers[l], l, l == n_layers - 1, li));
    }
    /* shapes on a copy: gl_net_create works them out again from the caller's fields */
    memcpy(shaped, layers, sizeof(gl_layer) * (size_t)n_layers);
    int input_shape[3] = {shape ? shape[0] : 1, shape ? shape[1] : 1, shape ? shape[2] : inputs};
    int64_t params = 0;
    CHECK(check_shapes(shaped, n_layers, input_shape, loss, &params));
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

/* reads and checks an optimiser row */
static int read_optimizer(const float *r, gl_optimizer *o, gl_schedule *s) {
    memset(o, 0, sizeof *o); memset(s, 0, sizeof *s);
    CHECK(check_number("optimizer name", r[GL_O_KIND], 0, GL_OPT_COUNT - 1));
    CHECK(check_number("learningRate", r[GL_O_LEARNING_RATE], GL_RANGE_LEARNING_RATE));
    CHECK(check_number("momentum", r[GL_O_MOMENTUM], GL_RANGE_MOMENTUM));
    CHECK(check_number("alpha", r[GL_O_ALPHA], GL_RANGE_ALPHA));
    CHECK(check_number("epsilon", r[GL_O_EPSILON], GL_RANGE_EPSILON));
    CHECK(check_number("beta1", r[GL_O_BETA1], GL_RANGE_BETA1));
    CHECK(check_number("beta2", r[GL_O_BETA2], GL_RANGE_BETA2));
    CHECK(check_number("weightDecay", r[GL_O_WEIGHT_DECAY], GL_RANGE_WEIGHT_DECAY));
    CHECK(check_number("clipNorm", r[GL_O_CLIP_NORM], GL_RANGE_CLIP_NORM));
    CHECK(check_number("l1", r[GL_O_L1], GL_RANGE_PENALTY));
    CHECK(check_number("l2", r[GL_O_L2], GL_RANGE_PENALTY));
    o->kind = (int)r[GL_O_KIND]; o->learning_rate = r[GL_O_LEARNING_RATE]; o->momentum = r[GL_O_MOMENTUM];
    o->alpha = r[GL_O_ALPHA]; o->epsilon = r[GL_O_EPSILON]; o->beta1 = r[GL_O_BETA1]; o->beta2 = r[GL_O_BETA2];
    o->weight_decay = r[GL_O_WEIGHT_DECAY]; o->clip_norm = r[GL_O_CLIP_NORM];
    o->l1 = r[GL_O_L1]; o->l2 = r[GL_O_L2]; o->centered = r[GL_O_CENTERED] != 0;
    CHECK(check_number("schedule.name", r[GL_O_SCHEDULE], 0, GL_SCHED_COUNT - 1));
    s->kind = (int)r[GL_O_SCHEDULE];
    s->step_size = r[GL_O_STEP_SIZE]; s->gamma = r[GL_O_GAMMA]; s->decay = r[GL_O_DECAY]; s->steps = r[GL_O_STEPS];
    s->min_lr = r[GL_O_MIN_LR]; s->period = r[GL_O_PERIOD]; s->period_mult = r[GL_O_PERIOD_MULT];
    s->max_lr = r[GL_O_MAX_LR]; s->warmup = r[GL_O_WARMUP];
    CHECK(check_number("schedule.warmup", s->warmup, GL_RANGE_WARMUP));
    /* each schedule checks the settings it reads */
    float lr = o->learning_rate;
    switch (s->kind) {
    case GL_SCHED_STEP:
        CHECK(check_number("schedule.stepSize", s->step_size, GL_RANGE_SCHEDULE_STEPS));
        CHECK(check_number("schedule.gamma", s->gamma, GL_RANGE_SCHEDULE_GAMMA));
        break;
    case GL_SCHED_EXPONENTIAL:
        CHECK(check_number("schedule.gamma", s->gamma, GL_RANGE_SCHEDULE_GAMMA));
        break;
    case GL_SCHED_INVERSE_TIME:
        CHECK(check_number("schedule.decay", s->decay, GL_RANGE_SCHEDULE_DECAY));
        break;
    case GL_SCHED_COSINE:
        CHECK(check_number("schedule.steps", s->steps, GL_RANGE_SCHEDULE_STEPS));
        CHECK(check_number("schedule.minLearningRate", s->min_lr, 0, lr));
        break;
    case GL_SCHED_SGDR:
        CHECK(check_number("schedule.period", s->period, GL_RANGE_SCHEDULE_STEPS));
        /* a whole number, as in PyTorch's T_mult: finding the period then takes at most 64 rounds */
        CHECK(check_whole("schedule.periodMultiplier", s->period_mult, GL_RANGE_PERIOD_MULT));
        CHECK(check_number("schedule.minLearningRate", s->min_lr, 0, lr));
        break;
    case GL_SCHED_CYCLIC:
        CHECK(check_number("schedule.stepSize", s->step_size, GL_RANGE_SCHEDULE_STEPS));
        CHECK(check_number("schedule.maxLearningRate", s->max_lr, lr, highest(GL_RANGE_LEARNING_RATE)));
        CHECK(check_number("schedule.mode", r[GL_O_MODE], 0, GL_CYCLIC_COUNT - 1));
        s->mode = (int)r[GL_O_MODE];
        CHECK(check_number("schedule.gamma", s->gamma, GL_RANGE_SCHEDULE_GAMMA));
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

static const char *const opt_names[GL_OPT_COUNT] = {GL_OPTIMIZERS(GL_NAME_ITEM)};

EXPORT int gl_network_tune_optimizer(int h, const float *row) {
    GET_NET(n, h);
    NEED(row, "the optimizer row");
    gl_optimizer o; gl_schedule s;
    CHECK(read_optimizer(row, &o, &s));
    if (o.kind != n->opt.kind)
        return fail(GL_ERR_ARGUMENT, "optimizer name '%s' cannot change during a run (it is '%s'); setOptimizer "
                    "starts a new optimiser with fresh state", opt_names[o.kind], opt_names[n->opt.kind]);
    if (!gl_net_tune_optimizer(n, &o, &s))
        return fail(GL_ERR_ARGUMENT, "'%s' would keep %d state arrays instead of %d (momentum or centered switched "
                    "on or off); setOptimizer starts it afresh", opt_names[o.kind], gl_optimizer_state_arrays(&o),
                    n->state_arrays);
    return GL_OK;
}

EXPORT int gl_schedule_curve(const float *row, int steps, float *rate) {
    NEED(row, "the optimizer row");
    gl_optimizer o; gl_schedule s;
    int st = read_optimizer(row, &o, &s);
    if (st) return st;
    CHECK(check_integer("steps", steps, GL_RANGE_STEPS));
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
    CHECK(check_integer("steps", steps, GL_RANGE_STEPS));
    CHECK(check_integer("batchSize", batch, GL_RANGE_BATCH));
    int rows = gl_batch_rows(batch, d->n_train);
    if (rows < 2 && gl_net_has_bn(n))
        return fail(GL_ERR_ARGUMENT, "batchSize %d gives batches of %d row; batch norm needs at least 2 rows to train",
                    batch, rows);
    CHECK(check_pass(n, rows, rows < d->n_train ? "a batch" : "a full batch"));
    if (!gl_net_prepare(n, d, data, batch))
        return fail(GL_ERR_MEMORY, "not enough memory for a batch of %d rows; use a smaller batchSize", rows);
    gl_train_result r;
    gl_net_train(n, d, steps, batch, &r);
    out[GL_TR_STEPS] = r.steps; out[GL_TR_LOSS] = r.loss; out[GL_TR_ACCURACY] = r.accuracy;
    out[GL_TR_PENALTY] = r.reg_loss; out[GL_TR_LEARNING_RATE] = r.learning_rate; out[GL_TR_DIVERGED] = r.diverged;
    out[GL_TR_STEP] = r.step;
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
        return check_integer("rows", rows, 1, GL_LIMIT_SAMPLES);
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
        return check_integer("rows of a forward pass", rows, 1, GL_LIMIT_BATCH);
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
    const int at[5] = {GL_S_WEIGHTS, GL_S_BIASES, GL_S_PREACT, GL_S_ACT, GL_S_GRADS};
    for (int i = 0; i < 5; ++i) {
        float *o = out + at[i];
        o[0] = m[i]->mean; o[1] = m[i]->std; o[2] = m[i]->min; o[3] = m[i]->max;
    }
    out[GL_S_SATURATED] = s.saturated; out[GL_S_DEAD] = s.dead; out[GL_S_GRAD_NORM] = s.grad_norm;
    out[GL_S_UPDATE_RATIO] = s.update_ratio;
    return GL_OK;
}

EXPORT int gl_network_histogram(int h, int layer, int what, int bins, float lo, float hi, int automatic,
                                uint32_t *counts, float *edges) {
    GET_NET(n, h);
    int st = check_layer_tensor(n, layer, what);
    if (st) return st;
    CHECK(check_integer("bins", bins, GL_RANGE_BINS));
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
    ints[GL_NI_LAYERS] = n->n_layers; ints[GL_NI_PARAMETERS] = (int32_t)n->n_params; ints[GL_NI_STEP] = (int32_t)n->step;
    ints[GL_NI_ROWS] = n->rows; ints[GL_NI_STATE_ARRAYS] = n->state_arrays; ints[GL_NI_UPDATES] = (int32_t)n->opt_t;
    rate[0] = n->last_lr;
    return GL_OK;
}

EXPORT int gl_network_optimizer_state(int h, int32_t *out) {
    GET_NET(n, h);
    NEED(out, "out");
    out[GL_OS_POINTER] = (int32_t)(intptr_t)n->state; out[GL_OS_PARAMETERS] = (int32_t)n->n_params;
    out[GL_OS_ARRAYS] = n->state_arrays; out[GL_OS_UPDATES] = (int32_t)n->opt_t; out[GL_OS_KIND] = n->opt.kind;
    out[GL_OS_STRIDE] = (int32_t)gl_floats_stride(n->n_params);
    return GL_OK;
}

/* ---- 2-D surfaces ---- */
static int check_surface(int kind) { return check_enum("surface", kind, GL_SURF_COUNT); }

/* a range [lo, hi] of one coordinate of a surface */
static int check_span(const char *what, float lo, float hi) {
    char key[16];
    snprintf(key, sizeof key, "%s[0]", what);
    CHECK(check_number(key, lo, GL_RANGE_COORDINATE));
    snprintf(key, sizeof key, "%s[1]", what);
    CHECK(check_number(key, hi, GL_RANGE_COORDINATE));
    if (!(lo < hi)) {
        char a[32], b[32];
        return fail(GL_ERR_ARGUMENT, "%s [%s, %s] is not allowed; it needs min < max", what, show(a, lo), show(b, hi));
    }
    return GL_OK;
}

EXPORT int gl_surface_grid(int kind, float x0, float x1, float y0, float y1, int res, float *out) {
    CHECK(check_surface(kind));
    CHECK(check_span("x", x0, x1));
    CHECK(check_span("y", y0, y1));
    CHECK(check_integer("resolution", res, GL_RANGE_RESOLUTION));
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
    CHECK(check_surface(kind));
    NEED(row, "the optimizer row");
    gl_optimizer o; gl_schedule s;
    CHECK(read_optimizer(row, &o, &s));
    CHECK(check_number("start[0]", x, GL_RANGE_COORDINATE));
    CHECK(check_number("start[1]", y, GL_RANGE_COORDINATE));
    CHECK(check_integer("steps", steps, GL_RANGE_RACE_STEPS));
    CHECK(check_number("noise", noise, GL_RANGE_GRADIENT_NOISE));
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
    CHECK(check_integer("n", n, 0, GL_LIMIT_DATA_FLOATS));
    gl_rng r;
    gl_rng_seed(&r, seed, GL_STREAM_DATA);
    for (int i = 0; i < n; ++i) out[i] = gl_rng_normal(&r);
    return GL_OK;
}

/* ---- the training state as bytes (src/runstate.h): save a run, load it, continue exactly ---- */
EXPORT int gl_network_state_size(int h, int32_t *out) {
    GET_NET(n, h);
    NEED(out, "out");
    int64_t bytes = gl_runstate_bytes(n);
    if (bytes > 0x7fffffff) return fail(GL_ERR_MEMORY, "the run state would need %lld MiB; the limit is 2047 MiB", (long long)(bytes >> 20));
    out[0] = (int32_t)bytes;
    return GL_OK;
}

EXPORT int gl_network_state_save(int h, uint8_t *out, int bytes) {
    GET_NET(n, h);
    NEED(out, "out");
    if (bytes != gl_runstate_bytes(n))
        return fail(GL_ERR_ARGUMENT, "bytes %d is not the run state's size %lld (gl_network_state_size)", bytes,
                    (long long)gl_runstate_bytes(n));
    gl_runstate_write(n, out);
    return GL_OK;
}

EXPORT int gl_network_state_load(int h, int data, const uint8_t *rec, int bytes) {
    GET_NET(n, h);
    GET_SET(d, data);
    NEED(rec, "the run state");
    int st = check_match(n, d);
    if (st) return st;
    char why[400];
    if (gl_runstate_check(n, rec, bytes, d->n_train, why, sizeof why)) return fail(GL_ERR_ARGUMENT, "%s", why);
    /* the epoch order and the undo buffers live where training keeps them; one row is enough to
     * size them here, and the next training call sizes the batch */
    if (!gl_net_prepare(n, d, data, 1)) return fail(GL_ERR_MEMORY, "not enough memory to load the run state");
    gl_runstate_read(n, rec);
    return GL_OK;
}
/* ---- instruments: the loss landscape, sharpness and the learning-rate range test ---- */

/* rows 0 = every training row, else 1..n_train; `least` rows at the minimum (batch norm in training mode) */
static int check_instrument_rows(const gl_net *n, const gl_dataset *d, int rows, int least, int *out) {
    if (rows < 0 || rows > d->n_train)
        return fail(GL_ERR_ARGUMENT, "rows %d is out of range; allowed 1..%d (the training rows), or 0 for all of them",
                    rows, d->n_train);
    *out = rows ? rows : d->n_train;
    if (*out < least)
        return fail(GL_ERR_ARGUMENT, "rows %d: batch norm needs at least %d rows in training mode", *out, least);
    (void)n;
    return GL_OK;
}

/* the first rows training rows of d, as a data set of its own (sharing d's arrays) */
static gl_dataset first_rows(const gl_dataset *d, int rows) {
    gl_dataset v = *d;
    v.n_train = rows; v.n_test = 0;
    return v;
}

static int not_finite_loss(float loss, int rows, const char *what) {
    return fail(GL_ERR_STATE, "the loss at the current weights is %g on %d rows, not a finite number: %s needs a finite "
                "loss there (the weights have diverged; make the network again or train it at a smaller learning rate)",
                loss, rows, what);
}

EXPORT int gl_instrument_limits(int32_t *out) {
    NEED(out, "out");
    out[0] = GL_LIMIT_LANDSCAPE_RESOLUTION; out[1] = GL_LIMIT_SHARPNESS_ITERATIONS;
    out[2] = GL_LIMIT_LRFIND_STEPS; out[3] = GL_LIMIT_TRAJECTORY_POINTS;
    return GL_OK;
}

EXPORT int gl_network_record_trajectory(int h, int capacity, int interval) {
    GET_NET(n, h);
    if (capacity != 0 && (capacity < 2 || capacity > GL_LIMIT_TRAJECTORY_POINTS))
        return fail(GL_ERR_ARGUMENT, "capacity %d is out of range; allowed 2..%d copies of the weights, or 0 to stop",
                    capacity, GL_LIMIT_TRAJECTORY_POINTS);
    if (capacity && (interval < 1 || interval > GL_LIMIT_STEPS))
        return fail(GL_ERR_ARGUMENT, "interval %d is out of range; allowed 1..%d steps", interval, GL_LIMIT_STEPS);
    if ((int64_t)capacity * n->n_params > GL_LIMIT_TRAJECTORY_FLOATS)
        return fail(GL_ERR_ARGUMENT, "capacity %d x %ld parameters is over the limit of %ld floats; allowed up to %ld copies "
                    "of this network", capacity, n->n_params, GL_LIMIT_TRAJECTORY_FLOATS,
                    GL_LIMIT_TRAJECTORY_FLOATS / n->n_params);
    gl_trajectory *t = capacity ? gl_trajectory_create(capacity, interval, n->n_params, n->params, n->step) : 0;
    if (capacity && !t) return fail(GL_ERR_MEMORY, "not enough memory for %d copies of the weights", capacity);
    gl_trajectory_free(n->trajectory);
    n->trajectory = t;
    return GL_OK;
}

EXPORT int gl_network_trajectory(int h, int32_t *out, int32_t *steps) {
    GET_NET(n, h);
    NEED(out, "out");
    const gl_trajectory *t = n->trajectory;
    out[0] = t ? t->capacity : 0; out[1] = t ? t->count : 0;
    out[2] = t ? (int32_t)t->interval : 0; out[3] = t ? (int32_t)t->start : 0;
    if (t && steps) for (int i = 0; i < t->count; ++i) steps[i] = (int32_t)t->steps[i];
    return GL_OK;
}

EXPORT int gl_network_landscape(int h, int data, int mode, float span, int res, int rows, uint32_t seed, float *values,
                                float *axes, float *directions, float *path, float *out) {
    GET_NET(n, h);
    GET_SET(d, data);
    NEED(values, "values"); NEED(axes, "axes"); NEED(out, "out");
    int st = check_match(n, d);
    if (st) return st;
    if (mode != 0 && mode != 1)
        return fail(GL_ERR_ARGUMENT, "directions %d is out of range; allowed 0 (random) or 1 (trajectory)", mode);
    int automatic = mode == 1 && span == 0;
    if (!automatic && !(span > 0 && span <= GL_LIMIT_SPAN))
        return fail(GL_ERR_ARGUMENT, "span %g is not allowed; it must be a finite number > 0, at most %g%s", span,
                    (double)GL_LIMIT_SPAN, mode == 1 ? " (or 0 for the extent of the path)" : "");
    if (res < 3 || res > GL_LIMIT_LANDSCAPE_RESOLUTION)
        return fail(GL_ERR_ARGUMENT, "resolution %d is out of range; allowed 3..%d", res, GL_LIMIT_LANDSCAPE_RESOLUTION);
    int count = 0;
    if ((st = check_instrument_rows(n, d, rows, 1, &count))) return st;
    const gl_trajectory *t = n->trajectory;
    if (mode == 1 && (!t || t->count < 2))
        return fail(GL_ERR_STATE, "directions 'trajectory' need a record of the weights with 2 or more copies (this network "
                    "has %s%d): start one with recordTrajectory before training", t ? "" : "no record, ", t ? t->count : 0);
    int chunk = count < 4096 ? count : 4096;
    if ((st = check_pass(n, chunk, "a landscape pass"))) return st;
    if (!gl_net_reserve(n, n->cap > chunk ? n->cap : chunk)) return fail(GL_ERR_MEMORY, "not enough memory for a pass of %d rows", chunk);
    long P = n->n_params;
    float *d1 = gl_floats((size_t)P, 0), *d2 = gl_floats((size_t)P, 0), *coords = mode == 1 ? malloc(sizeof(float) * 2 * (size_t)t->count) : 0;
    gl_snapshot snap;
    if (!d1 || !d2 || (mode == 1 && !coords) || !gl_snapshot_save(&snap, n)) {
        free(d1); free(d2); free(coords);
        return fail(GL_ERR_MEMORY, "not enough memory for the directions of a landscape of %ld parameters", P);
    }
    gl_dataset view = first_rows(d, count);
    float center, accuracy;
    gl_net_evaluate(n, &view, 0, &center, &accuracy);
    double explained[2] = {0, 0};
    int found = 1;
    if (isfinite(center)) {
        if (mode == 0) {
            gl_rng r;
            gl_rng_seed(&r, seed, GL_STREAM_INSTRUMENT);
            gl_landscape_random_direction(n, &r, d1);
            gl_landscape_random_direction(n, &r, d2);
        } else {
            found = gl_landscape_trajectory_directions(t, n->params, d1, d2, coords, explained);
            if (found > 0 && automatic) {
                float extent = 0;
                for (int i = 0; i < 2 * t->count; ++i) extent = fabsf(coords[i]) > extent ? fabsf(coords[i]) : extent;
                span = extent > 0 ? 1.25f * extent : 1.0f;
            }
        }
    }
    if (isfinite(center) && found > 0) {
        for (int j = 0; j < res; ++j) axes[j] = axes[res + j] = span * ((float)(2 * j) / (float)(res - 1) - 1.0f);
        gl_landscape_grid(n, &view, snap.params, d1, d2, axes, axes + res, res, values);
    }
    gl_snapshot_restore(&snap, n);
    if (directions && isfinite(center) && found > 0) {
        memcpy(directions, d1, sizeof(float) * (size_t)P);
        memcpy(directions + P, d2, sizeof(float) * (size_t)P);
    }
    int points = 0;
    if (mode == 1 && path && found > 0) { points = t->count; memcpy(path, coords, sizeof(float) * 2 * (size_t)points); }
    free(d1); free(d2); free(coords);
    if (!isfinite(center)) return not_finite_loss(center, count, "a landscape");
    if (found < 0) return fail(GL_ERR_MEMORY, "not enough memory for the principal directions of %d copies", t->count);
    if (!found)
        return fail(GL_ERR_STATE, "the %d recorded copies of the weights span fewer than two directions (the weights "
                    "hardly moved, or moved along one line): train longer, or use directions 'random'", t->count);
    float v[7] = {center, accuracy, span, (float)points, (float)explained[0], (float)explained[1], (float)count};
    memcpy(out, v, sizeof v);
    return GL_OK;
}

EXPORT int gl_network_sharpness(int h, int data, int iterations, int rows, float tolerance, uint32_t seed, float *out) {
    GET_NET(n, h);
    GET_SET(d, data);
    NEED(out, "out");
    int st = check_match(n, d);
    if (st) return st;
    if (iterations < 1 || iterations > GL_LIMIT_SHARPNESS_ITERATIONS)
        return fail(GL_ERR_ARGUMENT, "iterations %d is out of range; allowed 1..%d", iterations, GL_LIMIT_SHARPNESS_ITERATIONS);
    if (!(tolerance >= 0 && tolerance < 1))
        return fail(GL_ERR_ARGUMENT, "tolerance %g is out of range; allowed 0 <= tolerance < 1 (relative residual |Hv - lambda v| / |lambda|)",
                    tolerance);
    int count = 0;
    if ((st = check_instrument_rows(n, d, rows, gl_net_has_bn(n) ? 2 : 1, &count))) return st;
    if (count > GL_LIMIT_BATCH)
        return fail(GL_ERR_ARGUMENT, "rows %d is more than one pass takes; allowed up to %d", count, GL_LIMIT_BATCH);
    if ((st = check_pass(n, count, "a sharpness pass"))) return st;
    if (!gl_net_reserve(n, count)) return fail(GL_ERR_MEMORY, "not enough memory for a pass of %d rows", count);
    gl_snapshot snap;
    if (!gl_snapshot_save(&snap, n)) return fail(GL_ERR_MEMORY, "not enough memory to keep the network's state");
    gl_sharpness r;
    int ok = gl_hessian_sharpness(n, d->x, d->yi, d->yf, count, iterations, tolerance, seed, &r);
    gl_snapshot_restore(&snap, n);
    if (!ok) return fail(GL_ERR_MEMORY, "not enough memory for the vectors of power iteration (%ld parameters)", n->n_params);
    if (!isfinite(r.loss)) return not_finite_loss(r.loss, count, "sharpness");
    float v[7] = {r.lambda_max, r.residual, (float)r.iterations, (float)r.converged, r.step, r.dominant, r.loss};
    memcpy(out, v, sizeof v);
    return GL_OK;
}

EXPORT int gl_network_lr_find(int h, int data, const float *row, float from, float to, int steps, int batch, float smoothing,
                              float *lrs, float *losses, float *smoothed) {
    GET_NET(n, h);
    GET_SET(d, data);
    NEED(lrs, "lrs"); NEED(losses, "losses"); NEED(smoothed, "smoothed");
    int st = check_match(n, d);
    if (st) return st;
    gl_optimizer o; gl_schedule s;
    if (row && (st = read_optimizer(row, &o, &s))) return st;
    if (!(from > 0 && from <= highest(GL_RANGE_LEARNING_RATE)))
        return fail(GL_ERR_ARGUMENT, "from %g is out of range; allowed 0 < from <= %g", from, (double)highest(GL_RANGE_LEARNING_RATE));
    if (!(to > from && to <= highest(GL_RANGE_LEARNING_RATE)))
        return fail(GL_ERR_ARGUMENT, "to %g is out of range; allowed from (%g) < to <= %g", to, from, (double)highest(GL_RANGE_LEARNING_RATE));
    if (steps < 2 || steps > GL_LIMIT_LRFIND_STEPS)
        return fail(GL_ERR_ARGUMENT, "steps %d is out of range; allowed 2..%d", steps, GL_LIMIT_LRFIND_STEPS);
    if (!(smoothing >= 0 && smoothing < 1))
        return fail(GL_ERR_ARGUMENT, "smoothing %g is out of range; allowed 0 <= smoothing < 1", smoothing);
    if (batch < 0 || batch > GL_LIMIT_BATCH)
        return fail(GL_ERR_ARGUMENT, "batchSize %d is out of range; allowed 0 (full batch)..%d", batch, GL_LIMIT_BATCH);
    int B = batch > 0 && batch < d->n_train ? batch : d->n_train;
    if (B < 2 && gl_net_has_bn(n))
        return fail(GL_ERR_ARGUMENT, "batchSize %d gives batches of %d row; batch norm needs at least 2 rows to train", batch, B);
    if ((st = check_pass(n, B, "a batch"))) return st;
    gl_snapshot snap;
    if (!gl_snapshot_save(&snap, n)) return fail(GL_ERR_MEMORY, "not enough memory to keep the network's state");
    if ((row && !gl_net_set_optimizer(n, &o, &s)) || !gl_net_prepare(n, d, data, batch)) {
        gl_snapshot_restore(&snap, n);
        return fail(GL_ERR_MEMORY, "not enough memory for a range test with batches of %d rows", B);
    }
    int ran = gl_lrfind_run(n, d, batch, from, to, steps, smoothing, lrs, losses, smoothed);
    gl_snapshot_restore(&snap, n);
    if (!isfinite(losses[0])) return not_finite_loss(losses[0], B, "a range test");
    return ran;
}
