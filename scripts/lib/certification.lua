-- riskreg.certification: the rules of the way to certification and of keeping it, asked by the
-- site and by the command line (riskreg check) alike.
--
-- Every function takes the register's rows as plain tables of their fields (as riskreg.db or the
-- host gives them) and a date, so the same rule answers for today and for any past date:
--
-- - a requirement's readiness on a date is its latest readiness row on or before it; none is
--   "not_assessed" (the point-in-time rule of register/README.md);
-- - the share conforming counts the assessable requirements that apply (not_applicable ones are
--   left out of both sides);
-- - an audit's scope (its requirements) covers each requirement it names and every requirement
--   under it (20000-8.5 covers 20000-8.5.1 … 20000-8.5.4);
-- - the internal audit programme covers a requirement in its cycle when an internal audit held
--   within the last cycle_years years (riskreg.lua: audit = { cycle_years = 3 }) had it in scope;
-- - the certificate in force on a date is the valid one issued on or before it and not expired;
--   the next external audit is the earliest planned certification or surveillance audit on or
--   after the date.

local date = require "riskreg.date"
local settings = require "riskreg.settings"

local certification = {}

--- The readiness statuses, from the least to the most ready; not_applicable last (outside the
--- scale). Each with the word people read and whether it counts as conforming.
certification.statuses = {
  { name = "not_assessed", word = "Not assessed", rank = 0 },
  { name = "not_addressed", word = "Not addressed", rank = 1 },
  { name = "initial", word = "Initial", rank = 2 },
  { name = "defined", word = "Defined", rank = 3 },
  { name = "conforming", word = "Conforming", rank = 4 },
  { name = "not_applicable", word = "Not applicable", rank = nil },
}
certification.status = {}
for _, s in ipairs(certification.statuses) do certification.status[s.name] = s end

--- Years within which the internal audit programme covers every requirement (default 3).
certification.cycle_years = (settings.values.audit or {}).cycle_years or 3

