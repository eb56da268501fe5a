/*
 * imap.c: the session core, imaplib.IMAP4's protocol engine in C.
 *
 * The shape follows imaplib closely so that results are identical:
 * _command() -> imap_send_command(), _command_complete() ->
 * imap_simple_command(), _get_response() -> imap_get_response(),
 * _untagged_response() -> imap_untagged_response().  Where imaplib is
 * fragile (it aborts on "A1 OK" without text, or on lower-case response
 * names) imapsh accepts what RFC 3501 allows and otherwise gives the same
 * answer.
 *
 * Framing is the parser's job (imap-parse.c); this file matches response
 * lines, files untagged data under its name or gives it to the command's
 * sink, and keeps the session's state.  Beside it: commands sent ahead
 * (imap-queue.c), literals in and out (imap-literal.c) and the raw
 * command (imap-raw.c), sharing the fields and functions of
 * imap-private.h.
 */
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "imap.h"
#include "imap-commands.h"
#include "imap-private.h"
#include "imap-parse.h"
#include "imap-resp.h"
#include "imap-util.h"
#include "intr.h"
#include "py-repr.h"
#include "redact.h"
#include "term.h"
#include "trace.h"

static void	imap_untagged_report(struct imap *);
static enum imap_exc imap_greeting_state(struct imap *, char **);
static void	imap_trace_caps(struct imap *);
static int	imap_to_sink(struct imap *, const char *, struct pyval *,
		    int);
static void	imap_trace_line(const char *, const char *, size_t);
static enum imap_exc imap_send_command_cont(struct imap *, const char *,
		    const struct imap_arg *, size_t, imap_cont_fn, void *,
		    char **);
static enum imap_exc imap_get_tagged(struct imap *, int, char **,
		    struct pyval **, char **);
static enum imap_exc imap_check_bye(struct imap *, char **);
static enum imap_exc imap_unexpected(struct imap *, const char *,
		    const char *, size_t, char **);
static enum imap_exc imap_got_tagged(struct imap *, struct imap_event *,
		    const struct imap_resp *, char **, struct pyval **, char **);
static struct pyval *imap_untagged_dat(const struct imap_resp *);
static enum imap_exc imap_got_untagged(struct imap *, struct imap_event *,
		    const struct imap_resp *, char **, struct pyval **, char **);
static void	imap_seen(struct imap *, const char *,
		    const struct pyval *);
static enum imap_exc imap_got_continuation(struct imap *,
		    struct imap_event *, char **);
static char	*imap_response_code(struct imap *, const char *,
		    const struct pyval *);
static void	imap_decode(struct buf *, const char *, size_t);
static int	imap_tag_ours(const struct imap *, struct imap_resp_span);
static struct pyval *imap_span_bytes(struct imap_resp_span);
static enum imap_exc imap_command_reply(struct imap *, const char *,
		    char **, struct pyval **, char **);
static void	imap_caps_set(struct imap *, const char *, size_t);
static void	imap_caps_free(struct imap *);
static int	imap_mentions(const char *, size_t, const char *);

struct imap *
imap_new(int timeout_ms)
{
	struct imap	*im;

	im = xcalloc(1, sizeof *im);
	im->state = IMAP_LOGOUT;
	im->timeout_ms = timeout_ms;
	im->ahead_max = IMAP_AHEAD_MAX;
	return (im);
}

static void
imap_caps_free(struct imap *im)
{
	size_t	i;

	for (i = 0; i < im->ncaps; i++)
		free(im->caps[i]);
	free(im->caps);
	im->caps = NULL;
	im->ncaps = 0;
}

/* Set the capability cache from a CAPABILITY text: upper-case, split. */
static void
imap_caps_set(struct imap *im, const char *s, size_t len)
{
	size_t	i, start;

	imap_caps_free(im);
	for (i = 0; i < len; ) {
		while (i < len && isspace((unsigned char)s[i]))
			i++;
		start = i;
		while (i < len && !isspace((unsigned char)s[i]))
			i++;
		if (i > start) {
			char	*c = xstrndup(s + start, i - start);
			char	*p;

			for (p = c; *p != '\0'; p++)
				*p = (char)toupper((unsigned char)*p);
			im->caps = xreallocarray(im->caps, im->ncaps + 1,
			    sizeof *im->caps);
			im->caps[im->ncaps++] = c;
		}
	}
}

int
imap_has_cap(const struct imap *im, const char *cap)
{
	size_t	i;

	for (i = 0; i < im->ncaps; i++)
		if (strcasecmp(im->caps[i], cap) == 0)
			return (1);
	return (0);
}

int
imap_connected(const struct imap *im)
{
	return (im->tr != NULL);
}

/*
 * What the rest of imapsh reads of the session.  Each is a plain read:
 * the fields change only here, on the replies that change them.
 */
enum imap_state
imap_state(const struct imap *im)
{
	return (im->state);
}

int
imap_readonly(const struct imap *im)
{
	return (im->is_readonly);
}

int
imap_utf8(const struct imap *im)
{
	return (im->utf8_enabled);
}

int
imap_tls(const struct imap *im)
{
	return (im->tls_established);
}

int
imap_compressed(const struct imap *im)
{
	return (im->compressed);
}

const char *const *
imap_caps(const struct imap *im, size_t *ncaps)
{
	*ncaps = im->ncaps;
	return ((const char *const *)im->caps);
}

const char *
imap_tag_prefix(const struct imap *im)
{
	return (im->tagpre);
}

const struct pyval *
imap_welcome(const struct imap *im)
{
	return (im->welcome);
}

struct transport *
imap_transport(const struct imap *im)
{
	return (im->tr);
}

int
imap_busy(const struct imap *im)
{
	return (im->pending_tag != NULL);
}

const char *
imap_partial(const struct imap *im)
{
	return (im->partial);
}

void
imap_partial_clear(struct imap *im)
{
	free(im->partial);
	im->partial = NULL;
}

unsigned long long
imap_sink_dropped(const struct imap *im)
{
	return (im->sink_dropped);
}

/* The settings the front end gives the session. */
void
imap_set_timeout(struct imap *im, int timeout_ms)
{
	im->timeout_ms = timeout_ms;
}

void
imap_set_notify(struct imap *im, imap_notify_fn fn, void *arg)
{
	im->notify = fn;
	im->notify_arg = arg;
}

void
imap_set_progress(struct imap *im, imap_progress_fn fn, void *arg)
{
	im->progress = fn;
	im->progress_arg = arg;
}

void
imap_shutdown(struct imap *im)
{
	if (im->tr != NULL) {
		tr_close(im->tr);
		im->tr = NULL;
	}
	if (im->parser != NULL) {
		imap_parser_free(im->parser);
		im->parser = NULL;
	}
	free(im->rbuf);
	im->rbuf = NULL;
	im->roff = im->rlen = 0;
	free(im->pending_tag);
	im->pending_tag = NULL;
	free(im->pending_typ);
	im->pending_typ = NULL;
	pv_free(im->pending_data);
	im->pending_data = NULL;
	imap_queue_clear(im);
	im->cancelled = 0;
	im->sending = 0;
	im->compressed = 0;
	im->state = IMAP_LOGOUT;
}

