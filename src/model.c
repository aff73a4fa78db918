/* model.c - the register's vocabulary: kinds, their fields, aliases and accepted words */
#include "model.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

static const char *const risk_kinds[] = {"risk", "opportunity", NULL};
static const char *const risk_statuses[] = {"open", "treating", "accepted", "closed", NULL};
static const char *const treatments[] = {"mitigate", "accept",  "transfer", "avoid",
                                         "exploit",  "enhance", "share",    NULL};
static const char *const improvement_sources[] = {"audit", "incident", "customer", "review",
                                                  "risk",  "staff",    "other",    NULL};
static const char *const priorities[] = {"low", "medium", "high", NULL};
static const char *const improvement_statuses[] = {"proposed", "approved", "in_progress",
                                                   "done",     "rejected", NULL};
static const char *const nc_sources[] = {
    "internal_audit", "external_audit", "incident", "complaint", "review", "other", NULL};
static const char *const severities[] = {"major", "minor", "observation", NULL};
static const char *const yes_no[] = {"yes", "no", NULL};
static const char *const readiness_statuses[] = {
    "not_assessed", "not_addressed", "initial", "defined", "conforming", "not_applicable", NULL};
static const char *const document_types[] = {"policy", "plan",  "process", "procedure",
                                             "record", "other", NULL};
static const char *const certificate_statuses[] = {"valid", "suspended", "withdrawn", "expired",
                                                   NULL};
static const char *const audit_statuses[] = {"planned", "held", "cancelled", NULL};
static const char *const audit_kinds[] = {"internal", "certification", "surveillance", "supplier",
                                          NULL};
static const char *const kpi_kinds[] = {"service",   "customer", "supplier",
                                        "objective", "process",  NULL};
static const char *const directions[] = {"higher", "lower", NULL};
static const char *const action_statuses[] = {"open", "done", "dropped", NULL};
static const char *const acceptance_statuses[] = {"requested", "accepted", "rejected",
                                                  "revoked",   "expired",  NULL};
static const char *const review_statuses[] = {"planned", "held", NULL};
static const char *const verdicts[] = {"yes", "partly", "no", NULL};
static const char *const decision_kinds[] = {"improvement", "sms_change", "resource",
                                             "acceptance",  "other",      NULL};

const char *const model_review_inputs[] = {"previous_actions",
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
                                           "risks",
                                           NULL};

#define ENUM(v) FT_ENUM, 0, v, 0
#define ENUM_REQ(v) FT_ENUM, FF_REQUIRED, v, 0
#define REF(k) FT_REF, 0, NULL, k
#define PLAIN(t) t, 0, NULL, 0
#define REQ(t) t, FF_REQUIRED, NULL, 0

static const struct field risk_fields[] = {
    {"id", FT_ID, 0, NULL, 0,
     "Risk ID|Risk No|Risk Number|Risk Ref|Ref|Reference|Risk #|#|Risk Identifier|Identifier|"
     "Risk Reference|Ref No|Serial Number|Serial No|Risk Code|Unique Ref",
     "the risk's ID (R-NNN when not given)"},
    {"kind", ENUM_REQ(risk_kinds),
     "Type|Risk or Opportunity|Threat or Opportunity|Threat/Opportunity|Risk/Opportunity",
     "risk or opportunity (default risk)"},
    {"title", REQ(FT_TEXT),
     "Risk Title|Risk|Risk Name|Name|Summary|Risk Summary|Short Title|Risk Headline|Risk Event",
     "a short name for the risk"},
    {"description", PLAIN(FT_MARKDOWN),
     "Risk Description|Details|Detail|Risk Statement|Cause and Effect|Description of Risk|"
     "Risk or Opportunity Statement|Risk Scenario|Risk Details|Description of the Risk",
     "cause, event and consequence (Markdown)"},
    {"category", PLAIN(FT_TEXT),
     "Risk Category|Area|Risk Area|Type of Risk|Risk Type|Risk Categories|Theme|Risk Theme|"
     "Risk Source|Source of Risk",
     "risk category"},
    {"service", PLAIN(FT_TEXT),
     "Service Name|Affected Service|Services|Affected Asset / Service|Affected Asset|Asset|"
     "Asset / Service|Affected System|System|Affected Area",
     "the service affected"},
    {"owner", PLAIN(FT_TEXT),
     "Risk Owner|Owned By|Responsible|Accountable|Ownership|Risk Lead|Risk Manager|"
     "Business Area/Risk Owner|Accountable Owner",
     "who owns the risk"},
    {"status", ENUM_REQ(risk_statuses), "Risk Status|State|Current Status|Status of Risk",
     "open, treating, accepted or closed (default open)"},
    {"treatment", ENUM(treatments),
     "Treatment Option|Risk Treatment|Response|Strategy|Risk Response Category|Response Category|"
     "Response Type|Response Strategy|Risk Response Strategy|Treatment Decision|Treatment Type|"
     "Risk Treatment Option|Reaction|Tolerate or Treat|Treat or Tolerate|Treatment Approach",
     "a threat: mitigate, accept, transfer or avoid; an opportunity: exploit, enhance, share or "
     "accept"},
    {"controls", PLAIN(FT_MARKDOWN),
     "Mitigation|Mitigations|Existing Controls|Mitigating Actions|Actions|Control Measures|"
     "Risk Controls|Current Controls|Key Controls|Controls in Place|Existing Risk Controls|"
     "Mitigation Strategy|Mitigation Strategies|Risk Mitigation|Controls/Treatments|"
     "Current Controls and Mitigations|Mitigation Measures",
     "controls and treatment actions (Markdown)"},
    {"action_plan", PLAIN(FT_MARKDOWN),
     "Action Plan|Planned Treatment|Planned Actions|Treatment Actions|Recommended Action|"
     "Recommended Actions|Further Action|Further Actions|Actions Required|Additional Controls|"
     "Mitigation Plan|Treatment Plan|Risk Response|Response Plan|Treatment Strategy|"
     "Further Action Required|Further Actions Required|Future Controls|Further Controls|"
     "Reaction Details|Proposed Treatment|Proposed Treatments|Planned Mitigation|"
     "Risk Treatment Plan|Action|Actions to be Taken",
     "the treatment still planned (Markdown)"},
    {"target_on", PLAIN(FT_DATE),
     "Target Date|Due Date|Target Completion Date|Action Due Date|Deadline|Target|Due By|Due|"
     "Target Resolution|Target Resolution Date|Mitigation Due Date|Date Due|Target Completion",
     "when the planned treatment is due"},
    {"created_on", PLAIN(FT_DATE),
     "Date Raised|Raised|Raised On|Date Identified|Identified|Identified On|Date Added|Created|"
     "Date Created|Date Logged|Opened|Date Opened|Date Registered|Registered|Registered On|"
     "Identified Date|Date Recorded|Date Entered|Date Reported|Raised Date|Date First Identified",
     "when the risk was raised (default today)"},
    {"closed_on", PLAIN(FT_DATE),
     "Date Closed|Closed|Closure Date|Closed Date|Date Completed|Completion Date|Completed|"
     "Completed On|Actual Completion Date|Date Resolved|Date Mitigated|Date of Closure",
     "when the risk was closed"},
    {"review_every_days", PLAIN(FT_DAYS),
     "Review Frequency|Review Frequency (days)|Review Interval|Review Every|Review Cycle",
     "days between reviews (default from riskreg.lua)"},
    {"next_review_on", PLAIN(FT_DATE),
     "Next Review|Next Review Date|Review Due|Next Review Due|Review Date|Date of Next Review|"
     "Review Due Date|Next Assessment Date",
     "when the next review is due"},
};

