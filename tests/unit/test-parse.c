/*
 * test-parse.c: unit tests for the response push parser (imap-parse.c).
 *
 * A TAP program: "ok N - ..." per check, the plan "1..N" last, exit 0 iff
 * every check passed.
 *
 * Each table case is an input byte stream and the transcript the parser
 * must turn it into, one event per transcript line:
 *
 *	LINE[cont,final](text)	a line; flags are those set
 *	LIT{N}			the line announced a literal of N bytes
 *	DATA(bytes)		literal data, adjacent chunks merged
 *	END			end of the literal
 *	ERROR(message)		and the run stops
 *	PENDING			input ran out inside a response
 *
 * Bytes outside printable ASCII are written <CR>, <LF>, <NUL> or <xNN>.
 * Every case is run with the input fed whole, one byte at a time, and in
 * pseudo-random chunk sizes (fixed seeds); all must give the same
 * transcript.  The driver copies each chunk into its own allocation of
 * exactly that size, so under ASan a read past what was fed is caught, and
 * it checks on the side that literal data points into the chunk fed
 * (zero copy), that literal_left counts down, that lines are
 * NUL-terminated, that MORE consumed everything, and that the parser
 * never stalls.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "imap-parse.h"
#include "xmalloc.h"
#include "escape.h"
#include "tap.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Heap use can be measured with glibc's allocator, not under ASan's. */
#if defined(__GLIBC__) && defined(__GLIBC_PREREQ) && !defined(UNDER_ASAN)
#if __GLIBC_PREREQ(2, 33)
#define HAVE_MALLINFO2 1
#endif
#endif

enum feed_mode {
	FEED_WHOLE,
	FEED_BYTE,
	FEED_RANDOM,
	FEED_PLAN
};

struct chunker {
	enum feed_mode	 mode;
	uint32_t	 rng;
	const size_t	*plan;		/* FEED_PLAN sizes, 0 ends */
	size_t		 iplan;
};

struct run_result {
	char		*transcript;
	size_t		 consumed;	/* input bytes used */
};

#define IN(s)	s, sizeof(s) - 1

/* A line of exactly 64 bytes, for max_line 64. */
#define LINE64	"* OK 123456789012345678901234567890" \
		"12345678901234567890123456789"

struct parse_case {
	const char	*name;
	const char	*in;
	size_t		 inlen;
	size_t		 max_line;
	int		 max_depth;
	const char	*want;
};


static void	 diag_string(const char *, const char *);
static size_t	 chunk_next(struct chunker *, size_t);
static void	 flush_data(struct buf *, struct buf *);
static struct run_result run(const char *, size_t, size_t, int,
		    struct chunker *);
static void	 check_case(const char *, const char *, size_t, size_t, int,
		    const char *);
static void	 test_table(void);
static void	 test_generated(void);
static void	 test_split_cr(void);
static void	 test_line_limit_memory(void);
static void	 test_sticky_error(void);
static void	 test_idle(void);
static void	 test_event_fields(void);
static void	 test_reset_mid_literal(void);

static void
diag_string(const char *label, const char *s)
{
	printf("# %s:\n#   ", label);
	for (; *s != '\0'; s++) {
		putchar(*s);
		if (*s == '\n' && s[1] != '\0')
			fputs("#   ", stdout);
	}
	putchar('\n');
}

/* The size of the next chunk to feed, at most left (which is nonzero). */
static size_t
chunk_next(struct chunker *ch, size_t left)
{
	size_t	 n = left;

	switch (ch->mode) {
	case FEED_WHOLE:
		break;
	case FEED_BYTE:
		n = 1;
		break;
	case FEED_RANDOM:
		/* xorshift32: mostly small chunks, some larger ones. */
		ch->rng ^= ch->rng << 13;
		ch->rng ^= ch->rng >> 17;
		ch->rng ^= ch->rng << 5;
		if (ch->rng % 4 == 0)
			n = ch->rng / 4 % 97 + 1;
		else
			n = ch->rng / 4 % 7 + 1;
		break;
	case FEED_PLAN:
		if (ch->plan[ch->iplan] != 0)
			n = ch->plan[ch->iplan++];
		break;
	}
	return (n < left ? n : left);
}

static void
flush_data(struct buf *out, struct buf *data)
{
	if (data->len == 0)
		return;
	buf_addstr(out, "DATA(");
	add_escaped(out, data->data, data->len);
	buf_addstr(out, ")\n");
	buf_reset(data);
}

/*
 * Feed in[0..inlen) to a new parser in chunks chosen by ch and return the
 * transcript (caller frees) and how much input was consumed.
 */
