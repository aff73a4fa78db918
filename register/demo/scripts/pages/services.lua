-- An extra page for the demo: each service with its open risks and its KPIs, so a service owner
-- sees their service on one page. Runs after the built-in pages (riskreg build runs every
-- scripts/pages/*.lua of the project) and renders the project's templates/services.html.

local site = require "riskreg.site"
local register = require "riskreg.register"
local context = require "lib.context"

local services, order = {}, {}
local function service(name)
  name = name or "Whole organisation"
  if not services[name] then
    services[name] = { name = name, risks = {}, kpis = {}, above = 0 }
    order[#order + 1] = services[name]
  end
  return services[name]
end

for _, r in ipairs(register.risks { as_of = site.as_of, previous = site.previous_as_of }) do
  if r.open then
    local s = service(r.service)
    s.risks[#s.risks + 1] = r
    if r.above_appetite then s.above = s.above + 1 end
  end
end
for _, k in ipairs(register.kpis { as_of = site.as_of }) do
  if k.service then table.insert(service(k.service).kpis, k) end
end
table.sort(order, function(a, b) return a.name < b.name end)

context.page("services.html", "services.html", { title = "Services", services = order })
