/* readiness.c - riskreg assess REQ-ID: how ready a requirement of a framework is on a date (its
 * status, maturity, owner, evidence, gap and the improvement that closes it), recorded as a
 * readiness row. A second assessment on the same day replaces the first, as for risks. */
#include "cli.h"
#include "record.h"
#include "text.h"
#include "validate.h"
#include "write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR_SIZE 512

/* The options of assess that fill a readiness row's fields, in the order cmd_assess declares
 * them after --on and --note. */
static const struct {
    const char *option, *field;
} readiness_options[] = {
    {"--status", "status"},     {"--maturity", "maturity"}, {"--owner", "owner"},
    {"--evidence", "evidence"}, {"--gap", "gap"},           {"--improvement", "improvement_id"},
    {"--target", "target_on"},  {"--reason", "reason"},
};

/* Fields a new assessment keeps from the one before it unless given: who owns the requirement
 * and what shows it is met rarely change from one assessment to the next. */
static const char *const carried[] = {"owner", "evidence"};

int readiness_option_given(const struct opt *opts)
{
    for (size_t i = 0; i < sizeof readiness_options / sizeof readiness_options[0]; i++)
        if (opts[READINESS_FIRST_OPTION + i].given) return 1;
    return 0;
}

/* "20000-8.1, 20000-8.2, ...": the requirements directly under id, into sb. -1 on error. */
static int subclauses(struct reg *g, const char *id, struct strbuf *sb)
{
    struct stmt s;
    if (stmt_prepare(g, &s,
                     "SELECT id FROM requirement WHERE parent = ?1 ORDER BY assessable = 'no', "
                     "rowid") != 0)
        return -1;
    stmt_bind_text(&s, 1, id);
    int n = 0, rc;
    while ((rc = stmt_step(&s)) == SQLITE_ROW) {
        if (n < 12) sb_printf(sb, "%s%s", n ? ", " : "", stmt_text(&s, 0));
        n++;
    }
    if (n > 12) sb_printf(sb, " and %d more", n - 12);
    stmt_finalize(&s);
    return rc < 0 ? -1 : n;
}

/* The requirement's latest readiness on or before date, into out: 1 found, 0 none, -1 error. */
static int previous_readiness(struct reg *g, const char *id, const char *date, struct record *out)
{
    struct stmt *s = reg_cached(g, "SELECT max(assessed_on) FROM readiness WHERE "
                                   "requirement_id = ?1 AND assessed_on <= ?2");
    if (!s) return -1;
    stmt_bind_text(s, 1, id);
    stmt_bind_text(s, 2, date);
    char *last = NULL;
    int rc = stmt_step(s);
    if (rc == SQLITE_ROW && stmt_text(s, 0)) last = xstrdup(stmt_text(s, 0));
    stmt_reset(s);
    if (rc < 0) return -1;
    int found = last ? record_fetch(g, model_kind(K_READINESS), id, last, out) : 0;
    free(last);
    return found;
}

/* "defined (maturity 3)" */
static void describe(const struct record *r, struct strbuf *sb)
{
    sb_puts(sb, record_get(r, "status"));
    if (record_get(r, "maturity")) sb_printf(sb, " (maturity %s)", record_get(r, "maturity"));
}