void
imap_free(struct imap *im)
{
	if (im == NULL)
		return;
	imap_shutdown(im);
	imap_untagged_free(im->ut);
	imap_caps_free(im);
	pv_free(im->welcome);
	free(im->continuation);
	if (im->spool != NULL)
		spool_unref(im->spool);
	free(im->partial);
	free(im->host);
	free(im->port);
	free(im);
}

/*
 * Record a failure.  An abort means the connection cannot go on: it is
 * closed here, so the shell knows to reconnect.
 */
/*
 * Reading or writing failed with cause (taken): abort with imaplib's
 * "socket error: ...", or, when a Ctrl-C ended the wait that the core
 * could not let finish (a second one, or one in the middle of sending a
 * literal), say that the connection was dropped for it.
 */
enum imap_exc
imap_fail_io(struct imap *im, char **msg, char *cause)
{
	enum imap_exc	e;

	if (cause != NULL && strcmp(cause, "interrupted") == 0)
		e = imap_fail(im, IMAP_ABORT, msg, "%s: the connection was "
		    "dropped", IMAP_INTERRUPTED);
	else
		e = imap_fail(im, IMAP_ABORT, msg, "socket error: %s", cause);
	free(cause);
	return (e);
}

enum imap_exc
imap_fail(struct imap *im, enum imap_exc exc, char **msg, const char *fmt,
    ...)
{
	va_list	ap;

	va_start(ap, fmt);
	xvasprintf(msg, fmt, ap);
	va_end(ap);
	if (exc == IMAP_ABORT && im->tr != NULL) {
		if (trace_level >= 1)
			trace_print_log();
		imap_shutdown(im);
	}
	return (exc);
}

/* The untagged-responses dictionary. */

struct imap_untagged *
imap_ur(struct imap *im)
{
	if (im->ut == NULL)
		im->ut = imap_untagged_new(0);
	return (im->ut);
}

const struct pyval *
imap_ur_find(struct imap *im, const char *name)
{
	return (imap_untagged_find(imap_ur(im), name));
}

struct pyval *
imap_ur_pop(struct imap *im, const char *name)
{
	return (imap_untagged_pop(imap_ur(im), name));
}

void
imap_ur_delete(struct imap *im, const char *name)
{
	imap_untagged_delete(imap_ur(im), name);
}

void
imap_ur_clear(struct imap *im)
{
	imap_untagged_clear(imap_ur(im));
}

struct sink *
imap_set_sink(struct imap *im, struct sink *sk, const char *key)
{
	struct sink	*was = im->sink;

	im->sink = sk;
	im->sink_key = sk != NULL ? key : NULL;
	im->sink_kept = 0;
	im->sink_dropped = 0;
	/* imapsh's own command (completion's LIST) is not traced. */
	trace_hold(sk != NULL && sk->quiet);
	return (was);
}

void
imap_set_watch(struct imap *im, struct sink *sk)
{
	im->watch = sk;
}

/* 1 if the items of the untagged name typ are the command's sink's. */
int
imap_sink_takes(const struct imap *im, const char *typ)
{
	return (im->sink != NULL && im->sink_key != NULL &&
	    strcmp(typ, im->sink_key) == 0);
}

/* 1 if the core may tell the person something mid-command: not while
 * the command is imapsh's own (a quiet sink's), whose notices are not
 * given (the dictionary's waits for the next command). */
int
imap_may_notify(const struct imap *im)
{
	return (im->notify != NULL && (im->sink == NULL || !im->sink->quiet));
}

/* _append_untagged(typ, dat): dat is bytes or (bytes, bytes). */
void
imap_append_untagged(struct imap *im, const char *typ, struct pyval *dat)
{
	imap_file_untagged(im, typ, dat, 1);
}

/*
 * The command's own data goes to its sink (show: the sink is to see dat;
 * it was given a tuple's literal as it came).  The dictionary keeps a
 * copy while that stays under IMAP_SINK_KEEP bytes, for imaplib's next
 * command should this one end NO; past that, none.  Returns 1 when dat
 * is to be filed, 0 when it was freed.
 */
static int
imap_to_sink(struct imap *im, const char *typ, struct pyval *dat, int show)
{
	const struct pyval	*l;
	size_t			 cost;

	if (show)
		im->sink->ops->item(im->sink, dat);
	if (im->sink->quiet) {
		pv_free(dat);
		return (0);
	}
	cost = pv_mem_size(dat);
	if (im->sink_dropped == 0 && im->sink_kept + cost > IMAP_SINK_KEEP) {
		l = imap_ur_find(im, typ);
		im->sink_dropped = l != NULL ? l->n : 0;
		imap_ur_delete(im, typ);
	}
	if (im->sink_dropped > 0) {
		im->sink_dropped++;
		pv_free(dat);
		return (0);
	}
	im->sink_kept += cost;
	return (1);
}

/* The same, and show: whether the command's sink is to see dat. */
void
imap_file_untagged(struct imap *im, const char *typ, struct pyval *dat,
    int show)
{
	const struct pyval	*l;
	struct buf		 b;

	if (trace_level >= 5) {
		l = imap_ur_find(im, typ);
		buf_init(&b, 0);
		if (dat->type == PV_TUPLE && dat->n == 2 &&
		    pv_bytes_len(dat->items[1]) > 1024) {
			buf_addc(&b, '(');
			py_repr(&b, dat->items[0]);
			buf_printf(&b, ", <%llu bytes>)", (unsigned long long)
			    pv_bytes_len(dat->items[1]));
		} else
			py_repr(&b, dat);
		trace_msg("untagged_responses[%s] %zu += [\"%s\"]", typ,
		    l == NULL ? 0 : l->n, b.data);
		buf_free(&b);
	}
	if (imap_sink_takes(im, typ) && !imap_to_sink(im, typ, dat, show))
		return;
	(void)imap_untagged_append(imap_ur(im), typ, dat);
}

/* What the dictionary dropped since the last time, said in one line
 * (at each tagged reply, so once a command however much it dropped). */
static void
imap_untagged_report(struct imap *im)
{
	char	note[IMAP_UNTAGGED_NOTICE_MAX];

	if (im->ut != NULL && imap_may_notify(im) &&
	    imap_untagged_notice(im->ut, note, sizeof note))
		im->notify(im->notify_arg, note);
}

/* Trace one line received or sent, as imaplib: "< b'...'" */
static void
imap_trace_line(const char *dir, const char *s, size_t len)
{
	trace_bytes(dir, s, len, py_bytes_repr);
}

/* Decode bytes to text for a message (imaplib's .decode('ascii',
 * 'replace')), escaped for the terminal. */
