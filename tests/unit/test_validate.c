/* test_validate.c - ratings, field values and the rules across fields */
#include "config.h"
#include "date.h"
#include "model.h"
#include "record.h"
#include "text.h"
#include "validate.h"
#include "unit.h"
#include "unit_config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct config cfg3, cfg5, cfg6;
static char err[1024];

#define L 0 /* likelihood axis */
#define I 1 /* impact axis */

/* the rating, or -1 with err set */
static int rate(const struct config *cfg, int axis, const char *raw, enum rating_words words)
{
    int v = -99;
    err[0] = '\0';
    if (rating_parse(cfg, axis, raw, words, &v, err, sizeof err) != 0) return -1;
    return v;
}

#define R5(axis, raw) rate(&cfg5, axis, raw, RATING_WORDS_THREE)

static const struct field *field_of(const struct kind *k, const char *name)
{
    int i = model_field_index(k, name);
    return i < 0 ? NULL : &k->fields[i];
}

/* value_parse on the 5x5 matrix; the canonical text (static) or "ERROR" with err set, "NULL"
 * for an empty value */
static const char *val(enum kind_id kid, const char *fname, const char *raw)
{
    static char result[4096];
    const struct kind *k = model_kind(kid);
    const struct field *f = field_of(k, fname);
    if (!f) return "NO SUCH FIELD";
    char *out = (char *)"sentinel";
    err[0] = '\0';
    int rc = value_parse(&cfg5, k, f, raw, RATING_WORDS_THREE, &out, err, sizeof err);
    if (rc != 0) {
        if (out) {
            free(out);
            return "ERROR BUT OUTPUT SET";
        }
        if (!err[0]) return "ERROR WITHOUT MESSAGE";
        return "ERROR";
    }
    if (!out) return "NULL";
    snprintf(result, sizeof result, "%s", out);
    free(out);
    return result;
}

static void test_rating_numbers(void)
{
    CHECK(R5(L, "1") == 1);
    CHECK(R5(L, "2") == 2);
    CHECK(R5(L, "3") == 3);
    CHECK(R5(L, "4") == 4);
    CHECK(R5(L, "5") == 5);
    CHECK(R5(I, "5") == 5);
    CHECK(R5(I, " 3 ") == 3);
    CHECK(R5(L, "4 - Likely") == 4);
    CHECK(R5(L, "4 (Likely)") == 4);
    CHECK(R5(L, "4. Likely") == 4);
    CHECK(R5(L, "4: Likely") == 4);
    CHECK(R5(I, "2 - Minor") == 2);

    CHECK(R5(L, "0") == -1);
    CHECK_CONTAINS(err, "1-5");
    CHECK_CONTAINS(err, "likelihood");
    CHECK(R5(L, "6") == -1);
    CHECK_CONTAINS(err, "1-5");
    CHECK(R5(I, "6") == -1);
    CHECK_CONTAINS(err, "1-5");
    CHECK_CONTAINS(err, "impact");
    CHECK(R5(I, "0 - None") == -1);
    CHECK_CONTAINS(err, "1-5");
    CHECK(R5(L, "3.5") == -1);
    CHECK_CONTAINS(err, "3.5");
    CHECK_CONTAINS(err, "1-5");
    CHECK(R5(L, "99999999999999999999") == -1);
    CHECK(R5(L, "-1") == -1);
    CHECK_CONTAINS(err, "1-5");
    CHECK(R5(L, "") == -1);
    CHECK(R5(L, "Sometimes") == -1);
    CHECK_CONTAINS(err, "Sometimes");
    CHECK_CONTAINS(err, "1-5");
    CHECK_CONTAINS(err, "Almost certain"); /* names the matrix labels */
    CHECK(R5(I, "Sometimes") == -1);
    CHECK_CONTAINS(err, "Severe");
}

