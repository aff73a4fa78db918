-- The management-review pack (review/index.html): one section per input of ISO/IEC 20000-1:2018
-- clause 9.3, each with the input's name as its id, the narrative recorded for the review and
-- the figures from the register; an input with neither says "No input recorded". Then the
-- review's decisions and actions.

local register = require "riskreg.register"
local scoring = require "riskreg.scoring"
local date = require "riskreg.date"
local charts = require "lib.charts"
local matrix = require "lib.matrix"

local inputs = {
  { name = "previous_actions", clause = "a", title = "Status of actions from previous management reviews" },
  { name = "context_changes", clause = "b", title = "Changes in external and internal issues relevant to the SMS" },
  { name = "nonconformity_trends", clause = "c1", title = "Trends in nonconformities and corrective actions" },
  { name = "measurement_trends", clause = "c2", title = "Trends in monitoring and measurement results" },
  { name = "audit_results", clause = "c3", title = "Audit results" },
  { name = "improvement_opportunities", clause = "d", title = "Opportunities for continual improvement" },
  { name = "customer_feedback", clause = "e", title = "Feedback from customers and other interested parties" },
  { name = "policy", clause = "f",
    title = "Adherence to and suitability of the service management policy and other policies" },
  { name = "objectives", clause = "g", title = "Achievement of service management objectives" },
  { name = "service_performance", clause = "h", title = "Performance of the services" },
  { name = "other_parties", clause = "i", title = "Performance of other parties involved in the services" },
  { name = "resources", clause = "j",
    title = "Current and forecast human, technical, information and financial resources" },
  { name = "risks", clause = "k",
    title = "Results of risk assessment and effectiveness of actions taken to address risks and opportunities" },
}

