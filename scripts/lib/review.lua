-- riskreg.review: the management review pack as data. One function says what each input of
-- ISO/IEC 20000-1:2018 clause 9.3 shows on a date; the pack page (review/index.html, the
-- pre-read of the review being prepared) renders it with its charts, and holding a review
-- (riskreg review hold) freezes it as plain tables (review.frozen) into the register, from
-- which the review's record page (review/MR-NNN.html) is made ever after.
--
-- The narrative of each input comes from one review only: the one the pack is for. The
-- pre-read takes the inputs recorded so far for the next planned review, never those of a
-- review already held, so a narrative and the figures beside it are of the same date.

local date = require "riskreg.date"
local register = require "riskreg.register"
local scoring = require "riskreg.scoring"
local figures = require "riskreg.figures"
local format = require "lib.format"
local certification = require "riskreg.certification"

local review = {}

--- The inputs of clause 9.3, in the order of the standard: name (as review_inputs.input),
--- clause and title.
review.inputs = {
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

local count, filter = figures.count, figures.filter

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

--- The period a date falls in: { label = "2026-Q4", first, last, previous, previous_as_of }.
function review.period_of(as_of)
  local p = assert(date.period(date.quarter(as_of)))
  p.previous_as_of = date.add_days(p.first, -1)
  return p
end

--- The pack's data on m.as_of (m: a model of riskreg.figures) for the review `for_review` (a
--- review view of riskreg.register, or nil): { review, period_first, summary, decisions,
--- since, sections = { { name, clause, title, narrative, data }, ... } }. Actions of every
--- review held before for_review (every one held by the date for a pre-read) are shown open
--- or closed since the last review held. changes: riskreg.register.changes from the period
--- before.
function review.pack(m, options)
  local as_of = m.as_of
  local for_review = options.review
  local period_first = options.period_first
  local changes = options.changes
  local year_ago = date.add_days(as_of, -365)
  local quarters = register.quarters(as_of, 4)

  -- a) actions of the reviews held before this one, open or closed since the last of them
  local earlier_reviews, last_held = {}, nil
  for _, r in ipairs(m.reviews) do
    if not for_review or r.id ~= for_review.id then
      earlier_reviews[r.id] = true
      if not last_held or r.held_on > last_held then last_held = r.held_on end
    end
  end
  local since = last_held or period_first
  local earlier = filter(m.actions, function(a) return earlier_reviews[a.review_id] end)
  local previous_actions = {
    since = since,
    list = filter(earlier, function(a) return a.open or (a.closed_on and a.closed_on > since) end),
    open = count(earlier, function(a) return a.open end),
    overdue = count(earlier, function(a) return a.overdue end),
    done = count(earlier, function(a) return a.status == "done" end),
    dropped = count(earlier, function(a) return a.status == "dropped" end),
    total = #earlier,
  }
  -- c1) nonconformities per quarter, and their corrective actions' effectiveness
  local ncs = m.nonconformities
  for _, q in ipairs(quarters) do
    q.raised = count(ncs, function(n) return n.raised_on >= q.first and n.raised_on <= q.as_of end)
    q.major = count(ncs, function(n)
      return n.severity == "major" and n.raised_on >= q.first and n.raised_on <= q.as_of
    end)
    q.closed = count(ncs, function(n) return n.closed_on and n.closed_on >= q.first and n.closed_on <= q.as_of end)
  end
  local nc = {
    quarters = quarters,
    open = count(ncs, function(n) return n.open end),
    overdue = count(ncs, function(n) return n.overdue end),
    effective = count(ncs, function(n) return n.effective == "yes" end),
    ineffective = count(ncs, function(n) return n.effective == "no" end),
    checks = filter(ncs, function(n) return n.checked_on ~= nil and n.checked_on > year_ago end),
    unchecked = filter(ncs, function(n) return n.unchecked_days ~= nil end),
    check_within_days = require("riskreg.rules").check_within_days,
    total = #ncs,
  }
  -- c3) audits of the last twelve months, and the audit programme: what the internal audits
  -- covered in their cycle, and the audits planned
  local audits = filter(m.audits, function(a) return a.held_on > year_ago end)
  local requirements = m.requirements or {}
  local assessable = filter(requirements, function(r) return r.assessable ~= "no" end)
  local planned = m.planned or {}
  -- per top clause: how many of its requirements the cycle's internal audits did not cover, and
  -- the audits planned that will (one row a clause: the pack stays short)
  local clauses, by_top, by_id = {}, {}, {}
  for _, r in ipairs(requirements) do by_id[r.id] = r end
  for _, r in ipairs(assessable) do
    local c = by_top[r.top]
    if not c then
      local top = by_id[r.top] or r
      c = { clause = top.clause, heading = top.heading, id = top.id, total = 0, not_covered = 0, planned = {} }
      by_top[r.top] = c
      clauses[#clauses + 1] = c
    end
    c.total = c.total + 1
    if not r.in_cycle then
      c.not_covered = c.not_covered + 1
      local next = r.next_audit
      if next and not c.planned[next.id] then
        c.planned[next.id] = true
        c.planned[#c.planned + 1] = next
      end
    end
  end
  local audit_results = {
    audits = audits, planned = planned,
    coverage = #assessable > 0 and {
      total = #assessable,
      covered = count(assessable, function(r) return r.in_cycle end),
      not_covered = filter(assessable, function(r) return not r.in_cycle end),
      clauses = filter(clauses, function(c) return c.not_covered > 0 end),
      cycle_years = certification.cycle_years, cycle_start = certification.cycle_start(as_of),
    } or false,
  }
  -- the readiness for certification: the share conforming and the open gaps
  local readiness = false
  if #assessable > 0 then
    local gaps = register.gaps(requirements)
    readiness = {
      conforming = count(requirements, function(r) return r.conforming end),
      applicable = count(requirements, function(r) return r.applicable end),
      gaps = gaps,
      overdue = filter(gaps, function(r) return r.readiness ~= nil and r.readiness.overdue end),
    }
  end
  -- d) improvements
  local improvements = m.improvements
  local throughput = register.quarters(as_of, 8)
  for _, q in ipairs(throughput) do
    q.raised = count(improvements, function(i) return i.raised_on >= q.first and i.raised_on <= q.as_of end)
    q.done = count(improvements, function(i)
      return i.status == "done" and i.done_on and i.done_on >= q.first and i.done_on <= q.as_of
    end)
  end
  local imp = {
    throughput = throughput, readiness = readiness, total = #improvements,
    open = count(improvements, function(i) return i.open end),
    overdue = count(improvements, function(i) return i.overdue end),
    proposed = filter(improvements, function(i) return i.status == "proposed" end),
    done = filter(improvements, function(i) return i.status == "done" and i.done_on >= period_first end),
  }
  -- e) customers: customer KPIs, complaints, improvements from customers, in the last year
  local customer = {
    kpis = filter(m.kpis, function(k) return k.kind == "customer" end),
    complaints = filter(ncs, function(n) return n.source == "complaint" and n.raised_on > year_ago end),
    improvements = filter(improvements, function(i) return i.source == "customer" and i.raised_on > year_ago end),
  }
  -- g, h, i) KPIs by kind
  local objectives = filter(m.kpis, function(k) return k.kind == "objective" end)
  local services = group_by(filter(m.kpis, function(k) return k.kind == "service" end), "service")
  local parties = group_by(filter(m.kpis, function(k) return k.kind == "supplier" end), "party")
  -- k) risks, and whether their treatment worked
  local open = filter(m.risks, function(r) return r.open end)
  local treated = filter(improvements, function(i) return i.risk_id ~= nil end)
  local summary = options.summary or figures.summary(m, period_first)
  local risks = {
    open = open,
    figures = summary.risks, levels = scoring.levels,
    above = filter(open, function(r) return r.above_appetite end),
    escalated = changes and changes.escalated or {}, deescalated = changes and changes.deescalated or {},
    treated = treated,
    treated_done = count(treated, function(i) return i.status == "done" end),
    effects = filter(open, function(r) return r.effect ~= nil end),
    accepted = filter(open, function(r) return r.acceptance ~= nil end),
  }

  local data = {
    previous_actions = previous_actions.total > 0 and previous_actions or nil,
    nonconformity_trends = nc.total > 0 and nc or nil,
    measurement_trends = #m.kpis > 0 and { kpis = m.kpis } or nil,
    audit_results = (#audits > 0 or #planned > 0 or audit_results.coverage) and audit_results or nil,
    improvement_opportunities = (#improvements > 0 or readiness) and imp or nil,
    customer_feedback = (#customer.kpis + #customer.complaints + #customer.improvements > 0) and customer or nil,
    objectives = #objectives > 0 and objectives or nil,
    service_performance = #services > 0 and services or nil,
    other_parties = #parties > 0 and parties or nil,
    risks = #m.risks > 0 and risks or nil,
  }
  local sections = {}
  for i, input in ipairs(review.inputs) do
    sections[i] = {
      name = input.name, clause = input.clause, title = input.title,
      narrative = for_review and for_review.inputs[input.name] or nil,
      data = data[input.name],
    }
  end
  return { review = for_review, as_of = as_of, period_first = period_first, summary = summary,
           decisions = m.decisions, since = since, year_ago = year_ago, sections = sections }
end

-- Frozen: plain tables --------------------------------------------------------------------------

local function n(v) return v == nil and "–" or format.number(v) end
local function kpi_rows(kpis)
  local rows = {}
  for _, k in ipairs(kpis) do
    rows[#rows + 1] = {
      k.id .. " " .. k.name,
      k.latest and format.value(k.latest.value, k.unit) or "–",
      k.target and ((k.direction == "lower" and "≤ " or "≥ ") .. format.value(k.target, k.unit)) or "–",
      k.met == true and "yes" or k.met == false and "no" or "–",
      k.judged,
    }
  end
  return { columns = { "KPI", "Latest", "Target", "On target", "Trend" }, rows = rows }
end

local function table_of(caption, columns, list, row)
  local rows = {}
  for _, item in ipairs(list) do rows[#rows + 1] = row(item) end
  return { caption = caption, columns = columns, rows = rows }
end

-- Each section's figures as facts ({ label, value }) and tables ({ caption, columns, rows }).
local freezers = {
  previous_actions = function(d)
    return {
      facts = { { "Actions from earlier reviews", d.total }, { "Done", d.done }, { "Dropped", d.dropped },
                { "Open", d.open }, { "Overdue", d.overdue } },
      tables = { table_of("Open, or closed since " .. d.since,
        { "ID", "Action", "Owner", "Review", "Due", "Status" }, d.list, function(a)
          return { a.id, a.text, a.owner or "–", a.review_id, a.due_on or "–",
                   a.status .. (a.closed_on and (" " .. a.closed_on) or "")
                   .. (a.overdue and (" (overdue " .. format.days(a.overdue_days) .. ")") or "") }
        end) },
    }
  end,
  nonconformity_trends = function(d)
    return {
      facts = { { "Raised", d.total }, { "Open", d.open }, { "Overdue", d.overdue },
                { "Checked effective", d.effective }, { "Checked not effective", d.ineffective },
                { "Closed without a check", #d.unchecked } },
      tables = {
        table_of("Per quarter", { "Quarter", "Raised", "Of which major", "Closed" }, d.quarters,
          function(q) return { q.label, q.raised, q.major, q.closed } end),
        table_of("Effectiveness checks of the last twelve months",
          { "ID", "Nonconformity", "Checked", "By", "Result" }, d.checks, function(c)
            return { c.id, c.title, c.checked_on, c.checked_by or "–", c.effective or "–" }
          end),
      },
    }
  end,
  measurement_trends = function(d) return { tables = { kpi_rows(d.kpis) } } end,
  audit_results = function(d)
    local facts, c = {}, d.coverage
    if c then
      facts = { { "Requirements audited internally in the last " .. c.cycle_years .. " years", c.covered },
                { "Not covered in the cycle", #c.not_covered }, { "Audits planned", #d.planned } }
    end
    local tables = { table_of("Audits of the last twelve months",
      { "Audit", "Kind", "Held", "Findings", "Still open" }, d.audits, function(a)
        return { a.id .. " " .. a.title, a.kind, a.held_on, #a.findings,
                 count(a.findings, function(f) return f.open end) }
      end) }
    if #d.planned > 0 then
      tables[#tables + 1] = table_of("Audits planned", { "Audit", "Kind", "Planned", "Requirements in scope" },
        d.planned, function(a) return { a.id .. " " .. a.title, a.kind, a.planned_on, a.requirements or "–" } end)
    end
    if c and #c.not_covered > 0 then
      tables[#tables + 1] = table_of("Not covered by an internal audit since " .. c.cycle_start,
        { "Clause", "Not covered", "Of", "Planned" }, c.clauses, function(row)
          local ids = {}
          for i, a in ipairs(row.planned) do ids[i] = a.id .. " " .. a.planned_on end
          return { row.clause .. " " .. row.heading, row.not_covered, row.total,
                   #ids > 0 and table.concat(ids, ", ") or "not planned" }
        end)
    end
    return { facts = facts, tables = tables }
  end,
  improvement_opportunities = function(d)
    local facts = { { "Open", d.open }, { "Overdue", d.overdue }, { "Completed this period", #d.done },
                    { "Awaiting approval", #d.proposed } }
    local r = d.readiness
    if r then
      facts[#facts + 1] = { "Requirements conforming", r.conforming }
      facts[#facts + 1] = { "Requirements that apply", r.applicable }
      facts[#facts + 1] = { "Open readiness gaps", #r.gaps }
      facts[#facts + 1] = { "Gaps past their target", #r.overdue }
    end
    local tables = {
      table_of("Awaiting a decision", { "ID", "Improvement", "Owner", "Raised" }, d.proposed,
        function(i) return { i.id, i.title, i.owner or "–", i.raised_on } end),
      table_of("Completed this period", { "ID", "Improvement", "Owner", "Done" }, d.done,
        function(i) return { i.id, i.title, i.owner or "–", i.done_on } end),
      table_of("Raised and completed per quarter", { "Quarter", "Raised", "Completed" }, d.throughput,
        function(q) return { q.label, q.raised, q.done } end),
    }
    if r and #r.gaps > 0 then
      tables[#tables + 1] = table_of("Readiness gaps", { "Requirement", "Status", "Improvement", "Owner", "Target" },
        r.gaps, function(g)
          local a = g.readiness
          local late = a and a.overdue and (" (overdue " .. format.days(a.overdue_days) .. ")") or ""
          return { g.clause .. " " .. g.heading, g.word, a and a.improvement_id or "–", a and a.owner or "–",
                   (a and a.target_on or "–") .. late }
        end)
    end
    return { facts = facts, tables = tables }
  end,
  customer_feedback = function(d)
    local t = kpi_rows(d.kpis)
    t.caption = "Customer KPIs"
    return {
      facts = { { "Complaints in the last twelve months", #d.complaints },
                { "Improvements raised from customer feedback", #d.improvements } },
      tables = { t, table_of("Complaints", { "ID", "Complaint", "Raised", "Open" }, d.complaints,
        function(c) return { c.id, c.title, c.raised_on, c.open and "yes" or "no" } end) },
    }
  end,
  objectives = function(d) return { tables = { kpi_rows(d) } } end,
  service_performance = function(d)
    local tables = {}
    for _, g in ipairs(d) do
      local t = kpi_rows(g.items)
      t.caption = g.name
      tables[#tables + 1] = t
    end
    return { tables = tables }
  end,
  risks = function(d)
    local f = d.figures
    local levels = { columns = {}, rows = { {} }, caption = "Open risks by residual level" }
    for i = #d.levels, 1, -1 do
      levels.columns[#levels.columns + 1] = d.levels[i].name
      levels.rows[1][#levels.rows[1] + 1] = f.by_level[d.levels[i].name] or 0
    end
    return {
      facts = { { "Open risks and opportunities", f.open }, { "Above the appetite", f.above_appetite },
                { "Escalated", f.escalated }, { "De-escalated", f.deescalated },
                { "Reviews overdue", f.overdue_reviews }, { "Accepted", f.accepted } },
      tables = {
        levels,
        table_of("Above the appetite", { "ID", "Risk", "Owner", "Residual" }, d.above, function(r)
          return { r.id, r.title, r.owner or "–", r.residual.level.name .. " " .. r.residual.text } end),
        table_of("Effectiveness of treatment", { "ID", "Risk", "Treatment done", "Before", "After", "Verdict" },
          d.effects, function(r)
            local e = r.effect
            return { r.id, r.title, e.done_on,
                     e.before and (e.before.residual.text .. " on " .. e.before.assessed_on) or "–",
                     e.after and (e.after.residual.text .. " on " .. e.after.assessed_on) or "–",
                     e.verdict }
          end),
      },
    }
  end,
}
freezers.other_parties = freezers.service_performance

--- A pack as plain data for keeping: { review, as_of, period, summary, decisions = { { id,
--- kind, title, reasons = { text, ... } } }, sections = { { name, clause, title, narrative,
--- facts = { { label, value } }, tables = { { caption, columns, rows } } } } }.
function review.frozen(pack, period)
  local out = { review = pack.review and pack.review.id or nil, as_of = pack.as_of, period = period,
                summary = pack.summary, decisions = {}, sections = {} }
  for _, d in ipairs(pack.decisions) do
    local reasons = {}
    for i, r in ipairs(d.reasons) do reasons[i] = r.text end
    out.decisions[#out.decisions + 1] = { id = d.id, kind = d.kind, title = d.title, reasons = reasons }
  end
  for i, s in ipairs(pack.sections) do
    local f = s.data and freezers[s.name] and freezers[s.name](s.data) or {}
    local facts = {}
    for j, fact in ipairs(f.facts or {}) do facts[j] = { label = fact[1], value = n(fact[2]) } end
    local tables = {}
    for _, t in ipairs(f.tables or {}) do
      local rows = {}
      for r, row in ipairs(t.rows) do
        rows[r] = {}
        for c, v in ipairs(row) do rows[r][c] = type(v) == "number" and format.number(v) or tostring(v) end
      end
      tables[#tables + 1] = { caption = t.caption, columns = t.columns, rows = rows }
    end
    out.sections[i] = { name = s.name, clause = s.clause, title = s.title, narrative = s.narrative,
                        facts = facts, tables = tables }
  end
  return out
end

--- The frozen figures of review `id` as its pack showed them on the day it was held (as_of,
--- default its held_on): the table review.frozen gives. For riskreg review hold.
function review.freeze(id, as_of)
  local this = assert(register.review(id), "no review " .. id)
  as_of = as_of or this.held_on
  local period = review.period_of(as_of)
  local m = figures.model(as_of, period.previous_as_of)
  -- held on as_of: the reviews held before it are the earlier ones
  m.reviews = filter(m.reviews, function(r) return r.held_on < as_of end)
  local pack = review.pack(m, {
    review = this, period_first = period.first,
    changes = register.changes { from = period.previous_as_of, to = as_of },
  })
  local frozen = review.frozen(pack, period.label)
  register.forget_views()
  return frozen
end

--- The corrections made to what a held review's figures were drawn from: change-log entries
--- after its figures were frozen (after_seq) to rows dated on or before the day it was held
--- (a back-dated assessment or measurement, a completion or closing moved earlier). Each
--- { seq, at, actor, kind, record_id, row_key, operation, note, fields }.
function review.corrections(entries, held_on)
  local json = require "riskreg.json"
  local out = {}
  local function dated(row)
    if not row then return false end
    for k, v in pairs(row) do
      if type(v) == "string" and k:match("_on$") and k ~= "next_review_on" and k ~= "due_on"
          and k ~= "expires_on" and k ~= "planned_on" and v <= held_on then
        return true
      end
    end
    return false
  end
  for _, e in ipairs(entries) do
    local before = e.before and json.decode(e.before) or nil
    local after = e.after and json.decode(e.after) or nil
    local changed = {}
    if before and after then
      for k, v in pairs(after) do if before[k] ~= v then changed[#changed + 1] = k end end
      for k in pairs(before) do if after[k] == nil then changed[#changed + 1] = k end end
      table.sort(changed)
    end
    local touches_past = false
    if e.operation == "insert" then
      touches_past = dated(after) and not (after.held_on == nil and after.planned_on ~= nil)
    elseif e.operation == "delete" then
      touches_past = dated(before)
    else
      -- an update: a date moved to on or before the day, or a dated observation's value
      for _, k in ipairs(changed) do
        local old, new = before[k], after[k]
        if k:match("_on$") and k ~= "next_review_on" and k ~= "due_on" and k ~= "expires_on"
            and ((type(old) == "string" and old <= held_on) or (type(new) == "string" and new <= held_on)) then
          touches_past = true
        end
      end
      if not touches_past and (e.kind == "assessment" or e.kind == "measurement") then
        touches_past = dated(before)
      end
    end
    if touches_past and e.kind ~= "review" and e.kind ~= "review_snapshot"
        and e.kind ~= "review_decision" and e.kind ~= "review_input" and e.kind ~= "setting" then
      out[#out + 1] = { seq = e.seq, at = e.at, actor = e.actor, kind = e.kind, record_id = e.record_id,
                        row_key = e.row_key, operation = e.operation, note = e.note,
                        fields = table.concat(changed, ", ") }
    end
  end
  return out
end

return review
