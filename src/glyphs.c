#include "glyphs.h"
#include <math.h>

/* Strokes as polylines in a unit square (x right, y down); -1 ends a polyline, -2 ends the glyph. */
static const float DIGITS[10][40] = {
    {0.5f, 0.1f, 0.78f, 0.25f, 0.8f, 0.75f, 0.5f, 0.9f, 0.22f, 0.75f, 0.2f, 0.25f, 0.5f, 0.1f, -2},
    {0.35f, 0.25f, 0.55f, 0.1f, 0.55f, 0.9f, -1, 0.35f, 0.9f, 0.75f, 0.9f, -2},
    {0.22f, 0.28f, 0.4f, 0.1f, 0.65f, 0.1f, 0.78f, 0.3f, 0.7f, 0.5f, 0.22f, 0.9f, 0.8f, 0.9f, -2},
    {0.22f, 0.15f, 0.7f, 0.12f, 0.75f, 0.35f, 0.45f, 0.5f, 0.78f, 0.65f, 0.72f, 0.88f, 0.2f, 0.88f, -2},
    {0.6f, 0.1f, 0.2f, 0.65f, 0.82f, 0.65f, -1, 0.65f, 0.35f, 0.65f, 0.9f, -2},
    {0.78f, 0.1f, 0.28f, 0.1f, 0.25f, 0.45f, 0.6f, 0.42f, 0.78f, 0.62f, 0.65f, 0.88f, 0.22f, 0.88f, -2},
    {0.72f, 0.12f, 0.35f, 0.3f, 0.22f, 0.65f, 0.4f, 0.9f, 0.72f, 0.8f, 0.72f, 0.58f, 0.45f, 0.5f, 0.24f, 0.62f, -2},
    {0.2f, 0.12f, 0.8f, 0.12f, 0.42f, 0.9f, -2},
    {0.5f, 0.5f, 0.25f, 0.3f, 0.5f, 0.1f, 0.75f, 0.3f, 0.5f, 0.5f, 0.22f, 0.7f, 0.5f, 0.9f, 0.78f, 0.7f, 0.5f, 0.5f, -2},
    {0.76f, 0.4f, 0.55f, 0.5f, 0.28f, 0.38f, 0.35f, 0.12f, 0.62f, 0.1f, 0.76f, 0.3f, 0.72f, 0.65f, 0.4f, 0.9f, -2},
};
static const float SHAPES[4][40] = {
    {0.5f, 0.15f, 0.75f, 0.25f, 0.85f, 0.5f, 0.75f, 0.75f, 0.5f, 0.85f, 0.25f, 0.75f, 0.15f, 0.5f, 0.25f, 0.25f, 0.5f, 0.15f, -2},
    {0.2f, 0.2f, 0.8f, 0.2f, 0.8f, 0.8f, 0.2f, 0.8f, 0.2f, 0.2f, -2},
    {0.5f, 0.15f, 0.85f, 0.8f, 0.15f, 0.8f, 0.5f, 0.15f, -2},
    {0.2f, 0.2f, 0.8f, 0.8f, -1, 0.8f, 0.2f, 0.2f, 0.8f, -2},
};

int gl_glyph_classes(int set) { return set == GL_GLYPH_DIGITS ? 10 : 4; }

static float segment_distance(float px, float py, float ax, float ay, float bx, float by) {
    float dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    float t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    float ex = ax + t * dx - px, ey = ay + t * dy - py;
    return sqrtf(ex * ex + ey * ey);
}

void gl_glyph_draw(float *img, int size, int set, int label, float noise, gl_rng *r) {
    const float *strokes = set == GL_GLYPH_DIGITS ? DIGITS[label] : SHAPES[label];
    float angle = 0.35f * (gl_rng_uniform(r) - 0.5f);           /* about +-10 degrees */
    float scale = 0.8f + 0.25f * gl_rng_uniform(r);
    float sx = 0.12f * (gl_rng_uniform(r) - 0.5f), sy = 0.12f * (gl_rng_uniform(r) - 0.5f);
    float width = 0.06f + 0.05f * gl_rng_uniform(r);            /* half the stroke width */
    float c = cosf(angle), s = sinf(angle);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            /* the pixel centre in glyph coordinates: undo the shift, rotation and scale */
            float u = ((float)x + 0.5f) / (float)size - 0.5f - sx, v = ((float)y + 0.5f) / (float)size - 0.5f - sy;
            float gx = (c * u + s * v) / scale + 0.5f, gy = (-s * u + c * v) / scale + 0.5f;
            float best = 1e9f;
            for (int i = 0; strokes[i] != -2; ) {
                if (strokes[i] == -1) { ++i; continue; }
                if (strokes[i + 2] == -1 || strokes[i + 2] == -2) { i += 2; continue; }
                float d = segment_distance(gx, gy, strokes[i], strokes[i + 1], strokes[i + 2], strokes[i + 3]);
                best = d < best ? d : best;
                i += 2;
            }
            /* a soft edge one pixel wide */
            float edge = 1.0f / (float)size, value = (width + edge * 0.5f - best) / edge;
            value = value < 0 ? 0 : value > 1 ? 1 : value;
            img[y * size + x] = value + noise * gl_rng_normal(r);
        }
}
