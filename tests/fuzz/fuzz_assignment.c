/* fuzz_assignment.c - the FIELD=VALUE arguments of `add`, `set` and `list`: assignment_split,
 * then for every kind the field lookups (exact name, header text and aliases, the risk's
 * assessment fields, "did you mean") and value_parse of the value for the field found, on a 5x5
 * matrix config (and a 3x3 one for ratings).
 *
 * Checks: a split gives a non-empty name without control characters that fits its buffer and is
 * exactly the text before the first '=', and the value is the text after it; a failed split is
 * text without '=', with an empty or over-long name, or with a control character in the name;
 * kind and field lookups return a kind or index in range; every value keeps the invariants of
 * fuzz_common.h. */
#include "fuzz_common.h"

#define NAME_SIZE 64 /* as src/write.c and src/list.c */

static void check_split(const char *arg, size_t namesize)
{
    char name[NAME_SIZE + 8];
    memset(name, 0x7F, sizeof name);
    const char *value = NULL;
    int rc = assignment_split(arg, name, namesize, &value);
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : 0;
    int control = 0;
    for (size_t i = 0; i < len; i++)
        control |= (unsigned char)arg[i] < 32;
    if (rc != 0) {
        FUZZ_CHECK(rc == -1, "assignment_split returned %d", rc);
        FUZZ_CHECK(!eq || len == 0 || len >= namesize || control,
                   "assignment_split refused a good FIELD=VALUE");
    } else {
        FUZZ_CHECK(eq && len > 0 && len < namesize && !control,
                   "assignment_split accepted a bad FIELD=VALUE");
        FUZZ_CHECK(strlen(name) == len && memcmp(name, arg, len) == 0,
                   "the name is not the text before '='");
        FUZZ_CHECK(value == eq + 1, "the value is not the text after the first '='");
    }
    for (size_t i = namesize; i < sizeof name; i++)
        FUZZ_CHECK((unsigned char)name[i] == 0x7F, "assignment_split wrote past %zu bytes",
                   namesize);
}

static void check_kind_lookup(const char *text)
{
    const struct kind *k = model_find_kind(text);
    if (k) {
        int found = 0;
        for (int i = 0; i < KIND_COUNT; i++)
            found |= k == model_kind((enum kind_id)i);
        FUZZ_CHECK(found, "model_find_kind gave a kind that is not in the table");
    }
    (void)model_suggest_kind(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *arg = fuzz_cstring(data, size);
    static const size_t sizes[] = {1, 2, 8, NAME_SIZE};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_split(arg, sizes[i]);
    check_kind_lookup(arg);

    char name[NAME_SIZE];
    const char *raw;
    if (assignment_split(arg, name, sizeof name, &raw) == 0) {
        check_kind_lookup(name);
        enum rating_words words =
            rating_word_is_five_scale(raw) ? RATING_WORDS_FIVE : RATING_WORDS_THREE;
        for (int kid = 0; kid < KIND_COUNT; kid++) {
            const struct kind *k = model_kind((enum kind_id)kid);
            FUZZ_CHECK(k && k->id == (enum kind_id)kid, "model_kind(%d) is wrong", kid);
            const struct kind *t = k;
            int f = model_field_index(k, name);
            FUZZ_CHECK(f >= -1 && f < k->nfields, "model_field_index gave %d", f);
            if (f < 0) f = fuzz_field_of(k, name, &t);
            if (f < 0) {
                const char *guess = model_suggest_field(k, name);
                FUZZ_CHECK(
                    !guess || model_field_index(k, guess) >= 0 ||
                        (k->id == K_RISK && model_field_index(model_kind(K_ASSESSMENT), guess) > 0),
                    "model_suggest_field suggests '%s', not a %s field", guess, k->singular);
                continue;
            }
            fuzz_check_value(fuzz_config(5), t, &t->fields[f], raw, words);
            if (t->fields[f].type == FT_RATING)
                fuzz_check_value(fuzz_config(3), t, &t->fields[f], raw, words);
        }
    }
    free(arg);
    return 0;
}