static void test_rating_words_5x5(void)
{
    /* the matrix labels, in any case and spacing */
    CHECK(R5(L, "Rare") == 1);
    CHECK(R5(L, "Unlikely") == 2);
    CHECK(R5(L, "Possible") == 3);
    CHECK(R5(L, "Likely") == 4);
    CHECK(R5(L, "Almost certain") == 5);
    CHECK(R5(L, "almost certain") == 5);
    CHECK(R5(L, "ALMOST CERTAIN") == 5);
    CHECK(R5(L, "Almost-Certain") == 5);
    CHECK(R5(I, "Negligible") == 1);
    CHECK(R5(I, "Minor") == 2);
    CHECK(R5(I, "Moderate") == 3);
    CHECK(R5(I, "Major") == 4);
    CHECK(R5(I, "Severe") == 5);
    CHECK(R5(I, "severe") == 5);

    /* common word scales */
    CHECK(R5(I, "Catastrophic") == 5);
    CHECK(R5(I, "Critical") == 5);
    CHECK(R5(I, "Insignificant") == 1);
    CHECK(R5(I, "Trivial") == 1);
    CHECK(R5(I, "Serious") == 4);
    CHECK(R5(L, "Remote") == 1);
    CHECK(R5(L, "Seldom") == 2);
    CHECK(R5(L, "Occasional") == 3);
    CHECK(R5(L, "Probable") == 4);
    CHECK(R5(L, "Frequent") == 5);
    CHECK(R5(L, "Very likely") == 5);
    CHECK(R5(L, "Certain") == 5);

    /* likelihood words are not impact words and the other way round */
    CHECK(R5(I, "Rare") == -1);
    CHECK(R5(I, "Almost certain") == -1);
    CHECK(R5(L, "Catastrophic") == -1);
    CHECK(R5(L, "Negligible") == -1);

    /* Low/Medium/High on the three-word scale: spread over 1..5 */
    CHECK(R5(L, "Low") == 1);
    CHECK(R5(L, "Medium") == 3);
    CHECK(R5(L, "High") == 5);
    CHECK(R5(I, "low") == 1);
    CHECK(R5(I, "MEDIUM") == 3);
    CHECK(R5(I, "high") == 5);
    CHECK(R5(L, "Med") == 3);
    CHECK(R5(L, "Moderate") == 3);
    /* Very low / Very high are five-word scale words even when the column is read as three */
    CHECK(R5(L, "Very high") == 5);
    CHECK(R5(L, "Very low") == 1);

    /* on the five-word scale */
    CHECK(rate(&cfg5, L, "Very low", RATING_WORDS_FIVE) == 1);
    CHECK(rate(&cfg5, L, "Low", RATING_WORDS_FIVE) == 2);
    CHECK(rate(&cfg5, L, "Medium", RATING_WORDS_FIVE) == 3);
    CHECK(rate(&cfg5, L, "High", RATING_WORDS_FIVE) == 4);
    CHECK(rate(&cfg5, L, "Very high", RATING_WORDS_FIVE) == 5);
    CHECK(rate(&cfg5, I, "Low", RATING_WORDS_FIVE) == 2);
    CHECK(rate(&cfg5, I, "very HIGH", RATING_WORDS_FIVE) == 5);
    /* labels win over word scales */
    CHECK(rate(&cfg5, I, "Moderate", RATING_WORDS_FIVE) == 3);
    CHECK(rate(&cfg5, L, "Likely", RATING_WORDS_FIVE) == 4);
    /* numbers are numbers whatever the scale */
    CHECK(rate(&cfg5, L, "2", RATING_WORDS_FIVE) == 2);

    CHECK(rating_word_is_five_scale("Very high"));
    CHECK(rating_word_is_five_scale("very low"));
    CHECK(rating_word_is_five_scale("VERY-HIGH"));
    CHECK(!rating_word_is_five_scale("High"));
    CHECK(!rating_word_is_five_scale("Low"));
    CHECK(!rating_word_is_five_scale("Very likely"));
    CHECK(!rating_word_is_five_scale("5"));
}

static void test_rating_other_matrices(void)
{
    /* 3x3 */
    CHECK(rate(&cfg3, L, "1", RATING_WORDS_THREE) == 1);
    CHECK(rate(&cfg3, L, "3", RATING_WORDS_THREE) == 3);
    CHECK(rate(&cfg3, L, "4", RATING_WORDS_THREE) == -1);
    CHECK_CONTAINS(err, "1-3");
    CHECK(rate(&cfg3, I, "0", RATING_WORDS_THREE) == -1);
    CHECK_CONTAINS(err, "1-3");
    CHECK(rate(&cfg3, L, "Low", RATING_WORDS_THREE) == 1);
    CHECK(rate(&cfg3, L, "Medium", RATING_WORDS_THREE) == 2);
    CHECK(rate(&cfg3, L, "High", RATING_WORDS_THREE) == 3);
    CHECK(rate(&cfg3, I, "High", RATING_WORDS_THREE) == 3);
    CHECK(rate(&cfg3, L, "Very high", RATING_WORDS_FIVE) == 3);
    CHECK(rate(&cfg3, L, "Very low", RATING_WORDS_FIVE) == 1);
    CHECK(rate(&cfg3, L, "Unlikely", RATING_WORDS_THREE) == 1); /* 3x3 labels */
    CHECK(rate(&cfg3, L, "Possible", RATING_WORDS_THREE) == 2);
    CHECK(rate(&cfg3, L, "Likely", RATING_WORDS_THREE) == 3);
    CHECK(rate(&cfg3, L, "Rare", RATING_WORDS_THREE) == 1);
    CHECK(rate(&cfg3, L, "Almost certain", RATING_WORDS_THREE) == 3);
    CHECK(rate(&cfg3, I, "Minor", RATING_WORDS_THREE) == 1);
    CHECK(rate(&cfg3, I, "Moderate", RATING_WORDS_THREE) == 2);
    CHECK(rate(&cfg3, I, "Major", RATING_WORDS_THREE) == 3);
    CHECK(rate(&cfg3, I, "Negligible", RATING_WORDS_THREE) == 1);
    CHECK(rate(&cfg3, I, "Catastrophic", RATING_WORDS_THREE) == 3);
    CHECK(rate(&cfg3, I, "Severe", RATING_WORDS_THREE) == 3);
    CHECK(rate(&cfg3, L, "Whenever", RATING_WORDS_THREE) == -1);
    CHECK_CONTAINS(err, "1-3");
    CHECK_CONTAINS(err, "Unlikely, Possible, Likely");

    /* 6x6 */
    CHECK(rate(&cfg6, L, "6", RATING_WORDS_THREE) == 6);
    CHECK(rate(&cfg6, L, "7", RATING_WORDS_THREE) == -1);
    CHECK_CONTAINS(err, "1-6");
    CHECK(rate(&cfg6, L, "Very high", RATING_WORDS_FIVE) == 6);
    CHECK(rate(&cfg6, L, "Very high", RATING_WORDS_THREE) == 6);
    CHECK(rate(&cfg6, I, "Very low", RATING_WORDS_FIVE) == 1);
    CHECK(rate(&cfg6, L, "High", RATING_WORDS_THREE) == 6);
    CHECK(rate(&cfg6, L, "Low", RATING_WORDS_THREE) == 1);
    int medium = rate(&cfg6, L, "Medium", RATING_WORDS_THREE);
    CHECK(medium == 3 || medium == 4);
    CHECK(rate(&cfg6, L, "Very rare", RATING_WORDS_THREE) == 1); /* 6x6 labels */
    CHECK(rate(&cfg6, L, "Rare", RATING_WORDS_THREE) == 2);
    CHECK(rate(&cfg6, L, "Unlikely", RATING_WORDS_THREE) == 3);
    CHECK(rate(&cfg6, L, "Possible", RATING_WORDS_THREE) == 4);
    CHECK(rate(&cfg6, L, "Likely", RATING_WORDS_THREE) == 5);
    CHECK(rate(&cfg6, L, "Almost certain", RATING_WORDS_THREE) == 6);
    CHECK(rate(&cfg6, I, "Negligible", RATING_WORDS_THREE) == 1);
    CHECK(rate(&cfg6, I, "Significant", RATING_WORDS_THREE) == 4);
    CHECK(rate(&cfg6, I, "Major", RATING_WORDS_THREE) == 5);
    CHECK(rate(&cfg6, I, "Severe", RATING_WORDS_THREE) == 6);
    CHECK(rate(&cfg6, I, "Catastrophic", RATING_WORDS_THREE) == 6);
    CHECK(rate(&cfg6, I, "Insignificant", RATING_WORDS_THREE) == 1);
}

