-- riskreg.settings: what riskreg.lua may say, checked once for every command and every build.
--
-- riskreg.lua is data: a table of settings. Every key it sets must be one riskreg knows, with a
-- value of the right type; a misspelt key is an error that names it and the nearest known key
-- ("unknown setting 'apetite'; did you mean 'appetite'?"), never a silent default. Settings of a
-- project's own scripts go under `custom`, which riskreg does not check.
--
-- A mistake is raised as error { settings = message, key = "apetite" }: the host reports it as
-- one line, "PATH/riskreg.lua:LINE: message", naming the line where the key is written.

local config = require "riskreg.config"

local settings = {}

--- Raise a mistake in riskreg.lua: one line naming the file (and the key's line), no traceback.
function settings.fail(message, key)
  error({ settings = message, key = key }, 0)
end
local fail = settings.fail

-- The value checkers: each returns nil when the value is right, else what it should be.
local function a_string(v) if type(v) ~= "string" then return "a string" end end
local function a_number(v) if type(v) ~= "number" then return "a number" end end
local function an_integer(v) if math.type(v) ~= "integer" then return "a whole number" end end
local function a_table(v) if type(v) ~= "table" then return "a table" end end
local function a_list(v)
  if type(v) ~= "table" then return "a list" end
  for k in pairs(v) do
    if math.type(k) ~= "integer" or k < 1 or k > #v then return "a list (no named keys)" end
  end
end

local function a_date_order(v)
  if type(v) ~= "string" or not (v:upper() == "DMY" or v:upper() == "MDY" or v:upper() == "YMD") then
    return "\"DMY\", \"MDY\" or \"YMD\""
  end
end
local function a_mapping(v)
  if type(v) ~= "table" then return "a table of column = field" end
  for k, f in pairs(v) do
    if type(k) ~= "string" or type(f) ~= "string" then
      return "a table of column = field, both strings (\"\" skips a column)"
    end
  end
end
local function a_word_mapping(v)
  if type(v) ~= "table" then return "a table of field = { word = value }" end
  for field, words in pairs(v) do
    if type(field) ~= "string" or a_mapping(words) then
      return "a table of field = { word = value }, all strings"
    end
  end
end

-- The settings riskreg knows. A table value is a nested table of settings; `list` gives the
-- settings of each element of a list.
-- what: what the value is, said after the type it must have.
local schema = {
  name = { check = a_string, what = "the organisation's name, shown in titles" },
  server = {
    check = a_string,
    what = "the PostgreSQL server the register is kept on, such as \"postgresql://db.example.org/riskreg\""
      .. " (no password: libpq reads it from ~/.pgpass)",
  },
  classification = { check = a_string, what = "the marking on the printed pack's cover, such as \"Internal\"" },
  matrix = {
    check = a_table, what = "such as { size = 5 }",
    fields = {
      size = { check = an_integer, what = "from 3 to 6" },
      likelihood = { check = a_list, what = "one label per likelihood rating" },
      impact = { check = a_list, what = "one label per impact rating" },
      benefit = { check = a_list, what = "one label per benefit rating of an opportunity" },
    },
  },
  score = { check = a_string, what = "a Lua expression of likelihood and impact, such as \"likelihood * impact\"" },
  levels = {
    check = a_list, what = "of bands such as { name = \"Low\", max = 4, colour = \"#d9f0d3\" }",
    element = "with name, max and colour",
    list = {
      name = { check = a_string }, max = { check = a_number, what = "the highest score in the band" },
      colour = { check = a_string, what = "such as \"#f4a261\"" },
      color = { check = a_string, what = "such as \"#f4a261\"" },
    },
  },
  appetite = { check = a_number, what = "a residual score; scores above it need a decision" },
  review = {
    check = a_table, what = "such as { every_days = 90 }",
    fields = { every_days = { check = an_integer, what = "days between reviews" } },
  },
  nonconformity = {
    check = a_table, what = "such as { check_within_days = 90 }",
    fields = {
      check_within_days = { check = an_integer,
        what = "days after closing by which a corrective action's effectiveness is checked" },
    },
  },
  audit = {
    check = a_table, what = "such as { cycle_years = 3 }",
    fields = {
      cycle_years = { check = an_integer,
        what = "years within which the internal audit programme covers every requirement" },
    },
  },
  pages = {
    check = a_list, what = "such as { { path = \"services.html\", label = \"Services\" } }",
    element = "with a path and a label",
    list = { path = { check = a_string }, label = { check = a_string } },
  },
  import = {
    check = a_table, what = "such as { date_format = \"DMY\", map = { [\"Risk Lead\"] = \"owner\" } }",
    fields = {
      date_format = { check = a_date_order, what = "the order of day, month and year in the sheets' dates" },
      map = { check = a_mapping, what = "such as { [\"Risk Lead\"] = \"owner\", [\"Notes\"] = \"\" }" },
      values = { check = a_word_mapping,
        what = "such as { status = { [\"Not Started\"] = \"open\" } }" },
    },
  },
  custom = { check = a_table, what = "settings of the project's own scripts, not checked" },
}
settings.schema = schema

-- The edit distance of two short names, for "did you mean".
local function distance(a, b)
  local previous = {}
  for j = 0, #b do previous[j] = j end
  for i = 1, #a do
    local current = { [0] = i }
    for j = 1, #b do
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      current[j] = math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
    end
    previous = current
  end
  return previous[#b]
end

--- The known name closest to a misspelt one, or nil when none is close.
function settings.nearest(name, known)
  local best, best_distance
  local lower = name:lower()
  for candidate in pairs(known) do
    local d = distance(lower, candidate:lower())
    if d <= math.max(2, #candidate // 3) and (not best_distance or d < best_distance
        or d == best_distance and candidate < best) then
      best, best_distance = candidate, d
    end
  end
  return best
end

local function describe(v)
  if type(v) == "string" then return string.format("the text %q", v) end
  if type(v) == "number" then return tostring(v) end
  return "a " .. type(v)
end

-- The keys of a table in a fixed order (names, then numbers), so that of several mistakes the
-- same one is said first every time.
local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) ~= type(b) then return type(a) == "string" end
    if type(a) == "string" or type(a) == "number" then return a < b end
    return tostring(a) < tostring(b)
  end)
  return keys
