/* test_chart.c - charts: what the picture means (pixel probes on the decoded PNG), that bad specs
 * are refused with a message naming the field, determinism (also across threads), and each
 * kind against its reference image in tests/data/charts (`make charts-reference` redraws them on
 * purpose: look at the pictures first). */
#include "chart.h"
#include "unit.h"

#include <gd.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REFERENCE_DIR RISKREG_SOURCEDIR "/tests/data/charts"

static const uint32_t LOW = 0xd9f0d3, MEDIUM = 0xfee08b, HIGH = 0xf4a261, CRITICAL = 0xc0392b;
static const uint32_t WHITE = 0xffffff, INK = 0x1f2328, GRID = 0xe6e6e6;

/* ---- building specs the way the Lua layer does: everything on the heap, owned by the spec -- */

static char **strings(int n, const char *const *src)
{
    char **v = calloc((size_t)n, sizeof *v);
    for (int i = 0; i < n; i++)
        v[i] = strdup(src[i]);
    return v;
}

static void add_series(struct chart_spec *s, const char *name, int n, const double *values,
                       uint32_t colour)
{
    struct chart_series *series = &s->series[s->nseries++];
    series->name = name ? strdup(name) : NULL;
    series->values = malloc((size_t)n * sizeof *series->values);
    memcpy(series->values, values, (size_t)n * sizeof *values);
    series->n = n;
    series->colour = colour;
}

static void base_spec(struct chart_spec *s, enum chart_kind kind, int width, int height)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->width = width, s->height = height, s->scale = 2;
}

static uint32_t level_colour(int score)
{
    return score <= 4 ? LOW : score <= 9 ? MEDIUM : score <= 16 ? HIGH : CRITICAL;
}

/* counts by impact row from the bottom: the residual picture of a small register */
static const int COUNTS_5[25] = {0, 3, 1, 0, 0, /* impact 1 */
                                 2, 4, 5, 1, 0, /* impact 2 */
                                 1, 2, 6, 3, 1, /* impact 3 */
                                 0, 1, 2, 4, 2, /* impact 4 */
                                 0, 0, 1, 2, 3 /* impact 5 */};

static void heatmap_spec(struct chart_spec *s, int n, const int *counts)
{
    static const char *const likelihood[] = {"Rare",   "Unlikely",       "Possible",
                                             "Likely", "Almost certain", "Certain"};
    static const char *const impact[] = {"Insignificant", "Minor",  "Moderate",
                                         "Major",         "Severe", "Catastrophic"};
    base_spec(s, CHART_HEATMAP, 360, 360);
    s->matrix = n;
    s->counts = calloc((size_t)(n * n), sizeof *s->counts);
    s->cell_colours = calloc((size_t)(n * n), sizeof *s->cell_colours);
    s->above = calloc((size_t)(n * n), 1);
    for (int i = 1; i <= n; i++)
        for (int l = 1; l <= n; l++) {
            int k = (i - 1) * n + (l - 1);
            s->counts[k] = counts ? counts[k] : (l + i) % 4;
            s->cell_colours[k] = level_colour(l * i * 25 / (n * n));
            s->above[k] = l * i * 25 / (n * n) > 9;
        }
    s->x_labels = strings(n, likelihood);
    s->y_labels = strings(n, impact);
    s->x_title = strdup("Likelihood");
    s->y_title = strdup("Impact");
}

static const char *const QUARTERS[] = {"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4",
                                       "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"};

/* a risk's inherent and residual score over eight quarters, residual missing one quarter */
static void line_spec(struct chart_spec *s)
{
    static const double inherent[] = {20, 20, 16, 16, 16, 15, 15, 12};
    static const double residual[] = {12, 12, 10, NAN, 9, 8, 6, 6};
    base_spec(s, CHART_LINE, 640, 240);
    s->labels = strings(8, QUARTERS), s->nlabels = 8;
    add_series(s, "Inherent", 8, inherent, 0);
    add_series(s, "Residual", 8, residual, 0);
    s->has_target = 1, s->target = 9, s->target_label = strdup("Appetite 9");
    s->has_y_max = 1, s->y_max = 25;
}

