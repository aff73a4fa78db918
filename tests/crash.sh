#!/usr/bin/env bash
# run alone: it times what it does, or kills processes at chosen moments (tests/run.sh)
# Crashes lose nothing (issue 6, item 5): kill -9 at random moments during a large import and
# during a build, CRASH_ROUNDS times each (default 20): the register verifies and holds all of
# the import or none of it; the published site is byte for byte the old one or the new one; the
# next run succeeds and sweeps up. A full disk (ulimit -f) gives one clear line and changes nothing.
source "$(dirname "$0")/lib.sh"
ROOT="$HERE/.."
ROUNDS=${CRASH_ROUNDS:-20}

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
sleep_ms() { sleep "$(($1 / 1000)).$(printf %03d $(($1 % 1000)))"; }
# rand_ms MAX: a random number of milliseconds from 0 to MAX
rand_ms() { echo $(((RANDOM * 32768 + RANDOM) % ($1 + 1))); }
# counts DIR: the rows of the tables an import writes
counts() {
    sql "$1/register.db" "SELECT (SELECT count(*) FROM risk) || ' ' || (SELECT count(*) FROM assessment) || ' ' ||
        (SELECT count(*) FROM improvement) || ' ' || (SELECT count(*) FROM measurement) || ' ' || (SELECT count(*) FROM change_log)"
}
# first3 ITEMS...: at most 3 entries of an array, for a failure message
first3() { printf '%s; ' "${@:1:3}"; }

# ---- (a) kill -9 during a large import --------------------------------------------------------

mkdir big
awk -v n=3000 -v seed=7 -v out=big -f "$ROOT/tests/bench/generate.awk"
new_register empty
ZERO=$(counts empty)

t "the large import, uninterrupted: ~3000 risks and ~30000 assessments in one transaction"
cp -r empty full
start=$(now_ms)
rr -C full import big --on 2026-11-20
IMPORT_MS=$(($(now_ms) - start))
is_rc 0
FULL=$(counts full)
read -r nrisk nassess _ _ nlog <<<"$FULL"
is_eq "$nrisk" 3000 "risks"
[ "$nassess" -gt 25000 ] || _fail "only $nassess assessments"
[ "$nlog" -gt 30000 ] || _fail "only $nlog change-log entries"
echo "     crash.sh: the import takes $IMPORT_MS ms; killing at 0..$((IMPORT_MS * 11 / 10)) ms" >&2

before=0 during=0 committed=0 after=0
bad_verify=() bad_counts=() bad_again=() bad_log=()
for i in $(seq 1 "$ROUNDS"); do
    rm -rf r && cp -r empty r
    delay=$(rand_ms $((IMPORT_MS * 11 / 10)))
    "$RISKREG" -C r import big --on 2026-11-20 >/dev/null 2>r-err &
    pid=$!
    sleep_ms "$delay"
    kill -9 "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null
    status=$?
    opened=0
    [ -e r/register.db-wal ] && opened=1
    # riskreg is the first to open the register after the crash
    run "$RISKREG" -C r verify
    [ "$rc" = 0 ] || bad_verify+=("round $i (${delay} ms): exit $rc: ${out:0:200} ${err:0:200}")
    got=$(counts r)
    if [ "$status" != 137 ]; then
        after=$((after + 1))
        [ "$status" = 0 ] || bad_counts+=("round $i: the import was not killed but exited $status: $(head -c 200 r-err)")
    elif [ "$got" = "$ZERO" ] && [ "$opened" = 0 ]; then
        before=$((before + 1))
    else
        during=$((during + 1))
        [ "$got" = "$FULL" ] && committed=$((committed + 1))
    fi
    [ "$got" = "$ZERO" ] || [ "$got" = "$FULL" ] || bad_counts+=("round $i (${delay} ms): rows '$got', neither '$ZERO' nor '$FULL'")
    run "$RISKREG" -C r import big --on 2026-11-20
    [ "$rc" = 0 ] || bad_again+=("round $i: import again exit $rc: ${err:0:200}")
    got=$(counts r)
    [ "$got" = "$FULL" ] || bad_again+=("round $i: after importing again: '$got', expected '$FULL'")
    [ "$(sql r/register.db "SELECT max(seq) = count(*) FROM change_log")" = 1 ] || bad_log+=("round $i: the change log has gaps")
done
# the last register, completed by the second import, verifies as a whole
run "$RISKREG" -C r verify
[ "$rc" = 0 ] || bad_verify+=("after the last import again: exit $rc: ${out:0:200}")
echo "     crash.sh: import kills: $before before the work, $during during it ($committed after the commit), $after after it" >&2

