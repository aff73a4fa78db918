/* export_files.c - an export's tables as files: a CSV file per table (the import format) and
 * register.json, written as they are made (never whole in memory), and the snapshot a site's
 * data/ folder holds (those and the workbook). */
#include "export_files.h"
#include "export_xlsx.h"
#include "sheet.h"
#include "text.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

/* Where a long text goes as it is made: a file (or nothing: it stays in the buffer), and a
 * digest of it (or NULL). */
struct text_stream {
    FILE *f;
    EVP_MD_CTX *md;
    int failed; /* errno of a failed write, else 0 */
};

/* a buffer this long goes to the stream */
#define STREAM_CHUNK (1u << 16)

static void stream_out(struct text_stream *ts, struct strbuf *text)
{
    if (!ts || !ts->f || !text->len) return;
    if (!ts->failed && fwrite(text->data, 1, text->len, ts->f) != text->len) ts->failed = errno;
    if (ts->md) EVP_DigestUpdate(ts->md, text->data, text->len);
    sb_reset(text);
}

static void maybe_out(struct text_stream *ts, struct strbuf *text)
{
    if (text->len >= STREAM_CHUNK) stream_out(ts, text);
}

/* ---- CSV ---- */

static void csv_table(const struct export_table *t, struct strbuf *out, struct text_stream *ts)
{
    for (int c = 0; c < t->ncols; c++)
        sb_printf(out, "%s%s", c ? "," : "", t->cols[c].name);
    sb_putc(out, '\n');
    for (size_t r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            if (c) sb_putc(out, ',');
            sheet_write_cell(out, export_cell(t, r, c), ',', t->cols[c].type == EXPORT_TEXT);
        }
        sb_putc(out, '\n');
        maybe_out(ts, out);
    }
    stream_out(ts, out);
}

void export_csv_text(const struct export_table *t, struct strbuf *out)
{
    csv_table(t, out, NULL);
}

/* ---- JSON, as jansson indents it (JSON_INDENT(2)), one record at a time ---- */

static void json_string_to(struct strbuf *out, const char *s)
{
    json_t *str = json_string(s);
    if (!str) str = json_stringn_nocheck(s, strlen(s)); /* not UTF-8: as it is */
    char *text = json_dumps(str, JSON_ENCODE_ANY);
    sb_puts(out, text ? text : "\"\"");
    free(text);
    json_decref(str);
}

static void json_value_to(struct strbuf *out, const struct export_column *col, const char *v)
{
    if (!v)
        sb_puts(out, "null");
    else if (col->type == EXPORT_INTEGER || col->type == EXPORT_NUMBER)
        sb_puts(out, v); /* a number, as Lua wrote it */
    else
        json_string_to(out, v);
}

/* The table's records as a list, its items at depth indent, closed at depth close. */
static void json_list(const struct export_table *t, const char *indent, const char *close,
                      struct strbuf *out, struct text_stream *ts)
{
    sb_putc(out, '[');
    for (size_t r = 0; r < t->nrows; r++) {
        sb_printf(out, "%s\n%s{", r ? "," : "", indent);
        for (int c = 0; c < t->ncols; c++) {
            sb_printf(out, "%s\n%s  \"%s\": ", c ? "," : "", indent, t->cols[c].name);
            json_value_to(out, &t->cols[c], export_cell(t, r, c));
        }
        sb_printf(out, "\n%s}", indent);
        maybe_out(ts, out);
    }
    if (t->nrows) sb_printf(out, "\n%s", close);
    sb_putc(out, ']');
}

static void json_text(const struct export_set *set, const struct export_table *only,
                      struct strbuf *out, struct text_stream *ts)
{
    if (only) {
        json_list(only, "  ", "", out, ts);
        sb_putc(out, '\n');
        stream_out(ts, out);
        return;
    }
    sb_putc(out, '{');
    int first = 1;
    if (set->as_of) {
        sb_puts(out, "\n  \"as_of\": ");
        json_string_to(out, set->as_of);
        first = 0;
    }
    for (int t = 0; t < set->ntables; t++) {
        sb_printf(out, "%s\n  \"%s\": ", first ? "" : ",", set->tables[t].name);
        first = 0;
        json_list(&set->tables[t], "    ", "  ", out, ts);
    }
    sb_puts(out, "\n}\n");
    stream_out(ts, out);
}

void export_json_text(const struct export_set *set, const struct export_table *only,
                      struct strbuf *out)
{
    json_text(set, only, out, NULL);
}

/* ---- files ---- */

/* One export file, written as it is made (atomic_write's filler) */
struct export_file {
    const struct export_set *set;
    const struct export_table *only; /* one table, or (NULL, JSON only) the whole set */
    int csv;                         /* else JSON */
    EVP_MD_CTX *md;                  /* digests the text, or NULL */
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
    if (ef->csv)
        csv_table(ef->only, &text, &ts);
    else
        json_text(ef->set, ef->only, &text, &ts);
    sb_free(&text);
    if (fclose(ts.f) != 0 && !ts.failed) ts.failed = errno;
    if (ts.failed) {
        snprintf(why, whysize, "%s", strerror(ts.failed));
        errno = ts.failed;
        return -1;
    }
    return 0;
}

int export_write_file(const struct export_set *set, const struct export_table *only, int csv,
                      const struct file_place *place, const char *path)
{
    struct export_file ef = {set, only, csv, NULL};
    return atomic_write(place, path, fill_export, &ef);
}

int export_csv_files(const struct export_set *set, const struct file_place *place, const char *dir)
{
    for (int t = 0; t < set->ntables; t++) {
        struct strbuf path = STRBUF_INIT;
        sb_printf(&path, "%s/%s.csv", dir, set->tables[t].name);
        int rc = export_write_file(set, &set->tables[t], 1, place, path.data);
        sb_free(&path);
        if (rc) return -1;
    }
    return 0;
}

int export_snapshot(const struct export_set *set, const struct file_place *place,
                    export_keep_fn keep, void *data)
{
    const char *dir = place->dir;
    if (export_csv_files(set, place, dir) != 0) return -1;
    /* register.json, with its digest: to it the workbook's settings are added, and that
     * recipe's hash decides whether the workbook is made again */
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(md);
        atomic_report(place, "%s: cannot compute a digest (OpenSSL)", place->shown_dir);
        return -1;
    }
    struct strbuf path = STRBUF_INIT;
    sb_printf(&path, "%s/register.json", dir);
    struct export_file ef = {set, NULL, 0, md};
    int rc = atomic_write(place, path.data, fill_export, &ef);
    char hash[65] = "";
    if (rc == 0) {
        struct strbuf recipe = STRBUF_INIT;
        export_xlsx_recipe(set, &recipe);
        EVP_DigestUpdate(md, recipe.data, recipe.len);
        sb_free(&recipe);
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        if (EVP_DigestFinal_ex(md, digest, &n) == 1 && n == 32) text_hex(digest, n, hash);
    }
    EVP_MD_CTX_free(md);
    if (rc == 0 && (!keep || !keep(hash, data))) {
        sb_reset(&path);
        sb_printf(&path, "%s/register.xlsx", dir);
        rc = export_xlsx(set, NULL, place, path.data);
    }
    sb_free(&path);
    return rc;
}
