/* build.c - riskreg build: the report scripts turn the register into the site, atomically.
 *
 * The site is built in a fresh folder beside the published one and swapped in (one rename)
 * only when every script succeeded; a failed build removes its folder and leaves the published
 * site as it was. */
#define _GNU_SOURCE
#include "build.h"
#include "cli.h"
#include "fingerprint.h"
#include "lua_chart.h"
#include "lua_db.h"
#include "lua_site.h"
#include "lua_template.h"
#include "site_reuse.h"
#include "progress.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SITE_MARKER SITE_MARKER_NAME
#define SCRIPT_MEMORY_PER_BYTE 3  /* the scripts' default memory cap per byte of the register */
#define SCRIPT_SECONDS_PER_MB 1.0 /* and their default CPU budget per megabyte of it */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 ? 0 : (errno == ENOENT ? 0 : -1);
}

/* Folders of ours made read-only (chmod 555 public) must be writable to be emptied. */
static int make_writable(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    if (flag == FTW_D && !(st->st_mode & S_IWUSR))
        chmod(path, (st->st_mode & 07777) | S_IWUSR | S_IXUSR);
    return 0;
}

int build_remove_tree(const char *dir)
{
    nftw(dir, make_writable, 32, FTW_PHYS);
    return nftw(dir, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

/* A folder riskreg may replace: missing, empty, or a site it built (it has the marker). */
static int replaceable(const char *out)
{
    struct stat st;
    if (lstat(out, &st) != 0) return errno == ENOENT ? 1 : -1;
    if (!S_ISDIR(st.st_mode)) return 0;
    struct strbuf marker = STRBUF_INIT;
    sb_printf(&marker, "%s/%s", out, SITE_MARKER);
    int ok = access(marker.data, F_OK) == 0;
    sb_free(&marker);
    if (ok) return 1;
    DIR *d = opendir(out);
    if (!d) return -1;
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) empty = 0;
    closedir(d);
    return empty;
}

/* Swap the staging folder in: one rename, so a reader sees the old site or the new one. */
static int publish(const char *staging, const char *out)
{
    struct stat st;
    if (lstat(out, &st) != 0) {
        if (rename(staging, out) != 0) return -1;
        return 0;
    }
    if (renameat2(AT_FDCWD, staging, AT_FDCWD, out, RENAME_EXCHANGE) != 0) return -1;
    build_remove_tree(staging); /* the old site, now under the staging name */
    return 0;
}

/* A watchdog for what the scripts' CPU budget cannot stop (a runaway pattern match in C, a loop
 * in a finalizer): past the deadline it removes the staging folder and ends the process. It
 * counts the same clock as the scripts' budget (the CPU time of the thread the scripts run on,
 * not the chart workers'), so that on a busy machine the budget's own, clearer message comes
 * first; and, for a build stuck without using the CPU, a wall-clock deadline well beyond it. */
struct watchdog {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    int done, started;
    double cpu_seconds, wall_seconds, budget;
    const char *staging;
    clockid_t scripts_clock; /* the scripts' thread's CPU clock */
};

static double cpu_now(const struct watchdog *w)
{
    struct timespec ts;
    if (clock_gettime(w->scripts_clock, &ts) != 0) return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *watch(void *arg)
{
    struct watchdog *w = arg;
    struct timespec start, deadline;
    clock_gettime(CLOCK_REALTIME, &start);
    double cpu_start = cpu_now(w);
    int expired = 0;
    pthread_mutex_lock(&w->lock);
    while (!w->done && !expired) {
        clock_gettime(CLOCK_REALTIME, &deadline);
        double waited = (double)(deadline.tv_sec - start.tv_sec) +
                        (double)(deadline.tv_nsec - start.tv_nsec) / 1e9;
        expired = cpu_now(w) - cpu_start > w->cpu_seconds || waited > w->wall_seconds;
        deadline.tv_nsec += 200 * 1000000L; /* looked at five times a second */
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
        if (!expired) pthread_cond_timedwait(&w->done_cond, &w->lock, &deadline);
    }
    expired = expired && !w->done;
    pthread_mutex_unlock(&w->lock);
    if (expired) {
        /* The scripts are stuck where no Lua hook runs; nothing sensible can continue. */
        rr_error("the report scripts ran longer than %g s (--script-timeout raises the limit) and "
                 "were stopped; the site was not changed",
                 w->budget);
        build_remove_tree(w->staging);
        _exit(EXIT_FAILED);
    }
    return NULL;
}

static void watchdog_start(struct watchdog *w, double script_seconds, const char *staging)
{
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->done_cond, NULL);
    /* the hook stops a Lua loop at the budget; this is the grace beyond it */
    w->budget = script_seconds;
    w->cpu_seconds = script_seconds + (script_seconds / 4 > 2 ? script_seconds / 4 : 2);
    w->wall_seconds = 3 * script_seconds + 30;
    w->staging = staging;
    if (pthread_getcpuclockid(pthread_self(), &w->scripts_clock) != 0)
        w->scripts_clock = CLOCK_PROCESS_CPUTIME_ID;
    w->started = pthread_create(&w->thread, NULL, watch, w) == 0;
}

static void watchdog_stop(struct watchdog *w)
{
    if (!w->started) return;
    pthread_mutex_lock(&w->lock);
    w->done = 1;
    pthread_cond_signal(&w->done_cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->done_cond);
    w->started = 0;
}

/* Staging folders of builds that were killed (.public.new-PID-XXXXXX whose PID is gone). */
static void remove_stale_staging(const char *parent, const char *base)
{
    DIR *d = opendir(parent);
    if (!d) return;
    struct strbuf prefix = STRBUF_INIT;
    sb_printf(&prefix, ".%s.new-", base);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix.data, prefix.len) != 0) continue;
        long pid = strtol(e->d_name + prefix.len, NULL, 10);
        if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH)) {
            struct strbuf path = STRBUF_INIT;
            sb_printf(&path, "%s/%s", parent, e->d_name);
            build_remove_tree(path.data);
            sb_free(&path);
        }
    }
    closedir(d);
    sb_free(&prefix);
}