--- The IDs (or URLs) in a list written as text: separated by commas, semicolons or spaces.
function certification.split(text)
  local list = {}
  for token in tostring(text or ""):gmatch("[^,;%s]+") do list[#list + 1] = token end
  return list
end

--- Does a token look like a URL rather than a record ID?
function certification.is_url(token)
  return token:match("^%a[%w+.-]*://") ~= nil
end

--- The requirements as a tree in their order: { list = rows in order, each with depth and
--- children; by_id; roots }. parent refers to another row; a parent missing from the rows makes
--- its children roots.
function certification.tree(requirements)
  local by_id, roots = {}, {}
  for _, r in ipairs(requirements) do by_id[r.id:lower()] = { row = r, children = {} } end
  for _, r in ipairs(requirements) do
    local node = by_id[r.id:lower()]
    local parent = r.parent and by_id[r.parent:lower()]
    if parent then
      parent.children[#parent.children + 1] = node
    else
      roots[#roots + 1] = node
    end
  end
  local list = {}
  local function walk(node, depth)
    node.depth = depth
    list[#list + 1] = node
    for _, child in ipairs(node.children) do walk(child, depth + 1) end
  end
  for _, root in ipairs(roots) do walk(root, 0) end
  return { list = list, by_id = by_id, roots = roots }
end

--- Each requirement's latest readiness row on or before as_of, by requirement ID (lower case).
function certification.latest(readiness, as_of)
  local latest = {}
  for _, row in ipairs(readiness) do
    if row.assessed_on <= as_of then
      local key = row.requirement_id:lower()
      local seen = latest[key]
      if not seen or row.assessed_on > seen.assessed_on then latest[key] = row end
    end
  end
  return latest
end

--- A requirement's status on the date, from certification.latest's table.
function certification.status_of(requirement, latest)
  local row = latest[requirement.id:lower()]
  return row and row.status or "not_assessed"
end

--- The share conforming of the assessable requirements that apply, among nodes (tree nodes, or
--- requirement rows): conforming, applicable (assessable and not not_applicable), share (0..1, or
--- nil when none applies), and a count per status.
function certification.share(nodes, latest)
  local counts = {}
  for _, s in ipairs(certification.statuses) do counts[s.name] = 0 end
  local conforming, applicable = 0, 0
  for _, n in ipairs(nodes) do
    local r = rawget(n, "row") or n -- a tree node, or a requirement (a strict view has no row)
    if r.assessable ~= "no" then
      local status = certification.status_of(r, latest)
      counts[status] = counts[status] + 1
      if status ~= "not_applicable" then
        applicable = applicable + 1
        if status == "conforming" then conforming = conforming + 1 end
      end
    end
  end
  return { conforming = conforming, applicable = applicable,
           share = applicable > 0 and conforming / applicable or nil, counts = counts }
end

--- Every node under a tree node, itself included.
function certification.under(node)
  local out = {}
  local function walk(n)
    out[#out + 1] = n
    for _, c in ipairs(n.children) do walk(c) end
  end
  walk(node)
  return out
end

--- The IDs (lower case) of the requirements a scope covers: each named, and all under it.
function certification.covered(tree, scope_text)
  local covered = {}
  for _, id in ipairs(certification.split(scope_text)) do
    local node = tree.by_id[id:lower()]
    if node then
      for _, n in ipairs(certification.under(node)) do covered[n.row.id:lower()] = true end
    end
  end
  return covered
end

--- The date cycle_years before as_of: internal audits held after it are in the cycle.
function certification.cycle_start(as_of, years)
  years = years or certification.cycle_years
  local y, rest = as_of:match("^(%d%d%d%d)(%-%d%d%-%d%d)$")
  local start = string.format("%04d%s", tonumber(y) - years, rest)
  if not date.valid(start) then start = string.format("%04d-02-28", tonumber(y) - years) end
  return start
end

--- The audit programme's coverage on as_of: for each requirement (by ID, lower case) {
--- last_internal (the latest internal audit held on or before as_of that covered it), last_audit
--- (the latest audit of any kind), audits (every held audit that covered it, newest first),
--- planned (the earliest planned audit on or after as_of that covers it; planned_internal, the
--- earliest internal one), findings (the
--- nonconformities raised on or before as_of that name it), in_cycle (an internal audit held in
--- the cycle covered it) }; and the cycle's start.
function certification.coverage(requirements, audits, nonconformities, as_of, years)
  local tree = certification.tree(requirements)
  local start = certification.cycle_start(as_of, years)
  local by_req = {}
  for _, node in ipairs(tree.list) do
    by_req[node.row.id:lower()] = { requirement = node.row, audits = {}, findings = {}, in_cycle = false }
  end
  local held = {}
  for _, a in ipairs(audits) do
    if a.status ~= "cancelled" and a.held_on and a.held_on <= as_of then held[#held + 1] = a end
  end
  table.sort(held, function(a, b) return a.held_on > b.held_on end)
  for _, a in ipairs(held) do
    for id in pairs(certification.covered(tree, a.requirements)) do
      local c = by_req[id]
      c.audits[#c.audits + 1] = a
      c.last_audit = c.last_audit or a
      if a.kind == "internal" then
        c.last_internal = c.last_internal or a
        if a.held_on > start then c.in_cycle = true end
      end
    end
  end
  for _, a in ipairs(audits) do
    local when = a.planned_on
    if a.status == "planned" and when and when >= as_of then
      for id in pairs(certification.covered(tree, a.requirements)) do
        local c = by_req[id]
        if not c.planned or when < c.planned.planned_on then c.planned = a end
        if a.kind == "internal" and (not c.planned_internal or when < c.planned_internal.planned_on) then
          c.planned_internal = a
        end
      end
    end
  end
  for _, n in ipairs(nonconformities) do
    local c = n.requirement_id and by_req[n.requirement_id:lower()]
    if c and n.raised_on <= as_of then c.findings[#c.findings + 1] = n end
  end
  return { by_requirement = by_req, cycle_start = start, tree = tree }
end

--- The assessable requirements no internal audit held in the cycle covered, in tree order, each
--- { requirement, last_internal, planned } (for riskreg check and the site).
function certification.not_audited(requirements, audits, nonconformities, as_of, years)
  local cov = certification.coverage(requirements, audits, nonconformities, as_of, years)
  local out = {}
  for _, node in ipairs(cov.tree.list) do
    local c = cov.by_requirement[node.row.id:lower()]
    if node.row.assessable ~= "no" and not c.in_cycle then out[#out + 1] = c end
  end
  return out, cov.cycle_start
end

--- The certificate in force on as_of: valid, issued on or before it and expiring on or after
--- it; the latest issued when several are. nil when none is.
function certification.in_force(certificates, as_of)
  local best
  for _, c in ipairs(certificates) do
    if c.status == "valid" and c.issued_on <= as_of and c.expires_on >= as_of then
      if not best or c.issued_on > best.issued_on then best = c end
    end
  end
  return best
end

--- The next external audit on or after as_of: the earliest planned certification or
--- surveillance audit; nil when none is planned.
function certification.next_external(audits, as_of)
  local best
  for _, a in ipairs(audits) do
    if a.status == "planned" and (a.kind == "certification" or a.kind == "surveillance") and
        a.planned_on and a.planned_on >= as_of then
      if not best or a.planned_on < best.planned_on then best = a end
    end
  end
  return best
end

--- Days from as_of to a date (negative: past).
function certification.days_to(as_of, day)
  return date.days_between(as_of, day)
end

-- The register on a date -------------------------------------------------------------------------

--- An audit as it was on as_of: held by then, it is as recorded; held later, or not held yet, it
--- was planned then (status planned, no held_on) when it has a planned date; held later without
--- one, it was not known yet (nil). A cancelled audit stays cancelled.
function certification.audit_on(a, as_of)
  if a.held_on and a.held_on <= as_of then return a end
  if a.status == "cancelled" then return a end
  if not a.planned_on then return nil end
  if a.status == "planned" then return a end
  local t = {}
  for k, v in pairs(a) do t[k] = v end
  t.status, t.held_on = "planned", nil
  return t
end

--- A certificate as it was on as_of: nil before it was issued; marked expired since, it was
--- valid on a date up to its expiry.
function certification.certificate_on(c, as_of)
  if c.issued_on > as_of then return nil end
  if c.status == "expired" and c.expires_on >= as_of then
    local t = {}
    for k, v in pairs(c) do t[k] = v end
    t.status = "valid"
    return t
  end
  return c
end

--- Has the certificate run out on as_of (its expiry passed, or marked expired)?
function certification.expired(c, as_of)
  return c.status == "expired" or c.expires_on < as_of
end

--- Days by which a readiness gap is past its target on as_of (a positive number), or nil: a
--- requirement neither conforming nor not applicable whose target_on has passed.
function certification.gap_overdue_days(row, as_of)
  if not row or not row.target_on or row.target_on >= as_of then return nil end
  if row.status == "conforming" or row.status == "not_applicable" then return nil end
  return date.days_between(row.target_on, as_of)
end

--- Is a text a web address a page may link to (http or https only: never javascript:, data:)?
function certification.is_web(text)
  local scheme = type(text) == "string" and text:match("^(%a[%w+.-]*)://[^%s]")
  return scheme ~= nil and (scheme:lower() == "http" or scheme:lower() == "https")
end

--- Is the requirement one readiness is counted on: assessable and, on the date, applicable?
function certification.applicable(requirement, status)
  return requirement.assessable ~= "no" and status ~= "not_applicable"
end

--- The clauses of training and awareness (ISO/IEC 20000-1 and ISO 9001 alike: 7.2 competence,
--- 7.3 awareness): KPIs given as evidence of a requirement with one of these clause numbers, or
--- under one, show how training and awareness stand.
certification.training_clauses = { "7.2", "7.3" }

--- Is a clause number one of the training clauses or under one ("7.2", "7.2.1")?
function certification.is_training(clause)
  for _, c in ipairs(certification.training_clauses) do
    if clause == c or (clause or ""):sub(1, #c + 1) == c .. "." then return true end
  end
  return false
end

--- The top clauses of a tree, per framework in the order met: a framework's roots, or the
--- children of its root when it has only one (a node for the standard itself). Each { framework,
--- nodes = list of tree nodes }.
function certification.top_clauses(tree)
  local frameworks, by_name = {}, {}
  for _, root in ipairs(tree.roots) do
    local name = root.row.framework
    if not by_name[name] then
      by_name[name] = { framework = name, roots = {} }
      frameworks[#frameworks + 1] = by_name[name]
    end
    table.insert(by_name[name].roots, root)
  end
  for _, f in ipairs(frameworks) do
    f.nodes = (#f.roots == 1 and #f.roots[1].children > 0) and f.roots[1].children or f.roots
  end
  return frameworks
end

--- The share conforming on each of a list of dates (quarters: { as_of, ... }): each quarter is
--- given readiness (certification.share's table: conforming, applicable, share, counts per
--- status) and defined_share (defined or conforming, of those that apply; nil when none does).
function certification.over_time(requirements, readiness, quarters)
  for _, q in ipairs(quarters) do
    local s = certification.share(requirements, certification.latest(readiness, q.as_of))
    q.readiness = s
    q.defined_share = s.applicable > 0 and (s.counts.defined + s.counts.conforming) / s.applicable or nil
  end
  return quarters
end

--- Where the certificate stands on as_of, and what puts it at risk: { certificate (the one in
--- force, or nil), latest (the latest issued by then, in force or not), next_external (the next
--- external audit planned), days_to_next, majors_open (open major nonconformities),
--- corrective_overdue (nonconformities past their due date), not_conforming (requirements that
--- apply and do not conform yet), not_audited (assessable requirements no internal audit covered
--- in the cycle), gaps_overdue (gaps past their target) }. The lists are views of
--- riskreg.register on the date: requirements (with status, in_cycle, readiness), nonconformities,
--- certificates, audits (planned ones included).
function certification.standing(as_of, lists)
  local s = { majors_open = 0, corrective_overdue = 0, not_conforming = 0, not_audited = 0,
              gaps_overdue = 0, requirements = 0 }
  for _, n in ipairs(lists.nonconformities or {}) do
    if n.open and n.severity == "major" then s.majors_open = s.majors_open + 1 end
    if n.overdue then s.corrective_overdue = s.corrective_overdue + 1 end
  end
  for _, r in ipairs(lists.requirements or {}) do
    if r.assessable ~= "no" then
      s.requirements = s.requirements + 1
      if not r.in_cycle then s.not_audited = s.not_audited + 1 end
    end
    if r.applicable and not r.conforming then s.not_conforming = s.not_conforming + 1 end
    if r.readiness and r.readiness.overdue then s.gaps_overdue = s.gaps_overdue + 1 end
  end
  s.certificate = certification.in_force(lists.certificates or {}, as_of)
  for _, c in ipairs(lists.certificates or {}) do
    if not s.latest or c.issued_on > s.latest.issued_on then s.latest = c end
  end
  s.next_external = certification.next_external(lists.audits or {}, as_of)
  s.days_to_next = s.next_external and certification.days_to(as_of, s.next_external.planned_on) or nil
  return s
end

return certification
