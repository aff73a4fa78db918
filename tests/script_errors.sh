#!/usr/bin/env bash
# Errors name the customiser's line (issue 14, item 5): every mistake in a project's scripts,
# templates or riskreg.lua fails the build with exactly one line on stderr, "riskreg: FILE:LINE:
# what is wrong", at the project's own file (never a built-in one), with the record a template was
# rendering; the build exits 1 and the published site stays as it was.
source "$(dirname "$0")/lib.sh"
DEMO="$HERE/../register/demo"

mkdir -p p/scripts/pages p/templates
cp "$DEMO/riskreg.lua" p/
"$RISKREG" -C p import -q "$DEMO/data" --on 2026-11-20 >/dev/null 2>&1
"$RISKREG" -C p build -q >/dev/null 2>&1 || echo "script_errors.sh: the demo does not build" >&2
SITE_FP=$(tree_fp p/public)

# page FILE TEXT: a project file (under p/) with this text
page() { printf '%s\n' "$2" >"p/$1"; }

# one_line LINE: exit 1, stderr is exactly LINE, stdout empty, the site as it was
one_line() {
    is_rc 1
    is_eq "$err" "$1" "stderr"
    is_eq "$out" "" "stdout"
    is_eq "$(tree_fp p/public)" "$SITE_FP" "public/"
    is_eq "$(find p -maxdepth 1 -name '.*.new-*')" "" "staging folders left"
}

# one_line_starting PREFIX: as one_line, for a line that starts with PREFIX
one_line_starting() {
    is_rc 1
    is_eq "$(printf '%s\n' "$err" | wc -l)" "1" "lines on stderr (got: ${err:0:300})"
    case $err in "$1"*) ;; *) _fail "stderr does not start with '$1': $err" ;; esac
    is_eq "$out" "" "stdout"
    is_eq "$(tree_fp p/public)" "$SITE_FP" "public/"
}

