/* export_xlsx.c - the register as an Excel workbook (libxlsxwriter).
 *
 * A sheet per kind, named like the CSV files, holding exactly the CSV export's rows (the same
 * walk, export_rows): dates as dates, ratings, days and numbers as numbers, text as text (never
 * a formula, so no apostrophe is needed), empty cells left empty. A bold header with filters,
 * frozen below the header and beside the ID column, and each likelihood/impact pair coloured as
 * the site colours the level of its score. The file is the same bytes for the same register and
 * date: its creation time is the as-of date. */
#include "config.h"
#include "date.h"
#include "export.h"
#include "model.h"
#include "record.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#ifndef RISKREG_VERSION
#define RISKREG_VERSION "0"
#endif
/* Change it when the workbook changes for the same rows: the site then makes it again. */
#define XLSX_FORMAT_VERSION "xlsx-1"

#define CELL_TEXT_MAX 32767 /* the characters an Excel cell holds */
#define WIDTH_MIN 8
#define WIDTH_MAX 60
#define WIDTH_DATE 12
#define FILTER_BUTTON 3      /* room the header's filter button takes */
#define HEADER_FILL 0xf6f8fa /* the site's table head (style.css --panel) */
#define INK 0x1f2328         /* the site's text colour (style.css --ink) */
#define WHITE 0xffffff

struct formats {
    lxw_format *header;
    lxw_format *date;
    lxw_format *level[CONFIG_MAX_LEVELS];
};

struct sheet_out {
    lxw_worksheet *ws;
    const struct formats *fmt;
    const struct config *cfg;
    const char *path; /* as the user named it, for messages */
    lxw_row_t row;
    double width[MAX_FIELDS];
    lxw_error error;
};

