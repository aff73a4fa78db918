/* lua_host.c - the sandboxed Lua 5.4 state that runs the report scripts.
 *
 * Scripts see the base library without dofile, loadfile, binary chunks and collectgarbage's
 * knobs; string (without dump), table, math, utf8 and os.time/date/clock; no io, no package, no
 * debug, no coroutines. Their globals live in one environment table that refuses to read or make
 * undefined names. require finds the host's modules and Lua files on the scripts path only. An
 * allocator caps memory and a count hook caps CPU time. An error is said at the customiser's own
 * line (the first frame outside the built-in scripts and templates), in one line. */
#include "lua_host.h"
#include "progress.h"
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#define HOOK_EVERY 100000 /* instructions between time checks */

struct host {
    lua_State *L;
    size_t limit, used, peak;
    int over_limit;
    double seconds;
    clockid_t clock; /* the CPU time of the thread the scripts run on (not the chart workers') */
    double started;
    char **dirs;
    int ndirs;
    char **assets;
    int nassets;
    int reported;     /* the error that stops the scripts has been reported already */
    int timed_out;    /* the CPU budget stopped the scripts */
    long clock_reads; /* calls of os.time, os.date and os.clock */
    char *cwd;        /* the current folder, to show a project's paths as the user opens them */
    char where[512];  /* the project's line last seen running, for a memory error: "FILE:LINE" */
};

static const char ENV_KEY[] = "riskreg.env";         /* registry: the scripts' _ENV */
static const char LOADED_KEY[] = "riskreg.loaded";   /* registry: modules already required */
static const char MODULES_KEY[] = "riskreg.modules"; /* registry: name -> C opener */
static const char HOST_KEY[] = "riskreg.host";
static const char SETTINGS_TEXT_KEY[] = "riskreg.settings_text"; /* registry: riskreg.lua's text */
static const char SETTINGS_TABLE_KEY[] = "riskreg.settings_table"; /* and the table it gives */

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct host *h = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        h->used -= old;
        return NULL;
    }
    if (nsize > old && h->used - old + nsize > h->limit) {
        h->over_limit = 1;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (!p) return NULL;
    h->used = h->used - old + nsize;
    if (h->used > h->peak) h->peak = h->used;
    return p;
}

struct host *host_from_state(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, HOST_KEY);
    struct host *h = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return h;
}

/* The line of riskreg.lua where a setting is written ("appetite = 12", "["appetite"] = 12"),
 * outside comments; 0 when it cannot be found. */
static int settings_line(const char *text, const char *key)
{
    size_t klen = strlen(key);
    int line = 1;
    for (const char *p = text; *p; line++) {
        size_t n = strcspn(p, "\n");
        const char *comment = NULL;
        for (const char *q = p; q + 1 < p + n; q++)
            if (q[0] == '-' && q[1] == '-') {
                comment = q;
                break;
            }
        const char *end = comment ? comment : p + n;
        for (const char *q = p; q + klen <= end; q++) {
            if (strncmp(q, key, klen) != 0) continue;
            int word_start = q == p || !(isalnum((unsigned char)q[-1]) || q[-1] == '_');
            const char *r = q + klen;
            if (q > p && (q[-1] == '"' || q[-1] == '\'') && r < end && *r == q[-1]) {
                word_start = 1; /* ["key"] = */
                r++;
                if (r < end && *r == ']') r++;
            } else if (r < end && (isalnum((unsigned char)*r) || *r == '_')) {
                continue;
            }
            while (r < end && (*r == ' ' || *r == '\t'))
                r++;
            if (word_start && r < end && *r == '=' && (r + 1 >= end || r[1] != '=')) return line;
        }
        p += n + (p[n] == '\n');
    }
    return 0;
}

/* ---- where an error is: the customiser's own line ---- */

