/* sheet_xlsx.c - one worksheet of an Excel workbook read into numbered rows (sheet.h).
 *
 * An .xlsx is a zip of XML parts: _rels/.rels names the workbook part, the workbook lists its
 * sheets by name with a relationship each, and the workbook's relationships give each sheet's
 * part, the shared strings and the styles (which cells are dates). Each part is streamed from
 * libzip into expat, so memory follows what is kept, not the size of the file.
 *
 * A workbook comes from anyone, so nothing in it is trusted: each part has a cap on its
 * uncompressed size, checked against the zip's declared size and again by counting the bytes
 * read (a zip bomb declares a small size); shared strings, styles, sheets, columns and cells are
 * counted; an XML part with a DOCTYPE is refused before any entity in it can expand, and
 * external entities are never read. */
#include "sheet_xlsx.h"
#include "date.h"
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define MIB (1024ULL * 1024ULL)
#define CAP_SHEET_PART (256 * MIB)
#define CAP_STRINGS_PART (64 * MIB)
#define CAP_OTHER_PART (16 * MIB) /* the package and workbook relationships, workbook, styles */
#define MAX_SHARED_STRINGS 4000000
#define MAX_STYLES 1000000
#define MAX_SHEETS 1000
#define MAX_COLUMNS 16384  /* A to XFD, as Excel */
#define MAX_ROWS 1048576   /* as Excel */
#define MAX_CELLS 5000000L /* a sheet's cells once its rows are padded to the widest */
#define CELL_NAME_SIZE 16

/* ---- reading a part through expat ---- */

/* What every part's handlers share; the first member of each part's own state. */
struct xml_ctx {
    XML_Parser parser;
    struct strbuf why; /* why a handler stopped the parse; empty while all is well */
    int doctype;       /* stopped at a DOCTYPE */
};

static void xml_fail(struct xml_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xml_fail(struct xml_ctx *x, const char *fmt, ...)
{
    if (x->why.len) return;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&x->why, fmt, ap);
    va_end(ap);
    XML_StopParser(x->parser, XML_FALSE);
}

/* expat may still call a handler or two after a stop; they do nothing then */
#define STOPPED(x) ((x)->why.len || (x)->doctype)

static void XMLCALL refuse_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
                                   const XML_Char *pubid, int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    struct xml_ctx *x = data;
    x->doctype = 1;
    XML_StopParser(x->parser, XML_FALSE);
}

/* An element's or attribute's name without its namespace prefix ("x:row" is "row"). */
static const char *local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(local_name(atts[i]), name) == 0) return atts[i + 1];
    return NULL;
}

struct workbook {
    const char *path; /* as the user named it, for messages */
    zip_t *zip;
    char **names, **parts; /* the worksheets in workbook order, and each one's part */
    int nsheets;
    char *strings_part, *styles_part; /* NULL when the workbook has none */
    int date1904;                     /* serial day 0 is 1904-01-01 rather than 1899-12-31 */
};

static zip_int64_t find_part(const struct workbook *wb, const char *part)
{
    return zip_name_locate(wb->zip, part, ZIP_FL_NOCASE); /* part names ignore case (OPC) */
}

static int open_part(struct workbook *wb, const char *part, zip_uint64_t cap, zip_file_t **out)
{
    zip_int64_t i = find_part(wb, part);
    zip_stat_t st;
    if (i < 0 || zip_stat_index(wb->zip, (zip_uint64_t)i, 0, &st) != 0) {
        rr_error("%s: %s is missing: the workbook is damaged", wb->path, part);
        return -1;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        rr_error("%s: %s is encrypted; save the workbook without a password", wb->path, part);
        return -1;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > cap) {
        rr_error("%s: %s is larger than %llu MiB unpacked; refused", wb->path, part,
                 (unsigned long long)(cap / MIB));
        return -1;
    }
    *out = zip_fopen_index(wb->zip, (zip_uint64_t)i, 0);
    if (!*out) {
        rr_error("%s: %s: cannot unpack it: %s", wb->path, part, zip_strerror(wb->zip));
        return -1;
    }
    return 0;
}

