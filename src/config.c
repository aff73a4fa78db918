/* config.c - the project: where it is, and what riskreg.lua says the C side needs.
 *
 * riskreg.lua is data: it runs in a Lua state with no libraries at all, a small memory cap and an
 * instruction budget, so a configuration file can build tables but not reach anything. */
#include "config.h"
#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#define CONFIG_MEMORY_LIMIT (8u << 20)
#define CONFIG_INSTRUCTION_LIMIT 1000000

static const char *const default_likelihood[MATRIX_MAX + 1][MATRIX_MAX] = {
    [3] = {"Unlikely", "Possible", "Likely"},
    [4] = {"Rare", "Unlikely", "Likely", "Almost certain"},
    [5] = {"Rare", "Unlikely", "Possible", "Likely", "Almost certain"},
    [6] = {"Very rare", "Rare", "Unlikely", "Possible", "Likely", "Almost certain"},
};
static const char *const default_impact[MATRIX_MAX + 1][MATRIX_MAX] = {
    [3] = {"Minor", "Moderate", "Major"},
    [4] = {"Minor", "Moderate", "Major", "Severe"},
    [5] = {"Negligible", "Minor", "Moderate", "Major", "Severe"},
    [6] = {"Negligible", "Minor", "Moderate", "Significant", "Major", "Severe"},
};

/* riskreg.lua at path: 1 a readable file; 0 none there; -1 something riskreg cannot use, said */
static int settings_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return 0;
        rr_error("%s: cannot read it: %s; check the permissions of its folder", path,
                 strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        rr_error("%s: is %s, not a file; move it away (a register's settings are a file)", path,
                 S_ISDIR(st.st_mode) ? "a folder" : "not a regular file");
        return -1;
    }
    if (access(path, R_OK) != 0) {
        rr_error("%s: cannot read it: %s; check the permissions", path, strerror(errno));
        return -1;
    }
    return 1;
}

static void set_paths(struct config *cfg, const char *dir)
{
    struct strbuf sb = STRBUF_INIT;
    cfg->dir = xstrdup(dir);
    sb_printf(&sb, "%s/riskreg.lua", dir);
    cfg->config_path = sb_take(&sb);
    sb_printf(&sb, "%s/register.db", dir);
    cfg->db_path = sb_take(&sb);
}

int config_find(const char *explicit_dir, struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    const char *dir = explicit_dir;
    const char *how = "-C";
    if (!dir || !*dir) {
        dir = getenv("RISKREG_DIR");
        how = "RISKREG_DIR";
    }
    if (dir && *dir) {
        set_paths(cfg, dir);
        int found = settings_file(cfg->config_path);
        if (found == 1) return 0;
        if (found == 0)
            rr_error("%s: no riskreg.lua here (from %s); create a register with 'riskreg init %s'",
                     dir, how, dir);
        config_free(cfg);
        return -1;
    }
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) {
        rr_error("cannot read the current folder: %s", strerror(errno));
        return -1;
    }
    struct strbuf sb = STRBUF_INIT;
    for (;;) {
        sb_reset(&sb);
        sb_printf(&sb, "%s/riskreg.lua", cwd);
        int found = settings_file(sb.data); /* one it cannot use stops the search: said */
        if (found < 0) {
            sb_free(&sb);
            return -1;
        }
        if (found) break;
        char *slash = strrchr(cwd, '/');
        if (!slash || slash == cwd) {
            sb_free(&sb);
            rr_error("no register here: no riskreg.lua in this folder or above it; create one with "
                     "'riskreg init DIR', or name one with -C DIR");
            return -1;
        }
        *slash = '\0';
    }
    sb_free(&sb);
    set_paths(cfg, cwd);
    return 0;
}

static const double default_maxima[MATRIX_MAX + 1][4] = {
    [3] = {2, 4, 6, 9}, [4] = {3, 6, 11, 16}, [5] = {4, 9, 16, 25}, [6] = {6, 12, 24, 36}};