static void line_legend_spec(struct chart_spec *s)
{
    static const char *const names[] = {"Low", "Medium", "High", "Critical", "Closed"};
    static const double v[5][8] = {{10, 11, 12, 12, 13, 14, 14, 15},
                                   {8, 8, 9, 10, 9, 9, 8, 8},
                                   {5, 6, 6, 5, 4, 4, 3, 3},
                                   {2, 2, 3, 2, 1, 1, 1, 0},
                                   {1, 3, 2, 4, 5, 3, 6, 4}};
    base_spec(s, CHART_LINE, 640, 240);
    s->labels = strings(8, QUARTERS), s->nlabels = 8;
    for (int k = 0; k < 5; k++)
        add_series(s, names[k], 8, v[k], 0);
    s->has_band = 1, s->band_low = 4, s->band_high = 8;
}

static void bar_spec(struct chart_spec *s)
{
    static const double opened[] = {5, 7, 4, 6, 3, 5}, closed[] = {3, 6, 5, 4, 6, 2};
    base_spec(s, CHART_BAR, 640, 280);
    s->labels = strings(6, QUARTERS + 2), s->nlabels = 6;
    add_series(s, "Opened", 6, opened, 0);
    add_series(s, "Closed", 6, closed, 0);
    s->value_labels = 1;
}

static void stacked_spec(struct chart_spec *s, int value_labels)
{
    static const double v[4][8] = {{10, 11, 12, 12, 13, 14, 14, 15},
                                   {8, 8, 9, 10, 9, 9, 8, 8},
                                   {5, 6, 6, 5, 4, 4, 3, 3},
                                   {2, 2, 3, 2, 1, 1, 1, 0}};
    static const char *const names[] = {"Low", "Medium", "High", "Critical"};
    const uint32_t colours[] = {LOW, MEDIUM, HIGH, CRITICAL};
    base_spec(s, CHART_BAR, 640, 280);
    s->labels = strings(8, QUARTERS), s->nlabels = 8;
    for (int k = 0; k < 4; k++)
        add_series(s, names[k], 8, v[k], colours[k]);
    s->stacked = 1;
    s->value_labels = value_labels;
}

static void horizontal_spec(struct chart_spec *s)
{
    static const char *const categories[] = {
        "Service continuity", "Information security",          "Supplier management",
        "Capacity",           "Change and release management", "People"};
    static const double open[] = {9, 7, 5, 4, 3, 2};
    base_spec(s, CHART_BAR, 640, 280);
    s->labels = strings(6, categories), s->nlabels = 6;
    add_series(s, "Open risks", 6, open, 0);
    s->horizontal = 1, s->value_labels = 1;
}

static void donut_spec(struct chart_spec *s, const double *parts)
{
    static const char *const names[] = {"Critical", "High", "Medium", "Low"};
    static const double counts[] = {3, 7, 18, 24};
    base_spec(s, CHART_DONUT, 200, 200);
    s->labels = strings(4, names), s->nlabels = 4;
    add_series(s, NULL, 4, parts ? parts : counts, 0);
    s->part_colours = calloc(4, sizeof *s->part_colours);
    s->part_colours[0] = CRITICAL, s->part_colours[1] = HIGH;
    s->part_colours[2] = MEDIUM, s->part_colours[3] = LOW;
    s->centre = strdup("52");
    s->centre_label = strdup("open risks");
}

static void sparkline_spec(struct chart_spec *s)
{
    static const double v[] = {16, 16, 15, 12, 12, 10, 9, 9};
    base_spec(s, CHART_SPARKLINE, 120, 28);
    add_series(s, NULL, 8, v, 0);
}

/* ---- looking at the picture ---------------------------------------------------------------- */

static int render(const struct chart_spec *s, void **png, int *size, char *err, size_t errsize)
{
    err[0] = '\0';
    return chart_render(s, png, size, err, errsize);
}