static void test_value_dates_days_numbers(void)
{
    CHECK_STR(val(K_RISK, "created_on", "2026-03-31"), "2026-03-31");
    CHECK_STR(val(K_RISK, "created_on", "  2026-03-31 "), "2026-03-31");
    CHECK_STR(val(K_RISK, "created_on", "2024-02-29"), "2024-02-29");
    CHECK_STR(val(K_RISK, "created_on", ""), "NULL");
    CHECK_STR(val(K_RISK, "created_on", "   "), "NULL");
    CHECK_STR(val(K_RISK, "created_on", "31/12/2026"), "ERROR");
    CHECK_CONTAINS(err, "2026-12-31");
    CHECK_STR(val(K_RISK, "created_on", "2026-02-30"), "ERROR");
    CHECK_CONTAINS(err, "not a calendar date");
    CHECK_STR(val(K_RISK, "closed_on", "05/06/2026"), "ERROR");
    CHECK_CONTAINS(err, "ambiguous");
    CHECK_STR(val(K_RISK, "next_review_on", "2026-1-5"), "ERROR");
    CHECK_CONTAINS(err, "YYYY-MM-DD");
    CHECK_STR(val(K_IMPROVEMENT, "due_on", "soon"), "ERROR");
    CHECK_STR(val(K_ASSESSMENT, "assessed_on", "2025-02-29"), "ERROR");

    CHECK_STR(val(K_RISK, "review_every_days", "90"), "90");
    CHECK_STR(val(K_RISK, "review_every_days", "1"), "1");
    CHECK_STR(val(K_RISK, "review_every_days", "3660"), "3660");
    CHECK_STR(val(K_RISK, "review_every_days", " 30 "), "30");
    CHECK_STR(val(K_RISK, "review_every_days", "090"), "90");
    CHECK_STR(val(K_RISK, "review_every_days", "0"), "ERROR");
    CHECK_CONTAINS(err, "1 to 3660");
    CHECK_STR(val(K_RISK, "review_every_days", "3661"), "ERROR");
    CHECK_STR(val(K_RISK, "review_every_days", "-5"), "ERROR");
    CHECK_STR(val(K_RISK, "review_every_days", "30.5"), "ERROR");
    CHECK_STR(val(K_RISK, "review_every_days", "quarterly"), "ERROR");
    CHECK_CONTAINS(err, "quarterly");
    CHECK_STR(val(K_RISK, "review_every_days", "99999999999999999999"), "ERROR");

    CHECK_STR(val(K_KPI, "target", "99.9"), "99.9");
    CHECK_STR(val(K_KPI, "target", "99.9%"), "99.9");
    CHECK_STR(val(K_KPI, "target", "99.9 %"), "99.9");
    CHECK_STR(val(K_KPI, "target", "100"), "100");
    CHECK_STR(val(K_KPI, "target", "100.0"), "100");
    CHECK_STR(val(K_KPI, "target", "-0"), "0");
    CHECK_STR(val(K_KPI, "target", "-0.0"), "0");
    CHECK_STR(val(K_KPI, "target", "-2.5"), "-2.5");
    CHECK_STR(val(K_KPI, "target", "1e3"), "1000");
    CHECK_STR(val(K_KPI, "target", "0.1"), "0.1");
    CHECK_STR(val(K_KPI, "target", ".5"), "0.5");
    CHECK_STR(val(K_MEASUREMENT, "value", "4.25"), "4.25");
    CHECK_STR(val(K_MEASUREMENT, "value", "1,5"), "ERROR");
    CHECK_CONTAINS(err, "point");
    CHECK_STR(val(K_MEASUREMENT, "value", "1,234.5"), "ERROR");
    CHECK_CONTAINS(err, "thousands");
    CHECK_STR(val(K_MEASUREMENT, "value", "0x10"), "ERROR");
    CHECK_STR(val(K_MEASUREMENT, "value", "inf"), "ERROR");
    CHECK_STR(val(K_MEASUREMENT, "value", "nan"), "ERROR");
    CHECK_STR(val(K_MEASUREMENT, "value", "%"), "ERROR");
    CHECK_STR(val(K_MEASUREMENT, "value", "n/a"), "ERROR");
    CHECK_CONTAINS(err, "n/a");
    CHECK_STR(val(K_MEASUREMENT, "value", ""), "NULL");
}

