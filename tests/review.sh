#!/usr/bin/env bash
# The management review as a cycle (issue 12): a review planned and held with its conclusions,
# its pack's figures kept and checked, its record page unchanged by later corrections (which it
# lists); risk acceptance with expiry; the decisions sought, once each with their reasons; the
# effectiveness of treatment and of corrective actions; every overdue thing counted.
source "$(dirname "$0")/lib.sh"

# json FILE PATH: one value of a JSON file
json() { sqlite3 :memory: "SELECT json_extract(readfile('$1'), '$2')"; }
# the reasons the dashboard gives for one record (the row of its ID in "Needs a decision")
asked() { awk -v id=">$2</a>" '/<h2 id="decisions">/ { on = 1 } on && /<h2 id="overdue">/ { exit } on && index($0, id)' "$1/index.html"; }
# a section of the review pack or a record page, by its element id
section() { awk -v s="id=\"$2\"" 'index($0, s) { on = 1 } on { print } on && /<\/section>/ { exit }' "$1"; }

new_register p
P=p/register.db
# R-001 above the appetite (9) with nothing done; R-002 above it, treated on time; R-003 above
# it, its treatment overdue; R-004 low; R-005 treated and reassessed later at the same score
"$RISKREG" -C p add risks id=R-001 title="Untreated" owner="Ana Ferreira" likelihood=4 impact=4 --on 2026-03-01 >/dev/null
"$RISKREG" -C p add risks id=R-002 title="Treated on time" owner="Ana Ferreira" likelihood=4 impact=4 --on 2026-03-01 >/dev/null
"$RISKREG" -C p add risks id=R-003 title="Treatment late" owner="Tom Whitaker" likelihood=4 impact=3 --on 2026-03-01 >/dev/null
"$RISKREG" -C p add risks id=R-004 title="Low" owner="Tom Whitaker" likelihood=1 impact=2 --on 2026-03-01 >/dev/null
"$RISKREG" -C p add risks id=R-005 title="Treated without effect" owner="Tom Whitaker" likelihood=3 impact=4 --on 2026-03-01 >/dev/null
"$RISKREG" -C p add improvements id=I-001 title="On its way" risk_id=R-002 status=in_progress due_on=2027-02-01 raised_on=2026-03-02 >/dev/null
"$RISKREG" -C p add improvements id=I-002 title="Late" risk_id=R-003 status=approved due_on=2026-10-01 raised_on=2026-03-02 >/dev/null
"$RISKREG" -C p add improvements id=I-003 title="Done" risk_id=R-005 status=done done_on=2026-04-01 raised_on=2026-03-02 >/dev/null
"$RISKREG" -C p add improvements id=I-004 title="Proposed" status=proposed raised_on=2026-10-02 >/dev/null
"$RISKREG" -C p assess R-005 3 4 --on 2026-08-15 >/dev/null
"$RISKREG" -C p add nonconformities id=NC-001 title="Major, late" severity=major raised_on=2026-06-01 due_on=2026-09-01 >/dev/null
"$RISKREG" -C p add nonconformities id=NC-002 title="Closed, never checked" severity=minor raised_on=2026-02-01 due_on=2026-05-01 closed_on=2026-05-01 >/dev/null
"$RISKREG" -C p add nonconformities id=NC-003 title="Closed and checked" severity=minor raised_on=2026-02-01 due_on=2026-05-01 \
    closed_on=2026-04-20 effective=yes checked_on=2026-07-01 checked_by="Rachel Hughes" check_method="Sampled 20 changes" \
    similar_elsewhere="No: release uses the same checklist" >/dev/null
"$RISKREG" -C p add reviews id=MR-001 held_on=2026-04-20 attendees="Board" >/dev/null
"$RISKREG" -C p add review_actions id=MA-001 review_id=MR-001 text="Late action" owner="Ana Ferreira" due_on=2026-06-30 >/dev/null
"$RISKREG" -C p add review_inputs review_id=MR-001 input=policy text="Held narrative about the policy that must stay in its record" >/dev/null
"$RISKREG" -C p review freeze >/dev/null

