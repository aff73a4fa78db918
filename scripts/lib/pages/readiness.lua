-- Readiness for certification (readiness/index.html): the gap analysis. The share of the
-- requirements that apply found conforming, per top clause and overall; the gaps with their
-- actions, owners and targets; the trend over the last eight quarters; the KPIs that show how
-- training and awareness stand; the clause tree with each requirement's status. And one page per
-- requirement (readiness/ID.html), the auditor's view: guidance, status history, evidence,
-- documents, audits and findings. Nothing is written for a register without requirements.

local register = require "riskreg.register"
local certification = require "riskreg.certification"
local charts = require "lib.charts"
local format = require "lib.format"

return function(ctx)
  local requirements = ctx.requirements
  if #requirements == 0 then return end
  local page = "readiness/index.html"
  local rows = register.rows()
  local latest = certification.latest(rows.readiness, ctx.site.as_of)
  local tree = certification.tree(rows.requirements)
  local by_id = {}
  for _, r in ipairs(requirements) do by_id[r.id:lower()] = r end

  -- the share conforming per top clause, per framework, and overall
  local frameworks = {}
  for _, f in ipairs(certification.top_clauses(tree)) do
    local clauses, nodes = {}, {}
    for _, node in ipairs(f.nodes) do
      local under = certification.under(node)
      clauses[#clauses + 1] = { r = by_id[node.row.id:lower()], share = certification.share(under, latest) }
      for _, n in ipairs(under) do nodes[#nodes + 1] = n end
    end
    frameworks[#frameworks + 1] = { framework = f.framework, clauses = clauses,
                                    share = certification.share(nodes, latest) }
  end
  local overall = certification.share(rows.requirements, latest)

  -- the trend over the last eight quarters
  local quarters = certification.over_time(rows.requirements, rows.readiness,
    register.quarters(ctx.site.as_of, 8))

  -- the clause tree, and the gaps: requirements that apply and do not conform yet
  local ordered = register.requirement_tree(requirements)
  local gaps = register.gaps(requirements)

  -- training and awareness: the KPIs given as evidence of the training clauses
  local training = {}
  for _, r in ipairs(ordered) do
    if certification.is_training(r.clause) then
      for _, e in ipairs(r.evidence) do
        if e.kind == "kpis" and e.record then training[#training + 1] = { requirement = r, kpi = e.record } end
      end
    end
  end

  ctx.page(page, "readiness.html", {
    title = "Readiness",
    requirements = ordered, frameworks = frameworks, overall = overall,
    quarters = quarters, chart = charts.readiness(quarters, page), trend = charts.readiness_message(quarters),
    gaps = gaps, late = ctx.count(gaps, function(g) return g.readiness ~= nil and g.readiness.overdue end),
    training = training, training_clauses = certification.training_clauses, statuses = certification.statuses,
  })

  -- one page per requirement: the auditor's view
  local improvements = {}
  for _, i in ipairs(ctx.improvements) do improvements[i.id:lower()] = i end
  for _, r in ipairs(ordered) do
    local history = {}
    for i = #r.history, 1, -1 do history[#history + 1] = r.history[i] end
    local id = r.readiness and r.readiness.improvement_id
    local parent = r.parent and by_id[r.parent:lower()]
    -- the documents that serve it, but for those its evidence names already
    local named = {}
    for _, e in ipairs(r.evidence) do
      if e.id then named[e.id:lower()] = true end
    end
    local documents = ctx.filter(r.documents, function(d) return not named[d.id:lower()] end)
    ctx.page("readiness/" .. format.page(r.id), "requirement.html", {
      title = r.id .. " " .. r.heading,
      q = r, history = history, parent = parent or false, documents = documents,
      improvement = id and improvements[id:lower()] or false,
      cycle_years = certification.cycle_years,
      breadcrumb = { { path = page, label = "Readiness" } },
    }, r.id)
  end
end
