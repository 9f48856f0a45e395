/* native.c: the gradlab core built natively (-O3 -march=native) trains one benchmark network with
 * Adam through the public API, the same calls the wasm module exports.
 *   gradlab_bench INPUTS BATCH CLASSES ACT UNITS,UNITS,... STEPS
 * runs 3 warm-up steps, then STEPS timed steps, and prints {"seconds":..,"samples":..}.
 * The toy data is bench/networks.mjs's toyData, written again here. */
#include "gradlab.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int die(const char *what) {
    fprintf(stderr, "gradlab_bench: %s: %s\n", what, gl_error_message());
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: gradlab_bench INPUTS BATCH CLASSES ACT(1 relu, 3 tanh) UNITS,UNITS,... STEPS\n");
        return 2;
    }
    int inputs = atoi(argv[1]), batch = atoi(argv[2]), classes = atoi(argv[3]), act = atoi(argv[4]);
    int steps = atoi(argv[6]);
    int units[GL_LIMIT_LAYERS], n = 0;
    for (char *p = strtok(argv[5], ","); p && n < GL_LIMIT_LAYERS - 1; p = strtok(0, ",")) units[n++] = atoi(p);
    units[n++] = classes;

    int rows = 4096;
    float *x = malloc(sizeof(float) * (size_t)rows * inputs);
    int32_t *y = malloc(sizeof(int32_t) * (size_t)rows);
    uint32_t s = 12345;
    for (int i = 0; i < rows; ++i) {
        y[i] = i % classes;
        for (int d = 0; d < inputs; ++d) {
            s = s * 1664525u + 1013904223u;
            x[(long)i * inputs + d] = (float)(s >> 8) / 8388608.0f - 1.0f + (d % classes == y[i] ? 1.0f : 0.0f);
        }
    }
    int data = gl_dataset_load(x, y, rows, inputs, 1, classes, 0.0f, 1);
    if (data < 0) return die("data");

    int32_t ints[GL_LIMIT_LAYERS * GL_LAYER_INTS] = {0};
    float floats[GL_LIMIT_LAYERS * GL_LAYER_FLOATS] = {0};
    for (int l = 0; l < n; ++l) {
        ints[l * GL_LAYER_INTS + 0] = units[l];
        ints[l * GL_LAYER_INTS + 1] = l == n - 1 ? 5 /* softmax */ : act;
        ints[l * GL_LAYER_INTS + 2] = 4; /* xavier, the JavaScript API's default */
        /* ints 3..9 stay 0: no batch norm, a dense layer */
        floats[l * GL_LAYER_FLOATS + 0] = 0.01f; /* leaky slope */
        floats[l * GL_LAYER_FLOATS + 3] = 1.0f;  /* l1 scale */
        floats[l * GL_LAYER_FLOATS + 4] = 1.0f;  /* l2 scale */
        floats[l * GL_LAYER_FLOATS + 7] = 0.1f;  /* batch-norm momentum and epsilon (unused) */
        floats[l * GL_LAYER_FLOATS + 8] = 1e-5f;
    }
    int net = gl_network_make(inputs, 0, n, ints, floats, 0 /* cross-entropy */, 0, 1);
    if (net < 0) return die("network");
    float row[GL_OPT_FLOATS] = {5 /* adam */, 1e-3f, 0, 0.99f, 1e-8f, 0.9f, 0.999f};
    if (gl_network_set_optimizer(net, row) < 0) return die("optimizer");
    float out[8];
    if (gl_network_train(net, data, 3, batch, out) < 0) return die("train");
    double t0 = now();
    if (gl_network_train(net, data, steps, batch, out) < 0) return die("train");
    double t = now() - t0;
    printf("{\"seconds\":%.9f,\"samples\":%ld,\"loss\":%g}\n", t, (long)steps * batch, out[1]);
    gl_network_dispose(net);
    gl_dataset_dispose(data);
    free(x); free(y);
    return 0;
}