/* A path as the user can open it from where riskreg runs: inside the current folder, relative. */
static const char *shown_path(const struct host *h, const char *path)
{
    size_t n = h->cwd ? strlen(h->cwd) : 0;
    if (n > 1 && strncmp(path, h->cwd, n) == 0 && path[n] == '/' && path[n + 1])
        return path + n + 1;
    return path;
}

static int under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* A file of riskreg's own: the built-in scripts and templates (the last folder of each path). */
static int is_builtin_file(const struct host *h, const char *path)
{
    return (h->ndirs > 0 && under(path, h->dirs[h->ndirs - 1])) ||
           (h->nassets > 0 && under(path, h->assets[h->nassets - 1]));
}

/* The chunk name of a file: the built-in ones by their full path (so they are known as such),
 * the project's as shown to the user. */
void host_chunk_name(struct host *h, const char *path, struct strbuf *out)
{
    sb_printf(out, "@%s", is_builtin_file(h, path) ? path : shown_path(h, path));
}

/* Does text begin with the path of one of the project's files (its scripts/, templates/ or
 * riskreg.lua) followed by ':'? */
static int names_project_file(lua_State *L, const struct host *h, const char *text)
{
    for (int i = 0; i < h->ndirs - 1; i++)
        if (under(text, shown_path(h, h->dirs[i])) || under(text, h->dirs[i])) return 1;
    for (int i = 0; i < h->nassets - 1; i++)
        if (under(text, shown_path(h, h->assets[i])) || under(text, h->assets[i])) return 1;
    int found = 0;
    if (lua_getfield(L, LUA_REGISTRYINDEX, HOST_CONFIG_PATH_KEY) == LUA_TSTRING) {
        const char *config = shown_path(h, lua_tostring(L, -1));
        size_t n = strlen(config);
        found = strncmp(text, config, n) == 0 && text[n] == ':';
    }
    lua_pop(L, 1);
    return found;
}

/* The first Lua frame from level on that is not riskreg's own (a project's script or template,
 * a chunk a script loaded, the score of riskreg.lua): its level, or -1. */
static int customiser_frame(lua_State *L, const struct host *h, int level, lua_Debug *ar)
{
    for (; lua_getstack(L, level, ar); level++) {
        if (!lua_getinfo(L, "Sl", ar) || strcmp(ar->what, "C") == 0) continue;
        if (ar->source[0] == '@' && is_builtin_file(h, ar->source + 1)) continue;
        return level;
    }
    return -1;
}

int host_customiser_running(lua_State *L)
{
    lua_Debug ar;
    return customiser_frame(L, host_from_state(L), 0, &ar) >= 0;
}

/* The setting a chunk made from riskreg.lua stands for ("=riskreg.lua score": "score"), or NULL */
static const char *setting_chunk(const lua_Debug *ar)
{
    static const char prefix[] = "=riskreg.lua ";
    return strncmp(ar->source, prefix, sizeof prefix - 1) == 0 ? ar->source + sizeof prefix - 1
                                                               : NULL;
}

/* Push "FILE:LINE" of a frame: a project file as the user opens it; a setting's chunk as the line
 * of riskreg.lua where the setting is written, and the setting's name. */
