/* write.h - rules shared by everything that writes records: add, set, assess, close, import */
#ifndef RISKREG_WRITE_H
#define RISKREG_WRITE_H

#include <stddef.h>

#include "model.h"

struct cli;
struct opt;
struct reg;
struct record;

/* Replace the ID in field i of rec by the stored form of the record it names, checking that it
 * exists and is of the field's kind. 0, or -1 with a message in err. */
int write_resolve_ref(struct reg *g, const struct field *f, struct record *rec, int i, char *err,
                      size_t errsize);

/* Find a record by ID (any case), or a row that belongs to one by "ID@KEY" as the change log
 * names it (R-001@2026-03-31). 1 found, 0 not, -1 error. */
int write_find(struct reg *g, const char *text, struct record *out);

/* Find the record id, which must be of the kind given: 0 when it is, else -1 after saying it is
 * not one (followed by hint: what to give instead). */
int write_find_kind(struct reg *g, const char *id, enum kind_id kind, const char *hint,
                    struct record *out);

/* An assessment must fall between its risk's created_on and closed_on. */
int write_check_assessment(const struct record *risk, const struct record *assessment,
                           const char **field, char *err, size_t errsize);

/* After an assessment on assessed_on: when it is the risk's latest, its next review is what the
 * rules say (by default review_every_days, or riskreg.lua's cadence, later). */
int write_next_review(struct cli *c, const struct record *risk, const char *assessed_on,
                      const char *note);

/* A risk whose status, closing or review cadence changed (and whose next review was not set by
 * hand in the same change) gets the next review the rules give it. 0, or -1 after reporting. */
int write_review_after_change(struct cli *c, const struct record *before, struct record *after);

/* One FIELD=VALUE (or an edited "field: value") onto rec, or for a risk being added onto its
 * first assessment (*assessment_set then becomes 1). 0; 2 when the kind has no such field; 1
 * when the value is wrong. err says why, naming the field. */
int write_assign(struct cli *c, struct record *rec, struct record *assessment, const char *name,
                 const char *raw, int *assessment_set, char *err, size_t errsize);

/* FIELD=VALUE arguments onto rec, as set takes them. 0; -1 after reporting, with *code the
 * exit code (EXIT_USAGE for a field the kind lacks or text that is not FIELD=VALUE). */
int write_assign_args(struct cli *c, struct record *rec, char **args, int n, int *code);

/* Where a list field's IDs are also looked for, before the register: an import's own records.
 * find returns the kind of the record id names (stored: the ID as it will be written), or NULL;
 * ids gives every ID it knows to the did-you-mean (add(name, list) for each). */
struct write_ids {
    const struct kind *(*find)(void *data, const char *id, const char **stored);
    void (*each)(void *data, void (*add)(const char *id, void *list), void *list);
    void *data;
};

/* Is token a URL (scheme://...) rather than a record ID? */
int write_is_url(const char *token, size_t len);

/* The next token of a list field (separated by commas, semicolons or white space, as
 * certification.split has it) at or after *p: its start, its length in *len; NULL at the end. */
const char *write_list_token(const char **p, size_t *len);

/* The IDs listed in field i of rec, a list field (FF_LIST: evidence, a document's or an audit's
 * requirements): every one that is not a URL must name a record of the field's kind (any kind
 * for evidence), in extra (when not NULL) or in the register. Each is rewritten as stored
 * ("doc-003" becomes "DOC-003"). 0, or -1 with a message in err that names the record and the
 * ID, with a did-you-mean when one is close (the caller names the field). */
int write_check_list(struct reg *g, struct record *rec, int i, const struct write_ids *extra,
                     char *err, size_t errsize);

/* write_check_list for every list field of after that is new or differs from before's (before
 * NULL: a new record). 0, or -1 with "FIELD: message" in err. */
int write_check_lists(struct reg *g, const struct record *before, struct record *after, char *err,
                      size_t errsize);

/* May before become after? The ID or key stays, the record is complete and consistent, the IDs
 * its changed lists name exist (write_check_lists, which writes them as stored), a risk's dates
 * still hold its assessments. 0, or -1 with a message in err. */
int write_check_update(struct reg *g, const struct record *before, struct record *after, char *err,
                       size_t errsize);

/* readiness.c: riskreg assess REQ-ID --status WORD ...: a requirement's readiness. opts are
 * cmd_assess's: --on, --note, then from READINESS_FIRST_OPTION --status, --maturity, --owner,
 * --evidence, --gap, --improvement, --target, --reason. Returns the exit code. */
#define READINESS_FIRST_OPTION 2
int readiness_assess(struct cli *c, const struct opt *opts, char **pos, int npos);
/* Was any of the readiness options given? */
int readiness_option_given(const struct opt *opts);

/* "R-001 updated: owner Ana → Bob" (or "unchanged") on stdout. */
void write_print_update(const struct record *before, const struct record *after, int changed);

#endif
