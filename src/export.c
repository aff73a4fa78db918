/* export.c - riskreg export: the register as CSV (the import format), JSON or XLSX, as it is or
 * as it was on a date. The rows and their computed columns come from the rules
 * (scripts/lib/export.lua, the same the site's data/ folder is written from); this file only
 * asks for them and writes them where the user said. */
#include "cli.h"
#include "export_files.h"
#include "export_xlsx.h"
#include "lua_db.h"
#include "lua_export.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

/* standard output gets the whole text: a failure leaves nothing half written there */
static int emit_stdout(const struct strbuf *text)
{
    return fwrite(sb_str(text), 1, text->len, stdout) == text->len ? 0 : -1;
}

/* The export's tables, as the rules make them: every kind or one, as of a date or as they are */
static int read_tables(struct cli *c, const struct kind *only, const char *as_of,
                       struct export_set *set)
{
    struct host *h = rules_host(c->rules);
    lua_State *L = host_state(h);
    if (lua_db_register(h, c->cfg.db_path) != 0) return -1;
    lua_createtable(L, 0, 2);
    if (only) {
        lua_pushstring(L, only->name);
        lua_setfield(L, -2, "kind");
    }
    if (as_of) {
        lua_pushstring(L, as_of);
        lua_setfield(L, -2, "as_of");
    }
    /* the command ends when the files are written: what the tables are made of is never
     * garbage before then, so the collector is not run over it again and again (a full
     * collection still comes should the scripts' memory cap be reached) */
    lua_gc(L, LUA_GCSTOP);
    int rc = rules_call(c->rules, "riskreg.export", "tables", 1, 1);
    lua_gc(L, LUA_GCRESTART);
    if (rc != 0) return -1;
    struct strbuf why = STRBUF_INIT;
    rc = lua_export_read(L, -1, set, &why);
    lua_pop(L, 1);
    if (rc != 0) rr_error("%s", sb_str(&why));
    sb_free(&why);
    return rc;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--kind", 1, NULL, 0},
                         {"--format", 1, NULL, 0},
                         {"--as-of", 1, NULL, 0},
                         {"--out", 1, NULL, 0},
                         {NULL, 0, NULL, 0}};
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, opts, pos, &npos);
    if (rc >= 0) return rc;
    if (npos) return cli_usage_error(c, "export takes only options");
    const char *format = opts[1].value ? opts[1].value : "csv";
    int csv = strcmp(format, "csv") == 0, xlsx = strcmp(format, "xlsx") == 0;
    if (!csv && !xlsx && strcmp(format, "json") != 0)
        return cli_usage_error(c, "--format: use csv, json or xlsx");
    const struct kind *only = NULL;
    if (opts[0].value && !(only = cli_kind(c, "--kind: ", opts[0].value))) return EXIT_USAGE;
    const char *out = opts[3].value;
    int to_stdout = !out || strcmp(out, "-") == 0;
    if (csv && !only && to_stdout)
        return cli_usage_error(c, "a CSV export of every kind needs --out DIR (one file per "
                                  "kind); or name one kind with --kind");
    if (xlsx && to_stdout && isatty(STDOUT_FILENO))
        return cli_usage_error(c, "xlsx is a binary file; give --out PATH or redirect stdout");
    rr_day day;
    if (opts[2].value && date_parse(opts[2].value, &day) != 0) {
        char why[160];
        date_explain(opts[2].value, why, sizeof why);
        rr_error("--as-of: %s", why);
        return EXIT_USAGE;
    }
    /* one read transaction (the rules' connection): every file shows the same moment */
    struct export_set set;
    if (cli_rules(c) != 0 || cli_open_read(c) != 0 ||
        read_tables(c, only, opts[2].value, &set) != 0)
        return EXIT_FAILED;
    const struct export_table *table = only ? export_set_table(&set, only->name) : NULL;
    int code = EXIT_FAILED;
    if (xlsx) {
        if (export_xlsx(&set, only ? only->name : NULL, NULL, to_stdout ? NULL : out) == 0)
            code = EXIT_DONE;
    } else if (!to_stdout && (only || !csv)) { /* a file, written as it is made */
        code = export_write_file(&set, table, csv, NULL, out) == 0 ? EXIT_DONE : EXIT_FAILED;
    } else if (csv && only) { /* standard output gets the whole text or nothing */
        struct strbuf text = STRBUF_INIT;
        export_csv_text(table, &text);
        if (emit_stdout(&text) == 0) code = EXIT_DONE;
        sb_free(&text);
    } else if (csv) {
        if (mkdir(out, 0777) != 0 && errno != EEXIST) {
            rr_error("%s: cannot create the folder: %s", out, strerror(errno));
        } else {
            code = export_csv_files(&set, NULL, out) == 0 ? EXIT_DONE : EXIT_FAILED;
            if (code == EXIT_DONE && !c->quiet)
                fprintf(stderr, "exported %d files to %s\n", set.ntables, out);
        }
    } else { /* JSON on standard output */
        struct strbuf text = STRBUF_INIT;
        export_json_text(&set, table, &text);
        if (emit_stdout(&text) == 0) code = EXIT_DONE;
        sb_free(&text);
    }
    export_set_free(&set);
    return code;
}
