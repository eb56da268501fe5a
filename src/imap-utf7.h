/*
 * imap-utf7.h: mailbox names in modified UTF-7 (RFC 3501 section 5.1.3).
 *
 * IMAP4rev1 servers that have not enabled UTF8=ACCEPT send and expect
 * mailbox names in modified UTF-7: printable US-ASCII but '&' stands for
 * itself, '&' is "&-", and every other character goes, as UTF-16, into a
 * "&...-" run of base64 whose alphabet has ',' for '/' and no padding.
 */
#ifndef IMAP_UTF7_H
#define IMAP_UTF7_H

#include <stddef.h>

#include "xmalloc.h"

/*
 * Append the modified UTF-7 form of the UTF-8 text s to out.  Returns 0,
 * or -1 with *cause (allocated) when s is not valid UTF-8 (overlong forms,
 * surrogates and code points past U+10FFFF are not) or holds a NUL.
 * Runs of characters that cannot stand for themselves share one "&...-".
 */
int	 imap_utf8_to_utf7(const char *s, size_t len, struct buf *out,
	    char **cause);

/*
 * Append the UTF-8 form of the modified UTF-7 name s to out.  Strict: only
 * what the encoder above could have produced is accepted, so decoding and
 * encoding again gives back s byte for byte.  Returns 0, or -1 with *cause
 * (allocated; out may hold part of the result) for a byte outside printable
 * US-ASCII, an unterminated "&...", a character outside the alphabet,
 * leftover bits that are not zero or make no whole character, a printable
 * US-ASCII character or NUL in base64, an unpaired UTF-16 surrogate, or a
 * "&...-" run that directly follows another.
 */
int	 imap_utf7_to_utf8(const char *s, size_t len, struct buf *out,
	    char **cause);

#endif
