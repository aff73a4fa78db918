# tests/lib.sh - sourced by every tests/*.sh: a temporary folder, the riskreg under test, and
# assertions that count cases. A case starts with `t "what it shows"` and passes when every
# assertion in it holds.
set -u

RISKREG=${RISKREG:?set RISKREG to the riskreg binary under test}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA="$HERE/data"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/riskreg-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

export RISKREG_TODAY=2026-11-25
export RISKREG_ACTOR=tester
unset RISKREG_DIR NO_COLOR

_passed=0
_failed=0
_suite=$(basename "$0")${RISKREG_TEST_SERVER:+ (on a server)}
_case=""
_case_failed=0

_finish_case() {
    [ -n "$_case" ] || return 0
    if [ "$_case_failed" = 0 ]; then
        _passed=$((_passed + 1))
        [ -n "${VERBOSE:-}" ] && echo "ok   $_case"
    else
        _failed=$((_failed + 1))
        echo "FAIL $_suite: $_case"
    fi
    _case=""
}

# t NAME: start a case
t() {
    _finish_case
    _case=$1
    _case_failed=0
}

_fail() {
    _case_failed=1
    echo "     $_suite: $_case: $*" >&2
}

# run CMD...: run a command, keep its stdout, stderr and exit code in $out, $err, $rc
run() {
    out=$("$@" 2>"$TMP/.stderr")
    rc=$?
    err=$(cat "$TMP/.stderr")
}

# rr ARGS...: run riskreg
rr() { run "$RISKREG" "$@"; }

is_rc() { [ "$rc" = "$1" ] || _fail "exit code $rc, expected $1 (stderr: ${err:0:300})"; }
out_has() { case "$out" in *"$1"*) ;; *) _fail "stdout lacks '$1'; got: ${out:0:400}" ;; esac; }
out_lacks() { case "$out" in *"$1"*) _fail "stdout has '$1'" ;; esac; }
err_has() { case "$err" in *"$1"*) ;; *) _fail "stderr lacks '$1'; got: ${err:0:400}" ;; esac; }
err_lacks() { case "$err" in *"$1"*) _fail "stderr has '$1'" ;; esac; }
is_eq() { [ "$1" = "$2" ] || _fail "${3:-value}: got '$1', expected '$2'"; }
file_has() { grep -qF -- "$2" "$1" || _fail "$1 lacks '$2'"; }

# sql DB QUERY: one value from the register (on a server: from a copy of it)
sql() {
    local d=${1%/register.db}
    if [ "$d" != "$1" ] && on_server "$d"; then
        rm -f "$TMP/.sql-copy.db"
        "$RISKREG" -C "$d" -q migrate --to "$TMP/.sql-copy.db" >/dev/null || return 1
        sqlite3 -batch -noheader "$TMP/.sql-copy.db" "$2"
        return
    fi
    sqlite3 -batch -noheader "$1" "$2"
}

# tree_fp DIR: every file, folder and link of a tree with its contents ("none" when absent)
tree_fp() {
    [ -e "$1" ] || {
        echo none
        return
    }
    (cd "$1" && find . -printf '%y %p %l\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) |
        sha256sum | cut -d' ' -f1
}
# staging_of DIR: the staging folders a build left beside its site
staging_of() { find "$1" -maxdepth 1 -name '.*.new-*' 2>/dev/null | sort; }
# fingerprint DIR: the register file's bytes and its WAL, to prove nothing was written
fingerprint() {
    if on_server "$1"; then
        rm -f "$TMP/.fp-copy.db"
        "$RISKREG" -C "$1" -q migrate --to "$TMP/.fp-copy.db" >/dev/null 2>&1
        sqlite3 "$TMP/.fp-copy.db" .dump 2>/dev/null | sha256sum | cut -d' ' -f1
        return
    fi
    cat "$1/register.db" "$1/register.db-wal" 2>/dev/null | sha256sum | cut -d' ' -f1
}

# RISKREG_TEST_SERVER=1: every register the suite makes (with init) is kept on a throwaway
# PostgreSQL server of the suite's own (tests/pg.sh), and sql and fingerprint read it there: the
# same suite, the other engine. A suite that fails to start the server never reaches its
# summary, which counts as a failure.
if [ -n "${RISKREG_TEST_SERVER:-}" ]; then
    source "$HERE/pg.sh"
    pg_start || exit 1
    trap 'pg_stop; rm -rf "$TMP"' EXIT
    cat >"$TMP/.riskreg-on-server" <<EOF
#!/usr/bin/env bash
# riskreg, with init giving every new register a database of its own on the test server
args=("\$@")
i=0
while [ \$i -lt \${#args[@]} ]; do
    case \${args[\$i]} in
    -C | --actor) i=\$((i + 2)) ;;
    -*) i=\$((i + 1)) ;;
    *) break ;;
    esac
