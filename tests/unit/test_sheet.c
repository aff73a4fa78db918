/* test_sheet.c - reading CSV text into numbered rows, and writing cells back */
#include "config.h"
#include "model.h"
#include "sheet.h"
#include "text.h"
#include "validate.h"
#include "unit.h"
#include "unit_config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- stderr capture, to check the "FILE:LINE: message" a refusal prints ------------------- */

static FILE *capture_file;
static int saved_stderr = -1;
static char captured[4096];

static void capture_begin(void)
{
    fflush(stderr);
    capture_file = tmpfile();
    if (!capture_file) return;
    saved_stderr = dup(2);
    dup2(fileno(capture_file), 2);
}

static const char *capture_end(void)
{
    captured[0] = '\0';
    if (!capture_file) return captured;
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    saved_stderr = -1;
    rewind(capture_file);
    size_t n = fread(captured, 1, sizeof captured - 1, capture_file);
    captured[n] = '\0';
    fclose(capture_file);
    capture_file = NULL;
    return captured;
}

/* sheet_parse on a string literal (its length taken from the literal, so NULs count) */
static int parse_n(struct sheet *s, const char *data, size_t len, char delim)
{
    capture_begin();
    int rc = sheet_parse(s, "t.csv", data, len, delim);
    capture_end();
    return rc;
}

#define PARSE(s, lit) parse_n(s, lit, sizeof(lit) - 1, ',')
#define PARSE_D(s, lit, d) parse_n(s, lit, sizeof(lit) - 1, d)

static const char *cell(const struct sheet *s, int row, int col)
{
    if (row >= s->nrows || col >= s->rows[row].ncells) return "(no cell)";
    return s->rows[row].cells[col];
}

static void test_simple(void)
{
    struct sheet s;
    CHECK(PARSE(&s, "id,title,owner\nR-001,Backup failure,ana\nR-002,Power cut,ben\n") == 0);
    CHECK(s.nrows == 3);
    CHECK(s.rows[0].ncells == 3);
    CHECK_STR(cell(&s, 0, 0), "id");
    CHECK_STR(cell(&s, 0, 2), "owner");
    CHECK_STR(cell(&s, 1, 1), "Backup failure");
    CHECK_STR(cell(&s, 2, 0), "R-002");
    CHECK_STR(cell(&s, 2, 2), "ben");
    CHECK(s.rows[0].line == 1 && s.rows[1].line == 2 && s.rows[2].line == 3);
    CHECK_STR(s.path, "t.csv");
    sheet_free(&s);
    CHECK(s.nrows == 0 && s.rows == NULL);

    /* no newline at the end */
    CHECK(PARSE(&s, "a,b\nc,d") == 0);
    CHECK(s.nrows == 2);
    CHECK_STR(cell(&s, 1, 1), "d");
    CHECK(s.rows[1].line == 2);
    sheet_free(&s);

    /* empty cells keep their place */
    CHECK(PARSE(&s, "a,,c,\n") == 0);
    CHECK(s.nrows == 1);
    CHECK(s.rows[0].ncells == 4);
    CHECK_STR(cell(&s, 0, 1), "");
    CHECK_STR(cell(&s, 0, 2), "c");
    CHECK_STR(cell(&s, 0, 3), "");
    sheet_free(&s);

    /* spaces around unquoted cells are not part of them */
    CHECK(PARSE(&s, "id , title\n R-001 ,  Backup failure  \n") == 0);
    CHECK_STR(cell(&s, 0, 0), "id");
    CHECK_STR(cell(&s, 0, 1), "title");
    CHECK_STR(cell(&s, 1, 0), "R-001");
    CHECK_STR(cell(&s, 1, 1), "Backup failure");
    sheet_free(&s);

    /* old Mac line endings (CR alone) still end rows */
    CHECK(PARSE(&s, "a,b\rc,d\re,f\r") == 0);
    CHECK(s.nrows == 3);
    CHECK_STR(cell(&s, 1, 0), "c");
    CHECK_STR(cell(&s, 2, 1), "f");
    sheet_free(&s);

    /* an empty file: no rows, no error */
    CHECK(PARSE(&s, "") == 0);
    CHECK(s.nrows == 0);
    sheet_free(&s);

    /* UTF-8 text in cells */
    CHECK(PARSE(&s, "title\nCaf\xC3\xA9 \xE2\x82\xAC\n") == 0);
    CHECK_STR(cell(&s, 1, 0), "Caf\xC3\xA9 \xE2\x82\xAC");
    sheet_free(&s);
}