t "review plan adds a planned review with its period and chair; list shows it"
rr -C p review plan 2026-12-10 --chair "Claire Donnelly"
is_rc 0
out_has "MR-002 planned for 2026-12-10, reviewing 2026-Q3, chaired by Claire Donnelly"
is_eq "$(sql $P "SELECT status, planned_on, held_on IS NULL, period, chair FROM review WHERE id = 'MR-002'")" \
    "planned|2026-12-10|1|2026-Q3|Claire Donnelly" "stored"
rr -C p list reviews status=planned
out_has "MR-002  planned  2026-12-10  2026-Q3"
rr -C p review plan 2026-12-10 --period 2026-Q5
is_rc 1
err_has "period: '2026-Q5' is not a quarter such as 2026-Q4"
is_eq "$(sql $P "SELECT count(*) FROM review")" "2" "nothing written for the bad period"

t "its inputs are the pre-read: the pack shows them, never a held review's narrative"
"$RISKREG" -C p add review_inputs review_id=MR-002 input=resources text="Two analysts start in December" >/dev/null
rr -C p build
is_rc 0
file_has p/public/review/index.html "(MR-002)"
section p/public/review/index.html resources | grep -qF "Two analysts start in December" || _fail "MR-002's input is not in its section"
section p/public/review/index.html policy | grep -qF "No input recorded yet for MR-002" || _fail "policy does not say none is recorded yet"
grep -qF "Held narrative about the policy" p/public/review/index.html && _fail "a held review's narrative is in the pre-read"
grep -qF "Held narrative about the policy" p/public/review/MR-001.html || _fail "the held narrative is not in its record"

t "holding needs the attendees and the three conclusions, not a future date; nothing is written otherwise"
before=$(fingerprint p)
rr -C p review hold MR-002 attendees="Board" suitable=yes adequate=yes
is_rc 2
err_has "effective=yes|partly|no"
rr -C p review hold MR-002 suitable=yes adequate=yes effective=yes
is_rc 2
err_has "attendees"
rr -C p review hold MR-002 --on 2026-12-01 attendees="Board" suitable=yes adequate=yes effective=yes
is_rc 2
err_has "--on 2026-12-01 is in the future"
rr -C p review hold MR-002 attendees="Board" suitable=maybe adequate=yes effective=yes
is_rc 1
err_has "suitable"
rr -C p review hold R-001 attendees="Board" suitable=yes adequate=yes effective=yes
is_rc 1
err_has "R-001 is not a review"
is_eq "$(fingerprint p)" "$before" "register untouched"

t "review hold records the meeting and keeps its pack's figures with their hash in the change log"
rr -C p review hold MR-002 --on 2026-11-25 attendees="Claire Donnelly, Ana Ferreira" chair="Claire Donnelly" \
    suitable=yes adequate=partly adequate_note="One analyst short" effective=yes summary="Quiet quarter."
is_rc 0
out_has "MR-002 held on 2026-11-25"
is_eq "$(sql $P "SELECT status, held_on, adequate, adequate_note FROM review WHERE id = 'MR-002'")" \
    "held|2026-11-25|partly|One analyst short" "review"
hash=$(sql $P "SELECT hash FROM review_snapshot WHERE review_id = 'MR-002'")
is_eq "$(sql $P "SELECT figures FROM review_snapshot WHERE review_id = 'MR-002'" | tr -d '\n' | sha256sum | cut -d' ' -f1)" "$hash" "hash of the figures"
is_eq "$(sql $P "SELECT json_extract(after, '\$.hash') FROM change_log WHERE kind = 'review_snapshot' AND record_id = 'MR-002'")" "$hash" "hash in the change log"
is_eq "$(sql $P "SELECT json_extract(figures, '\$.as_of') FROM review_snapshot WHERE review_id = 'MR-002'")" "2026-11-25" "as of"
# the figures are those of the pack: R-001 asked for, with its reason
sql $P "SELECT figures FROM review_snapshot WHERE review_id = 'MR-002'" | grep -qF '"id":"R-001"' || _fail "R-001 is not in the kept decisions"
rr -C p review hold MR-002 attendees="Board" suitable=yes adequate=yes effective=yes
is_rc 1
err_has "MR-002 was held on 2026-11-25 already"
rr -C p verify
is_rc 0
out_has "every held review's figures their hash"

