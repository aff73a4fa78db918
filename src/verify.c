/* verify.c - riskreg verify: SQLite's integrity and foreign keys, the change log's whole hash
 * chain, and the register against the log's last word on every row, as of one moment. */
#include "changelog.h"
#include "map.h"
#include "model.h"
#include "record.h"
#include "register.h"
#include "text.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The log's last word on each row, keyed "table\x1frow_key". */
struct last_entry {
    char *after; /* NULL when the row was deleted */
    long long seq;
    int seen;
};

static void remember_entry(struct map *m, const char *key, const char *after, long long seq)
{
    struct last_entry *e = map_get(m, key);
    if (!e) {
        e = xcalloc(1, sizeof *e);
        map_put(m, key, e);
    }
    free(e->after);
    e->after = after ? xstrdup(after) : NULL;
    e->seq = seq;
}

static void free_entry(const char *key, void *value, void *data)
{
    (void)key;
    (void)data;
    struct last_entry *e = value;
    free(e->after);
    free(e);
}

struct verify {
    struct reg *g;
    struct map last;
    int problems;
    long long entries;
    const struct kind *kind;
};

#define MAX_REPORTED 20

static void problem(struct verify *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct verify *v, const char *fmt, ...)
{
    if (v->problems++ >= MAX_REPORTED) return;
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    printf("FAIL %s\n", sb_str(&sb));
    sb_free(&sb);
}

static int check_sqlite(struct verify *v)
{
    struct stmt s;
    if (stmt_prepare(v->g, &s, "PRAGMA integrity_check") != 0) return -1;
    int rc;
    while ((rc = stmt_step(&s)) == SQLITE_ROW)
        if (strcmp(stmt_text(&s, 0), "ok") != 0)
            problem(v, "SQLite integrity: %s", stmt_text(&s, 0));
    stmt_finalize(&s);
    if (rc < 0) return -1;
    if (stmt_prepare(v->g, &s, "PRAGMA foreign_key_check") != 0) return -1;
    while ((rc = stmt_step(&s)) == SQLITE_ROW)
        problem(v, "%s row %lld refers to a %s that does not exist", stmt_text(&s, 0),
                stmt_int(&s, 1), stmt_text(&s, 2));
    stmt_finalize(&s);
    return rc < 0 ? -1 : 0;
}

static int check_chain(struct verify *v)
{
    struct stmt s;
    if (stmt_prepare(v->g, &s,
                     "SELECT seq, at, actor, kind, record_id, row_key, operation, "
                     "before, after, note, prev_hash, hash FROM change_log ORDER BY seq") != 0)
        return -1;
    char prev[65];
    memcpy(prev, changelog_genesis_hash, 65);
    long long expect = 1;
    int broken = 0, rc;
    struct strbuf key = STRBUF_INIT;
    while ((rc = stmt_step(&s)) == SQLITE_ROW) {
        long long seq = stmt_int(&s, 0);
        const char *f[9];
        for (int i = 0; i < 9; i++)
            f[i] = stmt_text(&s, i + 1);
        const char *stored_prev = stmt_text(&s, 10), *stored_hash = stmt_text(&s, 11);
        v->entries++;
        if (!broken) {
            char hash[65] = "";
            if (seq != expect) {
                if (seq > expect)
                    problem(v,
                            "change log: entr%s %lld%s missing (entry %lld follows entry %lld): "
                            "entries were deleted",
                            seq - expect > 1 ? "ies" : "y", expect,
                            seq - expect > 1 ? " and on are" : " is", seq, expect - 1);
                else
                    problem(v, "change log: entry %lld is out of order", seq);
                broken = 1;
            } else if (strcmp(stored_prev ? stored_prev : "", prev) != 0) {
                problem(v,
                        "change log: entry %lld (%s %s, %s) does not follow entry %lld: entries "
                        "were reordered, removed or replaced",
                        seq, f[5] ? f[5] : "?", f[6] ? f[6] : "?", f[0] ? f[0] : "?", seq - 1);
                broken = 1;
            } else if (changelog_entry_hash(seq, f, prev, hash) != 0 ||
                       strcmp(hash, stored_hash ? stored_hash : "") != 0) {
                problem(v,
                        "change log: entry %lld (%s %s, %s by %s) was altered after it was "
                        "written",
                        seq, f[5] ? f[5] : "?", f[6] ? f[6] : "?", f[0] ? f[0] : "?",
                        f[1] ? f[1] : "?");
                broken = 1;
            }
            if (!broken) memcpy(prev, stored_hash, 65);
        }
        expect = seq + 1;
        if (f[2] && f[4]) {
            sb_reset(&key);
            sb_printf(&key, "%s\x1f%s", f[2], f[4]);
            remember_entry(&v->last, key.data, f[7], seq);
        }
    }
    sb_free(&key);
    stmt_finalize(&s);
    return rc < 0 ? -1 : 0;
}