static struct run_result
run(const char *in, size_t inlen, size_t max_line, int max_depth,
    struct chunker *ch)
{
	struct imap_parser	*ps;
	struct imap_event	 ev;
	struct run_result	 rr;
	struct buf		 out, data;
	enum imap_ev_type	 type;
	char			*chunk;
	size_t			 pos = 0, clen = 0, coff = 0, used;
	uint64_t		 lit_left = 0;
	int			 stalls = 0, in_literal = 0;

	buf_init(&out, 0);
	buf_init(&data, 0);
	buf_addstr(&out, "");
	ps = imap_parser_new(max_line, max_depth);
	chunk = xmalloc(0);

	for (;;) {
		type = imap_parse_feed(ps, chunk + coff, clen - coff, &used,
		    &ev);
		if (used > clen - coff) {
			buf_addstr(&out, "BADUSED\n");
			break;
		}
		if (type != IMAP_EV_MORE && used == 0) {
			if (++stalls > 2) {
				buf_addstr(&out, "STALLED\n");
				break;
			}
		} else
			stalls = 0;

		if (type != IMAP_EV_LITERAL_DATA && type != IMAP_EV_MORE)
			flush_data(&out, &data);
		switch (type) {
		case IMAP_EV_MORE:
			if (used != clen - coff)
				buf_addstr(&out, "BADMORE\n");
			coff += used;
			free(chunk);
			chunk = NULL;
			if (pos == inlen)
				goto done;
			clen = chunk_next(ch, inlen - pos);
			chunk = xmalloc(clen);
			memcpy(chunk, in + pos, clen);
			pos += clen;
			coff = 0;
			continue;
		case IMAP_EV_LINE:
			if (in_literal)
				buf_addstr(&out, "BADLINE\n");
			if (ev.line == NULL || ev.line[ev.len] != '\0')
				buf_addstr(&out, "BADNUL\n");
			if (ev.final == ev.has_literal)
				buf_addstr(&out, "BADFINAL\n");
			buf_addstr(&out, "LINE[");
			if (ev.continued)
				buf_addstr(&out, ev.final ? "cont," : "cont");
			if (ev.final)
				buf_addstr(&out, "final");
			buf_addstr(&out, "](");
			add_escaped(&out, ev.line, ev.len);
			buf_addstr(&out, ")\n");
			if (ev.has_literal) {
				buf_printf(&out, "LIT{%ju}\n",
				    (uintmax_t)ev.literal_size);
				lit_left = ev.literal_size;
				in_literal = 1;
			}
			break;
		case IMAP_EV_LITERAL_DATA:
			if (!in_literal || ev.data_len == 0 ||
			    ev.data_len != ev.len || ev.data_len > lit_left)
				buf_addstr(&out, "BADDATA\n");
			else if (ev.data != chunk + coff)
				buf_addstr(&out, "BADPTR\n");
			else {
				lit_left -= ev.data_len;
				if (ev.literal_left != lit_left)
					buf_addstr(&out, "BADLEFT\n");
				buf_add(&data, ev.data, ev.data_len);
			}
			break;
		case IMAP_EV_LITERAL_END:
			if (!in_literal || lit_left != 0)
				buf_addstr(&out, "BADEND\n");
			in_literal = 0;
			buf_addstr(&out, "END\n");
			break;
		case IMAP_EV_ERROR:
			buf_printf(&out, "ERROR(%s)\n",
			    ev.error == NULL ? "(null)" : ev.error);
			goto done;
		}
		coff += used;
	}
done:
	flush_data(&out, &data);
	if (type != IMAP_EV_ERROR && !imap_parser_idle(ps))
		buf_addstr(&out, "PENDING\n");
	rr.consumed = pos - clen + coff;
	free(chunk);
	imap_parser_free(ps);
	buf_free(&data);
	rr.transcript = buf_steal(&out, NULL);
	return (rr);
}

/* Run one case whole, byte by byte and in random chunks. */
static void
check_case(const char *name, const char *in, size_t inlen, size_t max_line,
    int max_depth, const char *want)
{
	static const uint32_t	 seeds[] = {
		1, 0x2545f491, 0xdeadbeef, 77
	};
	struct chunker		 ch;
	struct run_result	 rr;
	size_t			 i;
	int			 same;

	memset(&ch, 0, sizeof ch);
	ch.mode = FEED_WHOLE;
	rr = run(in, inlen, max_line, max_depth, &ch);
	same = strcmp(rr.transcript, want) == 0;
	ok(same, "%s (whole)", name);
	if (!same) {
		diag_string("want", want);
		diag_string("got", rr.transcript);
	}
	free(rr.transcript);

	ch.mode = FEED_BYTE;
	rr = run(in, inlen, max_line, max_depth, &ch);
	same = strcmp(rr.transcript, want) == 0;
	ok(same, "%s (one byte at a time)", name);
	if (!same) {
		diag_string("want", want);
		diag_string("got", rr.transcript);
	}
	free(rr.transcript);

	same = 1;
	for (i = 0; same && i < sizeof seeds / sizeof seeds[0]; i++) {
		ch.mode = FEED_RANDOM;
		ch.rng = seeds[i];
		rr = run(in, inlen, max_line, max_depth, &ch);
		same = strcmp(rr.transcript, want) == 0;
		if (!same) {
			printf("# seed %#x\n", seeds[i]);
			diag_string("want", want);
			diag_string("got", rr.transcript);
		}
		free(rr.transcript);
	}
	ok(same, "%s (random chunks)", name);
}