t "the record page shows the kept figures, conclusions and decisions; review/index.html links every held review"
"$RISKREG" -C p add review_decisions review_id=MR-002 text="Hire a third analyst" kind=resource owner="Priya Raman" due_on=2027-03-31 >/dev/null
rr -C p build
is_rc 0
for id in MR-001 MR-002; do
    [ -f p/public/review/$id.html ] || _fail "no review/$id.html"
    grep -qF "href=\"$id.html\"" p/public/review/index.html || _fail "review/index.html does not link $id"
done
f=p/public/review/MR-002.html
file_has $f "Claire Donnelly, Ana Ferreira"
file_has $f "One analyst short"
file_has $f "Hire a third analyst"
file_has $f "$hash"
section $f conclusions >/dev/null
grep -q 'class="verdict verdict-partly">Partly' $f || _fail "the adequacy verdict is not shown"
# the last review's conclusions on the pack's first page
grep -qF "One analyst short" p/public/review/index.html || _fail "the pack does not give the last review's conclusions"

t "a correction to past data after the hold leaves the record page's figures as they were and is listed"
kept() { sed -n '/<h2 id="figures">/,/<h2 id="corrections">/p' "$1"; }
kept_before=$(kept p/public/review/MR-002.html)
"$RISKREG" -C p assess R-001 1 1 --on 2026-11-20 --note "reassessed late, dated back" >/dev/null
seq=$(sql $P "SELECT seq FROM change_log WHERE row_key = 'R-001@2026-11-20'")
rr -C p build
is_rc 0
is_eq "$(kept p/public/review/MR-002.html)" "$kept_before" "kept figures on the record page"
sed -n '/<h2 id="corrections">/,$p' p/public/review/MR-002.html | grep -qF "<td class=\"num\">$seq</td>" ||
    _fail "the back-dated assessment (entry $seq) is not listed as a correction"
file_has p/public/review/MR-002.html "R-001@2026-11-20"
# a change that moves no date of the past (a new owner) is not a correction of the figures
"$RISKREG" -C p set R-004 owner="Priya Raman" >/dev/null
late=$(sql $P "SELECT max(seq) FROM change_log")
rr -C p build
sed -n '/<h2 id="corrections">/,$p' p/public/review/MR-002.html | grep -qF "<td class=\"num\">$late</td>" &&
    _fail "a new owner is listed as a correction"
"$RISKREG" -C p add risks id=R-009 title="Raised later" owner="Ana Ferreira" created_on=2026-11-25 >/dev/null
"$RISKREG" -C p assess R-001 4 4 --on 2026-11-21 >/dev/null # as it was, for the cases below

t "verify finds kept figures changed outside riskreg"
cp -r p tampered
sqlite3 tampered/register.db "DROP TRIGGER review_snapshot_no_update;
    UPDATE review_snapshot SET figures = replace(figures, 'Untreated', 'Treated') WHERE review_id = 'MR-002'"
rr -C tampered verify
is_rc 1
out_has "review MR-002: the figures kept when it was held (as of 2026-11-25) do not match their SHA-256"
sqlite3 tampered/register.db "UPDATE review_snapshot SET hash = '$(sql tampered/register.db "SELECT figures FROM review_snapshot WHERE review_id = 'MR-002'" | tr -d '\n' | sha256sum | cut -d' ' -f1)' WHERE review_id = 'MR-002'"
rr -C tampered verify
is_rc 1
out_has "review MR-002: the figures kept when it was held differ from change log entry"
rr -C p verify
is_rc 0

t "accept records who, until when and at what level and score; a new one ends the one in force"
rr -C p accept R-001 --by "Claire Donnelly" --until 2027-06-30 --note "Cover bought; accepted by the board"
is_rc 0
out_has "AC-001: R-001 accepted by Claire Donnelly on 2026-11-25 until 2027-06-30, at its residual 4×4 → 16"
is_eq "$(sql $P "SELECT risk_id, status, approver, accepted_on, expires_on, level, score, justification FROM acceptance WHERE id = 'AC-001'")" \
    "R-001|accepted|Claire Donnelly|2026-11-25|2027-06-30|High|16.0|Cover bought; accepted by the board" "AC-001"
