#!/usr/bin/env bash
# The demo register: it imports cleanly and holds what a newcomer should see.
source "$(dirname "$0")/lib.sh"
DEMO="$HERE/../register/demo"

mkdir -p demo && cp "$DEMO/riskreg.lua" demo/
t "the demo data imports in one go and verifies"
rr -C demo import "$DEMO/data" --on 2026-11-20
is_rc 0
out_has "risks.csv: 60 risks added"
out_has "imported $("$RISKREG" __complete kinds | wc -l) files" # a file per kind
is_eq "$err" "" "warnings"
rr -C demo verify
is_rc 0

t "the demo's requirements are the ISO/IEC 20000-1 library of register/frameworks, byte for byte"
cmp -s "$DEMO/data/requirements.csv" "$HERE/../register/frameworks/iso-iec-20000-1-2018.csv" ||
    _fail "register/demo/data/requirements.csv differs from register/frameworks/iso-iec-20000-1-2018.csv: copy it again"
[ -L "$DEMO/data/requirements.csv" ] && _fail "requirements.csv is a link: a copied demo folder would lose it"

t "about 60 risks and opportunities across services and categories"
is_eq "$(sql demo/register.db "SELECT count(*) FROM risk")" "60"
[ "$(sql demo/register.db "SELECT count(*) FROM risk WHERE kind = 'opportunity'")" -ge 4 ] || _fail "too few opportunities"
[ "$(sql demo/register.db "SELECT count(DISTINCT category) FROM risk")" -ge 6 ] || _fail "too few categories"
[ "$(sql demo/register.db "SELECT count(DISTINCT service) FROM risk")" -ge 6 ] || _fail "too few services"

t "quarterly reassessments from 2024-Q1 to 2026-Q4, with scores that move"
is_eq "$(sql demo/register.db "SELECT min(assessed_on) <= '2024-03-31' AND max(assessed_on) >= '2026-10-01' FROM assessment")" "1"
quarters=$(sql demo/register.db "SELECT count(DISTINCT strftime('%Y', assessed_on) || ((CAST(strftime('%m', assessed_on) AS INTEGER) + 2) / 3)) FROM assessment WHERE assessed_on >= '2024-01-01'")
is_eq "$quarters" "12" "quarters with assessments"
moved=$(sql demo/register.db "SELECT count(*) FROM (SELECT risk_id FROM assessment GROUP BY risk_id HAVING count(DISTINCT coalesce(residual_likelihood, likelihood) * coalesce(residual_impact, impact)) > 1)")
[ "$moved" -ge 20 ] || _fail "only $moved risks change score"

t "improvements, nonconformities, audits of each kind, KPIs of each kind, reviews with actions"
[ "$(sql demo/register.db "SELECT count(*) FROM improvement")" -ge 35 ] || _fail "improvements"
is_eq "$(sql demo/register.db "SELECT count(DISTINCT source) FROM improvement WHERE source IN ('audit','incident','customer')")" "3" "improvement sources"
[ "$(sql demo/register.db "SELECT count(*) FROM nonconformity WHERE root_cause IS NOT NULL AND corrective_action IS NOT NULL")" -ge 10 ] || _fail "nonconformities"
is_eq "$(sql demo/register.db "SELECT count(DISTINCT kind) FROM audit WHERE kind IN ('internal','certification','surveillance')")" "3" "audit kinds"
is_eq "$(sql demo/register.db "SELECT count(*) FROM kpi")" "10" "KPIs (two of training and awareness)"
is_eq "$(sql demo/register.db "SELECT count(DISTINCT kind) FROM kpi")" "5" "KPI kinds"
[ "$(sql demo/register.db "SELECT count(*) FROM (SELECT count(*) n FROM measurement GROUP BY kpi_id) WHERE n >= 24")" -ge 8 ] || _fail "monthly measurements"
[ "$(sql demo/register.db "SELECT min(n) FROM (SELECT count(*) n FROM measurement GROUP BY kpi_id)")" -ge 10 ] || _fail "quarterly measurements"
[ "$(sql demo/register.db "SELECT count(*) FROM review")" -ge 8 ] || _fail "reviews"
is_eq "$(sql demo/register.db "SELECT count(*) FROM review r WHERE r.status = 'held' AND NOT EXISTS (SELECT 1 FROM review_action a WHERE a.review_id = r.id)")" "0" "held reviews without actions"
is_eq "$(sql demo/register.db "SELECT count(*) FROM review r WHERE r.status = 'held' AND (SELECT count(*) FROM review_input i WHERE i.review_id = r.id AND i.input IN ('context_changes','policy','resources')) < 3")" "0" "held reviews missing narrative inputs"

