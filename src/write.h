/* write.h - rules shared by everything that writes records: add, set, assess, close, import */
#ifndef RISKREG_WRITE_H
#define RISKREG_WRITE_H

#include <stddef.h>

#include "model.h"

struct cli;
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

/* May before become after? The ID or key stays, the record is complete and consistent, a
 * risk's dates still hold its assessments. 0, or -1 with a message in err. */
int write_check_update(struct reg *g, const struct record *before, const struct record *after,
                       char *err, size_t errsize);

/* "R-001 updated: owner Ana → Bob" (or "unchanged") on stdout. */
void write_print_update(const struct record *before, const struct record *after, int changed);

#endif
