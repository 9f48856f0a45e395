/* The exported boundary (src/gradlab.h): null pointers, every limit refused up front with its number
 * and nothing allocated, handles that never come out 0, divergence undone, schedule rows that used to
 * reach undefined behaviour. Runs plain and under ASan+UBSan (ctest in build/sanitize). */
#include "check.h"
#include "gradlab.h"
#include <stdlib.h>
#include <string.h>

/* the error text contains every one of the given pieces */
static int says(const char *a, const char *b) {
    const char *m = gl_error_message();
    return strstr(m, a) && (!b || strstr(m, b));
}
#define REFUSED(call, status, a, b) do { int st_ = (call); \
    CHECK(st_ == (status) && says(a, b), "%s -> %d '%s' (wanted %d naming '%s')", #call, st_, \
          gl_error_message(), status, a); } while (0)

enum { PLANE = GL_DATA_PLANE, SPIRAL = GL_DATA_SPIRAL, LINEAR = GL_ACT_LINEAR, RELU = GL_ACT_RELU, SOFTMAX = GL_ACT_SOFTMAX,
       MSE = GL_LOSS_MSE, XENT = GL_LOSS_CROSS_ENTROPY, CONSTANT = GL_INIT_CONSTANT, NORMAL = GL_INIT_NORMAL };

typedef struct { int32_t ints[(GL_LIMIT_LAYERS + 1) * GL_LAYER_INTS]; float floats[(GL_LIMIT_LAYERS + 1) * GL_LAYER_FLOATS]; } table;

static void layer(table *t, int l, int units, int act, int init, float p0) {
    memset(t->ints + l * GL_LAYER_INTS, 0, sizeof(int32_t) * GL_LAYER_INTS);
    memset(t->floats + l * GL_LAYER_FLOATS, 0, sizeof(float) * GL_LAYER_FLOATS);
    int32_t *li = t->ints + l * GL_LAYER_INTS;
    float *lf = t->floats + l * GL_LAYER_FLOATS;
    li[GL_LI_UNITS] = units; li[GL_LI_ACTIVATION] = act; li[GL_LI_INIT] = init;
    lf[GL_LF_INIT_P0] = p0;
    lf[GL_LF_L1_SCALE] = lf[GL_LF_L2_SCALE] = 1;
}

static void sgd_row(float *row, float lr) {
    memset(row, 0, sizeof(float) * GL_OPT_FLOATS);
    row[GL_O_KIND] = GL_OPT_SGD; row[GL_O_LEARNING_RATE] = lr;
}

/* Generations used to wrap to 0 after 0x7ffff uses of a slot, and slot 0 then gave handle 0: a
 * "success" that no call accepts, and a data set nobody could free. */
static void handles_never_zero(void) {
    int bad = 0, h = 0;
    for (int i = 0; i < 0x80000 + 2; ++i) {
        h = gl_dataset_make(PLANE, 2, 0, 12, 0, 0, 1);
        if (h <= 0) { ++bad; break; }
        if (gl_dataset_dispose(h) != GL_OK) { ++bad; break; }
    }
    CHECK(!bad, "a made data set got handle %d after generations wrapped (%s)", h, gl_error_message());
    REFUSED(gl_dataset_dispose(h), GL_ERR_HANDLE, "is not a live data set", 0);
    REFUSED(gl_dataset_info(0, (int32_t[16]){0}), GL_ERR_HANDLE, "handle 0", 0);
    REFUSED(gl_network_dispose(-7), GL_ERR_HANDLE, "handle -7", 0);
}

