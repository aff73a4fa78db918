/* export.c - the register as CSV (the import format), JSON or XLSX (export_xlsx.c), now or as it
 * was on a date */
#include "cli.h"
#include "export.h"
#include "map.h"
#include "record.h"
#include "sheet.h"
#include "text.h"

#include <errno.h>
#include <openssl/evp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the point-in-time rule (register/README.md) ----
 * A record exists on D when its start date (created_on, raised_on, held_on, measured_on,
 * assessed_on) is on or before D; a closing date after D is not known yet on D, so the record
 * shows as still open. A risk's next review on D follows from its latest assessment on or before
 * D. Rows that belong to a record that did not exist yet are left out. */

struct as_of {
    const char *date; /* NULL: the register as it is */
    int current;      /* the date is today (or later): review dates as the register has them */
    struct reg *g;
    struct map risks;   /* risks that exist on D: id -> latest assessment date (or "") */
    struct map reviews; /* reviews held on or before D */
    int review_every_days;
    const char *dir, *shown_dir; /* files written in dir are named in shown_dir in messages */
    struct strbuf *errors;       /* not NULL: messages go here, not to stderr */
};

static int after(const char *date, const struct as_of *ao)
{
    return date && strcmp(date, ao->date) > 0;
}

static void clear(struct record *rec, const char *field)
{
    record_set(rec, model_field_index(rec->kind, field), NULL);
}

static void set(struct record *rec, const char *field, const char *value)
{
    record_set(rec, model_field_index(rec->kind, field), value);
}

/* 0: leave the row out; 1: keep it (possibly changed to how it was on D) */
static int as_of_row(struct as_of *ao, struct record *rec)
{
    if (!ao->date) return 1;
#define G(name) record_get(rec, name)
    switch (rec->kind->id) {
    case K_RISK: {
        if (after(G("created_on"), ao)) return 0;
        if (after(G("closed_on"), ao)) {
            clear(rec, "closed_on");
            set(rec, "status", "open");
        }
        const char *latest = map_get(&ao->risks, rec->v[0]);
        if (strcmp(G("status"), "closed") == 0) {
            clear(rec, "next_review_on");
        } else if (ao->current && G("next_review_on")) {
            /* today's view keeps the review date as set (it may have been moved by hand) */
        } else {
            rr_day day;
            date_parse(latest && *latest ? latest : G("created_on"), &day);
            const char *every = G("review_every_days");
            char next[DATE_TEXT_SIZE];
            date_format(day + (every ? atol(every) : ao->review_every_days), next);
            set(rec, "next_review_on", next);
        }
        return 1;
    }
    case K_ASSESSMENT:
        return !after(G("assessed_on"), ao) && map_get(&ao->risks, G("risk_id"));
    case K_IMPROVEMENT:
        if (after(G("raised_on"), ao)) return 0;
        if (G("risk_id") && !map_get(&ao->risks, G("risk_id"))) clear(rec, "risk_id");
        if (after(G("done_on"), ao)) {
            clear(rec, "done_on");
            set(rec, "status", "in_progress");
        }
        return 1;
    case K_AUDIT:
        return !after(G("held_on"), ao);
    case K_NONCONFORMITY:
        if (after(G("raised_on"), ao)) return 0;
        if (after(G("closed_on"), ao)) {
            clear(rec, "closed_on");
            clear(rec, "effective");
        }
        return 1;
    case K_MEASUREMENT:
        return !after(G("measured_on"), ao);
    case K_REVIEW:
        return !after(G("held_on"), ao);
    case K_REVIEW_INPUT:
        return map_get(&ao->reviews, G("review_id")) != NULL;
    case K_REVIEW_ACTION:
        if (!map_get(&ao->reviews, G("review_id"))) return 0;
        if (after(G("closed_on"), ao)) {
            clear(rec, "closed_on");
            set(rec, "status", "open");
        }
        return 1;
    default:
        return 1;
    }
#undef G
}

