-- riskreg.figures: the register on a date as the pages read it (the model), and its headline
-- figures, in the shape of data/summary.json (register/README.md documents it). The dashboard,
-- the review pack and the frozen record of a held review all count from here.

local register = require "riskreg.register"
local decisions = require "riskreg.decisions"

local figures = {}

local function count(list, keep)
  local n = 0
  for _, item in ipairs(list) do
    if keep(item) then n = n + 1 end
  end
  return n
end
figures.count = count

local function filter(list, keep)
  local out = {}
  for _, item in ipairs(list) do
    if keep(item) then out[#out + 1] = item end
  end
  return out
end
figures.filter = filter

--- The register as of a date (with previous, the risks compared with the end of the period
--- before): { as_of, risks, improvements, nonconformities, audits, kpis, reviews, actions,
--- acceptances, decisions } as riskreg.register gives them; decisions is what needs one
--- (riskreg.decisions).
function figures.model(as_of, previous)
  local m = {
    as_of = as_of,
    risks = register.risks { as_of = as_of, previous = previous },
    improvements = register.improvements { as_of = as_of },
    nonconformities = register.nonconformities { as_of = as_of },
    audits = register.audits { as_of = as_of },
    kpis = register.kpis { as_of = as_of },
    reviews = register.reviews { as_of = as_of },
    actions = register.actions { as_of = as_of },
    acceptances = register.acceptances { as_of = as_of },
  }
  m.decisions = decisions.sought(m, as_of)
  return m
end

--- The headline figures of a model, for the period from first to its date.
function figures.summary(m, first)
  local as_of = m.as_of
  local in_period = function(d) return d ~= nil and d >= first and d <= as_of end
  local risks = m.risks
  local open_risks = filter(risks, function(r) return r.open end)
  local acceptance_of = {}
  for _, r in ipairs(open_risks) do
    if r.acceptance then acceptance_of[#acceptance_of + 1] = r.acceptance end
  end
  local overdue = {
    risk_reviews = count(risks, function(r) return r.overdue end),
    -- a risk's planned treatment past its target date while the risk is open or treating
    treatment_plans = count(risks, function(r) return r.plan_overdue end),
    improvements = count(m.improvements, function(i) return i.overdue end),
    corrective_actions = count(m.nonconformities, function(n) return n.overdue end),
    review_actions = count(m.actions, function(a) return a.overdue end),
    acceptances = count(acceptance_of, function(a) return a.expired end),
  }
  overdue.total = overdue.risk_reviews + overdue.treatment_plans + overdue.improvements + overdue.corrective_actions
    + overdue.review_actions + overdue.acceptances
  local by_reason = decisions.count_reasons(m.decisions)
  return {
    risks = {
      open = #open_risks,
      by_level = register.level_counts(risks),
      above_appetite = count(risks, function(r) return r.above_appetite end),
      overdue_reviews = overdue.risk_reviews,
      opportunities_open = count(open_risks, function(r) return r.opportunity end),
      new_in_period = count(risks, function(r) return in_period(r.created_on) end),
      closed_in_period = count(risks, function(r) return in_period(r.closed_on) end),
      escalated = count(risks, function(r)
        return r.open and r.existed_before and (r.level_change or 0) > 0 end),
      deescalated = count(risks, function(r)
        return r.open and r.existed_before and (r.level_change or 0) < 0 end),
      accepted = count(open_risks, function(r) return r.accepted end),
      treatment_not_effective = count(open_risks, function(r)
        return r.effect ~= nil and r.effect.verdict == "not effective" end),
    },
    improvements = {
      open = count(m.improvements, function(i) return i.open end),
      overdue = overdue.improvements,
      awaiting_approval = count(m.improvements, function(i) return i.status == "proposed" end),
      done_in_period = count(m.improvements, function(i)
        return i.status == "done" and in_period(i.done_on) end),
    },
    nonconformities = {
      open = count(m.nonconformities, function(n) return n.open end),
      overdue = overdue.corrective_actions,
      major_overdue = count(m.nonconformities, function(n) return n.severity == "major" and n.overdue end),
      raised_in_period = count(m.nonconformities, function(n) return in_period(n.raised_on) end),
      effective = count(m.nonconformities, function(n) return n.effective == "yes" end),
      not_effective = count(m.nonconformities, function(n) return n.effective == "no" end),
      unchecked = count(m.nonconformities, function(n) return n.unchecked_days ~= nil end),
    },
    review_actions = {
      open = count(m.actions, function(a) return a.open end),
      overdue = overdue.review_actions,
    },
    acceptances = {
      valid = count(acceptance_of, function(a) return a.valid end),
      expiring = count(acceptance_of, function(a) return a.expiring end),
      expired = overdue.acceptances,
      requested = count(m.acceptances, function(a) return a.status == "requested" end),
    },
    overdue = overdue,
    decisions = {
      total = #m.decisions,
      above_appetite = by_reason.above_appetite or 0,
      acceptance_expired = by_reason.acceptance_expired or 0,
      acceptance_expiring = by_reason.acceptance_expiring or 0,
      acceptance_requested = by_reason.acceptance_requested or 0,
      score_rose = by_reason.score_rose or 0,
      treatment_overdue = by_reason.treatment_overdue or 0,
      treatment_not_effective = by_reason.treatment_not_effective or 0,
      awaiting_approval = by_reason.awaiting_approval or 0,
      major_overdue = by_reason.major_overdue or 0,
      action_overdue = by_reason.action_overdue or 0,
    },
  }
end

return figures
