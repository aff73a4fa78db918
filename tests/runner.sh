#!/usr/bin/env bash
# The test runner cannot hide a failure: suites and unit binaries planted to die in each way
# make the run fail, and the last lines name them.
source "$(dirname "$0")/lib.sh"

# plant NAME BODY: a suite in the scratch tests folder, using the real lib.sh
plant() {
    printf '#!/usr/bin/env bash\nsource "$(dirname "$0")/lib.sh"\n%s\n' "$2" >"suites/$1.sh"
}

# a run of the scratch folder's suites (and unit binaries in units/) with the real runner
run_planted() {
    run env -u ONLY -u SKIP RISKREG="$RISKREG" UNIT_DIR="$TMP/units" bash suites/run.sh
}

reset() {
    rm -rf suites units
    mkdir -p suites units
    cp "$HERE/run.sh" "$HERE/lib.sh" suites/
    plant good 't "holds"
is_eq 1 1
done_testing'
}

t "a run of good suites passes and says so on its last line"
reset
run_planted
is_rc 0
is_eq "$(printf '%s\n' "$out" | tail -1)" "1 passed, 0 failed" "last line"

t "a suite with one failing case, then a crash, fails the run and is named"
reset
plant dies 't "fails"
is_eq 1 2
t "then the suite crashes"
kill -SEGV $$'
run_planted
is_rc 1
is_eq "$(printf '%s\n' "$out" | tail -1)" "1 passed, 1 failed" "last line"
out_has "dies.sh: never reached its summary"
out_has "killed by signal 11 (SIGSEGV)"

t "a suite stopped by an unbound variable fails the run"
reset
plant unbound 't "uses a variable nobody set"
echo "$no_such_variable"
done_testing'
run_planted
is_rc 1
out_has "unbound.sh: never reached its summary"
is_eq "$(printf '%s\n' "$out" | tail -1)" "1 passed, 1 failed" "last line"

t "a suite that exits non-zero with no failed case, or exits early with 0, fails the run"
reset
plant early_exit 't "leaves early"
is_eq 1 1
exit 0'
plant bad_status 't "passes, then fails to exit cleanly"
is_eq 1 1
done_testing
exit 3'
run_planted
is_rc 1
out_has "early_exit.sh: never reached its summary (exit status 0)"
out_has "bad_status.sh: exited with status 3 though no case failed"
is_eq "$(printf '%s\n' "$out" | tail -1)" "2 passed, 2 failed" "last line"

t "a suite killed from outside fails the run"
reset
plant killed 't "killed mid-way"
kill -KILL $$'
run_planted
is_rc 1
out_has "killed.sh: never reached its summary"
out_has "SIGKILL"

t "a unit binary that crashes fails the run and is named"
reset
printf '#!/bin/sh\necho "3 0" >>"$RESULTS"\n' >units/test_fine
printf '#!/bin/sh\nkill -SEGV $$\n' >units/test_crash
chmod +x units/test_fine units/test_crash
run_planted
is_rc 1
out_has "test_crash: never reached its summary"
is_eq "$(printf '%s\n' "$out" | tail -1)" "4 passed, 1 failed" "last line"

done_testing