static gdImagePtr draw(const struct chart_spec *s)
{
    void *png;
    int size;
    char err[256];
    if (render(s, &png, &size, err, sizeof err) != 0) {
        printf("FAIL chart_render: %s\n", err);
        return NULL;
    }
    gdImagePtr im = gdImageCreateFromPngPtr(size, png);
    chart_png_free(png);
    return im;
}

static uint32_t pixel(gdImagePtr im, double x, double y)
{
    int ix = (int)floor(x), iy = (int)floor(y);
    if (ix < 0 || iy < 0 || ix >= gdImageSX(im) || iy >= gdImageSY(im)) return 0x1000000;
    return (uint32_t)gdImageGetTrueColorPixel(im, ix, iy) & 0xffffff;
}

static int channel_diff(uint32_t a, uint32_t b)
{
    int d = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
        int x = abs((int)(a >> shift & 0xff) - (int)(b >> shift & 0xff));
        d = x > d ? x : d;
    }
    return d;
}

static int dark(uint32_t c)
{
    return (c >> 16 & 0xff) < 0x50 && (c >> 8 & 0xff) < 0x50 && (c & 0xff) < 0x50;
}

/* the colour blended toward white as the renderer does for an empty cell */
static uint32_t pale(uint32_t c, double t)
{
    uint32_t out = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
        double v = (c >> shift & 0xff);
        out |= (uint32_t)lround(v + (255 - v) * t) << shift;
    }
    return out;
}

/* Nothing touches the image's outermost pixels: nothing was clipped at the edges */
static int border_clear(gdImagePtr im)
{
    int w = gdImageSX(im), h = gdImageSY(im);
    for (int x = 0; x < w; x++)
        if (pixel(im, x, 0) != WHITE || pixel(im, x, h - 1) != WHITE) return 0;
    for (int y = 0; y < h; y++)
        if (pixel(im, 0, y) != WHITE || pixel(im, w - 1, y) != WHITE) return 0;
    return 1;
}

/* ---- the tests ----------------------------------------------------------------------------- */

static void test_palette_and_font(void)
{
    CHECK(chart_palette[0] == 0x0072B2);
    CHECK(chart_palette[1] == 0xD55E00);
    CHECK(chart_palette[2] == 0x009E73);
    CHECK(chart_palette[3] == 0xE69F00);
    CHECK(chart_palette[4] == 0x56B4E9);
    CHECK(chart_palette[5] == 0xCC79A7);
    CHECK(chart_palette[6] == 0x000000);
    char err[256] = "";
    CHECK(chart_fonts_ready(err, sizeof err) == 0);
    CHECK(chart_fonts_ready(err, sizeof err) == 0); /* found once, still there */
}

