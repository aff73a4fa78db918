/* sheet_xlsx.c - one worksheet of an Excel workbook read into numbered rows (sheet.h), as a
 * person reads it in the spreadsheet: shared and inline text, numbers without float noise, dates
 * where the cell's format shows a date, formulas as their saved values.
 *
 * The package (the zip, the parts, the caps on their size, the refusal of a DOCTYPE) is
 * xlsx_package.c; here, what a sheet may hold is counted: shared strings, cell formats, columns
 * up to XFD, rows up to 1048576 and the cells of the whole sheet. */
#include "sheet_xlsx.h"
#include "date.h"
#include "text.h"
#include "xlsx_package.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CAP_SHEET_PART (256 * XLSX_MIB)
#define CAP_STRINGS_PART (64 * XLSX_MIB)
#define MAX_SHARED_STRINGS 4000000
#define MAX_STYLES 1000000
#define MAX_COLUMNS 16384  /* A to XFD, as Excel */
#define MAX_ROWS 1048576   /* as Excel */
#define MAX_CELLS 5000000L /* a sheet's cells once its rows are padded to the widest */
#define CELL_NAME_SIZE 16

/* ---- shared strings: every text cell's text, once, in one pool ---- */

struct strings {
    struct strbuf pool; /* each string and its NUL */
    size_t *at;         /* where each string starts in the pool */
    int n;
};

/* The character "_xHHHH_" (at least 7 bytes at s) stands for, or -1 when it is no escape (or
 * one of a UTF-16 surrogate, which is no character). */
static long escaped_char(const char *s)
{
    if (s[0] != '_' || s[1] != 'x' || s[6] != '_') return -1;
    long cp = 0;
    for (int i = 2; i < 6; i++) {
        if (!isxdigit((unsigned char)s[i])) return -1;
        cp = cp * 16 + (isdigit((unsigned char)s[i]) ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
    }
    return cp >= 0xD800 && cp <= 0xDFFF ? -1 : cp;
}

static void add_utf8(struct strbuf *out, unsigned cp)
{
    char u[3];
    size_t n = 0;
    if (cp < 0x80) {
        u[n++] = (char)cp;
    } else if (cp < 0x800) {
        u[n++] = (char)(0xC0 | cp >> 6);
        u[n++] = (char)(0x80 | (cp & 0x3F));
    } else {
        u[n++] = (char)(0xE0 | cp >> 12);
        u[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[n++] = (char)(0x80 | (cp & 0x3F));
    }
    sb_add(out, u, n);
}

/* Text with the OOXML escapes of characters XML cannot hold ("_x000D_" is a carriage return,
 * "_x005F_" an underscore) turned back into the characters. */
static void add_unescaped(struct strbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        long cp = s[i] == '_' && n - i >= 7 ? escaped_char(s + i) : -1;
        if (cp < 0) {
            sb_putc(out, s[i]);
            continue;
        }
        if (cp > 0) add_utf8(out, (unsigned)cp); /* a NUL is no character of text */
        i += 6;
    }
}

struct strings_ctx {
    struct xml_ctx x;
    struct strings *ss;
    int in_si, in_t, in_phonetic; /* a phonetic guide (<rPh>) is not the cell's text */
    struct strbuf text;
};

static void XMLCALL strings_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    struct strings_ctx *sc = data;
    if (XLSX_STOPPED(&sc->x)) return;
    const char *local = xlsx_local_name(name);
    if (strcmp(local, "si") == 0) {
        sc->in_si = 1;
        sb_reset(&sc->text);
    } else if (strcmp(local, "rPh") == 0) {
        sc->in_phonetic++;
    } else if (strcmp(local, "t") == 0) {
        sc->in_t = sc->in_si && !sc->in_phonetic;
    }
}

