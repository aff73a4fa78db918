/* sheet.h - CSV files as spreadsheets write them: read with libcsv into numbered rows, and written
 * back with the quoting and formula protection spreadsheets need */
#ifndef RISKREG_SHEET_H
#define RISKREG_SHEET_H

#include <stddef.h>

struct strbuf;

struct sheet_row {
    int line; /* where the row starts in the file, from 1 */
    int ncells;
    char **cells;
};

struct sheet {
    char *path;
    char *sheet_name;       /* a workbook's sheet the rows are from (sheet_xlsx.h); NULL: CSV */
    struct sheet_row *rows; /* blank lines are not rows */
    int nrows, cap;
};

/* Read a whole CSV file (with sniff, a file whose lines are split by ';' is read so, and said).
 * Refuses UTF-16 and other non-UTF-8 text with a message saying how to
 * re-save, strips a UTF-8 byte order mark, and reports a broken quote with its line.
 * 0, or -1 after printing "FILE:LINE: message". */
int sheet_read(struct sheet *s, const char *path, char delimiter, int sniff, int quiet);
int sheet_parse(struct sheet *s, const char *path, const char *data, size_t len, char delimiter);
void sheet_free(struct sheet *s);
void sheet_free_row(struct sheet_row *row); /* release one row's cells early */

/* A cell's name as spreadsheets write it: column index 0 and row 14 give "A14", 26 gives "AA";
 * row_line 0 gives the column letters alone. */
void sheet_cell_ref(int col_index, int row_line, char *out, size_t outsize);

/* The delimiter the first lines use: ';' when each of them has more semicolons than commas
 * outside quotes (as European spreadsheets write), else ','. */
char sheet_sniff_delimiter(const char *data, size_t len);

/* Append one cell, quoted when it holds the delimiter, a quote or a line break. With
 * protect_formula, text a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe, which import removes again. */
void sheet_write_cell(struct strbuf *out, const char *value, char delimiter, int protect_formula);

#endif
