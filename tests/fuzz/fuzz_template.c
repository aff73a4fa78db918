/* fuzz_template.c - template_compile, the HTML template compiler (src/lua_template.c).
 *
 * Every input is used twice:
 *
 * 1. As a template, byte for byte (the report-templates/ corpus). Checks: no crash, leak or
 *    undefined behaviour; the Lua source has exactly as many line breaks as the template (so
 *    errors point at the template's lines); a refusal names a line that exists; and when the
 *    template has no Lua in it (only text, "<%%" and <%# notes %>) its source loads as a text
 *    chunk with luaL_loadbufferx in a bare lua_State. A template whose own Lua is broken may
 *    fail to load: that is its author's error, reported as such by riskreg.
 *
 * 2. As a recipe for a template built from pieces whose meaning is known: text (any bytes but
 *    NUL, with "<%" written "<%%"), <%= expr %>, <%- expr %>, <% statement %> (ifs, elses and
 *    do-blocks that nest, locals, Lua comments), <%# notes %>, each tag with or without the "-%>"
 *    that swallows the line break after it. The generator works out what the template must
 *    render. Checks: it compiles; the source loads as a text chunk (a compiled template that is
 *    not valid Lua is a bug); it runs, and renders exactly the expected text; a statement at
 *    template line L runs as line L (checked with check(L) in the template). */
#include "fuzz_common.h"
#include "lua_template.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#define MAX_NEST 24

/* ---- 1: the input as it is ---- */

static int count_newlines(const char *s, size_t n)
{
    int lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n';
    return lines;
}

/* Any "<%" that opens a tag with Lua in it ("<%%" is text, "<%#" a note)? */
static int has_lua_tag(const char *text)
{
    for (const char *p = strstr(text, "<%"); p; p = strstr(p + 2, "<%"))
        if (p[2] != '%' && p[2] != '#') return 1;
    return 0;
}

static void fuzz_raw(lua_State *L, const char *text, size_t len)
{
    struct strbuf src = STRBUF_INIT;
    char err[256];
    memset(err, 'x', sizeof err);
    int rc = template_compile(text, len, &src, err, sizeof err);
    size_t clen = strlen(text); /* what the compiler sees of a template with a NUL in it */
    if (rc != 0) {
        FUZZ_CHECK(rc == -1, "template_compile returned %d", rc);
        fuzz_check_message(err, sizeof err, "template_compile");
        int line = atoi(err);
        FUZZ_CHECK(line >= 1 && line <= count_newlines(text, len) + 1,
                   "template_compile blames line %d: %s", line, err);
    } else {
        FUZZ_CHECK(src.data && src.len == strlen(src.data), "the source holds a NUL");
        FUZZ_CHECK(clen != len || count_newlines(src.data, src.len) == count_newlines(text, len),
                   "the source has %d line breaks, the template %d",
                   count_newlines(src.data, src.len), count_newlines(text, len));
        int loaded = luaL_loadbufferx(L, src.data, src.len, "=template", "t");
        FUZZ_CHECK(loaded == LUA_OK || has_lua_tag(text),
                   "a template without Lua compiles to source that does not load: %s",
                   lua_tostring(L, -1));
        lua_settop(L, 0);
    }
    sb_free(&src);
}

/* ---- 2: templates built from known pieces ---- */

struct gen {
    const uint8_t *p;
    size_t n;
    struct strbuf tmpl;    /* the template being built */
    struct strbuf expect;  /* what it must render */
    struct strbuf pending; /* text not yet written into tmpl (as it must render) */
    int line;              /* template line where tmpl ends */
    int trim;              /* the last tag ended with "-%>" */
    int depth;
    int locals; /* local statements so far: Lua allows 200 in a function */
    struct {
        int active, is_if, has_else;
    } nest[MAX_NEST];
};

static int next(struct gen *g)
{
    if (!g->n) return -1;
    g->n--;
    return *g->p++;
}

static int pick(struct gen *g, int count)
{
    int b = next(g);
    return b < 0 ? 0 : b % count;
}

