-- The register for download (data/): CSV, JSON and an Excel workbook as of the build date, in
-- the import format (the same as `riskreg export --as-of DATE`: riskreg.export makes both), and
-- data/summary.json (written by site.lua) with the dashboard's figures.
--
-- The page itself is written when every script has run (site.at_end), so that the files the
-- project's scripts add with site.data_file join its list, after the register's own.

local site = require "riskreg.site"
local export = require "riskreg.export"

return function(ctx)
  local data = export.tables { as_of = site.as_of }
  -- written on a thread of its own while the other pages render
  assert(site.export_data("data", data))
  local files = {}
  for i, t in ipairs(data.tables) do files[i] = t.name end
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
end
