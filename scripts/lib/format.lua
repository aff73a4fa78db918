-- lib.format: one way to show numbers, dates, changes and counts on every page, and to name a
-- record's page.
-- Templates reach it as `fmt` (template.globals.fmt).

local date = require "riskreg.date"
local html = require "riskreg.html"
local model = require "riskreg.model"

local format = {}

--- A number as people read it: whole numbers without decimals, others with up to `places`
--- (default 2), trailing zeros dropped; thousands separated by a thin space.
function format.number(value, places)
  if value == nil then return "–" end
  local text
  if math.type(value) == "integer" or value == math.floor(value) and math.abs(value) < 1e15 then
    text = string.format("%d", math.floor(value))
  else
    text = string.format("%." .. (places or 2) .. "f", value)
    -- trailing zeros of the decimals only: 89.6 at no places is "90", not "9"
    if text:find(".", 1, true) then text = text:gsub("0+$", ""):gsub("%.$", "") end
  end
  local sign, int, rest = text:match("^(%-?)(%d+)(.*)$")
  if int and #int > 4 then
    int = int:reverse():gsub("(%d%d%d)", "%1\u{2009}"):reverse():gsub("^\u{2009}", "")
    text = sign .. int .. rest
  end
  return text
end

--- A value with its unit: "99.95 %", "4.6 score", "3 count".
function format.value(value, unit)
  if value == nil then return "–" end
  if unit == nil or unit == "" then return format.number(value) end
  if unit == "%" then return format.number(value) .. "\u{202F}%" end
  return format.number(value) .. " " .. unit
end

--- A date as shown everywhere: ISO (2026-11-25); nil shows as a dash.
function format.date(d)
  return d or "–"
end

--- "25 Nov 2026", for headlines.
function format.long_date(d)
  return d and date.format(d, "long") or "–"
end

--- A signed change: "+3", "−2", "0" (a true minus sign).
function format.signed(n)
  if n == nil then return "" end
  if n > 0 then return "+" .. format.number(n) end
  if n < 0 then return "\u{2212}" .. format.number(-n) end
  return "0"
end

--- A change in words with an arrow, so it does not depend on colour:
--- "▲ +3 since 2026-Q3", "▼ −1 since 2026-Q3", "no change since 2026-Q3".
function format.delta(n, since, good)
  local tail = since and (" since " .. since) or ""
  if n == nil then return "new" .. tail end
  -- good: "lower" or "higher" when one is better; the change is then judged
  local judged = ""
  if n ~= 0 and (good == "lower" or good == "higher") then
    judged = ((n < 0) == (good == "lower")) and ", better" or ", worse"
  end
  if n > 0 then return "\u{25B2} " .. format.signed(n) .. tail .. judged end
  if n < 0 then return "\u{25BC} " .. format.signed(n) .. tail .. judged end
  return "no change" .. tail
end

--- The direction of a change, for a CSS class: "up", "down" or "flat".
function format.direction(n)
  if n == nil or n == 0 then return "flat" end
  return n > 0 and "up" or "down"
end

--- An arrow and word for a trend: rising, falling, steady; with judged ("better" or "worse",
--- from what the figure is for) the judgement after it: "▼ falling, worse".
function format.trend(t, judged)
  local words
  if t == "rising" then words = "\u{25B2} rising"
  elseif t == "falling" then words = "\u{25BC} falling"
  else return "\u{25B6} steady" end
  if judged == "better" or judged == "worse" then words = words .. ", " .. judged end
  return words
end

--- A risk's trend judged: a rising residual score is worse for a threat, better for an
--- opportunity.
function format.risk_trend(r)
  local t = r.trend
  local worse = (t == "rising") ~= (r.opportunity == true)
  return format.trend(t, t ~= "steady" and (worse and "worse" or "better") or nil)
end

-- Chart titles that say the message, where the data gives one ------------------------------

