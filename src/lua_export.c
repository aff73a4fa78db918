/* lua_export.c - the tables of a data export, from the Lua rules (scripts/lib/export.lua) into
 * C memory, where the writers take them (export_files.c, export_xlsx.c) on any thread.
 *
 * The shape, as export.lua makes it:
 *   { as_of = DATE or nil, name = "Org", levels = { { name, colour = "#rrggbb", text = ... } },
 *     tables = { { name = "risks", singular = "risk", keys = 1 (columns naming a row),
 *                  rows = { row, ... },
 *                  columns = { { name, type = "text|word|date|integer|number|level",
 *                                path = { "residual", "score" } or nil,
 *                                level = "residual_level" or nil }, ... } }, ... } } */
#include "lua_export.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#define MAX_PATH_DEPTH 4

static const struct {
    const char *name;
    enum export_type type;
} column_types[] = {{"text", EXPORT_TEXT},       {"word", EXPORT_WORD},     {"date", EXPORT_DATE},
                    {"integer", EXPORT_INTEGER}, {"number", EXPORT_NUMBER}, {"level", EXPORT_TEXT},
                    {NULL, EXPORT_TEXT}};

static unsigned parse_colour(lua_State *L, int idx, const char *field)
{
    const char *text = lua_tostring(L, idx);
    if (!text || text[0] != '#' || strlen(text) != 7 ||
        strspn(text + 1, "0123456789abcdefABCDEF") != 6)
        luaL_error(L, "export: levels: %s must be a colour such as \"#f4a261\"", field);
    return (unsigned)strtoul(text + 1, NULL, 16);
}

static char *opt_string(lua_State *L, int table, const char *field)
{
    char *value = NULL;
    if (lua_getfield(L, table, field) == LUA_TSTRING) value = xstrdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    return value;
}

static void read_levels(lua_State *L, int spec, struct export_set *set)
{
    if (lua_getfield(L, spec, "levels") != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    int levels = lua_gettop(L);
    lua_Integer n = luaL_len(L, levels);
    set->levels = xcalloc((size_t)n + 1, sizeof *set->levels);
    for (lua_Integer i = 1; i <= n; i++) {
        luaL_checktype(L, (lua_rawgeti(L, levels, i), -1), LUA_TTABLE);
        int band = lua_gettop(L);
        struct export_level *l = &set->levels[set->nlevels++];
        l->name = opt_string(L, band, "name");
        lua_getfield(L, band, "colour");
        l->colour = parse_colour(L, -1, "colour");
        lua_getfield(L, band, "text");
        l->ink = lua_isnil(L, -1) ? 0x1f2328 : parse_colour(L, -1, "text");
        lua_settop(L, band - 1);
    }
    lua_pop(L, 1);
}

struct column_spec {
    int key;   /* stack index of the field name (or of the path's first key) */
    int depth; /* path length (1: the field itself) */
    int path[MAX_PATH_DEPTH];
};

/* The columns of a table: names, types, and the stack slots of the keys each cell is read by.
 * Leaves the keys on the stack. */
static void read_columns(lua_State *L, int columns, struct export_table *t,
                         struct column_spec *specs)
{
    for (int c = 0; c < t->ncols; c++) {
        luaL_checktype(L, (lua_rawgeti(L, columns, c + 1), -1), LUA_TTABLE);
        int col = lua_gettop(L);
        struct export_column *ec = &t->cols[c];
        ec->level_column = -1;
        if (lua_getfield(L, col, "name") != LUA_TSTRING)
            luaL_error(L, "export: table %s: column %d has no name", t->name, c + 1);
        ec->name = xstrdup(lua_tostring(L, -1));
        lua_pop(L, 1);
        const char *type = (lua_getfield(L, col, "type"), luaL_optstring(L, -1, "text"));
        int found = 0;
        for (int i = 0; column_types[i].name; i++)
            if (strcmp(type, column_types[i].name) == 0) {
                ec->type = column_types[i].type;
                ec->is_level = strcmp(type, "level") == 0;
                found = 1;
            }
        if (!found) luaL_error(L, "export: column %s: no type '%s'", ec->name, type);
        lua_pop(L, 1);
        if (lua_getfield(L, col, "level") == LUA_TSTRING) {
            for (int other = 0; other < t->ncols; other++) {
                lua_rawgeti(L, columns, other + 1);
                lua_getfield(L, -1, "name");
                if (lua_rawequal(L, -1, -3)) ec->level_column = other;
                lua_pop(L, 2);
            }
        }
        lua_pop(L, 1);
        /* the keys: the path's, else the name; kept on the stack above the column tables */
        struct column_spec *s = &specs[c];
        if (lua_getfield(L, col, "path") == LUA_TTABLE) {
            int path = lua_gettop(L);
            s->depth = (int)luaL_len(L, path);
            if (s->depth < 1 || s->depth > MAX_PATH_DEPTH)
                luaL_error(L, "export: column %s: a path of 1 to %d keys", ec->name,
                           MAX_PATH_DEPTH);
            for (int i = 0; i < s->depth; i++) {
                lua_rawgeti(L, path, i + 1);
                s->path[i] = lua_gettop(L);
            }
            lua_remove(L, path);
            for (int i = 0; i < s->depth; i++)
                s->path[i]--; /* the path table left */
            lua_remove(L, col);
            for (int i = 0; i < s->depth; i++)
                s->path[i]--;
        } else {
            lua_pop(L, 1);
            lua_pushstring(L, ec->name);
            lua_remove(L, col);
            s->depth = 1;
            s->path[0] = lua_gettop(L);
        }
    }
}

/* The cell text of the value on top of the stack (popped); -1 when it cannot be a cell. */
static int add_cell(lua_State *L, struct export_table *t, int c)
{
    char number[64];
    const char *text = NULL;
    size_t len = 0;
    switch (lua_type(L, -1)) {
    case LUA_TNIL:
        lua_pop(L, 1);
        return 0;
    case LUA_TSTRING:
        text = lua_tolstring(L, -1, &len);
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, -1))
            text_format_integer(lua_tointeger(L, -1), number, sizeof number);
        else
            text_format_number(lua_tonumber(L, -1), number, sizeof number);
        text = number;
        len = strlen(number);
        break;
    case LUA_TBOOLEAN:
        text = lua_toboolean(L, -1) ? "true" : "false";
        len = strlen(text);
        break;
    default:
        return -1;
    }
    int rc = export_set_cell(t, c, text, len);
    lua_pop(L, 1);
    return rc == 0 ? 0 : -2;
}

