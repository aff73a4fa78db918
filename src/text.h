/* text.h - growable strings and the small text helpers every part uses */
#ifndef RISKREG_TEXT_H
#define RISKREG_TEXT_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *data; /* always NUL-terminated once anything was added */
    size_t len;
    size_t cap;
};

#define STRBUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
const char *sb_str(const struct strbuf *sb); /* "" when empty */
char *sb_take(struct strbuf *sb);            /* caller frees; sb is reset */
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* n bytes as 2n lower-case hex digits and a NUL, into out */
void text_hex(const unsigned char *bytes, size_t n, char *out);

/* The SHA-256 of len bytes as 64 hex digits and a NUL; -1 (out empty) when it cannot be made. */
int text_sha256_hex(const void *data, size_t len, char out[65]);

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Error reporting: "riskreg: message" on stderr. */
void rr_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether errno e means the disk (or a file size or quota limit) is full. */
int text_disk_full(int e);
#define DISK_FULL_HINT "the disk is full, or a file size or quota limit was reached"

/* Key form of a name: lower case, without spaces and punctuation (but '#').
 * "Risk Owner", "risk_owner", "Risk-Owner" and "Risk owner:" all give "riskowner". */
void text_name_key(const char *s, char *out, size_t outsize);

/* The key of a spreadsheet header without the scale or unit people add to it: a bracketed tail
 * ("Likelihood (1-5)", "Impact [1–5]", "Cost (CHF)"), an underscored one with a digit or a
 * currency in it ("L_1to5", "Cost_EUR") or a bare scale ("Impact 1-5"). Empty when nothing is
 * left but the scale. */
void text_header_key(const char *header, char *out, size_t outsize);

/* Edit distance between two keys, for "did you mean" suggestions. */
int text_distance(const char *a, const char *b);

/* The closest candidate within a sensible distance, or NULL. */
const char *text_suggest(const char *word, const char *const *candidates, size_t n);

/* Offset of the first byte that is not valid UTF-8, or -1 when all is valid. */
long text_utf8_invalid_at(const char *s, size_t n);

/* Number of characters (code points) in a valid UTF-8 string. */
size_t text_utf8_width(const char *s);

/* Copy at most max characters of s into sb, ending with "…" when cut. */
void text_utf8_clip(struct strbuf *sb, const char *s, size_t max);

/* Trim ASCII white space in place; returns s. */
char *text_trim(char *s);

int text_equal_nocase(const char *a, const char *b);

/* "a" or "an" before a word ("an improvement", "a risk"). */
const char *text_article(const char *word);

/* Parse a whole decimal integer / finite number; 0 on success. */
int text_parse_int(const char *s, long long *out);
int text_parse_number(const char *s, double *out);

/* A whole number in decimal, into out (at least 21 bytes); quicker than snprintf. */
void text_format_integer(long long v, char *out, size_t outsize);

/* Shortest round-trip friendly form of a number ("99.9", "100"). */
void text_format_number(double v, char *out, size_t outsize);

/* Read a whole file into out; -1 after reporting "PATH: why" (text_slurp: -1 with errno). */
int text_read_file(const char *path, struct strbuf *out);
int text_slurp(const char *path, struct strbuf *out);

#endif
