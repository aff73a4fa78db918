/* fuzz_date.c - date_parse, date_explain and date_parse_period on any text.
 *
 * Checks: a parsed date is strict YYYY-MM-DD in 1900..2999 and date_format gives back the very
 * same text (and date_to_ymd the same numbers); date_explain writes a NUL-terminated message
 * into any buffer size and never past it, and a suggestion it makes ("write 2026-12-31") is a
 * real date built from numbers that are in the text; a parsed period is a whole calendar quarter
 * (first day of its first month to the last day of its last month); a spreadsheet's date
 * (date_parse_sheet) is a calendar date, and never a guess at the order of day and month. */
#include "fuzz_common.h"

#include <ctype.h>

/* Is the number v written in s as a run of digits (leading zeros allowed)? */
static int number_in_text(const char *s, long v)
{
    for (const char *p = s; *p;) {
        if (!isdigit((unsigned char)*p)) {
            p++;
            continue;
        }
        long n = 0;
        int big = 0;
        for (; isdigit((unsigned char)*p); p++) {
            if (n > 100000) big = 1;
            n = big ? n : n * 10 + (*p - '0');
        }
        if (!big && n == v) return 1;
    }
    return 0;
}

static void check_explain(const char *s)
{
    static const size_t sizes[] = {1, 2, 11, 40, 256};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char buf[256 + 16];
        memset(buf, 0x7F, sizeof buf);
        date_explain(s, buf, sizes[i]);
        FUZZ_CHECK(memchr(buf, '\0', sizes[i]) != NULL, "date_explain: no NUL within %zu bytes",
                   sizes[i]);
        for (size_t j = sizes[i]; j < sizeof buf; j++)
            FUZZ_CHECK((unsigned char)buf[j] == 0x7F, "date_explain wrote past %zu bytes",
                       sizes[i]);
        if (sizes[i] == 256) FUZZ_CHECK(buf[0] != '\0', "date_explain: empty message");
    }
    /* a suggestion must be a real date whose numbers the text holds */
    char msg[1024];
    date_explain(s, msg, sizeof msg);
    size_t n = strlen(msg);
    const char *w = n >= 18 ? msg + n - 18 : NULL; /* "... (write YYYY-MM-DD)" at the end */
    if (w && strncmp(w, "(write ", 7) == 0 && w[17] == ')' && strlen(s) < 900) {
        char date[DATE_TEXT_SIZE];
        memcpy(date, w + 7, 10);
        date[10] = '\0';
        rr_day day;
        FUZZ_CHECK(date_parse(date, &day) == 0, "date_explain suggests '%s', not a date", date);
        int y, m, d;
        date_to_ymd(day, &y, &m, &d);
        FUZZ_CHECK(number_in_text(s, y) && number_in_text(s, m) && number_in_text(s, d),
                   "date_explain suggests %s for '%s', numbers the text does not hold", date, s);
    }
}

/* A spreadsheet's date in every order: a date it gives is on the calendar (1900..2999), ISO text
 * is read the same in every order, and numbers alone are never read without an order. */
static void check_sheet_dates(const char *s)
{
    rr_day iso, day;
    int strict = date_parse(s, &iso) == 0;
    for (int order = DATE_ISO; order <= DATE_YMD; order++)
        for (int serials = 0; serials <= 1; serials++) {
            if (date_parse_sheet(s, (enum date_order)order, serials, &day) != 0) continue;
            int y, m, d;
            date_to_ymd(day, &y, &m, &d);
            FUZZ_CHECK(date_valid_ymd(y, m, d), "date_parse_sheet('%s') gives no calendar date", s);
            FUZZ_CHECK(!strict || day == iso, "date_parse_sheet('%s') differs from date_parse", s);
            FUZZ_CHECK(order != DATE_ISO || !date_needs_order(s),
                       "date_parse_sheet('%s') guessed an order", s);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstring(data, size);
    rr_day day;
    if (date_parse(s, &day) == 0) {
        char back[DATE_TEXT_SIZE];
        date_format(day, back);
        FUZZ_CHECK(strcmp(back, s) == 0, "date_parse('%s') formats back as '%s'", s, back);
        int y, m, d;
        date_to_ymd(day, &y, &m, &d);
        FUZZ_CHECK(date_valid_ymd(y, m, d) && date_from_ymd(y, m, d) == day,
                   "day %ld does not round-trip through y/m/d", day);
        int year, q = date_quarter_of(day, &year);
        FUZZ_CHECK(q >= 1 && q <= 4 && year == y, "date_quarter_of('%s') = %d-Q%d", s, year, q);
    }
    check_explain(s);
    check_sheet_dates(s);
    rr_day first, last;
    if (date_parse_period(s, &first, &last) == 0) {
        int y1, m1, d1, y2, m2, d2, yq;
        date_to_ymd(first, &y1, &m1, &d1);
        date_to_ymd(last, &y2, &m2, &d2);
        int q = date_quarter_of(first, &yq);
        char text[16];
        snprintf(text, sizeof text, "%04d-Q%d", yq, q);
        FUZZ_CHECK(strlen(s) == 7 && strncmp(text, s, 5) == 0 && text[6] == s[6] &&
                       (s[5] == 'Q' || s[5] == 'q'),
                   "period '%s' parsed as %s", s, text);
        FUZZ_CHECK(first <= last && y1 == y2 && d1 == 1 && m1 == (q - 1) * 3 + 1 && m2 == q * 3 &&
                       date_quarter_of(last, &yq) == q,
                   "period '%s' is %04d-%02d-%02d..%04d-%02d-%02d, not a whole quarter", s, y1, m1,
                   d1, y2, m2, d2);
        FUZZ_CHECK(date_valid_ymd(y2, m2, d2) && !date_valid_ymd(y2, m2, d2 + 1),
                   "period '%s' does not end on the last day of a month", s);
    }
    free(s);
    return 0;
}
