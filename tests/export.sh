#!/usr/bin/env bash
# Export: CSV in the import format, JSON, the register as of a date, formula protection.
source "$(dirname "$0")/lib.sh"
DEMO="$HERE/../register/demo"

mkdir -p demo && cp "$DEMO/riskreg.lua" demo/
"$RISKREG" -C demo import -q "$DEMO/data" --on 2026-11-20 2>/dev/null

t "export, import into an empty register, export again: identical files"
rr -C demo export --out first
is_rc 0
new_register copy
cp demo/riskreg.lua copy/ # the same levels: the computed columns come out the same
rr -C copy import -q first
is_rc 0
is_eq "$err" "" "the import's messages (computed columns are skipped without a word)"
is_rc 0
rr -C copy export --out second
is_rc 0
run diff -r first second
is_rc 0
is_eq "$(ls first | wc -l)" "$("$RISKREG" __complete kinds | wc -l)" "files (one per kind)"

t "the demo data survives the round trip byte for byte (but for row order and computed columns)"
for f in improvements audits kpis measurements review_actions; do
    cmp -s "$DEMO/data/$f.csv" "first/$f.csv" || _fail "$f.csv differs from the demo source"
done
# risks and assessments have the computed columns after the stored ones, nonconformities and
# reviews the fields added since the demo was written: their columns hold the source's
for f in risks assessments nonconformities reviews; do
    python3 - "$DEMO/data/$f.csv" "first/$f.csv" <<'PY' || _fail "$f.csv's stored columns differ from the demo source"
import csv, sys
source, exported = (list(csv.DictReader(open(p, newline="", encoding="utf-8"))) for p in sys.argv[1:])
assert len(source) == len(exported), (len(source), len(exported))
def unprotected(v):  # the apostrophe the export puts before formula-like text
    return v[1:] if v[:1] == "'" and v[1:2] in ("=", "+", "-", "@") else v
for a, b in zip(source, exported):
    assert all(unprotected(b[k]) == v for k, v in a.items()), (a, b)
PY
done
is_eq "$(head -1 first/assessments.csv)" "risk_id,assessed_on,likelihood,impact,residual_likelihood,residual_impact,assessor,note,inherent_score,inherent_level,residual_score,residual_level" "assessments header"
is_eq "$(sort "$DEMO/data/review_inputs.csv" | sha256sum)" "$(sort first/review_inputs.csv | sha256sum)" "review_inputs rows"

t "one kind to standard output, with the header the import reads"
rr -C demo export --kind risks
is_rc 0
is_eq "$(printf '%s\n' "$out" | head -1)" "id,kind,title,description,category,service,owner,status,treatment,controls,action_plan,target_on,created_on,closed_on,review_every_days,next_review_on,latest_likelihood,latest_impact,inherent_score,inherent_level,latest_residual_likelihood,latest_residual_impact,residual_score,residual_level"
out_has "R-060,"
# a risk's planned treatment, its Markdown as written, and its target date
is_eq "$(printf '%s\n' "$out" | python3 -c 'import csv, sys
r = {row["id"]: row for row in csv.DictReader(sys.stdin)}["R-007"]
print(r["target_on"], r["action_plan"].split("\n")[0][:40])')" \
    "$(sql demo/register.db "SELECT target_on || ' ' || substr(action_plan, 1, 40) FROM risk WHERE id = 'R-007'")" "R-007's plan in the CSV"
[ -n "$(sql demo/register.db "SELECT target_on FROM risk WHERE id = 'R-007'")" ] || _fail "R-007 of the demo has no plan"
rr -C demo export --format json --kind risks
is_eq "$(printf '%s' "$out" | python3 -c 'import json, sys
d = json.load(sys.stdin)
rows = d["risks"] if isinstance(d, dict) else d
print(sum(1 for r in rows if r.get("action_plan") and r.get("target_on")))')" \
    "$(sql demo/register.db "SELECT count(*) FROM risk WHERE action_plan IS NOT NULL AND target_on IS NOT NULL")" "risks with a plan in the JSON"

