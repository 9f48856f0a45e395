#include "trajectory.h"
#include "aligned.h"
#include <stdlib.h>
#include <string.h>

gl_trajectory *gl_trajectory_create(int capacity, long interval, long params, const float *w, long step) {
    gl_trajectory *t = calloc(1, sizeof *t);
    if (!t) return 0;
    t->capacity = capacity; t->interval = interval; t->params = params; t->start = step;
    t->steps = malloc(sizeof(long) * (size_t)capacity);
    t->weights = gl_floats((size_t)capacity * (size_t)params, 0);
    if (!t->steps || !t->weights) { gl_trajectory_free(t); return 0; }
    t->steps[0] = step;
    memcpy(t->weights, w, sizeof(float) * (size_t)params);
    t->count = 1;
    return t;
}

void gl_trajectory_free(gl_trajectory *t) {
    if (!t) return;
    free(t->steps); free(t->weights); free(t);
}

/* keeps copies 0, 2, 4, ...: those on the doubled interval */
static void thin(gl_trajectory *t) {
    int kept = 0;
    for (int i = 0; i < t->count; i += 2, ++kept) {
        t->steps[kept] = t->steps[i];
        if (kept != i)
            memcpy(t->weights + (long)kept * t->params, t->weights + (long)i * t->params, sizeof(float) * (size_t)t->params);
    }
    t->count = kept;
    t->interval *= 2;
}

void gl_trajectory_note(gl_trajectory *t, const float *w, long step) {
    if ((step - t->start) % t->interval) return;
    if (t->count == t->capacity) {
        thin(t);
        if ((step - t->start) % t->interval) return;
    }
    t->steps[t->count] = step;
    memcpy(t->weights + (long)t->count * t->params, w, sizeof(float) * (size_t)t->params);
    t->count++;
}

void gl_trajectory_truncate(gl_trajectory *t, long step) {
    while (t->count > 1 && t->steps[t->count - 1] > step) t->count--;
}
