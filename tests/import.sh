#!/usr/bin/env bash
# tests/import.sh - `riskreg import`, end to end: CSV files as spreadsheets write them, into a
# register, all or nothing (SPEC.md sections 4 and 5).
#
# Success cases read the stored values back with sqlite3. Every bad-input case checks the exit
# code (1 for bad data, 2 for usage errors), the message a user sees (FILE:LINE: column 'NAME'
# as written in the file) and that the register is byte-for-byte unchanged.
source "$(dirname "$0")/lib.sh"

FIX="$DATA/import"

# A register with some records in it, so that "nothing written" means something. Each case gets
# a copy: fresh DIR sets $fp to the copy's fingerprint; same DIR checks nothing was written.
new_register base
printf '%s\n' 'id,title,owner,created_on,status' \
    'R-001,Backup failure,ana,2026-01-10,open' \
    'R-002,Supplier insolvency,ben,2026-02-01,treating' \
    'R-005,Power outage,cy,2026-03-01,open' >base-risks.csv
printf '%s\n' 'risk_id,assessed_on,likelihood,impact' 'R-001,2026-01-10,3,4' >base-assessments.csv
printf '%s\n' 'id,title,risk_id,raised_on,status' \
    'I-001,Restore drill,R-001,2026-02-01,approved' >base-improvements.csv
"$RISKREG" -q -C base import --kind risks base-risks.csv >/dev/null &&
    "$RISKREG" -q -C base import --kind assessments base-assessments.csv >/dev/null &&
    "$RISKREG" -q -C base import --kind improvements base-improvements.csv >/dev/null ||
    echo "import.sh: cannot set up the base register" >&2

fresh() {
    copy_register base "$1"
    fp=$(fingerprint "$1")
}
same() { is_eq "$(fingerprint "$1")" "$fp" "register fingerprint (nothing may be written)"; }
q() { sql "$1/register.db" "$2"; }
count() { q "$1" "SELECT count(*) FROM $2"; }
# lines LINES PATTERN: how many lines of LINES hold PATTERN
lines() { printf '%s\n' "$1" | grep -cF -- "$2"; }

# ---------------------------------------------------------------------------------------------
# A realistic export: Excel 'CSV UTF-8' (BOM, CRLF), a title row, spreadsheet headers, text
# ratings, quoted cells with line breaks, commas and doubled quotes, a blank row, a Rating column.

t "Excel risk register export: imports 4 risks and their first assessments"
new_register xl
rr -C xl import --kind risks --on 2026-11-20 "$FIX/excel-risk-register.csv"
is_rc 0
out_has "excel-risk-register.csv: 4 risks added; 4 assessments added"
out_has "imported 1 file: 8 records written"
is_eq "$(q xl "SELECT group_concat(id, ' ') FROM (SELECT id FROM risk ORDER BY id)")" \
    "R-001 R-002 R-003 R-004" "risk IDs"
is_eq "$(count xl assessment)" 4 "assessments"

t "Excel export: the title row above the header is skipped and named by its line"
err_has "excel-risk-register.csv:1: skipped a row above the header ('ACME IT Services - Risk Register"

t "Excel export: aliases fill the right fields (Risk Title, Risk Owner, Mitigation, Date Raised, Comments)"
is_eq "$(q xl "SELECT title || '|' || owner || '|' || created_on FROM risk WHERE id = 'R-002'")" \
    "Hosting supplier insolvency|Ben Okoro|2026-03-02" "R-002 title|owner|created_on"
is_eq "$(q xl "SELECT controls FROM risk WHERE id = 'R-002'")" "Second supplier under contract" "R-002 controls"
is_eq "$(q xl "SELECT note FROM assessment WHERE risk_id = 'R-003'")" "New hires start in January" "R-003 note"
is_eq "$(q xl "SELECT quote(note) FROM assessment WHERE risk_id = 'R-002'")" "NULL" "R-002 empty comment"

t "Excel export: quoted cells keep line breaks, commas and doubled quotes; no CR is stored"
is_eq "$(q xl "SELECT description FROM risk WHERE id = 'R-001'")" \
    "Nightly CRM backups fail silently.
Up to 7 days of data could be lost." "R-001 description"
is_eq "$(q xl "SELECT controls FROM risk WHERE id = 'R-001'")" \
    "Daily restore test
Alert on failed backup jobs" "R-001 controls"
is_eq "$(q xl "SELECT title FROM risk WHERE id = 'R-003'")" "Service desk turnover, Q3" "R-003 title"
is_eq "$(q xl "SELECT controls FROM risk WHERE id = 'R-003'")" 'Hiring plan; knowledge base "quick wins"' "R-003 controls"
is_eq "$(q xl "SELECT count(*) FROM risk WHERE instr(title || coalesce(description, '') || coalesce(controls, '') || owner, char(13)) > 0")" 0 "values holding a CR"

t "Excel export: text ratings land on the 5x5 matrix (High=5 Low=1 Medium=3, Major=4 Severe=5 Catastrophic=5)"
is_eq "$(q xl "SELECT group_concat(risk_id || ':' || likelihood || 'x' || impact, ' ') FROM (SELECT * FROM assessment ORDER BY risk_id)")" \
    "R-001:5x4 R-002:1x5 R-003:3x3 R-004:1x5" "scores"
is_eq "$(q xl "SELECT DISTINCT assessed_on FROM assessment")" "2026-11-20" "assessed_on (--on)"

t "Excel export: status words (In progress, Monitoring, Open, Closed) become register statuses"
is_eq "$(q xl "SELECT group_concat(id || ':' || status, ' ') FROM (SELECT * FROM risk ORDER BY id)")" \
    "R-001:treating R-002:accepted R-003:open R-004:closed" "statuses"

t "Excel export: the closed risk without a closed date gets --on, and a warning says so"
is_eq "$(q xl "SELECT closed_on FROM risk WHERE id = 'R-004'")" "2026-11-20" "R-004 closed_on"
err_has "excel-risk-register.csv:9: R-004 is closed without a date; closed_on set to 2026-11-20 (the import's --on date)"

t "Excel export: the Rating column is reported as computed and skipped"
err_has "excel-risk-register.csv: column J 'Rating' is computed by riskreg from likelihood and impact; skipped"
err_lacks "column 'Rating' is not a risk field"

t "Excel export: one change-log entry per record written, by the actor, and verify passes"
# (and the register's matrix size, logged when the register was made)
is_eq "$(count xl change_log)" 9 "change_log rows"
is_eq "$(q xl "SELECT kind || ':' || count(*) FROM change_log WHERE operation = 'insert' AND actor = 'tester' GROUP BY kind ORDER BY kind" | paste -sd' ')" \
    "assessment:4 risk:4 setting:1" "change_log inserts by kind"
