/* test_text.c - strbuf, name keys, suggestions, UTF-8, trimming and numbers */
#include "text.h"
#include "unit.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *key(const char *s)
{
    static char buf[128];
    text_name_key(s, buf, sizeof buf);
    return buf;
}

static long bad_at(const char *s, size_t n)
{
    return text_utf8_invalid_at(s, n);
}

#define BAD_AT(lit) bad_at(lit, sizeof(lit) - 1)

static char *clip(const char *s, size_t max)
{
    struct strbuf sb = STRBUF_INIT;
    text_utf8_clip(&sb, s, max);
    return sb_take(&sb);
}

static char *trimmed(const char *s)
{
    char *copy = xstrdup(s);
    char *r = text_trim(copy);
    if (r != copy) { /* text_trim works in place and returns its argument */
        free(copy);
        return xstrdup("(not in place)");
    }
    return copy;
}

static const char *num(double v)
{
    static char buf[64];
    buf[0] = '\0';
    text_format_number(v, buf, sizeof buf);
    return buf;
}

static void test_strbuf(void)
{
    struct strbuf sb = STRBUF_INIT;
    CHECK_STR(sb_str(&sb), "");
    CHECK(sb.len == 0);
    sb_puts(&sb, "abc");
    CHECK_STR(sb_str(&sb), "abc");
    CHECK(sb.len == 3);
    sb_putc(&sb, '-');
    sb_add(&sb, "xyz123", 3);
    CHECK_STR(sb_str(&sb), "abc-xyz");
    CHECK(sb.len == 7);
    sb_printf(&sb, " %d/%s/%05.1f", 42, "q", 2.5);
    CHECK_STR(sb_str(&sb), "abc-xyz 42/q/002.5");
    CHECK(sb.len == strlen(sb.data));
    CHECK(sb.cap > sb.len);

    /* embedded NUL counts in len */
    sb_reset(&sb);
    CHECK_STR(sb_str(&sb), "");
    CHECK(sb.len == 0);
    sb_add(&sb, "a\0b", 3);
    CHECK(sb.len == 3);
    CHECK(memcmp(sb.data, "a\0b", 4) == 0);

    /* growth far past the first allocation keeps every byte */
    sb_reset(&sb);
    for (int i = 0; i < 10000; i++)
        sb_putc(&sb, (char)('a' + i % 26));
    CHECK(sb.len == 10000);
    CHECK(strlen(sb.data) == 10000);
    CHECK(sb.data[0] == 'a' && sb.data[25] == 'z' && sb.data[26] == 'a' && sb.data[9999] == 'p');
    sb_reset(&sb);
    struct strbuf big = STRBUF_INIT;
    for (int i = 0; i < 3000; i++)
        sb_puts(&big, "0123456789");
    sb_printf(&sb, "%s|%s", big.data, "end");
    CHECK(sb.len == 30004);
    CHECK(strcmp(sb.data + 30000, "|end") == 0);
    sb_free(&big);

    char *taken = sb_take(&sb);
    CHECK(taken != NULL && strlen(taken) == 30004);
    CHECK(sb.data == NULL && sb.len == 0 && sb.cap == 0);
    CHECK_STR(sb_str(&sb), "");
    free(taken);

    taken = sb_take(&sb); /* from an empty buffer: "" that the caller frees */
    CHECK_STR(taken, "");
    free(taken);

    sb_puts(&sb, "again");
    CHECK_STR(sb_str(&sb), "again");
    sb_free(&sb);
    CHECK(sb.data == NULL && sb.len == 0 && sb.cap == 0);
    sb_free(&sb); /* twice is harmless */

    char *d = xstrndup("hello world", 5);
    CHECK_STR(d, "hello");
    free(d);
    d = xstrdup("");
    CHECK_STR(d, "");
    free(d);
}

