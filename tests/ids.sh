#!/usr/bin/env bash
# Safe IDs (issue 13, item 11): a record's page in the site is named after its ID, so `add`
# refuses IDs that would replace the site's own page (index) or that Windows cannot hold as a
# file name (CON, NUL, COM1, con.txt, a trailing '.'), and IDs equal but for case to one the
# register has; and a register that already holds such IDs (as one written before, or with SQL)
# still builds a site where every record has a page of its own and the register page is intact.
source "$(dirname "$0")/lib.sh"

new_register p
P=p/register.db
"$RISKREG" -C p add risks id=R-001 title="An ordinary risk" owner="Ana Ferreira" likelihood=2 impact=2 --on 2026-03-01 >/dev/null
"$RISKREG" -C p add reviews id=MR-001 held_on=2026-04-20 attendees="Board" >/dev/null

# refused ID MESSAGE: add refuses the ID with the message, exit 1, nothing written
refused() {
    local before
    before=$(fingerprint p)
    rr -C p add risks id="$1" title="Refused"
    is_rc 1
    err_has "$2"
    is_eq "$(fingerprint p)" "$before" "register after add id=$1"
}

t "add refuses the name of the site's own page in a record's folder"
refused index "id: 'index' cannot be an ID: the site's list of each kind is its folder's index.html, which this record's page would replace; choose another (e.g. index-1)"
refused INDEX "'INDEX' cannot be an ID"

t "add refuses the names Windows keeps for devices, in any case, with or without an extension"
refused CON "id: 'CON' cannot be an ID: Windows reserves the name CON for a device, so its page could not be saved there; choose another (e.g. CON-1)"
refused con.txt "id: 'con.txt' cannot be an ID: Windows reserves the name CON for a device, with any extension, so its page could not be saved there; choose another (e.g. con-1.txt)"
refused COM1 "Windows reserves the name COM1 for a device"
refused lpt9 "Windows reserves the name LPT9 for a device"
refused NUL "Windows reserves the name NUL for a device"
refused Aux.R-1 "Windows reserves the name AUX for a device, with any extension"
refused PRN "Windows reserves the name PRN for a device"

t "add refuses an ID ending with a '.'"
refused x. "id: 'x.' cannot be an ID: Windows drops a '.' at the end of a file name, so its page could not be saved under its ID; choose another (e.g. x)"
refused R.1.. "choose another (e.g. R.1)"

t "add refuses an ID equal but for case to one the register has, in any kind"
refused r-001 "id: R-001 already exists (a risk)"
before=$(fingerprint p)
rr -C p add improvements id=mr-001 title="Refused"
is_rc 1
err_has "id: MR-001 already exists (a review)"
is_eq "$(fingerprint p)" "$before" "register"

t "names that only look like those are taken: CONSOLE, COM10, COM-1, index-1, index.old, x.y"
for id in CONSOLE COM10 COM-1 index-1 index.old x.y NULL1; do
    rr -C p add risks id="$id" title="Fine"
    is_rc 0
    out_has "$id added: Fine"
done

# ---- a register that already holds such IDs -----------------------------------------------------

# As a register written before these checks would hold them (and import took them then): put in
# with SQL, around riskreg, beside records added as usual. Above the appetite, so the dashboard and the review pack link to them
# too; one closed (the register's list of closed risks); an improvement linked to one; an owner
# named Index (owners/index.html is the owners' list); a held review named PRN.
new_register o
P=o/register.db
"$RISKREG" -C o add risks id=R-001 title="An ordinary risk" owner="Ana Ferreira" likelihood=2 impact=2 --on 2026-03-01 >/dev/null
"$RISKREG" -C o add risks id=CONSOLE title="Only looks like CON" --on 2026-03-01 >/dev/null
"$RISKREG" -C o add reviews id=MR-001 held_on=2026-04-20 attendees="Board" >/dev/null
sqlite3 "$P" "
INSERT INTO risk (id, title, owner, created_on) VALUES
  ('index', 'Risk called index', 'Index', '2026-03-01'),
  ('CON', 'Risk called CON', 'Con', '2026-03-01'),
  ('nul.txt', 'Risk called nul.txt', 'Ana Ferreira', '2026-03-01'),
  ('COM1', 'Risk called COM1', 'Ana Ferreira', '2026-03-01'),
  ('lpt9', 'Risk called lpt9', 'Ana Ferreira', '2026-03-01'),
  ('x.', 'Risk called x.', 'Ana Ferreira', '2026-03-01');
INSERT INTO risk (id, title, owner, created_on, status, closed_on) VALUES
  ('aux', 'Risk called aux, closed', 'Ana Ferreira', '2026-03-01', 'closed', '2026-06-01');
INSERT INTO assessment (risk_id, assessed_on, likelihood, impact, assessor) VALUES
  ('index', '2026-03-01', 5, 5, 'tester'), ('CON', '2026-03-01', 4, 5, 'tester'),
  ('nul.txt', '2026-03-01', 1, 2, 'tester');
INSERT INTO improvement (id, title, risk_id, status, raised_on, due_on) VALUES
  ('I-001', 'Treats CON', 'CON', 'approved', '2026-03-02', '2026-05-01');
INSERT INTO review (id, status, held_on, title) VALUES ('PRN', 'held', '2026-05-20', 'Review called PRN');"
RISKS=$(sql "$P" "SELECT id FROM risk ORDER BY id")