int readiness_assess(struct cli *c, const struct opt *opts, char **pos, int npos)
{
    if (npos != 1)
        return cli_usage_error(c, "assess of a requirement takes its ID and --status WORD (and "
                                  "the other readiness options), no ratings");
    const struct opt *status = &opts[READINESS_FIRST_OPTION];
    rr_day on;
    if (cli_date_option(c, &opts[0], &on) != 0) return EXIT_USAGE;
    int code = EXIT_FAILED;
    struct record req = {0}, rec = {0}, previous = {0};
    if (cli_open_write(c) != 0 || reg_begin(&c->reg) != 0) goto out;
    int found = write_find(&c->reg, pos[0], &req);
    if (found < 0) goto out;
    if (found && req.kind->id == K_RISK) {
        code = cli_usage_error(c,
                               "%s is a risk: riskreg assess %s L I [RL RI] records its scores; "
                               "--status and the other readiness options are for requirements",
                               req.v[0], req.v[0]);
        goto out;
    }
    if (!found || req.kind->id != K_REQUIREMENT) {
        rr_error("%s is not a requirement%s; riskreg list requirements shows them", pos[0],
                 found ? "" : " in this register");
        goto out;
    }
    if (!status->given) {
        char words[256];
        model_enum_list(
            &model_kind(K_READINESS)->fields[model_field_index(model_kind(K_READINESS), "status")],
            words, sizeof words);
        code = cli_usage_error(c, "status: assess %s --status WORD says how ready it is: %s",
                               req.v[0], words);
        goto out;
    }
    if (strcmp(record_get(&req, "assessable"), "no") == 0) {
        struct strbuf under = STRBUF_INIT;
        int n = subclauses(&c->reg, req.v[0], &under);
        if (n > 0)
            rr_error("status: %s (%s) is a heading that groups others (assessable=no); assess "
                     "its subclauses instead: %s",
                     req.v[0], record_get(&req, "heading"), sb_str(&under));
        else if (n == 0)
            rr_error("status: %s (%s) is not assessable (assessable=no); riskreg set %s "
                     "assessable=yes makes it so",
                     req.v[0], record_get(&req, "heading"), req.v[0]);
        sb_free(&under);
        goto out;
    }
    char date[DATE_TEXT_SIZE];
    date_format(on, date);
    record_init(&rec, model_kind(K_READINESS));
    record_put(&rec, "requirement_id", req.v[0]);
    record_put(&rec, "assessed_on", date);
    if ((found = previous_readiness(&c->reg, req.v[0], date, &previous)) < 0) goto out;
    for (size_t i = 0; found && i < sizeof carried / sizeof carried[0]; i++)
        record_put(&rec, carried[i], record_get(&previous, carried[i]));
    char err[ERR_SIZE];
    for (size_t i = 0; i < sizeof readiness_options / sizeof readiness_options[0]; i++) {
        const struct opt *o = &opts[READINESS_FIRST_OPTION + i];
        if (!o->given) continue;
        if (write_assign(c, &rec, NULL, readiness_options[i].field, o->value, NULL, err,
                         sizeof err) != 0) {
            rr_error("%s", err);
            goto out;
        }
    }
    const char *field;
    char why[ERR_SIZE];
    if (record_check(&rec, &field, why, sizeof why) != 0) {
        rr_error("%s: %s", field, why);
        goto out;
    }
    if (write_check_lists(&c->reg, NULL, &rec, err, sizeof err) != 0) {
        rr_error("%s", err);
        goto out;
    }
    int replaced = found && strcmp(record_get(&previous, "assessed_on"), date) == 0;
    int rc = replaced ? record_update(&c->reg, &previous, &rec, opts[1].value) < 0
                      : record_insert(&c->reg, &rec, opts[1].value);
    if (rc != 0 || reg_commit(&c->reg) != 0) goto out;
    if (!c->quiet) {
        struct strbuf line = STRBUF_INIT;
        sb_printf(&line, "%s %sassessed on %s: ", req.v[0], replaced ? "re" : "", date);
        describe(&rec, &line);
        if (found && !replaced) {
            sb_puts(&line, " (was ");
            describe(&previous, &line);
            sb_printf(&line, " on %s)", record_get(&previous, "assessed_on"));
        }
        if (replaced) sb_puts(&line, " (replacing that day's earlier assessment)");
        puts(sb_str(&line));
        sb_free(&line);
    }
    code = EXIT_DONE;
out:
    record_free(&req);
    record_free(&rec);
    record_free(&previous);
    return code;
}