static const struct field assessment_fields[] = {
    {"risk_id", FT_REF, FF_REQUIRED | FF_KEY, NULL, K_RISK, "Risk ID|Risk|Risk Ref|Ref",
     "the risk assessed"},
    {"assessed_on", FT_DATE, FF_REQUIRED | FF_KEY, NULL, 0,
     "Date|Assessment Date|Assessed|Date Assessed|Last Reviewed|Last Review|Last Review Date|"
     "Date Reviewed|Last Updated|Date Updated|Updated|Last Update|Last Assessed|Date Last Assessed|"
     "Date Last Reviewed|Last Reviewed Date|Date of Assessment|Date of Last Review",
     "when it was assessed (default today)"},
    {"likelihood", REQ(FT_RATING),
     "Probability|Likelihood Rating|Likelihood Score|Inherent Likelihood|Inherent Probability|"
     "Likelihood (L)|L|P|Probability of Occurrence|Probability of Occurence|"
     "Likelihood of Occurrence|Like|Prob|Probability Rating|Probability Score|Likelihood Level|"
     "Probability Level|Gross Likelihood|Raw Likelihood|Initial Likelihood|Initial Probability|"
     "Pre-mitigation Likelihood|Pre-mitigation Probability",
     "inherent likelihood, 1..N or a label"},
    {"impact", REQ(FT_RATING),
     "Consequence|Severity|Impact Rating|Impact Score|Inherent Impact|Inherent Consequence|"
     "Inherent Severity|Impact (I)|I|C|Impact Severity|Impact Level|Consequence Rating|"
     "Consequence Score|Consequence Level|Severity Rating|Seriousness|Gross Impact|Raw Impact|"
     "Initial Impact|Initial Consequence|Pre-mitigation Impact|Pre-mitigation Consequence",
     "inherent impact, 1..N or a label"},
    {"residual_likelihood", PLAIN(FT_RATING),
     "Residual Probability|Residual Likelihood Rating|Current Likelihood|RL|"
     "Residual Likelihood Score|Post-mitigation Likelihood|Post-mitigation Probability|"
     "Net Likelihood|Revised Likelihood|Likelihood after Controls",
     "likelihood with controls (default: inherent)"},
    {"residual_impact", PLAIN(FT_RATING),
     "Residual Consequence|Residual Severity|Residual Impact Rating|Current Impact|RI|"
     "Residual Impact Score|Post-mitigation Impact|Post-mitigation Consequence|Net Impact|"
     "Revised Impact|Impact after Controls",
     "impact with controls (default: inherent)"},
    {"assessor", PLAIN(FT_TEXT), "Assessed By|Reviewer|Reviewed By|Risk Assessor|Updated By",
     "who assessed it"},
    {"note", PLAIN(FT_TEXT),
     "Notes|Comment|Comments|Assessment Note|Remarks|Commentary|Additional Comments|"
     "Progress Update|Status Update|Latest Update|Update|Progress Notes|Additional Notes",
     "why the scores are what they are"},
};

static const struct field acceptance_fields[] = {
    {"id", FT_ID, 0, NULL, 0, "Acceptance ID|Ref|Reference|#",
     "the acceptance's ID (AC-NNN when not given)"},
    {"risk_id", FT_REF, FF_REQUIRED, NULL, K_RISK, "Risk|Risk ID|Risk Ref|Accepted Risk",
     "the risk accepted"},
    {"status", ENUM_REQ(acceptance_statuses), "Acceptance Status|State|Decision",
     "requested, accepted, rejected, revoked or expired (default accepted)"},
    {"requested_on", PLAIN(FT_DATE), "Requested|Date Requested|Request Date",
     "when acceptance was asked for"},
    {"approver", PLAIN(FT_TEXT), "Approved By|Accepted By|Risk Acceptor|Authorised By",
     "who accepted it"},
    {"accepted_on", PLAIN(FT_DATE), "Accepted|Date Accepted|Approval Date|Approved On",
     "when it was accepted"},
    {"expires_on", REQ(FT_DATE), "Expires|Expiry|Expiry Date|Valid Until|Review By|Until",
     "until when the acceptance holds"},
    {"level", PLAIN(FT_TEXT), "Level at Acceptance|Accepted Level|Risk Level",
     "the risk's level when it was accepted"},
    {"score", PLAIN(FT_NUMBER), "Score at Acceptance|Accepted Score",
     "the risk's residual score when it was accepted"},
    {"justification", PLAIN(FT_MARKDOWN), "Rationale|Reason|Why|Justification for Acceptance",
     "why the risk is accepted as it is (Markdown)"},
    {"note", PLAIN(FT_TEXT), "Notes|Comment|Comments|Conditions", "anything else"},
};

static const struct field improvement_fields[] = {
    {"id", FT_ID, 0, NULL, 0, "Improvement ID|CSI ID|Ref|Reference|Improvement Ref|#",
     "the improvement's ID (I-NNN when not given)"},
    {"title", REQ(FT_TEXT), "Improvement|Summary|Name|Improvement Title|Opportunity",
     "a short name"},
    {"description", PLAIN(FT_MARKDOWN), "Details|Detail|Improvement Description",
     "what is to change (Markdown)"},
    {"source", ENUM(improvement_sources), "Origin|Raised From|Source of Improvement",
     "audit, incident, customer, review, risk, staff or other"},
    {"risk_id", REF(K_RISK), "Related Risk|Risk|Risk Ref|Linked Risk", "the risk it treats"},
    {"owner", PLAIN(FT_TEXT), "Assigned To|Responsible|Action Owner|Improvement Owner",
     "who drives it"},
    {"priority", ENUM(priorities), "Priority Level", "low, medium or high"},
    {"status", ENUM_REQ(improvement_statuses), "Improvement Status|State",
     "proposed, approved, in_progress, done or rejected (default proposed)"},
    {"raised_on", PLAIN(FT_DATE),
     "Date Raised|Raised|Logged|Date Logged|Created|Date Created|Date Identified|Opened",
     "when it was raised (default today)"},
    {"due_on", PLAIN(FT_DATE), "Due|Due Date|Target Date|Deadline|Target", "when it is due"},
    {"done_on", PLAIN(FT_DATE),
     "Completed|Completion Date|Date Completed|Done|Closed|Date Closed|Completed On",
     "when it was done (or rejected)"},
    {"benefit", PLAIN(FT_TEXT), "Expected Benefit|Benefits|Value|Expected Value",
     "the benefit expected"},
};

