/* fuzz_api.c: a libFuzzer harness for the public C API (src/gradlab.h), built natively with clang
 * -fsanitize=fuzzer,address,undefined. Each input is read as a program: a sequence of calls
 * (make, load, set an optimiser, train, evaluate, predict, forward, read tensors, statistics and
 * histograms, dispose, preview a schedule, surfaces and optimiser paths on them, the instruments:
 * landscape, sharpness, range test, trajectory record; live changes of the optimiser's settings) with sizes, enums, floats and handles taken from the bytes, often hostile: raw int32 and
 * float bit patterns (NaN, Inf, negative, huge), stale and forged handles, double disposes.
 *
 * Buffers: the API cannot know how long a caller's array is, so the harness always passes one exactly
 * as long as the sizes it claims, unless the claim is over a documented limit; then it passes a tiny
 * buffer and the call must refuse without reading it (AddressSanitizer reports any read).
 * Besides crashes and sanitizer reports, it aborts when a failing call leaves no error message, when
 * a success comes back with a non-finite loss, or when a disposed handle is accepted.
 * Every object is disposed at the end of each input, so LeakSanitizer sees leaks per input.
 *
 * Run: build/sanitize/fuzz_api tests/fuzz/corpus -max_total_time=45 (scripts/test.mjs does). */
#include "gradlab.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { const uint8_t *p; size_t n, at; } reader;

static uint8_t u8(reader *r) { return r->at < r->n ? r->p[r->at++] : 0; }
static uint32_t u32(reader *r) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= (uint32_t)u8(r) << (8 * i);
    return v;
}
static float raw_float(reader *r) {
    uint32_t b = u32(r);
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}
/* mostly values a learner might type, sometimes any bit pattern */
static float any_float(reader *r) {
    static const float nice[] = {0, 1e-8f, 1e-3f, 0.01f, 0.1f, 0.2f, 0.5f, 0.9f, 0.99f, 0.999f, 1, 2, 3, 10, 100,
                                 1000, 1e6f, -1, -0.5f, 1e30f, -1e30f, 3.4e38f, 1e-38f, 1e-45f};
    uint8_t c = u8(r);
    if (c < 200) return nice[c % (sizeof nice / sizeof *nice)];
    if (c < 210) return NAN;
    if (c < 220) return c & 1 ? INFINITY : -INFINITY;
    return raw_float(r);
}
/* small(lo..hi) mostly; sometimes any int32 (usually out of range, refused) */
static int any_int(reader *r, int lo, int hi) {
    uint8_t c = u8(r);
    if (c < 230) return lo + (int)(u8(r) % (uint32_t)(hi - lo + 1));
    if (c < 240) return lo - 1 - (c & 3);
    return (int)u32(r);
}

#define SLOTS 4
/* row: the optimiser row last set or tuned on the network (has_row), which a live change perturbs */
typedef struct { int h, inputs, outputs, has_row; float row[GL_OPT_FLOATS]; } net_rec;
typedef struct { int h, inputs; } set_rec;
static net_rec nets[SLOTS];
static set_rec sets[SLOTS];

/* calls made and calls that succeeded, printed at exit (FUZZ_STATS=1) to show what a run reached */
static long calls, successes, trained, diverged, tuned, tuned_then_trained;
static int verbose;   /* FUZZ_VERBOSE=1: print every refusal, to see what a hand-written input reaches */
static void print_stats(void) {
    fprintf(stderr, "fuzz_api: %ld calls, %ld succeeded, %ld training calls that stepped, %ld diverged, "
            "%ld live changes accepted, %ld trained on after one\n",
            calls, successes, trained, diverged, tuned, tuned_then_trained);
}
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc; (void)argv;
    if (getenv("FUZZ_STATS")) atexit(print_stats);
    verbose = getenv("FUZZ_VERBOSE") != 0;
    return 0;
}

