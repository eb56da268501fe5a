/*
 * trace.c: imaplib-format debug lines on stderr and the ring of recent
 * interactions.
 */
#include <sys/time.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trace.h"
#include "xmalloc.h"

int		 trace_level;
int		 trace_secrets;
struct out	*trace_sync;

/*
 * The ring of the last lines (imaplib's _cmd_log).  A line received or
 * sent is kept as its first TRACE_KEEP bytes, in a buffer of the entry's
 * own, and formatted only if the ring is printed: a session that is not
 * traced pays a copy per line, not a repr and an allocation.
 */
#define TRACE_KEEP	4096

struct trace_entry {
	char		*line;		/* formatted (trace_io), or NULL */
	const char	*dir;		/* or raw bytes: "<" or ">" */
	char		 raw[TRACE_KEEP];
	size_t		 rawlen;	/* bytes kept */
	size_t		 total;		/* the line's length */
	trace_fmt_fn	 fmt;
	struct timeval	 tv;
};

static struct trace_entry trace_ring[TRACE_LOG_LEN];
static int	trace_ring_idx;
static int	trace_held;	/* trace_hold() */

static void	trace_emit(const char *, const struct timeval *);
static struct trace_entry *trace_ring_next(void);
static void	trace_ring_time(struct timeval *);
static int	trace_entry_used(const struct trace_entry *);
static void	trace_entry_emit(struct trace_entry *);

/* Write "  MM:SS.hh line" to stderr in one write. */
static void
trace_emit(const char *line, const struct timeval *tv)
{
	struct tm	 tm;
	struct buf	 b;
	time_t		 t = tv->tv_sec;
	ssize_t		 n;
	size_t		 off;

	if (trace_sync != NULL)
		out_flush(trace_sync);
	localtime_r(&t, &tm);
	buf_init(&b, 0);
	buf_printf(&b, "  %02d:%02d.%02d %s\n", tm.tm_min, tm.tm_sec,
	    (int)(tv->tv_usec / 10000), line);
	for (off = 0; off < b.len; off += (size_t)n) {
		n = write(STDERR_FILENO, b.data + off, b.len - off);
		if (n <= 0)
			break;
	}
	buf_free(&b);
}

void
trace_hold(int on)
{
	trace_held = on;
}

void
trace_msg(const char *fmt, ...)
{
	struct timeval	 tv;
	va_list		 ap;
	char		*s;

	if (trace_held)
		return;
	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	gettimeofday(&tv, NULL);
	trace_emit(s, &tv);
	free(s);
}

void
trace_io(const char *fmt, ...)
{
	struct trace_entry	*e;
	struct timeval		 tv;
	va_list			 ap;
	char			*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	gettimeofday(&tv, NULL);
	if (trace_level >= 4 && !trace_held) {
		trace_emit(s, &tv);
		free(s);
		return;
	}
	e = trace_ring_next();
	e->line = s;
	e->tv = tv;
}

/* The time of a ring entry: the ring takes every line received, so the
 * coarse clock where there is one (read without a system call, good to a
 * few milliseconds, finer than the hundredths a trace line shows). */
static void
trace_ring_time(struct timeval *tv)
{
#ifdef CLOCK_REALTIME_COARSE
	struct timespec	ts;

	if (clock_gettime(CLOCK_REALTIME_COARSE, &ts) == 0) {
		tv->tv_sec = ts.tv_sec;
		tv->tv_usec = (suseconds_t)(ts.tv_nsec / 1000);
		return;
	}
#endif
	gettimeofday(tv, NULL);
}

/* The ring's next entry, emptied. */
static struct trace_entry *
trace_ring_next(void)
{
	struct trace_entry	*e = &trace_ring[trace_ring_idx];

	free(e->line);
	e->line = NULL;
	e->dir = NULL;
	trace_ring_idx = (trace_ring_idx + 1) % TRACE_LOG_LEN;
	return (e);
}

void
trace_bytes(const char *dir, const char *s, size_t len, trace_fmt_fn fmt)
{
	struct trace_entry	*e;
	struct timeval		 tv;
	struct buf		 b;

	if (trace_level >= 4 && !trace_held) {
		buf_init(&b, 0);
		buf_printf(&b, "%s ", dir);
		fmt(&b, s, len);
		gettimeofday(&tv, NULL);
		trace_emit(b.data, &tv);
		buf_free(&b);
		return;
	}
	e = trace_ring_next();
	trace_ring_time(&e->tv);
	e->dir = dir;
	e->fmt = fmt;
	e->total = len;
	e->rawlen = len < sizeof e->raw ? len : sizeof e->raw;
	memcpy(e->raw, s, e->rawlen);
}

static int
trace_entry_used(const struct trace_entry *e)
{
	return (e->line != NULL || e->dir != NULL);
}

static void
trace_entry_emit(struct trace_entry *e)
{
	struct buf	b;

	if (e->line != NULL) {
		trace_emit(e->line, &e->tv);
		return;
	}
	buf_init(&b, 0);
	buf_printf(&b, "%s ", e->dir);
	e->fmt(&b, e->raw, e->rawlen);
	if (e->rawlen < e->total)
		buf_printf(&b, "... (%zu bytes in all)", e->total);
	trace_emit(b.data, &e->tv);
	buf_free(&b);
}
void
trace_print_log(void)
{
	struct timeval	 tv;
	int		 i, n, count = 0;

	if (trace_held)
		return;
	for (i = 0; i < TRACE_LOG_LEN; i++)
		if (trace_entry_used(&trace_ring[i]))
			count++;
	gettimeofday(&tv, NULL);
	{
		char	*s;

		xasprintf(&s, "last %d IMAP4 interactions:", count);
		trace_emit(s, &tv);
		free(s);
	}
	for (n = 0, i = trace_ring_idx; n < TRACE_LOG_LEN; n++) {
		if (trace_entry_used(&trace_ring[i]))
			trace_entry_emit(&trace_ring[i]);
		i = (i + 1) % TRACE_LOG_LEN;
	}
}

void
trace_clear_log(void)
{
	int	i;

	for (i = 0; i < TRACE_LOG_LEN; i++) {
		free(trace_ring[i].line);
		trace_ring[i].line = NULL;
		trace_ring[i].dir = NULL;
	}
	trace_ring_idx = 0;
}
