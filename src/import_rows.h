/* import_rows.h - checking every row of an import before anything is written. Internal to
 * import*.c. */
#ifndef RISKREG_IMPORT_ROWS_H
#define RISKREG_IMPORT_ROWS_H

#include "import_plan.h"

/* Read every file and check each row into its plan (errors in im->errors): 0, or -1 on failure. */
int import_read_and_check(struct import *im);
/* Free a record fetched while checking, and the record itself; NULL is fine. */
void import_free_new(struct record *rec);

#endif
