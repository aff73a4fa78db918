#!/usr/bin/env bash
# tests/run.sh - every test: the C unit tests, then each tests/*.sh; last line "N passed, N failed".
# ONLY=NAME runs one suite (tests/NAME.sh), SKIP="NAME ..." leaves suites out.
#
# A run cannot hide a failure: each suite and unit binary writes its counts to a file of its own,
# and one that exits non-zero with no failure counted, crashes, is killed, or never reaches its
# summary counts as one failure more, and is named in the last lines.
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/riskreg-run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
: "${RISKREG:?set RISKREG to the riskreg binary}"
export RISKREG

passed=0
failed=0
broken=() # "NAME: what happened"

# account NAME STATUS RESULTS: add a suite's counts; a suite that did not finish is a failure
account() {
    local name=$1 status=$2 results=$3 p=0 f=0 lines=0 a b
    while read -r a b; do
        [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]] || continue
        p=$((p + a))
        f=$((f + b))
        lines=$((lines + 1))
    done <"$results"
    passed=$((passed + p))
    failed=$((failed + f))
    local why=""
    if [ "$lines" = 0 ]; then
        why="never reached its summary"
    elif [ "$status" != 0 ] && [ "$f" = 0 ]; then
        why="exited with status $status though no case failed"
    fi
    if [ "$status" -gt 128 ] 2>/dev/null; then
        why="${why:+$why; }killed by signal $((status - 128))$([ $((status - 128)) = 9 ] && echo ' (SIGKILL)')$([ $((status - 128)) = 11 ] && echo ' (SIGSEGV)')$([ $((status - 128)) = 6 ] && echo ' (SIGABRT)')"
    fi
    if [ -n "$why" ]; then
        failed=$((failed + 1))
        broken+=("$name: $why (exit status $status)")
        echo "FAIL $name: $why (exit status $status)"
    fi
}

if [ -n "${UNIT_DIR:-}" ] && [ -d "$UNIT_DIR" ] && [ -z "${ONLY:-}" ]; then
    for u in "$UNIT_DIR"/test_*; do
        [ -x "$u" ] || continue
        results="$WORK/$(basename "$u").results"
        : >"$results"
        RESULTS=$results "$u"
        account "$(basename "$u")" $? "$results"
    done
fi
# Suites run TEST_JOBS at a time (default 2, the cores make test is held to), each one's output
# shown when it ends; a suite that times what it does or kills processes at chosen moments says
# "# run alone" in its first lines and runs after the others, by itself.
JOBS=${TEST_JOBS:-2}
together=()
alone=()
for t in "$HERE"/*.sh; do
    case $(basename "$t") in lib.sh | run.sh | pg.sh) continue ;; esac
    name=$(basename "$t" .sh)
    if [ -n "${ONLY:-}" ] && [ "$name" != "$ONLY" ]; then continue; fi
    case " ${SKIP:-} " in *" $name "*) continue ;; esac
    if head -5 "$t" | grep -q '^# run alone'; then alone+=("$t"); else together+=("$t"); fi
done

declare -A running=() # pid -> suite name
start_suite() {
    local name
    name=$(basename "$1" .sh)
    : >"$WORK/$name.results"
    (
        RESULTS="$WORK/$name.results" bash "$1" >"$WORK/$name.log" 2>&1
        echo $? >"$WORK/$name.status"
    ) &
    running[$!]=$name
}
finish_one() {
    local pid name
    wait -n -p pid "${!running[@]}"
    name=${running[$pid]}
    unset "running[$pid]"
    cat "$WORK/$name.log"
    account "$name.sh" "$(cat "$WORK/$name.status" 2>/dev/null || echo 255)" "$WORK/$name.results"
}
for t in "${together[@]}"; do
    [ ${#running[@]} -ge "$JOBS" ] && finish_one
    start_suite "$t"
done
while [ ${#running[@]} -gt 0 ]; do finish_one; done
for t in "${alone[@]}"; do
    name=$(basename "$t" .sh)
    results="$WORK/$name.results"
    : >"$results"
    RESULTS=$results bash "$t"
    account "$name.sh" $? "$results"
done
if [ ${#broken[@]} -gt 0 ]; then
    echo
    echo "suites that did not finish (each counted as a failure):"
    printf '  %s\n' "${broken[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