rr -C xl verify
is_rc 0
out_has "9 change-log entries chained"

t "Excel export imported again the same day: every risk unchanged, nothing written"
fp=$(fingerprint xl)
rr -C xl import --kind risks --on 2026-11-20 "$FIX/excel-risk-register.csv"
is_rc 0
out_has "excel-risk-register.csv: 0 risks added, 4 unchanged"
out_has "imported 1 file: 0 records written"
is_eq "$(count xl change_log)" 9 "change_log rows"
same xl

t "--dry-run reports what would be imported and writes nothing"
new_register dry
fp=$(fingerprint dry)
rr -C dry import --kind risks --dry-run "$FIX/excel-risk-register.csv"
is_rc 0
out_has "excel-risk-register.csv: 4 risks would be added; 4 assessments would be added"
out_has "dry run: the files are valid; nothing was written"
same dry
is_eq "$(count dry risk)" 0 "risks"

t "LibreOffice ';' export: --delimiter ';' with aliases and improvement words"
fresh lo
rr -C lo import --kind improvements --delimiter ';' --on 2026-11-21 "$FIX/libreoffice-improvements.csv"
is_rc 0
out_has "libreoffice-improvements.csv: 3 improvements added"
is_eq "$(q lo "SELECT group_concat(id || '|' || title || '|' || coalesce(source, '') || '|' || coalesce(risk_id, '') || '|' || priority || '|' || status || '|' || coalesce(done_on, ''), ' ; ') FROM (SELECT * FROM improvement WHERE id LIKE 'CSI%' ORDER BY id)")" \
    "CSI-01|Automate restore tests|risk|R-001|high|in_progress| ; CSI-02|Publish on-call rota|customer||medium|done|2026-11-21 ; CSI-03|Retire fax line; move to e-mail|staff||low|rejected|2026-03-15" \
    "improvements"
err_has "libreoffice-improvements.csv:3: CSI-02 is done without a date; done_on set to 2026-11-21 (the import's --on date)"

# ---------------------------------------------------------------------------------------------
# Headers, layout and options

t "header aliases match ignoring case, spaces, '_' and '-': Risk ID, risk_id, RISK-ID"
fresh hdr
n=0
for h in "Risk ID,Risk Title,RISK OWNER" "risk_id,risk_title,risk_owner" "RISK-ID,Risk-Title,Risk-Owner" " risk id ,TITLE,Owner"; do
    n=$((n + 1))
    printf '%s\n' "$h" "R-01$n,Alias $n,owner$n" >risks.csv
    rr -C hdr import risks.csv
    is_rc 0
    out_has "risks.csv: 1 risk added"
done
is_eq "$(q hdr "SELECT group_concat(id || '=' || title || '/' || owner, ' ') FROM (SELECT * FROM risk WHERE id LIKE 'R-01_' ORDER BY id)")" \
    "R-011=Alias 1/owner1 R-012=Alias 2/owner2 R-013=Alias 3/owner3 R-014=Alias 4/owner4" "stored"

t "a title row above the header is skipped and reported with its line"
fresh title
csv risks.csv "Risk register - Finance services" "Risk ID,Title,Owner" "R-020,Invoice run fails,dee"
rr -C title import risks.csv
is_rc 0
err_has "riskreg: warning: risks.csv:1: skipped a row above the header ('Risk register - Finance services')"
is_eq "$(q title "SELECT title || '|' || owner FROM risk WHERE id = 'R-020'")" "Invoice run fails|dee" "R-020"
is_eq "$(q title "SELECT count(*) FROM risk WHERE title LIKE 'Risk register%'")" 0 "title row stored as a risk"

t "UTF-8 BOM and CRLF line ends: the first header is still known, no CR in values"
fresh bom
printf '\xEF\xBB\xBFid,title,owner\r\nR-021,Caf\xC3\xA9 card reader,\xC3\xA9lodie\r\n' >risks.csv
rr -C bom import risks.csv
is_rc 0
out_has "risks.csv: 1 risk added"
is_eq "$(q bom "SELECT title || '|' || owner || '|' || length(owner) FROM risk WHERE id = 'R-021'")" \
    "Café card reader|élodie|6" "R-021"

t "a quoted cell with a line break is stored with the newline (CRLF inside quotes becomes LF)"
fresh nl
printf 'id,title,description\r\nR-022,Two lines,"first line\r\nsecond line"\r\nR-023,LF only,"a\nb"\r\n' >risks.csv
rr -C nl import risks.csv
is_rc 0
is_eq "$(q nl "SELECT description FROM risk WHERE id = 'R-022'")" "first line
second line" "R-022 description"
is_eq "$(q nl "SELECT hex(description) FROM risk WHERE id = 'R-023'")" "610A62" "R-023 description bytes"

t "blank rows (empty lines, rows of empty cells) are ignored and later lines keep their numbers"
fresh blank
printf '%s\n' 'id,title,created_on' 'R-024,First,2026-05-01' '' ',,' '   ' 'R-025,Second,2026-05-02' >risks.csv
rr -C blank import risks.csv
is_rc 0
out_has "risks.csv: 2 risks added"
is_eq "$(count blank risk)" 5 "risks"
printf '%s\n' 'id,title,created_on' 'R-026,First,2026-05-01' '' ',,' 'R-027,Second,2026-05-32' >risks.csv
fp=$(fingerprint blank)
rr -C blank import risks.csv
is_rc 1
err_has "risks.csv:5: column 'created_on': '2026-05-32' is not a calendar date"
same blank

t "--map 'Header=field,...' names columns riskreg does not know"
fresh map
csv risks.csv "Hazard No,Hazard,Who,Likely?,How bad" "R-030,Flood in server room,fay,4,5"
rr -C map import --map 'Hazard No=id,Hazard=title,Who=owner,Likely?=likelihood,How bad=impact' --on 2026-11-01 risks.csv
is_rc 0
out_has "risks.csv: 1 risk added; 1 assessment added"
is_eq "$(q map "SELECT title || '|' || owner FROM risk WHERE id = 'R-030'")" "Flood in server room|fay" "R-030"
is_eq "$(q map "SELECT likelihood || 'x' || impact || '@' || assessed_on FROM assessment WHERE risk_id = 'R-030'")" "4x5@2026-11-01" "R-030 assessment"
err_lacks "not a risk field"

t "--map 'Header=' skips a known column on purpose, without a warning"
fresh skip
csv risks.csv "Risk ID,Title,Description,Owner" "R-031,Laptop theft,Contains staff names,gus"
rr -C skip import --map 'Description=' risks.csv
is_rc 0
is_eq "$(q skip "SELECT quote(description) || '|' || owner FROM risk WHERE id = 'R-031'")" "NULL|gus" "R-031"
err_lacks "Description"

