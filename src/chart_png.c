/* chart_png.c - charts to PNG, fast: libgd's encoder tries every row filter on every row, which
 * costs more than drawing the chart. A chart has few colours (flat fills, lines, text, and the
 * anti-aliased steps between them), so each channel is snapped to 16 levels and, when the
 * picture then has at most 256 colours, it is written as an 8-bit palette image without filters;
 * otherwise as plain RGB. The same picture always gives the same bytes. */
#define _GNU_SOURCE /* qsort_r */
#include "chart_png.h"

#include <png.h>
#include <zlib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct out {
    unsigned char *data;
    size_t len, cap;
    int failed;
};

static void write_bytes(png_structp png, png_bytep bytes, png_size_t n)
{
    struct out *o = png_get_io_ptr(png);
    if (o->failed) return;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 65536;
        while (cap < o->len + n) cap *= 2;
        unsigned char *p = realloc(o->data, cap);
        if (!p) {
            o->failed = 1;
            return;
        }
        o->data = p;
        o->cap = cap;
    }
    memcpy(o->data + o->len, bytes, n);
    o->len += n;
}

static void flush_nothing(png_structp png)
{
    (void)png;
}

/* 0..255 to the nearest of 16 levels, as 0..15 */
static inline unsigned level16(unsigned v)
{
    return (v * 15 + 127) / 255;
}

/* The colours of a picture, counted: an open-addressing table keyed by 0xRRGGBB. */
#define COLOUR_SLOTS 8192
#define MAX_COLOURS 4096 /* beyond this the picture is rich: plain RGB */
#define EXACT_KEPT 128   /* when snapping, the most frequent colours stay exact */

struct colours {
    unsigned key[COLOUR_SLOTS]; /* colour + 1; 0 is empty */
    unsigned count[COLOUR_SLOTS];
    short index[COLOUR_SLOTS]; /* palette index */
    int n;
};

static int colour_slot(struct colours *t, unsigned c)
{
    unsigned k = c + 1, i = (c * 2654435761u) & (COLOUR_SLOTS - 1);
    while (t->key[i] && t->key[i] != k) i = (i + 1) & (COLOUR_SLOTS - 1);
    if (!t->key[i]) {
        if (t->n == MAX_COLOURS) return -1;
        t->key[i] = k;
        t->n++;
    }
    return (int)i;
}

static int by_count(const void *a, const void *b, void *data)
{
    const struct colours *t = data;
    int x = *(const int *)a, y = *(const int *)b;
    if (t->count[x] != t->count[y]) return t->count[x] > t->count[y] ? -1 : 1;
    return t->key[x] < t->key[y] ? -1 : t->key[x] > t->key[y];
}

/* The picture as palette indices; -1 when it cannot have 256 colours. Flat colours stay exact;
 * when the anti-aliased steps between them make more than 256, those steps (not the frequent
 * colours) are snapped to 16 levels per channel. */
static int to_palette(gdImagePtr im, unsigned char *index, png_color *palette)
{
    struct colours *t = calloc(1, sizeof *t);
    if (!t) return -1;
    int w = gdImageSX(im), h = gdImageSY(im), n = -1;
    for (int y = 0; y < h; y++) { /* count, a run of one colour at a time */
        const int *row = im->tpixels[y];
        for (int x = 0; x < w;) {
            int start = x;
            int c = row[x];
            while (x < w && row[x] == c) x++;
            int slot = colour_slot(t, (unsigned)c & 0xffffff);
            if (slot < 0) goto done;
            t->count[slot] += (unsigned)(x - start);
        }
    }
    int *slots = malloc(sizeof *slots * (size_t)t->n), m = 0;
    if (!slots) goto done;
    for (int i = 0; i < COLOUR_SLOTS; i++)
        if (t->key[i]) slots[m++] = i;
    qsort_r(slots, (size_t)m, sizeof *slots, by_count, t);
    unsigned short snapped[4096];
    memset(snapped, 0xff, sizeof snapped);
    n = 0;
    for (int k = 0; k < m && n >= 0; k++) {
        unsigned c = t->key[slots[k]] - 1;
        if (m <= 256 || k < EXACT_KEPT) {
            t->index[slots[k]] = (short)n;
            palette[n].red = (png_byte)(c >> 16), palette[n].green = (png_byte)(c >> 8);
            palette[n].blue = (png_byte)c;
            n++;
            continue;
        }
        unsigned key = level16((c >> 16) & 255) << 8 | level16((c >> 8) & 255) << 4 |
                       level16(c & 255);
        if (snapped[key] == 0xffff) {
            if (n == 256) {
                n = -1;
                break;
            }
            snapped[key] = (unsigned short)n;
            palette[n].red = (png_byte)((key >> 8) * 17);
            palette[n].green = (png_byte)(((key >> 4) & 15) * 17);
            palette[n].blue = (png_byte)((key & 15) * 17);
            n++;
        }
        t->index[slots[k]] = (short)snapped[key];
    }
    free(slots);
    if (n < 0) goto done;
    for (int y = 0; y < h; y++) { /* map */
        const int *row = im->tpixels[y];
        unsigned char *out = index + (size_t)y * (size_t)w;
        for (int x = 0; x < w;) {
            int start = x;
            int c = row[x];
            while (x < w && row[x] == c) x++;
            memset(out + start, t->index[colour_slot(t, (unsigned)c & 0xffffff)], (size_t)(x - start));
        }
    }
done:
    free(t);
    return n;
}

int chart_png_encode(gdImagePtr im, void **png_out, int *size)
{
    int w = gdImageSX(im), h = gdImageSY(im);
    *png_out = NULL;
    *size = 0;
    unsigned char *pixels = malloc((size_t)w * (size_t)h * 3);
    png_color palette[256];
    if (!pixels) return -1;
    int colours = to_palette(im, pixels, palette);
    if (colours < 0) { /* rich picture: exact RGB */
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                unsigned c = (unsigned)im->tpixels[y][x];
                unsigned char *p = pixels + ((size_t)y * (size_t)w + (size_t)x) * 3;
                p[0] = (unsigned char)(c >> 16), p[1] = (unsigned char)(c >> 8), p[2] = (unsigned char)c;
            }
    }
    struct out o = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(pixels);
        free(o.data);
        return -1;
    }
    png_set_write_fn(png, &o, write_bytes, flush_nothing);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 colours < 0 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (colours >= 0) png_set_PLTE(png, info, palette, colours);
    png_set_filter(png, 0, colours < 0 ? PNG_FILTER_SUB : PNG_FILTER_NONE);
    png_set_compression_level(png, 1);
    png_write_info(png, info);
    size_t stride = (size_t)w * (colours < 0 ? 3 : 1);
    for (int y = 0; y < h; y++) png_write_row(png, pixels + (size_t)y * stride);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(pixels);
    if (o.failed) {
        free(o.data);
        return -1;
    }
    *png_out = o.data;
    *size = (int)o.len;
    return 0;
}
