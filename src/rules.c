/* rules.c - the rules engine: every command asks the Lua rules (scripts/lib/rules.lua, with the
 * project's scripts/ first) how to read the register, so the command line, the exports and the
 * site say the same thing; C keeps no copy of a rule. One sandboxed Lua state per command, the
 * same the build renders the site in, with riskreg.lua loaded once and checked once. */
#include "rules.h"
#include "config.h"
#include "lua_csv.h"
#include "lua_json.h"
#include "lua_model.h"
#include "lua_text.h"
#include "map.h"
#include "record.h"
#include "text.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#ifndef RISKREG_DATADIR
#define RISKREG_DATADIR "/usr/local/share/riskreg"
#endif
#ifndef RISKREG_SOURCEDIR /* the installed program does not look for a source tree */
#define RISKREG_SOURCEDIR NULL
#endif

/* ratings are 1..MATRIX_MAX; 0 stands for none (a residual pair not given) */
#define RATINGS (MATRIX_MAX + 1)

struct rules {
    struct host *h;
    int module;      /* registry reference of the rules module's table */
    int field_names; /* and of each kind's field names as Lua strings */
    /* the answers that depend on a handful of values, asked once: the scores of each
     * combination of ratings (by L, I, RL, RI), the kinds that fall due */
    struct scored *scored[RATINGS * RATINGS * RATINGS * RATINGS];
    int due_kind[KIND_COUNT]; /* 1 falls due, 0 not, -1 not asked yet */
};

struct scored {
    struct rules_score inherent, residual;
};

static void make_field_names(struct rules *r);

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int has_site_script(const char *dir)
{
    struct strbuf path = STRBUF_INIT;
    sb_printf(&path, "%s/scripts/site.lua", dir);
    struct stat st;
    int ok = stat(path.data, &st) == 0 && S_ISREG(st.st_mode);
    sb_free(&path);
    return ok;
}

const char *rules_data_dir(void)
{
    static char found[PATH_MAX];
    if (found[0]) return found;
    const char *env = getenv("RISKREG_DATADIR");
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char installed[PATH_MAX + 32] = "";
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        snprintf(installed, sizeof installed, "%s/../share/riskreg", exe);
    }
    const char *candidates[] = {env, installed, RISKREG_DATADIR, RISKREG_SOURCEDIR};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (!candidates[i] || !*candidates[i] || !has_site_script(candidates[i])) continue;
        if (!realpath(candidates[i], found)) snprintf(found, sizeof found, "%s", candidates[i]);
        return found;
    }
    return NULL;
}

/* require(name) in the scripts' environment: the module on top of the stack; -1 reported */
static int require_module(struct host *h, const char *name)
{
    lua_State *L = host_state(h);
    host_push_env(h);
    lua_getfield(L, -1, "require");
    lua_remove(L, -2);
    lua_pushstring(L, name);
    return host_pcall(h, 1, 1);
}

