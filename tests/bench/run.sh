#!/usr/bin/env bash
# tests/bench/run.sh - make bench: import and build speed and memory on generated registers,
# with Hugo building the same pages (without charts) for comparison.
#
#   BENCH_N="1000 10000" BENCH_REPEAT=3 tests/bench/run.sh
#
# Per size N: import of the generated register; a cold build (every page rendered, every chart
# drawn), a warm rebuild (nothing changed), a rebuild after one risk was reassessed; the command
# line on the same register (show, due, check, list risks); Hugo on one page per risk; the cost
# per risk. Each timing is the median of BENCH_REPEAT runs. BACKEND=postgresql also runs the
# register's steps (pg-import, pg-cold, ...) on a register kept on a throwaway PostgreSQL server
# (tests/pg.sh, with fsync on, as register.db's synchronous=FULL) and prints each against the
# same step on register.db. Besides the table, every step prints one line a script can parse:
#   BENCH n=1000 step=cold wall=0.52 cpu=0.90 rss_mb=61 files=2131 pages=1986 charts_drawn=1077 ...
set -u
RISKREG=${RISKREG:?set RISKREG to the riskreg binary}
HERE=$(cd "$(dirname "$0")" && pwd)
SIZES=${BENCH_N:-1000 10000}
REPEAT=${BENCH_REPEAT:-3}
JOBS=${BENCH_JOBS:-}
PEER_MAX=${BENCH_PEER_MAX:-1000} # the Python peer takes ~80 ms a risk: sizes up to this only
PYTHON=${BENCH_PYTHON:-/usr/bin/python3} # Debian's, where its jinja2 and matplotlib are
BACKEND=${BACKEND:-sqlite}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/riskreg-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
case $BACKEND in
sqlite) ;;
postgresql)
    source "$HERE/../pg.sh"
    PG_FSYNC=on pg_start || exit 1
    trap 'pg_stop; rm -rf "$WORK"' EXIT
    ;;
*)
    echo "bench: BACKEND is sqlite or postgresql, not '$BACKEND'" >&2
    exit 2
    ;;
esac
export RISKREG_TODAY=2026-11-25 RISKREG_ACTOR=bench

# run_timed LABEL CMD...: wall, cpu (user+sys) and peak RSS of one run, into $T_WALL $T_CPU $T_RSS
run_timed() {
    local out="$WORK/time.out"
    /usr/bin/time -f "%e %U %S %M" -o "$out" "$@" >"$WORK/cmd.out" 2>"$WORK/cmd.err" || {
        echo "bench: '$*' failed:" >&2
        cat "$WORK/cmd.err" >&2
        exit 1
    }
    read -r T_WALL user sys kb <"$out"
    T_CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    T_RSS=$((kb / 1024))
}

# set_aside DIR: move a site out of the way rather than delete it. Thousands of files deleted
# just before a timed build make the kernel's inode allocator skip them one by one (ext4 keeps
# a recently deleted inode for a minute or more): in back-to-back runs that was up to a third
# of a cold build, and the bench's own doing. Everything set aside goes with $WORK at the end.
set_aside() {
    [ -e "$1" ] || return 0
    mkdir -p "$WORK/trash"
    mv "$1" "$(mktemp -d "$WORK/trash/site.XXXXXX")/"
}

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# step NAME PREPARE CMD...: REPEAT runs of CMD (PREPARE before each), median timings
step() {
    local name=$1 prepare=$2
    shift 2
    local walls="" cpus="" rsss=""
    for _ in $(seq 1 "$REPEAT"); do
        eval "$prepare"
        run_timed "$@"
        walls="$walls $T_WALL"
        cpus="$cpus $T_CPU"
        rsss="$rsss $T_RSS"
    done
    S_WALL=$(echo $walls | tr ' ' '\n' | median)
    S_CPU=$(echo $cpus | tr ' ' '\n' | median)
    S_RSS=$(echo $rsss | tr ' ' '\n' | sort -n | tail -1)
    S_OUT=$(cat "$WORK/cmd.out")
}


