#!/usr/bin/env bash
# The change log: every write recorded and chained; verify names what was tampered with.
source "$(dirname "$0")/lib.sh"

# a small register with some history, copied fresh for each tampering case
new_register base
"$RISKREG" -C base add risks title="Backup failure" owner=Ana likelihood=3 impact=4 >/dev/null
"$RISKREG" -C base add risks title="Ransomware" owner=Tom likelihood=4 impact=5 >/dev/null
"$RISKREG" -C base set R-001 status=treating --note "plan agreed" >/dev/null
"$RISKREG" -C base assess R-001 2 4 --on 2026-11-30 >/dev/null
"$RISKREG" -C base add improvements title="Immutable backups" risk_id=R-001 >/dev/null
"$RISKREG" -C base close R-002 --on 2026-11-30 >/dev/null
entries=$(sql base/register.db "SELECT count(*) FROM change_log")

fresh() {
    rm -rf "$1"
    cp -r base "$1"
}

# tamper DIR SQL: change the register behind riskreg's back, as someone with the sqlite3 shell
tamper() {
    sqlite3 "$1/register.db" "DROP TRIGGER IF EXISTS change_log_no_update; DROP TRIGGER IF EXISTS change_log_no_delete; $2"
}

t "every write is one entry with actor, time, operation, before and after"
is_eq "$entries" "10" "entries"
is_eq "$(sql base/register.db "SELECT actor, kind, record_id, operation FROM change_log WHERE seq = 6")" "tester|risk|R-001|update"
is_eq "$(sql base/register.db "SELECT json_extract(before, '$.status') || '>' || json_extract(after, '$.status') FROM change_log WHERE seq = 6")" "open>treating"
is_eq "$(sql base/register.db "SELECT note FROM change_log WHERE seq = 6")" "plan agreed"

t "the matrix size the register holds is a change too: logged when it is set, and when riskreg.lua changes it"
is_eq "$(sql base/register.db "SELECT kind, record_id, operation, json_extract(after, '$.value') FROM change_log WHERE seq = 1")" "setting|matrix_size|insert|5"
fresh m1
printf 'return { matrix = { size = 6 } }\n' >m1/riskreg.lua
before=$(fingerprint m1)
rr -C m1 list risks
is_rc 0
is_eq "$(fingerprint m1)" "$before" "the register after a read (the setting is written only by a write)"
rr -C m1 add risks title="On a 6x6 matrix" likelihood=6 impact=6
is_rc 0
is_eq "$(sql m1/register.db "SELECT json_extract(before, '$.value') || '>' || json_extract(after, '$.value') || ' ' || note FROM change_log WHERE kind = 'setting' AND operation = 'update'")" "5>6 riskreg.lua sets a 6x6 matrix"
rr -C m1 verify
is_rc 0
sqlite3 m1/register.db "UPDATE setting SET value = 4 WHERE name = 'matrix_size'"
rr -C m1 verify
is_rc 1
out_has "setting matrix_size differs from change log entry"
is_eq "$(sql base/register.db "SELECT count(*) FROM change_log WHERE at GLOB '2[0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'")" "$entries" "UTC times"

t "each entry's prev_hash is the hash before it"
is_eq "$(sql base/register.db "SELECT count(*) FROM change_log a JOIN change_log b ON b.seq = a.seq + 1 WHERE b.prev_hash = a.hash")" "$((entries - 1))"
is_eq "$(sql base/register.db "SELECT prev_hash FROM change_log WHERE seq = 1")" "0000000000000000000000000000000000000000000000000000000000000000"
is_eq "$(sql base/register.db "SELECT count(DISTINCT hash) FROM change_log WHERE length(hash) = 64")" "$entries" "hashes"

t "the log refuses changes through SQLite itself"
run sqlite3 base/register.db "UPDATE change_log SET actor = 'x' WHERE seq = 1"
err_has "append-only"
run sqlite3 base/register.db "DELETE FROM change_log WHERE seq = 1"
err_has "append-only"

t "verify passes on the untouched register"
rr -C base verify
is_rc 0
out_has "$entries change-log entries chained"

t "an edited entry is named"
fresh c1
tamper c1 "UPDATE change_log SET actor = 'mallory' WHERE seq = 3"
rr -C c1 verify
is_rc 1
out_has "change log: entry 3"
out_has "was altered after it was written"
err_has "verify: "

t "an edited before/after is named"
fresh c2
tamper c2 "UPDATE change_log SET after = replace(after, 'treating', 'closed') WHERE seq = 6"
rr -C c2 verify
is_rc 1
out_has "entry 6"

t "a deleted entry is named"
fresh c3
tamper c3 "DELETE FROM change_log WHERE seq = 4"
rr -C c3 verify
is_rc 1
out_has "entry 4 is missing (entry 5 follows entry 3)"

t "reordered entries are named"
fresh c4
tamper c4 "UPDATE change_log SET seq = 100 WHERE seq = 4; UPDATE change_log SET seq = 4 WHERE seq = 5; UPDATE change_log SET seq = 5 WHERE seq = 100;"
rr -C c4 verify
is_rc 1
out_has "change log: entry 4"
out_has "reordered"

t "a rewritten chain tail is caught by its link"
fresh c5
tamper c5 "UPDATE change_log SET prev_hash = '0000000000000000000000000000000000000000000000000000000000000000' WHERE seq = 6"
rr -C c5 verify
is_rc 1
out_has "entry 6"

t "a risk changed behind riskreg's back is named with the field"
fresh c6
sqlite3 c6/register.db "UPDATE risk SET owner = 'Mallory' WHERE id = 'R-001'"
rr -C c6 verify
is_rc 1
out_has "risk R-001 differs from change log entry"
out_has "(owner)"

t "an assessment changed behind riskreg's back is named"
fresh c7
sqlite3 c7/register.db "UPDATE assessment SET likelihood = 1 WHERE risk_id = 'R-001' AND assessed_on = '2026-11-30'"
rr -C c7 verify
is_rc 1
out_has "assessment R-001@2026-11-30 differs"

t "a row added or deleted behind riskreg's back is named"
fresh c8
sqlite3 c8/register.db "INSERT INTO risk (id, title, created_on) VALUES ('R-099', 'Sneaky', '2026-01-01'); PRAGMA foreign_keys=OFF; DELETE FROM improvement WHERE id = 'I-001';"
rr -C c8 verify
is_rc 1
out_has "risk R-099 is not in the change log: it was added outside riskreg"
out_has "improvement I-001 (change log entry 9) is missing from the register"

t "a broken foreign key is named"
fresh c9
sqlite3 c9/register.db "PRAGMA foreign_keys=OFF; UPDATE improvement SET risk_id = 'R-404' WHERE id = 'I-001';"
rr -C c9 verify
is_rc 1
out_has "improvement row"
out_has "refers to a risk that does not exist"

t "log for one record includes its assessments, and --since filters"
rr -C base log R-001
is_rc 0
is_eq "$(printf '%s\n' "$out" | grep -c '^#')" "5" "entries for R-001"
rr -C base log --since 2999-01-01
out_has "no changes recorded"

done_testing
