/* fingerprint.c - what a page was made from, as one 128-bit hash (xxHash's XXH3) */
#define _GNU_SOURCE /* scandir's alphasort */
#include "fingerprint.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <xxhash.h>

struct fp_stream {
    XXH3_state_t *state;
};

struct fp_stream *fp_stream_new(void)
{
    struct fp_stream *s = xcalloc(1, sizeof *s);
    s->state = XXH3_createState();
    if (!s->state) {
        rr_error("out of memory");
        exit(EXIT_FAILURE);
    }
    XXH3_128bits_reset(s->state);
    return s;
}

void fp_stream_add(struct fp_stream *s, const void *data, size_t len)
{
    XXH3_128bits_update(s->state, data, len);
}

void fp_stream_str(struct fp_stream *s, const char *text)
{
    fp_stream_add(s, text ? text : "", text ? strlen(text) + 1 : 1);
}

struct fp fp_stream_digest(const struct fp_stream *s)
{
    XXH128_hash_t h = XXH3_128bits_digest(s->state);
    return (struct fp){h.low64, h.high64};
}

void fp_stream_free(struct fp_stream *s)
{
    if (!s) return;
    XXH3_freeState(s->state);
    free(s);
}

void fp_hex(struct fp f, char out[FP_HEX_SIZE])
{
    snprintf(out, FP_HEX_SIZE, "%016llx%016llx", (unsigned long long)f.hi,
             (unsigned long long)f.lo);
}

/* ---- Lua values ---- */

/* The tables met while fingerprinting one value: each table's fingerprint once known (a table
 * shared by many records is followed once), and which are still being followed (a cycle). */
struct seen {
    const void **key;
    struct fp *value;
    unsigned char *state; /* 0 empty, 1 being followed, 2 done */
    size_t cap, count;
};

static size_t slot_of(const struct seen *s, const void *p)
{
    /* every bit of the address mixed into every bit of the slot (tables sit at addresses a
     * few multiples of 16 apart: their low bits alone would crowd a few slots) */
    uint64_t x = (uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    size_t i = (size_t)x & (s->cap - 1);
    while (s->state[i] && s->key[i] != p)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static void seen_grow(struct seen *s)
{
    struct seen bigger = {0};
    bigger.cap = s->cap ? s->cap * 2 : 256;
    bigger.key = xcalloc(bigger.cap, sizeof *bigger.key);
    bigger.value = xcalloc(bigger.cap, sizeof *bigger.value);
    bigger.state = xcalloc(bigger.cap, 1);
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->state[i]) continue;
        size_t j = slot_of(&bigger, s->key[i]);
        bigger.key[j] = s->key[i];
        bigger.value[j] = s->value[i];
        bigger.state[j] = s->state[i];
    }
    bigger.count = s->count;
    free(s->key);
    free(s->value);
    free(s->state);
    *s = bigger;
}

static struct fp of_bytes(const void *data, size_t len, uint64_t tag)
{
    XXH128_hash_t h = XXH3_128bits_withSeed(data, len, tag);
    return (struct fp){h.low64, h.high64};
}

static struct fp table_fp(lua_State *L, int idx, struct seen *s);

/* A Lua function by where it is defined; a C function by being one. */
static struct fp function_fp(lua_State *L, int idx)
{
    if (lua_iscfunction(L, idx)) return of_bytes("C", 1, 'f');
    lua_Debug ar;
    lua_pushvalue(L, idx);
    lua_getinfo(L, ">S", &ar);
    return of_bytes(ar.source, strlen(ar.source), (uint64_t)ar.linedefined);
}

/* A value as bytes to hash: a tag, then a scalar's own bytes (a long string's hash), or a
 * table's or a function's fingerprint. Returns the length written at out. */
#define SHORT_STRING 64
#define ENCODED_MAX (1 + SHORT_STRING + 8)
static size_t encode(lua_State *L, int idx, struct seen *s, unsigned char *out)
{
    struct fp f;
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        out[0] = 'n';
        return 1;
    case LUA_TBOOLEAN:
        out[0] = lua_toboolean(L, idx) ? 'T' : 'F';
        return 1;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            lua_Integer v = lua_tointeger(L, idx);
            out[0] = 'i';
            memcpy(out + 1, &v, sizeof v);
        } else {
            lua_Number v = lua_tonumber(L, idx);
            out[0] = 'd';
            memcpy(out + 1, &v, sizeof v);
        }
        return 1 + 8;
    case LUA_TSTRING: {
        size_t len;
        const char *text = lua_tolstring(L, idx, &len);
        if (len <= SHORT_STRING) { /* tagged by its length: no two strings encode alike */
            out[0] = (unsigned char)len;
            memcpy(out + 1, text, len);
            return 1 + len;
        }
        f = of_bytes(text, len, 's');
        out[0] = 'S';
        break;
    }
    case LUA_TTABLE:
        f = table_fp(L, idx, s);
        out[0] = 't';
        break;
    case LUA_TFUNCTION:
        f = function_fp(L, idx);
        out[0] = 'f';
        break;
    default: {
        const char *name = lua_typename(L, lua_type(L, idx));
        f = of_bytes(name, strlen(name), 'u');
        out[0] = 'u';
    }
    }
    memcpy(out + 1, &f, sizeof f);
    return 1 + sizeof f;
}