static int active(const struct gen *g)
{
    for (int i = 0; i < g->depth; i++)
        if (!g->nest[i].active) return 0;
    return 1;
}

static void emit(struct gen *g, const char *s, size_t n)
{
    sb_add(&g->tmpl, s, n);
    g->line += count_newlines(s, n);
}

static void emit_str(struct gen *g, const char *s)
{
    emit(g, s, strlen(s));
}

/* Write the pending text into the template ("<%" as "<%%"), and into what it renders. */
static void flush_text(struct gen *g)
{
    const char *t = g->pending.data ? g->pending.data : "";
    size_t n = g->pending.len, skip = 0;
    if (g->trim && n) { /* "-%>" swallowed the line break right after the tag */
        if (t[0] == '\n')
            skip = 1;
        else if (n >= 2 && t[0] == '\r' && t[1] == '\n')
            skip = 2;
    }
    if (n) g->trim = 0;
    if (active(g)) sb_add(&g->expect, t + skip, n - skip);
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '<' && i + 1 < n && t[i + 1] == '%') {
            emit_str(g, "<%%");
            i++;
        } else {
            emit(g, t + i, 1);
        }
    }
    sb_reset(&g->pending);
}

static const char *const spaces[] = {" ", "\n", "\t", "  ", " \r\n "};
static const char *const ends[] = {" ", "", "\n", " \n"};

/* Open a tag: "<%" and its kind, after the pending text. */
static void open_tag(struct gen *g, const char *open)
{
    flush_text(g);
    g->trim = 0;
    emit_str(g, open);
}

static void close_tag(struct gen *g, int trim)
{
    emit_str(g, trim ? "-%>" : "%>");
    g->trim = trim;
}

struct expr {
    const char *code, *value;
    size_t value_len;
};
/* the variables: x = "X", n = 42, e = "", s = a string with quotes, "]]", "<%", "%>" and a NUL */
#define S_VALUE "q\"b\\c]]\n<%\0%>'"
static const struct expr exprs[] = {
    {"x", "X", 1},
    {"n", "42", 2},
    {"e", "", 0},
    {"s", S_VALUE, sizeof S_VALUE - 1},
    {"x .. n", "X42", 3},
    {"n + 1", "43", 2},
    {"'<' .. '%'", "<%", 2},
    {"\"%\" .. '>'", "%>", 2},
    {"[[a\"b]]", "a\"b", 3},
    {"#s", "14", 2},
    {"(x)", "X", 1},
    {"x --[[ note ]]", "X", 1},
    {"nil", "nil", 3},
    {"t and x or n", "X", 1},
};

static void gen_expr(struct gen *g)
{
    int raw = pick(g, 2);
    const struct expr *e = &exprs[pick(g, (int)(sizeof exprs / sizeof exprs[0]))];
    int trim = pick(g, 3) == 0;
    open_tag(g, raw ? "<%-" : "<%=");
    emit_str(g, spaces[pick(g, 5)]);
    emit_str(g, e->code);
    emit_str(g, ends[pick(g, 4)]);
    if (active(g)) {
        sb_puts(&g->expect, raw ? "R{" : "E{");
        sb_add(&g->expect, e->value, e->value_len);
        sb_puts(&g->expect, "}");
    }
    close_tag(g, trim);
}

