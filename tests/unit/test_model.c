/* test_model.c - kinds, fields, header aliases, enumeration words */
#include "model.h"
#include "text.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static const struct kind *K(enum kind_id id)
{
    return model_kind(id);
}

/* the name of the field a header maps to, or "-" */
static const char *header(enum kind_id kid, const char *h)
{
    const struct kind *k = K(kid);
    int i = model_field_for_header(k, h);
    return i < 0 ? "-" : k->fields[i].name;
}

static const struct field *field_of(enum kind_id kid, const char *name)
{
    int i = model_field_index(K(kid), name);
    return i < 0 ? NULL : &K(kid)->fields[i];
}

/* model_enum_value, "(none)" when unknown */
static const char *word(enum kind_id kid, const char *fname, const char *w)
{
    const struct field *f = field_of(kid, fname);
    if (!f) return "(no such field)";
    const char *v = model_enum_value(K(kid), f, w);
    return v ? v : "(none)";
}

/* the kind's name for model_find_kind, "(none)" when unknown */
static const char *kind_for(const char *name)
{
    const struct kind *k = model_find_kind(name);
    return k ? k->name : "(none)";
}

static void test_find_kind(void)
{
    CHECK_STR(kind_for("risks"), "risks");
    CHECK_STR(kind_for("Risk"), "risks");
    CHECK_STR(kind_for("RISKS"), "risks");
    CHECK_STR(kind_for("risks.csv"), "risks");
    CHECK_STR(kind_for("Risks.CSV"), "risks");
    CHECK_STR(kind_for("assessments"), "assessments");
    CHECK_STR(kind_for("assessment.csv"), "assessments");
    CHECK_STR(kind_for("improvements"), "improvements");
    CHECK_STR(kind_for("Improvement"), "improvements");
    CHECK_STR(kind_for("audits"), "audits");
    CHECK_STR(kind_for("nonconformities"), "nonconformities");
    CHECK_STR(kind_for("Nonconformity"), "nonconformities");
    CHECK_STR(kind_for("nonconformances"), "nonconformities");
    CHECK_STR(kind_for("nonconformance"), "nonconformities");
    CHECK_STR(kind_for("NCs"), "nonconformities");
    CHECK_STR(kind_for("nonconformances.csv"), "nonconformities");
    CHECK_STR(kind_for("ncs.csv"), "nonconformities");
    CHECK_STR(kind_for("actions.csv"), "review_actions");
    CHECK_STR(kind_for("kpis"), "kpis");
    CHECK_STR(kind_for("KPI"), "kpis");
    CHECK_STR(kind_for("measurements.csv"), "measurements");
    CHECK_STR(kind_for("reviews"), "reviews");
    CHECK_STR(kind_for("review_inputs"), "review_inputs");
    CHECK_STR(kind_for("review input"), "review_inputs");
    CHECK_STR(kind_for("review_actions"), "review_actions");
    CHECK_STR(kind_for("review_actions.csv"), "review_actions");
    CHECK_STR(kind_for("Review Actions"), "review_actions");
    CHECK_STR(kind_for("review-action"), "review_actions");
    CHECK_STR(kind_for("actions"), "review_actions");
    CHECK_STR(kind_for("unknown"), "(none)");
    CHECK_STR(kind_for(""), "(none)");
    CHECK_STR(kind_for("csv"), "(none)");
    CHECK_STR(kind_for(".csv"), "(none)");
    CHECK_STR(kind_for("riskscsv"), "(none)"); /* ".csv" only as a file name ending */
    CHECK_STR(kind_for("incidents.csv"), "(none)");

    CHECK_STR(model_suggest_kind("rsks"), "risks");
    CHECK_STR(model_suggest_kind("improvments"), "improvements");
    CHECK_STR(model_suggest_kind("audts"), "audits");
    CHECK_STR(model_suggest_kind("review_action"), "review_actions");
    CHECK(model_suggest_kind("banana") == NULL);
}

