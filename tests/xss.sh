#!/usr/bin/env bash
# No script runs in the site (issue 6, item 1): a register whose every text field of every kind
# carries XSS payloads (tests/data/xss/payloads.txt) imports and builds; every page then loads in
# headless Chromium (tests/browser/xss.js, playwright-core) over file:// with the site's own
# Content-Security-Policy, and over http with the CSP switched off so escaping alone must hold:
# no dialog, no request out of the site, no CSP violation, no script, handler, dangerous URL or
# embedding element in the DOM, and the payloads shown as text where they were put. Then the
# same without a browser: the CSP meta on every page, Markdown without raw HTML or javascript:
# links, and the data/ CSV export neutralising spreadsheet formulas.
source "$(dirname "$0")/lib.sh"
PAYLOADS="$DATA/xss/payloads.txt"
BROWSER="$HERE/browser"
SITE=proj/public

# ---- the hostile register ----------------------------------------------------------------------

# make_register DIR EXPECT: CSV files of every kind in DIR, every text field a payload (spread so
# that each payload is in a plain-text field and in a Markdown field of some risk), and in EXPECT
# the text each page must show: PAGE \037 FIELD \037 PAYLOAD (as in payloads.txt) per line.
make_register() {
    mkdir -p "$1"
    awk -v D="$1" -v EX="$2" '
    function q(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }        # one CSV cell
    function nl(s) { gsub(/\\n/, "\n", s); return s }                    # "\n" is a line break
    function pk(k) { return p[(k - 1) % P + 1] }                         # the k-th payload, cycling
    function c(k) { return q(nl(pk(k))) }
    function expect(page, field, k) { said(page, field, pk(k)) }
    function said(page, field, s) { print page "\037" field "\037" s >EX }
    # an owner: one of 108 payloads spread over the list (each owner has a page: 108 keep the
    # browser pass short), at most 200 bytes of it (whole UTF-8 characters; the cases at the end
    # try longer names)
    function own(k,   s) { s = substr(pk((k - 1) % 108 * 4 + 1), 1, 200); gsub(/[\200-\377]+$/, "", s); return s }
    function row(file, s) { print s >(D "/" file) }
    function pick(list, i,   a, n) { n = split(list, a, " "); return a[(i - 1) % n + 1] }
    length($0) > 0 { p[++P] = $0 }
    END {
        N = int((P + 1) / 2)       # risks: two payloads each (a page each, so as few as will do)
        NA = 48; NK = 48; NR = 8   # audits, KPIs, reviews; improvements, NCs, actions: P each
        row("risks.csv", "id,kind,title,description,category,service,owner,status,treatment,controls,action_plan,target_on,created_on,closed_on,review_every_days,next_review_on")
        row("assessments.csv", "risk_id,assessed_on,likelihood,impact,residual_likelihood,residual_impact,assessor,note")
        row("improvements.csv", "id,title,description,source,risk_id,owner,priority,status,raised_on,due_on,done_on,benefit")
        row("audits.csv", "id,title,kind,scope,held_on,auditor,summary")
        row("nonconformities.csv", "id,title,description,source,audit_id,severity,raised_on,root_cause,correction,corrective_action,owner,due_on,closed_on,effective")
        row("kpis.csv", "id,name,kind,service,party,unit,target,direction,description")
        row("measurements.csv", "kpi_id,measured_on,value")
        row("reviews.csv", "id,held_on,title,attendees,summary,decisions,chair,suitable,suitable_note,adequate,effective,effective_note")
        row("acceptances.csv", "id,risk_id,status,approver,accepted_on,expires_on,level,score,justification,note")
        row("review_decisions.csv", "id,review_id,text,kind,owner,due_on")
        row("review_inputs.csv", "review_id,input,text")
        row("review_actions.csv", "id,review_id,text,owner,due_on,status,closed_on")
        for (i = 1; i <= N; i++) {
            r = sprintf("R-%03d", i); page = "risks/" r ".html"
            fresh = i % 3 == 0                     # raised this quarter: on changes.html too
            status = i % 11 == 0 ? "closed" : i % 13 == 0 ? "accepted" : i % 5 == 0 ? "treating" : "open"
            # payload i alone in the title and the description, payload N+i in the service and,
            # after a lead-in, in the controls: each payload in a plain and in a Markdown field
            row("risks.csv", r "," (i % 7 ? "risk" : "opportunity") "," c(i) "," c(i) "," c((i % 60) * 7 + 1) "," \
                c(N + i) "," q(nl(own(i + 3))) "," status "," (i % 7 ? pick("mitigate accept transfer avoid", i) : pick("exploit accept enhance share", i)) "," \
                q("Control " i ": " nl(pk(N + i))) "," q("Plan " i ": " nl(pk(i))) "," (i % 2 ? "2026-10-31" : "2027-01-31") "," \
                (fresh ? "2026-10-05" : "2025-06-01") "," \
                (status == "closed" ? "2026-10-20" : "") ",90,")
            expect(page, "risk title", i); expect(page, "risk category", (i % 60) * 7 + 1)
            expect(page, "risk service", N + i); said(page, "risk owner", own(i + 3))
            said(page, "risk controls (Markdown, its plain lead-in)", "Control " i ":")
            said(page, "risk action plan (Markdown, its plain lead-in)", "Plan " i ":")
            expect("risks/index.html", "risk title", i)
            if (fresh) expect("changes.html", "title of a new risk", i)
            if (status != "closed") said("owners/index.html", "risk owner", own(i + 3))
            if (fresh) {
                row("assessments.csv", r ",2026-10-06," (i % 5 + 1) "," (i * 3 % 5 + 1) ",,," c(i + 5) "," c(i + 6))
            } else {
                row("assessments.csv", r ",2026-07-01," (i % 5 + 1) "," (i * 3 % 5 + 1) ",,," c(i + 5) "," c(i + 6))
                row("assessments.csv", r ",2026-10-10," ((i + 2) % 5 + 1) "," (i * 2 % 5 + 1) "," \
                    (i % 2 ? "1," (i * 2 % 5 + 1) : ",") "," c(N + i + 7) "," c(N + i + 8))
                expect(page, "assessor", N + i + 7); expect(page, "assessment note", N + i + 8)
            }
            expect(page, "assessor", i + 5); expect(page, "assessment note", i + 6)
        }
        for (i = 1; i <= P; i++) {
            r = sprintf("R-%03d", (i - 1) % N + 1); page = "risks/" r ".html"
            m = sprintf("I-%03d", i); done = i % 4 == 0
            row("improvements.csv", m "," c(i + 9) "," c(i + 10) "," pick("audit incident customer review risk staff other", i) \
                "," r "," q(nl(own(i + 11))) "," pick("low medium high", i) "," \
                (done ? "done" : pick("in_progress approved proposed", i)) ",2026-03-01," \
                (i % 3 ? "2026-12-31" : "2026-09-30") "," (done ? "2026-10-15" : "") "," c(i + 12))
            expect("improvements/index.html", "improvement title", i + 9)
            said("improvements/index.html", "improvement owner", own(i + 11))
            expect(page, "improvement title", i + 9); said(page, "improvement owner", own(i + 11))

            n = sprintf("NC-%03d", i); a = sprintf("A-%03d", (i - 1) % NA + 1)
            src = pick("internal_audit incident complaint external_audit review other", i)
            closed = i % 5 == 0
            row("nonconformities.csv", n "," c(i + 13) "," c(i + 14) "," src "," (src ~ /audit/ ? a : "") "," \
                pick("major minor observation", i) "," (i % 2 ? "2026-10-10" : "2026-05-10") "," \
                c(i + 15) "," c(i + 16) "," c(i + 17) "," q(nl(own(i + 18))) "," (i % 7 ? "2026-12-15" : "2026-11-01") "," \
                (closed ? "2026-11-10," (i % 15 ? pick("yes no", i / 5) : "") : ","))
            expect("nonconformities/index.html", "nonconformity title", i + 13)
            expect("nonconformities/index.html", "root cause", i + 15)
            expect("nonconformities/index.html", "correction", i + 16)
            expect("nonconformities/index.html", "corrective action", i + 17)
            said("nonconformities/index.html", "nonconformity owner", own(i + 18))
            if (src ~ /audit/) expect("audits/index.html", "finding (nonconformity title)", i + 13)

            row("review_actions.csv", sprintf("MA-%03d", i) "," sprintf("MR-%03d", (i - 1) % NR + 1) "," \
                c(i + 20) "," q(nl(own(i + 21))) "," (i % 3 ? "2027-01-31" : "2026-10-01") "," \
                (i % 5 == 0 ? "done,2026-11-20" : i % 7 == 0 ? "dropped,2026-11-20" : "open,"))
            expect("review/index.html", "review action text", i + 20)
            said("review/index.html", "review action owner", own(i + 21))
        }
        for (i = 1; i <= NA; i++) {
            k = 19 + (i - 1) * 4
            row("audits.csv", sprintf("A-%03d", i) "," c(k) "," pick("internal certification surveillance supplier", i) "," \
                c(k + 1) ",2026-" sprintf("%02d", i % 9 + 1) "-15," c(k + 2) "," c(k + 3))
            expect("audits/index.html", "audit title", k); expect("audits/index.html", "audit scope", k + 1)
            expect("audits/index.html", "auditor", k + 2)
        }
        for (i = 1; i <= NK; i++) {
            k = 211 + (i - 1) * 5; id = sprintf("K-%03d", i)
            row("kpis.csv", id "," c(k) "," pick("service customer supplier objective process", i) "," c(k + 1) "," \
                c(k + 2) "," c(k + 3) ",95," pick("higher lower", i) "," c(k + 4))
            row("measurements.csv", id ",2026-08-31," (90 + i % 9))
            row("measurements.csv", id ",2026-09-30," (91 + i % 7))
            row("measurements.csv", id ",2026-10-31," (92 + i % 5))
            row("measurements.csv", id ",2026-11-20," (93 + i % 4))
            expect("kpis/index.html", "KPI name", k); expect("kpis/index.html", "KPI service", k + 1)
            expect("kpis/index.html", "KPI party", k + 2); expect("kpis/index.html", "KPI unit", k + 3)
        }
        for (i = 1; i <= 24; i++) {
            k = 600 + (i - 1) * 4; r = sprintf("R-%03d", i)
            row("acceptances.csv", sprintf("AC-%03d", i) "," r "," (i % 4 ? "accepted" : "requested") "," \
                q(nl(own(k))) "," (i % 4 ? "2026-10-01" : "") ",2027-06-30," c(k + 1) ",10," c(k + 2) "," c(k + 3))
            if (i % 4) { said("risks/" r ".html", "acceptance approver", own(k)); expect("risks/" r ".html", "acceptance level", k + 1) }
        }
        split("previous_actions context_changes nonconformity_trends measurement_trends audit_results improvement_opportunities customer_feedback policy objectives service_performance other_parties resources risks", inputs, " ")
        for (i = 1; i <= NR; i++) {
            k = 451 + (i - 1) * 4; id = sprintf("MR-%03d", i)
            row("reviews.csv", id "," (2025 + int((i - 1) / 4)) "-" sprintf("%02d", (i - 1) % 4 * 3 + 2) "-10," \
                c(k) "," c(k + 1) "," c(k + 2) "," c(k + 3) "," q(nl(own(k + 4))) ",yes," c(k + 5) ",partly,no," c(k + 6))
            page = "review/" id ".html"
            expect(page, "review title", k); expect(page, "review attendees", k + 1)
            said(page, "review chair", own(k + 4)); expect(page, "suitability note", k + 5)
            expect(page, "effectiveness note", k + 6)
            if (i == NR) expect("review/index.html", "review title", k)
            row("review_decisions.csv", sprintf("MD-%03d", i) "," id "," c(k + 7) "," \
                pick("improvement sms_change resource acceptance other", i) "," q(nl(own(k + 8))) ",2027-02-28")
            expect(page, "decision text", k + 7); said(page, "decision owner", own(k + 8))
            for (j = 1; j <= 13; j++)
                row("review_inputs.csv", id "," inputs[j] "," c(483 + (i - 1) * 13 + j - 1))
        }
    }' "$PAYLOADS"
}

