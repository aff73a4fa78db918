/* import_rows.c - checking an import's rows: each row's values, its references (to the
 * import's own records first), the record it updates, defaults and closing dates, duplicates, and
 * the assessment a risk row carries. Nothing is written here; each row becomes a plan. */
#include "import_baseline.h"
#include "import_header.h"
#include "import_rows.h"
#include "progress.h"
#include "sheet_xlsx.h"
#include "text.h"
#include "write.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ERR_SIZE 512

struct batch_id {
    const struct kind *kind;
    struct record *rec; /* the record as it will be written */
    const char *file;
    int line;
};

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

static const char *column_for_field(const struct import_file *f, enum target t, const char *name)
{
    const struct kind *k = t == T_MAIN ? f->kind : model_kind(K_ASSESSMENT);
    int i = model_field_index(k, name);
    for (int c = 0; c < f->ncols; c++)
        if (f->cols[c].target == t && f->cols[c].field == i) return f->cols[c].header;
    return name;
}

/* A record that needs a field no column gives: counted, and said once at the header line after
 * the rows (fifty copies of "a risk needs a title" would hide the errors after them). */
static int missing_column(struct import *im, struct import_file *f, const char *field)
{
    int i = field ? model_field_index(f->kind, field) : -1;
    if (i < 0) return 0;
    for (int c = 0; c < f->ncols; c++) /* a column may give it on other rows: not missing */
        if (f->cols[c].target == T_MAIN && f->cols[c].field == i) return 0;
    if (f->missing[i]++ == 0) im->errors++;
    return 1;
}

static void say_missing_columns(struct import *im, struct import_file *f)
{
    const struct sheet_row *h = &f->sheet.rows[f->header_row];
    for (int i = 0; i < f->kind->nfields; i++) {
        if (!f->missing[i]) continue;
        struct strbuf cols = STRBUF_INIT;
        for (int c = 0; c < h->ncells && c < 12; c++) {
            char letter[16];
            sheet_cell_ref(c, 0, letter, sizeof letter);
            sb_printf(&cols, "%s%s '%.40s'", c ? ", " : "", letter, h->cells[c]);
        }
        im->errors--; /* counted once already; import_row_error counts it again */
        import_row_error(im, f, h->line, NULL,
                         "no column gives the %s's %s, which %d row%s need%s (the columns are "
                         "%s%s); --map 'COLUMN=%s' names the column that does",
                         f->kind->singular, f->kind->fields[i].name, f->missing[i],
                         f->missing[i] == 1 ? "" : "s", f->missing[i] == 1 ? "s" : "",
                         sb_str(&cols), h->ncells > 12 ? ", …" : "", f->kind->fields[i].name);
        sb_free(&cols);
    }
}

/* A cell as the register reads it: the project's or --map-values' word for it, and a date in
 * the order the sheet writes them (ISO, or as --date-format says), as YYYY-MM-DD. NULL after
 * reporting a date that cannot be read. */
static const char *cell_value(struct import *im, const struct import_file *f, int line,
                              const struct column *col, const struct field *fd, const char *raw,
                              char *buf, size_t bufsize)
{
    const char *mapped = import_options_value(&im->opts, fd->name, raw);
    if (mapped) return mapped;
    if (fd->type != FT_DATE) return raw;
    snprintf(buf, bufsize, "%s", raw);
    text_trim(buf);
    rr_day day;
    if (!*buf || date_parse_sheet(buf, im->opts.date_order, 1, &day) == 0) {
        if (*buf) date_format(day, buf);
        return buf;
    }
    if (date_needs_order(buf) && im->opts.date_order == DATE_ISO) {
        import_once_error(im, f, line, col->header, "date-order",
                          "'%s': is that day/month or month/day? Say which with --date-format "
                          "DMY (31/12/2026) or MDY (12/31/2026), or once for the project in "
                          "riskreg.lua: import = { date_format = \"DMY\" }",
                          buf);
        return NULL;
    }
    if (date_needs_order(buf) || (im->opts.date_order == DATE_YMD && strchr(buf, '/'))) {
        import_row_error(im, f, line, col->header, "'%s' is not a date in %s order (as %s says)",
                         buf, date_order_name(im->opts.date_order), im->opts.date_order_origin);
        return NULL;
    }
    return raw; /* value_parse explains it */
}