t "kill -9 during the import, $ROUNDS times: riskreg verify passes after each"
[ ${#bad_verify[@]} = 0 ] || _fail "${#bad_verify[@]} failed: $(first3 "${bad_verify[@]}")"

t "kill -9 during the import: the register holds all of the import or none of it"
[ ${#bad_counts[@]} = 0 ] || _fail "${#bad_counts[@]} rounds: $(first3 "${bad_counts[@]}")"

t "kill -9 during the import: the same import run again succeeds and completes the register"
[ ${#bad_again[@]} = 0 ] || _fail "${#bad_again[@]} rounds: $(first3 "${bad_again[@]}")"
[ ${#bad_log[@]} = 0 ] || _fail "$(first3 "${bad_log[@]}")"

t "many import kills (a quarter or more) landed while riskreg was at work, not before or after it"
[ "$during" -ge $((ROUNDS / 4)) ] || _fail "only $during of $ROUNDS kills landed during the import"

# ---- (b) kill -9 during a build ---------------------------------------------------------------

mkdir site-data
awk -v n=400 -v seed=11 -v out=site-data -f "$ROOT/tests/bench/generate.awk"
new_register s
"$RISKREG" -C s import site-data --on 2026-11-20 >/dev/null 2>&1
OPEN=$(sql s/register.db "SELECT id FROM risk WHERE status <> 'closed' ORDER BY id LIMIT 1")

t "a build of a register of 400 risks, uninterrupted, twice: the same bytes (so old and new are known)"
rr -C s build --quiet
is_rc 0
first=$(tree_fp s/public)
start=$(now_ms)
rr -C s build --quiet
BUILD_MS=$(($(now_ms) - start))
is_rc 0
is_eq "$(tree_fp s/public)" "$first" "a second build of the same register"
[ "$(find s/public -type f | wc -l)" -gt 500 ] || _fail "a small site: $(find s/public -type f | wc -l) files"
echo "     crash.sh: a build takes $BUILD_MS ms; killing at 0..$((BUILD_MS * 11 / 10)) ms" >&2

before=0 during=0 swapped=0 after=0 stale=0
bad_mix=() bad_next=() bad_stale=() bad_same=()
for i in $(seq 1 "$ROUNDS"); do
    old=$(tree_fp s/public)
    # change the register so that the new site differs from the old one (a page and its charts)
    "$RISKREG" -C s set R-00001 title="Round $i of the crash test" >/dev/null 2>&1
    "$RISKREG" -C s assess "$OPEN" $((i % 5 + 1)) $(((i + 2) % 5 + 1)) --on 2026-11-2$((i % 5)) >/dev/null 2>&1
    delay=$(rand_ms $((BUILD_MS * 11 / 10)))
    "$RISKREG" -C s build --quiet >/dev/null 2>b-err &
    pid=$!
    sleep_ms "$delay"
    kill -9 "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null
    status=$?
    killed=$(tree_fp s/public)
    left=$(staging_of s)
    run "$RISKREG" -C s build --quiet
    [ "$rc" = 0 ] || bad_next+=("round $i: the next build exited $rc: ${err:0:200}")
    new=$(tree_fp s/public)
    [ "$old" != "$new" ] || bad_same+=("round $i")
    if [ "$status" != 137 ]; then
        after=$((after + 1))
        [ "$status" = 0 ] || bad_next+=("round $i: the build was not killed but exited $status: $(head -c 200 b-err)")
    elif [ -z "$left" ] && [ "$killed" = "$old" ]; then
        before=$((before + 1))
    else
        during=$((during + 1))
        [ "$killed" = "$new" ] && swapped=$((swapped + 1))
    fi
    [ -n "$left" ] && stale=$((stale + 1))
    [ "$killed" = "$old" ] || [ "$killed" = "$new" ] || bad_mix+=("round $i (${delay} ms, exit $status): the site is neither the old nor the new one")
    [ -z "$(staging_of s)" ] || bad_stale+=("round $i: left after the next build: $(staging_of s | tr '\n' ' ')")
done
echo "     crash.sh: build kills: $before before the work, $during during it ($swapped after the swap), $after after it; $stale left a staging folder" >&2

t "kill -9 during a build, $ROUNDS times: the published site is the old one or the new one, never a mix"
[ ${#bad_mix[@]} = 0 ] || _fail "${#bad_mix[@]} rounds: $(first3 "${bad_mix[@]}")"
[ ${#bad_same[@]} = 0 ] || _fail "the change made before the build did not change the site in rounds $(first3 "${bad_same[@]}")"

t "kill -9 during a build: the next build succeeds and removes the stale staging folder"
[ ${#bad_next[@]} = 0 ] || _fail "${#bad_next[@]} rounds: $(first3 "${bad_next[@]}")"
[ ${#bad_stale[@]} = 0 ] || _fail "${#bad_stale[@]} rounds: $(first3 "${bad_stale[@]}")"
[ "$stale" -gt 0 ] || _fail "no kill left a staging folder behind, so its removal was never tested"

t "many build kills (a quarter or more) landed while riskreg was at work"
[ "$during" -ge $((ROUNDS / 4)) ] || _fail "only $during of $ROUNDS kills landed during the build"

t "the register a build was killed over still verifies"
rr -C s verify
is_rc 0

# ---- (c) a full disk: ulimit -f -----------------------------------------------------------------

# limited BLOCKS CMD...: run CMD with a file size limit of BLOCKS x 512 bytes, as a shell would
limited() {
    local blocks=$1
    shift
    run bash -c 'ulimit -f "$1"; shift; "$@"; exit $?' limited "$blocks" "$@"
}
# limited_ignoring: the same, started with SIGXFSZ ignored (as some daemons and shells start
# programs): riskreg then sees EFBIG from write() and must say so
limited_ignoring() {
    local blocks=$1
    shift
    run bash -c 'ulimit -f "$1"; shift; trap "" XFSZ; "$@"; exit $?' limited "$blocks" "$@"
}
one_line() { [ "$(printf '%s\n' "$err" | grep -c .)" = 1 ] || _fail "$(printf '%s\n' "$err" | grep -c .) lines on stderr: ${err:0:400}"; }
no_crash() {
    err_lacks "File size limit exceeded"
    err_lacks "Segmentation fault"
    err_lacks "core dumped"
    [ "$rc" -lt 128 ] || _fail "riskreg died by signal $((rc - 128))"
}

new_register disk
"$RISKREG" -C disk add risks id=R-001 title="Before the disk filled up" likelihood=2 impact=3 >/dev/null
"$RISKREG" -C disk build --quiet >/dev/null
disk_db=$(fingerprint disk)
disk_site=$(tree_fp disk/public)
disk_rows=$(counts disk)

t "ulimit -f during an import: exit 1 with one line naming the register, not a crash"
limited 4096 "$RISKREG" -C disk import big --on 2026-11-20
# riskreg ignores SIGXFSZ, so a write past the limit fails with EFBIG instead of killing it
is_rc 1
no_crash
one_line
case $err in "riskreg: "*"disk/register.db"*) ;; *) _fail "the message does not name disk/register.db: ${err:0:300}" ;; esac

t "ulimit -f during an import: the register is as it was and verifies"
# a process killed by SIGXFSZ would leave its uncommitted WAL frames in register.db-wal
is_eq "$(fingerprint disk)" "$disk_db" "register fingerprint"
is_eq "$(counts disk)" "$disk_rows" "rows"
rr -C disk verify
is_rc 0

t "ulimit -f (SIGXFSZ ignored) during an import: one clear line saying the disk or file is full"
disk_db=$(fingerprint disk) # verify checkpointed the register and removed the WAL
limited_ignoring 4096 "$RISKREG" -C disk import big --on 2026-11-20
is_rc 1
no_crash
one_line
err_has "disk/register.db"
# EFBIG from the WAL write is said as a full disk, not as "disk I/O error"
printf '%s\n' "$err" | grep -qiE 'full|too large|no space|space left' || _fail "the message does not say the disk/file is full: ${err:0:300}"
is_eq "$(counts disk)" "$disk_rows" "rows"
is_eq "$(fingerprint disk)" "$disk_db" "register fingerprint"

t "ulimit -f during a build: exit 1 with a clear message, not a crash"
"$RISKREG" -C disk set R-001 title="The site to build when the disk is full" >/dev/null
# the demo's data/register.json alone is larger than 64 KiB
"$RISKREG" -C disk import "$ROOT/register/demo/data" --on 2026-11-20 >/dev/null 2>&1
disk_db=$(fingerprint disk)
limited 128 "$RISKREG" -C disk build
# not killed by SIGXFSZ (exit 153), which would leave the staging folder behind
is_rc 1
no_crash
case $(printf '%s\n' "$err" | head -1) in "riskreg: "*) ;; *) _fail "first line: $(printf '%s\n' "$err" | head -1)" ;; esac

t "ulimit -f during a build: the published site and the register are as they were, no staging left"
is_eq "$(tree_fp disk/public)" "$disk_site" "the published site"
is_eq "$(fingerprint disk)" "$disk_db" "register fingerprint"
is_eq "$(staging_of disk)" "" "staging folders left"
rm -rf disk/.public.new-*

t "ulimit -f (SIGXFSZ ignored) during a build: one line naming the file and the full disk, no traceback"
limited_ignoring 128 "$RISKREG" -C disk build
is_rc 1
no_crash
first=$(printf '%s\n' "$err" | head -1)
case $first in "riskreg: "*disk/*) ;; *) _fail "the first line names no file of disk/: $first" ;; esac
printf '%s\n' "$first" | grep -qiE 'full|too large|no space|space left' || _fail "the first line does not say the disk/file is full: $first"
# said once, by the host, not again by the page script's assert with a Lua traceback
one_line
err_lacks "stack traceback"
is_eq "$(tree_fp disk/public)" "$disk_site" "the published site"
is_eq "$(staging_of disk)" "" "staging folders left"

t "after the disk has room again, the build succeeds"
rr -C disk build --quiet
is_rc 0
[ "$(tree_fp disk/public)" != "$disk_site" ] || _fail "the site was not rebuilt"
is_eq "$(staging_of disk)" "" "staging folders left"

done_testing
