/* manual.h - a man page's scdoc source as plain text, for `riskreg help lua` */
#ifndef RISKREG_MANUAL_H
#define RISKREG_MANUAL_H

#include <stdio.h>

/* src/riskreg-lua.7.scd as it is, embedded by make (build/gen/manual_text.c) */
extern const char manual_lua_scd[];

/* Write an scdoc source as plain text: the title line left out, headings flush left, the rest
 * indented, bold and underline marks and backslash escapes taken away, code blocks as they are,
 * tables in two columns. Returns 0, or -1 when the write failed. */
int manual_write_text(const char *scd, FILE *out);

#endif
