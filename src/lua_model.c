/* lua_model.c - riskreg.model: the register's vocabulary (model.c) for the scripts, so that the
 * Lua side knows the kinds and their columns without a second list of them. */
#include "lua_model.h"
#include "model.h"
#include "text.h"
#include "validate.h"

#include <string.h>

#include <lauxlib.h>

static const char *const type_names[] = {
    [FT_ID] = "id",         [FT_TEXT] = "text", [FT_MARKDOWN] = "markdown",
    [FT_DATE] = "date",     [FT_DAYS] = "days", [FT_RATING] = "rating",
    [FT_NUMBER] = "number", [FT_ENUM] = "enum", [FT_REF] = "ref",
};

const char *lua_model_type_name(enum field_type type)
{
    return type_names[type];
}

/* { name, type, required, key, values = {...}, ref = "risks", list = "requirements" | "any" (a
 * list of IDs: FF_LIST) } */
static void push_field(lua_State *L, const struct field *f)
{
    lua_createtable(L, 0, 7);
    lua_pushstring(L, f->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, type_names[f->type]);
    lua_setfield(L, -2, "type");
    lua_pushboolean(L, (f->flags & FF_REQUIRED) != 0);
    lua_setfield(L, -2, "required");
    lua_pushboolean(L, (f->flags & FF_KEY) != 0);
    lua_setfield(L, -2, "key");
    if (f->type == FT_ENUM) {
        lua_newtable(L);
        for (int i = 0; f->values[i]; i++) {
            lua_pushstring(L, f->values[i]);
            lua_rawseti(L, -2, i + 1);
        }
        lua_setfield(L, -2, "values");
    }
    if (f->type == FT_REF) {
        lua_pushstring(L, model_kind(f->ref)->name);
        lua_setfield(L, -2, "ref");
    }
    if (f->flags & FF_LIST) {
        lua_pushstring(L, f->ref == KIND_COUNT ? "any" : model_kind(f->ref)->name);
        lua_setfield(L, -2, "list");
    }
}

/* { name = "risks", singular = "risk", table = "risk", order_by = "length(id), id" (the
 * register's order, the exports'), prefix = "R-", fields = {...} } */
static void push_kind(lua_State *L, const struct kind *k)
{
    lua_createtable(L, 0, 5);
    lua_pushstring(L, k->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, k->singular);
    lua_setfield(L, -2, "singular");
    lua_pushstring(L, k->table);
    lua_setfield(L, -2, "table");
    lua_pushstring(L, k->order_by);
    lua_setfield(L, -2, "order_by");
    if (k->prefix) {
        lua_pushstring(L, k->prefix);
        lua_setfield(L, -2, "prefix");
    }
    lua_createtable(L, k->nfields, 0);
    for (int i = 0; i < k->nfields; i++) {
        push_field(L, &k->fields[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "fields");
}

/* model.suggest(kind, name [, more_names]) -> the field name closest to a misspelt one, or nil;
 * a nil kind chooses among more_names alone (a view's table that is not a record: site, level) */
static int model_suggest(lua_State *L)
{
    const struct kind *k = lua_isnil(L, 1) ? NULL : model_find_kind(luaL_checkstring(L, 1));
    const char *name = luaL_checkstring(L, 2);
    if (!k && !lua_isnil(L, 1))
        return luaL_error(L, "riskreg.model.suggest: no kind '%s'", lua_tostring(L, 1));
    const char *names[MAX_FIELDS + 32];
    size_t n = 0;
    for (int i = 0; k && i < k->nfields; i++)
        names[n++] = k->fields[i].name;
    if (lua_istable(L, 3))
        for (lua_Integer i = 1; n < sizeof names / sizeof names[0]; i++) {
            if (lua_rawgeti(L, 3, i) != LUA_TSTRING) {
                lua_pop(L, 1);
                break;
            }
            names[n++] = lua_tostring(L, -1); /* kept alive by the table at 3 */
            lua_pop(L, 1);
        }
    const char *guess = text_suggest(name, names, n);
    if (guess)
        lua_pushstring(L, guess);
    else
        lua_pushnil(L);
    return 1;
}

/* model.file_name(id) -> the name (without extension) of the record's files in the site: the ID,
 * or "_" and the ID for one a new record could not take (index, CON) */
static int model_file_name(lua_State *L)
{
    const char *id = luaL_checkstring(L, 1);
    lua_pushfstring(L, "%s%s", id_file_prefix(id), id);
    return 1;
}

static const luaL_Reg model_functions[] = {
    {"suggest", model_suggest}, {"file_name", model_file_name}, {NULL, NULL}};

static int open_model(lua_State *L)
{
    luaL_newlib(L, model_functions);
    lua_createtable(L, KIND_COUNT, 0); /* kinds, in dependency order */
    lua_createtable(L, 0, KIND_COUNT); /* by name */
    for (int i = 0; i < KIND_COUNT; i++) {
        push_kind(L, model_kind(i));
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, model_kind(i)->name);
        lua_rawseti(L, -3, i + 1);
    }
    lua_setfield(L, -3, "kind");
    lua_setfield(L, -2, "kinds");
    return 1;
}

void lua_model_register(struct host *h)
{
    host_add_module(h, "riskreg.model", open_model);
}