P=$(grep -c . "$PAYLOADS")

t "the payload list is a few hundred varied payloads, one a line, each unique"
[ "$P" -ge 300 ] || _fail "only $P payloads"
is_eq "$(grep . "$PAYLOADS" | sort | uniq -d | head -3)" "" "repeated payloads"
is_eq "$(grep -c $'\r' "$PAYLOADS")" "0" "lines with a carriage return"
# unique also as riskreg stores them (trimmed, without a spreadsheet's leading apostrophe)
is_eq "$(grep . "$PAYLOADS" | sed -E "s/^[[:space:]]+//; s/[[:space:]]+\$//; s/^'([=+@-])/\\1/" | sort | uniq -d | head -3)" "" "payloads that are the same once stored"

t "the hostile register imports: every text field of every kind carries payloads"
new_register proj
make_register proj/data "$TMP/expect.txt"
rr -C proj import proj/data --on 2026-11-20
is_rc 0
out_has "imported 12 files"
DB=proj/register.db
rr -C proj review freeze
is_rc 0
out_has "kept the figures of 8 held reviews"
N=$(((P + 1) / 2))
is_eq "$(sql "$DB" "SELECT count(*) FROM risk")" "$N" "risks (two payloads each)"
# each payload once in a plain field (title, service) and once in a Markdown field (description,
# controls after their lead-in)
is_eq "$(sql "$DB" "SELECT count(*) FROM (SELECT title FROM risk UNION SELECT service FROM risk)")" "$P" "payloads in plain risk fields"
is_eq "$(sql "$DB" "SELECT count(*) FROM (SELECT description FROM risk UNION
    SELECT substr(controls, instr(controls, ': ') + 2) FROM risk)")" "$P" "payloads in Markdown risk fields"
