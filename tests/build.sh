#!/usr/bin/env bash
# riskreg build end to end: the site of the demo register, checked against figures this file
# computes itself with SQL on the same register (never hard-coded numbers); the pages, valid
# HTML, links, escaping, atomic publishing, the options, and the project's own pages/templates.
source "$(dirname "$0")/lib.sh"
ROOT="$HERE/.."
DEMO="$ROOT/register/demo"
TODAY=$RISKREG_TODAY

# ---- helpers ---------------------------------------------------------------------------------

# the scoring settings, read from the project's riskreg.lua (the demo's), not hard-coded
conf_levels() { sed -n 's/.*{ *name *= *"\([^"]*\)", *max *= *\([0-9][0-9]*\).*/\1 \2/p' "$1"; }
conf_value() { sed -n "s/.*\(^\|[^a-z_]\)$2 *= *\([0-9][0-9]*\).*/\2/p" "$1" | head -1; }

# SQL: the rank (1 = lowest) of a score in the level bands, NULL for NULL
level_rank_sql() {
    local expr=$1 rank=0 name max s="CASE WHEN ($1) IS NULL THEN NULL"
    while read -r name max; do
        rank=$((rank + 1))
        s="$s WHEN ($expr) <= $max THEN $rank"
    done <<<"$LEVELS"
    echo "$s ELSE $rank END"
}

residual_at() { # SQL: the residual score of risk r on a date (latest assessment on or before it)
    echo "(SELECT coalesce(a.residual_likelihood, a.likelihood) * coalesce(a.residual_impact, a.impact)
           FROM assessment a WHERE a.risk_id = r.id AND a.assessed_on <= '$1'
           ORDER BY a.assessed_on DESC LIMIT 1)"
}

# risk_cte D P: every risk with its state on D and on the previous date P (the SPEC's rule)
risk_cte() {
    local D=$1 P=$2
    cat <<EOF
WITH rv AS (
  SELECT r.*,
    r.created_on <= '$D' AS exists_d,
    (r.created_on <= '$D' AND (r.closed_on IS NULL OR r.closed_on > '$D')) AS open_d,
    (r.created_on <= '$P' AND (r.closed_on IS NULL OR r.closed_on > '$P')) AS open_p,
    $(residual_at "$D") AS score_d,
    $(residual_at "$P") AS score_p,
    (SELECT max(a.assessed_on) FROM assessment a WHERE a.risk_id = r.id AND a.assessed_on <= '$D') AS last_d
  FROM risk r),
rl AS (
  SELECT rv.*, $(level_rank_sql score_d) AS level_d, $(level_rank_sql score_p) AS level_p,
    CASE WHEN '$D' >= '$TODAY' AND next_review_on IS NOT NULL THEN next_review_on
         ELSE date(coalesce(last_d, created_on), '+' || coalesce(review_every_days, $EVERY) || ' days')
    END AS next_d
  FROM rv)
EOF
}

# expected DB D F P PERIOD PREVIOUS: "json-path|value" for every key of SPEC §7's summary
expected() {
    local db=$1 D=$2 F=$3 P=$4 period=$5 previous=$6 rank=0 name max by_level="" levels_json=""
    while read -r name max; do
        rank=$((rank + 1))
        by_level="$by_level UNION ALL SELECT '\$.risks.by_level.$name', count(*) FROM rl WHERE open_d AND level_d = $rank"
        levels_json="$levels_json UNION ALL SELECT '\$.scoring.levels[$((rank - 1))].name', '$name'
                     UNION ALL SELECT '\$.scoring.levels[$((rank - 1))].max', $max"
    done <<<"$LEVELS"
    local ACCEPTED="SELECT a.risk_id, a.expires_on FROM acceptance a JOIN rl ON rl.id = a.risk_id
      WHERE rl.open_d AND a.status IN ('accepted', 'expired', 'revoked') AND a.accepted_on <= '$D'
        AND a.accepted_on = (SELECT max(b.accepted_on) FROM acceptance b WHERE b.risk_id = a.risk_id
          AND b.accepted_on <= '$D' AND b.status IN ('accepted', 'expired', 'revoked'))
        AND a.status <> 'revoked'"
    # treatment plans past their target date: open or treating (a risk closed after D was open)
    local PLANS_LATE="SELECT id FROM rl WHERE open_d AND status <> 'accepted' AND target_on < '$D'"
    sql "$db" "$(risk_cte "$D" "$P")
    SELECT '\$.as_of', '$D'
    UNION ALL SELECT '\$.period', '$period'
    UNION ALL SELECT '\$.previous_period', '$previous'
    UNION ALL SELECT '\$.risks.open', count(*) FROM rl WHERE open_d
    $by_level
    UNION ALL SELECT '\$.risks.above_appetite', count(*) FROM rl WHERE open_d AND score_d > $APPETITE
    UNION ALL SELECT '\$.risks.overdue_reviews', count(*) FROM rl WHERE open_d AND next_d < '$D'
    UNION ALL SELECT '\$.risks.opportunities_open', count(*) FROM rl WHERE open_d AND kind = 'opportunity'
    UNION ALL SELECT '\$.risks.new_in_period', count(*) FROM rl WHERE created_on BETWEEN '$F' AND '$D'
    UNION ALL SELECT '\$.risks.closed_in_period', count(*) FROM rl WHERE exists_d AND closed_on BETWEEN '$F' AND '$D'
    UNION ALL SELECT '\$.risks.escalated', count(*) FROM rl WHERE open_d AND open_p AND level_d > level_p
    UNION ALL SELECT '\$.risks.deescalated', count(*) FROM rl WHERE open_d AND open_p AND level_d < level_p
    UNION ALL SELECT '\$.improvements.open', count(*) FROM improvement WHERE raised_on <= '$D'
      AND (status NOT IN ('done', 'rejected') OR done_on > '$D')
    UNION ALL SELECT '\$.improvements.overdue', count(*) FROM improvement WHERE raised_on <= '$D'
      AND (status NOT IN ('done', 'rejected') OR done_on > '$D') AND due_on < '$D'
    UNION ALL SELECT '\$.improvements.done_in_period', count(*) FROM improvement
      WHERE status = 'done' AND done_on BETWEEN '$F' AND '$D'
    UNION ALL SELECT '\$.nonconformities.open', count(*) FROM nonconformity WHERE raised_on <= '$D'
      AND (closed_on IS NULL OR closed_on > '$D')
    UNION ALL SELECT '\$.nonconformities.overdue', count(*) FROM nonconformity WHERE raised_on <= '$D'
      AND (closed_on IS NULL OR closed_on > '$D') AND due_on < '$D'
    UNION ALL SELECT '\$.nonconformities.raised_in_period', count(*) FROM nonconformity
      WHERE raised_on BETWEEN '$F' AND '$D'
    UNION ALL SELECT '\$.review_actions.open', count(*) FROM review_action a JOIN review v ON v.id = a.review_id
      WHERE v.held_on <= '$D' AND (a.status = 'open' OR a.closed_on > '$D')
    UNION ALL SELECT '\$.review_actions.overdue', count(*) FROM review_action a JOIN review v ON v.id = a.review_id
      WHERE v.held_on <= '$D' AND (a.status = 'open' OR a.closed_on > '$D') AND a.due_on < '$D'
    UNION ALL SELECT '\$.overdue.risk_reviews', count(*) FROM rl WHERE open_d AND next_d < '$D'
    UNION ALL SELECT '\$.overdue.treatment_plans', count(*) FROM ($PLANS_LATE)
    UNION ALL SELECT '\$.overdue.improvements', count(*) FROM improvement WHERE raised_on <= '$D'
      AND (status NOT IN ('done', 'rejected') OR done_on > '$D') AND due_on < '$D'
    UNION ALL SELECT '\$.overdue.corrective_actions', count(*) FROM nonconformity WHERE raised_on <= '$D'
      AND (closed_on IS NULL OR closed_on > '$D') AND due_on < '$D'
    UNION ALL SELECT '\$.overdue.review_actions', count(*) FROM review_action a JOIN review v ON v.id = a.review_id
      WHERE v.held_on <= '$D' AND (a.status = 'open' OR a.closed_on > '$D') AND a.due_on < '$D'
    UNION ALL SELECT '\$.overdue.acceptances', count(*) FROM ($ACCEPTED) WHERE expires_on < '$D'
    UNION ALL SELECT '\$.overdue.document_reviews', count(*) FROM document WHERE next_review_on < '$D'
    UNION ALL SELECT '\$.overdue.total', (SELECT count(*) FROM rl WHERE open_d AND next_d < '$D')
      + (SELECT count(*) FROM ($PLANS_LATE))
      + (SELECT count(*) FROM improvement WHERE raised_on <= '$D'
          AND (status NOT IN ('done', 'rejected') OR done_on > '$D') AND due_on < '$D')
      + (SELECT count(*) FROM nonconformity WHERE raised_on <= '$D'
          AND (closed_on IS NULL OR closed_on > '$D') AND due_on < '$D')
      + (SELECT count(*) FROM review_action a JOIN review v ON v.id = a.review_id
          WHERE v.held_on <= '$D' AND (a.status = 'open' OR a.closed_on > '$D') AND a.due_on < '$D')
      + (SELECT count(*) FROM ($ACCEPTED) WHERE expires_on < '$D')
      + (SELECT count(*) FROM document WHERE next_review_on < '$D')
    UNION ALL SELECT '\$.acceptances.valid', count(*) FROM ($ACCEPTED) WHERE expires_on >= '$D'
    UNION ALL SELECT '\$.risks.accepted', count(*) FROM ($ACCEPTED) WHERE expires_on >= '$D'
    UNION ALL SELECT '\$.improvements.awaiting_approval', count(*) FROM improvement
      WHERE raised_on <= '$D' AND status = 'proposed'
    UNION ALL SELECT '\$.scoring.matrix[0]', $SIZE
    UNION ALL SELECT '\$.scoring.matrix[1]', $SIZE
    UNION ALL SELECT '\$.scoring.appetite', $APPETITE
    UNION ALL SELECT '\$.scoring.score_function', '$SCORE_SHA'
    UNION ALL SELECT '\$.scoring.levels.length', $rank
    $levels_json"
}

