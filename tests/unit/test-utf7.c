/*
 * test-utf7.c: modified UTF-7 (imap-utf7.c), table driven in the manner of
 * isync's tst_imap_utf7.c.  Each case is a UTF-8 text and its modified
 * UTF-7 form; NULL on one side means the other side must be refused.  A
 * case with both sides is checked in both directions, and every accepted
 * name must come back unchanged from a round trip.  The expected forms of
 * the non-RFC cases were produced with Python's base64 on UTF-16BE.
 *
 * Then every BMP code point but the surrogates, and a spread of the other
 * planes, goes through encode and decode alone and between ASCII.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap-utf7.h"
#include "tap.h"

struct utf7_case {
	const char	*utf8;		/* NULL: utf7 must be refused */
	size_t		 utf8len;	/* 0: strlen */
	const char	*utf7;		/* NULL: utf8 must be refused */
	const char	*desc;
};

static const struct utf7_case cases[] = {
	/* RFC 3501 section 5.1.3's example, and the basics. */
	{ "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/"
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0,
	    "~peter/mail/&U,BTFw-/&ZeVnLIqe-", "RFC 3501 example" },
	{ "", 0, "", "empty name" },
	{ "1", 0, "1", "one character" },
	{ "INBOX", 0, "INBOX", "plain ASCII" },
	{ "Sent Items", 0, "Sent Items", "a space stands for itself" },
	{ "[Gmail]/All Mail", 0, "[Gmail]/All Mail", "Gmail folder" },
	{ " !\"#$%'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~", 0,
	    " !\"#$%'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~",
	    "all printable ASCII but & stands for itself" },
	{ "&", 0, "&-", "& alone" },
	{ "&&", 0, "&-&-", "two &" },
	{ "1&1", 0, "1&-1", "& between" },
	{ "&1&", 0, "&-1&-", "& around" },
	{ "AT&T", 0, "AT&-T", "AT&T" },
	{ "\t", 0, "&AAk-", "TAB is encoded" },
	{ "m\x7fll", 0, "m&AH8-ll", "DEL is encoded" },
	{ "\t&", 0, "&AAk-&-", "run then &" },
	{ "\t&\t", 0, "&AAk-&-&AAk-", "run, &, run" },
	{ "&\t", 0, "&-&AAk-", "& then run" },
	{ "&\t&", 0, "&-&AAk-&-", "&, run, &" },
	{ "\xc3\xa4", 0, "&AOQ-", "a with umlaut" },
	{ "\xc3\xa4\xc3\xb6", 0, "&AOQA9g-", "two characters in one run" },
	{ "\xc3\xa4\xc3\xb6\xc3\xbc", 0, "&AOQA9gD8-",
	    "three characters in one run" },
	{ "m\xc3\xbcll", 0, "m&APw-ll", "run inside a word" },
	{ "m\xc3\xbc", 0, "m&APw-", "run at the end" },
	{ "\xc3\xbc" "ber", 0, "&APw-ber", "run at the start" },
	{ "Entw\xc3\xbcrfe", 0, "Entw&APw-rfe", "German Drafts" },
	{ "Gel\xc3\xb6schte Elemente", 0, "Gel&APY-schte Elemente",
	    "German Deleted Items" },
	{ "\xd0\x9e\xd1\x82\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xbb\xd0\xb5"
	    "\xd0\xbd\xd0\xbd\xd1\x8b\xd0\xb5", 0,
	    "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-", "Russian Sent" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e&\xe5\x8f\xb0\xe5\x8c\x97", 0,
	    "&ZeVnLIqe-&-&U,BTFw-", "& between two runs" },
	{ "\xe1\xb8\x80", 0, "&HgA-", "U+1E00" },
	{ "\xe1\xb8\x80\xe1\xb8\x81", 0, "&HgAeAQ-", "U+1E00 U+1E01" },
	{ "\xc2\x80", 0, "&AIA-", "U+0080, the first two-byte character" },
	{ "\xee\x80\x80", 0, "&4AA-", "U+E000, past the surrogates" },
	{ "\xef\xbf\xbf", 0, "&,,8-", "U+FFFF" },
	{ "\xf0\x9f\x98\x82", 0, "&2D3eAg-", "astral: a surrogate pair" },
	{ "\xf0\x9f\x98\x88\xf0\x9f\x98\x8e", 0, "&2D3eCNg93g4-",
	    "two surrogate pairs" },
	{ "\xf4\x8f\xbf\xbf", 0, "&2,,f,w-", "U+10FFFF" },

	/* UTF-8 the encoder refuses. */
	{ "\x83\x84", 0, NULL, "stray continuation bytes" },
	{ "\xc3\xc4", 0, NULL, "lead byte without continuation" },
	{ "\xc3", 0, NULL, "cut short after 1 of 2" },
	{ "\xc0\xa6", 0, NULL, "overlong & (C0)" },
	{ "\xc1\xbf", 0, NULL, "overlong (C1)" },
	{ "\xe0\x80\xa6", 0, NULL, "overlong & (three bytes)" },
	{ "\xe1\xc8\x80", 0, NULL, "bad second byte of three" },
	{ "\xe1\xb8\xf0", 0, NULL, "bad third byte of three" },
	{ "\xe1\xb8", 0, NULL, "cut short after 2 of 3" },
	{ "\xe1", 0, NULL, "cut short after 1 of 3" },
	{ "\xed\xa0\x80", 0, NULL, "a UTF-8 encoded surrogate" },
	{ "\xf0\x8f\xbf\xbf", 0, NULL, "overlong (four bytes)" },
	{ "\xf4\x90\x80\x80", 0, NULL, "past U+10FFFF" },
	{ "\xf5\x80\x80\x80", 0, NULL, "lead byte F5" },
	{ "\xf8\x9f\x98\x82", 0, NULL, "five-byte lead" },
	{ "\xf0\xcf\x98\x82", 0, NULL, "bad second byte of four" },
	{ "\xf0\x9f\xd8\x82", 0, NULL, "bad third byte of four" },
	{ "\xf0\x9f\x98\xe2", 0, NULL, "bad fourth byte of four" },
	{ "\xf0\x9f\x98", 0, NULL, "cut short after 3 of 4" },
	{ "\xf0", 0, NULL, "cut short after 1 of 4" },
	{ "\xff", 0, NULL, "byte FF" },
	{ "a\0b", 3, NULL, "a NUL" },

	/* Modified UTF-7 the decoder refuses. */
	{ NULL, 0, "&", "& alone: unterminated" },
	{ NULL, 0, "&-&", "unterminated after &-" },
	{ NULL, 0, "&AAk", "run without '-'" },
	{ NULL, 0, "&AOQ", "run without '-' (whole character)" },
	{ NULL, 0, "&AA-", "12 bits: no whole character" },
	{ NULL, 0, "&A-", "6 bits: no whole character" },
	{ NULL, 0, "&AOQA-", "a whole character and 8 bits more" },
	{ NULL, 0, "&AOR-", "leftover bits not zero" },
	{ NULL, 0, "&,,,-", "U+FFFF with leftover bits set" },
	{ NULL, 0, "&*Ak-", "'*' is not base64" },
	{ NULL, 0, "&&-", "'&' inside a run" },
	{ NULL, 0, "&AO=-", "base64 padding" },
	{ NULL, 0, "&AP8/-", "'/' instead of ','" },
	{ NULL, 0, "&AOQ -", "a space inside a run" },
	{ NULL, 0, "&AGE-", "printable ASCII 'a' in base64" },
	{ NULL, 0, "&ACY-", "'&' in base64" },
	{ NULL, 0, "&ACA-", "a space in base64" },
	{ NULL, 0, "&AH4-", "'~' in base64" },
	{ NULL, 0, "&AAA-", "NUL in base64" },
	{ NULL, 0, "&2D0-", "high surrogate at the end of the run" },
	{ NULL, 0, "&2D3YPQ-", "high surrogate then high surrogate" },
	{ NULL, 0, "&2D0AQQ-", "high surrogate then a BMP character" },
	{ NULL, 0, "&3gI-", "low surrogate alone" },
	{ NULL, 0, "&3gLYPQ-", "low then high surrogate" },
	{ NULL, 0, "&2D0-&3gI-", "surrogate pair split over two runs" },
	{ NULL, 0, "&AOQ-&APY-", "a run directly after another" },
	{ NULL, 0, "\xc3\xa4", "raw UTF-8" },
	{ NULL, 0, "a\tb", "raw TAB" },
	{ NULL, 0, "a\x7f", "raw DEL" },
	{ NULL, 0, "&-\x80", "raw byte 0x80" },
};


