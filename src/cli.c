/* cli.c - the command table and its help, argument parsing, and the small commands */
#include "cli.h"
#include "changelog.h"
#include "manual.h"
#include "setting.h"
#include "lua_host.h"
#include "lua_model.h"
#include "model.h"
#include "rules.h"
#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct command commands[] = {
    {"init", cmd_init, "DIR [--server postgresql://HOST/DBNAME]",
     "create a new register project in DIR",
     "Creates DIR (if needed) with riskreg.lua (the settings, commented), an empty\n"
     "register.db and register-template.xlsx, a workbook to fill in and import (see\n"
     "riskreg help template). Every other command finds the project by -C DIR,\n"
     "$RISKREG_DIR, or by looking for riskreg.lua in the current folder and above.\n"
     "--server keeps the register on a PostgreSQL server instead, for a team on many\n"
     "machines: riskreg.lua records the connection (never a password: libpq reads it from\n"
     "~/.pgpass, PGPASSFILE, a PGSERVICE entry or PGPASSWORD), and the register is made\n"
     "there. Every command then works on it as on register.db.\n"
     "\n"
     "Examples:\n"
     "  riskreg init acme && cd acme\n"
     "  riskreg init acme --server postgresql://db.example.org/riskreg\n"},
    {"add", cmd_add, "KIND FIELD=VALUE... [--on DATE] [--note TEXT]",
     "add a record: a risk, improvement, nonconformity, audit, KPI, review, ...",
     "KIND is one of risks, assessments, acceptances, improvements, requirements, readiness,\n"
     "documents, certificates, audits, nonconformities, kpis, measurements, reviews,\n"
     "review_inputs, review_actions, review_decisions.\n"
     "FIELD names are the CSV columns\n"
     "('riskreg help fields KIND' lists them). An ID is given as PREFIX-NNN when not set.\n"
     "A risk added with likelihood= and impact= (and optionally residual_likelihood= and\n"
     "residual_impact=) also gets its first assessment, dated --on (default today).\n"
     "\n"
     "Examples:\n"
     "  riskreg add risks title=\"Backup failure\" owner=ana category=Continuity likelihood=3 "
     "impact=4\n"
     "  riskreg add improvements title=\"Automate restore tests\" source=risk risk_id=R-004\n"
     "  riskreg add measurements kpi_id=K-001 measured_on=2026-10-31 value=99.95\n"},
    {"set", cmd_set, "ID FIELD=VALUE... [--note TEXT]", "change fields of a record",
     "An empty value clears a field (owner=). IDs cannot be changed. Use 'assess' for new\n"
     "scores and 'close' to close.\n"
     "\n"
     "Examples:\n"
     "  riskreg set I-004 status=done done_on=2026-11-20\n"
     "  riskreg set R-012 owner=\"Tom Whitaker\" --note \"handover from Ana\"\n"},
    {"edit", cmd_edit, "ID [--note TEXT]", "change a record in your editor",
     "Opens the record in $VISUAL or $EDITOR (else vi) as a form: 'field: value' lines,\n"
     "then each Markdown field as a block starting with a '--- field' line. Save and quit\n"
     "to apply; a form that does not validate comes back with the error on top; quitting\n"
     "without a change writes nothing. If someone changes the record while you edit, your\n"
     "text is kept and nothing is overwritten.\n"
     "\n"
     "Examples:\n"
     "  riskreg edit R-004\n"
     "  EDITOR=nano riskreg edit I-012 --note \"plan agreed with the supplier\"\n"},
    {"assess", cmd_assess,
     "ID L I [RL RI] [--on DATE] [--note TEXT]\n"
     "               | REQ-ID --status STATUS [--maturity 0-5] [--owner NAME] [--evidence IDS]\n"
     "               [--gap TEXT] [--improvement ID] [--target DATE] [--reason TEXT]",
     "record a (re)assessment of a risk, or the readiness of a requirement",
     "A risk: L and I are the inherent likelihood and impact, RL and RI the residual ones\n"
     "(with controls; default: the same as inherent). Each is 1..N on the matrix or a label\n"
     "(Likely, Major, High, ...). The next review moves to the assessment date plus the\n"
     "risk's review_every_days (or the default from riskreg.lua).\n"
     "A requirement (riskreg list requirements): --status is how ready it is, one of\n"
     "not_assessed, not_addressed, initial, defined, conforming or not_applicable (which\n"
     "needs --reason); --maturity 0 to 5; --evidence the IDs of the documents, audits, KPIs,\n"
     "nonconformities or improvements that show it (or URLs), separated by commas; --gap\n"
     "what is missing, --improvement the improvement that closes it, --target by when. The\n"
     "owner and evidence stay those of its assessment before unless given (an empty value\n"
     "clears them). A heading that groups others (assessable=no) is not assessed: its\n"
     "subclauses are. The readiness on any date is the latest assessment on or before it.\n"
     "Either way --on dates it (default today), --note says why (a risk's goes into the\n"
     "assessment, a requirement's into the change log), and a second assessment on the same\n"
     "day replaces the first.\n"
     "\n"
     "Examples:\n"
     "  riskreg assess R-004 4 4 2 3 --note \"restore tests now weekly\"\n"
     "  riskreg assess 20000-8.4.3 --status defined --maturity 3 --evidence 'DOC-003, A-010' \\\n"
     "      --gap \"capacity plan not reviewed quarterly\" --improvement I-012 --target "
     "2027-03-31\n"},
    {"close", cmd_close, "ID [--on DATE] [--note TEXT]",
     "close a risk or nonconformity, complete an improvement or review action",
     "Sets the status and date that mean closed for the kind of record: a risk's status\n"
     "closed and closed_on, an improvement's status done and done_on, a nonconformity's\n"
     "closed_on, a review action's status done and closed_on. --on defaults to today.\n"
     "\n"
     "Example:\n"
     "  riskreg close R-017 --note \"supplier contract ended\"\n"},
    {"accept", cmd_accept, "ID --by NAME --until DATE [--on DATE] [--note TEXT]",
     "accept a risk as it is, by a named approver, until a date",
     "Records an acceptance (AC-NNN) of the risk at its residual level and score now (as the\n"
     "rules give them): who accepted it, when (--on, default today), until when, and why\n"
     "(--note, the justification). Until it expires the risk is not asked about again in the\n"
     "decisions sought, unless its score rises above the one accepted; due and check list the\n"
     "acceptances that expire. An acceptance requested but not yet granted, rejected or revoked\n"
     "is added with riskreg add acceptances status=... or imported.\n"
     "\n"
     "Example:\n"
     "  riskreg accept R-008 --by \"Claire Donnelly\" --until 2027-04-21 --note \"Dual feed "
     "and UPS tested; residual accepted by the board\"\n"},
    {"review", cmd_review,
     "plan DATE [--period YYYY-QN] [--chair NAME] [--title TEXT]\n"
     "               | hold ID [FIELD=VALUE...] [--on DATE] [--note TEXT] | freeze",
     "plan and hold a management review; its pack's figures are kept when it is held",
     "review plan adds a planned review (MR-NNN) for DATE, covering --period (default the\n"
     "quarter before DATE's), chaired by --chair. Record its inputs while it is prepared\n"
     "(riskreg add review_inputs review_id=MR-NNN input=customer_feedback text=...): the pack\n"
     "on the site is its pre-read. review hold records the meeting (--on, default today):\n"
     "attendees= and the three conclusions of clause 9.3, suitable=, adequate= and\n"
     "effective= (yes, partly or no, each with a *_note=), optionally chair= and summary=.\n"
     "It keeps the figures the pack shows as of that day in the register, with their\n"
     "SHA-256 in the change log; review/MR-NNN.html shows them ever after and verify checks\n"
     "them. Decisions are added with riskreg add review_decisions review_id=MR-NNN text=...\n"
     "kind=resource owner=... due_on=.... review freeze keeps the figures of held reviews\n"
     "that have none (those imported).\n"
     "\n"
     "Examples:\n"
     "  riskreg review plan 2027-01-26 --chair \"Claire Donnelly\"\n"
     "  riskreg review hold MR-012 attendees=\"Claire Donnelly, Ana Ferreira\" suitable=yes \\\n"
     "      adequate=partly adequate_note=\"one engineer short\" effective=yes\n"},
    {"show", cmd_show, "ID [--json]", "show one record with its history",
     "A risk shows its inherent and residual score with its level (3×5 → 15 High), its next\n"
     "review and its treatment plan's target date (each marked when overdue), its assessments\n"
     "and related improvements. A requirement shows its readiness assessments newest first,\n"
     "its subclauses, the documents that serve it (or a clause above it), the audits that\n"
     "covered it, the next one planned and whether an internal audit did within the audit\n"
     "cycle, and the nonconformities against it; a document the requirements it serves; a\n"
     "certificate its audits. Scores, levels and dates are those the rules in\n"
     "scripts/lib/rules.lua give, as on the site.\n"},
    {"list", cmd_list,
     "KIND [FIELD=VALUE...] [--overdue] [--above-appetite] [--sort score|due|id] [--as-of DATE]\n"
     "               [--json]",
     "list records",
     "FIELD=VALUE keeps records whose field equals the value (case does not matter; words\n"
     "such as 'In progress' are read as for import); for risks, level=NAME keeps those whose\n"
     "residual level is NAME. --overdue keeps what is past its review or due date and still\n"
     "open (a risk also when its treatment plan is past its target_on); --above-appetite the\n"
     "open risks whose residual score is above the appetite.\n"
     "--sort score puts the worst first, --sort due the soonest due; the default is by ID.\n"
     "list readiness --as-of DATE keeps each requirement's latest assessment on or before\n"
     "DATE: the readiness as it was then.\n"
     "\n"
     "Examples:\n"
     "  riskreg list risks owner=\"Ana Ferreira\" status=open\n"
     "  riskreg list readiness --as-of 2025-06-30 status=not_addressed\n"
     "  riskreg list risks --above-appetite --sort score\n"
     "  riskreg list improvements --overdue --json\n"},
    {"due", cmd_due, "[--owner NAME] [--within DAYS] [--json]",
     "what is due soon: risk reviews and treatment plans, acceptances, improvements, "
     "nonconformities, review actions, document reviews, certificate expiry",
     "Lists everything open that is due within DAYS (default 30) or already overdue,\n"
     "earliest first.\n"
     "\n"
     "Example:\n"
     "  riskreg due --owner \"Ana Ferreira\" --within 14\n"},
    {"check", cmd_check, "[--json]", "list register hygiene problems; exit 1 when there are any",
     "Finds open risks without an owner or never assessed, overdue risk reviews and treatment\n"
     "plans, improvements, nonconformities and review actions past their due date,\n"
     "nonconformities without a root cause, risk acceptances expired or expiring within 30\n"
     "days, documents past their next review, certificates expired or expiring within 90\n"
     "days, and assessable requirements no internal audit covered within the audit cycle\n"
     "(riskreg.lua: audit = { cycle_years = 3 }), each with the last internal audit and the\n"
     "next planned one. Exits 1 when it finds any, so it can gate a pipeline.\n"
     "\n"
     "Example:\n"
     "  riskreg check || mail -s \"Register hygiene\" sms@example.org < /dev/null\n"},
    {"log", cmd_log, "[ID] [--since DATE] [--json]", "print the change log",
     "Every change with its time (UTC), actor and what changed; for one record when ID is\n"
     "given (a risk's log includes its assessments).\n"},
    {"verify", cmd_verify, "", "check the register and its change log",
     "Runs SQLite's integrity and foreign-key checks, walks the hash chain of the change\n"
     "log, and compares every record with the log's last entry for it. Names the first\n"
     "entry or record that does not match and exits 1.\n"},
    {"upgrade", cmd_upgrade, "", "bring a register made by an older riskreg up to date",
     "Migrates register.db (or the register on the server) to the register version this\n"
     "riskreg writes, in one transaction. Commands that only read never change the\n"
     "register; they ask for this instead.\n"},
    {"info", cmd_info, "", "say where the register is kept, its version and its change log",
     "Prints the project's folder, the register's home (register.db, or the PostgreSQL\n"
     "server riskreg.lua names), its register version and how many change-log entries it\n"
     "has.\n"},
    {"migrate", cmd_migrate, "--to postgresql://HOST/DBNAME | --to FILE.db",
     "copy the register, with its whole change log, to a PostgreSQL server or a file",
     "Copies every record and the whole change log to an empty database on a PostgreSQL\n"
     "server, or to a new SQLite file (an archive, or an offline copy), in one\n"
     "transaction; prints the rows copied, then verifies the copy. The register itself is\n"
     "not changed: to work on the copy, point riskreg.lua's server line at it.\n"
     "\n"
     "Examples:\n"
     "  riskreg migrate --to postgresql://db.example.org/riskreg\n"
     "  riskreg migrate --to archive/register-2026-12.db\n"},
    {"import", cmd_import,
     "PATH... [--kind KIND|auto] [--sheet NAME] [--map 'Column=field,...']\n"
     "               [--map-values 'field:Word=value,...'] [--date-format DMY|MDY|YMD]\n"
     "               [--prefer sheet|register] [--on DATE] [--dry-run] [--delimiter ';']\n"
     "               [--header-row N]",
     "import CSV files, Excel workbooks or a folder of CSV files into the register",
     "Reads CSV in UTF-8 as spreadsheets save it, and .xlsx workbooks (the first sheet, the\n"
     "--sheet one, or with --kind auto every sheet named after a kind). The kind comes from\n"
     "--kind or the file name (risks.csv, ...); a folder imports every known file in\n"
     "dependency order. Headers match without regard to case, punctuation and a scale or unit\n"
     "(Likelihood (1-5), L_1to5, Cost (CHF)), with the aliases of common templates; a column\n"
     "whose name is close to a field is an error until --map says. --map 'Column=field' maps\n"
     "a column by header, letter (E=impact) or position (#5=impact), 'Column=' skips one; it\n"
     "may be repeated, and wins over any alias. --map-values maps a sheet's own words;\n"
     "--date-format reads 31/12/2026-style dates (never guessed). riskreg.lua's import\n"
     "section keeps all three for every import. A risk row with likelihood and impact also\n"
     "records an assessment dated by its own date column or --on (default today).\n"
     "Importing a sheet again never undoes work done in riskreg since: a field changed in\n"
     "both is a conflict, and nothing is written until --prefer settles it.\n"
     "The import is all or nothing: every bad row is reported as FILE:LINE: column 'NAME':\n"
     "message, nothing is written, and the exit code is 1. --dry-run only validates, and\n"
     "lists every field it would change.\n"
     "\n"
     "Examples:\n"
     "  riskreg import risk-register.csv --kind risks --date-format DMY\n"
     "  riskreg import register.xlsx --kind auto --dry-run\n"
     "  riskreg import sheet.csv --kind risks --map 'Ref No=id' --map 'E=' \\\n"
     "      --map-values 'status:Not Started=open'\n"
     "  riskreg import exports/\n"},
    {"export", cmd_export, "[--kind KIND] [--format csv|json|xlsx] [--as-of DATE] [--out PATH]",
     "export the register as CSV (one file per kind), JSON or an Excel workbook",
     "CSV is the import format: exporting and importing into an empty register gives the\n"
     "same files. Cells a spreadsheet would run as a formula (=, +, -, @ first) are written\n"
     "with a leading apostrophe, which import removes again. --as-of exports the register as\n"
     "it was on that date. Without --kind, CSV needs --out DIR. After a risk's fields come\n"
     "its latest scores and levels (latest_likelihood ... residual_level), after an\n"
     "assessment's its scores and levels: computed by the rules, skipped by import.\n"
     "xlsx is one workbook with a sheet per kind (or the --kind one) holding the CSV's rows:\n"
     "dates as dates, numbers as numbers, levels in their band's colour. It is binary: give\n"
     "--out FILE, or redirect standard output.\n"
     "\n"
     "Examples:\n"
     "  riskreg export --kind risks > risks.csv\n"
     "  riskreg export --out backup/\n"
     "  riskreg export --format json --as-of 2026-06-30\n"
     "  riskreg export --format xlsx --out register.xlsx\n"},
    {"template", cmd_template, "[--format xlsx|csv] [--out PATH]",
     "write an empty register to fill in: a workbook with drop-down lists, or CSV files",
     "Writes an Excel workbook (default register-template.xlsx in the project) with a sheet\n"
     "of instructions and a sheet per kind, headed with the columns import reads. The words\n"
     "of status, treatment and the like, and the ratings with riskreg.lua's labels, are\n"
     "drop-down lists; dates are checked as dates; each header has a note saying what its\n"
     "column holds. Fill it in and import it; untouched, it imports as nothing. --format csv\n"
     "writes a folder (default register-template/) with a header-only CSV file per kind.\n"
     "An existing template is replaced. riskreg init writes the workbook too.\n"
     "\n"
     "Examples:\n"
     "  riskreg template && riskreg import register-template.xlsx\n"
     "  riskreg template --format csv --out blank/\n"},
    {"build", cmd_build,
     "[--period YYYY-Qn | --as-of DATE] [--out DIR] [--jobs N]\n"
     "               [--script-timeout SECONDS] [--script-memory MB]",
     "build the management-review site",
     "Runs the report scripts (scripts/site.lua: the project's own first, then the built-in\n"
     "one; then every scripts/pages/*.lua of the project) over the register as it was at\n"
     "the end of the period (or today, if that is earlier), comparing with the period\n"
     "before. --period defaults to the current quarter; --as-of builds for any past date.\n"
     "The site goes to DIR (default public/ in the project), built in a new folder and\n"
     "swapped in only when everything succeeded: a failed build leaves the previous site as\n"
     "it was. A page made from the same records, settings, scripts and templates as the\n"
     "published one is kept, not rendered again (the build says how many it rendered and\n"
     "kept). The scripts may use 512 MB and 300 s of CPU time on their own thread (for a\n"
     "register over 170 MB, three times its size and a second per megabyte) unless\n"
     "--script-memory and --script-timeout say otherwise.\n"
     "\n"
     "Examples:\n"
     "  riskreg build\n"
     "  riskreg build --period 2026-Q3 --out /srv/www/review\n"},
    {"help", cmd_help, "[COMMAND | fields [KIND] | words | lua | templates [pages | records]]",
     "help on a command, the fields of each kind, the words import understands, the Lua API or the "
     "templates",
     ""},
    {"__complete", cmd_complete, "WHAT [ARG...]", NULL, "see complete.c"},
};

