/* unit_config.h - a project's settings for the unit tests, read the way every command reads
 * them: riskreg.lua in a scratch project, loaded and checked by the rules (rules.c) */
#ifndef RISKREG_UNIT_CONFIG_H
#define RISKREG_UNIT_CONFIG_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "rules.h"

/* cfg as a project whose riskreg.lua is `return { matrix = { size = SIZE } }` gives it (the
 * default labels of that size); 0, or -1 when the rules could not be loaded */
static int unit_config(struct config *cfg, int size)
{
    char dir[] = "/tmp/riskreg-unit-XXXXXX";
    if (!mkdtemp(dir)) return -1;
    char path[64];
    snprintf(path, sizeof path, "%s/riskreg.lua", dir);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f, "return { matrix = { size = %d } }\n", size);
    fclose(f);
    int rc = -1;
    if (config_find(dir, cfg) == 0) {
        struct rules *r = rules_open(cfg, NULL);
        rc = r ? 0 : -1;
        rules_free(r);
    }
    remove(path);
    rmdir(dir);
    return rc;
}

#endif