static const struct field requirement_fields[] = {
    {"id", FT_ID, 0, NULL, 0, "Requirement ID|Requirement|Ref|Reference|#",
     "the requirement's ID: the framework's short name and the clause (20000-8.7.3)"},
    {"framework", REQ(FT_TEXT), "Standard|Framework Name|Source",
     "the framework it belongs to (ISO/IEC 20000-1:2018)"},
    {"clause", REQ(FT_TEXT), "Clause|Clause No|Clause Number|Section|Control",
     "its clause number in the framework (8.7.3)"},
    {"parent", REF(K_REQUIREMENT), "Parent|Parent Clause|Parent ID|Part Of",
     "the requirement it is part of (empty for a top clause)"},
    {"heading", REQ(FT_TEXT), "Title|Name|Requirement Title|Clause Title",
     "a short heading (in the register's own words)"},
    {"guidance", PLAIN(FT_MARKDOWN), "Guidance Questions|Questions|Notes|Description",
     "what an assessor asks (Markdown)"},
    {"assessable", ENUM_REQ(yes_no), "Assessable?|Applicable",
     "yes when readiness is assessed on it; no for a heading that groups others (default yes)"},
};

static const struct field readiness_fields[] = {
    {"requirement_id", FT_REF, FF_REQUIRED | FF_KEY, NULL, K_REQUIREMENT,
     "Requirement|Requirement ID|Clause|Clause ID", "the requirement assessed"},
    {"assessed_on", FT_DATE, FF_REQUIRED | FF_KEY, NULL, 0,
     "Date|Assessed|Date Assessed|Assessment Date", "when it was assessed (default today)"},
    {"status", ENUM_REQ(readiness_statuses), "Readiness|Readiness Status|Conformity|Rating",
     "not_assessed, not_addressed, initial, defined, conforming or not_applicable"},
    {"maturity", PLAIN(FT_NUMBER), "Maturity Level|Maturity (0-5)|Score",
     "maturity from 0 to 5 (optional)"},
    {"owner", PLAIN(FT_TEXT), "Requirement Owner|Responsible|Assigned To", "who owns it"},
    {"evidence", FT_TEXT, FF_LIST, NULL, KIND_COUNT, "Evidence|Evidence Links|Records|References",
     "record IDs (documents, audits, KPIs, nonconformities, improvements) and URLs, separated "
     "by commas or spaces"},
    {"gap", PLAIN(FT_MARKDOWN), "Gap|Gap Description|Findings|Shortfall", "what is missing"},
    {"improvement_id", REF(K_IMPROVEMENT), "Improvement|Action|Improvement Ref",
     "the improvement that closes the gap"},
    {"target_on", PLAIN(FT_DATE), "Target|Target Date|Due|Due Date",
     "when the gap is to be closed"},
    {"reason", PLAIN(FT_TEXT), "Justification|Exclusion Reason|Why Not Applicable",
     "why it does not apply (required when not_applicable)"},
};

static const struct field document_fields[] = {
    {"id", FT_ID, 0, NULL, 0, "Document ID|Doc ID|Document No|Ref|Reference|#",
     "the document's ID (DOC-NNN when not given)"},
    {"title", REQ(FT_TEXT), "Document|Document Title|Name|Document Name", "its title"},
    {"type", ENUM_REQ(document_types), "Document Type|Category|Kind",
     "policy, plan, process, procedure, record or other (default other)"},
    {"owner", PLAIN(FT_TEXT), "Document Owner|Author|Responsible", "who keeps it"},
    {"version", PLAIN(FT_TEXT), "Version No|Revision|Rev|Issue", "its version"},
    {"approved_on", PLAIN(FT_DATE), "Approved|Date Approved|Approval Date|Issued",
     "when this version was approved (empty while a draft)"},
    {"approved_by", PLAIN(FT_TEXT), "Approver|Approved By|Authorised By", "who approved it"},
    {"next_review_on", PLAIN(FT_DATE), "Next Review|Review Date|Next Review Date|Review By",
     "when it is next reviewed"},
    {"location", PLAIN(FT_TEXT), "Location|Link|URL|Path|Where", "where it lives: a path or a URL"},
    {"requirements", FT_TEXT, FF_LIST, NULL, K_REQUIREMENT,
     "Requirements|Clauses|Requirements Served",
     "the requirement IDs it serves, separated by commas or spaces"},
};

static const struct field certificate_fields[] = {
    {"id", FT_ID, 0, NULL, 0, "Certificate ID|Ref|Reference|#",
     "the certificate's ID (CERT-NNN when not given)"},
    {"body", REQ(FT_TEXT), "Certification Body|Registrar|Issuer|Issued By",
     "the certification body"},
    {"number", PLAIN(FT_TEXT), "Certificate Number|Certificate No|Registration Number",
     "the certificate's number"},
    {"scope", PLAIN(FT_MARKDOWN), "Scope of Certification|Certified Scope", "what it covers"},
    {"issued_on", REQ(FT_DATE), "Issued|Issue Date|Date Issued|Valid From", "when it was issued"},
    {"expires_on", REQ(FT_DATE), "Expires|Expiry|Expiry Date|Valid Until", "when it expires"},
    {"status", ENUM_REQ(certificate_statuses), "Certificate Status|State",
     "valid, suspended, withdrawn or expired (default valid)"},
};

static const struct field audit_fields[] = {
    {"id", FT_ID, 0, NULL, 0, "Audit ID|Ref|Reference|Audit Ref|#",
     "the audit's ID (A-NNN when not given)"},
    {"title", REQ(FT_TEXT), "Audit|Name|Audit Title|Audit Name", "a short name"},
    {"kind", ENUM_REQ(audit_kinds), "Type|Audit Type",
     "internal, certification, surveillance or supplier (default internal)"},
    {"status", ENUM_REQ(audit_statuses), "Audit Status|State",
     "planned, held or cancelled (default: held when it has a date held, else planned)"},
    {"scope", PLAIN(FT_TEXT), "Audit Scope|Areas", "what is audited, in words"},
    {"requirements", FT_TEXT, FF_LIST, NULL, K_REQUIREMENT,
     "Clauses|Requirements|Clauses Audited|Requirements in Scope",
     "the requirement IDs in scope, separated by commas or spaces (a clause covers its "
     "subclauses)"},
    {"services", PLAIN(FT_TEXT), "Services|Services in Scope", "the services in scope"},
    {"planned_on", PLAIN(FT_DATE), "Planned|Planned Date|Scheduled|Scheduled For",
     "when it is planned for"},
    {"held_on", PLAIN(FT_DATE), "Date|Audit Date|Held|Start Date|Date Held",
     "when it was held (empty while it is planned)"},
    {"auditor", PLAIN(FT_TEXT), "Lead Auditor|Auditors|Audited By|Certification Body",
     "who audited"},
    {"summary", PLAIN(FT_MARKDOWN), "Findings Summary|Outcome|Result|Conclusion|Findings",
     "the outcome (Markdown)"},
    {"certificate_id", REF(K_CERTIFICATE), "Certificate|Certificate Ref",
     "the certificate an external audit is for"},
};

