/* chart_plot.c - the charts with a value axis: lines over periods (markers, gaps, a target
 * line and band, labels at the lines' ends) and bars (vertical or horizontal, grouped or
 * stacked, value labels). Layout first, from measured text; drawing follows the layout. */
#include "chart_draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TICKS 16

/* The range of the finite values, and whether they are all whole numbers */
struct data_range {
    double min, max;
    int integral;
};

static void range_add(struct data_range *r, double v, int counts)
{
    if (!isfinite(v)) return;
    r->min = fmin(r->min, v), r->max = fmax(r->max, v);
    if (counts && v != floor(v)) r->integral = 0;
}

static void range_close(struct data_range *r)
{
    if (r->min > r->max) r->min = r->max = 0;
}

/* The widest y tick label, the labels themselves left to the drawing */
static double ticks_width(struct canvas *c, const struct value_axis *a)
{
    double ticks[MAX_TICKS], w = 0;
    int n = chart_axis_ticks(a, ticks, MAX_TICKS);
    for (int i = 0; i < n; i++) {
        char buf[64];
        chart_format_number(ticks[i], a->decimals, c->spec->unit, buf, sizeof buf);
        w = fmax(w, chart_text_width(c, c->L->tick, buf));
    }
    return w;
}

/* Light grid lines across [x0, x1] and tick labels right-aligned left of x0 */
static void draw_y_ticks(struct canvas *c, const struct value_axis *a, double x0, double x1,
                         double y_lo, double y_hi)
{
    const struct chart_layout *L = c->L;
    double ticks[MAX_TICKS];
    int n = chart_axis_ticks(a, ticks, MAX_TICKS);
    for (int i = 0; i < n; i++) {
        double y = chart_axis_pos(a, ticks[i], y_lo, y_hi);
        /* below zero, the zero line stands out from the grid */
        uint32_t colour = ticks[i] == 0 && a->lo < 0 ? L->axis : L->grid;
        chart_hline(c, x0, x1, y, px(c, L->grid_width), colour);
        char buf[64];
        chart_format_number(ticks[i], a->decimals, c->spec->unit, buf, sizeof buf);
        chart_text_draw_mid(c, L->tick, buf, x0 - px(c, L->tick_gap), y, ALIGN_RIGHT, L->text);
    }
}

/* One category label (one or two lines) centred on x below an axis at y, kept inside the image */
static void draw_x_label(struct canvas *c, const struct label_fit *f, const char *s, double x,
                         double y)
{
    const struct chart_layout *L = c->L;
    char l1[LABEL_MAX], l2[LABEL_MAX];
    struct chart_type t = f->type;
    int lines = chart_label_lines(c, s, f, l1, l2);
    double half = fmax(chart_text_width(c, t, l1), chart_text_width(c, t, l2)) / 2;
    double pad = px(c, L->pad);
    x = fmax(x, pad + half), x = fmin(x, c->w - pad - half);
    double base = y + chart_text_cap(c, t);
    chart_text_draw(c, t, l1, x, base, ALIGN_CENTRE, L->text);
    if (lines == 2)
        chart_text_draw(c, t, l2, x, base + chart_text_line(c, t), ALIGN_CENTRE, L->text);
}

/* ---- line ---------------------------------------------------------------------------------- */

/* A label at the right end of a line (its name) or of the target line */
struct end_label {
    int last;       /* the series' last value, or -1 for the target */
    double want, y; /* where its line ends; where the label is, nudged clear of the others */
    uint32_t colour, line;
    char text[2][LABEL_MAX];
};

struct line_geometry {
    double x0, x1, y0, y1; /* the plot area */
    double first, pitch;   /* x of the first category; distance between categories */
    struct value_axis axis;
    struct label_fit xfit;
    int direct;    /* lines named at their right ends (three or fewer), else a legend */
    double side_w; /* the column of end labels right of the plot */
    int leaders;   /* some label moved away from its line: leaders, and room for them */
    int nends;
    struct end_label ends[CHART_MAX_SERIES + 1]; /* in order down the chart */
};

static double line_y(const struct line_geometry *g, double v)
{
    return chart_axis_pos(&g->axis, v, g->y1, g->y0);
}

static double line_x(const struct line_geometry *g, int i)
{
    return g->first + i * g->pitch;
}

static int last_finite(const struct chart_series *s)
{
    for (int i = s->n - 1; i >= 0; i--)
        if (isfinite(s->values[i])) return i;
    return -1;
}