static const char *const default_level_names[4] = {"Low", "Medium", "High", "Critical"};
/* scripts/lib/scoring.lua's default band colours, for bands riskreg.lua gives none */
static const unsigned default_level_colours[4] = {0xd9f0d3, 0xfee08b, 0xf4a261, 0xc0392b};

static void free_levels(struct config *cfg)
{
    for (int i = 0; i < cfg->nlevels; i++) free(cfg->levels[i].name);
    cfg->nlevels = 0;
}

const struct config_level *config_level_for_score(const struct config *cfg, double score)
{
    if (!cfg->score_is_product || cfg->nlevels == 0) return NULL;
    for (int i = 0; i < cfg->nlevels; i++)
        if (score <= cfg->levels[i].max) return &cfg->levels[i];
    return &cfg->levels[cfg->nlevels - 1];
}

const char *config_level_name(const struct config *cfg, long score)
{
    const struct config_level *level = config_level_for_score(cfg, (double)score);
    return level ? level->name : NULL;
}

void config_set_defaults(struct config *cfg, int size)
{
    free_levels(cfg);
    for (int i = 0; i < 4; i++)
        cfg->levels[i] = (struct config_level){xstrdup(default_level_names[i]),
                                               default_maxima[size][i], default_level_colours[i]};
    cfg->nlevels = 4;
    cfg->score_is_product = 1;
    cfg->matrix_size = size;
    for (int i = 0; i < MATRIX_MAX; i++) {
        free(cfg->likelihood_labels[i]);
        free(cfg->impact_labels[i]);
        cfg->likelihood_labels[i] = i < size ? xstrdup(default_likelihood[size][i]) : NULL;
        cfg->impact_labels[i] = i < size ? xstrdup(default_impact[size][i]) : NULL;
    }
    if (!cfg->review_every_days) cfg->review_every_days = 90;
}

struct limits {
    size_t used;
};

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct limits *lim = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        lim->used -= old;
        return NULL;
    }
    if (nsize > old && lim->used - old + nsize > CONFIG_MEMORY_LIMIT) return NULL;
    void *p = realloc(ptr, nsize);
    if (p) lim->used = lim->used - old + nsize;
    return p;
}

static void budget_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    luaL_error(L, "riskreg.lua runs too long: a configuration file holds data, not loops");
}

static int message_handler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg) msg = "(error object is not a string)";
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* Read field `name` of the table on top of the stack; pushes it. */
static int get_field(lua_State *L, int table, const char *name)
{
    return lua_getfield(L, table, name);
}

