#!/usr/bin/env bash
# The way to certification on the site (issue 15, item 6): the readiness page (the clause tree
# with each status in words, the share conforming per clause and overall, the trend, the gaps,
# training and awareness), a page per requirement (the auditor's view), the documents, the audit
# programme with its coverage, the certificate panel on the dashboard and the review pack's
# readiness and coverage. Figures are checked against SQL over the register, on today and on an
# earlier date; every new text field is tried with XSS payloads.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
SECOND="$DATA/frameworks/iso-9001-small.csv"
TODAY=2026-11-25

# ---- helpers -----------------------------------------------------------------------------------

# text_of FILE PATTERN: the first line of FILE matching the extended regex, tags stripped
text_of() { grep -m1 -E -- "$2" "$1" | sed -e 's/<[^>]*>//g' -e 's/&amp;/\&/g'; }
# row_of FILE TEXT: the table row holding TEXT, on one line (Markdown in a cell spans lines)
row_of() { awk -v t="$2" 'index($0, t) { on = 1 } on { printf "%s", $0 } on && /<\/tr>/ { exit }' "$1"; }
# percent PART WHOLE: a share as the site writes it ("50 %", with a narrow no-break space)
percent() { awk -v p="$1" -v w="$2" 'BEGIN { if (w == 0) print "–"; else printf "%.0f\xe2\x80\xaf%%\n", p * 100 / w }'; }

# the latest readiness of each requirement on a date, as SQL (id, assessable, status)
latest_sql() {
    echo "SELECT r.id, r.assessable, coalesce((SELECT x.status FROM readiness x WHERE x.requirement_id = r.id
        AND x.assessed_on <= '$1' ORDER BY x.assessed_on DESC LIMIT 1), 'not_assessed') AS status FROM requirement r"
}
# share DB DATE: "conforming applicable" over every framework
share() { sql "$1" "SELECT sum(status = 'conforming'), sum(status <> 'not_applicable') FROM ($(latest_sql "$2")) WHERE assessable = 'yes'" | tr '|' ' '; }
# clause_share DB DATE TOP: "conforming applicable" under a top clause (itself included)
clause_share() {
    sql "$1" "WITH RECURSIVE under(id) AS (SELECT '$3' UNION ALL SELECT r.id FROM requirement r JOIN under u ON r.parent = u.id)
        SELECT coalesce(sum(status = 'conforming'), 0), coalesce(sum(status <> 'not_applicable'), 0)
        FROM ($(latest_sql "$2")) l WHERE assessable = 'yes' AND id IN (SELECT id FROM under)" | tr '|' ' '
}
# covered DB DATE START: assessable requirements an internal audit held after START and on or
# before DATE had in scope (a clause covers its subclauses)
covered() {
    sql "$1" "WITH RECURSIVE anc(id, a) AS (SELECT id, id FROM requirement
          UNION ALL SELECT anc.id, r.parent FROM anc JOIN requirement r ON r.id = anc.a WHERE r.parent IS NOT NULL),
        held AS (SELECT ',' || replace(replace(requirements, ' ', ','), ';', ',') || ',' AS scope FROM audit
          WHERE kind = 'internal' AND held_on > '$3' AND held_on <= '$2')
        SELECT count(*) FROM requirement r WHERE r.assessable = 'yes' AND EXISTS
          (SELECT 1 FROM anc JOIN held ON held.scope LIKE '%,' || anc.a || ',%' WHERE anc.id = r.id)"
}
assessable() { sql "$1" "SELECT count(*) FROM requirement WHERE assessable = 'yes'"; }
# next_external DB DATE: "ID days" of the next certification or surveillance audit planned then
next_external() {
    sql "$1" "SELECT id, CAST(julianday(planned_on) - julianday('$2') AS INTEGER) FROM audit
        WHERE kind IN ('certification', 'surveillance') AND status <> 'cancelled' AND planned_on >= '$2'
          AND (held_on IS NULL OR held_on > '$2') ORDER BY planned_on LIMIT 1" | tr '|' ' '
}
word_of() {
    case $1 in
    not_assessed) echo "Not assessed" ;; not_addressed) echo "Not addressed" ;; initial) echo "Initial" ;;
    defined) echo "Defined" ;; conforming) echo "Conforming" ;; not_applicable) echo "Not applicable" ;;
    esac
}
# at_risk SITE LABEL: the count the dashboard's certificate panel shows for LABEL
at_risk() { grep -o "\">$2</a></th><td class=\"num\">[0-9]*</td>" "$1/index.html" | sed 's/.*num">\([0-9]*\)<.*/\1/'; }


# ---- a small register on its way to certification ---------------------------------------------

mkdir -p data
csv data/requirements.csv \
    "id,framework,clause,parent,heading,guidance,assessable" \
    "Q-4,Small QMS,4,,Context of the organisation,,no" \
    "Q-4.1,Small QMS,4.1,Q-4,Understanding the organisation,\"Is the **context** recorded?\",yes" \
    "Q-4.2,Small QMS,4.2,Q-4,Interested parties,,yes" \
    "Q-7,Small QMS,7,,Support,,no" \
    "Q-7.2,Small QMS,7.2,Q-7,Competence,,yes" \
    "Q-7.3,Small QMS,7.3,Q-7,Awareness,,yes" \
    "Q-8,Small QMS,8,,Operation,,no" \
    "Q-8.1,Small QMS,8.1,Q-8,Operational planning,,yes" \
    "Q-8.2,Small QMS,8.2,Q-8,Service portfolio,,no" \
    "Q-8.2.1,Small QMS,8.2.1,Q-8.2,Service delivery,,yes" \
    "Q-8.2.2,Small QMS,8.2.2,Q-8.2,Plan the services,,yes"
