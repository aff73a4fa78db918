/* import_header.h - the header row of an import file: its columns matched to fields. Internal to
 * import*.c. */
#ifndef RISKREG_IMPORT_HEADER_H
#define RISKREG_IMPORT_HEADER_H

#include "import_plan.h"

/* Find f's header row and match its columns to fields: 0, or -1 after reporting. */
int import_read_header(struct import *im, struct import_file *f);

/* After every header is read: a --map naming a column no file has is a usage error (a typo
 * would otherwise leave the column it meant to the automatic match). 0, or -1 after saying so. */
int import_check_maps_used(struct import *im);

#endif
