/*
 * imap-resp.c: typed response records and the FETCH attribute walker (see
 * imap-resp.h for the model).
 *
 * Everything here reads a line the framer has already bounded
 * (IMAP_PARSE_MAX_LINE) and writes only into the caller's structs; the one
 * copy is the upper-cased response name, bounded by IMAP_RESP_MAX_NAME.
 * Each function carries above it the grammar it implements: imaplib's
 * regexes where imapsh must read a line as imaplib does (records), RFC
 * 3501 / RFC 9051 section 9 where imaplib reads nothing (FETCH attributes
 * and response code arguments, which imaplib leaves as bytes).
 *
 * Limits: response names IMAP_RESP_MAX_NAME bytes; lists nested
 * IMAP_RESP_MAX_DEPTH deep within one value; message numbers below 2^32
 * (larger ones are flagged, not errors, as imaplib reads them as bytes);
 * partial origins and literal sizes below 2^63, at most 19 digits.
 */
#include <stdint.h>
#include <string.h>

#include "imap-resp.h"

#define DIGITS_MAX	19		/* of a number below 2^63 */
#define NUMBER64_MAX	((uint64_t)INT64_MAX)

/* The walker's states. */
enum {
	WALK_OPEN,		/* before the "(" of msg-att */
	WALK_ATT,		/* before an attribute (after "(" or SP) */
	WALK_AFTER,		/* after a value: SP, ")" or the line's end */
	WALK_LITERAL,		/* a literal follows: the next line is owed */
	WALK_LIST,		/* inside a list cut by a literal */
	WALK_END,
	WALK_ERROR
};

/* Byte classes (RFC 3501 section 9). */
#define C_ALPHA		0x01
#define C_DIGIT		0x02
#define C_ATOM		0x04	/* ATOM-CHAR */
#define C_TAG		0x08	/* ASTRING-CHAR except "+" */
#define C_NAME		0x10	/* in a FETCH attribute name */

static unsigned char	 cclass(unsigned char);
static int		 is_class(unsigned char, unsigned char);
static const char	*scan_name(const char *, const char *, char *, int);
static void		 parse_code(struct imap_resp *);
static int		 scan_number(const char *, const char *, uint64_t,
			    uint64_t *, const char **);
static int		 scan_literal(const char *, const char *,
			    uint64_t *);
static const char	*scan_quoted(const char *, const char *,
			    const char **);
static const char	*scan_atom(const char *, const char *,
			    const char **);
static const char	*scan_list(const char *, const char *, int *,
			    int *, uint64_t *, const char **);
static const char	*scan_value(const char *, const char *,
			    struct imap_resp_val *, int *, int *, uint64_t *,
			    const char **);
static const char	*scan_section(const char *, const char *,
			    const char **);
static enum imap_resp_walk walk_fail(struct imap_resp_fetch *, const char *);
static enum imap_resp_walk walk_att(struct imap_resp_fetch *,
			    struct imap_resp_att *);
static enum imap_resp_walk walk_value(struct imap_resp_fetch *,
			    struct imap_resp_att *);
static enum imap_resp_walk walk_list(struct imap_resp_fetch *,
			    struct imap_resp_att *);

/*
 * CHAR         = %x01-7F
 * CTL          = %x00-1F / %x7F
 * ATOM-CHAR    = <any CHAR except atom-specials>
 * atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards /
 *                quoted-specials / resp-specials
 * list-wildcards = "%" / "*"
 * quoted-specials = DQUOTE / "\"
 * resp-specials = "]"
 * ASTRING-CHAR = ATOM-CHAR / resp-specials
 * tag          = 1*<any ASTRING-CHAR except "+">
 *
 * A FETCH attribute name ("RFC822.SIZE", "X-GM-MSGID", "BODY" before its
 * "[") is an atom that stops at "[" and "<".
 */
