/* server.c - a register kept on a PostgreSQL server (libpq).
 *
 * Every command and report script works on an SQLite register; for a register on a server that
 * is a copy, made by register.c at this riskreg's version and filled here from one snapshot
 * (REPEATABLE READ, read only). A command that writes keeps track of the rows it changes in the
 * copy (temporary triggers into temp._changed), and at its commit sends them to the server in
 * one SERIALIZABLE transaction that holds riskreg.writer_lock, so that the change log stays one
 * chain; writer_lock's generation tells a copy that others have written since it was made, and
 * it is brought up to date before the change. A serialization failure is retried.
 *
 * Rows travel in COPY's text format, every value as text; the copy's STRICT tables give them
 * their types back. */
#include "server.h"
#include "register.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

/* build/gen/embedded.c, made from register/server/ */
struct migration {
    int version;
    const char *name;
    const char *sql;
};
extern const struct migration register_server_migrations[];
extern const int register_server_migration_count;

/* Who may do what, given again after every migration (new tables): a reader reads; a writer
 * also adds, changes and removes records, but only adds to the change log and to the figures of
 * held reviews. Roles that do not exist are left out. */
static const char grant_roles_sql[] =
    "DO $$ BEGIN\n"
    "IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'riskreg_reader') THEN\n"
    "  GRANT USAGE ON SCHEMA riskreg TO riskreg_reader;\n"
    "  GRANT SELECT ON ALL TABLES IN SCHEMA riskreg TO riskreg_reader;\n"
    "END IF;\n"
    "IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'riskreg_writer') THEN\n"
    "  GRANT USAGE ON SCHEMA riskreg TO riskreg_writer;\n"
    "  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA riskreg TO riskreg_writer;\n"
    "  REVOKE UPDATE, DELETE, TRUNCATE ON riskreg.change_log FROM riskreg_writer;\n"
    "  REVOKE UPDATE, TRUNCATE ON riskreg.review_snapshot FROM riskreg_writer;\n"
    "  REVOKE INSERT, UPDATE, DELETE ON riskreg.migrations FROM riskreg_writer;\n"
    "  REVOKE INSERT, DELETE ON riskreg.writer_lock FROM riskreg_writer;\n"
    "END IF;\n"
    "END $$";

/* The server's guards as register/server/ makes them (pg_get_triggerdef's words). */
static const char *const server_guards[][2] = {
    {"change_log_no_update",
     "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON riskreg.change_log FOR EACH ROW "
     "EXECUTE FUNCTION riskreg.append_only('the change log is append-only')"},
    {"change_log_no_delete",
     "CREATE TRIGGER change_log_no_delete BEFORE DELETE ON riskreg.change_log FOR EACH ROW "
     "EXECUTE FUNCTION riskreg.append_only('the change log is append-only')"},
    {"change_log_no_truncate",
     "CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON riskreg.change_log FOR EACH "
     "STATEMENT EXECUTE FUNCTION riskreg.append_only('the change log is append-only')"},
    {"review_snapshot_no_update",
     "CREATE TRIGGER review_snapshot_no_update BEFORE UPDATE ON riskreg.review_snapshot FOR "
     "EACH ROW EXECUTE FUNCTION riskreg.append_only('a held review''s figures are kept as they "
     "were')"},
};
static const char guard_function_body[] =
    "BEGIN RAISE EXCEPTION 'riskreg: %', TG_ARGV[0] USING ERRCODE = 'insufficient_privilege'; "
    "END";

#define RETRIES 8
#define MAX_COLUMNS 64
#define ADVISORY_KEY "7412029"

struct column {
    char *name;
    char type; /* 'i' INTEGER, 'r' REAL, 't' TEXT, 'a' ANY (kept with its type beside it) */
};

struct table {
    char *name;
    struct column *cols;
    int ncols;
    int pk[8]; /* the primary key's columns, in key order */
    int npk;
    int lead; /* 1: the table has SQLite's rowid, row_order on the server, before the columns */
};

struct home {
    PGconn *pg;
    const char *where;
    struct table *tables;
    int ntables;
    long long generation; /* writer_lock's when the copy was last brought up to date */
    long long log_seq;    /* the copy's last change-log entry when the change began */
    int in_tx;
    int clean; /* the copy is the register at generation: its last change committed */
};

/* ---- talking to the server ---- */

static int is_state(PGresult *res, const char *state)
{
    const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return s && strcmp(s, state) == 0;
}

static int retryable(PGresult *res)
{
    return is_state(res, "40001") || is_state(res, "40P01");
}

static long lock_wait_seconds(void)
{
    const char *env = getenv("RISKREG_LOCK_TIMEOUT");
    long seconds = env && *env ? strtol(env, NULL, 10) : 0;
    return seconds > 0 && seconds < 3600 ? seconds : 15;
}

/* Say what went wrong while doing what, in the words a risk owner can act on. */
static void report(PGconn *pg, const char *where, PGresult *res, const char *doing)
{
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg || !*msg) msg = PQerrorMessage(pg);
    struct strbuf m = STRBUF_INIT;
    sb_puts(&m, msg);
    while (m.len && (m.data[m.len - 1] == '\n' || m.data[m.len - 1] == ' '))
        m.data[--m.len] = '\0';
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    /* class 08: the connection; 57P: the server shutting down or starting */
    int gone = PQstatus(pg) == CONNECTION_BAD ||
               (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0));
    if (gone)
        rr_error("%s: the connection to the register's server was lost while %s (%s); %s", where,
                 doing, m.data,
                 strcmp(doing, "committing the change") == 0
                     ? "the change may or may not have been made: riskreg log shows which"
                     : "nothing was changed: run the command again once the server is back");
    else if (is_state(res, "55P03"))
        rr_error("%s: the register is busy: another riskreg kept it locked for %ld s; nothing "
                 "was changed, try again",
                 where, lock_wait_seconds());
    else if (is_state(res, "42501"))
        rr_error("%s: the server refused %s: %s; the role riskreg connects as may not do this "
                 "(README.md, \"A team on many machines\", shows the roles); nothing was changed",
                 where, doing, m.data);
    else
        rr_error("%s: the server said, while %s: %s; nothing was changed", where, doing, m.data);
    sb_free(&m);
}

