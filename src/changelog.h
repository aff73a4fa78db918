/* changelog.h - the hash-chained record of every change: appending, printing, verifying */
#ifndef RISKREG_CHANGELOG_H
#define RISKREG_CHANGELOG_H

struct reg;

/* Append one entry inside the caller's write transaction. before/after are the row as JSON
 * (NULL for an insert's before or a delete's after). */
int changelog_append(struct reg *g, const char *table, const char *record_id, const char *row_key,
                     const char *operation, const char *before, const char *after,
                     const char *note);

/* Print entries, oldest first: all, or those of one record (and the rows that belong to it),
 * optionally only from a date on. json != 0 prints a JSON array. */
int changelog_print(struct reg *g, const char *id, const char *since, int json);

/* verify.c: SQLite integrity and foreign keys, the whole chain, and the register against the
 * log's last word on every row. Prints what it finds; 0 when all holds, 1 when something does
 * not. */
int changelog_verify(struct reg *g);

/* The hash of entry seq: its fields (at, actor, kind, record_id, row_key, operation, before,
 * after, note) and the hash before it. -1 when it cannot be computed. */
int changelog_entry_hash(long long seq, const char *const f[9], const char *prev, char out[65]);
/* The hash before the first entry. */
extern const char changelog_genesis_hash[65];

/* Release the hash implementation at exit. */
void changelog_cleanup(void);

#endif
