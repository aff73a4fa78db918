/* setting.h - settings the register itself holds (the matrix size its checks use), kept in step
 * with riskreg.lua by the commands that write, each change with its change-log entry */
#ifndef RISKREG_SETTING_H
#define RISKREG_SETTING_H

struct config;
struct reg;

/* Write path: the register's matrix size made riskreg.lua's, in a transaction of its own with a
 * change-log entry, when it differs. -1 (reported) when the register holds ratings beyond the
 * new size. */
int setting_sync_matrix(struct reg *g, const struct config *cfg);

/* Read path: only the check, nothing written. */
int setting_check_matrix(struct reg *g, const struct config *cfg);

#endif
