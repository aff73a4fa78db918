/* lua_site.c - riskreg.site: the scripts' way out (files confined to the build's staging
 * folder, site_out.c), the build's options, and the data export of data/, written on a thread
 * of its own while the pages render.
 *
 * A file of the site is written once per build: each path is claimed by whoever writes it
 * first, the site itself (the built-in scripts) or a project's script by its FILE:LINE, and a
 * second write is an error naming the file and the script, whichever came first. */
#include "lua_site.h"
#include "export_files.h"
#include "export_xlsx.h"
#include "fingerprint.h"
#include "lua_db.h"
#include "lua_export.h"
#include "lua_json.h"
#include "lua_text.h"
#include "progress.h"
#include "rules.h"
#include "site_out.h"
#include "text.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#define SITE_KEY "riskreg.site.state"
#define AT_END_KEY "riskreg.site.at_end"         /* registry: functions to run after the scripts */
#define DATA_FILES_KEY "riskreg.site.data_files" /* registry: the files scripts add to data/ */

struct data_export;

struct site {
    struct site_options opt;
    struct site_out out;
    struct data_export *data; /* the data export being written (NULL: none) */
    struct map owners;        /* path -> who wrote it: SITE_ITSELF or "FILE:LINE" (malloc'd) */
    struct strbuf clash;      /* the first write over a written file, said at the end if caught */
    long print_reads;         /* the project's reads when the last page fingerprint was taken */
    long print_clock;         /* and the scripts' looks at the clock */
    long pages, kept;         /* pages made with ctx.page, and those kept from the last build */
};

/* The owner of a file the built-in scripts write: one of the site's own files. */
static char site_itself[] = "the site";
#define SITE_ITSELF site_itself

static struct site *site_of(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, SITE_KEY);
    struct site *s = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return s;
}

/* A path inside the site: relative, plain names separated by '/'. Raises otherwise, naming the
 * function that was given it. */
static const char *check_path_for(lua_State *L, int idx, const char *fn)
{
    size_t len;
    const char *path = luaL_checklstring(L, idx, &len);
    const char *why = site_path_problem(path, len);
    if (why) luaL_error(L, "%s: '%s' is not a path in the site: %s", fn, path, why);
    return path;
}

static const char *check_site_path(lua_State *L, int idx)
{
    return check_path_for(L, idx, "riskreg.site");
}

/* ---- who writes what ---- */

/* Is source (a chunk's file) one of riskreg's own scripts or templates? */
static int builtin_source(const char *source)
{
    const char *data_dir = rules_data_dir();
    if (!data_dir) return 0;
    size_t n = strlen(data_dir);
    if (strncmp(source, data_dir, n) != 0 || source[n] != '/') return 0;
    return strncmp(source + n + 1, "scripts/", 8) == 0 ||
           strncmp(source + n + 1, "report-templates/", 17) == 0;
}

/* The project's line that is running: the innermost frame in a file of the project (its
 * scripts or templates) as "FILE:LINE", or NULL when only the built-in scripts are. Caller
 * frees. */
static char *project_place(lua_State *L)
{
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0 || ar.source[0] != '@') continue;
        if (builtin_source(ar.source + 1)) continue;
        struct strbuf place = STRBUF_INIT;
        sb_printf(&place, "%s:%d", ar.source + 1, ar.currentline);
        return sb_take(&place);
    }
    return NULL;
}

/* Raise the clash of a second write to path (by now, a place or NULL for the site itself) with
 * the first (before), naming the file and the project's script. Kept to be said at the end if a
 * script catches it: the build fails either way. */
static int clash(lua_State *L, struct site *s, const char *path, const char *before,
                 const char *now)
{
    struct strbuf msg = STRBUF_INIT;
    if (before == SITE_ITSELF && now)
        sb_printf(&msg,
                  "%s: %s is one of the site's own files: a script cannot write over it; give "
                  "yours another name (site.data_file lists it on the Data page)",
                  now, path);
    else if (before != SITE_ITSELF && !now)
        sb_printf(&msg,
                  "%s: %s is one of the site's own files (riskreg writes it after the project's "
                  "scripts): a script cannot write over it; give yours another name",
                  before, path);
    else
        sb_printf(&msg,
                  "%s: %s was written already in this build, by %s: a file of the site is "
                  "written by one script; give one of them another name",
                  now, path, before);
    if (!s->clash.len) sb_puts(&s->clash, msg.data);
    lua_pushstring(L, msg.data);
    sb_free(&msg);
    return lua_error(L);
}

