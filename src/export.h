/* export.h - the register written out: CSV, JSON and XLSX, and the report site's snapshot */
#ifndef RISKREG_EXPORT_H
#define RISKREG_EXPORT_H

#include <stddef.h>

struct config;
struct kind;
struct record;
struct reg;

/* Every kind as CSV (KIND.csv), the whole register as register.json and register.xlsx, as of a
 * date (NULL: as it is), into dir; messages name the files in shown_dir instead (the folder as
 * the user knows it: a site's staging folder is published under another name). 0, or -1 after
 * reporting.
 * The workbook is the costly one, and the same recipe (the register's JSON and the workbook's
 * settings) makes the same bytes: keep(hash, data) is asked first with the recipe's SHA-256 (hex),
 * and when it returns 1 (it put the unchanged workbook in place) the workbook is not made again.
 * keep may be NULL. */
typedef int (*export_keep_fn)(const char hash[65], void *data);
struct strbuf;
int export_snapshot(struct reg *g, const char *as_of, const char *dir, const char *shown_dir,
                    export_keep_fn keep, void *data);
/* The same, for a thread of its own: a file it cannot write is not reported but said in
 * *errors ("riskreg: " lines), for the caller to report or drop. */
int export_snapshot_quietly(struct reg *g, const char *as_of, const char *dir,
                            const char *shown_dir, export_keep_fn keep, void *data,
                            struct strbuf *errors);

/* The register as it was on a date (export.c holds the point-in-time rule). */
struct as_of;

/* Each row of kind k that exists on the date, as it was then, in the export's order; fn
 * returns non-zero to stop, and then so does this (-1). The record is the walk's: copy what
 * you keep. */
typedef int (*export_row_fn)(const struct record *rec, void *data);
int export_rows(struct as_of *ao, const struct kind *k, export_row_fn fn, void *data);

/* The date of the view, or NULL for the register as it is. */
const char *export_as_of_date(const struct as_of *ao);

/* Write path whole or not at all: fill writes the temporary file beside it (named tmp), which
 * is then synced and renamed into place. fill returns 0, or -1 after putting the reason in
 * why. On failure nothing is left and "SHOWN: cannot write the file: why" is reported, where
 * SHOWN is the name ao gives path (path itself when ao is NULL). */
typedef int (*export_fill_fn)(const char *tmp, void *data, char *why, size_t whysize);
int export_atomically(struct as_of *ao, const char *path, export_fill_fn fill, void *data);

/* export_xlsx.c: a workbook with a sheet per kind (or only `only`) at path, or on standard output
 * when path is NULL. Colours follow cfg's level bands. 0, or -1 after reporting. */
int export_xlsx(struct as_of *ao, const struct config *cfg, const struct kind *only,
                const char *path);

/* What a workbook is made of besides its rows (format, date, settings), appended to out. */
void export_xlsx_recipe(struct as_of *ao, const struct config *cfg, struct strbuf *out);

#endif
