/* chart_heatmap.c - the likelihood x impact matrix: cells tinted by their level band, the count
 * large in each, empty cells pale, the appetite boundary drawn around the cells above it, the
 * matrix labels along both axes (wrapped or a little smaller when long, never clipped). */
#include "chart_draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct heat_geometry {
    int n;
    double gx, gy, cell;  /* the grid's top-left corner; a cell's side */
    struct chart_type xt; /* the column labels' type: the tick size, or smaller to fit */
    int xlines;           /* column labels on one line or two */
    double ylab_w;        /* the row labels' column */
    double title_w;       /* the rotated y title's column */
};

/* The column label of likelihood l, as drawn */
static const char *column_label(const struct chart_spec *spec, int l, char *buf, size_t size)
{
    if (spec->x_labels && spec->x_labels[l]) return spec->x_labels[l];
    snprintf(buf, size, "%d", l + 1);
    return buf;
}

static const char *row_label(const struct chart_spec *spec, int i, char *buf, size_t size)
{
    if (spec->y_labels && spec->y_labels[i]) return spec->y_labels[i];
    snprintf(buf, size, "%d", i + 1);
    return buf;
}

/* The largest type, from the tick size down to the smallest, at which every column label fits
 * its column on one line or two */
static void fit_columns(struct canvas *c, struct heat_geometry *g)
{
    const struct chart_layout *L = c->L;
    double maxw = g->cell - px(c, L->label_min_gap) / 2;
    for (double size = L->tick.px; size >= L->small.px; size -= 0.5) {
        struct chart_type t = {size, L->tick.bold};
        int lines = 1, ok = 1;
        for (int l = 0; l < g->n && ok; l++) {
            char num[16], l1[LABEL_MAX], l2[LABEL_MAX];
            int cut;
            int k = chart_text_wrap2(c, t, column_label(c->spec, l, num, sizeof num), maxw, l1, l2,
                                     &cut);
            ok = !cut;
            lines = k > lines ? k : lines;
        }
        if (ok) {
            g->xt = t, g->xlines = lines;
            return;
        }
    }
    g->xt = L->small, g->xlines = 2; /* and cut where even that does not fit */
}

static void heat_layout(struct canvas *c, struct heat_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    double pad = px(c, L->pad), gap = px(c, L->tick_gap);
    memset(g, 0, sizeof *g);
    g->n = spec->matrix;
    g->title_w = spec->y_title ? chart_text_line(c, L->label) + gap : 0;

    double ymax = L->side_max * c->w;
    for (int i = 0; i < g->n; i++) {
        char num[16], l1[LABEL_MAX], l2[LABEL_MAX];
        const char *s = row_label(spec, i, num, sizeof num);
        chart_text_wrap2(c, L->tick, s, ymax, l1, l2, NULL);
        g->ylab_w = fmax(g->ylab_w,
                         fmax(chart_text_width(c, L->tick, l1), chart_text_width(c, L->tick, l2)));
    }
    double left = g->title_w + g->ylab_w + gap;
    double xtitle = spec->x_title ? px(c, L->label_gap) + chart_text_line(c, L->label) : 0;

    g->xt = L->tick, g->xlines = 1;
    double side = 0, bottom = 0;
    for (int pass = 0; pass < 2; pass++) { /* wrapped column labels take room from the grid */
        bottom = gap + g->xlines * chart_text_line(c, g->xt) + xtitle;
        side = fmin(c->w - 2 * pad - left, c->h - 2 * pad - bottom);
        side = fmax(side, g->n);
        g->cell = side / g->n;
        int lines = g->xlines;
        fit_columns(c, g);
        if (g->xlines == lines) break;
    }
    bottom = gap + g->xlines * chart_text_line(c, g->xt) + xtitle;
    /* the whole block (titles, labels, grid) centred in the chart */
    g->gx = pad + left + fmax(0, (c->w - 2 * pad - left - side) / 2);
    g->gy = pad + fmax(0, (c->h - 2 * pad - bottom - side) / 2);
}

int chart_locate_heatmap(struct canvas *c, int likelihood, int impact, double *x, double *y)
{
    struct heat_geometry g;
    heat_layout(c, &g);
    *x = g.gx + (likelihood - 0.5) * g.cell;
    *y = g.gy + (g.n - impact + 0.5) * g.cell;
    return c->fail ? -1 : 0;
}

static int cell_index(const struct heat_geometry *g, int likelihood, int impact)
{
    return (impact - 1) * g->n + (likelihood - 1);
}

static int is_above(const struct chart_spec *spec, const struct heat_geometry *g, int l, int i)
{
    if (!spec->above || l < 1 || l > g->n || i < 1 || i > g->n) return 0;
    return spec->above[cell_index(g, l, i)] != 0;
}

/* The thick line along every cell edge between a cell above appetite and one that is not (or
 * the outside), so the cells above read as one region */
