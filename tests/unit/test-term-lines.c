/*
 * test-term-lines.c: terminal text that keeps its line breaks
 * (term-lines.c).
 *
 * A table of inputs and what a terminal is given, each fed whole, cut at
 * every point into two chunks, and one byte at a time: CRLF and LF are
 * newlines wherever the chunks are cut, a lone CR and other controls stay
 * escaped as term_escape() escapes them, and UTF-8 text passes through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term-lines.h"
#include "tap.h"

struct tl_case {
	const char	*in;
	size_t		 inlen;		/* 0: strlen */
	const char	*out;
	const char	*desc;
};

static const struct tl_case cases[] = {
	{ "a\r\nb\r\n", 0, "a\nb\n", "CRLF lines" },
	{ "a\nb", 0, "a\nb", "LF lines" },
	{ "a\rb", 0, "a\\x0db", "a lone CR stays escaped" },
	{ "a\r", 0, "a\\x0d", "a CR at the end stays escaped" },
	{ "\r\r\n", 0, "\\x0d\n", "CR then CRLF" },
	{ "\x1b[31mred\r\n", 0, "\\x1b[31mred\n", "an escape sequence" },
	{ "caf\xc3\xa9\r\n", 0, "caf\xc3\xa9\n", "UTF-8 passes through" },
	{ "\xe2\x80\xae" "evil\n", 0, "\\u202eevil\n", "a bidi override" },
	{ "\xf0\x9f\x93\xa7 mail\r\n", 0, "\xf0\x9f\x93\xa7 mail\n",
	  "a 4-byte character" },
	{ "ab\xc3", 0, "ab\\xc3", "a character cut off at the end" },
	{ "\xc3(x\n", 0, "\\xc3(x\n", "a lead byte and no continuation" },
	{ "\xe2\x82\r\n", 0, "\\xe2\\x82\n", "a cut character, then CRLF" },
	{ "tab\there\x7f", 0, "tab\there\\x7f", "TAB kept, DEL escaped" },
	{ "a\0b\n", 4, "a\\x00b\n", "a NUL" },
	{ "", 0, "", "nothing" },
};

static void	feed(struct buf *, const char *, size_t, size_t);

/* in fed in two chunks, cut bytes and the rest. */
static void
feed(struct buf *b, const char *in, size_t len, size_t cut)
{
	struct term_lines	tl;

	memset(&tl, 0, sizeof tl);
	term_lines_escape(b, in, cut, &tl);
	term_lines_escape(b, in + cut, len - cut, &tl);
	term_lines_end(b, &tl);
}

int
main(void)
{
	struct term_lines tl;
	struct buf	 b;
	size_t		 i, len, cut, k;
	int		 all;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct tl_case *c = &cases[i];

		len = c->inlen != 0 ? c->inlen : strlen(c->in);
		all = 1;
		for (cut = 0; cut <= len; cut++) {
			buf_init(&b, 0);
			feed(&b, c->in, len, cut);
			if (b.len != strlen(c->out) || (b.len > 0 &&
			    memcmp(b.data, c->out, b.len) != 0))
				all = 0;
			buf_free(&b);
		}
		ok(all, "%s, cut at every point", c->desc);
		buf_init(&b, 0);
		memset(&tl, 0, sizeof tl);
		for (k = 0; k < len; k++)
			term_lines_escape(&b, c->in + k, 1, &tl);
		term_lines_end(&b, &tl);
		ok(b.len == strlen(c->out) && (b.len == 0 ||
		    memcmp(b.data, c->out, b.len) == 0),
		    "%s, one byte at a time", c->desc);
		buf_free(&b);
	}
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
