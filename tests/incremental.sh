#!/usr/bin/env bash
# A rebuild renders only what its changes need (issue 16): a page whose fingerprint (its
# variables, template.globals, the scripts, templates and settings, the program, and what the
# project's own code read from the register) is the one it was last rendered from is kept from
# the published site. It must never publish a stale page: a record, a setting, a template, a
# script and a built-in file are changed one at a time, and each time the rebuilt site is, byte
# for byte, the site a cold build gives, and exactly the pages that depend on the change differ
# from the site before it.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
GEN="$ROOT/tests/bench/generate.awk"

# built: the "pages: R rendered, K kept" figures of the last build's output, as "R K"
built() { printf '%s\n' "$out" | sed -nE 's/.*\(pages: ([0-9]+) rendered, ([0-9]+) kept;.*/\1 \2/p'; }
# total: the pages of the last build, rendered and kept
total() { read -r r k <<<"$(built)"; echo $((r + k)); }
# same_as_cold PROJECT: its published site is the one a cold build (a new folder) gives
same_as_cold() {
    rm -rf cold
    "$RISKREG" -C "$1" build --quiet --out "$PWD/cold" 2>cold.err || _fail "the cold build failed: $(cat cold.err)"
    diff -r --exclude=.riskreg-site "$1/public" cold >cold.diff ||
        _fail "the rebuilt site differs from a cold build: $(head -c 600 cold.diff)"
}
# keep_copy PROJECT: the published site as it is now, to compare the next one with
keep_copy() { rm -rf before && cp -a "$1/public" before; }
# changed_since PROJECT: the files that differ from the copy (pages only: .html), sorted
changed_since() {
    diff -rq --exclude=.riskreg-site before "$1/public" 2>/dev/null |
        sed -nE 's|^Files before/(.*) and .* differ$|\1|p' | grep '\.html$' | sort
}

mkdir gen
awk -v n=60 -v seed=7 -v out=gen -f "$GEN"
new_register p
"$RISKREG" -C p import -q gen >/dev/null 2>&1 || echo "cannot import the generated register" >&2
npages=0

t "the first build renders every page; a rebuild with nothing changed renders none and changes no byte"
rr -C p build
is_rc 0
read -r rendered kept <<<"$(built)"
[ "${rendered:-0}" -gt 60 ] && [ "$kept" = 0 ] || _fail "first build: '$rendered' rendered, '$kept' kept"
npages=$rendered
keep_copy p
rr -C p build
is_rc 0
is_eq "$(built)" "0 $npages" "pages rendered and kept by a rebuild"
diff -r before p/public >/dev/null || _fail "a rebuild changed the site"
same_as_cold p

t "a record: one reassessed risk renders the few pages that show it, and the site is a cold build's"
keep_copy p
rr -C p assess R-00007 5 5 2 2 --on 2026-11-24
is_rc 0
rr -C p build
is_rc 0
read -r rendered kept <<<"$(built)"
[ "$rendered" -ge 3 ] && [ "$rendered" -le 12 ] || _fail "$rendered pages rendered for one reassessed risk"
is_eq "$((rendered + kept))" "$npages" "pages in all"
changed=$(changed_since p)
for page in risks/R-00007.html risks/index.html index.html; do
    grep -qx "$page" <<<"$changed" || _fail "$page did not change (changed: $(echo $changed))"
done
others=$(grep '^risks/R-' <<<"$changed" | grep -vx risks/R-00007.html)
[ -z "$others" ] || _fail "other risks' pages changed: $others"
file_has p/public/risks/R-00007.html '2026-11-24'
same_as_cold p

t "a setting: the appetite in riskreg.lua reaches every page that shows it, and only those"
keep_copy p
sed -i -E 's/^( *appetite *= *)[0-9]+/\112/' p/riskreg.lua
grep -q 'appetite = 12' p/riskreg.lua || _fail "the test could not change the appetite"
rr -C p build
is_rc 0
is_eq "$(built)" "$npages 0" "pages rendered after a setting changed"
grep -qx risks/index.html <<<"$(changed_since p)" || _fail "the register page did not change"
same_as_cold p