/* A band's colour, "#rrggbb" as colour (or color), else the fallback (as scoring.lua reads it) */
static int config_error(const struct config *cfg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int config_error(const struct config *cfg, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    rr_error("%s: %s", cfg->config_path, sb_str(&sb));
    sb_free(&sb);
    return -1;
}

static int read_labels(lua_State *L, struct config *cfg, int matrix, const char *axis,
                       char **labels)
{
    int t = get_field(L, matrix, axis);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TTABLE)
        return config_error(cfg, "matrix.%s must be a list of %d labels", axis, cfg->matrix_size);
    lua_Integer n = luaL_len(L, -1);
    if (n != cfg->matrix_size)
        return config_error(cfg, "matrix.%s must have one label per rating of the matrix (%d)",
                            axis, cfg->matrix_size);
    for (int i = 1; i <= n; i++) {
        if (lua_geti(L, -1, i) != LUA_TSTRING || !*lua_tostring(L, -1)) {
            lua_pop(L, 2);
            return config_error(cfg, "matrix.%s[%d] must be a non-empty string", axis, i);
        }
        free(labels[i - 1]);
        labels[i - 1] = xstrdup(lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return 0;
}

/* A band's colour ("colour" or "color"): 0xRRGGBB, fallback when it has none, -1 when it is
 * not a colour. Pops nothing. */
static long band_colour(lua_State *L, int band, unsigned fallback)
{
    if (get_field(L, band, "colour") == LUA_TNIL) {
        lua_pop(L, 1);
        get_field(L, band, "color");
    }
    long colour = fallback;
    if (!lua_isnil(L, -1)) {
        const char *text = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
        colour = text[0] == '#' && strlen(text) == 7 &&
                         strspn(text + 1, "0123456789abcdefABCDEF") == 6
                     ? strtol(text + 1, NULL, 16)
                     : -1;
    }
    lua_pop(L, 1);
    return colour;
}

/* levels = { { name = "Low", max = 4, colour = "#d9f0d3" }, ... }, lowest first */
static int read_levels(lua_State *L, struct config *cfg, int conf)
{
    int t = get_field(L, conf, "levels");
    int levels = lua_gettop(L);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    lua_Integer n = t == LUA_TTABLE ? luaL_len(L, levels) : 0;
    if (n < 2 || n > CONFIG_MAX_LEVELS)
        return config_error(cfg, "levels must be a list of 2 to %d bands such as { name = \"Low\", "
                                 "max = 4, colour = \"#d9f0d3\" }",
                            CONFIG_MAX_LEVELS);
    struct config_level bands[CONFIG_MAX_LEVELS];
    const char *why = NULL;
    int i;
    for (i = 0; i < n; i++) {
        if (lua_geti(L, levels, i + 1) != LUA_TTABLE) {
            why = "must be a table with name, max and colour";
            break;
        }
        int band = lua_gettop(L);
        long colour = band_colour(L, band, default_level_colours[i < 4 ? i : 3]);
        int name_type = get_field(L, band, "name");
        int max_type = get_field(L, band, "max");
        if (name_type != LUA_TSTRING || lua_rawlen(L, -2) == 0)
            why = ".name must be a string";
        else if (max_type != LUA_TNUMBER)
            why = ".max must be a number (the highest score in the band)";
        else if (i > 0 && lua_tonumber(L, -1) <= bands[i - 1].max)
            why = ".max must be above the band before it";
        else if (colour < 0)
            why = ".colour must be a colour such as \"#f4a261\"";
        else
            bands[i] = (struct config_level){NULL, lua_tonumber(L, -1), (unsigned)colour};
        if (!why) bands[i].name = xstrdup(lua_tostring(L, -2));
        lua_settop(L, levels);
        if (why) break;
    }
    if (why) {
        for (int k = 0; k < i; k++) free(bands[k].name);
        lua_pop(L, 1);
        return config_error(cfg, "levels[%d]%s%s", i + 1, why[0] == '.' ? "" : " ", why);
    }
    free_levels(cfg);
    for (int k = 0; k < n; k++) cfg->levels[k] = bands[k];
    cfg->nlevels = (int)n;
    lua_pop(L, 1);
    return 0;
}

static int read_config_table(lua_State *L, struct config *cfg, int conf)
{
    int size = 5;
    int t = get_field(L, conf, "matrix");
    int matrix = lua_gettop(L);
    if (t != LUA_TNIL && t != LUA_TTABLE)
        return config_error(cfg, "matrix must be a table such as { size = 5 }");
    if (t == LUA_TTABLE) {
        int st = get_field(L, matrix, "size");
        if (st != LUA_TNIL) {
            if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < MATRIX_MIN ||
                lua_tointeger(L, -1) > MATRIX_MAX) {
                const char *got = lua_isnumber(L, -1) ? lua_tostring(L, -1) : luaL_typename(L, -1);
                return config_error(
                    cfg, "matrix.size must be a whole number from 3 to 6 (it is %s)", got);
            }
            size = (int)lua_tointeger(L, -1);
        }
        lua_pop(L, 1);
    }
    config_set_defaults(cfg, size);
    if (t == LUA_TTABLE) {
        if (read_labels(L, cfg, matrix, "likelihood", cfg->likelihood_labels) ||
            read_labels(L, cfg, matrix, "impact", cfg->impact_labels))
            return -1;
    }
    lua_pop(L, 1);

    /* the level bands, checked here as the build's scripts/lib/scoring.lua checks them, so that
     * every command (not only build) says what is wrong; used for the summaries write commands
     * print and the XLSX export's colours */
    if (read_levels(L, cfg, conf) != 0) return -1;
    t = get_field(L, conf, "score");
    if (t == LUA_TSTRING) {
        char key[64];
        text_name_key(lua_tostring(L, -1), key, sizeof key);
        cfg->score_is_product = strcmp(key, "likelihoodimpact") == 0;
    }
    lua_pop(L, 1);

    t = get_field(L, conf, "name");
    if (t == LUA_TSTRING)
        cfg->name = xstrdup(lua_tostring(L, -1));
    else if (t != LUA_TNIL)
        return config_error(cfg, "name must be a string (it is a %s)", luaL_typename(L, -1));
    lua_pop(L, 1);

    t = get_field(L, conf, "review");
    if (t == LUA_TTABLE) {
        if (get_field(L, -1, "every_days") != LUA_TNIL) {
            if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > 3660)
                return config_error(cfg, "review.every_days must be a whole number of days "
                                         "from 1 to 3660");
            cfg->review_every_days = (int)lua_tointeger(L, -1);
        }
        lua_pop(L, 1);
    } else if (t != LUA_TNIL) {
        return config_error(cfg, "review must be a table such as { every_days = 90 }");
    }
    lua_pop(L, 1);
    return 0;
}

