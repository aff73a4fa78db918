/* complete.c - `riskreg __complete WHAT [ARG...]`: the words the shell completion scripts offer.
 *
 * src/completion/riskreg.bash and src/completion/_riskreg ask the program rather than keep
 * lists of their own, so commands, options, kinds, fields and record IDs never go stale:
 *
 *   commands            the commands help lists
 *   kinds               the kinds of record
 *   fields KIND         the fields `add KIND` takes (a risk's include its first assessment's)
 *   filters KIND        the fields `list KIND` filters on
 *   settable ID         the fields `set ID` may change (the record's kind, less its ID)
 *   ids [KIND...]       record IDs, of the kinds named or of all, read from the register
 *   options [COMMAND]   a command's options (the global ones without COMMAND), one a line, each
 *                       followed by its value's placeholder when it takes one ("--kind KIND")
 *   values COMMAND OPT  the words an option takes when its usage lists them (csv|json), or
 *                       when they are a field's words (assess --status: readiness statuses)
 *
 * The options come from the usage line of the command table, the one source of `riskreg help`.
 * A completion must never print an error into the user's shell: this command writes nothing to
 * stderr, prints nothing when there is nothing to offer (no register, an unknown kind), and
 * always exits 0. It never writes the register. */
#include "cli.h"
#include "record.h"
#include "rules.h"
#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const global_options[] = {"-C DIR", "--actor NAME", "--quiet",
                                             "--help", "--version",    NULL};

static const struct command *find_command(const char *name)
{
    int n;
    const struct command *cmds = cli_commands(&n);
    for (int i = 0; i < n; i++)
        if (cmds[i].summary && strcmp(cmds[i].name, name) == 0) return &cmds[i];
    return NULL;
}

static int is_option_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '-';
}

/* Each option in a usage line, with its value's placeholder (NULL when it takes none):
 * "[--kind KIND] [--dry-run] [--format csv|json]". fn returns non-zero to stop. */
typedef int (*option_fn)(const char *name, size_t name_len, const char *value, size_t value_len,
                         void *data);

static void each_usage_option(const char *usage, option_fn fn, void *data)
{
    for (const char *p = usage; (p = strstr(p, "--")) != NULL;) {
        const char *name = p;
        p += 2;
        while (is_option_char(*p))
            p++;
        const char *value = NULL;
        size_t value_len = 0;
        if (p[0] == ' ' && p[1] && !strchr("-[|]\n", p[1])) {
            value = p + 1;
            value_len = strcspn(value, " ]\n");
            p = value + value_len;
        }
        if (fn(name, (size_t)(p - name) - (value ? value_len + 1 : 0), value, value_len, data))
            return;
    }
}

static int print_option(const char *name, size_t name_len, const char *value, size_t value_len,
                        void *data)
{
    (void)data;
    printf("%.*s", (int)name_len, name);
    if (value) printf(" %.*s", (int)value_len, value);
    printf("\n");
    return 0;
}

/* "csv|json" after the option asked for (data): one word a line */
static int print_option_values(const char *name, size_t name_len, const char *value,
                               size_t value_len, void *data)
{
    const char *option = data;
    if (strlen(option) != name_len || strncmp(name, option, name_len) != 0) return 0;
    if (value && memchr(value, '|', value_len)) {
        for (size_t i = 0; i < value_len; i++)
            putchar(value[i] == '|' ? '\n' : value[i]);
        putchar('\n');
    }
    return 1;
}

/* Options whose words are a field's accepted values (the usage line names them by a
 * placeholder, the list being long) */
static const struct {
    const char *command, *option;
    enum kind_id kind;
    const char *field;
} option_words[] = {
    {"assess", "--status", K_READINESS, "status"},
};

static void print_model_values(const char *command, const char *option)
{
    for (size_t i = 0; i < sizeof option_words / sizeof option_words[0]; i++) {
        if (strcmp(option_words[i].command, command) != 0 ||
            strcmp(option_words[i].option, option) != 0)
            continue;
        const struct kind *k = model_kind(option_words[i].kind);
        const struct field *f = &k->fields[model_field_index(k, option_words[i].field)];
        for (int v = 0; f->values[v]; v++)
            printf("%s\n", f->values[v]);
    }
}

static void print_fields(const struct kind *k, int from)
{
    for (int i = from; i < k->nfields; i++)
        printf("%s\n", k->fields[i].name);
}

