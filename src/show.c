/* show.c - riskreg show: one record with every field, its state by the rules (scores and
 * level, next review, overdue), and the rows that belong to it or refer to it */
#include "cli.h"
#include "record.h"
#include "term_table.h"
#include "text.h"
#include "view.h"
#include "write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct children {
    struct cli *c;
    json_t *json;
    int total;
    int failed;
};

static int child_row(const struct record *rec, void *data)
{
    struct children *ch = data;
    ch->total++;
    if (ch->json) {
        json_array_append_new(ch->json, record_json(rec));
        return 0;
    }
    struct rules_state st;
    const struct kind *k = rec->kind;
    char today[DATE_TEXT_SIZE];
    date_format(date_today(), today);
    if (rules_state(ch->c->rules, rec, k->id == K_ASSESSMENT ? rec : NULL, today, &st) != 0) {
        ch->failed = 1;
        return 1;
    }
    struct strbuf line = STRBUF_INIT;
#define G(name) record_get(rec, name)
    switch (k->id) {
    case K_ASSESSMENT: {
        char in[128], res[128];
        rules_score_text(&st.inherent, in, sizeof in);
        rules_score_text(&st.residual, res, sizeof res);
        sb_printf(&line, "  %s  inherent %-20s  residual %-20s  %s", G("assessed_on"), in, res,
                  G("assessor") ? G("assessor") : "");
        if (G("note")) {
            char *n = term_cell(G("note"), 50);
            sb_printf(&line, "  \"%s\"", n);
            free(n);
        }
        break;
    }
    case K_MEASUREMENT:
        sb_printf(&line, "  %s  %s", G("measured_on"), G("value"));
        break;
    case K_READINESS: {
        char maturity[16] = "";
        if (G("maturity")) snprintf(maturity, sizeof maturity, "maturity %s", G("maturity"));
        sb_printf(&line, "  %s  %-14s %-10s  %s", G("assessed_on"), G("status"), maturity,
                  G("owner") ? G("owner") : "");
        if (G("evidence")) {
            char *e = term_cell(G("evidence"), 40);
            sb_printf(&line, "  evidence %s", e);
            free(e);
        }
        if (G("reason") || G("gap")) {
            char *t = term_cell(G("reason") ? G("reason") : G("gap"), 70);
            sb_printf(&line, "\n      %s: %s", G("reason") ? "reason" : "gap", t);
            free(t);
        }
        break;
    }
    case K_REQUIREMENT: {
        char *t = term_cell(G("heading"), 50);
        sb_printf(&line, "  %-12s %s%s", rec->v[0], t,
                  strcmp(G("assessable"), "no") == 0 ? "  (a heading)" : "");
        free(t);
        break;
    }
    case K_REVIEW_INPUT: {
        char *t = term_cell(G("text"), 60);
        sb_printf(&line, "  %-26s %s", G("input"), t);
        free(t);
        break;
    }
    default: {
        const char *title = G("title") ? G("title") : G("text") ? G("text") : G("name");
        char *t = term_cell(title, 50);
        char *due = view_due_cell(&st, G("due_on"));
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

/* Every kind with a field that refers to rec's kind: the rows that do, under a heading. A
 * requirement shows its readiness and subclauses itself (show_requirement). */
static int show_children(struct cli *c, const struct record *rec, json_t *json)
{
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind *child = model_kind(k);
        if (rec->kind->id == K_REQUIREMENT && (k == K_READINESS || k == K_REQUIREMENT)) continue;
        for (int f = 0; f < child->nfields; f++) {
            if (child->fields[f].type != FT_REF || child->fields[f].ref != rec->kind->id) continue;
            struct children ch = {c, json ? json_array() : NULL, 0, 0};
            if (!json) {
                /* a heading only when there is something under it */
                struct children count = {c, json_array(), 0, 0};
                int rc = record_each_where(&c->reg, child, f, rec->v[0], child_row, &count);
                json_decref(count.json);
                if (rc != 0) return -1;
                if (!count.total) continue;
                printf("\n%c%s (%d)\n", child->name[0] - 32, child->name + 1, count.total);
            }
            if (record_each_where(&c->reg, child, f, rec->v[0], child_row, &ch) != 0 || ch.failed) {
                json_decref(ch.json);
                return -1;
            }
            if (json) json_object_set_new(json, child->name, ch.json);
        }
    }
    return 0;
}

static void print_overdue(long days)
{
    if (days < 0) printf("  (OVERDUE by %ld day%s)", -days, days == -1 ? "" : "s");
}

/* What the rules say of the record today, under its fields (the due date unless a field shown
 * holds it: annotated) */
static void print_state(const struct record *rec, const struct rules_state *st, int annotated)
{
    char text[128];
    if (rec->kind->id == K_RISK) {
        if (!st->assessed) {
            printf("%-18s %s\n", "scores", "not assessed yet");
        } else {
            rules_score_text(&st->inherent, text, sizeof text);
            printf("%-18s %s\n", "inherent", text);
            rules_score_text(&st->residual, text, sizeof text);
            printf("%-18s %s%s\n", "residual", text,
                   st->open && st->residual.above_appetite ? "  (above appetite)" : "");
        }
    }
    if (st->due && !annotated) { /* the rules', not stored */
        printf("%-18s %s", rec->kind->id == K_RISK ? "review due" : "due", st->due_on);
        print_overdue(st->days);
        printf("\n");
    }
}

static json_t *state_json(const struct record *rec, const struct rules_state *st)
{
    json_t *obj = json_object();
    enum kind_id id = rec->kind->id;
    if (id == K_RISK) {
        json_object_set_new(obj, "inherent",
                            st->assessed ? view_score_json(&st->inherent) : json_null());
        json_object_set_new(obj, "residual",
                            st->assessed ? view_score_json(&st->residual) : json_null());
        json_object_set_new(obj, "level",
                            st->assessed ? json_string(st->residual.level.name) : json_null());
        json_object_set_new(obj, "above_appetite",
                            json_boolean(st->open && st->assessed && st->residual.above_appetite));
    }
    json_object_set_new(obj, "open", json_boolean(st->open));
    json_object_set_new(obj, "due_on", st->due ? json_string(st->due_on) : json_null());
    json_object_set_new(obj, "overdue", json_boolean(st->due && st->days < 0));
    if (id == K_RISK) { /* its planned treatment, due while the risk is open or treating */
        json_object_set_new(obj, "plan_due_on",
                            st->plan_due ? json_string(st->plan_due_on) : json_null());
        json_object_set_new(obj, "plan_overdue", json_boolean(st->plan_due && st->plan_days < 0));
    }
    return obj;
}

/* ---- a requirement: its readiness newest first, its subclauses, the documents that serve it,
 * the audits that covered it; a document: the requirements it serves ---- */

struct rows {
    struct record *v;
    int n, cap;
};

static int keep_row(const struct record *rec, void *data)
{
    struct rows *r = data;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = xrealloc(r->v, sizeof *r->v * (size_t)r->cap);
    }
    record_copy(&r->v[r->n++], rec);
    return 0;
}

static void rows_free(struct rows *r)
{
    for (int i = 0; i < r->n; i++)
        record_free(&r->v[i]);
    free(r->v);
}

/* Print rows under a heading (text), or put them into related as name (JSON); newest_first
 * turns them round. */
static int print_rows(struct cli *c, const struct rows *r, const char *heading, const char *name,
                      int newest_first, json_t *related)
{
    json_t *arr = related ? json_array() : NULL;
    if (!related && r->n) printf("\n%s (%d)\n", heading, r->n);
    struct children ch = {c, arr, 0, 0};
    for (int i = 0; i < r->n && !ch.failed; i++)
        child_row(&r->v[newest_first ? r->n - 1 - i : i], &ch);
    if (related) json_object_set_new(related, name, arr);
    return ch.failed ? -1 : 0;
}

/* Does the list text name id (without regard to case)? */
static int list_names(const char *list, const char *id)
{
    size_t len, n = strlen(id);
    for (const char *p = list ? list : "", *t; (t = write_list_token(&p, &len));)
        if (len == n && strncasecmp(t, id, n) == 0) return 1;
    return 0;
}

struct serving {
    struct cli *c;
    char **ids; /* the requirement and the clauses above it, nearest first */
    int nids;
    json_t *json;
    int total;
};

/* A document whose requirements name the requirement, or a clause above it */
static int serving_document(const struct record *doc, void *data)
{
    struct serving *sv = data;
    const char *list = record_get(doc, "requirements");
    int via = -1;
    for (int i = 0; i < sv->nids && via < 0; i++)
        if (list_names(list, sv->ids[i])) via = i;
    if (via < 0) return 0;
    sv->total++;
    if (sv->json) {
        json_t *o = record_json(doc);
        json_object_set_new(o, "via", via ? json_string(sv->ids[via]) : json_null());
        json_array_append_new(sv->json, o);
        return 0;
    }
    if (sv->total == 1) printf("\nDocuments that serve it\n");
    char *t = term_cell(record_get(doc, "title"), 44);
    printf("  %-8s %-10s %s", doc->v[0], record_get(doc, "type"), t);
    if (record_get(doc, "version")) printf("  v%s", record_get(doc, "version"));
    if (via) printf("  (through %s)", sv->ids[via]);
    printf("\n");
    free(t);
    return 0;
}

static void print_audit_ref(const struct rules_audit_ref *a)
{
    char *t = term_cell(a->title ? a->title : "", 50);
    printf("  %-8s %s  %-14s %s\n", a->id, a->on ? a->on : "", a->kind ? a->kind : "", t);
    free(t);
}

static json_t *audit_ref_json(const struct rules_audit_ref *a, const char *date_name)
{
    return json_pack("{ss ss* ss* ss*}", "id", a->id, "kind", a->kind, "title", a->title, date_name,
                     a->on);
}

static int show_requirement(struct cli *c, const struct record *req, json_t *related)
{
    struct rows readiness = {0}, under = {0};
    int rc = -1;
    if (record_each_where(&c->reg, model_kind(K_READINESS), 0, req->v[0], keep_row, &readiness) !=
            0 ||
        record_each_where(&c->reg, req->kind, model_field_index(req->kind, "parent"), req->v[0],
                          keep_row, &under) != 0 ||
        print_rows(c, &readiness, "Readiness, newest first", "readiness", 1, related) != 0 ||
        print_rows(c, &under, "Subclauses", "requirements", 0, related) != 0)
        goto out;

    /* the documents that serve it, or a clause above it */
    struct serving sv = {c, NULL, 0, related ? json_array() : NULL, 0};
    struct record at;
    record_copy(&at, req);
    for (int depth = 0; depth < 16; depth++) {
        sv.ids = xrealloc(sv.ids, sizeof *sv.ids * (size_t)(sv.nids + 1));
        sv.ids[sv.nids++] = xstrdup(at.v[0]);
        const char *parent = record_get(&at, "parent");
        struct record up;
        if (!parent || record_fetch(&c->reg, req->kind, parent, NULL, &up) <= 0) break;
        record_free(&at);
        at = up;
    }
    record_free(&at);
    int failed = record_each(&c->reg, model_kind(K_DOCUMENT), serving_document, &sv) != 0;
    for (int i = 0; i < sv.nids; i++)
        free(sv.ids[i]);
    free(sv.ids);
    if (related) json_object_set_new(related, "documents", sv.json);
    if (failed) goto out;

    /* the audit programme: the audits that covered it, the next planned, the cycle */
    char today[DATE_TEXT_SIZE];
    date_format(date_today(), today);
    struct rules_coverage cov;
    long years = rules_audit_cycle_years(c->rules);
    if (years < 0 || rules_requirement_coverage(c->rules, &c->reg, req->v[0], today, &cov) != 0)
        goto out;
    if (related) {
        json_t *arr = json_array();
        for (int i = 0; i < cov.naudits; i++)
            json_array_append_new(arr, audit_ref_json(&cov.audits[i], "held_on"));
        json_object_set_new(related, "audits", arr);
        json_object_set_new(related, "planned_audit",
                            cov.planned.id ? audit_ref_json(&cov.planned, "planned_on")
                                           : json_null());
        json_object_set_new(related, "audited_in_cycle", json_boolean(cov.in_cycle));
        json_object_set_new(related, "cycle_start", json_string(cov.cycle_start));
    } else {
        if (cov.naudits) printf("\nAudits that covered it (%d)\n", cov.naudits);
        for (int i = 0; i < cov.naudits; i++)
            print_audit_ref(&cov.audits[i]);
        if (cov.planned.id) {
            printf("\nPlanned\n");
            print_audit_ref(&cov.planned);
        }
        /* a heading is audited through its subclauses */
        if (strcmp(record_get(req, "assessable"), "no") != 0)
            printf("\n%s internally in the %ld-year audit cycle (since %s)\n",
                   cov.in_cycle ? "Audited" : "Not audited", years, cov.cycle_start);
    }
    rules_coverage_free(&cov);
    rc = 0;
out:
    rows_free(&readiness);
    rows_free(&under);
    return rc;
}

/* A document: the requirements it serves, with their headings */
static int show_served(struct cli *c, const struct record *doc, json_t *related)
{
    struct rows served = {0};
    size_t len;
    int rc = 0;
    for (const char *p = record_get(doc, "requirements") ? record_get(doc, "requirements") : "", *t;
         rc == 0 && (t = write_list_token(&p, &len));) {
        char *id = xstrndup(t, len);
        struct record req;
        int found = write_is_url(t, len)
                        ? 0
                        : record_fetch(&c->reg, model_kind(K_REQUIREMENT), id, NULL, &req);
        if (found > 0) {
            keep_row(&req, &served);
            record_free(&req);
        }
        rc = found < 0 ? -1 : 0;
        free(id);
    }
    if (rc == 0) rc = print_rows(c, &served, "Requirements it serves", "requirements", 0, related);
    rows_free(&served);
    return rc;
}

int cmd_show(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--json", 0, NULL, 0}, {NULL, 0, NULL, 0}};
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, opts, pos, &npos);
    if (rc >= 0) return rc;
    if (npos != 1) return cli_usage_error(c, "show takes one ID");
    if (cli_rules(c) != 0 || cli_open_read(c) != 0 || reg_begin_read(&c->reg) != 0)
        return EXIT_FAILED;
    struct record rec;
    int found = write_find(&c->reg, pos[0], &rec);
    if (found < 0) return EXIT_FAILED;
    if (!found) {
        rr_error("there is no record %s", pos[0]);
        return EXIT_FAILED;
    }
    struct rules_state st;
    if (view_state(c, &rec, &st) != 0) {
        record_free(&rec);
        return EXIT_FAILED;
    }
    int code = EXIT_DONE;
    const struct kind *k = rec.kind;
    if (opts[0].given) {
        json_t *obj = record_json(&rec);
        json_object_set_new(obj, "state", state_json(&rec, &st));
        json_t *related = json_object();
        if ((k->id == K_REQUIREMENT && show_requirement(c, &rec, related) != 0) ||
            (k->id == K_DOCUMENT && show_served(c, &rec, related) != 0) ||
            show_children(c, &rec, related) != 0)
            code = EXIT_FAILED;
        json_object_set_new(obj, "related", related);
        char *text =
            json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        puts(text);
        free(text);
        json_decref(obj);
        record_free(&rec);
        return code;
    }
    char *key = record_row_key(&rec);
    printf("%s  (%s)\n\n", key, k->singular);
    free(key);
    int annotated = 0; /* a field holds the due date the rules give */
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
        /* the date the record falls due by, as the rules say (a risk: its next review; a
         * document: its next review; a certificate: its expiry), marked when overdue */
        const char *name = k->fields[i].name;
        int is_due_date =
            strcmp(name, "next_review_on") == 0 ||
            (k->id != K_RISK && (strcmp(name, "due_on") == 0 || strcmp(name, "expires_on") == 0));
        if (is_due_date && st.due && strcmp(v, st.due_on) == 0 && !annotated) {
            print_overdue(st.days);
            annotated = 1;
        }
        if (k->id == K_RISK && strcmp(k->fields[i].name, "target_on") == 0 && st.plan_due)
            print_overdue(st.plan_days);
        printf("\n");
    }
    print_state(&rec, &st, annotated);
    if ((k->id == K_REQUIREMENT && show_requirement(c, &rec, NULL) != 0) ||
        (k->id == K_DOCUMENT && show_served(c, &rec, NULL) != 0) ||
        show_children(c, &rec, NULL) != 0)
        code = EXIT_FAILED;
    record_free(&rec);
    return code;
}
