#!/usr/bin/env bash
# The register file and its settings: schema, migrations, the matrix from riskreg.lua, bad files.
source "$(dirname "$0")/lib.sh"
SCHEMA="$HERE/../register/schema.sql"

t "a new register has all ten tables, STRICT, with the change log"
new_register r
for table in risk assessment improvement audit nonconformity kpi measurement review review_input review_action change_log; do
    is_eq "$(sql r/register.db "SELECT strict FROM pragma_table_list WHERE name = '$table'")" "1" "$table strict"
done

t "the schema checks hold even for writes that bypass riskreg"
run sqlite3 r/register.db "INSERT INTO risk (id, title, created_on) VALUES ('R-1', 'x', '2026-02-30')"
err_has "CHECK constraint failed"
run sqlite3 r/register.db "INSERT INTO risk (id, title, created_on, status) VALUES ('R-1', 'x', '2026-02-01', 'pending')"
err_has "CHECK constraint failed"
run sqlite3 r/register.db "INSERT INTO risk (id, title, created_on, status) VALUES ('R-1', 'x', '2026-02-01', 'closed')"
err_has "CHECK constraint failed"
run sqlite3 r/register.db "PRAGMA foreign_keys=ON; INSERT INTO assessment (risk_id, assessed_on, likelihood, impact) VALUES ('R-404', '2026-01-01', 1, 1)"
err_has "FOREIGN KEY constraint failed"
sqlite3 r/register.db "INSERT INTO risk (id, title, created_on) VALUES ('R-1', 'x', '2026-02-01')"
run sqlite3 r/register.db "INSERT INTO improvement (id, title, raised_on) VALUES ('r-1', 'y', '2026-02-01')"
err_has "UNIQUE constraint failed: record_id.id"
run sqlite3 r/register.db "INSERT INTO assessment (risk_id, assessed_on, likelihood, impact) VALUES ('R-1', '2026-03-01', 6, 1)"
err_has "rating outside the risk matrix"
run sqlite3 r/register.db "INSERT INTO assessment (risk_id, assessed_on, likelihood, impact, residual_likelihood) VALUES ('R-1', '2026-03-01', 2, 1, 1)"
err_has "CHECK constraint failed"

t "an older register is migrated in one go, keeping its data"
sqlite3 old.db <"$SCHEMA"
sqlite3 old.db "INSERT INTO risk (id, title, created_on) VALUES ('R-001', 'Kept', '2025-01-01');
    INSERT INTO review (id, held_on, title, summary) VALUES ('MR-001', '2025-03-01', 'Q1 review', 'Kept too');
    INSERT INTO review_input (review_id, input, text) VALUES ('MR-001', 'risks', 'Narrative kept');
    INSERT INTO review_action (id, review_id, text) VALUES ('MA-001', 'MR-001', 'An action kept')"
mkdir -p old && mv old.db old/register.db && cp r/riskreg.lua old/
is_eq "$(sql old/register.db 'PRAGMA user_version')" "1" "before"
before=$(fingerprint old)
rr -C old list risks
is_rc 1
err_has "old/register.db was written by an older riskreg (register version 1; this one writes $LATEST): run 'riskreg upgrade' once"
is_eq "$(fingerprint old)" "$before" "the register after a read"
rr -C old upgrade
is_rc 0
out_has "old/register.db is at register version $LATEST"
rr -C old list risks
is_rc 0
out_has "Kept"
is_eq "$(sql old/register.db 'PRAGMA user_version')" "$LATEST" "after"
# version 3 makes the review table again: its rows, and the rows that refer to them, are kept
is_eq "$(sql old/register.db "SELECT status, held_on, summary FROM review")" "held|2025-03-01|Kept too" "the review"
is_eq "$(sql old/register.db "SELECT count(*) FROM review_input JOIN review ON review.id = review_id")" "1" "its input"
is_eq "$(sql old/register.db "SELECT count(*) FROM pragma_foreign_key_check")" "0" "foreign keys"
rr -C old add review_actions review_id=MR-001 text="Refers to the review made again"
is_rc 0
is_eq "$(sql old/register.db "SELECT count(*) FROM sqlite_schema WHERE name = 'change_log_row'")" "1" "migration 2"

t "a migrated register has the same schema as a new one"
is_eq "$(sql old/register.db "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name)")" \
      "$(sql r/register.db "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name)")" "schema"

t "a register from a newer riskreg is refused and left alone"
cp -r r newer
sqlite3 newer/register.db "PRAGMA user_version = 99"
before=$(fingerprint newer)
rr -C newer list risks
is_rc 1
err_has "written by a newer riskreg (register version 99; this riskreg knows up to $LATEST)"
is_eq "$(fingerprint newer)" "$before" "register"

t "a file that is not a database gets a one-line message, exit 1"
mkdir -p junk && cp r/riskreg.lua junk/
printf 'this is not a database, it is a note\n%.0s' $(seq 1 200) >junk/register.db
before=$(fingerprint junk)
rr -C junk list risks
is_rc 1
err_has "junk/register.db: not a riskreg register"
is_eq "$(printf '%s\n' "$err" | wc -l)" "1" "lines"
is_eq "$(fingerprint junk)" "$before" "file"