/* A list of strings in the table on top of the stack, into labels (size of them) */
static void copy_labels(lua_State *L, const char *field, char **labels, int size)
{
    lua_getfield(L, -1, field);
    for (int i = 0; i < MATRIX_MAX; i++) {
        free(labels[i]);
        labels[i] = NULL;
        if (i < size && lua_rawgeti(L, -1, i + 1) == LUA_TSTRING)
            labels[i] = xstrdup(lua_tostring(L, -1));
        if (i < size) lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* What the C side needs of the checked settings: the matrix and the organisation's name */
static void read_settings(struct rules *r, struct config *cfg)
{
    lua_State *L = host_state(r->h);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->module);
    lua_getfield(L, -1, "scoring");
    lua_getfield(L, -1, "size");
    cfg->matrix_size = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    copy_labels(L, "likelihood_labels", cfg->likelihood_labels, cfg->matrix_size);
    copy_labels(L, "impact_labels", cfg->impact_labels, cfg->matrix_size);
    lua_pop(L, 2);
}

static void read_name(struct rules *r, struct config *cfg)
{
    lua_State *L = host_state(r->h);
    if (require_module(r->h, "riskreg.config") != 0) return;
    if (lua_getfield(L, -1, "name") == LUA_TSTRING) {
        free(cfg->name);
        cfg->name = xstrdup(lua_tostring(L, -1));
    }
    lua_pop(L, 1);
    if (lua_getfield(L, -1, "server") == LUA_TSTRING && *lua_tostring(L, -1)) {
        free(cfg->server);
        cfg->server = xstrdup(lua_tostring(L, -1));
    }
    lua_pop(L, 2);
}

struct rules *rules_open(struct config *cfg, const struct host_limits *limits)
{
    const char *data_dir = rules_data_dir();
    if (!data_dir) {
        rr_error("cannot find riskreg's built-in scripts (scripts/site.lua); reinstall riskreg or "
                 "set RISKREG_DATADIR to the folder that holds scripts/ and report-templates/");
        return NULL;
    }
    struct host_limits defaults = {(size_t)HOST_DEFAULT_MEMORY_MB << 20, HOST_DEFAULT_SECONDS};
    struct strbuf project = STRBUF_INIT, builtin = STRBUF_INIT;
    sb_printf(&project, "%s/scripts", cfg->dir);
    sb_printf(&builtin, "%s/scripts", data_dir);
    const char *dirs[2];
    int ndirs = 0;
    if (is_dir(project.data)) dirs[ndirs++] = project.data;
    dirs[ndirs++] = builtin.data;
    struct rules *r = xcalloc(1, sizeof *r);
    r->module = LUA_NOREF;
    for (int k = 0; k < KIND_COUNT; k++)
        r->due_kind[k] = -1;
    r->h = host_new(limits ? limits : &defaults, dirs, ndirs);
    sb_free(&project);
    sb_free(&builtin);
    if (!r->h) {
        rr_error("out of memory");
        free(r);
        return NULL;
    }
    lua_text_register(r->h);
    lua_json_register(r->h);
    lua_csv_register(r->h);
    lua_model_register(r->h);
    if (host_load_settings(r->h, cfg->config_path) != 0 ||
        require_module(r->h, "riskreg.rules") != 0) {
        rules_free(r);
        return NULL;
    }
    r->module = luaL_ref(host_state(r->h), LUA_REGISTRYINDEX);
    make_field_names(r);
    read_settings(r, cfg);
    read_name(r, cfg);
    return r;
}

void rules_free(struct rules *r)
{
    if (!r) return;
    host_free(r->h);
    for (size_t i = 0; i < sizeof r->scored / sizeof r->scored[0]; i++)
        free(r->scored[i]);
    free(r);
}

struct host *rules_host(struct rules *r)
{
    return r->h;
}

int rules_call(struct rules *r, const char *lib, const char *fn, int nargs, int nresults)
{
    lua_State *L = host_state(r->h);
    if (require_module(r->h, lib) != 0) {
        lua_pop(L, nargs);
        return -1;
    }
    lua_getfield(L, -1, fn);
    lua_remove(L, -2);
    lua_insert(L, -1 - nargs);
    return host_pcall(r->h, nargs, nresults);
}

/* Push a record as the rules see it: a table of its fields (ratings and days as integers,
 * numbers as numbers, NULL as absent), keyed by the kind's field names made once */
static void push_record(struct rules *r, const struct record *rec)
{
    lua_State *L = host_state(r->h);
    const struct kind *k = rec->kind;
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->field_names);
    lua_rawgeti(L, -1, k->id + 1);
    lua_remove(L, -2);
    lua_createtable(L, 0, k->nfields);
    for (int i = 0; i < k->nfields; i++) {
        const char *v = rec->v[i];
        if (!v) continue;
        lua_rawgeti(L, -2, i + 1);
        switch (k->fields[i].type) {
        case FT_DAYS:
        case FT_RATING:
            lua_pushinteger(L, strtoll(v, NULL, 10));
            break;
        case FT_NUMBER:
            lua_pushnumber(L, strtod(v, NULL));
            break;
        default:
            lua_pushlstring(L, v, strlen(v));
            break;
        }
        lua_rawset(L, -3);
    }
    lua_remove(L, -2);
}

