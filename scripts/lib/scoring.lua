-- riskreg.scoring: the risk matrix, the score, the level bands, the appetite and the review
-- cadence, all from riskreg.lua with documented defaults (scripts/README.md, "Scoring").
--
-- A project changes the method in riskreg.lua:
--   matrix   = { size = 5, likelihood = {...labels}, impact = {...labels} }
--   score    = "likelihood * impact"        -- a Lua expression of likelihood and impact
--   levels   = { { name = "Low", max = 4, colour = "#d9f0d3" }, ... }   -- lowest first
--   appetite = 9                             -- residual scores above this need a decision
--   review   = { every_days = 90 }
-- or by overriding this file with scripts/lib/scoring.lua in the project.

local settings = require "riskreg.settings"
local hash = require "riskreg.hash"
local templates = require "riskreg.templates"

local config = settings.values
local fail = settings.fail

local scoring = {}

local default_labels = {
  [3] = { { "Unlikely", "Possible", "Likely" }, { "Minor", "Moderate", "Major" } },
  [4] = { { "Rare", "Unlikely", "Likely", "Almost certain" }, { "Minor", "Moderate", "Major", "Severe" } },
  [5] = { { "Rare", "Unlikely", "Possible", "Likely", "Almost certain" },
          { "Negligible", "Minor", "Moderate", "Major", "Severe" } },
  [6] = { { "Very rare", "Rare", "Unlikely", "Possible", "Likely", "Almost certain" },
          { "Negligible", "Minor", "Moderate", "Significant", "Major", "Severe" } },
}

-- An opportunity is rated on likelihood and benefit (its own words for the second axis).
local default_benefit = {
  [3] = { "Minor", "Moderate", "Significant" },
  [4] = { "Minor", "Moderate", "Significant", "Transformational" },
  [5] = { "Minimal", "Minor", "Moderate", "Significant", "Transformational" },
  [6] = { "Minimal", "Minor", "Moderate", "Significant", "Major", "Transformational" },
}

-- Four bands from light to dark; they differ in lightness, so the map reads in greyscale too.
local default_colours = { "#d9f0d3", "#fee08b", "#f4a261", "#c0392b" }
local default_maxima = {
  [3] = { 2, 4, 6, 9 }, [4] = { 3, 6, 11, 16 }, [5] = { 4, 9, 16, 25 }, [6] = { 6, 12, 24, 36 },
}
local default_names = { "Low", "Medium", "High", "Critical" }

local function is_list_of_strings(t, n)
  if type(t) ~= "table" or #t ~= n then return false end
  for i = 1, n do
    if type(t[i]) ~= "string" or t[i] == "" then return false end
  end
  return true
end

-- Matrix ------------------------------------------------------------------------------------

local matrix = config.matrix or {}
local size = matrix.size or 5
if size < 3 or size > 6 then
  fail("matrix.size must be a whole number from 3 to 6 (it is " .. size .. ")", "size")
end
scoring.size = size
scoring.likelihood_labels = matrix.likelihood or default_labels[size][1]
scoring.impact_labels = matrix.impact or default_labels[size][2]
if not is_list_of_strings(scoring.likelihood_labels, size) then
  fail("matrix.likelihood must be a list of " .. size .. " labels (one per rating, none empty)",
    "likelihood")
end
if not is_list_of_strings(scoring.impact_labels, size) then
  fail("matrix.impact must be a list of " .. size .. " labels (one per rating, none empty)", "impact")
end
scoring.benefit_labels = matrix.benefit or default_benefit[size]
if not is_list_of_strings(scoring.benefit_labels, size) then
  fail("matrix.benefit must be a list of " .. size .. " labels (one per rating, none empty)", "benefit")
end

-- Score -------------------------------------------------------------------------------------

scoring.score_source = config.score or "likelihood * impact"
-- a name the score does not know (impactt) is said in words, not as Lua's arithmetic on a nil
local score_env = setmetatable({ math = math }, { __index = function(_, name)
  fail("score '" .. scoring.score_source .. "' uses '" .. tostring(name) .. "', which a score does not know: "
    .. "it is an expression of likelihood, impact and math (for example \"likelihood * impact\")", "score")
end })
local chunk, why = load("return function(likelihood, impact) return (" .. scoring.score_source .. ") end",
  "=riskreg.lua score", "t", score_env)
