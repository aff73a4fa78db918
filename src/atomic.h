/* atomic.h - files written whole or not at all */
#ifndef RISKREG_ATOMIC_H
#define RISKREG_ATOMIC_H

#include <stddef.h>

struct strbuf;

/* Where files go and how they are named in messages: files written in dir are shown in
 * shown_dir (a site's staging folder is published under another name). errors: when not NULL,
 * messages go there as "riskreg: ..." lines instead of to stderr (for a thread that must not
 * print). A NULL place shows paths as they are and reports on stderr. */
struct file_place {
    const char *dir, *shown_dir;
    struct strbuf *errors;
};

/* Write path whole or not at all: fill writes the temporary file beside it (named tmp), which
 * is then synced and renamed into place. fill returns 0, or -1 after putting the reason in
 * why. On failure nothing is left and "SHOWN: cannot write the file: why" is reported. */
typedef int (*atomic_fill_fn)(const char *tmp, void *data, char *why, size_t whysize);
int atomic_write(const struct file_place *place, const char *path, atomic_fill_fn fill, void *data);

/* A text file, whole or not at all. */
int atomic_write_text(const struct file_place *place, const char *path, const char *text,
                      size_t len);

/* Report a failure as the place says: "riskreg: MESSAGE" on stderr, or into place->errors. */
void atomic_report(const struct file_place *place, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
