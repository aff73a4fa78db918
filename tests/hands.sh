#!/usr/bin/env bash
# run alone: it times what it does, or kills processes at chosen moments (tests/run.sh)
# Many hands (issue 6, item 6): 8 processes adding, assessing and setting at once for 30 s on one
# register, with the default lock timeout: every write acknowledged with exit 0 is there
# afterwards, nobody sees "database is locked" (nor the busy message: 15 s is plenty for this
# load), the change log verifies and has no gaps. A reader runs verify, list and show meanwhile.
source "$(dirname "$0")/lib.sh"
HANDS=${HANDS:-8}
WORK_SECONDS=${HANDS_SECONDS:-30}
unset RISKREG_LOCK_TIMEOUT

new_register r
"$RISKREG" -C r add risks id=R-SHARED title="Shared by every hand" owner=all likelihood=1 impact=1 --on 2000-01-01 >/dev/null

# w N ACK ARGS...: one write of hand N; when riskreg says it is done (exit 0), ACK goes to ack-N
w() {
    local n=$1 ack=$2 status
    shift 2
    "$RISKREG" -C r "$@" >/dev/null 2>>"err-$n"
    status=$?
    if [ "$status" = 0 ]; then
        printf '%s\n' "$ack" >>"ack-$n"
    else
        printf 'exit %s: %s\n' "$status" "$*" >>"fail-$n"
    fi
}

# hand N: round after round until the deadline: add a risk, assess it, set its owner, add an
# improvement (ID chosen by riskreg), assess the shared risk, set the shared risk's description
hand() {
    local n=$1 i=0 id l k day
    : >"ack-$n" && : >"err-$n" && : >"fail-$n"
    while [ "$EPOCHSECONDS" -lt "$DEADLINE" ]; do
        i=$((i + 1))
        id="R-H$n-$i"
        l=$((i % 5 + 1)) k=$(((i + n) % 5 + 1))
        w "$n" "risk|$id" add risks id="$id" title="Hand $n, round $i" owner="hand-$n" \
            likelihood=$l impact=$k --on 2026-01-01 --note "add $n.$i"
        w "$n" "assessment|$id|2026-02-01|$k|$l" assess "$id" "$k" "$l" --on 2026-02-01 --note "assess $n.$i"
        w "$n" "owner|$id|owner $n.$i" set "$id" owner="owner $n.$i" --note "set $n.$i"
        w "$n" "improvement|Improvement of hand $n, round $i" add improvements \
            title="Improvement of hand $n, round $i" risk_id="$id" owner="hand-$n"
        if [ "$i" -lt 1000 ]; then # a day of its own for each hand and round
            day=$(date -d "2000-01-01 + $(((n - 1) * 1000 + i)) days" +%F)
            w "$n" "shared|$day|$l|$k|shared $n.$i" assess R-SHARED "$l" "$k" --on "$day" --note "shared $n.$i"
        fi
        w "$n" "described|shared set $n.$i" set R-SHARED description="Last set by hand $n in round $i" --note "shared set $n.$i"
    done
}

# the reader: verify, list and show while the hands write; any failure is a finding
reader() {
    : >reader-fail
    while [ "$EPOCHSECONDS" -lt "$DEADLINE" ]; do
        for cmd in "verify" "list risks owner=hand-1" "show R-SHARED" "log R-SHARED --since 2026-01-01"; do
            # shellcheck disable=SC2086
            "$RISKREG" -C r $cmd >reader-out 2>reader-err ||
                echo "exit $?: $cmd: $(grep -v '^ok' reader-out | head -2 | tr '\n' ' ')$(head -c 300 reader-err)" >>reader-fail
        done
        sleep 0.5
    done
}

DEADLINE=$((EPOCHSECONDS + WORK_SECONDS))
started=$EPOCHSECONDS
for n in $(seq 1 "$HANDS"); do hand "$n" & done
reader &
wait
took=$((EPOCHSECONDS - started))
total=$(cat ack-* | wc -l)
echo "     hands.sh: $HANDS hands made $total acknowledged writes in $took s ($(cat fail-* | wc -l) failed)" >&2