--- A risk's residual score over its history: "Residual score rose from 8 to 15 since
--- 2026-03-13" (from the assessment a year before the last, or the first), or nil when it held.
function format.risk_message(r)
  local h = r.history
  if #h < 2 then return nil end
  local last = h[#h]
  local from = h[1]
  local year_before = date.add_days(last.assessed_on, -365)
  for i = #h - 1, 1, -1 do
    if h[i].assessed_on >= year_before then from = h[i] end
  end
  local a, b = from.residual.score, last.residual.score
  if a == b then return "Residual score held at " .. format.number(b) .. " since " .. from.assessed_on end
  return "Residual score " .. (b > a and "rose" or "fell") .. " from " .. format.number(a) .. " to "
    .. format.number(b) .. " since " .. from.assessed_on
end

--- A KPI against its target over its last three measurements: "Below target in 2 of the last 3
--- measurements", "On target in each of the last 3 measurements", or nil without a target.
function format.kpi_message(k)
  if k.target == nil or #k.measurements == 0 then return nil end
  local n, missed = 0, 0
  for i = #k.measurements, math.max(1, #k.measurements - 2), -1 do
    n = n + 1
    if k.met_of(k.measurements[i]) == false then missed = missed + 1 end
  end
  local last = n == 1 and "the last measurement" or ("the last " .. n .. " measurements")
  if missed == 0 then return "On target in " .. (n == 1 and "" or "each of ") .. last end
  return (k.direction == "lower" and "Above" or "Below") .. " target in " .. missed .. " of " .. last
end

--- Open risks per quarter: "Open risks above Medium rose from 12 to 17 since 2025-Q1", counting
--- the risks in the bands above the middle one (levels: the bands, lowest first).
function format.levels_message(quarters, levels)
  if #quarters < 2 or #levels < 2 then return nil end
  local from = math.floor(#levels / 2) + 1
  local function above(q)
    local n = 0
    for i = from, #levels do n = n + (q.counts[levels[i].name] or 0) end
    return n
  end
  local a, b = above(quarters[1]), above(quarters[#quarters])
  local what = "Open risks rated " .. levels[from].name .. " or higher"
  if a == b then return what .. " held at " .. b .. " since " .. quarters[1].label end
  return what .. " " .. (b > a and "rose" or "fell") .. " from " .. a .. " to " .. b .. " since "
    .. quarters[1].label
end

--- "1 risk", "3 risks"
function format.count(n, singular, plural)
  return format.number(n) .. " " .. (n == 1 and singular or (plural or singular .. "s"))
end

--- Days in words: "today", "1 day", "23 days".
function format.days(n)
  if n == nil then return "" end
  if n == 0 then return "today" end
  return format.count(n, "day")
end

--- A word for a register value: in_progress -> "in progress".
function format.word(value)
  if value == nil then return "–" end
  return (tostring(value):gsub("_", " "))
end

--- A percentage of a whole: "43 %".
function format.percent(part, whole)
  if not whole or whole == 0 then return "–" end
  return format.number(part * 100 / whole, 0) .. "\u{202F}%"
end

--- A level badge as HTML: the level's name and score on its colour ("High 12"), or "not
--- assessed". (The markup of templates/_level.html, as a function: it is on every row.)
function format.level(scores)
  if not scores then return '<span class="muted">not assessed</span>' end
  return '<span class="level level-' .. scores.level.slug .. '">' .. html.escape(scores.level.name)
    .. ' <span class="score">' .. format.number(scores.score) .. '</span></span>'
end

--- A risk's scores as HTML: a threat's level badge (format.level); an opportunity's benefit
--- and score on a neutral badge ("Significant benefit · 12"), level colours being for threats'
--- levels.
function format.scores(r, scores)
  if not r.opportunity or not scores then return format.level(scores) end
  local scoring = require "riskreg.scoring"
  return '<span class="status">' .. html.escape(scoring.benefit_labels[scores.impact] or "") ..
    ' benefit · <span class="score">' .. format.number(scores.score) .. '</span></span>'
end

--- A readiness status as a badge: its word on the status's tint (style.css: .readiness-NAME),
--- so that the colour never stands alone: <span class="readiness readiness-initial">Initial</span>.
--- status: the status's name (not_addressed); word: how it reads (default from the name).
function format.readiness(status, word)
  status = status or "not_assessed"
  local text = word or (status:sub(1, 1):upper() .. (status:sub(2):gsub("_", " ")))
  return '<span class="readiness readiness-' .. html.escape((status:gsub("_", "-"))) .. '">' .. html.escape(text)
    .. '</span>'
end

--- Days from now to a date in words: "in 45 days", "today", "12 days ago"; nil is "".
function format.countdown(n)
  if n == nil then return "" end
  if n == 0 then return "today" end
  if n > 0 then return "in " .. format.days(n) end
  return format.days(-n) .. " ago"
end

--- The file name of a record's page in its folder: "R-001.html" (risks/R-001.html). Every page
--- of a record and every link to one is named here: an ID that cannot be a file name as it is
--- (index, CON, NUL.txt) gets "_" before it (riskreg.model.file_name), so its page is its own.
function format.page(id)
  return model.file_name(id) .. ".html"
end

--- An overdue badge as HTML (" Overdue 23 days"), or "" when not overdue.
function format.overdue(days)
  if not days then return "" end
  return ' <span class="badge overdue">Overdue ' .. format.days(days) .. '</span>'
end

return format