report() { # report N STEP FILES DRAWN REUSED [RENDERED]
    local n=$1 name=$2 files=$3 drawn=$4 reused=$5 rendered=${6:-}
    local pages=$((files - drawn - reused))
    [ "$pages" -lt 0 ] && pages=0
    local per_risk pps cps
    per_risk=$(awk -v w="$S_WALL" -v n="$n" 'BEGIN { printf "%.3f", w * 1000 / n }')
    pps=$(awk -v p="$pages" -v w="$S_WALL" 'BEGIN { printf "%.0f", (w > 0 ? p / w : 0) }')
    cps=$(awk -v c="$drawn" -v w="$S_WALL" 'BEGIN { printf "%.0f", (w > 0 ? c / w : 0) }')
    printf '%-8s %-12s %8s %8s %8s %7s %7s %7s %9s %9s %11s\n' "$n" "$name" "$S_WALL" "$S_CPU" \
        "$S_RSS" "$files" "$drawn" "$reused" "$pps" "$cps" "$per_risk"
    echo "BENCH n=$n step=$name wall=$S_WALL cpu=$S_CPU rss_mb=$S_RSS files=$files pages=$pages${rendered:+ pages_rendered=$rendered} charts_drawn=$drawn charts_reused=$reused pages_per_s=$pps charts_per_s=$cps ms_per_risk=$per_risk" >>"$WORK/lines"
}

build_figures() { # from riskreg build's output: files, drawn, reused, pages rendered
    printf '%s\n' "$S_OUT" |
        sed -nE 's/.*: ([0-9]+) files \(pages: ([0-9]+) rendered, [0-9]+ kept; charts: ([0-9]+) drawn, ([0-9]+) reused\).*/\1 \3 \4 \2/p'
}

# A command-line step: its time and memory, and the lines it printed (in the files column).
cli_step() { # cli_step N NAME CMD...
    local n=$1 name=$2 lines
    shift 2
    step "$name" ":" "$@"
    lines=$(printf '%s\n' "$S_OUT" | wc -l)
    printf '%-8s %-12s %8s %8s %8s %7s %7s %7s %9s %9s %11s\n' "$n" "$name" "$S_WALL" "$S_CPU" \
        "$S_RSS" "$lines" - - - - -
    echo "BENCH n=$n step=$name wall=$S_WALL cpu=$S_CPU rss_mb=$S_RSS lines=$lines" >>"$WORK/lines"
    CLI_SUMMARY="$CLI_SUMMARY $name ${S_WALL} s,"
}

# A minimal Hugo site with one page per risk: the same fields and assessment table, no charts.
hugo_site() { # hugo_site CSVDIR DIR REGISTER
    local dir=$2
    mkdir -p "$dir/content/risks" "$dir/layouts/_default"
    printf 'baseURL = "/"\ntitle = "Risk register"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n' >"$dir/hugo.toml"
    cat >"$dir/layouts/_default/single.html" <<'EOF'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>
<h1>{{ .Params.id }} {{ .Title }}</h1>
<dl><dt>Owner</dt><dd>{{ .Params.owner }}</dd><dt>Category</dt><dd>{{ .Params.category }}</dd>
<dt>Service</dt><dd>{{ .Params.service }}</dd><dt>Status</dt><dd>{{ .Params.status }}</dd>
<dt>Treatment</dt><dd>{{ .Params.treatment }}</dd><dt>Raised</dt><dd>{{ .Params.created_on }}</dd></dl>
{{ .Content }}
<table><thead><tr><th>Assessed</th><th>L</th><th>I</th><th>RL</th><th>RI</th><th>Score</th></tr></thead><tbody>
{{ range .Params.assessments }}<tr><td>{{ index . 0 }}</td><td>{{ index . 1 }}</td><td>{{ index . 2 }}</td><td>{{ index . 3 }}</td><td>{{ index . 4 }}</td><td>{{ mul (index . 3) (index . 4) }}</td></tr>{{ end }}
</tbody></table></body></html>
EOF
    cat >"$dir/layouts/_default/list.html" <<'EOF'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>
<h1>{{ .Title }}</h1><table><tbody>{{ range .Pages }}<tr><td><a href="{{ .RelPermalink }}">{{ .Params.id }}</a></td><td>{{ .Title }}</td><td>{{ .Params.owner }}</td></tr>{{ end }}</tbody></table></body></html>
EOF
    # front matter from the register itself (sqlite3 splits the fields; no CSV parsing in awk)
    local db=$3 sep=$'\x1f'
    sqlite3 -separator "$sep" "$db" "SELECT risk_id, assessed_on, likelihood, impact,
            coalesce(residual_likelihood, likelihood), coalesce(residual_impact, impact)
            FROM assessment ORDER BY risk_id, assessed_on" >"$dir/assessments.txt"
    sqlite3 -separator "$sep" "$db" "SELECT id, replace(title, '\"', ''), coalesce(owner, ''),
            coalesce(category, ''), coalesce(service, ''), status, coalesce(treatment, ''),
            created_on FROM risk" >"$dir/risks.txt"
    awk -F "$sep" -v out="$dir/content/risks" '
        FNR == 1 { file++ }
        file == 1 { a[$1] = a[$1] sprintf("  - [\"%s\", %s, %s, %s, %s]\n", $2, $3, $4, $5, $6); next }
        file == 2 {
            f = out "/" $1 ".md"
            printf "---\ntitle: \"%s\"\nid: \"%s\"\nowner: \"%s\"\ncategory: \"%s\"\nservice: \"%s\"\nstatus: %s\ntreatment: \"%s\"\ncreated_on: %s\nassessments:\n%s---\nA generated description for benchmark risk %s.\n", $2, $1, $3, $4, $5, $6, $7, $8, a[$1], $1 > f
            close(f)
        }
    ' "$dir/assessments.txt" "$dir/risks.txt"
}

