#!/usr/bin/env bash
# Extend, don't copy (issue 14): a project fills the named places of built-in pages and sets a
# page's heading from scripts/extend.lua (riskreg.places); every built-in template declares its
# variables (scripts/lib/templates.lua), `riskreg help templates` and the READMEs list them from
# that declaration, and a check finds a template using what it does not declare or a page
# passing what its template does not list. Asserts on the rendered pages a reader sees.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
DEMO="$ROOT/register/demo"

# project NAME: a copy of the demo project (settings, scripts, templates) with its data
project() {
    mkdir -p "$1"
    cp -r "$DEMO/riskreg.lua" "$DEMO/scripts" "$DEMO/templates" "$1/"
    "$RISKREG" -C "$1" import -q "$DEMO/data" --on 2026-11-20 >/dev/null 2>&1 || echo "cannot import into $1" >&2
}
# line_of FILE TEXT: the line number of the first line holding TEXT (0 when none)
line_of() { grep -nF -- "$2" "$1" | head -1 | cut -d: -f1 | grep . || echo 0; }

project demo
t "the demo's supplier performance section is in the pack, after the other parties' input"
rr -C demo build --quiet
is_rc 0
pack=demo/public/review/index.html
file_has "$pack" '<h2>Supplier performance</h2>'
file_has "$pack" '<th scope="row">Halcyon Data Centres</th>'
file_has "$pack" 'Data-centre provider on-time change completion'
others=$(line_of "$pack" '<section class="input" id="other_parties">')
supplier=$(line_of "$pack" '<section class="input supplier" id="supplier-performance">')
resources=$(line_of "$pack" '<section class="input" id="resources">')
[ "$others" -gt 0 ] && [ "$supplier" -gt "$others" ] && [ "$resources" -gt "$supplier" ] ||
    _fail "order: other_parties $others, supplier $supplier, resources $resources"
is_eq "$(grep -c 'id="supplier-performance"' "$pack")" 1 "supplier sections"

t "a page without fills shows no trace of its places"
out=$(grep -c 'place' demo/public/index.html)
is_eq "$out" 0 "mentions of place on the dashboard"

