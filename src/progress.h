/* progress.h - a progress line on stderr for long imports and builds.
 *
 * Drawn only when stderr is a terminal, and not with --quiet, NO_COLOR or TERM=dumb: output
 * that goes to a file or a pipe never holds it. One progress line at a time per process; the
 * counters may be moved from any thread, and a ticker thread redraws the line ten times a
 * second, so it moves while the caller waits (for chart workers, say). */
#ifndef RISKREG_PROGRESS_H
#define RISKREG_PROGRESS_H

/* Start "LABEL" (e.g. "Importing"); does nothing unless the line can be shown. */
void progress_start(const char *label, int quiet);

/* A new phase: its name ("checking rows"), what it counts ("rows"), and how many there will be
 * (0 when not known yet; progress_expect raises it). done restarts at 0. */
void progress_phase(const char *name, const char *unit, long total);
void progress_expect(long more);
void progress_done(long n);
/* A second figure shown after the bar ("412 pages"). */
void progress_other(long n, const char *unit);

/* A message on stderr, above the progress line when there is one. */
void progress_print(const char *text);

/* A thread that sets stderr aside for a moment (a library that prints its own messages) holds
 * it: every message waits until it is back (progress_print, rr_error and the line itself). */
void progress_stderr_hold(void);
void progress_stderr_release(void);

/* Remove the line, ready for the command's own output. */
void progress_end(void);

#endif
