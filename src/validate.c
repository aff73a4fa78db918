/* validate.c - turning what people type into register values, and the rules across fields */
#include "validate.h"
#include "config.h"
#include "record.h"
#include "text.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TEXT_BYTES (256 * 1024)

/* Word scales that spreadsheets use for ratings; position 1 is the lowest. A word may have
 * several spellings, separated by '|'. */
struct word_scale {
    int size;
    const char *words[5];
};

static const struct word_scale likelihood_scale = {
    5,
    {"rare|veryunlikely|highlyunlikely|remote|improbable", "unlikely|seldom", "possible|occasional",
     "likely|probable", "almostcertain|certain|verylikely|highlylikely|expected|frequent"}};
static const struct word_scale impact_scale = {5,
                                               {"negligible|insignificant|trivial", "minor",
                                                "moderate", "major|serious",
                                                "severe|catastrophic|critical|extreme"}};
static const struct word_scale five_words = {
    5, {"verylow", "low", "medium|moderate", "high", "veryhigh"}};
static const struct word_scale three_words = {3, {"low", "medium|moderate|med", "high"}};

static int scale_position(const struct word_scale *scale, const char *key)
{
    char spelling[32];
    for (int p = 0; p < scale->size; p++) {
        const char *w = scale->words[p];
        while (*w) {
            size_t n = strcspn(w, "|");
            snprintf(spelling, sizeof spelling, "%.*s", (int)n, w);
            if (strcmp(spelling, key) == 0) return p + 1;
            w += n + (w[n] == '|');
        }
    }
    return 0;
}

/* Position p of an S-step scale onto 1..N, spreading evenly. */
static int scale_onto(int p, int scale_size, int n)
{
    return 1 + (int)lround((double)(p - 1) * (n - 1) / (scale_size - 1));
}

int rating_word_is_five_scale(const char *raw)
{
    char key[64];
    text_name_key(raw, key, sizeof key);
    return strcmp(key, "verylow") == 0 || strcmp(key, "veryhigh") == 0;
}

int rating_parse(const struct config *cfg, int axis, const char *raw, enum rating_words words,
                 int *out, char *err, size_t errsize)
{
    const char *name = axis ? "impact" : "likelihood";
    int n = cfg->matrix_size;
    char *const *labels = axis ? cfg->impact_labels : cfg->likelihood_labels;
    const char *s = raw;
    while (isspace((unsigned char)*s))
        s++;
    if (isdigit((unsigned char)*s)) {
        char *end;
        long v = strtol(s, &end, 10);
        while (isspace((unsigned char)*end))
            end++;
        /* "4", "4 - Likely", "4 (Likely)", "4. Likely" */
        if (*end == '\0' || *end == '-' || *end == '(' || *end == '.' || *end == ':' ||
            isalpha((unsigned char)*end)) {
            if (*end == '.' && isdigit((unsigned char)end[1])) {
                snprintf(err, errsize, "'%s' is not a whole number; %s is rated 1-%d", raw, name,
                         n);
                return -1;
            }
            if (v < 1 || v > n) {
                snprintf(err, errsize, "%ld is outside the %dx%d matrix; %s is rated 1-%d", v, n, n,
                         name, n);
                return -1;
            }
            *out = (int)v;
            return 0;
        }
    }
    char key[96], lkey[96];
    text_name_key(raw, key, sizeof key);
    for (int i = 0; i < n; i++) {
        text_name_key(labels[i], lkey, sizeof lkey);
        if (strcmp(key, lkey) == 0) {
            *out = i + 1;
            return 0;
        }
    }
    int p;
    if (words == RATING_WORDS_FIVE && (p = scale_position(&five_words, key))) {
        *out = scale_onto(p, 5, n);
        return 0;
    }
    if ((p = scale_position(&three_words, key))) {
        *out = scale_onto(p, 3, n);
        return 0;
    }
    if ((p = scale_position(&five_words, key)) ||
        (p = scale_position(axis ? &impact_scale : &likelihood_scale, key))) {
        *out = scale_onto(p, 5, n);
        return 0;
    }
    struct strbuf list = STRBUF_INIT;
    for (int i = 0; i < n; i++)
        sb_printf(&list, "%s%s", i ? ", " : "", labels[i]);
    snprintf(err, errsize,
             "'%s' is not %s %s rating; use 1-%d, a matrix label (%s), Low/Medium/High or Very "
             "low...Very high",
             raw, text_article(name), name, n, sb_str(&list));
    sb_free(&list);
    return -1;
}

