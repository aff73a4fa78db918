/* import.c - CSV files into the register, all or nothing.
 *
 * Every file is read and every row checked before anything is written, inside one write
 * transaction; one bad row anywhere means nothing is written. Rows whose ID (or key) already
 * exists update that record with the columns the file has, so importing the same spreadsheet
 * again changes nothing. */
#include "cli.h"
#include "map.h"
#include "progress.h"
#include "record.h"
#include "sheet.h"
#include "text.h"
#include "validate.h"
#include "write.h"

#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_ERRORS_SHOWN 30
#define ERR_SIZE 512
#define HEADER_SEARCH_ROWS 10

enum target { T_SKIP = -1, T_MAIN = 0, T_ASSESSMENT = 1 };

struct column {
    const char *header;
    enum target target;
    int field;
    enum rating_words words;
};

/* One row to write: the record as it will be, and as it was when it exists already. */
struct planned {
    int line;
    struct record rec;
    struct record *before;            /* the record as it is, when it exists */
    struct record *assessment;        /* a risk row's scores, when they are to be written */
    struct record *assessment_before; /* that day's assessment, when there is one */
    char *log[4]; /* change-log texts made ahead: rec's before and after, the assessment's */
};

struct import_file {
    struct sheet sheet;
    const char *name; /* as the user gave it, for messages */
    const struct kind *kind;
    int header_row;
    struct column *cols;
    int ncols;
    struct planned *rows;
    int nrows;
    int warned_unrated; /* said once that assessment columns on unrated rows are skipped */
};

struct batch_id {
    const struct kind *kind;
    struct record *rec; /* the record as it will be written */
    const char *file;
    int line;
};

struct import {
    struct cli *c;
    struct reg *g;
    rr_day on;
    char on_text[DATE_TEXT_SIZE];
    char delimiter;
    int delimiter_given;
    int header_row; /* --header-row, 0 when not given */
    const char *map;
    struct import_file *files;
    int nfiles;
    struct map ids;                /* lower-case ID -> struct batch_id */
    struct map keys;               /* table + lower-case row key -> line, for duplicates */
    long long highest[KIND_COUNT]; /* highest PREFIX-NNN number in register and files */
    int errors;
    int usage_error;
    int failed_rules; /* the rules failed (said): nothing is written */
};

