/* export_xlsx.h - an export's tables as an Excel workbook */
#ifndef RISKREG_EXPORT_XLSX_H
#define RISKREG_EXPORT_XLSX_H

#include "atomic.h"
#include "export_set.h"

struct strbuf;

/* A workbook with a sheet per table (or only the one named) at path, or on standard output when
 * path is NULL. Level columns are coloured by their band. 0, or -1 after reporting. */
int export_xlsx(const struct export_set *set, const char *only, const struct file_place *place,
                const char *path);

/* What a workbook is made of besides its rows (format, date, settings), appended to out. */
void export_xlsx_recipe(const struct export_set *set, struct strbuf *out);

#endif
