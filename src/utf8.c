/*
 * utf8.c: RFC 3629 UTF-8 validation over GNU libunistring.
 *
 * libunistring's u8_check() and u8_mbtoucr() accept exactly the
 * UTF8-octets of RFC 3629 section 4: they refuse overlong forms (C0, C1,
 * E0 80-9F, F0 80-8F), UTF-16 surrogates (ED A0-BF) and code points past
 * U+10FFFF (F4 90-BF, F5-FF).  This file adds the streaming case: a
 * character split across two pieces is carried over (at most three
 * bytes) and checked when the rest arrives.
 */
#include <string.h>

#include <unistr.h>

#include "utf8.h"

int
utf8_valid(const char *s, size_t len)
{
	return (u8_check((const uint8_t *)s, len) == NULL);
}

void
utf8_check_init(struct utf8_check *u)
{
	memset(u, 0, sizeof *u);
}

int
utf8_check_feed(struct utf8_check *u, const char *s, size_t len)
{
	const uint8_t	*p = (const uint8_t *)s, *bad;
	ucs4_t		 uc;
	size_t		 take, left;
	int		 n;

	if (u->bad)
		return (0);
	/* Complete the character the last piece ended in. */
	while (u->ncarry > 0 && len > 0) {
		u->carry[u->ncarry++] = *p++;
		len--;
		n = u8_mbtoucr(&uc, u->carry, u->ncarry);
		if (n == -2 && u->ncarry < 4)
			continue;
		if (n != (int)u->ncarry) {
			u->bad = 1;
			return (0);
		}
		u->ncarry = 0;
	}
	if (len == 0)
		return (1);
	if ((bad = u8_check(p, len)) == NULL)
		return (1);
	/* Invalid, unless it is a character cut short by the piece's end. */
	left = len - (size_t)(bad - p);
	if (left >= 4 || u8_mbtoucr(&uc, bad, left) != -2) {
		u->bad = 1;
		return (0);
	}
	take = left;
	memcpy(u->carry, bad, take);
	u->ncarry = take;
	return (1);
}

int
utf8_check_end(const struct utf8_check *u)
{
	return (!u->bad && u->ncarry == 0);
}

size_t
utf8_next(const char *s, size_t len, uint32_t *cp)
{
	ucs4_t	uc;
	int	n;

	if (len == 0)
		return (0);
	if ((n = u8_mbtoucr(&uc, (const uint8_t *)s, len)) <= 0)
		return (0);
	*cp = uc;
	return ((size_t)n);
}
