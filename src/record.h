/* record.h - one row of the register in memory, read and written with its change-log entry */
#ifndef RISKREG_RECORD_H
#define RISKREG_RECORD_H

#include <jansson.h>

#include "model.h"

struct reg;

/* The one JSON form used for change-log entries, exports and --json output. */
#define RR_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

struct record {
    const struct kind *kind;
    char *v[MAX_FIELDS]; /* canonical text of each field; NULL when it has no value */
};

void record_init(struct record *rec, const struct kind *k);
void record_free(struct record *rec);
void record_copy(struct record *dst, const struct record *src);
void record_set(struct record *rec, int field, const char *value); /* copies; NULL clears */
const char *record_get(const struct record *rec, const char *name);
void record_put(struct record *rec, const char *name, const char *value); /* by field name */
int record_equal(const struct record *a, const struct record *b);

/* The ID a row is about: its own, or that of the risk, KPI or review it belongs to. */
const char *record_id(const struct record *rec);
/* The row's unique key in its table: the ID, or e.g. "R-001@2026-03-31". Caller frees. */
char *record_row_key(const struct record *rec);

json_t *record_json(const struct record *rec);
char *record_json_text(const struct record *rec); /* caller frees */

/* Read the row with this key (the ID, or the key fields in order); 1 found, 0 none, -1 error. */
int record_fetch(struct reg *g, const struct kind *k, const char *key1, const char *key2,
                 struct record *out);

/* Every row of a kind in its natural order; the callback returns non-zero to stop. */
typedef int (*record_fn)(const struct record *rec, void *data);
int record_each(struct reg *g, const struct kind *k, record_fn fn, void *data);
/* For a kind keyed by the record it belongs to and a date (assessments, measurements): the
 * latest row of one record. 1 found, 0 none, -1 error. */
int record_fetch_latest(struct reg *g, const struct kind *k, const char *owner, struct record *out);
/* The same, for the rows whose field (an index of k's fields) has the value. */
int record_each_where(struct reg *g, const struct kind *k, int field, const char *value,
                      record_fn fn, void *data);

/* Writes; the caller holds the transaction. Each write appends its change-log entry. */
int record_insert(struct reg *g, const struct record *rec, const char *note);
/* 0 when nothing differs (nothing written), 1 when written, -1 on error */
int record_update(struct reg *g, const struct record *before, const struct record *after,
                  const char *note);
/* The same, given the change-log texts of the records (record_json_text of before and after,
 * made ahead, on another thread): NULL ones are made here. */
int record_insert_logged(struct reg *g, const struct record *rec, const char *note,
                         const char *after_json);
int record_update_logged(struct reg *g, const struct record *before, const struct record *after,
                         const char *note, const char *before_json, const char *after_json);

/* The ID of the one record of rec's kind whose title (name, text) is rec's, in any case:
 * 1 found (*id set, caller frees), 0 none or several, -1 error. */
int record_find_by_title(struct reg *g, const struct record *rec, char **id);

/* Which kind holds this ID, in any case; *stored gets the ID as stored (caller frees). */
const struct kind *record_find_id(struct reg *g, const char *id, char **stored);

/* IDs given when none is: PREFIX-NNN, numbered above the highest number already used with the
 * prefix. record_highest_number gives that number (0 when none; -1 on error). */
long long record_highest_number(struct reg *g, const char *prefix);
char *record_format_id(const struct kind *k, long long number); /* caller frees */

/* Release the statements' SQL built from the model. */
void record_cleanup(void);

#endif
