/* date.c - calendar dates as day numbers, ISO text and quarters */
#include "date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Days from civil, after Howard Hinnant's public-domain algorithm. */
rr_day date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_to_ymd(rr_day z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return days[m - 1];
}

int date_valid_ymd(int y, int m, int d)
{
    return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int date_parse(const char *s, rr_day *out)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0 || !date_valid_ymd(y, m, d)) return -1;
    *out = date_from_ymd(y, m, d);
    return 0;
}

int date_order_parse(const char *name, enum date_order *out)
{
    static const char *const names[] = {"DMY", "MDY", "YMD"};
    for (int i = 0; i < 3; i++)
        if (strcasecmp(name, names[i]) == 0) {
            *out = (enum date_order)(i + 1);
            return 0;
        }
    return -1;
}

const char *date_order_name(enum date_order order)
{
    return order == DATE_DMY   ? "DMY"
           : order == DATE_MDY ? "MDY"
           : order == DATE_YMD ? "YMD"
                               : "ISO";
}

/* A number of up to max digits at *p, which moves past it; -1 when there is none. */
static int number_at(const char **p, int max, int *ndigits)
{
    int v = 0, n = 0;
    while (isdigit((unsigned char)**p) && n < max) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (ndigits) *ndigits = n;
    return n ? v : -1;
}

/* 1..12 for a month's English name or its first three letters, else 0 */
static int month_named(const char *s, size_t n)
{
    static const char *const months[] = {"january",   "february", "march",    "april",
                                         "may",       "june",     "july",     "august",
                                         "september", "october",  "november", "december"};
    if (n < 3) return 0;
    for (int m = 0; m < 12; m++)
        if (n <= strlen(months[m]) && strncasecmp(s, months[m], n) == 0) return m + 1;
    if (n == 4 && strncasecmp(s, "sept", 4) == 0) return 9;
    return 0;
}

static int full_year(int y, int ndigits)
{
    return ndigits == 2 ? 2000 + y : ndigits == 4 ? y : -1;
}

static int accept_ymd(int y, int m, int d, rr_day *out)
{
    if (!date_valid_ymd(y, m, d)) return -1;
    *out = date_from_ymd(y, m, d);
    return 0;
}

/* "31 Dec 2026", "31-Dec-26", "Dec 31, 2026", "December 31 2026" */
static int parse_month_words(const char *s, rr_day *out)
{
    const char *p = s;
    int d = -1, m = 0, y = -1, n = 0;
    if (isdigit((unsigned char)*p)) {
        d = number_at(&p, 2, NULL);
        while (*p == ' ' || *p == '-' || *p == '.' || *p == '/')
            p++;
        const char *w = p;
        while (isalpha((unsigned char)*p))
            p++;
        m = month_named(w, (size_t)(p - w));
    } else {
        const char *w = p;
        while (isalpha((unsigned char)*p))
            p++;
        m = month_named(w, (size_t)(p - w));
        if (*p == '.') p++;
        while (*p == ' ')
            p++;
        d = number_at(&p, 2, NULL);
        if (*p == ',') p++;
    }
    while (*p == ' ' || *p == '-' || *p == '.' || *p == '/')
        p++;
    y = number_at(&p, 4, &n);
    y = full_year(y, n);
    if (!m || d < 0 || y < 0 || *p) return -1;
    return accept_ymd(y, m, d, out);
}

/* Three numbers with one separator ('/', '.' or '-') between them: a, b, c and their digits */
static int three_numbers(const char *s, int v[3], int nd[3])
{
    const char *p = s;
    char sep = 0;
    for (int i = 0; i < 3; i++) {
        v[i] = number_at(&p, 4, &nd[i]);
        if (v[i] < 0) return -1;
        if (i == 2) break;
        if (*p != '/' && *p != '.' && *p != '-') return -1;
        if (sep && *p != sep) return -1;
        sep = *p++;
    }
    return *p ? -1 : 0;
}

int date_needs_order(const char *s)
{
    int v[3], nd[3];
    return three_numbers(s, v, nd) == 0 && nd[0] <= 2 && nd[1] <= 2 && nd[2] == 4;
}

