#!/usr/bin/env bash
# The demo register: it imports cleanly and holds what a newcomer should see.
source "$(dirname "$0")/lib.sh"
DEMO="$HERE/../register/demo"

mkdir -p demo && cp "$DEMO/riskreg.lua" demo/
t "the demo data imports in one go and verifies"
rr -C demo import "$DEMO/data" --on 2026-11-20
is_rc 0
out_has "risks.csv: 60 risks added"
out_has "imported 12 files"
is_eq "$err" "" "warnings"
rr -C demo verify
is_rc 0

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
is_eq "$(sql demo/register.db "SELECT count(*) FROM kpi")" "8" "KPIs"
is_eq "$(sql demo/register.db "SELECT count(DISTINCT kind) FROM kpi")" "5" "KPI kinds"
[ "$(sql demo/register.db "SELECT min(n) FROM (SELECT count(*) n FROM measurement GROUP BY kpi_id)")" -ge 24 ] || _fail "monthly measurements"
[ "$(sql demo/register.db "SELECT count(*) FROM review")" -ge 8 ] || _fail "reviews"
is_eq "$(sql demo/register.db "SELECT count(*) FROM review r WHERE r.status = 'held' AND NOT EXISTS (SELECT 1 FROM review_action a WHERE a.review_id = r.id)")" "0" "held reviews without actions"
is_eq "$(sql demo/register.db "SELECT count(*) FROM review r WHERE (SELECT count(*) FROM review_input i WHERE i.review_id = r.id AND i.input IN ('context_changes','policy','resources')) < 3")" "0" "reviews missing narrative inputs"

t "the demo has overdue work to show"
rr -C demo list risks --overdue
[ "$(printf '%s\n' "$out" | grep -c OVERDUE)" -ge 3 ] || _fail "overdue risk reviews"
rr -C demo due --within 0
out_has "OVERDUE"

done_testing