static void test_kinds_match_spec(void)
{
    static const struct {
        enum kind_id id;
        const char *name, *table, *prefix, *columns;
    } spec[] = {
        {K_RISK, "risks", "risk", "R-",
         "id,kind,title,description,category,service,owner,status,treatment,controls,action_plan,"
         "target_on,created_on,closed_on,review_every_days,next_review_on"},
        {K_ASSESSMENT, "assessments", "assessment", NULL,
         "risk_id,assessed_on,likelihood,impact,residual_likelihood,residual_impact,assessor,note"},
        {K_IMPROVEMENT, "improvements", "improvement", "I-",
         "id,title,description,source,risk_id,owner,priority,status,raised_on,due_on,done_on,"
         "benefit"},
        {K_NONCONFORMITY, "nonconformities", "nonconformity", "NC-",
         "id,title,description,source,audit_id,severity,raised_on,root_cause,correction,"
         "corrective_action,owner,due_on,closed_on,effective,checked_on,checked_by,check_method,"
         "similar_elsewhere,requirement_id"},
        {K_AUDIT, "audits", "audit", "A-",
         "id,title,kind,status,scope,requirements,services,planned_on,held_on,auditor,summary,"
         "certificate_id"},
        {K_REQUIREMENT, "requirements", "requirement", "REQ-",
         "id,framework,clause,parent,heading,guidance,assessable"},
        {K_READINESS, "readiness", "readiness", NULL,
         "requirement_id,assessed_on,status,maturity,owner,evidence,gap,improvement_id,target_on,"
         "reason"},
        {K_DOCUMENT, "documents", "document", "DOC-",
         "id,title,type,owner,version,approved_on,approved_by,next_review_on,location,"
         "requirements"},
        {K_CERTIFICATE, "certificates", "certificate", "CERT-",
         "id,body,number,scope,issued_on,expires_on,status"},
        {K_KPI, "kpis", "kpi", "K-",
         "id,name,kind,service,party,unit,target,direction,description"},
        {K_MEASUREMENT, "measurements", "measurement", NULL, "kpi_id,measured_on,value"},
        {K_REVIEW, "reviews", "review", "MR-",
         "id,held_on,title,attendees,summary,decisions,status,planned_on,period,chair,suitable,"
         "suitable_note,adequate,adequate_note,effective,effective_note"},
        {K_REVIEW_INPUT, "review_inputs", "review_input", NULL, "review_id,input,text"},
        {K_REVIEW_ACTION, "review_actions", "review_action", "MA-",
         "id,review_id,text,owner,due_on,status,closed_on"},
        {K_ACCEPTANCE, "acceptances", "acceptance", "AC-",
         "id,risk_id,status,requested_on,approver,accepted_on,expires_on,level,score,justification,"
         "note"},
        {K_REVIEW_DECISION, "review_decisions", "review_decision", "MD-",
         "id,review_id,text,kind,owner,due_on,action_id,improvement_id,acceptance_id"},
    };
    for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++) {
        const struct kind *k = K(spec[i].id);
        CHECK(k->id == spec[i].id);
        CHECK_STR(k->name, spec[i].name);
        CHECK_STR(k->table, spec[i].table);
        if (spec[i].prefix)
            CHECK_STR(k->prefix, spec[i].prefix);
        else
            CHECK(k->prefix == NULL);
        struct strbuf cols = STRBUF_INIT;
        for (int f = 0; f < k->nfields; f++)
            sb_printf(&cols, "%s%s", f ? "," : "", k->fields[f].name);
        CHECK_STR(sb_str(&cols), spec[i].columns);
        sb_free(&cols);
        CHECK(k->nfields <= MAX_FIELDS);
        CHECK(model_find_kind(k->name) == k);
        /* a kind only refers to kinds before it, or to itself (a requirement's parent) */
        int later = 0;
        for (int f = 0; f < k->nfields; f++)
            if (k->fields[f].type == FT_REF && k->fields[f].ref > k->id) later++;
        CHECK(later == 0);
    }

    /* the enumerations of SPEC §4 */
    char list[256];
    model_enum_list(field_of(K_RISK, "status"), list, sizeof list);
    CHECK_STR(list, "open, treating, accepted, closed");
    model_enum_list(field_of(K_RISK, "treatment"), list, sizeof list);
    CHECK_STR(list, "mitigate, accept, transfer, avoid, exploit, enhance, share");
    model_enum_list(field_of(K_RISK, "kind"), list, sizeof list);
    CHECK_STR(list, "risk, opportunity");
    model_enum_list(field_of(K_IMPROVEMENT, "source"), list, sizeof list);
    CHECK_STR(list, "audit, incident, customer, review, risk, staff, other");
    model_enum_list(field_of(K_IMPROVEMENT, "priority"), list, sizeof list);
    CHECK_STR(list, "low, medium, high");
    model_enum_list(field_of(K_IMPROVEMENT, "status"), list, sizeof list);
    CHECK_STR(list, "proposed, approved, in_progress, done, rejected");
    model_enum_list(field_of(K_NONCONFORMITY, "source"), list, sizeof list);
    CHECK_STR(list, "internal_audit, external_audit, incident, complaint, review, other");
    model_enum_list(field_of(K_NONCONFORMITY, "severity"), list, sizeof list);
    CHECK_STR(list, "major, minor, observation");
    model_enum_list(field_of(K_NONCONFORMITY, "effective"), list, sizeof list);
    CHECK_STR(list, "yes, no");
    model_enum_list(field_of(K_AUDIT, "kind"), list, sizeof list);
    CHECK_STR(list, "internal, certification, surveillance, supplier");
    model_enum_list(field_of(K_KPI, "kind"), list, sizeof list);
    CHECK_STR(list, "service, customer, supplier, objective, process");
    model_enum_list(field_of(K_KPI, "direction"), list, sizeof list);
    CHECK_STR(list, "higher, lower");
    model_enum_list(field_of(K_REVIEW_ACTION, "status"), list, sizeof list);
    CHECK_STR(list, "open, done, dropped");
    /* a short buffer is cut and terminated */
    char small[10];
    model_enum_list(field_of(K_RISK, "status"), small, sizeof small);
    CHECK(strlen(small) < sizeof small);
    CHECK(strncmp(small, "open, tre", strlen(small)) == 0);

    /* the clause 9.3 inputs of SPEC §7 */
    static const char *const inputs[] = {"previous_actions",
                                         "context_changes",
                                         "nonconformity_trends",
                                         "measurement_trends",
                                         "audit_results",
                                         "improvement_opportunities",
                                         "customer_feedback",
                                         "policy",
                                         "objectives",
                                         "service_performance",
                                         "other_parties",
                                         "resources",
                                         "risks"};
    int n = 0, bad = 0;
    for (; model_review_inputs[n]; n++)
        if (n >= 13 || strcmp(model_review_inputs[n], inputs[n]) != 0) bad++;
    CHECK(n == 13);
    CHECK(bad == 0);

    /* types of a few fields */
    CHECK(field_of(K_ASSESSMENT, "likelihood")->type == FT_RATING);
    CHECK(field_of(K_ASSESSMENT, "residual_impact")->type == FT_RATING);
    CHECK(field_of(K_RISK, "created_on")->type == FT_DATE);
    CHECK(field_of(K_RISK, "review_every_days")->type == FT_DAYS);
    CHECK(field_of(K_RISK, "description")->type == FT_MARKDOWN);
    CHECK(field_of(K_KPI, "target")->type == FT_NUMBER);
    CHECK(field_of(K_IMPROVEMENT, "risk_id")->type == FT_REF);
    CHECK(field_of(K_IMPROVEMENT, "risk_id")->ref == K_RISK);
    CHECK(field_of(K_NONCONFORMITY, "audit_id")->ref == K_AUDIT);
    CHECK(field_of(K_REVIEW_ACTION, "review_id")->ref == K_REVIEW);
    CHECK(field_of(K_RISK, "title")->flags & FF_REQUIRED);
    CHECK(field_of(K_ASSESSMENT, "assessed_on")->flags & FF_KEY);
    CHECK(!(field_of(K_RISK, "owner")->flags & FF_REQUIRED));
    CHECK(model_field_index(K(K_RISK), "likelihood") == -1); /* an assessment field */
    CHECK(model_field_index(K(K_RISK), "Title") == -1);      /* exact names only */
    CHECK(model_field_index(K(K_RISK), "id") == 0);
}