static const struct parse_case cases[] = {
	{ "untagged greeting",
	  IN("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n"), 0, 0,
	  "LINE[final](* OK [CAPABILITY IMAP4rev1 LITERAL+] ready)\n" },
	{ "tagged completion",
	  IN("A001 OK LOGIN completed\r\n"), 0, 0,
	  "LINE[final](A001 OK LOGIN completed)\n" },
	{ "several responses",
	  IN("* 3 EXISTS\r\n* 0 RECENT\r\n"
	  "A002 OK [READ-WRITE] SELECT done\r\n"), 0, 0,
	  "LINE[final](* 3 EXISTS)\n"
	  "LINE[final](* 0 RECENT)\n"
	  "LINE[final](A002 OK [READ-WRITE] SELECT done)\n" },
	{ "continuation requests",
	  IN("+ idling\r\n+ \r\n+\r\n"), 0, 0,
	  "LINE[final](+ idling)\n"
	  "LINE[final](+ )\n"
	  "LINE[final](+)\n" },
	{ "empty lines",
	  IN("\r\n\n"), 0, 0,
	  "LINE[final]()\n"
	  "LINE[final]()\n" },
	{ "FETCH with a literal",
	  IN("* 1 FETCH (UID 7 BODY[] {5}\r\nhello FLAGS (\\Seen))\r\n"
	  "A003 OK done\r\n"), 0, 0,
	  "LINE[](* 1 FETCH (UID 7 BODY[] {5})\n"
	  "LIT{5}\n"
	  "DATA(hello)\n"
	  "END\n"
	  "LINE[cont,final]( FLAGS (\\Seen)))\n"
	  "LINE[final](A003 OK done)\n" },
	{ "several literals in one response",
	  IN("* 2 FETCH (BODY[HEADER] {3}\r\nabc BODY[TEXT] {4}\r\n"
	  "defg)\r\n"), 0, 0,
	  "LINE[](* 2 FETCH (BODY[HEADER] {3})\n"
	  "LIT{3}\n"
	  "DATA(abc)\n"
	  "END\n"
	  "LINE[cont]( BODY[TEXT] {4})\n"
	  "LIT{4}\n"
	  "DATA(defg)\n"
	  "END\n"
	  "LINE[cont,final]())\n" },
	{ "empty literal {0}",
	  IN("* 3 FETCH (BODY[] {0}\r\n)\r\n"), 0, 0,
	  "LINE[](* 3 FETCH (BODY[] {0})\n"
	  "LIT{0}\n"
	  "END\n"
	  "LINE[cont,final]())\n" },
	{ "two {0} literals in a row",
	  IN("* 3 FETCH (A {0}\r\n B {0}\r\n)\r\n"), 0, 0,
	  "LINE[](* 3 FETCH (A {0})\n"
	  "LIT{0}\n"
	  "END\n"
	  "LINE[cont]( B {0})\n"
	  "LIT{0}\n"
	  "END\n"
	  "LINE[cont,final]())\n" },
	{ "literal data that looks like protocol",
	  IN("* 4 FETCH (BODY[] {36}\r\n"
	  "A001 OK done\r\n+ go\r\n* BYE bye\r\n{5}\r\n"
	  ")\r\nA001 OK FETCH done\r\n"), 0, 0,
	  "LINE[](* 4 FETCH (BODY[] {36})\n"
	  "LIT{36}\n"
	  "DATA(A001 OK done<CR><LF>+ go<CR><LF>* BYE bye<CR><LF>"
	  "{5}<CR><LF>)\n"
	  "END\n"
	  "LINE[cont,final]())\n"
	  "LINE[final](A001 OK FETCH done)\n" },
	{ "literal ending in CR, then an empty line",
	  IN("* 5 FETCH (X {1}\r\n\r\n"), 0, 0,
	  "LINE[](* 5 FETCH (X {1})\n"
	  "LIT{1}\n"
	  "DATA(<CR>)\n"
	  "END\n"
	  "LINE[cont,final]()\n" },
	{ "{5} inside an unterminated quoted string is text",
	  IN("* 1 FETCH (X \"a {5}\r\nhello)\r\n"), 0, 0,
	  "LINE[final](* 1 FETCH (X \"a {5})\n"
	  "LINE[final](hello))\n" },
	{ "{5} inside a closed quoted string is text",
	  IN("* LIST () \"/\" \"{5}\"\r\n* OK \"x\" \"{5}\r\n"), 0, 0,
	  "LINE[final](* LIST () \"/\" \"{5}\")\n"
	  "LINE[final](* OK \"x\" \"{5})\n" },
	{ "escaped quote in a string, then a literal",
	  IN("* 1 FETCH (X \"a\\\"b\" {3}\r\nxyz)\r\n"), 0, 0,
	  "LINE[](* 1 FETCH (X \"a\\\"b\" {3})\n"
	  "LIT{3}\n"
	  "DATA(xyz)\n"
	  "END\n"
	  "LINE[cont,final]())\n" },
	{ "escaped backslash ends a string, then a literal",
	  IN("* 1 FETCH (X \"a\\\\\" {3}\r\nxyz)\r\n"), 0, 0,
	  "LINE[](* 1 FETCH (X \"a\\\\\" {3})\n"
	  "LIT{3}\n"
	  "DATA(xyz)\n"
	  "END\n"
	  "LINE[cont,final]())\n" },
	{ "escaped quote keeps the string open: no literal",
	  IN("* 1 FETCH (X \"a\\\" {3}\r\n"), 0, 0,
	  "LINE[final](* 1 FETCH (X \"a\\\" {3})\n" },
	{ "non-synchronizing literal {N+}",
	  IN("A1 APPEND INBOX {3+}\r\nabc\r\n"), 0, 0,
	  "LINE[](A1 APPEND INBOX {3+})\n"
	  "LIT{3}\n"
	  "DATA(abc)\n"
	  "END\n"
	  "LINE[cont,final]()\n" },
	{ "literal8 ~{N} with binary data",
	  IN("* 1 FETCH (BINARY[] ~{4}\r\n\0\x01\xff\n)\r\n"), 0, 0,
	  "LINE[](* 1 FETCH (BINARY[] ~{4})\n"
	  "LIT{4}\n"
	  "DATA(<NUL><x01><xFF><LF>)\n"
	  "END\n"
	  "LINE[cont,final]())\n" },
	{ "a line that is only {N}; leading zeros",
	  IN("{007}\r\nabcdefg\r\n"), 0, 0,
	  "LINE[]({007})\n"
	  "LIT{7}\n"
	  "DATA(abcdefg)\n"
	  "END\n"
	  "LINE[cont,final]()\n" },
	{ "{} {abc} and other near-misses are text",
	  IN("* OK {}\r\n* OK {abc}\r\n* OK {+}\r\n* OK {1a}\r\n"
	  "* OK 12}\r\n* OK {5} \r\n* OK {-5}\r\n* OK {5}x\r\n"
	  "* OK {5++}\r\n* OK {+5}\r\n}\r\n{}\r\n"), 0, 0,
	  "LINE[final](* OK {})\n"
	  "LINE[final](* OK {abc})\n"
	  "LINE[final](* OK {+})\n"
	  "LINE[final](* OK {1a})\n"
	  "LINE[final](* OK 12})\n"
	  "LINE[final](* OK {5} )\n"
	  "LINE[final](* OK {-5})\n"
	  "LINE[final](* OK {5}x)\n"
	  "LINE[final](* OK {5++})\n"
	  "LINE[final](* OK {+5})\n"
	  "LINE[final](})\n"
	  "LINE[final]({})\n" },
	{ "20-digit literal size is an error",
	  IN("* OK x\r\n* 1 FETCH (BODY[] {12345678901234567890}\r\n"), 0, 0,
	  "LINE[final](* OK x)\n"
	  "ERROR(literal size too large)\n" },
	{ "20 digits with leading zeros is an error",
	  IN("* 1 FETCH (BODY[] {00000000000000000001}\r\n"), 0, 0,
	  "ERROR(literal size too large)\n" },
	{ "INT64_MAX + 1 is an error",
	  IN("* 1 FETCH (BODY[] {9223372036854775808}\r\n"), 0, 0,
	  "ERROR(literal size too large)\n" },
	{ "UINT64_MAX is an error",
	  IN("* 1 FETCH (BODY[] {18446744073709551615}\r\n"), 0, 0,
	  "ERROR(literal size too large)\n" },
	{ "literal size INT64_MAX is accepted",
	  IN("* 1 FETCH (BODY[] {9223372036854775807}\r\n"), 0, 0,
	  "LINE[](* 1 FETCH (BODY[] {9223372036854775807})\n"
	  "LIT{9223372036854775807}\n"
	  "PENDING\n" },
	{ "INT64_MAX literal, first bytes",
	  IN("* 1 FETCH (BODY[] {9223372036854775807+}\r\nabc\r\n"), 0, 0,
	  "LINE[](* 1 FETCH (BODY[] {9223372036854775807+})\n"
	  "LIT{9223372036854775807}\n"
	  "DATA(abc<CR><LF>)\n"
	  "PENDING\n" },
	{ "bare LF line ends",
	  IN("* OK a\n* 1 FETCH (BODY[] {2}\nab)\nA1 OK b\r\n"), 0, 0,
	  "LINE[final](* OK a)\n"
	  "LINE[](* 1 FETCH (BODY[] {2})\n"
	  "LIT{2}\n"
	  "DATA(ab)\n"
	  "END\n"
	  "LINE[cont,final]())\n"
	  "LINE[final](A1 OK b)\n" },
	{ "CR not before LF is line data",
	  IN("* OK a\rb\r\n* OK c\r\r\n* OK \r\r\r\n\r\r\n"), 0, 0,
	  "LINE[final](* OK a<CR>b)\n"
	  "LINE[final](* OK c<CR>)\n"
	  "LINE[final](* OK <CR><CR>)\n"
	  "LINE[final](<CR>)\n" },
	{ "input ending in CR is pending",
	  IN("* OK a\r"), 0, 0,
	  "PENDING\n" },
	{ "NUL inside a line is data",
	  IN("* OK a\0b\r\n\0\r\n"), 0, 0,
	  "LINE[final](* OK a<NUL>b)\n"
	  "LINE[final](<NUL>)\n" },
	{ "line of exactly max_line bytes",
	  IN(LINE64 "\r\n"
	  LINE64 "\n"), 64, 0,
	  "LINE[final](" LINE64 ")\n"
	  "LINE[final](" LINE64 ")\n" },
	{ "line of max_line + 1 bytes is an error",
	  IN("* OK\r\n"
	  LINE64 "X\r\n"), 64, 0,
	  "LINE[final](* OK)\n"
	  "ERROR(line too long)\n" },
	{ "max_line bytes then a CR that is data is an error",
	  IN(LINE64 "\rX\r\n"), 64, 0,
	  "ERROR(line too long)\n" },
	{ "max_line bytes then CR at end of input is pending",
	  IN(LINE64 "\r"), 64, 0,
	  "PENDING\n" },
	{ "max_line does not count literal data",
	  IN("* 1 FETCH (X {100}\r\n"
	  "0123456789012345678901234567890123456789"
	  "0123456789012345678901234567890123456789"
	  "01234567890123456789)\r\n"), 32, 0,
	  "LINE[](* 1 FETCH (X {100})\n"
	  "LIT{100}\n"
	  "DATA(0123456789012345678901234567890123456789"
	  "0123456789012345678901234567890123456789"
	  "01234567890123456789)\n"
	  "END\n"
	  "LINE[cont,final]())\n" },
	{ "unbalanced closers are tolerated and clamp at 0",
	  IN("* OK ))) ]] [x\r\n* ))) (((\r\n* OK )(\r\n"), 0, 3,
	  "LINE[final](* OK ))) ]] [x)\n"
	  "LINE[final](* ))) ((()\n"
	  "LINE[final](* OK )()\n" },
	{ "clamped depth still counts what opens after",
	  IN("* ))) ((((\r\n"), 0, 3,
	  "ERROR(nesting too deep)\n" },
	{ "parens and brackets share one depth",
	  IN("* 1 FETCH (BODY[HEADER.FIELDS (FROM)] x)\r\n"
	  "* 1 FETCH (BODY[HEADER.FIELDS ((FROM))] x)\r\n"), 0, 3,
	  "LINE[final](* 1 FETCH (BODY[HEADER.FIELDS (FROM)] x))\n"
	  "ERROR(nesting too deep)\n" },
	{ "parens in quoted strings do not count",
	  IN("* OK \"(((\" (\r\n* OK \"\\\"(((\" (\r\n"), 0, 1,
	  "LINE[final](* OK \"(((\" ()\n"
	  "LINE[final](* OK \"\\\"(((\" ()\n" },
	{ "parens in literal data do not count",
	  IN("* 1 FETCH (X {3}\r\n((()\r\n"), 0, 1,
	  "LINE[](* 1 FETCH (X {3})\n"
	  "LIT{3}\n"
	  "DATA(((()\n"
	  "END\n"
	  "LINE[cont,final]())\n" },
	{ "depth carries across the lines of a response",
	  IN("* 1 FETCH ((X {1}\r\nx(\r\n"), 0, 2,
	  "LINE[](* 1 FETCH ((X {1})\n"
	  "LIT{1}\n"
	  "DATA(x)\n"
	  "END\n"
	  "ERROR(nesting too deep)\n" },
	{ "depth resets at each response",
	  IN("* ((\r\n* ((\r\n"), 0, 2,
	  "LINE[final](* (()\n"
	  "LINE[final](* (()\n" },
};