static void
imap_decode(struct buf *b, const char *s, size_t len)
{
	struct buf	tmp;
	size_t		i;

	buf_init(&tmp, 0);
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x80)
			buf_addstr(&tmp, "\xef\xbf\xbd");	/* U+FFFD */
		else
			buf_addc(&tmp, s[i]);
	}
	term_line(b, tmp.data == NULL ? "" : tmp.data, tmp.len);
	buf_free(&tmp);
}

/* Get the next parser event, reading from the transport as needed. */
enum imap_exc
imap_next_event(struct imap *im, struct imap_event *ev, char **msg)
{
	enum imap_ev_type	 t;
	size_t			 used;
	ssize_t			 n;
	char			*cause = NULL;

	if (im->tr == NULL)
		return (imap_fail(im, IMAP_ABORT, msg, "socket error: "
		    "not connected"));
	for (;;) {
		t = imap_parse_feed(im->parser, im->rbuf + im->roff,
		    im->rlen - im->roff, &used, ev);
		im->roff += used;
		if (t == IMAP_EV_ERROR && strcmp(ev->error,
		    IMAP_PARSE_ERR_LINE) == 0) {
			/* imaplib's limit, kind and text; the rest of the
			 * line cannot be framed, so the connection goes. */
			imap_shutdown(im);
			return (imap_fail(im, IMAP_ERROR, msg,
			    "got more than %u bytes", IMAP_MAXLINE));
		}
		if (t == IMAP_EV_ERROR)
			return (imap_fail(im, IMAP_ABORT, msg,
			    "protocol error: %s", ev->error));
		if (t != IMAP_EV_MORE)
			return (IMAP_OK);
		im->roff = im->rlen = 0;
		n = tr_read(im->tr, im->rbuf, IMAP_RBUF_SIZE, im->timeout_ms,
		    &cause);
		if (n == 0) {
			char	*why = NULL;

			if (im->tr->ops->eof_reason != NULL)
				why = im->tr->ops->eof_reason(im->tr);
			if (why == NULL)
				return (imap_fail(im, IMAP_ABORT, msg,
				    "socket error: EOF"));
			n = imap_fail(im, IMAP_ABORT, msg, "socket error: EOF "
			    "(%s)", why);
			free(why);
			return ((enum imap_exc)n);
		}
		if (n < 0 && tr_interrupt_pending(im->tr) &&
		    im->pending_tag != NULL && !im->cancelled &&
		    !im->sending) {
			/* The first Ctrl-C: let the command finish so the
			 * session stays in step, and drop its result; the
			 * next one ends the wait again. */
			im->tr->intr_seen = intr_count();
			im->cancelled = 1;
			free(cause);
			cause = NULL;
			if (imap_may_notify(im))
				im->notify(im->notify_arg, "interrupted: "
				    "waiting for the server to finish the "
				    "command (Ctrl-C again drops the "
				    "connection)");
			continue;
		}
		if (n < 0)
			return (imap_fail_io(im, msg, cause));
		im->rlen = (size_t)n;
	}
}

/* The next event must be a line. */
enum imap_exc
imap_next_line(struct imap *im, struct imap_event *ev, char **msg)
{
	enum imap_exc	e;

	if ((e = imap_next_event(im, ev, msg)) != IMAP_OK)
		return (e);
	if (ev->type != IMAP_EV_LINE)
		return (imap_fail(im, IMAP_ABORT, msg,
		    "protocol error: expected a line"));
	imap_trace_line("<", ev->line, ev->len);
	imap_sink_wire(im, ev->line, ev->len, 0);
	return (IMAP_OK);
}

/* A line or literal chunk as received, to the sink that wants them. */
void
imap_sink_wire(struct imap *im, const char *p, size_t len, int literal)
{
	if (im->sink != NULL && im->sink->ops->wire != NULL)
		im->sink->ops->wire(im->sink, p, len, literal);
}

/*
 * Add the text arguments from args[i] on to the wire (and, secrets
 * redacted, to what the trace shows), up to the first literal: returns
 * its index, or nargs when there is none.
 */
size_t
imap_args_text(const struct imap_arg *args, size_t nargs, size_t i,
    struct buf *wire, struct buf *shown)
{
	for (; i < nargs; i++) {
		const struct imap_arg	*a = &args[i];

		if (a->type != IMAP_ARG_TEXT && a->type != IMAP_ARG_TRAILER)
			break;
		if (a->type == IMAP_ARG_TEXT) {
			buf_addc(wire, ' ');
			buf_addc(shown, ' ');
		}
		buf_add(wire, a->s, a->len);
		if (a->secret && !trace_secrets)
			buf_addstr(shown, "<redacted>");
		else
			buf_add(shown, a->s, a->len);
	}
	return (i);
}

/*
 * A new command starts, unless a Ctrl-C came during the front end's
 * command (intr.h): then nothing more is sent for it (IMAP_ERROR,
 * "interrupted").  Literals of earlier results still printing keep their
 * spool; otherwise it is emptied and reused.
 */
enum imap_exc
imap_new_command(struct imap *im, char **msg)
{
	if (intr_count() > 0)
		return (imap_fail(im, IMAP_ERROR, msg, "%s",
		    IMAP_INTERRUPTED));
	im->tr->intr_seen = 0;
	if (im->spool != NULL && im->spool->refs > 1) {
		spool_unref(im->spool);
		im->spool = NULL;
	} else if (im->spool != NULL && im->spool->size != 0) {
		if (ftruncate(im->spool->fd, 0) == 0)
			im->spool->size = 0;
		else {
			spool_unref(im->spool);
			im->spool = NULL;
		}
	}
	im->mem_literals = 0;
	return (IMAP_OK);
}

/* 1 if tag is one of ours: the exact tag of a raw command sent with the
 * user's own, else our prefix and digits. */
static int
imap_tag_ours(const struct imap *im, struct imap_resp_span tag)
{
	size_t	plen = strlen(im->tagpre), i;

	if (im->pending_tag != NULL && strncmp(im->pending_tag, im->tagpre,
	    plen) != 0)
		return (tag.len == strlen(im->pending_tag) &&
		    memcmp(tag.p, im->pending_tag, tag.len) == 0);
	if (tag.len <= plen || memcmp(tag.p, im->tagpre, plen) != 0)
		return (0);
	for (i = plen; i < tag.len; i++)
		if (!isdigit((unsigned char)tag.p[i]))
			return (0);
	return (1);
}

/* The span's bytes (b'' when it is absent). */
static struct pyval *
imap_span_bytes(struct imap_resp_span sp)
{
	return (pv_bytes(sp.p != NULL ? sp.p : "", sp.p != NULL ? sp.len :
	    0));
}

/* An unexpected line: abort with what (and the line, as bytes). */
static enum imap_exc
imap_unexpected(struct imap *im, const char *what, const char *s, size_t len,
    char **msg)
{
	struct buf	b;
	enum imap_exc	e;

	buf_init(&b, 0);
	py_bytes_repr(&b, s, len);
	e = imap_fail(im, IMAP_ABORT, msg, "%s: %s", what, b.data);
	buf_free(&b);
	return (e);
}