/* Run sql; expect is PGRES_COMMAND_OK or PGRES_TUPLES_OK. The result (to read, then PQclear)
 * in *out when out is not NULL. 0; -1 after reporting, or without reporting when the failure
 * can be retried and retry is set (1 is returned then). */
static int run_sql(struct home *h, const char *sql, ExecStatusType expect, PGresult **out,
                   const char *doing)
{
    PGresult *res = PQexec(h->pg, sql);
    if (PQresultStatus(res) != expect) {
        report(h->pg, h->where, res, doing);
        PQclear(res);
        return -1;
    }
    if (out)
        *out = res;
    else
        PQclear(res);
    return 0;
}

static int single_int(struct home *h, const char *sql, long long *out, const char *doing)
{
    PGresult *res;
    if (run_sql(h, sql, PGRES_TUPLES_OK, &res, doing) != 0) return -1;
    *out = PQntuples(res) && !PQgetisnull(res, 0, 0) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
    PQclear(res);
    return 0;
}

int server_is_connection(const char *text)
{
    return strncmp(text, "postgresql://", 13) == 0 || strncmp(text, "postgres://", 11) == 0 ||
           strchr(text, '=') != NULL;
}

/* A connection to where, which must not carry a password (riskreg.lua is shared, and kept in
 * version control): libpq reads it from ~/.pgpass, PGPASSFILE, a service file or PGPASSWORD. */
static PGconn *connect_to(const char *where)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(where, &err);
    if (!opts) {
        rr_error("server '%s': not a PostgreSQL connection (%s); write it as "
                 "postgresql://HOST/DBNAME or 'host=HOST dbname=DBNAME'",
                 where, err ? err : "cannot read it");
        PQfreemem(err);
        return NULL;
    }
    int has_password = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val) has_password = 1;
    PQconninfoFree(opts);
    if (has_password) {
        rr_error("server: the connection carries a password; take it out and keep it in "
                 "~/.pgpass (or PGPASSFILE, a PGSERVICE entry, or PGPASSWORD), where libpq "
                 "finds it");
        return NULL;
    }
    PGconn *pg = PQconnectdb(where);
    if (PQstatus(pg) != CONNECTION_OK) {
        struct strbuf m = STRBUF_INIT;
        sb_puts(&m, PQerrorMessage(pg));
        while (m.len && (m.data[m.len - 1] == '\n' || m.data[m.len - 1] == ' '))
            m.data[--m.len] = '\0';
        rr_error("%s: cannot connect to the register's server: %s; nothing was changed", where,
                 m.data);
        sb_free(&m);
        PQfinish(pg);
        return NULL;
    }
    char set[200];
    snprintf(set, sizeof set,
             "SET client_encoding = 'UTF8'; SET client_min_messages = warning; "
             "SET lock_timeout = '%lds'; SET application_name = 'riskreg'",
             lock_wait_seconds());
    PGresult *res = PQexec(pg, set);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok) report(pg, where, res, "setting up the connection");
    PQclear(res);
    if (!ok) {
        PQfinish(pg);
        return NULL;
    }
    return pg;
}

/* The register version on the server: 0 when it holds none. */
static int server_version(struct home *h, long long *version)
{
    long long there = 0;
    if (single_int(h, "SELECT (to_regclass('riskreg.migrations') IS NOT NULL)::int", &there,
                   "reading the register's version") != 0)
        return -1;
    *version = 0;
    return there ? single_int(h, "SELECT coalesce(max(version), 0) FROM riskreg.migrations",
                              version, "reading the register's version")
                 : 0;
}

static int latest_version(void)
{
    return register_server_migrations[register_server_migration_count - 1].version;
}

/* In an open transaction: the migrations above version, recorded, and the roles' grants. */
static int apply_migrations(struct home *h, long long version)
{
    for (int i = 0; i < register_server_migration_count; i++) {
        const struct migration *m = &register_server_migrations[i];
        if (m->version <= version) continue;
        struct strbuf doing = STRBUF_INIT;
        sb_printf(&doing, "making the register (register/server/%s)", m->name);
        int rc = run_sql(h, m->sql, PGRES_COMMAND_OK, NULL, doing.data);
        sb_reset(&doing);
        if (rc == 0) {
            char sql[200];
            snprintf(sql, sizeof sql,
                     "INSERT INTO riskreg.migrations (version, name) VALUES (%d, '%s')", m->version,
                     m->name);
            rc = run_sql(h, sql, PGRES_COMMAND_OK, NULL, "recording the register's version");
        }
        sb_free(&doing);
        if (rc != 0) return -1;
    }
    return run_sql(h, grant_roles_sql, PGRES_COMMAND_OK, NULL, "granting the riskreg roles");
}

/* Make the register on the server, or bring it to this riskreg's version, when writing; say
 * what to do when only reading. must_be_empty: for copying a register in. */
static int prepare_schema(struct home *h, int write, int must_be_empty)
{
    long long version;
    if (server_version(h, &version) != 0) return -1;
    int latest = latest_version();
    if (version > latest) {
        rr_error("%s holds a register written by a newer riskreg (register version %lld; this "
                 "riskreg knows up to %d): upgrade riskreg to work on it",
                 h->where, version, latest);
        return -1;
    }
    if (must_be_empty && version) {
        long long entries = 0;
        if (single_int(h, "SELECT count(*) FROM riskreg.change_log", &entries,
                       "counting the change log") != 0)
            return -1;
        rr_error("%s already holds a register (%lld change-log entr%s); nothing was copied: "
                 "choose an empty database",
                 h->where, entries, entries == 1 ? "y" : "ies");
        return -1;
    }
    if (version == latest) return 0;
    if (!write) {
        if (version == 0)
            rr_error("%s: no register on this server yet; make one with 'riskreg init DIR "
                     "--server ...', or copy one there with 'riskreg migrate --to ...'",
                     h->where);
        else
            rr_error("%s holds a register written by an older riskreg (register version %lld; "
                     "this one writes %d): run 'riskreg upgrade' once to bring it up to date",
                     h->where, version, latest);
        return -1;
    }
    if (run_sql(h, "BEGIN", PGRES_COMMAND_OK, NULL, "making the register") != 0) return -1;
    /* one maker at a time; another may have made it while we waited */
    if (run_sql(h, "SELECT pg_advisory_xact_lock(" ADVISORY_KEY ")", PGRES_TUPLES_OK, NULL,
                "making the register") != 0 ||
        server_version(h, &version) != 0 || (version < latest && apply_migrations(h, version)) ||
        run_sql(h, "COMMIT", PGRES_COMMAND_OK, NULL, "making the register") != 0) {
        PQclear(PQexec(h->pg, "ROLLBACK"));
        return -1;
    }
    return 0;
}

