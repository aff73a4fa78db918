/* register.c - the register: opening, migrations, transactions, statements */
#include "register.h"
#include "config.h"
#include "date.h"
#include "server.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* build/gen/embedded.c, made from register/schema.sql and register/migrations/ */
struct migration {
    int version;
    const char *name;
    const char *sql;
};
extern const char register_schema_sql[];
extern const struct migration register_migrations[];
extern const int register_migration_count;

/* How long a writer waits for another one before giving up with a message;
 * $RISKREG_LOCK_TIMEOUT (seconds) changes it. */
#define BUSY_WAIT_DEFAULT_MS 15000

static long busy_wait_ms(void)
{
    const char *env = getenv("RISKREG_LOCK_TIMEOUT");
    long seconds = env && *env ? strtol(env, NULL, 10) : 0;
    return seconds > 0 && seconds < 3600 ? seconds * 1000 : BUSY_WAIT_DEFAULT_MS;
}

int reg_schema_version(void)
{
    return register_migration_count ? register_migrations[register_migration_count - 1].version : 1;
}

static int report_db(struct reg *r, const char *what)
{
    int extended = sqlite3_extended_errcode(r->db), code = extended & 0xff;
    const char *msg = sqlite3_errmsg(r->db);
    if (code == SQLITE_NOTADB)
        rr_error("%s: not a riskreg register (the file is not an SQLite database); restore it "
                 "from a backup or move it away and run 'riskreg init'",
                 r->path);
    else if (code == SQLITE_CORRUPT)
        rr_error("%s: the register file is damaged (%s); restore it from a backup", r->path, msg);
    else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        rr_error("%s: the register is busy: another riskreg kept it locked for %ld s; nothing "
                 "was changed, try again",
                 r->path, busy_wait_ms() / 1000);
    else if (code == SQLITE_FULL ||
             (code == SQLITE_IOERR && text_disk_full(sqlite3_system_errno(r->db))))
        rr_error("%s: cannot write it: " DISK_FULL_HINT "; nothing was changed", r->path);
    else if (extended == SQLITE_IOERR_WRITE) /* the rollback after it may have lost the errno */
        rr_error("%s: cannot write it (disk I/O error); perhaps " DISK_FULL_HINT
                 ", or the disk is failing; nothing was changed",
                 r->path);
    else if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
        rr_error("%s: cannot write the register (%s); check the folder's permissions", r->path,
                 msg);
    else
        rr_error("%s: %s: %s", r->path, what, msg);
    return -1;
}

int reg_exec(struct reg *r, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(r->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        sqlite3_free(err);
        return report_db(r, "cannot run a statement");
    }
    return 0;
}

int stmt_prepare(struct reg *r, struct stmt *s, const char *sql)
{
    s->reg = r;
    s->sql = sql;
    s->st = NULL;
    if (sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
        struct strbuf what = STRBUF_INIT;
        sb_printf(&what, "cannot prepare '%.60s'", sql);
        report_db(r, what.data);
        sb_free(&what);
        return -1;
    }
    return 0;
}

struct stmt *reg_cached(struct reg *r, const char *sql)
{
    for (int i = 0; i < r->ncache; i++)
        if (r->cache[i].sql == sql || strcmp(r->cache[i].sql, sql) == 0) {
            sqlite3_reset(r->cache[i].stmt.st);
            sqlite3_clear_bindings(r->cache[i].stmt.st);
            return &r->cache[i].stmt;
        }
    if (r->ncache == REG_STMT_CACHE) { /* more statements than expected: recycle the oldest */
        stmt_finalize(&r->cache[0].stmt);
        memmove(&r->cache[0], &r->cache[1], sizeof r->cache[0] * (REG_STMT_CACHE - 1));
        r->ncache--;
    }
    struct stmt *s = &r->cache[r->ncache].stmt;
    if (stmt_prepare(r, s, sql) != 0) return NULL;
    r->cache[r->ncache++].sql = sql;
    return s;
}

void stmt_bind_text(struct stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s->st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s->st, i);
}

void stmt_bind_int(struct stmt *s, int i, long long v)
{
    sqlite3_bind_int64(s->st, i, v);
}

void stmt_bind_double(struct stmt *s, int i, double v)
{
    sqlite3_bind_double(s->st, i, v);
}

int stmt_step(struct stmt *s)
{
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) return rc;
    struct strbuf what = STRBUF_INIT;
    sb_printf(&what, "statement '%.80s' failed", s->sql);
    report_db(s->reg, what.data);
    sb_free(&what);
    return -1;
}

void stmt_reset(struct stmt *s)
{
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
}

