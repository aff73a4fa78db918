#!/usr/bin/env bash
# run alone: it times what it does, or kills processes at chosen moments (tests/run.sh)
# The Lua sandbox of riskreg build: hostile report scripts (a project scripts/pages/evil.lua, a
# project scripts/site.lua, templates) each fail the build with a clear "file:line: message" on
# one line, exit 1, and leave the published site and the register exactly as they were.
source "$(dirname "$0")/lib.sh"
DEMO="$HERE/../register/demo"

mkdir -p proj/scripts/pages && cp "$DEMO/riskreg.lua" proj/
for d in scripts templates; do [ -d "$DEMO/$d" ] && cp -r "$DEMO/$d" proj/; done
mkdir -p proj/scripts/pages
"$RISKREG" -C proj import -q "$DEMO/data" --on 2026-11-20 >/dev/null 2>&1
"$RISKREG" -C proj build -q >/dev/null 2>&1 || echo "sandbox.sh: the demo does not build" >&2

SITE_FP=$(tree_fp proj/public)
REG_FP=$(fingerprint proj)
RISKS=$(sql proj/register.db "SELECT count(*) FROM risk")
mkdir -p outside && echo canary >outside/canary.txt
OUTSIDE_FP=$(tree_fp outside)

# evil CODE [BUILD ARGS...]: build with CODE as the project page scripts/pages/evil.lua
evil() {
    local code=$1
    shift
    printf '%s\n' "$code" >proj/scripts/pages/evil.lua
    rr -C proj build "$@"
    rm -f proj/scripts/pages/evil.lua
}

# intact: the site, the register and the folder outside are as they were; no staging folder
intact() {
    is_eq "$(tree_fp proj/public)" "$SITE_FP" "public/"
    is_eq "$(fingerprint proj)" "$REG_FP" "register.db"
    is_eq "$(tree_fp outside)" "$OUTSIDE_FP" "the folder outside the site"
    is_eq "$(find proj -maxdepth 1 -name '.*.new-*')" "" "staging folders left"
}

# refused MESSAGE [SCRIPT]: exit 1; "riskreg: .../SCRIPT:LINE: ...MESSAGE..." as the one line on
# stderr (no traceback: the script is the customiser's); nothing on stdout; everything intact
refused() {
    local script=${2:-scripts/pages/evil.lua} first
    is_rc 1
    first=$(printf '%s\n' "$err" | head -1)
    case $first in
    "riskreg: "*"$script:"[0-9]*": "*"$1"*) ;;
    *) _fail "first line is not 'riskreg: …$script:LINE: …$1…': $first" ;;
    esac
    is_eq "$(printf '%s\n' "$err" | wc -l)" "1" "lines on stderr"
    is_eq "$out" "" "stdout"
    intact
}

# refused_somewhere MESSAGE: as refused, without asking where the first line points
refused_somewhere() {
    is_rc 1
    err_has "$1"
    err_lacks "stack traceback"
    is_eq "$out" "" "stdout"
    intact
}

# ---- the standard library, trimmed ---------------------------------------------------------

t "io is not there: io.open and io.write fail naming it"
evil 'local f = io.open("outside/canary.txt", "w")'
refused "undefined global 'io'"
evil 'io.write("x")'
refused "undefined global 'io'"

t "os.execute, os.remove, os.rename, os.getenv, os.exit are not there"
evil 'os.execute("echo pwned > outside/pwned")'
refused "execute"
[ -e outside/pwned ] && _fail "os.execute ran"
evil 'os.remove("outside/canary.txt")'
refused "remove"
evil 'os.rename("outside/canary.txt", "outside/moved")'
refused "rename"
evil 'local home = os.getenv("HOME")'
refused "getenv"
evil 'os.exit(0)'
refused "exit"
evil 'os.exit(true, true)'
refused "exit"

t "what os keeps is harmless: time, date, clock"
evil 'assert(os.time() and os.date("%Y") and os.clock()) assert(os.tmpname == nil) error("only what is safe")'
refused "only what is safe"

t "dofile and loadfile are not there"
evil 'dofile("/etc/passwd")'
refused "undefined global 'dofile'"
evil 'local f = loadfile("/etc/passwd")'
refused "undefined global 'loadfile'"

