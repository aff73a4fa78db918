#!/usr/bin/env bash
# tests/import_sheets.sh - the spreadsheets people keep, imported without hand edits: headers as
# they write them, --map that does what it says, their own words and dates, one message per
# problem, treatment plans, the sheet's own verdicts, and importing again without undoing work
# done in riskreg since.
#
# Each case asserts on what a user sees: the message, the exit code, the values `riskreg show`
# and the register hold; a refused import leaves the register byte for byte as it was.
source "$(dirname "$0")/lib.sh"

q() { sql "$1/register.db" "$2"; }
same() { is_eq "$(fingerprint "$1")" "$fp" "register fingerprint (nothing may be written)"; }
fresh() {
    rm -rf "$1"
    new_register "$1"
    fp=$(fingerprint "$1")
}

# ---------------------------------------------------------------------------------------------
# 1. Headers as people write them

t "a scale or unit in brackets, after an underscore or bare is ignored: Likelihood (1-5), L_1to5, Impact [1–5]"
fresh h1
csv risks.csv "Ref,Risk,Likelihood (1-5),Impact [1–5],Review Frequency (days),Cost (CHF)" \
    "R-001,Backups fail,3,4,30,1200"
rr -C h1 import --kind risks risks.csv
is_rc 0
out_has "1 risk added; 1 assessment added"
err_has "column F 'Cost (CHF)' is not a risk field; skipped"
is_eq "$(q h1 "SELECT likelihood || 'x' || impact FROM assessment WHERE risk_id = 'R-001'")" "3x4" "ratings"
is_eq "$(q h1 "SELECT review_every_days FROM risk WHERE id = 'R-001'")" "30" "review_every_days"
csv risks2.csv "Ref,Risk,L_1to5,I_1to5,Impact 1-5 note" "R-002,Supplier fails,2,5,"
rr -C h1 import --kind risks risks2.csv
is_rc 0
is_eq "$(q h1 "SELECT likelihood || 'x' || impact FROM assessment WHERE risk_id = 'R-002'")" "2x5" "L_1to5 and I_1to5"

t "the headers of a project-management template: Mitigation Strategy and Recommended Action find their fields"
fresh h2
csv risks.csv "Risk ID,Risk Title,Likelihood (1-5),Impact (1-5),Mitigation Strategy,Recommended Action,Target Date" \
    "R-010,Change backlog,4,3,Weekly CAB,Add standard changes,2027-03-31"
rr -C h2 import --kind risks risks.csv
is_rc 0
rr -C h2 show R-010
out_has "controls           Weekly CAB"
out_has "action_plan        Add standard changes"
out_has "target_on          2027-03-31"
out_has "4×3 → 12"

t "a column named close to a field is an error in the dry run's summary, skipped only when said"
fresh h3
csv risks.csv "Risk ID,Title,Likelyhood,Impact" "R-011,Disk full,3,3"
rr -C h3 import --kind risks --dry-run risks.csv
is_rc 1
err_has "riskreg: risks.csv:1: column C 'Likelyhood' is not a risk field, but its name is close to 'likelihood': --map 'Likelyhood=likelihood' imports it, --map 'Likelyhood=' skips it (the columns are A 'Risk ID', B 'Title', C 'Likelyhood', D 'Impact')"
out_lacks "would be added"
same h3
rr -C h3 import --kind risks risks.csv --map 'Likelyhood=likelihood'
is_rc 0
is_eq "$(q h3 "SELECT likelihood FROM assessment WHERE risk_id = 'R-011'")" "3" "likelihood from the mapped column"

# ---------------------------------------------------------------------------------------------
# 2. --map that does what it says