end

local function check_table(t, fields, where)
  for _, key in ipairs(sorted_keys(t)) do
    local value = t[key]
    local path = where .. (type(key) == "string" and ((where ~= "" and "." or "") .. key)
      or ("[" .. tostring(key) .. "]"))
    local spec = type(key) == "string" and fields[key]
    if not spec then
      local guess = type(key) == "string" and settings.nearest(key, fields)
      fail("unknown setting '" .. path .. "'" .. (guess and ("; did you mean '"
        .. (where ~= "" and where .. "." or "") .. guess .. "'?") or
        " (riskreg.lua takes " .. settings.known_list(fields)
        .. "; your own scripts' settings go under custom = { ... })"), key)
    end
    local want = spec.check(value)
    if want then
      local what = spec.what or ""
      if what:match("^such as") or what:match("^of ") or what:match("^from ") then
        what = " " .. what
      elseif what ~= "" then
        what = " (" .. what .. ")"
      end
      fail(path .. " must be " .. want .. what .. "; it is " .. describe(value), key)
    end
    if spec.fields then check_table(value, spec.fields, path) end
    if spec.list then
      for i, element in ipairs(value) do
        local here = path .. "[" .. i .. "]"
        if type(element) ~= "table" then
          fail(here .. " must be a table " .. (spec.element or "") .. "; it is " .. describe(element),
            key)
        end
        check_table(element, spec.list, here)
      end
    end
  end
end

--- "appetite, levels, matrix, ...": the known names of a table of settings, sorted.
function settings.known_list(fields)
  local names = {}
  for name in pairs(fields) do names[#names + 1] = name end
  table.sort(names)
  return table.concat(names, ", ")
end

if type(config) ~= "table" then fail("riskreg.lua must be a table of settings") end
check_table(config, schema, "")

--- The settings as riskreg.lua gives them (checked; defaults are the scoring module's).
settings.values = config

return settings
