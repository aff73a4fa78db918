/* lua_text.c - riskreg.html, riskreg.markdown and riskreg.date for report scripts */
#include "date.h"
#include "lua_text.h"
#include "text.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lauxlib.h>

/* ---- riskreg.html ---- */

/* The text a value shows as: nil is empty, numbers as Lua writes them. */
static const char *display_text(lua_State *L, int idx, size_t *len)
{
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        *len = 0;
        return "";
    case LUA_TSTRING:
    case LUA_TNUMBER:
        return lua_tolstring(L, idx, len);
    case LUA_TBOOLEAN:
        return lua_toboolean(L, idx) ? (*len = 4, "true") : (*len = 5, "false");
    default:
        if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
            lua_pop(L, 1);
            const char *s = luaL_tolstring(L, idx, len);
            lua_replace(L, idx);
            return s;
        }
        luaL_error(L, "cannot show a %s as text", luaL_typename(L, idx));
        return NULL;
    }
}

void lua_push_escaped(lua_State *L, int idx)
{
    size_t len;
    idx = lua_absindex(L, idx);
    const char *s = display_text(L, idx, &len);
    if (strcspn(s, "&<>\"'`") == len) { /* nothing to escape: the common case */
        lua_pushlstring(L, s, len);
        return;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&':
            luaL_addstring(&b, "&amp;");
            break;
        case '<':
            luaL_addstring(&b, "&lt;");
            break;
        case '>':
            luaL_addstring(&b, "&gt;");
            break;
        case '"':
            luaL_addstring(&b, "&quot;");
            break;
        case '\'':
            luaL_addstring(&b, "&#39;");
            break;
        case '`':
            luaL_addstring(&b, "&#96;");
            break;
        default:
            luaL_addchar(&b, s[i]);
        }
    }
    luaL_pushresult(&b);
}

static int html_escape(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_push_escaped(L, 1);
    return 1;
}

static const luaL_Reg html_functions[] = {
    {"escape", html_escape}, {"attr", html_escape}, {NULL, NULL}};

static int open_html(lua_State *L)
{
    luaL_newlib(L, html_functions);
    return 1;
}

/* ---- riskreg.markdown ---- */

/* An image the page may load: a path inside the site, or inline data. Not another host (//host,
 * \\host, https:), which a page opened from disk or a mail client would fetch. */
static int image_is_local(const char *url)
{
    if (!url || !*url) return 1;
    if (url[0] == '/' || url[0] == '\\') return 0;
    size_t scheme = strcspn(url, ":/?#");
    if (url[scheme] != ':') return 1;
    return strncasecmp(url, "data:image/", 11) == 0;
}

/* Each image from elsewhere becomes its description, as text. */
static void drop_outside_images(cmark_node *doc)
{
    cmark_node **found = NULL;
    size_t n = 0, cap = 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_IMAGE ||
            image_is_local(cmark_node_get_url(node)))
            continue;
        if (n == cap) found = xrealloc(found, (cap = cap ? 2 * cap : 8) * sizeof *found);
        found[n++] = node;
    }
    cmark_iter_free(it);
    for (size_t i = n; i-- > 0;) { /* innermost last found: an image inside a link's text */
        cmark_node *image = found[i], *child;
        while ((child = cmark_node_first_child(image)))
            cmark_node_insert_before(image, child);
        cmark_node_free(image);
    }
    free(found);
}

/* CommonMark to HTML, safe: cmark's default drops raw HTML and javascript:, vbscript:, file: and
 * most data: links; images load only from inside the site. */
static int markdown_html(lua_State *L)
{
    size_t len;
    const char *text = lua_isnoneornil(L, 1) ? "" : luaL_checklstring(L, 1, &len);
    if (lua_isnoneornil(L, 1)) len = 0;
    const int options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;
    cmark_node *doc = cmark_parse_document(text, len, options);
    if (!doc) return luaL_error(L, "riskreg.markdown: out of memory");
    drop_outside_images(doc);
    char *html = cmark_render_html(doc, options);
    cmark_node_free(doc);
    if (!html) return luaL_error(L, "riskreg.markdown: out of memory");
    lua_pushstring(L, html);
    free(html);
    return 1;
}

static const luaL_Reg markdown_functions[] = {{"html", markdown_html}, {NULL, NULL}};

static int open_markdown(lua_State *L)
{
    luaL_newlib(L, markdown_functions);
    return 1;
}

/* ---- riskreg.date ---- */

static rr_day check_date(lua_State *L, int idx)
{
    const char *s = luaL_checkstring(L, idx);
    rr_day day;
    if (date_parse(s, &day) != 0) {
        char why[160];
        date_explain(s, why, sizeof why);
        luaL_error(L, "riskreg.date: %s", why);
    }
    return day;
}

static void push_day(lua_State *L, rr_day day)
{
    char text[DATE_TEXT_SIZE];
    date_format(day, text);
    lua_pushstring(L, text);
}