t "--header-row N makes line N the header and reports the rows above it"
fresh hrow
csv export.csv "Exported from GRC tool" "Filter: all,,," "id,title,owner" "R-032,Patch backlog,hal"
rr -C hrow import --kind risks --header-row 3 export.csv
is_rc 0
out_has "export.csv: 1 risk added"
err_has "export.csv:1: skipped a row above the header ('Exported from GRC tool')"
err_has "export.csv:2: skipped a row above the header ('Filter: all')"
is_eq "$(q hrow "SELECT title FROM risk WHERE id = 'R-032'")" "Patch backlog" "R-032"

t "--header-row pointing past the file: exit 1, the line named, nothing written"
fresh hrow2
rr -C hrow2 import --kind risks --header-row 9 export.csv
is_rc 1
err_has "riskreg: export.csv: --header-row 9: there is no row starting on that line"
same hrow2

t "--delimiter ';' reads a semicolon file; commas inside cells stay"
fresh semi
csv risks.csv "Risk ID;Titel;Title;Owner" "R-033;x;Rates, fees and VAT wrong;ida"
rr -C semi import --delimiter ';' --map 'Titel=' risks.csv
is_rc 0
is_eq "$(q semi "SELECT title || '|' || owner FROM risk WHERE id = 'R-033'")" "Rates, fees and VAT wrong|ida" "R-033"

t "the kind comes from the file name (Risks.csv, improvements.csv) or --kind"
fresh kind
csv Risks.csv "id,title" "R-034,Named by file"
rr -C kind import Risks.csv
is_rc 0
out_has "Risks.csv: 1 risk added"
csv improvements.csv "id,title,risk_id" "I-034,Named improvement,R-034"
rr -C kind import improvements.csv
is_rc 0
out_has "improvements.csv: 1 improvement added"
csv "Q4 register.csv" "id,title" "R-035,Named by --kind"
rr -C kind import --kind risks "Q4 register.csv"
is_rc 0
out_has "Q4 register.csv: 1 risk added"
is_eq "$(q kind "SELECT group_concat(id, ' ') FROM (SELECT id FROM risk WHERE id IN ('R-034', 'R-035') UNION ALL SELECT id FROM improvement WHERE id = 'I-034')")" \
    "R-034 R-035 I-034" "stored"

t "a file name that names no kind, without --kind: usage error 2, nothing written"
fresh kind2
rr -C kind2 import "Q4 register.csv"
is_rc 2
err_has "riskreg: Q4 register.csv: cannot tell what the file holds from its name; give --kind"
same kind2

t "an unknown --kind: usage error 2 with a suggestion, nothing written"
fresh kind3
csv risks.csv "id,title" "R-036,x"
rr -C kind3 import --kind riskz risks.csv
is_rc 2
err_has "riskreg: --kind: no kind 'riskz'; did you mean 'risks'?"
same kind3

t "--kind with a folder: usage error 2, nothing written"
fresh kind4
mkdir -p kfold && csv kfold/risks.csv "id,title" "R-037,x"
rr -C kind4 import --kind risks kfold
is_rc 2
err_has "riskreg: --kind names the kind of one file; a folder's files are known by their names"
same kind4

t "--map without '=': usage error 2, nothing written"
fresh map2
csv risks.csv "Hazard,Owner" "Flood,jo"
rr -C map2 import --map 'Hazard' risks.csv
is_rc 2
err_has "riskreg: --map: 'Hazard' is not 'Header=field'"
same map2

t "--map to a field that does not exist: usage error 2 with a suggestion, nothing written"
fresh map3
rr -C map3 import --map 'Hazard=titel' risks.csv
is_rc 2
err_has "riskreg: --map: no kind has a field 'titel'; did you mean 'title'? (riskreg help fields lists them)"
same map3

t "folder import: every known file in dependency order; assessments refer to risks of the same import"
fresh fold
rr -C fold import "$FIX/folder"
is_rc 0
is_eq "$(printf '%s\n' "$out" | sed -n 's|.*/folder/\([a-z]*\.csv\):.*|\1|p' | paste -sd' ')" \
    "risks.csv assessments.csv improvements.csv" "file order"
out_has "folder/assessments.csv: 3 assessments added"
out_has "imported 3 files: 7 records written"
is_eq "$(q fold "SELECT group_concat(risk_id || '@' || assessed_on || '=' || likelihood || impact || coalesce(residual_likelihood, '-') || coalesce(residual_impact, '-'), ' ') FROM (SELECT * FROM assessment WHERE risk_id LIKE 'R-10_' ORDER BY risk_id, assessed_on)")" \
    "R-101@2026-03-01=4534 R-101@2026-09-30=3524 R-102@2026-04-15=33--" "assessments"
is_eq "$(q fold "SELECT risk_id || '|' || status || '|' || done_on FROM improvement WHERE id = 'I-102'")" "R-102|done|2026-06-20" "I-102"
rr -C fold verify
is_rc 0

t "folder import: files with other names are skipped with a warning"
fresh fold2
mkdir -p f2 && csv f2/risks.csv "id,title" "R-038,From folder" && csv f2/notes.csv "a,b" "1,2"
rr -C fold2 import f2
is_rc 0
err_has "riskreg: warning: f2/notes.csv: not a register file name (risks.csv, improvements.csv, ...); skipped"
out_has "imported 1 file: 1 record written"

t "a file with only a header is fine: 0 rows, exit 0, nothing changed"
fresh hdronly
csv risks.csv "id,title,owner"
rr -C hdronly import risks.csv
is_rc 0
out_has "risks.csv: 0 risks added"
out_has "imported 1 file: 0 records written"
is_eq "$(count hdronly change_log)" "$(count base change_log)" "change_log rows"

t "trailing empty cells (Excel's padding commas) are accepted"
fresh pad
csv risks.csv "id,title,owner,,," "R-039,Padded row,kim,,," "R-040,Short padding,lee,"
rr -C pad import risks.csv
# the second row has 4 cells against a 6-cell header: too few
is_rc 1
err_has "risks.csv:3: the row has 4 cells but the header has 6 (empty cells still need their ',')"
same pad
csv risks.csv "id,title,owner,,," "R-039,Padded row,kim,,," "R-040,Extra empty cells,lee,,,,,"
rr -C pad import risks.csv
is_rc 0
is_eq "$(q pad "SELECT group_concat(title, '|') FROM (SELECT title FROM risk WHERE id IN ('R-039', 'R-040') ORDER BY id)")" \
    "Padded row|Extra empty cells" "stored"

# ---------------------------------------------------------------------------------------------
# Ratings and words

