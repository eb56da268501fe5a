/*
 * imap-parse.c: the response push parser (see imap-parse.h for the model).
 *
 * The parser frames server responses into lines and literals; it does not
 * build a parse tree.  Its whole state is a handful of integers and one
 * bounded line buffer, so it can stop after any event and resume with the
 * next byte, and a literal of any size is handed through without a copy.
 *
 * Work per byte is kept small because a FETCH of a large mailbox pushes
 * gigabytes through here: line ends are found with memchr(3), a line is
 * copied once into the line buffer, and the quote/depth scan runs once over
 * the complete line in a table-driven loop.  Literal data is never looked
 * at beyond its length.
 *
 * Limits (max_line is checked before a byte is stored, the others when a
 * line is complete; each failure is a sticky ERROR):
 *	max_line	bytes in one line, CR LF not counted ("line too long")
 *	max_depth	"(" and "[" open in one response ("nesting too deep")
 *	literal size	at most IMAP_PARSE_MAX_LITERAL and 19 digits
 *			("literal size too large")
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imap-parse.h"
#include "xmalloc.h"

enum imap_parse_state {
	PARSE_LINE,		/* collecting a line */
	PARSE_LITERAL,		/* inside literal data (or at its end) */
	PARSE_ERROR		/* stuck until imap_parser_reset() */
};

struct imap_parser {
	enum imap_parse_state	 state;
	struct buf		 line;	/* current line, CR LF stripped */
	size_t			 max_line;
	int			 max_depth;

	int			 line_done;	/* line is the last LINE's */
	int			 pending_cr;	/* a CR ended the last feed */
	int			 continued;	/* a literal came before */
	int			 depth;		/* "(" and "[" open */
	uint64_t		 literal_left;	/* in PARSE_LITERAL */
	const char		*error;		/* in PARSE_ERROR */
};

/* INT64_MAX has 19 digits; more is too many even if they are zeros. */
#define LITERAL_MAX_DIGITS	19

/* Bytes the quote/depth scan must stop at; everything else is skipped. */
enum {
	SCAN_PLAIN = 0,
	SCAN_QUOTE,
	SCAN_OPEN,
	SCAN_CLOSE
};

static enum imap_ev_type parse_fail(struct imap_parser *, const char *,
		    size_t *, struct imap_event *);
static enum imap_ev_type parse_line(struct imap_parser *, const char *,
		    size_t, size_t *, struct imap_event *);
static enum imap_ev_type parse_literal(struct imap_parser *, const char *,
		    size_t, size_t *, struct imap_event *);
static enum imap_ev_type line_complete(struct imap_parser *, size_t *,
		    struct imap_event *);
static int	line_add(struct imap_parser *, const char *, size_t);
static int	line_scan(struct imap_parser *, const char *, size_t, int *);
static int	line_literal(const char *, size_t, uint64_t *);

static const unsigned char scan_class[256] = {
	['"'] = SCAN_QUOTE,
	['('] = SCAN_OPEN,
	['['] = SCAN_OPEN,
	[')'] = SCAN_CLOSE,
	[']'] = SCAN_CLOSE
};

/*
 * Create a parser.  max_line bounds one line (0 means IMAP_PARSE_MAX_LINE);
 * max_depth bounds the parenthesis/bracket depth of one response (0 or less
 * means IMAP_PARSE_MAX_DEPTH).  Never returns NULL.
 */
struct imap_parser *
imap_parser_new(size_t max_line, int max_depth)
{
	struct imap_parser	*ps;

	ps = xcalloc(1, sizeof *ps);
	ps->max_line = max_line == 0 ? IMAP_PARSE_MAX_LINE : max_line;
	if (ps->max_line > SIZE_MAX / 2)	/* keeps cap + 1 in range */
		ps->max_line = SIZE_MAX / 2;
	ps->max_depth = max_depth <= 0 ? IMAP_PARSE_MAX_DEPTH : max_depth;
	/* The buffer's cap is the line limit itself: a CR is held aside. */
	buf_init(&ps->line, ps->max_line);
	imap_parser_reset(ps);
	return (ps);
}

void
imap_parser_free(struct imap_parser *ps)
{
	if (ps == NULL)
		return;
	buf_free(&ps->line);
	free(ps);
}

/* Forget everything but the limits, including a sticky error. */
void
imap_parser_reset(struct imap_parser *ps)
{
	buf_reset(&ps->line);
	ps->state = PARSE_LINE;
	ps->line_done = 0;
	ps->pending_cr = 0;
	ps->continued = 0;
	ps->depth = 0;
	ps->literal_left = 0;
	ps->error = NULL;
}

