/* lua_csv.h - riskreg.csv: CSV text for report scripts, written by the same code as riskreg
 * export (sheet.c), and written into the site */
#ifndef RISKREG_LUA_CSV_H
#define RISKREG_LUA_CSV_H

struct host;

/* The module riskreg.csv: encode(rows [, columns]) -> text; write(path, rows [, columns]) (only
 * while a site is being built: riskreg.site must be registered). */
void lua_csv_register(struct host *h);

#endif
