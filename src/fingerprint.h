/* fingerprint.h - what a page was made from, as one 128-bit hash: a rebuild keeps a page whose
 * fingerprint is the one recorded when it was last rendered, instead of rendering it again.
 *
 * A Lua value's fingerprint is a function of its content alone: a table's pairs are combined
 * in an order-free way (the order pairs() visits them in differs from run to run), a table met
 * again inside itself counts as a cycle, a Lua function counts by where it is defined (its
 * captured values by the code that made them), a C function or a userdata by its type. */
#ifndef RISKREG_FINGERPRINT_H
#define RISKREG_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#define FP_HEX_SIZE 33 /* 32 hex digits and the NUL */

struct fp {
    uint64_t lo, hi;
};

/* A running fingerprint of byte strings, taken in order. */
struct fp_stream;
struct fp_stream *fp_stream_new(void);
void fp_stream_add(struct fp_stream *s, const void *data, size_t len);
void fp_stream_str(struct fp_stream *s, const char *text); /* with its NUL: "a","b" != "ab","" */
struct fp fp_stream_digest(const struct fp_stream *s);
void fp_stream_free(struct fp_stream *s);

/* The fingerprint of the Lua value at idx (tables followed to the end; the stack as it was). */
struct fp fp_lua_value(lua_State *L, int idx);

/* Every regular file under each folder (in name order, by its path below the folder, with its
 * bytes) and each file of files (missing ones count as missing) into s. 0, or -1 with errno
 * when a file or folder cannot be read, its path in where. */
struct strbuf;
int fp_stream_files(struct fp_stream *s, const char *const *dirs, int ndirs,
                    const char *const *files, int nfiles, struct strbuf *where);

void fp_hex(struct fp f, char out[FP_HEX_SIZE]);

#endif
