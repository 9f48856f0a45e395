#include "landscape.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void gl_landscape_random_direction(const gl_net *n, gl_rng *r, float *d) {
    memset(d, 0, sizeof(float) * (size_t)n->n_params);
    for (int l = 0; l < n->n_layers; ++l) {
        const gl_layer *L = &n->layer[l];
        long count = L->b_off - L->w_off;
        if (!count) continue; /* pool, flatten */
        int cols = gl_layer_channels(L); /* units of a dense layer, filters of a conv layer */
        long rows = count / cols;
        const float *w = n->params + L->w_off;
        float *dl = d + L->w_off;
        for (long i = 0; i < count; ++i) dl[i] = gl_rng_normal(r);
        for (int j = 0; j < cols; ++j) {
            double wsq = 0, dsq = 0;
            for (long i = 0; i < rows; ++i) {
                wsq += (double)w[i * cols + j] * w[i * cols + j];
                dsq += (double)dl[i * cols + j] * dl[i * cols + j];
            }
            float scale = dsq > 0 ? (float)(sqrt(wsq) / sqrt(dsq)) : 0.0f;
            for (long i = 0; i < rows; ++i) dl[i * cols + j] *= scale;
        }
    }
}

/* eigenvalues (descending) and eigenvectors (columns of v) of the symmetric k x k matrix a, by
 * cyclic Jacobi rotations; a is destroyed */
static void symmetric_eigen(double *a, int k, double *values, double *v) {
    for (int i = 0; i < k; ++i) for (int j = 0; j < k; ++j) v[i * k + j] = i == j;
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0, total = 0;
        for (int i = 0; i < k; ++i) for (int j = 0; j < k; ++j) {
            total += a[i * k + j] * a[i * k + j];
            if (i != j) off += a[i * k + j] * a[i * k + j];
        }
        if (off <= 1e-30 * total || off == 0) break;
        for (int p = 0; p < k; ++p) for (int q = p + 1; q < k; ++q) {
            double apq = a[p * k + q];
            if (apq == 0) continue;
            double theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
            double t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
            double c = 1 / sqrt(t * t + 1), s = t * c;
            for (int i = 0; i < k; ++i) { /* columns p and q */
                double aip = a[i * k + p], aiq = a[i * k + q];
                a[i * k + p] = c * aip - s * aiq; a[i * k + q] = s * aip + c * aiq;
            }
            for (int j = 0; j < k; ++j) { /* rows p and q */
                double apj = a[p * k + j], aqj = a[q * k + j];
                a[p * k + j] = c * apj - s * aqj; a[q * k + j] = s * apj + c * aqj;
            }
            for (int i = 0; i < k; ++i) {
                double vip = v[i * k + p], viq = v[i * k + q];
                v[i * k + p] = c * vip - s * viq; v[i * k + q] = s * vip + c * viq;
            }
        }
    }
    for (int i = 0; i < k; ++i) values[i] = a[i * k + i];
    for (int i = 0; i < k; ++i) { /* selection sort, descending, moving eigenvector columns along */
        int best = i;
        for (int j = i + 1; j < k; ++j) if (values[j] > values[best]) best = j;
        if (best == i) continue;
        double t = values[i]; values[i] = values[best]; values[best] = t;
        for (int r = 0; r < k; ++r) { t = v[r * k + i]; v[r * k + i] = v[r * k + best]; v[r * k + best] = t; }
    }
}

int gl_landscape_trajectory_directions(const gl_trajectory *t, const float *w, float *d1, float *d2, float *coords,
                                       double *explained) {
    int k = t->count;
    long P = t->params;
    if (k < 2) return 0;
    double *mean = calloc((size_t)P, sizeof(double));
    double *gram = calloc((size_t)k * k, sizeof(double));
    double *vec = malloc(sizeof(double) * (size_t)k * k), *values = malloc(sizeof(double) * (size_t)k);
    if (!mean || !gram || !vec || !values) { free(mean); free(gram); free(vec); free(values); return -1; }
    for (int a = 0; a < k; ++a) {
        const float *wa = t->weights + (long)a * P;
        for (long i = 0; i < P; ++i) mean[i] += ((double)wa[i] - w[i]) / k;
    }
    /* the Gram matrix of the centred offsets: k x k, however many parameters */
    for (int a = 0; a < k; ++a) for (int b = a; b < k; ++b) {
        const float *wa = t->weights + (long)a * P, *wb = t->weights + (long)b * P;
        double s = 0;
        for (long i = 0; i < P; ++i) s += ((double)wa[i] - w[i] - mean[i]) * ((double)wb[i] - w[i] - mean[i]);
        gram[a * k + b] = gram[b * k + a] = s;
    }
    symmetric_eigen(gram, k, values, vec);
    double total = 0;
    for (int a = 0; a < k; ++a) total += values[a] > 0 ? values[a] : 0;
    int ok = k >= 2 && values[1] > 1e-12 * values[0] && values[1] > 0;
    if (ok) {
        float *d[2] = {d1, d2};
        for (int c = 0; c < 2; ++c) {
            /* principal direction c = sum_a vec[a][c] (offset_a - mean) / sqrt(value_c), a unit vector */
            double scale = 1 / sqrt(values[c]), sq = 0;
            for (long i = 0; i < P; ++i) {
                double s = 0;
                for (int a = 0; a < k; ++a) s += vec[a * k + c] * ((double)t->weights[(long)a * P + i] - w[i] - mean[i]);
                d[c][i] = (float)(s * scale);
                sq += (double)d[c][i] * d[c][i];
            }
            float fix = (float)(1 / sqrt(sq)); /* unit length once rounded to float, to about 1e-7 */
            for (long i = 0; i < P; ++i) d[c][i] *= fix;
            explained[c] = total > 0 ? values[c] / total : 0;
        }
        for (int a = 0; a < k; ++a) {
            const float *wa = t->weights + (long)a * P;
            double x = 0, y = 0;
            for (long i = 0; i < P; ++i) { double o = (double)wa[i] - w[i]; x += o * d1[i]; y += o * d2[i]; }
            coords[2 * a] = (float)x; coords[2 * a + 1] = (float)y;
        }
    }
    free(mean); free(gram); free(vec); free(values);
    return ok;
}

void gl_landscape_grid(gl_net *n, const gl_dataset *d, const float *w0, const float *d1, const float *d2,
                       const float *alpha, const float *beta, int res, float *values) {
    long P = n->n_params;
    float *w = n->params, accuracy;
    for (int i = 0; i < res; ++i) {
        float b = beta[i];
        for (int j = 0; j < res; ++j) {
            float a = alpha[j];
            for (long k = 0; k < P; ++k) w[k] = w0[k] + a * d1[k] + b * d2[k];
            gl_net_evaluate(n, d, 0, &values[(long)i * res + j], &accuracy);
        }
    }
}
