#!/usr/bin/env bash
# Bad files everywhere (issue 6, item 8): each bad file or folder gives one line on stderr,
# `riskreg: FILE...`, naming the file and what to do, exit 1, and changes nothing (register and
# published site byte for byte as before). Corrupt, truncated and newer registers, riskreg.lua
# syntax and type errors and template errors are in register.sh and build.sh.
source "$(dirname "$0")/lib.sh"
ROOT="$HERE/.."
DEMO="$ROOT/register/demo"
ROBUST="$DATA/robust"


# one_line NAME: exit 1, nothing on stdout, one line on stderr that starts 'riskreg: ' and names NAME
one_line() {
    is_rc 1
    local n
    n=$(printf '%s\n' "$err" | grep -c .)
    [ "$n" = 1 ] || _fail "$n lines on stderr: ${err:0:400}"
    case $err in "riskreg: "*"$1"*) ;; *) _fail "the message does not start with 'riskreg: ' and name $1: ${err:0:300}" ;; esac
}
# advises REGEX WHAT: the message says what to do
advises() { printf '%s\n' "$err" | grep -qiE -- "$1" || _fail "the message does not say what to do ($2): ${err:0:300}"; }
# unchanged PROJECT: the register and the published site are byte for byte as saved by save
save() { saved_db=$(fingerprint "$1") saved_site=$(tree_fp "$1/public"); }
unchanged() {
    is_eq "$(fingerprint "$1")" "$saved_db" "the register of $1"
    is_eq "$(tree_fp "$1/public")" "$saved_site" "the site of $1"
    is_eq "$(staging_of "$1")" "" "staging folders left in $1"
}

# as_other CMD...: run CMD as a user that file permissions apply to (root ignores them): ourselves
# when not root, else nobody through setpriv; returns 1 (and says why) when neither can be done
OTHER=""
if [ "$(id -u)" != 0 ]; then
    OTHER=self
elif command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
    OTHER=nobody
    chmod 711 "$TMP" # nobody walks into the test folder, and only into what it is given
fi
as_other() {
    case $OTHER in
    self) run "$@" ;;
    nobody) run setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups "$@" ;;
    esac
}
give_other() { [ "$OTHER" = nobody ] && chown -R nobody: "$@"; return 0; }
skip_unless_other() {
    [ -n "$OTHER" ] && return 0
    echo "     badfiles.sh: $_case: skipped (running as root without setpriv)" >&2
    return 1
}

# the demo project, built once; every case works on a copy
mkdir -p proj && cp "$DEMO/riskreg.lua" proj/
for d in scripts templates; do [ -d "$DEMO/$d" ] && cp -r "$DEMO/$d" proj/; done
"$RISKREG" -C proj import "$DEMO/data" --on 2026-11-20 >/dev/null 2>&1
"$RISKREG" -C proj build --quiet >/dev/null 2>&1
[ -f proj/public/index.html ] || echo "     badfiles.sh: the demo project did not build" >&2
copy() { rm -rf "$1" && cp -a proj "$1"; }

# ---- the site ----------------------------------------------------------------------------------

t "no font for the charts: one line naming the font package to install; the site is kept"
copy font
# a change, so that charts must be drawn (unchanged ones are reused without a font)
"$RISKREG" -C font assess "$(sql font/register.db "SELECT id FROM risk WHERE status <> 'closed' ORDER BY id LIMIT 1")" 1 1 >/dev/null
save font
mkdir -p nofonts
cat >nofonts/fonts.conf <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <cachedir>$TMP/nofonts/cache</cachedir>
</fontconfig>
EOF
FONTCONFIG_FILE="$TMP/nofonts/fonts.conf" FONTCONFIG_PATH="$TMP/nofonts" HOME="$TMP/nofonts" \
    XDG_DATA_HOME="$TMP/nofonts" XDG_CONFIG_HOME="$TMP/nofonts" XDG_CACHE_HOME="$TMP/nofonts" XDG_DATA_DIRS="$TMP/nofonts" \
    run "$RISKREG" -C font build
