/* conv.h: 2-D convolution and pooling over images stored row by row as (height, width, channels),
 * forward and backward side by side. A convolution is im2col (one row of k*k*C input values per
 * output position) followed by the dense layer's GEMM, so W is (k*k*C, filters) and the output is
 * again (height, width, channels) per example. */
#ifndef GL_CONV_H
#define GL_CONV_H
#include "gradlab.h"

typedef struct {
    int h, w, c;          /* input height, width, channels */
    int oh, ow, f;        /* output height, width, channels (filters) */
    int k, stride;        /* square kernel and stride */
    int pad_t, pad_l;     /* zero padding above and left; the rest of 'same' padding is below/right */
} gl_conv_geom;

/* the geometry of a convolution: same = 1 pads so that the output is ceil(size / stride) */
gl_conv_geom gl_conv_geometry(int h, int w, int c, int filters, int k, int stride, int same);

/* cols (rows*oh*ow, k*k*c) of input patches, zeros where the kernel overhangs the padding */
void gl_im2col(float *cols, const float *x, int rows, const gl_conv_geom *g);
/* dx (rows, h*w*c) += the patches' gradients dcols scattered back to the pixels they came from */
void gl_col2im(float *dx, const float *dcols, int rows, const gl_conv_geom *g);

/* z (rows, oh*ow*f) = im2col(x) . W + b; keeps cols for the backward pass */
void gl_conv_forward(float *z, float *cols, const float *x, const float *W, const float *b, int rows,
                     const gl_conv_geom *g);
/* the same, and a = f(z) by activation act (activation.h) as each tile of z is finished */
void gl_conv_forward_act(float *z, float *a, float *cols, const float *x, const float *W, const float *b, int rows,
                         const gl_conv_geom *g, int act, float slope);
/* dW = cols^T . dz, db = sums of dz per filter (both stored), and unless dx is NULL
 * dx = col2im(dz . W^T). dcols: rows*oh*ow*k*k*c floats of scratch. Returns 1 when dW is all finite. */
int gl_conv_backward(float *dx, float *dW, float *db, const float *dz, const float *cols, const float *W,
                      int rows, const gl_conv_geom *g, float *dcols);

/* the floats of one example's padded input (((oh - 1) stride + k) x ((ow - 1) stride + k) x c) up to
 * which the 4-lane im2col and col2im copy it into a buffer of that size (conv.c); larger inputs
 * take their slower path, one kernel row at a time in the image */
#define GL_CONV_PADDED_FLOATS 16384

/* the plain loops: the reference the 4-lane versions above and below are tested against (and the
 * kernels of builds without SIMD); the same values */
void gl_im2col_ref(float *cols, const float *x, int rows, const gl_conv_geom *g);
void gl_col2im_ref(float *dx, const float *dcols, int rows, const gl_conv_geom *g);

/* pool modes (GL_POOL_*) are named in gradlab.h */
/* 2x2 pooling with stride 2 of (rows, h, w, c) into (rows, h/2, w/2, c); max pooling records in
 * idx the index (within the example) of each window's largest input */
void gl_pool_forward(float *y, float *idx, const float *x, int rows, int h, int w, int c, int mode);
/* dx (rows, h*w*c) = the pooled gradient routed back (to the max, or shared evenly). Unless gate is
 * NULL (max pooling only), it holds the pooled outputs y and a window passes its gradient only
 * where y > 0: when x is a ReLU's output that is the ReLU's derivative too (x > 0 at the max
 * exactly when y > 0), so dx is then the gradient of the ReLU's input. */
void gl_pool_backward(float *dx, const float *dy, const float *idx, const float *gate, int rows, int h, int w, int c,
                      int mode);
void gl_pool_forward_ref(float *y, float *idx, const float *x, int rows, int h, int w, int c, int mode);
void gl_pool_backward_ref(float *dx, const float *dy, const float *idx, const float *gate, int rows, int h, int w,
                          int c, int mode);
#endif