static void push_frame_location(lua_State *L, const struct host *h, const lua_Debug *ar)
{
    const char *key = setting_chunk(ar);
    if (key) {
        int line = 0;
        if (lua_getfield(L, LUA_REGISTRYINDEX, SETTINGS_TEXT_KEY) == LUA_TSTRING)
            line = settings_line(lua_tostring(L, -1), key);
        lua_getfield(L, LUA_REGISTRYINDEX, HOST_CONFIG_PATH_KEY);
        const char *path = lua_isstring(L, -1) ? shown_path(h, lua_tostring(L, -1)) : "riskreg.lua";
        if (line)
            lua_pushfstring(L, "%s:%d: %s", path, line, key);
        else
            lua_pushfstring(L, "%s: %s", path, key);
        lua_getfield(L, LUA_REGISTRYINDEX, SETTINGS_TABLE_KEY); /* the setting's text, if any */
        int type = LUA_TNIL;
        if (lua_istable(L, -1))
            type = lua_getfield(L, -1, key);
        else
            lua_pushnil(L);
        if (type == LUA_TSTRING)
            lua_pushfstring(L, "%s '%s'", lua_tostring(L, -3), lua_tostring(L, -1));
        else
            lua_pushvalue(L, -3);
        lua_replace(L, -6);
        lua_settop(L, lua_gettop(L) - 4);
    } else if (ar->source[0] == '@') {
        lua_pushfstring(L, "%s:%d", shown_path(h, ar->source + 1), ar->currentline);
    } else {
        lua_pushfstring(L, "%s:%d", ar->short_src, ar->currentline);
    }
}

void host_where(lua_State *L)
{
    struct host *h = host_from_state(L);
    lua_Debug ar;
    if (h && customiser_frame(L, h, 1, &ar) >= 0) {
        push_frame_location(L, h, &ar);
        lua_pushliteral(L, ": ");
        lua_concat(L, 2);
        return;
    }
    for (int level = 1; lua_getstack(L, level, &ar); level++)
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
    lua_pushliteral(L, "");
}

/* The message without a "FILE:LINE: " that names a frame near the error (luaL_error's, error()'s
 * or host_where's), which the report says again its own way. */
static const char *without_frame_location(lua_State *L, const struct host *h, const char *msg)
{
    lua_Debug ar;
    for (int level = 1, seen = 0; seen < 12 && lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
        seen++;
        char prefix[LUA_IDSIZE + 1024];
        const char *names[2] = {ar.short_src,
                                ar.source[0] == '@' ? shown_path(h, ar.source + 1) : NULL};
        for (int k = 0; k < 2; k++) {
            if (!names[k]) continue;
            int n = snprintf(prefix, sizeof prefix, "%s:%d: ", names[k], ar.currentline);
            if (n > 0 && (size_t)n < sizeof prefix && strncmp(msg, prefix, (size_t)n) == 0)
                return msg + n;
        }
    }
    return msg;
}

/* Push " (in the built-in template NAME:LINE)" when the error arose in one (a project's page
 * rendered it with variables it does not take), else "". */
static void push_builtin_template_line(lua_State *L, const struct host *h)
{
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar) || strcmp(ar.what, "C") == 0) continue;
        const char *dir = h->nassets > 0 ? h->assets[h->nassets - 1] : NULL;
        if (dir && ar.source[0] == '@' && under(ar.source + 1, dir)) {
            lua_pushfstring(L, " (in the built-in template %s:%d)", ar.source + 2 + strlen(dir),
                            ar.currentline);
            return;
        }
        break;
    }
    lua_pushliteral(L, "");
}

static int traceback_wanted(void)
{
    const char *v = getenv("RISKREG_TRACEBACK");
    return v && *v && strcmp(v, "0") != 0;
}

/* The message handler of every call into the scripts. A customiser's mistake is said in one
 * line at the customiser's own line: the first frame outside riskreg's built-in scripts and
 * templates (for an error a host function raised, the project line that called it), with the
 * record being rendered when a page builder named it ("FILE:LINE while rendering R-014: why").
 * An error wholly inside riskreg's own scripts keeps Lua's traceback; RISKREG_TRACEBACK=1 adds
 * it to every error. */
