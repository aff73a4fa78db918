#!/usr/bin/env bash
# riskreg edit: the record as a form in $VISUAL/$EDITOR, checked on save, reopened with the error
# on top, nothing written when nothing changed or the edit is given up.
. "$(dirname "$0")/lib.sh"

export TMPDIR="$TMP/tmp"
mkdir -p "$TMPDIR"
unset VISUAL

new_register r
"$RISKREG" -C r add risks title="Backup failure" owner="Ana" category=Continuity likelihood=3 \
    impact=4 description="Nightly backups to the second site.

# Scope
Every database." >/dev/null
"$RISKREG" -C r add improvements title="Automate restore tests" owner=Bo >/dev/null

# An editor that keeps a copy of the form it was shown, then runs a sed script on it.
cat >editor.sh <<'EOF'
#!/bin/sh
n=$(cat "$EDIT_DIR/rounds" 2>/dev/null || echo 0)
n=$((n + 1))
echo $n >"$EDIT_DIR/rounds"
cp "$1" "$EDIT_DIR/shown-$n"
eval "script=\${EDIT_$n:-}"
[ -n "$script" ] && sed -i "$script" "$1"
exit 0
EOF
chmod +x editor.sh
export EDIT_DIR="$TMP/edits"
editor() { # editor SED-SCRIPT-ROUND-1 [ROUND-2 ...]: the next edit's rounds
    rm -rf "$EDIT_DIR"
    mkdir -p "$EDIT_DIR"
    unset EDIT_1 EDIT_2 EDIT_3
    local i=1
    for s in "$@"; do
        export "EDIT_$i=$s"
        i=$((i + 1))
    done
    export EDITOR="$TMP/editor.sh"
}
shown() { cat "$EDIT_DIR/shown-$1"; }

t "the form shows every field, Markdown as blocks, and the allowed words"
editor ""
rr -C r edit R-001
is_rc 0
out_has "R-001 unchanged: nothing written"
form=$(shown 1)
case "$form" in *"title: Backup failure"*) ;; *) _fail "form lacks the title line: $form" ;; esac
case "$form" in *"owner: Ana"*) ;; *) _fail "form lacks the owner line" ;; esac
case "$form" in *"#   status: open | treating | accepted | closed"*) ;; *) _fail "form lacks the status words" ;; esac
case "$form" in *$'--- description\nNightly backups to the second site.\n\n# Scope\nEvery database.'*) ;;
*) _fail "form lacks the description block: $form" ;; esac
is_eq "$(ls "$TMPDIR" | grep -v "^riskreg-cache-")" "" "files left in TMPDIR (a server register's kept copy aside)"

t "quitting without a change writes nothing"
before=$(fingerprint r)
editor ""
rr -C r edit r-001
is_rc 0
is_eq "$(fingerprint r)" "$before" "register"
is_eq "$(sql r/register.db "SELECT count(*) FROM change_log")" "4" "entries (the matrix size, the risk, its assessment)"

t "a saved change is applied, summarised in one line and logged"
editor 's/^owner: .*/owner: Tom Whitaker/; s/^treatment:.*/treatment: mitigate/; s/^Every database\./Every database and the file shares./'
rr -C r edit R-001 --note "handover"
is_rc 0
out_has "R-001 updated: description changed; owner Ana → Tom Whitaker; treatment (none) → mitigate"
is_eq "$(sql r/register.db "SELECT owner, treatment FROM risk WHERE id='R-001'")" "Tom Whitaker|mitigate"
is_eq "$(sql r/register.db "SELECT description FROM risk WHERE id='R-001'")" "Nightly backups to the second site.

# Scope
Every database and the file shares."
rr -C r log R-001
out_has "owner Ana → Tom Whitaker"
out_has "— handover"

t "a line removed keeps its value; an empty value clears the field"
editor '/^owner:/d; s/^category:.*/category:/'
rr -C r edit R-001
is_rc 0
is_eq "$(sql r/register.db "SELECT owner, coalesce(category, '(null)') FROM risk WHERE id='R-001'")" "Tom Whitaker|(null)"

t "a Markdown block can be added to a field that was empty"
editor '/^--- controls/a\
- weekly restore test\
- offsite copy'
rr -C r edit R-001
is_rc 0
out_has "controls added"
is_eq "$(sql r/register.db "SELECT controls FROM risk WHERE id='R-001'")" "- weekly restore test
- offsite copy"