static const struct field nonconformity_fields[] = {
    {"id", FT_ID, 0, NULL, 0, "NC ID|NC No|NC Number|NCR|NCR No|NC Ref|Ref|Reference|#",
     "the nonconformity's ID (NC-NNN when not given)"},
    {"title", REQ(FT_TEXT), "Nonconformity|Finding|Summary|Name|NC Title", "a short name"},
    {"description", PLAIN(FT_MARKDOWN), "Details|Finding Details|Evidence|Detail",
     "what was found (Markdown)"},
    {"source", ENUM(nc_sources), "Origin|Raised From|Found By|Source of Nonconformity",
     "internal_audit, external_audit, incident, complaint, review or other"},
    {"audit_id", REF(K_AUDIT), "Audit|Audit Ref|Audit Reference", "the audit that found it"},
    {"severity", ENUM(severities), "Grade|Classification|NC Type|Category|Type|Rating",
     "major, minor or observation"},
    {"raised_on", PLAIN(FT_DATE),
     "Date Raised|Raised|Date Found|Date Identified|Identified|Opened|Date Opened|Date",
     "when it was raised (default today)"},
    {"root_cause", PLAIN(FT_MARKDOWN), "Root Cause Analysis|Cause|RCA", "why it happened"},
    {"correction", PLAIN(FT_MARKDOWN), "Immediate Action|Containment|Correction Taken",
     "what was done at once"},
    {"corrective_action", PLAIN(FT_MARKDOWN), "Corrective Actions|CAPA|Action|Actions",
     "what removes the cause"},
    {"owner", PLAIN(FT_TEXT), "Assigned To|Responsible|Action Owner|NC Owner", "who owns it"},
    {"due_on", PLAIN(FT_DATE), "Due|Due Date|Target Date|Deadline", "when it is due"},
    {"closed_on", PLAIN(FT_DATE), "Date Closed|Closed|Closure Date|Closed Date",
     "when it was closed"},
    {"effective", ENUM(yes_no),
     "Effectiveness|Effective?|Effectiveness Check|Verified Effective|Effective (yes/no)",
     "yes or no once the effectiveness was checked"},
    {"checked_on", PLAIN(FT_DATE), "Checked|Date Checked|Effectiveness Checked On|Verified On",
     "when the corrective action's effectiveness was checked"},
    {"checked_by", PLAIN(FT_TEXT), "Checked By|Verified By|Effectiveness Checked By",
     "who checked it"},
    {"check_method", PLAIN(FT_MARKDOWN), "Method|How Checked|Verification Method|Check Method",
     "how it was checked (Markdown)"},
    {"similar_elsewhere", PLAIN(FT_MARKDOWN),
     "Similar Elsewhere|Similar Nonconformities|Could It Occur Elsewhere",
     "whether similar nonconformities exist or could occur elsewhere (Markdown)"},
    {"requirement_id", REF(K_REQUIREMENT), "Requirement|Clause|Clause Breached|Requirement Ref",
     "the requirement it breaches"},
};

static const struct field kpi_fields[] = {
    {"id", FT_ID, 0, NULL, 0, "KPI ID|Metric ID|Ref|Reference|#",
     "the KPI's ID (K-NNN when not given)"},
    {"name", REQ(FT_TEXT), "KPI|Metric|Measure|Title|KPI Name|Indicator", "what is measured"},
    {"kind", ENUM_REQ(kpi_kinds), "Type|KPI Type|Category",
     "service, customer, supplier, objective or process (default service)"},
    {"service", PLAIN(FT_TEXT), "Service Name", "the service measured"},
    {"party", PLAIN(FT_TEXT), "Supplier|Other Party|Third Party|Vendor|Partner",
     "the supplier or other party measured"},
    {"unit", PLAIN(FT_TEXT), "Units|UoM|Unit of Measure", "%, hours, score …"},
    {"target", PLAIN(FT_NUMBER), "Target Value|Goal|Threshold", "the target value"},
    {"direction", ENUM_REQ(directions), "Better|Good Direction|Polarity|Higher or Lower",
     "higher or lower is better (default higher)"},
    {"description", PLAIN(FT_MARKDOWN), "Details|Definition", "how it is measured"},
};

static const struct field measurement_fields[] = {
    {"kpi_id", FT_REF, FF_REQUIRED | FF_KEY, NULL, K_KPI, "KPI|KPI Ref|Metric|Metric ID",
     "the KPI measured"},
    {"measured_on", FT_DATE, FF_REQUIRED | FF_KEY, NULL, 0,
     "Date|Period End|Month|Measured|Date Measured|Period", "the date the value is for"},
    {"value", REQ(FT_NUMBER), "Actual|Result|Measurement|Actual Value", "the value measured"},
};

static const struct field review_fields[] = {
    {"id", FT_ID, 0, NULL, 0, "Review ID|Meeting ID|Ref|Reference|#",
     "the review's ID (MR-NNN when not given)"},
    {"held_on", PLAIN(FT_DATE), "Date|Meeting Date|Held|Date Held",
     "when it was held (empty while it is planned)"},
    {"title", PLAIN(FT_TEXT), "Meeting|Name|Review", "default: Management review DATE"},
    {"attendees", PLAIN(FT_TEXT), "Attendance|Present|Participants", "who attended"},
    {"summary", PLAIN(FT_MARKDOWN), "Minutes|Notes|Review Summary", "what was discussed"},
    {"decisions", PLAIN(FT_MARKDOWN), "Outputs|Decisions and Outputs|Outcomes|Review Outputs",
     "the review's outputs (Markdown)"},
    {"status", ENUM_REQ(review_statuses), "Review Status|State",
     "planned or held (default: held when it has a date held, else planned)"},
    {"planned_on", PLAIN(FT_DATE), "Planned|Planned Date|Scheduled|Scheduled For",
     "when it is planned for"},
    {"period", PLAIN(FT_TEXT), "Quarter|Review Period|Period Covered",
     "the quarter it reviews, as 2026-Q4"},
    {"chair", PLAIN(FT_TEXT), "Chaired By|Chairperson|Chairman|Chairwoman", "who chairs it"},
    {"suitable", ENUM(verdicts), "Suitability|SMS Suitable",
     "is the SMS suitable: yes, partly or no"},
    {"suitable_note", PLAIN(FT_TEXT), "Suitability Note|Suitability Comment", "why"},
    {"adequate", ENUM(verdicts), "Adequacy|SMS Adequate", "is the SMS adequate: yes, partly or no"},
    {"adequate_note", PLAIN(FT_TEXT), "Adequacy Note|Adequacy Comment", "why"},
    {"effective", ENUM(verdicts), "Effectiveness|SMS Effective",
     "is the SMS effective: yes, partly or no"},
    {"effective_note", PLAIN(FT_TEXT), "Effectiveness Note|Effectiveness Comment", "why"},
};

