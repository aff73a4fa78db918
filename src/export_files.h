/* export_files.h - an export's tables as CSV and JSON files, and a site's data snapshot */
#ifndef RISKREG_EXPORT_FILES_H
#define RISKREG_EXPORT_FILES_H

#include "atomic.h"
#include "export_set.h"

struct strbuf;

/* CSV of one table: the header, then a line per row; text protected from formulas. */
void export_csv_text(const struct export_table *t, struct strbuf *out);
/* JSON: one table as a list, or (only NULL) every table in one object with the as-of date. */
void export_json_text(const struct export_set *set, const struct export_table *only,
                      struct strbuf *out);

/* One file, written as it is made, whole or not at all: the CSV of a table (csv), or the JSON
 * of one table or (only NULL) of the whole set. 0, or -1 after reporting. */
int export_write_file(const struct export_set *set, const struct export_table *only, int csv,
                      const struct file_place *place, const char *path);
/* TABLE.csv for every table, into dir. */
int export_csv_files(const struct export_set *set, const struct file_place *place, const char *dir);

/* Every table as TABLE.csv, and the set as register.json and register.xlsx, into place->dir.
 * The workbook is the costly one, and the same recipe (the JSON and the workbook's settings)
 * makes the same bytes: keep(hash, data) is asked first with the recipe's SHA-256 (hex), and when
 * it returns 1 (it put the unchanged workbook in place) the workbook is not made again. keep may
 * be NULL. 0, or -1 after reporting. */
typedef int (*export_keep_fn)(const char hash[65], void *data);
int export_snapshot(const struct export_set *set, const struct file_place *place,
                    export_keep_fn keep, void *data);

#endif
