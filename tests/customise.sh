#!/usr/bin/env bash
# Customising from the documentation alone (issue 14): the seven everyday tasks of
# report-templates/README.md ("Seven everyday tasks, step by step"), done in a copy of the demo
# project with the files exactly as that page shows them, and the rendered pages checked as a
# reader sees them. The careless mistakes are made one at a time; each must say what the page's
# table says, on one line, and leave the published site as it was.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
DEMO="$ROOT/register/demo"
README="$ROOT/report-templates/README.md"

# block NAME: the fenced block after <!-- customise: NAME --> in the README
block() {
    awk -v name="$1" '$0 == "<!-- customise: " name " -->" { on = 1; next }
        on && /^```/ { if (inside) exit; inside = 1; next } on && inside' "$README"
}
# expect MISTAKE: what the README's table says riskreg answers to it, without a trailing "…"
expect() {
    grep -F -- "| $1 |" "$README" | head -1 | sed -E 's/^\| .* \| `(.*)` \|$/\1/; s/[:;]? …$//'
}

mkdir c
cp -r "$DEMO/riskreg.lua" "$DEMO/scripts" "$DEMO/templates" c/
"$RISKREG" -C c import -q "$DEMO/data" --on 2026-11-20 >/dev/null 2>&1 || echo "cannot import the demo" >&2

# The risk Task 1 is about: its current residual rating is the least likely of severe impacts.
severe=$(sql c/register.db "SELECT a.risk_id FROM assessment a JOIN risk r ON r.id = a.risk_id
  WHERE r.closed_on IS NULL AND a.assessed_on = (SELECT max(b.assessed_on) FROM assessment b
    WHERE b.risk_id = a.risk_id AND b.assessed_on <= '$RISKREG_TODAY')
  AND coalesce(a.residual_impact, a.impact) = 5 AND coalesce(a.residual_likelihood, a.likelihood) = 1
  ORDER BY length(a.risk_id), a.risk_id LIMIT 1")

t "before: the demo scores a rare, severe risk 5 and its page shows the register's own heading"
[ -n "$severe" ] || _fail "the demo has no open risk rated 1×5"
rr -C c build --quiet
is_rc 0
file_has "c/public/risks/$severe.html" 'Residual <span class="level level-medium">Medium <span class="score">5</span>'
rr -C c show "$severe"
out_has "1×5 → 5 Medium"

t "every block the walkthrough names is on the page"
for name in riskreg.lua "riskreg.lua pages" scripts/pages/by-service.lua templates/by-service.html \
    scripts/extend.lua templates/theme.css scripts/pages/suppliers.lua; do
    [ -n "$(block "$name")" ] || _fail "no block <!-- customise: $name -->"
done

# Do the tasks as the page says: the riskreg.lua lines into the table it returns (and into its
# pages list), scripts and templates as files, extend.lua's lines added to the demo's own.
block riskreg.lua >score.lua
block "riskreg.lua pages" >pages.lua
SCORE=$(cat score.lua) PAGES=$(cat pages.lua) perl -i -pe \
    '$_ .= "$ENV{SCORE}\n" if /^return \{$/; $_ .= "$ENV{PAGES}\n" if /^  pages = \{$/' c/riskreg.lua
block scripts/pages/by-service.lua >c/scripts/pages/by-service.lua
block templates/by-service.html >c/templates/by-service.html
block scripts/extend.lua >>c/scripts/extend.lua
block templates/theme.css >c/templates/theme.css
block scripts/pages/suppliers.lua >c/scripts/pages/suppliers.lua

t "the customised demo builds"
rr -C c build --quiet
is_rc 0
is_eq "$err" "" "stderr"

t "task 1: the custom score is on the risk's page and at the command line alike"
file_has "c/public/risks/$severe.html" 'Residual <span class="level level-critical">Critical <span class="score">15</span>'
rr -C c show "$severe"
is_rc 0
out_has "1×5 → 15 Critical"
rr -C c list risks
out_has "$severe"
line=$(printf '%s\n' "$out" | grep -F "$severe " | head -1)
case "$line" in *"15"*Critical*) ;; *) _fail "list risks shows $severe as: $line" ;; esac
source_text=$(sed -n 's/^  score = "\(.*\)",$/\1/p' c/riskreg.lua)
is_eq "$(grep -o '"score_function": *"[0-9a-f]*"' c/public/data/summary.json | grep -o '[0-9a-f]\{64\}')" \
    "$(printf '%s' "$source_text" | sha256sum | cut -d' ' -f1)" "summary.json's score_function"

t "task 2: the risks-by-service page is in the top bar, with its chart and a table that adds up"
page=c/public/by-service.html
file_has "$page" '<h1>Risks by service</h1>'
file_has c/public/index.html '<a href="by-service.html">By service</a>'
file_has c/public/risks/index.html '<a href="../by-service.html">By service</a>'
img=$(grep -o 'src="charts/risks-by-service-[0-9a-f]*\.png"' "$page" | head -1 | cut -d'"' -f2)
[ -n "$img" ] && [ -s "c/public/$img" ] || _fail "no chart image on the page ($img)"
[ "$(head -c 8 "c/public/$img" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || _fail "$img is not a PNG"
open_on="r.created_on <= '$RISKREG_TODAY' AND (r.closed_on IS NULL OR r.closed_on > '$RISKREG_TODAY')"
open_assessed=$(sql c/register.db "SELECT count(*) FROM risk r WHERE $open_on AND EXISTS (SELECT 1 FROM assessment a WHERE a.risk_id = r.id
  AND a.assessed_on <= '$RISKREG_TODAY')")
total=$(grep -o '<td class="num">[0-9]*</td></tr>' "$page" | grep -o '[0-9]\+' | paste -sd+ | bc)
is_eq "$total" "$open_assessed" "open assessed risks in the table's Open column"
services=$(sql c/register.db "SELECT count(DISTINCT coalesce(service, '')) FROM risk r WHERE $open_on
  AND EXISTS (SELECT 1 FROM assessment a WHERE a.risk_id = r.id AND a.assessed_on <= '$RISKREG_TODAY')")
file_has "$page" "alt=\"Open risks by service and level: $services services; most in "
is_eq "$(grep -c '<th scope="row">' "$page")" "$services" "rows of the table"
file_has "$page" '<th scope="row">Backup &amp; Recovery</th>'

t "task 3: every risk page's heading, title and breadcrumb name its owner"
owner=$(sql c/register.db "SELECT owner FROM risk WHERE id = '$severe'")
title=$(sql c/register.db "SELECT title FROM risk WHERE id = '$severe'")
[ -n "$owner" ] || _fail "$severe has no owner in the demo"
file_has "c/public/risks/$severe.html" "<h1>$severe $title — $owner</h1>"
file_has "c/public/risks/$severe.html" "<title>$severe $title — $owner · Northwind Managed Services</title>"
headings=$(grep -l '<h1>R-[0-9]* .* — ' c/public/risks/R-*.html | wc -l)
is_eq "$headings" "$(ls c/public/risks/R-*.html | wc -l)" "risk pages with the owner in the heading"

t "task 4: the company colour: theme.css in the site, linked after style.css on every page"
cmp -s c/templates/theme.css c/public/theme.css || _fail "the theme is not the project's"
file_has c/public/theme.css "--header-bg: #003b5c"
grep -A1 -F '<link rel="stylesheet" href="../style.css">' c/public/risks/index.html | grep -qF '<link rel="stylesheet" href="../theme.css">' ||
    _fail "risks/index.html does not link theme.css right after style.css"
is_eq "$(grep -L 'theme.css' $(find c/public -name '*.html') | wc -l)" 0 "pages without the theme"

t "task 5: the supplier performance section is in the pack between other parties and resources"
pack=c/public/review/index.html
file_has "$pack" '<h2>Supplier performance</h2>'
n() { grep -nF -- "$1" "$pack" | head -1 | cut -d: -f1; }
others=$(n '<section class="input" id="other_parties">')
supplier=$(n 'id="supplier-performance"')
resources=$(n '<section class="input" id="resources">')
[ -n "$others" ] && [ -n "$supplier" ] && [ -n "$resources" ] && [ "$others" -lt "$supplier" ] && [ "$supplier" -lt "$resources" ] ||
    _fail "order: other_parties ${others:-none}, supplier ${supplier:-none}, resources ${resources:-none}"

t "task 7: the suppliers CSV is in data/ with export's quoting, and the Data page lists it"
csvfile=c/public/data/suppliers.csv
is_eq "$(head -1 "$csvfile" | tr -d '\r')" "party,name,target,unit" "the header"
is_eq "$(($(wc -l <"$csvfile") - 1))" "$(sql c/register.db "SELECT count(*) FROM kpi WHERE kind = 'supplier'")" "rows"
first=$(sql c/register.db "SELECT name FROM kpi WHERE kind = 'supplier' ORDER BY party, name LIMIT 1")
grep -qF -- "$first" "$csvfile" || _fail "the CSV lacks $first"
file_has c/public/data/index.html '<a href="suppliers.csv">suppliers.csv</a></td><td>Supplier performance: each supplier KPI with its target</td>'
file_has c/public/data/index.html '<a href="risks.csv">risks.csv</a>'

# Task 6: each careless mistake in turn, from the customised project as it builds.
published=$(tree_fp c/public)
cp -r c/scripts c/templates c/riskreg.lua .
restore() { rm -rf c/scripts c/templates && cp -r scripts templates riskreg.lua c/; }
# mistake KEY: build, and check the one line the README's table gives for KEY
mistake() {
    local want
    want=$(expect "$1")
    [ -n "$want" ] || _fail "the README's table has no row for $1"
    rr -C c build --quiet "${@:2}"
    is_rc 1
    err_has "riskreg: "
    err_has "$want"
    is_eq "$(printf '%s\n' "$err" | wc -l)" 1 "lines of the message"
    is_eq "$(tree_fp c/public)" "$published" "the published site"
    restore
}

t "task 6: a misspelt record field in a page script"
sed -i 's/r\.service or/r.servce or/' c/scripts/pages/by-service.lua
mistake '`r.servce` in `by-service.lua`'

t "task 6: a misspelt field of site in a template"
sed -i 's/<p class="lead">Open/<p class="lead"><%= site.nmae %> Open/' c/templates/by-service.html
mistake '`site.nmae` in a template'

t "task 6: a template name misspelt in context.page"
sed -i 's/"by-service.html",$/"by-servce.html",/' c/scripts/pages/by-service.lua
mistake '`"by-servce.html"` given to `context.page`'

t "task 6: a template tag left open"
sed -i 's/<%= s.total %>/<%= s.total/' c/templates/by-service.html
mistake '`<%= s.total` with no `%>`'

t "task 6: a chart without alt"
perl -0 -i -pe 's/\n  alt = most.*?"No open risks",//s' c/scripts/pages/by-service.lua
grep -q 'alt =' c/scripts/pages/by-service.lua && _fail "alt still there"
mistake 'a chart without `alt`'

t "task 6: a place name misspelt"
sed -i 's/"after:other_parties"/"after:other_partys"/' c/scripts/extend.lua
mistake '`"after:other_partys"`'

t "task 6: a loop that never ends, stopped by the CPU budget at the script's line"
echo 'while true do end' >>c/scripts/pages/by-service.lua
mistake '`while true do end` at the end of `by-service.lua`' --script-timeout 1

t "task 6: a misspelt name in the score"
sed -i 's/^  score = ".*",$/  score = "likelihood * impactt",/' c/riskreg.lua
mistake '`score = "likelihood * impactt"`'

t "task 6: a built-in template copied and a field misspelt names the risk being rendered"
cp "$ROOT/report-templates/risk.html" c/templates/risk.html
sed -i '0,/r\.owner/s/r\.owner/r.ownr/' c/templates/risk.html
mistake "a risk page's template misspelling a field"

t "task 7: naming the file data/risks.csv is refused: it is the register's own export"
sed -i 's|"data/suppliers.csv", rows|"data/risks.csv", rows|' c/scripts/pages/suppliers.lua
rr -C c build --quiet
is_rc 1
err_has "scripts/pages/suppliers.lua:6: data/risks.csv is one of the site's own files"
is_eq "$(tree_fp c/public)" "$published" "the published site"
restore

t "the project restored builds the same site again"
rr -C c build --quiet
is_rc 0
is_eq "$(tree_fp c/public)" "$published" "the published site"

done_testing