/* Run riskreg.lua in a bare state; on success the settings table is on top of the stack. */
static lua_State *run_config(const struct config *cfg, struct limits *lim)
{
    lua_State *L = lua_newstate(limited_alloc, lim);
    if (!L) {
        rr_error("out of memory");
        return NULL;
    }
    struct strbuf chunkname = STRBUF_INIT, text = STRBUF_INIT;
    sb_printf(&chunkname, "@%s", cfg->config_path);
    int ok = text_read_file(cfg->config_path, &text) == 0;
    lua_pushcfunction(L, message_handler);
    if (ok && luaL_loadbufferx(L, sb_str(&text), text.len, chunkname.data, "t") != LUA_OK) {
        rr_error("%s (riskreg.lua must be a Lua table of settings)", lua_tostring(L, -1));
        ok = 0;
    }
    sb_free(&text);
    sb_free(&chunkname);
    if (ok) {
        lua_newtable(L); /* the chunk's _ENV: assignments land here */
        lua_pushvalue(L, -1);
        lua_setupvalue(L, -3, 1);
        lua_insert(L, -2);
        lua_sethook(L, budget_hook, LUA_MASKCOUNT, CONFIG_INSTRUCTION_LIMIT);
        if (lua_pcall(L, 0, 1, 1) != LUA_OK) {
            const char *msg = lua_tostring(L, -1);
            if (lim->used + 1024 > CONFIG_MEMORY_LIMIT || !msg)
                rr_error("%s: riskreg.lua needs more than %u MB: a configuration file holds "
                         "settings, not data",
                         cfg->config_path, CONFIG_MEMORY_LIMIT >> 20);
            else
                rr_error("%s", msg);
            ok = 0;
        }
    }
    if (ok) {
        lua_sethook(L, NULL, 0, 0);
        /* `return { ... }`, or plain assignments */
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
        } else if (!lua_istable(L, -1)) {
            rr_error("%s: riskreg.lua must return a table of settings (it returns a %s)",
                     cfg->config_path, luaL_typename(L, -1));
            ok = 0;
        }
    }
    if (!ok) {
        lua_close(L);
        return NULL;
    }
    return L;
}

int config_load(struct config *cfg)
{
    struct limits lim = {0};
    lua_State *L = run_config(cfg, &lim);
    if (!L) return -1;
    int rc = read_config_table(L, cfg, lua_gettop(L));
    lua_close(L);
    if (rc == 0 && !cfg->matrix_size) config_set_defaults(cfg, 5);
    return rc;
}

