/* import_baseline.c - importing a sheet again never undoes work done in riskreg since.
 *
 * For each record, the register keeps what the sheet said of it the last time that source (the
 * file's name, and a workbook's sheet) was imported. A field then has three values: the sheet's
 * now (S), the register's (R) and the baseline (B). S = R: nothing to do. R = B: only the sheet
 * changed, so the sheet wins. S = B: only riskreg changed, so the register keeps its value. All
 * three differ: a conflict, said with both values; nothing is written until --prefer settles it.
 * A record the source never gave has no baseline, and the sheet wins as it always has. Only
 * records with IDs have baselines: an assessment or a measurement is a dated fact a sheet adds,
 * not a record both sides keep editing. */
#include "import_baseline.h"
#include "text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

void import_baseline_source(struct import_file *f)
{
    const char *slash = strrchr(f->name, '/');
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, slash ? slash + 1 : f->name);
    if (f->sheet.sheet_name) sb_printf(&sb, "!%s", f->sheet.sheet_name);
    f->source = sb.data ? sb.data : xstrdup("");
}

void *import_baseline_load(struct import *im, const struct import_file *f, const char *record)
{
    if (!f->kind->prefix) return NULL;
    struct stmt *s = reg_cached(im->g, "SELECT sheet FROM import_baseline WHERE source = ?1 AND "
                                       "kind = ?2 AND record = ?3");
    stmt_bind_text(s, 1, f->source);
    stmt_bind_text(s, 2, f->kind->name);
    stmt_bind_text(s, 3, record);
    json_t *base = NULL;
    if (stmt_step(s) == SQLITE_ROW && stmt_text(s, 0)) base = json_loads(stmt_text(s, 0), 0, NULL);
    stmt_reset(s);
    return base;
}

void import_baseline_free(void *base)
{
    json_decref(base);
}

/* The baseline's value of a field: 1 with *value set (NULL for an empty cell), or 0 when the
 * source did not give the field last time. */
static int base_value(void *base, const char *key, const char **value)
{
    json_t *v = base ? json_object_get(base, key) : NULL;
    if (!v) return 0;
    *value = json_string_value(v);
    return 1;
}

static void conflict(struct import *im, const struct import_file *f, int line, const char *record,
                     const char *field, const char *register_value, const char *sheet_value)
{
    im->conflicts++;
    if (im->conflicts > MAX_ERRORS_SHOWN) return;
    if (im->prefer != PREFER_ASK) {
        if (!im->c->quiet)
            rr_warn("%s:%d: %s %s: %s '%s' over '%s' (--prefer %s)", f->name, line, record, field,
                    im->prefer == PREFER_SHEET ? "took the sheet's" : "kept riskreg's",
                    im->prefer == PREFER_SHEET ? (sheet_value ? sheet_value : "")
                                               : (register_value ? register_value : ""),
                    im->prefer == PREFER_SHEET ? (register_value ? register_value : "")
                                               : (sheet_value ? sheet_value : ""),
                    im->prefer == PREFER_SHEET ? "sheet" : "register");
        return;
    }
    rr_error("%s:%d: %s %s was changed in riskreg to '%s' since this sheet was last imported, "
             "and the sheet now says '%s'",
             f->name, line, record, field, register_value ? register_value : "",
             sheet_value ? sheet_value : "");
}

int import_baseline_decide(struct import *im, const struct import_file *f, int line,
                           const char *record, void *base, const char *field,
                           const char *register_value, const char *sheet_value)
{
    const char *b;
    if (same(sheet_value, register_value)) return 0;
    if (!base_value(base, field, &b) || same(register_value, b)) return 1; /* the sheet's */
    if (same(sheet_value, b)) return 0; /* only riskreg changed it: kept */
    conflict(im, f, line, record, field, register_value, sheet_value);
    return im->prefer == PREFER_SHEET;
}

int import_baseline_scores_unchanged(void *base, const struct record *a)
{
    static const char *const keys[] = {"assessment.likelihood", "assessment.impact",
                                       "assessment.residual_likelihood",
                                       "assessment.residual_impact"};
    const char *was[4] = {NULL}, *now[4];
    int any = 0;
    for (int i = 0; i < 4; i++) {
        any |= base_value(base, keys[i], &was[i]);
        now[i] = a->v[2 + i];
    }
    if (!any) return 0;           /* the source never gave scores */
    for (int i = 2; i < 4; i++) { /* a residual not given is the inherent one, as scored */
        if (!was[i]) was[i] = was[i - 2];
        if (!now[i]) now[i] = now[i - 2];
    }
    for (int i = 0; i < 4; i++)
        if (!same(was[i], now[i])) return 0;
    return 1;
}

void import_baseline_scores_conflict(struct import *im, const struct import_file *f, int line,
                                     const char *record, const struct record *latest,
                                     const struct record *a)
{
    char r[64], s[64];
    snprintf(r, sizeof r, "%s×%s on %s", latest->v[2], latest->v[3], latest->v[1]);
    snprintf(s, sizeof s, "%s×%s", a->v[2], a->v[3]);
    conflict(im, f, line, record, "likelihood×impact", r, s);
}

char *import_baseline_text(const struct record *given, const int *has_cell,
                           const struct record *assessment, const int *has_assessment_cell)
{
    if (!given->kind->prefix) return NULL;
    json_t *o = json_object();
    /* the ID is the baseline's key (and a row without one takes the ID its title matched) */
    for (int i = 1; i < given->kind->nfields; i++)
        if (has_cell[i])
            json_object_set_new(o, given->kind->fields[i].name,
                                given->v[i] ? json_string(given->v[i]) : json_null());
    for (int i = 1; assessment && i < assessment->kind->nfields; i++) {
        if (!has_assessment_cell[i]) continue;
        char key[64];
        snprintf(key, sizeof key, "assessment.%s", assessment->kind->fields[i].name);
        json_object_set_new(o, key, assessment->v[i] ? json_string(assessment->v[i]) : json_null());
    }
    char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return text;
}

int import_baseline_save(struct import *im)
{
    /* a sheet imported again as it was writes nothing */
    struct stmt *s = reg_cached(im->g, "INSERT INTO import_baseline (source, kind, record, sheet) "
                                       "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET sheet = "
                                       "excluded.sheet WHERE sheet IS NOT excluded.sheet");
    for (int i = 0; i < im->nfiles; i++) {
        const struct import_file *f = &im->files[i];
        for (int r = 0; r < f->nrows; r++) {
            const struct planned *p = &f->rows[r];
            if (!p->baseline) continue;
            stmt_bind_text(s, 1, f->source);
            stmt_bind_text(s, 2, f->kind->name);
            stmt_bind_text(s, 3, p->rec.v[0]);
            stmt_bind_text(s, 4, p->baseline);
            int rc = stmt_step(s);
            stmt_reset(s);
            if (rc != SQLITE_DONE) return -1;
        }
    }
    return 0;
}
