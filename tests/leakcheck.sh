#!/usr/bin/env bash
# Leaks and memory errors (issue 6, item 4): valgrind memcheck over init, import of the demo data,
# build of the demo register (--jobs 1 and the default threads, drawing and reusing charts),
# verify, export, list, show and the other commands, and over some failing runs (their error
# paths free too): no definite or indirect leak, no memory error.
#
# Slow (a minute or more), so `make test` skips it: `make leakcheck` runs it with LEAKCHECK=1.
source "$(dirname "$0")/lib.sh"
if [ "${LEAKCHECK:-}" != 1 ]; then # skipped: a summary of no cases, so the run knows it finished
    done_testing
    exit
fi
ROOT="$HERE/.."
DEMO="$ROOT/register/demo"
LOGS="$TMP/valgrind"
mkdir -p "$LOGS"

if ! command -v valgrind >/dev/null 2>&1; then
    t "valgrind is installed"
    _fail "valgrind is not installed: apt-get install valgrind (make leakcheck does)"
    done_testing
    exit
fi

runs=0
# vg WANT ARGS...: riskreg ARGS under memcheck; the run must exit WANT and valgrind must find
# nothing (exit 99 and a log otherwise; the log, with its stacks, is printed on failure)
vg() {
    local want=$1 log
    shift
    runs=$((runs + 1))
    log="$LOGS/run-$runs.log"
    # riskreg's allocator is mimalloc's: memcheck puts its own in that library's place too
    # (where operator delete and free are one function there, so mismatches are not told apart)
    run valgrind -q --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --num-callers=40 \
        --soname-synonyms=somalloc='libmimalloc.so*' --show-mismatched-frees=no \
        --log-file="$log" "$RISKREG" "$@"
    if [ "$rc" = 99 ]; then
        _fail "valgrind: riskreg $*:"
        sed 's/^==[0-9]*== //' "$log" | head -150 >&2
    elif [ -s "$log" ]; then # valgrind's warnings, not errors: shown, not counted
        sed "s/^==[0-9]*== /     leakcheck.sh: riskreg $1 $2 $3: /" "$log" | head -5 >&2
    fi
    [ "$rc" = 99 ] || [ "$rc" = "$want" ] || _fail "riskreg $* exited $rc, expected $want: ${err:0:300}"
}

t "init and import of the demo data"
vg 0 init -q proj
cp "$DEMO/riskreg.lua" proj/
for d in scripts templates; do [ -d "$DEMO/$d" ] && cp -r "$DEMO/$d" proj/; done
vg 0 -C proj import "$DEMO/data" --on 2026-11-20
vg 0 -C proj import "$DEMO/data" --on 2026-11-20 --dry-run

t "build with one thread, drawing every chart"
vg 0 -C proj build --jobs 1 --out proj/one
[ -f proj/one/index.html ] || _fail "no site was built"

t "build with the default threads, drawing every chart, then reusing them"
vg 0 -C proj build
[ -f proj/public/index.html ] || _fail "no site was built"
vg 0 -C proj build --period 2026-Q3 --out proj/q3

t "verify, export, list, show, log, due, check"
vg 0 -C proj verify
vg 0 -C proj export --out exported
vg 0 -C proj export --format json --out exported.json
vg 0 -C proj export --kind risks --as-of 2025-06-30
vg 0 -C proj list risks
vg 0 -C proj list risks status=open --json
vg 0 -C proj list improvements --overdue
vg 0 -C proj show R-001
vg 0 -C proj show R-001 --json
vg 0 -C proj log R-001
vg 0 -C proj due --within 30
vg 1 -C proj check
vg 0 -C proj help import

t "the write commands"
vg 0 -C proj add risks title="Leak check" owner="Ana Ferreira" likelihood=3 impact=4
id=$(sql proj/register.db "SELECT id FROM risk WHERE title = 'Leak check'")
vg 0 -C proj assess "$id" 2 4 --note "checked"
vg 0 -C proj set "$id" status=treating --note "under way"
vg 0 -C proj add improvements title="Fix the leak" risk_id="$id"
vg 0 -C proj close "$id" --note "done"
vg 0 -C proj verify

t "failing runs free what they took: a bad CSV, a script error, a usage error, a tampered register"
printf 'id,title,likelihood,impact\nR-900,Bad,7,1\nR-901,Worse,2\n' >risks.csv
vg 1 -C proj import risks.csv
mkdir -p proj/scripts/pages && printf 'error("a page script gave up")\n' >proj/scripts/pages/zz.lua
vg 1 -C proj build
rm -f proj/scripts/pages/zz.lua
vg 2 -C proj build --period 2026-Q9
vg 2 -C proj lsit
cp -r proj tampered
sqlite3 tampered/register.db "UPDATE risk SET owner = 'Mallory' WHERE id = 'R-001'"
vg 1 -C tampered verify

echo "     leakcheck.sh: $runs runs of riskreg under valgrind memcheck" >&2
done_testing
