/* The instruments at the C boundary (landscape, sharpness, range test, trajectory record): each
 * leaves the network's weights, gradients, optimiser state and counters byte for byte as they were
 * (checked by training on and evaluating beside an identical twin); null outputs and bad ranges are refused. Runs plain and under
 * ASan+UBSan (ctest in build/sanitize), which also catches any read or write past the buffers. */
#include "check.h"
#include "gradlab.h"
#include <stdlib.h>
#include <string.h>

enum { SPIRAL = 3, RELU = 1, TANH = 3, SOFTMAX = 5, XENT = 0, XAVIER = 4, ADAM = 5 };

static void dense(int32_t *ints, float *floats, int l, int units, int act, int bn, float dropout) {
    memset(ints + l * GL_LAYER_INTS, 0, sizeof(int32_t) * GL_LAYER_INTS);
    memset(floats + l * GL_LAYER_FLOATS, 0, sizeof(float) * GL_LAYER_FLOATS);
    ints[l * GL_LAYER_INTS] = units; ints[l * GL_LAYER_INTS + 1] = act; ints[l * GL_LAYER_INTS + 2] = XAVIER;
    ints[l * GL_LAYER_INTS + 3] = bn;
    floats[l * GL_LAYER_FLOATS + 3] = floats[l * GL_LAYER_FLOATS + 4] = 1;
    floats[l * GL_LAYER_FLOATS + 5] = dropout;
    floats[l * GL_LAYER_FLOATS + 7] = 0.1f; floats[l * GL_LAYER_FLOATS + 8] = 1e-5f;
}

/* the network's outputs for the first rows of the data set (pointers from gl_dataset_info are
 * wasm32 offsets, so the rows are generated here instead) */
static void outputs(int n, float *y) {
    float x[2 * 16];
    for (int i = 0; i < 32; ++i) x[i] = (float)((i * 37) % 23) / 11.0f - 1.0f;
    gl_network_predict(n, x, 16, y);
}

static int make(int seed) {
    int32_t ints[3 * GL_LAYER_INTS]; float floats[3 * GL_LAYER_FLOATS];
    dense(ints, floats, 0, 12, RELU, 1, 0.2f); dense(ints, floats, 1, 8, TANH, 0, 0); dense(ints, floats, 2, 3, SOFTMAX, 0, 0);
    int n = gl_network_make(2, 0, 3, ints, floats, XENT, 0, (uint32_t)seed);
    float row[GL_OPT_FLOATS] = {ADAM, 0.01f, 0, 0.99f, 1e-8f, 0.9f, 0.999f};
    gl_network_set_optimizer(n, row);
    return n;
}

/* every instrument once on n, checking what each returns */
static void instruments(int n, int d, const float *row) {
    enum { RES = 5 };
    float out[8], values[RES * RES], axes[2 * RES], path[8], lrs[40], losses[40], smoothed[40];
    CHECK(gl_network_landscape(n, d, 0, 0.5f, RES, 0, 3, values, axes, 0, 0, out) == GL_OK, "%s", gl_error_message());
    CHECK(values[RES * RES / 2] == out[0] && axes[RES / 2] == 0, "the centre of the grid is the loss at the weights");
    CHECK(gl_network_landscape(n, d, 1, 0, RES, 50, 3, values, axes, 0, path, out) == GL_OK, "%s", gl_error_message());
    CHECK(out[3] >= 2 && out[3] <= 4, "path points %g", out[3]);
    CHECK(gl_network_sharpness(n, d, 30, 0, 1e-3f, 5, out) == GL_OK && out[0] > 0, "%s", gl_error_message());
    /* out: lambda_max, residual, iterations, converged: converged means the residual is within tolerance */
    CHECK(out[3] == (out[1] <= 1e-3f) && out[2] >= 1 && out[2] <= 30 && (out[3] == 1 || out[2] == 30),
          "converged %g with residual %g after %g products", out[3], out[1], out[2]);
    CHECK(gl_network_lr_find(n, d, 0, 1e-5f, 10, 40, 16, 0.9f, lrs, losses, smoothed) >= 2, "%s", gl_error_message());
    CHECK(gl_network_lr_find(n, d, row, 1e-5f, 10, 40, 0, 0.9f, lrs, losses, smoothed) >= 2, "%s", gl_error_message());
}