int id_is_valid(const char *id)
{
    size_t n = strlen(id);
    if (n < 1 || n > 40 || !isalnum((unsigned char)id[0])) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (!(isalnum(c) || c == '-' || c == '_' || c == '.')) return 0;
    }
    return 1;
}

/* Why an ID cannot be the name of its page in the site as it is. */
enum id_name_problem { ID_NAME_FINE, ID_NAME_DEVICE, ID_NAME_SITE_PAGE, ID_NAME_TRAILING_DOT };

/* The pages the site itself keeps in a record's folder, beside the records' pages
 * (risks/index.html beside risks/R-001.html, review/index.html beside review/MR-001.html). */
static const char *const site_page_names[] = {"index"};

/* The length of the device name Windows reserves that id starts with, or 0: CON, PRN, AUX, NUL,
 * COM0-COM9 or LPT0-LPT9, in any case, alone or before a '.' (Windows reserves "con.txt" too). */
static size_t device_name_length(const char *id)
{
    static const char *const fixed[] = {"CON", "PRN", "AUX", "NUL"};
    size_t n = strcspn(id, ".");
    for (size_t i = 0; n == 3 && i < sizeof fixed / sizeof fixed[0]; i++)
        if (strncasecmp(id, fixed[i], 3) == 0) return n;
    int numbered = strncasecmp(id, "COM", 3) == 0 || strncasecmp(id, "LPT", 3) == 0;
    return n == 4 && numbered && isdigit((unsigned char)id[3]) ? n : 0;
}

/* The site's own page that id would be named as (in any case), or NULL. */
static const char *site_page_name(const char *id)
{
    for (size_t i = 0; i < sizeof site_page_names / sizeof site_page_names[0]; i++)
        if (strcasecmp(id, site_page_names[i]) == 0) return site_page_names[i];
    return NULL;
}

static enum id_name_problem id_name_problem(const char *id)
{
    if (device_name_length(id)) return ID_NAME_DEVICE;
    if (site_page_name(id)) return ID_NAME_SITE_PAGE;
    size_t n = strlen(id);
    return n && id[n - 1] == '.' ? ID_NAME_TRAILING_DOT : ID_NAME_FINE;
}

int id_check_new(const char *id, char *err, size_t errsize)
{
    int n = (int)device_name_length(id);
    char device[8] = "";
    for (int i = 0; i < n; i++)
        device[i] = (char)toupper((unsigned char)id[i]);
    switch (id_name_problem(id)) {
    case ID_NAME_FINE:
        return 0;
    case ID_NAME_DEVICE:
        snprintf(err, errsize,
                 "'%s' cannot be an ID: Windows reserves the name %s for a device%s, so its page "
                 "could not be saved there; choose another (e.g. %.*s-1%s)",
                 id, device, id[n] ? ", with any extension" : "", n, id, id + n);
        break;
    case ID_NAME_SITE_PAGE:
        snprintf(err, errsize,
                 "'%s' cannot be an ID: the site's list of each kind is its folder's %s.html, "
                 "which this record's page would replace; choose another (e.g. %s-1)",
                 id, site_page_name(id), id);
        break;
    case ID_NAME_TRAILING_DOT: {
        int kept = (int)strlen(id);
        while (kept > 1 && id[kept - 1] == '.')
            kept--;
        snprintf(err, errsize,
                 "'%s' cannot be an ID: Windows drops a '.' at the end of a file name, so its "
                 "page could not be saved under its ID; choose another (e.g. %.*s)",
                 id, kept, id);
        break;
    }
    }
    return -1;
}