t "require finds no C module"
evil 'local lfs = require "lfs"'
refused "module 'lfs' not found"
evil 'local socket = require "socket"'
refused "module 'socket' not found"
evil 'local m = require "riskreg.db.c"'
refused "not found"

t "require refuses path games"
evil 'require "../../etc/passwd"'
refused "'../../etc/passwd' is not a module name"
evil 'require "..x"'
refused "'..x' is not a module name"
evil 'require "a/b"'
refused "'a/b' is not a module name"
evil 'require "/etc/passwd"'
refused "is not a module name"

t "require does not follow a symlink out of the scripts folder"
printf '%s\n' 'error("outside code ran")' >outside.lua
mkdir -p proj/scripts/lib && ln -s "$TMP/outside.lua" proj/scripts/lib/leak.lua
evil 'require "lib.leak"'
refused_somewhere "module 'lib.leak' not found"
case $err in *"outside code ran"*) _fail "a script outside the scripts folder ran" ;; esac
rm -f proj/scripts/lib/leak.lua

t "load refuses binary chunks (string.dump is gone; a hand-made chunk is refused)"
evil 'assert(string.dump == nil and ("").dump == nil, "string.dump is there")
local chunk = "\27Lua\84\0\25\147\13\10\26\10\4\8\8\120\86\0\0\0\0\0\0\0\0\0\0\0\40\119\64\1"
local f, why = load(chunk, "=chunk", "b")
if f then error("a binary chunk was loaded") end
error(why)'
refused "attempt to load a binary chunk"
evil 'local parts, i = { "\27Lu", "a\84\0\25\147\13\10\26\10" }, 0
local f, why = load(function() i = i + 1 return parts[i] end, "=reader", "bt", {})
error(f and "a binary chunk was loaded" or why)'
refused "attempt to load a binary chunk"

t "text chunks from load run in the sandbox, not in a fresh global table"
evil 'local f = load("return io.open") f()'
refused "undefined global 'io'" 'string "return io.open"]'
evil 'local f = load("x = 1") f()'
refused "assignment to undefined global 'x'" 'string "x = 1"]'

t "debug, package and coroutine are not there"
evil 'debug.sethook()'
refused "undefined global 'debug'"
evil 'package.loadlib("/lib/x86_64-linux-gnu/libc.so.6", "system")'
refused "undefined global 'package'"
evil 'local s = package.path'
refused "undefined global 'package'"

t "collectgarbage keeps count and collect, refuses its knobs"
evil 'collectgarbage("stop")'
refused "collectgarbage('stop') is not available"
evil 'collectgarbage("incremental", 1000, 1000)'
refused "not available"
evil 'assert(collectgarbage("count") > 0) collectgarbage() error("counted")'
refused "counted"

t "the strings' metatable is hidden: getmetatable('') is false"
evil 'local mt = getmetatable("") assert(mt == false, "the metatable of strings is visible") local i = mt.__index'
refused "attempt to index a boolean value"
evil 'setmetatable(_ENV, nil)'
refused "cannot change a protected metatable"

t "the host's handles hide their metatables; modules are plain tables, changed only for the scripts that change them"
evil 'local db = require "riskreg.db"
local f, s, c, h = db.rows("SELECT 1 AS one")
assert(getmetatable(h) == false, "a rows handle gives away its metatable")
assert(not pcall(setmetatable, h, {}), "setmetatable on a handle")
for row in db.rows("SELECT 1 AS one") do end
local site = require "riskreg.site"
site.write = function() error("replaced") end
local again = require "riskreg.site"
error("handles hidden; module replaced only here: " .. tostring(again.write == site.write))'
refused "handles hidden; module replaced only here: true"

t "globals are strict: writing one, or reading an undefined one, names it"
evil 'counter = 1'
refused "assignment to undefined global 'counter'"
evil 'local x = undefined_helper(1)'
refused "undefined global 'undefined_helper'"

t "a hostile project site.lua fails the same way"
printf '%s\n' '-- the project site.lua' 'local ok = os.execute("true")' >proj/scripts/site.lua
rr -C proj build
rm -f proj/scripts/site.lua
refused "execute" scripts/site.lua

