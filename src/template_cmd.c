/* template_cmd.c - riskreg template: an empty register to fill in, and import.
 *
 * The workbook (what `riskreg init` also writes) has a sheet of instructions, then a sheet per
 * kind in dependency order, named and headed as `riskreg export --format xlsx` names and heads
 * them, with a drop-down list of the words import takes in every column of fixed words or
 * ratings (the ratings labelled as riskreg.lua labels them) and a date check on every date
 * column; --format csv writes the same headers as one CSV file per kind. Only the stored columns
 * are there: the export's computed ones (scores, levels) are skipped by import, so a value typed
 * into one would be lost without a word. The risks sheet also has its first assessment's
 * ratings, since a new risk has no ID yet that an assessments row could name. */
#include "cli.h"
#include "export_xlsx.h"
#include "sheet.h"
#include "sheet_xlsx.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <xlsxwriter.h>
#include <xlsxwriter/utility.h>

#define TEMPLATE_NAME "register-template"
#define LAST_ROW 999 /* the checks reach row 1000: room for any starting register */
#define LIST_MAX 255 /* the characters a list written into a check may hold (Excel's limit) */
#define CHOICES_MAX 32
#define LISTS_MAX 64 /* columns of the Lists sheet: more than the kinds have lists */
#define COLUMNS_MAX (MAX_FIELDS + 4)
#define RATING_DROPDOWN 3 /* room a cell's drop-down button takes */
#define WIDTH_TEXT 24
#define WIDTH_MARKDOWN 40
#define WIDTH_DATE 12
#define DAYS_MAX 3660 /* as import reads review_every_days */

/* A column of a kind's sheet: a field of the kind, or on the risks sheet a rating of the risk's
 * first assessment. */
struct column {
    const struct field *f;
    int required; /* every row must fill it in */
};

/* The words a cell of a column may take, owned. */
struct choices {
    char *items[CHOICES_MAX + 1]; /* NULL-terminated, as libxlsxwriter takes a list */
    int n;
};

struct template_book {
    const struct config *cfg;
    const char *import_name; /* the file as the instructions tell to import it */
    lxw_workbook *wb;
    struct xlsx_look look;
    lxw_format *title, *wrap;
    lxw_worksheet *lists;    /* the hidden sheet of the lists too long for a check; NULL: none */
    char *placed[LISTS_MAX]; /* the list in each of its columns, one item a line */
    lxw_col_t nlists;
};

/* Required of the user: a required field with no default (as `riskreg help fields` marks it). */
static int user_must_fill(const struct field *f)
{
    return (f->flags & FF_REQUIRED) && !strstr(f->help, "default");
}

static int sheet_columns(const struct kind *k, struct column cols[COLUMNS_MAX])
{
    int n = 0;
    for (int i = 0; i < k->nfields; i++)
        cols[n++] = (struct column){&k->fields[i], user_must_fill(&k->fields[i])};
    if (k->id != K_RISK) return n;
    const struct kind *ak = model_kind(K_ASSESSMENT);
    for (int i = 0; i < ak->nfields && n < COLUMNS_MAX; i++)
        if (ak->fields[i].type == FT_RATING) cols[n++] = (struct column){&ak->fields[i], 0};
    return n;
}

/* ---- the words a column takes ---- */

static void choices_add(struct choices *ch, char *item)
{
    if (ch->n < CHOICES_MAX)
        ch->items[ch->n++] = item;
    else
        free(item);
}

/* "3 - Possible": import reads the number and the user sees what it means; only the numbers when
 * riskreg.lua gives no label. The axis is the one import reads the field on (value_parse). */
static void rating_choices(const struct config *cfg, const struct field *f, struct choices *ch)
{
    char *const *labels = strstr(f->name, "impact") ? cfg->impact_labels : cfg->likelihood_labels;
    for (int i = 0; i < cfg->matrix_size; i++) {
        struct strbuf item = STRBUF_INIT;
        sb_printf(&item, "%d", i + 1);
        if (labels[i] && *labels[i]) sb_printf(&item, " - %s", labels[i]);
        choices_add(ch, sb_take(&item));
    }
}

static void column_choices(const struct config *cfg, const struct field *f, struct choices *ch)
{
    memset(ch, 0, sizeof *ch);
    if (f->type == FT_RATING) rating_choices(cfg, f, ch);
    if (f->type == FT_ENUM)
        for (int i = 0; f->values[i]; i++)
            choices_add(ch, xstrdup(f->values[i]));
}