/* An end label: one line when it is short, two when that keeps it short, else one line up to
 * the column's limit, cut (on two lines) only beyond that */
static int end_label_lines(struct canvas *c, const char *s, char l1[LABEL_MAX], char l2[LABEL_MAX])
{
    const struct chart_layout *L = c->L;
    double comfort = L->side_wrap * c->w, most = L->side_max * c->w;
    int cut;
    int lines = chart_text_wrap2(c, L->label, s, comfort, l1, l2, &cut);
    if (!cut) return lines;
    if (chart_text_width(c, L->label, s) <= most) {
        l2[0] = '\0';
        return chart_text_fit(c, L->label, s, INFINITY, l1, LABEL_MAX), 1;
    }
    return chart_text_wrap2(c, L->label, s, most, l1, l2, NULL);
}

/* The end labels in order down the chart, nudged apart so none overlap; their column's width,
 * with room for leader lines when a label had to move away from its line. */
static void place_end_labels(struct canvas *c, struct line_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    g->nends = 0, g->side_w = 0;
    for (int k = 0; g->direct && k < spec->nseries; k++) {
        int last = last_finite(&spec->series[k]);
        if (!spec->series[k].name || last < 0) continue;
        uint32_t colour = chart_series_colour(spec, k);
        struct end_label *e = &g->ends[g->nends++];
        *e = (struct end_label){last,   line_y(g, spec->series[k].values[last]),
                                0,      chart_colour_readable(colour, L->background),
                                colour, {"", ""}};
        end_label_lines(c, spec->series[k].name, e->text[0], e->text[1]);
    }
    if (spec->has_target && spec->target_label && spec->target >= g->axis.lo &&
        spec->target <= g->axis.hi) {
        struct end_label *e = &g->ends[g->nends++];
        *e = (struct end_label){-1, line_y(g, spec->target), 0, L->ink, L->ink, {"", ""}};
        end_label_lines(c, spec->target_label, e->text[0], e->text[1]);
    }
    for (int i = 1; i < g->nends; i++) /* ties keep the series order */
        for (int j = i; j > 0 && g->ends[j].want < g->ends[j - 1].want; j--) {
            struct end_label t = g->ends[j];
            g->ends[j] = g->ends[j - 1], g->ends[j - 1] = t;
        }

    double ys[CHART_MAX_SERIES + 1], hs[CHART_MAX_SERIES + 1], line = chart_text_line(c, L->label);
    for (int i = 0; i < g->nends; i++) {
        struct end_label *e = &g->ends[i];
        ys[i] = e->want, hs[i] = (e->text[1][0] ? 2 : 1) * line;
        g->side_w = fmax(g->side_w, fmax(chart_text_width(c, L->label, e->text[0]),
                                         chart_text_width(c, L->label, e->text[1])));
    }
    chart_labels_spread(ys, hs, g->nends, px(c, L->pad), g->y1 + chart_text_cap(c, L->tick) / 2);
    g->leaders = 0;
    for (int i = 0; i < g->nends; i++) {
        struct end_label *e = &g->ends[i];
        e->y = ys[i] - (e->text[1][0] ? line / 2 : 0); /* the first line's middle */
        g->leaders |= fabs(e->y - e->want) > chart_text_cap(c, L->label) / 2;
    }
    if (g->leaders) g->side_w += px(c, L->leader_room);
    /* no labels on a chart too small to hold a word of one */
    if (L->side_max * c->w < chart_text_width(c, L->label, "Mmm\xe2\x80\xa6"))
        g->side_w = 0, g->nends = 0;
}

