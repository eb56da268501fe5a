/*
 * cmd-idle.c: idle (RFC 2177, as today's imaplib's idle), which shows the
 * server's own words as they come, and compress.
 *
 * idle prints each untagged response as it arrives, as the (typ, [data])
 * pair imaplib's idle yields (through its sink, sink-idle.c), and ends
 * with DONE when the duration runs out, on Ctrl-C, or on Enter at a
 * terminal; it re-issues itself before the 29 minutes after which
 * servers may drop an idle client (RFC 2177), and reports a server that
 * goes away.  Responses that came before "+"
 * or after DONE are filed like any others, so response and recent see
 * them.
 *
 * compress turns on COMPRESS=DEFLATE (RFC 4978); the trace still shows
 * the uncompressed lines.
 */

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-list.h"
#include "intr.h"
#include "sink-idle.h"
#include "trace.h"

#define IDLE_REISSUE_MS	(25LL * 60 * 1000)	/* before the 29 min limit */

static enum cmd_status idle_run(struct session *, long long, long long);
static enum cmd_status idle_result(struct session *, char *,
		    struct pyval *);
static int	 idle_loop(struct session *, long long, long long,
		    enum imap_exc *, char **, struct pyval **, char **);
static int	 idle_poll(struct session *, int, enum imap_exc *, char **);

/* idle(duration=None) */
enum cmd_status
cmd_idle(struct session *s, struct cmd_args *ca)
{
	struct sink	*was, *sk;
	enum cmd_status	 st;
	const char	*errstr;
	long long	 secs = -1, deadline = 0;

	if (!arg_is_none(ca->p[0])) {
		secs = strtonum(arg_str(ca->p[0]), 0, 7 * 86400, &errstr);
		if (errstr != NULL)
			return (cmd_error(s, "idle: duration must be 0 to "
			    "604800 seconds, not '%s'", arg_str(ca->p[0])));
		deadline = tr_now_ms() + secs * 1000;
	}
	/* Under --format raw, the command's raw printer shows the
	 * responses as they come already. */
	if (s->format == FMT_RAW)
		return (idle_run(s, secs, deadline));
	sk = sink_idle_new(s);
	was = imap_set_sink(s->im, sk, NULL);
	st = idle_run(s, secs, deadline);
	(void)imap_set_sink(s->im, was, NULL);
	sk->ops->free(sk);
	return (st);
}

/* IDLE for secs seconds (-1: until Enter or Ctrl-C) ending at deadline,
 * its responses shown by the command's sink; its result. */
static enum cmd_status
idle_run(struct session *s, long long secs, long long deadline)
{
	struct pyval	*data;
	enum imap_exc	 e;
	char		*typ = NULL, *msg = NULL;
	int		 rv;

	e = imap_idle_begin(s->im, &typ, &data, &msg);
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	if (typ != NULL)		/* the server refused IDLE */
		return (idle_result(s, typ, data));
	if (s->interactive) {
		out_printf(s->err, "idling%s: Enter or Ctrl-C ends it\n",
		    secs >= 0 ? " (for a while)" : "");
		out_flush(s->err);
	}
	e = IMAP_OK;
	rv = idle_loop(s, secs, deadline, &e, &typ, &data, &msg);
	if (rv == 1)
		return (idle_result(s, typ, data));
	if (rv == -1) {
		if (strncmp(msg, "socket error: EOF", 17) == 0) {
			char	*m = msg;

			xasprintf(&msg, "the server closed the connection "
			    "while idling (%s)", m);
			free(m);
		}
		return (cmd_exc(s, e, msg));
	}
	out_resume(s->out);	/* a Ctrl-C that ended IDLE is answered */
	e = imap_idle_done(s->im, &typ, &data, &msg);
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	return (idle_result(s, typ, data));
}

/* IDLE ended, or was refused, with the server's tagged response typ and
 * data: the result. */
