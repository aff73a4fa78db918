/* review_cmd.c - riskreg review: a management review's life. It is planned (the date, the
 * quarter it covers, its chair), its inputs are recorded while it is prepared, and it is held:
 * held_on, who attended, the summary and the three conclusions of clause 9.3. Holding it
 * freezes the figures its pack shows, as the rules make them (riskreg.review in
 * scripts/lib/review.lua), into the register with their SHA-256 in the change log, so that its
 * record page never changes when past data is corrected later; `verify` checks them. */
#include "changelog.h"
#include "cli.h"
#include "lua_db.h"
#include "lua_json.h"
#include "record.h"
#include "text.h"
#include "validate.h"
#include "write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <lauxlib.h>

#define ERR_SIZE 512

/* ---- freezing ---- */

/* The figures the pack of review id shows as of the day it is held, as JSON text (keys sorted:
 * the same figures give the same text). NULL after reporting. Reads the register as committed. */
static char *frozen_figures(struct cli *c, const char *id, const char *held_on)
{
    struct host *h = rules_host(c->rules);
    lua_State *L = host_state(h);
    if (lua_db_register(h, c->cfg.db_path) != 0) return NULL;
    lua_pushstring(L, id);
    lua_pushstring(L, held_on);
    if (rules_call(c->rules, "riskreg.review", "freeze", 2, 1) != 0) return NULL;
    lua_pushcfunction(L, lua_json_encode);
    lua_insert(L, -2);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        rr_error("freezing the figures of %s: %s", id, lua_tostring(L, -1));
        lua_pop(L, 1);
        return NULL;
    }
    char *text = xstrdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    return text;
}

/* Keep the figures of review id in the register, with their hash in the change log. Inside the
 * caller's transaction. 0, or -1 after reporting. */
static int keep_figures(struct reg *g, const char *id, const char *as_of, const char *figures,
                        char hash[65])
{
    if (text_sha256_hex(figures, strlen(figures), hash) != 0) {
        rr_error("cannot compute the SHA-256 of %s's figures", id);
        return -1;
    }
    struct stmt s;
    if (stmt_prepare(g, &s,
                     "INSERT INTO review_snapshot (review_id, as_of, figures, hash) "
                     "VALUES (?, ?, ?, ?)") != 0)
        return -1;
    stmt_bind_text(&s, 1, id);
    stmt_bind_text(&s, 2, as_of);
    stmt_bind_text(&s, 3, figures);
    stmt_bind_text(&s, 4, hash);
    int rc = stmt_step(&s);
    stmt_finalize(&s);
    if (rc < 0) return -1;
    json_t *row = json_pack("{ssssss}", "review_id", id, "as_of", as_of, "hash", hash);
    char *after = json_dumps(row, RR_JSON_FLAGS);
    json_decref(row);
    rc = changelog_append(g, "review_snapshot", id, id, "insert", NULL, after,
                          "the figures of its pack, frozen as it was held");
    free(after);
    return rc;
}

/* Does review id have its figures kept? 1 yes, 0 no, -1 error */
static int has_figures(struct reg *g, const char *id)
{
    long long n;
    int found = reg_int(g, "SELECT count(*) FROM review_snapshot WHERE review_id = ?", id, &n);
    return found < 0 ? -1 : n > 0;
}

/* ---- plan ---- */

static int review_plan(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--period", 1, NULL, 0},
                         {"--chair", 1, NULL, 0},
                         {"--title", 1, NULL, 0},
                         {"--note", 1, NULL, 0},
                         {NULL, 0, NULL, 0}};
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, opts, pos, &npos);
    if (rc >= 0) return rc;
    if (npos != 1) return cli_usage_error(c, "review plan takes the date it is planned for");
    struct opt on_opt = {"DATE", 1, pos[0], 1};
    rr_day on;
    if (cli_date_option(c, &on_opt, &on) != 0) return EXIT_USAGE;
    char on_text[DATE_TEXT_SIZE];
    date_format(on, on_text);
    char period[16];
    if (opts[0].value) {
        snprintf(period, sizeof period, "%s", opts[0].value);
    } else {
        /* the quarter before the one it is held in: the one it reviews */
        int year, q = date_quarter_of(on, &year);
        if (--q == 0) {
            q = 4;
            year--;
        }
        snprintf(period, sizeof period, "%d-Q%d", year, q);
    }
    struct record rec;
    record_init(&rec, model_kind(K_REVIEW));
    int code = EXIT_FAILED;
    if (cli_open_write(c) != 0 || reg_begin(&c->reg) != 0) goto out;
    long long highest = record_highest_number(&c->reg, rec.kind->prefix);
    if (highest < 0) goto out;
    rec.v[0] = record_format_id(rec.kind, highest + 1);
    record_put(&rec, "status", "planned");
    record_put(&rec, "planned_on", on_text);
    record_put(&rec, "period", period);
    record_put(&rec, "chair", opts[1].value);
    if (opts[2].value) record_put(&rec, "title", opts[2].value);
    record_apply_defaults(&rec, on);
    const char *field;
    char err[ERR_SIZE];
    if (record_check(&rec, &field, err, sizeof err) != 0) {
        rr_error("%s: %s", field, err);
        goto out;
    }
    if (record_insert(&c->reg, &rec, opts[3].value) != 0 || reg_commit(&c->reg) != 0) goto out;
    if (!c->quiet)
        printf("%s planned for %s, reviewing %s%s%s\n"
               "record its inputs with riskreg add review_inputs review_id=%s input=NAME "
               "text=...\n",
               rec.v[0], on_text, period, opts[1].value ? ", chaired by " : "",
               opts[1].value ? opts[1].value : "", rec.v[0]);
    code = EXIT_DONE;