static void null_pointers(void) {
    int d = gl_dataset_make(PLANE, 10, 0, 12, 0, 0, 1);
    table t; layer(&t, 0, 1, LINEAR, NORMAL, 0.1f);
    int n = gl_network_make(2, 0, 1, t.ints, t.floats, MSE, 0, 1);
    CHECK(d > 0 && n > 0, "made a data set and a network");
    float row[GL_OPT_FLOATS], out[8], x[4] = {0};
    int32_t ints[16];
    sgd_row(row, 0.1f);
    REFUSED(gl_dataset_load(0, out, 2, 2, 1, 0, 0, 1), GL_ERR_ARGUMENT, "x and y", 0);
    REFUSED(gl_dataset_info(d, 0), GL_ERR_ARGUMENT, "info", "null");
    REFUSED(gl_network_make(2, 0, 1, 0, t.floats, MSE, 0, 1), GL_ERR_ARGUMENT, "layer table", 0);
    /* sides whose product overflows 64 bits (found by the fuzzer; UBSan stops on the multiplication) */
    REFUSED(gl_network_make(8, (int32_t[3]){1 << 30, 1 << 30, 1 << 30}, 1, t.ints, t.floats, MSE, 0, 1),
            GL_ERR_ARGUMENT, "input shape [1073741824, 1073741824, 1073741824]", "8 inputs");
    REFUSED(gl_network_make(8, (int32_t[3]){2, 2, 3}, 1, t.ints, t.floats, MSE, 0, 1), GL_ERR_ARGUMENT, "[2, 2, 3]", 0);
    REFUSED(gl_network_make(2, 0, 1, t.ints, 0, MSE, 0, 1), GL_ERR_ARGUMENT, "layer table", 0);
    REFUSED(gl_network_set_optimizer(n, 0), GL_ERR_ARGUMENT, "optimizer row", "null");
    REFUSED(gl_schedule_curve(0, 5, out), GL_ERR_ARGUMENT, "optimizer row", "null");
    REFUSED(gl_schedule_curve(row, 5, 0), GL_ERR_ARGUMENT, "rate", "null");
    CHECK(gl_schedule_curve(row, 0, 0) == GL_OK, "no steps need no output");
    REFUSED(gl_network_train(n, d, 1, 0, 0), GL_ERR_ARGUMENT, "out", "null");
    REFUSED(gl_network_evaluate(n, d, 0, 0), GL_ERR_ARGUMENT, "out", "null");
    REFUSED(gl_network_predict(n, 0, 1, out), GL_ERR_ARGUMENT, "x must be given", 0);
    REFUSED(gl_network_predict(n, x, 1, 0), GL_ERR_ARGUMENT, "y must be given", 0);
    REFUSED(gl_network_forward(n, 0, 1, 0), GL_ERR_ARGUMENT, "x must be given", 0);
    REFUSED(gl_network_tensor(n, 0, 0, 0), GL_ERR_ARGUMENT, "out", "null");
    REFUSED(gl_network_batch(n, 0), GL_ERR_ARGUMENT, "out", "null");
    REFUSED(gl_network_info(n, 0, out), GL_ERR_ARGUMENT, "ints", "null");
    REFUSED(gl_network_shape(n, 0, 0), GL_ERR_ARGUMENT, "out", "null");
    REFUSED(gl_network_shape(n, 1, ints), GL_ERR_ARGUMENT, "layer 1", "0..0");
    REFUSED(gl_network_info(n, ints, 0), GL_ERR_ARGUMENT, "rate", "null");
    REFUSED(gl_network_stats(n, 0, 0), GL_ERR_ARGUMENT, "out", "null");
    REFUSED(gl_network_optimizer_state(n, 0), GL_ERR_ARGUMENT, "out", "null");
    REFUSED(gl_optimize(0, 1, 1, 0, 5, 0, 1, out, out), GL_ERR_ARGUMENT, "optimizer row", "null");
    REFUSED(gl_network_histogram(n, 0, 0, 4, 0, 1, 0, 0, out), GL_ERR_ARGUMENT, "counts and edges", 0);
    REFUSED(gl_network_evaluate(n, d, 1, out), GL_ERR_ARGUMENT, "test", "no rows");
    /* still working */
    CHECK(gl_network_train(n, d, 3, 0, out) == GL_OK && out[GL_TR_STEPS] == 3, "trains after the refusals");
    gl_network_dispose(n);
    gl_dataset_dispose(d);
}

