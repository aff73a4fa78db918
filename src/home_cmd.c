/* home_cmd.c - where the register lives: `riskreg info` says it, `riskreg migrate --to` moves a
 * register between a file and a PostgreSQL server, with its whole change log. */
#include "changelog.h"
#include "cli.h"
#include "config.h"
#include "register.h"
#include "server.h"
#include "text.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The rows of every table of the register, as "  TABLE  N rows" lines. */
static int print_counts(struct reg *r)
{
    struct stmt names;
    if (stmt_prepare(r, &names,
                     "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                     "'sqlite%' AND name <> 'record_id' ORDER BY rowid") != 0)
        return -1;
    int rc;
    while ((rc = stmt_step(&names)) == SQLITE_ROW) {
        struct strbuf sql = STRBUF_INIT;
        sb_printf(&sql, "SELECT count(*) FROM main.\"%s\"", stmt_text(&names, 0));
        long long n = 0;
        int got = reg_int(r, sql.data, NULL, &n);
        sb_free(&sql);
        if (got < 0) {
            rc = -1;
            break;
        }
        printf("  %-16s %8lld row%s\n", stmt_text(&names, 0), n, n == 1 ? "" : "s");
    }
    stmt_finalize(&names);
    return rc < 0 ? -1 : 0;
}

/* Open the register at its new home (a copy of cfg with only that changed) and verify it. */
static int verify_at(const struct cli *c, const char *server, const char *file)
{
    struct config cfg = c->cfg;
    cfg.server = (char *)server;
    cfg.db_path = (char *)file;
    cfg.fresh = 1;
    struct reg r;
    if (reg_open_read_only(&r, &cfg) != 0) return -1;
    int rc = changelog_verify(&r);
    reg_close(&r);
    return rc == 0 ? 0 : -1;
}

/* A file copy of the register at to, which must not exist: made beside it, then renamed. */
static int copy_to_file(struct cli *c, const char *to)
{
    struct stat st;
    if (stat(to, &st) == 0 || errno != ENOENT) {
        rr_error("%s: already exists; nothing was written (name a new file)", to);
        return -1;
    }
    struct strbuf tmp = STRBUF_INIT;
    sb_printf(&tmp, "%s.tmp-%ld", to, (long)getpid());
    sqlite3 *dest = NULL;
    int rc = sqlite3_open_v2(tmp.data, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    sqlite3_backup *b =
        rc == SQLITE_OK ? sqlite3_backup_init(dest, "main", c->reg.db, "main") : NULL;
    if (b) {
        rc = sqlite3_backup_step(b, -1);
        sqlite3_backup_finish(b);
    }
    if (!b || rc != SQLITE_DONE) {
        rr_error("%s: cannot write the copy: %s; nothing was written", to,
                 dest ? sqlite3_errmsg(dest) : "out of memory");
        sqlite3_close(dest);
        unlink(tmp.data);
        sb_free(&tmp);
        return -1;
    }
    rc = sqlite3_exec(dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    sqlite3_close(dest);
    if (rc != SQLITE_OK || rename(tmp.data, to) != 0) {
        rr_error("%s: cannot write the copy: %s; nothing was written", to, strerror(errno));
        unlink(tmp.data);
        sb_free(&tmp);
        return -1;
    }
    sb_free(&tmp);
    return 0;
}

int cmd_migrate(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--to", 1, NULL, 0}, {NULL, 0, NULL, 0}};
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, opts, pos, &npos);
    if (rc >= 0) return rc;
    if (npos) return cli_usage_error(c, "migrate takes no arguments but --to");
    const char *to = opts[0].value;
    if (!to || !*to)
        return cli_usage_error(c, "migrate needs --to postgresql://HOST/DBNAME or --to FILE.db");
    int to_server = server_is_connection(to);
    if (cli_project(c) != 0) return EXIT_FAILED;
    c->cfg.fresh = 1; /* the register as it is now, not a copy kept from before */
    if (cli_open_read(c) != 0) return EXIT_FAILED;
    if (to_server && c->cfg.server && strcmp(c->cfg.server, to) == 0) {
        rr_error("%s: the register is already there; nothing was copied", to);
        return EXIT_FAILED;
    }
    if (!c->quiet) printf("Copying the register %s to %s:\n", c->reg.path, to);
    if (to_server) {
        if (server_copy_in(&c->reg, to, c->quiet ? NULL : stdout) != 0) return EXIT_FAILED;
    } else {
        if (copy_to_file(c, to) != 0) return EXIT_FAILED;
        if (!c->quiet && print_counts(&c->reg) != 0) return EXIT_FAILED;
    }
    if (verify_at(c, to_server ? to : NULL, to_server ? NULL : to) != 0) {
        rr_error("%s: the copy does not verify (above); the register itself is unchanged", to);
        return EXIT_FAILED;
    }
    if (!c->quiet && to_server && !c->cfg.server)
        printf("To work on it there, put this line in riskreg.lua's table, and move register.db "
               "away:\n  server = \"%s\",\n",
               to);
    else if (!c->quiet && to_server)
        printf("To work on it there, change riskreg.lua's server line to:\n  server = \"%s\",\n",
               to);
    return EXIT_DONE;
}

int cmd_info(struct cli *c, int argc, char **argv)
{
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, NULL, pos, &npos);
    if (rc >= 0) return rc;
    if (npos) return cli_usage_error(c, "info takes no arguments");
    if (cli_open_read(c) != 0) return EXIT_FAILED;
    long long entries = 0;
    char *last = NULL;
    if (reg_int(&c->reg, "SELECT count(*) FROM change_log", NULL, &entries) < 0 ||
        reg_text(&c->reg, "SELECT at FROM change_log ORDER BY seq DESC LIMIT 1", NULL, &last) < 0)
        return EXIT_FAILED;
    printf("project:    %s\n", c->cfg.dir);
    if (c->cfg.server)
        printf("register:   %s (PostgreSQL server; read through a copy of one snapshot)\n",
               c->cfg.server);
    else
        printf("register:   %s/register.db (SQLite file)\n", c->cfg.dir);
    printf("version:    register version %d\n", reg_schema_version());
    printf("change log: %lld entr%s%s%s\n", entries, entries == 1 ? "y" : "ies",
           last ? ", the last at " : "", last ? last : "");
    free(last);
    return EXIT_DONE;
}
