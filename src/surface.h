/* surface.h: 2-D loss surfaces for optimiser races, their values and gradients. */
#ifndef GL_SURFACE_H
#define GL_SURFACE_H
#include "gradlab.h"

/* the surfaces (GL_SURF_*, named in gradlab.h):
 * bowl 0.5 (x^2 + 25 y^2): a ravine, condition number 25; saddle x^2 - y^2;
 * rosenbrock (1 - x)^2 + 100 (y - x^2)^2, minimum at (1, 1);
 * beale (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2, minimum at (3, 0.5);
 * himmelblau (x^2 + y - 11)^2 + (x + y^2 - 7)^2, four minima */

/* f(x, y); writes the gradient into g[0..1] unless g is NULL */
float gl_surface(int kind, float x, float y, float *g);
#endif
