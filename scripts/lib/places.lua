-- riskreg.places: add to a built-in page without copying it. A project's scripts/extend.lua
-- (run before the built-in pages) fills the named places of a page with its own templates, and
-- may set a page's heading; the built-in templates render each place with place("NAME").
--
--   local places = require "riskreg.places"
--   places.add("review.html", "after:service_performance", { template = "supplier.html", vars = { … } })
--   places.heading("risk.html", function(vars) return vars.r.id .. " " .. vars.r.title end)
--
-- Pages are named by their template (riskreg help templates lists each page's places). Fills
-- of one place render in the order they were added.

local templates = require "riskreg.templates"
local template = require "riskreg.template"
local settings = require "riskreg.settings"

local places = {}
local fills, headings = {}, {}

local function pages_known()
  local list, set = {}, {}
  for _, t in ipairs(templates.list) do
    if t.page and #t.places > 0 then list[#list + 1] = t.name; set[t.name] = true end
  end
  return list, set
end

local function guess(name, list)
  local set = {}
  for _, v in ipairs(list) do set[v] = true end
  local g = type(name) == "string" and settings.nearest(name, set)
  return g and ("; did you mean '" .. g .. "'?") or ""
end

-- The places of a page, or an error (at the caller's caller's line) naming the pages that have some.
local function places_of(page, level)
  local list = type(page) == "string" and templates.places(page)
  if not list or #list == 0 then
    local known = pages_known()
    error(string.format("riskreg.places: no built-in page '%s' with places%s (pages: %s)", tostring(page),
      guess(page, known), table.concat(known, ", ")), level + 1)
  end
  return list
end

local function check_place(page, place, level)
  local list = places_of(page, level + 1)
  for _, p in ipairs(list) do
    if p == place then return end
  end
  error(string.format("riskreg.places: %s has no place '%s'%s; its places are %s", page, tostring(place),
    guess(place, list), table.concat(list, ", ")), level + 1)
end

--- Fill a page's named place: fill = { template = NAME, vars = TABLE or function(page_vars) }.
--- The template (the project's templates/, then the built-in ones) gets vars and, unless vars
--- give them, the page's root, site, path and the page's own variables as `page`.
function places.add(page, place, fill)
  check_place(page, place, 2)
  if type(fill) ~= "table" or type(fill.template) ~= "string" then
    error("riskreg.places.add: the fill must be a table with template = \"NAME.html\"", 2)
  end
  if fill.vars ~= nil and type(fill.vars) ~= "table" and type(fill.vars) ~= "function" then
    error("riskreg.places.add: vars must be a table or a function(page_vars)", 2)
  end
  local key = page .. "\0" .. place
  fills[key] = fills[key] or {}
  local list = fills[key]
  list[#list + 1] = { template = fill.template, vars = fill.vars }
end

--- Set a page's title (its <h1>, <title> and last breadcrumb step): fn(page_vars) -> text, or
--- the text itself. The last one set wins.
function places.heading(page, fn)
  places_of(page, 2)
  if type(fn) ~= "function" and type(fn) ~= "string" then
    error("riskreg.places.heading: give a text or a function(page_vars) returning one", 2)
  end
  headings[page] = fn
end

--- The title a page gets (context.page): the heading set for it, else vars.title.
function places.title(page, vars)
  local h = headings[page]
  if h == nil then return vars.title end
  local title = type(h) == "function" and h(vars) or h
  if type(title) ~= "string" then
    error(string.format("riskreg.places.heading: the heading of %s must be a text, not %s", page, type(title)), 0)
  end
  return title
end

--- The HTML of a place of a page, its fills in order ("" when none): place("NAME") in a template.
function places.render(page, place, vars)
  check_place(page, place, 2)
  local list = fills[page .. "\0" .. place]
  if not list then return "" end
  local out = {}
  for i, fill in ipairs(list) do
    local given = fill.vars
    if type(given) == "function" then given = given(vars) end
    local v = {}
    for k, value in pairs(given or {}) do v[k] = value end
    if v.root == nil then v.root = vars.root end
    if v.site == nil then v.site = vars.site end
    if v.path == nil then v.path = vars.path end
    if v.page == nil then v.page = vars end
    out[i] = template.render(fill.template, v)
  end
  return table.concat(out)
end

return places
