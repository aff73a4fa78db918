/* lua_chart.c - riskreg.chart: charts for report scripts.
 *
 * Each function takes a spec table, checks it (an error names the field), and returns
 * { path, width, height, alt, html }. The PNG's name carries a hash of the spec: a chart the
 * build already made, or that the published site already has, is reused instead of drawn. */
#include "chart.h"
#include "chart_queue.h"
#include "map.h"
#include "progress.h"
#include "lua_chart.h"
#include "lua_site.h"
#include "lua_text.h"
#include "text.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

/* Bump when drawing changes, so that charts of an earlier riskreg are not reused. */
#define CHART_VERSION "chart-1"

#ifndef RISKREG_VERSION
#define RISKREG_VERSION "0"
#endif

struct chart_counts {
    long drawn, reused;
    struct chart_queue *queue; /* the workers drawing this build's charts */
    struct map queued;         /* paths handed to them, so a chart is drawn once */
};
static const char COUNTS_KEY[] = "riskreg.chart.counts";

/* ---- reading a spec ---- */

struct reader {
    lua_State *L;
    const char *fn; /* "riskreg.chart.line", for messages */
};

static int spec_error(struct reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static int spec_error(struct reader *r, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    host_where(r->L); /* the customiser's line that asked for the chart */
    lua_pushfstring(r->L, "%s: %s", r->fn, sb_str(&sb));
    lua_concat(r->L, 2);
    sb_free(&sb);
    lua_error(r->L); /* a longjmp out of here */
    __builtin_unreachable();
}

/* The field `name` of the table at idx, pushed; its Lua type returned. */
static int field(struct reader *r, int idx, const char *name)
{
    return lua_getfield(r->L, idx, name);
}

static char *opt_string(struct reader *r, int idx, const char *name)
{
    int t = field(r, idx, name);
    char *s = NULL;
    if (t == LUA_TSTRING)
        s = xstrdup(lua_tostring(r->L, -1));
    else if (t == LUA_TNUMBER)
        s = xstrdup(lua_tostring(r->L, -1));
    else if (t != LUA_TNIL)
        spec_error(r, "%s must be a string (it is a %s)", name, luaL_typename(r->L, -1));
    lua_pop(r->L, 1);
    return s;
}

static int opt_bool(struct reader *r, int idx, const char *name)
{
    int t = field(r, idx, name);
    if (t != LUA_TNIL && t != LUA_TBOOLEAN)
        spec_error(r, "%s must be true or false (it is a %s)", name, luaL_typename(r->L, -1));
    int v = lua_toboolean(r->L, -1);
    lua_pop(r->L, 1);
    return v;
}

static int opt_number(struct reader *r, int idx, const char *name, double *out)
{
    int t = field(r, idx, name);
    int has = 0;
    if (t == LUA_TNUMBER) {
        *out = lua_tonumber(r->L, -1);
        if (!isfinite(*out)) spec_error(r, "%s must be a finite number", name);
        has = 1;
    } else if (t != LUA_TNIL) {
        spec_error(r, "%s must be a number (it is a %s)", name, luaL_typename(r->L, -1));
    }
    lua_pop(r->L, 1);
    return has;
}

static uint32_t parse_colour(struct reader *r, const char *text, const char *where)
{
    if (!text || text[0] != '#' || strlen(text) != 7 ||
        strspn(text + 1, "0123456789abcdefABCDEF") != 6)
        spec_error(r, "%s must be a colour such as \"#0072b2\"", where);
    return (uint32_t)strtoul(text + 1, NULL, 16);
}

/* The colour on top of the stack, popped; fallback when it is nil. Read in place, so that an
 * error (which does not return) leaves no copy behind. */
static uint32_t colour_value(struct reader *r, const char *where, uint32_t fallback)
{
    uint32_t colour = fallback;
    if (!lua_isnil(r->L, -1))
        colour = parse_colour(r, lua_type(r->L, -1) == LUA_TSTRING ? lua_tostring(r->L, -1) : NULL,
                              where);
    lua_pop(r->L, 1);
    return colour;
}

/* A list of strings of the table at idx, field name. */
static char **string_list(struct reader *r, int idx, const char *name, int *n, int required)
{
    int t = field(r, idx, name);
    if (t == LUA_TNIL && !required) {
        lua_pop(r->L, 1);
        *n = 0;
        return NULL;
    }
    if (t != LUA_TTABLE) spec_error(r, "%s must be a list of strings", name);
    lua_Integer len = luaL_len(r->L, -1);
    if (len > CHART_MAX_POINTS)
        spec_error(r, "%s has more than %d entries", name, CHART_MAX_POINTS);
    char **list = xcalloc((size_t)len + 1, sizeof *list);
    for (lua_Integer i = 1; i <= len; i++) {
        int et = lua_geti(r->L, -1, i);
        if (et != LUA_TSTRING && et != LUA_TNUMBER) {
            for (lua_Integer k = 0; k < i - 1; k++)
                free(list[k]);
            free(list);
            spec_error(r, "%s[%lld] must be a string", name, (long long)i);
        }
        list[i - 1] = xstrdup(lua_tostring(r->L, -1));
        lua_pop(r->L, 1);
    }
    lua_pop(r->L, 1);
    *n = (int)len;
    return list;
}

/* values of a series: count entries, nil is a gap (NAN) */
static double *number_list(struct reader *r, int idx, const char *where, int count)
{
    if (!lua_istable(r->L, idx)) spec_error(r, "%s must be a list of numbers", where);
    double *values = xcalloc((size_t)(count > 0 ? count : 1), sizeof *values);
    for (int i = 1; i <= count; i++) {
        int t = lua_geti(r->L, idx, i);
        if (t == LUA_TNIL) {
            values[i - 1] = NAN;
        } else if (t == LUA_TNUMBER) {
            values[i - 1] = lua_tonumber(r->L, -1);
            if (!isfinite(values[i - 1])) {
                free(values);
                spec_error(r, "%s[%d] is not a finite number", where, i);
            }
        } else {
            free(values);
            spec_error(r, "%s[%d] must be a number or nil (a gap), not a %s", where, i,
                       luaL_typename(r->L, -1));
        }
        lua_pop(r->L, 1);
    }
    return values;
}

static void read_size(struct reader *r, int idx, struct chart_spec *s, int w, int h)
{
    s->width = w;
    s->height = h;
    s->scale = 2;
    int t = field(r, idx, "size");
    if (t == LUA_TTABLE) {
        lua_geti(r->L, -1, 1);
        lua_geti(r->L, -2, 2);
        if (!lua_isinteger(r->L, -2) || !lua_isinteger(r->L, -1))
            spec_error(r, "size must be { width, height } in whole CSS pixels");
        s->width = (int)lua_tointeger(r->L, -2);
        s->height = (int)lua_tointeger(r->L, -1);
        lua_pop(r->L, 2);
    } else if (t != LUA_TNIL) {
        spec_error(r, "size must be { width, height } in whole CSS pixels");
    }
    lua_pop(r->L, 1);
    if (s->width < 16 || s->width > 2000 || s->height < 16 || s->height > 2000)
        spec_error(r,
                   "size %d x %d is out of range: width and height must be 16 to 2000 CSS pixels",
                   s->width, s->height);
}

/* series = { { name = ..., values = {...}, colour = "#..." }, ... } over count labels */
static void read_series(struct reader *r, int idx, struct chart_spec *s, int count)
{
    int t = field(r, idx, "series");
    if (t != LUA_TTABLE) spec_error(r, "series must be a list of { name = ..., values = {...} }");
    lua_Integer n = luaL_len(r->L, -1);
    if (n < 1 || n > CHART_MAX_SERIES)
        spec_error(r, "series must have 1 to %d entries (it has %lld)", CHART_MAX_SERIES,
                   (long long)n);
    for (lua_Integer i = 1; i <= n; i++) {
        char where[64];
        if (lua_geti(r->L, -1, i) != LUA_TTABLE)
            spec_error(r, "series[%lld] must be a table with values", (long long)i);
        int st = lua_gettop(r->L);
        struct chart_series *cs = &s->series[s->nseries];
        cs->name = opt_string(r, st, "name");
        snprintf(where, sizeof where, "series[%lld].colour", (long long)i);
        field(r, st, "colour");
        cs->colour = colour_value(r, where, chart_palette[s->nseries % 7]);
        field(r, st, "values");
        snprintf(where, sizeof where, "series[%lld].values", (long long)i);
        cs->values = number_list(r, lua_gettop(r->L), where, count);
        cs->n = count;
        s->nseries++;
        lua_pop(r->L, 2);
    }
    lua_pop(r->L, 1);
}

static void read_line_or_bar(struct reader *r, int idx, struct chart_spec *s)
{
    s->labels = string_list(r, idx, "labels", &s->nlabels, 1);
    if (s->nlabels < 1) spec_error(r, "labels must not be empty");
    read_series(r, idx, s, s->nlabels);
    s->has_y_min = opt_number(r, idx, "y_min", &s->y_min);
    s->has_y_max = opt_number(r, idx, "y_max", &s->y_max);
    if (s->has_y_min && s->has_y_max && s->y_max <= s->y_min)
        spec_error(r, "y_max must be above y_min");
    s->unit = opt_string(r, idx, "unit");
}

static void read_line(struct reader *r, int idx, struct chart_spec *s)
{
    read_size(r, idx, s, 640, 240);
    read_line_or_bar(r, idx, s);
    s->has_target = opt_number(r, idx, "target", &s->target);
    s->target_label = opt_string(r, idx, "target_label");
    if (field(r, idx, "band") == LUA_TTABLE) {
        lua_geti(r->L, -1, 1);
        lua_geti(r->L, -2, 2);
        if (!lua_isnumber(r->L, -2) || !lua_isnumber(r->L, -1))
            spec_error(r, "band must be { low, high }");
        s->band_low = lua_tonumber(r->L, -2);
        s->band_high = lua_tonumber(r->L, -1);
        if (!isfinite(s->band_low) || !isfinite(s->band_high) || s->band_high < s->band_low)
            spec_error(r, "band must be { low, high } with low <= high");
        s->has_band = 1;
        lua_pop(r->L, 2);
    } else if (!lua_isnil(r->L, -1)) {
        spec_error(r, "band must be { low, high }");
    }
    lua_pop(r->L, 1);
}

static void read_bar(struct reader *r, int idx, struct chart_spec *s)
{
    read_size(r, idx, s, 640, 280);
    read_line_or_bar(r, idx, s);
    s->stacked = opt_bool(r, idx, "stacked");
    s->horizontal = opt_bool(r, idx, "horizontal");
    s->value_labels = opt_bool(r, idx, "value_labels");
    for (int k = 0; k < s->nseries; k++)
        for (int i = 0; i < s->series[k].n; i++)
            if (s->stacked && s->series[k].values[i] < 0)
                spec_error(r, "series[%d].values[%d]: a stacked bar cannot have a negative part",
                           k + 1, i + 1);
}

static void read_donut(struct reader *r, int idx, struct chart_spec *s)
{
    read_size(r, idx, s, 200, 200);
    s->labels = string_list(r, idx, "labels", &s->nlabels, 1);
    if (s->nlabels < 1) spec_error(r, "labels must not be empty");
    field(r, idx, "values");
    struct chart_series *cs = &s->series[0];
    cs->values = number_list(r, lua_gettop(r->L), "values", s->nlabels);
    cs->n = s->nlabels;
    s->nseries = 1;
    lua_pop(r->L, 1);
    for (int i = 0; i < cs->n; i++)
        if (isnan(cs->values[i]) || cs->values[i] < 0)
            spec_error(r, "values[%d] must be a number of 0 or more", i + 1);
    int t = field(r, idx, "colours");
    if (t != LUA_TNIL && t != LUA_TTABLE) spec_error(r, "colours must be a list of colours");
    s->part_colours = xcalloc((size_t)s->nlabels, sizeof *s->part_colours);
    for (int i = 0; i < s->nlabels; i++) {
        char where[32];
        snprintf(where, sizeof where, "colours[%d]", i + 1);
        if (t == LUA_TTABLE)
            lua_geti(r->L, -1, i + 1);
        else
            lua_pushnil(r->L);
        s->part_colours[i] = colour_value(r, where, chart_palette[i % 7]);
    }
    lua_pop(r->L, 1);
    s->centre = opt_string(r, idx, "centre");
    s->centre_label = opt_string(r, idx, "centre_label");
}

static void read_sparkline(struct reader *r, int idx, struct chart_spec *s)
{
    read_size(r, idx, s, 120, 28);
    if (field(r, idx, "values") != LUA_TTABLE) spec_error(r, "values must be a list of numbers");
    int n = (int)luaL_len(r->L, -1);
    if (n > CHART_MAX_POINTS) spec_error(r, "values has more than %d entries", CHART_MAX_POINTS);
    struct chart_series *cs = &s->series[0];
    cs->values = number_list(r, lua_gettop(r->L), "values", n);
    cs->n = n;
    lua_pop(r->L, 1);
    field(r, idx, "colour");
    cs->colour = colour_value(r, "colour", chart_palette[0]);
    s->nseries = 1;
}

/* counts / colours / above: n lists of n, impact 1 first */
static void read_heatmap(struct reader *r, int idx, struct chart_spec *s)
{
    read_size(r, idx, s, 360, 360);
    if (field(r, idx, "counts") != LUA_TTABLE)
        spec_error(r, "counts must be a list of rows (impact 1 first), each a list of counts");
    int n = (int)luaL_len(r->L, -1);
    if (n < 3 || n > CHART_MAX_MATRIX)
        spec_error(r, "counts must be a 3x3 to 6x6 matrix (it has %d rows)", n);
    s->matrix = n;
    s->counts = xcalloc((size_t)(n * n), sizeof *s->counts);
    s->cell_colours = xcalloc((size_t)(n * n), sizeof *s->cell_colours);
    s->above = xcalloc((size_t)(n * n), 1);
    for (int i = 1; i <= n; i++) {
        if (lua_geti(r->L, -1, i) != LUA_TTABLE || luaL_len(r->L, -1) != n)
            spec_error(r, "counts[%d] must be a list of %d counts (the matrix is square)", i, n);
        for (int l = 1; l <= n; l++) {
            lua_geti(r->L, -1, l);
            if (!lua_isinteger(r->L, -1) || lua_tointeger(r->L, -1) < 0)
                spec_error(r, "counts[%d][%d] must be a whole number of 0 or more", i, l);
            s->counts[(i - 1) * n + (l - 1)] = (int)lua_tointeger(r->L, -1);
            lua_pop(r->L, 1);
        }
        lua_pop(r->L, 1);
    }
    lua_pop(r->L, 1);
    static const char *const grids[] = {"colours", "above"};
    for (int g = 0; g < 2; g++) {
        if (field(r, idx, grids[g]) != LUA_TTABLE || luaL_len(r->L, -1) != n)
            spec_error(r, "%s must be a list of %d rows like counts", grids[g], n);
        for (int i = 1; i <= n; i++) {
            if (lua_geti(r->L, -1, i) != LUA_TTABLE || luaL_len(r->L, -1) != n)
                spec_error(r, "%s[%d] must be a list of %d entries", grids[g], i, n);
            for (int l = 1; l <= n; l++) {
                lua_geti(r->L, -1, l);
                int k = (i - 1) * n + (l - 1);
                if (g == 0) {
                    char where[32];
                    snprintf(where, sizeof where, "colours[%d][%d]", i, l);
                    s->cell_colours[k] = parse_colour(r, lua_tostring(r->L, -1), where);
                } else {
                    s->above[k] = (unsigned char)lua_toboolean(r->L, -1);
                }
                lua_pop(r->L, 1);
            }
            lua_pop(r->L, 1);
        }
        lua_pop(r->L, 1);
    }
    int nx, ny;
    s->x_labels = string_list(r, idx, "x_labels", &nx, 1);
    s->y_labels = string_list(r, idx, "y_labels", &ny, 1);
    if (nx != n || ny != n) spec_error(r, "x_labels and y_labels must have %d labels each", n);
    s->x_title = opt_string(r, idx, "x_title");
    s->y_title = opt_string(r, idx, "y_title");
}

/* ---- the hash: every field that changes the picture ---- */

struct hasher {
    EVP_MD_CTX *ctx;
};

static void hash_bytes(struct hasher *h, const void *p, size_t n)
{
    EVP_DigestUpdate(h->ctx, &n, sizeof n);
    if (n) EVP_DigestUpdate(h->ctx, p, n);
}

static void hash_text(struct hasher *h, const char *s)
{
    if (s)
        hash_bytes(h, s, strlen(s) + 1);
    else
        hash_bytes(h, "", 0);
}

static void hash_int(struct hasher *h, long long v)
{
    hash_bytes(h, &v, sizeof v);
}

static void hash_double(struct hasher *h, double v)
{
    char text[40];
    snprintf(text, sizeof text, "%.17g", v); /* NAN and -0 spelled out the same everywhere */
    hash_text(h, text);
}

static void spec_hash(const struct chart_spec *s, char out[17])
{
    struct hasher h = {EVP_MD_CTX_new()};
    EVP_DigestInit_ex(h.ctx, EVP_sha256(), NULL);
    hash_text(&h, CHART_VERSION " " RISKREG_VERSION);
    hash_int(&h, s->kind);
    hash_int(&h, s->width);
    hash_int(&h, s->height);
    hash_int(&h, s->scale);
    hash_int(&h, s->nlabels);
    for (int i = 0; i < s->nlabels; i++)
        hash_text(&h, s->labels[i]);
    hash_int(&h, s->nseries);
    for (int k = 0; k < s->nseries; k++) {
        hash_text(&h, s->series[k].name);
        hash_int(&h, s->series[k].colour);
        hash_int(&h, s->series[k].n);
        for (int i = 0; i < s->series[k].n; i++)
            hash_double(&h, s->series[k].values[i]);
    }
    for (int i = 0; s->part_colours && i < s->nlabels; i++)
        hash_int(&h, s->part_colours[i]);
    hash_int(&h, s->has_target);
    hash_double(&h, s->target);
    hash_text(&h, s->target_label);
    hash_int(&h, s->has_band);
    hash_double(&h, s->band_low);
    hash_double(&h, s->band_high);
    hash_int(&h, s->has_y_min * 2 + s->has_y_max);
    hash_double(&h, s->y_min);
    hash_double(&h, s->y_max);
    hash_text(&h, s->unit);
    hash_int(&h, s->stacked * 4 + s->horizontal * 2 + s->value_labels);
    hash_text(&h, s->centre);
    hash_text(&h, s->centre_label);
    hash_int(&h, s->matrix);
    int cells = s->matrix * s->matrix;
    for (int i = 0; i < cells; i++) {
        hash_int(&h, s->counts[i]);
        hash_int(&h, s->cell_colours[i]);
        hash_int(&h, s->above[i]);
    }
    for (int i = 0; s->x_labels && i < s->matrix; i++)
        hash_text(&h, s->x_labels[i]);
    for (int i = 0; s->y_labels && i < s->matrix; i++)
        hash_text(&h, s->y_labels[i]);
    hash_text(&h, s->x_title);
    hash_text(&h, s->y_title);
    hash_int(&h, s->empty);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(h.ctx, digest, &len);
    EVP_MD_CTX_free(h.ctx);
    text_hex(digest, 8, out);
}

/* Nothing to draw: no series value, no count. */
static int spec_is_empty(const struct chart_spec *s)
{
    if (s->kind == CHART_HEATMAP) {
        for (int i = 0; i < s->matrix * s->matrix; i++)
            if (s->counts[i]) return 0;
        return 1;
    }
    for (int k = 0; k < s->nseries; k++)
        for (int i = 0; i < s->series[k].n; i++)
            if (!isnan(s->series[k].values[i]) &&
                (s->kind != CHART_DONUT || s->series[k].values[i] > 0))
                return 0;
    return 1;
}

/* ---- the Lua functions ---- */

static const char *const kind_names[] = {"heatmap", "line", "bar", "donut", "sparkline"};

/* The spec's file name part: letters, digits, '-' and '_' (others become '-'). */
static void file_stem(const char *file, const char *fallback, struct strbuf *out)
{
    const char *p = file && *file ? file : fallback;
    for (size_t i = 0; i < 80 && p[i]; i++) {
        unsigned char c = (unsigned char)p[i];
        sb_putc(out, (char)((c < 128 && (isalnum(c) || c == '-' || c == '_')) ? c : '-'));
    }
}

static int chart_make(lua_State *L, enum chart_kind kind)
{
    struct reader r = {L, NULL};
    char fn[40];
    snprintf(fn, sizeof fn, "riskreg.chart.%s", kind_names[kind]);
    r.fn = fn;
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    /* the spec lives in a userdata so that an error while reading it frees it (__gc) */
    struct chart_spec *s = lua_newuserdatauv(L, sizeof *s, 0);
    memset(s, 0, sizeof *s);
    luaL_setmetatable(L, "riskreg.chart.spec");
    s->kind = kind;
    char *alt = opt_string(&r, 1, "alt");
    if (!alt || !*alt) {
        free(alt);
        return spec_error(&r, "alt is required: the point of the chart in words (e.g. \"Residual "
                              "risks: 6 critical, 14 high\")");
    }
    lua_pushstring(L, alt); /* keep it on the stack, free the C copy */
    free(alt);
    int alt_idx = lua_gettop(L);
    char *file = opt_string(&r, 1, "file");
    char *page = opt_string(&r, 1, "page");
    lua_pushstring(L, file ? file : "");
    lua_pushstring(L, page ? page : "index.html");
    free(file);
    free(page);
    int file_idx = alt_idx + 1, page_idx = alt_idx + 2;
    switch (kind) {
    case CHART_HEATMAP:
        read_heatmap(&r, 1, s);
        break;
    case CHART_LINE:
        read_line(&r, 1, s);
        break;
    case CHART_BAR:
        read_bar(&r, 1, s);
        break;
    case CHART_DONUT:
        read_donut(&r, 1, s);
        break;
    case CHART_SPARKLINE:
        read_sparkline(&r, 1, s);
        break;
    }
    s->empty = spec_is_empty(s);
    char hash[17];
    spec_hash(s, hash);
    struct strbuf path = STRBUF_INIT;
    sb_puts(&path, "charts/");
    file_stem(lua_tostring(L, file_idx), kind_names[kind], &path);
    sb_printf(&path, "-%s.png", hash);

    /* draw it, unless this build or the published site has it already */
    lua_getfield(L, LUA_REGISTRYINDEX, COUNTS_KEY);
    struct chart_counts *counts = lua_touserdata(L, -1);
    lua_pop(L, 1);
    struct host *h = host_from_state(L);
    int have = map_get(&counts->queued, path.data) || lua_site_has_file(h, path.data) ||
               lua_site_reuse(h, path.data) == 0;
    progress_expect(1);
    if (have) {
        counts->reused++;
        progress_done(1);
    } else {
        char err[256];
        if (chart_validate(s, err, sizeof err) != 0) {
            sb_free(&path);
            return spec_error(&r, "%s", err);
        }
        /* the queue takes the spec: the userdata keeps an empty one for its __gc */
        struct chart_spec *job = xmalloc(sizeof *job);
        *job = *s;
        memset(s, 0, sizeof *s);
        s->width = job->width, s->height = job->height, s->empty = job->empty;
        map_put(&counts->queued, path.data, (void *)1);
        lua_site_note_file(h, path.data);
        if (chart_queue_add(counts->queue, job, path.data, err, sizeof err) != 0) {
            sb_free(&path);
            return spec_error(&r, "%s", err);
        }
        counts->drawn++;
    }

    /* the result */
    const char *alt_text = lua_tostring(L, alt_idx);
    lua_createtable(L, 0, 5);
    lua_pushstring(L, path.data);
    lua_setfield(L, -2, "path");
    lua_pushinteger(L, s->width);
    lua_setfield(L, -2, "width");
    lua_pushinteger(L, s->height);
    lua_setfield(L, -2, "height");
    if (s->empty)
        lua_pushfstring(L, "%s (no data for this period)", alt_text);
    else
        lua_pushstring(L, alt_text);
    lua_setfield(L, -2, "alt");
    struct strbuf src = STRBUF_INIT;
    lua_site_relative(lua_tostring(L, page_idx), path.data, &src);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "<img src=\"");
    luaL_addstring(&b, sb_str(&src));
    luaL_addstring(&b, "\" srcset=\"");
    luaL_addstring(&b, sb_str(&src));
    luaL_addstring(&b, " 2x\" width=\"");
    lua_pushinteger(L, s->width);
    luaL_addvalue(&b);
    luaL_addstring(&b, "\" height=\"");
    lua_pushinteger(L, s->height);
    luaL_addvalue(&b);
    luaL_addstring(&b, "\" alt=\"");
    lua_getfield(L, -2, "alt");
    lua_push_escaped(L, -1);
    lua_remove(L, -2);
    luaL_addvalue(&b);
    luaL_addstring(&b, "\">");
    luaL_pushresult(&b);
    lua_setfield(L, -2, "html");
    sb_free(&src);
    sb_free(&path);
    return 1;
}