static void XMLCALL strings_end(void *data, const XML_Char *name)
{
    struct strings_ctx *sc = data;
    if (XLSX_STOPPED(&sc->x)) return;
    const char *local = xlsx_local_name(name);
    if (strcmp(local, "t") == 0) {
        sc->in_t = 0;
    } else if (strcmp(local, "rPh") == 0) {
        sc->in_phonetic--;
    } else if (strcmp(local, "si") == 0 && sc->in_si) {
        struct strings *ss = sc->ss;
        if (ss->n >= MAX_SHARED_STRINGS) {
            xlsx_fail(&sc->x, "the workbook has more than %d shared strings; refused",
                      MAX_SHARED_STRINGS);
            return;
        }
        if ((ss->n & (ss->n - 1)) == 0) /* at 0, 1, 2, 4, ...: room doubles */
            ss->at = xrealloc(ss->at, sizeof *ss->at * (size_t)(ss->n ? ss->n * 2 : 1));
        ss->at[ss->n++] = ss->pool.len;
        add_unescaped(&ss->pool, sc->text.data ? sc->text.data : "", sc->text.len);
        sb_add(&ss->pool, "", 1);
        sc->in_si = 0;
    }
}

static void XMLCALL strings_text(void *data, const XML_Char *s, int len)
{
    struct strings_ctx *sc = data;
    if (sc->in_t && !XLSX_STOPPED(&sc->x)) sb_add(&sc->text, s, (size_t)len);
}

static int read_strings(struct workbook *wb, struct strings *ss)
{
    memset(ss, 0, sizeof *ss);
    if (!wb->strings_part) return 0;
    struct strings_ctx sc = {.ss = ss};
    int rc = xlsx_parse_part(wb, wb->strings_part, CAP_STRINGS_PART, &sc.x, strings_start,
                             strings_end, strings_text);
    sb_free(&sc.text);
    return rc;
}

static void free_strings(struct strings *ss)
{
    sb_free(&ss->pool);
    free(ss->at);
}

/* ---- styles: which cell formats show a number as a date ---- */

struct custom_format {
    int id, order, is_date;
};

struct styles {
    unsigned char *xf_date; /* per cell format (a cell's s="N"): 1 when it shows a date */
    int nxf;
};

struct styles_ctx {
    struct xml_ctx x;
    struct styles *st;
    const char *part;
    int in_cell_xfs; /* <xf> also appears in <cellStyleXfs>, which cells do not name */
    struct custom_format *custom;
    int ncustom;
    int *xf_format; /* each cell format's number format */
};

/* A custom number format shows a date when it has a day, month or year code outside quoted
 * text, [colour or locale] brackets and escaped characters. ("m" is also minutes; a time-only
 * value is told apart by its size, see serial_text.) */
static int format_is_date(const char *code)
{
    for (const char *p = code; *p; p++) {
        if (*p == '"' || *p == '[') {
            const char *close = strchr(p + 1, *p == '"' ? '"' : ']');
            if (!close) return 0;
            p = close;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (!p[1]) return 0;
            p++;
        } else if (strchr("dDmMyY", *p)) {
            return 1;
        }
    }
    return 0;
}

/* Excel's built-in date and time formats (the ids it writes no code for). */
static int builtin_is_date(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A number format's id; -1 (no format) when it is not a number. */
static int format_id(const char *text)
{
    long long id;
    return text_parse_int(text, &id) == 0 && id >= 0 && id <= INT_MAX ? (int)id : -1;
}

static void XMLCALL styles_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    struct styles_ctx *sc = data;
    if (XLSX_STOPPED(&sc->x)) return;
    const char *local = xlsx_local_name(name);
    const char *id = xlsx_attr(atts, "numFmtId");
    if (strcmp(local, "cellXfs") == 0) {
        sc->in_cell_xfs = 1;
    } else if (strcmp(local, "numFmt") == 0 && id) {
        const char *code = xlsx_attr(atts, "formatCode");
        if (sc->ncustom >= MAX_STYLES) {
            xlsx_fail(&sc->x, "%s: more than %d number formats; refused", sc->part, MAX_STYLES);
            return;
        }
        if ((sc->ncustom & (sc->ncustom - 1)) == 0) /* at 0, 1, 2, 4, ...: room doubles */
            sc->custom = xrealloc(sc->custom,
                                  sizeof *sc->custom * (size_t)(sc->ncustom ? sc->ncustom * 2 : 1));
        sc->custom[sc->ncustom] =
            (struct custom_format){format_id(id), sc->ncustom, code && format_is_date(code)};
        sc->ncustom++;
    } else if (strcmp(local, "xf") == 0 && sc->in_cell_xfs) {
        if (sc->st->nxf >= MAX_STYLES) {
            xlsx_fail(&sc->x, "%s: more than %d cell formats; refused", sc->part, MAX_STYLES);
            return;
        }
        int n = sc->st->nxf++;
        if ((n & (n - 1)) == 0)
            sc->xf_format =
                xrealloc(sc->xf_format, sizeof *sc->xf_format * (size_t)(n ? n * 2 : 1));
        sc->xf_format[n] = id ? format_id(id) : 0;
    }
}