csv data/improvements.csv \
    "id,title,source,owner,status,raised_on,due_on" \
    "I-001,Write the context document,review,Ana,in_progress,2025-01-10,2026-06-30"
csv data/kpis.csv \
    "id,name,kind,unit,target,direction" \
    "K-001,Staff trained on the SMS policy,objective,%,95,higher"
csv data/measurements.csv \
    "kpi_id,measured_on,value" "K-001,2026-06-30,80" "K-001,2026-09-30,90"
csv data/documents.csv \
    "id,title,type,owner,version,approved_on,approved_by,next_review_on,location,requirements" \
    "DOC-001,SMS policy,policy,Ana,2.0,2025-03-01,Board,2026-03-01,https://intranet.example/sms-policy,\"Q-4.1, Q-7.3\"" \
    "DOC-002,Training plan,plan,Ben,1.1,2025-05-01,Ana,2027-05-01,docs/training.docx,Q-7.2" \
    "DOC-003,Complaints procedure,procedure,Cy,0.1,,,,drafts/complaints.docx,Q-8.1"
csv data/certificates.csv \
    "id,body,number,scope,issued_on,expires_on,status" \
    "CERT-001,Acme Certification,C-123,Managed services,2025-06-01,2028-05-31,valid"
csv data/audits.csv \
    "id,title,kind,status,scope,requirements,services,planned_on,held_on,auditor,summary,certificate_id" \
    "A-001,Internal audit of operation,internal,held,Operation,Q-8,Email,2024-05-01,2024-05-03,Ben,Fine," \
    "A-002,Certification audit,certification,held,Whole SMS,\"Q-4, Q-7, Q-8\",,,2025-05-20,Acme,Certified,CERT-001" \
    "A-003,Internal audit of context,internal,held,Context,Q-4.1,,2026-03-01,2026-03-02,Ben,," \
    "A-004,Surveillance audit 1,surveillance,planned,Whole SMS,Q-4 Q-7,,2026-12-10,,Acme,,CERT-001" \
    "A-005,Internal audit of support,internal,planned,,Q-7,Hosting,2027-02-01,,Ben,," \
    "A-006,Internal audit called off,internal,cancelled,,Q-4,,2026-01-10,,Ben,,"
csv data/nonconformities.csv \
    "id,title,source,audit_id,severity,raised_on,owner,due_on,closed_on,requirement_id" \
    "NC-001,Context not recorded,internal_audit,A-003,major,2026-03-02,Ana,2026-06-01,,Q-4.1" \
    "NC-002,Plan missing,internal_audit,A-001,minor,2024-05-03,Ben,2024-07-01,2024-06-20,Q-8.1" \
    "NC-003,Training records incomplete,external_audit,A-002,minor,2025-05-20,Ben,2026-12-31,,Q-7.2"
csv data/readiness.csv \
    "requirement_id,assessed_on,status,maturity,owner,evidence,gap,improvement_id,target_on,reason" \
    "Q-4.1,2024-03-01,not_addressed,0,Ana,,No context document,I-001,2026-06-30," \
    "Q-4.1,2026-03-10,initial,1,Ana,\"DOC-001 https://wiki.example/context NC-001\",Context draft only,I-001,2026-06-30," \
    "Q-4.2,2024-03-01,conforming,3,Ana,DOC-001,,,," \
    "Q-7.2,2025-01-01,defined,2,Ben,\"DOC-002, K-001\",Records incomplete,,2027-01-31," \
    "Q-7.3,2025-01-01,conforming,3,Ben,K-001,,,," \
    "Q-8.1,2024-03-01,initial,1,Cy,A-001,No plan,,2024-12-31," \
    "Q-8.1,2025-04-01,conforming,3,Cy,A-001 I-001,,,," \
    "Q-8.2.1,2024-03-01,not_applicable,,Cy,,,,,We deliver no such service" \
    "9001-4.1,2025-06-01,conforming,3,Dee,,,,," \
    "9001-7.2,2025-06-01,initial,1,Dee,K-001,Skills matrix missing,,2026-12-31,"

new_register p
P=p/public
DB=p/register.db
t "the register with two frameworks imports"
if [ -f "$SECOND" ]; then
    cp "$SECOND" data/requirements-9001.csv
else
    # the tests' second framework, when another suite has not written it
    csv data/requirements-9001.csv "id,framework,clause,parent,heading,guidance,assessable" \
        "9001-4,ISO 9001:2015,4,,Context,,no" "9001-4.1,ISO 9001:2015,4.1,9001-4,Issues that affect quality,,yes" \
        "9001-4.2,ISO 9001:2015,4.2,9001-4,Context & interested parties <scope>,,yes" \
        "9001-7,ISO 9001:2015,7,,Support,,no" "9001-7.2,ISO 9001:2015,7.2,9001-7,Competence,,yes"
fi
rr -C p import data/requirements-9001.csv --kind requirements
is_rc 0
rr -C p import data/requirements.csv data/improvements.csv data/kpis.csv data/measurements.csv \
    data/documents.csv data/certificates.csv data/audits.csv data/nonconformities.csv data/readiness.csv
is_rc 0
is_eq "$(sql $DB "SELECT count(DISTINCT framework) FROM requirement")" "2" "frameworks"
# references riskreg would refuse, as a register edited outside it (or a record removed) has them
sqlite3 $DB "UPDATE readiness SET evidence = evidence || ' NOPE-42 javascript:alert(1)'
    WHERE requirement_id = 'Q-4.1' AND assessed_on = '2026-03-10';
    UPDATE document SET requirements = requirements || ' Q-9' WHERE id = 'DOC-002'"

