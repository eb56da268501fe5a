/*
 * test-util.c: imap-util.c against imaplib itself.  The expected values
 * were produced by Python 3.11's imaplib.Int2AP() and imaplib.ParseFlags()
 * when this file was written, e.g.
 *
 *	python3 -c 'import imaplib; print(imaplib.Int2AP(4096))'
 *	python3 -c 'import imaplib; print(imaplib.ParseFlags(b"..."))'
 *
 * In the ParseFlags table the expected flags are joined with \001.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap-util.h"
#include "pyval.h"
#include "tap.h"

struct ap_case {
	unsigned long long	 num;
	const char		*want;
};

static const struct ap_case ap_cases[] = {
	{ 0ULL, "" },
	{ 1ULL, "B" },
	{ 2ULL, "C" },
	{ 9ULL, "J" },
	{ 10ULL, "K" },
	{ 15ULL, "P" },
	{ 16ULL, "BA" },
	{ 17ULL, "BB" },
	{ 255ULL, "PP" },
	{ 256ULL, "BAA" },
	{ 4095ULL, "PPP" },
	{ 4096ULL, "BAAA" },
	{ 4097ULL, "BAAB" },
	{ 65535ULL, "PPPP" },
	{ 65536ULL, "BAAAA" },
	{ 2147483647ULL, "HPPPPPPP" },
	{ 4294967296ULL, "BAAAAAAAA" },
	{ 9223372036854775807ULL, "HPPPPPPPPPPPPPPP" },
	{ 9223372036854775808ULL, "IAAAAAAAAAAAAAAA" },
	{ 18446744073709551615ULL, "PPPPPPPPPPPPPPPP" },
	{ 11259375ULL, "KLMNOP" },
	{ 81985529216486895ULL, "BCDEFGHIJKLMNOP" },
};

struct flags_case {
	const char	*resp;
	size_t		 len;
	size_t		 nflags;
	const char	*want;		/* flags joined with \001 */
	size_t		 wantlen;
	const char	*desc;
};

static const struct flags_case flags_cases[] = {
	{ "", 0,
	    0, "", 0,
	    "empty response" },
	{ "FLAGS", 5,
	    0, "", 0,
	    "FLAGS without a list" },
	{ "1 (FLAGS (\\Seen))", 17,
	    1, "\\Seen", 5,
	    "one flag" },
	{ "1 (UID 5 FLAGS (\\Seen \\Answered) RFC822.SIZE 44)", 48,
	    2, "\\Seen\001\\Answered", 15,
	    "flags amid other items" },
	{ "1 (FLAGS ())", 12,
	    0, "", 0,
	    "empty flag list" },
	{ "12 (FLAGS (\\Seen $Forwarded [Gmail]/Important))", 47,
	    3, "\\Seen\001$Forwarded\001[Gmail]/Important", 34,
	    "keyword with brackets" },
	{ "1 (X-GM-LABELS (\"\\\\Important\") FLAGS (\\Seen Junk]))", 51,
	    2, "\\Seen\001Junk]", 11,
	    "Gmail labels then a flag with ]" },
	{ "1 (FLAGS (\\Seen) X-FOO (FLAGS (\\Deleted)))", 42,
	    1, "\\Deleted", 8,
	    "last FLAGS ( wins" },
	{ "1 (FLAGS (\\Seen) X FLAGS (\\Draft", 32,
	    1, "\\Seen", 5,
	    "last FLAGS unclosed: backtrack to earlier" },
	{ "1 (FLAGS (\\Seen", 15,
	    0, "", 0,
	    "unclosed list: no match" },
	{ "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)", 50,
	    5, "\\Answered\001\\Flagged\001\\Deleted\001\\Seen\001\\Draft", 40,
	    "untagged FLAGS" },
	{ "1 (FLAGS  ( \\Seen\011\\Draft  ))", 28,
	    0, "", 0,
	    "two blanks before ( : no match" },
	{ "1 (flags (\\Seen))", 17,
	    0, "", 0,
	    "lower case: no match" },
	{ "1 (FLAGS(\\Seen))", 16,
	    0, "", 0,
	    "no blank before (: no match" },
	{ "1 (BODY[] {5}\015\012FLAGS (\\Seen))", 29,
	    0, "", 0,
	    "FLAGS after a newline: no match" },
	{ "1 (FLAGS (\\Seen\015\012\\Draft))", 25,
	    2, "\\Seen\001\\Draft", 12,
	    "list may span a newline" },
	{ "FLAGS (a (b) c)", 15,
	    2, "a\001(b", 4,
	    "nested: stops at first )" },
	{ "FLAGS ((nested) more)", 21,
	    1, "(nested", 7,
	    "nested at start" },
	{ "FLAGS (a\000b c)", 13,
	    2, "a\000b\001c", 5,
	    "NUL inside a flag" },
	{ "PERMANENTFLAGS (\\Seen \\*)] FLAGS (\\Deleted)", 43,
	    1, "\\Deleted", 8,
	    "PERMANENTFLAGS then FLAGS" },
	{ "PERMANENTFLAGS (\\Seen \\*)", 25,
	    2, "\\Seen\001\\*", 8,
	    "PERMANENTFLAGS alone matches" },
	{ "FLAGS (x\013y\014z)", 13,
	    3, "x\001y\001z", 5,
	    "split on VT and FF" },
	{ "FLAGS (\351t\351)", 11,
	    1, "\351t\351", 3,
	    "8-bit flag bytes" },
	{ "FLAGS (a) FLAGS (b) FLAGS (c", 28,
	    1, "b", 1,
	    "backtrack past an unclosed last" },
	{ "x FLAGS (a)\012FLAGS (b)", 21,
	    1, "a", 1,
	    "second line ignored" },
	{ "FLAGS ()", 8,
	    0, "", 0,
	    "exactly FLAGS ()" },
	{ "FLAGS (", 7,
	    0, "", 0,
	    "FLAGS ( at end" },
};


