/* sheet.c - CSV files as spreadsheets write them, read with libcsv into numbered rows */
#include "sheet.h"
#include "text.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parse_state {
    struct sheet *sheet;
    int line;         /* the line being fed to the parser */
    int row_start;    /* the line the row being read began on; 0 between rows */
    int row_newlines; /* line breaks inside the current row's quoted cells */
    char **cells;
    int ncells, cap;
};

static void on_cell(void *data, size_t len, void *ctx)
{
    struct parse_state *ps = ctx;
    const char *text = data ? data : "";
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n') ps->row_newlines++;
    if (ps->ncells == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 16;
        ps->cells = xrealloc(ps->cells, sizeof *ps->cells * (size_t)ps->cap);
    }
    /* a quoted cell keeps its line breaks; spreadsheets mean "\n" by "\r\n" there */
    char *cell = xmalloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')) cell[n++] = text[i];
    cell[n] = '\0';
    ps->cells[ps->ncells++] = cell;
}

static void on_row(int terminator, void *ctx)
{
    (void)terminator;
    struct parse_state *ps = ctx;
    int blank = 1;
    for (int i = 0; i < ps->ncells; i++)
        if (ps->cells[i][0]) blank = 0;
    struct sheet *s = ps->sheet;
    if (blank) {
        for (int i = 0; i < ps->ncells; i++)
            free(ps->cells[i]);
        free(ps->cells);
    } else {
        if (s->nrows == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 64;
            s->rows = xrealloc(s->rows, sizeof *s->rows * (size_t)s->cap);
        }
        s->rows[s->nrows++] =
            (struct sheet_row){ps->line - ps->row_newlines, ps->ncells, ps->cells};
    }
    ps->cells = NULL;
    ps->ncells = ps->cap = 0;
    ps->row_newlines = 0;
    ps->row_start = 0;
}

static int refuse_encoding(const char *path, const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        rr_error("%s: the file is UTF-16 text; save it as UTF-8 (in Excel: Save As > 'CSV UTF-8 "
                 "(Comma delimited)'; in LibreOffice: character set 'Unicode (UTF-8)')",
                 path);
        return -1;
    }
    if (memchr(data, '\0', len)) {
        rr_error("%s: the file holds NUL bytes: it is not CSV text (UTF-16, or a binary such as "
                 "an .xlsx); save it as 'CSV UTF-8'",
                 path);
        return -1;
    }
    long bad = text_utf8_invalid_at(data, len);
    if (bad >= 0) {
        int line = 1;
        for (long i = 0; i < bad; i++)
            if (data[i] == '\n') line++;
        rr_error("%s:%d: not UTF-8 text (byte 0x%02X); the file looks like it was saved as "
                 "Windows-1252 or Latin-1: save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma "
                 "delimited)')",
                 path, line, u[bad]);
        return -1;
    }
    return 0;
}

int sheet_parse(struct sheet *s, const char *path, const char *data, size_t len, char delimiter)
{
    memset(s, 0, sizeof *s);
    s->path = xstrdup(path);
    if (refuse_encoding(path, data, len) != 0) return -1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) { /* byte order mark */
        data += 3;
        len -= 3;
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        rr_error("%s: cannot start the CSV parser", path);
        return -1;
    }
    csv_set_delim(&p, (unsigned char)delimiter);
    struct parse_state ps = {.sheet = s, .line = 1};
    int rc = 0;
    size_t pos = 0;
    /* feed line by line so that an error can name its line */
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        size_t breaks = 0; /* a line of only line breaks starts no row */
        while (breaks < n && (data[pos + breaks] == '\r' || data[pos + breaks] == '\n'))
            breaks++;
        if (!ps.row_start && breaks < n) ps.row_start = ps.line;
        if (csv_parse(&p, data + pos, n, on_cell, on_row, &ps) != n) {
            rr_error("%s:%d: a double quote in the wrong place: a cell with quotes must start and "
                     "end with one, with any quote inside doubled (\"5\"\" floppy\")",
                     path, ps.line);
            rc = -1;
            break;
        }
        pos += n;
        if (nl) ps.line++;
    }
    if (rc == 0) {
        if (ps.line > 1 && len && data[len - 1] == '\n') ps.line--;
        if (csv_fini(&p, on_cell, on_row, &ps) != 0) {
            rr_error("%s:%d: a quoted cell is never closed: the row that starts here has a double "
                     "quote without its closing one",
                     path, ps.row_start ? ps.row_start : ps.line);
            rc = -1;
        }
    }
    for (int i = 0; i < ps.ncells; i++)
        free(ps.cells[i]);
    free(ps.cells);
    csv_free(&p);
    return rc;
}

