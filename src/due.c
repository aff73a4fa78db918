/* due.c - riskreg due and riskreg check: what falls due soon or is overdue (risk reviews and
 * treatment plans, improvements, nonconformities, review actions), and the register's hygiene,
 * by the rules */
#include "cli.h"
#include "record.h"
#include "term_table.h"
#include "text.h"
#include "view.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every record of the kinds that fall due (the rules say which) to fn; -1 on error. */
static int each_due_record(struct cli *c, record_fn fn, void *data, const int *failed)
{
    for (int k = 0; k < KIND_COUNT; k++) {
        int due = rules_falls_due(c->rules, model_kind(k));
        if (due < 0) return -1;
        if (due && (record_each(&c->reg, model_kind(k), fn, data) != 0 || *failed)) return -1;
    }
    return 0;
}

/* ---- due ---- */

struct due_item {
    long days;
    char *date, *id, *what, *title, *owner;
};

struct due_state {
    struct cli *c;
    long within;
    const char *owner;
    struct due_item *items;
    int n, cap;
    int failed;
};

/* What a due line names: the record's title or text; an acceptance, the risk it accepts */
static char *title_of(const struct record *rec)
{
    if (rec->kind->id == K_ACCEPTANCE) {
        char text[256];
        snprintf(text, sizeof text, "acceptance of %s (by %s) expires", record_get(rec, "risk_id"),
                 record_get(rec, "approver") ? record_get(rec, "approver") : "no approver");
        return xstrdup(text);
    }
    if (rec->kind->id == K_CERTIFICATE) {
        char text[256];
        snprintf(text, sizeof text, "certificate %s (%s) expires",
                 record_get(rec, "number") ? record_get(rec, "number") : "",
                 record_get(rec, "body"));
        return xstrdup(text);
    }
    const char *title = record_get(rec, "title");
    if (!title) title = record_get(rec, "text");
    return xstrdup(title ? title : "");
}

/* Whose it is: the owner; an acceptance's, its approver */
static const char *owner_of(const struct record *rec)
{
    return record_get(rec, rec->kind->id == K_ACCEPTANCE ? "approver" : "owner");
}

static void add_due(struct due_state *ds, const struct record *rec, long days, const char *date,
                    const char *what, const char *owner)
{
    if (ds->n == ds->cap) {
        ds->cap = ds->cap ? ds->cap * 2 : 32;
        ds->items = xrealloc(ds->items, sizeof *ds->items * (size_t)ds->cap);
    }
    ds->items[ds->n++] =
        (struct due_item){days,          xstrdup(date), xstrdup(rec->v[0]),
                          xstrdup(what), title_of(rec), xstrdup(owner ? owner : "")};
}

static int collect_due(const struct record *rec, void *data)
{
    struct due_state *ds = data;
    const char *owner = owner_of(rec);
    if (ds->owner && (!owner || !text_equal_nocase(owner, ds->owner))) return 0;
    struct rules_state st;
    if (view_state(ds->c, rec, &st) != 0) {
        ds->failed = 1;
        return 1;
    }
    static const char *const what[KIND_COUNT] = {
        [K_RISK] = "risk review",
        [K_ACCEPTANCE] = "acceptance",
        [K_IMPROVEMENT] = "improvement",
        [K_NONCONFORMITY] = "nonconformity",
        [K_REVIEW_ACTION] = "review action",
        [K_DOCUMENT] = "document review",
        [K_CERTIFICATE] = "certificate expiry",
    };
    if (st.due && st.days <= ds->within)
        add_due(ds, rec, st.days, st.due_on, what[rec->kind->id], owner);
    /* a risk's planned treatment falls due on its own date, beside its review */
    if (st.plan_due && st.plan_days <= ds->within)
        add_due(ds, rec, st.plan_days, st.plan_due_on, "treatment plan", owner);
    return 0;
}

static int by_date(const void *a, const void *b)
{
    const struct due_item *x = a, *y = b;
    int c = strcmp(x->date, y->date);
    if (!c) c = strcmp(x->id, y->id);
    return c ? c : strcmp(x->what, y->what);
}