is_eq "$(sql "$DB" "SELECT title FROM risk WHERE id = 'R-001'")" "$(sed -n 1p "$PAYLOADS")" "R-001's title, as stored"
for spec in "assessment note" "improvement title" "improvement benefit" "audit summary" "nonconformity corrective_action" \
    "kpi unit" "review decisions" "review_input text" "review_action owner" "review chair" "review suitable_note" \
    "acceptance justification" "acceptance approver" "review_decision text" "review_decision owner"; do
    set -- $spec
    n=$(sql "$DB" "SELECT count(*) FROM $1 WHERE $2 GLOB '*[<>\"]*' OR $2 LIKE '%javascript%' OR $2 LIKE '%alert%'")
    [ "$n" -gt 0 ] || _fail "no payload in $1.$2"
done

t "the site builds from the hostile register"
rr -C proj build
is_rc 0
[ -f "$SITE/index.html" ] || _fail "no $SITE/index.html"
PAGES=$(cd "$SITE" && find . -name '*.html' | wc -l)
[ "$PAGES" -gt "$N" ] || _fail "only $PAGES pages for $N risks"

# ---- in the browser ----------------------------------------------------------------------------

# browser_ready: node, the Chromium playwright-core drives, and playwright-core itself
browser_ready() {
    command -v node >/dev/null 2>&1 || { echo "node is missing: install Debian's nodejs and npm (make deps, or apt-get install nodejs npm)"; return 1; }
    [ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium is missing: install Debian's chromium (make deps, or apt-get install chromium)"; return 1; }
    if [ ! -d "$BROWSER/node_modules/playwright-core" ]; then
        command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Debian's npm (make deps, or apt-get install npm)"; return 1; }
        (cd "$BROWSER" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) ||
            { echo "npm ci in tests/browser failed: run it there by hand to see why"; return 1; }
    fi
}

t "node, chromium and playwright-core are there to run the browser checks"
why=$(browser_ready)
browser_rc=$?
[ "$browser_rc" = 0 ] || _fail "$why"
report="$TMP/browser.txt"
if [ "$browser_rc" = 0 ]; then
    start=$(date +%s%N)
    node "$BROWSER/xss.js" "$SITE" "$TMP/expect.txt" >"$report" 2>"$TMP/browser.err"
    xss_rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    [ -n "${VERBOSE:-}" ] && echo "     xss.js: $(grep '^checked ' "$report") ($ms ms with node's start)"
else
    echo "not run: $why" >"$report"
    xss_rc=1
fi

# family NAME WHAT: a case that passes when xss.js found nothing of that family
family() {
    t "browser: $2"
    if [ "$browser_rc" != 0 ]; then
        _fail "not run: $why"
        return
    fi
    grep -q '^checked ' "$report" || {
        _fail "xss.js did not finish: $(head -c 300 "$TMP/browser.err")"
        return
    }
    local found
    found=$(grep "^$1 " "$report")
    [ -z "$found" ] || _fail "$(printf '%s\n' "$found" | wc -l) problem(s):"$'\n'"$(printf '%s\n' "$found" | head -20)"
}

t "browser: xss.js loaded every page of the site, over file:// and over http"
if [ "$browser_rc" != 0 ]; then _fail "not run: $why"; else
    is_eq "$(sed -n 's/^checked \([0-9]*\) pages over file.*/\1/p' "$report")" "$PAGES" "pages loaded over file://"
    is_eq "$(sed -n 's/.* and \([0-9]*\) over http.*/\1/p' "$report")" "$PAGES" "pages loaded over http"
    family_names="dialog|request|console|error|script|handler|url|element|presence|coverage|checked"
    is_eq "$(grep -v -E "^($family_names) " "$report" | head -5)" "" "lines xss.js printed that no case reads"
    is_eq "$(cat "$TMP/browser.err")" "" "stderr of xss.js"
    # it exits non-zero exactly when it found something
    if grep -q -v '^checked ' "$report"; then is_eq "$xss_rc" "1" "exit code of xss.js with problems"; else is_eq "$xss_rc" "0" "exit code of xss.js"; fi
fi
family dialog "no page opens a dialog (alert, prompt, confirm, print)"
# Markdown images from elsewhere (![x](//x.invalid/a.png)) would be fetched when the page opens
# (file://x.invalid/... from a file:// site, an SMB fetch on Windows; http(s) elsewhere), and a CSP
# img-src 'self' still lets file://HOST through: the Markdown renderer keeps only images inside
# the site and shows the others' descriptions as text.
family request "no page requests anything from outside the site folder"
family console "no CSP violation, blocked script or other error in the console"
family error "no page error, popup, navigation away or failed load"
family script "no <script> element in any page"
family handler "no element carries an on* event handler attribute"
family url "no javascript:, vbscript: or data:text/html URL in href, src, action, formaction or xlink:href"
family element "no iframe, object, embed, base, form, meta refresh, style, svg or other injected markup"
family presence "the payloads show as text where they were put (the test cannot pass by dropping them)"
family coverage "the sample of pages and texts checked for presence is the whole expected set"

# ---- without a browser -------------------------------------------------------------------------

t "every page carries the Content-Security-Policy meta before anything it governs, forbidding scripts"
bad=""
while IFS= read -r f; do
    csp=$(grep -n -o '<meta http-equiv="Content-Security-Policy" content="[^"]*">' "$f" | head -1)
    first=$(grep -n -m1 -E '<(link|title|style|img|body)[ >]' "$f" | cut -d: -f1)
    case $csp in
    "") bad="$bad $f(no CSP meta)" ;;
    *"script-src 'none'"*"object-src 'none'"*"base-uri 'none'"*) [ "${csp%%:*}" -lt "${first:-1000000}" ] || bad="$bad $f(CSP meta after line $first)" ;;
    *) bad="$bad $f(${csp#*:})" ;;
    esac
    [ "$(grep -c 'http-equiv="Content-Security-Policy"' "$f")" = 1 ] || bad="$bad $f(several CSP metas)"