/* a failing call must explain itself */
static int status_of(int st) {
    ++calls;
    if (st >= 0) ++successes;
    if (st < 0 && !gl_error_message()[0]) { fprintf(stderr, "status %d with no error message\n", st); abort(); }
    if (st < 0 && verbose) fprintf(stderr, "fuzz_api: call %ld refused: %s\n", calls, gl_error_message());
    return st;
}

static int pick_net(reader *r) {
    uint8_t c = u8(r);
    if (c >= 250) return (int)u32(r);          /* forged */
    return nets[c % SLOTS].h;                   /* 0 when empty: refused */
}
static int pick_set(reader *r) {
    uint8_t c = u8(r);
    if (c >= 250) return (int)u32(r);
    return sets[c % SLOTS].h;
}
static net_rec *net_of(int h) {
    for (int i = 0; i < SLOTS; ++i) if (nets[i].h == h && h) return &nets[i];
    return 0;
}

static float *float_array(reader *r, int64_t count) {
    float *a = malloc(sizeof(float) * (size_t)(count > 0 ? count : 1));
    for (int64_t i = 0; i < count; ++i) {
        uint8_t c = u8(r);
        a[i] = c < 250 ? (float)((int)c - 125) / 50.0f : any_float(r);
    }
    return a;
}

static void optimizer_row(reader *r, float *row) {
    row[GL_O_KIND] = (float)any_int(r, 0, GL_OPT_COUNT - 1);
    for (int i = 1; i < GL_OPT_FLOATS; ++i) row[i] = any_float(r);
    if (u8(r) < 128) { /* a usable rate, a known schedule */
        row[GL_O_LEARNING_RATE] = 0.1f; row[GL_O_SCHEDULE] = (float)any_int(r, 0, GL_SCHED_COUNT - 1);
    }
}

/* claimed counts over this many floats come with a tiny buffer (they are over a limit) */
#define EXACT_MAX 4096

static void load(reader *r) {
    int samples = any_int(r, 1, 64), inputs = any_int(r, 1, 6), outputs = any_int(r, 1, 3);
    int classes = u8(r) < 128 ? 0 : any_int(r, 2, 5);
    float tf = any_float(r);
    uint32_t seed = u32(r);
    /* (outputs matter only for regression targets) */
    int64_t nx = (int64_t)samples * inputs, ny = classes ? samples : (int64_t)samples * outputs;
    int y_sized = samples > 0 && (classes || outputs > 0);
    int ok_x = samples > 0 && inputs > 0 && nx <= EXACT_MAX, ok_y = y_sized && ny <= EXACT_MAX;
    int allowed_x = samples > 0 && samples <= GL_LIMIT_SAMPLES && inputs > 0 && inputs <= GL_LIMIT_UNITS &&
                    nx <= GL_LIMIT_DATA_FLOATS;
    int allowed_y = y_sized && ny <= GL_LIMIT_DATA_FLOATS && (classes || outputs <= GL_LIMIT_UNITS);
    if ((!ok_x && allowed_x) || (!ok_y && allowed_y)) return; /* allowed, but too big to hand over here */
    float tiny[16] = {0};
    float *x = ok_x ? float_array(r, nx) : 0;
    void *y = 0;
    if (ok_y && classes > 0) {
        int32_t *yi = malloc(sizeof(int32_t) * (size_t)samples);
        for (int i = 0; i < samples; ++i) { uint8_t c = u8(r); yi[i] = c < 240 ? c % classes : (int32_t)u32(r); }
        y = yi;
    } else if (ok_y) y = float_array(r, ny);
    int h = status_of(gl_dataset_load(x ? x : tiny, y ? y : (void *)tiny, samples, inputs, outputs, classes, tf, seed));
    if (h > 0) {
        set_rec *s = &sets[u8(r) % SLOTS];
        if (s->h) gl_dataset_dispose(s->h);
        s->h = h; s->inputs = inputs;
    }
    free(x); free(y);
}

