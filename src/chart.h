/* chart.h - the site's charts, drawn with libgd: heat map, line, bar, donut and sparkline.
 *
 * A spec is plain data (it owns copies of everything), so that it can be hashed for the cache
 * and drawn on another thread. Sizes are CSS pixels; the PNG is drawn at `scale` times that
 * (2 for sharp screens). Colours are 0xRRGGBB. Drawing is deterministic: the same spec gives
 * the same bytes. */
#ifndef RISKREG_CHART_H
#define RISKREG_CHART_H

#include <stddef.h>
#include <stdint.h>

#define CHART_MAX_SERIES 8
#define CHART_MAX_POINTS 4096
#define CHART_MAX_MATRIX 6

enum chart_kind { CHART_HEATMAP, CHART_LINE, CHART_BAR, CHART_DONUT, CHART_SPARKLINE };

struct chart_series {
    char *name;     /* shown in the legend or at the line's end; may be NULL */
    double *values; /* n values; NAN marks a missing one (a gap in a line) */
    int n;
    uint32_t colour; /* from the spec, or the palette in order */
};

struct chart_spec {
    enum chart_kind kind;
    int width, height; /* CSS pixels */
    int scale;         /* 2: the PNG is (scale * width) x (scale * height) */

    /* line, bar: the categories along the axis (period labels, dates, names);
     * donut: the name of each part */
    char **labels;
    int nlabels;

    /* line, bar, sparkline: one or more series over the labels; donut: one series, the
     * parts' values */
    struct chart_series series[CHART_MAX_SERIES];
    int nseries;

    /* donut: a colour per part (0 = from the palette) */
    uint32_t *part_colours;

    /* line: a reference line (appetite, target) and a tinted band */
    int has_target;
    double target;
    char *target_label; /* "Appetite 9", "Target 99.9 %" */
    int has_band;
    double band_low, band_high;

    /* line, bar: the value axis; y_min/y_max fix its ends (else from the data, from 0) */
    int has_y_min, has_y_max;
    double y_min, y_max;
    char *unit; /* appended to tick labels: "%", " days" */

    /* bar */
    int stacked;      /* series stacked rather than side by side */
    int horizontal;   /* bars run left to right */
    int value_labels; /* each bar's value written on or beside it */

    /* donut */
    char *centre;       /* the big text in the middle ("52") */
    char *centre_label; /* the small text under it ("open risks") */

    /* heat map: an n x n grid; index [(impact - 1) * n + (likelihood - 1)] */
    int matrix;
    int *counts;
    uint32_t *cell_colours; /* the band colour of each cell */
    unsigned char *above;   /* 1 where the cell is above appetite: outlined as one region */
    char **x_labels;        /* likelihood labels, n of them */
    char **y_labels;        /* impact labels, n of them */
    char *x_title, *y_title;

    /* "No data for this period" instead of an empty frame, when there is nothing to draw */
    int empty;
};

/* The Okabe-Ito palette, in the order series take it. */
extern const uint32_t chart_palette[7];

/* Check once that a TrueType font is available (DejaVu Sans or Inter, through fontconfig).
 * 0, or -1 with a message saying which package to install. */
int chart_fonts_ready(char *err, size_t errsize);

/* Check a spec as chart_render would, without drawing. 0, or -1 with a message. */
int chart_validate(const struct chart_spec *spec, char *err, size_t errsize);

/* Draw the chart as PNG bytes (caller frees with chart_png_free). 0, or -1 with a message. */
int chart_render(const struct chart_spec *spec, void **png, int *size, char *err, size_t errsize);
void chart_png_free(void *png);

/* Free everything a spec owns (the spec itself is the caller's). */
void chart_spec_free(struct chart_spec *spec);

/* Where a value lands in the image, in image pixels (scale included), from the same layout the
 * drawing uses: for tests that probe the picture, and for image maps.
 *   line, bar, sparkline: category `index` (from 0) at `value` on the value axis (for a bar,
 *     the end of a bar of that value; for a stacked bar pass the running total);
 *   heatmap: the centre of the cell likelihood = index + 1, impact = value.
 * 0, or -1 for a spec that does not draw, an empty chart, or a donut. */
int chart_locate(const struct chart_spec *spec, int index, double value, double *x, double *y);

#endif
