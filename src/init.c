/* init.c - `riskreg init DIR`: a new register project, with its riskreg.lua, its register and a
 * workbook to fill in (template_cmd.c) */
#include "cli.h"
#include "config.h"
#include "server.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_new_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wx");
    if (!f) {
        rr_error("%s: %s", path, strerror(errno));
        return -1;
    }
    int ok = fputs(text, f) >= 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok) rr_error("%s: cannot write the file", path);
    return ok ? 0 : -1;
}

/* riskreg.lua for a register kept on server: the template with the server named at its top. */
static char *settings_with_server(const char *server)
{
    const char *t = config_template();
    const char *body = strstr(t, "return {\n");
    struct strbuf sb = STRBUF_INIT;
    sb_add(&sb, t, (size_t)(body - t));
    sb_puts(&sb, "return {\n"
                 "  -- Where the register is kept. The password is not written here: libpq\n"
                 "  -- reads it from ~/.pgpass, PGPASSFILE, a PGSERVICE entry or PGPASSWORD.\n"
                 "  server = \"");
    for (const char *p = server; *p; p++) {
        if (*p == '"' || *p == '\\') sb_putc(&sb, '\\');
        sb_putc(&sb, *p);
    }
    sb_puts(&sb, "\",\n\n");
    sb_puts(&sb, body + strlen("return {\n"));
    return sb_take(&sb);
}

int cmd_init(struct cli *c, int argc, char **argv)
{
    struct opt opts[] = {{"--server", 1, NULL, 0}, {NULL, 0, NULL, 0}};
    char *pos[CLI_FEW];
    int npos;
    int rc = cli_args(c, argc, argv, opts, pos, &npos);
    if (rc >= 0) return rc;
    if (npos != 1) return cli_usage_error(c, "init takes one folder");
    const char *server = opts[0].value;
    if (server && (!*server || strpbrk(server, "\n\r") || !server_is_connection(server)))
        return cli_usage_error(c,
                               "--server: '%s' is not a PostgreSQL connection; give it as "
                               "postgresql://HOST/DBNAME (or 'host=HOST dbname=DBNAME')",
                               server);
    const char *dir = pos[0];
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        rr_error("%s: cannot create the folder: %s", dir, strerror(errno));
        return EXIT_FAILED;
    }
    memset(&c->cfg, 0, sizeof c->cfg);
    struct strbuf path = STRBUF_INIT;
    sb_printf(&path, "%s/riskreg.lua", dir);
    struct stat st;
    if (stat(path.data, &st) == 0) {
        rr_error("%s: already a register (riskreg.lua exists); nothing changed", dir);
        sb_free(&path);
        return EXIT_FAILED;
    }
    char *settings = server ? settings_with_server(server) : NULL;
    rc = write_new_file(path.data, settings ? settings : config_template());
    free(settings);
    sb_reset(&path);
    sb_printf(&path, "%s/.gitignore", dir);
    if (rc == 0 && stat(path.data, &st) != 0)
        rc = write_new_file(path.data, "/public/\n/register.db-*\n/.riskreg-*\n");
    sb_free(&path);
    if (rc != 0) return EXIT_FAILED;
    c->dir = dir;
    if (cli_open_write(c) != 0) {
        if (server) {
            /* nothing was made on the server: leave no riskreg.lua that says there was */
            sb_printf(&path, "%s/riskreg.lua", dir);
            unlink(path.data);
            sb_free(&path);
        }
        return EXIT_FAILED;
    }
    sb_printf(&path, "%s/register-template.xlsx", dir);
    rc = template_write_xlsx(c, path.data);
    sb_free(&path);
    if (rc != 0) return EXIT_FAILED;
    long long records = 0;
    if (server && reg_int(&c->reg, "SELECT count(*) FROM record_id", NULL, &records) < 0)
        return EXIT_FAILED;
    if (records) {
        /* a colleague's register: this is one more project folder working on it */
        if (!c->quiet)
            printf("Created the project %s for the register on %s (%lld records); try:\n"
                   "  cd %s\n  riskreg list risks\n",
                   dir, server, records, dir);
        return EXIT_DONE;
    }
    if (!c->quiet)
        printf("Created the register %s%s%s\n\nNext:\n  cd %s\n"
               "  riskreg add risks title=\"...\" owner=\"...\" likelihood=3 impact=4\n"
               "  riskreg import my-register.csv --kind risks\n"
               "or fill in register-template.xlsx, then:\n"
               "  riskreg import register-template.xlsx\n",
               dir, server ? " on " : "", server ? server : "", dir);
    return EXIT_DONE;
}
