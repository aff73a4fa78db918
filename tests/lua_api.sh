#!/usr/bin/env bash
# Every example in scripts/README.md, run through the real host as a page script of the demo
# register: the documented API does what the documentation says.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

mkdir -p proj/scripts/pages
cp "$ROOT/register/demo/riskreg.lua" proj/
"$RISKREG" -C proj import -q "$ROOT/register/demo/data" --on 2026-11-20 2>/dev/null

# the ```lua blocks, one file each, with the heading they stand under
awk -v out="$TMP/examples" '
    BEGIN { n = 0; system("mkdir -p " out) }
    /^## / { heading = substr($0, 4) }
    /^```lua$/ { n++; file = sprintf("%s/%02d.lua", out, n); print "-- " heading > file; inside = 1; next }
    /^```$/ && inside { inside = 0; close(file); next }
    inside { print > file }
' "$ROOT/scripts/README.md"

count=$(ls "$TMP/examples" | wc -l)
t "scripts/README.md has an example for each module"
[ "$count" -ge 12 ] || _fail "only $count examples"
for module in riskreg.db riskreg.site riskreg.csv riskreg.template riskreg.places riskreg.markdown riskreg.html riskreg.date riskreg.config riskreg.scoring riskreg.register lib.format; do
    grep -lq "require \"$module\"" "$TMP"/examples/*.lua || _fail "no example requires $module"
done

for example in "$TMP"/examples/*.lua; do
    heading=$(head -1 "$example" | sed 's/^-- //')
    t "scripts/README.md example $(basename "$example" .lua) ($heading) runs"
    rm -f proj/scripts/pages/*.lua
    cp "$example" proj/scripts/pages/example.lua
    rr -C proj build --out "$TMP/site"
    is_rc 0
done

t "the examples' files were written where they said"
cp "$TMP/examples/$(grep -l 'examples/hello.txt' "$TMP"/examples/*.lua | xargs basename)" proj/scripts/pages/example.lua
rr -C proj build --out "$TMP/site"
file_has site/examples/hello.txt "hello"

t "a failing example would fail the build with its line"
printf 'assert(1 == 2, "this example is wrong")\n' >proj/scripts/pages/example.lua
rr -C proj build --out "$TMP/site"
is_rc 1
err_has "proj/scripts/pages/example.lua:1: this example is wrong"

done_testing
