/* lua_template.c - riskreg.template: HTML templates compiled once to Lua functions.
 *
 *   <%= expr %>  the value, HTML-escaped        <%- expr %>  the value as it is
 *   <% code %>   Lua (loops, ifs)                <%# note %>  nothing
 *   -%>          also swallows the line break after the tag; <%% writes "<%"
 *
 * Inside a template the variables passed to render are globals (and `args` is them as one
 * table, for optional ones: args.note), then an including template's variables, then
 * template.globals (h and whatever scripts add), then what scripts see (ipairs, string, ...);
 * reading anything else is an error naming it. include(name
 * [, vars]) renders another template in place; layout(name) wraps this one: the layout gets the
 * same variables and `content`, the rendered text. A template compiles to one Lua function whose
 * line numbers are the template's, so errors point into the template. */
#include "lua_template.h"
#include "lua_text.h"
#include "text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#define CACHE_KEY "riskreg.template.cache"
#define GLOBALS_KEY "riskreg.template.globals"
#define MAX_DEPTH 16

static void add_lua_string(struct strbuf *out, const char *s, size_t n)
{
    sb_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            sb_puts(out, "\\\"");
            break;
        case '\\':
            sb_puts(out, "\\\\");
            break;
        case '\n':
            sb_puts(out, "\\n");
            break;
        case '\r':
            sb_puts(out, "\\r");
            break;
        case '\t':
            sb_puts(out, "\\t");
            break;
        default:
            if (c < 32 || c == 127)
                sb_printf(out, "\\%03u", c);
            else
                sb_putc(out, (char)c);
        }
    }
    sb_putc(out, '"');
}

static void count_lines(struct strbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n') sb_putc(out, '\n');
}

/* Template text to Lua source; -1 with a message in err (line included). */
/* The level of a long bracket opening at s ("[[" 0, "[==[" 2), or -1. */
static int long_bracket(const char *s, size_t n)
{
    if (n < 2 || s[0] != '[') return -1;
    size_t k = 1;
    while (k < n && s[k] == '=')
        k++;
    return k < n && s[k] == '[' ? (int)(k - 1) : -1;
}

/* Past the long bracket of this level that closes at or after s; n when it does not close. */
static size_t long_close(const char *s, size_t n, int level)
{
    for (size_t k = 0; k < n; k++) {
        if (s[k] != ']') continue;
        size_t j = k + 1;
        while (j < n && s[j] == '=')
            j++;
        if (j < n && s[j] == ']' && (int)(j - k - 1) == level) return j + 1;
    }
    return n;
}

/* A tag's Lua code into the generated chunk, which goes on after it on the same line: a "--"
 * line comment is left out up to its line break, so that it cannot swallow what follows. Strings
 * and long brackets are copied as they are; line breaks all stay, keeping line numbers. */
static void add_code(struct strbuf *out, const char *code, size_t n)
{
    size_t i = 0;
    while (i < n) {
        char c = code[i];
        int level;
        if (c == '\'' || c == '"') { /* a short string, with its escapes */
            size_t k = i + 1;
            while (k < n && code[k] != c && code[k] != '\n')
                k += code[k] == '\\' ? 2 : 1;
            k = k < n ? k + 1 : n;
            sb_add(out, code + i, k - i);
            i = k;
        } else if ((level = long_bracket(code + i, n - i)) >= 0) {
            size_t k = i + long_close(code + i, n - i, level);
            sb_add(out, code + i, k - i);
            i = k;
        } else if (c == '-' && i + 1 < n && code[i + 1] == '-') {
            if ((level = long_bracket(code + i + 2, n - i - 2)) >= 0) { /* --[[ ... ]] is kept */
                size_t k = i + 2 + long_close(code + i + 2, n - i - 2, level);
                sb_add(out, code + i, k - i);
                i = k;
            } else { /* -- to the end of the line is dropped */
                while (i < n && code[i] != '\n')
                    i++;
            }
        } else {
            sb_putc(out, c);
            i++;
        }
    }
}

