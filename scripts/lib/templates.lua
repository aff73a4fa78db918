-- riskreg.templates: what each built-in template receives and where a project can add to it.
--
-- One source of truth for `riskreg help templates`, report-templates/README.md (its list is that
-- command's output) and the checks of tests/extend.sh: each template declares its variables
-- with their shape, each page its named places; the shapes of the model's records list the fields
-- the views add to the register's own (riskreg help fields KIND).

local templates = {}

-- Variables every page gets from context.page (and so every template a page includes).
templates.common = {
  { "title", "text", "the page's title: the layout's <title>, <h1> and last breadcrumb step; set it in the" ..
    " vars (args.title), or for a built-in page with places.heading" },
  { "site", "site", "the build: name, as_of, period, period_first, period_last, previous_period," ..
    " previous_as_of, today, classification" },
  { "root", "text", "the way back to the top of the site (\"../\" from risks/R-001.html), for links: root .." ..
    " \"index.html\"" },
  { "path", "text", "this page's path in the site (\"risks/R-001.html\")" },
  { "nav", "list of nav item", "the top bar: { path, label, current }" },
  { "breadcrumb", "list of { path, label }, or false", "the steps above a detail page" },
  { "place", "function(name) -> html", "the fills a project's scripts/extend.lua registered for a named place" ..
    " of this page (riskreg.places)" },
}

-- What every template sees besides its variables (template.globals, then the scripts' globals).
templates.helpers = {
  { "args", "the template's variables as one table, for optional ones (args.note)" },
  { "include(name [, vars])", "another template in place; its variables fall back on this one's" },
  { "layout(name)", "wrap this template in another, which gets the same variables and content" },
  { "fmt", "lib.format: numbers, dates, deltas, badges (scripts/README.md#libformat)" },
  { "md(text)", "Markdown to safe HTML" },
  { "h(text)", "HTML-escape" },
  { "scoring", "riskreg.scoring: levels, appetite, labels" },
  { "ipairs, pairs, string, math, table, os.date, ...", "what scripts see" },
}

-- The shapes of the model's records: a record has the fields of its kind in the register
-- (riskreg help fields KIND, register/README.md), and the view adds these.
templates.shapes = {
  { name = "site", fields = {
    { "name", "text", "the organisation (riskreg.lua name)" },
    { "as_of", "date", "the date the site shows" },
    { "period", "text", "the quarter, 2026-Q4" },
    { "period_first", "date", "its first day" }, { "period_last", "date", "its last day" },
    { "previous_period", "text", "the quarter before, 2026-Q3" },
    { "previous_as_of", "date", "the last day of the quarter before" },
    { "today", "date", "the day of the build" },
    { "classification", "text", "the marking on the printed pack's cover" },
    { "theme", "boolean", "the project has templates/theme.css (the layout links it after style.css)" } } },
  { name = "level", fields = {
    { "name", "text", "High" }, { "max", "number", "the highest score in the band" },
    { "colour", "#rrggbb", "the band's colour" }, { "text", "#rrggbb", "the text colour that reads on it (WCAG AA)" },
    { "rank", "integer", "1 for the lowest band" }, { "slug", "text", "its CSS class is level-SLUG" } } },
  { name = "scores", fields = {
    { "likelihood", "integer", "the rating" }, { "impact", "integer", "the rating" },
    { "score", "number", "score(likelihood, impact)" }, { "text", "text", "the score as people read it" },
    { "level", "level", "the band the score falls in" },
    { "above_appetite", "boolean", "score above the appetite" } } },
  { name = "assessment", kind = "assessments", fields = {
    { "inherent", "scores", "before controls" },
    { "residual", "scores", "with controls (the inherent pair when no residual one is given)" } } },
  { name = "risk", kind = "risks", fields = {
    { "open", "boolean", "not closed on the date" }, { "opportunity", "boolean", "kind is opportunity" },
    { "assessed", "boolean", "has an assessment on or before the date" },
    { "current", "assessment", "the latest assessment (assessed_on, assessor, note, inherent, residual), or nil" },
    { "inherent", "scores", "current.inherent" }, { "residual", "scores", "current.residual" },
    { "level", "level", "the residual level: a table (level.name, level.slug), not a name" },
    { "above_appetite", "boolean", "open and residual above the appetite" },
    { "history", "list of assessment", "every assessment, oldest first" },
    { "trend", "text", "rising, falling or steady over the last four assessments" },
    { "overdue", "boolean", "its review is overdue" }, { "overdue_days", "integer", "days overdue, or nil" },
    { "plan_due_on", "date", "target_on while open or treating" },
    { "plan_overdue", "boolean", "the planned treatment is late" },
      { "plan_overdue_days", "integer", "days late, or nil" },
    { "treated_by", "list of improvement", "the improvements linked to it" },
    { "effect", "table", "whether the treatment worked: { done_on, before, after, due_on, … }, or nil" },
    { "acceptance", "acceptance", "its latest acceptance granted, or nil" },
    { "accepted", "boolean", "that acceptance holds" },
    { "previous", "assessment", "the scores at the end of the period before, or nil" },
    { "delta", "number", "residual score change since then, or nil" },
    { "level_change", "integer", "bands moved since then, or nil" },
    { "existed_before", "boolean", "open at the end of the period before" },
    { "sparkline", "chart", "the dashboard's top risks only: their residual score over time" } } },
  { name = "improvement", kind = "improvements", fields = {
    { "open", "boolean", "" }, { "overdue", "boolean", "" }, { "overdue_days", "integer", "or nil" },
    { "age_days", "integer", "days since raised" } } },
  { name = "nonconformity", kind = "nonconformities", fields = {
    { "open", "boolean", "" }, { "overdue", "boolean", "" }, { "overdue_days", "integer", "or nil" },
    { "age_days", "integer", "days since raised" },
    { "unchecked_days", "integer", "days closed without an effectiveness check, or nil" } } },
  { name = "audit", kind = "audits", fields = { { "findings", "list of nonconformity", "raised by it" },
    { "covers", "list of reference", "its requirements in scope (requirements), each linked to its readiness page" },
    { "days_to", "integer", "while planned: days until its planned date (negative: late); else nil" } } },
  { name = "kpi", kind = "kpis", fields = {
    { "measurements", "list of measurement", "on or before the date, oldest first" },
    { "latest", "measurement", "or nil" }, { "previous", "measurement", "the one before, or nil" },
    { "met", "boolean", "latest against target and direction; nil without either" },
    { "met_of", "function(measurement) -> boolean", "the same for any measurement" },
    { "trend", "text", "rising, falling or steady" }, { "judged", "text", "the trend said as better or worse" } } },
  { name = "measurement", kind = "measurements", fields = {} },
  { name = "acceptance", kind = "acceptances", fields = {
    { "valid", "boolean", "holds on the date" }, { "expiring", "boolean", "expires soon" },
    { "expired", "boolean", "" }, { "risk_title", "text", "the accepted risk's title" } } },
  { name = "review", kind = "reviews", fields = {
    { "inputs", "table", "narrative text by input name" }, { "actions", "list of review action", "" },
    { "review_decisions", "list of review decision", "" },
    { "held_later", "boolean", "held after the date shown" } } },
  { name = "review action", kind = "review_actions", fields = {
    { "review", "review", "the review that raised it" }, { "open", "boolean", "" },
    { "overdue", "boolean", "" }, { "overdue_days", "integer", "or nil" }, { "age_days", "integer", "" } } },
  { name = "review decision", kind = "review_decisions", fields = {} },
  { name = "requirement", kind = "requirements", fields = {
    { "depth", "integer", "0 for a top node of its framework, 1 under it, …" },
    { "top", "text", "the ID of the top clause it is in (itself for one)" },
    { "children", "list of requirement", "the requirements directly under it" },
    { "status", "text", "its readiness on the date: not_assessed (no assessment yet), not_addressed, initial," ..
      " defined, conforming or not_applicable" },
    { "word", "text", "the status as people read it: Not addressed" },
    { "rank", "integer", "0 (not assessed) to 4 (conforming); nil when not applicable" },
    { "applicable", "boolean", "assessable, and not not_applicable: counted in the share conforming" },
    { "conforming", "boolean", "applicable and conforming" },
    { "readiness", "readiness", "its latest readiness assessment on or before the date, or nil" },
    { "history", "list of readiness", "every readiness assessment by then, oldest first" },
    { "evidence", "list of reference", "the latest assessment's evidence: records and URLs" },
    { "documents", "list of document", "the documents that list it among the requirements they serve" },
    { "audits", "list of audit", "held by then with it in scope (a clause covers its subclauses), newest first" },
    { "last_internal", "audit", "the latest internal audit of those, or nil" },
    { "last_audit", "audit", "the latest audit of any kind, or nil" },
    { "next_audit", "audit", "the earliest audit planned on or after the date with it in scope, or nil" },
    { "findings", "list of nonconformity", "raised by then against it (requirement_id)" },
    { "in_cycle", "boolean", "an internal audit held within the audit cycle (riskreg.lua audit.cycle_years)" ..
      " covered it" } } },
  { name = "readiness", kind = "readiness", fields = {
    { "word", "text", "the status as people read it" },
    { "overdue", "boolean", "the gap is past its target_on (neither conforming nor not applicable)" },
    { "overdue_days", "integer", "days past the target, or nil" } } },
  { name = "document", kind = "documents", fields = {
    { "approved", "boolean", "approved on or before the date" },
    { "overdue", "boolean", "its next review has passed" }, { "overdue_days", "integer", "or nil" },
    { "location_href", "text", "the location when it is an http(s) address a page may link, else nil" },
    { "serves", "list of reference", "the requirements it lists (requirements)" } } },
  { name = "certificate", kind = "certificates", fields = {
    { "in_force", "boolean", "the certificate in force on the date" },
    { "expired", "boolean", "its expiry has passed, or it is marked expired" },
    { "days_to_expiry", "integer", "days from the date to its expiry (negative: past)" },
    { "audits", "list of audit", "the external audits for it (certificate_id), held by then and planned then," ..
      " oldest first" } } },
  { name = "reference", fields = {
    { "token", "text", "as written in the register" },
    { "url", "boolean", "the token is a URL" },
    { "web", "boolean", "an http(s) URL, which a page links (href is the URL)" },
    { "id", "text", "the record's ID, or nil" }, { "kind", "text", "the record's kind (documents, kpis, …), or nil" },
    { "what", "text", "the kind in words: document, KPI, audit, …, or nil" },
    { "title", "text", "the record's title (a KPI's name, a requirement's heading), or nil" },
    { "href", "text", "where the site shows it, from the top of the site (or the URL), or nil" },
    { "broken", "boolean", "an ID that names no record (of the kind expected)" },
    { "record", "table", "the record's view on the date for KPIs, documents, audits, nonconformities and" ..
      " improvements, or nil" } } },
  { name = "standing", fields = {
    { "certificate", "certificate", "the certificate in force, or nil" },
    { "latest", "certificate", "the latest issued by the date, in force or not, or nil" },
    { "next_external", "audit", "the next certification or surveillance audit planned, or nil" },
    { "days_to_next", "integer", "days until it, or nil" },
    { "majors_open", "integer", "open major nonconformities" },
    { "corrective_overdue", "integer", "nonconformities past their due date" },
    { "not_conforming", "integer", "requirements that apply and do not conform yet" },
    { "not_audited", "integer", "assessable requirements no internal audit covered in the cycle" },
    { "gaps_overdue", "integer", "readiness gaps past their target" },
    { "requirements", "integer", "assessable requirements" } } },
  { name = "nav item", fields = {
    { "path", "text", "from the top of the site" }, { "label", "text", "" },
    { "current", "boolean", "this page is in that section" } } },
}

local page_places = { "top", "end" }
-- The review pack's sections, in order (SPEC §7), each with a place before and after it.
local pack_inputs = { "previous_actions", "context_changes", "nonconformity_trends", "measurement_trends",
  "audit_results", "improvement_opportunities", "customer_feedback", "policy", "objectives",
  "service_performance", "other_parties", "resources", "risks" }
local review_places = { "top" }
for _, name in ipairs(pack_inputs) do
  review_places[#review_places + 1] = "before:" .. name
  review_places[#review_places + 1] = "after:" .. name
end
review_places[#review_places + 1] = "end"

local function P(name, page, about, places, vars)
  return { name = name, page = page, about = about, places = places, vars = vars }
end
local function T(name, about, vars) return { name = name, about = about, vars = vars } end

templates.list = {
  T("layout.html", "every page: head, top bar, breadcrumb, title, period line, footer (the common variables)", {
    { "content", "html", "the page's own template, rendered" } }),
  T("_footer.html", "the footer text (site from the page)", {}),
  P("index.html", "index.html", "the dashboard", page_places, {
    { "tiles", "list of { label, value, delta, href, alert, good }", "the headline figures" },
    { "since", "text", "the period before" },
    { "changes", "changes", "register.changes since the period before" },
    { "decisions", "list of decision", "what needs a decision (riskreg.decisions)" },
    { "overdue", "list of { label, n, href }", "overdue counts by kind" },
    { "top", "list of risk", "the worst open assessed risks, each with sparkline" },
    { "residual", "grid", "open threats by residual likelihood and impact (lib.matrix)" },
    { "inherent", "grid", "the same, inherent" },
    { "opportunities", "grid", "open opportunities by residual likelihood and benefit" },
    { "charts", "table of chart", "residual, inherent, opportunities, levels, categories (false when none)" },
    { "quarters", "list of quarter", "the last eight: { label, first, last, as_of, counts }" },
    { "levels", "list of level", "scoring.levels" },
    { "categories", "list of { name, total, above }", "open risks by category" },
    { "figures", "figures", "the headline figures (data/summary.json)" },
    { "certification", "table or false", "the certificate panel (_certificate.html): { standing, at_risk = list of" ..
      " { label, n, href }, figures (summary's certification), readiness (the register has requirements)," ..
      " risk_total }; false for a register without requirements or certificates" } }),
  P("risks.html", "risks/index.html", "the risk register", page_places, {
    { "open", "list of risk", "worst first" }, { "above", "list of risk", "open, above appetite" },
    { "overdue", "list of risk", "review overdue" }, { "plans_overdue", "list of risk", "treatment late" },
    { "unassessed", "list of risk", "never assessed" }, { "accepted", "list of risk", "with an acceptance" },
    { "closed", "list of risk", "" }, { "appetite", "number", "scoring.appetite" } }),
  P("risk.html", "risks/ID.html", "one risk", { "top", "facts", "end" }, {
    { "r", "risk", "the risk" },
    { "history", "list of assessment", "newest first" },
    { "improvements", "list of improvement", "linked to the risk" },
    { "trend_chart", "chart or false", "inherent and residual over time" } }),
  P("changes.html", "changes.html", "changes since the period before", page_places, {
    { "c", "changes", "new_risks, closed_risks, escalated, deescalated (lists of risk), new_nonconformities," ..
      " closed_nonconformities, done_improvements" } }),
  P("improvements.html", "improvements/index.html", "the continual-improvement register", page_places, {
    { "open", "list of improvement", "" }, { "done", "list of improvement", "" }, { "total", "integer", "" },
    { "late", "list of improvement", "open and overdue" }, { "overdue", "integer", "" },
    { "by_status", "list of { label, count }", "" }, { "sources", "list of { name, count }", "" },
    { "quarters", "list of quarter", "with raised and done" },
    { "charts", "table of chart", "throughput, status" } }),
  P("nonconformities.html", "nonconformities/index.html", "nonconformities and corrective actions", page_places, {
    { "open", "list of nonconformity", "" }, { "closed", "list of nonconformity", "" }, { "total", "integer", "" },
    { "overdue", "integer", "" }, { "effective", "integer", "" }, { "ineffective", "integer", "" },
    { "unchecked", "integer", "" }, { "severities", "list of text", "" },
    { "matrix", "list of { source, counts, total }", "by source and severity" },
    { "quarters", "list of quarter", "with counts per severity" },
    { "charts", "table of chart", "severity, sources" } }),
  P("audits.html", "audits/index.html", "audits and their findings", page_places, {
    { "audits", "list of audit", "held by the date, newest first" },
    { "findings", "integer", "nonconformities from audits" },
    { "planned", "list of audit", "planned on the date (register.planned_audits)" },
    { "programme", "text or false", "the audit programme's page (programme.html), when there is one" } }),
  P("programme.html", "audits/programme.html", "the audit programme: planned audits and coverage", page_places, {
    { "planned", "list of audit", "planned on the date, soonest first, with days_to" },
    { "coverage", "list of requirement", "the assessable requirements in the order of the clause tree" },
    { "missing", "list of requirement", "those no internal audit covered in the cycle" },
    { "covered", "integer", "requirements covered in the cycle" }, { "not_covered", "integer", "#missing" },
    { "cycle_years", "integer", "riskreg.lua audit.cycle_years (default 3)" },
    { "cycle_start", "date", "internal audits held after it are in the cycle" } }),
  P("readiness.html", "readiness/index.html", "readiness for certification: the gap analysis", page_places, {
    { "requirements", "list of requirement", "every requirement in the order of the clause tree" },
    { "frameworks", "list of { framework, share, clauses = list of { r, share } }", "the share conforming" ..
      " per top clause and per framework (share: { conforming, applicable, share, counts })" },
    { "overall", "table", "the share conforming of every framework together (certification.share)" },
    { "quarters", "list of quarter", "the last eight, each with readiness (share) and defined_share" },
    { "chart", "chart", "the share conforming over the quarters" },
    { "trend", "text", "the trend in words: Share conforming rose from 12 % to 78 % since 2025-Q1" },
    { "gaps", "list of requirement", "applicable and not conforming, past their target first" },
    { "late", "integer", "gaps past their target" },
    { "training", "list of { requirement, kpi }", "KPIs given as evidence of the training clauses" },
    { "training_clauses", "list of text", "certification.training_clauses: 7.2, 7.3" },
    { "statuses", "list of { name, word, rank }", "certification.statuses, for the key" } }),
  P("requirement.html", "readiness/ID.html", "one requirement: the auditor's view", page_places, {
    { "q", "requirement", "the requirement" },
    { "history", "list of readiness", "its readiness assessments, newest first" },
    { "parent", "requirement or false", "the clause it is part of" },
    { "documents", "list of document", "the documents serving it that its evidence does not name already" },
    { "improvement", "improvement or false", "the improvement that closes its gap" },
    { "cycle_years", "integer", "riskreg.lua audit.cycle_years" } }),
  P("documents.html", "documents/index.html", "the documented information (clause 7.5)", page_places, {
    { "groups", "list of { type, label, items = list of document }", "by type" },
    { "total", "integer", "" }, { "late", "list of document", "review overdue, most overdue first" },
    { "drafts", "integer", "not approved by the date" } }),
  P("kpis.html", "kpis/index.html", "each KPI against target", page_places, {
    { "groups", "list of { name, items = list of kpi }", "by kind" },
    { "met", "integer", "" }, { "missed", "integer", "" }, { "total", "integer", "" } }),
  P("review.html", "review/index.html", "the management-review pack", review_places, {
    { "review", "review or false", "the next review planned" },
    { "last", "review or false", "the last review held" },
    { "last_conclusions", "list of { name, verdict, word, note } or false", "" },
    { "sections", "list of section", "one per clause 9.3 input: { name, clause, title, narrative, data }" },
    { "decisions", "list of decision", "" }, { "decision_groups", "list of { label, items }", "" },
    { "figures", "figures", "the headline figures" }, { "held", "list of review", "newest first" } }),
  P("review_record.html", "review/MR-NNN.html", "one held review with the figures kept", page_places, {
    { "r", "review", "" }, { "conclusions", "list of { name, verdict, word, note }", "" },
    { "frozen", "table or false", "the figures kept when it was held" },
    { "kept", "table or false", "{ review_id, as_of, figures, hash, entry }" },
    { "corrections", "list", "changes since that touch what was kept" },
    { "actions", "list of review action", "" }, { "decisions", "list of review decision", "" } }),
  P("owners.html", "owners/index.html", "the owners", page_places, {
    { "owners", "list of owner", "{ name, slug, risks, … }" } }),
  P("owner.html", "owners/NAME.html", "one owner", page_places, {
    { "o", "owner", "{ name, slug, risks, levels, reviews, actions, … }" },
    { "levels_chart", "chart or false", "" } }),
  P("data.html", "data/index.html", "the downloads", page_places, {
    { "files", "list of text", "the names of the register's tables (NAME.csv)" },
    { "added", "list of { name, href, label, description }", "files scripts added to the Data page" } }),
  T("_acceptance_state.html", "an acceptance's state as a badge", { { "a", "acceptance", "" } }),
  T("_acceptance_table.html", "acceptances", { { "list", "list of acceptance", "" } }),
  T("_action_table.html", "review actions", { { "list", "list of review action", "" } }),
  T("_categories_table.html", "open risks per category", { { "categories", "list of { name, total, above }", "" } }),
  T("_change_risks.html", "risks that changed", { { "list", "list of risk", "" },
    { "empty", "text", "said when the list is empty" } }),
  T("_certificate.html", "the dashboard's certificate panel", { { "c", "table", "index.html's certification" } }),
  T("_readiness_quarters.html", "readiness per quarter", { { "quarters", "list of quarter", "" } }),
  T("_chart.html", "a chart with its figures beside it", { { "id", "text", "" }, { "caption", "text", "" },
    { "chart", "chart", "optional" }, { "key", "text", "optional" }, { "table", "html", "the figures" } }),
  T("_conclusions.html", "a review's conclusions", { { "list", "list of { name, verdict, word, note }", "" } }),
  T("_count_table.html", "a count per row", { { "rows", "list", "" }, { "head", "text", "" },
    { "value", "text", "the field to count" } }),
  T("_decisions.html", "decisions sought with their reasons", { { "list", "list of decision", "" } }),
  T("_delta.html", "a change since the period before", { { "n", "number", "or nil (new)" },
    { "since", "text", "optional" }, { "good", "text", "optional: lower or higher" } }),
  T("_effect.html", "whether a treatment worked, as a badge", { { "e", "table", "risk.effect" } }),
  T("_effects.html", "treatment effects", { { "list", "list of risk", "" } }),
  T("_headlines.html", "the headline figures", { { "f", "figures", "" } }),
  T("_history_table.html", "a risk's assessments", { { "history", "list of assessment", "" }, { "r", "risk", "" } }),
  T("_improvement_table.html", "improvements", { { "list", "list of improvement", "" } }),
  T("_kpi.html", "one KPI with its chart", { { "k", "kpi", "" } }),
  T("_kpi_table.html", "a KPI's measurements", { { "k", "kpi", "" } }),
  T("_level.html", "a level badge", { { "scores", "scores", "or nil: not assessed" } }),
  T("_levels_table.html", "open risks per level per quarter", { { "quarters", "list of quarter", "" },
    { "levels", "list of level", "" } }),
  T("_matrix.html", "a heat map's counts", { { "grid", "grid", "" }, { "caption", "text", "" } }),
  T("_nc_checks.html", "effectiveness checks", { { "list", "list of nonconformity", "" } }),
  T("_nc_quarters.html", "nonconformities per quarter", { { "quarters", "list of quarter", "" },
    { "severities", "list of text", "" } }),
  T("_nc_table.html", "nonconformities", { { "list", "list of nonconformity", "" },
    { "closed", "boolean", "optional" } }),
  T("_overdue.html", "an overdue badge", { { "days", "integer", "or nil" } }),
  T("_risk_head.html", "the head row of a risk table", {}),
  T("_risk_row.html", "one risk in a table", { { "r", "risk", "" } }),
  T("_throughput_table.html", "raised and done per quarter", { { "quarters", "list of quarter", "" } }),
  T("pack/_kpi_rows.html", "KPIs in the pack", { { "kpis", "list of kpi", "" } }),
}
for _, name in ipairs { "previous_actions", "nonconformity_trends", "measurement_trends", "audit_results",
                        "improvement_opportunities", "customer_feedback", "objectives", "service_performance",
                        "other_parties", "risks" } do
  local file = "pack/" .. name .. ".html"
  templates.list[#templates.list + 1] = T(file, "the pack's " .. name .. " figures (when it has any)",
    { { "d", "table", "the section's data (riskreg.review.pack)" } })
end

templates.by_name = {}
for _, t in ipairs(templates.list) do templates.by_name[t.name] = t end

-- Strict views: reading a field a shape does not have (site.nmae, r.opne) is an error that names
-- the field and the shape, with the closest field, not a silent nil that renders as nothing.
local shape_of = {}
for _, shape in ipairs(templates.shapes) do shape_of[shape.name] = shape end
local strict = {}

--- The metatable that makes a table of shape name strict. kind (a register kind, "risks") adds its
--- columns; fields a view sets from its own scripts are rawset and so always readable.
function templates.strict(name)
  if strict[name] then return strict[name] end
  local shape = assert(shape_of[name], "riskreg.templates.strict: no shape " .. tostring(name))
  local model = require "riskreg.model"
  local known, names = {}, {}
  if shape.kind then
    for _, f in ipairs(model.kind[shape.kind].fields) do known[f.name] = true end
  end
  for _, f in ipairs(shape.fields) do known[f[1]] = true; names[#names + 1] = f[1] end
  strict[name] = {
    __index = function(_, field)
      if known[field] then return nil end
      local guess = type(field) == "string" and model.suggest(shape.kind, field, names)
      error(string.format("%s has no field '%s'%s", name, tostring(field),
        guess and ("; did you mean '" .. guess .. "'?") or
        (" (its fields: riskreg help templates records)")), 2)
    end,
  }
  return strict[name]
end
templates.pack_inputs = pack_inputs

--- The named places of a page's template (nil when it is not a page of its own).
function templates.places(name)
  local t = templates.by_name[name]
  return t and t.page and t.places or nil
end

-- ---- riskreg help templates ----

-- first .. words of text, wrapped at width with later lines indented by indent.
local function wrap(first, text, indent, width)
  local lines, line = {}, first
  for word in text:gmatch("%S+") do
    if #line > #indent and #line + 1 + #word > width then
      lines[#lines + 1] = line
      line = indent .. word
    else
      line = line .. ((line == first and first:sub(-1) == " ") and "" or " ") .. word
    end
  end
  lines[#lines + 1] = line
  return table.concat(lines, "\n")
end

local function var_line(out, v)
  out[#out + 1] = wrap(string.format("    %-16s ", v[1]), v[2] .. ((v[3] or "") ~= "" and (": " .. v[3]) or ""),
    string.rep(" ", 21), 96)
end

--- The text of `riskreg help templates [pages|records]`.
function templates.help(part)
  local out = {}
  if part == nil or part == "pages" then
    out[#out + 1] = "Every page gets (from context.page):"
    for _, v in ipairs(templates.common) do var_line(out, v) end
    out[#out + 1] = ""
    out[#out + 1] = "Every template can use:"
    for _, v in ipairs(templates.helpers) do var_line(out, { v[1], v[2], "" }) end
    for _, t in ipairs(templates.list) do
      out[#out + 1] = ""
      out[#out + 1] = t.name .. (t.page and (" (" .. t.page .. ")") or "") .. ": " .. t.about
      for _, v in ipairs(t.vars) do var_line(out, v) end
      if t.places and #t.places > 0 then
        out[#out + 1] = wrap("  places: ", table.concat(t.places, ", "), "          ", 96)
      end
    end
  end
  if part == nil or part == "records" then
    if #out > 0 then out[#out + 1] = "" end
    out[#out + 1] = "Records: each has the fields of its kind in the register (riskreg help fields KIND),"
    out[#out + 1] = "and the view adds:"
    for _, s in ipairs(templates.shapes) do
      out[#out + 1] = ""
      out[#out + 1] = s.name .. (s.kind and (" (the fields of " .. s.kind .. ", and)") or "") .. ":"
      if #s.fields == 0 then out[#out + 1] = "    (nothing more)" end
      for _, f in ipairs(s.fields) do var_line(out, f) end
    end
  end
  return table.concat(out, "\n") .. "\n"
end

-- ---- the check: what a template uses against what it declares and its page passes ----

local keywords = {}
for w in (
  "and break do else elseif end false for function goto if in local nil not or repeat return then true until while"
):gmatch("%a+") do keywords[w] = true end

local function code_of(text)
  local out, i = {}, 1
  while true do
    local s = text:find("<%", i, true)
    if not s then break end
    local kind = text:sub(s + 2, s + 2)
    if kind == "%" then i = s + 3 else
      local body = s + 2 + ((kind == "=" or kind == "-" or kind == "#") and 1 or 0)
      local e = text:find("%>", body, true)
      if not e then break end
      local code = text:sub(body, e - 1):gsub("%-$", "")
      if kind == "=" or kind == "-" then out[#out + 1] = "_o(" .. code .. ")"
      elseif kind ~= "#" then out[#out + 1] = code end
      i = e + 2
    end
  end
  return table.concat(out, "\n")
end

local function tokens(src)
  local list, i, n = {}, 1, #src
  while i <= n do
    local c = src:sub(i, i)
    if c:match("%s") then i = i + 1
    elseif src:sub(i, i + 1) == "--" then
      local lb = src:match("^%[(=*)%[", i + 2)
      if lb then local _, e = src:find("]" .. lb .. "]", i, true); i = (e or n) + 1
      else local e = src:find("\n", i, true); i = (e or n) + 1 end
    elseif c == "'" or c == '"' then
      local k = i + 1
      while k <= n and src:sub(k, k) ~= c do k = k + (src:sub(k, k) == "\\" and 2 or 1) end
      list[#list + 1] = { "str" }; i = k + 1
    elseif src:match("^%[=*%[", i) then
      local lb = src:match("^%[(=*)%[", i)
      local _, e = src:find("]" .. lb .. "]", i, true)
      list[#list + 1] = { "str" }; i = (e or n) + 1
    elseif c:match("[%a_]") then
      local name = src:match("^[%w_]+", i)
      list[#list + 1] = { keywords[name] and name or "name", name }; i = i + #name
    elseif c:match("%d") then
      local num = src:match("^0[xX][%x%.]+", i) or src:match("^[%d%.]+[eE][%+%-]?%d+", i) or src:match("^[%d%.]+", i)
      list[#list + 1] = { "num" }; i = i + #num
    else
      local op = src:match("^%.%.%.", i) or src:match("^[=~<>]=", i) or src:match("^%.%.", i)
        or src:match("^::", i) or src:match("^//", i) or src:match("^<<", i) or src:match("^>>", i) or c
      list[#list + 1] = { op }; i = i + #op
    end
  end
  return list
end

--- The names a template reads (uses) and assigns (sets) that are not its own locals.
local function free_names(text)
  local toks = tokens(code_of(text))
  local locals = { _o = true }
  -- declared names first (over the whole template: templates are small)
  for k, t in ipairs(toks) do
    if t[1] == "local" or t[1] == "for" then
      local j = k + 1
      if toks[j] and toks[j][1] == "function" then j = j + 1 end
      while toks[j] and toks[j][1] == "name" do
        locals[toks[j][2]] = true
        if toks[j + 1] and toks[j + 1][1] == "," then j = j + 2 else break end
      end
    elseif t[1] == "function" then
      local j = k + 1
      while toks[j] and toks[j][1] ~= "(" do j = j + 1 end
      j = j + 1
      while toks[j] and toks[j][1] ~= ")" do
        if toks[j][1] == "name" then locals[toks[j][2]] = true end
        j = j + 1
      end
    end
  end
  local uses, sets, stack = {}, {}, {}
  for k, t in ipairs(toks) do
    local op = t[1]
    if op == "{" or op == "(" or op == "[" then stack[#stack + 1] = op
    elseif op == "}" or op == ")" or op == "]" then stack[#stack] = nil
    elseif op == "name" and not locals[t[2]] then
      local prev, nxt = toks[k - 1] and toks[k - 1][1], toks[k + 1] and toks[k + 1][1]
      local field = prev == "." or prev == ":" or prev == "goto" or prev == "::" -- or a label
      local key = nxt == "=" and stack[#stack] == "{" and (prev == "{" or prev == "," or prev == ";")
      if not (field or key) then
        if nxt == "=" and stack[#stack] == nil then sets[t[2]] = true else uses[t[2]] = true end
      end
    end
  end
  return uses, sets
end

templates.free_names = free_names

local function set_of(list, into)
  into = into or {}
  for _, v in ipairs(list) do into[type(v) == "table" and v[1] or v] = true end
  return into
end

local function sorted_keys(t)
  local list = {}
  for k in pairs(t) do list[#list + 1] = k end
  table.sort(list)
  return list
end

--- Problems (a list of lines) with templates' declarations: texts = { [name] = template text }
--- (each must be declared and use only what it declares, the page's common variables and the
--- helpers); passed = { [name] = { [var] = true } } (what each page's builder passed, recorded
--- by context.page while templates.passed is a table): each declared variable passed, nothing
--- passed undeclared. globals: names a template may read besides (template.globals, the
--- scripts' own).
function templates.check(options)
  local problems = {}
  local function problem(...) problems[#problems + 1] = string.format(...) end
  local common = set_of(templates.common, { include = true, layout = true, args = true })
  for name, text in pairs(options.texts or {}) do
    local t = templates.by_name[name]
    if not t then
      problem("%s: not declared in scripts/lib/templates.lua", name)
    else
      local known = set_of(t.vars, {})
      local uses, sets = free_names(text)
      for _, v in ipairs(sorted_keys(uses)) do
        if not known[v] and not common[v] and not (options.globals and options.globals[v]) then
          problem("%s: uses '%s', which it does not declare", name, v)
        end
      end
      for _, v in ipairs(sorted_keys(sets)) do
        problem("%s: assigns '%s', which does nothing outside this template (use local, or the page's vars)", name, v)
      end
      local places = set_of(t.places or {})
      for p in text:gmatch("place%(%s*[\"']([^\"']+)[\"']%s*%)") do
        if not places[p] then problem("%s: fills place '%s', which it does not declare", name, p) end
      end
    end
  end
  for name, keys in pairs(options.passed or {}) do
    local t = templates.by_name[name]
    if t then
      local declared = set_of(t.vars, {})
      for _, v in ipairs(sorted_keys(keys)) do
        if not declared[v] and not common[v] then
          problem("%s: its page passes '%s', which it does not declare", name, v)
        end
      end
      for _, v in ipairs(t.vars) do
        if not keys[v[1]] then problem("%s: declares '%s', which its page does not pass", name, v[1]) end
      end
    end
  end
  table.sort(problems)
  return problems
end

-- While a table, context.page records the variables each page passed, by template.
templates.passed = nil

return templates
