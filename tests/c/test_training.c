/* Training end to end: the SGD and L2 update by hand, the CS231n spiral, and determinism. */
#include "check.h"
#include "dataset.h"
#include "network.h"
#include <string.h>

static gl_net *spiral_net(uint32_t seed) {
    gl_layer layers[2] = {{0}};
    layers[0].out = 100; layers[0].act = GL_ACT_RELU;
    layers[0].init.kind = GL_INIT_NORMAL; layers[0].init.p0 = 0.01f;
    layers[0].l1_scale = layers[0].l2_scale = 1;
    layers[1].out = 3; layers[1].act = GL_ACT_SOFTMAX;
    layers[1].init.kind = GL_INIT_NORMAL; layers[1].init.p0 = 0.01f;
    layers[1].l1_scale = layers[1].l2_scale = 1;
    return gl_net_create(2, 2, layers, GL_LOSS_CROSS_ENTROPY, GL_DROPOUT_INVERTED, seed);
}

static void set_sgd(gl_net *n, float lr, float l2) {
    gl_optimizer o = {0};
    gl_schedule s = {0};
    o.kind = GL_OPT_SGD; o.learning_rate = lr; o.l2 = l2;
    gl_net_set_optimizer(n, &o, &s);
}

static void sgd_by_hand(void) {
    /* one linear unit, MSE: w' = w - lr * (dL/dw + l2 * w), b' = b - lr * dL/db (no L2 on b) */
    gl_layer layer = {0};
    layer.out = 1; layer.act = GL_ACT_LINEAR; layer.init.kind = GL_INIT_CONSTANT; layer.init.p0 = 0.5f;
    layer.l2_scale = 1;
    gl_net *n = gl_net_create(2, 1, &layer, GL_LOSS_MSE, GL_DROPOUT_INVERTED, 1);
    float x[4] = {1, 2, -1, 3};
    float y[2] = {1, -2};
    gl_dataset *d = gl_dataset_from(x, 0, y, 2, 2, 1, 0, 0, 0);
    set_sgd(n, 0.1f, 0.01f);
    gl_net_prepare(n, d, 1, 0);
    gl_train_result r;
    gl_net_train(n, d, 1, 0, &r);
    /* predictions 1.5 and 1.0; errors 0.5 and 3.0; L = mean(e^2) = 4.625;
     * dL/dw = 2/2 * (0.5*[1,2] + 3*[-1,3]) = [-2.5, 10]; dL/db = 3.5;
     * penalty 0.5 * 0.01 * (0.25 + 0.25) = 0.0025 */
    CHECK_CLOSE(r.loss, 4.625, 1e-6, "loss");
    CHECK_CLOSE(r.reg_loss, 0.0025, 1e-7, "L2 penalty");
    CHECK_CLOSE(n->params[0], 0.5 - 0.1 * (-2.5 + 0.005), 1e-6, "w0 after one step");
    CHECK_CLOSE(n->params[1], 0.5 - 0.1 * (10 + 0.005), 1e-6, "w1 after one step");
    CHECK_CLOSE(n->params[2], 0.0 - 0.1 * 3.5, 1e-6, "bias after one step (no L2)");
    gl_dataset_free(d);
    gl_net_free(n);
}

static void spiral(void) {
    gl_dataset *d = gl_dataset_generate(GL_DATA_SPIRAL, 300, 3, 0.1f, 0.0f, 1);
    gl_net *n = spiral_net(7);
    set_sgd(n, 1.0f, 1e-3f);
    gl_net_prepare(n, d, 1, 0);
    gl_train_result r;
    gl_net_train(n, d, 10000, 0, &r);
    float loss, acc;
    gl_net_evaluate(n, d, 0, &loss, &acc);
    printf("spiral: loss %.4f penalty %.4f training accuracy %.4f after 10000 steps\n", r.loss, r.reg_loss, acc);
    CHECK(acc >= 0.98f, "spiral training accuracy %.4f >= 0.98", acc);
    gl_net_free(n);
    gl_dataset_free(d);
}

static void determinism(void) {
    float losses[2][50];
    for (int run = 0; run < 2; ++run) {
        gl_dataset *d = gl_dataset_generate(GL_DATA_MOONS, 200, 2, 0.1f, 0.2f, 3);
        gl_layer layers[2] = {{0}};
        layers[0].out = 16; layers[0].act = GL_ACT_TANH; layers[0].init.kind = GL_INIT_XAVIER;
        layers[1].out = 2; layers[1].act = GL_ACT_SOFTMAX; layers[1].init.kind = GL_INIT_XAVIER;
        gl_net *n = gl_net_create(2, 2, layers, GL_LOSS_CROSS_ENTROPY, GL_DROPOUT_INVERTED, 11);
        set_sgd(n, 0.5f, 0);
        gl_net_prepare(n, d, 1, 16);
        for (int i = 0; i < 50; ++i) {
            gl_train_result r;
            gl_net_train(n, d, 7, 16, &r);
            losses[run][i] = r.loss;
        }
        gl_net_free(n);
        gl_dataset_free(d);
    }
    CHECK(memcmp(losses[0], losses[1], sizeof losses[0]) == 0, "two runs with one seed differ");
}

int main(void) {
    sgd_by_hand();
    spiral();
    determinism();
    return check_summary("test_training");
}