done < <(find "$SITE" -name '*.html' | sort)
[ -f "$SITE/index.html" ] || bad="no site"
is_eq "${bad:0:600}" "" "pages without a CSP that forbids scripts"
is_eq "$(find "$SITE" -name '*.html' -exec grep -o -h '<meta http-equiv="Content-Security-Policy" content="[^"]*">' {} + |
    grep -E "unsafe-(inline|eval|hashes)|script-src [^;\"]*(\*|https?:|data:|'self')" | head -3)" "" "pages whose CSP lets a script in"

# tags: every start tag of the site's pages, with quoted attribute values blanked (an escaped
# payload in an attribute holds no '"', so what is left outside quotes is markup riskreg wrote)
# (a chart's own <source>, the first child of its <picture>, is the site's: left out)
tags() {
    find "$SITE" -name '*.html' -exec grep -o -H -E '<[A-Za-z][^>]*>' {} + | sed -E 's/="[^"]*"/=""/g' |
        awk '{ f = $0; sub(/:<.*/, "", f) }
             prev == f ":<picture>" && $0 == f ":<source media=\"\" srcset=\"\">" { prev = ""; next }
             { prev = $0; print }'
}

# dangerous_urls: of the files named on stdin (NUL-separated), every URL attribute whose value,
# entities decoded and control characters dropped as a browser does, names a scheme that runs
dangerous_urls() {
    xargs -0 grep -o -H -i -E '[[:space:]](href|src|action|formaction|xlink:href|data|srcset|poster|background)="[^"]*"' |
        awk '{
        v = $0; sub(/^[^=]*="/, "", v); sub(/"$/, "", v)
        while (match(v, /&#[xX][0-9a-fA-F]+;?/)) { h = substr(v, RSTART + 3, RLENGTH - 3); sub(/;$/, "", h); n = 0
            for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789abcdef", tolower(substr(h, i, 1))) - 1
            v = substr(v, 1, RSTART - 1) (n < 128 ? sprintf("%c", n) : "?") substr(v, RSTART + RLENGTH) }
        while (match(v, /&#[0-9]+;?/)) { n = substr(v, RSTART + 2, RLENGTH - 2) + 0
            v = substr(v, 1, RSTART - 1) (n < 128 ? sprintf("%c", n) : "?") substr(v, RSTART + RLENGTH) }
        gsub(/&colon;/, ":", v); gsub(/&Tab;|&NewLine;/, "", v); gsub(/&amp;/, "\\&", v)
        gsub(/[\001-\040]/, "", v)
        if (tolower(v) ~ /^((java|vb|live)script:|data:(text\/html|application\/xhtml|text\/xml|image\/svg))/) print $0
    }'
}

t "Markdown fields drop raw HTML and javascript: links (the HTML, read without a browser)"
is_eq "$(tags | grep -i -E ':<(script|iframe|frame|frameset|object|embed|applet|base|form|input|button|textarea|select|style|svg|math|video|audio|source|marquee|isindex|keygen|template|xmp|plaintext|noscript|portal|bgsound|xml|xss|x|custom-tag|image|noembed|noframes)[ />]' | head -5)" "" "injected elements"
is_eq "$(tags | grep -i -E '[[:space:]/"]on[a-z]+[[:space:]]*=' | head -5)" "" "event handler attributes"
is_eq "$(tags | grep -i -E '[[:space:]](style|srcdoc|formaction|ping|background|dynsrc|lowsrc|poster|xlink:href)=' | head -5)" "" "dangerous attributes"
is_eq "$(find "$SITE" -name '*.html' -exec grep -o -h -i -E '<meta[^>]*http-equiv="?[a-z-]*' {} + | grep -v -c 'http-equiv="Content-Security-Policy')" "0" "meta http-equiv other than the CSP"
is_eq "$(find "$SITE" -name '*.html' -print0 | dangerous_urls | head -5)" "" "dangerous URLs"
# the risks whose description or controls (Markdown) link to a script: the text shows, the URL not
for pl in '[x](javascript:alert(300))' '[x](JaVaScRiPt:alert(301))' '[x](  javascript:alert(302))' \
    '[x](jav&#x09;ascript:alert(305))' '[x](javascript&colon;alert(307))' '[x](vbscript:msgbox(312))' \
    '[x](data:text/html,<script>alert(314)</script>)' '<javascript:alert(327)>' '[x][1]\n\n[1]: javascript:alert(332)' \
    '<a href="javascript:alert(102)">click</a>' '<script>alert(1)</script>' '<img src=x onerror=alert(35)>'; do
    n=$(grep -n -x -F -- "$pl" "$PAYLOADS" | cut -d: -f1)
    if [ -z "$n" ]; then _fail "payload '$pl' is not in payloads.txt"; continue; fi
    # payload n is the description of R-n, or the controls of R-(n-N) (see make_register)
    if [ "$n" -le "$N" ]; then h=Description; else h="Controls in place" n=$((n - N)); fi
    f=$(printf '%s/risks/R-%03d.html' "$SITE" "$n")
    awk -v h="<h2>$h</h2>" 'index($0, h) { on = 1; next } on && /<h2/ { exit } on' "$f" >"$TMP/prose.html"
    grep -q 'class="prose"' "$TMP/prose.html" || _fail "$f: no $h shown for '$pl'"
    is_eq "$(printf '%s\0' "$TMP/prose.html" | dangerous_urls)" "" "$f: URLs of the $h '$pl'"
    is_eq "$(grep -c -i -E '<(script|img|a)[^>]*(onerror|onclick|javascript)' "$TMP/prose.html")" "0" "$f: raw HTML of '$pl'"
    # the description's payload is in the planned treatment too (Markdown, after its lead-in)
    [ "$h" = Description ] || continue
    awk 'index($0, "<h2 id=\"plan\">") { on = 1; next } on && /<h2/ { exit } on' "$f" >"$TMP/plan.html"
    grep -q 'class="prose"' "$TMP/plan.html" || _fail "$f: no planned treatment shown for '$pl'"
    is_eq "$(printf '%s\0' "$TMP/plan.html" | dangerous_urls)" "" "$f: URLs of the planned treatment '$pl'"
    is_eq "$(grep -c -i -E '<(script|img|a)[^>]*(onerror|onclick|javascript)' "$TMP/plan.html")" "0" "$f: raw HTML of the plan '$pl'"
