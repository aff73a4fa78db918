/* test_date.c - calendar dates: parsing, formatting, explanations, quarters, today */
#include "date.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

/* date_parse as a yes/no, with the day it gives */
static int parses(const char *s, rr_day *day)
{
    rr_day d = -999999;
    int rc = date_parse(s, &d);
    if (day) *day = d;
    return rc == 0;
}

static const char *fmt(rr_day day)
{
    static char buf[DATE_TEXT_SIZE];
    date_format(day, buf);
    return buf;
}

static const char *explain(const char *s)
{
    static char buf[256];
    buf[0] = '\0';
    date_explain(s, buf, sizeof buf);
    return buf;
}

static void test_parse_accepts(void)
{
    rr_day d;
    CHECK(parses("1970-01-01", &d));
    CHECK(d == 0);
    CHECK(parses("1970-01-02", &d));
    CHECK(d == 1);
    CHECK(parses("1969-12-31", &d));
    CHECK(d == -1);
    CHECK(parses("2000-03-01", &d));
    CHECK(d == 11017);
    CHECK(parses("2000-02-29", &d)); /* divisible by 400: a leap year */
    CHECK(d == 11016);
    CHECK(parses("2024-02-29", &d));
    CHECK(d == 19782);
    CHECK(parses("2026-12-31", &d));
    CHECK(d == 20818);
    CHECK(parses("2038-01-19", &d));
    CHECK(d == 24855);
    CHECK(parses("1900-01-01", &d));
    CHECK(d == -25567);
    CHECK(parses("2026-01-31", NULL));
    CHECK(parses("2026-04-30", NULL));
    CHECK(parses("2026-02-28", NULL));
    CHECK(parses("2026-06-30", NULL));
    CHECK(parses("2026-09-30", NULL));
    CHECK(parses("2026-11-30", NULL));
}

static void test_parse_rejects(void)
{
    rr_day d = 12345;
    CHECK(!parses("2026-02-30", NULL));
    CHECK(!parses("2026-02-29", NULL));
    CHECK(!parses("2025-02-29", NULL));
    CHECK(!parses("1900-02-29", NULL)); /* divisible by 100, not 400 */
    CHECK(!parses("2100-02-29", NULL));
    CHECK(!parses("2026-13-01", NULL));
    CHECK(!parses("2026-00-10", NULL));
    CHECK(!parses("2026-01-00", NULL));
    CHECK(!parses("2026-01-32", NULL));
    CHECK(!parses("2026-04-31", NULL));
    CHECK(!parses("2026-06-31", NULL));
    CHECK(!parses("2026-09-31", NULL));
    CHECK(!parses("2026-11-31", NULL));
    CHECK(!parses("2026-1-5", NULL));
    CHECK(!parses("2026-01-5", NULL));
    CHECK(!parses("2026-01-05 ", NULL));
    CHECK(!parses(" 2026-01-05", NULL));
    CHECK(!parses("2026-01-05T00:00", NULL));
    CHECK(!parses("31/12/2026", NULL));
    CHECK(!parses("12/31/2026", NULL));
    CHECK(!parses("2026/12/31", NULL));
    CHECK(!parses("2026.12.31", NULL));
    CHECK(!parses("20261231", NULL));
    CHECK(!parses("", NULL));
    CHECK(!parses("yesterday", NULL));
    CHECK(!parses("2026-0a-01", NULL));
    CHECK(!parses("2026-+1-01", NULL));
    CHECK(!parses("2026- 1-01", NULL));
    CHECK(!parses("+026-01-01", NULL));
    CHECK(!parses("-026-01-01", NULL));
    CHECK(!parses("0000-01-01", NULL));
    /* a failed parse leaves the output alone */
    CHECK(date_parse("2026-02-30", &d) != 0);
    CHECK(d == 12345);
}

static void test_valid_ymd(void)
{
    CHECK(date_valid_ymd(2024, 2, 29));
    CHECK(!date_valid_ymd(2025, 2, 29));
    CHECK(date_valid_ymd(2000, 2, 29));
    CHECK(!date_valid_ymd(1900, 2, 29));
    CHECK(!date_valid_ymd(2026, 0, 1));
    CHECK(!date_valid_ymd(2026, 13, 1));
    CHECK(!date_valid_ymd(2026, 1, 0));
    CHECK(date_valid_ymd(2026, 12, 31));
    CHECK(!date_valid_ymd(2026, 12, 32));
}

