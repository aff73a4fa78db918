/* import_plan.c - the import's plan: how a bad row is reported (each row of every file is
 * checked before anything is written, and every error is counted; the first few are said). */
#include "import_plan.h"
#include "text.h"

#include <stdarg.h>

void import_row_error(struct import *im, const struct import_file *f, int line, const char *col,
                      const char *fmt, ...)
{
    if (im->errors++ >= MAX_ERRORS_SHOWN) return;
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    if (col)
        rr_error("%s:%d: column '%s': %s", f->name, line, col, sb_str(&sb));
    else
        rr_error("%s:%d: %s", f->name, line, sb_str(&sb));
    sb_free(&sb);
}