static void test_value_enums(void)
{
    CHECK_STR(val(K_RISK, "status", "open"), "open");
    CHECK_STR(val(K_RISK, "status", "OPEN"), "open");
    CHECK_STR(val(K_RISK, "status", " Treating "), "treating");
    CHECK_STR(val(K_RISK, "status", "In progress"), "treating");
    CHECK_STR(val(K_RISK, "status", "Mitigated"), "accepted");
    CHECK_STR(val(K_RISK, "status", "Closed"), "closed");
    CHECK_STR(val(K_RISK, "status", "Resolved"), "closed");
    CHECK_STR(val(K_RISK, "status", "Pending"), "open");
    CHECK_STR(val(K_RISK, "status", "Not Started"), "open");
    CHECK_STR(val(K_RISK, "status", "Closed - mitigated"), "closed");
    CHECK_STR(val(K_RISK, "status", "Parked"), "ERROR");
    CHECK_CONTAINS(err, "Parked");
    CHECK_CONTAINS(err, "open, treating, accepted, closed");
    CHECK_CONTAINS(err, "status");
    CHECK_STR(val(K_RISK, "treatment", "Reduce"), "mitigate");
    CHECK_STR(val(K_RISK, "treatment", "mitigate"), "mitigate");
    CHECK_STR(val(K_RISK, "treatment", "Tolerate"), "accept");
    CHECK_STR(val(K_RISK, "treatment", "Share"), "share"); /* a threat's becomes transfer */
    CHECK_STR(val(K_RISK, "treatment", "Terminate"), "avoid");
    CHECK_STR(val(K_RISK, "treatment", "Pray"), "ERROR");
    CHECK_CONTAINS(err, "mitigate, accept, transfer, avoid, exploit, enhance, share");
    CHECK_STR(val(K_RISK, "kind", "Opportunity"), "opportunity");
    CHECK_STR(val(K_RISK, "kind", "Threat"), "risk");
    CHECK_STR(val(K_IMPROVEMENT, "status", "in_progress"), "in_progress");
    CHECK_STR(val(K_IMPROVEMENT, "status", "In progress"), "in_progress");
    CHECK_STR(val(K_IMPROVEMENT, "status", "IN-PROGRESS"), "in_progress");
    CHECK_STR(val(K_IMPROVEMENT, "status", "Completed"), "done");
    CHECK_STR(val(K_IMPROVEMENT, "status", "Won't do"), "rejected");
    CHECK_STR(val(K_IMPROVEMENT, "priority", "P1"), "high");
    CHECK_STR(val(K_IMPROVEMENT, "priority", "Med"), "medium");
    CHECK_STR(val(K_REVIEW_ACTION, "status", "In progress"), "open");
    CHECK_STR(val(K_REVIEW_ACTION, "status", "Cancelled"), "dropped");
    CHECK_STR(val(K_NONCONFORMITY, "effective", "Y"), "yes");
    CHECK_STR(val(K_NONCONFORMITY, "effective", "Not effective"), "no");
    CHECK_STR(val(K_NONCONFORMITY, "effective", "maybe"), "ERROR");
    CHECK_CONTAINS(err, "yes, no");
    CHECK_STR(val(K_NONCONFORMITY, "severity", "OFI"), "observation");
    CHECK_STR(val(K_AUDIT, "kind", "Stage 2"), "certification");
    CHECK_STR(val(K_KPI, "direction", "Higher is better"), "higher");
    CHECK_STR(val(K_KPI, "direction", ">="), "higher");
    /* Regression: "<=" gave "higher": both operators have an
     * empty name key, so the synonym loop matched the first of them (">=") */
    CHECK_STR(val(K_KPI, "direction", "<="), "lower");
    CHECK_STR(val(K_REVIEW_INPUT, "input", "risks"), "risks");
    CHECK_STR(val(K_REVIEW_INPUT, "input", "Previous Actions"), "previous_actions");
    CHECK_STR(val(K_REVIEW_INPUT, "input", "gossip"), "ERROR");
    CHECK_STR(val(K_RISK, "status", ""), "NULL");
}

/* IDs a new record cannot take, because its page is named after the ID, and the names the site
 * gives the pages of such IDs that a register already holds */
static void test_ids_for_files(void)
{
    char why[256];
    static const char *const refused[] = {"index",   "INDEX", "CON",  "con",  "con.txt",
                                          "Aux.R-1", "PRN",   "NUL",  "COM0", "com9",
                                          "LPT1",    "x.",    "R.1.."};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        CHECK(id_check_new(refused[i], why, sizeof why) == -1);
        CHECK(strstr(why, "cannot be an ID: ") != NULL);
        CHECK_STR(id_file_prefix(refused[i]), "_");
    }
    static const char *const taken[] = {"R-001",   "CONSOLE",   "COM10", "COM-1", "LPT",
                                        "index-1", "index.old", "x.y",   "NULL1", "CO"};
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) {
        CHECK(id_check_new(taken[i], why, sizeof why) == 0);
        CHECK_STR(id_file_prefix(taken[i]), "");
    }
    id_check_new("con.txt", why, sizeof why);
    CHECK_STR(why, "'con.txt' cannot be an ID: Windows reserves the name CON for a device, with "
                   "any extension, so its page could not be saved there; choose another (e.g. "
                   "con-1.txt)");
    id_check_new("R.1..", why, sizeof why);
    CHECK(strstr(why, "(e.g. R.1)") != NULL);
}

