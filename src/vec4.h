/* vec4.h: the small vocabulary of 4-lane float operations the fast kernels are written in.
 * Under wasm SIMD (-msimd128) each word is one wasm f32x4/i32x4 instruction. Under GCC or clang
 * for a native target the same words are GCC vector extensions, so the native build runs the very
 * same kernels (the compiler picks SSE/AVX encodings, and may fuse mul+add). The scalar wasm build
 * has neither: GL_VEC4 stays undefined and the plain references are the kernels.
 * Masks are all-ones or all-zeros lanes, as the compare words return them. */
#ifndef GL_VEC4_H
#define GL_VEC4_H
#include <stdint.h>
#include <string.h>

#if defined(__wasm_simd128__)
#define GL_VEC4 1
#include <wasm_simd128.h>
typedef v128_t gl_v4;
#define GL_INLINE static inline __attribute__((always_inline))
GL_INLINE gl_v4 v4_load(const float *p) { return wasm_v128_load(p); }
GL_INLINE void v4_store(float *p, gl_v4 v) { wasm_v128_store(p, v); }
GL_INLINE gl_v4 v4_splat(float f) { return wasm_f32x4_splat(f); }
GL_INLINE gl_v4 v4_add(gl_v4 a, gl_v4 b) { return wasm_f32x4_add(a, b); }
GL_INLINE gl_v4 v4_sub(gl_v4 a, gl_v4 b) { return wasm_f32x4_sub(a, b); }
GL_INLINE gl_v4 v4_mul(gl_v4 a, gl_v4 b) { return wasm_f32x4_mul(a, b); }
GL_INLINE gl_v4 v4_div(gl_v4 a, gl_v4 b) { return wasm_f32x4_div(a, b); }
GL_INLINE gl_v4 v4_sqrt(gl_v4 a) { return wasm_f32x4_sqrt(a); }
/* b < a ? b : a and a < b ? b : a lane by lane (the x86-friendly pmin/pmax) */
GL_INLINE gl_v4 v4_min(gl_v4 a, gl_v4 b) { return wasm_f32x4_pmin(a, b); }
GL_INLINE gl_v4 v4_max(gl_v4 a, gl_v4 b) { return wasm_f32x4_pmax(a, b); }
GL_INLINE gl_v4 v4_gt(gl_v4 a, gl_v4 b) { return wasm_f32x4_gt(a, b); }
GL_INLINE gl_v4 v4_lt(gl_v4 a, gl_v4 b) { return wasm_f32x4_lt(a, b); }
GL_INLINE gl_v4 v4_eq(gl_v4 a, gl_v4 b) { return wasm_f32x4_eq(a, b); }
GL_INLINE gl_v4 v4_and(gl_v4 a, gl_v4 b) { return wasm_v128_and(a, b); }
GL_INLINE gl_v4 v4_or(gl_v4 a, gl_v4 b) { return wasm_v128_or(a, b); }
/* a & ~b */
GL_INLINE gl_v4 v4_andnot(gl_v4 a, gl_v4 b) { return wasm_v128_andnot(a, b); }
/* mask ? a : b */
GL_INLINE gl_v4 v4_select(gl_v4 mask, gl_v4 a, gl_v4 b) { return wasm_v128_bitselect(a, b, mask); }
GL_INLINE gl_v4 v4_abs(gl_v4 a) { return wasm_f32x4_abs(a); }
/* 2^n for integral n in [-126, 127] held as floats */
GL_INLINE gl_v4 v4_pow2i(gl_v4 n) {
    return wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
}
/* for positive normal x = m 2^e with m in [1, 2): e as a float, and m */
GL_INLINE gl_v4 v4_exponent(gl_v4 x) {
    return wasm_f32x4_convert_i32x4(wasm_i32x4_sub(wasm_u32x4_shr(x, 23), wasm_i32x4_splat(127)));
}
GL_INLINE gl_v4 v4_mantissa(gl_v4 x) {
    return wasm_v128_or(wasm_v128_and(x, wasm_i32x4_splat(0x7fffff)), wasm_i32x4_splat(0x3f800000));
}
GL_INLINE gl_v4 v4_set(float a, float b, float c, float d) { return wasm_f32x4_make(a, b, c, d); }
#define v4_lane(v, i) wasm_f32x4_extract_lane(v, i)
/* lane i of v in all four lanes (one shuffle) */
#define v4_dup(v, i) wasm_i32x4_shuffle(v, v, i, i, i, i)
/* transposes the 4x4 matrix whose rows are r[0..3] */
GL_INLINE void v4_transpose(gl_v4 r[4]) {
    gl_v4 t0 = wasm_i32x4_shuffle(r[0], r[1], 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r[0], r[1], 2, 6, 3, 7);
    gl_v4 t2 = wasm_i32x4_shuffle(r[2], r[3], 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r[2], r[3], 2, 6, 3, 7);
    r[0] = wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5); r[1] = wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7);
    r[2] = wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5); r[3] = wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7);
}
GL_INLINE float v4_sum(gl_v4 a) {
    return wasm_f32x4_extract_lane(a, 0) + wasm_f32x4_extract_lane(a, 1) +
           wasm_f32x4_extract_lane(a, 2) + wasm_f32x4_extract_lane(a, 3);
}