/* Are two owners one script: the site itself, or the same file of the project ("FILE:LINE")? */
static int same_script(const char *a, const char *b)
{
    if (a == SITE_ITSELF || b == SITE_ITSELF) return a == b;
    const char *colon = strrchr(a, ':');
    size_t n = colon ? (size_t)(colon - a) + 1 : strlen(a);
    return strncmp(a, b, n) == 0 && (colon || !b[n]);
}

/* The running script takes path for its own before writing it: raises when another script
 * wrote it already in this build (or the site itself did, or will). A script may write its
 * own file again. */
static void claim(lua_State *L, struct site *s, const char *path)
{
    char *place = project_place(L);
    const char *now = place ? place : SITE_ITSELF;
    const char *before = map_get(&s->owners, path);
    if (before && !same_script(before, now)) {
        /* the message is on the Lua stack before place is freed */
        lua_pushstring(L, place ? place : "");
        free(place);
        const char *shown = lua_tostring(L, -1);
        clash(L, s, path, before, shown[0] ? shown : NULL);
    }
    char *old = map_put(&s->owners, path, place ? place : SITE_ITSELF);
    if (old && old != SITE_ITSELF) free(old);
}

static void free_owner(const char *key, void *value, void *data)
{
    (void)key;
    (void)data;
    if (value != SITE_ITSELF) free(value);
}

/* A file the site could not write: said once, here, naming it where it is published; the build
 * fails (nil and the reason go back to the script, whose assert then stays silent). */
static int fail(lua_State *L, struct site *s, const char *path)
{
    int e = errno;
    const char *hint = text_disk_full(e) ? " (" DISK_FULL_HINT ")" : "";
    lua_pushnil(L);
    lua_pushfstring(L, "%s/%s: cannot write it: %s%s", s->opt.published, path, strerror(e), hint);
    if (!s->out.failed) rr_error("%s", lua_tostring(L, -1));
    s->out.failed = 1;
    host_error_reported(host_from_state(L));
    return 2;
}

/* site.write(path, text [, print]) -> true, or nil and why. print: the page's fingerprint
 * (site.fingerprint), recorded unless since it was taken the project's code read the register or
 * a script looked at the clock (while rendering: the page may depend on more than its
 * variables, and is rendered at every build). */
static int site_write(lua_State *L)
{
    struct site *s = site_of(L);
    const char *path = check_site_path(L, 1);
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    const char *print = luaL_optstring(L, 3, NULL);
    claim(L, s, path);
    if (site_out_write(&s->out, path, text, len) != 0) return fail(L, s, path);
    struct fp reads;
    if (print && s->opt.inputs && lua_db_reads(L, &reads) == s->print_reads &&
        host_clock_reads(host_from_state(L)) == s->print_clock)
        site_out_print(&s->out, path, print);
    lua_pushboolean(L, 1);
    return 1;
}

/* site.fingerprint(template, path, vars, globals) -> the fingerprint of what the page at path
 * is made from: the build's inputs (the program, scripts, templates and settings), what the
 * project's code read from the register so far, the template's name, the path, and the values
 * of vars and globals, followed to the end. nil when pages are not fingerprinted. */
