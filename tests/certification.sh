#!/usr/bin/env bash
# The way to certification (issue 15) on the command line: a framework's requirements (ISO/IEC
# 20000-1 and a second one beside it), readiness assessed with `assess REQ-ID --status`, the
# documents, the certificate, audits planned ahead with their scope as requirements; the lists of
# IDs checked on every write; `check` flagging overdue document reviews, certificates and
# requirements no internal audit covered in the cycle (against an SQL oracle); `due` and `show`.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
FRAMEWORK="$ROOT/register/frameworks/iso-iec-20000-1-2018.csv"
ISO9001="$DATA/frameworks/iso-9001-small.csv"
DEMO="$ROOT/register/demo"

# not_audited_oracle DB AS_OF YEARS: the assessable requirements no internal audit held in the
# YEARS before AS_OF covered (its requirements name it or a clause above it), in the tree's order
not_audited_oracle() {
    sql "$1" "WITH RECURSIVE
      held(id, rest) AS (
        SELECT id, replace(replace(replace(coalesce(requirements, ''), ' ', ','), ';', ','), char(10), ',') || ','
        FROM audit WHERE kind = 'internal' AND status <> 'cancelled' AND held_on IS NOT NULL
          AND held_on <= '$2' AND held_on > date('$2', '-$3 years')),
      tok(rest, token) AS (
        SELECT rest, NULL FROM held
        UNION ALL SELECT substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
        FROM tok WHERE rest <> ''),
      scope(id) AS (SELECT DISTINCT lower(token) FROM tok WHERE token <> ''),
      up(req, clause) AS (
        SELECT id, id FROM requirement
        UNION ALL SELECT up.req, r.parent FROM up JOIN requirement r ON r.id = up.clause
        WHERE r.parent IS NOT NULL)
      SELECT r.id FROM requirement r WHERE r.assessable = 'yes' AND NOT EXISTS
        (SELECT 1 FROM up JOIN scope ON scope.id = lower(up.clause) WHERE up.req = r.id)
      ORDER BY r.rowid"
}
# json_ids: the IDs of check --json's "not audited" problems in $out, one a line
json_ids() {
    printf '%s' "$out" | python3 -c 'import json, sys
for p in json.load(sys.stdin):
    if p["problem"] == "not audited": print(p["id"])'
}

# ---- a register with the framework and one of each new kind, from CSV ----
mkdir data
csv data/improvements.csv \
    'id,title,status,raised_on,due_on' \
    'I-001,Review the capacity plan each quarter,approved,2026-01-05,2027-03-31'
csv data/documents.csv \
    'id,title,type,owner,version,approved_on,approved_by,next_review_on,location,requirements' \
    'DOC-001,Capacity management procedure,procedure,Tom Whitaker,1.2,2025-11-13,Claire Donnelly,2026-11-13,https://intranet.example/capacity,"20000-8.4.3, 20000-8.4"' \
    'DOC-002,Internal audit programme,plan,Ana Ferreira,2.0,2026-02-01,Claire Donnelly,2027-02-01,SharePoint/SMS/Audit.docx,20000-9.2' \
    'DOC-003,SMS policy,policy,Ana Ferreira,,,,2026-12-20,,20000-5'
csv data/certificates.csv \
    'id,body,number,scope,issued_on,expires_on,status' \
    'CERT-001,Certa Assurance Ltd,CA-24-0173,Managed services,2024-01-11,2027-01-10,valid' \
    'CERT-002,Old Body plc,OB-2020-7,Managed services,2020-10-02,2023-10-01,expired'
csv data/audits.csv \
    'id,title,kind,status,scope,requirements,services,planned_on,held_on,auditor,summary,certificate_id' \
    'A-001,Internal audit: performance evaluation,internal,held,Clause 9,20000-9,,2023-11-10,2023-11-20,Tom Whitaker,All fine.,' \
    'A-002,Internal audit: supply and demand,internal,held,Clause 8.4,"20000-8.4; 20000-8.2.1",Managed Hosting,2026-01-05,2026-01-10,Sophie Lindqvist,,' \
    'A-003,Certification audit,certification,held,Whole SMS,"20000-4, 20000-5, 20000-6, 20000-7, 20000-8, 20000-9, 20000-10",,2024-01-09,2024-01-10,Certa,,CERT-001' \
    'A-012,Internal audit: internal audit and management review,internal,planned,,"20000-9.2, 20000-9.3",,2027-02-17,,Ana Ferreira,,' \
    'A-013,Internal audit: cancelled,internal,cancelled,,20000-10,,2026-03-01,,,,'
