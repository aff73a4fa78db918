/* edit.c - riskreg edit ID: a record as a text form in the user's editor.
 *
 * The form is "name: value" lines, then each Markdown field (and any text with line breaks) as a
 * block that starts with a "--- name" line. Lines starting with '#' before the first block are
 * comments. Like `git commit`, a form that does not validate comes back in the editor with the
 * error on top, and a form saved without a change writes nothing. The register is only locked
 * for the moment of writing: a record that someone else changed meanwhile is not overwritten. */
#include "cli.h"
#include "record.h"
#include "text.h"
#include "write.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ERR_SIZE 512
#define ERROR_MARK "# ERROR: "
#define BLOCK_MARK "--- "

static int is_block_field(const struct field *f, const char *value)
{
    return f->type == FT_MARKDOWN || (value && strchr(value, '\n'));
}

static void render_form(const struct cli *c, const struct record *rec, struct strbuf *out)
{
    const struct kind *k = rec->kind;
    char *key = record_row_key(rec);
    sb_printf(out,
              "# riskreg edit %s (%s). Save and quit to apply it; quit without a change to\n"
              "# leave it as it is. Lines starting with '#' up here are ignored. An empty value\n"
              "# clears a field; a line you remove keeps its value. A \"--- name\" line starts\n"
              "# a Markdown field, which runs to the next \"--- name\" line.\n",
              key, k->singular);
    free(key);
    for (int i = 0; i < k->nfields; i++) {
        const struct field *f = &k->fields[i];
        if (f->type == FT_ENUM) {
            sb_printf(out, "#   %s:", f->name);
            for (const char *const *v = f->values; *v; v++)
                sb_printf(out, "%s %s", v == f->values ? "" : " |", *v);
            sb_putc(out, '\n');
        } else if (f->type == FT_RATING) {
            sb_printf(out, "#   %s: 1..%d or a word (Low, Likely, Major, ...)\n", f->name,
                      c->cfg.matrix_size);
        }
    }
    if (k->id == K_RISK) sb_puts(out, "# Scores change with 'riskreg assess', not here.\n");
    sb_putc(out, '\n');
    for (int i = 0; i < k->nfields; i++)
        if (!is_block_field(&k->fields[i], rec->v[i]))
            sb_printf(out, "%s:%s%s\n", k->fields[i].name, rec->v[i] ? " " : "",
                      rec->v[i] ? rec->v[i] : "");
    for (int i = 0; i < k->nfields; i++)
        if (is_block_field(&k->fields[i], rec->v[i]))
            sb_printf(out, "\n" BLOCK_MARK "%s\n%s%s", k->fields[i].name,
                      rec->v[i] ? rec->v[i] : "", rec->v[i] ? "\n" : "");
}

/* A "--- name" line naming a field of the kind: its index, else -1. */
static int block_start(const struct kind *k, const char *line)
{
    if (strncmp(line, BLOCK_MARK, strlen(BLOCK_MARK)) != 0) return -1;
    char name[64];
    snprintf(name, sizeof name, "%s", line + strlen(BLOCK_MARK));
    return model_field_index(k, text_trim(name));
}

