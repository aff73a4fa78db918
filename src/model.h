/* model.h - the register's vocabulary: kinds, their fields, aliases and accepted words.
 *
 * One vocabulary everywhere: CSV column = CLI field = SQL column = Lua field. Everything that
 * names a field (import headers, `add`/`set` arguments, export, JSON) goes through this table. */
#ifndef RISKREG_MODEL_H
#define RISKREG_MODEL_H

#include <stddef.h>

enum field_type {
    FT_ID,       /* the record's own ID */
    FT_TEXT,     /* one line or a few of plain text */
    FT_MARKDOWN, /* CommonMark text */
    FT_DATE,     /* YYYY-MM-DD */
    FT_DAYS,     /* a whole number of days */
    FT_RATING,   /* 1..N on the risk matrix */
    FT_NUMBER,   /* a decimal number */
    FT_ENUM,     /* one of a fixed set of words */
    FT_REF,      /* the ID of a record of another kind */
};

#define FF_REQUIRED 1u /* must have a value (after defaults) */
#define FF_KEY 2u      /* part of the row key of a kind without its own ID */
/* FT_TEXT holding a list of record IDs (and URLs, scheme://...), separated by commas, semicolons
 * or spaces: each ID must name a record of the field's ref kind, or of any kind when ref is
 * KIND_COUNT (evidence) */
#define FF_LIST 4u

enum kind_id {
    K_RISK,
    K_ASSESSMENT,
    K_ACCEPTANCE,
    K_IMPROVEMENT,
    K_REQUIREMENT,
    K_READINESS,
    K_DOCUMENT,
    K_CERTIFICATE,
    K_AUDIT,
    K_NONCONFORMITY,
    K_KPI,
    K_MEASUREMENT,
    K_REVIEW,
    K_REVIEW_INPUT,
    K_REVIEW_ACTION,
    K_REVIEW_DECISION,
    KIND_COUNT
};

#define MAX_FIELDS 24

struct field {
    const char *name;
    enum field_type type;
    unsigned flags;
    const char *const *values; /* FT_ENUM: accepted values, NULL-terminated */
    enum kind_id ref;          /* FT_REF: the kind referred to */
    const char *aliases;       /* spreadsheet headers, '|'-separated */
    const char *help;          /* one line for `riskreg help fields` */
};

struct kind {
    enum kind_id id;
    const char *name;     /* "risks": CLI and CSV name */
    const char *singular; /* "risk" */
    const char *table;    /* "risk" */
    const char *prefix;   /* "R-"; NULL for rows without an ID of their own */
    const struct field *fields;
    int nfields;
    int owner_field; /* index of the field naming the record a row belongs to */
    const char *order_by;
};

/* Kinds in dependency order: a kind only refers to kinds before it (or to itself: a
 * requirement's parent). */
const struct kind *model_kind(enum kind_id id);

/* Find a kind by "risks", "risk", "Risk", table name or file name ("risks.csv"). */
const struct kind *model_find_kind(const char *name);
const char *model_suggest_kind(const char *name);

/* Index of a field by its exact name, or -1. */
int model_field_index(const struct kind *k, const char *name);

/* Index of a field by header text: name or alias, matched on name keys; -1 when unknown. */
int model_field_for_header(const struct kind *k, const char *header);

/* Header text a spreadsheet uses for a value riskreg computes (Rating, Risk Score, ...). */
int model_header_is_computed(const char *header);

/* Closest field name for a misspelling, or NULL. */
const char *model_suggest_field(const struct kind *k, const char *name);

/* Map a word onto an enumeration value: exact value, then the synonym table
 * (documented in register/README.md and printed by `riskreg help words`). NULL when unknown. */
const char *model_enum_value(const struct kind *k, const struct field *f, const char *word);

/* "open, treating, accepted, closed" */
void model_enum_list(const struct field *f, char *out, size_t outsize);

/* The synonym table, for `riskreg help words`. */
struct word_synonym {
    enum kind_id kind;
    const char *field;
    const char *word;
    const char *value;
};
const struct word_synonym *model_synonyms(size_t *count);

/* Names of the clause 9.3 review inputs, NULL-terminated. */
extern const char *const model_review_inputs[];

#endif