/* a request over each limit is refused before anything is allocated, with the number */
static void limits(void) {
    int live = gl_memory_live();
    table t;
    for (int l = 0; l < GL_LIMIT_LAYERS + 1; ++l) layer(&t, l, 2, RELU, NORMAL, 0.1f);
    REFUSED(gl_network_make(2, 0, GL_LIMIT_LAYERS + 1, t.ints, t.floats, MSE, 0, 1), GL_ERR_ARGUMENT, "layers 65", "from 1 to 64");
    layer(&t, 0, GL_LIMIT_UNITS + 1, RELU, NORMAL, 0.1f);
    REFUSED(gl_network_make(2, 0, 1, t.ints, t.floats, MSE, 0, 1), GL_ERR_ARGUMENT, "layers[0].units 4097", "from 1 to 4096");
    REFUSED(gl_network_make(4 * GL_LIMIT_UNITS + 1, 0, 1, t.ints, t.floats, MSE, 0, 1), GL_ERR_ARGUMENT, "inputs 16385", "from 1 to 16384");
    for (int l = 0; l < 3; ++l) layer(&t, l, 4096, RELU, NORMAL, 0.1f);
    REFUSED(gl_network_make(4096, 0, 3, t.ints, t.floats, MSE, 0, 1), GL_ERR_ARGUMENT, "50343936 parameters", "33554432");
    REFUSED(gl_dataset_make(PLANE, GL_LIMIT_SAMPLES + 1, 0, 12, 0, 0, 1), GL_ERR_ARGUMENT, "samples 1000001", "from 2 to 1000000");
    float tiny[4] = {0};
    /* claimed sizes over a limit come with a tiny buffer: the call must refuse without reading it */
    REFUSED(gl_dataset_load(tiny, tiny, 10000, 4000, 1, 0, 0, 1), GL_ERR_ARGUMENT, "40000000", "33554432");
    REFUSED(gl_dataset_load(tiny, tiny, 1000000, 1, 4000, 0, 0, 1), GL_ERR_ARGUMENT, "samples x outputs = 4000000000", "33554432");
    REFUSED(gl_network_predict(1, tiny, 1, tiny), GL_ERR_HANDLE, "not a live network", 0);
    CHECK(gl_memory_live() == live, "nothing allocated by refused makes: %d -> %d bytes", live, gl_memory_live());

    int d = gl_dataset_make(SPIRAL, 262145, 2, 12, 0.1f, 0, 1);
    layer(&t, 0, 4096, RELU, NORMAL, 0.01f);
    layer(&t, 1, 2, SOFTMAX, NORMAL, 0.01f);
    int n = gl_network_make(2, 0, 2, t.ints, t.floats, XENT, 0, 1);
    CHECK(d > 0 && n > 0, "a wide network and a big data set (%s)", gl_error_message());
    float out[GL_TRAIN_SLOTS];
    int before = gl_memory_live();
    /* 262145 rows x 4096 units: on wasm32 the old byte count wrapped to a 4 MB block */
    REFUSED(gl_network_train(n, d, 1, 0, out), GL_ERR_MEMORY, "a full batch of 262145 rows", "limit is 1024 MiB");
    REFUSED(gl_network_train(n, d, 1, GL_LIMIT_BATCH + 1, out), GL_ERR_ARGUMENT, "batchSize 65537", "65536");
    REFUSED(gl_network_train(n, d, GL_LIMIT_STEPS + 1, 0, out), GL_ERR_ARGUMENT, "steps 10000001", "10000000");
    CHECK(gl_memory_live() == before, "nothing allocated by refused training: %d -> %d bytes", before, gl_memory_live());
    CHECK(gl_network_train(n, d, 1, 64, out) == GL_OK && !out[GL_TR_DIVERGED], "a batch of 64 rows trains (%s)", gl_error_message());
    gl_network_dispose(n);
    gl_dataset_dispose(d);

    int hs[GL_LIMIT_OBJECTS];
    int made = 0;
    for (; made < GL_LIMIT_OBJECTS; ++made) if ((hs[made] = gl_dataset_make(PLANE, 2, 0, 12, 0, 0, made)) <= 0) break;
    CHECK(made == GL_LIMIT_OBJECTS, "%d live data sets made (%s)", made, gl_error_message());
    REFUSED(gl_dataset_make(PLANE, 2, 0, 12, 0, 0, 1), GL_ERR_MEMORY, "more than 4096 live data sets", 0);
    for (int i = 0; i < made; ++i) gl_dataset_dispose(hs[i]);
    /* (glibc counts its per-thread cache of freed blocks as in use, so leaks are left to LeakSanitizer
     * here; tests/js/reliability.test.mjs checks liveBytes exactly in wasm) */
}