# the views' fields are documented (riskreg help templates records), as tests/extend.sh checks for
# the others
mkdir -p p/scripts/pages
cat >p/scripts/pages/zz_fields.lua <<'EOF'
local site = require "riskreg.site"
local register = require "riskreg.register"
local templates = require "riskreg.templates"
local model = require "riskreg.model"
local shapes = {}
for _, s in ipairs(templates.shapes) do shapes[s.name] = s end
local problems, seen = {}, {}
local function check(shape, v)
  if type(v) ~= "table" or seen[v] then return end
  seen[v] = true
  local known = {}
  local s = shapes[shape]
  if s.kind then for _, f in ipairs(model.kind[s.kind].fields) do known[f.name] = true end end
  for _, f in ipairs(s.fields) do known[f[1]] = true end
  for k in pairs(v) do
    if not known[k] then problems[#problems + 1] = shape .. ": field '" .. k .. "' is not documented" end
  end
end
local as_of = site.as_of
for _, r in ipairs(register.requirements { as_of = as_of }) do
  check("requirement", r)
  for _, h in ipairs(r.history) do check("readiness", h) end
  for _, e in ipairs(r.evidence) do check("reference", e) end
end
for _, d in ipairs(register.documents { as_of = as_of }) do
  check("document", d)
  for _, e in ipairs(d.serves) do check("reference", e) end
end
for _, c in ipairs(register.certificates { as_of = as_of }) do check("certificate", c) end
for _, a in ipairs(register.planned_audits { as_of = as_of }) do check("audit", a) end
for _, a in ipairs(register.audits { as_of = as_of }) do check("audit", a) end
table.sort(problems)
assert(site.write("fields.txt", table.concat(problems, "\n") .. "\n"))
EOF

t "the site builds with the readiness, the documents and the programme in the top bar"
rr -C p build
is_rc 0
for page in readiness/index.html documents/index.html audits/programme.html; do
    [ -f "$P/$page" ] || _fail "no $page"
done
file_has $P/index.html '<li><a href="readiness/index.html">Readiness</a></li>'
file_has $P/index.html '<li><a href="documents/index.html">Documents</a></li>'
# after the audits, in that order
nav=$(grep -o '<li><a href="[^"]*index.html"[^>]*>[A-Za-z ]*</a></li>' $P/kpis/index.html | sed 's/.*>\([A-Za-z ]*\)<\/a>.*/\1/' | tr '\n' ',')
case $nav in *"Audits,Readiness,Documents,KPIs,"*) ;; *) _fail "top bar order: $nav" ;; esac
file_has $P/readiness/index.html '<a href="../readiness/index.html" aria-current="page">Readiness</a>'

t "every field the new views add is documented in scripts/lib/templates.lua"
is_eq "$(cat $P/fields.txt)" "" "undocumented fields"
rm p/scripts/pages/zz_fields.lua

t "every requirement has its page, named by its ID, in the readiness section"
for id in $(sql $DB "SELECT id FROM requirement"); do
    [ -f "$P/readiness/$id.html" ] || _fail "no readiness/$id.html"
done
is_eq "$(ls $P/readiness | grep -c '\.html$')" "$(($(sql $DB "SELECT count(*) FROM requirement") + 1))" "pages"
file_has $P/readiness/Q-4.1.html '<li><a href="../readiness/index.html">Readiness</a></li>'
file_has $P/readiness/Q-4.1.html '<h1>Q-4.1 Understanding the organisation</h1>'

t "each requirement's status is a badge with its word, as the register has it today"
while IFS='|' read -r id assessable status; do
    [ "$assessable" = yes ] || continue
    cls=${status//_/-}
    badge="<span class=\"readiness readiness-$cls\">$(word_of "$status")</span>"
    grep -qF -- "$id.html\">" $P/readiness/index.html || _fail "$id is not in the tree"
    grep -F -- "<a href=\"$id.html\">" $P/readiness/index.html | grep -F -- 'class="indent"' | grep -qF -- "$badge" ||
        _fail "$id's row in the tree lacks $badge"
    file_has "$P/readiness/$id.html" "<p class=\"lead\">$badge"
done < <(sql $DB "$(latest_sql $TODAY)")
# a heading that only groups others says so, with no badge
grep -F '<a href="Q-4.html">' $P/readiness/index.html | grep -q '<span class="muted">heading</span>' ||
    _fail "the heading Q-4 is not marked as a heading"
# the key says every status in words
for s in not_assessed not_addressed initial defined conforming not_applicable; do
    file_has $P/readiness/index.html "<span class=\"readiness readiness-${s//_/-}\">$(word_of $s)</span>"
done

file_has $P/readiness/index.html '<a href="9001-4.2.html">Context &amp; interested parties &lt;scope&gt;</a>'

t "the tree is indented by depth and in the order of the clauses"
grep -q '<tr class="depth-2"><td class="nowrap">8.2.1</td>' $P/readiness/index.html || _fail "8.2.1 is not at depth 2"
grep -q '<tr class="depth-0"><td class="nowrap">4</td>' $P/readiness/index.html || _fail "4 is not at depth 0"
order=$(grep -o '<tr class="depth-[0-9]"><td class="nowrap">[0-9.]*</td><td class="indent"><a href="Q-[^"]*"' $P/readiness/index.html |
    sed 's/.*href="\(Q-[^"]*\)\.html"/\1/' | tr '\n' ' ')
is_eq "$order" "Q-4 Q-4.1 Q-4.2 Q-7 Q-7.2 Q-7.3 Q-8 Q-8.1 Q-8.2 Q-8.2.1 Q-8.2.2 " "tree order"

t "the share conforming overall matches SQL over the register"
read -r c a < <(share $DB $TODAY)
is_eq "$(text_of $P/readiness/index.html '<p class="lead">' | cut -d';' -f1)" \
    "$(percent "$c" "$a") of the requirements that apply conform: $c of $a" "lead"
is_eq "$c $a" "4 15" "the figures this register should give"

t "the share conforming per top clause matches SQL, for each framework"
for top in Q-4 Q-7 Q-8 9001-4 9001-7; do
    read -r c a < <(clause_share $DB $TODAY $top)
    clause=$(sql $DB "SELECT clause FROM requirement WHERE id = '$top'")
    row=$(grep -o "<a href=\"$top.html\">$clause</a></th><td>[^<]*</td><td class=\"num\">[0-9]*</td><td class=\"num\">[0-9]*</td><td class=\"num\">[^<]*</td>" $P/readiness/index.html)
    got=$(printf '%s' "$row" | grep -o '<td class="num">[^<]*</td>' | sed 's/<[^>]*>//g' | tr '\n' '|')
    is_eq "$got" "$c|$a|$(percent "$c" "$a")|" "clause $top"
done
file_has $P/readiness/index.html "<caption>Small QMS</caption>"
file_has $P/readiness/index.html "<caption>ISO 9001:2015</caption>"

t "the trend over eight quarters is a chart whose alt text states the point, with its figures beside it"
alt=$(grep -o '<img[^>]*readiness-over-time[^>]*>' $P/readiness/index.html | grep -o 'alt="[^"]*"')
[ -n "$alt" ] || _fail "no readiness chart"
case $alt in *"Share conforming rose from "*" since "*) ;; *) _fail "the chart's alt text: $alt" ;; esac
is_eq "$(grep -c '<tr><th scope="row">20[0-9][0-9]-Q[1-4]</th>' $P/readiness/index.html)" "8" "quarters in the table"
# the last quarter's row says today's share
read -r c a < <(share $DB $TODAY)
grep -q "<tr><th scope=\"row\">2026-Q4</th><td class=\"num\">$c</td>.*<td class=\"num\">$a</td><td class=\"num\">$(percent "$c" "$a")</td></tr>" \
    $P/readiness/index.html || _fail "the 2026-Q4 row"

