-- luacheck settings for the report scripts (make lint): the sandbox's globals, nothing more
std = "lua54"
globals = {}
read_globals = {
  "assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen", "rawset",
  "select", "setmetatable", "getmetatable", "tonumber", "tostring", "type", "xpcall", "_VERSION",
  "load", "print", "collectgarbage", "require", "string", "table", "math", "utf8",
  os = { fields = { "time", "date", "clock" } },
}
max_line_length = 120