csv data/readiness.csv \
    'requirement_id,assessed_on,status,maturity,owner,evidence,gap,improvement_id,target_on,reason' \
    '20000-8.4.3,2025-06-30,initial,1,Tom Whitaker,,No capacity plan.,I-001,2026-06-30,' \
    '20000-8.4.3,2026-06-30,defined,3,Tom Whitaker,"DOC-001, A-002, https://intranet.example/capacity-2026.xlsx",Not reviewed each quarter.,I-001,2027-03-31,' \
    '20000-9.2,2026-06-30,conforming,4,Ana Ferreira,DOC-002; A-001,,,,' \
    '20000-8.3.4,2026-06-30,not_applicable,,Ana Ferreira,,,,,No supplier acts for us as a service provider.'
csv data/nonconformities.csv \
    'id,title,source,audit_id,severity,raised_on,owner,due_on,requirement_id' \
    'NC-001,Capacity plan not reviewed,internal_audit,A-002,minor,2026-01-10,Tom Whitaker,2026-03-31,20000-8.4.3'

new_register p
P=p/register.db

t "the ISO/IEC 20000-1 library imports as requirements, with its clause tree"
rr -C p import "$FRAMEWORK" --kind requirements
is_rc 0
is_eq "$(sql $P "SELECT count(*) FROM requirement")" "$(($(wc -l <"$FRAMEWORK") - 1))" "requirements"
is_eq "$(sql $P "SELECT parent, assessable FROM requirement WHERE id = '20000-8.7.3'")" "20000-8.7|yes" "20000-8.7.3"
is_eq "$(sql $P "SELECT count(*) FROM requirement WHERE parent IS NOT NULL AND parent NOT IN (SELECT id FROM requirement)")" "0" "orphans"

t "a second framework loads beside it without a clash: its own IDs, its own tree"
rr -C p import "$ISO9001" --kind requirements
is_rc 0
is_eq "$(sql $P "SELECT framework, count(*) FROM requirement GROUP BY framework ORDER BY framework")" \
    "ISO 9001:2015|$(($(wc -l <"$ISO9001") - 1))
ISO/IEC 20000-1:2018|$(($(wc -l <"$FRAMEWORK") - 1))" "requirements per framework"
is_eq "$(sql $P "SELECT group_concat(id || '<' || parent, ' ') FROM requirement WHERE clause = '9.2' ORDER BY id")" \
    "20000-9.2<20000-9 9001-9.2<9001-9" "the two 9.2s"
rr -C p show 9001-9.2
out_has "framework          ISO 9001:2015"
out_has "parent             9001-9"
rr -C p assess 9001-9.2 --status initial --on 2026-06-30
is_rc 0
out_has "9001-9.2 assessed on 2026-06-30: initial"

t "every new kind imports from CSV in one go: readiness names documents and audits of the same import"
rr -C p import data
is_rc 0
is_eq "$err" "" "messages"
is_eq "$(sql $P "SELECT (SELECT count(*) FROM document) || (SELECT count(*) FROM certificate) || (SELECT count(*) FROM audit) || (SELECT count(*) FROM readiness) || (SELECT count(*) FROM nonconformity)")" \
    "32551" "documents, certificates, audits, readiness rows (with 9001-9.2's), nonconformities"
is_eq "$(sql $P "SELECT status, held_on IS NULL, planned_on FROM audit WHERE id = 'A-012'")" "planned|1|2027-02-17" "the planned audit"
is_eq "$(sql $P "SELECT requirement_id FROM nonconformity WHERE id = 'NC-001'")" "20000-8.4.3" "the nonconformity's requirement"
is_eq "$(sql $P "SELECT certificate_id FROM audit WHERE id = 'A-003'")" "CERT-001" "the certificate audit"
rr -C p verify
is_rc 0

t "export, import into a fresh register, export again: identical files (every new kind)"
rr -C p export --out first
is_rc 0
for k in requirements readiness documents certificates audits nonconformities; do
    [ -s first/$k.csv ] || _fail "no $k.csv"
