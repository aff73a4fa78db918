#!/usr/bin/env bash
# tests/real.sh - registers shaped like public risk-register templates (tests/data/real, see its
# README.md) import with the command that README gives, and no hand edit: every row becomes a
# risk, and what `riskreg show` says of a row or two is what the sheet meant.
source "$(dirname "$0")/lib.sh"

R="$DATA/real"

# imp DIR ARGS...: a fresh register in DIR, then `riskreg import ARGS` into it
imp() {
    local dir=$1
    shift
    rm -rf "$dir"
    new_register "$dir"
    rr -C "$dir" import "$@"
}
risks() { sql "$1/register.db" "SELECT count(*) FROM risk"; }
# shows DIR ID FIELD VALUE: `riskreg show ID` has the line 'FIELD   VALUE' (a note after two
# spaces, such as "(OVERDUE by N days)", aside)
shows() {
    local got
    got=$("$RISKREG" -C "$1" show "$2" 2>/dev/null |
        awk -v f="$3" '$1 == f { sub(/^[^ ]+ +/, ""); sub(/  \(.*\)$/, ""); print; exit }')
    is_eq "$got" "$4" "$2 $3"
}
# scores DIR ID: the risk's first assessment as L x I (residual RL x RI when given) and its date
scores() {
    sql "$1/register.db" "SELECT likelihood || 'x' || impact || coalesce(' r' || residual_likelihood || 'x' || residual_impact, '') || ' on ' || assessed_on FROM assessment WHERE risk_id = '$2' ORDER BY assessed_on LIMIT 1"
}

t "PRINCE2 (UK): title rows, day-first dates, Risk Response Category and Risk Response"
imp p2 --kind risks --date-format DMY --map 'Risk Description=title' "$R/prince2-risk-register.csv"
is_rc 0
is_eq "$(risks p2)" 10 "risks"
shows p2 1 owner "Priya Hughes"
shows p2 1 status open
shows p2 1 treatment mitigate
shows p2 1 created_on 2026-02-03
shows p2 1 action_plan "Trial migration of 10% of tickets; checksum report"
shows p2 4 treatment mitigate
shows p2 5 status closed
shows p2 5 treatment avoid
shows p2 9 treatment transfer
shows p2 10 treatment accept
is_eq "$(scores p2 1 | cut -d' ' -f1)" 4x4 "1 scores (High on a Very low..Very high column)"
is_eq "$(scores p2 5 | cut -d' ' -f1)" 1x5 "5 scores"

t "US federal template: month-first dates, Response Category and Response Plan, Last Reviewed"
imp usf --kind risks --date-format MDY --map 'Description=title' "$R/us-federal-risk-register.csv"
is_rc 0
is_eq "$(risks usf)" 10 "risks"
shows usf R-01 owner "J. Alvarez"
shows usf R-01 status open
shows usf R-01 treatment mitigate
shows usf R-01 created_on 2026-01-12
shows usf R-01 action_plan "Nightly export of ticket history to archive storage"
is_eq "$(scores usf R-01)" "4x4 on 2026-10-15" "R-01 scores"
shows usf R-03 status closed
shows usf R-09 status open
shows usf R-02 treatment transfer

t "University template: title rows, a row above the header, inherent and residual columns named alike"
imp uni --kind risks --date-format DMY --map '#9=residual_likelihood,#10=residual_impact' \
    "$R/university-risk-register.csv"
is_rc 0
is_eq "$(risks uni)" 10 "risks"
shows uni 1 title "Student records system outage in exam period"
shows uni 1 owner "Director of IT"
shows uni 1 treatment mitigate
shows uni 1 category Education
shows uni 1 target_on 2026-12-15
shows uni 1 action_plan "Freeze changes two weeks before exams"
is_eq "$(scores uni 1)" "4x5 r2x5 on 2026-09-28" "1 scores"
shows uni 4 treatment accept
is_eq "$(scores uni 4)" "2x3 r1x3 on 2026-09-14" "4 scores"