/*
 * A tagged reply, r: the command in flight's, or that of a command sent
 * ahead.  Returns its type and text in *typp and *datp for the response
 * code.
 */
static enum imap_exc
imap_got_tagged(struct imap *im, struct imap_event *ev,
    const struct imap_resp *r, char **typp, struct pyval **datp, char **msg)
{
	struct imap_ahead	*ah = NULL;
	enum imap_exc		 e;
	int			 ours;

	ours = im->pending_tag != NULL && strlen(im->pending_tag) ==
	    r->tag.len && memcmp(r->tag.p, im->pending_tag, r->tag.len) == 0;
	if (!ours && (ah = imap_queue_find(im, r->tag.p, r->tag.len)) !=
	    NULL && ah->done)
		ah = NULL;
	if (ah == NULL && (!ours || im->pending_done))
		return (imap_unexpected(im, "unexpected tagged response",
		    ev->line, ev->len, msg));
	*typp = xstrdup(r->name);
	*datp = imap_span_bytes(r->text);
	/* A literal on a tagged line is not something imaplib reads. */
	if ((e = imap_literal_drain(im, ev, msg)) != IMAP_OK)
		return (e);
	if (ah != NULL && ah->orphan) {
		/* Sent ahead for a run that never came: drop it. */
		imap_queue_remove(im, (size_t)(ah - im->ahead));
	} else if (ah != NULL) {
		/* A command sent ahead finished before the one run now: its
		 * run takes this. */
		ah->typ = xstrdup(*typp);
		ah->data = pv_list1(pv_copy(*datp));
		ah->done = 1;
	} else {
		free(im->pending_typ);
		im->pending_typ = xstrdup(*typp);
		pv_free(im->pending_data);
		im->pending_data = pv_list1(pv_copy(*datp));
		im->pending_done = 1;
	}
	return (IMAP_OK);
}

/* imaplib's dat of an untagged response: "N [text]" for "* N NAME",
 * else the text. */
static struct pyval *
imap_untagged_dat(const struct imap_resp *r)
{
	struct buf	 b;
	struct pyval	*dat;

	if (!r->has_number)
		return (imap_span_bytes(r->text));
	buf_init(&b, 0);
	buf_add(&b, r->number_text.p, r->number_text.len);
	if (r->text.p != NULL && r->text.len > 0) {
		buf_addc(&b, ' ');
		buf_add(&b, r->text.p, r->text.len);
	}
	dat = pv_bytes(b.data != NULL ? b.data : "", b.len);
	buf_free(&b);
	return (dat);
}

/*
 * An untagged response, "* ...": filed under its name (or given to the
 * command's sink, or kept for the FETCH sent ahead that asked for it).
 * Returns its type and the rest of its text in *typp and *datp.
 */
static enum imap_exc
imap_got_untagged(struct imap *im, struct imap_event *ev,
    const struct imap_resp *r, char **typp, struct pyval **datp, char **msg)
{
	struct pyval		*seen = NULL, *route = NULL;
	unsigned long long	 seqnum = r->number;
	enum imap_exc		 e;

	*typp = xstrdup(r->name);
	*datp = imap_untagged_dat(r);
	if ((im->sink != NULL && im->sink->ops->untagged != NULL) ||
	    (im->watch != NULL && im->watch->ops->untagged != NULL))
		seen = pv_list();
	/* With FETCHes sent ahead, a FETCH response is kept whole until it
	 * is known whose it is. */
	if (seqnum > 0 && im->nahead > 0 && strcmp(*typp, "FETCH") == 0)
		route = pv_list();
	if ((e = imap_literal_untagged(im, ev, *typp, datp, route, seen,
	    msg)) != IMAP_OK) {
		pv_free(seen);
		return (e);
	}
	if (route != NULL) {
		pv_append(route, pv_copy(*datp));
		imap_queue_file_fetch(im, *typp, route,
		    imap_queue_fetch_owner(im, seqnum, route), 1);
	} else
		imap_append_untagged(im, *typp, pv_copy(*datp));
	if (seen != NULL) {
		pv_append(seen, pv_copy(*datp));
		imap_seen(im, *typp, seen);
		pv_free(seen);
	}
	if (strcmp(*typp, "CAPABILITY") == 0)
		imap_caps_set(im, (*datp)->s, (*datp)->len);
	return (IMAP_OK);
}

/* An untagged response as filed, to the command's sink and then the
 * session's watch, when they want every one. */
static void
imap_seen(struct imap *im, const char *typ, const struct pyval *items)
{
	if (im->sink != NULL && im->sink->ops->untagged != NULL)
		im->sink->ops->untagged(im->sink, typ, items);
	if (im->watch != NULL && im->watch->ops->untagged != NULL)
		im->watch->ops->untagged(im->watch, typ, items);
}

/* A continuation, "+ text": its text is kept for the command. */
static enum imap_exc
imap_got_continuation(struct imap *im, struct imap_event *ev, char **msg)
{
	free(im->continuation);
	im->continuation = NULL;
	if (ev->len >= 2 && ev->line[1] == ' ')
		im->continuation = xstrndup(ev->line + 2, ev->len - 2);
	return (imap_literal_drain(im, ev, msg));
}

/*
 * Bracketed response information: \[([A-Z-]+)( (.*))?\] at the start of
 * an OK, NO or BAD text, the data running to the last ']', filed under
 * the code's name.  Returns that name (the caller's), or NULL.
 */
static char *
imap_response_code(struct imap *im, const char *typ, const struct pyval *dat)
{
	const char	*d = dat->s, *close;
	struct pyval	*code = NULL;
	size_t		 dl = dat->len, cend;
	char		*name;

	if ((strcmp(typ, "OK") != 0 && strcmp(typ, "NO") != 0 &&
	    strcmp(typ, "BAD") != 0) || dl == 0 || d[0] != '[')
		return (NULL);
	for (cend = 1; cend < dl && ((d[cend] >= 'A' && d[cend] <= 'Z') ||
	    d[cend] == '-'); cend++)
		;
	if (cend == 1 || cend >= dl)
		return (NULL);
	if (d[cend] == ' ' && (close = memrchr(d + cend + 1, ']',
	    dl - cend - 1)) != NULL)
		code = pv_bytes(d + cend + 1, (size_t)(close - (d + cend + 1)));
	else if (d[cend] == ']')
		code = pv_bytes("", 0);
	if (code == NULL)
		return (NULL);
	name = xstrndup(d + 1, cend - 1);
	if (strcmp(name, "CAPABILITY") == 0)
		imap_caps_set(im, code->s, code->len);
	imap_append_untagged(im, name, code);
	return (name);
}

/*
 * _get_response(): read one whole response and file it.  *continuation
 * is set for a "+" response.
 */