const struct command *cli_commands(int *count)
{
    *count = (int)(sizeof commands / sizeof commands[0]);
    return commands;
}

void cli_print_help(const struct command *cmd)
{
    printf("usage: riskreg %s %s\n\n%s.\n", cmd->name, cmd->usage, cmd->summary);
    if (cmd->help && *cmd->help) printf("\n%s", cmd->help);
    printf("\nGlobal options: -C DIR (the register project), --actor NAME (for the change "
           "log),\n--quiet.\n");
}

int cli_usage_error(struct cli *c, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    rr_error("%s", sb_str(&sb));
    sb_free(&sb);
    if (c->cmd)
        fprintf(stderr, "usage: riskreg %s %s\n(riskreg help %s for more)\n", c->cmd->name,
                c->cmd->usage, c->cmd->name);
    return EXIT_USAGE;
}

static const char *global_option(struct cli *c, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
        c->quiet = 1;
        return arg;
    }
    const char **slot = NULL;
    size_t len = 0;
    if (strcmp(arg, "-C") == 0 || strncmp(arg, "-C", 2) == 0) {
        slot = &c->dir;
        len = 2;
    } else if (strncmp(arg, "--actor", 7) == 0 && (arg[7] == '\0' || arg[7] == '=')) {
        slot = &c->actor;
        len = 7;
    }
    if (!slot) return NULL;
    if (arg[len] == '=')
        *slot = arg + len + 1;
    else if (arg[len] != '\0' && len == 2)
        *slot = arg + 2; /* -CDIR */
    else if (*i + 1 < argc)
        *slot = argv[++*i];
    else
        return "";
    return arg;
}

