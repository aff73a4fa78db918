-- riskreg.register: the register as the pages see it, on any date.
--
-- The register is read once, with one query per table (each on first use); every view below
-- is derived from those rows by the rules of riskreg.rules: the point-in-time rule of
-- register/README.md (a record exists from its start date, a closing after the date is not
-- known yet, a risk's scores are its latest assessment on or before the date), the scores and
-- levels, open, due and overdue. This file holds no rule of its own: it puts records together.

local db = require "riskreg.db"
local json = require "riskreg.json"
local date = require "riskreg.date"
local model = require "riskreg.model"
local rules = require "riskreg.rules"
local scoring = require "riskreg.scoring"
local templates = require "riskreg.templates"
local certification = require "riskreg.certification"

local register = {}

-- Records are strict: reading a field a kind of record does not have (r.opne) is an error that
-- names the field and the kind, not a silent nil. Each kind knows its columns and the fields the
-- views below add, as riskreg.templates documents them.
local strict = {}
for _, shape in ipairs(templates.shapes) do
  if shape.kind then strict[shape.kind] = templates.strict(shape.name) end
end

--- A record of a kind, made strict: reading a field the kind does not have raises an error.
function register.strict(kind, row)
  return setmetatable(row, strict[kind])
end

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

-- The rows of each table, read on first use, one query per table: by ID; a kind whose rows
-- belong to a record (assessments, measurements, review inputs) by its key, the order the
-- register's index gives without sorting (a risk's assessments oldest first).
local queries = {}
for _, k in ipairs(model.kinds) do
  local order = k.order_by
  if not k.prefix then
    local keys = {}
    for _, f in ipairs(k.fields) do
      if f.key then keys[#keys + 1] = f.name end
    end
    order = table.concat(keys, ", ")
  end
  queries[k.name] = "SELECT * FROM " .. k.table .. " ORDER BY " .. order
end
-- names the pages have used for some tables
local aliases = { inputs = "review_inputs", actions = "review_actions" }
-- derived groupings: name -> { table, key }
local groupings = {
  assessments_by_risk = { "assessments", "risk_id" },
  measurements_by_kpi = { "measurements", "kpi_id" },
  inputs_by_review = { "review_inputs", "review_id" },
  actions_by_review = { "review_actions", "review_id" },
  decisions_by_review = { "review_decisions", "review_id" },
  acceptances_by_risk = { "acceptances", "risk_id" },
  ncs_by_audit = { "nonconformities", "audit_id" },
  improvements_by_risk = { "improvements", "risk_id" },
}

local data = setmetatable({}, {
  __index = function(t, name)
    local value
    if queries[name] then
      value = db.all(queries[name])
    elseif aliases[name] then
      value = t[aliases[name]]
    elseif groupings[name] then
      value = group(t[groupings[name][1]], groupings[name][2])
    else
      error("register.rows(): no table '" .. tostring(name) .. "'", 2)
    end
    rawset(t, name, value)
    return value
  end,
})

-- Fields as they were ----------------------------------------------------------------------------

-- A record's fields on a past date are those the change log says it had then: each change logged
-- after the date is undone, with the row as the first of them found it (the owner, a due date, a
-- status or a title changed since is shown as it was). The dated fields are then read by the
-- rules as for any date (rules.as_of). Today, the register is as it is.
local today = date.today()
local NULL = {}
local logged_on = {} -- AS_OF -> { [table] = { [row_key] = the row as the first later change found it } }

local function logged_then(as_of)
  local found = logged_on[as_of]
  if found then return found end
  found = {}
  if as_of < today then
    local after = date.add_days(as_of, 1)
    for _, e in ipairs(db.all("SELECT kind, row_key, before FROM change_log WHERE operation = 'update' "
        .. "AND at >= ? AND before IS NOT NULL ORDER BY seq", after)) do
      local t = found[e.kind]
      if not t then
        t = {}
        found[e.kind] = t
      end
      if t[e.row_key] == nil then t[e.row_key] = json.decode(e.before, NULL) end
    end
  end
  logged_on[as_of] = found
  return found
end

local tables = {}
for _, k in ipairs(model.kinds) do tables[k.name] = k.table end

-- The row of a kind as the change log had it on as_of: the row itself when nothing was changed
-- since, else a copy with the fields as they were (fields added to the register since keep their
-- value).
local function as_logged(kind, row, as_of)
  local changed = logged_then(as_of)[tables[kind]]
  local before = changed and changed[row.id or ""]
  if not before then return row end
  local t = {}
  for k, v in pairs(row) do t[k] = v end
  for k, v in pairs(before) do
    if v == NULL then t[k] = nil else t[k] = v end
  end
  return t
end
register.as_logged = as_logged

--- The raw rows of every table, as read (for pages that need something unusual): rows().risks,
--- rows().assessments, ... each read on first use.
function register.rows()
  return data
end

local in_order = {}

--- The rows of a table in the register's order, the exports' (`ORDER BY` the model's order_by):
--- by ID, and rows that belong to a record in the order of their records, each record's by key.
function register.ordered(kind)
  if in_order[kind] then return in_order[kind] end
  local k = assert(model.kind[kind], "register.ordered: no kind '" .. tostring(kind) .. "'")
  local rows = data[kind]
  if not k.prefix then
    local owner
    for _, f in ipairs(k.fields) do
      if f.key and f.ref and not owner then owner = f end
    end
    local by_owner = group(rows, owner.name)
    local list = {}
    for _, parent in ipairs(register.ordered(owner.ref)) do
      for _, row in ipairs(by_owner[parent.id] or {}) do list[#list + 1] = row end
    end
    rows = list
  end
  in_order[kind] = rows
  return rows
end

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
register.last_on_or_before = last_on_or_before

--- Scores of one assessment: the assessment's row (assessed_on, assessor, note, ...) with
--- inherent and residual added, each { likelihood, impact, score, level }. Added once, in the
--- row itself (not a copy: a large register has many assessments), and shared by every view.
function register.scores(a)
  if a and not a.inherent then
    rules.assessment(a)
    setmetatable(a, strict.assessments)
  end
  return a
end

--- A risk's latest assessment on or before as_of (with its scores), or nil.
function register.latest_assessment(risk_id, as_of)
  local all = data.assessments_by_risk[risk_id]
  local n = all and last_on_or_before(all, "assessed_on", as_of) or 0
  return n > 0 and register.scores(all[n]) or nil
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

-- An acceptance as it was on as_of (v: rules.as_of's copy or the row), with valid, expiring,
-- expired and the accepted risk's title.
local function acceptance_view(v, as_of, risk_title)
  local t = {}
  for k, value in pairs(v) do t[k] = value end
  t.valid = rules.acceptance_valid(t, as_of)
  t.expiring = rules.acceptance_expiring(t, as_of)
  t.expired = rules.acceptance_expired(t, as_of)
  t.risk_title = risk_title
  return setmetatable(t, strict.acceptances)
end

local function risk_view(row, as_of, previous_as_of)
  local all = data.assessments_by_risk[row.id] or {}
  local n = last_on_or_before(all, "assessed_on", as_of)
  local current = n > 0 and register.scores(all[n]) or nil
  local r = rules.as_of("risks", as_logged("risks", row, as_of), as_of, current)
  if not r then return nil end
  if r == row then r = {} for k, v in pairs(row) do r[k] = v end end
  r.opportunity = row.kind == "opportunity"
  r.open = rules.is_open("risks", r)
  local history = {}
  for i = 1, n do history[i] = register.scores(all[i]) end
  r.history = history
  r.assessed = current ~= nil
  r.current = current
  r.inherent = current and current.inherent
  r.residual = current and current.residual
  r.level = current and current.residual.level
  r.above_appetite = r.open and current ~= nil and current.residual.above_appetite
  r.trend = trend_of(history)
  r.overdue_days = rules.overdue_days("risks", r, as_of, current)
  r.overdue = r.overdue_days ~= nil
  -- its planned treatment: due while it is open or treating
  r.plan_due_on = rules.plan_due_on(r)
  r.plan_overdue_days = rules.plan_overdue_days(r, as_of)
  r.plan_overdue = r.plan_overdue_days ~= nil
  -- its treatment (the improvements linked to it, as they were) and whether it worked
  local treated_by = {}
  for _, i in ipairs(data.improvements_by_risk[row.id] or {}) do
    treated_by[#treated_by + 1] = rules.as_of("improvements", as_logged("improvements", i, as_of), as_of)
  end
  r.treated_by = treated_by
  r.effect = rules.treatment_effect(r, treated_by, history, as_of)
  -- its latest acceptance granted by then, and whether it holds
  r.acceptance = nil
  for _, a in ipairs(data.acceptances_by_risk[row.id] or {}) do
    local v = rules.as_of("acceptances", as_logged("acceptances", a, as_of), as_of)
    if v and v.accepted_on and v.status ~= "rejected" and v.status ~= "requested"
        and (not r.acceptance or v.accepted_on >= r.acceptance.accepted_on) then
      r.acceptance = acceptance_view(v, as_of, row.title)
    end
  end
  r.accepted = r.acceptance ~= nil and r.acceptance.valid
  -- the period before
  if previous_as_of then
    local p = last_on_or_before(all, "assessed_on", previous_as_of)
    r.previous = p > 0 and register.scores(all[p]) or nil
    r.existed_before = rules.open_on("risks", row, previous_as_of)
    if r.previous and current then
      r.delta = current.residual.score - r.previous.residual.score
      r.level_change = current.residual.level.rank - r.previous.residual.level.rank
    end
  end
  return setmetatable(r, strict.risks)
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
--- next_review_on, overdue, overdue_days, plan_due_on, plan_overdue, plan_overdue_days (its
--- action_plan due by target_on while open or treating); with previous = a date, also previous, delta,
--- level_change and existed_before.
---
--- The views compared with a period before are kept for the build (the dashboard, the changes
--- and the data export ask for the same ones); each call gets a list of its own.
local compared = {}   -- "AS_OF|PREVIOUS" -> views, worst first
local by_as_of = {}   -- AS_OF -> the same views, by risk ID
function register.risks(options)
  local as_of = assert(options and options.as_of, "register.risks{as_of = DATE}")
  local previous = options.previous
  local key = previous and (as_of .. "|" .. previous)
  local list = key and compared[key]
  if not list then
    list = {}
    for _, row in ipairs(data.risks) do
      local r = risk_view(row, as_of, previous)
      if r then list[#list + 1] = r end
    end
    table.sort(list, worst_first)
    if key then
      compared[key] = list
      local ids = {}
      for _, r in ipairs(list) do ids[r.id] = r end
      by_as_of[as_of] = ids
    end
  end
  return table.move(list, 1, #list, 1, {})
end

--- Let go of the risk views kept for the build (a command that reads many dates in turn, such
--- as riskreg review freeze, keeps only one date's at a time).
function register.forget_views()
  compared, by_as_of = {}, {}
end

--- The risk views of as_of already made for this build, by ID (nil when none were).
function register.risk_views(as_of)
  return by_as_of[as_of]
end

local function copy(row)
  local t = {}
  for k, v in pairs(row) do t[k] = v end
  return t
end

-- A record of a kind with a life (improvements, nonconformities, review actions) as it was on
-- as_of, with open, overdue, overdue_days and age_days (from `start`); nil when it did not
-- exist yet.
local function life_view(kind, row, as_of, start)
  local t = rules.as_of(kind, as_logged(kind, row, as_of), as_of)
  if not t then return nil end
  if t == row then t = copy(row) end
  t.open = rules.is_open(kind, t)
  t.overdue_days = rules.overdue_days(kind, t, as_of)
  t.overdue = t.overdue_days ~= nil
  t.age_days = date.days_between(start, as_of)
  return setmetatable(t, strict[kind])
end

--- Improvements raised on or before as_of: status as it was, open, overdue, age_days.
function register.improvements(options)
  local as_of = assert(options and options.as_of, "register.improvements{as_of = DATE}")
  local list = {}
  for _, row in ipairs(data.improvements) do
    list[#list + 1] = life_view("improvements", row, as_of, row.raised_on)
  end
  return list
end

--- Nonconformities raised on or before as_of: closed_on and effective as known then, open,
--- overdue, age_days, unchecked_days (closed longer than rules.check_within_days without an
--- effectiveness check).
function register.nonconformities(options)
  local as_of = assert(options and options.as_of, "register.nonconformities{as_of = DATE}")
  local list = {}
  for _, row in ipairs(data.nonconformities) do
    local n = life_view("nonconformities", row, as_of, row.raised_on)
    if n then
      n.unchecked_days = rules.unchecked_days(n, as_of, rules.check_within_days)
      list[#list + 1] = n
    end
  end
  return list
end

-- Oldest first (by the date it was held), then by ID.
local function by_held_on(a, b)
  if a.held_on ~= b.held_on then return a.held_on < b.held_on end
  if #a.id ~= #b.id then return #a.id < #b.id end
  return a.id < b.id
end

-- An audit's requirements in scope as references (the readiness page of each), and the days to
-- its planned date while it is planned.
local references -- below

local function audit_view(a, as_of, ncs)
  local t = copy(a)
  t.findings = {}
  for _, nc in ipairs(data.ncs_by_audit[a.id] or {}) do
    if ncs[nc.id] then t.findings[#t.findings + 1] = ncs[nc.id] end
  end
  t.covers = references(a.requirements, as_of, "requirements")
  t.days_to = t.status == "planned" and t.planned_on and date.days_between(as_of, t.planned_on) or nil
  return setmetatable(t, strict.audits)
end

local function ncs_on(options)
  local ncs = {}
  for _, nc in ipairs(register.nonconformities(options)) do ncs[nc.id] = nc end
  return ncs
end

--- Audits held on or before as_of, oldest first, each with its findings (nonconformities raised
--- by then) and covers (its requirements in scope). Audits planned then are not among them:
--- register.planned_audits gives the programme.
function register.audits(options)
  local as_of = assert(options and options.as_of, "register.audits{as_of = DATE}")
  local ncs = ncs_on(options)
  local list = {}
  for _, row in ipairs(data.audits) do
    if row.held_on and row.held_on <= as_of then
      list[#list + 1] = audit_view(as_logged("audits", row, as_of), as_of, ncs)
    end
  end
  table.sort(list, by_held_on)
  return list
end

--- Audits planned on as_of and not held by then (an audit held later was planned then, when it
--- has a planned date; cancelled ones are left out), soonest first, each with covers and days_to
--- (days until its planned date; negative: late).
function register.planned_audits(options)
  local as_of = assert(options and options.as_of, "register.planned_audits{as_of = DATE}")
  local list = {}
  for _, row in ipairs(data.audits) do
    local a = certification.audit_on(as_logged("audits", row, as_of), as_of)
    if a and a.status == "planned" then list[#list + 1] = audit_view(a, as_of, {}) end
  end
  table.sort(list, function(a, b)
    if a.planned_on ~= b.planned_on then return a.planned_on < b.planned_on end
    if #a.id ~= #b.id then return #a.id < #b.id end
    return a.id < b.id
  end)
  return list
end

--- KPIs with their measurements on or before as_of: latest, previous, met (against target and
--- direction), trend (rising/falling/steady over the last three values) and judged (better,
--- worse or steady: the trend read by the KPI's direction).
function register.kpis(options)
  local as_of = assert(options and options.as_of, "register.kpis{as_of = DATE}")
  local list = {}
  for _, row in ipairs(data.kpis) do
    local t = copy(as_logged("kpis", row, as_of))
    local all = data.measurements_by_kpi[row.id] or {}
    local n = last_on_or_before(all, "measured_on", as_of)
    t.measurements = {}
    for i = 1, n do t.measurements[i] = setmetatable(all[i], strict.measurements) end
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
    t.judged = rules.kpi_judged(t.trend, t.direction)
    list[#list + 1] = setmetatable(t, strict.kpis)
  end
  return list
end

-- Reviews held on or before as_of, by ID.
local function held_by(as_of)
  local held = {}
  for _, r in ipairs(data.reviews) do
    if rules.held(r, as_of) then held[r.id] = r end
  end
  return held
end

--- Review actions of reviews held on or before as_of: status as it was, open, overdue.
function register.actions(options)
  local as_of = assert(options and options.as_of, "register.actions{as_of = DATE}")
  local held = held_by(as_of)
  local list = {}
  for _, row in ipairs(data.review_actions) do
    local review = held[row.review_id]
    if review then
      local t = life_view("review_actions", row, as_of, review.held_on)
      t.review = review
      list[#list + 1] = t
    end
  end
  return list
end

-- A review with its inputs (text by input name), actions and decisions.
local function review_view(row, actions)
  local t = copy(row)
  t.inputs = {}
  for _, input in ipairs(data.inputs_by_review[row.id] or {}) do t.inputs[input.input] = input.text end
  t.actions = actions or {}
  t.review_decisions = {}
  for _, d in ipairs(data.decisions_by_review[row.id] or {}) do
    t.review_decisions[#t.review_decisions + 1] = setmetatable(copy(d), strict.review_decisions)
  end
  return setmetatable(t, strict.reviews)
end

--- Management reviews held on or before as_of, oldest first, each with inputs (by name),
--- actions and review_decisions.
function register.reviews(options)
  local as_of = assert(options and options.as_of, "register.reviews{as_of = DATE}")
  local actions = {}
  for _, a in ipairs(register.actions(options)) do
    local list = actions[a.review_id] or {}
    list[#list + 1] = a
    actions[a.review_id] = list
  end
  local list = {}
  for _, row in ipairs(data.reviews) do
    if rules.held(row, as_of) then list[#list + 1] = review_view(as_logged("reviews", row, as_of), actions[row.id]) end
  end
  table.sort(list, by_held_on)
  return list
end

--- One review by ID (any case), planned or held, with its inputs, actions and decisions as they
--- are now; nil when there is none.
function register.review(id)
  for _, row in ipairs(data.reviews) do
    if row.id:upper() == id:upper() then
      return review_view(row, data.actions_by_review[row.id])
    end
  end
  return nil
end

--- The review being prepared on as_of: the first by date (held_on, else planned_on) not held
--- on or before it, as it was then, with its inputs; nil when none is planned. A review held
--- since (held_later) is shown without its inputs: they belong to its record, and were written
--- with later figures beside them.
function register.next_review(options)
  local as_of = assert(options and options.as_of, "register.next_review{as_of = DATE}")
  local next, next_on
  for _, row in ipairs(data.reviews) do
    local on = row.held_on or row.planned_on
    if on and not rules.held(row, as_of) and (not next or on < next_on) then
      next, next_on = row, on
    end
  end
  if not next then return nil end
  local then_ = copy(next)
  then_.held_later = next.held_on ~= nil
  then_.planned_on = next.planned_on or next.held_on
  then_.held_on, then_.status = nil, "planned"
  local t = review_view(then_, {})
  if t.held_later then t.inputs = {} end
  return t
end

--- Risk acceptances asked for on or before as_of, each as it was then, with valid (in force),
--- expiring (in force, expiring within rules.expiring_days), expired and risk_title.
function register.acceptances(options)
  local as_of = assert(options and options.as_of, "register.acceptances{as_of = DATE}")
  local titles = {}
  for _, r in ipairs(data.risks) do titles[r.id] = r.title end
  local list = {}
  for _, row in ipairs(data.acceptances) do
    local t = rules.as_of("acceptances", as_logged("acceptances", row, as_of), as_of)
    if t then list[#list + 1] = acceptance_view(t, as_of, titles[t.risk_id]) end
  end
  return list
end

-- Certification: requirements, readiness, documents, certificates ------------------------------

-- Where a record of each kind is shown in the site (from its top), and the field that names it.
local shown_at = {
  requirements = { title = "heading", href = function(r) return "readiness/" .. model.file_name(r.id) .. ".html" end },
  documents = { title = "title", href = function(d) return "documents/index.html#" .. d.id end },
  audits = { title = "title", href = function(a, as_of)
    local held = a.held_on and a.held_on <= as_of
    return (held and "audits/index.html#" or "audits/programme.html#") .. a.id
  end },
  kpis = { title = "name", href = function(k) return "kpis/index.html#" .. k.id end },
  nonconformities = { title = "title", href = function(n) return "nonconformities/index.html#" .. n.id end },
  improvements = { title = "title", href = function(i) return "improvements/index.html#" .. i.id end },
  risks = { title = "title", href = function(r) return "risks/" .. model.file_name(r.id) .. ".html" end },
  reviews = { title = "title", href = function(r, as_of)
    if r.held_on and r.held_on <= as_of then return "review/" .. model.file_name(r.id) .. ".html" end
    return "review/index.html"
  end },
  certificates = { title = "body", href = function() return "index.html#certificate" end },
  acceptances = { title = "justification", href = function(a)
    return "risks/" .. model.file_name(a.risk_id) .. ".html"
  end },
  review_actions = { title = "text", href = function() return "review/index.html#previous_actions" end },
  review_decisions = { title = "text", href = function() return "review/index.html" end },
}

-- Every record with an ID, by its ID in lower case: { kind, row }.
local by_any_id
local function record_of(id)
  if not by_any_id then
    by_any_id = {}
    for _, k in ipairs(model.kinds) do
      if k.prefix then
        for _, row in ipairs(data[k.name]) do by_any_id[row.id:lower()] = { kind = k.name, row = row } end
      end
    end
  end
  return by_any_id[id:lower()]
end

-- The views of a kind on a date, by ID in lower case, made once per date when a reference
-- needs one (a KPI's latest value, a document's approval).
local views_on = {}
local view_of_kind = {
  kpis = function(as_of) return register.kpis { as_of = as_of } end,
  nonconformities = function(as_of) return register.nonconformities { as_of = as_of } end,
  improvements = function(as_of) return register.improvements { as_of = as_of } end,
  documents = function(as_of) return register.documents { as_of = as_of } end,
  audits = function(as_of)
    local list = register.audits { as_of = as_of }
    for _, a in ipairs(register.planned_audits { as_of = as_of }) do list[#list + 1] = a end
    return list
  end,
}
local function view_on(kind, id, as_of)
  local make = view_of_kind[kind]
  if not make then return nil end
  local key = as_of .. "|" .. kind
  local index = views_on[key]
  if not index then
    index = {}
    views_on[key] = index -- before making them: a document's references do not come back here
    for _, v in ipairs(make(as_of)) do index[v.id:lower()] = v end
  end
  return index[id:lower()]
end

--- References written as text (record IDs and URLs separated by commas, semicolons or spaces)
--- resolved on as_of: each { token, id, kind, what, title, href, url, web, broken, record }. A
--- URL is url (web when http or https, so a page may link it: href is then the URL); an ID
--- names its record's kind (what: the kind in words, "document"), title and href (its place in
--- the site, from the top), with record its view on the date for the kinds whose pages show
--- more (KPIs, documents, audits, nonconformities, improvements); an ID that names no record is
--- broken. only: a kind the IDs must be of (an ID of another kind is broken too).
references = function(text, as_of, only)
  local list = {}
  for _, token in ipairs(certification.split(text)) do
    local ref = { token = token, url = false, web = false, broken = false }
    if certification.is_url(token) then
      ref.url = true
      ref.web = certification.is_web(token)
      ref.href = ref.web and token or nil
    else
      local found = record_of(token)
      if found and (not only or found.kind == only) then
        local at = shown_at[found.kind]
        ref.id, ref.kind = found.row.id, found.kind
        ref.what = model.kind[found.kind].singular:gsub("^kpi$", "KPI")
        ref.title = at and found.row[at.title] or nil
        ref.href = at and at.href(found.row, as_of) or nil
        ref.record = view_on(found.kind, found.row.id, as_of)
      else
        ref.broken = true
      end
    end
    list[#list + 1] = setmetatable(ref, templates.strict("reference"))
  end
  return list
end
register.references = references

local function readiness_view(row, as_of)
  local t = copy(row)
  t.word = certification.status[t.status].word
  t.overdue_days = certification.gap_overdue_days(t, as_of)
  t.overdue = t.overdue_days ~= nil
  return setmetatable(t, strict.readiness)
end

-- A requirement's readiness rows, oldest first, by the requirement's ID in lower case.
local readiness_by
local function readiness_of(id)
  if not readiness_by then
    readiness_by = {}
    for _, row in ipairs(data.readiness) do
      local key = row.requirement_id:lower()
      local list = readiness_by[key] or {}
      list[#list + 1] = row
      readiness_by[key] = list
    end
    for _, list in pairs(readiness_by) do
      table.sort(list, function(a, b) return a.assessed_on < b.assessed_on end)
    end
  end
  return readiness_by[id:lower()] or {}
end

local requirement_views = {} -- AS_OF -> the views, in the register's order

--- The requirements of every framework in the register's order (the framework files'), each as
--- it stood on as_of: status and word (its latest readiness on or before the date; none is
--- not_assessed), rank, applicable, conforming, readiness (that row, with word, overdue and
--- overdue_days: the gap past its target) and history (every readiness row by then, oldest
--- first), evidence (the latest row's evidence as references), documents (those serving it),
--- depth, top (the ID of its top clause) and children in the clause tree, and the audit
--- programme's coverage: audits (held by then that had it in scope, newest first),
--- last_internal, last_audit, next_audit (the earliest planned on or after the date),
--- findings (nonconformities raised by then that name it) and in_cycle (an internal audit in
--- the cycle covered it).
function register.requirements(options)
  local as_of = assert(options and options.as_of, "register.requirements{as_of = DATE}")
  local cached = requirement_views[as_of]
  if cached then return table.move(cached, 1, #cached, 1, {}) end
  local rows = data.requirements
  if #rows == 0 then return {} end
  local tree = certification.tree(rows)
  local top_of = {}
  for _, f in ipairs(certification.top_clauses(tree)) do
    for _, node in ipairs(f.nodes) do
      for _, n in ipairs(certification.under(node)) do top_of[n.row.id:lower()] = node.row.id end
    end
  end
  -- the audits as they were on the date, held and planned, and the nonconformities then
  local audits = {}
  for _, a in ipairs(register.audits(options)) do audits[#audits + 1] = a end
  for _, a in ipairs(register.planned_audits(options)) do audits[#audits + 1] = a end
  local ncs = register.nonconformities(options)
  local coverage = certification.coverage(rows, audits, ncs, as_of).by_requirement
  -- the documents serving each requirement
  local serving = {}
  for _, d in ipairs(register.documents(options)) do
    for _, ref in ipairs(d.serves) do
      if not ref.broken then
        local key = ref.id:lower()
        serving[key] = serving[key] or {}
        table.insert(serving[key], d)
      end
    end
  end
  local views, by_id = {}, {}
  for _, row in ipairs(rows) do
    local t = copy(row)
    local key = row.id:lower()
    local node = tree.by_id[key]
    t.depth = node.depth
    t.top = top_of[key] or row.id
    t.history = {}
    for _, r in ipairs(readiness_of(row.id)) do
      if r.assessed_on <= as_of then t.history[#t.history + 1] = readiness_view(r, as_of) end
    end
    t.readiness = t.history[#t.history]
    t.status = t.readiness and t.readiness.status or "not_assessed"
    local status = certification.status[t.status]
    t.word, t.rank = status.word, status.rank
    t.applicable = certification.applicable(row, t.status)
    t.conforming = t.applicable and t.status == "conforming"
    t.evidence = references(t.readiness and t.readiness.evidence, as_of)
    t.documents = serving[key] or {}
    local c = coverage[key]
    t.audits, t.findings, t.in_cycle = c.audits, c.findings, c.in_cycle
    t.last_internal, t.last_audit, t.next_audit = c.last_internal, c.last_audit, c.planned
    t.children = {}
    views[#views + 1] = setmetatable(t, strict.requirements)
    by_id[key] = t
  end
  for _, node in ipairs(tree.list) do
    local t = by_id[node.row.id:lower()]
    for i, child in ipairs(node.children) do t.children[i] = by_id[child.row.id:lower()] end
  end
  requirement_views[as_of] = views
  return table.move(views, 1, #views, 1, {})
end

--- The requirements in the order of their clause tree (each after its parent), from
--- register.requirements: the order the readiness page lists them in.
function register.requirement_tree(requirements)
  local by_id, roots = {}, {}
  for _, r in ipairs(requirements) do by_id[r.id:lower()] = r end
  for _, r in ipairs(requirements) do
    if not (r.parent and by_id[r.parent:lower()]) then roots[#roots + 1] = r end
  end
  local list = {}
  local function walk(r)
    list[#list + 1] = r
    for _, c in ipairs(r.children) do walk(c) end
  end
  for _, r in ipairs(roots) do walk(r) end
  return list
end

--- The gaps among requirements (register.requirements): those that apply and do not conform
--- yet, worst first: past their target first (the longest first), then the least ready, then in
--- the order of the clause tree.
function register.gaps(requirements)
  local order, list = {}, {}
  for i, r in ipairs(register.requirement_tree(requirements)) do
    order[r] = i
    if r.applicable and not r.conforming then list[#list + 1] = r end
  end
  table.sort(list, function(a, b)
    local late_a = a.readiness and a.readiness.overdue_days or -1
    local late_b = b.readiness and b.readiness.overdue_days or -1
    if late_a ~= late_b then return late_a > late_b end
    if a.rank ~= b.rank then return a.rank < b.rank end
    return order[a] < order[b]
  end)
  return list
end

--- The documented information (documents) in the register's order, with their fields as they
--- were on as_of, approved (approved on or before the date), overdue and overdue_days (its
--- next review passed), location_href (the location when it is a web address a page may
--- link) and serves (the requirements it lists, as references: an ID that names no
--- requirement is broken).
function register.documents(options)
  local as_of = assert(options and options.as_of, "register.documents{as_of = DATE}")
  local list = {}
  for _, row in ipairs(data.documents) do
    local t = copy(as_logged("documents", row, as_of))
    t.approved = t.approved_on ~= nil and t.approved_on <= as_of
    t.overdue_days = rules.overdue_days("documents", t, as_of)
    t.overdue = t.overdue_days ~= nil
    t.location_href = certification.is_web(t.location) and t.location or nil
    t.serves = references(t.requirements, as_of, "requirements")
    list[#list + 1] = setmetatable(t, strict.documents)
  end
  return list
end

--- Certificates issued on or before as_of, latest issued first, each as it was then (marked
--- expired since: valid up to its expiry) with in_force (the one certification.in_force
--- picks), expired, days_to_expiry and audits (the external audits for it: held by then with
--- their findings, and planned then, oldest first).
function register.certificates(options)
  local as_of = assert(options and options.as_of, "register.certificates{as_of = DATE}")
  local list = {}
  for _, row in ipairs(data.certificates) do
    local c = certification.certificate_on(as_logged("certificates", row, as_of), as_of)
    if c then list[#list + 1] = copy(c) end
  end
  if #list == 0 then return list end
  local in_force = certification.in_force(list, as_of)
  local audits = {}
  for _, a in ipairs(register.audits(options)) do audits[#audits + 1] = a end
  for _, a in ipairs(register.planned_audits(options)) do audits[#audits + 1] = a end
  for _, c in ipairs(list) do
    c.in_force = c == in_force
    c.expired = certification.expired(c, as_of)
    c.days_to_expiry = date.days_between(as_of, c.expires_on)
    c.audits = {}
    for _, a in ipairs(audits) do
      if a.certificate_id and a.certificate_id:lower() == c.id:lower() then c.audits[#c.audits + 1] = a end
    end
    setmetatable(c, strict.certificates)
  end
  table.sort(list, function(a, b)
    if a.issued_on ~= b.issued_on then return a.issued_on > b.issued_on end
    return a.id < b.id
  end)
  return list
end

--- The rows of one table as they were on as_of, in the register's order, in the import
--- format (a risk's next review as it stood, closings after the date undone): the rows a
--- data export holds. Rows that belong to a record that did not exist yet are left out; a
--- reference to one is emptied. Without as_of, the rows as the register holds them.
function register.table_as_of(kind, as_of)
  local rows = register.ordered(kind)
  if not as_of then return rows end
  local belongs = rules.belongs_to[kind]
  local parents
  if belongs then
    parents = {}
    for _, p in ipairs(data[belongs.kind]) do
      if rules.exists(belongs.kind, p, as_of) then parents[p.id] = true end
    end
  end
  local risks_then
  if kind == "improvements" then
    risks_then = {}
    for _, r in ipairs(data.risks) do
      if rules.exists("risks", r, as_of) then risks_then[r.id] = true end
    end
  end
  local list = {}
  for _, row in ipairs(rows) do
    if not parents or parents[row[belongs.field]] then
      local latest = kind == "risks" and register.latest_assessment(row.id, as_of) or nil
      local t = rules.as_of(kind, as_logged(kind, row, as_of), as_of, latest)
      if t and risks_then and t.risk_id and not risks_then[t.risk_id] then
        if t == row then t = copy(row) end
        t.risk_id = nil
      end
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
  local counts = {}
  for _, band in ipairs(scoring.levels) do counts[band.name] = 0 end
  for _, row in ipairs(data.risks) do
    if rules.open_on("risks", row, as_of) then
      local latest = register.latest_assessment(row.id, as_of)
      if latest then
        local name = latest.residual.level.name
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

--- A file-name-safe, unique slug for each owner name: "Ana Ferreira" -> "ana-ferreira", "Con"
--- -> "_con" (riskreg.model.file_name).
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
    -- "index" or "con" would be owners/index.html or a device name: _index, as an ID would be
    slugs[name] = model.file_name(slug)
  end
  return slugs
end

-- A project's script or template that reads the register through this module reads the
-- register, as through riskreg.db: what it gets is part of the fingerprint of every page made
-- after it, and a page whose rendering does so is rendered at every build (riskreg.db.through).
-- The module's own calls, and scores() (a row's scores: nothing it was not given), go straight.
local public = {}
for name, fn in pairs(register) do
  if type(fn) == "function" and name ~= "scores" and name ~= "strict" then
    public[name] = function(...) return db.through(fn, ...) end
  else
    public[name] = fn
  end
end

return public
