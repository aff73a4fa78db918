/* list.c - riskreg list: the records of a kind as a table (or JSON), filtered and sorted, each
 * risk with its scores and level as the rules give them ("3×5 → 20 High") */
#include "cli.h"
#include "map.h"
#include "record.h"
#include "term_table.h"
#include "text.h"
#include "validate.h"
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR_SIZE 512

struct filter {
    int field; /* a field of the kind, or FILTER_LEVEL */
    char *value;
};
#define FILTER_LEVEL (-1)

enum sort_key { SORT_ID, SORT_SCORE, SORT_DUE };

/* One listed record with what it is sorted by and shown with */
struct item {
    struct record rec;
    struct record latest; /* a risk's latest assessment (kind NULL: none) */
    struct rules_state st;
    long order; /* the register's order */
};

struct list_state {
    struct cli *c;
    const struct kind *k;
    struct filter filters[MAX_FIELDS];
    int nfilters;
    int overdue_only, above_appetite_only;
    const char *as_of; /* readiness: each requirement's latest row on or before it (the rules') */
    struct map latest; /* its rows' keys, "requirement_id@assessed_on" in lower case */
    enum sort_key sort;
    char today[DATE_TEXT_SIZE];
    struct item *items; /* kept to be sorted (unsorted, each row goes out as it comes) */
    long n, cap, shown;
    struct term_table *table; /* where rows go: the table, or (json) the JSON array */
    json_t *json;
    int failed;
};

static int matches(const struct list_state *ls, const struct item *it)
{
    for (int i = 0; i < ls->nfilters; i++) {
        const char *want = ls->filters[i].value, *v;
        if (ls->filters[i].field == FILTER_LEVEL)
            v = it->st.assessed ? it->st.residual.level.name : NULL;
        else
            v = it->rec.v[ls->filters[i].field];
        if (!want ? v != NULL : !v || !text_equal_nocase(v, want)) return 0;
    }
    if (ls->overdue_only && !(it->st.due && it->st.days < 0) &&
        !(it->st.plan_due && it->st.plan_days < 0)) /* a risk's treatment plan past its date */
        return 0;
    if (ls->above_appetite_only &&
        !(it->st.open && it->st.assessed && it->st.residual.above_appetite))
        return 0;
    return 1;
}

static void table_row(struct term_table *t, const struct item *it);
static json_t *item_json(const struct item *it);

/* A row out: into the JSON array or the table */
static void emit(struct list_state *ls, const struct item *it)
{
    if (ls->json)
        json_array_append_new(ls->json, item_json(it));
    else
        table_row(ls->table, it);
}