/* Resolve a reference against the records of this import first, then the register. */
static int resolve_ref(struct import *im, const struct field *fd, struct record *rec, int i,
                       char *err, size_t errsize)
{
    char key[64];
    snprintf(key, sizeof key, "%s", rec->v[i]);
    lower(key);
    struct batch_id *b = map_get(&im->ids, key);
    if (b) {
        const struct kind *want = model_kind(fd->ref);
        if (b->kind != want) {
            snprintf(err, errsize, "%s is %s %s (%s:%d), not a %s", rec->v[i],
                     text_article(b->kind->singular), b->kind->singular, b->file, b->line,
                     want->singular);
            return -1;
        }
        record_set(rec, i, b->rec->v[0]);
        return 0;
    }
    return write_resolve_ref(im->g, fd, rec, i, err, errsize);
}

/* The record a row refers to, as it will be after the import (for date checks). */
static int owner_record(struct import *im, const char *id, struct record *out, int *borrowed,
                        struct record **ptr)
{
    char key[64];
    snprintf(key, sizeof key, "%s", id);
    lower(key);
    struct batch_id *b = map_get(&im->ids, key);
    if (b) {
        *ptr = b->rec;
        *borrowed = 1;
        return 1;
    }
    *borrowed = 0;
    int rc = record_fetch(im->g, model_kind(K_RISK), id, NULL, out);
    *ptr = out;
    return rc;
}

/* A row without an ID is the record of the same title when there is exactly one, so that a
 * spreadsheet without IDs can be imported again without doubling the register. */
static int match_by_title(struct import *im, const struct kind *k, const struct record *given,
                          struct record *out)
{
    char *id = NULL;
    int rc = record_find_by_title(im->g, given, &id);
    if (rc > 0) rc = record_fetch(im->g, k, id, NULL, out);
    free(id);
    return rc;
}

/* A record's closing: a closing date with no status word closes it on that date; a closed
 * (done) record without its date takes the date the row was last assessed, else --on, and the
 * import says so (once, with a count of the rows like it). */
static void closing_date(struct import *im, struct import_file *f, struct planned *p,
                         int status_given, const char *assessed_on)
{
    static const struct {
        enum kind_id kind;
        const char *status, *date;
    } rules[] = {{K_RISK, "closed", "closed_on"},
                 {K_IMPROVEMENT, "done", "done_on"},
                 {K_REVIEW_ACTION, "done", "closed_on"}};
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (rules[i].kind != f->kind->id) continue;
        int s = model_field_index(f->kind, "status"), d = model_field_index(f->kind, rules[i].date);
        if (!status_given && p->rec.v[d]) {
            record_set(&p->rec, s, rules[i].status);
            continue;
        }
        const char *status = p->rec.v[s];
        if (!status || strcmp(status, rules[i].status) != 0 || p->rec.v[d]) continue;
        const char *date = assessed_on ? assessed_on : im->on_text;
        record_set(&p->rec, d, date);
        if (f->closed_undated++ == 0 && !im->c->quiet) {
            struct strbuf where = STRBUF_INIT;
            import_where(f, p->line, NULL, &where);
            rr_warn("%s: %s is %s without a date; %s set to %s (%s)", sb_str(&where),
                    p->rec.v[0] ? p->rec.v[0] : "the row", status, rules[i].date, date,
                    assessed_on ? "the date it was last assessed" : "the import's --on date");
            sb_free(&where);
        }
    }
}

static void say_closed_undated(const struct import *im, const struct import_file *f)
{
    if (f->closed_undated > 1 && !im->c->quiet)
        rr_warn("%s: … and %d more rows like it", f->name, f->closed_undated - 1);
}

