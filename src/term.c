/*
 * term.c: server text made safe to show on a terminal.  See term.h.
 *
 * term_escape() shares the byte classes and escapes of the Python repr
 * (esc.h) and writes through an emitter (emit.h), so a capped buffer
 * ends with a clean prefix of the escaped text.
 *
 * UTF-8 is decoded by GNU libunistring (u8_mbtoucr: RFC 3629, so an
 * overlong form, a surrogate or anything past U+10FFFF is not a
 * character, and its bytes are escaped one by one).
 */
#include <stdint.h>
#include <string.h>

#include <unistr.h>

#include "emit.h"
#include "esc.h"
#include "term.h"

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
		e[2 + i] = esc_hexdigits[(v >> (4 * (digits - 1 - i))) & 0xf];
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

void
term_escape(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len, *run;
	struct emit		 sk;
	uint32_t		 cp;
	size_t			 n;
	char			*d, tmp[EMIT_SIZE];

	emit_init(&sk, b, NULL, tmp);
	while (p < end) {
		run = p;
		for (;;) {
			while (p < end && esc_class[*p] <= ESC_TAB)
				p++;
			if (p < end && *p >= 0x80 &&
			    (n = esc_utf8(p, end, &cp)) != 0 &&
			    !term_cp_unsafe(cp)) {
				p += n;
				continue;
			}
			break;
		}
		if (p != run)
			emit_add(&sk, run, (size_t)(p - run));
		if (p == end)
			break;
		if (sk.size - sk.len < ESC_MAX)
			emit_flush(&sk);
		d = sk.tmp + sk.len;
		if (*p >= 0x80 && (n = esc_utf8(p, end, &cp)) != 0) {
			/* esc_cp would print C1 as \x80: keep \u0080. */
			*d++ = '\\';
			*d++ = 'u';
			*d++ = esc_hexdigits[(cp >> 12) & 0xf];
			*d++ = esc_hexdigits[(cp >> 8) & 0xf];
			*d++ = esc_hexdigits[(cp >> 4) & 0xf];
			*d++ = esc_hexdigits[cp & 0xf];
			p += n;
		} else
			d = esc_hex(d, *p++);
		sk.len = (size_t)(d - sk.tmp);
	}
	emit_flush(&sk);
}