static int note_risk(const struct record *rec, void *data)
{
    struct as_of *ao = data;
    if (rec->kind->id == K_RISK && !after(record_get(rec, "created_on"), ao))
        free(map_put(&ao->risks, rec->v[0], xstrdup("")));
    if (rec->kind->id == K_REVIEW && !after(record_get(rec, "held_on"), ao))
        map_put(&ao->reviews, rec->v[0], (void *)"held");
    if (rec->kind->id == K_ASSESSMENT && !after(record_get(rec, "assessed_on"), ao)) {
        /* assessments come in date order per risk; the last one seen is the latest */
        const char *date = record_get(rec, "assessed_on");
        if (map_get(&ao->risks, rec->v[0])) free(map_put(&ao->risks, rec->v[0], xstrdup(date)));
    }
    return 0;
}

static void free_date(const char *key, void *value, void *data)
{
    (void)key;
    (void)data;
    free(value);
}

static int as_of_prepare(struct as_of *ao)
{
    if (!ao->date) return 0;
    char today[DATE_TEXT_SIZE];
    date_format(date_today(), today);
    ao->current = strcmp(ao->date, today) >= 0;
    if (record_each(ao->g, model_kind(K_RISK), note_risk, ao) != 0 ||
        record_each(ao->g, model_kind(K_REVIEW), note_risk, ao) != 0 ||
        record_each(ao->g, model_kind(K_ASSESSMENT), note_risk, ao) != 0)
        return -1;
    return 0;
}

static void as_of_free(struct as_of *ao)
{
    map_each(&ao->risks, free_date, NULL);
    map_free(&ao->risks);
    map_free(&ao->reviews);
}

/* ---- the rows as of D: every format writes these ---- */

struct row_walk {
    struct as_of *ao;
    export_row_fn fn;
    void *data;
    int stopped;
};

static int walk_row(const struct record *stored, void *data)
{
    struct row_walk *w = data;
    struct record rec;
    record_copy(&rec, stored);
    if (as_of_row(w->ao, &rec)) w->stopped = w->fn(&rec, w->data) != 0;
    record_free(&rec);
    return w->stopped;
}

int export_rows(struct as_of *ao, const struct kind *k, export_row_fn fn, void *data)
{
    struct row_walk w = {ao, fn, data, 0};
    return record_each(ao->g, k, walk_row, &w) != 0 || w.stopped ? -1 : 0;
}

const char *export_as_of_date(const struct as_of *ao)
{
    return ao->date;
}

/* ---- writing ---- */

/* Where a long export goes as it is made: a file, and a digest of the text (or NULL), so that
 * the text is never whole in memory. Without a stream it stays in its buffer. */
struct text_stream {
    FILE *f;
    EVP_MD_CTX *md;
    int failed; /* errno of a failed write, else 0 */
};

static void stream_out(struct text_stream *ts, struct strbuf *text)
{
    if (!ts || !text->len) return;
    if (!ts->failed && fwrite(text->data, 1, text->len, ts->f) != text->len) ts->failed = errno;
    if (ts->md) EVP_DigestUpdate(ts->md, text->data, text->len);
    sb_reset(text);
}

/* a buffer this long goes to the stream */
#define STREAM_CHUNK (1u << 16)

struct text_out {
    struct strbuf *out;
    struct text_stream *stream;
};

static int csv_row(const struct record *rec, void *data)
{
    struct text_out *to = data;
    struct strbuf *out = to->out;
    const struct kind *k = rec->kind;
    for (int i = 0; i < k->nfields; i++) {
        if (i) sb_putc(out, ',');
        int text = k->fields[i].type == FT_TEXT || k->fields[i].type == FT_MARKDOWN;
        sheet_write_cell(out, rec->v[i], ',', text);
    }
    sb_putc(out, '\n');
    if (out->len >= STREAM_CHUNK) stream_out(to->stream, out);
    return 0;
}

