/*
 * imap-quote.h: encoding arguments for the wire.
 *
 * The rule is the one imaplib documents: an argument is sent as it is when
 * it is a valid IMAP atom-like word, and as a quoted string otherwise,
 * unless it is already enclosed in parentheses or double quotes.  "Atom-
 * like" is RFC 3501's ASTRING-CHAR plus the list wildcards % and *, and
 * inside a balanced [...] group also blanks and parentheses, so BODY[TEXT],
 * BODY.PEEK[HEADER.FIELDS (FROM TO)], 1:*, INBOX.Sent and user@example.com
 * go out bare, while "a b", "" and "x\y" are quoted.  A value that holds 8-bit bytes (outside
 * UTF-8 mode) must go as a literal.  CR, LF and NUL can never be sent in a
 * quoted string or atom and are refused.
 */
#ifndef IMAP_QUOTE_H
#define IMAP_QUOTE_H

#include <stddef.h>

#include "xmalloc.h"

enum imapq {
	IMAPQ_ATOM,	/* appended as is */
	IMAPQ_QUOTED,	/* appended as a quoted string */
	IMAPQ_ASIS,	/* already (...) or "...": appended as is */
	IMAPQ_LITERAL,	/* nothing appended: the caller must send a literal */
	IMAPQ_INVALID	/* nothing appended: holds CR, LF or NUL */
};

#define IMAPQ_FORCE	0x1	/* always quote (the LOGIN password) */
#define IMAPQ_UTF8	0x2	/* UTF-8 mode: 8-bit allowed in quoted strings */

/* 1 if c may appear in a bare argument. */
int		 imap_atom_char(unsigned char c);

/* Encode one argument into out following the rule above. */
enum imapq	 imap_quote_arg(struct buf *out, const char *s, size_t len,
		    int flags);

/* Append s as a quoted string, escaping \ and ". */
void		 imap_quote_string(struct buf *out, const char *s, size_t len);

#endif
