/* fuzz_csv.c - the CSV importer's reading: sheet_parse with ',' and ';', the header search and
 * value_parse on every mapped cell, the way `riskreg import` does it, on a 5x5 matrix config.
 *
 * Checks: no crash, leak or undefined behaviour (ASan, LSan, UBSan); rows have cells, are not
 * blank and carry line numbers from 1 that never go down; a failed parse still frees cleanly; the
 * delimiter sniffer says ',' or ';'; and every value keeps the invariants of fuzz_common.h. */
#include "fuzz_common.h"
#include "sheet.h"

#define HEADER_SEARCH_ROWS 10 /* as src/import_header.c */

static void check_rows(const struct sheet *s, const char *data, size_t size)
{
    int lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    int last = 1;
    for (int r = 0; r < s->nrows; r++) {
        const struct sheet_row *row = &s->rows[r];
        FUZZ_CHECK(row->ncells >= 1 && row->cells, "row %d has no cells", r);
        FUZZ_CHECK(row->line >= last && row->line <= lines,
                   "row %d starts on line %d (previous %d, file has %d)", r, row->line, last,
                   lines);
        last = row->line;
        int blank = 1;
        for (int c = 0; c < row->ncells; c++) {
            FUZZ_CHECK(row->cells[c] != NULL, "row %d cell %d is NULL", r, c);
            if (row->cells[c][0]) blank = 0;
        }
        FUZZ_CHECK(!blank, "row %d (line %d) is blank but kept", r, row->line);
    }
}

/* Find the header among the first rows (a row naming two fields of the kind), then read each
 * following cell of a mapped column as import does. */
static void import_as(const struct sheet *s, const struct kind *k, const struct config *cfg)
{
    int header = -1;
    for (int r = 0; r < s->nrows && r < HEADER_SEARCH_ROWS && header < 0; r++) {
        int known = 0;
        for (int c = 0; c < s->rows[r].ncells && known < 2; c++) {
            const struct kind *t;
            if (fuzz_field_of(k, s->rows[r].cells[c], &t) >= 0) known++;
        }
        if (known >= 2) header = r;
    }
    if (header < 0) return;
    const struct sheet_row *h = &s->rows[header];
    for (int c = 0; c < h->ncells; c++) {
        const struct kind *t;
        int i = fuzz_field_of(k, h->cells[c], &t);
        if (i < 0) { /* import warns; "did you mean" is fuzzed by fuzz_assignment */
            (void)model_header_is_computed(h->cells[c]);
            continue;
        }
        const struct field *f = &t->fields[i];
        enum rating_words words = RATING_WORDS_THREE;
        if (f->type == FT_RATING)
            for (int r = header + 1; r < s->nrows; r++)
                if (c < s->rows[r].ncells && rating_word_is_five_scale(s->rows[r].cells[c]))
                    words = RATING_WORDS_FIVE;
        for (int r = header + 1; r < s->nrows; r++)
            if (c < s->rows[r].ncells) fuzz_check_value(cfg, t, f, s->rows[r].cells[c], words);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct config *cfg = fuzz_config(5);
    const char *text = (const char *)data; /* exactly size bytes, as the API says */
    char sniffed = sheet_sniff_delimiter(text, size);
    FUZZ_CHECK(sniffed == ',' || sniffed == ';', "sniffed delimiter 0x%02X", sniffed);
    static const char delimiters[] = {',', ';'};
    for (size_t d = 0; d < sizeof delimiters; d++) {
        struct sheet s;
        int rc = sheet_parse(&s, "fuzz.csv", text, size, delimiters[d]);
        FUZZ_CHECK(rc == 0 || rc == -1, "sheet_parse returned %d", rc);
        FUZZ_CHECK(s.path && strcmp(s.path, "fuzz.csv") == 0, "the sheet lost its path");
        check_rows(&s, text, size);
        if (rc == 0) {
            if (s.nrows) (void)model_find_kind(s.rows[0].cells[0]);
            for (int k = 0; k < KIND_COUNT; k++)
                import_as(&s, model_kind((enum kind_id)k), cfg);
        }
        sheet_free(&s);
    }
    return 0;
}