t "an explicit --map wins over an automatic alias of the same field (the other column is skipped, said)"
fresh m1
csv risks.csv "Risk ID,Title,existing_controls,actions" "R-020,Phishing,MFA everywhere,Train staff"
rr -C m1 import --kind risks risks.csv --map 'existing_controls=controls'
is_rc 0
err_has "column 'actions' would give controls, which --map gives from 'existing_controls'; skipped"
is_eq "$(q m1 "SELECT controls FROM risk WHERE id = 'R-020'")" "MFA everywhere" "controls"

t "--map may be repeated: the mappings add up"
fresh m2
csv risks.csv "Key,Name,Lead" "R-021,Expired certificate,Dana"
rr -C m2 import --kind risks risks.csv --map 'Key=id' --map 'Name=title' --map 'Lead=owner'
is_rc 0
is_eq "$(q m2 "SELECT id || '|' || title || '|' || owner FROM risk")" "R-021|Expired certificate|Dana" "id|title|owner"

t "a header with commas in it is mapped by its name, its letter or its position"
fresh m3
csv risks.csv "Risk ID,Title,\"Potential Impact (C,S,Q,Sc)\",Probability" "R-022,Data loss,4,2"
rr -C m3 import --kind risks risks.csv --map 'Potential Impact (C,S,Q,Sc)=impact'
is_rc 0
is_eq "$(q m3 "SELECT likelihood || 'x' || impact FROM assessment")" "2x4" "by name"
fresh m3
rr -C m3 import --kind risks risks.csv --map 'C=impact'
is_rc 0
is_eq "$(q m3 "SELECT impact FROM assessment")" "4" "by letter"
fresh m3
rr -C m3 import --kind risks risks.csv --map '#3=impact'
is_rc 0
is_eq "$(q m3 "SELECT impact FROM assessment")" "4" "by position"

t "two columns both named Likelihood: the error names them by letter, and mapping one by letter settles it"
fresh m4
csv risks.csv "Risk ID,Title,Likelihood,Impact,Likelihood,Impact" "R-023,Flood,4,4,2,3"
rr -C m4 import --kind risks risks.csv
is_rc 1
err_has "riskreg: risks.csv:1: columns C 'Likelihood' and E 'Likelihood' both give likelihood; keep one with --map 'E=' (or --map 'C=' for the other), or give it another field (--map 'E=FIELD')"
same m4
rr -C m4 import --kind risks risks.csv --map 'E=residual_likelihood,F=residual_impact'
is_rc 0
rr -C m4 show R-023
out_has "4×4 → 16"
out_has "2×3 → 6"

t "a --map naming a column no file has is a usage error that lists the columns"
fresh m5
csv risks.csv "Risk ID,Title" "R-024,Something"
rr -C m5 import --kind risks risks.csv --map 'Owner Name=owner'
is_rc 2
err_has "riskreg: --map 'Owner Name=owner': no column 'Owner Name' in risks.csv (its columns are A 'Risk ID', B 'Title')"
same m5

# ---------------------------------------------------------------------------------------------
# 3. Words mapped, and remembered

t "built-in synonyms cover the templates' status and treatment words"
fresh w1
csv risks.csv "Risk ID,Title,Status,Treatment" "R-030,A,Not Started,Treat" "R-031,B,On hold,Tolerate" \
    "R-032,C,Under review,Transferred" "R-033,D,Escalated,Terminate"
rr -C w1 import --kind risks risks.csv
is_rc 0
is_eq "$(q w1 "SELECT group_concat(status || '/' || treatment, ' ') FROM (SELECT * FROM risk ORDER BY id)")" \
    "open/mitigate open/accept open/transfer open/avoid" "status/treatment"

t "--map-values maps a sheet's own words per field, and an unknown target word is a usage error"
fresh w2
csv risks.csv "Risk ID,Title,Status" "R-034,A,Parked" "R-035,B,Live"
rr -C w2 import --kind risks risks.csv
is_rc 1
err_has "'Parked' is not a risk status"
same w2
rr -C w2 import --kind risks risks.csv --map-values 'status:Parked=accepted,Live=treating'
is_rc 0
is_eq "$(q w2 "SELECT group_concat(status, ' ') FROM (SELECT * FROM risk ORDER BY id)")" "accepted treating" "statuses"
fresh w3
rr -C w3 import --kind risks risks.csv --map-values 'status:Parked=parked'
is_rc 2
err_has "riskreg: --map-values: 'parked' is not a status riskreg knows (riskreg help words lists them)"
same w3