enum imap_exc
imap_get_response(struct imap *im, int *continuation, char **msg)
{
	struct imap_event	 ev;
	struct imap_resp	 r;
	struct pyval		*dat = NULL;
	enum imap_exc		 e;
	struct buf		 b;
	char			*typ = NULL, *code;

	*continuation = 0;
	if ((e = imap_next_line(im, &ev, msg)) != IMAP_OK)
		return (e);
	if (im->state == IMAP_LOGOUT && im->pending_tag == NULL &&
	    im->welcome == NULL)	/* imaplib's self.welcome */
		im->welcome = pv_bytes(ev.line, ev.len);

	if (imap_resp_parse(&r, ev.line, ev.len) == -1)
		return (imap_unexpected(im, "unexpected response", ev.line,
		    ev.len, msg));
	switch (r.kind) {
	case IMAP_RESP_TAGGED:
		if ((im->pending_tag == NULL && im->nahead == 0) ||
		    !imap_tag_ours(im, r.tag))
			return (imap_unexpected(im, "unexpected response",
			    ev.line, ev.len, msg));
		e = imap_got_tagged(im, &ev, &r, &typ, &dat, msg);
		imap_untagged_report(im);
		break;
	case IMAP_RESP_UNTAGGED:
		e = imap_got_untagged(im, &ev, &r, &typ, &dat, msg);
		break;
	default:
		*continuation = 1;
		return (imap_got_continuation(im, &ev, msg));
	}
	if (e == IMAP_OK) {
		/* As in imaplib, a code's name stands for the type from
		 * here on. */
		if ((code = imap_response_code(im, typ, dat)) != NULL) {
			free(typ);
			typ = code;
		}
		if (trace_level >= 1 && (strcmp(typ, "NO") == 0 ||
		    strcmp(typ, "BAD") == 0 || strcmp(typ, "BYE") == 0)) {
			buf_init(&b, 0);
			py_bytes_repr(&b, dat->s, dat->len);
			trace_msg("%s response: %s", typ, b.data);
			buf_free(&b);
		}
	}
	free(typ);
	pv_free(dat);
	return (e);
}

/* _check_bye(): a BYE seen means the connection is going away. */
static enum imap_exc
imap_check_bye(struct imap *im, char **msg)
{
	const struct pyval	*l;
	struct pyval		*last;
	struct buf		 b;
	enum imap_exc		 e;

	if ((l = imap_ur_find(im, "BYE")) == NULL || l->n == 0)
		return (IMAP_OK);
	last = l->items[l->n - 1];
	buf_init(&b, 0);
	if (last->type == PV_BYTES && last->s != NULL)
		imap_decode(&b, last->s, last->len);
	e = imap_fail(im, IMAP_ABORT, msg, "%s", b.data == NULL ? "" : b.data);
	buf_free(&b);
	return (e);
}

/*
 * _command(name, *args): check the state, build and send the command,
 * sending literal arguments after the server's "+".  If the server
 * answers a literal with a tagged NO/BAD instead, stop there.
 */

/*
 * Answer continuations with cont() until the tagged reply arrives (the
 * AUTHENTICATE exchange).  Each answer is a line; when cont() sets secret
 * the trace shows <redacted> instead.
 */
enum imap_exc
imap_continuations(struct imap *im, imap_cont_fn cont, void *arg,
    char **msg)
{
	struct buf	 resp, rb;
	enum imap_exc	 e;
	char		*cause = NULL;
	int		 is_cont, secret;

	for (;;) {
		if ((e = imap_get_response(im, &is_cont, msg)) != IMAP_OK)
			return (e);
		if (im->pending_done)
			return (IMAP_OK);
		if (!is_cont)
			continue;
		buf_init(&resp, 0);
		secret = 1;
		if (cont(arg, im->continuation, &resp, &secret) == -1) {
			e = imap_fail(im, IMAP_ABORT, msg, "%s",
			    resp.data == NULL ? "" : resp.data);
			buf_wipe(&resp);
			return (e);
		}
		buf_init(&rb, 0);
		if (secret && !trace_secrets)
			buf_addstr(&rb, "b'<redacted>'");
		else
			py_bytes_repr(&rb, resp.data == NULL ? "" : resp.data,
			    resp.len);
		if (trace_level >= 4)
			trace_msg("> %s", rb.data);
		else
			trace_io("> %s", rb.data);
		buf_free(&rb);
		buf_add(&resp, "\r\n", 2);
		if (tr_write_all(im->tr, resp.data, resp.len, im->timeout_ms,
		    &cause) == -1) {
			buf_wipe(&resp);
			e = imap_fail_io(im, msg, cause);
			return (e);
		}
		buf_wipe(&resp);
	}
}

static enum imap_exc
imap_send_command_cont(struct imap *im, const char *name,
    const struct imap_arg *args, size_t nargs, imap_cont_fn cont, void *arg,
    char **msg)
{
	struct buf	 wire, shown;
	char		*cause = NULL;
	enum imap_exc	 e;
	size_t		 i;
	int		 replied = 0;

	if ((e = imap_may_send(im, name, msg)) != IMAP_OK ||
	    (e = imap_command_start(im, msg)) != IMAP_OK)
		return (e);
	imap_state_before(im, name);
	/* Commands sent ahead run before this one: any left have no run
	 * to come (a script stopped), and their replies are dropped. */
	imap_ahead_orphan(im);

	free(im->pending_tag);
	xasprintf(&im->pending_tag, "%s%lu", im->tagpre, im->tagnum++);
	im->pending_done = 0;
	free(im->pending_typ);
	im->pending_typ = NULL;
	pv_free(im->pending_data);
	im->pending_data = NULL;

	buf_init(&wire, 0);
	buf_init(&shown, 0);
	buf_printf(&wire, "%s %s", im->pending_tag, name);
	buf_printf(&shown, "%s %s", im->pending_tag, name);
	for (i = 0; (i = imap_args_text(args, nargs, i, &wire, &shown)) <
	    nargs; i++) {
		e = imap_literal_send(im, &args[i], &wire, &shown, &replied,
		    msg);
		if (e != IMAP_OK || replied) {
			buf_wipe(&wire);
			buf_free(&shown);
			return (e);
		}
	}
	/* The rest of the line (all of it when there was no literal). */
	if (shown.len > 0)
		imap_trace_sent(shown.data, shown.len);
	buf_add(&wire, "\r\n", 2);
	if (tr_write_all(im->tr, wire.data, wire.len, im->timeout_ms,
	    &cause) == -1) {
		buf_wipe(&wire);
		buf_free(&shown);
		return (imap_fail_io(im, msg, cause));
	}
	buf_wipe(&wire);
	buf_free(&shown);
	if (cont != NULL)
		return (imap_continuations(im, cont, arg, msg));
	return (IMAP_OK);
}

/* Trace a line sent: "> b'...'" at level 4, else into the ring. */
void
imap_trace_sent(const char *s, size_t len)
{
	struct buf	shown;

	buf_init(&shown, 0);
	if (!trace_secrets && redact_imap_line(&shown, s, len) > 0) {
		s = shown.data;		/* raw LOGIN, xatom AUTHENTICATE ... */
		len = shown.len;
	}
	trace_bytes(">", s, len, py_bytes_repr);
	buf_free(&shown);
}