static void test_value_ids_and_text(void)
{
    CHECK_STR(val(K_RISK, "id", "R-001"), "R-001");
    CHECK_STR(val(K_RISK, "id", " R-001 "), "R-001");
    CHECK_STR(val(K_RISK, "id", "a.b_c-1"), "a.b_c-1");
    CHECK_STR(val(K_RISK, "id", "7"), "7");
    CHECK_STR(val(K_RISK, "id", "-x"), "ERROR");
    CHECK_CONTAINS(err, "-x");
    CHECK_CONTAINS(err, "not a valid ID");
    CHECK_STR(val(K_RISK, "id", "_x"), "ERROR");
    CHECK_STR(val(K_RISK, "id", ".x"), "ERROR");
    CHECK_STR(val(K_RISK, "id", "R 1"), "ERROR");
    CHECK_STR(val(K_RISK, "id", "R/1"), "ERROR");
    CHECK_STR(val(K_RISK, "id", "R-\xC3\xA9"), "ERROR");
    char id40[41], id41[42];
    memset(id40, 'a', 40);
    id40[40] = '\0';
    memset(id41, 'b', 41);
    id41[41] = '\0';
    CHECK_STR(val(K_RISK, "id", id40), id40);
    CHECK_STR(val(K_RISK, "id", id41), "ERROR");
    CHECK(id_is_valid("R-001"));
    CHECK(id_is_valid("a.b_c-1"));
    CHECK(id_is_valid(id40));
    CHECK(!id_is_valid(id41));
    CHECK(!id_is_valid(""));
    CHECK(!id_is_valid("-x"));
    CHECK(!id_is_valid("R 1"));
    CHECK(!id_is_valid("R-1\n"));
    test_ids_for_files();
    CHECK_STR(val(K_ASSESSMENT, "risk_id", "R-004"), "R-004"); /* FT_REF */
    CHECK_STR(val(K_ASSESSMENT, "risk_id", "R 004"), "ERROR");
    CHECK_STR(val(K_IMPROVEMENT, "risk_id", ""), "NULL");

    CHECK_STR(val(K_RISK, "title", "  Backup failure  "), "Backup failure");
    CHECK_STR(val(K_RISK, "title", "\tBackup failure\r\n"), "Backup failure");
    CHECK_STR(val(K_RISK, "title", "Caf\xC3\xA9 outage"), "Caf\xC3\xA9 outage");
    CHECK_STR(val(K_RISK, "owner", "   "), "NULL");
    CHECK_STR(val(K_RISK, "description", "line 1\nline 2"), "line 1\nline 2");

    /* the apostrophe an export puts before =, +, - and @ */
    CHECK_STR(val(K_RISK, "title", "'=SUM(A1)"), "=SUM(A1)");
    CHECK_STR(val(K_RISK, "title", "'+44 20 7946 0000"), "+44 20 7946 0000");
    CHECK_STR(val(K_RISK, "title", "'-1 day"), "-1 day");
    CHECK_STR(val(K_RISK, "title", "'@ops"), "@ops");
    CHECK_STR(val(K_RISK, "title", "=SUM(A1)"), "=SUM(A1)");
    CHECK_STR(val(K_RISK, "title", "'hello"), "'hello");
    CHECK_STR(val(K_RISK, "title", "'tis the season"), "'tis the season");
    CHECK_STR(val(K_RISK, "title", "'"), "'");
    CHECK_STR(val(K_RISK, "title", "don't panic"), "don't panic");
    CHECK_STR(val(K_KPI, "target", "'-5"), "-5");

    /* invalid UTF-8 */
    CHECK_STR(val(K_RISK, "title", "caf\xE9"), "ERROR");
    CHECK_CONTAINS(err, "UTF-8");
    CHECK_CONTAINS(err, "0xE9");
    CHECK_STR(val(K_RISK, "title", "\xC0\xAF"), "ERROR");
    CHECK_STR(val(K_RISK, "title", "ab\xED\xA0\x80"), "ERROR");
    CHECK_STR(val(K_RISK, "owner", "\xFF"), "ERROR");
    CHECK_STR(val(K_RISK, "id", "R-\xFF"), "ERROR");
    CHECK_CONTAINS(err, "UTF-8");

    /* very long text */
    size_t big = 300 * 1024;
    char *longtext = malloc(big + 1);
    memset(longtext, 'x', big);
    longtext[big] = '\0';
    CHECK_STR(val(K_RISK, "description", longtext), "ERROR");
    CHECK_CONTAINS(err, "KiB");
    longtext[1000] = '\0';
    CHECK(strlen(val(K_RISK, "description", longtext)) == 1000);
    free(longtext);
}

