/* lua_chart.h - riskreg.chart: charts drawn with libgd on worker threads */
#ifndef RISKREG_LUA_CHART_H
#define RISKREG_LUA_CHART_H

#include "lua_host.h"

/* riskreg.chart: charts drawn on `jobs` worker threads into out_dir; -1 (reported) when no font
 * is available. lua_chart_finish waits for every chart (-1, reported, when one failed). */
int lua_chart_register(struct host *h, int jobs, const char *out_dir);
int lua_chart_finish(struct host *h);
void lua_chart_counts(struct host *h, long *drawn, long *reused);

#endif