static struct record *fetch_new(struct reg *g, const struct kind *k, const char *key1,
                                const char *key2)
{
    struct record *rec = xmalloc(sizeof *rec);
    if (record_fetch(g, k, key1, key2, rec) > 0) return rec;
    free(rec);
    return NULL;
}

void import_free_new(struct record *rec)
{
    if (!rec) return;
    record_free(rec);
    free(rec);
}

/* The risk's latest assessment, when it has one */
static struct record *latest_assessment(struct import *im, const char *risk_id)
{
    struct stmt *s = reg_cached(im->g, "SELECT max(assessed_on) FROM assessment WHERE "
                                       "risk_id = ?1");
    stmt_bind_text(s, 1, risk_id);
    char *last = NULL;
    if (stmt_step(s) == SQLITE_ROW && stmt_text(s, 0)) last = xstrdup(stmt_text(s, 0));
    stmt_reset(s);
    struct record *latest = last ? fetch_new(im->g, model_kind(K_ASSESSMENT), risk_id, last) : NULL;
    free(last);
    return latest;
}

static int same_scores(const struct record *a, const struct record *b)
{
    for (int i = 2; i <= 5; i++) {
        const char *x = a->v[i], *y = b->v[i];
        if (i >= 4 && !x) x = a->v[i - 2];
        if (i >= 4 && !y) y = b->v[i - 2];
        if ((!x != !y) || (x && strcmp(x, y) != 0)) return 0;
    }
    return 1;
}

/* Scores the sheet gives again: 1 when they say nothing new since the sheet was last imported,
 * or riskreg reassessed the risk since and the sheet's change loses to it (a conflict unless
 * --prefer sheet). */
static int scores_kept(struct import *im, struct import_file *f, struct planned *p, void *base,
                       const struct record *a)
{
    if (!base || !p->before) return 0;
    if (import_baseline_scores_unchanged(base, a)) return 1;
    struct record *latest = latest_assessment(im, p->rec.v[0]);
    int kept = 0;
    if (latest && !import_baseline_scores_unchanged(base, latest) && !same_scores(latest, a)) {
        import_baseline_scores_conflict(im, f, p->line, p->rec.v[0], latest, a);
        kept = im->prefer != PREFER_SHEET;
    }
    import_free_new(latest);
    return kept;
}

/* The assessment a spreadsheet risk row carries: checked, dated, and planned only when it says
 * something new, so that importing the same sheet again writes nothing. */