static void
test_table(void)
{
	const struct parse_case	*c;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = &cases[i];
		check_case(c->name, c->in, c->inlen, c->max_line,
		    c->max_depth, c->want);
	}
}

/* Cases too big to write out. */
static void
test_generated(void)
{
	struct buf	 in, want;
	size_t		 i;

	buf_init(&in, 0);
	buf_init(&want, 0);

	/* 10,000 open parentheses against a limit of 1,000. */
	buf_addstr(&in, "* ");
	for (i = 0; i < 10000; i++)
		buf_addc(&in, '(');
	buf_addstr(&in, "\r\n");
	check_case("10,000-deep parentheses are an error", in.data, in.len,
	    0, 1000, "ERROR(nesting too deep)\n");

	/* Exactly 1,000 deep (mixed kinds), then closed: fine. */
	buf_reset(&in);
	buf_addstr(&in, "* ");
	for (i = 0; i < 1000; i++)
		buf_addc(&in, i % 2 ? '[' : '(');
	for (i = 0; i < 1000; i++)
		buf_addc(&in, i % 2 ? ')' : ']');
	buf_addstr(&want, "LINE[final](");
	buf_add(&want, in.data, in.len);
	buf_addstr(&want, ")\n");
	buf_addstr(&in, "\r\n");
	check_case("1,000-deep nesting at a limit of 1,000 is fine",
	    in.data, in.len, 0, 1000, want.data);

	/* 1,001 deep. */
	buf_reset(&in);
	buf_addstr(&in, "* ");
	for (i = 0; i < 1001; i++)
		buf_addc(&in, '(');
	buf_addstr(&in, "\r\n");
	check_case("1,001-deep nesting at a limit of 1,000 is an error",
	    in.data, in.len, 0, 1000, "ERROR(nesting too deep)\n");

	/* 600 + 600 across a literal is one response: too deep. */
	buf_reset(&in);
	buf_addstr(&in, "* 1 FETCH ");
	for (i = 0; i < 600; i++)
		buf_addc(&in, '(');
	buf_addstr(&in, "{1}\r\nx");
	for (i = 0; i < 600; i++)
		buf_addc(&in, '(');
	buf_addstr(&in, "\r\n");
	buf_reset(&want);
	buf_addstr(&want, "LINE[](* 1 FETCH ");
	for (i = 0; i < 600; i++)
		buf_addc(&want, '(');
	buf_addstr(&want, "{1})\nLIT{1}\nDATA(x)\nEND\n"
	    "ERROR(nesting too deep)\n");
	check_case("depth across literal lines is bounded", in.data, in.len,
	    0, 1000, want.data);

	/* The default line limit, IMAP_PARSE_MAX_LINE. */
	buf_reset(&in);
	for (i = 0; i < IMAP_PARSE_MAX_LINE; i++)
		buf_addc(&in, 'x');
	buf_reset(&want);
	buf_addstr(&want, "LINE[final](");
	buf_add(&want, in.data, in.len);
	buf_addstr(&want, ")\n");
	buf_addstr(&in, "\r\n");
	check_case("a line of IMAP_PARSE_MAX_LINE bytes is fine by default",
	    in.data, in.len, 0, 0, want.data);
	buf_reset(&in);
	for (i = 0; i < IMAP_PARSE_MAX_LINE + 1; i++)
		buf_addc(&in, 'x');
	buf_addstr(&in, "\r\n");
	check_case("a line one byte over IMAP_PARSE_MAX_LINE is an error",
	    in.data, in.len, 0, 0, "ERROR(line too long)\n");

	buf_free(&in);
	buf_free(&want);
}