if not chunk then fail("score '" .. scoring.score_source .. "' is not a Lua expression: " .. why, "score") end
local score_function = chunk()

--- The score of a likelihood and an impact (default: their product).
function scoring.score(likelihood, impact)
  local value = score_function(likelihood, impact)
  if type(value) ~= "number" or value ~= value then
    fail("score '" .. scoring.score_source .. "' gave " .. tostring(value) .. " for likelihood "
      .. likelihood .. " and impact " .. impact .. "; it must give a number", "score")
  end
  return value
end

scoring.score_function = hash.sha256(scoring.score_source)
scoring.max_score = scoring.score(size, size)

-- Levels ------------------------------------------------------------------------------------

-- The text colour that reads best on a background: ink or white, by WCAG contrast.
local function luminance(hex)
  local function channel(i)
    local c = tonumber(hex:sub(i, i + 1), 16) / 255
    return c <= 0.03928 and c / 12.92 or ((c + 0.055) / 1.055) ^ 2.4
  end
  return 0.2126 * channel(2) + 0.7152 * channel(4) + 0.0722 * channel(6)
end

local function contrast(a, b)
  local la, lb = luminance(a), luminance(b)
  if la < lb then la, lb = lb, la end
  return (la + 0.05) / (lb + 0.05)
end

scoring.contrast = contrast

local levels = config.levels
if levels == nil then
  levels = {}
  for i = 1, 4 do
    levels[i] = { name = default_names[i], max = default_maxima[size][i], colour = default_colours[i] }
  end
end
if #levels < 2 or #levels > 8 then
  fail("levels must be a list of 2 to 8 bands such as { name = \"Low\", max = 4, colour = \"#d9f0d3\" }",
    "levels")
end
scoring.levels = {}
local previous_max = -math.huge
for i, band in ipairs(levels) do
  local where = "levels[" .. i .. "]"
  if band.name == nil or band.name == "" then fail(where .. ".name must be a string", "levels") end
  if band.max == nil then fail(where .. ".max must be a number (the highest score in the band)", "levels") end
  if band.max <= previous_max then fail(where .. ".max must be above the band before it", "levels") end
  local colour = band.colour or band.color or default_colours[math.min(i, 4)]
  if not colour:match("^#%x%x%x%x%x%x$") then
    fail(where .. ".colour must be a colour such as \"#f4a261\" (it is \"" .. colour .. "\")", "levels")
  end
  colour = colour:lower()
  local ink = contrast(colour, "#1f2328") >= contrast(colour, "#ffffff") and "#1f2328" or "#ffffff"
  scoring.levels[i] = setmetatable({
    name = band.name, max = band.max, colour = colour, text = ink, rank = i,
    slug = (band.name:lower():gsub("[^%w]+", "-")),
  }, templates.strict("level"))
  previous_max = band.max
end
if previous_max < scoring.max_score then
  fail("levels: the last band must reach the highest score (" .. scoring.max_score .. ")", "levels")
end

--- The level band a score falls in (a table: name, max, colour, text, rank, slug).
function scoring.level(score)
  if score == nil then return nil end
  for _, band in ipairs(scoring.levels) do
    if score <= band.max then return band end
  end
  return scoring.levels[#scoring.levels]
end

-- Appetite ----------------------------------------------------------------------------------

scoring.appetite = config.appetite or scoring.levels[2].max

--- Does a residual score need a decision from leadership?
function scoring.above_appetite(score)
  return score ~= nil and score > scoring.appetite
end

-- Review cadence ----------------------------------------------------------------------------

local review = config.review or {}
scoring.review_every_days = review.every_days or 90
if scoring.review_every_days < 1 or scoring.review_every_days > 3660 then
  fail("review.every_days must be a whole number of days from 1 to 3660", "every_days")
end

return scoring
