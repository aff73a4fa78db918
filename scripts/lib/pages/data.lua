-- The register for download (data/): CSV, JSON and an Excel workbook as of the build date, in
-- the import format (the same as `riskreg export --as-of DATE`: riskreg.export makes both), and
-- data/summary.json (written by site.lua) with the dashboard's figures.
--
-- The page itself is written when every script has run (site.at_end), so that the files the
-- project's scripts add with site.data_file join its list, after the register's own.

local site = require "riskreg.site"
local export = require "riskreg.export"

-- The register's files, started before the model is read (site.lua calls .start() first): they
-- are written on a thread of their own, beside the model being read and the pages rendering.
local files
local function start()
  if files then return end
  local data = export.tables { as_of = site.as_of }
  assert(site.export_data("data", data))
  files = {}
  for i, t in ipairs(data.tables) do files[i] = t.name end
end

return setmetatable({ start = start }, { __call = function(_, ctx)
  start()
  site.at_end(function()
    local added = {}
    for i, f in ipairs(site.data_files()) do
      added[i] = {
        href = site.link("data/index.html", f.path),
        name = f.path:match("^data/(.+)$") or f.path,
        label = f.label,
        description = f.description,
      }
    end
    ctx.page("data/index.html", "data.html", { title = "Data", files = files, added = added })
  end)
end })
