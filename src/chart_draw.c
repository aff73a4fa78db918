/* chart_draw.c - the primitives every chart kind draws with: text measured before it is
 * placed, anti-aliased shapes drawn by coverage, value axes at round numbers, category labels
 * thinned or wrapped so they never collide, the legend. */
#include "chart_draw.h"
#include "chart_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One look for every chart (LOOK.md): CSS px and 0xRRGGBB. */
const struct chart_layout chart_layout = {
    .pad = 8,
    .tick = {11, 0},
    .label = {13, 0},
    .small = {9, 0},
    .count = {20, 1},
    .count_min = {11, 1},
    .centre = {30, 1},
    .line_height = 1.3,
    .tick_len = 4,
    .tick_gap = 6,
    .label_gap = 6,
    .label_min_gap = 8,
    .tick_spacing = 36,
    .tick_spacing_x = 72,
    .plot_inset = 12,
    .grid_width = 1,
    .axis_width = 1,
    .line_width = 2,
    .marker_radius = 3,
    .marker_halo = 1.5,
    .ref_width = 1.5,
    .dash = 5,
    .dash_gap = 4,
    .band_tint = 0.88,
    .swatch = 10,
    .swatch_line = 18,
    .swatch_gap = 6,
    .legend_gap = 16,
    .bar_fill = 0.72,
    .bar_max = 56,
    .bar_gap = 2,
    .value_inset = 3,
    .side_max = 0.34,
    .cell_gap = 2,
    .boundary_width = 3,
    .pale = 0.75,
    .count_share = 0.34,
    .donut_hole = 0.62,
    .separator = 2,
    .hole_pad = 6,
    .spark_width = 1.5,
    .spark_dot = 2.5,
    .side_wrap = 0.2,
    .leader_width = 1,
    .leader_room = 12,
    .background = 0xffffff,
    .text = 0x57606a,
    .ink = 0x1f2328,
    .grid = 0xe6e6e6,
    .axis = 0x8c959f,
    .white = 0xffffff,
    .extra = 0x8c959f,
};

static const char ELLIPSIS[] = "\xe2\x80\xa6"; /* … */
static const char MINUS[] = "\xe2\x88\x92";    /* − */

/* ---- colour -------------------------------------------------------------------------------- */

static int red(uint32_t c)
{
    return (int)(c >> 16 & 0xff);
}
static int green(uint32_t c)
{
    return (int)(c >> 8 & 0xff);
}
static int blue(uint32_t c)
{
    return (int)(c & 0xff);
}

uint32_t chart_colour_mix(uint32_t a, uint32_t b, double t)
{
    int r = (int)lround(red(a) + (red(b) - red(a)) * t);
    int g = (int)lround(green(a) + (green(b) - green(a)) * t);
    int bl = (int)lround(blue(a) + (blue(b) - blue(a)) * t);
    return (uint32_t)(r << 16 | g << 8 | bl);
}