static int site_fingerprint(lua_State *L)
{
    struct site *s = site_of(L);
    const char *name = luaL_checkstring(L, 1);
    const char *path = check_site_path(L, 2);
    luaL_checktype(L, 3, LUA_TTABLE);
    s->pages++;
    if (!s->opt.inputs) {
        lua_pushnil(L);
        return 1;
    }
    struct fp reads, vars = fp_lua_value(L, 3), globals = fp_lua_value(L, 4);
    s->print_reads = lua_db_reads(L, &reads);
    s->print_clock = host_clock_reads(host_from_state(L));
    struct fp_stream *st = fp_stream_new();
    fp_stream_str(st, s->opt.inputs);
    fp_stream_add(st, &s->print_reads, sizeof s->print_reads);
    fp_stream_add(st, &reads, sizeof reads);
    fp_stream_str(st, name);
    fp_stream_str(st, path);
    fp_stream_add(st, &vars, sizeof vars);
    fp_stream_add(st, &globals, sizeof globals);
    char hex[FP_HEX_SIZE];
    fp_hex(fp_stream_digest(st), hex);
    fp_stream_free(st);
    lua_pushstring(L, hex);
    return 1;
}

/* site.keep(path, print) -> true when the published page at path was rendered from the same
 * (print is the fingerprint it was rendered from then): it is in the new site unchanged, and
 * need not be rendered. false otherwise. */
static int site_keep(lua_State *L)
{
    struct site *s = site_of(L);
    const char *path = check_site_path(L, 1);
    const char *print = luaL_optstring(L, 2, NULL);
    if (!print || s->out.failed) {
        lua_pushboolean(L, 0);
        return 1;
    }
    claim(L, s, path);
    int kept = site_out_keep(&s->out, path, print) == 0;
    s->kept += kept;
    lua_pushboolean(L, kept);
    return 1;
}

int lua_site_write_text(lua_State *L, int path_idx, const char *fn, const char *text, size_t len)
{
    struct site *s = site_of(L);
    if (!s)
        return luaL_error(L, "%s: no site is being built (only riskreg build writes files)", fn);
    const char *path = check_path_for(L, path_idx, fn);
    claim(L, s, path);
    if (site_out_write(&s->out, path, text, len) != 0) return fail(L, s, path);
    lua_pushboolean(L, 1);
    return 1;
}

/* site.copy(asset, path): a file from the templates folders into the site */
static int site_copy(lua_State *L)
{
    struct site *s = site_of(L);
    const char *asset = check_site_path(L, 1);
    const char *path = lua_isnoneornil(L, 2) ? asset : check_site_path(L, 2);
    claim(L, s, path);
    char *from = host_find_asset(host_from_state(L), asset);
    if (!from)
        return luaL_error(L, "riskreg.site.copy: no asset '%s' in the templates folders", asset);
    struct strbuf data = STRBUF_INIT;
    int rc = text_slurp(from, &data);
    free(from);
    if (rc != 0 || site_out_write(&s->out, path, sb_str(&data), data.len) != 0) {
        sb_free(&data);
        return fail(L, s, path);
    }
    sb_free(&data);
    lua_pushboolean(L, 1);
    return 1;
}

/* site.has_asset(asset): is there such a file in the templates folders (an optional one, such as
 * a project's theme.css)? */
static int site_has_asset(lua_State *L)
{
    char *found = host_find_asset(host_from_state(L), check_site_path(L, 1));
    lua_pushboolean(L, found != NULL);
    free(found);
    return 1;
}

void lua_site_relative(const char *from, const char *to, struct strbuf *out)
{
    const char *fragment = strchr(to, '#');
    size_t to_len = fragment ? (size_t)(fragment - to) : strlen(to);
    /* the folders from's folder and to have in common */
    size_t common = 0;
    for (size_t i = 0; i < to_len && from[i] && from[i] == to[i]; i++)
        if (from[i] == '/') common = i + 1;
    size_t start = out->len;
    for (const char *p = from + common; *p; p++)
        if (*p == '/') sb_puts(out, "../");
    sb_add(out, to + common, to_len - common);
    if (fragment) sb_puts(out, fragment);
    if (out->len == start) sb_puts(out, "./");
}

/* site.link(from, to): the relative URL from one page of the site to another */
static int site_link(lua_State *L)
{
    const char *from = check_site_path(L, 1);
    const char *to = luaL_checkstring(L, 2);
    struct strbuf url = STRBUF_INIT;
    lua_site_relative(from, to, &url);
    lua_pushstring(L, sb_str(&url));
    sb_free(&url);
    return 1;
}