static void choices_free(struct choices *ch)
{
    for (int i = 0; i < ch->n; i++)
        free(ch->items[i]);
    ch->n = 0;
}

/* Whether the list can be written into the check itself: Excel keeps it as one comma-separated
 * text of at most LIST_MAX characters, with no way to quote a comma. */
static int choices_fit_inline(const struct choices *ch)
{
    size_t len = 0;
    for (int i = 0; i < ch->n; i++) {
        if (strpbrk(ch->items[i], ",\"")) return 0;
        len += text_utf8_width(ch->items[i]) + (i > 0);
    }
    return len <= LIST_MAX;
}

static size_t choices_width(const struct choices *ch)
{
    size_t width = 0;
    for (int i = 0; i < ch->n; i++)
        if (text_utf8_width(ch->items[i]) > width) width = text_utf8_width(ch->items[i]);
    return width;
}

/* ---- the checks on a kind's sheet ---- */

/* The column of the Lists sheet that holds the list, written there the first time (the same
 * ratings recur on several sheets). */
static lxw_error lists_column(struct template_book *tb, const struct choices *ch, lxw_col_t *col)
{
    struct strbuf key = STRBUF_INIT;
    for (int i = 0; i < ch->n; i++)
        sb_printf(&key, "%s\n", ch->items[i]);
    for (*col = 0; *col < tb->nlists; ++*col)
        if (strcmp(tb->placed[*col], sb_str(&key)) == 0) {
            sb_free(&key);
            return LXW_NO_ERROR;
        }
    if (tb->nlists == LISTS_MAX) {
        sb_free(&key);
        return LXW_ERROR_PARAMETER_VALIDATION;
    }
    tb->placed[tb->nlists++] = sb_take(&key);
    for (int i = 0; i < ch->n; i++) {
        lxw_error err = worksheet_write_string(tb->lists, (lxw_row_t)i, *col, ch->items[i], NULL);
        if (err) return err;
    }
    return LXW_NO_ERROR;
}

/* A list too long for a check goes into a column of the hidden Lists sheet, which the check
 * refers to (range: "=Lists!$A$1:$A$13"). libxlsxwriter 1.1.4 keeps a copy of such a range it
 * never frees (16 bytes a check, only for matrix labels too long to list in the check). */
static lxw_error list_on_lists_sheet(struct template_book *tb, const struct choices *ch,
                                     char *range, size_t rangesize)
{
    if (!tb->lists) {
        tb->lists = workbook_add_worksheet(tb->wb, SHEET_XLSX_LISTS);
        if (!tb->lists) return LXW_ERROR_MEMORY_MALLOC_FAILED;
        worksheet_hide(tb->lists);
    }
    lxw_col_t col;
    lxw_error err = lists_column(tb, ch, &col);
    if (err) return err;
    char cells[LXW_MAX_CELL_RANGE_LENGTH];
    lxw_rowcol_to_range_abs(cells, 0, col, (lxw_row_t)(ch->n - 1), col);
    snprintf(range, rangesize, "=Lists!%s", cells);
    return LXW_NO_ERROR;
}

static lxw_error check_list(struct template_book *tb, lxw_worksheet *ws, lxw_col_t col,
                            const struct field *f, struct choices *ch)
{
    char range[LXW_MAX_FORMULA_RANGE_LENGTH + 8];
    lxw_data_validation v = {.validate = LXW_VALIDATION_TYPE_LIST, .value_list = ch->items};
    if (!choices_fit_inline(ch)) {
        lxw_error err = list_on_lists_sheet(tb, ch, range, sizeof range);
        if (err) return err;
        v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
        v.value_list = NULL;
        v.value_formula = range;
    }
    char message[256];
    if (f->type == FT_RATING) {
        /* a typed number is as good as the labelled one: only warn */
        v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
        v.error_title = "Not on the list";
        snprintf(message, sizeof message,
                 "%s is rated 1-%d on the matrix in riskreg.lua: pick from the list or type "
                 "the number.",
                 f->name, tb->cfg->matrix_size);
    } else {
        v.error_title = "Not a word riskreg takes";
        snprintf(message, sizeof message,
                 "Pick %s from the list ('riskreg help words' lists "
                 "the other words import reads as these).",
                 f->name);
    }
    v.error_message = message;
    return worksheet_data_validation_range(ws, 1, col, LAST_ROW, col, &v);
}