static unsigned char
cclass(unsigned char c)
{
	unsigned char	 k = C_ATOM | C_TAG | C_NAME;

	if (c <= 0x20 || c >= 0x7f)
		return (0);
	switch (c) {
	case '(':
	case ')':
	case '{':
	case '%':
	case '*':
	case '"':
	case '\\':
		return (0);
	case ']':
		return (C_TAG);
	case '+':
		return (C_ATOM | C_NAME);
	case '[':
	case '<':
		return (C_ATOM | C_TAG);
	}
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		k |= C_ALPHA;
	else if (c >= '0' && c <= '9')
		k |= C_DIGIT;
	return (k);
}

static int
is_class(unsigned char c, unsigned char k)
{
	return ((cclass(c) & k) != 0);
}

/*
 * Response names as imapsh reads them: imaplib's [A-Z-]+ (untagged,
 * allow_dash) or [A-Z]+ (tagged), in any case, upper-cased into name.
 * Returns the end of the name (p itself if there is none), or NULL if it
 * is longer than IMAP_RESP_MAX_NAME.
 */
static const char *
scan_name(const char *p, const char *end, char *name, int allow_dash)
{
	size_t	 n = 0;

	while (p < end && (is_class((unsigned char)*p, C_ALPHA) ||
	    (allow_dash && *p == '-'))) {
		if (n == IMAP_RESP_MAX_NAME)
			return (NULL);
		name[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		p++;
	}
	name[n] = '\0';
	return (p);
}

/*
 * Continuation      = "+" [SP data]		; \+( (?P<data>.*))?
 * Untagged_status   = "*" SP 1*DIGIT SP name [SP data2]
 * Untagged_response = "*" SP name [SP data]	; name = [A-Z-]+
 * tagre             = tag SP name [SP data]	; name = [A-Z]+
 *
 * imaplib matches these with re.match (a prefix match): a name followed
 * by anything but SP ends the match, and the rest of the line is lost.
 * imaplib needs "tag SP name SP"; imapsh also takes "tag SP name".  A line
 * starting "*" or "+" is never tagged ("*" and "+" are no tag bytes).
 */
int
imap_resp_parse(struct imap_resp *r, const char *line, size_t len)
{
	const char	*p = line, *end = line + len, *q;
	uint64_t	 n;

	memset(r, 0, sizeof *r);
	if (len == 0) {
		r->error = "empty line";
		return (-1);
	}
	if (*p == '+') {
		r->kind = IMAP_RESP_CONTINUATION;
		if (len >= 2 && p[1] == ' ') {
			r->text.p = p + 2;
			r->text.len = len - 2;
		}
		return (0);
	}
	if (*p == '*') {
		r->kind = IMAP_RESP_UNTAGGED;
		if (len < 2 || p[1] != ' ') {
			r->error = "bad tag";
			return (-1);
		}
		p += 2;
		for (q = p; q < end && is_class((unsigned char)*q, C_DIGIT);
		    q++)
			;
		if (q > p && q < end && *q == ' ') {
			r->has_number = 1;
			r->number_text.p = p;
			r->number_text.len = (size_t)(q - p);
			if (imap_resp_number(r->number_text, UINT32_MAX,
			    &n) == 0)
				r->number = (uint32_t)n;
			else
				r->number_overflow = 1;
			p = q + 1;
		}
	} else {
		r->kind = IMAP_RESP_TAGGED;
		for (q = p; q < end && is_class((unsigned char)*q, C_TAG); q++)
			;
		if (q == p || q == end || *q != ' ') {
			r->error = "bad tag";
			return (-1);
		}
		r->tag.p = p;
		r->tag.len = (size_t)(q - p);
		p = q + 1;
	}

	if ((q = scan_name(p, end, r->name,
	    r->kind == IMAP_RESP_UNTAGGED)) == NULL) {
		r->error = "response name too long";
		return (-1);
	}
	if (q == p) {
		r->error = "missing response name";
		return (-1);
	}
	if (q < end && *q == ' ') {
		r->text.p = q + 1;
		r->text.len = (size_t)(end - q - 1);
	} else if (q < end && r->kind == IMAP_RESP_TAGGED) {
		r->error = "bad response name";	/* tagre wants SP */
		return (-1);
	}
	if (!r->has_number && (strcmp(r->name, "OK") == 0 ||
	    strcmp(r->name, "NO") == 0 || strcmp(r->name, "BAD") == 0))
		parse_code(r);
	return (0);
}

/*
 * Response_code = "[" type [SP data] "]"
 *	imaplib: \[(?P<type>[A-Z-]+)( (?P<data>.*))?\]
 *
 * Matched at the start of the text; ".*" is greedy, so data runs to the
 * last "]" of the text.  type is upper case only, as in imaplib.
 */
static void
parse_code(struct imap_resp *r)
{
	const char	*p = r->text.p, *end, *q, *close;

	if (p == NULL || r->text.len < 3 || *p != '[')
		return;
	end = p + r->text.len;
	for (q = p + 1; q < end && ((*q >= 'A' && *q <= 'Z') || *q == '-');
	    q++)
		;
	if (q == p + 1 || q == end)
		return;
	if (*q == ']') {
		r->code_args.p = q;
		r->code_args.len = 0;
	} else if (*q == ' ' && (close = memrchr(q + 1, ']',
	    (size_t)(end - q - 1))) != NULL) {
		r->code_args.p = q + 1;
		r->code_args.len = (size_t)(close - q - 1);
	} else
		return;
	r->has_code = 1;
	r->code.p = p + 1;
	r->code.len = (size_t)(q - p - 1);
}

int
imap_resp_span_is(struct imap_resp_span sp, const char *s)
{
	size_t	 i;

	if (sp.p == NULL || sp.len != strlen(s))
		return (0);
	for (i = 0; i < sp.len; i++) {
		unsigned char	 a = (unsigned char)sp.p[i];
		unsigned char	 b = (unsigned char)s[i];

		if (a >= 'A' && a <= 'Z')
			a += 32;
		if (b >= 'A' && b <= 'Z')
			b += 32;
		if (a != b)
			return (0);
	}
	return (1);
}

int
imap_resp_number(struct imap_resp_span sp, uint64_t max, uint64_t *out)
{
	const char	*err;

	if (sp.p == NULL || sp.len == 0)
		return (-1);
	return (scan_number(sp.p, sp.p + sp.len, max, out, &err) ==
	    (int)sp.len ? 0 : -1);
}

/*
 * number = 1*DIGIT, at most max and DIGITS_MAX digits, digit by digit with
 * an overflow check.  Returns the number of digits (0 if none), or -1 with
 * *error set if the value passes max.
 */
static int
scan_number(const char *p, const char *end, uint64_t max, uint64_t *out,
    const char **error)
{
	const char	*s = p;
	uint64_t	 n = 0, d;

	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		d = (uint64_t)(*p - '0');
		if (p - s >= DIGITS_MAX || n > (max - d) / 10) {
			*error = "number too large";
			return (-1);
		}
		n = n * 10 + d;
	}
	*out = n;
	return ((int)(p - s));
}

