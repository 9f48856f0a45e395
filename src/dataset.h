/* dataset.h: toy data sets made from a seed, and user data, split into train and test rows. */
#ifndef GL_DATASET_H
#define GL_DATASET_H
#include "gradlab.h"
#include <stdint.h>

/* the kinds (GL_DATA_*) are named in gradlab.h */

typedef struct gl_dataset {
    int inputs;     /* features per row */
    int shape[3];   /* a row read as (height, width, channels): (1, 1, inputs) unless an image */
    int outputs;    /* target values per row (regression), or 1 with class ids */
    int classes;    /* number of classes, 0 for regression */
    int n_train, n_test;
    float *x;       /* (n_train + n_test, inputs): train rows first */
    int32_t *yi;    /* class ids (n_train + n_test) or NULL */
    float *yf;      /* targets (n_train + n_test, outputs) or NULL */
} gl_dataset;

/* Generates a toy set; returns NULL when memory runs out. Arguments are checked by the caller.
 * size: the side of the images of 'digits' and 'shapes' (ignored by the others). */
gl_dataset *gl_dataset_generate(int kind, int samples, int classes, int size, float noise, float test_fraction,
                                uint32_t seed);
/* Copies user rows; yi or yf (not both). Rows are shuffled with seed before the split when
 * test_fraction > 0. */
gl_dataset *gl_dataset_from(const float *x, const int32_t *yi, const float *yf, int samples, int inputs,
                            int outputs, int classes, float test_fraction, uint32_t seed);
void gl_dataset_free(gl_dataset *d);
/* inputs and classes of a generated kind (classes 0 = regression; -1 = chosen by the caller) */
int gl_dataset_kind_inputs(int kind, int size);
int gl_dataset_kind_classes(int kind);
#endif
