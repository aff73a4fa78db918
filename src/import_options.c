/* import_options.c - which column is which field, which sheet word is which register word, and
 * the order of a sheet's dates: from riskreg.lua's import section and from the command line.
 *
 * The project's own words (riskreg.lua) come first and the command line's after them, so that a
 * flag given for one import wins over what the project keeps for every import. */
#include "import_options.h"
#include "cli.h"
#include "lua_host.h"
#include "rules.h"
#include "sheet.h"
#include "text.h"

#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_REPEATS 32

static void add_map(struct import_options *o, const char *column, size_t column_len,
                    const char *field, const char *origin)
{
    o->maps = xrealloc(o->maps, sizeof *o->maps * (size_t)(o->nmaps + 1));
    struct column_map *m = &o->maps[o->nmaps++];
    m->column = text_trim(xstrndup(column, column_len));
    m->field = text_trim(xstrdup(field));
    m->origin = origin;
    m->used = 0;
}

/* The kinds' fields a mapping may name: a risk's and its assessment's, an improvement's, ... */
static int field_is_known(const char *name)
{
    for (int k = 0; k < KIND_COUNT; k++)
        if (model_field_index(model_kind(k), name) >= 0) return 1;
    return 0;
}

static const char *suggest_any_field(const char *name)
{
    const char *names[KIND_COUNT * MAX_FIELDS];
    size_t n = 0;
    for (int k = 0; k < KIND_COUNT; k++)
        for (int i = 0; i < model_kind(k)->nfields; i++)
            names[n++] = model_kind(k)->fields[i].name;
    return text_suggest(name, names, n);
}

static int unknown_field(struct cli *c, const char *what, const char *field)
{
    const char *guess = suggest_any_field(field);
    return cli_usage_error(c, "%s: no kind has a field '%s'%s%s%s (riskreg help fields lists them)",
                           what, field, guess ? "; did you mean '" : "", guess ? guess : "",
                           guess ? "'?" : "");
}

/* --map 'Header=field,Other=field': a piece without '=' belongs to the next one, so that a
 * header with commas in it ("Potential Impact (C,S,Q,Sc)=impact") needs no quoting. */
static int parse_map(struct cli *c, struct import_options *o, const char *text)
{
    const char *start = text;
    for (const char *p = text;; p++) {
        if (*p != ',' && *p) continue;
        const char *eq = NULL;
        for (const char *q = start; q < p; q++)
            if (*q == '=') eq = q;
        if (!eq && *p) continue; /* the header goes on after the comma */
        if (!eq) {
            cli_usage_error(c, "--map: '%s' is not 'Header=field' (or 'E=field', '#5=field')",
                            start);
            return -1;
        }
        char *field = xstrndup(eq + 1, (size_t)(p - eq - 1));
        text_trim(field);
        int bad = *field && !field_is_known(field);
        if (bad)
            unknown_field(c, "--map", field);
        else
            add_map(o, start, (size_t)(eq - start), field, "--map");
        free(field);
        if (bad) return -1;
        if (!*p) return 0;
        start = p + 1;
    }
}

static int value_is_known(const char *field, const char *value)
{
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind *kd = model_kind(k);
        int i = model_field_index(kd, field);
        if (i < 0) continue;
        if (kd->fields[i].type != FT_ENUM || model_enum_value(kd, &kd->fields[i], value)) return 1;
    }
    return 0;
}

static int add_value(struct cli *c, struct import_options *o, const char *field, const char *word,
                     const char *value, const char *origin)
{
    if (!field_is_known(field)) return unknown_field(c, origin, field), -1;
    if (!value_is_known(field, value)) {
        cli_usage_error(c, "%s: '%s' is not a %s riskreg knows (riskreg help words lists them)",
                        origin, value, field);
        return -1;
    }
    o->values = xrealloc(o->values, sizeof *o->values * (size_t)(o->nvalues + 1));
    struct value_map *v = &o->values[o->nvalues++];
    v->field = text_trim(xstrdup(field));
    v->word = text_trim(xstrdup(word));
    v->value = text_trim(xstrdup(value));
    v->origin = origin;
    return 0;
}

/* --map-values 'status:Not Started=open,On hold=treating,treatment:Transferred=transfer' */
static int parse_values(struct cli *c, struct import_options *o, const char *text)
{
    char *copy = xstrdup(text), *field = NULL;
    int rc = 0;
    for (char *piece = copy, *next; piece && rc == 0; piece = next) {
        next = strchr(piece, ',');
        if (next) *next++ = '\0';
        char *eq = strchr(piece, '='), *colon = strchr(piece, ':');
        if (colon && (!eq || colon < eq)) {
            *colon = '\0';
            field = text_trim(piece);
            piece = colon + 1;
        }
        if (!eq || !field || !*field) {
            rc = cli_usage_error(c,
                                 "--map-values: '%s' is not 'field:Word=value' (such as "
                                 "'status:Not Started=open,On hold=treating')",
                                 text);
            break;
        }
        *eq = '\0';
        rc = add_value(c, o, field, piece, eq + 1, "--map-values");
    }
    free(copy);
    return rc ? -1 : 0;
}

