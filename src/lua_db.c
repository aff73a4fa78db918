/* lua_db.c - riskreg.db: the register, read-only, for report scripts.
 *
 * A connection of its own, opened read-only, with the authorizer of every reading connection
 * (register.c): reading and nothing else (no ATTACH, no PRAGMA but a few that describe the
 * schema, no transaction: the build reads one state of the register throughout). Statements are
 * prepared once per SQL text. Integers stay integers; NULL is nil. */
#include "lua_db.h"
#include "fingerprint.h"
#include "register.h"
#include "map.h"
#include "text.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#define DB_HANDLE "riskreg.db.handle"
#define DB_ROWS "riskreg.db.rows"
#define DB_CONNECTION "riskreg.db.connection" /* registry: the build's handle */

struct db_handle {
    sqlite3 *db;
    struct map stmts; /* SQL text -> sqlite3_stmt*, kept for the build */
    /* what a project's own code read (its statements and their rows): a page rendered after it
     * may depend on it in ways its variables do not show (lua_db_reads) */
    struct fp_stream *reads;
    long nreads;
};

static struct db_handle *handle_of(lua_State *L)
{
    return luaL_checkudata(L, lua_upvalueindex(1), DB_HANDLE);
}

static void free_stmt(const char *key, void *value, void *data)
{
    (void)key;
    (void)data;
    sqlite3_finalize(value);
}

static int handle_gc(lua_State *L)
{
    struct db_handle *dh = luaL_checkudata(L, 1, DB_HANDLE);
    map_each(&dh->stmts, free_stmt, NULL);
    map_free(&dh->stmts);
    fp_stream_free(dh->reads);
    dh->reads = NULL;
    if (dh->db) sqlite3_close(dh->db);
    dh->db = NULL;
    return 0;
}

static sqlite3_stmt *prepare(lua_State *L, struct db_handle *dh, const char *sql, int *cached)
{
    sqlite3_stmt *st = map_get(&dh->stmts, sql);
    if (st && !sqlite3_stmt_busy(st)) {
        *cached = 1;
        return st;
    }
    const char *tail = NULL;
    if (sqlite3_prepare_v3(dh->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, &tail) != SQLITE_OK) {
        const char *msg = sqlite3_errmsg(dh->db);
        if (strstr(msg, "not authorized"))
            luaL_error(L,
                       "riskreg.db: report scripts only read the register; '%s' is not "
                       "allowed",
                       sql);
        luaL_error(L, "riskreg.db: %s in '%s'", msg, sql);
    }
    while (tail &&
           (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
        tail++;
    if (tail && *tail) {
        sqlite3_finalize(st);
        luaL_error(L, "riskreg.db: one statement at a time: '%s' has more after the first", sql);
    }
    if (!st) luaL_error(L, "riskreg.db: '%s' holds no statement", sql);
    *cached = !map_get(&dh->stmts, sql);
    if (*cached) map_put(&dh->stmts, sql, st);
    return st;
}

/* Parameters from the arguments after the SQL: ? by position, :name from one table. */
static void bind_params(lua_State *L, sqlite3_stmt *st, int first, const char *sql)
{
    int nparams = sqlite3_bind_parameter_count(st);
    int nargs = lua_gettop(L) - first + 1;
    int named = nparams > 0 && sqlite3_bind_parameter_name(st, 1) &&
                sqlite3_bind_parameter_name(st, 1)[0] != '?';
    if (named && (nargs != 1 || !lua_istable(L, first)))
        luaL_error(L, "riskreg.db: '%s' takes its :name parameters from one table", sql);
    if (!named && nargs != nparams)
        luaL_error(L, "riskreg.db: '%s' has %d parameter%s but was given %d", sql, nparams,
                   nparams == 1 ? "" : "s", nargs);
    for (int i = 1; i <= nparams; i++) {
        int idx = first + i - 1;
        if (named) {
            lua_getfield(L, first, sqlite3_bind_parameter_name(st, i) + 1);
            idx = lua_gettop(L);
        }
        int rc;
        switch (lua_type(L, idx)) {
        case LUA_TNIL:
            rc = sqlite3_bind_null(st, i);
            break;
        case LUA_TBOOLEAN:
            rc = sqlite3_bind_int(st, i, lua_toboolean(L, idx));
            break;
        case LUA_TNUMBER:
            rc = lua_isinteger(L, idx) ? sqlite3_bind_int64(st, i, lua_tointeger(L, idx))
                                       : sqlite3_bind_double(st, i, lua_tonumber(L, idx));
            break;
        case LUA_TSTRING: {
            size_t len;
            const char *s = lua_tolstring(L, idx, &len);
            rc = sqlite3_bind_text(st, i, s, (int)len, SQLITE_TRANSIENT);
            break;
        }
        default:
            sqlite3_reset(st);
            luaL_error(L,
                       "riskreg.db: parameter %d of '%s' is a %s; use nil, a boolean, a number "
                       "or a string",
                       i, sql, luaL_typename(L, idx));
            return;
        }
        if (named) lua_pop(L, 1);
        if (rc != SQLITE_OK) luaL_error(L, "riskreg.db: cannot bind parameter %d of '%s'", i, sql);
    }
}

static void push_column(lua_State *L, sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        lua_pushinteger(L, sqlite3_column_int64(st, i));
        break;
    case SQLITE_FLOAT:
        lua_pushnumber(L, sqlite3_column_double(st, i));
        break;
    case SQLITE_NULL:
        lua_pushnil(L);
        break;
    default:
        lua_pushlstring(L, (const char *)sqlite3_column_text(st, i),
                        (size_t)sqlite3_column_bytes(st, i));
    }
}

/* The statement's column names as a list of Lua strings, pushed: made once for all its rows */
static void push_names(lua_State *L, sqlite3_stmt *st)
{
    int n = sqlite3_column_count(st);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushstring(L, sqlite3_column_name(st, i));
        lua_rawseti(L, -2, i + 1);
    }
}

