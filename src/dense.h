/* dense.h: a fully connected layer, forward and backward side by side.
 * W is (in,out) row-major, so a row of X times W gives a row of Z. */
#ifndef GL_DENSE_H
#define GL_DENSE_H

/* z(B,out) = x(B,in) . W(in,out) + b(out) */
void gl_dense_forward(float *z, const float *x, const float *W, const float *b, int B, int in, int out);
/* dW(in,out) += x^T . dz, db(out) += column sums of dz, and, unless dx is NULL,
 * dx(B,in) = dz(B,out) . W^T. work: in*out floats of scratch. */
void gl_dense_backward(float *dx, float *dW, float *db, const float *dz, const float *x,
                       const float *W, int B, int in, int out, float *work);
#endif
