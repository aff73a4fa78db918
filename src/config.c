/* config.c - the project: where it is (its folder, riskreg.lua, register.db), and the settings
 * file a new register starts with. riskreg.lua itself is read and checked by the rules
 * (rules.c, scripts/lib/settings.lua), in the one Lua sandbox. */
#include "config.h"
#include "text.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* riskreg.lua at path: 1 a readable file; 0 none there; -1 something riskreg cannot use, said */
static int settings_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return 0;
        rr_error("%s: cannot read it: %s; check the permissions of its folder", path,
                 strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        rr_error("%s: is %s, not a file; move it away (a register's settings are a file)", path,
                 S_ISDIR(st.st_mode) ? "a folder" : "not a regular file");
        return -1;
    }
    if (access(path, R_OK) != 0) {
        rr_error("%s: cannot read it: %s; check the permissions", path, strerror(errno));
        return -1;
    }
    return 1;
}

static void set_paths(struct config *cfg, const char *dir)
{
    struct strbuf sb = STRBUF_INIT;
    cfg->dir = xstrdup(dir);
    sb_printf(&sb, "%s/riskreg.lua", dir);
    cfg->config_path = sb_take(&sb);
    sb_printf(&sb, "%s/register.db", dir);
    cfg->db_path = sb_take(&sb);
}

int config_find(const char *explicit_dir, struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    const char *dir = explicit_dir;
    const char *how = "-C";
    if (!dir || !*dir) {
        dir = getenv("RISKREG_DIR");
        how = "RISKREG_DIR";
    }
    if (dir && *dir) {
        set_paths(cfg, dir);
        int found = settings_file(cfg->config_path);
        if (found == 1) return 0;
        if (found == 0)
            rr_error("%s: no riskreg.lua here (from %s); create a register with 'riskreg init %s'",
                     dir, how, dir);
        config_free(cfg);
        return -1;
    }
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) {
        rr_error("cannot read the current folder: %s", strerror(errno));
        return -1;
    }
    struct strbuf sb = STRBUF_INIT;
    for (;;) {
        sb_reset(&sb);
        sb_printf(&sb, "%s/riskreg.lua", cwd);
        int found = settings_file(sb.data); /* one it cannot use stops the search: said */
        if (found < 0) {
            sb_free(&sb);
            return -1;
        }
        if (found) break;
        char *slash = strrchr(cwd, '/');
        if (!slash || slash == cwd) {
            sb_free(&sb);
            rr_error("no register here: no riskreg.lua in this folder or above it; create one with "
                     "'riskreg init DIR', or name one with -C DIR");
            return -1;
        }
        *slash = '\0';
    }
    sb_free(&sb);
    set_paths(cfg, cwd);
    return 0;
}

int config_may_name_server(const struct config *cfg)
{
    FILE *f = fopen(cfg->config_path, "r");
    if (!f) return 1; /* the rules will say what is wrong with it */
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, "server") != NULL;
    fclose(f);
    return found;
}

void config_free(struct config *cfg)
{
    free(cfg->dir);
    free(cfg->config_path);
    free(cfg->db_path);
    free(cfg->name);
    free(cfg->server);
    for (int i = 0; i < MATRIX_MAX; i++) {
        free(cfg->likelihood_labels[i]);
        free(cfg->impact_labels[i]);
    }
    memset(cfg, 0, sizeof *cfg);
}

const char *config_template(void)
{
    return "-- riskreg.lua: settings for this register (a Lua table; data only).\n"
           "-- Every setting is optional; the values shown are the defaults.\n"
           "return {\n"
           "  name = \"Our service management system\",\n"
           "\n"
           "  -- The risk matrix: 3 to 6 rows, with a label for each rating.\n"
           "  matrix = {\n"
           "    size = 5,\n"
           "    likelihood = { \"Rare\", \"Unlikely\", \"Possible\", \"Likely\", \"Almost "
           "certain\" },\n"
           "    impact = { \"Negligible\", \"Minor\", \"Moderate\", \"Major\", \"Severe\" },\n"
           "  },\n"
           "\n"
           "  -- Level bands by residual score (likelihood x impact), lowest first.\n"
           "  levels = {\n"
           "    { name = \"Low\", max = 4, colour = \"#d9f0d3\" },\n"
           "    { name = \"Medium\", max = 9, colour = \"#fee08b\" },\n"
           "    { name = \"High\", max = 16, colour = \"#f4a261\" },\n"
           "    { name = \"Critical\", max = 25, colour = \"#c0392b\" },\n"
           "  },\n"
           "\n"
           "  -- Residual score above which a risk needs a decision from leadership.\n"
           "  appetite = 9,\n"
           "\n"
           "  -- Days between reviews of a risk when the risk does not set review_every_days.\n"
           "  review = { every_days = 90 },\n"
           "\n"
           "  -- Days after closing by which a nonconformity's corrective action is checked for\n"
           "  -- effectiveness; one closed longer without a check is flagged in the review pack.\n"
           "  nonconformity = { check_within_days = 90 },\n"
           "\n"
           "  -- Years within which the internal audit programme covers every requirement;\n"
           "  -- riskreg check flags a requirement no internal audit covered in that time.\n"
           "  audit = { cycle_years = 3 },\n"
           "\n"
           "  -- The marking on the printed review pack's cover.\n"
           "  classification = \"Internal: for the management review and the board\",\n"
           "}\n";
}
