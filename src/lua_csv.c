/* lua_csv.c - riskreg.csv: rows from a report script as CSV text, each cell quoted and
 * formula-protected by sheet_write_cell, the one writer riskreg export uses: text a spreadsheet
 * would run (=, +, -, @ first) gets a leading apostrophe; numbers are written as people read
 * them and never so protected, as an export's number columns. */
#include "lua_csv.h"
#include "lua_host.h"
#include "lua_site.h"
#include "sheet.h"
#include "text.h"

#include <math.h>
#include <string.h>

#include <lauxlib.h>

#define BUFFER_TYPE "riskreg.csv.buffer"

/* The text being made lives in a userdata, so that an error in a row frees it. */
static int buffer_gc(lua_State *L)
{
    sb_free(luaL_checkudata(L, 1, BUFFER_TYPE));
    return 0;
}

static struct strbuf *new_buffer(lua_State *L)
{
    struct strbuf *out = lua_newuserdatauv(L, sizeof *out, 0);
    *out = (struct strbuf)STRBUF_INIT;
    if (luaL_newmetatable(L, BUFFER_TYPE)) {
        lua_pushcfunction(L, buffer_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return out;
}

/* The cell on top of the stack (popped) into out; where names it in errors ("rows[3].title"). */
static void write_cell(lua_State *L, struct strbuf *out, const char *fn, const char *where)
{
    char number[64];
    size_t len;
    const char *text;
    switch (lua_type(L, -1)) {
    case LUA_TNIL:
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, -1)) {
            text_format_integer(lua_tointeger(L, -1), number, sizeof number);
        } else {
            double v = lua_tonumber(L, -1);
            if (!isfinite(v)) luaL_error(L, "%s: %s is not a finite number", fn, where);
            text_format_number(v, number, sizeof number);
        }
        sheet_write_cell(out, number, ',', 0);
        break;
    case LUA_TBOOLEAN:
        sb_puts(out, lua_toboolean(L, -1) ? "true" : "false");
        break;
    case LUA_TSTRING:
        text = lua_tolstring(L, -1, &len);
        if (strlen(text) != len) luaL_error(L, "%s: %s holds a NUL byte", fn, where);
        sheet_write_cell(out, text, ',', 1);
        break;
    default:
        luaL_error(L, "%s: %s is a %s; a cell is text, a number, a boolean or nil", fn, where,
                   luaL_typename(L, -1));
    }
    lua_pop(L, 1);
}

/* rows at index 1 and columns (a list of names, or nil) at index 2 into the text *out */
static void encode(lua_State *L, const char *fn, int rows, int columns, struct strbuf *out)
{
    if (!lua_istable(L, rows))
        luaL_error(L, "%s: rows must be a list of rows (tables), not %s", fn,
                   luaL_typename(L, rows));
    lua_Integer ncols = 0;
    if (!lua_isnoneornil(L, columns)) {
        if (!lua_istable(L, columns))
            luaL_error(L, "%s: columns must be a list of column names, not %s", fn,
                       luaL_typename(L, columns));
        ncols = (lua_Integer)lua_rawlen(L, columns);
        if (ncols == 0) luaL_error(L, "%s: columns is empty: name at least one column", fn);
        luaL_checkstack(L, 8, NULL);
        for (lua_Integer c = 1; c <= ncols; c++) {
            if (lua_rawgeti(L, columns, c) != LUA_TSTRING || lua_rawlen(L, -1) == 0)
                luaL_error(L, "%s: columns[%d] must be a column name (text), not %s", fn, (int)c,
                           lua_type(L, -1) == LUA_TSTRING ? "empty text" : luaL_typename(L, -1));
            if (c > 1) sb_putc(out, ',');
            write_cell(L, out, fn, "a column name");
        }
        sb_putc(out, '\n');
    }
    lua_Integer nrows = (lua_Integer)lua_rawlen(L, rows);
    char where[96];
    for (lua_Integer r = 1; r <= nrows; r++) {
        if (lua_rawgeti(L, rows, r) != LUA_TTABLE)
            luaL_error(L,
                       "%s: rows[%d] must be a table (a list of cells, or a row keyed by column "
                       "name), not %s",
                       fn, (int)r, luaL_typename(L, -1));
        int row = lua_gettop(L);
        lua_Integer ncells = (lua_Integer)lua_rawlen(L, row);
        if (ncols == 0) { /* a list of cells */
            lua_pushnil(L);
            if (ncells == 0 && lua_next(L, row))
                luaL_error(L,
                           "%s: rows[%d] is keyed by name: give the columns in order, as in "
                           "csv.encode(rows, { \"id\", \"title\" })",
                           fn, (int)r);
            lua_settop(L, row);
            for (lua_Integer c = 1; c <= ncells; c++) {
                if (c > 1) sb_putc(out, ',');
                lua_rawgeti(L, row, c);
                snprintf(where, sizeof where, "rows[%d][%d]", (int)r, (int)c);
                write_cell(L, out, fn, where);
            }
        } else {
            if (ncells > ncols)
                luaL_error(L, "%s: rows[%d] has %d cells, more than the %d columns", fn, (int)r,
                           (int)ncells, (int)ncols);
            for (lua_Integer c = 1; c <= ncols; c++) {
                if (c > 1) sb_putc(out, ',');
                lua_rawgeti(L, columns, c);
                const char *name = lua_tostring(L, -1);
                /* a row keyed by column name, or a list of cells in the columns' order */
                if (lua_getfield(L, row, name) == LUA_TNIL && ncells > 0) {
                    lua_pop(L, 1);
                    lua_rawgeti(L, row, c);
                    snprintf(where, sizeof where, "rows[%d][%d]", (int)r, (int)c);
                } else {
                    snprintf(where, sizeof where, "rows[%d].%.40s", (int)r, name);
                }
                write_cell(L, out, fn, where);
                lua_pop(L, 1); /* the name */
            }
        }
        sb_putc(out, '\n');
        lua_settop(L, row - 1);
    }
}

/* csv.encode(rows [, columns]) -> text */
static int csv_encode(lua_State *L)
{
    lua_settop(L, 2);
    struct strbuf *out = new_buffer(L);
    encode(L, "riskreg.csv.encode", 1, 2, out);
    lua_pushlstring(L, sb_str(out), out->len);
    return 1;
}

/* csv.write(path, rows [, columns]) -> true, or nil and why: the text of csv.encode, written
 * into the site as site.write does */
static int csv_write(lua_State *L)
{
    const char *fn = "riskreg.csv.write";
    if (lua_type(L, 1) != LUA_TSTRING)
        return luaL_error(L,
                          "%s: path must be the file's path in the site (\"data/x.csv\"), not %s",
                          fn, luaL_typename(L, 1));
    lua_settop(L, 3);
    struct strbuf *out = new_buffer(L);
    encode(L, fn, 2, 3, out);
    return lua_site_write_text(L, 1, fn, sb_str(out), out->len);
}

static const luaL_Reg csv_functions[] = {
    {"encode", csv_encode}, {"write", csv_write}, {NULL, NULL}};

static int open_csv(lua_State *L)
{
    luaL_newlib(L, csv_functions);
    return 1;
}

void lua_csv_register(struct host *h)
{
    host_add_module(h, "riskreg.csv", open_csv);
}
