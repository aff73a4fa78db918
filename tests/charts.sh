#!/usr/bin/env bash
# Charts through the real host: the gallery's Lua draws the gallery's pictures, bad specs name
# their field, charts are deterministic and a second build reuses every one.
# GALLERY_WRITE=1 (make gallery) redraws scripts/gallery/*.png on purpose instead of comparing.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
GALLERY="$ROOT/scripts/gallery"

mkdir -p proj/scripts/pages
cp "$ROOT/register/demo/riskreg.lua" proj/
cp -r "$ROOT/register/demo/scripts" "$ROOT/register/demo/templates" proj/
"$RISKREG" -C proj import -q "$ROOT/register/demo/data" --on 2026-11-20 2>/dev/null

# the gallery: every ```lua block of scripts/CHARTS.md as a page script
awk -v out="$TMP/proj/scripts/pages" '
    /^```lua$/ { n++; file = sprintf("%s/gallery-%02d.lua", out, n); inside = 1; next }
    /^```$/ && inside { inside = 0; close(file); next }
    inside { print > file }
' "$ROOT/scripts/CHARTS.md"

t "the gallery's Lua runs and draws a picture per example"
rr -C proj build
is_rc 0
n=$(ls proj/scripts/pages/gallery-*.lua | wc -l)
drawn=$(ls proj/public/charts/gallery-*.png 2>/dev/null | wc -l)
is_eq "$drawn" "$n" "gallery charts"

if [ -n "${GALLERY_WRITE:-}" ]; then
    mkdir -p "$GALLERY"
    rm -f "$GALLERY"/*.png
    for f in proj/public/charts/gallery-*.png; do
        name=$(basename "$f" | sed -E 's/^gallery-(.*)-[0-9a-f]{16}\.png$/\1/')
        cp "$f" "$GALLERY/$name.png"
    done
    echo "wrote $(ls "$GALLERY" | wc -l) pictures to scripts/gallery/" >&2
fi

t "the gallery's pictures are what its Lua draws (make gallery redraws them on purpose)"
for f in proj/public/charts/gallery-*.png; do
    name=$(basename "$f" | sed -E 's/^gallery-(.*)-[0-9a-f]{16}\.png$/\1/')
    if ! cmp -s "$f" "$GALLERY/$name.png"; then
        _fail "scripts/gallery/$name.png differs from what CHARTS.md draws: look at both, then run make gallery"
    fi
    grep -q "(gallery/$name.png)" "$ROOT/scripts/CHARTS.md" || _fail "CHARTS.md does not show gallery/$name.png"
done

t "the charts are PNG images twice the size the page shows them"
file_has proj/public/index.html 'srcset="charts/heatmap-residual-'
w=$(od -An -tu1 -j16 -N8 proj/public/charts/gallery-line-*.png | awk '{ print $3 * 256 + $4, $7 * 256 + $8 }')
is_eq "$w" "1280 480" "gallery line chart pixels"

t "every chart on every page has alt text, width and height"
missing=$(grep -rhoE '<img [^>]*>' --include='*.html' proj/public | grep -vE 'alt="[^"]+"' | head -3)
is_eq "$missing" "" "images without alt"
nosize=$(grep -rhoE '<img [^>]*>' --include='*.html' proj/public | grep -vE 'width="[0-9]+" height="[0-9]+"' | head -3)
is_eq "$nosize" "" "images without a size"
file_has proj/public/index.html 'alt="Residual risks: '

t "every page's charts exist"
for img in $(grep -rhoE 'src="[^"]*charts/[^"]+"' --include='*.html' proj/public | sed -E 's/src="(\.\.\/)*//; s/"$//' | sort -u); do
    [ -f "proj/public/$img" ] || _fail "missing $img"
done

t "a second build draws nothing and reuses every chart, byte for byte"
first=$(cd proj/public/charts && sha256sum * | sha256sum)
count=$(ls proj/public/charts | wc -l)
rr -C proj build
is_rc 0
out_has "; charts: 0 drawn, "
is_eq "$(cd proj/public/charts && sha256sum * | sha256sum)" "$first" "charts"
is_eq "$(ls proj/public/charts | wc -l)" "$count" "chart files"

t "a fresh build elsewhere draws the same files (deterministic)"
cp -r proj proj2
rm -rf proj2/public
rr -C proj2 build
is_rc 0
out_has "reused) in"
is_eq "$(cd proj2/public/charts && sha256sum * | sha256sum)" "$first" "charts"

t "a reassessment redraws only what changed"
"$RISKREG" -C proj assess R-010 3 3 2 2 --on 2026-11-24 >/dev/null
rr -C proj build
is_rc 0
drawn=$(printf '%s\n' "$out" | sed -nE 's/.*charts: ([0-9]+) drawn.*/\1/p')
[ "$drawn" -ge 1 ] && [ "$drawn" -le 12 ] || _fail "$drawn charts drawn after one reassessment"

bad_spec() { # bad_spec LUA MESSAGE: a page script with a bad chart spec fails the build, naming the field
    printf 'local chart = require "riskreg.chart"\n%s\n' "$1" >proj/scripts/pages/zz-bad.lua
    rr -C proj build --out "$TMP/bad-site"
    rm -f proj/scripts/pages/zz-bad.lua
    is_rc 1
    err_has "$2"
    err_has "zz-bad.lua:2:"
}

t "a heat map of 7x7 names counts"
bad_spec 'local row = {0,0,0,0,0,0,0} chart.heatmap { alt = "x", counts = { row, row, row, row, row, row, row } }' \
    "riskreg.chart.heatmap: counts must be a 3x3 to 6x6 matrix (it has 7 rows)"
t "a line without series names series"
bad_spec 'chart.line { alt = "x", labels = { "a", "b" } }' "riskreg.chart.line: series must be a list"
t "a value of the wrong type names its place"
bad_spec 'chart.bar { alt = "x", labels = { "a", "b" }, series = { { values = { 1, "two" } } } }' \
    "riskreg.chart.bar: series[1].values[2] must be a number or nil (a gap), not a string"
t "a non-finite number names its place"
bad_spec 'chart.line { alt = "x", labels = { "a" }, series = { { values = { 0/0 } } } }' \
    "riskreg.chart.line: series[1].values[1] is not a finite number"
t "a 1 x 1 pixel chart names size"
bad_spec 'chart.sparkline { alt = "x", values = { 1, 2 }, size = { 1, 1 } }' \
    "riskreg.chart.sparkline: size 1 x 1 is out of range"
t "a chart without alt text is refused"
bad_spec 'chart.donut { labels = { "a" }, values = { 1 } }' "riskreg.chart.donut: alt is required"
t "a colour that is not a colour names it"
bad_spec 'chart.donut { alt = "x", labels = { "a" }, values = { 1 }, colours = { "red" } }' \
    "riskreg.chart.donut: colours[1] must be a colour"
t "a negative donut part names it"
bad_spec 'chart.donut { alt = "x", labels = { "a", "b" }, values = { 1, -2 } }' \
    "riskreg.chart.donut: values[2] must be a number of 0 or more"

done_testing
