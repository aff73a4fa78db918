/* accept.c - riskreg accept: a risk accepted as it is, by a named approver, with a justification,
 * until an expiry date. The acceptance records the level and score it accepts (the risk's
 * residual then, as the rules give it), so that a later rise or the expiry brings the risk back
 * to the decisions sought. */
#include "cli.h"
#include "record.h"
#include "text.h"
#include "validate.h"
#include "view.h"
#include "write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR_SIZE 512

/* The risk's acceptances in force end when a new one is granted: those past their expiry as
 * expired, the others as revoked (replaced). */
struct supersede {
    struct reg *g;
    const char *on, *by_id;
    int failed;
};

static int supersede_one(const struct record *rec, void *data)
{
    struct supersede *s = data;
    if (strcmp(record_get(rec, "status"), "accepted") != 0) return 0;
    struct record after;
    record_copy(&after, rec);
    /* it held to the end of its expiry day (rules.acceptance_valid) */
    int expired = strcmp(record_get(rec, "expires_on"), s->on) < 0;
    record_put(&after, "status", expired ? "expired" : "revoked");
    char note[128];
    snprintf(note, sizeof note, "replaced by %s", s->by_id);
    s->failed = record_update(s->g, rec, &after, note) < 0;
    record_free(&after);
    return s->failed;
}

int cmd_accept(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--by", 1, NULL, 0},
                         {"--until", 1, NULL, 0},
                         {"--on", 1, NULL, 0},
                         {"--note", 1, NULL, 0},
                         {NULL, 0, NULL, 0}};
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, opts, pos, &npos);
    if (rc >= 0) return rc;
    if (npos != 1) return cli_usage_error(c, "accept takes one risk ID");
    if (!opts[0].value || !*opts[0].value)
        return cli_usage_error(c, "accept needs --by NAME: who accepts the risk");
    if (!opts[1].value) return cli_usage_error(c, "accept needs --until DATE: when it expires");
    rr_day on, until;
    if (cli_date_option(c, &opts[2], &on) != 0 || cli_date_option(c, &opts[1], &until) != 0)
        return EXIT_USAGE;
    char on_text[DATE_TEXT_SIZE], until_text[DATE_TEXT_SIZE];
    date_format(on, on_text);
    date_format(until, until_text);
    if (until <= on)
        return cli_usage_error(c, "--until %s is not after the day it is accepted (%s)", until_text,
                               on_text);

    struct record risk = {0}, latest = {0}, acc;
    record_init(&acc, model_kind(K_ACCEPTANCE));
    int code = EXIT_FAILED;
    if (cli_open_write(c) != 0 || reg_begin(&c->reg) != 0) goto out;
    if (write_find_kind(&c->reg, pos[0], K_RISK, "accept takes a risk's ID", &risk) != 0) goto out;
    if (strcmp(record_get(&risk, "status"), "closed") == 0) {
        rr_error("%s is closed (on %s); a closed risk is not accepted", risk.v[0],
                 record_get(&risk, "closed_on"));
        goto out;
    }
    /* the level and score it accepts: its residual now, by the rules */
    if (view_latest_assessment(&c->reg, risk.v[0], &latest) < 0) goto out;
    if (!latest.kind) {
        rr_error("%s has no assessment: assess it first (riskreg assess %s L I RL RI); an "
                 "acceptance records the level it accepts",
                 risk.v[0], risk.v[0]);
        goto out;
    }
    struct rules_score inherent, residual;
    if (rules_scores(c->rules, &latest, &inherent, &residual) != 0) goto out;
    long long highest = record_highest_number(&c->reg, acc.kind->prefix);
    if (highest < 0) goto out;
    acc.v[0] = record_format_id(acc.kind, highest + 1);
    record_put(&acc, "risk_id", risk.v[0]);
    record_put(&acc, "status", "accepted");
    record_put(&acc, "requested_on", on_text);
    record_put(&acc, "approver", opts[0].value);
    record_put(&acc, "accepted_on", on_text);
    record_put(&acc, "expires_on", until_text);
    record_put(&acc, "level", residual.level.name[0] ? residual.level.name : NULL);
    record_put(&acc, "score", residual.score);
    record_put(&acc, "justification", opts[3].value);
    const char *field;
    char err[ERR_SIZE];
    if (record_check(&acc, &field, err, sizeof err) != 0) {
        rr_error("%s: %s", field, err);
        goto out;
    }
    struct supersede sup = {&c->reg, on_text, acc.v[0], 0};
    if (record_each_where(&c->reg, acc.kind, model_field_index(acc.kind, "risk_id"), risk.v[0],
                          supersede_one, &sup) != 0 ||
        sup.failed)
        goto out;
    if (record_insert(&c->reg, &acc, opts[3].value) != 0 || reg_commit(&c->reg) != 0) goto out;
    if (!c->quiet) {
        char text[128];
        rules_score_text(&residual, text, sizeof text);
        printf("%s: %s accepted by %s on %s until %s, at its residual %s\n", acc.v[0], risk.v[0],
               opts[0].value, on_text, until_text, text);
    }
    code = EXIT_DONE;
out:
    record_free(&risk);
    record_free(&latest);
    record_free(&acc);
    return code;
}