static void test_format_known(void)
{
    CHECK_STR(fmt(0), "1970-01-01");
    CHECK_STR(fmt(-1), "1969-12-31");
    CHECK_STR(fmt(11016), "2000-02-29");
    CHECK_STR(fmt(11017), "2000-03-01");
    CHECK_STR(fmt(19782), "2024-02-29");
    CHECK_STR(fmt(20818), "2026-12-31");
    CHECK_STR(fmt(-25567), "1900-01-01");
    CHECK_STR(fmt(376199), "2999-12-31");
    CHECK(date_from_ymd(1970, 1, 1) == 0);
    CHECK(date_from_ymd(2000, 3, 1) == 11017);
    CHECK(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28) == 2);
    CHECK(date_from_ymd(1900, 3, 1) - date_from_ymd(1900, 2, 28) == 1);
    CHECK(date_from_ymd(2027, 1, 1) - date_from_ymd(2026, 1, 1) == 365);
    CHECK(date_from_ymd(2025, 1, 1) - date_from_ymd(2024, 1, 1) == 366);
    int y = 0, m = 0, d = 0;
    date_to_ymd(11017, &y, &m, &d);
    CHECK(y == 2000 && m == 3 && d == 1);
    date_to_ymd(-1, &y, &m, &d);
    CHECK(y == 1969 && m == 12 && d == 31);
    date_to_ymd(19782, &y, &m, &d);
    CHECK(y == 2024 && m == 2 && d == 29);
}

/* every calendar day from 1990 to 2100: consecutive day numbers, and text and parts round-trip */
static void test_round_trip_every_day(void)
{
    int days = 0, gaps = 0, fmt_bad = 0, parse_bad = 0, ymd_bad = 0;
    rr_day prev = date_from_ymd(1989, 12, 31);
    for (int y = 1990; y <= 2100; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 31; d++) {
                if (!date_valid_ymd(y, m, d)) continue;
                days++;
                rr_day day = date_from_ymd(y, m, d);
                if (day != prev + 1) gaps++;
                prev = day;
                char want[64], got[DATE_TEXT_SIZE];
                snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
                date_format(day, got);
                if (strcmp(want, got) != 0) fmt_bad++;
                rr_day back = -1;
                if (date_parse(got, &back) != 0 || back != day) parse_bad++;
                int yy, mm, dd;
                date_to_ymd(day, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d) ymd_bad++;
            }
    /* 111 years, 27 of them leap years (1992..2096 every 4; 2000 leap, 2100 not) */
    CHECK(days == 111 * 365 + 27);
    CHECK(gaps == 0);
    CHECK(fmt_bad == 0);
    CHECK(parse_bad == 0);
    CHECK(ymd_bad == 0);
    CHECK(date_from_ymd(2100, 12, 31) - date_from_ymd(1990, 1, 1) + 1 == days);
}

static void test_explain(void)
{
    const char *e = explain("31/12/2026");
    CHECK_CONTAINS(e, "2026-12-31");
    CHECK_CONTAINS(e, "31/12/2026");
    CHECK_CONTAINS(explain("12/31/2026"), "2026-12-31");
    CHECK_CONTAINS(explain("31.12.2026"), "2026-12-31");
    CHECK_CONTAINS(explain("31-12-2026"), "2026-12-31");
    CHECK_CONTAINS(explain("5/13/2026"), "2026-05-13");
    CHECK_CONTAINS(explain("13/5/2026"), "2026-05-13");

    e = explain("05/06/2026");
    CHECK_CONTAINS(e, "ambiguous");
    CHECK(strstr(e, "2026-06-05") == NULL); /* no guess when either order is possible */
    CHECK(strstr(e, "2026-05-06") == NULL);
    CHECK_CONTAINS(explain("12/12/2026"), "ambiguous");

    e = explain("2026-02-30");
    CHECK_CONTAINS(e, "not a calendar date");
    CHECK_CONTAINS(e, "2026-02-30");
    CHECK_CONTAINS(explain("2025-02-29"), "not a calendar date");
    CHECK_CONTAINS(explain("2026-13-01"), "not a calendar date");

    /* 31/02/2026 is neither order: no suggestion of an impossible date */
    e = explain("31/02/2026");
    CHECK(strstr(e, "2026-02-31") == NULL);
    CHECK_CONTAINS(e, "YYYY-MM-DD");

    e = explain("next tuesday");
    CHECK_CONTAINS(e, "YYYY-MM-DD");
    CHECK_CONTAINS(e, "next tuesday");
    CHECK_CONTAINS(explain(""), "YYYY-MM-DD");
    CHECK_CONTAINS(explain("2026-1-5"), "YYYY-MM-DD");

    /* a small buffer is cut, never overrun */
    char small[8];
    memset(small, 'x', sizeof small);
    date_explain("31/12/2026", small, sizeof small);
    CHECK(memchr(small, '\0', sizeof small) != NULL);
}