static void XMLCALL styles_end(void *data, const XML_Char *name)
{
    struct styles_ctx *sc = data;
    if (strcmp(xlsx_local_name(name), "cellXfs") == 0) sc->in_cell_xfs = 0;
}

static int compare_formats(const void *a, const void *b)
{
    const struct custom_format *x = a, *y = b;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The last custom format of that id, or NULL. */
static const struct custom_format *find_custom(const struct custom_format *v, int n, int id)
{
    int lo = 0, hi = n; /* to the first format with an id above id */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (v[mid].id <= id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && v[lo - 1].id == id ? &v[lo - 1] : NULL;
}

static int read_styles(struct workbook *wb, struct styles *st)
{
    memset(st, 0, sizeof *st);
    if (!wb->styles_part) return 0;
    struct styles_ctx sc = {.st = st, .part = wb->styles_part};
    int rc =
        xlsx_parse_part(wb, wb->styles_part, XLSX_CAP_PART, &sc.x, styles_start, styles_end, NULL);
    /* by id, the last of an id last: a search finds the one that counts */
    if (sc.ncustom) qsort(sc.custom, (size_t)sc.ncustom, sizeof *sc.custom, compare_formats);
    st->xf_date = xcalloc((size_t)(st->nxf ? st->nxf : 1), 1);
    for (int i = 0; i < st->nxf; i++) {
        const struct custom_format *custom = find_custom(sc.custom, sc.ncustom, sc.xf_format[i]);
        /* a custom format may redefine a built-in id */
        st->xf_date[i] =
            (unsigned char)(custom ? custom->is_date : builtin_is_date(sc.xf_format[i]));
    }
    free(sc.custom);
    free(sc.xf_format);
    return rc;
}

/* ---- cell values as a person reads them ---- */

/* A date cell's serial number as YYYY-MM-DD (the register keeps dates, not times); a value
 * below one day in the 1900 system is a time of day alone, given as HH:MM. -1 when the number
 * is outside the dates Excel shows (it shows ####). */
static int serial_text(double serial, int date1904, char *out, size_t outsize)
{
    if (!(serial >= 0 && serial < 2958466)) return -1; /* 9999-12-31 in the 1900 system */
    long long seconds = llround(serial * 86400.0);
    long days = (long)(seconds / 86400);
    if (!date1904 && days == 0) {
        snprintf(out, outsize, "%02lld:%02lld", seconds / 3600 % 24, seconds / 60 % 60);
        return 0;
    }
    /* the 1900 system counts a 29 February 1900 that never was (as Lotus 1-2-3 did) */
    if (!date1904 && days == 60) {
        snprintf(out, outsize, "1900-02-29");
        return 0;
    }
    rr_day day = date1904    ? date_from_ymd(1904, 1, 1) + days
                 : days < 60 ? date_from_ymd(1899, 12, 31) + days
                             : date_from_ymd(1899, 12, 30) + days;
    if (day > date_from_ymd(9999, 12, 31)) return -1; /* the 1904 system ends sooner */
    char text[DATE_TEXT_SIZE];
    date_format(day, text);
    snprintf(out, outsize, "%s", text);
    return 0;
}

/* A number as a person reads it: 3, 0.25, 0.3 (15 digits, as Excel shows, without the float
 * noise of 0.30000000000000004); text that is not a number stays as it is. */
static char *number_text(const char *v, int is_date, int date1904)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !isfinite(d)) return xstrdup(v);
    char out[64];
    if (is_date && serial_text(d, date1904, out, sizeof out) == 0) return xstrdup(out);
    snprintf(out, sizeof out, "%.15g", d == 0 ? 0.0 : d);
    return xstrdup(out);
}

