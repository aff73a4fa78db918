-- lib.matrix: the likelihood x impact grid with the number of risks in each cell, as the heat
-- map tables (and, from the charts issue on, the heat map pictures) show it.

local scoring = require "riskreg.scoring"

local matrix = {}

--- Counts per cell for "residual" or "inherent" scores of a list of risks (or, with
--- opportunities, of opportunities: rated on benefit, with no appetite). Returns
--- { rows = { { impact = i, label = ..., cells = { { likelihood, count, score, level, above } } } },
---   likelihood_labels = {...}, impact_labels, axis ("Impact" or "Benefit"), total = n,
---   which, opportunities } with the highest impact first.
function matrix.counts(risks, which, opportunities)
  local n = scoring.size
  local labels = opportunities and scoring.benefit_labels or scoring.impact_labels
  local grid = {}
  for i = 1, n do
    grid[i] = {}
    for l = 1, n do grid[i][l] = 0 end
  end
  local total = 0
  for _, r in ipairs(risks) do
    local s = r[which]
    if s then
      grid[s.impact][s.likelihood] = grid[s.impact][s.likelihood] + 1
      total = total + 1
    end
  end
  local rows = {}
  for i = n, 1, -1 do
    local cells = {}
    for l = 1, n do
      local score = scoring.score(l, i)
      cells[l] = { likelihood = l, count = grid[i][l], score = score, level = scoring.level(score),
                   above = not opportunities and scoring.above_appetite(score) }
    end
    rows[#rows + 1] = { impact = i, label = labels[i], cells = cells }
  end
  return { rows = rows, likelihood_labels = scoring.likelihood_labels, impact_labels = labels,
           axis = opportunities and "Benefit" or "Impact", total = total, which = which,
           opportunities = opportunities == true }
end

return matrix