static void test_value_ratings(void)
{
    CHECK_STR(val(K_ASSESSMENT, "likelihood", "4"), "4");
    CHECK_STR(val(K_ASSESSMENT, "likelihood", "Likely"), "4");
    CHECK_STR(val(K_ASSESSMENT, "likelihood", "4 - Likely"), "4");
    CHECK_STR(val(K_ASSESSMENT, "likelihood", "High"), "5");
    CHECK_STR(val(K_ASSESSMENT, "impact", "Catastrophic"), "5");
    CHECK_STR(val(K_ASSESSMENT, "impact", "Minor"), "2");
    CHECK_STR(val(K_ASSESSMENT, "residual_impact", "Negligible"), "1");
    CHECK_STR(val(K_ASSESSMENT, "residual_likelihood", "Rare"), "1");
    CHECK_STR(val(K_ASSESSMENT, "residual_likelihood", "Catastrophic"), "ERROR");
    CHECK_STR(val(K_ASSESSMENT, "likelihood", "6"), "ERROR");
    CHECK_CONTAINS(err, "1-5");
    CHECK_STR(val(K_ASSESSMENT, "impact", "3.5"), "ERROR");
    CHECK_STR(val(K_ASSESSMENT, "likelihood", ""), "NULL");
}

/* --- record_check ------------------------------------------------------------------------- */

static void set(struct record *r, const char *name, const char *value)
{
    int i = model_field_index(r->kind, name);
    if (i < 0) {
        printf("no field %s in %s\n", name, r->kind->name);
        abort();
    }
    record_set(r, i, value);
}

/* record_check's verdict: "ok", or the field it blames */
static const char *check(const struct record *r)
{
    static char blamed[64];
    const char *field = NULL;
    err[0] = '\0';
    if (record_check(r, &field, err, sizeof err) == 0) return "ok";
    snprintf(blamed, sizeof blamed, "%s", field ? field : "(no field)");
    if (!err[0]) return "(no message)";
    return blamed;
}

static rr_day day(const char *s)
{
    rr_day d = 0;
    if (date_parse(s, &d) != 0) abort();
    return d;
}

static void test_defaults(void)
{
    struct record r;
    record_init(&r, model_kind(K_RISK));
    set(&r, "title", "Backup failure");
    record_apply_defaults(&r, day("2026-11-20"));
    CHECK_STR(record_get(&r, "kind"), "risk");
    CHECK_STR(record_get(&r, "status"), "open");
    CHECK_STR(record_get(&r, "created_on"), "2026-11-20");
    CHECK(record_get(&r, "closed_on") == NULL);
    CHECK_STR(check(&r), "ok");
    record_free(&r);

    /* given values stay */
    record_init(&r, model_kind(K_RISK));
    set(&r, "title", "x");
    set(&r, "status", "treating");
    set(&r, "created_on", "2026-01-02");
    set(&r, "kind", "opportunity");
    record_apply_defaults(&r, day("2026-11-20"));
    CHECK_STR(record_get(&r, "status"), "treating");
    CHECK_STR(record_get(&r, "created_on"), "2026-01-02");
    CHECK_STR(record_get(&r, "kind"), "opportunity");
    record_free(&r);

    /* a treatment word of the other kind is said in the record's own words; avoid has no
     * opportunity's word and is refused */
    static const char *const said[][3] = {
        {"risk", "share", "transfer"},          {"risk", "exploit", "mitigate"},
        {"risk", "enhance", "mitigate"},        {"risk", "avoid", "avoid"},
        {"opportunity", "mitigate", "enhance"}, {"opportunity", "transfer", "share"},
        {"opportunity", "exploit", "exploit"},  {"opportunity", "accept", "accept"}};
    for (size_t i = 0; i < sizeof said / sizeof said[0]; i++) {
        record_init(&r, model_kind(K_RISK));
        set(&r, "title", "x");
        set(&r, "kind", said[i][0]);
        set(&r, "treatment", said[i][1]);
        record_apply_defaults(&r, day("2026-11-20"));
        CHECK_STR(record_get(&r, "treatment"), said[i][2]);
        CHECK_STR(check(&r), "ok");
        record_free(&r);
    }
    record_init(&r, model_kind(K_RISK));
    set(&r, "title", "x");
    set(&r, "kind", "opportunity");
    set(&r, "treatment", "avoid");
    record_apply_defaults(&r, day("2026-11-20"));
    CHECK_STR(check(&r), "treatment");
    record_free(&r);

    record_init(&r, model_kind(K_IMPROVEMENT));
    set(&r, "title", "Automate restores");
    record_apply_defaults(&r, day("2026-02-01"));
    CHECK_STR(record_get(&r, "status"), "proposed");
    CHECK_STR(record_get(&r, "raised_on"), "2026-02-01");
    CHECK_STR(check(&r), "ok");
    record_free(&r);

    record_init(&r, model_kind(K_NONCONFORMITY));
    record_apply_defaults(&r, day("2026-02-01"));
    CHECK_STR(record_get(&r, "raised_on"), "2026-02-01");
    CHECK_STR(check(&r), "title"); /* required */
    CHECK_CONTAINS(err, "title");
    record_free(&r);

    record_init(&r, model_kind(K_AUDIT));
    record_apply_defaults(&r, day("2026-02-01"));
    CHECK_STR(record_get(&r, "kind"), "internal");
    record_free(&r);

    record_init(&r, model_kind(K_KPI));
    record_apply_defaults(&r, day("2026-02-01"));
    CHECK_STR(record_get(&r, "kind"), "service");
    CHECK_STR(record_get(&r, "direction"), "higher");
    record_free(&r);

    record_init(&r, model_kind(K_REVIEW));
    set(&r, "held_on", "2026-12-10");
    record_apply_defaults(&r, day("2026-02-01"));
    CHECK_STR(record_get(&r, "title"), "Management review 2026-12-10");
    record_free(&r);

    record_init(&r, model_kind(K_REVIEW_ACTION));
    record_apply_defaults(&r, day("2026-02-01"));
    CHECK_STR(record_get(&r, "status"), "open");
    record_free(&r);

    record_init(&r, model_kind(K_ASSESSMENT));
    record_apply_defaults(&r, day("2026-03-31"));
    CHECK_STR(record_get(&r, "assessed_on"), "2026-03-31");
    record_free(&r);
}