/* Stream one part into expat with x's handlers. 0, or -1 after a message naming the part. */
static int parse_part(struct workbook *wb, const char *part, zip_uint64_t cap, struct xml_ctx *x,
                      XML_StartElementHandler start, XML_EndElementHandler end,
                      XML_CharacterDataHandler text)
{
    zip_file_t *zf;
    if (open_part(wb, part, cap, &zf) != 0) return -1;
    /* no namespace processing and no external entities: expat reads none unless asked */
    x->parser = XML_ParserCreate(NULL);
    if (!x->parser) {
        zip_fclose(zf);
        rr_error("%s: %s: out of memory", wb->path, part);
        return -1;
    }
    XML_SetUserData(x->parser, x);
    XML_SetElementHandler(x->parser, start, end);
    if (text) XML_SetCharacterDataHandler(x->parser, text);
    XML_SetStartDoctypeDeclHandler(x->parser, refuse_doctype);
    int rc = 0, last = 0;
    zip_uint64_t total = 0;
    while (!last && rc == 0) {
        enum { CHUNK = 1 << 16 };
        void *buf = XML_GetBuffer(x->parser, CHUNK);
        zip_int64_t n = buf ? zip_fread(zf, buf, CHUNK) : -1;
        if (n < 0) {
            rr_error("%s: %s: cannot unpack it: %s", wb->path, part,
                     buf ? zip_file_strerror(zf) : "out of memory");
            rc = -1;
            break;
        }
        total += (zip_uint64_t)n;
        if (total > cap) { /* the zip declared less than this: believe the bytes */
            rr_error("%s: %s unpacks to more than %llu MiB; refused", wb->path, part,
                     (unsigned long long)(cap / MIB));
            rc = -1;
            break;
        }
        last = n == 0;
        if (XML_ParseBuffer(x->parser, (int)n, last) != XML_STATUS_OK) {
            if (x->doctype)
                rr_error("%s: %s declares a DOCTYPE, which a workbook never has; refused", wb->path,
                         part);
            else if (x->why.len)
                rr_error("%s: %s", wb->path, sb_str(&x->why));
            else
                rr_error("%s: %s: line %lu: %s: the workbook is damaged", wb->path, part,
                         (unsigned long)XML_GetCurrentLineNumber(x->parser),
                         XML_ErrorString(XML_GetErrorCode(x->parser)));
            rc = -1;
        }
    }
    XML_ParserFree(x->parser);
    x->parser = NULL;
    sb_free(&x->why);
    zip_fclose(zf);
    return rc;
}

/* ---- the package: which parts hold the workbook, its sheets, strings and styles ---- */

/* A relationship's target as a part name: relative to the folder of the part it is from, or
 * from the package's root when it starts with '/'. */
static char *resolve_target(const char *from_dir, const char *target)
{
    struct strbuf joined = STRBUF_INIT, out = STRBUF_INIT;
    if (target[0] == '/')
        sb_puts(&joined, target + 1);
    else
        sb_printf(&joined, "%s%s", from_dir, target);
    if (!joined.len) {
        sb_free(&joined);
        return xstrdup("");
    }
    char *state = NULL;
    for (char *seg = strtok_r(joined.data, "/", &state); seg; seg = strtok_r(NULL, "/", &state)) {
        if (strcmp(seg, ".") == 0) continue;
        if (strcmp(seg, "..") == 0) { /* drop the last folder */
            char *slash = out.len ? strrchr(out.data, '/') : NULL;
            out.len = slash ? (size_t)(slash - out.data) : 0;
            if (out.data) out.data[out.len] = '\0';
            continue;
        }
        if (out.len) sb_putc(&out, '/');
        sb_puts(&out, seg);
    }
    sb_free(&joined);
    return sb_take(&out);
}

