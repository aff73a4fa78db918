-- The risk register (risks/index.html), worst first, and one page per risk (risks/ID.html) with
-- its description, treatment, controls in place, planned treatment (due and overdue),
-- assessment history and score trend, related improvements and next review.

local register = require "riskreg.register"
local scoring = require "riskreg.scoring"
local charts = require "lib.charts"
local format = require "lib.format"

return function(ctx)
  local open = ctx.filter(ctx.risks, function(r) return r.open end)
  local closed = ctx.filter(ctx.risks, function(r) return not r.open end)
  ctx.page("risks/index.html", "risks.html", {
    title = "Risk register",
    open = open,
    above = ctx.filter(open, function(r) return r.above_appetite end),
    overdue = ctx.filter(open, function(r) return r.overdue end),
    plans_overdue = ctx.filter(open, function(r) return r.plan_overdue end),
    unassessed = ctx.filter(open, function(r) return not r.assessed end),
    accepted = ctx.filter(open, function(r) return r.acceptance ~= nil end),
    closed = closed,
    appetite = scoring.appetite,
  })

  local improvements_by_risk = {}
  for _, i in ipairs(ctx.improvements) do
    if i.risk_id then
      local list = improvements_by_risk[i.risk_id] or {}
      list[#list + 1] = i
      improvements_by_risk[i.risk_id] = list
    end
  end
  for _, r in ipairs(ctx.risks) do
    -- newest assessment first in the table; the chart reads oldest first
    local history = {}
    for i = #r.history, 1, -1 do history[#history + 1] = r.history[i] end
    local path = "risks/" .. format.page(r.id)
    ctx.page(path, "risk.html", {
      title = r.id .. " " .. r.title,
      r = r,
      trend_chart = #r.history > 0 and charts.risk_trend(r, path) or false,
      history = history,
      improvements = improvements_by_risk[r.id] or {},
      breadcrumb = { { path = "risks/index.html", label = "Risk register" } },
    }, r.id)
  end
  return register
end