static void test_crlf_and_bom(void)
{
    struct sheet s;
    CHECK(PARSE(&s, "id,title\r\nR-001,Backup\r\nR-002,Power\r\n") == 0);
    CHECK(s.nrows == 3);
    CHECK_STR(cell(&s, 0, 1), "title"); /* no '\r' left on the last cell */
    CHECK_STR(cell(&s, 1, 1), "Backup");
    CHECK_STR(cell(&s, 2, 1), "Power");
    CHECK(s.rows[1].ncells == 2 && s.rows[2].ncells == 2);
    CHECK(s.rows[1].line == 2 && s.rows[2].line == 3);
    sheet_free(&s);

    CHECK(PARSE(&s, "\xEF\xBB\xBFid,title\r\nR-001,x\r\n") == 0);
    CHECK(s.nrows == 2);
    CHECK_STR(cell(&s, 0, 0), "id");
    CHECK(s.rows[0].line == 1 && s.rows[1].line == 2);
    sheet_free(&s);

    CHECK(PARSE(&s, "\xEF\xBB\xBF") == 0); /* only a BOM */
    CHECK(s.nrows == 0);
    sheet_free(&s);

    /* a BOM is stripped only at the start */
    CHECK(PARSE(&s, "a\n\xEF\xBB\xBF"
                    "b\n") == 0);
    CHECK_STR(cell(&s, 1, 0), "\xEF\xBB\xBF"
                              "b");
    sheet_free(&s);
}

static void test_quotes(void)
{
    struct sheet s;
    CHECK(PARSE(&s, "title,note\n\"Backup, restore\",\"He said \"\"no\"\"\"\n") == 0);
    CHECK(s.nrows == 2);
    CHECK(s.rows[1].ncells == 2);
    CHECK_STR(cell(&s, 1, 0), "Backup, restore");
    CHECK_STR(cell(&s, 1, 1), "He said \"no\"");
    sheet_free(&s);

    CHECK(PARSE(&s, "\"\"\"\",\"\",\"a\"\"\"\n") == 0);
    CHECK_STR(cell(&s, 0, 0), "\"");
    CHECK_STR(cell(&s, 0, 1), "");
    CHECK_STR(cell(&s, 0, 2), "a\"");
    sheet_free(&s);

    /* a quoted cell keeps its spaces */
    CHECK(PARSE(&s, "\" padded \",x\n") == 0);
    CHECK_STR(cell(&s, 0, 0), " padded ");
    sheet_free(&s);

    /* quoted newline: the cell holds "\n", and the next row's line number is right */
    CHECK(PARSE(&s, "id,description\nR-001,\"line one\nline two\"\nR-002,plain\n") == 0);
    CHECK(s.nrows == 3);
    CHECK_STR(cell(&s, 1, 1), "line one\nline two");
    CHECK(s.rows[1].line == 2);
    CHECK(s.rows[2].line == 4);
    CHECK_STR(cell(&s, 2, 0), "R-002");
    sheet_free(&s);

    /* CRLF inside quotes becomes "\n" */
    CHECK(PARSE(&s, "id,d\r\nR-001,\"a\r\nb\r\nc\"\r\nR-002,x\r\n") == 0);
    CHECK(s.nrows == 3);
    CHECK_STR(cell(&s, 1, 1), "a\nb\nc");
    CHECK(s.rows[1].line == 2);
    CHECK(s.rows[2].line == 5);
    sheet_free(&s);

    /* several multi-line cells in one row, and two such rows in a row */
    CHECK(PARSE(&s, "\"a\nb\",\"c\nd\ne\"\n\"x\ny\",z\nlast,row\n") == 0);
    CHECK(s.nrows == 3);
    CHECK_STR(cell(&s, 0, 1), "c\nd\ne");
    CHECK(s.rows[0].line == 1);
    CHECK(s.rows[1].line == 5); /* row 1 spans lines 1-4 */
    CHECK(s.rows[2].line == 7);
    sheet_free(&s);

    /* multi-line cell in the last row, no newline at the end */
    CHECK(PARSE(&s, "h\n\"a\nb\"") == 0);
    CHECK(s.nrows == 2);
    CHECK_STR(cell(&s, 1, 0), "a\nb");
    CHECK(s.rows[1].line == 2);
    sheet_free(&s);
}