static double linear(int c8)
{
    double c = c8 / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(uint32_t c)
{
    return 0.2126 * linear(red(c)) + 0.7152 * linear(green(c)) + 0.0722 * linear(blue(c));
}

double chart_colour_contrast(uint32_t a, uint32_t b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

uint32_t chart_colour_on(const struct canvas *c, uint32_t background)
{
    uint32_t ink = c->L->ink, white = c->L->white;
    return chart_colour_contrast(ink, background) >= chart_colour_contrast(white, background)
               ? ink
               : white;
}

uint32_t chart_colour_readable(uint32_t rgb, uint32_t background)
{
    /* Okabe-Ito's orange and sky are too light for text on white (AA asks 4.5:1): darken
     * them just enough, keeping the hue that ties the label to its line */
    double t = 0;
    while (t < 1 && chart_colour_contrast(chart_colour_mix(rgb, 0, t), background) < 4.5)
        t += 0.05;
    return chart_colour_mix(rgb, 0, t);
}

uint32_t chart_series_colour(const struct chart_spec *spec, int i)
{
    uint32_t c = spec->series[i].colour & 0xffffff;
    return c ? c : i < 7 ? chart_palette[i] : chart_layout.extra;
}

/* ---- text ---------------------------------------------------------------------------------- */

static double type_points(const struct canvas *c, struct chart_type t)
{
    return t.px * c->s * 72.0 / 96.0; /* libgd renders at 96 dpi */
}

static const char *type_font(const struct canvas *c, struct chart_type t)
{
    return t.bold && c->bold ? c->bold : c->font;
}

static uint64_t memo_key(const char *s, struct chart_type t)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h = (h ^ (uint64_t)lround(t.px * 64)) * 1099511628211ULL;
    h = (h ^ (uint64_t)(t.bold != 0)) * 1099511628211ULL;
    return h ? h : 1;
}

void chart_text_measure(struct canvas *c, struct chart_type t, const char *s, struct text_box *b)
{
    memset(b, 0, sizeof *b);
    if (!s || !*s) return;
    uint64_t key = memo_key(s, t);
    struct text_memo *m = NULL;
    for (int probe = 0; probe < TEXT_MEMO_PROBES; probe++) {
        struct text_memo *slot = &c->memo[(key + (uint64_t)probe) % TEXT_MEMO];
        if (slot->key == key) {
            *b = slot->box;
            return;
        }
        if (!m && slot->key == 0) m = slot;
    }
    if (!m) m = &c->memo[key % TEXT_MEMO]; /* crowded here: replace the first */
    int temporary;
    const char *err = NULL;
    const struct chart_rendered *r =
        chart_text_get(type_font(c, t), type_points(c, t), 0.0, s, &temporary, &err);
    if (!r) {
        if (!c->fail) c->fail = err;
        return;
    }
    b->left = r->corners[0] < r->corners[6] ? r->corners[0] : r->corners[6];
    b->right = r->corners[2] > r->corners[4] ? r->corners[2] : r->corners[4];
    b->top = r->corners[5] < r->corners[7] ? r->corners[5] : r->corners[7];
    b->bottom = r->corners[1] > r->corners[3] ? r->corners[1] : r->corners[3];
    if (temporary) chart_text_release((struct chart_rendered *)r);
    m->key = key;
    m->box = *b;
}

/* Blend a rendered string into the chart with its pen at (ox, oy). */
static void blit(struct canvas *c, const struct chart_rendered *r, int ox, int oy, uint32_t rgb)
{
    for (int y = 0; y < r->h; y++) {
        const unsigned char *cov = r->coverage + (size_t)y * (size_t)r->w;
        for (int x = 0; x < r->w; x++)
            if (cov[x]) chart_blend_pixel(c, ox + r->x + x, oy + r->y + y, rgb, cov[x] / 255.0);
    }
}

static void draw_rendered(struct canvas *c, struct chart_type t, const char *s, double angle,
                          int ox, int oy, uint32_t rgb)
{
    int temporary;
    const char *err = NULL;
    const struct chart_rendered *r =
        chart_text_get(type_font(c, t), type_points(c, t), angle, s, &temporary, &err);
    if (!r) {
        if (!c->fail) c->fail = err;
        return;
    }
    blit(c, r, ox, oy, rgb);
    if (temporary) chart_text_release((struct chart_rendered *)r);
}

double chart_text_width(struct canvas *c, struct chart_type t, const char *s)
{
    struct text_box b;
    chart_text_measure(c, t, s, &b);
    return b.right - b.left;
}

double chart_text_cap(struct canvas *c, struct chart_type t)
{
    struct text_box b;
    chart_text_measure(c, t, "H", &b);
    return -b.top;
}

double chart_text_line(const struct canvas *c, struct chart_type t)
{
    return t.px * c->L->line_height * c->s;
}

void chart_text_draw(struct canvas *c, struct chart_type t, const char *s, double x, double y,
                     enum align a, uint32_t rgb)
{
    if (!c->im || !s || !*s) return;
    struct text_box b;
    chart_text_measure(c, t, s, &b);
    double ox = a == ALIGN_LEFT    ? x - b.left
                : a == ALIGN_RIGHT ? x - b.right
                                   : x - (b.left + b.right) / 2;
    draw_rendered(c, t, s, 0.0, (int)lround(ox), (int)lround(y), rgb);
}

void chart_text_draw_mid(struct canvas *c, struct chart_type t, const char *s, double x, double y,
                         enum align a, uint32_t rgb)
{
    chart_text_draw(c, t, s, x, y + chart_text_cap(c, t) / 2, a, rgb);
}

void chart_text_draw_up(struct canvas *c, struct chart_type t, const char *s, double x, double y,
                        uint32_t rgb)
{
    if (!c->im || !s || !*s) return;
    const double up = M_PI / 2;
    int temporary;
    const char *err = NULL;
    const struct chart_rendered *r =
        chart_text_get(type_font(c, t), type_points(c, t), up, s, &temporary, &err);
    if (!r) {
        if (!c->fail) c->fail = err;
        return;
    }
    int ox = (int)lround(x - (r->box[0] + r->box[2]) / 2.0);
    int oy = (int)lround(y - (r->box[1] + r->box[3]) / 2.0);
    blit(c, r, ox, oy, rgb);
    if (temporary) chart_text_release((struct chart_rendered *)r);
}

/* The length of the longest prefix of s (at most max bytes) that ends on a whole character */
static size_t utf8_prefix(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) return n;
    while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
        max--;
    return max;
}