static int message_handler(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TTABLE && lua_getfield(L, 1, "settings") == LUA_TSTRING) {
        /* error { settings = why, key = "name" }: a mistake in riskreg.lua, said as one line
         * naming the file and where it can, the line of the key (the user's to fix, not the
         * script's: no traceback) */
        int line = 0;
        if (lua_getfield(L, 1, "key") == LUA_TSTRING &&
            lua_getfield(L, LUA_REGISTRYINDEX, SETTINGS_TEXT_KEY) == LUA_TSTRING)
            line = settings_line(lua_tostring(L, -1), lua_tostring(L, -2));
        lua_getfield(L, LUA_REGISTRYINDEX, HOST_CONFIG_PATH_KEY);
        const char *path = lua_isstring(L, -1) ? lua_tostring(L, -1) : "riskreg.lua";
        if (line)
            lua_pushfstring(L, "%s:%d: %s", path, line, lua_tostring(L, 2));
        else
            lua_pushfstring(L, "%s: %s", path, lua_tostring(L, 2));
        return 1;
    }
    const char *msg = lua_tostring(L, 1);
    if (!msg) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    struct host *h = host_from_state(L);
    int traceback = traceback_wanted();
    lua_Debug ar;
    const char *body = without_frame_location(L, h, msg);
    if (body == msg && names_project_file(L, h, msg)) {
        lua_pushstring(L, msg); /* it names the project's file already (a template's syntax) */
    } else if (customiser_frame(L, h, 1, &ar) >= 0) {
        push_frame_location(L, h, &ar);
        if (lua_getfield(L, LUA_REGISTRYINDEX, HOST_RENDERING_KEY) == LUA_TSTRING)
            lua_pushfstring(L, "%s while rendering %s", lua_tostring(L, -2), lua_tostring(L, -1));
        else
            lua_pushvalue(L, -2);
        lua_pushfstring(L, "%s: %s", lua_tostring(L, -1), body);
        push_builtin_template_line(L, h);
        lua_concat(L, 2);
    } else if (h->timed_out) {
        lua_pushstring(L, msg); /* the line of riskreg's own that was running */
    } else {
        traceback = 1; /* riskreg's own scripts failed: say where, for a report of the bug */
        lua_pushstring(L, msg);
    }
    if (traceback) luaL_traceback(L, L, lua_tostring(L, -1), 1);
    return 1;
}

/* The CPU time the scripts' thread has used, in seconds. */
static double thread_seconds(const struct host *h)
{
    struct timespec ts;
    if (clock_gettime(h->clock, &ts) != 0) return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every so many instructions: stop the scripts when their CPU time is spent, and note the
 * project's line that is running, for a memory error (the allocator cannot look at the stack). */
static void time_hook(lua_State *L, lua_Debug *ar)
{
    struct host *h = host_from_state(L);
    lua_Debug frame; /* written down without allocating: memory may be what runs out */
    if (customiser_frame(L, h, 0, &frame) < 0 || setting_chunk(&frame))
        h->where[0] = '\0';
    else
        snprintf(h->where, sizeof h->where, "%s:%d",
                 frame.source[0] == '@' ? shown_path(h, frame.source + 1) : frame.short_src,
                 frame.currentline);
    double spent = thread_seconds(h) - h->started;
    if (spent > h->seconds) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "the report scripts ran longer than %g s of CPU time (--script-timeout raises "
                 "the limit)",
                 h->seconds);
        h->timed_out = 1;
        /* the line running, not the hook's; the message handler says the project's */
        if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
            lua_pushfstring(L, "%s:%d: %s", ar->short_src, ar->currentline, msg);
        else
            lua_pushstring(L, msg);
        lua_error(L);
    }
}

/* One place that reports a failed call: "riskreg: FILE:LINE: message" (the handler's). */
static void report(struct host *h, int status)
{
    lua_State *L = h->L;
    if (status == LUA_ERRMEM || h->over_limit) {
        rr_error("%s%sthe report scripts need more than %zu MB of memory (--script-memory raises "
                 "the limit)",
                 h->where, h->where[0] ? ": " : "", h->limit >> 20);
    } else if (!h->reported) {
        const char *msg = lua_tostring(L, -1);
        rr_error("%s", msg ? msg : "the report scripts failed");
    }
    lua_pop(L, 1);
}

void host_error_reported(struct host *h)
{
    h->reported = 1;
}