char sheet_sniff_delimiter(const char *data, size_t len)
{
    int lines = 0, semicolon_lines = 0;
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < len && lines < 5) {
        int commas = 0, semicolons = 0, quoted = 0, any = 0;
        for (; i < len && (quoted || data[i] != '\n'); i++) {
            if (data[i] == '"') quoted = !quoted;
            if (quoted) continue;
            commas += data[i] == ',';
            semicolons += data[i] == ';';
            any |= data[i] != '\r' && data[i] != ' ';
        }
        i++;
        if (!any) continue;
        lines++;
        semicolon_lines += semicolons > commas;
    }
    return lines && semicolon_lines == lines ? ';' : ',';
}

int sheet_read(struct sheet *s, const char *path, char delimiter, int sniff, int quiet)
{
    memset(s, 0, sizeof *s);
    struct strbuf text = STRBUF_INIT;
    if (text_read_file(path, &text) != 0) return -1;
    if (sniff && sheet_sniff_delimiter(sb_str(&text), text.len) == ';') {
        delimiter = ';';
        if (!quiet)
            rr_warn("%s: cells are separated by ';'; reading it so (--delimiter chooses)", path);
    }
    int rc = sheet_parse(s, path, sb_str(&text), text.len, delimiter);
    sb_free(&text);
    return rc;
}

void sheet_free_row(struct sheet_row *row)
{
    for (int c = 0; c < row->ncells; c++)
        free(row->cells[c]);
    free(row->cells);
    row->cells = NULL;
    row->ncells = 0;
}

void sheet_free(struct sheet *s)
{
    for (int r = 0; r < s->nrows; r++)
        sheet_free_row(&s->rows[r]);
    free(s->rows);
    free(s->path);
    free(s->sheet_name);
    memset(s, 0, sizeof *s);
}

void sheet_cell_ref(int col_index, int row_line, char *out, size_t outsize)
{
    char letters[8]; /* bijective base 26, written from the right: an int needs seven */
    int n = (int)sizeof letters;
    for (int c = col_index < 0 ? 0 : col_index; c >= 0 && n > 0; c = c / 26 - 1)
        letters[--n] = (char)('A' + c % 26);
    int len = (int)sizeof letters - n;
    if (row_line > 0)
        snprintf(out, outsize, "%.*s%d", len, letters + n, row_line);
    else
        snprintf(out, outsize, "%.*s", len, letters + n);
}

void sheet_write_cell(struct strbuf *out, const char *value, char delimiter, int protect_formula)
{
    if (!value) return;
    int quote = strchr(value, delimiter) || strchr(value, '"') || strchr(value, '\n') ||
                strchr(value, '\r') || value[0] == ' ' ||
                (value[0] && value[strlen(value) - 1] == ' ');
    if (quote) sb_putc(out, '"');
    if (protect_formula && value[0] && strchr("=+-@", value[0])) sb_putc(out, '\'');
    for (const char *p = value;;) { /* runs without a quote at once, each quote doubled */
        size_t n = strcspn(p, "\"");
        sb_add(out, p, n);
        if (!p[n]) break;
        sb_add(out, "\"\"", 2);
        p += n + 1;
    }
    if (quote) sb_putc(out, '"');
}