/*
 * literal  = "{" number ["+"] "}" CRLF *CHAR8     ; RFC 3501, RFC 7888
 * literal8 = "~{" number ["+"] "}" CRLF *OCTET    ; RFC 3516
 *
 * At p, which must be "{" or "~": the announcement must end the line
 * (end), as the framer saw it.  Returns 1 with *size, or -1.
 */
static int
scan_literal(const char *p, const char *end, uint64_t *size)
{
	const char	*err;
	int		 nd;

	if (*p == '~')
		p++;
	if (p == end || *p != '{')
		return (-1);
	p++;
	if ((nd = scan_number(p, end, NUMBER64_MAX, size, &err)) <= 0)
		return (-1);
	p += nd;
	if (p < end && *p == '+')
		p++;
	return (p + 1 == end && *p == '}' ? 1 : -1);
}

/*
 * quoted          = DQUOTE *QUOTED-CHAR DQUOTE
 * QUOTED-CHAR     = <any TEXT-CHAR except quoted-specials> /
 *                   "\" quoted-specials / UTF8-2 / UTF8-3 / UTF8-4
 *
 * At the opening quote; returns the byte after the closing one.  8-bit
 * bytes are taken (RFC 9051 allows UTF-8 and servers send Latin-1 too);
 * a NUL, a "\" before anything but a quoted-special, or the line's end
 * are errors.
 */
