/*
 * term.c: server text made safe to show on a terminal.  See term.h.
 *
 * UTF-8 is decoded by GNU libunistring (u8_mbtoucr: RFC 3629, so an
 * overlong form, a surrogate or anything past U+10FFFF is not a
 * character, and its bytes are escaped one by one).
 */
#include <stdint.h>
#include <string.h>

#include <unistr.h>

#include "term.h"

static const char	term_hex[] = "0123456789abcdef";

static void	term_esc(struct buf *, char, unsigned int, int);

/* Append \xNN (digits 2) or \uNNNN (digits 4). */
static void
term_esc(struct buf *b, char kind, unsigned int v, int digits)
{
	char	e[6];
	int	i;

	e[0] = '\\';
	e[1] = kind;
	for (i = 0; i < digits; i++)
		e[2 + i] = term_hex[(v >> (4 * (digits - 1 - i))) & 0xf];
	buf_add(b, e, (size_t)(2 + digits));
}

int
term_cp_unsafe(unsigned int cp)
{
	return ((cp >= 0x80 && cp <= 0x9f) || cp == 0x61c ||
	    (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x2064) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff);
}

void
term_line(struct buf *b, const char *s, size_t len)
{
	const uint8_t	*p = (const uint8_t *)s, *end = p + len, *run;
	ucs4_t		 cp;
	int		 n = 0;

	while (p < end) {
		/* The longest run that passes as it is, in one copy. */
		for (run = p; p < end; p += n) {
			n = 1;
			if (*p < 0x80) {
				if (*p < 0x20 || *p == 0x7f)
					break;
				continue;
			}
			if ((n = u8_mbtoucr(&cp, p, (size_t)(end - p))) <= 0 ||
			    term_cp_unsafe(cp))
				break;
		}
		if (p != run)
			buf_add(b, run, (size_t)(p - run));
		if (p == end)
			break;
		if (*p >= 0x80 && n > 0) {
			term_esc(b, 'u', cp, 4);	/* all below U+10000 */
			p += n;
		} else
			term_esc(b, 'x', *p++, 2);
	}
}
