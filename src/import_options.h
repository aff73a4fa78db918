/* import_options.h - what the user says about a spreadsheet beyond its cells: which column is
 * which field (--map, riskreg.lua's import.map), which of its words mean which register word
 * (--map-values, import.values) and the order of its dates (--date-format, import.date_format).
 * Internal to import*.c. */
#ifndef RISKREG_IMPORT_OPTIONS_H
#define RISKREG_IMPORT_OPTIONS_H

#include "date.h"
#include "model.h"

#include <stddef.h>

/* One mapping of a column to a field ("" skips the column). The column is named by its header,
 * by its letter ("E") when no header is so named, or by its position ("#5"). */
struct column_map {
    char *column;
    char *field;
    const char *origin; /* "--map" or "riskreg.lua" */
    int used;
};

/* One word of a sheet read as a register word, for a field ("status": Not Started -> open). */
struct value_map {
    char *field;
    char *word; /* as the user wrote it, for messages */
    char *value;
    const char *origin;
};

struct import_options {
    struct column_map *maps;
    int nmaps;
    struct value_map *values;
    int nvalues;
    enum date_order date_order;
    const char *date_order_origin; /* where the order was said, for messages */
};

struct cli;

/* Gather riskreg.lua's import section, then each --map, --map-values and --date-format given
 * (the command line's said later, so they win). 0, or -1 after a usage error. */
int import_options_read(struct cli *c, struct import_options *o, const char *date_format);

void import_options_free(struct import_options *o);

/* The mapping for column index col (0-based) with this header, among a file's headers; NULL when
 * none names it. Later mappings win. */
struct column_map *import_options_column(struct import_options *o, const char *const *headers,
                                         int ncols, int col);

/* The register word a sheet's word stands for in field (NULL: not mapped). */
const char *import_options_value(const struct import_options *o, const char *field,
                                 const char *word);

#endif