t "the gaps: each requirement that applies and does not conform, past their target first, with the improvement linked"
gaps=$(sed -n '/id="gaps"/,/<\/section>/p' $P/readiness/index.html | grep -o '<tr[^>]*><td><a href="[^"]*\.html">' |
    sed 's/.*href="\([^"]*\)\.html">/\1/' | tr '\n' ' ')
want=$(sql $DB "SELECT id FROM ($(latest_sql $TODAY)) WHERE assessable = 'yes' AND status NOT IN ('conforming', 'not_applicable') ORDER BY id" | tr '\n' ' ')
is_eq "$(printf '%s\n' $gaps | sort | tr '\n' ' ')" "$(printf '%s\n' $want | sort | tr '\n' ' ')" "gap IDs"
is_eq "${gaps%% *}" "Q-4.1" "the gap past its target comes first"
row=$(row_of $P/readiness/index.html '<a href="Q-4.1.html">Q-4.1</a>')
for part in '<tr class="is-overdue">' '<p>Context draft only</p>' '<a href="../improvements/index.html#I-001">I-001</a>' \
    '<td>Ana</td>' '2026-06-30 <span class="badge overdue">Overdue 148 days</span>'; do
    case $row in *"$part"*) ;; *) _fail "Q-4.1's gap row lacks $part" ;; esac
done

t "training and awareness: the KPIs given as evidence of 7.2 and 7.3, latest value against target"
section=$(sed -n '/id="training"/,/<\/section>/p' $P/readiness/index.html)
printf '%s' "$section" | grep -q '<a href="Q-7.2.html">7.2</a> Competence</td><td><a href="../kpis/index.html#K-001">K-001</a> Staff trained on the SMS policy' || _fail "K-001 for 7.2"
printf '%s' "$section" | grep -q '<a href="Q-7.3.html">7.3</a> Awareness' || _fail "K-001 for 7.3"
printf '%s' "$section" | grep -q '<a href="9001-7.2.html">7.2</a>' || _fail "K-001 for 9001's 7.2"
printf '%s' "$section" | grep -qF $'90\xe2\x80\xaf%' || _fail "the latest value"
printf '%s' "$section" | grep -qF $'≥ 95\xe2\x80\xaf%' || _fail "the target"
printf '%s' "$section" | grep -qF 'off target' || _fail "against target"

t "a requirement's page is the auditor's view: guidance, status history, evidence, audits, findings"
q=$P/readiness/Q-4.1.html
file_has $q '<strong>context</strong>'
file_has $q '<a href="Q-4.html">4 Context of the organisation</a>'
file_has $q '<a href="../audits/index.html#A-003">A-003</a> Internal audit of context, 2026-03-02'
file_has $q '<a href="../audits/programme.html#A-004">A-004</a> Surveillance audit 1 (surveillance), 2026-12-10, in 15 days'
file_has $q '<a href="../documents/index.html#DOC-001">DOC-001</a></td><td>document: SMS policy</td><td>version 2.0, approved 2025-03-01 by Board; next review 2026-03-01 <span class="badge overdue">Overdue 269 days</span>'
file_has $q '<a href="https://wiki.example/context" rel="noopener noreferrer">https://wiki.example/context</a>'
file_has $q '<a href="../nonconformities/index.html#NC-001">NC-001</a></td><td>nonconformity: Context not recorded'
file_has $q '<a href="../improvements/index.html#I-001">I-001</a> Write the context document'
# the findings against it, and the audits that covered it (A-002 covered clause 4, so 4.1 too)
sed -n '/id="findings"/,/<\/table>/p' $q | grep -q 'NC-001' || _fail "NC-001 is not a finding against Q-4.1"
is_eq "$(sed -n '/id="audits"/,/<\/table>/p' $q | grep -o '#A-00[0-9]">' | tr -d '#">' | tr '\n' ' ')" "A-003 A-002 " "audits that covered Q-4.1"
# the history, newest first, each status in words
is_eq "$(sed -n '/id="history"/,/<\/table>/p' $q | grep -o 'readiness-[a-z-]*">[A-Za-z ]*<' | tr -d '<' | tr '\n' ',')" \
    'readiness-initial">Initial,readiness-not-addressed">Not addressed,' "history"