static void print_due(const struct due_state *ds, const char *today, int json)
{
    if (json) {
        json_t *arr = json_array();
        for (int i = 0; i < ds->n; i++) {
            struct due_item *it = &ds->items[i];
            json_array_append_new(arr, json_pack("{sssssssssssIsb}", "id", it->id, "what", it->what,
                                                 "title", it->title, "owner", it->owner, "due_on",
                                                 it->date, "days", (json_int_t)it->days, "overdue",
                                                 it->days < 0));
        }
        char *text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(text);
        free(text);
        json_decref(arr);
        return;
    }
    const char *for_ = ds->owner ? " for " : "", *who = ds->owner ? ds->owner : "";
    if (!ds->n) {
        printf("Nothing due within %ld days of %s%s%s.\n", ds->within, today, for_, who);
        return;
    }
    printf("Due within %ld days of %s%s%s:\n\n", ds->within, today, for_, who);
    int what_width = 14; /* "treatment plan"; wider when a longer one is listed */
    for (int i = 0; i < ds->n; i++)
        if ((int)strlen(ds->items[i].what) > what_width)
            what_width = (int)strlen(ds->items[i].what);
    for (int i = 0; i < ds->n; i++) {
        struct due_item *it = &ds->items[i];
        char when[40];
        if (it->days < 0)
            snprintf(when, sizeof when, "OVERDUE %ld day%s", -it->days, it->days == -1 ? "" : "s");
        else if (it->days == 0)
            snprintf(when, sizeof when, "due today");
        else
            snprintf(when, sizeof when, "in %ld day%s", it->days, it->days == 1 ? "" : "s");
        char *title = term_cell(it->title, 50);
        printf("  %-18s %s  %-7s %-*s %s", when, it->date, it->id, what_width, it->what, title);
        if (!ds->owner && *it->owner) printf("  (%s)", it->owner);
        printf("\n");
        free(title);
    }
}

int cmd_due(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--owner", 1, NULL, 0},
                         {"--within", 1, NULL, 0},
                         {"--json", 0, NULL, 0},
                         {NULL, 0, NULL, 0}};
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, opts, pos, &npos);
    if (rc >= 0) return rc;
    if (npos) return cli_usage_error(c, "due takes only options");
    struct due_state ds = {.c = c, .within = 30, .owner = opts[0].value};
    if (opts[1].value) {
        long long n;
        if (text_parse_int(opts[1].value, &n) != 0 || n < 0 || n > 3660)
            return cli_usage_error(c, "--within takes a number of days");
        ds.within = (long)n;
    }
    if (cli_rules(c) != 0 || cli_open_read(c) != 0 || reg_begin_read(&c->reg) != 0)
        return EXIT_FAILED;
    int code = each_due_record(c, collect_due, &ds, &ds.failed) == 0 ? EXIT_DONE : EXIT_FAILED;
    reg_end_read(&c->reg);
    if (code == EXIT_DONE) {
        if (ds.n) qsort(ds.items, (size_t)ds.n, sizeof *ds.items, by_date);
        char today[DATE_TEXT_SIZE];
        date_format(date_today(), today);
        print_due(&ds, today, opts[2].given);
    }
    for (int i = 0; i < ds.n; i++) {
        free(ds.items[i].date);
        free(ds.items[i].id);
        free(ds.items[i].what);
        free(ds.items[i].title);
        free(ds.items[i].owner);
    }
    free(ds.items);
    return code;
}

/* ---- check ---- */

struct hygiene {
    struct cli *c;
    json_t *json;
    int problems;
    int failed;
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
    if (hy->json) {
        json_array_append_new(hy->json, json_pack("{ss ss ss ss ss*}", "id", rec->v[0], "kind",
                                                  rec->kind->singular, "problem", what, "detail",
                                                  sb_str(&sb), "owner", owner_of(rec)));
    } else {
        char *title = title_of(rec);
        char *t = term_cell(title, 50);
        printf("%-7s %-28s %s  (%s)\n", rec->v[0], sb_str(&sb), t, rec->kind->singular);
        free(t);
        free(title);
    }
    sb_free(&sb);
}

