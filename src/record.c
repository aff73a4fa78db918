/* record.c - one row of the register in memory, read and written with its change-log entry */
#include "record.h"
#include "changelog.h"
#include "register.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void record_init(struct record *rec, const struct kind *k)
{
    memset(rec, 0, sizeof *rec);
    rec->kind = k;
}

void record_free(struct record *rec)
{
    for (int i = 0; i < MAX_FIELDS; i++) {
        free(rec->v[i]);
        rec->v[i] = NULL;
    }
}

void record_copy(struct record *dst, const struct record *src)
{
    record_init(dst, src->kind);
    for (int i = 0; i < src->kind->nfields; i++)
        dst->v[i] = src->v[i] ? xstrdup(src->v[i]) : NULL;
}

void record_set(struct record *rec, int field, const char *value)
{
    char *copy = value ? xstrdup(value) : NULL;
    free(rec->v[field]);
    rec->v[field] = copy;
}

const char *record_get(const struct record *rec, const char *name)
{
    int i = model_field_index(rec->kind, name);
    return i < 0 ? NULL : rec->v[i];
}

void record_put(struct record *rec, const char *name, const char *value)
{
    record_set(rec, model_field_index(rec->kind, name), value);
}

int record_equal(const struct record *a, const struct record *b)
{
    if (a->kind != b->kind) return 0;
    for (int i = 0; i < a->kind->nfields; i++) {
        const char *x = a->v[i], *y = b->v[i];
        if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0)) return 0;
    }
    return 1;
}

const char *record_id(const struct record *rec)
{
    return rec->v[rec->kind->owner_field];
}

char *record_row_key(const struct record *rec)
{
    const struct kind *k = rec->kind;
    if (k->prefix) return xstrdup(rec->v[0] ? rec->v[0] : "");
    struct strbuf sb = STRBUF_INIT;
    int first = 1;
    for (int i = 0; i < k->nfields; i++) {
        if (!(k->fields[i].flags & FF_KEY)) continue;
        if (!first) sb_putc(&sb, '@');
        sb_puts(&sb, rec->v[i] ? rec->v[i] : "");
        first = 0;
    }
    return sb_take(&sb);
}

/* A JSON string even from bytes that are not UTF-8 (a register edited behind riskreg's back). */
static json_t *json_text(const char *s)
{
    json_t *j = json_string(s);
    if (j) return j;
    struct strbuf sb = STRBUF_INIT;
    size_t n = strlen(s);
    while (n) {
        long bad = text_utf8_invalid_at(s, n);
        if (bad < 0) {
            sb_add(&sb, s, n);
            break;
        }
        sb_add(&sb, s, (size_t)bad);
        sb_puts(&sb, "\xEF\xBF\xBD");
        s += bad + 1;
        n -= (size_t)bad + 1;
    }
    j = json_string(sb_str(&sb));
    sb_free(&sb);
    return j;
}

json_t *record_json(const struct record *rec)
{
    json_t *obj = json_object();
    const struct kind *k = rec->kind;
    for (int i = 0; i < k->nfields; i++) {
        const char *v = rec->v[i];
        json_t *value;
        if (!v)
            value = json_null();
        else if (k->fields[i].type == FT_DAYS || k->fields[i].type == FT_RATING)
            value = json_integer(strtoll(v, NULL, 10));
        else if (k->fields[i].type == FT_NUMBER)
            value = json_real(strtod(v, NULL));
        else
            value = json_text(v);
        json_object_set_new_nocheck(obj, k->fields[i].name, value); /* names are ASCII */
    }
    return obj;
}

char *record_json_text(const struct record *rec)
{
    /* dumped into a buffer that fits most records (an import logs every row it writes) */
    json_t *obj = record_json(rec);
    char first[4096];
    size_t n = json_dumpb(obj, first, sizeof first, RR_JSON_FLAGS);
    char *text = NULL;
    if (n > 0 && n < sizeof first) {
        text = xmalloc(n + 1);
        memcpy(text, first, n);
        text[n] = 0;
    } else if (n > 0) {
        text = xmalloc(n + 1);
        json_dumpb(obj, text, n, RR_JSON_FLAGS);
        text[n] = 0;
    }
    json_decref(obj);
    return text;
}