/* A CR and its LF in separate feeds, in both roles. */
static void
test_split_cr(void)
{
	static const char	 in[] = "* OK a\r\n* OK b\rx\r\n* OK c\r\r\n";
	static const size_t	 plan1[] = { 7, 8, 3, 7, 1, 0 };
	static const size_t	 plan2[] = {
		6, 1, 1, 6, 1, 1, 2, 6, 1, 1, 0
	};
	static const char	 want[] =
	    "LINE[final](* OK a)\n"
	    "LINE[final](* OK b<CR>x)\n"
	    "LINE[final](* OK c<CR>)\n";
	struct chunker		 ch;
	struct run_result	 rr;

	memset(&ch, 0, sizeof ch);
	ch.mode = FEED_PLAN;
	ch.plan = plan1;
	rr = run(in, sizeof in - 1, 0, 0, &ch);
	ok(strcmp(rr.transcript, want) == 0,
	    "CR at the end of a feed, LF or data at the start of the next");
	free(rr.transcript);

	ch.plan = plan2;
	ch.iplan = 0;
	rr = run(in, sizeof in - 1, 0, 0, &ch);
	ok(strcmp(rr.transcript, want) == 0,
	    "CR alone in a feed, LF or data alone in the next");
	free(rr.transcript);
}

/*
 * An endless line against max_line 64: the parser must fail having
 * consumed (and so possibly stored) no more than the limit and a CR, and
 * where the allocator can be asked, without growing the heap.
 */
