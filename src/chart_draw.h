/* chart_draw.h - what the chart kinds share: one layout (sizes and colours), a canvas, text
 * that is measured before it is placed, anti-aliased shapes, value axes at round numbers,
 * category labels that never collide, the legend. Internal to chart*.c.
 *
 * Sizes in the layout are CSS pixels; everything else here is in image pixels (CSS px times
 * the spec's scale), with y growing downwards as in the image. */
#ifndef RISKREG_CHART_DRAW_H
#define RISKREG_CHART_DRAW_H

#include "chart.h"

#include <gd.h>

/* A type size: CSS px, and whether the bold face is wanted (the regular one when there is none) */
struct chart_type {
    double px;
    int bold;
};

struct chart_layout {
    double pad;                    /* white space around everything */
    struct chart_type tick;        /* tick labels, category labels, value labels, heat map labels */
    struct chart_type label;       /* direct labels, legend, axis titles */
    struct chart_type small;       /* the smallest a label may shrink to before it is cut */
    struct chart_type count;       /* heat map counts, at their largest */
    struct chart_type count_min;   /* heat map counts, at their smallest */
    struct chart_type centre;      /* the donut's number, at its largest */
    double line_height;            /* text line height, as a multiple of the type size */
    double tick_len;               /* x-axis tick marks */
    double tick_gap;               /* between an axis (or tick) and its labels */
    double label_gap;              /* between a mark and its direct label; legend and plot */
    double label_min_gap;          /* between two neighbouring labels */
    double tick_spacing;           /* the least distance wanted between two y ticks */
    double tick_spacing_x;         /* the same along a horizontal value axis */
    double plot_inset;             /* between the plot's left end and the first point */
    double grid_width, axis_width; /* grid lines, the x-axis line */
    double line_width;             /* series lines */
    double marker_radius, marker_halo; /* markers on lines; the white ring around them */
    double ref_width, dash, dash_gap;  /* reference (target) lines */
    double band_tint;                  /* how far the band colour is blended toward white */
    double swatch, swatch_line, swatch_gap, legend_gap; /* legend: square, line sample, gaps */
    double bar_fill;               /* share of a category's band its bars cover */
    double bar_max;                /* widest group of bars */
    double bar_gap;                /* between the bars of a group */
    double value_inset;            /* padding around a value label inside a bar */
    double side_max;               /* share of the width a column of labels may take */
    double cell_gap;               /* white between heat map cells */
    double boundary_width;         /* the appetite boundary */
    double pale;                   /* how far an empty cell's colour is blended toward white */
    double count_share;            /* heat map count size as a share of the cell */
    double donut_hole;             /* inner radius as a share of the outer */
    double separator;              /* white between donut parts */
    double hole_pad;               /* between the donut's centre text and the ring */
    double spark_width, spark_dot; /* sparkline: line width, last point radius */
    double side_wrap;              /* an end label wider than this share of the width wraps */
    double leader_width;           /* the line from a line's end to its nudged label */
    double leader_room;            /* the room those lines get */
    uint32_t background, text, ink, grid, axis, white;
    uint32_t extra; /* series past the palette's seven colours */
};

extern const struct chart_layout chart_layout;

/* The ink around the origin (on the baseline), image px: left/right, top (< 0) and bottom. */
struct text_box {
    double left, right, top, bottom;
};

/* Measurements already made while drawing this chart: labels are measured to lay the chart
 * out and again to place them, and FreeType is the slow part. */
#define TEXT_MEMO 128
#define TEXT_MEMO_PROBES 8
struct text_memo {
    uint64_t key; /* 0: empty */
    struct text_box box;
};

/* A chart being drawn, or only laid out (im is NULL): the measuring needs no image. */
struct canvas {
    gdImagePtr im;
    const struct chart_spec *spec;
    const struct chart_layout *L;
    double s;                /* CSS px to image px */
    double w, h;             /* the image, image px */
    const char *font, *bold; /* TrueType files */
    const char *fail;        /* the first FreeType error: chart_render reports it */
    struct text_memo memo[TEXT_MEMO];
};

/* CSS px to image px */
static inline double px(const struct canvas *c, double css)
{
    return css * c->s;
}

/* ---- colour -------------------------------------------------------------------------------- */
uint32_t chart_colour_mix(uint32_t a, uint32_t b, double t); /* t = 0: a, t = 1: b */
double chart_colour_contrast(uint32_t a, uint32_t b);        /* WCAG contrast ratio, 1..21 */
uint32_t chart_colour_on(const struct canvas *c, uint32_t background); /* ink or white text */
uint32_t chart_colour_readable(uint32_t rgb, uint32_t background);     /* darkened to 4.5:1 */
uint32_t chart_series_colour(const struct chart_spec *spec, int i);

/* ---- text ---------------------------------------------------------------------------------- */
#define LABEL_MAX 256 /* a label is cut to this many bytes before it is measured */

enum align { ALIGN_LEFT, ALIGN_CENTRE, ALIGN_RIGHT };

void chart_text_measure(struct canvas *c, struct chart_type t, const char *s, struct text_box *b);
double chart_text_width(struct canvas *c, struct chart_type t, const char *s);
double chart_text_cap(struct canvas *c, struct chart_type t); /* height of a capital or digit */
double chart_text_line(const struct canvas *c, struct chart_type t); /* distance between lines */
/* Draw s with its baseline at y; x is its left edge, centre or right edge. */
void chart_text_draw(struct canvas *c, struct chart_type t, const char *s, double x, double y,
                     enum align a, uint32_t rgb);