static int export_csv(struct as_of *ao, const struct kind *k, struct strbuf *out,
                      struct text_stream *stream)
{
    for (int i = 0; i < k->nfields; i++)
        sb_printf(out, "%s%s", i ? "," : "", k->fields[i].name);
    sb_putc(out, '\n');
    struct text_out to = {out, stream};
    if (export_rows(ao, k, csv_row, &to) != 0) return -1;
    stream_out(stream, out);
    return 0;
}

/* path as the user knows it: in ao's shown folder when it was written in ao's folder */
static void shown_name(const struct as_of *ao, const char *path, struct strbuf *out)
{
    size_t n = ao && ao->dir ? strlen(ao->dir) : 0;
    if (n && strncmp(path, ao->dir, n) == 0 && path[n] == '/')
        sb_printf(out, "%s%s", ao->shown_dir, path + n);
    else
        sb_puts(out, path);
}

int export_atomically(struct as_of *ao, const char *path, export_fill_fn fill, void *data)
{
    struct strbuf tmp = STRBUF_INIT;
    sb_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
    char why[256] = "";
    /* made here, not by the filler: a new file, never through a link planted under its name
     * (one left by a crash is replaced), and an unwritable folder reported with its reason */
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST && unlink(tmp.data) == 0)
        fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    int ok = fd >= 0 && close(fd) == 0;
    if (!ok) snprintf(why, sizeof why, "%s", strerror(errno));
    if (ok && fill(tmp.data, data, why, sizeof why) != 0) ok = 0;
    if (ok) { /* on disk before it takes the name */
        fd = open(tmp.data, O_RDONLY | O_CLOEXEC);
        ok = fd >= 0 && fsync(fd) == 0;
        if (fd >= 0) close(fd);
        if (ok) ok = rename(tmp.data, path) == 0;
        if (!ok) snprintf(why, sizeof why, "%s", strerror(errno));
    }
    if (!ok) {
        int err = errno; /* kept for the caller, who may name the folder */
        struct strbuf shown = STRBUF_INIT;
        shown_name(ao, path, &shown);
        const char *hint = text_disk_full(err) ? " (" DISK_FULL_HINT ")" : "";
        if (ao && ao->errors)
            sb_printf(ao->errors, "riskreg: %s: cannot write the file: %s%s\n", shown.data, why,
                      hint);
        else
            rr_error("%s: cannot write the file: %s%s", shown.data, why, hint);
        sb_free(&shown);
        unlink(tmp.data);
        errno = err;
    }
    sb_free(&tmp);
    return ok ? 0 : -1;
}

/* standard output gets the whole text: a failure leaves nothing half written there */
static int emit_stdout(const char *text, size_t len)
{
    return fwrite(text, 1, len, stdout) == len ? 0 : -1;
}

/* JSON text as jansson indents it (JSON_INDENT(2)), one record at a time, so that the whole
 * register is never a tree in memory: a record's text is indented to the depth it sits at. */
struct json_out {
    struct strbuf *out;
    const char *indent; /* of the list's items */
    int n;
    struct text_stream *stream;
};

static int json_text_row(const struct record *rec, void *data)
{
    struct json_out *jo = data;
    json_t *obj = record_json(rec);
    char *text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(obj);
    if (!text) return -1;
    sb_puts(jo->out, jo->n++ ? ",\n" : "\n");
    sb_puts(jo->out, jo->indent);
    for (const char *p = text; *p; p++) {
        sb_putc(jo->out, *p);
        if (*p == '\n') sb_puts(jo->out, jo->indent); /* a string's line break is written \n */
    }
    free(text);
    if (jo->out->len >= STREAM_CHUNK) stream_out(jo->stream, jo->out);
    return 0;
}

/* The list of kind k's records, its items at depth 'indent', closed at depth 'close' */
static int json_text_list(struct as_of *ao, const struct kind *k, const char *indent,
                          const char *close, struct strbuf *out, struct text_stream *stream)
{
    struct json_out jo = {out, indent, 0, stream};
    sb_putc(out, '[');
    if (export_rows(ao, k, json_text_row, &jo) != 0) return -1;
    if (jo.n) sb_printf(out, "\n%s", close);
    sb_putc(out, ']');
    return 0;
}

