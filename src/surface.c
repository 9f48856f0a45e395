#include "surface.h"

float gl_surface(int kind, float x, float y, float *g) {
    double X = x, Y = y, f = 0, gx = 0, gy = 0;
    switch (kind) {
    case GL_SURF_BOWL:
        f = 0.5 * (X * X + 25 * Y * Y); gx = X; gy = 25 * Y;
        break;
    case GL_SURF_SADDLE:
        f = X * X - Y * Y; gx = 2 * X; gy = -2 * Y;
        break;
    case GL_SURF_ROSENBROCK: {
        double a = 1 - X, b = Y - X * X;
        f = a * a + 100 * b * b; gx = -2 * a - 400 * X * b; gy = 200 * b;
        break;
    }
    case GL_SURF_BEALE: {
        double t1 = 1.5 - X + X * Y, t2 = 2.25 - X + X * Y * Y, t3 = 2.625 - X + X * Y * Y * Y;
        f = t1 * t1 + t2 * t2 + t3 * t3;
        gx = 2 * t1 * (Y - 1) + 2 * t2 * (Y * Y - 1) + 2 * t3 * (Y * Y * Y - 1);
        gy = 2 * t1 * X + 2 * t2 * 2 * X * Y + 2 * t3 * 3 * X * Y * Y;
        break;
    }
    case GL_SURF_HIMMELBLAU: {
        double a = X * X + Y - 11, b = X + Y * Y - 7;
        f = a * a + b * b; gx = 4 * X * a + 2 * b; gy = 2 * a + 4 * Y * b;
        break;
    }
    }
    if (g) { g[0] = (float)gx; g[1] = (float)gy; }
    return (float)f;
}