/* The options into opts and the other arguments into pos, at most cap of them. */
static int parse_into(struct cli *c, int argc, char **argv, struct opt *opts, char **pos, int cap,
                      int *npos)
{
    *npos = 0;
    int options_done = 0;
    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];
        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            if (*npos == cap) return cli_usage_error(c, "too many arguments");
            pos[(*npos)++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = 1;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            cli_print_help(c->cmd);
            return -1;
        }
        const char *g = global_option(c, argc, argv, &i);
        if (g && !*g) return cli_usage_error(c, "option %s needs a value", arg);
        if (g) continue;
        size_t name_len = strcspn(arg, "=");
        struct opt *o = NULL;
        for (struct opt *p = opts; p && p->name; p++)
            if (strlen(p->name) == name_len && strncmp(p->name, arg, name_len) == 0) o = p;
        if (!o) {
            const char *names[24];
            size_t n = 0;
            for (struct opt *p = opts; p && p->name && n < 20; p++)
                names[n++] = p->name;
            names[n++] = "--help";
            names[n++] = "--actor";
            names[n++] = "--quiet";
            char head[64];
            snprintf(head, sizeof head, "%.*s", (int)(name_len < 60 ? name_len : 60), arg);
            const char *guess = text_suggest(head, names, n);
            if (guess)
                return cli_usage_error(c, "unknown option '%s' for %s; did you mean '%s'?", head,
                                       c->cmd->name, guess);
            return cli_usage_error(c, "unknown option '%s' for %s", head, c->cmd->name);
        }
        o->given = 1;
        if (!o->has_value) {
            if (arg[name_len] == '=')
                return cli_usage_error(c, "option %s takes no value", o->name);
            continue;
        }
        if (arg[name_len] == '=')
            o->value = arg + name_len + 1;
        else if (i + 1 < argc)
            o->value = argv[++i];
        else
            return cli_usage_error(c, "option %s needs a value", o->name);
        if (c->nrepeated == CLI_REPEAT_MAX)
            return cli_usage_error(c, "too many options (more than %d with values)",
                                   CLI_REPEAT_MAX);
        c->repeated[c->nrepeated].name = o->name;
        c->repeated[c->nrepeated++].value = o->value;
    }
    return EXIT_DONE;
}

