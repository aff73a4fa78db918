/* lua_text.h - riskreg.html, riskreg.markdown, riskreg.date and riskreg.hash: pure functions */
#ifndef RISKREG_LUA_TEXT_H
#define RISKREG_LUA_TEXT_H

#include "lua_host.h"

void lua_text_register(struct host *h);

/* Push the HTML-escaped text of the value at idx (nil shows as nothing). */
void lua_push_escaped(lua_State *L, int idx);

/* sha256(text): its SHA-256 in hex (riskreg.hash.sha256, site.sha256). */
int lua_text_sha256(lua_State *L);

#endif
