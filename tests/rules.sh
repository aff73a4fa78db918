#!/usr/bin/env bash
# One set of rules: with a custom score and custom bands in riskreg.lua, or the rules overridden
# by a project script, the command line (add, assess, show, list, due), the exports (CSV, JSON,
# XLSX, with and without --as-of) and the site say the same score, level and next review for
# every risk. And commands that only read never write.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3 # Debian's, with openpyxl (make deps)

# ---- a register scored its own way -----------------------------------------------------------

new_register p
cat >p/riskreg.lua <<'EOF'
return {
  name = "Custom scoring",
  score = "likelihood * impact + impact",
  levels = {
    { name = "Minor", max = 10, colour = "#e8f1fa" },
    { name = "Serious", max = 20, colour = "#f6c85f" },
    { name = "Severe", max = 30, colour = "#7a1f1f" },
  },
  appetite = 15,
  review = { every_days = 45 },
}
EOF

# the rule, computed here by hand: score = L * I + I; bands up to 10, 20, 30
score() { echo $(($1 * $2 + $2)); }
level() {
    local s=$1
    if [ "$s" -le 10 ]; then echo Minor; elif [ "$s" -le 20 ]; then echo Serious; else echo Severe; fi
}

# ID L I RL RI for each risk: added with the first pair, reassessed with the second
RISKS="R-001 3 5 2 4
R-002 1 2 1 1
R-003 4 4 3 3
R-004 5 5 4 5
R-005 2 3 2 2"

t "add and assess print the score and level the rules give"
while read -r id l i rl ri; do
    rr -C p add risks id="$id" title="Risk $id" owner=Ana likelihood="$l" impact="$i" --on 2026-09-01
    is_rc 0
    s=$(score "$l" "$i")
    out_has "$id added: Risk $id (residual $l×$i → $s $(level "$s"), inherent $l×$i → $s $(level "$s"))"
    rr -C p assess "$id" "$l" "$i" "$rl" "$ri" --on 2026-10-15
    is_rc 0
    rs=$(score "$rl" "$ri")
    out_has "$id assessed on 2026-10-15: residual $rl×$ri → $rs $(level "$rs") (was $l×$i → $s $(level "$s")), inherent $l×$i → $s $(level "$s")"
done <<<"$RISKS"
is_eq "$(sql p/register.db "SELECT next_review_on FROM risk WHERE id = 'R-001'")" "2026-11-29" "next review: 45 days after the latest assessment"

rr -C p build --quiet
is_rc 0
rr -C p export --format csv --kind risks --out risks.csv
rr -C p export --format json --out register.json
rr -C p export --format xlsx --out register.xlsx
rr -C p export --format csv --kind risks --as-of 2026-09-30 --out risks-then.csv
rr -C p list risks
list_out=$out
rr -C p list risks --json
list_json=$out

t "show, list, the CSV, JSON and XLSX exports and the risk's page agree, for every risk"
while read -r id l i rl ri; do
    s=$(score "$l" "$i")
    rs=$(score "$rl" "$ri")
    inherent="$l×$i → $s $(level "$s")"
    residual="$rl×$ri → $rs $(level "$rs")"
    rr -C p show "$id"
    out_has "inherent           $inherent"
    out_has "residual           $residual"
    line=$(printf '%s\n' "$list_out" | grep "^$id ")
    case $line in *"$inherent"*"$residual"*) ;; *) _fail "list: $line" ;; esac
    is_eq "$($PY -c '
import csv, sys
for r in csv.DictReader(open("risks.csv", newline="")):
    if r["id"] == sys.argv[1]:
        print(r["latest_likelihood"], r["latest_impact"], r["inherent_score"], r["inherent_level"],
              r["latest_residual_likelihood"], r["latest_residual_impact"], r["residual_score"], r["residual_level"])' "$id")" \
        "$l $i $s $(level "$s") $rl $ri $rs $(level "$rs")" "$id in risks.csv"
    is_eq "$($PY -c '
import json, sys
r = [r for r in json.load(open("register.json"))["risks"] if r["id"] == sys.argv[1]][0]
print(r["inherent_score"], r["inherent_level"], r["residual_score"], r["residual_level"], r["next_review_on"])' "$id")" \
        "$s $(level "$s") $rs $(level "$rs") 2026-11-29" "$id in register.json"
    is_eq "$(printf '%s\n' "$list_json" | $PY -c '
