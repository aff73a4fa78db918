/* import.c - CSV files into the register, all or nothing.
 *
 * Every file is read and every row checked before anything is written, inside one write
 * transaction; one bad row anywhere means nothing is written. Rows whose ID (or key) already
 * exists update that record with the columns the file has, so importing the same spreadsheet
 * again changes nothing. */
#include "import_baseline.h"
#include "import_header.h"
#include "import_plan.h"
#include "import_rows.h"
#include "import_write.h"
#include "progress.h"
#include "sheet_xlsx.h"
#include "text.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- which files, in which order ---- */

/* One file to read as kind k: a CSV file, or the sheet of that name of a workbook. */
static int add_file(struct import *im, const char *path, const struct kind *k,
                    const char *sheet_name)
{
    im->files = xrealloc(im->files, sizeof *im->files * (size_t)(im->nfiles + 1));
    struct import_file *f = &im->files[im->nfiles++];
    memset(f, 0, sizeof *f);
    f->name = xstrdup(path);
    f->sheet_name = sheet_name ? xstrdup(sheet_name) : NULL;
    f->kind = k;
    return 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The kind a workbook's file name names ("risks.xlsx"), or NULL. */
static const struct kind *workbook_kind_by_name(const char *path)
{
    const char *name = base_name(path);
    char *stem = xstrndup(name, strlen(name) - strlen(".xlsx"));
    const struct kind *k = model_find_kind(stem);
    free(stem);
    return k;
}

/* Every sheet named for a kind ("Risks", "improvements", as export --format xlsx names them),
 * as that kind; the other sheets are skipped and said. */
static int add_sheets_by_name(struct import *im, const char *path, char **names, int count)
{
    int found = 0;
    for (int i = 0; i < count; i++) {
        const struct kind *k = model_find_kind(names[i]);
        if (k) {
            add_file(im, path, k, names[i]);
            found++;
        } else if (!im->c->quiet && strcmp(names[i], SHEET_XLSX_INSTRUCTIONS) != 0 &&
                   strcmp(names[i], SHEET_XLSX_LISTS) != 0) {
            rr_warn("%s: sheet '%s' is not named for a kind (risks, improvements, ...); skipped",
                    path, names[i]);
        }
    }
    if (found) return 0;
    im->usage_error = 1;
    cli_usage_error(im->c,
                    "%s: cannot tell what the workbook holds: no sheet is named for a kind "
                    "(risks, improvements, ...); give --kind KIND (and --sheet NAME), or name "
                    "the sheets so",
                    path);
    return -1;
}

/* A workbook's sheets to import: with a kind (--kind, or the file's name), --sheet's or the
 * first; else every sheet named for a kind (or --sheet's alone). */
static int add_workbook(struct import *im, const char *path, const struct kind *forced)
{
    char **names;
    int count, rc = 0;
    if (sheet_xlsx_names(path, &names, &count) != 0) return -1;
    const struct kind *k = forced;
    if (!k && !im->kind_auto) k = workbook_kind_by_name(path);
    int at = sheet_xlsx_pick(path, names, count, im->sheet);
    if (at < 0) {
        rc = -1;
    } else if (k) {
        add_file(im, path, k, names[at]);
    } else if (im->sheet) {
        k = model_find_kind(names[at]);
        if (k) {
            add_file(im, path, k, names[at]);
        } else {
            im->usage_error = 1;
            cli_usage_error(im->c,
                            "%s: cannot tell what sheet '%s' holds from its name; give --kind "
                            "(risks, improvements, ...)",
                            path, names[at]);
            rc = -1;
        }
    } else {
        rc = add_sheets_by_name(im, path, names, count);
    }
    sheet_xlsx_free_names(names, count);
    return rc;
}

static int collect_files(struct import *im, char **paths, int n, const char *kind_name)
{
    const struct kind *forced = NULL;
    if (kind_name) {
        forced = cli_kind(im->c, "--kind: ", kind_name);
        if (!forced) {
            im->usage_error = 1;
            return -1;
        }
    }
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            rr_error("%s: no such file or folder", paths[i]);
            return -1;
        }
        if (S_ISDIR(st.st_mode)) {
            if (forced) {
                im->usage_error = 1;
                cli_usage_error(im->c, "--kind names the kind of one file; a folder's files are "
                                       "known by their names (risks.csv, ...)");
                return -1;
            }
            struct dirent **entries;
            int count = scandir(paths[i], &entries, NULL, alphasort);
            if (count < 0) {
                rr_error("%s: cannot read the folder", paths[i]);
                return -1;
            }
            int found = 0;
            for (int e = 0; e < count; e++) {
                const char *name = entries[e]->d_name;
                size_t len = strlen(name);
                if (name[0] != '.' && len > 4 && strcmp(name + len - 4, ".csv") == 0) {
                    const struct kind *k = model_find_kind(name);
                    struct strbuf path = STRBUF_INIT;
                    sb_printf(&path, "%s/%s", paths[i], name);
                    if (k) {
                        add_file(im, path.data, k, NULL);
                        found++;
                    } else if (!im->c->quiet) {
                        rr_warn("%s: not a register file name (risks.csv, improvements.csv, ...); "
                                "skipped",
                                path.data);
                    }
                    sb_free(&path);
                }
                free(entries[e]);
            }
            free(entries);
            if (!found) {
                rr_error("%s: no register files here (risks.csv, assessments.csv, "
                         "improvements.csv, ...)",
                         paths[i]);
                return -1;
            }
            continue;
        }
        if (sheet_is_xlsx(paths[i])) {
            if (add_workbook(im, paths[i], forced) != 0) return -1;
            continue;
        }
        const struct kind *k = forced ? forced : model_find_kind(base_name(paths[i]));
        if (!k) {
            im->usage_error = 1;
            cli_usage_error(im->c,
                            "%s: cannot tell what the file holds from its name; give "
                            "--kind (risks, improvements, ...) or name it risks.csv, ...",
                            paths[i]);
            return -1;
        }
        add_file(im, paths[i], k, NULL);
    }
    int workbooks = 0;
    for (int i = 0; i < im->nfiles; i++)
        workbooks |= im->files[i].sheet_name != NULL;
    if (im->sheet && !workbooks) {
        im->usage_error = 1;
        cli_usage_error(im->c, "--sheet names a sheet of a workbook (.xlsx); a CSV file has none");
        return -1;
    }
    /* dependency order: a kind only refers to kinds before it; stable within a kind */
    for (int i = 1; i < im->nfiles; i++)
        for (int j = i; j > 0 && im->files[j - 1].kind->id > im->files[j].kind->id; j--) {
            struct import_file t = im->files[j];
            im->files[j] = im->files[j - 1];
            im->files[j - 1] = t;
        }
    return 0;
}

