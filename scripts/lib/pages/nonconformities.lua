-- Nonconformities and corrective actions (nonconformities/index.html): by source and severity,
-- the trend per quarter, what is open and overdue, and the effectiveness checks.

local register = require "riskreg.register"
local charts = require "lib.charts"

local function by_total(rows)
  local sorted = {}
  for i, r in ipairs(rows) do sorted[i] = r end
  table.sort(sorted, function(a, b) if a.total ~= b.total then return a.total > b.total end return a.name < b.name end)
  return sorted
end

return function(ctx)
  local list = ctx.nonconformities
  local open = ctx.filter(list, function(n) return n.open end)
  table.sort(open, function(a, b)
    local rank = { major = 1, minor = 2, observation = 3 }
    local ra, rb = rank[a.severity] or 4, rank[b.severity] or 4
    if ra ~= rb then return ra < rb end
    return a.id < b.id
  end)
  local severities = { "major", "minor", "observation" }
  local sources = { "internal_audit", "external_audit", "incident", "complaint", "review", "other" }
  local matrix = {}
  for _, s in ipairs(sources) do
    local row = { name = s, counts = {}, total = 0 }
    for _, v in ipairs(severities) do
      local n = ctx.count(list, function(nc) return nc.source == s and nc.severity == v end)
      row.counts[#row.counts + 1] = n
      row.total = row.total + n
    end
    if row.total > 0 then matrix[#matrix + 1] = row end
  end
  local quarters = register.quarters(ctx.site.as_of, 8)
  for _, q in ipairs(quarters) do
    q.by_severity = {}
    for _, v in ipairs(severities) do
      q.by_severity[#q.by_severity + 1] = ctx.count(list, function(nc)
        return nc.severity == v and nc.raised_on >= q.first and nc.raised_on <= q.as_of
      end)
    end
    q.closed = ctx.count(list, function(nc)
      return nc.closed_on and nc.closed_on >= q.first and nc.closed_on <= q.as_of
    end)
  end
  local checked = ctx.filter(list, function(n) return not n.open end)
  ctx.page("nonconformities/index.html", "nonconformities.html", {
    title = "Nonconformities and corrective actions",
    open = open, closed = checked, total = #list,
    overdue = ctx.count(open, function(n) return n.overdue end),
    effective = ctx.count(checked, function(n) return n.effective == "yes" end),
    ineffective = ctx.count(checked, function(n) return n.effective == "no" end),
    unchecked = ctx.count(checked, function(n) return n.effective == nil end),
    severities = severities, matrix = matrix, quarters = quarters,
    charts = {
      severity = charts.by_severity(quarters, severities, "nonconformities/index.html"),
      sources = #matrix > 0 and charts.counts("nonconformities-by-source", by_total(matrix), "total",
        "Nonconformities by source", "nonconformities/index.html") or false,
    },
  })
end