import json, sys
r = [r for r in json.load(sys.stdin) if r["id"] == sys.argv[1]][0]
print(r["inherent"]["score"], r["inherent"]["level"], r["residual"]["score"], r["level"], r["above_appetite"])' "$id")" \
        "$s $(level "$s") $rs $(level "$rs") $([ "$rs" -gt 15 ] && echo True || echo False)" "$id in list --json"
    page=$(tr -d '\n' <"p/public/risks/$id.html")
    case $page in *"Residual <span class=\"level level-$(level "$rs" | tr A-Z a-z)\">$(level "$rs") <span class=\"score\">$rs</span>"*) ;;
    *) _fail "$id's page does not show the residual $(level "$rs") $rs" ;; esac
    case $page in *"inherent <span class=\"level level-$(level "$s" | tr A-Z a-z)\">$(level "$s") <span class=\"score\">$s</span>"*) ;;
    *) _fail "$id's page does not show the inherent $(level "$s") $s" ;; esac
    case $page in *"<dt>Next review</dt><dd>2026-11-29"*) ;; *) _fail "$id's page: next review" ;; esac
done <<<"$RISKS"

t "the workbook colours each level by its band, and the pair it was computed from with it"
is_eq "$($PY -c '
import openpyxl
wb = openpyxl.load_workbook("register.xlsx")
ws = wb["risks"]
head = [c.value for c in ws[1]]
out = []
for row in ws.iter_rows(min_row=2):
    v = dict(zip(head, row))
    out.append("%s %s %s %s" % (v["id"].value, v["residual_level"].value,
        v["residual_level"].fill.fgColor.rgb[2:].lower(), v["residual_score"].fill.fgColor.rgb[2:].lower()))
print(";".join(out))')" \
    "R-001 Serious f6c85f f6c85f;R-002 Minor e8f1fa e8f1fa;R-003 Serious f6c85f f6c85f;R-004 Severe 7a1f1f 7a1f1f;R-005 Minor e8f1fa e8f1fa" "residual levels and colours"

t "the export as of a date gives the scores and next review the rules gave then"
is_eq "$($PY -c '
import csv
for r in csv.DictReader(open("risks-then.csv", newline="")):
    print(r["id"], r["residual_score"], r["residual_level"], r["next_review_on"])' | paste -sd';')" \
    "R-001 20 Serious 2026-10-16;R-002 4 Minor 2026-10-16;R-003 20 Serious 2026-10-16;R-004 30 Severe 2026-10-16;R-005 9 Minor 2026-10-16" "as of 2026-09-30"

t "above appetite and level filter and sort the list the way the site counts"
rr -C p list risks --above-appetite
is_rc 0
is_eq "$(printf '%s\n' "$out" | tail -n +2 | cut -d' ' -f1 | paste -sd' ')" "R-004" "above appetite (residual over 15)"
rr -C p list risks level=serious
is_eq "$(printf '%s\n' "$out" | tail -n +2 | cut -d' ' -f1 | paste -sd' ')" "R-001 R-003" "level=serious"
rr -C p list risks --sort score
is_eq "$(printf '%s\n' "$out" | tail -n +2 | cut -d' ' -f1 | paste -sd' ')" "R-004 R-001 R-003 R-005 R-002" "worst first"
is_eq "$($PY -c 'import json; s = json.load(open("p/public/data/summary.json"))["risks"]; print(s["above_appetite"], s["by_level"]["Serious"])')" "1 2" "the site's figures"
rr -C p list risks level=Hgh
is_rc 0
out_has "no risks match"
rr -C p list risks --sort colour
is_rc 2
err_has "--sort: use score (worst first), due (soonest first) or id"
rr -C p list improvements --above-appetite
is_rc 2
err_has "--above-appetite applies to risks"

t "due and check see the reviews the rules give, as list and the site do"
rr -C p due --within 3
is_rc 0
out_has "Nothing due within 3 days of 2026-11-25"
rr -C p due --within 4 --json
is_eq "$(printf '%s\n' "$out" | $PY -c 'import json, sys; print(sorted({d["due_on"] for d in json.load(sys.stdin)}))')" "['2026-11-29']" "due dates"