static const char *
scan_quoted(const char *p, const char *end, const char **error)
{
	for (p++; p < end; p++) {
		if (*p == '"')
			return (p + 1);
		if (*p == '\0')
			break;
		if (*p == '\\') {
			if (p + 1 == end || (p[1] != '"' && p[1] != '\\'))
				break;
			p++;
		}
	}
	*error = p < end && *p == '\0' ? "NUL in a quoted string" :
	    p < end ? "bad escape in a quoted string" :
	    "unterminated quoted string";
	return (NULL);
}

/*
 * atom, number, nil, flag, and the like inside values:
 *	1*(ATOM-CHAR / "\" / "%" / "*" / "]")
 * (flags are "\" atom, PERMANENTFLAGS has "\*", sequence sets have "*",
 * astrings may hold "]").  Stops at SP, "(", ")", or the line's end.
 */
static const char *
scan_atom(const char *p, const char *end, const char **error)
{
	const char	*s = p;

	while (p < end && *p != ' ' && *p != '(' && *p != ')') {
		if (!is_class((unsigned char)*p, C_ATOM) && *p != '\\' &&
		    *p != '%' && *p != '*' && *p != ']') {
			if (*p == '\0')
				*error = "NUL in an atom";
			else if ((unsigned char)*p >= 0x80)
				*error = "8-bit byte in an atom";
			else
				*error = "bad byte in an atom";
			return (NULL);
		}
		p++;
	}
	if (p == s) {
		*error = "missing value";
		return (NULL);
	}
	return (p);
}

/*
 * Inside a list (*depth lists open): *(value / SP) ")", values being
 * atoms, quoted strings, lists and literals.  A literal must end the line:
 * then *lit is set and the list goes on in the next line.  Returns where
 * the outermost list closed (the byte after its ")"), or the line's end
 * after a literal, or NULL with *error.
 */
static const char *
scan_list(const char *p, const char *end, int *depth, int *lit,
    uint64_t *size, const char **error)
{
	while (p < end) {
		switch (*p) {
		case ' ':
			p++;
			break;
		case '(':
			if (*depth >= IMAP_RESP_MAX_DEPTH) {
				*error = "lists nested too deep";
				return (NULL);
			}
			(*depth)++;
			p++;
			break;
		case ')':
			p++;
			if (--(*depth) == 0)
				return (p);
			break;
		case '"':
			if ((p = scan_quoted(p, end, error)) == NULL)
				return (NULL);
			break;
		case '{':
		case '~':
			if (scan_literal(p, end, size) == -1) {
				*error = "bad literal announcement";
				return (NULL);
			}
			*lit = 1;
			return (end);
		default:
			if ((p = scan_atom(p, end, error)) == NULL)
				return (NULL);
			break;
		}
	}
	*error = "unbalanced parentheses";
	return (NULL);
}

/*
 * value = atom / quoted / literal / literal8 / "(" list ")"
 *
 * One value at p; v gets its kind and span.  A literal (on its own, or in
 * a list, which *depth then says is still open) sets *lit and *size and
 * ends the line.  Returns the byte after the value, or NULL with *error.
 */
static const char *
scan_value(const char *p, const char *end, struct imap_resp_val *v,
    int *depth, int *lit, uint64_t *size, const char **error)
{
	const char	*q;

	*lit = 0;
	*depth = 0;
	if (p == end || *p == ' ' || *p == ')') {
		*error = "missing value";
		return (NULL);
	}
	switch (*p) {
	case '(':
		v->kind = IMAP_RESP_LIST;
		*depth = 1;
		q = scan_list(p + 1, end, depth, lit, size, error);
		break;
	case '"':
		v->kind = IMAP_RESP_QUOTED;
		q = scan_quoted(p, end, error);
		break;
	case '{':
	case '~':
		v->kind = IMAP_RESP_LITERAL;
		if (scan_literal(p, end, size) == -1) {
			*error = "bad literal announcement";
			return (NULL);
		}
		*lit = 1;
		q = end;
		break;
	default:
		v->kind = IMAP_RESP_ATOM;
		q = scan_atom(p, end, error);
		break;
	}
	if (q == NULL)
		return (NULL);
	v->span.p = p;
	v->span.len = (size_t)(q - p);
	return (q);
}

