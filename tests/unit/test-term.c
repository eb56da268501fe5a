/*
 * test-term.c: one line of terminal text from the server's (term.c).
 *
 * A table of inputs and the exact line each must give; then every byte
 * value alone, and every code point of the Basic Multilingual Plane and a
 * sample of the others as UTF-8: the result may never hold a byte below
 * 0x20 nor DEL, nor a line or paragraph separator, and a character that
 * is not escaped must come out as it went in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term.h"
#include "tap.h"

struct term_case {
	const char	*in;
	size_t		 len;		/* 0: strlen */
	const char	*out;
	const char	*desc;
};

static const struct term_case cases[] = {
	{ "CN=mail.example.org", 0, "CN=mail.example.org", "plain ASCII" },
	{ "CN=x\ncertificate 1:\n  sha256: AA", 0,
	    "CN=x\\x0acertificate 1:\\x0a  sha256: AA", "LF" },
	{ "a\rb", 0, "a\\x0db", "CR" },
	{ "a\r\nb", 0, "a\\x0d\\x0ab", "CRLF" },
	{ "a\tb", 0, "a\\x09b", "TAB" },
	{ "a\x0b\x0c" "b", 0, "a\\x0b\\x0cb", "VT and FF" },
	{ "\x1b[2J", 0, "\\x1b[2J", "ESC" },
	{ "a\x7f", 0, "a\\x7f", "DEL" },
	{ "a\0b", 3, "a\\x00b", "NUL" },
	{ "a\xe2\x80\xa8" "b", 0, "a\\u2028b", "U+2028 LINE SEPARATOR" },
	{ "a\xe2\x80\xa9" "b", 0, "a\\u2029b", "U+2029 PARAGRAPH SEPARATOR" },
	{ "a\xc2\x85" "b", 0, "a\\u0085b", "U+0085 NEXT LINE (C1)" },
	{ "a\xc2\x9b" "2J", 0, "a\\u009b2J", "U+009B CSI (C1)" },
	{ "\xe2\x80\xae" "cba", 0, "\\u202ecba", "U+202E RIGHT-TO-LEFT OVERRIDE" },
	{ "\xe2\x81\xa6" "x", 0, "\\u2066x", "U+2066 isolate" },
	{ "a\xe2\x80\x8b" "b", 0, "a\\u200bb", "U+200B ZERO WIDTH SPACE" },
	{ "\xef\xbb\xbf" "x", 0, "\\ufeffx", "BOM" },
	{ "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\xab", 0,
	    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\xab",
	    "valid UTF-8 text passes" },
	{ "a\x9b" "2J", 0, "a\\x9b2J", "a raw C1 byte (not UTF-8)" },
	{ "a\xc0\x8a", 0, "a\\xc0\\x8a", "an overlong LF" },
	{ "a\xe0\x80\x8a", 0, "a\\xe0\\x80\\x8a", "a three-byte overlong LF" },
	{ "a\xed\xa0\x80", 0, "a\\xed\\xa0\\x80", "a surrogate" },
	{ "a\xf4\x90\x80\x80", 0, "a\\xf4\\x90\\x80\\x80",
	    "past U+10FFFF" },
	{ "a\xe2\x80", 0, "a\\xe2\\x80", "a character cut short" },
	{ "\xff\xfe", 0, "\\xff\\xfe", "bytes that are never UTF-8" },
	{ "", 0, "", "empty" },
};

/* 1 if the n bytes at s hold no byte below 0x20, no DEL and no
 * U+2028/U+2029/U+0085 as UTF-8. */
static int
one_line(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return (0);
	return (memmem(s, n, "\xe2\x80\xa8", 3) == NULL &&
	    memmem(s, n, "\xe2\x80\xa9", 3) == NULL &&
	    memmem(s, n, "\xc2\x85", 2) == NULL);
}

/* Encode cp as UTF-8 into u; its length. */
static size_t
utf8(unsigned int cp, char *u)
{
	if (cp < 0x80) {
		u[0] = (char)cp;
		return (1);
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return (3);
	}
	u[0] = (char)(0xf0 | cp >> 18);
	u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return (4);
}

int
main(void)
{
	struct buf	 b;
	size_t		 i, len, n;
	unsigned int	 cp, bad = 0, badcp = 0;
	char		 u[4], c;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = cases[i].len != 0 ? cases[i].len : strlen(cases[i].in);
		buf_init(&b, 0);
		term_line(&b, cases[i].in, len);
		ok(b.len == strlen(cases[i].out) && (b.len == 0 ||
		    memcmp(b.data, cases[i].out, b.len) == 0),
		    "%s", cases[i].desc);
		buf_free(&b);
	}
	for (i = 0; i < 256; i++) {
		c = (char)i;
		buf_init(&b, 0);
		term_line(&b, &c, 1);
		if (!one_line(b.data, b.len) || (i >= 0x20 && i < 0x7f ?
		    b.len != 1 : b.len != 4))
			bad++;
		buf_free(&b);
	}
	ok(bad == 0, "every byte alone: printable ASCII as it is, the rest "
	    "as \\xNN (%u wrong)", bad);
	for (cp = 0x80; cp < 0x110000; cp += cp < 0x10000 ? 1 : 97) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		n = utf8(cp, u);
		buf_init(&b, 0);
		term_line(&b, u, n);
		if (!one_line(b.data, b.len) || (term_cp_unsafe(cp) ?
		    b.len != 6 : b.len != n || memcmp(b.data, u, n) != 0))
			badcp++;
		buf_free(&b);
	}
	ok(badcp == 0, "every code point: one line, and kept unless escaped "
	    "(%u wrong)", badcp);
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
