/* lua_db.h - riskreg.db: the register, read-only, for report scripts */
#ifndef RISKREG_LUA_DB_H
#define RISKREG_LUA_DB_H

#include "lua_host.h"

/* riskreg.db: a read-only connection of its own to the register at path, in one read
 * transaction (one state of the register for the whole run). -1 after reporting. */
int lua_db_register(struct host *h, const char *path);

/* What a project's own scripts and templates have read through riskreg.db so far (the SQL with
 * its values, and every row), as a fingerprint; returns how many statements (0: none, and
 * digest is zero). The built-in scripts' reads are not in it: what they read reaches a page
 * through its variables. */
struct fp;
long lua_db_reads(lua_State *L, struct fp *digest);

#endif