/* The first len bytes of s, spaces at the end dropped, then an ellipsis */
static void ellipsize(const char *s, size_t len, char *out)
{
    while (len > 0 && s[len - 1] == ' ')
        len--;
    memcpy(out, s, len);
    memcpy(out + len, ELLIPSIS, sizeof ELLIPSIS);
}

int chart_text_fit(struct canvas *c, struct chart_type t, const char *s, double maxw, char *out,
                   size_t size)
{
    if (!s) s = "";
    size_t n = utf8_prefix(s, size - 1);
    memcpy(out, s, n);
    out[n] = '\0';
    if (chart_text_width(c, t, out) <= maxw) return 0;

    /* the most whole characters that still fit with the ellipsis after them */
    size_t limit = utf8_prefix(s, n < size - sizeof ELLIPSIS ? n : size - sizeof ELLIPSIS);
    size_t *cut = malloc((limit + 1) * sizeof *cut);
    char *try = malloc(size);
    int m = 0;
    if (cut && try) {
        for (size_t i = 0; i <= limit; i++)
            if (i == limit || ((unsigned char)s[i] & 0xc0) != 0x80) cut[m++] = i;
        int lo = 0, hi = m - 1; /* cut[lo] fits, or nothing does */
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            ellipsize(s, cut[mid], try);
            if (chart_text_width(c, t, try) <= maxw)
                lo = mid;
            else
                hi = mid - 1;
        }
        ellipsize(s, cut[lo], out);
        if (chart_text_width(c, t, out) > maxw) out[0] = '\0';
    } else {
        out[0] = '\0';
    }
    free(cut), free(try);
    return 1;
}

/* The first n bytes of s split into two lines at the space (run) starting at i: a before it, b
 * after it. 1; 0 when i does not start a run of spaces; -1 when only spaces follow (no later
 * split either). */
static int split_at(const char *s, size_t n, size_t i, char *a, char *b)
{
    if (s[i] != ' ' || s[i - 1] == ' ') return 0;
    size_t j = i;
    while (j < n && s[j] == ' ')
        j++;
    if (j == n) return -1;
    memcpy(a, s, i);
    a[i] = '\0';
    memcpy(b, s + j, n - j);
    b[n - j] = '\0';
    return 1;
}

