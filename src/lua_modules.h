/* lua_modules.h - the modules the host gives report scripts (SPEC §6) */
#ifndef RISKREG_LUA_MODULES_H
#define RISKREG_LUA_MODULES_H

#include "lua_host.h"

struct reg;
struct strbuf;

/* riskreg.db: a read-only connection of its own to the register at path. */
int lua_db_register(struct host *h, const char *path);
/* Start the scripts' read transaction again, now; *last_change is the change log's last entry
 * it sees (every write adds one, so two connections at the same entry see the same register). */
int lua_db_snapshot(struct host *h, long long *last_change);

/* riskreg.html, riskreg.markdown, riskreg.date: pure functions. */
void lua_text_register(struct host *h);
/* Push the HTML-escaped text of the value at idx (nil shows as nothing). */
void lua_push_escaped(lua_State *L, int idx);

/* riskreg.template: templates from the host's asset folders, first match wins. */
void lua_template_register(struct host *h);
/* Template text to Lua source (exposed for the fuzzer); -1 with "LINE: why" in err and out
 * emptied. */
int template_compile(const char *text, size_t len, struct strbuf *out, char *err, size_t errsize);

/* riskreg.site: writing the site into out_dir (a fresh staging folder), assets from the template
 * folders, and the build's options. */
struct site_options {
    const char *out_dir;   /* where files go: the staging folder */
    const char *published; /* where the site will be, for messages */
    const char *as_of, *period, *period_first, *period_last;
    const char *previous_period, *previous_as_of, *today, *name;
    struct reg *reg; /* for the data snapshot */
};
int lua_site_register(struct host *h, const struct site_options *options);
/* Write the site's marker with the content hash of every file (the next build links unchanged
 * files instead of writing them). */
int lua_site_finish(struct host *h);
/* Begin the data export of site.export_data(dir) now, on a thread of its own, so that it runs
 * while the scripts render pages (the first site.export_data(dir) waits for it and claims its
 * files; an export nobody claims is removed by lua_site_finish). The register connection in
 * the options must then be left to it until the build ends. -1: not begun (no harm). */
int lua_site_start_export(struct host *h, const char *dir);
/* Pages and other files written so far (-1 when a write failed). */
long lua_site_files_written(struct host *h);
/* For the chart module: write a file into the site; is a file there already; link a file of the
 * published site into the new one (0 when it was there to reuse). */
int lua_site_write_file(struct host *h, const char *path, const void *data, size_t len);
int lua_site_has_file(struct host *h, const char *path);
int lua_site_reuse(struct host *h, const char *path);
/* The relative URL from one site path to another ("risks/R-1.html", "index.html" -> "../index.html"). */
void lua_site_relative(const char *from, const char *to, struct strbuf *out);

/* riskreg.chart: charts drawn with libgd on `jobs` worker threads into out_dir; -1 (reported)
 * when no font is available. lua_chart_finish waits for every chart (-1, reported, when one
 * failed). */
int lua_chart_register(struct host *h, int jobs, const char *out_dir);
int lua_chart_finish(struct host *h);
void lua_chart_counts(struct host *h, long *drawn, long *reused);
/* A file a worker is writing into the site: counted as written. */
void lua_site_note_file(struct host *h, const char *path);

/* riskreg.config: riskreg.lua as a table (copied from a bare state, so it stays data). */
struct config;
int lua_config_register(struct host *h, const struct config *cfg);

#endif
