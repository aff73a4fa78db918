-- Owners (owners/index.html and owners/SLUG.html): each owner's risks, reviews due and actions
-- (improvements, nonconformities and review actions they own).

local register = require "riskreg.register"
local charts = require "lib.charts"

return function(ctx)
  local owners, names = {}, {}
  local function owner(name)
    if not name then return nil end
    if not owners[name] then
      owners[name] = { name = name, risks = {}, improvements = {}, nonconformities = {}, actions = {} }
      names[#names + 1] = name
    end
    return owners[name]
  end
  for _, r in ipairs(ctx.risks) do
    if r.open and owner(r.owner) then table.insert(owners[r.owner].risks, r) end
  end
  for _, i in ipairs(ctx.improvements) do
    if i.open and owner(i.owner) then table.insert(owners[i.owner].improvements, i) end
  end
  for _, n in ipairs(ctx.nonconformities) do
    if n.open and owner(n.owner) then table.insert(owners[n.owner].nonconformities, n) end
  end
  for _, a in ipairs(ctx.actions) do
    if a.open and owner(a.owner) then table.insert(owners[a.owner].actions, a) end
  end
  local slugs = register.owner_slugs(names)
  local list = {}
  for _, name in ipairs(names) do
    local o = owners[name]
    o.slug = slugs[name]
    o.overdue = ctx.count(o.risks, function(r) return r.overdue end)
      + ctx.count(o.risks, function(r) return r.plan_overdue end)
      + ctx.count(o.improvements, function(i) return i.overdue end)
      + ctx.count(o.nonconformities, function(n) return n.overdue end)
      + ctx.count(o.actions, function(a) return a.overdue end)
    o.above = ctx.count(o.risks, function(r) return r.above_appetite end)
    o.levels = register.level_counts(o.risks)
    list[#list + 1] = o
  end
  table.sort(list, function(a, b) return a.name < b.name end)
  ctx.page("owners/index.html", "owners.html", { title = "Owners", owners = list })
  for _, o in ipairs(list) do
    local path = "owners/" .. o.slug .. ".html"
    ctx.page(path, "owner.html", {
      title = o.name, o = o,
      levels_chart = #o.risks > 0 and charts.owner_levels(o.levels, path, o.slug, o.name) or false,
      breadcrumb = { { path = "owners/index.html", label = "Owners" } },
    }, o.name)
  end
end