/* The value a column of k's table takes when a migration adds it (its declared default, or
 * null): a field an older entry does not have must hold it. New reference; NULL on error. */
static json_t *column_default(struct verify *v, const struct kind *k, const char *column)
{
    struct stmt s;
    if (stmt_prepare(v->g, &s, "SELECT dflt_value FROM pragma_table_info(?1) WHERE name = ?2") != 0)
        return NULL;
    stmt_bind_text(&s, 1, k->table);
    stmt_bind_text(&s, 2, column);
    json_t *value = json_null();
    if (stmt_step(&s) == SQLITE_ROW && stmt_text(&s, 0)) {
        const char *d = stmt_text(&s, 0);
        size_t n = strlen(d);
        if (n >= 2 && d[0] == '\'' && d[n - 1] == '\'') { /* 'held': a word */
            json_decref(value);
            value = json_stringn(d + 1, n - 2);
        }
    }
    stmt_finalize(&s);
    return value;
}

/* Does the row (JSON) say what the logged entry said? The fields that differ go to fields. A
 * field the entry lacks was added by a later migration: it must still hold the column's
 * default. */
static int same_as_logged(struct verify *v, const struct kind *k, const char *logged,
                          const char *current, struct strbuf *fields)
{
    if (strcmp(logged, current) == 0) return 1;
    json_t *a = json_loads(logged, 0, NULL), *b = json_loads(current, 0, NULL);
    int differ = 0, unreadable = !a || !b;
    const char *name;
    json_t *value;
    json_object_foreach(b, name, value)
    {
        json_t *old = json_object_get(a, name);
        int same;
        if (old) {
            same = json_equal(old, value);
        } else {
            json_t *d = column_default(v, k, name);
            same = d && json_equal(d, value);
            json_decref(d);
        }
        if (!same) sb_printf(fields, "%s%s", differ++ ? ", " : "", name);
    }
    json_decref(a);
    json_decref(b);
    return !differ && !unreadable;
}

static int compare_row(const struct record *rec, void *data)
{
    struct verify *v = data;
    char *row_key = record_row_key(rec);
    struct strbuf key = STRBUF_INIT;
    sb_printf(&key, "%s\x1f%s", rec->kind->table, row_key);
    struct last_entry *e = map_get(&v->last, key.data);
    char *json = record_json_text(rec);
    if (!e || !e->after) {
        problem(v, "%s %s is not in the change log: it was added outside riskreg",
                rec->kind->singular, row_key);
    } else {
        e->seen = 1;
        struct strbuf fields = STRBUF_INIT;
        if (!same_as_logged(v, rec->kind, e->after, json, &fields)) {
            problem(v,
                    "%s %s differs from change log entry %lld (%s): it was changed outside "
                    "riskreg",
                    rec->kind->singular, row_key, e->seq, sb_str(&fields));
        }
        sb_free(&fields);
    }
    free(json);
    free(row_key);
    sb_free(&key);
    return 0;
}

/* Settings the register holds (the matrix size) against their last entry; one that has none
 * was written before settings were logged, and is taken as it is. */
static int compare_settings(struct verify *v)
{
    struct stmt s;
    if (stmt_prepare(v->g, &s, "SELECT name, value FROM setting ORDER BY name") != 0) return -1;
    int rc;
    struct strbuf key = STRBUF_INIT;
    while ((rc = stmt_step(&s)) == SQLITE_ROW) {
        const char *name = stmt_text(&s, 0);
        sb_reset(&key);
        sb_printf(&key, "setting\x1f%s", name);
        struct last_entry *e = map_get(&v->last, key.data);
        if (!e) continue;
        e->seen = 1;
        json_t *row = json_pack("{sssI}", "name", name, "value", (json_int_t)stmt_int(&s, 1));
        json_t *logged = e->after ? json_loads(e->after, 0, NULL) : NULL;
        if (!logged || !json_equal(row, logged))
            problem(v,
                    "setting %s differs from change log entry %lld: it was changed outside "
                    "riskreg",
                    name, e->seq);
        json_decref(row);
        json_decref(logged);
    }
    sb_free(&key);
    stmt_finalize(&s);
    return rc < 0 ? -1 : 0;
}