/* date.parse(s) -> days since 1970-01-01, or nil and why */
static int date_lua_parse(lua_State *L)
{
    const char *s = luaL_checkstring(L, 1);
    rr_day day;
    if (date_parse(s, &day) != 0) {
        char why[160];
        date_explain(s, why, sizeof why);
        lua_pushnil(L);
        lua_pushstring(L, why);
        return 2;
    }
    lua_pushinteger(L, day);
    return 1;
}

static const char *const month_names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

/* date.format(date or day number [, "iso" | "long" | "short" | "month"]) */
static int date_lua_format(lua_State *L)
{
    rr_day day = lua_type(L, 1) == LUA_TNUMBER ? (rr_day)luaL_checkinteger(L, 1) : check_date(L, 1);
    const char *style = luaL_optstring(L, 2, "iso");
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    char buf[48];
    if (strcmp(style, "iso") == 0)
        date_format(day, buf);
    else if (strcmp(style, "long") == 0) /* 25 November 2026 */
        snprintf(buf, sizeof buf, "%d %s %d", d, month_names[m - 1], y);
    else if (strcmp(style, "short") == 0) /* 25 Nov 2026 */
        snprintf(buf, sizeof buf, "%d %.3s %d", d, month_names[m - 1], y);
    else if (strcmp(style, "month") == 0) /* Nov 2026 */
        snprintf(buf, sizeof buf, "%.3s %d", month_names[m - 1], y);
    else
        return luaL_error(L, "riskreg.date.format: style '%s' is not iso, long, short or month",
                          style);
    lua_pushstring(L, buf);
    return 1;
}

static int date_lua_add_days(lua_State *L)
{
    rr_day day = check_date(L, 1);
    push_day(L, day + (rr_day)luaL_checkinteger(L, 2));
    return 1;
}

static int date_lua_days_between(lua_State *L)
{
    lua_pushinteger(L, check_date(L, 2) - check_date(L, 1));
    return 1;
}

static int date_lua_valid(lua_State *L)
{
    rr_day day;
    lua_pushboolean(L, lua_type(L, 1) == LUA_TSTRING && date_parse(lua_tostring(L, 1), &day) == 0);
    return 1;
}

static int date_lua_quarter(lua_State *L)
{
    int year;
    int q = date_quarter_of(check_date(L, 1), &year);
    lua_pushfstring(L, "%d-Q%d", year, q);
    return 1;
}

static void push_period(lua_State *L, rr_day first, rr_day last)
{
    int year, q = date_quarter_of(first, &year);
    lua_createtable(L, 0, 6);
    lua_pushfstring(L, "%d-Q%d", year, q);
    lua_setfield(L, -2, "label");
    lua_pushfstring(L, "Q%d %d", q, year);
    lua_setfield(L, -2, "name");
    push_day(L, first);
    lua_setfield(L, -2, "first");
    push_day(L, last);
    lua_setfield(L, -2, "last");
    int py, pq = date_quarter_of(first - 1, &py);
    lua_pushfstring(L, "%d-Q%d", py, pq);
    lua_setfield(L, -2, "previous");
    int ny, nq = date_quarter_of(last + 1, &ny);
    lua_pushfstring(L, "%d-Q%d", ny, nq);
    lua_setfield(L, -2, "next");
}

/* date.period("2026-Q4") -> { label, name, first, last, previous, next } or nil, why */
static int date_lua_period(lua_State *L)
{
    const char *s = luaL_checkstring(L, 1);
    rr_day first, last;
    if (date_parse_period(s, &first, &last) != 0) {
        lua_pushnil(L);
        lua_pushfstring(L, "'%s' is not a quarter such as 2026-Q4", s);
        return 2;
    }
    push_period(L, first, last);
    return 1;
}

static int date_lua_today(lua_State *L)
{
    push_day(L, date_today());
    return 1;
}

static const luaL_Reg date_functions[] = {{"parse", date_lua_parse},
                                          {"format", date_lua_format},
                                          {"valid", date_lua_valid},
                                          {"add_days", date_lua_add_days},
                                          {"days_between", date_lua_days_between},
                                          {"quarter", date_lua_quarter},
                                          {"period", date_lua_period},
                                          {"today", date_lua_today},
                                          {NULL, NULL}};

static int open_date(lua_State *L)
{
    luaL_newlib(L, date_functions);
    return 1;
}

/* ---- riskreg.hash ---- */

/* sha256(text) -> its SHA-256 as 64 hex digits (also site.sha256) */
int lua_text_sha256(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    char hex[65];
    if (text_sha256_hex(text, len, hex) != 0) return luaL_error(L, "sha256: the digest failed");
    lua_pushlstring(L, hex, 64);
    return 1;
}

static const luaL_Reg hash_functions[] = {{"sha256", lua_text_sha256}, {NULL, NULL}};

static int open_hash(lua_State *L)
{
    luaL_newlib(L, hash_functions);
    return 1;
}

void lua_text_register(struct host *h)
{
    host_add_module(h, "riskreg.hash", open_hash);
    host_add_module(h, "riskreg.html", open_html);
    host_add_module(h, "riskreg.markdown", open_markdown);
    host_add_module(h, "riskreg.date", open_date);
}
