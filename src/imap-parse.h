/*
 * imap-parse.h: the response push parser.
 *
 * The parser does no I/O.  The caller hands it bytes with imap_parse_feed();
 * the parser consumes as many as it needs to produce at most one event and
 * says how many it used.  "Need more data" is an event (IMAP_EV_MORE), so the
 * caller reads from its transport and feeds again.  Because it stops after
 * every event, the caller can look at what is left in its buffer at any
 * point (after a tagged STARTTLS reply, bytes left over are an attack).
 *
 * A response is one or more lines; a line that ends in a literal
 * announcement "{N}" (outside a quoted string) is followed by exactly N
 * bytes of literal data and then by another line of the same response.
 * This is the shape imaplib works on: each line is handed over whole
 * (bounded by a line limit), literal data is handed over in chunks as it
 * arrives and is never collected by the parser, so a literal of any size
 * costs the parser no memory.
 *
 * The parser tracks quoted strings (a "{5}" inside quotes is text),
 * parenthesis/bracket depth across the whole response (bounded), and
 * parses literal sizes digit by digit with an overflow check.
 *
 * Grammar handled (RFC 3501 section 9, simplified to what framing needs):
 *   response  = line *(literal line)
 *   line      = *(quoted / other-char) [ "{" number ["+"] "}" ] CRLF
 *   quoted    = DQUOTE *(QUOTED-CHAR / "\" quoted-specials) DQUOTE
 *   literal   = *OCTET   ; exactly number octets
 * A bare LF line end is accepted (servers that forget CR exist); the line
 * handed over never includes the CR or LF.
 */
#ifndef IMAP_PARSE_H
#define IMAP_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* imaplib's _MAXLINE counts a line with its CR LF; the parser's limit
 * does not, so the two refuse the same lines. */
#define IMAP_MAXLINE		1000000u
#define IMAP_PARSE_MAX_LINE	(IMAP_MAXLINE - 2)
#define IMAP_PARSE_ERR_LINE	"line too long"	/* the error past max_line */
#define IMAP_PARSE_MAX_DEPTH	1000
#define IMAP_PARSE_MAX_LITERAL	((uint64_t)INT64_MAX)

enum imap_ev_type {
	IMAP_EV_MORE,		/* all input consumed, feed more */
	IMAP_EV_LINE,		/* a complete line: line, len, literal, final */
	IMAP_EV_LITERAL_DATA,	/* a chunk of literal data: data, len */
	IMAP_EV_LITERAL_END,	/* the literal announced by the last line ended */
	IMAP_EV_ERROR		/* protocol error: error says what; sticky */
};

struct imap_event {
	enum imap_ev_type type;
	/* IMAP_EV_LINE */
	const char	*line;		/* without CRLF; NUL-terminated copy */
	size_t		 len;
	int		 continued;	/* 1 if this line follows a literal */
	int		 has_literal;	/* 1 if a literal of literal_size follows */
	uint64_t	 literal_size;
	int		 final;		/* 1 if this line ends the response */
	/* IMAP_EV_LITERAL_DATA: points into the caller's input buffer */
	const char	*data;
	size_t		 data_len;
	uint64_t	 literal_left;	/* bytes still to come after this chunk */
	/* IMAP_EV_ERROR */
	const char	*error;
};

struct imap_parser;

struct imap_parser *imap_parser_new(size_t max_line, int max_depth);
void	 imap_parser_free(struct imap_parser *);
void	 imap_parser_reset(struct imap_parser *);

/*
 * Consume bytes from buf[0..len) and produce one event.  *used is set to
 * the number of bytes consumed (possibly 0 when an event is produced from
 * state alone, e.g. LITERAL_END of a {0} literal).  Returns ev->type.
 * The event's pointers stay valid until the next call.  After an ERROR
 * every further call returns the same ERROR until imap_parser_reset().
 */
enum imap_ev_type imap_parse_feed(struct imap_parser *, const char *buf,
	    size_t len, size_t *used, struct imap_event *ev);

/* 1 if the parser sits at the start of a new response (nothing pending). */
int	 imap_parser_idle(const struct imap_parser *);

#endif
