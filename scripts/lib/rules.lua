-- riskreg.rules: how the register is read. The one place that says what a score, a level, the
-- appetite, the next review, a record on a past date, open, due and overdue mean, for every
-- kind of record. The site (riskreg.register), the data exports and every command (add, assess,
-- show, list, due, check, import, export) ask these functions, so a project that changes them
-- (in riskreg.lua, or with its own scripts/lib/rules.lua or scoring.lua) changes them
-- everywhere.
--
-- Each function takes a record as a plain table of its fields, named as in the register
-- (register/README.md), with NULL as nil; dates are ISO text.

local scoring = require "riskreg.scoring"
local date = require "riskreg.date"
local templates = require "riskreg.templates"

local rules = {}

-- Scores --------------------------------------------------------------------------------------

rules.scoring = scoring

--- A score as people read it: "12", "12.5" (no trailing zeros).
function rules.score_text(score)
  if score == nil then return "" end
  if math.type(score) == "integer" or (score == math.floor(score) and math.abs(score) < 1e15) then
    return string.format("%d", math.floor(score))
  end
  return (string.format("%.2f", score):gsub("0+$", ""):gsub("%.$", ""))
end

-- The score of a likelihood and impact pair with its level: one table per pair (a matrix has
-- at most 36), shared by every assessment that has it, so a register of 100,000 assessments
-- does not hold 200,000 copies of the same few. Read-only.
local pairs_scored = {}

--- The scores of a likelihood and impact pair: { likelihood, impact, score, text, level,
--- above_appetite }, where text is the score as people read it and level is the band (name,
--- max, colour, text, rank, slug).
function rules.scored(likelihood, impact)
  local key = likelihood * 64 + impact
  local p = pairs_scored[key]
  if not p then
    local score = scoring.score(likelihood, impact)
    p = setmetatable({ likelihood = likelihood, impact = impact, score = score, text = rules.score_text(score),
          level = scoring.level(score), above_appetite = scoring.above_appetite(score) }, templates.strict("scores"))
    pairs_scored[key] = p
  end
  return p
end

--- An assessment with its scores: inherent and residual added to the row itself (the residual
--- pair is the inherent one when the assessment gives none). Returns the row. The scores are a
--- function of the four ratings alone (the command line asks once per combination).
function rules.assessment(a)
  if a and not a.inherent then
    a.inherent = rules.scored(a.likelihood, a.impact)
    a.residual = rules.scored(a.residual_likelihood or a.likelihood, a.residual_impact or a.impact)
  end
  return a
end

-- Open ----------------------------------------------------------------------------------------

-- Per kind: is a record (as it is, or as it was on a date) still open, and the field holding
-- the date it is due by while open.
local open_rule = {
  risks = function(r) return r.status ~= "closed" end,
  improvements = function(i) return i.status ~= "done" and i.status ~= "rejected" end,
  nonconformities = function(n) return n.closed_on == nil end,
  review_actions = function(a) return a.status == "open" end,
  -- an acceptance in force, until it expires (it falls due on its expiry date)
  acceptances = function(a) return a.status == "accepted" end,
  -- a document in use is reviewed at intervals: it falls due on its next review date
  documents = function() return true end,
  -- a certificate in force (it falls due on its expiry date)
  certificates = function(c) return c.status == "valid" end,
}

--- Is the record still open? (Kinds without a life of their own, such as audits, are never
--- open.)
function rules.is_open(kind, row)
  local rule = open_rule[kind]
  return rule ~= nil and rule(row)
end

-- Review cadence ------------------------------------------------------------------------------

--- Days between reviews of a risk: its own review_every_days, else riskreg.lua's.
function rules.review_every(risk)
  return risk.review_every_days or scoring.review_every_days
end

--- The next review of a risk last assessed on assessed_on (nil: never assessed, counted from
--- created_on); nil when the risk is closed.
function rules.next_review(risk, assessed_on)
  if not rules.is_open("risks", risk) then return nil end
  local from = assessed_on or risk.created_on
  if from == nil then return nil end
  return date.add_days(from, rules.review_every(risk))
