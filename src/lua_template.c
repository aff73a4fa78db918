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
#include <stdarg.h>
#include <stdio.h>
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

/* Where a tag's code holds "<%" outside its strings: the tag was not closed and its '%>' is a
 * later tag's; NULL when it holds none. */
static const char *opener_inside(const char *code, size_t n)
{
    size_t i = 0;
    while (i < n) {
        char c = code[i];
        int level;
        if (c == '\'' || c == '"') {
            size_t k = i + 1;
            while (k < n && code[k] != c && code[k] != '\n')
                k += code[k] == '\\' ? 2 : 1;
            i = k < n ? k + 1 : n;
        } else if ((level = long_bracket(code + i, n - i)) >= 0) {
            i += long_close(code + i, n - i, level);
        } else if (c == '-' && i + 1 < n && code[i + 1] == '-' &&
                   long_bracket(code + i + 2, n - i - 2) < 0) { /* a comment, to its line's end */
            while (i < n && code[i] != '\n')
                i++;
        } else if (c == '<' && i + 1 < n && code[i + 1] == '%') {
            return code + i;
        } else {
            i++;
        }
    }
    return NULL;
}

/* The tag at text[at] as the template writes it: "<%=", "<%-", "<%#" or "<%" */
static const char *tag_name(const char *text, size_t len, size_t at)
{
    char kind = at + 2 < len ? text[at + 2] : '\0';
    return kind == '=' ? "<%=" : kind == '-' ? "<%-" : kind == '#' ? "<%#" : "<%";
}

