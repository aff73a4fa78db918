/* lua_json.c - Lua values as JSON text (site.json): sequences as arrays, other tables as
 * objects with sorted keys (the same text every build), integers as integers; a value that
 * cannot be JSON raises before anything is made. */
#include "lua_json.h"
#include "lua_host.h"
#include "text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

static int is_sequence(lua_State *L, int idx);

/* Raise if a value cannot become JSON; checked before anything is built, so that an error
 * leaves nothing half-made. */
static void check_json(lua_State *L, int idx, int depth)
{
    idx = lua_absindex(L, idx);
    int t = lua_type(L, idx);
    if (t == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        if (text_utf8_invalid_at(s, len) >= 0 || strlen(s) != len)
            luaL_error(L, "riskreg.site.json: a string is not UTF-8 text");
        return;
    }
    if (t != LUA_TTABLE) {
        if (t != LUA_TNIL && t != LUA_TBOOLEAN && t != LUA_TNUMBER)
            luaL_error(L, "riskreg.site.json: cannot write a %s", luaL_typename(L, idx));
        return;
    }
    if (depth > 64) luaL_error(L, "riskreg.site.json: tables nest too deeply (a cycle?)");
    int sequence = is_sequence(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (!sequence && lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "riskreg.site.json: a table is neither a list nor has string keys");
        check_json(L, -1, depth + 1);
        lua_pop(L, 1);
    }
}

/* A non-empty table whose keys are exactly 1..n. */
static int is_sequence(lua_State *L, int idx)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        count++;
        lua_pop(L, 1);
    }
    return n > 0 && count == n;
}

/* Lua value to JSON: sequences are arrays, other tables objects with sorted keys (so output
 * is the same every build), integers stay integers. */
static json_t *to_json(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN:
        return json_boolean(lua_toboolean(L, idx));
    case LUA_TNUMBER:
        return lua_isinteger(L, idx) ? json_integer(lua_tointeger(L, idx))
                                     : json_real(lua_tonumber(L, idx));
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        return json_stringn(s, len);
    }
    case LUA_TTABLE:
        break;
    default:
        return json_null();
    }
    if (is_sequence(L, idx)) {
        json_t *arr = json_array();
        lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, idx, i);
            json_array_append_new(arr, to_json(L, -1));
            lua_pop(L, 1);
        }
        return arr;
    }
    json_t *obj = json_object();
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        json_object_set_new(obj, lua_tostring(L, -2), to_json(L, -1));
        lua_pop(L, 1);
    }
    return obj;
}

/* json(value [, pretty]) -> text (site.json) */
int lua_json_encode(lua_State *L)
{
    luaL_checkany(L, 1);
    check_json(L, 1, 0);
    json_t *j = to_json(L, 1);
    size_t flags = JSON_SORT_KEYS | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY;
    flags |= lua_toboolean(L, 2) ? JSON_INDENT(2) : JSON_COMPACT;
    char *text = json_dumps(j, flags);
    json_decref(j);
    if (!text) return luaL_error(L, "riskreg.site.json: cannot encode the value");
    lua_pushstring(L, text);
    free(text);
    return 1;
}

#define JSON_MAX_DEPTH 64

/* How deeply arrays and objects nest in j (0 for a scalar), counted up to past the limit */
static int json_depth(json_t *j, int depth)
{
    if (depth > JSON_MAX_DEPTH) return depth;
    int deepest = depth;
    size_t i;
    const char *key;
    json_t *value;
    if (json_is_array(j)) {
        json_array_foreach(j, i, value)
        {
            int d = json_depth(value, depth + 1);
            if (d > deepest) deepest = d;
        }
    } else if (json_is_object(j)) {
        json_object_foreach(j, key, value)
        {
            int d = json_depth(value, depth + 1);
            if (d > deepest) deepest = d;
        }
    }
    return deepest;
}

/* JSON to a Lua value: arrays become sequences, objects tables, null nil (left out of a table)
 * or, when null_idx is not 0, the value at that index. The depth is checked before, so that
 * nothing raises here but running out of memory. */
static void from_json(lua_State *L, json_t *j, int depth, int null_idx)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        lua_createtable(L, 0, (int)json_object_size(j));
        const char *key;
        json_t *value;
        json_object_foreach(j, key, value)
        {
            if (json_is_null(value) && !null_idx) continue;
            from_json(L, value, depth + 1, null_idx);
            lua_setfield(L, -2, key);
        }
        return;
    }
    case JSON_ARRAY: {
        lua_createtable(L, (int)json_array_size(j), 0);
        size_t i;
        json_t *value;
        lua_Integer n = 0;
        json_array_foreach(j, i, value)
        {
            if (json_is_null(value) && !null_idx) continue;
            from_json(L, value, depth + 1, null_idx);
            lua_rawseti(L, -2, ++n);
        }
        return;
    }
    case JSON_STRING:
        lua_pushlstring(L, json_string_value(j), json_string_length(j));
        return;
    case JSON_INTEGER:
        lua_pushinteger(L, (lua_Integer)json_integer_value(j));
        return;
    case JSON_REAL:
        lua_pushnumber(L, json_real_value(j));
        return;
    case JSON_TRUE:
    case JSON_FALSE:
        lua_pushboolean(L, json_is_true(j));
        return;
    default:
        if (null_idx)
            lua_pushvalue(L, null_idx);
        else
            lua_pushnil(L);
        return;
    }
}

/* decode(text [, null]) -> value (JSON null as nil, or as the value null when given); raises
 * naming the line and column of a mistake */
static int lua_json_decode(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    json_error_t err;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!j)
        return luaL_error(L, "riskreg.json.decode: line %d, column %d: %s", err.line, err.column,
                          err.text);
    if (json_depth(j, 0) > JSON_MAX_DEPTH) {
        json_decref(j);
        return luaL_error(L, "riskreg.json.decode: arrays and objects nest more than %d deep",
                          JSON_MAX_DEPTH);
    }
    lua_checkstack(L, JSON_MAX_DEPTH + 8);
    from_json(L, j, 0, lua_isnoneornil(L, 2) ? 0 : 2);
    json_decref(j);
    return 1;
}

static const luaL_Reg json_functions[] = {
    {"encode", lua_json_encode}, {"decode", lua_json_decode}, {NULL, NULL}};

static int open_json(lua_State *L)
{
    luaL_newlib(L, json_functions);
    return 1;
}

void lua_json_register(struct host *h)
{
    host_add_module(h, "riskreg.json", open_json);
}
