/* export_set.c - the tables a data export holds, in memory */
#include "export_set.h"

#include <stdlib.h>
#include <string.h>

void export_set_drop_rows(struct export_set *set)
{
    for (int t = 0; t < set->ntables; t++) {
        struct export_table *table = &set->tables[t];
        free(table->cells);
        table->cells = NULL;
        table->nrows = table->cap = 0;
        sb_free(&table->text);
    }
}

void export_set_free(struct export_set *set)
{
    export_set_drop_rows(set);
    for (int t = 0; t < set->ntables; t++) {
        struct export_table *table = &set->tables[t];
        for (int c = 0; c < table->ncols; c++)
            free(table->cols[c].name);
        free(table->cols);
        free(table->name);
        free(table->singular);
    }
    free(set->tables);
    for (int i = 0; i < set->nlevels; i++)
        free(set->levels[i].name);
    free(set->levels);
    free(set->as_of);
    free(set->name);
    memset(set, 0, sizeof *set);
}

const struct export_table *export_set_table(const struct export_set *set, const char *name)
{
    for (int t = 0; t < set->ntables; t++)
        if (strcmp(set->tables[t].name, name) == 0) return &set->tables[t];
    return NULL;
}

const struct export_level *export_set_level(const struct export_set *set, const char *name)
{
    for (int i = 0; name && i < set->nlevels; i++)
        if (strcmp(set->levels[i].name, name) == 0) return &set->levels[i];
    return NULL;
}

int export_add_row(struct export_table *t)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->cells = xrealloc(t->cells, t->cap * (size_t)t->ncols * sizeof *t->cells);
    }
    uint32_t *row = t->cells + t->nrows * (size_t)t->ncols;
    for (int c = 0; c < t->ncols; c++)
        row[c] = EXPORT_EMPTY;
    t->nrows++;
    return 0;
}

int export_set_cell(struct export_table *t, int col, const char *value, size_t len)
{
    if (t->text.len + len + 1 >= EXPORT_EMPTY) return -1;
    t->cells[(t->nrows - 1) * (size_t)t->ncols + (size_t)col] = (uint32_t)t->text.len;
    sb_add(&t->text, value, len);
    sb_putc(&t->text, '\0');
    return 0;
}
