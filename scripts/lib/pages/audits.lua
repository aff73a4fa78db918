-- Audits and their findings (audits/index.html), newest first; and the audit programme
-- (audits/programme.html, clause 9.2): the audits planned ahead and, for each requirement, when
-- an audit last covered it, by which audit, its findings and the audit planned next, with what the
-- internal audits have not covered within the cycle (riskreg.lua: audit = { cycle_years = 3 }).
-- The programme is written for a register with requirements or audits planned.

local register = require "riskreg.register"
local certification = require "riskreg.certification"

return function(ctx)
  local as_of = ctx.site.as_of
  local with_programme = #ctx.requirements > 0 or #ctx.planned > 0
  local list = {}
  for i = #ctx.audits, 1, -1 do list[#list + 1] = ctx.audits[i] end
  ctx.page("audits/index.html", "audits.html", {
    title = "Audits",
    audits = list,
    findings = ctx.count(ctx.nonconformities, function(n) return n.audit_id ~= nil end),
    programme = with_programme and "programme.html" or false,
    planned = ctx.planned,
  })
  if not with_programme then return end

  local coverage = ctx.filter(register.requirement_tree(ctx.requirements), function(r)
    return r.assessable ~= "no"
  end)
  local missing = ctx.filter(coverage, function(r) return not r.in_cycle end)
  ctx.page("audits/programme.html", "programme.html", {
    title = "Audit programme",
    planned = ctx.planned,
    coverage = coverage, missing = missing,
    covered = #coverage - #missing, not_covered = #missing,
    cycle_years = certification.cycle_years, cycle_start = certification.cycle_start(as_of),
    breadcrumb = { { path = "audits/index.html", label = "Audits" } },
  })
end
