/* query.c - the commands that read the register: show, list, due */
#include "cli.h"
#include "record.h"
#include "text.h"
#include "validate.h"
#include "write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR_SIZE 512

/* ---- what "overdue" means, per kind ---- */

/* The date a record is due by (review or due date) while it is still open; NULL otherwise. */
static const char *open_due_date(const struct record *rec)
{
    const char *status = record_get(rec, "status");
    switch (rec->kind->id) {
    case K_RISK:
        return strcmp(status, "closed") != 0 ? record_get(rec, "next_review_on") : NULL;
    case K_IMPROVEMENT:
        return strcmp(status, "done") != 0 && strcmp(status, "rejected") != 0
                   ? record_get(rec, "due_on")
                   : NULL;
    case K_NONCONFORMITY:
        return record_get(rec, "closed_on") ? NULL : record_get(rec, "due_on");
    case K_REVIEW_ACTION:
        return strcmp(status, "open") == 0 ? record_get(rec, "due_on") : NULL;
    default:
        return NULL;
    }
}

/* Days until due (negative: overdue); 0 with *has = 0 when nothing is due. */
static long days_until_due(const struct record *rec, rr_day today, int *has)
{
    const char *due = open_due_date(rec);
    rr_day day;
    *has = due && date_parse(due, &day) == 0;
    return *has ? day - today : 0;
}

/* ---- tables on a terminal ---- */

struct table {
    int ncols;
    const char *heads[10];
    int right[10];
    char **cells; /* rows * ncols */
    int nrows, cap;
};

static void table_add(struct table *t, char **row)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->cells = xrealloc(t->cells, sizeof(char *) * (size_t)(t->cap * t->ncols));
    }
    memcpy(t->cells + (size_t)t->nrows * (size_t)t->ncols, row, sizeof(char *) * (size_t)t->ncols);
    t->nrows++;
}

