/* import_header.c - an import file's header: finding the header row, matching its columns to
 * fields, skipping the columns riskreg computes.
 *
 * A column is matched by what the user said first (--map, riskreg.lua's import.map), then by
 * name and alias, with the scale or unit people add to a header ignored ("Likelihood (1-5)").
 * What the user said always wins: an automatic match for a field the user gave another column is
 * skipped. A problem with the columns is said once, at the header line, with the columns found. */
#include "import_header.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_SEARCH_ROWS 10
#define SKIPPED_ON_PURPOSE -2 /* col->field of a column skipped without a word */

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

static const char *field_name(const struct import_file *f, const struct column *col)
{
    const struct kind *k = col->target == T_MAIN ? f->kind : model_kind(K_ASSESSMENT);
    return k->fields[col->field].name;
}

/* "A 'Risk ID', B 'Title', C 'Likelihood (1-5)'": the columns found, for messages */
static void describe_columns(const struct sheet_row *h, struct strbuf *sb)
{
    for (int c = 0; c < h->ncells; c++) {
        char letter[16];
        sheet_cell_ref(c, 0, letter, sizeof letter);
        if (c == 12 && h->ncells > 14) {
            sb_printf(sb, ", … (%d more)", h->ncells - c);
            return;
        }
        sb_printf(sb, "%s%s '%.40s'", c ? ", " : "", letter, h->cells[c]);
    }
}

