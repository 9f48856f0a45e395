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
    return gl_net_create(3, 2, layers, loss, GL_DROPOUT_INVERTED, seed);
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
    gl_net *n = gl_net_create(3, 4, deep, GL_LOSS_CROSS_ENTROPY, GL_DROPOUT_INVERTED, 5);
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
        gl_net *bn = gl_net_create(3, 3, layers, GL_LOSS_CROSS_ENTROPY, variant & 1 ? GL_DROPOUT_CLASSIC : GL_DROPOUT_INVERTED, 8);
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
    return check_summary("test_gradients");
}