rr -C p accept R-001 --by "Claire Donnelly" --until 2026-12-20 --note "Shorter, to be looked at in December"
is_rc 0
is_eq "$(sql $P "SELECT status FROM acceptance WHERE id = 'AC-001'")" "revoked" "AC-001 replaced"
is_eq "$(sql $P "SELECT count(*) FROM change_log WHERE record_id IN ('AC-001', 'AC-002')")" "3" "change-log entries"
rr -C p log AC-001
out_has "replaced by AC-002"

t "accept refuses what cannot be accepted, and writes nothing"
before=$(fingerprint p)
rr -C p accept R-001 --by "Claire Donnelly" --until 2026-11-01
is_rc 2
err_has "--until 2026-11-01 is not after the day it is accepted (2026-11-25)"
rr -C p accept R-001 --until 2027-01-01
is_rc 2
err_has "accept needs --by NAME"
rr -C p accept R-001 --by X
is_rc 2
err_has "accept needs --until DATE"
rr -C p accept I-001 --by X --until 2027-01-01
is_rc 1
err_has "I-001 is not a risk"
rr -C p accept R-404 --by X --until 2027-01-01
is_rc 1
err_has "R-404 is not a risk in this register"
rr -C p accept R-009 --by X --until 2027-01-01
is_rc 1
err_has "R-009 has no assessment"
is_eq "$(fingerprint p)" "$before" "register untouched"

t "due and check list the acceptance expiring within 30 days"
rr -C p due
is_rc 0
out_has "AC-002  acceptance"
out_has "acceptance of R-001 (by Claire Donnelly) expires"
rr -C p check
is_rc 1
out_has "acceptance of R-001 expires in 25 days (2026-12-20)"
rr -C p list acceptances
out_has "AC-002  R-001  accepted  Claire Donnelly  High   2026-11-25  2026-12-20"

t "an acceptance holds to the end of its expiry day: on that day it is expiring, not expired"
new_register x
"$RISKREG" -C x add risks id=R-001 title="A threat" owner=x likelihood=4 impact=4 --on 2026-03-01 >/dev/null
"$RISKREG" -C x accept R-001 --by Board --on 2026-11-01 --until 2026-11-25 >/dev/null
rr -C x check
is_rc 1
out_has "acceptance of R-001 expires today (2026-11-25)"
out_lacks "expired"
rr -C x build
asked x/public R-001 | grep -qF "its acceptance AC-001 expires on 2026-11-25 (today)" || _fail "the dashboard's reason"
asked x/public R-001 | grep -qF "above the appetite" && _fail "R-001 is still accepted today"
"$RISKREG" -C x accept R-001 --by Board --until 2027-01-31 >/dev/null
is_eq "$(sql x/register.db "SELECT status FROM acceptance WHERE id = 'AC-001'")" "revoked" "replaced on its last day: revoked, not expired"

t "decisions sought: each record once, with its reasons; a risk treated on time or validly accepted is not asked"
rr -C p build
is_rc 0
S=p/public/data/summary.json
asked p/public R-001 | grep -qF "its acceptance AC-002 expires on 2026-12-20 (in 25 days)" || _fail "R-001: the expiring acceptance"
asked p/public R-001 | grep -qF "above the appetite" && _fail "R-001 is validly accepted: not asked for the appetite"
is_eq "$(asked p/public R-002)" "" "R-002 (treated on time)"
asked p/public R-003 | grep -qF "its treatment I-002 (Late) is 55 days overdue" || _fail "R-003: treatment overdue"
is_eq "$(asked p/public R-004)" "" "R-004 (below the appetite)"
asked p/public R-005 | grep -qF "its treatment was done on 2026-04-01 but did not work: residual 12 on 2026-03-01, 12 on 2026-08-15" ||
    _fail "R-005: treatment not effective"