static void test_headers(void)
{
    /* risks */
    CHECK_STR(header(K_RISK, "Risk ID"), "id");
    CHECK_STR(header(K_RISK, "risk_id"), "id");
    CHECK_STR(header(K_RISK, "Risk #"), "id");
    CHECK_STR(header(K_RISK, "Ref"), "id");
    CHECK_STR(header(K_RISK, "ID"), "id");
    CHECK_STR(header(K_RISK, "Risk Owner"), "owner");
    CHECK_STR(header(K_RISK, "risk_owner"), "owner");
    CHECK_STR(header(K_RISK, "RISK-OWNER"), "owner");
    CHECK_STR(header(K_RISK, "Owner"), "owner");
    CHECK_STR(header(K_RISK, " Owner: "), "owner");
    CHECK_STR(header(K_RISK, "Mitigation"), "controls");
    CHECK_STR(header(K_RISK, "Existing Controls"), "controls");
    CHECK_STR(header(K_RISK, "Date Raised"), "created_on");
    CHECK_STR(header(K_RISK, "created_on"), "created_on");
    CHECK_STR(header(K_RISK, "Created On"), "created_on");
    CHECK_STR(header(K_RISK, "Risk"), "title");
    CHECK_STR(header(K_RISK, "Risk Description"), "description");
    CHECK_STR(header(K_RISK, "Risk Category"), "category");
    CHECK_STR(header(K_RISK, "Treatment Option"), "treatment");
    CHECK_STR(header(K_RISK, "Date Closed"), "closed_on");
    CHECK_STR(header(K_RISK, "Review Frequency (days)"), "review_every_days");
    CHECK_STR(header(K_RISK, "Next Review Date"), "next_review_on");
    CHECK_STR(header(K_RISK, "Risk or Opportunity"), "kind");
    /* likelihood and impact are assessment fields, not risk fields */
    CHECK_STR(header(K_RISK, "Probability"), "-");
    CHECK_STR(header(K_RISK, "Consequence"), "-");
    CHECK_STR(header(K_RISK, "Severity"), "-");
    CHECK_STR(header(K_RISK, "Likelihood"), "-");
    CHECK_STR(header(K_RISK, "Favourite colour"), "-");
    CHECK_STR(header(K_RISK, ""), "-");
    CHECK_STR(header(K_RISK, "  "), "-");
    CHECK_STR(header(K_RISK, "?"), "-");

    /* assessments */
    CHECK_STR(header(K_ASSESSMENT, "Probability"), "likelihood");
    CHECK_STR(header(K_ASSESSMENT, "Likelihood"), "likelihood");
    CHECK_STR(header(K_ASSESSMENT, "Likelihood (L)"), "likelihood");
    CHECK_STR(header(K_ASSESSMENT, "Consequence"), "impact");
    CHECK_STR(header(K_ASSESSMENT, "Severity"), "impact");
    CHECK_STR(header(K_ASSESSMENT, "Impact (I)"), "impact");
    CHECK_STR(header(K_ASSESSMENT, "Residual Probability"), "residual_likelihood");
    CHECK_STR(header(K_ASSESSMENT, "Residual Severity"), "residual_impact");
    CHECK_STR(header(K_ASSESSMENT, "Risk ID"), "risk_id");
    CHECK_STR(header(K_ASSESSMENT, "Risk"), "risk_id");
    CHECK_STR(header(K_ASSESSMENT, "Assessment Date"), "assessed_on");
    CHECK_STR(header(K_ASSESSMENT, "Assessed By"), "assessor");
    CHECK_STR(header(K_ASSESSMENT, "Comments"), "note");

    /* improvements: the same words can mean other fields */
    CHECK_STR(header(K_IMPROVEMENT, "Date Raised"), "raised_on");
    CHECK_STR(header(K_IMPROVEMENT, "Risk"), "risk_id");
    CHECK_STR(header(K_IMPROVEMENT, "Related Risk"), "risk_id");
    CHECK_STR(header(K_IMPROVEMENT, "Completion Date"), "done_on");
    CHECK_STR(header(K_IMPROVEMENT, "Assigned To"), "owner");
    CHECK_STR(header(K_IMPROVEMENT, "Due Date"), "due_on");

    /* nonconformities: Severity is theirs */
    CHECK_STR(header(K_NONCONFORMITY, "Severity"), "severity");
    CHECK_STR(header(K_NONCONFORMITY, "Grade"), "severity");
    CHECK_STR(header(K_NONCONFORMITY, "Effective?"), "effective");
    CHECK_STR(header(K_NONCONFORMITY, "Effectiveness Check"), "effective");
    CHECK_STR(header(K_NONCONFORMITY, "NC ID"), "id");
    CHECK_STR(header(K_NONCONFORMITY, "Root Cause Analysis"), "root_cause");
    CHECK_STR(header(K_NONCONFORMITY, "CAPA"), "corrective_action");
    CHECK_STR(header(K_NONCONFORMITY, "Date Raised"), "raised_on");

    CHECK_STR(header(K_KPI, "Metric"), "name");
    CHECK_STR(header(K_KPI, "Supplier"), "party");
    CHECK_STR(header(K_KPI, "Goal"), "target");
    CHECK_STR(header(K_MEASUREMENT, "Actual"), "value");
    CHECK_STR(header(K_MEASUREMENT, "Date"), "measured_on");
    CHECK_STR(header(K_AUDIT, "Lead Auditor"), "auditor");
    CHECK_STR(header(K_REVIEW, "Meeting Date"), "held_on");
    CHECK_STR(header(K_REVIEW_INPUT, "Clause 9.3 Input"), "input");
    CHECK_STR(header(K_REVIEW_ACTION, "Action"), "text");
    CHECK_STR(header(K_REVIEW_ACTION, "Date Completed"), "closed_on");

    /* every field name and every alias leads back to its own field (no alias is taken by an
     * earlier field of the same kind) */
    int bad = 0;
    for (int kid = 0; kid < KIND_COUNT; kid++) {
        const struct kind *k = K((enum kind_id)kid);
        for (int f = 0; f < k->nfields; f++) {
            if (model_field_for_header(k, k->fields[f].name) != f) {
                printf("note: %s.%s does not map to itself\n", k->name, k->fields[f].name);
                bad++;
            }
            const char *a = k->fields[f].aliases;
            while (a && *a) {
                size_t n = strcspn(a, "|");
                char alias[128];
                snprintf(alias, sizeof alias, "%.*s", (int)n, a);
                int got = model_field_for_header(k, alias);
                if (got != f) {
                    printf("note: %s alias '%s' of %s maps to %s\n", k->name, alias,
                           k->fields[f].name, got < 0 ? "nothing" : k->fields[got].name);
                    bad++;
                }
                a += n + (a[n] == '|');
            }
        }
    }
    CHECK(bad == 0);
}