# the documents serving it, when the evidence does not name them: Q-7.2 is served by DOC-002
file_has $P/readiness/Q-7.3.html '<a href="../kpis/index.html#K-001">K-001</a></td><td>KPI: Staff trained on the SMS policy</td><td>latest 90'
is_eq "$(grep -c 'DOC-001' $P/readiness/Q-7.3.html)" "1" "DOC-001 once on Q-7.3 (serving it, not in its evidence)"
file_has $P/readiness/Q-7.3.html 'document serving it: SMS policy'

t "broken evidence IDs are flagged; a link that is not http(s) is not a link"
file_has $q '<td><code>NOPE-42</code></td><td><span class="badge broken">Broken reference</span></td><td>names no record in the register</td>'
file_has $q '<code>javascript:alert(1)</code>'
is_eq "$(grep -r -l -i 'href="javascript' $P)" "" "javascript: links"
# a document serving a requirement that does not exist says so
grep -F '<tr id="DOC-002"' $P/documents/index.html | grep -qF '<code>Q-9</code> <span class="badge broken">not a requirement</span>' ||
    _fail "DOC-002's Q-9"

t "the documents: by type, version, owner, approval, next review with overdue, location, requirements served"
d=$P/documents/index.html
row=$(grep -F '<tr id="DOC-001"' $d)
for part in '<td>SMS policy</td>' '<td class="opt">2.0</td>' '2025-03-01 <small>by Board</small>' \
    '2026-03-01 <span class="badge overdue">Overdue 269 days</span>' \
    '<a href="https://intranet.example/sms-policy" rel="noopener noreferrer">https://intranet.example/sms-policy</a>' \
    '<a href="../readiness/Q-4.1.html">Q-4.1</a>, <a href="../readiness/Q-7.3.html">Q-7.3</a>'; do
    case $row in *"$part"*) ;; *) _fail "DOC-001 lacks $part" ;; esac
done
grep -F '<tr id="DOC-002"' $d | grep -qF '<code>docs/training.docx</code>' || _fail "a path is code text, not a link"
grep -F '<tr id="DOC-003"' $d | grep -qF '<span class="status">draft</span>' || _fail "a draft"
file_has $d '<h2 id="policy">Policies</h2>'
file_has $d '<h2 id="procedure">Procedures</h2>'
file_has $d '<h2 id="overdue">Reviews overdue</h2>'
is_eq "$(text_of $d '<p class="lead">')" "The documented information of the service management system (clause 7.5): 3 documents, 2 approved, 1 not approved yet; 1 review overdue." "lead"

t "the audit programme: planned audits ahead, coverage per requirement, counts against SQL"
g=$P/audits/programme.html
start=$(sql $DB "SELECT date('$TODAY', '-3 years')")
n=$(covered $DB $TODAY "$start")
all=$(assessable $DB)
is_eq "$(text_of $g '<p class="lead">')" \
    "Of $all requirements, internal audits in the last 3 years (held after $start) covered $n; $((all - n)) not covered. 2 audits planned." "lead"
is_eq "$n" "4" "requirements covered in this register"
is_eq "$(grep -o '<tr id="A-00[0-9]"' $g | tr -d '<tr id="' | tr '\n' ' ')" "A-004 A-005 " "planned audits, soonest first (not the cancelled one)"
grep -F '<tr id="A-004"' $g | grep -qF '2026-12-10 <small>(in 15 days)</small>' || _fail "A-004's countdown"
grep -F '<tr id="A-004"' $g | grep -qF '<a href="../readiness/Q-4.html">Q-4</a>, <a href="../readiness/Q-7.html">Q-7</a>' || _fail "A-004's scope"
grep -F '<tr id="A-005"' $g | grep -qF '<td class="opt">Hosting</td>' || _fail "A-005's services"
# each requirement's row: last internal audit, findings, planned next, in the cycle or not
grep -F '<a href="../readiness/Q-4.1.html">4.1</a>' $g | grep -F '2026-03-02 <small>by <a href="index.html#A-003">A-003</a>' |
    grep -F '<td class="num">1</td>' | grep -F '<a href="#A-004">A-004</a>' | grep -qF '>covered<' || _fail "Q-4.1's coverage row"
grep -F '<a href="../readiness/Q-4.2.html">4.2</a>' $g | grep -F '>never<' | grep -qF 'not covered' || _fail "Q-4.2's coverage row"
is_eq "$(sed -n '/id="not-covered"/,/<\/section>/p' $g | grep -c '<li>')" "$((all - n))" "requirements listed as not covered"
# held audits are on the audits page as before; planned ones are not
grep -q '<section id="A-003">' $P/audits/index.html || _fail "a held audit is not on the audits page"
grep -q '<section id="A-004">' $P/audits/index.html && _fail "a planned audit is listed as held"
file_has $P/audits/index.html '3 audits held, 3 findings recorded as nonconformities; <a href="programme.html">2 audits planned</a>'
file_has $P/audits/index.html 'Requirements in scope: <a href="../readiness/Q-8.html">Q-8</a>'