/*
 * section = "[" [section-spec] "]"  (RFC 3501; RFC 9051 section-binary
 * alike).  section-spec holds atoms, numbers, dots, SPs and a
 * parenthesised header-list of astrings (quoted strings may hold "]"):
 * "HEADER.FIELDS (FROM "X]")".  At the "["; returns the byte after the
 * "]" at list depth 0.  No literal belongs in a section of a response.
 */
static const char *
scan_section(const char *p, const char *end, const char **error)
{
	int	 depth = 0;

	for (p++; p < end; p++) {
		switch (*p) {
		case ']':
			if (depth == 0)
				return (p + 1);
			break;
		case '(':
			if (++depth > IMAP_RESP_MAX_DEPTH) {
				*error = "lists nested too deep";
				return (NULL);
			}
			break;
		case ')':
			if (depth-- == 0) {
				*error = "unbalanced parentheses";
				return (NULL);
			}
			break;
		case '"':
			if ((p = scan_quoted(p, end, error)) == NULL)
				return (NULL);
			p--;
			break;
		case '{':
		case '\0':
			*error = *p == '\0' ? "NUL in a section" :
			    "literal in a section";
			return (NULL);
		}
	}
	*error = "unterminated section";
	return (NULL);
}

void
imap_resp_fetch_init(struct imap_resp_fetch *w, struct imap_resp_span text)
{
	memset(w, 0, sizeof *w);
	w->p = text.p;
	w->end = text.p + text.len;
	w->state = WALK_OPEN;
	if (text.p == NULL)
		(void)walk_fail(w, "missing attribute list");
}

void
imap_resp_fetch_line(struct imap_resp_fetch *w, const char *line,
    size_t len)
{
	if (w->state != WALK_LITERAL) {
		(void)walk_fail(w, "a line came where none was owed");
		return;
	}
	w->p = line;
	w->end = line + len;
	w->state = w->depth > 0 ? WALK_LIST : WALK_AFTER;
}

static enum imap_resp_walk
walk_fail(struct imap_resp_fetch *w, const char *error)
{
	w->state = WALK_ERROR;
	w->error = error;
	return (IMAP_RESP_ERROR);
}

/*
 * msg-att = "(" (msg-att-dynamic / msg-att-static)
 *           *(SP (msg-att-dynamic / msg-att-static)) ")"
 *
 * Every attribute has the shape name [section ["<" number ">"]] SP value
 * (FLAGS, ENVELOPE, INTERNALDATE, RFC822*, BODY*, UID, BINARY*, MODSEQ,
 * EMAILID and the X- ones alike), so the walker needs no list of them.
 * An empty list "()" is taken.
 */
enum imap_resp_walk
imap_resp_fetch_next(struct imap_resp_fetch *w, struct imap_resp_att *att)
{
	memset(att, 0, sizeof *att);
	switch (w->state) {
	case WALK_OPEN:
		if (w->p == w->end || *w->p != '(')
			return (walk_fail(w, "missing attribute list"));
		w->p++;
		if (w->p < w->end && *w->p == ')') {
			w->state = WALK_AFTER;	/* "()": at its ")" */
			return (imap_resp_fetch_next(w, att));
		}
		w->state = WALK_ATT;
		return (walk_att(w, att));
	case WALK_ATT:
		return (walk_att(w, att));
	case WALK_AFTER:
		if (w->p < w->end && *w->p == ' ' && w->p + 1 < w->end &&
		    w->p[1] != ' ' && w->p[1] != ')') {
			w->p++;
			return (walk_att(w, att));
		}
		if (w->p < w->end && *w->p == ')') {
			for (w->p++; w->p < w->end && *w->p == ' '; w->p++)
				;
			if (w->p != w->end)
				return (walk_fail(w, "text after the "
				    "attribute list"));
			w->state = WALK_END;
			return (IMAP_RESP_END);
		}
		return (walk_fail(w, w->p == w->end ? "unbalanced parentheses" :
		    "attributes not separated by one space"));
	case WALK_LITERAL:
		return (IMAP_RESP_NEED_LINE);
	case WALK_LIST:
		return (walk_list(w, att));
	case WALK_END:
		return (IMAP_RESP_END);
	default:
		return (IMAP_RESP_ERROR);
	}
}