int main(void) {
    int d = gl_dataset_make(SPIRAL, 120, 3, 12, 0.1f, 0.2f, 1);
    int n = make(7), twin = make(7);
    /* out and out2 are compared byte for byte: zeroed, since train writes only GL_TRAIN_SLOTS of them */
    float row[GL_OPT_FLOATS] = {ADAM, 0.01f, 0, 0.99f, 1e-8f, 0.9f, 0.999f}, out[8] = {0}, out2[8] = {0};
    CHECK(d > 0 && n > 0 && twin > 0, "%s", gl_error_message());
    CHECK(gl_network_record_trajectory(n, 4, 2) == GL_OK, "%s", gl_error_message());
    CHECK(gl_network_record_trajectory(twin, 4, 2) == GL_OK, "%s", gl_error_message());
    CHECK(gl_network_train(n, d, 11, 16, out) == GL_OK, "%s", gl_error_message());
    CHECK(gl_network_train(twin, d, 11, 16, out) == GL_OK, "%s", gl_error_message());
    /* twice: the second time from the state the first one must have left (what they free is checked
     * by LeakSanitizer in the sanitize build, and in wasm by tests/js/instruments.test.mjs) */
    instruments(n, d, row);
    instruments(n, d, row);
    /* the network is as it was: it trains on exactly like its twin (weights, Adam's moments, the
     * step count, the epoch order and the dropout stream all matter) */
    float y1[48], y2[48];
    CHECK(gl_network_train(n, d, 9, 16, out) == GL_OK && gl_network_train(twin, d, 9, 16, out2) == GL_OK, "%s", gl_error_message());
    outputs(n, y1); outputs(twin, y2);
    CHECK(!memcmp(out, out2, GL_TRAIN_SLOTS * sizeof *out) && !memcmp(y1, y2, sizeof y1), "trains on like its twin, byte for byte");
    /* the instruments' passes over all the rows grew n's activation arena past the twin's batch of 16:
     * n evaluates in one pass where the twin takes 16 rows at a time (and 8 at the end of the test
     * split); the losses must still be the twin's, byte for byte, after every step */
    for (int step = 0; step < 12; ++step) {
        float e1[2], e2[2];
        CHECK(gl_network_train(n, d, 1, 16, out) == GL_OK && gl_network_train(twin, d, 1, 16, out2) == GL_OK, "%s", gl_error_message());
        for (int split = 0; split < 2; ++split) {
            CHECK(gl_network_evaluate(n, d, split, e1) == GL_OK && gl_network_evaluate(twin, d, split, e2) == GL_OK, "%s", gl_error_message());
            CHECK(!memcmp(e1, e2, sizeof e1), "step %d, split %d: evaluates like its twin, byte for byte (%.9g vs %.9g)", step, split, e1[0], e2[0]);
        }
    }
    enum { RES = 5 };
    float values[RES * RES], axes[2 * RES], path[8], lrs[40], losses[40], smoothed[40];
    CHECK(gl_network_landscape(n, d, 0, 0.5f, RES, 0, 3, 0, axes, 0, 0, out) == GL_ERR_ARGUMENT, "null values");
    CHECK(gl_network_sharpness(n, d, 30, 0, 1e-3f, 5, 0) == GL_ERR_ARGUMENT, "null out");
    CHECK(gl_network_lr_find(n, d, 0, 1e-5f, 10, 40, 16, 0.9f, lrs, 0, smoothed) == GL_ERR_ARGUMENT, "null losses");
    CHECK(gl_network_landscape(n, d, 2, 0.5f, RES, 0, 3, values, axes, 0, 0, out) == GL_ERR_ARGUMENT, "mode 2");
    CHECK(gl_network_landscape(n, d, 0, 0.5f, 102, 0, 3, values, axes, 0, 0, out) == GL_ERR_ARGUMENT, "resolution 102");
    CHECK(gl_network_sharpness(n, d, 1001, 0, 1e-3f, 5, out) == GL_ERR_ARGUMENT, "1001 iterations");
    CHECK(gl_network_lr_find(n, d, 0, 1, 1, 40, 16, 0.9f, lrs, losses, smoothed) == GL_ERR_ARGUMENT, "from = to");
    CHECK(gl_network_record_trajectory(n, 0, 0) == GL_OK, "a record stops with capacity 0");
    CHECK(gl_network_landscape(n, d, 1, 0, RES, 0, 3, values, axes, 0, path, out) == GL_ERR_STATE, "no record left");
    gl_network_dispose(n);
    gl_network_dispose(twin);
    gl_dataset_dispose(d);
    return check_summary("test_instruments");
}