static void check_scores(struct import *im, struct import_file *f, struct planned *p,
                         const struct record *given, int file_sets_next_review, void *base)
{
    const struct kind *ak = model_kind(K_ASSESSMENT);
    int rated = 0, other = 0;
    for (int i = 2; i <= 5; i++)
        rated |= given->v[i] != NULL;
    for (int i = 1; i < ak->nfields; i++)
        other |= (i < 2 || i > 5) && given->v[i] != NULL; /* the fields beside the ratings */
    if (!rated) {
        if (other && !f->warned_unrated && !im->c->quiet) {
            struct strbuf where = STRBUF_INIT;
            import_where(f, p->line, NULL, &where);
            rr_warn("%s: the row has no likelihood or impact, so its assessment columns (note, "
                    "assessor, date) have nothing to belong to; skipped here and on rows like it",
                    sb_str(&where));
            sb_free(&where);
            f->warned_unrated = 1;
        }
        return;
    }
    char err[ERR_SIZE];
    const char *field;
    struct record a;
    record_copy(&a, given);
    if (!a.v[2] || !a.v[3]) {
        import_row_error(im, f, p->line,
                         column_for_field(f, T_ASSESSMENT, a.v[2] ? "impact" : "likelihood"),
                         "likelihood and impact come as a pair: this row has only the %s",
                         a.v[2] ? "likelihood" : "impact");
        goto done;
    }
    if (!a.v[1]) {
        /* dated --on, but within the risk's life: a closed risk's scores are its last ones */
        const char *created = record_get(&p->rec, "created_on");
        const char *closed = record_get(&p->rec, "closed_on");
        const char *date = im->on_text;
        if (closed && strcmp(date, closed) > 0) date = closed;
        if (created && strcmp(date, created) < 0) date = created;
        record_set(&a, 1, date);
    }
    record_set(&a, 0, p->rec.v[0] ? p->rec.v[0] : "(new)");
    if (record_check(&a, &field, err, sizeof err) != 0 ||
        write_check_assessment(&p->rec, &a, &field, err, sizeof err) != 0) {
        import_row_error(im, f, p->line, column_for_field(f, T_ASSESSMENT, field), "%s", err);
        goto done;
    }
    if (scores_kept(im, f, p, base, &a)) goto done;
    int latest = 1;
    if (p->before) {
        struct record *that_day = fetch_new(im->g, ak, p->rec.v[0], a.v[1]);
        if (that_day) {
            for (int i = 6; i < ak->nfields; i++) /* keep what the sheet does not say */
                if (!a.v[i] && that_day->v[i]) record_set(&a, i, that_day->v[i]);
            if (record_equal(that_day, &a)) {
                import_free_new(that_day);
                goto done;
            }
            p->assessment_before = that_day;
        } else {
            struct record *prev = latest_assessment(im, p->rec.v[0]);
            if (prev) {
                latest = strcmp(a.v[1], prev->v[1]) >= 0;
                int same = latest && same_scores(prev, &a);
                import_free_new(prev);
                if (same) goto done;
            }
        }
    }
    p->assessment = xmalloc(sizeof *p->assessment);
    *p->assessment = a;
    record_init(&a, ak);
    /* the scores set the next review unless the file says when */
    if (latest && !file_sets_next_review) {
        char date[DATE_TEXT_SIZE];
        if (rules_next_review(im->c->rules, &p->rec, p->assessment->v[1], date) != 0)
            im->failed_rules = 1;
        else
            record_set(&p->rec, model_field_index(p->rec.kind, "next_review_on"),
                       date[0] ? date : NULL);
    }
done:
    record_free(&a);
}

static void add_disagreement(struct import_file *f, const char *sheet, const struct rules_score *s,
                             int is_score)
{
    for (int i = 0; i < f->ndisagreements; i++) {
        struct disagreement *d = &f->disagreements[i];
        if (d->is_score == is_score && strcmp(d->sheet, sheet) == 0 &&
            strcmp(d->score, s->score) == 0 && strcmp(d->level, s->level.name) == 0) {
            d->count++;
            return;
        }
    }
    f->disagreements =
        xrealloc(f->disagreements, sizeof *f->disagreements * (size_t)(f->ndisagreements + 1));
    f->disagreements[f->ndisagreements++] = (struct disagreement){
        xstrdup(sheet), xstrdup(s->score), xstrdup(s->level.name), is_score, 1};
}

/* The sheet's own score and level columns against the project's rules for the row's ratings:
 * where they disagree (the sheet's "Critical" at 16 is the project's "High"), counted. */
static void compare_verdicts(struct import *im, struct import_file *f, const struct sheet_row *row,
                             const struct record *given)
{
    if (!given->v[2] || !given->v[3]) return;
    struct rules_score scores[2];
    int scored = 0;
    for (int c = 0; c < f->ncols && c < row->ncells; c++) {
        if (!f->cols[c].verdict) continue;
        char cell[128], key[128], lkey[128];
        snprintf(cell, sizeof cell, "%s", row->cells[c]);
        text_trim(cell);
        if (!*cell) continue;
        if (!scored++ && rules_scores(im->c->rules, given, &scores[0], &scores[1]) != 0) {
            im->failed_rules = 1;
            return;
        }
        const struct rules_score *s = &scores[f->cols[c].verdict == VERDICT_RESIDUAL];
        double v;
        if (text_parse_number(cell, &v) == 0) {
            if (fabs(v - s->value) > 1e-9) add_disagreement(f, cell, s, 1);
            continue;
        }
        text_name_key(cell, key, sizeof key);
        text_name_key(s->level.name, lkey, sizeof lkey);
        if (strcmp(key, lkey) != 0) add_disagreement(f, cell, s, 0);
    }
}

