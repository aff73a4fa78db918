-- extend.lua: Northwind's additions to the built-in pages (riskreg.places). It runs before the
-- built-in pages are made; `riskreg help templates` lists every page's named places.

local places = require "riskreg.places"
local register = require "riskreg.register"
local site = require "riskreg.site"

-- A "Supplier performance" section in the review pack, after the clause 9.3 i) input: each
-- supplier's KPIs against target, from the KPIs of kind supplier.
local suppliers, by_party = {}, {}
for _, k in ipairs(register.kpis { as_of = site.as_of }) do
  if k.kind == "supplier" then
    local name = k.party or "(no party named)"
    if not by_party[name] then
      by_party[name] = { name = name, kpis = {}, met = 0 }
      suppliers[#suppliers + 1] = by_party[name]
    end
    local s = by_party[name]
    s.kpis[#s.kpis + 1] = k
    if k.met then s.met = s.met + 1 end
  end
end
table.sort(suppliers, function(a, b) return a.name < b.name end)

places.add("review.html", "after:other_parties", {
  template = "supplier_performance.html",
  vars = { suppliers = suppliers },
})