static void test_name_key(void)
{
    CHECK_STR(key("Risk Owner"), "riskowner");
    CHECK_STR(key("risk_owner"), "riskowner");
    CHECK_STR(key("RISK-OWNER"), "riskowner");
    CHECK_STR(key("Risk-Owner"), "riskowner");
    CHECK_STR(key("Risk owner:"), "riskowner");
    CHECK_STR(key("  risk   owner  "), "riskowner");
    CHECK_STR(key("Effective?"), "effective");
    CHECK_STR(key("Likelihood (L)"), "likelihoodl");
    CHECK_STR(key("Risk #"), "risk#");
    CHECK_STR(key("#"), "#");
    CHECK_STR(key("Review Frequency (days)"), "reviewfrequencydays");
    CHECK_STR(key(""), "");
    CHECK_STR(key("--__  "), "");
    CHECK_STR(key("P1"), "p1");
    CHECK_STR(key("Stage 2"), "stage2");
    CHECK_STR(key("Won't do"), "wontdo");
    /* non-ASCII letters are kept as they are */
    CHECK_STR(key("\xC3\x89"
                  "ffet Total"),
              "\xC3\x89"
              "ffettotal");

    /* a small output is cut and still terminated */
    char small[5];
    text_name_key("Risk Owner", small, sizeof small);
    CHECK_STR(small, "risk");
}

static void test_distance_and_suggest(void)
{
    CHECK(text_distance("", "") == 0);
    CHECK(text_distance("abc", "abc") == 0);
    CHECK(text_distance("", "abc") == 3);
    CHECK(text_distance("abc", "") == 3);
    CHECK(text_distance("kitten", "sitting") == 3);
    CHECK(text_distance("tittle", "title") == 1);
    CHECK(text_distance("lst", "list") == 1);
    CHECK(text_distance("flaw", "lawn") == 2);
    CHECK(text_distance("abc", "acb") == 1); /* an adjacent swap is one edit */
    CHECK(text_distance("lsit", "list") == 1);
    CHECK(text_distance("ab", "ba") == 1);
    CHECK(text_distance("abcd", "badc") == 2);
    CHECK(text_distance("ca", "abc") == 3); /* optimal string alignment, not full Damerau */
    CHECK(text_distance("owner", "owner") == 0);

    const char *fields[] = {"id", "title", "description", "owner", "status", "created_on"};
    size_t nf = sizeof fields / sizeof fields[0];
    CHECK_STR(text_suggest("tittle", fields, nf), "title");
    CHECK_STR(text_suggest("Titel", fields, nf), "title");
    CHECK_STR(text_suggest("ownr", fields, nf), "owner");
    CHECK_STR(text_suggest("desc", fields, nf), "description"); /* a prefix */
    CHECK_STR(text_suggest("Created On", fields, nf), "created_on");
    CHECK_STR(text_suggest("stauts", fields, nf), "status");
    CHECK(text_suggest("banana", fields, nf) == NULL);
    CHECK(text_suggest("zzzzzzzzzz", fields, nf) == NULL);
    CHECK(text_suggest("", fields, nf) == NULL);
    CHECK(text_suggest("title", fields, 0) == NULL);
    const char *reviews[] = {"reviews", "review_inputs", "review_actions"};
    CHECK_STR(text_suggest("review_input", reviews, 3), "review_inputs");
    CHECK_STR(text_suggest("review action", reviews, 3), "review_actions");
    const char *dated[] = {"due_on", "done_on"};
    CHECK_STR(text_suggest("done", dated, 2), "done_on");
    /* Regression: an exact match wins even when an earlier candidate starts with the word (the
     * prefix rule once raised the exact match's distance to 1, and "titles" came first) */
    const char *prefixed[] = {"titles", "title"};
    CHECK_STR(text_suggest("title", prefixed, 2), "title");

    const char *commands[] = {"init",   "import", "export", "add",   "set",
                              "assess", "close",  "show",   "list",  "edit",
                              "due",    "log",    "verify", "build", "help"};
    size_t nc = sizeof commands / sizeof commands[0];
    CHECK_STR(text_suggest("lst", commands, nc), "list");
    CHECK_STR(text_suggest("lsit", commands, nc), "list");
    CHECK_STR(text_suggest("imprt", commands, nc), "import");
    CHECK_STR(text_suggest("verfy", commands, nc), "verify");
    CHECK_STR(text_suggest("biuld", commands, nc), "build");
    CHECK_STR(text_suggest("exprot", commands, nc), "export");
    CHECK(text_suggest("banana", commands, nc) == NULL);
    CHECK(text_suggest("frobnicate", commands, nc) == NULL);
    CHECK(text_suggest("xyz", commands, nc) == NULL);
}

