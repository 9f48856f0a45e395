/* glyphs.h: small grey images drawn in code: the ten digits and four shapes, each as strokes in a
 * unit square, rendered with a random shift, scale, rotation and stroke width plus pixel noise. */
#ifndef GL_GLYPHS_H
#define GL_GLYPHS_H
#include "rng.h"

enum { GL_GLYPH_DIGITS = 0, GL_GLYPH_SHAPES = 1 };

int gl_glyph_classes(int set);
/* draws glyph `label` of `set` into img (size x size, values in [0, 1] before noise) */
void gl_glyph_draw(float *img, int size, int set, int label, float noise, gl_rng *r);
#endif