static void test_blank_lines(void)
{
    struct sheet s;
    CHECK(PARSE(&s, "id,title\n\nR-001,a\n\n\nR-002,b\n") == 0);
    CHECK(s.nrows == 3);
    CHECK(s.rows[0].line == 1);
    CHECK(s.rows[1].line == 3);
    CHECK(s.rows[2].line == 6);
    CHECK_STR(cell(&s, 2, 1), "b");
    sheet_free(&s);

    CHECK(PARSE(&s, "\r\n\r\nid,title\r\n\r\nR-001,a\r\n") == 0);
    CHECK(s.nrows == 2);
    CHECK(s.rows[0].line == 3);
    CHECK(s.rows[1].line == 5);
    sheet_free(&s);

    /* rows of only commas (what spreadsheets write for empty rows) are not rows */
    CHECK(PARSE(&s, "id,title,owner\n,,\nR-001,a,b\n,,,,\n,,\nR-002,c,d\n") == 0);
    CHECK(s.nrows == 3);
    CHECK(s.rows[1].line == 3);
    CHECK(s.rows[2].line == 6);
    CHECK_STR(cell(&s, 2, 0), "R-002");
    sheet_free(&s);

    CHECK(PARSE(&s, "a\n\"\",\"\"\nb\n") == 0); /* quoted empties are blank too */
    CHECK(s.nrows == 2);
    CHECK(s.rows[1].line == 3);
    sheet_free(&s);

    /* blank lines after a multi-line cell */
    CHECK(PARSE(&s, "\"a\n\nb\"\n\nx\n") == 0);
    CHECK(s.nrows == 2);
    CHECK_STR(cell(&s, 0, 0), "a\n\nb");
    CHECK(s.rows[0].line == 1);
    CHECK(s.rows[1].line == 5);
    sheet_free(&s);

    /* many rows: every row's line number is where it starts */
    struct strbuf sb = STRBUF_INIT;
    int expect[400], n = 0, line = 1;
    for (int i = 0; i < 400; i++) {
        if (i % 7 == 3) { /* a blank line first */
            sb_puts(&sb, "\r\n");
            line++;
        }
        expect[n++] = line;
        if (i % 5 == 0) {
            sb_printf(&sb, "R-%03d,\"first\r\nsecond\nthird\"\r\n", i);
            line += 3;
        } else {
            sb_printf(&sb, "R-%03d,\"plain, quoted\"\r\n", i);
            line++;
        }
    }
    CHECK(parse_n(&s, sb.data, sb.len, ',') == 0);
    CHECK(s.nrows == 400);
    int bad = 0;
    for (int i = 0; i < s.nrows && i < 400; i++) {
        char id[32];
        snprintf(id, sizeof id, "R-%03d", i);
        if (s.rows[i].line != expect[i] || strcmp(s.rows[i].cells[0], id) != 0) bad++;
        if (i % 5 == 0 && strcmp(s.rows[i].cells[1], "first\nsecond\nthird") != 0) bad++;
    }
    CHECK(bad == 0);
    sheet_free(&s);
    sb_free(&sb);
}

