/* lua_site.h - riskreg.site: the scripts' way out of the build, and its options */
#ifndef RISKREG_LUA_SITE_H
#define RISKREG_LUA_SITE_H

#include <stddef.h>

#include "lua_host.h"

struct strbuf;

/* riskreg.site: writing the site into out_dir (a fresh staging folder), assets from the template
 * folders, and the build's options. */
struct site_options {
    const char *out_dir;   /* where files go: the staging folder */
    const char *published; /* where the site will be, for messages */
    const char *as_of, *period, *period_first, *period_last;
    const char *previous_period, *previous_as_of, *today, *name;
    /* the fingerprint of everything every page is made with (the program, the scripts, the
     * templates, the settings), part of each page's fingerprint; NULL: pages are always
     * rendered */
    const char *inputs;
};
int lua_site_register(struct host *h, const struct site_options *options);

/* Wait for the data export, and write the site's marker with the content hash of every file
 * (the next build links unchanged files instead of writing them). -1 after reporting. */
int lua_site_finish(struct host *h);

/* Run what scripts asked to run when every script has run (site.at_end: the Data page, which
 * lists the files scripts added with site.data_file), then check that each listed file was
 * written. Call after the project's page scripts, before the charts are finished. -1 after
 * reporting. */
int lua_site_run_at_end(struct host *h);

/* site.write for another module (riskreg.csv.write): the path at path_idx (raises naming fn when
 * it is not a path in the site, when no site is being built, or when the file was written
 * already in this build: one of the site's own files or another script's, named with the
 * script's FILE:LINE), then the file. Returns as site.write does: true, or nil and why. */
int lua_site_write_text(lua_State *L, int path_idx, const char *fn, const char *text, size_t len);

/* Pages and other files written so far (-1 when a write failed). */
/* The pages made with ctx.page in this build: rendered, and kept from the published site
 * because nothing they are made from changed. */
void lua_site_page_counts(struct host *h, long *rendered, long *kept);
long lua_site_files_written(struct host *h);

/* For the chart module: write a file into the site; is a file there already; link a file of the
 * published site into the new one (0 when it was there to reuse); a file a worker is writing
 * into the site, counted as written. */
int lua_site_write_file(struct host *h, const char *path, const void *data, size_t len);
int lua_site_has_file(struct host *h, const char *path);
int lua_site_reuse(struct host *h, const char *path);
void lua_site_note_file(struct host *h, const char *path);

/* The relative URL from one site path to another ("risks/R-1.html", "index.html" ->
 * "../index.html"). */
void lua_site_relative(const char *from, const char *to, struct strbuf *out);

#endif