int template_compile(const char *text, size_t len, struct strbuf *out, char *err, size_t errsize)
{
    const char *nul = memchr(text, '\0', len);
    if (nul) { /* the tag search reads C strings: a NUL would hide the rest of the template */
        int line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        snprintf(err, errsize, "%d: a NUL byte: a template is text (save it as UTF-8)", line);
        return -1;
    }
    sb_puts(out, "local _ENV, _esc, _raw, _render, _concat = ... "
                 "local _b, _n, _layout = {}, 0, nil "
                 "local function layout(name) _layout = name end "
                 "local function include(name, vars) return _render(name, vars or {}, _ENV) end ");
    size_t i = 0;
    int line = 1;
    struct strbuf literal = STRBUF_INIT;
    while (i <= len) {
        const char *open = i < len ? strstr(text + i, "<%") : NULL;
        size_t stop = open && (size_t)(open - text) < len ? (size_t)(open - text) : len;
        sb_add(&literal, text + i, stop - i);
        if (stop < len && text[stop + 2] == '%') { /* "<%%" is a literal "<%" */
            sb_puts(&literal, "<%");
            i = stop + 3;
            continue;
        }
        if (literal.len) {
            sb_puts(out, "_n=_n+1 _b[_n]=");
            add_lua_string(out, literal.data, literal.len);
            sb_putc(out, ' ');
            count_lines(out, literal.data, literal.len);
            for (size_t k = 0; k < literal.len; k++)
                line += literal.data[k] == '\n';
            sb_reset(&literal);
        }
        if (stop >= len) break;
        char kind = text[stop + 2];
        size_t body = stop + 2 + (kind == '=' || kind == '-' || kind == '#');
        const char *close = strstr(text + body, "%>");
        if (!close || (size_t)(close - text) > len) {
            snprintf(err, errsize, "%d: '<%%' without its '%%>'", line);
            sb_free(&literal);
            sb_free(out);
            return -1;
        }
        size_t end = (size_t)(close - text);
        int trim = end > body && text[end - 1] == '-';
        size_t code_end = trim ? end - 1 : end;
        if (kind == '=' || kind == '-') {
            sb_puts(out, kind == '=' ? "_n=_n+1 _b[_n]=_esc(" : "_n=_n+1 _b[_n]=_raw(");
            add_code(out, text + body, code_end - body);
            sb_puts(out, ") ");
        } else if (kind == '#') {
            count_lines(out, text + body, code_end - body);
        } else {
            add_code(out, text + body, code_end - body);
            sb_puts(out, " ");
        }
        for (size_t k = body; k < end; k++)
            line += text[k] == '\n';
        i = end + 2;
        if (trim && i < len && text[i] == '\n') { /* the line break goes, the line stays */
            sb_putc(out, '\n');
            line++;
            i++;
        } else if (trim && i + 1 < len && text[i] == '\r' && text[i + 1] == '\n') {
            sb_putc(out, '\n');
            line++;
            i += 2;
        }
    }
    sb_free(&literal);
    sb_puts(out, " return _concat(_b, \"\", 1, _n), _layout");
    return 0;
}

/* ---- value display inside templates ---- */

static int template_escape(lua_State *L)
{
    lua_push_escaped(L, 1);
    return 1;
}

static int template_raw(lua_State *L)
{
    if (lua_isnil(L, 1)) {
        lua_pushliteral(L, "");
        return 1;
    }
    luaL_tolstring(L, 1, NULL);
    return 1;
}

/* __index of a render's variables: the vars passed, then (for an include) the including
 * template's variables, else template.globals, then what scripts see; else an error. */
static int variable_lookup(lua_State *L)
{
    lua_pushvalue(L, 2);
    if (lua_gettable(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    if (strcmp(luaL_checkstring(L, 2), "args") == 0) { /* the variables as one table */
        lua_pushvalue(L, lua_upvalueindex(1));
        return 1;
    }
    lua_pop(L, 1);
    if (!lua_isnil(L, lua_upvalueindex(5))) {
        lua_pushvalue(L, 2);
        lua_gettable(L, lua_upvalueindex(5)); /* raises, naming the variable, when missing */
        return 1;
    }
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(4)) != LUA_TNIL) return 1; /* ipairs, string, ... */
    return luaL_error(L, "template %s: undefined variable '%s'",
                      lua_tostring(L, lua_upvalueindex(3)), lua_tostring(L, 2));
}

/* ---- finding and compiling templates ---- */