/* SQL for each kind, built once from the model's names (never from user input). */
enum {
    SQL_SELECT_ALL,
    SQL_SELECT_KEY,
    SQL_INSERT,
    SQL_UPDATE,
    SQL_BY_TITLE,
    SQL_LATEST,
    SQL_KINDS
};
static char *kind_sql_text[KIND_COUNT][SQL_KINDS];

static void add_columns(struct strbuf *sb, const struct kind *k)
{
    for (int i = 0; i < k->nfields; i++)
        sb_printf(sb, "%s%s", i ? ", " : "", k->fields[i].name);
}

static void add_key_condition(struct strbuf *sb, const struct kind *k, int first_param)
{
    sb_puts(sb, " WHERE ");
    int n = 0;
    for (int i = 0; i < k->nfields; i++) {
        if (!(k->prefix ? i == 0 : (k->fields[i].flags & FF_KEY) != 0)) continue;
        sb_printf(sb, "%s%s = ?%d", n ? " AND " : "", k->fields[i].name, first_param + n);
        n++;
    }
}

/* The field that names a record for people: title, name or text. */
static int title_field(const struct kind *k)
{
    static const char *const names[] = {"title", "name", "text"};
    for (int i = 0; i < 3; i++) {
        int f = model_field_index(k, names[i]);
        if (f >= 0) return f;
    }
    return -1;
}

static const char *kind_sql(const struct kind *k, int which)
{
    char **slot = &kind_sql_text[k->id][which];
    if (*slot != NULL) return (const char *)*slot;
    struct strbuf sb = STRBUF_INIT;
    switch (which) {
    case SQL_SELECT_ALL:
    case SQL_SELECT_KEY:
        sb_puts(&sb, "SELECT ");
        add_columns(&sb, k);
        sb_printf(&sb, " FROM %s", k->table);
        if (which == SQL_SELECT_KEY)
            add_key_condition(&sb, k, 1);
        else
            sb_printf(&sb, " ORDER BY %s", k->order_by);
        break;
    case SQL_INSERT:
        sb_printf(&sb, "INSERT INTO %s (", k->table);
        add_columns(&sb, k);
        sb_puts(&sb, ") VALUES (");
        for (int i = 0; i < k->nfields; i++)
            sb_printf(&sb, "%s?%d", i ? ", " : "", i + 1);
        sb_putc(&sb, ')');
        break;
    case SQL_UPDATE:
        sb_printf(&sb, "UPDATE %s SET ", k->table);
        for (int i = 0; i < k->nfields; i++)
            sb_printf(&sb, "%s%s = ?%d", i ? ", " : "", k->fields[i].name, i + 1);
        add_key_condition(&sb, k, k->nfields + 1);
        break;
    case SQL_BY_TITLE:
        sb_printf(&sb, "SELECT id FROM %s WHERE %s = ?1 COLLATE NOCASE LIMIT 2", k->table,
                  k->fields[title_field(k)].name);
        break;
    }
    *slot = sb_take(&sb);
    return *slot;
}

void record_cleanup(void)
{
    for (int k = 0; k < KIND_COUNT; k++)
        for (int w = 0; w < SQL_KINDS; w++) {
            free(kind_sql_text[k][w]);
            kind_sql_text[k][w] = NULL;
        }
}

static void load_row(struct stmt *s, const struct kind *k, struct record *out)
{
    char number[32];
    record_init(out, k);
    for (int i = 0; i < k->nfields; i++) {
        if (sqlite3_column_type(s->st, i) == SQLITE_NULL) continue;
        if (k->fields[i].type == FT_NUMBER) {
            text_format_number(sqlite3_column_double(s->st, i), number, sizeof number);
            out->v[i] = xstrdup(number);
        } else {
            out->v[i] = xstrdup(stmt_text(s, i));
        }
    }
}

