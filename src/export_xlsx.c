/* export_xlsx.c - an export's tables as an Excel workbook (libxlsxwriter).
 *
 * A sheet per table, named like the CSV files, holding exactly the CSV export's rows: dates as
 * dates, whole numbers and numbers as numbers, text as text (never a formula, so no apostrophe is
 * needed), empty cells left empty. A bold header with filters, frozen below the header and beside
 * the ID column; each level name in its band's colour, and the likelihood, impact and score it
 * was computed from with it (the rules name the level; the workbook only colours it). The file is
 * the same bytes for the same tables and date: its creation time is the as-of date. */
#include "export_xlsx.h"
#include "date.h"
#include "progress.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#ifndef RISKREG_VERSION
#define RISKREG_VERSION "0"
#endif
/* Change it when the workbook changes for the same rows: the site then makes it again. */
#define XLSX_FORMAT_VERSION "xlsx-2"

#define CELL_TEXT_MAX 32767 /* the characters an Excel cell holds */
#define WIDTH_MIN 8
#define WIDTH_MAX 60
#define WIDTH_DATE 12
#define FILTER_BUTTON 3      /* room the header's filter button takes */
#define HEADER_FILL 0xf6f8fa /* the site's table head (style.css --panel) */

struct formats {
    struct xlsx_look look;
    lxw_format **level; /* one per band of the set */
};

struct sheet_out {
    lxw_worksheet *ws;
    const struct formats *fmt;
    const struct export_set *set;
    const struct export_table *t;
    const char *path; /* as the user named it, for messages */
    lxw_row_t row;
    double *width;
    lxw_error error;
};

void export_xlsx_look(lxw_workbook *wb, struct xlsx_look *look)
{
    look->header = workbook_add_format(wb);
    format_set_bold(look->header);
    format_set_bg_color(look->header, HEADER_FILL);
    format_set_bottom(look->header, LXW_BORDER_THIN);
    look->date = workbook_add_format(wb);
    format_set_num_format(look->date, "yyyy-mm-dd");
}

lxw_error export_xlsx_header_cell(lxw_worksheet *ws, lxw_col_t col, const char *name,
                                  const struct xlsx_look *look, double *width)
{
    *width = (double)strlen(name) + FILTER_BUTTON;
    return worksheet_write_string(ws, 0, col, name, look->header);
}

lxw_error export_xlsx_column_width(lxw_worksheet *ws, lxw_col_t col, double width,
                                   lxw_format *format)
{
    width = width + 1 < WIDTH_MIN ? WIDTH_MIN : width + 1;
    return worksheet_set_column(ws, col, col, width > WIDTH_MAX ? WIDTH_MAX : width, format);
}

static void make_formats(lxw_workbook *wb, const struct export_set *set, struct formats *fmt)
{
    export_xlsx_look(wb, &fmt->look);
    fmt->level = xcalloc((size_t)set->nlevels + 1, sizeof *fmt->level);
    for (int i = 0; i < set->nlevels; i++) {
        fmt->level[i] = workbook_add_format(wb);
        format_set_bg_color(fmt->level[i], set->levels[i].colour);
        format_set_font_color(fmt->level[i], set->levels[i].ink);
    }
}

/* The colour of a cell: a level name's band, or that of the level it goes with; NULL: none. */
static lxw_format *level_format(const struct sheet_out *so, size_t r, int col)
{
    const struct export_column *c = &so->t->cols[col];
    int from = c->is_level ? col : c->level_column;
    if (from < 0) return NULL;
    const struct export_level *band = export_set_level(so->set, export_cell(so->t, r, from));
    return band ? so->fmt->level[band - so->set->levels] : NULL;
}

/* Width in characters of a cell's first line, as far as a column grows */
static double text_width(const char *value)
{
    int width = 0;
    for (const unsigned char *p = (const unsigned char *)value;
         *p && *p != '\n' && *p != '\r' && width <= WIDTH_MAX; p++)
        width += (*p & 0xc0) != 0x80; /* a character starts at every byte but a continuation */
    return width;
}