/* ---- the worksheet ---- */

enum cell_type {
    CELL_NUMBER,
    CELL_SHARED,
    CELL_INLINE,
    CELL_STRING,
    CELL_BOOL,
    CELL_ERROR,
    CELL_DATE
};

struct sheet_ctx {
    struct xml_ctx x;
    const struct workbook *wb;
    const struct strings *ss;
    const struct styles *st;
    struct sheet *s;
    const char *part;
    int in_data;  /* inside <sheetData> */
    int row;      /* the row being read; 0 outside one */
    int last_row; /* the row before it */
    char **cells; /* the row being read, by column; NULL: empty */
    int ncells;   /* up to the last one set */
    int cells_cap;
    int col, last_col;
    enum cell_type type;
    int style, has_formula, in_inline, in_phonetic;
    int collect; /* inside <v>, or the text of an inline string */
    struct strbuf value;
    long slots;            /* cells of the rows kept, each padded to its last value */
    int width;             /* the widest row */
    int formulas, unsaved; /* cells with a formula, and those without a value saved */
    int first_formula_col, first_formula_row;
};

static void cell_ref(const struct sheet_ctx *sc, char out[CELL_NAME_SIZE])
{
    sheet_cell_ref(sc->col, sc->row, out, CELL_NAME_SIZE);
}

/* "H14" names column H (index 7); the row comes from the <row>. -1 when it names no column. */
static int column_of_ref(const char *ref)
{
    int col = 0, letters = 0;
    for (; isalpha((unsigned char)*ref) && letters < 4; ref++, letters++)
        col = col * 26 + (toupper((unsigned char)*ref) - 'A' + 1);
    if (!letters || *ref < '0' || *ref > '9') return -1;
    return col - 1;
}

static int parse_row_number(const char *text)
{
    long long n;
    return text_parse_int(text, &n) == 0 && n >= 1 && n <= MAX_ROWS ? (int)n : -1;
}

static void start_row(struct sheet_ctx *sc, const XML_Char **atts)
{
    const char *r = xlsx_attr(atts, "r");
    int row = r ? parse_row_number(r) : sc->last_row + 1;
    if (row < 1 || row > MAX_ROWS) {
        xlsx_fail(&sc->x, "%s: a row numbered '%s', not 1 to %d: the workbook is damaged", sc->part,
                  r ? r : "", MAX_ROWS);
        return;
    }
    if (row <= sc->last_row) {
        xlsx_fail(&sc->x, "%s: row %d comes after row %d: the workbook is damaged", sc->part, row,
                  sc->last_row);
        return;
    }
    sc->row = row;
    sc->last_col = -1;
}

static void start_cell(struct sheet_ctx *sc, const XML_Char **atts)
{
    const char *r = xlsx_attr(atts, "r"), *t = xlsx_attr(atts, "t"), *s = xlsx_attr(atts, "s");
    sc->col = r ? column_of_ref(r) : sc->last_col + 1;
    if (r && sc->col < 0) {
        xlsx_fail(&sc->x, "%s: row %d: '%.20s' is not a cell name: the workbook is damaged",
                  sc->part, sc->row, r);
        return;
    }
    if (sc->col >= MAX_COLUMNS) {
        xlsx_fail(&sc->x, "%s: row %d: a cell beyond column XFD, the last a sheet has; refused",
                  sc->part, sc->row);
        return;
    }
    sc->last_col = sc->col;
    static const struct {
        const char *name;
        enum cell_type type;
    } types[] = {{"s", CELL_SHARED}, {"inlineStr", CELL_INLINE}, {"str", CELL_STRING},
                 {"b", CELL_BOOL},   {"e", CELL_ERROR},          {"d", CELL_DATE}};
    sc->type = CELL_NUMBER;
    for (size_t i = 0; t && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(t, types[i].name) == 0) sc->type = types[i].type;
    long long style;
    sc->style =
        s && text_parse_int(s, &style) == 0 && style >= 0 && style < INT_MAX ? (int)style : -1;
    sc->has_formula = 0;
    sb_reset(&sc->value);
}

