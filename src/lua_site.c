/* lua_site.c - riskreg.site and riskreg.config: the scripts' way out, and their settings.
 *
 * Scripts write only inside the staging folder of the build: a path is relative, made of plain
 * names (no "..", no "."), and every folder on the way is opened without following symlinks. */
#include "config.h"
#include "export.h"
#include "lua_modules.h"
#include "map.h"
#include "model.h"
#include "progress.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#define SITE_KEY "riskreg.site.state"
#define CONFIG_KEY "riskreg.config.table"
#define MAX_PATH_BYTES 1024
#define SITE_MARKER_NAME ".riskreg-site"

struct site {
    struct site_options opt;
    struct map files;           /* every path written (or linked) into the site: its content hash
                                 * (register.xlsx: the hash of what it is made of, export.h) */
    struct map published;       /* the published site's manifest: path -> content hash */
    int failed;                 /* a write failed: the build fails even if a script ignored it */
    struct early_export *early; /* the data export, begun with the build (NULL: none) */
    struct map dirs; /* the staging site's folders opened so far: site-relative name -> fd + 1 */
};

/* a file whose name carries its hash (charts), or not hashed: one object, compared by address */
static char no_hash[] = "-";
#define NO_HASH no_hash

static void sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    out[0] = '\0';
    if (EVP_Digest(data, len, digest, &n, EVP_sha256(), NULL) && n == 32) text_hex(digest, n, out);
}

static void note(struct site *s, const char *path, const char *hash)
{
    char *old = map_put(&s->files, path, hash == NO_HASH ? NO_HASH : xstrdup(hash));
    if (old && old != NO_HASH)
        free(old);
    else if (!old)
        progress_other(1, "files");
}

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
    const char *why = NULL;
    if (len == 0 || len > MAX_PATH_BYTES)
        why = "it is empty or too long";
    else if (path[0] == '/')
        why = "it is absolute; paths are relative to the site folder";
    else if (strlen(path) != len)
        why = "it holds a NUL byte";
    for (const char *p = path; !why && *p;) {
        size_t n = strcspn(p, "/");
        if (n == 0)
            why = "it has an empty part ('//' or a trailing '/')";
        else if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            why = "'.' and '..' are not allowed: the site cannot reach outside its folder";
        for (size_t i = 0; !why && i < n; i++)
            if ((unsigned char)p[i] < 32 || p[i] == '\\' || p[i] == 127)
                why = "it holds a control character or a backslash";
        p += n;
        if (*p == '/') {
            p++;
            if (!*p) why = "it ends with '/'";
        }
    }
    if (why) luaL_error(L, "riskreg.site: '%s' is not a path in the site: %s", path, why);
    return path;
}

/* Open the folder that holds `path` inside the site, creating folders on the way, never
 * following a symlink. Returns a directory fd and points *leaf at the file name. */
/* Open (making them when missing, never following a link) the folders of path in the staging
 * site; *leaf is its last part. -1 with errno when a folder cannot be made or opened. */
