/* hessian.h: the sharpness of the training loss, the largest eigenvalue of its Hessian with respect
 * to every parameter, by power iteration on Hessian-vector products (the method of PyHessian, Yao et
 * al. 2020). Each product is a central difference of two gradients,
 *   H v ~ (g(w + eps v) - g(w - eps v)) / (2 eps),  |v| = 1,  eps = GL_HVP_STEP max(1, |w|),
 * whose error is O(eps^2) from the third derivative plus O(float32 rounding / eps) from the
 * gradients: GL_HVP_STEP = 2^-8 (about the cube root of float32's epsilon, 1.19e-7^(1/3) = 4.9e-3)
 * balances the two. The loss is the mean data loss over the rows in training mode (batch norm with
 * the rows' own statistics), with one dropout mask drawn once and held fixed, without penalties. */
#ifndef GL_HESSIAN_H
#define GL_HESSIAN_H
#include "network.h"

#define GL_HVP_STEP 0.00390625f

typedef struct {
    float lambda_max;  /* the largest eigenvalue */
    float dominant;    /* the eigenvalue of largest magnitude (differs when that one is negative) */
    float residual;    /* |H v - lambda v| / |dominant| of the final unit vector v (|dominant| = |lambda_max|
                        * unless the eigenvalue of largest magnitude is negative) */
    float step;        /* eps of the central differences */
    float loss;        /* the loss at the current weights */
    int iterations;    /* Hessian-vector products used */
    int converged;     /* residual <= tolerance: v is an eigenvector to that accuracy (not a proof that its
                        * eigenvalue is the largest: a start vector orthogonal to the top one never finds it) */
} gl_sharpness;

/* Power iteration from a seeded random vector, at most `iterations` products in all. When the
 * eigenvalue of largest magnitude is negative, a second run on H - dominant I finds the largest.
 * Overwrites n->params (restored to w at the end), n->grads, the batch-norm arena and the dropout
 * stream: call it inside a snapshot (snapshot.h). 0 = no memory; out->loss not finite = the loss
 * at w is not finite (nothing else computed). */
int gl_hessian_sharpness(gl_net *n, const float *x, const int32_t *yi, const float *yf, int rows, int iterations,
                         float tolerance, uint32_t seed, gl_sharpness *out);
#endif