static int	 flags_match(const struct pyval *, const struct flags_case *);

/* 1 if v is a tuple of bytes equal to the expected flags. */
static int
flags_match(const struct pyval *v, const struct flags_case *fc)
{
	const char	*w = fc->want, *end = fc->want + fc->wantlen, *sep;
	size_t		 i, n;

	if (v == NULL || v->type != PV_TUPLE || v->n != fc->nflags)
		return (0);
	for (i = 0; i < v->n; i++) {
		sep = memchr(w, '\001', (size_t)(end - w));
		n = sep == NULL ? (size_t)(end - w) : (size_t)(sep - w);
		if (v->items[i]->type != PV_BYTES || v->items[i]->len != n ||
		    memcmp(v->items[i]->s, w, n) != 0)
			return (0);
		w += n + 1;
	}
	return (1);
}

int
main(void)
{
	const size_t	 nap = sizeof ap_cases / sizeof ap_cases[0];
	const size_t	 nflags = sizeof flags_cases / sizeof flags_cases[0];
	struct pyval	*v;
	char		 out[17], *copy;
	size_t		 i, n;

	printf("1..%zu\n", nap + 2 * nflags);

	for (i = 0; i < nap; i++) {
		memset(out, 'x', sizeof out);
		n = int2ap(ap_cases[i].num, out);
		ok(n == strlen(ap_cases[i].want) &&
		    strcmp(out, ap_cases[i].want) == 0,
		    "int2ap(%llu) = \"%s\"", ap_cases[i].num, ap_cases[i].want);
	}

	for (i = 0; i < nflags; i++) {
		v = parse_flags(flags_cases[i].resp, flags_cases[i].len);
		ok(flags_match(v, &flags_cases[i]), "parse_flags: %s",
		    flags_cases[i].desc);
		pv_free(v);

		/* Again from an exact-size heap copy, for ASan. */
		copy = malloc(flags_cases[i].len + 1);
		if (copy == NULL)
			return (2);
		memcpy(copy, flags_cases[i].resp, flags_cases[i].len);
		v = parse_flags(copy, flags_cases[i].len);
		ok(flags_match(v, &flags_cases[i]),
		    "parse_flags: %s (unterminated copy)", flags_cases[i].desc);
		pv_free(v);
		free(copy);
	}
	return (tap_status());
}
