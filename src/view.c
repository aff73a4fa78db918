/* view.c - a record as the reading commands show it today: its latest assessment, and its state
 * as the rules give it (rules.c); the commands add no rule of their own */
#include "view.h"
#include "cli.h"
#include "record.h"
#include "term_table.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int view_latest_assessment(struct reg *g, const char *risk_id, struct record *out)
{
    return record_fetch_latest(g, model_kind(K_ASSESSMENT), risk_id, out);
}

int view_state(struct cli *c, const struct record *rec, struct rules_state *st)
{
    struct record latest = {0};
    if (rec->kind->id == K_RISK && view_latest_assessment(&c->reg, rec->v[0], &latest) < 0)
        return -1;
    char today[DATE_TEXT_SIZE];
    date_format(date_today(), today);
    int rc = rules_state(c->rules, rec, latest.kind ? &latest : NULL, today, st);
    record_free(&latest);
    return rc;
}

char *view_due_cell(const struct rules_state *st, const char *date)
{
    if (st->due && st->days < 0) return term_cellf("%s OVERDUE %ldd", st->due_on, -st->days);
    if (st->due) return xstrdup(st->due_on);
    return xstrdup(date ? date : "");
}

json_t *view_score_json(const struct rules_score *s)
{
    double whole;
    json_t *score = modf(s->value, &whole) == 0.0 && whole > -1e15 && whole < 1e15
                        ? json_integer((json_int_t)whole)
                        : json_real(s->value);
    return json_pack("{sI sI so ss sb}", "likelihood", (json_int_t)s->likelihood, "impact",
                     (json_int_t)s->impact, "score", score, "level", s->level.name,
                     "above_appetite", s->above_appetite);
}