clean() { rm -f p/scripts/pages/*.lua p/scripts/*.lua p/templates/*.html; }

ALT="alt is required: the point of the chart in words (e.g. \"Residual risks: 6 critical, 14 high\")"

t "a chart spec without alt names the page script's line"
page scripts/pages/services.lua 'local chart = require "riskreg.chart"
-- a chart of services
local c = chart.bar { labels = { "a" }, series = { { name = "x", values = { 1 } } } }'
rr -C p build
one_line "riskreg: p/scripts/pages/services.lua:3: riskreg.chart.bar: $ALT"
clean

t "a chart spec error caught by pcall still carries the script's line"
page scripts/pages/services.lua 'local chart = require "riskreg.chart"
local ok, why = pcall(chart.donut, { labels = { "a" }, values = { 1 } })
error("caught: " .. why)'
rr -C p build
one_line "riskreg: p/scripts/pages/services.lua:3: caught: p/scripts/pages/services.lua:2: riskreg.chart.donut: $ALT"
clean

t "a chart spec's wrong field is named, at the script's line"
page scripts/pages/services.lua 'local chart = require "riskreg.chart"
local c = chart.line { alt = "x", labels = { "a", "b" },
  series = { { name = "x", values = { 1, "two" } } } }'
rr -C p build
one_line_starting "riskreg: p/scripts/pages/services.lua:2: riskreg.chart.line: series[1].values[2] must be a number"
clean

t "a template not found names the project line that asked for it, and the name"
page scripts/pages/services.lua 'local context = require "lib.context"

context.page("services.html", "servces.html", { title = "Services" })'
rr -C p build
one_line "riskreg: p/scripts/pages/services.lua:3: template 'servces.html' not found: it is neither in p/templates/ nor a built-in one"
page scripts/pages/services.lua 'local template = require "riskreg.template"
local html = template.render("nope.html", {})'
rr -C p build
one_line "riskreg: p/scripts/pages/services.lua:2: template 'nope.html' not found: it is neither in p/templates/ nor a built-in one"
clean

t "a template error while a page of one risk is made names the template's line and the risk"
page templates/risk.html '<% layout("layout.html") -%>
<h2><%= r.title %></h2>
<% if r.id == "R-007" then -%>
<p><%= r.ownr.name %></p>
<% end -%>'
rr -C p build
one_line_starting "riskreg: p/templates/risk.html:4 while rendering R-007: "
err_has "'ownr'"
page templates/risk.html '<% layout("layout.html") -%>
<h2><%= r.title %></h2>
<% if r.id == "R-011" then -%>
<p><%= no_such_variable %></p>
<% end -%>'
rr -C p build
one_line "riskreg: p/templates/risk.html:4 while rendering R-011: template risk.html: undefined variable 'no_such_variable'"
clean

t "a project page rendered per record names its record too"
page templates/service.html '<p><%= s.name %></p>
<p><%= s.nmae:upper() %></p>'
page scripts/pages/services.lua 'local context = require "lib.context"
for _, name in ipairs { "Email", "Hosting" } do
  context.page("services/" .. name .. ".html", "service.html", { s = { name = name } }, name)
end'
rr -C p build
one_line "riskreg: p/templates/service.html:2 while rendering Email: attempt to index a nil value (field 'nmae')"
clean

t "an error in a built-in template a project page renders names the project's line"
page scripts/pages/services.lua 'local template = require "riskreg.template"

local html = template.render("_level.html", { scores = {} })'
rr -C p build
one_line "riskreg: p/scripts/pages/services.lua:3: attempt to index a nil value (field 'level') (in the built-in template _level.html:1)"
clean

t "an unclosed '<%=' is said of the template, not in Lua's tokens"
page templates/audits.html '<% layout("layout.html") -%>
<p>Audits</p>
<p><%= site.period </p>
<p><%= site.as_of %></p>'
rr -C p build
one_line "riskreg: p/templates/audits.html: '<%=' at line 3 is not closed: its '%>' is missing"
page templates/audits.html '<% layout("layout.html") -%>
<p>Audits</p>
<%- site.period'
rr -C p build
one_line "riskreg: p/templates/audits.html: '<%-' at line 3 is not closed: its '%>' is missing"
page templates/audits.html '<% layout("layout.html") -%>

<% for _, a in ipairs(audits) do'
rr -C p build
one_line "riskreg: p/templates/audits.html: '<%' at line 3 is not closed: its '%>' is missing"
clean

t "a Lua mistake inside a template's tag is said with the template's line and the tag"
page templates/audits.html '<% layout("layout.html") -%>
<p>Audits</p>
<% if then %>
<% end %>'
rr -C p build
one_line "riskreg: p/templates/audits.html:3: the Lua in '<% if then %>' is not valid: unexpected symbol near 'then'"
page templates/audits.html '<% layout("layout.html") -%>
<p>Audits</p>
<% for _, a in ipairs(audits) do -%>
<p><%= a.title %></p>'
rr -C p build
one_line "riskreg: p/templates/audits.html:3: '<% for _, a in ipairs(audits) do -%>' has no '<% end %>' after it"
clean

t "template.source says which tag is not closed"
page scripts/pages/check.lua 'local template = require "riskreg.template"
local src, why = template.source("<p>\n<%= x </p>")
error(tostring(src) .. " / " .. why)'
rr -C p build
one_line "riskreg: p/scripts/pages/check.lua:3: nil / '<%=' at line 2 is not closed: its '%>' is missing"
clean

t "a Lua syntax error in a project script is one line"
page scripts/pages/services.lua 'local site = require "riskreg.site"
local x = = 1'
rr -C p build
one_line "riskreg: p/scripts/pages/services.lua:2: unexpected symbol near '='"
page scripts/pages/services.lua 'local helpers = require "helpers"'
page scripts/helpers.lua 'local M = {}
function M.f( return M'
rr -C p build
one_line "riskreg: p/scripts/helpers.lua:2: <name> or '...' expected near 'return'"
clean

t "an error in a project module names the module's line, not the built-in require"
page scripts/helpers.lua 'local M = {}
function M.count(list) return #list end
return M'
page scripts/pages/services.lua 'local helpers = require "helpers"
local n = helpers.count(nil)'
rr -C p build
one_line "riskreg: p/scripts/helpers.lua:2: attempt to get length of a nil value (local 'list')"
clean

t "an error in a project override of a built-in page builder names the override"
mkdir -p p/scripts/lib/pages
printf '%s\n' 'return function(ctx)' '  local x = ctx.no_such_table.count' 'end' >p/scripts/lib/pages/audits.lua
rr -C p build
one_line "riskreg: p/scripts/lib/pages/audits.lua:2: attempt to index a nil value (field 'no_such_table')"
rm -rf p/scripts/lib
clean

t "a runaway loop stops at --script-timeout naming the script and line"
page scripts/pages/slow.lua 'local n = 0
while true do n = n + 1 end'
rr -C p build --script-timeout 1
one_line "riskreg: p/scripts/pages/slow.lua:2: the report scripts ran longer than 1 s of CPU time (--script-timeout raises the limit)"
clean

t "a runaway loop in a helper a page calls names the helper's line"
page scripts/helpers.lua 'local M = {}
function M.spin() while true do end end
return M'
page scripts/pages/slow.lua 'local helpers = require "helpers"
helpers.spin()'
rr -C p build --script-timeout 1
one_line "riskreg: p/scripts/helpers.lua:2: the report scripts ran longer than 1 s of CPU time (--script-timeout raises the limit)"
clean

t "the memory cap names the script and line that ran out"
page scripts/pages/big.lua 'local t = {}
for i = 1, 1e9 do t[i] = { i } end'
rr -C p build --script-memory 64
one_line "riskreg: p/scripts/pages/big.lua:2: the report scripts need more than 64 MB of memory (--script-memory raises the limit)"
clean

t "a typo in riskreg.lua's score is one line at the setting"
cp p/riskreg.lua riskreg.lua.good
printf '%s\n' 'return {' '  appetite = 9,' '  score = "likelihod * impact",' '}' >p/riskreg.lua
rr -C p build
one_line "riskreg: p/riskreg.lua:3: score 'likelihod * impact' uses 'likelihod', which a score does not know: it is an expression of likelihood, impact and math (for example \"likelihood * impact\")"
rr -C p list risks
is_rc 1
is_eq "$err" "riskreg: p/riskreg.lua:3: score 'likelihod * impact' uses 'likelihod', which a score does not know: it is an expression of likelihood, impact and math (for example \"likelihood * impact\")" "stderr of list"

t "a mistake in riskreg.lua's pages is one line at the setting"
printf '%s\n' 'return {' '  appetite = 9,' '  pages = "services.html",' '}' >p/riskreg.lua
rr -C p build
one_line_starting "riskreg: p/riskreg.lua:3: pages must be a list"
cp riskreg.lua.good p/riskreg.lua

t "setting title in a template is an error at its line that says where a title is given"
page scripts/pages/services.lua 'require("lib.context").page("services.html", "services.html", { title = "Services" })'
page templates/services.html '<% layout("layout.html") -%>
<p>Services</p>
<% title = "Our services" %>'
rr -C p build
one_line "riskreg: p/templates/services.html:3: setting 'title' in a template does nothing: the layout reads the page's variables; give title in the page's vars (places.heading for a built-in page)"
clean

t "any other assignment to a name that is not local says to write local"
page scripts/pages/services.lua 'require("lib.context").page("services.html", "services.html", { title = "Services" })'
page templates/services.html '<% layout("layout.html") -%>
<% total = 0 %>
<p><%= total %></p>'
rr -C p build
one_line "riskreg: p/templates/services.html:2: 'total = ...' sets a variable that is lost when the template ends; write 'local total = ...'"
page templates/services.html '<% layout("layout.html") -%>
<% local total = 0 %>
<p>Total <%= total %></p>'
rr -C p build -q
is_rc 0
file_has p/public/services.html '<p>Total 0</p>'
clean

t "run inside the project, the paths are the project's own"
page scripts/pages/services.lua 'local chart = require "riskreg.chart"
local c = chart.sparkline { values = { 1, 2 } }'
(cd p && "$RISKREG" build) >/dev/null 2>"$TMP/inside.err"
is_eq "$(cat "$TMP/inside.err")" "riskreg: scripts/pages/services.lua:2: riskreg.chart.sparkline: $ALT" "stderr"
clean

t "RISKREG_TRACEBACK=1 adds Lua's traceback"
page scripts/pages/services.lua 'local x = nil
local y = x.field'
RISKREG_TRACEBACK=1 rr -C p build
is_rc 1
is_eq "$(printf '%s\n' "$err" | head -1)" "riskreg: p/scripts/pages/services.lua:2: attempt to index a nil value (local 'x')" "first line"
is_eq "$(printf '%s\n' "$err" | sed -n 2p)" "stack traceback:" "second line"
clean

t "with every mistake gone the site builds again"
rr -C p build -q
is_rc 0

done_testing
