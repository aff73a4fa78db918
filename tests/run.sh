#!/usr/bin/env bash
# tests/run.sh - every test: the C unit tests, then each tests/*.sh; last line "N passed, N failed"
# ONLY=NAME runs one suite (tests/NAME.sh), SKIP="NAME ..." leaves suites out.
HERE=$(cd "$(dirname "$0")" && pwd)
RESULTS=$(mktemp)
export RESULTS
trap 'rm -f "$RESULTS"' EXIT
: "${RISKREG:?set RISKREG to the riskreg binary}"
export RISKREG

if [ -n "${UNIT_DIR:-}" ] && [ -d "$UNIT_DIR" ]; then
    for u in "$UNIT_DIR"/test_*; do
        [ -x "$u" ] || continue
        "$u" || true
    done
fi
for t in "$HERE"/*.sh; do
    case $(basename "$t") in lib.sh | run.sh) continue ;; esac
    name=$(basename "$t" .sh)
    if [ -n "${ONLY:-}" ] && [ "$name" != "$ONLY" ]; then continue; fi
    case " ${SKIP:-} " in *" $name "*) continue ;; esac
    bash "$t" || true
done
awk '{ p += $1; f += $2 } END { printf "%d passed, %d failed\n", p, f; exit (f > 0) }' "$RESULTS"