/* ---- the data export ---- */

/* The export's tables are copied out of Lua at once (the scripts go on), then written as CSV,
 * JSON and XLSX on a thread of their own, into a folder of the staging site that nothing else
 * writes meanwhile; the files join the site's list when the thread is joined. The workbook is
 * costly to make and the same recipe gives the same bytes: when the published site's was made
 * from the same one, it is linked in instead of made again. */
struct data_export {
    pthread_t thread;
    int running; /* the thread is writing */
    int listed;  /* its files are in the site's list (or it failed, said) */
    int rc;
    struct site *s;
    char *dir;              /* the site folder it fills */
    struct export_set set;  /* the tables */
    struct strbuf full;     /* that folder in the staging site */
    struct strbuf shown;    /* and where it will be published, for messages */
    struct strbuf workbook; /* FOLDER/register.xlsx */
    struct strbuf errors;   /* what it could not write, said when joined */
    char recipe_hash[65];   /* the workbook's recipe */
    int same_workbook;      /* the published workbook has that recipe */
};

/* export_keep_fn: only decides (on the export's thread; the manifest is read only); the link is
 * made when the thread is joined */
static int same_recipe(const char hash[65], void *data)
{
    struct data_export *e = data;
    memcpy(e->recipe_hash, hash, sizeof e->recipe_hash);
    const char *before = site_out_published_hash(&e->s->out, e->workbook.data);
    e->same_workbook = before && strcmp(before, hash) == 0;
    return e->same_workbook;
}

static void *export_thread(void *arg)
{
    struct data_export *e = arg;
    struct file_place place = {e->full.data, e->shown.data, &e->errors};
    e->rc = export_snapshot(&e->set, &place, same_recipe, e);
    /* the rows are written: their memory goes back while the pages render (an unchanged
     * workbook keeps them, to be made after all if the published one went away meanwhile) */
    if (e->rc == 0 && !e->same_workbook) export_set_drop_rows(&e->set);
    return NULL;
}

/* Wait for the export; its files join the site's list (the workbook by its recipe's hash,
 * linked from the published site when unchanged). 0, or -1 after reporting. */
static int join_export(struct site *s)
{
    struct data_export *e = s->data;
    if (!e || e->listed) return e && e->rc != 0 ? -1 : 0;
    if (e->running) pthread_join(e->thread, NULL);
    e->running = 0;
    e->listed = 1;
    if (e->rc == 0 && e->same_workbook && site_out_link(&s->out, e->workbook.data) != 0) {
        /* the published workbook went away meanwhile: made now */
        struct file_place place = {e->full.data, e->shown.data, &e->errors};
        struct strbuf path = STRBUF_INIT;
        sb_printf(&path, "%s/register.xlsx", e->full.data);
        e->rc = export_xlsx(&e->set, NULL, &place, path.data);
        sb_free(&path);
    }
    if (e->rc != 0) {
        if (!s->out.failed) progress_print(sb_str(&e->errors));
        s->out.failed = 1;
        return -1;
    }
    for (int t = 0; t < e->set.ntables; t++) {
        struct strbuf name = STRBUF_INIT;
        sb_printf(&name, "%s/%s.csv", e->dir, e->set.tables[t].name);
        site_out_note(&s->out, name.data, SITE_NO_HASH); /* cheap: never linked */
        sb_free(&name);
    }
    struct strbuf json = STRBUF_INIT;
    sb_printf(&json, "%s/register.json", e->dir);
    site_out_note(&s->out, json.data, SITE_NO_HASH);
    sb_free(&json);
    site_out_note(&s->out, e->workbook.data, e->recipe_hash);
    return 0;
}

static void free_export(struct site *s)
{
    struct data_export *e = s->data;
    if (!e) return;
    if (e->running) pthread_join(e->thread, NULL);
    export_set_free(&e->set);
    free(e->dir);
    sb_free(&e->full);
    sb_free(&e->shown);
    sb_free(&e->workbook);
    sb_free(&e->errors);
    free(e);
    s->data = NULL;
}