static void make_set(reader *r) {
    int kind = any_int(r, 0, 9), samples = any_int(r, 2, 200), classes = any_int(r, 2, 6);
    float noise = any_float(r), tf = any_float(r);
    if (samples > 5000 && samples <= GL_LIMIT_SAMPLES) samples = 5000;  /* keep each input quick */
    int h = status_of(gl_dataset_make(kind, samples, classes, any_int(r, 0, 40), noise, tf, u32(r)));
    if (h > 0) {
        int32_t info[16];
        if (gl_dataset_info(h, info) != GL_OK) abort();
        set_rec *s = &sets[u8(r) % SLOTS];
        if (s->h) gl_dataset_dispose(s->h);
        s->h = h; s->inputs = info[0];
    }
}

static void make_net(reader *r) {
    int inputs = any_int(r, 1, 6), layers = any_int(r, 1, 4), loss = any_int(r, 0, 2);
    /* half the time an image input (height, width, channels) for convolution and pooling layers */
    int32_t shape[3] = {any_int(r, 1, 8), any_int(r, 1, 8), any_int(r, 1, 3)};
    int image = u8(r) & 1;
    if (image && shape[0] > 0 && shape[1] > 0 && shape[2] > 0 && shape[0] <= 8 && shape[1] <= 8 && shape[2] <= 3)
        inputs = shape[0] * shape[1] * shape[2];
    if (layers > 0 && layers <= GL_LIMIT_LAYERS) {
        int32_t ints[GL_LIMIT_LAYERS * GL_LAYER_INTS];
        float floats[GL_LIMIT_LAYERS * GL_LAYER_FLOATS];
        int last = 1;
        for (int l = 0; l < layers; ++l) {
            int32_t *li = ints + l * GL_LAYER_INTS;
            float *lf = floats + l * GL_LAYER_FLOATS;
            for (int k = 0; k < GL_LAYER_INTS; ++k) li[k] = 0;
            li[GL_LI_UNITS] = any_int(r, 1, 12); li[GL_LI_ACTIVATION] = any_int(r, 0, 5); li[GL_LI_INIT] = any_int(r, 0, 10);
            li[GL_LI_BATCH_NORM] = any_int(r, 0, 1); li[GL_LI_BATCH_NORM_AFTER] = any_int(r, 0, 1);
            li[GL_LI_NO_BIAS] = any_int(r, 0, 1);
            if (image) {
                li[GL_LI_TYPE] = any_int(r, 0, 3); li[GL_LI_KERNEL] = any_int(r, 0, 7); li[GL_LI_STRIDE] = any_int(r, 0, 2);
                li[GL_LI_SAME_PADDING] = any_int(r, 0, 1); li[GL_LI_POOL_MODE] = any_int(r, 0, 1);
                if (li[GL_LI_TYPE] >= GL_LAYER_POOL && u8(r) < 200) { /* pool and flatten take no activation */
                    li[GL_LI_ACTIVATION] = GL_ACT_LINEAR; li[GL_LI_BATCH_NORM] = 0;
                }
            }
            for (int k = 0; k < GL_LAYER_FLOATS; ++k) lf[k] = any_float(r);
            if (u8(r) < 200) { /* sane slope, init, scales, dropout, bias, batch-norm momentum and epsilon */
                uint8_t c = u8(r);
                lf[GL_LF_SLOPE] = 0.01f; lf[GL_LF_INIT_P0] = 0.1f; lf[GL_LF_INIT_P1] = 0.2f;
                lf[GL_LF_L1_SCALE] = lf[GL_LF_L2_SCALE] = 1; lf[GL_LF_DROPOUT] = c & 1 ? 0.5f : 0; lf[GL_LF_BIAS] = 0;
                lf[GL_LF_BATCH_NORM_MOMENTUM] = 0.1f; lf[GL_LF_BATCH_NORM_EPSILON] = 1e-5f;
            }
            /* wide layers are allowed but slow: keep a fuzz input to milliseconds */
            if (li[GL_LI_UNITS] > 64 && li[GL_LI_UNITS] <= GL_LIMIT_UNITS) li[GL_LI_UNITS] = 64;
            last = li[GL_LI_UNITS];
        }
        if (inputs > 64 && inputs <= GL_LIMIT_UNITS) inputs = 64;
        int h = status_of(gl_network_make(inputs, image ? shape : 0, layers, ints, floats, loss, any_int(r, 0, 1), u32(r)));
        if (h > 0) {
            net_rec *s = &nets[u8(r) % SLOTS];
            if (s->h) gl_network_dispose(s->h);
            s->h = h; s->inputs = inputs; s->outputs = last; s->has_row = 0;
        }
    } else {
        int32_t ints[GL_LAYER_INTS] = {0};
        float floats[GL_LAYER_FLOATS] = {0};
        if (status_of(gl_network_make(inputs, 0, layers, ints, floats, loss, 0, 1)) >= 0) abort();
    }
}