t "Low/Medium/High on a 5x5 matrix are 1/3/5, matched without regard to case"
fresh rat
csv risks.csv "id,title,likelihood,impact" "R-041,a,Low,HIGH" "R-042,b,medium,Med" "R-043,c,High,low"
rr -C rat import risks.csv
is_rc 0
is_eq "$(q rat "SELECT group_concat(likelihood || 'x' || impact, ' ') FROM (SELECT * FROM assessment WHERE risk_id IN ('R-041','R-042','R-043') ORDER BY risk_id)")" \
    "1x5 3x3 5x1" "scores"

t "Very low ... Very high are 1..5 (Low is 2 in a column that also says Very low/Very high)"
fresh rat5
csv risks.csv "id,title,likelihood,impact" "R-044,a,Very low,low" "R-045,b,Low,Medium" "R-046,c,High,very HIGH" "R-047,d,Very high,Very low"
rr -C rat5 import risks.csv
is_rc 0
is_eq "$(q rat5 "SELECT group_concat(likelihood || 'x' || impact, ' ') FROM (SELECT * FROM assessment WHERE risk_id LIKE 'R-04_' ORDER BY risk_id)")" \
    "1x2 2x3 4x5 5x1" "scores"

t "matrix labels and scale words: Rare..Almost certain, Negligible..Severe, 'Catastrophic'"
fresh rat6
csv risks.csv "id,title,Probability,Consequence" "R-050,a,Rare,Negligible" "R-051,b,unlikely,Minor" \
    "R-052,c,Possible,moderate" "R-053,d,Likely,Major" "R-054,e,ALMOST CERTAIN,Severe" "R-055,f,almost certain,Catastrophic"
rr -C rat6 import risks.csv
is_rc 0
is_eq "$(q rat6 "SELECT group_concat(likelihood || 'x' || impact, ' ') FROM (SELECT * FROM assessment WHERE risk_id LIKE 'R-05_' ORDER BY risk_id)")" \
    "1x1 2x2 3x3 4x4 5x5 5x5" "scores"

t "numbers with their label: '4 - Likely', '2 (Unlikely)', '5. Severe'"
fresh rat7
csv risks.csv "id,title,likelihood,impact" "R-056,a,4 - Likely,5. Severe" "R-057,b,2 (Unlikely),3: Moderate"
rr -C rat7 import risks.csv
is_rc 0
is_eq "$(q rat7 "SELECT group_concat(likelihood || 'x' || impact, ' ') FROM (SELECT * FROM assessment WHERE risk_id IN ('R-056','R-057') ORDER BY risk_id)")" \
    "4x5 2x3" "scores"

t "a 4x4 matrix with the project's own labels: labels map to their rating, 5 is out of range"
new_register m4
cat >m4/riskreg.lua <<'EOF'
return {
  matrix = {
    size = 4,
    likelihood = { "Hardly ever", "Sometimes", "Often", "Nearly always" },
    impact = { "Nuisance", "Painful", "Serious", "Disaster" },
  },
}
EOF
csv risks.csv "id,title,likelihood,impact" "R-001,a,Often,disaster" "R-002,b,hardly ever,Painful"
rr -C m4 import risks.csv
is_rc 0
is_eq "$(q m4 "SELECT group_concat(likelihood || 'x' || impact, ' ') FROM (SELECT * FROM assessment ORDER BY risk_id)")" "3x4 1x2" "scores"
fp=$(fingerprint m4)
csv risks.csv "id,title,likelihood,impact" "R-003,c,5,Serious"
rr -C m4 import risks.csv
is_rc 1
err_has "risks.csv:2: column 'likelihood': 5 is outside the 4x4 matrix; likelihood is rated 1-4"
same m4

t "risk words: In progress, Mitigated, Monitoring, Done, Complete; Reduce, Accept; any case"
fresh words
csv risks.csv "id,title,status,treatment,created_on,closed_on" \
    "R-060,a,In progress,Reduce,2026-01-01," "R-061,b,Mitigated,Accept,2026-01-01," \
    "R-062,c,MONITORING,TRANSFER,2026-01-01," "R-063,d,open,Avoid,2026-01-01," \
    "R-064,e,Done,,2026-01-01,2026-11-01" "R-065,f,complete,,2026-01-01,2026-11-02"
rr -C words import risks.csv
is_rc 0
is_eq "$(q words "SELECT group_concat(status || '/' || coalesce(treatment, '-'), ' ') FROM (SELECT * FROM risk WHERE id LIKE 'R-06_' ORDER BY id)")" \
    "treating/mitigate accepted/accept accepted/transfer open/avoid closed/- closed/-" "status/treatment"

t "improvement words: In progress is in_progress, Done/Complete are done; Med, P1, Complaint"
fresh iwords
csv improvements.csv "id,title,status,priority,source,raised_on,done_on" \
    "I-060,a,In progress,Med,Complaint,2026-01-01," "I-061,b,Done,P1,Internal audit,2026-01-01,2026-10-01" \
    "I-062,c,COMPLETE,low,RISK,2026-01-01,2026-10-02" "I-063,d,in_progress,High,,2026-01-01,"
rr -C iwords import improvements.csv
is_rc 0
is_eq "$(q iwords "SELECT group_concat(status || '/' || priority || '/' || coalesce(source, '-'), ' ') FROM (SELECT * FROM improvement WHERE id LIKE 'I-06_' ORDER BY id)")" \
    "in_progress/medium/customer done/high/audit done/low/risk in_progress/high/-" "status/priority/source"

t "a spreadsheet risk row with likelihood/impact creates the risk and an assessment dated --on"
fresh sheet
csv risks.csv "Risk ID,Risk Title,Probability,Consequence,Residual Probability,Residual Consequence,Date Raised" \
    "R-070,Key person leaves,4,3,2,3,2026-06-01"
rr -C sheet import --on 2026-10-15 risks.csv
is_rc 0
out_has "risks.csv: 1 risk added; 1 assessment added"
is_eq "$(q sheet "SELECT created_on || '|' || next_review_on FROM risk WHERE id = 'R-070'")" "2026-06-01|2027-01-13" "created_on|next_review_on"
is_eq "$(q sheet "SELECT assessed_on || '=' || likelihood || impact || residual_likelihood || residual_impact FROM assessment WHERE risk_id = 'R-070'")" \
    "2026-10-15=4323" "assessment"

t "an assessments file with aliases (Risk ID, Date, Probability, Severity, Residual ...) and r-001 for R-001"
fresh ass
csv assessments.csv "Risk ID,Date,Probability,Severity,Residual Probability,Residual Severity,Assessed By,Notes" \
    "r-001,2026-11-20,Likely,Major,Unlikely,Minor,ana,after restore drill"