/* name [section ["<" number ">"]] SP, then the value. */
static enum imap_resp_walk
walk_att(struct imap_resp_fetch *w, struct imap_resp_att *att)
{
	const char	*p = w->p, *end = w->end, *q, *err = NULL;
	int		 nd;

	for (q = p; q < end && is_class((unsigned char)*q, C_NAME); q++)
		;
	if (q == p)
		return (walk_fail(w, q < end && *q == '\0' ?
		    "NUL in an attribute name" : "missing attribute name"));
	att->name.p = p;
	att->name.len = (size_t)(q - p);
	p = q;
	if (p < end && *p == '[') {
		if ((q = scan_section(p, end, &err)) == NULL)
			return (walk_fail(w, err));
		att->section.p = p + 1;
		att->section.len = (size_t)(q - p - 2);
		p = q;
		if (p < end && *p == '<') {
			if ((nd = scan_number(p + 1, end, NUMBER64_MAX,
			    &att->origin, &err)) == -1)
				return (walk_fail(w, err));
			if (nd == 0 || p + 1 + nd == end || p[1 + nd] != '>')
				return (walk_fail(w, "bad partial origin"));
			att->has_origin = 1;
			p += nd + 2;
		}
	}
	if (p == end || *p != ' ')
		return (walk_fail(w, "missing space after an attribute name"));
	w->p = p + 1;
	return (walk_value(w, att));
}

/* The value of an attribute, or its first piece. */
static enum imap_resp_walk
walk_value(struct imap_resp_fetch *w, struct imap_resp_att *att)
{
	struct imap_resp_val	 v;
	const char		*q, *err = NULL;

	if ((q = scan_value(w->p, w->end, &v, &w->depth, &att->literal,
	    &att->literal_size, &err)) == NULL)
		return (walk_fail(w, err));
	att->kind = v.kind;
	att->value = v.span;
	att->more = att->literal && w->depth > 0;
	w->p = q;
	w->state = att->literal ? WALK_LITERAL : WALK_AFTER;
	return (IMAP_RESP_ITEM);
}

/* The next piece of a list a literal cut: from the line's start to the
 * list's ")" or to the next literal. */
static enum imap_resp_walk
walk_list(struct imap_resp_fetch *w, struct imap_resp_att *att)
{
	const char	*q, *err = NULL;

	if ((q = scan_list(w->p, w->end, &w->depth, &att->literal,
	    &att->literal_size, &err)) == NULL)
		return (walk_fail(w, err));
	att->kind = IMAP_RESP_LIST;
	att->part = 1;
	att->value.p = w->p;
	att->value.len = (size_t)(q - w->p);
	att->more = att->literal;
	w->p = q;
	w->state = att->literal ? WALK_LITERAL : WALK_AFTER;
	return (IMAP_RESP_ITEM);
}

/*
 * resp-text-code arguments: values separated by single or multiple SPs
 * (atoms, quoted strings, lists); no literals.
 */
enum imap_resp_walk
imap_resp_args_next(struct imap_resp_span *args, struct imap_resp_val *v,
    const char **error)
{
	const char	*p = args->p, *end, *q;
	uint64_t	 size;
	int		 depth, lit;

	memset(v, 0, sizeof *v);
	if (p == NULL)
		return (IMAP_RESP_END);
	end = p + args->len;
	while (p < end && *p == ' ')
		p++;
	if (p == end) {
		args->p = end;
		args->len = 0;
		return (IMAP_RESP_END);
	}
	if ((q = scan_value(p, end, v, &depth, &lit, &size, error)) == NULL)
		return (IMAP_RESP_ERROR);
	if (lit) {
		*error = "literal in a response code";
		return (IMAP_RESP_ERROR);
	}
	args->p = q;
	args->len = (size_t)(end - q);
	return (IMAP_RESP_ITEM);
}
