-- The register for download (data/): CSV, JSON and an Excel workbook as of the build date, in
-- the import format (the same as `riskreg export --as-of DATE`: riskreg.export makes both), and
-- data/summary.json (written by site.lua) with the dashboard's figures.

local site = require "riskreg.site"
local export = require "riskreg.export"

return function(ctx)
  local data = export.tables { as_of = site.as_of }
  -- written on a thread of its own while the other pages render
  assert(site.export_data("data", data))
  local files = {}
  for i, t in ipairs(data.tables) do files[i] = t.name end
  ctx.page("data/index.html", "data.html", { title = "Data", files = files })
end
