/* site_reuse.c - a build reuses what did not change: the published site's manifest holds a
 * content hash per file, and a file whose content (or whose recipe) is the same is hard-linked
 * from the published site instead of written again. */
#include "site_reuse.h"
#include "map.h"
#include "text.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PRINT_DIGITS 32
#define PAGE_PREFIX "page "

void site_manifest_load(const char *published, struct map *hashes, struct map *prints)
{
    struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
    sb_printf(&path, "%s/%s", published, SITE_MARKER_NAME);
    if (text_slurp(path.data, &text) == 0) {
        char *line = text.data;
        while (line && *line) {
            char *end = strchr(line, '\n');
            if (end) *end = '\0';
            size_t n = strlen(line), skip = sizeof PAGE_PREFIX - 1;
            if (n > 66 && line[64] == ' ' && strspn(line, "0123456789abcdef") == 64) {
                line[64] = '\0';
                free(map_put(hashes, line + 65, xstrdup(line)));
            } else if (n > skip + PRINT_DIGITS + 1 && strncmp(line, PAGE_PREFIX, skip) == 0 &&
                       strspn(line + skip, "0123456789abcdef") == PRINT_DIGITS &&
                       line[skip + PRINT_DIGITS] == ' ') {
                line[skip + PRINT_DIGITS] = '\0';
                free(map_put(prints, line + skip + PRINT_DIGITS + 1, xstrdup(line + skip)));
            }
            line = end ? end + 1 : NULL;
        }
    }
    sb_free(&path);
    sb_free(&text);
}

struct manifest_writer {
    struct strbuf *out;
    const void *skip;
    const char *prefix;
};

static void add_manifest_line(const char *key, void *value, void *data)
{
    struct manifest_writer *w = data;
    if (value != w->skip) sb_printf(w->out, "%s%s %s\n", w->prefix, (const char *)value, key);
}

int site_manifest_write(const char *dir, const struct map *files, const void *skip,
                        const struct map *prints)
{
    struct strbuf text = STRBUF_INIT;
    sb_puts(&text, "built by riskreg; replaced whole by the next build. Content hashes:\n");
    struct manifest_writer w = {&text, skip, ""};
    map_each(files, add_manifest_line, &w);
    struct manifest_writer p = {&text, NULL, PAGE_PREFIX};
    map_each(prints, add_manifest_line, &p);
    struct strbuf path = STRBUF_INIT;
    sb_printf(&path, "%s/%s", dir, SITE_MARKER_NAME);
    FILE *f = fopen(path.data, "w");
    int ok = f && fputs(sb_str(&text), f) >= 0;
    if (f && fclose(f) != 0) ok = 0;
    sb_free(&path);
    sb_free(&text);
    return ok ? 0 : -1;
}

int site_published_file(const char *published, const char *path, struct strbuf *old)
{
    sb_printf(old, "%s/%s", published, path);
    struct stat st;
    return lstat(old->data, &st) == 0 && S_ISREG(st.st_mode);
}

int site_link_published(const char *published, const char *path, int dfd, const char *leaf)
{
    struct strbuf old = STRBUF_INIT;
    int rc = -1;
    if (site_published_file(published, path, &old)) {
        unlinkat(dfd, leaf, 0); /* written earlier in this build: replaced */
        rc = linkat(AT_FDCWD, old.data, dfd, leaf, 0);
    }
    sb_free(&old);
    return rc;
}