local function group_by(list, field)
  local groups, order = {}, {}
  for _, item in ipairs(list) do
    local key = item[field] or "(not given)"
    if not groups[key] then
      groups[key] = { name = key, items = {} }
      order[#order + 1] = groups[key]
    end
    local items = groups[key].items
    items[#items + 1] = item
  end
  table.sort(order, function(a, b) return a.name < b.name end)
  return order
end

local function kpi_charts(kpis, page)
  local list = {}
  for _, k in ipairs(kpis) do
    if k.latest then list[#list + 1] = { kpi = k, chart = charts.kpi(k, page) } end
  end
  return list
end

return function(ctx)
  local as_of = ctx.site.as_of
  local reviews = ctx.reviews
  local review = reviews[#reviews] -- the latest held on or before the date
  local year_ago = date.add_days(as_of, -365)
  local quarters = register.quarters(as_of, 4)

  -- a) actions of earlier reviews
  local earlier = ctx.filter(ctx.actions, function(a) return not review or a.review_id ~= review.id end)
  local previous_actions = {
    list = ctx.filter(earlier, function(a)
      return a.open or (a.closed_on and a.closed_on >= ctx.site.period_first) end),
    open = ctx.count(earlier, function(a) return a.open end),
    overdue = ctx.count(earlier, function(a) return a.overdue end),
    done = ctx.count(earlier, function(a) return a.status == "done" end),
    dropped = ctx.count(earlier, function(a) return a.status == "dropped" end),
    total = #earlier,
  }
  -- c1) nonconformities per quarter
  local ncs = ctx.nonconformities
  for _, q in ipairs(quarters) do
    q.raised = ctx.count(ncs, function(n) return n.raised_on >= q.first and n.raised_on <= q.as_of end)
    q.major = ctx.count(ncs, function(n)
      return n.severity == "major" and n.raised_on >= q.first and n.raised_on <= q.as_of
    end)
    q.closed = ctx.count(ncs, function(n) return n.closed_on and n.closed_on >= q.first and n.closed_on <= q.as_of end)
  end
  local page = "review/index.html"
  local nc = {
    quarters = quarters,
    chart = charts.per_quarter("review-nonconformities", quarters, "Raised", "raised", "Closed",
      "closed", "Nonconformities raised and closed", page),
    open = ctx.count(ncs, function(n) return n.open end),
    overdue = ctx.count(ncs, function(n) return n.overdue end),
    effective = ctx.count(ncs, function(n) return n.effective == "yes" end),
    ineffective = ctx.count(ncs, function(n) return n.effective == "no" end),
    total = #ncs,
  }
  -- c3) audits of the last twelve months
  local audits = ctx.filter(ctx.audits, function(a) return a.held_on > year_ago end)
  -- d) improvements
  local improvements = ctx.improvements
  local proposed = ctx.filter(improvements, function(i) return i.status == "proposed" end)
  local done = ctx.filter(improvements, function(i)
    return i.status == "done" and i.done_on >= ctx.site.period_first
  end)
  local throughput = register.quarters(as_of, 8)
  for _, q in ipairs(throughput) do
    q.raised = ctx.count(improvements, function(i) return i.raised_on >= q.first and i.raised_on <= q.as_of end)
    q.done = ctx.count(improvements, function(i)
      return i.status == "done" and i.done_on and i.done_on >= q.first and i.done_on <= q.as_of
    end)
  end
  local imp = {
    chart = charts.per_quarter("improvements-per-quarter", throughput, "Raised", "raised",
      "Completed", "done", "Improvements raised and completed", page),
    open = ctx.count(improvements, function(i) return i.open end),
    overdue = ctx.count(improvements, function(i) return i.overdue end),
    proposed = proposed, done = done,
  }
  -- e) customers: customer KPIs, complaints, improvements from customers, in the last year
  local customer = {
    kpis = ctx.filter(ctx.kpis, function(k) return k.kind == "customer" end),
    complaints = ctx.filter(ncs, function(n) return n.source == "complaint" and n.raised_on > year_ago end),
    improvements = ctx.filter(improvements, function(i) return i.source == "customer" and i.raised_on > year_ago end),
  }
  -- g, h, i) KPIs by kind
  local objectives = ctx.filter(ctx.kpis, function(k) return k.kind == "objective" end)
  local services = group_by(ctx.filter(ctx.kpis, function(k) return k.kind == "service" end), "service")
  local parties = group_by(ctx.filter(ctx.kpis, function(k) return k.kind == "supplier" end), "party")
  -- k) risks
  local open = ctx.filter(ctx.risks, function(r) return r.open end)
  local treated = ctx.filter(improvements, function(i) return i.risk_id ~= nil end)
  local risks = {
    chart = charts.heatmap(matrix.counts(open, "residual"), page),
    figures = ctx.figures.risks, levels = scoring.levels,
    above = ctx.filter(open, function(r) return r.above_appetite end),
    escalated = ctx.changes.escalated, deescalated = ctx.changes.deescalated,
    treated = treated,
    treated_done = ctx.count(treated, function(i) return i.status == "done" end),
  }

  local data = {
    previous_actions = previous_actions.total > 0 and previous_actions or nil,
    nonconformity_trends = nc.total > 0 and nc or nil,
    measurement_trends = #ctx.kpis > 0 and { kpis = ctx.kpis, charts = kpi_charts(ctx.kpis, page) } or nil,
    audit_results = #audits > 0 and audits or nil,
    improvement_opportunities = #improvements > 0 and imp or nil,
    customer_feedback = (#customer.kpis + #customer.complaints + #customer.improvements > 0) and customer or nil,
    objectives = #objectives > 0 and objectives or nil,
    service_performance = #services > 0 and services or nil,
    other_parties = #parties > 0 and parties or nil,
    risks = #ctx.risks > 0 and risks or nil,
  }
  local sections = {}
  for i, input in ipairs(inputs) do
    sections[i] = {
      name = input.name, clause = input.clause, title = input.title,
      narrative = review and review.inputs[input.name] or nil,
      data = data[input.name],
    }
  end
  ctx.page("review/index.html", "review.html", {
    title = "Management review pack " .. ctx.site.period,
    review = review or false, sections = sections, year_ago = year_ago,
  })
end