static void rows_call(reader *r, int forward) {
    int h = pick_net(r);
    net_rec *n = net_of(h);
    int rows = any_int(r, 1, 16);
    int inputs = n ? n->inputs : 1, outputs = n ? n->outputs : 1;
    int64_t nx = (int64_t)rows * inputs, ny = (int64_t)rows * outputs;
    float tiny[16] = {0};
    int fits = rows > 0 && nx <= EXACT_MAX && ny <= EXACT_MAX;
    if (!fits && rows > 0 && rows <= (forward ? GL_LIMIT_BATCH : GL_LIMIT_SAMPLES) &&
        nx <= GL_LIMIT_DATA_FLOATS && ny <= GL_LIMIT_DATA_FLOATS)
        return; /* allowed, too big to hand over */
    float *x = fits ? float_array(r, nx) : 0;
    float *y = fits ? malloc(sizeof(float) * (size_t)ny) : 0;
    if (forward) status_of(gl_network_forward(h, x ? x : tiny, rows, u8(r) & 1));
    else status_of(gl_network_predict(h, x ? x : tiny, rows, y ? y : tiny));
    free(x); free(y);
}

/* gl_network_train, with what a success must hold: a finite loss unless it diverged, at most the
 * steps asked for; returns whether it stepped */
static int train_checked(int h, int d, int steps, int batch) {
    float out[8];
    if (status_of(gl_network_train(h, d, steps, batch, out)) != GL_OK) return 0;
    float ran = out[GL_TR_STEPS], loss = out[GL_TR_LOSS];
    trained += ran > 0;
    diverged += out[GL_TR_DIVERGED] != 0;
    if (out[GL_TR_DIVERGED] == 0 && ran > 0 && !isfinite(loss)) { fprintf(stderr, "ok with loss %g\n", loss); abort(); }
    if (ran < 0 || ran > steps) { fprintf(stderr, "%g steps of %d\n", ran, steps); abort(); }
    return ran > 0;
}

/* A live change (gl_network_tune_optimizer), written in an input as the four bytes "TUNE" where an
 * opcode would be: no input stored before it holds them there, so the stored corpus replays as it
 * did. Mostly the network's own row with one to three settings changed (the name too, sometimes),
 * else any row. Accepted or refused, the step, the updates and the optimiser's state arrays must be
 * as they were; an accepted change is trained on. Three hand-written inputs in tests/fuzz/corpus reach
 * it (sgd; momentum, with a refused change of name; rmsprop, with a refused switch of centered): run
 * one with FUZZ_STATS=1 FUZZ_VERBOSE=1 to see its calls. */
