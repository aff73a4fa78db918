/* write.c - the commands that change the register: add, set, assess, close */
#include "cli.h"
#include "record.h"
#include "text.h"
#include "validate.h"
#include "write.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR_SIZE 512

int write_resolve_ref(struct reg *g, const struct field *f, struct record *rec, int i, char *err,
                      size_t errsize)
{
    char *stored = NULL;
    const struct kind *k = record_find_id(g, rec->v[i], &stored);
    const struct kind *want = model_kind(f->ref);
    if (!k) {
        snprintf(err, errsize, "there is no %s %s", want->singular, rec->v[i]);
        free(stored);
        return -1;
    }
    if (k != want) {
        snprintf(err, errsize, "%s is %s %s, not a %s", stored, text_article(k->singular),
                 k->singular, want->singular);
        free(stored);
        return -1;
    }
    free(rec->v[i]);
    rec->v[i] = stored; /* as stored: "r-001" becomes "R-001" */
    return 0;
}

int write_find(struct reg *g, const char *text, struct record *out)
{
    char *id = xstrdup(text);
    char *at = strchr(id, '@');
    if (at) *at++ = '\0';
    char *stored = NULL;
    const struct kind *k = id_is_valid(id) ? record_find_id(g, id, &stored) : NULL;
    int rc = 0;
    if (k && !at) {
        rc = record_fetch(g, k, stored, NULL, out);
    } else if (k && at) {
        /* ROW@KEY: a row that belongs to a record, as the change log names it */
        for (int c = 0; c < KIND_COUNT && rc == 0; c++) {
            const struct kind *child = model_kind(c);
            if (child->prefix || child->fields[child->owner_field].ref != k->id) continue;
            rc = record_fetch(g, child, stored, at, out);
        }
    }
    free(stored);
    free(id);
    return rc;
}

int write_find_kind(struct reg *g, const char *id, enum kind_id kind, const char *hint,
                    struct record *out)
{
    int found = write_find(g, id, out);
    if (found < 0) return -1;
    if (found && out->kind->id == kind) return 0;
    rr_error("%s is not a%s %s%s; %s", id,
             strchr("aeiou", model_kind(kind)->singular[0]) ? "n" : "", model_kind(kind)->singular,
             found ? "" : " in this register", hint);
    if (found) record_free(out);
    return -1;
}

int write_check_assessment(const struct record *risk, const struct record *a, const char **field,
                           char *err, size_t errsize)
{
    const char *on = record_get(a, "assessed_on");
    const char *created = record_get(risk, "created_on");
    const char *closed = record_get(risk, "closed_on");
    const char *id = record_get(risk, "id"); /* none yet for a new row of an import */
    *field = "assessed_on";
    if (created && strcmp(on, created) < 0) {
        snprintf(err, errsize,
                 "%s is assessed on %s, before it was created (%s); a created_on no later than "
                 "the first assessment fixes that",
                 id ? id : "the risk", on, created);
        return -1;
    }
    if (closed && strcmp(on, closed) > 0) {
        snprintf(err, errsize, "%s was closed on %s; an assessment on %s comes after that",
                 id ? id : "the risk", closed, on);
        return -1;
    }
    return 0;
}

int write_next_review(struct cli *c, const struct record *risk, const char *assessed_on,
                      const char *note)
{
    struct reg *g = &c->reg;
    /* only the latest assessment moves the next review */
    struct stmt *s = reg_cached(g, "SELECT max(assessed_on) FROM assessment WHERE risk_id = ?1");
    if (!s) return -1;
    stmt_bind_text(s, 1, record_get(risk, "id"));
    int rc = stmt_step(s);
    int latest = rc == SQLITE_ROW && stmt_text(s, 0) && strcmp(stmt_text(s, 0), assessed_on) <= 0;
    stmt_reset(s);
    if (rc < 0) return -1;
    if (!latest) return 0;
    char next[DATE_TEXT_SIZE];
    if (rules_next_review(c->rules, risk, assessed_on, next) != 0) return -1;
    struct record after;
    record_copy(&after, risk);
    record_set(&after, model_field_index(risk->kind, "next_review_on"), next[0] ? next : NULL);
    rc = record_update(g, risk, &after, note);
    record_free(&after);
    return rc < 0 ? -1 : 0;
}