static void test_heatmap(void)
{
    struct chart_spec s;
    heatmap_spec(&s, 5, COUNTS_5);
    gdImagePtr im = draw(&s);
    CHECK(im != NULL);
    if (!im) return chart_spec_free(&s);
    CHECK(gdImageSX(im) == 720 && gdImageSY(im) == 720);

    double x55, y55, x45, y45, x54, y54;
    CHECK(chart_locate(&s, 4, 5, &x55, &y55) == 0);
    CHECK(chart_locate(&s, 3, 5, &x45, &y45) == 0);
    CHECK(chart_locate(&s, 4, 4, &x54, &y54) == 0);
    double cell = x55 - x45;
    CHECK(cell > 80 && fabs((y54 - y55) - cell) < 0.01); /* square cells, impact 5 on top */
    CHECK(x55 > x45 && y55 < y54);

    /* 5 x 5 = 25: Critical, exactly, a third of the way up from the centre (clear of the count
     * and of the boundary along the top) */
    CHECK(pixel(im, x55, y55 - cell * 0.3) == CRITICAL);
    /* the count there is white on the dark red */
    int white = 0;
    for (double dx = -cell * 0.2; dx <= cell * 0.2; dx++)
        for (double dy = -cell * 0.15; dy <= cell * 0.15; dy++)
            white += pixel(im, x55 + dx, y55 + dy) == WHITE;
    CHECK(white > 20);

    /* 1 x 1 has no risks: the Low colour made pale; 2 x 1 has three: Low itself */
    double x11, y11, x21, y21;
    CHECK(chart_locate(&s, 0, 1, &x11, &y11) == 0);
    CHECK(chart_locate(&s, 1, 1, &x21, &y21) == 0);
    CHECK(pixel(im, x11, y11) == pale(LOW, 0.75));
    CHECK(pixel(im, x11, y11 - cell * 0.3) == pale(LOW, 0.75));
    CHECK(pixel(im, x21, y21 - cell * 0.3) == LOW);

    /* 3 x 3 = 9 is Medium with its count in ink */
    double x33, y33, x43, y43;
    CHECK(chart_locate(&s, 2, 3, &x33, &y33) == 0);
    CHECK(chart_locate(&s, 3, 3, &x43, &y43) == 0);
    CHECK(pixel(im, x33, y33 - cell * 0.3) == MEDIUM);
    int inked = 0;
    for (double dx = -cell * 0.2; dx <= cell * 0.2; dx++)
        for (double dy = -cell * 0.15; dy <= cell * 0.15; dy++)
            inked += dark(pixel(im, x33 + dx, y33 + dy));
    CHECK(inked > 20);

    /* the appetite boundary: dark on the edge between 3 x 3 (9, within) and 4 x 3 (12, above) */
    double edge = (x33 + x43) / 2;
    CHECK(dark(pixel(im, edge, y33)));
    CHECK(dark(pixel(im, edge, y33 - cell * 0.3)));
    /* and along the top of the grid above 5 x 5, but not between two cells above appetite, nor
     * between two within it */
    CHECK(dark(pixel(im, x55, y55 - cell / 2)));
    CHECK(!dark(pixel(im, (x45 + x55) / 2, y55 + cell * 0.3)));
    CHECK(!dark(pixel(im, (x11 + x21) / 2, y11)));
    CHECK(pixel(im, (x11 + x21) / 2, y11) == WHITE); /* the gap between cells */
    CHECK(border_clear(im));
    gdImageDestroy(im);
    chart_spec_free(&s);
    CHECK(s.counts == NULL && s.x_labels == NULL && s.matrix == 0);

    /* 6 x 6 with "Almost certain" in a narrower column still draws, nothing at the edges */
    heatmap_spec(&s, 6, NULL);
    im = draw(&s);
    CHECK(im && border_clear(im));
    if (im) gdImageDestroy(im);
    chart_spec_free(&s);
}

/* The rows where a horizontal line of exactly `colour` runs across more than a fifth of the
 * image; their middle, or -1 */
static double line_row(gdImagePtr im, uint32_t colour)
{
    double sum = 0;
    int rows = 0;
    for (int y = 0; y < gdImageSY(im); y++) {
        int n = 0;
        for (int x = 0; x < gdImageSX(im); x++)
            n += pixel(im, x, y) == colour;
        if (n > gdImageSX(im) / 5) sum += y + 0.5, rows++;
    }
    return rows ? sum / rows : -1;
}

static void test_line(void)
{
    struct chart_spec s;
    line_spec(&s);
    gdImagePtr im = draw(&s);
    CHECK(im != NULL);
    if (!im) return chart_spec_free(&s);

    /* the appetite line at 9 sits where the axis puts 9 */
    double x, y, y0, y25;
    CHECK(chart_locate(&s, 0, 9, &x, &y) == 0);
    CHECK(chart_locate(&s, 0, 0, &x, &y0) == 0);
    CHECK(chart_locate(&s, 0, 25, &x, &y25) == 0);
    CHECK(fabs(y - (y0 + (y25 - y0) * 9 / 25)) < 0.01); /* a linear axis from 0 to 25 */
    double row = line_row(im, INK);
    CHECK(row > 0 && fabs(row - y) <= 1.0);
    /* the grid has its own light rows and the x-axis line */
    CHECK(line_row(im, GRID) > 0);

    /* each series' latest point is where its value says: 12 and 6 in the last quarter */
    double xl, yl;
    CHECK(chart_locate(&s, 7, 12, &xl, &yl) == 0);
    CHECK(pixel(im, xl, yl) == chart_palette[0]);
    CHECK(chart_locate(&s, 7, 6, &xl, &yl) == 0);
    CHECK(pixel(im, xl, yl) == chart_palette[1]);
    CHECK(pixel(im, xl, yl - 30) != chart_palette[1]);

    /* the residual's missing quarter (index 3) breaks its line: no vermillion in that column */
    double xg, yg;
    CHECK(chart_locate(&s, 3, 10, &xg, &yg) == 0);
    int vermillion = 0;
    for (int yy = 0; yy < gdImageSY(im); yy++)
        vermillion += channel_diff(pixel(im, xg, yy), chart_palette[1]) < 60;
    CHECK(vermillion == 0);
    CHECK(pixel(im, xg, (yg + y) / 2) == WHITE);
    /* ... while the inherent line runs through it */
    CHECK(chart_locate(&s, 3, 16, &xg, &yg) == 0);
    CHECK(pixel(im, xg, yg) == chart_palette[0]);
    CHECK(border_clear(im));
    gdImageDestroy(im);
    chart_spec_free(&s);
}

