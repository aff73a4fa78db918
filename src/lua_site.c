/* lua_site.c - riskreg.site: the scripts' way out (files confined to the build's staging
 * folder, site_out.c), the build's options, and the data export of data/, written on a thread
 * of its own while the pages render. */
#include "lua_site.h"
#include "export_files.h"
#include "export_xlsx.h"
#include "lua_export.h"
#include "lua_json.h"
#include "lua_text.h"
#include "progress.h"
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

struct data_export;

struct site {
    struct site_options opt;
    struct site_out out;
    struct data_export *data; /* the data export being written (NULL: none) */
};

static struct site *site_of(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, SITE_KEY);
    struct site *s = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return s;
}

/* A path inside the site: relative, plain names separated by '/'. Raises otherwise. */
static const char *check_site_path(lua_State *L, int idx)
{
    size_t len;
    const char *path = luaL_checklstring(L, idx, &len);
    const char *why = site_path_problem(path, len);
    if (why) luaL_error(L, "riskreg.site: '%s' is not a path in the site: %s", path, why);
    return path;
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

/* site.write(path, text) -> true, or nil and why */
static int site_write(lua_State *L)
{
    struct site *s = site_of(L);
    const char *path = check_site_path(L, 1);
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
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

/* A script writing one of the export's files waits for the export first, so that the script's
 * file is the one that stays; anything else in the folder (its index page) goes on beside it */
static void before_write(void *data, const char *path)
{
    struct site *s = data;
    struct data_export *e = s->data;
    if (e && e->running && export_file(e, path)) join_export(s);
}

/* site.export_data(folder, export): the tables riskreg.export made, as CSV, JSON and XLSX in the
 * folder; written on a thread of its own while the scripts go on (the build waits for it) */
static int site_export_data(lua_State *L)
{
    struct site *s = site_of(L);
    const char *dir = check_site_path(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
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

static const luaL_Reg site_functions[] = {
    {"write", site_write}, {"json", lua_json_encode},         {"copy", site_copy},
    {"link", site_link},   {"export_data", site_export_data}, {"sha256", lua_text_sha256},
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
    return 0;
}

int lua_site_finish(struct host *h)
{
    struct site *s = site_of(host_state(h));
    if (join_export(s) != 0) return -1;
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

long lua_site_files_written(struct host *h)
{
    struct site *s = site_of(host_state(h));
    return s->out.failed ? -1 : (long)s->out.files.count;
}
