/* lua_model.h - riskreg.model: the kinds of record and their fields, for the scripts */
#ifndef RISKREG_LUA_MODEL_H
#define RISKREG_LUA_MODEL_H

#include "lua_host.h"
#include "model.h"

/* model.kinds (in dependency order), model.kind[name], model.suggest(kind, name). */
void lua_model_register(struct host *h);

/* "date", "rating", ...: how riskreg.model names a field type. */
const char *lua_model_type_name(enum field_type type);

#endif
