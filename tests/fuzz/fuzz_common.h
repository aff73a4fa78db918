/* fuzz_common.h - what the libFuzzer targets share: configs built without a file, and the
 * invariants every parsed value must keep. A broken invariant abort()s, so libFuzzer keeps the
 * input as a crash. Header-only: each target is one C file plus this. */
#ifndef RISKREG_FUZZ_COMMON_H
#define RISKREG_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "date.h"
#include "model.h"
#include "text.h"
#include "validate.h"

#include "../unit/unit_config.h" /* a config read as the commands read it */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_HAVE_SANITIZER 1
#endif
#endif
#ifdef FUZZ_HAVE_SANITIZER
/* Prints through the sanitizer's report stream, which libFuzzer keeps open with -close_fd_mask=2
 * (make fuzz closes the targets' stderr: the CSV reader reports every broken file there). */
void __sanitizer_report_error_summary(const char *error_summary);
#endif

/* Say which invariant broke, then abort: libFuzzer keeps the input as a crash. */
#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fuzz_report("fuzz invariant broken at %s:%d: %s", __FILE__, __LINE__, #cond);          \
            fuzz_report(__VA_ARGS__);                                                              \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void fuzz_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fuzz_report(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
#ifdef FUZZ_HAVE_SANITIZER
    __sanitizer_report_error_summary(msg);
#else
    fprintf(stderr, "%s\n", msg);
#endif
}

/* A NUL-terminated copy of the input (the parsers take C strings); free() it. */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* The config riskreg uses when riskreg.lua says only the matrix size: an N x N matrix with the
 * rules' default labels, read as every command reads it (unit_config). Built once per size and
 * kept for the whole run (it is reachable, so no leak is reported). */
static inline const struct config *fuzz_config(int size)
{
    static struct config configs[MATRIX_MAX + 1];
    static int ready[MATRIX_MAX + 1];
    if (size < MATRIX_MIN || size > MATRIX_MAX) abort();
    if (!ready[size]) {
        memset(&configs[size], 0, sizeof configs[size]);
        if (unit_config(&configs[size], size) != 0) abort();
        ready[size] = 1;
    }
    return &configs[size];
}

/* The error text a parser wrote must be a C string that fits its buffer. */
static inline void fuzz_check_message(const char *err, size_t errsize, const char *what)
{
    FUZZ_CHECK(memchr(err, '\0', errsize) != NULL, "%s: error message not NUL-terminated", what);
    FUZZ_CHECK(err[0] != '\0', "%s: failed with an empty message", what);
}

static inline int fuzz_is_trimmed(const char *s)
{
    size_t n = strlen(s);
    const char *ws = " \t\n\r\f\v";
    return n == 0 || (!strchr(ws, s[0]) && !strchr(ws, s[n - 1]));
}

/* value_parse on raw for field f of kind k, and the invariants of what it gives:
 *  - failure: no value, a message that fits its buffer;
 *  - success: NULL (empty input) or non-empty, trimmed, valid UTF-8 text of the field's type
 *    (a valid ID, a date that formats back to itself, days 1..3660, a rating 1..N, a finite
 *    number, one of the field's own words);
 *  - canonical: parsing the value again gives the same value (what export writes, import
 *    reads back unchanged). */
static inline void fuzz_check_value(const struct config *cfg, const struct kind *k,
                                    const struct field *f, const char *raw, enum rating_words words)
{
    char err[256];
    char *out = (char *)1; /* value_parse must set it */
    memset(err, 'x', sizeof err);
    int rc = value_parse(cfg, k, f, raw, words, &out, err, sizeof err);
    if (rc != 0) {
        FUZZ_CHECK(rc == -1, "value_parse returned %d", rc);
        FUZZ_CHECK(out == NULL, "%s.%s: failed but gave a value", k->name, f->name);
        fuzz_check_message(err, sizeof err, f->name);
        return;
    }
    if (!out) return; /* empty input */
    FUZZ_CHECK(out[0] != '\0', "%s.%s: empty value instead of NULL", k->name, f->name);
    FUZZ_CHECK(fuzz_is_trimmed(out), "%s.%s: value '%s' is not trimmed", k->name, f->name, out);
    FUZZ_CHECK(text_utf8_invalid_at(out, strlen(out)) < 0, "%s.%s: value is not UTF-8", k->name,
               f->name);
    switch (f->type) {
    case FT_ID:
    case FT_REF:
        FUZZ_CHECK(id_is_valid(out), "%s.%s: '%s' is not a valid ID", k->name, f->name, out);
        break;
    case FT_DATE: {
        rr_day day;
        char back[DATE_TEXT_SIZE];
        FUZZ_CHECK(date_parse(out, &day) == 0, "%s.%s: '%s' is not a date", k->name, f->name, out);
        date_format(day, back);
        FUZZ_CHECK(strcmp(back, out) == 0, "date '%s' formats back as '%s'", out, back);
        break;
    }
    case FT_DAYS: {
        long long days;
        FUZZ_CHECK(text_parse_int(out, &days) == 0 && days >= 1 && days <= 3660,
                   "%s.%s: '%s' is not 1..3660 days", k->name, f->name, out);
        break;
    }
    case FT_RATING: {
        char *end;
        long v = strtol(out, &end, 10);
        FUZZ_CHECK(*end == '\0' && v >= 1 && v <= cfg->matrix_size,
                   "%s.%s: rating '%s' outside 1..%d", k->name, f->name, out, cfg->matrix_size);
        break;
    }
    case FT_NUMBER: {
        double v;
        FUZZ_CHECK(text_parse_number(out, &v) == 0, "%s.%s: '%s' is not a number", k->name, f->name,
                   out);
        break;
    }
    case FT_ENUM: {
        int found = 0;
        for (int i = 0; f->values[i]; i++)
            found |= strcmp(f->values[i], out) == 0;
        FUZZ_CHECK(found, "%s.%s: '%s' is not one of the field's values", k->name, f->name, out);
        break;
    }
    case FT_TEXT:
    case FT_MARKDOWN:
        break;
    }
    char *again = (char *)1;
    rc = value_parse(cfg, k, f, out, words, &again, err, sizeof err);
    FUZZ_CHECK(rc == 0 && again && strcmp(again, out) == 0,
               "%s.%s: '%s' is not canonical: parsing it again gives %s%s%s", k->name, f->name, out,
               rc ? "an error: " : "'", rc ? err : (again ? again : "(null)"), rc ? "" : "'");
    free(again);
    free(out);
}

/* The field a header or a name stands for in kind k, as import and `add`/`set` find it: the
 * kind's own field, else (for a risk) a field of its first assessment other than the risk it
 * belongs to. Sets *target to the kind of the field; -1 when none. */
static inline int fuzz_field_of(const struct kind *k, const char *header,
                                const struct kind **target)
{
    int i = model_field_for_header(k, header);
    if (i >= 0) {
        FUZZ_CHECK(i < k->nfields, "model_field_for_header gave %d of %d", i, k->nfields);
        *target = k;
        return i;
    }
    if (k->id == K_RISK) {
        const struct kind *a = model_kind(K_ASSESSMENT);
        i = model_field_for_header(a, header);
        if (i >= 0 && i != a->owner_field) {
            FUZZ_CHECK(i < a->nfields, "model_field_for_header gave %d of %d", i, a->nfields);
            *target = a;
            return i;
        }
    }
    *target = NULL;
    return -1;
}

#endif