static int chart_heatmap(lua_State *L)
{
    return chart_make(L, CHART_HEATMAP);
}
static int chart_line(lua_State *L)
{
    return chart_make(L, CHART_LINE);
}
static int chart_bar(lua_State *L)
{
    return chart_make(L, CHART_BAR);
}
static int chart_donut(lua_State *L)
{
    return chart_make(L, CHART_DONUT);
}
static int chart_sparkline(lua_State *L)
{
    return chart_make(L, CHART_SPARKLINE);
}

/* chart.palette: the Okabe-Ito colours as "#rrggbb" */
static void push_palette(lua_State *L)
{
    lua_createtable(L, 7, 0);
    for (int i = 0; i < 7; i++) {
        char hex[8];
        snprintf(hex, sizeof hex, "#%06x", chart_palette[i]);
        lua_pushstring(L, hex);
        lua_rawseti(L, -2, i + 1);
    }
}

static const luaL_Reg chart_functions[] = {
    {"heatmap", chart_heatmap}, {"line", chart_line},           {"bar", chart_bar},
    {"donut", chart_donut},     {"sparkline", chart_sparkline}, {NULL, NULL}};

static int spec_gc(lua_State *L)
{
    chart_spec_free(luaL_checkudata(L, 1, "riskreg.chart.spec"));
    return 0;
}