/* ---- the tables, as the copy has them ---- */

static void free_tables(struct table *t, int n)
{
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < t[i].ncols; k++)
            free(t[i].cols[k].name);
        free(t[i].cols);
        free(t[i].name);
    }
    free(t);
}

static int load_tables(struct reg *r, struct table **out, int *count)
{
    struct stmt names, info;
    if (stmt_prepare(r, &names,
                     "SELECT name, sql NOT LIKE '%WITHOUT ROWID' FROM sqlite_schema WHERE type = "
                     "'table' AND name NOT LIKE 'sqlite%' ORDER BY rowid") != 0)
        return -1;
    if (stmt_prepare(r, &info, "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid") !=
        0) {
        stmt_finalize(&names);
        return -1;
    }
    struct table *t = NULL;
    int n = 0, rc;
    while ((rc = stmt_step(&names)) == SQLITE_ROW) {
        t = xrealloc(t, sizeof *t * (size_t)(n + 1));
        struct table *tb = &t[n++];
        memset(tb, 0, sizeof *tb);
        tb->name = xstrdup(stmt_text(&names, 0));
        tb->lead = (int)stmt_int(&names, 1);
        stmt_reset(&info);
        stmt_bind_text(&info, 1, tb->name);
        while ((rc = stmt_step(&info)) == SQLITE_ROW) {
            if (tb->ncols == MAX_COLUMNS) break;
            tb->cols = xrealloc(tb->cols, sizeof *tb->cols * (size_t)(tb->ncols + 1));
            const char *type = stmt_text(&info, 1);
            tb->cols[tb->ncols].name = xstrdup(stmt_text(&info, 0));
            tb->cols[tb->ncols].type = strcmp(type, "INTEGER") == 0 ? 'i'
                                       : strcmp(type, "REAL") == 0  ? 'r'
                                       : strcmp(type, "ANY") == 0   ? 'a'
                                                                    : 't';
            long long pk = stmt_int(&info, 2);
            if (pk > 0 && pk <= 8) {
                tb->pk[pk - 1] = tb->ncols;
                if (pk > tb->npk) tb->npk = (int)pk;
            }
            tb->ncols++;
        }
        if (rc < 0) break;
    }
    stmt_finalize(&names);
    stmt_finalize(&info);
    if (rc < 0) {
        free_tables(t, n);
        return -1;
    }
    *out = t;
    *count = n;
    return 0;
}

/* The values of a row of t: its rowid (row_order on the server) when it has one, its columns,
 * and on the server the type beside an ANY column's value. */
static void column_list(struct strbuf *sb, const struct table *t, const char *prefix, int server)
{
    if (t->lead) sb_printf(sb, "%s%s, ", prefix, server ? "row_order" : "rowid");
    for (int k = 0; k < t->ncols; k++)
        sb_printf(sb, "%s%s\"%s\"", k ? ", " : "", prefix, t->cols[k].name);
    for (int k = 0; server && k < t->ncols; k++)
        if (t->cols[k].type == 'a') sb_printf(sb, ", %s\"type\"", prefix);
}

static int any_column(const struct table *t)
{
    for (int k = 0; k < t->ncols; k++)
        if (t->cols[k].type == 'a') return k;
    return -1;
}

/* ---- from the server into the copy ---- */

/* One line of COPY's text format into fields, in place: NULL for \N. */
static int split_copy_line(char *line, size_t len, char **fields, int max)
{
    if (len && line[len - 1] == '\n') line[--len] = '\0';
    int n = 0;
    char *out = line, *start = line;
    int null_field = 0;
    for (size_t i = 0;; i++) {
        if (i == len || line[i] == '\t') {
            *out = '\0';
            if (n < max) fields[n++] = null_field ? NULL : start;
            if (i == len) break;
            start = ++out;
            null_field = 0;
            continue;
        }
        if (line[i] != '\\' || i + 1 == len) {
            *out++ = line[i];
            continue;
        }
        char c = line[++i];
        switch (c) {
        case 'N':
            null_field = 1;
            break;
        case 'b':
            *out++ = '\b';
            break;
        case 'f':
            *out++ = '\f';
            break;
        case 'n':
            *out++ = '\n';
            break;
        case 'r':
            *out++ = '\r';
            break;
        case 't':
            *out++ = '\t';
            break;
        case 'v':
            *out++ = '\v';
            break;
        default:
            *out++ = c;
            break;
        }
    }
    return n;
}