/* The tagged reply of the command in flight, which has come, to *typ and
 * *data (the caller's): the command is over. */
void
imap_take_reply(struct imap *im, char **typ, struct pyval **data)
{
	*typ = im->pending_typ;
	*data = im->pending_data;
	im->pending_typ = NULL;
	im->pending_data = NULL;
	free(im->pending_tag);
	im->pending_tag = NULL;
	im->pending_done = 0;
}

/* _get_tagged_response(tag, expect_bye) */
static enum imap_exc
imap_get_tagged(struct imap *im, int expect_bye, char **typ,
    struct pyval **data, char **msg)
{
	struct pyval	*bye;
	enum imap_exc	 e;
	int		 cont;

	for (;;) {
		if (im->pending_done) {
			imap_take_reply(im, typ, data);
			return (IMAP_OK);
		}
		if (expect_bye && (bye = imap_ur_pop(im, "BYE")) != NULL) {
			*typ = xstrdup("BYE");
			*data = bye;
			free(im->pending_tag);
			im->pending_tag = NULL;
			return (IMAP_OK);
		}
		if ((e = imap_check_bye(im, msg)) != IMAP_OK)
			return (e);
		if ((e = imap_get_response(im, &cont, msg)) != IMAP_OK)
			return (e);
		if (cont) {
			/* Nothing was waiting for one: a server that asks
			 * for data here is not speaking IMAP with us. */
			struct buf	b;

			buf_init(&b, 0);
			py_bytes_repr(&b, im->continuation == NULL ? "" :
			    im->continuation, im->continuation == NULL ? 0 :
			    strlen(im->continuation));
			e = imap_fail(im, IMAP_ABORT, msg, "unexpected "
			    "continuation request (+ %s) where the server "
			    "owed a reply", b.data);
			buf_free(&b);
			return (e);
		}
	}
}

enum imap_exc
imap_simple_command(struct imap *im, const char *name,
    const struct imap_arg *args, size_t nargs, char **typ,
    struct pyval **data, char **msg)
{
	return (imap_command_cont(im, name, args, nargs, NULL, NULL, typ,
	    data, msg));
}

/* May name be sent now: valid in this state, and connected? */
enum imap_exc
imap_may_send(struct imap *im, const char *name, char **msg)
{
	if (imap_commands_allowed(name, im->state) != 1) {
		*msg = imap_commands_illegal(name, im->state);
		return (IMAP_ERROR);
	}
	if (im->tr == NULL)
		return (imap_fail(im, IMAP_ABORT, msg, "not connected: use "
		    "'connect HOST [PORT]' or 'reconnect'"));
	return (IMAP_OK);
}

/* What imaplib does before each command it runs: forget the last
 * command's OK/NO/BAD, refuse to go on in a mailbox gone READ-ONLY. */
enum imap_exc
imap_command_start(struct imap *im, char **msg)
{
	imap_ur_delete(im, "OK");
	imap_ur_delete(im, "NO");
	imap_ur_delete(im, "BAD");
	if (imap_ur_find(im, "READ-ONLY") != NULL && !im->is_readonly)
		return (imap_fail(im, IMAP_READONLY, msg,
		    "mailbox status changed to READ-ONLY"));
	return (imap_new_command(im, msg));
}

enum imap_exc
imap_command_cont(struct imap *im, const char *name,
    const struct imap_arg *args, size_t nargs, imap_cont_fn cont, void *arg,
    char **typ, struct pyval **data, char **msg)
{
	enum imap_exc	 e;

	*typ = NULL;
	*data = NULL;
	if ((e = imap_send_command_cont(im, name, args, nargs, cont, arg,
	    msg)) != IMAP_OK)
		return (e);
	return (imap_command_finish(im, name, typ, data, msg));
}

/*
 * The session's state after a command, as imaplib changes it; only the
 * core does.  Before LOGOUT is sent the state is LOGOUT; SELECT and
 * EXAMINE set whether the mailbox is read-only.  After the tagged reply
 * (ok: it was OK): LOGIN and AUTHENTICATE give AUTH; SELECT and EXAMINE
 * give SELECTED, or AUTH when not OK; CLOSE and UNSELECT give AUTH
 * whatever the reply.  name is the command's name, in any case.
 */
void
imap_state_before(struct imap *im, const char *name)
{
	if (strcasecmp(name, "LOGOUT") == 0)
		im->state = IMAP_LOGOUT;
	else if (strcasecmp(name, "SELECT") == 0)
		im->is_readonly = 0;
	else if (strcasecmp(name, "EXAMINE") == 0)
		im->is_readonly = 1;
}

/* ok: 1 for a tagged OK, 0 for another reply, -1 for none (an error). */
void
imap_state_after(struct imap *im, const char *name, int ok)
{
	if (im->tr == NULL)
		return;
	if (strcasecmp(name, "LOGIN") == 0 ||
	    strcasecmp(name, "AUTHENTICATE") == 0) {
		if (ok == 1)
			im->state = IMAP_AUTH;
	} else if (strcasecmp(name, "SELECT") == 0 ||
	    strcasecmp(name, "EXAMINE") == 0) {
		if (ok != -1)
			im->state = ok ? IMAP_SELECTED : IMAP_AUTH;
	} else if (strcasecmp(name, "CLOSE") == 0 ||
	    strcasecmp(name, "UNSELECT") == 0)
		im->state = IMAP_AUTH;
}

/*
 * _command_complete(): wait for the tagged reply of the command in
 * flight, name, and make imaplib's exceptions of what is not a result
 * (BYE, BAD, an interrupted command).
 */
enum imap_exc
imap_command_finish(struct imap *im, const char *name, char **typ,
    struct pyval **data, char **msg)
{
	enum imap_exc	e;

	e = imap_command_reply(im, name, typ, data, msg);
	imap_state_after(im, name, e != IMAP_OK ? -1 :
	    strcmp(*typ, "OK") == 0);
	return (e);
}

/* The reply part of imap_command_finish(). */
static enum imap_exc
imap_command_reply(struct imap *im, const char *name, char **typ,
    struct pyval **data, char **msg)
{
	enum imap_exc	 e;
	char		*inner = NULL;
	int		 logout = strcmp(name, "LOGOUT") == 0;

	if (!logout && (e = imap_check_bye(im, msg)) != IMAP_OK)
		return (e);
	if ((e = imap_get_tagged(im, logout, typ, data, &inner)) != IMAP_OK) {
		xasprintf(msg, "command: %s => %s", name, inner);
		free(inner);
		return (e);
	}
	if (!logout && (e = imap_check_bye(im, msg)) != IMAP_OK) {
		free(*typ);
		pv_free(*data);
		*typ = NULL;
		*data = NULL;
		return (e);
	}
	if (im->cancelled) {
		im->cancelled = 0;
		free(*typ);
		pv_free(*data);
		*typ = NULL;
		*data = NULL;
		*msg = xstrdup(IMAP_INTERRUPTED);
		return (IMAP_ERROR);
	}
	if (strcmp(*typ, "BAD") == 0) {
		struct buf	b;

		buf_init(&b, 0);
		py_repr(&b, *data);
		xasprintf(msg, "%s command error: %s %s", name, *typ, b.data);
		buf_free(&b);
		free(*typ);
		pv_free(*data);
		*typ = NULL;
		*data = NULL;
		return (IMAP_ERROR);
	}
	return (IMAP_OK);
}