t "the register with such IDs builds"
rr -C o build
is_rc 0
is_eq "$err" "" "stderr of the build"

t "risks/index.html is still the register: its title, and a row for every open risk"
file_has o/public/risks/index.html "<title>Risk register ·"
file_has o/public/risks/index.html "worst first by residual score"
for id in $(sql "$P" "SELECT id FROM risk WHERE status <> 'closed'"); do
    file_has o/public/risks/index.html ">$id</a></td>"
done
file_has o/public/owners/index.html "<title>Owners ·"
file_has o/public/review/index.html "<title>Management review"

# page_of FROM ID: the file the first link named ID on page FROM leads to, relative to the site
page_of() {
    local href
    href=$(grep -o -E "<a href=\"[^\"]*\">$2</a>" "o/public/$1" | head -1 | sed -E 's/^<a href="([^"#]*).*/\1/')
    [ -n "$href" ] && realpath -m --relative-to=o/public "o/public/$(dirname "$1")/$href"
}

t "each risk's link on the register page leads to that risk's own page"
files=""
for id in $RISKS; do
    f=$(page_of risks/index.html "$id")
    if [ -z "$f" ] || [ ! -f "o/public/$f" ]; then
        _fail "the register's link to $id leads to '${f:-nothing}', not a file"
        continue
    fi
    title=$(sql "$P" "SELECT title FROM risk WHERE id = '$id'")
    file_has "o/public/$f" "<title>$id $title ·"
    files="$files$f"$'\n'
done
is_eq "$(printf %s "$files" | wc -l)" "$(echo "$RISKS" | wc -l)" "risks with a page"

t "no two risks share a page, even on a file system that ignores case"
is_eq "$(printf %s "$files" | tr '[:upper:]' '[:lower:]' | sort -u | wc -l)" "$(echo "$RISKS" | wc -l)" "distinct pages"

t "an ordinary ID's page keeps its name; the others are named with a '_' before the ID"
is_eq "$(page_of risks/index.html R-001)" "risks/R-001.html"
is_eq "$(page_of risks/index.html CONSOLE)" "risks/CONSOLE.html"
is_eq "$(page_of risks/index.html index)" "risks/_index.html"
is_eq "$(page_of risks/index.html CON)" "risks/_CON.html"
is_eq "$(page_of risks/index.html nul.txt)" "risks/_nul.txt.html"
is_eq "$(page_of risks/index.html x.)" "risks/_x..html"
is_eq "$(page_of risks/index.html aux)" "risks/_aux.html"

t "the held review PRN has its own record page, linked from the pack"
f=$(page_of review/index.html PRN)
is_eq "$f" "review/_PRN.html"
[ -f "o/public/$f" ] && file_has "o/public/$f" "<title>PRN Review called PRN ·"

t "the owners Index and Con have pages of their own"
is_eq "$(page_of owners/index.html Index)" "owners/_index.html"
is_eq "$(page_of owners/index.html Con)" "owners/_con.html"
[ -f o/public/owners/_index.html ] && file_has o/public/owners/_index.html "<title>Index ·"

t "no file of the site has a name Windows keeps for a device"
is_eq "$(find o/public -printf '%f\n' | cut -d. -f1 | grep -i -x -E 'con|prn|aux|nul|com[0-9]|lpt[0-9]')" "" "reserved names"

t "every link to a record's page, on every page, leads to a file of the site"
bad=""
while IFS=: read -r page href; do
    href=${href#href=\"}
    href=${href%\"}
    href=${href%%#*}
    case $href in "" | http* | mailto:* | data:*) continue ;; esac
    [ -f "$(realpath -m "$(dirname "$page")/$href")" ] || bad="$bad $page->$href"
done < <(grep -r -o -E --include='*.html' 'href="[^"]*"' o/public)
is_eq "$bad" "" "broken links"
for id in index CON; do # above the appetite: asked about on the dashboard
    grep -qF "href=\"risks/_$id.html\">$id</a>" o/public/index.html || _fail "the dashboard does not link $id to its page"
done
grep -qF 'href="../risks/_CON.html">CON</a>' o/public/improvements/index.html || _fail "I-001 does not link to CON's page"

t "import refuses the same IDs, each with its reason, and writes nothing; a record already held under one still updates"
new_register im
fp=$(fingerprint im)
csv risks.csv "id,title" "R-1,Fine" "CON,Console" "index,Index" "Lpt1.old,Printer"
rr -C im import --kind risks risks.csv
is_rc 1
err_has "riskreg: risks.csv:3: column 'id': 'CON' cannot be an ID: Windows reserves the name CON for a device"
err_has "riskreg: risks.csv:4: column 'id': 'index' cannot be an ID: the site's list of each kind is its folder's index.html"
err_has "riskreg: risks.csv:5: column 'id': 'Lpt1.old' cannot be an ID"
is_eq "$(fingerprint im)" "$fp" "register fingerprint (nothing may be written)"
csv risks.csv "id,title" "CON,Console renamed"
rr -C o import --kind risks risks.csv
is_rc 0
out_has "1 updated"
is_eq "$(sql o/register.db "SELECT title FROM risk WHERE id = 'CON'")" "Console renamed" "CON's title"

done_testing