t "a hostile project template cannot reach io either"
mkdir -p proj/templates
printf '%s\n' '<% layout("layout.html") -%>' '<p><%= io.open("outside/canary.txt") %></p>' >proj/templates/audits.html
rr -C proj build
rm -f proj/templates/audits.html
refused "undefined variable 'io'" templates/audits.html

# ---- writing only inside the site ------------------------------------------------------------

t "site.write refuses paths out of the site: '..', absolute, 'a/../../x', empty"
evil 'local site = require "riskreg.site" assert(site.write("../x.html", "x"))'
refused "'../x.html' is not a path in the site"
evil "local site = require 'riskreg.site' assert(site.write('$TMP/outside/abs.html', 'x'))"
refused "is not a path in the site: it is absolute"
evil 'local site = require "riskreg.site" assert(site.write("a/../../x", "x"))'
refused "'a/../../x' is not a path in the site"
evil 'local site = require "riskreg.site" assert(site.write("", "x"))'
refused "'' is not a path in the site"
evil 'local site = require "riskreg.site" assert(site.write("a\0b", "x"))'
refused "is not a path in the site"
[ -e proj/x.html ] || [ -e x.html ] || [ -e outside/abs.html ] && _fail "a file was written outside the site"

t "site.copy and template.render refuse paths out of their folders"
evil 'local site = require "riskreg.site" assert(site.copy("../../../../etc/passwd", "p.txt"))'
refused "is not a path in the site"
evil 'local template = require "riskreg.template" template.render("../../../../etc/passwd", {})'
refused "not a template name"
ln -s /etc/hostname proj/templates/leak.css
evil 'local site = require "riskreg.site" assert(site.copy("leak.css"))'
refused "no asset 'leak.css'"
rm -f proj/templates/leak.css

t "a symlink planted in the published site never receives the next build's writes"
rm -rf proj/public/risks && ln -s "$TMP/outside" proj/public/risks
rm -f proj/public/changes.html && ln -s "$TMP/outside/canary.txt" proj/public/changes.html
rr -C proj build
is_rc 0
is_eq "$(tree_fp outside)" "$OUTSIDE_FP" "the folder the link pointed to"
[ -d proj/public/risks ] && [ ! -L proj/public/risks ] || _fail "public/risks is still a link"
[ -f proj/public/changes.html ] && [ ! -L proj/public/changes.html ] || _fail "public/changes.html is still a link"
is_eq "$(tree_fp proj/public)" "$SITE_FP" "the rebuilt site"
is_eq "$(cat outside/canary.txt)" "canary" "the canary"

t "the published folder itself as a symlink is refused"
mv proj/public real-public && ln -s "$TMP/real-public" proj/public
rr -C proj build
is_rc 1
err_has "is not a site riskreg built"
[ -L proj/public ] || _fail "the link was replaced"
rm proj/public && mv real-public proj/public
intact

# ---- the register is read-only ---------------------------------------------------------------

t "riskreg.db refuses every write: each statement, through every function"
for q in "DELETE FROM risk" "UPDATE risk SET title='x'" \
    "INSERT INTO audit (id, title, held_on) VALUES ('A-999', 'x', '2026-01-01')" \
    "DROP TABLE risk" "ATTACH DATABASE '$TMP/outside/x.db' AS x" "PRAGMA writable_schema=1" \
    "PRAGMA journal_mode=DELETE" "CREATE TABLE t (x)" "CREATE TEMP TABLE t (x)" "BEGIN IMMEDIATE" \
    "COMMIT" "PRAGMA query_only=0" "SELECT load_extension('$TMP/outside/x.so')" "REINDEX"; do
    evil "local db = require 'riskreg.db' db.all(\"$q\")"
    refused "riskreg.db: report scripts only read the register; '$q' is not allowed"
done
for fn in rows one value; do
    evil "local db = require 'riskreg.db' local r = db.$fn(\"DELETE FROM risk\")"
    refused "report scripts only read the register"
done
is_eq "$(sql proj/register.db "SELECT count(*) FROM risk")" "$RISKS" "risks"
[ -e outside/x.db ] && _fail "ATTACH created a file"

