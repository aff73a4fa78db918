-- riskreg.figures: the register on a date as the pages read it (the model), and its headline
-- figures, in the shape of data/summary.json (register/README.md documents it). The dashboard,
-- the review pack and the frozen record of a held review all count from here.

local register = require "riskreg.register"
local decisions = require "riskreg.decisions"
local certification = require "riskreg.certification"

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
--- acceptances, requirements, documents, certificates, planned, decisions, standing } as
--- riskreg.register gives them; planned is the audits planned on the date, decisions is what
--- needs one (riskreg.decisions), standing where certification stands
--- (riskreg.certification.standing).
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
    -- the way to certification: the requirements' readiness and the programme's coverage, the
    -- documented information, the certificates and the audits planned on the date
    requirements = register.requirements { as_of = as_of },
    documents = register.documents { as_of = as_of },
    certificates = register.certificates { as_of = as_of },
    planned = register.planned_audits { as_of = as_of },
  }
  m.decisions = decisions.sought(m, as_of)
  local audits = table.move(m.audits, 1, #m.audits, 1, {})
  table.move(m.planned, 1, #m.planned, #audits + 1, audits)
  m.standing = certification.standing(as_of, { requirements = m.requirements,
    nonconformities = m.nonconformities, certificates = m.certificates, audits = audits })
  return m
end

-- The way to certification in figures (nil for a register without requirements or
-- certificates): the share conforming, the gaps, the programme's coverage in its cycle, what puts
-- the certificate at risk, the certificate in force and the next external audit.
local function certification_figures(m)
  if #m.requirements == 0 and #m.certificates == 0 then return nil end
  local s = m.standing
  local share = certification.share(m.requirements, certification.latest(register.rows().readiness, m.as_of))
  return {
    requirements = s.requirements,
    applicable = share.applicable,
    conforming = share.conforming,
    share_conforming = share.share and math.floor(share.share * 1000 + 0.5) / 10 or nil,
    not_conforming = s.not_conforming,
    gaps_overdue = s.gaps_overdue,
    audited_in_cycle = s.requirements - s.not_audited,
    not_audited_in_cycle = s.not_audited,
    cycle_years = certification.cycle_years,
    majors_open = s.majors_open,
    corrective_overdue = s.corrective_overdue,
    certificate = s.certificate and { id = s.certificate.id, expires_on = s.certificate.expires_on } or nil,
    next_external_audit = s.next_external and { id = s.next_external.id, planned_on = s.next_external.planned_on,
      days = s.days_to_next } or nil,
  }
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
    -- documented information (7.5) past its next review date
    document_reviews = count(m.documents, function(d) return d.overdue end),
  }
  overdue.total = overdue.risk_reviews + overdue.treatment_plans + overdue.improvements + overdue.corrective_actions
    + overdue.review_actions + overdue.acceptances + overdue.document_reviews
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
    certification = certification_figures(m),
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