void
imap_untagged_response(struct imap *im, const char *typ, struct pyval *dat,
    const char *name, struct pyval **out)
{
	struct pyval	*data;

	if (strcmp(typ, "NO") == 0) {
		*out = dat;
		return;
	}
	pv_free(dat);
	if ((data = imap_ur_pop(im, name)) == NULL) {
		*out = pv_list1(pv_none());
		return;
	}
	if (trace_level >= 5) {
		struct buf	b;

		buf_init(&b, 64 * 1024);
		py_repr(&b, data);
		trace_msg("untagged_responses[%s] => %s", name,
		    b.data == NULL ? "" : b.data);
		buf_free(&b);
	}
	*out = data;
}

/* _get_capabilities() */
enum imap_exc
imap_get_capabilities(struct imap *im, char **msg)
{
	struct pyval	*data, *caps;
	enum imap_exc	 e;
	char		*typ;

	e = imap_simple_command(im, "CAPABILITY", NULL, 0, &typ, &data, msg);
	if (e != IMAP_OK)
		return (e);
	imap_untagged_response(im, typ, data, "CAPABILITY", &caps);
	free(typ);
	if (caps->n == 0 || caps->items[caps->n - 1]->type != PV_BYTES) {
		pv_free(caps);
		return (imap_fail(im, IMAP_ERROR, msg,
		    "no CAPABILITY response from server"));
	}
	imap_caps_set(im, caps->items[caps->n - 1]->s,
	    caps->items[caps->n - 1]->len);
	pv_free(caps);
	return (IMAP_OK);
}

enum imap_exc
imap_open(struct imap *im, struct transport *tr, const char *host,
    const char *port, char **msg)
{
	enum imap_exc	 e;
	uint16_t	 r;
	int		 cont;

	imap_shutdown(im);
	imap_untagged_free(im->ut);
	im->ut = NULL;
	imap_caps_free(im);
	pv_free(im->welcome);
	im->welcome = NULL;
	free(im->host);
	free(im->port);
	im->host = xstrdup(host);
	im->port = xstrdup(port);
	im->tr = tr;
	im->parser = imap_parser_new(IMAP_PARSE_MAX_LINE,
	    IMAP_PARSE_MAX_DEPTH);
	im->rbuf = xmalloc(IMAP_RBUF_SIZE);
	im->roff = im->rlen = 0;
	im->tagnum = 0;
	im->is_readonly = 0;
	im->utf8_enabled = 0;
	im->tls_established = tr->tls;
	im->protocol_version = NULL;
	im->state = IMAP_LOGOUT;

	/* A random prefix of four letters, as imaplib's
	 * Int2AP(random.randint(4096, 65535)). */
	do {
		if (gnutls_rnd(GNUTLS_RND_NONCE, &r, sizeof r) != 0)
			r = (uint16_t)getpid();
	} while (r < 4096);
	int2ap(r, im->tagpre);

	if (trace_level >= 1) {
		trace_msg("imapsh version %s", IMAPSH_VERSION);
		trace_msg("new IMAP4 connection, tag=%s", im->tagpre);
	}

	/* The greeting: a fake pending command so nothing is tagged. */
	if ((e = imap_get_response(im, &cont, msg)) != IMAP_OK) {
		char *m = *msg;

		if (strncmp(m, "socket error: EOF", 17) == 0)
			xasprintf(msg, "connection closed by server during "
			    "greeting%s", m + 17);	/* keep "(why)" */
		else
			xasprintf(msg, "%s (while waiting for the greeting)",
			    m);
		free(m);
		return (e);
	}
	if ((e = imap_greeting_state(im, msg)) != IMAP_OK)
		return (e);
	/*
	 * Ask CAPABILITY even when the greeting carried them, as imaplib
	 * does: servers answer later commands differently once a client has
	 * asked (Dovecot then leaves [CAPABILITY] out of LOGIN's OK), and
	 * results must be the ones imaplib gets.
	 */
	if ((e = imap_get_capabilities(im, msg)) != IMAP_OK)
		return (e);
	if (trace_level >= 3)
		imap_trace_caps(im);
	if (imap_has_cap(im, "IMAP4REV1"))
		im->protocol_version = "IMAP4REV1";
	else if (imap_has_cap(im, "IMAP4"))
		im->protocol_version = "IMAP4";
	else
		return (imap_fail(im, IMAP_ABORT, msg,
		    "server not IMAP4 compliant"));
	return (IMAP_OK);
}

/* The state the greeting puts the session in: PREAUTH, OK, or (BYE or
 * anything else) a refusal. */
static enum imap_exc
imap_greeting_state(struct imap *im, char **msg)
{
	const struct pyval	*bye;
	struct buf		 b;
	enum imap_exc		 e;

	if (imap_ur_find(im, "PREAUTH") != NULL) {
		im->state = IMAP_AUTH;
		return (IMAP_OK);
	}
	if (imap_ur_find(im, "OK") != NULL) {
		im->state = IMAP_NONAUTH;
		return (IMAP_OK);
	}
	bye = imap_ur_find(im, "BYE");
	buf_init(&b, 0);
	if (bye != NULL && bye->n > 0)
		imap_decode(&b, bye->items[0]->s, bye->items[0]->len);
	e = imap_fail(im, IMAP_ABORT, msg, "server refused the connection: %s",
	    b.data != NULL ? b.data : "no OK greeting");
	buf_free(&b);
	return (e);
}

/* "CAPABILITIES: ('IMAP4REV1', ...)", as imaplib traces them. */
static void
imap_trace_caps(struct imap *im)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, 0);
	buf_addc(&b, '(');
	for (i = 0; i < im->ncaps; i++) {
		if (i > 0)
			buf_addstr(&b, ", ");
		py_str_repr(&b, im->caps[i], strlen(im->caps[i]));
	}
	if (im->ncaps == 1)
		buf_addc(&b, ',');
	buf_addc(&b, ')');
	trace_msg("CAPABILITIES: %s", b.data);
	buf_free(&b);
}

enum imap_exc
imap_starttls(struct imap *im, const struct tls_opts *opts, char **typ,
    struct pyval **data, char **msg)
{
	struct transport	*tls;
	struct pyval		*dat;
	enum imap_exc		 e;
	char			*cause = NULL;

