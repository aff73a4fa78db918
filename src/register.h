/* register.h - the register: opening, migrations, transactions, statements. Every command and
 * report script works on an SQLite database: register.db itself, or for a register kept on a
 * server a copy of one snapshot of it whose changes go back to the server (reg_backend). */
#ifndef RISKREG_REGISTER_H
#define RISKREG_REGISTER_H

#include <sqlite3.h>

struct config;
struct reg;

/* Where the register lives, for what differs between a file and a server. */
struct reg_backend {
    const char *name;
    /* Before the copy's BEGIN: the home's write lock, and the copy brought up to date. */
    int (*begin)(struct reg *r);
    /* Before the copy's COMMIT: its changes written to the home, and committed there. */
    int (*commit)(struct reg *r);
    void (*rollback)(struct reg *r);
    /* The guards that keep the change log append-only, and who may change it: each problem
     * given to problem(). 0, or -1 after reporting an error. */
    int (*check_guards)(struct reg *r, void (*problem)(void *data, const char *what), void *data);
    /* The end, while the copy is still open. */
    void (*close)(struct reg *r);
};

/* register.db: the SQLite file itself */
extern const struct reg_backend reg_file_backend;

#define REG_STMT_CACHE 48

struct stmt {
    sqlite3_stmt *st;
    const char *sql; /* kept so every error names the statement that failed */
    struct reg *reg;
};

struct reg {
    sqlite3 *db;
    const struct config *cfg;
    const char *path; /* register.db, or the server as riskreg.lua names it */
    const struct reg_backend *backend;
    void *home;      /* the backend's own state */
    char *copy_path; /* the copy of a register kept on a server; NULL for register.db */
    const char *actor;
    int in_transaction;
    long busy_limit_ms;
    /* change-log chain head while a write transaction is open */
    long long last_seq;
    char last_hash[65];
    char now[21]; /* UTC time of the current transaction */
    struct {
        const char *sql;
        struct stmt stmt;
    } cache[REG_STMT_CACHE];
    int ncache;
};

/* Open the project's register.db to write it, creating it when it does not exist and migrating
 * an older one inside one transaction. */
int reg_open(struct reg *r, const struct config *cfg, const char *actor);
/* Open the register only to read it: no migration, no change to the file, and an authorizer
 * that allows reading alone; -1 (reported) when there is none, it cannot be read, or it is of
 * another register version. */
int reg_open_read_only(struct reg *r, const struct config *cfg);
/* The authorizer of every reading connection (the commands' and the scripts'): SELECT and what
 * it reads; with data != NULL also the reader's own transactions and checks. */
int reg_authorize_read(void *data, int action, const char *a, const char *b, const char *c,
                       const char *d);
void reg_close(struct reg *r);

/* Run the schema and migrations (as a new register gets them) on r->db, a new empty database.
 * 0, or -1 after reporting. */
int reg_make_schema(struct reg *r);

/* Current schema version this riskreg writes. */
int reg_schema_version(void);

/* BEGIN IMMEDIATE, waiting (with back-off) while another writer holds the register. */
int reg_begin(struct reg *r);
int reg_commit(struct reg *r);
void reg_rollback(struct reg *r);
/* A read transaction: one state of the register for every statement until reg_end_read. */
int reg_begin_read(struct reg *r);
void reg_end_read(struct reg *r);

/* Run a fixed statement without parameters. */
int reg_exec(struct reg *r, const char *sql);

int stmt_prepare(struct reg *r, struct stmt *s, const char *sql);
/* A prepared statement kept for the life of the connection; sql must be a stable string. */
struct stmt *reg_cached(struct reg *r, const char *sql);
void stmt_bind_text(struct stmt *s, int i, const char *v); /* NULL binds NULL */
void stmt_bind_int(struct stmt *s, int i, long long v);
void stmt_bind_double(struct stmt *s, int i, double v);
/* SQLITE_ROW, SQLITE_DONE, or -1 after reporting the error with the statement's text */
int stmt_step(struct stmt *s);
void stmt_reset(struct stmt *s);
void stmt_finalize(struct stmt *s);
const char *stmt_text(struct stmt *s, int col); /* NULL for SQL NULL */
long long stmt_int(struct stmt *s, int col);

/* Single-value helpers: one optional text parameter; 1 found, 0 no row, -1 error. */
int reg_int(struct reg *r, const char *sql, const char *param, long long *out);
int reg_text(struct reg *r, const char *sql, const char *param, char **out);

#endif