/* the name keys a field answers to: its name and each alias */
static int field_keys(const struct field *f, char keys[][128], int max)
{
    int n = 0;
    text_name_key(f->name, keys[n++], 128);
    for (const char *a = f->aliases; a && *a && n < max;) {
        size_t len = strcspn(a, "|");
        char alias[128];
        snprintf(alias, sizeof alias, "%.*s", (int)len, a);
        text_name_key(alias, keys[n++], 128);
        a += len + (a[len] == '|');
    }
    return n;
}

/* No header key names two fields of one kind; a risk row also carries its assessment's fields
 * (all but risk_id), so a risk field and an assessment field never share one either. Kind
 * KIND_COUNT below stands for such a risk row. */
static void test_aliases_unique(void)
{
    int bad = 0;
    for (int kid = 0; kid <= KIND_COUNT; kid++) {
        static char seen_key[MAX_FIELDS * 2 * 64][128];
        const char *seen_field[MAX_FIELDS * 2 * 64];
        int nk = 0;
        for (int part = 0; part < (kid == KIND_COUNT ? 2 : 1); part++) {
            const struct kind *k = kid < KIND_COUNT ? K((enum kind_id)kid)
                                   : part == 0      ? K(K_RISK)
                                                    : K(K_ASSESSMENT);
            for (int f = 0; f < k->nfields; f++) {
                if (kid == KIND_COUNT && part == 1 && f == k->owner_field) continue;
                char fk[64][128];
                int n = field_keys(&k->fields[f], fk, 64);
                for (int i = 0; i < n; i++) {
                    if (!fk[i][0]) {
                        printf("note: %s.%s has an alias with an empty key\n", k->name,
                               k->fields[f].name);
                        bad++;
                        continue;
                    }
                    for (int j = 0; j < nk; j++)
                        if (strcmp(seen_key[j], fk[i]) == 0 &&
                            strcmp(seen_field[j], k->fields[f].name) != 0) {
                            printf("note: header key '%s' names both %s and %s (%s)\n", fk[i],
                                   seen_field[j], k->fields[f].name,
                                   kid < KIND_COUNT ? k->name : "a risk row");
                            bad++;
                        }
                    if (nk < MAX_FIELDS * 2 * 64) {
                        memcpy(seen_key[nk], fk[i], sizeof seen_key[nk]);
                        seen_field[nk] = k->fields[f].name;
                        nk++;
                    }
                }
            }
        }
    }
    CHECK(bad == 0);
}