static void	 show(const char *, const char *, size_t);
static void	 encode_one(uint32_t, char *, size_t *);
static int	 round_trip(const char *, size_t);
static int	 same(const char *, size_t, const char *, size_t);

/* A TAP comment line showing bytes with C escapes. */
static void
show(const char *what, const char *s, size_t len)
{
	size_t	i;

	printf("#   %s: \"", what);
	for (i = 0; s != NULL && i < len; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			putchar(s[i]);
		else
			printf("\\x%02x", (unsigned char)s[i]);
	}
	printf("\"\n");
}

/* Code point cp as UTF-8 into out (len set). */
static void
encode_one(uint32_t cp, char *out, size_t *len)
{
	unsigned char	*o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		*len = 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		*len = 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		*len = 3;
	} else {
		o[0] = (unsigned char)(0xf0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[3] = (unsigned char)(0x80 | (cp & 0x3f));
		*len = 4;
	}
}

/* 1 if the two byte strings are equal (either may be NULL when empty). */
static int
same(const char *a, size_t alen, const char *b, size_t blen)
{
	return (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0));
}

/* 1 if s encodes, the result decodes to s, and re-encodes the same. */
static int
round_trip(const char *s, size_t len)
{
	struct buf	 e, d, e2;
	char		*cause = NULL;
	int		 good;

	buf_init(&e, 0);
	buf_init(&d, 0);
	buf_init(&e2, 0);
	good = imap_utf8_to_utf7(s, len, &e, &cause) == 0 &&
	    imap_utf7_to_utf8(e.data != NULL ? e.data : "", e.len, &d,
	    &cause) == 0 && same(d.data, d.len, s, len) &&
	    imap_utf8_to_utf7(d.data != NULL ? d.data : "", d.len, &e2,
	    &cause) == 0 && same(e2.data, e2.len, e.data, e.len);
	if (!good) {
		show("input", s, len);
		show("encoded", e.data, e.len);
		if (cause != NULL)
			printf("#   cause: %s\n", cause);
	}
	free(cause);
	buf_free(&e);
	buf_free(&d);
	buf_free(&e2);
	return (good);
}