# json FILE PATH: one value of a JSON file ('$.scoring.levels.length' gives an array's length)
json() {
    case $2 in
    *.length) sqlite3 :memory: "SELECT json_array_length(readfile('$1'), '${2%.length}')" ;;
    *) sqlite3 :memory: "SELECT json_extract(readfile('$1'), '$2')" ;;
    esac
}

# check_summary SITE DB D F P PERIOD PREVIOUS: every key of data/summary.json against SQL
check_summary() {
    local site=$1 path want got n=0
    [ -f "$site/data/summary.json" ] || {
        _fail "$site/data/summary.json is missing"
        return
    }
    while IFS='|' read -r path want; do
        got=$(json "$site/data/summary.json" "$path")
        is_eq "$got" "$want" "summary.json $path (as of $3)"
        n=$((n + 1))
    done < <(expected "$2" "$3" "$4" "$5" "$6" "$7")
    [ "$n" -ge 25 ] || _fail "only $n summary keys were compared"
}

# the value shown on a dashboard tile
tile() { grep -o "<span class=\"label\">$2</span><span class=\"value\"><a href=\"[^\"]*\">[^<]*</a>" "$1" |
    sed 's/.*">\([^<]*\)<\/a>$/\1/'; }

# check_tiles SITE: every tile against the summary.json figure of the same build
check_tiles() {
    local s=$1/data/summary.json idx=$1/index.html name max
    is_eq "$(tile "$idx" "Open risks")" "$(json "$s" '$.risks.open')" "tile Open risks"
    is_eq "$(tile "$idx" "Above appetite")" "$(json "$s" '$.risks.above_appetite')" "tile Above appetite"
    is_eq "$(tile "$idx" "Needs a decision")" "$(json "$s" '$.decisions.total')" "tile Needs a decision"
    is_eq "$(tile "$idx" "Overdue")" "$(json "$s" '$.overdue.total')" "tile Overdue"
    is_eq "$(tile "$idx" "Open improvements")" "$(json "$s" '$.improvements.open')" "tile Open improvements"
    is_eq "$(tile "$idx" "Open nonconformities")" "$(json "$s" '$.nonconformities.open')" "tile Open nonconformities"
    while read -r name max; do
        is_eq "$(tile "$idx" "$name")" "$(json "$s" "\$.risks.by_level.$name")" "tile $name"
    done <<<"$LEVELS"
}

# html_escape TEXT: TEXT as the site writes it (& < > " escaped)
html_escape() { printf '%s' "$1" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g'; }
# NARRATIVE_START: the first words of review inputs (SQL over review_input i), up to 60 characters
# and before anything Markdown or HTML might write otherwise
NARRATIVE_START="substr(i.text, 1, min(60, coalesce(nullif(min(
    instr(i.text, char(39)) + 60 * (instr(i.text, char(39)) = 0), instr(i.text, char(42)) + 60 * (instr(i.text, char(42)) = 0),
    instr(i.text, char(95)) + 60 * (instr(i.text, char(95)) = 0), instr(i.text, char(96)) + 60 * (instr(i.text, char(96)) = 0)),
    0), 61) - 1))"