static void read_table(lua_State *L, int spec, struct export_table *t)
{
    int base = lua_gettop(L);
    t->name = opt_string(L, spec, "name");
    if (!t->name) luaL_error(L, "export: a table has no name");
    t->singular = opt_string(L, spec, "singular");
    lua_getfield(L, spec, "keys");
    t->nkeys = (int)luaL_optinteger(L, -1, 1);
    lua_pop(L, 1);
    if (lua_getfield(L, spec, "columns") != LUA_TTABLE)
        luaL_error(L, "export: table %s has no columns", t->name);
    int columns = lua_gettop(L);
    t->ncols = (int)luaL_len(L, columns);
    if (t->ncols < 1 || t->ncols > 200)
        luaL_error(L, "export: table %s: 1 to 200 columns", t->name);
    luaL_checkstack(L, t->ncols * MAX_PATH_DEPTH + 8, "export: too many columns");
    t->cols = xcalloc((size_t)t->ncols, sizeof *t->cols);
    /* a userdata, so that an error below leaves nothing to free */
    struct column_spec *specs = lua_newuserdatauv(L, sizeof *specs * (size_t)t->ncols, 0);
    read_columns(L, columns, t, specs);
    if (lua_getfield(L, spec, "rows") != LUA_TTABLE)
        luaL_error(L, "export: table %s has no rows", t->name);
    int rows = lua_gettop(L);
    lua_Integer n = luaL_len(L, rows);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, rows, i) != LUA_TTABLE)
            luaL_error(L, "export: table %s: row %d is not a table", t->name, (int)i);
        int row = lua_gettop(L);
        export_add_row(t);
        for (int c = 0; c < t->ncols; c++) {
            const struct column_spec *s = &specs[c];
            lua_pushvalue(L, s->path[0]);
            lua_rawget(L, row);
            for (int d = 1; d < s->depth; d++) {
                if (!lua_istable(L, -1)) { /* a missing step: an empty cell */
                    lua_pop(L, 1);
                    lua_pushnil(L);
                    break;
                }
                lua_pushvalue(L, s->path[d]);
                lua_rawget(L, -2);
                lua_remove(L, -2);
            }
            int rc = add_cell(L, t, c);
            if (rc != 0) {
                if (rc == -2) luaL_error(L, "export: table %s is over 4 GB", t->name);
                luaL_error(L, "export: table %s, row %d: %s is a %s, not a value", t->name, (int)i,
                           t->cols[c].name, luaL_typename(L, -1));
            }
        }
        lua_settop(L, row - 1);
    }
    lua_settop(L, base);
}

/* Protected: the set's parts from the table at 1, into the set (light userdata at 2) */
static int read_set(lua_State *L)
{
    struct export_set *set = lua_touserdata(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    set->as_of = opt_string(L, 1, "as_of");
    set->name = opt_string(L, 1, "name");
    read_levels(L, 1, set);
    if (lua_getfield(L, 1, "tables") != LUA_TTABLE) luaL_error(L, "export: no tables");
    int tables = lua_gettop(L);
    lua_Integer n = luaL_len(L, tables);
    set->tables = xcalloc((size_t)n + 1, sizeof *set->tables);
    for (lua_Integer i = 1; i <= n; i++) {
        luaL_checktype(L, (lua_rawgeti(L, tables, i), -1), LUA_TTABLE);
        struct export_table *t = &set->tables[set->ntables++];
        read_table(L, lua_gettop(L), t);
        lua_pop(L, 1);
    }
    return 0;
}

int lua_export_read(lua_State *L, int idx, struct export_set *set, struct strbuf *why)
{
    memset(set, 0, sizeof *set);
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, read_set);
    lua_pushvalue(L, idx);
    lua_pushlightuserdata(L, set);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        sb_puts(why, lua_tostring(L, -1) ? lua_tostring(L, -1) : "the export's tables are wrong");
        lua_pop(L, 1);
        export_set_free(set);
        return -1;
    }
    return 0;
}
