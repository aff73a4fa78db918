/* text.c - growable strings and the small text helpers every part uses */
#include "text.h"

#include <openssl/evp.h>
#include "progress.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void out_of_memory(void)
{
    fputs("riskreg: out of memory\n", stderr);
    abort(); /* nothing sensible can continue; the open transaction rolls back */
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) out_of_memory();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) out_of_memory();
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void sb_grow(struct strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap) return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    sb->data = xrealloc(sb->data, cap);
    sb->cap = cap;
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
    sb_grow(sb, n);
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_putc(struct strbuf *sb, char c)
{
    sb_add(sb, &c, 1);
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) return;
    sb_grow(sb, (size_t)n);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

const char *sb_str(const struct strbuf *sb)
{
    return sb->data ? sb->data : "";
}

char *sb_take(struct strbuf *sb)
{
    char *s = sb->data ? sb->data : xstrdup("");
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->data) sb->data[0] = '\0';
}

void sb_free(struct strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

static void report(const char *prefix, const char *fmt, va_list ap)
{
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, prefix);
    sb_vprintf(&sb, fmt, ap);
    sb_putc(&sb, '\n');
    progress_print(sb.data);
    sb_free(&sb);
}

void rr_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("riskreg: ", fmt, ap);
    va_end(ap);
}

void rr_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("riskreg: warning: ", fmt, ap);
    va_end(ap);
}

int text_disk_full(int e)
{
    return e == ENOSPC || e == EFBIG || e == EDQUOT;
}

void text_name_key(const char *s, char *out, size_t outsize)
{
    size_t n = 0;
    for (; *s && n + 1 < outsize; s++) {
        unsigned char c = (unsigned char)*s;
        /* keep letters, digits, '#' and all non-ASCII; drop spaces and punctuation */
        if (c < 0x80 && !isalnum(c) && c != '#') continue;
        out[n++] = (char)tolower(c);
    }
    out[n] = '\0';
}

static int is_unit(const char *s, size_t n)
{
    static const char *const units[] = {"chf", "eur",  "usd", "gbp",     "aud", "cad",
                                        "nzd", "days", "pct", "percent", NULL};
    for (int i = 0; units[i]; i++)
        if (strlen(units[i]) == n && strncasecmp(s, units[i], n) == 0) return 1;
    return 0;
}

/* Length of header without its tail of scale or unit (see text_header_key). */
static size_t without_scale(const char *h, size_t n)
{
    for (;;) {
        while (n && isspace((unsigned char)h[n - 1]))
            n--;
        if (n && strchr(")]}", h[n - 1])) { /* "(1-5)", "[1–5]", "(CHF)" */
            char open = h[n - 1] == ')' ? '(' : h[n - 1] == ']' ? '[' : '{';
            size_t i = n - 1;
            while (i && h[i - 1] != open)
                i--;
            if (!i) return n;
            n = i - 1;
            continue;
        }
        size_t i = n; /* "_1to5", "_CHF" */
        while (i && h[i - 1] != '_' && !isspace((unsigned char)h[i - 1]))
            i--;
        if (i && h[i - 1] == '_' && i < n) {
            int digit = 0;
            for (size_t j = i; j < n; j++)
                digit |= isdigit((unsigned char)h[j]);
            if (digit || is_unit(h + i, n - i)) {
                n = i - 1;
                continue;
            }
        }
        /* " 1-5", " 1 to 5", " 0–100%": digits, dashes, "to" and '%' after the last word */
        i = n;
        int digit = 0;
        while (i) {
            unsigned char c = (unsigned char)h[i - 1];
            if (isdigit(c))
                digit = 1;
            else if (!(c == '-' || c == ' ' || c == '%' || c == '/' || c >= 0x80 ||
                       (i >= 2 && strncasecmp(h + i - 2, "to", 2) == 0 && (i -= 1))))
                break;
            i--;
        }
        if (digit && i && i < n && isspace((unsigned char)h[i])) {
            n = i;
            continue;
        }
        return n;
    }
}