static void gen_statement(struct gen *g)
{
    int trim = pick(g, 3) == 0;
    int which = pick(g, 11);
    const char *lead = spaces[pick(g, 5)];
    char code[64];
    int push = -1;     /* the new block's active flag, or -1 */
    open_tag(g, "<%"); /* the text before the tag renders in the blocks as they were */
    switch (which) {
    case 0:
        snprintf(code, sizeof code, g->locals++ < 150 ? "local y = 1" : ";");
        break;
    case 1:
        snprintf(code, sizeof code, "y2 = n");
        break;
    case 2:
        snprintf(code, sizeof code, ";");
        break;
    case 3:
        snprintf(code, sizeof code, "if t then");
        push = 1;
        break;
    case 4:
        snprintf(code, sizeof code, "if f then");
        push = 0;
        break;
    case 5:
        snprintf(code, sizeof code, "do");
        push = 1;
        break;
    case 6:
        if (g->depth && g->nest[g->depth - 1].is_if && !g->nest[g->depth - 1].has_else) {
            snprintf(code, sizeof code, "else");
            g->nest[g->depth - 1].has_else = 1;
            g->nest[g->depth - 1].active = !g->nest[g->depth - 1].active;
            break;
        }
        /* fall through */
    case 7:
        if (g->depth) {
            snprintf(code, sizeof code, "end");
            g->depth--;
            break;
        }
        /* fall through */
    case 8:
        /* the line the statement is on: the tag's line plus the line breaks before it */
        snprintf(code, sizeof code, "check(%d)", g->line + count_newlines(lead, strlen(lead)));
        break;
    case 9:
        snprintf(code, sizeof code, g->locals++ < 150 ? "local z = [[\nmore\n]]" : ";");
        break;
    default:
        snprintf(code, sizeof code, "-- a note"); /* a Lua comment ends at the end of its tag */
        break;
    }
    if (push >= 0 && g->depth == MAX_NEST) {
        snprintf(code, sizeof code, "y = 3");
        push = -1;
    }
    emit_str(g, lead);
    emit_str(g, code);
    emit_str(g, ends[pick(g, 4)]);
    close_tag(g, trim);
    if (push >= 0) {
        g->nest[g->depth].active = push;
        g->nest[g->depth].is_if = which == 3 || which == 4;
        g->nest[g->depth].has_else = 0;
        g->depth++;
    }
}

static void gen_note(struct gen *g)
{
    int len = pick(g, 24);
    open_tag(g, "<%#");
    char prev = '#';
    for (int i = 0; i < len; i++) {
        int b = next(g);
        if (b <= 0) break;
        if (b == '>' && prev == '%') continue; /* no "%>" inside */
        char c = (char)b;
        emit(g, &c, 1);
        prev = c;
    }
    /* a note ending in '-' is a "-%>" */
    int trim = g->tmpl.len && g->tmpl.data[g->tmpl.len - 1] == '-';
    if (trim) {
        g->tmpl.len--;
        g->tmpl.data[g->tmpl.len] = '\0';
    }
    close_tag(g, trim || pick(g, 4) == 0);
}

static void gen_text(struct gen *g)
{
    static const char *const bits[] = {"\n",  "\r\n", "\r", "<%", "%>", "<",   "%",
                                       "-%>", "\\",   "\"", "]]", "\t", "<%%", "-"};
    if (pick(g, 3) == 0) {
        sb_puts(&g->pending, bits[pick(g, (int)(sizeof bits / sizeof bits[0]))]);
        return;
    }
    int len = pick(g, 32);
    for (int i = 0; i < len; i++) {
        int b = next(g);
        if (b < 0) break;
        sb_putc(&g->pending, b ? (char)b : '%'); /* a NUL would end the template early */
    }
}

static int check_line(lua_State *L)
{
    lua_Debug ar;
    lua_Integer want = luaL_checkinteger(L, 1);
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar) && ar.currentline != want)
        return luaL_error(L, "check(%d) runs as line %d", (int)want, ar.currentline);
    return 0;
}

static int wrap(lua_State *L, const char *mark)
{
    size_t n;
    const char *v = luaL_tolstring(L, 1, &n); /* stays on the stack while the buffer grows */
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, mark);
    luaL_addchar(&b, '{');
    luaL_addlstring(&b, v, n); /* the value may hold a NUL */
    luaL_addchar(&b, '}');
    luaL_pushresult(&b);
    return 1;
}

static int escape_stub(lua_State *L)
{
    return wrap(L, "E");
}

static int raw_stub(lua_State *L)
{
    return wrap(L, "R");
}

static int render_stub(lua_State *L)
{
    lua_pushliteral(L, "");
    return 1;
}