# h2_section FILE ID: the lines from <h2 id="ID"> to the next <h2
h2_section() { awk -v id="<h2 id=\"$2\">" 'index($0, id) { on = 1; print; next } on && /<h2/ { exit } on' "$1"; }
# input_section FILE NAME: the review pack's section of one clause 9.3 input
input_section() { awk -v s="<section class=\"input\" id=\"$2\">" 'index($0, s) { on = 1 } on { print } on && /<\/section>/ { exit }' "$1"; }
# the risk IDs linked from some HTML text
risk_ids() { grep -o -E "href=\"([./]*risks/)?[A-Za-z0-9._-]+\.html\"" | sed -E "s/^href=\"//; s/\"\$//; s|.*/||; s/\.html\$//" | grep -v "^index\$" | LC_ALL=C sort -u; }

# tidy_errors SITE: "file: message" for every tidy error; tidy_warnings: warnings other than
# tidy 5.6 not knowing the ARIA attributes (aria-current is valid HTML5)
tidy_report() {
    local f
    find "$1" -name '*.html' | sort | while read -r f; do
        tidy -errors -quiet "$f" 2>&1 | sed "s|^|${f#"$1"/}: |"
    done
}


# ---- the demo register -------------------------------------------------------------------------

# the demo project: its settings and, when it has them, its own page scripts and templates
mkdir -p proj && cp "$DEMO/riskreg.lua" proj/
for d in scripts templates; do [ -d "$DEMO/$d" ] && cp -r "$DEMO/$d" proj/; done
DB=proj/register.db
CONF=proj/riskreg.lua
LEVELS=$(conf_levels "$CONF")
APPETITE=$(conf_value "$CONF" appetite)
EVERY=$(conf_value "$CONF" every_days)
SIZE=$(conf_value "$CONF" size)
SCORE_SHA=$(printf %s 'likelihood * impact' | sha256sum | cut -d' ' -f1)

t "the demo register imports and builds: exit 0, what was built, where"
is_eq "$(echo "$LEVELS" | wc -l)" "4" "level bands read from riskreg.lua"
rr -C proj import "$ROOT/register/demo/data" --on 2026-11-20
is_rc 0
rr -C proj build
is_rc 0
is_eq "$(printf '%s\n' "$out" | head -1 | sed -E 's/[0-9]+ files \(pages: [0-9]+ rendered, [0-9]+ kept; charts: [0-9]+ drawn, [0-9]+ reused\) in [0-9.]+ s$/N files (pages: P rendered, K kept; charts: D drawn, R reused) in T s/')" \
    "built 2026-Q4 as of 2026-11-25: N files (pages: P rendered, K kept; charts: D drawn, R reused) in T s"
out_has "proj/public/index.html"
[ -f proj/public/index.html ] || _fail "proj/public/index.html was not built"
[ -f proj/public/data/summary.json ] || _fail "proj/public/data/summary.json was not built"
is_eq "$err" "" "stderr of a good build"

t "the number of files reported is the number of files in the site"
n=$(printf '%s\n' "$out" | head -1 | sed -nE 's/.*: ([0-9]+) files .*/\1/p')
is_eq "$n" "$(find proj/public -type f ! -name .riskreg-site | wc -l)" "files"

t "the site is the same bytes whatever --jobs: one thread, three, and the default"
rr -C proj build --jobs 1 --out jobs1
is_rc 0
rr -C proj build --jobs 3 --out jobs3
is_rc 0
is_eq "$(tree_fp jobs1)" "$(tree_fp proj/public)" "--jobs 1 against the default"
is_eq "$(tree_fp jobs3)" "$(tree_fp proj/public)" "--jobs 3 against the default"
[ "$(find jobs1/charts -name '*.png' | wc -l)" -gt 10 ] || _fail "the demo site has few charts"

t "data/summary.json as of today matches the register (every key of SPEC §7)"
check_summary proj/public "$DB" 2026-11-25 2026-10-01 2026-09-30 2026-Q4 2026-Q3
# the demo is rich enough for these figures to mean something
[ "$(json proj/public/data/summary.json '$.risks.open')" -gt 20 ] || _fail "too few open risks in the demo"
[ "$(json proj/public/data/summary.json '$.risks.overdue_reviews')" -gt 0 ] || _fail "no overdue review in the demo"

t "the dashboard tiles show the summary's figures"
check_tiles proj/public
is_eq "$(tile proj/public/index.html "Open risks")" \
    "$(sql "$DB" "SELECT count(*) FROM risk WHERE created_on <= '2026-11-25' AND (closed_on IS NULL OR closed_on > '2026-11-25')")" "open risks tile vs SQL"

t "the register lists every open risk, and nothing else, in 'All open risks'"
want=$(sql "$DB" "SELECT id FROM risk WHERE created_on <= '$TODAY' AND (closed_on IS NULL OR closed_on > '$TODAY') ORDER BY id")
is_eq "$(h2_section proj/public/risks/index.html register | risk_ids)" "$want" "open risk IDs"
is_eq "$(h2_section proj/public/risks/index.html closed | risk_ids)" \
    "$(sql "$DB" "SELECT id FROM risk WHERE closed_on <= '$TODAY' ORDER BY id")" "closed risk IDs"

t "a page for every risk: risks/ holds one page per risk and the index"
is_eq "$(ls proj/public/risks | wc -l)" "$(($(sql "$DB" "SELECT count(*) FROM risk WHERE created_on <= '$TODAY'") + 1))" "files in risks/"
is_eq "$(ls proj/public/risks | grep -v '^index.html$' | sed "s/\.html$//" | LC_ALL=C sort)" \
    "$(sql "$DB" "SELECT id FROM risk WHERE created_on <= '$TODAY' ORDER BY id")" "risk pages"
r=$(sql "$DB" "SELECT id FROM risk WHERE status <> 'closed' AND description IS NOT NULL ORDER BY id LIMIT 1")
file_has "proj/public/risks/$r.html" "$(sql "$DB" "SELECT owner FROM risk WHERE id = '$r'")"
file_has "proj/public/risks/$r.html" "$(sql "$DB" "SELECT next_review_on FROM risk WHERE id = '$r'")"
is_eq "$(grep -o '<tr><td class="nowrap">[0-9]\{4\}-[0-9-]*</td>' "proj/public/risks/$r.html" | sort -u | wc -l)" \
    "$(sql "$DB" "SELECT count(*) FROM assessment WHERE risk_id = '$r' AND assessed_on <= '$TODAY'")" "assessment history of $r"

t "a risk's planned treatment: apart from the controls, its Markdown rendered, due in words, overdue said in words"
late=$(sql "$DB" "SELECT id FROM risk WHERE status IN ('open', 'treating') AND target_on < '$TODAY' ORDER BY id")
[ -n "$late" ] || _fail "the demo has no treatment plan overdue"
is_eq "$(h2_section proj/public/risks/index.html plans-overdue | sed "s/#plan//" | risk_ids)" "$late" "treatment plans overdue"
for r in $late; do
    f=proj/public/risks/$r.html
    file_has "$f" "<h2>Controls in place</h2>"
    file_has "$f" "<h2 id=\"plan\">Planned treatment — due $(date -d "$(sql "$DB" "SELECT target_on FROM risk WHERE id = '$r'")" '+%-d %B %Y')</h2>"
    file_has "$f" "Overdue since $(date -d "$(sql "$DB" "SELECT target_on FROM risk WHERE id = '$r'")" '+%-d %B %Y')</span>"
    file_has "$f" "days past its target date and the risk is still $(sql "$DB" "SELECT status FROM risk WHERE id = '$r'")."
    grep -A2 "<td>$(html_escape "$(sql "$DB" "SELECT title FROM risk WHERE id = '$r'")")" proj/public/risks/index.html |
        grep -q 'Plan overdue [0-9]* days' || _fail "the register does not mark $r's plan overdue"