double chart_text_split(struct canvas *c, struct chart_type t, const char *s, char *l1, char *l2,
                        size_t size)
{
    double best = -1;
    size_t n = utf8_prefix(s ? s : "", size - 1);
    char *a = malloc(size), *b = malloc(size);
    if (!a || !b) {
        free(a), free(b);
        return -1;
    }
    for (size_t i = 1; i + 1 < n; i++) {
        int split = split_at(s, n, i, a, b);
        if (split < 0) break;
        if (split == 0) continue;
        double w = fmax(chart_text_width(c, t, a), chart_text_width(c, t, b));
        if (best < 0 || w < best) {
            best = w;
            memcpy(l1, a, i + 1);
            memcpy(l2, b, strlen(b) + 1);
        }
    }
    free(a), free(b);
    return best;
}

int chart_text_wrap2(struct canvas *c, struct chart_type t, const char *s, double maxw,
                     char l1[LABEL_MAX], char l2[LABEL_MAX], int *cut)
{
    if (cut) *cut = 0;
    l2[0] = '\0';
    if (!s) s = "";
    size_t n = utf8_prefix(s, LABEL_MAX - 1);
    memcpy(l1, s, n);
    l1[n] = '\0';
    if (chart_text_width(c, t, l1) <= maxw) return 1;

    /* every split at a space: the most even that fits, else the fullest first line */
    char a[LABEL_MAX], b[LABEL_MAX];
    double best = INFINITY;
    size_t even = 0, full = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        int split = split_at(s, n, i, a, b);
        if (split < 0) break;
        if (split == 0) continue;
        double wa = chart_text_width(c, t, a), wb = chart_text_width(c, t, b);
        if (wa > maxw) break; /* the first line only grows from here */
        full = i;
        if (wb <= maxw && fmax(wa, wb) < best) best = fmax(wa, wb), even = i;
    }
    size_t at = even ? even : full;
    if (!at) { /* not even the first word fits: one line, cut */
        if (cut) *cut = 1;
        chart_text_fit(c, t, s, maxw, l1, LABEL_MAX);
        return 1;
    }
    split_at(s, n, at, l1, b);
    int was_cut = chart_text_fit(c, t, b, maxw, l2, LABEL_MAX);
    if (cut) *cut = was_cut;
    return 2;
}

/* ---- shapes -------------------------------------------------------------------------------- */

static void put_span(struct canvas *c, int y, int x0, int x1, uint32_t rgb)
{
    int *row = c->im->tpixels[y];
    for (int x = x0; x < x1; x++)
        row[x] = (int)(rgb & 0xffffff);
}

void chart_fill_background(struct canvas *c)
{
    if (!c->im || gdImageSY(c->im) == 0) return;
    put_span(c, 0, 0, gdImageSX(c->im), c->L->background);
    size_t row = (size_t)gdImageSX(c->im) * sizeof **c->im->tpixels;
    for (int y = 1; y < gdImageSY(c->im);
         y++) /* the first row again: copying is the fastest fill */
        memcpy(c->im->tpixels[y], c->im->tpixels[0], row);
}

static void fill_pixels(struct canvas *c, long x0, long y0, long x1, long y1, uint32_t rgb)
{
    if (!c->im) return;
    long sx = gdImageSX(c->im), sy = gdImageSY(c->im);
    x0 = x0 < 0 ? 0 : x0, y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > sx ? sx : x1, y1 = y1 > sy ? sy : y1;
    for (long y = y0; y < y1; y++)
        put_span(c, (int)y, (int)x0, (int)x1, rgb);
}

void chart_fill_rect(struct canvas *c, double x0, double y0, double x1, double y1, uint32_t rgb)
{
    fill_pixels(c, lround(fmin(x0, x1)), lround(fmin(y0, y1)), lround(fmax(x0, x1)),
                lround(fmax(y0, y1)), rgb);
}