/* Clusters of text in rows [y0, y1): the gap between neighbouring clusters must be wide, or
 * labels ran into each other. Returns the number of clusters, or -1 on a narrow gap. */
static int label_clusters(gdImagePtr im, int y0, int y1, int min_gap)
{
    int clusters = 0, gap = 1 << 20;
    for (int x = 0; x < gdImageSX(im); x++) {
        int ink = 0;
        for (int y = y0; y < y1 && !ink; y++)
            ink = pixel(im, x, y) != WHITE;
        if (ink) {
            if (gap >= min_gap)
                clusters++;
            else if (gap > 3 && clusters > 0)
                return -1; /* a narrow gap between two words: a collision or crowding */
            gap = 0;
        } else {
            gap++;
        }
    }
    return clusters;
}

static void test_line_many_labels(void)
{
    /* forty weekly dates on a 640 px chart: thinned, never overlapping, nothing clipped */
    struct chart_spec s;
    base_spec(&s, CHART_LINE, 640, 240);
    char *labels[40];
    double v[40];
    for (int i = 0; i < 40; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "2026-%02d-%02d", 1 + i / 4, 1 + 7 * (i % 4));
        labels[i] = strdup(buf);
        v[i] = 50 + 30 * sin(i / 5.0);
    }
    s.labels = calloc(40, sizeof *s.labels);
    memcpy(s.labels, labels, sizeof labels);
    s.nlabels = 40;
    add_series(&s, "Availability", 40, v, 0);
    s.unit = strdup("%");
    gdImagePtr im = draw(&s);
    CHECK(im != NULL);
    if (im) {
        double x, y0;
        chart_locate(&s, 0, 0, &x, &y0);
        int clusters = label_clusters(im, (int)y0 + 12, gdImageSY(im), 16);
        CHECK(clusters >= 3 && clusters < 40);
        CHECK(border_clear(im));
        gdImageDestroy(im);
    }
    chart_spec_free(&s);
}

static int is_level(uint32_t c)
{
    return c == LOW || c == MEDIUM || c == HIGH || c == CRITICAL;
}

/* From just above the baseline up: how far the bar's colours go */
static double bar_top(gdImagePtr im, double x, double baseline)
{
    double y = baseline - 4;
    while (y > 0 && is_level(pixel(im, x, y)))
        y--;
    return y + 1;
}