/* The cell's text, or NULL when it is empty (or after failing). */
static char *cell_text(struct sheet_ctx *sc)
{
    const char *v = sb_str(&sc->value);
    struct strbuf sb = STRBUF_INIT;
    switch (sc->type) {
    case CELL_SHARED: {
        long long i;
        if (!*v) return NULL;
        if (text_parse_int(v, &i) != 0 || i < 0 || i >= sc->ss->n) {
            char ref[CELL_NAME_SIZE];
            cell_ref(sc, ref);
            xlsx_fail(&sc->x,
                      "%s: cell %s names shared string '%.20s', which the workbook does "
                      "not have: it is damaged",
                      sc->part, ref, v);
            return NULL;
        }
        const char *text = sc->ss->pool.data + sc->ss->at[i];
        return *text ? xstrdup(text) : NULL;
    }
    case CELL_INLINE:
    case CELL_STRING:
        add_unescaped(&sb, v, sc->value.len);
        if (sb.len) return sb_take(&sb);
        sb_free(&sb);
        return NULL;
    case CELL_BOOL:
        return *v ? xstrdup(strcmp(v, "0") == 0 ? "FALSE" : "TRUE") : NULL;
    case CELL_DATE: /* ISO 8601: the date part */
        return *v ? xstrndup(v, strlen(v) > 10 && v[10] == 'T' ? 10 : strlen(v)) : NULL;
    case CELL_ERROR:
        return *v ? xstrdup(v) : NULL;
    case CELL_NUMBER:
        break;
    }
    if (!*v) return NULL;
    int is_date = sc->style >= 0 && sc->style < sc->st->nxf && sc->st->xf_date[sc->style];
    return number_text(v, is_date, sc->wb->date1904);
}

static void end_cell(struct sheet_ctx *sc)
{
    if (sc->has_formula) {
        if (!sc->formulas++) {
            sc->first_formula_col = sc->col;
            sc->first_formula_row = sc->row;
        }
        /* a formula's value is saved in <v>; writers that cannot compute leave it out or empty
         * (an empty text result is the only empty value a spreadsheet saves) */
        if (!sc->value.len && sc->type != CELL_STRING) sc->unsaved++;
    }
    char *text = cell_text(sc);
    if (!text) return;
    if (sc->col >= sc->cells_cap) { /* room doubles: a wide row is not copied at every cell */
        sc->cells_cap = sc->col + 1 > sc->cells_cap * 2 ? sc->col + 1 : sc->cells_cap * 2;
        sc->cells = xrealloc(sc->cells, sizeof *sc->cells * (size_t)sc->cells_cap);
    }
    if (sc->col >= sc->ncells) {
        for (int c = sc->ncells; c <= sc->col; c++)
            sc->cells[c] = NULL;
        sc->ncells = sc->col + 1;
    }
    free(sc->cells[sc->col]); /* a cell given twice: the last one counts */
    sc->cells[sc->col] = text;
}

/* Keep the row when it holds anything: from column A to its last value, gaps as "". */
static void end_row(struct sheet_ctx *sc)
{
    struct sheet *s = sc->s;
    int row = sc->row;
    sc->last_row = row;
    sc->row = 0;
    if (!sc->ncells) return;
    sc->slots += sc->ncells;
    if (sc->slots > MAX_CELLS) {
        xlsx_fail(&sc->x, "%s: more than %ld cells; refused (split the sheet)", sc->part,
                  MAX_CELLS);
        return;
    }
    for (int c = 0; c < sc->ncells; c++)
        if (!sc->cells[c]) sc->cells[c] = xstrdup("");
    if (s->nrows == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->rows = xrealloc(s->rows, sizeof *s->rows * (size_t)s->cap);
    }
    s->rows[s->nrows++] = (struct sheet_row){row, sc->ncells, sc->cells};
    if (sc->ncells > sc->width) sc->width = sc->ncells;
    sc->cells = NULL;
    sc->ncells = sc->cells_cap = 0;
}