int cli_values(const struct cli *c, const char *name, const char **out, int max)
{
    int n = 0;
    for (int i = 0; i < c->nrepeated && n < max; i++)
        if (strcmp(c->repeated[i].name, name) == 0) out[n++] = c->repeated[i].value;
    return n;
}

int cli_parse(struct cli *c, int argc, char **argv, struct opt *opts, char **pos, int *npos)
{
    return parse_into(c, argc, argv, opts, pos, argc, npos);
}

int cli_args(struct cli *c, int argc, char **argv, struct opt *opts, char *pos[CLI_FEW], int *npos)
{
    int rc = parse_into(c, argc, argv, opts, pos, CLI_FEW, npos);
    return rc ? (rc < 0 ? EXIT_DONE : rc) : -1;
}

int cli_project(struct cli *c)
{
    if (c->have_cfg) return 0;
    if (config_find(c->dir, &c->cfg) != 0) return -1;
    c->have_cfg = 1;
    return 0;
}

int cli_rules(struct cli *c)
{
    if (c->rules) return 0;
    if (cli_project(c) != 0) return -1;
    c->rules = rules_open(&c->cfg, c->limits.memory_bytes ? &c->limits : NULL);
    return c->rules ? 0 : -1;
}

/* Commands and scripts read the register at cfg.db_path: for a register on a server, the copy */
static void use_copy(struct cli *c)
{
    if (!c->reg.copy_path) return;
    free(c->cfg.db_path);
    c->cfg.db_path = xstrdup(c->reg.copy_path);
}

