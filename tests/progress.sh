#!/usr/bin/env bash
# The progress line on stderr: drawn for imports and builds on a terminal (a pseudo-terminal from
# util-linux's script here), never into a pipe or file, nor with --quiet, NO_COLOR or TERM=dumb.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$HERE/.." && pwd)
command -v script >/dev/null || { echo "progress.sh: util-linux 'script' is missing" >&2; exit 1; }

# on_tty CMD...: run CMD with stdout and stderr on a pseudo-terminal; $out gets what it showed
on_tty() {
    local line
    printf -v line '%q ' "$@"
    out=$(TERM=${TERM_FOR_TEST:-xterm} script -qec "$line" /dev/null)
    rc=$?
}

project() { # a copy of the demo project without its register
    rm -rf "$1"
    cp -r "$ROOT/register/demo" "$1"
    rm -rf "$1"/register.db* "$1/public"
}

project d
t "an import on a terminal shows its progress, then clears it for the summary"
on_tty "$RISKREG" -C d import d/data
is_rc 0
out_has $'\rImporting  checking  '
out_has $'\rImporting  writing  '
out_has " rows"
out_has "█"
# the last progress line is cleared before the summary is printed
out_has $' rows\e[K\r\e[Kd/data/risks.csv: 60 risks added'
out_has $'\nimported 16 files'

t "a build on a terminal counts charts and files"
on_tty "$RISKREG" -C d build
is_rc 0
out_has $'\rBuilding 2026-Q4'
out_has " charts"
out_has " files"
out_has $'\e[Kbuilt 2026-Q4 as of 2026-11-25'

t "nothing but the messages when stderr is a pipe or a file"
project p
"$RISKREG" -C p import p/data >out.txt 2>err.txt
is_eq "$?" "0" "exit"
is_eq "$(cat err.txt)" "" "stderr"
grep -q $'\r' out.txt && _fail "stdout holds a carriage return"
"$RISKREG" -C p build >out.txt 2>err.txt
is_eq "$(cat err.txt)" "" "stderr of build"

t "no progress line with --quiet, NO_COLOR or TERM=dumb"
project q
on_tty "$RISKREG" -C q --quiet import q/data
is_rc 0
is_eq "$out" "" "terminal output with --quiet"
on_tty env NO_COLOR=1 "$RISKREG" -C q build
out_lacks "Building"
out_has "built 2026-Q4"
TERM_FOR_TEST=dumb on_tty "$RISKREG" -C q build
out_lacks "Building"
out_has "built 2026-Q4"

t "errors are printed on lines of their own, not after the progress line"
project e
printf 'title,likelihood\nGood,3\nBad,eleven\n' >e/bad.csv
on_tty "$RISKREG" -C e import e/bad.csv --kind risks
is_rc 1
out_has "bad.csv:3"
out_has "nothing was imported"
# every message starts a line: after a newline, or after the progress line was erased
printf '%s' "$out" | tr '\r' '\n' | grep -n 'riskreg: ' | grep -v -e ':riskreg: ' -e $':\e\[Kriskreg: ' &&
    _fail "a message shares its line with the progress line"
is_eq "$(sql e/register.db "SELECT count(*) FROM risk")" "0" "risks written"

done_testing