const char *id_file_prefix(const char *id)
{
    return id_name_problem(id) == ID_NAME_FINE ? "" : "_";
}

static int parse_number(const char *raw, char **out, char *err, size_t errsize)
{
    char buf[64];
    size_t n = strlen(raw);
    /* "99.9%" and "99.9 %" as a spreadsheet shows percentages */
    if (n && n < sizeof buf && raw[n - 1] == '%') {
        memcpy(buf, raw, n - 1);
        buf[n - 1] = '\0';
        text_trim(buf);
        raw = buf;
    }
    double v;
    if (text_parse_number(raw, &v) != 0) {
        if (strchr(raw, ','))
            snprintf(err, errsize,
                     "'%s' is not a number; write decimals with a point and no thousands "
                     "separator (1234.5)",
                     raw);
        else
            snprintf(err, errsize, "'%s' is not a number", raw);
        return -1;
    }
    char text[32];
    text_format_number(v == 0 ? 0 : v, text, sizeof text); /* no "-0" */
    *out = xstrdup(text);
    return 0;
}

int value_parse(const struct config *cfg, const struct kind *k, const struct field *f,
                const char *raw, enum rating_words words, char **out, char *err, size_t errsize)
{
    *out = NULL;
    char *text = text_trim(xstrdup(raw));
    int rc = 0;
    /* a leading apostrophe is how exports (and spreadsheets) keep =, +, - and @ as text */
    if (text[0] == '\'' && strchr("=+-@", text[1]) && text[1])
        memmove(text, text + 1, strlen(text));
    if (!*text) goto done;
    long bad = text_utf8_invalid_at(text, strlen(text));
    if (bad >= 0) {
        snprintf(err, errsize,
                 "not valid UTF-8 (byte 0x%02X at position %ld); save the file as UTF-8 (in Excel: "
                 "'CSV UTF-8')",
                 (unsigned char)text[bad], bad + 1);
        rc = -1;
        goto done;
    }
    if (strlen(text) > MAX_TEXT_BYTES) {
        snprintf(err, errsize, "the text is longer than %d KiB", MAX_TEXT_BYTES / 1024);
        rc = -1;
        goto done;
    }
    switch (f->type) {
    case FT_ID:
    case FT_REF:
        if (!id_is_valid(text)) {
            snprintf(err, errsize,
                     "'%.60s' is not a valid ID (1-40 letters, digits, '-', '_' or '.', starting "
                     "with a letter or digit)",
                     text);
            rc = -1;
        } else {
            *out = xstrdup(text);
        }
        break;
    case FT_TEXT:
    case FT_MARKDOWN:
        *out = xstrdup(text);
        break;
    case FT_DATE: {
        rr_day day;
        if (date_parse(text, &day) != 0) {
            date_explain(text, err, errsize);
            rc = -1;
        } else {
            *out = xstrdup(text);
        }
        break;
    }
    case FT_DAYS: {
        long long days;
        if (text_parse_int(text, &days) != 0 || days < 1 || days > 3660) {
            snprintf(err, errsize, "'%s' is not a number of days from 1 to 3660", text);
            rc = -1;
        } else {
            char buf[24];
            snprintf(buf, sizeof buf, "%lld", days);
            *out = xstrdup(buf);
        }
        break;
    }
    case FT_RATING: {
        int axis = strstr(f->name, "impact") != NULL, v;
        if (rating_parse(cfg, axis, text, words, &v, err, errsize) != 0) {
            rc = -1;
        } else {
            char buf[8];
            snprintf(buf, sizeof buf, "%d", v);
            *out = xstrdup(buf);
        }
        break;
    }
    case FT_NUMBER:
        rc = parse_number(text, out, err, errsize);
        break;
    case FT_ENUM: {
        const char *value = model_enum_value(k, f, text);
        if (!value) {
            char list[256];
            model_enum_list(f, list, sizeof list);
            snprintf(err, errsize, "'%.60s' is not %s %s %s; use one of: %s", text,
                     text_article(k->singular), k->singular, f->name, list);
            rc = -1;
        } else {
            *out = xstrdup(value);
        }
        break;
    }
    }
done:
    free(text);
    return rc;
}