int
main(void)
{
	const size_t	 ncases = sizeof cases / sizeof cases[0];
	const struct utf7_case *c;
	struct buf	 b;
	char		*cause, *copy, text[16];
	size_t		 i, len, n, bad;
	uint32_t	 cp;
	int		 r, good;

	printf("1..%zu\n", 2 * ncases + 3);

	for (i = 0; i < ncases; i++) {
		c = &cases[i];
		/* Encode, from an exact-size heap copy (for ASan). */
		if (c->utf8 != NULL) {
			len = c->utf8len != 0 ? c->utf8len : strlen(c->utf8);
			if ((copy = malloc(len + 1)) == NULL)
				return (2);
			memcpy(copy, c->utf8, len);
			buf_init(&b, 0);
			cause = NULL;
			r = imap_utf8_to_utf7(copy, len, &b, &cause);
			good = c->utf7 == NULL ? r == -1 && cause != NULL :
			    r == 0 && same(b.data, b.len, c->utf7,
			    strlen(c->utf7));
			ok(good, "encode: %s", c->desc);
			if (!good) {
				show("got", b.data, b.len);
				printf("#   cause: %s\n", cause != NULL ?
				    cause : "(none)");
			}
			free(cause);
			buf_free(&b);
			free(copy);
		} else
			ok(1, "encode: %s (decode only)", c->desc);

		/* Decode, likewise; an accepted name must round trip. */
		if (c->utf7 != NULL) {
			len = strlen(c->utf7);
			if ((copy = malloc(len + 1)) == NULL)
				return (2);
			memcpy(copy, c->utf7, len);
			buf_init(&b, 0);
			cause = NULL;
			r = imap_utf7_to_utf8(copy, len, &b, &cause);
			if (c->utf8 == NULL)
				good = r == -1 && cause != NULL;
			else {
				n = c->utf8len != 0 ? c->utf8len :
				    strlen(c->utf8);
				good = r == 0 && same(b.data, b.len, c->utf8,
				    n) && round_trip(c->utf8, n);
			}
			ok(good, "decode: %s", c->desc);
			if (!good) {
				show("got", b.data, b.len);
				printf("#   cause: %s\n", cause != NULL ?
				    cause : "(none)");
			}
			free(cause);
			buf_free(&b);
			free(copy);
		} else
			ok(1, "decode: %s (encode only)", c->desc);
	}

	/* Every BMP code point but the surrogates (and NUL), alone. */
	bad = 0;
	for (cp = 1; cp < 0x10000; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		encode_one(cp, text, &len);
		if (!round_trip(text, len) && bad++ < 5)
			printf("#   U+%04X\n", (unsigned int)cp);
	}
	ok(bad == 0, "round trip of every BMP code point (%zu failed)", bad);

	/* The other planes, every 97th code point, and the last. */
	bad = 0;
	for (cp = 0x10000; cp <= 0x10ffff; cp = cp == 0x10ffff ? 0x110000 :
	    cp + 97 > 0x10ffff ? 0x10ffff : cp + 97) {
		encode_one(cp, text, &len);
		if (!round_trip(text, len) && bad++ < 5)
			printf("#   U+%06X\n", (unsigned int)cp);
	}
	ok(bad == 0, "round trip of astral code points (%zu failed)", bad);

	/* Each code point between ASCII, so runs open and close mid-name. */
	bad = 0;
	for (cp = 1; cp < 0x11000; cp += 7) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		text[0] = 'a';
		encode_one(cp, text + 1, &len);
		text[len + 1] = '&';
		encode_one(cp, text + len + 2, &n);
		text[len + n + 2] = 'z';
		if (!round_trip(text, len + n + 3) && bad++ < 5)
			printf("#   U+%04X\n", (unsigned int)cp);
	}
	ok(bad == 0, "round trip of code points between ASCII (%zu failed)",
	    bad);

	return (tap_status());
}