/* Bind a value that came as text to a column of type (for ANY, as the type beside it says). */
static void bind_value(sqlite3_stmt *st, int i, const char *v, char type, const char *any_type)
{
    if (!v) {
        sqlite3_bind_null(st, i);
        return;
    }
    if (type == 'a' && any_type) type = any_type[0] == 'i' ? 'i' : any_type[0] == 'r' ? 'r' : 't';
    if (type == 'i')
        sqlite3_bind_int64(st, i, strtoll(v, NULL, 10));
    else if (type == 'r')
        sqlite3_bind_double(st, i, strtod(v, NULL));
    else
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* The rows of table t on the server (those filter keeps) into the copy. */
static int fetch_table(struct home *h, struct reg *r, const struct table *t, const char *filter)
{
    struct strbuf sql = STRBUF_INIT, ins = STRBUF_INIT;
    sb_puts(&sql, "COPY (SELECT ");
    column_list(&sql, t, "", 1);
    sb_printf(&sql, " FROM riskreg.\"%s\"%s) TO STDOUT", t->name, filter ? filter : "");
    sb_printf(&ins, "INSERT INTO main.\"%s\" (", t->name);
    column_list(&ins, t, "", 0);
    sb_puts(&ins, ") VALUES (");
    for (int k = 0; k < t->lead + t->ncols; k++)
        sb_puts(&ins, k ? ", ?" : "?");
    sb_puts(&ins, ")");
    struct stmt st;
    int rc = stmt_prepare(r, &st, ins.data);
    sb_free(&ins);
    if (rc != 0) {
        sb_free(&sql);
        return -1;
    }
    PGresult *res = PQexec(h->pg, sql.data);
    sb_free(&sql);
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        struct strbuf doing = STRBUF_INIT;
        sb_printf(&doing, "reading the table %s", t->name);
        report(h->pg, h->where, res, doing.data);
        sb_free(&doing);
        PQclear(res);
        stmt_finalize(&st);
        return -1;
    }
    PQclear(res);
    char *fields[MAX_COLUMNS + 2];
    int any = any_column(t);
    int want = t->lead + t->ncols + (any >= 0);
    char *line;
    int n;
    rc = 0;
    while ((n = PQgetCopyData(h->pg, &line, 0)) > 0) {
        if (rc == 0) {
            int got = split_copy_line(line, (size_t)n, fields, MAX_COLUMNS + 2);
            if (got != want) {
                rr_error("%s: the table %s on the server has %d columns, not the %d this "
                         "riskreg expects; nothing was changed",
                         h->where, t->name, got - t->lead, want - t->lead);
                rc = -1;
            } else {
                if (t->lead) bind_value(st.st, 1, fields[0], 'i', NULL);
                for (int k = 0; k < t->ncols; k++)
                    bind_value(st.st, t->lead + k + 1, fields[t->lead + k], t->cols[k].type,
                               any >= 0 ? fields[t->lead + t->ncols] : NULL);
                if (stmt_step(&st) < 0) rc = -1;
                sqlite3_reset(st.st);
            }
        }
        PQfreemem(line);
    }
    stmt_finalize(&st);
    res = PQgetResult(h->pg);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0) {
        struct strbuf doing = STRBUF_INIT;
        sb_printf(&doing, "reading the table %s", t->name);
        report(h->pg, h->where, res, doing.data);
        sb_free(&doing);
        rc = -1;
    }
    PQclear(res);
    while ((res = PQgetResult(h->pg)))
        PQclear(res);
    return rc;
}

/* Every table but record_id (the copy's own triggers fill it) into the copy, inside an SQLite
 * transaction; with since >= 0, the change log only after entry since (it is append-only) and
 * every other table emptied first. */
static int fetch_all(struct home *h, struct reg *r, long long since)
{
    if (reg_exec(r, "PRAGMA foreign_keys = OFF") != 0 || reg_exec(r, "BEGIN") != 0) return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && i < h->ntables; i++) {
        const struct table *t = &h->tables[i];
        if (strcmp(t->name, "record_id") == 0) continue;
        char filter[64] = "";
        if (since >= 0 && strcmp(t->name, "change_log") == 0) {
            snprintf(filter, sizeof filter, " WHERE seq > %lld", since);
        } else if (since >= 0) {
            struct strbuf del = STRBUF_INIT;
            sb_printf(&del, "DELETE FROM main.\"%s\"", t->name);
            rc = reg_exec(r, del.data);
            sb_free(&del);
        }
        if (rc == 0) rc = fetch_table(h, r, t, filter[0] ? filter : NULL);
    }
    if (rc == 0 && since >= 0) rc = reg_exec(r, "DELETE FROM temp._changed");
    if (rc == 0) rc = reg_exec(r, "COMMIT");
    if (rc != 0) sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Temporary triggers that note, per table and primary key, how the row first changed in the
 * copy: 'i' it was not on the server, 'u' or 'd' it was. */
static int track_changes(struct home *h, struct reg *r)
{
    if (reg_exec(r, "CREATE TEMP TABLE _changed (tbl TEXT NOT NULL, key TEXT NOT NULL, "
                    "first TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID") != 0)
        return -1;
    struct strbuf sql = STRBUF_INIT, oldkey = STRBUF_INIT, newkey = STRBUF_INIT;
    int rc = 0;
    for (int i = 0; rc == 0 && i < h->ntables; i++) {
        const struct table *t = &h->tables[i];
        if (strcmp(t->name, "change_log") == 0) continue; /* append-only: push_log */
        sb_reset(&oldkey);
        sb_reset(&newkey);
        for (int k = 0; k < t->npk; k++) {
            sb_printf(&oldkey, "%sOLD.\"%s\"", k ? ", " : "", t->cols[t->pk[k]].name);
            sb_printf(&newkey, "%sNEW.\"%s\"", k ? ", " : "", t->cols[t->pk[k]].name);
        }
        /* per event: the key noted first, and a second one (an update's new key) */
        static const struct {
            const char *event;
            char first, second;
        } events[] = {{"INSERT", 'i', 0}, {"UPDATE", 'u', 'i'}, {"DELETE", 'd', 0}};
        /* not INSERT OR IGNORE: an upsert's conflict clause would override the trigger's */
        static const char note[] =
            "INSERT INTO _changed SELECT '%s', k, '%c' FROM (SELECT json_array(%s) AS k) "
            "WHERE NOT EXISTS (SELECT 1 FROM _changed WHERE tbl = '%s' AND key = k);";
        sb_reset(&sql);
        for (size_t e = 0; e < sizeof events / sizeof *events; e++) {
            sb_printf(&sql, "CREATE TEMP TRIGGER \"_changed_%s_%c\" AFTER %s ON main.\"%s\" BEGIN ",
                      t->name, events[e].first, events[e].event, t->name);
            sb_printf(&sql, note, t->name, events[e].first,
                      events[e].first == 'i' ? newkey.data : oldkey.data, t->name);
            if (events[e].second)
                sb_printf(&sql, note, t->name, events[e].second, newkey.data, t->name);
            sb_puts(&sql, " END;");
        }
        rc = reg_exec(r, sql.data);
    }
    sb_free(&sql);
    sb_free(&oldkey);
    sb_free(&newkey);
    return rc;
}

/* ---- from the copy to the server ---- */

/* A value of column i of st as text for the server, into buf: NULL for SQL NULL. */
static const char *value_text(sqlite3_stmt *st, int i, char *buf, size_t size)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        return NULL;
    case SQLITE_INTEGER:
        snprintf(buf, size, "%lld", (long long)sqlite3_column_int64(st, i));
        return buf;
    case SQLITE_FLOAT:
        snprintf(buf, size, "%.17g", sqlite3_column_double(st, i));
        return buf;
    default:
        return (const char *)sqlite3_column_text(st, i);
    }
}

