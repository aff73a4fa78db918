/* chart_bench.c - the cost of one per-risk chart (640x240 CSS px at 2x, two series over twelve
 * assessments, an appetite line), drawn and encoded on one core: median of 200 runs, in ms. */
#include "chart.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    char err[256];
    if (chart_fonts_ready(err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    enum { RUNS = 200, POINTS = 12 };
    static const char *const dates[POINTS] = {
        "2023-12-14", "2024-03-13", "2024-06-12", "2024-09-11", "2024-12-11", "2025-03-12",
        "2025-06-11", "2025-09-10", "2025-12-10", "2026-03-11", "2026-06-10", "2026-09-09"};
    static const double inherent[POINTS] = {12, 12, 16, 16, 16, 20, 20, 20, 16, 16, 16, 16};
    static const double residual[POINTS] = {8, 8, 12, 12, 9, 12, 12, 9, 9, 6, 6, 6};
    double times[RUNS];
    size_t bytes = 0;
    for (int run = 0; run < RUNS; run++) {
        struct chart_spec s;
        memset(&s, 0, sizeof s);
        s.kind = CHART_LINE;
        s.width = 640;
        s.height = 240;
        s.scale = 2;
        s.nlabels = POINTS;
        s.labels = xcalloc(POINTS, sizeof *s.labels);
        for (int i = 0; i < POINTS; i++)
            s.labels[i] = xstrdup(dates[i]);
        const double *values[2] = {inherent, residual};
        const char *names[2] = {"Inherent", "Residual"};
        for (int k = 0; k < 2; k++) {
            s.series[k].name = xstrdup(names[k]);
            s.series[k].values = xcalloc(POINTS, sizeof(double));
            memcpy(s.series[k].values, values[k], sizeof(double) * POINTS);
            s.series[k].n = POINTS;
            s.series[k].colour = chart_palette[1 - k];
        }
        s.nseries = 2;
        s.has_target = 1;
        s.target = 9;
        s.target_label = xstrdup("Appetite 9");
        s.has_y_min = s.has_y_max = 1;
        s.y_min = 0;
        s.y_max = 25;
        void *png;
        int size;
        double t0 = now_ms();
        if (chart_render(&s, &png, &size, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        times[run] = now_ms() - t0;
        bytes = (size_t)size;
        chart_png_free(png);
        chart_spec_free(&s);
    }
    qsort(times, RUNS, sizeof times[0], by_value);
    printf("%.2f\n", times[RUNS / 2]);
    fprintf(stderr, "chart bench: %zu bytes per chart\n", bytes);
    return 0;
}
