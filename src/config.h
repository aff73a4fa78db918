/* config.h - the project: where it is, and what the C side needs of its checked settings */
#ifndef RISKREG_CONFIG_H
#define RISKREG_CONFIG_H

#define MATRIX_MIN 3
#define MATRIX_MAX 6

struct config {
    char *dir;         /* the project folder */
    char *config_path; /* DIR/riskreg.lua */
    char *db_path;     /* DIR/register.db */
    /* from riskreg.lua, as the rules read it (rules_open fills these) */
    char *name;   /* organisation, for titles */
    char *server; /* the PostgreSQL server the register is kept on; NULL: register.db */
    int fresh;    /* read the server's register afresh, not a copy kept from before (verify) */
    int matrix_size;
    char *likelihood_labels[MATRIX_MAX];
    char *impact_labels[MATRIX_MAX];
};

/* Find the project: explicit dir, else $RISKREG_DIR, else walk up from the current folder to the
 * first riskreg.lua. Reports and returns -1 when there is none. */
int config_find(const char *explicit_dir, struct config *cfg);

void config_free(struct config *cfg);

/* Might riskreg.lua name a server? Only its rules can say for sure, and reading them starts
 * Lua; a file without the word "server", the common case, is decided without. */
int config_may_name_server(const struct config *cfg);

/* The text of a new riskreg.lua, for `riskreg init`. */
const char *config_template(void);

#endif