static int tune_next(reader *r) {
    if (r->n - r->at < 4 || memcmp(r->p + r->at, "TUNE", 4)) return 0;
    r->at += 4;
    return 1;
}
static void tune(reader *r) {
    int h = pick_net(r);
    net_rec *n = net_of(h);
    float row[GL_OPT_FLOATS], rate;
    if (n && n->has_row && u8(r) < 224) {
        memcpy(row, n->row, sizeof row);
        for (int k = 1 + u8(r) % 3; k > 0; --k) {
            int slot = u8(r) % GL_OPT_FLOATS;
            row[slot] = slot == GL_O_KIND ? (float)any_int(r, 0, GL_OPT_COUNT - 1) : any_float(r);
        }
    } else optimizer_row(r, row);
    int32_t before[GL_NETWORK_INFO_COUNT], after[GL_NETWORK_INFO_COUNT];
    int known = gl_network_info(h, before, &rate) == GL_OK;
    int st = status_of(gl_network_tune_optimizer(h, row));
    if (known && (gl_network_info(h, after, &rate) != GL_OK || after[GL_NI_STEP] != before[GL_NI_STEP] ||
                  after[GL_NI_STATE_ARRAYS] != before[GL_NI_STATE_ARRAYS] || after[GL_NI_UPDATES] != before[GL_NI_UPDATES])) {
        fprintf(stderr, "a live change (status %d) changed the step, the updates or the state arrays\n", st);
        abort();
    }
    if (st != GL_OK) return;
    ++tuned;
    if (n) { memcpy(n->row, row, sizeof row); n->has_row = 1; }
    int d = pick_set(r), steps = any_int(r, 0, 8), batch = any_int(r, 0, 40);
    if (steps >= 0 && steps <= 8) tuned_then_trained += train_checked(h, d, steps, batch);
}

/* the instruments, with small sizes (each one trains or evaluates many times); a network they
 * succeed on must be left with the same counters */
static void instruments(reader *r) {
    int h = pick_net(r), d = pick_set(r);
    int32_t before[6], after[6], traj[4];
    float rate, out[8];
    int known = gl_network_info(h, before, &rate) == GL_OK;
    long params = known ? before[1] : 0;
    switch (u8(r) % 4) {
    case 0: {
        int mode = any_int(r, 0, 1), res = any_int(r, 3, 5), rows = any_int(r, 1, 16);
        float span = any_float(r);
        if (res >= 3 && res <= 5 && known) {
            float *values = malloc(sizeof(float) * (size_t)res * res), *axes = malloc(sizeof(float) * 2 * (size_t)res);
            float *dirs = u8(r) & 1 ? malloc(sizeof(float) * 2 * (size_t)params) : 0;
            float *path = malloc(sizeof(float) * 2 * GL_LIMIT_TRAJECTORY_POINTS);
            status_of(gl_network_landscape(h, d, mode, span, res, rows, u32(r), values, axes, dirs, path, out));
            free(values); free(axes); free(dirs); free(path);
        } else if ((res < 3 || res > GL_LIMIT_LANDSCAPE_RESOLUTION) &&
                   status_of(gl_network_landscape(h, d, mode, span, res, rows, 1, out, out, 0, 0, out)) >= 0) abort();
        break;
    }
    case 1: {
        int iterations = any_int(r, 1, 8);
        if (iterations > 8 && iterations <= GL_LIMIT_SHARPNESS_ITERATIONS) iterations = 8;
        status_of(gl_network_sharpness(h, d, iterations, any_int(r, 1, 16), any_float(r), u32(r), out));
        break;
    }
    case 2: {
        int steps = any_int(r, 2, 8), batch = any_int(r, 1, 16), custom = u8(r) & 1;
        float row[GL_OPT_FLOATS], from = any_float(r), to = any_float(r), smoothing = any_float(r);
        if (custom) optimizer_row(r, row);
        if (steps >= 2 && steps <= 8) {
            float lrs[8], losses[8], smoothed[8];
            int ran = status_of(gl_network_lr_find(h, d, custom ? row : 0, from, to, steps, batch, smoothing, lrs, losses, smoothed));
            if (ran > steps) abort();
        } else if ((steps < 2 || steps > GL_LIMIT_LRFIND_STEPS) &&
                   status_of(gl_network_lr_find(h, d, 0, from, to, steps, batch, smoothing, out, out, out)) >= 0) abort();
        break;
    }
    default:
        status_of(gl_network_record_trajectory(h, any_int(r, 0, 8), any_int(r, 1, 4)));
        if (status_of(gl_network_trajectory(h, traj, 0)) == GL_OK && traj[1] > traj[0]) abort();
        break;
    }
    if (known && gl_network_info(h, after, &rate) == GL_OK &&
        (after[1] != before[1] || after[2] != before[2] || after[4] != before[4] || after[5] != before[5])) {
        fprintf(stderr, "an instrument changed the network's counters\n");
        abort();
    }
}

