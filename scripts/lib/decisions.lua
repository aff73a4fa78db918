-- riskreg.decisions: what leadership is asked to decide, each thing once, with the reasons.
--
-- The dashboard's "Needs a decision", the review pack's first page and data/summary.json list
-- the same things from here:
--
--   * a threat above the appetite with no treatment under way and no valid acceptance (an
--     opportunity's score is its benefit: the appetite is not for it);
--   * a risk whose acceptance has expired, or expires within rules.expiring_days;
--   * an accepted risk whose residual score rose above the score it was accepted at;
--   * a risk whose acceptance was requested and not yet decided;
--   * a risk whose treatment is overdue (a linked improvement past its due date, or its planned
--     treatment past its target_on while the risk is open or treating);
--   * a risk whose treatment did not work (rules.treatment_effect: "not effective");
--   * improvements proposed and awaiting approval;
--   * major nonconformities open past their due date;
--   * review actions overdue.
--
-- A risk treated on time (an improvement under way, none overdue), or validly accepted at its
-- present score, is not asked about again.

local rules = require "riskreg.rules"
local date = require "riskreg.date"
local format = require "lib.format"

local decisions = {}

local function days(n) return n == 1 and "1 day" or (n .. " days") end

-- The reasons to ask about an open risk (a view of riskreg.register), as of as_of; empty when
-- there are none.
local function risk_reasons(r, as_of, requested)
  local reasons = {}
  local function add(code, text) reasons[#reasons + 1] = { code = code, text = text } end
  local under_way, overdue = {}, {}
  for _, i in ipairs(r.treated_by) do
    if rules.is_open("improvements", i) then
      under_way[#under_way + 1] = i
      local late = rules.overdue_days("improvements", i, as_of)
      if late then overdue[#overdue + 1] = { improvement = i, days = late } end
    end
  end
  local acc = r.acceptance
  local score = r.residual and r.residual.score
  -- an opportunity's score is its benefit: the appetite is for threats
  if r.above_appetite and not r.opportunity and #under_way == 0 and not r.accepted then
    add("above_appetite", string.format(
      "residual %s %s is above the appetite (%s) with no treatment under way and no valid acceptance",
      r.residual.level.name, r.residual.text, rules.score_text(rules.scoring.appetite)))
  end
  if acc and acc.expired then
    add("acceptance_expired", string.format("its acceptance %s expired on %s", acc.id,
      acc.expires_on))
  elseif acc and acc.expiring then
    local left = date.days_between(as_of, acc.expires_on)
    add("acceptance_expiring", string.format("its acceptance %s expires on %s (%s)", acc.id,
      acc.expires_on, left == 0 and "today" or ("in " .. days(left))))
  end
  if requested then
    add("acceptance_requested", string.format("acceptance %s was requested on %s and is not yet decided",
      requested.id, requested.requested_on or "–"))
  end
  if r.accepted and score and acc.score and score > acc.score then
    add("score_rose", string.format("its residual score rose from %s to %s since it was accepted on %s (%s)",
      rules.score_text(acc.score), r.residual.text, acc.accepted_on, acc.id))
  end
  for _, o in ipairs(overdue) do
    add("treatment_overdue", string.format("its treatment %s (%s) is %s overdue", o.improvement.id,
      o.improvement.title, days(o.days)))
  end
  if r.plan_overdue then
    add("treatment_overdue", string.format("its planned treatment was due on %s and is %s overdue",
      r.target_on, days(r.plan_overdue_days)))
  end
  if r.effect and r.effect.verdict == "not effective" then
    local e = r.effect
    add("treatment_not_effective", string.format(
      "its treatment was done on %s but did not work: residual %s on %s, %s on %s",
      e.done_on, e.before.residual.text, e.before.assessed_on, e.after.residual.text,
      e.after.assessed_on))
  end
  return reasons
end

--- What needs a decision on as_of, from a model of the register on that date ({ risks,
--- improvements, nonconformities, actions, acceptances } as riskreg.register gives them). A
--- list, once per record, risks first (worst first), then improvements awaiting approval, major
--- nonconformities past due and overdue review actions: each { id, kind (its singular),
--- title, owner, href (from the site's top), reasons = { { code, text }, ... }, record, scores
--- (a risk's residual scores) }.
function decisions.sought(m, as_of)
  local list = {}
  local function ask(kind, record, title, href, reasons, scores)
    list[#list + 1] = { id = record.id, kind = kind, title = title, owner = record.owner,
                        href = href, reasons = reasons, record = record, scores = scores }
  end
  -- acceptances asked for and not yet granted or refused, by risk
  local requested = {}
  for _, a in ipairs(m.acceptances or {}) do
    if a.status == "requested" then requested[a.risk_id] = a end
  end
  for _, r in ipairs(m.risks) do
    if r.open then
      local reasons = risk_reasons(r, as_of, requested[r.id])
      if #reasons > 0 then
        ask(r.opportunity and "opportunity" or "risk", r, r.title, "risks/" .. format.page(r.id),
          reasons, r.residual)
      end
    end
  end
  for _, i in ipairs(m.improvements) do
    if i.status == "proposed" then
      ask("improvement", i, i.title, "improvements/index.html#" .. i.id, { { code = "awaiting_approval",
        text = string.format("proposed on %s, awaiting approval", i.raised_on) } })
    end
  end
  for _, n in ipairs(m.nonconformities) do
    if n.severity == "major" and n.overdue then
      ask("nonconformity", n, n.title, "nonconformities/index.html#" .. n.id, { {
        code = "major_overdue", text = string.format("major nonconformity open %s past its due date (%s)",
          days(n.overdue_days), n.due_on) } })
    end
  end
  for _, a in ipairs(m.actions) do
    if a.overdue then
      ask("review action", a, a.text, "review/index.html#previous_actions", { {
        code = "action_overdue", text = string.format("action of %s, %s overdue (due %s)",
          a.review_id, days(a.overdue_days), a.due_on) } })
    end
  end
  return list
end

--- The reasons, in the order they are shown, with what each says in a heading.
decisions.reasons = {
  { code = "above_appetite", label = "Above the appetite, with no treatment under way and no valid acceptance" },
  { code = "acceptance_expired", label = "Acceptance expired" },
  { code = "acceptance_expiring", label = "Acceptance expiring within 30 days" },
  { code = "acceptance_requested", label = "Acceptance requested, not yet decided" },
  { code = "score_rose", label = "Accepted, but the score has risen since" },
  { code = "treatment_overdue", label = "Treatment overdue" },
  { code = "treatment_not_effective", label = "Treatment done but not effective" },
  { code = "awaiting_approval", label = "Improvements awaiting approval" },
  { code = "major_overdue", label = "Major nonconformities past due" },
  { code = "action_overdue", label = "Review actions overdue" },
}

--- The things sought grouped by reason, in the order of decisions.reasons: { { code, label,
--- items = { decision, ... } }, ... }, reasons without any left out. A record with two
--- reasons is in both groups.
function decisions.by_reason(list)
  local groups, by_code = {}, {}
  for _, r in ipairs(decisions.reasons) do
    by_code[r.code] = { code = r.code, label = r.label, items = {} }
  end
  for _, d in ipairs(list) do
    for _, reason in ipairs(d.reasons) do
      local g = by_code[reason.code]
      if g then g.items[#g.items + 1] = d end
    end
  end
  for _, r in ipairs(decisions.reasons) do
    if #by_code[r.code].items > 0 then groups[#groups + 1] = by_code[r.code] end
  end
  return groups
end

--- How many of the things sought have each reason: { code = count }.
function decisions.count_reasons(list)
  local counts = {}
  for _, d in ipairs(list) do
    for _, reason in ipairs(d.reasons) do counts[reason.code] = (counts[reason.code] or 0) + 1 end
  end
  return counts
end

return decisions
