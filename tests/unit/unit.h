/* unit.h - a small harness for the C unit tests: CHECK counts, the summary goes to $RESULTS */
#ifndef RISKREG_UNIT_H
#define RISKREG_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_passed, unit_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            unit_passed++;                                                                         \
        } else {                                                                                   \
            unit_failed++;                                                                         \
            fprintf(stdout, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                        \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                                                     \
            unit_passed++;                                                                         \
        } else {                                                                                   \
            unit_failed++;                                                                         \
            fprintf(stdout, "FAIL %s:%d: got '%s', expected '%s'\n", __FILE__, __LINE__,           \
                    g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                       \
        }                                                                                          \
    } while (0)

#define CHECK_CONTAINS(got, part)                                                                  \
    do {                                                                                           \
        const char *g_ = (got), *p_ = (part);                                                      \
        if (g_ && strstr(g_, p_)) {                                                                \
            unit_passed++;                                                                         \
        } else {                                                                                   \
            unit_failed++;                                                                         \
            fprintf(stdout, "FAIL %s:%d: '%s' does not contain '%s'\n", __FILE__, __LINE__,        \
                    g_ ? g_ : "(null)", p_);                                                       \
        }                                                                                          \
    } while (0)

static int unit_report(void)
{
    const char *results = getenv("RESULTS");
    FILE *f = results ? fopen(results, "a") : NULL;
    if (f) {
        fprintf(f, "%d %d\n", unit_passed, unit_failed);
        fclose(f);
    }
    if (!f) printf("%d passed, %d failed\n", unit_passed, unit_failed);
    return unit_failed ? 1 : 0;
}

#endif
