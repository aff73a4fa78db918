/* site_out.c - a build's output, confined to its staging folder.
 *
 * A path is relative, made of plain names (no "..", no "."), and every folder on the way is
 * opened without following symlinks, once per build (thousands of pages share a few folders).
 * A file whose content is the same as the published one is hard-linked from there
 * (site_reuse.c) instead of written again. */
#include "site_out.h"
#include "progress.h"
#include "site_reuse.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char site_no_hash[] = "-";

/* at most this many folders are kept open (each a file descriptor) */
#define MAX_OPEN_FOLDERS 64

void site_out_init(struct site_out *o, const char *out_dir, const char *published)
{
    memset(o, 0, sizeof *o);
    o->out_dir = out_dir;
    o->published = published;
    site_manifest_load(published, &o->published_hashes, &o->published_prints);
}

static void free_hash(const char *key, void *value, void *data)
{
    (void)key;
    (void)data;
    if (value != SITE_NO_HASH) free(value);
}

static void close_folder(const char *key, void *value, void *data)
{
    (void)key;
    (void)data;
    if (value) close((int)((intptr_t)value - 1));
}

void site_out_free(struct site_out *o)
{
    map_each(&o->files, free_hash, NULL);
    map_free(&o->files);
    map_each(&o->published_hashes, free_hash, NULL);
    map_free(&o->published_hashes);
    map_each(&o->prints, free_hash, NULL);
    map_free(&o->prints);
    map_each(&o->published_prints, free_hash, NULL);
    map_free(&o->published_prints);
    map_each(&o->dirs, close_folder, NULL);
    map_free(&o->dirs);
}

const char *site_path_problem(const char *path, size_t len)
{
    if (len == 0 || len > SITE_MAX_PATH_BYTES) return "it is empty or too long";
    if (path[0] == '/') return "it is absolute; paths are relative to the site folder";
    if (strlen(path) != len) return "it holds a NUL byte";
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 0) return "it has an empty part ('//' or a trailing '/')";
        if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return "'.' and '..' are not allowed: the site cannot reach outside its folder";
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 32 || p[i] == '\\' || p[i] == 127)
                return "it holds a control character or a backslash";
        p += n;
        if (*p == '/') {
            p++;
            if (!*p) return "it ends with '/'";
        }
    }
    return NULL;
}

void site_out_note(struct site_out *o, const char *path, const char *hash)
{
    char *old = map_put(&o->files, path, hash == SITE_NO_HASH ? SITE_NO_HASH : xstrdup(hash));
    if (old && old != SITE_NO_HASH)
        free(old);
    else if (!old)
        progress_other(1, "files");
}

/* Open (making them when missing, never following a link) the folders of path in the staging
 * site; *leaf is its last part. -1 with errno when a folder cannot be made or opened. */
