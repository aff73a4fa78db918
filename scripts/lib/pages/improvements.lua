-- The continual-improvement register (improvements/index.html): status, age, overdue, by source
-- and the throughput per quarter (raised and completed).

local register = require "riskreg.register"
local charts = require "lib.charts"

return function(ctx)
  local list = ctx.improvements
  local open = ctx.filter(list, function(i) return i.open end)
  table.sort(open, function(a, b)
    if a.overdue ~= b.overdue then return a.overdue end
    if (a.overdue_days or 0) ~= (b.overdue_days or 0) then return (a.overdue_days or 0) > (b.overdue_days or 0) end
    return a.id < b.id
  end)
  local statuses = { "proposed", "approved", "in_progress", "done", "rejected" }
  local by_status = {}
  for _, s in ipairs(statuses) do
    by_status[#by_status + 1] = { name = s, count = ctx.count(list, function(i) return i.status == s end) }
  end
  local sources, by_source = {}, {}
  for _, i in ipairs(list) do
    local s = i.source or "(not given)"
    if not by_source[s] then
      by_source[s] = { name = s, open = 0, total = 0 }
      sources[#sources + 1] = by_source[s]
    end
    by_source[s].total = by_source[s].total + 1
    if i.open then by_source[s].open = by_source[s].open + 1 end
  end
  table.sort(sources, function(a, b) if a.total ~= b.total then return a.total > b.total end return a.name < b.name end)
  local quarters = register.quarters(ctx.site.as_of, 8)
  for _, q in ipairs(quarters) do
    q.raised = ctx.count(list, function(i) return i.raised_on >= q.first and i.raised_on <= q.as_of end)
    q.done = ctx.count(list, function(i)
      return i.status == "done" and i.done_on and i.done_on >= q.first and i.done_on <= q.as_of
    end)
  end
  local done = ctx.filter(list, function(i) return i.status == "done" and i.done_on >= ctx.site.period_first end)
  ctx.page("improvements/index.html", "improvements.html", {
    title = "Continual improvement",
    open = open, done = done, total = #list,
    late = ctx.filter(open, function(i) return i.overdue end),
    overdue = ctx.count(open, function(i) return i.overdue end),
    by_status = by_status, sources = sources, quarters = quarters,
    charts = {
      throughput = charts.per_quarter("improvements-per-quarter", quarters, "Raised", "raised",
        "Completed", "done", "Improvements raised and completed", "improvements/index.html"),
      status = charts.donut("improvements-by-status", by_status, tostring(#list), "raised",
        "Improvements by status", "improvements/index.html"),
    },
  })
end
