-- The management review: the pack for the review being prepared (review/index.html, its
-- pre-read and, printed, the board pack) and one record page per held review
-- (review/MR-NNN.html) made from the figures kept when it was held.
--
-- The pack's figures are the register's as of the build; its narrative only comes from the
-- inputs recorded so far for the next planned review (riskreg.register.next_review), never from
-- a review already held. Its first page is what leadership is asked to decide, with the
-- reasons (riskreg.decisions), the headline figures and the conclusions of the last review.

local register = require "riskreg.register"
local review = require "riskreg.review"
local db = require "riskreg.db"
local decisions = require "riskreg.decisions"
local json = require "riskreg.json"
local charts = require "lib.charts"
local format = require "lib.format"
local matrix = require "lib.matrix"

local function kpi_charts(kpis, page)
  local list = {}
  for _, k in ipairs(kpis) do
    if k.latest then list[#list + 1] = { kpi = k, chart = charts.kpi(k, page, true) } end
  end
  return list
end

-- The figures kept for each held review, by ID, with the change-log entry that kept them.
local function kept_figures()
  local kept = {}
  for _, row in ipairs(db.all("SELECT review_id, as_of, figures, hash FROM review_snapshot")) do
    kept[row.review_id] = row
  end
  for _, e in ipairs(db.all("SELECT seq, at, actor, record_id FROM change_log WHERE kind = 'review_snapshot'")) do
    if kept[e.record_id] then kept[e.record_id].entry = e end
  end
  return kept
end

-- Change-log entries after seq (those that may correct what a kept pack was drawn from).
local function entries_after(seq)
  return db.all("SELECT seq, at, actor, kind, record_id, row_key, operation, before, after, note "
    .. "FROM change_log WHERE seq > ? AND kind <> 'review_snapshot' ORDER BY seq", seq)
end

local verdict_words = { yes = "Yes", partly = "Partly", no = "No" }

-- The three conclusions of a held review, for the templates.
local function conclusions(r)
  if not r then return false end
  local list = {}
  for _, c in ipairs { { "suitable", "Suitable" }, { "adequate", "Adequate" }, { "effective", "Effective" } } do
    list[#list + 1] = { name = c[2], verdict = r[c[1]], word = verdict_words[r[c[1]]] or "not recorded",
                        note = r[c[1] .. "_note"] }
  end
  return list
end

return function(ctx)
  local as_of = ctx.site.as_of
  local page = "review/index.html"
  local next_review = register.next_review { as_of = as_of }
  local pack = review.pack(ctx, {
    review = next_review, period_first = ctx.site.period_first, changes = ctx.changes,
    summary = ctx.figures,
  })
  local data = {}
  for _, s in ipairs(pack.sections) do data[s.name] = s.data end
  -- the charts beside the figures
  if data.nonconformity_trends then
    data.nonconformity_trends.chart = charts.per_quarter("review-nonconformities", data.nonconformity_trends.quarters,
      "Raised", "raised", "Closed", "closed", "Nonconformities raised and closed", page)
  end
  if data.improvement_opportunities then
    data.improvement_opportunities.chart = charts.per_quarter("improvements-per-quarter",
      data.improvement_opportunities.throughput, "Raised", "raised", "Completed", "done",
      "Improvements raised and completed", page)
  end
  if data.measurement_trends then data.measurement_trends.charts = kpi_charts(ctx.kpis, page) end
  if data.risks then
    local threats = ctx.filter(data.risks.open, function(r) return not r.opportunity end)
    local opportunities = ctx.filter(data.risks.open, function(r) return r.opportunity end)
    data.risks.chart = charts.heatmap(matrix.counts(threats, "residual"), page)
    data.risks.opportunities = opportunities
    data.risks.opportunity_chart = #opportunities > 0
      and charts.heatmap(matrix.counts(opportunities, "residual", true), page) or false
  end

  local held = {}
  for i = #ctx.reviews, 1, -1 do held[#held + 1] = ctx.reviews[i] end
  local last = held[1]
  ctx.page(page, "review.html", {
    title = next_review and ("Management review pack: " .. next_review.title)
      or ("Management review pack " .. ctx.site.period),
    review = next_review or false, last = last or false, last_conclusions = conclusions(last),
    sections = pack.sections, decisions = pack.decisions, figures = ctx.figures,
    decision_groups = decisions.by_reason(pack.decisions),
    held = held,
  })

  -- one record page per review held by the build's date
  local kept = kept_figures()
  for _, r in ipairs(held) do
    local k = kept[r.id]
    local frozen = k and json.decode(k.figures) or false
    local corrections = k and k.entry and review.corrections(entries_after(k.entry.seq), r.held_on) or {}
    local actions = {}
    for _, a in ipairs(ctx.actions) do
      if a.review_id == r.id then actions[#actions + 1] = a end
    end
    ctx.page("review/" .. format.page(r.id), "review_record.html", {
      title = r.id .. " " .. r.title,
      r = r, conclusions = conclusions(r), frozen = frozen, kept = k or false,
      corrections = corrections, actions = actions, decisions = r.review_decisions,
      breadcrumb = { { path = page, label = "Management review" } },
    }, r.id)
  end
end