void chart_hline(struct canvas *c, double x0, double x1, double y, double width, uint32_t rgb)
{
    long t = lround(width) < 1 ? 1 : lround(width);
    long top = lround(y - t / 2.0);
    fill_pixels(c, lround(x0), top, lround(x1), top + t, rgb);
}

void chart_vline(struct canvas *c, double x, double y0, double y1, double width, uint32_t rgb)
{
    long t = lround(width) < 1 ? 1 : lround(width);
    long left = lround(x - t / 2.0);
    fill_pixels(c, left, lround(y0), left + t, lround(y1), rgb);
}

void chart_hline_dashed(struct canvas *c, double x0, double x1, double y, double width, double dash,
                        double gap, uint32_t rgb)
{
    if (dash <= 0) return;
    for (double x = x0; x < x1; x += dash + gap)
        chart_hline(c, x, fmin(x + dash, x1), y, width, rgb);
}

/* rgb over the pixel at x, y with an opacity of a/255 (the pixel is in the picture) */
static inline void blend_alpha(struct canvas *c, int x, int y, uint32_t rgb, int a)
{
    int *p = &c->im->tpixels[y][x];
    if (a >= 255) {
        *p = (int)(rgb & 0xffffff);
        return;
    }
    uint32_t d = (uint32_t)*p;
    int r = (red(rgb) * a + red(d) * (255 - a) + 127) / 255;
    int g = (green(rgb) * a + green(d) * (255 - a) + 127) / 255;
    int b = (blue(rgb) * a + blue(d) * (255 - a) + 127) / 255;
    *p = r << 16 | g << 8 | b;
}

void chart_blend_pixel(struct canvas *c, int x, int y, uint32_t rgb, double coverage)
{
    if (!c->im || x < 0 || y < 0 || x >= gdImageSX(c->im) || y >= gdImageSY(c->im)) return;
    int a = (int)lround(coverage * 255);
    if (a > 0) blend_alpha(c, x, y, rgb, a);
}

void chart_fill_disc(struct canvas *c, double cx, double cy, double r, uint32_t rgb)
{
    if (!c->im) return;
    int y0 = (int)floor(cy - r - 1), y1 = (int)ceil(cy + r + 1);
    int x0 = (int)floor(cx - r - 1), x1 = (int)ceil(cx + r + 1);
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            double ex = x + 0.5 - cx, ey = y + 0.5 - cy, d = sqrt(ex * ex + ey * ey);
            double a = r + 0.5 - d;
            if (a > 0) chart_blend_pixel(c, x, y, rgb, a > 1 ? 1 : a);
        }
}

/* Coverage of one segment (a capsule of radius r) into the path's coverage mask: the distance
 * from each pixel centre to the segment, over only the pixels a row can reach. */
static void segment_coverage(unsigned char *cov, int ox, int oy, int bw, int bh, double ax,
                             double ay, double bx, double by, double r)
{
    double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy, reach = r + 1;
    int ya = (int)floor(fmin(ay, by) - reach), yb = (int)ceil(fmax(ay, by) + reach);
    ya = ya < oy ? oy : ya, yb = yb > oy + bh - 1 ? oy + bh - 1 : yb;
    for (int y = ya; y <= yb; y++) {
        double py = y + 0.5 - ay;
        double lo = fmin(ax, bx) - reach, hi = fmax(ax, bx) + reach;
        if (fabs(dy) > 1e-9) {
            double xc = ax + py * dx / dy, half = reach * sqrt(len2) / fabs(dy);
            lo = fmax(lo, xc - half), hi = fmin(hi, xc + half);
        }
        int xa = (int)floor(lo), xb = (int)ceil(hi);
        xa = xa < ox ? ox : xa, xb = xb > ox + bw - 1 ? ox + bw - 1 : xb;
        unsigned char *row = cov + (size_t)(y - oy) * (size_t)bw - ox;
        for (int x = xa; x <= xb; x++) {
            double qx = x + 0.5 - ax;
            double t = len2 > 0 ? (qx * dx + py * dy) / len2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            double ex = qx - t * dx, ey = py - t * dy;
            double a = r + 0.5 - sqrt(ex * ex + ey * ey);
            if (a <= 0) continue;
            unsigned char v = (unsigned char)((a > 1 ? 1 : a) * 255 + 0.5); /* a > 0: lround */
            if (row[x] < v) row[x] = v;
        }
    }
}