int template_compile(const char *text, size_t len, struct strbuf *out, char *err, size_t errsize)
{
    const char *nul = memchr(text, '\0', len);
    if (nul) { /* the tag search reads C strings: a NUL would hide the rest of the template */
        int line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        snprintf(err, errsize, "%d: a NUL byte at line %d: a template is text (save it as UTF-8)",
                 line, line);
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
        if (close && (size_t)(close - text) > len) close = NULL;
        if (close && kind != '#' && opener_inside(text + body, (size_t)(close - text) - body))
            close = NULL; /* its '%>' closes the next tag */
        if (!close) {
            snprintf(err, errsize, "%d: '%s' at line %d is not closed: its '%%>' is missing", line,
                     tag_name(text, len, stop), line);
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

static int template_error(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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
    return template_error(L, "template %s: undefined variable '%s'",
                          lua_tostring(L, lua_upvalueindex(3)), lua_tostring(L, 2));
}

/* __newindex of a render's variables: an assignment to a name that is not local would be lost
 * when the template ends (a layout reads the page's variables, not the template's), so it is an
 * error, at the template's line, that says what to write instead. */
static int variable_assign(lua_State *L)
{
    const char *name = luaL_checkstring(L, 2);
    if (strcmp(name, "title") == 0)
        return template_error(L, "setting 'title' in a template does nothing: the layout reads "
                                 "the page's variables; give title in the page's vars "
                                 "(places.heading for a built-in page)");
    return template_error(L,
                          "'%s = ...' sets a variable that is lost when the template ends; "
                          "write 'local %s = ...'",
                          name, name);
}

/* ---- finding and compiling templates ---- */

static struct host *host_upvalue(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

/* Raise an error about a template with the customiser's FILE:LINE in front (host_where): the
 * location survives a script's pcall, and the message handler says it its own way. */
static int template_error(lua_State *L, const char *fmt, ...)
{
    va_list ap;
    host_where(L);
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    lua_concat(L, 2);
    return lua_error(L);
}

/* The tag of a template that holds a line (else the last one before it), as the template writes
 * it, shortened: "<% if r.open then %>". Its first line in *tag_line; 0 when there is none. */
static int tag_at_line(const char *text, size_t len, int want, struct strbuf *out, int *tag_line)
{
    int line = 1, found = 0;
    size_t i = 0, found_at = 0, found_end = 0;
    while (i < len) {
        const char *open = strstr(text + i, "<%");
        if (!open || (size_t)(open - text) >= len) break;
        size_t at = (size_t)(open - text);
        for (size_t k = i; k < at; k++)
            line += text[k] == '\n';
        if (line > want) break;
        if (at + 2 < len && text[at + 2] == '%') {
            i = at + 3;
            continue;
        }
        size_t body = at + 2 + (at + 2 < len && strchr("=-#", text[at + 2]) && text[at + 2]);
        const char *close = strstr(text + body, "%>");
        size_t end = close && (size_t)(close - text) < len ? (size_t)(close - text) : len;
        if (text[at + 2] != '#') {
            found = 1, found_at = at, found_end = end, *tag_line = line;
        }
        for (size_t k = at; k < end; k++)
            line += text[k] == '\n';
        i = end + 2 < len ? end + 2 : len;
    }
    if (!found) return 0;
    sb_puts(out, tag_name(text, len, found_at));
    size_t body = found_at + strlen(tag_name(text, len, found_at));
    size_t code_end = found_end > body && text[found_end - 1] == '-' ? found_end - 1 : found_end;
    int space = 1, shown = 0;
    for (size_t k = body; k < code_end; k++) {
        unsigned char c = (unsigned char)text[k];
        if (isspace(c)) {
            space = 1;
            continue;
        }
        if (shown >= 40) {
            sb_puts(out, " ...");
            break;
        }
        if (space) sb_putc(out, ' ');
        space = 0;
        sb_putc(out, (char)c);
        shown++;
    }
    sb_puts(out, found_end > code_end ? " -%>" : " %>");
    return 1;
}

/* A Lua syntax error in a template's tags ("CHUNK:LINE: why"), said of the template: its line
 * and the tag, in words. Pushes the message. */
static void push_syntax_error(lua_State *L, const char *path, const char *text, size_t len,
                              const char *lua_msg)
{
    const char *why = lua_msg;
    int line = 0;
    for (const char *p = strchr(lua_msg, ':'); p; p = strchr(p + 1, ':')) {
        char *end;
        long n = strtol(p + 1, &end, 10);
        if (end > p + 1 && isdigit((unsigned char)p[1]) && end[0] == ':' && end[1] == ' ') {
            line = (int)n;
            why = end + 2;
            break;
        }
    }
    char expected[16], opener[16];
    int opened = 0;
    const char *close = strstr(why, "(to close '");
    struct strbuf tag = STRBUF_INIT;
    int tag_line = 0;
    if (close && sscanf(why, "'%15[a-z]' expected", expected) == 1 &&
        sscanf(close, "(to close '%15[a-z]' at line %d)", opener, &opened) == 2 &&
        tag_at_line(text, len, opened, &tag, &tag_line)) {
        lua_pushfstring(L, "%s:%d: '%s' has no '<%% %s %%>' after it", path, tag_line, sb_str(&tag),
                        expected);
    } else if (line > 0 && tag_at_line(text, len, line, &tag, &tag_line)) {
        lua_pushfstring(L, "%s:%d: the Lua in '%s' is not valid: %s", path, tag_line, sb_str(&tag),
                        why);
    } else {
        lua_pushfstring(L, "%s:%d: the template's Lua is not valid: %s", path, line, why);
    }
    sb_free(&tag);
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
            template_error(L, "template '%s': not a template name", name);
    if (name[0] == '/' || name[0] == '.')
        template_error(L, "template '%s': not a template name", name);
    char *path = host_find_asset(h, name);
    if (!path) {
        const char *mine = host_project_templates(h);
        if (mine)
            return (void)template_error(
                L, "template '%s' not found: it is neither in %s/ nor a built-in one", name, mine);
        return (void)template_error(
            L,
            "template '%s' not found: there is no built-in one (a project's own "
            "go in its templates/ folder)",
            name);
    }
    struct strbuf text = STRBUF_INIT, src = STRBUF_INIT, chunkname = STRBUF_INIT;
    char err[256];
    host_chunk_name(h, path, &chunkname);
    const char *shown = chunkname.data + 1; /* the path as the user opens it */
    int ok = text_slurp(path, &text) == 0;
    if (ok && template_compile(sb_str(&text), text.len, &src, err, sizeof err) != 0) {
        const char *words = strstr(err, ": ");
        lua_pushfstring(L, "%s: %s", shown, words ? words + 2 : err);
        ok = 0;
    } else if (!ok) {
        lua_pushfstring(L, "%s: cannot read the template", shown);
    } else if (host_load(h, sb_str(&src), src.len, chunkname.data) != 0) {
        push_syntax_error(L, shown, sb_str(&text), text.len, lua_tostring(L, -1));
        lua_remove(L, -2);
        ok = 0;
    }
    free(path);
    sb_free(&text);
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
        return template_error(L, "template %s: includes and layouts nest deeper than %d", name,
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
    lua_pushcfunction(L, variable_assign);
    lua_setfield(L, -2, "__newindex");
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
        const char *words = strstr(err, ": ");
        lua_pushnil(L);
        lua_pushstring(L, words ? words + 2 : err);
        return 2;
    }
    lua_pushlstring(L, sb_str(&src), src.len);
    sb_free(&src);
    return 1;
}

/* template.rendering(what): what the page being rendered is of ("R-014"), named by errors
 * until changed again (nil: nothing); the previous one returned. */
static int template_rendering(lua_State *L)
{
    if (!lua_isnoneornil(L, 1)) luaL_checkstring(L, 1);
    lua_settop(L, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, HOST_RENDERING_KEY);
    lua_pushvalue(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, HOST_RENDERING_KEY);
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
    lua_pushcfunction(L, template_rendering);
    lua_setfield(L, -2, "rendering");
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
