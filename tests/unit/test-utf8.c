/*
 * test-utf8.c: UTF-8 validation (utf8.c) against RFC 3629 section 4.
 *
 * The oracle is the RFC's ABNF written out as a table, one row per
 * alternative of UTF8-1 .. UTF8-4: the range of the first byte, the range
 * of the second, and the length.  Every byte string of length 1 to 3 is
 * checked whole and fed one byte at a time; strings of length 4 are
 * checked for every first and second byte with the third and fourth taken
 * from the boundary values of the tail range.  Then every code point
 * U+0000..U+10FFFF and every surrogate is encoded and checked, and
 * utf8_next() must decode each valid one back to itself.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "utf8.h"

/* RFC 3629 section 4, UTF8-char. */
static const struct {
	unsigned char	 lo, hi;	/* first byte */
	unsigned char	 lo2, hi2;	/* second byte */
	int		 len;
} abnf[] = {
	{ 0x00, 0x7f, 0, 0, 1 },		/* UTF8-1 */
	{ 0xc2, 0xdf, 0x80, 0xbf, 2 },		/* UTF8-2 */
	{ 0xe0, 0xe0, 0xa0, 0xbf, 3 },		/* UTF8-3 */
	{ 0xe1, 0xec, 0x80, 0xbf, 3 },
	{ 0xed, 0xed, 0x80, 0x9f, 3 },
	{ 0xee, 0xef, 0x80, 0xbf, 3 },
	{ 0xf0, 0xf0, 0x90, 0xbf, 4 },		/* UTF8-4 */
	{ 0xf1, 0xf3, 0x80, 0xbf, 4 },
	{ 0xf4, 0xf4, 0x80, 0x8f, 4 },
};

/* Boundary values for a byte: either side of every range edge above. */
static const unsigned char edges[] = {
	0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2,
	0xdf, 0xe0, 0xef, 0xf0, 0xf4, 0xf5, 0xff
};

static int	 oracle(const unsigned char *, size_t);
static size_t	 encode(uint32_t, unsigned char *);
static int	 check_one(const unsigned char *, size_t, char *, size_t);
static void	 report(int, const char *, const unsigned char *, size_t,
		    const char *);

/* 1 if s[0..len) is a sequence of UTF8-char, per the table. */
static int
oracle(const unsigned char *s, size_t len)
{
	size_t	 i = 0, k, r;
	int	 j;

	while (i < len) {
		for (r = 0; r < sizeof abnf / sizeof abnf[0]; r++)
			if (s[i] >= abnf[r].lo && s[i] <= abnf[r].hi)
				break;
		if (r == sizeof abnf / sizeof abnf[0] ||
		    len - i < (size_t)abnf[r].len)
			return (0);
		for (j = 1; j < abnf[r].len; j++) {
			k = i + (size_t)j;
			if (j == 1 ? s[k] < abnf[r].lo2 || s[k] > abnf[r].hi2 :
			    s[k] < 0x80 || s[k] > 0xbf)
				return (0);
		}
		i += (size_t)abnf[r].len;
	}
	return (1);
}

/* The UTF-8 form of cp (surrogates too, as CESU would); its length. */
static size_t
encode(uint32_t cp, unsigned char *b)
{
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		return (1);
	}
	if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return (3);
	}
	b[0] = (unsigned char)(0xf0 | cp >> 18);
	b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	b[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return (4);
}

/*
 * Check s whole, byte by byte and split in two at every point against
 * the oracle; 0 and a description in why on the first mismatch.
 */
static int
check_one(const unsigned char *s, size_t len, char *why, size_t whylen)
{
	struct utf8_check	 u;
	size_t			 i, cut;
	int			 want = oracle(s, len);

	if (utf8_valid((const char *)s, len) != want) {
		snprintf(why, whylen, "whole: want %d", want);
		return (0);
	}
	utf8_check_init(&u);
	for (i = 0; i < len; i++)
		utf8_check_feed(&u, (const char *)s + i, 1);
	if (utf8_check_end(&u) != want) {
		snprintf(why, whylen, "bytewise: want %d", want);
		return (0);
	}
	for (cut = 1; cut < len; cut++) {
		utf8_check_init(&u);
		utf8_check_feed(&u, (const char *)s, cut);
		utf8_check_feed(&u, (const char *)s + cut, len - cut);
		if (utf8_check_end(&u) != want) {
			snprintf(why, whylen, "cut at %zu: want %d", cut,
			    want);
			return (0);
		}
	}
	return (1);
}