/* A problem with the columns: once, at the header line, with the columns found. */
static void header_error(struct import *im, struct import_file *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void header_error(struct import *im, struct import_file *f, const char *fmt, ...)
{
    const struct sheet_row *h = &f->sheet.rows[f->header_row];
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    sb_puts(&sb, " (the columns are ");
    describe_columns(h, &sb);
    sb_puts(&sb, ")");
    import_row_error(im, f, h->line, NULL, "%s", sb_str(&sb));
    sb_free(&sb);
}

/* The field a mapping names, on f's kind or (for a risk) its assessment: 0, or -1 when the kind
 * has no such field. */
static int mapped_target(const struct import_file *f, const char *field, struct column *col)
{
    col->field = model_field_index(f->kind, field);
    col->target = T_MAIN;
    if (col->field < 0 && f->kind->id == K_RISK) {
        col->field = model_field_index(model_kind(K_ASSESSMENT), field);
        col->target = T_ASSESSMENT;
        if (col->field == 0) col->field = -1; /* risk_id is the row's own ID */
    }
    if (col->field >= 0) return 0;
    col->target = T_SKIP;
    return -1;
}

/* What the user said of column c: 1 when a mapping decided it, 0 when none did, -1 after an
 * error. A mapping from riskreg.lua for a field this kind lacks is for another kind's files. */
static int map_explicitly(struct import *im, struct import_file *f, const char *const *headers,
                          int c)
{
    struct column *col = &f->cols[c];
    struct column_map *m = import_options_column(&im->opts, headers, f->ncols, c);
    if (!m) return 0;
    if (!*m->field) { /* 'Header=' skips a column on purpose */
        m->used = 1;
        col->target = T_SKIP;
        col->field = SKIPPED_ON_PURPOSE;
        return 1;
    }
    if (mapped_target(f, m->field, col) == 0) {
        m->used = 1;
        col->explicit = 1;
        return 1;
    }
    if (strcmp(m->origin, "--map") != 0) return 0;
    const char *guess = model_suggest_field(f->kind, m->field);
    im->usage_error = 1;
    cli_usage_error(im->c, "--map '%s=%s': %s have no field '%s'%s%s%s", m->column, m->field,
                    f->kind->name, m->field, guess ? "; did you mean '" : "", guess ? guess : "",
                    guess ? "'?" : "");
    return -1;
}

/* Is a computed column the sheet's own score or level, to compare with the project's? A risk's
 * "Risk Score", "Residual Rating", "Risk Level" are; "RAG" (other words) and "Expected Value"
 * (another quantity) are not. */
static int verdict_of(const struct import_file *f, const char *header)
{
    char key[128];
    text_header_key(header, key, sizeof key);
    if (f->kind->id != K_RISK || strstr(key, "rag") || strstr(key, "expected") ||
        strstr(key, "worstcase") || strstr(key, "likelihood") || strstr(key, "impact"))
        return VERDICT_NONE;
    if (!strstr(key, "score") && !strstr(key, "rating") && !strstr(key, "level") &&
        !strstr(key, "risk"))
        return VERDICT_NONE;
    return strstr(key, "residual") || strstr(key, "current") ? VERDICT_RESIDUAL : VERDICT_INHERENT;
}

/* A column no mapping decided: a field by name or alias, a column riskreg computes (skipped
 * without a word), or nothing. */
static int map_automatically(struct import *im, struct import_file *f, struct column *col)
{
    int computed = rules_is_computed_column(im->c->rules, f->kind->name, col->header);
    if (computed < 0) return -1;
    if (computed) {
        col->target = T_SKIP;
        col->field = SKIPPED_ON_PURPOSE;
        col->verdict = verdict_of(f, col->header);
        return 0;
    }
    col->field = field_of(f->kind, col->header, &col->target);
    if (col->field < 0 && model_header_is_computed(col->header))
        col->verdict = verdict_of(f, col->header);
    return 0;
}

static int given_explicitly(const struct import_file *f, const struct column *col)
{
    for (int c = 0; c < f->ncols; c++)
        if (f->cols[c].explicit && f->cols[c].target == col->target &&
            f->cols[c].field == col->field)
            return c;
    return -1;
}

/* A column that gives no field: said when riskreg computes it, an error when its name is close
 * to a field's (a rating quietly dropped is worse than a question), else a warning. */
static void skipped_column(struct import *im, struct import_file *f, int c)
{
    const struct column *col = &f->cols[c];
    char letter[16];
    sheet_cell_ref(c, 0, letter, sizeof letter);
    if (model_header_is_computed(col->header)) {
        if (!im->c->quiet)
            rr_warn("%s: column %s '%s' is computed by riskreg from likelihood and impact; "
                    "skipped%s",
                    f->name, letter, col->header,
                    col->verdict ? " (and compared with the project's scores)" : "");
        return;
    }
    char key[128];
    text_header_key(col->header, key, sizeof key);
    const char *guess = *key ? model_suggest_field(f->kind, key) : NULL;
    if (guess) {
        header_error(im, f,
                     "column %s '%s' is not a %s field, but its name is close to '%s': --map "
                     "'%s=%s' imports it, --map '%s=' skips it",
                     letter, col->header, f->kind->singular, guess, col->header, guess,
                     col->header);
        return;
    }
    if (!im->c->quiet)
        rr_warn("%s: column %s '%s' is not a %s field; skipped (--map '%s=FIELD' imports it)",
                f->name, letter, col->header, f->kind->singular, col->header);
}

/* Two columns for one field: said once, naming both by letter, so either can be mapped. */
static void check_duplicate(struct import *im, struct import_file *f, int c)
{
    const struct column *col = &f->cols[c];
    for (int d = 0; d < c; d++) {
        if (f->cols[d].target != col->target || f->cols[d].field != col->field) continue;
        char a[16], b[16];
        sheet_cell_ref(d, 0, a, sizeof a);
        sheet_cell_ref(c, 0, b, sizeof b);
        f->columns_clash = 1;
        header_error(im, f,
                     "columns %s '%s' and %s '%s' both give %s; keep one with --map '%s=' (or "
                     "--map '%s=' for the other), or give it another field (--map '%s=FIELD')",
                     a, f->cols[d].header, b, col->header, field_name(f, col), b, a, b);
        return;
    }
}

/* Low/High read on a five-word scale when the column also says Very low/Very high */
static void rating_scale(struct import_file *f, int c)
{
    struct column *col = &f->cols[c];
    const struct kind *tk = col->target == T_MAIN ? f->kind : model_kind(K_ASSESSMENT);
    if (tk->fields[col->field].type != FT_RATING) return;
    const struct sheet *s = &f->sheet;
    for (int r = f->header_row + 1; r < s->nrows; r++)
        if (c < s->rows[r].ncells && rating_word_is_five_scale(s->rows[r].cells[c]))
            col->words = RATING_WORDS_FIVE;
}

static int known_columns(struct import *im, struct import_file *f, const struct sheet_row *row)
{
    int known = 0;
    for (int c = 0; c < row->ncells; c++) {
        enum target t;
        /* a mapping by letter or position names a column in any row: only a header counts */
        struct column_map *m =
            import_options_column(&im->opts, (const char *const *)row->cells, row->ncells, c);
        char key[128], mkey[128];
        text_name_key(row->cells[c], key, sizeof key);
        if (m) text_name_key(m->column, mkey, sizeof mkey);
        if ((m && *m->field && *key && strcmp(key, mkey) == 0) ||
            field_of(f->kind, row->cells[c], &t) >= 0)
            known++;
    }
    return known;
}

static int find_header_row(struct import *im, struct import_file *f)
{
    struct sheet *s = &f->sheet;
    f->header_row = -1;
    if (im->header_row) {
        for (int r = 0; r < s->nrows; r++)
            if (s->rows[r].line == im->header_row) f->header_row = r;
        if (f->header_row < 0) {
            rr_error("%s: --header-row %d: there is no row starting on that line", f->name,
                     im->header_row);
            return -1;
        }
        return 0;
    }
    for (int r = 0; r < s->nrows && r < HEADER_SEARCH_ROWS && f->header_row < 0; r++)
        if (known_columns(im, f, &s->rows[r]) >= 2) f->header_row = r;
    if (f->header_row >= 0) return 0;
    const char *hint = "";
    if (s->rows[0].ncells == 1 && strchr(s->rows[0].cells[0], ';'))
        hint = "; the file looks like it uses ';' between cells: add --delimiter ';'";
    struct strbuf sb = STRBUF_INIT, where = STRBUF_INIT;
    describe_columns(&s->rows[0], &sb);
    import_where(f, s->rows[0].line, NULL, &where);
    rr_error("%s: no header row: none of the first rows names two %s columns (such as "
             "%s, %s)%s; use --map 'Header=field' or --header-row N (the first row is %s)",
             sb_str(&where), f->kind->name, f->kind->fields[0].name, f->kind->fields[1].name, hint,
             sb_str(&sb));
    sb_free(&sb);
    sb_free(&where);
    return -1;
}

int import_read_header(struct import *im, struct import_file *f)
{
    struct sheet *s = &f->sheet;
    if (s->nrows == 0) {
        rr_error("%s: the file is empty: expected a header row and %s", f->name, f->kind->name);
        return -1;
    }
    if (find_header_row(im, f) != 0) return -1;
    for (int r = 0; r < f->header_row && !im->c->quiet; r++) {
        struct strbuf where = STRBUF_INIT;
        import_where(f, s->rows[r].line, NULL, &where);
        rr_warn("%s: skipped a row above the header ('%.40s')", sb_str(&where),
                s->rows[r].cells[0]);
        sb_free(&where);
    }
    const struct sheet_row *h = &s->rows[f->header_row];
    const char *const *headers = (const char *const *)h->cells;
    f->ncols = h->ncells;
    f->cols = xcalloc((size_t)f->ncols, sizeof *f->cols);
    /* what the user said first, so that it wins over any automatic match */
    for (int c = 0; c < f->ncols; c++) {
        f->cols[c].header = h->cells[c];
        f->cols[c].target = T_SKIP;
        f->cols[c].field = -1;
        int decided = map_explicitly(im, f, headers, c);
        if (decided < 0) return -1;
        if (!decided && map_automatically(im, f, &f->cols[c]) != 0) return -1;
    }
    int any = 0;
    for (int c = 0; c < f->ncols; c++) {
        struct column *col = &f->cols[c];
        if (col->target != T_SKIP && !col->explicit && given_explicitly(f, col) >= 0) {
            if (!im->c->quiet)
                rr_warn("%s: column '%s' would give %s, which --map gives from '%s'; skipped",
                        f->name, col->header, field_name(f, col),
                        f->cols[given_explicitly(f, col)].header);
            col->target = T_SKIP;
            col->field = SKIPPED_ON_PURPOSE;
        }
        if (col->target == T_SKIP) {
            if (col->field != SKIPPED_ON_PURPOSE && *col->header) skipped_column(im, f, c);
            continue;
        }
        any = 1;
        check_duplicate(im, f, c);
        rating_scale(f, c);
    }
    if (!any) {
        struct strbuf sb = STRBUF_INIT, where = STRBUF_INIT;
        describe_columns(h, &sb);
        import_where(f, h->line, NULL, &where);
        rr_error("%s: no column of the file is a %s field (the columns are %s); --map "
                 "'COLUMN=field' names them",
                 sb_str(&where), f->kind->singular, sb_str(&sb));
        sb_free(&sb);
        sb_free(&where);
        return -1;
    }
    return 0;
}

int import_check_maps_used(struct import *im)
{
    for (int i = 0; i < im->opts.nmaps; i++) {
        const struct column_map *m = &im->opts.maps[i];
        if (m->used || strcmp(m->origin, "--map") != 0 || im->nfiles == 0) continue;
        const struct import_file *f = &im->files[0];
        struct strbuf sb = STRBUF_INIT;
        if (f->cols) describe_columns(&f->sheet.rows[f->header_row], &sb);
        im->usage_error = 1;
        cli_usage_error(im->c, "--map '%s=%s': no column '%s' in %s%s%s%s", m->column, m->field,
                        m->column, im->nfiles == 1 ? f->name : "the files",
                        sb.len ? " (its columns are " : "", sb_str(&sb), sb.len ? ")" : "");
        sb_free(&sb);
        return -1;
    }
    return 0;
}
