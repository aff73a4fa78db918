/* xlsx_package.h - an .xlsx file as a package of XML parts: the zip opened (from a file or from
 * memory), the workbook's worksheets found through its relationships, and any part streamed into
 * expat with the caps a file from anyone needs. Internal to sheet_xlsx.c. */
#ifndef RISKREG_XLSX_PACKAGE_H
#define RISKREG_XLSX_PACKAGE_H

#include "text.h"

#include <expat.h>
#include <zip.h>

#define XLSX_MIB (1024ULL * 1024ULL)
#define XLSX_CAP_PART (16 * XLSX_MIB) /* the relationships, the workbook, the styles */
#define XLSX_MAX_SHEETS 1000

/* What every part's handlers share; the first member of each part's own state. */
struct xml_ctx {
    XML_Parser parser;
    struct strbuf why; /* why a handler stopped the parse; empty while all is well */
    int doctype;       /* stopped at a DOCTYPE */
};

/* Stop the parse with a message (the first one counts), which xlsx_parse_part says after the
 * file's name. */
void xlsx_fail(struct xml_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* expat may still call a handler or two after a stop; they do nothing then */
#define XLSX_STOPPED(x) ((x)->why.len || (x)->doctype)

/* An element's or attribute's name without its namespace prefix ("x:row" is "row"). */
const char *xlsx_local_name(const char *name);
/* An attribute's value by its name without prefix, or NULL. */
const char *xlsx_attr(const XML_Char **atts, const char *name);

struct workbook {
    const char *path; /* as the user named it, for messages */
    zip_t *zip;
    char **names, **parts; /* the worksheets in workbook order, and each one's part */
    int nsheets;
    char *strings_part, *styles_part; /* NULL when the workbook has none */
    int date1904;                     /* serial day 0 is 1904-01-01 rather than 1899-12-31 */
};

/* Open the workbook at path (or, when data is not NULL, the len bytes there) and find its
 * worksheets, shared strings and styles: 0, or -1 after one message naming the file. A file
 * that is not a zip is told apart: an old .xls or an encrypted workbook (OLE2), or anything
 * else; so is a zip that is not a workbook, and one without worksheets. */
int xlsx_open(struct workbook *wb, const char *path, const void *data, size_t len);
void xlsx_close(struct workbook *wb);

/* Stream one part into expat with x's handlers (x->parser is set meanwhile), refusing it when it
 * unpacks to more than cap bytes (as the zip declares it, and as counted) or has a DOCTYPE.
 * 0, or -1 after a message naming the file and the part. */
int xlsx_parse_part(struct workbook *wb, const char *part, zip_uint64_t cap, struct xml_ctx *x,
                    XML_StartElementHandler start, XML_EndElementHandler end,
                    XML_CharacterDataHandler text);

#endif
