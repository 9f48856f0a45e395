/* Every activation and loss: the analytic gradient of the backward pass against central finite
 * differences of the loss, for every parameter of a small two-layer network. */
#include "check.h"
#include "activation.h"
#include "loss.h"
#include "network.h"
#include <stdlib.h>

/* The largest |analytic - numeric| / max(|analytic| + |numeric|, 1e-2) over all parameters.
 * Computed in float32, so eps = 1e-2 keeps the rounding error of the difference small; inputs and
 * weights are chosen away from ReLU's kink (see below). */
static double gradient_error(gl_net *n, const float *x, const int32_t *yi, const float *yf, int rows) {
    gl_net_reserve(n, rows);
    /* every pass draws the same dropout masks: the generator restarts from one state */
    const gl_rng masks = n->rng_dropout;
    gl_net_loss_grad(n, x, yi, yf, rows, 1, 0);
    float *analytic = malloc(sizeof(float) * n->n_params);
    for (long i = 0; i < n->n_params; ++i) analytic[i] = n->grads[i];
    double worst = 0;
    const float eps = 1e-2f;
    for (long i = 0; i < n->n_params; ++i) {
        float keep = n->params[i];
        n->params[i] = keep + eps;
        n->rng_dropout = masks;
        double up = gl_net_loss_grad(n, x, yi, yf, rows, 0, 0);
        n->params[i] = keep - eps;
        n->rng_dropout = masks;
        double down = gl_net_loss_grad(n, x, yi, yf, rows, 0, 0);
        n->params[i] = keep;
        double numeric = (up - down) / (2.0 * eps);
        double denom = fabs(analytic[i]) + fabs(numeric);
        double err = fabs(analytic[i] - numeric) / (denom > 1e-2 ? denom : 1e-2);
        if (err > worst) worst = err;
    }
    free(analytic);
    return worst;
}

static gl_net *make(int hidden_act, int out_act, int K, int loss, uint32_t seed) {
    gl_layer layers[2] = {{0}};
    layers[0].out = 5; layers[0].act = hidden_act; layers[0].slope = 0.1f;
    layers[0].init.kind = GL_INIT_NORMAL; layers[0].init.p0 = 0.8f;
    layers[1].out = K; layers[1].act = out_act;
    layers[1].init.kind = GL_INIT_NORMAL; layers[1].init.p0 = 0.8f;
    return gl_net_create(3, NULL, 2, layers, loss, GL_DROPOUT_INVERTED, seed);
}