/* One warning per distinct disagreement, with its count. */
static void say_disagreements(const struct import *im, struct import_file *f)
{
    for (int i = 0; i < f->ndisagreements; i++) {
        struct disagreement *d = &f->disagreements[i];
        if (!im->c->quiet && d->is_score)
            rr_warn("%s: %d row%s: the sheet's score is %s where the project's is %s (%s) — see "
                    "score in riskreg.lua",
                    f->name, d->count, d->count == 1 ? "" : "s", d->sheet, d->score, d->level);
        else if (!im->c->quiet)
            rr_warn("%s: %d row%s: the sheet says %s for score %s; the project's bands say %s — "
                    "see levels in riskreg.lua",
                    f->name, d->count, d->count == 1 ? "" : "s", d->sheet, d->score, d->level);
        free(d->sheet);
        free(d->score);
        free(d->level);
    }
    free(f->disagreements);
    f->disagreements = NULL;
    f->ndisagreements = 0;
}

/* Fill p->rec (and p->assessment) from one row; report what is wrong. */
static void check_row(struct import *im, struct import_file *f, const struct sheet_row *row,
                      struct planned *p)
{
    const struct kind *k = f->kind;
    char err[ERR_SIZE];
    int errors_before = im->errors;
    int header_cells = f->ncols;
    char *row_key = NULL;
    p->line = row->line;
    if (row->ncells > header_cells) {
        for (int c = header_cells; c < row->ncells; c++)
            if (row->cells[c][0]) {
                import_row_error(
                    im, f, row->line, NULL,
                    "the row has %d cells but the header has %d: a value with a '%c' in it "
                    "must be in double quotes",
                    row->ncells, header_cells, im->delimiter);
                return;
            }
    } else if (row->ncells < header_cells) {
        import_row_error(im, f, row->line, NULL,
                         "the row has %d cells but the header has %d (empty cells still need their "
                         "'%c')",
                         row->ncells, header_cells, im->delimiter);
        return;
    }
    struct record given, given_assessment;
    record_init(&given, k);
    record_init(&given_assessment, model_kind(K_ASSESSMENT));
    int has_cell[MAX_FIELDS] = {0}, has_assessment_cell[MAX_FIELDS] = {0};
    void *base = NULL;
    for (int c = 0; c < header_cells; c++) {
        struct column *col = &f->cols[c];
        if (col->target == T_SKIP) continue;
        struct record *target = col->target == T_MAIN ? &given : &given_assessment;
        const struct field *fd = &target->kind->fields[col->field];
        char *value, date[64];
        const char *cell = cell_value(im, f, row->line, col, fd, row->cells[c], date, sizeof date);
        if (!cell) continue;
        if (value_parse(&im->c->cfg, target->kind, fd, cell, col->words, &value, err, sizeof err) !=
            0) {
            import_row_error(im, f, row->line, col->header, "%s", err);
            continue;
        }
        free(target->v[col->field]);
        target->v[col->field] = value;
        if (col->target == T_MAIN)
            has_cell[col->field] = 1;
        else
            has_assessment_cell[col->field] = 1;
        if (value && fd->type == FT_REF &&
            resolve_ref(im, fd, target, col->field, err, sizeof err) != 0)
            import_row_error(im, f, row->line, col->header, "%s", err);
    }
    if (im->errors != errors_before) goto done;