static void test_bar(void)
{
    struct chart_spec s;
    stacked_spec(&s, 0);
    gdImagePtr im = draw(&s);
    CHECK(im != NULL);
    if (!im) return chart_spec_free(&s);
    /* quarter 1 stacks to 25, quarter 8 to 26: the bar ends where the total says */
    double x0, base, x7, top0, top7, y;
    CHECK(chart_locate(&s, 0, 0, &x0, &base) == 0);
    CHECK(chart_locate(&s, 0, 25, &x0, &top0) == 0);
    CHECK(chart_locate(&s, 7, 26, &x7, &top7) == 0);
    CHECK(fabs(bar_top(im, x0, base) - top0) <= 1.0);
    CHECK(fabs(bar_top(im, x7, base) - top7) <= 1.0);
    /* the height is the sum: 26/25 of the first, as measured on the picture */
    double h0 = base - bar_top(im, x0, base), h7 = base - bar_top(im, x7, base);
    CHECK(fabs(h7 / h0 - 26.0 / 25.0) < 0.02);
    /* segments in series order from the baseline: Low (10) then Medium (8) ... */
    CHECK(chart_locate(&s, 0, 5, &x0, &y) == 0);
    CHECK(pixel(im, x0, y) == LOW);
    CHECK(chart_locate(&s, 0, 14, &x0, &y) == 0);
    CHECK(pixel(im, x0, y) == MEDIUM);
    CHECK(chart_locate(&s, 0, 24, &x0, &y) == 0);
    CHECK(pixel(im, x0, y) == CRITICAL);
    CHECK(border_clear(im));
    gdImageDestroy(im);
    chart_spec_free(&s);

    /* horizontal: the longest bar (9) ends where 9 lands, its label after it */
    horizontal_spec(&s);
    im = draw(&s);
    CHECK(im != NULL);
    if (im) {
        double xe, ye, xz, yz;
        CHECK(chart_locate(&s, 0, 9, &xe, &ye) == 0);
        CHECK(chart_locate(&s, 0, 0, &xz, &yz) == 0);
        CHECK(xe > xz && fabs(ye - yz) < 0.01);
        CHECK(pixel(im, xe - 2, ye) == chart_palette[0]);
        CHECK(pixel(im, xe + 2, ye) != chart_palette[0]);
        CHECK(pixel(im, (xe + xz) / 2, ye) == chart_palette[0]);
        CHECK(border_clear(im));
        gdImageDestroy(im);
    }
    chart_spec_free(&s);
}

static void test_sparkline_donut_empty(void)
{
    struct chart_spec s;
    sparkline_spec(&s);
    gdImagePtr im = draw(&s);
    CHECK(im != NULL);
    if (im) {
        double x, y;
        CHECK(chart_locate(&s, 7, 9, &x, &y) == 0);
        CHECK(pixel(im, x, y) == chart_palette[0]);
        CHECK(pixel(im, x + 3, y) == chart_palette[0]); /* a dot, wider than the line */
        CHECK(border_clear(im));
        gdImageDestroy(im);
    }
    chart_spec_free(&s);

    donut_spec(&s, NULL);
    im = draw(&s);
    CHECK(im != NULL);
    if (im) {
        /* the ring starts at twelve o'clock with the first part (Critical), the hole is white */
        int w = gdImageSX(im);
        double outer = w / 2.0 - 16, r = outer * (1 + 0.62) / 2;
        double a = 2 * M_PI * 1.5 / 52; /* the middle of the first part */
        CHECK(pixel(im, w / 2.0 + r * sin(a), w / 2.0 - r * cos(a)) == CRITICAL);
        a = 2 * M_PI * (28 + 12) / 52.0; /* the middle of the last (Low) */
        CHECK(pixel(im, w / 2.0 + r * sin(a), w / 2.0 - r * cos(a)) == LOW);
        CHECK(pixel(im, w / 2.0 + outer * 0.45, w / 2.0) == WHITE);
        CHECK(border_clear(im));
        gdImageDestroy(im);
    }
    chart_spec_free(&s);

    /* empty: the message, and no axis line (no long run of one colour in any row) */
    line_spec(&s);
    s.empty = 1;
    im = draw(&s);
    CHECK(im != NULL);
    if (im) {
        int longest = 0, text = 0;
        for (int y = 0; y < gdImageSY(im); y++)
            for (int x = 0, run = 0; x < gdImageSX(im); x++) {
                uint32_t p = pixel(im, x, y);
                run = p != WHITE ? run + 1 : 0;
                longest = run > longest ? run : longest;
                text += p != WHITE;
            }
        CHECK(longest < 40);
        CHECK(text > 100);
        CHECK(line_row(im, 0x8c959f) < 0 && line_row(im, GRID) < 0);
        gdImageDestroy(im);
    }
    double x, y;
    CHECK(chart_locate(&s, 0, 1, &x, &y) == -1);
    chart_spec_free(&s);

    /* a donut of zeros and a line of gaps are drawn as empty, not refused */
    static const double zeros[] = {0, 0, 0, 0};
    donut_spec(&s, zeros);
    void *png;
    int size;
    char err[256];
    CHECK(render(&s, &png, &size, err, sizeof err) == 0);
    if (err[0] == '\0') chart_png_free(png);
    chart_spec_free(&s);
}