static void
report(int pass, const char *what, const unsigned char *s, size_t len,
    const char *why)
{
	char	 hex[32] = "";
	size_t	 i;

	for (i = 0; !pass && i < len && i < 4; i++)
		snprintf(hex + 3 * i, sizeof hex - 3 * i, "%02x ", s[i]);
	ok(pass, "%s%s%s%s", what, pass ? "" : ": first mismatch ",
	    hex, pass ? "" : why);
}

int
main(void)
{
	unsigned char	 s[4], enc[4];
	char		 why[64] = "";
	uint32_t	 cp, got;
	size_t		 len, n, e3, e4;
	unsigned int	 a, c;
	int		 pass, nvalid;

	for (len = 1, pass = 1; len <= 3 && pass; len++)
		for (a = 0; a < 1u << (8 * len) && pass; a++) {
			for (n = 0; n < len; n++)
				s[n] = (unsigned char)(a >> (8 * n));
			pass = check_one(s, len, why, sizeof why);
		}
	report(pass, "every string of 1 to 3 bytes", s, len - 1, why);

	for (a = 0, pass = 1; a < 65536 && pass; a++)
		for (e3 = 0; e3 < sizeof edges && pass; e3++)
			for (e4 = 0; e4 < sizeof edges && pass; e4++) {
				s[0] = (unsigned char)(a >> 8);
				s[1] = (unsigned char)a;
				s[2] = edges[e3];
				s[3] = edges[e4];
				pass = check_one(s, 4, why, sizeof why);
			}
	report(pass, "4-byte strings, every lead and second byte", s, 4, why);

	nvalid = 0;
	for (cp = 0, pass = 1; cp <= 0x10ffff && pass; cp++) {
		len = encode(cp, enc);
		c = cp >= 0xd800 && cp <= 0xdfff;
		if (utf8_valid((const char *)enc, len) == (int)c) {
			snprintf(why, sizeof why, "U+%04X", (unsigned int)cp);
			pass = 0;
			break;
		}
		if (c)
			continue;
		nvalid++;
		if (utf8_next((const char *)enc, len, &got) != len ||
		    got != cp) {
			snprintf(why, sizeof why, "utf8_next U+%04X",
			    (unsigned int)cp);
			pass = 0;
		}
	}
	ok(pass && nvalid == 0x110000 - 0x800,
	    "every code point valid but the surrogates %s", why);

	/* Overlong forms of U+0000..U+FFFF and code points past U+10FFFF. */
	for (cp = 0, pass = 1; cp < 0x10000 && pass; cp++) {
		enc[0] = (unsigned char)(0xf0 | cp >> 18);
		enc[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		enc[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		enc[3] = (unsigned char)(0x80 | (cp & 0x3f));
		pass = !utf8_valid((const char *)enc, 4);
		if (pass && cp < 0x800) {
			enc[0] = (unsigned char)(0xe0 | cp >> 12);
			enc[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			enc[2] = (unsigned char)(0x80 | (cp & 0x3f));
			pass = !utf8_valid((const char *)enc, 3);
		}
		if (pass && cp < 0x80) {
			enc[0] = (unsigned char)(0xc0 | cp >> 6);
			enc[1] = (unsigned char)(0x80 | (cp & 0x3f));
			pass = !utf8_valid((const char *)enc, 2);
		}
	}
	ok(pass, "every overlong form refused");
	for (cp = 0x110000, pass = 1; cp < 0x200000 && pass; cp += 0x101) {
		encode(cp, enc);
		pass = !utf8_valid((const char *)enc, 4);
	}
	ok(pass, "code points past U+10FFFF refused");

	/* The examples that reached the output raw. */
	ok(!utf8_valid("\xe0\x80\x9b[31m", 7), "overlong ESC refused");
	ok(!utf8_valid("\xed\xa0\x80", 3), "surrogate D800 refused");
	ok(!utf8_valid("\xf4\x90\x80\x80", 4), "U+110000 refused");
	ok(utf8_next("\xc2", 1, &got) == 0, "utf8_next: a cut character");
	ok(utf8_next("", 0, &got) == 0, "utf8_next: nothing");
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