/* The row as a table keyed by the names at index names (NULL: absent) */
static void push_row(lua_State *L, sqlite3_stmt *st, int names)
{
    int n = sqlite3_column_count(st);
    lua_createtable(L, 0, n);
    for (int i = 0; i < n; i++) {
        if (sqlite3_column_type(st, i) == SQLITE_NULL) continue;
        lua_rawgeti(L, names, i + 1);
        push_column(L, st, i);
        lua_rawset(L, -3);
    }
}

/* A row a project's code read, into the handle's record of such reads. */
static void fold_row(struct db_handle *dh, sqlite3_stmt *st)
{
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        unsigned char type = (unsigned char)sqlite3_column_type(st, i);
        fp_stream_add(dh->reads, &type, 1);
        if (type == SQLITE_INTEGER) {
            sqlite3_int64 v = sqlite3_column_int64(st, i);
            fp_stream_add(dh->reads, &v, sizeof v);
        } else if (type == SQLITE_FLOAT) {
            double v = sqlite3_column_double(st, i);
            fp_stream_add(dh->reads, &v, sizeof v);
        } else if (type != SQLITE_NULL) {
            const void *bytes = sqlite3_column_blob(st, i);
            int len = sqlite3_column_bytes(st, i);
            fp_stream_add(dh->reads, &len, sizeof len);
            fp_stream_add(dh->reads, bytes ? bytes : "", (size_t)len);
        }
    }
}

static int step(lua_State *L, struct db_handle *dh, sqlite3_stmt *st, const char *sql, int fold)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && fold) fold_row(dh, st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) return rc;
    const char *msg = sqlite3_errmsg(dh->db);
    sqlite3_reset(st);
    return luaL_error(L, "riskreg.db: %s in '%s'", msg, sql);
}

/* A statement being walked by rows(): closes itself when the loop ends or breaks. */
struct rows_state {
    sqlite3_stmt *st;
    int owned; /* not the cached statement: finalize instead of reset */
    struct db_handle *dh;
    int fold; /* read by a project's code: its rows are recorded */
};

static void rows_finish(struct rows_state *rs)
{
    if (!rs->st) return;
    if (rs->owned)
        sqlite3_finalize(rs->st);
    else {
        sqlite3_reset(rs->st);
        sqlite3_clear_bindings(rs->st);
    }
    rs->st = NULL;
}

static int rows_close(lua_State *L)
{
    rows_finish(luaL_checkudata(L, 1, DB_ROWS));
    return 0;
}

static int rows_next(lua_State *L)
{
    struct rows_state *rs = luaL_checkudata(L, lua_upvalueindex(1), DB_ROWS);
    if (!rs->st) return 0;
    if (step(L, rs->dh, rs->st, sqlite3_sql(rs->st), rs->fold) == SQLITE_ROW) {
        push_names(L, rs->st);
        push_row(L, rs->st, lua_gettop(L));
        return 1;
    }
    rows_finish(rs);
    return 0;
}

/* The statement of a call, prepared and bound. *fold: a project's code is reading (its SQL
 * with the values bound is recorded now, its rows as they are read). */
static sqlite3_stmt *start(lua_State *L, struct db_handle *dh, int *cached, int *fold)
{
    const char *sql = luaL_checkstring(L, 1);
    sqlite3_stmt *st = prepare(L, dh, sql, cached);
    bind_params(L, st, 2, sql);
    *fold = host_customiser_running(L);
    if (*fold) {
        if (!dh->reads) dh->reads = fp_stream_new();
        char *expanded = sqlite3_expanded_sql(st);
        fp_stream_str(dh->reads, expanded ? expanded : sql);
        sqlite3_free(expanded);
        dh->nreads++;
    }
    return st;
}

static void finish(sqlite3_stmt *st, int cached)
{
    if (cached) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
}