static void table_print(struct table *t)
{
    size_t width[10] = {0};
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
    for (int i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    t->cells = NULL;
    t->nrows = t->cap = 0;
}

/* One line of text, clipped for a table cell. */
static char *cell(const char *s, size_t max)
{
    struct strbuf sb = STRBUF_INIT, flat = STRBUF_INIT;
    for (const char *p = s ? s : ""; *p; p++)
        sb_putc(&flat, *p == '\n' || *p == '\t' ? ' ' : *p);
    text_utf8_clip(&sb, sb_str(&flat), max);
    sb_free(&flat);
    return sb_take(&sb);
}

static char *cellf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *cellf(const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    return sb_take(&sb);
}

/* ---- the latest assessment of a risk ---- */

static int latest_assessment(struct reg *g, const char *risk_id, struct record *out)
{
    struct stmt *s = reg_cached(g, "SELECT max(assessed_on) FROM assessment WHERE risk_id = ?1");
    if (!s) return -1;
    stmt_bind_text(s, 1, risk_id);
    char *date = NULL;
    if (stmt_step(s) == SQLITE_ROW && stmt_text(s, 0)) date = xstrdup(stmt_text(s, 0));
    stmt_reset(s);
    int rc = date ? record_fetch(g, model_kind(K_ASSESSMENT), risk_id, date, out) : 0;
    free(date);
    return rc;
}

static char *score_text(const struct record *a, int residual)
{
    if (!a->kind) return xstrdup("-");
    const char *l = record_get(a, residual ? "residual_likelihood" : "likelihood");
    const char *i = record_get(a, residual ? "residual_impact" : "impact");
    if (!l) l = record_get(a, "likelihood"), i = record_get(a, "impact");
    return cellf("%s×%s=%ld", l, i, strtol(l, NULL, 10) * strtol(i, NULL, 10));
}

/* ---- list ---- */

struct filter {
    int field;
    char *value;
};

struct list_state {
    struct cli *c;
    struct filter filters[MAX_FIELDS];
    int nfilters;
    int overdue_only;
    rr_day today;
    json_t *json;
    struct table table;
    int count;
};

static int matches(const struct list_state *ls, const struct record *rec)
{
    for (int i = 0; i < ls->nfilters; i++) {
        const char *v = rec->v[ls->filters[i].field], *want = ls->filters[i].value;
        if (!want ? v != NULL : !v || !text_equal_nocase(v, want)) return 0;
    }
    if (ls->overdue_only) {
        int has;
        long days = days_until_due(rec, ls->today, &has);
        if (!has || days >= 0) return 0;
    }
    return 1;
}

static char *due_cell(const struct record *rec, const char *date, rr_day today)
{
    int has;
    long days = days_until_due(rec, today, &has);
    if (has && days < 0) return cellf("%s OVERDUE %ldd", date, -days);
    return xstrdup(date ? date : "");
}

static void list_row(struct list_state *ls, const struct record *rec)
{
    char *row[10] = {0};
    struct record a = {0};
    const struct kind *k = rec->kind;
#define G(name) record_get(rec, name)
    switch (k->id) {
    case K_RISK:
        latest_assessment(&ls->c->reg, rec->v[0], &a);
        row[0] = xstrdup(rec->v[0]);
        row[1] = cell(G("title"), 44);
        row[2] = cell(G("owner"), 18);
        row[3] = xstrdup(G("status"));
        row[4] = score_text(&a, 0);
        row[5] = score_text(&a, 1);
        row[6] = due_cell(rec, G("next_review_on"), ls->today);
        break;
    case K_ASSESSMENT:
        row[0] = xstrdup(G("risk_id"));
        row[1] = xstrdup(G("assessed_on"));
        row[2] = score_text(rec, 0);
        row[3] = score_text(rec, 1);
        row[4] = cell(G("assessor"), 18);
        row[5] = cell(G("note"), 40);
        break;
    case K_IMPROVEMENT:
        row[0] = xstrdup(rec->v[0]);
        row[1] = cell(G("title"), 44);
        row[2] = cell(G("owner"), 18);
        row[3] = xstrdup(G("status"));
        row[4] = cell(G("priority"), 8);
        row[5] = due_cell(rec, G("due_on"), ls->today);
        break;
    case K_AUDIT:
        row[0] = xstrdup(rec->v[0]);
        row[1] = cell(G("title"), 44);
        row[2] = xstrdup(G("kind"));
        row[3] = xstrdup(G("held_on"));
        row[4] = cell(G("auditor"), 24);
        break;
    case K_NONCONFORMITY:
        row[0] = xstrdup(rec->v[0]);
        row[1] = cell(G("title"), 44);
        row[2] = cell(G("severity"), 12);
        row[3] = cell(G("owner"), 18);
        row[4] = due_cell(rec, G("due_on"), ls->today);
        row[5] = cell(G("closed_on"), 10);
        break;
    case K_KPI:
        row[0] = xstrdup(rec->v[0]);
        row[1] = cell(G("name"), 44);
        row[2] = xstrdup(G("kind"));
        row[3] = cell(G("target"), 12);
        row[4] = cell(G("unit"), 10);
        row[5] = xstrdup(G("direction"));
        break;
    case K_MEASUREMENT:
        row[0] = xstrdup(G("kpi_id"));
        row[1] = xstrdup(G("measured_on"));
        row[2] = xstrdup(G("value"));
        break;
    case K_REVIEW:
        row[0] = xstrdup(rec->v[0]);
        row[1] = xstrdup(G("held_on"));
        row[2] = cell(G("title"), 50);
        break;
    case K_REVIEW_INPUT:
        row[0] = xstrdup(G("review_id"));
        row[1] = xstrdup(G("input"));
        row[2] = cell(G("text"), 60);
        break;
    case K_REVIEW_ACTION:
        row[0] = xstrdup(rec->v[0]);
        row[1] = xstrdup(G("review_id"));
        row[2] = cell(G("text"), 44);
        row[3] = cell(G("owner"), 18);
        row[4] = xstrdup(G("status"));
        row[5] = due_cell(rec, G("due_on"), ls->today);
        break;
    default:
        break;
    }
#undef G
    record_free(&a);
    table_add(&ls->table, row);
}

static int list_one(const struct record *rec, void *data)
{
    struct list_state *ls = data;
    if (!matches(ls, rec)) return 0;
    ls->count++;
    if (ls->json) {
        json_t *obj = record_json(rec);
        if (rec->kind->id == K_RISK) {
            struct record a = {0};
            if (latest_assessment(&ls->c->reg, rec->v[0], &a) > 0) {
                json_object_set_new(obj, "latest_assessment", record_json(&a));
                record_free(&a);
            } else {
                json_object_set_new(obj, "latest_assessment", json_null());
            }
        }
        int has;
        long days = days_until_due(rec, ls->today, &has);
        if (rec->kind->id == K_RISK || rec->kind->id == K_IMPROVEMENT ||
            rec->kind->id == K_NONCONFORMITY || rec->kind->id == K_REVIEW_ACTION)
            json_object_set_new(obj, "overdue", json_boolean(has && days < 0));
        json_array_append_new(ls->json, obj);
    } else {
        list_row(ls, rec);
    }
    return 0;
}

static void set_heads(struct table *t, const struct kind *k)
{
    static const char *const heads[KIND_COUNT][8] = {
        [K_RISK] = {"ID", "TITLE", "OWNER", "STATUS", "INHERENT", "RESIDUAL", "NEXT REVIEW"},
        [K_ASSESSMENT] = {"RISK", "DATE", "INHERENT", "RESIDUAL", "ASSESSOR", "NOTE"},
        [K_IMPROVEMENT] = {"ID", "TITLE", "OWNER", "STATUS", "PRIORITY", "DUE"},
        [K_AUDIT] = {"ID", "TITLE", "KIND", "HELD", "AUDITOR"},
        [K_NONCONFORMITY] = {"ID", "TITLE", "SEVERITY", "OWNER", "DUE", "CLOSED"},
        [K_KPI] = {"ID", "NAME", "KIND", "TARGET", "UNIT", "BETTER"},
        [K_MEASUREMENT] = {"KPI", "DATE", "VALUE"},
        [K_REVIEW] = {"ID", "HELD", "TITLE"},
        [K_REVIEW_INPUT] = {"REVIEW", "INPUT", "TEXT"},
        [K_REVIEW_ACTION] = {"ID", "REVIEW", "TEXT", "OWNER", "STATUS", "DUE"},
    };
    t->ncols = 0;
    while (t->ncols < 8 && heads[k->id][t->ncols]) {
        t->heads[t->ncols] = heads[k->id][t->ncols];
        t->ncols++;
    }
    if (k->id == K_MEASUREMENT) t->right[2] = 1;
}

int cmd_list(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--overdue", 0, NULL, 0}, {"--json", 0, NULL, 0}, {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos, code = EXIT_FAILED;
    struct list_state ls = {.c = c, .today = date_today()};
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (rc) {
        free(pos);
        return rc < 0 ? EXIT_DONE : rc;
    }
    const struct kind *k = npos ? cli_kind(c, "", pos[0]) : NULL;
    if (!npos) {
        code = cli_usage_error(c, "list needs a kind: risks, improvements, nonconformities, ...");
        goto out;
    }
    if (!k) {
        code = EXIT_USAGE;
        goto out;
    }
    if (cli_load_config(c) != 0) goto out;
    for (int i = 1; i < npos; i++) {
        char name[64];
        const char *raw;
        if (assignment_split(pos[i], name, sizeof name, &raw) != 0) {
            code = cli_usage_error(c, "'%s' is not FIELD=VALUE", pos[i]);
            goto out;
        }
        int f = model_field_index(k, name);
        if (f < 0) f = model_field_for_header(k, name);
        if (f < 0) {
            const char *guess = model_suggest_field(k, name);
            code = guess ? cli_usage_error(c, "%s have no field '%s'; did you mean '%s'?", k->name,
                                           name, guess)
                         : cli_usage_error(c, "%s have no field '%s'", k->name, name);
            goto out;
        }
        char err[ERR_SIZE], *value;
        if (value_parse(&c->cfg, k, &k->fields[f], raw, RATING_WORDS_THREE, &value, err,
                        sizeof err) != 0) {
            rr_error("%s: %s", k->fields[f].name, err);
            goto out;
        }
        ls.filters[ls.nfilters].field = f;
        ls.filters[ls.nfilters++].value = value;
        if (ls.nfilters == MAX_FIELDS) break;
    }
    ls.overdue_only = opts[0].given;
    if (ls.overdue_only && k->id != K_RISK && k->id != K_IMPROVEMENT && k->id != K_NONCONFORMITY &&
        k->id != K_REVIEW_ACTION) {
        code = cli_usage_error(c, "--overdue applies to risks, improvements, nonconformities and "
                                  "review_actions");
        goto out;
    }
    if (cli_open(c) != 0) goto out;
    if (opts[1].given) ls.json = json_array();
    set_heads(&ls.table, k);
    if (record_each(&c->reg, k, list_one, &ls) != 0) goto out;
    if (ls.json) {
        char *text =
            json_dumps(ls.json, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        puts(text);
        free(text);
    } else if (ls.count) {
        table_print(&ls.table);
    } else {
        printf("no %s%s\n", k->name, ls.nfilters || ls.overdue_only ? " match" : " yet");
    }
    code = EXIT_DONE;
out:
    for (int i = 0; i < ls.nfilters; i++)
        free(ls.filters[i].value);
    for (int i = 0; i < ls.table.nrows * ls.table.ncols; i++)
        free(ls.table.cells[i]);
    free(ls.table.cells);
    json_decref(ls.json);
    free(pos);
    return code;
}

/* ---- show ---- */

struct children {
    struct cli *c;
    const char *id;
    int field;
    json_t *json;
    int shown, total;
    rr_day today;
};

static int child_row(const struct record *rec, void *data)
{
    struct children *ch = data;
    const char *ref = rec->v[ch->field];
    if (!ref || strcmp(ref, ch->id) != 0) return 0;
    ch->total++;
    if (ch->json) {
        json_array_append_new(ch->json, record_json(rec));
        return 0;
    }
    struct strbuf line = STRBUF_INIT;
    const struct kind *k = rec->kind;
#define G(name) record_get(rec, name)
    switch (k->id) {
    case K_ASSESSMENT: {
        char *in = score_text(rec, 0), *res = score_text(rec, 1);
        sb_printf(&line, "  %s  inherent %-7s residual %-7s %s", G("assessed_on"), in, res,
                  G("assessor") ? G("assessor") : "");
        if (G("note")) {
            char *n = cell(G("note"), 50);
            sb_printf(&line, "  \"%s\"", n);
            free(n);
        }
        free(in);
        free(res);
        break;
    }
    case K_MEASUREMENT:
        sb_printf(&line, "  %s  %s", G("measured_on"), G("value"));
        break;
    case K_REVIEW_INPUT: {
        char *t = cell(G("text"), 60);
        sb_printf(&line, "  %-26s %s", G("input"), t);
        free(t);
        break;
    }
    default: {
        const char *title = G("title") ? G("title") : G("text") ? G("text") : G("name");
        char *t = cell(title, 50);
        char *due = due_cell(rec, G("due_on"), ch->today);
        const char *state = G("status") ? G("status") : G("closed_on") ? "closed" : "open";
        sb_printf(&line, "  %-7s %-12s %s%s%s", rec->v[0], state, t, *due ? "  due " : "", due);
        free(t);
        free(due);
        break;
    }
    }
#undef G
    puts(sb_str(&line));
    sb_free(&line);
    return 0;
}

static int show_children(struct cli *c, const struct record *rec, json_t *json)
{
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind *child = model_kind(k);
        for (int f = 0; f < child->nfields; f++) {
            if (child->fields[f].type != FT_REF || child->fields[f].ref != rec->kind->id) continue;
            struct children ch = {c, rec->v[0], f, NULL, 0, 0, date_today()};
            if (json) ch.json = json_array();
            if (!json) {
                /* print a heading only when there is something under it */
                struct children count = ch;
                count.json = json_array();
                if (record_each(&c->reg, child, child_row, &count) != 0) return -1;
                int n = count.total;
                json_decref(count.json);
                if (!n) continue;
                printf("\n%c%s (%d)\n", child->name[0] - 32, child->name + 1, n);
            }
            if (record_each(&c->reg, child, child_row, &ch) != 0) return -1;
            if (json) json_object_set_new(json, child->name, ch.json);
        }
    }
    return 0;
}

int cmd_show(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--json", 0, NULL, 0}, {NULL, 0, NULL, 0}};
    char *pos[4];
    int npos;
    if (argc > 8) return cli_usage_error(c, "too many arguments");
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (rc) return rc < 0 ? EXIT_DONE : rc;
    if (npos != 1) return cli_usage_error(c, "show takes one ID");
    if (cli_open(c) != 0) return EXIT_FAILED;
    struct record rec;
    int found = write_find(&c->reg, pos[0], &rec);
    if (found < 0) return EXIT_FAILED;
    if (!found) {
        rr_error("there is no record %s", pos[0]);
        return EXIT_FAILED;
    }
    int code = EXIT_DONE;
    if (opts[0].given) {
        json_t *obj = record_json(&rec);
        json_t *related = json_object();
        if (show_children(c, &rec, related) != 0) code = EXIT_FAILED;
        json_object_set_new(obj, "related", related);
        char *text =
            json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        puts(text);
        free(text);
        json_decref(obj);
        record_free(&rec);
        return code;
    }
    const struct kind *k = rec.kind;
    char *key = record_row_key(&rec);
    printf("%s  (%s)\n\n", key, k->singular);
    free(key);
    rr_day today = date_today();
    for (int i = 0; i < k->nfields; i++) {
        const char *v = rec.v[i];
        if (!v || (k->prefix && i == 0)) continue;
        if (strchr(v, '\n')) {
            printf("%s:\n", k->fields[i].name);
            for (const char *p = v; *p;) {
                size_t n = strcspn(p, "\n");
                printf("    %.*s\n", (int)n, p);
                p += n + (p[n] == '\n');
            }
            continue;
        }
        printf("%-18s %s", k->fields[i].name, v);
        if ((strcmp(k->fields[i].name, "next_review_on") == 0 ||
             strcmp(k->fields[i].name, "due_on") == 0)) {
            int has;
            long days = days_until_due(&rec, today, &has);
            if (has && days < 0) printf("  (OVERDUE by %ld day%s)", -days, days == -1 ? "" : "s");
        }
        printf("\n");
    }
    if (show_children(c, &rec, NULL) != 0) code = EXIT_FAILED;
    record_free(&rec);
    return code;
}

/* ---- due ---- */

struct due_item {
    long days;
    char *date, *id, *what, *title, *owner;
};

struct due_state {
    rr_day today;
    long within;
    const char *owner;
    struct due_item *items;
    int n, cap;
};

static int collect_due(const struct record *rec, void *data)
{
    struct due_state *ds = data;
    int has;
    long days = days_until_due(rec, ds->today, &has);
    if (!has || days > ds->within) return 0;
    const char *owner = record_get(rec, "owner");
    if (ds->owner && (!owner || !text_equal_nocase(owner, ds->owner))) return 0;
    if (ds->n == ds->cap) {
        ds->cap = ds->cap ? ds->cap * 2 : 32;
        ds->items = xrealloc(ds->items, sizeof *ds->items * (size_t)ds->cap);
    }
    static const char *const what[KIND_COUNT] = {
        [K_RISK] = "risk review",
        [K_IMPROVEMENT] = "improvement",
        [K_NONCONFORMITY] = "nonconformity",
        [K_REVIEW_ACTION] = "review action",
    };
    const char *title = record_get(rec, "title");
    if (!title) title = record_get(rec, "text");
    ds->items[ds->n++] = (struct due_item){days,
                                           xstrdup(open_due_date(rec)),
                                           xstrdup(rec->v[0]),
                                           xstrdup(what[rec->kind->id]),
                                           xstrdup(title ? title : ""),
                                           xstrdup(owner ? owner : "")};
    return 0;
}

static int by_date(const void *a, const void *b)
{
    const struct due_item *x = a, *y = b;
    int c = strcmp(x->date, y->date);
    return c ? c : strcmp(x->id, y->id);
}

int cmd_due(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--owner", 1, NULL, 0},
                         {"--within", 1, NULL, 0},
                         {"--json", 0, NULL, 0},
                         {NULL, 0, NULL, 0}};
    char *pos[4];
    int npos;
    if (argc > 12) return cli_usage_error(c, "too many arguments");
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (rc) return rc < 0 ? EXIT_DONE : rc;
    if (npos) return cli_usage_error(c, "due takes only options");
    struct due_state ds = {.today = date_today(), .within = 30, .owner = opts[0].value};
    if (opts[1].value) {
        long long n;
        if (text_parse_int(opts[1].value, &n) != 0 || n < 0 || n > 3660)
            return cli_usage_error(c, "--within takes a number of days");
        ds.within = (long)n;
    }
    if (cli_open(c) != 0) return EXIT_FAILED;
    static const enum kind_id kinds[] = {K_RISK, K_IMPROVEMENT, K_NONCONFORMITY, K_REVIEW_ACTION};
    for (int i = 0; i < 4; i++)
        if (record_each(&c->reg, model_kind(kinds[i]), collect_due, &ds) != 0) return EXIT_FAILED;
    if (ds.n) qsort(ds.items, (size_t)ds.n, sizeof *ds.items, by_date);
    char today[DATE_TEXT_SIZE];
    date_format(ds.today, today);
    if (opts[2].given) {
        json_t *arr = json_array();
        for (int i = 0; i < ds.n; i++) {
            struct due_item *it = &ds.items[i];
            json_array_append_new(arr, json_pack("{sssssssssssIsb}", "id", it->id, "what", it->what,
                                                 "title", it->title, "owner", it->owner, "due_on",
                                                 it->date, "days", (json_int_t)it->days, "overdue",
                                                 it->days < 0));
        }
        char *text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(text);
        free(text);
        json_decref(arr);
    } else if (!ds.n) {
        printf("Nothing due within %ld days of %s%s%s.\n", ds.within, today,
               ds.owner ? " for " : "", ds.owner ? ds.owner : "");
    } else {
        printf("Due within %ld days of %s%s%s:\n\n", ds.within, today, ds.owner ? " for " : "",
               ds.owner ? ds.owner : "");
        for (int i = 0; i < ds.n; i++) {
            struct due_item *it = &ds.items[i];
            char when[40];
            if (it->days < 0)
                snprintf(when, sizeof when, "OVERDUE %ld day%s", -it->days,
                         it->days == -1 ? "" : "s");
            else if (it->days == 0)
                snprintf(when, sizeof when, "due today");
            else
                snprintf(when, sizeof when, "in %ld day%s", it->days, it->days == 1 ? "" : "s");
            char *title = cell(it->title, 50);
            printf("  %-18s %s  %-7s %-14s %s", when, it->date, it->id, it->what, title);
            if (!ds.owner && *it->owner) printf("  (%s)", it->owner);
            printf("\n");
            free(title);
        }
    }
    for (int i = 0; i < ds.n; i++) {
        free(ds.items[i].date);
        free(ds.items[i].id);
        free(ds.items[i].what);
        free(ds.items[i].title);
        free(ds.items[i].owner);
    }
    free(ds.items);
    return EXIT_DONE;
}