static int check_record(const struct record *rec, void *data)
{
    struct hygiene *hy = data;
    struct rules_state st;
    if (view_state(hy->c, rec, &st) != 0) {
        hy->failed = 1;
        return 1;
    }
    int overdue = st.due && st.days < 0;
    long by = -st.days;
    switch (rec->kind->id) {
    case K_RISK:
        if (!st.open) break;
        if (!record_get(rec, "owner")) problem_found(hy, rec, "no owner", "no owner");
        if (!st.assessed) problem_found(hy, rec, "never assessed", "never assessed");
        if (overdue)
            problem_found(hy, rec, "review overdue", "review overdue %ld day%s", by,
                          by == 1 ? "" : "s");
        if (st.plan_due && st.plan_days < 0)
            problem_found(hy, rec, "treatment plan overdue", "treatment plan overdue %ld day%s",
                          -st.plan_days, st.plan_days == -1 ? "" : "s");
        break;
    case K_ACCEPTANCE:
        /* an acceptance expired, or about to: the risk comes back to the decisions sought (it
         * holds to the end of its expiry day, as rules.acceptance_valid has it) */
        if (!st.due) break;
        if (st.days < 0)
            problem_found(hy, rec, "acceptance expired", "acceptance of %s expired on %s",
                          record_get(rec, "risk_id"), st.due_on);
        else if (st.days == 0)
            problem_found(hy, rec, "acceptance expiring", "acceptance of %s expires today (%s)",
                          record_get(rec, "risk_id"), st.due_on);
        else if (st.days <= rules_expiring_days(hy->c->rules))
            problem_found(hy, rec, "acceptance expiring",
                          "acceptance of %s expires in %ld day%s (%s)", record_get(rec, "risk_id"),
                          -by, -by == 1 ? "" : "s", st.due_on);
        break;
    case K_DOCUMENT:
        if (overdue)
            problem_found(hy, rec, "document review overdue", "document review overdue %ld day%s",
                          by, by == 1 ? "" : "s");
        break;
    case K_CERTIFICATE:
        /* a certificate in force that has run out, or will before a recertification audit can
         * comfortably be held */
        if (!st.due) break;
        if (st.days < 0)
            problem_found(hy, rec, "certificate expired", "certificate expired on %s", st.due_on);
        else if (st.days == 0)
            problem_found(hy, rec, "certificate expiring", "certificate expires today (%s)",
                          st.due_on);
        else if (st.days <= rules_certificate_expiring_days(hy->c->rules))
            problem_found(hy, rec, "certificate expiring", "certificate expires in %ld day%s (%s)",
                          -by, -by == 1 ? "" : "s", st.due_on);
        break;
    case K_NONCONFORMITY:
        if (!record_get(rec, "root_cause"))
            problem_found(hy, rec, "no root cause", "no root cause recorded");
        /* past its due date, like the others */
        __attribute__((fallthrough));
    case K_IMPROVEMENT:
    case K_REVIEW_ACTION:
        if (overdue)
            problem_found(hy, rec, "past due", "past its due date by %ld day%s", by,
                          by == 1 ? "" : "s");
        break;
    default:
        break;
    }
    return 0;
}

/* The assessable requirements no internal audit held in the audit cycle covered (the rules'
 * certification.not_audited), a line each:
 * "20000-9.2  not audited internally since 2023-11-26 (none in the 3-year cycle; planned A-012
 * on 2027-02-17)". -1 after reporting. */
static int check_audit_programme(struct hygiene *hy, const char *today)
{
    struct rules_unaudited *u;
    int n;
    char start[DATE_TEXT_SIZE];
    long years = rules_audit_cycle_years(hy->c->rules);
    if (years < 0 || rules_not_audited(hy->c->rules, &hy->c->reg, today, &u, &n, start) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        struct strbuf sb = STRBUF_INIT;
        const struct rules_audit_ref *last = &u[i].last_internal, *next = &u[i].planned;
        if (last->id)
            sb_printf(&sb, "not audited internally since %s", last->on);
        else
            sb_puts(&sb, "never audited internally");
        sb_printf(&sb, " (none in the %ld-year cycle; ", years);
        if (next->id)
            sb_printf(&sb, "planned %s on %s)", next->id, next->on);
        else
            sb_puts(&sb, "no internal audit planned)");
        hy->problems++;
        if (hy->json) {
            json_t *o = json_pack("{ss ss ss ss ss* ss}", "id", u[i].id, "kind", "requirement",
                                  "problem", "not audited", "detail", sb_str(&sb), "heading",
                                  u[i].heading, "cycle_start", start);
            json_object_set_new(o, "last_internal_audit",
                                last->id
                                    ? json_pack("{ss ss*}", "id", last->id, "held_on", last->on)
                                    : json_null());
            json_object_set_new(o, "planned_audit",
                                next->id ? json_pack("{ss ss* ss*}", "id", next->id, "kind",
                                                     next->kind, "planned_on", next->on)
                                         : json_null());
            json_array_append_new(hy->json, o);
        } else {
            printf("%s  %s\n", u[i].id, sb_str(&sb));
        }
        sb_free(&sb);
    }
    rules_unaudited_free(u, n);
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
    if (cli_rules(c) != 0 || cli_open_read(c) != 0 || reg_begin_read(&c->reg) != 0)
        return EXIT_FAILED;
    struct hygiene hy = {c, opts[0].given ? json_array() : NULL, 0, 0};
    char today[DATE_TEXT_SIZE];
    date_format(date_today(), today);
    if (each_due_record(c, check_record, &hy, &hy.failed) != 0 ||
        check_audit_programme(&hy, today) != 0) {
        json_decref(hy.json);
        return EXIT_FAILED;
    }
    reg_end_read(&c->reg);
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