static struct host *host_upvalue(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

/* Push the compiled function for a template name; raises when there is none. */
static void load_template(lua_State *L, struct host *h, const char *name)
{
    lua_getfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
    if (lua_getfield(L, -1, name) == LUA_TFUNCTION) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.' || *p == '/') ||
            (p[0] == '.' && p[1] == '.'))
            luaL_error(L, "template '%s': not a template name", name);
    if (name[0] == '/' || name[0] == '.') luaL_error(L, "template '%s': not a template name", name);
    char *path = host_find_asset(h, name);
    if (!path) luaL_error(L, "template '%s' not found in the templates folders", name);
    struct strbuf text = STRBUF_INIT, src = STRBUF_INIT, chunkname = STRBUF_INIT;
    char err[256];
    int ok = text_slurp(path, &text) == 0;
    if (ok && template_compile(sb_str(&text), text.len, &src, err, sizeof err) != 0) {
        lua_pushfstring(L, "%s:%s", path, err);
        ok = 0;
    } else if (!ok) {
        lua_pushfstring(L, "%s: cannot read the template", path);
    }
    sb_printf(&chunkname, "@%s", path);
    free(path);
    sb_free(&text);
    if (ok && host_load(h, sb_str(&src), src.len, chunkname.data) != 0) ok = 0;
    sb_free(&src);
    sb_free(&chunkname);
    if (!ok) {
        lua_remove(L, -2); /* the cache */
        lua_error(L);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name);
    lua_remove(L, -2);
}

static int render(lua_State *L);

/* render(name, vars) -> text */
static int render_at_depth(lua_State *L, int depth)
{
    struct host *h = host_upvalue(L);
    const char *name = luaL_checkstring(L, 1);
    if (lua_isnoneornil(L, 2)) {
        lua_settop(L, 1);
        lua_newtable(L);
    }
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 3); /* 3: the including template's variables, or nil */
    if (depth > MAX_DEPTH)
        return luaL_error(L, "template %s: includes and layouts nest deeper than %d", name,
                          MAX_DEPTH);
    load_template(L, h, name); /* 4 */
    lua_newtable(L);           /* 5: the render's _ENV */
    lua_newtable(L);           /* its metatable */
    lua_pushvalue(L, 2);
    lua_getfield(L, LUA_REGISTRYINDEX, GLOBALS_KEY);
    lua_pushvalue(L, 1);
    host_push_env(h);
    lua_pushvalue(L, 3);
    lua_pushcclosure(L, variable_lookup, 5);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, 5);
    lua_pushcfunction(L, template_escape);
    lua_pushcfunction(L, template_raw);
    lua_pushlightuserdata(L, h);
    lua_pushinteger(L, depth + 1);
    lua_pushcclosure(L, render, 2);
    lua_getfield(L, LUA_REGISTRYINDEX, "riskreg.template.concat");
    lua_call(L, 5, 2); /* body, layout */
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return 1;
    }
    /* wrap: the layout sees the same variables and content */
    const char *layout = luaL_checkstring(L, -1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushinteger(L, depth + 1);
    lua_pushcclosure(L, render, 2);
    lua_pushstring(L, layout);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, -5);
    lua_setfield(L, -2, "content");
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_call(L, 2, 1);
    return 1;
}

static int render(lua_State *L)
{
    lua_Integer depth =
        lua_isinteger(L, lua_upvalueindex(2)) ? lua_tointeger(L, lua_upvalueindex(2)) : 0;
    return render_at_depth(L, (int)depth);
}

/* template.source(name): the Lua a template compiles to, for debugging a template. */
static int template_source(lua_State *L)
{
    const char *text = luaL_checkstring(L, 1);
    struct strbuf src = STRBUF_INIT;
    char err[256];
    if (template_compile(text, strlen(text), &src, err, sizeof err) != 0) {
        lua_pushnil(L);
        lua_pushfstring(L, "line %s", err);
        return 2;
    }
    lua_pushlstring(L, sb_str(&src), src.len);
    sb_free(&src);
    return 1;
}

static int open_template(lua_State *L)
{
    struct host *h = host_from_state(L);
    lua_createtable(L, 0, 4);
    lua_pushlightuserdata(L, h);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, render, 2);
    lua_setfield(L, -2, "render");
    lua_pushcfunction(L, template_source);
    lua_setfield(L, -2, "source");
    lua_getfield(L, LUA_REGISTRYINDEX, GLOBALS_KEY);
    lua_setfield(L, -2, "globals");
    return 1;
}

void lua_template_register(struct host *h)
{
    lua_State *L = host_state(h);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
    /* table.concat, kept aside so templates need not see the table library */
    host_push_env(h);
    lua_getfield(L, -1, "table");
    lua_getfield(L, -1, "concat");
    lua_setfield(L, LUA_REGISTRYINDEX, "riskreg.template.concat");
    lua_pop(L, 2);
    /* template.globals starts with h (escape); scripts add md and their helpers */
    lua_newtable(L);
    lua_pushcfunction(L, template_escape);
    lua_setfield(L, -2, "h");
    lua_setfield(L, LUA_REGISTRYINDEX, GLOBALS_KEY);
    host_add_module(h, "riskreg.template", open_template);
}
