/* term_table.h - tables and cells for a terminal: columns padded to their widest cell */
#ifndef RISKREG_TERM_TABLE_H
#define RISKREG_TERM_TABLE_H

#include <stddef.h>

#define TERM_TABLE_COLUMNS 10

struct term_table {
    int ncols;
    const char *heads[TERM_TABLE_COLUMNS];
    int right[TERM_TABLE_COLUMNS]; /* right-aligned (numbers) */
    char **cells;                  /* nrows * ncols, owned */
    int nrows, cap;
};

/* Add a row of ncols cells, which the table then owns. */
void term_table_add(struct term_table *t, char **row);
/* Print the heads and rows, padded; frees the rows. */
void term_table_print(struct term_table *t);
void term_table_free(struct term_table *t);

/* One line of text, clipped to max characters for a cell (caller frees). */
char *term_cell(const char *s, size_t max);
char *term_cellf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
