-- The register for download (data/): CSV, JSON and an Excel workbook as of the build date, in
-- the import format, and data/summary.json (written by site.lua) with the dashboard's figures.

local site = require "riskreg.site"
local model = { "risks", "assessments", "improvements", "audits", "nonconformities", "kpis",
                "measurements", "reviews", "review_inputs", "review_actions" }

return function(ctx)
  assert(site.export_data("data"))
  ctx.page("data/index.html", "data.html", { title = "Data", files = model })
end
