/* changelog.c - the hash-chained record of every change, and its printout (verify.c checks it).
 *
 * Entry n's hash is SHA-256 over its fields
 *   seq, at, actor, kind, record_id, row_key, operation, before, after, note, prev_hash
 * each written as a netstring ("LEN:BYTES,"; a missing value as "-,"), where before and after are
 * the row as JSON and prev_hash is entry n-1's hash (64 zeros for the first). Changing, removing
 * or reordering an entry breaks the chain from there on. */
#include "changelog.h"
#include "model.h"
#include "register.h"
#include "text.h"

#include <jansson.h>
#include <openssl/evp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char changelog_genesis_hash[] =
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

int changelog_entry_hash(long long seq, const char *const f[9], const char *prev, char out[65])
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
        memcpy(g->last_hash, changelog_genesis_hash, sizeof changelog_genesis_hash);
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
    if (changelog_entry_hash(seq, fields, g->last_hash, hash) != 0) {
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
