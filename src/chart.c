/* chart.c - the chart API: the font found once through fontconfig, every spec checked before it
 * is drawn, the drawing dispatched to its kind, the PNG encoded; and the small kinds drawn
 * here: the donut, the sparkline and the empty chart.
 *
 * A series colour or donut part colour of 0 means "the palette's, in order". */
#include "chart.h"
#include "chart_draw.h"
#include "chart_png.h"

#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* zlib level: charts are flat colour and compress well at once; the time is better spent
 * elsewhere (a trend chart is drawn for every risk) */
#define MIN_SIZE 16
#define MAX_SIZE 4000
#define MAX_PIXELS (16L * 1000 * 1000) /* of the image, after scaling */

const uint32_t chart_palette[7] = {0x0072B2, 0xD55E00, 0x009E73, 0xE69F00,
                                   0x56B4E9, 0xCC79A7, 0x000000};

/* ---- the font ------------------------------------------------------------------------------ */

static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;
static char font_regular[4096], font_bold[4096];
static char fonts_error[256];

/* The file of `family` (regular or bold), when fontconfig has that family itself (not a
 * substitute) and the file can be read */
static int find_font(FcConfig *config, const char *family, int bold, char *path, size_t size)
{
    FcPattern *want = FcPatternCreate();
    if (!want) return -1;
    FcPatternAddString(want, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(want, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(want, FC_SLANT, FC_SLANT_ROMAN);
    FcPatternAddBool(want, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(config, want, FcMatchPattern);
    FcDefaultSubstitute(want);
    FcResult result;
    FcPattern *got = FcFontMatch(config, want, &result);
    FcPatternDestroy(want);
    if (!got) return -1;

    int same = 0, weight = 0;
    FcChar8 *name, *file;
    for (int i = 0; !same && FcPatternGetString(got, FC_FAMILY, i, &name) == FcResultMatch; i++)
        same = strcasecmp((const char *)name, family) == 0;
    int ok = same && FcPatternGetString(got, FC_FILE, 0, &file) == FcResultMatch &&
             FcPatternGetInteger(got, FC_WEIGHT, 0, &weight) == FcResultMatch &&
             (bold ? weight >= FC_WEIGHT_DEMIBOLD
                   : weight > FC_WEIGHT_LIGHT && weight < FC_WEIGHT_DEMIBOLD) &&
             strlen((const char *)file) < size && access((const char *)file, R_OK) == 0;
    if (ok) snprintf(path, size, "%s", (const char *)file);
    FcPatternDestroy(got);
    return ok ? 0 : -1;
}

static void fonts_init(void)
{
    /* libgd's FreeType cache must exist before two threads can draw text */
    if (gdFontCacheSetup() != 0) {
        snprintf(fonts_error, sizeof fonts_error, "cannot start FreeType for chart text");
        return;
    }
    /* a configuration of our own, dropped once the files are known: nothing of fontconfig
     * stays behind, and no one else's use of it can interfere */
    FcConfig *config = FcInitLoadConfigAndFonts();
    if (!config) {
        snprintf(fonts_error, sizeof fonts_error, "cannot start fontconfig to find a chart font");
        return;
    }
    static const char *const families[] = {"DejaVu Sans", "Inter"};
    for (size_t i = 0; i < sizeof families / sizeof *families; i++) {
        if (find_font(config, families[i], 0, font_regular, sizeof font_regular) != 0) continue;
        int br[8];
        if (gdImageStringFT(NULL, br, 0, font_regular, 10, 0, 0, 0, "0") != NULL) continue;
        if (find_font(config, families[i], 1, font_bold, sizeof font_bold) != 0 ||
            gdImageStringFT(NULL, br, 0, font_bold, 10, 0, 0, 0, "0") != NULL)
            snprintf(font_bold, sizeof font_bold, "%s", font_regular);
        FcConfigDestroy(config);
        return;
    }
    FcConfigDestroy(config);
    font_regular[0] = '\0';
    snprintf(fonts_error, sizeof fonts_error,
             "no TrueType font for charts (DejaVu Sans or Inter): install fonts-dejavu-core "
             "(apt-get install fonts-dejavu-core)");
}

int chart_fonts_ready(char *err, size_t errsize)
{
    pthread_once(&fonts_once, fonts_init);
    if (font_regular[0]) return 0;
    if (err && errsize) snprintf(err, errsize, "%s", fonts_error);
    return -1;
}

/* ---- checking a spec ----------------------------------------------------------------------- */

static int fail(char *err, size_t errsize, const char *fmt, ...)
{
    if (err && errsize) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errsize, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static const char *kind_name(enum chart_kind kind)
{
    switch (kind) {
    case CHART_HEATMAP:
        return "heatmap";
    case CHART_LINE:
        return "line";
    case CHART_BAR:
        return "bar";
    case CHART_DONUT:
        return "donut";
    case CHART_SPARKLINE:
        return "sparkline";
    }
    return "?";
}

/* Series k's values: present, n of them, finite (NAN marks a gap where gaps_ok) */
static int check_values(const struct chart_spec *spec, int k, int n, int gaps_ok, char *err,
                        size_t errsize)
{
    const struct chart_series *s = &spec->series[k];
    if (s->n < 1 || s->n > CHART_MAX_POINTS)
        return fail(err, errsize, "series[%d] has %d values (1..%d allowed)", k + 1, s->n,
                    CHART_MAX_POINTS);
    if (n >= 0 && s->n != n)
        return fail(err, errsize, "series[%d] has %d values for %d labels", k + 1, s->n, n);
    if (!s->values) return fail(err, errsize, "series[%d].values is missing", k + 1);
    for (int i = 0; i < s->n; i++) {
        double v = s->values[i];
        if (isnan(v) && !gaps_ok)
            return fail(err, errsize, "series[%d][%d] is not a number", k + 1, i + 1);
        if (isinf(v))
            return fail(err, errsize,
                        "series[%d][%d] is %s: values must be finite (NAN marks a gap)", k + 1,
                        i + 1, v > 0 ? "inf" : "-inf");
    }
    return 0;
}

static int check_strings(char *const *list, int n, const char *field, char *err, size_t errsize)
{
    if (!list) return fail(err, errsize, "%s is missing", field);
    for (int i = 0; i < n; i++)
        if (!list[i]) return fail(err, errsize, "%s[%d] is missing", field, i + 1);
    return 0;
}

static int check_number(int has, double v, const char *field, char *err, size_t errsize)
{
    if (has && !isfinite(v)) return fail(err, errsize, "%s must be a finite number", field);
    return 0;
}

static int check_axis(const struct chart_spec *spec, char *err, size_t errsize)
{
    if (check_number(spec->has_y_min, spec->y_min, "y_min", err, errsize) ||
        check_number(spec->has_y_max, spec->y_max, "y_max", err, errsize))
        return -1;
    if (spec->has_y_min && spec->has_y_max && !(spec->y_min < spec->y_max))
        return fail(err, errsize, "y_min (%g) must be below y_max (%g)", spec->y_min, spec->y_max);
    return 0;
}

static int check_plot(const struct chart_spec *spec, char *err, size_t errsize)
{
    if (spec->nlabels < 1 || spec->nlabels > CHART_MAX_POINTS)
        return fail(err, errsize, "labels: %d given (1..%d allowed)", spec->nlabels,
                    CHART_MAX_POINTS);
    if (check_strings(spec->labels, spec->nlabels, "labels", err, errsize)) return -1;
    for (int k = 0; k < spec->nseries; k++)
        if (check_values(spec, k, spec->nlabels, 1, err, errsize)) return -1;
    if (check_axis(spec, err, errsize)) return -1;
    if (spec->kind == CHART_LINE) {
        if (check_number(spec->has_target, spec->target, "target", err, errsize) ||
            check_number(spec->has_band, spec->band_low, "band_low", err, errsize) ||
            check_number(spec->has_band, spec->band_high, "band_high", err, errsize))
            return -1;
        if (spec->has_band && spec->band_low > spec->band_high)
            return fail(err, errsize, "band_low (%g) is above band_high (%g)", spec->band_low,
                        spec->band_high);
    }
    return 0;
}

static int check_donut(const struct chart_spec *spec, char *err, size_t errsize)
{
    if (check_values(spec, 0, spec->nlabels > 0 ? spec->nlabels : -1, 0, err, errsize)) return -1;
    if (spec->nlabels > 0 && check_strings(spec->labels, spec->nlabels, "labels", err, errsize))
        return -1;
    for (int i = 0; i < spec->series[0].n; i++)
        if (spec->series[0].values[i] < 0)
            return fail(err, errsize,
                        "series[1][%d] is negative (%g): a donut shows parts of a whole", i + 1,
                        spec->series[0].values[i]);
    return 0;
}

static int check_heatmap(const struct chart_spec *spec, char *err, size_t errsize)
{
    int n = spec->matrix;
    if (n < 3 || n > CHART_MAX_MATRIX)
        return fail(err, errsize, "matrix must be 3..%d (got %d)", CHART_MAX_MATRIX, n);
    if (!spec->counts) return fail(err, errsize, "counts is missing");
    if (!spec->cell_colours) return fail(err, errsize, "cell_colours is missing");
    for (int i = 0; i < n * n; i++)
        if (spec->counts[i] < 0)
            return fail(err, errsize, "counts[%d] is negative (%d)", i + 1, spec->counts[i]);
    if (check_strings(spec->x_labels, n, "x_labels", err, errsize) ||
        check_strings(spec->y_labels, n, "y_labels", err, errsize))
        return -1;
    return 0;
}

/* 0 when spec can be drawn, else -1 and a message naming the field */
static int chart_check(const struct chart_spec *spec, char *err, size_t errsize)
{
    if (!spec) return fail(err, errsize, "no chart spec");
    if ((unsigned)spec->kind > CHART_SPARKLINE)
        return fail(err, errsize, "kind %d is not a chart kind", (int)spec->kind);
    if (spec->width < MIN_SIZE || spec->width > MAX_SIZE)
        return fail(err, errsize, "width must be %d..%d CSS px (got %d)", MIN_SIZE, MAX_SIZE,
                    spec->width);
    if (spec->height < MIN_SIZE || spec->height > MAX_SIZE)
        return fail(err, errsize, "height must be %d..%d CSS px (got %d)", MIN_SIZE, MAX_SIZE,
                    spec->height);
    if (spec->scale < 1 || spec->scale > 4)
        return fail(err, errsize, "scale must be 1..4 (got %d)", spec->scale);
    if ((long)spec->width * spec->height * spec->scale * spec->scale > MAX_PIXELS)
        return fail(err, errsize, "%dx%d at scale %d is too large (at most %ld pixels)",
                    spec->width, spec->height, spec->scale, MAX_PIXELS);
    if (spec->empty) return 0; /* nothing else is drawn */

    if (spec->kind == CHART_HEATMAP) return check_heatmap(spec, err, errsize);
    if (spec->nseries < 1)
        return fail(err, errsize, "series: none given (a %s chart needs data)",
                    kind_name(spec->kind));
    if (spec->nseries > CHART_MAX_SERIES)
        return fail(err, errsize, "series: %d given (at most %d)", spec->nseries, CHART_MAX_SERIES);
    switch (spec->kind) {
    case CHART_LINE:
    case CHART_BAR:
        return check_plot(spec, err, errsize);
    case CHART_DONUT:
        return check_donut(spec, err, errsize);
    case CHART_SPARKLINE:
        return check_values(spec, 0, -1, 1, err, errsize) || check_axis(spec, err, errsize) ? -1
                                                                                            : 0;
    case CHART_HEATMAP:
        break;
    }
    return 0;
}

/* Nothing to draw: asked so, or no value at all (all gaps; a donut of zeros) */
static int chart_is_empty(const struct chart_spec *spec)
{
    if (spec->empty) return 1;
    if (spec->kind == CHART_HEATMAP) return 0; /* an all-zero matrix still says something */
    int last = spec->kind == CHART_LINE || spec->kind == CHART_BAR ? spec->nseries : 1;
    double total = 0;
    int any = 0;
    for (int k = 0; k < last; k++)
        for (int i = 0; i < spec->series[k].n; i++)
            if (isfinite(spec->series[k].values[i])) any = 1, total += spec->series[k].values[i];
    return !any || (spec->kind == CHART_DONUT && total <= 0);
}

/* ---- the small kinds ----------------------------------------------------------------------- */

static void draw_empty(struct canvas *c)
{
    const struct chart_layout *L = c->L;
    static const char *const messages[] = {"No data for this period", "No data"};
    double room = fmax(0, c->w - 2 * px(c, L->pad));
    for (size_t m = 0; m < sizeof messages / sizeof *messages; m++)
        for (double size = L->label.px; size >= L->small.px; size -= 1) {
            struct chart_type t = {size, 0};
            if (chart_text_width(c, t, messages[m]) > room) continue;
            chart_text_draw_mid(c, t, messages[m], c->w / 2, c->h / 2, ALIGN_CENTRE, L->text);
            return;
        }
    char cut[LABEL_MAX];
    chart_text_fit(c, L->small, messages[1], room, cut, sizeof cut);
    chart_text_draw_mid(c, L->small, cut, c->w / 2, c->h / 2, ALIGN_CENTRE, L->text);
}

struct spark_geometry {
    double x0, x1, y0, y1, lo, hi;
};

static void spark_layout(struct canvas *c, struct spark_geometry *g)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_series *s = &spec->series[0];
    /* room for the last point's dot (and the line's round end) on every side */
    double inset = px(c, c->L->spark_dot) + 1;
    g->x0 = inset, g->x1 = c->w - inset, g->y0 = inset, g->y1 = c->h - inset;
    g->lo = INFINITY, g->hi = -INFINITY;
    for (int i = 0; i < s->n; i++)
        if (isfinite(s->values[i]))
            g->lo = fmin(g->lo, s->values[i]), g->hi = fmax(g->hi, s->values[i]);
    if (spec->has_y_min) g->lo = spec->y_min;
    if (spec->has_y_max) g->hi = spec->y_max;
    if (!(g->hi > g->lo)) { /* a flat line runs through the middle */
        double mid = isfinite(g->lo) ? g->lo : 0;
        g->lo = mid - 1, g->hi = mid + 1;
    }
}

static double spark_x(const struct spark_geometry *g, int i, int n)
{
    return n == 1 ? (g->x0 + g->x1) / 2 : g->x0 + i * (g->x1 - g->x0) / (n - 1);
}

static double spark_y(const struct spark_geometry *g, double v)
{
    v = fmin(fmax(v, g->lo), g->hi);
    return g->y1 - (v - g->lo) / (g->hi - g->lo) * (g->y1 - g->y0);
}

static void draw_sparkline(struct canvas *c)
{
    const struct chart_series *s = &c->spec->series[0];
    const struct chart_layout *L = c->L;
    struct spark_geometry g;
    spark_layout(c, &g);
    uint32_t colour = chart_series_colour(c->spec, 0);
    double *xs = malloc((size_t)s->n * sizeof *xs), *ys = malloc((size_t)s->n * sizeof *ys);
    if (!xs || !ys) {
        free(xs), free(ys);
        c->fail = "out of memory";
        return;
    }
    int run = 0, last = -1;
    for (int i = 0; i <= s->n; i++) {
        if (i < s->n && isfinite(s->values[i])) {
            xs[run] = spark_x(&g, i, s->n), ys[run] = spark_y(&g, s->values[i]);
            run++, last = i;
        } else if (run > 0) {
            chart_stroke_path(c, xs, ys, run, px(c, L->spark_width), colour);
            run = 0;
        }
    }
    if (last >= 0)
        chart_fill_disc(c, spark_x(&g, last, s->n), spark_y(&g, s->values[last]),
                        px(c, L->spark_dot), colour);
    free(xs), free(ys);
}

static int locate_sparkline(struct canvas *c, int index, double value, double *x, double *y)
{
    struct spark_geometry g;
    spark_layout(c, &g);
    *x = spark_x(&g, index, c->spec->series[0].n);
    *y = spark_y(&g, value);
    return 0;
}

static uint32_t part_colour(const struct chart_spec *spec, int i)
{
    uint32_t c = spec->part_colours ? spec->part_colours[i] & 0xffffff : 0;
    return c ? c : chart_palette[i % 7];
}

/* The number and its label, as large as fits inside the hole of radius r */
static void draw_donut_centre(struct canvas *c, double cx, double cy, double r)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    const char *big = spec->centre && *spec->centre ? spec->centre : NULL;
    const char *small = spec->centre_label && *spec->centre_label ? spec->centre_label : NULL;
    if (!big && !small) return;
    /* shrink the number and its label together until the block fits the hole; the label
     * may take two lines */
    for (int step = 0, steps = 14; step <= steps; step++) {
        double k = 1 - 0.05 * (step / 2);
        struct chart_type tb = {fmax(L->centre.px * k, L->small.px), L->centre.bold};
        struct chart_type ts = {fmax(L->label.px * fmin(1, k + 0.2), L->small.px), 0};
        char l1[LABEL_MAX] = "", l2[LABEL_MAX] = "";
        int lines = 0;
        if (small) {
            lines = 1;
            chart_text_fit(c, ts, small, INFINITY, l1, sizeof l1);
            if (step % 2 == 1 && chart_text_split(c, ts, small, l1, l2, LABEL_MAX) >= 0) lines = 2;
        }
        double capb = big ? chart_text_cap(c, tb) : 0, caps = chart_text_cap(c, ts),
               gap = capb * 0.45;
        double wb = big ? chart_text_width(c, tb, big) : 0;
        double ws = fmax(chart_text_width(c, ts, l1), chart_text_width(c, ts, l2));
        double h =
            capb + (lines ? (big ? gap : 0) + caps + (lines - 1) * chart_text_line(c, ts) : 0);
        double w = fmax(wb, ws);
        if (hypot(w / 2, h / 2) > r && step < steps) continue;
        double top = cy - h / 2;
        if (big) chart_text_draw(c, tb, big, cx, top + capb, ALIGN_CENTRE, L->ink);
        double base = top + capb + (big ? gap : 0) + caps;
        for (int i = 0; i < lines; i++) { /* at the smallest, cut what still does not fit */
            char cut[LABEL_MAX];
            chart_text_fit(c, ts, i ? l2 : l1, 2 * r, cut, sizeof cut);
            chart_text_draw(c, ts, cut, cx, base + i * chart_text_line(c, ts), ALIGN_CENTRE,
                            L->text);
        }
        return;
    }
}

/* Swatch, name and value of each part, one per line, centred on cy. */
static void draw_donut_legend(struct canvas *c, double x, double cy)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_series *s = &spec->series[0];
    const struct chart_layout *L = c->L;
    double row = chart_text_line(c, L->label), cap = chart_text_cap(c, L->label);
    double top = cy - row * s->n / 2 + (row + cap) / 2;
    double maxw = c->w - x - px(c, L->pad) - cap * 1.6;
    for (int i = 0; i < s->n; i++) {
        double base = top + i * row;
        chart_fill_rect(c, x, base - cap, x + cap, base, part_colour(spec, i));
        char value[48], text[LABEL_MAX + 48], fitted[LABEL_MAX + 48];
        chart_format_number(s->values[i], chart_value_decimals(s->values[i]), NULL, value,
                            sizeof value);
        snprintf(text, sizeof text, "%s %s",
                 i < spec->nlabels && spec->labels ? spec->labels[i] : "", value);
        chart_text_fit(c, L->label, text, maxw, fitted, sizeof fitted);
        chart_text_draw(c, L->label, fitted, x + cap * 1.6, base, ALIGN_LEFT, L->text);
    }
}

static void draw_donut(struct canvas *c)
{
    const struct chart_series *s = &c->spec->series[0];
    const struct chart_layout *L = c->L;
    int n = s->n;
    double *cum = malloc((size_t)(n + 1) * sizeof *cum);
    if (!cum) {
        c->fail = "out of memory";
        return;
    }
    cum[0] = 0;
    for (int i = 0; i < n; i++)
        cum[i + 1] = cum[i] + s->values[i];
    double total = cum[n];
    /* wide enough: the ring on the left, a legend naming each part on the right, so that the
     * parts do not depend on colour alone */
    int legend = c->w > c->h * 1.4;
    double cx = legend ? c->h / 2 : c->w / 2, cy = c->h / 2;
    double R = fmin(legend ? c->h : c->w, c->h) / 2 - px(c, L->pad), r = R * L->donut_hole;
    if (legend) draw_donut_legend(c, c->h + px(c, L->pad), cy);

    /* each pixel of the ring takes its part's colour; the ring's edges are anti-aliased */
    for (int y = (int)floor(cy - R - 1); y <= (int)ceil(cy + R + 1); y++)
        for (int x = (int)floor(cx - R - 1); x <= (int)ceil(cx + R + 1); x++) {
            double dx = x + 0.5 - cx, dy = y + 0.5 - cy, d = hypot(dx, dy);
            double a = fmin(R + 0.5 - d, d - r + 0.5);
            if (a <= 0) continue;
            double t = atan2(dx, -dy) / (2 * M_PI); /* clockwise from twelve o'clock */
            double v = (t < 0 ? t + 1 : t) * total;
            int lo = 0, hi = n - 1; /* the last part starting at or before v */
            while (lo < hi) {
                int mid = (lo + hi + 1) / 2;
                if (cum[mid] <= v)
                    lo = mid;
                else
                    hi = mid - 1;
            }
            chart_blend_pixel(c, x, y, part_colour(c->spec, lo), fmin(a, 1));
        }
    /* thin white separators where one part meets the next */
    int parts = 0;
    for (int i = 0; i < n; i++)
        parts += s->values[i] > 0;
    for (int i = 0; parts > 1 && i < n; i++) {
        if (!(s->values[i] > 0)) continue;
        double t = cum[i] / total * 2 * M_PI, sx = sin(t), sy = -cos(t);
        double xs[2] = {cx + sx * (r - 2), cx + sx * (R + 2)};
        double ys[2] = {cy + sy * (r - 2), cy + sy * (R + 2)};
        chart_stroke_path(c, xs, ys, 2, px(c, L->separator), L->background);
    }
    free(cum);
    draw_donut_centre(c, cx, cy, r - px(c, L->hole_pad));
}

/* ---- drawing ------------------------------------------------------------------------------- */

static void canvas_open(struct canvas *c, const struct chart_spec *spec)
{
    memset(c, 0, sizeof *c);
    c->spec = spec;
    c->L = &chart_layout;
    c->s = spec->scale;
    c->w = (double)spec->width * spec->scale;
    c->h = (double)spec->height * spec->scale;
    c->font = font_regular;
    c->bold = font_bold[0] ? font_bold : font_regular;
}

int chart_validate(const struct chart_spec *spec, char *err, size_t errsize)
{
    return chart_check(spec, err, errsize);
}

int chart_render(const struct chart_spec *spec, void **png, int *size, char *err, size_t errsize)
{
    if (!png || !size) return fail(err, errsize, "chart_render: nowhere to put the PNG");
    *png = NULL, *size = 0;
    if (chart_check(spec, err, errsize) || chart_fonts_ready(err, errsize)) return -1;

    struct canvas c;
    canvas_open(&c, spec);
    c.im = gdImageCreateTrueColor((int)c.w, (int)c.h);
    if (!c.im) return fail(err, errsize, "out of memory for a %dx%d chart", (int)c.w, (int)c.h);
    gdImageAlphaBlending(c.im, 1);
    gdImageSaveAlpha(c.im, 0);
    chart_fill_background(&c);
    if (chart_is_empty(spec))
        draw_empty(&c);
    else
        switch (spec->kind) {
        case CHART_HEATMAP:
            chart_draw_heatmap(&c);
            break;
        case CHART_LINE:
            chart_draw_line(&c);
            break;
        case CHART_BAR:
            chart_draw_bar(&c);
            break;
        case CHART_DONUT:
            draw_donut(&c);
            break;
        case CHART_SPARKLINE:
            draw_sparkline(&c);
            break;
        }
    if (c.fail) {
        gdImageDestroy(c.im);
        return fail(err, errsize, "cannot draw the %s chart: %s", kind_name(spec->kind), c.fail);
    }
    int rc = chart_png_encode(c.im, png, size);
    gdImageDestroy(c.im);
    if (rc != 0)
        return fail(err, errsize, "cannot encode the %s chart as PNG", kind_name(spec->kind));
    return 0;
}

void chart_png_free(void *png)
{
    free(png);
}

int chart_locate(const struct chart_spec *spec, int index, double value, double *x, double *y)
{
    char err[256];
    if (!x || !y || chart_check(spec, err, sizeof err) || chart_fonts_ready(err, sizeof err) ||
        chart_is_empty(spec))
        return -1;
    struct canvas c;
    canvas_open(&c, spec);
    switch (spec->kind) {
    case CHART_LINE:
    case CHART_BAR:
        if (index < 0 || index >= spec->nlabels) return -1;
        return spec->kind == CHART_LINE ? chart_locate_line(&c, index, value, x, y)
                                        : chart_locate_bar(&c, index, value, x, y);
    case CHART_SPARKLINE:
        if (index < 0 || index >= spec->series[0].n) return -1;
        return locate_sparkline(&c, index, value, x, y);
    case CHART_HEATMAP:
        if (index < 0 || index >= spec->matrix || value < 1 || value > spec->matrix) return -1;
        return chart_locate_heatmap(&c, index + 1, (int)value, x, y);
    case CHART_DONUT:
        break;
    }
    return -1;
}

/* ---- freeing ------------------------------------------------------------------------------- */

static void free_strings(char **list, int n)
{
    if (!list) return;
    for (int i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void chart_spec_free(struct chart_spec *spec)
{
    if (!spec) return;
    free_strings(spec->labels, spec->nlabels);
    for (int k = 0; k < CHART_MAX_SERIES; k++) { /* slots past nseries are NULL or owned */
        free(spec->series[k].name);
        free(spec->series[k].values);
    }
    free(spec->part_colours);
    free(spec->target_label);
    free(spec->unit);
    free(spec->centre);
    free(spec->centre_label);
    free(spec->counts);
    free(spec->cell_colours);
    free(spec->above);
    free_strings(spec->x_labels, spec->matrix > 0 ? spec->matrix : 0);
    free_strings(spec->y_labels, spec->matrix > 0 ? spec->matrix : 0);
    free(spec->x_title);
    free(spec->y_title);
    memset(spec, 0, sizeof *spec);
}