static void run(reader *r) {
    float row[GL_OPT_FLOATS], out[8];
    int32_t ints[16]; /* the widest out array a call writes: gl_dataset_info, 10 slots */
    int ops = 0;
    while (r->at < r->n && ops++ < 48) {
        if (tune_next(r)) { tune(r); continue; }
        switch (u8(r) % 19) {
        case 0: make_set(r); break;
        case 1: load(r); break;
        case 2: make_net(r); break;
        case 3: {
            optimizer_row(r, row);
            int h = pick_net(r);
            net_rec *n = net_of(h);
            if (status_of(gl_network_set_optimizer(h, row)) == GL_OK && n) { memcpy(n->row, row, sizeof row); n->has_row = 1; }
            break;
        }
        case 4: {
            int h = pick_net(r), d = pick_set(r), steps = any_int(r, 0, 20), batch = any_int(r, 0, 40);
            if (steps > 50 && steps <= GL_LIMIT_STEPS) steps = 50;
            train_checked(h, d, steps, batch);
            break;
        }
        case 5: status_of(gl_network_evaluate(pick_net(r), pick_set(r), any_int(r, 0, 1), out)); break;
        case 6: rows_call(r, 0); break;
        case 7: rows_call(r, 1); break;
        case 8: {
            int h = pick_net(r);
            status_of(gl_network_tensor(h, any_int(r, 0, 4), any_int(r, 0, 5), ints));
            /* the last minibatch's row count (the pointer is 32-bit, only dereferenceable in wasm) */
            if (status_of(gl_network_batch(h, ints)) == GL_OK && (ints[1] < 0 || ints[1] > GL_LIMIT_BATCH)) {
                fprintf(stderr, "a batch of %d rows\n", ints[1]);
                abort();
            }
            break;
        }
        case 9: {
            int h = pick_net(r);
            if (status_of(gl_network_info(h, ints, out)) == GL_OK && (ints[0] < 1 || ints[0] > GL_LIMIT_LAYERS)) abort();
            break;
        }
        case 10: { /* dispose, then the handle must be refused */
            uint8_t c = u8(r);
            if (c & 1) {
                net_rec *n = &nets[(c >> 1) % SLOTS];
                int h = n->h;
                if (h && status_of(gl_network_dispose(h)) != GL_OK) abort();
                n->h = 0;
                if (h && gl_network_info(h, ints, out) != GL_ERR_HANDLE) { fprintf(stderr, "disposed network accepted\n"); abort(); }
            } else {
                set_rec *s = &sets[(c >> 1) % SLOTS];
                int h = s->h;
                if (h && status_of(gl_dataset_dispose(h)) != GL_OK) abort();
                s->h = 0;
                if (h && gl_dataset_info(h, ints) != GL_ERR_HANDLE) { fprintf(stderr, "disposed data set accepted\n"); abort(); }
            }
            break;
        }
        case 11: {
            optimizer_row(r, row);
            int steps = any_int(r, 0, 64);
            if (steps >= 0 && steps <= 256) {
                float *rate = malloc(sizeof(float) * (size_t)(steps + 1));
                status_of(gl_schedule_curve(row, steps, rate));
                free(rate);
            } else if (steps < 0 || steps > GL_LIMIT_STEPS) {
                float tiny[1];
                if (status_of(gl_schedule_curve(row, steps, tiny)) >= 0) abort();
            }
            break;
        }
        case 13: {
            float stats[24];
            status_of(gl_network_stats(pick_net(r), any_int(r, 0, 4), stats));
            status_of(gl_network_optimizer_state(pick_net(r), ints));
            break;
        }
        case 14: {
            int bins = any_int(r, 1, 16);
            float lo = any_float(r), hi = any_float(r);
            if (bins >= 1 && bins <= 64) {
                uint32_t counts[64];
                float edges[65];
                status_of(gl_network_histogram(pick_net(r), any_int(r, 0, 4), any_int(r, 0, 10), bins, lo, hi, u8(r) & 1,
                                               counts, edges));
            } else if ((bins < 1 || bins > 4096) && /* refused before writing to the tiny arrays */
                       status_of(gl_network_histogram(pick_net(r), 0, 0, bins, lo, hi, 1, (uint32_t *)out, out)) >= 0) abort();
            break;
        }
        case 15: {
            int kind = any_int(r, 0, 5), res = any_int(r, 2, 24);
            float x0 = any_float(r), x1 = any_float(r), y0 = any_float(r), y1 = any_float(r);
            if (res >= 2 && res <= 64) {
                float *grid = malloc(sizeof(float) * (size_t)res * res);
                status_of(gl_surface_grid(kind, x0, x1, y0, y1, res, grid));
                free(grid);
            } else if ((res < 2 || res > 2048) && status_of(gl_surface_grid(kind, x0, x1, y0, y1, res, out)) >= 0) abort();
            break;
        }
        case 16: {
            optimizer_row(r, row);
            int kind = any_int(r, 0, 5), steps = any_int(r, 0, 64);
            float x = any_float(r), y = any_float(r), noise = any_float(r);
            if (steps >= 0 && steps <= 256) {
                float *path = malloc(sizeof(float) * 2 * (size_t)(steps + 1)), *loss = malloc(sizeof(float) * (size_t)(steps + 1));
                int st = status_of(gl_optimize(kind, x, y, row, steps, noise, u32(r), path, loss));
                if (st > steps) abort();
                free(path); free(loss);
            } else if (steps < 0 || steps > 1000000) {
                if (status_of(gl_optimize(kind, x, y, row, steps, noise, 1, out, out)) >= 0) abort();
            }
            int n = any_int(r, 0, 64);
            if (n >= 0 && n <= 256) {
                float *v = malloc(sizeof(float) * (size_t)(n + 1));
                status_of(gl_random_normal(v, n, u32(r)));
                free(v);
            } else if (n < 0 || n > GL_LIMIT_DATA_FLOATS) {
                if (status_of(gl_random_normal(out, n, 1)) >= 0) abort();
            }
            break;
        }
        case 17: instruments(r); break;
        case 18: { /* a run state saved from one network, perhaps damaged, loaded into another */
            int from = pick_net(r), to = pick_net(r), d = pick_set(r);
            int32_t size[1];
            if (status_of(gl_network_state_size(from, size)) != GL_OK || size[0] > (1 << 24)) break;
            uint8_t *state = malloc((size_t)size[0] + 8);
            if (status_of(gl_network_state_save(from, state, size[0])) == GL_OK) {
                int flips = u8(r) % 4, bytes = size[0] - (int)(u8(r) % 3 == 0 ? u8(r) % 16 : 0);
                for (int i = 0; i < flips; ++i) state[u32(r) % (uint32_t)size[0]] ^= (uint8_t)(1u << (u8(r) % 8));
                if (status_of(gl_network_state_load(to, d, state, bytes)) == GL_OK) {
                    int steps = any_int(r, 0, 5), batch = any_int(r, 0, 20);
                    if (steps >= 0 && steps <= 5) status_of(gl_network_train(to, d, steps, batch, out));
                }
            }
            free(state);
            break;
        }
        case 12: { /* forged handles, null outputs */
            int h = (int)u32(r);
            status_of(gl_network_train(h, h, 1, 0, out));
            status_of(gl_dataset_info(h, ints));
            status_of(gl_network_info(pick_net(r), 0, 0));
            status_of(gl_network_evaluate(pick_net(r), pick_set(r), 0, 0));
            break;
        }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    reader r = {data, size, 0};
    run(&r);
    for (int i = 0; i < SLOTS; ++i) {
        if (nets[i].h) gl_network_dispose(nets[i].h);
        if (sets[i].h) gl_dataset_dispose(sets[i].h);
        nets[i].h = sets[i].h = 0;
    }
    return 0;
}
