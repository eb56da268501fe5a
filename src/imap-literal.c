/*
 * imap-literal.c: literals in and out.
 *
 * In: a literal the parser announces is read in chunks as it comes, and
 * its size is never used to allocate.  Small ones are kept in memory
 * while the session's budget lasts; the rest go to a spool file shared by
 * the responses of a command, or, for the command's own data when its
 * sink streams, to the sink as they come.  Out: a literal argument is
 * announced, sent after the server's "+", from memory, a file or a spool.
 */
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crlf.h"
#include "imap.h"
#include "imap-parse.h"
#include "imap-private.h"
#include "pyval.h"
#include "sink.h"
#include "trace.h"
#include "transport.h"
#include "xmalloc.h"

static struct spool *imap_literal_spool(struct imap *, char **);
static enum imap_exc imap_literal_read(struct imap *, uint64_t,
		    const struct pyval *, int *, struct pyval **, char **);

/* The shared spool for this command's literals, made on first use. */
static struct spool *
imap_literal_spool(struct imap *im, char **cause)
{
	if (im->spool == NULL)
		im->spool = spool_new(cause);
	return (im->spool);
}

/*
 * Read a literal of size bytes that the parser announced.  Small ones
 * are kept in memory while the budget lasts; the rest are appended to the
 * spool, or, when line is the line before it in a response of the
 * command's own untagged name, given to its sink as they come and not kept
 * (*streamed is set; the literal is filed as b'').  The size is never
 * used to allocate: memory follows the bytes that actually arrive.
 */
static enum imap_exc
imap_literal_read(struct imap *im, uint64_t size, const struct pyval *line,
    int *streamed, struct pyval **out, char **msg)
{
	struct imap_event	 ev;
	struct spool		*sp = NULL;
	struct buf		 b;
	uint64_t		 start = 0;
	enum imap_exc		 e;
	char			*cause = NULL;
	int			 in_mem, discard, stream;

	in_mem = size <= IMAP_LIT_MEM_MAX &&
	    im->mem_literals + size <= IMAP_MEM_BUDGET;
	stream = !in_mem && line != NULL && im->sink != NULL &&
	    im->sink->streams;
	discard = !in_mem && (stream || (im->sink != NULL &&
	    im->sink->streams && im->sink->ops->wire != NULL));
	if (streamed != NULL)
		*streamed = stream;
	if (stream) {
		if (trace_level >= 4)
			trace_msg("literal printed as it comes, not kept");
		im->sink->ops->lit_begin(im->sink, line, size);
	}
	if (!in_mem && !discard) {
		if ((sp = imap_literal_spool(im, &cause)) == NULL) {
			e = imap_fail(im, IMAP_ABORT, msg, "%s", cause);
			free(cause);
			return (e);
		}
		start = sp->size;
	}
	buf_init(&b, IMAP_LIT_MEM_MAX + 1);
	for (;;) {
		if ((e = imap_next_event(im, &ev, msg)) != IMAP_OK) {
			/* Keep what arrived: the caller files it as partial. */
			if (in_mem && b.len > 0) {
				size_t	 got;
				char	*p = buf_steal(&b, &got);

				*out = pv_bytes_take(p, got);
			} else if (sp != NULL && sp->size > start) {
				sp->partial = 1;
				*out = pv_bytes_spool_range(sp, start,
				    sp->size - start);
			} else if (stream)
				*out = pv_bytes("", 0);	/* not kept */
			buf_free(&b);
			return (e);
		}
		if (ev.type == IMAP_EV_LITERAL_END)
			break;
		if (ev.type != IMAP_EV_LITERAL_DATA) {
			buf_free(&b);
			return (imap_fail(im, IMAP_ABORT, msg,
			    "protocol error: literal data expected"));
		}
		imap_sink_wire(im, ev.data, ev.data_len, 1);
		if (stream)
			im->sink->ops->lit_data(im->sink, ev.data,
			    ev.data_len);
		if (im->progress != NULL && size >= IMAP_PROGRESS_MIN)
			im->progress(im->progress_arg, size - ev.literal_left,
			    size, 0);
		if (discard)
			continue;
		if (in_mem) {
			if (buf_add(&b, ev.data, ev.data_len) == -1) {
				buf_free(&b);
				return (imap_fail(im, IMAP_ABORT, msg,
				    "protocol error: literal longer than "
				    "announced"));
			}
		} else if (spool_write(sp, ev.data, ev.data_len,
		    &cause) == -1) {
			buf_free(&b);
			e = imap_fail(im, IMAP_ABORT, msg, "%s", cause);
			free(cause);
			return (e);
		}
	}
	if (stream)
		im->sink->ops->lit_end(im->sink);
	if (in_mem) {
		im->mem_literals += b.len;
		size_t	 got;
		char	*p = buf_steal(&b, &got);

		*out = pv_bytes_take(p, got);
	} else if (discard)
		*out = pv_bytes("", 0);
	else
		*out = pv_bytes_spool_range(sp, start, sp->size - start);
	return (IMAP_OK);
}

/* Literals on a line nobody reads (a tagged reply, a continuation):
 * consume them so framing survives, and drop them. */
enum imap_exc
imap_literal_drain(struct imap *im, struct imap_event *ev, char **msg)
{
	struct pyval	*lit;
	enum imap_exc	 e;

	while (ev->has_literal) {
		lit = NULL;
		e = imap_literal_read(im, ev->literal_size, NULL, NULL, &lit,
		    msg);
		pv_free(lit);
		if (e != IMAP_OK)
			return (e);
		if ((e = imap_next_line(im, ev, msg)) != IMAP_OK)
			return (e);
	}
	return (IMAP_OK);
}