end

-- Point in time -------------------------------------------------------------------------------

local function after(d, as_of) return d ~= nil and d > as_of end

local function copy(row)
  local t = {}
  for k, v in pairs(row) do t[k] = v end
  return t
end

-- Per kind: the field a record starts on, and how a record looked on a date before it closed.
-- A closing after the date is not known yet on that date.
local lifecycle = {
  risks = { starts = "created_on", ends = "closed_on", rewind = function(r, as_of)
    if after(r.closed_on, as_of) then
      r.closed_on = nil
      r.status = "open"
    end
  end },
  assessments = { starts = "assessed_on" },
  improvements = { starts = "raised_on", ends = "done_on", rewind = function(i, as_of)
    if after(i.done_on, as_of) then
      i.done_on = nil
      i.status = "in_progress"
    end
  end },
  -- an audit held exists from the day it was held; a planned one (no held_on) is in the
  -- programme whatever the date
  audits = { starts = "held_on" },
  readiness = { starts = "assessed_on" },
  nonconformities = { starts = "raised_on", ends = "closed_on", rewind = function(n, as_of)
    if after(n.closed_on, as_of) then
      n.closed_on = nil
      n.effective = nil
    end
  end },
  measurements = { starts = "measured_on" },
  review_actions = { ends = "closed_on", rewind = function(a, as_of)
    if after(a.closed_on, as_of) then
      a.closed_on = nil
      a.status = "open"
    end
  end },
  -- an acceptance exists once asked for; before it was granted it was only requested
  acceptances = { starts = "requested_on", rewind = function(a, as_of)
    if a.status == "expired" and a.expires_on >= as_of then a.status = "accepted" end
    if after(a.accepted_on, as_of) and a.status == "accepted" then a.status = "requested" end
  end },
  review_decisions = {},
  -- a review exists once planned (or, recorded only when held, from then); before it was held
  -- it was only planned
  reviews = { starts = function(r) return r.planned_on or r.held_on end, rewind = function(r, as_of)
    if after(r.held_on, as_of) then
      r.held_on = nil
      r.status = "planned"
    end
  end },
}

--- Did the record exist on as_of (its start date on or before it)? Records that belong to
--- another (review inputs and actions) exist when it does: see rules.belongs_to.
function rules.exists(kind, row, as_of)
  local l = lifecycle[kind]
  local starts = l and l.starts
  if type(starts) == "function" then return not after(starts(row), as_of) end
  return not (starts and after(row[starts], as_of))
end

--- Was the review held on or before as_of?
function rules.held(review, as_of)
  return review.held_on ~= nil and review.held_on <= as_of
end

--- Was the record open on as_of: it existed, and it had not closed on or before that day?
function rules.open_on(kind, row, as_of)
  if not rules.exists(kind, row, as_of) then return false end
  local l = lifecycle[kind]
  local ended = l and l.ends and row[l.ends]
  if ended then return ended > as_of end
  return rules.is_open(kind, row)
end

--- The record to which a row of a kind belongs on a date, when the row exists only with it:
--- the kind and the field naming it ("assessments" belong to "risks" by risk_id).
rules.belongs_to = {
  assessments = { kind = "risks", field = "risk_id" },
  acceptances = { kind = "risks", field = "risk_id" },
  measurements = { kind = "kpis", field = "kpi_id" },
  readiness = { kind = "requirements", field = "requirement_id" },
  review_inputs = { kind = "reviews", field = "review_id" },
  review_actions = { kind = "reviews", field = "review_id" },
  review_decisions = { kind = "reviews", field = "review_id" },
}

