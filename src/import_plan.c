/* import_plan.c - the import's plan: how a bad row is reported.
 *
 * Each row of every file is checked before anything is written, and every error is counted; but a
 * sheet with one problem on every row must not bury the next problem under fifty copies of the
 * first. So errors are said by kind: the first few of each column, then one line counting the
 * rest, and the first problem of every kind stays visible. */
#include "import_plan.h"
#include "sheet_xlsx.h"
#include "text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN_PER_GROUP 3

struct error_group {
    char *file, *key;
    char *where; /* for the closing count: "column 'Date'" */
    int count, shown_limit;
};

static struct error_group *group_for(struct import *im, const char *file, const char *key,
                                     const char *where, int limit)
{
    for (int i = 0; i < im->ngroups; i++)
        if (strcmp(im->groups[i].file, file) == 0 && strcmp(im->groups[i].key, key) == 0)
            return &im->groups[i];
    im->groups = xrealloc(im->groups, sizeof *im->groups * (size_t)(im->ngroups + 1));
    struct error_group *g = &im->groups[im->ngroups++];
    g->file = xstrdup(file);
    g->key = xstrdup(key);
    g->where = xstrdup(where);
    g->count = 0;
    g->shown_limit = limit;
    return g;
}

/* Where a cell is: "FILE:LINE" for CSV, "FILE: Sheet!C14" for a workbook */
void import_where(const struct import_file *f, int line, const char *col, struct strbuf *sb)
{
    if (!f->sheet.sheet_name) {
        sb_printf(sb, "%s:%d", f->name, line);
        return;
    }
    int index = -1;
    for (int c = 0; c < f->ncols && index < 0 && col; c++)
        if (f->cols[c].header == col) index = c;
    for (int c = 0; c < f->ncols && index < 0 && col; c++)
        if (strcmp(f->cols[c].header, col) == 0) index = c;
    char ref[320]; /* "'Sheet name'!H14", quoted as spreadsheets quote it; "Risks!row 14" */
    sheet_xlsx_cell_name(f->sheet.sheet_name, index, line, ref, sizeof ref);
    sb_printf(sb, "%s: %s", f->name, ref);
}

static void say(struct import *im, const struct import_file *f, int line, const char *col,
                const char *group, int limit, const char *fmt, va_list ap)
{
    char key[256];
    snprintf(key, sizeof key, "%s", group ? group : col ? col : "");
    struct strbuf where = STRBUF_INIT;
    if (col) sb_printf(&where, "column '%s'", col);
    struct error_group *g = group_for(im, group ? "" : f->name, key, sb_str(&where), limit);
    sb_free(&where);
    im->errors++;
    if (++g->count > g->shown_limit) return; /* counted by the group's closing line */
    if (im->errors_said >= MAX_ERRORS_SHOWN) {
        im->errors_unsaid++;
        return;
    }
    im->errors_said++;
    struct strbuf sb = STRBUF_INIT;
    import_where(f, line, col, &sb);
    sb_puts(&sb, ": ");
    if (col) sb_printf(&sb, "column '%s': ", col);
    sb_vprintf(&sb, fmt, ap);
    rr_error("%s", sb_str(&sb));
    sb_free(&sb);
}

void import_row_error(struct import *im, const struct import_file *f, int line, const char *col,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(im, f, line, col, NULL, SHOWN_PER_GROUP, fmt, ap);
    va_end(ap);
}

void import_once_error(struct import *im, const struct import_file *f, int line, const char *col,
                       const char *group, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(im, f, line, col, group, 1, fmt, ap);
    va_end(ap);
}

void import_error_summary(struct import *im)
{
    for (int i = 0; i < im->ngroups; i++) {
        const struct error_group *g = &im->groups[i];
        int more = g->count - g->shown_limit;
        if (more <= 0) continue;
        if (*g->file)
            rr_error("%s: %s%s… and %d more row%s like it", g->file, g->where,
                     *g->where ? ": " : "", more, more == 1 ? "" : "s");
        else
            rr_error("… and %d more cell%s like it", more, more == 1 ? "" : "s");
    }
    if (im->errors_unsaid) rr_error("… and %d more errors", im->errors_unsaid);
}

void import_errors_free(struct import *im)
{
    for (int i = 0; i < im->ngroups; i++) {
        free(im->groups[i].file);
        free(im->groups[i].key);
        free(im->groups[i].where);
    }
    free(im->groups);
    im->groups = NULL;
    im->ngroups = 0;
}
