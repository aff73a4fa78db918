/* server.h - a register kept on a PostgreSQL server (libpq). register.c works on a copy of it
 * in SQLite; this fills the copy from one snapshot and takes its changes back. */
#ifndef RISKREG_SERVER_H
#define RISKREG_SERVER_H

#include <stdio.h>

struct reg;

extern const struct reg_backend reg_server_backend;

/* Connect to the server riskreg.lua names (where), make its register when there is none and
 * write is set, and start reading one snapshot of it. *home is the backend's state. 0, or -1
 * after reporting. */
int server_connect(const char *where, int write, void **home);
/* Fill r->db (an empty register at this riskreg's version, or with filled set a kept copy of
 * the snapshot) from the snapshot, and end it; to write, also keep track of what changes in
 * the copy. 0, or -1 after reporting. */
int server_fill(struct reg *r, void *home, int write, int filled);
/* Make the file copy a kept copy of the snapshot when there is one (a link to read, a copy of
 * it to write): 1 done, 0 none. */
int server_cached(void *home, const char *copy, int write);
/* Keep the copy just filled (never to be changed: a reader's) for the next command. */
void server_keep(void *home, const char *copy);
void server_free(void *home);

/* Is text a server's connection rather than a file name (postgresql://, postgres://, or
 * libpq's key=value form)? */
int server_is_connection(const char *text);

/* Copy the whole register in from (its every table, change log included) to the server where,
 * which must not hold a register yet; the rows copied, per table, are printed to out. 0, or -1
 * after reporting (nothing is written then). */
int server_copy_in(struct reg *from, const char *where, FILE *out);

#endif
