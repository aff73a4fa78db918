/* import_write.h - writing the checked rows of an import. Internal to import*.c. */
#ifndef RISKREG_IMPORT_WRITE_H
#define RISKREG_IMPORT_WRITE_H

#include "import_plan.h"

/* Give new records without an ID the next free ones, before the change-log texts are made. */
void import_assign_ids(struct import *im);
/* Start the thread making the change-log texts (without it the writer makes them itself). */
void import_texts_start(struct log_texts *t, struct import *im);
/* Stop that thread, and free its lock and condition. */
void import_texts_stop(struct log_texts *t);
/* Free a row's change-log texts. */
void import_free_texts(struct planned *p);
/* Write f's planned rows; row is f's first, counted across the files: 0, or -1. */
int import_write_file(struct import *im, struct import_file *f, struct counts *n,
                      struct log_texts *texts, long row);

#endif
