/* manual.c - `riskreg help lua`: riskreg-lua(7) as plain text from the scdoc source the man page
 * is made of, embedded in the program, so the help and the man page never differ and the help
 * needs neither man nor an installed page. Only the scdoc the project's pages use is understood:
 * headings, paragraphs, "- " lists, tab-indented definitions, ``` blocks, two-column tables. */
#include "manual.h"
#include "text.h"

#include <ctype.h>
#include <string.h>

#define INDENT "    "

/* One line's text without scdoc's marks: *bold*, _underline_ (an underscore between two letters
 * or digits, as in site.as_of, is a letter, as scdoc reads it; an underline may span lines),
 * \x for a literal x, ++ for a line break. */
static void plain(const char *s, size_t len, struct strbuf *out)
{
    if (len >= 2 && s[len - 1] == '+' && s[len - 2] == '+') len -= 2;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned char last = i > 0 ? (unsigned char)s[i - 1] : ' ';
        unsigned char next = i + 1 < len ? (unsigned char)s[i + 1] : ' ';
        if (c == '\\' && i + 1 < len)
            sb_putc(out, s[++i]);
        else if (c == '*')
            continue;
        else if (c == '_' && !(isalnum(last) && isalnum(next)))
            continue;
        else
            sb_putc(out, (char)c);
    }
}

/* The characters of n bytes of UTF-8 (a terminal column each, for the text of the pages). */
static size_t width_of(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    return w;
}

/* A table's rows, each "first cell" then the rest, written in two columns at its end. */
struct table {
    struct strbuf cells; /* "first\tsecond\n" per row */
    size_t width;        /* of the widest first cell, in characters */
};

static void table_flush(struct table *t, struct strbuf *out)
{
    const char *p = sb_str(&t->cells);
    while (*p) {
        const char *tab = strchr(p, '\t'), *end = strchr(p, '\n');
        size_t first = (size_t)(tab - p);
        sb_puts(out, INDENT);
        sb_add(out, p, first);
        for (size_t w = width_of(p, first); w < t->width + 2; w++)
            sb_putc(out, ' ');
        sb_add(out, tab + 1, (size_t)(end - tab - 1));
        sb_putc(out, '\n');
        p = end + 1;
    }
    sb_reset(&t->cells);
    t->width = 0;
}

/* "[[ x", "| x" start a row; ":[ x", ": x" are its next cell (scdoc's table syntax). */
static int table_line(const char *line, size_t len, struct table *t)
{
    int starts = (len >= 2 && strncmp(line, "[[", 2) == 0) || (len >= 1 && line[0] == '|');
    int more = (len >= 2 && strncmp(line, ":[", 2) == 0) || (len >= 1 && line[0] == ':');
    if (!starts && !more) return 0;
    size_t skip = (line[0] == '[' || (line[0] == ':' && len >= 2 && line[1] == '[')) ? 2 : 1;
    while (skip < len && line[skip] == ' ')
        skip++;
    struct strbuf cell = STRBUF_INIT;
    plain(line + skip, len - skip, &cell);
    if (starts) {
        size_t w = width_of(sb_str(&cell), cell.len);
        if (w > t->width) t->width = w;
        sb_add(&t->cells, sb_str(&cell), cell.len);
        sb_putc(&t->cells, '\t');
    } else {
        if (t->cells.len && t->cells.data[t->cells.len - 1] == '\n') t->cells.len--;
        if (t->cells.len && t->cells.data[t->cells.len - 1] != '\t') sb_putc(&t->cells, ' ');
        sb_add(&t->cells, sb_str(&cell), cell.len);
    }
    sb_putc(&t->cells, '\n');
    sb_free(&cell);
    return 1;
}

int manual_write_text(const char *scd, FILE *out)
{
    struct strbuf text = STRBUF_INIT;
    struct table table = {STRBUF_INIT, 0};
    int code = 0, first = 1;
    for (const char *line = scd; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (first || (!len && !text.len)) { /* the title line, name(section) "footer" "header",
                                               and the blank lines after it */
            first = 0;
        } else if (len >= 3 && strncmp(line, "```", 3) == 0) {
            code = !code;
        } else if (code) {
            if (len) sb_puts(&text, INDENT INDENT);
            sb_add(&text, line, len);
            sb_putc(&text, '\n');
        } else if (table_line(line, len, &table)) {
            /* kept until the table ends */
        } else {
            if (table.cells.len) table_flush(&table, &text);
            if (len >= 2 && line[0] == '#' && line[1] == ' ') {
                plain(line + 2, len - 2, &text);
            } else if (len) {
                size_t tabs = 0;
                while (tabs < len && line[tabs] == '\t')
                    tabs++;
                for (size_t i = 0; i <= tabs; i++)
                    sb_puts(&text, INDENT);
                plain(line + tabs, len - tabs, &text);
            }
            sb_putc(&text, '\n');
        }
        line += len + (nl != NULL);
    }
    if (table.cells.len) table_flush(&table, &text);
    sb_free(&table.cells);
    int rc = fwrite(text.data, 1, text.len, out) == text.len && fflush(out) == 0 ? 0 : -1;
    sb_free(&text);
    return rc;
}