static void bind_record(struct stmt *s, const struct record *rec)
{
    const struct kind *k = rec->kind;
    for (int i = 0; i < k->nfields; i++) {
        const char *v = rec->v[i];
        if (v && (k->fields[i].type == FT_DAYS || k->fields[i].type == FT_RATING))
            stmt_bind_int(s, i + 1, strtoll(v, NULL, 10));
        else if (v && k->fields[i].type == FT_NUMBER)
            stmt_bind_double(s, i + 1, strtod(v, NULL));
        else
            stmt_bind_text(s, i + 1, v);
    }
}

int record_fetch(struct reg *g, const struct kind *k, const char *key1, const char *key2,
                 struct record *out)
{
    struct stmt *s = reg_cached(g, kind_sql(k, SQL_SELECT_KEY));
    if (!s) return -1;
    stmt_bind_text(s, 1, key1);
    if (!k->prefix) stmt_bind_text(s, 2, key2);
    int rc = stmt_step(s);
    if (rc == SQLITE_ROW) load_row(s, k, out);
    stmt_reset(s);
    return rc < 0 ? -1 : rc == SQLITE_ROW;
}

/* Every row a prepared statement gives, as records of kind k, to fn until it returns non-zero;
 * the statement is finalized. */
static int each_row(struct stmt *s, const struct kind *k, record_fn fn, void *data)
{
    int rc;
    while ((rc = stmt_step(s)) == SQLITE_ROW) {
        struct record rec;
        load_row(s, k, &rec);
        int stop = fn(&rec, data);
        record_free(&rec);
        if (stop) {
            rc = SQLITE_DONE;
            break;
        }
    }
    stmt_finalize(s);
    return rc < 0 ? -1 : 0;
}

int record_each(struct reg *g, const struct kind *k, record_fn fn, void *data)
{
    struct stmt s;
    if (stmt_prepare(g, &s, kind_sql(k, SQL_SELECT_ALL)) != 0) return -1;
    return each_row(&s, k, fn, data);
}

int record_each_where(struct reg *g, const struct kind *k, int field, const char *value,
                      record_fn fn, void *data)
{
    struct strbuf sql = STRBUF_INIT;
    sb_puts(&sql, "SELECT ");
    add_columns(&sql, k);
    sb_printf(&sql, " FROM %s WHERE %s = ?1 ORDER BY %s", k->table, k->fields[field].name,
              k->order_by);
    struct stmt s;
    int rc = stmt_prepare(g, &s, sql.data);
    sb_free(&sql);
    if (rc != 0) return -1;
    stmt_bind_text(&s, 1, value);
    return each_row(&s, k, fn, data);
}