static lxw_error write_text(struct sheet_out *so, size_t r, lxw_col_t col, lxw_format *format)
{
    const char *value = export_cell(so->t, r, (int)col);
    if (text_utf8_width(value) <= CELL_TEXT_MAX)
        return worksheet_write_string(so->ws, so->row, col, value, format);
    struct strbuf key = STRBUF_INIT; /* R-001, or R-001@2026-03-31 */
    for (int k = 0; k < so->t->nkeys && k < so->t->ncols; k++) {
        const char *part = export_cell(so->t, r, k);
        sb_printf(&key, "%s%s", k ? "@" : "", part ? part : "");
    }
    rr_warn("%s: %s %s: %s holds more than the %d characters an Excel cell can; the sheet has "
            "the start of it (the CSV and JSON exports have it whole)",
            so->path, so->t->singular ? so->t->singular : so->t->name, sb_str(&key),
            so->t->cols[col].name, CELL_TEXT_MAX);
    sb_free(&key);
    struct strbuf cut = STRBUF_INIT;
    text_utf8_clip(&cut, value, CELL_TEXT_MAX);
    lxw_error err = worksheet_write_string(so->ws, so->row, col, sb_str(&cut), format);
    sb_free(&cut);
    return err;
}

static lxw_error write_cell(struct sheet_out *so, size_t r, lxw_col_t col)
{
    const struct export_column *c = &so->t->cols[col];
    const char *value = export_cell(so->t, r, (int)col);
    lxw_format *format = level_format(so, r, (int)col);
    double number;
    rr_day day;
    int y, m, d;
    switch (c->type) {
    case EXPORT_DATE:
        if (date_parse(value, &day) != 0) break;
        date_to_ymd(day, &y, &m, &d);
        if (y < 1900) break; /* before Excel's calendar: kept as text */
        if (so->width[col] < WIDTH_DATE) so->width[col] = WIDTH_DATE;
        lxw_datetime when = {y, m, d, 0, 0, 0};
        return worksheet_write_datetime(so->ws, so->row, col, &when, so->fmt->look.date);
    case EXPORT_INTEGER:
    case EXPORT_NUMBER:
        if (text_parse_number(value, &number) != 0) break;
        return worksheet_write_number(so->ws, so->row, col, number, format);
    default:
        break;
    }
    return write_text(so, r, col, format);
}

static int write_sheet(lxw_workbook *wb, struct sheet_out *so, char *why, size_t whysize)
{
    const struct export_table *t = so->t;
    so->ws = workbook_add_worksheet(wb, t->name);
    if (!so->ws) {
        snprintf(why, whysize, "cannot add the sheet '%s'", t->name);
        return -1;
    }
    so->width = xcalloc((size_t)t->ncols + 1, sizeof *so->width);
    for (int i = 0; i < t->ncols && !so->error; i++)
        so->error = export_xlsx_header_cell(so->ws, (lxw_col_t)i, t->cols[i].name, &so->fmt->look,
                                            &so->width[i]);
    for (size_t r = 0; r < t->nrows && !so->error; r++) {
        so->row++;
        for (int i = 0; i < t->ncols && !so->error; i++) {
            const char *value = export_cell(t, r, i);
            if (!value) continue;
            double width = text_width(value);
            if (width > so->width[i]) so->width[i] = width;
            so->error = write_cell(so, r, (lxw_col_t)i);
        }
    }
    for (int i = 0; i < t->ncols && !so->error; i++)
        so->error = export_xlsx_column_width(so->ws, (lxw_col_t)i, so->width[i], NULL);
    if (!so->error && t->ncols)
        so->error = worksheet_autofilter(so->ws, 0, 0, so->row, (lxw_col_t)(t->ncols - 1));
    free(so->width);
    so->width = NULL;
    if (so->error) {
        snprintf(why, whysize, "sheet %s, row %lu: %s", t->name, (unsigned long)so->row + 1,
                 lxw_strerror(so->error));
        return -1;
    }
    worksheet_freeze_panes(so->ws, 1, 1); /* the header, and the ID the row is about */
    return 0;
}

/* libxlsxwriter reports its failures on stderr in its own words (with its source lines); riskreg
 * says once what failed, naming the file. So the writing is done with stderr set aside, and the
 * system's reason (errno) kept for the message. Meanwhile every other message of riskreg waits
 * (progress_stderr_hold), so that none goes where stderr was set aside to. */
lxw_error export_xlsx_close(lxw_workbook *wb, int *why_errno)
{
    progress_stderr_hold();
    fflush(stderr);
    int saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    int aside = saved >= 0 && null >= 0 && dup2(null, STDERR_FILENO) >= 0;
    errno = 0;
    lxw_error err = workbook_close(wb); /* frees it, written or not */
    *why_errno = errno;
    if (aside) dup2(saved, STDERR_FILENO);
    if (null >= 0) close(null);
    if (saved >= 0) close(saved);
    progress_stderr_release();
    return err;
}

