/* lua_export.h - the tables of a data export, from Lua into C memory */
#ifndef RISKREG_LUA_EXPORT_H
#define RISKREG_LUA_EXPORT_H

#include <lua.h>

#include "export_set.h"

struct strbuf;

/* The export at idx (as scripts/lib/export.lua makes it) copied into set, which the writers can
 * then take on any thread. 0, or -1 with why said (set left empty). */
int lua_export_read(lua_State *L, int idx, struct export_set *set, struct strbuf *why);

#endif