int
imap_parser_idle(const struct imap_parser *ps)
{
	if (ps->state != PARSE_LINE || ps->continued || ps->pending_cr)
		return (0);
	return (ps->line_done || ps->line.len == 0);
}

/*
 * Produce one event from buf[0..len).  On MORE all of buf was used; on
 * LINE and LITERAL_DATA *used says how much; LITERAL_END uses nothing;
 * ERROR reports *used as 0 (the parser is stuck, the rest is garbage).
 */
enum imap_ev_type
imap_parse_feed(struct imap_parser *ps, const char *buf, size_t len,
    size_t *used, struct imap_event *ev)
{
	memset(ev, 0, sizeof *ev);
	*used = 0;

	switch (ps->state) {
	case PARSE_LINE:
		return (parse_line(ps, buf, len, used, ev));
	case PARSE_LITERAL:
		return (parse_literal(ps, buf, len, used, ev));
	case PARSE_ERROR:
		break;
	}
	ev->type = IMAP_EV_ERROR;
	ev->error = ps->error;
	return (ev->type);
}

/* Enter the sticky error state. */
static enum imap_ev_type
parse_fail(struct imap_parser *ps, const char *error, size_t *used,
    struct imap_event *ev)
{
	ps->state = PARSE_ERROR;
	ps->error = error;
	*used = 0;
	memset(ev, 0, sizeof *ev);
	ev->type = IMAP_EV_ERROR;
	ev->error = error;
	return (ev->type);
}

/*
 * line = *OCTET [CR] LF
 *
 * Collect bytes up to LF.  A CR directly before the LF is dropped; any
 * other CR is line data.  A CR that ends a feed is held in pending_cr
 * rather than in the buffer, so that it costs nothing against the limit
 * until the next byte shows whether it is data or half of CR LF.
 */
static enum imap_ev_type
parse_line(struct imap_parser *ps, const char *buf, size_t len,
    size_t *used, struct imap_event *ev)
{
	const char	*lf;
	size_t		 n;

	if (ps->line_done) {
		buf_reset(&ps->line);
		ps->line_done = 0;
	}

	if (ps->pending_cr) {
		if (len == 0) {
			ev->type = IMAP_EV_MORE;
			return (ev->type);
		}
		ps->pending_cr = 0;
		if (buf[0] == '\n') {
			*used = 1;
			return (line_complete(ps, used, ev));
		}
		if (line_add(ps, "\r", 1) == -1)
			return (parse_fail(ps, IMAP_PARSE_ERR_LINE, used, ev));
	}

	lf = len == 0 ? NULL : memchr(buf, '\n', len);
	if (lf == NULL) {
		n = len;
		if (n != 0 && buf[n - 1] == '\r') {
			ps->pending_cr = 1;
			n--;
		}
		if (line_add(ps, buf, n) == -1)
			return (parse_fail(ps, IMAP_PARSE_ERR_LINE, used, ev));
		*used = len;
		ev->type = IMAP_EV_MORE;
		return (ev->type);
	}

	n = (size_t)(lf - buf);
	if (n != 0 && buf[n - 1] == '\r')
		n--;
	if (line_add(ps, buf, n) == -1)
		return (parse_fail(ps, IMAP_PARSE_ERR_LINE, used, ev));
	*used = (size_t)(lf - buf) + 1;
	return (line_complete(ps, used, ev));
}

/* Append to the line; -1 if the line would pass max_line. */
static int
line_add(struct imap_parser *ps, const char *p, size_t n)
{
	if (n > ps->max_line - ps->line.len)
		return (-1);
	return (buf_add(&ps->line, p, n));
}

/*
 * A whole line is in ps->line (*used already counts its bytes): check the
 * depth, look for a literal announcement, and hand the line over.
 */
static enum imap_ev_type
line_complete(struct imap_parser *ps, size_t *used, struct imap_event *ev)
{
	uint64_t	 size = 0;
	int		 inquote, rv = 0;

	if (ps->line.data == NULL)
		(void)buf_add(&ps->line, "", 0);	/* empty first line */
	ps->line_done = 1;

	if (line_scan(ps, ps->line.data, ps->line.len, &inquote) == -1)
		return (parse_fail(ps, "nesting too deep", used, ev));
	if (!inquote &&
	    (rv = line_literal(ps->line.data, ps->line.len, &size)) == -1)
		return (parse_fail(ps, "literal size too large", used, ev));

	ev->type = IMAP_EV_LINE;
	ev->line = ps->line.data;
	ev->len = ps->line.len;
	ev->continued = ps->continued;
	if (rv == 1) {
		ev->has_literal = 1;
		ev->literal_size = size;
		ps->state = PARSE_LITERAL;
		ps->literal_left = size;
		ps->continued = 1;
	} else {
		ev->final = 1;
		ps->continued = 0;
		ps->depth = 0;
	}
	return (ev->type);
}