# server_steps N: the register's steps again on a PostgreSQL server, each against register.db's
server_steps() {
    local n=$1 pproj="$WORK/pg-$n" file_import=$import_wall file_cold=$cold_wall
    local file_warm=$warm_wall file_changed=$changed_wall
    step pg-import "rm -rf '$pproj'; pg_db bench_$n; '$RISKREG' init -q '$pproj' --server \"\$conn\"" \
        "$RISKREG" -C "$pproj" import "$data"
    report "$n" pg-import "$records" 0 0
    local pg_import=$S_WALL
    # cold: no site, and no copy of the register kept by an earlier command
    local kept="${TMPDIR:-/tmp}/riskreg-cache-$(id -u)"
    step pg-cold "set_aside '$pproj/public'; rm -rf '$kept'" "$RISKREG" -C "$pproj" build $jobs
    read -r files drawn reused rendered <<<"$(build_figures)"
    report "$n" pg-cold "$files" "$drawn" "$reused" "$rendered"
    local pg_cold=$S_WALL
    step pg-warm ":" "$RISKREG" -C "$pproj" build $jobs
    read -r files drawn reused rendered <<<"$(build_figures)"
    report "$n" pg-warm "$files" "$drawn" "$reused" "$rendered"
    local pg_warm=$S_WALL
    day=10
    step pg-changed "day=\$((day + 1)); '$RISKREG' -C '$pproj' assess R-00001 3 4 2 2 --on 2026-11-\$day >/dev/null" \
        "$RISKREG" -C "$pproj" build $jobs
    read -r files drawn reused rendered <<<"$(build_figures)"
    report "$n" pg-changed "$files" "$drawn" "$reused" "$rendered"
    local pg_changed=$S_WALL
    CLI_SUMMARY=""
    cli_step "$n" pg-assess "$RISKREG" -C "$pproj" assess R-00002 3 4 2 2 --on 2026-11-30
    step pg-show-cold "rm -rf '$kept'" "$RISKREG" -C "$pproj" show R-00001
    printf '%-8s %-12s %8s %8s %8s %7s %7s %7s %9s %9s %11s\n' "$n" pg-show-cold "$S_WALL" \
        "$S_CPU" "$S_RSS" "$(printf '%s\n' "$S_OUT" | wc -l)" - - - - -
    echo "BENCH n=$n step=pg-show-cold wall=$S_WALL cpu=$S_CPU rss_mb=$S_RSS" >>"$WORK/lines"
    local show_cold=$S_WALL
    cli_step "$n" pg-show "$RISKREG" -C "$pproj" show R-00001
    cli_step "$n" pg-due "$RISKREG" -C "$pproj" due
    cli_step "$n" pg-list-risks "$RISKREG" -C "$pproj" list risks
    awk -v p="$pg_import" -v f="$file_import" -v n="$n" 'BEGIN { printf "         import on the server / on register.db at N=%d: %.2f× (goal ≤ 3×)\n", n, p / f }'
    awk -v p="$pg_cold" -v f="$file_cold" -v n="$n" 'BEGIN { printf "         cold build on the server / on register.db at N=%d: %.2f× (goal ≤ 1.2×)\n", n, p / f }'
    awk -v p="$pg_warm" -v f="$file_warm" 'BEGIN { printf "         warm build on the server / on register.db: %.2f×\n", p / f }'
    awk -v p="$pg_changed" -v f="$file_changed" 'BEGIN { printf "         rebuild after one change on the server / on register.db: %.2f×\n", p / f }'
    echo "         command line on the server:${CLI_SUMMARY%,} (reading a kept copy);" \
        "show with nothing kept: $show_cold s"
}

