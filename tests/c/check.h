/* check.h: a tiny test harness: CHECK records failures, check_summary prints and exits. */
#ifndef GL_CHECK_H
#define GL_CHECK_H
#include <math.h>
#include <stdio.h>

static int check_failures, check_count;
#define CHECK(cond, ...) do { ++check_count; if (!(cond)) { ++check_failures; \
    fprintf(stderr, "%s:%d: FAILED %s: ", __FILE__, __LINE__, #cond); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)
#define CHECK_CLOSE(a, b, tol, what) CHECK(fabs((double)(a) - (double)(b)) <= (tol), \
    "%s: %.9g vs %.9g (tolerance %g)", what, (double)(a), (double)(b), (double)(tol))
static int check_summary(const char *name) {
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}
#endif