static const char *type_name(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        return "null";
    case SQLITE_INTEGER:
        return "integer";
    case SQLITE_FLOAT:
        return "real";
    default:
        return "text";
    }
}

static void copy_escape(struct strbuf *sb, const char *v)
{
    if (!v) {
        sb_puts(sb, "\\N");
        return;
    }
    for (const char *p = v;;) {
        size_t n = strcspn(p, "\\\n\r\t");
        sb_add(sb, p, n);
        p += n;
        if (!*p) break;
        sb_putc(sb, '\\');
        sb_putc(sb, *p == '\n' ? 'n' : *p == '\r' ? 'r' : *p == '\t' ? 't' : '\\');
        p++;
    }
}

/* The row of t in st's columns first.. (column_list's, as the copy has them) as one line of
 * COPY text. */
static void copy_line(struct strbuf *sb, const struct table *t, sqlite3_stmt *st, int first)
{
    char num[40];
    for (int k = 0; k < t->lead + t->ncols; k++) {
        if (k) sb_putc(sb, '\t');
        copy_escape(sb, value_text(st, first + k, num, sizeof num));
    }
    int any = any_column(t);
    if (any >= 0) {
        sb_putc(sb, '\t');
        sb_puts(sb, type_name(st, first + t->lead + any));
    }
    sb_putc(sb, '\n');
}

struct copy_in {
    struct home *h;
    const struct table *t;
    struct strbuf buf;
    int started;
    long long rows;
};

static int copy_start(struct copy_in *c)
{
    struct strbuf sql = STRBUF_INIT;
    sb_printf(&sql, "COPY riskreg.\"%s\" (", c->t->name);
    column_list(&sql, c->t, "", 1);
    sb_puts(&sql, ") FROM STDIN");
    PGresult *res = PQexec(c->h->pg, sql.data);
    sb_free(&sql);
    int ok = PQresultStatus(res) == PGRES_COPY_IN;
    if (!ok) {
        struct strbuf doing = STRBUF_INIT;
        sb_printf(&doing, "writing the table %s", c->t->name);
        report(c->h->pg, c->h->where, res, doing.data);
        sb_free(&doing);
    }
    PQclear(res);
    c->started = ok;
    return ok ? 0 : -1;
}

static int copy_flush(struct copy_in *c, int force)
{
    if (!c->buf.len || (!force && c->buf.len < (1u << 20))) return 0;
    if (!c->started && copy_start(c) != 0) return -1;
    int ok = PQputCopyData(c->h->pg, c->buf.data, (int)c->buf.len) == 1;
    sb_reset(&c->buf);
    if (!ok) report(c->h->pg, c->h->where, NULL, "sending rows");
    return ok ? 0 : -1;
}

/* End the COPY, if one was started; 0 or -1 after reporting (failed: it is only ended). */
static int copy_end(struct copy_in *c, int failed)
{
    int rc = failed ? -1 : copy_flush(c, 1);
    sb_free(&c->buf);
    if (!c->started) return rc;
    c->started = 0;
    PQputCopyEnd(c->h->pg, rc ? "riskreg stopped" : NULL);
    PGresult *res;
    while ((res = PQgetResult(c->h->pg))) {
        if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK) {
            struct strbuf doing = STRBUF_INIT;
            sb_printf(&doing, "writing the table %s", c->t->name);
            report(c->h->pg, c->h->where, res, doing.data);
            sb_free(&doing);
            rc = -1;
        }
        PQclear(res);
    }
    return rc;
}

/* Change or remove one row that was on the server, by its primary key (key values from st's
 * columns key0..; new values from its columns first..). */
static int write_row(struct home *h, const struct table *t, sqlite3_stmt *st, int first, int key0,
                     int present)
{
    struct strbuf sql = STRBUF_INIT;
    const char *values[MAX_COLUMNS + 9];
    char nums[MAX_COLUMNS + 9][40];
    int n = 0;
    if (present) {
        sb_printf(&sql, "UPDATE riskreg.\"%s\" SET ", t->name);
        if (t->lead) {
            sb_puts(&sql, "row_order = $1");
            values[n] = value_text(st, first, nums[n], sizeof nums[n]);
            n++;
        }
        for (int k = 0; k < t->ncols; k++) {
            sb_printf(&sql, "%s\"%s\" = $%d", n ? ", " : "", t->cols[k].name, n + 1);
            values[n] = value_text(st, first + t->lead + k, nums[n], sizeof nums[n]);
            n++;
        }
        int any = any_column(t);
        if (any >= 0) {
            sb_printf(&sql, ", \"type\" = $%d", n + 1);
            values[n++] = type_name(st, first + t->lead + any);
        }
    } else {
        sb_printf(&sql, "DELETE FROM riskreg.\"%s\"", t->name);
    }
    for (int k = 0; k < t->npk; k++) {
        sb_printf(&sql, "%s\"%s\" = $%d", k ? " AND " : " WHERE ", t->cols[t->pk[k]].name, n + 1);
        values[n] = value_text(st, key0 + k, nums[n], sizeof nums[n]);
        n++;
    }
    PGresult *res = PQexecParams(h->pg, sql.data, n, NULL, values, NULL, NULL, 0);
    sb_free(&sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok && !retryable(res)) {
        struct strbuf doing = STRBUF_INIT;
        sb_printf(&doing, "%s a row of %s", present ? "changing" : "removing", t->name);
        report(h->pg, h->where, res, doing.data);
        sb_free(&doing);
    }
    int rc = ok ? 0 : retryable(res) ? 1 : -1;
    PQclear(res);
    return rc;
}

/* The changes the copy noted for table t, to the server: rows that were there changed or
 * removed, new ones added with COPY. 0; 1 when the server asks to try again; -1 reported. */