static lxw_error check_date(lxw_worksheet *ws, lxw_col_t col)
{
    lxw_data_validation v = {.validate = LXW_VALIDATION_TYPE_DATE,
                             .criteria = LXW_VALIDATION_CRITERIA_BETWEEN,
                             .minimum_datetime = {1900, 1, 1, 0, 0, 0},
                             .maximum_datetime = {9999, 12, 31, 0, 0, 0},
                             .error_title = "Not a date",
                             .error_message = "a date, such as 2026-12-31"};
    return worksheet_data_validation_range(ws, 1, col, LAST_ROW, col, &v);
}

static lxw_error check_days(lxw_worksheet *ws, lxw_col_t col)
{
    lxw_data_validation v = {.validate = LXW_VALIDATION_TYPE_INTEGER,
                             .criteria = LXW_VALIDATION_CRITERIA_BETWEEN,
                             .minimum_number = 1,
                             .maximum_number = DAYS_MAX,
                             .error_title = "Not a number of days",
                             .error_message = "a whole number of days from 1 to 3660"};
    return worksheet_data_validation_range(ws, 1, col, LAST_ROW, col, &v);
}

/* The header note: the field's line of `riskreg help fields`, and whether it must be filled. */
static lxw_error header_note(lxw_worksheet *ws, lxw_col_t col, const struct column *c)
{
    struct strbuf note = STRBUF_INIT;
    sb_printf(&note, "%s: %s%s", c->f->name, c->f->help, c->required ? " (required)" : "");
    lxw_error err = worksheet_write_comment(ws, 0, col, note.data);
    sb_free(&note);
    return err;
}

/* Header, note, width and check of one column. */
static lxw_error write_column(struct template_book *tb, lxw_worksheet *ws, lxw_col_t col,
                              const struct column *c)
{
    double width;
    lxw_error err = export_xlsx_header_cell(ws, col, c->f->name, &tb->look, &width);
    if (!err) err = header_note(ws, col, c);
    struct choices ch;
    column_choices(tb->cfg, c->f, &ch);
    double want = (double)choices_width(&ch) + RATING_DROPDOWN;
    lxw_format *format = NULL;
    if (!err && ch.n) err = check_list(tb, ws, col, c->f, &ch);
    choices_free(&ch);
    switch (c->f->type) {
    case FT_DATE:
        if (!err) err = check_date(ws, col);
        want = WIDTH_DATE;
        format = tb->look.date; /* a date typed in shows as 2026-12-31 */
        break;
    case FT_DAYS:
        if (!err) err = check_days(ws, col);
        break;
    case FT_TEXT:
        want = WIDTH_TEXT;
        break;
    case FT_MARKDOWN:
        want = WIDTH_MARKDOWN;
        break;
    default:
        break;
    }
    if (!err) err = export_xlsx_column_width(ws, col, want > width ? want : width, format);
    return err;
}

static lxw_error write_kind_sheet(struct template_book *tb, lxw_worksheet *ws, const struct kind *k)
{
    struct column cols[COLUMNS_MAX];
    int n = sheet_columns(k, cols);
    lxw_error err = LXW_NO_ERROR;
    for (int i = 0; i < n && !err; i++)
        err = write_column(tb, ws, (lxw_col_t)i, &cols[i]);
    worksheet_freeze_panes(ws, 1, 0);
    return err;
}

/* ---- the instructions ---- */

static const char *const how_to[] = {
    "One sheet per kind of record, named as riskreg names it; one row per record, below the "
    "header row. Leave a sheet empty when you have nothing of that kind.",
    "IDs are optional: a row without one gets the next free number (R-001, I-001, ...). Give an "
    "ID to a record that another sheet refers to (an assessment's risk_id, a measurement's "
    "kpi_id).",
    "The columns marked required below must be filled in on every row; the others may stay "
    "empty. Each header has a note saying what the column holds.",
    "Cells with a drop-down list take the words riskreg accepts ('riskreg help words' lists other "
    "words the import reads as the same). Ratings are 1-N on the project's matrix: pick the "
    "labelled number or type the number.",
    "A risk's likelihood and impact on the risks sheet record its first assessment (the two "
    "together, and the residual pair likewise); later ones go on the assessments sheet.",
    "Dates are dates: type 2026-12-31, or a date as your spreadsheet writes them.",
    NULL,
};