int host_pcall(struct host *h, int nargs, int nresults)
{
    lua_State *L = h->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    int status = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    if (status != LUA_OK) {
        report(h, status);
        return -1;
    }
    return 0;
}

void host_push_env(struct host *h)
{
    lua_getfield(h->L, LUA_REGISTRYINDEX, ENV_KEY);
}

int host_load(struct host *h, const char *source, size_t len, const char *chunkname)
{
    lua_State *L = h->L;
    if (luaL_loadbufferx(L, source, len, chunkname, "t") != LUA_OK) return -1;
    host_push_env(h);
    lua_setupvalue(L, -2, 1);
    return 0;
}

/* ---- the scripts path ---- */

static int is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A file in one of the folders that really lies inside it (no symlink out). */
static char *find_in(char *const *dirs, int ndirs, const char *relative)
{
    for (int i = 0; i < ndirs; i++) {
        struct strbuf path = STRBUF_INIT;
        sb_printf(&path, "%s/%s", dirs[i], relative);
        char real[PATH_MAX], base[PATH_MAX];
        if (is_regular_file(path.data) && realpath(path.data, real) && realpath(dirs[i], base) &&
            strncmp(real, base, strlen(base)) == 0 && real[strlen(base)] == '/')
            return sb_take(&path);
        sb_free(&path);
    }
    return NULL;
}

char *host_find_script(struct host *h, const char *relative)
{
    return find_in(h->dirs, h->ndirs, relative);
}

char *host_find_asset(struct host *h, const char *relative)
{
    return find_in(h->assets, h->nassets, relative);
}

const char *host_project_templates(struct host *h)
{
    return h->nassets > 1 ? shown_path(h, h->assets[0]) : NULL;
}

void host_set_asset_dirs(struct host *h, const char *const *dirs, int ndirs)
{
    h->assets = xcalloc((size_t)ndirs + 1, sizeof *h->assets);
    for (int i = 0; i < ndirs; i++)
        h->assets[h->nassets++] = xstrdup(dirs[i]);
}

static int load_file(struct host *h, const char *path)
{
    struct strbuf text = STRBUF_INIT, chunkname = STRBUF_INIT;
    if (text_read_file(path, &text) != 0) {
        lua_pushfstring(h->L, "%s: cannot read the file", path);
        return -1;
    }
    host_chunk_name(h, path, &chunkname);
    int rc = host_load(h, sb_str(&text), text.len, chunkname.data);
    sb_free(&text);
    sb_free(&chunkname);
    return rc;
}

int host_run_file(struct host *h, const char *path)
{
    /* a memory error names at least the project's script that was running */
    snprintf(h->where, sizeof h->where, "%s", is_builtin_file(h, path) ? "" : shown_path(h, path));
    if (load_file(h, path) != 0) {
        report(h, LUA_ERRSYNTAX);
        return -1;
    }
    return host_pcall(h, 0, 0);
}

int host_run_script(struct host *h, const char *name)
{
    char *path = host_find_script(h, name);
    if (!path) {
        rr_error("no %s on the scripts path (%s%s%s)", name, h->dirs[0], h->ndirs > 1 ? ", " : "",
                 h->ndirs > 1 ? h->dirs[h->ndirs - 1] : "");
        return -1;
    }
    int rc = host_run_file(h, path);
    free(path);
    return rc;
}

/* ---- require ---- */

void host_add_module(struct host *h, const char *name, lua_CFunction open)
{
    lua_getfield(h->L, LUA_REGISTRYINDEX, MODULES_KEY);
    lua_pushcfunction(h->L, open);
    lua_setfield(h->L, -2, name);
    lua_pop(h->L, 1);
}

