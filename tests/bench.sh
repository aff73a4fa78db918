#!/usr/bin/env bash
# make bench itself, at a small N, so that it cannot rot: its figures are make bench's (timed
# tests flake on shared machines), but what it counts is checked here. The generator is
# deterministic and makes the register's shape; every step prints its line with the counts the
# build said; a warm rebuild draws no chart; one reassessed risk redraws only what shows it.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$HERE/.." && pwd)
GEN="$ROOT/tests/bench/generate.awk"

t "the generator writes the same register for the same seed, another for another seed"
mkdir g1 g2 g3
awk -v n=40 -v seed=5 -v out=g1 -f "$GEN"
awk -v n=40 -v seed=5 -v out=g2 -f "$GEN"
awk -v n=40 -v seed=6 -v out=g3 -f "$GEN"
is_eq "$(tree_fp g1)" "$(tree_fp g2)" "the register of seed 5, twice"
[ "$(tree_fp g1)" != "$(tree_fp g3)" ] || _fail "seeds 5 and 6 gave the same register"

t "the generated register has the issue's shape: N risks, about ten assessments each, N/5 improvements, N/10 nonconformities"
new_register r
rr -C r import -q g1
is_rc 0
db=r/register.db
is_eq "$(sql $db 'SELECT count(*) FROM risk')" 40 "risks"
is_eq "$(sql $db 'SELECT count(*) FROM improvement')" 8 "improvements"
is_eq "$(sql $db 'SELECT count(*) FROM nonconformity')" 4 "nonconformities"
per_risk=$(sql $db 'SELECT round(1.0 * count(*) / 40) FROM assessment')
case $per_risk in 8.0 | 9.0 | 10.0 | 11.0 | 12.0) ;; *) _fail "assessments per risk: $per_risk" ;; esac
is_eq "$(sql $db 'SELECT count(DISTINCT owner) > 5 AND count(DISTINCT category) = 8 FROM risk')" 1 \
    "owners and categories"
is_eq "$(sql $db "SELECT count(*) > 0 FROM risk WHERE status = 'closed'")" 1 "closed risks"
is_eq "$(sql $db "SELECT count(*) > 0 FROM risk WHERE kind = 'opportunity'")" 1 "opportunities"

t "make bench at N=40 prints the table and one line per step a script can parse"
run env BENCH_N=40 BENCH_REPEAT=1 RISKREG="$RISKREG" CHART_BENCH= bash "$ROOT/tests/bench/run.sh"
is_rc 0
out_has "risks    step"
# field NAME LINE: one figure of a BENCH line
field() { printf '%s\n' "$2" | sed -nE "s/.* $1=([^ ]+).*/\\1/p"; }
line() { printf '%s\n' "$out" | grep "^BENCH n=40 step=$1 "; }
for s in import cold warm one-changed; do
    [ -n "$(line $s)" ] || _fail "no BENCH line for $s"
    for f in wall cpu rss_mb files pages charts_drawn charts_reused pages_per_s charts_per_s ms_per_risk; do
        v=$(field $f "$(line $s)")
        [[ $v =~ ^[0-9]+(\.[0-9]+)?$ ]] || _fail "$s: $f is '$v'"
    done
done
out_has "rebuild after one change / cold build:"
out_has "command line: show "
for s in show due check list-risks; do
    l=$(line $s)
    [ -n "$l" ] || _fail "no BENCH line for $s"
    for f in wall cpu rss_mb lines; do
        v=$(field $f "$l")
        [[ $v =~ ^[0-9]+(\.[0-9]+)?$ ]] || _fail "$s: $f is '$v'"
    done
done
# list risks prints a header and a line per risk
is_eq "$(field lines "$(line list-risks)")" 41 "lines list risks printed for 40 risks"

t "the bench's counts are the register's and the builds': records imported, charts drawn and reused"
records=$(sql $db "SELECT (SELECT count(*) FROM risk) + (SELECT count(*) FROM assessment) +
    (SELECT count(*) FROM improvement) + (SELECT count(*) FROM nonconformity) +
    (SELECT count(*) FROM audit) + (SELECT count(*) FROM kpi) + (SELECT count(*) FROM measurement) +
    (SELECT count(*) FROM review) + (SELECT count(*) FROM review_input) +
    (SELECT count(*) FROM review_action)")
imported=$(line import) cold=$(line cold) warm=$(line warm) one=$(line one-changed)
bench_gen=g4
mkdir $bench_gen
awk -v n=40 -v seed=20261125 -v out=$bench_gen -f "$GEN" # the bench's own seed
new_register r2
rr -C r2 import $bench_gen
is_eq "$(field files "$imported")" "$(printf '%s\n' "$out" | sed -nE 's/^imported .*: ([0-9]+) records written$/\1/p')" \
    "records the bench imported"
[ "$records" -gt 40 ] || _fail "the register of seed 5 has $records records"
drawn=$(field charts_drawn "$cold") reused=$(field charts_reused "$cold")
[ "$drawn" -gt 40 ] || _fail "a cold build of 40 risks drew $drawn charts"
is_eq "$(field charts_drawn "$warm")" 0 "charts a warm rebuild drew"
is_eq "$(field pages_rendered "$warm")" 0 "pages a warm rebuild rendered"
[ "$(field pages_rendered "$cold")" -gt 40 ] || _fail "a cold build rendered $(field pages_rendered "$cold") pages"
one_pages=$(field pages_rendered "$one")
[ "$one_pages" -ge 1 ] && [ "$one_pages" -le 12 ] ||
    _fail "after one reassessment the rebuild rendered $one_pages pages"
is_eq "$(field charts_reused "$warm")" $((drawn + reused)) "charts a warm rebuild reused"
is_eq "$(field files "$warm")" "$(field files "$cold")" "files of the warm rebuild"
one_drawn=$(field charts_drawn "$one")
[ "$one_drawn" -ge 1 ] && [ "$one_drawn" -le 4 ] ||
    _fail "after one reassessment the rebuild drew $one_drawn charts (its trend, and dashboards it moved)"
is_eq "$((one_drawn + $(field charts_reused "$one")))" $((drawn + reused)) "charts after one change"
is_eq "$(field ms_per_risk "$cold")" "$(awk -v w="$(field wall "$cold")" 'BEGIN { printf "%.3f", w * 1000 / 40 }')" \
    "cost per risk"

t "make bench BACKEND=postgresql runs the register's steps on a server too, each against register.db's"
run env BACKEND=postgresql BENCH_N=40 BENCH_REPEAT=1 BENCH_PEER_MAX=0 RISKREG="$RISKREG" CHART_BENCH= bash "$ROOT/tests/bench/run.sh"
is_rc 0
out_has "import on the server / on register.db at N=40:"
out_has "cold build on the server / on register.db at N=40:"
pg_cold=$(line pg-cold) pg_import=$(line pg-import)
is_eq "$(field files "$pg_import")" "$(field files "$(line import)")" "records imported on the server"
is_eq "$(field files "$pg_cold")" "$(field files "$(line cold)")" "files of the cold build on the server"
is_eq "$(field charts_drawn "$pg_cold")" "$(field charts_drawn "$(line cold)")" "charts the server's cold build drew"
is_eq "$(field charts_drawn "$(line pg-warm)")" 0 "charts a warm rebuild on the server drew"
is_eq "$(field lines "$(line pg-list-risks)")" 41 "lines list risks printed on the server"

done_testing