/* w0, w1, b of a 2-input linear unit, read through predict (tensor views hold wasm32 pointers) */
static void linear_weights(int n, float *wb) {
    float x[6] = {1, 0, 0, 1, 0, 0}, y[3];
    gl_network_predict(n, x, 3, y);
    wb[0] = y[0] - y[2]; wb[1] = y[1] - y[2]; wb[2] = y[2];
}

static void schedules(void) {
    float row[GL_OPT_FLOATS], rate[4];
    sgd_row(row, 0.1f);
    row[GL_O_MODE] = 3e9f; /* cyclic mode slot, unused by a constant schedule: (int)3e9f is undefined behaviour */
    CHECK(gl_schedule_curve(row, 4, rate) == GL_OK && rate[3] == 0.1f, "constant schedule ignores the mode slot");
    row[GL_O_SCHEDULE] = GL_SCHED_CYCLIC; row[GL_O_STEP_SIZE] = 10; row[GL_O_MAX_LR] = 1; row[GL_O_GAMMA] = 1;
    REFUSED(gl_schedule_curve(row, 4, rate), GL_ERR_ARGUMENT, "schedule.mode 3000000000", "from 0 to 2");
    sgd_row(row, 0.1f);
    row[GL_O_SCHEDULE] = GL_SCHED_SGDR; row[GL_O_PERIOD] = 10; row[GL_O_PERIOD_MULT] = 1.0000001f;    /* sgdr: a multiplier just over 1 made a loop of ~1e8 rounds per step */
    REFUSED(gl_schedule_curve(row, 4, rate), GL_ERR_ARGUMENT, "periodMultiplier 1.0000001", "integer from 1 to 100");
    row[GL_O_PERIOD_MULT] = 2;
    CHECK(gl_schedule_curve(row, 4, rate) == GL_OK, "sgdr with multiplier 2 (%s)", gl_error_message());
}

