-- Audits and their findings (audits/index.html), newest first.

return function(ctx)
  local list = {}
  for i = #ctx.audits, 1, -1 do list[#list + 1] = ctx.audits[i] end
  ctx.page("audits/index.html", "audits.html", {
    title = "Audits",
    audits = list,
    findings = ctx.count(ctx.nonconformities, function(n) return n.audit_id ~= nil end),
  })
end