struct period {
    char as_of[DATE_TEXT_SIZE], first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];
    char label[16], previous[16], previous_as_of[DATE_TEXT_SIZE], today[DATE_TEXT_SIZE];
};

static int choose_period(struct cli *c, const char *period, const char *as_of, struct period *p)
{
    rr_day today = date_today(), first, last, day;
    date_format(today, p->today);
    if (period && as_of) return cli_usage_error(c, "give --period or --as-of, not both");
    if (as_of) {
        if (date_parse(as_of, &day) != 0) {
            char why[160];
            date_explain(as_of, why, sizeof why);
            return cli_usage_error(c, "--as-of: %s", why);
        }
        if (day > today)
            return cli_usage_error(c,
                                   "--as-of: %s is in the future; the register is known up to "
                                   "today (%s)",
                                   as_of, p->today);
        int year, q = date_quarter_of(day, &year);
        char label[16];
        snprintf(label, sizeof label, "%04d-Q%d", year, q);
        date_parse_period(label, &first, &last);
    } else {
        char label[16];
        if (period) {
            snprintf(label, sizeof label, "%s", period);
            if (label[5] == 'q') label[5] = 'Q';
        } else {
            int year, q = date_quarter_of(today, &year);
            snprintf(label, sizeof label, "%04d-Q%d", year, q);
        }
        if (date_parse_period(label, &first, &last) != 0)
            return cli_usage_error(c, "--period: '%s' is not a quarter such as 2026-Q4", period);
        if (first > today)
            return cli_usage_error(c, "--period: %s has not started yet (today is %s)", label,
                                   p->today);
        day = last < today ? last : today;
    }
    int year, q = date_quarter_of(first, &year);
    snprintf(p->label, sizeof p->label, "%04d-Q%d", year, q);
    int py, pq = date_quarter_of(first - 1, &py);
    snprintf(p->previous, sizeof p->previous, "%04d-Q%d", py, pq);
    date_format(day, p->as_of);
    date_format(first, p->first);
    date_format(last, p->last);
    date_format(first - 1, p->previous_as_of);
    return EXIT_DONE;
}