rr -C ass import assessments.csv
is_rc 0
out_has "assessments.csv: 1 assessment added"
is_eq "$(q ass "SELECT risk_id || '|' || likelihood || impact || residual_likelihood || residual_impact || '|' || assessor || '|' || note FROM assessment WHERE assessed_on = '2026-11-20'")" \
    "R-001|4422|ana|after restore drill" "assessment"

# ---------------------------------------------------------------------------------------------
# IDs, updates, warnings, change log

t "rows without an ID get R-NNN numbered above the register's and the file's highest"
fresh ids
csv risks.csv "id,title" ",No ID first" "R-010,Ten" ",No ID last"
rr -C ids import risks.csv
is_rc 0
out_has "risks.csv: 3 risks added"
is_eq "$(q ids "SELECT group_concat(id || '=' || title, ' ') FROM (SELECT * FROM risk WHERE id NOT IN ('R-001','R-002','R-005') ORDER BY id)")" \
    "R-010=Ten R-011=No ID first R-012=No ID last" "assigned IDs"
csv improvements.csv "title,risk_id" "New improvement,R-011"
rr -C ids import improvements.csv
is_rc 0
is_eq "$(q ids "SELECT id || '|' || risk_id FROM improvement WHERE title = 'New improvement'")" "I-002|R-011" "improvement ID"

t "the change log names the IDs an import gave, also on a risk row's assessment, and verify passes"
fresh logged
csv risks.csv "id,title,created_on,likelihood,impact,assessed_on" \
    ",Scored without an ID,2026-04-01,3,4,2026-05-01" "R-020,Twenty,2026-04-01,2,2,2026-05-01" \
    ",Second without an ID,2026-04-01,1,5,2026-05-01"
rr -C logged import risks.csv
is_rc 0
for title in "Scored without an ID" "Second without an ID"; do
    id=$(q logged "SELECT id FROM risk WHERE title = '$title'")
    [ -n "$id" ] || _fail "no risk '$title'"
    is_eq "$(q logged "SELECT json_extract(after, '$.id') FROM change_log WHERE kind = 'risk' AND json_extract(after, '$.title') = '$title'")" \
        "$id" "the risk's entry for '$title'"
    is_eq "$(q logged "SELECT count(*) FROM change_log WHERE kind = 'assessment' AND record_id = '$id' AND json_extract(after, '$.risk_id') = '$id'")" \
        1 "the assessment's entry for $id"
done
rr -C logged verify
is_rc 0
out_has "every record matches its last entry"

t "a new row without an ID or a raised date, assessed in the past, was raised no later than that"
fresh unborn
csv risks.csv "id,title,likelihood,impact,assessed_on" ",No ID yet,3,4,2020-01-01"
rr -C unborn import risks.csv
is_rc 0
is_eq "$(q unborn "SELECT created_on FROM risk WHERE title = 'No ID yet'")" "2020-01-01" "created_on"

t "a new row without an ID assessed before it was created: the error says 'the risk' and how to fix it"
fresh unborn
csv risks.csv "id,title,likelihood,impact,assessed_on,created_on" ",No ID yet,3,4,2020-01-01,2021-01-01"
rr -C unborn import risks.csv
is_rc 1
err_has "risks.csv:2: column 'assessed_on': the risk is assessed on 2020-01-01, before it was created"
err_has "a created_on no later than the first assessment fixes that"
err_lacks "(null)"
same unborn

t "a row whose ID exists (in any case) updates that record: only the file's columns change"
fresh upd
csv risks.csv "Risk ID,Risk Owner,Status" "r-001,zoe,Monitoring"
rr -C upd import risks.csv
is_rc 0
out_has "risks.csv: 0 risks added, 1 updated"
is_eq "$(q upd "SELECT id || '|' || title || '|' || owner || '|' || status || '|' || created_on FROM risk WHERE id = 'R-001'")" \
    "R-001|Backup failure|zoe|accepted|2026-01-10" "R-001"
is_eq "$(count upd risk)" 3 "risks"
is_eq "$(q upd "SELECT operation || '|' || json_extract(before, '$.owner') || '>' || json_extract(after, '$.owner') FROM change_log WHERE record_id = 'R-001' ORDER BY seq DESC LIMIT 1")" \
    "update|ana>zoe" "change_log entry"
is_eq "$(count upd change_log)" $(($(count base change_log) + 1)) "change_log rows"

t "re-importing the same file changes nothing: 'unchanged', change log and register as before"
fresh again
csv risks.csv "id,title,owner,status,created_on" "R-080,Re-imported,max,treating,2026-04-01" ",No ID row,max,open,2026-04-01"
rr -C again import risks.csv
is_rc 0
fp=$(fingerprint again)
entries=$(count again change_log)
rr -C again import risks.csv
is_rc 0
out_has "risks.csv: 0 risks added, 2 unchanged"
is_eq "$(count again change_log)" "$entries" "change_log rows"
is_eq "$(count again risk)" 5 "risks"
same again

t "a column whose name is close to a field is an error, even in a dry run; other unknown columns are skipped with a warning"
fresh unk
csv risks.csv "id,title,Ownr,Colour" "R-081,Unknown columns,x,red"
rr -C unk import --dry-run risks.csv
is_rc 1
err_has "riskreg: risks.csv:1: column C 'Ownr' is not a risk field, but its name is close to 'owner': --map 'Ownr=owner' imports it, --map 'Ownr=' skips it (the columns are A 'id', B 'title', C 'Ownr', D 'Colour')"
out_lacks "would be added"
same unk
rr -C unk import risks.csv --map 'Ownr='
is_rc 0
err_has "riskreg: warning: risks.csv: column D 'Colour' is not a risk field; skipped (--map 'Colour=FIELD' imports it)"
err_lacks "Ownr"
is_eq "$(q unk "SELECT title || '|' || quote(owner) FROM risk WHERE id = 'R-081'")" "Unknown columns|NULL" "R-081"

t "a closed risk without a closed date gets --on and a warning saying so"
fresh closed
csv risks.csv "id,title,status,created_on" "R-082,Old printer,Closed,2026-01-01"
rr -C closed import --on 2026-11-02 risks.csv
is_rc 0
err_has "riskreg: warning: risks.csv:2: R-082 is closed without a date; closed_on set to 2026-11-02 (the import's --on date)"
is_eq "$(q closed "SELECT status || '|' || closed_on FROM risk WHERE id = 'R-082'")" "closed|2026-11-02" "R-082"

t "a done improvement without done_on gets --on and a warning saying so"
fresh dn0
csv improvements.csv "id,title,status,raised_on" "I-082,Retire fax,Done,2026-03-01"
rr -C dn0 import --on 2026-11-03 improvements.csv
is_rc 0
err_has "riskreg: warning: improvements.csv:2: I-082 is done without a date; done_on set to 2026-11-03 (the import's --on date)"
is_eq "$(q dn0 "SELECT status || '|' || done_on FROM improvement WHERE id = 'I-082'")" "done|2026-11-03" "I-082"

