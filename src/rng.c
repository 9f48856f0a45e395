#include "rng.h"
#include <math.h>

uint32_t gl_rng_u32(gl_rng *r) {
    uint64_t old = r->state;
    r->state = old * 6364136223846793005ULL + r->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

void gl_rng_seed(gl_rng *r, uint64_t seed, uint64_t stream) {
    r->state = 0u;
    r->inc = (stream << 1u) | 1u;
    gl_rng_u32(r);
    r->state += seed;
    gl_rng_u32(r);
}

float gl_rng_uniform(gl_rng *r) { return (float)(gl_rng_u32(r) >> 8) * (1.0f / 16777216.0f); }

uint32_t gl_rng_below(gl_rng *r, uint32_t n) {
    uint64_t m = (uint64_t)gl_rng_u32(r) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while (low < threshold) { /* expected < 2 rounds; terminates with probability 1 */
            m = (uint64_t)gl_rng_u32(r) * n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

float gl_rng_normal(gl_rng *r) {
    /* 1 - u lies in (0, 1], so the logarithm is finite */
    double u1 = 1.0 - (double)gl_rng_u32(r) * (1.0 / 4294967296.0);
    double u2 = (double)gl_rng_u32(r) * (1.0 / 4294967296.0);
    return (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}

void gl_rng_shuffle(gl_rng *r, int32_t *perm, int n) {
    for (int i = n - 1; i > 0; --i) {
        int j = (int)gl_rng_below(r, (uint32_t)i + 1u);
        int32_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
    }
}
