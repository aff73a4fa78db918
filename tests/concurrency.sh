#!/usr/bin/env bash
# run alone: it times what it does, or kills processes at chosen moments (tests/run.sh)
# Many writers on one register: nothing lost, the chain stays valid, nobody sees "locked".
source "$(dirname "$0")/lib.sh"

new_register r
"$RISKREG" -C r add risks id=R-SHARED title="Shared risk" likelihood=1 impact=1 --on 2026-01-01 >/dev/null

writer() { # writer N: 100 writes, alternating adds and assessments on its own risk
    local n=$1 i
    "$RISKREG" -C r add risks id="R-W$n" title="Writer $n" likelihood=1 impact=1 --on 2026-01-01 >/dev/null 2>>"err-$n" || echo "fail add $n" >>"err-$n"
    for i in $(seq 1 99); do
        if [ $((i % 2)) = 0 ]; then
            "$RISKREG" -C r add improvements title="Writer $n improvement $i" owner="w$n" >/dev/null 2>>"err-$n" || echo "fail $n $i" >>"err-$n"
        else
            day=$(date -d "2026-01-01 + $i days" +%F)
            "$RISKREG" -C r assess "R-W$n" $((i % 5 + 1)) 3 --on "$day" >/dev/null 2>>"err-$n" || echo "fail $n $i" >>"err-$n"
        fi
    done
}

t "4 processes x 100 writes at once: all 400 are there"
for n in 1 2 3 4; do writer $n & done
wait
is_eq "$(cat err-* 2>/dev/null | wc -l)" "0" "errors ($(cat err-* 2>/dev/null | head -3))"
is_eq "$(sql r/register.db "SELECT count(*) FROM risk WHERE id LIKE 'R-W%'")" "4" "risks"
is_eq "$(sql r/register.db "SELECT count(*) FROM improvement")" "196" "improvements"
is_eq "$(sql r/register.db "SELECT count(*) FROM assessment WHERE risk_id LIKE 'R-W%'")" "204" "assessments"
is_eq "$(sql r/register.db "SELECT count(DISTINCT id) FROM improvement")" "196" "distinct IDs"

t "the change log chain is valid after concurrent writes"
rr -C r verify
is_rc 0
out_has "ok:"
is_eq "$(sql r/register.db "SELECT max(seq) = count(*) FROM change_log")" "1" "no gaps"

t "concurrent reassessments of one risk lose nothing"
for n in 1 2 3 4; do
    (for i in $(seq 1 10); do
        day=$(date -d "2026-06-01 + $((n * 10 + i)) days" +%F)
        "$RISKREG" -C r assess R-SHARED 2 2 --on "$day" >/dev/null 2>>shared-err || echo fail >>shared-err
    done) &
done
wait
is_eq "$(cat shared-err 2>/dev/null | wc -l)" "0" "errors"
is_eq "$(sql r/register.db "SELECT count(*) FROM assessment WHERE risk_id = 'R-SHARED'")" "41" "assessments"
rr -C r verify
is_rc 0

t "a write during a build: the pages and data/ both show the register as the build began"
new_register b
"$RISKREG" -C b add risks id=R-001 title="There before the build" likelihood=2 impact=2 >/dev/null
# a slow page before the data page: the write below lands while the build is under way
mkdir -p b/scripts/lib/pages
cat >b/scripts/lib/pages/owners.lua <<'EOF2'
return function(ctx)
  local t = os.clock()
  while os.clock() - t < 2.5 do end
end
EOF2
"$RISKREG" -C b build -q >build-out 2>build-err &
build=$!
sleep 1
"$RISKREG" -C b add risks id=R-002 title="Added during the build" likelihood=3 impact=3 >/dev/null
wait $build
is_eq "$?" "0" "the build's exit code"
is_eq "$(cat build-err)" "" "the build's messages"
is_eq "$(cut -d, -f1 b/public/data/risks.csv | tail -n +2 | tr '\n' ' ')" "R-001 " "risks in data/risks.csv"
grep -q "R-002" b/public/data/register.json && _fail "data/register.json has the risk added during the build"
grep -q "R-002" b/public/risks/index.html && _fail "the register page has the risk added during the build"
file_has b/public/risks/index.html "R-001"
is_eq "$(sql b/register.db "SELECT count(*) FROM risk")" "2" "risks in the register afterwards"

done_testing
