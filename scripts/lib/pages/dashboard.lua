-- The dashboard (index.html): the quarter in ten seconds. Headline figures with their change
-- since the period before, what needs a decision, the heat maps, the top risks, the levels over
-- the last eight quarters and open risks by category.

local register = require "riskreg.register"
local scoring = require "riskreg.scoring"
local matrix = require "lib.matrix"
local charts = require "lib.charts"

return function(ctx)
  local f, b = ctx.figures, ctx.previous_figures
  local since = ctx.site.previous_period
  -- good: whether fewer ("lower") or more is better, to judge the change (none for counts of
  -- work, where neither is)
  local function tile(label, now, before, href, alert, good)
    return { label = label, value = now, delta = before and now - before or nil, href = href,
             alert = alert and now > 0, good = good }
  end
  local tiles = {
    tile("Open risks", f.risks.open, b.risks.open, "risks/index.html"),
    tile("Above appetite", f.risks.above_appetite, b.risks.above_appetite, "risks/index.html#above-appetite", true,
      "lower"),
  }
  for i = #scoring.levels, 1, -1 do
    local band = scoring.levels[i]
    tiles[#tiles + 1] = tile(band.name, f.risks.by_level[band.name], b.risks.by_level[band.name],
      "risks/index.html")
  end
  tiles[#tiles + 1] = tile("Needs a decision", f.decisions.total, b.decisions.total,
    "index.html#decisions", true, "lower")
  tiles[#tiles + 1] = tile("Overdue", f.overdue.total, b.overdue.total, "index.html#overdue", true, "lower")
  tiles[#tiles + 1] = tile("Open improvements", f.improvements.open, b.improvements.open,
    "improvements/index.html")
  tiles[#tiles + 1] = tile("Open nonconformities", f.nonconformities.open, b.nonconformities.open,
    "nonconformities/index.html", false, "lower")

  -- everything overdue, by kind, each with the list behind it
  local overdue = {
    { label = "Risk reviews", n = f.overdue.risk_reviews, href = "risks/index.html#overdue" },
    { label = "Treatment plans", n = f.overdue.treatment_plans, href = "risks/index.html#plans-overdue" },
    { label = "Improvements", n = f.overdue.improvements, href = "improvements/index.html#overdue" },
    { label = "Corrective actions", n = f.overdue.corrective_actions, href = "nonconformities/index.html#open" },
    { label = "Review actions", n = f.overdue.review_actions, href = "review/index.html#previous_actions" },
    { label = "Risk acceptances", n = f.overdue.acceptances, href = "risks/index.html#accepted" },
  }
  if #ctx.documents > 0 then -- the documents page exists only for a register that has some
    overdue[#overdue + 1] = { label = "Document reviews", n = f.overdue.document_reviews,
      href = "documents/index.html#overdue" }
  end

  -- the certificate panel: where certification stands and what puts it at risk, each count
  -- linking to the list behind it (for a register with requirements or certificates)
  local certified = false
  local cf = f.certification
  if cf then
    local s = ctx.standing
    local has_requirements = #ctx.requirements > 0
    local at_risk = {
      { label = "Open major nonconformities", n = s.majors_open, href = "nonconformities/index.html#open" },
      { label = "Overdue corrective actions", n = s.corrective_overdue, href = "nonconformities/index.html#open" },
    }
    if has_requirements then
      table.insert(at_risk, 2, { label = "Requirements not conforming", n = s.not_conforming,
                                 href = "readiness/index.html#gaps" })
      at_risk[#at_risk + 1] = { label = "Requirements not audited internally in " .. cf.cycle_years .. " years",
                                n = s.not_audited, href = "audits/programme.html#not-covered" }
    end
    local risk_total = 0
    for _, r in ipairs(at_risk) do risk_total = risk_total + r.n end
    certified = { standing = s, at_risk = at_risk, figures = cf, readiness = has_requirements, risk_total = risk_total }
  end

  local open = ctx.filter(ctx.risks, function(r) return r.open end)
  local top = {}
  for i = 1, math.min(10, #open) do
    if open[i].assessed then top[#top + 1] = open[i] end
  end

  -- levels over the last eight quarters
  local quarters = register.quarters(ctx.site.as_of, 8)
  for _, q in ipairs(quarters) do q.counts = register.level_counts_on(q.as_of) end

  -- open risks by category
  local by_category, categories = {}, {}
  for _, r in ipairs(open) do
    local c = r.category or "(no category)"
    if not by_category[c] then
      by_category[c] = { name = c, total = 0, above = 0 }
      categories[#categories + 1] = by_category[c]
    end
    by_category[c].total = by_category[c].total + 1
    if r.above_appetite then by_category[c].above = by_category[c].above + 1 end
  end
  table.sort(categories, function(a, c)
    if a.total ~= c.total then return a.total > c.total end
    return a.name < c.name
  end)

  -- threats on the risk matrix; opportunities apart, rated on benefit, with no appetite
  local threats = ctx.filter(open, function(r) return not r.opportunity end)
  local opportunities = ctx.filter(open, function(r) return r.opportunity end)
  local residual, inherent = matrix.counts(threats, "residual"), matrix.counts(threats, "inherent")
  local chances = matrix.counts(opportunities, "residual", true)
  local page = "index.html"
  for _, r in ipairs(top) do r.sparkline = charts.sparkline(r, page) end
  ctx.page("index.html", "index.html", {
    title = "Management review dashboard",
    tiles = tiles, since = since,
    changes = ctx.changes,
    decisions = ctx.decisions, overdue = overdue, top = top,
    residual = residual, inherent = inherent, opportunities = chances,
    charts = {
      residual = charts.heatmap(residual, page),
      inherent = charts.heatmap(inherent, page),
      opportunities = #opportunities > 0 and charts.heatmap(chances, page) or false,
      levels = charts.levels_over_time(quarters, page),
      categories = #categories > 0 and charts.categories(categories, page) or false,
    },
    quarters = quarters, levels = scoring.levels,
    categories = categories,
    figures = f,
    certification = certified,
  })
end