static void new_risk(struct record *r)
{
    record_init(r, model_kind(K_RISK));
    set(r, "title", "Backup failure");
    set(r, "created_on", "2026-01-10");
    record_apply_defaults(r, day("2026-11-20"));
}

static void test_check_risks(void)
{
    struct record r;
    new_risk(&r);
    CHECK_STR(check(&r), "ok");
    set(&r, "title", NULL);
    CHECK_STR(check(&r), "title");
    CHECK_CONTAINS(err, "title");
    set(&r, "title", "Backup failure");

    set(&r, "status", "closed");
    CHECK_STR(check(&r), "closed_on");
    CHECK_CONTAINS(err, "closed_on");
    set(&r, "closed_on", "2026-06-30");
    CHECK_STR(check(&r), "ok");
    set(&r, "closed_on", "2026-01-10"); /* the same day it was created */
    CHECK_STR(check(&r), "ok");
    set(&r, "closed_on", "2026-01-09");
    CHECK_STR(check(&r), "closed_on");
    CHECK_CONTAINS(err, "2026-01-09");
    CHECK_CONTAINS(err, "2026-01-10");

    set(&r, "status", "open");
    set(&r, "closed_on", "2026-06-30");
    CHECK_STR(check(&r), "closed_on");
    CHECK_CONTAINS(err, "open");
    set(&r, "status", "accepted");
    CHECK_STR(check(&r), "closed_on");
    set(&r, "closed_on", NULL);
    CHECK_STR(check(&r), "ok");
    set(&r, "status", "treating");
    CHECK_STR(check(&r), "ok");
    record_free(&r);
}

static void test_check_assessments(void)
{
    struct record a;
    record_init(&a, model_kind(K_ASSESSMENT));
    set(&a, "risk_id", "R-001");
    set(&a, "assessed_on", "2026-03-31");
    set(&a, "likelihood", "3");
    set(&a, "impact", "4");
    CHECK_STR(check(&a), "ok");
    set(&a, "residual_likelihood", "2");
    CHECK_STR(check(&a), "residual_impact");
    CHECK_CONTAINS(err, "pair");
    set(&a, "residual_impact", "2");
    CHECK_STR(check(&a), "ok");
    set(&a, "residual_likelihood", NULL);
    CHECK_STR(check(&a), "residual_likelihood");
    set(&a, "residual_impact", NULL);
    CHECK_STR(check(&a), "ok");
    /* the inherent pair is required */
    set(&a, "impact", NULL);
    CHECK_STR(check(&a), "impact");
    set(&a, "impact", "4");
    set(&a, "likelihood", NULL);
    CHECK_STR(check(&a), "likelihood");
    set(&a, "likelihood", "3");
    set(&a, "risk_id", NULL);
    CHECK_STR(check(&a), "risk_id");
    record_free(&a);
}

static void test_check_improvements(void)
{
    struct record r;
    record_init(&r, model_kind(K_IMPROVEMENT));
    set(&r, "title", "Automate restore tests");
    set(&r, "raised_on", "2026-02-01");
    record_apply_defaults(&r, day("2026-11-20"));
    CHECK_STR(check(&r), "ok");

    set(&r, "status", "done");
    CHECK_STR(check(&r), "done_on");
    CHECK_CONTAINS(err, "done_on");
    set(&r, "done_on", "2026-05-05");
    CHECK_STR(check(&r), "ok");
    set(&r, "done_on", "2026-01-31");
    CHECK_STR(check(&r), "done_on"); /* before it was raised */
    CHECK_CONTAINS(err, "2026-02-01");
    set(&r, "done_on", "2026-05-05");

    set(&r, "status", "proposed");
    CHECK_STR(check(&r), "done_on");
    CHECK_CONTAINS(err, "proposed");
    set(&r, "status", "approved");
    CHECK_STR(check(&r), "done_on");
    set(&r, "status", "in_progress");
    CHECK_STR(check(&r), "done_on");
    set(&r, "status", "rejected"); /* rejected may carry the date it was rejected */
    CHECK_STR(check(&r), "ok");
    set(&r, "done_on", NULL);
    CHECK_STR(check(&r), "ok");

    set(&r, "due_on", "2026-01-01");
    CHECK_STR(check(&r), "due_on");
    set(&r, "due_on", "2026-02-01");
    CHECK_STR(check(&r), "ok");
    record_free(&r);
}

static void test_check_nonconformities(void)
{
    struct record r;
    record_init(&r, model_kind(K_NONCONFORMITY));
    set(&r, "title", "Backups not tested");
    set(&r, "raised_on", "2026-03-01");
    record_apply_defaults(&r, day("2026-11-20"));
    CHECK_STR(check(&r), "ok");
    set(&r, "effective", "yes");
    CHECK_STR(check(&r), "effective");
    CHECK_CONTAINS(err, "closed_on");
    set(&r, "closed_on", "2026-04-01");
    CHECK_STR(check(&r), "ok");
    set(&r, "effective", "no");
    CHECK_STR(check(&r), "ok");
    set(&r, "effective", NULL);
    CHECK_STR(check(&r), "ok");
    set(&r, "closed_on", "2026-02-28");
    CHECK_STR(check(&r), "closed_on");
    set(&r, "closed_on", "2026-03-01");
    CHECK_STR(check(&r), "ok");
    set(&r, "due_on", "2026-02-01");
    CHECK_STR(check(&r), "due_on");
    set(&r, "due_on", NULL);
    set(&r, "title", NULL);
    CHECK_STR(check(&r), "title");
    record_free(&r);
}