t "riskreg.lua's import section keeps the project's columns, words and date order: no flags next quarter"
fresh w4
# riskreg.lua is one table: the section goes before its closing brace
sed -i '$d' w4/riskreg.lua
cat >>w4/riskreg.lua <<'EOF'
  import = {
    date_format = "DMY",
    map = { ["Risk Lead"] = "owner", ["Internal ref"] = "" },
    values = { status = { Parked = "accepted" } },
  },
}
EOF
csv risks.csv "Risk ID,Title,Risk Lead,Internal ref,Status,Date Raised" "R-036,Old switch,Eli,X-9,Parked,31/01/2026"
rr -C w4 import --kind risks risks.csv
is_rc 0
err_lacks "Internal ref"
is_eq "$(q w4 "SELECT owner || '|' || status || '|' || created_on FROM risk")" "Eli|accepted|2026-01-31" "owner|status|created_on"

t "a bad import setting in riskreg.lua is named with its line"
fresh w5
cp w4/riskreg.lua w5/riskreg.lua
sed -i 's/date_format = "DMY"/date_format = "DD-MM"/' w5/riskreg.lua
rr -C w5 import --kind risks risks.csv
is_rc 1
err_has "riskreg.lua:"
err_has "import.date_format must be \"DMY\", \"MDY\" or \"YMD\""

# ---------------------------------------------------------------------------------------------
# 4. Dates from any locale, never guessed

t "--date-format DMY, MDY and YMD read day-first, month-first and year-first dates"
for order in "DMY 31/12/2025" "MDY 12/31/2025" "YMD 2025/12/31"; do
    set -- $order
    fresh d1
    csv risks.csv "Risk ID,Title,Date Raised" "R-040,Dated,$2"
    rr -C d1 import --kind risks risks.csv --date-format "$1"
    is_rc 0
    is_eq "$(q d1 "SELECT created_on FROM risk")" "2025-12-31" "$1 $2"
done

t "a date that is not in the order said is refused, naming the order and where it was said"
fresh d2
csv risks.csv "Risk ID,Title,Date Raised" "R-041,Dated,12/31/2025"
rr -C d2 import --kind risks risks.csv --date-format DMY
is_rc 1
err_has "column 'Date Raised': '12/31/2025' is not a date in DMY order (as --date-format says)"
same d2

t "Excel serial numbers and month names are read where a date is expected"
fresh d3
csv risks.csv "Risk ID,Title,Date Raised,Target Date,Next Review" "R-042,Serial,46022,\"March 31, 2027\",15-Jan-2027"
rr -C d3 import --kind risks risks.csv
is_rc 0
is_eq "$(q d3 "SELECT created_on || '|' || target_on || '|' || next_review_on FROM risk")" \
    "2025-12-31|2027-03-31|2027-01-15" "created_on|target_on|next_review_on"

t "a bad --date-format is a usage error"
rr -C d3 import --kind risks risks.csv --date-format DDMMYY
is_rc 2
err_has "riskreg: --date-format: 'DDMMYY' is not DMY (31/12/2026), MDY (12/31/2026) or YMD (2026/12/31)"

# ---------------------------------------------------------------------------------------------
# 5. One message per problem