asked p/public I-004 | grep -qF "proposed on 2026-10-02, awaiting approval" || _fail "I-004 awaiting approval"
asked p/public NC-001 | grep -qF "major nonconformity open 85 days past its due date" || _fail "NC-001 major past due"
asked p/public MA-001 | grep -qF "action of MR-001, 148 days overdue" || _fail "MA-001 overdue"
is_eq "$(asked p/public R-001 | wc -l)" "1" "R-001 once in the dashboard"
is_eq "$(json $S '$.decisions.total')" "6" "decisions.total"
is_eq "$(json $S '$.decisions.acceptance_expiring')" "1" "decisions.acceptance_expiring"
is_eq "$(json $S '$.decisions.treatment_not_effective')" "1" "decisions.treatment_not_effective"
is_eq "$(json $S '$.acceptances.valid')" "1" "acceptances.valid"
is_eq "$(json $S '$.acceptances.expiring')" "1" "acceptances.expiring"
# the pack's first page lists the same, by reason, and in full after it
groups=$(sed -n '/id="decisions-sought"/,/id="headlines"/p' p/public/review/index.html)
for id in R-001 R-003 R-005 I-004 NC-001 MA-001; do
    printf '%s\n' "$groups" | grep -qF ">$id</a>" || _fail "$id is not among the decisions on the pack's first page"
done
printf '%s\n' "$groups" | grep -qF "<strong>Treatment overdue (1):</strong>" || _fail "the treatment overdue group"
is_eq "$(sed -n '/id="decisions-detail"/,/<\/section>/p' p/public/review/index.html | grep -c '<tr><td class="nowrap">')" "6" "decisions in full in the pack"

t "after its expiry the acceptance brings the risk back; a score above the accepted one does too"
RISKREG_TODAY=2026-12-31 rr -C p build --as-of 2026-12-31 --out p/later
is_rc 0
asked p/later R-001 | grep -qF "its acceptance AC-002 expired on 2026-12-20" || _fail "R-001: expired"
asked p/later R-001 | grep -qF "above the appetite" || _fail "R-001 is no longer accepted"
is_eq "$(json p/later/data/summary.json '$.overdue.acceptances')" "1" "overdue acceptances"
cp -r p rose && rm -rf rose/public rose/later
"$RISKREG" -C rose assess R-001 5 4 --on 2026-11-25 >/dev/null
rr -C rose build
asked rose/public R-001 | grep -qF "its residual score rose from 16 to 20 since it was accepted on 2026-11-25 (AC-002)" || _fail "R-001: score rose"

t "the effectiveness of treatment: effective, not effective, or too early, with the assessments before and after"
file_has p/public/risks/R-005.html '<span class="status bad">not effective</span>'
file_has p/public/risks/R-005.html "2026-08-15"
section p/public/review/index.html risks | grep -qF 'not effective' || _fail "section k) does not judge R-005"
cp -r p eff && rm -rf eff/public eff/later
"$RISKREG" -C eff assess R-005 2 3 --on 2026-09-01 >/dev/null
rr -C eff build
file_has eff/public/risks/R-005.html '<span class="status good">effective</span>'
cp -r p early && rm -rf early/public early/later
"$RISKREG" -C early add improvements id=I-009 title="Just done" risk_id=R-004 status=done done_on=2026-11-01 raised_on=2026-10-01 >/dev/null
rr -C early build
file_has early/public/risks/R-004.html "too early to tell"

t "a nonconformity's effectiveness check is shown with when, by whom and how; one closed unchecked too long is flagged"
section p/public/review/index.html nonconformity_trends | grep -qF "Sampled 20 changes" || _fail "the check of NC-003"
section p/public/review/index.html nonconformity_trends | grep -qF "Rachel Hughes" || _fail "who checked NC-003"
section p/public/review/index.html nonconformity_trends | grep -qF "1 closed without an effectiveness check" || _fail "NC-002 flagged"
is_eq "$(json $S '$.nonconformities.unchecked')" "1" "nonconformities.unchecked"
cp -r p nc && rm -rf nc/public nc/later
printf 'return { nonconformity = { check_within_days = 365 } }\n' >nc/riskreg.lua
rr -C nc build
is_eq "$(json nc/public/data/summary.json '$.nonconformities.unchecked')" "0" "unchecked with a year allowed"
printf 'return { nonconformity = { check_within_dayz = 365 } }\n' >nc/riskreg.lua
rr -C nc build
is_rc 1
err_has "unknown setting 'nonconformity.check_within_dayz'; did you mean 'nonconformity.check_within_days'?"

