/*
 * cmd-idle.c: the commands that show the server's own words as they come:
 * idle (RFC 2177, as today's imaplib's idle) and raw.
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
 *
 * raw sends a line exactly as typed, after a tag (the user's own if the
 * line starts with one), and prints every line the server sends until the
 * tagged reply, escaped for the terminal when stdout is one and byte for
 * byte otherwise.  A line ending in {N} sends the next N bytes of input
 * (lines, joined with CRLF) after the server's "+"; a trailing "<file"
 * sends the file as a literal, its size filled in.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
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
static int	 raw_is_command(const char *, size_t);
static void	 raw_note_state(struct session *, const char *);
static struct spool *raw_literal(struct session *, char **, char **);

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

/* 1 if word is an IMAP command name the core knows. */
static int
raw_is_command(const char *w, size_t len)
{
	char	name[32];
	size_t	i;

	if (len == 0 || len >= sizeof name)
		return (0);
	for (i = 0; i < len; i++)
		name[i] = (char)toupper((unsigned char)w[i]);
	name[len] = '\0';
	return (imap_command_states(name) != NULL);
}

/*
 * The literal a raw line asks for: "... <file" (the file, {N} put in its
 * place in *linep) or "... {N}" (the next N bytes of input).  NULL
 * with *cause set on error; NULL with no cause when there is none.
 */
static struct spool *
raw_literal(struct session *s, char **linep, char **cause)
{
	char		*line = *linep;
	struct spool	*sp;
	struct stat	 st;
	char		*lt, *brace, *end, *in, chunk[64 * 1024], num[32];
	uint64_t	 want = 0, got;
	ssize_t		 n;
	size_t		 len = strlen(line);
	int		 fd;

	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		line[--len] = '\0';
	if ((lt = strrchr(line, '<')) != NULL && (lt == line ||
	    lt[-1] == ' ') && lt[1] != '\0' && strchr(lt, ' ') == NULL) {
		if ((fd = open(lt + 1, O_RDONLY | O_CLOEXEC)) == -1 ||
		    fstat(fd, &st) == -1) {
			xasprintf(cause, "%s: %s", lt + 1, strerror(errno));
			if (fd != -1)
				close(fd);
			return (NULL);
		}
		if ((sp = spool_new(cause)) == NULL) {
			close(fd);
			return (NULL);
		}
		while ((n = read(fd, chunk, sizeof chunk)) > 0)
			if (spool_write(sp, chunk, (size_t)n, cause) == -1)
				break;
		close(fd);
		if (n != 0) {
			if (*cause == NULL)
				xasprintf(cause, "%s: %s", lt + 1,
				    strerror(errno));
			spool_unref(sp);
			return (NULL);
		}
		/* "... <file" becomes "... {size}" */
		snprintf(num, sizeof num, "{%llu}",
		    (unsigned long long)sp->size);
		*lt = '\0';
		xasprintf(&in, "%s%s", line, num);
		free(line);
		*linep = in;
		return (sp);
	}
	if (len < 3 || line[len - 1] != '}' ||
	    (brace = strrchr(line, '{')) == NULL)
		return (NULL);
	for (end = brace + 1; isdigit((unsigned char)*end); end++) {
		if (want > (UINT64_MAX - 9) / 10) {
			*cause = xstrdup("literal size too large");
			return (NULL);
		}
		want = want * 10 + (uint64_t)(*end - '0');
	}
	if (end == brace + 1 || (*end != '}' && !(*end == '+' &&
	    end[1] == '}')))
		return (NULL);
	if ((sp = spool_new(cause)) == NULL)
		return (NULL);
	for (got = 0; got < want;) {
		if (s->readline == NULL || (in = s->readline(s, "> ")) ==
		    NULL) {
			xasprintf(cause, "input ended after %llu of the %llu "
			    "literal bytes", (unsigned long long)got,
			    (unsigned long long)want);
			spool_unref(sp);
			return (NULL);
		}
		if (spool_write(sp, in, strlen(in), cause) == -1 ||
		    spool_write(sp, "\r\n", 2, cause) == -1) {
			free(in);
			spool_unref(sp);
			return (NULL);
		}
		got += strlen(in) + 2;
		free(in);
	}
	if (got != want) {
		xasprintf(cause, "the input lines make %llu bytes, not the "
		    "%llu announced", (unsigned long long)got,
		    (unsigned long long)want);
		spool_unref(sp);
		return (NULL);
	}
	return (sp);
}