static void XMLCALL sheet_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    struct sheet_ctx *sc = data;
    if (XLSX_STOPPED(&sc->x)) return;
    const char *local = xlsx_local_name(name);
    if (strcmp(local, "sheetData") == 0)
        sc->in_data = 1;
    else if (!sc->in_data)
        return;
    else if (strcmp(local, "row") == 0)
        start_row(sc, atts);
    else if (!sc->row)
        return;
    else if (strcmp(local, "c") == 0)
        start_cell(sc, atts);
    else if (strcmp(local, "v") == 0)
        sc->collect = 1;
    else if (strcmp(local, "f") == 0)
        sc->has_formula = 1;
    else if (strcmp(local, "is") == 0)
        sc->in_inline = 1;
    else if (strcmp(local, "rPh") == 0)
        sc->in_phonetic++;
    else if (strcmp(local, "t") == 0)
        sc->collect = sc->in_inline && !sc->in_phonetic;
}

static void XMLCALL sheet_end(void *data, const XML_Char *name)
{
    struct sheet_ctx *sc = data;
    if (XLSX_STOPPED(&sc->x) || !sc->in_data) return;
    const char *local = xlsx_local_name(name);
    if (strcmp(local, "sheetData") == 0)
        sc->in_data = 0;
    else if (!sc->row)
        return;
    else if (strcmp(local, "row") == 0)
        end_row(sc);
    else if (strcmp(local, "c") == 0)
        end_cell(sc);
    else if (strcmp(local, "v") == 0 || strcmp(local, "t") == 0)
        sc->collect = 0;
    else if (strcmp(local, "is") == 0)
        sc->in_inline = 0;
    else if (strcmp(local, "rPh") == 0)
        sc->in_phonetic--;
}

static void XMLCALL sheet_text(void *data, const XML_Char *s, int len)
{
    struct sheet_ctx *sc = data;
    if (sc->collect && !XLSX_STOPPED(&sc->x)) sb_add(&sc->value, s, (size_t)len);
}

/* Every row as wide as the widest, as the rows of a CSV file are: the import reads a row's
 * cells by the header's columns, and a workbook leaves out the empty cells at a row's end. */
static int pad_rows(struct sheet *s, int width, const char *path, const char *part)
{
    if ((long)s->nrows * width > MAX_CELLS) {
        rr_error("%s: %s: %d rows of up to %d columns are more than %ld cells; refused (split "
                 "the sheet)",
                 path, part, s->nrows, width, MAX_CELLS);
        return -1;
    }
    for (int r = 0; r < s->nrows; r++) {
        struct sheet_row *row = &s->rows[r];
        if (row->ncells == width) continue;
        row->cells = xrealloc(row->cells, sizeof *row->cells * (size_t)width);
        for (int c = row->ncells; c < width; c++)
            row->cells[c] = xstrdup("");
        row->ncells = width;
    }
    return 0;
}

static void warn_formulas(const struct sheet_ctx *sc, const char *path, const char *sheet_name)
{
    char where[256];
    sheet_xlsx_cell_name(sheet_name, sc->first_formula_col, sc->first_formula_row, where,
                         sizeof where);
    struct strbuf sb = STRBUF_INIT;
    if (sc->formulas == 1)
        sb_puts(&sb, "1 cell holds a formula; its value was imported, not the formula");
    else
        sb_printf(&sb, "%d cells hold formulas; their values were imported, not the formulas",
                  sc->formulas);
    if (sc->unsaved)
        sb_printf(&sb,
                  " (%d had no value saved with %s and %s read as empty: open and save the "
                  "workbook in a spreadsheet to compute them)",
                  sc->unsaved, sc->unsaved == 1 ? "it" : "them", sc->unsaved == 1 ? "was" : "were");
    rr_warn("%s: %s: %s", path, where, sb_str(&sb));
    sb_free(&sb);
}