/* "riskreg.register" -> "lib/register.lua"; "lib.format" -> "lib/format.lua" */
static int module_file(const char *name, struct strbuf *out)
{
    size_t n = strlen(name);
    if (n == 0 || n > 100 || name[0] == '.' || name[n - 1] == '.' || strstr(name, "..")) return -1;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '.')) return -1;
    if (strncmp(name, "riskreg.", 8) == 0) {
        sb_puts(out, "lib/");
        name += 8;
    }
    for (const char *p = name; *p; p++)
        sb_putc(out, *p == '.' ? '/' : *p);
    sb_puts(out, ".lua");
    return 0;
}

static int sandbox_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    lua_settop(L, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, LOADED_KEY); /* 2 */
    if (lua_getfield(L, 2, name) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    struct host *h = host_from_state(L);
    lua_getfield(L, LUA_REGISTRYINDEX, MODULES_KEY);
    if (lua_getfield(L, -1, name) == LUA_TFUNCTION) {
        lua_call(L, 0, 1); /* a host module: its opener cannot fail but by raising */
    } else {
        lua_pop(L, 2);
        struct strbuf rel = STRBUF_INIT;
        if (module_file(name, &rel) != 0) {
            sb_free(&rel);
            return luaL_error(L,
                              "require: '%s' is not a module name (letters, digits, '_' and "
                              "'.' only)",
                              name);
        }
        char *path = host_find_script(h, rel.data);
        if (!path) {
            struct strbuf msg = STRBUF_INIT;
            sb_printf(&msg, "require: module '%s' not found: no %s on the scripts path (", name,
                      rel.data);
            for (int i = 0; i < h->ndirs; i++)
                sb_printf(&msg, "%s%s", i ? ", " : "", h->dirs[i]);
            sb_puts(&msg, "); report scripts can require only Lua files there");
            sb_free(&rel);
            lua_pushstring(L, sb_str(&msg));
            sb_free(&msg);
            return luaL_error(L, "%s", lua_tostring(L, -1)); /* with the caller's FILE:LINE */
        }
        sb_free(&rel);
        int rc = load_file(h, path);
        free(path);
        if (rc != 0) return lua_error(L);
        lua_pushvalue(L, 1);
        lua_call(L, 1, 1);
    }
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, 2, name);
    return 1;
}

/* ---- the base library, trimmed ---- */

static int sandbox_load(lua_State *L)
{
    /* load(chunk [, chunkname [, mode [, env]]]) with mode forced to text and env defaulting to
     * the scripts' environment */
    int has_env = lua_gettop(L) >= 4;
    lua_settop(L, 4);
    lua_pushvalue(L, lua_upvalueindex(1)); /* the original load */
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushliteral(L, "t");
    if (has_env)
        lua_pushvalue(L, 4);
    else
        lua_getfield(L, LUA_REGISTRYINDEX, ENV_KEY);
    lua_call(L, 4, 2);
    return 2;
}

static int sandbox_print(lua_State *L)
{
    int n = lua_gettop(L);
    struct strbuf line = STRBUF_INIT;
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *s = luaL_tolstring(L, i, &len);
        if (i > 1) sb_putc(&line, '\t');
        sb_add(&line, s, len);
        lua_pop(L, 1);
    }
    sb_putc(&line, '\n');
    progress_print(sb_str(&line));
    sb_free(&line);
    return 0;
}

static int sandbox_collectgarbage(lua_State *L)
{
    const char *opt = luaL_optstring(L, 1, "collect");
    if (strcmp(opt, "count") == 0) {
        lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT) + lua_gc(L, LUA_GCCOUNTB) / 1024.0);
        return 1;
    }
    if (strcmp(opt, "collect") == 0) {
        lua_gc(L, LUA_GCCOLLECT);
        lua_pushinteger(L, 0);
        return 1;
    }
    return luaL_error(L, "collectgarbage('%s') is not available to report scripts", opt);
}

static int strict_index(lua_State *L)
{
    return luaL_error(L, "undefined global '%s'", lua_tostring(L, 2));
}

