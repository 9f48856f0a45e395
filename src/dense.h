/* dense.h: a fully connected layer, forward and backward side by side.
 * W is (in,out) row-major, so a row of X times W gives a row of Z. */
#ifndef GL_DENSE_H
#define GL_DENSE_H

/* z(B,out) = x(B,in) . W(in,out) + b(out); b and db may be NULL for a layer without biases */
void gl_dense_forward(float *z, const float *x, const float *W, const float *b, int B, int in, int out);
/* dW(in,out) = x^T . dz, db(out) = column sums of dz (both overwritten: each layer's gradient has
 * one writer, so nothing zeroes them first), and, unless dx is NULL, dx(B,in) = dz(B,out) . W^T.
 * Returns 1 when every entry of dW is finite (0 otherwise). */
int gl_dense_backward(float *dx, float *dW, float *db, const float *dz, const float *x,
                       const float *W, int B, int in, int out);

/* The same with the activation fused in, each tile finished while it is in cache:
 * forward: z = x . W + b and a(B,out) = f(z) by activation act (activation.h);
 * backward: as gl_dense_backward, but dx = (dz . W^T) * f'(x_z, x) for the layer below, whose
 * preactivations x_z and activations x (both (B,in)) produced this layer's input. */
void gl_dense_forward_act(float *z, float *a, const float *x, const float *W, const float *b, int B, int in,
                          int out, int act, float slope);
int gl_dense_backward_act(float *dx, float *dW, float *db, const float *dz, const float *x,
                           const float *x_z, const float *W, int B, int in, int out, int act, float slope);
#endif
