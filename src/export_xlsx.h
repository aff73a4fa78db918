/* export_xlsx.h - an export's tables as an Excel workbook */
#ifndef RISKREG_EXPORT_XLSX_H
#define RISKREG_EXPORT_XLSX_H

#include "atomic.h"
#include "export_set.h"

#include <xlsxwriter.h>

struct strbuf;

/* A workbook with a sheet per table (or only the one named) at path, or on standard output when
 * path is NULL. Level columns are coloured by their band. 0, or -1 after reporting. */
int export_xlsx(const struct export_set *set, const char *only, const struct file_place *place,
                const char *path);

/* What a workbook is made of besides its rows (format, date, settings), appended to out. */
void export_xlsx_recipe(const struct export_set *set, struct strbuf *out);

/* What every riskreg workbook shares, the export's and the template's (template_cmd.c), so that
 * they look alike: */

/* the header cells' format (bold on the site's table-head shade, ruled below) and the dates'
 * (2026-12-31), made in the workbook in that order (the same bytes as before for an export) */
struct xlsx_look {
    lxw_format *header;
    lxw_format *date;
};
void export_xlsx_look(lxw_workbook *wb, struct xlsx_look *look);

/* A header cell of row 1; *width: the room its name and a filter button take. */
lxw_error export_xlsx_header_cell(lxw_worksheet *ws, lxw_col_t col, const char *name,
                                  const struct xlsx_look *look, double *width);

/* A column as wide as width characters and a margin, within the bounds an export keeps. */
lxw_error export_xlsx_column_width(lxw_worksheet *ws, lxw_col_t col, double width,
                                   lxw_format *format);

/* workbook_close, with libxlsxwriter's own messages kept off stderr; *why_errno: the system's
 * reason for a failure (0: none known). The workbook is freed, written or not. */
lxw_error export_xlsx_close(lxw_workbook *wb, int *why_errno);

#endif
