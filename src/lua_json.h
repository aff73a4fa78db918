/* lua_json.h - Lua values as JSON text */
#ifndef RISKREG_LUA_JSON_H
#define RISKREG_LUA_JSON_H

#include <lua.h>

/* json(value [, pretty]) -> text: sequences are arrays, other tables objects with sorted keys,
 * integers stay integers; raises for what cannot be JSON (functions, cycles, non-UTF-8). */
int lua_json_encode(lua_State *L);

struct host;

/* The module riskreg.json: encode (as above) and decode(text) -> value (arrays as sequences,
 * objects as tables, null as nil). */
void lua_json_register(struct host *h);

#endif
