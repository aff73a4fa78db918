/* lua_host.h - the sandboxed Lua 5.4 state that runs the report scripts */
#ifndef RISKREG_LUA_HOST_H
#define RISKREG_LUA_HOST_H

#include <stddef.h>

#include <lua.h>

/* Registry key of the path of the project's riskreg.lua, for errors about it (error { settings
 * = "why" } in a script reports "PATH: why" without a traceback). */
#define HOST_CONFIG_PATH_KEY "riskreg.config_path"

/* Registry key of what a page builder is rendering ("R-014", set by template.rendering): an
 * error while it is set says "FILE:LINE while rendering R-014: why". */
#define HOST_RENDERING_KEY "riskreg.rendering"

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
/* New limits, for what runs from now on (a register whose size is known only once it is open). */
void host_set_limits(struct host *h, const struct host_limits *limits);
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
 * protected: on error the message has been printed as "riskreg: FILE:LINE: message" and -1 is
 * returned. FILE:LINE is the customiser's (the first frame outside the built-in scripts and
 * templates) and the message one line; an error wholly inside the built-in scripts adds Lua's
 * traceback, and so does every error with RISKREG_TRACEBACK=1 in the environment. */
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

/* Push "FILE:LINE: " of the customiser's line that led to the running C function: the first
 * Lua frame outside riskreg's built-in scripts and templates (else the nearest Lua frame, else
 * ""). For the messages of errors a host function raises (luaL_where, for the user's file). */
void host_where(lua_State *L);

/* Is a customiser's code running: a frame of the project's scripts or templates, a chunk a
 * script loaded, or a setting of riskreg.lua, anywhere on the stack? */
int host_customiser_running(lua_State *L);

/* The project's templates folder, or NULL when it has none (for a template not found). */
const char *host_project_templates(struct host *h);

/* The chunk name for a file of the scripts or templates: "@PATH", a project's file as the user
 * opens it from the current folder, a built-in one by its full path. */
struct strbuf;
void host_chunk_name(struct host *h, const char *path, struct strbuf *out);

/* The scripts' environment table, pushed. */
void host_push_env(struct host *h);

/* Where the scripts path (or the asset folders) has a file ("lib/register.lua"), really inside
 * the folder (no symlink out); NULL when nowhere. Caller frees. */
char *host_find_script(struct host *h, const char *relative);
char *host_find_asset(struct host *h, const char *relative);

/* Memory the scripts use now and at most, in bytes. */
size_t host_memory_peak(struct host *h);
/* How many times the scripts looked at the clock (os.time, os.date, os.clock) so far. */
long host_clock_reads(struct host *h);

#endif