t "a template: the project's copy of risk.html changes the risk pages and nothing else"
keep_copy p
mkdir -p p/templates
sed 's|^<%- place("top") -%>$|&<p class="marker">copied template</p>|' "$ROOT/report-templates/risk.html" >p/templates/risk.html
grep -q 'copied template' p/templates/risk.html || _fail "the test could not change the template"
rr -C p build
is_rc 0
changed=$(changed_since p)
is_eq "$(grep -vc '^risks/R-' <<<"$changed")" 0 "pages other than risk pages that changed"
is_eq "$(grep -c '^risks/R-' <<<"$changed")" 60 "risk pages that changed"
file_has p/public/risks/R-00031.html 'copied template'
same_as_cold p
rm p/templates/risk.html

t "a script: a place filled from scripts/extend.lua shows on the pages that have it"
rr -C p build --quiet
keep_copy p
mkdir -p p/scripts
cat >p/templates/owner_note.html <<'EOF'
<p class="owner-note">Ask <%= page.r.owner or "nobody" %> first.</p>
EOF
cat >p/scripts/extend.lua <<'EOF'
local places = require "riskreg.places"
places.add("risk.html", "facts", { template = "owner_note.html" })
EOF
rr -C p build
is_rc 0
changed=$(changed_since p)
is_eq "$(grep -vc '^risks/R-' <<<"$changed")" 0 "pages other than risk pages that changed"
owner=$(sql p/register.db "SELECT owner FROM risk WHERE id = 'R-00012'")
file_has p/public/risks/R-00012.html "Ask $owner first."
same_as_cold p

t "a built-in file: a change to riskreg's own owner page template reaches the owner pages only"
mkdir home
cp -r "$ROOT/scripts" "$ROOT/report-templates" home/
[ -d "$ROOT/register" ] && cp -r "$ROOT/register" home/
export RISKREG_DATADIR=$PWD/home
rr -C p build --quiet
keep_copy p
sed -i 's|^<%- place("top") -%>$|&<p class="marker">new built-in</p>|' home/report-templates/owner.html
grep -q 'new built-in' home/report-templates/owner.html || _fail "the test could not change owner.html"
rr -C p build
is_rc 0
changed=$(changed_since p)
[ -n "$changed" ] || _fail "no page changed"
is_eq "$(grep -vc '^owners/' <<<"$changed")" 0 "pages other than owner pages that changed"
same_as_cold p
unset RISKREG_DATADIR

t "a page whose place reads the register while it renders is rendered at every build, never stale"
cat >p/templates/audit_count.html <<'EOF'
<p class="audits">Audits in the register: <%= count %></p>
EOF
cat >p/scripts/extend.lua <<'EOF'
local places = require "riskreg.places"
local db = require "riskreg.db"
places.add("risk.html", "facts", { template = "audit_count.html", vars = function(page)
  return { count = db.value("SELECT count(*) FROM audit") }
end })
EOF
rr -C p build --quiet
before_count=$(sql p/register.db "SELECT count(*) FROM audit")
file_has p/public/risks/R-00003.html "Audits in the register: $before_count"
rr -C p build
read -r rendered kept <<<"$(built)"
[ "$rendered" -ge 60 ] || _fail "only $rendered pages rendered: the risk pages read the register as they render"
rr -C p add audits title="Extra supplier audit" kind=internal status=planned planned_on=2027-02-01
is_rc 0
rr -C p build --quiet
file_has p/public/risks/R-00003.html "Audits in the register: $((before_count + 1))"
same_as_cold p

t "what the project's script read before the pages were made is part of every page's fingerprint"
cat >p/scripts/extend.lua <<'EOF'
local places = require "riskreg.places"
local db = require "riskreg.db"
local count = db.value("SELECT count(*) FROM audit")
places.add("risk.html", "facts", { template = "audit_count.html", vars = { count = count } })
EOF
rr -C p build
npages=$(total) # the register has two audits more than at first, and their pages
rr -C p build
is_eq "$(built)" "0 $npages" "pages rendered when nothing changed"
n=$(sql p/register.db "SELECT count(*) FROM audit")
rr -C p add audits title="Another audit" kind=internal status=planned planned_on=2027-03-01
is_rc 0
rr -C p build --quiet
file_has p/public/risks/R-00003.html "Audits in the register: $((n + 1))"
same_as_cold p