done
# one due later: its date in words, its Markdown as HTML, nothing overdue
r=$(sql "$DB" "SELECT id FROM risk WHERE status IN ('open', 'treating') AND target_on > '$TODAY' AND action_plan LIKE '%**%' ORDER BY id LIMIT 1")
[ -n "$r" ] || _fail "the demo has no plan due later with Markdown emphasis"
f=proj/public/risks/$r.html
file_has "$f" "<h2 id=\"plan\">Planned treatment — due $(date -d "$(sql "$DB" "SELECT target_on FROM risk WHERE id = '$r'")" '+%-d %B %Y')</h2>"
file_has "$f" "<strong>$(sql "$DB" "SELECT substr(action_plan, instr(action_plan, '**') + 2, instr(substr(action_plan, instr(action_plan, '**') + 2), '**') - 1) FROM risk WHERE id = '$r'")</strong>"
grep -q "Overdue since" "$f" && _fail "$r's plan is not overdue"
# the dashboard counts them with everything else overdue
is_eq "$(grep -o 'plans-overdue">Treatment plans</a></th><td class="num">[0-9]*' proj/public/index.html | sed 's/.*>//')" \
    "$(echo "$late" | wc -l)" "dashboard: treatment plans overdue"

t "a treatment plan past its date is overdue only while the risk is open or treating"
new_register plans
for s in open treating accepted closed; do
    "$RISKREG" -C plans add risks title="Plan of a $s risk" owner="Ana Ferreira" status=$s \
        action_plan="Replace the *old* hosts" target_on=2026-10-31 created_on=2026-01-05 \
        $([ $s = closed ] && echo closed_on=2026-11-01) likelihood=3 impact=3 --on 2026-01-05 >/dev/null 2>&1
done
is_eq "$(sql plans/register.db "SELECT count(*) FROM risk WHERE target_on = '2026-10-31'")" "4" "risks added"
rr -C plans build
is_rc 0
is_eq "$(h2_section plans/public/risks/index.html plans-overdue | sed "s/#plan//" | risk_ids)" "R-001
R-002" "overdue plans: the open and the treating risk"
is_eq "$(json plans/public/data/summary.json '$.overdue.treatment_plans')" "2" "summary: treatment plans overdue"
file_has plans/public/risks/R-002.html "<em>old</em>"
file_has plans/public/risks/R-002.html "the risk is still treating"
grep -q "Overdue since" plans/public/risks/R-003.html && _fail "an accepted risk's plan is not overdue"
grep -q "Overdue since" plans/public/risks/R-004.html && _fail "a closed risk's plan is not overdue"
file_has plans/public/risks/R-003.html "Planned treatment — due 31 October 2026"
# on a date before the target, nothing was overdue
rr -C plans build --as-of 2026-09-30 --out plans/q3
is_rc 0
is_eq "$(json plans/q3/data/summary.json '$.overdue.treatment_plans')" "0" "treatment plans overdue on 2026-09-30"

# check_changes SITE DB D P: the changes page lists exactly the IDs SQL finds
check_changes() {
    local site=$1 db=$2 D=$3 P=$4 c
    c=$(risk_cte "$D" "$P")
    is_eq "$(h2_section "$site/changes.html" escalated | risk_ids)" \
        "$(sql "$db" "$c SELECT id FROM rl WHERE open_d AND open_p AND level_d > level_p ORDER BY id")" "escalated ($D)"
    is_eq "$(h2_section "$site/changes.html" deescalated | risk_ids)" \
        "$(sql "$db" "$c SELECT id FROM rl WHERE open_d AND open_p AND level_d < level_p ORDER BY id")" "de-escalated ($D)"
    is_eq "$(h2_section "$site/changes.html" new | risk_ids)" \
        "$(sql "$db" "SELECT id FROM risk WHERE created_on > '$P' AND created_on <= '$D' ORDER BY id")" "new ($D)"
    is_eq "$(h2_section "$site/changes.html" closed | risk_ids)" \
        "$(sql "$db" "SELECT id FROM risk WHERE closed_on > '$P' AND closed_on <= '$D' ORDER BY id")" "closed ($D)"
}

t "changes.html lists exactly the escalated, de-escalated, new and closed risks"
check_changes proj/public "$DB" 2026-11-25 2026-09-30
[ -n "$(h2_section proj/public/changes.html new | risk_ids)" ] || _fail "the demo has no new risk this quarter"

# owner_slug NAME: the page name of an owner (lower case, runs of other characters become '-')
owner_slug() { printf '%s' "$1" | tr 'A-Z' 'a-z' | sed -E 's/[^a-z0-9]+/-/g; s/^-+//; s/-+$//'; }
owners_sql() { # the owners of what is open on D
    echo "SELECT owner FROM risk WHERE created_on <= '$1' AND (closed_on IS NULL OR closed_on > '$1')
          UNION SELECT owner FROM improvement WHERE raised_on <= '$1' AND (status NOT IN ('done', 'rejected') OR done_on > '$1')
          UNION SELECT owner FROM nonconformity WHERE raised_on <= '$1' AND (closed_on IS NULL OR closed_on > '$1')
          UNION SELECT a.owner FROM review_action a JOIN review v ON v.id = a.review_id
            WHERE v.held_on <= '$1' AND (a.status = 'open' OR a.closed_on > '$1')"
}

t "an owner page for each owner of open work, with their open risks"
owners=$(sql "$DB" "SELECT DISTINCT owner FROM ($(owners_sql "$TODAY")) WHERE owner IS NOT NULL ORDER BY owner")
is_eq "$(ls proj/public/owners | grep -v '^index.html$' | wc -l)" "$(printf '%s\n' "$owners" | wc -l)" "owner pages"
while read -r o; do
    slug=$(owner_slug "$o")
    if [ -f "proj/public/owners/$slug.html" ]; then
        file_has "proj/public/owners/$slug.html" "<h1>$o</h1>"
        is_eq "$(h2_section "proj/public/owners/$slug.html" risks | risk_ids)" \
            "$(sql "$DB" "SELECT id FROM risk WHERE owner = '$o' AND created_on <= '$TODAY' AND (closed_on IS NULL OR closed_on > '$TODAY') ORDER BY id")" "risks of $o"
        file_has proj/public/owners/index.html "href=\"$slug.html\""
    else
        _fail "no owners/$slug.html for '$o'"
    fi