static void
test_line_limit_memory(void)
{
	struct chunker		 ch;
	struct run_result	 rr;
	char			*in;
	size_t			 inlen = 4u * 1024 * 1024;
	int			 mode, good;
#ifdef HAVE_MALLINFO2
	struct imap_parser	*ps;
	struct imap_event	 ev;
	struct mallinfo2	 before, after;
	size_t			 pos, used, n;
#endif

	in = xmalloc(inlen);
	memset(in, 'x', inlen);
	memcpy(in, "* OK ", 5);
	memset(&ch, 0, sizeof ch);
	for (mode = FEED_WHOLE; mode <= FEED_RANDOM; mode++) {
		ch.mode = (enum feed_mode)mode;
		ch.rng = 12345;
		rr = run(in, inlen, 64, 0, &ch);
		good = strcmp(rr.transcript, "ERROR(line too long)\n") == 0 &&
		    rr.consumed <= 64 + 1;
		ok(good, "4 MiB line at max_line 64: error after %zu bytes "
		    "(mode %d)", rr.consumed, mode);
		free(rr.transcript);
	}

#ifdef HAVE_MALLINFO2
	ps = imap_parser_new(64, 0);
	before = mallinfo2();
	for (pos = 0; pos < inlen; pos += used) {
		n = inlen - pos < 16 ? inlen - pos : 16;
		if (imap_parse_feed(ps, in + pos, n, &used, &ev) !=
		    IMAP_EV_MORE)
			break;
	}
	after = mallinfo2();
	/*
	 * 64 bytes, a NUL, and the allocator's header and rounding.  The
	 * growth shown is often 0: glibc counts chunks cached for reuse
	 * as in use, so a small buffer does not move the total.  Buffering
	 * the whole line would.
	 */
	ok(ev.type == IMAP_EV_ERROR &&
	    after.uordblks <= before.uordblks + 64 + 1 + 32,
	    "4 MiB line at max_line 64 allocates about the limit "
	    "(%zu bytes)", after.uordblks - before.uordblks);
	imap_parser_free(ps);
#else
	tap_ntests++;
	printf("ok %d # SKIP heap use not measurable with this "
	    "allocator\n", tap_ntests);
#endif
	free(in);
}