int write_review_after_change(struct cli *c, const struct record *before, struct record *after)
{
    if (after->kind->id != K_RISK) return 0;
    static const char *const inputs[] = {"status", "review_every_days", "closed_on"};
    int changed = 0;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *a = record_get(before, inputs[i]), *b = record_get(after, inputs[i]);
        changed |= (!a != !b) || (a && strcmp(a, b) != 0);
    }
    const char *was = record_get(before, "next_review_on"),
               *now = record_get(after, "next_review_on");
    if (!changed || (!was != !now) || (was && strcmp(was, now) != 0)) return 0; /* set by hand */
    struct stmt *s =
        reg_cached(&c->reg, "SELECT max(assessed_on) FROM assessment WHERE risk_id = ?1");
    if (!s) return -1;
    stmt_bind_text(s, 1, after->v[0]);
    char *latest = NULL;
    int rc = stmt_step(s);
    if (rc == SQLITE_ROW && stmt_text(s, 0)) latest = xstrdup(stmt_text(s, 0));
    stmt_reset(s);
    if (rc < 0) return -1;
    char next[DATE_TEXT_SIZE];
    rc = rules_next_review(c->rules, after, latest, next);
    free(latest);
    if (rc != 0) return -1;
    record_set(after, model_field_index(after->kind, "next_review_on"), next[0] ? next : NULL);
    return 0;
}

/* Field of a kind named on the command line: its name, or a header alias. */
static int lookup_field(const struct kind *k, const char *name)
{
    int i = model_field_index(k, name);
    return i >= 0 ? i : model_field_for_header(k, name);
}

int write_assign(struct cli *c, struct record *rec, struct record *assessment, const char *name,
                 const char *raw, int *assessment_set, char *err, size_t errsize)
{
    struct record *target = rec;
    int i = lookup_field(rec->kind, name);
    if (i < 0 && assessment) {
        target = assessment;
        i = lookup_field(assessment->kind, name);
        if (i == assessment->kind->owner_field) i = -1;
    }
    if (i < 0) {
        const char *guess = model_suggest_field(rec->kind, name);
        if (guess)
            snprintf(err, errsize, "%s have no field '%s'; did you mean '%s'?", rec->kind->name,
                     name, guess);
        else
            snprintf(err, errsize, "%s have no field '%s' (riskreg help fields %s lists them)",
                     rec->kind->name, name, rec->kind->name);
        return 2;
    }
    const struct field *f = &target->kind->fields[i];
    char why[ERR_SIZE];
    char *value;
    enum rating_words words =
        rating_word_is_five_scale(raw) ? RATING_WORDS_FIVE : RATING_WORDS_THREE;
    if (value_parse(&c->cfg, target->kind, f, raw, words, &value, why, sizeof why) != 0) {
        snprintf(err, errsize, "%s: %s", f->name, why);
        return 1;
    }
    free(target->v[i]);
    target->v[i] = value;
    if (target == assessment && assessment_set) *assessment_set = 1;
    if (f->type == FT_REF && value &&
        write_resolve_ref(&c->reg, f, target, i, why, sizeof why) != 0) {
        snprintf(err, errsize, "%s: %s", f->name, why);
        return 1;
    }
    return 0;
}

struct assignment_result {
    int code;           /* EXIT_DONE, EXIT_USAGE or EXIT_FAILED */
    int assessment_set; /* any field of the first assessment was given */
};

/* FIELD=VALUE arguments onto rec, and for a risk onto its first assessment. */
static struct assignment_result apply_assignments(struct cli *c, struct record *rec,
                                                  struct record *assessment, char **args, int n)
{
    struct assignment_result r = {EXIT_DONE, 0};
    char err[ERR_SIZE];
    for (int a = 0; a < n; a++) {
        char name[64];
        const char *raw;
        if (assignment_split(args[a], name, sizeof name, &raw) != 0) {
            r.code = cli_usage_error(c, "'%s' is not FIELD=VALUE", args[a]);
            return r;
        }
        int rc = write_assign(c, rec, assessment, name, raw, &r.assessment_set, err, sizeof err);
        if (rc == 2) {
            r.code = cli_usage_error(c, "%s", err);
            return r;
        }
        if (rc) {
            rr_error("%s", err);
            r.code = EXIT_FAILED;
            return r;
        }
    }
    return r;
}

