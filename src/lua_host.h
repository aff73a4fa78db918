/* lua_host.h - the sandboxed Lua 5.4 state that runs the report scripts */
#ifndef RISKREG_LUA_HOST_H
#define RISKREG_LUA_HOST_H

#include <stddef.h>

#include <lua.h>

/* Registry key of the path of the project's riskreg.lua, for errors about it (error { settings
 * = "why" } in a script reports "PATH: why" without a traceback). */
#define HOST_CONFIG_PATH_KEY "riskreg.config_path"

struct host_limits {
    size_t memory_bytes; /* cap on everything the scripts allocate */
    double seconds;      /* CPU time the scripts may take */
};

#define HOST_DEFAULT_MEMORY_MB 512
#define HOST_DEFAULT_SECONDS 300

struct host;

/* A state with only the libraries SPEC §6 lists, strict globals and a require that finds Lua
 * files (as text) in script_dirs (the project's first, then the built-in ones). */
struct host *host_new(const struct host_limits *limits, const char *const *script_dirs, int ndirs);
/* The folders templates and assets come from (the project's templates/, then the built-in
 * report-templates/). */
void host_set_asset_dirs(struct host *h, const char *const *dirs, int ndirs);
struct host *host_from_state(lua_State *L);
void host_free(struct host *h);
lua_State *host_state(struct host *h);

/* Run riskreg.lua at path as data (a text chunk in an empty environment of its own, with a
 * small budget of memory and instructions) and make the table it gives require("riskreg.config").
 * Its mistakes are reported by the message handler as "PATH:LINE: why", where a script raised
 * error { settings = why, key = "name" }. -1 after reporting. */
int host_load_settings(struct host *h, const char *path);

/* Register a module that require(name) returns: a C function that pushes the module table. */
void host_add_module(struct host *h, const char *name, lua_CFunction open);

/* Run a script found on the scripts path ("site.lua"), or a file by its path. Every call is
 * protected: on error the message (FILE:LINE: message, then a traceback) has been printed as
 * "riskreg: ..." and -1 is returned. */
int host_run_script(struct host *h, const char *name);
int host_run_file(struct host *h, const char *path);

/* Protected call of the function below nargs arguments on the stack, with the host's message
 * handler and limits; prints the error like host_run_script. */
int host_pcall(struct host *h, int nargs, int nresults);

/* The failure about to stop the scripts (a file the site could not write) was reported where it
 * happened: the script error it leads to (an assert's message and traceback) is not printed. */
void host_error_reported(struct host *h);

/* Load Lua source as a text chunk whose _ENV is the scripts' sandbox environment. Pushes the
 * function, or returns -1 with the message on the stack. */
int host_load(struct host *h, const char *source, size_t len, const char *chunkname);

/* The scripts' environment table, pushed. */
void host_push_env(struct host *h);

/* Where the scripts path (or the asset folders) has a file ("lib/register.lua"), really inside
 * the folder (no symlink out); NULL when nowhere. Caller frees. */
char *host_find_script(struct host *h, const char *relative);
char *host_find_asset(struct host *h, const char *relative);

/* Memory the scripts use now and at most, in bytes. */
size_t host_memory_peak(struct host *h);

#endif