static void test_utf8(void)
{
    CHECK(BAD_AT("") == -1);
    CHECK(BAD_AT("plain ascii") == -1);
    CHECK(BAD_AT("caf\xC3\xA9") == -1);      /* é, 2 bytes */
    CHECK(BAD_AT("\xE2\x82\xAC 5") == -1);   /* €, 3 bytes */
    CHECK(BAD_AT("\xF0\x9F\x98\x80") == -1); /* 😀, 4 bytes */
    CHECK(BAD_AT("\xF4\x8F\xBF\xBF") == -1); /* U+10FFFF, the highest */
    CHECK(BAD_AT("\xED\x9F\xBF") == -1);     /* U+D7FF, just below surrogates */
    CHECK(BAD_AT("\xEE\x80\x80") == -1);     /* U+E000, just above */
    CHECK(BAD_AT("\xC2\x80") == -1);         /* U+0080, lowest 2-byte */
    CHECK(BAD_AT("\xE0\xA0\x80") == -1);     /* U+0800, lowest 3-byte */
    CHECK(BAD_AT("\xF0\x90\x80\x80") == -1); /* U+10000, lowest 4-byte */
    CHECK(BAD_AT("\xEF\xBB\xBF"
                 "abc") == -1); /* BOM is valid UTF-8 */

    CHECK(BAD_AT("\xC0\xAF") == 0); /* overlong '/' */
    CHECK(BAD_AT("ab\xC0\xAF") == 2);
    CHECK(BAD_AT("\xC1\xBF") == 0);         /* overlong */
    CHECK(BAD_AT("\xE0\x80\xAF") == 0);     /* overlong 3-byte */
    CHECK(BAD_AT("\xF0\x80\x80\xAF") == 0); /* overlong 4-byte */
    CHECK(BAD_AT("x\xED\xA0\x80") == 1);    /* surrogate U+D800 */
    CHECK(BAD_AT("\xED\xBF\xBF") == 0);     /* surrogate U+DFFF */
    CHECK(BAD_AT("\xF4\x90\x80\x80") == 0); /* U+110000, above the maximum */
    CHECK(BAD_AT("\xF5\x80\x80\x80") == 0);
    CHECK(BAD_AT("\xFF") == 0);
    CHECK(BAD_AT("abc\xFF") == 3);
    CHECK(BAD_AT("\xFE") == 0);
    CHECK(BAD_AT("\x80") == 0);    /* a lone continuation byte */
    CHECK(BAD_AT("caf\xE9") == 3); /* Latin-1 é */
    CHECK(BAD_AT("caf\xE9 au lait") == 3);
    CHECK(BAD_AT("abc\xC3") == 3); /* truncated at the end */
    CHECK(BAD_AT("abc\xE2\x82") == 3);
    CHECK(BAD_AT("abc\xF0\x9F\x98") == 3);
    CHECK(BAD_AT("\xC3"
                 "a") == 0); /* continuation missing */
    CHECK(BAD_AT("\xE2\x82"
                 "a") == 0);
    /* n limits what is looked at: a sequence cut by n is invalid, bytes after n do not count */
    CHECK(bad_at("caf\xC3\xA9", 4) == 3);
    CHECK(bad_at("ok\xFF", 2) == -1);
    CHECK(bad_at("\xC3\xA9", 2) == -1);

    CHECK(text_utf8_width("") == 0);
    CHECK(text_utf8_width("abc") == 3);
    CHECK(text_utf8_width("caf\xC3\xA9") == 4);
    CHECK(text_utf8_width("\xE2\x82\xAC\xE2\x82\xAC") == 2);
    CHECK(text_utf8_width("\xF0\x9F\x98\x80!") == 2);
    CHECK(text_utf8_width("\xC3\xA9t\xC3\xA9") == 3);
}