/* for row in db.rows(sql, ...) do ... end */
static int db_rows(lua_State *L)
{
    struct db_handle *dh = handle_of(L);
    int cached, fold;
    sqlite3_stmt *st = start(L, dh, &cached, &fold);
    struct rows_state *rs = lua_newuserdatauv(L, sizeof *rs, 0);
    *rs = (struct rows_state){st, !cached, dh, fold};
    luaL_setmetatable(L, DB_ROWS);
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, rows_next, 1);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_pushvalue(L, -4); /* to-be-closed: a break ends the statement */
    return 4;
}

static int db_all(lua_State *L)
{
    struct db_handle *dh = handle_of(L);
    int cached, fold;
    sqlite3_stmt *st = start(L, dh, &cached, &fold);
    const char *sql = sqlite3_sql(st);
    push_names(L, st);
    int names = lua_gettop(L);
    lua_newtable(L);
    lua_Integer n = 0;
    while (step(L, dh, st, sql, fold) == SQLITE_ROW) {
        push_row(L, st, names);
        lua_rawseti(L, -2, ++n);
    }
    finish(st, cached);
    return 1;
}

static int db_one(lua_State *L)
{
    struct db_handle *dh = handle_of(L);
    int cached, fold;
    sqlite3_stmt *st = start(L, dh, &cached, &fold);
    if (step(L, dh, st, sqlite3_sql(st), fold) == SQLITE_ROW) {
        push_names(L, st);
        push_row(L, st, lua_gettop(L));
    } else {
        lua_pushnil(L);
    }
    finish(st, cached);
    return 1;
}

static int db_value(lua_State *L)
{
    struct db_handle *dh = handle_of(L);
    int cached, fold;
    sqlite3_stmt *st = start(L, dh, &cached, &fold);
    if (step(L, dh, st, sqlite3_sql(st), fold) == SQLITE_ROW && sqlite3_column_count(st) > 0)
        push_column(L, st, 0);
    else
        lua_pushnil(L);
    finish(st, cached);
    return 1;
}

/* db.through(f, ...) -> f(...): a function that gives what it read from the register some other
 * way (riskreg.register's, from rows read once and kept). When a project's code is running, what
 * it returns is recorded as read, as a statement's rows are. */
static int db_through(lua_State *L)
{
    struct db_handle *dh = handle_of(L);
    luaL_checktype(L, 1, LUA_TFUNCTION);
    int customiser = host_customiser_running(L);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    int n = lua_gettop(L);
    if (customiser) {
        if (!dh->reads) dh->reads = fp_stream_new();
        fp_stream_str(dh->reads, "through");
        for (int i = 1; i <= n; i++) {
            struct fp f = fp_lua_value(L, i);
            fp_stream_add(dh->reads, &f, sizeof f);
        }
        dh->nreads++;
    }
    return n;
}

static const luaL_Reg db_functions[] = {{"rows", db_rows},       {"all", db_all},
                                        {"one", db_one},         {"value", db_value},
                                        {"through", db_through}, {NULL, NULL}};

static int open_db_module(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, DB_CONNECTION);
    luaL_newlibtable(L, db_functions);
    lua_pushvalue(L, -2);
    luaL_setfuncs(L, db_functions, 1);
    return 1;
}

int lua_db_register(struct host *h, const char *path)
{
    lua_State *L = host_state(h);
    struct db_handle *dh = lua_newuserdatauv(L, sizeof *dh, 0);
    memset(dh, 0, sizeof *dh); /* a safe closed state before anything can fail */
    if (luaL_newmetatable(L, DB_HANDLE)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_pushcfunction(L, handle_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    if (luaL_newmetatable(L, DB_ROWS)) {
        lua_pushboolean(L, 0); /* getmetatable() on a rows handle gives nothing to change */
        lua_setfield(L, -2, "__metatable");
        lua_pushcfunction(L, rows_close);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, rows_close);
        lua_setfield(L, -2, "__close");
    }
    lua_pop(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, DB_CONNECTION);
    if (sqlite3_open_v2(path, &dh->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rr_error("%s: cannot open the register for reading: %s", path,
                 dh->db ? sqlite3_errmsg(dh->db) : "out of memory");
        return -1;
    }
    sqlite3_busy_timeout(dh->db, 15000);
    sqlite3_limit(dh->db, SQLITE_LIMIT_ATTACHED, 0);
    /* one snapshot for the whole build, whatever writers do meanwhile */
    if (sqlite3_exec(dh->db, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) !=
        SQLITE_OK) {
        rr_error("%s: cannot read the register: %s", path, sqlite3_errmsg(dh->db));
        return -1;
    }
    sqlite3_set_authorizer(dh->db, reg_authorize_read, NULL); /* reading, and nothing else */
    host_add_module(h, "riskreg.db", open_db_module);
    return 0;
}

long lua_db_reads(lua_State *L, struct fp *digest)
{
    *digest = (struct fp){0, 0};
    lua_getfield(L, LUA_REGISTRYINDEX, DB_CONNECTION);
    struct db_handle *dh = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (!dh || !dh->reads) return 0;
    *digest = fp_stream_digest(dh->reads);
    return dh->nreads;
}
