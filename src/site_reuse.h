/* site_reuse.h - a build reuses what did not change: the published site's manifest (a content
 * hash per file) and hard links from the published site into the new one */
#ifndef RISKREG_SITE_REUSE_H
#define RISKREG_SITE_REUSE_H

struct map;
struct strbuf;

/* The marker every built site holds; its lines after the first are "HASH PATH" (a file's content
 * hash) and "page PRINT PATH" (the fingerprint of what a page was rendered from). */
#define SITE_MARKER_NAME ".riskreg-site"

/* The published site's manifest into hashes (path -> content hash) and prints (path -> page
 * fingerprint); each value malloc'd. */
void site_manifest_load(const char *published, struct map *hashes, struct map *prints);
/* Write the marker with the manifest of files (path -> hash, or skip for files without one)
 * and the pages' prints into dir. 0, or -1 with errno. */
int site_manifest_write(const char *dir, const struct map *files, const void *skip,
                        const struct map *prints);

/* The published site's copy of path, in old: 1 when it is a regular file the last build left
 * (never a symlink planted in the published site). */
int site_published_file(const char *published, const char *path, struct strbuf *old);

/* Hard-link the published copy of path in as leaf of the folder dfd (replacing what is there):
 * an unchanged file is never written again, and costs no new inode. 0, or -1. */
int site_link_published(const char *published, const char *path, int dfd, const char *leaf);

#endif
