#!/usr/bin/env bash
# Shell completion and man pages: the bash function driven as bash drives it, the zsh function
# loaded by compinit and run, and the man pages built, rendered and checked against the program
# (every command, option and environment variable) and the Lua modules (every function).
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
COMPLETION=$ROOT/src/completion

# "riskreg" on PATH is the one under test, as a user's shell would run it
mkdir bin && ln -s "$RISKREG" bin/riskreg
export PATH="$TMP/bin:$PATH"
new_register reg
for args in 'risks title=Backup likelihood=3 impact=4' 'risks title=Patching' \
    'risks title=Supplier' 'improvements title=Restore-tests' 'audits title=Internal held_on=2026-10-01'; do
    # shellcheck disable=SC2086 # the words are the arguments
    "$RISKREG" -q -C reg add $args || echo "cannot add $args" >&2
done
mkdir empty

# bash_complete DIR LINE: what the bash completion offers for LINE (cursor at its end) in DIR,
# one a line in $out (stderr in $err). LINE is split as readline splits it: at blanks, and '='
# as a word of its own (COMP_WORDBREAKS).
bash_complete() {
    run bash -c '
        cd "$1" || exit 1
        source "$2"
        line=$3
        COMP_WORDS=()
        for word in $line; do
            while [[ $word == *=* ]]; do
                [[ -n ${word%%=*} ]] && COMP_WORDS+=("${word%%=*}")
                COMP_WORDS+=("=")
                word=${word#*=}
            done
            [[ -n $word ]] && COMP_WORDS+=("$word")
        done
        [[ $line == *[\ =] ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$line
        COMP_POINT=${#line}
        _riskreg
        printf "%s\n" "${COMPREPLY[@]}"' bash "$1" "$COMPLETION/riskreg.bash" "$2"
}

# zsh_complete DIR LINE: the same through the zsh function, compadd and _files standing in for
# zsh's own (they print what they are given that matches what was typed)
zsh_complete() {
    run zsh -f -c '
        cd "$1" || exit 1
        fpath=("$2" $fpath)
        autoload -Uz _riskreg
        compadd() {
          local suffix= w
          while [[ $1 == -* && $1 != -- ]]; do
            [[ $1 == -S ]] && { suffix=$2; shift; }
            shift
          done
          [[ $1 == -- ]] && shift
          for w in "$@"; do [[ $w == ${PREFIX}* ]] && print -r -- "$w$suffix"; done
          return 0
        }
        compset() { [[ $1 == -P ]] && PREFIX=${PREFIX#*=}; }
        _files() { print -r -- "(files $*)"; }
        words=(${(z)3})
        [[ $3 == *" " ]] && words+=("")
        CURRENT=$#words
        PREFIX=$words[CURRENT]
        _riskreg' zsh "$1" "$COMPLETION" "$2"
}

lines() { printf '%s' "$out" | tr '\n' ' ' | sed 's/ $//'; }

t "bash: a command from its first letters"
bash_complete reg "riskreg ass"
is_eq "$(lines)" "assess" "riskreg ass<TAB>"
is_eq "$err" "" "stderr"

t "bash: the kinds after add, as the program names them"
bash_complete reg "riskreg add "
is_eq "$(lines)" "$(riskreg __complete kinds | tr '\n' ' ' | sed 's/ $//')" "riskreg add <TAB>"
out_has "risks"
out_has "review_actions"

t "bash: a field of the kind after add KIND, with its '='"
bash_complete reg "riskreg add risks ti"
is_eq "$(lines)" "title=" "riskreg add risks ti<TAB>"
bash_complete reg "riskreg add risks residual_i"
is_eq "$(lines)" "residual_impact=" "a risk's first assessment fields"
bash_complete reg "riskreg add risks title=Backup ow"
is_eq "$(lines)" "owner=" "after a FIELD=VALUE"
bash_complete reg "riskreg add risks title=Ba"
is_eq "$(lines)" "" "a value is not completed"

t "bash: record IDs from the register after show, and only risks after assess"
bash_complete reg "riskreg show R-0"
is_eq "$(lines)" "R-001 R-002 R-003" "riskreg show R-0<TAB>"
bash_complete reg "riskreg show "
out_has "I-001"
out_has "A-001"
bash_complete reg "riskreg assess "
is_eq "$(lines)" "R-001 R-002 R-003" "riskreg assess <TAB>"
bash_complete reg "riskreg close "
out_has "I-001"
out_lacks "A-001"
bash_complete . "riskreg -C reg log R-00"
is_eq "$(lines)" "R-001 R-002 R-003" "IDs of the register -C names"

t "bash: set ID offers the fields of that record's kind"
bash_complete reg "riskreg set I-001 st"
is_eq "$(lines)" "status=" "riskreg set I-001 st<TAB>"
bash_complete reg "riskreg set R-001 "
out_has "owner="
out_lacks "id="
out_lacks "likelihood="

t "bash: help COMMAND and help fields KIND"
bash_complete reg "riskreg help exp"
is_eq "$(lines)" "export" "riskreg help exp<TAB>"
bash_complete reg "riskreg help fields au"
is_eq "$(lines)" "audits" "riskreg help fields au<TAB>"
bash_complete reg "riskreg help l"
is_eq "$(lines)" "list log lua" "riskreg help l<TAB>"
bash_complete reg "riskreg help templates "
is_eq "$(lines)" "pages records" "riskreg help templates <TAB>"

t "bash: options, and their values, from the command's usage"
bash_complete reg "riskreg import --d"
is_eq "$(lines)" "--date-format --dry-run --delimiter" "riskreg import --d<TAB>"
bash_complete reg "riskreg export --kind "
out_has "nonconformities"
bash_complete reg "riskreg export --kind=nonc"
is_eq "$(lines)" "nonconformities" "--kind=nonc<TAB>"
bash_complete reg "riskreg export --format "
is_eq "$(lines)" "$(riskreg __complete values export --format | tr '\n' ' ' | sed 's/ $//')" "--format values"
out_has "csv"
bash_complete reg "riskreg --actor=ana add risks ti"
is_eq "$(lines)" "title=" "after --actor=NAME"
bash_complete reg "riskreg -C reg add improvements --on 2026-01-01 risk"
is_eq "$(lines)" "risk_id=" "after an option's value"
bash_complete reg "riskreg --q"
is_eq "$(lines)" "--quiet" "a global option"

t "bash: with no register, nothing is offered and nothing is printed"
bash_complete empty "riskreg show "
is_eq "$out" "" "stdout"
is_eq "$err" "" "stderr"
bash_complete empty "riskreg -C nowhere set R-001 "
is_eq "$out" "" "stdout"
is_eq "$err" "" "stderr"
cd empty && run riskreg __complete ids && cd ..
is_rc 0
is_eq "$out$err" "" "riskreg __complete ids without a register"
printf 'not a database' >broken.db
mkdir broken && cp reg/riskreg.lua broken/ && mv broken.db broken/register.db
run riskreg -C broken __complete ids
is_rc 0
is_eq "$out$err" "" "riskreg __complete ids on a damaged register"
is_eq "$(cat broken/register.db)" "not a database" "the file is left as it was"

t "__complete is hidden, and what it lists is what help lists"
rr help
out_lacks "__complete"
help_commands=$(printf '%s\n' "$out" | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' | tr '\n' ' ')
is_eq "$help_commands" "$(riskreg __complete commands | tr '\n' ' ')" "commands"
rr help __complete
is_rc 2
rr __complete nonsense
is_rc 0
is_eq "$out$err" "" "an unknown WHAT"
before=$(fingerprint reg)
rr -C reg __complete ids
rr -C reg __complete settable R-001
is_eq "$(fingerprint reg)" "$before" "the register is not written"

t "every option completion offers is one the command accepts"
for cmd in $(riskreg __complete commands); do
    while read -r opt value; do
        if [ -n "$value" ]; then rr -C nowhere "$cmd" "$opt" x; else rr -C nowhere "$cmd" "$opt"; fi
        case $err in *"unknown option"*) _fail "$cmd $opt: $err" ;; esac
    done < <(riskreg __complete options "$cmd")
done

t "zsh: the function loads through compinit and completes the same words"
if ! command -v zsh >/dev/null 2>&1; then
    echo "     $(basename "$0"): skipped the zsh cases: zsh is not installed (make deps installs it)" >&2
else
    run zsh -n "$COMPLETION/_riskreg"
    is_rc 0
    is_eq "$err" "" "zsh -n"
    run zsh -f -c 'fpath=("$1" $fpath); autoload -U compinit; compinit -u -D; print -r -- $_comps[riskreg]' \
        zsh "$COMPLETION"
    is_eq "$out" "_riskreg" "compinit binds riskreg to _riskreg"
    is_eq "$err" "" "compinit"
    zsh_complete reg "riskreg ass"
    is_eq "$(lines)" "assess" "riskreg ass<TAB>"
    zsh_complete reg "riskreg add risks ti"
    is_eq "$(lines)" "title=" "riskreg add risks ti<TAB>"
    zsh_complete reg "riskreg show R-0"
    is_eq "$(lines)" "R-001 R-002 R-003" "riskreg show R-0<TAB>"
    zsh_complete reg "riskreg help exp"
    is_eq "$(lines)" "export" "riskreg help exp<TAB>"
    zsh_complete reg "riskreg help templates r"
    is_eq "$(lines)" "records" "riskreg help templates r<TAB>"
    zsh_complete reg "riskreg set I-001 st"
    is_eq "$(lines)" "status=" "riskreg set I-001 st<TAB>"
    zsh_complete reg "riskreg export --kind=nonc"
    is_eq "$(lines)" "nonconformities" "--kind=nonc<TAB>"
    zsh_complete empty "riskreg show "
    is_eq "$out$err" "" "no register: nothing, and no error"
fi

# render PAGE: the page as man shows it, without hyphenation (so every name stays whole)
render() { run env MANROFFOPT=-rHY=0 MANWIDTH=100 man -l "$1"; }

t "the man pages build with scdoc and render without warnings"
run make -s -C "$ROOT" man
is_rc 0
for page in riskreg.1 riskreg-lua.7; do
    render "$ROOT/build/man/$page"
    is_rc 0
    is_eq "$err" "" "man -l $page: stderr"
    out_has "SEE ALSO"
done

t "riskreg(1) has an entry for every command, option and environment variable"
render "$ROOT/build/man/riskreg.1"
for cmd in $(riskreg __complete commands); do
    printf '%s\n' "$out" | grep -qE "^       $cmd( |\$)" || _fail "no entry for the command '$cmd'"
    for opt in $(riskreg __complete options "$cmd" | cut -d' ' -f1); do
        case $out in *"$opt"*) ;; *) _fail "the option $opt of $cmd is not in riskreg(1)" ;; esac
    done
done
for opt in $(riskreg __complete options | cut -d' ' -f1); do
    out_has "$opt"
done
for var in $(grep -ho 'getenv("[A-Z_]*")' "$ROOT"/src/*.c | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
    printf '%s\n' "$out" | grep -qE "^       ([A-Z_]+, )*$var(,|\$)" || _fail "ENVIRONMENT lacks $var"
done
out_has "EXIT STATUS"
out_has "riskreg-lua(7)"

t "riskreg-lua(7) names every function and field the Lua modules export"
render "$ROOT/build/man/riskreg-lua.7"
# MODULE.NAME for each entry of a luaL_Reg MODULE_functions[] table and each field an
# open_MODULE() sets on the module table
exported=$(awk '
    /luaL_Reg [a-z_]+_functions\[\]/ { mod = $0; sub(/.*luaL_Reg /, "", mod); sub(/_functions.*/, "", mod); reg = 1 }
    reg { s = $0; while (match(s, /\{"[a-z_0-9]+",/)) { print mod "." substr(s, RSTART + 2, RLENGTH - 4); s = substr(s, RSTART + RLENGTH) } }
    reg && /NULL, NULL/ { reg = 0 }
    /^static int open_[a-z_]+\(lua_State \*L\)/ { mod = $3; sub(/^open_/, "", mod); sub(/_module.*|\(.*/, "", mod); opener = 1 }
    opener && /(lua_setfield\(L, -2, |set_string\(L, )"[a-z_]+"/ { match($0, /"[a-z_]+"/); print mod "." substr($0, RSTART + 1, RLENGTH - 2) }
    opener && /^}/ { opener = 0 }' "$ROOT"/src/lua_*.c | sort -u)
[ "$(printf '%s\n' "$exported" | grep -c .)" -ge 30 ] || _fail "found only: $exported"
for name in $exported; do
    out_has "$name"
done
for module in db site template markdown html date chart config; do
    out_has "riskreg.$module"
done

done_testing