--- The record as it was on as_of: nil when it did not exist yet; else the row itself when
--- nothing was different then, or a copy with its closing undone and, for a risk, its next
--- review as it stood (latest: the risk's latest assessment on or before as_of, or nil). On
--- today or later a risk keeps the review date the register holds (it may have been moved by
--- hand).
function rules.as_of(kind, row, as_of, latest)
  if not rules.exists(kind, row, as_of) then return nil end
  local l = lifecycle[kind]
  local t = row
  if l and l.rewind then
    t = copy(row)
    l.rewind(t, as_of)
  end
  if kind == "risks" then
    if t == row then t = copy(row) end
    t.next_review_on = rules.review_on(t, as_of, latest)
  end
  return t
end

local today = date.today() -- once: a command or a build is of one day

--- The date a risk (as it was on as_of) is due for review: nil when closed; the register's
--- date on today or later when it holds one; else its latest assessment on or before as_of
--- (or its creation) plus its cadence.
function rules.review_on(risk, as_of, latest)
  if not rules.is_open("risks", risk) then return nil end
  if risk.next_review_on and as_of >= today then return risk.next_review_on end
  return rules.next_review(risk, latest and latest.assessed_on)
end

-- Due and overdue ----------------------------------------------------------------------------

local due_field = {
  improvements = "due_on", nonconformities = "due_on", review_actions = "due_on",
  acceptances = "expires_on", documents = "next_review_on", certificates = "expires_on",
}

--- The date an open record is due by on as_of (a risk: its next review; others: due_on), or
--- nil when it is not open or has no date. latest: a risk's latest assessment on or before
--- as_of.
function rules.due_on(kind, row, as_of, latest)
  if kind == "risks" then return rules.review_on(row, as_of, latest) end
  local field = due_field[kind]
  if not field or not rules.is_open(kind, row) then return nil end
  return row[field]
end

--- Days by which an open record is overdue on as_of (a positive number), or nil when it is not.
function rules.overdue_days(kind, row, as_of, latest)
  local due = rules.due_on(kind, row, as_of, latest)
  if due and due < as_of then return date.days_between(due, as_of) end
  return nil
end

--- Days until an open record is due on as_of (negative: overdue), with the date; nil when
--- nothing is due.
function rules.due_in(kind, row, as_of, latest)
  local due = rules.due_on(kind, row, as_of, latest)
  if not due then return nil end
  return date.days_between(as_of, due), due
end

-- Planned treatment --------------------------------------------------------------------------

--- The date a risk's planned treatment (action_plan) is due by: its target_on while the risk is
--- open or treating; nil when it has none, or is accepted or closed (no treatment is still to
--- be done).
function rules.plan_due_on(risk)
  if not rules.is_open("risks", risk) or risk.status == "accepted" then return nil end
  return risk.target_on
end

--- Days by which a risk's planned treatment is overdue on as_of (a positive number), or nil.
function rules.plan_overdue_days(risk, as_of)
  local due = rules.plan_due_on(risk)
  if due and due < as_of then return date.days_between(due, as_of) end
  return nil
end

--- Days until a risk's planned treatment is due on as_of (negative: overdue), with the date;
--- nil when none is due.
function rules.plan_due_in(risk, as_of)
  local due = rules.plan_due_on(risk)
  if not due then return nil end
  return date.days_between(as_of, due), due
end

--- A record's state on a date, for the command line, in one call: open, then the days until it
--- is due (negative: overdue) and the date, or nil when nothing is due; for a risk, then the
--- same for its planned treatment (rules.plan_due_in). latest: a risk's latest assessment on or
--- before the date.
function rules.state(kind, row, on, latest)
  local days, due = rules.due_in(kind, row, on, latest)
  if kind == "risks" then
    local plan_days, plan_due = rules.plan_due_in(row, on)
    return rules.is_open(kind, row), days, due, plan_days, plan_due
  end
  return rules.is_open(kind, row), days, due
end

--- The kinds that fall due, for due and check: risks (reviews and treatment plans), acceptances
--- (their expiry), improvements, nonconformities, review actions, documents (their next
--- review), certificates (their expiry).
rules.due_kinds = { "risks", "acceptances", "improvements", "nonconformities", "review_actions",
  "documents", "certificates" }

-- Acceptance ----------------------------------------------------------------------------------

--- Is the acceptance in force on as_of: granted on or before it, and as_of no later than its
--- expiry date (an acceptance holds until the end of the day it expires)?
function rules.acceptance_valid(acc, as_of)
  return acc.status == "accepted" and acc.accepted_on ~= nil and acc.accepted_on <= as_of
    and acc.expires_on >= as_of
end

--- Has the acceptance run out on as_of (its expiry passed, or marked expired)?
function rules.acceptance_expired(acc, as_of)
  return acc.status == "expired" or (acc.status == "accepted" and acc.expires_on < as_of)
end

--- Days before its expiry from which an acceptance is asked about again.
rules.expiring_days = 30

--- Days before its expiry from which a certificate in force is flagged (riskreg check): time to
--- hold the recertification audit before it runs out.
rules.certificate_expiring_days = 90

--- Is the acceptance in force but expiring within rules.expiring_days of as_of?
function rules.acceptance_expiring(acc, as_of)
  return rules.acceptance_valid(acc, as_of)
    and acc.expires_on <= date.add_days(as_of, rules.expiring_days)
end

-- Effectiveness -------------------------------------------------------------------------------

--- Did a risk's treatment work? treatment: the improvements linked to the risk (as on as_of);
--- assessments: the risk's assessments on or before as_of, oldest first. Nil when the risk has
--- no treatment or some of it is still to do (rejected improvements do not count). Else
--- { verdict, done_on, before, after, due_on }: verdict is "effective" when the residual score
--- fell after the treatment was done, "not effective" when it is the same or higher a full
--- review cycle (the risk's cadence) after it, "too early" before then, and "not known" when
--- the risk was not assessed before it; before is the latest assessment on or before the day
--- the last improvement was done, after the latest one since; due_on is the day a verdict is
--- due at the latest.
function rules.treatment_effect(risk, treatment, assessments, as_of)
  local done_on
  for _, i in ipairs(treatment) do
    if i.status ~= "rejected" then
      if i.status ~= "done" or not i.done_on or i.done_on > as_of then return nil end
      if not done_on or i.done_on > done_on then done_on = i.done_on end
    end
  end
  if not done_on then return nil end
  local before, since
  for _, a in ipairs(assessments) do
    if a.assessed_on <= done_on then before = a elseif a.assessed_on <= as_of then since = a end
  end
  local due_on = date.add_days(done_on, rules.review_every(risk))
  local verdict = "too early"
  if before and since then
    rules.assessment(before)
    rules.assessment(since)
    if since.residual.score < before.residual.score then
      verdict = "effective"
    elseif since.assessed_on >= due_on then
      verdict = "not effective"
    end
  elseif not before then
    verdict = "not known"
  end
  return { verdict = verdict, done_on = done_on, before = before, after = since, due_on = due_on }
end

--- How many days after closing a nonconformity's corrective action should have been checked
--- for effectiveness (riskreg.lua: nonconformity = { check_within_days = 90 }).
local settings = require "riskreg.settings"
rules.check_within_days = (settings.values.nonconformity or {}).check_within_days or 90
if rules.check_within_days < 0 or rules.check_within_days > 3660 then
  settings.fail("nonconformity.check_within_days must be a whole number of days from 0 to 3660",
    "check_within_days")
end

--- A KPI's trend judged by its direction: "better", "worse" or "steady".
function rules.kpi_judged(trend, direction)
  if trend == "steady" or trend == nil then return "steady" end
  local up_is_good = direction ~= "lower"
  if (trend == "rising") == up_is_good then return "better" end
  return "worse"
end

--- A nonconformity closed without an effectiveness check for longer than `within` days: the
--- days since it closed, else nil.
function rules.unchecked_days(nc, as_of, within)
  if not nc.closed_on or nc.closed_on > as_of or nc.effective ~= nil then return nil end
  local days = date.days_between(nc.closed_on, as_of)
  if days > within then return days end
  return nil
end

return rules