t "set and close give a risk the next review the rules give: a new cadence moves it, closing ends it"
rr -C p set R-005 review_every_days=10
is_rc 0
is_eq "$(sql p/register.db "SELECT next_review_on FROM risk WHERE id = 'R-005'")" "2026-10-25" "10 days after its latest assessment"
rr -C p set R-005 review_every_days=20 next_review_on=2026-12-24
is_eq "$(sql p/register.db "SELECT next_review_on FROM risk WHERE id = 'R-005'")" "2026-12-24" "a date set by hand stays"
rr -C p close R-005 --on 2026-11-01
is_rc 0
is_eq "$(sql p/register.db "SELECT next_review_on IS NULL FROM risk WHERE id = 'R-005'")" "1" "closed: no review"

# ---- a rule overridden by a project script ------------------------------------------------------

t "a project's own scripts/lib/rules.lua changes the command line, the exports and the site alike"
mkdir -p p/scripts/lib
# the next review: 10 days after an assessment, whatever the cadence
sed 's/^  return date.add_days(from, rules.review_every(risk))$/  return date.add_days(from, 10)/' \
    "$HERE/../scripts/lib/rules.lua" >p/scripts/lib/rules.lua
grep -q "date.add_days(from, 10)" p/scripts/lib/rules.lua || _fail "could not write the override"
rr -C p assess R-002 1 2 --on 2026-11-20
is_rc 0
is_eq "$(sql p/register.db "SELECT next_review_on FROM risk WHERE id = 'R-002'")" "2026-11-30" "next review written by assess"
rr -C p export --kind risks --as-of 2026-10-31 --out then.csv
is_eq "$($PY -c '
import csv
print([r["next_review_on"] for r in csv.DictReader(open("then.csv", newline="")) if r["id"] == "R-003"][0])')" "2026-10-25" "as of 2026-10-31"
rr -C p build --quiet --as-of 2026-10-31
is_rc 0
case $(tr -d '\n' <p/public/risks/R-003.html) in *"<dt>Next review</dt><dd>2026-10-25"*) ;; *) _fail "the page's next review" ;; esac
rm -r p/scripts

t "a treatment plan's overdue is one rule: due, check, the site's figure and page follow an override of it"
rr -C p set R-004 status=accepted action_plan="Move the backups off site" target_on=2026-11-01
is_rc 0
rr -C p set R-003 status=treating action_plan="Second carrier" target_on=2026-11-10
is_rc 0
plans() { # what due, check and the site say is overdue of the treatment plans
    rr -C p due --json
    printf '%s' "$out" | $PY -c 'import json, sys
print(" ".join(d["id"] for d in json.load(sys.stdin) if d["what"] == "treatment plan" and d["overdue"]))'
    rr -C p check --json
    printf '%s' "$out" | $PY -c 'import json, sys
print(" ".join(d["id"] for d in json.load(sys.stdin) if d["problem"] == "treatment plan overdue"))'
    rr -C p build --quiet
    sqlite3 :memory: "SELECT json_extract(readfile('p/public/data/summary.json'), '\$.overdue.treatment_plans')"
    grep -c "Overdue since" p/public/risks/R-004.html
}
is_eq "$(plans)" "R-003
R-003
1
0" "by the built-in rule: the treating risk, not the accepted one"
mkdir -p p/scripts/lib
# an accepted risk's plan falls due as well
sed 's/if not rules.is_open("risks", risk) or risk.status == "accepted" then return nil end/if not rules.is_open("risks", risk) then return nil end/' \
    "$HERE/../scripts/lib/rules.lua" >p/scripts/lib/rules.lua
cmp -s p/scripts/lib/rules.lua "$HERE/../scripts/lib/rules.lua" && _fail "could not write the override"
is_eq "$(plans)" "R-004 R-003
R-003 R-004
2
1" "by the project's rule"
rm -r p/scripts
rr -C p set R-004 status=open action_plan= target_on=
rr -C p set R-003 status=open action_plan= target_on=

t "scripts and templates that read a field a record does not have fail, naming the field and the kind"
mkdir -p p/scripts/pages p/templates
printf '%s\n' '<% for _, i in ipairs(items) do %><%= i.titel %><% end %>' >p/templates/typo.html
cat >p/scripts/pages/typo.lua <<'EOF2'
local site = require "riskreg.site"
local template = require "riskreg.template"
local register = require "riskreg.register"
assert(site.write("typo.html", template.render("typo.html", { items = register.improvements { as_of = site.as_of } })))
EOF2
"$RISKREG" -C p add improvements title="A typo's target" >/dev/null
rr -C p build
is_rc 1
err_has "p/templates/typo.html:1: improvement has no field 'titel'; did you mean 'title'?"
printf '%s\n' 'for _, r in ipairs(require("riskreg.register").risks { as_of = "2026-11-25" }) do assert(not r.opne) end' \
    >p/scripts/pages/typo.lua
