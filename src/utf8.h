/*
 * utf8.h: UTF-8 validation exactly per RFC 3629 (no overlong forms, no
 * surrogates, nothing past U+10FFFF), done by GNU libunistring.
 *
 * utf8_valid() checks a whole buffer.  The utf8_check functions check a
 * stream fed in pieces that may split a character: feed every piece,
 * then utf8_check_end() says whether the whole was valid.  utf8_next()
 * steps over one character, for printers that replace what is invalid.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>
#include <stdint.h>

struct utf8_check {
	unsigned char	 carry[4];	/* an incomplete character */
	size_t		 ncarry;
	int		 bad;
};

/* 1 if s[0..len) is valid UTF-8, else 0. */
int	 utf8_valid(const char *s, size_t len);

void	 utf8_check_init(struct utf8_check *);
/* Feed the next piece; returns 0 once the stream is known invalid. */
int	 utf8_check_feed(struct utf8_check *, const char *, size_t);
/* 1 if everything fed was valid UTF-8 and ended on a character. */
int	 utf8_check_end(const struct utf8_check *);

/*
 * The length (1-4) of the valid character at s (len > 0) and its code
 * point in *cp; 0 if s does not start with a valid, complete character.
 */
size_t	 utf8_next(const char *s, size_t len, uint32_t *cp);

#endif