# acked KIND: the acknowledged writes of one kind, without the kind, sorted
acked() { cat ack-* | sed -n "s/^$1|//p" | LC_ALL=C sort; }
# missing EXPECTED ACTUAL: lines of the first that the second lacks
missing() { LC_ALL=C comm -23 <(printf '%s\n' "$1" | sed '/^$/d') <(printf '%s\n' "$2" | LC_ALL=C sort); }

t "$HANDS hands writing for $WORK_SECONDS s: every command exited 0"
is_eq "$(cat fail-* | wc -l)" "0" "failed writes ($(cat fail-* | head -3 | tr '\n' ' '))"
[ "$total" -gt $((HANDS * 6)) ] || _fail "only $total writes were made"

t "no hand saw 'database is locked', the busy message or any other error"
errors=$(cat err-*)
case $errors in *"database is locked"*) _fail "'database is locked' reached a user" ;; esac
case $errors in *"is busy"*) _fail "the busy message appeared under this load" ;; esac
is_eq "$(printf '%s' "$errors" | head -3)" "" "stderr of the hands"

t "every acknowledged new risk is in the register, with its own owner set later"
want=$(acked risk)
is_eq "$(missing "$want" "$(sql r/register.db "SELECT id FROM risk")" | head -3)" "" "risks missing"
is_eq "$(missing "$(acked owner)" "$(sql r/register.db "SELECT id || '|' || owner FROM risk")" | head -3)" "" "owners missing"

t "every acknowledged assessment is there with its ratings"
is_eq "$(missing "$(acked assessment)" \
    "$(sql r/register.db "SELECT risk_id || '|' || assessed_on || '|' || likelihood || '|' || impact FROM assessment")" | head -3)" \
    "" "assessments missing"
is_eq "$(missing "$(acked shared)" \
    "$(sql r/register.db "SELECT assessed_on || '|' || likelihood || '|' || impact || '|' || note FROM assessment WHERE risk_id = 'R-SHARED'")" | head -3)" \
    "" "assessments of R-SHARED missing"
is_eq "$(sql r/register.db "SELECT count(*) FROM assessment WHERE risk_id = 'R-SHARED'")" "$(($(acked shared | wc -l) + 1))" "assessments of R-SHARED"

t "every acknowledged improvement is there once, each with an ID of its own"
titles=$(sql r/register.db "SELECT title FROM improvement")
is_eq "$(missing "$(acked improvement)" "$titles" | head -3)" "" "improvements missing"
is_eq "$(printf '%s\n' "$titles" | sort | uniq -d | head -3)" "" "improvements written twice"
is_eq "$(sql r/register.db "SELECT count(DISTINCT id) = count(*) FROM improvement")" "1" "distinct IDs"

t "every acknowledged change of the shared risk is in the change log; the last one is what it holds"
is_eq "$(missing "$(acked described)" "$(sql r/register.db "SELECT note FROM change_log WHERE record_id = 'R-SHARED' AND operation = 'update'")" | head -3)" \
    "" "changes missing"
is_eq "$(sql r/register.db "SELECT description FROM risk WHERE id = 'R-SHARED'")" \
    "$(sql r/register.db "SELECT json_extract(after, '$.description') FROM change_log WHERE record_id = 'R-SHARED' AND json_extract(after, '$.description') IS NOT NULL ORDER BY seq DESC LIMIT 1")" \
    "the description"

t "the register verifies and its change log has no gaps"
rr -C r verify
is_rc 0
out_has "ok:"
is_eq "$(sql r/register.db "SELECT max(seq) = count(*) FROM change_log")" "1" "max(seq) = count(*)"

t "a reader running verify, list, show and log meanwhile never failed"
# verify reads the chain and every table in one read transaction: a write committed meanwhile
# is not reported as "added/changed outside riskreg"
is_eq "$(head -3 reader-fail)" "" "reader failures"

done_testing