/* y = x0 + 2 x1 + 1 by gradient descent; a rate of 100 blows up within a few steps */
static void divergence(void) {
    float x[2 * 64], y[64];
    for (int i = 0; i < 64; ++i) {
        x[2 * i] = (float)(i % 8) / 4 - 1; x[2 * i + 1] = (float)(i / 8) / 4 - 1;
        y[i] = x[2 * i] + 2 * x[2 * i + 1] + 1;
    }
    int d = gl_dataset_load(x, y, 64, 2, 1, 0, 0, 1);
    table t; layer(&t, 0, 1, LINEAR, NORMAL, 0.1f);
    int n = gl_network_make(2, 0, 1, t.ints, t.floats, MSE, 0, 3);
    float row[GL_OPT_FLOATS], out[GL_TRAIN_SLOTS], snap[64][3];
    sgd_row(row, 100);
    gl_network_set_optimizer(n, row);
    int k = -1;
    for (int s = 0; s < 64 && k < 0; ++s) {
        linear_weights(n, snap[s]);
        CHECK(gl_network_train(n, d, 1, 0, out) == GL_OK, "train");
        if (out[GL_TR_DIVERGED]) k = s;
    }
    CHECK(k > 1, "diverged at step %d with rate 100", k);
    if (k > 1) {
        /* the loss went non-finite at the weights after step k-1: that update is undone */
        CHECK(out[GL_TR_STEP] == k - 1, "reports %g steps kept, wanted %d", out[GL_TR_STEP], k - 1);
        float wb[3];
        linear_weights(n, wb);
        CHECK(!memcmp(wb, snap[k - 1], sizeof wb), "weights are those before the undone step: %g %g %g vs %g %g %g",
              wb[0], wb[1], wb[2], snap[k - 1][0], snap[k - 1][1], snap[k - 1][2]);
        int32_t info[16]; float lr;
        gl_network_info(n, info, &lr);
        CHECK(info[2] == k - 1, "the network counts %d steps, wanted %d", info[2], k - 1);
        sgd_row(row, 0.3f);
        gl_network_set_optimizer(n, row);
        CHECK(gl_network_train(n, d, 400, 0, out) == GL_OK && !out[GL_TR_DIVERGED] && out[GL_TR_LOSS] < 1e-6f,
              "a lower rate recovers: diverged %g, loss %g", out[GL_TR_DIVERGED], out[GL_TR_LOSS]);
        linear_weights(n, wb);
        CHECK_CLOSE(wb[0], 1, 1e-3, "w0"); CHECK_CLOSE(wb[1], 2, 1e-3, "w1"); CHECK_CLOSE(wb[2], 1, 1e-3, "b");
    }
    gl_network_dispose(n);
    gl_dataset_dispose(d);

    /* loss and gradient finite, yet the update overflows a weight: it is undone at once */
    float big[2] = {3e37f, 3e37f}, zero[2] = {0, 0};
    d = gl_dataset_load(big, zero, 2, 1, 1, 0, 0, 1);
    layer(&t, 0, 1, LINEAR, CONSTANT, 1e-38f);
    n = gl_network_make(1, 0, 1, t.ints, t.floats, MSE, 0, 1);
    sgd_row(row, 1000);
    gl_network_set_optimizer(n, row);
    CHECK(gl_network_train(n, d, 5, 0, out) == GL_OK, "train");
    float one = 1, w[1];
    gl_network_predict(n, &one, 1, w);
    CHECK(out[GL_TR_DIVERGED] == 1 && out[GL_TR_STEP] == 0 && out[GL_TR_STEPS] == 0 && isfinite(out[GL_TR_LOSS]), "diverged at step 0 (diverged %g step %g loss %g)",
          out[GL_TR_DIVERGED], out[GL_TR_STEP], out[GL_TR_LOSS]);
    CHECK(w[0] == 1e-38f, "the overflowing update was undone: w = %g", w[0]);
    gl_network_dispose(n);
    gl_dataset_dispose(d);
}

/* an infinite activation made an automatic histogram range NaN, and (int)NaN picked bin INT_MIN */
static void histogram_of_infinity(void) {
    table t; layer(&t, 0, 1, LINEAR, CONSTANT, 1);
    int n = gl_network_make(2, 0, 1, t.ints, t.floats, MSE, 0, 1);
    float x[2] = {3e38f, 3e38f}, edges[5];
    uint32_t counts[4];
    CHECK(gl_network_forward(n, x, 1, 0) == GL_OK, "forward");
    CHECK(gl_network_histogram(n, 0, GL_T_ACT, 4, 0, 0, 1, counts, edges) == GL_OK, "automatic histogram of inf");
    CHECK(counts[0] + counts[1] + counts[2] + counts[3] == 1, "the one value is counted once");
    CHECK(gl_network_histogram(n, 0, GL_T_ACT, 4, 0, 1, 0, counts, edges) == GL_OK && counts[3] == 1, "fixed range: inf in the last bin");
    gl_network_dispose(n);
}

