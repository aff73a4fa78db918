/* chart_text.c - strings rendered once per run: the same tick labels, dates and names appear on
 * thousands of charts, and FreeType's hinting is the slow part of drawing one. A string is
 * rendered by libgd (black on white) into a coverage bitmap, kept, and blended into each chart
 * that shows it in its colour. The cache is shared by the drawing threads. */
#include "chart_text.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 16384       /* a power of two */
#define MAX_ENTRIES 12000 /* past this, strings are rendered each time (nothing is evicted) */
#define MAX_BYTES (64u << 20)

static struct chart_rendered *slots[SLOTS];
static int entries;
static size_t bytes;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t key_of(const char *font, double points, double angle, const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = font; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ (uint64_t)(points * 64 + 0.5)) * 1099511628211ULL;
    h = (h ^ (uint64_t)(angle * 1000 + 0.5)) * 1099511628211ULL;
    for (const char *p = s; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

static int same(const struct chart_rendered *r, const char *font, double points, double angle,
                const char *s)
{
    return r->points == points && r->angle == angle && strcmp(r->font, font) == 0 &&
           strcmp(r->text, s) == 0;
}

/* Render with libgd: the box, and the coverage of each pixel (255 - the grey of black text on a
 * white scratch image). */
static struct chart_rendered *render(const char *font, double points, double angle, const char *s,
                                     const char **err)
{
    int br[8];
    char *e = gdImageStringFT(NULL, br, 0, (char *)font, points, angle, 0, 0, (char *)s);
    if (e) {
        *err = e;
        return NULL;
    }
    int x0 = br[0], x1 = br[0], y0 = br[1], y1 = br[1];
    for (int i = 2; i < 8; i += 2) {
        x0 = br[i] < x0 ? br[i] : x0, x1 = br[i] > x1 ? br[i] : x1;
        y0 = br[i + 1] < y0 ? br[i + 1] : y0, y1 = br[i + 1] > y1 ? br[i + 1] : y1;
    }
    struct chart_rendered *r = calloc(1, sizeof *r);
    if (!r) {
        *err = "out of memory";
        return NULL;
    }
    r->box[0] = x0, r->box[1] = y0, r->box[2] = x1, r->box[3] = y1;
    for (int i = 0; i < 8; i++)
        r->corners[i] = br[i];
    /* a margin of two pixels: antialiasing reaches past the box libgd reports */
    r->x = x0 - 2, r->y = y0 - 2, r->w = x1 - x0 + 5, r->h = y1 - y0 + 5;
    gdImagePtr im = gdImageCreateTrueColor(r->w, r->h);
    r->coverage = malloc((size_t)r->w * (size_t)r->h);
    if (!im || !r->coverage) {
        if (im) gdImageDestroy(im);
        free(r->coverage);
        free(r);
        *err = "out of memory";
        return NULL;
    }
    gdImageFilledRectangle(im, 0, 0, r->w - 1, r->h - 1, 0xffffff);
    gdImageAlphaBlending(im, 1);
    e = gdImageStringFT(im, br, 0, (char *)font, points, angle, -r->x, -r->y, (char *)s);
    for (int y = 0; y < r->h; y++)
        for (int x = 0; x < r->w; x++) {
            unsigned c = (unsigned)im->tpixels[y][x];
            unsigned grey = ((c >> 16 & 255) * 299 + (c >> 8 & 255) * 587 + (c & 255) * 114) / 1000;
            r->coverage[(size_t)y * (size_t)r->w + (size_t)x] = (unsigned char)(255 - grey);
        }
    gdImageDestroy(im);
    if (e) {
        free(r->coverage);
        free(r);
        *err = e;
        return NULL;
    }
    r->font = strdup(font);
    r->text = strdup(s);
    r->points = points;
    r->angle = angle;
    return r;
}

const struct chart_rendered *chart_text_get(const char *font, double points, double angle,
                                            const char *s, int *temporary, const char **err)
{
    uint64_t key = key_of(font, points, angle, s);
    *temporary = 0;
    pthread_mutex_lock(&lock);
    for (uint64_t i = key & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
        struct chart_rendered *r = slots[i];
        if (!r) break;
        if (r->key == key && same(r, font, points, angle, s)) {
            pthread_mutex_unlock(&lock);
            return r;
        }
    }
    pthread_mutex_unlock(&lock);
    /* rendered outside the lock: libgd's FreeType calls are safe from several threads */
    struct chart_rendered *r = render(font, points, angle, s, err);
    if (!r) return NULL;
    r->key = key;
    pthread_mutex_lock(&lock);
    size_t size = (size_t)r->w * (size_t)r->h + strlen(s) + sizeof *r;
    if (entries >= MAX_ENTRIES || bytes + size > MAX_BYTES || !r->font || !r->text) {
        pthread_mutex_unlock(&lock);
        *temporary = 1;
        return r;
    }
    uint64_t i = key & (SLOTS - 1);
    for (; slots[i]; i = (i + 1) & (SLOTS - 1))
        if (slots[i]->key == key &&
            same(slots[i], font, points, angle, s)) { /* raced: use theirs */
            struct chart_rendered *theirs = slots[i];
            pthread_mutex_unlock(&lock);
            chart_text_release(r);
            return theirs;
        }
    slots[i] = r;
    entries++;
    bytes += size;
    pthread_mutex_unlock(&lock);
    return r;
}

void chart_text_release(struct chart_rendered *r)
{
    if (!r) return;
    free(r->coverage);
    free(r->font);
    free(r->text);
    free(r);
}

void chart_text_cache_free(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SLOTS; i++) {
        chart_text_release(slots[i]);
        slots[i] = NULL;
    }
    entries = 0;
    bytes = 0;
    pthread_mutex_unlock(&lock);
}