int cli_open_read(struct cli *c)
{
    if (c->have_reg) return 0;
    if (cli_project(c) != 0) return -1;
    if (!c->rules && config_may_name_server(&c->cfg) && cli_rules(c) != 0) return -1;
    if (reg_open_read_only(&c->reg, &c->cfg) != 0) return -1;
    c->have_reg = 1;
    use_copy(c);
    return c->rules ? setting_check_matrix(&c->reg, &c->cfg) : 0;
}

int cli_open_write(struct cli *c)
{
    if (c->have_reg) return 0;
    if (cli_rules(c) != 0 || reg_open(&c->reg, &c->cfg, c->actor) != 0) return -1;
    c->have_reg = 1;
    use_copy(c);
    return setting_sync_matrix(&c->reg, &c->cfg);
}

const struct kind *cli_kind(struct cli *c, const char *what, const char *name)
{
    const struct kind *k = model_find_kind(name);
    if (k) return k;
    const char *guess = model_suggest_kind(name);
    if (guess)
        cli_usage_error(c, "%sno kind '%s'; did you mean '%s'?", what, name, guess);
    else
        cli_usage_error(c,
                        "%sno kind '%s' (kinds: risks, assessments, improvements, audits, "
                        "nonconformities, kpis, measurements, reviews, review_inputs, "
                        "review_actions)",
                        what, name);
    return NULL;
}

