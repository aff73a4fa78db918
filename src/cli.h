/* cli.h - what every command shares: global options, option parsing, the open register */
#ifndef RISKREG_CLI_H
#define RISKREG_CLI_H

#include "config.h"
#include "model.h"
#include "date.h"
#include "lua_host.h"
#include "register.h"
#include "rules.h"

/* Exit codes (SPEC §5). */
#define EXIT_DONE 0
#define EXIT_FAILED 1 /* the data or the build failed; the message says what and where */
#define EXIT_USAGE 2

struct cli {
    const char *dir;   /* -C DIR */
    const char *actor; /* --actor, $RISKREG_ACTOR, or the login name */
    int quiet;
    struct config cfg;
    struct reg reg;
    struct rules *rules;       /* riskreg.lua and the rules, once loaded */
    struct host_limits limits; /* for the rules' Lua state; all zero: the defaults */
    int have_cfg, have_reg;
    const struct command *cmd;
    /* every option given with a value, in order, for options that add up (--map twice) */
#define CLI_REPEAT_MAX 64
    struct {
        const char *name, *value;
    } repeated[CLI_REPEAT_MAX];
    int nrepeated;
};

struct command {
    const char *name;
    int (*run)(struct cli *c, int argc, char **argv);
    const char *usage;   /* after "riskreg NAME " */
    const char *summary; /* one line; NULL for a hidden command, which help does not list */
    const char *help;    /* the rest: options and examples */
};

/* An option a command takes; filled by cli_parse. */
struct opt {
    const char *name; /* "--on" */
    int has_value;
    const char *value; /* set when given */
    int given;
};

/* Parse a command's arguments: options (also "--name=value"), the global -C/--actor/--quiet
 * anywhere, "--" ending options; positional arguments are left in pos[0..*npos).
 * Returns EXIT_DONE, EXIT_USAGE after a message, or -1 when --help was printed. */
int cli_parse(struct cli *c, int argc, char **argv, struct opt *opts, char **pos, int *npos);

/* Every value given for option name ("--map"), in order, up to max: how many. */
int cli_values(const struct cli *c, const char *name, const char **out, int max);

/* The same for a command that takes a few other arguments: more than CLI_FEW is a usage error.
 * -1 to go on, else the exit code to return (EXIT_DONE after --help). */
#define CLI_FEW 4
int cli_args(struct cli *c, int argc, char **argv, struct opt *opts, char *pos[CLI_FEW], int *npos);

/* Each of these reports and returns -1 on failure, and does nothing when done before:
 * cli_project finds the project (-C, $RISKREG_DIR or the folders above);
 * cli_rules also loads riskreg.lua, checked, and the rules (c->rules, c->cfg's matrix);
 * cli_open_read opens the register only to read it (with the rules: checks the matrix fits);
 * cli_open_write loads the rules, opens the register to write it (creating or upgrading it)
 * and brings the matrix size it holds in step with riskreg.lua. */
int cli_project(struct cli *c);
int cli_rules(struct cli *c);
int cli_open_read(struct cli *c);
int cli_open_write(struct cli *c);

/* Usage error for the running command: message, then its usage line. Returns EXIT_USAGE. */
int cli_usage_error(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The kind a user named ("risks", "risk", "risks.csv"); NULL after a usage error that suggests
 * the closest one. what prefixes the message ("--kind: "). */
const struct kind *cli_kind(struct cli *c, const char *what, const char *name);

/* --on DATE (default today) */
int cli_date_option(struct cli *c, const struct opt *o, rr_day *out);

const struct command *cli_commands(int *count);
void cli_print_help(const struct command *cmd);

/* commands, one file per concern */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_add(struct cli *c, int argc, char **argv);
int cmd_set(struct cli *c, int argc, char **argv);
int cmd_edit(struct cli *c, int argc, char **argv);
int cmd_assess(struct cli *c, int argc, char **argv);
int cmd_close(struct cli *c, int argc, char **argv);
int cmd_accept(struct cli *c, int argc, char **argv);
int cmd_review(struct cli *c, int argc, char **argv);

/* review_cmd.c: keep the figures of every held review that has none yet (reviews recorded by
 * import), as of the day each was held. 0, or -1 after reporting. */
int review_freeze_held(struct cli *c, int quiet);
/* After an import: say how many held reviews have no figures kept, and how to keep them. */
void review_hint_unfrozen(struct cli *c);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_due(struct cli *c, int argc, char **argv);
int cmd_log(struct cli *c, int argc, char **argv);
int cmd_verify(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_template(struct cli *c, int argc, char **argv);
/* template_cmd.c: the workbook to fill in and import, at path (with c's rules loaded, for the
 * matrix's labels). 0, or -1 after reporting. */
int template_write_xlsx(struct cli *c, const char *path);
int cmd_help(struct cli *c, int argc, char **argv);
int cmd_build(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_upgrade(struct cli *c, int argc, char **argv);
int cmd_info(struct cli *c, int argc, char **argv);
int cmd_migrate(struct cli *c, int argc, char **argv);
int cmd_complete(struct cli *c, int argc, char **argv); /* hidden: for shell completion */

#endif