t "a sheet without a title column: one error at the header naming the columns, not one per row"
fresh o1
{
    echo "Risk ID,Owner,Probability,Consequence,Date Raised"
    for i in $(seq 10 61); do echo "R-$i,ann,2,2,2026-01-01"; done
    echo "R-99,ann,9,2,2026-01-01"
} >risks.csv
rr -C o1 import --kind risks risks.csv
is_rc 1
err_has "riskreg: risks.csv:1: no column gives the risk's title, which 52 rows need (the columns are A 'Risk ID', B 'Owner', C 'Probability', D 'Consequence', E 'Date Raised'); --map 'COLUMN=title' names the column that does"
is_eq "$(printf '%s\n' "$err" | grep -c "title")" 1 "title errors said"
err_has "risks.csv:54: column 'Probability': 9 is outside the 5x5 matrix"
same o1

# ---------------------------------------------------------------------------------------------
# 6. Where treatment plans live

t "action plan, target date and completion date: a completion date with no status word closes the risk on it"
fresh p1
csv risks.csv "Risk ID,Title,Action Plan,Target Date,Completion Date" \
    "R-050,Legacy VPN,\"Replace with *ZTNA*\",2027-06-30," "R-051,Fax line,Retire it,2026-05-31,2026-05-20"
rr -C p1 import --kind risks risks.csv
is_rc 0
is_eq "$(q p1 "SELECT id || '|' || status || '|' || ifnull(closed_on, '') || '|' || action_plan || '|' || target_on FROM risk ORDER BY id" | paste -sd' ')" \
    "R-050|open||Replace with *ZTNA*|2027-06-30 R-051|closed|2026-05-20|Retire it|2026-05-31" "status, closing and plans"

t "a closed risk without its date takes the date it was last assessed (Last Updated), said once with a count"
fresh p2
csv risks.csv "Risk ID,Title,Status,Likelihood,Impact,Last Updated" \
    "R-052,Old printer,Closed - mitigated,1,1,2026-04-02" "R-053,Old fax,Closed,1,1,2026-04-03" "R-054,Old PBX,Closed,1,1,2026-04-04"
rr -C p2 import --kind risks risks.csv
is_rc 0
err_has "riskreg: warning: risks.csv:2: R-052 is closed without a date; closed_on set to 2026-04-02 (the date it was last assessed)"
err_has "riskreg: warning: risks.csv: … and 2 more rows like it"
is_eq "$(q p2 "SELECT group_concat(closed_on, ' ') FROM (SELECT * FROM risk ORDER BY id)")" "2026-04-02 2026-04-03 2026-04-04" "closed_on"
is_eq "$(q p2 "SELECT group_concat(assessed_on, ' ') FROM (SELECT * FROM assessment ORDER BY risk_id)")" "2026-04-02 2026-04-03 2026-04-04" "assessed_on from Last Updated"

# ---------------------------------------------------------------------------------------------
# 8. Importing again never undoes work

team_sheet() {
    csv team.csv "Risk ID,Title,Owner,Likelihood,Impact,Note" "R-060,Outage,$1,$2,$3,from the sheet" "R-061,Supplier,Bob,2,2,"
}

t "the team's sheet imported again after work in riskreg: nothing of that work is undone"
fresh c1
team_sheet Ann 3 4
RISKREG_TODAY=2026-11-20 rr -C c1 import --kind risks team.csv
is_rc 0
RISKREG_TODAY=2026-11-20 rr -C c1 set R-060 owner=Carol
RISKREG_TODAY=2026-11-20 rr -C c1 assess R-060 2 2 --note "reassessed after the failover test"
fp=$(fingerprint c1)
RISKREG_TODAY=2026-11-20 rr -C c1 import --kind risks team.csv --dry-run
is_rc 0
out_has "team.csv: 0 risks would be added, 2 unchanged"
RISKREG_TODAY=2026-11-20 rr -C c1 import --kind risks team.csv
is_rc 0
rr -C c1 show R-060
out_has "owner              Carol"
out_has "2×2 → 4"
is_eq "$(q c1 "SELECT likelihood || 'x' || impact || '|' || note FROM assessment WHERE risk_id = 'R-060'")" \
    "2x2|reassessed after the failover test" "the same day's reassessment, kept"