/* headers of public risk-register templates (register/README.md lists where each comes from) */
static void test_template_headers(void)
{
    const struct kind *a = K(K_ASSESSMENT);
    CHECK_STR(header(K_RISK, "Risk Identifier"), "id");
    CHECK_STR(header(K_RISK, "Date Registered"), "created_on");
    CHECK_STR(header(K_RISK, "Risk Response Category"), "treatment");
    CHECK_STR(header(K_RISK, "Response Category"), "treatment");
    CHECK_STR(header(K_RISK, "Treatment Decision"), "treatment");
    CHECK_STR(header(K_RISK, "Risk Treatment"), "treatment");
    CHECK_STR(header(K_RISK, "Risk Response"), "action_plan");
    CHECK_STR(header(K_RISK, "Response Plan"), "action_plan");
    CHECK_STR(header(K_RISK, "Treatment Strategy"), "action_plan");
    CHECK_STR(header(K_RISK, "Further Action Required"), "action_plan");
    CHECK_STR(header(K_RISK, "Reaction_details"), "action_plan");
    CHECK_STR(header(K_RISK, "Mitigation Strategy"), "controls");
    CHECK_STR(header(K_RISK, "Risk Controls"), "controls");
    CHECK_STR(header(K_RISK, "Risk_type"), "category");
    CHECK_STR(header(K_RISK, "Affected Asset / Service"), "service");
    CHECK_STR(header(K_RISK, "Date Completed"), "closed_on");
    CHECK_STR(header(K_RISK, "Date_closed"), "closed_on");
    CHECK_STR(header(K_RISK, "Target Date"), "target_on");
    CHECK_STR(header(K_RISK, "Current Status"), "status");
    CHECK_STR(header(K_RISK, "Last Updated"), "-"); /* an assessment field, below */
    CHECK_STR(a->fields[model_field_for_header(a, "Last Updated")].name, "assessed_on");
    CHECK_STR(a->fields[model_field_for_header(a, "Probability of Occurence")].name, "likelihood");
    CHECK_STR(a->fields[model_field_for_header(a, "Impact Severity")].name, "impact");
    CHECK_STR(a->fields[model_field_for_header(a, "Impact Level")].name, "impact");
}