void chart_stroke_path(struct canvas *c, const double *xs, const double *ys, int n, double width,
                       uint32_t rgb)
{
    if (!c->im || n < 1) return;
    double r = width / 2, reach = r + 2;
    double bx0 = xs[0], bx1 = xs[0], by0 = ys[0], by1 = ys[0];
    for (int i = 1; i < n; i++) {
        bx0 = fmin(bx0, xs[i]), bx1 = fmax(bx1, xs[i]);
        by0 = fmin(by0, ys[i]), by1 = fmax(by1, ys[i]);
    }
    int x0 = (int)fmax(0, floor(bx0 - reach)), x1 = (int)fmin(gdImageSX(c->im), ceil(bx1 + reach));
    int y0 = (int)fmax(0, floor(by0 - reach)), y1 = (int)fmin(gdImageSY(c->im), ceil(by1 + reach));
    if (x1 <= x0 || y1 <= y0) return;
    int bw = x1 - x0, bh = y1 - y0;
    /* one mask for the whole path, so joins are not blended twice */
    unsigned char *cov = calloc((size_t)bw * (size_t)bh, 1);
    if (!cov) {
        if (!c->fail) c->fail = "out of memory";
        return;
    }
    if (n == 1) segment_coverage(cov, x0, y0, bw, bh, xs[0], ys[0], xs[0], ys[0], r);
    for (int i = 0; i + 1 < n; i++)
        segment_coverage(cov, x0, y0, bw, bh, xs[i], ys[i], xs[i + 1], ys[i + 1], r);
    for (int y = 0; y < bh; y++) {
        const unsigned char *row = cov + (size_t)y * (size_t)bw;
        for (int x = 0; x < bw; x++)
            if (row[x]) blend_alpha(c, x0 + x, y0 + y, rgb, row[x]); /* x0, y0 are in the picture */
    }
    free(cov);
}

/* ---- value axes ---------------------------------------------------------------------------- */

/* The round number (1, 2 or 5 times a power of ten) at or above raw */
static double nice_step(double raw)
{
    if (!(raw > 0) || !isfinite(raw)) return 1;
    double e = pow(10, floor(log10(raw)));
    double f = raw / e;
    return (f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10) * e;
}

void chart_axis_fit(struct value_axis *a, const struct chart_spec *spec, double dmin, double dmax,
                    int integral, double length, double spacing)
{
    int has_lo = spec->has_y_min, has_hi = spec->has_y_max;
    double lo = has_lo ? spec->y_min : fmin(0, dmin);
    double hi = has_hi ? spec->y_max : fmax(0, dmax);
    if (!isfinite(lo)) lo = 0;
    if (!isfinite(hi)) hi = lo + 1;
    if (hi <= lo) {
        if (has_hi && !has_lo)
            lo = hi - 1;
        else
            hi = lo + 1;
    }
    int intervals = spacing > 0 ? (int)(length / spacing) : 5;
    intervals = intervals < 1 ? 1 : intervals > 10 ? 10 : intervals;
    double step = nice_step((hi - lo) / intervals);
    if (integral && step < 1) step = 1; /* counts: no ticks at 0.5 */
    if (!has_lo) lo = floor(lo / step + 1e-9) * step;
    if (!has_hi) hi = ceil(hi / step - 1e-9) * step;
    if (hi <= lo) hi = lo + step;
    a->lo = lo, a->hi = hi, a->step = step;
    a->decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (a->decimals > 6) a->decimals = 6;
}