/* ---- the command ---- */

static void print_counts(const struct import *im, const struct import_file *f,
                         const struct counts *n, int dry)
{
    if (im->c->quiet) return;
    const char *verb = dry ? "would be " : "";
    const char *name = n->added == 1 ? f->kind->singular : f->kind->name;
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s", f->name);
    if (f->sheet.sheet_name) sb_printf(&sb, ", sheet '%s'", f->sheet.sheet_name);
    sb_printf(&sb, ": %d %s %sadded", n->added, name, verb);
    if (n->updated) sb_printf(&sb, ", %d %supdated", n->updated, verb);
    if (n->unchanged) sb_printf(&sb, ", %d unchanged", n->unchanged);
    if (n->assessments_added)
        sb_printf(&sb, "; %d assessment%s %sadded", n->assessments_added,
                  n->assessments_added == 1 ? "" : "s", verb);
    if (n->assessments_updated)
        sb_printf(&sb, "; %d assessment%s %supdated", n->assessments_updated,
                  n->assessments_updated == 1 ? "" : "s", verb);
    puts(sb_str(&sb));
    sb_free(&sb);
}

/* "  R-004 owner: 'Ann' → 'Bob'": every field a dry run would change in a record that exists */
static void print_changes(const struct import_file *f)
{
    for (int r = 0; r < f->nrows; r++) {
        const struct planned *p = &f->rows[r];
        const struct record *pairs[][2] = {{p->before, &p->rec},
                                           {p->assessment_before, p->assessment}};
        for (int k = 0; k < 2; k++) {
            const struct record *was = pairs[k][0], *now = pairs[k][1];
            if (!was || !now) continue;
            for (int i = 0; i < now->kind->nfields; i++) {
                if ((!was->v[i] && !now->v[i]) ||
                    (was->v[i] && now->v[i] && strcmp(was->v[i], now->v[i]) == 0))
                    continue;
                if (k)
                    printf("  %s assessment of %s, %s: '%s' → '%s'\n", p->rec.v[0], now->v[1],
                           now->kind->fields[i].name, was->v[i] ? was->v[i] : "",
                           now->v[i] ? now->v[i] : "");
                else
                    printf("  %s %s: '%s' → '%s'\n", p->rec.v[0] ? p->rec.v[0] : "",
                           now->kind->fields[i].name, was->v[i] ? was->v[i] : "",
                           now->v[i] ? now->v[i] : "");
            }
        }
    }
}

