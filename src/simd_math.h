/* simd_math.h: exp, tanh, sigmoid and log on four lanes at once, for the activation and loss kernels.
 * Measured against double-precision references by tests/js/kernels.test.mjs (which prints the
 * figures) over a dense sweep of inputs:
 *   exp:      relative error <= 1.2e-7 (about 1 ulp) for x in [-87, 88]; below -87.33 the result is
 *             clamped to about 1.2e-38 (true values are subnormal), above 88.37 to about 2.4e38.
 *   tanh:     absolute error <= 1.2e-7 and relative error <= 2e-7 everywhere; exact sign, tanh(0) = 0.
 *   sigmoid:  absolute error <= 1.2e-7; relative error <= 2e-7 for x > -87.
 *   log:      (for the cross-entropy loss) relative error <= 2.4e-7 for positive normal x, absolute
 *             error <= 1.2e-7 near x = 1; +inf gives NaN.
 * (Measured: exp 9.8e-8 relative; tanh 8.9e-8 absolute, 1.6e-7 relative; sigmoid 8.9e-8 absolute,
 * 1.4e-7 relative; log 1.7e-7 relative, 3.9e-8 absolute near 1.)
 * NaN in gives NaN out for all four. */
#ifndef GL_SIMD_MATH_H
#define GL_SIMD_MATH_H
#include "activation.h"
#include "vec4.h"

#ifdef GL_VEC4

/* x = n ln 2 + r with n = round(x / ln 2) and |r| <= ln(2)/2, for exp and tanh. ln 2 is split in two
 * (Cody and Waite) so n ln 2 is subtracted without losing r's low bits. Returns r; n into *n. */
GL_INLINE gl_v4 gl_exp_reduce(gl_v4 x, gl_v4 *n) {
    const float ln2_hi = 0.693145751953125f, ln2_lo = 1.428606820309417e-6f;
    const float round_magic = 12582912.0f; /* 1.5 * 2^23: adding and subtracting rounds to an integer */
    *n = v4_sub(v4_add(v4_mul(x, v4_splat(1.44269504088896341f)), v4_splat(round_magic)), v4_splat(round_magic));
    return v4_sub(v4_sub(x, v4_mul(*n, v4_splat(ln2_hi))), v4_mul(*n, v4_splat(ln2_lo)));
}

/* e^x = 2^n e^r (gl_exp_reduce); e^r by its Taylor series to r^7, whose truncation error
 * (r^8/8! < 5e-9) is below float rounding. */
GL_INLINE gl_v4 gl_exp_v4(gl_v4 x) {
    gl_v4 n, r = gl_exp_reduce(v4_max(v4_min(x, v4_splat(88.37f)), v4_splat(-87.33f)), &n);
    gl_v4 p = v4_splat(1.0f / 5040.0f);
    p = v4_add(v4_mul(p, r), v4_splat(1.0f / 720.0f));
    p = v4_add(v4_mul(p, r), v4_splat(1.0f / 120.0f));
    p = v4_add(v4_mul(p, r), v4_splat(1.0f / 24.0f));
    p = v4_add(v4_mul(p, r), v4_splat(1.0f / 6.0f));
    p = v4_add(v4_mul(p, r), v4_splat(0.5f));
    p = v4_add(v4_mul(p, r), v4_splat(1.0f));
    p = v4_add(v4_mul(p, r), v4_splat(1.0f));
    return v4_mul(p, v4_pow2i(n));
}

/* tanh(|x|) from y = -2|x| = n ln 2 + r (gl_exp_reduce): e^r - 1 by its Taylor series to r^8
 * (the rest is below 3e-10 of it), then u = e^y - 1 = 2^n (e^r - 1) + (2^n - 1) and E = e^y, both
 * without cancellation. One exp-like evaluation and one division for every x (the form before this
 * computed a 10-term series and an exp with a division, and chose). y is clamped to [-20, 0]
 * (tanh(10) is 1 in float); the sign is copied back. */
