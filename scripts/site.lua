-- site.lua: the management-review site. riskreg build runs this (the project's scripts/site.lua
-- when it has one), then every scripts/pages/*.lua of the project.
--
-- It reads the register once through riskreg.register, as of the build's date and the end of
-- the period before, and hands each page builder in lib/pages/ a context `ctx` with the model
-- and ctx.page(path, template, vars) to render and write a page.

local site = require "riskreg.site"
local template = require "riskreg.template"
local markdown = require "riskreg.markdown"
local register = require "riskreg.register"
local scoring = require "riskreg.scoring"
local format = require "lib.format"
local context = require "lib.context"

template.globals.md = markdown.html
template.globals.fmt = format
template.globals.scoring = scoring

-- the project's scripts/extend.lua (else the built-in empty one): fills for the pages' places
require "extend"

-- data/ first, before the model is read: its files are written on a thread of their own (a
-- project's own lib/pages/data.lua, a plain function, starts them when its turn comes)
local data_page = require "lib.pages.data"
if type(data_page) == "table" and data_page.start then data_page.start() end
local ctx = context.new()

-- the stylesheet; the project's templates/theme.css when it has one (custom properties that
-- change colours, fonts and spacing), linked by every page right after it; and the level colours
-- from riskreg.lua as classes (with the period and as-of date for the footer of printed pages)
assert(site.copy("style.css"))
ctx.site.theme = site.has_asset("theme.css")
if ctx.site.theme then assert(site.copy("theme.css")) end
assert(site.write("levels.css", template.render("levels.css",
  { levels = scoring.levels, period = site.period, as_of = site.as_of })))

for _, name in ipairs { "data", "dashboard", "risks", "changes", "improvements", "nonconformities",
                        "audits", "readiness", "documents", "kpis", "review", "owners" } do
  require("lib.pages." .. name)(ctx)
end

-- the figures of the dashboard, for machines (SPEC §7)
assert(site.write("data/summary.json", site.json(ctx.summary, true) .. "\n"))

return register
