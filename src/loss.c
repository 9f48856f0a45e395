#include "loss.h"
#include "activation.h"
#include <math.h>

static int argmax(const float *v, int n) {
    int best = 0;
    for (int j = 1; j < n; ++j) if (v[j] > v[best]) best = j;
    return best;
}

static float target(const int32_t *yi, const float *yf, int b, int j, int K) {
    if (yf) return yf[(long)b * K + j];
    return K == 1 ? (float)yi[b] : (yi[b] == j ? 1.0f : 0.0f);
}

float gl_loss(int loss, int act, float slope, const float *z, const float *a, int B, int K,
              const int32_t *yi, const float *yf, float *dz, int *correct) {
    double total = 0.0;
    int right = 0;
    float invB = 1.0f / (float)B;
    for (int b = 0; b < B; ++b) {
        const float *zb = z + (long)b * K, *ab = a + (long)b * K;
        float *db = dz ? dz + (long)b * K : 0;
        if (loss == GL_LOSS_CROSS_ENTROPY) {
            /* -log softmax(z)_y = logsumexp(z) - z_y, computed stably from z */
            float m = zb[0];
            for (int j = 1; j < K; ++j) m = zb[j] > m ? zb[j] : m;
            double s = 0.0;
            for (int j = 0; j < K; ++j) s += exp((double)(zb[j] - m));
            total += (double)m + log(s) - (double)zb[yi[b]];
            if (db) for (int j = 0; j < K; ++j) db[j] = (ab[j] - (j == yi[b] ? 1.0f : 0.0f)) * invB;
        } else if (loss == GL_LOSS_BINARY_CROSS_ENTROPY) {
            /* -[t log s(z) + (1-t) log(1-s(z))] = max(z,0) - z t + log(1 + e^-|z|) */
            for (int j = 0; j < K; ++j) {
                float t = target(yi, yf, b, j, K), zz = zb[j];
                total += (double)(zz > 0 ? zz : 0) - (double)zz * t + log1p(exp(-fabs((double)zz)));
                if (db) db[j] = (ab[j] - t) * invB;
            }
        } else { /* MSE */
            float scale = 2.0f / ((float)B * (float)K);
            for (int j = 0; j < K; ++j) {
                float d = ab[j] - target(yi, yf, b, j, K);
                total += (double)d * d / K;
                if (db) db[j] = scale * d;
            }
            if (db) gl_activation_backward(db, db, zb, ab, K, act, slope);
        }
        if (yi) {
            int guess = K == 1 ? (ab[0] > (act == GL_ACT_TANH ? 0.0f : 0.5f)) : argmax(zb, K);
            right += guess == yi[b];
        }
    }
    if (correct) *correct = right;
    return (float)(total / B);
}
