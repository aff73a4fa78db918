-- riskreg.export: the register's data export, one for `riskreg export` and the site's data/
-- folder. The rows are the import format (register/README.md), as the register holds them or
-- as they were on a date (riskreg.register.table_as_of), with computed columns after the stored
-- ones: for a risk, its latest assessment's likelihood, impact, score and level, inherent and
-- residual; for an assessment, its scores and levels. `riskreg import` knows the computed
-- columns and skips them without a word, so an export imports as it is.
--
-- The C host writes the tables as CSV, JSON and XLSX; a workbook colours each level by its band.

local model = require "riskreg.model"
local columns = require "riskreg.columns"
local register = require "riskreg.register"
local rules = require "riskreg.rules"
local scoring = require "riskreg.scoring"
local config = require "riskreg.config"

local export = {}

--- The rows of a kind's export on as_of (nil: as the register holds them): the records as they
--- were, each risk with `current` (its latest assessment then, with its scores), each assessment
--- with its scores.
function export.rows(kind, as_of)
  if kind == "risks" then
    -- the views the pages show, when this build has made them (they hold the same fields as
    -- they were, and `current`, the latest assessment then), in the register's order
    local views = as_of and register.risk_views(as_of)
    local list = {}
    for _, row in ipairs(views and register.rows().risks or register.table_as_of(kind, as_of)) do
      local t = views and views[row.id]
      if not views then
        t = {}
        for k, v in pairs(row) do t[k] = v end
        t.current = register.latest_assessment(row.id, as_of or "9999-12-31")
      end
      list[#list + 1] = t
    end
    return list
  end
  local rows = register.table_as_of(kind, as_of)
  if kind == "assessments" then
    for _, a in ipairs(rows) do rules.assessment(a) end
  end
  return rows
end

--- The export: { as_of, name, levels, tables = { { name, columns, rows } } } for every kind (or
--- only options.kind), as the register holds it or (options.as_of) as it was then.
function export.tables(options)
  options = options or {}
  local tables = {}
  for _, k in ipairs(model.kinds) do
    if options.kind == nil or options.kind == k.name then
      local keys = 0
      for _, f in ipairs(k.fields) do
        if f.key or f.type == "id" then keys = keys + 1 end
      end
      tables[#tables + 1] = { name = k.name, singular = k.singular, keys = keys,
                              columns = columns.of(k.name),
                              rows = export.rows(k.name, options.as_of) }
    end
  end
  local levels = {}
  for i, band in ipairs(scoring.levels) do
    levels[i] = { name = band.name, colour = band.colour, text = band.text }
  end
  return { as_of = options.as_of, name = config.name, levels = levels, tables = tables }
end

return export
