#!/usr/bin/env bash
# Data files from report scripts (issue 14, item 4): riskreg.csv writes CSV as `riskreg export`
# does, site.data_file lists a script's file on the Data page, and writing over a file the site
# writes itself, or one another script wrote, fails the build naming the file and the script.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

mkdir -p proj/scripts/pages
cp "$ROOT/register/demo/riskreg.lua" proj/
"$RISKREG" -C proj import -q "$ROOT/register/demo/data" --on 2026-11-20 2>/dev/null
# a risk whose title holds what CSV must quote and a spreadsheet would run
TRICKY='=cmd|calc, "quoted"
second line'
"$RISKREG" -C proj add risks title="$TRICKY" owner=ana category=Continuity likelihood=2 impact=2 >/dev/null
ID=$(sql proj/register.db "SELECT id FROM risk WHERE title LIKE '=cmd%'")
# the cell as riskreg export writes it: quoted, the quote doubled, the apostrophe first
CELL="\"'=cmd|calc, \"\"quoted\"\"
second line\""

# page NAME: the project page script scripts/pages/NAME.lua, from stdin
page() { cat >"proj/scripts/pages/$1.lua"; }
clear_pages() { rm -f proj/scripts/pages/*.lua; }
staging_left() { find "$1" -maxdepth 1 -name '.*.new-*' | head -3; }

t "riskreg.csv.write: the rows of a script as riskreg export writes the same text"
page suppliers <<EOF
local csv = require "riskreg.csv"
local db = require "riskreg.db"
local site = require "riskreg.site"
local rows = {
  { supplier = "Acme, Inc.", note = "=cmd|calc", score = 3.5, tickets = 12 },
  { supplier = 'The "Best" Ltd', note = "late twice\nthen on time", score = -1.25 },
  { supplier = "Nil & Co", tickets = 0, note = "+44 20 7946 0000" },
  db.one("SELECT id AS supplier, title AS note FROM risk WHERE id = ?", "$ID"),
}
assert(csv.write("data/suppliers.csv", rows, { "supplier", "note", "score", "tickets" }))
site.data_file { path = "data/suppliers.csv", label = "Supplier performance",
                 description = "each supplier's score & tickets" }
EOF
rr -C proj build
is_rc 0
expected="supplier,note,score,tickets
\"Acme, Inc.\",'=cmd|calc,3.5,12
\"The \"\"Best\"\" Ltd\",\"late twice
then on time\",-1.25,
Nil & Co,'+44 20 7946 0000,,0
$ID,$CELL,,"
is_eq "$(cat proj/public/data/suppliers.csv)" "$expected" "data/suppliers.csv"
rr -C proj export --kind risks
case "$out" in *"$ID,risk,$CELL,"*) ;; *) _fail "riskreg export does not write the title as $CELL" ;; esac

t "the file reads back as the script's text (the apostrophe is the only change)"
python3 - proj/public/data/suppliers.csv <<'PY' || _fail "read back differs"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[1] == ["Acme, Inc.", "'=cmd|calc", "3.5", "12"], rows[1]
assert rows[2] == ['The "Best" Ltd', "late twice\nthen on time", "-1.25", ""], rows[2]
assert rows[4][1] == "'=cmd|calc, \"quoted\"\nsecond line", rows[4]
PY

t "the Data page lists the added file with its label, after the register's own files"
index=proj/public/data/index.html
file_has $index '<tr><td><a href="suppliers.csv">suppliers.csv</a></td><td>Supplier performance: each supplier&#39;s score &amp; tickets</td></tr>'
file_has $index '<a href="risks.csv">risks.csv</a>'
risks_line=$(grep -n 'href="risks.csv"' $index | cut -d: -f1)
added_line=$(grep -n 'href="suppliers.csv"' $index | cut -d: -f1)
[ "${risks_line:-0}" -gt 0 ] && [ "${added_line:-0}" -gt "$risks_line" ] || _fail "suppliers.csv is not listed after risks.csv"

t "the register's own data/risks.csv is still the export's"
rr -C proj export --kind risks --as-of 2026-11-25
is_eq "$(cat proj/public/data/risks.csv)" "$out" "data/risks.csv"

t "a listed file outside data/ is linked from the Data page by a relative URL"
page reports <<'EOF'
local csv = require "riskreg.csv"
local site = require "riskreg.site"
site.data_file { path = "reports/owners.csv", label = "Owners" }
assert(csv.write("reports/owners.csv", { { "ana", 3 } }))
EOF
rr -C proj build
is_rc 0
file_has proj/public/data/index.html '<a href="../reports/owners.csv">reports/owners.csv</a></td><td>Owners</td>'
is_eq "$(cat proj/public/reports/owners.csv)" "ana,3" "reports/owners.csv"
rm proj/scripts/pages/reports.lua

t "csv.encode: a header row, nil and empty cells, numbers as people read them, lists of cells"
page encode <<'EOF'
local csv = require "riskreg.csv"
local site = require "riskreg.site"
local text = csv.encode({ { 1, 2.0, 0.1, -7, true, nil, "", " padded", "@SUM(A1)", "-2" } })
assert(site.write("encoded.txt", text))
assert(csv.encode({}, { "id", "a, b" }) == 'id,"a, b"\n')
assert(csv.encode({}) == "")
EOF
rr -C proj build
is_rc 0
is_eq "$(cat proj/public/encoded.txt)" "1,2,0.1,-7,true,,,\" padded\",'@SUM(A1),'-2" "encoded.txt"

# ---- writing over a file that is written already ----------------------------------------------

before=$(tree_fp proj/public)

t "writing data/risks.csv from a script fails the build, naming the file and the script's line"
page zz <<'EOF'
local site = require "riskreg.site"
local csv = require "riskreg.csv"
assert(csv.write("data/risks.csv", { { "R-001", "mine" } }, { "id", "title" }))
EOF
rr -C proj build
is_rc 1
err_has "proj/scripts/pages/zz.lua:3: data/risks.csv is one of the site's own files: a script cannot write over it"
is_eq "$(printf '%s\n' "$err" | head -1 | grep -c '^riskreg: .*zz.lua:3: data/risks.csv')" 1 "first line: $(printf '%s\n' "$err" | head -1)"
is_eq "$out" "" "stdout of a failed build"
is_eq "$(tree_fp proj/public)" "$before" "public/ after the failed build"
is_eq "$(staging_left proj)" "" "staging folders left"

t "a page of the site written through ctx.page names the project's line, not the built-in one"
page zz <<'EOF'
local context = require "lib.context"
context.page("risks/index.html", "data.html", { title = "Mine", files = {}, added = {} })
EOF
rr -C proj build
is_rc 1
err_has "proj/scripts/pages/zz.lua:2: risks/index.html is one of the site's own files"
is_eq "$(tree_fp proj/public)" "$before" "public/ after the failed build"

t "the site's files made after the scripts (the Data page) are refused too"
page zz <<'EOF'
local site = require "riskreg.site"
assert(site.write("data/index.html", "<p>mine</p>"))
EOF
rr -C proj build
is_rc 1
err_has "proj/scripts/pages/zz.lua:2: data/index.html is one of the site's own files (riskreg writes it after the project's scripts)"
is_eq "$(tree_fp proj/public)" "$before" "public/ after the failed build"

t "the stylesheet and the other own files by site.write and site.copy"
for target in style.css index.html data/summary.json data/register.xlsx; do
    printf 'local site = require "riskreg.site"\nassert(site.write("%s", "x"))\n' "$target" >proj/scripts/pages/zz.lua
    rr -C proj build
    is_rc 1
    err_has "zz.lua:2: $target is one of the site's own files"
done
printf 'local site = require "riskreg.site"\nassert(site.copy("layout.html", "style.css"))\n' >proj/scripts/pages/zz.lua
rr -C proj build
is_rc 1
err_has "zz.lua:2: style.css is one of the site's own files"
is_eq "$(tree_fp proj/public)" "$before" "public/ after the failed builds"

t "two scripts writing the same file: an error naming both"
page zz <<'EOF'
local csv = require "riskreg.csv"
-- the second one
assert(csv.write("data/suppliers.csv", { { "again" } }))
EOF
rr -C proj build
is_rc 1
err_has "proj/scripts/pages/zz.lua:3: data/suppliers.csv was written already in this build, by proj/scripts/pages/suppliers.lua:10"
is_eq "$(tree_fp proj/public)" "$before" "public/ after the failed build"

t "an error caught with pcall still fails the build, and is said"
page zz <<'EOF'
local site = require "riskreg.site"
local ok = pcall(site.write, "index.html", "mine")
assert(not ok)
EOF
rr -C proj build
is_rc 1
err_has "zz.lua:2: index.html is one of the site's own files"
is_eq "$(tree_fp proj/public)" "$before" "public/ after the failed build"

t "a file on the Data page's list that no script wrote fails the build"
page zz <<'EOF'
local site = require "riskreg.site"
site.data_file { path = "data/forgotten.csv", label = "Forgotten" }
EOF
rr -C proj build
is_rc 1
err_has "proj/scripts/pages/zz.lua:2: data/forgotten.csv is on the Data page's list (site.data_file) but no script wrote it"
is_eq "$(tree_fp proj/public)" "$before" "public/ after the failed build"

# ---- mistakes in the arguments: one line naming the argument ----------------------------------

# mistake LINE EXPECTED: a page script whose line 2 is LINE fails with EXPECTED at zz.lua:2
mistake() {
    printf 'local csv, site = require "riskreg.csv", require "riskreg.site"\n%s\n' "$1" >proj/scripts/pages/zz.lua
    rr -C proj build
    is_rc 1
    err_has "proj/scripts/pages/zz.lua:2: $2"
}

t "argument errors of riskreg.csv name the argument"
mistake 'csv.encode("a,b")' "riskreg.csv.encode: rows must be a list of rows (tables), not string"
mistake 'csv.encode({ { id = 1 } })' "riskreg.csv.encode: rows[1] is keyed by name: give the columns in order"
mistake 'csv.encode({ { "a" }, "b" })' "riskreg.csv.encode: rows[2] must be a table"
mistake 'csv.encode({ { id = {} } }, { "id" })' "riskreg.csv.encode: rows[1].id is a table; a cell is text, a number, a boolean or nil"
mistake 'csv.encode({ { 1, 2, 3 } }, { "a", "b" })' "riskreg.csv.encode: rows[1] has 3 cells, more than the 2 columns"
mistake 'csv.encode({}, { "a", 2 })' "riskreg.csv.encode: columns[2] must be a column name (text), not number"
mistake 'csv.encode({ { 1 / 0 } })' "riskreg.csv.encode: rows[1][1] is not a finite number"
mistake 'csv.write("../out.csv", {})' "riskreg.csv.write: '../out.csv' is not a path in the site"
mistake 'csv.write({}, {})' "riskreg.csv.write: path must be the file's path in the site"

t "argument errors of site.data_file name the argument"
mistake 'site.data_file("data/x.csv")' "riskreg.site.data_file: give a table such as"
mistake 'site.data_file { path = "data/x.csv" }' "riskreg.site.data_file: label must be text saying what data/x.csv holds"
mistake 'site.data_file { path = "data/x.csv", lable = "X" }' "riskreg.site.data_file: unknown field 'lable'"
mistake 'site.data_file { path = "/etc/x.csv", label = "X" }' "riskreg.site.data_file: '/etc/x.csv' is not a path in the site"
mistake 'site.data_file { path = "data/suppliers.csv", label = "Again" }' "riskreg.site.data_file: data/suppliers.csv is on the Data page's list already (added by proj/scripts/pages/suppliers.lua:11)"
is_eq "$(tree_fp proj/public)" "$before" "public/ after the failed builds"

t "a mistake is said once, not as a cascade"
mistake 'csv.encode({ { id = 1 } })' "riskreg.csv.encode: rows[1] is keyed by name"
is_eq "$(printf '%s\n' "$err" | grep -c '^riskreg:')" 1 "riskreg: lines"

done_testing
