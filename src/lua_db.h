/* lua_db.h - riskreg.db: the register, read-only, for report scripts */
#ifndef RISKREG_LUA_DB_H
#define RISKREG_LUA_DB_H

#include "lua_host.h"

/* riskreg.db: a read-only connection of its own to the register at path, in one read
 * transaction (one state of the register for the whole run). -1 after reporting. */
int lua_db_register(struct host *h, const char *path);

#endif