/* Print a template, source or rendering with its bytes visible (C escapes). */
static void show(const char *what, const char *s, size_t n)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n && sb.len < 1800; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 32 && c < 127 && c != '"' && c != '\\')
            sb_putc(&sb, (char)c);
        else
            sb_printf(&sb, "\\x%02X", c);
    }
    fuzz_report("%s (%zu bytes): \"%s\"", what, n, sb_str(&sb));
    sb_free(&sb);
}

static void fuzz_built(lua_State *L, const uint8_t *data, size_t size)
{
    struct gen g = {.p = data, .n = size, .line = 1};
    while (g.n) {
        switch (pick(&g, 8)) {
        case 0:
        case 1:
        case 2:
            gen_text(&g);
            break;
        case 3:
        case 4:
            gen_expr(&g);
            break;
        case 5:
        case 6:
            gen_statement(&g);
            break;
        default:
            gen_note(&g);
            break;
        }
    }
    flush_text(&g);
    while (g.depth) {
        emit_str(&g, "<% end %>");
        g.depth--;
    }
    sb_puts(&g.tmpl, "");
    sb_puts(&g.expect, "");

    struct strbuf src = STRBUF_INIT;
    char err[256];
    int rc = template_compile(g.tmpl.data, g.tmpl.len, &src, err, sizeof err);
    if (rc != 0) show("template", g.tmpl.data, g.tmpl.len);
    FUZZ_CHECK(rc == 0, "a well-formed template does not compile: %s", err);
    int loaded = luaL_loadbufferx(L, src.data, src.len, "=template", "t");
    if (loaded != LUA_OK) {
        show("template", g.tmpl.data, g.tmpl.len);
        show("source", src.data, src.len);
    }
    FUZZ_CHECK(loaded == LUA_OK, "a compiled template is not valid Lua: %s", lua_tostring(L, -1));
    lua_newtable(L); /* _ENV */
    lua_pushliteral(L, "X");
    lua_setfield(L, -2, "x");
    lua_pushinteger(L, 42);
    lua_setfield(L, -2, "n");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "e");
    lua_pushlstring(L, S_VALUE, sizeof S_VALUE - 1);
    lua_setfield(L, -2, "s");
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "t");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "f");
    lua_pushcfunction(L, check_line);
    lua_setfield(L, -2, "check");
    lua_pushcfunction(L, escape_stub);
    lua_pushcfunction(L, raw_stub);
    lua_pushcfunction(L, render_stub);
    lua_getglobal(L, "table");
    lua_getfield(L, -1, "concat");
    lua_remove(L, -2);
    int ran = lua_pcall(L, 5, 2, 0);
    if (ran != LUA_OK) {
        show("template", g.tmpl.data, g.tmpl.len);
        show("source", src.data, src.len);
    }
    FUZZ_CHECK(ran == LUA_OK, "a compiled template fails to run: %s", lua_tostring(L, -1));
    size_t n = 0;
    const char *got = lua_tolstring(L, -2, &n);
    int same = got && n == g.expect.len && memcmp(got, g.expect.data, n) == 0;
    if (!same) {
        show("template", g.tmpl.data, g.tmpl.len);
        show("expected", g.expect.data, g.expect.len);
        if (got)
            show("rendered", got, n);
        else
            fuzz_report("rendered: a %s, not a string", luaL_typename(L, -2));
    }
    FUZZ_CHECK(same, "the template renders other text than it says");
    FUZZ_CHECK(lua_isnil(L, -1), "a template without layout() returns a layout");
    lua_settop(L, 0);
    sb_free(&src);
    sb_free(&g.tmpl);
    sb_free(&g.expect);
    sb_free(&g.pending);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lua_State *L = luaL_newstate();
    if (!L) abort();
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    lua_pop(L, 1);
    char *text = fuzz_cstring(data, size);
    fuzz_raw(L, text, size);
    free(text);
    fuzz_built(L, data, size);
    lua_close(L);
    return 0;
}