static void
test_sticky_error(void)
{
	struct imap_parser	*ps;
	struct imap_event	 ev;
	const char		*error;
	size_t			 used = 99;

	ps = imap_parser_new(8, 0);
	ok(imap_parse_feed(ps, "123456789\r\n", 11, &used, &ev) ==
	    IMAP_EV_ERROR && used == 0 && ev.type == IMAP_EV_ERROR &&
	    ev.error != NULL && strcmp(ev.error, "line too long") == 0,
	    "overlong line gives ERROR \"line too long\" using nothing");
	error = ev.error;
	ok(imap_parse_feed(ps, "* OK\r\n", 6, &used, &ev) ==
	    IMAP_EV_ERROR && used == 0 && ev.error == error,
	    "ERROR is sticky for good input");
	ok(imap_parse_feed(ps, "", 0, &used, &ev) == IMAP_EV_ERROR &&
	    used == 0 && ev.error == error,
	    "ERROR is sticky for empty input");
	ok(!imap_parser_idle(ps), "not idle after an error");
	imap_parser_reset(ps);
	ok(imap_parser_idle(ps), "idle after reset");
	ok(imap_parse_feed(ps, "* OK\r\n", 6, &used, &ev) == IMAP_EV_LINE &&
	    used == 6 && ev.final && ev.len == 4 &&
	    strcmp(ev.line, "* OK") == 0, "parses again after reset");
	imap_parser_free(ps);
}