static void line_layout(struct canvas *c, struct line_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    double pad = px(c, L->pad);
    memset(g, 0, sizeof *g);

    struct data_range r = {INFINITY, -INFINITY, 1};
    for (int k = 0; k < spec->nseries; k++)
        for (int i = 0; i < spec->series[k].n; i++)
            range_add(&r, spec->series[k].values[i], 1);
    if (spec->has_target) range_add(&r, spec->target, 0);
    if (spec->has_band) range_add(&r, spec->band_low, 0), range_add(&r, spec->band_high, 0);
    range_close(&r);

    g->direct = spec->nseries <= 3;
    double legend =
        g->direct ? 0 : chart_legend_place(c, pad, pad, c->w - 2 * pad, 1) + px(c, L->label_gap);
    g->y0 = pad + legend + chart_text_cap(c, L->tick) / 2;
    g->y1 = c->h - pad - px(c, L->tick_len) - px(c, L->tick_gap) - chart_text_line(c, L->tick);
    if (g->y1 < g->y0 + 1) g->y1 = g->y0 + 1;
    chart_axis_fit(&g->axis, spec, r.min, r.max, r.integral, g->y1 - g->y0, px(c, L->tick_spacing));
    place_end_labels(c, g);

    g->x0 = pad + ticks_width(c, &g->axis) + px(c, L->tick_gap);
    g->x1 = c->w - pad - (g->side_w > 0 ? g->side_w + px(c, L->label_gap) : 0);
    if (g->x1 < g->x0 + 1) g->x1 = g->x0 + 1;

    /* the first and last points clear the plot's ends, their labels the image's edges */
    int n = spec->nlabels;
    double wf = chart_text_width(c, L->tick, spec->labels[0]);
    double wl = chart_text_width(c, L->tick, spec->labels[n - 1]);
    double in_l = fmax(px(c, L->plot_inset), wf / 2 - (g->x0 - pad));
    double in_r = fmax(px(c, L->marker_radius + L->marker_halo), wl / 2 - (c->w - pad - g->x1));
    if (n == 1) {
        g->first = (g->x0 + g->x1) / 2;
        g->pitch = g->x1 - g->x0;
    } else {
        g->first = g->x0 + in_l;
        g->pitch = fmax(0, (g->x1 - in_r - g->first) / (n - 1));
    }
    chart_labels_fit(c, L->tick, spec->labels, n, g->pitch, 0, &g->xfit);
}

int chart_locate_line(struct canvas *c, int index, double value, double *x, double *y)
{
    struct line_geometry g;
    line_layout(c, &g);
    *x = line_x(&g, index);
    *y = line_y(&g, value);
    return c->fail ? -1 : 0;
}

static void draw_marker(struct canvas *c, double x, double y, uint32_t colour)
{
    const struct chart_layout *L = c->L;
    chart_fill_disc(c, x, y, px(c, L->marker_radius + L->marker_halo), L->background);
    chart_fill_disc(c, x, y, px(c, L->marker_radius), colour);
}

static void draw_series_line(struct canvas *c, const struct line_geometry *g, int k)
{
    const struct chart_series *s = &c->spec->series[k];
    const struct chart_layout *L = c->L;
    uint32_t colour = chart_series_colour(c->spec, k);
    double *xs = malloc((size_t)s->n * sizeof *xs), *ys = malloc((size_t)s->n * sizeof *ys);
    if (!xs || !ys) {
        free(xs), free(ys);
        c->fail = "out of memory";
        return;
    }
    /* runs of values between gaps: each its own path, so a gap breaks the line */
    int run = 0;
    for (int i = 0; i <= s->n; i++) {
        if (i < s->n && isfinite(s->values[i])) {
            xs[run] = line_x(g, i), ys[run] = line_y(g, s->values[i]);
            run++;
        } else if (run > 0) {
            if (run > 1) chart_stroke_path(c, xs, ys, run, px(c, L->line_width), colour);
            run = 0;
        }
    }
    /* markers where there is room for them; a lone point and the latest always */
    int roomy = g->pitch >= px(c, 4 * (L->marker_radius + L->marker_halo));
    int last = last_finite(s);
    for (int i = 0; i < s->n; i++) {
        if (!isfinite(s->values[i])) continue;
        int lone = (i == 0 || !isfinite(s->values[i - 1])) &&
                   (i == s->n - 1 || !isfinite(s->values[i + 1]));
        if (roomy || lone || i == last)
            draw_marker(c, line_x(g, i), line_y(g, s->values[i]), colour);
    }
    free(xs), free(ys);
}

/* The end labels where the layout put them; a thin leader ties a nudged label to its line */
static void draw_end_labels(struct canvas *c, const struct line_geometry *g)
{
    const struct chart_layout *L = c->L;
    double line = chart_text_line(c, L->label);
    double text_x = g->x1 + px(c, L->label_gap) + (g->leaders ? px(c, L->leader_room) : 0);
    for (int i = 0; i < g->nends; i++) {
        const struct end_label *e = &g->ends[i];
        chart_text_draw_mid(c, L->label, e->text[0], text_x, e->y, ALIGN_LEFT, e->colour);
        chart_text_draw_mid(c, L->label, e->text[1], text_x, e->y + line, ALIGN_LEFT, e->colour);
        if (fabs(e->y - e->want) <= chart_text_cap(c, L->label) / 2) continue;
        double from =
            e->last >= 0 ? line_x(g, e->last) + px(c, L->marker_radius + L->marker_halo) : g->x1;
        double lx[2] = {from, text_x - px(c, L->label_gap) / 2}, ly[2] = {e->want, e->y};
        chart_stroke_path(c, lx, ly, 2, px(c, L->leader_width), e->line);
    }
}

