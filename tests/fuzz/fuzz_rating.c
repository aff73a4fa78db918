/* fuzz_rating.c - rating_parse on any text, for every matrix size (3x3..6x6), both axes and both
 * word scales (RATING_WORDS_THREE, RATING_WORDS_FIVE).
 *
 * Checks: success gives 1..N; failure writes a NUL-terminated message; a plain whole number
 * 1..N reads as itself; a word only the five-word scale has ("Very high") reads in either mode;
 * and, once per size, each matrix label reads as its own position. */
#include "fuzz_common.h"

#include <ctype.h>

static void check_labels(void)
{
    static int done;
    if (done) return;
    done = 1;
    for (int n = MATRIX_MIN; n <= MATRIX_MAX; n++) {
        const struct config *cfg = fuzz_config(n);
        for (int axis = 0; axis < 2; axis++)
            for (int i = 0; i < n; i++) {
                const char *label = axis ? cfg->impact_labels[i] : cfg->likelihood_labels[i];
                char err[256];
                int v = 0;
                FUZZ_CHECK(
                    rating_parse(cfg, axis, label, RATING_WORDS_THREE, &v, err, sizeof err) == 0 &&
                        v == i + 1,
                    "%dx%d: label '%s' reads as %d, not %d", n, n, label, v, i + 1);
            }
    }
}

/* The value of text that is only a whole number (with spaces around), else -1. */
static long plain_number(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    if (!isdigit((unsigned char)*s)) return -1;
    long v = 0;
    for (; isdigit((unsigned char)*s); s++)
        if ((v = v * 10 + (*s - '0')) > 1000) return -1;
    while (isspace((unsigned char)*s))
        s++;
    return *s ? -1 : v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_labels();
    char *raw = fuzz_cstring(data, size);
    long plain = plain_number(raw);
    int five = rating_word_is_five_scale(raw);
    static const enum rating_words modes[] = {RATING_WORDS_THREE, RATING_WORDS_FIVE};
    for (int n = MATRIX_MIN; n <= MATRIX_MAX; n++) {
        const struct config *cfg = fuzz_config(n);
        for (int axis = 0; axis < 2; axis++)
            for (int m = 0; m < 2; m++) {
                char err[128];
                int v = -12345;
                memset(err, 'x', sizeof err);
                int rc = rating_parse(cfg, axis, raw, modes[m], &v, err, sizeof err);
                if (rc == 0) {
                    FUZZ_CHECK(v >= 1 && v <= n, "%dx%d axis %d: rating %d outside 1..%d", n, n,
                               axis, v, n);
                } else {
                    FUZZ_CHECK(rc == -1, "rating_parse returned %d", rc);
                    fuzz_check_message(err, sizeof err, "rating_parse");
                }
                if (plain >= 1 && plain <= n)
                    FUZZ_CHECK(rc == 0 && v == plain, "%dx%d: '%s' reads as %d", n, n, raw,
                               rc ? -1 : v);
                if (plain == 0 || plain > n)
                    FUZZ_CHECK(rc != 0, "%dx%d: '%s' outside the matrix reads as %d", n, n, raw, v);
                if (five)
                    FUZZ_CHECK(rc == 0, "%dx%d: five-scale word '%s' does not read", n, n, raw);
            }
    }
    free(raw);
    return 0;
}
