/*
 * imap-quote.c: encoding one argument for the wire as an atom, a quoted
 * string, or (by telling the caller) a literal.
 *
 * From RFC 3501:
 *
 *	ASTRING-CHAR	= ATOM-CHAR / resp-specials
 *	ATOM-CHAR	= <any CHAR except atom-specials>
 *	atom-specials	= "(" / ")" / "{" / SP / CTL / list-wildcards /
 *			  quoted-specials / resp-specials
 *	list-wildcards	= "%" / "*"
 *	quoted-specials	= DQUOTE / "\"
 *	resp-specials	= "]"
 *	quoted		= DQUOTE *QUOTED-CHAR DQUOTE
 *	QUOTED-CHAR	= <any TEXT-CHAR except quoted-specials> /
 *			  "\" quoted-specials
 *	TEXT-CHAR	= <any CHAR except CR and LF>
 *
 * A bare argument may hold ASTRING-CHAR and the list wildcards (so that
 * 1:*, BODY[TEXT] and INBOX.% go out as typed); "[" is not special at all,
 * and inside a balanced [...] group blanks and parentheses are allowed too,
 * so that a fetch item such as BODY.PEEK[HEADER.FIELDS (FROM TO)] goes out
 * as typed (no FETCH argument can be a quoted string).
 * A quoted string may hold any 7-bit byte but CR, LF and NUL (CTLs are
 * TEXT-CHARs), and 8-bit bytes only in UTF-8 mode (RFC 6855); anything
 * else needs a literal.  CR, LF and NUL cannot be sent in any of these
 * forms (a literal8 could carry NUL, but no command argument wants one).
 */
#include <string.h>

#include "imap-quote.h"

static int	 quote_needs(const char *, size_t, int *, int *);

int
imap_atom_char(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return (0);
	switch (c) {
	case '(':
	case ')':
	case '{':
	case '"':
	case '\\':
		return (0);
	}
	return (1);
}

/*
 * Scan s once.  Returns 1 if it holds CR, LF or NUL; otherwise sets
 * *eightbit if it holds a byte >= 0x80 and *bare if every byte is an atom
 * char (and s is not empty), and returns 0.
 */
static int
quote_needs(const char *s, size_t len, int *eightbit, int *bare)
{
	size_t		 i;
	unsigned char	 c;

	int		 depth = 0, grouped = 0;

	*eightbit = 0;
	*bare = len > 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '\r' || c == '\n' || c == '\0')
			return (1);
		if (c >= 0x80)
			*eightbit = 1;
		if (c == '[')
			depth++;
		else if (c == ']' && depth > 0)
			depth--;
		else if (imap_atom_char(c))
			continue;
		else if (depth > 0 && c >= 0x20 && c < 0x7f && c != '{')
			grouped = 1;	/* BODY[HEADER.FIELDS (FROM TO)] */
		else
			*bare = 0;
	}
	if (depth != 0 && grouped)
		*bare = 0;	/* a blank in an unclosed [ is not grouped */
	return (0);
}

/*
 * Returns how s was encoded.  IMAPQ_LITERAL and IMAPQ_INVALID append
 * nothing.  If appending would pass out's cap, nothing is appended either
 * and IMAPQ_LITERAL is returned: an argument that big belongs in a literal.
 */
enum imapq
imap_quote_arg(struct buf *out, const char *s, size_t len, int flags)
{
	size_t	 oldlen = out->len;
	int	 eightbit, bare;

	if (quote_needs(s, len, &eightbit, &bare))
		return (IMAPQ_INVALID);
	if (!(flags & IMAPQ_FORCE) && len >= 2 &&
	    ((s[0] == '(' && s[len - 1] == ')') ||
	    (s[0] == '"' && s[len - 1] == '"'))) {
		if (buf_add(out, s, len) == -1)
			return (IMAPQ_LITERAL);
		return (IMAPQ_ASIS);
	}
	if (eightbit && !(flags & IMAPQ_UTF8))
		return (IMAPQ_LITERAL);
	if (bare && !(flags & IMAPQ_FORCE)) {
		if (buf_add(out, s, len) == -1)
			return (IMAPQ_LITERAL);
		return (IMAPQ_ATOM);
	}
	imap_quote_string(out, s, len);
	if (out->len == oldlen)
		return (IMAPQ_LITERAL);
	return (IMAPQ_QUOTED);
}

/*
 * Append s as a quoted string.  All or nothing: if the whole string would
 * pass out's cap, out is left as it was (the caller sees out->len
 * unchanged, since a quoted string is never empty).
 */
void
imap_quote_string(struct buf *out, const char *s, size_t len)
{
	size_t	 oldlen = out->len, i, run;

	if (buf_addc(out, '"') == -1)
		goto fail;
	for (i = 0; i < len; i += run) {
		for (run = 0; i + run < len && s[i + run] != '\\' &&
		    s[i + run] != '"'; run++)
			;
		if (run != 0) {
			if (buf_add(out, s + i, run) == -1)
				goto fail;
			continue;
		}
		if (buf_addc(out, '\\') == -1 || buf_addc(out, s[i]) == -1)
			goto fail;
		run = 1;
	}
	if (buf_addc(out, '"') == -1)
		goto fail;
	return;

fail:
	out->len = oldlen;
	if (out->data != NULL)
		out->data[oldlen] = '\0';
}
