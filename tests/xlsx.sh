#!/usr/bin/env bash
# Export as an Excel workbook: the CSV export's rows cell for cell, typed and coloured, read back
# with openpyxl (python3-openpyxl, installed by make's deps step); the site's data/register.xlsx.
source "$(dirname "$0")/lib.sh"
DEMO="$HERE/../register/demo"

mkdir -p demo && cp "$DEMO/riskreg.lua" demo/
"$RISKREG" -C demo import -q "$DEMO/data" --on 2026-11-20 2>/dev/null


# xl WORKBOOK SCRIPT: run python with the workbook opened as `wb`; its output in $out
cat >xl.py <<'EOF'
import csv, datetime, sys, openpyxl

def text(v):
    """A cell as the CSV export writes it."""
    if v is None:
        return ""
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)

def csv_text(v):
    """A CSV cell as import reads it: the apostrophe that neutralises a formula removed."""
    return v[1:] if len(v) > 1 and v[0] == "'" and v[1] in "=+-@" else v

def same_as_csv(ws, path):
    """Differences between a sheet and a CSV file, cell for cell."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    diffs = []
    if ws.max_row != len(rows):
        diffs.append(f"{ws.title}: {ws.max_row} rows, the CSV has {len(rows)}")
    for r, row in enumerate(ws.iter_rows(values_only=True)):
        want = [csv_text(c) for c in rows[r]] if r < len(rows) else []
        got = [text(c) for c in row]
        if got != want:
            diffs.append(f"{ws.title} row {r + 1}: workbook {got} CSV {want}")
    return diffs

wb = openpyxl.load_workbook(sys.argv[1])
exec(sys.argv[2])
EOF

t "the workbook has a sheet per kind, named and ordered like the CSV files"
rr -C demo export --format xlsx --out all.xlsx
is_rc 0
is_eq "$err" "" "messages"
rr -C demo export --out csv
xl all.xlsx 'print(",".join(wb.sheetnames))'
is_eq "$out" "$("$RISKREG" __complete kinds | paste -sd,)" "sheets"
is_eq "$out" "risks,assessments,acceptances,improvements,requirements,readiness,documents,certificates,audits,nonconformities,kpis,measurements,reviews,review_inputs,review_actions,review_decisions" "sheets"

t "every sheet holds the CSV export's values, cell for cell"
xl all.xlsx '
diffs = [d for ws in wb for d in same_as_csv(ws, "csv/" + ws.title + ".csv")]
print("\n".join(diffs[:10]) or "same")
print(sum(ws.max_row for ws in wb))'
is_eq "$(printf '%s\n' "$out" | head -1)" "same" "differences"
is_eq "$(printf '%s\n' "$out" | tail -1)" "$(cat csv/*.csv | "$PY" -c 'import csv, sys; print(len(list(csv.reader(sys.stdin))))')" "rows"

t "a bold header, frozen with the ID column, filters over the whole range, readable widths"
xl all.xlsx '
ws = wb["risks"]
print(ws.freeze_panes, ws.auto_filter.ref, all(c.font.b for c in ws[1]), ws["A2"].font.b)
print(min(d.width for d in ws.column_dimensions.values()) >= 8, ws.column_dimensions["C"].width <= 61,
      ws.column_dimensions["C"].width > ws.column_dimensions["B"].width)
ws = wb["assessments"]
print(ws.freeze_panes, ws.auto_filter.ref)'
is_eq "$(printf '%s\n' "$out" | sed -n 1p)" "B2 A1:X61 True False" "risks (16 stored columns, 8 computed)"
is_eq "$(printf '%s\n' "$out" | sed -n 2p)" "True True True" "column widths (title wider than kind)"
is_eq "$(printf '%s\n' "$out" | sed -n 3p)" "B2 A1:L$(($(sql demo/register.db "SELECT count(*) FROM assessment") + 1))" "assessments (8 stored columns, 4 computed)"

t "dates are dates, ratings, days and numbers are numbers, text is text, empty cells are empty"
xl all.xlsx '
a = wb["assessments"]
print(a["B2"].is_date, a["B2"].number_format, type(a["C2"].value).__name__, a["A2"].data_type)
r = wb["risks"]
col = {c.value: i for i, c in enumerate(r[1])}
open_row = next(row for row in r.iter_rows(min_row=2) if row[col["status"]].value == "open")
print(open_row[col["closed_on"]].value, type(open_row[col["created_on"]].value).__name__,
      type(open_row[col["review_every_days"]].value).__name__)
m = wb["measurements"]
print(m["C2"].data_type, m["C2"].value)
plan = next(row for row in r.iter_rows(min_row=2) if row[col["target_on"]].value is not None)
print(plan[col["target_on"]].is_date, plan[col["target_on"]].number_format, plan[col["action_plan"]].data_type,
      plan[0].value, plan[col["target_on"]].value.strftime("%Y-%m-%d"))'
is_eq "$(printf '%s\n' "$out" | sed -n 1p)" "True yyyy-mm-dd int s" "assessments"
is_eq "$(printf '%s\n' "$out" | sed -n 2p)" "None datetime NoneType" "an open risk: no closed_on, created_on a date, no review cadence of its own"
is_eq "$(printf '%s\n' "$out" | sed -n 3p)" "n $(sql demo/register.db "SELECT value FROM measurement ORDER BY kpi_id, measured_on LIMIT 1")" "a measurement"
is_eq "$(printf '%s\n' "$out" | sed -n 4p)" "True yyyy-mm-dd s $(sql demo/register.db "SELECT id || ' ' || target_on FROM risk WHERE target_on IS NOT NULL ORDER BY id LIMIT 1")" \
    "a risk's planned treatment: target_on a date, action_plan text"

t "likelihood and impact cells carry the site's colour for their score's level"
rr -C demo build --quiet
is_rc 0
high=$(sed -n 's/^\.level-high { --level-bg: #\([0-9a-f]*\); --level-fg: #\([0-9a-f]*\);.*/\1 \2/p' demo/public/levels.css)
critical=$(sed -n 's/^\.level-critical { --level-bg: #\([0-9a-f]*\); --level-fg: #\([0-9a-f]*\);.*/\1 \2/p' demo/public/levels.css)
is_eq "$high" "f4a261 1f2328" "the site's High colours"
# Northwind's High band is 10..14 (riskreg.lua), Critical 15..25; R-001 is 4 x 5 inherent
xl all.xlsx '
a = wb["assessments"]
def colours(c):
    return (c.fill.fgColor.rgb[2:] + " " + c.font.color.rgb[2:]).lower() if c.fill.fill_type == "solid" else "none"
def find(cols, lo, hi):
    for row in a.iter_rows(min_row=2):
        l, i = row[cols[0]].value, row[cols[1]].value
        if l is not None and lo <= l * i <= hi:
            return row[cols[0]], row[cols[1]]
for cells in (find((4, 5), 10, 14), find((2, 3), 20, 20), find((4, 5), 1, 4)):
    print(colours(cells[0]), "|", colours(cells[1]))
print(colours(a["A2"]), colours(a["B2"]))'
is_eq "$(printf '%s\n' "$out" | sed -n 1p)" "$high | $high" "a High residual pair"
is_eq "$(printf '%s\n' "$out" | sed -n 2p)" "$critical | $critical" "a Critical inherent pair"
is_eq "$(printf '%s\n' "$out" | sed -n 3p)" "d9f0d3 1f2328 | d9f0d3 1f2328" "a Low residual pair"
is_eq "$(printf '%s\n' "$out" | sed -n 4p)" "none none" "other cells"

t "the level colours follow riskreg.lua's bands"
new_register colours
cat >colours/riskreg.lua <<'EOF'
return {
  levels = {
    { name = "Fine", max = 6, colour = "#2A6F97" },
    { name = "Act", max = 25 },
  },
}
EOF
"$RISKREG" -C colours add risks title="Lost laptop" owner=ana likelihood=2 impact=3 residual_likelihood=5 residual_impact=5 >/dev/null
rr -C colours export --format xlsx --kind assessments --out colours.xlsx
is_rc 0
xl colours.xlsx '
row = list(wb["assessments"].iter_rows(min_row=2))[0]
print(" ".join(c.fill.fgColor.rgb[2:].lower() + "/" + c.font.color.rgb[2:].lower() for c in row[2:6]))'
# a dark band gets white text; the second band has no colour, so it takes the default second one
is_eq "$out" "2a6f97/ffffff 2a6f97/ffffff fee08b/1f2328 fee08b/1f2328"

t "text stays text: formula-like cells, line breaks and other scripts come back as written"
new_register f
"$RISKREG" -C f add risks title="=HYPERLINK(\"http://evil\",\"click\")" owner="+44 20 7946 0000" category="@SUM(A1)" \
    description="$(printf 'First line\nsecond — «ünïcødé» 漢字\n- a list item')" >/dev/null
rr -C f export --format xlsx --out f.xlsx
is_rc 0
rr -C f export --out fcsv
xl f.xlsx '
ws = wb["risks"]
print([c.data_type for c in ws[2][:7]].count("f"), repr(ws["C2"].value), repr(ws["G2"].value), repr(ws["E2"].value))
print(repr(ws["D2"].value))
print("\n".join(same_as_csv(ws, "fcsv/risks.csv")) or "same")'
is_eq "$(printf '%s\n' "$out" | sed -n 1p)" "0 '=HYPERLINK(\"http://evil\",\"click\")' '+44 20 7946 0000' '@SUM(A1)'" "cells"
is_eq "$(printf '%s\n' "$out" | sed -n 2p)" "'First line\\nsecond — «ünïcødé» 漢字\\n- a list item'" "multi-line text"
is_eq "$(printf '%s\n' "$out" | sed -n 3p)" "same" "against the CSV"

t "text longer than a cell holds is cut there, with a warning naming the record"
long=$(head -c 40000 /dev/zero | tr '\0' 'x')
"$RISKREG" -C f add improvements title="Long" description="$long" >/dev/null
rr -C f export --format xlsx --kind improvements --out long.xlsx
is_rc 0
err_has "long.xlsx: improvement I-001: description holds more than the 32767 characters an Excel cell can"
xl long.xlsx 'print(len(wb["improvements"]["C2"].value))'
is_eq "$out" "32767" "characters"

t "--kind gives a workbook of one sheet"
rr -C demo export --format xlsx --kind audits --out audits.xlsx
is_rc 0
rr -C demo export --kind audits --out audits.csv
xl audits.xlsx 'print(",".join(wb.sheetnames), same_as_csv(wb["audits"], "audits.csv"))'
is_eq "$out" "audits []"

t "--as-of: the register as it was, as the CSV export gives it"
rr -C demo export --format xlsx --as-of 2025-03-31 --out then.xlsx
is_rc 0
rr -C demo export --kind assessments --as-of 2025-03-31 --out then-assessments.csv
rr -C demo export --kind risks --as-of 2025-03-31 --out then-risks.csv
xl then.xlsx '
print(wb["assessments"].max_row - 1, max(c.value for c in wb["assessments"]["B"][1:]).date())
print(same_as_csv(wb["assessments"], "then-assessments.csv"), same_as_csv(wb["risks"], "then-risks.csv"))'
is_eq "$(printf '%s\n' "$out" | sed -n 1p)" "$(sql demo/register.db "SELECT count(*), max(assessed_on) FROM assessment WHERE assessed_on <= '2025-03-31'" | tr '|' ' ')" "assessments then"
[ "$(printf '%s\n' "$out" | sed -n 1p | cut -d' ' -f1)" -lt "$(sql demo/register.db "SELECT count(*) FROM assessment")" ] || _fail "not fewer assessments than now"
is_eq "$(printf '%s\n' "$out" | sed -n 2p)" "[] []" "against the CSV then"
xl then.xlsx 'import zipfile; print(zipfile.ZipFile(sys.argv[1]).read("docProps/core.xml").decode().count("2025-03-31T12:00:00Z"))'
is_eq "$out" "2" "created and modified: the as-of date"

t "the same register and date give the same bytes; piped standard output gives the file"
rr -C demo export --format xlsx --out again.xlsx
cmp -s all.xlsx again.xlsx || _fail "two exports differ"
"$RISKREG" -C demo export --format xlsx >piped.xlsx 2>piped.err
is_eq "$?" "0" "exit code"
cmp -s all.xlsx piped.xlsx || _fail "the piped workbook differs"
is_eq "$(ls "${TMPDIR:-/tmp}" | grep -c "riskreg-export-")" "0" "temporary files"

t "a terminal on standard output is refused: the workbook is binary"
if command -v script >/dev/null 2>&1; then
    run script -qec "$RISKREG -C demo export --format xlsx" /dev/null
    is_rc 2
    out_has "xlsx is a binary file; give --out PATH or redirect stdout"
fi

t "an unwritable --out fails naming the path, and leaves nothing behind"
printf 'x' >afile
rr -C demo export --format xlsx --out afile/register.xlsx
is_rc 1
err_has "afile/register.xlsx: cannot write the file: Not a directory"
rr -C demo export --format xlsx --out missing/register.xlsx
is_rc 1
err_has "missing/register.xlsx: cannot write the file: No such file or directory"
[ -e missing ] && _fail "a folder was made"
mkdir -p ro && chmod 500 ro
rr -C demo export --format xlsx --out ro/register.xlsx
if [ "$(id -u)" != 0 ]; then
    is_rc 1
    err_has "ro/register.xlsx: cannot write the file: Permission denied"
    is_eq "$(ls ro | wc -l)" "0" "files in ro"
fi
chmod 700 ro
mkdir -p adir
rr -C demo export --format xlsx --out adir
is_rc 1
err_has "adir: cannot write the file: Is a directory"
is_eq "$(ls | grep -c tmp-)" "0" "temporary files"

t "a full disk (file size limit): one line naming the file, nothing left"
run bash -c 'ulimit -f 64; trap "" XFSZ; "$@"' limited "$RISKREG" -C demo export --format xlsx --out full.xlsx
is_rc 1
is_eq "$err" "riskreg: full.xlsx: cannot write the file: File too large (the disk is full, or a file size or quota limit was reached)" "stderr"
is_eq "$(ls | grep -c full.xlsx)" "0" "files left"

t "export usage: the formats named, xlsx among them"
rr -C demo export --format xls
is_rc 2
err_has "--format: use csv, json or xlsx"
rr -C demo help export
out_has "--format csv|json|xlsx"

t "the site's data/ offers register.xlsx, the same bytes on a rebuild"
[ -f demo/public/data/register.xlsx ] || _fail "no data/register.xlsx"
file_has demo/public/data/index.html '<a href="register.xlsx">register.xlsx</a>'
file_has demo/public/data/index.html 'Excel workbook'
as_of=$("$PY" -c 'import json; print(json.load(open("demo/public/data/summary.json"))["as_of"])')
xl demo/public/data/register.xlsx '
diffs = [d for ws in wb for d in same_as_csv(ws, "demo/public/data/" + ws.title + ".csv")]
print(len(wb.sheetnames), "\n".join(diffs[:10]) or "same", wb.properties.created.date())'
is_eq "$out" "$("$RISKREG" __complete kinds | wc -l) same $as_of" "sheets, values, date"
cp demo/public/data/register.xlsx first-site.xlsx
inode=$(stat -c %i demo/public/data/register.xlsx)
rr -C demo build --quiet
is_rc 0
cmp -s first-site.xlsx demo/public/data/register.xlsx || _fail "the rebuilt workbook differs"
is_eq "$(stat -c %i demo/public/data/register.xlsx)" "$inode" "an unchanged workbook is not made again (the same file)"

t "a change to the register makes the site's workbook again"
"$RISKREG" -C demo assess R-001 3 3 --on 2026-11-24 >/dev/null
rr -C demo build --quiet
is_rc 0
[ "$(stat -c %i demo/public/data/register.xlsx)" != "$inode" ] || _fail "the workbook was kept"
xl demo/public/data/register.xlsx '
rows = [r for r in wb["assessments"].iter_rows(min_row=2, values_only=True) if r[0] == "R-001"]
print(rows[-1][1].date(), rows[-1][2], rows[-1][3])
print(same_as_csv(wb["assessments"], "demo/public/data/assessments.csv"))'
is_eq "$out" "2026-11-24 3 3
[]" "R-001's latest assessment"

t "a change of level colours in riskreg.lua makes it again, in the new colours"
inode=$(stat -c %i demo/public/data/register.xlsx)
sed -i 's/{ name = "High", max = 14, colour = "#f4a261" }/{ name = "High", max = 14, colour = "#e07b39" }/' demo/riskreg.lua
rr -C demo build --quiet
is_rc 0
[ "$(stat -c %i demo/public/data/register.xlsx)" != "$inode" ] || _fail "the workbook was kept"
xl demo/public/data/register.xlsx '
a = wb["assessments"]
print(next(r[4].fill.fgColor.rgb for r in a.iter_rows(min_row=2) if r[4].value and 10 <= r[4].value * r[5].value <= 14))'
is_eq "$out" "FFE07B39" "a High residual cell"

done_testing