t "every overdue thing is counted on the dashboard, with the breakdown and links"
RISKREG_TODAY=2026-12-31 rr -C p build --as-of 2026-12-31 --out p/later
S=p/later/data/summary.json
total=$(($(json $S '$.overdue.risk_reviews') + $(json $S '$.overdue.improvements') + $(json $S '$.overdue.corrective_actions') + $(json $S '$.overdue.review_actions') + $(json $S '$.overdue.acceptances')))
is_eq "$(json $S '$.overdue.total')" "$total" "overdue.total is the sum"
is_eq "$(json $S '$.overdue.improvements')" "1" "improvements"
is_eq "$(json $S '$.overdue.corrective_actions')" "1" "corrective actions"
is_eq "$(json $S '$.overdue.review_actions')" "1" "review actions"
grep -q "<span class=\"label\">Overdue</span><span class=\"value\"><a href=\"index.html#overdue\">$total</a>" p/later/index.html || _fail "the Overdue tile"
for href in risks/index.html#overdue improvements/index.html#overdue nonconformities/index.html#open review/index.html#previous_actions risks/index.html#accepted; do
    file_has p/later/index.html "<a href=\"$href\">"
done
file_has p/later/improvements/index.html '<h2 id="overdue">'

t "a past period shows every field as it was: owner, due date, status and title changed since are undone from the change log"
new_register h
"$RISKREG" -C h add risks id=R-001 title="Old title" owner="Old Owner" likelihood=3 impact=4 --on 2026-03-01 >/dev/null
"$RISKREG" -C h add improvements id=I-001 title="Patch the edge" owner="Old Owner" risk_id=R-001 status=in_progress \
    raised_on=2026-03-02 due_on=2026-09-15 >/dev/null
RISKREG_TODAY=2026-11-25 rr -C h build --period 2026-Q3 --out h/before
is_rc 0
# the quarter ended on 2026-09-30; today the owner, title, due date and status change
"$RISKREG" -C h set R-001 owner="New Owner" title="New title" >/dev/null
"$RISKREG" -C h set I-001 owner="New Owner" due_on=2026-12-31 status=rejected >/dev/null
rr -C h build --period 2026-Q3 --out h/q3
is_rc 0
file_has h/q3/risks/R-001.html "Old title"
file_has h/q3/risks/R-001.html "Old Owner"
grep -qF "New Owner" h/q3/risks/R-001.html && _fail "the Q3 risk page shows today's owner"
grep -qF "New title" h/q3/risks/R-001.html && _fail "the Q3 risk page shows today's title"
file_has h/q3/improvements/index.html "2026-09-15"
grep -qF "2026-12-31" h/q3/improvements/index.html && _fail "the Q3 improvements show today's due date"
file_has h/q3/owners/old-owner.html "<h1>Old Owner</h1>"
[ -f h/q3/owners/new-owner.html ] && _fail "the Q3 site has a page for today's owner"
is_eq "$(json h/q3/data/summary.json '$.improvements.overdue')" "$(json h/before/data/summary.json '$.improvements.overdue')" "Q3 overdue improvements"
is_eq "$(json h/q3/data/summary.json '$.improvements.open')" "1" "I-001 was open in Q3"
# the export of that date says the same; today's site and export are as the register is
rr -C h export --kind improvements --as-of 2026-09-30
out_has "I-001,Patch the edge"
out_has "Old Owner"
out_lacks "New Owner"
rr -C h build
file_has h/public/risks/R-001.html "New title"
file_has h/public/risks/R-001.html "New Owner"