/* The project's page scripts (scripts/pages, every .lua file) in name order, after the
 * built-in pages. */
static int run_page_scripts(struct host *h, const char *scripts_dir)
{
    struct strbuf dir = STRBUF_INIT;
    sb_printf(&dir, "%s/pages", scripts_dir);
    struct dirent **entries;
    int n = is_dir(dir.data) ? scandir(dir.data, &entries, NULL, alphasort) : 0;
    if (n < 0) rr_error("%s: cannot read the folder: %s", dir.data, strerror(errno));
    sb_free(&dir);
    if (n <= 0) return n;
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = entries[i]->d_name;
        size_t len = strlen(name);
        if (rc == 0 && name[0] != '.' && len > 4 && strcmp(name + len - 4, ".lua") == 0) {
            struct strbuf rel = STRBUF_INIT;
            sb_printf(&rel, "pages/%s", name);
            rc = host_run_script(h, rel.data);
            sb_free(&rel);
        }
        free(entries[i]);
    }
    free(entries);
    return rc;
}

/* The fingerprint of everything every page is made with: the program itself, the built-in and
 * the project's scripts and templates, and riskreg.lua. A change to any of them renders every
 * page again. 0, or -1 after reporting. */
static int build_inputs(const struct config *cfg, const char *data_dir, char out[FP_HEX_SIZE])
{
    struct strbuf builtin_scripts = STRBUF_INIT, builtin_templates = STRBUF_INIT;
    struct strbuf scripts = STRBUF_INIT, templates = STRBUF_INIT;
    sb_printf(&builtin_scripts, "%s/scripts", data_dir);
    sb_printf(&builtin_templates, "%s/report-templates", data_dir);
    sb_printf(&scripts, "%s/scripts", cfg->dir);
    sb_printf(&templates, "%s/templates", cfg->dir);
    const char *dirs[] = {builtin_scripts.data, builtin_templates.data, scripts.data,
                          templates.data};
    const char *files[] = {"/proc/self/exe", cfg->config_path};
    struct fp_stream *st = fp_stream_new();
    struct strbuf where = STRBUF_INIT;
    fp_stream_str(st, "riskreg pages 1");
    int rc = fp_stream_files(st, dirs, 4, files, 2, &where);
    if (rc != 0)
        rr_error("%s: cannot read it to see what changed since the last build: %s; the site "
                 "was not changed",
                 sb_str(&where), strerror(errno));
    else
        fp_hex(fp_stream_digest(st), out);
    fp_stream_free(st);
    sb_free(&where);
    sb_free(&builtin_scripts);
    sb_free(&builtin_templates);
    sb_free(&scripts);
    sb_free(&templates);
    return rc;
}

/* The scripts' limits unless --script-memory and --script-timeout give them: 512 MB and 300 s
 * of CPU, or for a large register three times the size of its file (the model the scripts read
 * is about one and a half times it) and a second per megabyte of it, so that a register of any
 * size builds with the defaults while a runaway script is still stopped. */
static void default_limits(const char *db_path, int memory_given, int seconds_given,
                           struct host_limits *limits)
{
    struct stat st;
    if (stat(db_path, &st) != 0) return;
    size_t bytes = (size_t)st.st_size;
    if (!memory_given && bytes > limits->memory_bytes / SCRIPT_MEMORY_PER_BYTE)
        limits->memory_bytes = bytes * SCRIPT_MEMORY_PER_BYTE;
    double seconds = (double)bytes / (1 << 20) * SCRIPT_SECONDS_PER_MB;
    if (!seconds_given && seconds > limits->seconds) limits->seconds = seconds;
}