/* Is path one of the files the export writes (FOLDER/TABLE.csv, register.json, register.xlsx)? */
static int export_file(const struct data_export *e, const char *path)
{
    size_t n = strlen(e->dir);
    if (strncmp(path, e->dir, n) != 0 || path[n] != '/') return 0;
    const char *leaf = path + n + 1;
    if (strcmp(leaf, "register.json") == 0 || strcmp(leaf, "register.xlsx") == 0) return 1;
    for (int t = 0; t < e->set.ntables; t++) {
        size_t len = strlen(e->set.tables[t].name);
        if (strncmp(leaf, e->set.tables[t].name, len) == 0 && strcmp(leaf + len, ".csv") == 0)
            return 1;
    }
    return 0;
}

/* The export's files are claimed when it starts, so no script writes over them; any other
 * writer that does waits for the export first, so that its file is the one that stays. Anything
 * else in the folder (its index page) goes on beside it. */
static void before_write(void *data, const char *path)
{
    struct site *s = data;
    struct data_export *e = s->data;
    if (e && e->running && export_file(e, path)) join_export(s);
}

/* The files the export in the table at spec writes into dir are taken by the running script
 * (the site's own when a built-in script asks). */
static void claim_export(lua_State *L, struct site *s, const char *dir, int spec)
{
    int top = lua_gettop(L);
    if (lua_getfield(L, spec, "tables") == LUA_TTABLE) {
        int tables = lua_gettop(L);
        for (lua_Integer i = 1; lua_rawgeti(L, tables, i) == LUA_TTABLE; i++) {
            if (lua_getfield(L, -1, "name") == LUA_TSTRING)
                claim(L, s, lua_pushfstring(L, "%s/%s.csv", dir, lua_tostring(L, -1)));
            lua_settop(L, tables);
        }
    }
    lua_settop(L, top);
    claim(L, s, lua_pushfstring(L, "%s/register.json", dir));
    claim(L, s, lua_pushfstring(L, "%s/register.xlsx", dir));
    lua_pop(L, 2);
}

/* site.export_data(folder, export): the tables riskreg.export made, as CSV, JSON and XLSX in the
 * folder; written on a thread of its own while the scripts go on (the build waits for it) */
static int site_export_data(lua_State *L)
{
    struct site *s = site_of(L);
    const char *dir = check_site_path(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    claim_export(L, s, dir, 2);
    if (join_export(s) != 0) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s/%s: cannot write the register's files", s->opt.published,
                        s->data->dir);
        host_error_reported(host_from_state(L));
        return 2;
    }
    free_export(s);
    struct data_export *e = xcalloc(1, sizeof *e);
    struct strbuf why = STRBUF_INIT;
    if (lua_export_read(L, 2, &e->set, &why) != 0) {
        free(e);
        lua_pushstring(L, sb_str(&why));
        sb_free(&why);
        return lua_error(L);
    }
    e->s = s;
    e->dir = xstrdup(dir);
    sb_printf(&e->full, "%s/%s", s->opt.out_dir, dir);
    sb_printf(&e->shown, "%s/%s", s->opt.published, dir);
    sb_printf(&e->workbook, "%s/register.xlsx", dir);
    s->data = e;
    if (site_out_make_dir(&s->out, dir) != 0) return fail(L, s, dir);
    if (pthread_create(&e->thread, NULL, export_thread, e) == 0)
        e->running = 1;
    else /* no thread to be had: written now */
        export_thread(e);
    if (!e->running && join_export(s) != 0) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s/%s: cannot write the register's files", s->opt.published, dir);
        host_error_reported(host_from_state(L));
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* ---- the Data page's list, and what runs after the scripts ---- */

/* site.data_file{ path = "data/x.csv", label = "What it holds" [, description = "More"] }: a file
 * a script writes, listed on the Data page with the register's own */