static const struct field review_input_fields[] = {
    {"review_id", FT_REF, FF_REQUIRED | FF_KEY, NULL, K_REVIEW, "Review|Meeting|Review Ref",
     "the review"},
    {"input", FT_ENUM, FF_REQUIRED | FF_KEY, model_review_inputs, 0,
     "Clause 9.3 Input|Review Input|Topic|Agenda Item", "the clause 9.3 input"},
    {"text", REQ(FT_MARKDOWN), "Narrative|Notes|Content|Input Text|Commentary",
     "what was reported (Markdown)"},
};

static const struct field review_action_fields[] = {
    {"id", FT_ID, 0, NULL, 0, "Action ID|Ref|Reference|Action Ref|#",
     "the action's ID (MA-NNN when not given)"},
    {"review_id", FT_REF, FF_REQUIRED, NULL, K_REVIEW, "Review|Meeting|Review Ref",
     "the review that decided it"},
    {"text", REQ(FT_TEXT), "Action|Description|Action Text|Action Description", "what to do"},
    {"owner", PLAIN(FT_TEXT), "Action Owner|Assigned To|Responsible", "who does it"},
    {"due_on", PLAIN(FT_DATE), "Due|Due Date|Target Date|Deadline", "when it is due"},
    {"status", ENUM_REQ(action_statuses), "Action Status|State",
     "open, done or dropped (default open)"},
    {"closed_on", PLAIN(FT_DATE), "Date Closed|Closed|Completed|Done On|Date Completed",
     "when it was done or dropped"},
};

static const struct field review_decision_fields[] = {
    {"id", FT_ID, 0, NULL, 0, "Decision ID|Ref|Reference|#",
     "the decision's ID (MD-NNN when not given)"},
    {"review_id", FT_REF, FF_REQUIRED, NULL, K_REVIEW, "Review|Meeting|Review Ref",
     "the review that took it"},
    {"text", REQ(FT_TEXT), "Decision|Description|Output|Decision Text", "what was decided"},
    {"kind", ENUM_REQ(decision_kinds), "Type|Decision Type|Category",
     "improvement, sms_change, resource, acceptance or other (default other)"},
    {"owner", PLAIN(FT_TEXT), "Decision Owner|Assigned To|Responsible", "who carries it out"},
    {"due_on", PLAIN(FT_DATE), "Due|Due Date|Target Date|Deadline", "by when"},
    {"action_id", REF(K_REVIEW_ACTION), "Action|Review Action|Action Ref",
     "the review action it created"},
    {"improvement_id", REF(K_IMPROVEMENT), "Improvement|Improvement Ref",
     "the improvement it created"},
    {"acceptance_id", REF(K_ACCEPTANCE), "Acceptance|Acceptance Ref",
     "the risk acceptance it granted"},
};

#define FIELDS(a) a, (int)(sizeof a / sizeof a[0])

static const struct kind kinds[KIND_COUNT] = {
    {K_RISK, "risks", "risk", "risk", "R-", FIELDS(risk_fields), 0, "length(id), id"},
    {K_ASSESSMENT, "assessments", "assessment", "assessment", NULL, FIELDS(assessment_fields), 0,
     "length(risk_id), risk_id, assessed_on"},
    {K_ACCEPTANCE, "acceptances", "acceptance", "acceptance", "AC-", FIELDS(acceptance_fields), 0,
     "length(id), id"},
    {K_IMPROVEMENT, "improvements", "improvement", "improvement", "I-", FIELDS(improvement_fields),
     0, "length(id), id"},
    {K_REQUIREMENT, "requirements", "requirement", "requirement", "REQ-",
     FIELDS(requirement_fields), 0, "rowid"},
    {K_READINESS, "readiness", "readiness assessment", "readiness", NULL, FIELDS(readiness_fields),
     0, "requirement_id, assessed_on"},
    {K_DOCUMENT, "documents", "document", "document", "DOC-", FIELDS(document_fields), 0,
     "length(id), id"},
    {K_CERTIFICATE, "certificates", "certificate", "certificate", "CERT-",
     FIELDS(certificate_fields), 0, "length(id), id"},
    {K_AUDIT, "audits", "audit", "audit", "A-", FIELDS(audit_fields), 0, "length(id), id"},
    {K_NONCONFORMITY, "nonconformities", "nonconformity", "nonconformity", "NC-",
     FIELDS(nonconformity_fields), 0, "length(id), id"},
    {K_KPI, "kpis", "kpi", "kpi", "K-", FIELDS(kpi_fields), 0, "length(id), id"},
    {K_MEASUREMENT, "measurements", "measurement", "measurement", NULL, FIELDS(measurement_fields),
     0, "length(kpi_id), kpi_id, measured_on"},
    {K_REVIEW, "reviews", "review", "review", "MR-", FIELDS(review_fields), 0, "length(id), id"},
    {K_REVIEW_INPUT, "review_inputs", "review input", "review_input", NULL,
     FIELDS(review_input_fields), 0, "length(review_id), review_id, input"},
    {K_REVIEW_ACTION, "review_actions", "review action", "review_action", "MA-",
     FIELDS(review_action_fields), 0, "length(id), id"},
    {K_REVIEW_DECISION, "review_decisions", "review decision", "review_decision", "MD-",
     FIELDS(review_decision_fields), 0, "length(id), id"},
};

/* Words spreadsheets use, mapped onto the register's values. Matched on name keys (case,
 * spaces and punctuation ignored) after the exact values themselves. Keep register/README.md's
 * table in step: `riskreg help words` prints this one. */
