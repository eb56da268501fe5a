/*
 * test-quote.c: the argument encoding rule of imap-quote.c, table-driven:
 * atoms, quoted strings, arguments passed as they are, the forced quoting
 * of passwords, values that need a literal and values no form can carry.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "imap-quote.h"
#include "xmalloc.h"
#include "tap.h"

struct quote_case {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	int		 flags;
	enum imapq	 want;
	const char	*out;		/* what is appended */
};

#define F	IMAPQ_FORCE
#define U	IMAPQ_UTF8

static const struct quote_case quote_cases[] = {
	/* Atoms: ASTRING-CHAR plus list wildcards. */
	{ "INBOX", 0, 0, IMAPQ_ATOM, "INBOX" },
	{ "1:*", 0, 0, IMAPQ_ATOM, "1:*" },
	{ "1,3:5,7", 0, 0, IMAPQ_ATOM, "1,3:5,7" },
	{ "BODY[TEXT]", 0, 0, IMAPQ_ATOM, "BODY[TEXT]" },
	/* Blanks and parentheses inside a balanced [...] group stay bare. */
	{ "BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]", 0, 0, IMAPQ_ATOM,
	  "BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]" },
	{ "BODY[HEADER.FIELDS (TO)]<0.100>", 0, 0, IMAPQ_ATOM,
	  "BODY[HEADER.FIELDS (TO)]<0.100>" },
	{ "a[b c", 0, 0, IMAPQ_QUOTED, "\"a[b c\"" },
	{ "x] y", 0, 0, IMAPQ_QUOTED, "\"x] y\"" },
	{ "[a {5}]", 0, 0, IMAPQ_QUOTED, "\"[a {5}]\"" },
	{ "BODY.PEEK[]<0.100>", 0, 0, IMAPQ_ATOM, "BODY.PEEK[]<0.100>" },
	{ "INBOX.Sent", 0, 0, IMAPQ_ATOM, "INBOX.Sent" },
	{ "user@example.com", 0, 0, IMAPQ_ATOM, "user@example.com" },
	{ "INBOX.%", 0, 0, IMAPQ_ATOM, "INBOX.%" },
	{ "*", 0, 0, IMAPQ_ATOM, "*" },
	{ "%", 0, 0, IMAPQ_ATOM, "%" },
	{ "]", 0, 0, IMAPQ_ATOM, "]" },
	{ "[", 0, 0, IMAPQ_ATOM, "[" },
	{ "[Gmail]/Sent", 0, 0, IMAPQ_ATOM, "[Gmail]/Sent" },
	{ "}", 0, 0, IMAPQ_ATOM, "}" },
	{ "a'b", 0, 0, IMAPQ_ATOM, "a'b" },
	{ "+FLAGS.SILENT", 0, 0, IMAPQ_ATOM, "+FLAGS.SILENT" },
	{ "~!#$&=?^_`|-", 0, 0, IMAPQ_ATOM, "~!#$&=?^_`|-" },
	{ "NIL", 0, 0, IMAPQ_ATOM, "NIL" },
	{ "x", 0, U, IMAPQ_ATOM, "x" },

	/* Quoted strings. */
	{ "", 0, 0, IMAPQ_QUOTED, "\"\"" },
	{ "a b", 0, 0, IMAPQ_QUOTED, "\"a b\"" },
	{ "x\\y", 0, 0, IMAPQ_QUOTED, "\"x\\\\y\"" },
	{ "\\Seen", 0, 0, IMAPQ_QUOTED, "\"\\\\Seen\"" },
	{ "say \"hi\"", 0, 0, IMAPQ_QUOTED, "\"say \\\"hi\\\"\"" },
	{ "a\"b", 0, 0, IMAPQ_QUOTED, "\"a\\\"b\"" },
	{ "\"", 0, 0, IMAPQ_QUOTED, "\"\\\"\"" },
	{ "(", 0, 0, IMAPQ_QUOTED, "\"(\"" },
	{ ")", 0, 0, IMAPQ_QUOTED, "\")\"" },
	{ "(a", 0, 0, IMAPQ_QUOTED, "\"(a\"" },
	{ "a)", 0, 0, IMAPQ_QUOTED, "\"a)\"" },
	{ "\"a", 0, 0, IMAPQ_QUOTED, "\"\\\"a\"" },
	{ "{5}", 0, 0, IMAPQ_QUOTED, "\"{5}\"" },
	{ "a\tb", 0, 0, IMAPQ_QUOTED, "\"a\tb\"" },
	{ "bell\007", 0, 0, IMAPQ_QUOTED, "\"bell\007\"" },
	{ "del\177", 0, 0, IMAPQ_QUOTED, "\"del\177\"" },
	{ "caf\303\251", 0, U, IMAPQ_QUOTED, "\"caf\303\251\"" },

	/* Already (...) or "...": as is. */
	{ "(\\Deleted)", 0, 0, IMAPQ_ASIS, "(\\Deleted)" },
	{ "(UID BODY[TEXT])", 0, 0, IMAPQ_ASIS, "(UID BODY[TEXT])" },
	{ "()", 0, 0, IMAPQ_ASIS, "()" },
	{ "\"\"", 0, 0, IMAPQ_ASIS, "\"\"" },
	{ "\"a b\"", 0, 0, IMAPQ_ASIS, "\"a b\"" },
	{ "\"a\\\"b\"", 0, 0, IMAPQ_ASIS, "\"a\\\"b\"" },
	{ "(a) (b)", 0, 0, IMAPQ_ASIS, "(a) (b)" },
	{ "(caf\303\251)", 0, 0, IMAPQ_ASIS, "(caf\303\251)" },

	/* FORCE (the LOGIN password) always quotes. */
	{ "secret", 0, F, IMAPQ_QUOTED, "\"secret\"" },
	{ "", 0, F, IMAPQ_QUOTED, "\"\"" },
	{ "pa\\ss", 0, F, IMAPQ_QUOTED, "\"pa\\\\ss\"" },
	{ "(x)", 0, F, IMAPQ_QUOTED, "\"(x)\"" },
	{ "\"x\"", 0, F, IMAPQ_QUOTED, "\"\\\"x\\\"\"" },
	{ "caf\303\251", 0, F | U, IMAPQ_QUOTED, "\"caf\303\251\"" },
	{ "caf\303\251", 0, F, IMAPQ_LITERAL, "" },
	{ "a\r\nb", 0, F, IMAPQ_INVALID, "" },

	/* 8-bit outside UTF-8 mode needs a literal. */
	{ "caf\303\251", 0, 0, IMAPQ_LITERAL, "" },
	{ "\377", 0, 0, IMAPQ_LITERAL, "" },
	{ "a b\200", 0, 0, IMAPQ_LITERAL, "" },

	/* CR, LF, NUL: never. */
	{ "a\rb", 0, 0, IMAPQ_INVALID, "" },
	{ "a\nb", 0, 0, IMAPQ_INVALID, "" },
	{ "a\0b", 3, 0, IMAPQ_INVALID, "" },
	{ "\0", 1, 0, IMAPQ_INVALID, "" },
	{ "(a\r\nb)", 0, 0, IMAPQ_INVALID, "" },
	{ "\"a\nb\"", 0, 0, IMAPQ_INVALID, "" },
	{ "caf\303\251\n", 0, U, IMAPQ_INVALID, "" },
};