# ---------------------------------------------------------------------------------------------
# Bad input: exit 1, FILE:LINE: column 'NAME': message, nothing written

t "too many cells (a non-empty extra): exit 1, line named, nothing written"
fresh many
csv risks.csv "id,title,owner" "R-090,Rates, fees,ann"
rr -C many import risks.csv
is_rc 1
err_has "riskreg: risks.csv:2: the row has 4 cells but the header has 3: a value with a ',' in it must be in double quotes"
err_has "riskreg: import failed: 1 error; nothing was imported"
same many

t "too few cells: exit 1, line named, nothing written"
fresh few
csv risks.csv "id,title,owner" "R-090,Only two"
rr -C few import risks.csv
is_rc 1
err_has "riskreg: risks.csv:2: the row has 2 cells but the header has 3 (empty cells still need their ',')"
same few

t "a date that is not on the calendar (2026-02-30), named by the file's column"
fresh d1
csv risks.csv "Risk ID,Title,Date Raised" "R-090,Leap day,2026-02-30"
rr -C d1 import risks.csv
is_rc 1
err_has "riskreg: risks.csv:2: column 'Date Raised': '2026-02-30' is not a calendar date"
same d1

t "31/12/2026 without --date-format: one error naming the option, a count of the rest, no guess"
fresh d2
csv risks.csv "Risk ID,Title,Date Raised,Date Closed,Status" "R-090,UK date,31/12/2025,," "R-091,Next,01/02/2026,03/04/2026,closed" "R-092,Third,05/06/2026,,"
rr -C d2 import risks.csv
is_rc 1
err_has "riskreg: risks.csv:2: column 'Date Raised': '31/12/2025': is that day/month or month/day? Say which with --date-format DMY (31/12/2026) or MDY (12/31/2026), or once for the project in riskreg.lua: import = { date_format = \"DMY\" }"
is_eq "$(lines "$err" "day/month or month/day")" 1 "date-order errors said"
err_has "riskreg: … and 3 more cells like it"
err_has "riskreg: import failed: 4 errors; nothing was imported"
same d2

t "'next tuesday' is not a date"
fresh d3
csv improvements.csv "id,title,Due Date" "I-090,Someday,next tuesday"
rr -C d3 import improvements.csv
is_rc 1
err_has "riskreg: improvements.csv:2: column 'Due Date': 'next tuesday' is not a date; write dates as YYYY-MM-DD"
same d3

t "a bad --on date: a usage error (exit 2), nothing written"
fresh d4
csv risks.csv "id,title,likelihood,impact" "R-090,x,2,2"
rr -C d4 import --on 2026-02-30 risks.csv
is_rc 2
err_has "riskreg: --on: '2026-02-30' is not a calendar date"
same d4

t "a rating of 7 on a 5x5 matrix"
fresh r1
csv risks.csv "Risk ID,Title,Probability,Consequence" "R-090,Too likely,7,3"
rr -C r1 import risks.csv
is_rc 1
err_has "riskreg: risks.csv:2: column 'Probability': 7 is outside the 5x5 matrix; likelihood is rated 1-5"
same r1

t "a rating that is no number and no word ('very likely-ish') lists what is accepted"
fresh r2
csv risks.csv "Risk ID,Title,Probability,Consequence" "R-090,Vague,very likely-ish,3"
rr -C r2 import risks.csv
is_rc 1
err_has "riskreg: risks.csv:2: column 'Probability': 'very likely-ish' is not a likelihood rating; use 1-5, a matrix label (Rare, Unlikely, Possible, Likely, Almost certain), Low/Medium/High or Very low...Very high"
same r2

t "half a rating pair: likelihood without impact names the missing column"
fresh r3
csv risks.csv "Risk ID,Title,Probability,Consequence" "R-090,Half rated,4,"
rr -C r3 import risks.csv
is_rc 1
err_has "riskreg: risks.csv:2: column 'Consequence': likelihood and impact come as a pair: this row has only the likelihood"
same r3

t "half a residual pair in an assessments file"
fresh r4
csv assessments.csv "risk_id,assessed_on,likelihood,impact,Residual Probability,Residual Consequence" "R-001,2026-11-20,3,3,2,"
rr -C r4 import assessments.csv
is_rc 1
err_has "riskreg: assessments.csv:2: column 'Residual Consequence': residual likelihood and residual impact come as a pair: give both or neither"
same r4

t "an unknown status word: the message lists the accepted values"
fresh e1
csv risks.csv "id,title,Risk Status" "R-090,Parked risk,Parked"
rr -C e1 import risks.csv
is_rc 1
err_has "riskreg: risks.csv:2: column 'Risk Status': 'Parked' is not a risk status; use one of: open, treating, accepted, closed"
same e1

t "an ID that is not an ID"
fresh e2
csv risks.csv "id,title" "R 090,Space in ID"
rr -C e2 import risks.csv
is_rc 1
err_has "riskreg: risks.csv:2: column 'id': 'R 090' is not a valid ID (1-40 letters, digits, '-', '_' or '.', starting with a letter or digit)"
same e2

t "a duplicate ID within a file names both lines"
fresh dup
csv risks.csv "Risk ID,Title" "R-090,First" "R-091,Other" "R-090,Again"
rr -C dup import risks.csv
is_rc 1
err_has "riskreg: risks.csv:4: column 'Risk ID': R-090 appears twice: also at risks.csv:2"
same dup

t "duplicate IDs differing only in case are duplicates"
fresh dupc
csv risks.csv "Risk ID,Title" "R-090,Upper" "r-090,Lower"
rr -C dupc import risks.csv
is_rc 1
err_has "riskreg: risks.csv:3: column 'Risk ID': r-090 appears twice: also at risks.csv:2"
same dupc

t "an ID already used by another kind (in any case) is refused"
fresh other
csv improvements.csv "Improvement ID,Title" "r-001,Clashes with a risk"
rr -C other import improvements.csv
is_rc 1
err_has "riskreg: improvements.csv:2: column 'Improvement ID': R-001 is already a risk; IDs are unique across the register"
same other

t "an assessment for a risk that does not exist (R-999)"
fresh ref1
csv assessments.csv "Risk ID,Date,Probability,Consequence" "R-999,2026-11-20,2,2"
rr -C ref1 import assessments.csv
is_rc 1
err_has "riskreg: assessments.csv:2: column 'Risk ID': there is no risk R-999"
same ref1