/*
 * The literals of an untagged response, each filed with the line before
 * it as a (line, literal) tuple: under typ, to the command's sink, or in
 * route (a FETCH whose owner is not known yet); seen gathers them for the
 * sinks that see every untagged response.  *datp is the line before the
 * first literal and, on return, the rest of the response after the last.
 * When the connection dies mid-literal, what came is filed as partial
 * data.
 */
enum imap_exc
imap_literal_untagged(struct imap *im, struct imap_event *ev,
    const char *typ, struct pyval **datp, struct pyval *route,
    struct pyval *seen, char **msg)
{
	struct pyval	*lit, *tup;
	enum imap_exc	 e;
	int		 mine, streamed;

	mine = route == NULL && imap_sink_takes(im, typ);
	while (ev->has_literal) {
		if (trace_level >= 4)
			trace_msg("read literal size %llu",
			    (unsigned long long)ev->literal_size);
		lit = NULL;
		e = imap_literal_read(im, ev->literal_size, mine ? *datp :
		    NULL, &streamed, &lit, msg);
		if (e != IMAP_OK) {
			imap_queue_file_fetch(im, typ, route, NULL, 0);
			if (lit == NULL)
				return (e);
			tup = pv_tuple();
			pv_append(tup, *datp);
			pv_append(tup, lit);
			*datp = NULL;
			imap_file_untagged(im, typ, tup, !streamed);
			free(im->partial);
			im->partial = xstrdup(typ);
			return (e);
		}
		tup = pv_tuple();
		pv_append(tup, *datp);
		pv_append(tup, lit);
		*datp = NULL;
		if (seen != NULL)
			pv_append(seen, pv_copy(tup));
		if (route != NULL)
			pv_append(route, tup);
		else
			imap_file_untagged(im, typ, tup, !streamed);
		if ((e = imap_next_line(im, ev, msg)) != IMAP_OK) {
			imap_queue_file_fetch(im, typ, route, NULL, 0);
			return (e);
		}
		*datp = pv_bytes(ev->line, ev->len);
	}
	return (IMAP_OK);
}

/*
 * A literal argument: announce it at the end of the line so far (wire,
 * and shown for the trace, both emptied), wait for "+", send its bytes.
 * *replied is set when the tagged reply came instead of "+" (a NO or
 * BAD): the command is over.
 */
enum imap_exc
imap_literal_send(struct imap *im, const struct imap_arg *a, struct buf *wire,
    struct buf *shown, int *replied, char **msg)
{
	enum imap_exc	 e;
	uint64_t	 llen;
	char		 num[32], *cause = NULL;
	int		 is_cont = 0, failed;

	if (a->file != NULL)
		llen = crlf_file_size(a->file);
	else
		llen = a->spool != NULL ? a->spool->size : a->len;
	snprintf(num, sizeof num, " {%llu}", (unsigned long long)llen);
	buf_addstr(wire, num);
	buf_addstr(shown, num);
	imap_trace_sent(shown->data, shown->len);
	buf_add(wire, "\r\n", 2);
	failed = tr_write_all(im->tr, wire->data, wire->len, im->timeout_ms,
	    &cause) == -1;
	buf_reset(wire);
	buf_reset(shown);
	while (!failed && !is_cont) {
		if ((e = imap_get_response(im, &is_cont, msg)) != IMAP_OK)
			return (e);
		if (!is_cont && im->pending_done) {	/* BAD/NO? */
			*replied = 1;
			return (IMAP_OK);
		}
	}
	if (!failed) {
		if (trace_level >= 4)
			trace_msg("write literal size %llu",
			    (unsigned long long)llen);
		im->sending = 1;
		/* A changed file fails here: the line is not ended, the
		 * connection dropped, nothing stored. */
		if (a->file != NULL)
			failed = crlf_file_send(a->file, im->tr,
			    im->timeout_ms, llen >= IMAP_PROGRESS_MIN ?
			    im->progress : NULL, im->progress_arg, &cause) ==
			    -1;
		else if (a->spool != NULL)
			failed = imap_literal_write_spool(im, a->spool, llen,
			    &cause) == -1;
		else
			failed = tr_write_all(im->tr, a->s, a->len,
			    im->timeout_ms, &cause) == -1;
		im->sending = 0;
	}
	if (!failed)
		return (IMAP_OK);
	return (imap_fail_io(im, msg, cause));
}

/* Send the bytes of a spool (a literal); -1 and *cause on failure. */
int
imap_literal_write_spool(struct imap *im, struct spool *sp, uint64_t len,
    char **cause)
{
	char		*chunk = xmalloc(256 * 1024);
	uint64_t	 off = 0;
	ssize_t		 n;

	while (off < len) {
		if ((n = spool_read(sp, off, chunk, 256 * 1024)) <= 0) {
			free(chunk);
			*cause = xstrdup("reading the literal's spool failed");
			return (-1);
		}
		if (tr_write_all(im->tr, chunk, (size_t)n, im->timeout_ms,
		    cause) == -1) {
			free(chunk);
			return (-1);
		}
		off += (uint64_t)n;
		if (im->progress != NULL && len >= IMAP_PROGRESS_MIN)
			im->progress(im->progress_arg, off, len, 1);
	}
	free(chunk);
	return (0);
}
