#!/usr/bin/env bash
# riskreg template (and init's register-template.xlsx): an empty register to fill in. The workbook
# is read back with openpyxl (python3-openpyxl, installed by make's deps step): its sheets,
# headers, notes, drop-down lists and date checks, and its instructions. Header-only CSV files
# import as nothing; a filled-in template imports with the values show then gives. The untouched
# workbook's own round trip runs once `riskreg import` reads .xlsx.
source "$(dirname "$0")/lib.sh"


# xl WORKBOOK SCRIPT: run python with the workbook opened as `wb`; its output in $out
cat >xl.py <<'EOF'
import csv, datetime, sys, openpyxl

def checks(ws):
    """Each check of a sheet as 'COLUMN-HEADER RANGE TYPE FORMULA', one a line."""
    header = {c.column_letter: c.value for c in ws[1]}
    lines = []
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            letter = "".join(ch for ch in rng.split(":")[0] if ch.isalpha())
            lines.append(f"{header.get(letter)} {rng} {dv.type} {dv.formula1} {dv.errorStyle or 'stop'} {dv.error}")
    return "\n".join(sorted(lines))

def to_csv(ws, path):
    """A sheet saved as CSV, as a spreadsheet saves it: dates as YYYY-MM-DD."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for row in ws.iter_rows(values_only=True):
            if all(v is None for v in row):
                continue
            w.writerow(["" if v is None else v.strftime("%Y-%m-%d") if isinstance(v, datetime.datetime) else v for v in row])

wb = openpyxl.load_workbook(sys.argv[1])
exec(sys.argv[2])
EOF

KINDS="risks assessments acceptances improvements requirements readiness documents certificates audits nonconformities kpis measurements reviews review_inputs review_actions review_decisions"
RATINGS="likelihood,impact,residual_likelihood,residual_impact"

t "init writes register-template.xlsx beside riskreg.lua and says how to import it"
rr init p
is_rc 0
out_has "fill in register-template.xlsx"
out_has "riskreg import register-template.xlsx"
[ -s p/register-template.xlsx ] || _fail "no p/register-template.xlsx"
xl p/register-template.xlsx 'print(" ".join(wb.sheetnames))'
is_eq "$out" "Instructions $KINDS" "sheets"

t "the sheets are named as riskreg export --format xlsx names them, in dependency order"
rr -C p export --format xlsx --out export.xlsx
is_rc 0
xl export.xlsx 'print(" ".join(wb.sheetnames))'
is_eq "Instructions $out" "Instructions $KINDS" "export's sheets"

t "each sheet's headers are the export's stored columns (its computed ones left out), a risk's first ratings after"
for k in $KINDS; do
    rr -C p export --kind "$k"
    want=$(printf '%s' "$out" | head -n1)
    xl p/register-template.xlsx "print(','.join(c.value for c in wb['$k'][1]))"
    got=$out
    [ "$k" = risks ] && { case "$got" in *",$RATINGS") got=${got%",$RATINGS"} ;; *) _fail "risks lacks $RATINGS: $got" ;; esac; }
    case "$want" in
    "$got") ;;
    "$got",*)
        rest=${want#"$got",}
        for col in ${rest//,/ }; do
            case "$col" in latest_* | inherent_* | residual_score | residual_level) ;; *) _fail "$k: export's column $col is missing from the template" ;; esac
        done
        ;;
    *) _fail "$k: template headers '$got' are not the start of the export's '$want'" ;;
    esac
done

t "headers are bold, frozen, with a note giving the field's help, required ones said"
xl p/register-template.xlsx '
ws = wb["risks"]
print(ws.freeze_panes, ws["C1"].font.b, ws["C1"].comment.text, ws["A1"].comment.text, sep="\n")
print(wb["measurements"]["C1"].comment.text)'
out_has "A2"
out_has "True"
out_has "title: a short name for the risk (required)"
out_has "id: the risk's ID (R-NNN when not given)"
out_has "value: the value measured (required)"

t "statuses, treatments and every word column offer the accepted words as a drop-down on rows 2-1000"
xl p/register-template.xlsx 'print(checks(wb["risks"])); print(checks(wb["improvements"])); print(checks(wb["review_inputs"]))'
out_has 'status H2:H1000 list "open,treating,accepted,closed" stop'
out_has 'treatment I2:I1000 list "mitigate,accept,transfer,avoid,exploit,enhance,share" stop'
out_has 'kind B2:B1000 list "risk,opportunity"'
out_has 'priority G2:G1000 list "low,medium,high"'
out_has 'status H2:H1000 list "proposed,approved,in_progress,done,rejected"'
out_has 'input B2:B1000 list "previous_actions,context_changes,'

t "ratings offer 1-N with the matrix labels of riskreg.lua, on the assessments and the risks sheets"
xl p/register-template.xlsx 'print(checks(wb["assessments"])); print(checks(wb["risks"]))'
out_has 'likelihood C2:C1000 list "1 - Rare,2 - Unlikely,3 - Possible,4 - Likely,5 - Almost certain" warning'
out_has 'residual_impact F2:F1000 list "1 - Negligible,2 - Minor,3 - Moderate,4 - Major,5 - Severe" warning'
out_has 'impact R2:R1000 list "1 - Negligible,2 - Minor,3 - Moderate,4 - Major,5 - Severe"'

t "date columns take only dates, saying what one looks like"
xl p/register-template.xlsx 'print(checks(wb["risks"])); print(wb["risks"].column_dimensions["M"].number_format)'
out_has "created_on M2:M1000 date 1 stop a date, such as 2026-12-31"
out_has "next_review_on P2:P1000 date"
out_has "review_every_days O2:O1000 whole"
out_has "yyyy-mm-dd"

t "the instructions say how to fill it in, which columns are required, the words each takes, and the import command"
xl p/register-template.xlsx '
for row in wb["Instructions"].iter_rows(values_only=True):
    print(" | ".join("" if v is None else str(v) for v in row))'
out_has "IDs are optional"
out_has "riskreg import register-template.xlsx"
out_has "risks | title | required | text | a short name for the risk"
out_has "risks | status |  | one of: open, treating, accepted, closed"
out_has "assessments | risk_id | required | the ID of a risk"
out_has "assessments | likelihood | required | 1-5, from the list"
out_has "risks | created_on |  | a date, such as 2026-12-31"

t "--format csv writes a folder with a header-only CSV per kind, named and headed as export's"
rr -C p template --format csv
is_rc 0
out_has "p/register-template"
for k in $KINDS; do
    [ "$(wc -l <"p/register-template/$k.csv")" = 1 ] || _fail "$k.csv is not one header line"
    xl p/register-template.xlsx "print(','.join(c.value for c in wb['$k'][1]))"
    is_eq "$(cat "p/register-template/$k.csv")" "$out" "$k.csv's header"
done
rr -C p export --kind risks
is_eq "$(head -n1 p/register-template/risks.csv)" "$(printf '%s' "$out" | head -n1 | cut -d, -f1-16),$RATINGS" "risks.csv against export"

t "the untouched CSV template imports as nothing and writes nothing"
before=$(fingerprint p)
rr -C p import p/register-template/
is_rc 0
out_has "0 risks added"
out_has "0 records written"
is_eq "$(fingerprint p)" "$before" "register"

t "the untouched workbook imports as nothing, says nothing of its own Instructions and Lists, and writes nothing"
before=$(fingerprint p)
rr -C p import p/register-template.xlsx
is_rc 0
out_has "p/register-template.xlsx, sheet 'risks': 0 risks added"
out_has "imported 16 sheets: 0 records written"
err_lacks "skipped"
is_eq "$(fingerprint p)" "$before" "register"

t "a filled-in template imports with the values show gives (a picked word, a labelled rating, a date)"
xl p/register-template.xlsx '
ws = wb["risks"]
ws["C2"] = "Backup restores never tested"
ws["G2"] = "Ana Ferreira"
ws["H2"] = "treating"
ws["I2"] = "mitigate"
ws["M2"] = datetime.datetime(2026, 10, 1)
ws["Q2"] = "3 - Possible"
ws["R2"] = 4
wb.save("filled.xlsx")
to_csv(ws, "risks.csv")'
rr -C p import filled.xlsx
is_rc 0
out_has "1 risk added; 1 assessment added"
rr -C p show R-001
is_rc 0
out_has "Backup restores never tested"
out_has "Ana Ferreira"
out_has "treating"
out_has "mitigate"
out_has "2026-10-01"
out_has "3×4 → 12 High"

t "a project's own labels are offered; a list too long for Excel goes on the hidden Lists sheet"
rr init q
sed -i 's/likelihood = { "Rare", "Unlikely", "Possible", "Likely", "Almost certain" }/likelihood = { "Rare, once in a decade or less often than that, all things considered", "Unlikely, once in a few years at the very most, as far as we know", "Possible, about once a year in a normal year for the service", "Likely, several times a year unless something changes soon", "Almost certain, every month or more often than that already" }/; s/impact = { "Negligible",/impact = { "Trivial",/' q/riskreg.lua
rr -C q template
is_rc 0
xl q/register-template.xlsx '
print(" ".join(f"{n}:{wb[n].sheet_state}" for n in wb.sheetnames))
print(checks(wb["assessments"]))
print([c.value for c in wb["Lists"]["A"]])'
out_has "Lists:hidden"
out_has "likelihood C2:C1000 list Lists!\$A\$1:\$A\$5"
out_has "residual_likelihood E2:E1000 list Lists!\$A\$1:\$A\$5"
out_lacks 'Lists!$B'

out_has "'1 - Rare, once in a decade or less often than that, all things considered'"
out_has 'impact D2:D1000 list "1 - Trivial,2 - Minor'
case "$out" in *"Lists:"*Instructions* | Instructions:hidden*) _fail "the Lists sheet must come last and Instructions stay visible" ;; esac
rr -C q template --format csv
rr -C q import q/register-template/
is_rc 0

t "template writes the workbook again over a changed one, and --out names where (the instructions follow)"
echo "not a workbook" >p/register-template.xlsx
rr -C p template
is_rc 0
out_has "Wrote the register template p/register-template.xlsx"
xl p/register-template.xlsx 'print(wb.sheetnames[1])'
is_eq "$out" "risks" "the rewritten workbook's first kind"
rr -C p template --out blank.xlsx
is_rc 0
xl blank.xlsx 'print("\n".join(str(v) for r in wb["Instructions"].iter_rows(values_only=True) for v in r if v))'
out_has "riskreg import blank.xlsx"

t "an unknown --format is a usage error that writes nothing"
rm -rf p/register-template p/register-template.xlsx
rr -C p template --format pdf
is_rc 2
err_has "--format: use xlsx or csv"
err_has "usage: riskreg template"
rr -C p template extra
is_rc 2
err_has "template takes only options"
[ ! -e p/register-template.xlsx ] && [ ! -e p/register-template ] || _fail "a template was written"

t "an --out that cannot be written fails with the path and the reason, and leaves nothing"
rr -C p template --out nowhere/t.xlsx
is_rc 1
err_has "nowhere/t.xlsx: cannot write the file: No such file or directory"
rr -C p template --format csv --out nowhere/t
is_rc 1
err_has "nowhere/t: cannot create the folder"
mkdir ro && chmod 555 ro
rr -C p template --out ro/t.xlsx
if [ "$(id -u)" != 0 ]; then
    is_rc 1
    err_has "ro/t.xlsx: cannot write the file"
fi
[ -z "$(ls -A ro)" ] || [ "$(id -u)" = 0 ] || _fail "left in ro/: $(ls -A ro)"
[ ! -e nowhere ] || _fail "nowhere/ was made"

t "help and completion know the command"
rr help
out_has "template"
rr help template
is_rc 0
out_has "usage: riskreg template [--format xlsx|csv] [--out PATH]"
out_has "riskreg template --format csv --out blank/"
rr __complete values template --format
is_eq "$out" "xlsx
csv" "--format's words"

done_testing