struct workbook_job {
    const struct export_set *set;
    const char *only;
    const struct file_place *place;
    const char *path; /* as the user named it */
};

/* The workbook's date: the as-of date, else today */
static rr_day workbook_day(const struct export_set *set)
{
    rr_day day;
    return set->as_of && date_parse(set->as_of, &day) == 0 ? day : date_today();
}

void export_xlsx_recipe(const struct export_set *set, struct strbuf *out)
{
    char date[DATE_TEXT_SIZE];
    date_format(workbook_day(set), date);
    sb_printf(out, "%s %s\n%s\n%s\n", XLSX_FORMAT_VERSION, RISKREG_VERSION, date,
              set->name ? set->name : "");
    for (int i = 0; i < set->nlevels; i++)
        sb_printf(out, "%s #%06x #%06x\n", set->levels[i].name, set->levels[i].colour,
                  set->levels[i].ink);
}

static int fill_workbook(const char *tmp, void *data, char *why, size_t whysize)
{
    const struct workbook_job *job = data;
    /* constant memory: each row goes to disk as the next starts, so a large register does not
     * grow the build's memory (strings are written inline, which every reader takes) */
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(tmp, &options);
    if (!wb) {
        snprintf(why, whysize, "cannot start the workbook");
        return -1;
    }
    rr_day day = workbook_day(job->set);
    char date[DATE_TEXT_SIZE];
    date_format(day, date);
    struct strbuf title = STRBUF_INIT;
    sb_printf(&title, "Risk register as of %s", date);
    lxw_doc_properties props = {.title = title.data,
                                .company = job->set->name,
                                /* noon UTC of the date: the same bytes for the same register
                                 * (0 would make libxlsxwriter take the time of day) */
                                .created = (time_t)day * 86400 + 43200};
    lxw_error err = workbook_set_properties(wb, &props);
    sb_free(&title);
    struct formats fmt = {0};
    make_formats(wb, job->set, &fmt);
    int rc = err ? -1 : 0;
    if (err) snprintf(why, whysize, "%s", lxw_strerror(err));
    for (int t = 0; t < job->set->ntables && rc == 0; t++) {
        const struct export_table *table = &job->set->tables[t];
        if (job->only && strcmp(job->only, table->name) != 0) continue;
        struct sheet_out so = {.fmt = &fmt, .set = job->set, .t = table, .path = job->path};
        rc = write_sheet(wb, &so, why, whysize);
    }
    int why_errno;
    err = export_xlsx_close(wb, &why_errno);
    free(fmt.level);
    if (rc == 0 && err) {
        snprintf(why, whysize, "%s", why_errno ? strerror(why_errno) : lxw_strerror(err));
        rc = -1;
    }
    return rc;
}
/* A workbook cannot be streamed (the zip is finished by seeking back): build it in a temporary
 * file, then copy that out. */
static int workbook_to_stdout(struct workbook_job *job)
{
    const char *dir = getenv("TMPDIR");
    struct strbuf tmp = STRBUF_INIT;
    sb_printf(&tmp, "%s/riskreg-export-XXXXXX", dir && *dir ? dir : "/tmp");
    char why[256] = "";
    int fd = mkstemp(tmp.data), rc = -1;
    if (fd < 0) {
        rr_error("%s: cannot make a temporary file for the workbook: %s", tmp.data,
                 strerror(errno));
        sb_free(&tmp);
        return -1;
    }
    close(fd);
    if (fill_workbook(tmp.data, job, why, sizeof why) != 0) {
        rr_error("standard output: cannot write the workbook: %s", why);
    } else {
        struct strbuf bytes = STRBUF_INIT;
        if (text_slurp(tmp.data, &bytes) != 0)
            rr_error("%s: cannot read the workbook back: %s", tmp.data, strerror(errno));
        else if (fwrite(bytes.data, 1, bytes.len, stdout) != bytes.len || fflush(stdout) != 0)
            rr_error("standard output: cannot write the workbook: %s", strerror(errno));
        else
            rc = 0;
        sb_free(&bytes);
    }
    unlink(tmp.data);
    sb_free(&tmp);
    return rc;
}

int export_xlsx(const struct export_set *set, const char *only, const struct file_place *place,
                const char *path)
{
    struct workbook_job job = {set, only, place, path ? path : "standard output"};
    if (!path) return workbook_to_stdout(&job);
    return atomic_write(place, path, fill_workbook, &job);
}