/* The names of every kind's fields as Lua strings, made once: { [kind + 1] = { names } } */
static void make_field_names(struct rules *r)
{
    lua_State *L = host_state(r->h);
    lua_createtable(L, KIND_COUNT, 0);
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind *kind = model_kind(k);
        lua_createtable(L, kind->nfields, 0);
        for (int i = 0; i < kind->nfields; i++) {
            lua_pushstring(L, kind->fields[i].name);
            lua_rawseti(L, -2, i + 1);
        }
        lua_rawseti(L, -2, k + 1);
    }
    r->field_names = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* Push rules.NAME (a function of the rules module) */
static void push_rule(struct rules *r, const char *name)
{
    lua_State *L = host_state(r->h);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->module);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
}

static void copy_string(lua_State *L, int idx, const char *field, char *out, size_t outsize)
{
    lua_getfield(L, idx, field);
    snprintf(out, outsize, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
    lua_pop(L, 1);
}

/* One scored pair, { likelihood, impact, score, text, level, above_appetite }, at idx */
static void read_score(lua_State *L, int idx, struct rules_score *out)
{
    memset(out, 0, sizeof *out);
    if (!lua_istable(L, idx)) return;
    idx = lua_absindex(L, idx);
    lua_getfield(L, idx, "likelihood");
    out->likelihood = (long)lua_tointeger(L, -1);
    lua_getfield(L, idx, "impact");
    out->impact = (long)lua_tointeger(L, -1);
    lua_getfield(L, idx, "above_appetite");
    out->above_appetite = lua_toboolean(L, -1);
    lua_getfield(L, idx, "score");
    out->value = lua_tonumber(L, -1);
    lua_pop(L, 4);
    copy_string(L, idx, "text", out->score, sizeof out->score);
    if (lua_getfield(L, idx, "level") == LUA_TTABLE) {
        copy_string(L, -1, "name", out->level.name, sizeof out->level.name);
        copy_string(L, -1, "colour", out->level.colour, sizeof out->level.colour);
        lua_getfield(L, -1, "rank");
        out->level.rank = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* Does a kind fall due (rules.due_kinds)? Asked once per kind. -1 after reporting. */
static int falls_due(struct rules *r, const struct kind *k)
{
    if (r->due_kind[k->id] >= 0) return r->due_kind[k->id];
    lua_State *L = host_state(r->h);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->module);
    int found = 0;
    if (lua_getfield(L, -1, "due_kinds") == LUA_TTABLE)
        for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
            found |= strcmp(lua_tostring(L, -1), k->name) == 0;
            lua_pop(L, 1);
        }
    lua_pop(L, 3);
    return r->due_kind[k->id] = found;
}

int rules_falls_due(struct rules *r, const struct kind *k)
{
    return falls_due(r, k);
}

int rules_scores(struct rules *r, const struct record *assessment, struct rules_score *inherent,
                 struct rules_score *residual)
{
    static const char *const ratings[] = {"likelihood", "impact", "residual_likelihood",
                                          "residual_impact"};
    static int field[4] = {-1};
    if (field[0] < 0)
        for (int i = 0; i < 4; i++)
            field[i] = model_field_index(assessment->kind, ratings[i]);
    size_t key = 0;
    int cached = 1; /* a rating outside the matrices riskreg knows is asked about every time */
    for (int i = 0; i < 4; i++) {
        const char *v = assessment->v[field[i]];
        long n = v ? strtol(v, NULL, 10) : 0;
        cached &= n >= 0 && n < RATINGS && (n > 0 || i >= 2);
        key = key * RATINGS + (size_t)(cached ? n : 0);
    }
    struct scored *known = cached ? r->scored[key] : NULL, asked;
    if (!known) { /* the scores are the four ratings' alone: asked once per combination */
        lua_State *L = host_state(r->h);
        push_rule(r, "assessment");
        lua_createtable(L, 0, 4);
        for (int i = 0; i < 4; i++) {
            const char *v = record_get(assessment, ratings[i]);
            if (!v) continue;
            lua_pushinteger(L, strtoll(v, NULL, 10));
            lua_setfield(L, -2, ratings[i]);
        }
        if (host_pcall(r->h, 1, 1) != 0) return -1;
        known = cached ? xcalloc(1, sizeof *known) : &asked;
        lua_getfield(L, -1, "inherent");
        read_score(L, -1, &known->inherent);
        lua_getfield(L, -2, "residual");
        read_score(L, -1, &known->residual);
        lua_pop(L, 3);
        if (cached) r->scored[key] = known;
    }
    *inherent = known->inherent;
    *residual = known->residual;
    return 0;
}

int rules_state(struct rules *r, const struct record *rec, const struct record *latest,
                const char *on, struct rules_state *out)
{
    lua_State *L = host_state(r->h);
    memset(out, 0, sizeof *out);
    if (latest && latest->kind) {
        if (rules_scores(r, latest, &out->inherent, &out->residual) != 0) return -1;
        out->assessed = 1;
    }
    int due = falls_due(r, rec->kind);
    if (due <= 0) return due; /* never open, never due */
    push_rule(r, "state");
    lua_pushstring(L, rec->kind->name);
    push_record(r, rec);
    lua_pushstring(L, on);
    if (latest && latest->kind)
        push_record(r, latest);
    else
        lua_pushnil(L);
    if (host_pcall(r->h, 4, 5) != 0) return -1;
    out->open = lua_toboolean(L, -5);
    if (lua_isinteger(L, -4) && lua_isstring(L, -3)) {
        out->due = 1;
        out->days = (long)lua_tointeger(L, -4);
        snprintf(out->due_on, sizeof out->due_on, "%s", lua_tostring(L, -3));
    }
    if (lua_isinteger(L, -2) && lua_isstring(L, -1)) { /* a risk's planned treatment */
        out->plan_due = 1;
        out->plan_days = (long)lua_tointeger(L, -2);
        snprintf(out->plan_due_on, sizeof out->plan_due_on, "%s", lua_tostring(L, -1));
    }
    lua_pop(L, 5);
    return 0;
}

void rules_score_text(const struct rules_score *s, char *out, size_t outsize)
{
    snprintf(out, outsize, "%ld×%ld → %s%s%s", s->likelihood, s->impact, s->score,
             s->level.name[0] ? " " : "", s->level.name);
}

int rules_next_review(struct rules *r, const struct record *risk, const char *assessed_on,
                      char next[DATE_TEXT_SIZE])
{
    lua_State *L = host_state(r->h);
    push_rule(r, "next_review");
    push_record(r, risk);
    if (assessed_on)
        lua_pushstring(L, assessed_on);
    else
        lua_pushnil(L);
    if (host_pcall(r->h, 2, 1) != 0) return -1;
    snprintf(next, DATE_TEXT_SIZE, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
    lua_pop(L, 1);
    return 0;
}

double rules_appetite(struct rules *r)
{
    lua_State *L = host_state(r->h);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->module);
    lua_getfield(L, -1, "scoring");
    lua_getfield(L, -1, "appetite");
    double appetite = lua_tonumber(L, -1);
    lua_pop(L, 3);
    return appetite;
}

long rules_expiring_days(struct rules *r)
{
    lua_State *L = host_state(r->h);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->module);
    lua_getfield(L, -1, "expiring_days");
    long days = (long)lua_tointeger(L, -1);
    lua_pop(L, 2);
    return days;
}

