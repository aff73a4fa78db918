/* import_plan.h - what the import's files share: the import's state, each file's columns and
 * planned rows, and how a bad row is reported. Internal to import*.c. */
#ifndef RISKREG_IMPORT_PLAN_H
#define RISKREG_IMPORT_PLAN_H

#include "cli.h"
#include "import_options.h"
#include "map.h"
#include "record.h"
#include "sheet.h"
#include "validate.h"

#include <pthread.h>

#define MAX_ERRORS_SHOWN 30

enum target { T_SKIP = -1, T_MAIN = 0, T_ASSESSMENT = 1 };

struct column {
    const char *header;
    enum target target;
    int field;
    enum rating_words words;
    int explicit; /* --map or riskreg.lua's import.map gave the field */
    enum {
        VERDICT_NONE = 0,
        VERDICT_INHERENT,
        VERDICT_RESIDUAL
    } verdict; /* the sheet's own
                * score or level column */
};

/* The sheet's own verdict on a row's scores, where it disagrees with the project's: counted per
 * distinct disagreement, and said once per file. */
struct disagreement {
    char *sheet;  /* the sheet's level word or score */
    char *score;  /* the project's score for the row's ratings */
    char *level;  /* the project's level for it */
    int is_score; /* the sheet gave a score rather than a level */
    int count;
};

/* One row to write: the record as it will be, and as it was when it exists already. */
struct planned {
    int line;
    struct record rec;
    struct record *before;            /* the record as it is, when it exists */
    struct record *assessment;        /* a risk row's scores, when they are to be written */
    struct record *assessment_before; /* that day's assessment, when there is one */
    char *log[4];   /* change-log texts made ahead: rec's before and after, the assessment's */
    char *baseline; /* what the sheet said of the row, kept for its next import */
};

struct import_file {
    struct sheet sheet;
    const char *name;       /* as the user gave it, for messages */
    const char *sheet_name; /* a workbook's sheet to read (owned); NULL for a CSV file */
    const struct kind *kind;
    char *source; /* the file's name without its folder (and "!SHEET"): whose baseline */
    int header_row;
    struct column *cols;
    int ncols;
    struct planned *rows;
    int nrows;
    struct disagreement *disagreements;
    int ndisagreements;
    int closed_undated;      /* closed rows without a closing date, given one (said once) */
    int columns_clash;       /* two columns give one field: the rows are not read */
    int warned_unrated;      /* said once that assessment columns on unrated rows are skipped */
    int missing[MAX_FIELDS]; /* rows that needed a field no column gives (said once, at the end) */
};

struct error_group;

struct import {
    struct cli *c;
    struct reg *g;
    rr_day on;
    char on_text[DATE_TEXT_SIZE];
    char delimiter;
    int delimiter_given;
    int header_row;             /* --header-row, 0 when not given */
    struct import_options opts; /* --map, --map-values, --date-format and riskreg.lua's import */
    const char *sheet;          /* --sheet: the workbook sheet --kind reads; NULL: the first */
    int kind_auto;              /* --kind auto: each workbook sheet named for a kind is that kind */
    enum { PREFER_ASK = 0, PREFER_SHEET, PREFER_REGISTER } prefer; /* --prefer, for conflicts */
    struct import_file *files;
    int nfiles;
    struct map ids;                /* lower-case ID -> struct batch_id */
    struct map keys;               /* table + lower-case row key -> line, for duplicates */
    long long highest[KIND_COUNT]; /* highest PREFIX-NNN number in register and files */
    int errors;
    int errors_said, errors_unsaid; /* past MAX_ERRORS_SHOWN, errors are only counted */
    struct error_group *groups;     /* errors by column, for "… and 51 more rows like it" */
    int ngroups;
    int conflicts; /* fields changed both in riskreg and in the sheet since its last import */
    int usage_error;
    int failed_rules; /* the rules failed (said): nothing is written */
};

struct counts {
    int added, updated, unchanged, assessments_added, assessments_updated;
};

/* The change log's texts, made on a thread of their own as the rows are written (import_write.c) */
struct log_texts {
    struct import *im;
    pthread_t thread;
    int running;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    long made, taken;
    int maker_waits, writer_waits; /* each wakes the other only when it waits */
    int stop;
};

/* Where a row (and column col, a header of f's, or NULL) is, for messages: "FILE:LINE" for a
 * CSV file, "FILE: Sheet!C14" or "FILE: Sheet!row 14" for a workbook's sheet. */
void import_where(const struct import_file *f, int line, const char *col, struct strbuf *sb);

/* Count an error at f's line (column col, or NULL); the first few of each column are said, and
 * no more than MAX_ERRORS_SHOWN in all. */
void import_row_error(struct import *im, const struct import_file *f, int line, const char *col,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The same for a problem said once for the whole import (group names it: the rest like it are
 * only counted), such as a date whose order needs --date-format. */
void import_once_error(struct import *im, const struct import_file *f, int line, const char *col,
                       const char *group, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* "… and 51 more rows like it" for each kind of error past its first few. */
void import_error_summary(struct import *im);
void import_errors_free(struct import *im);

#endif