double chart_axis_pos(const struct value_axis *a, double v, double p0, double p1)
{
    return p0 + (v - a->lo) / (a->hi - a->lo) * (p1 - p0);
}

int chart_axis_ticks(const struct value_axis *a, double *ticks, int max)
{
    double first = ceil(a->lo / a->step - 1e-9), last = floor(a->hi / a->step + 1e-9);
    int n = 0;
    for (double k = first; k <= last && n < max; k++) {
        double v = k * a->step;
        ticks[n++] = fabs(v) < a->step * 1e-9 ? 0 : v;
    }
    return n;
}

void chart_format_number(double v, int decimals, const char *unit, char *buf, size_t size)
{
    char digits[64], grouped[96];
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v));
    int negative = v < 0 && strspn(digits, "0.") != strlen(digits);

    /* thousands separators from 10,000 up: "2026" stays a year */
    size_t intlen = strcspn(digits, ".");
    size_t o = 0;
    for (size_t i = 0; digits[i] && o + 2 < sizeof grouped; i++) {
        if (fabs(v) >= 10000 && i > 0 && i < intlen && (intlen - i) % 3 == 0) grouped[o++] = ',';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    snprintf(buf, size, "%s%s%s", negative ? MINUS : "", grouped, unit ? unit : "");
}

int chart_value_decimals(double v)
{
    for (int d = 0; d < 2; d++) {
        double k = v * pow(10, d);
        if (fabs(k - round(k)) < 1e-6 * fmax(1, fabs(k))) return d;
    }
    return 2;
}

/* ---- category labels ----------------------------------------------------------------------- */

/* Do every step-th of these widths, centred pitch apart, keep gap between neighbours? */
static int labels_clear(const double *w, int n, int step, double pitch, double gap)
{
    int prev = -1;
    for (int i = n - 1; i >= 0; i -= step) {
        if (prev >= 0 && (w[i] + w[prev]) / 2 + gap > (prev - i) * pitch) return 0;
        prev = i;
    }
    return 1;
}

void chart_labels_fit(struct canvas *c, struct chart_type t, char *const *labels, int n,
                      double pitch, int may_wrap, struct label_fit *f)
{
    double gap = px(c, c->L->label_min_gap);
    f->type = t, f->step = 1, f->lines = 1, f->maxw = INFINITY, f->pitch = pitch;
    if (n <= 0) return;
    double *w = malloc((size_t)n * sizeof *w);
    if (!w) return;
    for (int i = 0; i < n; i++)
        w[i] = chart_text_width(c, t, labels[i]);
    if (n == 1) {
        if (w[0] > pitch) f->maxw = pitch;
        goto done;
    }
    if (labels_clear(w, n, 1, pitch, gap)) goto done;

    if (may_wrap) { /* category names: two lines, a size smaller, or cut, read better than
                     * every other name */
        char l1[LABEL_MAX], l2[LABEL_MAX];
        int fewest = n + 1;
        struct chart_type best = t;
        for (struct chart_type k = t; k.px >= fmax(c->L->small.px, t.px - 2); k.px -= 0.5) {
            int cuts = 0;
            for (int i = 0; i < n && cuts < fewest; i++) {
                int cut;
                chart_text_wrap2(c, k, labels[i], pitch - gap, l1, l2, &cut);
                cuts += cut;
            }
            if (cuts < fewest) fewest = cuts, best = k;
            if (cuts == 0) break;
        }
        if (fewest == 0 || pitch - gap >= 4 * px(c, t.px)) {
            f->type = best, f->lines = 2, f->maxw = pitch - gap;
            goto done;
        }
    }
    /* a time axis: every other, every third ... label, always keeping the latest */
    for (int step = 2; step < n; step++)
        if (labels_clear(w, n, step, pitch, gap)) {
            f->step = step;
            goto done;
        }
    /* the last resort: labels about four letters apart, cut to fit */
    int step = (int)ceil(4 * px(c, t.px) / pitch);
    f->step = step < 1 ? 1 : step > n - 1 ? n - 1 : step;
    f->maxw = fmax(0, f->step * pitch - gap);
done:
    free(w);
}