done <<<"$owners"

INPUTS="previous_actions context_changes nonconformity_trends measurement_trends audit_results
improvement_opportunities customer_feedback policy objectives service_performance other_parties
resources risks"

t "the review pack is the pre-read of the next planned review: its inputs, or 'no input recorded yet'"
next=$(sql "$DB" "SELECT id FROM review WHERE status = 'planned' ORDER BY planned_on LIMIT 1")
[ -n "$next" ] || _fail "the demo has no planned review"
file_has proj/public/review/index.html "($next)"
for name in $INPUTS; do
    is_eq "$(grep -c "<section class=\"input\" id=\"$name\">" proj/public/review/index.html)" "1" "section $name"
    section=$(input_section proj/public/review/index.html "$name")
    [ "$(printf '%s\n' "$section" | wc -l)" -gt 2 ] || _fail "input $name is empty"
    words=$(sql "$DB" "SELECT $NARRATIVE_START FROM review_input i WHERE review_id = '$next' AND input = '$name'")
    if [ -n "$words" ]; then
        printf '%s\n' "$section" | grep -qF "$(html_escape "$words" | cut -c1-30)" || _fail "the $name input of $next is not in its section"
    else
        printf '%s\n' "$section" | grep -qF "No input recorded yet for $next" || _fail "input $name does not say none is recorded yet for $next"
    fi
done
is_eq "$(grep -c '<section class="input" id=' proj/public/review/index.html)" "14" "13 inputs and the reviews held"
[ "$(sql "$DB" "SELECT count(*) FROM review_input WHERE review_id = '$next'")" -ge 2 ] || _fail "$next has too few inputs in the demo"

t "no held review's input text appears in the pre-read (the narrative and its figures are of one date)"
n=0
while IFS= read -r words; do
    n=$((n + 1))
    grep -qF "$(html_escape "$words")" proj/public/review/index.html && _fail "a held review's input is in the pre-read: $words"
done < <(sql "$DB" "SELECT DISTINCT $NARRATIVE_START AS w FROM review_input i JOIN review v ON v.id = i.review_id
                    WHERE v.held_on IS NOT NULL AND length(w) >= 20")
[ "$n" -gt 50 ] || _fail "only $n held inputs were looked for"

t "section a) lists the open and recently closed actions of every held review, the latest included"
last=$(sql "$DB" "SELECT id FROM review WHERE held_on <= '$TODAY' ORDER BY held_on DESC LIMIT 1")
want=$(sql "$DB" "SELECT a.id FROM review_action a JOIN review v ON v.id = a.review_id WHERE v.held_on <= '$TODAY'
                  AND (a.status = 'open' OR a.closed_on > (SELECT held_on FROM review WHERE id = '$last')) ORDER BY a.id")
is_eq "$(input_section proj/public/review/index.html previous_actions | grep -o '<td class="nowrap">MA-[0-9]*' | sed 's/.*>//' | sort)" \
    "$want" "actions in a)"
printf '%s\n' "$want" | grep -q . || _fail "no action to list"
[ -n "$(sql "$DB" "SELECT id FROM review_action WHERE review_id = '$last' AND status = 'open'")" ] || _fail "$last has no open action in the demo"

t "every page of the demo site is valid HTML (tidy: no errors)"
report=$(tidy_report proj/public)
is_eq "$(printf '%s\n' "$report" | grep -c 'Error:')" "0" "tidy errors: $(printf '%s\n' "$report" | grep 'Error:' | head -3)"
[ "$(find proj/public -name '*.html' | wc -l)" -gt 70 ] || _fail "fewer pages than expected"

t "tidy has no warnings but about the ARIA attributes it does not know"
is_eq "$(printf '%s\n' "$report" | grep 'Warning:' | grep -v 'proprietary attribute "aria-' | head -5)" "" "tidy warnings"

t "every relative link and image of the demo site resolves to a file of the site"
is_eq "$(broken_links proj/public | head -10)" "" "broken links"
is_eq "$(grep -r -c -E 'href="(\.\./|[a-z])' --include='*.html' proj/public | awk -F: '{ s += $2 } END { print (s > 500) }')" "1" "links were found"

t "no page loads anything from outside the site (no CDN, no web font, no script)"
is_eq "$(grep -r -l -i -E '(src|srcset|action|poster|data)=["'\'']?(https?:)?//|<(link|base)[^>]*href=["'\'']?(https?:)?//' --include='*.html' proj/public)" "" "pages with external resources"
is_eq "$(grep -r -l -i -E 'url\(|@import|https?://' --include='*.css' proj/public)" "" "stylesheets with external resources"
is_eq "$(grep -r -l -i -E '<(script|iframe|object|embed)\b' --include='*.html' proj/public)" "" "pages with scripts or embeds"
# a page names an outside address only as a link a reader follows (a document's location), never
# as something it loads
is_eq "$(grep -r -l -i 'https\?://' --include='*.html' proj/public | xargs -r grep -L 'rel="noopener noreferrer"' |
    tr '\n' ' ')" "" "pages naming http(s) URLs other than in a link"
is_eq "$(grep -r -h -o -i -E '<[a-z]+ [^>]*https?://[^>]*>' --include='*.html' proj/public |
    grep -v -E '^<a href="https?://[^"]*" rel="noopener noreferrer">$' | head -3)" "" "http(s) URLs outside a plain outbound link"

# ---- other dates -------------------------------------------------------------------------------

t "--as-of 2025-06-30: the figures as they were then (period 2025-Q2 against 2025-Q1)"
rr -C proj build --as-of 2025-06-30 --out proj/past
is_rc 0
out_has "built 2025-Q2 as of 2025-06-30: "
out_has "proj/past/index.html"
check_summary proj/past "$DB" 2025-06-30 2025-04-01 2025-03-31 2025-Q2 2025-Q1
check_tiles proj/past

t "--as-of 2025-06-30: the register, risk pages and changes are those of that date"
is_eq "$(h2_section proj/past/risks/index.html register | risk_ids)" \
    "$(sql "$DB" "SELECT id FROM risk WHERE created_on <= '2025-06-30' AND (closed_on IS NULL OR closed_on > '2025-06-30') ORDER BY id")" "open risk IDs then"
is_eq "$(ls proj/past/risks | wc -l)" "$(($(sql "$DB" "SELECT count(*) FROM risk WHERE created_on <= '2025-06-30'") + 1))" "files in risks/"
check_changes proj/past "$DB" 2025-06-30 2025-03-31
# a risk closed after the date shows open, with no closing date
late=$(sql "$DB" "SELECT id FROM risk WHERE created_on <= '2025-06-30' AND closed_on > '2025-06-30' ORDER BY id LIMIT 1")
if [ -n "$late" ]; then
    h2_section proj/past/risks/index.html register | grep -qF "risks/$late.html" || _fail "$late was open on 2025-06-30"
    grep -qF "$(sql "$DB" "SELECT closed_on FROM risk WHERE id = '$late'")" "proj/past/risks/$late.html" && _fail "$late shows a closing date it did not have yet"
