/* term_table.c - tables and cells for a terminal: columns padded to their widest cell (by
 * characters, not bytes), long text clipped */
#include "term_table.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void term_table_add(struct term_table *t, char **row)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->cells = xrealloc(t->cells, sizeof(char *) * (size_t)(t->cap * t->ncols));
    }
    memcpy(t->cells + (size_t)t->nrows * (size_t)t->ncols, row, sizeof(char *) * (size_t)t->ncols);
    t->nrows++;
}

void term_table_free(struct term_table *t)
{
    for (int i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    t->cells = NULL;
    t->nrows = t->cap = 0;
}

void term_table_print(struct term_table *t)
{
    size_t width[TERM_TABLE_COLUMNS] = {0};
    for (int c = 0; c < t->ncols; c++)
        width[c] = text_utf8_width(t->heads[c]);
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            size_t w = text_utf8_width(t->cells[r * t->ncols + c]);
            if (w > width[c]) width[c] = w;
        }
    struct strbuf line = STRBUF_INIT;
    for (int r = -1; r < t->nrows; r++) {
        sb_reset(&line);
        for (int c = 0; c < t->ncols; c++) {
            const char *cell = r < 0 ? t->heads[c] : t->cells[r * t->ncols + c];
            size_t pad = width[c] - text_utf8_width(cell);
            if (t->right[c])
                for (size_t i = 0; i < pad; i++)
                    sb_putc(&line, ' ');
            sb_puts(&line, cell);
            if (c + 1 < t->ncols && !t->right[c])
                for (size_t i = 0; i < pad; i++)
                    sb_putc(&line, ' ');
            if (c + 1 < t->ncols) sb_puts(&line, "  ");
        }
        puts(sb_str(&line));
    }
    sb_free(&line);
    term_table_free(t);
}

char *term_cell(const char *s, size_t max)
{
    struct strbuf sb = STRBUF_INIT, flat = STRBUF_INIT;
    for (const char *p = s ? s : ""; *p; p++)
        sb_putc(&flat, *p == '\n' || *p == '\t' ? ' ' : *p);
    text_utf8_clip(&sb, sb_str(&flat), max);
    sb_free(&flat);
    return sb_take(&sb);
}

char *term_cellf(const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    return sb_take(&sb);
}
