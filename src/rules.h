/* rules.h - the rules engine: how the register is read (scores, levels, appetite, next review,
 * open, due, overdue, the register on a date), asked of the Lua rules in scripts/lib (the
 * project's own scripts first), so that every command computes what the site shows. */
#ifndef RISKREG_RULES_H
#define RISKREG_RULES_H

#include "date.h"
#include "lua_host.h"

struct config;
struct kind;
struct record;

struct rules;

/* Start the rules for a project: a sandboxed Lua state that loads riskreg.lua (checked: an
 * unknown or mistyped setting is an error naming the file and line), and the rules. Fills cfg's
 * matrix size, labels and name from the checked settings. limits: NULL for the defaults.
 * NULL after reporting. */
struct rules *rules_open(struct config *cfg, const struct host_limits *limits);
void rules_free(struct rules *r);

/* The Lua state the rules live in (the build adds the site's modules to it). */
struct host *rules_host(struct rules *r);

/* The folder holding the built-in scripts/ and report-templates/: $RISKREG_DATADIR, then
 * PREFIX/share/riskreg beside the running binary, then the install and source folders riskreg
 * was built for. NULL when none has scripts/site.lua. */
const char *rules_data_dir(void);

struct rules_level {
    char name[64];
    char colour[8]; /* "#rrggbb" */
    int rank;       /* 1 for the lowest band */
};

struct rules_score {
    long likelihood, impact;
    double value;
    char score[32]; /* as people read it: "12", "12.5" */
    struct rules_level level;
    int above_appetite;
};

/* A record's state on a date, as the rules have it. */
struct rules_state {
    int open;                    /* the record is open */
    int due;                     /* it falls due (then due_on and days are set) */
    char due_on[DATE_TEXT_SIZE]; /* the date it is due by */
    long days;                   /* days from the date asked about until then; negative: overdue */
    int assessed;                /* a risk with an assessment: its scores */
    struct rules_score inherent, residual;
    /* a risk's planned treatment (action_plan), due by its target_on while the risk is open or
     * treating: as due, due_on and days */
    int plan_due;
    char plan_due_on[DATE_TEXT_SIZE];
    long plan_days;
};

/* The state of rec on date `on` ("YYYY-MM-DD"); latest: a risk's latest assessment (or NULL).
 * 0, or -1 after reporting. */
int rules_state(struct rules *r, const struct record *rec, const struct record *latest,
                const char *on, struct rules_state *out);

/* Does a kind of record fall due (rules.due_kinds: risks, improvements, ...)? 1 or 0; -1 after
 * reporting. */
int rules_falls_due(struct rules *r, const struct kind *k);

/* The inherent and residual scores of an assessment (a function of its four ratings, asked of
 * the rules once per combination). 0, or -1 after reporting. */
int rules_scores(struct rules *r, const struct record *assessment, struct rules_score *inherent,
                 struct rules_score *residual);

/* "3×5 → 20 High": a score as the command line shows it (out holds at least 128 bytes). */
void rules_score_text(const struct rules_score *s, char *out, size_t outsize);

/* The next review of a risk assessed on assessed_on (NULL: never), into next ("" when it has
 * none: closed). 0, or -1 after reporting. */
int rules_next_review(struct rules *r, const struct record *risk, const char *assessed_on,
                      char next[DATE_TEXT_SIZE]);

/* The appetite: the residual score above which a risk needs a decision. */
double rules_appetite(struct rules *r);

/* How many days before its expiry an acceptance is asked about again (rules.expiring_days). */
long rules_expiring_days(struct rules *r);

/* How many days before its expiry a certificate in force is flagged by check
 * (rules.certificate_expiring_days: time to hold the recertification audit). */
long rules_certificate_expiring_days(struct rules *r);

/* Is name a column the exports compute for kind (riskreg.columns), which an import skips? 1 yes,
 * 0 no, -1 after reporting. */
int rules_is_computed_column(struct rules *r, const char *kind, const char *name);

/* Call the function of the rules module `lib` (e.g. "riskreg.export") named fn, with nargs
 * arguments already pushed below the call; its nresults results are left on the stack. 0, or
 * -1 after reporting. */
int rules_call(struct rules *r, const char *lib, const char *fn, int nargs, int nresults);

/* ---- the way to certification: scripts/lib/certification.lua, with the register's rows ---- */

struct reg;
struct map;

/* An audit (or a nonconformity) as certification's answers name it: its ID, kind, title and the
 * date that matters (held_on, planned_on, raised_on); all NULL when there is none. */
struct rules_audit_ref {
    char *id, *kind, *title, *on;
};

/* An assessable requirement no internal audit held in the audit cycle covered */
struct rules_unaudited {
    char *id, *heading;
    struct rules_audit_ref last_internal; /* the latest internal audit that covered it, if any */
    struct rules_audit_ref planned;       /* the earliest planned audit that covers it, if any */
};

/* Years within which the internal audit programme covers every requirement (riskreg.lua:
 * audit = { cycle_years = 3 }); -1 after reporting. */
long rules_audit_cycle_years(struct rules *r);

/* certification.not_audited on as_of, over the register's requirements, audits and
 * nonconformities: *out (n of them, in the clause tree's order; rules_unaudited_free) and the
 * day the cycle starts. 0, or -1 after reporting. */
int rules_not_audited(struct rules *r, struct reg *g, const char *as_of,
                      struct rules_unaudited **out, int *n, char cycle_start[DATE_TEXT_SIZE]);
void rules_unaudited_free(struct rules_unaudited *u, int n);

/* One requirement's coverage by the audit programme on as_of (certification.coverage): the held
 * audits that covered it (it, or a clause above it, in their requirements), newest first; the
 * planned one; the nonconformities that name it; whether an internal audit in the cycle did. */
struct rules_coverage {
    struct rules_audit_ref *audits;
    int naudits;
    struct rules_audit_ref *findings; /* dated raised_on */
    int nfindings;
    struct rules_audit_ref planned;
    int in_cycle;
    char cycle_start[DATE_TEXT_SIZE];
};
int rules_requirement_coverage(struct rules *r, struct reg *g, const char *id, const char *as_of,
                               struct rules_coverage *out);
void rules_coverage_free(struct rules_coverage *c);

/* Each requirement's latest readiness row on or before as_of (certification.latest), put into
 * latest as "requirement_id@assessed_on" in lower case. 0, or -1 after reporting. */
int rules_readiness_latest(struct rules *r, struct reg *g, const char *as_of, struct map *latest);

#endif