static int strict_newindex(lua_State *L)
{
    return luaL_error(L,
                      "assignment to undefined global '%s' (report scripts use locals; a module "
                      "returns its table)",
                      lua_tostring(L, 2));
}

static void copy_fields(lua_State *L, int from, int to, const char *const *names)
{
    for (int i = 0; names[i]; i++) {
        lua_getfield(L, from, names[i]);
        lua_setfield(L, to, names[i]);
    }
}

/* os.time, os.date and os.clock: the os library's own, counting each call as a look at the clock
 * (a page made while a script looked may differ at every build: host_clock_reads). */
static int clock_read(lua_State *L)
{
    host_from_state(L)->clock_reads++;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* Build the scripts' environment from the opened libraries. */
static void make_env(lua_State *L)
{
    static const char *const base[] = {"assert",       "error",    "ipairs",   "next",
                                       "pairs",        "pcall",    "rawequal", "rawget",
                                       "rawlen",       "rawset",   "select",   "setmetatable",
                                       "getmetatable", "tonumber", "tostring", "type",
                                       "xpcall",       "_VERSION", NULL};
    static const char *const os_fields[] = {"time", "date", "clock", NULL};
    lua_newtable(L); /* env */
    int env = lua_gettop(L);
    luaL_requiref(L, "_G", luaopen_base, 0);
    copy_fields(L, -1, env, base);
    lua_getfield(L, -1, "load");
    lua_pushcclosure(L, sandbox_load, 1);
    lua_setfield(L, env, "load");
    lua_pop(L, 1);
    lua_pushcfunction(L, sandbox_print);
    lua_setfield(L, env, "print");
    lua_pushcfunction(L, sandbox_collectgarbage);
    lua_setfield(L, env, "collectgarbage");
    lua_pushcfunction(L, sandbox_require);
    lua_setfield(L, env, "require");

    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump"); /* gone from the table strings index, too */
    lua_setfield(L, env, "string");
    /* getmetatable("") must not hand out the strings' metatable */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
    lua_setfield(L, env, "table");
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);
    lua_setfield(L, env, "math");
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);
    lua_setfield(L, env, "utf8");
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
    lua_newtable(L);
    for (int i = 0; os_fields[i]; i++) { /* each noted as a look at the clock */
        lua_getfield(L, -2, os_fields[i]);
        lua_pushcclosure(L, clock_read, 1);
        lua_setfield(L, -2, os_fields[i]);
    }
    lua_setfield(L, env, "os");
    lua_pop(L, 1);
    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");

    lua_newtable(L); /* strict globals */
    lua_pushcfunction(L, strict_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, strict_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, env);
    lua_setfield(L, LUA_REGISTRYINDEX, ENV_KEY);
}

void host_set_limits(struct host *h, const struct host_limits *limits)
{
    h->limit = limits->memory_bytes;
    h->seconds = limits->seconds;
}

struct host *host_new(const struct host_limits *limits, const char *const *script_dirs, int ndirs)
{
    struct host *h = xcalloc(1, sizeof *h);
    h->limit = limits->memory_bytes;
    h->seconds = limits->seconds;
    h->dirs = xcalloc((size_t)ndirs, sizeof *h->dirs);
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) h->cwd = xstrdup(cwd);
    for (int i = 0; i < ndirs; i++)
        h->dirs[h->ndirs++] = xstrdup(script_dirs[i]);
    h->L = lua_newstate(limited_alloc, h);
    if (!h->L) {
        host_free(h);
        return NULL;
    }
    lua_State *L = h->L;
    /* Incremental, starting a cycle when the heap has grown by 20 % and working fast: the
     * model lives for the whole build, and the generational mode's major collections at twice
     * the live heap made a large register's build half as big again for no speed (measured) */
    lua_gc(L, LUA_GCINC, 120, 1000, 0);
    lua_pushlightuserdata(L, h);
    lua_setfield(L, LUA_REGISTRYINDEX, HOST_KEY);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LOADED_KEY);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, MODULES_KEY);
    make_env(L);
    if (pthread_getcpuclockid(pthread_self(), &h->clock) != 0) h->clock = CLOCK_THREAD_CPUTIME_ID;
    h->started = thread_seconds(h);
    lua_sethook(L, time_hook, LUA_MASKCOUNT, HOOK_EVERY);
    return h;
}