done
is_eq "$(head -1 first/audits.csv)" "id,title,kind,status,scope,requirements,services,planned_on,held_on,auditor,summary,certificate_id" "audits' columns"
new_register copy
rr -C copy import -q first
is_rc 0
is_eq "$err" "" "the import's messages"
rr -C copy export --out second
is_rc 0
run diff -r first second
is_rc 0
is_eq "$(tail -n +2 first/readiness.csv | grep -v '^9001-' | sort)" "$(tail -n +2 data/readiness.csv | sort)" "readiness rows as imported"

t "and through an Excel workbook: export --format xlsx, import into a fresh register, the same CSV"
rr -C p export --format xlsx --out all.xlsx
is_rc 0
new_register x
rr -C x import -q all.xlsx --kind auto
is_rc 0
is_eq "$err" "" "the import's messages"
rr -C x export --out third
is_rc 0
run diff -r first third
is_rc 0
is_eq "$(sql x/register.db "SELECT count(*) FROM readiness WHERE status = 'not_applicable' AND reason IS NOT NULL")" "1" "not_applicable with its reason"

t "readiness at a past date: list readiness --as-of and export --as-of give the earlier status"
rr -C p list readiness requirement_id=20000-8.4.3 --as-of 2026-01-01
is_rc 0
out_has "20000-8.4.3  2025-06-30  initial"
out_lacks "defined"
rr -C p list readiness requirement_id=20000-8.4.3 --as-of 2026-06-30 --json
is_eq "$(printf '%s' "$out" | python3 -c 'import json, sys; print(" ".join(r["assessed_on"] + "=" + r["status"] for r in json.load(sys.stdin)))')" \
    "2026-06-30=defined" "on the day of the later one"
rr -C p list readiness --as-of 2025-12-31
is_eq "$(printf '%s\n' "$out" | tail -n +2 | awk '{ print $1 "=" $3 }' | sort | paste -sd' ')" "20000-8.4.3=initial" "only what was assessed by then"
rr -C p export --kind readiness --as-of 2026-01-01
is_eq "$(printf '%s\n' "$out" | grep -c '^20000-8.4.3,')" "1" "rows of 20000-8.4.3 on 2026-01-01"
out_has "20000-8.4.3,2025-06-30,initial"
rr -C p list risks --as-of 2026-01-01
is_rc 2
err_has "--as-of applies to readiness"

t "assess REQ-ID records readiness: options for fields, owner and evidence kept from the one before"
before=$(fingerprint p)
rr -C p assess 20000-8.4.3 --status conforming --maturity 4 --on 2026-11-20 --note "quarterly review held"
is_rc 0
is_eq "$out" "20000-8.4.3 assessed on 2026-11-20: conforming (maturity 4) (was defined (maturity 3) on 2026-06-30)" "what it says"
is_eq "$(sql $P "SELECT status, maturity, owner, evidence, gap IS NULL, improvement_id IS NULL FROM readiness WHERE requirement_id = '20000-8.4.3' AND assessed_on = '2026-11-20'")" \
    "conforming|4|Tom Whitaker|DOC-001, A-002, https://intranet.example/capacity-2026.xlsx|1|1" "the row"
rr -C p assess 20000-8.4.3 --status defined --maturity 3 --owner "Ana Ferreira" --evidence 'doc-002, A-001' \
    --gap "Reviewed, not yet acted on" --improvement i-001 --target 2027-03-31 --on 2026-11-20
is_rc 0
out_has "reassessed on 2026-11-20: defined (maturity 3) (replacing that day's earlier assessment)"
is_eq "$(sql $P "SELECT count(*), status, owner, evidence, improvement_id, target_on FROM readiness WHERE requirement_id = '20000-8.4.3' AND assessed_on = '2026-11-20'")" \
    "1|defined|Ana Ferreira|DOC-002, A-001|I-001|2027-03-31" "replaced, IDs as stored"
rr -C p log 20000-8.4.3
out_has "added readiness assessment 20000-8.4.3@2026-11-20 — quarterly review held"
rr -C p assess 20000-8.3.4 --status not_applicable --reason "No other party acts as a service provider for us" --on 2026-11-20
is_rc 0
[ "$(fingerprint p)" != "$before" ] || _fail "nothing was written"

