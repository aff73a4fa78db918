-- lib.charts: the site's charts, made from the model with riskreg.chart. Each function returns
-- the chart (path, width, height, alt, html) for a page; its alt text states the point, and the
-- page shows the same numbers in a table beside it.

local chart = require "riskreg.chart"
local scoring = require "riskreg.scoring"
local format = require "lib.format"

local charts = {}

local function level_list(counts, what)
  local parts = {}
  for i = #scoring.levels, 1, -1 do
    local band = scoring.levels[i]
    parts[#parts + 1] = format.number(counts[band.name] or 0) .. " " .. band.name:lower()
  end
  return what .. ": " .. table.concat(parts, ", ")
end

-- On a phone (up to 40 rem) a wide chart is shown drawn narrow, not shrunk: its labels keep
-- their size and nothing is wider than the screen. draw(spec) makes the chart; the narrow one
-- is the same spec at PHONE_WIDTH, its height given (or the wide one's scaled).
local PHONE_WIDTH = 340
local function for_phone(draw, spec, phone_height)
  local wide = draw(spec)
  local narrow_spec = {}
  for k, v in pairs(spec) do narrow_spec[k] = v end
  narrow_spec.file = spec.file .. "-phone"
  narrow_spec.size = { PHONE_WIDTH, phone_height or wide.height }
  local narrow = draw(narrow_spec)
  local src = narrow.html:match('src="([^"]*)"')
  -- (the <img>'s width and height are the wide one's; on a phone the stylesheet lets the narrow
  -- file give the size)
  wide.html = '<picture><source media="(max-width: 40rem)" srcset="' .. src .. ' 2x">' .. wide.html
    .. '</picture>'
  return wide
end

--- The likelihood x impact heat map of a lib.matrix grid ("residual" or "inherent").
function charts.heatmap(grid, page)
  local counts, colours, above = {}, {}, {}
  local by_level, outside = {}, 0
  for _, row in ipairs(grid.rows) do
    local i = row.impact
    counts[i], colours[i], above[i] = {}, {}, {}
    for l, cell in ipairs(row.cells) do
      counts[i][l] = cell.count
      colours[i][l] = cell.level.colour
      above[i][l] = cell.above
      by_level[cell.level.name] = (by_level[cell.level.name] or 0) + cell.count
      if cell.above then outside = outside + cell.count end
    end
  end
  local what = grid.which == "residual" and "Residual risks" or "Inherent risks"
  local alt = level_list(by_level, what) .. "; " .. format.number(outside)
    .. " in cells above the appetite (outlined)"
  if grid.opportunities then
    what = "Open opportunities by likelihood and benefit"
    alt = what .. ": " .. format.number(grid.total) .. " assessed"
  end
  return chart.heatmap {
    file = "heatmap-" .. (grid.opportunities and "opportunities-" or "") .. grid.which, page = page,
    counts = counts, colours = colours, above = above,
    x_labels = scoring.likelihood_labels, y_labels = grid.impact_labels,
    x_title = "Likelihood", y_title = grid.axis,
    alt = alt,
  }
end

--- Stacked bars of open risks per level over quarters.
function charts.levels_over_time(quarters, page)
  local labels, series = {}, {}
  for i, q in ipairs(quarters) do labels[i] = q.label end
  for i = #scoring.levels, 1, -1 do
    local band = scoring.levels[i]
    local values = {}
    for k, q in ipairs(quarters) do values[k] = q.counts[band.name] end
    series[#series + 1] = { name = band.name, values = values, colour = band.colour }
  end
  local last = quarters[#quarters]
  return for_phone(chart.bar, {
    file = "levels-over-time", page = page, labels = labels, series = series, stacked = true,
    alt = level_list(last.counts, "Open risks by level in " .. last.label)
      .. " (and the seven quarters before, in the table)",
  }, 240)
end

--- Horizontal bars of open risks per category, most first; past the fifteenth, the rest share
--- one bar, so that a register with a hundred categories still gives a readable chart.
local MAX_CATEGORY_BARS = 15

function charts.categories(categories, page)
  local labels, open, above = {}, {}, {}
  for i, c in ipairs(categories) do
    local bar = math.min(i, MAX_CATEGORY_BARS)
    if i <= MAX_CATEGORY_BARS then
      labels[i] = c.name
      open[i], above[i] = 0, 0
    end
    open[bar] = open[bar] + c.total - c.above
    above[bar] = above[bar] + c.above
  end
  if #categories > MAX_CATEGORY_BARS then
    labels[MAX_CATEGORY_BARS] = (#categories - MAX_CATEGORY_BARS + 1) .. " other categories"
  end
  local parts = {}
  for i = 1, math.min(3, #categories) do
    parts[i] = categories[i].name .. " " .. categories[i].total
  end
  return for_phone(chart.bar, {
    file = "categories", page = page, labels = labels, horizontal = true, stacked = true,
    value_labels = true,
    size = { 640, math.max(120, 36 + 26 * #labels) },
    series = {
      { name = "Above appetite", values = above, colour = chart.palette[2] },
      { name = "Within appetite", values = open, colour = chart.palette[1] },
    },
    alt = "Open risks by category, most first: " .. table.concat(parts, ", "),
  })
end

--- A tiny trend of a risk's residual score for tables.
function charts.sparkline(r, page)
  local values = {}
  local from = math.max(1, #r.history - 7)
  for i = from, #r.history do values[#values + 1] = r.history[i].residual.score end
  return chart.sparkline {
    file = "spark-" .. r.id, page = page, values = values,
    alt = r.id .. " residual score over the last " .. #values .. " assessments, now "
      .. format.number(values[#values] or 0),
  }
end

--- A risk's inherent and residual score over time, with the appetite line.
function charts.risk_trend(r, page)
  local labels, inherent, residual = {}, {}, {}
  for i, a in ipairs(r.history) do
    labels[i] = a.assessed_on
    inherent[i] = a.inherent.score
    residual[i] = a.residual.score
  end
  local last = r.history[#r.history]
  -- drawn at a size that fits a phone as it is: a risk page is read there too, and a few
  -- quarters of history need no more
  return chart.line {
    file = "risk-" .. r.id, page = page, labels = labels, size = { 360, 220 },
    series = {
      { name = "Inherent", values = inherent, colour = chart.palette[2] },
      { name = "Residual", values = residual, colour = chart.palette[1] },
    },
    target = scoring.appetite, target_label = "Appetite " .. format.number(scoring.appetite),
    y_min = 0, y_max = scoring.max_score,
    alt = r.id .. ": residual score " .. format.number(last.residual.score) .. " ("
      .. last.residual.level.name .. ") on " .. last.assessed_on .. ", inherent "
      .. format.number(last.inherent.score) .. "; appetite " .. format.number(scoring.appetite)
      .. "; trend " .. r.trend,
  }
end

--- Grouped bars of two counts per quarter (raised and completed, raised and closed).
function charts.per_quarter(file, quarters, a_name, a_field, b_name, b_field, what, page)
  local labels, a, b = {}, {}, {}
  for i, q in ipairs(quarters) do
    labels[i], a[i], b[i] = q.label, q[a_field], q[b_field]
  end
  local last = quarters[#quarters]
  return for_phone(chart.bar, {
    file = file, page = page, labels = labels, value_labels = true,
    series = { { name = a_name, values = a }, { name = b_name, values = b } },
    alt = what .. " per quarter; in " .. last.label .. ": " .. last[a_field] .. " "
      .. a_name:lower() .. ", " .. last[b_field] .. " " .. b_name:lower(),
  }, 240)
end

--- A donut of counts by name (statuses, in charts.status_colours).
function charts.donut(file, rows, centre, centre_label, what, page)
  local labels, values, colours = {}, {}, {}
  local parts = {}
  for i, row in ipairs(rows) do
    labels[i], values[i] = format.word(row.name), row.count
    colours[i] = charts.status_colours[row.name]
    if row.count > 0 then parts[#parts + 1] = row.count .. " " .. format.word(row.name) end
  end
  return chart.donut {
    file = file, page = page, labels = labels, values = values, colours = colours, size = { 360, 200 },
    centre = centre, centre_label = centre_label,
    alt = what .. ": " .. table.concat(parts, ", "),
  }
end

-- Nonconformity severity: one hue, darkest for major (never a level colour or a series blue).
charts.severity_colours = { major = "#6e2b7a", minor = "#a45aa8", observation = "#d7b4dc" }
-- Statuses: neutral greys, darker as the work goes on; a status is said by its word.
charts.status_colours = { proposed = "#d0d7de", approved = "#afb8c1", in_progress = "#6e7781",
                          done = "#24292f", rejected = "#eaeef2" }

--- Stacked bars per quarter by severity.
function charts.by_severity(quarters, severities, page)
  local labels, series = {}, {}
  for i, q in ipairs(quarters) do labels[i] = q.label end
  for k, sev in ipairs(severities) do
    local values = {}
    for i, q in ipairs(quarters) do values[i] = q.by_severity[k] end
    series[k] = { name = format.word(sev), values = values, colour = charts.severity_colours[sev] }
  end
  local total = 0
  for _, n in ipairs(quarters[#quarters].by_severity) do total = total + n end
  return for_phone(chart.bar, {
    file = "nonconformities-by-severity", page = page, labels = labels, series = series,
    stacked = true,
    alt = "Nonconformities raised per quarter by severity; " .. total .. " in "
      .. quarters[#quarters].label,
  }, 240)
end

--- Horizontal bars of a count per name (sources).
function charts.counts(file, rows, field, what, page)
  local labels, values, parts = {}, {}, {}
  for i, row in ipairs(rows) do
    labels[i], values[i] = format.word(row.name), row[field]
    if i <= 3 then parts[#parts + 1] = format.word(row.name) .. " " .. row[field] end
  end
  return for_phone(chart.bar, {
    file = file, page = page, labels = labels, horizontal = true, value_labels = true,
    size = { 640, math.max(100, 36 + 26 * #labels) },
    series = { { name = what, values = values } },
    alt = what .. ", most first: " .. table.concat(parts, ", "),
  })
end

--- A KPI against its target over time: the last two years at 640×240, or with small the last
--- year at 320×200 (drawn at that size, so that two side by side keep their text readable).
function charts.kpi(k, page, small)
  local labels, values = {}, {}
  local from = math.max(1, #k.measurements - (small and 11 or 23))
  for i = from, #k.measurements do
    labels[#labels + 1] = k.measurements[i].measured_on:sub(1, 7)
    values[#values + 1] = k.measurements[i].value
  end
  local unit = k.unit == "%" and "%" or nil
  -- the axis starts near the values, so that a KPI living around 99.9 % shows its changes
  local lo, hi = math.huge, -math.huge
  for _, v in ipairs(values) do lo, hi = math.min(lo, v), math.max(hi, v) end
  if k.target then lo, hi = math.min(lo, k.target), math.max(hi, k.target) end
  local y_min = 0
  if lo > 0 and hi > lo and lo > (hi - lo) then
    local step = 10 ^ math.floor(math.log(hi - lo, 10))
    y_min = math.floor((lo - (hi - lo) * 0.25) / step) * step
    if y_min < 0 then y_min = 0 end
  end
  local alt = k.name .. ": latest " .. format.value(k.latest.value, k.unit)
  if k.target then
    alt = alt .. " against a target of " .. (k.direction == "lower" and "at most " or "at least ")
      .. format.value(k.target, k.unit) .. (k.met and " (met)" or " (missed)")
  end
  local draw = small and chart.line or function(spec) return for_phone(chart.line, spec, 200) end
  return draw {
    file = (small and "kpi-small-" or "kpi-") .. k.id, page = page, labels = labels,
    size = small and { 320, 200 } or nil,
    series = { { name = k.name, values = values } },
    target = k.target, target_label = k.target and ("Target " .. format.value(k.target, k.unit)) or nil,
    unit = unit, y_min = y_min,
    alt = alt .. "; trend " .. k.trend,
  }
end

-- Was anything assessed by the end of the quarter (else its share says nothing)?
local function assessed(q)
  local r = q.readiness
  return r.share ~= nil and r.counts.not_assessed < r.applicable
end

--- The share of the requirements that apply found conforming, and defined or better, per
--- quarter (quarters: with readiness = certification.share's table, and defined_or_better).
--- The title says the point: the share rose, fell or held since the first quarter.
function charts.readiness(quarters, page)
  local labels, conforming, defined = {}, {}, {}
  for i, q in ipairs(quarters) do
    labels[i] = q.label
    if assessed(q) then
      conforming[i] = math.floor(q.readiness.share * 1000 + 0.5) / 10
      defined[i] = math.floor(q.defined_share * 1000 + 0.5) / 10
    end
  end
  return for_phone(chart.line, {
    file = "readiness-over-time", page = page, labels = labels, unit = "%", y_min = 0, y_max = 100,
    series = {
      { name = "Conforming", values = conforming, colour = chart.palette[3] },
      { name = "Defined or better", values = defined, colour = chart.palette[1] },
    },
    alt = charts.readiness_message(quarters),
  }, 200)
end

--- The readiness trend in words: "Share conforming rose from 12 % to 78 % since 2025-Q1".
function charts.readiness_message(quarters)
  local first, last
  for _, q in ipairs(quarters) do
    if assessed(q) then
      first = first or q
      last = q
    end
  end
  if not first then return "No requirement assessed in the last " .. #quarters .. " quarters" end
  local a, b = format.percent(first.readiness.share, 1), format.percent(last.readiness.share, 1)
  if first == last or a == b then
    return "Share conforming held at " .. b .. " since " .. first.label
  end
  return "Share conforming " .. (last.readiness.share > first.readiness.share and "rose" or "fell") .. " from "
    .. a .. " to " .. b .. " since " .. first.label
end

--- An owner's open risks by level.
function charts.owner_levels(counts, page, slug, name)
  local labels, values, colours = {}, {}, {}
  for i = #scoring.levels, 1, -1 do
    local band = scoring.levels[i]
    labels[#labels + 1] = band.name
    values[#values + 1] = counts[band.name]
    colours[#colours + 1] = band.colour
  end
  local total = 0
  for _, v in ipairs(values) do total = total + v end
  return chart.donut {
    file = "owner-" .. slug, page = page, labels = labels, values = values, colours = colours,
    size = { 360, 200 },
    centre = tostring(total), centre_label = total == 1 and "open risk" or "open risks",
    alt = level_list(counts, name .. "'s open risks"),
  }
end

return charts