static int site_data_file(lua_State *L)
{
    static const char *const fields[] = {"path", "label", "description", NULL};
    const char *fn = "riskreg.site.data_file";
    if (!lua_istable(L, 1))
        return luaL_error(L,
                          "%s: give a table such as { path = \"data/suppliers.csv\", label = "
                          "\"Supplier performance\" }, not %s",
                          fn, luaL_typename(L, 1));
    lua_settop(L, 1);
    for (lua_pushnil(L); lua_next(L, 1); lua_pop(L, 1)) {
        int known = 0;
        for (int i = 0; fields[i] && lua_type(L, -2) == LUA_TSTRING; i++)
            known |= strcmp(lua_tostring(L, -2), fields[i]) == 0;
        if (!known)
            return luaL_error(L, "%s: unknown field '%s' (it takes path, label and description)",
                              fn, luaL_tolstring(L, -2, NULL));
    }
    if (lua_getfield(L, 1, "path") != LUA_TSTRING)
        return luaL_error(L,
                          "%s: path must be the file's path in the site (\"data/suppliers.csv\"), "
                          "not %s",
                          fn, luaL_typename(L, -1));
    const char *path = check_path_for(L, 2, fn);
    if (lua_getfield(L, 1, "label") != LUA_TSTRING || lua_rawlen(L, 3) == 0)
        return luaL_error(L, "%s: label must be text saying what %s holds (the Data page shows it)",
                          fn, path);
    int type = lua_getfield(L, 1, "description");
    if (type != LUA_TNIL && type != LUA_TSTRING)
        return luaL_error(L, "%s: description must be text or nil, not %s", fn,
                          luaL_typename(L, 4));
    lua_getfield(L, LUA_REGISTRYINDEX, DATA_FILES_KEY); /* 5 */
    lua_Integer n = (lua_Integer)lua_rawlen(L, 5);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 5, i);
        lua_getfield(L, -1, "path");
        if (strcmp(lua_tostring(L, -1), path) == 0) {
            lua_getfield(L, -2, "by");
            return luaL_error(L, "%s: %s is on the Data page's list already (added by %s)", fn,
                              path, lua_isstring(L, -1) ? lua_tostring(L, -1) : "the site");
        }
        lua_pop(L, 2);
    }
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "path");
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, "label");
    lua_pushvalue(L, 4);
    lua_setfield(L, -2, "description");
    char *by = project_place(L);
    if (by) {
        lua_pushstring(L, by);
        free(by);
        lua_setfield(L, -2, "by");
    }
    lua_rawseti(L, 5, n + 1);
    return 0;
}

/* site.data_files() -> { { path, label, description, by }, ... }: what scripts added, in order */
static int site_data_files(lua_State *L)
{
    static const char *const fields[] = {"path", "label", "description", "by"};
    lua_getfield(L, LUA_REGISTRYINDEX, DATA_FILES_KEY);
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_createtable(L, 0, 4);
        lua_rawgeti(L, -3, i);
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
            lua_getfield(L, -1, fields[f]);
            lua_setfield(L, -3, fields[f]);
        }
        lua_pop(L, 1);
        lua_rawseti(L, -2, i);
    }
    return 1;
}

/* site.at_end(fn): fn runs when every script has run (site.lua and the project's pages) */
static int site_at_end(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_getfield(L, LUA_REGISTRYINDEX, AT_END_KEY);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    return 0;
}

int lua_site_run_at_end(struct host *h)
{
    lua_State *L = host_state(h);
    struct site *s = site_of(L);
    int top = lua_gettop(L);
    lua_getfield(L, LUA_REGISTRYINDEX, AT_END_KEY);
    for (lua_Integer i = 1; lua_rawgeti(L, top + 1, i) == LUA_TFUNCTION; i++)
        if (host_pcall(h, 0, 0) != 0) {
            lua_settop(L, top);
            return -1;
        }
    lua_settop(L, top);
    /* a file on the Data page's list that no script wrote would be a broken link */
    lua_getfield(L, LUA_REGISTRYINDEX, DATA_FILES_KEY);
    for (lua_Integer i = 1; lua_rawgeti(L, top + 1, i) == LUA_TTABLE; i++) {
        lua_getfield(L, -1, "path");
        lua_getfield(L, -2, "by");
        const char *path = lua_tostring(L, -2);
        if (!map_get(&s->owners, path)) {
            int by = lua_isstring(L, -1);
            rr_error("%s%s%s is on the Data page's list (site.data_file) but no script wrote it",
                     by ? lua_tostring(L, -1) : "", by ? ": " : "", path);
            lua_settop(L, top);
            return -1;
        }
        lua_settop(L, top + 1);
    }
    lua_settop(L, top);
    return 0;
}