/* The JSON export: the records of one kind as a list, or (only NULL) every kind in one object
 * with the as-of date; ends with a line break. Into out, or through it to stream. */
static int export_json_text(struct as_of *ao, const struct kind *only, struct strbuf *out,
                            struct text_stream *stream)
{
    if (only) {
        if (json_text_list(ao, only, "  ", "", out, stream) != 0) return -1;
        sb_putc(out, '\n');
        stream_out(stream, out);
        return 0;
    }
    sb_putc(out, '{');
    int first = 1;
    if (ao->date) {
        json_t *date = json_string(ao->date);
        char *text = json_dumps(date, JSON_ENCODE_ANY);
        sb_printf(out, "\n  \"as_of\": %s", text);
        free(text);
        json_decref(date);
        first = 0;
    }
    for (int k = 0; k < KIND_COUNT; k++) {
        sb_printf(out, "%s\n  \"%s\": ", first ? "" : ",", model_kind(k)->name);
        first = 0;
        if (json_text_list(ao, model_kind(k), "    ", "  ", out, stream) != 0) return -1;
    }
    sb_puts(out, "\n}\n");
    stream_out(stream, out);
    return 0;
}

/* One export file, written as it is made (export_atomically's filler) */
struct export_file {
    struct as_of *ao;
    const struct kind *only; /* one kind's records, or (NULL, JSON only) the whole register */
    int csv;                 /* else JSON */
    EVP_MD_CTX *md;          /* digests the text, or NULL */
};

static int fill_export(const char *tmp, void *data, char *why, size_t whysize)
{
    struct export_file *ef = data;
    struct text_stream ts = {fopen(tmp, "wb"), ef->md, 0};
    if (!ts.f) {
        snprintf(why, whysize, "%s", strerror(errno));
        return -1;
    }
    struct strbuf text = STRBUF_INIT;
    int read = ef->csv ? export_csv(ef->ao, ef->only, &text, &ts)
                       : export_json_text(ef->ao, ef->only, &text, &ts);
    sb_free(&text);
    if (fclose(ts.f) != 0 && !ts.failed) ts.failed = errno;
    if (ts.failed) {
        snprintf(why, whysize, "%s", strerror(ts.failed));
        errno = ts.failed;
    } else if (read != 0) {
        snprintf(why, whysize, "the register could not be read");
    }
    return read == 0 && !ts.failed ? 0 : -1;
}

static int export_dir(struct as_of *ao, const char *dir)
{
    for (int k = 0; k < KIND_COUNT; k++) {
        struct strbuf path = STRBUF_INIT;
        sb_printf(&path, "%s/%s.csv", dir, model_kind(k)->name);
        struct export_file ef = {ao, model_kind(k), 1, NULL};
        int rc = export_atomically(ao, path.data, fill_export, &ef);
        sb_free(&path);
        if (rc) return -1;
    }
    return 0;
}

/* register.json, written as it is made; md digests its text */
static int export_snapshot_json(struct as_of *ao, const char *dir, EVP_MD_CTX *md)
{
    struct strbuf path = STRBUF_INIT;
    sb_printf(&path, "%s/register.json", dir);
    struct export_file ef = {ao, NULL, 0, md};
    int rc = export_atomically(ao, path.data, fill_export, &ef);
    sb_free(&path);
    return rc;
}

/* md: the digest of the register's JSON, to which the workbook's settings are added: the
 * recipe, by whose hash keep decides */
