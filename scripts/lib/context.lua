-- lib.context: what every page builder gets: the register as of the build date and as of the
-- end of the period before, the headline figures, and ctx.page() to write a page.

local site = require "riskreg.site"
local template = require "riskreg.template"
local register = require "riskreg.register"
local scoring = require "riskreg.scoring"
local figures = require "riskreg.figures"
local places = require "riskreg.places"
local templates = require "riskreg.templates"

local context = {}

-- The sections in the top bar, in reading order.
local sections = {
  { path = "index.html", label = "Dashboard" },
  { path = "risks/index.html", label = "Risks" },
  { path = "changes.html", label = "Changes" },
  { path = "improvements/index.html", label = "Improvements" },
  { path = "nonconformities/index.html", label = "Nonconformities" },
  { path = "audits/index.html", label = "Audits" },
  { path = "kpis/index.html", label = "KPIs" },
  { path = "review/index.html", label = "Review pack" },
  { path = "owners/index.html", label = "Owners" },
  { path = "data/index.html", label = "Data" },
}
context.sections = sections

-- Pages a project adds (riskreg.lua: pages = { { path = "services.html", label = "Services" } })
-- join the top bar after the built-in sections.
local config = require "riskreg.config"
if config.pages ~= nil then
  if type(config.pages) ~= "table" then
    error({ settings = "pages must be a list such as { { path = \"services.html\", label = \"Services\" } }",
            key = "pages" }, 0)
  end
  for i, p in ipairs(config.pages) do
    if type(p) ~= "table" or type(p.path) ~= "string" or type(p.label) ~= "string" then
      error({ settings = "pages[" .. i .. "] must have a path and a label (strings)", key = "pages" }, 0)
    end
    sections[#sections + 1] = { path = p.path, label = p.label }
  end
end

context.count = figures.count
context.filter = figures.filter

-- What every page says about the build.
context.site = setmetatable({
  name = site.name or "Service management system",
  as_of = site.as_of, period = site.period, period_first = site.period_first,
  period_last = site.period_last, previous_period = site.previous_period,
  previous_as_of = site.previous_as_of, today = site.today,
  classification = config.classification or "Internal: for the management review and the board",
}, templates.strict("site"))

--- Render a template into the site at path and write it. vars get root (the way back to the
--- top of the site), path, site, nav, breadcrumb (false unless given) and place (the fills of a
--- named place, riskreg.places); title is vars.title unless a project set the page's heading.
--- The template chooses its layout. A project's own page scripts use this too. record names
--- what a page of one record is of ("R-014"): an error while making it says so.
function context.page(path, name, vars, record)
  vars = vars or {}
  template.rendering(record)
  if templates.passed then -- a check is recording what each page passes (tests/extend.sh)
    local keys = templates.passed[name] or {}
    for k in pairs(vars) do keys[k] = true end
    templates.passed[name] = keys
  end
  local depth = select(2, path:gsub("/", ""))
  vars.root = string.rep("../", depth)
  vars.path = path
  vars.site = context.site
  local nav = {}
  local section = path:match("^([^/]+)/") or path
  for i, s in ipairs(sections) do
    local s_section = s.path:match("^([^/]+)/") or s.path
    nav[i] = { path = s.path, label = s.label, current = s_section == section }
  end
  vars.nav = nav
  vars.breadcrumb = vars.breadcrumb or false
  -- the named places a project fills (riskreg.places), and the heading it may set
  vars.place = function(place) return places.render(name, place, vars) end
  vars.title = places.title(name, vars)
  -- a page made from the same things as the published one is kept as it is: its fingerprint
  -- covers vars and template.globals (followed to the end), every script, template and setting,
  -- and what the project's own code read from the register
  local print = site.fingerprint(name, path, vars, template.globals)
  if not site.keep(path, print) then
    assert(site.write(path, template.render(name, vars), print))
  end
  template.rendering(nil)
end

--- The context for one build.
function context.new()
  local as_of, previous = site.as_of, site.previous_as_of
  local previous_period = assert(require("riskreg.date").period(site.previous_period))
  -- the period before first: only its figures are kept (the model of a large register is
  -- large, and two at once would double the build's memory)
  local previous_figures = figures.summary(figures.model(previous, nil), previous_period.first)
  local ctx = figures.model(as_of, previous)
  ctx.filter, ctx.count = figures.filter, figures.count
  ctx.site = context.site
  ctx.previous_figures = previous_figures
  ctx.changes = register.changes { from = previous, to = as_of }
  ctx.figures = figures.summary(ctx, site.period_first)

  -- data/summary.json: the same figures, with the period and the scoring
  local summary = {}
  for k, v in pairs(ctx.figures) do summary[k] = v end
  summary.as_of = as_of
  summary.period = site.period
  summary.previous_period = site.previous_period
  local levels = {}
  for i, band in ipairs(scoring.levels) do levels[i] = { name = band.name, max = band.max } end
  summary.scoring = {
    matrix = { scoring.size, scoring.size },
    levels = levels,
    appetite = scoring.appetite,
    score_function = scoring.score_function,
  }
  ctx.summary = summary

  -- the way to certification joins the top bar, after the audits, when the register has it
  local after_audits = 0
  for i, s in ipairs(sections) do
    if s.path == "audits/index.html" then after_audits = i end
  end
  for _, extra in ipairs {
    { path = "readiness/index.html", label = "Readiness", shown = #ctx.requirements > 0 },
    { path = "documents/index.html", label = "Documents", shown = #ctx.documents > 0 },
  } do
    local there = false
    for _, s in ipairs(sections) do there = there or s.path == extra.path end
    if extra.shown and not there then
      after_audits = after_audits + 1
      table.insert(sections, after_audits, { path = extra.path, label = extra.label })
    end
  end

  ctx.page = context.page
  return ctx
end

return context