void text_header_key(const char *header, char *out, size_t outsize)
{
    size_t n = without_scale(header, strlen(header));
    char buf[256];
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, header, n);
    buf[n] = '\0';
    text_name_key(buf, out, outsize);
}

int text_distance(const char *a, const char *b)
{
    /* optimal string alignment: an adjacent swap ("lsit") costs one edit, as a typo does */
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 99;
    int d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *text_suggest(const char *word, const char *const *candidates, size_t n)
{
    char key[128], ckey[128];
    text_name_key(word, key, sizeof key);
    const char *best = NULL;
    int best_d = 99;
    for (size_t i = 0; i < n; i++) {
        text_name_key(candidates[i], ckey, sizeof ckey);
        int d = text_distance(key, ckey);
        if (d == 0) return candidates[i];
        /* a prefix ("desc" for "description") is a good guess too */
        if (d > 1 && strlen(key) >= 3 && strncmp(ckey, key, strlen(key)) == 0) d = 1;
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    size_t len = strlen(key);
    int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    return best_d <= limit ? best : NULL;
}

long text_utf8_invalid_at(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t need;
        unsigned int cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return (long)i;
        }
        if (i + need >= n) return (long)i;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return (long)i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return (long)i;
        i += need + 1;
    }
    return -1;
}

size_t text_utf8_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

void text_utf8_clip(struct strbuf *sb, const char *s, size_t max)
{
    if (max == 0) return;
    if (text_utf8_width(s) <= max) {
        sb_puts(sb, s);
        return;
    }
    size_t chars = 0;
    const char *p = s;
    while (*p) {
        if (((unsigned char)*p & 0xC0) != 0x80) {
            if (chars == max - 1) break;
            chars++;
        }
        p++;
    }
    sb_add(sb, s, (size_t)(p - s));
    sb_puts(sb, "…");
}

char *text_trim(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    size_t start = 0;
    while (s[start] && isspace((unsigned char)s[start]))
        start++;
    if (start) memmove(s, s + start, n - start + 1);
    return s;
}

int text_equal_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
    return *a == *b;
}

int text_parse_int(const char *s, long long *out)
{
    if (!*s || isspace((unsigned char)*s)) return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

int text_parse_number(const char *s, double *out)
{
    if (!*s || isspace((unsigned char)*s)) return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v)) return -1;
    /* strtod also reads hex and "inf"; a register holds plain decimals */
    for (const char *p = s; *p; p++)
        if (!(isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+' || *p == 'e' ||
              *p == 'E'))
            return -1;
    *out = v;
    return 0;
}

void text_format_integer(long long v, char *out, size_t outsize)
{
    char digits[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t i = 0;
    if (v < 0 && i + 1 < outsize) out[i++] = '-';
    while (n && i + 1 < outsize)
        out[i++] = digits[--n];
    out[i] = '\0';
}

void text_format_number(double v, char *out, size_t outsize)
{
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(out, outsize, "%.*g", precision, v);
        if (strtod(out, NULL) == v) return;
    }
}

const char *text_article(const char *word)
{
    return word && strchr("aeiouAEIOU", word[0]) && word[0] ? "an" : "a";
}

int text_slurp(const char *path, struct strbuf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(out, buf, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        sb_free(out);
        errno = EIO;
        return -1;
    }
    if (!out->data) sb_add(out, "", 0);
    return 0;
}

int text_read_file(const char *path, struct strbuf *out)
{
    if (text_slurp(path, out) == 0) return 0;
    rr_error("%s: %s", path, errno == EIO ? "cannot read the file" : strerror(errno));
    return -1;
}

int text_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    out[0] = '\0';
    if (!EVP_Digest(data, len, digest, &n, EVP_sha256(), NULL) || n != 32) return -1;
    text_hex(digest, n, out);
    return 0;
}

void text_hex(const unsigned char *bytes, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[bytes[i] >> 4];
        out[2 * i + 1] = hex[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}
