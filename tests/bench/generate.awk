# generate.awk - a deterministic register of n risks for benchmarks, written as CSV files.
#   awk -v n=10000 -v seed=1 -v out=DIR -f tests/bench/generate.awk
# Shape: 8 categories, 12 services, 40 owners, ~10% opportunities, ~15% closed, quarterly
# reassessments from 2023 (about 10 per risk), n/5 improvements, n/10 nonconformities, audits,
# 8 KPIs with monthly measurements, quarterly reviews with actions and inputs.
function pick(arr, count) { return arr[int(rand() * count) + 1] }
function q_date(q, d,   y, m) { # a day in quarter q (0 = 2023-Q1), never after 2026-11-20
    y = 2023 + int(q / 4); m = (q % 4) * 3 + 2
    if (y == 2026 && m == 11 && d > 20) d = 20
    return sprintf("%04d-%02d-%02d", y, m, d)
}
function csvq(s) { return "\"" s "\"" }
BEGIN {
    if (!n) n = 1000
    srand(seed ? seed : 1)
    split("Security,Continuity,Supplier,Capacity,Change,People,Compliance,Financial", cats, ",")
    split("Service Desk,Managed Hosting,Backup & Recovery,Network Services,Microsoft 365,Security Operations,Cloud Migration,Colocation,Managed Print,Telephony,Field Engineering,Consulting", svcs, ",")
    for (i = 1; i <= 40; i++) owners[i] = sprintf("Owner %02d", i)
    split("open,treating,accepted", open_states, ",")
    split("mitigate,accept,transfer,avoid", treatments, ",")
    split("exploit,accept,enhance,share", chances, ",")  # an opportunity's treatments
    split("audit,incident,customer,review,risk,staff,other", isources, ",")
    split("low,medium,high", prios, ",")
    split("internal_audit,external_audit,incident,complaint,review,other", ncsources, ",")
    split("major,minor,observation", sevs, ",")

    risks = out "/risks.csv"; assess = out "/assessments.csv"
    print "id,kind,title,description,category,service,owner,status,treatment,controls,created_on,closed_on,review_every_days,next_review_on" > risks
    print "risk_id,assessed_on,likelihood,impact,residual_likelihood,residual_impact,assessor,note" > assess
    for (r = 1; r <= n; r++) {
        id = sprintf("R-%05d", r)
        kind = rand() < 0.1 ? "opportunity" : "risk"
        created = int(rand() * 12)              # 2023-Q1 .. 2025-Q4
        closed = rand() < 0.15 ? created + 1 + int(rand() * (15 - created)) : -1
        if (closed > 15) closed = 15
        cday = 1 + int(rand() * 27)
        owner = pick(owners, 40)
        l = 1 + int(rand() * 5); i = 1 + int(rand() * 5)
        last = closed >= 0 ? closed : 15
        for (q = created; q <= last; q++) {
            if (rand() < 0.3) { l += rand() < 0.5 ? -1 : 1; if (l < 1) l = 1; if (l > 5) l = 5 }
            if (rand() < 0.2) { i += rand() < 0.5 ? -1 : 1; if (i < 1) i = 1; if (i > 5) i = 5 }
            rl = l > 1 ? l - int(rand() * 2) : l; ri = i
            d = q == created ? cday : 10 + (r % 15)
            if (q == created && d < cday) d = cday
            printf "%s,%s,%d,%d,%d,%d,%s,%s\n", id, q_date(q, d), l, i, rl, ri, owner, (rand() < 0.2 ? "Reviewed at the quarterly risk meeting" : "") > assess
            lastday = q_date(q, d)
        }
        status = closed >= 0 ? "closed" : pick(open_states, 3)
        closed_on = closed >= 0 ? lastday : ""
        nextrev = ""
        if (closed < 0) { split(lastday, p, "-"); nextrev = sprintf("%04d-%02d-%02d", p[1] + (p[2] >= 10), (p[2] + 2) % 12 + 1, p[3] > 28 ? 28 : p[3]) }
        printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,,%s\n", id, kind, \
            "Generated " kind " " r " in " pick(cats, 8), \
            csvq("A generated description for benchmark risk " r ", with a comma and **Markdown**."), \
            pick(cats, 8), pick(svcs, 12), owner, status, (kind == "opportunity" ? pick(chances, 4) : pick(treatments, 4)), \
            csvq("- control one\n- control two"), q_date(created, cday), closed_on, nextrev > risks
    }
    close(risks); close(assess)

    f = out "/improvements.csv"
    print "id,title,description,source,risk_id,owner,priority,status,raised_on,due_on,done_on,benefit" > f
    for (k = 1; k <= int(n / 5); k++) {
        q = int(rand() * 15); done = rand() < 0.4
        raised = q_date(q, 5); due = q_date(q + 1, 25)
        printf "I-%05d,Improvement %d,Generated improvement,%s,%s,%s,%s,%s,%s,%s,%s,Less rework\n", k, k, \
            pick(isources, 7), (rand() < 0.3 ? sprintf("R-%05d", 1 + int(rand() * n)) : ""), pick(owners, 40), \
            pick(prios, 3), (done ? "done" : "in_progress"), raised, due, (done ? due : "") > f
    }
    close(f)

    f = out "/audits.csv"
    print "id,title,kind,scope,held_on,auditor,summary" > f
    for (a = 1; a <= 16; a++)
        printf "A-%03d,Audit %d,%s,Clause 8,%s,Auditor %d,Generated audit summary\n", a, a, (a % 4 == 0 ? "surveillance" : "internal"), q_date(a - 1, 12), a % 3 > f
    close(f)

    f = out "/nonconformities.csv"
    print "id,title,description,source,audit_id,severity,raised_on,root_cause,correction,corrective_action,owner,due_on,closed_on,effective" > f
    for (k = 1; k <= int(n / 10); k++) {
        a = 1 + int(rand() * 16); closedflag = rand() < 0.6
        raised = q_date(a - 1, 14)
        printf "NC-%05d,Nonconformity %d,Generated finding,internal_audit,A-%03d,%s,%s,Cause,Fix,Action,%s,%s,%s,%s\n", k, k, a, \
            pick(sevs, 3), raised, pick(owners, 40), q_date(a, 14), (closedflag ? q_date(a, 14) : ""), (closedflag ? "yes" : "") > f
    }
    close(f)

    f = out "/kpis.csv"; m = out "/measurements.csv"
    print "id,name,kind,service,party,unit,target,direction,description" > f
    print "kpi_id,measured_on,value" > m
    split("service,service,customer,customer,supplier,objective,process,process", kkinds, ",")
    for (k = 1; k <= 8; k++) {
        printf "K-%03d,KPI %d,%s,%s,%s,%%,95,higher,Generated KPI\n", k, k, kkinds[k], (kkinds[k] == "service" ? svcs[k] : ""), (kkinds[k] == "supplier" ? "Supplier Ltd" : "") > f
        for (mo = 0; mo < 46; mo++) {
            y = 2023 + int(mo / 12); mm = mo % 12 + 1
            dd = (mm == 2) ? (y % 4 == 0 ? 29 : 28) : (mm == 4 || mm == 6 || mm == 9 || mm == 11) ? 30 : 31
            printf "K-%03d,%04d-%02d-%02d,%.2f\n", k, y, mm, dd, 90 + rand() * 10 > m
        }
    }
    close(f); close(m)

    f = out "/reviews.csv"; ri = out "/review_inputs.csv"; ra = out "/review_actions.csv"
    print "id,held_on,title,attendees,summary,decisions" > f
    print "review_id,input,text" > ri
    print "id,review_id,text,owner,due_on,status,closed_on" > ra
    act = 0
    for (k = 1; k <= 15; k++) {
        held = q_date(k, 20)
        printf "MR-%03d,%s,Management review %d,Board,Generated summary,- Decision one\n", k, held, k > f
        printf "MR-%03d,context_changes,Context changed.\nMR-%03d,policy,Policy holds.\nMR-%03d,resources,Resources fine.\n", k, k, k > ri
        for (j = 1; j <= 3; j++) {
            act++; done = k < 13
            printf "MA-%04d,MR-%03d,Action %d,%s,%s,%s,%s\n", act, k, act, pick(owners, 40), q_date(k + 1, 20), (done ? "done" : "open"), (done ? q_date(k + 1, 20) : "") > ra
        }
    }
}