/* Draw s with its capitals centred on y. */
void chart_text_draw_mid(struct canvas *c, struct chart_type t, const char *s, double x, double y,
                         enum align a, uint32_t rgb);
/* Draw s turned 90 degrees (reading upwards), centred on (x, y). */
void chart_text_draw_up(struct canvas *c, struct chart_type t, const char *s, double x, double y,
                        uint32_t rgb);
/* Copy s to out, cut with an ellipsis to at most maxw wide. 1 when it had to be cut. */
int chart_text_fit(struct canvas *c, struct chart_type t, const char *s, double maxw, char *out,
                   size_t size);
/* Split s at the space that gives the two most even lines; the wider line's width, or -1 when
 * s has no space to split at. */
double chart_text_split(struct canvas *c, struct chart_type t, const char *s, char *l1, char *l2,
                        size_t size);
/* s within maxw: one line when it fits, else two (the most even split that fits, else as many
 * words as fit on the first), cut with an ellipsis only when even that does not fit (*cut then
 * says so). The number of lines. */
int chart_text_wrap2(struct canvas *c, struct chart_type t, const char *s, double maxw,
                     char l1[LABEL_MAX], char l2[LABEL_MAX], int *cut);

/* ---- shapes -------------------------------------------------------------------------------- */
void chart_fill_background(struct canvas *c);
/* A rectangle snapped to whole pixels: crisp edges for bars, cells, grid and axis lines */
void chart_fill_rect(struct canvas *c, double x0, double y0, double x1, double y1, uint32_t rgb);
/* A horizontal line `width` thick centred on y, snapped to whole pixels */
void chart_hline(struct canvas *c, double x0, double x1, double y, double width, uint32_t rgb);
void chart_vline(struct canvas *c, double x, double y0, double y1, double width, uint32_t rgb);
void chart_hline_dashed(struct canvas *c, double x0, double x1, double y, double width, double dash,
                        double gap, uint32_t rgb);
/* Anti-aliased: a disc, and a connected run of line segments with round joins and ends */
void chart_fill_disc(struct canvas *c, double cx, double cy, double r, uint32_t rgb);
void chart_stroke_path(struct canvas *c, const double *xs, const double *ys, int n, double width,
                       uint32_t rgb);
void chart_blend_pixel(struct canvas *c, int x, int y, uint32_t rgb, double coverage);

/* ---- value axes ---------------------------------------------------------------------------- */
struct value_axis {
    double lo, hi, step;
    int decimals; /* of the tick labels */
};
/* Fit an axis over [dmin, dmax] (from 0 unless y_min/y_max say otherwise) with ticks at round
 * numbers (1, 2, 5 x 10^k) at least `spacing` apart along `length` (both image px). */
void chart_axis_fit(struct value_axis *a, const struct chart_spec *spec, double dmin, double dmax,
                    int integral, double length, double spacing);
/* Where v lands between p0 (at lo) and p1 (at hi) */
double chart_axis_pos(const struct value_axis *a, double v, double p0, double p1);
int chart_axis_ticks(const struct value_axis *a, double *ticks, int max);
/* "1,250", "−3.5", "99.9%": the minus sign and thousands separators a reader expects */
void chart_format_number(double v, int decimals, const char *unit, char *buf, size_t size);
int chart_value_decimals(double v); /* the fewest decimals (up to 2) that show v */

/* ---- category labels ----------------------------------------------------------------------- */
/* How labels along an axis are shown: every `step`-th (counted back from the last), on one or
 * two lines, in `type` (category names may be set a little smaller to fit), cut to maxw when even
 * that does not fit. */
struct label_fit {
    struct chart_type type;
    int step, lines;
    double maxw;  /* the widest a line may be; INFINITY when nothing is cut */
    double pitch; /* distance between neighbouring labels */
};
void chart_labels_fit(struct canvas *c, struct chart_type t, char *const *labels, int n,
                      double pitch, int may_wrap, struct label_fit *f);
int chart_label_shown(const struct label_fit *f, int i, int n);
/* The lines label s is drawn as (in f->type): 1 or 2 */
int chart_label_lines(struct canvas *c, const char *s, const struct label_fit *f,
                      char l1[LABEL_MAX], char l2[LABEL_MAX]);

/* Place labels, wanted centred at y[0] <= y[1] <= ... and h[i] tall, so that none overlap and
 * all stay inside [lo, hi] where there is room: labels that would collide are stacked around
 * the mean of the places they want. */
void chart_labels_spread(double *y, const double *h, int n, double lo, double hi);

/* ---- legend -------------------------------------------------------------------------------- */
/* Lay the series' names out in rows from (x, y) within width, drawing them when the canvas has
 * an image; a line sample or a square as the swatch. Returns the height taken. */
double chart_legend_place(struct canvas *c, double x, double y, double width, int line_swatch);

/* ---- the kinds ----------------------------------------------------------------------------- */
/* Each draws on c->im (never NULL here) what c->spec asks for; the spec has been checked. The
 * locate functions answer chart_locate from the same layout the drawing uses. */
void chart_draw_line(struct canvas *c);
void chart_draw_bar(struct canvas *c);
void chart_draw_heatmap(struct canvas *c);
int chart_locate_line(struct canvas *c, int index, double value, double *x, double *y);
int chart_locate_bar(struct canvas *c, int index, double value, double *x, double *y);
int chart_locate_heatmap(struct canvas *c, int likelihood, int impact, double *x, double *y);

#endif