static void test_semicolons(void)
{
    struct sheet s;
    CHECK(PARSE_D(&s, "id;title;target\nK-001;Availability, core;99,9\n", ';') == 0);
    CHECK(s.nrows == 2);
    CHECK(s.rows[1].ncells == 3);
    CHECK_STR(cell(&s, 1, 1), "Availability, core");
    CHECK_STR(cell(&s, 1, 2), "99,9");
    sheet_free(&s);

    CHECK(PARSE_D(&s, "a;\"b;c\";d\n;;\ne;f\n", ';') == 0);
    CHECK(s.nrows == 2);
    CHECK_STR(cell(&s, 0, 1), "b;c");
    CHECK(s.rows[1].line == 3);
    sheet_free(&s);

    /* read with ',' the same text is one cell a row */
    CHECK(PARSE(&s, "id;title\n") == 0);
    CHECK(s.rows[0].ncells == 1);
    CHECK_STR(cell(&s, 0, 0), "id;title");
    sheet_free(&s);
}

static void test_refusals(void)
{
    struct sheet s;
    /* a quote never closed */
    CHECK(PARSE(&s, "id,title\nR-001,\"never closed\nR-002,x\n") == -1);
    CHECK_CONTAINS(captured, "t.csv:");
    CHECK_CONTAINS(captured, "never closed");
    sheet_free(&s);
    CHECK(PARSE(&s, "id,title\nR-001,\"never closed") == -1);
    CHECK_CONTAINS(captured, "t.csv:2:");
    sheet_free(&s);
    /* Regression: the line named was the file's last line
     * (4), not line 2 where the row with the open quote starts; sheet.h promises "reports a
     * broken quote with its line" */
    CHECK(PARSE(&s, "id,title\nR-001,\"never closed\nR-002,x\nR-003,y\n") == -1);
    CHECK_CONTAINS(captured, "t.csv:2:");
    sheet_free(&s);
    CHECK(PARSE(&s, "\"") == -1);
    sheet_free(&s);

    /* text after a closing quote, with its line */
    CHECK(PARSE(&s, "id,title\nR-001,ok\nR-002,\"quoted\"tail\n") == -1);
    CHECK_CONTAINS(captured, "t.csv:3:");
    CHECK_CONTAINS(captured, "double quote");
    sheet_free(&s);
    CHECK(PARSE(&s, "a,\"b\nc\"d\n") == -1); /* the tail is on line 2 */
    CHECK_CONTAINS(captured, "t.csv:2:");
    sheet_free(&s);
    CHECK(PARSE(&s, "size\n5\" floppy\n") == -1); /* a bare quote inside a cell */
    CHECK_CONTAINS(captured, "t.csv:2:");
    sheet_free(&s);

    /* UTF-16, either byte order */
    CHECK(PARSE(&s, "\xFF\xFEi\0d\0\n\0") == -1);
    CHECK_CONTAINS(captured, "UTF-16");
    CHECK_CONTAINS(captured, "UTF-8");
    sheet_free(&s);
    CHECK(PARSE(&s, "\xFE\xFF\0i\0d\0\n") == -1);
    CHECK_CONTAINS(captured, "UTF-16");
    sheet_free(&s);
    /* UTF-16 without a BOM: NUL bytes */
    CHECK(PARSE(&s, "i\0d\0,\0x\0\n\0") == -1);
    CHECK_CONTAINS(captured, "NUL");
    sheet_free(&s);
    CHECK(PARSE(&s, "id,title\nR-001,a\0b\n") == -1);
    sheet_free(&s);

    /* Windows-1252 / Latin-1: invalid UTF-8, with its line */
    CHECK(PARSE(&s, "id,title\nR-001,ok\nR-002,caf\xE9\n") == -1);
    CHECK_CONTAINS(captured, "t.csv:3:");
    CHECK_CONTAINS(captured, "0xE9");
    CHECK_CONTAINS(captured, "UTF-8");
    sheet_free(&s);
    CHECK(PARSE(&s, "\xC0\xAF\n") == -1);
    sheet_free(&s);
    CHECK(PARSE(&s, "a,b\n\xED\xA0\x80\n") == -1);
    CHECK_CONTAINS(captured, "t.csv:2:");
    sheet_free(&s);
    CHECK(PARSE(&s, "a,\xC3") == -1); /* truncated at the very end */
    sheet_free(&s);
}