static int export_snapshot_xlsx(struct as_of *ao, const char *dir, EVP_MD_CTX *md,
                                export_keep_fn keep, void *data)
{
    struct strbuf settings = STRBUF_INIT, path = STRBUF_INIT;
    export_xlsx_recipe(ao, ao->g->cfg, &settings);
    EVP_DigestUpdate(md, settings.data, settings.len);
    sb_free(&settings);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char hash[65] = "";
    if (EVP_DigestFinal_ex(md, digest, &n) == 1 && n == 32) text_hex(digest, n, hash);
    int rc = 0;
    if (!keep || !keep(hash, data)) {
        sb_printf(&path, "%s/register.xlsx", dir);
        rc = export_xlsx(ao, ao->g->cfg, NULL, path.data);
    }
    sb_free(&path);
    return rc;
}

int export_snapshot(struct reg *g, const char *as_of, const char *dir, const char *shown_dir,
                    export_keep_fn keep, void *data)
{
    return export_snapshot_quietly(g, as_of, dir, shown_dir, keep, data, NULL);
}

int export_snapshot_quietly(struct reg *g, const char *as_of, const char *dir,
                            const char *shown_dir, export_keep_fn keep, void *data,
                            struct strbuf *errors)
{
    struct as_of ao = {as_of, 0, g, {0}, {0}, g->cfg->review_every_days, dir, shown_dir, errors};
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 && as_of_prepare(&ao) == 0 &&
                     export_dir(&ao, dir) == 0 && export_snapshot_json(&ao, dir, md) == 0 &&
                     export_snapshot_xlsx(&ao, dir, md, keep, data) == 0
                 ? 0
                 : -1;
    EVP_MD_CTX_free(md);
    as_of_free(&ao);
    return rc;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--kind", 1, NULL, 0},
                         {"--format", 1, NULL, 0},
                         {"--as-of", 1, NULL, 0},
                         {"--out", 1, NULL, 0},
                         {NULL, 0, NULL, 0}};
    char *pos[4];
    int npos;
    if (argc > 16) return cli_usage_error(c, "too many arguments");
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    if (rc) return rc < 0 ? EXIT_DONE : rc;
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
    if (cli_open(c) != 0) return EXIT_FAILED;
    struct as_of ao = {opts[2].value, 0,    &c->reg, {0}, {0}, c->cfg.review_every_days,
                       NULL,          NULL, NULL};
    int code = EXIT_FAILED;
    /* one read transaction: every file shows the same moment */
    if (reg_exec(&c->reg, "BEGIN") != 0) goto done;
    if (as_of_prepare(&ao) != 0) goto done;
    if (xlsx) {
        if (export_xlsx(&ao, &c->cfg, only, to_stdout ? NULL : out) == 0) code = EXIT_DONE;
    } else if (!to_stdout && (only || !csv)) { /* a file, written as it is made */
        struct export_file ef = {&ao, only, csv, NULL};
        code = export_atomically(NULL, out, fill_export, &ef) == 0 ? EXIT_DONE : EXIT_FAILED;
    } else if (csv && only) { /* standard output gets the whole text or nothing */
        struct strbuf text = STRBUF_INIT;
        if (export_csv(&ao, only, &text, NULL) == 0 && emit_stdout(sb_str(&text), text.len) == 0)
            code = EXIT_DONE;
        sb_free(&text);
    } else if (csv) {
        if (mkdir(out, 0777) != 0 && errno != EEXIST) {
            rr_error("%s: cannot create the folder: %s", out, strerror(errno));
            goto done;
        }
        code = export_dir(&ao, out) == 0 ? EXIT_DONE : EXIT_FAILED;
        if (code == EXIT_DONE && !c->quiet)
            fprintf(stderr, "exported %d files to %s\n", KIND_COUNT, out);
    } else { /* JSON on standard output */
        struct strbuf text = STRBUF_INIT;
        if (export_json_text(&ao, only, &text, NULL) == 0 &&
            emit_stdout(sb_str(&text), text.len) == 0)
            code = EXIT_DONE;
        sb_free(&text);
    }
done:
    reg_exec(&c->reg, "COMMIT");
    as_of_free(&ao);
    return code;
}