	*typ = NULL;
	*data = NULL;
	/* imaplib raises abort for these two, but nothing was sent and the
	 * connection is fine: an error (imapsh(1), DIFFERENCES FROM
	 * IMAPLIB).  Outside NONAUTH the state check comes first, since
	 * imaplib never drops STARTTLS from its capabilities. */
	if (im->tls_established) {
		*msg = xstrdup("TLS session already established");
		return (IMAP_ERROR);
	}
	if (imap_commands_allowed("STARTTLS", im->state) == 1 &&
	    !imap_has_cap(im, "STARTTLS")) {
		*msg = xstrdup("TLS not supported by server");
		return (IMAP_ERROR);
	}
	e = imap_simple_command(im, "STARTTLS", NULL, 0, typ, &dat, msg);
	if (e != IMAP_OK)
		return (e);
	if (strcmp(*typ, "OK") != 0) {
		free(*typ);
		*typ = NULL;
		pv_free(dat);
		return (imap_fail(im, IMAP_ERROR, msg,
		    "Couldn't establish TLS session"));
	}
	/* Nothing may follow the OK in cleartext (CVE-2011-0411 and the
	 * "NO STARTTLS" study): whatever did is an injection. */
	if (im->roff != im->rlen || !imap_parser_idle(im->parser)) {
		free(*typ);
		*typ = NULL;
		pv_free(dat);
		return (imap_fail(im, IMAP_ABORT, msg, "the server sent data "
		    "after its STARTTLS reply, before the TLS handshake "
		    "(a sign of a man in the middle); connection closed"));
	}
	tls = tr_tls_wrap(im->tr, opts, im->timeout_ms, &cause);
	im->tr = NULL;		/* wrapped, or closed on failure */
	if (tls == NULL) {
		free(*typ);
		*typ = NULL;
		pv_free(dat);
		e = imap_fail(im, IMAP_ABORT, msg, "%s", cause);
		free(cause);
		imap_shutdown(im);
		return (e);
	}
	im->tr = tls;
	im->tls_established = 1;
	imap_parser_reset(im->parser);
	im->roff = im->rlen = 0;
	/* Forget everything learned in cleartext. */
	imap_ur_clear(im);
	imap_caps_free(im);
	if ((e = imap_get_capabilities(im, msg)) != IMAP_OK) {
		free(*typ);
		*typ = NULL;
		pv_free(dat);
		return (e);
	}
	imap_untagged_response(im, *typ, dat, "STARTTLS", data);
	return (IMAP_OK);
}

/* Bytes already received and not yet parsed (read them before polling). */
int
imap_buffered(struct imap *im)
{
	if (im->tr == NULL)
		return (0);
	if (im->roff < im->rlen || !imap_parser_idle(im->parser))
		return (1);
	return (im->tr->ops->pending != NULL &&
	    im->tr->ops->pending(im->tr) > 0);
}

int
imap_rfd(struct imap *im)
{
	return (im->tr == NULL ? -1 : im->tr->ops->rfd(im->tr));
}

/* IDLE: send it and wait for the server's "+". Responses that come first
 * are filed (and seen by the sinks' untagged ops) as any others. */
enum imap_exc
imap_idle_begin(struct imap *im, char **typ, struct pyval **data,
    char **msg)
{
	enum imap_exc	e;
	int		is_cont;

	*typ = NULL;
	*data = NULL;
	if ((e = imap_send_command_cont(im, "IDLE", NULL, 0, NULL, NULL,
	    msg)) != IMAP_OK)
		return (e);
	for (;;) {
		if ((e = imap_get_response(im, &is_cont, msg)) != IMAP_OK)
			return (e);
		if (is_cont)
			return (IMAP_OK);
		if (im->pending_done)	/* refused: NO or BAD */
			return (imap_get_tagged(im, 0, typ, data, msg));
	}
}

/* DONE, then the tagged reply; responses after DONE are filed too. */
enum imap_exc
imap_idle_done(struct imap *im, char **typ, struct pyval **data,
    char **msg)
{
	char	*cause = NULL;

	/* DONE answers the Ctrl-C that ended IDLE, if one did: the reply
	 * is waited for until the next. */
	im->tr->intr_seen = intr_count();
	if (trace_level >= 4)
		trace_msg("> b'DONE'");
	else
		trace_io("> b'DONE'");
	if (tr_write_all(im->tr, "DONE\r\n", 6, im->timeout_ms,
	    &cause) == -1)
		return (imap_fail_io(im, msg, cause));
	return (imap_get_tagged(im, 0, typ, data, msg));
}

/*
 * COMPRESS DEFLATE (RFC 4978): after the tagged OK both directions are
 * compressed.  Bytes already read past the OK belong to the compressed
 * stream and go to the inflater first.
 */
enum imap_exc
imap_compress(struct imap *im, char **typ, struct pyval **data, char **msg)
{
	struct transport	*z;
	struct imap_arg		 arg;
	char			*cause = NULL;
	enum imap_exc		 e;

	memset(&arg, 0, sizeof arg);
	arg.type = IMAP_ARG_TEXT;
	arg.s = "DEFLATE";
	arg.len = 7;
	if ((e = imap_simple_command(im, "COMPRESS", &arg, 1, typ, data,
	    msg)) != IMAP_OK || strcmp(*typ, "OK") != 0)
		return (e);
	if (!imap_parser_idle(im->parser)) {
		free(*typ);
		pv_free(*data);
		*typ = NULL;
		*data = NULL;
		return (imap_fail(im, IMAP_ABORT, msg, "COMPRESS: the server's "
		    "reply ended in the middle of a line"));
	}
	z = tr_zlib_wrap(im->tr, im->rbuf + im->roff, im->rlen - im->roff,
	    &cause);
	if (z == NULL) {
		free(*typ);
		pv_free(*data);
		*typ = NULL;
		*data = NULL;
		e = imap_fail(im, IMAP_ABORT, msg, "%s", cause);
		free(cause);
		return (e);
	}
	im->tr = z;
	im->roff = im->rlen = 0;
	im->compressed = 1;
	return (IMAP_OK);
}

/*
 * ENABLE (RFC 5161), as imaplib's enable(): after a tagged OK, when an
 * argument names UTF8=ACCEPT (RFC 6855), strings go out as UTF-8 from
 * then on.
 */
enum imap_exc
imap_enable(struct imap *im, const struct imap_arg *args, size_t nargs,
    char **typ, struct pyval **data, char **msg)
{
	enum imap_exc	e;
	size_t		i;
	int		utf8 = 0;

	for (i = 0; i < nargs; i++)
		if (args[i].s != NULL &&
		    imap_mentions(args[i].s, args[i].len, "UTF8=ACCEPT"))
			utf8 = 1;
	e = imap_simple_command(im, "ENABLE", args, nargs, typ, data, msg);
	if (e == IMAP_OK && strcmp(*typ, "OK") == 0 && utf8)
		im->utf8_enabled = 1;
	return (e);
}

/* 1 if s (len bytes) holds word, in any case. */
static int
imap_mentions(const char *s, size_t len, const char *word)
{
	size_t	i, n = strlen(word);

	for (i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, word, n) == 0)
			return (1);
	return (0);
}
