#!/usr/bin/env bash
# The command line end to end: every command's success path, its errors and its exit codes.
source "$(dirname "$0")/lib.sh"

t "--version and help"
rr --version
is_rc 0
out_has "riskreg 0."
rr help
is_rc 0
out_has "import   import CSV files"
rr help assess
is_rc 0
out_has "usage: riskreg assess ID L I [RL RI]"
rr assess --help
is_rc 0
out_has "usage: riskreg assess ID L I [RL RI]"

t "help fields and words come from the model"
rr help fields risks
is_rc 0
out_has "created_on"
out_has "also read from: Date Raised"
rr help words
out_has "In progress"
out_has "treating"

t "register/README.md documents every accepted word and every field"
README="$HERE/../register/README.md"
"$RISKREG" help words | tail -n +2 | while read -r kind field rest; do
    value=${rest##* }
    word=$(printf '%s' "${rest% *}" | sed 's/ *$//')
    grep -qF "| $kind | $field | $word | $value |" "$README" || echo "$kind $field $word"
done >missing-words
is_eq "$(cat missing-words)" "" "words missing from register/README.md"
"$RISKREG" help fields | awk '/^  [a-z_]+ /{ print $1 }' | grep -v '^and$' | sort -u | while read -r f; do
    grep -qF "| \`$f\` |" "$README" || echo "$f"
done >missing-fields
is_eq "$(cat missing-fields)" "" "fields missing from register/README.md"

t "no command prints help and exits 2"
rr
is_rc 2
out_has "usage: riskreg"

t "more arguments than a command takes are a usage error, for every command of few arguments"
many=$(printf 'x%d ' $(seq 1 20))
for cmd in init log verify upgrade due show export accept "review plan" "review freeze"; do
    rr $cmd $many
    is_rc 2
    err_has "too many arguments"
done

t "a misspelled command gets a suggestion and exit 2"
rr lsit risks
is_rc 2
err_has "unknown command 'lsit'; did you mean 'list'?"

t "a misspelled option gets a suggestion"
new_register reg
rr -C reg list risks --overdeu
is_rc 2
err_has "unknown option '--overdeu' for list; did you mean '--overdue'?"

t "init creates a project"
rr init acme
is_rc 0
out_has "Created the register acme"
[ -f acme/riskreg.lua ] || _fail "no riskreg.lua"
if ! on_server acme; then
    [ -f acme/register.db ] || _fail "no register.db"
    is_eq "$(sql acme/register.db 'PRAGMA journal_mode')" "wal" "journal mode"
fi
is_eq "$(sql acme/register.db 'PRAGMA user_version')" "$LATEST" "schema version (the last migration's)"

t "init refuses an existing project"
before=$(fingerprint acme)
rr init acme
is_rc 1
err_has "already a register"
is_eq "$(fingerprint acme)" "$before" "register"

t "commands outside a project say how to make one"
mkdir -p elsewhere
(cd elsewhere && "$RISKREG" list risks >/dev/null 2>"$TMP/e")
rc=$?
is_rc 1
file_has "$TMP/e" "no riskreg.lua in this folder or above it"

t "the project is found from a subfolder and through RISKREG_DIR"
mkdir -p acme/sub/deeper
(cd acme/sub/deeper && "$RISKREG" add risks title="Found by walking up" >/dev/null)
is_eq "$(sql acme/register.db "SELECT title FROM risk WHERE id = 'R-001'")" "Found by walking up"
RISKREG_DIR=acme "$RISKREG" add risks title="Found by env" >/dev/null
is_eq "$(sql acme/register.db "SELECT title FROM risk WHERE id = 'R-002'")" "Found by env"

new_register r
t "add a risk with its first assessment"
rr -C r add risks title="Backup failure" owner="Ana Ferreira" category=Continuity likelihood=3 impact=4
is_rc 0
out_has "R-001 added: Backup failure (residual 3×4 → 12 High, inherent 3×4 → 12 High)"
is_eq "$(sql r/register.db "SELECT status, created_on, next_review_on FROM risk WHERE id='R-001'")" "open|2026-11-25|2027-02-23"
is_eq "$(sql r/register.db "SELECT assessed_on, likelihood, impact, assessor FROM assessment")" "2026-11-25|3|4|tester"

t "add takes words for ratings and enumerations"
rr -C r add risks title="Ransomware" owner=Tom likelihood=Likely impact="very high" residual_likelihood=low residual_impact=major treatment=Reduce
is_rc 0
is_eq "$(sql r/register.db "SELECT likelihood, impact, residual_likelihood, residual_impact FROM assessment WHERE risk_id='R-002'")" "4|5|1|4"
is_eq "$(sql r/register.db "SELECT treatment FROM risk WHERE id='R-002'")" "mitigate"

t "add with --on dates the risk and its assessment"
rr -C r add risks title="Old risk" likelihood=2 impact=2 --on 2026-01-15
is_rc 0
is_eq "$(sql r/register.db "SELECT created_on FROM risk WHERE id='R-003'")" "2026-01-15"
is_eq "$(sql r/register.db "SELECT assessed_on FROM assessment WHERE risk_id='R-003'")" "2026-01-15"

t "add with an explicit ID, and IDs are unique without regard to case"
rr -C r add improvements id=IMP-7 title="Automate restore tests" risk_id=r-001 source=risk
is_rc 0
is_eq "$(sql r/register.db "SELECT risk_id FROM improvement WHERE id='IMP-7'")" "R-001"
before=$(fingerprint r)
rr -C r add audits id=imp-7 title="Dup" held_on=2026-01-01
is_rc 1
err_has "IMP-7 already exists (an improvement)"
is_eq "$(fingerprint r)" "$before" "register"

t "add numbers above the highest ID with that prefix"
rr -C r add risks id=R-040 title="Numbered by hand"
rr -C r add risks title="Next one"
out_has "R-041 added"

t "add rejects an unknown field with a suggestion, exit 2, nothing written"
before=$(fingerprint r)
rr -C r add risks title=x ownr=ana
is_rc 2
err_has "risks have no field 'ownr'; did you mean 'owner'?"
is_eq "$(fingerprint r)" "$before" "register"

t "add rejects bad values with the field named, exit 1, nothing written"
before=$(fingerprint r)
rr -C r add risks title=x created_on=2026-02-30
is_rc 1
err_has "created_on: '2026-02-30' is not a calendar date"
rr -C r add risks title=x created_on=31/12/2026
is_rc 1
err_has "write 2026-12-31"
rr -C r add risks title=x likelihood=7 impact=2
is_rc 1
err_has "likelihood: 7 is outside the 5x5 matrix"
rr -C r add risks title=x likelihood=3
is_rc 1
err_has "likelihood and impact come as a pair"
rr -C r add risks title=x status=parked
is_rc 1
err_has "'parked' is not a risk status; use one of: open, treating, accepted, closed"
rr -C r add risks owner=ana
is_rc 1
err_has "a risk needs a title"
rr -C r add improvements title=x risk_id=R-999
is_rc 1
err_has "risk_id: there is no risk R-999"
rr -C r add improvements title=x risk_id=IMP-7
is_rc 1
err_has "IMP-7 is an improvement, not a risk"
rr -C r add risks title="x" "id=bad id"
is_rc 1
err_has "is not a valid ID"
is_eq "$(fingerprint r)" "$before" "register"

t "add of an unknown kind suggests one"
rr -C r add risk title=ok
is_rc 0
rr -C r add riks title=x
is_rc 2
err_has "no kind 'riks'; did you mean 'risks'?"

t "set changes fields and says what changed"
rr -C r set R-001 owner="Tom Whitaker" status="In progress" --note "handover"
is_rc 0
out_has "R-001 updated: owner Ana Ferreira → Tom Whitaker; status open → treating"
is_eq "$(sql r/register.db "SELECT owner, status FROM risk WHERE id='R-001'")" "Tom Whitaker|treating"
is_eq "$(sql r/register.db "SELECT note FROM change_log ORDER BY seq DESC LIMIT 1")" "handover"

t "set with the same values writes nothing"
before=$(sql r/register.db "SELECT count(*) FROM change_log")
rr -C r set r-001 owner="Tom Whitaker"
is_rc 0
out_has "R-001 unchanged"
is_eq "$(sql r/register.db "SELECT count(*) FROM change_log")" "$before" "log entries"

t "set clears a field with an empty value"
rr -C r set R-001 category=
is_rc 0
is_eq "$(sql r/register.db "SELECT category IS NULL FROM risk WHERE id='R-001'")" "1"

t "set refuses unknown fields, IDs, unknown records, bad combinations"
before=$(fingerprint r)
rr -C r set R-001 titel=x
is_rc 2
err_has "did you mean 'title'?"
rr -C r set R-001 id=R-100
is_rc 1
err_has "cannot be changed"
rr -C r set R-777 title=x
is_rc 1
err_has "there is no record R-777"
rr -C r set R-001 closed_on=2026-11-01
is_rc 1
err_has "closed_on is set but the status is 'treating'"
rr -C r set R-001 created_on=2026-12-01
is_rc 1
err_has "has an assessment on 2026-11-25, before 2026-12-01"
is_eq "$(fingerprint r)" "$before" "register"

t "assess records a reassessment and moves the next review"
rr -C r assess R-001 4 4 2 3 --on 2026-12-01 --note "restore tests weekly"
is_rc 0
out_has "R-001 assessed on 2026-12-01: residual 2×3 → 6 Medium (was 3×4 → 12 High), inherent 4×4 → 16 High"
is_eq "$(sql r/register.db "SELECT likelihood, impact, residual_likelihood, residual_impact, note FROM assessment WHERE risk_id='R-001' AND assessed_on='2026-12-01'")" "4|4|2|3|restore tests weekly"
is_eq "$(sql r/register.db "SELECT next_review_on FROM risk WHERE id='R-001'")" "2027-03-01"

t "assess on the same day replaces that day's assessment"
rr -C r assess R-001 3 4 --on 2026-12-01
is_rc 0
out_has "R-001 reassessed on 2026-12-01: residual 3×4 → 12 High (was 2×3 → 6 Medium), inherent 3×4 → 12 High (replacing that day's earlier assessment)"
is_eq "$(sql r/register.db "SELECT count(*) FROM assessment WHERE risk_id='R-001'")" "2"

t "an older assessment does not move the next review"
rr -C r assess R-001 5 5 --on 2026-11-30
is_rc 0
is_eq "$(sql r/register.db "SELECT next_review_on FROM risk WHERE id='R-001'")" "2027-03-01"

t "review_every_days sets the cadence"
rr -C r set R-002 review_every_days=30
rr -C r assess R-002 3 3 --on 2026-12-02
is_eq "$(sql r/register.db "SELECT next_review_on FROM risk WHERE id='R-002'")" "2027-01-01"

t "assess errors: not a risk, bad rating, wrong count, before creation"
before=$(fingerprint r)
rr -C r assess IMP-7 3 3
is_rc 1
err_has "IMP-7 is not a risk"
rr -C r assess R-001 3 9
is_rc 1
err_has "impact: 9 is outside the 5x5 matrix"
rr -C r assess R-001 3
is_rc 2
err_has "assess needs ID L I"
rr -C r assess R-001 3 3 2
is_rc 2
rr -C r assess R-003 3 3 --on 2025-12-31
is_rc 1
err_has "assessed on 2025-12-31, before it was created (2026-01-15)"
rr -C r assess R-001 3 3 --on 2026-13-01
is_rc 2
err_has "--on: '2026-13-01' is not a calendar date"
is_eq "$(fingerprint r)" "$before" "register"

t "close a risk, then closing it again is an error"
rr -C r close R-003 --note "service retired"
is_rc 0
out_has "R-003 closed on 2026-11-25"
is_eq "$(sql r/register.db "SELECT status, closed_on, next_review_on IS NULL FROM risk WHERE id='R-003'")" "closed|2026-11-25|1"
before=$(fingerprint r)
rr -C r close R-003
is_rc 1
err_has "R-003 is already closed on 2026-11-25; nothing changed"
rr -C r assess R-003 2 2
is_rc 1
err_has "R-003 is closed (on 2026-11-25)"
is_eq "$(fingerprint r)" "$before" "register"

t "close an improvement, a nonconformity and a review action"
rr -C r close IMP-7
is_rc 0
out_has "IMP-7 done on 2026-11-25"
is_eq "$(sql r/register.db "SELECT status, done_on FROM improvement WHERE id='IMP-7'")" "done|2026-11-25"
rr -C r add nonconformities title="Late service report" severity=minor raised_on=2026-11-01
rr -C r close NC-001
is_eq "$(sql r/register.db "SELECT closed_on FROM nonconformity WHERE id='NC-001'")" "2026-11-25"
rr -C r add reviews held_on=2026-10-20
out_has "MR-001 added: Management review 2026-10-20"
rr -C r add review_actions review_id=MR-001 text="Recruit a second network engineer" owner=Ana due_on=2026-12-31
out_has "MA-001 added"
rr -C r close MA-001
is_eq "$(sql r/register.db "SELECT status, closed_on FROM review_action WHERE id='MA-001'")" "done|2026-11-25"

t "close refuses kinds that do not close"
rr -C r add audits title="Internal audit of change management" held_on=2026-05-04
rr -C r close A-001
is_rc 1
err_has "A-001 is an audit, which is not closed"

t "close before the last assessment is refused"
rr -C r close R-001 --on 2026-11-26
is_rc 1
err_has "has an assessment on 2026-12-01, after 2026-11-26"

t "show prints a record with its history"
rr -C r show R-001
is_rc 0
out_has "R-001  (risk)"
out_has "owner              Tom Whitaker"
out_has "Assessments (3)"
out_has "2026-12-01  inherent 3×4 → 12 High"
out_has "residual           3×4 → 12 High  (above appetite)"
out_has "Improvements (1)"
out_has "IMP-7"

t "show --json has the record and its related rows"
rr -C r show R-001 --json
is_rc 0
out_has '"id": "R-001"'
out_has '"assessments": ['
out_has '"likelihood": 3'

t "show a row by its change-log key"
rr -C r show R-001@2026-12-01
is_rc 0
out_has "likelihood         3"

t "show of a missing record"
rr -C r show R-404
is_rc 1
err_has "there is no record R-404"

t "list with filters"
rr -C r list risks status=treating
is_rc 0
out_has "R-001"
out_lacks "R-002 "
rr -C r list risks owner="tom whitaker"
out_has "R-001"
rr -C r list risks status="In progress"
out_has "R-001"

t "list --json"
rr -C r list improvements --json
is_rc 0
out_has '"id": "IMP-7"'
out_has '"overdue": false'

t "list errors"
rr -C r list risks colour=red
is_rc 2
err_has "risks have no field 'colour'"
rr -C r list widgets
is_rc 2
err_has "no kind 'widgets'"
rr -C r list audits --overdue
is_rc 2

t "overdue items are marked and filtered"
rr -C r add improvements title="Patch the firewall" owner=Ana due_on=2026-11-01 raised_on=2026-10-01
rr -C r list improvements --overdue
is_rc 0
out_has "2026-11-01 OVERDUE 24d"
out_lacks "IMP-7"

t "due lists what is due, earliest first, per owner, as text and JSON"
rr -C r due --within 40
is_rc 0
out_has "Due within 40 days of 2026-11-25"
out_has "OVERDUE 24 days"
out_has "I-001"
rr -C r due --owner ana --within 40
out_has "I-001"
out_lacks "R-001"
rr -C r due --owner nobody
out_has "Nothing due within 30 days"
rr -C r due --json --within 400
out_has '"overdue": true'
out_has '"what": "risk review"'
rr -C r due --within soon
is_rc 2

t "check passes a tidy register and names each hygiene problem with exit 1"
new_register h
rr -C h add risks title="Owned and assessed" owner=Ana likelihood=2 impact=2
rr -C h check
is_rc 0
out_has "ok: no open risk without an owner"
rr -C h check --json
is_eq "$out" "[]" "check --json on a tidy register"
rr -C h add risks title="Nobody's risk"
rr -C h add risks title="Stale risk" owner=Ana created_on=2026-01-05
rr -C h assess R-003 3 3 --on 2026-01-05
rr -C h add improvements title="Late patch" owner=Bo due_on=2026-11-20 raised_on=2026-10-01
rr -C h add nonconformities title="Missed change approval" raised_on=2026-11-01 source=audit
rr -C h check
is_rc 1
out_has "R-002 "
out_has "no owner"
out_has "never assessed"
out_has "review overdue"
out_has "Stale risk"
out_has "past its due date by 5 days"
out_has "no root cause recorded"
out_has "5 problems found"
out_lacks "Owned and assessed"
rr -C h check --json
is_rc 1
out_has '"problem": "review overdue"'
out_has '"problem": "no root cause"'
rr -C h close R-002
rr -C h check
out_lacks "R-002"
rr -C h check R-001
is_rc 2

t "due, check, show and list name a risk's treatment plan by its target_on, while it is open or treating"
new_register tp
rr -C tp add risks title="HX-2 capacity" owner=Ana status=treating action_plan="Add **four** hosts" \
    target_on=2026-10-31 likelihood=3 impact=4
rr -C tp add risks title="Restores fail" owner=Bo action_plan="Test every restore" target_on=2026-12-18 \
    likelihood=2 impact=4
rr -C tp add risks title="Power at the data centre" owner=Ana status=accepted action_plan="Ask for the UPS report" \
    target_on=2026-09-01 likelihood=2 impact=2
rr -C tp add risks title="Patching" owner=Bo action_plan="Arc on every server" target_on=2027-03-01 \
    likelihood=2 impact=3
is_eq "$(sql tp/register.db "SELECT count(*) FROM risk WHERE action_plan IS NOT NULL AND target_on IS NOT NULL")" "4" "plans stored"
rr help fields risks
out_has "action_plan          the treatment still planned (Markdown)"
out_has "target_on            when the planned treatment is due"
rr -C tp due
is_rc 0
out_has "OVERDUE 25 days    2026-10-31  R-001   treatment plan HX-2 capacity  (Ana)"
out_has "in 23 days         2026-12-18  R-002   treatment plan Restores fail  (Bo)"
out_lacks "R-003"
out_lacks "2027-03-01"
rr -C tp due --within 120 --owner bo
out_has "2027-03-01  R-004   treatment plan Patching"
out_lacks "R-001"
rr -C tp due --json
is_eq "$(printf '%s' "$out" | python3 -c 'import json, sys
print(" ".join("%s:%s:%s:%s" % (d["id"], d["what"], d["due_on"], d["overdue"]) for d in json.load(sys.stdin)))')" \
    "R-001:treatment plan:2026-10-31:True R-002:treatment plan:2026-12-18:False" "due --json"
rr -C tp check
is_rc 1
out_has "R-001   treatment plan overdue 25 days HX-2 capacity  (risk)"
out_has "1 problem found"
rr -C tp check --json
out_has '"problem": "treatment plan overdue"'
rr -C tp show R-001
out_has "target_on          2026-10-31  (OVERDUE by 25 days)"
rr -C tp show R-001 --json
out_has '"plan_due_on": "2026-10-31"'
out_has '"plan_overdue": true'
rr -C tp show R-003 --json
out_has '"plan_due_on": null'
rr -C tp list risks --overdue
is_eq "$(printf '%s\n' "$out" | awk 'NR > 1 { print $1 }')" "R-001" "list --overdue: the risk past its plan's date"
rr -C tp set R-001 target_on=2027-01-31
is_rc 0
rr -C tp check
is_rc 0
rr -C tp set R-002 status=accepted
rr -C tp due
out_has "Nothing due within 30 days"

t "log prints changes, for one record too, with notes"
rr -C r log R-001
is_rc 0
out_has "added risk R-001: Backup failure"
out_has "changed risk R-001: owner Ana Ferreira → Tom Whitaker, status open → treating — handover"
out_has "added assessment R-001@2026-12-01"
out_lacks "R-002"
rr -C r log --since 2026-01-01 --json
out_has '"operation": "insert"'
rr -C r log --since yesterday
is_rc 2

t "--actor names who made a change"
rr -C r --actor auditor-bot set R-002 owner="Sam"
rr -C r log R-002
out_has "auditor-bot"
RISKREG_ACTOR=env-actor "$RISKREG" -C r set R-002 owner="Sam B" >/dev/null
is_eq "$(sql r/register.db "SELECT actor FROM change_log ORDER BY seq DESC LIMIT 1")" "env-actor"

t "verify passes on a register riskreg wrote"
rr -C r verify
is_rc 0
out_has "ok: SQLite integrity and foreign keys hold"

t "--quiet write commands print nothing"
rr -C r --quiet add risks title="Quiet one"
is_rc 0
is_eq "$out" "" "stdout"

done_testing