static const struct word_synonym synonyms[] = {
    {K_RISK, "kind", "Threat", "risk"},
    {K_RISK, "kind", "Negative", "risk"},
    {K_RISK, "kind", "Positive", "opportunity"},
    {K_RISK, "status", "New", "open"},
    {K_RISK, "status", "Identified", "open"},
    {K_RISK, "status", "Active", "open"},
    {K_RISK, "status", "Live", "open"},
    {K_RISK, "status", "Not started", "open"},
    {K_RISK, "status", "Pending", "open"},
    {K_RISK, "status", "Draft", "open"},
    {K_RISK, "status", "Raised", "open"},
    {K_RISK, "status", "Assessed", "open"},
    {K_RISK, "status", "Current", "open"},
    {K_RISK, "status", "Escalated", "open"},
    {K_RISK, "status", "Under review", "open"},
    {K_RISK, "status", "In review", "open"},
    {K_RISK, "status", "Pending review", "open"},
    {K_RISK, "status", "Pending assessment", "open"},
    {K_RISK, "status", "On hold", "open"},
    {K_RISK, "status", "Deferred", "open"},
    {K_RISK, "status", "In progress", "treating"},
    {K_RISK, "status", "In treatment", "treating"},
    {K_RISK, "status", "Treatment in progress", "treating"},
    {K_RISK, "status", "Being treated", "treating"},
    {K_RISK, "status", "Mitigating", "treating"},
    {K_RISK, "status", "Ongoing", "treating"},
    {K_RISK, "status", "Active mitigation", "treating"},
    {K_RISK, "status", "Mitigation in progress", "treating"},
    {K_RISK, "status", "Action in progress", "treating"},
    {K_RISK, "status", "Actions in progress", "treating"},
    {K_RISK, "status", "Planned", "open"},
    {K_RISK, "status", "Open - mitigating", "treating"},
    {K_RISK, "status", "Mitigated", "accepted"},
    {K_RISK, "status", "Monitoring", "accepted"},
    {K_RISK, "status", "Monitored", "accepted"},
    {K_RISK, "status", "Tolerated", "accepted"},
    {K_RISK, "status", "Retained", "accepted"},
    {K_RISK, "status", "Accept", "accepted"},
    {K_RISK, "status", "Monitoring phase", "accepted"},
    {K_RISK, "status", "Monitor", "accepted"},
    {K_RISK, "status", "Watch", "accepted"},
    {K_RISK, "status", "Treated", "accepted"},
    {K_RISK, "status", "Controlled", "accepted"},
    {K_RISK, "status", "Transferred", "accepted"},
    {K_RISK, "status", "Accepted - monitoring", "accepted"},
    {K_RISK, "status", "Closed", "closed"},
    {K_RISK, "status", "Done", "closed"},
    {K_RISK, "status", "Complete", "closed"},
    {K_RISK, "status", "Completed", "closed"},
    {K_RISK, "status", "Resolved", "closed"},
    {K_RISK, "status", "Retired", "closed"},
    {K_RISK, "status", "Obsolete", "closed"},
    {K_RISK, "status", "Closed - mitigated", "closed"},
    {K_RISK, "status", "Closed - accepted", "closed"},
    {K_RISK, "status", "Closed - transferred", "closed"},
    {K_RISK, "status", "Closed - avoided", "closed"},
    {K_RISK, "status", "Closed - did not occur", "closed"},
    {K_RISK, "status", "Did not occur", "closed"},
    {K_RISK, "status", "Avoided", "closed"},
    {K_RISK, "status", "Terminated", "closed"},
    {K_RISK, "status", "Inactive", "closed"},
    {K_RISK, "status", "Archived", "closed"},
    {K_RISK, "status", "Withdrawn", "closed"},
    {K_RISK, "status", "No longer relevant", "closed"},
    {K_RISK, "treatment", "Reduce", "mitigate"},
    {K_RISK, "treatment", "Mitigation", "mitigate"},
    {K_RISK, "treatment", "Treat", "mitigate"},
    {K_RISK, "treatment", "Modify", "mitigate"},
    {K_RISK, "treatment", "Control", "mitigate"},
    {K_RISK, "treatment", "Reduction", "mitigate"},
    {K_RISK, "treatment", "Mitigated", "mitigate"},
    {K_RISK, "treatment", "Reduced", "mitigate"},
    {K_RISK, "treatment", "Treated", "mitigate"},
    {K_RISK, "treatment", "Fallback", "mitigate"},
    {K_RISK, "treatment", "Exploitation", "exploit"},
    {K_RISK, "treatment", "Enhancement", "enhance"},
    {K_RISK, "treatment", "Improve", "enhance"},
    {K_RISK, "treatment", "Exploited", "exploit"},
    {K_RISK, "treatment", "Pursue", "exploit"},
    {K_RISK, "treatment", "Take", "exploit"},
    {K_RISK, "treatment", "Enhanced", "enhance"},
    {K_RISK, "treatment", "Retain", "accept"},
    {K_RISK, "treatment", "Tolerate", "accept"},
    {K_RISK, "treatment", "Accepted", "accept"},
    {K_RISK, "treatment", "Acceptance", "accept"},
    {K_RISK, "treatment", "Retention", "accept"},
    {K_RISK, "treatment", "Retained", "accept"},
    {K_RISK, "treatment", "Tolerated", "accept"},
    {K_RISK, "treatment", "Tolerance", "accept"},
    {K_RISK, "treatment", "Monitor", "accept"},
    {K_RISK, "treatment", "Watch", "accept"},
    {K_RISK, "treatment", "Reject", "accept"},
    {K_RISK, "treatment", "Ignore", "accept"},
    {K_RISK, "treatment", "Sharing", "share"},
    {K_RISK, "treatment", "Partner", "share"},
    {K_RISK, "treatment", "Shared", "share"},
    {K_RISK, "treatment", "Insure", "transfer"},
    {K_RISK, "treatment", "Outsource", "transfer"},
    {K_RISK, "treatment", "Transferred", "transfer"},
    {K_RISK, "treatment", "Transference", "transfer"},
    {K_RISK, "treatment", "Insurance", "transfer"},
    {K_RISK, "treatment", "Insured", "transfer"},
    {K_RISK, "treatment", "Terminate", "avoid"},
    {K_RISK, "treatment", "Eliminate", "avoid"},
    {K_RISK, "treatment", "Remove", "avoid"},
    {K_RISK, "treatment", "Avoidance", "avoid"},
    {K_RISK, "treatment", "Avoided", "avoid"},
    {K_RISK, "treatment", "Terminated", "avoid"},
    {K_IMPROVEMENT, "source", "Internal audit", "audit"},
    {K_IMPROVEMENT, "source", "External audit", "audit"},
    {K_IMPROVEMENT, "source", "Audit finding", "audit"},
    {K_IMPROVEMENT, "source", "Problem", "incident"},
    {K_IMPROVEMENT, "source", "Major incident", "incident"},
    {K_IMPROVEMENT, "source", "Complaint", "customer"},
    {K_IMPROVEMENT, "source", "Customer feedback", "customer"},
    {K_IMPROVEMENT, "source", "Client", "customer"},
    {K_IMPROVEMENT, "source", "Management review", "review"},
    {K_IMPROVEMENT, "source", "Service review", "review"},
    {K_IMPROVEMENT, "source", "Risk assessment", "risk"},
    {K_IMPROVEMENT, "source", "Employee", "staff"},
    {K_IMPROVEMENT, "source", "Suggestion", "staff"},
    {K_IMPROVEMENT, "source", "Team", "staff"},
    {K_IMPROVEMENT, "priority", "Med", "medium"},
    {K_IMPROVEMENT, "priority", "Normal", "medium"},
    {K_IMPROVEMENT, "priority", "Critical", "high"},
    {K_IMPROVEMENT, "priority", "Urgent", "high"},
    {K_IMPROVEMENT, "priority", "P1", "high"},
    {K_IMPROVEMENT, "priority", "P2", "medium"},
    {K_IMPROVEMENT, "priority", "P3", "low"},
    {K_IMPROVEMENT, "status", "New", "proposed"},
    {K_IMPROVEMENT, "status", "Open", "proposed"},
    {K_IMPROVEMENT, "status", "Idea", "proposed"},
    {K_IMPROVEMENT, "status", "Submitted", "proposed"},
    {K_IMPROVEMENT, "status", "Pending", "proposed"},
    {K_IMPROVEMENT, "status", "Pending approval", "proposed"},
    {K_IMPROVEMENT, "status", "Under review", "proposed"},
    {K_IMPROVEMENT, "status", "In review", "proposed"},
    {K_IMPROVEMENT, "status", "Deferred", "proposed"},
    {K_IMPROVEMENT, "status", "Draft", "proposed"},
    {K_IMPROVEMENT, "status", "Accepted", "approved"},
    {K_IMPROVEMENT, "status", "Planned", "approved"},
    {K_IMPROVEMENT, "status", "Not started", "approved"},
    {K_IMPROVEMENT, "status", "On hold", "approved"},
    {K_IMPROVEMENT, "status", "Scheduled", "approved"},
    {K_IMPROVEMENT, "status", "Agreed", "approved"},
    {K_IMPROVEMENT, "status", "In progress", "in_progress"},
    {K_IMPROVEMENT, "status", "Started", "in_progress"},
    {K_IMPROVEMENT, "status", "Ongoing", "in_progress"},
    {K_IMPROVEMENT, "status", "Implementing", "in_progress"},
    {K_IMPROVEMENT, "status", "Active", "in_progress"},
    {K_IMPROVEMENT, "status", "Underway", "in_progress"},
    {K_IMPROVEMENT, "status", "WIP", "in_progress"},
    {K_IMPROVEMENT, "status", "Complete", "done"},
    {K_IMPROVEMENT, "status", "Completed", "done"},
    {K_IMPROVEMENT, "status", "Closed", "done"},
    {K_IMPROVEMENT, "status", "Implemented", "done"},
    {K_IMPROVEMENT, "status", "Delivered", "done"},
    {K_IMPROVEMENT, "status", "Finished", "done"},
    {K_IMPROVEMENT, "status", "Closed - complete", "done"},
    {K_IMPROVEMENT, "status", "Closed - completed", "done"},
    {K_IMPROVEMENT, "status", "Declined", "rejected"},
    {K_IMPROVEMENT, "status", "Cancelled", "rejected"},
    {K_IMPROVEMENT, "status", "Canceled", "rejected"},
    {K_IMPROVEMENT, "status", "Won't do", "rejected"},
    {K_IMPROVEMENT, "status", "Not approved", "rejected"},
    {K_IMPROVEMENT, "status", "Withdrawn", "rejected"},
    {K_IMPROVEMENT, "status", "Closed - rejected", "rejected"},
    {K_AUDIT, "kind", "Internal audit", "internal"},
    {K_AUDIT, "kind", "First party", "internal"},
    {K_AUDIT, "kind", "Certification audit", "certification"},
    {K_AUDIT, "kind", "Recertification", "certification"},
    {K_AUDIT, "kind", "Stage 1", "certification"},
    {K_AUDIT, "kind", "Stage 2", "certification"},
    {K_AUDIT, "kind", "External", "certification"},
    {K_AUDIT, "kind", "Surveillance audit", "surveillance"},
    {K_AUDIT, "kind", "Supplier audit", "supplier"},
    {K_AUDIT, "kind", "Second party", "supplier"},
    {K_NONCONFORMITY, "source", "Internal", "internal_audit"},
    {K_NONCONFORMITY, "source", "Audit", "internal_audit"},
    {K_NONCONFORMITY, "source", "External", "external_audit"},
    {K_NONCONFORMITY, "source", "Certification audit", "external_audit"},
    {K_NONCONFORMITY, "source", "Surveillance audit", "external_audit"},
    {K_NONCONFORMITY, "source", "Customer complaint", "complaint"},
    {K_NONCONFORMITY, "source", "Customer", "complaint"},
    {K_NONCONFORMITY, "source", "Major incident", "incident"},
    {K_NONCONFORMITY, "source", "Problem", "incident"},
    {K_NONCONFORMITY, "source", "Management review", "review"},
    {K_NONCONFORMITY, "severity", "Major nonconformity", "major"},
    {K_NONCONFORMITY, "severity", "Major NC", "major"},
    {K_NONCONFORMITY, "severity", "Minor nonconformity", "minor"},
    {K_NONCONFORMITY, "severity", "Minor NC", "minor"},
    {K_NONCONFORMITY, "severity", "Obs", "observation"},
    {K_NONCONFORMITY, "severity", "OFI", "observation"},
    {K_NONCONFORMITY, "severity", "Opportunity for improvement", "observation"},
    {K_NONCONFORMITY, "effective", "Y", "yes"},
    {K_NONCONFORMITY, "effective", "True", "yes"},
    {K_NONCONFORMITY, "effective", "Effective", "yes"},
    {K_NONCONFORMITY, "effective", "Verified", "yes"},
    {K_NONCONFORMITY, "effective", "N", "no"},
    {K_NONCONFORMITY, "effective", "False", "no"},
    {K_NONCONFORMITY, "effective", "Not effective", "no"},
    {K_NONCONFORMITY, "effective", "Ineffective", "no"},
    {K_KPI, "kind", "SLA", "service"},
    {K_KPI, "kind", "Service level", "service"},
    {K_KPI, "kind", "Customer satisfaction", "customer"},
    {K_KPI, "kind", "Vendor", "supplier"},
    {K_KPI, "kind", "Third party", "supplier"},
    {K_KPI, "kind", "Objective", "objective"},
    {K_KPI, "kind", "SMS objective", "objective"},
    {K_KPI, "kind", "Process KPI", "process"},
    {K_KPI, "direction", "Higher is better", "higher"},
    {K_KPI, "direction", "Up", "higher"},
    {K_KPI, "direction", "Increase", "higher"},
    {K_KPI, "direction", "Maximise", "higher"},
    {K_KPI, "direction", "Maximize", "higher"},
    {K_KPI, "direction", ">=", "higher"},
    {K_KPI, "direction", "Lower is better", "lower"},
    {K_KPI, "direction", "Down", "lower"},
    {K_KPI, "direction", "Decrease", "lower"},
    {K_KPI, "direction", "Minimise", "lower"},
    {K_KPI, "direction", "Minimize", "lower"},
    {K_KPI, "direction", "<=", "lower"},
    {K_REVIEW_ACTION, "status", "In progress", "open"},
    {K_REVIEW_ACTION, "status", "New", "open"},
    {K_REVIEW_ACTION, "status", "Ongoing", "open"},
    {K_REVIEW_ACTION, "status", "Not started", "open"},
    {K_REVIEW_ACTION, "status", "On hold", "open"},
    {K_REVIEW_ACTION, "status", "Pending", "open"},
    {K_REVIEW_ACTION, "status", "Deferred", "open"},
    {K_REVIEW_ACTION, "status", "Overdue", "open"},
    {K_REVIEW_ACTION, "status", "Complete", "done"},
    {K_REVIEW_ACTION, "status", "Completed", "done"},
    {K_REVIEW_ACTION, "status", "Closed", "done"},
    {K_REVIEW_ACTION, "status", "Finished", "done"},
    {K_REVIEW_ACTION, "status", "Implemented", "done"},
    {K_REVIEW_ACTION, "status", "Cancelled", "dropped"},
    {K_REVIEW_ACTION, "status", "Canceled", "dropped"},
    {K_REVIEW_ACTION, "status", "Withdrawn", "dropped"},
    {K_REVIEW_ACTION, "status", "Superseded", "dropped"},
};

