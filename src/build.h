/* build.h - where riskreg's built-in scripts are, and folder housekeeping for builds */
#ifndef RISKREG_BUILD_H
#define RISKREG_BUILD_H

/* The folder holding the built-in scripts/ and report-templates/: $RISKREG_DATADIR, then
 * PREFIX/share/riskreg beside the running binary, then the install and source folders riskreg
 * was built for. NULL when none has scripts/site.lua. */
const char *build_data_dir(void);

/* Remove a folder and everything in it, without following symlinks. */
int build_remove_tree(const char *dir);

#endif