struct qstring_case {
	const char	*in;
	size_t		 len;
	const char	*out;
};

static const struct qstring_case qstring_cases[] = {
	{ "", 0, "\"\"" },
	{ "abc", 3, "\"abc\"" },
	{ "\\", 1, "\"\\\\\"" },
	{ "\"", 1, "\"\\\"\"" },
	{ "\\\"\\\"", 4, "\"\\\\\\\"\\\\\\\"\"" },
	{ "a b(c)", 6, "\"a b(c)\"" },
};


static const char *imapq_name(enum imapq);
static const char *show(const char *, size_t);

static const char *
imapq_name(enum imapq q)
{
	switch (q) {
	case IMAPQ_ATOM:
		return ("ATOM");
	case IMAPQ_QUOTED:
		return ("QUOTED");
	case IMAPQ_ASIS:
		return ("ASIS");
	case IMAPQ_LITERAL:
		return ("LITERAL");
	case IMAPQ_INVALID:
		return ("INVALID");
	}
	return ("?");
}

/* A printable form of s for test descriptions (static buffer). */
static const char *
show(const char *s, size_t len)
{
	static char	 out[256];
	size_t		 i, o = 0;

	for (i = 0; i < len && o + 5 < sizeof out; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '#')
			out[o++] = s[i];
		else
			o += (size_t)snprintf(out + o, sizeof out - o,
			    "\\%03o", (unsigned char)s[i]);
	}
	out[o] = '\0';
	return (out);
}