static void check_refused(const struct chart_spec *s, const char *field)
{
    void *png = (void *)1;
    int size = 1;
    char err[256] = "";
    CHECK(chart_render(s, &png, &size, err, sizeof err) == -1);
    CHECK(png == NULL && size == 0);
    CHECK_CONTAINS(err, field);
}

static void test_refusals(void)
{
    struct chart_spec s;
    char err[256] = "";
    void *png;
    int size;
    CHECK(chart_render(NULL, &png, &size, err, sizeof err) == -1);

    line_spec(&s);
    s.width = 10;
    check_refused(&s, "width");
    s.width = 640, s.height = 4001;
    check_refused(&s, "height");
    s.height = 1, s.width = 1;
    check_refused(&s, "width");
    s.width = 640, s.height = 240, s.scale = 0;
    check_refused(&s, "scale");
    s.scale = 5;
    check_refused(&s, "scale");
    s.scale = 2;
    s.series[1].values[2] = INFINITY;
    check_refused(&s, "series[2][3] is inf");
    s.series[1].values[2] = -INFINITY;
    check_refused(&s, "-inf");
    s.series[1].values[2] = 10;
    s.series[1].n = 7;
    check_refused(&s, "series[2] has 7 values for 8 labels");
    s.series[1].n = 8;
    s.has_target = 1, s.target = NAN;
    check_refused(&s, "target");
    s.target = 9;
    s.has_y_min = 1, s.y_min = 30;
    check_refused(&s, "y_min");
    s.has_y_min = 0;
    int n = s.nseries;
    s.nseries = 0;
    check_refused(&s, "series: none");
    s.nseries = n;
    char **labels = s.labels;
    s.labels = NULL;
    check_refused(&s, "labels");
    s.labels = labels;
    double *values = s.series[0].values;
    s.series[0].values = NULL;
    check_refused(&s, "series[1].values");
    s.series[0].values = values;
    s.kind = (enum chart_kind)42;
    check_refused(&s, "kind");
    s.kind = CHART_LINE;
    double x, y;
    CHECK(chart_locate(&s, 8, 1, &x, &y) == -1); /* past the last category */
    CHECK(chart_locate(&s, 7, 1, &x, &y) == 0);
    chart_spec_free(&s);

    static const double negative[] = {3, -1, 2, 4};
    donut_spec(&s, negative);
    check_refused(&s, "negative");
    chart_spec_free(&s);

    heatmap_spec(&s, 5, COUNTS_5);
    s.matrix = 7;
    check_refused(&s, "matrix");
    s.matrix = 2;
    check_refused(&s, "matrix");
    s.matrix = 5;
    int *counts = s.counts;
    s.counts = NULL;
    check_refused(&s, "counts");
    s.counts = counts;
    s.counts[3] = -2;
    check_refused(&s, "counts[4]");
    s.counts[3] = 0;
    char **xl = s.x_labels;
    s.x_labels = NULL;
    check_refused(&s, "x_labels");
    s.x_labels = xl;
    chart_spec_free(&s);

    sparkline_spec(&s);
    s.series[0].values[7] = INFINITY;
    check_refused(&s, "series[1][8]");
    chart_spec_free(&s);
}

/* ---- determinism, threads, speed ------------------------------------------------------------ */

struct job {
    void *png;
    int size, rc;
};

static void *render_job(void *arg)
{
    struct job *job = arg;
    struct chart_spec s;
    char err[256];
    line_spec(&s);
    for (int i = 0; i < 5 && job->rc == 0; i++) {
        if (job->png) chart_png_free(job->png);
        job->rc = chart_render(&s, &job->png, &job->size, err, sizeof err);
    }
    chart_spec_free(&s);
    return NULL;
}