t "the certificate panel: the certificate, the countdown to the next external audit, what puts it at risk"
i=$P/index.html
file_has $i 'Certificate <strong>C-123</strong> from Acme Certification, valid until <strong class="nowrap">2028-05-31</strong>'
read -r next days < <(next_external $DB $TODAY)
file_has $i "Next external audit: <strong>in $days days</strong>, <a href=\"audits/programme.html#$next\">$next</a>"
is_eq "$next $days" "A-004 15" "the next external audit"
majors=$(sql $DB "SELECT count(*) FROM nonconformity WHERE severity = 'major' AND raised_on <= '$TODAY' AND (closed_on IS NULL OR closed_on > '$TODAY')")
late=$(sql $DB "SELECT count(*) FROM nonconformity WHERE raised_on <= '$TODAY' AND (closed_on IS NULL OR closed_on > '$TODAY') AND due_on < '$TODAY'")
read -r c a < <(share $DB $TODAY)
is_eq "$(at_risk $P 'Open major nonconformities')" "$majors" "open majors"
is_eq "$(at_risk $P 'Requirements not conforming')" "$((a - c))" "not conforming"
is_eq "$(at_risk $P 'Overdue corrective actions')" "$late" "overdue corrective actions"
is_eq "$(at_risk $P 'Requirements not audited internally in 3 years')" "$((all - n))" "not audited"
file_has $i '<a href="readiness/index.html#gaps">Requirements not conforming</a>'
file_has $i '<a href="audits/programme.html#not-covered">Requirements not audited internally in 3 years</a>'
# the places of the dashboard still work around it
grep -n 'id="certificate"' $i >/dev/null || _fail "no certificate section"

t "data/summary.json carries the certification figures, the same as SQL"
s=$P/data/summary.json
j() { sqlite3 :memory: "SELECT json_extract(readfile('$s'), '$1')"; }
read -r c a < <(share $DB $TODAY)
is_eq "$(j '$.certification.conforming') $(j '$.certification.applicable')" "$c $a" "share"
is_eq "$(j '$.certification.audited_in_cycle')" "$n" "audited in the cycle"
is_eq "$(j '$.certification.not_audited_in_cycle')" "$((all - n))" "not audited"
is_eq "$(j '$.certification.next_external_audit.id') $(j '$.certification.next_external_audit.days')" "A-004 15" "next external audit"
is_eq "$(j '$.certification.certificate.id')" "CERT-001" "certificate"

t "the Data page lists the new kinds' files, and the readiness export is as of the build's date"
for kind in requirements readiness documents certificates; do
    file_has $P/data/index.html "<a href=\"$kind.csv\">$kind.csv</a>"
    [ -f "$P/data/$kind.csv" ] || _fail "no data/$kind.csv"
done
is_eq "$(($(wc -l <$P/data/readiness.csv) - 1))" "$(sql $DB "SELECT count(*) FROM readiness WHERE assessed_on <= '$TODAY'")" "readiness rows"

t "the review pack's audit results show the coverage and the audits planned; its improvements, the readiness"
pack=$P/review/index.html
sec=$(sed -n '/<section class="input" id="audit_results">/,/<\/section>/p' $pack)
case $sec in *"<strong>$n of $all requirements</strong> audited internally in the last 3 years; <strong><a href=\"../audits/programme.html#not-covered\">$((all - n)) not covered</a></strong> in the cycle; 2 audits planned: "*) ;;
    *) _fail "audit_results lacks the coverage: $(printf '%s' "$sec" | head -5)" ;; esac
case $sec in *'<a href="../audits/programme.html#A-004">A-004</a> (surveillance, 2026-12-10), <a href="../audits/programme.html#A-005">A-005</a> (internal, 2027-02-01).'*) ;;
    *) _fail "audit_results lacks the audits planned" ;; esac
# what is not covered, per top clause, with the audit planned to cover it
case $sec in *'<a href="../readiness/Q-7.html">7</a> Support</td><td class="num">2</td><td class="num">2</td><td><a href="../audits/programme.html#A-004">A-004</a> 2026-12-10</td>'*) ;;
    *) _fail "audit_results lacks clause 7's row" ;; esac
sec=$(sed -n '/<section class="input" id="improvement_opportunities">/,/<\/section>/p' $pack)
case $sec in *"$(percent "$c" "$a") of the requirements that apply conform</a> ($c of $a); $((a - c)) gaps open ("*", <strong>1 past its target</strong>."*) ;;
    *) _fail "improvement_opportunities lacks the readiness: $(printf '%s' "$sec" | head -3)" ;; esac
case $sec in *'(<a href="../readiness/Q-4.1.html">4.1</a>, '*) ;; *) _fail "the gaps are not listed, past their target first" ;; esac
case $sec in *'<caption>Readiness gaps past their target</caption>'*'<a href="../readiness/Q-4.1.html">4.1</a> Understanding the organisation'*'Overdue 148 days'*) ;;
    *) _fail "the gap past its target is not in its table" ;; esac

