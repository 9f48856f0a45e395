#include "dataset.h"
#include "aligned.h"
#include "glyphs.h"
#include "rng.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const float PI = 3.14159265358979f;

static int is_image(int kind) { return kind == GL_DATA_DIGITS || kind == GL_DATA_SHAPES; }
int gl_dataset_kind_inputs(int kind, int size) { return is_image(kind) ? size * size : kind == GL_DATA_SINE ? 1 : 2; }
int gl_dataset_kind_classes(int kind) {
    if (kind == GL_DATA_BLOBS || kind == GL_DATA_SPIRAL) return -1;
    if (is_image(kind)) return gl_glyph_classes(kind == GL_DATA_DIGITS ? GL_GLYPH_DIGITS : GL_GLYPH_SHAPES);
    return kind == GL_DATA_PLANE || kind == GL_DATA_SINE ? 0 : 2;
}

static gl_dataset *alloc_set(int n, int inputs, int outputs, int classes) {
    gl_dataset *d = calloc(1, sizeof *d);
    if (!d) return 0;
    d->inputs = inputs; d->outputs = outputs; d->classes = classes;
    d->shape[0] = 1; d->shape[1] = 1; d->shape[2] = inputs;
    d->x = gl_floats((size_t)n * inputs, 0);
    if (classes > 0) d->yi = malloc(sizeof(int32_t) * (size_t)n);
    else d->yf = gl_floats((size_t)n * outputs, 0);
    if (!d->x || (!d->yi && !d->yf)) { gl_dataset_free(d); return 0; }
    return d;
}

void gl_dataset_free(gl_dataset *d) {
    if (!d) return;
    free(d->x); free(d->yi); free(d->yf); free(d);
}

/* Shuffles rows in place with the generator, then splits off the last round(n * f) as test rows. */
static int shuffle_split(gl_dataset *d, int n, float test_fraction, gl_rng *r) {
    int32_t *perm = malloc(sizeof(int32_t) * (size_t)n);
    float *x = malloc(sizeof(float) * (size_t)n * d->inputs);
    void *y = malloc(d->yi ? sizeof(int32_t) * (size_t)n : sizeof(float) * (size_t)n * d->outputs);
    if (!perm || !x || !y) { free(perm); free(x); free(y); return 0; }
    for (int i = 0; i < n; ++i) perm[i] = i;
    gl_rng_shuffle(r, perm, n);
    for (int i = 0; i < n; ++i) {
        memcpy(x + (long)i * d->inputs, d->x + (long)perm[i] * d->inputs, sizeof(float) * d->inputs);
        if (d->yi) ((int32_t *)y)[i] = d->yi[perm[i]];
        else memcpy((float *)y + (long)i * d->outputs, d->yf + (long)perm[i] * d->outputs,
                    sizeof(float) * d->outputs);
    }
    free(d->x); d->x = x;
    if (d->yi) { free(d->yi); d->yi = y; } else { free(d->yf); d->yf = y; }
    free(perm);
    d->n_test = (int)lroundf((float)n * test_fraction);
    d->n_train = n - d->n_test;
    return 1;
}