static int push_table(struct home *h, struct reg *r, const struct table *t)
{
    struct strbuf sql = STRBUF_INIT;
    sb_puts(&sql, "SELECT c.first, ");
    sb_printf(&sql, "t.\"%s\" IS NOT NULL, ", t->cols[t->pk[0]].name);
    column_list(&sql, t, "t.", 0);
    for (int k = 0; k < t->npk; k++)
        sb_printf(&sql, ", json_extract(c.key, '$[%d]')", k);
    sb_printf(&sql, " FROM temp._changed c LEFT JOIN main.\"%s\" t ON ", t->name);
    for (int k = 0; k < t->npk; k++)
        sb_printf(&sql, "%st.\"%s\" = json_extract(c.key, '$[%d]')", k ? " AND " : "",
                  t->cols[t->pk[k]].name, k);
    sb_printf(&sql, " WHERE c.tbl = '%s'", t->name);
    struct stmt st;
    int rc = stmt_prepare(r, &st, sql.data);
    sb_free(&sql);
    if (rc != 0) return -1;
    struct copy_in c = {.h = h, .t = t};
    int step;
    while (rc == 0 && (step = stmt_step(&st)) == SQLITE_ROW) {
        int was_there = ((const char *)sqlite3_column_text(st.st, 0))[0] != 'i';
        int present = sqlite3_column_int(st.st, 1);
        if (!was_there && present) {
            copy_line(&c.buf, t, st.st, 2);
            c.rows++;
            rc = copy_flush(&c, 0);
        } else if (was_there) {
            /* a COPY under way must end before another statement */
            rc = copy_end(&c, 0);
            if (rc == 0) rc = write_row(h, t, st.st, 2, 2 + t->lead + t->ncols, present);
        }
    }
    if (rc == 0 && step < 0) rc = -1;
    stmt_finalize(&st);
    int end = copy_end(&c, rc != 0);
    return rc ? rc : end;
}

/* The change log's new entries: it is append-only, so they are those after the change began. */
static int push_log(struct home *h, struct reg *r, const struct table *t)
{
    struct strbuf sql = STRBUF_INIT;
    sb_puts(&sql, "SELECT ");
    column_list(&sql, t, "", 0);
    sb_printf(&sql, " FROM main.change_log WHERE seq > %lld ORDER BY seq", h->log_seq);
    struct stmt st;
    int rc = stmt_prepare(r, &st, sql.data);
    sb_free(&sql);
    if (rc != 0) return -1;
    struct copy_in c = {.h = h, .t = t};
    int step;
    while (rc == 0 && (step = stmt_step(&st)) == SQLITE_ROW) {
        copy_line(&c.buf, t, st.st, 0);
        rc = copy_flush(&c, 0);
    }
    if (rc == 0 && step < 0) rc = -1;
    stmt_finalize(&st);
    int end = copy_end(&c, rc != 0);
    return rc ? rc : end;
}

static int push_all(struct home *h, struct reg *r)
{
    for (int i = 0; i < h->ntables; i++) {
        const struct table *t = &h->tables[i];
        int rc = strcmp(t->name, "change_log") == 0 ? push_log(h, r, t) : push_table(h, r, t);
        if (rc) return rc;
    }
    return 0;
}

/* ---- the backend ---- */

/* End the transaction under way, if any, changing nothing. */
static void abandon(struct home *h)
{
    if (h->in_tx && h->pg) PQclear(PQexec(h->pg, "ROLLBACK"));
    h->in_tx = 0;
}

/* The server's write lock, and its generation read after it is held (the snapshot of a
 * SERIALIZABLE transaction is taken at its first query, which comes after LOCK). */
static int lock_for_writing(struct home *h, long long *generation)
{
    if (run_sql(h, "BEGIN ISOLATION LEVEL SERIALIZABLE", PGRES_COMMAND_OK, NULL,
                "starting the change") != 0)
        return -1;
    h->in_tx = 1;
    if (run_sql(h, "LOCK TABLE riskreg.writer_lock IN EXCLUSIVE MODE", PGRES_COMMAND_OK, NULL,
                "waiting for the register's write lock") != 0 ||
        single_int(h, "SELECT generation FROM riskreg.writer_lock", generation,
                   "reading the register's generation") != 0) {
        abandon(h);
        return -1;
    }
    return 0;
}

static int server_begin(struct reg *r)
{
    struct home *h = r->home;
    long long generation;
    if (lock_for_writing(h, &generation) != 0) return -1;
    static const char last_seq[] = "SELECT coalesce(max(seq), 0) FROM main.change_log";
    if (generation != h->generation) {
        /* others wrote since the copy was made: bring it up to date, inside the lock */
        long long since = 0;
        if (reg_int(r, last_seq, NULL, &since) < 0 || fetch_all(h, r, since) != 0 ||
            reg_exec(r, "PRAGMA foreign_keys = ON") != 0) {
            abandon(h);
            return -1;
        }
        h->generation = generation;
    }
    h->clean = 0;
    if (reg_int(r, last_seq, NULL, &h->log_seq) < 0 ||
        reg_exec(r, "DELETE FROM temp._changed") != 0) {
        abandon(h);
        return -1;
    }
    return 0;
}

static int server_commit(struct reg *r)
{
    struct home *h = r->home;
    for (int attempt = 0;; attempt++) {
        int rc = push_all(h, r);
        long long generation = 0;
        if (rc == 0) {
            PGresult *res = PQexec(h->pg, "UPDATE riskreg.writer_lock SET generation = "
                                          "generation + 1 RETURNING generation");
            if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
                generation = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
            } else {
                rc = retryable(res) ? 1 : -1;
                if (rc < 0) report(h->pg, h->where, res, "recording the change");
            }
            PQclear(res);
        }
        if (rc == 0) {
            PGresult *res = PQexec(h->pg, "COMMIT");
            if (PQresultStatus(res) == PGRES_COMMAND_OK) {
                PQclear(res);
                h->in_tx = 0;
                h->generation = generation;
                h->clean = 1;
                return 0;
            }
            rc = retryable(res) ? 1 : -1;
            if (rc < 0) report(h->pg, h->where, res, "committing the change");
            PQclear(res);
            h->in_tx = 0; /* a failed COMMIT ends the transaction */
        }
        abandon(h);
        if (rc < 0) return -1;
        if (attempt + 1 == RETRIES) {
            rr_error("%s: the server could not serialise this change after %d tries; nothing "
                     "was changed, try again",
                     h->where, RETRIES);
            return -1;
        }
        /* a serialization failure: wait a little, and try again on the same state */
        long ms = (1L << (attempt < 7 ? attempt : 7)) * 5 + rand() % 20;
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        long long now;
        if (lock_for_writing(h, &now) != 0) return -1;
        if (now != h->generation) {
            abandon(h);
            rr_error("%s: the register was changed on the server by other means during this "
                     "change; nothing was changed, run the command again",
                     h->where);
            return -1;
        }
    }
}

