/* setting.c - settings the register itself holds: the matrix size, which its triggers check
 * ratings against. riskreg.lua is where the matrix is set; a command that writes brings the
 * register in step (with a change-log entry, like any change); one that reads only checks. */
#include "setting.h"
#include "changelog.h"
#include "config.h"
#include "register.h"
#include "text.h"

#include <stdio.h>

/* The highest rating the register holds; -1 on error */
static long long highest_rating(struct reg *g)
{
    long long highest = 0;
    if (reg_int(g,
                "SELECT coalesce(max(max(likelihood, impact, coalesce(residual_likelihood, 0), "
                "coalesce(residual_impact, 0))), 0) FROM assessment",
                NULL, &highest) < 0)
        return -1;
    return highest;
}

int setting_check_matrix(struct reg *g, const struct config *cfg)
{
    /* the register's own checks keep every rating within the size it holds: only a smaller
     * matrix in riskreg.lua needs the ratings looked at */
    long long stored = 0;
    int found = reg_int(g, "SELECT value FROM setting WHERE name = 'matrix_size'", NULL, &stored);
    if (found < 0) return -1;
    if (found && stored <= cfg->matrix_size) return 0;
    long long highest = highest_rating(g);
    if (highest < 0) return -1;
    if (highest > cfg->matrix_size) {
        rr_error("%s sets a %dx%d risk matrix, but the register holds ratings up to %lld; keep "
                 "matrix.size at %lld or more",
                 cfg->config_path, cfg->matrix_size, cfg->matrix_size, highest, highest);
        return -1;
    }
    return 0;
}

int setting_sync_matrix(struct reg *g, const struct config *cfg)
{
    long long stored = 0;
    int found = reg_int(g, "SELECT value FROM setting WHERE name = 'matrix_size'", NULL, &stored);
    if (found < 0) return -1;
    if (found && stored == cfg->matrix_size) return 0;
    if (reg_begin(g) != 0) return -1;
    /* another writer may have done it while we waited */
    found = reg_int(g, "SELECT value FROM setting WHERE name = 'matrix_size'", NULL, &stored);
    if (found < 0) goto fail;
    if (found && stored == cfg->matrix_size) return reg_commit(g);
    if (setting_check_matrix(g, cfg) != 0) goto fail;
    struct stmt s;
    if (stmt_prepare(g, &s,
                     "INSERT INTO setting (name, value) VALUES ('matrix_size', ?) "
                     "ON CONFLICT (name) DO UPDATE SET value = excluded.value") != 0)
        goto fail;
    stmt_bind_int(&s, 1, cfg->matrix_size);
    int rc = stmt_step(&s);
    stmt_finalize(&s);
    if (rc < 0) goto fail;
    char before[64], after[64], note[128];
    snprintf(before, sizeof before, "{\"name\":\"matrix_size\",\"value\":%lld}", stored);
    snprintf(after, sizeof after, "{\"name\":\"matrix_size\",\"value\":%d}", cfg->matrix_size);
    snprintf(note, sizeof note, "riskreg.lua sets a %dx%d matrix", cfg->matrix_size,
             cfg->matrix_size);
    if (changelog_append(g, "setting", "matrix_size", "matrix_size", found ? "update" : "insert",
                         found ? before : NULL, after, note) != 0)
        goto fail;
    return reg_commit(g);
fail:
    reg_rollback(g);
    return -1;
}