long rules_certificate_expiring_days(struct rules *r)
{
    lua_State *L = host_state(r->h);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->module);
    lua_getfield(L, -1, "certificate_expiring_days");
    long days = lua_isinteger(L, -1) ? (long)lua_tointeger(L, -1) : rules_expiring_days(r);
    lua_pop(L, 2);
    return days;
}

int rules_is_computed_column(struct rules *r, const char *kind, const char *name)
{
    lua_State *L = host_state(r->h);
    lua_pushstring(L, kind);
    lua_pushstring(L, name);
    if (rules_call(r, "riskreg.columns", "is_computed", 2, 1) != 0) return -1;
    int computed = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return computed;
}

/* ---- the way to certification (scripts/lib/certification.lua) ---- */

struct pushing {
    struct rules *r;
    lua_Integer n;
};

static int push_one_row(const struct record *rec, void *data)
{
    struct pushing *p = data;
    push_record(p->r, rec);
    lua_rawseti(host_state(p->r->h), -2, ++p->n);
    return 0;
}

/* Every row of kind k as an array of plain tables, on top of the stack; -1 (nothing pushed) on
 * error */
static int push_rows(struct rules *r, struct reg *g, enum kind_id k)
{
    lua_State *L = host_state(r->h);
    lua_newtable(L);
    struct pushing p = {r, 0};
    if (record_each(g, model_kind(k), push_one_row, &p) != 0) {
        lua_pop(L, 1);
        return -1;
    }
    return 0;
}