int
main(void)
{
	const size_t		 nq =
	    sizeof quote_cases / sizeof quote_cases[0];
	const size_t		 ns =
	    sizeof qstring_cases / sizeof qstring_cases[0];
	const struct quote_case	*qc;
	struct buf		 out, small;
	enum imapq		 got;
	size_t			 i, len, c;
	int			 pass;

	printf("1..%zu\n", nq + ns + 256 + 6);

	for (i = 0; i < nq; i++) {
		qc = &quote_cases[i];
		len = qc->len != 0 ? qc->len : strlen(qc->in);
		buf_init(&out, 0);
		buf_addstr(&out, "X ");
		got = imap_quote_arg(&out, qc->in, len, qc->flags);
		pass = got == qc->want && out.len == 2 + strlen(qc->out) &&
		    memcmp(out.data + 2, qc->out, strlen(qc->out)) == 0 &&
		    out.data[out.len] == '\0';
		ok(pass, "quote_arg [%s] flags %d -> %s", show(qc->in, len),
		    qc->flags, imapq_name(qc->want));
		if (!pass)
			printf("# got %s [%s]\n", imapq_name(got),
			    show(out.data + 2, out.len - 2));
		buf_free(&out);
	}

	for (i = 0; i < ns; i++) {
		buf_init(&out, 0);
		imap_quote_string(&out, qstring_cases[i].in,
		    qstring_cases[i].len);
		ok(out.len == strlen(qstring_cases[i].out) &&
		    strcmp(out.data, qstring_cases[i].out) == 0,
		    "quote_string [%s]", show(qstring_cases[i].in,
		    qstring_cases[i].len));
		buf_free(&out);
	}

	/* imap_atom_char over every byte, against RFC 3501 by hand. */
	for (c = 0; c < 256; c++) {
		pass = c > 0x20 && c < 0x7f && strchr("(){\"\\", (int)c) ==
		    NULL;
		ok(imap_atom_char((unsigned char)c) == pass,
		    "atom_char 0x%02zx is %d", c, pass);
	}

	/* A buffer cap that cannot hold the argument: nothing appended. */
	buf_init(&small, 8);
	buf_addstr(&small, "A ");
	got = imap_quote_arg(&small, "abcdefghij", 10, 0);
	ok(got == IMAPQ_LITERAL && small.len == 2 &&
	    strcmp(small.data, "A ") == 0, "atom past the cap -> LITERAL");
	got = imap_quote_arg(&small, "a b c d e", 9, 0);
	ok(got == IMAPQ_LITERAL && small.len == 2 &&
	    strcmp(small.data, "A ") == 0, "quoted past the cap -> LITERAL");
	got = imap_quote_arg(&small, "(a b c d)", 9, 0);
	ok(got == IMAPQ_LITERAL && small.len == 2 &&
	    strcmp(small.data, "A ") == 0, "as-is past the cap -> LITERAL");
	imap_quote_string(&small, "a\\b\\c", 5);
	ok(small.len == 2 && strcmp(small.data, "A ") == 0,
	    "quote_string past the cap appends nothing");
	got = imap_quote_arg(&small, "ab c", 4, 0);
	ok(got == IMAPQ_QUOTED && strcmp(small.data, "A \"ab c\"") == 0,
	    "quoted exactly at the cap");
	buf_free(&small);

	/* Appending to an empty buffer that was never written. */
	buf_init(&out, 0);
	got = imap_quote_arg(&out, "", 0, 0);
	ok(got == IMAPQ_QUOTED && out.len == 2 &&
	    strcmp(out.data, "\"\"") == 0, "empty string into a fresh buffer");
	buf_free(&out);

	return (tap_status());
}