int write_assign_args(struct cli *c, struct record *rec, char **args, int n, int *code)
{
    struct assignment_result r = apply_assignments(c, rec, NULL, args, n);
    *code = r.code;
    return r.code == EXIT_DONE ? 0 : -1;
}

static int report_check(const struct record *rec)
{
    const char *field;
    char err[ERR_SIZE];
    if (record_check(rec, &field, err, sizeof err) == 0) return 0;
    rr_error("%s: %s", field, err);
    return -1;
}

int write_is_url(const char *token, size_t len)
{
    /* as certification.is_url has it: a letter, then letters, digits, '+', '.' or '-', then :// */
    if (!len || !isalpha((unsigned char)token[0])) return 0;
    size_t n = 1;
    while (n < len && (isalnum((unsigned char)token[n]) || strchr("+.-", token[n])))
        n++;
    return len - n >= 3 && strncmp(token + n, "://", 3) == 0;
}

const char *write_list_token(const char **p, size_t *len)
{
    const char *s = *p + strspn(*p, ",; \t\n\v\f\r");
    if (!*s) return NULL;
    *len = strcspn(s, ",; \t\n\v\f\r");
    *p = s + *len;
    return s;
}

struct id_list {
    char **ids;
    size_t n, cap;
};

static void id_list_add(const char *id, void *data)
{
    struct id_list *l = data;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->ids = xrealloc(l->ids, sizeof *l->ids * l->cap);
    }
    l->ids[l->n++] = xstrdup(id);
}

static void lower_copy(const char *s, char *out, size_t outsize)
{
    size_t n = 0;
    for (; s[n] && n + 1 < outsize; n++)
        out[n] = (char)tolower((unsigned char)s[n]);
    out[n] = '\0';
}

/* The ID closest to a mistyped one among the records of kind want (NULL: of any kind), in the
 * register and in extra; NULL when none is close. Caller frees. */
static char *suggest_id(struct reg *g, const struct kind *want, const char *id,
                        const struct write_ids *extra)
{
    struct id_list l = {0};
    struct stmt s;
    const char *sql = want ? "SELECT id FROM record_id WHERE kind = ?1 ORDER BY id"
                           : "SELECT id FROM record_id ORDER BY id";
    if (stmt_prepare(g, &s, sql) == 0) {
        if (want) stmt_bind_text(&s, 1, want->table);
        while (stmt_step(&s) == SQLITE_ROW)
            id_list_add(stmt_text(&s, 0), &l);
        stmt_finalize(&s);
    }
    if (extra && extra->each) {
        struct id_list more = {0};
        extra->each(extra->data, id_list_add, &more);
        for (size_t i = 0; i < more.n; i++) {
            const char *stored;
            const struct kind *k = extra->find(extra->data, more.ids[i], &stored);
            if (!want || k == want) id_list_add(more.ids[i], &l);
            free(more.ids[i]);
        }
        free(more.ids);
    }
    /* IDs differ in their punctuation (20000-9.2, 20000-9), which name keys drop: compared
     * whole, without regard to case */
    char key[64], ckey[64];
    lower_copy(id, key, sizeof key);
    const char *best = NULL;
    char name[64], cname[64];
    text_name_key(id, name, sizeof name);
    int best_d = strlen(key) <= 5 ? 4 : 6; /* twice the distance: a closer one, or none */
    for (size_t i = 0; i < l.n; i++) {
        lower_copy(l.ids[i], ckey, sizeof ckey);
        text_name_key(l.ids[i], cname, sizeof cname);
        /* of two as close, the one that differs only in punctuation (20000-92: 20000-9.2) */
        int d = 2 * text_distance(key, ckey) - (strcmp(name, cname) == 0);
        if (d < best_d) {
            best_d = d;
            best = l.ids[i];
        }
    }
    char *found = best ? xstrdup(best) : NULL;
    for (size_t i = 0; i < l.n; i++)
        free(l.ids[i]);
    free(l.ids);
    return found;
}