static void test_computed(void)
{
    CHECK(model_header_is_computed("Risk Rating"));
    CHECK(model_header_is_computed("risk_rating"));
    CHECK(model_header_is_computed("RISK RATING"));
    CHECK(model_header_is_computed("Risk Score"));
    CHECK(model_header_is_computed("Residual Score"));
    CHECK(model_header_is_computed("Inherent Risk Rating"));
    CHECK(model_header_is_computed("RAG Status"));
    CHECK(model_header_is_computed("Score"));
    CHECK(!model_header_is_computed("Risk Owner"));
    CHECK(!model_header_is_computed("Likelihood"));
    CHECK(!model_header_is_computed("Title"));
    CHECK(!model_header_is_computed(""));

    /* a computed column is never taken for a risk or assessment field */
    static const char *const computed[] = {
        "Rating",         "Risk Rating", "Risk Score", "Score",         "Inherent Score",
        "Residual Score", "Risk Level",  "Level",      "Residual Risk", "RAG"};
    int taken = 0;
    for (size_t i = 0; i < sizeof computed / sizeof computed[0]; i++) {
        CHECK(model_header_is_computed(computed[i]));
        if (model_field_for_header(K(K_RISK), computed[i]) >= 0 ||
            model_field_for_header(K(K_ASSESSMENT), computed[i]) >= 0)
            taken++;
    }
    CHECK(taken == 0);
}

