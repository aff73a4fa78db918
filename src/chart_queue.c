/* chart_queue.c - charts drawn on worker threads while the scripts go on.
 *
 * The scripts' thread checks a spec, decides its file name and hands it over; a worker draws it
 * and writes the file. A chart's bytes depend only on its spec, so the site is the same whatever
 * the number of threads. */
#include "chart_queue.h"
#include "chart.h"
#include "progress.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct job {
    struct chart_spec *spec;
    char *path;
    struct job *next;
};

/* Specs waiting per worker at most: enough to keep the workers busy, few enough that a cold
 * build of a large register does not hold thousands of them while the pages render faster
 * than the charts draw (the scripts wait for room instead). */
#define PENDING_PER_THREAD 16

struct chart_queue {
    char *out_dir;
    int jobs;
    pthread_t *threads;
    int nthreads;
    pthread_mutex_t lock;
    pthread_cond_t work, idle, room;
    struct job *head, *tail;
    int waiting; /* jobs in the list */
    int busy, closing;
    char error[256]; /* the first failure */
};

/* Write out_dir/path, making the folders of path (they are the site's own: charts/). */
static int write_file(const char *out_dir, const char *path, const void *data, size_t len)
{
    struct strbuf full = STRBUF_INIT;
    sb_printf(&full, "%s/%s", out_dir, path);
    for (char *p = full.data + strlen(out_dir) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        int rc = mkdir(full.data, 0777);
        *p = '/';
        if (rc != 0 && errno != EEXIST) {
            sb_free(&full);
            return -1;
        }
    }
    unlink(full.data); /* a new file, never through a link into the published site */
    int fd = open(full.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    sb_free(&full);
    if (fd < 0) return -1;
    const char *p = data;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);
        if (n < 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    return close(fd);
}

static int draw(const char *out_dir, const struct chart_spec *spec, const char *path, char *err,
                size_t errsize)
{
    void *png = NULL;
    int size = 0;
    if (chart_render(spec, &png, &size, err, errsize) != 0) return -1;
    int rc = write_file(out_dir, path, png, (size_t)size);
    if (rc != 0) snprintf(err, errsize, "%s: cannot write it: %s", path, strerror(errno));
    chart_png_free(png);
    progress_done(1);
    return rc;
}

static void free_job(struct job *j)
{
    chart_spec_free(j->spec);
    free(j->spec);
    free(j->path);
    free(j);
}

static void *worker(void *arg)
{
    struct chart_queue *q = arg;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (!q->head && !q->closing)
            pthread_cond_wait(&q->work, &q->lock);
        if (!q->head) break;
        struct job *j = q->head;
        q->head = j->next;
        if (!q->head) q->tail = NULL;
        if (q->waiting-- == PENDING_PER_THREAD * q->nthreads) pthread_cond_signal(&q->room);
        q->busy++;
        pthread_mutex_unlock(&q->lock);
        char err[256];
        int rc = draw(q->out_dir, j->spec, j->path, err, sizeof err);
        free_job(j);
        pthread_mutex_lock(&q->lock);
        if (rc != 0 && !q->error[0]) snprintf(q->error, sizeof q->error, "%s", err);
        q->busy--;
        if (!q->head && !q->busy) pthread_cond_broadcast(&q->idle);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

struct chart_queue *chart_queue_new(int jobs, const char *out_dir)
{
    struct chart_queue *q = xcalloc(1, sizeof *q);
    q->out_dir = xstrdup(out_dir);
    q->jobs = jobs;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->work, NULL);
    pthread_cond_init(&q->idle, NULL);
    pthread_cond_init(&q->room, NULL);
    if (jobs > 1) {
        q->threads = xcalloc((size_t)jobs, sizeof *q->threads);
        for (int i = 0; i < jobs; i++)
            if (pthread_create(&q->threads[q->nthreads], NULL, worker, q) == 0) q->nthreads++;
    }
    return q;
}

int chart_queue_add(struct chart_queue *q, struct chart_spec *spec, const char *path, char *err,
                    size_t errsize)
{
    if (q->nthreads == 0) { /* one job: draw it now */
        int rc = draw(q->out_dir, spec, path, err, errsize);
        chart_spec_free(spec);
        free(spec);
        return rc;
    }
    struct job *j = xcalloc(1, sizeof *j);
    j->spec = spec;
    j->path = xstrdup(path);
    pthread_mutex_lock(&q->lock);
    while (q->waiting >= PENDING_PER_THREAD * q->nthreads)
        pthread_cond_wait(&q->room, &q->lock);
    if (q->tail)
        q->tail->next = j;
    else
        q->head = j;
    q->tail = j;
    q->waiting++;
    pthread_cond_signal(&q->work);
    pthread_mutex_unlock(&q->lock);
    return 0;
}

int chart_queue_finish(struct chart_queue *q, char *err, size_t errsize)
{
    if (!q) return 0;
    pthread_mutex_lock(&q->lock);
    q->closing = 1;
    pthread_cond_broadcast(&q->work);
    pthread_mutex_unlock(&q->lock);
    for (int i = 0; i < q->nthreads; i++)
        pthread_join(q->threads[i], NULL);
    int rc = q->error[0] ? -1 : 0;
    if (rc) snprintf(err, errsize, "%s", q->error);
    while (q->head) { /* none are left unless a thread could not start */
        struct job *j = q->head;
        q->head = j->next;
        free_job(j);
    }
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->work);
    pthread_cond_destroy(&q->idle);
    pthread_cond_destroy(&q->room);
    free(q->threads);
    free(q->out_dir);
    free(q);
    return rc;
}