static int collect(const struct record *rec, void *data)
{
    struct list_state *ls = data;
    if (ls->as_of) {
        char *key = record_row_key(rec);
        for (char *p = key; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        int latest = map_get(&ls->latest, key) != NULL;
        free(key);
        if (!latest) return 0;
    }
    /* the walk's record, and a risk's latest assessment, borrowed; copied only to be sorted */
    struct item it = {.rec = *rec, .order = ls->shown};
    const struct record *latest = NULL;
    struct record fetched = {0};
    if (rec->kind->id == K_RISK) {
        if (view_latest_assessment(&ls->c->reg, rec->v[0], &fetched) < 0) {
            ls->failed = 1;
            return 1;
        }
        if (fetched.kind) latest = &fetched;
        it.latest = fetched;
    } else if (rec->kind->id == K_ASSESSMENT) {
        latest = rec; /* an assessment's scores are its own */
    }
    int rc = rules_state(ls->c->rules, rec, latest, ls->today, &it.st);
    if (rc != 0 || !matches(ls, &it) || ls->sort == SORT_ID) {
        if (rc == 0 && matches(ls, &it)) {
            ls->shown++;
            emit(ls, &it);
        }
        record_free(&fetched);
        ls->failed |= rc != 0;
        return rc != 0;
    }
    ls->shown++;
    if (ls->n == ls->cap) {
        ls->cap = ls->cap ? ls->cap * 2 : 64;
        ls->items = xrealloc(ls->items, sizeof *ls->items * (size_t)ls->cap);
    }
    struct item *kept = &ls->items[ls->n++];
    *kept = it;
    record_copy(&kept->rec, rec);
    kept->latest = fetched; /* its own now */
    return 0;
}

/* Worst first: residual score, then inherent, then the register's order; not assessed last */
static int by_score(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (x->st.assessed != y->st.assessed) return y->st.assessed - x->st.assessed;
    if (x->st.residual.value != y->st.residual.value)
        return x->st.residual.value < y->st.residual.value ? 1 : -1;
    if (x->st.inherent.value != y->st.inherent.value)
        return x->st.inherent.value < y->st.inherent.value ? 1 : -1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Soonest due first (overdue ones the most overdue first); nothing due last */
static int by_due(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (x->st.due != y->st.due) return y->st.due - x->st.due;
    if (x->st.due && x->st.days != y->st.days) return x->st.days < y->st.days ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static char *score_cell(const struct rules_score *s, int assessed)
{
    if (!assessed) return xstrdup("-");
    char text[128];
    rules_score_text(s, text, sizeof text);
    return xstrdup(text);
}

static void table_row(struct term_table *t, const struct item *it)
{
    char *row[TERM_TABLE_COLUMNS] = {0};
    const struct record *rec = &it->rec;
#define G(name) record_get(rec, name)
    switch (rec->kind->id) {
    case K_RISK:
        row[0] = xstrdup(rec->v[0]);
        row[1] = term_cell(G("title"), 44);
        row[2] = term_cell(G("owner"), 18);
        row[3] = xstrdup(G("status"));
        row[4] = score_cell(&it->st.inherent, it->st.assessed);
        row[5] = score_cell(&it->st.residual, it->st.assessed);
        row[6] = view_due_cell(&it->st, G("next_review_on"));
        break;
    case K_ASSESSMENT:
        row[0] = xstrdup(G("risk_id"));
        row[1] = xstrdup(G("assessed_on"));
        row[2] = score_cell(&it->st.inherent, 1);
        row[3] = score_cell(&it->st.residual, 1);
        row[4] = term_cell(G("assessor"), 18);
        row[5] = term_cell(G("note"), 40);
        break;
    case K_ACCEPTANCE:
        row[0] = xstrdup(rec->v[0]);
        row[1] = xstrdup(G("risk_id"));
        row[2] = xstrdup(G("status"));
        row[3] = term_cell(G("approver"), 18);
        row[4] = term_cell(G("level"), 10);
        row[5] = term_cell(G("accepted_on"), 10);
        row[6] = view_due_cell(&it->st, G("expires_on"));
        break;
    case K_IMPROVEMENT:
        row[0] = xstrdup(rec->v[0]);
        row[1] = term_cell(G("title"), 44);
        row[2] = term_cell(G("owner"), 18);
        row[3] = xstrdup(G("status"));
        row[4] = term_cell(G("priority"), 8);
        row[5] = view_due_cell(&it->st, G("due_on"));
        break;
    case K_AUDIT:
        row[0] = xstrdup(rec->v[0]);
        row[1] = term_cell(G("title"), 44);
        row[2] = xstrdup(G("kind"));
        row[3] = xstrdup(G("status"));
        row[4] = term_cell(G("held_on") ? G("held_on") : G("planned_on"), 10);
        row[5] = term_cell(G("auditor"), 24);
        break;
    case K_REQUIREMENT:
        row[0] = xstrdup(rec->v[0]);
        row[1] = term_cell(G("clause"), 8);
        row[2] = term_cell(G("heading"), 50);
        row[3] = xstrdup(G("assessable"));
        row[4] = term_cell(G("framework"), 24);
        break;
    case K_READINESS:
        row[0] = xstrdup(G("requirement_id"));
        row[1] = xstrdup(G("assessed_on"));
        row[2] = xstrdup(G("status"));
        row[3] = term_cell(G("maturity"), 3);
        row[4] = term_cell(G("owner"), 18);
        row[5] = term_cell(G("gap"), 40);
        break;
    case K_DOCUMENT:
        row[0] = xstrdup(rec->v[0]);
        row[1] = term_cell(G("title"), 44);
        row[2] = xstrdup(G("type"));
        row[3] = term_cell(G("version"), 8);
        row[4] = term_cell(G("owner"), 18);
        row[5] = term_cell(G("approved_on"), 10);
        row[6] = view_due_cell(&it->st, G("next_review_on"));
        break;
    case K_CERTIFICATE:
        row[0] = xstrdup(rec->v[0]);
        row[1] = term_cell(G("body"), 30);
        row[2] = term_cell(G("number"), 20);
        row[3] = xstrdup(G("status"));
        row[4] = xstrdup(G("issued_on"));
        row[5] = xstrdup(G("expires_on"));
        break;
    case K_NONCONFORMITY:
        row[0] = xstrdup(rec->v[0]);
        row[1] = term_cell(G("title"), 44);
        row[2] = term_cell(G("severity"), 12);
        row[3] = term_cell(G("owner"), 18);
        row[4] = view_due_cell(&it->st, G("due_on"));
        row[5] = term_cell(G("closed_on"), 10);
        break;
    case K_KPI:
        row[0] = xstrdup(rec->v[0]);
        row[1] = term_cell(G("name"), 44);
        row[2] = xstrdup(G("kind"));
        row[3] = term_cell(G("target"), 12);
        row[4] = term_cell(G("unit"), 10);
        row[5] = xstrdup(G("direction"));
        break;
    case K_MEASUREMENT:
        row[0] = xstrdup(G("kpi_id"));
        row[1] = xstrdup(G("measured_on"));
        row[2] = xstrdup(G("value"));
        break;
    case K_REVIEW:
        row[0] = xstrdup(rec->v[0]);
        row[1] = xstrdup(G("status"));
        row[2] = term_cell(G("held_on") ? G("held_on") : G("planned_on"), 10);
        row[3] = term_cell(G("period"), 7);
        row[4] = term_cell(G("title"), 50);
        break;
    case K_REVIEW_INPUT:
        row[0] = xstrdup(G("review_id"));
        row[1] = xstrdup(G("input"));
        row[2] = term_cell(G("text"), 60);
        break;
    case K_REVIEW_ACTION:
        row[0] = xstrdup(rec->v[0]);
        row[1] = xstrdup(G("review_id"));
        row[2] = term_cell(G("text"), 44);
        row[3] = term_cell(G("owner"), 18);
        row[4] = xstrdup(G("status"));
        row[5] = view_due_cell(&it->st, G("due_on"));
        break;
    case K_REVIEW_DECISION:
        row[0] = xstrdup(rec->v[0]);
        row[1] = xstrdup(G("review_id"));
        row[2] = xstrdup(G("kind"));
        row[3] = term_cell(G("text"), 44);
        row[4] = term_cell(G("owner"), 18);
        row[5] = term_cell(G("due_on"), 10);
        break;
    default:
        break;
    }
#undef G
    term_table_add(t, row);
}

static json_t *item_json(const struct item *it)
{
    json_t *obj = record_json(&it->rec);
    enum kind_id id = it->rec.kind->id;
    if (id == K_RISK) {
        json_object_set_new(obj, "latest_assessment",
                            it->latest.kind ? record_json(&it->latest) : json_null());
        json_object_set_new(
            obj, "level", it->st.assessed ? json_string(it->st.residual.level.name) : json_null());
        json_object_set_new(
            obj, "above_appetite",
            json_boolean(it->st.open && it->st.assessed && it->st.residual.above_appetite));
    }
    if (id == K_RISK || id == K_ASSESSMENT) {
        json_object_set_new(obj, "inherent",
                            it->st.assessed ? view_score_json(&it->st.inherent) : json_null());
        json_object_set_new(obj, "residual",
                            it->st.assessed ? view_score_json(&it->st.residual) : json_null());
    }
    if (id == K_RISK || id == K_ACCEPTANCE || id == K_IMPROVEMENT || id == K_NONCONFORMITY ||
        id == K_REVIEW_ACTION) {
        json_object_set_new(obj, "due_on", it->st.due ? json_string(it->st.due_on) : json_null());
        json_object_set_new(obj, "overdue", json_boolean(it->st.due && it->st.days < 0));
    }
    if (id == K_RISK)
        json_object_set_new(obj, "plan_overdue",
                            json_boolean(it->st.plan_due && it->st.plan_days < 0));
    return obj;
}

static void set_heads(struct term_table *t, const struct kind *k)
{
    static const char *const heads[KIND_COUNT][8] = {
        [K_RISK] = {"ID", "TITLE", "OWNER", "STATUS", "INHERENT", "RESIDUAL", "NEXT REVIEW"},
        [K_ASSESSMENT] = {"RISK", "DATE", "INHERENT", "RESIDUAL", "ASSESSOR", "NOTE"},
        [K_ACCEPTANCE] = {"ID", "RISK", "STATUS", "APPROVER", "LEVEL", "ACCEPTED", "EXPIRES"},
        [K_IMPROVEMENT] = {"ID", "TITLE", "OWNER", "STATUS", "PRIORITY", "DUE"},
        [K_REQUIREMENT] = {"ID", "CLAUSE", "HEADING", "ASSESSABLE", "FRAMEWORK"},
        [K_READINESS] = {"REQUIREMENT", "DATE", "STATUS", "MATURITY", "OWNER", "GAP"},
        [K_DOCUMENT] = {"ID", "TITLE", "TYPE", "VERSION", "OWNER", "APPROVED", "NEXT REVIEW"},
        [K_CERTIFICATE] = {"ID", "BODY", "NUMBER", "STATUS", "ISSUED", "EXPIRES"},
        [K_AUDIT] = {"ID", "TITLE", "KIND", "STATUS", "DATE", "AUDITOR"},
        [K_NONCONFORMITY] = {"ID", "TITLE", "SEVERITY", "OWNER", "DUE", "CLOSED"},
        [K_KPI] = {"ID", "NAME", "KIND", "TARGET", "UNIT", "BETTER"},
        [K_MEASUREMENT] = {"KPI", "DATE", "VALUE"},
        [K_REVIEW] = {"ID", "STATUS", "DATE", "PERIOD", "TITLE"},
        [K_REVIEW_INPUT] = {"REVIEW", "INPUT", "TEXT"},
        [K_REVIEW_ACTION] = {"ID", "REVIEW", "TEXT", "OWNER", "STATUS", "DUE"},
        [K_REVIEW_DECISION] = {"ID", "REVIEW", "KIND", "DECISION", "OWNER", "DUE"},
    };
    t->ncols = 0;
    while (t->ncols < 8 && heads[k->id][t->ncols]) {
        t->heads[t->ncols] = heads[k->id][t->ncols];
        t->ncols++;
    }
    if (k->id == K_MEASUREMENT) t->right[2] = 1;
}

/* FIELD=VALUE filters: a field of the kind (or its header alias), or a risk's level */
static int parse_filters(struct list_state *ls, char **args, int n)
{
    struct cli *c = ls->c;
    const struct kind *k = ls->k;
    for (int i = 0; i < n && ls->nfilters < MAX_FIELDS; i++) {
        char name[64];
        const char *raw;
        if (assignment_split(args[i], name, sizeof name, &raw) != 0)
            return cli_usage_error(c, "'%s' is not FIELD=VALUE", args[i]);
        if (k->id == K_RISK && strcmp(name, "level") == 0) {
            ls->filters[ls->nfilters].field = FILTER_LEVEL;
            ls->filters[ls->nfilters++].value = *raw ? xstrdup(raw) : NULL;
            continue;
        }
        int f = model_field_index(k, name);
        if (f < 0) f = model_field_for_header(k, name);
        if (f < 0) {
            const char *guess = model_suggest_field(k, name);
            if (!guess && k->id == K_RISK && text_distance(name, "level") <= 2) guess = "level";
            return guess ? cli_usage_error(c, "%s have no field '%s'; did you mean '%s'?", k->name,
                                           name, guess)
                         : cli_usage_error(c, "%s have no field '%s'", k->name, name);
        }
        char err[ERR_SIZE], *value;
        if (value_parse(&c->cfg, k, &k->fields[f], raw, RATING_WORDS_THREE, &value, err,
                        sizeof err) != 0) {
            rr_error("%s: %s", k->fields[f].name, err);
            return EXIT_FAILED;
        }
        ls->filters[ls->nfilters].field = f;
        ls->filters[ls->nfilters++].value = value;
    }
    return EXIT_DONE;
}

static int parse_sort(struct list_state *ls, const char *key)
{
    if (!key || strcmp(key, "id") == 0) {
        ls->sort = SORT_ID;
    } else if (strcmp(key, "score") == 0 || strcmp(key, "level") == 0) {
        if (ls->k->id != K_RISK && ls->k->id != K_ASSESSMENT)
            return cli_usage_error(ls->c, "--sort %s applies to risks and assessments", key);
        ls->sort = SORT_SCORE;
    } else if (strcmp(key, "due") == 0) {
        if (rules_falls_due(ls->c->rules, ls->k) != 1)
            return cli_usage_error(ls->c, "--sort due applies to risks, improvements, "
                                          "nonconformities and review_actions");
        ls->sort = SORT_DUE;
    } else {
        return cli_usage_error(ls->c, "--sort: use score (worst first), due (soonest first) or "
                                      "id");
    }
    return EXIT_DONE;
}

int cmd_list(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--overdue", 0, NULL, 0},        {"--json", 0, NULL, 0},
                         {"--above-appetite", 0, NULL, 0}, {"--sort", 1, NULL, 0},
                         {"--as-of", 1, NULL, 0},          {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos, code = EXIT_FAILED;
    struct list_state ls = {.c = c};
    struct term_table table = {0};
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (rc) {
        free(pos);
        return rc < 0 ? EXIT_DONE : rc;
    }
    if (!npos) {
        code = cli_usage_error(c, "list needs a kind: risks, improvements, nonconformities, ...");
        goto out;
    }
    if (!(ls.k = cli_kind(c, "", pos[0]))) {
        code = EXIT_USAGE;
        goto out;
    }
    ls.overdue_only = opts[0].given;
    ls.above_appetite_only = opts[2].given;
    if (cli_rules(c) != 0) goto out;
    if (ls.overdue_only && rules_falls_due(c->rules, ls.k) != 1) {
        code = cli_usage_error(c, "--overdue applies to risks, improvements, nonconformities and "
                                  "review_actions");
        goto out;
    }
    if (ls.above_appetite_only && ls.k->id != K_RISK) {
        code = cli_usage_error(c, "--above-appetite applies to risks");
        goto out;
    }
    char as_of[DATE_TEXT_SIZE];
    if (opts[4].value) {
        rr_day day;
        if (ls.k->id != K_READINESS) {
            code = cli_usage_error(c, "--as-of applies to readiness (each requirement's latest "
                                      "assessment on the date); riskreg export --as-of DATE "
                                      "gives any kind as it was");
            goto out;
        }
        if (cli_date_option(c, &opts[4], &day) != 0) {
            code = EXIT_USAGE;
            goto out;
        }
        date_format(day, as_of);
        ls.as_of = as_of;
    }
    if ((code = parse_sort(&ls, opts[3].value)) != EXIT_DONE) goto out;
    if ((code = parse_filters(&ls, pos + 1, npos - 1)) != EXIT_DONE) goto out;
    code = EXIT_FAILED;
    if (cli_open_read(c) != 0 || reg_begin_read(&c->reg) != 0) goto out;
    date_format(date_today(), ls.today);
    ls.table = &table;
    set_heads(&table, ls.k);
    if (opts[1].given) ls.json = json_array();
    if (ls.as_of && rules_readiness_latest(c->rules, &c->reg, ls.as_of, &ls.latest) != 0) {
        reg_end_read(&c->reg);
        goto out;
    }
    rc = record_each(&c->reg, ls.k, collect, &ls);
    reg_end_read(&c->reg);
    if (rc != 0 || ls.failed) goto out;
    if (ls.sort == SORT_SCORE) qsort(ls.items, (size_t)ls.n, sizeof *ls.items, by_score);
    if (ls.sort == SORT_DUE) qsort(ls.items, (size_t)ls.n, sizeof *ls.items, by_due);
    for (long i = 0; i < ls.n; i++)
        emit(&ls, &ls.items[i]);
    if (ls.json) {
        char *text =
            json_dumps(ls.json, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        puts(text);
        free(text);
    } else if (ls.shown) {
        term_table_print(&table);
    } else {
        int filtered = ls.nfilters || ls.overdue_only || ls.above_appetite_only;
        printf("no %s%s\n", ls.k->name, filtered ? " match" : " yet");
    }
    code = EXIT_DONE;
out:
    map_free(&ls.latest);
    for (int i = 0; i < ls.nfilters; i++)
        free(ls.filters[i].value);
    for (long i = 0; i < ls.n; i++) {
        record_free(&ls.items[i].rec);
        record_free(&ls.items[i].latest);
    }
    free(ls.items);
    json_decref(ls.json);
    term_table_free(&table);
    free(pos);
    return code;
}