int date_parse_sheet(const char *s, enum date_order order, int serials, rr_day *out)
{
    if (date_parse(s, out) == 0) return 0;
    if (isalpha((unsigned char)s[0]) ||
        (isdigit((unsigned char)s[0]) && strpbrk(s, "JjFfMmAaSsOoNnDd")))
        return parse_month_words(s, out);
    int v[3], nd[3];
    if (order != DATE_ISO && three_numbers(s, v, nd) == 0) {
        if (order == DATE_YMD && nd[0] == 4 && nd[1] <= 2 && nd[2] <= 2)
            return accept_ymd(v[0], v[1], v[2], out);
        if (order != DATE_YMD && nd[0] <= 2 && nd[1] <= 2) {
            int y = full_year(v[2], nd[2]);
            if (y < 0) return -1;
            return order == DATE_DMY ? accept_ymd(y, v[1], v[0], out)
                                     : accept_ymd(y, v[0], v[1], out);
        }
        return -1;
    }
    if (serials) {
        /* Excel's day number: 25569 is 1970-01-01 (its 1900 system, past its leap-year slip);
         * a fraction is the time of day */
        char *end;
        double serial = strtod(s, &end);
        if (end != s && !*end && serial >= 25569 && serial < 73051) {
            *out = (rr_day)serial - 25569;
            return 0;
        }
    }
    return -1;
}

void date_explain(const char *s, char *out, size_t outsize)
{
    int a, b, c;
    char sep1, sep2, tail;
    if (strlen(s) == 10 && s[4] == '-' && s[7] == '-' && digits(s, 4) >= 0 &&
        digits(s + 5, 2) >= 0 && digits(s + 8, 2) >= 0) {
        snprintf(out, outsize, "'%s' is not a calendar date", s);
        return;
    }
    if (sscanf(s, "%2d%c%2d%c%4d%c", &a, &sep1, &b, &sep2, &c, &tail) == 5 && sep1 == sep2 &&
        (sep1 == '/' || sep1 == '.' || sep1 == '-') && c >= 1900 && c <= 2999) {
        /* day/month/year or month/day/year: only suggest when it cannot be both */
        if (a > 12 && date_valid_ymd(c, b, a)) {
            snprintf(out, outsize, "'%s' is not a YYYY-MM-DD date (write %04d-%02d-%02d)", s, c, b,
                     a);
            return;
        }
        if (b > 12 && date_valid_ymd(c, a, b)) {
            snprintf(out, outsize, "'%s' is not a YYYY-MM-DD date (write %04d-%02d-%02d)", s, c, a,
                     b);
            return;
        }
        snprintf(out, outsize,
                 "'%s' is not a YYYY-MM-DD date (day and month order is ambiguous; write it as "
                 "YYYY-MM-DD)",
                 s);
        return;
    }
    snprintf(out, outsize, "'%s' is not a date; write dates as YYYY-MM-DD", s);
}

void date_format(rr_day day, char out[DATE_TEXT_SIZE])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    /* the compiler cannot see that y, m and d fit their widths; clamp so it can */
    unsigned yy = (unsigned)y % 10000u, mm = (unsigned)m % 100u, dd = (unsigned)d % 100u;
    snprintf(out, DATE_TEXT_SIZE, "%04u-%02u-%02u", yy, mm, dd);
}

rr_day date_today(void)
{
    const char *fixed = getenv("RISKREG_TODAY");
    rr_day day;
    if (fixed && *fixed && date_parse(fixed, &day) == 0) return day;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void date_now_utc(char out[21])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int date_quarter_of(rr_day day, int *year)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    *year = y;
    return (m - 1) / 3 + 1;
}

int date_parse_period(const char *s, rr_day *first, rr_day *last)
{
    if (strlen(s) != 7 || s[4] != '-' || (s[5] != 'Q' && s[5] != 'q')) return -1;
    int y = digits(s, 4), q = s[6] - '0';
    if (y < 1900 || y > 2999 || q < 1 || q > 4) return -1;
    *first = date_from_ymd(y, (q - 1) * 3 + 1, 1);
    *last = q == 4 ? date_from_ymd(y, 12, 31) : date_from_ymd(y, q * 3 + 1, 1) - 1;
    return 0;
}
