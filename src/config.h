/* config.h - the project: where it is, and what riskreg.lua says the C side needs */
#ifndef RISKREG_CONFIG_H
#define RISKREG_CONFIG_H

#define MATRIX_MIN 3
#define MATRIX_MAX 6

#define CONFIG_MAX_LEVELS 8

struct config_level {
    char *name;
    double max;      /* the highest score in the band */
    unsigned colour; /* 0xRRGGBB: the band's colour on the site (riskreg.lua, else the default) */
};

struct config {
    char *dir;         /* the project folder */
    char *config_path; /* DIR/riskreg.lua */
    char *db_path;     /* DIR/register.db */
    char *name;        /* organisation, for titles */
    int matrix_size;
    char *likelihood_labels[MATRIX_MAX];
    char *impact_labels[MATRIX_MAX];
    int review_every_days; /* default review cadence */
    /* level bands, for the one-line summaries of write commands (the site's scoring is Lua's) */
    struct config_level levels[CONFIG_MAX_LEVELS];
    int nlevels;
    int score_is_product; /* score = likelihood * impact (else summaries give no level) */
};

/* The level band a score falls in, or NULL when riskreg.lua scores differently. */
const struct config_level *config_level_for_score(const struct config *cfg, double score);
/* Its name, or NULL likewise. */
const char *config_level_name(const struct config *cfg, long score);

/* Find the project: explicit dir, else $RISKREG_DIR, else walk up from the current folder to the
 * first riskreg.lua. Reports and returns -1 when there is none. */
int config_find(const char *explicit_dir, struct config *cfg);

/* Load riskreg.lua (a Lua table file, data only) into cfg; -1 with a message naming the file. */
int config_load(struct config *cfg);

/* Defaults for a matrix of the given size (labels), used when riskreg.lua leaves them out. */
void config_set_defaults(struct config *cfg, int matrix_size);

void config_free(struct config *cfg);

/* Push riskreg.lua's settings onto another Lua state as a plain table (run again in a bare
 * state, then copied: strings, numbers, booleans and tables only). */
struct lua_State;
int config_push_copy(const struct config *cfg, struct lua_State *to);

/* The text of a new riskreg.lua, for `riskreg init`. */
const char *config_template(void);

#endif
