/* validate.h - turning what people type into register values, and the rules across fields */
#ifndef RISKREG_VALIDATE_H
#define RISKREG_VALIDATE_H

#include <stddef.h>

#include "date.h"
#include "model.h"

struct config;
struct record;

/* How words like Low/High in a rating column are read: on a three-word scale (Low, Medium, High)
 * or, when the column also uses Very low/Very high, on a five-word one. */
enum rating_words { RATING_WORDS_THREE, RATING_WORDS_FIVE };

/* Is this a word that only the five-word scale has ("Very high")? */
int rating_word_is_five_scale(const char *raw);

/* Read a rating for the likelihood (axis 0) or impact (axis 1) of the configured matrix: a number
 * 1..N, "4 - Likely", a matrix label, or a common word scale mapped onto 1..N. */
int rating_parse(const struct config *cfg, int axis, const char *raw, enum rating_words words,
                 int *out, char *err, size_t errsize);

/* Canonical text for one field from what was typed; *out is NULL for an empty value.
 * 0 on success, -1 with a message (no location) in err. */
int value_parse(const struct config *cfg, const struct kind *k, const struct field *f,
                const char *raw, enum rating_words words, char **out, char *err, size_t errsize);

/* Is this a well-formed ID (1-40 letters, digits, '-', '_', '.', starting with a letter or
 * digit)? */
int id_is_valid(const char *id);

/* Can a well-formed ID be given to a new record? Its page in the site is named after it, so an
 * ID is refused that Windows keeps for a device (CON, PRN, AUX, NUL, COM0-9, LPT0-9, also as
 * "con.txt"), that is the site's own page in a record's folder ("index"), or that ends with a '.'
 * (Windows drops it). 0, or -1 with why and what to choose instead in err. */
int id_check_new(const char *id, char *err, size_t errsize);

/* What goes before an ID in the names of its files in the site: "" for an ID id_check_new
 * accepts, "_" for one it refuses that a register may still hold (_index.html, _CON.html). No ID
 * starts with '_', so no two IDs share a name; IDs equal but for case cannot both be in one
 * register (record_id is unique without regard to case). */
const char *id_file_prefix(const char *id);

/* Split a command-line "field=value" into the field's name (copied into name) and its value.
 * 0, or -1 when it is not FIELD=VALUE (no '=', an empty or over-long name, control characters). */
int assignment_split(const char *arg, char *name, size_t namesize, const char **value);

/* Fill what a new record takes by default (status open, created today, ...). */
void record_apply_defaults(struct record *rec, rr_day on);

/* The rules across fields (required fields, closed status and date together, dates in order,
 * rating pairs). 0 when they hold; else -1, *field names the field to blame. */
int record_check(const struct record *rec, const char **field, char *err, size_t errsize);

#endif