int write_check_list(struct reg *g, struct record *rec, int i, const struct write_ids *extra,
                     char *err, size_t errsize)
{
    const struct field *f = &rec->kind->fields[i];
    const struct kind *want = f->ref == KIND_COUNT ? NULL : model_kind(f->ref);
    char *key = record_row_key(rec);
    const char *who = *key ? key : "the row";
    int rc = 0;
    size_t len;
    for (const char *p = rec->v[i] ? rec->v[i] : "", *t;
         rc == 0 && (t = write_list_token(&p, &len));) {
        if (write_is_url(t, len)) continue;
        char *id = xstrndup(t, len);
        const char *stored = NULL;
        char *owned = NULL;
        const struct kind *k = NULL;
        if (!id_is_valid(id)) {
            const char *what = want ? want->singular : "record";
            snprintf(err, errsize,
                     "%s lists '%.60s', which is neither %s %s ID nor a URL (scheme://...); "
                     "separate IDs with commas",
                     who, id, text_article(what), what);
            rc = -1;
        }
        if (rc == 0 && extra) k = extra->find(extra->data, id, &stored);
        if (rc == 0 && !k) {
            k = record_find_id(g, id, &owned);
            stored = owned;
        }
        if (rc == 0 && !k) {
            char *guess = suggest_id(g, want, id, extra);
            snprintf(err, errsize, "%s lists %s, which is not %s%s%s in the register%s%s%s%s", who,
                     id, want ? text_article(want->singular) : "a record", want ? " " : "",
                     want ? want->singular : "", extra ? " or this import" : "",
                     guess ? "; did you mean " : "", guess ? guess : "", guess ? "?" : "");
            free(guess);
            rc = -1;
        } else if (rc == 0 && want && k != want) {
            snprintf(err, errsize, "%s lists %s, which is %s %s, not %s %s", who, stored,
                     text_article(k->singular), k->singular, text_article(want->singular),
                     want->singular);
            rc = -1;
        } else if (rc == 0 && strlen(stored) == len) {
            memcpy(rec->v[i] + (t - rec->v[i]), stored, len); /* as stored: only the case differs */
        }
        free(owned);
        free(id);
    }
    free(key);
    return rc;
}

int write_check_lists(struct reg *g, const struct record *before, struct record *after, char *err,
                      size_t errsize)
{
    const struct kind *k = after->kind;
    char why[ERR_SIZE];
    for (int i = 0; i < k->nfields; i++) {
        if (!(k->fields[i].flags & FF_LIST) || !after->v[i]) continue;
        if (before && before->v[i] && strcmp(before->v[i], after->v[i]) == 0) continue;
        if (write_check_list(g, after, i, NULL, why, sizeof why) != 0) {
            snprintf(err, errsize, "%s: %s", k->fields[i].name, why);
            return -1;
        }
    }
    return 0;
}

int write_check_update(struct reg *g, const struct record *before, struct record *after, char *err,
                       size_t errsize)
{
    const struct kind *k = before->kind;
    for (int i = 0; i < k->nfields; i++) {
        int is_key = k->prefix ? i == 0 : (k->fields[i].flags & FF_KEY) != 0;
        const char *a = before->v[i], *b = after->v[i];
        if (is_key && (!b || strcmp(a, b) != 0)) {
            snprintf(err, errsize, "%s: the %s of a record cannot be changed", k->fields[i].name,
                     k->prefix ? "ID" : "key");
            return -1;
        }
    }
    const char *field;
    char why[ERR_SIZE];
    if (record_check(after, &field, why, sizeof why) != 0) {
        snprintf(err, errsize, "%s: %s", field, why);
        return -1;
    }
    if (write_check_lists(g, before, after, err, errsize) != 0) return -1;
    if (k->id != K_RISK) return 0;
    /* the risk's dates must still hold its assessments */
    struct stmt *s = reg_cached(g, "SELECT min(assessed_on), max(assessed_on) FROM assessment "
                                   "WHERE risk_id = ?1");
    stmt_bind_text(s, 1, after->v[0]);
    int bad = 0;
    if (stmt_step(s) == SQLITE_ROW && stmt_text(s, 0)) {
        const char *created = record_get(after, "created_on");
        const char *closed = record_get(after, "closed_on");
        if (strcmp(created, stmt_text(s, 0)) > 0) {
            snprintf(err, errsize, "created_on: %s has an assessment on %s, before %s", after->v[0],
                     stmt_text(s, 0), created);
            bad = 1;
        } else if (closed && strcmp(closed, stmt_text(s, 1)) < 0) {
            snprintf(err, errsize, "closed_on: %s has an assessment on %s, after %s", after->v[0],
                     stmt_text(s, 1), closed);
            bad = 1;
        }
    }
    stmt_reset(s);
    return bad ? -1 : 0;
}

