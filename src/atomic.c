/* atomic.c - files written whole or not at all: a temporary file beside the target, synced,
 * then renamed over it, so a reader sees the old file or the new one, never half of one */
#include "atomic.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* path as the user knows it: in the place's shown folder when it was written in its folder */
static void shown_name(const struct file_place *place, const char *path, struct strbuf *out)
{
    size_t n = place && place->dir ? strlen(place->dir) : 0;
    if (n && strncmp(path, place->dir, n) == 0 && path[n] == '/')
        sb_printf(out, "%s%s", place->shown_dir, path + n);
    else
        sb_puts(out, path);
}

void atomic_report(const struct file_place *place, const char *fmt, ...)
{
    struct strbuf msg = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (place && place->errors)
        sb_printf(place->errors, "riskreg: %s\n", msg.data);
    else
        rr_error("%s", msg.data);
    sb_free(&msg);
}

int atomic_write(const struct file_place *place, const char *path, atomic_fill_fn fill, void *data)
{
    struct strbuf tmp = STRBUF_INIT;
    sb_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
    char why[256] = "";
    /* made here, not by the filler: a new file, never through a link planted under its name
     * (one left by a crash is replaced), and an unwritable folder reported with its reason */
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST && unlink(tmp.data) == 0)
        fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    int ok = fd >= 0 && close(fd) == 0;
    if (!ok) snprintf(why, sizeof why, "%s", strerror(errno));
    if (ok && fill(tmp.data, data, why, sizeof why) != 0) ok = 0;
    if (ok) { /* on disk before it takes the name */
        fd = open(tmp.data, O_RDONLY | O_CLOEXEC);
        ok = fd >= 0 && fsync(fd) == 0;
        if (fd >= 0) close(fd);
        if (ok) ok = rename(tmp.data, path) == 0;
        if (!ok) snprintf(why, sizeof why, "%s", strerror(errno));
    }
    if (!ok) {
        int err = errno; /* kept for the caller, who may name the folder */
        struct strbuf shown = STRBUF_INIT;
        shown_name(place, path, &shown);
        const char *hint = text_disk_full(err) ? " (" DISK_FULL_HINT ")" : "";
        atomic_report(place, "%s: cannot write the file: %s%s", shown.data, why, hint);
        sb_free(&shown);
        unlink(tmp.data);
        errno = err;
    }
    sb_free(&tmp);
    return ok ? 0 : -1;
}

struct text_job {
    const char *text;
    size_t len;
};

static int fill_text(const char *tmp, void *data, char *why, size_t whysize)
{
    const struct text_job *job = data;
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(job->text, 1, job->len, f) == job->len;
    int err = errno;
    if (f && fclose(f) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (!ok) {
        snprintf(why, whysize, "%s", strerror(err));
        errno = err;
    }
    return ok ? 0 : -1;
}

int atomic_write_text(const struct file_place *place, const char *path, const char *text,
                      size_t len)
{
    struct text_job job = {text, len};
    return atomic_write(place, path, fill_text, &job);
}