printf '%-8s %-12s %8s %8s %8s %7s %7s %7s %9s %9s %11s\n' "risks" "step" "wall s" "cpu s" \
    "rss MB" "files" "drawn" "reused" "pages/s" "charts/s" "ms/risk"
for n in $SIZES; do
    data="$WORK/data-$n"
    mkdir -p "$data"
    awk -v n="$n" -v seed=20261125 -v out="$data" -f "$HERE/generate.awk"
    proj="$WORK/proj-$n"

    step import "rm -rf '$proj'; '$RISKREG' init -q '$proj'" "$RISKREG" -C "$proj" import "$data"
    # the records written, as import says (a CSV line count would count multi-line cells)
    records=$(printf '%s\n' "$S_OUT" | sed -nE 's/^imported .*: ([0-9]+) records? written$/\1/p')
    report "$n" import "$records" 0 0
    import_wall=$S_WALL
    db_mb=$(du -m "$proj/register.db" | cut -f1)

    jobs=${JOBS:+--jobs $JOBS}
    step cold "set_aside '$proj/public'" "$RISKREG" -C "$proj" build --quiet $jobs
    step cold "set_aside '$proj/public'" "$RISKREG" -C "$proj" build $jobs
    read -r files drawn reused rendered <<<"$(build_figures)"
    report "$n" cold "$files" "$drawn" "$reused" "$rendered"
    cold_wall=$S_WALL

    step warm ":" "$RISKREG" -C "$proj" build $jobs
    read -r files drawn reused rendered <<<"$(build_figures)"
    report "$n" warm "$files" "$drawn" "$reused" "$rendered"
    warm_wall=$S_WALL

    day=10
    step one-changed "day=\$((day + 1)); '$RISKREG' -C '$proj' assess R-00001 3 4 2 2 --on 2026-11-\$day >/dev/null" \
        "$RISKREG" -C "$proj" build $jobs
    read -r files drawn reused rendered <<<"$(build_figures)"
    report "$n" one-changed "$files" "$drawn" "$reused" "$rendered"
    changed_wall=$S_WALL

    # the command line, on the same register (the rules are Lua's, as in the site)
    CLI_SUMMARY=""
    cli_step "$n" show "$RISKREG" -C "$proj" show R-00001
    cli_step "$n" due "$RISKREG" -C "$proj" due
    # check exits 1 when it finds problems (a generated register has some)
    cli_step "$n" check sh -c '"$@" || [ $? = 1 ]' sh "$RISKREG" -C "$proj" check
    cli_step "$n" list-risks "$RISKREG" -C "$proj" list risks

    if command -v hugo >/dev/null 2>&1; then
        site="$WORK/hugo-$n"
        hugo_site "$data" "$site" "$proj/register.db"
        step hugo "set_aside '$site/public'" hugo --quiet -s "$site"
        report "$n" hugo "$(find "$site/public" -name '*.html' | wc -l)" 0 0
        awk -v r="$cold_wall" -v h="$S_WALL" -v n="$n" 'BEGIN { printf "         riskreg cold build / Hugo without charts at N=%d: %.2f\n", n, r / h }'
    fi
    if [ "$n" -le "$PEER_MAX" ] && "$PYTHON" -c 'import jinja2, matplotlib' 2>/dev/null; then
        peer="$WORK/peer-$n"
        step python "set_aside '$peer'" "$PYTHON" "$HERE/peer.py" "$proj/register.db" "$peer"
        report "$n" python "$(find "$peer" -type f | wc -l)" "$(find "$peer" -name '*.png' | wc -l)" 0
        awk -v r="$cold_wall" -v p="$S_WALL" -v n="$n" 'BEGIN { printf "         Python + jinja2 + matplotlib / riskreg cold build at N=%d: %.0f× (goal ≥ 100×)\n", n, p / r }'
    fi
    awk -v c="$changed_wall" -v w="$cold_wall" 'BEGIN { printf "         rebuild after one change / cold build: %.0f %%\n", 100 * c / w }'
    echo "         command line:${CLI_SUMMARY%,} (show ≤ 0.05 s, due and check ≤ 0.3 s, list risks ≤ 0.5 s)"
    echo "         register.db: $db_mb MB"
    [ "$BACKEND" = postgresql ] && server_steps "$n"
done

if [ -x "${CHART_BENCH:-}" ]; then
    ms=$("$CHART_BENCH")
    echo "BENCH step=chart-2x ms=$ms" >>"$WORK/lines"
    echo "one 640x240 line chart at 2x, drawn and encoded on one core: $ms ms (median of 200)"
fi
echo
cat "$WORK/lines"