/* Copy the value at idx of `from` onto `to`: tables, strings, numbers and booleans only. */
static int copy_value(const struct config *cfg, lua_State *from, int idx, lua_State *to,
                      int depth, struct strbuf *where)
{
    idx = lua_absindex(from, idx);
    switch (lua_type(from, idx)) {
    case LUA_TNIL:
        lua_pushnil(to);
        return 0;
    case LUA_TBOOLEAN:
        lua_pushboolean(to, lua_toboolean(from, idx));
        return 0;
    case LUA_TNUMBER:
        if (lua_isinteger(from, idx))
            lua_pushinteger(to, lua_tointeger(from, idx));
        else
            lua_pushnumber(to, lua_tonumber(from, idx));
        return 0;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(from, idx, &len);
        lua_pushlstring(to, s, len);
        return 0;
    }
    case LUA_TTABLE:
        break;
    default:
        return config_error(cfg, "%s is a %s; settings are data (a score function is written as "
                                 "a string, e.g. score = \"likelihood * impact\")",
                            where->len ? where->data : "the file", luaL_typename(from, idx));
    }
    if (depth > 16) return config_error(cfg, "%s nests too deeply", sb_str(where));
    lua_newtable(to);
    lua_pushnil(from);
    while (lua_next(from, idx)) {
        size_t mark = where->len;
        if (lua_type(from, -2) == LUA_TSTRING)
            sb_printf(where, "%s%s", where->len ? "." : "", lua_tostring(from, -2));
        else if (lua_isinteger(from, -2))
            sb_printf(where, "[%lld]", (long long)lua_tointeger(from, -2));
        if (copy_value(cfg, from, -2, to, depth + 1, where) != 0 ||
            copy_value(cfg, from, -1, to, depth + 1, where) != 0) {
            lua_pop(from, 2);
            return -1;
        }
        lua_rawset(to, -3);
        lua_pop(from, 1);
        where->len = mark;
        if (where->data) where->data[mark] = '\0';
    }
    return 0;
}

int config_push_copy(const struct config *cfg, lua_State *to)
{
    struct limits lim = {0};
    lua_State *L = run_config(cfg, &lim);
    if (!L) return -1;
    struct strbuf where = STRBUF_INIT;
    int rc = copy_value(cfg, L, lua_gettop(L), to, 0, &where);
    sb_free(&where);
    lua_close(L);
    return rc;
}

void config_free(struct config *cfg)
{
    free(cfg->dir);
    free(cfg->config_path);
    free(cfg->db_path);
    free(cfg->name);
    free_levels(cfg);
    for (int i = 0; i < MATRIX_MAX; i++) {
        free(cfg->likelihood_labels[i]);
        free(cfg->impact_labels[i]);
    }
    memset(cfg, 0, sizeof *cfg);
}

const char *config_template(void)
{
    return "-- riskreg.lua: settings for this register (a Lua table; data only).\n"
           "-- Every setting is optional; the values shown are the defaults.\n"
           "return {\n"
           "  name = \"Our service management system\",\n"
           "\n"
           "  -- The risk matrix: 3 to 6 rows, with a label for each rating.\n"
           "  matrix = {\n"
           "    size = 5,\n"
           "    likelihood = { \"Rare\", \"Unlikely\", \"Possible\", \"Likely\", \"Almost "
           "certain\" },\n"
           "    impact = { \"Negligible\", \"Minor\", \"Moderate\", \"Major\", \"Severe\" },\n"
           "  },\n"
           "\n"
           "  -- Level bands by residual score (likelihood x impact), lowest first.\n"
           "  levels = {\n"
           "    { name = \"Low\", max = 4, colour = \"#d9f0d3\" },\n"
           "    { name = \"Medium\", max = 9, colour = \"#fee08b\" },\n"
           "    { name = \"High\", max = 16, colour = \"#f4a261\" },\n"
           "    { name = \"Critical\", max = 25, colour = \"#c0392b\" },\n"
           "  },\n"
           "\n"
           "  -- Residual score above which a risk needs a decision from leadership.\n"
           "  appetite = 9,\n"
           "\n"
           "  -- Days between reviews of a risk when the risk does not set review_every_days.\n"
           "  review = { every_days = 90 },\n"
           "}\n";
}