void write_print_update(const struct record *before, const struct record *after, int changed)
{
    char *key = record_row_key(after);
    const struct kind *k = after->kind;
    if (!changed) {
        printf("%s unchanged: it already has those values\n", key);
    } else {
        printf("%s updated:", key);
        int n = 0;
        for (int i = 0; i < k->nfields; i++) {
            const char *a = before->v[i], *b = after->v[i];
            if ((!a != !b) || (a && strcmp(a, b) != 0)) {
                /* long text is named, not quoted: the log and show have it in full */
                int long_text = k->fields[i].type == FT_MARKDOWN || (a && strchr(a, '\n')) ||
                                (b && strchr(b, '\n'));
                if (long_text)
                    printf("%s %s %s", n++ ? ";" : "", k->fields[i].name,
                           !a   ? "added"
                           : !b ? "cleared"
                                : "changed");
                else
                    printf("%s %s %s → %s", n++ ? ";" : "", k->fields[i].name, a ? a : "(none)",
                           b ? b : "(none)");
            }
        }
        printf("\n");
    }
    free(key);
}

/* "residual 3×4 → 12 High (was 4×4 → 16 High), inherent 4×4 → 16 High": the scores of an
 * assessment as the rules give them, and what they were. -1 after reporting. */
static int print_scores(struct cli *c, const struct record *a, const struct record *before)
{
    struct rules_score inherent, residual, was_inherent, was_residual;
    if (rules_scores(c->rules, a, &inherent, &residual) != 0) return -1;
    if (before && before->kind && rules_scores(c->rules, before, &was_inherent, &was_residual) != 0)
        return -1;
    char text[128];
    rules_score_text(&residual, text, sizeof text);
    printf("residual %s", text);
    if (before && before->kind) {
        rules_score_text(&was_residual, text, sizeof text);
        printf(" (was %s)", text);
    }
    rules_score_text(&inherent, text, sizeof text);
    printf(", inherent %s", text);
    return 0;
}