int cli_date_option(struct cli *c, const struct opt *o, rr_day *out)
{
    if (!o->value) {
        *out = date_today();
        return 0;
    }
    if (date_parse(o->value, out) != 0) {
        char why[160];
        date_explain(o->value, why, sizeof why);
        rr_error("%s: %s", o->name, why);
        return -1;
    }
    (void)c;
    return 0;
}

/* ---- the small commands ---- */

int cmd_log(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--since", 1, NULL, 0}, {"--json", 0, NULL, 0}, {NULL, 0, NULL, 0}};
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, opts, pos, &npos);
    if (rc >= 0) return rc;
    if (npos > 1) return cli_usage_error(c, "log takes at most one ID");
    rr_day since;
    if (opts[0].value && cli_date_option(c, &opts[0], &since) != 0) return EXIT_USAGE;
    if (cli_open_read(c) != 0) return EXIT_FAILED;
    return changelog_print(&c->reg, npos ? pos[0] : NULL, opts[0].value, opts[1].given);
}

int cmd_verify(struct cli *c, int argc, char **argv)
{
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, NULL, pos, &npos);
    if (rc >= 0) return rc;
    if (npos) return cli_usage_error(c, "verify takes no arguments");
    if (cli_project(c) != 0) return EXIT_FAILED;
    c->cfg.fresh = 1; /* what is on the server now, not a copy kept from before */
    if (cli_open_read(c) != 0) return EXIT_FAILED;
    return changelog_verify(&c->reg);
}