void chart_draw_line(struct canvas *c)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    struct line_geometry g;
    line_layout(c, &g);

    if (spec->has_band) {
        double top = fmax(g.y0, line_y(&g, spec->band_high));
        double bottom = fmin(g.y1, line_y(&g, spec->band_low));
        uint32_t tint = chart_colour_mix(chart_series_colour(spec, 0), L->background, L->band_tint);
        if (bottom > top) chart_fill_rect(c, g.x0, top, g.x1, bottom, tint);
    }
    draw_y_ticks(c, &g.axis, g.x0, g.x1, g.y1, g.y0);
    chart_hline(c, g.x0, g.x1, g.y1, px(c, L->axis_width), L->axis);
    for (int i = 0; i < spec->nlabels; i++) {
        if (!chart_label_shown(&g.xfit, i, spec->nlabels)) continue;
        double x = line_x(&g, i), tick = px(c, L->tick_len);
        chart_vline(c, x, g.y1, g.y1 + tick, px(c, L->axis_width), L->axis);
        draw_x_label(c, &g.xfit, spec->labels[i], x, g.y1 + tick + px(c, L->tick_gap));
    }
    if (spec->has_target && spec->target >= g.axis.lo && spec->target <= g.axis.hi)
        chart_hline_dashed(c, g.x0, g.x1, line_y(&g, spec->target), px(c, L->ref_width),
                           px(c, L->dash), px(c, L->dash_gap), L->ink);
    for (int k = spec->nseries - 1; k >= 0; k--) /* the first series on top */
        draw_series_line(c, &g, k);
    if (g.direct)
        draw_end_labels(c, &g);
    else {
        double pad = px(c, L->pad);
        chart_legend_place(c, pad, pad, c->w - 2 * pad, 1);
        if (spec->has_target) draw_end_labels(c, &g);
    }
}

/* ---- bar ----------------------------------------------------------------------------------- */

struct bar_geometry {
    double x0, x1, y0, y1; /* the plot area */
    struct value_axis axis;
    struct label_fit fit; /* category labels under vertical bars */
    double band;          /* the room of one category along the category axis */
    double bar, gap;      /* one bar's thickness; between the bars of a group */
    int bars;             /* bars in a group: the series, or 1 when stacked */
    double label_w;       /* horizontal: the column of category labels */
    double legend;        /* the legend's height above the plot */
    int decimals;         /* of the value labels */
    double values_w;      /* the widest value label */
    int outside;          /* value labels beyond the bars' ends: all, when all have room */
};

/* Where value v lands along the value axis */
static double bar_value_pos(const struct bar_geometry *g, int horizontal, double v)
{
    return horizontal ? chart_axis_pos(&g->axis, v, g->x0, g->x1)
                      : chart_axis_pos(&g->axis, v, g->y1, g->y0);
}

/* The centre of category i along the category axis */
static double bar_category_pos(const struct bar_geometry *g, int horizontal, int i)
{
    return (horizontal ? g->y0 : g->x0) + (i + 0.5) * g->band;
}

static double value_at(const struct chart_spec *spec, int k, int i)
{
    double v = spec->series[k].values[i];
    return isfinite(v) ? v : 0;
}

/* The widest value label, and the decimals they are written with */
static double value_labels_width(struct canvas *c, struct bar_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    double w = 0;
    g->decimals = 0;
    for (int k = 0; k < spec->nseries; k++)
        for (int i = 0; i < spec->nlabels; i++)
            if (isfinite(spec->series[k].values[i])) {
                int d = chart_value_decimals(spec->series[k].values[i]);
                g->decimals = d > g->decimals ? d : g->decimals;
            }
    for (int i = 0; i < spec->nlabels; i++) {
        double total = 0;
        for (int k = 0; k < spec->nseries; k++) {
            char buf[64];
            chart_format_number(value_at(spec, k, i), g->decimals, spec->unit, buf, sizeof buf);
            w = fmax(w, chart_text_width(c, c->L->tick, buf));
            total += fmax(0, value_at(spec, k, i));
        }
        if (spec->stacked) {
            char buf[64];
            chart_format_number(total, g->decimals, spec->unit, buf, sizeof buf);
            w = fmax(w, chart_text_width(c, c->L->tick, buf));
        }
    }
    return w;
}