RISKREG_TODAY=2026-11-27 rr -C c1 import --kind risks team.csv
is_rc 0
is_eq "$(q c1 "SELECT count(*) FROM assessment WHERE risk_id = 'R-060'")" "1" "no later assessment re-adding the sheet's old scores"

t "a field changed both in riskreg and in the sheet is a conflict: listed with both values, nothing written"
team_sheet Dave 3 4
fp=$(fingerprint c1)
rr -C c1 import --kind risks team.csv --dry-run
is_rc 1
err_has "riskreg: team.csv:2: R-060 owner was changed in riskreg to 'Carol' since this sheet was last imported, and the sheet now says 'Dave'"
err_has "riskreg: dry run: 1 field changed both in riskreg and in the sheet since it was last imported; --prefer sheet takes the sheet's values, --prefer register keeps riskreg's; nothing was written"
rr -C c1 import --kind risks team.csv
is_rc 1
err_has "riskreg: import failed: 1 field changed both in riskreg and in the sheet"
same c1

t "--prefer register keeps riskreg's value, and the sheet's other changes still come in"
csv team.csv "Risk ID,Title,Owner,Likelihood,Impact,Note" "R-060,Outage,Dave,3,4,from the sheet" "R-061,Supplier,Zoe,2,2,"
rr -C c1 import --kind risks team.csv --dry-run --prefer register
is_rc 0
out_has "  R-061 owner: 'Bob' → 'Zoe'"
rr -C c1 import --kind risks team.csv --prefer register
is_rc 0
err_has "R-060 owner: kept riskreg's 'Carol' over 'Dave' (--prefer register)"
is_eq "$(q c1 "SELECT group_concat(owner, ' ') FROM (SELECT * FROM risk ORDER BY id)")" "Carol Zoe" "owners"
rr -C c1 verify
is_rc 0

t "--prefer sheet takes the sheet's values where both changed"
fresh c2
team_sheet Ann 3 4
RISKREG_TODAY=2026-11-20 rr -C c2 import --kind risks team.csv
RISKREG_TODAY=2026-11-20 rr -C c2 set R-060 owner=Carol
team_sheet Dave 3 4
rr -C c2 import --kind risks team.csv --prefer sheet
is_rc 0
is_eq "$(q c2 "SELECT owner FROM risk WHERE id = 'R-060'")" "Dave" "owner"

t "a change made only in the sheet comes in; a bad --prefer is a usage error"
team_sheet Dave 4 4
RISKREG_TODAY=2026-11-26 rr -C c2 import --kind risks team.csv
is_rc 0
out_has "1 assessment added"
rr -C c2 import --kind risks team.csv --prefer mine
is_rc 2
err_has "riskreg: --prefer: use 'sheet' or 'register'"

# ---------------------------------------------------------------------------------------------
# 9. The sheet's own verdicts compared

t "where the sheet's level disagrees with the project's bands: one warning per distinct disagreement, with a count"
fresh v1
{
    echo "Risk ID,Title,Likelihood,Impact,Risk Score,Risk Rating"
    for i in $(seq 70 80); do echo "R-$i,Risk $i,4,4,16,Critical"; done
    echo "R-81,Risk 81,2,2,4,Low"
    echo "R-82,Risk 82,3,4,20,High"
} >risks.csv
rr -C v1 import --kind risks risks.csv
is_rc 0
err_has "riskreg: warning: risks.csv: 11 rows: the sheet says Critical for score 16; the project's bands say High — see levels in riskreg.lua"
err_has "riskreg: warning: risks.csv: 1 row: the sheet's score is 20 where the project's is 12 (High) — see score in riskreg.lua"
is_eq "$(printf '%s\n' "$err" | grep -c "the sheet says")" 1 "warnings about levels"

done_testing