int cmd_upgrade(struct cli *c, int argc, char **argv)
{
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, NULL, pos, &npos);
    if (rc >= 0) return rc;
    if (npos) return cli_usage_error(c, "upgrade takes no arguments");
    if (cli_rules(c) != 0) return EXIT_FAILED;
    struct stat st;
    if (!c->cfg.server && stat(c->cfg.db_path, &st) != 0) {
        rr_error("%s: no register here yet (no register.db); nothing to upgrade", c->cfg.dir);
        return EXIT_FAILED;
    }
    if (cli_open_write(c) != 0) return EXIT_FAILED;
    if (!c->quiet) printf("%s is at register version %d\n", c->reg.path, reg_schema_version());
    return EXIT_DONE;
}

static void print_fields(const struct kind *k)
{
    printf("%s (table %s%s%s):\n", k->name, k->table, k->prefix ? ", IDs " : "",
           k->prefix ? k->prefix : "");
    if (k->prefix) printf("\n");
    for (int i = 0; i < k->nfields; i++) {
        const struct field *f = &k->fields[i];
        int defaulted = strstr(f->help, "default") != NULL;
        printf("  %-20s %s%s\n", f->name, f->help,
               f->flags & FF_REQUIRED && !defaulted ? " (required)" : "");
        if (f->aliases && *f->aliases) {
            struct strbuf sb = STRBUF_INIT;
            for (const char *a = f->aliases; *a; a++) {
                if (*a == '|')
                    sb_puts(&sb, ", ");
                else
                    sb_putc(&sb, *a);
            }
            printf("  %-20s   also read from: %s\n", "", sb_str(&sb));
            sb_free(&sb);
        }
    }
    if (k->id == K_RISK)
        printf("  and the fields of its first assessment: likelihood, impact, "
               "residual_likelihood, residual_impact, assessor, note, assessed_on\n");
}

/* riskreg help templates [pages|records]: each built-in template's variables and places, and
 * the records' shapes, from their one declaration (scripts/lib/templates.lua). */