static void test_quarters(void)
{
    int year = 0;
    CHECK(date_quarter_of(date_from_ymd(2026, 1, 1), &year) == 1);
    CHECK(year == 2026);
    CHECK(date_quarter_of(date_from_ymd(2026, 3, 31), &year) == 1);
    CHECK(date_quarter_of(date_from_ymd(2026, 4, 1), &year) == 2);
    CHECK(date_quarter_of(date_from_ymd(2026, 6, 30), &year) == 2);
    CHECK(date_quarter_of(date_from_ymd(2026, 7, 1), &year) == 3);
    CHECK(date_quarter_of(date_from_ymd(2026, 9, 30), &year) == 3);
    CHECK(date_quarter_of(date_from_ymd(2026, 10, 1), &year) == 4);
    year = 0;
    CHECK(date_quarter_of(date_from_ymd(2026, 12, 31), &year) == 4);
    CHECK(year == 2026);
    CHECK(date_quarter_of(date_from_ymd(2027, 1, 1), &year) == 1);
    CHECK(year == 2027);
    CHECK(date_quarter_of(date_from_ymd(2024, 2, 29), &year) == 1);
    CHECK(year == 2024);

    rr_day first = 0, last = 0;
    CHECK(date_parse_period("2026-Q1", &first, &last) == 0);
    CHECK_STR(fmt(first), "2026-01-01");
    CHECK_STR(fmt(last), "2026-03-31");
    CHECK(date_parse_period("2026-Q2", &first, &last) == 0);
    CHECK_STR(fmt(first), "2026-04-01");
    CHECK_STR(fmt(last), "2026-06-30");
    CHECK(date_parse_period("2026-Q3", &first, &last) == 0);
    CHECK_STR(fmt(first), "2026-07-01");
    CHECK_STR(fmt(last), "2026-09-30");
    CHECK(date_parse_period("2026-Q4", &first, &last) == 0);
    CHECK_STR(fmt(first), "2026-10-01");
    CHECK_STR(fmt(last), "2026-12-31");
    CHECK(date_parse_period("2024-Q1", &first, &last) == 0);
    CHECK_STR(fmt(first), "2024-01-01");
    CHECK_STR(fmt(last), "2024-03-31");
    CHECK(last - first + 1 == 91); /* 31 + 29 + 31 */
    CHECK(date_parse_period("2025-Q1", &first, &last) == 0);
    CHECK(last - first + 1 == 90);
    CHECK(date_parse_period("2026-q4", &first, &last) == 0);
    CHECK_STR(fmt(last), "2026-12-31");

    /* every quarter's days are in that quarter, and the quarters tile the year */
    int bad = 0;
    rr_day expect_first = date_from_ymd(2026, 1, 1);
    for (int q = 1; q <= 4; q++) {
        char p[32];
        snprintf(p, sizeof p, "2026-Q%d", q);
        if (date_parse_period(p, &first, &last) != 0) {
            bad++;
            continue;
        }
        if (first != expect_first) bad++;
        if (date_quarter_of(first, &year) != q || date_quarter_of(last, &year) != q) bad++;
        if (date_quarter_of(last + 1, &year) == q) bad++;
        expect_first = last + 1;
    }
    CHECK(bad == 0);
    CHECK(expect_first == date_from_ymd(2027, 1, 1));

    first = last = 777;
    CHECK(date_parse_period("2026-Q5", &first, &last) != 0);
    CHECK(date_parse_period("2026-Q0", &first, &last) != 0);
    CHECK(date_parse_period("2026Q1", &first, &last) != 0);
    CHECK(date_parse_period("2026-Q", &first, &last) != 0);
    CHECK(date_parse_period("2026-Q12", &first, &last) != 0);
    CHECK(date_parse_period("2026-1", &first, &last) != 0);
    CHECK(date_parse_period("26-Q1", &first, &last) != 0);
    CHECK(date_parse_period("2026-QA", &first, &last) != 0);
    CHECK(date_parse_period("abcd-Q1", &first, &last) != 0);
    CHECK(date_parse_period("", &first, &last) != 0);
    CHECK(date_parse_period(" 2026-Q1", &first, &last) != 0);
    CHECK(first == 777 && last == 777);
}