static int open_folders(const struct site *s, const char *path, const char **leaf)
{
    int dfd = open(s->opt.out_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) return -1;
    const char *p = path;
    for (;;) {
        size_t n = strcspn(p, "/");
        if (p[n] != '/') break;
        char part[256];
        if (n >= sizeof part) {
            close(dfd);
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(part, p, n);
        part[n] = '\0';
        if (mkdirat(dfd, part, 0777) != 0 && errno != EEXIST) {
            close(dfd);
            return -1;
        }
        int next = openat(dfd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(dfd);
        if (next < 0) return -1;
        dfd = next;
        p += n + 1;
    }
    *leaf = p;
    return dfd;
}

static void close_folder(const char *key, void *value, void *data)
{
    (void)key;
    (void)data;
    if (value) close((int)((intptr_t)value - 1));
}

/* at most this many folders are kept open (each a file descriptor) */
#define MAX_OPEN_FOLDERS 64

/* The staging site's folder of path, opened once per build (thousands of pages share a few
 * folders): the descriptor is the site's, not to be closed. *leaf: path's last part. */
static int open_parent(struct site *s, const char *path, const char **leaf)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    char dir[MAX_PATH_BYTES];
    if (n >= sizeof dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(dir, path, n);
    dir[n] = '\0';
    intptr_t known = (intptr_t)map_get(&s->dirs, dir);
    if (known) {
        *leaf = slash ? slash + 1 : path;
        return (int)(known - 1);
    }
    if (s->dirs.count >= MAX_OPEN_FOLDERS) { /* a site of many folders: start again */
        map_each(&s->dirs, close_folder, NULL);
        map_free(&s->dirs);
    }
    int dfd = open_folders(s, path, leaf);
    if (dfd >= 0) map_put(&s->dirs, dir, (void *)(intptr_t)(dfd + 1));
    return dfd;
}

/* A folder removed from the staging site: its descriptor goes too */
static void forget_folder(struct site *s, const char *dir)
{
    intptr_t known = (intptr_t)map_get(&s->dirs, dir);
    if (known) close((int)(known - 1));
    if (known) map_put(&s->dirs, dir, NULL);
}

struct early_export;
static void join_export(struct early_export *e);
static int in_export_dir(const struct early_export *e, const char *path);

/* A script writing into the folder the early export fills waits for it first, so that the
 * script's file is the one that stays */
static void before_write(struct site *s, const char *path)
{
    if (in_export_dir(s->early, path)) join_export(s->early);
}

/* Link the published site's copy of path into the new site: an unchanged file is never written
 * again (and a hard link costs no new inode). Only a regular file: never a planted symlink. */
/* The published site's copy of path, in old: 1 when it is a regular file the last build left
 * (never a symlink planted in the published site) */
static int published_file(const struct site *s, const char *path, struct strbuf *old)
{
    sb_printf(old, "%s/%s", s->opt.published, path);
    struct stat st;
    return lstat(old->data, &st) == 0 && S_ISREG(st.st_mode);
}

static int link_published(struct site *s, const char *path)
{
    before_write(s, path);
    struct strbuf old = STRBUF_INIT;
    int rc = -1;
    if (published_file(s, path, &old)) {
        const char *leaf;
        int dfd = open_parent(s, path, &leaf);
        if (dfd >= 0) {
            unlinkat(dfd, leaf, 0); /* written earlier in this build: replaced */
            rc = linkat(AT_FDCWD, old.data, dfd, leaf, 0);
        }
    }
    sb_free(&old);
    return rc;
}

static int write_in_site(struct site *s, const char *path, const char *data, size_t len)
{
    before_write(s, path);
    char hash[65];
    sha256_hex(data, len, hash);
    const char *before = map_get(&s->published, path);
    if (before && strcmp(before, hash) == 0 && link_published(s, path) == 0) {
        note(s, path, hash);
        return 0;
    }
    const char *leaf;
    int dfd = open_parent(s, path, &leaf);
    if (dfd < 0) return -1;
    /* a new file, always: the path may be a hard link into the published site from an earlier
     * write of this build, and writing through it would change the published site */
    unlinkat(dfd, leaf, 0);
    int fd = openat(dfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) return -1;
    note(s, path, hash);
    return 0;
}

/* A file the site could not write: said once, here, naming it where it is published; the build
 * fails (nil and the reason go back to the script, whose assert then stays silent). */
static int fail(lua_State *L, struct site *s, const char *path)
{
    int e = errno;
    const char *hint = text_disk_full(e) ? " (" DISK_FULL_HINT ")" : "";
    lua_pushnil(L);
    lua_pushfstring(L, "%s/%s: cannot write it: %s%s", s->opt.published, path, strerror(e), hint);
    if (!s->failed) rr_error("%s", lua_tostring(L, -1));
    s->failed = 1;
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
    if (write_in_site(s, path, text, len) != 0) return fail(L, s, path);
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
    if (rc != 0 || write_in_site(s, path, sb_str(&data), data.len) != 0) {
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
    for (size_t i = 0; from[i] && i < to_len && from[i] == to[i]; i++)
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

/* The workbook is costly to make and the same recipe gives the same bytes: when the published
 * site's was made from the same one, it is linked in instead of made again. */
struct workbook_recipe {
    const struct site *s;
    const char *path; /* FOLDER/register.xlsx */
    char hash[65];    /* of its recipe: the manifest's hash for it */
    int same;         /* the published site's workbook has this recipe */
};

/* export_keep_fn: only decides (it may run on the export's thread); the link is made by the
 * scripts' thread */
static int same_recipe(const char hash[65], void *data)
{
    struct workbook_recipe *w = data;
    memcpy(w->hash, hash, sizeof w->hash);
    const char *before = map_get(&w->s->published, w->path); /* read only, after the start */
    w->same = before && strcmp(before, w->hash) == 0;
    return w->same;
}

/* The data export on a thread of its own, begun with the build (lua_site_start_export) so that
 * it runs while the scripts render pages; site.export_data claims it. It reads the command's
 * connection, which nothing else uses during the build, in the build's read transaction. */
struct early_export {
    pthread_t thread;
    int running, claimed, rc;
    char *dir;              /* the site folder it fills */
    struct strbuf full;     /* that folder in the staging site */
    struct strbuf shown;    /* and where it will be published, for messages */
    struct strbuf workbook; /* FOLDER/register.xlsx */
    struct strbuf errors;   /* what it could not write, said when claimed */
    struct workbook_recipe recipe;
    struct site *s;
};

static int in_export_dir(const struct early_export *e, const char *path)
{
    size_t n = e && e->running ? strlen(e->dir) : 0;
    return n && strncmp(path, e->dir, n) == 0 && path[n] == '/';
}

static void *export_thread(void *arg)
{
    struct early_export *e = arg;
    e->rc = export_snapshot_quietly(e->s->opt.reg, e->s->opt.as_of, e->full.data, e->shown.data,
                                    same_recipe, &e->recipe, &e->errors);
    return NULL;
}

static void join_export(struct early_export *e)
{
    if (e && e->running) {
        pthread_join(e->thread, NULL);
        e->running = 0;
    }
}

/* The files of an export nobody claimed go: the site has only what its scripts asked for */
static void remove_unclaimed(struct early_export *e)
{
    join_export(e);
    if (!e || e->claimed) return;
    e->claimed = 1;
    for (int k = 0; k <= KIND_COUNT + 1; k++) {
        struct strbuf name = STRBUF_INIT, full = STRBUF_INIT;
        if (k < KIND_COUNT)
            sb_printf(&name, "%s/%s.csv", e->dir, model_kind(k)->name);
        else
            sb_printf(&name, "%s/register.%s", e->dir, k == KIND_COUNT ? "json" : "xlsx");
        sb_printf(&full, "%s/%s", e->s->opt.out_dir, name.data);
        if (!map_get(&e->s->files, name.data)) unlink(full.data); /* not a script's own file */
        sb_free(&name);
        sb_free(&full);
    }
    if (rmdir(e->full.data) == 0) /* when the scripts wrote nothing else there */
        forget_folder(e->s, e->dir);
}

static void free_export(struct early_export *e)
{
    if (!e) return;
    join_export(e);
    free(e->dir);
    sb_free(&e->full);
    sb_free(&e->shown);
    sb_free(&e->workbook);
    sb_free(&e->errors);
    free(e);
}

/* Make dir (site-relative) in the staging site, without following links; -1 when it cannot */
static int make_site_dir(struct site *s, const char *dir)
{
    const char *leaf;
    struct strbuf probe = STRBUF_INIT;
    sb_printf(&probe, "%s/.keep", dir);
    int dfd = open_parent(s, probe.data, &leaf); /* creates the folder */
    sb_free(&probe);
    return dfd < 0 ? -1 : 0;
}

int lua_site_start_export(struct host *h, const char *dir)
{
    struct site *s = site_of(host_state(h));
    if (s->early || make_site_dir(s, dir) != 0) return -1;
    struct early_export *e = xcalloc(1, sizeof *e);
    e->s = s;
    e->dir = xstrdup(dir);
    sb_printf(&e->full, "%s/%s", s->opt.out_dir, dir);
    sb_printf(&e->shown, "%s/%s", s->opt.published, dir);
    sb_printf(&e->workbook, "%s/register.xlsx", dir);
    e->recipe = (struct workbook_recipe){s, e->workbook.data, "", 0};
    if (pthread_create(&e->thread, NULL, export_thread, e) != 0) {
        free_export(e);
        return -1; /* site.export_data does it then */
    }
    e->running = 1;
    s->early = e;
    return 0;
}

/* The files of an export, in the site's list: a CSV file per kind and register.json (never
 * linked: they are cheap), the workbook by the hash of its recipe */
static void note_export(struct site *s, const char *dir, const char *workbook, const char *hash)
{
    for (int k = 0; k <= KIND_COUNT; k++) {
        struct strbuf name = STRBUF_INIT;
        if (k < KIND_COUNT)
            sb_printf(&name, "%s/%s.csv", dir, model_kind(k)->name);
        else
            sb_printf(&name, "%s/register.json", dir);
        note(s, name.data, NO_HASH);
        sb_free(&name);
    }
    note(s, workbook, hash);
}

/* site.export_data(folder): the register as of the build date, as CSV, JSON and XLSX */
static int site_export_data(lua_State *L)
{
    struct site *s = site_of(L);
    const char *dir = check_site_path(L, 1);
    struct early_export *e = s->early;
    if (e && !e->claimed && strcmp(e->dir, dir) == 0) { /* begun with the build: wait for it */
        join_export(e);
        e->claimed = 1;
        if (e->rc != 0) {
            if (!s->failed) fputs(sb_str(&e->errors), stderr);
            s->failed = 1;
            host_error_reported(host_from_state(L));
            lua_pushnil(L);
            lua_pushfstring(L, "%s/%s: cannot write the register's files", s->opt.published, dir);
            return 2;
        }
        if (!e->recipe.same || link_published(s, e->workbook.data) == 0) {
            note_export(s, dir, e->workbook.data, e->recipe.hash);
            lua_pushboolean(L, 1);
            return 1;
        }
        /* the published workbook went away meanwhile: made again below, with the rest */
    } else if (e) {
        remove_unclaimed(e);
    }
    struct strbuf full = STRBUF_INIT, shown = STRBUF_INIT, workbook = STRBUF_INIT;
    sb_printf(&full, "%s/%s", s->opt.out_dir, dir);
    sb_printf(&shown, "%s/%s", s->opt.published, dir);
    sb_printf(&workbook, "%s/register.xlsx", dir);
    struct workbook_recipe recipe = {s, workbook.data, "", 0};
    int made = make_site_dir(s, dir) == 0;
    int rc = made ? export_snapshot(s->opt.reg, s->opt.as_of, full.data, shown.data, same_recipe,
                                    &recipe)
                  : -1;
    if (rc == 0 && recipe.same && link_published(s, workbook.data) != 0) {
        recipe.same = 0; /* cannot link it: make it */
        rc = export_snapshot(s->opt.reg, s->opt.as_of, full.data, shown.data, NULL, NULL);
    }
    sb_free(&full);
    sb_free(&shown);
    if (rc != 0) {
        if (made) s->failed = 1; /* export_snapshot said what went wrong */
        sb_free(&workbook);
        return fail(L, s, dir);
    }
    note_export(s, dir, workbook.data, recipe.hash);
    sb_free(&workbook);
    lua_pushboolean(L, 1);
    return 1;
}

/* site.sha256(text) -> hex digest */
static int site_sha256(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_Digest(text, len, digest, &n, EVP_sha256(), NULL))
        return luaL_error(L, "riskreg.site.sha256: the digest failed");
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    text_hex(digest, n, hex);
    lua_pushlstring(L, hex, 2 * n);
    return 1;
}

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

/* site.json(value [, pretty]) -> text */
static int site_json(lua_State *L)
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

static const luaL_Reg site_functions[] = {{"write", site_write},
                                          {"json", site_json},
                                          {"copy", site_copy},
                                          {"link", site_link},
                                          {"export_data", site_export_data},
                                          {"sha256", site_sha256},
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

static void free_hash(const char *key, void *value, void *data)
{
    (void)key;
    (void)data;
    if (value != NO_HASH) free(value);
}

static int site_gc(lua_State *L)
{
    struct site *s = lua_touserdata(L, 1);
    free_export(s->early); /* joined first: it writes into the site */
    s->early = NULL;
    map_each(&s->files, free_hash, NULL);
    map_free(&s->files);
    map_each(&s->published, free_hash, NULL);
    map_free(&s->published);
    map_each(&s->dirs, close_folder, NULL);
    map_free(&s->dirs);
    return 0;
}

/* The published site's manifest: "HASH PATH" lines after the marker's first line. */
static void load_manifest(struct site *s)
{
    struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
    sb_printf(&path, "%s/%s", s->opt.published, SITE_MARKER_NAME);
    if (text_slurp(path.data, &text) == 0) {
        char *line = text.data;
        while (line && *line) {
            char *end = strchr(line, '\n');
            if (end) *end = '\0';
            if (strlen(line) > 66 && line[64] == ' ' && strspn(line, "0123456789abcdef") == 64) {
                line[64] = '\0';
                free_hash(NULL, map_put(&s->published, line + 65, xstrdup(line)), NULL);
            }
            line = end ? end + 1 : NULL;
        }
    }
    sb_free(&path);
    sb_free(&text);
}

struct manifest_writer {
    struct strbuf *out;
};

static void add_manifest_line(const char *key, void *value, void *data)
{
    struct manifest_writer *w = data;
    if (value != NO_HASH) sb_printf(w->out, "%s %s\n", (const char *)value, key);
}

int lua_site_finish(struct host *h)
{
    struct site *s = site_of(host_state(h));
    remove_unclaimed(s->early);
    struct strbuf text = STRBUF_INIT;
    sb_puts(&text, "built by riskreg; replaced whole by the next build. Content hashes:\n");
    struct manifest_writer w = {&text};
    map_each(&s->files, add_manifest_line, &w);
    struct strbuf path = STRBUF_INIT;
    sb_printf(&path, "%s/%s", s->opt.out_dir, SITE_MARKER_NAME);
    FILE *f = fopen(path.data, "w");
    int ok = f && fputs(sb_str(&text), f) >= 0;
    if (f && fclose(f) != 0) ok = 0;
    sb_free(&path);
    sb_free(&text);
    return ok ? 0 : -1;
}

int lua_site_register(struct host *h, const struct site_options *options)
{
    lua_State *L = host_state(h);
    struct site *s = lua_newuserdatauv(L, sizeof *s, 0);
    memset(s, 0, sizeof *s);
    s->opt = *options;
    load_manifest(s);
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
    return write_in_site(site_of(host_state(h)), path, data, len);
}

void lua_site_note_file(struct host *h, const char *path)
{
    note(site_of(host_state(h)), path, NO_HASH);
}

int lua_site_has_file(struct host *h, const char *path)
{
    struct site *s = site_of(host_state(h));
    const char *leaf;
    int dfd = open_parent(s, path, &leaf);
    if (dfd < 0) return 0;
    struct stat st;
    return fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

int lua_site_reuse(struct host *h, const char *path)
{
    struct site *s = site_of(host_state(h));
    int rc = link_published(s, path);
    struct strbuf old = STRBUF_INIT;
    if (rc != 0 && published_file(s, path, &old)) { /* another file system: copy it */
        struct strbuf data = STRBUF_INIT;
        rc =
            text_slurp(old.data, &data) == 0 ? write_in_site(s, path, sb_str(&data), data.len) : -1;
        sb_free(&data);
    }
    sb_free(&old);
    if (rc == 0) note(s, path, NO_HASH);
    return rc;
}

long lua_site_files_written(struct host *h)
{
    struct site *s = site_of(host_state(h));
    return s->failed ? -1 : (long)s->files.count;
}

static int open_config(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, CONFIG_KEY);
    return 1;
}

int lua_config_register(struct host *h, const struct config *cfg)
{
    lua_State *L = host_state(h);
    if (config_push_copy(cfg, L) != 0) return -1;
    lua_setfield(L, LUA_REGISTRYINDEX, CONFIG_KEY);
    lua_pushstring(L, cfg->config_path);
    lua_setfield(L, LUA_REGISTRYINDEX, HOST_CONFIG_PATH_KEY);
    host_add_module(h, "riskreg.config", open_config);
    return 0;
}