/* ---- check ---- */

struct hygiene {
    rr_day today;
    struct reg *g;
    json_t *json;
    int problems;
};

static void problem_found(struct hygiene *hy, const struct record *rec, const char *what,
                          const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void problem_found(struct hygiene *hy, const struct record *rec, const char *what,
                          const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    hy->problems++;
    const char *title = record_get(rec, "title");
    if (!title) title = record_get(rec, "text");
    if (hy->json) {
        json_array_append_new(hy->json,
                              json_pack("{ss ss ss ss ss*}", "id", rec->v[0], "kind",
                                        rec->kind->singular, "problem", what, "detail",
                                        sb_str(&sb), "owner", record_get(rec, "owner")));
    } else {
        char *t = cell(title, 50);
        printf("%-7s %-28s %s  (%s)\n", rec->v[0], sb_str(&sb), t, rec->kind->singular);
        free(t);
    }
    sb_free(&sb);
}

static int check_record(const struct record *rec, void *data)
{
    struct hygiene *hy = data;
    int has;
    long days = days_until_due(rec, hy->today, &has);
    switch (rec->kind->id) {
    case K_RISK: {
        if (strcmp(record_get(rec, "status"), "closed") == 0) break;
        if (!record_get(rec, "owner")) problem_found(hy, rec, "no owner", "no owner");
        struct record a = {0};
        if (latest_assessment(hy->g, rec->v[0], &a) <= 0)
            problem_found(hy, rec, "never assessed", "never assessed");
        record_free(&a);
        if (has && days < 0)
            problem_found(hy, rec, "review overdue", "review overdue %ld day%s", -days,
                          days == -1 ? "" : "s");
        break;
    }
    case K_IMPROVEMENT:
        if (has && days < 0)
            problem_found(hy, rec, "past due", "past its due date by %ld day%s", -days,
                          days == -1 ? "" : "s");
        break;
    case K_NONCONFORMITY:
        if (!record_get(rec, "root_cause"))
            problem_found(hy, rec, "no root cause", "no root cause recorded");
        if (has && days < 0)
            problem_found(hy, rec, "past due", "past its due date by %ld day%s", -days,
                          days == -1 ? "" : "s");
        break;
    case K_REVIEW_ACTION:
        if (has && days < 0)
            problem_found(hy, rec, "past due", "past its due date by %ld day%s", -days,
                          days == -1 ? "" : "s");
        break;
    default:
        break;
    }
    return 0;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--json", 0, NULL, 0}, {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos;
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    free(pos);
    if (rc) return rc < 0 ? EXIT_DONE : rc;
    if (npos) return cli_usage_error(c, "check takes only options");
    if (cli_open(c) != 0) return EXIT_FAILED;
    struct hygiene hy = {date_today(), &c->reg, opts[0].given ? json_array() : NULL, 0};
    static const enum kind_id kinds[] = {K_RISK, K_IMPROVEMENT, K_NONCONFORMITY, K_REVIEW_ACTION};
    for (int i = 0; i < 4; i++)
        if (record_each(&c->reg, model_kind(kinds[i]), check_record, &hy) != 0) {
            json_decref(hy.json);
            return EXIT_FAILED;
        }
    if (hy.json) {
        char *text = json_dumps(hy.json, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(text);
        free(text);
        json_decref(hy.json);
    } else if (!hy.problems) {
        printf("ok: no open risk without an owner or an assessment, nothing overdue, every "
               "nonconformity has its root cause\n");
    } else {
        printf("\n%d problem%s found\n", hy.problems, hy.problems == 1 ? "" : "s");
    }
    return hy.problems ? EXIT_FAILED : EXIT_DONE;
}
