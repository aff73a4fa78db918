-- The documented information (documents/index.html, ISO/IEC 20000-1 clause 7.5): each document by
-- type with its version, owner, approval, next review (overdue marked), where it lives and the
-- requirements it serves. Nothing is written for a register without documents.

local types = {
  { type = "policy", label = "Policies" },
  { type = "plan", label = "Plans" },
  { type = "process", label = "Processes" },
  { type = "procedure", label = "Procedures" },
  { type = "record", label = "Records" },
  { type = "other", label = "Other documents" },
}

return function(ctx)
  local documents = ctx.documents
  if #documents == 0 then return end
  local groups = {}
  for _, t in ipairs(types) do
    local items = ctx.filter(documents, function(d) return d.type == t.type end)
    if #items > 0 then groups[#groups + 1] = { type = t.type, label = t.label, items = items } end
  end
  local late = ctx.filter(documents, function(d) return d.overdue end)
  table.sort(late, function(a, b)
    if a.overdue_days ~= b.overdue_days then return a.overdue_days > b.overdue_days end
    return a.id < b.id
  end)
  ctx.page("documents/index.html", "documents.html", {
    title = "Documents",
    groups = groups, total = #documents, late = late,
    drafts = ctx.count(documents, function(d) return not d.approved end),
  })
end
