/* import_header.c - an import file's header: finding the header row, matching its columns to
 * fields (by name and alias, or by --map), skipping the columns riskreg computes. */
#include "import_header.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_SEARCH_ROWS 10

static int field_of(const struct kind *k, const char *header, enum target *target)
{
    int i = model_field_for_header(k, header);
    if (i >= 0) {
        *target = T_MAIN;
        return i;
    }
    if (k->id == K_RISK) { /* a risk row may carry its assessment, as spreadsheets do */
        const struct kind *a = model_kind(K_ASSESSMENT);
        i = model_field_for_header(a, header);
        if (i >= 0 && i != a->owner_field) {
            *target = T_ASSESSMENT;
            return i;
        }
    }
    *target = T_SKIP;
    return -1;
}

/* --map 'Header=field,...': the field for a header, or NULL when --map says nothing of it. */
static const char *mapped_field(const char *map, const char *header, int *found)
{
    static char field[64];
    char hkey[128], mkey[128];
    *found = 0;
    text_name_key(header, hkey, sizeof hkey);
    for (const char *p = map; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (eq) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(eq - p), p);
            text_name_key(name, mkey, sizeof mkey);
            if (strcmp(mkey, hkey) == 0) {
                snprintf(field, sizeof field, "%.*s", (int)(n - (size_t)(eq - p) - 1), eq + 1);
                text_trim(field);
                *found = 1;
                return field;
            }
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

int import_check_map_syntax(struct import *im)
{
    for (const char *p = im->map; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (!memchr(p, '=', n)) {
            im->usage_error = 1;
            cli_usage_error(im->c, "--map: '%.*s' is not 'Header=field'", (int)n, p);
            return -1;
        }
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static int map_header(struct import *im, struct import_file *f, struct column *col)
{
    int in_map;
    const char *field = mapped_field(im->map, col->header, &in_map);
    if (!in_map) {
        /* a column riskreg's own export computed (inherent_score, ...): skipped, said nowhere */
        int computed = rules_is_computed_column(im->c->rules, f->kind->name, col->header);
        if (computed < 0) return -1;
        if (computed) {
            col->target = T_SKIP;
            col->field = -2;
            return 0;
        }
        col->field = field_of(f->kind, col->header, &col->target);
        return 0;
    }
    if (!*field) { /* 'Header=' skips a column on purpose */
        col->target = T_SKIP;
        col->field = -2;
        return 0;
    }
    col->field = model_field_index(f->kind, field);
    col->target = T_MAIN;
    if (col->field < 0 && f->kind->id == K_RISK) {
        col->field = model_field_index(model_kind(K_ASSESSMENT), field);
        col->target = T_ASSESSMENT;
        if (col->field == 0) col->field = -1;
    }
    if (col->field < 0) {
        const char *guess = model_suggest_field(f->kind, field);
        im->usage_error = 1;
        cli_usage_error(im->c, "--map: %s have no field '%s'%s%s%s", f->kind->name, field,
                        guess ? "; did you mean '" : "", guess ? guess : "", guess ? "'?" : "");
        return -1;
    }
    return 0;
}

static int known_columns(struct import_file *f, const struct sheet_row *row, struct import *im)
{
    int known = 0;
    for (int c = 0; c < row->ncells; c++) {
        enum target t;
        int in_map;
        mapped_field(im->map, row->cells[c], &in_map);
        if (in_map || field_of(f->kind, row->cells[c], &t) >= 0) known++;
    }
    return known;
}

int import_read_header(struct import *im, struct import_file *f)
{
    struct sheet *s = &f->sheet;
    if (s->nrows == 0) {
        rr_error("%s: the file is empty: expected a header row and %s", f->name, f->kind->name);
        return -1;
    }
    f->header_row = -1;
    if (im->header_row) {
        for (int r = 0; r < s->nrows; r++)
            if (s->rows[r].line == im->header_row) f->header_row = r;
        if (f->header_row < 0) {
            rr_error("%s: --header-row %d: there is no row starting on that line", f->name,
                     im->header_row);
            return -1;
        }
    } else {
        for (int r = 0; r < s->nrows && r < HEADER_SEARCH_ROWS && f->header_row < 0; r++)
            if (known_columns(f, &s->rows[r], im) >= 2) f->header_row = r;
        if (f->header_row < 0) {
            const char *hint = "";
            if (s->rows[0].ncells == 1 && strchr(s->rows[0].cells[0], ';'))
                hint = "; the file looks like it uses ';' between cells: add --delimiter ';'";
            rr_error("%s:%d: no header row: none of the first rows names two %s columns (such as "
                     "%s, %s)%s; use --map 'Header=field' or --header-row N",
                     f->name, s->rows[0].line, f->kind->name, f->kind->fields[0].name,
                     f->kind->fields[1].name, hint);
            return -1;
        }
    }
    for (int r = 0; r < f->header_row && !im->c->quiet; r++)
        rr_warn("%s:%d: skipped a row above the header ('%.40s')", f->name, s->rows[r].line,
                s->rows[r].cells[0]);
    const struct sheet_row *h = &s->rows[f->header_row];
    f->ncols = h->ncells;
    f->cols = xcalloc((size_t)f->ncols, sizeof *f->cols);
    int any = 0;
    for (int c = 0; c < f->ncols; c++) {
        struct column *col = &f->cols[c];
        col->header = h->cells[c];
        if (map_header(im, f, col) != 0) return -1;
        if (col->target == T_SKIP) {
            if (col->field == -2 || !*col->header) continue;
            if (model_header_is_computed(col->header)) {
                if (!im->c->quiet)
                    rr_warn("%s: column '%s' is computed by riskreg from likelihood and impact; "
                            "skipped",
                            f->name, col->header);
                continue;
            }
            const char *guess = model_suggest_field(f->kind, col->header);
            if (!im->c->quiet)
                rr_warn("%s: column '%s' is not a %s field; skipped (%s%s%s--map '%s=FIELD' "
                        "imports it)",
                        f->name, col->header, f->kind->singular, guess ? "did you mean '" : "",
                        guess ? guess : "", guess ? "'? " : "", col->header);
            continue;
        }
        any = 1;
        for (int d = 0; d < c; d++) /* two columns for one field */
            if (f->cols[d].target == col->target && f->cols[d].field == col->field) {
                import_row_error(
                    im, f, h->line, NULL,
                    "columns '%s' and '%s' both give %s; remove one, or --map one of them "
                    "elsewhere ('%s=')",
                    f->cols[d].header, col->header,
                    col->target == T_MAIN ? f->kind->fields[col->field].name
                                          : model_kind(K_ASSESSMENT)->fields[col->field].name,
                    col->header);
            }
        /* Low/High read on a five-word scale when the column also says Very low/Very high */
        const struct kind *tk = col->target == T_MAIN ? f->kind : model_kind(K_ASSESSMENT);
        if (tk->fields[col->field].type == FT_RATING)
            for (int r = f->header_row + 1; r < s->nrows; r++)
                if (c < s->rows[r].ncells && rating_word_is_five_scale(s->rows[r].cells[c]))
                    col->words = RATING_WORDS_FIVE;
    }
    if (!any) {
        rr_error("%s: no column of the file is a %s field", f->name, f->kind->singular);
        return -1;
    }
    return 0;
}