t "the new pages are valid HTML with working links"
report=$(for f in $P/readiness/*.html $P/documents/index.html $P/audits/*.html; do
    tidy -errors -quiet "$f" 2>&1 | sed "s|^|$f: |"; done)
is_eq "$(printf '%s\n' "$report" | grep -v 'proprietary attribute "aria-' | grep -v '^$' | head -5)" "" "tidy"
# the dashboard and the pack, with the panel and the new figures: no error
is_eq "$(for f in $P/index.html $P/review/index.html; do tidy -errors -quiet "$f" 2>&1; done | grep -c 'Error:')" "0" "tidy errors"
is_eq "$(broken_links $P | head -5)" "" "broken links"

# ---- an earlier date: the readiness, coverage and certificate as they were ---------------------

PAST=2025-03-31
t "a build --as-of an earlier date shows the readiness, the coverage and the certificate as they were then"
rr -C p build --as-of $PAST --out past
is_rc 0
read -r c a < <(share $DB $PAST)
is_eq "$(text_of past/readiness/index.html '<p class="lead">' | cut -d';' -f1)" \
    "$(percent "$c" "$a") of the requirements that apply conform: $c of $a" "lead on $PAST"
is_eq "$c $a" "2 15" "the figures then"
file_has past/readiness/Q-4.1.html '<p class="lead"><span class="readiness readiness-not-addressed">Not addressed</span> since 2024-03-01'
file_has past/readiness/Q-8.1.html '<p class="lead"><span class="readiness readiness-initial">Initial</span> since 2024-03-01'
grep -q 'readiness-initial">Initial' past/readiness/Q-4.1.html && _fail "Q-4.1's later status shows on $PAST"
is_eq "$(($(wc -l <past/data/readiness.csv) - 1))" "$(sql $DB "SELECT count(*) FROM readiness WHERE assessed_on <= '$PAST'")" "readiness rows then"
# A-003 was held in 2026: on the earlier date it was planned, and did not cover 4.1
start=$(sql $DB "SELECT date('$PAST', '-3 years')")
n=$(covered $DB $PAST "$start")
is_eq "$(text_of past/audits/programme.html '<p class="lead">')" \
    "Of $all requirements, internal audits in the last 3 years (held after $start) covered $n; $((all - n)) not covered. 3 audits planned." "programme then"
grep -q '<tr id="A-003"' past/audits/programme.html || _fail "A-003 was planned on $PAST"
grep -q '<section id="A-003">' past/audits/index.html && _fail "A-003 is shown held on $PAST"
# no certificate yet; the next external audit then is the one planned then
file_has past/index.html 'No certificate recorded yet.'
read -r next days < <(next_external $DB $PAST)
file_has past/index.html "Next external audit: <strong>in $days days</strong>, <a href=\"audits/programme.html#$next\">$next</a>"
is_eq "$(at_risk past 'Requirements not conforming')" "$((a - c))" "not conforming then"

# ---- a register without the way to certification ----------------------------------------------

t "a register without requirements or documents has no such pages, no such sections in the top bar, no panel"
new_register plain
"$RISKREG" -C plain add risks title="Server room flood" owner="Ana Ferreira" likelihood=2 impact=3 >/dev/null 2>&1
rr -C plain build
is_rc 0
for page in readiness/index.html documents/index.html audits/programme.html; do
    [ -f "plain/public/$page" ] && _fail "plain has $page"
done
grep -q 'Readiness\|Documents</a>' plain/public/index.html && _fail "the top bar names empty sections"
grep -q 'id="certificate"' plain/public/index.html && _fail "the panel is on a register without certification"
grep -q 'programme.html' plain/public/audits/index.html && _fail "the audits page links a programme that is not there"
is_eq "$(sqlite3 :memory: "SELECT json_type(readfile('plain/public/data/summary.json'), '\$.certification')")" "" "no certification figures"

# ---- holding a review keeps the coverage and readiness ----------------------------------------

t "a review held keeps the audit coverage and the readiness among its figures"
rr -C p review plan 2026-11-20 --chair "Ana" --title "Q4 review"
is_rc 0
id=$(sql $DB "SELECT id FROM review ORDER BY id DESC LIMIT 1")
rr -C p review hold "$id" --on 2026-11-20 attendees="Ana, Ben" suitable=yes adequate=yes effective=yes
is_rc 0
rr -C p build --out held
is_rc 0
file_has "held/review/$id.html" "Requirements audited internally in the last 3 years"
file_has "held/review/$id.html" "Open readiness gaps"
file_has "held/review/$id.html" "Not covered by an internal audit since"

# ---- hostile text in every new text field -----------------------------------------------------

S='<script>alert(1)</script>'
I='"><img src=x onerror=alert(1)>'
# q TEXT: one CSV cell
q() { local s=${1//\"/\"\"}; printf '"%s"' "$s"; }
mkdir -p x/data
csv x/data/requirements.csv "id,framework,clause,parent,heading,guidance,assessable" \
    "X-4,$(q "$S"),4,,$(q "$S"),$(q "$I"),no" \
    "X-4.1,$(q "$S"),4.1,X-4,$(q "$I"),$(q "$S"),yes" \
    "X-4.2,$(q "$S"),4.2,X-4,$(q "A $S"),$(q "B $I"),yes" \
    "X-7.2,$(q "$S"),7.2,X-4,Competence,,yes"
csv x/data/kpis.csv "id,name,kind,unit,target,direction" "K-001,$(q "$S"),objective,%,95,higher"
csv x/data/measurements.csv "kpi_id,measured_on,value" "K-001,2026-09-30,90"
csv x/data/documents.csv "id,title,type,owner,version,approved_on,approved_by,next_review_on,location,requirements" \
    "DOC-001,$(q "$S"),policy,$(q "$I"),$(q "$S"),2025-01-01,$(q "$I"),2026-01-01,$(q "$I"),X-4.1" \
    "DOC-002,$(q "$I"),plan,$(q "$S"),1,2025-01-01,$(q "$S"),2027-01-01,$(q "https://x.example/$I"),X-4.2" \
    "DOC-003,$(q "$I"),record,,1,,,,$(q "$S"),X-4.2"
csv x/data/certificates.csv "id,body,number,scope,issued_on,expires_on,status" \
    "CERT-001,$(q "$S"),$(q "$I"),$(q "$I"),2025-06-01,2028-05-31,valid" \
    "CERT-002,$(q "$I"),$(q "$S"),$(q "$S"),2022-06-01,2025-05-31,expired"
csv x/data/audits.csv "id,title,kind,status,scope,requirements,services,planned_on,held_on,auditor,summary,certificate_id" \
    "A-001,$(q "$S"),internal,held,$(q "$I"),X-4,$(q "$I"),,2026-02-01,$(q "$S"),$(q "$I"),"  \
    "A-002,$(q "$I"),surveillance,planned,$(q "$S"),X-4,$(q "$S"),2026-12-10,,$(q "$I"),,CERT-001" \
    "A-003,$(q "$S"),internal,planned,,X-4.1,$(q "$I"),2027-01-10,,,,"
csv x/data/nonconformities.csv "id,title,source,audit_id,severity,raised_on,owner,due_on,closed_on,requirement_id" \
    "NC-001,$(q "$S"),internal_audit,A-001,major,2026-02-01,$(q "$I"),2026-03-01,,X-4.1"
csv x/data/readiness.csv "requirement_id,assessed_on,status,maturity,owner,evidence,gap,improvement_id,target_on,reason" \
    "X-4.1,2026-01-01,initial,1,$(q "$S"),DOC-001,$(q "$S"),,2026-06-30," \
    "X-4.2,2026-01-01,defined,2,$(q "$I"),K-001,$(q "$I"),,2027-06-30," \
    "X-7.2,2026-01-01,not_applicable,,$(q "$S"),,,,,$(q "$I")"

t "XSS payloads in every new text field import and build"
new_register x
rr -C x import x/data/requirements.csv x/data/kpis.csv x/data/measurements.csv x/data/documents.csv \
    x/data/certificates.csv x/data/audits.csv x/data/nonconformities.csv x/data/readiness.csv
is_rc 0
is_eq "$(sql x/register.db "SELECT count(*) FROM readiness") $(sql x/register.db "SELECT count(*) FROM document")" "3 3" "imported"
# the lists of references riskreg checks on the way in (evidence, requirements served or in
# scope), as a register edited outside riskreg could hold them
sqlite3 x/register.db "UPDATE readiness SET evidence = 'https://y.example/?q=$S https://z.example/$I DOC-001 $S'
      WHERE requirement_id = 'X-4.1';
    UPDATE readiness SET evidence = '$I javascript:alert(1) K-001' WHERE requirement_id = 'X-4.2';
    UPDATE document SET requirements = 'X-4.1 $S' WHERE id = 'DOC-001';
    UPDATE document SET requirements = '$I' WHERE id = 'DOC-002';
    UPDATE audit SET requirements = '$S' WHERE id = 'A-001';
    UPDATE audit SET requirements = 'X-4 $I' WHERE id = 'A-002';
    UPDATE audit SET requirements = '$I' WHERE id = 'A-003'"
rr -C x build
is_rc 0

t "no payload reaches a page unescaped"
is_eq "$(grep -r -l -F '<script>' --include='*.html' x/public)" "" "pages with <script>"
is_eq "$(grep -r -l -F '<img src=x' --include='*.html' x/public)" "" "pages with the <img> payload"
is_eq "$(grep -r -l -E 'onerror=alert\(1\)>' --include='*.html' x/public)" "" "pages with a raw handler"
is_eq "$(grep -r -l -i -E 'href="(javascript|data):' --include='*.html' x/public)" "" "pages with a javascript: link"
# every page parsed as a browser would: no element but those the site writes, no handler
is_eq "$(python3 - x/public <<'PY'
import html.parser, pathlib, sys
class Check(html.parser.HTMLParser):
    def __init__(self, name):
        super().__init__(); self.name = name; self.bad = []
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "base", "form"):
            self.bad.append(f"<{tag}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.bad.append("<img src=x>")
        for k, v in attrs:
            if k.startswith("on") or (k in ("href", "src") and (v or "").strip().lower().startswith(("javascript:", "data:"))):
                self.bad.append(f"{tag} {k}={v}")
for f in sorted(pathlib.Path(sys.argv[1]).rglob("*.html")):
    c = Check(f); c.feed(f.read_text()); c.close()
    for b in c.bad: print(f"{f}: {b}")
PY
)" "" "elements and attributes the payloads would make"

t "the payloads are shown as text where they were put"
ES='&lt;script&gt;alert(1)&lt;/script&gt;'
EI='&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
# heading and guidance (Markdown), gap, owner, reason
file_has x/public/readiness/index.html "<a href=\"X-4.1.html\">$EI</a>"
file_has x/public/readiness/index.html "<caption>$ES</caption>"
file_has x/public/readiness/X-4.1.html "<h1>X-4.1 $EI</h1>"
file_has x/public/readiness/X-4.1.html "$ES"
file_has x/public/readiness/X-4.2.html "$EI"
file_has x/public/readiness/X-7.2.html "<dt>Not applicable because</dt><dd>$EI</dd>"
# the evidence: URLs, and what is not an ID
file_has x/public/readiness/X-4.1.html '<a href="https://y.example/?q=&lt;script&gt;alert(1)&lt;/script&gt;" rel="noopener noreferrer">'
file_has x/public/readiness/X-4.1.html "<td><code>$ES</code></td><td><span class=\"badge broken\">Broken reference</span>"
file_has x/public/readiness/X-4.2.html '<code>javascript:alert(1)</code>'
# documents: title, owner, version, approver, location (a path and a URL), requirements served
d=x/public/documents/index.html
file_has $d "<td>$ES</td>"
file_has $d "<code>$EI</code>"
file_has $d "<code>$ES</code>"
file_has $d '<a href="https://x.example/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" rel="noopener noreferrer">'
file_has $d "<code>$ES</code> <span class=\"badge broken\">not a requirement</span>"
# the certificate panel: body, number, scope
file_has x/public/index.html "Certificate <strong>$EI</strong> from $ES"
file_has x/public/index.html "Scope: $EI"
# audits: requirements in scope and services, held and planned
file_has x/public/audits/index.html "services: $EI"
file_has x/public/audits/index.html "Requirements in scope: <code>$ES</code>"
file_has x/public/audits/programme.html "<td class=\"opt\">$ES</td>"
file_has x/public/audits/programme.html '<code>&quot;&gt;&lt;img</code>'
file_has x/public/audits/programme.html "<br><small class=\"muted\">$ES</small>"

done_testing
