/* import_write.c - writing an import's checked rows: IDs for new records, the change log's texts
 * made on a thread of their own, then each row and the assessment it carries. */
#include "import_write.h"
#include "progress.h"

#include <stdlib.h>
#include <string.h>

/* New records without an ID get the next free ones, in the order of the files and rows; a
 * risk row's assessment is the risk's. Done before writing, so that the change-log texts can be
 * made ahead. */
void import_assign_ids(struct import *im)
{
    for (int i = 0; i < im->nfiles; i++) {
        struct import_file *f = &im->files[i];
        const struct kind *k = f->kind;
        for (int r = 0; r < f->nrows; r++) {
            struct planned *p = &f->rows[r];
            if (!p->before && k->prefix && !p->rec.v[0])
                p->rec.v[0] = record_format_id(k, ++im->highest[k->id]);
            if (p->assessment) record_set(p->assessment, 0, p->rec.v[0]);
        }
    }
}

/* The change log's texts (each record's JSON) for the rows to write, made on a thread of their
 * own while the writer writes: a sixth of an import's time moved off its path. The maker runs
 * at most TEXTS_AHEAD rows ahead of the writer, who waits for a row's texts when it gets there
 * first. Rows are counted across the files in the order they are written. */
#define TEXTS_AHEAD 4096

static void make_texts(struct planned *p)
{
    if (!p->before)
        p->log[1] = record_json_text(&p->rec);
    else if (!record_equal(p->before, &p->rec)) {
        p->log[0] = record_json_text(p->before);
        p->log[1] = record_json_text(&p->rec);
    }
    if (!p->assessment) return;
    if (!p->assessment_before)
        p->log[3] = record_json_text(p->assessment);
    else if (!record_equal(p->assessment_before, p->assessment)) {
        p->log[2] = record_json_text(p->assessment_before);
        p->log[3] = record_json_text(p->assessment);
    }
}

static void *texts_thread(void *arg)
{
    struct log_texts *t = arg;
    long row = 0;
    for (int i = 0; i < t->im->nfiles; i++) {
        struct import_file *f = &t->im->files[i];
        for (int r = 0; r < f->nrows; r++, row++) {
            pthread_mutex_lock(&t->lock);
            while (!t->stop && row - t->taken >= TEXTS_AHEAD) {
                t->maker_waits = 1;
                pthread_cond_wait(&t->changed, &t->lock);
            }
            t->maker_waits = 0;
            int stop = t->stop;
            pthread_mutex_unlock(&t->lock);
            if (stop) return NULL;
            make_texts(&f->rows[r]);
            pthread_mutex_lock(&t->lock);
            t->made = row + 1;
            if (t->writer_waits) pthread_cond_signal(&t->changed);
            pthread_mutex_unlock(&t->lock);
        }
    }
    return NULL;
}

void import_texts_start(struct log_texts *t, struct import *im)
{
    memset(t, 0, sizeof *t);
    t->im = im;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->changed, NULL);
    t->running = pthread_create(&t->thread, NULL, texts_thread, t) == 0;
}

/* The writer is at row: 1 when its texts are made (else the writer makes them itself) */
static int texts_ready(struct log_texts *t, long row)
{
    if (!t->running) return 0;
    pthread_mutex_lock(&t->lock);
    t->taken = row;
    if (t->maker_waits && t->made - row < TEXTS_AHEAD / 2) pthread_cond_signal(&t->changed);
    while (t->made <= row) {
        t->writer_waits = 1;
        pthread_cond_wait(&t->changed, &t->lock);
    }
    t->writer_waits = 0;
    pthread_mutex_unlock(&t->lock);
    return 1;
}

void import_texts_stop(struct log_texts *t)
{
    if (t->running) {
        pthread_mutex_lock(&t->lock);
        t->stop = 1;
        pthread_cond_broadcast(&t->changed);
        pthread_mutex_unlock(&t->lock);
        pthread_join(t->thread, NULL);
    }
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->changed);
}

void import_free_texts(struct planned *p)
{
    for (int i = 0; i < 4; i++) {
        free(p->log[i]);
        p->log[i] = NULL;
    }
}

static int write_assessment(struct import *im, struct planned *p, struct counts *n)
{
    struct record *a = p->assessment;
    if (p->assessment_before) {
        if (record_update_logged(im->g, p->assessment_before, a, NULL, p->log[2], p->log[3]) < 0)
            return -1;
        n->assessments_updated++;
        return 0;
    }
    if (record_insert_logged(im->g, a, NULL, p->log[3]) != 0) return -1;
    n->assessments_added++;
    return 0;
}

/* row: the first row of f, counted across the files */
int import_write_file(struct import *im, struct import_file *f, struct counts *n,
                      struct log_texts *texts, long row)
{
    for (int r = 0; r < f->nrows; r++, row++) {
        struct planned *p = &f->rows[r];
        texts_ready(texts, row);
        if (p->before) {
            int changed =
                record_update_logged(im->g, p->before, &p->rec, NULL, p->log[0], p->log[1]);
            if (changed < 0) return -1;
            if (changed)
                n->updated++;
            else
                n->unchanged++;
        } else {
            if (record_insert_logged(im->g, &p->rec, NULL, p->log[1]) != 0) return -1;
            n->added++;
        }
        if (p->assessment && write_assessment(im, p, n) != 0) return -1;
        import_free_texts(p);
        progress_done(1);
    }
    return 0;
}