out:
    record_free(&rec);
    return code;
}

/* ---- hold ---- */

static const char *const conclusions[] = {"suitable", "adequate", "effective"};

static int review_hold(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--on", 1, NULL, 0}, {"--note", 1, NULL, 0}, {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos, code = EXIT_FAILED;
    struct record before = {0}, after = {0};
    char *figures = NULL;
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (rc) {
        code = rc < 0 ? EXIT_DONE : rc;
        goto out;
    }
    if (npos < 1) {
        code = cli_usage_error(c, "review hold needs the review's ID (riskreg list reviews "
                                  "status=planned shows the planned ones)");
        goto out;
    }
    rr_day on;
    if (cli_date_option(c, &opts[0], &on) != 0) {
        code = EXIT_USAGE;
        goto out;
    }
    char on_text[DATE_TEXT_SIZE], today[DATE_TEXT_SIZE];
    date_format(on, on_text);
    date_format(date_today(), today);
    if (strcmp(on_text, today) > 0) {
        code = cli_usage_error(c,
                               "--on %s is in the future: a review is held on the day it "
                               "meets, or recorded afterwards",
                               on_text);
        goto out;
    }
    if (cli_open_write(c) != 0) goto out;
    if (write_find_kind(&c->reg, pos[0], K_REVIEW, "riskreg list reviews shows them", &before) != 0)
        goto out;
    if (strcmp(record_get(&before, "status"), "held") == 0) {
        rr_error("%s was held on %s already; its figures are kept as they were", before.v[0],
                 record_get(&before, "held_on"));
        goto out;
    }
    record_copy(&after, &before);
    record_put(&after, "status", "held");
    record_put(&after, "held_on", on_text);
    if (write_assign_args(c, &after, pos + 1, npos - 1, &code) != 0) goto out;
    for (size_t i = 0; i < sizeof conclusions / sizeof conclusions[0]; i++) {
        if (!record_get(&after, conclusions[i])) {
            code = cli_usage_error(c,
                                   "a review is held with its three conclusions: is the SMS "
                                   "suitable, adequate and effective? Give %s=yes|partly|no "
                                   "(and %s_note=\"why\")",
                                   conclusions[i], conclusions[i]);
            goto out;
        }
    }
    if (!record_get(&after, "attendees")) {
        code = cli_usage_error(c, "a review is held with its attendees: give "
                                  "attendees=\"Name, Name, ...\"");
        goto out;
    }
    /* the figures first, from the register as it stands; then everything in one transaction */
    if (!(figures = frozen_figures(c, before.v[0], on_text))) goto out;
    char err[ERR_SIZE], hash[65];
    if (reg_begin(&c->reg) != 0) goto out;
    struct record now = {0};
    int found = write_find(&c->reg, before.v[0], &now);
    int same = found == 1 && record_equal(&now, &before);
    record_free(&now);
    if (found < 0) goto out;
    if (!same) {
        rr_error("%s changed while its figures were being made; run the command again",
                 before.v[0]);
        goto out;
    }
    if (write_check_update(&c->reg, &before, &after, err, sizeof err) != 0) {
        rr_error("%s", err);
        goto out;
    }
    if (record_update(&c->reg, &before, &after, opts[1].value) < 0 ||
        keep_figures(&c->reg, after.v[0], on_text, figures, hash) != 0 || reg_commit(&c->reg) != 0)
        goto out;
    if (!c->quiet)
        printf("%s held on %s; the figures of its pack are kept (SHA-256 %.12s…) and shown on "
               "review/%s.html\n",
               after.v[0], on_text, hash, after.v[0]);
    code = EXIT_DONE;
out:
    free(figures);
    record_free(&before);
    record_free(&after);
    free(pos);
    return code;
}

