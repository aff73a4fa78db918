/* sheet_xlsx.h - one worksheet of an Excel workbook (.xlsx) read into the rows a CSV file gives
 * (sheet.h), through libzip and expat, so that import reads both the same way */
#ifndef RISKREG_SHEET_XLSX_H
#define RISKREG_SHEET_XLSX_H

#include "sheet.h"

#include <stddef.h>

/* The sheets `riskreg template` writes beside the kinds' (its instructions and its drop-down
 * lists): an import of the workbook passes them by without a word. */
#define SHEET_XLSX_INSTRUCTIONS "Instructions"
#define SHEET_XLSX_LISTS "Lists"

/* Whether a path names a workbook: it ends in ".xlsx", in any case. */
int sheet_is_xlsx(const char *path);

/* Read the worksheet named sheet_name (NULL: the first) of the workbook at path into s, as
 * sheet_read does a CSV file: a row's line is its row number in the sheet, its cells run from
 * column A (every row padded with "" to the widest), and rows with nothing in them are left out.
 * Values read as a person sees them: numbers as 3 or 0.25, date-formatted cells as YYYY-MM-DD,
 * booleans as TRUE/FALSE, formulas as the value last saved with them (said once, unless quiet).
 * A damaged or hostile file (not a zip, an old .xls or encrypted workbook, a DOCTYPE, a part
 * larger than its cap, too many cells) is refused. 0, or -1 after one message naming the file
 * and what is wrong with it. */
int sheet_read_xlsx(struct sheet *s, const char *path, const char *sheet_name, int quiet);

/* The same from a workbook in memory (len bytes at data); path is for messages. */
int sheet_parse_xlsx(struct sheet *s, const char *path, const void *data, size_t len,
                     const char *sheet_name, int quiet);

/* The names of a workbook's worksheets in workbook order (chart sheets are not worksheets):
 * 0 with *names (free with sheet_xlsx_free_names) and *count >= 1, or -1 after a message. */
int sheet_xlsx_names(const char *path, char ***names, int *count);
void sheet_xlsx_free_names(char **names, int count);

/* Which of a workbook's sheet names sheet_name is (exactly, else ignoring case, as spreadsheets
 * find sheets); NULL is the first. -1 after "PATH: no sheet named ..." with the names there are. */
int sheet_xlsx_pick(const char *path, char *const *names, int count, const char *sheet_name);

/* A cell's name with its sheet as spreadsheets write it ("Risks!H14", "'Open risks'!H14"); a
 * col_index below 0 names the row ("Risks!row 14"). */
void sheet_xlsx_cell_name(const char *sheet_name, int col_index, int row_line, char *out,
                          size_t outsize);

#endif