t "a truncated register is reported as damaged"
mkdir -p trunc && cp r/riskreg.lua trunc/
"$RISKREG" -C r add risks title="Something to store" likelihood=2 impact=2 >/dev/null
sqlite3 r/register.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
head -c 6000 r/register.db >trunc/register.db
rr -C trunc list risks
is_rc 1
err_has "trunc/register.db"

t "another SQLite database is not taken over"
mkdir -p other && cp r/riskreg.lua other/
sqlite3 other/register.db "CREATE TABLE customers (name TEXT)"
rr -C other list risks
is_rc 1
err_has "not a riskreg register (it holds other tables)"

t "riskreg.lua with a syntax error names the file and line"
mkdir -p badcfg && printf 'return {\n  matrix = { size = 5 \n  name = "x"\n}\n' >badcfg/riskreg.lua
rr -C badcfg list risks
is_rc 1
err_has "badcfg/riskreg.lua:3:"
err_has "riskreg.lua must be a Lua table of settings"

t "riskreg.lua with wrong types says which setting"
printf 'return { matrix = { size = 7 } }\n' >badcfg/riskreg.lua
rr -C badcfg list risks
is_rc 1
err_has "matrix.size must be a whole number from 3 to 6 (it is 7)"
printf 'return { matrix = { size = "five" } }\n' >badcfg/riskreg.lua
rr -C badcfg list risks
err_has "matrix.size must be a whole number from 3 to 6; it is the text \"five\""
printf 'return { matrix = { size = 3, likelihood = { "Low", "High" } } }\n' >badcfg/riskreg.lua
rr -C badcfg list risks
is_rc 1
err_has "matrix.likelihood must be a list of 3 labels (one per rating, none empty)"
printf 'return { review = { every_days = -4 } }\n' >badcfg/riskreg.lua
rr -C badcfg list risks
is_rc 1
err_has "review.every_days must be a whole number of days"
printf 'return 42\n' >badcfg/riskreg.lua
rr -C badcfg list risks
is_rc 1
err_has "riskreg.lua must return a table of settings (it returns a number)"

t "riskreg.lua is data: no libraries, no endless loops"
printf 'os.execute("touch pwned")\nreturn {}\n' >badcfg/riskreg.lua
rr -C badcfg list risks
is_rc 1
[ -e pwned ] && _fail "a config file ran a command"
printf 'while true do end\n' >badcfg/riskreg.lua
rr -C badcfg list risks
is_rc 1
err_has "riskreg.lua runs too long"
printf 'local t = {} for i = 1, 1e8 do t[i] = ("x"):rep(1000) .. i end return t\n' >badcfg/riskreg.lua
rr -C badcfg list risks
is_rc 1

t "riskreg.lua may assign settings instead of returning them"
printf 'name = "Acme"\nmatrix = { size = 3 }\n' >badcfg/riskreg.lua
rr -C badcfg add risks title="Three by three" likelihood=high impact=3
is_rc 0
is_eq "$(sql badcfg/register.db "SELECT likelihood FROM assessment")" "3"
rr -C badcfg add risks title="Too high" likelihood=4 impact=3
is_rc 1
err_has "4 is outside the 3x3 matrix"

t "a matrix smaller than the ratings held is refused"
"$RISKREG" -C r add risks title="Likely" likelihood=4 impact=2 >/dev/null
cp r/riskreg.lua small.lua
sed -i 's/size = 5/size = 3/; s/likelihood = {.*/likelihood = { "Low", "Medium", "High" },/; s/impact = {.*/impact = { "Low", "Medium", "High" },/' r/riskreg.lua
rr -C r list risks
is_rc 1
err_has "sets a 3x3 risk matrix, but the register holds ratings up to 4"
cp small.lua r/riskreg.lua

t "a 6x6 matrix takes ratings up to 6, with its labels"
mkdir -p six && printf 'return { matrix = { size = 6 } }\n' >six/riskreg.lua
rr -C six add risks title="Big matrix" likelihood=6 impact="very high"
is_rc 0
is_eq "$(sql six/register.db "SELECT likelihood || ',' || impact FROM assessment")" "6,6"
rr -C six add risks title="Label" likelihood="Very rare" impact=Significant
is_eq "$(sql six/register.db "SELECT likelihood || ',' || impact FROM assessment WHERE risk_id = 'R-002'")" "1,4"

t "the register is in WAL mode and writers wait for each other"
is_eq "$(sql r/register.db 'PRAGMA journal_mode')" "wal"
(echo "BEGIN IMMEDIATE; INSERT INTO setting VALUES ('lock', 1);"; sleep 1.5; echo "ROLLBACK;") | sqlite3 r/register.db &
sleep 0.3
rr -C r add risks title="Waited for the lock"
is_rc 0
out_has "added"
wait

t "a writer that cannot get the lock says so in one line and changes nothing"
(echo "BEGIN IMMEDIATE; INSERT INTO setting VALUES ('lock', 1);"; sleep 3; echo "ROLLBACK;") | sqlite3 r/register.db &
sleep 0.3
before=$(sql r/register.db "SELECT count(*) FROM risk")
RISKREG_LOCK_TIMEOUT=1 run "$RISKREG" -C r add risks title="Gave up"
is_rc 1
err_has "the register is busy: another riskreg kept it locked for 1 s; nothing was changed"
err_lacks "database is locked"
wait
is_eq "$(sql r/register.db "SELECT count(*) FROM risk")" "$before" "risks"

done_testing