/* ---- freeze: held reviews without their figures (recorded by import) ---- */

struct unfrozen {
    char **ids, **held_on;
    int n, cap;
};

static int collect_unfrozen(const struct record *rec, void *data)
{
    struct unfrozen *u = data;
    const char *held = record_get(rec, "held_on");
    if (!held) return 0;
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 16;
        u->ids = xrealloc(u->ids, sizeof *u->ids * (size_t)u->cap);
        u->held_on = xrealloc(u->held_on, sizeof *u->held_on * (size_t)u->cap);
    }
    u->ids[u->n] = xstrdup(rec->v[0]);
    u->held_on[u->n++] = xstrdup(held);
    return 0;
}

int review_freeze_held(struct cli *c, int quiet)
{
    struct unfrozen u = {0};
    int rc = -1, frozen = 0;
    if (reg_begin_read(&c->reg) != 0) return -1;
    int walked = record_each(&c->reg, model_kind(K_REVIEW), collect_unfrozen, &u);
    int keep = 0;
    for (int i = 0; walked == 0 && i < u.n; i++) {
        int has = has_figures(&c->reg, u.ids[i]);
        if (has < 0) walked = -1;
        if (has == 0) {
            u.ids[keep] = u.ids[i];
            u.held_on[keep++] = u.held_on[i];
        } else {
            free(u.ids[i]);
            free(u.held_on[i]);
        }
    }
    reg_end_read(&c->reg);
    if (walked != 0) {
        for (int i = 0; i < keep; i++) {
            free(u.ids[i]);
            free(u.held_on[i]);
        }
        goto done;
    }
    u.n = keep;
    /* the figures as of each day, then all kept in one transaction */
    char **figures = xcalloc((size_t)u.n + 1, sizeof *figures);
    int made = 0;
    while (made < u.n && (figures[made] = frozen_figures(c, u.ids[made], u.held_on[made])))
        made++;
    if (made == u.n && (u.n == 0 || reg_begin(&c->reg) == 0)) {
        char hash[65];
        int i = 0;
        while (i < u.n && keep_figures(&c->reg, u.ids[i], u.held_on[i], figures[i], hash) == 0)
            i++;
        if (i == u.n && (u.n == 0 || reg_commit(&c->reg) == 0)) {
            rc = 0;
            frozen = u.n;
        }
    }
    for (int i = 0; i < u.n; i++) {
        free(figures[i]);
        free(u.ids[i]);
        free(u.held_on[i]);
    }
    free(figures);
done:
    free(u.ids);
    free(u.held_on);
    if (rc == 0 && frozen && !quiet)
        printf("kept the figures of %d held review%s, as of the day each was held\n", frozen,
               frozen == 1 ? "" : "s");
    return rc;
}

void review_hint_unfrozen(struct cli *c)
{
    long long n;
    if (reg_int(&c->reg,
                "SELECT count(*) FROM review WHERE held_on IS NOT NULL AND id NOT IN "
                "(SELECT review_id FROM review_snapshot)",
                NULL, &n) < 0 ||
        n == 0)
        return;
    printf("%lld held review%s no figures kept: riskreg review freeze keeps those of %s pack, "
           "as of the day %s held\n",
           n, n == 1 ? " has" : "s have", n == 1 ? "its" : "their", n == 1 ? "it was" : "each was");
}

static int review_freeze(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{NULL, 0, NULL, 0}};
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, opts, pos, &npos);
    if (rc >= 0) return rc;
    if (npos) return cli_usage_error(c, "review freeze takes no arguments");
    if (cli_open_write(c) != 0) return EXIT_FAILED;
    if (review_freeze_held(c, c->quiet) != 0) return EXIT_FAILED;
    return EXIT_DONE;
}

int cmd_review(struct cli *c, int argc, char **argv)
{
    if (argc < 1) return cli_usage_error(c, "review needs plan, hold or freeze");
    if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        cli_print_help(c->cmd);
        return EXIT_DONE;
    }
    if (strcmp(argv[0], "plan") == 0) return review_plan(c, argc - 1, argv + 1);
    if (strcmp(argv[0], "hold") == 0) return review_hold(c, argc - 1, argv + 1);
    if (strcmp(argv[0], "freeze") == 0) return review_freeze(c, argc - 1, argv + 1);
    return cli_usage_error(c, "review %s: use review plan, review hold or review freeze", argv[0]);
}