/* The figures kept for held reviews: their SHA-256 is the one stored beside them and the one
 * the change log recorded when they were kept. */
static int compare_snapshots(struct verify *v)
{
    struct stmt s;
    if (stmt_prepare(v->g, &s,
                     "SELECT review_id, as_of, figures, hash FROM review_snapshot "
                     "ORDER BY length(review_id), review_id") != 0)
        return -1;
    int rc;
    struct strbuf key = STRBUF_INIT;
    while ((rc = stmt_step(&s)) == SQLITE_ROW) {
        const char *id = stmt_text(&s, 0), *as_of = stmt_text(&s, 1);
        const char *figures = stmt_text(&s, 2), *stored = stmt_text(&s, 3);
        char hash[65];
        if (text_sha256_hex(figures, strlen(figures), hash) != 0) {
            rr_error("cannot compute a SHA-256");
            rc = -1;
            break;
        }
        sb_reset(&key);
        sb_printf(&key, "review_snapshot\x1f%s", id);
        struct last_entry *e = map_get(&v->last, key.data);
        json_t *logged = e && e->after ? json_loads(e->after, 0, NULL) : NULL;
        const char *logged_hash = json_string_value(json_object_get(logged, "hash"));
        if (e) e->seen = 1;
        if (strcmp(hash, stored) != 0)
            problem(v,
                    "review %s: the figures kept when it was held (as of %s) do not match their "
                    "SHA-256: they were changed outside riskreg",
                    id, as_of);
        else if (!e)
            problem(v,
                    "review %s: its kept figures are not in the change log: they were added "
                    "outside riskreg",
                    id);
        else if (!logged_hash || strcmp(logged_hash, hash) != 0)
            problem(v,
                    "review %s: the figures kept when it was held differ from change log entry "
                    "%lld: they were changed outside riskreg",
                    id, e->seq);
        json_decref(logged);
    }
    sb_free(&key);
    stmt_finalize(&s);
    return rc < 0 ? -1 : 0;
}

static void report_deleted(const char *key, void *value, void *data)
{
    struct last_entry *e = value;
    if (!e->after || e->seen) return;
    const char *sep = strchr(key, '\x1f');
    char table[64];
    snprintf(table, sizeof table, "%.*s", (int)(sep - key), key);
    const struct kind *k = model_find_kind(table);
    problem(data,
            "%s %s (change log entry %lld) is missing from the register: it was deleted "
            "outside riskreg",
            k ? k->singular : table, sep + 1, e->seq);
}

static void guard_problem(void *data, const char *what)
{
    problem(data, "%s", what);
}

int changelog_verify(struct reg *g)
{
    struct verify v = {.g = g};
    /* one read transaction: the chain and the tables are compared as of one moment, while
     * others go on writing */
    int rc = reg_begin_read(g);
    if (rc == 0) rc = check_sqlite(&v);
    if (rc == 0) rc = check_chain(&v);
    for (int k = 0; rc == 0 && k < KIND_COUNT; k++)
        rc = record_each(g, model_kind(k), compare_row, &v);
    if (rc == 0) rc = compare_settings(&v);
    if (rc == 0) rc = compare_snapshots(&v);
    if (rc == 0) map_each(&v.last, report_deleted, &v);
    reg_end_read(g);
    if (rc == 0) rc = g->backend->check_guards(g, guard_problem, &v);
    map_each(&v.last, free_entry, NULL);
    map_free(&v.last);
    if (rc != 0) return 1;
    if (v.problems > MAX_REPORTED) printf("… and %d more problems\n", v.problems - MAX_REPORTED);
    if (v.problems) {
        rr_error("verify: %d problem%s found in %s", v.problems, v.problems == 1 ? "" : "s",
                 g->path);
        return 1;
    }
    printf("ok: SQLite integrity and foreign keys hold; %lld change-log entr%s chained; every "
           "record matches its last entry, and every held review's figures their hash; the "
           "append-only guards are in place\n",
           v.entries, v.entries == 1 ? "y" : "ies");
    return 0;
}