static int read_worksheet(struct workbook *wb, int at, struct sheet *s, int quiet)
{
    struct strings ss = {0};
    struct styles st = {0};
    int rc = -1;
    if (read_strings(wb, &ss) == 0 && read_styles(wb, &st) == 0) {
        struct sheet_ctx sc = {.wb = wb, .ss = &ss, .st = &st, .s = s, .part = wb->parts[at]};
        rc = xlsx_parse_part(wb, wb->parts[at], CAP_SHEET_PART, &sc.x, sheet_start, sheet_end,
                             sheet_text);
        for (int c = 0; c < sc.ncells; c++)
            free(sc.cells[c]);
        free(sc.cells);
        sb_free(&sc.value);
        if (rc == 0) rc = pad_rows(s, sc.width, wb->path, wb->parts[at]);
        if (rc == 0 && sc.formulas && !quiet) warn_formulas(&sc, wb->path, wb->names[at]);
    }
    free_strings(&ss);
    free(st.xf_date);
    return rc;
}

static int read_xlsx(struct sheet *s, const char *path, const void *data, size_t len,
                     const char *sheet_name, int quiet)
{
    memset(s, 0, sizeof *s);
    s->path = xstrdup(path);
    struct workbook wb;
    if (xlsx_open(&wb, path, data, len) != 0) return -1;
    int at = sheet_xlsx_pick(path, wb.names, wb.nsheets, sheet_name);
    int rc = -1;
    if (at >= 0) {
        s->sheet_name = xstrdup(wb.names[at]);
        rc = read_worksheet(&wb, at, s, quiet);
    }
    xlsx_close(&wb);
    return rc;
}

/* ---- the API ---- */

int sheet_is_xlsx(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

int sheet_read_xlsx(struct sheet *s, const char *path, const char *sheet_name, int quiet)
{
    return read_xlsx(s, path, NULL, 0, sheet_name, quiet);
}

int sheet_parse_xlsx(struct sheet *s, const char *path, const void *data, size_t len,
                     const char *sheet_name, int quiet)
{
    /* libzip takes no empty buffer; an empty file is refused as not a zip all the same */
    static const char empty[1];
    return read_xlsx(s, path, data ? data : empty, data ? len : 0, sheet_name, quiet);
}

int sheet_xlsx_names(const char *path, char ***names, int *count)
{
    struct workbook wb;
    *names = NULL;
    *count = 0;
    if (xlsx_open(&wb, path, NULL, 0) != 0) return -1;
    *names = wb.names;
    *count = wb.nsheets;
    wb.names = NULL;
    for (int i = 0; i < wb.nsheets; i++)
        free(wb.parts[i]);
    wb.nsheets = 0;
    xlsx_close(&wb);
    return 0;
}

int sheet_xlsx_pick(const char *path, char *const *names, int count, const char *sheet_name)
{
    if (!sheet_name) return 0;
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], sheet_name) == 0) return i;
    for (int i = 0; i < count; i++) /* as a spreadsheet finds a sheet: case does not matter */
        if (text_equal_nocase(names[i], sheet_name)) return i;
    struct strbuf list = STRBUF_INIT;
    for (int i = 0; i < count && i < 20; i++)
        sb_printf(&list, "%s%s", i ? ", " : "", names[i]);
    if (count > 20) sb_puts(&list, ", ...");
    rr_error("%s: no sheet named '%s' (its sheets: %s)", path, sheet_name, sb_str(&list));
    sb_free(&list);
    return -1;
}

void sheet_xlsx_free_names(char **names, int count)
{
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

void sheet_xlsx_cell_name(const char *sheet_name, int col_index, int row_line, char *out,
                          size_t outsize)
{
    /* a name of letters, digits and '_' alone stands bare; any other is quoted, '' for ' */
    int bare = sheet_name[0] != '\0';
    for (const char *p = sheet_name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_') bare = 0;
    struct strbuf sb = STRBUF_INIT;
    if (!bare) sb_putc(&sb, '\'');
    for (const char *p = sheet_name; *p; p++)
        if (*p == '\'')
            sb_puts(&sb, "''");
        else
            sb_putc(&sb, *p);
    if (!bare) sb_putc(&sb, '\'');
    if (col_index >= 0) {
        char ref[CELL_NAME_SIZE];
        sheet_cell_ref(col_index, row_line, ref, sizeof ref);
        sb_printf(&sb, "!%s", ref);
    } else {
        sb_printf(&sb, "!row %d", row_line);
    }
    snprintf(out, outsize, "%s", sb_str(&sb));
    sb_free(&sb);
}