/* What a cell of the column takes, in words. */
static void column_takes(const struct template_book *tb, const struct column *c, struct strbuf *out)
{
    const struct field *f = c->f;
    char list[512];
    switch (f->type) {
    case FT_ID:
        sb_puts(out, "an ID, or empty: the next free number is given");
        break;
    case FT_REF:
        sb_printf(out, "the ID of %s %s", text_article(model_kind(f->ref)->singular),
                  model_kind(f->ref)->singular);
        break;
    case FT_ENUM:
        model_enum_list(f, list, sizeof list);
        sb_printf(out, "one of: %s", list);
        break;
    case FT_RATING:
        sb_printf(out, "1-%d, from the list", tb->cfg->matrix_size);
        break;
    case FT_DATE:
        sb_puts(out, "a date, such as 2026-12-31");
        break;
    case FT_DAYS:
        sb_puts(out, "a whole number of days, 1-3660");
        break;
    case FT_NUMBER:
        sb_puts(out, "a number, such as 99.5");
        break;
    case FT_MARKDOWN:
        sb_puts(out, "text (Markdown for lists and emphasis)");
        break;
    case FT_TEXT:
        sb_puts(out, "text");
        break;
    }
}

static lxw_error column_row(struct template_book *tb, lxw_worksheet *ws, lxw_row_t row,
                            const struct kind *k, const struct column *c)
{
    struct strbuf takes = STRBUF_INIT;
    column_takes(tb, c, &takes);
    lxw_error err = worksheet_write_string(ws, row, 0, k->name, NULL);
    if (!err) err = worksheet_write_string(ws, row, 1, c->f->name, NULL);
    if (!err && c->required) err = worksheet_write_string(ws, row, 2, "required", NULL);
    if (!err) err = worksheet_write_string(ws, row, 3, sb_str(&takes), tb->wrap);
    if (!err) err = worksheet_write_string(ws, row, 4, c->f->help, tb->wrap);
    sb_free(&takes);
    return err;
}

/* Every column of every sheet: what it takes and whether it is required. */
static lxw_error columns_table(struct template_book *tb, lxw_worksheet *ws, lxw_row_t row)
{
    static const char *const head[] = {"sheet", "column", "required", "what to write",
                                       "what it is"};
    static const double widths[] = {18, 24, 10, 50, 60};
    lxw_error err = LXW_NO_ERROR;
    for (lxw_col_t i = 0; i < 5 && !err; i++) {
        err = worksheet_write_string(ws, row, i, head[i], tb->look.header);
        if (!err) err = worksheet_set_column(ws, i, i, widths[i], NULL);
    }
    for (int k = 0; k < KIND_COUNT && !err; k++) {
        struct column cols[COLUMNS_MAX];
        int n = sheet_columns(model_kind((enum kind_id)k), cols);
        for (int i = 0; i < n && !err; i++)
            err = column_row(tb, ws, ++row, model_kind((enum kind_id)k), &cols[i]);
    }
    return err;
}

static lxw_error write_instructions(struct template_book *tb, lxw_worksheet *ws)
{
    lxw_row_t row = 0;
    lxw_error err = worksheet_write_string(ws, row++, 0, "How to fill in this register", tb->title);
    for (int i = 0; how_to[i] && !err; i++)
        err = worksheet_write_string(ws, ++row, 0, how_to[i], NULL);
    struct strbuf run = STRBUF_INIT;
    sb_printf(&run, "riskreg import %s", tb->import_name);
    row += 2;
    if (!err)
        err = worksheet_write_string(ws, row++, 0, "When it is filled in, save it and run:", NULL);
    if (!err) err = worksheet_write_string(ws, row++, 1, sb_str(&run), tb->title);
    sb_free(&run);
    if (!err)
        err = worksheet_write_string(ws, row++, 0,
                                     "The import is all or nothing: every bad row is named with "
                                     "its sheet, row and column, and nothing is written until "
                                     "all are right. Rows without an ID are added again each "
                                     "time the file is imported.",
                                     NULL);
    if (!err) err = columns_table(tb, ws, row + 1);
    return err;
}

/* ---- the workbook ---- */

static void make_formats(struct template_book *tb)
{
    export_xlsx_look(tb->wb, &tb->look);
    tb->title = workbook_add_format(tb->wb);
    format_set_bold(tb->title);
    tb->wrap = workbook_add_format(tb->wb);
    format_set_text_wrap(tb->wrap);
    format_set_align(tb->wrap, LXW_ALIGN_VERTICAL_TOP);
}

