/* export_set.h - the tables a data export holds, in memory: made from the Lua rules' rows
 * (lua_export.c) and written as CSV, JSON and XLSX (export_files.c, export_xlsx.c) */
#ifndef RISKREG_EXPORT_SET_H
#define RISKREG_EXPORT_SET_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

/* How a column's cells are written. */
enum export_type {
    EXPORT_TEXT,    /* text a spreadsheet must not run as a formula (CSV protects it) */
    EXPORT_WORD,    /* a word riskreg gives (an ID, a status): written as it is */
    EXPORT_DATE,    /* YYYY-MM-DD; a date cell in a workbook */
    EXPORT_INTEGER, /* a whole number */
    EXPORT_NUMBER,  /* a number */
};

struct export_column {
    char *name;
    enum export_type type;
    int is_level;     /* the column holds level names (a workbook colours them by band) */
    int level_column; /* the column whose level colours this one in a workbook, or -1 */
};

#define EXPORT_EMPTY UINT32_MAX

struct export_table {
    char *name;     /* "risks": the file risks.csv, the sheet risks, the key in register.json */
    char *singular; /* "risk", for messages about a row */
    int nkeys;      /* the first nkeys columns name a row: @2026-03-31 */
    int ncols;
    struct export_column *cols;
    size_t nrows, cap;
    /* the cells, by row, as offsets into text (EXPORT_EMPTY: an empty cell): two allocations
     * for a table of any size, and no more memory than its text */
    uint32_t *cells;
    struct strbuf text;
};

struct export_level {
    char *name;
    unsigned colour, ink; /* 0xRRGGBB: the band, and the text colour that reads on it */
};

struct export_set {
    char *as_of; /* the date the rows show, or NULL: the register as it is */
    char *name;  /* the organisation, for the workbook's properties */
    int ntables;
    struct export_table *tables;
    int nlevels;
    struct export_level *levels;
};

void export_set_free(struct export_set *set);
/* Free the rows of every table (their names and columns stay): once they are written. */
void export_set_drop_rows(struct export_set *set);

/* The table of that name, or NULL. */
const struct export_table *export_set_table(const struct export_set *set, const char *name);

/* The cell at row r, column c (NULL: empty). */
static inline const char *export_cell(const struct export_table *t, size_t r, int c)
{
    uint32_t off = t->cells[r * (size_t)t->ncols + (size_t)c];
    return off == EXPORT_EMPTY ? NULL : t->text.data + off;
}

/* Start a new row (its cells empty); then set its cells. -1 when the table's text would pass
 * 4 GB. */
int export_add_row(struct export_table *t);
int export_set_cell(struct export_table *t, int col, const char *value, size_t len);

/* The band a level name is, or NULL. */
const struct export_level *export_set_level(const struct export_set *set, const char *name);

#endif
