/* init.h: weight initialisations. fan_in and fan_out are the layer's inputs and outputs. */
#ifndef GL_INIT_H
#define GL_INIT_H
#include "gradlab.h"
#include "rng.h"

/* the kinds (GL_INIT_*) are named in gradlab.h */

typedef struct { int kind; float p0, p1; } gl_init; /* p0, p1: value | std | a, b | gain */

/* Fills W (rows, cols) for a layer with the given fans (dense: rows = fan_in, cols = fan_out;
 * convolution: rows = k*k*channels = fan_in, cols = filters, fan_out = k*k*filters).
 * work: rows*cols floats of scratch (orthogonal only).
 *   zeros 0; constant p0; normal N(0, p0^2); uniform U(p0, p1);
 *   xavier N(0, 1/fan_in); glorot-normal N(0, 2/(fan_in+fan_out));
 *   glorot-uniform U(+-sqrt(6/(fan_in+fan_out))); he-normal N(0, 2/fan_in);
 *   he-uniform U(+-sqrt(6/fan_in)); lecun-uniform U(+-sqrt(3/fan_in));
 *   orthogonal: p0 times a matrix with orthonormal rows or columns (Gram-Schmidt of a Gaussian one). */
void gl_init_fill(float *W, int rows, int cols, int fan_in, int fan_out, const gl_init *init, gl_rng *r,
                  float *work);
#endif