static void bar_range(const struct chart_spec *spec, struct data_range *r)
{
    *r = (struct data_range){INFINITY, -INFINITY, 1};
    for (int i = 0; i < spec->nlabels; i++) {
        double up = 0, down = 0;
        for (int k = 0; k < spec->nseries; k++) {
            double v = spec->series[k].values[i];
            if (!isfinite(v)) continue;
            range_add(r, v, 1);
            if (v > 0)
                up += v;
            else
                down += v;
        }
        if (spec->stacked) range_add(r, up, 0), range_add(r, down, 0);
    }
    range_close(r);
}

/* The bars of a group share bar_fill of the band, each no thicker than bar_max */
static void bar_thickness(struct canvas *c, struct bar_geometry *g)
{
    const struct chart_layout *L = c->L;
    g->bars = c->spec->stacked ? 1 : c->spec->nseries;
    g->gap = g->bars > 1 ? fmin(px(c, L->bar_gap), g->band * L->bar_fill / g->bars / 4) : 0;
    g->bar = (g->band * L->bar_fill - (g->bars - 1) * g->gap) / g->bars;
    g->bar = fmax(1, fmin(g->bar, px(c, L->bar_max)));
}

static void bar_layout_vertical(struct canvas *c, struct bar_geometry *g,
                                const struct data_range *r)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    double pad = px(c, L->pad);
    double room = spec->value_labels ? chart_text_line(c, L->tick) : 0; /* above the tallest bar */
    g->y0 = pad + g->legend + fmax(chart_text_cap(c, L->tick) / 2, room);
    for (int lines = 1; lines <= 2; lines++) {
        g->y1 = c->h - pad - px(c, L->tick_gap) - lines * chart_text_line(c, L->tick) -
                (r->min < 0 ? room : 0);
        if (g->y1 < g->y0 + 1) g->y1 = g->y0 + 1;
        chart_axis_fit(&g->axis, spec, r->min, r->max, r->integral, g->y1 - g->y0,
                       px(c, L->tick_spacing));
        g->x0 = pad + ticks_width(c, &g->axis) + px(c, L->tick_gap);
        g->x1 = c->w - pad;
        if (g->x1 < g->x0 + 1) g->x1 = g->x0 + 1;
        g->band = (g->x1 - g->x0) / spec->nlabels;
        chart_labels_fit(c, L->tick, spec->labels, spec->nlabels, g->band, 1, &g->fit);
        if (g->fit.lines <= lines) break;
    }
}

/* The category label column left of horizontal bars: one line, two when the band has room for
 * them, cut only when even that is too wide */
static int category_lines(struct canvas *c, const struct bar_geometry *g, const char *s,
                          char l1[LABEL_MAX], char l2[LABEL_MAX])
{
    const struct chart_layout *L = c->L;
    double maxw = L->side_max * c->w;
    l2[0] = '\0';
    if (g->band >= 2 * chart_text_line(c, L->tick))
        return chart_text_wrap2(c, L->tick, s, maxw, l1, l2, NULL);
    chart_text_fit(c, L->tick, s, maxw, l1, LABEL_MAX);
    return 1;
}

static void bar_layout_horizontal(struct canvas *c, struct bar_geometry *g,
                                  const struct data_range *r)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    double pad = px(c, L->pad);
    g->y0 = pad + g->legend;
    g->y1 =
        c->h - pad - (spec->value_labels ? 0 : px(c, L->tick_gap) + chart_text_line(c, L->tick));
    if (g->y1 < g->y0 + 1) g->y1 = g->y0 + 1;
    g->band = (g->y1 - g->y0) / spec->nlabels;

    g->label_w = 0;
    for (int i = 0; i < spec->nlabels; i++) {
        char l1[LABEL_MAX], l2[LABEL_MAX];
        category_lines(c, g, spec->labels[i], l1, l2);
        g->label_w = fmax(g->label_w,
                          fmax(chart_text_width(c, L->tick, l1), chart_text_width(c, L->tick, l2)));
    }
    g->x0 = pad + g->label_w + px(c, L->tick_gap);
    g->x1 = c->w - pad - (spec->value_labels ? g->values_w + px(c, L->label_gap) : 0);
    if (g->x1 < g->x0 + 1) g->x1 = g->x0 + 1;
    chart_axis_fit(&g->axis, spec, r->min, r->max, r->integral, g->x1 - g->x0,
                   px(c, L->tick_spacing_x));
    if (!spec->value_labels) { /* the last tick label, centred on the plot's end, stays inside */
        char buf[64];
        chart_format_number(g->axis.hi, g->axis.decimals, spec->unit, buf, sizeof buf);
        g->x1 = fmin(g->x1, c->w - pad - chart_text_width(c, L->tick, buf) / 2);
    }
}