t "the review cycle's story: eleven reviews held and kept, the next planned with some inputs"
rr -C demo review freeze
is_rc 0
out_has "kept the figures of 11 held reviews"
is_eq "$(sql demo/register.db "SELECT group_concat(id) FROM (SELECT id FROM review WHERE status = 'held' AND id IN (SELECT review_id FROM review_snapshot) ORDER BY id)")" \
    "MR-001,MR-002,MR-003,MR-004,MR-005,MR-006,MR-007,MR-008,MR-009,MR-010,MR-011" "held and kept"
is_eq "$(sql demo/register.db "SELECT status, planned_on > '2026-11-25', period, chair IS NOT NULL FROM review WHERE id = 'MR-012'")" "planned|1|2026-Q4|1" "MR-012"
n=$(sql demo/register.db "SELECT count(*) FROM review_input WHERE review_id = 'MR-012'")
[ "$n" -ge 2 ] && [ "$n" -lt 13 ] || _fail "MR-012 has $n inputs: some, not all"
is_eq "$(sql demo/register.db "SELECT count(*) FROM review WHERE status = 'held' AND (suitable IS NULL OR adequate IS NULL OR effective IS NULL)")" "0" "held reviews without conclusions"
[ "$(sql demo/register.db "SELECT count(*) FROM review_decision WHERE review_id = 'MR-011' AND owner IS NOT NULL AND due_on IS NOT NULL")" -ge 4 ] ||
    _fail "MR-011's decisions have owners and dates"
rr -C demo verify
is_rc 0

t "acceptances valid, expiring and expired; a risk whose treatment did not work; effectiveness checks"
rr -C demo build --quiet
is_rc 0
S=demo/public/data/summary.json
j() { sqlite3 :memory: "SELECT json_extract(readfile('$S'), '$1')"; }
[ "$(j '$.acceptances.valid')" -ge 3 ] || _fail "valid acceptances"
is_eq "$(j '$.acceptances.expiring')" "1" "an acceptance expiring"
[ "$(sql demo/register.db "SELECT count(*) FROM acceptance WHERE status = 'expired'")" -ge 1 ] || _fail "an expired acceptance"
[ "$(j '$.decisions.score_rose')" -ge 1 ] || _fail "an accepted risk whose score rose"
[ "$(j '$.risks.treatment_not_effective')" -ge 1 ] || _fail "a treatment that did not work"
file_has demo/public/risks/R-001.html '<span class="status bad">not effective</span>'
[ "$(sql demo/register.db "SELECT count(*) FROM nonconformity WHERE checked_on IS NOT NULL AND checked_by IS NOT NULL AND check_method IS NOT NULL")" -ge 10 ] ||
    _fail "effectiveness checks"
# R-008 is validly accepted and R-006, R-014 were tolerated by MR-011: not asked for the appetite
for r in R-008 R-006 R-014; do
    awk '/<h2 id="decisions">/ { on = 1 } on && /<h2 id="overdue">/ { exit } on' demo/public/index.html |
        grep "$r</a>" | grep -q "above the appetite" && _fail "$r is asked for the appetite again"
done

t "the demo has overdue work to show"
rr -C demo list risks --overdue
[ "$(printf '%s\n' "$out" | grep -c OVERDUE)" -ge 3 ] || _fail "overdue risk reviews"
rr -C demo due --within 0
out_has "OVERDUE"

done_testing