static int open_chart(lua_State *L)
{
    luaL_newlib(L, chart_functions);
    push_palette(L);
    lua_setfield(L, -2, "palette");
    return 1;
}

static int counts_gc(lua_State *L)
{
    struct chart_counts *c = lua_touserdata(L, 1);
    char err[256];
    chart_queue_finish(c->queue, err, sizeof err); /* only when the build failed before */
    c->queue = NULL;
    map_free(&c->queued);
    return 0;
}

int lua_chart_register(struct host *h, int jobs, const char *out_dir)
{
    char err[256];
    if (chart_fonts_ready(err, sizeof err) != 0) {
        rr_error("%s", err);
        return -1;
    }
    lua_State *L = host_state(h);
    struct chart_counts *c = lua_newuserdatauv(L, sizeof *c, 0);
    memset(c, 0, sizeof *c);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, counts_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    c->queue = chart_queue_new(jobs, out_dir);
    lua_setfield(L, LUA_REGISTRYINDEX, COUNTS_KEY);
    luaL_newmetatable(L, "riskreg.chart.spec");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushcfunction(L, spec_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    host_add_module(h, "riskreg.chart", open_chart);
    return 0;
}

int lua_chart_finish(struct host *h)
{
    lua_State *L = host_state(h);
    lua_getfield(L, LUA_REGISTRYINDEX, COUNTS_KEY);
    struct chart_counts *c = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (!c) return 0;
    char err[256];
    int rc = chart_queue_finish(c->queue, err, sizeof err);
    c->queue = NULL;
    if (rc != 0) rr_error("a chart could not be made: %s", err);
    return rc;
}

void lua_chart_counts(struct host *h, long *drawn, long *reused)
{
    lua_State *L = host_state(h);
    lua_getfield(L, LUA_REGISTRYINDEX, COUNTS_KEY);
    struct chart_counts *c = lua_touserdata(L, -1);
    lua_pop(L, 1);
    *drawn = c ? c->drawn : 0;
    *reused = c ? c->reused : 0;
}
