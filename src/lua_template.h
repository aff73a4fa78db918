/* lua_template.h - riskreg.template: templates compiled to Lua */
#ifndef RISKREG_LUA_TEMPLATE_H
#define RISKREG_LUA_TEMPLATE_H

#include <stddef.h>

#include "lua_host.h"

struct strbuf;

/* riskreg.template: templates from the host's asset folders, first match wins. */
void lua_template_register(struct host *h);

/* Template text to Lua source (exposed for the fuzzer); -1 with "LINE: why" in err and out
 * emptied. */
int template_compile(const char *text, size_t len, struct strbuf *out, char *err, size_t errsize);

#endif