else
    _fail "the demo has no risk closed after 2025-06-30"
fi
[ -f proj/public/index.html ] || _fail "building to --out removed the default site"

t "--as-of 2025-06-30: the pack prepares the next review without a held review's narrative; record pages of those held by then"
next=$(sql "$DB" "SELECT id FROM review WHERE coalesce(held_on, planned_on) > '2025-06-30' ORDER BY coalesce(held_on, planned_on) LIMIT 1")
file_has proj/past/review/index.html "($next)"
file_has proj/past/review/index.html "has been held since 2025-06-30"
while IFS= read -r words; do
    grep -qF "$(html_escape "$words")" proj/past/review/index.html && _fail "a held review's input is in the past pack: $words"
done < <(sql "$DB" "SELECT DISTINCT $NARRATIVE_START AS w FROM review_input i WHERE length(w) >= 20")
is_eq "$(ls proj/past/review | grep -v '^index.html$' | sed 's/\.html$//' | sort)" \
    "$(sql "$DB" "SELECT id FROM review WHERE held_on <= '2025-06-30' ORDER BY id")" "record pages in the past site"

t "on a past date the next review is derived from the assessments then, not today's next_review_on"
mkdir -p aged && cp "$CONF" "$DB" aged/
for d in scripts templates; do [ -d "proj/$d" ] && cp -r "proj/$d" aged/; done
"$RISKREG" -C aged add risks id=R-801 title="Assessed once, long ago" owner="Ana Ferreira" \
    created_on=2025-01-10 likelihood=4 impact=4 --on 2025-01-10 >/dev/null 2>&1
"$RISKREG" -C aged assess R-801 2 2 --on 2026-11-01 >/dev/null 2>&1 # today's next_review_on is in 2027
"$RISKREG" -C aged add risks id=R-802 title="Reviewed monthly" owner="Ana Ferreira" \
    created_on=2025-05-01 review_every_days=30 likelihood=2 impact=2 --on 2025-05-15 >/dev/null 2>&1
"$RISKREG" -C aged add risks id=R-803 title="Never assessed" owner="Ana Ferreira" created_on=2025-03-01 >/dev/null 2>&1
is_eq "$(sql aged/register.db "SELECT count(*) FROM risk WHERE id IN ('R-801', 'R-802', 'R-803')")" "3" "risks added"
rr -C aged build --as-of 2025-06-30 --out aged/past
is_rc 0
check_summary aged/past aged/register.db 2025-06-30 2025-04-01 2025-03-31 2025-Q2 2025-Q1
is_eq "$(h2_section aged/past/risks/index.html overdue | risk_ids)" \
    "$(sql aged/register.db "$(risk_cte 2025-06-30 2025-03-31) SELECT id FROM rl WHERE open_d AND next_d < '2025-06-30' ORDER BY id")" "overdue on 2025-06-30"
h2_section aged/past/risks/index.html overdue | grep -qF "R-801.html" || _fail "R-801 was overdue on 2025-06-30"
rr -C aged build
is_rc 0
check_summary aged/public aged/register.db 2026-11-25 2026-10-01 2026-09-30 2026-Q4 2026-Q3
h2_section aged/public/risks/index.html overdue | grep -qF "R-801.html" && _fail "R-801 is not overdue today"

t "--period 2026-Q3: as of 2026-09-30, against 2026-Q2"
rr -C proj build --period 2026-Q3 --out proj/q3
is_rc 0
out_has "built 2026-Q3 as of 2026-09-30: "
check_summary proj/q3 "$DB" 2026-09-30 2026-07-01 2026-06-30 2026-Q3 2026-Q2
check_tiles proj/q3
check_changes proj/q3 "$DB" 2026-09-30 2026-06-30

t "the past sites are valid HTML with working links too"
is_eq "$(tidy_report proj/past | grep -c 'Error:')" "0" "tidy errors in proj/past"
is_eq "$(tidy_report proj/q3 | grep -c 'Error:')" "0" "tidy errors in proj/q3"
is_eq "$(broken_links proj/past | head -5)" "" "broken links in proj/past"
is_eq "$(broken_links proj/q3 | head -5)" "" "broken links in proj/q3"

t "--period of the current quarter is today's site"
rr -C proj build --period 2026-Q4 --out proj/q4
is_rc 0
out_has "built 2026-Q4 as of 2026-11-25: "
is_eq "$(cat proj/q4/data/summary.json)" "$(cat proj/public/data/summary.json)" "summary.json"

# ---- a fresh register --------------------------------------------------------------------------

t "a fresh register with one risk: every input has its section; those without data say so"
new_register fresh
"$RISKREG" -C fresh add risks title="Server room flood" owner="Ana Ferreira" likelihood=2 impact=3 >/dev/null 2>&1
rr -C fresh build
is_rc 0
for name in $INPUTS; do
    is_eq "$(grep -c "<section class=\"input\" id=\"$name\">" fresh/public/review/index.html)" "1" "section $name"
done
for name in policy resources context_changes previous_actions audit_results objectives other_parties; do
    input_section fresh/public/review/index.html "$name" | grep -qF "No input recorded" ||
        _fail "input $name without data does not say 'No input recorded'"
done
input_section fresh/public/review/index.html risks | grep -qF "No input recorded" && _fail "the risks input has a risk"
f=fresh/public/data/summary.json
is_eq "$(json $f '$.risks.open')" "1" "open"
is_eq "$(json $f '$.risks.new_in_period')" "1" "new"
is_eq "$(json $f '$.improvements.open')" "0" "improvements"
[ -f fresh/public/risks/R-001.html ] || _fail "no page for R-001"
[ -f fresh/public/owners/ana-ferreira.html ] || _fail "no owner page"

t "the fresh site is valid HTML with working links"
is_eq "$(tidy_report fresh/public | grep -c 'Error:')" "0" "tidy errors"
is_eq "$(broken_links fresh/public)" "" "broken links"

# ---- escaping ----------------------------------------------------------------------------------

t "text from the register is escaped everywhere; Markdown drops raw HTML and javascript: links"
cp -r proj esc && rm -rf esc/public esc/past esc/q3 esc/q4
"$RISKREG" -C esc add risks id=R-900 title='<script>alert(1)</script> Evil' \
    owner='"><img src=x onerror=alert(1)>' category='<script>alert(2)</script>' \
    description=$'Raw <script>alert(3)</script> and <img src=x onerror=alert(4)>\n\n<div onclick="alert(5)">block</div>\n\n[x](javascript:alert(1)) and [y](JaVaScRiPt:alert(6)) <a href="javascript:alert(7)">z</a>' \
    controls=$'**bold** <iframe src="https://evil.example/"></iframe>' likelihood=5 impact=5 >/dev/null 2>&1