int cmd_add(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--on", 1, NULL, 0}, {"--note", 1, NULL, 0}, {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos, code;
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (rc) {
        free(pos);
        return rc < 0 ? EXIT_DONE : rc;
    }
    struct record rec = {0}, first = {0};
    rr_day on;
    const struct kind *k = npos ? cli_kind(c, "", pos[0]) : NULL;
    if (!npos) {
        code = cli_usage_error(c, "add needs a kind and FIELD=VALUE pairs");
        goto out;
    }
    if (!k) {
        code = EXIT_USAGE;
        goto out;
    }
    if (npos < 2) {
        code = cli_usage_error(c, "add %s needs FIELD=VALUE pairs (riskreg help fields %s)",
                               k->name, k->name);
        goto out;
    }
    code = EXIT_FAILED;
    if (cli_date_option(c, &opts[0], &on) != 0) {
        code = EXIT_USAGE;
        goto out;
    }
    if (cli_open_write(c) != 0 || reg_begin(&c->reg) != 0) goto out;
    record_init(&rec, k);
    record_init(&first, model_kind(K_ASSESSMENT));
    struct assignment_result r =
        apply_assignments(c, &rec, k->id == K_RISK ? &first : NULL, pos + 1, npos - 1);
    if (r.code != EXIT_DONE) {
        code = r.code;
        goto out;
    }
    record_apply_defaults(&rec, on);
    if (k->prefix && !rec.v[0]) {
        long long highest = record_highest_number(&c->reg, k->prefix);
        if (highest < 0) goto out;
        rec.v[0] = record_format_id(k, highest + 1);
    } else if (k->prefix) {
        char err[ERR_SIZE];
        if (id_check_new(rec.v[0], err, sizeof err) != 0) {
            rr_error("id: %s", err);
            goto out;
        }
        char *stored;
        const struct kind *other = record_find_id(&c->reg, rec.v[0], &stored);
        if (other) {
            rr_error("id: %s already exists (%s %s); change it with riskreg set %s FIELD=VALUE",
                     stored, text_article(other->singular), other->singular, stored);
            free(stored);
            goto out;
        }
    } else {
        struct record existing;
        int found = record_fetch(&c->reg, k, rec.v[0], rec.v[1], &existing);
        if (found > 0) {
            char *key = record_row_key(&rec);
            rr_error("%s %s already exists; change it with riskreg set %s FIELD=VALUE", k->singular,
                     key, key);
            free(key);
            record_free(&existing);
            goto out;
        }
        if (found < 0) goto out;
    }
    if (r.assessment_set) {
        record_set(&first, 0, rec.v[0]);
        record_apply_defaults(&first, on);
        int assessor = model_field_index(first.kind, "assessor");
        if (!first.v[assessor]) record_set(&first, assessor, c->actor);
        int next = model_field_index(k, "next_review_on");
        if (!rec.v[next]) {
            char date[DATE_TEXT_SIZE];
            if (rules_next_review(c->rules, &rec, first.v[1], date) != 0) goto out;
            record_set(&rec, next, date[0] ? date : NULL);
        }
        const char *field;
        char err[ERR_SIZE];
        if (report_check(&first) != 0) goto out;
        if (write_check_assessment(&rec, &first, &field, err, sizeof err) != 0) {
            rr_error("%s: %s", field, err);
            goto out;
        }
    }
    if (report_check(&rec) != 0) goto out;
    {
        char err[ERR_SIZE];
        if (write_check_lists(&c->reg, NULL, &rec, err, sizeof err) != 0) {
            rr_error("%s", err);
            goto out;
        }
    }
    if (k->id == K_ASSESSMENT) {
        struct record risk;
        const char *field;
        char err[ERR_SIZE];
        if (record_fetch(&c->reg, model_kind(K_RISK), rec.v[0], NULL, &risk) <= 0) goto out;
        int bad = write_check_assessment(&risk, &rec, &field, err, sizeof err);
        if (bad) rr_error("%s: %s", field, err);
        if (!bad && (record_insert(&c->reg, &rec, opts[1].value) != 0 ||
                     write_next_review(c, &risk, rec.v[1], NULL) != 0))
            bad = 1;
        record_free(&risk);
        if (bad) goto out;
    } else {
        if (record_insert(&c->reg, &rec, opts[1].value) != 0) goto out;
    }
    if (r.assessment_set && record_insert(&c->reg, &first, NULL) != 0) goto out;
    if (reg_commit(&c->reg) != 0) goto out;
    char *key = record_row_key(&rec);
    if (!c->quiet) {
        const char *title = record_get(&rec, "title");
        if (!title) title = record_get(&rec, "name");
        printf("%s added", key);
        if (title) printf(": %s", title);
        if (r.assessment_set) {
            printf(" (");
            print_scores(c, &first, NULL);
            printf(")");
        }
        printf("\n");
    }
    free(key);
    code = EXIT_DONE;
out:
    record_free(&rec);
    record_free(&first);
    free(pos);
    return code;
}

int cmd_set(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--note", 1, NULL, 0}, {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos, code = EXIT_FAILED;
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (rc) {
        free(pos);
        return rc < 0 ? EXIT_DONE : rc;
    }
    struct record before = {0}, after = {0};
    if (npos < 2) {
        code = cli_usage_error(c, "set needs an ID and FIELD=VALUE pairs");
        goto out;
    }
    if (cli_open_write(c) != 0 || reg_begin(&c->reg) != 0) goto out;
    int found = write_find(&c->reg, pos[0], &before);
    if (found < 0) goto out;
    if (!found) {
        rr_error("there is no record %s (riskreg list KIND shows what there is)", pos[0]);
        goto out;
    }
    record_copy(&after, &before);
    struct assignment_result r = apply_assignments(c, &after, NULL, pos + 1, npos - 1);
    if (r.code != EXIT_DONE) {
        code = r.code;
        goto out;
    }
    char err[ERR_SIZE];
    if (write_review_after_change(c, &before, &after) != 0) goto out;
    if (write_check_update(&c->reg, &before, &after, err, sizeof err) != 0) {
        rr_error("%s", err);
        goto out;
    }
    int changed = record_update(&c->reg, &before, &after, opts[0].value);
    if (changed < 0 || reg_commit(&c->reg) != 0) goto out;
    if (!c->quiet) write_print_update(&before, &after, changed);
    code = EXIT_DONE;
out:
    record_free(&before);
    record_free(&after);
    free(pos);
    return code;
}