t "VACUUM INTO and a write hidden after a SELECT do not write anything"
evil "local db = require 'riskreg.db' db.all(\"VACUUM INTO '$TMP/outside/copy.db'\")"
is_rc 1
err_has "evil.lua:1:"
intact
evil 'local db = require "riskreg.db" db.all("SELECT 1; DELETE FROM risk") error("after")'
is_rc 1
intact
is_eq "$(sql proj/register.db "SELECT count(*) FROM risk")" "$RISKS" "risks"

t "reading stays allowed: SELECT with parameters, and the schema pragmas"
evil 'local db = require "riskreg.db"
local n = db.value("SELECT count(*) FROM risk WHERE created_on <= ?", "2026-11-25")
local cols = db.all("PRAGMA table_info(risk)")
error("read " .. n .. " risks, " .. #cols .. " columns")'
refused "read $(sql proj/register.db "SELECT count(*) FROM risk WHERE created_on <= '2026-11-25'") risks, $(sql proj/register.db "SELECT count(*) FROM pragma_table_info('risk')") columns"

# ---- limits ----------------------------------------------------------------------------------

t "an endless loop stops at --script-timeout"
start=$SECONDS
evil 'while true do end' --script-timeout 2
refused "ran longer than 2 s"
[ $((SECONDS - start)) -le 30 ] || _fail "the loop ran $((SECONDS - start)) s"

t "a runaway pattern match stops at --script-timeout"
printf '%s\n' 'local s = ("a"):rep(4000) local i = s:find(".-.-.-.-b")' >proj/scripts/pages/evil.lua
start=$SECONDS
run timeout 60 "$RISKREG" -C proj build --script-timeout 1
rm -f proj/scripts/pages/evil.lua
is_rc 1
err_has "ran longer than 1 s"
find proj -maxdepth 1 -name '.*.new-*' -exec rm -rf {} + # what a killed build leaves
is_eq "$(tree_fp proj/public)" "$SITE_FP" "public/"

t "an endless loop in a finalizer stops at --script-timeout"
printf '%s\n' 'setmetatable({}, { __gc = function() while true do end end })' >proj/scripts/pages/evil.lua
run timeout 60 "$RISKREG" -C proj build --script-timeout 1
rm -f proj/scripts/pages/evil.lua
is_rc 1
err_has "ran longer than 1 s"
find proj -maxdepth 1 -name '.*.new-*' -exec rm -rf {} +
is_eq "$(tree_fp proj/public)" "$SITE_FP" "public/"

t "a memory bomb stops at --script-memory"
evil 'local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end' --script-memory 64
is_rc 1
err_has "need more than 64 MB"
is_eq "$out" "" "stdout"
intact
evil 'local t = {} for i = 1, 1e9 do t[i] = i end' --script-memory 64
is_rc 1
err_has "need more than 64 MB"
intact

t "without --script-memory the cap is 512 MB, or three times the register's size for a large register"
evil 'local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(2^20) .. i end'
is_rc 1
err_has "the report scripts need more than 512 MB of memory (--script-memory raises the limit)"
intact
# a register of 180 MB (SQLite reads its own size from its header: the bytes after it are never
# read, and a sparse file takes no disk)
cp proj/register.db big.db
truncate -s 180M proj/register.db
evil 'local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(2^20) .. i end'
is_rc 1
err_has "the report scripts need more than 540 MB of memory"
cp big.db proj/register.db
intact

t "deep recursion is a stack overflow error, not a crash"
evil 'local function f() return 1 + f() end f()'
refused "stack overflow"
evil 'local function f() return ("x"):gsub(".", f) end f()'
is_rc 1
err_has "stack overflow"
err_has "evil.lua:1"
intact
evil 'local t = setmetatable({}, { __index = function(t, k) return t[k] end }) return t.x'
is_rc 1
err_has "stack overflow"
intact

t "a huge string.rep fails cleanly"
evil 'local s = ("x"):rep(2^40)'
refused "string"
evil 'local s = ("x"):rep(2^30)' --script-memory 64
is_rc 1
err_has "64 MB"
intact
evil 'local s = string.format("%099999999d", 1)'
refused "invalid conversion"

t "a build after all of this is still a good one"
rr -C proj build
is_rc 0
is_eq "$(tree_fp proj/public)" "$SITE_FP" "public/"
is_eq "$(fingerprint proj)" "$REG_FP" "register.db"

done_testing