GL_INLINE gl_v4 gl_tanh_v4(gl_v4 x) {
    gl_v4 n, r = gl_exp_reduce(v4_max(v4_mul(v4_abs(x), v4_splat(-2.0f)), v4_splat(-20.0f)), &n);
    gl_v4 q = v4_splat(1.0f / 40320.0f);
    q = v4_add(v4_mul(q, r), v4_splat(1.0f / 5040.0f));
    q = v4_add(v4_mul(q, r), v4_splat(1.0f / 720.0f));
    q = v4_add(v4_mul(q, r), v4_splat(1.0f / 120.0f));
    q = v4_add(v4_mul(q, r), v4_splat(1.0f / 24.0f));
    q = v4_add(v4_mul(q, r), v4_splat(1.0f / 6.0f));
    q = v4_add(v4_mul(q, r), v4_splat(0.5f));
    gl_v4 p = v4_add(r, v4_mul(v4_mul(r, r), q)); /* e^r - 1 */
    gl_v4 scale = v4_pow2i(n), sp = v4_mul(scale, p), one = v4_splat(1.0f);
    gl_v4 u = v4_add(sp, v4_sub(scale, one));   /* e^y - 1 */
    gl_v4 E = v4_add(sp, scale);                /* e^y */
    /* -u / (1 + E): u carries no cancellation near 0, and near 1 its rounding and that of 1 + E
     * stay within an ulp of 1 each */
    gl_v4 t = v4_div(v4_sub(v4_splat(0.0f), u), v4_add(one, E));
    return v4_or(t, v4_and(x, v4_splat(-0.0f)));
}

/* ln x for positive normal x: x = m 2^e with m in [sqrt(1/2), sqrt(2)), then
 * ln m = 2 atanh(u) = 2 (u + u^3/3 + u^5/5 + ...) with u = (m - 1)/(m + 1), |u| <= 0.1716, where the
 * terms after u^11 are below 2e-10 relative; ln x = e ln 2 + ln m with ln 2 split in two. m - 1 is
 * exact (Sterbenz), so u carries only the rounding of one addition and one division. */
GL_INLINE gl_v4 gl_log_v4(gl_v4 x) {
    gl_v4 e = v4_exponent(x), m = v4_mantissa(x), one = v4_splat(1.0f);
    gl_v4 big = v4_gt(m, v4_splat(1.41421356f));
    m = v4_select(big, v4_mul(m, v4_splat(0.5f)), m);
    e = v4_add(e, v4_and(big, one));
    gl_v4 u = v4_div(v4_sub(m, one), v4_add(m, one)), u2 = v4_mul(u, u);
    gl_v4 p = v4_splat(2.0f / 11.0f);
    p = v4_add(v4_mul(p, u2), v4_splat(2.0f / 9.0f));
    p = v4_add(v4_mul(p, u2), v4_splat(2.0f / 7.0f));
    p = v4_add(v4_mul(p, u2), v4_splat(2.0f / 5.0f));
    p = v4_add(v4_mul(p, u2), v4_splat(2.0f / 3.0f));
    gl_v4 lnm = v4_add(v4_add(u, u), v4_mul(u, v4_mul(u2, p)));
    gl_v4 r = v4_add(v4_add(v4_mul(e, v4_splat(1.428606820309417e-6f)), lnm), v4_mul(e, v4_splat(0.693145751953125f)));
    return v4_add(r, v4_sub(x, x)); /* NaN for NaN or infinite x */
}

/* sigmoid(x) = 1 / (1 + e^-x) */
GL_INLINE gl_v4 gl_sigmoid_v4(gl_v4 x) {
    gl_v4 one = v4_splat(1.0f);
    return v4_div(one, v4_add(one, gl_exp_v4(v4_sub(v4_splat(0.0f), x))));
}

/* f(z) on one vector; softmax is not elementwise and never comes here */
GL_INLINE gl_v4 gl_act_forward_v4(gl_v4 z, int act, gl_v4 slope) {
    gl_v4 zero = v4_splat(0.0f);
    switch (act) {
    case GL_ACT_RELU: return v4_and(z, v4_gt(z, zero));
    case GL_ACT_LEAKY_RELU: return v4_select(v4_gt(z, zero), z, v4_mul(z, slope));
    case GL_ACT_TANH: return gl_tanh_v4(z);
    case GL_ACT_SIGMOID: {
        gl_v4 s = gl_sigmoid_v4(z);
        return v4_and(s, v4_gt(s, v4_splat(GL_TINY_PROBABILITY))); /* see activation.c */
    }
    default: return z;
    }
}

/* da * f'(z, a) on one vector */
GL_INLINE gl_v4 gl_act_backward_v4(gl_v4 da, gl_v4 z, gl_v4 a, int act, gl_v4 slope) {
    gl_v4 zero = v4_splat(0.0f), one = v4_splat(1.0f);
    switch (act) {
    case GL_ACT_RELU: return v4_and(da, v4_gt(z, zero));
    case GL_ACT_LEAKY_RELU: return v4_select(v4_gt(z, zero), da, v4_mul(da, slope));
    case GL_ACT_TANH: return v4_mul(da, v4_sub(one, v4_mul(a, a)));
    case GL_ACT_SIGMOID: return v4_mul(da, v4_mul(a, v4_sub(one, a)));
    default: return da;
    }
}

#endif
#endif
