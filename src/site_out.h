/* site_out.h - a build's output, confined to its staging folder: paths are relative and plain,
 * folders are opened without following links, unchanged files are linked from the published
 * site, and every file is listed with its content hash for the next build */
#ifndef RISKREG_SITE_OUT_H
#define RISKREG_SITE_OUT_H

#include <stddef.h>

#include "map.h"

#define SITE_MAX_PATH_BYTES 1024

struct site_out {
    const char *out_dir;   /* the staging folder files go to */
    const char *published; /* where the site is published (the last build's files) */
    struct map files;      /* every path written or linked: its content hash (or SITE_NO_HASH) */
    struct map published_hashes; /* the published site's manifest: path -> content hash */
    struct map prints;           /* every page rendered or kept: path -> its fingerprint */
    struct map published_prints; /* the published site's pages: path -> fingerprint */
    struct map dirs;             /* folders opened so far: site-relative name -> fd + 1 */
    int failed;                  /* a write failed: the build fails even if a script ignored it */
    /* called before anything is written at path (the data export waits there) */
    void (*before_write)(void *data, const char *path);
    void *before_data;
};

/* A file without a content hash of its own (a chart, whose name is its hash): never in the
 * manifest. */
extern char site_no_hash[];
#define SITE_NO_HASH site_no_hash

void site_out_init(struct site_out *o, const char *out_dir, const char *published);
void site_out_free(struct site_out *o);

/* Why path is not a path in the site (relative, plain names, no "." or ".."), or NULL. */
const char *site_path_problem(const char *path, size_t len);

/* Write a file (or link the published one when its content is the same); 0, or -1 with errno. */
int site_out_write(struct site_out *o, const char *path, const void *data, size_t len);
/* Link the published site's copy of path in; 0, or -1 when there is none. */
int site_out_link(struct site_out *o, const char *path);
/* The published copy of path in the new site, linked (or copied across file systems). */
int site_out_reuse(struct site_out *o, const char *path);
int site_out_has_file(struct site_out *o, const char *path);
/* List path as written, with its hash (or SITE_NO_HASH). */
void site_out_note(struct site_out *o, const char *path, const char *hash);
/* Make a folder of the site (and those above it); 0, or -1 with errno. */
int site_out_make_dir(struct site_out *o, const char *dir);
/* A folder removed from the staging site: its descriptor goes too. */
void site_out_forget_dir(struct site_out *o, const char *dir);
/* Keep the published page at path when it was rendered from the same things (its fingerprint
 * print is the one recorded then): it is linked in, listed with its content hash and print, and
 * 0 returned. -1 when it must be rendered (another print, none, or no such published file). */
int site_out_keep(struct site_out *o, const char *path, const char *print);
/* Record the print a page at path was just rendered from, for the next build. */
void site_out_print(struct site_out *o, const char *path, const char *print);
/* The published site's content hash for path, or NULL. */
const char *site_out_published_hash(const struct site_out *o, const char *path);
/* Write the marker with the manifest; 0, or -1 with errno. */
int site_out_finish(struct site_out *o);

#endif