static void row_error(struct import *im, const struct import_file *f, int line, const char *col,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void row_error(struct import *im, const struct import_file *f, int line, const char *col,
                      const char *fmt, ...)
{
    if (im->errors++ >= MAX_ERRORS_SHOWN) return;
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    if (col)
        rr_error("%s:%d: column '%s': %s", f->name, line, col, sb_str(&sb));
    else
        rr_error("%s:%d: %s", f->name, line, sb_str(&sb));
    sb_free(&sb);
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

/* ---- which files, in which order ---- */

static int add_file(struct import *im, const char *path, const struct kind *k)
{
    im->files = xrealloc(im->files, sizeof *im->files * (size_t)(im->nfiles + 1));
    struct import_file *f = &im->files[im->nfiles++];
    memset(f, 0, sizeof *f);
    f->name = xstrdup(path);
    f->kind = k;
    return 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int collect_files(struct import *im, char **paths, int n, const char *kind_name)
{
    const struct kind *forced = NULL;
    if (kind_name) {
        forced = cli_kind(im->c, "--kind: ", kind_name);
        if (!forced) {
            im->usage_error = 1;
            return -1;
        }
    }
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            rr_error("%s: no such file or folder", paths[i]);
            return -1;
        }
        if (S_ISDIR(st.st_mode)) {
            if (forced) {
                im->usage_error = 1;
                cli_usage_error(im->c, "--kind names the kind of one file; a folder's files are "
                                       "known by their names (risks.csv, ...)");
                return -1;
            }
            struct dirent **entries;
            int count = scandir(paths[i], &entries, NULL, alphasort);
            if (count < 0) {
                rr_error("%s: cannot read the folder", paths[i]);
                return -1;
            }
            int found = 0;
            for (int e = 0; e < count; e++) {
                const char *name = entries[e]->d_name;
                size_t len = strlen(name);
                if (name[0] != '.' && len > 4 && strcmp(name + len - 4, ".csv") == 0) {
                    const struct kind *k = model_find_kind(name);
                    struct strbuf path = STRBUF_INIT;
                    sb_printf(&path, "%s/%s", paths[i], name);
                    if (k) {
                        add_file(im, path.data, k);
                        found++;
                    } else if (!im->c->quiet) {
                        rr_warn("%s: not a register file name (risks.csv, improvements.csv, ...); "
                                "skipped",
                                path.data);
                    }
                    sb_free(&path);
                }
                free(entries[e]);
            }
            free(entries);
            if (!found) {
                rr_error("%s: no register files here (risks.csv, assessments.csv, "
                         "improvements.csv, ...)",
                         paths[i]);
                return -1;
            }
            continue;
        }
        const struct kind *k = forced ? forced : model_find_kind(base_name(paths[i]));
        if (!k) {
            im->usage_error = 1;
            cli_usage_error(im->c,
                            "%s: cannot tell what the file holds from its name; give "
                            "--kind (risks, improvements, ...) or name it risks.csv, ...",
                            paths[i]);
            return -1;
        }
        add_file(im, paths[i], k);
    }
    /* dependency order: a kind only refers to kinds before it; stable within a kind */
    for (int i = 1; i < im->nfiles; i++)
        for (int j = i; j > 0 && im->files[j - 1].kind->id > im->files[j].kind->id; j--) {
            struct import_file t = im->files[j];
            im->files[j] = im->files[j - 1];
            im->files[j - 1] = t;
        }
    return 0;
}

/* ---- the header ---- */

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

static int check_map_syntax(struct import *im)
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

static int read_header(struct import *im, struct import_file *f)
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
                row_error(im, f, h->line, NULL,
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

/* ---- checking rows ---- */

static const char *column_for_field(const struct import_file *f, enum target t, const char *name)
{
    const struct kind *k = t == T_MAIN ? f->kind : model_kind(K_ASSESSMENT);
    int i = model_field_index(k, name);
    for (int c = 0; c < f->ncols; c++)
        if (f->cols[c].target == t && f->cols[c].field == i) return f->cols[c].header;
    return name;
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

/* A closed (done) record without its date takes --on, and the import says so. */
static void default_closing_date(struct import *im, struct import_file *f, struct planned *p)
{
    static const struct {
        enum kind_id kind;
        const char *status, *date;
    } rules[] = {{K_RISK, "closed", "closed_on"},
                 {K_IMPROVEMENT, "done", "done_on"},
                 {K_REVIEW_ACTION, "done", "closed_on"}};
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (rules[i].kind != f->kind->id) continue;
        const char *status = record_get(&p->rec, "status");
        int d = model_field_index(f->kind, rules[i].date);
        if (status && strcmp(status, rules[i].status) == 0 && !p->rec.v[d]) {
            record_set(&p->rec, d, im->on_text);
            if (!im->c->quiet)
                rr_warn("%s:%d: %s is %s without a date; %s set to %s (the import's --on date)",
                        f->name, p->line, p->rec.v[0] ? p->rec.v[0] : "the row", status,
                        rules[i].date, im->on_text);
        }
    }
}

static struct record *fetch_new(struct reg *g, const struct kind *k, const char *key1,
                                const char *key2)
{
    struct record *rec = xmalloc(sizeof *rec);
    if (record_fetch(g, k, key1, key2, rec) > 0) return rec;
    free(rec);
    return NULL;
}

static void free_new(struct record *rec)
{
    if (!rec) return;
    record_free(rec);
    free(rec);
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

/* The assessment a spreadsheet risk row carries: checked, dated, and planned only when it says
 * something new, so that importing the same sheet again writes nothing. */
static void check_scores(struct import *im, struct import_file *f, struct planned *p,
                         const struct record *given, int file_sets_next_review)
{
    const struct kind *ak = model_kind(K_ASSESSMENT);
    int rated = 0, other = 0;
    for (int i = 2; i <= 5; i++)
        rated |= given->v[i] != NULL;
    for (int i = 1; i < ak->nfields; i++)
        other |= given->v[i] != NULL && (i < 2 || i > 5);
    if (!rated) {
        if (other && !f->warned_unrated && !im->c->quiet) {
            rr_warn("%s:%d: the row has no likelihood or impact, so its assessment columns (note, "
                    "assessor, date) have nothing to belong to; skipped here and on rows like it",
                    f->name, p->line);
            f->warned_unrated = 1;
        }
        return;
    }
    char err[ERR_SIZE];
    const char *field;
    struct record a;
    record_copy(&a, given);
    if (!a.v[2] || !a.v[3]) {
        row_error(im, f, p->line,
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
        row_error(im, f, p->line, column_for_field(f, T_ASSESSMENT, field), "%s", err);
        goto done;
    }
    int latest = 1;
    if (p->before) {
        struct record *that_day = fetch_new(im->g, ak, p->rec.v[0], a.v[1]);
        if (that_day) {
            for (int i = 6; i < ak->nfields; i++) /* keep what the sheet does not say */
                if (!a.v[i] && that_day->v[i]) record_set(&a, i, that_day->v[i]);
            if (record_equal(that_day, &a)) {
                free_new(that_day);
                goto done;
            }
            p->assessment_before = that_day;
        } else {
            struct stmt *s = reg_cached(im->g, "SELECT max(assessed_on) FROM assessment WHERE "
                                               "risk_id = ?1");
            stmt_bind_text(s, 1, p->rec.v[0]);
            char *last = NULL;
            if (stmt_step(s) == SQLITE_ROW && stmt_text(s, 0)) last = xstrdup(stmt_text(s, 0));
            stmt_reset(s);
            if (last) {
                latest = strcmp(a.v[1], last) >= 0;
                struct record *prev = fetch_new(im->g, ak, p->rec.v[0], last);
                int same = latest && prev && same_scores(prev, &a);
                free_new(prev);
                free(last);
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
                row_error(im, f, row->line, NULL,
                          "the row has %d cells but the header has %d: a value with a '%c' in it "
                          "must be in double quotes",
                          row->ncells, header_cells, im->delimiter);
                return;
            }
    } else if (row->ncells < header_cells) {
        row_error(im, f, row->line, NULL,
                  "the row has %d cells but the header has %d (empty cells still need their "
                  "'%c')",
                  row->ncells, header_cells, im->delimiter);
        return;
    }
    struct record given, given_assessment;
    record_init(&given, k);
    record_init(&given_assessment, model_kind(K_ASSESSMENT));
    int has_cell[MAX_FIELDS] = {0};
    for (int c = 0; c < header_cells; c++) {
        struct column *col = &f->cols[c];
        if (col->target == T_SKIP) continue;
        struct record *target = col->target == T_MAIN ? &given : &given_assessment;
        const struct field *fd = &target->kind->fields[col->field];
        char *value;
        if (value_parse(&im->c->cfg, target->kind, fd, row->cells[c], col->words, &value, err,
                        sizeof err) != 0) {
            row_error(im, f, row->line, col->header, "%s", err);
            continue;
        }
        free(target->v[col->field]);
        target->v[col->field] = value;
        if (col->target == T_MAIN) has_cell[col->field] = 1;
        if (value && fd->type == FT_REF &&
            resolve_ref(im, fd, target, col->field, err, sizeof err) != 0)
            row_error(im, f, row->line, col->header, "%s", err);
    }
    if (im->errors != errors_before) goto done;

    /* the record as it is now, when it exists */
    if (k->prefix && given.v[0]) {
        char *stored = NULL;
        const struct kind *other = record_find_id(im->g, given.v[0], &stored);
        if (other && other != k) {
            row_error(im, f, row->line, column_for_field(f, T_MAIN, "id"),
                      "%s is already %s %s; IDs are unique across the register", stored,
                      text_article(other->singular), other->singular);
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
        record_copy(&p->rec, p->before);
        for (int i = 0; i < k->nfields; i++)
            if (has_cell[i]) record_set(&p->rec, i, given.v[i]);
    } else {
        record_copy(&p->rec, &given);
        record_apply_defaults(&p->rec, im->on);
    }
    default_closing_date(im, f, p);

    /* duplicates within the import */
    if (k->prefix && p->rec.v[0]) {
        char key[64];
        snprintf(key, sizeof key, "%s", p->rec.v[0]);
        lower(key);
        struct batch_id *b = map_get(&im->ids, key);
        if (b) {
            row_error(im, f, row->line, column_for_field(f, T_MAIN, "id"),
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
            row_error(im, f, row->line, NULL, "%s %s appears twice: also on line %ld", k->singular,
                      row_key, line);
            sb_free(&key);
            goto done;
        }
        map_put(&im->keys, key.data, (void *)(size_t)row->line);
        sb_free(&key);
    }

    const char *field;
    if (record_check(&p->rec, &field, err, sizeof err) != 0) {
        row_error(im, f, row->line, column_for_field(f, T_MAIN, field), "%s", err);
        goto done;
    }
    /* an assessment must fall within its risk's life */
    if (k->id == K_ASSESSMENT) {
        struct record risk, *rp;
        int borrowed;
        if (owner_record(im, p->rec.v[0], &risk, &borrowed, &rp) > 0) {
            if (write_check_assessment(rp, &p->rec, &field, err, sizeof err) != 0)
                row_error(im, f, row->line, column_for_field(f, T_MAIN, field), "%s", err);
            if (!borrowed) record_free(&risk);
        }
    }
    if (k->id == K_RISK)
        check_scores(im, f, p, &given_assessment, has_cell[model_field_index(k, "next_review_on")]);
done:
    free(row_key);
    record_free(&given);
    record_free(&given_assessment);
}

static int read_and_check(struct import *im)
{
    for (int i = 0; i < im->nfiles; i++) { /* all read first: the progress line knows the rows */
        struct import_file *f = &im->files[i];
        if (sheet_read(&f->sheet, f->name, im->delimiter, !im->delimiter_given, im->c->quiet) != 0)
            return -1;
        progress_expect(f->sheet.nrows);
    }
    for (int i = 0; i < im->nfiles; i++) {
        struct import_file *f = &im->files[i];
        int errors_before = im->errors;
        if (read_header(im, f) != 0) return -1;
        if (im->errors != errors_before) continue;
        f->nrows = f->sheet.nrows - f->header_row - 1;
        f->rows = xcalloc((size_t)(f->nrows > 0 ? f->nrows : 1), sizeof *f->rows);
        progress_done(f->header_row + 1);
        for (int r = 0; r < f->nrows; r++) {
            struct sheet_row *row = &f->sheet.rows[f->header_row + 1 + r];
            check_row(im, f, row, &f->rows[r]);
            sheet_free_row(row); /* the plan holds what is needed from here on */
            progress_done(1);
        }
    }
    return 0;
}

/* ---- writing ---- */

struct counts {
    int added, updated, unchanged, assessments_added, assessments_updated;
};

/* New records without an ID get the next free ones, in the order of the files and rows; a
 * risk row's assessment is the risk's. Done before writing, so that the change-log texts can be
 * made ahead. */
static void assign_ids(struct import *im)
{
    for (int i = 0; i < im->nfiles; i++) {
        struct import_file *f = &im->files[i];
        const struct kind *k = f->kind;
        for (int r = 0; r < f->nrows; r++) {
            struct planned *p = &f->rows[r];
            if (!p->before && k->prefix && !p->rec.v[0])
                p->rec.v[0] = record_format_id(k, ++im->highest[k->id]);
            if (p->assessment) record_set(p->assessment, 0, p->rec.v[0]);
        }
    }
}

/* The change log's texts (each record's JSON) for the rows to write, made on a thread of their
 * own while the writer writes: a sixth of an import's time moved off its path. The maker runs
 * at most TEXTS_AHEAD rows ahead of the writer, who waits for a row's texts when it gets there
 * first. Rows are counted across the files in the order they are written. */
#define TEXTS_AHEAD 4096

struct log_texts {
    struct import *im;
    pthread_t thread;
    int running;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    long made, taken;
    int maker_waits, writer_waits; /* each wakes the other only when it waits */
    int stop;
};

static void make_texts(struct planned *p)
{
    if (!p->before)
        p->log[1] = record_json_text(&p->rec);
    else if (!record_equal(p->before, &p->rec)) {
        p->log[0] = record_json_text(p->before);
        p->log[1] = record_json_text(&p->rec);
    }
    if (!p->assessment) return;
    if (!p->assessment_before)
        p->log[3] = record_json_text(p->assessment);
    else if (!record_equal(p->assessment_before, p->assessment)) {
        p->log[2] = record_json_text(p->assessment_before);
        p->log[3] = record_json_text(p->assessment);
    }
}

static void *texts_thread(void *arg)
{
    struct log_texts *t = arg;
    long row = 0;
    for (int i = 0; i < t->im->nfiles; i++) {
        struct import_file *f = &t->im->files[i];
        for (int r = 0; r < f->nrows; r++, row++) {
            pthread_mutex_lock(&t->lock);
            while (!t->stop && row - t->taken >= TEXTS_AHEAD) {
                t->maker_waits = 1;
                pthread_cond_wait(&t->changed, &t->lock);
            }
            t->maker_waits = 0;
            int stop = t->stop;
            pthread_mutex_unlock(&t->lock);
            if (stop) return NULL;
            make_texts(&f->rows[r]);
            pthread_mutex_lock(&t->lock);
            t->made = row + 1;
            if (t->writer_waits) pthread_cond_signal(&t->changed);
            pthread_mutex_unlock(&t->lock);
        }
    }
    return NULL;
}

static void texts_start(struct log_texts *t, struct import *im)
{
    memset(t, 0, sizeof *t);
    t->im = im;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->changed, NULL);
    t->running = pthread_create(&t->thread, NULL, texts_thread, t) == 0;
}

/* The writer is at row: 1 when its texts are made (else the writer makes them itself) */
static int texts_ready(struct log_texts *t, long row)
{
    if (!t->running) return 0;
    pthread_mutex_lock(&t->lock);
    t->taken = row;
    if (t->maker_waits && t->made - row < TEXTS_AHEAD / 2) pthread_cond_signal(&t->changed);
    while (t->made <= row) {
        t->writer_waits = 1;
        pthread_cond_wait(&t->changed, &t->lock);
    }
    t->writer_waits = 0;
    pthread_mutex_unlock(&t->lock);
    return 1;
}

static void texts_stop(struct log_texts *t)
{
    if (t->running) {
        pthread_mutex_lock(&t->lock);
        t->stop = 1;
        pthread_cond_broadcast(&t->changed);
        pthread_mutex_unlock(&t->lock);
        pthread_join(t->thread, NULL);
    }
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->changed);
}

static void free_texts(struct planned *p)
{
    for (int i = 0; i < 4; i++) {
        free(p->log[i]);
        p->log[i] = NULL;
    }
}

static int write_assessment(struct import *im, struct planned *p, struct counts *n)
{
    struct record *a = p->assessment;
    if (p->assessment_before) {
        if (record_update_logged(im->g, p->assessment_before, a, NULL, p->log[2], p->log[3]) < 0)
            return -1;
        n->assessments_updated++;
        return 0;
    }
    if (record_insert_logged(im->g, a, NULL, p->log[3]) != 0) return -1;
    n->assessments_added++;
    return 0;
}

/* row: the first row of f, counted across the files */
static int write_file(struct import *im, struct import_file *f, struct counts *n,
                      struct log_texts *texts, long row)
{
    for (int r = 0; r < f->nrows; r++, row++) {
        struct planned *p = &f->rows[r];
        texts_ready(texts, row);
        if (p->before) {
            int changed =
                record_update_logged(im->g, p->before, &p->rec, NULL, p->log[0], p->log[1]);
            if (changed < 0) return -1;
            if (changed)
                n->updated++;
            else
                n->unchanged++;
        } else {
            if (record_insert_logged(im->g, &p->rec, NULL, p->log[1]) != 0) return -1;
            n->added++;
        }
        if (p->assessment && write_assessment(im, p, n) != 0) return -1;
        free_texts(p);
        progress_done(1);
    }
    return 0;
}

static void print_counts(const struct import *im, const struct import_file *f,
                         const struct counts *n, int dry)
{
    if (im->c->quiet) return;
    const char *verb = dry ? "would be " : "";
    const char *name = n->added == 1 ? f->kind->singular : f->kind->name;
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s: %d %s %sadded", f->name, n->added, name, verb);
    if (n->updated) sb_printf(&sb, ", %d %supdated", n->updated, verb);
    if (n->unchanged) sb_printf(&sb, ", %d unchanged", n->unchanged);
    if (n->assessments_added)
        sb_printf(&sb, "; %d assessment%s %sadded", n->assessments_added,
                  n->assessments_added == 1 ? "" : "s", verb);
    if (n->assessments_updated)
        sb_printf(&sb, "; %d assessment%s %supdated", n->assessments_updated,
                  n->assessments_updated == 1 ? "" : "s", verb);
    puts(sb_str(&sb));
    sb_free(&sb);
}

static void count_plan(const struct import_file *f, struct counts *n)
{
    memset(n, 0, sizeof *n);
    for (int r = 0; r < f->nrows; r++) {
        const struct planned *p = &f->rows[r];
        if (!p->before)
            n->added++;
        else if (record_equal(p->before, &p->rec))
            n->unchanged++;
        else
            n->updated++;
        if (p->assessment) {
            if (p->assessment_before)
                n->assessments_updated++;
            else
                n->assessments_added++;
        }
    }
}

static void free_batch_id(const char *key, void *value, void *data)
{
    (void)key;
    (void)data;
    free(value);
}

static void import_free(struct import *im)
{
    for (int i = 0; i < im->nfiles; i++) {
        struct import_file *f = &im->files[i];
        for (int r = 0; r < f->nrows; r++) {
            record_free(&f->rows[r].rec);
            free_new(f->rows[r].before);
            free_new(f->rows[r].assessment);
            free_new(f->rows[r].assessment_before);
            free_texts(&f->rows[r]);
        }
        free(f->rows);
        free(f->cols);
        sheet_free(&f->sheet);
        free((char *)f->name);
    }
    free(im->files);
    map_each(&im->ids, free_batch_id, NULL);
    map_free(&im->ids);
    map_free(&im->keys);
}

static int parse_delimiter(struct import *im, const char *text)
{
    im->delimiter = ',';
    if (!text) return 0;
    im->delimiter_given = 1;
    if (strcmp(text, "tab") == 0 || strcmp(text, "\\t") == 0 || strcmp(text, "\t") == 0)
        im->delimiter = '\t';
    else if (strlen(text) == 1 && strchr(",;|\t", text[0]))
        im->delimiter = text[0];
    else {
        im->usage_error = 1;
        return cli_usage_error(im->c, "--delimiter: use ',', ';', '|' or tab"), -1;
    }
    return 0;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--kind", 1, NULL, 0},      {"--map", 1, NULL, 0},
                         {"--on", 1, NULL, 0},        {"--dry-run", 0, NULL, 0},
                         {"--delimiter", 1, NULL, 0}, {"--header-row", 1, NULL, 0},
                         {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos;
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (rc) {
        free(pos);
        return rc < 0 ? EXIT_DONE : rc;
    }
    struct import im = {.c = c, .g = &c->reg, .map = opts[1].value};
    int code = EXIT_FAILED;
    if (npos == 0) {
        code = cli_usage_error(c, "import needs a CSV file or a folder of them");
        goto out;
    }
    if (opts[5].value) {
        long long n;
        if (text_parse_int(opts[5].value, &n) != 0 || n < 1 || n > 1000000) {
            code = cli_usage_error(c, "--header-row takes a line number");
            goto out;
        }
        im.header_row = (int)n;
    }
    if (parse_delimiter(&im, opts[4].value) != 0 || check_map_syntax(&im) != 0) {
        code = EXIT_USAGE;
        goto out;
    }
    if (cli_date_option(c, &opts[2], &im.on) != 0) {
        code = EXIT_USAGE;
        goto out;
    }
    date_format(im.on, im.on_text);
    if (collect_files(&im, pos, npos, opts[0].value) != 0) {
        code = im.usage_error ? EXIT_USAGE : EXIT_FAILED;
        goto out;
    }
    /* a large import touches many pages: room for them in memory rather than spilling them to
     * the WAL mid-transaction (the cache grows only as far as it is used) */
    if (cli_open_write(c) != 0 || reg_exec(&c->reg, "PRAGMA cache_size = -131072") != 0 ||
        reg_begin(&c->reg) != 0)
        goto out;
    for (int k = 0; k < KIND_COUNT; k++)
        if (model_kind(k)->prefix &&
            (im.highest[k] = record_highest_number(&c->reg, model_kind(k)->prefix)) < 0)
            goto out;
    progress_start("Importing", c->quiet);
    progress_phase("checking", "rows", 0);
    if (read_and_check(&im) != 0) {
        code = im.usage_error ? EXIT_USAGE : EXIT_FAILED;
        goto out;
    }
    progress_end();
    if (im.failed_rules) goto out;
    if (im.errors) {
        if (im.errors > MAX_ERRORS_SHOWN)
            rr_error("… and %d more errors", im.errors - MAX_ERRORS_SHOWN);
        rr_error("import failed: %d error%s; nothing was imported", im.errors,
                 im.errors == 1 ? "" : "s");
        goto out;
    }
    struct counts n;
    if (opts[3].given) {
        for (int i = 0; i < im.nfiles; i++) {
            count_plan(&im.files[i], &n);
            print_counts(&im, &im.files[i], &n, 1);
        }
        if (!c->quiet) printf("dry run: the files are valid; nothing was written\n");
        code = EXIT_DONE;
        goto out;
    }
    int total = 0, rows = 0;
    struct counts *done = xcalloc((size_t)im.nfiles, sizeof *done);
    for (int i = 0; i < im.nfiles; i++)
        rows += im.files[i].nrows;
    progress_start("Importing", c->quiet);
    progress_phase("writing", "rows", rows);
    assign_ids(&im);
    struct log_texts texts;
    texts_start(&texts, &im);
    int failed = 0;
    long row = 0;
    for (int i = 0; i < im.nfiles && !failed; row += im.files[i++].nrows)
        failed = write_file(&im, &im.files[i], &done[i], &texts, row) != 0;
    texts_stop(&texts);
    progress_end();
    if (failed || reg_commit(&c->reg) != 0) {
        free(done);
        goto out;
    }
    for (int i = 0; i < im.nfiles; i++) { /* said once they are safely in */
        print_counts(&im, &im.files[i], &done[i], 0);
        total += done[i].added + done[i].updated + done[i].assessments_added +
                 done[i].assessments_updated;
    }
    free(done);
    if (!c->quiet)
        printf("imported %d file%s: %d record%s written\n", im.nfiles, im.nfiles == 1 ? "" : "s",
               total, total == 1 ? "" : "s");
    code = EXIT_DONE;
out:
    progress_end();
    if (c->have_reg) reg_rollback(&c->reg);
    import_free(&im);
    free(pos);
    return code;
}