static void bar_layout(struct canvas *c, struct bar_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    double pad = px(c, c->L->pad);
    memset(g, 0, sizeof *g);
    struct data_range r;
    bar_range(spec, &r);
    if (spec->nseries > 1)
        g->legend = chart_legend_place(c, pad, pad, c->w - 2 * pad, 0) + px(c, c->L->label_gap);
    if (spec->value_labels) g->values_w = value_labels_width(c, g);
    if (spec->horizontal)
        bar_layout_horizontal(c, g, &r);
    else
        bar_layout_vertical(c, g, &r);
    bar_thickness(c, g);
    /* each label within its own bar's slot, or none: some labels missing would read as zeros */
    if (spec->value_labels) {
        double slot = g->bars > 1 ? g->bar + g->gap : g->band;
        double need = spec->horizontal ? chart_text_cap(c, c->L->tick) : g->values_w;
        g->outside = need + px(c, c->L->value_inset) <= slot;
    }
}

int chart_locate_bar(struct canvas *c, int index, double value, double *x, double *y)
{
    struct bar_geometry g;
    bar_layout(c, &g);
    int h = c->spec->horizontal;
    double along = bar_category_pos(&g, h, index), v = bar_value_pos(&g, h, value);
    *x = h ? v : along;
    *y = h ? along : v;
    return c->fail ? -1 : 0;
}

/* A value label just beyond the end of a bar of value v */
static void value_label_outside(struct canvas *c, const struct bar_geometry *g, double along,
                                double v)
{
    const struct chart_layout *L = c->L;
    const struct chart_spec *spec = c->spec;
    char buf[64];
    chart_format_number(v, g->decimals, spec->unit, buf, sizeof buf);
    double end = bar_value_pos(g, spec->horizontal, v), gap = px(c, L->value_inset);
    if (spec->horizontal)
        chart_text_draw_mid(c, L->tick, buf, v < 0 ? end - gap : end + gap, along,
                            v < 0 ? ALIGN_RIGHT : ALIGN_LEFT, L->text);
    else
        chart_text_draw(c, L->tick, buf, along,
                        v < 0 ? end + gap + chart_text_cap(c, L->tick) : end - gap, ALIGN_CENTRE,
                        L->text);
}

/* A value label inside a stacked segment [p0, p1] along the value axis, when it fits there */
static void value_label_inside(struct canvas *c, const struct bar_geometry *g, double along,
                               double p0, double p1, double v, uint32_t fill)
{
    const struct chart_layout *L = c->L;
    char buf[64];
    chart_format_number(v, g->decimals, c->spec->unit, buf, sizeof buf);
    double w = chart_text_width(c, L->tick, buf), cap = chart_text_cap(c, L->tick);
    double inset = 2 * px(c, L->value_inset), length = fabs(p1 - p0);
    int fits = c->spec->horizontal ? length >= w + inset && g->bar >= cap + inset
                                   : length >= cap + inset && g->bar >= w + inset;
    if (!fits) return;
    double mid = (p0 + p1) / 2;
    if (c->spec->horizontal)
        chart_text_draw_mid(c, L->tick, buf, mid, along, ALIGN_CENTRE, chart_colour_on(c, fill));
    else
        chart_text_draw_mid(c, L->tick, buf, along, mid, ALIGN_CENTRE, chart_colour_on(c, fill));
}

/* One bar from value a to value b along the value axis, centred at `along` */
static void fill_bar(struct canvas *c, const struct bar_geometry *g, double along, double a,
                     double b, uint32_t colour)
{
    int h = c->spec->horizontal;
    double p0 = bar_value_pos(g, h, a), p1 = bar_value_pos(g, h, b);
    double t0 = along - g->bar / 2, t1 = along + g->bar / 2;
    if (h)
        chart_fill_rect(c, p0, t0, p1, t1, colour);
    else
        chart_fill_rect(c, t0, p0, t1, p1, colour);
}