/* The run state (src/runstate.c): a network loaded from another's state takes the same next steps bit
 * for bit (minibatches, batch norm, dropout, adam); states that do not fit are refused, and nothing
 * is changed by a refusal. */
static void run_state(void) {
    int d = gl_dataset_make(SPIRAL, 120, 3, 12, 0.1f, 0.25f, 3);
    table t;
    layer(&t, 0, 12, RELU, NORMAL, 0.3f);
    t.ints[3] = 1; t.floats[5] = 0.25f; t.floats[7] = 0.1f; t.floats[8] = 1e-5f; /* batch norm, dropout */
    layer(&t, 1, 3, SOFTMAX, NORMAL, 0.3f);
    float row[GL_OPT_FLOATS], out[8], out2[8];
    memset(row, 0, sizeof row);
    row[0] = 5; row[1] = 0.01f; row[4] = 1e-8f; row[5] = 0.9f; row[6] = 0.999f; /* adam */
    int a = gl_network_make(2, 0, 2, t.ints, t.floats, XENT, 0, 9), b = gl_network_make(2, 0, 2, t.ints, t.floats, XENT, 0, 9);
    CHECK(d > 0 && a > 0 && b > 0, "made the data set and two networks (%s)", gl_error_message());
    gl_network_set_optimizer(a, row);
    gl_network_set_optimizer(b, row);
    CHECK(gl_network_train(a, d, 17, 16, out) == GL_OK, "trained 17 steps");
    int32_t size[2];
    CHECK(gl_network_state_size(a, size) == GL_OK && size[0] > 0, "the state has a size");
    uint8_t *state = malloc((size_t)size[0]), *state2 = malloc((size_t)size[0]);
    REFUSED(gl_network_state_save(a, state, size[0] - 4), GL_ERR_ARGUMENT, "is not the run state's size", 0);
    CHECK(gl_network_state_save(a, state, size[0]) == GL_OK, "saved");
    CHECK(gl_network_state_load(b, d, state, size[0]) == GL_OK, "loaded (%s)", gl_error_message());
    for (int s = 0; s < 5; ++s) {
        gl_network_train(a, d, 1, 16, out);
        gl_network_train(b, d, 1, 16, out2);
        CHECK(memcmp(out, out2, 7 * sizeof *out) == 0, "step %d after loading: loss %.9g against %.9g", 18 + s, out[1], out2[1]);
    }
    gl_network_state_save(a, state, size[0]);
    gl_network_state_save(b, state2, size[0]);
    CHECK(memcmp(state, state2, (size_t)size[0]) == 0, "the whole states agree after five more steps");
    /* refusals: version, damage, shape; the network refused is unchanged */
    int c = gl_network_make(2, 0, 1, t.ints + GL_LAYER_INTS, t.floats + GL_LAYER_FLOATS, XENT, 0, 9);
    REFUSED(gl_network_state_load(c, d, state, size[0]), GL_ERR_ARGUMENT, "the saved network has 2 layers; this one has 1", 0);
    int32_t version = 2;
    memcpy(state2 + 4, &version, 4);
    REFUSED(gl_network_state_load(b, d, state2, size[0]), GL_ERR_ARGUMENT, "format version 2", 0);
    memcpy(state2, state, (size_t)size[0]);
    state2[size[0] - 1] ^= 0x10;
    REFUSED(gl_network_state_load(b, d, state2, size[0]), GL_ERR_ARGUMENT, "damaged", 0);
    REFUSED(gl_network_state_load(b, d, state, 12), GL_ERR_ARGUMENT, "fewer than its header", 0);
    REFUSED(gl_network_state_load(b, d, 0, size[0]), GL_ERR_ARGUMENT, "the run state", "null");
    gl_network_state_save(b, state2, size[0]);
    CHECK(memcmp(state, state2, (size_t)size[0]) == 0, "refused loads left the network as it was");
    free(state); free(state2);
    gl_network_dispose(a); gl_network_dispose(b); gl_network_dispose(c); gl_dataset_dispose(d);
}