/* Spreadsheet columns that hold what riskreg computes itself; recognised so the import can say
 * so instead of calling them unknown. */
static const char *const computed_headers[] = {"Rating",
                                               "Risk Rating",
                                               "Risk Score",
                                               "Score",
                                               "Inherent Score",
                                               "Residual Score",
                                               "Residual Rating",
                                               "Inherent Rating",
                                               "Risk Level",
                                               "Level",
                                               "Inherent Risk",
                                               "Residual Risk",
                                               "RAG",
                                               "RAG Status",
                                               "Risk Priority",
                                               "Inherent Risk Rating",
                                               "Residual Risk Rating",
                                               "Current Risk Rating",
                                               "Overall Rating",
                                               "Inherent Risk Score",
                                               "Residual Risk Score",
                                               "Inherent Risk Level",
                                               "Residual Risk Level",
                                               "Worst Case Risk Level",
                                               "Expected Value",
                                               NULL};

const struct kind *model_kind(enum kind_id id)
{
    return &kinds[id];
}

const struct kind *model_find_kind(const char *name)
{
    char key[64], ckey[64];
    text_name_key(name, key, sizeof key);
    size_t len = strlen(key);
    if (len > 3 && strcmp(key + len - 3, "csv") == 0 && strchr(name, '.')) key[len - 3] = '\0';
    for (int i = 0; i < KIND_COUNT; i++) {
        text_name_key(kinds[i].name, ckey, sizeof ckey);
        if (strcmp(key, ckey) == 0) return &kinds[i];
        text_name_key(kinds[i].singular, ckey, sizeof ckey);
        if (strcmp(key, ckey) == 0) return &kinds[i];
    }
    if (strcmp(key, "nonconformance") == 0 || strcmp(key, "nonconformances") == 0 ||
        strcmp(key, "ncs") == 0 || strcmp(key, "nc") == 0)
        return &kinds[K_NONCONFORMITY];
    if (strcmp(key, "actions") == 0) return &kinds[K_REVIEW_ACTION];
    return NULL;
}