int main(void) {
    enum { ROWS = 6 };
    float x[ROWS * 3];
    gl_rng r;
    gl_rng_seed(&r, 42, 9);
    for (int i = 0; i < ROWS * 3; ++i) x[i] = gl_rng_normal(&r);
    int32_t classes[ROWS] = {0, 1, 2, 1, 0, 2}, binary[ROWS] = {0, 1, 1, 0, 1, 0};
    float targets[ROWS * 3];
    for (int i = 0; i < ROWS * 3; ++i) targets[i] = gl_rng_normal(&r);
    const char *names[] = {"linear", "relu", "leaky-relu", "tanh", "sigmoid"};
    const double tol = 2e-2;
    for (int act = GL_ACT_LINEAR; act <= GL_ACT_SIGMOID; ++act) {
        /* hidden activation `act` under each loss */
        gl_net *ce = make(act, GL_ACT_SOFTMAX, 3, GL_LOSS_CROSS_ENTROPY, 1);
        double e = gradient_error(ce, x, classes, 0, ROWS);
        CHECK(e < tol, "softmax cross-entropy, hidden %s: relative error %g", names[act], e);
        gl_net *bce = make(act, GL_ACT_SIGMOID, 1, GL_LOSS_BINARY_CROSS_ENTROPY, 2);
        e = gradient_error(bce, x, binary, 0, ROWS);
        CHECK(e < tol, "binary cross-entropy, hidden %s: relative error %g", names[act], e);
        /* MSE with `act` also on the output layer */
        gl_net *mse = make(act, act, 3, GL_LOSS_MSE, 3);
        e = gradient_error(mse, x, 0, targets, ROWS);
        CHECK(e < tol, "mse, hidden and output %s: relative error %g", names[act], e);
        gl_net *onehot = make(act, GL_ACT_LINEAR, 3, GL_LOSS_MSE, 4);
        e = gradient_error(onehot, x, classes, 0, ROWS);
        CHECK(e < tol, "mse against one-hot classes, hidden %s: relative error %g", names[act], e);
        printf("hidden %-10s checked under cross-entropy, binary cross-entropy and MSE\n", names[act]);
        gl_net_free(ce); gl_net_free(bce); gl_net_free(mse); gl_net_free(onehot);
    }
    /* a deeper stack exercises the input gradient of every layer */
    gl_layer deep[4] = {{0}};
    int acts[4] = {GL_ACT_TANH, GL_ACT_SIGMOID, GL_ACT_LEAKY_RELU, GL_ACT_SOFTMAX};
    for (int l = 0; l < 4; ++l) {
        deep[l].out = l == 3 ? 3 : 4; deep[l].act = acts[l]; deep[l].slope = 0.2f;
        deep[l].init.kind = GL_INIT_XAVIER;
    }
    gl_net *n = gl_net_create(3, NULL, 4, deep, GL_LOSS_CROSS_ENTROPY, GL_DROPOUT_INVERTED, 5);
    double e = gradient_error(n, x, classes, 0, ROWS);
    CHECK(e < tol, "4-layer network: relative error %g", e);
    gl_net_free(n);
    /* batch norm before and after the activation, and dropout in both modes: every parameter,
     * gamma and beta included, against finite differences with the masks held fixed */
    for (int variant = 0; variant < 4; ++variant) {
        gl_layer layers[3] = {{0}};
        for (int l = 0; l < 3; ++l) {
            layers[l].out = l == 2 ? 3 : 5; layers[l].act = l == 2 ? GL_ACT_SOFTMAX : GL_ACT_TANH;
            layers[l].init.kind = GL_INIT_NORMAL; layers[l].init.p0 = 0.7f;
            layers[l].bn_momentum = 0.1f; layers[l].bn_eps = 1e-5f;
        }
        layers[0].bn = 1; layers[0].bn_after = variant & 1;
        layers[1].act = GL_ACT_SIGMOID; layers[1].bn = 1; layers[1].dropout = 0.3f;
        layers[2].bn = variant >= 2; /* batch norm on the output layer, before the softmax */
        layers[0].no_bias = variant == 2; /* bias: false, as batch norm before the activation suggests */
        layers[1].no_bias = variant == 3; /* and without batch norm right after it */
        gl_net *bn = gl_net_create(3, NULL, 3, layers, GL_LOSS_CROSS_ENTROPY, variant & 1 ? GL_DROPOUT_CLASSIC : GL_DROPOUT_INVERTED, 8);
        long want = 3 * 5 + 5 * 5 + 5 * 3 + 5 + 5 + 3 + 2 * 5 + 2 * 5 + (variant >= 2 ? 2 * 3 : 0) - (variant >= 2 ? 5 : 0);
        CHECK(bn->n_params == want, "batch norm variant %d: %ld parameters, want %ld", variant, bn->n_params, want);
        gl_rng_seed(&r, 3, 9);
        /* perturb gamma and beta away from 1 and 0 so their gradients are tested in general */
        for (int l = 0; l < 3; ++l) if (layers[l].bn)
            for (int j = 0; j < bn->layer[l].out; ++j) {
                bn->params[bn->layer[l].g_off + j] = 1.0f + 0.3f * gl_rng_normal(&r);
                bn->params[bn->layer[l].be_off + j] = 0.2f * gl_rng_normal(&r);
            }
        double e = gradient_error(bn, x, classes, 0, ROWS);
        printf("batch norm (after activation %d, output bn %d), dropout: max relative error %.2e\n", variant & 1, variant >= 2, e);
        CHECK(e < tol, "batch norm variant %d: relative error %g", variant, e);
        gl_net_free(bn);
    }
    /* convolutions (same and valid padding, strides 1 and 2, kernels 3 and 5), spatial batch norm,
     * average pooling and flatten, on 6 x 6 x 2 images. Max pooling is checked on its own below: inside
     * a network a perturbed weight can swap the largest value of a window (a kink). */
    for (int variant = 0; variant < 2; ++variant) {
        enum { IMG = 6 * 6 * 2 };
        float img[ROWS * IMG];
        gl_rng_seed(&r, 11 + variant, 9);
        for (int i = 0; i < ROWS * IMG; ++i) img[i] = gl_rng_normal(&r);
        gl_layer layers[5] = {{0}};
        for (int l = 0; l < 5; ++l) { layers[l].init.kind = GL_INIT_HE_NORMAL; layers[l].bn_momentum = 0.1f; layers[l].bn_eps = 1e-5f; }
        layers[0].type = GL_LAYER_CONV; layers[0].out = 3; layers[0].kernel = variant ? 5 : 3; layers[0].stride = 1;
        layers[0].same = 1; layers[0].act = GL_ACT_TANH; layers[0].bn = 1;
        layers[1].type = GL_LAYER_POOL; layers[1].pool_mode = GL_POOL_AVERAGE;
        layers[2].type = GL_LAYER_CONV; layers[2].out = 4; layers[2].kernel = 3; layers[2].stride = variant ? 1 : 2;
        layers[2].same = !variant; layers[2].act = GL_ACT_SIGMOID; layers[2].dropout = 0.2f;
        layers[0].no_bias = variant; layers[2].no_bias = !variant; /* conv without biases, with and without batch norm */
        layers[3].type = GL_LAYER_FLATTEN;
        layers[4].out = 3; layers[4].act = GL_ACT_SOFTMAX;
        int shape[3] = {6, 6, 2};
        gl_net *cn = gl_net_create(IMG, shape, 5, layers, GL_LOSS_CROSS_ENTROPY, GL_DROPOUT_INVERTED, 3);
        CHECK(cn->layer[2].geom.oh == (variant ? 1 : 2) && cn->layer[4].in == (variant ? 4 : 16),
              "shapes: conv 2 gives %d x %d, dense sees %d inputs", cn->layer[2].geom.oh, cn->layer[2].geom.ow, cn->layer[4].in);
        CHECK(cn->layer[0].b_off == cn->layer[0].w_off + (variant ? 5 : 3) * (variant ? 5 : 3) * 2 * 3 &&
              (cn->layer[0].g_off == cn->layer[0].b_off) == variant,
              "conv variant %d: the biases take %ld floats", variant, cn->layer[0].g_off - cn->layer[0].b_off);
        double e = gradient_error(cn, img, classes, 0, ROWS);
        printf("conv %dx%d then conv 3x3 stride %d %s, average pool, spatial batch norm, dropout: max relative error %.2e\n",
               variant ? 5 : 3, variant ? 5 : 3, variant ? 1 : 2, variant ? "valid" : "same", e);
        CHECK(e < tol, "convolution variant %d: relative error %g", variant, e);
        /* spatial batch norm: one mean and variance per channel over rows x height x width */
        gl_net_forward(cn, img, ROWS, 1);
        const float *out = gl_net_buf(cn, cn->layer[0].p_off);
        for (int ch = 0; ch < 3; ++ch) {
            double s1 = 0, s2 = 0;
            int count = ROWS * 36;
            for (int i = 0; i < count; ++i) s1 += out[i * 3 + ch];
            for (int i = 0; i < count; ++i) s2 += (out[i * 3 + ch] - s1 / count) * (out[i * 3 + ch] - s1 / count);
            CHECK(fabs(s1 / count) < 1e-5 && fabs(s2 / count - 1) < 1e-3, "channel %d: mean %g variance %g", ch, s1 / count, s2 / count);
        }
        gl_net_free(cn);
    }
    /* max pooling on inputs whose values are all at least 0.05 apart, so no window's winner changes
     * under a perturbation of 1e-3: loss = sum of pooled values times fixed weights */
    {
        enum { R = 2, H = 4, W = 6, C = 3, N = R * H * W * C, M = N / 4 };
        float x[N], y[M], idx[M], dy[M], dx[N];
        int32_t order[N];
        for (int i = 0; i < N; ++i) order[i] = i;
        gl_rng_seed(&r, 5, 9);
        gl_rng_shuffle(&r, order, N);
        for (int i = 0; i < N; ++i) x[i] = 0.05f * (float)order[i];
        for (int i = 0; i < M; ++i) dy[i] = gl_rng_normal(&r);
        gl_pool_forward(y, idx, x, R, H, W, C, GL_POOL_MAX);
        gl_pool_backward(dx, dy, idx, 0, R, H, W, C, GL_POOL_MAX);
        double worst = 0;
        for (int i = 0; i < N; ++i) {
            double f[2];
            for (int side = 0; side < 2; ++side) {
                float keep = x[i];
                x[i] = keep + (side ? -1e-3f : 1e-3f);
                gl_pool_forward(y, 0, x, R, H, W, C, GL_POOL_MAX);
                x[i] = keep;
                f[side] = 0;
                for (int j = 0; j < M; ++j) f[side] += (double)y[j] * dy[j];
            }
            double numeric = (f[0] - f[1]) / 2e-3, e = fabs(numeric - dx[i]);
            worst = e > worst ? e : worst;
        }
        printf("max pool: largest gradient error %.2e\n", worst);
        CHECK(worst < 1e-2, "max pool gradient error %g", worst);
    }
    return check_summary("test_gradients");
}