static void test_enum_words(void)
{
    CHECK_STR(word(K_RISK, "status", "open"), "open");
    CHECK_STR(word(K_RISK, "status", "Open"), "open");
    CHECK_STR(word(K_RISK, "status", "CLOSED"), "closed");
    CHECK_STR(word(K_RISK, "status", "In progress"), "treating");
    CHECK_STR(word(K_RISK, "status", "in-progress"), "treating");
    CHECK_STR(word(K_RISK, "status", "Mitigated"), "accepted");
    CHECK_STR(word(K_RISK, "status", "Accept"), "accepted");
    CHECK_STR(word(K_RISK, "status", "Retired"), "closed");
    CHECK_STR(word(K_RISK, "status", "Live"), "open");
    CHECK_STR(word(K_RISK, "status", "Snoozing"), "(none)");
    /* words of public risk-register templates (register/README.md) */
    CHECK_STR(word(K_RISK, "status", "Pending"), "open");
    CHECK_STR(word(K_RISK, "status", "Not Started"), "open");
    CHECK_STR(word(K_RISK, "status", "On hold"), "open");
    CHECK_STR(word(K_RISK, "status", "Escalated"), "open");
    CHECK_STR(word(K_RISK, "status", "Under review"), "open");
    CHECK_STR(word(K_RISK, "status", "Active"), "open");
    CHECK_STR(word(K_RISK, "status", "Active Mitigation"), "treating");
    CHECK_STR(word(K_RISK, "status", "Monitoring"), "accepted");
    CHECK_STR(word(K_RISK, "status", "Transferred"), "accepted");
    CHECK_STR(word(K_RISK, "status", "Closed - mitigated"), "closed");
    CHECK_STR(word(K_RISK, "status", "Complete"), "closed");
    CHECK_STR(word(K_RISK, "treatment", "Transferred"), "transfer");
    CHECK_STR(word(K_RISK, "treatment", "Treat"), "mitigate");
    CHECK_STR(word(K_RISK, "treatment", "Tolerate"), "accept");
    CHECK_STR(word(K_RISK, "treatment", "Terminate"), "avoid");
    CHECK_STR(word(K_RISK, "treatment", "Retain"), "accept");
    CHECK_STR(word(K_RISK, "treatment", "Fallback"), "mitigate");
    CHECK_STR(word(K_RISK, "treatment", "Reject"), "accept");
    CHECK_STR(word(K_RISK, "treatment", "Escalate"), "(none)");
    CHECK_STR(word(K_IMPROVEMENT, "status", "On hold"), "approved");
    CHECK_STR(word(K_IMPROVEMENT, "status", "Under review"), "proposed");
    CHECK_STR(word(K_RISK, "status", ""), "(none)");
    CHECK_STR(word(K_RISK, "treatment", "Reduce"), "mitigate");
    CHECK_STR(word(K_RISK, "treatment", "Accepted"), "accept");
    CHECK_STR(word(K_RISK, "treatment", "Insure"), "transfer");
    CHECK_STR(word(K_RISK, "treatment", "Eliminate"), "avoid");
    CHECK_STR(word(K_RISK, "kind", "Positive"), "opportunity");
    /* synonyms belong to their kind and field */
    CHECK_STR(word(K_IMPROVEMENT, "status", "In progress"), "in_progress");
    CHECK_STR(word(K_IMPROVEMENT, "status", "Mitigated"), "(none)");
    CHECK_STR(word(K_IMPROVEMENT, "status", "Closed"), "done");
    CHECK_STR(word(K_IMPROVEMENT, "status", "Open"), "proposed");
    CHECK_STR(word(K_REVIEW_ACTION, "status", "In progress"), "open");
    CHECK_STR(word(K_REVIEW_ACTION, "status", "Closed"), "done");
    CHECK_STR(word(K_REVIEW_ACTION, "status", "Withdrawn"), "dropped");
    CHECK_STR(word(K_RISK, "treatment", "In progress"), "(none)");
    CHECK_STR(word(K_IMPROVEMENT, "source", "Internal audit"), "audit");
    CHECK_STR(word(K_NONCONFORMITY, "source", "Internal audit"), "internal_audit");
    CHECK_STR(word(K_NONCONFORMITY, "source", "Audit"), "internal_audit");
    CHECK_STR(word(K_IMPROVEMENT, "source", "Audit"), "audit");
    CHECK_STR(word(K_NONCONFORMITY, "severity", "Minor NC"), "minor");
    CHECK_STR(word(K_NONCONFORMITY, "effective", "True"), "yes");
    CHECK_STR(word(K_NONCONFORMITY, "effective", "n"), "no");
    CHECK_STR(word(K_AUDIT, "kind", "Recertification"), "certification");
    CHECK_STR(word(K_KPI, "kind", "SLA"), "service");
    CHECK_STR(word(K_KPI, "direction", "Lower is better"), "lower");
    CHECK_STR(word(K_KPI, "direction", "Minimize"), "lower");
    CHECK_STR(word(K_KPI, "direction", ">="), "higher");
    /* Regression: "<=" gave "higher" (both operators have an
     * empty name key; the key loop took ">=" first), and so did "?" or "-" */
    CHECK_STR(word(K_KPI, "direction", "<="), "lower");
    CHECK_STR(word(K_KPI, "direction", "?"), "(none)");
    CHECK_STR(word(K_REVIEW_INPUT, "input", "Audit results"), "audit_results");

    /* the synonym table: every entry names an enumerated field of its kind, maps onto one of
     * its values, and model_enum_value gives that value for the word */
    size_t count = 0;
    const struct word_synonym *syn = model_synonyms(&count);
    CHECK(count > 50);
    int bad_field = 0, bad_value = 0, bad_lookup = 0;
    for (size_t i = 0; i < count; i++) {
        const struct field *f = field_of(syn[i].kind, syn[i].field);
        if (!f || f->type != FT_ENUM || !f->values) {
            bad_field++;
            continue;
        }
        int found = 0;
        for (int v = 0; f->values[v]; v++)
            if (strcmp(f->values[v], syn[i].value) == 0) found = 1;
        if (!found) bad_value++;
        const char *got = model_enum_value(K(syn[i].kind), f, syn[i].word);
        if (!got || strcmp(got, syn[i].value) != 0) {
            printf("note: %s.%s word '%s' gives %s, the table says %s\n", K(syn[i].kind)->name,
                   syn[i].field, syn[i].word, got ? got : "nothing", syn[i].value);
            bad_lookup++;
        }
    }
    CHECK(bad_field == 0);
    CHECK(bad_value == 0);
    CHECK(bad_lookup == 0); /* "<=" failed this before the fix above */
}