static int help_templates(const char *part)
{
    const char *data_dir = rules_data_dir();
    if (!data_dir) {
        rr_error("cannot find riskreg's built-in scripts; set RISKREG_DATADIR");
        return EXIT_FAILED;
    }
    struct strbuf dir = STRBUF_INIT;
    sb_printf(&dir, "%s/scripts", data_dir);
    const char *dirs[1] = {dir.data};
    struct host_limits limits = {(size_t)64 << 20, 10};
    struct host *h = host_new(&limits, dirs, 1);
    sb_free(&dir);
    if (!h) {
        rr_error("out of memory");
        return EXIT_FAILED;
    }
    lua_State *L = host_state(h);
    int rc = EXIT_FAILED;
    host_push_env(h);
    lua_getfield(L, -1, "require");
    lua_pushliteral(L, "riskreg.templates");
    if (host_pcall(h, 1, 1) == 0) {
        lua_getfield(L, -1, "help");
        if (part)
            lua_pushstring(L, part);
        else
            lua_pushnil(L);
        if (host_pcall(h, 1, 1) == 0) {
            size_t len;
            const char *text = lua_tolstring(L, -1, &len);
            if (text && fwrite(text, 1, len, stdout) == len) rc = EXIT_DONE;
        }
    }
    host_free(h);
    return rc;
}

int cmd_help(struct cli *c, int argc, char **argv)
{
    (void)c;
    int n;
    const struct command *cmds = cli_commands(&n);
    if (argc == 0) {
        printf("riskreg keeps a risk and improvement register for an ISO/IEC 20000-1 service\n"
               "management system.\n\nusage: riskreg [-C DIR] [--actor NAME] COMMAND ...\n\n");
        for (int i = 0; i < n; i++)
            if (cmds[i].summary) printf("  %-8s %s\n", cmds[i].name, cmds[i].summary);
        printf("\nriskreg help COMMAND, or riskreg COMMAND --help, for one command.\n"
               "riskreg help fields KIND lists the fields of a kind; riskreg help words the\n"
               "words import and the command line accept for status, treatment and so on.\n");
        printf("riskreg help lua prints the Lua API of report scripts (man riskreg-lua).\n");
        printf("riskreg help templates lists each template's variables and each page's places.\n");
        return EXIT_DONE;
    }
    if (strcmp(argv[0], "lua") == 0) /* riskreg-lua(7), from the same source */
        return manual_write_text(manual_lua_scd, stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
    if (strcmp(argv[0], "templates") == 0) {
        if (argc > 1 && strcmp(argv[1], "pages") != 0 && strcmp(argv[1], "records") != 0) {
            rr_error("riskreg help templates [pages | records]");
            return EXIT_USAGE;
        }
        return help_templates(argc > 1 ? argv[1] : NULL);
    }
    if (strcmp(argv[0], "fields") == 0) {
        for (int k = 0; k < KIND_COUNT; k++) {
            const struct kind *kind = model_kind(k);
            if (argc > 1 && model_find_kind(argv[1]) != kind) continue;
            print_fields(kind);
            printf("\n");
        }
        if (argc > 1 && !model_find_kind(argv[1])) {
            rr_error("no kind '%s'; kinds are risks, assessments, improvements, audits, "
                     "nonconformities, kpis, measurements, reviews, review_inputs, review_actions, "
                     "review_decisions, acceptances",
                     argv[1]);
            return EXIT_USAGE;
        }
        return EXIT_DONE;
    }
    if (strcmp(argv[0], "words") == 0) {
        size_t count;
        const struct word_synonym *w = model_synonyms(&count);
        printf("%-16s %-10s %-28s %s\n", "kind", "field", "word", "value");
        for (size_t i = 0; i < count; i++)
            printf("%-16s %-10s %-28s %s\n", model_kind(w[i].kind)->name, w[i].field, w[i].word,
                   w[i].value);
        return EXIT_DONE;
    }
    for (int i = 0; i < n; i++)
        if (cmds[i].summary && strcmp(cmds[i].name, argv[0]) == 0) {
            cli_print_help(&cmds[i]);
            return EXIT_DONE;
        }
    const char *names[32];
    for (int i = 0; i < n; i++)
        names[i] = cmds[i].summary ? cmds[i].name : ""; /* hidden: never suggested */
    const char *guess = text_suggest(argv[0], names, (size_t)n);
    if (guess)
        rr_error("no command '%s'; did you mean '%s'?", argv[0], guess);
    else
        rr_error("no command '%s'; riskreg help lists them", argv[0]);
    return EXIT_USAGE;
}