void stmt_finalize(struct stmt *s)
{
    sqlite3_finalize(s->st);
    s->st = NULL;
}

const char *stmt_text(struct stmt *s, int col)
{
    return (const char *)sqlite3_column_text(s->st, col);
}

long long stmt_int(struct stmt *s, int col)
{
    return sqlite3_column_int64(s->st, col);
}

int reg_int(struct reg *r, const char *sql, const char *param, long long *out)
{
    struct stmt s;
    if (stmt_prepare(r, &s, sql) != 0) return -1;
    if (param) stmt_bind_text(&s, 1, param);
    int rc = stmt_step(&s);
    if (rc == SQLITE_ROW) *out = stmt_int(&s, 0);
    stmt_finalize(&s);
    return rc < 0 ? -1 : rc == SQLITE_ROW;
}

int reg_text(struct reg *r, const char *sql, const char *param, char **out)
{
    struct stmt s;
    *out = NULL;
    if (stmt_prepare(r, &s, sql) != 0) return -1;
    if (param) stmt_bind_text(&s, 1, param);
    int rc = stmt_step(&s);
    if (rc == SQLITE_ROW && stmt_text(&s, 0)) *out = xstrdup(stmt_text(&s, 0));
    stmt_finalize(&s);
    return rc < 0 ? -1 : rc == SQLITE_ROW;
}

/* Wait with growing, jittered sleeps so that many writers do not retry in lock step. */
static int busy_backoff(void *data, int attempt)
{
    const long *limit = data;
    long waited = 0;
    for (int i = 0; i < attempt; i++)
        waited += i < 10 ? (1L << i) : 200;
    if (waited >= *limit) return 0;
    long ms = attempt < 10 ? (1L << attempt) : 200;
    ms += rand() % (ms + 1);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    return 1;
}

int reg_begin(struct reg *r)
{
    if (r->backend->begin && r->backend->begin(r) != 0) return -1;
    if (reg_exec(r, "BEGIN IMMEDIATE") != 0) {
        if (r->backend->rollback) r->backend->rollback(r);
        return -1;
    }
    r->in_transaction = 1;
    r->last_seq = -1; /* read lazily by the change log */
    date_now_utc(r->now);
    return 0;
}

int reg_commit(struct reg *r)
{
    if (r->backend->commit && r->backend->commit(r) != 0) {
        reg_rollback(r);
        return -1;
    }
    if (reg_exec(r, "COMMIT") != 0) {
        reg_rollback(r);
        return -1;
    }
    r->in_transaction = 0;
    return 0;
}

void reg_rollback(struct reg *r)
{
    if (r->in_transaction && !sqlite3_get_autocommit(r->db))
        sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    if (r->in_transaction && r->backend && r->backend->rollback) r->backend->rollback(r);
    r->in_transaction = 0;
}

int reg_begin_read(struct reg *r)
{
    return reg_exec(r, "BEGIN");
}

void reg_end_read(struct reg *r)
{
    if (r->db && !sqlite3_get_autocommit(r->db)) sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
}

static int is_empty_database(struct reg *r, int *empty)
{
    long long n = 0;
    if (reg_int(r, "SELECT count(*) FROM sqlite_schema", NULL, &n) < 0) return -1;
    *empty = n == 0;
    return 0;
}

/* The migrations above version, each followed by its PRAGMA user_version. */
static int apply_migrations(struct reg *r, long long version)
{
    for (int i = 0; i < register_migration_count; i++) {
        const struct migration *m = &register_migrations[i];
        if (m->version <= version) continue;
        if (reg_exec(r, m->sql) != 0) {
            rr_error("%s: migration %s failed; the register is unchanged", r->path, m->name);
            return -1;
        }
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
        if (reg_exec(r, pragma) != 0) return -1;
    }
    return 0;
}

int reg_make_schema(struct reg *r)
{
    return reg_exec(r, register_schema_sql) != 0 || apply_migrations(r, 1) != 0 ? -1 : 0;
}