static void server_rollback(struct reg *r)
{
    struct home *h = r->home;
    if (!h) return;
    h->clean = 0; /* the copy may no longer be what the server has */
    abandon(h);
}

static void add_problem(void (*problem)(void *data, const char *what), void *data, const char *fmt,
                        ...) __attribute__((format(printf, 3, 4)));

static void add_problem(void (*problem)(void *data, const char *what), void *data, const char *fmt,
                        ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    problem(data, sb.data);
    sb_free(&sb);
}

/* Collapse runs of white space, for comparing a function's body. */
static void squeeze(char *s)
{
    char *o = s;
    int space = 1;
    for (char *p = s; *p; p++) {
        int ws = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
        if (ws && space) continue;
        *o++ = ws ? ' ' : *p;
        space = ws;
    }
    if (o > s && o[-1] == ' ') o--;
    *o = '\0';
}

static int server_check_guards(struct reg *r, void (*problem)(void *data, const char *what),
                               void *data)
{
    struct home *h = r->home;
    PGresult *res;
    if (run_sql(h,
                "SELECT t.tgname, t.tgenabled, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = "
                "c.relnamespace WHERE n.nspname = 'riskreg' AND NOT t.tgisinternal",
                PGRES_TUPLES_OK, &res, "reading the change log's guards") != 0)
        return -1;
    for (size_t g = 0; g < sizeof server_guards / sizeof *server_guards; g++) {
        int row = -1;
        for (int i = 0; i < PQntuples(res); i++)
            if (strcmp(PQgetvalue(res, i, 0), server_guards[g][0]) == 0) row = i;
        if (row < 0)
            add_problem(problem, data,
                        "the append-only guard %s is missing on the server: it was dropped "
                        "outside riskreg, and the change log can be rewritten",
                        server_guards[g][0]);
        else if (strcmp(PQgetvalue(res, row, 1), "D") == 0)
            add_problem(problem, data,
                        "the append-only guard %s is disabled on the server (ALTER TABLE ... "
                        "DISABLE TRIGGER): the change log can be rewritten",
                        server_guards[g][0]);
        else if (strcmp(PQgetvalue(res, row, 2), server_guards[g][1]) != 0)
            add_problem(problem, data,
                        "the append-only guard %s is not as riskreg made it: it was altered "
                        "outside riskreg (it reads: %.200s)",
                        server_guards[g][0], PQgetvalue(res, row, 2));
    }
    PQclear(res);
    if (run_sql(h,
                "SELECT prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'riskreg' AND p.proname = 'append_only'",
                PGRES_TUPLES_OK, &res, "reading the change log's guards") != 0)
        return -1;
    if (PQntuples(res) != 1) {
        add_problem(problem, data,
                    "the function riskreg.append_only that the append-only guards call is "
                    "missing on the server");
    } else {
        char *body = xstrdup(PQgetvalue(res, 0, 0));
        squeeze(body);
        if (strcmp(body, guard_function_body) != 0)
            add_problem(problem, data,
                        "the function riskreg.append_only that the append-only guards call is "
                        "not as riskreg made it: it was altered outside riskreg (it reads: "
                        "%.200s)",
                        body);
        free(body);
    }
    PQclear(res);
    /* who besides the owner may rewrite the log or a held review's figures */
    if (run_sql(h,
                "SELECT c.relname, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE "
                "pg_get_userbyid(a.grantee) END, a.privilege_type FROM pg_class c JOIN "
                "pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a WHERE "
                "n.nspname = 'riskreg' AND a.grantee <> c.relowner AND ((c.relname = "
                "'change_log' AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')) OR "
                "(c.relname = 'review_snapshot' AND a.privilege_type IN ('UPDATE', "
                "'TRUNCATE'))) ORDER BY 1, 2, 3",
                PGRES_TUPLES_OK, &res, "reading who may change the change log") != 0)
        return -1;
    for (int i = 0; i < PQntuples(res); i++)
        add_problem(problem, data,
                    "the role %s may %s %s on the server: the append-only %s can be rewritten "
                    "by it; revoke it (REVOKE %s ON riskreg.%s FROM %s)",
                    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 0),
                    strcmp(PQgetvalue(res, i, 0), "change_log") == 0 ? "change log"
                                                                     : "figures of held reviews",
                    PQgetvalue(res, i, 2), PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
    PQclear(res);
    return 0;
}

void server_free(void *home)
{
    struct home *h = home;
    if (!h) return;
    if (h->pg) PQfinish(h->pg);
    free_tables(h->tables, h->ntables);
    free(h);
}

static void keep_as(struct home *h, const char *copy, int move);

static void server_close(struct reg *r)
{
    struct home *h = r->home;
    /* a writer's copy, its last change committed, is the register as it now is: kept for the
     * next command (out of WAL first, as a reader's; not when a report script still reads it) */
    if (h && h->clean && r->db && sqlite3_get_autocommit(r->db) &&
        sqlite3_exec(r->db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) == SQLITE_OK) {
        char *mode = NULL;
        if (reg_text(r, "PRAGMA journal_mode", NULL, &mode) == 1 && strcmp(mode, "delete") == 0)
            keep_as(h, r->copy_path, 1);
        free(mode);
    }
    server_free(h);
    r->home = NULL;
}

const struct reg_backend reg_server_backend = {
    .name = "server",
    .begin = server_begin,
    .commit = server_commit,
    .rollback = server_rollback,
    .check_guards = server_check_guards,
    .close = server_close,
};

int server_connect(const char *where, int write, void **home)
{
    struct home *h = xcalloc(1, sizeof *h);
    h->where = where;
    *home = h;
    if (!(h->pg = connect_to(where)) || prepare_schema(h, write, 0) != 0) return -1;
    /* one snapshot of the whole register, whatever is read of it */
    if (run_sql(h, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", PGRES_COMMAND_OK, NULL,
                "reading the register") != 0)
        return -1;
    h->in_tx = 1;
    return single_int(h, "SELECT generation FROM riskreg.writer_lock", &h->generation,
                      "reading the register");
}

