#!/usr/bin/env bash
# make install: into DESTDIR with PREFIX; then the installed riskreg, with no source tree to fall
# back on, runs init, import and build.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
STAGE="$TMP/stage"
BIN="$STAGE/usr/bin/riskreg"

t "make install puts the program, scripts, templates, man pages and completion under DESTDIR/PREFIX"
run make -s -C "$ROOT" install DESTDIR="$STAGE" PREFIX=/usr
is_rc 0
[ -x "$BIN" ] || _fail "no installed binary"
for f in share/riskreg/scripts/site.lua share/riskreg/scripts/lib/scoring.lua \
    share/riskreg/report-templates/layout.html share/riskreg/report-templates/style.css \
    share/man/man1/riskreg.1 share/man/man7/riskreg-lua.7 \
    share/bash-completion/completions/riskreg share/zsh/vendor-completions/_riskreg; do
    [ -s "$STAGE/usr/$f" ] || _fail "no $f"
done

t "riskreg --version names the installed scripts, not the source tree"
run "$BIN" --version
is_rc 0
out_has "scripts and templates: $STAGE/usr/share/riskreg"
out_lacks "$ROOT"

t "the installed riskreg runs init, import and build away from the source tree"
cp "$ROOT"/register/demo/data/*.csv .
run "$BIN" init proj
is_rc 0
run "$BIN" -C proj import ./*.csv
is_rc 0
out_has "risks.csv: 60 risks added"
run "$BIN" -C proj build
is_rc 0
out_has "proj/public/index.html"
[ -s proj/public/index.html ] && [ -s proj/public/review/index.html ] || _fail "no site pages"
file_has proj/public/index.html "<h1>Management review dashboard</h1>"
ls proj/public/charts/*.png >/dev/null 2>&1 || _fail "no charts were drawn"
run "$BIN" -C proj verify
is_rc 0

t "a copy of the binary alone says where it looked, and RISKREG_DATADIR points it home"
cp "$BIN" ./lonely-riskreg
run ./lonely-riskreg --version
out_has "scripts and templates: not found (set RISKREG_DATADIR)"
run ./lonely-riskreg -C proj build
is_rc 1
err_has "RISKREG_DATADIR"
RISKREG_DATADIR="$STAGE/usr/share/riskreg" run ./lonely-riskreg -C proj build --out "$TMP/site2"
is_rc 0
[ -s site2/index.html ] || _fail "no site from RISKREG_DATADIR"

t "make uninstall removes every installed file"
run make -s -C "$ROOT" uninstall DESTDIR="$STAGE" PREFIX=/usr
is_rc 0
is_eq "$(find "$STAGE" -type f | wc -l)" "0" "files left after uninstall"

done_testing
