#include "loss.h"
#include "activation.h"
#include "simd_math.h"
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

/* -log softmax(z)_y = logsumexp(z) - z_y, computed stably from z */
static double cross_entropy_row(const float *zb, int K, int y) {
    float m = zb[0];
    for (int j = 1; j < K; ++j) m = zb[j] > m ? zb[j] : m;
    double s = 0.0;
    for (int j = 0; j < K; ++j) s += exp((double)(zb[j] - m));
    return (double)m + log(s) - (double)zb[y];
}

double gl_loss_sum_ref(int loss, int act, float slope, const float *z, const float *a, int B, int K,
                       const int32_t *yi, const float *yf, float *dz, int *correct, double total) {
    int right = 0;
    float invB = 1.0f / (float)B;
    for (int b = 0; b < B; ++b) {
        const float *zb = z + (long)b * K, *ab = a + (long)b * K;
        float *db = dz ? dz + (long)b * K : 0;
        if (loss == GL_LOSS_CROSS_ENTROPY) {
            total += cross_entropy_row(zb, K, yi[b]);
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
    return total;
}

float gl_loss_ref(int loss, int act, float slope, const float *z, const float *a, int B, int K,
                  const int32_t *yi, const float *yf, float *dz, int *correct) {
    return (float)(gl_loss_sum_ref(loss, act, slope, z, a, B, K, yi, yf, dz, correct, 0.0) / B);
}

#ifdef GL_VEC4
/* the cross-entropy of rows b .. b + n - 1 (n = 1 .. 4), lane i holding row b + i (so a row's logits
 * are read one class at a time): m + ln(sum_j e^(z_j - m)) - z_y with the 4-lane exp and log. A group
 * of fewer than four rows repeats its last row in the spare lanes: the lanes do not mix, so each
 * row's loss is the same in whatever group, and whatever pass, it comes. */
GL_INLINE gl_v4 cross_entropy_v4(const float *z, int b, int n, int K, const int32_t *yi) {
    const float *r[4];
    int y[4];
    for (int i = 0; i < 4; ++i) { int row = b + (i < n ? i : n - 1); r[i] = z + (long)row * K; y[i] = yi[row]; }
    gl_v4 m = v4_set(r[0][0], r[1][0], r[2][0], r[3][0]);
    for (int j = 1; j < K; ++j) m = v4_max(m, v4_set(r[0][j], r[1][j], r[2][j], r[3][j]));
    gl_v4 s = v4_splat(0.0f);
    for (int j = 0; j < K; ++j) s = v4_add(s, gl_exp_v4(v4_sub(v4_set(r[0][j], r[1][j], r[2][j], r[3][j]), m)));
    gl_v4 zy = v4_set(r[0][y[0]], r[1][y[1]], r[2][y[2]], r[3][y[3]]);
    return v4_sub(v4_add(m, gl_log_v4(s)), zy);
}

/* gl_loss_sum_ref with the cross-entropy's exp and log four rows at a time; the other losses are the
 * reference's. Each row's loss is added to total on its own, in row order, as the reference adds them. */
double gl_loss_sum(int loss, int act, float slope, const float *z, const float *a, int B, int K,
                   const int32_t *yi, const float *yf, float *dz, int *correct, double total) {
    if (loss != GL_LOSS_CROSS_ENTROPY || K < 2)
        return gl_loss_sum_ref(loss, act, slope, z, a, B, K, yi, yf, dz, correct, total);
    for (int b = 0; b < B; b += 4) {
        int n = B - b < 4 ? B - b : 4;
        float l[4];
        v4_store(l, cross_entropy_v4(z, b, n, K, yi));
        for (int i = 0; i < n; ++i) total += l[i];
    }
    float invB = 1.0f / (float)B;
    int right = 0;
    if (dz) { /* (a - onehot) / B as the reference has it: a * invB, then the target entry of each row */
        long i = 0, n = (long)B * K;
        gl_v4 vinv = v4_splat(invB);
        for (; i + 4 <= n; i += 4) v4_store(dz + i, v4_mul(v4_load(a + i), vinv));
        for (; i < n; ++i) dz[i] = a[i] * invB;
        for (int b = 0; b < B; ++b) dz[(long)b * K + yi[b]] = (a[(long)b * K + yi[b]] - 1.0f) * invB;
    }
    for (int b = 0; b < B; ++b) right += argmax(z + (long)b * K, K) == yi[b];
    if (correct) *correct = right;
    return total;
}
#else
double gl_loss_sum(int loss, int act, float slope, const float *z, const float *a, int B, int K,
                   const int32_t *yi, const float *yf, float *dz, int *correct, double total) {
    return gl_loss_sum_ref(loss, act, slope, z, a, B, K, yi, yf, dz, correct, total);
}
#endif

float gl_loss(int loss, int act, float slope, const float *z, const float *a, int B, int K,
              const int32_t *yi, const float *yf, float *dz, int *correct) {
    return (float)(gl_loss_sum(loss, act, slope, z, a, B, K, yi, yf, dz, correct, 0.0) / B);
}