is_eq "$(sql esc/register.db "SELECT title FROM risk WHERE id = 'R-900'")" "<script>alert(1)</script> Evil" "stored title"
rr -C esc build
is_rc 0
is_eq "$(grep -r -l -i '<script' --include='*.html' esc/public)" "" "pages with <script"
is_eq "$(grep -r -l -i 'javascript:' --include='*.html' esc/public)" "" "pages with javascript:"
is_eq "$(grep -r -l -i -F -e '<img src=x onerror' -e '<iframe src="https://evil' -e '<div onclick=' --include='*.html' esc/public)" "" "pages with a raw tag from the register"
file_has esc/public/risks/R-900.html "&lt;script&gt;alert(1)&lt;/script&gt; Evil"
file_has esc/public/risks/R-900.html "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
file_has esc/public/risks/R-900.html "<strong>bold</strong>"
file_has esc/public/risks/index.html "&lt;script&gt;alert(1)&lt;/script&gt; Evil"
file_has esc/public/index.html "&lt;script&gt;alert(2)&lt;/script&gt;"
ls esc/public/owners/img-src-x-onerror-alert-1.html >/dev/null 2>&1 || _fail "no safe slug page for the hostile owner (got: $(ls esc/public/owners | tr '\n' ' '))"

t "the site with hostile text is still valid HTML with working links"
is_eq "$(tidy_report esc/public | grep -c 'Error:')" "0" "tidy errors"
is_eq "$(broken_links esc/public)" "" "broken links"

# ---- atomic output -----------------------------------------------------------------------------

staging_left() { find "$1" -maxdepth 1 -name '.*.new-*' | head -3; }

t "a script error fails the build with file:line on one line; the site stays as it was"
before=$(tree_fp proj/public)
mkdir -p proj/scripts
printf '%s\n' '-- a broken site' 'local site = require "riskreg.site"' 'local page = nil' \
    'site.write("index.html", page.text)' >proj/scripts/site.lua
rr -C proj build
is_rc 1
is_eq "$(printf '%s\n' "$err" | head -1 | grep -cE '^riskreg: .*proj/scripts/site\.lua:4: attempt to index a nil value')" "1" "first line: $(printf '%s\n' "$err" | head -1)"
is_eq "$(printf '%s\n' "$err" | wc -l)" "1" "lines on stderr"
is_eq "$out" "" "stdout of a failed build"
is_eq "$(tree_fp proj/public)" "$before" "public/ after a failed build"
is_eq "$(staging_left proj)" "" "staging folders left"
rm -f proj/scripts/site.lua

t "an error in a project page script, after every built-in page was made, changes nothing"
mkdir -p proj/scripts/pages
printf '%s\n' 'local site = require "riskreg.site"' 'assert(site.write("broken.html", "half done"))' \
    'error("the page script gave up")' >proj/scripts/pages/zz-broken.lua
rr -C proj build
is_rc 1
err_has "proj/scripts/pages/zz-broken.lua:3: the page script gave up"
is_eq "$(printf '%s\n' "$err" | wc -l)" "1" "lines on stderr"
is_eq "$(tree_fp proj/public)" "$before" "public/ after a failed build"
is_eq "$(staging_left proj)" "" "staging folders left"
rm -f proj/scripts/pages/zz-broken.lua

t "a broken project template fails the build naming the template and line; the site stays"
mkdir -p proj/templates
printf '%s\n' '<% layout("layout.html") -%>' '<p>Audits</p>' '<% if then %>' >proj/templates/audits.html
rr -C proj build
is_rc 1
err_has "proj/templates/audits.html:3:"
is_eq "$(printf '%s\n' "$err" | wc -l)" "1" "lines on stderr"
is_eq "$(tree_fp proj/public)" "$before" "public/ after a failed build"
is_eq "$(staging_left proj)" "" "staging folders left"
printf '%s\n' '<% layout("layout.html") -%>' '<p><%= no_such_variable %></p>' >proj/templates/audits.html
rr -C proj build
is_rc 1
err_has "proj/templates/audits.html:2:"
err_has "no_such_variable"
is_eq "$(tree_fp proj/public)" "$before" "public/ after a failed build"
rm -f proj/templates/audits.html

t "a failed build to --out leaves that folder as it was too"
past=$(tree_fp proj/past)
printf '%s\n' 'error("no")' >proj/scripts/pages/zz-broken.lua
rr -C proj build --as-of 2025-06-30 --out proj/past
is_rc 1
is_eq "$(tree_fp proj/past)" "$past" "proj/past after a failed build"
is_eq "$(staging_left proj)" "" "staging folders left"
rm -f proj/scripts/pages/zz-broken.lua

t "a failed first build leaves no site and no staging folder"
mkdir -p first && cp "$DEMO/riskreg.lua" first/ && cp "$DB" first/register.db
mkdir -p first/scripts/pages && printf '%s\n' 'error("no")' >first/scripts/pages/a.lua
rr -C first build
is_rc 1
[ -e first/public ] && _fail "a failed first build left first/public"
is_eq "$(staging_left first)" "" "staging folders left"

t "a good build after failed ones replaces the site whole (stale files go)"
echo stale >proj/public/risks/R-999.html
rr -C proj build
is_rc 0
[ -e proj/public/risks/R-999.html ] && _fail "a file not made by this build survived"
is_eq "$(staging_left proj)" "" "staging folders left"
[ -f proj/public/.riskreg-site ] || _fail "the site has no marker"

t "--out refuses an existing folder riskreg did not build, and leaves it alone"
mkdir -p mine/sub && echo "my notes" >mine/notes.txt && echo x >mine/sub/x.txt
mine=$(tree_fp mine)
rr -C proj build --out mine
is_rc 1
err_has "mine: exists and is not a site riskreg built"
is_eq "$(tree_fp mine)" "$mine" "the folder"
is_eq "$(staging_left .)" "" "staging folders left"
echo "not a folder" >afile
rr -C proj build --out afile
is_rc 1
is_eq "$(cat afile)" "not a folder" "the file"

t "--out into an empty folder, or a new one, builds there"
mkdir empty
rr -C proj build --out empty
is_rc 0
[ -f empty/index.html ] || _fail "nothing built into the empty folder"
rr -C proj build --out new/deeper/site
if [ "$rc" = 0 ]; then
    [ -f new/deeper/site/index.html ] || _fail "exit 0 but no site"
else
    err_has "new/deeper"
fi

t "--out a symlink to a folder is refused, and its target is left alone"
mkdir -p elsewhere && echo keep >elsewhere/keep.txt && ln -s elsewhere linked
rr -C proj build --out linked
is_rc 1
is_eq "$(ls elsewhere)" "keep.txt" "the link's target"

# ---- options -----------------------------------------------------------------------------------