#elif (defined(__GNUC__) || defined(__clang__)) && !defined(__wasm__) && !defined(GL_NO_VEC4)
#define GL_VEC4 1
typedef float gl_v4 __attribute__((vector_size(16)));
typedef int32_t gl_v4i __attribute__((vector_size(16)));
#define GL_INLINE static inline __attribute__((always_inline))
GL_INLINE gl_v4 v4_load(const float *p) { gl_v4 v; memcpy(&v, p, sizeof v); return v; }
GL_INLINE void v4_store(float *p, gl_v4 v) { memcpy(p, &v, sizeof v); }
GL_INLINE gl_v4 v4_splat(float f) { return (gl_v4){f, f, f, f}; }
GL_INLINE gl_v4 v4_add(gl_v4 a, gl_v4 b) { return a + b; }
GL_INLINE gl_v4 v4_sub(gl_v4 a, gl_v4 b) { return a - b; }
GL_INLINE gl_v4 v4_mul(gl_v4 a, gl_v4 b) { return a * b; }
GL_INLINE gl_v4 v4_div(gl_v4 a, gl_v4 b) { return a / b; }
GL_INLINE gl_v4 v4_sqrt(gl_v4 a) { return (gl_v4){__builtin_sqrtf(a[0]), __builtin_sqrtf(a[1]), __builtin_sqrtf(a[2]), __builtin_sqrtf(a[3])}; }
GL_INLINE gl_v4 v4_gt(gl_v4 a, gl_v4 b) { return (gl_v4)(a > b); }
GL_INLINE gl_v4 v4_lt(gl_v4 a, gl_v4 b) { return (gl_v4)(a < b); }
GL_INLINE gl_v4 v4_eq(gl_v4 a, gl_v4 b) { return (gl_v4)(a == b); }
GL_INLINE gl_v4 v4_and(gl_v4 a, gl_v4 b) { return (gl_v4)((gl_v4i)a & (gl_v4i)b); }
GL_INLINE gl_v4 v4_or(gl_v4 a, gl_v4 b) { return (gl_v4)((gl_v4i)a | (gl_v4i)b); }
GL_INLINE gl_v4 v4_andnot(gl_v4 a, gl_v4 b) { return (gl_v4)((gl_v4i)a & ~(gl_v4i)b); }
GL_INLINE gl_v4 v4_select(gl_v4 mask, gl_v4 a, gl_v4 b) {
    return (gl_v4)(((gl_v4i)mask & (gl_v4i)a) | (~(gl_v4i)mask & (gl_v4i)b));
}
GL_INLINE gl_v4 v4_min(gl_v4 a, gl_v4 b) { return v4_select(v4_lt(b, a), b, a); }
GL_INLINE gl_v4 v4_max(gl_v4 a, gl_v4 b) { return v4_select(v4_lt(a, b), b, a); }
GL_INLINE gl_v4 v4_abs(gl_v4 a) { return (gl_v4)((gl_v4i)a & (gl_v4i){0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff}); }
GL_INLINE gl_v4 v4_pow2i(gl_v4 n) {
    gl_v4i i = __builtin_convertvector(n, gl_v4i) + 127;
    return (gl_v4)(i << 23);
}
GL_INLINE gl_v4 v4_exponent(gl_v4 x) { return __builtin_convertvector(((gl_v4i)x >> 23) - 127, gl_v4); }
GL_INLINE gl_v4 v4_mantissa(gl_v4 x) { return (gl_v4)(((gl_v4i)x & 0x7fffff) | 0x3f800000); }
GL_INLINE gl_v4 v4_set(float a, float b, float c, float d) { return (gl_v4){a, b, c, d}; }
#define v4_lane(v, i) ((v)[i])
#ifdef __clang__
#define GL_SHUFFLE(a, b, i, j, k, l) __builtin_shufflevector(a, b, i, j, k, l)
#else
#define GL_SHUFFLE(a, b, i, j, k, l) __builtin_shuffle(a, b, (gl_v4i){i, j, k, l})
#endif
#define v4_dup(v, i) GL_SHUFFLE(v, v, i, i, i, i)
GL_INLINE void v4_transpose(gl_v4 r[4]) {
    gl_v4 t0 = GL_SHUFFLE(r[0], r[1], 0, 4, 1, 5), t1 = GL_SHUFFLE(r[0], r[1], 2, 6, 3, 7);
    gl_v4 t2 = GL_SHUFFLE(r[2], r[3], 0, 4, 1, 5), t3 = GL_SHUFFLE(r[2], r[3], 2, 6, 3, 7);
    r[0] = GL_SHUFFLE(t0, t2, 0, 1, 4, 5); r[1] = GL_SHUFFLE(t0, t2, 2, 3, 6, 7);
    r[2] = GL_SHUFFLE(t1, t3, 0, 1, 4, 5); r[3] = GL_SHUFFLE(t1, t3, 2, 3, 6, 7);
}
GL_INLINE float v4_sum(gl_v4 a) { return a[0] + a[1] + a[2] + a[3]; }
#endif

#endif