static void test_clip(void)
{
    char *c = clip("hello", 10);
    CHECK_STR(c, "hello");
    free(c);
    c = clip("hello", 5);
    CHECK_STR(c, "hello");
    free(c);
    c = clip("hello world", 5);
    CHECK_STR(c, "hell\xE2\x80\xA6");
    CHECK(text_utf8_width(c) == 5);
    free(c);
    c = clip("", 3);
    CHECK_STR(c, "");
    free(c);
    c = clip("abc", 1);
    CHECK_STR(c, "\xE2\x80\xA6");
    free(c);

    /* never splits a multi-byte character */
    c = clip("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3); /* éééé */
    CHECK_STR(c, "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
    CHECK(BAD_AT("") == -1 && bad_at(c, strlen(c)) == -1);
    free(c);
    c = clip("\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 2);
    CHECK_STR(c, "\xF0\x9F\x98\x80\xE2\x80\xA6");
    free(c);
    c = clip("a\xE2\x82\xAC"
             "bcdef",
             3);
    CHECK_STR(c, "a\xE2\x82\xAC\xE2\x80\xA6");
    free(c);

    /* every cut of a mixed string is valid UTF-8 of at most max characters */
    const char *mixed = "R\xC3\xA9sum\xC3\xA9 \xE2\x82\xAC"
                        "5 \xF0\x9F\x98\x80 ok";
    size_t width = text_utf8_width(mixed);
    int bad = 0;
    for (size_t max = 1; max <= width + 2; max++) {
        c = clip(mixed, max);
        if (bad_at(c, strlen(c)) != -1) bad++;
        if (text_utf8_width(c) > max) bad++;
        if (max >= width && strcmp(c, mixed) != 0) bad++;
        if (max < width && strstr(c, "\xE2\x80\xA6") == NULL) bad++;
        free(c);
    }
    CHECK(bad == 0);

    /* appends to what the buffer holds */
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, ">");
    text_utf8_clip(&sb, "abcdef", 3);
    CHECK_STR(sb_str(&sb), ">ab\xE2\x80\xA6");
    sb_free(&sb);

    /* Regression: max 0 ("at most 0 characters") copied the
     * whole text and added "…": the loop compared chars with max - 1, which wraps for 0 */
    c = clip("abcdef", 0);
    CHECK(text_utf8_width(c) <= 1);
    free(c);
}

static void test_trim(void)
{
    char *t;
    t = trimmed("  hello  ");
    CHECK_STR(t, "hello");
    free(t);
    t = trimmed("\t\r\n hello world \r\n");
    CHECK_STR(t, "hello world");
    free(t);
    t = trimmed("x");
    CHECK_STR(t, "x");
    free(t);
    t = trimmed("");
    CHECK_STR(t, "");
    free(t);
    t = trimmed("    ");
    CHECK_STR(t, "");
    free(t);
    t = trimmed("a  b");
    CHECK_STR(t, "a  b");
    free(t);
    t = trimmed(" \xC3\xA9 ");
    CHECK_STR(t, "\xC3\xA9");
    free(t);
    t = trimmed("\xC2\xA0x"); /* a no-break space is not ASCII white space */
    CHECK_STR(t, "\xC2\xA0x");
    free(t);

    CHECK_STR(text_article("risk"), "a");
    CHECK_STR(text_article("assessment"), "an");
    CHECK_STR(text_article("improvement"), "an");
    CHECK_STR(text_article("owner"), "an");
    CHECK_STR(text_article("Audit"), "an");
    CHECK_STR(text_article("title"), "a");
    CHECK_STR(text_article("nonconformity"), "a");
    CHECK_STR(text_article(""), "a");

    CHECK(text_equal_nocase("Risk", "rISK"));
    CHECK(text_equal_nocase("", ""));
    CHECK(!text_equal_nocase("Risk", "Risks"));
    CHECK(!text_equal_nocase("Risks", "Risk"));
    CHECK(!text_equal_nocase("a", ""));
}

static void test_parse_int(void)
{
    long long v = 0;
    CHECK(text_parse_int("42", &v) == 0);
    CHECK(v == 42);
    CHECK(text_parse_int("-7", &v) == 0);
    CHECK(v == -7);
    CHECK(text_parse_int("+5", &v) == 0);
    CHECK(v == 5);
    CHECK(text_parse_int("007", &v) == 0);
    CHECK(v == 7);
    CHECK(text_parse_int("9223372036854775807", &v) == 0);
    CHECK(v == 9223372036854775807LL);
    v = 99;
    CHECK(text_parse_int("", &v) != 0);
    CHECK(text_parse_int(" 1", &v) != 0);
    CHECK(text_parse_int("1 ", &v) != 0);
    CHECK(text_parse_int("1.5", &v) != 0);
    CHECK(text_parse_int("1e3", &v) != 0);
    CHECK(text_parse_int("12abc", &v) != 0);
    CHECK(text_parse_int("abc", &v) != 0);
    CHECK(text_parse_int("-", &v) != 0);
    CHECK(text_parse_int("9223372036854775808", &v) != 0);
    CHECK(text_parse_int("99999999999999999999", &v) != 0);
    CHECK(v == 99); /* untouched on failure */
}

static void test_parse_number(void)
{
    double v = 0;
    CHECK(text_parse_number("99.9", &v) == 0);
    CHECK(v == 99.9);
    CHECK(text_parse_number("100", &v) == 0);
    CHECK(v == 100);
    CHECK(text_parse_number("-2.5", &v) == 0);
    CHECK(v == -2.5);
    CHECK(text_parse_number("+3", &v) == 0);
    CHECK(v == 3);
    CHECK(text_parse_number("0.5", &v) == 0);
    CHECK(v == 0.5);
    CHECK(text_parse_number(".5", &v) == 0);
    CHECK(v == 0.5);
    CHECK(text_parse_number("1e3", &v) == 0);
    CHECK(v == 1000);
    CHECK(text_parse_number("2.5E-1", &v) == 0);
    CHECK(v == 0.25);
    CHECK(text_parse_number("0", &v) == 0);
    CHECK(v == 0);

    v = 123;
    CHECK(text_parse_number("1,5", &v) != 0);
    CHECK(text_parse_number("1,234.5", &v) != 0);
    CHECK(text_parse_number("0x10", &v) != 0);
    CHECK(text_parse_number("0X1P3", &v) != 0);
    CHECK(text_parse_number("inf", &v) != 0);
    CHECK(text_parse_number("-inf", &v) != 0);
    CHECK(text_parse_number("Infinity", &v) != 0);
    CHECK(text_parse_number("nan", &v) != 0);
    CHECK(text_parse_number("NaN", &v) != 0);
    CHECK(text_parse_number("", &v) != 0);
    CHECK(text_parse_number(" 1", &v) != 0);
    CHECK(text_parse_number("1 ", &v) != 0);
    CHECK(text_parse_number("1e999", &v) != 0);
    CHECK(text_parse_number("abc", &v) != 0);
    CHECK(text_parse_number("-", &v) != 0);
    CHECK(text_parse_number("e5", &v) != 0);
    CHECK(text_parse_number("12%", &v) != 0);
    CHECK(text_parse_number("1.2.3", &v) != 0);
    CHECK(v == 123); /* untouched on failure */
}

static void test_format_number(void)
{
    CHECK_STR(num(99.9), "99.9");
    CHECK_STR(num(100), "100");
    CHECK_STR(num(0), "0");
    CHECK_STR(num(-2.5), "-2.5");
    CHECK_STR(num(0.1), "0.1");
    CHECK_STR(num(1.0 / 3.0), "0.3333333333333333");
    CHECK_STR(num(123456789012.0), "123456789012");
    CHECK_STR(num(0.25), "0.25");

    double sum = 0.1 + 0.2;
    const char *s = num(sum);
    CHECK(strtod(s, NULL) == sum);
    CHECK_STR(s, "0.30000000000000004");
    CHECK(strcmp(num(sum), "0.3") != 0);

    /* round trip through text for many values */
    int bad = 0;
    double values[] = {1e-7,      1e21,    12345.6789,         3.141592653589793,
                       2.0 / 3.0, -1e-300, 9007199254740993.0, 99.95,
                       0.07,      1e100};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        double back = 0;
        const char *t = num(values[i]);
        if (text_parse_number(t, &back) != 0 || back != values[i]) bad++;
    }
    for (int i = -1000; i <= 1000; i++) {
        double x = i / 10.0, back = 0;
        const char *t = num(x);
        if (text_parse_number(t, &back) != 0 || back != x) bad++;
        if (strlen(t) > 7) bad++; /* short forms: "-99.9", not 17 digits */
    }
    CHECK(bad == 0);
}

/* whole numbers as the exports write them: what snprintf("%lld") would give */
static void test_format_integer(void)
{
    const long long values[] = {
        0, 7, -7, 10, 99, 100, 12345, -2147483648LL, 9007199254740993LL, LLONG_MAX, LLONG_MIN};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char got[32], want[32];
        text_format_integer(values[i], got, sizeof got);
        snprintf(want, sizeof want, "%lld", values[i]);
        CHECK_STR(got, want);
    }
    char small[4];
    text_format_integer(123456, small, sizeof small); /* cut to fit, always terminated */
    CHECK_STR(small, "123");
}