struct rel {
    char *id, *type, *part;
};

struct rels_ctx {
    struct xml_ctx x;
    const char *from_dir;
    struct rel *v;
    int n;
};

static void XMLCALL rels_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    struct rels_ctx *rc = data;
    if (STOPPED(&rc->x) || strcmp(local_name(name), "Relationship") != 0) return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
    const char *mode = attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0)) return;
    if (rc->n >= MAX_SHEETS * 2) {
        xml_fail(&rc->x, "the workbook has more than %d relationships; refused", MAX_SHEETS * 2);
        return;
    }
    rc->v = xrealloc(rc->v, sizeof *rc->v * (size_t)(rc->n + 1));
    rc->v[rc->n++] = (struct rel){xstrdup(id), xstrdup(type), resolve_target(rc->from_dir, target)};
}

static void XMLCALL ignore_end(void *data, const XML_Char *name)
{
    (void)data, (void)name;
}

static void free_rels(struct rels_ctx *rc)
{
    for (int i = 0; i < rc->n; i++) {
        free(rc->v[i].id);
        free(rc->v[i].type);
        free(rc->v[i].part);
    }
    free(rc->v);
}

static int read_rels(struct workbook *wb, const char *part, const char *from_dir,
                     struct rels_ctx *rc)
{
    memset(rc, 0, sizeof *rc);
    rc->from_dir = from_dir;
    return parse_part(wb, part, CAP_OTHER_PART, &rc->x, rels_start, ignore_end, NULL);
}

/* The first relationship whose type ends in "/" + kind (the namespace varies: transitional or
 * strict), or with the given id. */
static const struct rel *find_rel(const struct rels_ctx *rc, const char *kind, const char *id)
{
    for (int i = 0; i < rc->n; i++) {
        const char *slash = strrchr(rc->v[i].type, '/');
        if (id ? strcmp(rc->v[i].id, id) == 0 : slash && strcmp(slash + 1, kind) == 0)
            return &rc->v[i];
    }
    return NULL;
}

struct book_ctx {
    struct xml_ctx x;
    struct workbook *wb;
    char **ids; /* each sheet's relationship, beside wb->names */
    int n;
};

static void XMLCALL book_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    struct book_ctx *bc = data;
    if (STOPPED(&bc->x)) return;
    const char *local = local_name(name);
    if (strcmp(local, "workbookPr") == 0) {
        const char *v = attr(atts, "date1904");
        bc->wb->date1904 = v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0);
    } else if (strcmp(local, "sheet") == 0) {
        const char *sheet = attr(atts, "name"), *id = attr(atts, "id");
        if (!sheet || !id) return;
        if (bc->n >= MAX_SHEETS) {
            xml_fail(&bc->x, "the workbook has more than %d sheets; refused", MAX_SHEETS);
            return;
        }
        bc->wb->names = xrealloc(bc->wb->names, sizeof *bc->wb->names * (size_t)(bc->n + 1));
        bc->ids = xrealloc(bc->ids, sizeof *bc->ids * (size_t)(bc->n + 1));
        bc->wb->names[bc->n] = xstrdup(sheet);
        bc->ids[bc->n++] = xstrdup(id);
    }
}

/* Keep the sheets that are worksheets (not chart or macro sheets), with their parts. */
static void keep_worksheets(struct workbook *wb, struct book_ctx *bc, const struct rels_ctx *rels)
{
    wb->parts = xcalloc((size_t)(bc->n ? bc->n : 1), sizeof *wb->parts);
    for (int i = 0; i < bc->n; i++) {
        const struct rel *r = find_rel(rels, NULL, bc->ids[i]);
        const char *slash = r ? strrchr(r->type, '/') : NULL;
        if (slash && strcmp(slash + 1, "worksheet") == 0) {
            wb->names[wb->nsheets] = wb->names[i];
            wb->parts[wb->nsheets++] = xstrdup(r->part);
        } else {
            free(wb->names[i]);
        }
        free(bc->ids[i]);
    }
    free(bc->ids);
}

