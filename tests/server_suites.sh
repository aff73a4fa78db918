#!/usr/bin/env bash
# The command suites again, with every register they make kept on a PostgreSQL server of their
# own (RISKREG_TEST_SERVER, tests/lib.sh): the other engine must give the same answers. The
# suites here touch register.db only through lib.sh's sql, fingerprint and copy_register.
# Each suite's counts are added to this one's; a suite that dies counts as a failure.
HERE=$(cd "$(dirname "$0")" && pwd)
: "${RISKREG:?set RISKREG to the riskreg binary}"
SUITES=${SERVER_SUITES:-"cli import edit certification concurrency"}
status=0
for s in $SUITES; do
    before=$(wc -l <"${RESULTS:-/dev/null}" 2>/dev/null || echo 0)
    RISKREG_TEST_SERVER=1 bash "$HERE/$s.sh"
    rc=$?
    after=$(wc -l <"${RESULTS:-/dev/null}" 2>/dev/null || echo 0)
    if [ -n "${RESULTS:-}" ] && { [ "$after" = "$before" ] || { [ "$rc" != 0 ] && [ "$(tail -1 "$RESULTS" | cut -d' ' -f2)" = 0 ]; }; }; then
        echo "FAIL server_suites.sh: $s.sh on a server did not finish (exit status $rc)"
        echo "0 1" >>"$RESULTS"
    fi
    [ "$rc" = 0 ] || status=1
done
exit $status