t "usage errors exit 2 and leave the site alone"
before=$(tree_fp proj/public)
rr -C proj build --period 2026-Q5
is_rc 2
err_has "2026-Q5"
rr -C proj build --as-of 2030-01-01
is_rc 2
err_has "2030-01-01 is in the future"
rr -C proj build --period 2026-Q4 --as-of 2026-11-01
is_rc 2
err_has "not both"
rr -C proj build --period 2026-Q5 --as-of 2030-01-01
is_rc 2
rr -C proj build --period 2027-Q1
is_rc 2
rr -C proj build --as-of 2026-02-30
is_rc 2
rr -C proj build --script-memory 0
is_rc 2
err_has "--script-memory"
rr -C proj build --script-timeout 0
is_rc 2
rr -C proj build extra
is_rc 2
is_eq "$(tree_fp proj/public)" "$before" "public/"

# ---- the project's own pages and templates ----------------------------------------------------

t "project pages run after the built-in ones, in name order; project templates override"
mkdir -p proj/scripts/pages proj/templates
cat >proj/scripts/pages/a-first.lua <<'EOF'
local site = require "riskreg.site"
assert(site.write("a.txt", "a"))
site.data_file { path = "a.txt", label = "written by a-first" }
EOF
# a built-in page is replaced by overriding its builder (a page script cannot write over it)
mkdir -p proj/scripts/lib/pages
cat >proj/scripts/lib/pages/changes.lua <<'EOF'
local site = require "riskreg.site"
return function()
  assert(site.write("changes.html", "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>c</title></head><body><p>project changes</p></body></html>"))
end
EOF
cat >proj/templates/extra.html <<'EOF'
<% layout("layout.html") -%>
<p id="extra">The register holds <%= risks %> risks as of <%= as_of %>.</p>
EOF
cat >proj/templates/audits.html <<'EOF'
<% layout("layout.html") -%>
<p id="project-audits">Audits, the project's way: <%= #audits %> held.</p>
EOF
# extra.html uses the layout, which needs what ctx.page gives; give it through the globals
cat >proj/scripts/pages/b-extra.lua <<'EOF'
local site = require "riskreg.site"
local template = require "riskreg.template"
local db = require "riskreg.db"
local nav = {}
assert(site.write("extra.html", template.render("extra.html", {
  title = "Extra", root = "", nav = nav, breadcrumb = false,
  site = { name = site.name, period = site.period, as_of = site.as_of,
           previous_period = site.previous_period, today = site.today },
  risks = db.value("SELECT count(*) FROM risk"), as_of = site.as_of })))
local listed = site.data_files()
assert(site.write("order.txt", #listed == 1 and listed[1].path == "a.txt" and "b after a" or "b first"))
EOF
rr -C proj build
is_rc 0
is_eq "$(cat proj/public/order.txt 2>/dev/null)" "b after a" "the page scripts' order"
file_has proj/public/extra.html "The register holds $(sql "$DB" "SELECT count(*) FROM risk") risks as of 2026-11-25."
file_has proj/public/extra.html "<title>Extra · Northwind Managed Services</title>"
file_has proj/public/changes.html "project changes"
file_has proj/public/audits/index.html "Audits, the project's way: $(sql "$DB" "SELECT count(*) FROM audit WHERE held_on <= '$TODAY'") held."
grep -q "<h2" proj/public/audits/index.html && _fail "the built-in audits template was used"
is_eq "$(tidy -errors -quiet proj/public/extra.html 2>&1 | grep -c Error:)" "0" "tidy errors in extra.html"
n=$(printf '%s\n' "$out" | head -1 | sed -nE 's/.*: ([0-9]+) files .*/\1/p')
is_eq "$n" "$(find proj/public -type f ! -name .riskreg-site | wc -l)" "files reported"

t "a project template overrides a built-in partial used by every page"
printf '%s\n' '<span class="delta">PROJECT DELTA</span>' >proj/templates/_delta.html
rr -C proj build
is_rc 0
file_has proj/public/index.html "PROJECT DELTA"
rm -f proj/scripts/lib/pages/changes.lua proj/scripts/pages/a-first.lua proj/scripts/pages/b-extra.lua proj/templates/extra.html proj/templates/audits.html proj/templates/_delta.html
rr -C proj build
is_rc 0
[ -e proj/public/extra.html ] && _fail "extra.html outlived its script"
grep -q "PROJECT DELTA" proj/public/index.html && _fail "the removed template is still used"

t "the data export runs beside the pages, but the site holds only the exports its scripts ask for"
new_register own
"$RISKREG" -C own add risks id=R-001 title="A risk" likelihood=2 impact=2 >/dev/null
mkdir -p own/scripts
# a site of its own: no export at all, a data/register.json of its own, an export elsewhere
cat >own/scripts/site.lua <<'EOF2'
local site = require "riskreg.site"
assert(site.write("index.html", "<!doctype html><title>own</title>"))
assert(site.write("data/register.json", '{"own": true}'))
EOF2
rr -C own build
is_rc 0
is_eq "$(cat own/public/data/register.json)" '{"own": true}' "the script's own data/register.json"
is_eq "$(ls own/public/data)" "register.json" "files in data/"
cat >own/scripts/site.lua <<'EOF2'
local site = require "riskreg.site"
local export = require "riskreg.export"
assert(site.write("index.html", "<!doctype html><title>own</title>"))
assert(site.export_data("downloads", export.tables { as_of = site.as_of }))
EOF2
rr -C own build
is_rc 0
[ -e own/public/data ] && _fail "data/ made though no script asked for it"
is_eq "$(cut -d, -f1 own/public/downloads/risks.csv | tail -n +2)" "R-001" "downloads/risks.csv"
[ -f own/public/downloads/register.xlsx ] || _fail "no downloads/register.xlsx"
is_eq "$(grep -c downloads/ own/public/.riskreg-site)" "1" "manifest lines for downloads/ (the workbook)"

t "a site of many folders (more than are kept open at once) gets every file, and a rebuild links them"
cat >own/scripts/site.lua <<'EOF2'
local site = require "riskreg.site"
assert(site.write("index.html", "<!doctype html><title>own</title>"))
for i = 1, 150 do
  assert(site.write(("f%03d/deep/page.html"):format(i), "page " .. i))
  assert(site.write(("f%03d/index.html"):format(i % 7), "index " .. i % 7)) -- back to old folders
end
EOF2
rr -C own build
is_rc 0
is_eq "$(find own/public -name page.html | wc -l)" 150 "pages written"
is_eq "$(cat own/public/f150/deep/page.html)" "page 150" "the last folder's page"
is_eq "$(cat own/public/f003/index.html)" "index 3" "a folder written into again"
ino=$(stat -c %i own/public/f077/deep/page.html)
rr -C own build
is_rc 0
is_eq "$(stat -c %i own/public/f077/deep/page.html)" "$ino" "an unchanged page after a rebuild (linked)"

done_testing