lua_State *host_state(struct host *h)
{
    return h->L;
}

long host_clock_reads(struct host *h)
{
    return h->clock_reads;
}

size_t host_memory_peak(struct host *h)
{
    return h->peak;
}

void host_free(struct host *h)
{
    if (!h) return;
    if (h->L) lua_close(h->L);
    for (int i = 0; i < h->ndirs; i++)
        free(h->dirs[i]);
    free(h->dirs);
    for (int i = 0; i < h->nassets; i++)
        free(h->assets[i]);
    free(h->assets);
    free(h->cwd);
    free(h);
}

/* ---- riskreg.lua: the settings, as data ---- */

#define SETTINGS_MEMORY (8u << 20)
#define SETTINGS_INSTRUCTIONS 1000000

static void settings_budget_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    luaL_error(L, "riskreg.lua runs too long: a configuration file holds data, not loops");
}

static int settings_module(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, SETTINGS_TABLE_KEY);
    return 1;
}

int host_load_settings(struct host *h, const char *path)
{
    lua_State *L = h->L;
    struct strbuf text = STRBUF_INIT, chunkname = STRBUF_INIT;
    if (text_read_file(path, &text) != 0) return -1;
    lua_pushstring(L, path);
    lua_setfield(L, LUA_REGISTRYINDEX, HOST_CONFIG_PATH_KEY);
    lua_pushlstring(L, sb_str(&text), text.len);
    lua_setfield(L, LUA_REGISTRYINDEX, SETTINGS_TEXT_KEY);
    sb_printf(&chunkname, "@%s", path);
    int status = luaL_loadbufferx(L, sb_str(&text), text.len, chunkname.data, "t");
    sb_free(&text);
    sb_free(&chunkname);
    if (status != LUA_OK) {
        rr_error("%s (riskreg.lua must be a Lua table of settings)", lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    /* an environment of its own with nothing in it: assignments land there, and the chunk can
     * build tables but reach nothing; a small budget of memory and instructions */
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setupvalue(L, -3, 1);
    lua_insert(L, -2);
    size_t limit = h->limit;
    h->limit = h->used + SETTINGS_MEMORY < limit ? h->used + SETTINGS_MEMORY : limit;
    lua_sethook(L, settings_budget_hook, LUA_MASKCOUNT, SETTINGS_INSTRUCTIONS);
    int base = lua_gettop(L);
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    status = lua_pcall(L, 0, 1, base);
    lua_remove(L, base);
    lua_sethook(L, time_hook, LUA_MASKCOUNT, HOOK_EVERY);
    h->limit = limit;
    if (status != LUA_OK) {
        if (status == LUA_ERRMEM || h->over_limit)
            rr_error("%s: riskreg.lua needs more than %u MB: a configuration file holds settings, "
                     "not data",
                     path, SETTINGS_MEMORY >> 20);
        else
            rr_error("%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "riskreg.lua failed");
        h->over_limit = 0;
        lua_pop(L, 2);
        return -1;
    }
    /* `return { ... }`, or plain assignments */
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
    } else if (!lua_istable(L, -1)) {
        rr_error("%s: riskreg.lua must return a table of settings (it returns a %s)", path,
                 luaL_typename(L, -1));
        lua_pop(L, 2);
        return -1;
    } else {
        lua_remove(L, -2);
    }
    lua_setfield(L, LUA_REGISTRYINDEX, SETTINGS_TABLE_KEY);
    host_add_module(h, "riskreg.config", settings_module);
    return 0;
}