/* value equals word; a missing value equals nothing */
static int is(const char *value, const char *word)
{
    return value && strcmp(value, word) == 0;
}

void record_apply_defaults(struct record *rec, rr_day on)
{
    char today[DATE_TEXT_SIZE];
    date_format(on, today);
    const struct kind *k = rec->kind;
#define DEFAULT(name, value)                                                                       \
    do {                                                                                           \
        int i_ = model_field_index(k, name);                                                       \
        if (!rec->v[i_]) rec->v[i_] = xstrdup(value);                                              \
    } while (0)
    switch (k->id) {
    case K_RISK: {
        DEFAULT("kind", "risk");
        DEFAULT("status", "open");
        DEFAULT("created_on", today);
        /* a spreadsheet's treatment word said the other way: a threat shared is transferred, an
         * opportunity mitigated is enhanced (one with nothing to match is refused by the check) */
        static const char *const as_threat[][2] = {
            {"exploit", "mitigate"}, {"enhance", "mitigate"}, {"share", "transfer"}};
        static const char *const as_opportunity[][2] = {{"mitigate", "enhance"},
                                                        {"transfer", "share"}};
        int opportunity = is(record_get(rec, "kind"), "opportunity");
        const char *t = record_get(rec, "treatment");
        int n = opportunity ? 2 : 3;
        for (int i = 0; t && i < n; i++) {
            const char *const *pair = opportunity ? as_opportunity[i] : as_threat[i];
            if (strcmp(t, pair[0]) == 0) {
                record_put(rec, "treatment", pair[1]);
                break;
            }
        }
        break;
    }
    case K_ASSESSMENT:
        DEFAULT("assessed_on", today);
        break;
    case K_IMPROVEMENT:
        DEFAULT("status", "proposed");
        DEFAULT("raised_on", today);
        break;
    case K_NONCONFORMITY:
        DEFAULT("raised_on", today);
        break;
    case K_AUDIT:
        DEFAULT("kind", "internal");
        DEFAULT("status", record_get(rec, "held_on") ? "held" : "planned");
        break;
    case K_REQUIREMENT:
        DEFAULT("assessable", "yes");
        break;
    case K_READINESS:
        DEFAULT("assessed_on", today);
        break;
    case K_DOCUMENT:
        DEFAULT("type", "other");
        break;
    case K_CERTIFICATE:
        DEFAULT("status", "valid");
        break;
    case K_KPI:
        DEFAULT("kind", "service");
        DEFAULT("direction", "higher");
        break;
    case K_REVIEW: {
        const char *held = record_get(rec, "held_on");
        const char *when = held ? held : record_get(rec, "planned_on");
        DEFAULT("status", held ? "held" : "planned");
        if (when) {
            char title[64];
            snprintf(title, sizeof title, "Management review %s", when);
            DEFAULT("title", title);
        }
        break;
    }
    case K_REVIEW_ACTION:
        DEFAULT("status", "open");
        break;
    case K_ACCEPTANCE:
        DEFAULT("status", "accepted");
        DEFAULT("requested_on", today);
        if (is(record_get(rec, "status"), "accepted")) DEFAULT("accepted_on", today);
        break;
    case K_REVIEW_DECISION:
        DEFAULT("kind", "other");
        break;
    default:
        break;
    }
#undef DEFAULT
}

static int blame(const char **field, const char *name, char *err, size_t errsize, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));

static int blame(const char **field, const char *name, char *err, size_t errsize, const char *fmt,
                 ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsize, fmt, ap);
    va_end(ap);
    *field = name;
    return -1;
}

/* "2026-Q4": a quarter as the site names it */
static int period_is_valid(const char *text)
{
    rr_day first, last;
    return date_parse_period(text, &first, &last) == 0 && strlen(text) == 7;
}

/* a before b, when both are given */
static int dates_out_of_order(const char *a, const char *b)
{
    return a && b && strcmp(a, b) > 0;
}