/* raw LINE */
enum cmd_status
cmd_raw(struct session *s, struct cmd_args *ca)
{
	struct spool	*lit;
	struct pyval	*data;
	enum imap_exc	 e;
	enum cmd_status	 st;
	char		*line, *tag = NULL, *rest, *typ, *msg = NULL;
	char		*cause = NULL;
	size_t		 w1, w2, i;
	int		 digit;

	if (ca->line == NULL || *ca->line == '\0')
		return (cmd_error(s, "raw: give the line to send, for example "
		    "raw NOOP"));
	if (strpbrk(ca->line, "\r\n") != NULL)
		return (cmd_error(s, "raw: a line break cannot be sent"));
	line = xstrdup(ca->line);
	if ((lit = raw_literal(s, &line, &cause)) == NULL && cause != NULL) {
		free(line);
		st = cmd_error(s, "raw: %s", cause);
		free(cause);
		return (st);
	}
	/* The user's own tag: a first word that is not a command, followed
	 * by one that is, or with a digit in it (a001 NOOP, x SELECT a). */
	w1 = strcspn(line, " \t");
	rest = line + w1 + strspn(line + w1, " \t");
	w2 = strcspn(rest, " \t");
	for (i = 0, digit = 0; i < w1; i++)
		if (isdigit((unsigned char)line[i]))
			digit = 1;
	if (*rest != '\0' && !raw_is_command(line, w1) &&
	    (raw_is_command(rest, w2) || digit)) {
		tag = xstrndup(line, w1);
		memmove(line, rest, strlen(rest) + 1);
	}
	s->im.tap = cmd_raw_tap;
	s->im.tap_arg = s;
	e = imap_raw_command(&s->im, tag, line, lit, &typ, &data, &msg);
	s->im.tap = NULL;
	out_flush(s->out);
	if (lit != NULL)
		spool_unref(lit);
	free(tag);
	if (e != IMAP_OK) {
		free(line);
		return (cmd_exc(s, e, msg));
	}
	st = strcmp(typ, "NO") == 0 || strcmp(typ, "BAD") == 0 ? CMD_FAILED :
	    CMD_OK;
	if (st == CMD_OK)
		raw_note_state(s, line);
	free(line);
	free(typ);
	pv_free(data);
	return (st);
}

/* Keep imapsh's idea of the state in step with what a raw command did. */
static void
raw_note_state(struct session *s, const char *line)
{
	size_t	w = strcspn(line, " \t");

	if (!imap_connected(&s->im))
		return;
	if ((w == 6 && strncasecmp(line, "SELECT", 6) == 0) ||
	    (w == 7 && strncasecmp(line, "EXAMINE", 7) == 0)) {
		s->im.state = IMAP_SELECTED;
		s->im.is_readonly = w == 7;
		free(s->mailbox);
		s->mailbox = xstrdup(line + w + strspn(line + w, " \t"));
	} else if ((w == 5 && strncasecmp(line, "LOGIN", 5) == 0) ||
	    (w == 12 && strncasecmp(line, "AUTHENTICATE", 12) == 0))
		s->im.state = IMAP_AUTH;
	else if ((w == 5 && strncasecmp(line, "CLOSE", 5) == 0) ||
	    (w == 8 && strncasecmp(line, "UNSELECT", 8) == 0))
		s->im.state = IMAP_AUTH;
}
