/* export.h - the register written out for the report site */
#ifndef RISKREG_EXPORT_H
#define RISKREG_EXPORT_H

struct reg;

/* Every kind as CSV (KIND.csv) and the whole register as register.json, as of a date (NULL: as
 * it is), into dir. 0, or -1 after reporting. */
int export_snapshot(struct reg *g, const char *as_of, const char *dir);

#endif
