/* view.h - a record as the reading commands show it today: its latest assessment, and its state
 * (open, due, overdue, scores) as the rules give it */
#ifndef RISKREG_VIEW_H
#define RISKREG_VIEW_H

#include <jansson.h>

#include "rules.h"

struct cli;
struct record;
struct reg;

/* A risk's latest assessment into out: 1 found, 0 none (out left empty), -1 error. */
int view_latest_assessment(struct reg *g, const char *risk_id, struct record *out);

/* The state today of rec (with a risk's latest assessment, read here). -1 after reporting. */
int view_state(struct cli *c, const struct record *rec, struct rules_state *st);

/* "2026-12-01 OVERDUE 23d", or the date alone (caller frees) */
char *view_due_cell(const struct rules_state *st, const char *date);

/* A score for --json: { likelihood, impact, score, level } */
json_t *view_score_json(const struct rules_score *s);

#endif
