/* rng.h: the one random generator of gradlab.
 *
 * PCG32 (O'Neill 2014, "PCG-XSH-RR"): a 64-bit linear congruential state
 * advanced by state = state * 6364136223846793005 + inc, whose output is the
 * high bits xor-shifted and rotated by the top five bits. Seeding follows the
 * reference pcg32_srandom_r(initstate, initseq). Every stream in gradlab
 * (data, weights, shuffling, dropout masks) is a PCG32 seeded with the user's
 * seed and a fixed stream id, so one seed fixes everything and streams do not
 * disturb each other. Only integer arithmetic decides the bits, so the same
 * seed draws the same numbers natively, in Node and in a browser. */
#ifndef GL_RNG_H
#define GL_RNG_H
#include <stdint.h>

typedef struct { uint64_t state, inc; } gl_rng;

enum { GL_STREAM_DATA = 1, GL_STREAM_INIT = 2, GL_STREAM_SHUFFLE = 3, GL_STREAM_DROPOUT = 4,
       GL_STREAM_NOISE = 5, GL_STREAM_INSTRUMENT = 6 };

void gl_rng_seed(gl_rng *r, uint64_t seed, uint64_t stream);
uint32_t gl_rng_u32(gl_rng *r);
/* uniform in [0, 1) with 24 random bits */
float gl_rng_uniform(gl_rng *r);
/* uniform integer in [0, n), unbiased (Lemire's rejection) */
uint32_t gl_rng_below(gl_rng *r, uint32_t n);
/* standard normal by the Box-Muller transform, computed in double */
float gl_rng_normal(gl_rng *r);
/* Fisher-Yates shuffle of perm[0..n) */
void gl_rng_shuffle(gl_rng *r, int32_t *perm, int n);
#endif