gl_dataset *gl_dataset_generate(int kind, int n, int classes, int size, float noise, float test_fraction,
                                uint32_t seed) {
    int k = gl_dataset_kind_classes(kind);
    if (k < 0) k = classes;
    gl_dataset *d = alloc_set(n, gl_dataset_kind_inputs(kind, size), 1, k);
    if (!d) return 0;
    if (is_image(kind)) { d->shape[0] = size; d->shape[1] = size; d->shape[2] = 1; }
    gl_rng r;
    gl_rng_seed(&r, seed, GL_STREAM_DATA);
    for (int i = 0; i < n; ++i) {
        float *x = d->x + (long)i * d->inputs;
        int label = 0;
        switch (kind) {
        case GL_DATA_CIRCLE: { /* a disc inside a ring */
            label = i % 2;
            float radius = label ? 0.7f + 0.3f * gl_rng_uniform(&r) : 0.5f * sqrtf(gl_rng_uniform(&r));
            float angle = 2 * PI * gl_rng_uniform(&r);
            x[0] = radius * cosf(angle) + noise * gl_rng_normal(&r);
            x[1] = radius * sinf(angle) + noise * gl_rng_normal(&r);
            break;
        }
        case GL_DATA_XOR: { /* quadrants, kept a little away from the axes */
            float a = gl_rng_uniform(&r) * 2 - 1, b = gl_rng_uniform(&r) * 2 - 1;
            a += a > 0 ? 0.05f : -0.05f; b += b > 0 ? 0.05f : -0.05f;
            label = a * b > 0;
            x[0] = a + noise * gl_rng_normal(&r);
            x[1] = b + noise * gl_rng_normal(&r);
            break;
        }
        case GL_DATA_BLOBS: { /* k Gaussian clouds with centres on a circle */
            label = i % k;
            float angle = 2 * PI * label / k, spread = 0.1f + noise;
            x[0] = 0.6f * cosf(angle) + spread * gl_rng_normal(&r);
            x[1] = 0.6f * sinf(angle) + spread * gl_rng_normal(&r);
            break;
        }
        case GL_DATA_SPIRAL: { /* k arms; as CS231n: radius 0..1, 4 radians per arm, angle jitter */
            label = i % k;
            int per = n / k + (label < n % k), j = i / k;
            float t = per > 1 ? (float)j / (float)(per - 1) : 0.0f;
            float angle = 4.0f * (label + t) + 2.0f * noise * gl_rng_normal(&r);
            x[0] = t * sinf(angle);
            x[1] = t * cosf(angle);
            break;
        }
        case GL_DATA_MOONS: { /* two interleaved half circles */
            label = i % 2;
            float t = PI * gl_rng_uniform(&r);
            float a = label ? 1.0f - cosf(t) : cosf(t), b = label ? 0.5f - sinf(t) : sinf(t);
            x[0] = 0.7f * (a - 0.5f) + noise * gl_rng_normal(&r);
            x[1] = 0.7f * (b - 0.25f) + noise * gl_rng_normal(&r);
            break;
        }
        case GL_DATA_CHECKERBOARD: { /* 4 x 4 squares of side 0.5 on [-1, 1]^2 */
            float a = gl_rng_uniform(&r) * 2 - 1, b = gl_rng_uniform(&r) * 2 - 1;
            label = ((int)floorf((a + 1) * 2) + (int)floorf((b + 1) * 2)) % 2;
            x[0] = a + noise * gl_rng_normal(&r);
            x[1] = b + noise * gl_rng_normal(&r);
            break;
        }
        case GL_DATA_PLANE: {
            x[0] = gl_rng_uniform(&r) * 2 - 1; x[1] = gl_rng_uniform(&r) * 2 - 1;
            d->yf[i] = (x[0] + 2 * x[1]) / 3 + noise * gl_rng_normal(&r);
            break;
        }
        case GL_DATA_DIGITS:
        case GL_DATA_SHAPES:
            label = i % k;
            gl_glyph_draw(x, size, kind == GL_DATA_DIGITS ? GL_GLYPH_DIGITS : GL_GLYPH_SHAPES, label, noise, &r);
            break;
        case GL_DATA_SINE: {
            x[0] = gl_rng_uniform(&r) * 2 - 1;
            d->yf[i] = sinf(PI * x[0]) + noise * gl_rng_normal(&r);
            break;
        }
        }
        if (d->yi) d->yi[i] = label;
    }
    if (!shuffle_split(d, n, test_fraction, &r)) { gl_dataset_free(d); return 0; }
    return d;
}

gl_dataset *gl_dataset_from(const float *x, const int32_t *yi, const float *yf, int n, int inputs,
                            int outputs, int classes, float test_fraction, uint32_t seed) {
    gl_dataset *d = alloc_set(n, inputs, yi ? 1 : outputs, yi ? classes : 0);
    if (!d) return 0;
    memcpy(d->x, x, sizeof(float) * (size_t)n * inputs);
    if (yi) memcpy(d->yi, yi, sizeof(int32_t) * (size_t)n);
    else memcpy(d->yf, yf, sizeof(float) * (size_t)n * outputs);
    if (test_fraction > 0) {
        gl_rng r;
        gl_rng_seed(&r, seed, GL_STREAM_DATA);
        if (!shuffle_split(d, n, test_fraction, &r)) { gl_dataset_free(d); return 0; }
    } else {
        d->n_train = n; d->n_test = 0;
    }
    return d;
}
