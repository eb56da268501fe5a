/*
 * cmd-idle.c: idle (RFC 2177, as today's imaplib's idle), which shows the
 * server's own words as they come, and compress.
 *
 * idle prints each untagged response as it arrives, as the (typ, [data])
 * pair imaplib's idle yields, and ends with DONE when the duration runs
 * out, on Ctrl-C, or on Enter at a terminal; it re-issues itself before
 * the 29 minutes after which servers may drop an idle client (RFC 2177),
 * and reports a server that goes away.  Responses that came before "+"
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
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-list.h"
#include "imap-print.h"
#include "msgcount.h"
#include "trace.h"

#define IDLE_REISSUE_MS	(25LL * 60 * 1000)	/* before the 29 min limit */

static void	 idle_print(void *, const char *, const struct pyval *);
static long long idle_now_ms(void);

static long long
idle_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Each response while idling, as imaplib's idle yields it; the prompt's
 * message count follows. */
static void
idle_print(void *arg, const char *typ, const struct pyval *items)
{
	msgcount_note(&((struct session *)arg)->exists, typ, items);
	cmd_print(arg, typ, items);
}

/* idle(duration=None) */
enum cmd_status
cmd_idle(struct session *s, struct cmd_args *ca)
{
	struct pollfd	 pfd[2];
	struct pyval	*data;
	enum imap_exc	 e;
	enum cmd_status	 st;
	const char	*errstr;
	char		*typ = NULL, *msg = NULL, line[256];
	long long	 secs = -1, deadline = 0, reissue, left, now;
	int		 n, nfd, wait_ms;

	if (!arg_is_none(ca->p[0])) {
		secs = strtonum(arg_str(ca->p[0]), 0, 7 * 86400, &errstr);
		if (errstr != NULL)
			return (cmd_error(s, "idle: duration must be 0 to "
			    "604800 seconds, not '%s'", arg_str(ca->p[0])));
		deadline = idle_now_ms() + secs * 1000;
	}
	s->im.on_untagged = idle_print;
	s->im.on_untagged_arg = s;
	e = imap_idle_begin(&s->im, &typ, &data, &msg);
	if (e != IMAP_OK) {
		s->im.on_untagged = NULL;
		return (cmd_exc(s, e, msg));
	}
	if (typ != NULL) {		/* the server refused IDLE */
		s->im.on_untagged = NULL;
		st = cmd_result(s, typ, data);
		free(typ);
		return (st);
	}
	if (s->interactive) {
		out_printf(s->err, "idling%s: Enter or Ctrl-C ends it\n",
		    secs >= 0 ? " (for a while)" : "");
		out_flush(s->err);
	}
	reissue = idle_now_ms() + IDLE_REISSUE_MS;
	tr_interrupted = 0;
	for (;;) {
		if (imap_buffered(&s->im)) {
			if ((e = imap_get_response(&s->im, &n, &msg)) !=
			    IMAP_OK)
				goto aborted;
			continue;
		}
		now = idle_now_ms();
		if (secs >= 0 && now >= deadline)
			break;
		if (now >= reissue) {
			/* Servers may drop a client idle for 30 minutes. */
			if ((e = imap_idle_done(&s->im, &typ, &data, &msg)) !=
			    IMAP_OK)
				goto aborted;
			free(typ);
			pv_free(data);
			typ = NULL;
			if ((e = imap_idle_begin(&s->im, &typ, &data,
			    &msg)) != IMAP_OK)
				goto aborted;
			if (typ != NULL) {
				s->im.on_untagged = NULL;
				st = cmd_result(s, typ, data);
				free(typ);
				return (st);
			}
			reissue = idle_now_ms() + IDLE_REISSUE_MS;
			continue;
		}
		left = reissue - now;
		if (secs >= 0 && deadline - now < left)
			left = deadline - now;
		wait_ms = left > 60000 ? 60000 : (int)left;
		pfd[0].fd = imap_rfd(&s->im);
		pfd[0].events = POLLIN;
		nfd = 1;
		if (s->interactive) {
			pfd[1].fd = STDIN_FILENO;
			pfd[1].events = POLLIN;
			nfd = 2;
		}
		n = poll(pfd, (nfds_t)nfd, wait_ms);
		if (n == -1 && errno == EINTR) {
			if (tr_interrupted) {
				tr_interrupted = 0;
				break;
			}
			continue;
		}
		if (n <= 0)
			continue;
		if (nfd == 2 && (pfd[1].revents & (POLLIN | POLLHUP))) {
			if (read(STDIN_FILENO, line, sizeof line) <= 0)
				s->quit = 0;	/* EOF at the tty: just stop */
			break;
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((e = imap_get_response(&s->im, &n, &msg)) !=
			    IMAP_OK)
				goto aborted;
		}
	}
	e = imap_idle_done(&s->im, &typ, &data, &msg);
	s->im.on_untagged = NULL;
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	st = cmd_result(s, typ, data);
	free(typ);
	return (st);

aborted:
	s->im.on_untagged = NULL;
	if (strncmp(msg, "socket error: EOF", 17) == 0) {
		char	*m = msg;

		xasprintf(&msg, "the server closed the connection while idling "
		    "(%s)", m);
		free(m);
	}
	return (cmd_exc(s, e, msg));
}

/* compress(): COMPRESS DEFLATE */
enum cmd_status
cmd_compress(struct session *s, struct cmd_args *ca)
{
	struct pyval	*data;
	enum imap_exc	 e;
	enum cmd_status	 st;
	char		*typ, *msg = NULL;

	if (s->im.compressed)
		return (cmd_error(s, "compress: compression is already on"));
	if ((e = imap_compress(&s->im, &typ, &data, &msg)) != IMAP_OK)
		return (cmd_exc(s, e, msg));
	st = cmd_result(s, typ, data);
	free(typ);
	return (st);
}
