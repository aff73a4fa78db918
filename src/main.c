/* main.c - riskreg: global options, then one command; the only place that exits */
#include "build.h"
#include "changelog.h"
#include "cli.h"
#include "record.h"
#include "text.h"

#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RISKREG_VERSION
#define RISKREG_VERSION "0.0.0"
#endif

static const char *default_actor(void)
{
    const char *actor = getenv("RISKREG_ACTOR");
    if (actor && *actor) return actor;
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
    actor = getenv("USER");
    return actor && *actor ? actor : "unknown";
}

static int run(struct cli *c, int argc, char **argv)
{
    int i = 1;
    /* global options before the command */
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--version") == 0) {
            const char *data = rules_data_dir();
            printf("riskreg %s\nscripts and templates: %s\n", RISKREG_VERSION,
                   data ? data : "not found (set RISKREG_DATADIR)");
            return EXIT_DONE;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) return cmd_help(c, 0, NULL);
        if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
            c->quiet = 1;
        } else if (strcmp(arg, "-C") == 0 || strcmp(arg, "--actor") == 0) {
            if (i + 1 >= argc) return cli_usage_error(c, "option %s needs a value", arg);
            if (arg[1] == 'C')
                c->dir = argv[++i];
            else
                c->actor = argv[++i];
        } else if (strncmp(arg, "--actor=", 8) == 0) {
            c->actor = arg + 8;
        } else if (strncmp(arg, "-C", 2) == 0) {
            c->dir = arg + 2;
        } else {
            return cli_usage_error(c, "unknown option '%s'; riskreg help lists the commands", arg);
        }
    }
    if (!c->actor) c->actor = default_actor();
    if (i >= argc) {
        cmd_help(c, 0, NULL);
        return EXIT_USAGE;
    }
    int n;
    const struct command *cmds = cli_commands(&n);
    for (int k = 0; k < n; k++)
        if (strcmp(cmds[k].name, argv[i]) == 0) {
            c->cmd = &cmds[k];
            return cmds[k].run(c, argc - i - 1, argv + i + 1);
        }
    const char *names[32];
    for (int k = 0; k < n; k++)
        names[k] = cmds[k].summary ? cmds[k].name : ""; /* hidden: never suggested */
    const char *guess = text_suggest(argv[i], names, (size_t)n);
    if (guess)
        return cli_usage_error(c, "unknown command '%s'; did you mean '%s'?", argv[i], guess);
    return cli_usage_error(c, "unknown command '%s'; riskreg help lists the commands", argv[i]);
}

int main(int argc, char **argv)
{
    struct cli c;
    memset(&c, 0, sizeof c);
    /* a file size limit (ulimit -f) is a write error to report and roll back, not a death */
    signal(SIGXFSZ, SIG_IGN);
    /* SQLite's memory statistics take a global lock on every allocation; nothing reads them */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    int rc = run(&c, argc, argv);
    if (c.have_reg) reg_close(&c.reg);
    rules_free(c.rules);
    if (c.have_cfg) config_free(&c.cfg);
    record_cleanup();
    changelog_cleanup();
    if (fflush(stdout) != 0 || ferror(stdout)) {
        rr_error("cannot write the output: %s", "standard output failed");
        if (rc == EXIT_DONE) rc = EXIT_FAILED;
    }
    return rc;
}