t "cells a spreadsheet would run as a formula are neutralised, and import restores them"
new_register f
"$RISKREG" -C f add risks title="=HYPERLINK(\"http://evil\",\"click\")" owner="+44 20 7946 0000" category="@SUM(A1)" description="- a list item" >/dev/null
rr -C f export --kind risks
is_rc 0
out_has "\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\""
out_has "'+44 20 7946 0000"
out_has "'@SUM(A1)"
out_has "'- a list item"
printf '%s\n' "$out" >f-risks.csv
new_register g
"$RISKREG" -C g import -q f-risks.csv --kind risks
is_eq "$(sql g/register.db "SELECT title FROM risk")" "=HYPERLINK(\"http://evil\",\"click\")"
is_eq "$(sql g/register.db "SELECT owner FROM risk")" "+44 20 7946 0000"

t "numbers are not mistaken for formulas"
"$RISKREG" -C f add kpis name="Net margin" target=-2.5 unit=% >/dev/null
"$RISKREG" -C f add measurements kpi_id=K-001 measured_on=2026-10-31 value=-3.25 >/dev/null
rr -C f export --kind measurements
out_has "K-001,2026-10-31,-3.25"

t "JSON of every kind, and of one"
rr -C demo export --format json
is_rc 0
out_has '"risks": ['
out_has '"review_actions": ['
out_has '"target": 99.9'
rr -C demo export --format json --kind audits --out audits.json
is_rc 0
file_has audits.json '"id": "A-001"'

t "--as-of shows the register as it was: later records left out, later closures open"
rr -C demo export --kind risks --as-of 2024-06-30
is_rc 0
out_lacks "R-058,"
rr -C demo export --format json --as-of 2024-06-30
out_has '"as_of": "2024-06-30"'
# R-046 was closed in 2026; on 2025-06-30 it was open, without a closed date
is_eq "$(sql demo/register.db "SELECT status FROM risk WHERE id = 'R-046'")" "closed" "now"
rr -C demo export --kind risks --as-of 2025-06-30 --out asof.csv
new_register then
"$RISKREG" -C then import -q asof.csv --kind risks
is_eq "$(sql then/register.db "SELECT status, closed_on IS NULL FROM risk WHERE id = 'R-046'")" "open|1"
is_eq "$(sql then/register.db "SELECT count(*) FROM risk")" "$(sql demo/register.db "SELECT count(*) FROM risk WHERE created_on <= '2025-06-30'")" "risks then"

t "--as-of assessments, measurements and reviews stop at the date"
rr -C demo export --kind assessments --as-of 2025-03-31
is_eq "$(printf '%s\n' "$out" | awk -F, 'NR > 1 && $2 > "2025-03-31"' | wc -l)" "0" "later assessments"
is_eq "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" "$(sql demo/register.db "SELECT count(*) FROM assessment WHERE assessed_on <= '2025-03-31'")" "assessments"
rr -C demo export --kind review_actions --as-of 2025-01-31
out_lacks "MA-030"

t "--as-of gives the next review from the latest assessment on that date"
rr -C demo export --kind risks --as-of 2025-06-30 --out asof2.csv
new_register then2
"$RISKREG" -C then2 import -q asof2.csv --kind risks
last=$(sql demo/register.db "SELECT max(assessed_on) FROM assessment WHERE risk_id = 'R-001' AND assessed_on <= '2025-06-30'")
every=$(sql demo/register.db "SELECT coalesce(review_every_days, 90) FROM risk WHERE id = 'R-001'")
is_eq "$(sql then2/register.db "SELECT next_review_on FROM risk WHERE id = 'R-001'")" "$(sql demo/register.db "SELECT date('$last', '+$every days')")"

t "export errors are usage errors"
rr -C demo export
is_rc 2
err_has "needs --out DIR"
rr -C demo export --format pdf
is_rc 2
rr -C demo export --kind risky
is_rc 2
err_has "did you mean 'risks'?"
rr -C demo export --kind risks --as-of 2025-13-01
is_rc 2
err_has "is not a calendar date"

t "an unwritable output path fails with a message and leaves no partial file"
mkdir -p ro && chmod 500 ro
rr -C demo export --kind risks --out ro/risks.csv
if [ "$(id -u)" != 0 ]; then
    is_rc 1
    err_has "ro/risks.csv: cannot write the file"
fi
chmod 700 ro
is_eq "$(ls ro | grep -c tmp)" "0" "temporary files"

done_testing