static void count_plan(const struct import_file *f, struct counts *n)
{
    memset(n, 0, sizeof *n);
    for (int r = 0; r < f->nrows; r++) {
        const struct planned *p = &f->rows[r];
        if (!p->before)
            n->added++;
        else if (record_equal(p->before, &p->rec))
            n->unchanged++;
        else
            n->updated++;
        if (p->assessment) {
            if (p->assessment_before)
                n->assessments_updated++;
            else
                n->assessments_added++;
        }
    }
}

static void free_batch_id(const char *key, void *value, void *data)
{
    (void)key;
    (void)data;
    free(value);
}

static void import_free(struct import *im)
{
    for (int i = 0; i < im->nfiles; i++) {
        struct import_file *f = &im->files[i];
        for (int r = 0; r < f->nrows; r++) {
            record_free(&f->rows[r].rec);
            import_free_new(f->rows[r].before);
            import_free_new(f->rows[r].assessment);
            import_free_new(f->rows[r].assessment_before);
            import_free_texts(&f->rows[r]);
            free(f->rows[r].baseline);
        }
        free(f->source);
        free(f->rows);
        free(f->cols);
        sheet_free(&f->sheet);
        free((char *)f->name);
        free((char *)f->sheet_name);
    }
    free(im->files);
    map_each(&im->ids, free_batch_id, NULL);
    map_free(&im->ids);
    map_free(&im->keys);
    import_options_free(&im->opts);
    import_errors_free(im);
}

static int parse_prefer(struct import *im, const char *text)
{
    if (!text) return 0;
    if (strcmp(text, "sheet") == 0)
        im->prefer = PREFER_SHEET;
    else if (strcmp(text, "register") == 0)
        im->prefer = PREFER_REGISTER;
    else {
        im->usage_error = 1;
        return cli_usage_error(im->c, "--prefer: use 'sheet' or 'register'"), -1;
    }
    return 0;
}

