#!/usr/bin/env bash
# make install: into DESTDIR with PREFIX, and the installed riskreg works with no source tree.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

t "make install puts the program, scripts and templates under DESTDIR/PREFIX"
run make -s -C "$ROOT" install DESTDIR="$TMP/stage" PREFIX=/opt/riskreg
is_rc 0
[ -x stage/opt/riskreg/bin/riskreg ] || _fail "no installed binary"
[ -d stage/opt/riskreg/share/riskreg/scripts ] || _fail "no scripts"
[ -d stage/opt/riskreg/share/riskreg/report-templates ] || _fail "no templates"

t "the installed riskreg works away from the source tree"
cp stage/opt/riskreg/bin/riskreg ./installed-riskreg
cp "$ROOT/register/demo/data/risks.csv" "$ROOT/register/demo/data/assessments.csv" .
run ./installed-riskreg init proj
is_rc 0
run ./installed-riskreg -C proj import risks.csv assessments.csv
is_rc 0
out_has "risks.csv: 60 risks added"
run ./installed-riskreg -C proj verify
is_rc 0

done_testing