int server_fill(struct reg *r, void *home, int write, int filled)
{
    struct home *h = home;
    if (load_tables(r, &h->tables, &h->ntables) != 0 || (!filled && fetch_all(h, r, -1) != 0) ||
        run_sql(h, "COMMIT", PGRES_COMMAND_OK, NULL, "reading the register") != 0)
        return -1;
    h->in_tx = 0;
    return write ? track_changes(h, r) : 0;
}

/* ---- copies kept for the next command ---- */

/* $TMPDIR/riskreg-cache-UID, this user's alone, made when missing; NULL when it is not so. */
static char *cache_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s/riskreg-cache-%ld", tmp && *tmp ? tmp : "/tmp", (long)getuid());
    mkdir(sb.data, 0700);
    struct stat st;
    if (lstat(sb.data, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
        (st.st_mode & 077)) {
        sb_free(&sb);
        return NULL;
    }
    return sb_take(&sb);
}

/* The name of the kept copy of this register at its present generation, and the start all of
 * its copies share ("DIR/KEY-"). */
static char *cache_name(struct home *h, size_t *prefix)
{
    char *dir = cache_dir();
    if (!dir) return NULL;
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s/%016llx-", dir, (unsigned long long)XXH3_64bits(h->where, strlen(h->where)));
    *prefix = sb.len;
    sb_printf(&sb, "v%d-g%lld.db", reg_schema_version(), h->generation);
    free(dir);
    return sb_take(&sb);
}

/* The bytes of file from into the (existing) file to. 0, or -1. */
static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) return -1;
    int out = open(to, O_WRONLY | O_TRUNC | O_CLOEXEC);
    int rc = out < 0 ? -1 : 0;
    char buf[1 << 16];
    ssize_t n;
    while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0) {
            rc = -1;
            break;
        }
        for (ssize_t done = 0, w; rc == 0 && done < n; done += w)
            if ((w = write(out, buf + done, (size_t)(n - done))) < 0) rc = -1;
    }
    close(in);
    if (out >= 0 && close(out) != 0) rc = -1;
    return rc;
}

int server_cached(void *home, const char *copy, int write)
{
    size_t prefix;
    char *name = cache_name(home, &prefix);
    if (!name) return 0;
    int hit = 0;
    if (!write) {
        /* kept copies are never changed, only replaced: a link is a private snapshot */
        struct strbuf tmp = STRBUF_INIT;
        sb_printf(&tmp, "%s.kept", copy);
        hit = link(name, tmp.data) == 0 && rename(tmp.data, copy) == 0;
        if (!hit) unlink(tmp.data);
        sb_free(&tmp);
    } else {
        hit = access(name, R_OK) == 0 && copy_file(name, copy) == 0;
    }
    free(name);
    return hit;
}

/* Keep copy as this generation's (moved there, or linked), then no older one. */
static void keep_as(struct home *h, const char *copy, int move)
{
    size_t prefix;
    char *name = cache_name(h, &prefix);
    if (!name) return;
    if ((move ? rename(copy, name) : link(copy, name)) == 0 || errno == EEXIST) {
        char *slash = strrchr(name, '/');
        *slash = '\0';
        DIR *d = opendir(name);
        *slash = '/';
        struct dirent *e;
        struct strbuf old = STRBUF_INIT;
        while (d && (e = readdir(d))) {
            if (strncmp(e->d_name, slash + 1, prefix - (size_t)(slash + 1 - name)) != 0 ||
                strcmp(e->d_name, slash + 1) == 0)
                continue;
            sb_reset(&old);
            sb_printf(&old, "%.*s/%s", (int)(slash - name), name, e->d_name);
            unlink(old.data);
        }
        sb_free(&old);
        if (d) closedir(d);
    }
    free(name);
}

void server_keep(void *home, const char *copy)
{
    keep_as(home, copy, 0);
}

int server_copy_in(struct reg *from, const char *where, FILE *out)
{
    struct home *h = xcalloc(1, sizeof *h);
    h->where = where;
    int rc = -1;
    if (!(h->pg = connect_to(where)) || prepare_schema(h, 1, 1) != 0 ||
        load_tables(from, &h->tables, &h->ntables) != 0 ||
        run_sql(h, "BEGIN ISOLATION LEVEL SERIALIZABLE", PGRES_COMMAND_OK, NULL,
                "copying the register") != 0)
        goto out;
    h->in_tx = 1;
    long long left = 0;
    /* another copy may have come in meanwhile: the change log must still be empty */
    if (run_sql(h, "LOCK TABLE riskreg.writer_lock IN EXCLUSIVE MODE", PGRES_COMMAND_OK, NULL,
                "copying the register") != 0 ||
        single_int(h, "SELECT count(*) FROM riskreg.change_log", &left, "copying the register") !=
            0)
        goto out;
    if (left) {
        rr_error("%s already holds a register (%lld change-log entries); nothing was copied", where,
                 left);
        goto out;
    }
    for (int i = 0; i < h->ntables; i++) {
        const struct table *t = &h->tables[i];
        struct strbuf sql = STRBUF_INIT;
        sb_puts(&sql, "SELECT ");
        column_list(&sql, t, "", 0);
        sb_printf(&sql, " FROM main.\"%s\"", t->name);
        struct stmt st;
        int prc = stmt_prepare(from, &st, sql.data);
        sb_free(&sql);
        if (prc != 0) goto out;
        struct copy_in c = {.h = h, .t = t};
        int step;
        while ((step = stmt_step(&st)) == SQLITE_ROW && prc == 0) {
            copy_line(&c.buf, t, st.st, 0);
            c.rows++;
            prc = copy_flush(&c, 0);
        }
        stmt_finalize(&st);
        if (step < 0) prc = -1;
        if (copy_end(&c, prc != 0) != 0 || prc != 0) goto out;
        if (out && strcmp(t->name, "record_id") != 0)
            fprintf(out, "  %-16s %8lld row%s\n", t->name, c.rows, c.rows == 1 ? "" : "s");
    }
    if (run_sql(h, "UPDATE riskreg.writer_lock SET generation = generation + 1", PGRES_COMMAND_OK,
                NULL, "copying the register") != 0 ||
        run_sql(h, "COMMIT", PGRES_COMMAND_OK, NULL, "committing the change") != 0)
        goto out;
    h->in_tx = 0;
    rc = 0;
out:
    abandon(h);
    server_free(h);
    return rc;
}