const char *model_suggest_kind(const char *name)
{
    const char *names[KIND_COUNT];
    for (int i = 0; i < KIND_COUNT; i++)
        names[i] = kinds[i].name;
    return text_suggest(name, names, KIND_COUNT);
}

int model_field_index(const struct kind *k, const char *name)
{
    for (int i = 0; i < k->nfields; i++)
        if (strcmp(k->fields[i].name, name) == 0) return i;
    return -1;
}

/* Does the '|'-separated alias list hold a name with this key? */
static int aliases_match(const char *aliases, const char *key)
{
    char alias[96], akey[96];
    while (aliases && *aliases) {
        const char *bar = strchr(aliases, '|');
        size_t n = bar ? (size_t)(bar - aliases) : strlen(aliases);
        if (n >= sizeof alias) n = sizeof alias - 1;
        memcpy(alias, aliases, n);
        alias[n] = '\0';
        text_name_key(alias, akey, sizeof akey);
        if (strcmp(akey, key) == 0) return 1;
        aliases = bar ? bar + 1 : NULL;
    }
    return 0;
}

static int field_for_key(const struct kind *k, const char *key)
{
    char fkey[64];
    if (!*key) return -1;
    for (int i = 0; i < k->nfields; i++) {
        text_name_key(k->fields[i].name, fkey, sizeof fkey);
        if (strcmp(key, fkey) == 0) return i;
    }
    for (int i = 0; i < k->nfields; i++)
        if (aliases_match(k->fields[i].aliases, key)) return i;
    return -1;
}

int model_field_for_header(const struct kind *k, const char *header)
{
    char key[128];
    text_name_key(header, key, sizeof key); /* as written first: "Review Frequency (days)" */
    int i = field_for_key(k, key);
    if (i >= 0) return i;
    text_header_key(header, key, sizeof key); /* then without its scale: "Likelihood (1-5)" */
    return field_for_key(k, key);
}

int model_header_is_computed(const char *header)
{
    char key[128], ckey[128];
    text_header_key(header, key, sizeof key);
    for (int i = 0; computed_headers[i]; i++) {
        text_name_key(computed_headers[i], ckey, sizeof ckey);
        if (strcmp(key, ckey) == 0) return 1;
    }
    return 0;
}

const char *model_suggest_field(const struct kind *k, const char *name)
{
    const char *names[MAX_FIELDS * 2];
    size_t n = 0;
    for (int i = 0; i < k->nfields; i++)
        names[n++] = k->fields[i].name;
    if (k->id == K_RISK) { /* a risk also takes its first assessment's fields */
        const struct kind *a = &kinds[K_ASSESSMENT];
        for (int i = 1; i < a->nfields; i++)
            names[n++] = a->fields[i].name;
    }
    return text_suggest(name, names, n);
}

const char *model_enum_value(const struct kind *k, const struct field *f, const char *word)
{
    char key[128], vkey[128];
    text_name_key(word, key, sizeof key);
    for (int i = 0; f->values[i]; i++) {
        text_name_key(f->values[i], vkey, sizeof vkey);
        if (strcmp(key, vkey) == 0) return f->values[i];
    }
    for (size_t i = 0; *key && i < sizeof synonyms / sizeof synonyms[0]; i++) {
        if (synonyms[i].kind != k->id || strcmp(synonyms[i].field, f->name) != 0) continue;
        text_name_key(synonyms[i].word, vkey, sizeof vkey);
        if (strcmp(key, vkey) == 0) return synonyms[i].value;
    }
    /* operators and symbols have an empty key; match them as written */
    for (size_t i = 0; !*key && i < sizeof synonyms / sizeof synonyms[0]; i++)
        if (synonyms[i].kind == k->id && strcmp(synonyms[i].field, f->name) == 0 &&
            strcmp(synonyms[i].word, word) == 0)
            return synonyms[i].value;
    return NULL;
}

void model_enum_list(const struct field *f, char *out, size_t outsize)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; f->values[i] && n < outsize; i++)
        n += (size_t)snprintf(out + n, outsize - n, "%s%s", i ? ", " : "", f->values[i]);
}

const struct word_synonym *model_synonyms(size_t *count)
{
    *count = sizeof synonyms / sizeof synonyms[0];
    return synonyms;
}