static int parse_delimiter(struct import *im, const char *text)
{
    im->delimiter = ',';
    if (!text) return 0;
    im->delimiter_given = 1;
    if (strcmp(text, "tab") == 0 || strcmp(text, "\\t") == 0 || strcmp(text, "\t") == 0)
        im->delimiter = '\t';
    else if (strlen(text) == 1 && strchr(",;|\t", text[0]))
        im->delimiter = text[0];
    else {
        im->usage_error = 1;
        return cli_usage_error(im->c, "--delimiter: use ',', ';', '|' or tab"), -1;
    }
    return 0;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--kind", 1, NULL, 0},
                         {"--map", 1, NULL, 0},
                         {"--on", 1, NULL, 0},
                         {"--dry-run", 0, NULL, 0},
                         {"--delimiter", 1, NULL, 0},
                         {"--header-row", 1, NULL, 0},
                         {"--map-values", 1, NULL, 0},
                         {"--date-format", 1, NULL, 0},
                         {"--sheet", 1, NULL, 0},
                         {"--prefer", 1, NULL, 0},
                         {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos;
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (rc) {
        free(pos);
        return rc < 0 ? EXIT_DONE : rc;
    }
    struct import im = {.c = c, .g = &c->reg, .sheet = opts[8].value};
    const char *kind_name = opts[0].value;
    if (kind_name && strcmp(kind_name, "auto") == 0) {
        im.kind_auto = 1;
        kind_name = NULL;
    }
    int code = EXIT_FAILED;
    if (npos == 0) {
        code = cli_usage_error(c, "import needs a CSV file or a folder of them");
        goto out;
    }
    if (opts[5].value) {
        long long n;
        if (text_parse_int(opts[5].value, &n) != 0 || n < 1 || n > 1000000) {
            code = cli_usage_error(c, "--header-row takes a line number");
            goto out;
        }
        im.header_row = (int)n;
    }
    if (parse_delimiter(&im, opts[4].value) != 0 || parse_prefer(&im, opts[9].value) != 0) {
        code = EXIT_USAGE;
        goto out;
    }
    if (import_options_read(c, &im.opts, opts[7].value) != 0) {
        code = c->rules ? EXIT_USAGE : EXIT_FAILED; /* the rules said why they did not load */
        goto out;
    }
    if (cli_date_option(c, &opts[2], &im.on) != 0) {
        code = EXIT_USAGE;
        goto out;
    }
    date_format(im.on, im.on_text);
    if (collect_files(&im, pos, npos, kind_name) != 0) {
        code = im.usage_error ? EXIT_USAGE : EXIT_FAILED;
        goto out;
    }
    /* a large import touches many pages: room for them in memory rather than spilling them to
     * the WAL mid-transaction (the cache grows only as far as it is used) */
    if (cli_open_write(c) != 0 || reg_exec(&c->reg, "PRAGMA cache_size = -131072") != 0 ||
        reg_begin(&c->reg) != 0)
        goto out;
    for (int k = 0; k < KIND_COUNT; k++)
        if (model_kind(k)->prefix &&
            (im.highest[k] = record_highest_number(&c->reg, model_kind(k)->prefix)) < 0)
            goto out;
    progress_start("Importing", c->quiet);
    progress_phase("checking", "rows", 0);
    if (import_read_and_check(&im) != 0) {
        code = im.usage_error ? EXIT_USAGE : EXIT_FAILED;
        goto out;
    }
    progress_end();
    if (im.failed_rules) goto out;
    if (im.errors) {
        import_error_summary(&im);
        rr_error("import failed: %d error%s; nothing was imported", im.errors,
                 im.errors == 1 ? "" : "s");
        goto out;
    }
    struct counts n;
    int dry = opts[3].given;
    for (int i = 0; i < im.nfiles && dry; i++) {
        count_plan(&im.files[i], &n);
        print_counts(&im, &im.files[i], &n, 1);
        if (!c->quiet) print_changes(&im.files[i]);
    }
    if (im.conflicts && im.prefer == PREFER_ASK) {
        if (im.conflicts > MAX_ERRORS_SHOWN)
            rr_error("… and %d more conflicts", im.conflicts - MAX_ERRORS_SHOWN);
        rr_error("%s: %d field%s changed both in riskreg and in the sheet since it was last "
                 "imported; --prefer sheet takes the sheet's values, --prefer register keeps "
                 "riskreg's; nothing was %s",
                 dry ? "dry run" : "import failed", im.conflicts, im.conflicts == 1 ? "" : "s",
                 dry ? "written" : "imported");
        goto out;
    }
    if (dry) {
        if (!c->quiet) printf("dry run: the files are valid; nothing was written\n");
        code = EXIT_DONE;
        goto out;
    }
    int total = 0, rows = 0;
    struct counts *done = xcalloc((size_t)im.nfiles, sizeof *done);
    for (int i = 0; i < im.nfiles; i++)
        rows += im.files[i].nrows;
    progress_start("Importing", c->quiet);
    progress_phase("writing", "rows", rows);
    import_assign_ids(&im);
    struct log_texts texts;
    import_texts_start(&texts, &im);
    int failed = 0;
    long row = 0;
    for (int i = 0; i < im.nfiles && !failed; row += im.files[i++].nrows)
        failed = import_write_file(&im, &im.files[i], &done[i], &texts, row) != 0;
    import_texts_stop(&texts);
    progress_end();
    if (failed || import_baseline_save(&im) != 0 || reg_commit(&c->reg) != 0) {
        free(done);
        goto out;
    }
    for (int i = 0; i < im.nfiles; i++) { /* said once they are safely in */
        print_counts(&im, &im.files[i], &done[i], 0);
        total += done[i].added + done[i].updated + done[i].assessments_added +
                 done[i].assessments_updated;
    }
    free(done);
    if (!c->quiet)
        printf("imported %d %s%s: %d record%s written\n", im.nfiles,
               im.files[0].sheet.sheet_name ? "sheet" : "file", im.nfiles == 1 ? "" : "s", total,
               total == 1 ? "" : "s");
    code = EXIT_DONE;
    /* held reviews imported have no figures kept: say how to keep them (it reads the whole
     * register once per review, so it is not done unasked) */
    int reviews = 0;
    for (int i = 0; i < im.nfiles; i++)
        reviews |= im.files[i].kind->id == K_REVIEW;
    if (reviews && !c->quiet) review_hint_unfrozen(c);
out:
    progress_end();
    if (c->have_reg) reg_rollback(&c->reg);
    import_free(&im);
    free(pos);
    return code;
}