int record_check(const struct record *rec, const char **field, char *err, size_t errsize)
{
    const struct kind *k = rec->kind;
#define V(name) record_get(rec, name)
    if (k->id == K_ASSESSMENT && !V("likelihood") != !V("impact"))
        return blame(field, V("likelihood") ? "impact" : "likelihood", err, errsize,
                     "likelihood and impact come as a pair: give both");
    for (int i = 0; i < k->nfields; i++)
        if (k->fields[i].flags & FF_REQUIRED && !rec->v[i])
            return blame(field, k->fields[i].name, err, errsize, "%s %s needs %s %s",
                         text_article(k->singular), k->singular, text_article(k->fields[i].name),
                         k->fields[i].name);
    switch (k->id) {
    case K_RISK:
        if (is(V("status"), "closed") && !V("closed_on"))
            return blame(field, "closed_on", err, errsize,
                         "a closed risk needs closed_on (the date it was closed)");
        if (!is(V("status"), "closed") && V("closed_on"))
            return blame(field, "closed_on", err, errsize,
                         "closed_on is set but the status is '%s'; set status=closed or clear "
                         "closed_on",
                         V("status"));
        if (dates_out_of_order(V("created_on"), V("closed_on")))
            return blame(field, "closed_on", err, errsize,
                         "closed on %s, before it was created (%s)", V("closed_on"),
                         V("created_on"));
        if (V("treatment") && !is(V("treatment"), "accept")) {
            int opportunity = is(V("kind"), "opportunity");
            int opportunity_word = is(V("treatment"), "exploit") || is(V("treatment"), "enhance") ||
                                   is(V("treatment"), "share");
            if (opportunity && !opportunity_word)
                return blame(field, "treatment", err, errsize,
                             "an opportunity is treated by exploit, enhance, share or accept, "
                             "not %s (a threat's word)",
                             V("treatment"));
            if (!opportunity && opportunity_word)
                return blame(field, "treatment", err, errsize,
                             "a threat is treated by mitigate, accept, transfer or avoid, not %s "
                             "(an opportunity's word)",
                             V("treatment"));
        }
        break;
    case K_ASSESSMENT:
        if (!V("residual_likelihood") != !V("residual_impact"))
            return blame(field,
                         V("residual_likelihood") ? "residual_impact" : "residual_likelihood", err,
                         errsize,
                         "residual likelihood and residual impact come as a pair: give both or "
                         "neither");
        break;
    case K_IMPROVEMENT:
        if (is(V("status"), "done") && !V("done_on"))
            return blame(field, "done_on", err, errsize,
                         "a done improvement needs done_on (the date it was done)");
        if (V("done_on") && !is(V("status"), "done") && !is(V("status"), "rejected"))
            return blame(field, "done_on", err, errsize,
                         "done_on is set but the status is '%s'; set status=done or clear done_on",
                         V("status"));
        if (dates_out_of_order(V("raised_on"), V("done_on")))
            return blame(field, "done_on", err, errsize, "done on %s, before it was raised (%s)",
                         V("done_on"), V("raised_on"));
        if (dates_out_of_order(V("raised_on"), V("due_on")))
            return blame(field, "due_on", err, errsize, "due on %s, before it was raised (%s)",
                         V("due_on"), V("raised_on"));
        break;
    case K_NONCONFORMITY:
        if (dates_out_of_order(V("raised_on"), V("closed_on")))
            return blame(field, "closed_on", err, errsize,
                         "closed on %s, before it was raised (%s)", V("closed_on"), V("raised_on"));
        if (dates_out_of_order(V("raised_on"), V("due_on")))
            return blame(field, "due_on", err, errsize, "due on %s, before it was raised (%s)",
                         V("due_on"), V("raised_on"));
        if (V("effective") && !V("closed_on"))
            return blame(field, "effective", err, errsize,
                         "effectiveness is checked once the nonconformity is closed; set "
                         "closed_on first");
        break;
    case K_ACCEPTANCE:
        if (is(V("status"), "accepted") && !V("approver"))
            return blame(field, "approver", err, errsize,
                         "an accepted risk needs its approver (who accepted it)");
        if (is(V("status"), "accepted") && !V("accepted_on"))
            return blame(field, "accepted_on", err, errsize,
                         "an accepted risk needs accepted_on (the date it was accepted)");
        if (V("accepted_on") && V("expires_on") && strcmp(V("expires_on"), V("accepted_on")) <= 0)
            return blame(field, "expires_on", err, errsize,
                         "expires on %s, not after it was accepted (%s)", V("expires_on"),
                         V("accepted_on"));
        break;
    case K_AUDIT:
        if (is(V("status"), "held") && !V("held_on"))
            return blame(field, "held_on", err, errsize,
                         "a held audit needs held_on (the date it was held)");
        if (is(V("status"), "planned") && V("held_on"))
            return blame(field, "held_on", err, errsize,
                         "held_on is set but the audit is planned; set status=held");
        if (!V("held_on") && !V("planned_on"))
            return blame(field, "planned_on", err, errsize,
                         "a planned audit needs planned_on (the date it is planned for)");
        break;
    case K_REQUIREMENT:
        if (V("parent") && V("id") && strcasecmp(V("parent"), V("id")) == 0)
            return blame(field, "parent", err, errsize, "a requirement cannot be its own parent");
        break;
    case K_READINESS: {
        const char *m = V("maturity");
        if (m && !(strlen(m) == 1 && m[0] >= '0' && m[0] <= '5'))
            return blame(field, "maturity", err, errsize,
                         "maturity is a whole number from 0 to 5, not '%s'", m);
        if (is(V("status"), "not_applicable") && !V("reason"))
            return blame(field, "reason", err, errsize,
                         "a requirement marked not_applicable needs the reason why it does not "
                         "apply");
        break;
    }
    case K_DOCUMENT:
        if (V("approved_on") && !V("approved_by"))
            return blame(field, "approved_by", err, errsize,
                         "an approved document needs approved_by (who approved it)");
        if (V("approved_by") && !V("approved_on"))
            return blame(field, "approved_on", err, errsize,
                         "approved_by is set but not approved_on (the date it was approved)");
        break;
    case K_CERTIFICATE:
        if (V("issued_on") && V("expires_on") && strcmp(V("expires_on"), V("issued_on")) <= 0)
            return blame(field, "expires_on", err, errsize,
                         "expires on %s, not after it was issued (%s)", V("expires_on"),
                         V("issued_on"));
        break;
    case K_REVIEW:
        if (is(V("status"), "held") && !V("held_on"))
            return blame(field, "held_on", err, errsize,
                         "a held review needs held_on (the date it was held)");
        if (is(V("status"), "planned") && V("held_on"))
            return blame(field, "held_on", err, errsize,
                         "held_on is set but the review is planned; hold it with riskreg review "
                         "hold, or set status=held");
        if (!V("held_on") && !V("planned_on"))
            return blame(field, "planned_on", err, errsize,
                         "a planned review needs planned_on (the date it is planned for)");
        if (V("period") && !period_is_valid(V("period")))
            return blame(field, "period", err, errsize, "'%s' is not a quarter such as 2026-Q4",
                         V("period"));
        break;
    case K_REVIEW_ACTION:
        if (is(V("status"), "done") && !V("closed_on"))
            return blame(field, "closed_on", err, errsize,
                         "a done action needs closed_on (the date it was done)");
        if (V("closed_on") && is(V("status"), "open"))
            return blame(field, "closed_on", err, errsize,
                         "closed_on is set but the action is open; set status=done or clear "
                         "closed_on");
        break;
    default:
        break;
    }
#undef V
    return 0;
}

int assignment_split(const char *arg, char *name, size_t namesize, const char **value)
{
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : 0;
    if (!eq || len == 0 || len >= namesize) return -1;
    memcpy(name, arg, len);
    name[len] = '\0';
    for (size_t i = 0; i < len; i++) /* field names are words: "owner", "Risk Owner" */
        if ((unsigned char)name[i] < 32) return -1;
    *value = eq + 1;
    return 0;
}