/* WCAG relative luminance of 0xRRGGBB */
static double luminance(unsigned rgb)
{
    double c[3];
    for (int i = 0; i < 3; i++) {
        double v = ((rgb >> (16 - 8 * i)) & 0xff) / 255.0;
        c[i] = v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static double contrast(unsigned a, unsigned b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static void make_formats(lxw_workbook *wb, const struct config *cfg, struct formats *fmt)
{
    fmt->header = workbook_add_format(wb);
    format_set_bold(fmt->header);
    format_set_bg_color(fmt->header, HEADER_FILL);
    format_set_bottom(fmt->header, LXW_BORDER_THIN);
    fmt->date = workbook_add_format(wb);
    format_set_num_format(fmt->date, "yyyy-mm-dd");
    for (int i = 0; i < cfg->nlevels && i < CONFIG_MAX_LEVELS; i++) {
        /* the text colour that reads best on the band, as scripts/lib/scoring.lua picks it */
        unsigned bg = cfg->levels[i].colour;
        fmt->level[i] = workbook_add_format(wb);
        format_set_bg_color(fmt->level[i], bg);
        format_set_font_color(fmt->level[i],
                              contrast(bg, INK) >= contrast(bg, WHITE) ? INK : WHITE);
    }
}

/* The colour of a rating cell: consecutive ratings are a (likelihood, impact) pair, and both
 * cells take the format of the level of the pair's score. NULL: no colour. */
static lxw_format *rating_format(const struct sheet_out *so, const struct record *rec, int i)
{
    const struct field *f = rec->kind->fields;
    int first = i;
    while (first > 0 && f[first - 1].type == FT_RATING)
        first--;
    int mate = (i - first) % 2 == 0 ? i + 1 : i - 1;
    if (mate >= rec->kind->nfields || f[mate].type != FT_RATING || !rec->v[mate]) return NULL;
    const struct config_level *level =
        config_level_for_score(so->cfg, atof(rec->v[i]) * atof(rec->v[mate]));
    return level ? so->fmt->level[level - so->cfg->levels] : NULL;
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

static lxw_error write_text(struct sheet_out *so, const struct record *rec, lxw_col_t col)
{
    const char *value = rec->v[col];
    if (text_utf8_width(value) <= CELL_TEXT_MAX)
        return worksheet_write_string(so->ws, so->row, col, value, NULL);
    char *key = record_row_key(rec);
    rr_warn("%s: %s %s: %s holds more than the %d characters an Excel cell can; the sheet has "
            "the start of it (the CSV and JSON exports have it whole)",
            so->path, rec->kind->singular, key, rec->kind->fields[col].name, CELL_TEXT_MAX);
    free(key);
    struct strbuf cut = STRBUF_INIT;
    text_utf8_clip(&cut, value, CELL_TEXT_MAX);
    lxw_error err = worksheet_write_string(so->ws, so->row, col, sb_str(&cut), NULL);
    sb_free(&cut);
    return err;
}

static lxw_error write_cell(struct sheet_out *so, const struct record *rec, lxw_col_t col)
{
    const struct field *f = &rec->kind->fields[col];
    const char *value = rec->v[col];
    double number;
    rr_day day;
    int y, m, d;
    switch (f->type) {
    case FT_DATE:
        if (date_parse(value, &day) != 0) break;
        date_to_ymd(day, &y, &m, &d);
        if (y < 1900) break; /* before Excel's calendar: kept as text */
        if (so->width[col] < WIDTH_DATE) so->width[col] = WIDTH_DATE;
        return worksheet_write_datetime(so->ws, so->row, col, &(lxw_datetime){y, m, d, 0, 0, 0},
                                        so->fmt->date);
    case FT_DAYS:
    case FT_RATING:
    case FT_NUMBER:
        if (text_parse_number(value, &number) != 0) break;
        return worksheet_write_number(so->ws, so->row, col, number,
                                      f->type == FT_RATING ? rating_format(so, rec, col) : NULL);
    default:
        break;
    }
    return write_text(so, rec, col);
}

static int sheet_row(const struct record *rec, void *data)
{
    struct sheet_out *so = data;
    so->row++;
    for (int i = 0; i < rec->kind->nfields && !so->error; i++) {
        if (!rec->v[i]) continue;
        double width = text_width(rec->v[i]);
        if (width > so->width[i]) so->width[i] = width;
        so->error = write_cell(so, rec, (lxw_col_t)i);
    }
    return so->error != LXW_NO_ERROR;
}

static int write_sheet(lxw_workbook *wb, struct as_of *ao, const struct kind *k,
                       struct sheet_out *so, char *why, size_t whysize)
{
    so->ws = workbook_add_worksheet(wb, k->name);
    if (!so->ws) {
        snprintf(why, whysize, "cannot add the sheet '%s'", k->name);
        return -1;
    }
    for (int i = 0; i < k->nfields && !so->error; i++) {
        so->width[i] = (double)strlen(k->fields[i].name) + FILTER_BUTTON;
        so->error =
            worksheet_write_string(so->ws, 0, (lxw_col_t)i, k->fields[i].name, so->fmt->header);
    }
    if (!so->error && export_rows(ao, k, sheet_row, so) != 0 && !so->error) {
        snprintf(why, whysize, "cannot read the %s from the register", k->name);
        return -1;
    }
    for (int i = 0; i < k->nfields && !so->error; i++) {
        double width = so->width[i] + 1 < WIDTH_MIN ? WIDTH_MIN : so->width[i] + 1;
        so->error = worksheet_set_column(so->ws, (lxw_col_t)i, (lxw_col_t)i,
                                         width > WIDTH_MAX ? WIDTH_MAX : width, NULL);
    }
    if (!so->error)
        so->error = worksheet_autofilter(so->ws, 0, 0, so->row, (lxw_col_t)(k->nfields - 1));
    if (so->error) {
        snprintf(why, whysize, "sheet %s, row %lu: %s", k->name, (unsigned long)so->row + 1,
                 lxw_strerror(so->error));
        return -1;
    }
    worksheet_freeze_panes(so->ws, 1, 1); /* the header, and the ID the row is about */
    return 0;
}

/* libxlsxwriter reports its failures on stderr in its own words (with its source lines); riskreg
 * says once what failed, naming the file. So the writing is done with stderr set aside, and the
 * system's reason (errno) kept for the message. No other thread of riskreg writes to stderr. */
static lxw_error close_quietly(lxw_workbook *wb, int *why_errno)
{
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
    return err;
}

struct workbook_job {
    struct as_of *ao;
    const struct config *cfg;
    const struct kind *only;
    const char *path; /* as the user named it */
};

/* The workbook's date: the as-of date, else today */
static rr_day workbook_day(struct as_of *ao)
{
    const char *as_of = export_as_of_date(ao);
    rr_day day;
    return as_of && date_parse(as_of, &day) == 0 ? day : date_today();
}

void export_xlsx_recipe(struct as_of *ao, const struct config *cfg, struct strbuf *out)
{
    char date[DATE_TEXT_SIZE];
    date_format(workbook_day(ao), date);
    sb_printf(out, "%s %s\n%s\n%s\n%d\n", XLSX_FORMAT_VERSION, RISKREG_VERSION, date,
              cfg->name ? cfg->name : "", cfg->score_is_product);
    for (int i = 0; i < cfg->nlevels; i++)
        sb_printf(out, "%.17g #%06x\n", cfg->levels[i].max, cfg->levels[i].colour);
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
    rr_day day = workbook_day(job->ao);
    char date[DATE_TEXT_SIZE];
    date_format(day, date);
    struct strbuf title = STRBUF_INIT;
    sb_printf(&title, "Risk register as of %s", date);
    lxw_doc_properties props = {.title = title.data,
                                .company = job->cfg->name,
                                /* noon UTC of the date: the same bytes for the same register
                                 * (0 would make libxlsxwriter take the time of day) */
                                .created = (time_t)day * 86400 + 43200};
    lxw_error err = workbook_set_properties(wb, &props);
    sb_free(&title);
    struct formats fmt = {0};
    make_formats(wb, job->cfg, &fmt);
    int rc = err ? -1 : 0;
    if (err) snprintf(why, whysize, "%s", lxw_strerror(err));
    for (int k = 0; k < KIND_COUNT && rc == 0; k++) {
        if (job->only && job->only != model_kind(k)) continue;
        struct sheet_out so = {.fmt = &fmt, .cfg = job->cfg, .path = job->path};
        rc = write_sheet(wb, job->ao, model_kind(k), &so, why, whysize);
    }
    int why_errno;
    err = close_quietly(wb, &why_errno);
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

int export_xlsx(struct as_of *ao, const struct config *cfg, const struct kind *only,
                const char *path)
{
    struct workbook_job job = {ao, cfg, only, path ? path : "standard output"};
    if (!path) return workbook_to_stdout(&job);
    return export_atomically(ao, path, fill_workbook, &job);
}