static int migrate(struct reg *r)
{
    long long version = 0;
    if (reg_int(r, "PRAGMA user_version", NULL, &version) < 0) return -1;
    int latest = reg_schema_version();
    if (version == latest) return 0;
    if (version > latest) {
        rr_error("%s was written by a newer riskreg (register version %lld; this riskreg knows up "
                 "to %d): upgrade riskreg to work on it",
                 r->path, version, latest);
        return -1;
    }
    if (reg_exec(r, "BEGIN IMMEDIATE") != 0) return -1;
    /* another process may have migrated while we waited for the lock */
    if (reg_int(r, "PRAGMA user_version", NULL, &version) < 0) goto fail;
    if (version == 0) {
        int empty;
        if (is_empty_database(r, &empty) != 0) goto fail;
        if (!empty) {
            rr_error("%s: not a riskreg register (it holds other tables); move it away", r->path);
            goto fail;
        }
        if (reg_exec(r, register_schema_sql) != 0) goto fail;
        version = 1;
    }
    if (apply_migrations(r, version) != 0) goto fail;
    /* a migration that makes a table again runs with foreign keys off: they must hold after */
    long long broken = 0;
    if (reg_int(r, "SELECT count(*) FROM pragma_foreign_key_check", NULL, &broken) < 0) goto fail;
    if (broken) {
        rr_error("%s: the migration would leave %lld row%s referring to records that do not "
                 "exist; the register is unchanged",
                 r->path, broken, broken == 1 ? "" : "s");
        goto fail;
    }
    return reg_exec(r, "COMMIT");
fail:
    sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* The connection every open starts with: extended error codes, the writers' back-off. */
static int open_connection(struct reg *r, const struct config *cfg, const char *file, int flags)
{
    memset(r, 0, sizeof *r);
    r->cfg = cfg;
    r->path = cfg->db_path;
    r->backend = &reg_file_backend;
    if (sqlite3_open_v2(file, &r->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        report_db(r, "cannot open");
        reg_close(r);
        return -1;
    }
    sqlite3_extended_result_codes(r->db, 1);
    r->busy_limit_ms = busy_wait_ms();
    sqlite3_busy_handler(r->db, busy_backoff, &r->busy_limit_ms);
    return 0;
}

/* The copy's files, removed by a signal that ends riskreg (^C, a TERM from a scheduler): the
 * register's contents do not stay behind in TMPDIR. Filled before the handler is set. */
static char copy_files[3][4096];

static void remove_copy_and_die(int sig)
{
    for (int i = 0; i < 3; i++)
        if (copy_files[i][0]) unlink(copy_files[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void remove_copy_on_signals(const char *copy)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++)
        snprintf(copy_files[i], sizeof copy_files[i], "%s%s", copy, suffixes[i]);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        sigaction(sigs[i], NULL, &old);
        if (old.sa_handler == SIG_IGN) continue; /* ignored (nohup, a background job) stays so */
        struct sigaction sa = {.sa_handler = remove_copy_and_die};
        sigaction(sigs[i], &sa, NULL);
    }
}

/* Copies left by a riskreg that was killed (kill -9 cannot be caught): this user's, of a
 * process that no longer runs. */
static void sweep_copies(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    struct strbuf path = STRBUF_INIT;
    while ((e = readdir(d))) {
        char *end;
        if (strncmp(e->d_name, "riskreg-copy-", 13) != 0) continue;
        long pid = strtol(e->d_name + 13, &end, 10);
        if (end == e->d_name + 13 || *end != '-' || pid <= 0) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
        sb_reset(&path);
        sb_printf(&path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path.data, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == getuid())
            unlink(path.data);
    }
    sb_free(&path);
    closedir(d);
}

/* A register kept on a server: a copy of one snapshot of it in a file of its own, made at this
 * riskreg's register version and filled by the server's backend; to write, the copy keeps track
 * of its changes, and reg_begin/reg_commit take them to the server. */
static int open_copy(struct reg *r, const struct config *cfg, const char *actor, int write)
{
    memset(r, 0, sizeof *r);
    const char *tmp = getenv("TMPDIR");
    struct strbuf path = STRBUF_INIT;
    sweep_copies(tmp && *tmp ? tmp : "/tmp");
    sb_printf(&path, "%s/riskreg-copy-%ld-XXXXXX", tmp && *tmp ? tmp : "/tmp", (long)getpid());
    /* a signal between making the file and the handler that removes it waits for the handler */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGQUIT);
    sigprocmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(path.data);
    if (fd >= 0) remove_copy_on_signals(path.data);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        rr_error("%s: cannot make a working copy of the register: %s", path.data, strerror(errno));
        sb_free(&path);
        return -1;
    }
    close(fd);
    char *copy = sb_take(&path);
    if (open_connection(r, cfg, copy, SQLITE_OPEN_READWRITE) != 0) {
        unlink(copy);
        free(copy);
        return -1;
    }
    r->copy_path = copy;
    r->path = cfg->server;
    r->actor = actor;
    void *home = NULL;
    int kept = 0;
    if (server_connect(cfg->server, write, &home) != 0) goto fail;
    /* a copy kept by an earlier command of this snapshot's generation, unless asked not to */
    if (!cfg->fresh && server_cached(home, copy, write)) {
        kept = 1;
        sqlite3_close(r->db); /* the file under it was replaced */
        r->db = NULL;
        if (sqlite3_open_v2(copy, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK)
            goto fail;
        sqlite3_extended_result_codes(r->db, 1);
    }
    /* a copy that is lost with the machine loses nothing: no waiting for the disk; a writer's
     * in WAL, as register.db (a report script may read it while it writes), a reader's written
     * once, without a journal on disk */
    if ((write || !kept) &&
        (reg_exec(r, write ? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode = MEMORY") != 0 ||
         reg_exec(r, "PRAGMA synchronous = OFF") != 0 ||
         reg_exec(r, "PRAGMA cache_size = -65536") != 0))
        goto fail;
    if (!kept &&
        (reg_exec(r, "BEGIN") != 0 || reg_make_schema(r) != 0 || reg_exec(r, "COMMIT") != 0))
        goto fail;
    if (server_fill(r, home, write, kept) != 0) goto fail;
    r->backend = &reg_server_backend;
    r->home = home;
    if (write) {
        if (reg_exec(r, "PRAGMA foreign_keys = ON") != 0) goto fail;
        return 0;
    }
    /* a reader reads the copy as it reads register.db: read-only, with the same authorizer
     * (out of WAL, no reader makes a -wal or -shm file beside it); and it is kept for the next
     * command, which reads the server only when the register changed since */
    sqlite3_close(r->db);
    r->db = NULL;
    if (!kept && !cfg->fresh) server_keep(home, copy);
    if (sqlite3_open_v2(copy, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        reg_exec(r, "PRAGMA mmap_size = 1073741824") != 0)
        goto fail;
    sqlite3_extended_result_codes(r->db, 1);
    sqlite3_set_authorizer(r->db, reg_authorize_read, r);
    return 0;
fail:
    if (!r->home) server_free(home);
    reg_close(r);
    return -1;
}

int reg_open(struct reg *r, const struct config *cfg, const char *actor)
{
    if (cfg->server) return open_copy(r, cfg, actor, 1);
    memset(r, 0, sizeof *r); /* closed, whatever happens next */
    struct stat st;
    if (stat(cfg->db_path, &st) == 0 && !S_ISREG(st.st_mode)) {
        rr_error("%s: not a file; move it away", cfg->db_path);
        return -1;
    }
    if (open_connection(r, cfg, cfg->db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) != 0)
        return -1;
    r->actor = actor;
    srand((unsigned)getpid() ^ (unsigned)time(NULL));
    /* journal_mode first: it is the first read of the file, so a damaged file shows here */
    /* migrations run before foreign keys are enforced (a table made again would trip them
     * half-way); they check them themselves before committing */
    if (reg_exec(r, "PRAGMA journal_mode = WAL") != 0 ||
        reg_exec(r, "PRAGMA synchronous = FULL") != 0 || migrate(r) != 0 ||
        reg_exec(r, "PRAGMA foreign_keys = ON") != 0) {
        reg_close(r);
        return -1;
    }
    return 0;
}

/* Only reading: SELECT and the tables and functions it uses, and (for the host's own
 * connections, data != NULL) the read transaction it is done in. */
int reg_authorize_read(void *data, int action, const char *a, const char *b, const char *c,
                       const char *d)
{
    (void)c;
    (void)d;
    static const char *const schema_pragmas[] = {"table_info", "table_xinfo",      "index_list",
                                                 "index_info", "foreign_key_list", NULL};
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_TRANSACTION:
        return data ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_UPDATE:
        /* asked while a pragma table (pragma_table_info) is prepared, never carried out: the
         * host's connection is opened read-only */
        return data && a && strcmp(a, "sqlite_master") == 0 ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_FUNCTION:
        return b && strcmp(b, "load_extension") == 0 ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_PRAGMA:
        for (int i = 0; schema_pragmas[i]; i++)
            if (a && strcmp(a, schema_pragmas[i]) == 0) return SQLITE_OK;
        if (data && a &&
            (strcmp(a, "integrity_check") == 0 || strcmp(a, "foreign_key_check") == 0 ||
             strcmp(a, "user_version") == 0) &&
            !b)
            return SQLITE_OK; /* verify's checks; reading the version */
        return SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

int reg_open_read_only(struct reg *r, const struct config *cfg)
{
    if (cfg->server) return open_copy(r, cfg, NULL, 0);
    memset(r, 0, sizeof *r);
    struct stat st;
    if (stat(cfg->db_path, &st) != 0) {
        if (errno == ENOENT)
            rr_error("%s: no register here yet (no register.db); add records (riskreg add, "
                     "riskreg import) or create a register with 'riskreg init DIR'",
                     cfg->dir);
        else
            rr_error("%s: cannot read it: %s", cfg->db_path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        rr_error("%s: not a file; move it away", cfg->db_path);
        return -1;
    }
    if (open_connection(r, cfg, cfg->db_path, SQLITE_OPEN_READONLY) != 0) return -1;
    long long version = 0;
    if (reg_int(r, "PRAGMA user_version", NULL, &version) < 0) goto fail;
    if (version == 0) {
        int empty = 0;
        if (is_empty_database(r, &empty) != 0) goto fail;
        if (empty)
            rr_error("%s: no register here yet (register.db is empty); add records (riskreg add, "
                     "riskreg import) first",
                     cfg->dir);
        else
            rr_error("%s: not a riskreg register (it holds other tables); move it away", r->path);
        goto fail;
    }
    if (version > reg_schema_version()) {
        rr_error("%s was written by a newer riskreg (register version %lld; this riskreg knows up "
                 "to %d): upgrade riskreg to read it",
                 r->path, version, reg_schema_version());
        goto fail;
    }
    if (version < reg_schema_version()) {
        rr_error("%s was written by an older riskreg (register version %lld; this one writes "
                 "%d): run 'riskreg upgrade' once to bring it up to date",
                 r->path, version, reg_schema_version());
        goto fail;
    }
    /* a reader maps the file rather than copying its pages in */
    if (reg_exec(r, "PRAGMA mmap_size = 1073741824") != 0) goto fail;
    sqlite3_set_authorizer(r->db, reg_authorize_read, r);
    return 0;
fail:
    reg_close(r);
    return -1;
}

void reg_close(struct reg *r)
{
    if (r->db) {
        reg_rollback(r);
        for (int i = 0; i < r->ncache; i++)
            stmt_finalize(&r->cache[i].stmt);
        r->ncache = 0;
    }
    /* the backend's last word while the copy is still open (it may keep it) */
    if (r->backend && r->backend->close) r->backend->close(r);
    r->backend = NULL;
    if (r->db) {
        sqlite3_close(r->db);
        r->db = NULL;
    }
    if (r->copy_path) {
        static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
        struct strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
            sb_reset(&sb);
            sb_printf(&sb, "%s%s", r->copy_path, suffixes[i]);
            unlink(sb.data);
        }
        sb_free(&sb);
        if (strcmp(copy_files[0], r->copy_path) == 0) memset(copy_files, 0, sizeof copy_files);
        free(r->copy_path);
        r->copy_path = NULL;
    }
}

/* ---- register.db's own guards ---- */

/* The change log's guards as a new register has them: the triggers' SQL from the schema. */
static const char *const file_guards[] = {"change_log_no_update", "change_log_no_delete",
                                          "review_snapshot_no_update"};

static int file_check_guards(struct reg *r, void (*problem)(void *data, const char *what),
                             void *data)
{
    struct reg fresh;
    memset(&fresh, 0, sizeof fresh);
    fresh.path = ":memory:";
    fresh.backend = &reg_file_backend;
    if (sqlite3_open_v2(":memory:", &fresh.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        reg_make_schema(&fresh) != 0) {
        reg_close(&fresh);
        return -1;
    }
    static const char sql[] = "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?";
    int rc = 0;
    struct strbuf what = STRBUF_INIT;
    for (size_t i = 0; rc == 0 && i < sizeof file_guards / sizeof *file_guards; i++) {
        char *want = NULL, *have = NULL;
        int found = reg_text(&fresh, sql, file_guards[i], &want);
        int there = found < 0 ? -1 : reg_text(r, sql, file_guards[i], &have);
        if (found < 0 || there < 0) {
            rc = -1;
        } else if (there == 0 || !have) {
            sb_reset(&what);
            sb_printf(&what,
                      "the append-only guard %s is missing from the register: it was dropped "
                      "outside riskreg, and the change log can be rewritten",
                      file_guards[i]);
            problem(data, what.data);
        } else if (!want || strcmp(want, have) != 0) {
            sb_reset(&what);
            sb_printf(&what,
                      "the append-only guard %s is not as riskreg made it: it was altered "
                      "outside riskreg (it reads: %.200s)",
                      file_guards[i], have);
            problem(data, what.data);
        }
        free(want);
        free(have);
    }
    sb_free(&what);
    reg_close(&fresh);
    return rc;
}

const struct reg_backend reg_file_backend = {
    .name = "file",
    .check_guards = file_check_guards,
};
