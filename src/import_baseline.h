/* import_baseline.h - what each source said last time, so that importing it again never undoes
 * work done in riskreg since (import_baseline.c). Internal to import*.c. */
#ifndef RISKREG_IMPORT_BASELINE_H
#define RISKREG_IMPORT_BASELINE_H

#include "import_plan.h"

/* f->source: the file's name without its folder, and a workbook's "!SHEET". */
void import_baseline_source(struct import_file *f);

/* What f's source said of record last time (NULL: never), for the calls below; free it with
 * import_baseline_free. */
void *import_baseline_load(struct import *im, const struct import_file *f, const char *record);
void import_baseline_free(void *base);

/* Should the sheet's value of field replace the register's? 1 or 0. A conflict (both changed
 * since the last import) is counted in im->conflicts and said unless --prefer settles it. */
int import_baseline_decide(struct import *im, const struct import_file *f, int line,
                           const char *record, void *base, const char *field,
                           const char *register_value, const char *sheet_value);

/* Are the sheet's ratings a (an assessment record) those it gave last time? */
int import_baseline_scores_unchanged(void *base, const struct record *a);

/* Count (and say) a conflict between riskreg's latest scores and the sheet's new ones. */
void import_baseline_scores_conflict(struct import *im, const struct import_file *f, int line,
                                     const char *record, const struct record *latest,
                                     const struct record *a);

/* What the sheet said of a row (the fields it has columns for), as kept for next time. */
char *import_baseline_text(const struct record *given, const int *has_cell,
                           const struct record *assessment, const int *has_assessment_cell);

/* Keep what every file said of each of its rows, replacing what its source said before. */
int import_baseline_save(struct import *im);

#endif
