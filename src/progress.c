/* progress.c - the progress line: "Importing  checking rows  ██████░░░░░░  6,120/10,000 rows" */
#include "progress.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 24

static struct {
    int on;
    pthread_t ticker;
    pthread_mutex_t lock;
    pthread_cond_t stop;
    int stopping;
    const char *label, *phase, *unit, *other_unit;
    long done, total, other;
    int drawn; /* a line is on screen */
} P = {.lock = PTHREAD_MUTEX_INITIALIZER, .stop = PTHREAD_COND_INITIALIZER};

static int can_show(int quiet)
{
    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    return !quiet && isatty(STDERR_FILENO) && !(no_color && *no_color) &&
           !(term && strcmp(term, "dumb") == 0);
}

static int terminal_columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

/* "10,000" */
static void grouped(long n, char *out, size_t size)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%ld", n < 0 ? 0 : n);
    size_t len = strlen(digits), o = 0;
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        if (i && (len - i) % 3 == 0) out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/* Held while anything writes to stderr, and by a thread that sets stderr aside for a moment
 * (progress_stderr_hold): a message never goes to where stderr was set aside to. */
static pthread_mutex_t stderr_lock = PTHREAD_MUTEX_INITIALIZER;

void progress_stderr_hold(void)
{
    pthread_mutex_lock(&stderr_lock);
}

void progress_stderr_release(void)
{
    pthread_mutex_unlock(&stderr_lock);
}

static void draw_locked(void)
{
    char line[512], done[32], total[32];
    int n = snprintf(line, sizeof line, "%s", P.label);
    if (P.phase) n += snprintf(line + n, sizeof line - (size_t)n, "  %s", P.phase);
    grouped(P.done, done, sizeof done);
    if (P.total > 0) {
        long filled = P.done >= P.total ? BAR_WIDTH : P.done * BAR_WIDTH / P.total;
        n += snprintf(line + n, sizeof line - (size_t)n, "  ");
        for (int i = 0; i < BAR_WIDTH; i++)
            n += snprintf(line + n, sizeof line - (size_t)n, "%s", i < filled ? "█" : "░");
        grouped(P.total, total, sizeof total);
        n += snprintf(line + n, sizeof line - (size_t)n, "  %s/%s %s", done, total,
                      P.unit ? P.unit : "");
    } else if (P.unit) {
        n += snprintf(line + n, sizeof line - (size_t)n, "  %s %s", done, P.unit);
    }
    if (P.other_unit) {
        grouped(P.other, done, sizeof done);
        n += snprintf(line + n, sizeof line - (size_t)n, " · %s %s", done, P.other_unit);
    }
    (void)n;
    /* cut to the terminal's width (counting characters, not bytes) so it never wraps */
    int columns = terminal_columns() - 1, chars = 0;
    char *p = line;
    for (; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80 && ++chars > columns) break;
    *p = '\0';
    if (pthread_mutex_trylock(&stderr_lock) != 0) return; /* set aside: drawn next tick */
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    pthread_mutex_unlock(&stderr_lock);
    P.drawn = 1;
}

static void *tick(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&P.lock);
    while (!P.stopping) {
        draw_locked();
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100 * 1000 * 1000;
        if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&P.stop, &P.lock, &until);
    }
    pthread_mutex_unlock(&P.lock);
    return NULL;
}

void progress_start(const char *label, int quiet)
{
    if (P.on || !can_show(quiet)) return;
    P.label = label;
    P.phase = P.unit = P.other_unit = NULL;
    P.done = P.total = P.other = 0;
    P.stopping = 0;
    P.on = pthread_create(&P.ticker, NULL, tick, NULL) == 0;
}

void progress_phase(const char *name, const char *unit, long total)
{
    if (!P.on) return;
    pthread_mutex_lock(&P.lock);
    P.phase = name;
    P.unit = unit;
    P.total = total;
    P.done = 0;
    draw_locked(); /* every phase is seen, however short */
    pthread_mutex_unlock(&P.lock);
}

void progress_expect(long more)
{
    if (!P.on) return;
    pthread_mutex_lock(&P.lock);
    P.total += more;
    pthread_mutex_unlock(&P.lock);
}

void progress_done(long n)
{
    if (!P.on) return;
    pthread_mutex_lock(&P.lock);
    P.done += n;
    pthread_mutex_unlock(&P.lock);
}

void progress_other(long n, const char *unit)
{
    if (!P.on) return;
    pthread_mutex_lock(&P.lock);
    P.other += n;
    P.other_unit = unit;
    pthread_mutex_unlock(&P.lock);
}

void progress_print(const char *text)
{
    if (!P.on) {
        pthread_mutex_lock(&stderr_lock);
        fputs(text, stderr);
        pthread_mutex_unlock(&stderr_lock);
        return;
    }
    pthread_mutex_lock(&P.lock);
    pthread_mutex_lock(&stderr_lock);
    if (P.drawn) fputs("\r\033[K", stderr);
    P.drawn = 0;
    fputs(text, stderr);
    fflush(stderr);
    pthread_mutex_unlock(&stderr_lock);
    pthread_mutex_unlock(&P.lock);
}

void progress_end(void)
{
    if (!P.on) return;
    pthread_mutex_lock(&P.lock);
    P.stopping = 1;
    pthread_cond_signal(&P.stop);
    pthread_mutex_unlock(&P.lock);
    pthread_join(P.ticker, NULL);
    draw_locked(); /* the last phase as it ended, then the line goes */
    pthread_mutex_lock(&stderr_lock);
    fputs("\r\033[K", stderr);
    fflush(stderr);
    pthread_mutex_unlock(&stderr_lock);
    P.on = P.drawn = 0;
}
