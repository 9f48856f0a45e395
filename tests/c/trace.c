/* trace: prints a training run's loss every 10 steps for 200 steps, for comparing the native build with the
 * wasm builds (tests/js/builds.test.mjs): the CS231n spiral, 2-100-3, SGD 1.0, L2 1e-3. */
#include "dataset.h"
#include "network.h"
#include <stdio.h>

int main(void) {
    gl_dataset *d = gl_dataset_generate(GL_DATA_SPIRAL, 300, 3, 0.1f, 0.0f, 1);
    gl_layer layers[2] = {{0}};
    layers[0].out = 100; layers[0].act = GL_ACT_RELU;
    layers[0].init.kind = GL_INIT_NORMAL; layers[0].init.p0 = 0.01f; layers[0].l2_scale = 1;
    layers[1].out = 3; layers[1].act = GL_ACT_SOFTMAX;
    layers[1].init.kind = GL_INIT_NORMAL; layers[1].init.p0 = 0.01f; layers[1].l2_scale = 1;
    gl_net *n = gl_net_create(2, 2, layers, GL_LOSS_CROSS_ENTROPY, GL_DROPOUT_INVERTED, 7);
    gl_optimizer o = {0};
    gl_schedule s = {0};
    o.kind = GL_OPT_SGD; o.learning_rate = 1.0f; o.l2 = 1e-3f;
    gl_net_set_optimizer(n, &o, &s);
    gl_net_prepare(n, d, 1, 0);
    printf("[");
    for (int i = 0; i < 20; ++i) {
        gl_train_result r;
        gl_net_train(n, d, 10, 0, &r);
        printf("%s%.9g", i ? "," : "", r.loss);
    }
    printf("]\n");
    gl_net_free(n);
    gl_dataset_free(d);
    return 0;
}
