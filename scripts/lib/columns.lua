-- riskreg.columns: the columns of a data export (riskreg export, the site's data/): each kind's
-- fields, in the register's order, then the columns computed from them, named so that no import
-- alias takes them for a field. `riskreg import` asks this module which columns are computed,
-- and skips them without a word.

local model = require "riskreg.model"

local columns = {}

-- How each field type is written: text a spreadsheet must not run as a formula, a word riskreg
-- gives, a date, a number.
local cell_type = {
  id = "word", text = "text", markdown = "text", date = "date", days = "integer",
  rating = "integer", number = "number", enum = "word", ref = "word",
}

--- The computed columns of each kind: name, type, and where the value is (a path into the row
--- as export.rows gives it: a risk's `current` is its latest assessment); a level's likelihood,
--- impact and score are coloured with it.
columns.computed = {
  risks = {
    { name = "latest_likelihood", type = "integer", path = { "current", "inherent", "likelihood" },
      level = "inherent_level" },
    { name = "latest_impact", type = "integer", path = { "current", "inherent", "impact" },
      level = "inherent_level" },
    { name = "inherent_score", type = "number", path = { "current", "inherent", "score" },
      level = "inherent_level" },
    { name = "inherent_level", type = "level", path = { "current", "inherent", "level", "name" } },
    { name = "latest_residual_likelihood", type = "integer",
      path = { "current", "residual", "likelihood" }, level = "residual_level" },
    { name = "latest_residual_impact", type = "integer", path = { "current", "residual", "impact" },
      level = "residual_level" },
    { name = "residual_score", type = "number", path = { "current", "residual", "score" },
      level = "residual_level" },
    { name = "residual_level", type = "level", path = { "current", "residual", "level", "name" } },
  },
  assessments = {
    { name = "inherent_score", type = "number", path = { "inherent", "score" },
      level = "inherent_level" },
    { name = "inherent_level", type = "level", path = { "inherent", "level", "name" } },
    { name = "residual_score", type = "number", path = { "residual", "score" },
      level = "residual_level" },
    { name = "residual_level", type = "level", path = { "residual", "level", "name" } },
  },
}

-- Stored columns coloured with a computed level (the pair the level was computed from).
local coloured_by = {
  assessments = { likelihood = "inherent_level", impact = "inherent_level",
                  residual_likelihood = "residual_level", residual_impact = "residual_level" },
}

--- The columns of a kind's export: its fields, then its computed columns.
function columns.of(kind)
  local k = assert(model.kind[kind], "columns.of: no kind '" .. tostring(kind) .. "'")
  local list = {}
  local colour = coloured_by[kind] or {}
  for _, f in ipairs(k.fields) do
    list[#list + 1] = { name = f.name, type = cell_type[f.type], level = colour[f.name] }
  end
  for _, c in ipairs(columns.computed[kind] or {}) do list[#list + 1] = c end
  return list
end

--- Is name a column computed for kind's exports (skipped by an import)?
function columns.is_computed(kind, name)
  for _, c in ipairs(columns.computed[kind] or {}) do
    if c.name == name then return true end
  end
  return false
end

local function sorted_pairs(t)
  local keys = {}
  for k in pairs(t or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

--- riskreg.lua's import section for `riskreg import`, in a fixed order: { date_format = "DMY",
--- map = { { column, field }, ... }, values = { { field, word, value }, ... } }.
function columns.import_settings()
  local import = require("riskreg.settings").values.import or {}
  local out = { date_format = import.date_format, map = {}, values = {} }
  for _, column in ipairs(sorted_pairs(import.map)) do
    out.map[#out.map + 1] = { column, import.map[column] }
  end
  for _, field in ipairs(sorted_pairs(import.values)) do
    for _, word in ipairs(sorted_pairs(import.values[field])) do
      out.values[#out.values + 1] = { field, word, import.values[field][word] }
    end
  end
  return out
end

return columns