static void workbook_close(struct workbook *wb)
{
    for (int i = 0; i < wb->nsheets; i++) {
        free(wb->names[i]);
        free(wb->parts[i]);
    }
    free(wb->names);
    free(wb->parts);
    free(wb->strings_part);
    free(wb->styles_part);
    if (wb->zip) zip_discard(wb->zip); /* read only: nothing to write back */
    memset(wb, 0, sizeof *wb);
}

/* A file that is not a zip: say what it is most likely to be. */
static int refuse_not_zip(const char *path, const unsigned char *head, size_t n)
{
    static const unsigned char ole2[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (n >= sizeof ole2 && memcmp(head, ole2, sizeof ole2) == 0) {
        rr_error("%s: is an old .xls or a password-protected workbook; save it as .xlsx (or CSV "
                 "UTF-8)",
                 path);
        return -1;
    }
    if (n < 4 || memcmp(head, "PK\x03\x04", 4) != 0) {
        rr_error("%s: not an Excel workbook: an .xlsx file is a zip archive, and this is not one; "
                 "save it from the spreadsheet as .xlsx (or CSV UTF-8)",
                 path);
        return -1;
    }
    return 0;
}

static int open_zip(struct workbook *wb, const void *data, size_t len)
{
    unsigned char head[8];
    size_t n = 0;
    if (data) {
        n = len < sizeof head ? len : sizeof head;
        memcpy(head, data, n);
    } else {
        FILE *f = fopen(wb->path, "rb");
        int failed = !f;
        if (f) {
            n = fread(head, 1, sizeof head, f);
            failed = ferror(f);
            fclose(f);
        }
        if (failed) {
            rr_error("%s: cannot read it: %s", wb->path, strerror(errno));
            return -1;
        }
    }
    if (refuse_not_zip(wb->path, head, n) != 0) return -1;
    zip_error_t err;
    zip_error_init(&err);
    if (data) {
        zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
        wb->zip = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : NULL;
        if (src && !wb->zip) zip_source_free(src);
    } else {
        int code = 0;
        wb->zip = zip_open(wb->path, ZIP_RDONLY, &code);
        zip_error_init_with_code(&err, code);
    }
    if (!wb->zip)
        rr_error("%s: not a readable Excel workbook: %s", wb->path, zip_error_strerror(&err));
    zip_error_fini(&err);
    return wb->zip ? 0 : -1;
}

/* The folder a part is in, with its '/' ("xl/workbook.xml" gives "xl/"). */
static char *part_dir(const char *part)
{
    const char *slash = strrchr(part, '/');
    return xstrndup(part, slash ? (size_t)(slash - part) + 1 : 0);
}

/* Open the workbook and find its worksheets, shared strings and styles. */
static int workbook_open(struct workbook *wb, const char *path, const void *data, size_t len)
{
    memset(wb, 0, sizeof *wb);
    wb->path = path;
    if (open_zip(wb, data, len) != 0) return -1;
    char *book = NULL;
    struct rels_ctx pkg = {0}, rels = {0};
    if (find_part(wb, "_rels/.rels") >= 0) {
        if (read_rels(wb, "_rels/.rels", "", &pkg) != 0) goto fail;
        const struct rel *r = find_rel(&pkg, "officeDocument", NULL);
        if (r) book = xstrdup(r->part);
    }
    if (!book) book = xstrdup("xl/workbook.xml");
    if (find_part(wb, book) < 0) {
        rr_error("%s: not an Excel workbook: it has no %s (a Word or other Office file?)", path,
                 book);
        goto fail;
    }
    char *dir = part_dir(book);
    struct strbuf rels_part = STRBUF_INIT;
    sb_printf(&rels_part, "%s_rels/%s.rels", dir, book + strlen(dir));
    int rc = read_rels(wb, sb_str(&rels_part), dir, &rels);
    sb_free(&rels_part);
    free(dir);
    if (rc != 0) goto fail;
    struct book_ctx bc = {.wb = wb};
    rc = parse_part(wb, book, CAP_OTHER_PART, &bc.x, book_start, ignore_end, NULL);
    keep_worksheets(wb, &bc, &rels);
    if (rc != 0) goto fail;
    const struct rel *strings = find_rel(&rels, "sharedStrings", NULL);
    const struct rel *styles = find_rel(&rels, "styles", NULL);
    wb->strings_part = strings ? xstrdup(strings->part) : NULL;
    wb->styles_part = styles ? xstrdup(styles->part) : NULL;
    if (wb->nsheets == 0) {
        rr_error("%s: the workbook has no worksheets", path);
        goto fail;
    }
    free_rels(&pkg);
    free_rels(&rels);
    free(book);
    return 0;
fail:
    free_rels(&pkg);
    free_rels(&rels);
    free(book);
    workbook_close(wb);
    return -1;
}

/* ---- shared strings: every text cell's text, once, in one pool ---- */

struct strings {
    struct strbuf pool; /* each string and its NUL */
    size_t *at;         /* where each string starts in the pool */
    int n;
};

/* Text with the OOXML escapes of characters XML cannot hold ("_x000D_" is a carriage return,
 * "_x005F_" an underscore) turned back into the characters. */
static void add_unescaped(struct strbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned cp;
        int len;
        if (s[i] == '_' && n - i >= 7 && s[i + 1] == 'x' && s[i + 6] == '_' &&
            sscanf(s + i + 2, "%4x%n", &cp, &len) == 1 && len == 4 &&
            !(cp >= 0xD800 && cp <= 0xDFFF)) {
            char u[3];
            int un = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
            if (un == 1)
                u[0] = (char)cp;
            else if (un == 2)
                u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F));
            else
                u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
                u[2] = (char)(0x80 | (cp & 0x3F));
            if (cp) sb_add(out, u, (size_t)un);
            i += 6;
        } else {
            sb_putc(out, s[i]);
        }
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
    if (STOPPED(&sc->x)) return;
    const char *local = local_name(name);
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
    if (STOPPED(&sc->x)) return;
    const char *local = local_name(name);
    if (strcmp(local, "t") == 0) {
        sc->in_t = 0;
    } else if (strcmp(local, "rPh") == 0) {
        sc->in_phonetic--;
    } else if (strcmp(local, "si") == 0 && sc->in_si) {
        struct strings *ss = sc->ss;
        if (ss->n >= MAX_SHARED_STRINGS) {
            xml_fail(&sc->x, "the workbook has more than %d shared strings; refused",
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
    if (sc->in_t && !STOPPED(&sc->x)) sb_add(&sc->text, s, (size_t)len);
}

static int read_strings(struct workbook *wb, struct strings *ss)
{
    memset(ss, 0, sizeof *ss);
    if (!wb->strings_part) return 0;
    struct strings_ctx sc = {.ss = ss};
    int rc = parse_part(wb, wb->strings_part, CAP_STRINGS_PART, &sc.x, strings_start, strings_end,
                        strings_text);
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

static void XMLCALL styles_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    struct styles_ctx *sc = data;
    if (STOPPED(&sc->x)) return;
    const char *local = local_name(name);
    const char *id = attr(atts, "numFmtId");
    if (strcmp(local, "cellXfs") == 0) {
        sc->in_cell_xfs = 1;
    } else if (strcmp(local, "numFmt") == 0 && id) {
        const char *code = attr(atts, "formatCode");
        if (sc->ncustom >= MAX_STYLES) {
            xml_fail(&sc->x, "%s: more than %d number formats; refused", sc->part, MAX_STYLES);
            return;
        }
        sc->custom = xrealloc(sc->custom, sizeof *sc->custom * (size_t)(sc->ncustom + 1));
        sc->custom[sc->ncustom] =
            (struct custom_format){atoi(id), sc->ncustom, code && format_is_date(code)};
        sc->ncustom++;
    } else if (strcmp(local, "xf") == 0 && sc->in_cell_xfs) {
        if (sc->st->nxf >= MAX_STYLES) {
            xml_fail(&sc->x, "%s: more than %d cell formats; refused", sc->part, MAX_STYLES);
            return;
        }
        int n = sc->st->nxf++;
        if ((n & (n - 1)) == 0)
            sc->xf_format =
                xrealloc(sc->xf_format, sizeof *sc->xf_format * (size_t)(n ? n * 2 : 1));
        sc->xf_format[n] = id ? atoi(id) : 0;
    }
}

static void XMLCALL styles_end(void *data, const XML_Char *name)
{
    struct styles_ctx *sc = data;
    if (strcmp(local_name(name), "cellXfs") == 0) sc->in_cell_xfs = 0;
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
    int rc = parse_part(wb, wb->styles_part, CAP_OTHER_PART, &sc.x, styles_start, styles_end, NULL);
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
    if (!(serial >= 0 && serial < 2958466)) return -1; /* up to 9999-12-31 */
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
    const char *r = attr(atts, "r");
    int row = r ? parse_row_number(r) : sc->last_row + 1;
    if (row < 1 || row > MAX_ROWS) {
        xml_fail(&sc->x, "%s: a row numbered '%s', not 1 to %d: the workbook is damaged", sc->part,
                 r ? r : "", MAX_ROWS);
        return;
    }
    if (row <= sc->last_row) {
        xml_fail(&sc->x, "%s: row %d comes after row %d: the workbook is damaged", sc->part, row,
                 sc->last_row);
        return;
    }
    sc->row = row;
    sc->last_col = -1;
}

static void start_cell(struct sheet_ctx *sc, const XML_Char **atts)
{
    const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
    sc->col = r ? column_of_ref(r) : sc->last_col + 1;
    if (r && sc->col < 0) {
        xml_fail(&sc->x, "%s: row %d: '%.20s' is not a cell name: the workbook is damaged",
                 sc->part, sc->row, r);
        return;
    }
    if (sc->col >= MAX_COLUMNS) {
        xml_fail(&sc->x, "%s: row %d: a cell beyond column XFD, the last a sheet has; refused",
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
            xml_fail(&sc->x,
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
        xml_fail(&sc->x, "%s: more than %ld cells; refused (split the sheet)", sc->part, MAX_CELLS);
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
    if (STOPPED(&sc->x)) return;
    const char *local = local_name(name);
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
    if (STOPPED(&sc->x) || !sc->in_data) return;
    const char *local = local_name(name);
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
    if (sc->collect && !STOPPED(&sc->x)) sb_add(&sc->value, s, (size_t)len);
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
        rc = parse_part(wb, wb->parts[at], CAP_SHEET_PART, &sc.x, sheet_start, sheet_end,
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
    if (workbook_open(&wb, path, data, len) != 0) return -1;
    int at = sheet_xlsx_pick(path, wb.names, wb.nsheets, sheet_name);
    int rc = -1;
    if (at >= 0) {
        s->sheet_name = xstrdup(wb.names[at]);
        rc = read_worksheet(&wb, at, s, quiet);
    }
    workbook_close(&wb);
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
    if (workbook_open(&wb, path, NULL, 0) != 0) return -1;
    *names = wb.names;
    *count = wb.nsheets;
    wb.names = NULL;
    for (int i = 0; i < wb.nsheets; i++)
        free(wb.parts[i]);
    wb.nsheets = 0;
    workbook_close(&wb);
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
