/* xlsx_package.c - an .xlsx file as a package of XML parts.
 *
 * An .xlsx is a zip of XML parts: _rels/.rels names the workbook part, the workbook lists its
 * sheets by name with a relationship each, and the workbook's relationships give each sheet's
 * part, the shared strings and the styles. Each part is streamed from libzip into expat, so
 * memory follows what the reader keeps, not the size of the file.
 *
 * A workbook comes from anyone, so nothing in it is trusted: each part has a cap on its
 * unpacked size, checked against the zip's declared size and again by counting the bytes read (a
 * zip bomb declares a small size); sheets and relationships are counted; an XML part with a
 * DOCTYPE is refused before any entity in it can expand, and external entities are never read
 * (expat reads none unless asked). */
#include "xlsx_package.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void xlsx_fail(struct xml_ctx *x, const char *fmt, ...)
{
    if (x->why.len) return;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&x->why, fmt, ap);
    va_end(ap);
    XML_StopParser(x->parser, XML_FALSE);
}

static void XMLCALL refuse_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
                                   const XML_Char *pubid, int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    struct xml_ctx *x = data;
    x->doctype = 1;
    XML_StopParser(x->parser, XML_FALSE);
}

const char *xlsx_local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

const char *xlsx_attr(const XML_Char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(xlsx_local_name(atts[i]), name) == 0) return atts[i + 1];
    return NULL;
}

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
                 (unsigned long long)(cap / XLSX_MIB));
        return -1;
    }
    *out = zip_fopen_index(wb->zip, (zip_uint64_t)i, 0);
    if (!*out) {
        rr_error("%s: %s: cannot unpack it: %s", wb->path, part, zip_strerror(wb->zip));
        return -1;
    }
    return 0;
}

int xlsx_parse_part(struct workbook *wb, const char *part, zip_uint64_t cap, struct xml_ctx *x,
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
                     (unsigned long long)(cap / XLSX_MIB));
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
    if (XLSX_STOPPED(&rc->x) || strcmp(xlsx_local_name(name), "Relationship") != 0) return;
    const char *id = xlsx_attr(atts, "Id"), *type = xlsx_attr(atts, "Type"),
               *target = xlsx_attr(atts, "Target");
    const char *mode = xlsx_attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0)) return;
    if (rc->n >= XLSX_MAX_SHEETS * 2) {
        xlsx_fail(&rc->x, "the workbook has more than %d relationships; refused",
                  XLSX_MAX_SHEETS * 2);
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
    return xlsx_parse_part(wb, part, XLSX_CAP_PART, &rc->x, rels_start, ignore_end, NULL);
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
    if (XLSX_STOPPED(&bc->x)) return;
    const char *local = xlsx_local_name(name);
    if (strcmp(local, "workbookPr") == 0) {
        const char *v = xlsx_attr(atts, "date1904");
        bc->wb->date1904 = v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0);
    } else if (strcmp(local, "sheet") == 0) {
        const char *sheet = xlsx_attr(atts, "name"), *id = xlsx_attr(atts, "id");
        if (!sheet || !id) return;
        if (bc->n >= XLSX_MAX_SHEETS) {
            xlsx_fail(&bc->x, "the workbook has more than %d sheets; refused", XLSX_MAX_SHEETS);
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

void xlsx_close(struct workbook *wb)
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

int xlsx_open(struct workbook *wb, const char *path, const void *data, size_t len)
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
    rc = xlsx_parse_part(wb, book, XLSX_CAP_PART, &bc.x, book_start, ignore_end, NULL);
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
    xlsx_close(wb);
    return -1;
}
