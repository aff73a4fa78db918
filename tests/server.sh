#!/usr/bin/env bash
# run alone: it times what it does, or kills processes at chosen moments (tests/run.sh)
# A register kept on a PostgreSQL server (a real throwaway cluster, tests/pg.sh): made by init,
# the same answers as register.db, many writers, kill -9 and a stopped server mid-import, the
# roles, the append-only guards, and moving a register between the two homes.
source "$(dirname "$0")/lib.sh"
source "$HERE/pg.sh"
trap 'pg_stop; rm -rf "$TMP"' EXIT

t "a throwaway PostgreSQL cluster starts"
if ! pg_start; then
    _fail "cannot start a PostgreSQL server"
    done_testing
    exit 1
fi

# the copies of the register commands work on go here, to see that none is left
export TMPDIR="$TMP/copies"
mkdir -p "$TMPDIR"
copies_left() { ls "$TMPDIR" | grep -v '^riskreg-cache-'; }
KEPT="$TMPDIR/riskreg-cache-$(id -u)"

# site_fp SITE: every page and chart with its contents (the build's own manifest aside, whose
# record of when is the build's)
site_fp() { (cd "$1" && find . -type f ! -path './.riskreg-site*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum); }

# ---- init ----

t "init --server makes the register on the server and names it in riskreg.lua"
pg_db reg1
rr init p1 --server "$conn"
is_rc 0
out_has "Created the register p1 on $conn"
file_has p1/riskreg.lua "server = \"$conn\","
[ -e p1/register.db ] && _fail "a register.db was made beside a server register"
is_eq "$(pgq reg1 "SELECT max(version) FROM riskreg.migrations")" "$LATEST" "server register version"
is_eq "$(pgq reg1 "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'riskreg'")" "23" "tables"

t "info says where the register is kept"
rr -C p1 info
is_rc 0
out_has "register:   $conn (PostgreSQL server"
out_has "version:    register version $LATEST"

t "a password in the connection is refused, and nothing is written"
rr init p2 --server "postgresql://admin:secret@localhost/reg1"
is_rc 1
err_has "carries a password"
err_has "~/.pgpass"
[ -e p2/riskreg.lua ] && _fail "riskreg.lua left behind"

t "a server that cannot be reached is named, and no riskreg.lua is left"
rr init p3 --server "host=$PG_DIR dbname=nosuchdb"
is_rc 1
err_has "host=$PG_DIR dbname=nosuchdb: cannot connect to the register's server"
err_has "nosuchdb"
[ -e p3/riskreg.lua ] && _fail "riskreg.lua left behind"

t "--server that is not a connection is a usage error"
rr init p4 --server "db.example.org"
is_rc 2
err_has "not a PostgreSQL connection"

t "the URL form with a socket folder works"
pg_db reg5
rr init p5 --server "postgresql:///reg5?host=$PG_DIR"
is_rc 0
rr -C p5 add risks title="One" likelihood=2 impact=2
is_rc 0
is_eq "$(pgq reg5 "SELECT title FROM riskreg.risk")" "One" "the risk on the server"

# ---- one schema ----

t "the server's tables and columns are the register file's"
new_register f0
sqlite_cols=$(sqlite3 f0/register.db "SELECT m.name || '.' || p.name FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1")
pg_cols=$(pgq reg1 "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'riskreg' AND table_name NOT IN ('migrations', 'writer_lock') AND column_name <> 'row_order' AND NOT (table_name = 'setting' AND column_name = 'type') ORDER BY 1" | LC_ALL=C sort)
is_eq "$pg_cols" "$(echo "$sqlite_cols" | LC_ALL=C sort)" "columns"
is_eq "$(pgq reg1 "SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = 'riskreg' AND constraint_type = 'FOREIGN KEY'")" \
    "$(sqlite3 f0/register.db "SELECT count(*) FROM sqlite_schema m, pragma_foreign_key_list(m.name) p WHERE m.type = 'table'")" "foreign keys"
is_eq "$(pgq reg1 "SELECT string_agg(c.relname || ':' || a.attname, ',' ORDER BY c.relname, a.attname) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) WHERE i.indisprimary AND n.nspname = 'riskreg' AND c.relname NOT IN ('migrations', 'writer_lock')")" \
    "$(sqlite3 f0/register.db "SELECT group_concat(t, ',') FROM (SELECT m.name || ':' || p.name AS t FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.pk > 0 ORDER BY 1)")" "primary keys"

t "the server's checks refuse what the file's refuse"
run psql -X -q -d reg1 -c "INSERT INTO riskreg.risk (row_order, id, title, created_on) VALUES (1, 'R-900', 'x', '2026-02-30')"
[ "$rc" = 0 ] && _fail "a 30 February was accepted"
run psql -X -q -d reg1 -c "INSERT INTO riskreg.risk (row_order, id, title, created_on, status) VALUES (1, 'R-900', 'x', '2026-02-01', 'closed')"
[ "$rc" = 0 ] && _fail "a closed risk without closed_on was accepted"

# ---- the same answers from both homes ----

same_steps() { # same_steps DIR: a session of a risk owner; every output into DIR.out
    local d=$1
    {
        "$RISKREG" -C "$d" import "$DATA/import/folder" --on 2026-11-01
        "$RISKREG" -C "$d" add risks id=R-100 title="Datacentre power" owner="Ana Ferreira" likelihood=4 impact=5 --on 2026-10-01
        "$RISKREG" -C "$d" assess R-100 3 4 2 3 --on 2026-11-02 --note "UPS tested"
        "$RISKREG" -C "$d" set R-100 treatment=mitigate controls="Dual feed"
        "$RISKREG" -C "$d" add improvements title="Second UPS" risk_id=R-100 owner="Ana Ferreira" due_on=2026-11-20 --on 2026-10-05
        "$RISKREG" -C "$d" close IMP-001 --on 2026-11-21 --note "installed"
        "$RISKREG" -C "$d" accept R-100 --by "Claire Donnelly" --until 2027-04-21 --note "residual accepted"
        "$RISKREG" -C "$d" list risks --sort score
        "$RISKREG" -C "$d" list risks --json
        "$RISKREG" -C "$d" show R-100
        "$RISKREG" -C "$d" due --within 60
        "$RISKREG" -C "$d" check
        "$RISKREG" -C "$d" log R-100 | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g'
        "$RISKREG" -C "$d" set R-999 owner=x
        "$RISKREG" -C "$d" add risks title="" likelihood=9 impact=1
    } >"$d.out" 2>&1
}

t "every command answers the same on the server as on register.db"
pg_db same
"$RISKREG" init -q same_pg --server "$conn" >/dev/null
new_register same_file
same_steps same_pg
same_steps same_file
diff_out=$(diff same_file.out same_pg.out)
is_eq "$diff_out" "" "differences"
grep -q "R-100" same_pg.out || _fail "the session did not run: $(head -5 same_pg.out)"

t "the site built from the server is the one built from register.db"
rr -C same_pg build --quiet
is_rc 0
rr -C same_file build --quiet
is_rc 0
is_eq "$(site_fp same_pg/public)" "$(site_fp same_file/public)" "site"
[ -f same_pg/public/index.html ] || _fail "no site"

t "export writes the same files from both homes"
rr -C same_pg export --out exp_pg
is_rc 0
rr -C same_file export --out exp_file
is_rc 0
is_eq "$(cd exp_pg && ls | wc -l)" "$(cd exp_file && ls | wc -l)" "files"
for f in exp_file/*.csv; do
    cmp -s "$f" "exp_pg/${f#exp_file/}" || _fail "${f#exp_file/} differs"
done
grep -q "Datacentre power" exp_pg/risks.csv || _fail "the export lacks R-100"

t "the copies a command works on are removed when it ends"
is_eq "$(copies_left)" "" "files left in TMPDIR"

t "a writer keeps its copy for the next command, which reads the server only when it changed"
pg_db kept
rm -rf "$KEPT" # only this register's copies from here on
"$RISKREG" init -q kept --server "$conn" >/dev/null
"$RISKREG" -C kept add risks title="Kept" likelihood=2 impact=2 >/dev/null
gen=$(pgq kept "SELECT generation FROM riskreg.writer_lock")
kept_copy=$(ls "$KEPT" | grep -- "-g$gen.db\$")
[ -n "$kept_copy" ] || _fail "no copy kept for generation $gen: $(ls "$KEPT")"
is_eq "$(ls "$KEPT" | wc -l)" "1" "copies kept (no older one)"
rr -C kept list risks
is_rc 0
out_has "Kept"
inode=$(stat -c %i "$KEPT/$kept_copy")
rr -C kept show R-001
is_rc 0
out_has "Kept"
is_eq "$(stat -c %i "$KEPT/$kept_copy")" "$inode" "the kept copy, used again"

t "a change made behind riskreg's back on the server is seen by the next command"
psql -X -q -d kept -c "UPDATE riskreg.risk SET title = 'Changed in psql'" >/dev/null
rr -C kept list risks
is_rc 0
out_has "Changed in psql"
[ -e "$KEPT/$kept_copy" ] && _fail "the out-of-date copy is still kept"
rr -C kept verify
is_rc 1
out_has "risk R-001 differs from change log entry"

t "verify reads the server itself, not a kept copy"
# with the generation's trigger disabled, a change leaves the kept copy looking current: a
# reader would be misled, verify is not
"$RISKREG" -C kept add risks title="Second" likelihood=1 impact=1 >/dev/null
"$RISKREG" -C kept list risks >/dev/null
psql -X -q -d kept -c "ALTER TABLE riskreg.risk DISABLE TRIGGER risk_generation" -c "UPDATE riskreg.risk SET title = 'Quietly' WHERE id = 'R-002'" >/dev/null
rr -C kept verify
is_rc 1
out_has "risk R-002 differs from change log entry"

# ---- many writers ----

t "8 writers on 8 connections at once: nothing lost, one chain"
pg_db many
"$RISKREG" init -q many --server "$conn" >/dev/null
"$RISKREG" -C many add risks id=R-SHARED title="Shared" likelihood=1 impact=1 --on 2026-01-01 >/dev/null
writer() {
    local n=$1 i
    for i in $(seq 1 12); do
        if [ $((i % 3)) = 0 ]; then
            "$RISKREG" -C many assess R-SHARED $((n % 5 + 1)) 2 --on "$(date -d "2026-02-01 + $((n * 20 + i)) days" +%F)" >/dev/null 2>>"werr-$n" || echo "fail $n $i" >>"werr-$n"
        else
            "$RISKREG" -C many add improvements title="W$n #$i" owner="w$n" >/dev/null 2>>"werr-$n" || echo "fail $n $i" >>"werr-$n"
        fi
    done
}
for n in 1 2 3 4 5 6 7 8; do PGUSER=alice writer $n & done
wait
is_eq "$(cat werr-* 2>/dev/null | wc -l)" "0" "errors ($(cat werr-* 2>/dev/null | head -3))"
is_eq "$(pgq many "SELECT count(*) FROM riskreg.improvement")" "64" "improvements"
is_eq "$(pgq many "SELECT count(DISTINCT id) FROM riskreg.improvement")" "64" "distinct IDs"
is_eq "$(pgq many "SELECT count(*) FROM riskreg.assessment WHERE risk_id = 'R-SHARED'")" "33" "assessments"
is_eq "$(pgq many "SELECT max(seq) = count(*) FROM riskreg.change_log")" "t" "no gaps in the log"
rr -C many verify
is_rc 0
out_has "entries chained"

t "a colleague's init on a register already on the server makes a project that works on it"
rr init colleague --server "host=$PG_DIR dbname=many"
is_rc 0
out_has "Created the project colleague for the register on host=$PG_DIR dbname=many (65 records)"
rr -C colleague list improvements owner=w3
is_rc 0
out_has "W3 #1"
is_eq "$(pgq many "SELECT count(*) FROM riskreg.migrations")" "1" "migrations recorded once"

# ---- all or nothing ----

big_csv() { # big_csv FILE N
    {
        echo "id,title,owner,likelihood,impact,created_on"
        seq 1 "$2" | awk '{ printf "R-%05d,Risk number %d with a longer title,Owner %d,%d,%d,2026-01-%02d\n", $1, $1, $1 % 7, $1 % 5 + 1, $1 % 4 + 1, $1 % 28 + 1 }'
    } >"$1"
}
big_csv big.csv 6000

# wait_for_push DB: until riskreg is sending an import's rows to the server (1), or it is over (0)
wait_for_push() {
    local i q
    for i in $(seq 1 500); do
        q=$(pgq "$1" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'riskreg' AND state = 'active' AND query LIKE 'COPY riskreg.%'" 2>/dev/null)
        [ "$q" = 1 ] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.01
    done
    return 1
}

t "a writer killed with kill -9 while it sends an import leaves nothing"
pg_db killed
"$RISKREG" init -q killed --server "$conn" >/dev/null
hit=0
for attempt in 1 2 3 4 5; do
    "$RISKREG" -C killed import big.csv --kind risks --on 2026-02-01 >/dev/null 2>&1 &
    pid=$!
    if wait_for_push killed "$pid"; then
        kill -9 "$pid"
        hit=1
    fi
    wait "$pid" 2>/dev/null
    n=$(pgq killed "SELECT count(*) FROM riskreg.risk")
    if [ "$hit" = 1 ]; then
        is_eq "$n" "0" "risks after kill -9 during the import's COPY"
        break
    fi
    # it finished before it was caught: start again on an empty register
    pg_db killed
    "$RISKREG" init -q "killed$attempt" --server "$conn" >/dev/null
done
is_eq "$hit" "1" "caught an import while it sent its rows"
sleep 0.5 # the server notices the dead client and rolls back
is_eq "$(pgq killed "SELECT count(*) FROM riskreg.change_log")" "1" "log entries (init's one)"

t "the import run again after kill -9 succeeds, and removes the copy the killed one left"
[ -n "$(copies_left)" ] || _fail "kill -9 left no copy (it cannot be caught)"
rr -C killed import big.csv --kind risks --on 2026-02-01
is_rc 0
is_eq "$(copies_left)" "" "files left in TMPDIR"
is_eq "$(pgq killed "SELECT count(*) FROM riskreg.risk")" "6000" "risks"

t "the server stopped while an import is sent: a clear message, nothing half written"
hit=0
for attempt in 1 2 3 4 5; do
    pg_db stopped
    rm -rf stopped
    "$RISKREG" init -q stopped --server "$conn" >/dev/null
    "$RISKREG" -C stopped import big.csv --kind risks --on 2026-02-01 >stop.out 2>stop.err &
    pid=$!
    if wait_for_push stopped "$pid"; then
        pg_server stop fast
        hit=1
    fi
    wait "$pid"
    src=$?
    [ "$hit" = 1 ] && break
done
is_eq "$hit" "1" "caught an import while it sent its rows"
[ "$src" = 0 ] && _fail "the import said it succeeded"
grep -q "the connection to the register's server was lost while" stop.err || _fail "no clear message: $(cat stop.err)"
grep -q "nothing was changed: run the command again once the server is back" stop.err || _fail "does not say nothing was changed: $(cat stop.err)"
pg_server start || _fail "the server did not start again"
is_eq "$(pgq stopped "SELECT count(*) FROM riskreg.risk")" "0" "risks"
is_eq "$(pgq stopped "SELECT count(*) FROM riskreg.change_log")" "1" "log entries (init's one)"

t "the same import after the server is back succeeds"
rr -C stopped import big.csv --kind risks --on 2026-02-01
is_rc 0
is_eq "$(pgq stopped "SELECT count(*) FROM riskreg.risk")" "6000" "risks"
rr -C stopped verify
is_rc 0

# ---- roles ----

t "a writer role cannot update, delete or truncate the change log"
run psql -X -q -U alice -d many -c "UPDATE riskreg.change_log SET actor = 'mallory' WHERE seq = 1"
[ "$rc" = 0 ] && _fail "the writer updated the change log"
case $err in *"permission denied"*) ;; *) _fail "not refused by privileges: $err" ;; esac
run psql -X -q -U alice -d many -c "DELETE FROM riskreg.change_log WHERE seq = 1"
[ "$rc" = 0 ] && _fail "the writer deleted from the change log"
run psql -X -q -U alice -d many -c "TRUNCATE riskreg.change_log"
[ "$rc" = 0 ] && _fail "the writer truncated the change log"
is_eq "$(pgq many "SELECT actor FROM riskreg.change_log WHERE seq = 1")" "tester" "the first entry"

t "the owner too is refused by the guard"
run psql -X -q -d many -c "UPDATE riskreg.change_log SET actor = 'mallory' WHERE seq = 1"
[ "$rc" = 0 ] && _fail "the owner updated the change log"
case $err in *"append-only"*) ;; *) _fail "not refused by the guard: $err" ;; esac
run psql -X -q -d many -c "DELETE FROM riskreg.change_log"
case $err in *"append-only"*) ;; *) _fail "delete not refused by the guard: $err" ;; esac

t "a read-only role builds the site, lists, shows, checks and exports"
PGUSER=sitebuilder rr -C many build --quiet
is_rc 0
[ -f many/public/index.html ] || _fail "no site"
PGUSER=sitebuilder rr -C many list improvements
is_rc 0
out_has "W8 #1"
PGUSER=sitebuilder rr -C many show R-SHARED
is_rc 0
PGUSER=sitebuilder rr -C many due
PGUSER=sitebuilder rr -C many check
case $rc in 0 | 1) ;; *) _fail "check failed: $err" ;; esac
PGUSER=sitebuilder rr -C many export --out many-export
is_rc 0
[ -s many-export/risks.csv ] || _fail "no export"
PGUSER=sitebuilder rr -C many verify
is_rc 0

t "a read-only role cannot write, and is told why"
before=$(pgq many "SELECT count(*) FROM riskreg.change_log")
PGUSER=sitebuilder rr -C many add risks title="Sneaky" likelihood=1 impact=1
is_rc 1
err_has "the server refused"
err_has "may not do this"
is_eq "$(pgq many "SELECT count(*) FROM riskreg.change_log")" "$before" "log entries"

t "a writer waits for the write lock, and says the register is busy when it does not come"
psql -X -q -d many -c "BEGIN; LOCK TABLE riskreg.writer_lock IN EXCLUSIVE MODE; SELECT pg_sleep(4); COMMIT" >/dev/null 2>&1 &
lockpid=$!
sleep 1
RISKREG_LOCK_TIMEOUT=1 rr -C many add risks title="Late" likelihood=1 impact=1
is_rc 1
err_has "the register is busy"
err_has "nothing was changed"
wait $lockpid
rr -C many add risks title="On time" likelihood=1 impact=1
is_rc 0

# ---- guards ----

t "verify reports a dropped guard on the server"
psql -X -q -d many -c "DROP TRIGGER change_log_no_update ON riskreg.change_log" >/dev/null
rr -C many verify
is_rc 1
out_has "the append-only guard change_log_no_update is missing on the server"

t "verify reports a disabled or altered guard, and a role granted UPDATE on the log"
psql -X -q -d many -c "ALTER TABLE riskreg.change_log DISABLE TRIGGER change_log_no_delete" \
    -c "CREATE OR REPLACE FUNCTION riskreg.append_only() RETURNS TRIGGER LANGUAGE plpgsql AS \$\$ BEGIN RETURN NEW; END \$\$" \
    -c "GRANT UPDATE ON riskreg.change_log TO riskreg_writer" >/dev/null
rr -C many verify
is_rc 1
out_has "change_log_no_delete is disabled"
out_has "riskreg.append_only that the append-only guards call is not as riskreg made it"
out_has "the role riskreg_writer may UPDATE change_log"

t "verify reports a dropped or altered guard in register.db too"
new_register g1
"$RISKREG" -C g1 add risks title="One" likelihood=1 impact=1 >/dev/null
sqlite3 g1/register.db "DROP TRIGGER change_log_no_delete"
rr -C g1 verify
is_rc 1
out_has "the append-only guard change_log_no_delete is missing from the register"
new_register g2
"$RISKREG" -C g2 add risks title="One" likelihood=1 impact=1 >/dev/null
sqlite3 g2/register.db "DROP TRIGGER change_log_no_update; CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log WHEN 0 BEGIN SELECT 1; END;"
rr -C g2 verify
is_rc 1
out_has "change_log_no_update is not as riskreg made it"

# ---- moving a register ----

t "migrate --to a server copies the whole register and its change log, then verifies"
rm -rf demo
mkdir demo
cp "$HERE/../register/demo/riskreg.lua" demo/
"$RISKREG" -C demo import "$HERE/../register/demo/data" --on 2026-11-20 >/dev/null
"$RISKREG" -C demo review freeze >/dev/null
pg_db moved
rr -C demo migrate --to "$conn"
is_rc 0
out_has "change_log"
out_has "ok: SQLite integrity and foreign keys hold"
out_has "server = \"$conn\","
is_eq "$(pgq moved "SELECT count(*) FROM riskreg.change_log")" "$(sql demo/register.db "SELECT count(*) FROM change_log")" "log entries"
is_eq "$(pgq moved "SELECT count(*) FROM riskreg.risk")" "$(sql demo/register.db "SELECT count(*) FROM risk")" "risks"

t "a register moved to the server builds the same site"
mkdir demo_pg
sed "s|^return {|return {\n  server = \"$conn\",|" demo/riskreg.lua >demo_pg/riskreg.lua
rr -C demo_pg build --quiet
is_rc 0
rr -C demo build --quiet
is_rc 0
is_eq "$(site_fp demo_pg/public)" "$(site_fp demo/public)" "site"

t "migrate --to a server that holds a register refuses, and copies nothing"
rr -C demo migrate --to "$conn"
is_rc 1
err_has "already holds a register"
is_eq "$(pgq moved "SELECT count(*) FROM riskreg.change_log")" "$(sql demo/register.db "SELECT count(*) FROM change_log")" "log entries"

t "migrate --to FILE.db copies the server's register back, and it verifies"
rr -C demo_pg migrate --to back.db
is_rc 0
out_has "risk"
out_has "ok: SQLite integrity"
for tb in risk assessment change_log review_snapshot requirement readiness setting; do
    is_eq "$(sqlite3 back.db "SELECT * FROM $tb ORDER BY rowid" | sha256sum)" "$(sqlite3 demo/register.db "SELECT * FROM $tb ORDER BY rowid" | sha256sum)" "$tb"
done
is_eq "$(sqlite3 back.db "SELECT typeof(value) FROM setting WHERE name = 'matrix_size'")" "integer" "setting's type"

t "migrate --to an existing file refuses"
rr -C demo_pg migrate --to back.db
is_rc 1
err_has "already exists"

t "a write to the moved register keeps one chain and verifies"
PGUSER=alice rr -C demo_pg add risks title="After the move" likelihood=2 impact=2
is_rc 0
rr -C demo_pg verify
is_rc 0

t "a command ended by a signal leaves no copy of the register behind"
caught=0
for attempt in 1 2 3 4 5 6 7 8; do
    "$RISKREG" -C demo_pg build --quiet --out "sigsite$attempt" >/dev/null 2>&1 &
    pid=$!
    for i in $(seq 1 300); do
        [ -n "$(ls "$TMPDIR" | grep "^riskreg-copy-$pid-")" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.005
    done
    if [ -n "$(ls "$TMPDIR" | grep "^riskreg-copy-$pid-")" ] && kill -TERM "$pid" 2>/dev/null; then caught=1; fi
    wait "$pid"
    src=$?
    if [ "$caught" = 1 ]; then
        is_eq "$src" "143" "exit status (killed by TERM)"
        break
    fi
done
is_eq "$caught" "1" "caught a build while its copy existed"
is_eq "$(copies_left)" "" "files left in TMPDIR"

done_testing