t "a place that counts risks through riskreg.register (rows read once, kept in memory) is never stale"
cat >p/templates/risk_count.html <<'EOF'
<p class="risks">Risks in the register: <%= count %></p>
EOF
cat >p/scripts/extend.lua <<'EOF'
local places = require "riskreg.places"
local register = require "riskreg.register"
local site = require "riskreg.site"
places.add("risk.html", "facts", { template = "risk_count.html", vars = function(page)
  return { count = #register.risks { as_of = site.as_of } }
end })
EOF
rr -C p build --quiet
n=$(sql p/register.db "SELECT count(*) FROM risk")
file_has p/public/risks/R-00003.html "Risks in the register: $n"
rr -C p add risks title="A risk added later" owner=Kim likelihood=2 impact=2 --on 2026-11-24
is_rc 0
rr -C p build --quiet
file_has p/public/risks/R-00003.html "Risks in the register: $((n + 1))"
same_as_cold p
# the same count taken once, when extend.lua runs, and handed to the place as it is
cat >p/scripts/extend.lua <<'EOF'
local places = require "riskreg.places"
local register = require "riskreg.register"
local site = require "riskreg.site"
local count = #register.risks { as_of = site.as_of }
places.add("risk.html", "facts", { template = "risk_count.html", vars = { count = count } })
EOF
rr -C p build
npages=$(total)
rr -C p build
is_eq "$(built)" "0 $npages" "pages rendered when nothing changed"
rr -C p add risks title="Another risk added later" owner=Kim likelihood=2 impact=2 --on 2026-11-24
is_rc 0
rr -C p build
npages=$(total)
file_has p/public/risks/R-00003.html "Risks in the register: $((n + 2))"
same_as_cold p

t "a page that looks at the clock is rendered at every build"
cat >p/templates/clock.html <<'EOF'
<p class="built">Made in <%= os.date("%Y") %></p>
EOF
cat >p/scripts/extend.lua <<'EOF'
local places = require "riskreg.places"
places.add("index.html", "end", { template = "clock.html" })
EOF
rr -C p build --quiet
rr -C p build
is_eq "$(built)" "1 $((npages - 1))" "pages rendered when only the clock may have changed"
rm p/scripts/extend.lua

t "a site from an older riskreg (a manifest without page fingerprints) is rendered whole once"
rr -C p build --quiet
sed -i '/^page /d' p/public/.riskreg-site
rr -C p build
is_eq "$(built)" "$npages 0" "pages rendered over an older site"
same_as_cold p

t "another date: a build as of an earlier day renders its own pages, the same as a cold one"
rr -C p build --as-of 2026-10-01
is_rc 0
read -r rendered kept <<<"$(built)"
[ "$rendered" -gt 0 ] || _fail "nothing rendered for another date"
rm -rf cold
"$RISKREG" -C p build --quiet --as-of 2026-10-01 --out "$PWD/cold"
diff -r --exclude=.riskreg-site p/public cold >cold.diff || _fail "differs from a cold build: $(head -c 400 cold.diff)"

t "the demo: one change, then the site is its cold build's, with its own scripts and templates"
cp -r "$ROOT/register/demo/riskreg.lua" "$ROOT/register/demo/scripts" "$ROOT/register/demo/templates" \
    "$ROOT/register/demo/data" .
mkdir demo
mv riskreg.lua scripts templates demo/
"$RISKREG" -C demo import -q data --on 2026-11-20 >/dev/null 2>&1 || echo "cannot import the demo" >&2
rr -C demo build --quiet
is_rc 0
rr -C demo set R-003 owner="Sam Quinn"
is_rc 0
rr -C demo build
is_rc 0
read -r rendered kept <<<"$(built)"
[ "$kept" -gt 100 ] || _fail "only $kept of the demo's pages kept after one change"
file_has demo/public/risks/R-003.html "Sam Quinn"
same_as_cold demo

t "the scripts' CPU budget counts their own thread, not the chart workers drawing beside it"
mkdir gen2
awk -v n=1000 -v seed=11 -v out=gen2 -f "$GEN"
new_register big
"$RISKREG" -C big import -q gen2 >/dev/null 2>&1 || echo "cannot import 1,000 risks" >&2
/usr/bin/time -f "%U %S" -o cpu.txt "$RISKREG" -C big build --quiet --jobs 2 --out "$PWD/c1" 2>build.err ||
    _fail "the cold build failed: $(cat build.err)"
# half the CPU time of a cold build: its charts take most of it, on the workers
budget=$(awk '{ printf "%.2f", ($1 + $2) / 2 }' cpu.txt)
rr -C big build --jobs 2 --out "$PWD/c2" --script-timeout "$budget"
is_rc 0
err_lacks "longer than"
diff -r c1 c2 >/dev/null || _fail "the two cold builds differ"

done_testing