static lxw_error set_properties(struct template_book *tb)
{
    lxw_doc_properties props = {.title = "Risk register template",
                                .company = tb->cfg->name,
                                /* noon UTC today: the same bytes all day (0: the time now) */
                                .created = (time_t)date_today() * 86400 + 43200};
    return workbook_set_properties(tb->wb, &props);
}

/* Every sheet is made before any is written: the Lists sheet, added when a list needs it, then
 * comes after the kinds. */
static lxw_error write_sheets(struct template_book *tb)
{
    lxw_worksheet *instructions = workbook_add_worksheet(tb->wb, SHEET_XLSX_INSTRUCTIONS);
    if (!instructions) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_worksheet *sheets[KIND_COUNT];
    for (int k = 0; k < KIND_COUNT; k++)
        if (!(sheets[k] = workbook_add_worksheet(tb->wb, model_kind((enum kind_id)k)->name)))
            return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error err = set_properties(tb);
    for (int k = 0; k < KIND_COUNT && !err; k++)
        err = write_kind_sheet(tb, sheets[k], model_kind((enum kind_id)k));
    if (!err) err = write_instructions(tb, instructions);
    return err;
}

static int fill_template(const char *tmp, void *data, char *why, size_t whysize)
{
    struct template_book *tb = data;
    tb->wb = workbook_new(tmp);
    if (!tb->wb) {
        snprintf(why, whysize, "cannot start the workbook");
        return -1;
    }
    make_formats(tb);
    lxw_error err = write_sheets(tb);
    if (err) snprintf(why, whysize, "%s", lxw_strerror(err));
    int why_errno;
    lxw_error closed = export_xlsx_close(tb->wb, &why_errno);
    for (lxw_col_t i = 0; i < tb->nlists; i++)
        free(tb->placed[i]);
    if (!err && closed)
        snprintf(why, whysize, "%s", why_errno ? strerror(why_errno) : lxw_strerror(closed));
    return err || closed ? -1 : 0;
}

int template_write_xlsx(struct cli *c, const char *path)
{
    const char *slash = strrchr(path, '/');
    struct template_book tb = {.cfg = &c->cfg, .import_name = slash ? slash + 1 : path};
    return atomic_write(NULL, path, fill_template, &tb);
}

/* ---- header-only CSV files ---- */

static int write_csv_files(const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        rr_error("%s: cannot create the folder: %s", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int k = 0; k < KIND_COUNT && rc == 0; k++) {
        const struct kind *kind = model_kind((enum kind_id)k);
        struct column cols[COLUMNS_MAX];
        int n = sheet_columns(kind, cols);
        struct strbuf text = STRBUF_INIT, path = STRBUF_INIT;
        for (int i = 0; i < n; i++) {
            if (i) sb_putc(&text, ',');
            sheet_write_cell(&text, cols[i].f->name, ',', 0);
        }
        sb_putc(&text, '\n');
        sb_printf(&path, "%s/%s.csv", dir, kind->name); /* as `riskreg export --out DIR` */
        rc = atomic_write_text(NULL, path.data, text.data, text.len);
        sb_free(&text);
        sb_free(&path);
    }
    return rc;
}

int cmd_template(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--format", 1, NULL, 0}, {"--out", 1, NULL, 0}, {NULL, 0, NULL, 0}};
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, opts, pos, &npos);
    if (rc >= 0) return rc;
    if (npos) return cli_usage_error(c, "template takes only options");
    const char *format = opts[0].value ? opts[0].value : "xlsx";
    int csv = strcmp(format, "csv") == 0;
    if (!csv && strcmp(format, "xlsx") != 0) return cli_usage_error(c, "--format: use xlsx or csv");
    if (cli_rules(c) != 0) return EXIT_FAILED; /* the matrix's size and labels */
    struct strbuf out = STRBUF_INIT;
    if (opts[1].value)
        sb_puts(&out, opts[1].value);
    else
        sb_printf(&out, "%s/%s%s", c->cfg.dir, TEMPLATE_NAME, csv ? "" : ".xlsx");
    rc = csv ? write_csv_files(out.data) : template_write_xlsx(c, out.data);
    if (rc == 0 && !c->quiet)
        printf("Wrote the register template %s%s\nFill it in, then: riskreg import %s\n", out.data,
               csv ? "/ (a CSV file per kind)" : "", out.data);
    sb_free(&out);
    return rc == 0 ? EXIT_DONE : EXIT_FAILED;
}
