/* changelog.c - the hash-chained record of every change, its printout and its verification.
 *
 * Entry n's hash is SHA-256 over its fields
 *   seq, at, actor, kind, record_id, row_key, operation, before, after, note, prev_hash
 * each written as a netstring ("LEN:BYTES,"; a missing value as "-,"), where before and after are
 * the row as JSON and prev_hash is entry n-1's hash (64 zeros for the first). Changing, removing
 * or reordering an entry breaks the chain from there on. */
#include "changelog.h"
#include "map.h"
#include "model.h"
#include "record.h"
#include "register.h"
#include "text.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char genesis_hash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* Hash input: each field as a netstring ("5:hello,"), a missing one as "-,", so that no two
 * different entries can give the same bytes. */
static void hash_field(EVP_MD_CTX *ctx, const char *s)
{
    if (!s) {
        EVP_DigestUpdate(ctx, "-,", 2);
        return;
    }
    size_t n = strlen(s);
    char len[24];
    int k = (int)sizeof len;
    len[--k] = ':';
    do {
        len[--k] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    EVP_DigestUpdate(ctx, len + k, sizeof len - (size_t)k);
    EVP_DigestUpdate(ctx, s, strlen(s));
    EVP_DigestUpdate(ctx, ",", 1);
}

/* One SHA-256 implementation fetched for the whole run (OpenSSL 3 looks it up on every
 * one-shot call otherwise). */
static EVP_MD *sha256;
static EVP_MD_CTX *sha256_ctx;

void changelog_cleanup(void)
{
    EVP_MD_CTX_free(sha256_ctx);
    EVP_MD_free(sha256);
    sha256_ctx = NULL;
    sha256 = NULL;
}

static int entry_hash(long long seq, const char *const f[9], const char *prev, char out[65])
{
    if (!sha256 && !(sha256 = EVP_MD_fetch(NULL, "SHA256", NULL))) return -1;
    if (!sha256_ctx && !(sha256_ctx = EVP_MD_CTX_new())) return -1;
    if (!EVP_DigestInit_ex2(sha256_ctx, sha256, NULL)) return -1;
    char number[24];
    snprintf(number, sizeof number, "%lld", seq);
    hash_field(sha256_ctx, number);
    for (int i = 0; i < 9; i++)
        hash_field(sha256_ctx, f[i]);
    hash_field(sha256_ctx, prev);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!EVP_DigestFinal_ex(sha256_ctx, digest, &len) || len != 32) return -1;
    text_hex(digest, len, out);
    return 0;
}

static int load_chain_head(struct reg *g)
{
    struct stmt *s = reg_cached(g, "SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1");
    if (!s) return -1;
    int rc = stmt_step(s);
    if (rc == SQLITE_ROW) {
        g->last_seq = stmt_int(s, 0);
        snprintf(g->last_hash, sizeof g->last_hash, "%s", stmt_text(s, 1));
    } else if (rc == SQLITE_DONE) {
        g->last_seq = 0;
        memcpy(g->last_hash, genesis_hash, sizeof genesis_hash);
    }
    stmt_reset(s);
    return rc < 0 ? -1 : 0;
}