done

t "the site's data/*.csv neutralise formulas: a cell starting with = + - @ gets a leading apostrophe"
formulas=0
for f in "$SITE"/data/*.csv; do
    cols=$(sqlite3 -batch :memory: ".import --csv $f t" "SELECT name FROM pragma_table_info('t')")
    [ -n "$cols" ] || { _fail "$f: cannot read it as CSV"; continue; }
    q=""
    while IFS= read -r col; do q="$q${q:+ UNION ALL }SELECT '$col', \"$col\" FROM t WHERE substr(\"$col\", 1, 1) IN ('=', '+', '-', '@')"; done <<<"$cols"
    is_eq "$(sqlite3 -batch :memory: ".import --csv $f t" "SELECT count(*) FROM ($q)")" "0" "$f: cells a spreadsheet would run"
done
rf="$SITE/data/risks.csv"
while IFS= read -r pl; do
    v=$(printf '%s' "$pl" | sed -E "s/^[[:space:]]+//; s/[[:space:]]+\$//; s/^'([=+@-])/\\1/")
    case $v in [=+@-]*) ;; *) continue ;; esac
    formulas=$((formulas + 1))
    is_eq "$(sqlite3 -batch :memory: ".import --csv $rf t" "SELECT count(*) FROM t WHERE '''${v//\'/\'\'}' IN (title, service)")" "1" "risks.csv: '$v' written as text"
done <"$PAYLOADS"
[ "$formulas" -ge 8 ] || _fail "only $formulas formula payloads"

# ---- what the hostile register found besides escaping ------------------------------------------

# An owner's page is named by a slug of the name, capped so that a very long name still gives a
# file name the file system takes, and kept unique when two long names share their start.
t "owner names of 300 characters build, their pages under file names of safe length"
new_register long
mkdir -p long/data
long_name=$(printf 'o%.0s' $(seq 299))
printf 'id,title,owner\nR-001,Long owner,%s\nR-002,Another long owner,%s\n' "${long_name}a" "${long_name}b" >long/data/risks.csv
rr -C long import long/data --on 2026-11-20
is_rc 0
rr -C long build
is_rc 0
is_eq "$(find long/public/owners -name '*.html' ! -name index.html 2>/dev/null | wc -l)" "2" "owner pages"
longest=$(find long/public/owners -name '*.html' -printf '%f\n' | awk '{ print length($0) }' | sort -n | tail -1)
[ "$longest" -le 70 ] || _fail "an owner page's file name has $longest characters"
file_has long/public/owners/index.html "${long_name}a"

# The dashboard's category chart shows the fifteen largest categories and one bar for the rest,
# so a register with a hundred categories still builds and reads.
t "a register with 120 categories builds, its category chart capped at 15 bars"
new_register cats
mkdir -p cats/data
{ echo "id,title,category"; for i in $(seq 120); do echo "R-$i,Risk $i,Category $i"; done; } >cats/data/risks.csv
rr -C cats import cats/data --on 2026-11-20
is_rc 0
rr -C cats build
is_rc 0
img=$(grep -o '<img[^>]*charts/categories-[^>]*>' cats/public/index.html | head -1)
[ -n "$img" ] || _fail "no category chart on the dashboard"
height=$(printf '%s' "$img" | sed -n 's/.* height="\([0-9]*\)".*/\1/p')
[ -n "$height" ] && [ "$height" -le 426 ] || _fail "the category chart is '$height' px high"

done_testing
