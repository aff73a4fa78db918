/* chart_queue.h - charts drawn on worker threads while the scripts go on */
#ifndef RISKREG_CHART_QUEUE_H
#define RISKREG_CHART_QUEUE_H

#include <stddef.h>

struct chart_spec;
struct chart_queue;

/* Worker threads that draw charts and write them under out_dir; jobs < 2 draws each chart at
 * once, on the calling thread. */
struct chart_queue *chart_queue_new(int jobs, const char *out_dir);

/* Draw spec (the queue takes it, and frees it) into out_dir/path. 0, or -1 with a message when
 * it was drawn at once and failed. */
int chart_queue_add(struct chart_queue *q, struct chart_spec *spec, const char *path, char *err,
                    size_t errsize);

/* Wait for every chart. 0, or -1 with the first failure's message. Then free the queue. */
int chart_queue_finish(struct chart_queue *q, char *err, size_t errsize);

#endif