rr -C p build
is_rc 1
err_has "p/scripts/pages/typo.lua:1: risk has no field 'opne'; did you mean 'open'?"
rm -r p/scripts p/templates

# ---- reads never write -------------------------------------------------------------------------

t "every command that only reads leaves register.db and its WAL byte for byte as they were"
# a WAL with content: a reader holds a snapshot from before a write, so the write cannot be
# checkpointed away when its connection closes
$PY -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN")
db.execute("SELECT count(*) FROM risk").fetchall()
open(sys.argv[2], "w").close()
time.sleep(120)' p/register.db holding &
holder=$!
for _ in $(seq 100); do [ -e holding ] && break; sleep 0.1; done
"$RISKREG" -C p add improvements title="Keep the WAL busy" >/dev/null
before=$(fingerprint p)
[ -s p/register.db-wal ] || _fail "no WAL with content to compare"
for cmd in "build --quiet" "build --quiet --as-of 2026-10-31" "show R-001" "show R-001 --json" \
    "list risks" "list risks --json --sort score" "due" "due --json" "check" "check --json" \
    "export --kind risks" "export --format json" "export --format xlsx --out wb.xlsx" \
    "export --as-of 2026-10-01 --out csvdir" "log" "log R-001 --json" "verify" \
    "__complete ids"; do
    # shellcheck disable=SC2086
    run "$RISKREG" -C p $cmd
    is_eq "$(fingerprint p)" "$before" "register after '$cmd' (exit $rc)"
done
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

t "a read command in a folder without a register says so, names the folder and writes nothing"
mkdir -p bare && cp p/riskreg.lua bare/
for cmd in build "list risks" "show R-001" due check "export --kind risks" log verify; do
    # shellcheck disable=SC2086
    run "$RISKREG" -C bare $cmd
    is_rc 1
    err_has "bare: no register here yet (no register.db)"
    err_has "riskreg init"
done
is_eq "$(ls -A bare)" "riskreg.lua" "files in the folder"

t "the matrix size is written by a command that writes, with its change-log entry, never by a read"
sed -i 's/^return {$/return { matrix = { size = 6 },/; s/max = 30,/max = 42,/' p/riskreg.lua
before=$(fingerprint p)
rr -C p build --quiet
is_rc 0
is_eq "$(fingerprint p)" "$before" "register after a build"
is_eq "$(sql p/register.db "SELECT value FROM setting WHERE name = 'matrix_size'")" "5" "the matrix size held"
rr -C p add risks title="On the new matrix" likelihood=6 impact=6
is_rc 0
is_eq "$(sql p/register.db "SELECT value FROM setting WHERE name = 'matrix_size'")" "6" "the matrix size held"
is_eq "$(sql p/register.db "SELECT count(*) FROM change_log WHERE kind = 'setting' AND operation = 'update'")" "1" "logged"

# ---- settings are checked ----------------------------------------------------------------------

t "a misspelt setting is an error naming the file, its line, the key and the nearest known key"
new_register s
printf -- '-- our settings\nreturn {\n  name = "X",\n  apetite = 12,\n}\n' >s/riskreg.lua
for cmd in build "list risks" "add risks title=x" "export --kind risks"; do
    # shellcheck disable=SC2086
    run "$RISKREG" -C s $cmd
    is_rc 1
    is_eq "$err" "riskreg: s/riskreg.lua:4: unknown setting 'apetite'; did you mean 'appetite'?" "$cmd"
done
printf 'return { review = { every_dayz = 30 } }\n' >s/riskreg.lua
rr -C s list risks
is_eq "$err" "riskreg: s/riskreg.lua:1: unknown setting 'review.every_dayz'; did you mean 'review.every_days'?"
printf 'appetite = "12"\n' >s/riskreg.lua
rr -C s list risks
is_eq "$err" "riskreg: s/riskreg.lua:1: appetite must be a number (a residual score; scores above it need a decision); it is the text \"12\""
printf 'return { custom = { supplier_targets = { gold = 99.9 } } }\n' >s/riskreg.lua
rr -C s list risks
is_rc 0

done_testing