int cmd_assess(struct cli *c, int argc, char **argv)
{
    /* --on and --note, then the readiness options of a requirement (readiness.c) */
    struct opt opts[] = {{"--on", 1, NULL, 0},     {"--note", 1, NULL, 0},
                         {"--status", 1, NULL, 0}, {"--maturity", 1, NULL, 0},
                         {"--owner", 1, NULL, 0},  {"--evidence", 1, NULL, 0},
                         {"--gap", 1, NULL, 0},    {"--improvement", 1, NULL, 0},
                         {"--target", 1, NULL, 0}, {"--reason", 1, NULL, 0},
                         {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos, code = EXIT_FAILED;
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (!rc && readiness_option_given(opts)) {
        code = readiness_assess(c, opts, pos, npos);
        free(pos);
        return code;
    }
    if (rc || (npos != 3 && npos != 5)) {
        free(pos);
        if (rc) return rc < 0 ? EXIT_DONE : rc;
        return cli_usage_error(c, "assess needs ID L I, or ID L I RL RI (a requirement: ID "
                                  "--status WORD)");
    }
    rr_day on;
    struct record risk = {0}, a, previous = {0};
    record_init(&a, model_kind(K_ASSESSMENT));
    if (cli_date_option(c, &opts[0], &on) != 0) {
        code = EXIT_USAGE;
        goto out;
    }
    if (cli_rules(c) != 0) goto out;
    static const char *const names[] = {"likelihood", "impact", "residual_likelihood",
                                        "residual_impact"};
    char err[ERR_SIZE];
    for (int i = 0; i < npos - 1; i++) {
        int v;
        enum rating_words words =
            rating_word_is_five_scale(pos[i + 1]) ? RATING_WORDS_FIVE : RATING_WORDS_THREE;
        if (rating_parse(&c->cfg, i % 2, pos[i + 1], words, &v, err, sizeof err) != 0) {
            rr_error("%s: %s", names[i], err);
            goto out;
        }
        char buf[8];
        snprintf(buf, sizeof buf, "%d", v);
        record_set(&a, model_field_index(a.kind, names[i]), buf);
    }
    if (cli_open_write(c) != 0 || reg_begin(&c->reg) != 0) goto out;
    int found = write_find(&c->reg, pos[0], &risk);
    if (found < 0) goto out;
    if (found && risk.kind->id == K_REQUIREMENT) {
        code = cli_usage_error(c,
                               "%s is a requirement: its readiness is assessed with riskreg "
                               "assess %s --status WORD, not with ratings",
                               risk.v[0], risk.v[0]);
        goto out;
    }
    if (!found || risk.kind->id != K_RISK) {
        rr_error("%s is not a risk%s", pos[0], found ? "" : " in this register");
        goto out;
    }
    if (strcmp(record_get(&risk, "status"), "closed") == 0) {
        rr_error("%s is closed (on %s); reopen it first: riskreg set %s status=open closed_on=",
                 risk.v[0], record_get(&risk, "closed_on"), risk.v[0]);
        goto out;
    }
    char date[DATE_TEXT_SIZE];
    date_format(on, date);
    record_set(&a, 0, risk.v[0]);
    record_set(&a, 1, date);
    record_put(&a, "assessor", c->actor);
    record_put(&a, "note", opts[1].value);
    const char *field;
    if (write_check_assessment(&risk, &a, &field, err, sizeof err) != 0) {
        rr_error("%s: %s", field, err);
        goto out;
    }
    /* what it was: the latest assessment before this one */
    struct stmt *s = reg_cached(&c->reg, "SELECT max(assessed_on) FROM assessment WHERE "
                                         "risk_id = ?1 AND assessed_on <= ?2");
    stmt_bind_text(s, 1, risk.v[0]);
    stmt_bind_text(s, 2, date);
    char *prev_date = NULL;
    if (stmt_step(s) == SQLITE_ROW && stmt_text(s, 0)) prev_date = xstrdup(stmt_text(s, 0));
    stmt_reset(s);
    int replaced = 0;
    if (prev_date) {
        record_fetch(&c->reg, a.kind, risk.v[0], prev_date, &previous);
        replaced = strcmp(prev_date, date) == 0;
        free(prev_date);
    }
    rc = replaced ? record_update(&c->reg, &previous, &a, NULL) < 0
                  : record_insert(&c->reg, &a, NULL);
    if (rc != 0 || write_next_review(c, &risk, date, NULL) != 0 || reg_commit(&c->reg) != 0)
        goto out;
    if (!c->quiet) {
        printf("%s %sassessed on %s: ", risk.v[0], replaced ? "re" : "", date);
        print_scores(c, &a, previous.kind ? &previous : NULL);
        if (replaced) printf(" (replacing that day's earlier assessment)");
        printf("\n");
    }
    code = EXIT_DONE;
out:
    record_free(&risk);
    record_free(&a);
    record_free(&previous);
    free(pos);
    return code;
}

/* How each kind is closed: the status to set (or NULL) and the date field. */
static const struct {
    enum kind_id kind;
    const char *status;
    const char *date;
    const char *done_word;
} closers[] = {
    {K_RISK, "closed", "closed_on", "closed"},
    {K_IMPROVEMENT, "done", "done_on", "done"},
    {K_NONCONFORMITY, NULL, "closed_on", "closed"},
    {K_REVIEW_ACTION, "done", "closed_on", "done"},
};

int cmd_close(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--on", 1, NULL, 0}, {"--note", 1, NULL, 0}, {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos, code = EXIT_FAILED;
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    char *id = npos == 1 ? pos[0] : NULL;
    free(pos);
    if (rc) return rc < 0 ? EXIT_DONE : rc;
    if (!id) return cli_usage_error(c, "close takes one ID");
    rr_day on;
    if (cli_date_option(c, &opts[0], &on) != 0) return EXIT_USAGE;
    struct record before = {0}, after = {0};
    if (cli_open_write(c) != 0 || reg_begin(&c->reg) != 0) goto out;
    int found = write_find(&c->reg, id, &before);
    if (found <= 0) {
        if (found == 0) rr_error("there is no record %s", id);
        goto out;
    }
    int which = -1;
    for (size_t i = 0; i < sizeof closers / sizeof closers[0]; i++)
        if (closers[i].kind == before.kind->id) which = (int)i;
    if (which < 0) {
        rr_error("%s is %s %s, which is not closed; close risks, improvements, "
                 "nonconformities and review actions",
                 id, text_article(before.kind->singular), before.kind->singular);
        goto out;
    }
    const char *date_field = closers[which].date;
    const char *status = closers[which].status;
    const char *current = status ? record_get(&before, "status") : NULL;
    if (record_get(&before, date_field) || (current && strcmp(current, status) == 0) ||
        (current && strcmp(current, "rejected") == 0) ||
        (current && strcmp(current, "dropped") == 0)) {
        const char *when = record_get(&before, date_field);
        rr_error("%s is already %s%s%s; nothing changed", before.v[0],
                 current ? current : closers[which].done_word, when ? " on " : "",
                 when ? when : "");
        goto out;
    }
    char date[DATE_TEXT_SIZE];
    date_format(on, date);
    record_copy(&after, &before);
    record_set(&after, model_field_index(after.kind, date_field), date);
    if (status) record_set(&after, model_field_index(after.kind, "status"), status);
    if (before.kind->id == K_RISK) { /* a closed risk's next review, as the rules have it */
        char next[DATE_TEXT_SIZE];
        if (rules_next_review(c->rules, &after, NULL, next) != 0) goto out;
        record_set(&after, model_field_index(after.kind, "next_review_on"), next[0] ? next : NULL);
    }
    if (report_check(&after) != 0) goto out;
    if (before.kind->id == K_RISK) {
        struct stmt *s = reg_cached(&c->reg, "SELECT max(assessed_on) FROM assessment WHERE "
                                             "risk_id = ?1");
        stmt_bind_text(s, 1, before.v[0]);
        int bad =
            stmt_step(s) == SQLITE_ROW && stmt_text(s, 0) && strcmp(stmt_text(s, 0), date) > 0;
        if (bad)
            rr_error("--on: %s has an assessment on %s, after %s", before.v[0], stmt_text(s, 0),
                     date);
        stmt_reset(s);
        if (bad) goto out;
    }
    if (record_update(&c->reg, &before, &after, opts[1].value) < 0 || reg_commit(&c->reg) != 0)
        goto out;
    if (!c->quiet) printf("%s %s on %s\n", before.v[0], closers[which].done_word, date);
    code = EXIT_DONE;
out:
    record_free(&before);
    record_free(&after);
    return code;
}
