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

/* Every kind with a field that refers to rec's kind: the rows that do, under a heading */
static int show_children(struct cli *c, const struct record *rec, json_t *json)
{
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind *child = model_kind(k);
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

/* The field holding the date a record is due by (a risk: its next review) */
static const char *due_field(const struct record *rec)
{
    return rec->kind->id == K_RISK ? "next_review_on" : "due_on";
}

/* What the rules say of the record today, under its fields */
static void print_state(const struct record *rec, const struct rules_state *st)
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
    const char *stored = record_get(rec, due_field(rec));
    if (st->due && (!stored || strcmp(stored, st->due_on) != 0)) { /* the rules', not stored */
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
    char *key = record_row_key(&rec);
    printf("%s  (%s)\n\n", key, k->singular);
    free(key);
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
        if (strcmp(k->fields[i].name, due_field(&rec)) == 0 && st.due && strcmp(v, st.due_on) == 0)
            print_overdue(st.days);
        if (k->id == K_RISK && strcmp(k->fields[i].name, "target_on") == 0 && st.plan_due)
            print_overdue(st.plan_days);
        printf("\n");
    }
    print_state(&rec, &st);
    if (show_children(c, &rec, NULL) != 0) code = EXIT_FAILED;
    record_free(&rec);
    return code;
}