t "assess errors name the field, exit 1, and write nothing"
before=$(fingerprint p)
rr -C p assess 20000-8.4.3 --status definded
is_rc 1
err_has "status: 'definded' is not a readiness assessment status; use one of: not_assessed, not_addressed, initial, defined, conforming, not_applicable"
rr -C p assess 20000-8.4.3 --status defined --maturity 7
is_rc 1
err_has "maturity: maturity is a whole number from 0 to 5, not '7'"
rr -C p assess 20000-8.4.3 --status not_applicable
is_rc 1
err_has "reason: a requirement marked not_applicable needs the reason why it does not apply"
rr -C p assess 20000-8.4.3 --status defined --evidence 'DOC-001, DOC-009, https://example.org/x'
is_rc 1
err_has "evidence: 20000-8.4.3@2026-11-25 lists DOC-009, which is not a record in the register; did you mean DOC-001?"
rr -C p assess 20000-8.4.3 --status defined --improvement I-099
is_rc 1
err_has "improvement_id: there is no improvement I-099"
rr -C p assess 20000-8 --status defined
is_rc 1
err_has "status: 20000-8 (Operation) is a heading that groups others (assessable=no); assess its subclauses instead: 20000-8.1, 20000-8.2"
rr -C p assess 20000-8.4.3 --status defined --on 2026-02-30
is_rc 2
err_has "--on:"
is_eq "$(fingerprint p)" "$before" "the register after the errors"

t "assess: a missing status, ratings for a requirement or a status for a risk are usage errors"
before=$(fingerprint p)
rr -C p assess 20000-8.4.3 --maturity 3
is_rc 2
err_has "status: assess 20000-8.4.3 --status WORD says how ready it is: not_assessed, not_addressed"
rr -C p assess 20000-8.4.3
is_rc 2
err_has "assess needs ID L I, or ID L I RL RI (a requirement: ID --status WORD)"
rr -C p assess 20000-8.4.3 3 4
is_rc 2
err_has "20000-8.4.3 is a requirement: its readiness is assessed with riskreg assess 20000-8.4.3 --status WORD"
"$RISKREG" -C p add risks id=R-001 title="Capacity" owner=Tom likelihood=3 impact=3 --on 2026-01-05 >/dev/null
before=$(fingerprint p)
rr -C p assess R-001 --status defined
is_rc 2
err_has "R-001 is a risk: riskreg assess R-001 L I [RL RI] records its scores"
rr -C p assess NOPE-1 --status defined
is_rc 1
err_has "NOPE-1 is not a requirement in this register"
is_eq "$(fingerprint p)" "$before" "the register after the errors"
rr -C p assess R-001 4 3 --on 2026-11-20
is_rc 0
out_has "R-001 assessed on 2026-11-20: residual"

t "lists of IDs are checked on add and set: the record, the field and the unknown ID, with a guess"
before=$(fingerprint p)
rr -C p set DOC-001 requirements='20000-8.4.3, 20000-8.4.33'
is_rc 1
err_has "requirements: DOC-001 lists 20000-8.4.33, which is not a requirement in the register; did you mean 20000-8.4.3?"
rr -C p set DOC-001 requirements='20000-8.4.3, 2000084'
is_rc 1
err_has "lists 2000084, which is not a requirement in the register"
rr -C p set DOC-001 requirements='20000-8.4.3, DOC-002'
is_rc 1
err_has "requirements: DOC-001 lists DOC-002, which is a document, not a requirement"
rr -C p set DOC-001 requirements='20000-8.4.3 | 20000-8.4.2'
is_rc 1
err_has "lists '|', which is neither a requirement ID nor a URL"
rr -C p add audits title="Planned audit" planned_on=2027-04-01 requirements='20000-9.9'
is_rc 1
err_has "requirements: A-014 lists 20000-9.9, which is not a requirement in the register; did you mean 20000-9.1?"
rr -C p add readiness requirement_id=20000-9.3 status=initial evidence='K-001'
is_rc 1
err_has "evidence: 20000-9.3@2026-11-25 lists K-001, which is not a record in the register"
is_eq "$(fingerprint p)" "$before" "the register after the errors"
rr -C p set DOC-001 requirements='20000-8.4.3; 20000-8.4.2 https://example.org/sla'
is_rc 0
rr -C p add audits id=A-020 title="Internal audit: demand" planned_on=2027-04-01 requirements='20000-8.4.2'
is_rc 0
is_eq "$(sql $P "SELECT status, kind FROM audit WHERE id = 'A-020'")" "planned|internal" "planned by default when not held"