static void draw_boundary(struct canvas *c, const struct heat_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    double t = px(c, c->L->boundary_width), half = t / 2;
    uint32_t ink = c->L->ink;
    for (int i = 1; i <= g->n; i++)
        for (int l = 1; l <= g->n; l++) {
            if (!is_above(spec, g, l, i)) continue;
            double x0 = g->gx + (l - 1) * g->cell, x1 = x0 + g->cell;
            double y0 = g->gy + (g->n - i) * g->cell, y1 = y0 + g->cell;
            if (!is_above(spec, g, l - 1, i)) chart_vline(c, x0, y0 - half, y1 + half, t, ink);
            if (!is_above(spec, g, l + 1, i)) chart_vline(c, x1, y0 - half, y1 + half, t, ink);
            if (!is_above(spec, g, l, i + 1)) chart_hline(c, x0 - half, x1 + half, y0, t, ink);
            if (!is_above(spec, g, l, i - 1)) chart_hline(c, x0 - half, x1 + half, y1, t, ink);
        }
}

static void draw_cells(struct canvas *c, const struct heat_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    double inset = px(c, L->cell_gap) / 2;
    for (int i = 1; i <= g->n; i++)
        for (int l = 1; l <= g->n; l++) {
            int k = cell_index(g, l, i);
            uint32_t colour = spec->cell_colours[k] & 0xffffff;
            if (spec->counts[k] == 0) colour = chart_colour_mix(colour, L->white, L->pale);
            double x0 = g->gx + (l - 1) * g->cell, y0 = g->gy + (g->n - i) * g->cell;
            chart_fill_rect(c, x0 + inset, y0 + inset, x0 + g->cell - inset, y0 + g->cell - inset,
                            colour);
        }
}

/* The counts, as large as the cells allow, ink or white for contrast; an empty cell says
 * nothing (its pale colour does) */
static void draw_counts(struct canvas *c, const struct heat_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    double size = fmin(L->count.px, fmax(L->count_min.px, g->cell / c->s * L->count_share));
    double room = g->cell - 2 * px(c, L->boundary_width);
    for (int i = 1; i <= g->n; i++)
        for (int l = 1; l <= g->n; l++) {
            int k = cell_index(g, l, i);
            if (spec->counts[k] == 0) continue;
            char buf[16];
            snprintf(buf, sizeof buf, "%d", spec->counts[k]);
            struct chart_type t = {size, L->count.bold};
            while (t.px > L->small.px && chart_text_width(c, t, buf) > room)
                t.px -= 1;
            double x = g->gx + (l - 0.5) * g->cell, y = g->gy + (g->n - i + 0.5) * g->cell;
            chart_text_draw_mid(c, t, buf, x, y, ALIGN_CENTRE,
                                chart_colour_on(c, spec->cell_colours[k]));
        }
}

static void draw_axis_labels(struct canvas *c, const struct heat_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    double gap = px(c, L->tick_gap), side = g->n * g->cell;
    double maxw = g->cell - px(c, L->label_min_gap) / 2;

    double top = g->gy + side + gap, line = chart_text_line(c, g->xt),
           cap = chart_text_cap(c, g->xt);
    for (int l = 0; l < g->n; l++) {
        char num[16], l1[LABEL_MAX], l2[LABEL_MAX];
        const char *s = column_label(spec, l, num, sizeof num);
        int lines = chart_text_wrap2(c, g->xt, s, maxw, l1, l2, NULL);
        double x = g->gx + (l + 0.5) * g->cell;
        chart_text_draw(c, g->xt, l1, x, top + cap, ALIGN_CENTRE, L->text);
        if (lines == 2) chart_text_draw(c, g->xt, l2, x, top + cap + line, ALIGN_CENTRE, L->text);
    }
    if (spec->x_title)
        chart_text_draw(c, L->label, spec->x_title, g->gx + side / 2,
                        top + g->xlines * line + px(c, L->label_gap) + chart_text_cap(c, L->label),
                        ALIGN_CENTRE, L->text);

    double right = g->gx - gap, tline = chart_text_line(c, L->tick);
    for (int i = 1; i <= g->n; i++) {
        char num[16], l1[LABEL_MAX], l2[LABEL_MAX];
        const char *s = row_label(spec, i - 1, num, sizeof num);
        double y = g->gy + (g->n - i + 0.5) * g->cell;
        int lines = 1;
        if (g->cell >= 2 * tline)
            lines = chart_text_wrap2(c, L->tick, s, g->ylab_w, l1, l2, NULL);
        else
            chart_text_fit(c, L->tick, s, g->ylab_w, l1, LABEL_MAX);
        if (lines == 2) {
            chart_text_draw_mid(c, L->tick, l1, right, y - tline / 2, ALIGN_RIGHT, L->text);
            chart_text_draw_mid(c, L->tick, l2, right, y + tline / 2, ALIGN_RIGHT, L->text);
        } else {
            chart_text_draw_mid(c, L->tick, l1, right, y, ALIGN_RIGHT, L->text);
        }
    }
    if (spec->y_title) {
        double x = g->gx - gap - g->ylab_w - gap - chart_text_line(c, L->label) / 2;
        char title[LABEL_MAX];
        chart_text_fit(c, L->label, spec->y_title, side, title, sizeof title);
        chart_text_draw_up(c, L->label, title, x, g->gy + side / 2, L->text);
    }
}

void chart_draw_heatmap(struct canvas *c)
{
    struct heat_geometry g;
    heat_layout(c, &g);
    draw_cells(c, &g);
    draw_boundary(c, &g);
    draw_counts(c, &g);
    draw_axis_labels(c, &g);
}
