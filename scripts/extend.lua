-- extend.lua: run before the built-in pages. A project's own scripts/extend.lua replaces this
-- empty one to fill the pages' named places and set their headings (riskreg.places; riskreg
-- help templates lists each page's places).
return true