t "an improvement whose risk_id points at a missing risk, or at an improvement"
fresh ref2
csv improvements.csv "id,title,Related Risk" "I-090,Fix it,R-404" "I-091,Fix that,I-001"
rr -C ref2 import improvements.csv
is_rc 1
err_has "riskreg: improvements.csv:2: column 'Related Risk': there is no risk R-404"
err_has "riskreg: improvements.csv:3: column 'Related Risk': I-001 is an improvement, not a risk"
same ref2

t "an assessment dated before its risk was created"
fresh ref3
csv assessments.csv "risk_id,assessed_on,likelihood,impact" "R-005,2026-02-01,2,2"
rr -C ref3 import assessments.csv
is_rc 1
err_has "riskreg: assessments.csv:2: column 'assessed_on': R-005 is assessed on 2026-02-01, before it was created (2026-03-01)"
same ref3

t "a quote never closed: the line where it opened is named"
fresh q1
csv risks.csv "id,title,owner" "R-090,A,b" 'R-091,"Never closed,b' "R-092,C,c" "R-093,D,d" "R-094,E,e" "R-095,F,f"
rr -C q1 import risks.csv
is_rc 1
err_has "riskreg: risks.csv:3: a quoted cell is never closed"
same q1

t "text after a closing quote"
fresh q2
csv risks.csv "id,title,owner" "R-090,A,b" 'R-091,"Quoted" and more,b'
rr -C q2 import risks.csv
is_rc 1
err_has "riskreg: risks.csv:3: a double quote in the wrong place: a cell with quotes must start and end with one"
same q2

t "invalid UTF-8 (a Windows-1252 byte): refused with the line and how to re-save"
fresh u1
printf 'id,title,owner\nR-090,ok,ann\nR-091,Caf\xe9 outage,bob\n' >risks.csv
rr -C u1 import risks.csv
is_rc 1
err_has "riskreg: risks.csv:3: not UTF-8 text (byte 0xE9); the file looks like it was saved as Windows-1252 or Latin-1: save it as UTF-8"
same u1

t "a UTF-16 file (BOM FF FE): refused with how to save as UTF-8"
fresh u2
printf '\xff\xfei\x00d\x00,\x00t\x00i\x00t\x00l\x00e\x00\n\x00R\x00-\x009\x00,\x00x\x00\n\x00' >risks.csv
rr -C u2 import risks.csv
is_rc 1
err_has "riskreg: risks.csv: the file is UTF-16 text; save it as UTF-8 (in Excel: Save As > 'CSV UTF-8 (Comma delimited)'"
same u2

t "an empty file"
fresh empty
: >risks.csv
rr -C empty import risks.csv
is_rc 1
err_has "riskreg: risks.csv: the file is empty: expected a header row and risks"
same empty

t "no recognisable header"
fresh nohdr
csv risks.csv "Foo,Bar,Baz" "1,2,3"
rr -C nohdr import risks.csv
is_rc 1
err_has "riskreg: risks.csv:1: no header row: none of the first rows names two risks columns (such as id, kind); use --map 'Header=field' or --header-row N"
same nohdr

t "a semicolon file without --delimiter is recognised and read so, and the import says so"
fresh nohdr2
csv risks.csv "Risk ID;Title;Owner" "R-090;Semicolons, and a comma;ann"
rr -C nohdr2 import risks.csv
is_rc 0
err_has "risks.csv: cells are separated by ';'; reading it so (--delimiter chooses)"
is_eq "$(q nohdr2 "SELECT title || '|' || owner FROM risk WHERE id = 'R-090'")" "Semicolons, and a comma|ann" "R-090"

t "a semicolon file with quoted cells is recognised too"
fresh semi2
rr -C semi2 import --kind improvements "$FIX/libreoffice-improvements.csv"
is_rc 0
err_has "cells are separated by ';'"

t "--delimiter ',' on a semicolon file reads it as commas: no header, with the hint"
fresh semi3
csv risks.csv "Risk ID;Title;Owner" "R-090;Semicolons;ann"
rr -C semi3 import --delimiter , risks.csv
is_rc 1
err_has "risks.csv:1: no header row"
err_has "the file looks like it uses ';' between cells: add --delimiter ';'"
same semi3

t "two columns giving one field (Owner and Risk Owner; Title twice)"
fresh two
csv risks.csv "Risk ID,Title,Owner,Risk Owner" "R-090,Two owners,ann,bob"
rr -C two import risks.csv
is_rc 1
err_has "riskreg: risks.csv:1: columns C 'Owner' and D 'Risk Owner' both give owner; keep one with --map 'D=' (or --map 'C=' for the other), or give it another field (--map 'D=FIELD') (the columns are A 'Risk ID', B 'Title', C 'Owner', D 'Risk Owner')"
same two
csv risks.csv "Risk ID,Title,Title" "R-090,One,Two"
rr -C two import risks.csv
is_rc 1
err_has "riskreg: risks.csv:1: columns B 'Title' and C 'Title' both give title"
same two
rr -C two import risks.csv --map 'C=description'
is_rc 0
is_eq "$(q two "SELECT title || '|' || description FROM risk WHERE id = 'R-090'")" "One|Two" "the second Title, mapped by its letter"

t "a done improvement with done_on before raised_on"
fresh dn
csv improvements.csv "id,title,status,Date Raised,Completed" "I-090,Backwards,Done,2026-04-01,2026-03-01"
rr -C dn import improvements.csv
is_rc 1
err_has "riskreg: improvements.csv:2: column 'Completed': done on 2026-03-01, before it was raised (2026-04-01)"
same dn

t "closed_on set on an open risk"
fresh co
csv risks.csv "Risk ID,Title,Status,Date Closed" "R-090,Still open,Open,2026-11-01"
rr -C co import risks.csv
is_rc 1
err_has "riskreg: risks.csv:2: column 'Date Closed': closed_on is set but the status is 'open'; set status=closed or clear closed_on"
same co

t "errors in several rows are all reported, each with its line"
fresh sev
csv risks.csv "id,title,created_on,likelihood,impact,status" \
    "R-090,a,2026-13-01,,," "R-091,b,2026-01-01,9,1," "R-092,c,2026-01-01,,,Parked" "R-093,good,2026-01-01,,," "R-093,dup,2026-01-01,,,"
rr -C sev import risks.csv
is_rc 1
err_has "risks.csv:2: column 'created_on': '2026-13-01' is not a calendar date"
err_has "risks.csv:3: column 'likelihood': 9 is outside the 5x5 matrix"
err_has "risks.csv:4: column 'status': 'Parked' is not a risk status"
err_has "risks.csv:6: column 'id': R-093 appears twice: also at risks.csv:5"
err_has "riskreg: import failed: 4 errors; nothing was imported"
same sev