# A second project: two fills of one place, a dashboard-end fill, the owner in every risk heading.
project more
cat >more/templates/note.html <<'EOF'
<section class="note"><h2><%= heading %></h2><p>Note for <%= site.period %>: <a href="<%= root %>changes.html"><%= text %></a></p></section>
EOF
cat >more/scripts/extend.lua <<'EOF'
local places = require "riskreg.places"
places.add("index.html", "end", { template = "note.html", vars = { heading = "First note", text = "one" } })
places.add("index.html", "end", { template = "note.html", vars = function(page)
  return { heading = "Second note", text = #page.top .. " top risks" }
end })
places.add("review.html", "before:risks", { template = "note.html", vars = { heading = "Before risks", text = "k" } })
places.add("risk.html", "facts", { template = "note_fact.html", vars = function(page)
  return { category = page.r.category or "none" }
end })
places.heading("risk.html", function(page)
  return page.r.id .. " " .. page.r.title .. " — " .. (page.r.owner or "no owner")
end)
EOF
echo '<dt>Checked by</dt><dd>the board (<%= category %>)</dd>' >more/templates/note_fact.html

t "two fills of one place render in the order they were added, at the end of the dashboard"
rr -C more build --quiet
is_rc 0
idx=more/public/index.html
first=$(line_of "$idx" '<h2>First note</h2>')
second=$(line_of "$idx" '<h2>Second note</h2>')
cats=$(line_of "$idx" 'id="categories"')
main_end=$(line_of "$idx" '</main>')
[ "$first" -gt "$cats" ] && [ "$second" -gt "$first" ] && [ "$main_end" -gt "$second" ] ||
    _fail "order: categories $cats, first $first, second $second, </main> $main_end"
file_has "$idx" '<a href="changes.html">one</a>'
file_has "$idx" 'top risks</a>'
file_has more/public/risks/R-001.html '<dt>Checked by</dt><dd>the board ('
before=$(line_of more/public/review/index.html '<h2>Before risks</h2>')
risks=$(line_of more/public/review/index.html '<section class="input" id="risks">')
[ "$before" -gt 0 ] && [ "$risks" -gt "$before" ] || _fail "before:risks at $before, risks at $risks"

t "every risk page's heading names its owner, in the title and the breadcrumb too"
n=0
for page in more/public/risks/R-*.html; do
    owner=$(grep -o '<dt>Owner</dt><dd>[^<]*</dd>' "$page" | sed 's#.*<dd>\(.*\)</dd>#\1#')
    [ "$owner" = "–" ] && owner="no owner"
    grep -q "<h1>R-[0-9]* .* — $owner</h1>" "$page" || _fail "$page: heading lacks '— $owner': $(grep '<h1>' "$page")"
    grep -q "<title>R-[0-9]* .* — $owner · " "$page" || _fail "$page: <title> lacks the owner"
    grep -q "<li aria-current=\"page\">R-[0-9]* .* — $owner</li>" "$page" || _fail "$page: breadcrumb lacks the owner"
    n=$((n + 1))
done
[ "$n" -ge 60 ] || _fail "only $n risk pages"
file_has more/public/index.html '<h1>Management review dashboard</h1>'

t "an unknown place fails the build naming the file, the known places and the nearest; the site stays"
before=$(tree_fp more/public)
cat >more/scripts/extend.lua <<'EOF'
local places = require "riskreg.places"

places.add("review.html", "after:other_partys", { template = "note.html", vars = {} })
EOF
rr -C more build --quiet
is_rc 1
err_has "extend.lua:3: riskreg.places: review.html has no place 'after:other_partys'; did you mean 'after:other_parties'?"
err_has "its places are top, before:previous_actions, after:previous_actions"
err_has ", end"
is_eq "$(tree_fp more/public)" "$before" "the published site"

t "an unknown page fails naming the pages that have places"
printf 'require("riskreg.places").heading("risk.htm", "x")\n' >more/scripts/extend.lua
rr -C more build --quiet
is_rc 1
err_has "extend.lua:1: riskreg.places: no built-in page 'risk.htm' with places; did you mean 'risk.html'?"
err_has "(pages: index.html, risks.html, risk.html"
is_eq "$(tree_fp more/public)" "$before" "the published site"

t "a fill that is not a template is refused with the way to write one"
printf 'require("riskreg.places").add("index.html", "end", "<p>hi</p>")\n' >more/scripts/extend.lua
rr -C more build --quiet
is_rc 1
err_has 'extend.lua:1: riskreg.places.add: the fill must be a table with template = "NAME.html"'

t "riskreg help templates lists every template with its variables, places and the records' shapes"
rr help templates
is_rc 0
out_has "Every page gets (from context.page):"
out_has "review.html (review/index.html): the management-review pack"
out_has "  places: top, before:previous_actions, after:previous_actions"
out_has "risk.html (risks/ID.html): one risk"
out_has "    history          list of assessment: newest first"
out_has "risk (the fields of risks, and):"
out_has "    current          assessment: the latest assessment (assessed_on, assessor, note"
out_has "level:"
for f in "$ROOT"/report-templates/*.html "$ROOT"/report-templates/pack/*.html; do
    name=${f#"$ROOT"/report-templates/}
    case "$out" in *"
$name"*) ;; *) _fail "help templates omits $name" ;; esac
done
all=$out
rr help templates pages
pages=$out
rr help templates records
records=$out
is_eq "$all" "$pages

$out" "help templates = pages, then records"
rr help templates nonsense
is_rc 2

# block FILE: the fenced block after the line <!-- riskreg help templates PART -->
block() { awk -v part="$2" '$0 == "<!-- riskreg help templates " part " -->" { on = 1; next } on && /^```/ { if (inside) exit; inside = 1; next } on && inside' "$1"; }
# rewrite FILE PART TEXT: the fenced block after the marker made TEXT (make docs)
rewrite() {
    printf '%s\n' "$3" >block.txt
    awk -v part="$2" 'FNR == NR { text = text $0 "\n"; next }
        skip && /^```/ { if (inside) { skip = 0; inside = 0; printf "%s", text } else inside = 1; print; next }
        skip && inside { next }
        { print }
        $0 == "<!-- riskreg help templates " part " -->" { skip = 1 }' block.txt "$1" >"$1.new" && mv "$1.new" "$1"
}
if [ -n "${DOCS_WRITE:-}" ]; then
    rewrite "$ROOT/report-templates/README.md" pages "$pages"
    rewrite "$ROOT/scripts/README.md" records "$records"
fi
t "report-templates/README.md and scripts/README.md list what riskreg help templates says"
is_eq "$(block "$ROOT/report-templates/README.md" pages)" "$pages" "report-templates/README.md's list (paste riskreg help templates pages)"
is_eq "$(block "$ROOT/scripts/README.md" records)" "$records" "scripts/README.md's records (paste riskreg help templates records)"

# The declaration check, run in a build: texts are the templates as they are; passed is what each
# built-in page's builder passed (recorded by context.page).
checker() { # checker PROJECT TEMPLATES_DIR: a page script that checks, writing problems to check.txt
    {
        echo 'local texts = {}'
        (cd "$2" && for f in *.html pack/*.html; do
            printf 'texts["%s"] = [==[\n' "$f"
            cat "$f"
            printf ']==]\n'
        done)
        cat <<'EOF'
local site = require "riskreg.site"
local template = require "riskreg.template"
local templates = require "riskreg.templates"
local model = require "riskreg.model"
local register = require "riskreg.register"
local globals = setmetatable({}, { __index = function(_, k)
  return template.globals[k] ~= nil or rawget(_G, k) ~= nil
end })
local problems = templates.check { texts = texts, passed = templates.passed, globals = globals }
-- the fields each view adds are documented in its shape
local views = {
  risks = register.risks { as_of = site.as_of, previous = site.previous_as_of },
  improvements = register.improvements { as_of = site.as_of },
  nonconformities = register.nonconformities { as_of = site.as_of },
  kpis = register.kpis { as_of = site.as_of },
  audits = register.audits { as_of = site.as_of },
  reviews = register.reviews { as_of = site.as_of },
}
for _, shape in ipairs(templates.shapes) do
  local list = shape.kind and views[shape.kind]
  if list then
    local known = {}
    for _, f in ipairs(model.kind[shape.kind].fields) do known[f.name] = true end
    for _, f in ipairs(shape.fields) do known[f[1]] = true end
    local missing = {}
    for _, v in ipairs(list) do
      for k in pairs(v) do
        if not known[k] then missing[k] = true end
      end
    end
    for k in pairs(missing) do problems[#problems + 1] = shape.name .. ": field '" .. k .. "' is not documented" end
  end
end
local extra = templates.check { passed = { ["changes.html"] = { c = true, extra = true } } }
assert(site.write("check.txt", table.concat(problems, "\n") .. "\n"))
assert(site.write("extra.txt", table.concat(extra, "\n") .. "\n"))
EOF
    } >"$1/scripts/pages/zz_check.lua"
    echo 'require("riskreg.templates").passed = {}' >"$1/scripts/extend.lua"
}

project checked
t "every built-in template uses only what it declares, and every page passes exactly what its template declares"
checker checked "$ROOT/report-templates"
rr -C checked build --quiet
is_rc 0
is_eq "$(cat checked/public/check.txt)" "" "problems"
is_eq "$(cat checked/public/extra.txt)" "changes.html: its page passes 'extra', which it does not declare" \
    "a page passing a variable its template does not declare"

t "the check fails for a template that uses a variable it does not declare (a copy, changed)"
cp -r "$ROOT/report-templates" bad-templates
printf '<%% if false then %%><%%= undeclared_thing %%><%% end %%>\n' >>bad-templates/risk.html
printf '<%% title = "Mine" %%>\n' >>bad-templates/owner.html
printf '<p>x</p>\n' >bad-templates/_new_partial.html
project bad
checker bad bad-templates
rr -C bad build --quiet
is_rc 0
file_has bad/public/check.txt "risk.html: uses 'undeclared_thing', which it does not declare"
file_has bad/public/check.txt "owner.html: assigns 'title', which does nothing outside this template"
file_has bad/public/check.txt "_new_partial.html: not declared in scripts/lib/templates.lua"
is_eq "$(wc -l <bad/public/check.txt)" 3 "problems"

done_testing