/* --- writing ------------------------------------------------------------------------------ */

static char *written(const char *value, char delim, int protect)
{
    struct strbuf sb = STRBUF_INIT;
    sheet_write_cell(&sb, value, delim, protect);
    return sb_take(&sb);
}

#define CHECK_WRITE(value, delim, protect, want)                                                   \
    do {                                                                                           \
        char *w__ = written(value, delim, protect);                                                \
        CHECK_STR(w__, want);                                                                      \
        free(w__);                                                                                 \
    } while (0)

static void test_write_cell(void)
{
    CHECK_WRITE("plain", ',', 0, "plain");
    CHECK_WRITE("", ',', 0, "");
    CHECK_WRITE(NULL, ',', 0, "");
    CHECK_WRITE("a,b", ',', 0, "\"a,b\"");
    CHECK_WRITE("a;b", ',', 0, "a;b");
    CHECK_WRITE("a;b", ';', 0, "\"a;b\"");
    CHECK_WRITE("a,b", ';', 0, "a,b");
    CHECK_WRITE("say \"hi\"", ',', 0, "\"say \"\"hi\"\"\"");
    CHECK_WRITE("\"", ',', 0, "\"\"\"\"");
    CHECK_WRITE("two\nlines", ',', 0, "\"two\nlines\"");
    CHECK_WRITE("cr\rhere", ',', 0, "\"cr\rhere\"");
    CHECK_WRITE(" lead", ',', 0, "\" lead\"");
    CHECK_WRITE("trail ", ',', 0, "\"trail \"");
    CHECK_WRITE("in side", ',', 0, "in side");
    CHECK_WRITE("caf\xC3\xA9", ',', 0, "caf\xC3\xA9");

    /* formula protection only when asked */
    CHECK_WRITE("=SUM(A1)", ',', 0, "=SUM(A1)");
    CHECK_WRITE("=SUM(A1)", ',', 1, "'=SUM(A1)");
    CHECK_WRITE("+44 20", ',', 1, "'+44 20");
    CHECK_WRITE("-1", ',', 1, "'-1");
    CHECK_WRITE("@ops", ',', 1, "'@ops");
    CHECK_WRITE("-", ',', 1, "'-");
    CHECK_WRITE("a=b", ',', 1, "a=b");
    CHECK_WRITE("plain", ',', 1, "plain");
    CHECK_WRITE("", ',', 1, "");
    CHECK_WRITE("=1,2", ',', 1, "\"'=1,2\"");
    CHECK_WRITE("=\"x\"", ',', 1, "\"'=\"\"x\"\"\"");
    CHECK_WRITE("@a\nb", ',', 1, "\"'@a\nb\"");
}

/* a row written with sheet_write_cell reads back as the same cells */
static int round_trip(const char *const *cells, int n, char delim, int protect, struct sheet *s)
{
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "header");
    for (int i = 1; i < n; i++)
        sb_putc(&sb, delim);
    sb_puts(&sb, "\r\n");
    for (int i = 0; i < n; i++) {
        if (i) sb_putc(&sb, delim);
        sheet_write_cell(&sb, cells[i], delim, protect);
    }
    sb_puts(&sb, "\r\n");
    int rc = parse_n(s, sb.data, sb.len, delim);
    sb_free(&sb);
    return rc;
}