static struct fp table_fp(lua_State *L, int idx, struct seen *s)
{
    const void *p = lua_topointer(L, idx);
    if (s->count * 2 >= s->cap) seen_grow(s);
    size_t i = slot_of(s, p);
    if (s->state[i] == 2) return s->value[i];
    if (s->state[i] == 1) return of_bytes("cycle", 5, 'c');
    s->key[i] = p;
    s->state[i] = 1;
    s->count++;
    luaL_checkstack(L, 4, "a page's variables are nested too deeply");
    /* pairs in any order give the same sum */
    struct fp sum = {0, 0};
    uint64_t n = 0;
    unsigned char pair[2 * ENCODED_MAX];
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        int top = lua_gettop(L);
        size_t len = encode(L, top - 1, s, pair);
        len += encode(L, top, s, pair + len);
        struct fp one = of_bytes(pair, len, 'p');
        sum.lo += one.lo;
        sum.hi += one.hi;
        n++;
        lua_pop(L, 1);
    }
    uint64_t parts[5] = {sum.lo, sum.hi, n, 0, 0};
    if (lua_getmetatable(L, idx)) {
        struct fp meta = table_fp(L, lua_gettop(L), s);
        parts[3] = meta.lo, parts[4] = meta.hi;
        lua_pop(L, 1);
    }
    struct fp f = of_bytes(parts, sizeof parts, 't');
    i = slot_of(s, p); /* the table may have grown meanwhile */
    s->value[i] = f;
    s->state[i] = 2;
    return f;
}

struct fp fp_lua_value(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    struct seen s = {0};
    seen_grow(&s);
    unsigned char bytes[ENCODED_MAX];
    size_t len = encode(L, idx, &s, bytes);
    struct fp f = of_bytes(bytes, len, 'v');
    free(s.key);
    free(s.value);
    free(s.state);
    return f;
}

/* ---- files ---- */

static int add_file(struct fp_stream *s, const char *path, const char *shown, struct strbuf *where)
{
    struct strbuf bytes = STRBUF_INIT;
    fp_stream_str(s, shown);
    int rc = text_slurp(path, &bytes);
    if (rc == 0) {
        fp_stream_add(s, "F", 1);
        uint64_t len = bytes.len;
        fp_stream_add(s, &len, sizeof len);
        fp_stream_add(s, bytes.data ? bytes.data : "", bytes.len);
    } else if (errno == ENOENT) {
        fp_stream_add(s, "-", 1);
        rc = 0;
    } else {
        int e = errno;
        sb_puts(where, path);
        errno = e;
    }
    sb_free(&bytes);
    return rc;
}

static int no_dots(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static int add_tree(struct fp_stream *s, const char *dir, const char *below, struct strbuf *where)
{
    struct dirent **entries;
    int n = scandir(dir, &entries, no_dots, alphasort);
    if (n < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return 0;
        int e = errno;
        sb_puts(where, dir);
        errno = e;
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        struct strbuf path = STRBUF_INIT, rel = STRBUF_INIT;
        sb_printf(&path, "%s/%s", dir, entries[i]->d_name);
        sb_printf(&rel, "%s%s%s", below, *below ? "/" : "", entries[i]->d_name);
        struct stat st;
        if (rc == 0 && stat(path.data, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                rc = add_tree(s, path.data, rel.data, where);
            else if (S_ISREG(st.st_mode))
                rc = add_file(s, path.data, rel.data, where);
        }
        sb_free(&path);
        sb_free(&rel);
        free(entries[i]);
    }
    free(entries);
    return rc;
}

int fp_stream_files(struct fp_stream *s, const char *const *dirs, int ndirs,
                    const char *const *files, int nfiles, struct strbuf *where)
{
    for (int i = 0; i < ndirs; i++) {
        fp_stream_str(s, "dir");
        if (add_tree(s, dirs[i], "", where) != 0) return -1;
    }
    for (int i = 0; i < nfiles; i++) {
        fp_stream_str(s, "file");
        if (add_file(s, files[i], "", where) != 0) return -1;
    }
    return 0;
}