static int open_folders(const struct site_out *o, const char *path, const char **leaf)
{
    int dfd = open(o->out_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) return -1;
    const char *p = path;
    for (;;) {
        size_t n = strcspn(p, "/");
        if (p[n] != '/') break;
        char part[256];
        if (n >= sizeof part) {
            close(dfd);
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(part, p, n);
        part[n] = '\0';
        if (mkdirat(dfd, part, 0777) != 0 && errno != EEXIST) {
            close(dfd);
            return -1;
        }
        int next = openat(dfd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(dfd);
        if (next < 0) return -1;
        dfd = next;
        p += n + 1;
    }
    *leaf = p;
    return dfd;
}

/* The staging site's folder of path, opened once per build: the descriptor is the site's, not
 * to be closed. *leaf: path's last part. */
static int open_parent(struct site_out *o, const char *path, const char **leaf)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    char dir[SITE_MAX_PATH_BYTES];
    if (n >= sizeof dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(dir, path, n);
    dir[n] = '\0';
    intptr_t known = (intptr_t)map_get(&o->dirs, dir);
    if (known) {
        *leaf = slash ? slash + 1 : path;
        return (int)(known - 1);
    }
    if (o->dirs.count >= MAX_OPEN_FOLDERS) { /* a site of many folders: start again */
        map_each(&o->dirs, close_folder, NULL);
        map_free(&o->dirs);
    }
    int dfd = open_folders(o, path, leaf);
    if (dfd >= 0) map_put(&o->dirs, dir, (void *)(intptr_t)(dfd + 1));
    return dfd;
}

void site_out_forget_dir(struct site_out *o, const char *dir)
{
    intptr_t known = (intptr_t)map_get(&o->dirs, dir);
    if (known) {
        close((int)(known - 1));
        map_put(&o->dirs, dir, NULL);
    }
}

int site_out_make_dir(struct site_out *o, const char *dir)
{
    const char *leaf;
    struct strbuf probe = STRBUF_INIT;
    sb_printf(&probe, "%s/.keep", dir);
    int dfd = open_parent(o, probe.data, &leaf); /* creates the folder */
    sb_free(&probe);
    return dfd < 0 ? -1 : 0;
}

static void before_write(struct site_out *o, const char *path)
{
    if (o->before_write) o->before_write(o->before_data, path);
}

int site_out_link(struct site_out *o, const char *path)
{
    before_write(o, path);
    const char *leaf;
    int dfd = open_parent(o, path, &leaf);
    return dfd < 0 ? -1 : site_link_published(o->published, path, dfd, leaf);
}

const char *site_out_published_hash(const struct site_out *o, const char *path)
{
    return map_get(&o->published_hashes, path);
}

int site_out_write(struct site_out *o, const char *path, const void *data, size_t len)
{
    before_write(o, path);
    char hash[65];
    text_sha256_hex(data, len, hash);
    const char *before = site_out_published_hash(o, path);
    if (before && strcmp(before, hash) == 0 && site_out_link(o, path) == 0) {
        site_out_note(o, path, hash);
        return 0;
    }
    const char *leaf;
    int dfd = open_parent(o, path, &leaf);
    if (dfd < 0) return -1;
    /* a new file, always: the path may be a hard link into the published site from an earlier
     * write of this build, and writing through it would change the published site */
    unlinkat(dfd, leaf, 0);
    int fd = openat(dfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, (const char *)data + done, len - done);
        if (n < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) return -1;
    site_out_note(o, path, hash);
    return 0;
}

int site_out_has_file(struct site_out *o, const char *path)
{
    const char *leaf;
    int dfd = open_parent(o, path, &leaf);
    if (dfd < 0) return 0;
    struct stat st;
    return fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

int site_out_reuse(struct site_out *o, const char *path)
{
    int rc = site_out_link(o, path);
    struct strbuf old = STRBUF_INIT;
    if (rc != 0 && site_published_file(o->published, path, &old)) { /* another file system */
        struct strbuf data = STRBUF_INIT;
        rc = text_slurp(old.data, &data) == 0 ? site_out_write(o, path, sb_str(&data), data.len)
                                              : -1;
        sb_free(&data);
    }
    sb_free(&old);
    if (rc == 0) site_out_note(o, path, SITE_NO_HASH);
    return rc;
}

void site_out_print(struct site_out *o, const char *path, const char *print)
{
    free(map_put(&o->prints, path, xstrdup(print)));
}

int site_out_keep(struct site_out *o, const char *path, const char *print)
{
    const char *before = map_get(&o->published_prints, path);
    const char *hash = site_out_published_hash(o, path);
    if (!before || !hash || strcmp(before, print) != 0 || site_out_link(o, path) != 0) return -1;
    site_out_note(o, path, hash);
    site_out_print(o, path, print);
    return 0;
}

int site_out_finish(struct site_out *o)
{
    return site_manifest_write(o->out_dir, &o->files, SITE_NO_HASH, &o->prints);
}