/* What `add KIND` takes: the kind's fields and, for a risk, those of its first assessment but
 * the risk it belongs to (write.c, apply_assignments). */
static void print_add_fields(const struct kind *k)
{
    print_fields(k, 0);
    if (k->id != K_RISK) return;
    const struct kind *a = model_kind(K_ASSESSMENT);
    for (int i = 0; i < a->nfields; i++)
        if (i != a->owner_field) printf("%s\n", a->fields[i].name);
}

/* The register, opened only to read (on a server: its copy); 0 when there is none. */
static int open_register(struct cli *c, struct config *cfg, struct reg *reg)
{
    if (config_find(c->dir, cfg) != 0) return 0;
    if (!config_may_name_server(cfg)) return reg_open_read_only(reg, cfg) == 0;
    /* riskreg.lua may name a server, which only its rules can say */
    struct rules *rules = rules_open(cfg, NULL);
    int ok = rules && reg_open_read_only(reg, cfg) == 0;
    rules_free(rules);
    return ok;
}

static void print_ids(struct reg *reg, const struct kind *k)
{
    struct stmt s;
    const char *sql = k ? "SELECT id FROM record_id WHERE kind = ?1 ORDER BY id"
                        : "SELECT id FROM record_id ORDER BY id";
    if (stmt_prepare(reg, &s, sql) != 0) return;
    if (k) stmt_bind_text(&s, 1, k->table);
    while (stmt_step(&s) == SQLITE_ROW)
        printf("%s\n", stmt_text(&s, 0));
    stmt_finalize(&s);
}

static void complete_from_register(struct cli *c, const char *what, int argc, char **argv)
{
    struct config cfg;
    struct reg reg;
    if (!open_register(c, &cfg, &reg)) {
        config_free(&cfg);
        return;
    }
    if (strcmp(what, "ids") == 0) {
        if (argc == 0) print_ids(&reg, NULL);
        for (int i = 0; i < argc; i++) {
            const struct kind *k = model_find_kind(argv[i]);
            if (k && k->prefix) print_ids(&reg, k);
        }
    } else if (argc == 1) { /* settable ID */
        char *stored;
        const struct kind *k = record_find_id(&reg, argv[0], &stored);
        if (k) print_fields(k, 1); /* all but the ID, which never changes */
        free(stored);
    }
    reg_close(&reg);
    config_free(&cfg);
}

int cmd_complete(struct cli *c, int argc, char **argv)
{
    /* whatever goes wrong below stays out of the user's terminal */
    if (!freopen("/dev/null", "w", stderr)) fclose(stderr);
    const char *what = argc > 0 ? argv[0] : "";
    const char *arg = argc > 1 ? argv[1] : NULL;
    if (strcmp(what, "commands") == 0) {
        int n;
        const struct command *cmds = cli_commands(&n);
        for (int i = 0; i < n; i++)
            if (cmds[i].summary) printf("%s\n", cmds[i].name);
    } else if (strcmp(what, "kinds") == 0) {
        for (int k = 0; k < KIND_COUNT; k++)
            printf("%s\n", model_kind(k)->name);
    } else if (strcmp(what, "fields") == 0 || strcmp(what, "filters") == 0) {
        const struct kind *k = arg ? model_find_kind(arg) : NULL;
        if (k && strcmp(what, "fields") == 0)
            print_add_fields(k);
        else if (k)
            print_fields(k, 0);
        if (k && k->id == K_RISK && strcmp(what, "filters") == 0)
            printf("level\n"); /* the residual level the rules give */
    } else if (strcmp(what, "ids") == 0 || (strcmp(what, "settable") == 0 && arg)) {
        complete_from_register(c, what, argc - 1, argv + 1);
    } else if (strcmp(what, "options") == 0 && !arg) {
        for (int i = 0; global_options[i]; i++)
            printf("%s\n", global_options[i]);
    } else if (strcmp(what, "options") == 0 && find_command(arg)) {
        const struct command *cmd = find_command(arg);
        each_usage_option(cmd->usage, print_option, NULL);
        if (cmd->run != cmd_help) printf("--help\n"); /* help takes no options */
    } else if (strcmp(what, "values") == 0 && argc == 3 && find_command(arg)) {
        each_usage_option(find_command(arg)->usage, print_option_values, argv[2]);
        print_model_values(arg, argv[2]);
    }
    return EXIT_DONE;
}