static void draw_bars(struct canvas *c, const struct bar_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    int h = spec->horizontal;
    for (int i = 0; i < spec->nlabels; i++) {
        double centre = bar_category_pos(g, h, i);
        if (spec->stacked) {
            double up = 0, down = 0;
            for (int k = 0; k < spec->nseries; k++) {
                double v = spec->series[k].values[i];
                if (!isfinite(v) || v == 0) continue;
                double *base = v > 0 ? &up : &down;
                fill_bar(c, g, centre, *base, *base + v, chart_series_colour(spec, k));
                if (spec->value_labels && spec->nseries > 1)
                    value_label_inside(c, g, centre, bar_value_pos(g, h, *base),
                                       bar_value_pos(g, h, *base + v), v,
                                       chart_series_colour(spec, k));
                *base += v;
            }
            if (g->outside) value_label_outside(c, g, centre, up > 0 ? up : down);
            continue;
        }
        double start = centre - (g->bars * g->bar + (g->bars - 1) * g->gap) / 2 + g->bar / 2;
        for (int k = 0; k < spec->nseries; k++) {
            double v = spec->series[k].values[i], along = start + k * (g->bar + g->gap);
            if (!isfinite(v)) continue;
            fill_bar(c, g, along, 0, v, chart_series_colour(spec, k));
            if (g->outside) value_label_outside(c, g, along, v);
        }
    }
}

static void draw_bar_axes_vertical(struct canvas *c, const struct bar_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    draw_y_ticks(c, &g->axis, g->x0, g->x1, g->y1, g->y0);
    double below = g->y1 + px(c, L->tick_gap);
    for (int i = 0; i < spec->nlabels; i++)
        if (chart_label_shown(&g->fit, i, spec->nlabels))
            draw_x_label(c, &g->fit, spec->labels[i], bar_category_pos(g, 0, i), below);
}

static void draw_bar_axes_horizontal(struct canvas *c, const struct bar_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    if (!spec->value_labels) { /* the values read off a light vertical grid */
        double ticks[MAX_TICKS];
        int n = chart_axis_ticks(&g->axis, ticks, MAX_TICKS);
        for (int i = 0; i < n; i++) {
            double x = bar_value_pos(g, 1, ticks[i]);
            chart_vline(c, x, g->y0, g->y1, px(c, L->grid_width), L->grid);
            char buf[64];
            chart_format_number(ticks[i], g->axis.decimals, spec->unit, buf, sizeof buf);
            chart_text_draw(c, L->tick, buf, x,
                            g->y1 + px(c, L->tick_gap) + chart_text_cap(c, L->tick), ALIGN_CENTRE,
                            L->text);
        }
    }
    double right = g->x0 - px(c, L->tick_gap), line = chart_text_line(c, L->tick);
    for (int i = 0; i < spec->nlabels; i++) {
        char l1[LABEL_MAX], l2[LABEL_MAX];
        double y = bar_category_pos(g, 1, i);
        if (category_lines(c, g, spec->labels[i], l1, l2) == 2) {
            chart_text_draw_mid(c, L->tick, l1, right, y - line / 2, ALIGN_RIGHT, L->text);
            chart_text_draw_mid(c, L->tick, l2, right, y + line / 2, ALIGN_RIGHT, L->text);
        } else {
            chart_text_draw_mid(c, L->tick, l1, right, y, ALIGN_RIGHT, L->text);
        }
    }
}

void chart_draw_bar(struct canvas *c)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    struct bar_geometry g;
    bar_layout(c, &g);
    if (spec->horizontal)
        draw_bar_axes_horizontal(c, &g);
    else
        draw_bar_axes_vertical(c, &g);
    draw_bars(c, &g);
    double zero = bar_value_pos(&g, spec->horizontal, fmax(g.axis.lo, fmin(0, g.axis.hi)));
    if (spec->horizontal)
        chart_vline(c, zero, g.y0, g.y1, px(c, L->axis_width), L->axis);
    else
        chart_hline(c, g.x0, g.x1, zero, px(c, L->axis_width), L->axis);
    if (spec->nseries > 1) {
        double pad = px(c, L->pad);
        chart_legend_place(c, pad, pad, c->w - 2 * pad, 0);
    }
}
