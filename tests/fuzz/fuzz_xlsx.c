/* fuzz_xlsx.c - the workbook reader: sheet_parse_xlsx on a workbook in memory.
 *
 * An input is read two ways. As it is, as the bytes of an .xlsx file: the zip reading and the
 * refusals of what is not a workbook. And, since a mutated zip rarely gets past its checksums,
 * as the XML parts of a workbook: the input is split at NUL bytes into the workbook, the first
 * sheet, the shared strings, the styles and (optionally) the workbook's relationships, and
 * packed here into a zip (stored, with correct checksums) with the package's relationships.
 *
 * Checks: no crash, leak or undefined behaviour (ASan, LSan, UBSan); a failed read still frees
 * cleanly; a read sheet has its name, rows numbered 1..1048576 going strictly up, every row as
 * wide as the others (1..16384 cells) and not blank, and every cell valid UTF-8; a cell's name
 * fits its buffer. */
#include "fuzz_common.h"
#include "sheet_xlsx.h"

#define MAX_PARTS 5

static const char *const part_names[MAX_PARTS] = {"xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                                  "xl/sharedStrings.xml", "xl/styles.xml",
                                                  "xl/_rels/workbook.xml.rels"};

static const char package_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
    "Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";

#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
static const char workbook_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL_TYPE "sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" REL_TYPE "styles\" Target=\"/xl/styles.xml\"/>"
    "</Relationships>";

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void put16(struct strbuf *sb, unsigned v)
{
    char b[2] = {(char)(v & 0xFF), (char)(v >> 8 & 0xFF)};
    sb_add(sb, b, 2);
}

static void put32(struct strbuf *sb, uint32_t v)
{
    put16(sb, v & 0xFFFF);
    put16(sb, v >> 16);
}

/* A stored (uncompressed) zip of the parts: local headers and data, the central directory,
 * its end record. */
static void zip_parts(struct strbuf *zip, const char *const *names, const uint8_t *const *data,
                      const size_t *len, int n)
{
    struct strbuf dir = STRBUF_INIT;
    for (int i = 0; i < n; i++) {
        uint32_t crc = crc32_of(data[i], len[i]), offset = (uint32_t)zip->len;
        size_t name_len = strlen(names[i]);
        for (int central = 0; central < 2; central++) {
            struct strbuf *sb = central ? &dir : zip;
            put32(sb, central ? 0x02014b50u : 0x04034b50u);
            if (central) put16(sb, 20); /* made by */
            put16(sb, 20);              /* needed */
            put16(sb, 0);               /* flags */
            put16(sb, 0);               /* stored */
            put16(sb, 0);               /* time */
            put16(sb, 0x21);            /* date: 1980-01-01 */
            put32(sb, crc);
            put32(sb, (uint32_t)len[i]);
            put32(sb, (uint32_t)len[i]);
            put16(sb, (unsigned)name_len);
            put16(sb, 0); /* extra */
            if (central) {
                put16(sb, 0); /* comment */
                put16(sb, 0); /* disk */
                put16(sb, 0); /* internal attributes */
                put32(sb, 0); /* external attributes */
                put32(sb, offset);
            }
            sb_add(sb, names[i], name_len);
            if (!central) sb_add(sb, (const char *)data[i], len[i]);
        }
    }
    uint32_t dir_at = (uint32_t)zip->len;
    sb_add(zip, dir.data ? dir.data : "", dir.len);
    put32(zip, 0x06054b50u);
    put16(zip, 0);
    put16(zip, 0);
    put16(zip, (unsigned)n);
    put16(zip, (unsigned)n);
    put32(zip, (uint32_t)dir.len);
    put32(zip, dir_at);
    put16(zip, 0);
    sb_free(&dir);
}

static void check_sheet(const struct sheet *s, int rc)
{
    FUZZ_CHECK(rc == 0 || rc == -1, "sheet_parse_xlsx returned %d", rc);
    FUZZ_CHECK(s->path && strcmp(s->path, "fuzz.xlsx") == 0, "the sheet lost its path");
    if (rc != 0) return;
    FUZZ_CHECK(s->sheet_name != NULL, "a sheet read without its name");
    int last = 0, width = s->nrows ? s->rows[0].ncells : 0;
    for (int r = 0; r < s->nrows; r++) {
        const struct sheet_row *row = &s->rows[r];
        FUZZ_CHECK(row->line > last && row->line <= 1048576, "row %d is numbered %d after %d", r,
                   row->line, last);
        last = row->line;
        FUZZ_CHECK(row->ncells == width && width >= 1 && width <= 16384,
                   "row %d has %d cells, the first %d", r, row->ncells, width);
        int blank = 1;
        for (int c = 0; c < row->ncells; c++) {
            const char *cell = row->cells[c];
            FUZZ_CHECK(cell != NULL, "row %d cell %d is NULL", r, c);
            FUZZ_CHECK(text_utf8_invalid_at(cell, strlen(cell)) < 0, "row %d cell %d: not UTF-8", r,
                       c);
            blank &= cell[0] == '\0';
        }
        FUZZ_CHECK(!blank, "row %d (line %d) is blank but kept", r, row->line);
        char name[64];
        memset(name, 'x', sizeof name);
        sheet_xlsx_cell_name(s->sheet_name, width - 1, row->line, name, sizeof name);
        FUZZ_CHECK(memchr(name, '\0', sizeof name) != NULL, "a cell name overran its buffer");
    }
}

static void read_workbook(const uint8_t *data, size_t size)
{
    struct sheet s;
    int rc = sheet_parse_xlsx(&s, "fuzz.xlsx", data, size, NULL, 1);
    check_sheet(&s, rc);
    sheet_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_workbook(data, size);

    const char *names[MAX_PARTS + 1] = {"_rels/.rels"};
    const uint8_t *parts[MAX_PARTS + 1] = {(const uint8_t *)package_rels};
    size_t lens[MAX_PARTS + 1] = {sizeof package_rels - 1};
    int n = 1;
    for (size_t at = 0; n <= MAX_PARTS && at <= size; n++) {
        const uint8_t *nul = size > at ? memchr(data + at, '\0', size - at) : NULL;
        size_t len = nul ? (size_t)(nul - (data + at)) : size - at;
        names[n] = part_names[n - 1];
        parts[n] = data + at;
        lens[n] = len;
        at += len + 1;
        if (!nul) {
            n++;
            break;
        }
    }
    if (n <= MAX_PARTS) { /* no relationships given: the usual ones */
        names[n] = part_names[MAX_PARTS - 1];
        parts[n] = (const uint8_t *)workbook_rels;
        lens[n++] = sizeof workbook_rels - 1;
    }
    struct strbuf zip = STRBUF_INIT;
    zip_parts(&zip, names, parts, lens, n);
    read_workbook((const uint8_t *)zip.data, zip.len);
    sb_free(&zip);
    return 0;
}