static void test_determinism(void)
{
    struct chart_spec s;
    line_spec(&s);
    void *a, *b;
    int na, nb;
    char err[256];
    CHECK(chart_render(&s, &a, &na, err, sizeof err) == 0);
    CHECK(chart_render(&s, &b, &nb, err, sizeof err) == 0);
    CHECK(na == nb && memcmp(a, b, (size_t)na) == 0);

    /* four threads drawing at once give the same bytes */
    pthread_t threads[4];
    struct job jobs[4];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, render_job, &jobs[i]);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK(jobs[i].rc == 0 && jobs[i].size == na && memcmp(jobs[i].png, a, (size_t)na) == 0);
        chart_png_free(jobs[i].png);
    }

    /* the per-risk trend chart is drawn for every risk: print what one costs */
    struct timespec t0, t1;
    const int rounds = 40;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < rounds; i++) {
        void *p;
        int n;
        if (chart_render(&s, &p, &n, err, sizeof err) == 0) chart_png_free(p);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6) / rounds;
    printf("chart: 640x240 line chart at 2x: %.2f ms to draw and encode (%d bytes)\n", ms, na);
    chart_png_free(a);
    chart_png_free(b);
    chart_spec_free(&s);
}

/* ---- reference images ----------------------------------------------------------------------- */

static int write_file(const char *path, const void *data, int size)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    int ok = fwrite(data, 1, (size_t)size, f) == (size_t)size;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static void *read_file(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *data = NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (*size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        data = malloc((size_t)*size + 1);
        if (data && fread(data, 1, (size_t)*size, f) != (size_t)*size) free(data), data = NULL;
    }
    fclose(f);
    return data;
}

/* Draw the spec and compare it with tests/data/charts/NAME.png, or write that file when
 * CHART_REFERENCE_WRITE=1 (make charts-reference) */
static void check_reference(const char *name, struct chart_spec *s)
{
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/%s.png", REFERENCE_DIR, name);
    void *png;
    int size;
    int rc = chart_render(s, &png, &size, err, sizeof err);
    CHECK(rc == 0);
    chart_spec_free(s);
    if (rc != 0) return;
    const char *write = getenv("CHART_REFERENCE_WRITE");
    if (write && strcmp(write, "1") == 0) {
        CHECK(write_file(path, png, size) == 0);
        printf("chart: wrote %s\n", path);
    } else {
        long want_size = 0;
        void *want = read_file(path, &want_size);
        int same = want && want_size == size && memcmp(want, png, (size_t)size) == 0;
        if (!same)
            printf("FAIL %s: the %s chart differs from its reference image (%s). Look at both "
                   "pictures; if the new one is right, run `make charts-reference` on purpose.\n",
                   __FILE__, name, want ? path : "missing");
        CHECK(same);
        free(want);
    }
    chart_png_free(png);
}

static void test_references(void)
{
    struct chart_spec s;
    heatmap_spec(&s, 5, COUNTS_5);
    check_reference("heatmap", &s);
    heatmap_spec(&s, 6, NULL);
    check_reference("heatmap-6x6", &s);
    line_spec(&s);
    check_reference("line", &s);
    line_legend_spec(&s);
    check_reference("line-legend", &s);
    bar_spec(&s);
    check_reference("bar", &s);
    stacked_spec(&s, 1);
    check_reference("bar-stacked", &s);
    horizontal_spec(&s);
    check_reference("bar-horizontal", &s);
    donut_spec(&s, NULL);
    check_reference("donut", &s);
    sparkline_spec(&s);
    check_reference("sparkline", &s);
    line_spec(&s);
    s.empty = 1;
    check_reference("empty", &s);
}

int main(void)
{
    test_palette_and_font();
    test_heatmap();
    test_line();
    test_line_many_labels();
    test_bar();
    test_sparkline_donut_empty();
    test_refusals();
    test_determinism();
    test_references();
    return unit_report();
}
