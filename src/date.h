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