static void test_suggest_field(void)
{
    CHECK_STR(model_suggest_field(K(K_RISK), "tittle"), "title");
    CHECK_STR(model_suggest_field(K(K_RISK), "ownr"), "owner");
    CHECK_STR(model_suggest_field(K(K_RISK), "creatd_on"), "created_on");
    CHECK_STR(model_suggest_field(K(K_RISK), "desc"), "description");
    CHECK_STR(model_suggest_field(K(K_RISK), "stauts"), "status");
    /* a risk also takes its first assessment's fields */
    CHECK_STR(model_suggest_field(K(K_RISK), "likelyhood"), "likelihood");
    CHECK_STR(model_suggest_field(K(K_RISK), "residual_impakt"), "residual_impact");
    CHECK_STR(model_suggest_field(K(K_IMPROVEMENT), "don_on"), "done_on");
    CHECK_STR(model_suggest_field(K(K_NONCONFORMITY), "efective"), "effective");
    CHECK_STR(model_suggest_field(K(K_KPI), "directon"), "direction");
    CHECK(model_suggest_field(K(K_RISK), "favourite_colour") == NULL);
    CHECK(model_suggest_field(K(K_IMPROVEMENT), "likelyhood") == NULL);
    CHECK(model_suggest_field(K(K_RISK), "") == NULL);
}

int main(void)
{
    test_find_kind();
    test_kinds_match_spec();
    test_headers();
    test_aliases_unique();
    test_template_headers();
    test_computed();
    test_enum_words();
    test_suggest_field();
    return unit_report();
}
