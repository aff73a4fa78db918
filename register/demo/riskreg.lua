-- riskreg.lua for the demo register: Northwind Managed Services' ISO/IEC 20000-1 SMS.
-- Settings are data; report-templates/README.md explains each customisation used here.
return {
  name = "Northwind Managed Services",

  matrix = {
    size = 5,
    likelihood = { "Rare", "Unlikely", "Possible", "Likely", "Almost certain" },
    impact = { "Negligible", "Minor", "Moderate", "Major", "Severe" },
  },

  -- A changed level band: Northwind treats 15 and 16 as Critical (the default High band runs to
  -- 16), so that every risk at "likely and severe" or worse is in front of the board.
  levels = {
    { name = "Low", max = 4, colour = "#d9f0d3" },
    { name = "Medium", max = 9, colour = "#fee08b" },
    { name = "High", max = 14, colour = "#f4a261" },
    { name = "Critical", max = 25, colour = "#c0392b" },
  },

  appetite = 9,

  review = { every_days = 90 },

  -- An extra page, made by scripts/pages/services.lua, in the top bar.
  pages = {
    { path = "services.html", label = "Services" },
  },
}