t "one kind of error on every row: the first three, then a count of the rest, so later problems show"
fresh cap
{
    echo "id,title,created_on,status"
    for i in $(seq 1 35); do echo "R-$((100 + i)),Row $i,2026-13-01,open"; done
    echo "R-200,Last,2026-01-01,Parked"
} >risks.csv
rr -C cap import risks.csv
is_rc 1
is_eq "$(lines "$err" "is not a calendar date")" 3 "errors shown"
err_has "risks.csv:4: column 'created_on'"
err_lacks "risks.csv:5:"
err_has "riskreg: risks.csv: column 'created_on': … and 32 more rows like it"
err_has "riskreg: risks.csv:37: column 'status': 'Parked' is not a risk status"
err_has "riskreg: import failed: 36 errors; nothing was imported"
same cap

t "errors in six columns of every row: three of each column, then a count per column"
fresh cap3
{
    echo "id,title,created_on,closed_on,next_review_on,review_every_days,likelihood,impact"
    for i in $(seq 1 10); do echo "R-$((100 + i)),Row $i,2026-13-01,2026-13-01,2026-13-01,0,9,9"; done
} >risks.csv
rr -C cap3 import risks.csv
is_rc 1
is_eq "$(printf '%s\n' "$err" | grep -c '^riskreg: risks.csv:[0-9]')" 18 "errors shown: three of each of six columns"
err_has "riskreg: risks.csv: column 'created_on': … and 7 more rows like it"
same cap3

t "an error in the second file of a folder: the first file is not imported either"
fresh f3
mkdir -p f3d
csv f3d/risks.csv "id,title,created_on" "R-110,Good risk,2026-09-01" "R-111,Another good one,2026-09-01"
csv f3d/improvements.csv "id,title,risk_id,status" "I-110,Good,R-110,approved" "I-111,Bad status,R-111,Parked"
rr -C f3 import f3d
is_rc 1
err_has "riskreg: f3d/improvements.csv:3: column 'status': 'Parked' is not a"
err_has "riskreg: import failed: 1 error; nothing was imported"
out_lacks "risks added"
same f3
is_eq "$(q f3 "SELECT count(*) FROM risk WHERE id IN ('R-110', 'R-111')")" 0 "risks of the first file"

t "a broken quote in the second file of a folder: nothing written"
fresh f4
mkdir -p f4d
csv f4d/risks.csv "id,title" "R-112,Good risk"
printf 'id,title\nI-112,"never closed\n' >f4d/improvements.csv
rr -C f4 import f4d
is_rc 1
err_has "riskreg: f4d/improvements.csv:2: a quoted cell is never closed"
same f4

t "a missing file: exit 1, nothing written"
fresh nf
rr -C nf import nothere.csv
is_rc 1
err_has "riskreg: nothere.csv: no such file or folder"
same nf

# ---------------------------------------------------------------------------------------------
# Re-imports, unrated rows, closed risks with scores, and what the output says

t "messages use 'an' before a vowel: 'not an impact rating', 'not an improvement status'"
fresh an
csv risks.csv "id,title,likelihood,impact" "R-090,x,Rare,Almost certain"
rr -C an import risks.csv
is_rc 1
err_has "risks.csv:2: column 'impact': 'Almost certain' is not an impact rating"
same an
csv improvements.csv "id,title,status" "I-090,x,Parked"
rr -C an import improvements.csv
is_rc 1
err_has "improvements.csv:2: column 'status': 'Parked' is not an improvement status; use one of: proposed, approved, in_progress, done, rejected"
same an

t "a risk row with a comment but no ratings is a risk not yet assessed, not 'half a pair'"
fresh cm
csv risks.csv "Risk ID,Risk Title,Probability,Consequence,Comments" "R-090,Not rated yet,,,Workshop in January"
rr -C cm import risks.csv
err_lacks "this row has only the impact"
is_rc 0
err_has "risks.csv:2: the row has no likelihood or impact, so its assessment columns"
is_eq "$(q cm "SELECT title FROM risk WHERE id = 'R-090'")" "Not rated yet" "R-090"
is_eq "$(q cm "SELECT count(*) FROM assessment WHERE risk_id = 'R-090'")" 0 "assessments of R-090"

t "a closed risk row with its ratings and closed date imports (the assessment is not after the closing)"
fresh cl
csv risks.csv "Risk ID,Risk Title,Probability,Consequence,Status,Date Raised,Date Closed" \
    "R-090,Old data centre,2,3,Closed,2026-01-10,2026-06-30"
rr -C cl import risks.csv
err_lacks "column 'assessed_on'"
is_rc 0
is_eq "$(q cl "SELECT status || '|' || closed_on FROM risk WHERE id = 'R-090'")" "closed|2026-06-30" "R-090"
is_eq "$(q cl "SELECT count(*) FROM assessment WHERE risk_id = 'R-090' AND assessed_on <= '2026-06-30' AND likelihood = 2 AND impact = 3")" 1 "assessment within the risk's life"

t "re-importing an unchanged spreadsheet on a later day changes nothing"
fresh later
csv risks.csv "Risk ID,Risk Title,Probability,Consequence,Date Raised" "R-090,Flood,3,4,2026-01-10" "R-091,Fire,2,2,2026-01-10"
rr -C later import --on 2026-10-01 risks.csv
is_rc 0
fp=$(fingerprint later)
rr -C later import --on 2026-11-25 risks.csv
is_rc 0
out_has "risks.csv: 0 risks added, 2 unchanged"
is_eq "$(q later "SELECT group_concat(next_review_on, ' ') FROM (SELECT next_review_on FROM risk WHERE id IN ('R-090', 'R-091') ORDER BY id)")" \
    "2026-12-30 2026-12-30" "next_review_on"
same later

t "--dry-run says what the import then does (same-day re-import: nothing)"
fresh dr2
csv risks.csv "Risk ID,Risk Title,Probability,Consequence" "R-090,Flood,3,4" "R-091,Fire,2,2"
rr -C dr2 import risks.csv
is_rc 0
fp=$(fingerprint dr2)
rr -C dr2 import --dry-run risks.csv
is_rc 0
out_has "risks.csv: 0 risks would be added, 2 unchanged"
out_lacks "would be updated"
same dr2

t "a changed score on the same day is reported as an assessment updated, not a risk"
csv risks.csv "Risk ID,Risk Title,Probability,Consequence" "R-090,Flood,1,4" "R-091,Fire,2,2"
rr -C dr2 import risks.csv
is_rc 0
is_eq "$(q dr2 "SELECT likelihood || 'x' || impact FROM assessment WHERE risk_id = 'R-090'")" "1x4" "R-090 score"
out_has "risks.csv: 0 risks added, 2 unchanged; 1 assessment updated"

done_testing
