-- riskreg.lua for the demo register: Northwind Managed Services' ISO/IEC 20000-1 SMS.
return {
  name = "Northwind Managed Services",

  matrix = {
    size = 5,
    likelihood = { "Rare", "Unlikely", "Possible", "Likely", "Almost certain" },
    impact = { "Negligible", "Minor", "Moderate", "Major", "Severe" },
  },

  levels = {
    { name = "Low", max = 4, colour = "#d9f0d3" },
    { name = "Medium", max = 9, colour = "#fee08b" },
    { name = "High", max = 14, colour = "#f4a261" },
    { name = "Critical", max = 25, colour = "#c0392b" },
  },

  appetite = 9,

  review = { every_days = 90 },
}