    /* the record as it is now, when it exists */
    if (k->prefix && given.v[0]) {
        char *stored = NULL;
        const struct kind *other = record_find_id(im->g, given.v[0], &stored);
        if (other && other != k) {
            import_row_error(im, f, row->line, column_for_field(f, T_MAIN, "id"),
                             "%s is already %s %s; IDs are unique across the register", stored,
                             text_article(other->singular), other->singular);
            free(stored);
            goto done;
        }
        if (!other && id_check_new(given.v[0], err, sizeof err) != 0) {
            import_row_error(im, f, row->line, column_for_field(f, T_MAIN, "id"), "%s", err);
            free(stored);
            goto done;
        }
        if (other) {
            p->before = fetch_new(im->g, k, stored, NULL);
            record_set(&given, 0, stored);
        }
        free(stored);
    } else if (!k->prefix) {
        p->before = fetch_new(im->g, k, given.v[0], given.v[1]);
    } else {
        struct record found;
        if (match_by_title(im, k, &given, &found) > 0) {
            p->before = xmalloc(sizeof *p->before);
            *p->before = found;
            record_set(&given, 0, found.v[0]);
        }
    }
    if (p->before) {
        base = import_baseline_load(im, f, given.v[0]);
        record_copy(&p->rec, p->before);
        for (int i = 0; i < k->nfields; i++)
            if (has_cell[i] &&
                import_baseline_decide(im, f, row->line, given.v[0], base, k->fields[i].name,
                                       p->before->v[i], given.v[i]))
                record_set(&p->rec, i, given.v[i]);
    } else {
        record_copy(&p->rec, &given);
        record_apply_defaults(&p->rec, im->on);
        /* a new risk was raised no later than the sheet says it was assessed or closed */
        int raised = model_field_index(k, "created_on"), closed = model_field_index(k, "closed_on");
        const char *dates[] = {k->id == K_RISK ? given_assessment.v[1] : NULL,
                               closed >= 0 ? given.v[closed] : NULL};
        for (int i = 0; i < 2 && raised >= 0 && !given.v[raised]; i++)
            if (dates[i] && strcmp(dates[i], p->rec.v[raised]) < 0)
                record_set(&p->rec, raised, dates[i]);
    }
    int status = model_field_index(k, "status");
    closing_date(im, f, p, status >= 0 && given.v[status], given_assessment.v[1]);

    /* duplicates within the import */
    if (k->prefix && p->rec.v[0]) {
        char key[64];
        snprintf(key, sizeof key, "%s", p->rec.v[0]);
        lower(key);
        struct batch_id *b = map_get(&im->ids, key);
        if (b) {
            import_row_error(im, f, row->line, column_for_field(f, T_MAIN, "id"),
                             "%s appears twice: also at %s:%d", p->rec.v[0], b->file, b->line);
            goto done;
        }
        b = xcalloc(1, sizeof *b);
        *b = (struct batch_id){k, &p->rec, f->name, row->line};
        map_put(&im->ids, key, b);
        const char *digits = p->rec.v[0] + strlen(k->prefix);
        if (strncasecmp(p->rec.v[0], k->prefix, strlen(k->prefix)) == 0 && *digits &&
            strspn(digits, "0123456789") == strlen(digits)) {
            long long number = strtoll(digits, NULL, 10);
            if (number > im->highest[k->id]) im->highest[k->id] = number;
        }
    } else if (!k->prefix) {
        row_key = record_row_key(&p->rec);
        struct strbuf key = STRBUF_INIT;
        sb_printf(&key, "%s\x1f%s", k->table, row_key);
        lower(key.data);
        long line = (long)(size_t)map_get(&im->keys, key.data);
        if (line) {
            import_row_error(im, f, row->line, NULL, "%s %s appears twice: also on line %ld",
                             k->singular, row_key, line);
            sb_free(&key);
            goto done;
        }
        map_put(&im->keys, key.data, (void *)(size_t)row->line);
        sb_free(&key);
    }

    const char *field;
    if (record_check(&p->rec, &field, err, sizeof err) != 0) {
        if (!missing_column(im, f, field))
            import_row_error(im, f, row->line, column_for_field(f, T_MAIN, field), "%s", err);
        goto done;
    }
    /* an assessment must fall within its risk's life */
    if (k->id == K_ASSESSMENT) {
        struct record risk, *rp;
        int borrowed;
        if (owner_record(im, p->rec.v[0], &risk, &borrowed, &rp) > 0) {
            if (write_check_assessment(rp, &p->rec, &field, err, sizeof err) != 0)
                import_row_error(im, f, row->line, column_for_field(f, T_MAIN, field), "%s", err);
            if (!borrowed) record_free(&risk);
        }
    }
    if (k->id == K_RISK)
        check_scores(im, f, p, &given_assessment, has_cell[model_field_index(k, "next_review_on")],
                     base);
    if (k->id == K_RISK) compare_verdicts(im, f, row, &given_assessment);
    p->baseline = import_baseline_text(&given, has_cell, k->id == K_RISK ? &given_assessment : NULL,
                                       has_assessment_cell);
done:
    import_baseline_free(base);
    free(row_key);
    record_free(&given);
    record_free(&given_assessment);
}