static void test_check_review_actions(void)
{
    struct record r;
    record_init(&r, model_kind(K_REVIEW_ACTION));
    set(&r, "review_id", "MR-001");
    set(&r, "text", "Fund a second data centre");
    record_apply_defaults(&r, day("2026-11-20"));
    CHECK_STR(check(&r), "ok");
    set(&r, "status", "done");
    CHECK_STR(check(&r), "closed_on");
    CHECK_CONTAINS(err, "closed_on");
    set(&r, "closed_on", "2026-12-01");
    CHECK_STR(check(&r), "ok");
    set(&r, "status", "dropped");
    CHECK_STR(check(&r), "ok");
    set(&r, "closed_on", NULL);
    CHECK_STR(check(&r), "ok");
    set(&r, "status", "open");
    set(&r, "closed_on", "2026-12-01");
    CHECK_STR(check(&r), "closed_on");
    set(&r, "closed_on", NULL);
    set(&r, "text", NULL);
    CHECK_STR(check(&r), "text");
    set(&r, "text", "x");
    set(&r, "review_id", NULL);
    CHECK_STR(check(&r), "review_id");
    record_free(&r);

    /* audits and reviews need their dates */
    record_init(&r, model_kind(K_AUDIT));
    set(&r, "title", "Internal audit Q1");
    record_apply_defaults(&r, day("2026-11-20"));
    CHECK_STR(r.v[model_field_index(r.kind, "status")], "planned");
    CHECK_STR(check(&r), "planned_on"); /* neither held nor planned for a date */
    set(&r, "planned_on", "2027-01-20");
    CHECK_STR(check(&r), "ok");
    set(&r, "held_on", "2026-03-10"); /* held_on on a planned audit */
    CHECK_STR(check(&r), "held_on");
    record_free(&r);
    record_init(&r, model_kind(K_AUDIT));
    set(&r, "title", "Internal audit Q1");
    set(&r, "held_on", "2026-03-10");
    record_apply_defaults(&r, day("2026-11-20"));
    CHECK_STR(r.v[model_field_index(r.kind, "status")], "held");
    CHECK_STR(check(&r), "ok");
    set(&r, "status", "held");
    set(&r, "held_on", NULL);
    CHECK_STR(check(&r), "held_on"); /* held without a date */
    record_free(&r);
    record_init(&r, model_kind(K_MEASUREMENT));
    set(&r, "kpi_id", "K-001");
    set(&r, "measured_on", "2026-03-31");
    CHECK_STR(check(&r), "value");
    set(&r, "value", "99.5");
    CHECK_STR(check(&r), "ok");
    record_free(&r);
}

/* A record whose status was cleared (`riskreg set R-001 status=` gives NULL) must be refused,
 * not crash: run record_check in a child so a crash is a failed check. Exit 0: refused, naming
 * status; 1: accepted or blamed another field; a signal: crashed. */
static int check_in_child(enum kind_id kid, const char *title_field, const char *title)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct record r;
        record_init(&r, model_kind(kid));
        set(&r, title_field, title);
        if (kid == K_REVIEW_ACTION) set(&r, "review_id", "MR-001");
        record_apply_defaults(&r, day("2026-11-20"));
        set(&r, "status", NULL); /* what `set ID status=` leaves */
        const char *field = NULL;
        char e[256];
        int rc = record_check(&r, &field, e, sizeof e);
        _exit(rc != 0 && field && strcmp(field, "status") == 0 ? 0 : 1);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_check_without_status(void)
{
    /* Regression: record_check called strcmp on a NULL
     * status, so `riskreg set R-001 status=` crashed with SIGSEGV instead of being refused */
    static const struct {
        enum kind_id kind;
        const char *title_field, *title;
    } cases[] = {{K_RISK, "title", "Backup failure"},
                 {K_IMPROVEMENT, "title", "Automate"},
                 {K_REVIEW_ACTION, "text", "Do it"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = check_in_child(cases[i].kind, cases[i].title_field, cases[i].title);
        if (rc >= 128)
            printf("note: record_check on %s without a status: signal %d\n",
                   model_kind(cases[i].kind)->name, rc - 128);
        CHECK(rc == 0);
    }
}

int main(void)
{
    CHECK(unit_config(&cfg3, 3) == 0);
    CHECK(unit_config(&cfg5, 5) == 0);
    CHECK(unit_config(&cfg6, 6) == 0);
    CHECK(cfg5.matrix_size == 5);
    CHECK_STR(cfg5.likelihood_labels[4], "Almost certain");
    CHECK(cfg5.likelihood_labels[5] == NULL);
    CHECK_STR(cfg3.impact_labels[2], "Major");

    test_rating_numbers();
    test_rating_words_5x5();
    test_rating_other_matrices();
    test_value_dates_days_numbers();
    test_value_enums();
    test_value_ids_and_text();
    test_value_ratings();
    test_defaults();
    test_check_risks();
    test_check_assessments();
    test_check_improvements();
    test_check_nonconformities();
    test_check_review_actions();
    test_check_without_status();

    config_free(&cfg3);
    config_free(&cfg5);
    config_free(&cfg6);
    return unit_report();
}
