-- Each KPI against its target over time (kpis/index.html), grouped by kind.

local charts = require "lib.charts"

local kinds = {
  { kind = "service", label = "Service performance" },
  { kind = "customer", label = "Customers" },
  { kind = "supplier", label = "Suppliers and other parties" },
  { kind = "objective", label = "Service management objectives" },
  { kind = "process", label = "Processes" },
}

return function(ctx)
  local groups = {}
  for _, k in ipairs(kinds) do
    local list = ctx.filter(ctx.kpis, function(kpi) return kpi.kind == k.kind end)
    if #list > 0 then groups[#groups + 1] = { label = k.label, kind = k.kind, kpis = list } end
  end
  for _, kpi in ipairs(ctx.kpis) do
    -- the last twelve values, newest first, for the table
    kpi.recent = {}
    for i = #kpi.measurements, math.max(1, #kpi.measurements - 11), -1 do
      local m = kpi.measurements[i]
      kpi.recent[#kpi.recent + 1] = { measured_on = m.measured_on, value = m.value, met = kpi.met_of(m) }
    end
    kpi.chart = kpi.latest and charts.kpi(kpi, "kpis/index.html") or false
  end
  ctx.page("kpis/index.html", "kpis.html", {
    title = "KPIs against target",
    groups = groups,
    met = ctx.count(ctx.kpis, function(k) return k.met == true end),
    missed = ctx.count(ctx.kpis, function(k) return k.met == false end),
    total = #ctx.kpis,
  })
end
