/* chart_png.c - charts to PNG, fast: libgd's encoder tries every row filter on every row, which
 * costs more than drawing the chart. A chart has few colours (flat fills, lines, text, and the
 * anti-aliased steps between them): the frequent colours stay exact and the rare ones are
 * snapped to 16 (else 8) levels per channel; when the picture then has at most 256 colours it is
 * written as an 8-bit palette image without filters, otherwise as plain RGB. The same picture
 * always gives the same bytes. */
#define _GNU_SOURCE /* qsort_r */
#include "chart_png.h"

#include <libdeflate.h>
#include <png.h>
#include <zlib.h>
#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
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
        while (cap < o->len + n)
            cap *= 2;
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

/* 0..255 to the nearest of `steps` levels, as 0..steps-1 */
static inline unsigned level_of(unsigned v, unsigned steps)
{
    return (v * (steps - 1) + 127) / 255;
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
    while (t->key[i] && t->key[i] != k)
        i = (i + 1) & (COLOUR_SLOTS - 1);
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

/* Give each counted colour a palette index: the `kept` most frequent exact, the rest snapped to
 * `steps` levels per channel. The number of palette entries, or -1 when over 256. */
static int assign(struct colours *t, const int *slots, int m, png_color *palette, unsigned steps,
                  int kept)
{
    unsigned short snapped[4096];
    memset(snapped, 0xff, sizeof snapped);
    int n = 0;
    for (int k = 0; k < m; k++) {
        unsigned c = t->key[slots[k]] - 1;
        if (m <= 256 || k < kept) {
            t->index[slots[k]] = (short)n;
            palette[n].red = (png_byte)(c >> 16), palette[n].green = (png_byte)(c >> 8);
            palette[n].blue = (png_byte)c;
            n++;
            continue;
        }
        unsigned r = level_of((c >> 16) & 255, steps), g = level_of((c >> 8) & 255, steps),
                 b = level_of(c & 255, steps);
        unsigned key = r << 8 | g << 4 | b;
        if (snapped[key] == 0xffff) {
            if (n == 256) return -1;
            snapped[key] = (unsigned short)n;
            palette[n].red = (png_byte)(r * 255 / (steps - 1));
            palette[n].green = (png_byte)(g * 255 / (steps - 1));
            palette[n].blue = (png_byte)(b * 255 / (steps - 1));
            n++;
        }
        t->index[slots[k]] = (short)snapped[key];
    }
    return n;
}

/* Where the run of row[x]'s colour that starts at x ends: eight pixels compared at a time (a
 * chart is mostly long runs of background). */
static inline int run_end(const int *row, int x, int w)
{
    const int c = row[x];
    const uint64_t two = (uint64_t)(uint32_t)c * 0x100000001u; /* c in both halves */
    for (; x + 8 <= w; x += 8) {
        uint64_t v[4];
        memcpy(v, row + x, sizeof v);
        if ((v[0] ^ two) | (v[1] ^ two) | (v[2] ^ two) | (v[3] ^ two)) break;
    }
    while (x < w && row[x] == c)
        x++;
    return x;
}

/* A run of one colour in a row: its slot in the colour table and its length */
struct run {
    int slot, len;
};

/* The picture as palette indices, each row after its PNG filter byte (0: none), so that the
 * buffer is the image data as deflate takes it; -1 when it cannot have 256 colours. Flat colours
 * stay exact; when the anti-aliased steps between them make more than 256, those steps (not the
 * frequent colours) are snapped to 16 levels per channel, else to 8. */
__attribute__((noinline)) static int to_palette(gdImagePtr im, unsigned char *index,
                                                png_color *palette)
{
    struct colours *t = calloc(1, sizeof *t);
    if (!t) return -1;
    int w = gdImageSX(im), h = gdImageSY(im), n = -1;
    int *slots = NULL;
    /* the runs of every row, counted once and replayed for the mapping; a row the same as the
     * one above (a chart has many) is not scanned again */
    size_t nruns = 0, cap = 4096;
    struct run *runs = malloc(cap * sizeof *runs);
    size_t *row_start = malloc(((size_t)h + 1) * sizeof *row_start);
    if (!runs || !row_start) goto done;
    size_t last_begin = 0; /* the runs of the last row scanned */
    for (int y = 0; y < h; y++) {
        const int *row = im->tpixels[y];
        row_start[y] = nruns;
        if (y > 0 && memcmp(row, im->tpixels[y - 1], (size_t)w * sizeof *row) == 0) {
            for (size_t r = last_begin; r < row_start[y]; r++)
                t->count[runs[r].slot] += (unsigned)runs[r].len;
            continue;
        }
        last_begin = nruns;
        for (int x = 0; x < w;) {
            int start = x;
            int c = row[x];
            x = run_end(row, x, w);
            int slot = colour_slot(t, (unsigned)c & 0xffffff);
            if (slot < 0) goto done;
            t->count[slot] += (unsigned)(x - start);
            if (nruns == cap) {
                struct run *more = realloc(runs, (cap *= 2) * sizeof *runs);
                if (!more) goto done;
                runs = more;
            }
            runs[nruns++] = (struct run){slot, x - start};
        }
    }
    row_start[h] = nruns;
    slots = malloc(sizeof *slots * (size_t)t->n);
    if (!slots) goto done;
    int m = 0;
    for (int i = 0; i < COLOUR_SLOTS; i++)
        if (t->key[i]) slots[m++] = i;
    qsort_r(slots, (size_t)m, sizeof *slots, by_count, t);
    n = assign(t, slots, m, palette, 16, EXACT_KEPT);
    if (n < 0) n = assign(t, slots, m, palette, 8, EXACT_KEPT / 2);
    if (n < 0) goto done;
    for (int y = 0; y < h; y++) { /* map: a row without runs of its own is the one above */
        unsigned char *out = index + (size_t)y * ((size_t)w + 1);
        *out++ = 0;
        if (row_start[y] == row_start[y + 1] && y > 0) {
            memcpy(out, out - w - 1, (size_t)w);
            continue;
        }
        for (size_t r = row_start[y]; r < row_start[y + 1]; r++) {
            memset(out, t->index[runs[r].slot], (size_t)runs[r].len);
            out += runs[r].len;
        }
    }
done:
    free(runs);
    free(row_start);
    free(slots);
    free(t);
    return n;
}

/* A palette picture's image data (rows after their filter bytes) as one zlib stream: deflated in
 * one call (libpng would feed deflate a row at a time) at level 1 with a smaller hash table than
 * zlib's default, as small and faster on a chart's long runs; the checksum by libdeflate, whose
 * adler32 is ten times zlib's. */
static unsigned char *deflate_image(const unsigned char *data, size_t n, size_t *len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (n > UINT_MAX || deflateInit2(&z, 1, Z_DEFLATED, -15, 6, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong cap = deflateBound(&z, (uLong)n) + 6;
    unsigned char *out = malloc(cap);
    if (out) {
        out[0] = 0x78, out[1] = 0x01; /* deflate, 32 KB window, fastest */
        z.next_in = (Bytef *)data;
        z.avail_in = (uInt)n;
        z.next_out = out + 2;
        z.avail_out = (uInt)(cap - 6);
        if (deflate(&z, Z_FINISH) == Z_STREAM_END) {
            uint32_t sum = libdeflate_adler32(1, data, n);
            unsigned char *end = out + 2 + z.total_out;
            end[0] = (unsigned char)(sum >> 24), end[1] = (unsigned char)(sum >> 16);
            end[2] = (unsigned char)(sum >> 8), end[3] = (unsigned char)sum;
            *len = z.total_out + 6;
        } else {
            free(out);
            out = NULL;
        }
    }
    deflateEnd(&z);
    return out;
}

/* The picture as palette indices after each row's filter byte (*colours entries in palette), or
 * (*colours -1) as plain RGB when it is too rich for a palette; NULL when out of memory. */
static unsigned char *image_bytes(gdImagePtr im, png_color *palette, int *colours)
{
    int w = gdImageSX(im), h = gdImageSY(im);
    unsigned char *pixels = malloc(((size_t)w + 1) * (size_t)h);
    if (!pixels) return NULL;
    *colours = to_palette(im, pixels, palette);
    if (*colours >= 0) return pixels;
    free(pixels);
    if (!(pixels = malloc((size_t)w * (size_t)h * 3))) return NULL;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned c = (unsigned)im->tpixels[y][x];
            unsigned char *p = pixels + ((size_t)y * (size_t)w + (size_t)x) * 3;
            p[0] = (unsigned char)(c >> 16), p[1] = (unsigned char)(c >> 8),
            p[2] = (unsigned char)c;
        }
    return pixels;
}

/* The picture in PNG's chunks into o: palette pictures with their image data deflated already
 * (idat), RGB ones (colours -1) through libpng's own deflate. 0, or -1 on libpng's error. */
static int write_png(struct out *o, int w, int h, const png_color *palette, int colours,
                     const unsigned char *pixels, const unsigned char *idat, size_t idat_len)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, o, write_bytes, flush_nothing);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 colours < 0 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (colours >= 0) {
        png_set_PLTE(png, info, palette, colours);
        png_write_info(png, info);
        png_write_chunk(png, (png_const_bytep) "IDAT", idat, idat_len);
        png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
    } else {
        png_set_filter(png, 0, PNG_FILTER_SUB);
        png_set_compression_level(png, 1);
        png_set_compression_buffer_size(png, 1u << 20); /* one deflate call per megabyte */
        png_write_info(png, info);
        for (int y = 0; y < h; y++)
            png_write_row(png, pixels + (size_t)y * (size_t)w * 3);
        png_write_end(png, info);
    }
    png_destroy_write_struct(&png, &info);
    return 0;
}

int chart_png_encode(gdImagePtr im, void **png_out, int *size)
{
    int w = gdImageSX(im), h = gdImageSY(im);
    *png_out = NULL;
    *size = 0;
    png_color palette[256];
    int colours;
    unsigned char *pixels = image_bytes(im, palette, &colours);
    if (!pixels) return -1;
    unsigned char *idat = NULL;
    size_t idat_len = 0;
    struct out o = {0};
    int rc = -1;
    if (colours < 0 || (idat = deflate_image(pixels, ((size_t)w + 1) * (size_t)h, &idat_len)))
        rc = write_png(&o, w, h, palette, colours, pixels, idat, idat_len);
    free(pixels);
    free(idat);
    if (rc != 0 || o.failed) {
        free(o.data);
        return -1;
    }
    *png_out = o.data;
    *size = (int)o.len;
    return 0;
}