done
if [ "\${args[\$i]:-}" = init ] && [[ " \$* " != *" --server "* ]] && [[ " \$* " != *" --help "* ]]; then
    n=\$((\$(cat "$TMP/.databases" 2>/dev/null || echo 0) + 1))
    echo "\$n" >"$TMP/.databases"
    psql -X -q -c "CREATE DATABASE reg_\$n" >/dev/null 2>&1
    args+=(--server "host=$PGHOST dbname=reg_\$n")
fi
exec "$RISKREG" "\${args[@]}"
EOF
    chmod +x "$TMP/.riskreg-on-server"
    RISKREG="$TMP/.riskreg-on-server"
fi

# on_server DIR: is DIR's register kept on a server?
on_server() { [ -f "$1/riskreg.lua" ] && grep -q '^  server = ' "$1/riskreg.lua"; }

# copy_register SRC DST: a copy of the project SRC, its register included (on a server: a new
# database made from SRC's)
copy_register() {
    rm -rf "$2"
    cp -r "$1" "$2"
    on_server "$1" || return 0
    local from n
    from=$(sed -n 's/^  server = "host=[^ ]* dbname=\([a-z_0-9]*\)",$/\1/p' "$1/riskreg.lua")
    n=$(($(cat "$TMP/.databases" 2>/dev/null || echo 0) + 1))
    echo "$n" >"$TMP/.databases"
    psql -X -q -c "CREATE DATABASE reg_$n TEMPLATE $from" >/dev/null
    sed -i "s/^\(  server = \"host=[^ ]* dbname=\)[a-z_0-9]*\",$/\1reg_$n\",/" "$2/riskreg.lua"
}

# the register version this riskreg writes: schema.sql is 1, each migration one more
LATEST=$(($(ls "$HERE/../register/migrations"/[0-9]*.sql | wc -l) + 1))

# new_register DIR: an empty register project
new_register() { "$RISKREG" init -q "$1" >/dev/null 2>&1 || echo "cannot init $1" >&2; }

# csv FILE LINES...: write a CSV file, one argument per line
csv() {
    local f=$1
    shift
    printf '%s\n' "$@" >"$f"
}

# Debian's python3 has python3-openpyxl (make deps); a python3 earlier on PATH may not
PY=""
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done

# xl WORKBOOK SCRIPT: run the suite's xl.py (which opens the workbook as `wb` and runs SCRIPT);
# its output in $out
xl() {
    if [ -z "$PY" ]; then
        _fail "no python3 with openpyxl (make deps installs python3-openpyxl)"
        out=""
        return
    fi
    run "$PY" xl.py "$@"
    [ "$rc" = 0 ] || _fail "python: ${err:0:600}"
}

done_testing() {
    _finish_case
    echo "$_passed $_failed" >>"${RESULTS:-/dev/null}"
    [ "$_failed" = 0 ]
}

# broken_links SITE: every relative href/src/srcset that does not resolve to a file of the site
broken_links() {
    local site=$1 page target
    (cd "$site" && grep -r -o -E --include='*.html' '(href|src|srcset)="[^"]*"' .) | awk '
    function norm(p,   n, parts, out, i, k, s) {
        n = split(p, parts, "/"); k = 0
        for (i = 1; i <= n; i++) {
            if (parts[i] == "" || parts[i] == ".") continue
            if (parts[i] == "..") { if (k == 0) return "../OUTSIDE"; k--; continue }
            out[++k] = parts[i]
        }
        s = ""; for (i = 1; i <= k; i++) s = s (i > 1 ? "/" : "") out[i]
        return s
    }
    function emit(page, url,   dir) {
        gsub(/&amp;/, "\\&", url)
        if (url ~ /^(https?:|mailto:|data:|#)/ || url == "") return
        sub(/[#?].*$/, "", url)
        if (url == "") return
        if (url ~ /\/$/) url = url "index.html"
        dir = page; sub(/\/[^\/]*$/, "", dir)
        print page "\t" norm(dir "/" url)
    }
    {
        i = index($0, ":"); page = substr($0, 1, i - 1); rest = substr($0, i + 1)
        attr = rest; sub(/=.*/, "", attr)
        val = rest; sub(/^[a-z]*="/, "", val); sub(/"$/, "", val)
        if (attr == "srcset") {
            n = split(val, cands, ","); for (j = 1; j <= n; j++) { c = cands[j]; sub(/^ +/, "", c); sub(/ .*/, "", c); emit(page, c) }
        } else emit(page, val)
    }' | sort -u | while IFS=$'\t' read -r page target; do
        [ -f "$site/$target" ] || echo "$page -> $target"
    done
}