static void test_round_trip(void)
{
    const char *const cells[] = {"R-001",          "Backup, restore",
                                 "He said \"no\"", "line one\nline two",
                                 " padded ",       "",
                                 "semi;colon",     "caf\xC3\xA9 \xE2\x82\xAC",
                                 "=SUM(A1)",       "-5",
                                 "x\n\n\"y\",z",   "last"};
    int n = (int)(sizeof cells / sizeof cells[0]);
    struct sheet s;
    for (int d = 0; d < 2; d++) {
        char delim = d ? ';' : ',';
        CHECK(round_trip(cells, n, delim, 0, &s) == 0);
        CHECK(s.nrows == 2);
        int bad = 0;
        if (s.nrows == 2 && s.rows[1].ncells == n) {
            for (int i = 0; i < n; i++)
                if (strcmp(s.rows[1].cells[i], cells[i]) != 0) bad++;
        } else {
            bad = -1;
        }
        CHECK(bad == 0);
        CHECK(s.nrows == 2 && s.rows[1].line == 2);
        sheet_free(&s);
    }

    /* with protection: what the register holds (value_parse's canonical text) is written,
     * read back with the apostrophe in front of =, +, - and @, and import's value_parse gives
     * the same text again */
    struct config cfg;
    CHECK(unit_config(&cfg, 5) == 0);
    const struct kind *k = model_kind(K_RISK);
    const struct field *title = &k->fields[model_field_index(k, "title")];
    const char *const typed[] = {"=SUM(A1)", "+44 20 7946 0000", "-1 day", "@ops", "plain",
                                 "a=b",      "'quoted'",         "'tis",   "'=x",  "''=y",
                                 "-",        "=a,\"b\"\nc"};
    const char *const held[] = {"=SUM(A1)", "+44 20 7946 0000", "-1 day", "@ops", "plain",
                                "a=b",      "'quoted'",         "'tis",   "=x",   "''=y",
                                "-",        "=a,\"b\"\nc"};
    int nr = (int)(sizeof typed / sizeof typed[0]);
    char *canon[sizeof typed / sizeof typed[0]];
    for (int i = 0; i < nr; i++) {
        char err[256] = "";
        canon[i] = NULL;
        CHECK(value_parse(&cfg, k, title, typed[i], RATING_WORDS_THREE, &canon[i], err,
                          sizeof err) == 0);
        CHECK_STR(canon[i], held[i]);
    }
    CHECK(round_trip((const char *const *)canon, nr, ',', 1, &s) == 0);
    CHECK(s.nrows == 2 && s.rows[1].ncells == nr);
    if (s.nrows == 2 && s.rows[1].ncells == nr) {
        CHECK_STR(s.rows[1].cells[0], "'=SUM(A1)");
        CHECK_STR(s.rows[1].cells[3], "'@ops");
        CHECK_STR(s.rows[1].cells[4], "plain");
        CHECK_STR(s.rows[1].cells[8], "'=x");
        CHECK_STR(s.rows[1].cells[9], "''=y");
        CHECK_STR(s.rows[1].cells[11], "'=a,\"b\"\nc");
        for (int i = 0; i < nr; i++) {
            char *out = NULL, err[256] = "";
            CHECK(value_parse(&cfg, k, title, s.rows[1].cells[i], RATING_WORDS_THREE, &out, err,
                              sizeof err) == 0);
            CHECK_STR(out, canon[i] ? canon[i] : "(null)");
            free(out);
        }
    }
    for (int i = 0; i < nr; i++)
        free(canon[i]);
    sheet_free(&s);
    config_free(&cfg);
}

int main(void)
{
    test_simple();
    test_crlf_and_bom();
    test_quotes();
    test_blank_lines();
    test_semicolons();
    test_refusals();
    test_write_cell();
    test_round_trip();
    return unit_report();
}