int chart_label_shown(const struct label_fit *f, int i, int n)
{
    return (n - 1 - i) % f->step == 0;
}

int chart_label_lines(struct canvas *c, const char *s, const struct label_fit *f,
                      char l1[LABEL_MAX], char l2[LABEL_MAX])
{
    l2[0] = '\0';
    if (f->lines == 2) return chart_text_wrap2(c, f->type, s, f->maxw, l1, l2, NULL);
    chart_text_fit(c, f->type, s, f->maxw, l1, LABEL_MAX);
    return 1;
}

void chart_labels_spread(double *y, const double *h, int n, double lo, double hi)
{
    struct cluster {
        int first, last;
        double top, height;
    } *cl = malloc((size_t)(n > 0 ? n : 1) * sizeof *cl);
    if (!cl) return;
    int k = 0;
    for (int i = 0; i < n; i++) {
        cl[k++] = (struct cluster){i, i, y[i] - h[i] / 2, h[i]};
        for (;;) {
            struct cluster *m = &cl[k - 1];
            /* where the cluster sits best: each label as near its own place as the others let it */
            double sum = 0, off = 0;
            for (int j = m->first; j <= m->last; j++)
                sum += y[j] - off - h[j] / 2, off += h[j];
            m->top = sum / (m->last - m->first + 1);
            m->top = fmax(lo, fmin(m->top, hi - m->height));
            if (k < 2 || cl[k - 2].top + cl[k - 2].height <= m->top) break;
            cl[k - 2].last = m->last; /* it runs into the one above: they move as one */
            cl[k - 2].height += m->height;
            k--;
        }
    }
    for (int i = 0; i < k; i++) {
        double off = cl[i].top;
        for (int j = cl[i].first; j <= cl[i].last; j++)
            y[j] = off + h[j] / 2, off += h[j];
    }
    free(cl);
}

/* ---- legend -------------------------------------------------------------------------------- */

double chart_legend_place(struct canvas *c, double x, double y, double width, int line_swatch)
{
    const struct chart_spec *spec = c->spec;
    const struct chart_layout *L = c->L;
    double row = chart_text_line(c, L->label);
    double sw = px(c, line_swatch ? L->swatch_line : L->swatch);
    double sgap = px(c, L->swatch_gap), igap = px(c, L->legend_gap);
    double cx = x, cy = y;
    for (int i = 0; i < spec->nseries; i++) {
        char name[LABEL_MAX], fallback[32];
        snprintf(fallback, sizeof fallback, "Series %d", i + 1);
        chart_text_fit(c, L->label, spec->series[i].name ? spec->series[i].name : fallback,
                       width - sw - sgap, name, sizeof name);
        double item = sw + sgap + chart_text_width(c, L->label, name);
        if (cx > x && cx + item > x + width) cx = x, cy += row;
        if (c->im) {
            double mid = cy + row / 2;
            uint32_t colour = chart_series_colour(spec, i);
            if (line_swatch) {
                double lx[2] = {cx, cx + sw}, ly[2] = {mid, mid};
                chart_stroke_path(c, lx, ly, 2, px(c, L->line_width), colour);
                chart_fill_disc(c, cx + sw / 2, mid, px(c, L->marker_radius), colour);
            } else {
                chart_fill_rect(c, cx, mid - sw / 2, cx + sw, mid + sw / 2, colour);
            }
            chart_text_draw_mid(c, L->label, name, cx + sw + sgap, mid, ALIGN_LEFT, L->text);
        }
        cx += item + igap;
    }
    return cy + row - y;
}
