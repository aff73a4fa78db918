/* build.h - folder housekeeping for builds */
#ifndef RISKREG_BUILD_H
#define RISKREG_BUILD_H

/* Remove a folder and everything in it, without following symlinks. */
int build_remove_tree(const char *dir);

#endif
