/* server.h - a register kept on a PostgreSQL server (libpq). register.c works on a copy of it
 * in SQLite; this fills the copy from one snapshot and takes its changes back. */
#ifndef RISKREG_SERVER_H
#define RISKREG_SERVER_H

#include <stdio.h>

struct reg;

extern const struct reg_backend reg_server_backend;

/* Connect to the server riskreg.lua names (where), make its register when there is none and
 * write is set, and fill r->db (an empty register at this riskreg's version) from one snapshot;
 * to write, also keep track of what changes in the copy. *home is the backend's state. 0, or -1
 * after reporting. */
int server_open(struct reg *r, const char *where, int write, void **home);
void server_free(void *home);

/* Is text a server's connection rather than a file name (postgresql://, postgres://, or
 * libpq's key=value form)? */
int server_is_connection(const char *text);

/* Copy the whole register in from (its every table, change log included) to the server where,
 * which must not hold a register yet; the rows copied, per table, are printed to out. 0, or -1
 * after reporting (nothing is written then). */
int server_copy_in(struct reg *from, const char *where, FILE *out);

#endif