static int form_error(char *err, size_t errsize, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int form_error(char *err, size_t errsize, int line, const char *fmt, ...)
{
    int n = snprintf(err, errsize, "line %d: ", line);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < errsize) vsnprintf(err + n, errsize - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* The form's text onto after (a copy of the record as it was). 0, or -1 with err. */
static int parse_form(struct cli *c, char *text, struct record *after, char *err, size_t errsize)
{
    const struct kind *k = after->kind;
    int seen[MAX_FIELDS] = {0};
    int block = -1, block_line = 0, lineno = 0;
    struct strbuf body = STRBUF_INIT;
    int rc = 0;
    for (char *line = text; line && rc == 0;) {
        char *next = strchr(line, '\n');
        if (next) *next++ = '\0';
        lineno++;
        int starts = block_start(k, line);
        if (starts < 0 && block >= 0) { /* a line of the Markdown block, kept as it is */
            sb_puts(&body, line);
            sb_putc(&body, '\n');
            line = next;
            continue;
        }
        int field = starts;
        const char *raw = NULL;
        char *copy = xstrdup(line);
        char *trimmed = text_trim(copy);
        if (starts < 0 && (!*trimmed || *trimmed == '#')) {
            free(copy);
            line = next;
            continue;
        }
        if (starts < 0) {
            char *colon = strchr(trimmed, ':');
            if (!colon) {
                rc = form_error(err, errsize, lineno, "'%.60s' is not 'field: value'", trimmed);
                free(copy);
                break;
            }
            *colon = '\0';
            raw = colon + 1;
            field = model_field_index(k, text_trim(trimmed));
            if (field < 0) field = model_field_for_header(k, trimmed);
            if (field < 0) {
                const char *guess = model_suggest_field(k, trimmed);
                rc = form_error(err, errsize, lineno, "%s have no field '%.60s'%s%s%s", k->name,
                                trimmed, guess ? "; did you mean '" : "", guess ? guess : "",
                                guess ? "'?" : "");
                free(copy);
                break;
            }
        }
        if (block >= 0) { /* the Markdown block before this one is complete */
            int ignored;
            if (write_assign(c, after, NULL, k->fields[block].name, sb_str(&body), &ignored, err,
                             errsize) != 0) {
                char why[ERR_SIZE];
                snprintf(why, sizeof why, "%s", err);
                rc = form_error(err, errsize, block_line, "%s", why);
            }
            sb_reset(&body);
            block = -1;
        }
        if (rc == 0 && seen[field])
            rc = form_error(err, errsize, lineno, "%s is given twice", k->fields[field].name);
        if (rc == 0) {
            seen[field] = 1;
            if (starts >= 0) {
                block = starts;
                block_line = lineno;
            } else {
                int ignored;
                char why[ERR_SIZE];
                if (write_assign(c, after, NULL, k->fields[field].name, raw, &ignored, why,
                                 sizeof why) != 0)
                    rc = form_error(err, errsize, lineno, "%s", why);
            }
        }
        free(copy);
        line = next;
    }
    if (rc == 0 && block >= 0) {
        int ignored;
        char why[ERR_SIZE];
        if (write_assign(c, after, NULL, k->fields[block].name, sb_str(&body), &ignored, why,
                         sizeof why) != 0)
            rc = form_error(err, errsize, block_line, "%s", why);
    }
    sb_free(&body);
    return rc;
}

/* Run $VISUAL, $EDITOR or vi on path, as git does: through the shell, so that "code --wait"
 * works. 0 when the editor exited well; -1 after a message. */
static int run_editor(const char *editor, const char *path)
{
    struct strbuf command = STRBUF_INIT;
    sb_printf(&command, "%s \"$@\"", editor);
    pid_t pid = fork();
    if (pid < 0) {
        rr_error("cannot start the editor: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", command.data, editor, path, (char *)NULL);
        _exit(127);
    }
    sb_free(&command);
    /* the terminal's Ctrl-C belongs to the editor while it runs */
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old_int, old_quit;
    sigaction(SIGINT, &ignore, &old_int);
    sigaction(SIGQUIT, &ignore, &old_quit);
    int status;
    pid_t got;
    while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    if (got < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        rr_error("the editor (%s) %s; nothing written", editor,
                 got < 0 || !WIFEXITED(status) ? "was stopped" : "exited with an error");
        return -1;
    }
    return 0;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    int ok = f && fputs(text, f) >= 0;
    int err = errno;
    if (f && fclose(f) != 0 && ok) { /* closed once, whatever happened before */
        ok = 0;
        err = errno;
    }
    if (!ok) {
        rr_error("%s: %s", path, strerror(err));
        return -1;
    }
    return 0;
}

/* The form without the error lines a previous round put on top. */
static const char *without_errors(const char *text)
{
    while (strncmp(text, ERROR_MARK, strlen(ERROR_MARK)) == 0 || strncmp(text, "#!", 2) == 0) {
        const char *nl = strchr(text, '\n');
        if (!nl) return "";
        text = nl + 1;
    }
    return text;
}

/* Apply after in one transaction, unless the record changed since it was read. */
static int save(struct cli *c, const struct record *before, struct record *after, const char *note,
                const char *path, char *err, size_t errsize, int *changed)
{
    struct record now = {0};
    char *key = record_row_key(before);
    int rc = -1;
    if (reg_begin(&c->reg) != 0) goto out;
    int found = write_find(&c->reg, key, &now);
    if (found <= 0 || !record_equal(&now, before)) {
        reg_rollback(&c->reg);
        rr_error("%s was %s while you edited it (riskreg log %s shows by whom); nothing written; "
                 "your text is kept in %s",
                 key, found ? "changed" : "removed", record_id(before), path);
        rc = -2;
        goto out;
    }
    if (write_review_after_change(c, before, after) != 0) {
        reg_rollback(&c->reg);
        rc = -2;
        goto out;
    }
    if (write_check_update(&c->reg, before, after, err, errsize) != 0) {
        reg_rollback(&c->reg);
        goto out;
    }
    *changed = record_update(&c->reg, before, after, note);
    if (*changed < 0 || reg_commit(&c->reg) != 0) {
        reg_rollback(&c->reg);
        rc = -2;
        goto out;
    }
    rc = 0;
out:
    record_free(&now);
    free(key);
    return rc;
}

int cmd_edit(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--note", 1, NULL, 0}, {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos;
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (rc || npos != 1 || cli_open_write(c) != 0) {
        free(pos);
        return rc < 0      ? EXIT_DONE
               : rc        ? rc
               : npos != 1 ? cli_usage_error(c, "edit needs the ID of one record")
                           : EXIT_FAILED;
    }

    struct record before = {0}, after = {0};
    struct strbuf form = STRBUF_INIT, saved = STRBUF_INIT;
    int code = EXIT_FAILED;
    int found = write_find(&c->reg, pos[0], &before);
    if (found < 0) goto out;
    if (!found) {
        rr_error("there is no record %s (riskreg list KIND shows what there is)", pos[0]);
        goto out;
    }
    const char *tmp = getenv("TMPDIR");
    struct strbuf tmpl = STRBUF_INIT;
    sb_printf(&tmpl, "%s/riskreg-edit-%s-XXXXXX.txt", tmp && *tmp ? tmp : "/tmp", before.v[0]);
    int fd = mkstemps(tmpl.data, 4);
    if (fd < 0) {
        rr_error("cannot make a file to edit in %s: %s", tmp && *tmp ? tmp : "/tmp",
                 strerror(errno));
        sb_free(&tmpl);
        goto out;
    }
    close(fd);
    render_form(c, &before, &form);
    char *presented = xstrdup(sb_str(&form));
    const char *file = tmpl.data;
    const char *editor = getenv("VISUAL");
    if (!editor || !*editor) editor = getenv("EDITOR");
    if (!editor || !*editor) editor = "vi";
    int keep = 0;
    for (int round = 0;; round++) {
        if (write_file(file, presented) != 0 || run_editor(editor, file) != 0) break;
        sb_reset(&saved);
        if (text_read_file(file, &saved) != 0) break;
        if (strcmp(sb_str(&saved), presented) == 0) {
            if (round == 0) {
                if (!c->quiet) printf("%s unchanged: nothing written\n", before.v[0]);
                code = EXIT_DONE;
            } else {
                rr_error("edit given up; nothing written; your text is kept in %s", file);
                keep = 1;
            }
            break;
        }
        char *text = xstrdup(without_errors(sb_str(&saved)));
        char err[ERR_SIZE] = "";
        record_free(&after);
        record_copy(&after, &before);
        int bad = parse_form(c, text, &after, err, sizeof err);
        int changed = 0;
        if (bad == 0) {
            int saved_rc = save(c, &before, &after, opts[0].value, file, err, sizeof err, &changed);
            if (saved_rc == -2) {
                keep = 1;
                free(text);
                break;
            }
            bad = saved_rc;
        }
        if (bad == 0) {
            if (!c->quiet) write_print_update(&before, &after, changed);
            code = EXIT_DONE;
            free(text);
            break;
        }
        /* back to the editor with the error on top */
        struct strbuf again = STRBUF_INIT;
        sb_printf(&again,
                  ERROR_MARK "%s\n#! Correct it and save, or quit without a change to give "
                             "up (nothing is written).\n",
                  err);
        sb_puts(&again, without_errors(sb_str(&saved)));
        free(presented);
        presented = sb_take(&again);
        free(text);
        if (round >= 50) { /* an editor script that never fixes it */
            rr_error("%s", err);
            break;
        }
    }
    if (!keep) unlink(file);
    free(presented);
    sb_free(&tmpl);
out:
    record_free(&before);
    record_free(&after);
    sb_free(&form);
    sb_free(&saved);
    free(pos);
    return code;
}
