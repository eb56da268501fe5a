/*
 * imap-resp.h: typed response records.
 *
 * The framer (imap-parse.h) turns bytes into lines and literal chunks; this
 * module turns the first line of a response into a record the core can
 * dispatch on, and walks the attributes of a FETCH response (or the
 * arguments of a response code) across the lines and literals that make
 * it up.  It does no I/O and allocates nothing: a record is a handful of
 * spans into the line it was made from (valid while that line is), and a
 * walker is a few integers.  Numbers from the server are parsed digit by
 * digit with overflow checks; no size is ever taken from them.
 *
 * What a record says follows imaplib, which imapsh mirrors: the regexes
 * tagre, Untagged_status, Untagged_response, Continuation and
 * Response_code of imaplib.py (see imap-resp.c), with imapsh's two
 * leniencies: response names are matched in any case and upper-cased, and
 * a tagged line needs no space after its name ("A1 OK").
 */
#ifndef IMAP_RESP_H
#define IMAP_RESP_H

#include <stddef.h>
#include <stdint.h>

#define IMAP_RESP_MAX_NAME	256	/* bytes in a response name */
#define IMAP_RESP_MAX_DEPTH	1000	/* lists open in one value */

/* Bytes of a line: p is NULL when the part is absent (Python's None),
 * and points into the line (len may be 0) when it is present. */
struct imap_resp_span {
	const char	*p;
	size_t		 len;
};

enum imap_resp_kind {
	IMAP_RESP_TAGGED,	/* tag SP name [SP text] */
	IMAP_RESP_UNTAGGED,	/* "*" SP [number SP] name [SP text] */
	IMAP_RESP_CONTINUATION	/* "+" [SP text] */
};

struct imap_resp {
	enum imap_resp_kind	 kind;
	struct imap_resp_span	 tag;		/* TAGGED only */
	/*
	 * "* N NAME": has_number is 1, number_text the digits as sent, and
	 * number their value; a value past 2^32 - 1 (no message number or
	 * UID is) leaves number 0 (never a valid one) and sets
	 * number_overflow.
	 */
	int			 has_number;
	int			 number_overflow;
	uint32_t		 number;
	struct imap_resp_span	 number_text;
	/* The response name, upper-cased; "" for a continuation. */
	char			 name[IMAP_RESP_MAX_NAME + 1];
	/*
	 * What follows "NAME " (or "+ "), to the end of the line: imaplib's
	 * data.  Absent when the name (or "+") ends the line or is followed
	 * by anything but a space, as in imaplib (whose dat is then b'').
	 * For "* N NAME", imaplib's dat is number_text, then, if text is
	 * present, a space and text.  A line that announces a literal ends
	 * with its "{N}"; what comes after the literal are continued lines
	 * of the same response, not new records.
	 */
	struct imap_resp_span	 text;
	/*
	 * Response code: for OK, NO and BAD only (as imaplib), when text
	 * starts with "[" 1*(A-Z / "-") and then "]" or SP ... "]".  code
	 * is the name; code_args what lies between the SP and the LAST "]"
	 * of text (imaplib's greedy match), present but empty for "[NAME]".
	 */
	int			 has_code;
	struct imap_resp_span	 code;
	struct imap_resp_span	 code_args;

	const char		*error;		/* when parsing failed */
};

/*
 * Make a record of the first line of a response, line[0..len) as the
 * framer hands it (no CR LF; NULs and 8-bit bytes are data).  Returns 0,
 * or -1 with r->error set ("empty line", "bad tag", "missing response
 * name", "bad response name", "response name too long") when the line is
 * no response imapsh reads: the core reports it as an unexpected
 * response.
 */
int	 imap_resp_parse(struct imap_resp *r, const char *line, size_t len);

/* 1 if span holds exactly s, compared case-insensitively (ASCII). */
int	 imap_resp_span_is(struct imap_resp_span, const char *s);

/*
 * The value of a number (1*DIGIT) at most max; -1 if span is not all
 * digits, is empty, or the value passes max.
 */
int	 imap_resp_number(struct imap_resp_span, uint64_t max, uint64_t *out);

/* The kinds of value a walker hands over. */
enum imap_resp_val_kind {
	IMAP_RESP_ATOM,		/* atom, number, NIL or flag: span as sent */
	IMAP_RESP_QUOTED,	/* span includes the quotes and escapes */
	IMAP_RESP_LITERAL,	/* span is "{N}" or "~{N}"; N bytes follow */
	IMAP_RESP_LIST		/* span from "(" to its ")", or to a literal */
};

enum imap_resp_walk {
	IMAP_RESP_ITEM,		/* an item was filled in */
	IMAP_RESP_END,		/* no more items */
	IMAP_RESP_NEED_LINE,	/* drain the literal, then *_line() */
	IMAP_RESP_ERROR		/* malformed: the walker's error says how */
};

/*
 * One FETCH attribute, or one piece of it: a value that holds a literal
 * ends at the literal's announcement (literal is 1) and goes on in the
 * next line, where the walker hands over the rest as further pieces
 * (part 1, 2, ...; name and section absent) until more is 0.
 */
struct imap_resp_att {
	struct imap_resp_span	 name;		/* "BODY", as sent */
	struct imap_resp_span	 section;	/* inside "[...]", or absent */
	int			 has_origin;	/* "<N>" after the section */
	uint64_t		 origin;
	enum imap_resp_val_kind	 kind;
	struct imap_resp_span	 value;		/* this piece, in this line */
	int			 literal;	/* a literal follows */
	uint64_t		 literal_size;
	int			 more;		/* the value goes on after it */
	int			 part;		/* 0 for the first piece */
};

/* A FETCH walker's state: private, but on the caller's stack. */
struct imap_resp_fetch {
	const char	*p, *end;
	int		 state;
	int		 depth;		/* lists open in a value cut by a
					   literal */
	const char	*error;
};

/*
 * Walk msg-att, text being the record's text of "* N FETCH (...)" (from
 * the "(").  imap_resp_fetch_next() hands over the attributes in order;
 * after one whose literal is 1 it returns NEED_LINE until the literal has
 * been drained and imap_resp_fetch_line() has given it the line that
 * followed (a continued line from the framer).  END comes at the ")"
 * closing the list; text after it but spaces is an error.
 */
void	 imap_resp_fetch_init(struct imap_resp_fetch *,
	    struct imap_resp_span text);
void	 imap_resp_fetch_line(struct imap_resp_fetch *, const char *line,
	    size_t len);
enum imap_resp_walk imap_resp_fetch_next(struct imap_resp_fetch *,
	    struct imap_resp_att *);

/* One argument of a response code: an atom, quoted string or list. */
struct imap_resp_val {
	enum imap_resp_val_kind	 kind;
	struct imap_resp_span	 span;
};

/*
 * Walk the space-separated arguments of a response code (code_args, e.g.
 * "38505 304,319:320 3956:3958" or "(\Seen \*)"): ITEM per argument, then
 * END; ERROR on unbalanced lists, unterminated strings, NULs, or a literal
 * (none belongs inside a response code).  *args is advanced.
 */
enum imap_resp_walk imap_resp_args_next(struct imap_resp_span *args,
	    struct imap_resp_val *, const char **error);

#endif