/*
 * quoted          = DQUOTE *QUOTED-CHAR DQUOTE
 * QUOTED-CHAR     = <any TEXT-CHAR except quoted-specials> /
 *                   "\" quoted-specials
 * quoted-specials = DQUOTE / "\"
 *
 * Outside quoted strings, "(" and "[" open a level and ")" and "]" close
 * one; the depth is carried across the lines of one response.  A closing
 * byte at depth 0 is ignored (servers put unbalanced ones in resp-text).
 * A quoted string cannot span lines, so an unterminated one simply ends
 * with the line; *inquote says whether it did.  Returns -1 if the depth
 * passes max_depth, else 0.
 */
static int
line_scan(struct imap_parser *ps, const char *line, size_t len, int *inquote)
{
	const unsigned char	*p = (const unsigned char *)line;
	const unsigned char	*end = p + len;
	int			 depth = ps->depth;

	*inquote = 0;
	while (p < end) {
		while (p < end && scan_class[*p] == SCAN_PLAIN)
			p++;
		if (p == end)
			break;
		switch (scan_class[*p++]) {
		case SCAN_QUOTE:
			while (p < end && *p != '"') {
				if (*p == '\\' && end - p > 1)
					p++;
				p++;
			}
			if (p == end)
				*inquote = 1;
			else
				p++;		/* the closing quote */
			break;
		case SCAN_OPEN:
			if (depth >= ps->max_depth)
				return (-1);
			depth++;
			break;
		case SCAN_CLOSE:
			if (depth > 0)
				depth--;
			break;
		}
	}
	ps->depth = depth;
	return (0);
}

/*
 * literal  = "{" number ["+"] "}" CRLF *CHAR8   ; RFC 3501, RFC 7888
 * literal8 = "~{" number ["+"] "}" CRLF *OCTET  ; RFC 3516
 * number   = 1*DIGIT
 *
 * The announcement must end the line and lie outside a quoted string; the
 * "~" of literal8 is ordinary line data.  The caller has checked the quote
 * state at the end of the line, and that is the state at the "{" too: the
 * bytes after it are digits, "+" and "}", none of which opens or closes a
 * string.  So only the short tail is walked here.
 *
 * Returns 1 and sets *size for a literal, 0 if the line does not end in
 * one (including "{}" and "{abc}", which are text), -1 if the size has
 * more than 19 digits or passes IMAP_PARSE_MAX_LITERAL.
 */
static int
line_literal(const char *line, size_t len, uint64_t *size)
{
	const char	*p, *digits;
	uint64_t	 n = 0;
	unsigned int	 d;

	if (len < 3 || line[len - 1] != '}')
		return (0);
	p = line + len - 1;			/* the "}" */
	if (p[-1] == '+')
		p--;
	digits = p;
	while (digits > line && digits[-1] >= '0' && digits[-1] <= '9')
		digits--;
	if (digits == p || digits == line || digits[-1] != '{')
		return (0);

	if (p - digits > LITERAL_MAX_DIGITS)
		return (-1);
	for (; digits < p; digits++) {
		d = (unsigned int)(*digits - '0');
		if (n > (IMAP_PARSE_MAX_LITERAL - d) / 10)
			return (-1);
		n = n * 10 + d;
	}
	*size = n;
	return (1);
}

/*
 * Literal data: exactly literal_left octets, handed over in place in
 * chunks as large as the caller's buffer allows, then LITERAL_END.
 */
static enum imap_ev_type
parse_literal(struct imap_parser *ps, const char *buf, size_t len,
    size_t *used, struct imap_event *ev)
{
	size_t	 n;

	if (ps->literal_left == 0) {
		ps->state = PARSE_LINE;
		ev->type = IMAP_EV_LITERAL_END;
		return (ev->type);
	}
	if (len == 0) {
		ev->type = IMAP_EV_MORE;
		return (ev->type);
	}
	n = (uint64_t)len < ps->literal_left ? len : (size_t)ps->literal_left;
	ps->literal_left -= n;
	*used = n;
	ev->type = IMAP_EV_LITERAL_DATA;
	ev->data = buf;
	ev->data_len = n;
	ev->len = n;
	ev->literal_left = ps->literal_left;
	return (ev->type);
}
