/* chart_png.h - charts to PNG bytes, fast and deterministic */
#ifndef RISKREG_CHART_PNG_H
#define RISKREG_CHART_PNG_H

#include <gd.h>

/* Encode a truecolor image; *png is malloc'ed (free it). 0, or -1 when out of memory. */
int chart_png_encode(gdImagePtr im, void **png, int *size);

#endif