static enum cmd_status
idle_result(struct session *s, char *typ, struct pyval *data)
{
	enum cmd_status	st;

	st = cmd_result(s, typ, data);
	free(typ);
	return (st);
}

/*
 * Idle until the duration (secs, -1 for none) ends at deadline, Enter
 * or Ctrl-C: 0 then, -1 with *e and *msg when the connection fails, 1
 * with *typ and *data when the server refuses IDLE issued again.
 */
static int
idle_loop(struct session *s, long long secs, long long deadline,
    enum imap_exc *e, char **typ, struct pyval **data, char **msg)
{
	long long	 reissue, left, now;
	int		 n, rv;

	reissue = tr_now_ms() + IDLE_REISSUE_MS;
	for (;;) {
		if (intr_count() > 0)
			return (0);	/* Ctrl-C: DONE answers it */
		if (imap_buffered(s->im)) {
			if ((*e = imap_get_response(s->im, &n, msg)) !=
			    IMAP_OK)
				return (-1);
			continue;
		}
		now = tr_now_ms();
		if (secs >= 0 && now >= deadline)
			return (0);
		if (now >= reissue) {
			/* Servers may drop a client idle for 30 minutes. */
			if ((*e = imap_idle_done(s->im, typ, data, msg)) !=
			    IMAP_OK)
				return (-1);
			free(*typ);
			pv_free(*data);
			*typ = NULL;
			if ((*e = imap_idle_begin(s->im, typ, data,
			    msg)) != IMAP_OK)
				return (-1);
			if (*typ != NULL)
				return (1);
			reissue = tr_now_ms() + IDLE_REISSUE_MS;
			continue;
		}
		left = reissue - now;
		if (secs >= 0 && deadline - now < left)
			left = deadline - now;
		if ((rv = idle_poll(s, left > 60000 ? 60000 : (int)left, e,
		    msg)) != 0)
			return (rv == 1 ? 0 : -1);
	}
}

/*
 * Wait up to wait_ms for the server or, interactive, the terminal, and
 * read what the server sent: 0 to go on idling (a Ctrl-C is seen by
 * idle_loop()), 1 for Enter or end of input, -1 with *e and *msg when the
 * connection fails.
 */
static int
idle_poll(struct session *s, int wait_ms, enum imap_exc *e, char **msg)
{
	struct pollfd	 pfd[2];
	char		 line[256];
	int		 n, nfd;

	pfd[0].fd = imap_rfd(s->im);
	pfd[0].events = POLLIN;
	nfd = 1;
	if (s->interactive) {
		pfd[1].fd = STDIN_FILENO;
		pfd[1].events = POLLIN;
		nfd = 2;
	}
	n = poll(pfd, (nfds_t)nfd, wait_ms);
	if (n == -1 && errno == EINTR)
		return (0);	/* a Ctrl-C is seen in idle_loop() */
	if (n <= 0)
		return (0);
	if (nfd == 2 && (pfd[1].revents & (POLLIN | POLLHUP))) {
		if (read(STDIN_FILENO, line, sizeof line) <= 0)
			s->quit = 0;	/* EOF at the tty: just stop */
		return (1);
	}
	if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
		if ((*e = imap_get_response(s->im, &n, msg)) != IMAP_OK)
			return (-1);
	}
	return (0);
}

/* compress(): COMPRESS DEFLATE */
enum cmd_status
cmd_compress(struct session *s, struct cmd_args *ca)
{
	struct pyval	*data;
	enum imap_exc	 e;
	enum cmd_status	 st;
	char		*typ, *msg = NULL;

	if (imap_compressed(s->im))
		return (cmd_error(s, "compress: compression is already on"));
	if ((e = imap_compress(s->im, &typ, &data, &msg)) != IMAP_OK)
		return (cmd_exc(s, e, msg));
	st = cmd_result(s, typ, data);
	free(typ);
	return (st);
}