one_line "font"
advises "install fonts-dejavu" "the package to install"
unchanged font

t "--out under a file (somefile/public): one line naming it and what to do, even for root"
copy under
echo "a file, not a folder" >somefile
save under
rr -C under build --out somefile/public
one_line "somefile/public"
# "Not a directory" alone would leave the user guessing: the message says what to do
advises "--out|another|move|folder" "give another --out"
is_eq "$(cat somefile)" "a file, not a folder" "somefile"
unchanged under

t "--out a file: one line naming it, the file left alone"
echo "notes" >outfile
rr -C under build --out outfile
one_line "outfile"
advises "--out" "give a new or empty folder with --out"
is_eq "$(cat outfile)" "notes" "the file"
unchanged under

t "an unwritable folder to hold the site (chmod 555): one line naming it and what to do"
if skip_unless_other; then
    copy ro
    mkdir -p rodir && give_other ro rodir && chmod 555 rodir
    save ro
    as_other "$RISKREG" -C ro build --out rodir/public
    one_line "rodir/public"
    # not only "Permission denied": what to do as well
    advises "permission|writ|--out" "check the folder's permissions or give another --out"
    advises "check|--out|another|chmod" "check the folder's permissions or give another --out"
    is_eq "$(ls -A rodir)" "" "rodir"
    unchanged ro
fi

t "a read-only published site (chmod 555 public): the build replaces it and leaves no copy behind"
if skip_unless_other; then
    copy rosite
    give_other rosite
    chmod 555 rosite/public
    "$RISKREG" -C rosite set R-001 title="A change for the read-only site" >/dev/null 2>&1
    give_other rosite
    as_other "$RISKREG" -C rosite build --quiet
    if [ "$rc" = 0 ]; then
        file_has rosite/public/risks/R-001.html "A change for the read-only site"
        # the old site, moved out under the staging name, has a read-only top folder (555): it is
        # made writable to be removed, not left beside the new site
        is_eq "$(staging_of rosite)" "" "staging folders left"
    else
        one_line "rosite/public"
    fi
    chmod -R u+w rosite 2>/dev/null
fi

# ---- the register and its settings -------------------------------------------------------------

t "register.db that is a folder: one line naming it and what to do"
new_register dbdir
rm -f dbdir/register.db && mkdir dbdir/register.db && echo keep >dbdir/register.db/keep
rr -C dbdir list risks
one_line "dbdir/register.db"
advises "move it|remove it|rename it" "move it away"
is_eq "$(ls -A dbdir/register.db)" "keep" "the folder"
rr -C dbdir add risks title="Nowhere to go" likelihood=2 impact=2
one_line "dbdir/register.db"

t "register.db that cannot be read: one line naming it and the permissions, nothing changed"
if skip_unless_other; then
    new_register noread
    "$RISKREG" -C noread add risks title="Private" likelihood=2 impact=2 >/dev/null
    chmod 000 noread/register.db
    give_other noread
    save noread
    as_other "$RISKREG" -C noread list risks
    one_line "noread/register.db"
    advises "permission" "check the permissions"
    as_other "$RISKREG" -C noread add risks title="Not written" likelihood=2 impact=2
    one_line "noread/register.db"
    chmod 600 noread/register.db
    unchanged noread
fi

t "riskreg.lua that is a folder: one line naming it (not 'no riskreg.lua here', not 'riskreg init')"
new_register luadir
rm -f luadir/riskreg.lua && mkdir luadir/riskreg.lua
save luadir
rr -C luadir list risks
# a riskreg.lua that is not a regular file is not a missing one: the message says so, and does
# not send the user to 'riskreg init' (which would refuse)
one_line "luadir/riskreg.lua"
advises "move it|remove it|rename it|not a file" "move the folder away"
err_lacks "riskreg init"
unchanged luadir

t "riskreg.lua that cannot be read: one line naming it"
if skip_unless_other; then
    new_register luaperm
    chmod 000 luaperm/riskreg.lua
    give_other luaperm
    save luaperm
    as_other "$RISKREG" -C luaperm list risks
    one_line "luaperm/riskreg.lua"
    advises "permission" "check the permissions"
    err_lacks "riskreg init"
    unchanged luaperm
