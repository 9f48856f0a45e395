#include "conv.h"
#include "dense.h"
#include "gemm.h"
#include "vec4.h"
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

void gl_im2col_ref(float *cols, const float *x, int rows, const gl_conv_geom *g) {
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

void gl_col2im_ref(float *dx, const float *dcols, int rows, const gl_conv_geom *g) {
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
    gl_gemm_nn_bias(rows * g->oh * g->ow, g->f, g->k * g->k * g->c, cols, W, b, z);
}

void gl_conv_forward_act(float *z, float *a, float *cols, const float *x, const float *W, const float *b, int rows,
                         const gl_conv_geom *g, int act, float slope) {
    gl_im2col(cols, x, rows, g);
    gl_gemm_nn_bias_act(rows * g->oh * g->ow, g->f, g->k * g->k * g->c, cols, W, b, z, a, act, slope);
}

int gl_conv_backward(float *dx, float *dW, float *db, const float *dz, const float *cols, const float *W,
                      int rows, const gl_conv_geom *g, float *dcols) {
    int positions = rows * g->oh * g->ow, kkc = g->k * g->k * g->c;
    int finite = gl_dense_backward(0, dW, db, dz, cols, W, positions, kkc, g->f);
    if (dx) {
        gl_gemm_nt_set(positions, kkc, g->f, dz, W, dcols);
        memset(dx, 0, sizeof(float) * (size_t)rows * g->h * g->w * g->c);
        gl_col2im(dx, dcols, rows, g);
    }
    return finite;
}

void gl_pool_forward_ref(float *y, float *idx, const float *x, int rows, int h, int w, int c, int mode) {
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

void gl_pool_backward_ref(float *dx, const float *dy, const float *idx, const float *gate, int rows, int h, int w,
                          int c, int mode) {
    int oh = h / 2, ow = w / 2;
    memset(dx, 0, sizeof(float) * (size_t)rows * h * w * c);
    for (int r = 0; r < rows; ++r) {
        float *img = dx + (long)r * h * w * c;
        const float *g = dy + (long)r * oh * ow * c, *id = idx ? idx + (long)r * oh * ow * c : 0;
        const float *open = gate ? gate + (long)r * oh * ow * c : 0;
        for (int oy = 0; oy < oh; ++oy)
            for (int ox = 0; ox < ow; ++ox)
                for (int ch = 0; ch < c; ++ch) {
                    long o = ((long)oy * ow + ox) * c + ch;
                    if (mode == GL_POOL_MAX) {
                        img[(long)id[o]] += open && !(open[o] > 0.0f) ? 0.0f : g[o];
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

#ifdef GL_VEC4
/* The fast loops: the same values as the references (copies, the same additions in the same
 * order, the same comparisons), four floats at a time. im2col and col2im go through one example
 * at a time with its zero padding written out around it (see padded below), where every window
 * row is k*c contiguous floats and needs no test for the border; images too large for that move
 * one kernel row at a time in the image itself (im2col_rows, col2im_rows). Pooling runs four
 * channels at a time where c is a multiple of 4. */

GL_INLINE void copy_floats(float *dst, const float *src, int n) {
    int i = 0;
    for (; i + 4 <= n; i += 4) v4_store(dst + i, v4_load(src + i));
    for (; i < n; ++i) dst[i] = src[i];
}
GL_INLINE void zero_floats(float *dst, int n) {
    int i = 0;
    for (; i + 4 <= n; i += 4) v4_store(dst + i, v4_splat(0.0f));
    for (; i < n; ++i) dst[i] = 0.0f;
}
GL_INLINE void add_floats(float *dst, const float *src, int n) {
    int i = 0;
    for (; i + 4 <= n; i += 4) v4_store(dst + i, v4_add(v4_load(dst + i), v4_load(src + i)));
    for (; i < n; ++i) dst[i] += src[i];
}

static void im2col_rows(float *cols, const float *x, int rows, const gl_conv_geom *g) {
    const int c = g->c, k = g->k, kc = k * c;
    float *out = cols;
    for (int r = 0; r < rows; ++r) {
        const float *img = x + (long)r * g->h * g->w * c;
        for (int oy = 0; oy < g->oh; ++oy)
            for (int ox = 0; ox < g->ow; ++ox) {
                int x0 = ox * g->stride - g->pad_l, inside = x0 >= 0 && x0 + k <= g->w;
                for (int ky = 0; ky < k; ++ky, out += kc) {
                    int y = oy * g->stride + ky - g->pad_t;
                    if (y < 0 || y >= g->h) { zero_floats(out, kc); continue; }
                    const float *row = img + ((long)y * g->w + x0) * c;
                    if (inside) { copy_floats(out, row, kc); continue; }
                    for (int kx = 0; kx < k; ++kx) {
                        int xx = x0 + kx;
                        if (xx < 0 || xx >= g->w) zero_floats(out + kx * c, c);
                        else copy_floats(out + kx * c, row + kx * c, c);
                    }
                }
            }
    }
}

static void col2im_rows(float *dx, const float *dcols, int rows, const gl_conv_geom *g) {
    const int c = g->c, k = g->k, kc = k * c;
    const float *in = dcols;
    for (int r = 0; r < rows; ++r) {
        float *img = dx + (long)r * g->h * g->w * c;
        for (int oy = 0; oy < g->oh; ++oy)
            for (int ox = 0; ox < g->ow; ++ox) {
                int x0 = ox * g->stride - g->pad_l, inside = x0 >= 0 && x0 + k <= g->w;
                for (int ky = 0; ky < k; ++ky, in += kc) {
                    int y = oy * g->stride + ky - g->pad_t;
                    if (y < 0 || y >= g->h) continue;
                    float *row = img + ((long)y * g->w + x0) * c;
                    if (inside) { add_floats(row, in, kc); continue; }
                    for (int kx = 0; kx < k; ++kx) {
                        int xx = x0 + kx;
                        if (xx >= 0 && xx < g->w) add_floats(row + kx * c, in + kx * c, c);
                    }
                }
            }
    }
}

/* One example's input inside its zero padding, (ph, pw, c) with ph = (oh - 1) stride + k rows and
 * pw = (ow - 1) stride + k columns: the part every window covers. A window row is then kc = k*c
 * contiguous floats at ((oy stride + ky) pw + ox stride) c. When kc is not a multiple of 4, it goes
 * as ceil(kc / 4) whole vectors: the last one reads up to 3 floats past the row (the 4 spare floats
 * at the end keep that inside the buffer) and, in im2col, writes up to 3 floats into the next
 * window row of cols, which is written after it. Only the last position's window rows go float by
 * float, so nothing is written past cols: they hold k*kc floats, at least the 4 ceil(kc / 4) - kc
 * that a vector overruns, whenever kc > 1 (a 1x1 kernel on one channel takes the slower path). */
static float padded[GL_CONV_PADDED_FLOATS + 4] __attribute__((aligned(16)));

typedef struct {
    int ph, pw;     /* padded rows and columns */
    int ih, iw;     /* rows and columns of the image inside it, from (pad_t, pad_l) */
    int nv;         /* vectors per window row: ceil(kc / 4) */
} padding;

/* the padded shape of geometry g; 0 when it does not fit in `padded` or there is nothing to do */
static int padded_shape(const gl_conv_geom *g, int rows, padding *p) {
    if (rows <= 0 || g->oh <= 0 || g->ow <= 0 || g->k * g->c == 1) return 0;
    p->ph = (g->oh - 1) * g->stride + g->k;
    p->pw = (g->ow - 1) * g->stride + g->k;
    if ((long)p->ph * p->pw * g->c > GL_CONV_PADDED_FLOATS) return 0;
    p->ih = g->h < p->ph - g->pad_t ? g->h : p->ph - g->pad_t;
    p->iw = g->w < p->pw - g->pad_l ? g->w : p->pw - g->pad_l;
    p->nv = (g->k * g->c + 3) / 4;
    return 1;
}

/* the image's rows into the padded one, and back */
static void fill_inside(const float *img, const gl_conv_geom *g, const padding *p) {
    for (int y = 0; y < p->ih; ++y)
        copy_floats(padded + ((long)(y + g->pad_t) * p->pw + g->pad_l) * g->c, img + (long)y * g->w * g->c, p->iw * g->c);
}
static void drain_inside(float *img, const gl_conv_geom *g, const padding *p) {
    for (int y = 0; y < p->ih; ++y)
        copy_floats(img + (long)y * g->w * g->c, padded + ((long)(y + g->pad_t) * p->pw + g->pad_l) * g->c, p->iw * g->c);
}

/* the window rows of one example's first `count` positions into out, NV (or, when 0, nv) vectors
 * each; returns where the next window row goes */
GL_INLINE float *im2col_padded_t(const int NV, int nv, float *out, const gl_conv_geom *g, int pw, int count) {
    const int n = NV ? NV : nv, s = g->stride, kc = g->k * g->c;
    const long down = (long)pw * g->c;
    for (int oy = 0; oy < g->oh; ++oy)
        for (int ox = 0; ox < g->ow; ++ox) {
            if (count-- <= 0) return out;
            const float *src = padded + ((long)oy * s * pw + (long)ox * s) * g->c;
            for (int ky = 0; ky < g->k; ++ky, src += down, out += kc)
                for (int q = 0; q < n; ++q) v4_store(out + 4 * q, v4_load(src + 4 * q));
        }
    return out;
}

/* the same the other way: each window row of dcols added to the padded gradient, the lanes past
 * kc (mask) left as they were; returns where the next window row is read */
GL_INLINE const float *col2im_padded_t(const int NV, int nv, const float *in, const gl_conv_geom *g, int pw,
                                       int count, gl_v4 mask) {
    const int n = NV ? NV : nv, s = g->stride, kc = g->k * g->c;
    const long down = (long)pw * g->c;
    for (int oy = 0; oy < g->oh; ++oy)
        for (int ox = 0; ox < g->ow; ++ox) {
            if (count-- <= 0) return in;
            float *dst = padded + ((long)oy * s * pw + (long)ox * s) * g->c;
            for (int ky = 0; ky < g->k; ++ky, dst += down, in += kc) {
                for (int q = 0; q < n - 1; ++q) v4_store(dst + 4 * q, v4_add(v4_load(dst + 4 * q), v4_load(in + 4 * q)));
                gl_v4 was = v4_load(dst + 4 * (n - 1));
                v4_store(dst + 4 * (n - 1), v4_select(mask, v4_add(was, v4_load(in + 4 * (n - 1))), was));
            }
        }
    return in;
}

/* one instance per short window row (up to 8 vectors), so that its copies unroll */
#define BY_VECTORS(call_t, nv, ...)                                                                    \
    switch (nv) {                                                                                      \
    case 1: return call_t(1, 0, __VA_ARGS__);                                                          \
    case 2: return call_t(2, 0, __VA_ARGS__);                                                          \
    case 3: return call_t(3, 0, __VA_ARGS__);                                                          \
    case 4: return call_t(4, 0, __VA_ARGS__);                                                          \
    case 5: return call_t(5, 0, __VA_ARGS__);                                                          \
    case 6: return call_t(6, 0, __VA_ARGS__);                                                          \
    case 7: return call_t(7, 0, __VA_ARGS__);                                                          \
    case 8: return call_t(8, 0, __VA_ARGS__);                                                          \
    default: return call_t(0, nv, __VA_ARGS__);                                                        \
    }
static float *im2col_padded(int nv, float *out, const gl_conv_geom *g, int pw, int count) {
    BY_VECTORS(im2col_padded_t, nv, out, g, pw, count)
}
static const float *col2im_padded(int nv, const float *in, const gl_conv_geom *g, int pw, int count, gl_v4 mask) {
    BY_VECTORS(col2im_padded_t, nv, in, g, pw, count, mask)
}
#undef BY_VECTORS

/* the padded image's offset of the last position's first window row */
static long last_window(const gl_conv_geom *g, int pw) {
    return ((long)(g->oh - 1) * g->stride * pw + (long)(g->ow - 1) * g->stride) * g->c;
}

void gl_im2col(float *cols, const float *x, int rows, const gl_conv_geom *g) {
    padding p;
    if (!padded_shape(g, rows, &p)) { im2col_rows(cols, x, rows, g); return; }
    const int c = g->c, kc = g->k * c, positions = g->oh * g->ow;
    zero_floats(padded, p.ph * p.pw * c); /* the border, once: each example fills the inside */
    float *out = cols;
    for (int r = 0; r < rows; ++r) {
        fill_inside(x + (long)r * g->h * g->w * c, g, &p);
        int exact = r == rows - 1 && kc % 4; /* the last position's window rows, float by float */
        out = im2col_padded(p.nv, out, g, p.pw, positions - exact);
        if (exact)
            for (int ky = 0; ky < g->k; ++ky, out += kc)
                copy_floats(out, padded + last_window(g, p.pw) + (long)ky * p.pw * c, kc);
    }
}

void gl_col2im(float *dx, const float *dcols, int rows, const gl_conv_geom *g) {
    padding p;
    if (!padded_shape(g, rows, &p)) { col2im_rows(dx, dcols, rows, g); return; }
    const int c = g->c, kc = g->k * c, positions = g->oh * g->ow, tail = kc % 4;
    /* the border of padded collects the gradients of the padding, which are dropped */
    const gl_v4 mask = v4_lt(v4_set(0.0f, 1.0f, 2.0f, 3.0f), v4_splat(tail ? (float)tail : 4.0f));
    const float *in = dcols;
    for (int r = 0; r < rows; ++r) {
        float *img = dx + (long)r * g->h * g->w * c;
        fill_inside(img, g, &p);
        int exact = r == rows - 1 && tail; /* the last position's window rows, float by float */
        in = col2im_padded(p.nv, in, g, p.pw, positions - exact, mask);
        if (exact)
            for (int ky = 0; ky < g->k; ++ky, in += kc)
                add_floats(padded + last_window(g, p.pw) + (long)ky * p.pw * c, in, kc);
        drain_inside(img, g, &p);
    }
}

/* Max pooling keeps each window's winner as its index within the example, a float (exact: an
 * example has at most GL_LIMIT_INPUTS values). The loops below form it as the index of the
 * window's first input (one conversion per window, then + 4 per four channels) plus the winner's
 * offset in the window: 0, c, w c or w c + c. */
void gl_pool_forward(float *y, float *idx, const float *x, int rows, int h, int w, int c, int mode) {
    if (c % 4) { gl_pool_forward_ref(y, idx, x, rows, h, w, c, mode); return; }
    int oh = h / 2, ow = w / 2;
    const gl_v4 quarter = v4_splat(0.25f), lanes = v4_set(0.0f, 1.0f, 2.0f, 3.0f), four = v4_splat(4.0f);
    const gl_v4 off1 = v4_splat((float)c), off2 = v4_splat((float)w * c), off3 = v4_splat((float)w * c + c);
    for (int r = 0; r < rows; ++r) {
        const float *img = x + (long)r * h * w * c;
        float *out = y + (long)r * oh * ow * c, *id = idx ? idx + (long)r * oh * ow * c : 0;
        for (int oy = 0; oy < oh; ++oy)
            for (int ox = 0; ox < ow; ++ox) {
                long at0 = ((long)(2 * oy) * w + 2 * ox) * c, at1 = at0 + c, at2 = at0 + (long)w * c, at3 = at2 + c;
                long o = ((long)oy * ow + ox) * c;
                gl_v4 first = v4_add(v4_splat((float)at0), lanes);
                for (int ch = 0; ch < c; ch += 4, first = v4_add(first, four)) {
                    gl_v4 v0 = v4_load(img + at0 + ch), v1 = v4_load(img + at1 + ch);
                    gl_v4 v2 = v4_load(img + at2 + ch), v3 = v4_load(img + at3 + ch);
                    if (mode == GL_POOL_MAX) {
                        /* as the reference: a later input wins only when strictly larger */
                        gl_v4 best = v0, m, off;
                        m = v4_gt(v1, best); best = v4_select(m, v1, best); off = v4_and(m, off1);
                        m = v4_gt(v2, best); best = v4_select(m, v2, best); off = v4_select(m, off2, off);
                        m = v4_gt(v3, best); best = v4_select(m, v3, best); off = v4_select(m, off3, off);
                        v4_store(out + o + ch, best);
                        if (id) v4_store(id + o + ch, v4_add(first, off));
                    } else {
                        v4_store(out + o + ch, v4_mul(quarter, v4_add(v4_add(v4_add(v0, v1), v2), v3)));
                    }
                }
            }
    }
}

void gl_pool_backward(float *dx, const float *dy, const float *idx, const float *gate, int rows, int h, int w, int c,
                      int mode) {
    if (c % 4) { gl_pool_backward_ref(dx, dy, idx, gate, rows, h, w, c, mode); return; }
    int oh = h / 2, ow = w / 2;
    /* every input of a window is written below; only an odd last row or column is in none */
    if (h % 2 || w % 2) memset(dx, 0, sizeof(float) * (size_t)rows * h * w * c);
    const gl_v4 quarter = v4_splat(0.25f), zero = v4_splat(0.0f), lanes = v4_set(0.0f, 1.0f, 2.0f, 3.0f), four = v4_splat(4.0f);
    const gl_v4 offs[4] = {zero, v4_splat((float)c), v4_splat((float)w * c), v4_splat((float)w * c + c)};
    for (int r = 0; r < rows; ++r) {
        float *img = dx + (long)r * h * w * c;
        const float *g = dy + (long)r * oh * ow * c, *id = idx ? idx + (long)r * oh * ow * c : 0;
        const float *open = gate ? gate + (long)r * oh * ow * c : 0;
        for (int oy = 0; oy < oh; ++oy)
            for (int ox = 0; ox < ow; ++ox) {
                long at[4];
                at[0] = ((long)(2 * oy) * w + 2 * ox) * c; at[1] = at[0] + c;
                at[2] = at[0] + (long)w * c; at[3] = at[2] + c;
                long o = ((long)oy * ow + ox) * c;
                gl_v4 first = v4_add(v4_splat((float)at[0]), lanes);
                for (int ch = 0; ch < c; ch += 4, first = v4_add(first, four)) {
                    gl_v4 gv = v4_load(g + o + ch);
                    if (mode == GL_POOL_MAX) {
                        if (open) gv = v4_and(gv, v4_gt(v4_load(open + o + ch), zero));
                        gl_v4 off = v4_sub(v4_load(id + o + ch), first); /* the winner's offset in the window */
                        /* 0 + g, as the reference adds g to a zeroed input */
                        for (int q = 0; q < 4; ++q)
                            v4_store(img + at[q] + ch, v4_add(zero, v4_and(gv, v4_eq(off, offs[q]))));
                    } else {
                        gl_v4 share = v4_mul(quarter, gv);
                        for (int q = 0; q < 4; ++q) v4_store(img + at[q] + ch, v4_add(zero, share));
                    }
                }
            }
    }
}

#else /* no 4-lane kernels: the references are the kernels */

void gl_im2col(float *cols, const float *x, int rows, const gl_conv_geom *g) { gl_im2col_ref(cols, x, rows, g); }
void gl_col2im(float *dx, const float *dcols, int rows, const gl_conv_geom *g) { gl_col2im_ref(dx, dcols, rows, g); }
void gl_pool_forward(float *y, float *idx, const float *x, int rows, int h, int w, int c, int mode) {
    gl_pool_forward_ref(y, idx, x, rows, h, w, c, mode);
}
void gl_pool_backward(float *dx, const float *dy, const float *idx, const float *gate, int rows, int h, int w, int c,
                      int mode) {
    gl_pool_backward_ref(dx, dy, idx, gate, rows, h, w, c, mode);
}
#endif
