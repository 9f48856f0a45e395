#include "conv.h"
#include "dense.h"
#include "gemm.h"
#include <string.h>

gl_conv_geom gl_conv_geometry(int h, int w, int c, int filters, int k, int stride, int same) {
    gl_conv_geom g = {h, w, c, 0, 0, filters, k, stride, 0, 0};
    if (same) {
        g.oh = (h + stride - 1) / stride;
        g.ow = (w + stride - 1) / stride;
        int ph = (g.oh - 1) * stride + k - h, pw = (g.ow - 1) * stride + k - w;
        g.pad_t = ph > 0 ? ph / 2 : 0;
        g.pad_l = pw > 0 ? pw / 2 : 0;
    } else {
        g.oh = h >= k ? (h - k) / stride + 1 : 0;
        g.ow = w >= k ? (w - k) / stride + 1 : 0;
    }
    return g;
}

void gl_im2col(float *cols, const float *x, int rows, const gl_conv_geom *g) {
    const int kc = g->k * g->c;
    float *out = cols;
    for (int r = 0; r < rows; ++r) {
        const float *img = x + (long)r * g->h * g->w * g->c;
        for (int oy = 0; oy < g->oh; ++oy)
            for (int ox = 0; ox < g->ow; ++ox) {
                for (int ky = 0; ky < g->k; ++ky) {
                    int y = oy * g->stride + ky - g->pad_t;
                    int x0 = ox * g->stride - g->pad_l;
                    if (y < 0 || y >= g->h) { memset(out, 0, sizeof(float) * kc); out += kc; continue; }
                    for (int kx = 0; kx < g->k; ++kx, out += g->c) {
                        int xx = x0 + kx;
                        if (xx < 0 || xx >= g->w) memset(out, 0, sizeof(float) * g->c);
                        else memcpy(out, img + ((long)y * g->w + xx) * g->c, sizeof(float) * g->c);
                    }
                }
            }
    }
}

void gl_col2im(float *dx, const float *dcols, int rows, const gl_conv_geom *g) {
    const float *in = dcols;
    for (int r = 0; r < rows; ++r) {
        float *img = dx + (long)r * g->h * g->w * g->c;
        for (int oy = 0; oy < g->oh; ++oy)
            for (int ox = 0; ox < g->ow; ++ox)
                for (int ky = 0; ky < g->k; ++ky) {
                    int y = oy * g->stride + ky - g->pad_t;
                    for (int kx = 0; kx < g->k; ++kx, in += g->c) {
                        int xx = ox * g->stride - g->pad_l + kx;
                        if (y < 0 || y >= g->h || xx < 0 || xx >= g->w) continue;
                        float *p = img + ((long)y * g->w + xx) * g->c;
                        for (int ch = 0; ch < g->c; ++ch) p[ch] += in[ch];
                    }
                }
    }
}

void gl_conv_forward(float *z, float *cols, const float *x, const float *W, const float *b, int rows,
                     const gl_conv_geom *g) {
    gl_im2col(cols, x, rows, g);
    gl_dense_forward(z, cols, W, b, rows * g->oh * g->ow, g->k * g->k * g->c, g->f);
}

int gl_conv_backward(float *dx, float *dW, float *db, const float *dz, const float *cols, const float *W,
                      int rows, const gl_conv_geom *g, float *dcols) {
    int positions = rows * g->oh * g->ow, kkc = g->k * g->k * g->c;
    int finite = gl_dense_backward(dx ? dcols : 0, dW, db, dz, cols, W, positions, kkc, g->f);
    if (dx) {
        memset(dx, 0, sizeof(float) * (size_t)rows * g->h * g->w * g->c);
        gl_col2im(dx, dcols, rows, g);
    }
    return finite;
}

void gl_pool_forward(float *y, float *idx, const float *x, int rows, int h, int w, int c, int mode) {
    int oh = h / 2, ow = w / 2;
    for (int r = 0; r < rows; ++r) {
        const float *img = x + (long)r * h * w * c;
        float *out = y + (long)r * oh * ow * c, *id = idx ? idx + (long)r * oh * ow * c : 0;
        for (int oy = 0; oy < oh; ++oy)
            for (int ox = 0; ox < ow; ++ox)
                for (int ch = 0; ch < c; ++ch) {
                    long at[4] = {((long)(2 * oy) * w + 2 * ox) * c + ch, ((long)(2 * oy) * w + 2 * ox + 1) * c + ch,
                                  ((long)(2 * oy + 1) * w + 2 * ox) * c + ch, ((long)(2 * oy + 1) * w + 2 * ox + 1) * c + ch};
                    long o = ((long)oy * ow + ox) * c + ch;
                    if (mode == GL_POOL_MAX) {
                        int best = 0;
                        for (int q = 1; q < 4; ++q) if (img[at[q]] > img[at[best]]) best = q;
                        out[o] = img[at[best]];
                        if (id) id[o] = (float)at[best];
                    } else {
                        out[o] = 0.25f * (img[at[0]] + img[at[1]] + img[at[2]] + img[at[3]]);
                    }
                }
    }
}

void gl_pool_backward(float *dx, const float *dy, const float *idx, int rows, int h, int w, int c, int mode) {
    int oh = h / 2, ow = w / 2;
    memset(dx, 0, sizeof(float) * (size_t)rows * h * w * c);
    for (int r = 0; r < rows; ++r) {
        float *img = dx + (long)r * h * w * c;
        const float *g = dy + (long)r * oh * ow * c, *id = idx ? idx + (long)r * oh * ow * c : 0;
        for (int oy = 0; oy < oh; ++oy)
            for (int ox = 0; ox < ow; ++ox)
                for (int ch = 0; ch < c; ++ch) {
                    long o = ((long)oy * ow + ox) * c + ch;
                    if (mode == GL_POOL_MAX) {
                        img[(long)id[o]] += g[o];
                    } else {
                        float share = 0.25f * g[o];
                        img[((long)(2 * oy) * w + 2 * ox) * c + ch] += share;
                        img[((long)(2 * oy) * w + 2 * ox + 1) * c + ch] += share;
                        img[((long)(2 * oy + 1) * w + 2 * ox) * c + ch] += share;
                        img[((long)(2 * oy + 1) * w + 2 * ox + 1) * c + ch] += share;
                    }
                }
    }
}