t "lists of IDs are checked on import: FILE:LINE, the column, the ID; nothing imported"
csv bad-documents.csv \
    'id,title,type,next_review_on,requirements' \
    'DOC-010,Good,record,2027-01-01,20000-8.4.3' \
    'DOC-011,Bad,record,2027-01-01,"20000-8.4.3, 20000-8.44"'
csv readiness.csv \
    'requirement_id,assessed_on,status,evidence' \
    '20000-9.3,2026-10-01,initial,"DOC-002, DOC-777"'
before=$(fingerprint p)
rr -C p import bad-documents.csv --kind documents
is_rc 1
err_has "bad-documents.csv:3: column 'requirements': DOC-011 lists 20000-8.44, which is not a requirement in the register or this import; did you mean 20000-8.4?"
err_has "nothing was imported"
rr -C p import readiness.csv
is_rc 1
err_has "readiness.csv:2: column 'evidence': 20000-9.3@2026-10-01 lists DOC-777, which is not a record in the register or this import"
is_eq "$(fingerprint p)" "$before" "the register after the failed imports"

t "audits: a held audit needs held_on, a planned one has none"
before=$(fingerprint p)
rr -C p add audits title="Held without a date" status=held planned_on=2026-10-01
is_rc 1
err_has "held_on: a held audit needs held_on (the date it was held)"
rr -C p add audits title="Planned but dated" status=planned held_on=2026-10-01
is_rc 1
err_has "held_on: held_on is set but the audit is planned; set status=held"
rr -C p add audits title="No date at all"
is_rc 1
err_has "planned_on: a planned audit needs planned_on"
csv audits.csv 'id,title,status,planned_on,held_on' 'A-030,Held without a date,held,2026-10-01,'
rr -C p import audits.csv
is_rc 1
err_has "audits.csv:2: column 'held_on': a held audit needs held_on"
is_eq "$(fingerprint p)" "$before" "the register after the errors"
rr -C p set A-012 status=held held_on=2027-02-18
is_rc 0

t "check: document reviews overdue, certificates expired or expiring, requirements not audited"
"$RISKREG" -C p set A-012 status=planned held_on= >/dev/null
rr -C p check
is_rc 1
out_has "DOC-001 document review overdue 12 days"
out_lacks "DOC-002 document review"
out_has "CERT-001 certificate expires in 46 days (2027-01-10)"
out_lacks "CERT-002"
out_has "20000-9.2  not audited internally since 2023-11-20 (none in the 3-year cycle; planned A-012 on 2027-02-17)"
out_has "20000-9.1  not audited internally since 2023-11-20 (none in the 3-year cycle; no internal audit planned)"
out_has "20000-10.1  never audited internally (none in the 3-year cycle; no internal audit planned)"
out_has "9001-9.2  never audited internally (none in the 3-year cycle; no internal audit planned)"
out_lacks "20000-8.4.3  "
out_lacks "20000-8.2.1  "
out_lacks "20000-8.4  " # a heading is not assessed, nor audited but through its subclauses
rr -C p check --json
is_rc 1
is_eq "$(json_ids)" "$(not_audited_oracle $P 2026-11-25 3)" "not audited, as the oracle has it"
[ "$(json_ids | wc -l)" -gt 30 ] || _fail "too few requirements not audited: $(json_ids | wc -l)"
out_has '"problem": "document review overdue"'
out_has '"problem": "certificate expiring"'
is_eq "$(printf '%s' "$out" | python3 -c 'import json, sys
p = {x["id"]: x for x in json.load(sys.stdin)}["20000-9.2"]
print(p["last_internal_audit"]["id"], p["last_internal_audit"]["held_on"], p["planned_audit"]["id"], p["planned_audit"]["planned_on"], p["cycle_start"])')" \
    "A-001 2023-11-20 A-012 2027-02-17 2023-11-25" "20000-9.2 in JSON"

t "check: the cycle is riskreg.lua's audit.cycle_years; expired certificates too"
grep -q '^  audit = { cycle_years = 3 },$' p/riskreg.lua || _fail "init's riskreg.lua does not show the audit cycle"
sed -i 's/^  audit = { cycle_years = 3 },$/  audit = { cycle_years = 4 },/' p/riskreg.lua
rr -C p check --json
is_eq "$(json_ids)" "$(not_audited_oracle $P 2026-11-25 4)" "not audited in 4 years"
out_lacks '"id": "20000-9.2"'
rr -C p check
out_has "(none in the 4-year cycle; no internal audit planned)"
RISKREG_TODAY=2027-01-20 rr -C p check
out_has "CERT-001 certificate expired on 2027-01-10"
sed -i 's/cycle_years = 4/cycle_years = 3/' p/riskreg.lua