int changelog_append(struct reg *g, const char *table, const char *record_id, const char *row_key,
                     const char *operation, const char *before, const char *after, const char *note)
{
    if (g->last_seq < 0 && load_chain_head(g) != 0) return -1;
    long long seq = g->last_seq + 1;
    const char *fields[9] = {g->now,    g->actor, table, record_id, row_key,
                             operation, before,   after, note};
    char hash[65];
    if (entry_hash(seq, fields, g->last_hash, hash) != 0) {
        rr_error("cannot compute the change-log hash");
        return -1;
    }
    struct stmt *s = reg_cached(g, "INSERT INTO change_log (seq, at, actor, kind, record_id, "
                                   "row_key, operation, before, after, note, prev_hash, hash) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!s) return -1;
    stmt_bind_int(s, 1, seq);
    for (int i = 0; i < 9; i++)
        stmt_bind_text(s, i + 2, fields[i]);
    stmt_bind_text(s, 11, g->last_hash);
    stmt_bind_text(s, 12, hash);
    int rc = stmt_step(s);
    stmt_reset(s);
    if (rc < 0) return -1;
    g->last_seq = seq;
    memcpy(g->last_hash, hash, sizeof hash);
    return 0;
}

/* ---- printing ---- */

static json_t *field_title(json_t *row)
{
    static const char *const names[] = {"title", "name", "text", NULL};
    for (int i = 0; names[i]; i++) {
        json_t *v = json_object_get(row, names[i]);
        if (json_is_string(v)) return v;
    }
    return NULL;
}

static void value_text(struct strbuf *sb, json_t *v)
{
    if (!v || json_is_null(v)) {
        sb_puts(sb, "(none)");
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        struct strbuf one = STRBUF_INIT;
        for (; *s; s++)
            sb_putc(&one, *s == '\n' ? ' ' : *s);
        text_utf8_clip(sb, sb_str(&one), 48);
        sb_free(&one);
    } else {
        char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
        sb_puts(sb, t ? t : "?");
        free(t);
    }
}

static void describe_entry(struct strbuf *sb, const char *op, const char *kind, const char *key,
                           json_t *before, json_t *after)
{
    const struct kind *k = model_find_kind(kind);
    const char *what = k ? k->singular : kind;
    if (strcmp(op, "insert") == 0) {
        sb_printf(sb, "added %s %s", what, key);
        json_t *title = field_title(after);
        if (title) {
            sb_puts(sb, ": ");
            value_text(sb, title);
        }
        return;
    }
    if (strcmp(op, "delete") == 0) {
        sb_printf(sb, "removed %s %s", what, key);
        return;
    }
    sb_printf(sb, "changed %s %s:", what, key);
    const char *name;
    json_t *v;
    int n = 0;
    json_object_foreach(after, name, v)
    {
        json_t *old = json_object_get(before, name);
        if (old && json_equal(old, v)) continue;
        sb_printf(sb, "%s %s ", n++ ? "," : "", name);
        value_text(sb, old);
        sb_puts(sb, " → ");
        value_text(sb, v);
    }
}

int changelog_print(struct reg *g, const char *id, const char *since, int json)
{
    struct stmt s;
    if (stmt_prepare(g, &s,
                     "SELECT seq, at, actor, kind, record_id, row_key, operation, before, after, "
                     "note FROM change_log WHERE (?1 IS NULL OR record_id = ?1 COLLATE NOCASE) "
                     "AND (?2 IS NULL OR at >= ?2) ORDER BY seq") != 0)
        return 1;
    stmt_bind_text(&s, 1, id);
    stmt_bind_text(&s, 2, since);
    json_t *list = json ? json_array() : NULL;
    int rc, count = 0;
    while ((rc = stmt_step(&s)) == SQLITE_ROW) {
        count++;
        json_t *before = stmt_text(&s, 7) ? json_loads(stmt_text(&s, 7), 0, NULL) : NULL;
        json_t *after = stmt_text(&s, 8) ? json_loads(stmt_text(&s, 8), 0, NULL) : NULL;
        if (json) {
            json_t *e = json_pack(
                "{sI ss ss ss ss ss ss so* so* ss*}", "seq", (json_int_t)stmt_int(&s, 0), "at",
                stmt_text(&s, 1), "actor", stmt_text(&s, 2), "kind", stmt_text(&s, 3), "record_id",
                stmt_text(&s, 4), "row_key", stmt_text(&s, 5), "operation", stmt_text(&s, 6),
                "before", before, "after", after, "note", stmt_text(&s, 9));
            json_array_append_new(list, e);
            continue;
        }
        struct strbuf line = STRBUF_INIT;
        char at[17];
        snprintf(at, sizeof at, "%.10s %.5s", stmt_text(&s, 1), stmt_text(&s, 1) + 11);
        sb_printf(&line, "#%-5lld %s  %-12s ", stmt_int(&s, 0), at, stmt_text(&s, 2));
        json_t *empty = json_object();
        describe_entry(&line, stmt_text(&s, 6), stmt_text(&s, 3), stmt_text(&s, 5),
                       before ? before : empty, after ? after : empty);
        json_decref(empty);
        if (stmt_text(&s, 9)) sb_printf(&line, " — %s", stmt_text(&s, 9));
        puts(sb_str(&line));
        sb_free(&line);
        json_decref(before);
        json_decref(after);
    }
    stmt_finalize(&s);
    if (json) {
        char *text =
            json_dumps(list, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        puts(text);
        free(text);
        json_decref(list);
    } else if (rc >= 0 && count == 0) {
        puts(id ? "no changes recorded for that record" : "no changes recorded yet");
    }
    return rc < 0 ? 1 : 0;
}

/* ---- verification ---- */

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
    memcpy(prev, genesis_hash, sizeof genesis_hash);
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
            } else if (entry_hash(seq, f, prev, hash) != 0 ||
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

static void differing_fields(struct strbuf *sb, const char *logged, const char *current)
{
    json_t *a = json_loads(logged, 0, NULL), *b = json_loads(current, 0, NULL);
    const char *name;
    json_t *value;
    int n = 0;
    json_object_foreach(b, name, value)
    {
        json_t *old = json_object_get(a, name);
        if (!old || !json_equal(old, value)) sb_printf(sb, "%s%s", n++ ? ", " : "", name);
    }
    json_decref(a);
    json_decref(b);
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
        if (strcmp(e->after, json) != 0) {
            struct strbuf fields = STRBUF_INIT;
            differing_fields(&fields, e->after, json);
            problem(v,
                    "%s %s differs from change log entry %lld (%s): it was changed outside "
                    "riskreg",
                    rec->kind->singular, row_key, e->seq, sb_str(&fields));
            sb_free(&fields);
        }
    }
    free(json);
    free(row_key);
    sb_free(&key);
    return 0;
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

int changelog_verify(struct reg *g)
{
    struct verify v = {.g = g};
    /* one read transaction: the chain and the tables are compared as of one moment, while
     * others go on writing */
    int rc = reg_exec(g, "BEGIN DEFERRED");
    if (rc == 0) rc = check_sqlite(&v);
    if (rc == 0) rc = check_chain(&v);
    for (int k = 0; rc == 0 && k < KIND_COUNT; k++)
        rc = record_each(g, model_kind(k), compare_row, &v);
    if (rc == 0) map_each(&v.last, report_deleted, &v);
    reg_exec(g, "COMMIT");
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
           "record matches its last entry\n",
           v.entries, v.entries == 1 ? "y" : "ies");
    return 0;
}