static void test_today(void)
{
    setenv("RISKREG_TODAY", "2026-11-20", 1);
    CHECK(date_today() == date_from_ymd(2026, 11, 20));
    CHECK_STR(fmt(date_today()), "2026-11-20");
    setenv("RISKREG_TODAY", "2024-02-29", 1);
    CHECK_STR(fmt(date_today()), "2024-02-29");

    /* not a date: the real clock, which is a plausible day */
    setenv("RISKREG_TODAY", "not-a-date", 1);
    rr_day real = date_today();
    CHECK(real != date_from_ymd(2024, 2, 29));
    CHECK(real > date_from_ymd(2020, 1, 1) && real < date_from_ymd(2200, 1, 1));
    unsetenv("RISKREG_TODAY");
    rr_day clock = date_today();
    CHECK(clock == real || clock == real + 1); /* midnight may pass */

    char now[21];
    date_now_utc(now);
    CHECK(strlen(now) == 20);
    CHECK(now[4] == '-' && now[7] == '-' && now[10] == 'T' && now[19] == 'Z');
    char day[DATE_TEXT_SIZE];
    memcpy(day, now, 10);
    day[10] = '\0';
    CHECK(parses(day, NULL));
}

/* date_parse_sheet as the ISO date it gives, or "" when it refuses */
static const char *sheet(const char *s, enum date_order order, int serials)
{
    rr_day d;
    if (date_parse_sheet(s, order, serials, &d) != 0) return "";
    return fmt(d);
}

static void test_sheet_dates(void)
{
    /* ISO always; numbers alone only in the order said, never guessed */
    CHECK_STR(sheet("2026-12-31", DATE_ISO, 0), "2026-12-31");
    CHECK_STR(sheet("31/12/2026", DATE_ISO, 1), "");
    CHECK_STR(sheet("03/04/2026", DATE_ISO, 1), "");
    CHECK_STR(sheet("31/12/2026", DATE_DMY, 0), "2026-12-31");
    CHECK_STR(sheet("3.4.2026", DATE_DMY, 0), "2026-04-03");
    CHECK_STR(sheet("03/04/2026", DATE_MDY, 0), "2026-03-04");
    CHECK_STR(sheet("12-31-26", DATE_MDY, 0), "2026-12-31");
    CHECK_STR(sheet("2026/1/12", DATE_YMD, 0), "2026-01-12");
    CHECK_STR(sheet("12/31/2026", DATE_DMY, 0), "");   /* no month 31 */
    CHECK_STR(sheet("31/12/2026", DATE_YMD, 0), "");   /* not year first */
    CHECK_STR(sheet("30/02/2026", DATE_DMY, 0), "");   /* not on the calendar */
    CHECK_STR(sheet("31/12/2026/1", DATE_DMY, 0), ""); /* four numbers */
    CHECK_STR(sheet("31/12-2026", DATE_DMY, 0), "");   /* mixed separators */
    /* month names are never ambiguous */
    CHECK_STR(sheet("31 Dec 2026", DATE_ISO, 0), "2026-12-31");
    CHECK_STR(sheet("31-Dec-26", DATE_ISO, 0), "2026-12-31");
    CHECK_STR(sheet("December 31, 2026", DATE_ISO, 0), "2026-12-31");
    CHECK_STR(sheet("Sept 1 2026", DATE_ISO, 0), "2026-09-01");
    CHECK_STR(sheet("1 Ma 2026", DATE_ISO, 0), ""); /* too short to be a month */
    CHECK_STR(sheet("31 Foo 2026", DATE_ISO, 0), "");
    CHECK_STR(sheet("Feb 30, 2026", DATE_ISO, 0), "");
    /* Excel serial days, only where serials are asked for and only 1970..2099 */
    CHECK_STR(sheet("46387", DATE_ISO, 1), "2026-12-31");
    CHECK_STR(sheet("46387.75", DATE_ISO, 1), "2026-12-31");
    CHECK_STR(sheet("25569", DATE_ISO, 1), "1970-01-01");
    CHECK_STR(sheet("46387", DATE_ISO, 0), "");
    CHECK_STR(sheet("2026", DATE_ISO, 1), "");
    CHECK_STR(sheet("99999", DATE_ISO, 1), "");
    CHECK(date_needs_order("31/12/2026"));
    CHECK(date_needs_order("1.2.2026"));
    CHECK(!date_needs_order("2026-12-31"));
    CHECK(!date_needs_order("31/12/26"));
    enum date_order o = DATE_ISO;
    CHECK(date_order_parse("dmy", &o) == 0 && o == DATE_DMY);
    CHECK(date_order_parse("DDMMYY", &o) != 0);
    CHECK_STR(date_order_name(DATE_MDY), "MDY");
}

int main(void)
{
    test_sheet_dates();
    test_parse_accepts();
    test_parse_rejects();
    test_valid_ymd();
    test_format_known();
    test_round_trip_every_day();
    test_explain();
    test_quarters();
    test_today();
    return unit_report();
}