t "opportunities on their own terms: benefit labels, their own treatments, apart from threats, never asked for the appetite"
new_register o
cat >o/riskreg.lua <<'EOF'
return { matrix = { size = 5, benefit = { "Tiny", "Small", "Fair", "Big", "Huge" } } }
EOF
"$RISKREG" -C o add risks id=R-001 title="A threat" owner=x likelihood=4 impact=4 --on 2026-03-01 >/dev/null
rr -C o add risks id=R-002 kind=opportunity title="A chance" owner=x treatment=avoid likelihood=4 impact=5 --on 2026-03-01
is_rc 1
err_has "treatment: an opportunity is treated by exploit, enhance, share or accept, not avoid (a threat's word)"
# a spreadsheet's word of the other kind is said in the record's own: mitigated is enhanced
rr -C o add risks id=R-003 kind=opportunity title="Another chance" owner=x treatment=Mitigation likelihood=2 impact=2 --on 2026-03-01
is_rc 0
is_eq "$(sql o/register.db "SELECT treatment FROM risk WHERE id = 'R-003'")" "enhance" "an opportunity mitigated"
rr -C o add risks id=R-002 kind=opportunity title="A chance" owner=x treatment=Exploitation likelihood=4 impact=5 --on 2026-03-01
is_rc 0
is_eq "$(sql o/register.db "SELECT treatment FROM risk WHERE id = 'R-002'")" "exploit" "the word read"
rr -C o set R-001 treatment=share
is_rc 1
err_has "a threat is treated by mitigate, accept, transfer or avoid, not share"
rr -C o build
is_rc 0
asked o/public R-002 | grep -q . && _fail "an opportunity is asked for the appetite"
asked o/public R-001 | grep -qF "above the appetite" || _fail "the threat is asked"
# the threats' heat map counts the threat only; the opportunities have their own, on benefit
sed -n '/id="chart-residual"/,/<\/figure>/p' o/public/index.html | grep -qF "1 risk assessed" || _fail "the threat heat map"
sed -n '/id="chart-opportunities"/,/<\/figure>/p' o/public/index.html >opp.html
grep -qF 'Benefit \ Likelihood' opp.html || _fail "the opportunities' matrix is not on benefit"
grep -qF "5 Huge" opp.html || _fail "the benefit labels of riskreg.lua"
grep -qF "2 opportunities assessed" opp.html || _fail "the opportunity heat map"
file_has o/public/risks/R-002.html 'Huge benefit · <span class="score">20</span>'
sed -n '/<p class="lead">/,/<\/p>/p' o/public/risks/R-002.html | grep -q 'class="level level-' && _fail "the opportunity is shown in a threat level colour"
section o/public/review/index.html risks | grep -qF "exploit" || _fail "the pack's opportunities table"

t "acceptances and decisions import from CSV; a bad row is named and nothing is written"
new_register q
"$RISKREG" -C q add risks id=R-001 title="A risk" owner=x likelihood=3 impact=4 --on 2026-01-05 >/dev/null
"$RISKREG" -C q add reviews id=MR-001 held_on=2026-04-20 >/dev/null
mkdir -p q/in
printf 'id,risk_id,status,approver,accepted_on,expires_on,level,score,justification\nAC-001,R-001,accepted,Claire,2026-04-20,2027-04-19,High,12,Board decision\n' >q/in/acceptances.csv
printf 'id,review_id,text,kind,owner,due_on,acceptance_id\nMD-001,MR-001,Accept R-001 for a year,acceptance,Claire,,AC-001\n' >q/in/review_decisions.csv
rr -C q import q/in
is_rc 0
out_has "imported 2 files"
is_eq "$(sql q/register.db "SELECT acceptance_id FROM review_decision WHERE id = 'MD-001'")" "AC-001" "decision linked"
before=$(fingerprint q)
printf 'id,risk_id,status,approver,accepted_on,expires_on\nAC-002,R-001,accepted,Claire,2026-04-20,2026-04-01\nAC-003,R-001,accepted,,2026-04-20,2027-01-01\n' >q/bad.csv
rr -C q import q/bad.csv --kind acceptances
is_rc 1
err_has "bad.csv:2: column 'expires_on'"
err_has "bad.csv:3: column 'approver'"
is_eq "$(fingerprint q)" "$before" "register untouched"

done_testing
