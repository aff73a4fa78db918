-- What changed since the period before (changes.html): new, closed, escalated and de-escalated
-- risks; new and closed nonconformities; improvements completed.

return function(ctx)
  ctx.page("changes.html", "changes.html", {
    title = "Changes since " .. ctx.site.previous_period,
    c = ctx.changes,
  })
end