static int parse_positive(const char *text, double max, double *out)
{
    char *end;
    double v = text ? strtod(text, &end) : 0;
    if (!text || *end || v <= 0 || v > max) return -1;
    *out = v;
    return 0;
}

int cmd_build(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {
        {"--period", 1, NULL, 0}, {"--as-of", 1, NULL, 0},          {"--out", 1, NULL, 0},
        {"--jobs", 1, NULL, 0},   {"--script-timeout", 1, NULL, 0}, {"--script-memory", 1, NULL, 0},
        {NULL, 0, NULL, 0}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int npos;
    int rc = cli_parse(c, argc, argv, opts, pos, &npos);
    free(pos);
    if (rc) return rc < 0 ? EXIT_DONE : rc;
    if (npos) return cli_usage_error(c, "build takes only options");
    struct host_limits limits = {(size_t)HOST_DEFAULT_MEMORY_MB << 20, HOST_DEFAULT_SECONDS};
    double value;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = cores > 0 ? (int)cores : 1;
    if (opts[3].value) {
        if (parse_positive(opts[3].value, 256, &value) != 0 || value != (int)value)
            return cli_usage_error(c, "--jobs takes a number of threads from 1 to 256");
        jobs = (int)value;
    }
    if (opts[4].value) {
        if (parse_positive(opts[4].value, 86400, &value) != 0)
            return cli_usage_error(c, "--script-timeout takes seconds (e.g. 600)");
        limits.seconds = value;
    }
    if (opts[5].value) {
        if (parse_positive(opts[5].value, 65536, &value) != 0)
            return cli_usage_error(c, "--script-memory takes megabytes (e.g. 2048)");
        limits.memory_bytes = (size_t)(value * 1048576.0);
    }
    struct period p;
    if ((rc = choose_period(c, opts[0].value, opts[1].value, &p)) != EXIT_DONE) return rc;
    /* the register, read only: the rules' Lua state (riskreg.lua loaded and checked once) renders
     * the site; the command's connection only checks that there is a register to read */
    if (cli_project(c) != 0) return EXIT_FAILED;
    default_limits(c->cfg.db_path, opts[5].value != NULL, opts[4].value != NULL, &limits);
    c->limits = limits;
    if (cli_rules(c) != 0 || cli_open_read(c) != 0) return EXIT_FAILED;
    if (c->reg.copy_path) {
        /* a register on a server: its size is its copy's, which lives while it is open */
        default_limits(c->cfg.db_path, opts[5].value != NULL, opts[4].value != NULL, &limits);
        c->limits = limits;
        host_set_limits(rules_host(c->rules), &limits);
    } else {
        reg_close(&c->reg);
        c->have_reg = 0;
    }
    const char *data_dir = rules_data_dir();
    char inputs[FP_HEX_SIZE];
    if (build_inputs(&c->cfg, data_dir, inputs) != 0) return EXIT_FAILED;

    struct strbuf out = STRBUF_INIT, staging = STRBUF_INIT;
    if (opts[2].value)
        sb_puts(&out, opts[2].value);
    else
        sb_printf(&out, "%s/public", c->cfg.dir);
    while (out.len > 1 && out.data[out.len - 1] == '/')
        out.data[--out.len] = '\0';
    int ok = replaceable(out.data);
    if (ok <= 0) {
        if (ok == 0)
            rr_error("%s: exists and is not a site riskreg built (no %s in it); riskreg replaces "
                     "the whole folder, so give a new or empty one with --out",
                     out.data, SITE_MARKER);
        else if (errno == ENOTDIR)
            rr_error("%s: a part of this path is a file, not a folder; give another --out",
                     out.data);
        else
            rr_error("%s: cannot use it: %s; check the permissions of the folders on the way, or "
                     "give another --out",
                     out.data, strerror(errno));
        sb_free(&out);
        return EXIT_FAILED;
    }
    /* the staging folder sits beside the output so that the swap is one rename */
    char *slash = strrchr(out.data, '/');
    struct strbuf parent = STRBUF_INIT;
    if (slash)
        sb_add(&parent, out.data, (size_t)(slash - out.data));
    else
        sb_putc(&parent, '.');
    const char *base = slash ? slash + 1 : out.data;
    remove_stale_staging(sb_str(&parent), base);
    sb_printf(&staging, "%s/.%s.new-%ld-XXXXXX", sb_str(&parent), base, (long)getpid());
    sb_free(&parent);
    if (!mkdtemp(staging.data)) {
        rr_error("%s: cannot create the new site beside it: %s; check that the folder holding it "
                 "is writable, or give another --out",
                 out.data, strerror(errno));
        sb_free(&out);
        sb_free(&staging);
        return EXIT_FAILED;
    }
    chmod(staging.data, 0755);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct strbuf project_scripts = STRBUF_INIT;
    struct strbuf project_templates = STRBUF_INIT, builtin_templates = STRBUF_INIT;
    sb_printf(&project_scripts, "%s/scripts", c->cfg.dir);
    sb_printf(&project_templates, "%s/templates", c->cfg.dir);
    sb_printf(&builtin_templates, "%s/report-templates", data_dir);
    const char *asset_dirs[2];
    int nasset = 0;
    if (is_dir(project_templates.data)) asset_dirs[nasset++] = project_templates.data;
    asset_dirs[nasset++] = builtin_templates.data;

    struct site_options so = {.inputs = inputs,
                              .out_dir = staging.data,
                              .published = out.data,
                              .as_of = p.as_of,
                              .period = p.label,
                              .period_first = p.first,
                              .period_last = p.last,
                              .previous_period = p.previous,
                              .previous_as_of = p.previous_as_of,
                              .today = p.today,
                              .name = c->cfg.name};
    int code = EXIT_FAILED;
    struct watchdog dog;
    watchdog_start(&dog, limits.seconds, staging.data);
    struct strbuf label = STRBUF_INIT;
    sb_printf(&label, "Building %s", p.label);
    progress_start(label.data, c->quiet);
    progress_phase(NULL, "charts", 0);
    struct host *h = rules_host(c->rules);
    host_set_asset_dirs(h, asset_dirs, nasset);
    lua_template_register(h);
    if (lua_db_register(h, c->cfg.db_path) != 0 || lua_site_register(h, &so) != 0 ||
        lua_chart_register(h, jobs, staging.data) != 0)
        goto done;
    if (host_run_script(h, "site.lua") != 0) goto done;
    if (run_page_scripts(h, project_scripts.data) != 0) goto done;
    if (lua_site_run_at_end(h) != 0) goto done; /* the Data page lists what scripts added */
    if (lua_chart_finish(h) != 0) goto done;
    progress_end();
    if (lua_site_finish(h) != 0) goto done;
    long files = lua_site_files_written(h), drawn, reused, rendered, kept;
    lua_chart_counts(h, &drawn, &reused);
    lua_site_page_counts(h, &rendered, &kept);
    rules_free(c->rules); /* finalizers run now, under the watchdog, before anything is published */
    c->rules = NULL;
    watchdog_stop(&dog);
    if (files < 0) {
        rr_error("the build could not write every file (see above); the site was not changed");
        goto done;
    }
    if (publish(staging.data, out.data) != 0) {
        rr_error("%s: cannot publish the new site: %s", out.data, strerror(errno));
        goto done;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (!c->quiet)
        printf("built %s as of %s: %ld files (pages: %ld rendered, %ld kept; charts: %ld drawn, "
               "%ld reused) in %.2f s\n%s/index.html\n",
               p.label, p.as_of, files, rendered, kept, drawn, reused, seconds, out.data);
    code = EXIT_DONE;
done:
    progress_end();
    sb_free(&label);
    rules_free(c->rules);
    c->rules = NULL;
    watchdog_stop(&dog);
    if (code != EXIT_DONE) build_remove_tree(staging.data);
    sb_free(&project_scripts);
    sb_free(&project_templates);
    sb_free(&builtin_templates);
    sb_free(&out);
    sb_free(&staging);
    return code;
}
