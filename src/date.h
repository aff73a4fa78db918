/* date.h - calendar dates as day numbers, ISO text and quarters */
#ifndef RISKREG_DATE_H
#define RISKREG_DATE_H

#include <stddef.h>

/* Days since 1970-01-01 (proleptic Gregorian). */
typedef long rr_day;

#define DATE_TEXT_SIZE 11 /* "YYYY-MM-DD" and NUL */

/* Parse a strict YYYY-MM-DD calendar date; 0 on success. */
int date_parse(const char *s, rr_day *out);

/* A message for text that is not a date, with a guess when one is clear
 * ("31/12/2026" -> "write dates as YYYY-MM-DD, e.g. 2026-12-31"). */
void date_explain(const char *s, char *out, size_t outsize);

/* The order of day, month and year in a spreadsheet's dates ("31/12/2026" is DMY). ISO alone is
 * read unless the order is said: a date such as 03/04/2026 is never guessed. */
enum date_order { DATE_ISO = 0, DATE_DMY, DATE_MDY, DATE_YMD };

/* "DMY", "MDY" or "YMD" (any case): 0, or -1 for anything else. */
int date_order_parse(const char *name, enum date_order *out);
const char *date_order_name(enum date_order order);

/* A date as a spreadsheet writes it: YYYY-MM-DD; with the month in words ("31 Dec 2026",
 * "Dec 31, 2026", "31-Dec-2026"), which is never ambiguous; with an order, numbers with '/',
 * '.' or '-' between them in that order (a two-digit year is 20YY); and, with serials, an
 * Excel serial day number (46387 is 2026-12-31) within 1970..2099. 0, or -1. */
int date_parse_sheet(const char *s, enum date_order order, int serials, rr_day *out);

/* Whether s is three numbers with a four-digit year last ("31/12/2026", "12.31.2026"): a date
 * that needs its order said. */
int date_needs_order(const char *s);

void date_format(rr_day day, char out[DATE_TEXT_SIZE]);
rr_day date_from_ymd(int y, int m, int d);
void date_to_ymd(rr_day day, int *y, int *m, int *d);
int date_valid_ymd(int y, int m, int d);

/* Today in local time, or $RISKREG_TODAY when set (for reproducible runs). */
rr_day date_today(void);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void date_now_utc(char out[21]);

/* Quarters: "2026-Q4". */
int date_quarter_of(rr_day day, int *year);
int date_parse_period(const char *s, rr_day *first, rr_day *last);

#endif