t "check against the oracle on the demo register"
mkdir -p demo && cp "$DEMO/riskreg.lua" demo/
"$RISKREG" -C demo import -q "$DEMO/data" --on 2026-11-20 2>/dev/null
for day in 2024-06-30 2025-12-31 2026-11-25; do
    RISKREG_TODAY=$day rr -C demo check --json
    is_eq "$(json_ids)" "$(not_audited_oracle demo/register.db $day 3)" "not audited on $day"
done
rr -C demo check
out_has "20000-9.2  never audited internally (none in the 3-year cycle; planned A-012 on 2027-02-17)"
# the recertification audit (A-014) covers clause 8 too, but it is not the internal programme's
out_has "20000-8.1  never audited internally (none in the 3-year cycle; no internal audit planned)"

t "due lists document reviews and certificate expiry"
rr -C p due --within 60
is_rc 0
out_has "OVERDUE 12 days    2026-11-13  DOC-001 document review    Capacity management procedure  (Tom Whitaker)"
out_has "in 25 days"
out_has "DOC-003 document review"
out_has "CERT-001 certificate expiry"
out_lacks "CERT-002"
rr -C p due --json
out_has '"what": "document review"'
rr -C p due --within 10
out_lacks "CERT-001"

t "show REQ-ID: readiness newest first, documents serving it, audits that covered it, findings"
rr -C p show 20000-8.4.3
is_rc 0
out_has "heading            Capacity management"
is_eq "$(printf '%s\n' "$out" | grep -E '^  20[0-9]{2}-[0-9]{2}-[0-9]{2}  ' | awk '{ print $1 }' | paste -sd' ')" \
    "2026-11-20 2026-06-30 2025-06-30" "readiness dates, newest first"
out_has "evidence DOC-002, A-001"
out_has "Documents that serve it"
out_has "DOC-001  procedure  Capacity management procedure  v1.2"
out_has "Audits that covered it (2)"
out_has "A-002    2026-01-10  internal       Internal audit: supply and demand"
out_has "A-003    2024-01-10  certification  Certification audit"
out_has "Audited internally in the 3-year audit cycle (since 2023-11-25)"
out_has "NC-001"
rr -C p show 20000-9.2
out_has "DOC-002  plan       Internal audit programme"
out_has "A-012    2027-02-17  internal       Internal audit: internal audit and management rev"
out_has "Not audited internally in the 3-year audit cycle"
rr -C p show 20000-5.1
out_has "DOC-003  policy     SMS policy  (through 20000-5)"
rr -C p show 20000-8.4.3 --json
is_eq "$(printf '%s' "$out" | python3 -c 'import json, sys
d = json.load(sys.stdin)["related"]
print([r["assessed_on"] for r in d["readiness"]], [a["id"] for a in d["audits"]], [x["id"] for x in d["documents"]], d["audited_in_cycle"], [n["id"] for n in d["nonconformities"]])')" \
    "['2026-11-20', '2026-06-30', '2025-06-30'] ['A-002', 'A-003'] ['DOC-001'] True ['NC-001']" "show --json"

t "show DOC- and CERT-: their fields, the requirements served, the review and expiry marked"
rr -C p show DOC-001
is_rc 0
out_has "next_review_on     2026-11-13  (OVERDUE by 12 days)"
out_has "requirements       20000-8.4.3; 20000-8.4.2 https://example.org/sla"
out_has "Requirements it serves (2)"
out_has "20000-8.4.2  Demand management"
rr -C p show CERT-001
is_rc 0
out_has "body               Certa Assurance Ltd"
out_has "expires_on         2027-01-10"
out_has "Audits (1)"
out_has "A-003"

t "help and completion know assess's two forms"
rr help assess
out_has "REQ-ID --status STATUS"
out_has "not_applicable"
rr __complete values assess --status
is_eq "$(printf '%s' "$out" | paste -sd' ')" "not_assessed not_addressed initial defined conforming not_applicable" "statuses offered"
rr -C p __complete ids risks requirements
out_has "20000-8.4.3"

done_testing
