#!/usr/bin/env bash
# The demo site in a real browser (Chromium driven by tests/browser/site.js): every page at a
# phone and a desktop width over file:// - no console or page error, no failed request, no
# sideways scrolling, every image loaded (the 2x one on the phone) - and the review pack printed
# to an A4 PDF with no chart cut by a page break. One case per page and width. Screenshots and
# the PDF go to build/browser-screenshots/ for a reviewer to look at.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
DEMO="$ROOT/register/demo"
SHOTS="$ROOT/build/browser-screenshots"

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
    echo "$(basename "$0"): skipped: chromium not found (needs /usr/bin/chromium and node; make deps installs them)"
    done_testing
    exit
fi

t "playwright-core is installed for the browser tests (tests/browser)"
if [ ! -d "$HERE/browser/node_modules/playwright-core" ]; then
    (cd "$HERE/browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
        _fail "cannot install tests/browser/node_modules: run 'npm ci' in tests/browser"
fi

t "the demo site builds"
mkdir -p proj && cp "$DEMO/riskreg.lua" proj/
for d in scripts templates; do [ -d "$DEMO/$d" ] && cp -r "$DEMO/$d" proj/; done
rr -C proj import "$DEMO/data" --on 2026-11-20
is_rc 0
rr -C proj build
is_rc 0
if [ ! -f proj/public/index.html ]; then
    _fail "no proj/public/index.html: nothing to load in the browser"
    done_testing
    exit
fi

t "the browser checks run to the end"
rm -rf "$SHOTS" && mkdir -p "$SHOTS"
run timeout 600 node "$HERE/browser/site.js" proj/public "$SHOTS"
is_rc 0
is_eq "$err" "" "stderr of site.js"
# a case for every page of the site at each of the two widths
is_eq "$(printf '%s\n' "$out" | cut -f2 | sort -u | grep -c ' at [0-9]*x[0-9]*: ')" \
    "$(($(find proj/public -name '*.html' | wc -l) * 2))" "cases of page and width"

t "the pages of the way to certification are among those visited"
if [ -n "$(sqlite3 proj/register.db "SELECT 1 FROM requirement LIMIT 1" 2>/dev/null)" ]; then
    req=$(sqlite3 proj/register.db "SELECT id FROM requirement WHERE assessable = 'yes' LIMIT 1")
    for page in readiness/index.html "readiness/$req.html" documents/index.html audits/programme.html index.html; do
        for size in 390x844 1366x900; do
            printf '%s\n' "$out" | cut -f2 | grep -qF "$page at $size: " || _fail "$page was not visited at $size"
        done
    done
fi

# site.js's verdicts, one case each: "ok<TAB>case" or "fail<TAB>case<TAB>why" per problem
name=""
while IFS=$'\t' read -r status case why; do
    [ -n "$case" ] || continue
    [ "$case" = "$name" ] || { t "$case"; name=$case; }
    [ "$status" = ok ] || _fail "$why"
done <<<"$out"

echo "$(basename "$0"): screenshots and the printed review pack are in $SHOTS"
done_testing
