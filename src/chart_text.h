/* chart_text.h - strings rendered once per run and blended into each chart that shows them */
#ifndef RISKREG_CHART_TEXT_H
#define RISKREG_CHART_TEXT_H

#include <gd.h>
#include <stdint.h>

struct chart_rendered {
    uint64_t key;
    char *font, *text;
    double points, angle;
    int box[4];     /* x0, y0, x1, y1 of libgd's box, relative to the pen (baseline origin) */
    int corners[8]; /* libgd's four corners, for rotated text */
    int x, y, w, h; /* the coverage bitmap: its top left relative to the pen, and its size */
    unsigned char *coverage;
};

/* The string rendered in that font, size and angle; raises nothing. NULL with *err on failure.
 * When the cache is full the result is *temporary: the caller releases it. */
const struct chart_rendered *chart_text_get(const char *font, double points, double angle,
                                            const char *s, int *temporary, const char **err);
void chart_text_release(struct chart_rendered *r);

/* Free every kept string (at exit). */
void chart_text_cache_free(void);

#endif
