-- riskreg.register: the register as the pages see it, on any date.
--
-- The register is read once, with one query per table; every view below is derived from those
-- rows by the point-in-time rule of register/README.md: a record exists from its start date, a
-- closing after the date is not known yet, and a risk's scores are its latest assessment on or
-- before the date.

local db = require "riskreg.db"
local date = require "riskreg.date"
local scoring = require "riskreg.scoring"

local register = {}

local data -- the rows, read on first use

local function group(rows, key)
  local by = {}
  for _, row in ipairs(rows) do
    local k = row[key]
    if k ~= nil then
      local list = by[k]
      if not list then
        list = {}
        by[k] = list
      end
      list[#list + 1] = row
    end
  end
  return by
end

local function load()
  if data then return data end
  data = {
    risks = db.all("SELECT * FROM risk ORDER BY length(id), id"),
    assessments = db.all("SELECT * FROM assessment ORDER BY risk_id, assessed_on"),
    improvements = db.all("SELECT * FROM improvement ORDER BY length(id), id"),
    audits = db.all("SELECT * FROM audit ORDER BY held_on, id"),
    nonconformities = db.all("SELECT * FROM nonconformity ORDER BY length(id), id"),
    kpis = db.all("SELECT * FROM kpi ORDER BY length(id), id"),
    measurements = db.all("SELECT * FROM measurement ORDER BY kpi_id, measured_on"),
    reviews = db.all("SELECT * FROM review ORDER BY held_on, id"),
    inputs = db.all("SELECT * FROM review_input ORDER BY review_id, input"),
    actions = db.all("SELECT * FROM review_action ORDER BY length(id), id"),
  }
  data.assessments_by_risk = group(data.assessments, "risk_id")
  data.measurements_by_kpi = group(data.measurements, "kpi_id")
  data.inputs_by_review = group(data.inputs, "review_id")
  data.actions_by_review = group(data.actions, "review_id")
  data.ncs_by_audit = group(data.nonconformities, "audit_id")
  data.improvements_by_risk = group(data.improvements, "risk_id")
  return data
end

--- The raw rows of every table, as read (for pages that need something unusual).
function register.rows()
  return load()
end

local function on_or_before(d, as_of) return d ~= nil and d <= as_of end
local function after(d, as_of) return d ~= nil and d > as_of end

-- The index of the last element of a date-sorted list whose field is on or before as_of.
local function last_on_or_before(list, field, as_of)
  local lo, hi, found = 1, #list, 0
  while lo <= hi do
    local mid = (lo + hi) // 2
    if list[mid][field] <= as_of then
      found = mid
      lo = mid + 1
    else
      hi = mid - 1
    end
  end
  return found
end

-- The score of a likelihood and impact pair with its level: one table per pair (a matrix has
-- at most 36), shared by every assessment that has it, so a register of 100,000 assessments
-- does not hold 200,000 copies of the same few. Read-only.
local pairs_scored = {}
local function scored(likelihood, impact)
  local key = likelihood * 64 + impact
  local p = pairs_scored[key]
  if not p then
    local score = scoring.score(likelihood, impact)
    p = { likelihood = likelihood, impact = impact, score = score, level = scoring.level(score) }
    pairs_scored[key] = p
  end
  return p
end

--- Scores of one assessment: the assessment's row (assessed_on, assessor, note, ...) with
--- inherent and residual added, each { likelihood, impact, score, level }. Added once, in the
--- row itself (not a copy: a large register has many assessments), and shared by every view.
function register.scores(a)
  if not a then return nil end
  if not a.inherent then
    a.inherent = scored(a.likelihood, a.impact)
    a.residual = scored(a.residual_likelihood or a.likelihood, a.residual_impact or a.impact)
  end
  return a
end

local function is_today_or_later(as_of)
  return as_of >= date.today()
end

-- Trend over the last four assessments on or before the date: rising, falling or steady.
local function trend_of(history)
  local n = #history
  if n < 2 then return "steady" end
  local first = history[math.max(1, n - 3)].residual.score
  local last = history[n].residual.score
  if last > first then return "rising" elseif last < first then return "falling" end
  return "steady"
end

local function risk_view(row, as_of, previous_as_of)
  if after(row.created_on, as_of) then return nil end
  local d = load()
  local r = {}
  for k, v in pairs(row) do r[k] = v end
  r.opportunity = row.kind == "opportunity"
  if after(row.closed_on, as_of) then
    r.closed_on = nil
    r.status = "open"
  end
  r.open = r.status ~= "closed"
  local all = d.assessments_by_risk[row.id] or {}
  local n = last_on_or_before(all, "assessed_on", as_of)
  local history = {}
  for i = 1, n do history[i] = register.scores(all[i]) end
  r.history = history
  local current = history[n]
  r.assessed = current ~= nil
  r.current = current
  r.inherent = current and current.inherent
  r.residual = current and current.residual
  r.level = current and current.residual.level
  r.above_appetite = r.open and current ~= nil and scoring.above_appetite(current.residual.score)
  r.trend = trend_of(history)
  -- the next review on that date
  local every = row.review_every_days or scoring.review_every_days
  if not r.open then
    r.next_review_on = nil
  elseif not (is_today_or_later(as_of) and row.next_review_on) then
    r.next_review_on = date.add_days(current and current.assessed_on or row.created_on, every)
  end
  r.overdue_days = r.open and r.next_review_on and r.next_review_on < as_of
    and date.days_between(r.next_review_on, as_of) or nil
  r.overdue = r.overdue_days ~= nil
  -- the period before
  if previous_as_of then
    local p = last_on_or_before(all, "assessed_on", previous_as_of)
    r.previous = p > 0 and register.scores(all[p]) or nil
    r.existed_before = not after(row.created_on, previous_as_of)
      and not on_or_before(row.closed_on, previous_as_of)
    if r.previous and current then
      r.delta = current.residual.score - r.previous.residual.score
      r.level_change = current.residual.level.rank - r.previous.residual.level.rank
    end
  end
  return r
end

-- Worst first: residual score, then inherent score, then ID.
local function worst_first(a, b)
  local ra, rb = a.residual and a.residual.score or -1, b.residual and b.residual.score or -1
  if ra ~= rb then return ra > rb end
  local ia, ib = a.inherent and a.inherent.score or -1, b.inherent and b.inherent.score or -1
  if ia ~= ib then return ia > ib end
  if #a.id ~= #b.id then return #a.id < #b.id end
  return a.id < b.id
end
register.worst_first = worst_first

--- Risks and opportunities that exist on as_of, worst first. Each has the risk's fields (as they
--- were), open, assessed, current, inherent, residual, level, above_appetite, history, trend,
--- next_review_on, overdue, overdue_days; with previous = a date, also previous, delta,
--- level_change and existed_before.
function register.risks(options)
  local as_of = assert(options and options.as_of, "register.risks{as_of = DATE}")
  local list = {}
  for _, row in ipairs(load().risks) do
    local r = risk_view(row, as_of, options.previous)
    if r then list[#list + 1] = r end
  end
  table.sort(list, worst_first)
  return list
end

local function copy(row)
  local t = {}
  for k, v in pairs(row) do t[k] = v end
  return t
end

local function age_and_due(t, start, due, as_of)
  t.age_days = date.days_between(start, as_of)
  if t.open and due and due < as_of then
    t.overdue = true
    t.overdue_days = date.days_between(due, as_of)
  else
    t.overdue = false
  end
end

--- Improvements raised on or before as_of: status as it was, open, overdue, age_days.
function register.improvements(options)
  local as_of = assert(options and options.as_of, "register.improvements{as_of = DATE}")
  local list = {}
  for _, row in ipairs(load().improvements) do
    if not after(row.raised_on, as_of) then
      local t = copy(row)
      if after(row.done_on, as_of) then
        t.done_on = nil
        t.status = "in_progress"
      end
      t.open = t.status ~= "done" and t.status ~= "rejected"
      age_and_due(t, row.raised_on, t.due_on, as_of)
      list[#list + 1] = t
    end
  end
  return list
end

--- Nonconformities raised on or before as_of: closed_on and effective as known then, open,
--- overdue, age_days.
function register.nonconformities(options)
  local as_of = assert(options and options.as_of, "register.nonconformities{as_of = DATE}")
  local list = {}
  for _, row in ipairs(load().nonconformities) do
    if not after(row.raised_on, as_of) then
      local t = copy(row)
      if after(row.closed_on, as_of) then
        t.closed_on = nil
        t.effective = nil
      end
      t.open = t.closed_on == nil
      age_and_due(t, row.raised_on, t.due_on, as_of)
      list[#list + 1] = t
    end
  end
  return list
end

--- Audits held on or before as_of, each with its findings (nonconformities raised by then).
function register.audits(options)
  local as_of = assert(options and options.as_of, "register.audits{as_of = DATE}")
  local d = load()
  local ncs = {}
  for _, nc in ipairs(register.nonconformities(options)) do ncs[nc.id] = nc end
  local list = {}
  for _, row in ipairs(d.audits) do
    if not after(row.held_on, as_of) then
      local t = copy(row)
      t.findings = {}
      for _, nc in ipairs(d.ncs_by_audit[row.id] or {}) do
        if ncs[nc.id] then t.findings[#t.findings + 1] = ncs[nc.id] end
      end
      list[#list + 1] = t
    end
  end
  return list
end

--- KPIs with their measurements on or before as_of: latest, previous, met (against target and
--- direction), trend (rising/falling/steady over the last three values).
function register.kpis(options)
  local as_of = assert(options and options.as_of, "register.kpis{as_of = DATE}")
  local d = load()
  local list = {}
  for _, row in ipairs(d.kpis) do
    local t = copy(row)
    local all = d.measurements_by_kpi[row.id] or {}
    local n = last_on_or_before(all, "measured_on", as_of)
    t.measurements = {}
    for i = 1, n do t.measurements[i] = all[i] end
    t.latest = t.measurements[n]
    t.previous = t.measurements[n - 1]
    local function met(m)
      if not m or t.target == nil then return nil end
      if t.direction == "lower" then return m.value <= t.target end
      return m.value >= t.target
    end
    t.met = met(t.latest)
    t.met_of = met
    if n >= 2 then
      local first, last = t.measurements[math.max(1, n - 2)].value, t.latest.value
      t.trend = last > first and "rising" or last < first and "falling" or "steady"
    else
      t.trend = "steady"
    end
    list[#list + 1] = t
  end
  return list
end

--- Review actions of reviews held on or before as_of: status as it was, open, overdue.
function register.actions(options)
  local as_of = assert(options and options.as_of, "register.actions{as_of = DATE}")
  local held = {}
  for _, r in ipairs(load().reviews) do
    if not after(r.held_on, as_of) then held[r.id] = r end
  end
  local list = {}
  for _, row in ipairs(load().actions) do
    local review = held[row.review_id]
    if review then
      local t = copy(row)
      t.review = review
      if after(row.closed_on, as_of) then
        t.closed_on = nil
        t.status = "open"
      end
      t.open = t.status == "open"
      age_and_due(t, review.held_on, t.due_on, as_of)
      list[#list + 1] = t
    end
  end
  return list
end

--- Management reviews held on or before as_of, oldest first, each with inputs (by name) and
--- actions.
function register.reviews(options)
  local as_of = assert(options and options.as_of, "register.reviews{as_of = DATE}")
  local d = load()
  local actions = {}
  for _, a in ipairs(register.actions(options)) do
    local list = actions[a.review_id] or {}
    list[#list + 1] = a
    actions[a.review_id] = list
  end
  local list = {}
  for _, row in ipairs(d.reviews) do
    if not after(row.held_on, as_of) then
      local t = copy(row)
      t.inputs = {}
      for _, input in ipairs(d.inputs_by_review[row.id] or {}) do t.inputs[input.input] = input.text end
      t.actions = actions[row.id] or {}
      list[#list + 1] = t
    end
  end
  return list
end

--- What changed between two dates (from exclusive, to inclusive): new, closed, escalated and
--- de-escalated risks; new and closed nonconformities; improvements completed.
function register.changes(options)
  local from, to = assert(options.from, "changes{from=, to=}"), assert(options.to, "changes{from=, to=}")
  local within = function(d) return d ~= nil and d > from and d <= to end
  local c = { new_risks = {}, closed_risks = {}, escalated = {}, deescalated = {},
              new_nonconformities = {}, closed_nonconformities = {}, done_improvements = {} }
  for _, r in ipairs(register.risks { as_of = to, previous = from }) do
    if within(r.created_on) then c.new_risks[#c.new_risks + 1] = r end
    if within(r.closed_on) then c.closed_risks[#c.closed_risks + 1] = r end
    if r.open and r.existed_before and r.level_change then
      if r.level_change > 0 then c.escalated[#c.escalated + 1] = r end
      if r.level_change < 0 then c.deescalated[#c.deescalated + 1] = r end
    end
  end
  for _, nc in ipairs(register.nonconformities { as_of = to }) do
    if within(nc.raised_on) then c.new_nonconformities[#c.new_nonconformities + 1] = nc end
    if within(nc.closed_on) then c.closed_nonconformities[#c.closed_nonconformities + 1] = nc end
  end
  for _, i in ipairs(register.improvements { as_of = to }) do
    if i.status == "done" and within(i.done_on) then c.done_improvements[#c.done_improvements + 1] = i end
  end
  return c
end

--- The quarters ending with the one of as_of, oldest first: { label, first, last, as_of }
--- where as_of is the quarter's last day, or the given date for the current quarter.
function register.quarters(as_of, count)
  local quarters = {}
  local label = date.quarter(as_of)
  for i = count, 1, -1 do
    local p = assert(date.period(label))
    quarters[i] = { label = p.label, first = p.first, last = p.last,
                    as_of = p.last < as_of and p.last or as_of }
    label = p.previous
  end
  return quarters
end

--- Counts of open risks by level name on a date, without building whole views (for trends
--- over many periods). Risks not yet assessed are not counted.
function register.level_counts_on(as_of)
  local d = load()
  local counts = {}
  for _, band in ipairs(scoring.levels) do counts[band.name] = 0 end
  for _, row in ipairs(d.risks) do
    if not after(row.created_on, as_of) and not on_or_before(row.closed_on, as_of) then
      local all = d.assessments_by_risk[row.id]
      local n = all and last_on_or_before(all, "assessed_on", as_of) or 0
      if n > 0 then
        local name = register.scores(all[n]).residual.level.name
        counts[name] = counts[name] + 1
      end
    end
  end
  return counts
end

--- Counts of open risks by level name in a list of risk views (not yet assessed: not counted).
function register.level_counts(risks)
  local counts = {}
  for _, band in ipairs(scoring.levels) do counts[band.name] = 0 end
  for _, r in ipairs(risks) do
    if r.open and r.level then counts[r.level.name] = counts[r.level.name] + 1 end
  end
  return counts
end

--- A file-name-safe, unique slug for each owner name: "Ana Ferreira" -> "ana-ferreira".
function register.owner_slugs(names)
  local slugs, used = {}, {}
  table.sort(names)
  for _, name in ipairs(names) do
    -- at most 60 characters: a file name must stay well within the file system's limit
    local base = name:lower():gsub("[^%w]+", "-"):sub(1, 60):gsub("^-+", ""):gsub("-+$", "")
    if base == "" then base = "owner" end
    local slug, n = base, 1
    while used[slug] do
      n = n + 1
      slug = base .. "-" .. n
    end
    used[slug] = true
    slugs[name] = slug
  end
  return slugs
end

return register