/* gl_network_tune_optimizer: the same optimiser keeps its velocity and update count; another kind,
 * or a changed number of state arrays, is refused and changes nothing */
static void tuning(void) {
    int d = gl_dataset_make(SPIRAL, 60, 3, 12, 0.1f, 0, 1);
    table t; layer(&t, 0, 8, RELU, NORMAL, 0.5f); layer(&t, 1, 3, SOFTMAX, NORMAL, 0.5f);
    int n = gl_network_make(2, 0, 2, t.ints, t.floats, XENT, 0, 1);
    float row[GL_OPT_FLOATS], out[GL_TRAIN_SLOTS], lr;
    memset(row, 0, sizeof row);
    row[GL_O_KIND] = GL_OPT_MOMENTUM; row[GL_O_LEARNING_RATE] = 0.1f; row[GL_O_MOMENTUM] = 0.9f;
    CHECK(gl_network_set_optimizer(n, row) == GL_OK && gl_network_train(n, d, 4, 0, out) == GL_OK, "trained");
    int32_t info[16], size[1];
    gl_network_state_size(n, size);
    uint8_t *before = malloc((size_t)size[0]), *after = malloc((size_t)size[0]);
    gl_network_state_save(n, before, size[0]);
    row[GL_O_LEARNING_RATE] = 0.01f;
    CHECK(gl_network_tune_optimizer(n, row) == GL_OK, "tuned: %s", gl_error_message());
    gl_network_info(n, info, &lr);
    CHECK(info[GL_NI_UPDATES] == 4 && info[GL_NI_STEP] == 4, "updates %d, steps %d kept", info[GL_NI_UPDATES], info[GL_NI_STEP]);
    gl_network_state_save(n, after, size[0]);
    CHECK(!memcmp(before, after, (size_t)size[0]), "weights, velocity and counters are kept byte for byte");
    CHECK(gl_network_train(n, d, 1, 0, out) == GL_OK && out[GL_TR_LEARNING_RATE] == 0.01f, "the next step at the new rate (%g)",
          out[GL_TR_LEARNING_RATE]);
    REFUSED(gl_network_tune_optimizer(n, 0), GL_ERR_ARGUMENT, "optimizer row", "null");
    row[GL_O_KIND] = GL_OPT_ADAM;
    REFUSED(gl_network_tune_optimizer(n, row), GL_ERR_ARGUMENT, "optimizer name 'adam' cannot change", "it is 'momentum'");
    row[GL_O_KIND] = GL_OPT_MOMENTUM; row[GL_O_LEARNING_RATE] = -1;
    REFUSED(gl_network_tune_optimizer(n, row), GL_ERR_ARGUMENT, "learningRate -1 is not allowed", 0);
    memset(row, 0, sizeof row);
    row[GL_O_KIND] = GL_OPT_RMSPROP; row[GL_O_LEARNING_RATE] = 0.01f; row[GL_O_ALPHA] = 0.99f;
    CHECK(gl_network_set_optimizer(n, row) == GL_OK, "rmsprop");
    row[GL_O_MOMENTUM] = 0.5f;
    REFUSED(gl_network_tune_optimizer(n, row), GL_ERR_ARGUMENT, "keep 2 state arrays instead of 1", 0);
    gl_network_info(n, info, &lr);
    CHECK(info[GL_NI_STATE_ARRAYS] == 1 && lr == 0.01f, "the refused change left it as it was");
    free(before); free(after);
    gl_network_dispose(n);
    gl_dataset_dispose(d);
}

int main(void) {
    handles_never_zero();
    tuning();
    run_state();
    null_pointers();
    limits();
    schedules();
    divergence();
    histogram_of_infinity();
    return check_summary("test_api");
}