/* write_ids over the import's own records: an ID of a row of any file, as it will be written */
static const struct kind *batch_find(void *data, const char *id, const char **stored)
{
    struct import *im = data;
    char key[64];
    snprintf(key, sizeof key, "%s", id);
    lower(key);
    struct batch_id *b = map_get(&im->ids, key);
    if (!b) return NULL;
    *stored = b->rec->v[0];
    return b->kind;
}

struct batch_each {
    void (*add)(const char *id, void *list);
    void *list;
};

static void batch_each_one(const char *key, void *value, void *data)
{
    (void)key;
    struct batch_each *e = data;
    e->add(((struct batch_id *)value)->rec->v[0], e->list);
}

static void batch_each(void *data, void (*add)(const char *id, void *list), void *list)
{
    struct import *im = data;
    struct batch_each e = {add, list};
    map_each(&im->ids, batch_each_one, &e);
}

/* The IDs in the rows' lists (a readiness row's evidence, a document's or an audit's
 * requirements) name records of the register or of this import: checked once every file's rows
 * are known, since evidence names documents, audits and KPIs that come after it in dependency
 * order. Only lists a row sets or changes are checked. */
static void check_lists(struct import *im)
{
    struct write_ids batch = {batch_find, batch_each, im};
    for (int i = 0; i < im->nfiles; i++) {
        struct import_file *f = &im->files[i];
        const struct kind *k = f->kind;
        for (int r = 0; r < f->nrows; r++) {
            struct planned *p = &f->rows[r];
            if (!p->rec.kind) continue; /* the row was bad: said already */
            for (int fi = 0; fi < k->nfields; fi++) {
                if (!(k->fields[fi].flags & FF_LIST) || !p->rec.v[fi]) continue;
                if (p->before && p->before->v[fi] && strcmp(p->before->v[fi], p->rec.v[fi]) == 0)
                    continue;
                char err[ERR_SIZE];
                if (write_check_list(im->g, &p->rec, fi, &batch, err, sizeof err) != 0)
                    import_row_error(im, f, p->line,
                                     column_for_field(f, T_MAIN, k->fields[fi].name), "%s", err);
            }
        }
    }
}

int import_read_and_check(struct import *im)
{
    for (int i = 0; i < im->nfiles; i++) { /* all read first: the progress line knows the rows */
        struct import_file *f = &im->files[i];
        int read = f->sheet_name ? sheet_read_xlsx(&f->sheet, f->name, f->sheet_name, im->c->quiet)
                                 : sheet_read(&f->sheet, f->name, im->delimiter,
                                              !im->delimiter_given, im->c->quiet);
        if (read != 0) return -1;
        progress_expect(f->sheet.nrows);
    }
    for (int i = 0; i < im->nfiles; i++) {
        struct import_file *f = &im->files[i];
        import_baseline_source(f);
        if (import_read_header(im, f) != 0) return -1;
        if (f->columns_clash) continue; /* its rows cannot be read until that is settled */
        f->nrows = f->sheet.nrows - f->header_row - 1;
        f->rows = xcalloc((size_t)(f->nrows > 0 ? f->nrows : 1), sizeof *f->rows);
        progress_done(f->header_row + 1);
        for (int r = 0; r < f->nrows; r++) {
            struct sheet_row *row = &f->sheet.rows[f->header_row + 1 + r];
            check_row(im, f, row, &f->rows[r]);
            sheet_free_row(row); /* the plan holds what is needed from here on */
            progress_done(1);
        }
        say_missing_columns(im, f);
        say_closed_undated(im, f);
        say_disagreements(im, f);
    }
    check_lists(im);
    return import_check_maps_used(im);
}