/* The requirements, audits and nonconformities of the register and as_of, pushed as
 * certification's functions take them; -1 (nothing pushed) on error */
static int push_programme(struct rules *r, struct reg *g, const char *as_of)
{
    lua_State *L = host_state(r->h);
    static const enum kind_id kinds[] = {K_REQUIREMENT, K_AUDIT, K_NONCONFORMITY};
    for (int i = 0; i < 3; i++)
        if (push_rows(r, g, kinds[i]) != 0) {
            lua_pop(L, i);
            return -1;
        }
    lua_pushstring(L, as_of);
    return 0;
}

static char *dup_field(lua_State *L, int idx, const char *name)
{
    lua_getfield(L, idx, name);
    char *v = lua_type(L, -1) == LUA_TSTRING ? xstrdup(lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    return v;
}

/* An audit row at idx (or nil) into out, dated by its field date_field */
static void read_audit_ref(lua_State *L, int idx, const char *date_field,
                           struct rules_audit_ref *out)
{
    memset(out, 0, sizeof *out);
    if (!lua_istable(L, idx)) return;
    idx = lua_absindex(L, idx);
    out->id = dup_field(L, idx, "id");
    out->kind = dup_field(L, idx, "kind");
    out->title = dup_field(L, idx, "title");
    out->on = dup_field(L, idx, date_field);
}

static void audit_ref_free(struct rules_audit_ref *a)
{
    free(a->id);
    free(a->kind);
    free(a->title);
    free(a->on);
}

long rules_audit_cycle_years(struct rules *r)
{
    lua_State *L = host_state(r->h);
    if (require_module(r->h, "riskreg.certification") != 0) return -1;
    lua_getfield(L, -1, "cycle_years");
    long years = (long)lua_tointeger(L, -1);
    lua_pop(L, 2);
    return years;
}

int rules_not_audited(struct rules *r, struct reg *g, const char *as_of,
                      struct rules_unaudited **out, int *n, char cycle_start[DATE_TEXT_SIZE])
{
    lua_State *L = host_state(r->h);
    *out = NULL;
    *n = 0;
    cycle_start[0] = '\0';
    if (push_programme(r, g, as_of) != 0 ||
        rules_call(r, "riskreg.certification", "not_audited", 4, 2) != 0)
        return -1;
    if (lua_type(L, -1) == LUA_TSTRING)
        snprintf(cycle_start, DATE_TEXT_SIZE, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    int count = lua_istable(L, -1) ? (int)luaL_len(L, -1) : 0;
    *out = xcalloc((size_t)(count ? count : 1), sizeof **out);
    for (int i = 0; i < count; i++) {
        struct rules_unaudited *u = &(*out)[i];
        lua_rawgeti(L, -1, i + 1);
        lua_getfield(L, -1, "requirement");
        u->id = dup_field(L, -1, "id");
        u->heading = dup_field(L, -1, "heading");
        lua_pop(L, 1);
        lua_getfield(L, -1, "last_internal");
        read_audit_ref(L, -1, "held_on", &u->last_internal);
        lua_getfield(L, -2, "planned_internal"); /* not audited internally: what will be */
        read_audit_ref(L, -1, "planned_on", &u->planned);
        lua_pop(L, 3);
    }
    lua_pop(L, 1);
    *n = count;
    return 0;
}

void rules_unaudited_free(struct rules_unaudited *u, int n)
{
    for (int i = 0; i < n; i++) {
        free(u[i].id);
        free(u[i].heading);
        audit_ref_free(&u[i].last_internal);
        audit_ref_free(&u[i].planned);
    }
    free(u);
}

int rules_requirement_coverage(struct rules *r, struct reg *g, const char *id, const char *as_of,
                               struct rules_coverage *out)
{
    lua_State *L = host_state(r->h);
    memset(out, 0, sizeof *out);
    if (push_programme(r, g, as_of) != 0 ||
        rules_call(r, "riskreg.certification", "coverage", 4, 1) != 0)
        return -1;
    char key[64];
    size_t i = 0;
    for (; id[i] && i + 1 < sizeof key; i++)
        key[i] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] - 'A' + 'a' : id[i]);
    key[i] = '\0';
    lua_getfield(L, -1, "cycle_start");
    snprintf(out->cycle_start, sizeof out->cycle_start, "%s",
             lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
    lua_pop(L, 1);
    if (lua_getfield(L, -1, "by_requirement") != LUA_TTABLE) { /* none: an empty one */
        lua_pop(L, 1);
        lua_newtable(L);
    }
    if (lua_getfield(L, -1, key) == LUA_TTABLE) {
        lua_getfield(L, -1, "in_cycle");
        out->in_cycle = lua_toboolean(L, -1);
        lua_pop(L, 1);
        lua_getfield(L, -1, "planned");
        read_audit_ref(L, -1, "planned_on", &out->planned);
        lua_pop(L, 1);
        lua_getfield(L, -1, "audits");
        int count = lua_istable(L, -1) ? (int)luaL_len(L, -1) : 0;
        out->audits = xcalloc((size_t)(count ? count : 1), sizeof *out->audits);
        for (int a = 0; a < count; a++) {
            lua_rawgeti(L, -1, a + 1);
            read_audit_ref(L, -1, "held_on", &out->audits[a]);
            lua_pop(L, 1);
        }
        out->naudits = count;
        lua_getfield(L, -2, "findings");
        count = lua_istable(L, -1) ? (int)luaL_len(L, -1) : 0;
        out->findings = xcalloc((size_t)(count ? count : 1), sizeof *out->findings);
        for (int f = 0; f < count; f++) {
            lua_rawgeti(L, -1, f + 1);
            read_audit_ref(L, -1, "raised_on", &out->findings[f]);
            lua_pop(L, 1);
        }
        out->nfindings = count;
        lua_pop(L, 2);
    }
    lua_pop(L, 3);
    return 0;
}

void rules_coverage_free(struct rules_coverage *c)
{
    for (int i = 0; i < c->naudits; i++)
        audit_ref_free(&c->audits[i]);
    for (int i = 0; i < c->nfindings; i++)
        audit_ref_free(&c->findings[i]);
    free(c->audits);
    free(c->findings);
    audit_ref_free(&c->planned);
    memset(c, 0, sizeof *c);
}

int rules_readiness_latest(struct rules *r, struct reg *g, const char *as_of, struct map *latest)
{
    lua_State *L = host_state(r->h);
    if (push_rows(r, g, K_READINESS) != 0) return -1;
    lua_pushstring(L, as_of);
    if (rules_call(r, "riskreg.certification", "latest", 2, 1) != 0) return -1;
    if (lua_istable(L, -1)) {
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            if (lua_istable(L, -1)) {
                char *req = dup_field(L, -1, "requirement_id");
                char *on = dup_field(L, -1, "assessed_on");
                if (req && on) {
                    struct strbuf key = STRBUF_INIT;
                    sb_printf(&key, "%s@%s", req, on);
                    for (char *p = key.data; *p; p++)
                        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
                    map_put(latest, key.data, (void *)1);
                    sb_free(&key);
                }
                free(req);
                free(on);
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return 0;
}
