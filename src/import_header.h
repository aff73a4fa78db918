/* import_header.h - the header row of an import file: its columns matched to fields. Internal to
 * import*.c. */
#ifndef RISKREG_IMPORT_HEADER_H
#define RISKREG_IMPORT_HEADER_H

#include "import_plan.h"

/* --map is 'Header=field,...': 0, or -1 after a usage error. */
int import_check_map_syntax(struct import *im);
/* Find f's header row and match its columns to fields: 0, or -1 after reporting. */
int import_read_header(struct import *im, struct import_file *f);

#endif