/* riskreg.lua's import section, as the rules hand it over (checked there): its mappings, its
 * words and its date order. */
static int read_settings(struct cli *c, struct import_options *o)
{
    if (cli_rules(c) != 0) return -1;
    lua_State *L = host_state(rules_host(c->rules));
    if (rules_call(c->rules, "riskreg.columns", "import_settings", 0, 1) != 0) return -1;
    int rc = 0;
    lua_getfield(L, -1, "date_format");
    if (lua_isstring(L, -1)) {
        date_order_parse(lua_tostring(L, -1), &o->date_order);
        o->date_order_origin = "riskreg.lua's import.date_format";
    }
    lua_pop(L, 1);
    lua_getfield(L, -1, "map");
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n && rc == 0; i++) {
        lua_rawgeti(L, -1, i);
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        const char *column = lua_tostring(L, -2), *field = lua_tostring(L, -1);
        if (*field && !field_is_known(field))
            rc = unknown_field(c, "riskreg.lua import.map", field);
        else
            add_map(o, column, strlen(column), field, "riskreg.lua");
        lua_pop(L, 3);
    }
    lua_pop(L, 1);
    lua_getfield(L, -1, "values");
    n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n && rc == 0; i++) {
        lua_rawgeti(L, -1, i);
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        lua_rawgeti(L, -3, 3);
        rc = add_value(c, o, lua_tostring(L, -3), lua_tostring(L, -2), lua_tostring(L, -1),
                       "riskreg.lua import.values");
        lua_pop(L, 4);
    }
    lua_pop(L, 2);
    return rc ? -1 : 0;
}

int import_options_read(struct cli *c, struct import_options *o, const char *date_format)
{
    memset(o, 0, sizeof *o);
    if (read_settings(c, o) != 0) return -1;
    const char *values[MAX_REPEATS];
    int n = cli_values(c, "--map", values, MAX_REPEATS);
    for (int i = 0; i < n; i++)
        if (parse_map(c, o, values[i]) != 0) return -1;
    n = cli_values(c, "--map-values", values, MAX_REPEATS);
    for (int i = 0; i < n; i++)
        if (parse_values(c, o, values[i]) != 0) return -1;
    if (date_format) {
        if (date_order_parse(date_format, &o->date_order) != 0) {
            cli_usage_error(c,
                            "--date-format: '%s' is not DMY (31/12/2026), MDY (12/31/2026) or "
                            "YMD (2026/12/31)",
                            date_format);
            return -1;
        }
        o->date_order_origin = "--date-format";
    }
    return 0;
}

void import_options_free(struct import_options *o)
{
    for (int i = 0; i < o->nmaps; i++) {
        free(o->maps[i].column);
        free(o->maps[i].field);
    }
    for (int i = 0; i < o->nvalues; i++) {
        free(o->values[i].field);
        free(o->values[i].word);
        free(o->values[i].value);
    }
    free(o->maps);
    free(o->values);
    memset(o, 0, sizeof *o);
}

/* Does a mapping's column name column col? A header of that name first; then a letter ("E")
 * when no header is so named; "#5" is always the fifth column. */
static int names_column(const char *spec, const char *const *headers, int ncols, int col)
{
    char key[128], hkey[128];
    if (spec[0] == '#' && spec[1]) {
        char *end;
        long n = strtol(spec + 1, &end, 10);
        return !*end && n == col + 1;
    }
    text_name_key(spec, key, sizeof key);
    text_name_key(headers[col], hkey, sizeof hkey);
    if (*key && strcmp(key, hkey) == 0) return 1;
    text_header_key(headers[col], hkey, sizeof hkey); /* "Likelihood" names "Likelihood (1-5)" */
    if (*key && strcmp(key, hkey) == 0) return 1;
    if (strlen(spec) > 3 ||
        strspn(spec, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != strlen(spec))
        return 0;
    for (int c = 0; c < ncols; c++) { /* a header of that name: it means the header */
        text_name_key(headers[c], hkey, sizeof hkey);
        if (strcmp(key, hkey) == 0) return 0;
        text_header_key(headers[c], hkey, sizeof hkey);
        if (strcmp(key, hkey) == 0) return 0;
    }
    char letters[16];
    sheet_cell_ref(col, 0, letters, sizeof letters);
    return strcasecmp(letters, spec) == 0;
}

struct column_map *import_options_column(struct import_options *o, const char *const *headers,
                                         int ncols, int col)
{
    for (int i = o->nmaps - 1; i >= 0; i--)
        if (names_column(o->maps[i].column, headers, ncols, col)) return &o->maps[i];
    return NULL;
}

const char *import_options_value(const struct import_options *o, const char *field,
                                 const char *word)
{
    char key[256], wkey[256];
    if (!o->nvalues) return NULL;
    text_name_key(word, key, sizeof key);
    if (!*key) return NULL;
    for (int i = o->nvalues - 1; i >= 0; i--) {
        if (strcmp(o->values[i].field, field) != 0) continue;
        text_name_key(o->values[i].word, wkey, sizeof wkey);
        if (strcmp(key, wkey) == 0) return o->values[i].value;
    }
    return NULL;
}