t "a wrong value reopens the editor with the error on top; fixing it saves"
editor 's/^status: .*/status: bogus/' 's/^status: .*/status: treating/'
rr -C r edit R-001
is_rc 0
is_eq "$(cat "$EDIT_DIR/rounds")" "2" "editor rounds"
first=$(shown 2 | head -1)
case "$first" in "# ERROR: line "*"status: "*"bogus"*) ;; *) _fail "second round starts with '$first'" ;; esac
out_has "status open → treating"
is_eq "$(sql r/register.db "SELECT status FROM risk WHERE id='R-001'")" "treating"
is_eq "$(shown 2 | grep -c '^# ERROR')" "1" "error lines"

t "quitting after an error gives up: nothing written, the text is kept"
before=$(fingerprint r)
editor 's/^status: .*/status: bogus/' ''
rr -C r edit R-001
is_rc 1
err_has "edit given up; nothing written; your text is kept in $TMPDIR/riskreg-edit-R-001-"
is_eq "$(fingerprint r)" "$before" "register"
kept=$(ls "$TMPDIR"/riskreg-edit-R-001-*.txt 2>/dev/null | head -1)
[ -n "$kept" ] && grep -q "^status: bogus" "$kept" || _fail "the kept text lacks the user's edit"
rm -f "$TMPDIR"/*

t "an unknown field is named with its line and a suggestion"
editor 's/^owner: \(.*\)/ownr: \1/' ''
rr -C r edit R-001
is_rc 1
first=$(shown 2 | head -1)
case "$first" in "# ERROR: line "*": risks have no field 'ownr'; did you mean 'owner'?") ;;
*) _fail "error line: '$first'" ;; esac
rm -f "$TMPDIR"/*

t "a line that is not 'field: value' is named"
editor '/^title:/a\
just some words' ''
rr -C r edit R-001
is_rc 1
case "$(shown 2 | head -1)" in "# ERROR: line "*": 'just some words' is not 'field: value'") ;;
*) _fail "error line: '$(shown 2 | head -1)'" ;; esac
rm -f "$TMPDIR"/*

t "the ID cannot be changed in the form"
editor 's/^id: .*/id: R-999/' ''
rr -C r edit R-001
is_rc 1
case "$(shown 2 | head -1)" in "# ERROR: id: the ID of a record cannot be changed") ;;
*) _fail "error line: '$(shown 2 | head -1)'" ;; esac
is_eq "$(sql r/register.db "SELECT count(*) FROM risk WHERE id='R-999'")" "0"
rm -f "$TMPDIR"/*

t "a change someone else made meanwhile is not overwritten"
cat >meanwhile.sh <<EOF
#!/bin/sh
"$RISKREG" -C "$TMP/r" set I-001 owner=Zed >/dev/null
sed -i 's/^owner: .*/owner: Mine/' "\$1"
EOF
chmod +x meanwhile.sh
EDITOR="$TMP/meanwhile.sh" rr -C r edit I-001
is_rc 1
err_has "I-001 was changed while you edited it (riskreg log I-001 shows by whom); nothing written"
is_eq "$(sql r/register.db "SELECT owner FROM improvement WHERE id='I-001'")" "Zed"
grep -q "^owner: Mine" "$TMPDIR"/riskreg-edit-I-001-*.txt || _fail "the user's text was not kept"
rm -f "$TMPDIR"/*

t "an editor that fails writes nothing"
before=$(fingerprint r)
EDITOR=false rr -C r edit R-001
is_rc 1
err_has "the editor (false) exited with an error; nothing written"
is_eq "$(fingerprint r)" "$before" "register"
is_eq "$(ls "$TMPDIR" | grep -v "^riskreg-cache-")" "" "files left in TMPDIR (a server register's kept copy aside)"

t "VISUAL wins over EDITOR, and editor commands may carry arguments"
VISUAL="sed -i s/^owner:.*/owner:Vi/" EDITOR=false rr -C r edit I-001
is_rc 0
is_eq "$(sql r/register.db "SELECT owner FROM improvement WHERE id='I-001'")" "Vi"

t "edit of an unknown record or without an ID"
rr -C r edit R-404
is_rc 1
err_has "there is no record R-404"
rr -C r edit
is_rc 2
err_has "edit needs the ID of one record"

done_testing