fi

t "riskreg.lua with levels = \"high\": the build fails naming riskreg.lua and levels; the site is kept"
copy levels
sed -i 's/^  levels = {$/  levels = "high", levels_was = {/' levels/riskreg.lua
grep -q 'levels = "high"' levels/riskreg.lua || _fail "could not write the bad setting"
save levels
rr -C levels build
is_rc 1
first=$(printf '%s\n' "$err" | head -1)
case $first in "riskreg: "*riskreg.lua*levels*) ;; *) _fail "the first line does not name riskreg.lua and levels: $first" ;; esac
is_eq "$out" "" "stdout"
unchanged levels

t "riskreg.lua with levels = \"high\": every command says so, not only build, and writes nothing"
rr -C levels add risks title="Written with broken levels" likelihood=2 impact=3
one_line "levels/riskreg.lua"
err_has "levels must be a list of bands such as"
rr -C levels list risks
one_line "levels/riskreg.lua"
unchanged levels

t "riskreg.lua level bands that are wrong in other ways: the band and what is wrong"
for case in '{ name = "Low", max = 4 }, { name = "High", max = 3 }|levels[2].max must be above the band before it' \
    '{ name = "Low", max = 4 }, { name = "High", max = 9, colour = "red" }|levels[2].colour must be a colour such as "#f4a261" (it is "red")' \
    '{ name = "Low", max = "four" }, { name = "High", max = 9 }|levels[1].max must be a number (the highest score in the band); it is the text "four"' \
    '{ name = "", max = 4 }, { name = "High", max = 9 }|levels[1].name must be a string' \
    '{ name = "Low", max = 4 }, "High"|levels[2] must be a table with name, max and colour; it is the text "High"'; do
    printf 'return { levels = { %s } }\n' "${case%%|*}" >levels/riskreg.lua
    rr -C levels list risks
    one_line "levels/riskreg.lua"
    is_eq "$err" "riskreg: levels/riskreg.lua:1: ${case#*|}" "the message"
done
unchanged levels

t "riskreg.lua settings the build's scripts check: one line naming the file, no traceback"
for case in 'appetite = "high"|appetite must be a number (a residual score; scores above it need a decision); it is the text "high"' \
    'score = "likelihood +* impact"|score '"'"'likelihood +* impact'"'"' is not a Lua expression' \
    'review = 90|review must be a table such as { every_days = 90 }; it is 90'; do
    printf 'return { %s }\n' "${case%%|*}" >levels/riskreg.lua
    rr -C levels build
    one_line "levels/riskreg.lua"
    err_has "riskreg: levels/riskreg.lua:1: ${case#*|}"
    err_lacks "stack traceback"
done
unchanged levels

# ---- import files ------------------------------------------------------------------------------

t "an import folder with no CSV files: one line naming it and the file names it looks for"
new_register imp
save imp
mkdir -p nocsv && echo "meeting notes" >nocsv/notes.txt && mkdir nocsv/old
rr -C imp import nocsv
one_line "nocsv"
advises "risks\.csv" "name the files it reads"
unchanged imp

t "an .xlsx saved as risks.csv (zip bytes): one line naming the file and how to save it"
cp "$ROBUST/risk-register.xlsx" risks.csv
rr -C imp import risks.csv
one_line "risks.csv"
advises "save it as|CSV UTF-8" "save it as CSV"
unchanged imp
rr -C imp import risks.csv --kind risks --dry-run
one_line "risks.csv"

t "an import file that cannot be read: one line naming it"
if skip_unless_other; then
    new_register impperm
    mkdir -p hidden && printf 'id,title\nR-001,Secret\n' >hidden/risks.csv && chmod 000 hidden/risks.csv
    give_other impperm hidden
    save impperm
    as_other "$RISKREG" -C impperm import hidden/risks.csv
    one_line "hidden/risks.csv"
    advises "permission" "check the permissions"
    unchanged impperm
fi

done_testing