static const luaL_Reg site_functions[] = {{"write", site_write},
                                          {"fingerprint", site_fingerprint},
                                          {"keep", site_keep},
                                          {"json", lua_json_encode},
                                          {"copy", site_copy},
                                          {"link", site_link},
                                          {"export_data", site_export_data},
                                          {"sha256", lua_text_sha256},
                                          {"has_asset", site_has_asset},
                                          {"data_file", site_data_file},
                                          {"data_files", site_data_files},
                                          {"at_end", site_at_end},
                                          {NULL, NULL}};

static void set_string(lua_State *L, const char *name, const char *value)
{
    if (!value) return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, name);
}

static int open_site(lua_State *L)
{
    struct site *s = site_of(L);
    luaL_newlib(L, site_functions);
    set_string(L, "as_of", s->opt.as_of);
    set_string(L, "period", s->opt.period);
    set_string(L, "period_first", s->opt.period_first);
    set_string(L, "period_last", s->opt.period_last);
    set_string(L, "previous_period", s->opt.previous_period);
    set_string(L, "previous_as_of", s->opt.previous_as_of);
    set_string(L, "today", s->opt.today);
    set_string(L, "name", s->opt.name);
    set_string(L, "out", s->opt.published);
    return 1;
}

static int site_gc(lua_State *L)
{
    struct site *s = lua_touserdata(L, 1);
    free_export(s); /* joined first: it writes into the site */
    site_out_free(&s->out);
    map_each(&s->owners, free_owner, NULL);
    map_free(&s->owners);
    sb_free(&s->clash);
    return 0;
}

int lua_site_finish(struct host *h)
{
    struct site *s = site_of(host_state(h));
    if (join_export(s) != 0) return -1;
    if (s->clash.len) { /* a script caught the error: it still fails the build */
        rr_error("%s", s->clash.data);
        return -1;
    }
    if (s->out.failed) return 0; /* said already; the build fails on the file count */
    if (site_out_finish(&s->out) != 0) {
        rr_error("%s: cannot write the site's marker: %s", s->opt.out_dir, strerror(errno));
        return -1;
    }
    return 0;
}

int lua_site_register(struct host *h, const struct site_options *options)
{
    lua_State *L = host_state(h);
    struct site *s = lua_newuserdatauv(L, sizeof *s, 0);
    memset(s, 0, sizeof *s);
    s->opt = *options;
    site_out_init(&s->out, s->opt.out_dir, s->opt.published);
    s->out.before_write = before_write;
    s->out.before_data = s;
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, site_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, SITE_KEY);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, AT_END_KEY);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, DATA_FILES_KEY);
    host_add_module(h, "riskreg.site", open_site);
    return 0;
}

int lua_site_write_file(struct host *h, const char *path, const void *data, size_t len)
{
    return site_out_write(&site_of(host_state(h))->out, path, data, len);
}

void lua_site_note_file(struct host *h, const char *path)
{
    site_out_note(&site_of(host_state(h))->out, path, SITE_NO_HASH);
}

int lua_site_has_file(struct host *h, const char *path)
{
    return site_out_has_file(&site_of(host_state(h))->out, path);
}

int lua_site_reuse(struct host *h, const char *path)
{
    return site_out_reuse(&site_of(host_state(h))->out, path);
}

void lua_site_page_counts(struct host *h, long *rendered, long *kept)
{
    struct site *s = site_of(host_state(h));
    *kept = s->kept;
    *rendered = s->pages - s->kept;
}

long lua_site_files_written(struct host *h)
{
    struct site *s = site_of(host_state(h));
    return s->out.failed ? -1 : (long)s->out.files.count;
}