static const char *header_key(const char *h)
{
    static char buf[128];
    text_header_key(h, buf, sizeof buf);
    return buf;
}

static void test_header_key(void)
{
    CHECK_STR(header_key("Likelihood (1-5)"), "likelihood");
    CHECK_STR(header_key("Impact [1\xe2\x80\x93"
                         "5]"),
              "impact"); /* an en dash inside */
    CHECK_STR(header_key("Cost (CHF)"), "cost");
    CHECK_STR(header_key("L_1to5"), "l");
    CHECK_STR(header_key("Cost_EUR"), "cost");
    CHECK_STR(header_key("Impact 1-5"), "impact");
    CHECK_STR(header_key("Impact 1 to 5"), "impact");
    CHECK_STR(header_key("Score (0-100%)"), "score");
    CHECK_STR(header_key("Potential Impact (C,S,Q,Sc)"), "potentialimpact");
    /* a field's own underscores, and words that only end in digits, stay */
    CHECK_STR(header_key("residual_likelihood"), "residuallikelihood");
    CHECK_STR(header_key("Risk Owner"), "riskowner");
    CHECK_STR(header_key("Phase2"), "phase2");
    CHECK_STR(header_key("(1-5)"), "");
    CHECK_STR(header_key("Open (bracket"), "openbracket");
}

int main(void)
{
    test_header_key();
    test_strbuf();
    test_name_key();
    test_distance_and_suggest();
    test_utf8();
    test_clip();
    test_trim();
    test_parse_int();
    test_parse_number();
    test_format_number();
    test_format_integer();
    return unit_report();
}