static void
test_idle(void)
{
	struct imap_parser	*ps;
	struct imap_event	 ev;
	size_t			 used;
	int			 good;

	ps = imap_parser_new(0, 0);
	ok(imap_parser_idle(ps), "idle: new parser");
	imap_parse_feed(ps, "* O", 3, &used, &ev);
	ok(ev.type == IMAP_EV_MORE && used == 3 && !imap_parser_idle(ps),
	    "idle: not with a partial line");
	imap_parse_feed(ps, "K\r", 2, &used, &ev);
	ok(ev.type == IMAP_EV_MORE && !imap_parser_idle(ps),
	    "idle: not with a pending CR");
	imap_parse_feed(ps, "\n* 1 FETCH (X {2}\r\nab)\r\n", 24, &used, &ev);
	ok(ev.type == IMAP_EV_LINE && used == 1 && ev.final &&
	    imap_parser_idle(ps), "idle: after a final line");
	imap_parse_feed(ps, "* 1 FETCH (X {2}\r\nab)\r\n", 23, &used, &ev);
	ok(ev.type == IMAP_EV_LINE && used == 18 && ev.has_literal &&
	    !imap_parser_idle(ps), "idle: not after a line with a literal");
	imap_parse_feed(ps, "a", 1, &used, &ev);
	ok(ev.type == IMAP_EV_LITERAL_DATA && ev.literal_left == 1 &&
	    !imap_parser_idle(ps), "idle: not inside literal data");
	imap_parse_feed(ps, "b)\r\n", 4, &used, &ev);
	good = ev.type == IMAP_EV_LITERAL_DATA && used == 1 &&
	    ev.literal_left == 0;
	imap_parse_feed(ps, ")\r\n", 3, &used, &ev);
	ok(good && ev.type == IMAP_EV_LITERAL_END && used == 0 &&
	    !imap_parser_idle(ps), "idle: not at the end of a literal");
	imap_parse_feed(ps, ")\r\n", 3, &used, &ev);
	ok(ev.type == IMAP_EV_LINE && ev.continued && ev.final &&
	    used == 3 && imap_parser_idle(ps),
	    "idle: after the final line following a literal");
	imap_parse_feed(ps, "", 0, &used, &ev);
	ok(ev.type == IMAP_EV_MORE && used == 0 && imap_parser_idle(ps),
	    "idle: still, after feeding nothing");
	imap_parser_free(ps);
}

/* Fields of each event type, beyond what the transcript shows. */
static void
test_event_fields(void)
{
	static const char	 in[] = "* 1 FETCH (BODY[] {4}\r\nab\0d)\r\n";
	struct imap_parser	*ps;
	struct imap_event	 ev;
	size_t			 used;

	ps = imap_parser_new(0, 0);
	imap_parse_feed(ps, in, sizeof in - 1, &used, &ev);
	ok(ev.type == IMAP_EV_LINE && ev.len == 21 && ev.line[21] == '\0' &&
	    ev.has_literal && ev.literal_size == 4 && !ev.final &&
	    !ev.continued && ev.data == NULL && ev.error == NULL,
	    "LINE event fields");
	imap_parse_feed(ps, in + used, sizeof in - 1 - used, &used, &ev);
	ok(ev.type == IMAP_EV_LITERAL_DATA && ev.data == in + 23 &&
	    ev.data_len == 4 && ev.len == 4 && ev.literal_left == 0 &&
	    ev.line == NULL && used == 4, "LITERAL_DATA event fields");
	imap_parse_feed(ps, in + 27, sizeof in - 1 - 27, &used, &ev);
	ok(ev.type == IMAP_EV_LITERAL_END && used == 0 && ev.data == NULL,
	    "LITERAL_END event fields");
	imap_parse_feed(ps, in + 27, sizeof in - 1 - 27, &used, &ev);
	ok(ev.type == IMAP_EV_LINE && ev.len == 1 && ev.line[0] == ')' &&
	    ev.line[1] == '\0' && ev.continued && ev.final &&
	    !ev.has_literal && used == 3, "continued LINE event fields");
	imap_parser_free(ps);
}

static void
test_reset_mid_literal(void)
{
	struct imap_parser	*ps;
	struct imap_event	 ev;
	size_t			 used;

	ps = imap_parser_new(0, 0);
	imap_parse_feed(ps, "* 1 FETCH (BODY[] {10}\r\n", 24, &used, &ev);
	imap_parse_feed(ps, "abc", 3, &used, &ev);
	imap_parser_reset(ps);
	ok(imap_parser_idle(ps), "reset inside a literal: idle");
	imap_parse_feed(ps, "* OK\r\n", 6, &used, &ev);
	ok(ev.type == IMAP_EV_LINE && ev.final && !ev.continued &&
	    used == 6, "reset inside a literal: next line is a new response");
	imap_parser_free(ps);
}

int
main(void)
{
	test_table();
	test_generated();
	test_split_cr();
	test_line_limit_memory();
	test_sticky_error();
	test_idle();
	test_event_fields();
	test_reset_mid_literal();

	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
