/*
 * transport.c: timeouts, interrupts and whole-buffer writes on top of any
 * transport's vtable.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "intr.h"
#include "transport.h"
#include "xmalloc.h"

static int	tr_wait(struct transport *, int reading, int timeout_ms,
		    char **);
static int	tr_past_deadline(struct transport *, char **);

int
tr_interrupt_pending(const struct transport *t)
{
	return (intr_count() > (t != NULL ? t->intr_seen : 0));
}

long long
tr_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
tr_left(long long start, int timeout_ms)
{
	long long	left;

	if (timeout_ms <= 0)
		return (0);
	left = start + timeout_ms - tr_now_ms();
	return (left < 1 ? 1 : (int)left);
}

void
tr_set_deadline(struct transport *t, long long start, int timeout_ms)
{
	t->deadline = timeout_ms > 0 ? start + timeout_ms : 0;
	t->deadline_ms = timeout_ms;
}

/* 1, with *cause, when t's overall deadline has passed. */
static int
tr_past_deadline(struct transport *t, char **cause)
{
	if (t->deadline == 0 || tr_now_ms() < t->deadline)
		return (0);
	xasprintf(cause, "timed out after %d seconds waiting for the server",
	    t->deadline_ms / 1000);
	return (1);
}

/*
 * Wait until the transport can read (or write).  0 when ready; -1 with
 * *cause on timeout, interrupt or poll error.
 */
static int
tr_wait(struct transport *t, int reading, int timeout_ms, char **cause)
{
	struct pollfd	pfd;
	long long	deadline = 0, left;
	int		events, n;

	if (timeout_ms > 0)
		deadline = tr_now_ms() + timeout_ms;
	if (t->deadline != 0 && (deadline == 0 || t->deadline < deadline))
		deadline = t->deadline;
	for (;;) {
		if (tr_interrupt_pending(t)) {
			*cause = xstrdup("interrupted");
			return (-1);
		}
		if (tr_past_deadline(t, cause))
			return (-1);
		events = reading ? POLLIN : POLLOUT;
		if (t->ops->want != NULL)
			events = t->ops->want(t, reading);
		/* A layer may need the other descriptor (TLS renegotiation
		 * over a pipe pair is not a thing, so rfd/wfd pick by event). */
		pfd.fd = (events & POLLOUT) ? t->ops->wfd(t) : t->ops->rfd(t);
		pfd.events = events;
		pfd.revents = 0;
		left = -1;
		if (deadline != 0) {
			left = deadline - tr_now_ms();
			if (left <= 0) {
				xasprintf(cause, "timed out after %d seconds "
				    "waiting for the server", timeout_ms / 1000);
				return (-1);
			}
		}
		n = poll(&pfd, 1, (int)left);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			xasprintf(cause, "poll: %s", strerror(errno));
			return (-1);
		}
		if (n == 0)
			continue;	/* deadline check above reports it */
		return (0);
	}
}

ssize_t
tr_read(struct transport *t, void *buf, size_t len, int timeout_ms,
    char **cause)
{
	ssize_t	n;

	/* Read first and poll only when nothing is there: a bulk transfer
	 * costs one system call per buffer, not two. */
	for (;;) {
		if (tr_interrupt_pending(t)) {
			*cause = xstrdup("interrupted");
			return (-1);
		}
		if (tr_past_deadline(t, cause))
			return (-1);
		n = t->ops->read(t, buf, len, cause);
		if (n != -2)
			return (n);
		if (tr_wait(t, 1, timeout_ms, cause) == -1)
			return (-1);
	}
}

int
tr_write_all(struct transport *t, const void *buf, size_t len,
    int timeout_ms, char **cause)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = t->ops->write(t, p, len, cause);
		if (n == -1)
			return (-1);
		if (n == -2) {
			if (tr_wait(t, 0, timeout_ms, cause) == -1)
				return (-1);
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

int
tr_send_file(struct transport *t, int fd, uint64_t off, uint64_t len,
    uint64_t *sent, int timeout_ms, char **cause)
{
	ssize_t	n;
	size_t	want;

	*sent = 0;
	if (t->ops->sendfile == NULL)
		return (1);
	while (*sent < len) {
		want = SSIZE_MAX;
		if (want > len - *sent)
			want = (size_t)(len - *sent);
		n = t->ops->sendfile(t, fd, off + *sent, want, cause);
		if (n == -1)
			return (-1);
		if (n == -2) {
			if (tr_wait(t, 0, timeout_ms, cause) == -1)
				return (-1);
			continue;
		}
		if (n == -3) {
			if (*sent == 0)
				return (1);
			*cause = xstrdup("sendfile stopped working");
			return (-1);
		}
		if (n == 0)
			break;		/* the file ended */
		*sent += (uint64_t)n;
	}
	return (0);
}

void
tr_close(struct transport *t)
{
	if (t == NULL)
		return;
	t->ops->close(t);
	free(t->peer);
	free(t);
}