int record_fetch_latest(struct reg *g, const struct kind *k, const char *owner, struct record *out)
{
    record_init(out, NULL);
    if (!kind_sql_text[k->id][SQL_LATEST]) {
        int key[2], nkeys = 0;
        for (int i = 0; i < k->nfields && nkeys < 2; i++)
            if (k->fields[i].flags & FF_KEY) key[nkeys++] = i;
        if (k->prefix || nkeys != 2) return -1;
        struct strbuf sql = STRBUF_INIT;
        sb_puts(&sql, "SELECT ");
        add_columns(&sql, k);
        sb_printf(&sql, " FROM %s WHERE %s = ?1 ORDER BY %s DESC LIMIT 1", k->table,
                  k->fields[key[0]].name, k->fields[key[1]].name);
        kind_sql_text[k->id][SQL_LATEST] = sb_take(&sql);
    }
    struct stmt *s = reg_cached(g, kind_sql_text[k->id][SQL_LATEST]);
    if (!s) return -1;
    stmt_bind_text(s, 1, owner);
    int rc = stmt_step(s);
    if (rc == SQLITE_ROW) load_row(s, k, out);
    stmt_reset(s);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* texts: the records' change-log texts when made ahead, else NULL */
static int log_change(struct reg *g, const struct record *before, const struct record *after,
                      const char *operation, const char *note, const char *const texts[2])
{
    const struct record *rec = after ? after : before;
    if (!rec) return -1;
    char *key = record_row_key(rec);
    char *made[2] = {NULL, NULL};
    const struct record *recs[2] = {before, after};
    const char *text[2];
    for (int i = 0; i < 2; i++) {
        text[i] = texts[i];
        if (recs[i] && !text[i]) text[i] = made[i] = record_json_text(recs[i]);
    }
    int rc = changelog_append(g, rec->kind->table, record_id(rec), key, operation, text[0], text[1],
                              note);
    free(key);
    free(made[0]);
    free(made[1]);
    return rc;
}

int record_insert(struct reg *g, const struct record *rec, const char *note)
{
    return record_insert_logged(g, rec, note, NULL);
}

int record_insert_logged(struct reg *g, const struct record *rec, const char *note,
                         const char *after_json)
{
    struct stmt *s = reg_cached(g, kind_sql(rec->kind, SQL_INSERT));
    if (!s) return -1;
    bind_record(s, rec);
    int rc = stmt_step(s);
    stmt_reset(s);
    if (rc < 0) return -1;
    const char *texts[2] = {NULL, after_json};
    return log_change(g, NULL, rec, "insert", note, texts);
}

int record_update(struct reg *g, const struct record *before, const struct record *after,
                  const char *note)
{
    return record_update_logged(g, before, after, note, NULL, NULL);
}

int record_update_logged(struct reg *g, const struct record *before, const struct record *after,
                         const char *note, const char *before_json, const char *after_json)
{
    if (record_equal(before, after)) return 0;
    const struct kind *k = after->kind;
    struct stmt *s = reg_cached(g, kind_sql(k, SQL_UPDATE));
    if (!s) return -1;
    bind_record(s, after);
    int p = k->nfields + 1;
    for (int i = 0; i < k->nfields; i++)
        if (k->prefix ? i == 0 : (k->fields[i].flags & FF_KEY) != 0)
            stmt_bind_text(s, p++, before->v[i]);
    int rc = stmt_step(s);
    stmt_reset(s);
    if (rc < 0) return -1;
    const char *texts[2] = {before_json, after_json};
    return log_change(g, before, after, "update", note, texts) == 0 ? 1 : -1;
}

const struct kind *record_find_id(struct reg *g, const char *id, char **stored)
{
    *stored = NULL;
    struct stmt *s = reg_cached(g, "SELECT id, kind FROM record_id WHERE id = ?1");
    if (!s) return NULL;
    stmt_bind_text(s, 1, id);
    const struct kind *found = NULL;
    if (stmt_step(s) == SQLITE_ROW) {
        *stored = xstrdup(stmt_text(s, 0));
        for (int i = 0; i < KIND_COUNT; i++)
            if (strcmp(model_kind(i)->table, stmt_text(s, 1)) == 0) found = model_kind(i);
    }
    stmt_reset(s);
    return found;
}

long long record_highest_number(struct reg *g, const char *prefix)
{
    /* the highest number any ID with this prefix carries, in any kind */
    struct stmt *s = reg_cached(g, "SELECT coalesce(max(CAST(substr(id, length(?1) + 1) AS "
                                   "INTEGER)), 0) FROM record_id WHERE id LIKE ?1 || '%' AND "
                                   "substr(id, length(?1) + 1) NOT GLOB '*[^0-9]*' AND "
                                   "length(id) > length(?1)");
    long long highest = -1;
    if (!s) return -1;
    stmt_bind_text(s, 1, prefix);
    if (stmt_step(s) == SQLITE_ROW) highest = stmt_int(s, 0);
    stmt_reset(s);
    return highest;
}

char *record_format_id(const struct kind *k, long long number)
{
    char id[48];
    snprintf(id, sizeof id, "%s%03lld", k->prefix, number);
    return xstrdup(id);
}

int record_find_by_title(struct reg *g, const struct record *rec, char **id)
{
    const struct kind *k = rec->kind;
    int t = title_field(k);
    *id = NULL;
    if (!k->prefix || t < 0 || !rec->v[t]) return 0;
    struct stmt *s = reg_cached(g, kind_sql(k, SQL_BY_TITLE));
    if (!s) return -1;
    stmt_bind_text(s, 1, rec->v[t]);
    int matches = 0, rc;
    while ((rc = stmt_step(s)) == SQLITE_ROW)
        if (!matches++) *id = xstrdup(stmt_text(s, 0));
    stmt_reset(s);
    if (rc < 0 || matches != 1) {
        free(*id);
        *id = NULL;
    }
    return rc < 0 ? -1 : matches == 1;
}