t "Project template (4 Ts): Very low..Very high, Not Started / In Progress / On hold, month names"
imp pm --kind risks "$R/pm-template-risk-register.csv"
is_rc 0
is_eq "$(risks pm)" 10 "risks"
shows pm RSK-1 owner "Lena Fischer"
shows pm RSK-1 status treating
shows pm RSK-1 treatment mitigate
shows pm RSK-1 controls "Emergency change route"
shows pm RSK-1 action_plan "Add a standard-change catalogue"
shows pm RSK-1 target_on 2027-03-31
shows pm RSK-1 next_review_on 2027-01-15
is_eq "$(scores pm RSK-1 | cut -d' ' -f1)" 4x3 "RSK-1 scores"
shows pm RSK-2 status open
shows pm RSK-2 treatment avoid
shows pm RSK-6 status open
shows pm RSK-3 status closed
shows pm RSK-3 treatment transfer
is_eq "$(scores pm RSK-5 | cut -d' ' -f1)" 5x3 "RSK-5 scores"

t "GitHub project CSV: Low/Medium/High, Active / Mitigating / Monitoring, Mitigation Strategy"
imp gh --kind risks "$R/github-project-risk-register.csv"
is_rc 0
is_eq "$(risks gh)" 10 "risks"
shows gh R001 title "Scope creep"
shows gh R001 owner PM
shows gh R001 status open
shows gh R001 controls "Change control; scope freeze before build"
is_eq "$(scores gh R001 | cut -d' ' -f1)" 5x5 "R001 scores"
shows gh R002 status treating
shows gh R007 status accepted
shows gh R010 status closed

t "R example: ';' between cells, snake_case headers, year-first dates, Date_closed without a status"
imp rx --kind risks --date-format YMD "$R/r-semicolon-risk-register.csv"
is_rc 0
is_eq "$(risks rx)" 10 "risks"
shows rx R1 title "Switch delivery delay"
shows rx R1 category Planning
shows rx R1 created_on 2026-01-12
shows rx R1 treatment mitigate
shows rx R1 action_plan "Order early; keep old core under support"
shows rx R2 status closed
shows rx R2 closed_on 2026-06-30
shows rx R4 treatment avoid
shows rx R5 treatment transfer
is_eq "$(scores rx R7 | cut -d' ' -f1)" 4x4 "R7 scores"

t "RAID log: Likelihood (1-5), a header with commas, Excel serial dates, computed score and rating"
imp raid --kind risks "$R/raid-log-risks.csv"
is_rc 0
is_eq "$(risks raid)" 10 "risks"
err_has "Risk Rating"
shows raid RA-01 title "Storage array firmware out of support"
shows raid RA-01 owner "Ana Costa"
shows raid RA-01 status open
shows raid RA-01 created_on 2026-01-05
shows raid RA-01 target_on 2026-03-31
shows raid RA-01 action_plan "Upgrade firmware in Q1 window"
is_eq "$(scores raid RA-01)" "4x4 on 2026-10-20" "RA-01 scores"
shows raid RA-02 status treating
shows raid RA-03 status closed
shows raid RA-03 closed_on 2026-03-10
shows raid RA-05 status open
shows raid RA-06 status open
shows raid RA-09 closed_on 2026-08-20

t "ISO 27001 toolkit workbook (.xlsx): a title row, date cells, Treatment Decision, Last Updated"
imp iso --kind risks "$R/iso27001-toolkit-risk-register.xlsx"
is_rc 0
is_eq "$(risks iso)" 10 "risks"
shows iso ISR-001 title "Ransomware on file servers"
shows iso ISR-001 service "File service"
shows iso ISR-001 owner CISO
shows iso ISR-001 status treating
shows iso ISR-001 treatment mitigate
shows iso ISR-001 created_on 2026-01-08
shows iso ISR-001 target_on 2026-06-30
shows iso ISR-001 next_review_on 2027-01-08
is_eq "$(scores iso ISR-001)" "3x5 on 2026-10-01" "ISR-001 scores (Medium likelihood, High impact)"
shows iso ISR-003 treatment transfer
shows iso ISR-004 status closed
shows iso ISR-005 status open
shows iso ISR-008 treatment avoid

done_testing
