/* aligned.h: float arrays that start on a 64-byte boundary (a cache line, four 16-byte vectors).
 * malloc in wasm returns 8-byte aligned blocks, so half the time every 4-lane load of an array
 * would straddle two 16-byte slots and one in four would cross a cache line: the memory-bound
 * loops (the optimiser's pass over all parameters) ran measurably slower, and by how much changed
 * with the allocation history. Freed with free(). */
#ifndef GL_ALIGNED_H
#define GL_ALIGNED_H
#include <stdlib.h>
#include <string.h>

/* n floats (at least one), zeroed when zero is set; NULL when memory is short */
static inline float *gl_floats(size_t n, int zero) {
    void *p = 0;
    size_t bytes = (n ? n : 1) * sizeof(float);
    if (posix_memalign(&p, 64, bytes)) return 0;
    if (zero) memset(p, 0, bytes);
    return p;
}

/* n rounded up to whole cache lines of floats: the stride between arrays kept in one block */
static inline long gl_floats_stride(long n) { return (n + 15) & ~15L; }
#endif
